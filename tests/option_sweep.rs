//! Every option value of every subcommand through extreme values (issue 18, items 2 and 6).
//!
//! The options are read from each subcommand's `--help` when the test runs, so an option
//! added later is swept without editing this file. Each value-taking option is classified:
//! a file path (not swept: the commands' own tests cover paths), a name or selection
//! (swept: no panic), an enum (swept: no panic), or **numeric**, everything else (swept: no
//! panic, and a value refused is a usage error, exit 2, whose message names the option and
//! states its bounds; a value accepted behaves as the command's baseline run, prints no NaN
//! or infinity). The values: 0, -1, NaN, inf, -inf, 1e9 (also written out), 1e300, also
//! inside `MIN:MAX` and lists. Runs go to files in a tempdir, in parallel threads, each with
//! a time limit.
//!
//! Then the exit codes of item 6: usage errors, refusals to overwrite (one code, 3, before
//! any work), write errors ("could not write" with the path and the OS reason), a state not
//! in the network, "no complete path", and an empty OUTCAR in a state's directory.

use crate::common::{self, chepath, Run};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The extreme values (`1000000000`: 10^9 as a whole number, for the integer options).
const VALUES: [&str; 8] = [
    "0",
    "-1",
    "nan",
    "inf",
    "-inf",
    "1e9",
    "1000000000",
    "1e300",
];

/// Options whose value is a file or directory: not swept with numbers.
const PATHS: [&str; 8] = [
    "species-from",
    "structure",
    "plot",
    "pdos-plot",
    "junit",
    "init",
    "output",
    "freq",
];

/// Options whose value is a name or a selection: swept, only for panics.
const NAMES: [&str; 5] = ["atoms", "orbital", "models", "template", "energy"];

/// The numeric options there are today: the sweep must find at least these (a sanity check
/// of the `--help` parsing; new ones are found and swept without being listed).
const KNOWN_NUMERIC: [(&str, &str); 24] = [
    ("dband", "cutoff"),
    ("dband", "window"),
    ("dband", "xlim"),
    ("thermo", "freqs"),
    ("thermo", "temperature"),
    ("thermo", "pressure"),
    ("thermo", "symmetry"),
    ("thermo", "spin"),
    ("thermo", "soft-mode-floor"),
    ("pathway", "U"),
    ("pathway", "pH"),
    ("rank", "U"),
    ("rank", "pH"),
    ("check", "tolerance"),
    ("diagram", "U"),
    ("diagram", "pH"),
    ("diagram", "at"),
    ("diagram", "width"),
    ("diagram", "height"),
    ("diagram", "dpi"),
    ("diagram", "font"),
    ("report", "U"),
    ("report", "pH"),
    ("scan", "jobs"),
];

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_outputs/vasp")
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Numeric,
    Name,
    Enum,
}

/// A value-taking option of a subcommand, as its `--help` shows it.
#[derive(Debug, Clone)]
struct Opt {
    cmd: String,
    long: String,
    value_name: String,
    kind: Kind,
}

/// The subcommands, from `chepath --help`.
fn subcommands() -> Vec<String> {
    let out = chepath().arg("--help").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let mut cmds = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("Commands:") {
            inside = true;
            continue;
        }
        if inside {
            if !line.starts_with("  ") {
                break;
            }
            // `  parse    Read VASP files …`, continuation lines are indented deeper
            if line.starts_with("   ") {
                continue;
            }
            if let Some(name) = line.split_whitespace().next() {
                if name != "help" {
                    cmds.push(name.to_string());
                }
            }
        }
    }
    assert!(cmds.len() >= 11, "subcommands of chepath --help: {cmds:?}");
    cmds
}

/// `--long <VALUE>` at the start of an option line of a help text.
fn option_line(line: &str) -> Option<(String, String)> {
    let t = line.trim_start();
    let t = match t.strip_prefix('-') {
        Some(r) if !r.starts_with('-') => r.split_once(", ")?.1,
        _ => t,
    };
    let rest = t.strip_prefix("--")?;
    let (long, value) = rest.split_once(" <")?;
    let value = value.split_once('>')?.0;
    Some((long.to_string(), value.to_string()))
}

/// Every value-taking option of `cmd`, from `chepath CMD --help`.
fn options_of(cmd: &str) -> Vec<Opt> {
    let out = chepath().args([cmd, "--help"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut opts = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let Some((long, value_name)) = option_line(line) else {
            continue;
        };
        if PATHS.contains(&long.as_str()) {
            continue;
        }
        // the option's description: up to the next option line
        let block: String = lines[k + 1..]
            .iter()
            .take_while(|l| !l.trim_start().starts_with('-'))
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        let kind = if NAMES.contains(&long.as_str()) {
            Kind::Name
        } else if block.contains("ossible values") {
            Kind::Enum
        } else {
            Kind::Numeric
        };
        opts.push(Opt {
            cmd: cmd.to_string(),
            long,
            value_name,
            kind,
        });
    }
    opts
}

/// What a run needs besides the option: the input, and outputs in `tmp` (`n` keeps each
/// run's files apart).
fn base_args(o: &Opt, tmp: &Path, expected: &Path, n: usize) -> Vec<String> {
    let s = |p: PathBuf| p.display().to_string();
    let samples = samples();
    let out = |name: &str| s(tmp.join(format!("{n}-{name}")));
    let mut a: Vec<String> = vec![o.cmd.clone()];
    match (o.cmd.as_str(), o.long.as_str()) {
        ("parse", _) => a.push(s(samples.join("CuN4/H/OUTCAR"))),
        ("dband", "xlim") => a.extend([
            s(samples.join("CuN4/dos")),
            "--atoms".into(),
            "Cu@N4".into(),
            "--plot".into(),
            out("pdos.svg"),
        ]),
        ("dband", _) => a.extend([
            s(samples.join("CuN4/dos")),
            "--atoms".into(),
            "Cu@N4".into(),
        ]),
        ("thermo", "freqs") => {}
        ("thermo", "pressure" | "symmetry" | "spin" | "geometry") => a.extend([
            s(samples.join("gas/H2O/freq")),
            "--model".into(),
            "ideal-gas".into(),
        ]),
        ("thermo", _) => a.push(s(samples.join("CuN4/NO3/freq"))),
        ("check", _) => a.push(s(expected.to_path_buf())),
        ("diagram", _) => a.extend([s(samples.clone()), "-o".into(), out("d.svg")]),
        ("report", _) => a.extend([s(samples.clone()), "-o".into(), out("report")]),
        ("barrier", _) => a.extend(
            ["CuN4/slab", "CuN4/H", "CuN4/NO3"]
                .iter()
                .map(|p| s(samples.join(p))),
        ),
        _ => a.push(s(samples.clone())),
    }
    a
}

/// The values an option is given: each extreme value, inside `MIN:MAX` and lists too.
fn values_for(o: &Opt) -> Vec<String> {
    let mut v = Vec::new();
    for x in VALUES {
        v.push(x.to_string());
        if o.value_name.contains(':') {
            v.push(format!("{x}:1"));
            v.push(format!("-1:{x}"));
        } else if o.value_name.contains(',') || o.value_name == "LIST" {
            v.push(format!("100,{x}"));
        }
    }
    v
}

/// What one run did.
struct Ran {
    args: Vec<String>,
    code: Option<i32>,
    stdout: String,
    stderr: String,
    secs: f64,
}

/// Run chepath with `args`, stdout and stderr to files (no pipe to fill), killed after
/// `limit`.
fn run_limited(args: &[String], tmp: &Path, n: usize, limit: Duration) -> Ran {
    let (o, e) = (tmp.join(format!("{n}.out")), tmp.join(format!("{n}.err")));
    let started = Instant::now();
    let mut child = chepath()
        .args(args)
        .current_dir(tmp)
        .stdout(Stdio::from(std::fs::File::create(&o).expect("stdout file")))
        .stderr(Stdio::from(std::fs::File::create(&e).expect("stderr file")))
        .spawn()
        .expect("spawn chepath");
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break Some(st);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).to_string();
    let code = match status {
        Some(st) => st.code(),
        None => Some(-999),
    };
    Ran {
        args: args.to_vec(),
        code,
        stdout: read(&o),
        stderr: read(&e),
        secs: started.elapsed().as_secs_f64(),
    }
}

/// `jobs` on up to four threads, in their order.
fn run_all(jobs: Vec<Vec<String>>, tmp: &Path) -> Vec<Ran> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(BTreeMap::new());
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 4);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(args) = jobs.get(k) else { break };
                let r = run_limited(args, tmp, k, Duration::from_secs(60));
                results.lock().expect("lock").insert(k, r);
            });
        }
    });
    results.into_inner().expect("lock").into_values().collect()
}

/// A NaN or an infinity printed as a number.
fn prints_non_finite(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .any(|w| matches!(w, "NaN" | "nan" | "inf" | "Inf" | "Infinity" | "infinity"))
}

/// The message of a refused numeric value names the option and states its bounds.
fn states_bounds(stderr: &str, long: &str) -> bool {
    let names = stderr.contains(&format!("--{long}"));
    let bounds = stderr.contains("expected")
        && (stderr.contains(" to ") || stderr.contains("above "))
        && stderr.chars().any(|c| c.is_ascii_digit());
    names && bounds
}

/// The expected file of `check`, written with `check --init` from the samples.
fn expected_file(tmp: &Path) -> PathBuf {
    let p = tmp.join("expected.toml");
    chepath()
        .args(["check"])
        .arg(&p)
        .arg("--init")
        .arg(samples())
        .assert()
        .success();
    p
}

#[test]
fn every_option_survives_extreme_values() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("tmp");
    let expected = expected_file(tmp.path());
    let mut opts: Vec<Opt> = subcommands().iter().flat_map(|c| options_of(c)).collect();
    opts.sort_by(|a, b| (&a.cmd, &a.long).cmp(&(&b.cmd, &b.long)));
    for (cmd, long) in KNOWN_NUMERIC {
        assert!(
            opts.iter()
                .any(|o| o.cmd == cmd && o.long == long && o.kind == Kind::Numeric),
            "{cmd} --{long} is not found as a numeric option in its --help: {opts:?}"
        );
    }
    // the baseline of each command (no swept option) and every (option, value) run
    let mut jobs = Vec::new();
    let mut what: Vec<Option<usize>> = Vec::new();
    for (i, o) in opts.iter().enumerate() {
        let mut base = base_args(o, tmp.path(), &expected, jobs.len());
        if (o.cmd.as_str(), o.long.as_str()) == ("thermo", "freqs") {
            // the frequencies are the input: the baseline gives ordinary ones
            base.extend(["--freqs".to_string(), "3685.3,524.9".to_string()]);
        }
        jobs.push(base);
        what.push(None);
        for v in values_for(o) {
            let mut a = base_args(o, tmp.path(), &expected, jobs.len());
            a.push(format!("--{}", o.long));
            a.push(v);
            jobs.push(a);
            what.push(Some(i));
        }
    }
    let ran = run_all(jobs, tmp.path());
    let mut failures = Vec::new();
    let mut baseline = None;
    let (mut refused, mut accepted) = (0, 0);
    for (r, w) in ran.iter().zip(&what) {
        let show = || {
            format!(
                "chepath {}: exit {:?}\n{}",
                r.args.join(" "),
                r.code,
                r.stderr
            )
        };
        match r.code {
            Some(-999) => failures.push(format!("timed out after 60 s: {}", show())),
            None => failures.push(format!("killed by a signal: {}", show())),
            Some(101) => failures.push(format!("panicked: {}", show())),
            _ => {}
        }
        let Some(i) = *w else {
            baseline = r.code;
            continue;
        };
        let o = &opts[i];
        if o.kind != Kind::Numeric {
            continue;
        }
        if r.code == Some(2) {
            refused += 1;
            if !states_bounds(&r.stderr, &o.long) {
                failures.push(format!(
                    "refused without naming --{} and its bounds: {}",
                    o.long,
                    show()
                ));
            }
            continue;
        }
        accepted += 1;
        // `check` compares with a tolerance: an accepted one may fail the check (exit 6)
        let alike = r.code == baseline || (o.cmd == "check" && r.code == Some(6));
        if !alike {
            failures.push(format!(
                "accepted, but exit {:?} where the baseline exits {baseline:?}: {}",
                r.code,
                show()
            ));
        }
        if r.code == Some(0) && prints_non_finite(&r.stdout) {
            failures.push(format!("printed NaN or infinity: {}", show()));
        }
    }
    let slowest = ran
        .iter()
        .max_by(|a, b| a.secs.total_cmp(&b.secs))
        .map(|r| format!("{:.1} s: {}", r.secs, r.args.join(" ")))
        .unwrap_or_default();
    eprintln!(
        "option sweep: {} options, {} runs ({refused} numeric values refused, {accepted} accepted) in {:.1} s; slowest {slowest}",
        opts.len(),
        ran.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The same sweep's rule on real VASP output: the d-band options on a corpus vasprun.xml.
#[test]
fn dband_options_on_a_corpus_vasprun() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let file = corpus.join("pymatgen/test-files/io/vasp/outputs/vasprun.lifepo4.xml.gz");
    if !file.is_file() {
        panic!("{} is missing from the corpus", file.display());
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let mut jobs = Vec::new();
    for opt in ["--cutoff", "--window"] {
        for v in VALUES {
            let value = if opt == "--window" {
                format!("-1:{v}")
            } else {
                v.to_string()
            };
            jobs.push(vec![
                "dband".to_string(),
                file.display().to_string(),
                "--atoms".into(),
                "Fe@O6".into(),
                opt.into(),
                value,
            ]);
        }
    }
    for r in run_all(jobs, tmp.path()) {
        let ok = matches!(r.code, Some(0) | Some(2));
        assert!(
            ok,
            "chepath {}: exit {:?}\n{}",
            r.args.join(" "),
            r.code,
            r.stderr
        );
        if r.code == Some(2) {
            assert!(states_bounds(&r.stderr, &r.args[4][2..]), "{}", r.stderr);
        }
    }
}

/// The run of `args` (strings) in `dir`.
fn run_in(dir: &Path, args: &[String]) -> std::process::Output {
    chepath()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run chepath")
}

/// `chepath ARGS` in `dir` as the unprivileged `nobody` (uid 65534), through setpriv.
fn run_as_nobody(dir: &Path, args: &[String]) -> std::process::Output {
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_chepath"))
        .args(args)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run setpriv")
}

/// Whether `nobody` can run chepath here and write a figure into a directory open to all
/// in `dir` (the control of the cases run as nobody): setpriv present, the binary and the
/// samples readable, `dir` and its files opened up for it (a temporary directory is 0700).
fn nobody_writes_in(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let setpriv = std::process::Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !setpriv {
        return false;
    }
    let open = |p: &Path, mode: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).is_ok()
    };
    let w = dir.join("open");
    let files = std::fs::read_dir(dir).into_iter().flatten().flatten();
    let files_ok = files
        .filter(|e| e.path().is_file())
        .all(|e| open(&e.path(), 0o644));
    if !(files_ok && open(dir, 0o755) && std::fs::create_dir(&w).is_ok() && open(&w, 0o777)) {
        return false;
    }
    let s = samples().display().to_string();
    let args = strings(&["diagram", &s, "-o", "open/x.svg"]);
    run_as_nobody(dir, &args).status.success() && w.join("x.svg").is_file()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Every writer refuses an output that exists with the one refusal code, 3, before any work:
/// the input here is a directory without calculations, whose error (exit 4) would come
/// first if the work did; the file is left as it was.
#[test]
fn refusals_to_overwrite_come_first_with_one_code() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    std::fs::create_dir(d.join("empty")).expect("mkdir");
    std::fs::create_dir(d.join("rep")).expect("mkdir");
    for f in [
        "old.svg",
        "old.png",
        "old.jsonl",
        "old.toml",
        "rep/report.json",
    ] {
        std::fs::write(d.join(f), "kept\n").expect("write");
    }
    std::fs::write(d.join("notes.xml"), "<notes/>\n").expect("write");
    for (args, file) in [
        ("diagram empty -o old.svg", "old.svg"),
        ("dband empty --plot old.png", "old.png"),
        ("rank empty --plot old.svg", "old.svg"),
        ("rank empty --pdos-plot old.png", "old.png"),
        ("barrier empty --plot old.svg", "old.svg"),
        ("report empty -o rep", "rep/report.json"),
        ("check old.toml --init empty", "old.toml"),
        ("check old.toml --junit notes.xml", "notes.xml"),
        ("scan empty -o old.jsonl", "old.jsonl"),
    ] {
        let before = std::fs::read(d.join(file)).expect("read");
        let args: Vec<String> = args.split(' ').map(String::from).collect();
        let o = run_in(d, &args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {err}");
        let name = Path::new(file)
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name");
        assert!(
            err.contains("exist") && err.contains(name.trim_end_matches(".json")),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains("no calculation"),
            "refused after the work: {err}"
        );
        assert_eq!(
            std::fs::read(d.join(file)).expect("read"),
            before,
            "{args:?}"
        );
    }
}

/// A figure that is not .svg or .png is a usage error (2), before any work.
#[test]
fn figure_formats_are_usage_errors_before_any_work() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(tmp.path().join("empty")).expect("mkdir");
    for args in [
        "diagram empty -o orr.pdf",
        "rank empty --plot x.jpg",
        "rank empty --pdos-plot x",
        "dband empty --plot x.eps",
        "barrier empty --plot x.pdf",
    ] {
        let args: Vec<String> = args.split(' ').map(String::from).collect();
        let o = run_in(tmp.path(), &args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(".svg or .png"), "{args:?}: {err}");
    }
    for args in [
        vec!["pathway", "empty", "--template", "foo"],
        vec!["report", "empty", "--template", "foo"],
        vec!["lint", "empty", "--template", "foo"],
        vec!["pathway", "empty", "--U", "nan"],
        vec!["rank", "empty", "--pH", "inf"],
    ] {
        let o = run_in(tmp.path(), &strings(&args));
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
}

/// An output that cannot be written is refused before any work with exit 3 and "could not
/// write", the path and the OS reason: a missing directory, a file where the directory should
/// be, and a read-only directory (as `nobody` through setpriv when the tests run as root, who
/// may write anywhere).
#[test]
fn write_errors_say_could_not_write_with_the_path_and_the_reason() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    let s = samples().display().to_string();
    std::fs::write(d.join("file"), "x").expect("write");
    std::fs::write(d.join("expected.toml"), "x").expect("write");
    let ro = d.join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    let mut dirs = vec![("nodir", "os error 2"), ("file", "os error 20")];
    // root may write anywhere: the read-only case then runs as nobody (setpriv)
    let mut as_nobody = false;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        if std::fs::write(ro.join("probe"), "x").is_err() {
            dirs.push(("ro", "Permission denied"));
        } else if nobody_writes_in(d) {
            as_nobody = true;
            dirs.push(("ro", "Permission denied"));
        } else {
            eprintln!("NOTICE: running as root without a user to run as: the read-only directory case is skipped");
        }
    }
    let dos = format!("{s}/CuN4/dos");
    for (dir, reason) in dirs {
        for args in [
            vec!["diagram", &s, "-o", "DIR/x.svg"],
            vec!["rank", &s, "--plot", "DIR/x.svg"],
            vec!["rank", &s, "--pdos-plot", "DIR/x.png"],
            vec!["dband", &dos, "--plot", "DIR/x.png"],
            vec!["barrier", &s, &s, &s, "--plot", "DIR/x.svg"],
            vec!["report", &s, "-o", "DIR/report"],
            vec!["scan", &s, "-o", "DIR/scan.jsonl"],
            vec!["check", "expected.toml", "--junit", "DIR/j.xml"],
            vec!["check", "DIR/new.toml", "--init", &s],
        ] {
            if args[0] == "report" && dir == "nodir" {
                continue; // the report's directory is created, with its parents
            }
            let args: Vec<String> = args.iter().map(|a| a.replace("DIR", dir)).collect();
            let o = if as_nobody && dir == "ro" {
                run_as_nobody(d, &args)
            } else {
                run_in(d, &args)
            };
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(3), "{args:?}: {err}");
            let out = args.iter().find(|a| a.starts_with(dir)).expect("out");
            assert!(
                err.contains(&format!("could not write {out}")) && err.contains(reason),
                "{args:?}: {err}"
            );
        }
    }
}

/// A copy of the samples to damage.
fn sample_copy(tmp: &Path) -> PathBuf {
    let t = tmp.join("tree");
    common::copy_dir(&samples(), &t);
    t
}

/// A state directory the network does not have is an error listing the network's states.
#[test]
fn a_state_not_in_the_network_is_an_error_listing_its_states() {
    let tmp = tempfile::tempdir().expect("tmp");
    let t = sample_copy(tmp.path());
    common::copy_dir(&t.join("CuN4/NO2"), &t.join("CuN4/XYZ"));
    for cmd in ["pathway", "rank"] {
        chepath()
            .arg(cmd)
            .arg(&t)
            .assert()
            .code(4)
            .stderr_contains("XYZ")
            .stderr_contains("its states are")
            .stderr_contains("*NO3");
    }
}

/// No model with a complete path: `pathway`, `rank` and `report` are errors (4), and the
/// report writes nothing; one model without one: a warning, and a `--strict` failure (5).
#[test]
fn no_complete_path_is_an_error_or_a_strict_failure() {
    let tmp = tempfile::tempdir().expect("tmp");
    let t = sample_copy(tmp.path());
    for state in ["NO3", "NO2"] {
        std::fs::remove_dir_all(t.join("CuN4").join(state)).expect("rm");
    }
    chepath().arg("pathway").arg(&t).assert().success();
    chepath()
        .args(["pathway", "--strict"])
        .arg(&t)
        .assert()
        .code(5)
        .stderr_contains("no complete path for CuN4");
    chepath()
        .args(["rank", "--strict"])
        .arg(&t)
        .assert()
        .code(5);
    for model in ["CuN4_Cu4", "CuN4_CuNP"] {
        for state in ["NO3", "NO2"] {
            std::fs::remove_dir_all(t.join(model).join(state)).expect("rm");
        }
    }
    for cmd in ["pathway", "rank"] {
        chepath()
            .arg(cmd)
            .arg(&t)
            .assert()
            .code(4)
            .stderr_contains("no model has a complete path");
    }
    let out = tmp.path().join("report");
    chepath()
        .arg("report")
        .arg(&t)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(4)
        .stderr_contains("no report written");
    assert!(!out.exists(), "nothing written");
}

/// An empty OUTCAR in a state's directory is an error naming the file (exit 4).
#[test]
fn an_empty_outcar_in_a_state_directory_is_an_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let t = sample_copy(tmp.path());
    std::fs::write(t.join("CuN4/NO2/OUTCAR"), "").expect("empty");
    for cmd in ["pathway", "rank", "lint"] {
        let o = chepath().arg(cmd).arg(&t).assert().failure();
        let code = o.get_output().status.code();
        let err = String::from_utf8_lossy(&o.get_output().stderr).to_string();
        let out = String::from_utf8_lossy(&o.get_output().stdout).to_string();
        let said = err.contains("CuN4/NO2/OUTCAR") || out.contains("CuN4/NO2/OUTCAR");
        assert!(said && (err + &out).contains("empty"), "{cmd}");
        assert!(matches!(code, Some(4) | Some(7)), "{cmd}: {code:?}");
    }
}
