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

const TARGETS: [&str; 6] = [
    "outcar", "oszicar", "doscar", "poscar", "vasprun", "network",
];

/// `chepath::fuzzing::run` refuses a name it does not know; beyond that, every name here
/// must be a cargo-fuzz target making that call, and every target must be here.
#[test]
fn the_replayed_targets_are_the_fuzz_targets() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("fuzz/fuzz_targets")
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".rs")
                .map(String::from)
        })
        .collect();
    files.sort();
    let mut names: Vec<String> = TARGETS.iter().map(|t| t.to_string()).collect();
    names.sort();
    assert_eq!(files, names);
    for t in TARGETS {
        let src = std::fs::read_to_string(dir.join(format!("{t}.rs"))).expect("target source");
        assert!(
            src.contains(&format!("chepath::fuzzing::run(\"{t}\", data)")),
            "fuzz/fuzz_targets/{t}.rs does not call chepath::fuzzing::run(\"{t}\", data)"
        );
    }
}

#[test]
fn seeds_and_crash_inputs_do_not_panic() {
    let mut total = 0;
    for target in TARGETS {
        let ins = inputs(target);
        assert!(!ins.is_empty(), "{target}: no seeds in fuzz/seeds/{target}");
        for (name, data) in ins {
            let r = std::panic::catch_unwind(|| chepath::fuzzing::run(target, &data));
            match r {
                Ok(Ok(())) => {}
                Ok(Err(e)) => panic!("{e}"),
                Err(_) => panic!("{target}: {name} panics"),
            }
            total += 1;
        }
    }
    eprintln!("fuzz regression inputs: {total}");
}
