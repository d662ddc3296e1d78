//! `[barriers.MODEL]` in network files: transition states put on the steps of the paths,
//! beside ΔG in `pathway`, as humps on the diagram, and as a sort key of `rank`. Numbers are
//! checked against values worked out here by hand (tabulated energies) or read from the
//! corpus OUTCARs by plain text search, not against chepath's earlier output.

use crate::common::{self, chepath, Run};
use std::path::{Path, PathBuf};

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/networks/no3rr_illustrative.toml")
}

/// The best path's step `from → to` of the first model.
fn step<'a>(j: &'a serde_json::Value, from: &str, to: &str) -> &'a serde_json::Value {
    let m = &j["models"][0];
    let best = m["best_path"].as_u64().expect("best path") as usize;
    m["paths"][best]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["from"] == from && s["to"] == to)
        .unwrap_or_else(|| panic!("no step {from} -> {to}"))
}

fn ea(s: &serde_json::Value) -> f64 {
    s["barrier"]["Ea"].as_f64().expect("Ea")
}

#[test]
fn tabulated_ts_and_given_barriers_by_hand() {
    // examples/networks/no3rr_illustrative.toml, [barriers.example]:
    //   *NO -> *NHO: G(TS) = -313.95 + 0.45 - 0.10 = -313.60; G(IS) = -314.90 + 0.40 - 0.11
    //   = -314.61; Ea = 1.01 eV, independent of U (no beta).
    //   *NH2OH -> *NH2: Ea = 0.62 + 0.5 * 1 * (U - 0).
    for u in [0.0, -0.3] {
        let out = chepath()
            .args(["pathway"])
            .arg(example())
            .args(["--U", &u.to_string(), "--json"])
            .assert()
            .success();
        let j = json(out.get_output());
        let s = step(&j, "*NO", "*NHO");
        assert!((ea(s) - 1.01).abs() < 1e-9, "{s}");
        let dg = s["dG"].as_f64().expect("dG");
        assert!((s["barrier"]["reverse"].as_f64().expect("rev") - (1.01 - dg)).abs() < 1e-9);
        assert!(s["barrier"]["convention"]
            .as_str()
            .is_some_and(|c| c.contains("without beta")));
        let s = step(&j, "*NH2OH", "*NH2");
        assert!((ea(s) - (0.62 + 0.5 * u)).abs() < 1e-9, "U = {u}: {s}");
        assert_eq!(s["barrier"]["beta"], 0.5);
        assert!(s["barrier"]["source"]
            .as_str()
            .is_some_and(|c| c.contains("illustrative value")));
        let l = &j["models"][0]["largest_barrier"];
        assert_eq!(l["from"], "*NO");
        assert!((l["Ea"].as_f64().expect("Ea") - 1.01).abs() < 1e-9);
        // steps without a TS carry no barrier key
        assert!(step(&j, "*NO3", "*NO3H").get("barrier").is_none());
    }
    chepath()
        .arg("pathway")
        .arg(example())
        .assert()
        .success()
        .stdout_contains("Ea(U=0) eV")
        .stdout_contains("largest barrier on the best path: *NO → *NHO Ea = 1.010 eV");
}

#[test]
fn the_diagram_draws_the_humps_and_rank_sorts_by_barrier() {
    let tmp = tempfile::tempdir().expect("tmp");
    let svg = tmp.path().join("d.svg");
    chepath()
        .arg("diagram")
        .arg(example())
        .arg("-o")
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(text.contains("Ea 1.01 eV"), "the hump's label");
    assert!(text.contains("Ea 0.62 eV"));
    // at U_L = -2.065 V the linear Ea(U) of *NH2OH -> *NH2 is 0.62 - 0.5 * 2.065 < 0
    assert!(text.contains("barrierless (Ea -0.41)"), "the U_L panel");
    assert!(text.contains("humps: transition states from [barriers]"));
    assert!(text.contains("ILLUSTRATIVE VALUES"), "the notice");
    let out = chepath()
        .arg("rank")
        .arg(example())
        .args(["--by", "barrier", "--format", "json"])
        .assert()
        .success();
    let j = json(out.get_output());
    let row = &j["rows"][0];
    assert!((row["largest_barrier_Ea"].as_f64().expect("Ea") - 1.01).abs() < 1e-9);
    assert_eq!(row["largest_barrier_step"], "*NO → *NHO");
    assert!(j["sorted_by"]
        .as_str()
        .is_some_and(|s| s.contains("largest barrier")));
    chepath()
        .arg("rank")
        .arg(example())
        .args(["--by", "barrier"])
        .assert()
        .success()
        .stdout_contains("max Ea (eV)")
        .stdout_contains("1.01 (*NO → *NHO)");
}

/// The illustrative file with its `[barriers.example]` table replaced by `table`.
fn with_barriers(dir: &Path, table: &str) -> PathBuf {
    let text = std::fs::read_to_string(example()).expect("example");
    let cut = text.find("[barriers.example]").expect("barriers table");
    let p = dir.join("net.toml");
    std::fs::write(&p, format!("{}{table}\n", &text[..cut])).expect("write");
    p
}

#[test]
fn bad_barrier_tables_are_refused_with_the_reason() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cases: [(&str, &str); 6] = [
        (
            "[barriers.nobody]\n\"*NO -> *NHO\" = { Ea = 0.5 }",
            "barriers.nobody: not a model of the network",
        ),
        (
            "[barriers.example]\n\"*NO -> *NH3\" = { Ea = 0.5 }",
            "not a step of any path of this model",
        ),
        (
            "[barriers.example]\n\"*NO *NHO\" = { Ea = 0.5 }",
            "expected a step as \"FROM -> TO\"",
        ),
        (
            "[barriers.example]\n\"*NO -> *NHO\" = { Ea = 0.5, ts = { G = 1.0 } }",
            "not both",
        ),
        (
            "[barriers.example]\n\"*NO -> *NHO\" = { Ea = 0.5, beta = 1.5 }",
            "beta = 1.5: expected a transfer coefficient from 0 to 1",
        ),
        (
            "[barriers.example]\n\"*NH3 -> NH3(g)\" = { Ea = 0.5, beta = 0.5 }",
            "does not move with U (it is chemical)",
        ),
    ];
    for (table, message) in cases {
        let p = with_barriers(tmp.path(), table);
        let out = chepath().arg("pathway").arg(&p).assert().failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains(message), "{table}\n→ {err}");
        assert_eq!(out.get_output().status.code(), Some(4), "{table}: {err}");
    }
}

#[test]
fn a_ts_calculation_gives_the_printed_energy_difference_and_is_checked() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let ni = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)");
    let network = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/networks/ni111_oer_corpus.toml"),
    )
    .expect("example")
    .replace(
        "../../../shared/vasp-corpus/",
        &format!("{}/", corpus.display()),
    );
    let model = "[barriers.\"Ni(111), 1/4 ML O\"]";
    let tmp = tempfile::tempdir().expect("tmp");
    // 1. TS and IS both calculations of Ni64 O5 H1 (two runs of the OH slab): Ea is their
    //    E0 difference, no warning about atoms or corrections.
    let (ts, is) = (ni.join("OH/opt-backup4"), ni.join("OH/scf-backup"));
    let p = tmp.path().join("one.toml");
    std::fs::write(
        &p,
        format!(
            "{network}\n{model}\n\"*OH -> *O\" = {{ ts = {{ calc = \"{}\" }}, is = {{ calc = \"{}\" }} }}\n",
            ts.display(),
            is.display()
        ),
    )
    .expect("write");
    let j = json(
        chepath()
            .arg("pathway")
            .arg(&p)
            .arg("--json")
            .assert()
            .success()
            .get_output(),
    );
    let want = common::printed_e0(&ts.join("OUTCAR")) - common::printed_e0(&is.join("OUTCAR"));
    let s = step(&j, "*OH", "*O");
    assert!((ea(s) - want).abs() < 1e-6, "{} vs {want}", ea(s));
    assert!(s["barrier"]["source"]
        .as_str()
        .is_some_and(|x| x.contains("opt-backup4") && x.contains("IS: ")));
    let warnings = j["models"][0]["warnings"].to_string();
    assert!(!warnings.contains("not the same atoms"), "{warnings}");
    assert!(!warnings.contains("thermal corrections"), "{warnings}");
    // 2. The clean slab as the TS of *OH -> *O, measured from the model's *OH (which has a
    //    frequency run): other atoms, and corrections on one side only.
    let slab = ni.join("slab/scf-backup");
    let p = tmp.path().join("two.toml");
    std::fs::write(
        &p,
        format!(
            "{network}\n{model}\n\"*OH -> *O\" = {{ ts = {{ calc = \"{}\" }} }}\n",
            slab.display()
        ),
    )
    .expect("write");
    let j = json(
        chepath()
            .arg("pathway")
            .arg(&p)
            .arg("--json")
            .assert()
            .success()
            .get_output(),
    );
    let g_oh = j["models"][0]["states"]["*OH"].as_f64().expect("G(*OH)");
    let s = step(&j, "*OH", "*O");
    assert!((ea(s) - (common::printed_e0(&slab.join("OUTCAR")) - g_oh)).abs() < 1e-6);
    let warnings = j["models"][0]["warnings"].to_string();
    assert!(warnings.contains("are not the same atoms"), "{warnings}");
    assert!(
        warnings.contains("the initial state has thermal corrections"),
        "{warnings}"
    );
}
