//! Output files, checked before any work: the figure's format (a usage error, exit 2), a
//! file that exists without `--force` (the one refusal code, exit 3) and a directory that
//! cannot take the file (exit 3, "could not write" with the path and the OS reason).

use super::exit;
use chepath::output::plot::PlotError;
use std::path::Path;

/// The figure `opt` (`--plot`, `-o`, …) will be drawn to `out`: it must end in .svg or .png
/// (else a usage error), and [`file`] must accept it. Err: the exit code, the error printed.
pub fn figure(opt: &str, out: &Path, force: bool) -> Result<(), i32> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if !matches!(ext.as_deref(), Some("svg" | "png")) {
        eprintln!(
            "error: {opt} {}: the figure must end in .svg or .png",
            out.display()
        );
        return Err(exit::USAGE);
    }
    file(out, force)
}

/// A file chepath will write: refused when it exists unless `force`, and when it cannot be
/// written (its directory missing or read-only, the path a directory). Nothing is created.
/// Err: the exit code, the error printed.
pub fn file(out: &Path, force: bool) -> Result<(), i32> {
    if out.is_dir() {
        return Err(could_not_write(out, "it is a directory"));
    }
    if out.exists() {
        if !force {
            return Err(refuse(out));
        }
        // opened for writing without truncating: the file stays as it is until the work is done
        return match std::fs::OpenOptions::new().write(true).open(out) {
            Ok(_) => Ok(()),
            Err(e) => Err(could_not_write(out, e)),
        };
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    writable_dir(dir).map_err(|why| could_not_write(out, why))
}

/// A directory chepath will write files into (created if missing): it, or the nearest of
/// its ancestors that exists, must be a directory that takes a file. Nothing is left behind.
pub fn directory(out: &Path) -> Result<(), i32> {
    if out.exists() && !out.is_dir() {
        return Err(could_not_write(out, "it exists and is not a directory"));
    }
    let mut at = out;
    while !at.exists() {
        match at.parent() {
            Some(p) if !p.as_os_str().is_empty() => at = p,
            _ => {
                at = Path::new(".");
                break;
            }
        }
    }
    writable_dir(at).map_err(|why| could_not_write(out, why))
}

/// Whether a file can be created in `dir`: a probe file is created exclusively and removed
/// at once (permission bits alone miss read-only file systems and root). Err: the OS
/// reason, with the directory and what to do.
fn writable_dir(dir: &Path) -> Result<(), String> {
    let probe = dir.join(format!(".chepath-write-probe-{}", std::process::id()));
    let made = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe);
    match made {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        // a probe of another run of the same process id: the directory takes files
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => {
            let hint = if dir.is_dir() {
                "does not take files: check its permissions, or write elsewhere"
            } else {
                "does not exist (or is not a directory): create it, or write elsewhere"
            };
            Err(format!("{e}; its directory {} {hint}", dir.display()))
        }
    }
}

/// The refusal to overwrite `out` (printed): [`exit::IO`], the one code of refusals.
pub fn refuse(out: &Path) -> i32 {
    eprintln!(
        "error: {} exists; chepath does not overwrite files: pass --force, or choose another name",
        out.display()
    );
    exit::IO
}

/// A write that failed (printed with the path and the reason): [`exit::IO`].
pub fn could_not_write(out: &Path, why: impl std::fmt::Display) -> i32 {
    eprintln!("error: could not write {}: {why}", out.display());
    exit::IO
}

/// A figure that could not be drawn to `out`, printed; its exit code: a size or format the
/// command line should not have let through is a usage error, a failed write (the SVG
/// backend's I/O errors included) a write error, anything else a drawing failure.
pub fn plot_failed(out: &Path, e: &PlotError) -> i32 {
    match e {
        PlotError::Extension(_) | PlotError::TooLarge(..) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
        PlotError::Font(_) => {
            eprintln!("error: {e}");
            exit::INTERNAL
        }
        PlotError::Write(..) => {
            eprintln!("error: {e}");
            exit::IO
        }
        _ if e.to_string().contains("backend error") => could_not_write(out, e),
        _ => {
            eprintln!("error: {e}");
            exit::FORMAT
        }
    }
}
