//! Which VASP files a calculation directory holds, found by their standard names (a `stat`
//! per name, nothing opened).

use serde::Serialize;
use std::path::{Path, PathBuf};

/// The VASP files of a calculation directory (plain name preferred over `.gz`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CalcFiles {
    pub outcar: Option<PathBuf>,
    pub oszicar: Option<PathBuf>,
    pub contcar: Option<PathBuf>,
    pub poscar: Option<PathBuf>,
    pub doscar: Option<PathBuf>,
    pub vasprun: Option<PathBuf>,
    /// A POTCAR, or a list of POTCAR titles saved under that name.
    pub potcar: Option<PathBuf>,
    pub incar: Option<PathBuf>,
    pub kpoints: Option<PathBuf>,
}

impl CalcFiles {
    /// Look for the standard file names in `dir`. A FIFO, device or socket under such a
    /// name is taken too, so that its reader refuses it ("expected a regular file") instead
    /// of the calculation going on without it.
    pub fn find(dir: &Path) -> CalcFiles {
        let pick = |base: &str| -> Option<PathBuf> {
            [base.to_string(), format!("{base}.gz")]
                .into_iter()
                .map(|n| dir.join(n))
                .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()))
        };
        CalcFiles {
            outcar: pick("OUTCAR"),
            oszicar: pick("OSZICAR"),
            contcar: pick("CONTCAR"),
            poscar: pick("POSCAR"),
            doscar: pick("DOSCAR"),
            vasprun: pick("vasprun.xml"),
            potcar: pick("POTCAR"),
            incar: pick("INCAR"),
            kpoints: pick("KPOINTS"),
        }
    }

    /// At least one output or structure file (a POTCAR alone is not a calculation).
    pub fn is_calculation(&self) -> bool {
        self.outcar.is_some()
            || self.oszicar.is_some()
            || self.contcar.is_some()
            || self.poscar.is_some()
            || self.doscar.is_some()
            || self.vasprun.is_some()
    }

    /// The structure file: CONTCAR (the final structure), else POSCAR.
    pub fn structure(&self) -> Option<&PathBuf> {
        self.contcar.as_ref().or(self.poscar.as_ref())
    }

    /// The names of the files found, in a fixed order.
    pub fn names(&self) -> Vec<String> {
        [
            &self.outcar,
            &self.oszicar,
            &self.contcar,
            &self.poscar,
            &self.doscar,
            &self.vasprun,
            &self.potcar,
            &self.incar,
            &self.kpoints,
        ]
        .into_iter()
        .flatten()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
    }
}

/// The directory a path belongs to: itself, or the parent of a file (`.` for a bare name).
pub fn dir_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// `base/p`, or `p` when it is absolute.
pub fn join(base: &Path, p: &str) -> PathBuf {
    let q = Path::new(p);
    if q.is_absolute() {
        q.to_path_buf()
    } else {
        base.join(q)
    }
}

/// A missing path as the I/O error a reader would give.
pub fn not_found(path: &Path) -> vasp_parsers::ParseError {
    vasp_parsers::ParseError::io(
        path,
        &std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
    )
}
