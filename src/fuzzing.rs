//! The calls the cargo-fuzz targets (`fuzz/fuzz_targets/`) make on arbitrary bytes, in one
//! place, so `tests/fuzz_regressions.rs` replays seeds and kept crash inputs through exactly
//! the same code. Results are discarded: the only property is "no panic, no hang".
//!
//! The `network` target builds a dataset under an empty directory: its calculations fail to
//! read, cleanly, and the engine must report that, not panic.

use vasp_parsers::doscar::{parse_doscar, AtomFilter, LayoutHint};

/// The fuzz targets, by name.
pub const TARGETS: [&str; 6] = [
    "outcar", "oszicar", "doscar", "poscar", "vasprun", "network",
];

/// Make the loader's parallel reads run on the calling thread: a global rayon pool of one
/// worker, that thread. Call once, from the thread that runs every input (a fuzzer's main
/// thread), before the first. Without it, the coverage libFuzzer sees includes rayon's
/// work-stealing and sleep paths, which depend on timing, not on the input: the `network`
/// target's rounds of 2026-12-01 kept "finding" such edges (fuzz/README.md). An error (a
/// global pool already built) is returned, not hidden.
pub fn deterministic_threads() -> Result<(), String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .use_current_thread()
        .build_global()
        .map_err(|e| format!("could not make the rayon pool single-threaded: {e}"))
}

/// Feed `data` to the reader(s) behind `target`, one of [`TARGETS`]; an unknown name is an
/// error (so a typo in a target or a regression directory cannot pass unnoticed).
pub fn run(target: &str, data: &[u8]) -> Result<(), String> {
    match target {
        "outcar" => {
            let _ = vasp_parsers::outcar::parse_outcar(data, "fuzz/OUTCAR");
        }
        "oszicar" => {
            let _ = vasp_parsers::oszicar::parse_oszicar(data, "fuzz/OSZICAR");
        }
        "doscar" => {
            // Every atom without a hint, and one atom (the block-skipping path) with one.
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
            let species = ["Cu", "N", "C"].map(String::from);
            let _ = vasp_parsers::poscar::parse_poscar(data, "fuzz/POSCAR", Some(&species));
        }
        "vasprun" => {
            // with the DOS (dband, pdos) and without (scan, the loader's energies): the
            // second skips <total>/<partial> by byte search, code the first never runs
            for dos in [true, false] {
                let _ = vasp_parsers::vasprun::parse_vasprun(
                    data,
                    "fuzz/vasprun.xml",
                    &vasp_parsers::vasprun::Options { dos },
                );
            }
        }
        "network" => {
            // TOML → validation → balancing → the CHE engine; calc paths point into an empty
            // directory and must fail cleanly.
            let Ok(text) = std::str::from_utf8(data) else {
                return Ok(());
            };
            let Ok(file) = crate::network::parse(text, "fuzz/network.toml") else {
                return Ok(());
            };
            let base = std::env::temp_dir().join("chepath-fuzz-empty");
            let data = crate::load::Dataset::for_network(&file, &base);
            let _ = crate::pathway::run(&file, &data, None, None);
        }
        _ => {
            return Err(format!(
                "unknown fuzz target '{target}': expected one of {}",
                TARGETS.join(", ")
            ))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_targets_are_refused() {
        assert!(super::run("outcar", b"").is_ok());
        assert!(super::run("outcr", b"").is_err());
    }
}
