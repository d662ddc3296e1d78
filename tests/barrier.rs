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
    let e = [is.clone(), ts.clone(), fs.clone()].map(|d| common::printed_e0(&d.join("OUTCAR")));
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
        e.push(common::printed_e0(&d.join("OUTCAR")));
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

// --- the energy profile (issue 17, item 4) ------------------------------------------------
// NEB trees written here, without the corpus: small OUTCARs in the layout of
// tests/fixtures/relax/OUTCAR (one converged ionic step with a POSITION/TOTAL-FORCE block)
// and CONTCARs with known positions, so distances, tangent forces and the spline can be
// computed by hand below.

/// The cell of the test images (rows, Å): orthorhombic, so the minimum image is by hand.
const CELL: [f64; 3] = [6.0, 6.0, 10.0];

/// Fractional positions of image `k` of 5: atom 1 fixed, atom 2 moving +0.075 in x (across
/// the cell's boundary between images 02 and 03: 0.85 … 1.15, written wrapped into [0, 1))
/// and +0.02 in y per image.
fn frac(k: usize) -> [[f64; 3]; 2] {
    let x = 0.85 + 0.075 * k as f64;
    [[0.1, 0.1, 0.5], [x - x.floor(), 0.5 + 0.02 * k as f64, 0.5]]
}

/// One image's OUTCAR: E0 = `e0`, the TOTAL-FORCE block when `forces` is given, VTST's
/// `NEB: projections on to tangent (spring, REAL)` line with `vtst` as REAL. That line's
/// format: two numbers after the parenthesis, as VTST's nebbarrier.pl (last field) and
/// pymatgen's Outcar.read_neb (the number after the first) read it; checked against their
/// source with the code search.
fn image_outcar(k: usize, e0: f64, forces: Option<[[f64; 3]; 2]>, vtst: Option<f64>) -> String {
    let mut s = String::from(
        " vasp.5.4.4.18Apr17-6-g9f103f2a35 (build Dec 15 2018 21:27:11) complex\n\n POTCAR:    PAW_PBE H 15Jun2001\n   VRHFIN =H: ultrasoft test\n   TITEL  = PAW_PBE H 15Jun2001\n\n Dimension of arrays:\n   number of dos      NEDOS =    301   number of ions     NIONS =      2\n   ions per type =               2\n\n Startparameter for this run:\n   ISPIN  =      1    spin polarized calculation?\n   ENCUT  =  400.0 eV  29.40 Ry    5.42 a.u.\n   NELM   =     60;   NELMIN=  2; NELMDL= -5     # of ELM steps\n   EDIFF  = 0.1E-04   stopping-criterion for ELM\n   EDIFFG = -.5E-01   stopping-criterion for IOM\n   NSW    =    100    number of steps for IOM\n   IBRION =      3    ionic relax: 0-MD 1-quasi-New 2-CG\n   ISMEAR =     0;   SIGMA  =   0.05  broadening in eV -4-tet -1-fermi 0-gaus\n\n----------------------------------------- Iteration    1(   1)  ---------------------------------------\n E-fermi :  -2.1234     XC(G=0):  -6.1464     alpha+bet : -6.5347\n------------------------ aborting loop because EDIFF is reached ----------------------------------------\n\n",
    );
    if let Some(f) = forces {
        s += " POSITION                                       TOTAL-FORCE (eV/Angst)\n -----------------------------------------------------------------------------------\n";
        for (p, f) in frac(k).iter().zip(f) {
            // Cartesian, unwrapped (as VASP prints the positions it moved)
            let x = (0.85 + 0.075 * k as f64) * CELL[0];
            let c = if p[0] == 0.1 { 0.1 * CELL[0] } else { x };
            s += &format!(
                "  {:>11.5}  {:>11.5}  {:>11.5}     {:>12.6}  {:>12.6}  {:>12.6}\n",
                c,
                p[1] * CELL[1],
                p[2] * CELL[2],
                f[0],
                f[1],
                f[2]
            );
        }
        s += " -----------------------------------------------------------------------------------\n    total drift:                                0.000000      0.000000      0.000000\n\n";
    }
    if let Some(v) = vtst {
        s += &format!(
            "  NEB: projections on to tangent (spring, REAL)  {:>11.6}  {v:>11.6}\n",
            0.0012
        );
    }
    s += &format!("  FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)\n  ---------------------------------------------------\n  free  energy   TOTEN  =      {e0:>16.8} eV\n\n  energy  without entropy=     {e0:>16.8}  energy(sigma->0) =     {e0:>16.8}\n\n");
    s += " reached required accuracy - stopping structural energy minimisation\n\n General timing and accounting informations for this job:\n";
    s
}

fn contcar(k: usize) -> String {
    let mut s = format!(
        "H2 test image {k}\n   1.0\n   {:.10}   0.0   0.0\n   0.0   {:.10}   0.0\n   0.0   0.0   {:.10}\n   H\n   2\nDirect\n",
        CELL[0], CELL[1], CELL[2]
    );
    for p in frac(k) {
        s += &format!("  {:.10}  {:.10}  {:.10}\n", p[0], p[1], p[2]);
    }
    s
}

/// Image energies (E0, eV) of the test path: relative 0, 0.30, 0.55, 0.40, −0.20.
const E0: [f64; 5] = [-10.0, -9.7, -9.45, -9.6, -10.2];
/// VTST's REAL tangent forces of images 01–03 (eV/Å): uphill, still uphill at the highest
/// image (so the spline's maximum lies past it), downhill.
const VTST: [f64; 3] = [-0.5, -0.1, 0.6];
/// The forces of image 04 (an end point with a TOTAL-FORCE block): projected on its tangent.
const F4: [[f64; 3]; 2] = [[5.0, 5.0, 5.0], [0.2, -0.1, 0.3]];

/// A NEB tree of five images; `vtst` writes VTST's lines into 01–03, else their forces
/// blocks are `forces(k)`.
fn neb_tree(dir: &Path, vtst: bool, forces: impl Fn(usize) -> [[f64; 3]; 2]) {
    for k in 0..5 {
        let d = dir.join(format!("{k:02}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        let (f, v) = match k {
            0 => (None, None),
            4 => (Some(F4), None),
            _ if vtst => (Some(forces(k)), Some(VTST[k - 1])),
            _ => (Some(forces(k)), None),
        };
        std::fs::write(d.join("OUTCAR"), image_outcar(k, E0[k], f, v)).expect("OUTCAR");
        std::fs::write(d.join("CONTCAR"), contcar(k)).expect("CONTCAR");
    }
    std::fs::write(dir.join("INCAR"), "IMAGES = 3\nLCLIMB = .TRUE.\n").expect("INCAR");
}

/// The displacement of atom 2 between consecutive images, Å, by hand (unwrapped: +0.075
/// and +0.02 of the cell in x and y); atom 1 does not move.
fn step() -> [f64; 2] {
    [0.075 * CELL[0], 0.02 * CELL[1]]
}

/// The cubic a + b·s + c·s² + d·s³ with the values `e` and slopes `m` at `s0`, `s1`,
/// solved as a 4×4 linear system (what ASE's fit_raw does), by Gaussian elimination.
fn cubic(s0: f64, s1: f64, e: [f64; 2], m: [f64; 2]) -> [f64; 4] {
    let mut a = [
        [1.0, s0, s0 * s0, s0 * s0 * s0, e[0]],
        [1.0, s1, s1 * s1, s1 * s1 * s1, e[1]],
        [0.0, 1.0, 2.0 * s0, 3.0 * s0 * s0, m[0]],
        [0.0, 1.0, 2.0 * s1, 3.0 * s1 * s1, m[1]],
    ];
    for c in 0..4 {
        let p = (c..4)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .expect("pivot");
        a.swap(c, p);
        let pivot = a[c];
        for (r, row) in a.iter_mut().enumerate() {
            if r != c {
                let f = row[c] / pivot[c];
                for (x, p) in row.iter_mut().zip(pivot).skip(c) {
                    *x -= f * p;
                }
            }
        }
    }
    [0, 1, 2, 3].map(|i| a[i][4] / a[i][i])
}

fn floats(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .iter()
        .map(|x| x.as_f64().unwrap_or_else(|| panic!("a number: {x}")))
        .collect()
}

#[test]
fn a_neb_profile_has_the_path_the_vtst_forces_and_the_spline() {
    let tmp = tempfile::tempdir().expect("tmp");
    let neb = tmp.path().join("neb");
    neb_tree(&neb, true, |_| [[9.0, 9.0, 9.0], [9.0, 9.0, 9.0]]);
    let run = chepath()
        .arg("barrier")
        .arg(&neb)
        .arg("--json")
        .assert()
        .success();
    let v = json(run.get_output());
    let p = &v["profile"];
    // the reaction coordinate: k steps of √(Δx² + Δy²), the wrapped atom by its nearest image
    let [dx, dy] = step();
    let d = (dx * dx + dy * dy).sqrt();
    let r = floats(&p["coordinate"]);
    assert_eq!(p["coordinate_unit"], "Å");
    for (k, rk) in r.iter().enumerate() {
        assert!(
            (rk - k as f64 * d).abs() < 1e-6,
            "r[{k}] = {rk}, by hand {}",
            k as f64 * d
        );
    }
    // tangent forces: 00 has no forces (0), 01–03 VTST's REAL values (not the TOTAL-FORCE
    // blocks, which are NEB forces under VTST), 04 its forces on its tangent (atom 2's step)
    let f = floats(&p["tangent_force"]);
    let f4 = (F4[1][0] * dx + F4[1][1] * dy) / d;
    let want = [0.0, VTST[0], VTST[1], VTST[2], f4];
    for k in 0..5 {
        assert!(
            (f[k] - want[k]).abs() < 1e-6,
            "F[{k}] = {}, expected {}",
            f[k],
            want[k]
        );
    }
    assert_eq!(p["force_source"], "vtst");
    assert!(p["force_sources"][0]
        .as_str()
        .unwrap_or("")
        .starts_with("end point: 0"));
    assert!(p["force_sources"][4]
        .as_str()
        .unwrap_or("")
        .starts_with("projected"));
    // the spline: a cubic per segment through the energies with slopes −F, by hand
    let e: Vec<f64> = E0.iter().map(|x| x - E0[0]).collect();
    let cubics: Vec<[f64; 4]> = (1..5)
        .map(|k| {
            let (s0, s1) = (k as f64 * d - d, k as f64 * d);
            cubic(s0, s1, [e[k - 1], e[k]], [-want[k - 1], -want[k]])
        })
        .collect();
    let at = |s: f64| {
        let k = ((s / d).floor() as usize).min(3);
        let c = cubics[k];
        c[0] + s * (c[1] + s * (c[2] + s * c[3]))
    };
    let sx = floats(&p["spline_coordinate"]);
    let sy = floats(&p["spline_energy"]);
    assert_eq!(sx.len(), 4 * 20 + 1);
    for (x, y) in sx.iter().zip(&sy) {
        assert!(
            (at(*x) - y).abs() < 1e-6,
            "spline at {x}: {y}, by hand {}",
            at(*x)
        );
    }
    for k in 0..5 {
        assert!(
            (sy[20 * k] - e[k]).abs() < 1e-9,
            "the spline passes through image {k}"
        );
    }
    // its maximum, by dense sampling of the hand cubics: past image 02, above it
    let n = 400_000;
    let (mut best, mut best_at) = (f64::MIN, 0.0);
    for i in 0..=n {
        let s = 4.0 * d * i as f64 / n as f64;
        if at(s) > best {
            (best, best_at) = (at(s), s);
        }
    }
    let sm = num(p, "spline_max");
    assert!((sm - best).abs() < 1e-6, "spline_max {sm}, by hand {best}");
    assert!((num(p, "spline_max_at") - best_at).abs() < 1e-3);
    assert!(best_at > 2.0 * d && sm > e[2] + 1e-3, "{best_at} {sm}");
    assert!((num(p, "spline_reverse") - (sm - e[4])).abs() < 1e-9);
    // the existing keys are unchanged: the highest image's barrier
    assert!((num(&v, "forward_barrier") - e[2]).abs() < 1e-9);
    assert_eq!(v["highest_image"], 2);
}

#[test]
fn without_vtst_lines_the_forces_are_projected_on_the_tangent() {
    let tmp = tempfile::tempdir().expect("tmp");
    let neb = tmp.path().join("neb");
    let forces = |k: usize| [[1.0, -2.0, 3.0], [-0.3 + 0.2 * k as f64, 0.15, -0.4]];
    neb_tree(&neb, false, forces);
    let run = chepath()
        .arg("barrier")
        .arg(&neb)
        .arg("--json")
        .assert()
        .success();
    let v = json(run.get_output());
    let p = &v["profile"];
    assert_eq!(p["force_source"], "projected");
    // inner images: the central-difference tangent (two equal steps: atom 2's step again),
    // so F·τ̂ = (Fx·Δx + Fy·Δy)/|Δ| of atom 2; atom 1 does not move
    let [dx, dy] = step();
    let d = (dx * dx + dy * dy).sqrt();
    let f = floats(&p["tangent_force"]);
    for (k, fk) in f.iter().enumerate().take(4).skip(1) {
        let fa = forces(k)[1];
        let want = (fa[0] * dx + fa[1] * dy) / d;
        assert!((fk - want).abs() < 1e-6, "F[{k}] = {fk}, by hand {want}");
    }
    assert!(p["spline_max"].as_f64().is_some());
}

#[test]
fn plot_writes_the_profile_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().expect("tmp");
    let neb = tmp.path().join("neb");
    neb_tree(&neb, true, |_| [[0.0; 3]; 2]);
    let svg = tmp.path().join("profile.svg");
    chepath()
        .arg("barrier")
        .arg(&neb)
        .arg("--plot")
        .arg(&svg)
        .assert()
        .success()
        .stderr_contains("wrote");
    let text = std::fs::read_to_string(&svg).expect("the SVG");
    assert!(text.starts_with("<svg"), "{}", &text[..text.len().min(80)]);
    let e = E0[2] - E0[0];
    for needle in [
        format!("forward barrier {e:.3} eV"),
        format!("reverse barrier {:.3} eV", E0[2] - E0[4]),
        "spline maximum".to_string(),
        "reaction coordinate (Å)".to_string(),
        "E − E(00) (eV)".to_string(),
        "climbing image".to_string(),
    ] {
        assert!(text.contains(&needle), "the SVG does not say {needle:?}");
    }
    // an existing file is kept without --force (as `diagram -o`), replaced with it
    std::fs::write(&svg, "mine").expect("write");
    chepath()
        .arg("barrier")
        .arg(&neb)
        .arg("--plot")
        .arg(&svg)
        .assert()
        .code(3)
        .stderr_contains("exists; chepath does not overwrite files: pass --force");
    assert_eq!(std::fs::read_to_string(&svg).expect("read"), "mine");
    let png = tmp.path().join("profile.PNG");
    chepath()
        .arg("barrier")
        .arg(&neb)
        .args(["--force", "--plot"])
        .arg(&svg)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&svg)
        .expect("read")
        .starts_with("<svg"));
    chepath()
        .arg("barrier")
        .arg(&neb)
        .arg("--plot")
        .arg(&png)
        .assert()
        .success();
    let bytes = std::fs::read(&png).expect("the PNG");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // a missing directory is said with what to do (as `diagram -o`)
    chepath()
        .arg("barrier")
        .arg(&neb)
        .arg("--plot")
        .arg(tmp.path().join("no/such/dir/p.svg"))
        .assert()
        .code(3)
        .stderr_contains("does not exist");
    // any other extension is a usage error, before any work
    let pdf = tmp.path().join("profile.pdf");
    chepath()
        .arg("barrier")
        .arg(&neb)
        .arg("--plot")
        .arg(&pdf)
        .assert()
        .code(2)
        .stderr_contains(".svg or .png");
    assert!(!pdf.exists());
}

#[test]
fn an_is_ts_fs_profile_has_no_spline() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dirs: Vec<PathBuf> = ["IS", "TS", "FS"]
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let d = tmp.path().join(l);
            std::fs::create_dir_all(&d).expect("mkdir");
            let k = 2 * i;
            let k = k.min(4);
            std::fs::write(
                d.join("OUTCAR"),
                image_outcar(k, E0[k], Some([[0.0; 3]; 2]), None),
            )
            .expect("OUTCAR");
            std::fs::write(d.join("CONTCAR"), contcar(k)).expect("CONTCAR");
            d
        })
        .collect();
    let svg = tmp.path().join("triple.svg");
    let run = chepath()
        .arg("barrier")
        .args(&dirs)
        .arg("--plot")
        .arg(&svg)
        .arg("--json")
        .assert()
        .success();
    let v = json(run.get_output());
    let p = &v["profile"];
    assert!(p["spline_max"].is_null(), "{p}");
    assert_eq!(p["force_source"], "none");
    // two steps of atom 2 between IS (image 0), TS (2) and FS (4)
    let [dx, dy] = step();
    let d = (dx * dx + dy * dy).sqrt();
    let r = floats(&p["coordinate"]);
    assert!((r[2] - 4.0 * d).abs() < 1e-6, "{r:?}");
    let text = std::fs::read_to_string(&svg).expect("the SVG");
    assert!(
        text.contains("no NEB forces"),
        "the figure says there are no forces"
    );
    assert!(text.contains("E − E(IS) (eV)"));
}
