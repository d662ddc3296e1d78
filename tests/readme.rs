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
        let w = words(line);
        if w.iter().any(|a| a.starts_with("../shared/")) && corpus.is_none() {
            continue;
        }
        let mut args: Vec<PathBuf> = Vec::new();
        let mut next_is_output = false;
        for a in &w[1..] {
            let name = Path::new(a)
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_default();
            if next_is_output || a == "expected.toml" {
                args.push(tmp.path().join(name));
            } else if let (Some(rest), Some(c)) =
                (a.strip_prefix("../shared/vasp-corpus/"), &corpus)
            {
                // the corpus where the tests find it (CHEPATH_CORPUS, else ../shared)
                args.push(c.join(rest));
            } else {
                args.push(PathBuf::from(a));
            }
            next_is_output = OUTPUTS.contains(&a.as_str());
        }
        let out = chepath()
            .args(&args)
            .current_dir(root)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "README command failed: {line}\nran: {args:?}\nstatus {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 12, "only {ran} commands ran");
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
