//! Criterion benchmarks of the readers: the hand-made fixture always, and every OUTCAR of
//! the shared corpus when it is present (decompressed to memory first, so the figure is the
//! parser's own cost). Run: `cargo bench --manifest-path benches/Cargo.toml` (its own
//! package, outside the main workspace). Peer comparisons (pymatgen, ASE, `wc -l`) are in
//! `benches/compare.py`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::io::Read;
use std::path::PathBuf;

fn corpus_outcars() -> Vec<(String, Vec<u8>)> {
    let root = std::env::var_os("CHEPATH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vasp-corpus")
        });
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains("OUTCAR"))
            {
                let Ok(mut b) = std::fs::read(&p) else {
                    continue;
                };
                if b.starts_with(&[0x1f, 0x8b]) {
                    let mut o = Vec::new();
                    if flate2::read::MultiGzDecoder::new(&b[..])
                        .read_to_end(&mut o)
                        .is_err()
                    {
                        continue;
                    }
                    b = o;
                }
                out.push((p.display().to_string(), b));
            }
        }
    }
    out.sort();
    out
}

fn bench(c: &mut Criterion) {
    let fixture = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/relax/OUTCAR"
    ))
    .expect("fixture");
    let mut g = c.benchmark_group("outcar");
    g.throughput(Throughput::Bytes(fixture.len() as u64));
    g.bench_function("fixture", |b| {
        b.iter(|| vasp_parsers::outcar::parse_outcar(&fixture[..], "fixture"))
    });
    let files = corpus_outcars();
    if !files.is_empty() {
        let total: usize = files.iter().map(|(_, b)| b.len()).sum();
        g.throughput(Throughput::Bytes(total as u64));
        g.sample_size(20);
        g.bench_function("corpus_all_in_memory", |b| {
            b.iter(|| {
                for (n, f) in &files {
                    let _ = vasp_parsers::outcar::parse_outcar(&f[..], n);
                }
            })
        });
    } else {
        eprintln!("NOTICE: corpus not found; only the fixture is benchmarked");
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
