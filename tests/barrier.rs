//! `chepath barrier` on IS/TS/FS and NEB trees built at test time from corpus OUTCARs: the
//! barriers against the E0 values the OUTCARs print (read here with a plain text search,
//! not chepath's reader), the TS's frequency run with one imaginary mode and with none, the
//! VTST freq.dat format, and bad trees.

use crate::common::{self, chepath, Run};
use std::path::{Path, PathBuf};

/// Four relaxations of the same Ni(111)+OH slab (different settings: the linter must say so).
fn oh_dir(corpus: &Path) -> PathBuf {
    corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH")
}

/// The last `energy(sigma->0) =` value printed in an OUTCAR, by text search.
fn printed_e0(outcar: &Path) -> f64 {
    let text = std::fs::read_to_string(outcar).expect("read OUTCAR");
    let line = text
        .lines()
        .rev()
        .find(|l| l.contains("energy(sigma->0) ="))
        .expect("an energy line");
    line.rsplit('=')
        .next()
        .and_then(|v| v.trim().parse().ok())
        .expect("a number")
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn num(v: &serde_json::Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"))
}

/// IS, TS and FS directories in `tmp`, copied from three OH runs.
fn triple(corpus: &Path, tmp: &Path) -> [PathBuf; 3] {
    let oh = oh_dir(corpus);
    let mut out = Vec::new();
    for (label, from) in [
        ("IS", "opt-backup4"),
        ("TS", "scf-backup"),
        ("FS", "dos-backup"),
    ] {
        let d = tmp.join(label);
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::copy(oh.join(from).join("OUTCAR"), d.join("OUTCAR")).expect("copy");
        std::fs::copy(oh.join(from).join("CONTCAR"), d.join("CONTCAR")).expect("copy");
        out.push(d);
    }
    [out[0].clone(), out[1].clone(), out[2].clone()]
}

#[test]
fn a_triple_gives_the_printed_energy_differences() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let [is, ts, fs] = triple(&corpus, tmp.path());
    let e = [is.clone(), ts.clone(), fs.clone()].map(|d| printed_e0(&d.join("OUTCAR")));
    let run = chepath()
        .arg("barrier")
        .args([&is, &ts, &fs])
        .arg("--json")
        .assert()
        .success();
    let v = json(run.get_output());
    assert_eq!(v["kind"], "barrier");
    assert_eq!(v["method"], "IS/TS/FS");
    assert_eq!(v["energy"], "sigma0");
    assert!(
        (num(&v, "forward_barrier") - (e[1] - e[0])).abs() < 1e-9,
        "{v}"
    );
    assert!(
        (num(&v, "reverse_barrier") - (e[1] - e[2])).abs() < 1e-9,
        "{v}"
    );
    assert!(
        (num(&v, "reaction_energy") - (e[2] - e[0])).abs() < 1e-9,
        "{v}"
    );
    assert!(v["initial"]["source"]
        .as_str()
        .unwrap_or("")
        .contains("IS/OUTCAR:"));
    let warnings = v["warnings"].to_string();
    // these three runs are not a real TS search: the TS is below the IS, there is no
    // frequency run, and their ISMEAR and k-points differ
    assert!(warnings.contains("below the IS"), "{warnings}");
    assert!(
        warnings.contains("no frequency run of the TS"),
        "{warnings}"
    );
    assert!(warnings.contains("ISMEAR"), "{warnings}");
    assert!(warnings.contains("kpoints"), "{warnings}");
    // the text form prints the same numbers with their convention
    chepath()
        .arg("barrier")
        .args([&is, &ts, &fs])
        .assert()
        .success()
        .stdout_contains(&format!("forward barrier  {:+.3} eV", e[1] - e[0]))
        .stdout_contains("energy(sigma->0) (E0)");
}

/// `zpe-backup`'s frequency run (6 real modes), its mode `k` turned imaginary when given.
fn freq_run(corpus: &Path, dir: &Path, imaginary: Option<usize>) {
    let text = std::fs::read_to_string(oh_dir(corpus).join("zpe-backup/OUTCAR")).expect("read");
    let text = match imaginary {
        Some(k) => {
            let from = format!("{k:>4} f  =");
            assert!(text.contains(&from), "mode {k} line");
            text.replacen(&from, &format!("{k:>4} f/i="), 1)
        }
        None => text,
    };
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("OUTCAR"), text).expect("write");
}

#[test]
fn the_ts_frequency_run_is_checked_and_zpe_corrects() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let [is, ts, fs] = triple(&corpus, tmp.path());
    // one imaginary mode (the 226.8 cm-1 one, mode 6) in the TS, all real in IS and FS
    freq_run(&corpus, &ts.join("freq"), Some(6));
    let run = chepath()
        .arg("barrier")
        .args([&is, &ts, &fs])
        .arg("--json")
        .assert()
        .success();
    let v = json(run.get_output());
    assert_eq!(v["ts_check"]["ok"], true, "{v}");
    let imag = v["ts_check"]["imaginary_cm1"][0]
        .as_f64()
        .expect("one mode");
    assert!((imag - 226.8).abs() < 0.1, "{imag}");
    assert!(
        v["zpe_corrected"].is_null(),
        "IS and FS have no frequency runs"
    );
    assert!(v["warnings"]
        .to_string()
        .contains("frequency runs of IS and FS are missing"));
    // with IS and FS frequency runs: ZPE = Σ ½hν̃ of real modes, by hand from the printed cm-1
    freq_run(&corpus, &is.join("freq"), None);
    freq_run(&corpus, &fs.join("freq"), None);
    let modes = [3685.330914, 524.895187, 518.886662, 409.4, 235.2, 226.8];
    let run = chepath()
        .arg("barrier")
        .args([&is, &ts, &fs])
        .arg("--json")
        .assert()
        .success();
    let v = json(run.get_output());
    let z = &v["zpe_corrected"];
    let zpe_is = z["zpe"][0].as_f64().expect("zpe");
    let zpe_ts = z["zpe"][1].as_f64().expect("zpe");
    // 1 cm-1 = 1.239842e-4 eV
    let all: f64 = modes.iter().sum::<f64>() * 0.5 * 1.239842e-4;
    assert!((zpe_is - all).abs() < 2e-4, "{zpe_is} vs {all}");
    assert!(
        (zpe_is - zpe_ts - 0.5 * 226.8 * 1.239842e-4).abs() < 2e-4,
        "the TS's imaginary mode is left out"
    );
    let fb = num(&v, "forward_barrier");
    assert!((z["forward_barrier"].as_f64().expect("f") - (fb + zpe_ts - zpe_is)).abs() < 1e-9);
    // none imaginary: warned
    freq_run(&corpus, &ts.join("freq"), None);
    chepath()
        .arg("barrier")
        .args([&is, &ts, &fs])
        .assert()
        .success()
        .stdout_contains("NOT a first-order saddle")
        .stdout_contains("no imaginary mode");
}

#[test]
fn a_vtst_freq_dat_names_the_ts_modes() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let [is, ts, fs] = triple(&corpus, tmp.path());
    let dat = tmp.path().join("freq.dat");
    std::fs::write(
        &dat,
        "  3685.330914 cm^{-1} ... 0\n   524.895187 cm^{-1} ... 0\n   431.250000 cm^{-1} ... 1\n",
    )
    .expect("write");
    let run = chepath()
        .arg("barrier")
        .args([&is, &ts, &fs])
        .arg("--freq")
        .arg(&dat)
        .arg("--json")
        .assert()
        .success();
    let v = json(run.get_output());
    assert_eq!(v["ts_check"]["imaginary_cm1"], serde_json::json!([431.25]));
    assert_eq!(v["ts_check"]["ok"], true);
    std::fs::write(&dat, "  3685.33 cm^{-1} ... 0\n  garbage line\n").expect("write");
    chepath()
        .arg("barrier")
        .args([&is, &ts, &fs])
        .arg("--freq")
        .arg(&dat)
        .assert()
        .code(4)
        .stderr_contains("freq.dat")
        .stderr_contains("freq.dat:2:");
}

#[test]
fn a_neb_run_takes_its_highest_image() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let neb = tmp.path().join("neb");
    let oh = oh_dir(&corpus);
    // image energies (printed E0): opt -386.689, scf -386.696, zpe (first step), dos -387.039
    let order = ["scf-backup", "opt-backup4", "zpe-backup", "dos-backup"];
    let mut e = Vec::new();
    for (i, from) in order.iter().enumerate() {
        let d = neb.join(format!("{i:02}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::copy(oh.join(from).join("OUTCAR"), d.join("OUTCAR")).expect("copy");
        e.push(printed_e0(&d.join("OUTCAR")));
    }
    std::fs::write(
        neb.join("INCAR"),
        "IMAGES = 2\nLCLIMB = .TRUE.\nSPRING = -5\n",
    )
    .expect("INCAR");
    let run = chepath()
        .arg("barrier")
        .arg(&neb)
        .arg("--json")
        .assert()
        .success();
    let v = json(run.get_output());
    assert_eq!(v["method"], "NEB");
    assert_eq!(v["climbing_image"], true);
    let imgs = v["images"].as_array().expect("images");
    assert_eq!(imgs.len(), 4);
    // the zpe-backup run is a frequency run: chepath takes its first step, not the last one
    // the text search finds; the two inner images' energies decide the TS
    let inner: Vec<f64> = imgs[1..3]
        .iter()
        .map(|i| i["energy"].as_f64().expect("e"))
        .collect();
    let top = if inner[0] >= inner[1] { 1 } else { 2 };
    assert_eq!(v["highest_image"], top);
    assert!((imgs[1]["energy"].as_f64().expect("e") - e[1]).abs() < 1e-9);
    assert!((num(&v, "reaction_energy") - (e[3] - e[0])).abs() < 1e-9);
    let ts = imgs[top]["energy"].as_f64().expect("e");
    assert!((num(&v, "forward_barrier") - (ts - e[0])).abs() < 1e-9);
    // IMAGES disagreeing with the directories is said
    std::fs::write(neb.join("INCAR"), "IMAGES = 5\n").expect("INCAR");
    chepath()
        .arg("barrier")
        .arg(&neb)
        .assert()
        .success()
        .stdout_contains("IMAGES = 5 but there are 2 image directories")
        .stdout_contains("VTST's default is on");
    // a gap in the numbering is refused
    std::fs::rename(neb.join("02"), neb.join("05")).expect("rename");
    chepath()
        .arg("barrier")
        .arg(&neb)
        .assert()
        .code(4)
        .stderr_contains("image 02 is missing");
}

#[test]
fn bad_barrier_inputs_are_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    chepath()
        .args(["barrier", "/no/such/IS", "/no/such/TS", "/no/such/FS"])
        .assert()
        .code(3)
        .stderr_contains("/no/such/IS");
    chepath()
        .arg("barrier")
        .arg(tmp.path())
        .assert()
        .code(4)
        .stderr_contains("expected a NEB run");
    chepath()
        .arg("barrier")
        .args([tmp.path(), tmp.path()])
        .assert()
        .code(2)
        .stderr_contains("three paths");
    chepath()
        .args(["barrier", "a", "b", "c", "--energy", "free"])
        .assert()
        .code(2)
        .stderr_contains("'sigma0' or 'toten'");
}
