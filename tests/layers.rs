//! The library's layers, checked on its source: no module uses one above it or beside it,
//! and the science takes data, not paths (no file-system calls outside the loader and the
//! output writers). The table is the one in `src/lib.rs` and the README's architecture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Top-level modules of `src/` by layer (lower may be used by higher, never the reverse).
const LAYERS: [(&str, u32); 17] = [
    ("error", 0),
    ("conventions", 1),
    ("formula", 1),
    ("select", 1),
    ("bounds", 1),
    ("thermo", 1),
    ("records", 1),
    ("network", 2),
    ("load", 3),
    ("dband", 4),
    ("pathway", 4),
    ("barrier", 4),
    ("checks", 5),
    ("output", 6),
    ("api", 7),
    ("fuzzing", 7),
    ("lib", 8),
];

/// Modules that may call the file system: the loader reads, the output writes.
const MAY_TOUCH_FILES: [&str; 2] = ["load", "output"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`None` for the binary's files).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel
        .components()
        .next()?
        .as_os_str()
        .to_string_lossy()
        .to_string();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "cli" && name != "main").then_some(name)
}

/// The top-level modules a source text names through `crate::` (plain paths and
/// `crate::{a, b::c}` groups), outside comments.
fn crate_uses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(k) = rest.find("crate::") {
            rest = &rest[k + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
    }
    out
}

#[test]
fn no_module_uses_one_above_or_beside_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let layer: BTreeMap<&str, u32> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut bad = Vec::new();
    let mut checked = 0;
    for f in &files {
        let Some(m) = module_of(&src, f) else {
            continue;
        };
        let Some(&own) = layer.get(m.as_str()) else {
            bad.push(format!(
                "{}: module '{m}' is not in the layer table",
                f.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(f).expect("read");
        for used in crate_uses(&text) {
            if used == m || used == "vasp_parsers" {
                continue;
            }
            match layer.get(used.as_str()) {
                Some(&l) if l < own => {}
                Some(&l) => bad.push(format!(
                    "{}: '{m}' (layer {own}) uses '{used}' (layer {l})",
                    f.display()
                )),
                None => bad.push(format!("{}: uses unknown crate::{used}", f.display())),
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "the scan found only {checked} crate:: uses");
    assert!(bad.is_empty(), "layering broken:\n{}", bad.join("\n"));
}

#[test]
fn the_science_reads_no_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let calls = [
        "std::fs",
        "fs::",
        "File::open",
        "File::create",
        "read_dir",
        "read_to_string",
        "OpenOptions",
        "canonicalize",
    ];
    let mut bad = Vec::new();
    let mut pure = 0;
    for f in &files {
        let Some(m) = module_of(&src, f) else {
            continue;
        };
        if MAY_TOUCH_FILES.contains(&m.as_str()) {
            continue;
        }
        pure += 1;
        let text = std::fs::read_to_string(f).expect("read");
        // unit tests may build fixtures on disk
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let line = line.split("//").next().unwrap_or("");
            if let Some(c) = calls.iter().find(|c| line.contains(**c)) {
                bad.push(format!("{}:{}: {c}", f.display(), n + 1));
            }
        }
    }
    assert!(pure > 10, "only {pure} files checked");
    assert!(
        bad.is_empty(),
        "file-system calls outside load/ and output/:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scanner_sees_groups_and_ignores_comments() {
    let uses = crate_uses(
        "use crate::{load::Dataset, network::X};\n// crate::output\nlet x = crate::dband::f();",
    );
    assert_eq!(uses, vec!["load", "network", "dband"]);
}
