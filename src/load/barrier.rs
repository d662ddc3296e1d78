//! The calculations of a barrier, read: IS, TS and FS (directories or files), or the image
//! directories `00` … `NN` of a NEB run, each with its frequency run where there is one
//! (`freq/` in a state's directory; for the TS also VTST's `freq.dat`, or a named file); and
//! what the energy profile is computed from (each structure's final positions and cell, the
//! OUTCAR's last forces, VTST's tangent force).

use super::dataset::{read_one, Calc, Role};
use super::files;
use crate::error::Error;
use std::path::{Path, PathBuf};

/// The modes of one structure's frequency run.
#[derive(Debug, Clone)]
pub struct FreqRun {
    /// The structure it belongs to (`IS`, `TS`, `FS`).
    pub label: String,
    pub file: PathBuf,
    /// Signed cm⁻¹ (imaginary negative).
    pub signed_cm1: Vec<f64>,
    /// The calculation, when it is a VASP run (not a `freq.dat`): the linter reads it.
    pub calc: Option<Calc>,
    pub warnings: Vec<String>,
}

/// A NEB run's directory and what its INCAR says.
#[derive(Debug, Clone)]
pub struct NebInfo {
    pub dir: PathBuf,
    /// `IMAGES` of the INCAR (intermediate images).
    pub images_incar: Option<usize>,
    /// `LCLIMB` of the INCAR.
    pub climbing: Option<bool>,
}

/// Everything a barrier is computed from.
#[derive(Debug, Clone)]
pub struct BarrierCalcs {
    pub neb: Option<NebInfo>,
    /// IS, TS, FS, or the images in order, with their labels.
    pub points: Vec<(String, Calc)>,
    pub freqs: Vec<FreqRun>,
    /// Frequency runs that were there but could not be used, said.
    pub warnings: Vec<String>,
}

/// The image directories of a NEB run (`00`, `01`, … numbered from 0 without gaps), or
/// `None` when `dir` has no numbered subdirectory.
pub fn neb_images(dir: &Path) -> Result<Option<Vec<PathBuf>>, Error> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut found: Vec<(usize, PathBuf)> = rd
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let ok =
                !name.is_empty() && name.len() <= 4 && name.bytes().all(|b| b.is_ascii_digit());
            ok.then(|| name.parse().ok().map(|n| (n, e.path())))?
        })
        .collect();
    if found.is_empty() {
        return Ok(None);
    }
    found.sort();
    if let Some((k, (n, _))) = found.iter().enumerate().find(|(k, (n, _))| k != n) {
        return Err(Error::input(format!(
            "{}: NEB images must be numbered 00, 01, … without gaps; image {k:02} is missing (found {n:02} next)",
            dir.display()
        )));
    }
    if found.len() < 3 {
        return Err(Error::input(format!(
            "{}: a NEB run needs its two end points and at least one image (00, 01, 02, …); found {}",
            dir.display(),
            found.len()
        )));
    }
    Ok(Some(found.into_iter().map(|(_, p)| p).collect()))
}

/// The frequency run of a structure at `path`: `freq` given, else `DIR/freq/` (a VASP run,
/// or a `freq.dat` in it), else `DIR/freq.dat`; `None` when there is none.
fn freq_of(label: &str, path: &Path, freq: Option<&Path>) -> Option<Result<FreqRun, Error>> {
    let dir = files::dir_of(path);
    let sub = dir.join("freq");
    let candidates: Vec<PathBuf> = match freq {
        Some(f) => vec![f.to_path_buf()],
        None => vec![sub.clone(), sub.join("freq.dat"), dir.join("freq.dat")],
    };
    let found = candidates.into_iter().find(|c| {
        if c.is_dir() {
            let f = super::CalcFiles::find(c);
            f.outcar.is_some() || f.vasprun.is_some()
        } else {
            c.is_file()
        }
    });
    let Some(f) = found else {
        return freq.map(|f| Err(files::not_found(f).into()));
    };
    let vtst = f.is_file()
        && f.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("freq"));
    Some(if vtst {
        vasp_parsers::vtst::read_freq_dat(&f)
            .map(|signed| FreqRun {
                label: label.into(),
                file: f.clone(),
                signed_cm1: signed,
                calc: None,
                warnings: Vec::new(),
            })
            .map_err(Error::from)
    } else {
        let c = read_one(&f, Role::Freq);
        c.frequencies().map(|fr| FreqRun {
            label: label.into(),
            file: fr.source,
            signed_cm1: fr.signed_cm1,
            calc: Some(c.clone()),
            warnings: fr.warnings,
        })
    })
}

/// Read the calculations of `paths`: three (IS, TS, FS) or one NEB directory. `ts_freq`
/// names the TS's frequency run (else it is looked for beside the TS).
pub fn read(paths: &[PathBuf], ts_freq: Option<&Path>) -> Result<BarrierCalcs, Error> {
    for p in paths {
        if !p.exists() {
            return Err(files::not_found(p).into());
        }
    }
    let (neb, labelled): (Option<NebInfo>, Vec<(String, PathBuf)>) = match paths {
        [is, ts, fs] => (
            None,
            vec![("IS".into(), is.clone()), ("TS".into(), ts.clone()), ("FS".into(), fs.clone())],
        ),
        [dir] => match neb_images(dir)? {
            Some(images) => (
                Some(neb_info(dir)),
                images
                    .into_iter()
                    .map(|p| (p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(), p))
                    .collect(),
            ),
            None => return Err(Error::input(format!(
                "{}: expected a NEB run (image directories 00, 01, … NN), found no numbered subdirectory; for a single transition state give three paths: IS TS FS",
                dir.display()
            ))),
        },
        _ => return Err(Error::input(format!(
            "expected three paths (IS TS FS) or one NEB directory, found {}",
            paths.len()
        ))),
    };
    let points: Vec<(String, Calc)> = labelled
        .iter()
        .map(|(l, p)| (l.clone(), read_one(p, Role::Energy)))
        .collect();
    let mut freqs = Vec::new();
    let mut warnings = Vec::new();
    if neb.is_none() {
        for (l, p) in &labelled {
            let named = if l == "TS" { ts_freq } else { None };
            match freq_of(l, p, named) {
                Some(Ok(f)) => freqs.push(f),
                Some(Err(e)) if named.is_some() => return Err(e),
                Some(Err(e)) => warnings.push(format!("{l}: its frequency run is not used: {e}")),
                None => {}
            }
        }
    } else if let Some(f) = ts_freq {
        match freq_of("TS", f, Some(f)) {
            Some(Ok(f)) => freqs.push(f),
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    Ok(BarrierCalcs {
        neb,
        points,
        freqs,
        warnings,
    })
}

/// What one structure's energy profile is computed from, as read (the science's
/// `barrier::ProfileImage`, built from it by the API).
#[derive(Debug, Clone, Default)]
pub struct ImageData {
    /// Cartesian positions of the final structure, Å.
    pub positions: Option<Vec<[f64; 3]>>,
    /// The OUTCAR's last forces, eV/Å, when they belong to the energy's step.
    pub forces: Option<Vec<[f64; 3]>>,
    /// VTST's true tangent force, eV/Å.
    pub vtst: Option<f64>,
}

/// What each structure's energy profile is computed from, with the cell (the first
/// structure file's; NEB cells are fixed, so one that differs is noted) and notes: the final
/// positions (CONTCAR, else POSCAR, else the OUTCAR's last `POSITION` block); the OUTCAR's
/// last forces when they belong to the step the energy is taken from; VTST's tangent force.
pub fn profile_images(
    calcs: &BarrierCalcs,
) -> (Vec<ImageData>, Option<[[f64; 3]; 3]>, Vec<String>) {
    let mut notes = Vec::new();
    let mut lattice: Option<(String, [[f64; 3]; 3])> = None;
    let mut images = Vec::new();
    for (label, c) in &calcs.points {
        let structure = c.structure().and_then(Result::ok);
        if let Some(s) = structure {
            match &lattice {
                None => lattice = Some((label.clone(), s.lattice)),
                Some((first, l)) => {
                    let off = (0..3)
                        .flat_map(|i| (0..3).map(move |j| (i, j)))
                        .map(|(i, j)| (l[i][j] - s.lattice[i][j]).abs())
                        .fold(0.0, f64::max);
                    if off > 1e-4 {
                        notes.push(format!("{label}: its cell differs from {first}'s (by up to {off:.4} Å); distances use {first}'s cell"));
                    }
                }
            }
        }
        let (forces, vtst) = match c.outcar().and_then(Result::ok) {
            Some(o) => (
                step_forces(label, c, o, &mut notes),
                o.neb_tangent.map(|t| t.real),
            ),
            None => (None, None),
        };
        let positions = structure
            .map(|s| s.positions_cartesian.clone())
            .or_else(|| forces.as_ref().map(|f| f.positions.clone()));
        images.push(ImageData {
            positions,
            forces: forces.map(|f| f.forces),
            vtst,
        });
    }
    (images, lattice.map(|(_, l)| l), notes)
}

/// The OUTCAR's last forces when they belong to the step its energy is taken from (the last
/// step; not a frequency run, whose energy is its first step), else `None` with a note.
fn step_forces(
    label: &str,
    c: &Calc,
    o: &vasp_parsers::Outcar,
    notes: &mut Vec<String>,
) -> Option<vasp_parsers::outcar::Forces> {
    let f = o.forces.as_ref()?;
    let step = o.structure_energy().map(|s| s.index);
    if step == Some(f.step) && !o.is_frequency_run() {
        return Some(f.clone());
    }
    let file = c.outcar_file.as_deref().unwrap_or(&c.path);
    notes.push(format!(
        "{label}: {}:{}: the last TOTAL-FORCE block belongs to ionic step {}, not to the step the energy is taken from ({}): its forces are not used",
        file.display(),
        f.line,
        f.step,
        step.map_or("none".to_string(), |s| s.to_string())
    ));
    None
}

fn neb_info(dir: &Path) -> NebInfo {
    let incar = super::CalcFiles::find(dir)
        .incar
        .and_then(|f| vasp_parsers::incar::read_incar(&f).ok());
    let get = |k: &str| incar.as_ref().and_then(|m| m.get(k).cloned());
    NebInfo {
        dir: dir.to_path_buf(),
        images_incar: get("IMAGES").and_then(|v| v.trim().parse().ok()),
        climbing: get("LCLIMB").and_then(|v| vasp_parsers::incar::flag(&v)),
    }
}
