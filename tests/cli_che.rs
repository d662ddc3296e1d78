//! `chepath thermo` and `chepath pathway` from the command line: exit codes, JSON keys.

use crate::common::{chepath, Run};
use serde_json::Value;

#[test]
fn thermo_from_a_list_of_frequencies() {
    let out = chepath()
        .args([
            "thermo",
            "--freqs",
            "3685.330914,524.895187,518.886662,409.394058,235.207794,226.788080,120i",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    for k in [
        "zpe",
        "heat_capacity_integral",
        "entropy_ts",
        "correction",
        "frequencies_cm1",
        "dropped_imaginary_cm1",
        "settings",
    ] {
        assert!(v.get(k).is_some(), "{k}");
    }
    assert!((v["zpe"].as_f64().unwrap() - 0.3471869).abs() < 1e-6);
    assert_eq!(v["dropped_imaginary_cm1"], serde_json::json!([120.0]));
    assert_eq!(v["settings"]["model"], "harmonic");
    chepath()
        .args(["thermo", "--freqs", "abc"])
        .assert()
        .code(2);
    chepath().args(["thermo", "/no/such/dir"]).assert().code(3);
}

#[test]
fn pathway_json_keys_and_text() {
    let ex = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/networks/pt111_orr.toml"
    );
    let out = chepath()
        .args(["pathway", ex, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    assert!(v.get("conventions").is_some());
    let m = &v["models"][0];
    for k in [
        "name",
        "adsorption_dG",
        "paths",
        "best_path",
        "greedy_path",
        "limiting_potential",
        "pds",
        "chemical_bottleneck",
        "warnings",
    ] {
        assert!(m.get(k).is_some(), "{k}");
    }
    let s = &m["paths"][0]["steps"][0];
    for k in ["from", "to", "n", "dG"] {
        assert!(s.get(k).is_some(), "{k}");
    }
    assert_eq!(m["pds"]["from"], "*O");
    chepath()
        .args(["pathway", ex])
        .assert()
        .success()
        .stdout_contains("U_L = +0.780 V vs RHE")
        .stdout_contains("η = 0.450 V")
        .stdout_contains("conventions:");
    // at U = 1.23 V the PDS is uphill by 0.45 eV
    let out = chepath()
        .args(["pathway", ex, "--U", "1.23", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    let dg = v["models"][0]["paths"][0]["steps"][2]["dG"]
        .as_f64()
        .unwrap();
    assert!((dg - 0.45).abs() < 1e-9, "{dg}");
}

#[test]
fn pathway_bad_files_exit_4_with_the_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("n.toml");
    std::fs::write(
        &p,
        "[network]\ntemplate = \"nope\"\n[models.A]\n\"*\" = { G = 0 }\n",
    )
    .expect("w");
    chepath()
        .args(["pathway", &p.display().to_string()])
        .assert()
        .code(4)
        .stderr_contains("expected no3rr, no2rr, norr, orr, oer or her");
    std::fs::write(&p, "[conventions]\nenergy = \"free\"\n").expect("w");
    chepath()
        .args(["pathway", &p.display().to_string()])
        .assert()
        .code(4)
        .stderr_contains("'sigma0' or 'toten'");
    std::fs::write(
        &p,
        "[network]\ntemplate = \"orr\"\n[models.A]\n\"*\" = { G = 0 }\n",
    )
    .expect("w");
    chepath()
        .args(["pathway", &p.display().to_string()])
        .assert()
        .code(4)
        .stderr_contains("reference");
    chepath()
        .args(["pathway", "/no/such.toml"])
        .assert()
        .code(3);
}

/// A number in a network file that is not finite is refused with its file, line and key
/// (issue 18, "never silently different"): `G = nan` for *OH used to give U_L = +0.92 V
/// with exit 0, the two NaN steps dropping out of the maximum; `inf` would do the same.
#[test]
fn a_value_that_is_not_finite_is_refused_with_its_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("n.toml");
    let pt = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/networks/pt111_orr.toml"
    ))
    .expect("pt111_orr.toml");
    let line = pt
        .lines()
        .position(|l| l == "\"*OH\" = { G = 0.80 }")
        .expect("the *OH line")
        + 1;
    for (v, shown) in [
        ("nan", "nan"),
        ("-inf", "-inf"),
        ("0.8, zpe = +inf", "+inf"),
    ] {
        let text = pt.replace(
            "\"*OH\" = { G = 0.80 }",
            &format!("\"*OH\" = {{ G = {v} }}"),
        );
        std::fs::write(&p, text).expect("w");
        let key = if shown == "+inf" { "zpe" } else { "G" };
        let run = chepath()
            .args(["pathway", &p.display().to_string()])
            .assert()
            .code(4)
            .stderr_contains(&format!(
                "n.toml:{line}: models.\"Pt(111)\".\"*OH\".{key} = {shown}: expected a finite number"
            ));
        assert!(run.get_output().stdout.is_empty(), "no result printed");
    }
    // the finite file is read
    std::fs::write(&p, &pt).expect("w");
    chepath()
        .args(["pathway", &p.display().to_string()])
        .assert()
        .success();
}
