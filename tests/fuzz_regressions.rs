//! Every input the fuzzers were seeded with (`fuzz/seeds/<target>/`) and every crash input
//! they ever found (`tests/fixtures/fuzz/<target>/`, kept as regression inputs), run through
//! the same calls as the fuzz targets in `fuzz/fuzz_targets/`: none may panic.

use std::path::Path;
use vasp_parsers::doscar::{parse_doscar, AtomFilter, LayoutHint};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = Vec::new();
    for dir in [
        root.join("fuzz/seeds").join(target),
        root.join("tests/fixtures/fuzz").join(target),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        files.sort();
        for p in files {
            if let Ok(b) = std::fs::read(&p) {
                v.push((p.display().to_string(), b));
            }
        }
    }
    v
}

fn run(target: &str, data: &[u8]) {
    match target {
        "outcar" => {
            let _ = vasp_parsers::outcar::parse_outcar(data, "fuzz/OUTCAR");
        }
        "oszicar" => {
            let _ = vasp_parsers::oszicar::parse_oszicar(data, "fuzz/OSZICAR");
        }
        "doscar" => {
            let _ = parse_doscar(data, "fuzz/DOSCAR", LayoutHint::default(), &AtomFilter::All);
            let hint = LayoutHint {
                ispin: Some(2),
                noncollinear: Some(false),
                lorbit: Some(11),
            };
            let _ = parse_doscar(data, "fuzz/DOSCAR", hint, &AtomFilter::Only(vec![2]));
        }
        "poscar" => {
            let _ = vasp_parsers::poscar::parse_poscar(data, "fuzz/POSCAR", None);
            let species = vec!["Cu".to_string(), "N".to_string(), "C".to_string()];
            let _ = vasp_parsers::poscar::parse_poscar(data, "fuzz/POSCAR", Some(&species));
        }
        "vasprun" => {
            let _ = vasp_parsers::vasprun::parse_vasprun(
                data,
                "fuzz/vasprun.xml",
                &vasp_parsers::vasprun::Options { dos: true },
            );
        }
        "network" => {
            let Ok(text) = std::str::from_utf8(data) else {
                return;
            };
            let Ok(file) = chepath::network::parse(text, "fuzz/network.toml") else {
                return;
            };
            let base = std::env::temp_dir().join("chepath-fuzz-empty");
            let _ = chepath::che::run(&file, &base, None, None);
        }
        _ => unreachable!(),
    }
}

#[test]
fn seeds_and_crash_inputs_do_not_panic() {
    let mut total = 0;
    for target in [
        "outcar", "oszicar", "doscar", "poscar", "vasprun", "network",
    ] {
        let ins = inputs(target);
        assert!(!ins.is_empty(), "{target}: no seeds in fuzz/seeds/{target}");
        for (name, data) in ins {
            let r = std::panic::catch_unwind(|| run(target, &data));
            assert!(r.is_ok(), "{target}: {name} panics");
            total += 1;
        }
    }
    eprintln!("fuzz regression inputs: {total}");
}
