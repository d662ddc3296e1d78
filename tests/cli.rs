//! The `chepath` binary as a user meets it: exit codes, JSON keys, error messages.

use crate::common::{self, chepath, Run};

use serde_json::Value;

fn fixture(p: &str) -> String {
    format!("{}/tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn help_teaches_exit_codes() {
    chepath()
        .args(["parse", "--help"])
        .assert()
        .success()
        .stdout_contains("Exit codes")
        .stdout_contains("frequency run");
    chepath().assert().failure().code(2);
}

#[test]
fn outcar_json_has_the_documented_keys() {
    let out = chepath()
        .args(["parse", "--json", &fixture("relax/OUTCAR")])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("JSON");
    for key in [
        "schema_version",
        "vasp_version",
        "nions",
        "species",
        "ions_per_type",
        "incar",
        "ionic_steps",
        "first_energy",
        "last_energy",
        "efermi",
        "electronic_converged",
        "ionic_converged",
        "complete",
        "is_frequency_run",
        "frequencies_cm1",
        "imaginary_cm1",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(v["ionic_steps"], 2);
    assert_eq!(v["last_energy"]["toten"], -20.2);
    assert_eq!(v["last_energy"]["sigma0"], -20.195);
    assert_eq!(v["last_energy"]["no_entropy"], -20.19);
    assert_eq!(v["first_energy"]["toten"], -20.11111111);
    assert_eq!(v["efermi"], -2.2);
    assert_eq!(v["ionic_converged"], true);
    assert_eq!(v["electronic_converged"], true);
    assert_eq!(v["complete"], true);
    assert_eq!(v["species"], serde_json::json!(["Cu", "N"]));
    assert_eq!(v["incar"]["ENCUT"], "450.0");
    assert_eq!(v["incar"]["NELM"], "60");
    assert_eq!(v["steps"][0]["electronic_iterations"], 2);
    assert_eq!(v["steps"][1]["magnetization"], serde_json::json!([0.94]));
}

#[test]
fn directory_is_one_record_with_checks() {
    let out = chepath()
        .args(["parse", "--json", &fixture("relax")])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["kind"], "calculation");
    assert_eq!(v["oszicar"]["ionic_steps"], 2);
    assert_eq!(v["oszicar"]["last_energy"]["e0"], -20.195);
    assert_eq!(v["structure"]["natoms"], 3);
    assert_eq!(
        v["structure"]["selective_dynamics"][0],
        serde_json::json!([false, false, false])
    );
    let checks = v["checks"].as_array().expect("checks");
    assert!(checks.len() >= 3);
    assert!(checks.iter().all(|c| c["ok"] == true), "{checks:?}");
}

#[test]
fn missing_file_exits_3_and_names_it() {
    chepath()
        .args(["parse", "/no/such/OUTCAR"])
        .assert()
        .code(3)
        .stderr_contains("/no/such/OUTCAR");
}

#[test]
fn directory_without_vasp_files_exits_4_and_says_what_it_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notes.txt"), "hello").expect("write");
    std::fs::create_dir(dir.path().join("run1")).expect("mkdir");
    std::fs::copy(fixture("relax/OUTCAR"), dir.path().join("run1/OUTCAR")).expect("copy");
    chepath()
        .args(["parse", &dir.path().display().to_string()])
        .assert()
        .code(4)
        .stderr_contains("notes.txt")
        .stderr_contains("run1");
}

#[test]
fn wrong_format_exits_4_with_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("OUTCAR");
    std::fs::write(&p, "this is not\nan outcar\n").expect("write");
    chepath()
        .args(["parse", &p.display().to_string()])
        .assert()
        .code(4)
        .stderr_contains("expected an OUTCAR");
    // A POSCAR read as one: the line and what was expected.
    let p = dir.path().join("POSCAR");
    std::fs::write(&p, "x\n1.0\n1 0 0\n0 1 0\n").expect("write");
    chepath()
        .args(["parse", &p.display().to_string()])
        .assert()
        .code(4)
        .stderr_contains("POSCAR:5");
}

#[test]
fn strict_fails_on_a_cut_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(fixture("relax/OUTCAR")).expect("read");
    let cut = &text[..text.find("reached required").expect("marker")];
    let p = dir.path().join("OUTCAR");
    std::fs::write(&p, cut).expect("write");
    let out = chepath()
        .args(["parse", "--json", &p.display().to_string()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["complete"], false);
    assert_eq!(v["ionic_converged"], false);
    assert!(v["warnings"]
        .as_array()
        .expect("list")
        .iter()
        .any(|w| w.as_str().unwrap_or("").contains("incomplete run")));
    chepath()
        .args(["parse", "--strict", &p.display().to_string()])
        .assert()
        .code(5);
}

#[test]
fn vasp4_poscar_takes_species_from_outcar() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("POSCAR");
    std::fs::write(
        &p,
        "old\n1.0\n6 0 0\n0 6 0\n0 0 10\n1 2\nDirect\n0 0 0.5\n0.2 0 0.5\n0 0.2 0.5\n",
    )
    .expect("write");
    chepath()
        .args(["parse", &p.display().to_string()])
        .assert()
        .code(4)
        .stderr_contains("never guesses species");
    let out = chepath()
        .args([
            "parse",
            "--json",
            "--species-from",
            &fixture("relax/OUTCAR"),
            &p.display().to_string(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["species"], serde_json::json!(["Cu", "N"]));
    assert_eq!(v["species_source"], "supplied");
}

#[test]
fn frequency_run_says_first_step() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let p = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)/O/zpe-backup/OUTCAR");
    let out = chepath()
        .args(["parse", "--json", &p.display().to_string()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["is_frequency_run"], true);
    assert_eq!(v["structure_energy"]["step"], 1);
    assert_eq!(v["structure_energy"]["toten"], v["first_energy"]["toten"]);
    assert!(v["structure_energy"]["note"]
        .as_str()
        .unwrap_or("")
        .contains("frequency run"));
    assert_eq!(
        v["frequencies_cm1"],
        serde_json::json!([489.834536, 432.986796, 431.277441])
    );
    chepath()
        .args(["parse", &p.display().to_string()])
        .assert()
        .success()
        .stdout_contains("first ionic step");
}

#[test]
fn final_energy_fast_path() {
    let out = chepath()
        .args(["parse", "--final", "--json", &fixture("relax/OUTCAR")])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["kind"], "outcar_final");
    assert_eq!(v["energy"]["sigma0"], -20.195);
    assert_eq!(v["ionic_converged"], true);
    assert_eq!(v["complete"], true);
    assert_eq!(v["step"], "last");
}

/// Command-line values that cannot be used are usage errors (exit 2) before any work: NaN and
/// infinite potentials or pH, an unknown template, sizes and resolutions out of their bounds.
#[test]
fn extreme_option_values_are_usage_errors() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp");
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("d.svg").display().to_string();
    for args in [
        vec!["pathway", samples, "--U", "nan"],
        vec!["pathway", samples, "--U", "inf"],
        vec!["pathway", samples, "--pH", "-inf"],
        vec!["rank", samples, "--pH", "NaN"],
        vec!["pathway", samples, "--template", "foo"],
        vec!["diagram", samples, "-o", &out, "--dpi", "0"],
        vec!["diagram", samples, "-o", &out, "--dpi", "100000"],
        vec!["diagram", samples, "-o", &out, "--width", "60000"],
        vec!["diagram", samples, "-o", &out, "--height", "-5"],
        vec!["diagram", samples, "-o", &out, "--font", "1000000000"],
        vec!["diagram", samples, "-o", &out, "--dpi", "1200"],
    ] {
        let o = chepath().args(&args).output().expect("run");
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    assert!(!dir.path().join("d.svg").exists(), "nothing is drawn");
    // finite extremes are accepted
    let o = chepath()
        .args(["pathway", samples, "--U", "-10", "--pH", "14"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
}

/// A FIFO or a device given as a VASP or network file is refused at once (it would block or
/// never end), and a directory's network.toml that cannot be decoded is an error, not the
/// defaults.
#[test]
fn special_files_and_undecodable_network_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("OUTCAR");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let o = chepath()
            .args(["parse", &fifo.display().to_string()])
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(3));
        assert!(String::from_utf8_lossy(&o.stderr).contains("expected a regular file"));
    }
    let o = chepath()
        .args(["pathway", "/dev/zero"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(3));
    let tree = dir.path().join("tree");
    common::copy_dir(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp")),
        &tree,
    );
    let mut bytes = std::fs::read(tree.join("network.toml")).expect("r");
    bytes.extend_from_slice(b"# caf\xe9\n");
    std::fs::write(tree.join("network.toml"), bytes).expect("w");
    let o = chepath()
        .args(["pathway", &tree.display().to_string()])
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("UTF-8"));
}

/// One damaged byte in a frequency run's `IBRION =` echo must not silently turn it into a
/// relaxation (whose energy would be the last displaced geometry): the run is still read as
/// a frequency run from its dynamical matrix, with a warning naming IBRION.
#[test]
fn a_damaged_ibrion_is_said_and_does_not_move_the_energy() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("tmp");
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_outputs/vasp/CuN4/NO3/freq/OUTCAR.gz"
    );
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(src).expect("open"))
        .read_to_string(&mut text)
        .expect("gunzip");
    let good = dir.path().join("OUTCAR");
    std::fs::write(&good, &text).expect("w");
    let bad = dir.path().join("OUTCAR_damaged");
    assert!(text.contains("IBRION =      5"));
    std::fs::write(&bad, text.replacen("IBRION =      5", "IBRION =      %", 1)).expect("w");
    let json = |p: &std::path::Path| -> serde_json::Value {
        let o = chepath()
            .args(["parse", &p.display().to_string(), "--json"])
            .output()
            .expect("run");
        assert!(o.status.success());
        serde_json::from_slice(&o.stdout).expect("json")
    };
    let (g, b) = (json(&good), json(&bad));
    assert_eq!(g["structure_energy"]["step"], 1);
    assert_eq!(b["structure_energy"]["step"], 1, "still the first step");
    assert_eq!(
        b["structure_energy"]["sigma0"],
        g["structure_energy"]["sigma0"]
    );
    assert!(
        b["warnings"].to_string().contains("IBRION = '%"),
        "{}",
        b["warnings"]
    );
}

/// Issue 18: one damaged byte in a name of the INCAR echo (`EN%UT`, `IS%IN`) dropped the tag
/// without a word, and lint then stated VASP's default (ISPIN = 1) as the file's value. Now
/// `parse` names the line and the missing tag, and lint says "(not printed)".
#[test]
fn a_damaged_name_in_the_incar_echo_is_said() {
    use std::io::Read;
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/sample_outputs/vasp/CuN4/H/OUTCAR"
    );
    let mut text = String::new();
    std::fs::File::open(src)
        .and_then(|mut f| f.read_to_string(&mut text))
        .expect("sample OUTCAR");
    let line = 1 + text[..text.find("   ENCUT  =").expect("ENCUT")]
        .matches('\n')
        .count();
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("OUTCAR");
    std::fs::write(&bad, text.replacen("   ENCUT  =", "   EN%UT  =", 1)).expect("w");
    let o = chepath()
        .args(["parse", &bad.display().to_string(), "--json"])
        .output()
        .expect("run");
    assert!(o.status.success());
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let w = j["warnings"].to_string();
    assert!(
        w.contains(&format!("OUTCAR:{line}: expected 'NAME = value'")),
        "{w}"
    );
    assert!(w.contains("EN%UT") && w.contains("has no ENCUT"), "{w}");
    // the undamaged file has no such warning (the rule does not fire on every OUTCAR)
    let o = chepath()
        .args(["parse", src, "--json"])
        .output()
        .expect("run");
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(
        !j["warnings"].to_string().contains("parameter echo"),
        "{}",
        j["warnings"]
    );
    // lint on a tree with the damaged ISPIN: not "ISPIN = 1"
    let t = tempfile::tempdir().expect("tmp");
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_outputs/vasp");
    common::copy_dir(&samples, t.path());
    std::fs::write(
        t.path().join("CuN4/H/OUTCAR"),
        text.replacen("   ISPIN  =", "   IS%IN  =", 1),
    )
    .expect("w");
    let o = chepath().arg("lint").arg(t.path()).output().expect("run");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("ISPIN = (not printed) in models.CuN4.*H"),
        "{out}"
    );
    assert!(!out.contains("ISPIN = 1 in"), "{out}");
}

/// A calculation directory none of whose files can be read is an error (exit 4), not a
/// summary with an ERROR line and exit 0 (issue 18).
#[test]
fn a_directory_with_only_an_empty_outcar_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("OUTCAR"), "").expect("write");
    chepath()
        .arg("parse")
        .arg(dir.path())
        .assert()
        .code(4)
        .stderr_contains("no file of the calculation could be read");
}

/// A directory's network.toml that cannot be read is an error naming it (exit 3), never the
/// defaults (issue 18: it was ignored, and the tree ran at pH 0 with every Cu selected, exit
/// 0). Root reads any file whatever its mode, so the cases are built as root can meet them: a
/// dangling symlink and a directory of that name; and a file of mode 000, read as the
/// unprivileged `nobody` through setpriv where the tests run as root (as the user otherwise).
/// Each command that reads a tree's network is run; one that fell back to the defaults would
/// exit 0 and fail here (tried on a copy of the source: the old `Err(_) =>` defaults, and a
/// dangling symlink taken for "no network.toml", each make `pathway` exit 0).
#[test]
fn an_unreadable_network_toml_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let tree = dir.path().join("tree");
    common::copy_dir(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp")),
        &tree,
    );
    let network = tree.join("network.toml");
    let named = network.display().to_string();
    // report's output goes where nobody (below) may write too
    let writable = dir.path().join("out");
    std::fs::create_dir(&writable).expect("mkdir");
    std::fs::set_permissions(&writable, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let rep = writable.join("rep").display().to_string();
    let tree_s = tree.display().to_string();
    let commands: [Vec<&str>; 4] = [
        vec!["pathway", &tree_s],
        vec!["rank", &tree_s],
        vec!["lint", &tree_s],
        vec!["report", &tree_s, "-o", &rep],
    ];
    let refused = |runs: &mut dyn FnMut(&[&str]) -> std::process::Output, why: &str| {
        for args in &commands {
            let o = runs(args);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(3), "{why}: {args:?}: {err}");
            assert!(
                err.contains(&named),
                "{why}: {args:?}: names the file: {err}"
            );
        }
    };
    let mut direct = |args: &[&str]| chepath().args(args).output().expect("run");
    std::fs::remove_file(&network).expect("rm");
    std::os::unix::fs::symlink(dir.path().join("nowhere.toml"), &network).expect("symlink");
    refused(&mut direct, "a dangling symlink");
    std::fs::remove_file(&network).expect("rm");
    std::fs::create_dir(&network).expect("mkdir");
    refused(&mut direct, "a directory");
    std::fs::remove_dir(&network).expect("rmdir");
    assert!(!std::path::Path::new(&rep).exists(), "no report written");

    // mode 000: as the user, or as nobody when the tests run as root
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/sample_outputs/vasp/network.toml"
        ),
        &network,
    )
    .expect("copy");
    std::fs::set_permissions(&network, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // the owner of a directory just made is the user the tests run as
    let root =
        std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(dir.path()).expect("stat")) == 0;
    if !root {
        refused(&mut direct, "mode 000");
        return;
    }
    let setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !setpriv {
        eprintln!("NOTICE: running as root without setpriv: the mode-000 case is skipped");
        return;
    }
    // nobody must reach the tree and the binary: open the temporary directory's mode
    for d in [dir.path(), tree.as_path()] {
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let mut as_nobody = |args: &[&str]| {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_chepath"))
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run setpriv")
    };
    // the control: nobody reads the tree when the file may be read
    std::fs::set_permissions(&network, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let o = as_nobody(&["pathway", &tree_s]);
    if o.status.code() != Some(0) {
        eprintln!(
            "NOTICE: nobody cannot run chepath on the tree here ({}): the mode-000 case is skipped",
            String::from_utf8_lossy(&o.stderr).trim()
        );
        return;
    }
    std::fs::set_permissions(&network, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    refused(&mut as_nobody, "mode 000, as nobody");
    assert!(!std::path::Path::new(&rep).exists(), "no report written");
}
