//! `chepath dband` as a user meets it: JSON keys, selections, errors, plots.

use crate::common::{self, chepath, Run};

use serde_json::Value;

/// A small DOSCAR written here (ISPIN=2, LORBIT=10: s↑ s↓ p↑ p↓ d↑ d↓) for two atoms, Cu and
/// N, with a Gaussian d band on Cu centred 2 eV below E-fermi, and its POSCAR.
fn synthetic(dir: &std::path::Path) {
    let nedos = 201;
    let efermi = 1.0;
    let mut s = String::from(
        "  2  2  1  0\n 0.1E+02 0.1E-09 0.1E-09 0.1E-09 0.5E-15\n  1.0E-004\n  CAR \n synthetic\n",
    );
    s += &format!("  11.0 -9.0 {nedos} {efermi} 1.0\n");
    let e = |k: usize| -9.0 + 20.0 * k as f64 / (nedos - 1) as f64;
    for k in 0..nedos {
        s += &format!(
            "{:.4} 1.0 1.0 {} {}\n",
            e(k),
            k as f64 * 0.1,
            k as f64 * 0.1
        );
    }
    for atom in 0..2 {
        s += &format!("  11.0 -9.0 {nedos} {efermi} 1.0\n");
        for k in 0..nedos {
            let x = e(k) - efermi;
            let d = if atom == 0 {
                (-(x + 2.0) * (x + 2.0) / 2.0).exp()
            } else {
                0.0
            };
            s += &format!("{:.4} 0.01 0.01 0.02 0.02 {:.8} {:.8}\n", e(k), d, d);
        }
    }
    std::fs::write(dir.join("DOSCAR"), s).expect("write");
    std::fs::write(
        dir.join("POSCAR"),
        "CuN\n1.0\n8 0 0\n0 8 0\n0 0 8\nCu N\n1 1\nCartesian\n0 0 0\n1.9 0 0\n",
    )
    .expect("write");
}

#[test]
fn json_has_the_documented_keys_and_the_known_answer() {
    let dir = tempfile::tempdir().expect("tmp");
    synthetic(dir.path());
    let out = chepath()
        .args(["dband", "--json", &dir.path().display().to_string()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    for k in [
        "efermi",
        "settings",
        "atoms",
        "pooled",
        "selection",
        "source",
        "warnings",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }
    assert_eq!(v["efermi"], 1.0);
    let a = &v["atoms"][0];
    assert_eq!(a["index"], 1);
    assert_eq!(a["element"], "Cu");
    for k in [
        "center",
        "width",
        "skewness",
        "kurtosis",
        "filling",
        "upper_edge",
    ] {
        assert!(a[k].is_f64(), "{k}");
    }
    // Gaussian at -2 eV with sigma 1 on a 0.1 eV grid
    assert!(
        (a["center"].as_f64().unwrap() + 2.0).abs() < 1e-3,
        "{}",
        a["center"]
    );
    assert!((a["width"].as_f64().unwrap() - 1.0).abs() < 1e-3);
    assert!((a["by_spin"]["up"]["center"].as_f64().unwrap() + 2.0).abs() < 1e-3);
    assert_eq!(
        v["atoms"].as_array().unwrap().len(),
        1,
        "default: transition metals only"
    );
    assert_eq!(v["settings"]["spin"], "sum");
    assert_eq!(v["settings"]["window"]["kind"], "full");
}

#[test]
fn streamed_report_equals_the_plotted_one() {
    // Without --plot the DOSCAR is read block by block; with it, the selected atoms are
    // read into memory for the figure: the same JSON, to the byte, for every spin mode.
    let dir = tempfile::tempdir().expect("tmp");
    synthetic(dir.path());
    let d = dir.path().display().to_string();
    for (k, spin) in ["sum", "up", "down", "mean"].into_iter().enumerate() {
        let run = |plot: Option<String>| {
            let mut c = chepath();
            c.args(["dband", &d, "--atoms", "all", "--json", "--spin", spin]);
            if let Some(p) = plot {
                c.args(["--plot", &p]);
            }
            c.assert().success().get_output().stdout.clone()
        };
        let svg = dir.path().join(format!("p{k}.svg")).display().to_string();
        let streamed = run(None);
        assert_eq!(
            String::from_utf8_lossy(&streamed),
            String::from_utf8_lossy(&run(Some(svg))),
            "{spin}"
        );
        let v: Value = serde_json::from_slice(&streamed).expect("json");
        assert_eq!(v["atoms"].as_array().map(Vec::len), Some(2));
    }
}

#[test]
fn selections_and_their_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    synthetic(dir.path());
    let d = dir.path().display().to_string();
    chepath()
        .args(["dband", &d, "--atoms", "Cu@N1"])
        .assert()
        .success()
        .stdout_contains("Cu@N1 → 1");
    chepath()
        .args(["dband", &d, "--atoms", "Cu@N4"])
        .assert()
        .code(4)
        .stderr_contains("matches no atom")
        .stderr_contains("Cu1 has 1 N");
    // the N atom has no d states: a reason, not NaN
    let out = chepath()
        .args(["dband", &d, "--atoms", "2", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    assert!(v["atoms"][0]["center"].is_null());
    assert!(v["atoms"][0]["no_states"]
        .as_str()
        .unwrap_or("")
        .contains("no states"));
    chepath()
        .args(["dband", &d, "--window", "3:1"])
        .assert()
        .code(2);
    chepath()
        .args(["dband", &d, "--orbital", "q"])
        .assert()
        .code(2);
}

#[test]
fn structure_of_another_size_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    synthetic(dir.path());
    std::fs::write(
        dir.path().join("POSCAR"),
        "Cu\n1.0\n8 0 0\n0 8 0\n0 0 8\nCu\n1\nDirect\n0 0 0\n",
    )
    .expect("w");
    chepath()
        .args(["dband", &dir.path().display().to_string()])
        .assert()
        .code(4)
        .stderr_contains("different calculations");
}

#[test]
fn corrupt_doscars_name_the_line() {
    let dir = tempfile::tempdir().expect("tmp");
    synthetic(dir.path());
    let p = dir.path().join("DOSCAR");
    let good = std::fs::read_to_string(&p).expect("read");
    // an overflow field in the projected block of atom 1 (line 6 + 201 + 1 + 3 = 211)
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[210] = lines[210].replacen("0.01", "*****", 1);
    std::fs::write(&p, lines.join("\n") + "\n").expect("w");
    chepath()
        .args(["dband", &p.display().to_string(), "--atoms", "1"])
        .assert()
        .code(4)
        .stderr_contains("DOSCAR:211");
    // a wrong column count
    let mut lines: Vec<String> = good.lines().map(String::from).collect();
    lines[220] = lines[220]
        .rsplit_once(' ')
        .map(|x| x.0)
        .unwrap_or("")
        .to_string();
    std::fs::write(&p, lines.join("\n") + "\n").expect("w");
    chepath()
        .args(["dband", &p.display().to_string(), "--atoms", "1"])
        .assert()
        .code(4)
        .stderr_contains("DOSCAR:221");
    // missing NEDOS lines (cut)
    let cut: String = good.lines().take(300).collect::<Vec<_>>().join("\n") + "\n";
    std::fs::write(&p, cut).expect("w");
    chepath()
        .args(["dband", &p.display().to_string(), "--atoms", "1,2"])
        .assert()
        .code(4)
        .stderr_contains("end of the file");
}

#[test]
fn plot_writes_png_and_svg_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tmp");
    synthetic(dir.path());
    let d = dir.path().display().to_string();
    let png = dir.path().join("pdos.png");
    chepath()
        .args(["dband", &d, "--plot", &png.display().to_string()])
        .assert()
        .success();
    let decoder = png::Decoder::new(std::fs::File::open(&png).expect("png"));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!((info.width, info.height), (1000, 640));
    let distinct: std::collections::HashSet<&[u8]> = buf.chunks(3).take(640_000).collect();
    assert!(distinct.len() > 8, "the image is blank");
    chepath()
        .args(["dband", &d, "--plot", &png.display().to_string()])
        .assert()
        .code(3)
        .stderr_contains("--force");
    let svg = dir.path().join("pdos.svg");
    chepath()
        .args(["dband", &d, "--plot", &svg.display().to_string()])
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).expect("svg");
    let texts = crate::common::svg::svg_texts(&text).expect("well-formed SVG");
    assert!(
        texts.iter().any(|t| t == "E_F") && texts.iter().any(|t| t.contains("ε_d = -2.00 eV")),
        "svg content: {texts:?}"
    );
    chepath()
        .args([
            "dband",
            &d,
            "--plot",
            &dir.path().join("x.jpg").display().to_string(),
        ])
        .assert()
        .code(2);
}

#[test]
fn corpus_cu_site_style_selection_on_real_files() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    // Ni(111) slab with O: the O-bound Ni atoms are selectable by neighbourhood.
    let dir = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/zpe-backup");
    let out = chepath()
        .args([
            "dband",
            &dir.display().to_string(),
            "--atoms",
            "Ni@O1",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    assert!(!v["atoms"].as_array().unwrap().is_empty());
    assert!(v["atoms"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["element"] == "Ni"));
    assert!(v["source"]["layout_hint_from"]
        .as_str()
        .unwrap_or("")
        .ends_with("OUTCAR"));
}

#[test]
fn vasprun_alone_gives_elements_and_neighbourhoods() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let src = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/scf-backup/vasprun.xml.gz");
    let v = dir.path().join("vasprun.xml.gz");
    std::fs::copy(&src, &v).expect("copy");
    let out = chepath()
        .args([
            "dband",
            "--json",
            "--atoms",
            "Ni@O1",
            &v.display().to_string(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let j: Value = serde_json::from_slice(&out).expect("json");
    let atoms = j["atoms"].as_array().expect("atoms");
    assert!(!atoms.is_empty() && atoms.iter().all(|a| a["element"] == "Ni"));
    assert!(
        j["source"]["structure_file"].is_null(),
        "no CONTCAR beside: the vasprun structure was used"
    );
    // the same atoms selected with the CONTCAR of the run agree
    let contcar = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/scf-backup/CONTCAR");
    let out2 = chepath()
        .args([
            "dband",
            "--json",
            "--atoms",
            "Ni@O1",
            "--structure",
            &contcar.display().to_string(),
            &v.display().to_string(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let j2: Value = serde_json::from_slice(&out2).expect("json");
    assert_eq!(j["selection"]["indices"], j2["selection"]["indices"]);
}

/// A PDOS figure of many atoms is drawn from the stream's pooled sum (memory flat in atoms):
/// the same curves and the same report as from the DOSCAR read whole.
#[test]
fn a_large_selection_is_plotted_from_the_stream() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let path = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/opt-backup4/DOSCAR");
    for spin in ["sum", "up", "mean"] {
        let settings = chepath::dband::Settings {
            spin: spin.parse().expect("spin"),
            ..Default::default()
        };
        let req = chepath::load::DbandRequest {
            path: path.clone(),
            structure: None,
            atoms: Some("Ni".into()),
            cutoff: chepath::select::DEFAULT_CUTOFF,
            noncollinear: None,
        };
        let (report, fig) =
            chepath::api::dband::with_figure(&req, settings.clone(), None).expect("streamed");
        assert!(report.atoms.len() > chepath::output::figures::PDOS_PER_ATOM);
        let loaded = chepath::load::dos::load_dos(&req).expect("whole");
        let whole = chepath::dband::analyze_loaded(&loaded, settings).expect("report");
        let want = chepath::output::figures::pdos_figure(&loaded.dos, &whole, None).expect("fig");
        assert_eq!(
            serde_json::to_string(&report).expect("json"),
            serde_json::to_string(&whole).expect("json"),
            "{spin}"
        );
        assert_eq!(fig.series.len(), 1);
        let close = |a: &[f64], b: &[f64]| {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|(x, y)| (x - y).abs() <= 1e-12 * (1.0 + y.abs()))
        };
        assert!(close(&fig.series[0].up, &want.series[0].up), "{spin}: up");
        match (&fig.series[0].down, &want.series[0].down) {
            (Some(a), Some(b)) => assert!(close(a, b), "{spin}: down"),
            (None, None) => {}
            _ => panic!("{spin}: spin channels differ"),
        }
        assert_eq!(fig.energies, want.energies);
        assert_eq!(fig.series[0].label, want.series[0].label);
    }
}
