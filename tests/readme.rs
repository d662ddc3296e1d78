//! Every `chepath` command of the README's code blocks runs as written (issue 18: README
//! examples that were placeholders and failed). Commands are read from the fenced blocks
//! (`chepath …`, `$ chepath …`, `cargo run --release -- …`); the files they write (`-o`,
//! `--plot`, `--junit`, `expected.toml`) go to a temporary directory; commands on the shared
//! corpus run when it is there (required under CI=true). The only command that names files
//! the repository does not hold is the barrier example (IS TS FS built by its tests).

use crate::common::{self, chepath};
use std::path::{Path, PathBuf};

/// Options whose value is a file the command writes.
const OUTPUTS: [&str; 5] = ["-o", "--output", "--plot", "--junit", "--pdos-plot"];

/// Commands shown with the files they were run on, which only their tests build.
const SHOWN_NOT_BUNDLED: [&str; 1] = ["chepath barrier IS TS FS"];

/// The command lines of the README's fenced code blocks, `chepath` first.
fn commands(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in readme.lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside;
            continue;
        }
        if !inside {
            continue;
        }
        let l = line.trim().trim_start_matches("$ ");
        if let Some(rest) = l.strip_prefix("cargo run --release -- ") {
            out.push(format!("chepath {rest}"));
        } else if l.starts_with("chepath ") {
            out.push(l.to_string());
        }
    }
    out
}

/// Shell-like words: double quotes group, ` #` starts a comment.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut any) = (false, false);
    let mut prev_space = true;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            '#' if !quoted && prev_space => break,
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
        prev_space = c.is_whitespace();
    }
    if any {
        out.push(cur);
    }
    out
}

/// The arguments of a README command line as the test runs it: outputs into `tmp`, corpus
/// paths where the corpus is. `None` when it needs the corpus and there is none.
fn args_of(line: &str, tmp: &Path, corpus: &Option<PathBuf>) -> Option<Vec<PathBuf>> {
    let w = words(line);
    if w.iter().any(|a| a.starts_with("../shared/")) && corpus.is_none() {
        return None;
    }
    let mut args: Vec<PathBuf> = Vec::new();
    let mut next_is_output = false;
    for a in &w[1..] {
        let name = Path::new(a)
            .file_name()
            .map(PathBuf::from)
            .unwrap_or_default();
        if next_is_output || a == "expected.toml" {
            args.push(tmp.join(name));
        } else if let (Some(rest), Some(c)) = (a.strip_prefix("../shared/vasp-corpus/"), corpus) {
            // the corpus where the tests find it (CHEPATH_CORPUS, else ../shared)
            args.push(c.join(rest));
        } else {
            args.push(PathBuf::from(a));
        }
        next_is_output = OUTPUTS.contains(&a.as_str());
    }
    Some(args)
}

fn run(line: &str, args: &[PathBuf]) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = chepath()
        .args(args)
        .current_dir(root)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "README command failed: {line}\nran: {args:?}\nstatus {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn every_readme_command_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let corpus = common::corpus();
    let tmp = tempfile::tempdir().expect("tmp");
    let cmds = commands(&readme);
    assert!(cmds.len() >= 15, "{cmds:?}");
    let mut ran = 0;
    for line in &cmds {
        if SHOWN_NOT_BUNDLED.contains(&line.as_str()) {
            continue;
        }
        if let Some(args) = args_of(line, tmp.path(), &corpus) {
            run(line, &args);
            ran += 1;
        }
    }
    assert!(ran >= 12, "only {ran} commands ran");
}

/// The output blocks the README marks `<!-- output of: COMMAND -->`: each with its command.
fn shown_outputs(readme: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(l) = lines.next() {
        let Some(cmd) = l
            .trim()
            .strip_prefix("<!-- output of: ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next().map(str::trim),
            Some("```"),
            "{cmd}: a block must follow"
        );
        let block: Vec<String> = lines
            .by_ref()
            .take_while(|l| l.trim() != "```")
            .map(String::from)
            .collect();
        out.push((cmd.to_string(), block));
    }
    out
}

/// Does the printed line match the shown one? `…` in the shown line stands for any text.
fn matches(shown: &str, printed: &str) -> bool {
    let parts: Vec<&str> = shown.split('…').collect();
    let (first, rest) = parts.split_first().expect("split gives one part");
    let Some(mut at) = printed.strip_prefix(first).map(|r| printed.len() - r.len()) else {
        return false;
    };
    for (k, p) in rest.iter().enumerate() {
        let last = k + 1 == rest.len();
        if last && !p.is_empty() {
            return printed[at..].ends_with(p);
        }
        match printed[at..].find(p) {
            Some(i) => at += i + p.len(),
            None => return false,
        }
    }
    parts.len() > 1 || at == printed.len()
}

/// Every shown line is printed, in order; a line that is `…` alone stands for any lines,
/// otherwise the shown lines are consecutive printed lines. Err: the first that is not.
fn shown_as_printed(shown: &[String], printed: &str) -> Result<(), String> {
    let printed: Vec<&str> = printed.lines().collect();
    let (mut j, mut gap) = (0, false);
    for s in shown {
        if s.trim() == "…" {
            gap = true;
            continue;
        }
        let found = if gap {
            (j..printed.len()).find(|&k| matches(s, printed[k]))
        } else {
            (j < printed.len() && matches(s, printed[j])).then_some(j)
        };
        let Some(k) = found else {
            return Err(format!(
                "shown line not printed{}: {s}\nnext printed: {:?}",
                if gap { "" } else { " next" },
                printed.get(j)
            ));
        };
        (j, gap) = (k + 1, false);
    }
    Ok(())
}

/// Issue 18: the README's outputs are shown as printed (the report table once lacked the
/// warnings column; `parse` printed lines the README left out without a mark).
#[test]
fn readme_outputs_are_shown_as_printed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let corpus = common::corpus();
    let tmp = tempfile::tempdir().expect("tmp");
    let shown = shown_outputs(&readme);
    assert!(shown.len() >= 2, "{shown:?}");
    for (cmd, block) in &shown {
        let Some(args) = args_of(cmd, tmp.path(), &corpus) else {
            eprintln!("NOTICE: no corpus: the README output of `{cmd}` is not compared");
            continue;
        };
        let out = run(cmd, &args);
        if let Err(e) = shown_as_printed(block, &String::from_utf8_lossy(&out.stdout)) {
            panic!("README output of `{cmd}` differs from what it prints: {e}");
        }
    }
}

#[test]
fn shown_lines_match_with_ellipses() {
    assert!(matches("a …/b c", "a /long/path/b c"));
    assert!(matches("NOTICE: x …", "NOTICE: x and more"));
    assert!(!matches("NOTICE: x", "NOTICE: x and more"));
    assert!(!matches("a …/c", "a /b/d"));
    let shown: Vec<String> = ["one", "two", "…", "five"].map(String::from).to_vec();
    assert!(shown_as_printed(&shown, "one\ntwo\nthree\nfour\nfive\n").is_ok());
    assert!(shown_as_printed(&shown, "one\nthree\nfive\n").is_err());
    assert!(shown_as_printed(&shown, "one\ntwo\nthree\n").is_err());
}

#[test]
fn words_and_commands_are_read_like_a_shell() {
    assert_eq!(
        words(r#"chepath thermo "a b/c" --json   # comment"#),
        vec!["chepath", "thermo", "a b/c", "--json"]
    );
    assert_eq!(words("chepath rank x#y"), vec!["chepath", "rank", "x#y"]);
    let md =
        "text\n```sh\n$ chepath parse f\ncargo run --release -- report r -o o\n```\nchepath no\n";
    assert_eq!(
        commands(md),
        vec!["chepath parse f", "chepath report r -o o"]
    );
}
