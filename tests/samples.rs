//! End to end on the GENERATED samples (sample_outputs/vasp, from examples/make_samples.rs):
//! the paper's numbers come back out of the files, the ranking puts CuN4&Cu4 first, and the
//! committed report (sample_outputs/report) is exactly what the current code produces.

use std::path::Path;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp");

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 0.005)
}

#[test]
fn paper_targets_from_the_files() {
    let loaded = chepath::load::load(Path::new(ROOT), None).expect("load");
    let r = chepath::checks::lint::checked_pathway(&loaded, None, None).expect("pathway");
    assert!(r
        .notice
        .as_deref()
        .unwrap_or("")
        .starts_with("GENERATED SAMPLE DATA"));
    let m = |n: &str| r.models.iter().find(|m| m.name == n).expect("model");
    let step = |n: &str, from: &str, to: &str| {
        let mm = m(n);
        mm.paths
            .iter()
            .flat_map(|p| p.steps.iter())
            .find(|s| s.from == from && s.to == to)
            .map(|s| s.dg)
    };
    // CuN4: PDS *NH2OH → *NH2 with ΔG = 1.97 eV
    let c = m("CuN4");
    let p = c.pds.as_ref().expect("pds");
    assert_eq!((p.from.as_str(), p.to.as_str()), ("*NH2OH", "*NH2"));
    assert!(close(Some(p.dg), 1.97));
    // CuN4&Cu4: PDS 0.78 eV on *NHO → *NHOH; its *NH2OH → *NH2 is 0.03 eV
    let c4 = m("CuN4_Cu4");
    let p4 = c4.pds.as_ref().expect("pds");
    assert_eq!((p4.from.as_str(), p4.to.as_str()), ("*NHO", "*NHOH"));
    assert!(close(Some(p4.dg), 0.78));
    assert!(close(step("CuN4_Cu4", "*NH2OH", "*NH2"), 0.03));
    // nitrate adsorption: negative, more negative, +3.89 with the engine's warning
    let (a1, a2, a3) = (
        c.adsorption_dg.expect("a"),
        c4.adsorption_dg.expect("a"),
        m("CuN4_CuNP").adsorption_dg.expect("a"),
    );
    assert!(a1 < 0.0 && a2 < a1, "{a1} {a2}");
    assert!(close(Some(a3), 3.89));
    assert!(m("CuN4_CuNP")
        .warnings
        .iter()
        .any(|w| w.contains("above 2 eV")));
    // *NHO below *NOH on all three
    for name in ["CuN4", "CuN4_Cu4", "CuN4_CuNP"] {
        let s = &m(name).states;
        assert!(s["*NHO"] < s["*NOH"], "{name}: *NHO must lie below *NOH");
    }
    // d-band centre of the CuN4-site Cu: −2.56 for CuN4&Cu4, closest to E_F
    let d = chepath::dband::model_centres(&loaded.file, &loaded.dataset).expect("dband");
    assert!(close(d["CuN4_Cu4"].center, -2.56));
    let top = d
        .iter()
        .max_by(|a, b| {
            a.1.center
                .unwrap_or(f64::MIN)
                .total_cmp(&b.1.center.unwrap_or(f64::MIN))
        })
        .expect("max");
    assert_eq!(top.0, "CuN4_Cu4");
    assert!(
        d.values().all(|v| v.atoms.starts_with("Cu@N4 → ")),
        "the CuN4 site, selected by neighbourhood"
    );
    // ranking
    let rows = chepath::output::rows::rows(&r, &d, chepath::output::rows::By::LimitingPotential);
    assert_eq!(rows[0].model, "CuN4_Cu4");
}

#[test]
fn committed_report_is_what_the_code_produces() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("report");
    // the committed report was made from the repository's root with a relative ROOT
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_chepath"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "sample_outputs/vasp",
            "-o",
            &out.display().to_string(),
        ])
        .output()
        .expect("run");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_outputs/report");
    for f in chepath::output::report::FILES {
        let a = std::fs::read(out.join(f)).expect("new file");
        let b = std::fs::read(committed.join(f)).unwrap_or_default();
        assert!(a == b, "{f} differs from sample_outputs/report/{f}: re-run `cargo run --release -- report sample_outputs/vasp -o sample_outputs/report --force` and review the change");
    }
    // the files parse
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(j["rows"][0]["model"], "CuN4_Cu4");
    let csv = std::fs::read_to_string(out.join("report.csv")).expect("csv");
    assert!(csv.lines().any(|l| l.starts_with("1,\"CuN4_Cu4\",-0.7800")));
}
