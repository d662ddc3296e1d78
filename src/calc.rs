//! One calculation directory: which VASP files it holds, what they say, and whether they
//! agree with each other.
//!
//! A directory is a calculation when it holds at least one of OUTCAR, OSZICAR, CONTCAR,
//! POSCAR, DOSCAR or vasprun.xml (each optionally `.gz`). Later layers (thermochemistry,
//! pathways) take their energies, structures and frequencies from here, so every number
//! keeps its file.

use crate::records::{OszicarRecord, OutcarRecord, StructureRecord, SCHEMA_VERSION};
use serde::Serialize;
use std::path::{Path, PathBuf};
use vasp_parsers::detect::Format;
use vasp_parsers::{ParseError, Poscar};

/// The VASP files of a calculation directory (plain name preferred over `.gz`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CalcFiles {
    pub outcar: Option<PathBuf>,
    pub oszicar: Option<PathBuf>,
    pub contcar: Option<PathBuf>,
    pub poscar: Option<PathBuf>,
    pub doscar: Option<PathBuf>,
    pub vasprun: Option<PathBuf>,
    pub potcar: Option<PathBuf>,
}

impl CalcFiles {
    /// Look for the standard file names in `dir`.
    pub fn find(dir: &Path) -> CalcFiles {
        let pick = |base: &str| -> Option<PathBuf> {
            [base.to_string(), format!("{base}.gz")]
                .into_iter()
                .map(|n| dir.join(n))
                .find(|p| p.is_file())
        };
        CalcFiles {
            outcar: pick("OUTCAR"),
            oszicar: pick("OSZICAR"),
            contcar: pick("CONTCAR"),
            poscar: pick("POSCAR"),
            doscar: pick("DOSCAR"),
            vasprun: pick("vasprun.xml"),
            potcar: pick("POTCAR"),
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
}

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

/// Species for a VASP 4 structure file: from the OUTCAR beside it, else the POTCAR.
/// Returns the species and the file they came from.
pub fn species_beside(dir: &Path) -> Option<(Vec<String>, PathBuf)> {
    let files = CalcFiles::find(dir);
    if let Some(o) = &files.outcar {
        // The POTCAR titles are in the OUTCAR's header: nothing after it is read.
        if let Ok(h) = vasp_parsers::outcar::read_outcar_header(o) {
            if !h.species.is_empty() {
                return Some((h.species, o.clone()));
            }
        }
    }
    if let Some(p) = &files.potcar {
        if let Ok(t) = vasp_parsers::potcar::read_titles(p) {
            return Some((vasp_parsers::potcar::species_from_titles(&t), p.clone()));
        }
    }
    None
}

/// Read a POSCAR/CONTCAR; for a VASP 4 file, species come from `species_file` (an OUTCAR or
/// POTCAR) or, without one, from the OUTCAR/POTCAR beside it.
pub fn read_structure(
    path: &Path,
    species_file: Option<&Path>,
) -> Result<(Poscar, Option<PathBuf>), ParseError> {
    let supplied: Option<(Vec<String>, PathBuf)> = match species_file {
        Some(f) => {
            // An OUTCAR's header holds the POTCAR titles: nothing after it is read.
            let species = if vasp_parsers::detect::detect(f)? == Some(Format::Outcar) {
                vasp_parsers::outcar::read_outcar_header(f)?.species
            } else {
                vasp_parsers::potcar::species_from_titles(&vasp_parsers::potcar::read_titles(f)?)
            };
            Some((species, f.to_path_buf()))
        }
        None => None,
    };
    match vasp_parsers::read_poscar(path, supplied.as_ref().map(|(s, _)| s.as_slice())) {
        Ok(p) => {
            let from = match p.species_source {
                vasp_parsers::poscar::SpeciesSource::Supplied => supplied.map(|(_, f)| f),
                _ => None,
            };
            Ok((p, from))
        }
        Err(e) if supplied.is_none() && e.expected.contains("species line") => {
            let dir = path.parent().unwrap_or(Path::new("."));
            match species_beside(dir) {
                Some((sp, from)) => {
                    let p = vasp_parsers::read_poscar(path, Some(&sp))?;
                    Ok((p, Some(from)))
                }
                None => Err(e),
            }
        }
        Err(e) => Err(e),
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

/// The files a DOS analysis reads: the DOS itself, a structure for element names and
/// neighbourhoods, and the OUTCAR or INCAR that tells the DOSCAR's layout.
#[derive(Debug, Clone)]
pub struct DosInputs {
    pub dos_file: PathBuf,
    pub format: Format,
    pub structure_file: Option<PathBuf>,
    pub hint: vasp_parsers::doscar::LayoutHint,
    pub hint_from: Option<PathBuf>,
}

/// Find the DOS file (DOSCAR preferred, else vasprun.xml), structure and layout hint for a
/// path that is a DOS file or a calculation directory.
pub fn dos_inputs(path: &Path, structure: Option<&Path>) -> Result<DosInputs, crate::error::Error> {
    let (dir, dos_file, format) = if path.is_dir() {
        let f = CalcFiles::find(path);
        match (f.doscar, f.vasprun) {
            (Some(d), _) => (path.to_path_buf(), d, Format::Doscar),
            (None, Some(v)) => (path.to_path_buf(), v, Format::Vasprun),
            (None, None) => {
                return Err(crate::error::Error::Input(format!(
                    "{}: expected a DOSCAR or vasprun.xml (optionally .gz) in this directory, found neither; run VASP with LORBIT = 11 (or 10) and name the DOS file directly if it has another name",
                    path.display()
                )))
            }
        }
    } else {
        if !path.exists() {
            return Err(ParseError::io(
                path,
                &std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            )
            .into());
        }
        let format = match vasp_parsers::detect::detect(path)? {
            Some(f @ (Format::Doscar | Format::Vasprun)) => f,
            Some(other) => {
                return Err(crate::error::Error::Input(format!(
                    "{}: expected a DOSCAR or vasprun.xml, found an {} by its name or first lines",
                    path.display(),
                    other.name()
                )))
            }
            None => Format::Doscar,
        };
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        (dir, path.to_path_buf(), format)
    };
    let files = CalcFiles::find(&dir);
    let structure_file = structure
        .map(Path::to_path_buf)
        .or(files.contcar)
        .or(files.poscar);
    let mut hint = vasp_parsers::doscar::LayoutHint::default();
    let mut hint_from = None;
    if let Some(o) = &files.outcar {
        if let Ok(out) = vasp_parsers::outcar::read_outcar_header(o) {
            hint.ispin = out.param_i64("ISPIN").and_then(|v| u8::try_from(v).ok());
            hint.lorbit = out.param_i64("LORBIT");
            hint.noncollinear = out
                .param("LNONCOLLINEAR")
                .and_then(vasp_parsers::incar::flag);
            hint_from = Some(o.clone());
        }
    }
    if hint_from.is_none() {
        let incar = dir.join("INCAR");
        if let Ok(tags) = vasp_parsers::incar::read_incar(&incar) {
            hint.ispin = tags.get("ISPIN").and_then(|v| v.parse().ok());
            hint.lorbit = tags.get("LORBIT").and_then(|v| v.parse().ok());
            hint.noncollinear = tags
                .get("LNONCOLLINEAR")
                .and_then(|v| vasp_parsers::incar::flag(v))
                .or_else(|| {
                    tags.get("LSORBIT")
                        .and_then(|v| vasp_parsers::incar::flag(v))
                        .filter(|b| *b)
                });
            hint_from = Some(incar);
        }
    }
    Ok(DosInputs {
        dos_file,
        format,
        structure_file,
        hint,
        hint_from,
    })
}

/// What `chepath dband` is asked.
#[derive(Debug, Clone)]
pub struct DbandRequest {
    pub path: PathBuf,
    pub structure: Option<PathBuf>,
    /// Selection expression; `None`: every d-block atom of the structure.
    pub atoms: Option<String>,
    pub cutoff: f64,
    pub settings: crate::dband::Settings,
    /// Overrides the layout hint for the one ambiguous DOSCAR layout.
    pub noncollinear: Option<bool>,
}

/// A DOS read with the elements of its atoms, and the structure if there is one.
pub struct LoadedDos {
    pub dos: vasp_parsers::doscar::Doscar,
    pub elements: Option<Vec<String>>,
    pub structure: Option<Poscar>,
    pub inputs: DosInputs,
}

/// Read structure, resolve the selection, read only the selected atoms' projections.
pub fn load_dos(
    req: &DbandRequest,
) -> Result<(LoadedDos, crate::select::Selection), crate::error::Error> {
    use crate::error::Error;
    use vasp_parsers::doscar::{read_doscar, AtomFilter};
    let mut inputs = dos_inputs(&req.path, req.structure.as_deref())?;
    if req.noncollinear.is_some() {
        inputs.hint.noncollinear = req.noncollinear;
    }
    let structure = match &inputs.structure_file {
        Some(p) => Some(read_structure(p, None)?.0),
        None => None,
    };
    // vasprun.xml carries its own structure: used for neighbourhoods when no file is given.
    let mut xml_structure: Option<vasp_parsers::vasprun::XmlStructure> = None;
    let (dos_full, mut elements): (Option<vasp_parsers::doscar::Doscar>, Option<Vec<String>>) =
        match inputs.format {
            Format::Vasprun => {
                let v = vasp_parsers::vasprun::read_vasprun(
                    &inputs.dos_file,
                    &vasp_parsers::vasprun::Options { dos: true },
                )?;
                let dos = v.dos.ok_or_else(|| {
                    Error::Input(format!(
                        "{}: this vasprun.xml has no <dos> block",
                        inputs.dos_file.display()
                    ))
                })?;
                xml_structure = v.final_structure.clone().or(v.initial_structure.clone());
                (Some(dos), Some(v.atoms))
            }
            _ => (None, None),
        };
    if elements.is_none() {
        elements = structure
            .as_ref()
            .map(|s| s.elements().iter().map(|e| e.to_string()).collect());
    }
    let natoms_structure = structure.as_ref().map(|s| s.natoms);
    let sel_atoms = structure.as_ref().map(|s| crate::select::Atoms {
        elements: s.elements(),
        lattice: s.lattice,
        positions: &s.positions_cartesian,
    });
    // Without a structure, the atom count comes from the DOS file itself.
    let dos_nions = match &dos_full {
        Some(d) => d.nions,
        None if natoms_structure.is_none() => vasp_parsers::doscar::read_nions(&inputs.dos_file)?,
        None => natoms_structure.unwrap_or(0),
    };
    let natoms = natoms_structure.unwrap_or(dos_nions);
    let expr = match &req.atoms {
        Some(e) => e.clone(),
        None => {
            let Some(el) = &elements else {
                return Err(Error::Input(format!(
                    "{}: no structure beside the DOS file to tell which atoms are transition metals; pass --atoms (e.g. 1,5-8) or --structure CONTCAR",
                    inputs.dos_file.display()
                )));
            };
            let mut d: Vec<&str> = el
                .iter()
                .map(|s| s.as_str())
                .filter(|e| crate::dband::D_BLOCK.contains(e))
                .collect();
            d.dedup();
            if d.is_empty() {
                return Err(Error::Input(format!(
                    "{}: the structure has no transition-metal atoms ({}); pass --atoms to choose some",
                    inputs.dos_file.display(),
                    el.join(" ")
                )));
            }
            d.join(",")
        }
    };
    let selection = match (&sel_atoms, &elements) {
        (Some(a), _) => crate::select::select(&expr, Some(a), natoms, req.cutoff)?,
        (None, Some(el)) => {
            let (lattice, positions) = match &xml_structure {
                Some(x) if x.positions_direct.len() == el.len() => {
                    (x.lattice, x.positions_cartesian())
                }
                _ => {
                    if expr.contains('@') {
                        return Err(Error::Input(format!(
                            "selection '{expr}' needs atomic positions: pass --structure CONTCAR"
                        )));
                    }
                    (
                        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
                        vec![[0.0; 3]; el.len()],
                    )
                }
            };
            let a = crate::select::Atoms {
                elements: el.iter().map(|s| s.as_str()).collect(),
                lattice,
                positions: &positions,
            };
            crate::select::select(&expr, Some(&a), natoms, req.cutoff)?
        }
        (None, None) => crate::select::select(&expr, None, natoms, req.cutoff)?,
    };
    let dos = match dos_full {
        Some(d) => d,
        None => read_doscar(
            &inputs.dos_file,
            inputs.hint,
            &AtomFilter::Only(selection.indices.clone()),
        )?,
    };
    if let Some(n) = natoms_structure {
        if n != dos.nions {
            return Err(Error::Input(format!(
                "{} has {} atoms but {} has {}: they belong to different calculations; pass the structure of the DOS run with --structure",
                inputs.structure_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
                n,
                inputs.dos_file.display(),
                dos.nions
            )));
        }
    }
    Ok((
        LoadedDos {
            dos,
            elements,
            structure,
            inputs,
        },
        selection,
    ))
}

/// `chepath dband`: descriptors for the selection under the request's settings.
pub fn dband(req: &DbandRequest) -> Result<(crate::dband::Report, LoadedDos), crate::error::Error> {
    let (loaded, selection) = load_dos(req)?;
    let source = crate::dband::Source {
        dos_file: loaded.inputs.dos_file.display().to_string(),
        structure_file: loaded
            .inputs
            .structure_file
            .as_ref()
            .map(|p| p.display().to_string()),
        layout: loaded
            .dos
            .layout
            .as_ref()
            .map(|l| l.description.clone())
            .unwrap_or_else(|| "no projections".into()),
        layout_hint_from: loaded
            .inputs
            .hint_from
            .as_ref()
            .map(|p| p.display().to_string()),
        system: loaded.dos.system.clone(),
        spin_down: match loaded.inputs.format {
            Format::Vasprun => {
                "as written (vasprun.xml; a column stored negated is turned positive)"
            }
            _ => "magnitudes (DOSCAR: |value|, as VASPKIT-style readers)",
        },
    };
    let report = crate::dband::analyze(
        &loaded.dos,
        loaded.elements.as_deref(),
        selection,
        req.settings.clone(),
        source,
    )?;
    Ok((report, loaded))
}

/// Vibrational frequencies of a calculation, signed (negative = imaginary), cm⁻¹, with the
/// file they came from and the structure beside it (for the ideal-gas model).
pub struct Frequencies {
    pub signed_cm1: Vec<f64>,
    pub source: PathBuf,
    pub structure: Option<(Vec<String>, Vec<[f64; 3]>)>,
    pub warnings: Vec<String>,
}

/// Frequencies from a frequency OUTCAR or vasprun.xml, or a directory holding one.
pub fn frequencies(path: &Path) -> Result<Frequencies, crate::error::Error> {
    use crate::error::Error;
    let (file, dir) = if path.is_dir() {
        let f = CalcFiles::find(path);
        let file = f.outcar.or(f.vasprun).ok_or_else(|| {
            Error::Input(format!(
                "{}: expected an OUTCAR or vasprun.xml of a frequency run (IBRION=5-8) in this directory, found neither",
                path.display()
            ))
        })?;
        (file, path.to_path_buf())
    } else {
        if !path.exists() {
            return Err(ParseError::io(
                path,
                &std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            )
            .into());
        }
        (
            path.to_path_buf(),
            path.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
        )
    };
    let mut warnings = Vec::new();
    let signed: Vec<f64> = match vasp_parsers::detect::detect(&file)? {
        Some(Format::Vasprun) => {
            let v = vasp_parsers::vasprun::read_vasprun(
                &file,
                &vasp_parsers::vasprun::Options::default(),
            )?;
            v.normal_mode_frequencies_cm1()
        }
        _ => {
            let o = vasp_parsers::read_outcar(&file)?;
            if !o.is_frequency_run() {
                warnings.push(format!(
                    "{}: IBRION={} is not a frequency run",
                    file.display(),
                    o.ibrion().unwrap_or_default()
                ));
            }
            if !o.complete {
                warnings.push(format!(
                    "{}: the run is incomplete; the modes may be missing",
                    file.display()
                ));
            }
            o.modes
                .iter()
                .map(|m| if m.imaginary { -m.freq_cm1 } else { m.freq_cm1 })
                .collect()
        }
    };
    if signed.is_empty() {
        return Err(Error::Input(format!(
            "{}: no normal modes (no dynamical-matrix block): expected a finished frequency run (IBRION=5-8)",
            file.display()
        )));
    }
    let files = CalcFiles::find(&dir);
    let structure = files
        .contcar
        .or(files.poscar)
        .and_then(|p| read_structure(&p, None).ok())
        .map(|(s, _)| {
            (
                s.elements().iter().map(|e| e.to_string()).collect(),
                s.positions_cartesian.clone(),
            )
        });
    Ok(Frequencies {
        signed_cm1: signed,
        source: file,
        structure,
        warnings,
    })
}

/// A network file, or a calculation tree in directory mode, with the directory its paths
/// are relative to.
pub fn load_network(
    path: &Path,
    template: Option<&str>,
) -> Result<(crate::network::NetworkFile, PathBuf), crate::error::Error> {
    use crate::error::Error;
    if path.is_dir() {
        let file = crate::network::tree::from_tree(path, template)?;
        return Ok((file, path.to_path_buf()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::Parse(ParseError::io(path, &e)))?;
    let mut file =
        crate::network::parse(&text, &path.display().to_string()).map_err(Error::Input)?;
    if let Some(t) = template {
        file.network.template = Some(t.to_string());
    }
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((file, base))
}

/// Run a network file, or a calculation tree in directory mode: `chepath pathway`.
pub fn pathway(
    path: &Path,
    u: Option<f64>,
    ph: Option<f64>,
    template: Option<&str>,
) -> Result<crate::che::Report, crate::error::Error> {
    let (file, base) = load_network(path, template)?;
    crate::che::run(&file, &base, u, ph)
}
