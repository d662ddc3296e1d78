//! Every vasprun.xml of the shared corpus against pymatgen's `Vasprun` (REFERENCE.json):
//! final E0, E-fermi, ionic-step count, atom count, per-site d-band centre/width/filling
//! (full grid, spin summed and per spin, [-10, 5] window), normal-mode frequencies; and the
//! DOSCAR and vasprun.xml of the same run against each other (`_comparisons.same_dir`).

use crate::common;

use chepath::dband::{densities, evaluate, Orbital, Settings, SpinMode, Window};
use vasp_parsers::vasprun::{read_vasprun, Options};

fn close(a: f64, b: Option<f64>, tol: f64) -> bool {
    b.is_some_and(|b| (a - b).abs() <= tol)
}

#[test]
fn vasprun_matches_pymatgen() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let reference = common::reference(&corpus);
    let files = common::files_of_type(&reference, "vasprun");
    assert!(files.len() >= 20, "{}", files.len());
    let mut failures = Vec::new();
    let mut sites = 0;
    for (rel, entry) in files {
        let p = &entry["pymatgen"];
        let v = match read_vasprun(&corpus.join(rel), &Options { dos: true }) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        let n = p["n_ionic_steps"].as_u64().unwrap_or(0) as usize;
        if v.ionic_steps.len() != n {
            failures.push(format!("{rel}: {} steps vs {n}", v.ionic_steps.len()));
        }
        let e0 = v.ionic_steps.last().and_then(|s| s.e_0_energy);
        if !e0.is_some_and(|e| close(e, p["final_energy"].as_f64(), 1e-8)) {
            failures.push(format!("{rel}: final E0 {e0:?} vs {}", p["final_energy"]));
        }
        if v.efermi != p["efermi"].as_f64() {
            failures.push(format!("{rel}: efermi {:?} vs {}", v.efermi, p["efermi"]));
        }
        if v.atoms.len() as u64 != p["natoms"].as_u64().unwrap_or(0) {
            failures.push(format!("{rel}: {} atoms", v.atoms.len()));
        }
        if let Some(want) = p.get("normalmode_freq_cm1").and_then(|x| x.as_array()) {
            let got = v.normal_mode_frequencies_cm1();
            let want: Vec<f64> = want.iter().filter_map(|x| x.as_f64()).collect();
            if got.len() != want.len() || got.iter().zip(&want).any(|(a, b)| (a - b).abs() > 1e-6) {
                failures.push(format!("{rel}: modes {got:?} vs {want:?}"));
            }
        }
        let Some(dos) = &v.dos else {
            if p["n_dos_points"].as_u64().unwrap_or(0) > 0 {
                failures.push(format!("{rel}: no DOS read"));
            }
            continue;
        };
        if dos.nedos as u64 != p["n_dos_points"].as_u64().unwrap_or(0) {
            failures.push(format!("{rel}: nedos {}", dos.nedos));
        }
        let Some(ds) = p.get("d_band_sites").and_then(|x| x.as_object()) else {
            continue;
        };
        let e = dos.energies_relative();
        let kind = dos
            .layout
            .as_ref()
            .map(|l| l.description.clone())
            .unwrap_or_default();
        for (key, r) in ds {
            if r.get("error").is_some() {
                continue;
            }
            let Some(i) = key.split('_').next().and_then(|s| s.parse::<usize>().ok()) else {
                continue;
            };
            let dens = match densities(dos, &[i + 1], &Orbital::L(2)) {
                Ok(d) => d,
                Err(err) => {
                    failures.push(format!("{rel} {key}: {err}"));
                    continue;
                }
            };
            sites += 1;
            let full = evaluate(&e, &dens, &Settings::default(), &kind).expect("evaluate");
            let win = evaluate(
                &e,
                &dens,
                &Settings {
                    window: Window::VASPKIT,
                    ..Settings::default()
                },
                &kind,
            )
            .expect("evaluate");
            let (Some(x), Some(w)) = (full.values, win.values) else {
                if !r["band_center"].is_null() {
                    failures.push(format!(
                        "{rel} {key}: no states but pymatgen has {}",
                        r["band_center"]
                    ));
                }
                continue;
            };
            for (k, got) in [
                ("band_center", x.center),
                ("band_width", x.width),
                ("band_filling", x.filling),
                ("band_center_window_-10_5", w.center),
            ] {
                if !close(got, r[k].as_f64(), 1e-4) {
                    failures.push(format!("{rel} {key} {k}: {got} vs {}", r[k]));
                }
            }
            for (mode, k) in [
                (SpinMode::Up, "band_center_up"),
                (SpinMode::Down, "band_center_down"),
            ] {
                if let Some(want) = r.get(k).and_then(|x| x.as_f64()) {
                    let s = Settings {
                        spin: mode,
                        ..Settings::default()
                    };
                    let got = evaluate(&e, &dens, &s, &kind)
                        .expect("evaluate")
                        .values
                        .map(|d| d.center);
                    if !got.is_some_and(|g| (g - want).abs() <= 1e-4) {
                        failures.push(format!("{rel} {key} {k}: {got:?} vs {want}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(sites > 100, "only {sites} sites compared");
}

/// DOSCAR and vasprun.xml written by the same run give the same E-fermi and d-band centres.
#[test]
fn doscar_and_vasprun_of_one_run_agree() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let reference = common::reference(&corpus);
    let same = reference["_comparisons"]["same_dir"]
        .as_array()
        .expect("list");
    let mut compared = 0;
    for s in same {
        let Some(cmp) = s
            .get("doscar_vs_vasprun_d_center")
            .and_then(|c| c.as_object())
        else {
            continue;
        };
        if cmp.is_empty() {
            continue;
        }
        let dir = corpus.join(s["dir"].as_str().expect("dir"));
        let files = chepath::load::CalcFiles::find(&dir);
        let (Some(dp), Some(vp)) = (files.doscar, files.vasprun) else {
            panic!("{dir:?}")
        };
        let d = vasp_parsers::doscar::read_doscar(&dp, Default::default(), &Default::default())
            .expect("doscar");
        let v = read_vasprun(&vp, &Options { dos: true }).expect("vasprun");
        let vd = v.dos.expect("dos");
        assert!((d.efermi - vd.efermi).abs() < 1e-6, "{dir:?} efermi");
        for (key, c) in cmp {
            let i: usize = key
                .split('_')
                .next()
                .and_then(|s| s.parse().ok())
                .expect("index");
            let cd = |dos: &vasp_parsers::doscar::Doscar| {
                let dens = densities(dos, &[i + 1], &Orbital::L(2)).expect("dens");
                evaluate(&dos.energies_relative(), &dens, &Settings::default(), "")
                    .expect("eval")
                    .values
                    .expect("values")
                    .center
            };
            let (a, b) = (cd(&d), cd(&vd));
            // The two files print different digits (DOSCAR 4, vasprun 4 significant in
            // other columns): the reference measured differences up to 4e-4 eV.
            assert!(
                (a - c["doscar"].as_f64().expect("x")).abs() < 1e-6,
                "{dir:?} {key} doscar"
            );
            assert!(
                (b - c["vasprun"].as_f64().expect("x")).abs() < 1e-6,
                "{dir:?} {key} vasprun"
            );
            assert!(
                (a - b).abs() < 1e-3,
                "{dir:?} {key}: DOSCAR {a} vs vasprun {b}"
            );
            compared += 1;
        }
    }
    assert!(compared >= 4, "{compared}");
}

/// `chepath parse vasprun.xml`'s record: pymatgen's final energy, except for frequency
/// runs, where the structure's energy is the first `<calculation>` (pymatgen: the last).
#[test]
fn parse_record_of_every_vasprun() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let reference = common::reference(&corpus);
    let mut failures = Vec::new();
    for (rel, entry) in common::files_of_type(&reference, "vasprun") {
        let p = &entry["pymatgen"];
        let v = match read_vasprun(&corpus.join(rel), &Options::default()) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        // the DOS is not read here, but its E-fermi is (it sits inside <dos>)
        if v.efermi != p["efermi"].as_f64() {
            failures.push(format!(
                "{rel}: efermi {:?} vs {} without the DOS",
                v.efermi, p["efermi"]
            ));
        }
        let r = chepath::records::VasprunRecord::new(rel, &v);
        assert_eq!(r.kind, "vasprun");
        if r.ionic_steps as u64 != p["n_ionic_steps"].as_u64().unwrap_or(0) {
            failures.push(format!("{rel}: {} steps", r.ionic_steps));
        }
        if r.nions as u64 != p["natoms"].as_u64().unwrap_or(0) {
            failures.push(format!("{rel}: {} atoms", r.nions));
        }
        let Some(e) = &r.structure_energy else {
            failures.push(format!("{rel}: no structure energy"));
            continue;
        };
        let want_step = if r.is_frequency_run { 1 } else { r.ionic_steps };
        if e.step != want_step {
            failures.push(format!("{rel}: structure energy from step {}", e.step));
        }
        if !r.is_frequency_run
            && !e
                .sigma0
                .is_some_and(|x| close(x, p["final_energy"].as_f64(), 1e-8))
        {
            failures.push(format!("{rel}: E0 {:?} vs {}", e.sigma0, p["final_energy"]));
        }
        if r.species
            .iter()
            .zip(&r.ions_per_type)
            .map(|(_, n)| n)
            .sum::<usize>()
            != r.nions
        {
            failures.push(format!(
                "{rel}: composition {:?} {:?}",
                r.species, r.ions_per_type
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
