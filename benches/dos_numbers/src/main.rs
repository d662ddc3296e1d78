//! ns per number of the DOSCAR number loop: a DOSCAR (plain) read into memory and split
//! into lines once, then every line's numbers parsed by
//!
//! - `fields + parse_f64`: the field-by-field loop the DOSCAR reader had before (whitespace
//!   split, then `parse_f64` per field; `parse_f64` now starts with the short-decimal fast
//!   path, so this is today's field-by-field fallback);
//! - `fields + fast-float2`: the whitespace split and fast-float2 per field (the old
//!   `parse_f64`'s first step, the "plain split + fast-float loop");
//! - `fast_fields`: the one-pass scanner the reader uses now.
//!
//! Each is run REPEATS times (default 7) in turn; the median and min–max of ns per value are
//! printed, with the values parsed (the loops must agree on the count and the sum).
//!   cargo run --release --manifest-path benches/dos_numbers/Cargo.toml -- DOSCAR [REPEATS]

use std::time::Instant;
use vasp_parsers::numbers::{fast_fields, parse_f64};
use vasp_parsers::source::fields;

type Loop = fn(&[&[u8]], &mut Vec<f64>) -> (usize, f64);

fn by_field(lines: &[&[u8]], out: &mut Vec<f64>) -> (usize, f64) {
    let (mut n, mut s) = (0, 0.0);
    for l in lines {
        out.clear();
        for f in fields(l) {
            if let Ok(x) = parse_f64(f) {
                out.push(x);
            }
        }
        n += out.len();
        s += out.iter().sum::<f64>();
    }
    (n, s)
}

fn fast_float(lines: &[&[u8]], out: &mut Vec<f64>) -> (usize, f64) {
    let (mut n, mut s) = (0, 0.0);
    for l in lines {
        out.clear();
        for f in fields(l) {
            if let Ok(x) = fast_float2::parse::<f64, _>(f) {
                out.push(x);
            }
        }
        n += out.len();
        s += out.iter().sum::<f64>();
    }
    (n, s)
}

fn one_pass(lines: &[&[u8]], out: &mut Vec<f64>) -> (usize, f64) {
    let (mut n, mut s) = (0, 0.0);
    for l in lines {
        if !fast_fields(l, out) {
            // the reader's fallback: field by field
            out.clear();
            out.extend(fields(l).filter_map(|f| parse_f64(f).ok()));
        }
        n += out.len();
        s += out.iter().sum::<f64>();
    }
    (n, s)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: chepath-dos-numbers DOSCAR [REPEATS]");
        std::process::exit(2);
    };
    let repeats: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(7);
    let data = match std::fs::read(&path) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    // the numeric lines (line 6 on: the header lines 1-5 are not all numbers)
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').skip(5).collect();
    let loops: [(&str, Loop); 3] = [
        ("fields + parse_f64", by_field),
        ("fields + fast-float2", fast_float),
        ("fast_fields", one_pass),
    ];
    let mut ns: Vec<Vec<f64>> = vec![Vec::new(); loops.len()];
    let mut counts = vec![(0, 0.0); loops.len()];
    let mut out = Vec::with_capacity(64);
    for _ in 0..repeats {
        for (k, (_, f)) in loops.iter().enumerate() {
            let t = Instant::now();
            let (n, s) = f(&lines, &mut out);
            let dt = t.elapsed().as_secs_f64();
            ns[k].push(dt * 1e9 / n.max(1) as f64);
            counts[k] = (n, s);
        }
    }
    for (k, (name, _)) in loops.iter().enumerate() {
        let v = &mut ns[k];
        v.sort_by(f64::total_cmp);
        println!(
            "{name:22} {:6.2} ns/value (min {:.2}, max {:.2}); {} values, sum {:.6e}",
            v[v.len() / 2],
            v[0],
            v[v.len() - 1],
            counts[k].0,
            counts[k].1
        );
    }
}
