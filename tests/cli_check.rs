//! `chepath check` for users' CI: passes on the Pt(111) ORR network, fails with a clear diff
//! when an expected value is changed, JUnit XML, and careful rewriting.

use crate::common::{chepath, Run};

const PT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/networks/pt111_orr.toml"
);

#[test]
fn init_pass_fail_junit_update() {
    let dir = tempfile::tempdir().expect("tmp");
    let ex = dir.path().join("expected.toml");
    let exs = ex.display().to_string();
    chepath()
        .args(["check", &exs, "--init", PT])
        .assert()
        .success();
    let text = std::fs::read_to_string(&ex).expect("written");
    assert!(
        text.contains("limiting_potential = 0.7800") && text.contains("pds = \"*O → *OH\""),
        "{text}"
    );
    // --init never overwrites
    chepath()
        .args(["check", &exs, "--init", PT])
        .assert()
        .code(3)
        .stderr_contains("never overwrites");
    // passes
    chepath()
        .args(["check", &exs])
        .assert()
        .success()
        .stdout_contains("0 failed");
    // a changed expected value fails with the diff
    std::fs::write(
        &ex,
        text.replace("limiting_potential = 0.7800", "limiting_potential = 0.8000")
            .replace("pds = \"*O → *OH\"", "pds = \"*OH → H2O(l)\""),
    )
    .expect("w");
    let junit = dir.path().join("check.xml");
    chepath()
        .args(["check", &exs, "--junit", &junit.display().to_string()])
        .assert()
        .code(6)
        .stdout_contains("+0.8000")
        .stdout_contains("-0.0200")
        .stdout_contains("2 failed");
    let x = std::fs::read_to_string(&junit).expect("junit");
    assert!(
        x.contains("failures=\"2\"")
            && x.contains("<failure message=\"expected +0.8000, got +0.7800"),
        "{x}"
    );
    // a per-value tolerance wide enough passes that value
    let t = std::fs::read_to_string(&ex).expect("r").replace(
        "limiting_potential = 0.8000",
        "limiting_potential = { value = 0.8, tolerance = 0.05 }",
    );
    std::fs::write(&ex, t).expect("w");
    chepath()
        .args(["check", &exs])
        .assert()
        .code(6)
        .stdout_contains("1 failed");
    // --update refuses without a terminal, and shows the diff first
    chepath()
        .args(["check", &exs, "--update"])
        .assert()
        .code(2)
        .stdout_contains("values that change")
        .stderr_contains("--yes");
    chepath()
        .args(["check", &exs, "--update", "--yes"])
        .assert()
        .success();
    let t = std::fs::read_to_string(&ex).expect("r");
    assert!(
        t.contains("{ value = 0.7800, tolerance = 0.05 }"),
        "per-value tolerance kept: {t}"
    );
    chepath().args(["check", &exs]).assert().success();
    // a JUnit path that holds something else is not overwritten
    let other = dir.path().join("notes.xml");
    std::fs::write(&other, "<mine/>").expect("w");
    chepath()
        .args(["check", &exs, "--junit", &other.display().to_string()])
        .assert()
        .code(3);
    assert_eq!(std::fs::read_to_string(&other).expect("r"), "<mine/>");
}

/// `check --update` when every value already matches (issue 18: it printed an empty table
/// of changes and exited 2, asking for --yes): "already up to date", exit 0, with and
/// without --yes, and the file left as it was, byte for byte and unwritten (its
/// modification time kept). A rewrite, a refusal (2) or a table of changes fails here.
#[test]
fn update_with_nothing_to_change_is_already_up_to_date() {
    let dir = tempfile::tempdir().expect("tmp");
    let ex = dir.path().join("expected.toml");
    let exs = ex.display().to_string();
    chepath()
        .args(["check", &exs, "--init", PT])
        .assert()
        .success();
    // comments of the user's (trailing, leading, inline): "nothing to change" must hold for
    // a file the user has annotated, not only for the file --init wrote
    let init = std::fs::read_to_string(&ex).expect("written");
    assert!(init.contains("\nlimiting_potential = 0.7800\n") && init.contains("\n[models."));
    let text = init
        .replace(
            "\nlimiting_potential = 0.7800\n",
            "\nlimiting_potential = 0.7800  # Norskov 2004, Table 1\n",
        )
        .replacen("\n[models.", "\n# the paper's model\n[models.", 1)
        + "# checked by hand on 2024-05-01\n";
    let text = text.into_bytes();
    std::fs::write(&ex, &text).expect("w");
    let modified = || {
        std::fs::metadata(&ex)
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    let before = modified();
    for yes in [false, true] {
        let mut c = chepath();
        c.args(["check", &exs, "--update"]);
        if yes {
            c.arg("--yes");
        }
        let run = c
            .assert()
            .code(0)
            .stdout_contains(&format!("{exs}: already up to date"));
        let out = String::from_utf8_lossy(&run.get_output().stdout).to_string();
        assert!(!out.contains("values that change"), "--yes {yes}: {out}");
        assert_eq!(
            out.trim(),
            format!("{exs}: already up to date"),
            "--yes {yes}"
        );
        assert_eq!(
            std::fs::read(&ex).expect("r"),
            text,
            "--yes {yes}: unchanged"
        );
        assert_eq!(modified(), before, "--yes {yes}: not rewritten");
    }
    chepath().args(["check", &exs]).assert().success();
}

/// Values of an expected file that would make a check that cannot fail, or that said only
/// "data did not match any variant of untagged enum Num": each is refused at its line with
/// what was expected (exit 4), and nothing is compared. An infinite tolerance passed every
/// value (a CI check that could not fail), `{ value = 0.5, tol = 0.05 }` was "did not match
/// any variant", `{ …, x = 1 }` was accepted, `U`/`pH` beyond the command line's bounds
/// were used. `{ value = 0.78 }` (no tolerance of its own) takes the default.
#[test]
fn expected_values_that_cannot_fail_are_refused_at_their_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let ex = dir.path().join("expected.toml");
    let exs = ex.display().to_string();
    chepath()
        .args(["check", &exs, "--init", PT])
        .assert()
        .success();
    let init = std::fs::read_to_string(&ex).expect("written");
    let lp = "limiting_potential = 0.7800";
    assert!(
        init.contains("\ntolerance = 0.01\n") && init.contains(lp),
        "{init}"
    );
    let cases = [
        (
            "tolerance = 0.01",
            "tolerance = inf",
            "tolerance = inf: expected from 0 to 100 eV or V",
        ),
        (
            "tolerance = 0.01",
            "tolerance = nan",
            "tolerance = NaN: expected from 0 to 100",
        ),
        (
            "tolerance = 0.01",
            "tolerance = -0.5",
            "tolerance = -0.5: expected from 0 to 100",
        ),
        (
            "tolerance = 0.01",
            "tolerance = 0.01\nU = 1e300",
            "U = 1e300: expected from -50 to 50 V",
        ),
        (
            "tolerance = 0.01",
            "tolerance = 0.01\npH = nan",
            "pH = NaN: expected from -5 to 20",
        ),
        (
            lp,
            "limiting_potential = { value = 0.5, tol = 0.05 }",
            "unknown field `tol`, expected `value` or `tolerance`",
        ),
        (
            lp,
            "limiting_potential = { value = 0.5, tolerance = 0.05, x = 1 }",
            "unknown field `x`",
        ),
        (
            lp,
            "limiting_potential = { value = 0.5, tolerance = inf }",
            "tolerance = inf: expected",
        ),
        (
            lp,
            "limiting_potential = { tolerance = 1 }",
            "missing field `value`",
        ),
        (
            lp,
            "limiting_potential = nan",
            "value = NaN: expected a finite number",
        ),
        (
            lp,
            "limiting_potential = \"x\"",
            "expected a number or { value = x, tolerance = t }",
        ),
    ];
    for (from, to, says) in cases {
        std::fs::write(&ex, init.replacen(from, to, 1)).expect("w");
        let line = 1
            + init[..init.find(from).expect("in the file")]
                .matches('\n')
                .count()
            + usize::from(to.starts_with("tolerance = 0.01\n"));
        chepath()
            .args(["check", &exs])
            .assert()
            .code(4)
            .stdout_excludes("checks,")
            .stderr_contains(&exs)
            .stderr_contains(&format!("line {line}"))
            .stderr_contains(says);
    }
    // a value without a tolerance of its own takes the default, and still fails
    std::fs::write(
        &ex,
        init.replacen(lp, "limiting_potential = { value = 0.78 }", 1),
    )
    .expect("w");
    chepath()
        .args(["check", &exs])
        .assert()
        .success()
        .stdout_contains("0 failed");
    std::fs::write(
        &ex,
        init.replacen(lp, "limiting_potential = { value = 0.70 }", 1),
    )
    .expect("w");
    chepath()
        .args(["check", &exs])
        .assert()
        .code(6)
        .stdout_contains("1 failed");
}

#[test]
fn rank_formats() {
    chepath()
        .args(["rank", PT, "--format", "csv"])
        .assert()
        .success()
        .stdout_contains("rank,model,limiting_potential_V")
        .stdout_contains("1,\"Pt(111)\",0.7800");
    let out = chepath()
        .args(["rank", PT, "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["rows"][0]["model"], "Pt(111)");
    assert!(v["conventions"].is_object());
    chepath()
        .args(["rank", PT, "--format", "markdown"])
        .assert()
        .success()
        .stdout_contains("| 1 | Pt(111) | +0.780 |");
}

/// Two synthetic models (made-up ORR energies; Gaussian d bands at -2.0 and -1.5 eV):
/// ranking by d-band centre, the descriptor plot and the PDOS overlay.
#[test]
fn rank_by_dband_with_plots() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    for (m, c) in [("A", -2.0f64), ("B", -1.5f64)] {
        let d = root.join(m).join("slab");
        std::fs::create_dir_all(&d).expect("mkdir");
        let nedos = 201;
        let e = |k: usize| -9.0 + 20.0 * k as f64 / (nedos - 1) as f64;
        let mut s = String::from("  2  2  1  0\n x\n x\n  CAR \n synthetic\n");
        s += &format!("  11.0 -9.0 {nedos} 1.0 1.0\n");
        for k in 0..nedos {
            s += &format!("{:.4} 1.0 1.0 0.0 0.0\n", e(k));
        }
        for atom in 0..2 {
            s += &format!("  11.0 -9.0 {nedos} 1.0 1.0\n");
            for k in 0..nedos {
                let x = e(k) - 1.0;
                let g = if atom == 0 {
                    (-(x - c) * (x - c) / 2.0).exp()
                } else {
                    0.0
                };
                s += &format!("{:.4} 0.01 0.01 0.02 0.02 {g:.8} {g:.8}\n", e(k));
            }
        }
        std::fs::write(d.join("DOSCAR"), s).expect("w");
        std::fs::write(
            d.join("POSCAR"),
            "CuN\n1.0\n8 0 0\n0 8 0\n0 0 8\nCu N\n1 1\nCartesian\n0 0 0\n1.9 0 0\n",
        )
        .expect("w");
    }
    let net = root.join("net.toml");
    std::fs::write(
        &net,
        "[references]\nH2 = { G = 0.0 }\nH2O = { G = 0.0 }\nO2 = { G = 4.92 }\n[network]\ntemplate = \"orr\"\n\
[models.A]\n\"*\" = { G = 0.0 }\n\"*O\" = { G = 1.58 }\n\"*OH\" = { G = 0.80 }\n\"*OOH\" = { G = 4.00 }\n\
[models.B]\n\"*\" = { G = 0.0 }\n\"*O\" = { G = 1.40 }\n\"*OH\" = { G = 0.60 }\n\"*OOH\" = { G = 3.80 }\n\
[dband.A]\npath = \"A/slab\"\natoms = \"Cu\"\n[dband.B]\npath = \"B/slab\"\natoms = \"Cu@N1\"\n",
    )
    .expect("w");
    let (desc, pdos) = (root.join("desc.svg"), root.join("pdos.png"));
    let out = chepath()
        .args([
            "rank",
            &net.display().to_string(),
            "--by",
            "dband",
            "--format",
            "json",
            "--plot",
            &desc.display().to_string(),
            "--pdos-plot",
            &pdos.display().to_string(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["rows"][0]["model"], "B", "closest to E_F first");
    assert!((v["rows"][0]["dband"]["center"].as_f64().unwrap() + 1.5).abs() < 1e-3);
    assert!((v["rows"][1]["limiting_potential"].as_f64().unwrap() - 0.78).abs() < 1e-9);
    let svg = std::fs::read_to_string(&desc).expect("svg");
    let texts = crate::common::svg::svg_texts(&svg).expect("well-formed SVG");
    assert!(
        texts.iter().any(|t| t == "A") && texts.iter().any(|t| t == "B"),
        "labelled points: {texts:?}"
    );
    assert!(texts.iter().any(|t| t.starts_with("U_L (V vs RHE)")));
    assert_eq!(svg.matches("<circle").count(), 2);
    assert!(std::fs::metadata(&pdos).expect("png").len() > 1000);
    // by limiting potential: A (0.78) before B (0.60)
    chepath()
        .args(["rank", &net.display().to_string(), "--format", "csv"])
        .assert()
        .success()
        .stdout_contains("1,\"A\",0.7800");
}
