//! `chepath check` for users' CI: passes on the Pt(111) ORR network, fails with a clear diff
//! when an expected value is changed, JUnit XML, and careful rewriting.

use assert_cmd::Command;
use predicates::prelude::*;

fn chepath() -> Command {
    Command::cargo_bin("chepath").expect("binary")
}

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
        .stderr(predicate::str::contains("never overwrites"));
    // passes
    chepath()
        .args(["check", &exs])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 failed"));
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
        .stdout(
            predicate::str::contains("+0.8000")
                .and(predicate::str::contains("-0.0200"))
                .and(predicate::str::contains("2 failed")),
        );
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
        .stdout(predicate::str::contains("1 failed"));
    // --update refuses without a terminal, and shows the diff first
    chepath()
        .args(["check", &exs, "--update"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("values that change"))
        .stderr(predicate::str::contains("--yes"));
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

#[test]
fn rank_formats() {
    chepath()
        .args(["rank", PT, "--format", "csv"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("rank,model,limiting_potential_V")
                .and(predicate::str::contains("1,\"Pt(111)\",0.7800")),
        );
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
        .stdout(predicate::str::contains("| 1 | Pt(111) | +0.780 |"));
}
