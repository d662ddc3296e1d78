//! Hostile inputs (issue 18, item 3): every reader bounds what it holds and gives up early on
//! input that is not what it should be. Each case is built small in a temporary directory,
//! just past the reader's documented limit (sparse files where zeros will do), and run
//! through the binary: the exit code and the message are checked and, on Linux, that the
//! peak memory stays under 64 MB. Timings are not asserted; a run that does not end within
//! a minute is killed and fails.

use crate::common::chepath;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The memory any hostile case may take, MB (issue 18's target).
const PEAK_MB: u64 = 64;

/// What one run did: exit code, stdout, stderr, and the largest peak RSS seen (MB, Linux).
struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    peak_mb: Option<u64>,
}

/// The peak resident size of process `pid` so far (`VmHWM`), MB.
fn vm_hwm_mb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let l = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = l.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// Run `chepath args…` with stdout and stderr in files, polling its peak memory until it
/// ends; killed (and the test failed) after 60 s.
fn run(dir: &Path, args: &[&str]) -> Ran {
    let out = dir.join(".stdout");
    let err = dir.join(".stderr");
    let mut child = chepath()
        .args(args)
        .stdout(Stdio::from(
            std::fs::File::create(&out).expect("stdout file"),
        ))
        .stderr(Stdio::from(
            std::fs::File::create(&err).expect("stderr file"),
        ))
        .spawn()
        .expect("run chepath");
    let start = Instant::now();
    let mut peak = None;
    let status = loop {
        if let Some(mb) = vm_hwm_mb(child.id()) {
            peak = Some(peak.map_or(mb, |p: u64| p.max(mb)));
        }
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chepath {args:?} did not end within 60 s");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Ran {
        code: status.code(),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
        peak_mb: peak,
    }
}

impl Ran {
    #[track_caller]
    fn check(&self, code: i32, needles: &[&str]) -> &Self {
        let all = format!("{}{}", self.stdout, self.stderr);
        assert_eq!(self.code, Some(code), "exit code; output:\n{all}");
        for n in needles {
            assert!(all.contains(n), "output lacks {n:?}:\n{all}");
        }
        if let Some(mb) = self.peak_mb {
            assert!(mb < PEAK_MB, "peak memory {mb} MB; output:\n{all}");
        }
        self
    }
}

/// The start of an OUTCAR: a version line, a POTCAR, a relaxation's parameters.
fn outcar_header() -> String {
    " vasp.6.3.0 18Jan22 (build Feb 01 2022) complex\n \
     POTCAR:    PAW_PBE Ni 02Aug2007\n   \
     VRHFIN =Ni: 3d4s\n   \
     TITEL  = PAW_PBE Ni 02Aug2007\n   \
     ions per type =               4\n   \
     IBRION =      2    ionic relax: 0-MD 1-quasi-New 2-CG\n   \
     NSW    =     99    number of steps for IOM\n\n"
        .to_string()
}

/// Electronic iterations of a step that never ends (no energy block).
fn iterations(n: usize) -> String {
    let mut s = String::new();
    for k in 1..=n {
        s.push_str(&format!(
            "--------------------------------------- Iteration      1({k:4})  ---------------------------------------\n\n\
             \x20   POTLOK:  cpu time      0.0100: real time      0.0100\n\
             \x20 total energy-change (2. order) :-0.1234567E+01  (-0.2345678E+02)\n\n"
        ));
    }
    s
}

/// `data` as a gzip member, `repeat` times over (a multi-member stream: each member is
/// compressed once, so a large stream costs little to build).
fn gzip_members(data: &[u8], repeat: usize) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("gzip");
    let member = e.finish().expect("gzip");
    member.repeat(repeat)
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// An OUTCAR with no complete ionic step, larger than the largest tail window: `parse
/// --final` and `scan` no longer grow the window to the whole file; they read it in one
/// streaming pass and say what the full parse says.
#[test]
fn an_outcar_without_a_complete_step_is_not_loaded_whole() {
    let dir = tempfile::tempdir().expect("tmp");
    let calc = dir.path().join("run");
    std::fs::create_dir(&calc).expect("mkdir");
    let outcar = calc.join("OUTCAR");
    let mut text = outcar_header();
    text.push_str(&iterations(2000));
    std::fs::write(&outcar, &text).expect("write");
    // the rest zeros (sparse): 4 times the largest window, and more than the memory bound
    let size = (4 * vasp_parsers::outcar::MAX_TAIL_WINDOW).max(PEAK_MB << 21);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&outcar)
        .and_then(|f| f.set_len(size))
        .expect("extend");
    let full = run(dir.path(), &["parse", &s(&outcar)]);
    full.check(0, &["none: no complete ionic step"]);
    run(dir.path(), &["parse", "--final", &s(&outcar)]).check(
        0,
        &[
            "none: no complete ionic step",
            "the whole file",
            "complete        NO",
        ],
    );
    let scan = run(dir.path(), &["scan", "--json-lines", &s(dir.path())]);
    scan.check(0, &["\"complete\":false"]);
    assert!(!scan.stdout.contains("\"error\""), "{}", scan.stdout);
}

/// A gzipped vasprun.xml of zeros is refused at its first chunk, not buffered.
#[test]
fn a_gzipped_vasprun_of_zeros_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("vasprun.xml.gz");
    std::fs::write(&f, gzip_members(&vec![0u8; 16 << 20], 8)).expect("write");
    run(dir.path(), &["parse", &s(&f)]).check(4, &["NUL bytes", "vasprun.xml"]);
}

/// A line without a newline far longer than anything VASP writes: refused once past the
/// reader's bound, in each reader (vasprun.xml: a run without markup; OUTCAR: nothing of the
/// format in the first bytes read; OSZICAR: a line longer than any of its lines).
#[test]
fn a_line_without_newline_is_bounded_in_every_reader() {
    let dir = tempfile::tempdir().expect("tmp");
    let xml = dir.path().join("vasprun.xml");
    let mut text = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<modeling>\n".to_vec();
    text.resize(text.len() + ((PEAK_MB as usize) << 20), b'x');
    std::fs::write(&xml, &text).expect("write");
    run(dir.path(), &["parse", &s(&xml)]).check(4, &["without markup"]);
    let line = vec![b'x'; (vasp_parsers::source::SNIFF_BYTES as usize) + (20 << 20)];
    let f = dir.path().join("OUTCAR");
    std::fs::write(&f, &line).expect("write");
    run(dir.path(), &["parse", &s(&f)]).check(4, &["32 MiB", "read with"]);
    // an OSZICAR: refused at its first piece (no OSZICAR line is that long)
    let f = dir.path().join("OSZICAR");
    std::fs::write(&f, &line).expect("write");
    run(dir.path(), &["parse", &s(&f)]).check(4, &["OSZICAR:1:", "a line longer than 1 MiB"]);
    let outcar = dir.path().join("OUTCAR");
    run(dir.path(), &["parse", &s(&outcar)]).check(4, &["a line longer than 1 MiB"]);
    // a structure file or a network file far too large: refused by its size, unread
    let contcar = dir.path().join("CONTCAR");
    let big = chepath::load::structure::MAX_STRUCTURE_BYTES + 1;
    std::fs::File::create(&contcar)
        .and_then(|f| f.set_len(big))
        .expect("sparse");
    run(dir.path(), &["parse", &s(&contcar)]).check(4, &["a POSCAR/CONTCAR of at most"]);
    let network = dir.path().join("network.toml");
    std::fs::File::create(&network)
        .and_then(|f| f.set_len(chepath::load::MAX_TEXT_BYTES + 1))
        .expect("sparse");
    run(dir.path(), &["pathway", &s(&network)]).check(4, &["larger than 64 MiB"]);
}

/// A gzip bomb of newlines named OUTCAR.gz stops after the first bytes without an OUTCAR
/// marker; behind a real header, after a run of blank lines no VASP file has (a warning).
#[test]
fn gzip_bombs_of_newlines_stop_early() {
    let dir = tempfile::tempdir().expect("tmp");
    let newlines = vec![b'\n'; 1 << 20];
    let members = (vasp_parsers::source::SNIFF_BYTES >> 20) as usize + 8;
    let bomb = dir.path().join("OUTCAR.gz");
    std::fs::write(&bomb, gzip_members(&newlines, members)).expect("write");
    run(dir.path(), &["parse", &s(&bomb)]).check(4, &["32 MiB", "expected an OUTCAR"]);
    let osz = dir.path().join("OSZICAR.gz");
    std::fs::write(&osz, gzip_members(&newlines, members)).expect("write");
    run(dir.path(), &["parse", &s(&osz)]).check(4, &["read with no OSZICAR content"]);
    let behind = dir.path().join("behind");
    std::fs::create_dir(&behind).expect("mkdir");
    let f = behind.join("OUTCAR.gz");
    let mut bytes = gzip_members(outcar_header().as_bytes(), 1);
    let run_of = vasp_parsers::outcar::MAX_BLANK_RUN / newlines.len() + 2;
    bytes.extend(gzip_members(&newlines, run_of));
    std::fs::write(&f, bytes).expect("write");
    run(dir.path(), &["parse", &s(&f)]).check(0, &["blank lines in a row", "complete        NO"]);
}

/// A vasprun.xml nested far deeper than VASP nests is refused at the bound, at once.
#[test]
fn deeply_nested_xml_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let n = 100_000;
    for tag in ["r", "i", "a"] {
        std::fs::create_dir(dir.path().join(tag)).expect("mkdir");
        let f = dir.path().join(tag).join("vasprun.xml");
        let text = format!(
            "<?xml version=\"1.0\"?>\n<modeling>{}{}</modeling>\n",
            format!("<{tag}>").repeat(n),
            format!("</{tag}>").repeat(n)
        );
        std::fs::write(&f, text).expect("write");
        let depth = vasp_parsers::vasprun::MAX_XML_DEPTH.to_string();
        run(dir.path(), &["parse", &s(&f)]).check(4, &["nested more than", depth.as_str()]);
    }
    // an element's text that grows through many events is bounded too
    let f = dir.path().join("vasprun.xml");
    let mut text = String::from("<?xml version=\"1.0\"?>\n<modeling><i name=\"x\">");
    let piece = format!("{}<!-- -->", "y".repeat(1 << 16));
    let pieces = vasp_parsers::vasprun::MAX_XML_RUN / piece.len() + 2;
    text.push_str(&piece.repeat(pieces));
    text.push_str("</i></modeling>\n");
    std::fs::write(&f, text).expect("write");
    run(dir.path(), &["parse", &s(&f)]).check(4, &["of text"]);
}

/// FIFOs and devices, as files named on the command line or found in a calculation
/// directory, are refused ("expected a regular file", exit 3) without blocking.
#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = tempfile::tempdir().expect("tmp");
    let refused = "expected a regular file";
    run(dir.path(), &["parse", "--format", "outcar", "/dev/stdin"]).check(3, &[refused]);
    run(dir.path(), &["dband", "/dev/zero"]).check(3, &[refused]);
    run(dir.path(), &["parse", "--final", "/dev/zero"]).check(3, &[refused]);
    let calc = dir.path().join("calc");
    std::fs::create_dir(&calc).expect("mkdir");
    let fifo = calc.join("OUTCAR");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    run(dir.path(), &["parse", &s(&fifo)]).check(3, &[refused]);
    run(dir.path(), &["parse", "--final", &s(&fifo)]).check(3, &[refused]);
    // in a directory: named as the calculation's unreadable file, not skipped
    run(dir.path(), &["parse", &s(&calc)]).check(4, &[refused]);
    run(dir.path(), &["scan", &s(dir.path())]).check(0, &[refused, "1 unreadable"]);
    // a tree whose state OUTCAR or network file is a FIFO
    let tree = dir.path().join("tree");
    crate::common::copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp")),
        &tree,
    );
    let state = tree.join("CuN4/NO3/OUTCAR");
    std::fs::remove_file(&state).expect("rm");
    Command::new("mkfifo").arg(&state).status().expect("mkfifo");
    run(dir.path(), &["pathway", &s(&tree)]).check(3, &[refused, "NO3/OUTCAR"]);
    std::fs::remove_file(&state).expect("rm");
    let network = tree.join("network.toml");
    std::fs::remove_file(&network).expect("rm");
    Command::new("mkfifo")
        .arg(&network)
        .status()
        .expect("mkfifo");
    run(dir.path(), &["pathway", &s(&network)]).check(3, &[refused]);
    run(dir.path(), &["pathway", &s(&tree)]).check(3, &[refused]);
}

/// A DOSCAR of two atoms (ISPIN = 2: five total columns, s p d up and down projected) whose
/// first field, NIONS, says `nions`.
fn doscar(nions: &str) -> String {
    let nedos = 21;
    let mut s = format!("  {nions}  {nions}  1  0\n x\n x\n  CAR \n synthetic\n");
    s += &format!("  11.0 -9.0 {nedos} 1.0 1.0\n");
    for k in 0..nedos {
        s += &format!("{:.4} 1.0 1.0 0.0 0.0\n", k as f64 - 9.0);
    }
    for _ in 0..2 {
        s += &format!("  11.0 -9.0 {nedos} 1.0 1.0\n");
        for k in 0..nedos {
            s += &format!("{:.4} 0.01 0.01 0.02 0.02 0.1 0.1\n", k as f64 - 9.0);
        }
    }
    s
}

/// A DOSCAR whose NIONS is absurd (u64::MAX, i64::MAX, 10¹⁵, 2·10⁹) through `chepath
/// dband` with `--atoms all`, `--atoms Cu` and no `--atoms`, alone and with a two-atom
/// POSCAR beside it: a format error (exit 4) naming the file, within the memory bound
/// (issue 18: u64::MAX panicked with "capacity overflow" under `--atoms all`, exit 101;
/// 10¹⁵ aborted allocating 8·10¹⁵ bytes, 134). The same file with NIONS = 2 is read (the
/// control: the refusal is the count's).
#[test]
fn an_absurd_nions_is_refused_by_dband() {
    let dir = tempfile::tempdir().expect("tmp");
    let good = dir.path().join("good");
    std::fs::create_dir(&good).expect("mkdir");
    std::fs::write(good.join("DOSCAR"), doscar("2")).expect("write");
    let poscar = "CuN\n1.0\n8 0 0\n0 8 0\n0 0 8\nCu N\n1 1\nCartesian\n0 0 0\n1.9 0 0\n";
    run(
        dir.path(),
        &["dband", &s(&good.join("DOSCAR")), "--atoms", "all"],
    )
    .check(0, &["atoms       all → 1,2"]);
    std::fs::write(good.join("POSCAR"), poscar).expect("write");
    for atoms in [&["--atoms", "all"][..], &["--atoms", "Cu"], &[]] {
        let mut args = vec!["dband".to_string(), s(&good.join("DOSCAR"))];
        args.extend(atoms.iter().map(|a| a.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(dir.path(), &args).check(0, &["Cu"]);
    }
    let absurd = [
        u64::MAX.to_string(),
        i64::MAX.to_string(),
        10u64.pow(15).to_string(),
        (2 * 10u64.pow(9)).to_string(),
    ];
    for (k, nions) in absurd.iter().enumerate() {
        for beside in [false, true] {
            let d = dir
                .path()
                .join(format!("n{k}{}", if beside { "p" } else { "" }));
            std::fs::create_dir(&d).expect("mkdir");
            let f = d.join("DOSCAR");
            std::fs::write(&f, doscar(nions)).expect("write");
            if beside {
                std::fs::write(d.join("POSCAR"), poscar).expect("write");
            }
            for atoms in [&["--atoms", "all"][..], &["--atoms", "Cu"], &[]] {
                let mut args = vec!["dband".to_string(), s(&f)];
                args.extend(atoms.iter().map(|a| a.to_string()));
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let r = run(dir.path(), &args);
                r.check(4, &[&s(&f), "error: "]);
                assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
            }
        }
    }
}

/// The length of the giant lines below, MB: over four times [`PEAK_MB`], so that a reader
/// holding one whole fails the memory check.
const GIANT_LINE_MB: usize = 300;

/// `len` bytes of `1` after `head`, written in 1 MiB pieces (no newline after `head`).
/// Digits, not letters: the OSZICAR reader takes a line of digits further than a line of
/// `x` before it gives up (42 MB against 26 MB, measured), the worse case.
fn giant_line(path: &Path, head: &[u8], len: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    f.write_all(head).expect("write");
    let piece = vec![b'1'; 1 << 20];
    for _ in 0..len >> 20 {
        f.write_all(&piece).expect("write");
    }
    f.flush().expect("flush");
}

/// `scan` and `pathway` on a tree holding a 300 MB one-line OUTCAR, OSZICAR or vasprun.xml
/// (issue 18: a 2 GB line took `scan` to 4.1 GB and made `pathway` abort allocating 4 GB;
/// only `parse` of single files was tested). Each is refused as unreadable, named, within
/// the memory bound (the file is over four times the bound: read whole it fails here), and
/// the rest of the tree is still read: `scan` counts 3 unreadable beside the good
/// calculations, `pathway` on the samples with one state's file replaced exits 4 naming it.
/// One reader at a time (`--jobs 1`): see the ignored test below for readers in parallel.
#[test]
fn a_giant_line_in_a_tree_is_bounded_in_scan_and_pathway() {
    let dir = tempfile::tempdir().expect("tmp");
    let x = dir.path().join("line");
    giant_line(&x, b"", GIANT_LINE_MB << 20);
    let xml = dir.path().join("xml-line");
    giant_line(
        &xml,
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<modeling>\n",
        GIANT_LINE_MB << 20,
    );
    let tree = dir.path().join("tree");
    for (calc, name, from) in [
        ("a", "vasprun.xml", &xml),
        ("b", "OUTCAR", &x),
        ("c", "OSZICAR", &x),
    ] {
        std::fs::create_dir_all(tree.join(calc)).expect("mkdir");
        std::fs::hard_link(from, tree.join(calc).join(name)).expect("link");
    }
    let samples = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp"));
    crate::common::copy_dir(&samples.join("gas"), &tree.join("gas"));
    let scan = run(dir.path(), &["scan", "--jobs", "1", &s(&tree)]);
    scan.check(
        0,
        &[
            "3 unreadable",
            "0 incomplete, 0 not converged",
            "gas/H2O/freq",
            "a/vasprun.xml",
            "b/OUTCAR",
            "c/OSZICAR",
        ],
    );
    let lines = run(
        dir.path(),
        &["scan", "--jobs", "1", "--json-lines", &s(&tree)],
    );
    lines.check(0, &[]);
    let unreadable = lines
        .stdout
        .lines()
        .filter(|l| l.contains("\"errors\":[\"") && l.contains("\"read\":\"none\""))
        .count();
    assert_eq!(unreadable, 3, "{}", lines.stdout);
    // pathway: one state's energy file a giant line, in turn each kind
    let net = dir.path().join("net");
    crate::common::copy_dir(samples, &net);
    let state = net.join("CuN4/NO3");
    std::fs::remove_file(state.join("OUTCAR")).expect("rm");
    for (name, from) in [("OUTCAR", &x), ("vasprun.xml", &xml), ("OSZICAR", &x)] {
        let f = state.join(name);
        std::fs::hard_link(from, &f).expect("link");
        run(dir.path(), &["pathway", &s(&net)]).check(4, &[&format!("NO3/{name}")]);
        std::fs::remove_file(&f).expect("rm");
    }
}

/// As above with two readers at once (`scan --jobs 2`, the default on a 2-core machine,
/// over two such OSZICARs): each reader is bounded, and their bounds add up (80 MB with
/// 16 MiB line pieces; 1 MiB pieces since). Run it alone: the peak comes just before the process
/// ends, and on a busy machine the 2 ms poll of `VmHWM` can miss it (seen once, beside the
/// test above).
#[test]
fn a_giant_line_in_many_files_stays_bounded_in_a_parallel_scan() {
    let dir = tempfile::tempdir().expect("tmp");
    let x = dir.path().join("line");
    giant_line(&x, b"", GIANT_LINE_MB << 20);
    let tree = dir.path().join("tree");
    for k in 0..2 {
        let d = tree.join(format!("c{k}"));
        std::fs::create_dir_all(&d).expect("mkdir");
        std::fs::hard_link(&x, d.join("OSZICAR")).expect("link");
    }
    run(dir.path(), &["scan", "--jobs", "2", &s(&tree)]).check(0, &["2 unreadable"]);
}
