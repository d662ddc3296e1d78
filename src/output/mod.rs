//! Everything results become: ranking rows and their renderings (terminal table, Markdown,
//! CSV, JSON), figures (free-energy diagrams, descriptor and PDOS plots) drawn as SVG or PNG,
//! and the report directory of `chepath report`.
//!
//! - [`rows`]: one row per model; [`rows::Ranking`] renders them in every format
//! - [`figures`]: what to draw, from results (pure)
//! - [`plot`](mod@plot): drawing (plotters, embedded DejaVu Sans, Okabe–Ito colours)
//! - `labels`: placing the texts of a plot so that none overlaps another or the legend
//! - [`report`]: the main job's bundle of results, written to one directory

pub mod figures;
mod labels;
pub mod plot;
pub mod profile;
pub mod report;
pub mod rows;

/// Write `bytes` to `path` whole or not at all: into a temporary file beside it
/// (`.NAME.PID-N.part`), then renamed over it. A rename within one directory is atomic on
/// POSIX, so two runs writing the same file never interleave and nobody reads half a figure
/// or half a report; on any error the temporary file is removed and `path` is untouched.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = path.with_file_name(format!(
        ".{name}.{}-{}.part",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let done = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

#[cfg(test)]
mod tests {
    #[test]
    fn write_file_replaces_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.svg");
        super::write_file(&p, b"first").expect("write");
        super::write_file(&p, b"second").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(names.len(), 1, "no .part file left");
        // into a missing directory: an error, nothing written
        assert!(super::write_file(&dir.path().join("no/a.svg"), b"x").is_err());
    }
}
