//! Cut every OUTCAR (the hand-made fixture and every corpus OUTCAR) at many byte positions,
//! including mid-line and mid-number, and read each prefix. Never a panic; never a silently
//! wrong number: every ionic step read from a prefix equals the same step of the whole file,
//! and a prefix cut before VASP's final line is reported incomplete.

use crate::common;

use std::io::Read;
// The readers' own parse_* on byte slices, instantiated in an optimised crate.
use chepath_test_readers::parse_outcar;

fn load(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).expect("read");
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .expect("gunzip");
        bytes = out;
    }
    bytes
}

/// Cut points: evenly spaced, plus positions inside every energy line (mid-number).
fn cut_points(b: &[u8], spaced: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = (1..spaced).map(|k| b.len() * k / spaced).collect();
    let finder = memchr::memmem::Finder::new(b"free  energy   TOTEN");
    for (n, k) in finder.find_iter(b).enumerate() {
        if n > 6 {
            break;
        }
        // inside the value, and inside the sigma->0 value two lines below
        cuts.push(k + 33);
        if let Some(j) = memchr::memmem::find(&b[k..], b"sigma->0) =") {
            cuts.push(k + j + 20);
        }
    }
    cuts.push(0);
    cuts.push(1);
    cuts.push(b.len() - 1);
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

fn check_file(name: &str, b: &[u8], spaced: usize) {
    let full = parse_outcar(b, name).expect("the whole file reads");
    let done_at = memchr::memmem::find(b, b"General timing and accounting");
    // Independent scan of every `E-fermi :` value printed.
    let printed_efermi: Vec<f64> = String::from_utf8_lossy(b)
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("E-fermi :"))
        .filter_map(|r| r.split_whitespace().next().and_then(|x| x.parse().ok()))
        .collect();
    for cut in cut_points(b, spaced) {
        let prefix = &b[..cut];
        let Ok(o) = parse_outcar(prefix, name) else {
            continue;
        };
        assert!(
            o.ionic_steps.len() <= full.ionic_steps.len(),
            "{name} cut at {cut}: more steps than the whole file"
        );
        for (a, f) in o.ionic_steps.iter().zip(&full.ionic_steps) {
            assert_eq!(
                a.energy, f.energy,
                "{name} cut at {cut}: step {} differs",
                a.index
            );
        }
        if done_at.is_none_or(|d| cut < d) {
            assert!(!o.complete, "{name} cut at {cut}: reported complete");
            assert!(!o.warnings.is_empty(), "{name} cut at {cut}: no warning");
        }
        if let Some(ef) = o.efermi_last {
            // E-fermi from a prefix is one of the values the file prints in full, never a
            // shortened one (a cut line is ignored).
            assert!(
                printed_efermi.contains(&ef),
                "{name} cut at {cut}: E-fermi {ef} not printed"
            );
        }
    }
}

#[test]
fn fixture_cut_at_every_byte() {
    let b = std::fs::read(format!(
        "{}/tests/fixtures/relax/OUTCAR",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture");
    check_file("relax/OUTCAR", &b, b.len());
}

#[test]
fn corpus_outcars_cut_at_many_points() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let reference = common::reference(&corpus);
    let files = common::files_of_type(&reference, "OUTCAR");
    for (rel, _) in files {
        let b = load(&corpus.join(rel));
        // more cuts for small files, fewer for the multi-MB ones
        let spaced = if b.len() < 200_000 { 120 } else { 30 };
        check_file(rel, &b, spaced);
    }
}

/// The corpus files of `ty` (DOSCAR or vasprun) cut at many points: an error naming the file,
/// or (vasprun.xml) a result with a warning; never a panic. Returns the number of cuts.
fn cut_dos_files(corpus: &std::path::Path, ty: &str) -> usize {
    let reference = common::reference(corpus);
    let mut cases = 0;
    for (rel, _) in common::files_of_type(&reference, ty) {
        let b = load(&corpus.join(rel));
        let n = if b.len() < 1_500_000 { 14 } else { 5 };
        for k in 1..n {
            let cut = b.len() * k / n;
            let prefix = &b[..cut];
            cases += 1;
            if ty == "DOSCAR" {
                let r = chepath_test_readers::parse_doscar(
                    prefix,
                    rel,
                    Default::default(),
                    &Default::default(),
                );
                match r {
                    Err(e) => assert!(e.to_string().contains(rel), "{e}"),
                    // a cut between atom blocks: fewer blocks, with a warning
                    Ok(d) => assert!(
                        d.pdos_blocks < d.nions && !d.warnings.is_empty(),
                        "{rel} cut at {cut}: no warning"
                    ),
                }
            } else {
                let r = chepath_test_readers::parse_vasprun(
                    prefix,
                    rel,
                    &vasp_parsers::vasprun::Options { dos: true },
                );
                if let Ok(v) = r {
                    assert!(
                        !v.complete && !v.warnings.is_empty(),
                        "{rel} cut at {cut}: reported complete"
                    );
                }
            }
        }
    }
    cases
}

// One test per type so that the harness runs them side by side. The corpus's DOSCARs and
// vasprun.xml files give 51 and 194 cuts today (a single test asked for more than 100).

#[test]
fn corpus_doscars_cut_at_many_points() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let cases = cut_dos_files(&corpus, "DOSCAR");
    eprintln!("DOSCAR cuts: {cases}");
    assert!(cases >= 51, "{cases} DOSCAR cuts");
}

#[test]
fn corpus_vaspruns_cut_at_many_points() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let cases = cut_dos_files(&corpus, "vasprun");
    eprintln!("vasprun cuts: {cases}");
    assert!(cases >= 194, "{cases} vasprun.xml cuts");
}
