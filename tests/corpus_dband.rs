//! d-band descriptors of every DOSCAR in the shared corpus against REFERENCE.json
//! (pymatgen's algorithm: trapezoid over the file's grid, energies from the DOSCAR's
//! E-fermi): per atom, spin summed and per spin, full grid and the [-10, 5] window, 1e-4 eV.

use crate::common;

use chepath::dband::{densities, evaluate, Orbital, Settings, SpinMode, Window};
use vasp_parsers::doscar::{read_doscar, AtomFilter, LayoutHint};

const TOL: f64 = 1e-4;

fn close(a: f64, b: Option<f64>) -> bool {
    b.is_some_and(|b| (a - b).abs() <= TOL)
}

#[test]
fn doscar_descriptors_match_reference() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let reference = common::reference(&corpus);
    let files = common::files_of_type(&reference, "DOSCAR");
    assert!(files.len() >= 5, "DOSCARs in the corpus: {}", files.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for (rel, entry) in files {
        let own = &entry["own_parser"];
        let d = match read_doscar(&corpus.join(rel), LayoutHint::default(), &AtomFilter::All) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{rel}: {e}"));
                continue;
            }
        };
        if d.efermi != own["efermi"].as_f64().unwrap_or(f64::NAN)
            || d.nedos as u64 != own["nedos"].as_u64().unwrap_or(0)
        {
            failures.push(format!("{rel}: header efermi/nedos"));
        }
        if d.pdos_blocks as u64 != own["n_pdos_blocks"].as_u64().unwrap_or(0) {
            failures.push(format!("{rel}: {} blocks", d.pdos_blocks));
        }
        let e = d.energies_relative();
        let Some(atoms) = own["d_band_per_atom"].as_object() else {
            continue;
        };
        for (key, v) in atoms {
            let index = key
                .split('_')
                .next()
                .and_then(|s| s.parse::<usize>().ok())
                .map(|i| i + 1);
            let Some(index) = index else { continue };
            let dens = match densities(&d, &[index], &Orbital::L(2)) {
                Ok(x) => x,
                Err(err) => {
                    failures.push(format!("{rel} {key}: {err}"));
                    continue;
                }
            };
            let kind = d
                .layout
                .as_ref()
                .map(|l| l.spin.describe().to_string())
                .unwrap_or_default();
            let sum_ref = v.get("spin_none(up+down)").or_else(|| v.get("spin_none"));
            for (win, wkey) in [
                (Window::Full, "center"),
                (Window::VASPKIT, "center_window_-10_5"),
            ] {
                let s = Settings {
                    window: win,
                    ..Settings::default()
                };
                let r = evaluate(&e, &dens, &s, &kind).expect("evaluate");
                match (r.values, sum_ref) {
                    (Some(x), Some(rf)) if !rf.is_null() => {
                        checked += 1;
                        if !close(x.center, rf[wkey].as_f64()) {
                            failures
                                .push(format!("{rel} {key} {wkey}: {} vs {}", x.center, rf[wkey]));
                        }
                        if win == Window::Full {
                            for k in ["width", "filling"] {
                                let got = if k == "width" { x.width } else { x.filling };
                                if !close(got, rf[k].as_f64()) {
                                    failures.push(format!("{rel} {key} {k}: {got} vs {}", rf[k]));
                                }
                            }
                        }
                    }
                    (None, Some(rf)) if rf.is_null() => checked += 1, // no d states, as the reference
                    (got, rf) => failures.push(format!("{rel} {key}: {got:?} vs {rf:?}")),
                }
            }
            if let (Some(up), Some(down)) = (v.get("up"), v.get("down")) {
                for (mode, rf) in [(SpinMode::Up, up), (SpinMode::Down, down)] {
                    let s = Settings {
                        spin: mode,
                        ..Settings::default()
                    };
                    let r = evaluate(&e, &dens, &s, &kind).expect("evaluate");
                    let x = r.values.expect("values");
                    checked += 1;
                    for (k, got) in [
                        ("center", x.center),
                        ("width", x.width),
                        ("filling", x.filling),
                    ] {
                        if !close(got, rf[k].as_f64()) {
                            failures.push(format!("{rel} {key} {mode:?} {k}: {got} vs {}", rf[k]));
                        }
                    }
                }
                if let Some(m) = v.get("mean_of_up_down_centers").and_then(|m| m.as_f64()) {
                    let s = Settings {
                        spin: SpinMode::Mean,
                        ..Settings::default()
                    };
                    let x = evaluate(&e, &dens, &s, &kind)
                        .expect("evaluate")
                        .values
                        .expect("values");
                    if !close(x.center, Some(m)) {
                        failures.push(format!("{rel} {key} mean: {} vs {m}", x.center));
                    }
                }
            }
        }
        // pymatgen's own CompleteDos built from the same arrays, where the reference has it.
        if let Some(p) = entry
            .get("pymatgen_CompleteDos_from_DOSCAR")
            .and_then(|p| p.as_object())
        {
            for (key, v) in p {
                let Some(index) = key.split('_').next().and_then(|s| s.parse::<usize>().ok())
                else {
                    continue;
                };
                let dens = densities(&d, &[index + 1], &Orbital::L(2)).expect("densities");
                let kind = d
                    .layout
                    .as_ref()
                    .map(|l| l.spin.describe().to_string())
                    .unwrap_or_default();
                let x = evaluate(&e, &dens, &Settings::default(), &kind)
                    .expect("evaluate")
                    .values
                    .expect("values");
                checked += 1;
                for (k, got) in [
                    ("band_center", x.center),
                    ("band_filling", x.filling),
                    ("band_width", x.width),
                ] {
                    if !close(got, v[k].as_f64()) {
                        failures.push(format!("{rel} pymatgen {key} {k}: {got} vs {}", v[k]));
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
    assert!(checked > 50, "only {checked} comparisons");
}
