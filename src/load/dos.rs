//! The inputs of a DOS analysis, read: the DOS file (DOSCAR preferred, else vasprun.xml),
//! the structure for element names and neighbourhoods, the layout hint (from the OUTCAR or
//! INCAR beside it), and the atom selection, so that only the selected atoms' projections
//! of a DOSCAR are kept ([`load_dos`]), or none: each block handed to a visitor as it is
//! read ([`plan_dos`], [`DoscarPlan::stream`]), for descriptors computed atom by atom.

use super::dataset::Calc;
use super::files::{self, CalcFiles};
use crate::error::Error;
use crate::select::{self, Selection};
use std::path::{Path, PathBuf};
use vasp_parsers::detect::Format;
use vasp_parsers::doscar::{read_doscar, AtomDos, AtomFilter, Doscar, LayoutHint};
use vasp_parsers::Poscar;

/// The files a DOS analysis reads.
#[derive(Debug, Clone)]
pub struct DosInputs {
    pub dos_file: PathBuf,
    pub format: Format,
    pub structure_file: Option<PathBuf>,
    pub hint: LayoutHint,
    pub hint_from: Option<PathBuf>,
}

/// What `chepath dband` is asked.
#[derive(Debug, Clone)]
pub struct DbandRequest {
    pub path: PathBuf,
    pub structure: Option<PathBuf>,
    /// Selection expression; `None`: every d-block atom of the structure.
    pub atoms: Option<String>,
    pub cutoff: f64,
    /// Overrides the layout hint for the one ambiguous DOSCAR layout.
    pub noncollinear: Option<bool>,
}

/// A DOS read with the elements of its atoms and the selection it was read for.
#[derive(Debug, Clone)]
pub struct LoadedDos {
    pub dos: Doscar,
    pub elements: Option<Vec<String>>,
    pub inputs: DosInputs,
    pub selection: Selection,
}

/// The DOS file of a path that is a DOS file or a calculation directory, and its format.
fn dos_file(path: &Path) -> Result<(PathBuf, Format), Error> {
    if path.is_dir() {
        let f = CalcFiles::find(path);
        return match (f.doscar, f.vasprun) {
            (Some(d), _) => Ok((d, Format::Doscar)),
            (None, Some(v)) => Ok((v, Format::Vasprun)),
            (None, None) => Err(Error::input(format!(
                "{}: expected a DOSCAR or vasprun.xml (optionally .gz) in this directory, found neither; run VASP with LORBIT = 11 (or 10) and name the DOS file directly if it has another name",
                path.display()
            ))),
        };
    }
    if !path.exists() {
        return Err(files::not_found(path).into());
    }
    let format = match vasp_parsers::detect::detect(path)? {
        Some(f @ (Format::Doscar | Format::Vasprun)) => f,
        Some(other) => {
            return Err(Error::input(format!(
                "{}: expected a DOSCAR or vasprun.xml, found an {} by its name or first lines",
                path.display(),
                other.name()
            )))
        }
        None => Format::Doscar,
    };
    Ok((path.to_path_buf(), format))
}

/// The layout hint an OUTCAR's parameters give (ISPIN, LORBIT, LNONCOLLINEAR).
fn hint_of_outcar(out: &vasp_parsers::Outcar) -> LayoutHint {
    LayoutHint {
        ispin: out.param_i64("ISPIN").and_then(|v| u8::try_from(v).ok()),
        lorbit: out.param_i64("LORBIT"),
        noncollinear: out
            .param("LNONCOLLINEAR")
            .and_then(vasp_parsers::incar::flag),
    }
}

/// The layout hint of an INCAR file (LSORBIT implies non-collinear).
fn hint_of_incar(incar: &Path) -> Option<LayoutHint> {
    let tags = vasp_parsers::incar::read_incar(incar).ok()?;
    Some(hint_of_tags(&tags))
}

/// The layout hint of INCAR tags.
fn hint_of_tags(tags: &std::collections::BTreeMap<String, String>) -> LayoutHint {
    let flag = |k: &str| tags.get(k).and_then(|v| vasp_parsers::incar::flag(v));
    LayoutHint {
        ispin: tags.get("ISPIN").and_then(|v| v.parse().ok()),
        lorbit: tags.get("LORBIT").and_then(|v| v.parse().ok()),
        noncollinear: flag("LNONCOLLINEAR").or_else(|| flag("LSORBIT").filter(|b| *b)),
    }
}

/// Find the DOS file, structure and layout hint of `path` (a DOS file or a directory),
/// reading only the header of an OUTCAR beside it.
pub fn dos_inputs(path: &Path, structure: Option<&Path>) -> Result<DosInputs, Error> {
    let (dos_file, format) = dos_file(path)?;
    let dir = files::dir_of(&dos_file);
    let files = CalcFiles::find(&dir);
    let structure_file = structure
        .map(Path::to_path_buf)
        .or(files.structure().cloned());
    let from_outcar = files.outcar.as_ref().and_then(|o| {
        let h = vasp_parsers::outcar::read_outcar_header(o).ok()?;
        Some((hint_of_outcar(&h), o.clone()))
    });
    let (hint, hint_from) = match from_outcar {
        Some((h, f)) => (h, Some(f)),
        None => {
            let incar = dir.join("INCAR");
            match hint_of_incar(&incar) {
                Some(h) => (h, Some(incar)),
                None => (LayoutHint::default(), None),
            }
        }
    };
    Ok(DosInputs {
        dos_file,
        format,
        structure_file,
        hint,
        hint_from,
    })
}

/// The inputs of a request (the layout hint overridden as asked) and its structure.
fn request_inputs(req: &DbandRequest) -> Result<(DosInputs, Option<Poscar>), Error> {
    let mut inputs = dos_inputs(&req.path, req.structure.as_deref())?;
    if req.noncollinear.is_some() {
        inputs.hint.noncollinear = req.noncollinear;
    }
    let structure = match &inputs.structure_file {
        Some(p) => Some(super::structure::read_structure(p, None)?.0),
        None => None,
    };
    Ok((inputs, structure))
}

/// `chepath dband --plot`, Python's `chepath.dband` and `chepath.dos`: read the structure,
/// resolve the selection, read the selected atoms' projections into memory.
pub fn load_dos(req: &DbandRequest) -> Result<LoadedDos, Error> {
    let (inputs, structure) = request_inputs(req)?;
    read_selected(inputs, structure.as_ref(), req.atoms.as_deref(), req.cutoff)
}

/// A DOS request resolved before any projection is read: a vasprun.xml (read whole: its DOS
/// is in memory) or a DOSCAR to stream ([`DoscarPlan::stream`]).
#[derive(Debug)]
pub enum DosPlan {
    Loaded(Box<LoadedDos>),
    Doscar(DoscarPlan),
}

/// A DOSCAR with its structure, elements and selection resolved, its projections not read.
#[derive(Debug, Clone)]
pub struct DoscarPlan {
    pub inputs: DosInputs,
    pub elements: Option<Vec<String>>,
    pub selection: Selection,
    natoms_structure: Option<usize>,
}

/// `chepath dband`: read the structure, resolve the selection; a vasprun.xml is read whole, a
/// DOSCAR is left to [`DoscarPlan::stream`].
pub fn plan_dos(req: &DbandRequest) -> Result<DosPlan, Error> {
    let (inputs, structure) = request_inputs(req)?;
    if inputs.format == Format::Vasprun {
        let loaded = read_selected(inputs, structure.as_ref(), req.atoms.as_deref(), req.cutoff)?;
        return Ok(DosPlan::Loaded(Box::new(loaded)));
    }
    let r = resolve(
        &inputs,
        structure.as_ref(),
        req.atoms.as_deref(),
        req.cutoff,
        None,
    )?;
    Ok(DosPlan::Doscar(DoscarPlan {
        inputs,
        elements: r.elements,
        selection: r.selection,
        natoms_structure: r.natoms_structure,
    }))
}

impl DoscarPlan {
    /// Read the DOSCAR, handing the projected block of every selected atom to `visit` as it
    /// is read (`vasp_parsers::doscar::stream_doscar`: one block in memory at a time; the
    /// d-band descriptors' `dband::AtomStream` is such a visitor). Returns the DOSCAR without
    /// projections, after the checks of [`load_dos`] (the structure's atom count).
    pub fn stream(&self, visit: &mut dyn FnMut(&Doscar, &AtomDos)) -> Result<Doscar, Error> {
        let dos = vasp_parsers::doscar::stream_doscar(
            &self.inputs.dos_file,
            self.inputs.hint,
            &AtomFilter::Only(self.selection.indices.clone()),
            visit,
        )?;
        check_natoms(&self.inputs, self.natoms_structure, dos.nions)?;
        Ok(dos)
    }
}

/// The DOS of a calculation already read: the DOS file sits in the calculation's directory,
/// so its OUTCAR (for the layout) and structure are not read again.
pub fn load_for_calc(calc: &Calc, atoms: Option<&str>) -> Result<LoadedDos, Error> {
    let (dos_file, format) = dos_file(&calc.path)?;
    let (hint, hint_from) = match (calc.outcar().and_then(Result::ok), calc.incar_record()) {
        (Some(o), _) => (hint_of_outcar(o), calc.outcar_file.clone()),
        (None, Some(Ok(tags))) => (hint_of_tags(tags), calc.incar_file().cloned()),
        (None, _) => {
            let incar = calc.dir.join("INCAR");
            match hint_of_incar(&incar) {
                Some(h) => (h, Some(incar)),
                None => (LayoutHint::default(), None),
            }
        }
    };
    let structure = calc.structure().transpose()?;
    let inputs = DosInputs {
        dos_file,
        format,
        structure_file: calc.structure_file.clone(),
        hint,
        hint_from,
    };
    // A vasprun.xml the loader already read with its DOS is not read again.
    let xml = calc
        .vasprun_record()
        .and_then(Result::ok)
        .filter(|v| v.dos.is_some() && format == Format::Vasprun)
        .cloned();
    read_selected_with(inputs, structure, atoms, select::DEFAULT_CUTOFF, xml)
}

/// The default selection: every d-block element of the structure.
fn default_selection(elements: Option<&[String]>, dos_file: &Path) -> Result<String, Error> {
    let Some(el) = elements else {
        return Err(Error::input(format!(
            "{}: no structure beside the DOS file to tell which atoms are transition metals; pass --atoms (e.g. 1,5-8) or --structure CONTCAR",
            dos_file.display()
        )));
    };
    let mut d: Vec<&str> = el
        .iter()
        .map(|s| s.as_str())
        .filter(|e| select::D_BLOCK.contains(e))
        .collect();
    d.dedup();
    if d.is_empty() {
        return Err(Error::input(format!(
            "{}: the structure has no transition-metal atoms ({}); pass --atoms to choose some",
            dos_file.display(),
            el.join(" ")
        )));
    }
    Ok(d.join(","))
}

/// The selection `expr` on the structure file's atoms, else on the vasprun.xml's own
/// structure (positions needed only for neighbourhood terms such as `Cu@N4`), else by index.
fn resolve_selection(
    expr: &str,
    structure: Option<&Poscar>,
    elements: Option<&[String]>,
    xml_structure: Option<&vasp_parsers::vasprun::XmlStructure>,
    natoms: usize,
    cutoff: f64,
) -> Result<Selection, Error> {
    if let Some(s) = structure {
        let a = select::Atoms {
            elements: s.elements(),
            lattice: s.lattice,
            positions: &s.positions_cartesian,
        };
        return Ok(select::select(expr, Some(&a), natoms, cutoff)?);
    }
    let Some(el) = elements else {
        return Ok(select::select(expr, None, natoms, cutoff)?);
    };
    let (lattice, positions) = match xml_structure {
        Some(x) if x.positions_direct.len() == el.len() => (x.lattice, x.positions_cartesian()),
        _ => {
            if expr.contains('@') {
                return Err(Error::input(format!(
                    "selection '{expr}' needs atomic positions: pass --structure CONTCAR"
                )));
            }
            (
                [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
                vec![[0.0; 3]; el.len()],
            )
        }
    };
    let a = select::Atoms {
        elements: el.iter().map(|s| s.as_str()).collect(),
        lattice,
        positions: &positions,
    };
    Ok(select::select(expr, Some(&a), natoms, cutoff)?)
}

/// Resolve the selection on the structure (or the vasprun.xml's own structure) and read the
/// DOS, keeping only the selected atoms of a DOSCAR.
fn read_selected(
    inputs: DosInputs,
    structure: Option<&Poscar>,
    atoms: Option<&str>,
    cutoff: f64,
) -> Result<LoadedDos, Error> {
    read_selected_with(inputs, structure, atoms, cutoff, None)
}

/// What a DOS analysis knows before the DOS file is read: a vasprun.xml's DOS (read whole),
/// the elements, the structure's atom count and the selection.
struct Resolved {
    xml_dos: Option<Doscar>,
    elements: Option<Vec<String>>,
    natoms_structure: Option<usize>,
    selection: Selection,
}

/// Read a vasprun.xml (unless `read` has it), take the elements from it or the structure, and
/// resolve the selection on the atoms (counted from the structure, the vasprun.xml or the
/// DOSCAR's first line).
fn resolve(
    inputs: &DosInputs,
    structure: Option<&Poscar>,
    atoms: Option<&str>,
    cutoff: f64,
    read: Option<vasp_parsers::vasprun::Vasprun>,
) -> Result<Resolved, Error> {
    // vasprun.xml carries its DOS and structure in one file: read it whole, once.
    let xml = match inputs.format {
        Format::Vasprun => {
            let v = match read {
                Some(v) => v,
                None => vasp_parsers::vasprun::read_vasprun(
                    &inputs.dos_file,
                    &vasp_parsers::vasprun::Options { dos: true },
                )?,
            };
            let Some(dos) = v.dos else {
                return Err(Error::input(format!(
                    "{}: this vasprun.xml has no <dos> block",
                    inputs.dos_file.display()
                )));
            };
            let s = v.final_structure.or(v.initial_structure);
            Some((dos, v.atoms, s))
        }
        _ => None,
    };
    let elements: Option<Vec<String>> = match &xml {
        Some((_, atoms, _)) => Some(atoms.clone()),
        None => structure.map(|s| s.elements().iter().map(|e| e.to_string()).collect()),
    };
    let natoms_structure = structure.map(|s| s.natoms);
    // Without a structure, the atom count comes from the DOS file itself.
    let natoms = match (&xml, natoms_structure) {
        (_, Some(n)) => n,
        (Some((d, _, _)), None) => d.nions,
        (None, None) => vasp_parsers::doscar::read_nions(&inputs.dos_file)?,
    };
    let expr = match atoms {
        Some(e) => e.to_string(),
        None => default_selection(elements.as_deref(), &inputs.dos_file)?,
    };
    let xml_structure = xml.as_ref().and_then(|(_, _, s)| s.as_ref());
    let selection = resolve_selection(
        &expr,
        structure,
        elements.as_deref(),
        xml_structure,
        natoms,
        cutoff,
    )?;
    Ok(Resolved {
        xml_dos: xml.map(|(d, _, _)| d),
        elements,
        natoms_structure,
        selection,
    })
}

/// The structure's atom count against the DOS file's NIONS: a different count means
/// files of two calculations.
fn check_natoms(inputs: &DosInputs, natoms: Option<usize>, nions: usize) -> Result<(), Error> {
    match natoms {
        Some(n) if n != nions => Err(Error::input(format!(
            "{} has {} atoms but {} has {}: they belong to different calculations; pass the structure of the DOS run with --structure",
            inputs.structure_file.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            n,
            inputs.dos_file.display(),
            nions
        ))),
        _ => Ok(()),
    }
}

/// [`read_selected`], with the vasprun.xml already read when the loader has it.
fn read_selected_with(
    inputs: DosInputs,
    structure: Option<&Poscar>,
    atoms: Option<&str>,
    cutoff: f64,
    read: Option<vasp_parsers::vasprun::Vasprun>,
) -> Result<LoadedDos, Error> {
    let r = resolve(&inputs, structure, atoms, cutoff, read)?;
    let dos = match r.xml_dos {
        Some(d) => d,
        None => read_doscar(
            &inputs.dos_file,
            inputs.hint,
            &AtomFilter::Only(r.selection.indices.clone()),
        )?,
    };
    check_natoms(&inputs, r.natoms_structure, dos.nions)?;
    Ok(LoadedDos {
        dos,
        elements: r.elements,
        inputs,
        selection: r.selection,
    })
}
