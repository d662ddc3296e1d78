//! d-band descriptors of every DOSCAR in the shared corpus against REFERENCE.json
//! (pymatgen's algorithm: trapezoid over the file's grid, energies from the DOSCAR's
//! E-fermi): per atom, spin summed and per spin, full grid and the [-10, 5] window, 1e-4 eV.
//! And the streamed descriptors (`chepath dband`'s path: one atom block at a time)
//! against the whole-file path (`load_dos` then `analyze_loaded`) on every corpus DOSCAR and
//! on generated DOSCARs of every spin and LORBIT layout: the same reports, errors and
//! warnings.

use crate::common;

use chepath::dband::{densities, evaluate, AtomStream, Orbital, Settings, SpinMode, Window};
use chepath::load::{self, DbandRequest};
use std::path::{Path, PathBuf};
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

/// Both paths on one request: the JSON of the reports (or the error messages), which must be
/// identical (f64 printed exactly: equal text is equal bits).
fn both(req: &DbandRequest, settings: &Settings) -> (String, String) {
    let full = load::dos::load_dos(req).and_then(|l| {
        chepath::dband::analyze_loaded(&l, settings.clone()).map_err(chepath::error::Error::from)
    });
    let streamed = streamed(req, settings.clone());
    let show = |r: Result<chepath::dband::Report, chepath::error::Error>| match r {
        Ok(r) => serde_json::to_string_pretty(&r).expect("json"),
        Err(e) => format!("error: {e}"),
    };
    (show(full), show(streamed))
}

/// The streamed report as `chepath dband` makes it (src/cli/dband.rs): the plan, a
/// DOSCAR's blocks into an [`AtomStream`] as they are read.
fn streamed(
    req: &DbandRequest,
    settings: Settings,
) -> Result<chepath::dband::Report, chepath::error::Error> {
    match load::dos::plan_dos(req)? {
        load::dos::DosPlan::Loaded(l) => Ok(chepath::dband::analyze_loaded(&l, settings)?),
        load::dos::DosPlan::Doscar(plan) => {
            let mut stream = AtomStream::new(settings, &plan.selection);
            let dos = plan.stream(&mut |d, a| stream.atom(d, a))?;
            let source = chepath::dband::source_of(&plan.inputs, &dos);
            Ok(stream.finish(&dos, plan.elements.as_deref(), plan.selection, source)?)
        }
    }
}

fn request(path: &Path, atoms: Option<&str>) -> DbandRequest {
    DbandRequest {
        path: path.to_path_buf(),
        structure: None,
        atoms: atoms.map(String::from),
        cutoff: chepath::select::DEFAULT_CUTOFF,
        noncollinear: None,
    }
}

/// The settings that change the numbers: spin modes, windows, orbitals (l and lm).
fn settings_grid() -> Vec<Settings> {
    let mut v = Vec::new();
    for spin in [SpinMode::Sum, SpinMode::Up, SpinMode::Down, SpinMode::Mean] {
        for window in [Window::Full, Window::VASPKIT] {
            v.push(Settings {
                spin,
                window,
                ..Settings::default()
            });
        }
    }
    for o in ["p", "dxy", "f"] {
        v.push(Settings {
            orbital: o.parse().expect("orbital"),
            ..Settings::default()
        });
    }
    v
}

/// Compare both paths on every request; a list of differences.
fn compare(path: &Path, selections: &[Option<&str>], failures: &mut Vec<String>) -> usize {
    let mut n = 0;
    for sel in selections {
        for s in settings_grid() {
            let (full, streamed) = both(&request(path, *sel), &s);
            n += 1;
            if full != streamed {
                let first = full
                    .lines()
                    .zip(streamed.lines())
                    .find(|(a, b)| a != b)
                    .map(|(a, b)| format!("{a} | {b}"))
                    .unwrap_or_else(|| "lengths differ".into());
                failures.push(format!(
                    "{} {sel:?} {:?} {:?} {}: {first}",
                    path.display(),
                    s.spin,
                    s.window,
                    s.orbital.name()
                ));
            }
        }
    }
    n
}

#[test]
fn streamed_descriptors_equal_the_whole_file_path_on_the_corpus() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let reference = common::reference(&corpus);
    let files = common::files_of_type(&reference, "DOSCAR");
    assert!(files.len() >= 5, "DOSCARs in the corpus: {}", files.len());
    let mut failures = Vec::new();
    let mut reports = 0;
    for (rel, _) in files {
        let path = corpus.join(rel);
        // the structure beside the file (when there is one) gives the default selection
        reports += compare(
            &path,
            &[None, Some("all"), Some("1"), Some("2-3")],
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(reports > 200, "{reports} reports compared");
}

/// A DOSCAR of `natoms` atoms written here: `total_cols` total-DOS columns (3 or 5), `pcols`
/// projected ones, a band per column whose centre moves with the atom and the column, tiny
/// negative values on some up columns (VASP's projection artefacts), spin down written
/// negated on even atoms (as tools do), and every number in VASP's `0.1234E+01` form.
fn generated(dir: &Path, natoms: usize, total_cols: usize, pcols: usize, nedos: usize) -> PathBuf {
    use std::fmt::Write;
    let mut s = format!(
        "  {natoms}  {natoms}  1  0\n  0.1E+02  0.1E-09  0.1E-09  0.1E-09  0.5E-15\n  1.0E-004\n  CAR \n gen\n"
    );
    let (emin, emax, ef) = (-15.0, 8.0, 1.25);
    let e = |k: usize| emin + (emax - emin) * k as f64 / (nedos - 1) as f64;
    let head = format!("  {emax:.8} {emin:.8} {nedos:4} {ef:.8} 1.00000000\n");
    s += &head;
    for k in 0..nedos {
        let _ = write!(s, "{:11.3}", e(k));
        for c in 1..total_cols {
            let _ = write!(s, " {:.4E}", 0.1 * c as f64 + k as f64 * 1e-3);
        }
        s += "\n";
    }
    for a in 0..natoms {
        s += &head;
        for k in 0..nedos {
            let _ = write!(s, "{:11.3}", e(k));
            for c in 0..pcols {
                let centre = -4.0 + 0.37 * ((a * 7 + c * 3) % 11) as f64;
                let x = e(k) - ef - centre;
                let mut v = (0.3 + 0.01 * c as f64) * (-x * x / (1.0 + 0.1 * c as f64)).exp();
                if (k + c + a) % 17 == 0 {
                    v = -1e-4 * (1 + c) as f64;
                }
                if total_cols == 5 && c % 2 == 1 && a % 2 == 0 {
                    v = -v.abs();
                }
                let _ = write!(s, " {v:.4E}");
            }
            s += "\n";
        }
    }
    let p = dir.join(format!("DOSCAR_{natoms}_{total_cols}_{pcols}"));
    std::fs::write(&p, s).expect("write");
    p
}

#[test]
fn streamed_descriptors_equal_the_whole_file_path_on_generated_layouts() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut failures = Vec::new();
    // ISPIN=1 and 2, LORBIT=10 and 11, with and without f, non-collinear
    for (t, p) in [
        (3, 3),
        (3, 4),
        (5, 6),
        (5, 8),
        (3, 9),
        (5, 18),
        (5, 32),
        (3, 12),
        (3, 36),
    ] {
        let path = generated(dir.path(), 7, t, p, 120);
        compare(
            &path,
            &[Some("all"), Some("3"), Some("2,5-7")],
            &mut failures,
        );
    }
    // a larger file, read ahead on a second thread by the reader (> 64 MiB is not needed for
    // the equality; this one has many atoms and a long grid)
    let path = generated(dir.path(), 300, 5, 18, 301);
    let (full, streamed) = both(&request(&path, Some("all")), &Settings::default());
    if full != streamed {
        failures.push("300 atoms: the reports differ".into());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn streamed_errors_and_warnings_are_the_whole_file_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = generated(dir.path(), 4, 5, 18, 40);
    let good = std::fs::read_to_string(&path).expect("read");
    let lines: Vec<&str> = good.lines().collect();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p
    };
    let with_line = |k: usize, f: &dyn Fn(&str) -> String| {
        let mut v: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        v[k] = f(&v[k]);
        v.join("\n") + "\n"
    };
    let cases = vec![
        // damage in a field, an overflow field, a missing column, in atom 2's block
        write("bad_field", with_line(100, &|l| l.replacen("E", "#", 1))),
        write("overflow", with_line(100, &|l| l.replacen("0.", "****", 1))),
        write(
            "columns",
            with_line(100, &|l| {
                l.rsplit_once(' ')
                    .map(|x| x.0.to_string())
                    .unwrap_or_default()
            }),
        ),
        // cut inside atom 3's block, cut after atom 3 (a missing block), no last newline
        write("cut_mid", lines[..140].join("\n") + "\n"),
        write("cut_block", lines[..6 + 40 + 3 * 41].join("\n") + "\n"),
        write("no_newline", good.trim_end().to_string() + "\n  1.0 2.0"),
        // no projections at all (LORBIT < 10), a header that is not a DOSCAR's
        write("total_only", lines[..46].join("\n") + "\n"),
        write("header", with_line(5, &|_| "  x y z".into())),
        // a decreasing energy grid (warned)
        write("grid", with_line(7, &|l| l.replacen("-14", "-19", 1))),
    ];
    let mut failures = Vec::new();
    for p in &cases {
        for sel in [Some("all"), Some("1"), Some("4"), Some("1-2")] {
            for s in [
                Settings::default(),
                Settings {
                    spin: SpinMode::Up,
                    ..Settings::default()
                },
            ] {
                let (full, streamed) = both(&request(p, sel), &s);
                if full != streamed {
                    failures.push(format!(
                        "{} {sel:?}:\n  whole file: {}\n  streamed:   {}",
                        p.display(),
                        full.lines().take(3).collect::<Vec<_>>().join(" "),
                        streamed.lines().take(3).collect::<Vec<_>>().join(" ")
                    ));
                }
            }
        }
    }
    // the structure beside the file has another atom count
    let sub = dir.path().join("calc");
    std::fs::create_dir_all(&sub).expect("dir");
    std::fs::write(sub.join("DOSCAR"), &good).expect("write");
    std::fs::write(
        sub.join("POSCAR"),
        "Cu\n1.0\n8 0 0\n0 8 0\n0 0 8\nCu\n3\nDirect\n0 0 0\n0.5 0 0\n0 0.5 0\n",
    )
    .expect("write");
    let (full, streamed) = both(&request(&sub, Some("1")), &Settings::default());
    assert!(full.contains("different calculations"), "{full}");
    assert_eq!(full, streamed);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // and the cases did reach the errors and warnings they were written for
    let (e, _) = both(&request(&cases[0], Some("all")), &Settings::default());
    assert!(e.starts_with("error") && e.contains("bad_field:101"), "{e}");
    let (w, _) = both(&request(&cases[5], Some("all")), &Settings::default());
    assert!(w.contains("no newline"), "{w}");
    let (w, _) = both(&request(&cases[4], Some("1-3")), &Settings::default());
    assert!(w.contains("the file is cut"), "{w}");
}

#[test]
fn the_stream_holds_the_same_memory_for_any_number_of_atoms() {
    // Structural: between atoms the stream holds the energies and the pooled densities
    // only, the same count of values after 10 or 400 atoms; the reader hands every block out
    // in one reused buffer (vasp-parsers' streaming_reuses_one_block).
    let dir = tempfile::tempdir().expect("tmp");
    let mut held = Vec::new();
    for natoms in [10, 400] {
        let path = generated(dir.path(), natoms, 5, 18, 301);
        let sel = chepath::select::select("all", None, natoms, 3.0).expect("select");
        let mut stream = AtomStream::new(Settings::default(), &sel);
        let mut most = 0;
        let dos = vasp_parsers::doscar::stream_doscar(
            &path,
            LayoutHint::default(),
            &AtomFilter::All,
            &mut |d, a| {
                stream.atom(d, a);
                most = most.max(stream.held_values());
            },
        )
        .expect("read");
        assert!(dos.atoms.is_empty(), "no block kept by the reader");
        let report = stream
            .finish(
                &dos,
                None,
                sel,
                chepath::dband::Source {
                    dos_file: String::new(),
                    structure_file: None,
                    layout: String::new(),
                    layout_hint_from: None,
                    system: String::new(),
                    spin_down: "",
                },
            )
            .expect("report");
        assert_eq!(report.atoms.len(), natoms);
        held.push(most);
    }
    assert_eq!(held[0], held[1], "values held: {held:?}");
    assert_eq!(held[0], 4 * 301, "energies + pooled sum, up, down");
}
