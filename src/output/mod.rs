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
/// A symbolic link is followed: the file it points to is replaced and the link stays (an
/// `expected.toml` linked from elsewhere keeps being a link); an existing file keeps its
/// permissions.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let resolved;
    let path = match is_link.then(|| std::fs::canonicalize(path)) {
        Some(Ok(p)) => {
            resolved = p;
            resolved.as_path()
        }
        // a dangling link: writing through it creates the file it names
        Some(Err(_)) => return std::fs::write(path, bytes),
        None => path,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = path.with_file_name(format!(
        ".{name}.{}-{}.part",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let keep = std::fs::metadata(path).ok().map(|m| m.permissions());
    let done = std::fs::write(&tmp, bytes)
        .and_then(|()| match keep {
            Some(p) => std::fs::set_permissions(&tmp, p),
            None => Ok(()),
        })
        .and_then(|()| std::fs::rename(&tmp, path));
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

    #[cfg(unix)]
    #[test]
    fn write_file_follows_a_link_and_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tmp");
        let real = dir.path().join("shared-expected.toml");
        std::fs::write(&real, b"old").expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let link = dir.path().join("expected.toml");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        super::write_file(&link, b"new").expect("write");
        let meta = std::fs::symlink_metadata(&link).expect("stat");
        assert!(meta.file_type().is_symlink(), "the link stays a link");
        assert_eq!(std::fs::read(&real).expect("read"), b"new");
        let mode = std::fs::metadata(&real).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
        // a dangling link: the file it names is created
        let gone = dir.path().join("gone.toml");
        let dangling = dir.path().join("dangling.toml");
        std::os::unix::fs::symlink(&gone, &dangling).expect("symlink");
        super::write_file(&dangling, b"x").expect("write");
        assert_eq!(std::fs::read(&gone).expect("read"), b"x");
    }
}
