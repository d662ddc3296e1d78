//! `chepath scan`: every calculation under a tree, streamed as a table or JSON lines, with a
//! progress bar on a terminal and resumable file output.

use super::{exit, ScanArgs};
use chepath::load::scan::{self, Depth, ScanHeader, ScanRecord};
use chepath::records::{display_path, escape_bytes, escape_path};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use std::collections::HashSet;
use std::io::{BufRead, BufWriter, IsTerminal, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The first line of a `-o` file: the library's header, then the roots' exact bytes.
#[derive(Serialize)]
struct HeaderLine<'a> {
    #[serde(flatten)]
    header: &'a ScanHeader,
    root_escaped: String,
    root_as_given_escaped: String,
}

/// The root canonical, as [`escape_path`] (the exact bytes of [`ScanHeader::root`]).
fn canonical_escaped(root: &Path) -> String {
    escape_path(&std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()))
}

/// A directory's key in a `-o` file: its exact path relative to the root.
fn key(root: &Path, dir: &Path) -> String {
    scan::relative_to(&escape_path(root), &escape_path(dir))
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "-",
    }
}

const TABLE_HEADER: &str = "     E0 (eV)  SCF  relax  finished  path";

/// A table row; `dir` is the record's directory, shown exactly (escaped when not UTF-8).
fn table_line(r: &ScanRecord, dir: &Path) -> String {
    let shown = display_path(dir);
    let e = r
        .energy_sigma0
        .map(|e| format!("{e:12.6}"))
        .unwrap_or_else(|| format!("{:>12}", "-"));
    let mut line = format!(
        "{e}  {:<3}  {:<5}  {:<8}  {}",
        yes_no(r.electronic_converged),
        yes_no(r.ionic_converged),
        match (&r.source, r.complete) {
            (None, _) => "-",
            (Some(_), Some(true)) => "yes",
            (Some(_), Some(false)) => "NO",
            (Some(_), None) => "?",
        },
        shown
    );
    if let Some(first) = r.errors.first() {
        line.push_str(&format!("   error: {first}"));
    } else if r.source.is_none() {
        line.push_str("   (no energy file)");
    }
    line
}

#[derive(Default)]
struct Totals {
    read: usize,
    ok: usize,
    incomplete: usize,
    unconverged: usize,
    errors: usize,
    no_energy: usize,
}

impl Totals {
    fn add(&mut self, r: &ScanRecord) {
        self.read += 1;
        if !r.errors.is_empty() {
            self.errors += 1;
        } else if r.source.is_none() {
            self.no_energy += 1;
        } else if r.complete == Some(false) {
            self.incomplete += 1;
        } else if r.electronic_converged == Some(false) || r.ionic_converged == Some(false) {
            self.unconverged += 1;
        }
        if r.ok() {
            self.ok += 1;
        }
    }
}

/// Where the records go besides stdout, opened before any work.
struct Output {
    /// The `-o` file, positioned for appending.
    file: Option<BufWriter<std::fs::File>>,
    /// Directories already in it (with --resume), as [`key`]s: not read again.
    done: HashSet<String>,
}

pub fn run(a: &ScanArgs) -> i32 {
    if !a.root.is_dir() {
        return not_a_directory(&a.root);
    }
    let started = std::time::Instant::now();
    // Open the output first: refuse before any work if it would overwrite something.
    let Output {
        file: mut file_out,
        done: skip,
    } = match open_output(a) {
        Ok(o) => o,
        Err(code) => return code,
    };

    let (mut dirs, walk_errors) = scan::find_calculations(&a.root);
    for e in &walk_errors {
        eprintln!("warning: {e}");
    }
    let found = dirs.len();
    if !skip.is_empty() {
        dirs.retain(|d| !skip.contains(&key(&a.root, d)));
    }
    if found == 0 {
        eprintln!(
            "error: {}: no calculation found (a calculation directory holds an OUTCAR, OSZICAR, CONTCAR, POSCAR, DOSCAR or vasprun.xml, optionally .gz)",
            a.root.display()
        );
        return exit::FORMAT;
    }

    let bar = progress_bar(dirs.len());
    let (totals, write_error) = stream(a, &dirs, &bar, &mut file_out);
    if let Some(e) = write_error {
        if e.contains("Broken pipe") {
            return exit::OK;
        }
        eprintln!("error: could not write {e}");
        return exit::IO;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!("{}", summary_line(a, &totals, secs, found - dirs.len()));
    if !walk_errors.is_empty() {
        return exit::IO;
    }
    if a.strict && totals.ok < totals.read {
        eprintln!(
            "error: --strict: {} calculations are incomplete, unconverged or unreadable",
            totals.read - totals.ok
        );
        return exit::PARTIAL;
    }
    exit::OK
}

/// The error for a root that is not a directory (a file, or nothing): printed, and its
/// exit code.
fn not_a_directory(root: &Path) -> i32 {
    if let Some(e) = chepath::load::scan::root_error(root) {
        eprintln!("error: {e}");
    }
    exit::IO
}

/// The `-o` file: refused when it exists, unless --resume (its own output for this root:
/// a cut last line dropped, its directories skipped) or --force (replaced). A new file is
/// created exclusively and every output file is locked while the scan writes it, so two
/// scans never interleave. Err: the exit code, the error printed.
fn open_output(a: &ScanArgs) -> Result<Output, i32> {
    let Some(out) = &a.output else {
        return Ok(Output {
            file: None,
            done: HashSet::new(),
        });
    };
    let fail = |msg: String| {
        eprintln!("error: {}: {msg}", out.display());
        Err(exit::IO)
    };
    let exists = out.exists();
    if exists && !a.resume && !a.force {
        return fail("exists; chepath does not overwrite files: --resume continues it, --force replaces it, or choose another name".into());
    }
    let opened = if exists {
        std::fs::OpenOptions::new().read(true).write(true).open(out)
    } else {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(out)
    };
    let mut f = match opened {
        Ok(f) => f,
        Err(e) => return Err(super::out::could_not_write(out, e)),
    };
    if f.try_lock().is_err() {
        return fail("another chepath scan is writing this file: not touched".into());
    }
    let (prepared, done) = if exists && a.resume {
        match resume(&mut f, &a.root) {
            Ok((valid_len, done)) => (
                f.set_len(valid_len)
                    .and_then(|_| f.seek(std::io::SeekFrom::End(0)).map(|_| ())),
                done,
            ),
            Err(why) => return fail(why),
        }
    } else {
        (write_header(&mut f, &a.root), HashSet::new())
    };
    match prepared {
        Ok(()) => Ok(Output {
            file: Some(BufWriter::new(f)),
            done,
        }),
        Err(e) => Err(super::out::could_not_write(out, e)),
    }
}

/// A new `-o` file's content: its header line only.
fn write_header(f: &mut std::fs::File, root: &Path) -> std::io::Result<()> {
    let header = ScanHeader::new(root);
    let line = HeaderLine {
        header: &header,
        root_escaped: canonical_escaped(root),
        root_as_given_escaped: escape_path(root),
    };
    f.set_len(0)?;
    serde_json::to_writer(&mut *f, &line).map_err(std::io::Error::other)?;
    f.write_all(b"\n")
}

/// Where an earlier `-o` file of this root stands: the length of its complete lines and the
/// [`key`]s of the directories in them. Err (why it is not continued): not a scan file of
/// this root ([`scan::resume_point`]), or one of another root whose name differs only in
/// bytes that are not UTF-8.
fn resume(f: &mut std::fs::File, root: &Path) -> Result<(u64, HashSet<String>), String> {
    let rp = scan::resume_point(std::io::BufReader::new(&mut *f), root)?;
    f.seek(std::io::SeekFrom::Start(0))
        .map_err(|e| e.to_string())?;
    let mut lines = std::io::BufReader::new((&*f).take(rp.valid_len)).split(b'\n');
    let value = |l: Option<std::io::Result<Vec<u8>>>| -> Result<serde_json::Value, String> {
        let bytes = l
            .transpose()
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())
    };
    let header = value(lines.next())?;
    let text =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let want = canonical_escaped(root);
    if let Some(written) = text(&header, "root_escaped").filter(|w| *w != want) {
        return Err(format!(
            "it was written for {written}, not {want}: not continued"
        ));
    }
    // without an escaped form (a UTF-8 path, or a file of an older version) `path` is the key
    let exact = |v: &serde_json::Value, escaped: &str, plain: &str| {
        text(v, escaped).or_else(|| text(v, plain).map(|p| escape_bytes(p.as_bytes())))
    };
    let prefix = exact(&header, "root_as_given_escaped", "root_as_given").unwrap_or_default();
    let mut done = HashSet::new();
    for line in lines {
        let v = value(Some(line))?;
        if let Some(p) = exact(&v, "path_escaped", "path") {
            done.insert(scan::relative_to(&prefix, &p));
        }
    }
    Ok((rp.valid_len, done))
}

/// A progress bar over `n` directories, drawn only when stderr is a terminal.
fn progress_bar(n: usize) -> ProgressBar {
    let bar = ProgressBar::new(n as u64);
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} {per_sec} eta {eta} {wide_msg}")
        {
            bar.set_style(style);
        }
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// Read `dirs` and write each record as it comes, in order, counting them: to the `-o` file,
/// else to stdout as JSON lines or table lines (under a header). Stops at the first write
/// error, which is returned with the counts.
fn stream(
    a: &ScanArgs,
    dirs: &[PathBuf],
    bar: &ProgressBar,
    file_out: &mut Option<BufWriter<std::fs::File>>,
) -> (Totals, Option<String>) {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let table = file_out.is_none() && !a.json_lines;
    let mut totals = Totals::default();
    let mut write_error: Option<String> = None;
    if table {
        let _ = writeln!(out, "{TABLE_HEADER}");
    }
    let depth = if a.full { Depth::Full } else { Depth::Quick };
    scan::scan(dirs, depth, a.jobs, |k, r| {
        totals.add(&r);
        bar.inc(1);
        let dir = dirs.get(k).map(PathBuf::as_path).unwrap_or(Path::new(""));
        match write_record(a, &r, dir, file_out, &mut out) {
            Ok(()) => true,
            Err(e) => {
                write_error = Some(e);
                false
            }
        }
    });
    bar.finish_and_clear();
    let flushed = out.flush().and_then(|_| match file_out.as_mut() {
        Some(f) => f.flush(),
        None => Ok(()),
    });
    if let Err(e) = flushed {
        write_error.get_or_insert(e.to_string());
    }
    (totals, write_error)
}

/// One record (of the directory `dir`): a JSON line to the `-o` file, else a JSON line or a
/// table line to `out`. Err: what failed, named.
fn write_record(
    a: &ScanArgs,
    r: &ScanRecord,
    dir: &Path,
    file_out: &mut Option<BufWriter<std::fs::File>>,
    out: &mut impl Write,
) -> Result<(), String> {
    // the record carries the exact bytes of its paths where they differ (`path_escaped`,
    // `source_escaped`: `--resume` matches on them), as the Python package returns it
    let line = r;
    if let Some(f) = file_out.as_mut() {
        serde_json::to_writer(&mut *f, &line)
            .map_err(std::io::Error::other)
            .and_then(|_| f.write_all(b"\n"))
            .map_err(|e| {
                format!(
                    "{}: {e}",
                    a.output.as_deref().unwrap_or(a.root.as_path()).display()
                )
            })
    } else if a.json_lines {
        serde_json::to_writer(&mut *out, &line)
            .map_err(std::io::Error::other)
            .and_then(|_| out.write_all(b"\n"))
            .map_err(|e| format!("stdout: {e}"))
    } else {
        writeln!(out, "{}", table_line(r, dir)).map_err(|e| format!("stdout: {e}"))
    }
}

/// The closing line: how many calculations were read in how long, by state; how many were
/// already in the resumed `-o` file (`skipped`), and where the JSON lines are.
fn summary_line(a: &ScanArgs, totals: &Totals, secs: f64, skipped: usize) -> String {
    let mut msg = format!(
        "{} calculations read in {secs:.2} s: {} complete and converged, {} incomplete, {} not converged, {} unreadable, {} without an energy file",
        totals.read, totals.ok, totals.incomplete, totals.unconverged, totals.errors, totals.no_energy
    );
    if skipped > 0 {
        msg.push_str(&format!(
            "; {skipped} already in {} (resumed)",
            a.output
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ));
    }
    if let Some(o) = &a.output {
        msg.push_str(&format!("; JSON lines in {}", o.display()));
    }
    msg
}
