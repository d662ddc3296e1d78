//! `chepath check`: expected values against current ones, with a diff, JUnit XML, and
//! careful rewriting of the expected file.

use super::{exit, fail, CheckArgs};
use chepath::checks::expected::{self as check, Outcome};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Color, Table};
use std::io::{IsTerminal, Write};
use std::path::{Component, Path, PathBuf};

/// `to` relative to the directory `from` (both made absolute first).
fn relative(to: &Path, from: &Path) -> String {
    let abs = |p: &Path| {
        p.canonicalize().unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|c| c.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (t, f) = (abs(to), abs(from));
    let tc: Vec<Component> = t.components().collect();
    let fc: Vec<Component> = f.components().collect();
    let common = tc.iter().zip(&fc).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..fc.len() {
        out.push("..");
    }
    for c in &tc[common..] {
        out.push(c.as_os_str());
    }
    out.display().to_string()
}

fn table(outcomes: &[Outcome]) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "model",
        "quantity",
        "expected",
        "got",
        "Δ",
        "tolerance",
        "within?",
    ]);
    for o in outcomes {
        t.add_row(vec![
            Cell::new(&o.model),
            Cell::new(&o.quantity),
            Cell::new(&o.expected).set_alignment(CellAlignment::Right),
            Cell::new(&o.got).set_alignment(CellAlignment::Right),
            Cell::new(o.delta.map(|d| format!("{d:+.4}")).unwrap_or_default())
                .set_alignment(CellAlignment::Right),
            Cell::new(o.tolerance.map(|d| format!("{d}")).unwrap_or_default())
                .set_alignment(CellAlignment::Right),
            if o.ok {
                Cell::new("yes").fg(Color::Green)
            } else {
                Cell::new("NO").fg(Color::Red)
            },
        ]);
    }
    format!("{t}\n")
}

pub fn run(a: &CheckArgs) -> i32 {
    if let Some(src) = &a.init {
        return init(a, src);
    }
    // refused before any work: a JUnit file that is not chepath's, or one that cannot be written
    if let Some(j) = &a.junit {
        if let Err(code) = junit_target(j) {
            return code;
        }
    }
    if a.update {
        if let Err(code) = super::out::file(&a.expected, true) {
            return code;
        }
    }
    let checked = match chepath::api::check::check(&a.expected, a.tolerance) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let (text, ex, cur, outcomes) = (
        checked.text,
        checked.expected,
        checked.current,
        checked.outcomes,
    );
    if a.update {
        return update(a, &text, &cur, &outcomes);
    }
    print!("{}", super::pathway::conventions_text(&cur.report));
    print!("{}", table(&outcomes));
    let fails = outcomes.iter().filter(|o| !o.ok).count();
    println!(
        "{} checks, {} failed ({}; default tolerance {})",
        outcomes.len(),
        fails,
        a.expected.display(),
        ex.tolerance
    );
    if let Some(j) = &a.junit {
        if let Err(e) = chepath::output::write_file(
            j,
            check::junit(&a.expected.display().to_string(), &outcomes).as_bytes(),
        ) {
            return super::out::could_not_write(j, e);
        }
    }
    if fails > 0 {
        exit::CHECK_FAILED
    } else {
        exit::OK
    }
}

/// The `--junit` file: a new one, or an earlier chepath JUnit report (replaced), in a
/// directory that takes it. Err: the exit code, the error printed.
fn junit_target(j: &Path) -> Result<(), i32> {
    if j.exists() && !j.is_dir() {
        let old = chepath::load::read_text(j).unwrap_or_default();
        if !old.contains("<testsuites name=\"chepath check\"") {
            eprintln!("error: {} exists and is not a chepath JUnit report: not overwritten; choose another name", j.display());
            return Err(exit::IO);
        }
    }
    super::out::file(j, true)
}

fn init(a: &CheckArgs, src: &Path) -> i32 {
    if a.expected.exists() {
        eprintln!("error: {} exists: --init writes a new file and never overwrites one (use --update to refresh its values)", a.expected.display());
        return exit::IO;
    }
    if let Err(code) = super::out::file(&a.expected, false) {
        return code;
    }
    let cur = match chepath::load::load(src, None).and_then(|l| check::current(&l, None, None)) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let dir = a
        .expected
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let rel = relative(src, dir);
    let text = check::write_expected(
        &rel,
        a.tolerance.unwrap_or(0.01),
        &cur,
        "Written by `chepath check --init`: review the values before trusting them.",
    );
    if let Err(e) = chepath::output::write_file(&a.expected, text.as_bytes()) {
        return super::out::could_not_write(&a.expected, e);
    }
    println!(
        "wrote {} ({} models) from {}",
        a.expected.display(),
        cur.models.len(),
        src.display()
    );
    exit::OK
}

fn update(a: &CheckArgs, old: &str, cur: &check::Current, outcomes: &[Outcome]) -> i32 {
    let changed: Vec<&Outcome> = outcomes.iter().filter(|o| o.expected != o.got).collect();
    let text = match check::update_expected(old, &a.expected.display().to_string(), cur) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    if text == old {
        println!("{}: already up to date", a.expected.display());
        return exit::OK;
    }
    println!("values that change in {}:", a.expected.display());
    let ch: Vec<Outcome> = changed.into_iter().cloned().collect();
    print!("{}", table(&ch));
    println!("(values for quantities not yet in the file are added; models no longer in the source are dropped)");
    if !a.yes {
        if !std::io::stdin().is_terminal() {
            eprintln!(
                "error: refusing to rewrite {} without a terminal to confirm: pass --yes",
                a.expected.display()
            );
            return exit::USAGE;
        }
        print!("rewrite {}? [y/N] ", a.expected.display());
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("left unchanged");
            return exit::OK;
        }
    }
    if let Err(e) = chepath::output::write_file(&a.expected, text.as_bytes()) {
        return super::out::could_not_write(&a.expected, e);
    }
    println!("rewrote {}", a.expected.display());
    exit::OK
}
