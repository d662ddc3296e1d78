//! Truncation and corruption sweep over every corpus file of every format (OUTCAR, OSZICAR,
//! POSCAR/CONTCAR, DOSCAR, vasprun.xml): cuts at many points (mid-line, mid-number), bytes
//! replaced by junk, bits flipped (not between two digits: undetectable), whole lines deleted
//! or repeated, runs of NULs inserted (a crashed file system's zero blocks), CRLF line
//! ends, and gzip streams of the file cut short.
//!
//! Every case must end in a clear error (naming the file) or in a result that is either
//! flagged (incomplete, or with warnings) or carries exactly the numbers of the intact file
//! (the damage hit something not read). Never a panic, never a silently different number.
//! CRLF must read exactly like LF.

use crate::common;

use std::io::{Read, Write};
use std::path::Path;
// The readers' own parse_* on byte slices, instantiated in an optimised crate.
use chepath_test_readers::{
    parse_doscar, parse_oszicar, parse_outcar, parse_poscar, parse_vasprun,
};
use vasp_parsers::doscar::{AtomFilter, LayoutHint};
use vasp_parsers::vasprun::Options;

/// What one parse gave: the reader's warnings, whether it says the file is complete, and
/// the numbers it reports. A damaged copy is "flagged" when it has more warnings than the
/// intact file, or is no longer complete.
#[derive(Debug)]
struct Read_ {
    warnings: usize,
    complete: bool,
    numbers: Vec<f64>,
}

impl Read_ {
    fn flagged_against(&self, intact: &Read_) -> bool {
        self.warnings > intact.warnings || (intact.complete && !self.complete)
    }
}

fn load(path: &std::path::Path) -> Vec<u8> {
    let bytes = std::fs::read(path).expect("read");
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .expect("gunzip");
        return out;
    }
    bytes
}

fn parse(ty: &str, b: &[u8], name: &str) -> Result<Read_, String> {
    let e = |e: vasp_parsers::ParseError| e.to_string();
    match ty {
        "OUTCAR" => {
            let o = parse_outcar(b, name).map_err(e)?;
            let mut n: Vec<f64> = o
                .ionic_steps
                .iter()
                .flat_map(|s| [s.energy.toten, s.energy.no_entropy, s.energy.sigma0])
                .collect();
            n.extend(o.efermi_last);
            n.push(o.ionic_steps.len() as f64);
            n.extend(o.real_frequencies_cm1());
            n.extend(o.imaginary_frequencies_cm1());
            Ok(Read_ {
                warnings: o.warnings.len(),
                complete: o.complete,
                numbers: n,
            })
        }
        "OSZICAR" => {
            let o = parse_oszicar(b, name).map_err(e)?;
            let mut n: Vec<f64> = o.ionic_steps.iter().flat_map(|s| [s.f, s.e0]).collect();
            n.push(o.ionic_steps.len() as f64);
            Ok(Read_ {
                warnings: o.warnings.len(),
                complete: o.trailing_iterations == 0,
                numbers: n,
            })
        }
        "STRUCTURE" => {
            let p = parse_poscar(b, name, None).map_err(e)?;
            let mut n: Vec<f64> = p.lattice.iter().flatten().copied().collect();
            n.extend(p.positions_direct.iter().flatten());
            n.extend(p.counts.iter().map(|c| *c as f64));
            Ok(Read_ {
                warnings: p.warnings.len(),
                complete: true,
                numbers: n,
            })
        }
        "DOSCAR" => {
            let d = parse_doscar(b, name, LayoutHint::default(), &AtomFilter::All).map_err(e)?;
            let mut n = vec![d.efermi, d.nedos as f64, d.atoms.len() as f64];
            n.extend(d.energies.iter());
            n.extend(d.total.iter().flatten());
            n.extend(d.atoms.iter().flat_map(|a| a.values.iter().flatten()));
            Ok(Read_ {
                warnings: d.warnings.len(),
                complete: true,
                numbers: n,
            })
        }
        "vasprun" => {
            let v = parse_vasprun(b, name, &Options { dos: true }).map_err(e)?;
            let mut n: Vec<f64> = v
                .ionic_steps
                .iter()
                .flat_map(|s| [s.e_0_energy, s.e_fr_energy])
                .map(|x| x.unwrap_or(f64::NAN))
                .collect();
            n.extend(v.efermi);
            n.push(v.atoms.len() as f64);
            if let Some(s) = &v.final_structure {
                n.extend(s.lattice.iter().flatten());
                n.extend(s.positions_direct.iter().flatten());
            }
            if let Some(d) = &v.dos {
                n.extend(d.total.iter().flatten());
                n.extend(d.atoms.iter().flat_map(|a| a.values.iter().flatten()));
            }
            n.extend(v.dynmat_eigenvalues.iter());
            Ok(Read_ {
                warnings: v.warnings.len(),
                complete: v.complete,
                numbers: n,
            })
        }
        _ => unreachable!("{ty}"),
    }
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()))
}

/// Deterministic positions spread over the file (a small LCG: reproducible failures).
fn positions(len: usize, n: usize, seed: u64) -> Vec<usize> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut v: Vec<usize> = (1..=n / 2).map(|k| len * k / (n / 2 + 1)).collect();
    for _ in 0..n - n / 2 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        v.push((x >> 33) as usize % len.max(1));
    }
    v
}

/// Positions inside numbers: a digit after the decimal point followed by more digits, spread
/// over the file.
fn mid_number(b: &[u8], n: usize) -> Vec<usize> {
    // Every k with b[k - 1] == '.' and b[k], b[k + 1] digits, in order. From the points
    // (memchr) rather than a test of every byte: this crate is built unoptimised, and the
    // byte loop took half a second per 40 MB file.
    let all: Vec<usize> = memchr::memchr_iter(b'.', b)
        .map(|dot| dot + 1)
        .filter(|&k| k + 1 < b.len() && b[k].is_ascii_digit() && b[k + 1].is_ascii_digit())
        .collect();
    if all.is_empty() {
        return Vec::new();
    }
    (0..n).map(|k| all[all.len() * k / n]).collect()
}

struct Sweep<'a> {
    ty: &'a str,
    name: &'a str,
    intact: Read_,
    failures: Vec<String>,
    cases: usize,
}

impl Sweep<'_> {
    fn case(&mut self, what: &str, bytes: &[u8], prefix_ok: bool) {
        self.cases += 1;
        let r = common::catch_quietly(|| parse(self.ty, bytes, self.name));
        match r {
            Err(_) => self.failures.push(format!("{}: {what}: PANIC", self.name)),
            Ok(Err(msg)) => {
                if !msg.contains(self.name) {
                    self.failures.push(format!(
                        "{}: {what}: error without the file name: {msg}",
                        self.name
                    ));
                }
            }
            Ok(Ok(got)) => {
                let exact = same(&got.numbers, &self.intact.numbers);
                let flagged = got.flagged_against(&self.intact);
                // A cut file may give a prefix of the steps: then it must say it is cut
                // (incomplete, or a warning the intact file does not have).
                let prefix = prefix_ok
                    && got.numbers.len() <= self.intact.numbers.len()
                    && (flagged || !got.complete);
                if !exact && !flagged && !prefix {
                    self.failures.push(format!(
                        "{}: {what}: different numbers without a warning ({} vs {} values)",
                        self.name,
                        got.numbers.len(),
                        self.intact.numbers.len()
                    ));
                }
            }
        }
    }
}

fn sweep(ty: &str, name: &str, b: &[u8], failures: &mut Vec<String>) -> usize {
    let Ok(intact) = parse(ty, b, name) else {
        // Files the readers refuse whole (documented excerpts) have nothing to corrupt.
        return 0;
    };
    let mut s = Sweep {
        ty,
        name,
        intact,
        failures: Vec::new(),
        cases: 0,
    };
    let big = b.len() > 8_000_000;
    let n = if big { 8 } else { 24 };
    // Cuts: spread, random, and mid-number.
    let mut cuts = positions(b.len(), n, 1);
    let inside_numbers = mid_number(b, if big { 4 } else { 12 });
    cuts.extend(inside_numbers.iter().copied());
    cuts.push(1);
    for c in cuts {
        if c < b.len() {
            s.case(&format!("cut at byte {c}"), &b[..c], true);
        }
    }
    // Junk bytes in place of one byte.
    for (k, p) in positions(b.len(), n, 2).into_iter().enumerate() {
        let mut m = b.to_vec();
        m[p] = [b'#', b'*', 0xff, b'x'][k % 4];
        s.case(&format!("byte {p} replaced"), &m, false);
    }
    // Mid-number junk: the classic silent corruption.
    for p in inside_numbers {
        let mut m = b.to_vec();
        m[p] = b'#';
        s.case(&format!("digit at {p} replaced by '#'"), &m, false);
    }
    // A bit flipped that turns a character into another class (a digit into a letter,
    // a letter or space into a control byte): detectable. A flip between two digits is not
    // (VASP files have no checksums), so it is not a case.
    for p in positions(b.len(), n, 5) {
        let mut m = b.to_vec();
        m[p] ^= if m[p].is_ascii_digit() { 0x40 } else { 0x10 };
        if m[p].is_ascii_digit() {
            continue;
        }
        s.case(&format!("bit flipped at byte {p}"), &m, false);
    }
    // A whole line deleted, or repeated (a bad copy, a merge of two writes).
    let starts: Vec<usize> = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', b).map(|i| i + 1))
        .filter(|&i| i < b.len())
        .collect();
    for k in positions(starts.len(), n, 6) {
        let (a, z) = (starts[k], starts.get(k + 1).copied().unwrap_or(b.len()));
        let mut m = b[..a].to_vec();
        m.extend_from_slice(&b[z..]);
        s.case(&format!("line {} deleted", k + 1), &m, false);
        let mut m = b[..z].to_vec();
        m.extend_from_slice(&b[a..]);
        s.case(&format!("line {} repeated", k + 1), &m, false);
    }
    // A run of NULs inserted (and one overwriting).
    for p in positions(b.len(), if big { 4 } else { 8 }, 3) {
        let mut m = b[..p].to_vec();
        m.extend(std::iter::repeat_n(0u8, 4096));
        m.extend_from_slice(&b[p..]);
        s.case(&format!("4096 NULs inserted at {p}"), &m, false);
        let mut m = b.to_vec();
        let end = (p + 512).min(m.len());
        m[p..end].fill(0);
        s.case(&format!("512 bytes at {p} zeroed"), &m, false);
    }
    // CRLF: exactly the same numbers.
    let mut crlf = Vec::with_capacity(b.len() + b.len() / 40);
    let mut line_start = 0;
    for nl in memchr::memchr_iter(b'\n', b) {
        crlf.extend_from_slice(&b[line_start..nl]);
        crlf.extend_from_slice(b"\r\n");
        line_start = nl + 1;
    }
    crlf.extend_from_slice(&b[line_start..]);
    s.cases += 1;
    match common::catch_quietly(|| parse(ty, &crlf, name)) {
        Ok(Ok(got)) if same(&got.numbers, &s.intact.numbers) => {}
        Ok(Ok(_)) => s
            .failures
            .push(format!("{name}: CRLF: different numbers than LF")),
        Ok(Err(e)) => s.failures.push(format!("{name}: CRLF refused: {e}")),
        Err(_) => s.failures.push(format!("{name}: CRLF: PANIC")),
    }
    // gzip of the whole file, the stream cut short.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b).expect("gzip");
    let gz = gz.finish().expect("gzip");
    for c in positions(gz.len(), if big { 3 } else { 6 }, 4) {
        let cut = &gz[..c.max(3)];
        s.cases += 1;
        let r = common::catch_quietly(|| {
            let dec = flate2::read::MultiGzDecoder::new(cut);
            // What a reader sees of a cut gzip file: the bytes up to the cut, then an error.
            let mut out = Vec::new();
            let mut dec = dec;
            let _ = dec.read_to_end(&mut out);
            out
        });
        match r {
            Ok(prefix) => s.case(&format!("gzip cut at {c}"), &prefix, true),
            Err(_) => s.failures.push(format!("{name}: gzip cut at {c}: PANIC")),
        }
    }
    failures.extend(s.failures);
    s.cases
}

/// Corpus files the readers refuse whole, by design: there is nothing to corrupt. Every other
/// file must be swept.
const REFUSED_WHOLE: &[(&str, &str)] = &[(
    "ase_testdata/ase/test/testdata/vasp/POSCAR_example_1",
    "a VASP 4 POSCAR without species, which chepath never guesses",
)];

/// How many files of each type the corpus has (REFERENCE.json): a sweep over fewer is not
/// the sweep this file stands for. Together 124 files, 123 of them swept (the one test this
/// file had before asked for at least 100).
const FILES_OF_TYPE: [(&str, usize); 5] = [
    ("OUTCAR", 48),
    ("OSZICAR", 16),
    ("STRUCTURE", 28),
    ("DOSCAR", 6),
    ("vasprun", 26),
];

/// The vasprun.xml files (most of the work) are swept in this many tests of about equal
/// size, so that the test harness keeps both cores busy.
const VASPRUN_PARTS: usize = 6;

/// The bytes a reader sees of a file: its length, or for gzip the length the trailer gives.
fn bytes_to_parse(path: &Path) -> u64 {
    use std::io::{Seek, SeekFrom};
    let mut f = std::fs::File::open(path).expect("open");
    let mut magic = [0u8; 2];
    let len = f.metadata().expect("metadata").len();
    if len < 18 || f.read_exact(&mut magic).is_err() || magic != [0x1f, 0x8b] {
        return len;
    }
    let mut isize = [0u8; 4];
    f.seek(SeekFrom::End(-4)).expect("seek");
    f.read_exact(&mut isize).expect("gzip trailer");
    u64::from(u32::from_le_bytes(isize))
}

/// Part `k` of `n` of `files`, about equal in bytes: largest first, each to the part with
/// the fewest bytes so far. Every part computes the same split, so the `n` parts together
/// are every file, each once.
fn part_of<'a>(corpus: &Path, files: Vec<&'a str>, (k, n): (usize, usize)) -> Vec<&'a str> {
    let mut sized: Vec<(u64, &str)> = files
        .into_iter()
        .map(|rel| (bytes_to_parse(&corpus.join(rel)), rel))
        .collect();
    sized.sort_by_key(|&(size, rel)| (std::cmp::Reverse(size), rel));
    let mut bytes = vec![0u64; n];
    let mut mine = Vec::new();
    for (size, rel) in sized {
        let j = (0..n).min_by_key(|&j| (bytes[j], j)).expect("n > 0");
        bytes[j] += size;
        if j == k {
            mine.push(rel);
        }
    }
    mine
}

/// Sweep every corpus file of type `ty` (or of one part of them), each file's cases in
/// order; fail with every failure found.
fn sweep_corpus(ty: &str, part: Option<(usize, usize)>) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    // Panics are caught per case (common::catch_quietly, silent) and reported.
    let reference = common::reference(&corpus);
    let listed: Vec<&str> = common::files_of_type(&reference, ty)
        .into_iter()
        .map(|(rel, _)| rel)
        .collect();
    let expected = FILES_OF_TYPE
        .iter()
        .find(|(t, _)| *t == ty)
        .expect("a type of FILES_OF_TYPE")
        .1;
    assert!(
        listed.len() >= expected,
        "{ty}: {} files in the corpus, expected {expected}",
        listed.len()
    );
    let files = match part {
        Some(p) => part_of(&corpus, listed, p),
        None => listed,
    };
    assert!(!files.is_empty(), "{ty} {part:?}: no files");
    let mut failures = Vec::new();
    let (mut swept, mut cases) = (0, 0);
    for rel in &files {
        let b = load(&corpus.join(rel));
        let n = sweep(ty, rel, &b, &mut failures);
        if n > 0 {
            swept += 1;
        } else if !REFUSED_WHOLE.iter().any(|(r, _)| r == rel) {
            failures.push(format!(
                "{rel}: the intact file is refused, so nothing was swept (a file refused by design goes in REFUSED_WHOLE, with why)"
            ));
        }
        cases += n;
    }
    eprintln!(
        "corruption sweep {ty} {part:?}: {swept} of {} files, {cases} cases",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn outcar_files() {
    sweep_corpus("OUTCAR", None);
}

#[test]
fn oszicar_files() {
    sweep_corpus("OSZICAR", None);
}

#[test]
fn poscar_and_contcar_files() {
    sweep_corpus("STRUCTURE", None);
}

#[test]
fn doscar_files() {
    sweep_corpus("DOSCAR", None);
}

#[test]
fn vasprun_files_part_1() {
    sweep_corpus("vasprun", Some((0, VASPRUN_PARTS)));
}

#[test]
fn vasprun_files_part_2() {
    sweep_corpus("vasprun", Some((1, VASPRUN_PARTS)));
}

#[test]
fn vasprun_files_part_3() {
    sweep_corpus("vasprun", Some((2, VASPRUN_PARTS)));
}

#[test]
fn vasprun_files_part_4() {
    sweep_corpus("vasprun", Some((3, VASPRUN_PARTS)));
}

#[test]
fn vasprun_files_part_5() {
    sweep_corpus("vasprun", Some((4, VASPRUN_PARTS)));
}

#[test]
fn vasprun_files_part_6() {
    sweep_corpus("vasprun", Some((5, VASPRUN_PARTS)));
}
