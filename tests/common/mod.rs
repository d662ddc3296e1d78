//! Locating the shared VASP corpus for integration tests.
//!
//! The corpus is found through `CHEPATH_CORPUS`, else `../shared/vasp-corpus` beside the
//! project's root. Absent: the tests print a notice and pass, except when `CI=true`, where
//! the corpus is required and its absence fails the run.

#![allow(dead_code)]

pub mod svg;

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Once;

pub fn corpus() -> Option<PathBuf> {
    let p = match std::env::var_os("CHEPATH_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vasp-corpus"),
    };
    if p.join("REFERENCE.json").is_file() {
        return Some(p);
    }
    if std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
    {
        panic!(
            "CI=true but the VASP corpus is missing at {} (set CHEPATH_CORPUS)",
            p.display()
        );
    }
    eprintln!(
        "NOTICE: VASP corpus not found at {}; corpus tests skipped (set CHEPATH_CORPUS to run them)",
        p.display()
    );
    None
}

pub fn reference(corpus: &std::path::Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(corpus.join("REFERENCE.json")).expect("REFERENCE.json readable");
    serde_json::from_str(&text).expect("REFERENCE.json is JSON")
}

/// Files of one type in REFERENCE.json (`OUTCAR`, `OSZICAR`, `STRUCTURE`, `DOSCAR`, `vasprun`).
pub fn files_of_type<'a>(
    reference: &'a serde_json::Value,
    ty: &str,
) -> Vec<(&'a str, &'a serde_json::Value)> {
    let mut v: Vec<_> = reference
        .as_object()
        .expect("object")
        .iter()
        .filter(|(k, e)| !k.starts_with('_') && e.get("type").and_then(|t| t.as_str()) == Some(ty))
        .map(|(k, e)| (k.as_str(), e))
        .collect();
    v.sort_by_key(|(k, _)| *k);
    v
}

/// Copy a directory tree (tests build planted-mistake trees from the samples).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("dir entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// `catch_unwind` without the panic message, for sweeps that expect panics and report them
/// as failures themselves. Only the calling thread is silenced: the other tests of this
/// binary run in parallel and keep their messages (a process-wide `set_hook(|_| {})` would
/// swallow them).
pub fn catch_quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let r = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    r
}

/// The `chepath` binary cargo built for this test run, stdin empty (what assert_cmd did),
/// stdout and stderr captured by [`Run::assert`].
pub fn chepath() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_chepath"));
    c.stdin(std::process::Stdio::null());
    c
}

/// Runs a command to its end and returns what it did, for assertions.
pub trait Run {
    fn assert(&mut self) -> Outcome;
}

impl Run for std::process::Command {
    fn assert(&mut self) -> Outcome {
        let what = format!("{self:?}");
        let output = self
            .output()
            .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
        Outcome { what, output }
    }
}

/// The exit status and captured output of one run. Every check panics with the command,
/// its exit status, stdout and stderr.
pub struct Outcome {
    what: String,
    output: std::process::Output,
}

impl Outcome {
    #[track_caller]
    fn fail(&self, why: &str) -> ! {
        panic!(
            "{why}\ncommand: {}\nstatus: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.what,
            self.output.status,
            String::from_utf8_lossy(&self.output.stdout),
            String::from_utf8_lossy(&self.output.stderr)
        )
    }

    /// Exit code 0.
    #[track_caller]
    pub fn success(self) -> Self {
        if !self.output.status.success() {
            self.fail("expected success");
        }
        self
    }

    /// Any exit but success (a non-zero code or a signal).
    #[track_caller]
    pub fn failure(self) -> Self {
        if self.output.status.success() {
            self.fail("expected failure");
        }
        self
    }

    /// Exactly this exit code.
    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        if self.output.status.code() != Some(code) {
            self.fail(&format!("expected exit code {code}"));
        }
        self
    }

    /// stdout is UTF-8 and contains `needle`.
    #[track_caller]
    pub fn stdout_contains(self, needle: &str) -> Self {
        match std::str::from_utf8(&self.output.stdout) {
            Ok(s) if s.contains(needle) => self,
            Ok(_) => self.fail(&format!("stdout does not contain {needle:?}")),
            Err(_) => self.fail("stdout is not UTF-8"),
        }
    }

    /// stderr is UTF-8 and contains `needle`.
    #[track_caller]
    pub fn stderr_contains(self, needle: &str) -> Self {
        match std::str::from_utf8(&self.output.stderr) {
            Ok(s) if s.contains(needle) => self,
            Ok(_) => self.fail(&format!("stderr does not contain {needle:?}")),
            Err(_) => self.fail("stderr is not UTF-8"),
        }
    }

    /// stdout does not contain `needle`.
    #[track_caller]
    pub fn stdout_excludes(self, needle: &str) -> Self {
        if String::from_utf8_lossy(&self.output.stdout).contains(needle) {
            self.fail(&format!("stdout contains {needle:?}"));
        }
        self
    }

    pub fn get_output(&self) -> &std::process::Output {
        &self.output
    }
}

/// The last `energy(sigma->0) =` value printed in an OUTCAR, by text search (independent of
/// chepath's reader).
pub fn printed_e0(outcar: &std::path::Path) -> f64 {
    let text = std::fs::read_to_string(outcar).expect("read OUTCAR");
    let line = text
        .lines()
        .rev()
        .find(|l| l.contains("energy(sigma->0) ="))
        .expect("an energy line");
    line.rsplit('=')
        .next()
        .and_then(|v| v.trim().parse().ok())
        .expect("a number")
}
