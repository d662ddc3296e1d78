//! One calculation directory as `chepath parse DIR` reports it: which VASP files it holds,
//! what they say, and whether they agree with each other.
//!
//! A directory is a calculation when it holds at least one of OUTCAR, OSZICAR, CONTCAR,
//! POSCAR, DOSCAR or vasprun.xml (each optionally `.gz`).

use super::files::CalcFiles;
use super::structure::read_structure;
use crate::records::{OszicarRecord, OutcarRecord, StructureRecord, SCHEMA_VERSION};
use serde::Serialize;
use std::path::Path;
use vasp_parsers::detect::Format;
use vasp_parsers::ParseError;

/// Why a directory could not be summarised.
#[derive(Debug, thiserror::Error)]
pub enum CalcError {
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("{dir}: expected a VASP calculation directory (OUTCAR, OSZICAR, CONTCAR, POSCAR, DOSCAR or vasprun.xml, optionally .gz), found {found}; {hint}")]
    NotACalculation {
        dir: String,
        found: String,
        hint: String,
    },
}

impl From<CalcError> for crate::error::Error {
    fn from(e: CalcError) -> Self {
        match e {
            CalcError::Parse(p) => crate::error::Error::Parse(p),
            other => crate::error::Error::Input(other.to_string()),
        }
    }
}

/// A consistency check between two files of the same calculation.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

/// `chepath parse DIR --json`: one record per calculation directory.
#[derive(Debug, Clone, Serialize)]
pub struct CalcRecord {
    pub schema_version: &'static str,
    pub kind: &'static str,
    pub path: String,
    pub files: CalcFiles,
    pub outcar: Option<OutcarRecord>,
    pub oszicar: Option<OszicarRecord>,
    /// CONTCAR if present (the final structure), else POSCAR.
    pub structure: Option<StructureRecord>,
    /// Files present but not read by this version (DOSCAR, vasprun.xml).
    pub not_read: Vec<String>,
    /// Files that could not be read, with the error.
    pub errors: Vec<String>,
    pub checks: Vec<Check>,
    /// Everything worth knowing, from all files.
    pub warnings: Vec<String>,
}

impl CalcRecord {
    /// True when the OUTCAR says the run finished and nothing failed to read.
    pub fn complete(&self) -> bool {
        self.errors.is_empty() && self.outcar.as_ref().map(|o| o.complete).unwrap_or(true)
    }
}

/// Summarise the calculation in `dir`.
pub fn summarize(dir: &Path) -> Result<CalcRecord, CalcError> {
    let files = CalcFiles::find(dir);
    if !files.is_calculation() {
        return Err(not_a_calculation(dir));
    }
    let mut rec = CalcRecord {
        schema_version: SCHEMA_VERSION,
        kind: "calculation",
        path: dir.display().to_string(),
        files: files.clone(),
        outcar: None,
        oszicar: None,
        structure: None,
        not_read: Vec::new(),
        errors: Vec::new(),
        checks: Vec::new(),
        warnings: Vec::new(),
    };
    if let Some(p) = &files.outcar {
        match vasp_parsers::read_outcar(p) {
            Ok(o) => rec.outcar = Some(OutcarRecord::new(&p.display().to_string(), &o)),
            Err(e) => rec.errors.push(e.to_string()),
        }
    }
    if let Some(p) = &files.oszicar {
        match vasp_parsers::read_oszicar(p) {
            Ok(o) => rec.oszicar = Some(OszicarRecord::new(&p.display().to_string(), &o)),
            Err(e) => rec.errors.push(e.to_string()),
        }
    }
    if let Some(p) = files.contcar.as_ref().or(files.poscar.as_ref()) {
        match read_structure(p, None) {
            Ok((s, from)) => {
                rec.structure = Some(StructureRecord::new(
                    &p.display().to_string(),
                    &s,
                    from.map(|f| f.display().to_string()),
                ))
            }
            Err(e) => rec.errors.push(e.to_string()),
        }
    }
    for (p, f) in [
        (&files.doscar, Format::Doscar),
        (&files.vasprun, Format::Vasprun),
    ] {
        if let Some(p) = p {
            rec.not_read.push(format!(
                "{} ({}: read by `chepath dband`)",
                p.display(),
                f.name()
            ));
        }
    }
    cross_checks(&mut rec);
    for w in rec
        .outcar
        .iter()
        .flat_map(|o| o.warnings.iter())
        .chain(rec.oszicar.iter().flat_map(|o| o.warnings.iter()))
        .chain(rec.structure.iter().flat_map(|s| s.warnings.iter()))
    {
        rec.warnings.push(w.clone());
    }
    let failed: Vec<String> = rec
        .checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| format!("{}: {}: {}", rec.path, c.name, c.detail))
        .collect();
    rec.warnings.extend(failed);
    Ok(rec)
}

fn not_a_calculation(dir: &Path) -> CalcError {
    let mut entries: Vec<String> = Vec::new();
    let mut subcalcs: Vec<String> = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let p = e.path();
            if p.is_dir() {
                if CalcFiles::find(&p).is_calculation() {
                    subcalcs.push(name.clone());
                }
                entries.push(format!("{name}/"));
            } else {
                entries.push(name);
            }
        }
    }
    entries.sort();
    subcalcs.sort();
    let found = if entries.is_empty() {
        "an empty directory".to_string()
    } else {
        let shown: Vec<&str> = entries.iter().take(8).map(|s| s.as_str()).collect();
        format!(
            "{}{}",
            shown.join(", "),
            if entries.len() > 8 { ", …" } else { "" }
        )
    };
    let hint = if subcalcs.is_empty() {
        "name a directory that holds VASP output, or a file directly".to_string()
    } else {
        format!(
            "its subdirectories {} are calculations: name one of them",
            subcalcs.join(", ")
        )
    };
    CalcError::NotACalculation {
        dir: dir.display().to_string(),
        found,
        hint,
    }
}

/// OUTCAR against OSZICAR (same steps, same last energies) and against the structure
/// (same atom count and species).
fn cross_checks(rec: &mut CalcRecord) {
    if let (Some(o), Some(z)) = (&rec.outcar, &rec.oszicar) {
        rec.checks.push(Check {
            name: "OUTCAR and OSZICAR have the same number of ionic steps".into(),
            ok: o.ionic_steps == z.ionic_steps,
            detail: format!("OUTCAR {}, OSZICAR {}", o.ionic_steps, z.ionic_steps),
        });
        if let (Some(a), Some(b)) = (&o.last_energy, &z.last_energy) {
            // OSZICAR prints 8 significant digits: allow half a unit in the last place.
            let tol = 0.5 * 10f64.powi(b.e0.abs().max(1.0).log10().floor() as i32 + 1 - 8) + 1e-9;
            let ok = (a.sigma0 - b.e0).abs() <= tol && (a.toten - b.f).abs() <= tol;
            rec.checks.push(Check {
                name: "OUTCAR and OSZICAR agree on the last F and E0".into(),
                ok,
                detail: format!(
                    "OUTCAR F {:.8} E0 {:.8}; OSZICAR F {:.8} E0 {:.8}",
                    a.toten, a.sigma0, b.f, b.e0
                ),
            });
        }
    }
    if let (Some(o), Some(s)) = (&rec.outcar, &rec.structure) {
        if let Some(n) = o.nions {
            rec.checks.push(Check {
                name: "OUTCAR and structure file have the same number of atoms".into(),
                ok: n == s.natoms,
                detail: format!("OUTCAR NIONS {n}, {} has {}", s.file, s.natoms),
            });
        }
        if !o.species.is_empty() && s.species_from.is_none() {
            rec.checks.push(Check {
                name: "OUTCAR POTCARs and structure file list the same species".into(),
                ok: o.species == s.species,
                detail: format!("OUTCAR {:?}, structure {:?}", o.species, s.species),
            });
        }
    }
}
