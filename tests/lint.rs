//! `chepath lint`: the clean (generated) samples pass; one planted mistake per check is
//! caught, by that check, naming the planted file.

use crate::common::{self, chepath, Run};

use chepath::checks::lint::{lint_network, LintReport, Severity};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_outputs/vasp")
}

/// One model (CuN4) and the gas references of the samples, with the samples' network.toml
/// cut down to that model.
fn clean_tree() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    common::copy_dir(&samples().join("gas"), &t.path().join("gas"));
    common::copy_dir(&samples().join("CuN4"), &t.path().join("CuN4"));
    let net = std::fs::read_to_string(samples().join("network.toml")).unwrap();
    let head = net.split("\n[dband.").next().unwrap();
    std::fs::write(
        t.path().join("network.toml"),
        format!("{head}\n[dband.CuN4]\npath = \"CuN4/dos\"\natoms = \"Cu@N4\"\n"),
    )
    .unwrap();
    t
}

fn lint(root: &Path) -> LintReport {
    let l = chepath::load::load(root, None).unwrap();
    lint_network(&l.file, &l.dataset)
}

fn edit(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{}: no '{from}'", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// Replace the last occurrence.
fn edit_last(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    let k = s.rfind(from).unwrap_or_else(|| panic!("no '{from}'"));
    std::fs::write(path, format!("{}{to}{}", &s[..k], &s[k + from.len()..])).unwrap();
}

fn gunzip_in_place(dir: &Path) -> PathBuf {
    let gz = dir.join("OUTCAR.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    std::fs::remove_file(&gz).unwrap();
    let plain = dir.join("OUTCAR");
    std::fs::File::create(&plain)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    plain
}

#[test]
fn clean_samples_pass() {
    let r = lint(&samples());
    assert!(r.calculations > 90, "{}", r.calculations);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    chepath()
        .args(["lint"])
        .arg(samples())
        .assert()
        .code(0)
        .stdout_contains("0 error(s), 0 warning(s): clean");
}

/// Plant one mistake, lint, and return the findings of the expected check (and assert no
/// other check fired).
fn planted(check: &str, plant: impl FnOnce(&Path)) -> Vec<chepath::checks::lint::Finding> {
    let t = clean_tree();
    assert!(
        lint(t.path()).findings.is_empty(),
        "the clean copy must pass"
    );
    plant(t.path());
    let r = lint(t.path());
    let others: Vec<_> = r.findings.iter().filter(|f| f.check != check).collect();
    assert!(
        others.is_empty(),
        "{check}: other checks fired: {others:#?}"
    );
    let mine: Vec<_> = r
        .findings
        .into_iter()
        .filter(|f| f.check == check)
        .collect();
    assert!(
        !mine.is_empty(),
        "{check}: the planted mistake was not caught"
    );
    for f in &mine {
        assert!(!f.files.is_empty() && !f.fix.is_empty() && !f.message.is_empty());
    }
    mine
}

#[test]
fn parameters_encut() {
    let f = planted("parameters", |r| {
        edit(
            &r.join("CuN4/NO3/OUTCAR"),
            "ENCUT  =  500.0",
            "ENCUT  =  450.0",
        )
    });
    assert_eq!(f[0].severity, Severity::Error);
    assert!(
        f[0].message.contains("ENCUT = 450 in models.CuN4.*NO3"),
        "{}",
        f[0].message
    );
    assert!(
        f[0].files.iter().all(|p| p.ends_with("CuN4/NO3/OUTCAR")),
        "{:?}",
        f[0].files
    );
    assert!(f[0].fix.contains("ENCUT = 500"));
}

#[test]
fn parameters_ispin_within_a_model() {
    let f = planted("parameters", |r| {
        edit(
            &r.join("CuN4/NH3/OUTCAR"),
            "ISPIN  =      2",
            "ISPIN  =      1",
        )
    });
    assert_eq!(f[0].subject, "models.CuN4");
    assert!(f[0].message.contains("ISPIN"));
}

#[test]
fn parameters_ivdw() {
    let f = planted("parameters", |r| {
        edit(
            &r.join("gas/H2O/OUTCAR"),
            "IVDW    =    12",
            "IVDW    =    11",
        )
    });
    assert!(
        f[0].message.contains("IVDW = 11 in references.H2O"),
        "{}",
        f[0].message
    );
}

#[test]
fn potcar() {
    let f = planted("potcar", |r| {
        let p = r.join("CuN4/NO2/OUTCAR");
        let s = std::fs::read_to_string(&p).unwrap();
        let title = s
            .lines()
            .find(|l| l.contains("TITEL") && l.contains(" N "))
            .unwrap()
            .to_string();
        std::fs::write(&p, s.replace(&title, &title.replace(" N ", " N_s "))).unwrap();
    });
    assert_eq!(f[0].subject, "element N");
    assert!(f[0].files.iter().any(|p| p.ends_with("CuN4/NO2/OUTCAR")));
}

#[test]
fn kpoints() {
    let f = planted("kpoints", |r| {
        edit(
            &r.join("CuN4/NH/OUTCAR"),
            "NKPTS =      1",
            "NKPTS =      4",
        )
    });
    assert!(
        f[0].message.contains("4 irreducible k-points for *NH"),
        "{}",
        f[0].message
    );
}

#[test]
fn relaxation() {
    let f = planted("relaxation", |r| {
        edit(
            &r.join("CuN4/NOH/OUTCAR"),
            " reached required accuracy - stopping structural energy minimisation",
            "",
        )
    });
    assert_eq!(f[0].subject, "models.CuN4.*NOH");
}

#[test]
fn electronic() {
    let f = planted("electronic", |r| {
        edit_last(
            &r.join("CuN4/N/OUTCAR"),
            "aborting loop because EDIFF is reached",
            "aborting loop EDIFF was not reached (unconverged)",
        )
    });
    assert_eq!(f[0].subject, "models.CuN4.*N");
}

#[test]
fn finished() {
    let f = planted("finished", |r| {
        edit(
            &r.join("CuN4/NH2/OUTCAR"),
            " General timing and accounting",
            " (cut)",
        )
    });
    assert_eq!(f[0].severity, Severity::Warning);
}

#[test]
fn imaginary_modes() {
    let f = planted("imaginary-modes", |r| {
        let p = gunzip_in_place(&r.join("CuN4/NO3/freq"));
        let s = std::fs::read_to_string(&p).unwrap();
        // The last (softest) real mode becomes imaginary.
        let k = s.rfind("f  =").unwrap();
        std::fs::write(&p, format!("{}f/i={}", &s[..k], &s[k + 4..])).unwrap();
    });
    assert!(
        f[0].message.contains("1 imaginary mode(s)"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].subject, "models.CuN4.*NO3 (freq)");
}

#[test]
fn zpe_of_the_wrong_adsorbate() {
    // *H's frequency run replaced by *NH2OH's: 15 modes for a 1-atom adsorbate.
    let f = planted("zpe", |r| {
        std::fs::remove_dir_all(r.join("CuN4/H/freq")).unwrap();
        common::copy_dir(&r.join("CuN4/NH2OH/freq"), &r.join("CuN4/H/freq"));
    });
    assert!(
        f[0].message.contains("15 modes for a 1-atom adsorbate"),
        "{}",
        f[0].message
    );
}

#[test]
fn dos_from_a_relaxation() {
    let f = planted("dos-source", |r| {
        std::fs::rename(r.join("CuN4/dos/DOSCAR.gz"), r.join("CuN4/slab/DOSCAR.gz")).unwrap();
        std::fs::remove_dir_all(r.join("CuN4/dos")).unwrap();
        edit(
            &r.join("network.toml"),
            "path = \"CuN4/dos\"",
            "path = \"CuN4/slab\"",
        );
    });
    assert!(f[0].message.contains("IBRION = 2"), "{}", f[0].message);
}

#[test]
fn cell() {
    let f = planted("cell", |r| {
        let p = r.join("CuN4/NO/CONTCAR");
        let s = std::fs::read_to_string(&p).unwrap();
        let mut lines: Vec<String> = s.lines().map(String::from).collect();
        // The third lattice vector (vacuum) 0.5 Å longer.
        let z: Vec<f64> = lines[4]
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        lines[4] = format!("  {:.16} {:.16} {:.16}", z[0], z[1], z[2] + 0.5);
        std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    });
    assert!(f[0].message.contains("0.5000 Å"), "{}", f[0].message);
    assert_eq!(f[0].subject, "models.CuN4.*NO");
}

#[test]
fn composition_of_a_copied_directory() {
    // *NO3's directory holds *NO2's relaxation.
    let f = planted("composition", |r| {
        std::fs::copy(r.join("CuN4/NO2/OUTCAR"), r.join("CuN4/NO3/OUTCAR")).unwrap();
    });
    assert!(f[0].message.contains("plus NO3"), "{}", f[0].message);
    assert_eq!(f[0].subject, "models.CuN4.*NO3");
}

#[test]
fn exit_codes_and_pathway_show_the_findings() {
    let t = clean_tree();
    edit(
        &t.path().join("CuN4/NO3/OUTCAR"),
        "ENCUT  =  500.0",
        "ENCUT  =  450.0",
    );
    edit(
        &t.path().join("CuN4/NH2/OUTCAR"),
        " General timing and accounting",
        " (cut)",
    );
    let out = chepath()
        .args(["lint", "--json"])
        .arg(t.path())
        .assert()
        .code(7)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["kind"], "lint");
    assert_eq!(v["findings"].as_array().unwrap().len(), 2);
    // Only the warning left: 0 without --strict, 7 with.
    edit(
        &t.path().join("CuN4/NO3/OUTCAR"),
        "ENCUT  =  450.0",
        "ENCUT  =  500.0",
    );
    chepath().arg("lint").arg(t.path()).assert().code(0);
    chepath()
        .args(["lint", "--strict"])
        .arg(t.path())
        .assert()
        .code(7);
    // pathway prints the same finding among its warnings.
    chepath()
        .arg("pathway")
        .arg(t.path())
        .assert()
        .success()
        .stdout_contains("lint finished (warning)");
}

/// An OSZICAR beside the OUTCAR from another run: its last E0 differs (printed with 8
/// significant digits, so 1 meV is beyond its precision).
#[test]
fn energy_files() {
    let f = planted("energy-files", |r| {
        let dir = r.join("CuN4/NO2");
        let o = vasp_parsers::read_outcar(&dir.join("OUTCAR")).expect("sample OUTCAR");
        let mut text = String::new();
        for s in &o.ionic_steps {
            let shift = if s.index == o.ionic_steps.len() {
                0.001
            } else {
                0.0
            };
            text += &format!(
                "{:4} F= {:.8E} E0= {:.8E}  d E =0.0\n",
                s.index,
                s.energy.toten + shift,
                s.energy.sigma0 + shift
            );
        }
        std::fs::write(dir.join("OSZICAR"), text).expect("w");
    });
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].subject, "models.CuN4.*NO2");
    assert!(f[0].message.contains("OSZICAR"), "{}", f[0].message);
    assert_eq!(f[0].severity, Severity::Error);
}

/// The same OSZICAR without the shift agrees: no finding (the check is not a tripwire).
#[test]
fn energy_files_that_agree_pass() {
    let t = clean_tree();
    let dir = t.path().join("CuN4/NO2");
    let o = vasp_parsers::read_outcar(&dir.join("OUTCAR")).expect("sample OUTCAR");
    let mut text = String::new();
    for s in &o.ionic_steps {
        text += &format!(
            "{:4} F= {:.8E} E0= {:.8E}  d E =0.0\n",
            s.index, s.energy.toten, s.energy.sigma0
        );
    }
    std::fs::write(dir.join("OSZICAR"), text).expect("w");
    assert!(lint(t.path()).findings.is_empty());
}

/// A structure file that cannot be read leaves the cell and composition checks out for that
/// calculation: said as a warning naming the file (a "clean" lint would be untrue), and
/// shown by `pathway`, whose numbers do not depend on it.
#[test]
fn an_unreadable_structure_is_said() {
    let f = planted("cell", |r| {
        std::fs::write(r.join("CuN4/H/CONTCAR"), "not a structure\n1.0\n").expect("w")
    });
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].subject, "models.CuN4.*H");
    assert!(
        f[0].files[0].ends_with("CuN4/H/CONTCAR"),
        "{:?}",
        f[0].files
    );
    assert!(
        f[0].message.contains("cannot be read") && f[0].message.contains("cell and composition"),
        "{}",
        f[0].message
    );
    // A structure file over the size bound (sparse: nothing is written) is refused unread.
    let t = clean_tree();
    let big = std::fs::File::create(t.path().join("CuN4/NO3/CONTCAR")).expect("create");
    big.set_len(300 << 20).expect("sparse file");
    chepath()
        .arg("pathway")
        .arg(t.path())
        .assert()
        .success()
        .stdout_contains("lint cell (warning): models.CuN4.*NO3: cannot be read")
        .stdout_contains("at most 256 MiB");
}

/// An OSZICAR beside an OUTCAR that cannot be read: the OUTCAR's energy is used, the two
/// are not compared, and lint says so.
#[test]
fn an_unreadable_oszicar_beside_an_outcar_is_said() {
    let f = planted("energy-files", |r| {
        std::fs::write(r.join("CuN4/NO2/OSZICAR"), [0xffu8, 0xfe, b'\n', b'x']).expect("w")
    });
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(
        f[0].files[0].ends_with("CuN4/NO2/OSZICAR"),
        "{:?}",
        f[0].files
    );
    assert!(f[0].message.contains("not compared"), "{}", f[0].message);
}
