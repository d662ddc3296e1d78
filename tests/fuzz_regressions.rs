//! Every input the fuzzers were seeded with (`fuzz/seeds/<target>/`) and every crash input
//! they ever found (`tests/fixtures/fuzz/<target>/`, kept as regression inputs), run through
//! `chepath::fuzzing::run`, the very calls of the fuzz targets: none may panic.

use std::path::Path;

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

#[test]
fn seeds_and_crash_inputs_do_not_panic() {
    let mut total = 0;
    for target in [
        "outcar", "oszicar", "doscar", "poscar", "vasprun", "network",
    ] {
        let ins = inputs(target);
        assert!(!ins.is_empty(), "{target}: no seeds in fuzz/seeds/{target}");
        for (name, data) in ins {
            let r = std::panic::catch_unwind(|| {
                chepath::fuzzing::run(target, &data).expect("a known target")
            });
            assert!(r.is_ok(), "{target}: {name} panics");
            total += 1;
        }
    }
    eprintln!("fuzz regression inputs: {total}");
}
