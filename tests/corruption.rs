//! Truncation and corruption sweep over every corpus file of every format (OUTCAR, OSZICAR,
//! POSCAR/CONTCAR, DOSCAR, vasprun.xml): cuts at many points (mid-line, mid-number), bytes
//! replaced by junk, runs of NULs inserted (a crashed file system's zero blocks), CRLF line
//! ends, and gzip streams of the file cut short.
//!
//! Every case must end in a clear error (naming the file) or in a result that is either
//! flagged (incomplete, or with warnings) or carries exactly the numbers of the intact file
//! (the damage hit something not read). Never a panic, never a silently different number.
//! CRLF must read exactly like LF.

use crate::common;

use std::io::{Read, Write};
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

/// Positions inside numbers: a digit followed by more digits, spread over the file.
fn mid_number(b: &[u8], n: usize) -> Vec<usize> {
    let all: Vec<usize> = (1..b.len().saturating_sub(1))
        .filter(|&k| b[k].is_ascii_digit() && b[k - 1] == b'.' && b[k + 1].is_ascii_digit())
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
    cuts.extend(mid_number(b, if big { 4 } else { 12 }));
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
    for p in mid_number(b, if big { 4 } else { 12 }) {
        let mut m = b.to_vec();
        m[p] = b'#';
        s.case(&format!("digit at {p} replaced by '#'"), &m, false);
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
    for &c in b {
        if c == b'\n' {
            crlf.push(b'\r');
        }
        crlf.push(c);
    }
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

#[test]
fn every_corpus_file_survives_truncation_and_corruption() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    // Panics are caught per case (common::catch_quietly, silent) and reported.
    let reference = common::reference(&corpus);
    let mut todo = Vec::new();
    for ty in ["OUTCAR", "OSZICAR", "STRUCTURE", "DOSCAR", "vasprun"] {
        for (rel, _) in common::files_of_type(&reference, ty) {
            todo.push((ty, rel));
        }
    }
    // Files in parallel (both cores); each file's cases in order.
    use rayon::prelude::*;
    let results: Vec<(Vec<String>, usize)> = todo
        .par_iter()
        .map(|(ty, rel)| {
            let b = load(&corpus.join(rel));
            let mut f = Vec::new();
            let n = sweep(ty, rel, &b, &mut f);
            (f, n)
        })
        .collect();
    let files = results.iter().filter(|(_, n)| *n > 0).count();
    let cases: usize = results.iter().map(|(_, n)| n).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|(f, _)| f).collect();
    eprintln!("corruption sweep: {files} files, {cases} cases");
    assert!(files >= 100, "{files} files swept");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
