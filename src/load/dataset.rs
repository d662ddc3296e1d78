//! The calculations a network combines, every file read once, and the one place where a
//! calculation's energy source is chosen.
//!
//! [`Dataset::read`] takes the references a network makes (`calc`, `freq`, `[dband] path`,
//! each relative to the network's directory) and reads what each needs: the OUTCAR whole,
//! the CONTCAR (else POSCAR), a vasprun.xml for a frequency run without an OUTCAR, and for
//! `[dband]` the DOS with only the selected atoms' projections. Files are keyed by their
//! canonical path, so a file that several references reach (a directory and a file inside
//! it, a DOS run that is also a state) is opened once; independent files are read in
//! parallel. A file that cannot be read is kept as its error: the science that needs it
//! fails with that error, and the linter reports it.

use super::dos::{self, LoadedDos};
use super::files::{self, CalcFiles};
use super::structure;
use crate::conventions::EnergyKind;
use crate::error::Error;
use crate::network::{DbandSpec, NetworkFile};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vasp_parsers::detect::Format;
use vasp_parsers::vasprun::Vasprun;
use vasp_parsers::{Outcar, Poscar};

/// What a calculation is used for: decides what is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// The electronic energy of a state or reference.
    Energy,
    /// A frequency run (ZPE, ∫C dT, TS).
    Freq,
    /// The DOS of a d-band descriptor.
    Dos,
}

/// A record read from a file, shared by every calculation that reaches the file.
pub type Shared<T> = Arc<Result<T, Error>>;

/// One calculation as read: where it is, its files and their records.
#[derive(Debug, Clone)]
pub struct Calc {
    /// The reference joined to the network's directory: what messages name.
    pub path: PathBuf,
    /// The directory it lives in (the path itself, or the parent of a named file).
    pub dir: PathBuf,
    pub files: CalcFiles,
    /// The OUTCAR: the file the reference names, else the directory's; read whole.
    pub outcar_file: Option<PathBuf>,
    pub outcar: Option<Shared<Outcar>>,
    /// The vasprun.xml the reference names, else the directory's; read only for a
    /// frequency run without an OUTCAR.
    pub vasprun_file: Option<PathBuf>,
    pub vasprun: Option<Shared<Vasprun>>,
    /// CONTCAR, else POSCAR, with the file VASP 4 species came from.
    pub structure_file: Option<PathBuf>,
    pub structure: Option<Shared<(Poscar, Option<PathBuf>)>>,
}

/// The electronic energy of a structure and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Energy {
    /// eV.
    pub value: f64,
    /// `…/OUTCAR:1234 (step 3, E0)`.
    pub source: String,
}

/// Vibrational frequencies of a calculation, signed (negative = imaginary), cm⁻¹, with the
/// file they came from and the structure beside it (for the ideal-gas model).
#[derive(Debug, Clone)]
pub struct Frequencies {
    pub signed_cm1: Vec<f64>,
    pub source: PathBuf,
    pub structure: Option<(Vec<String>, Vec<[f64; 3]>)>,
    pub warnings: Vec<String>,
}

fn record<T>(r: &Option<Shared<T>>) -> Option<Result<&T, Error>> {
    r.as_ref()
        .map(|a| a.as_ref().as_ref().map_err(Clone::clone))
}

impl Calc {
    /// The paths of a calculation, before anything is read: a directory's standard files,
    /// or the file a reference names with its directory's structure file.
    fn locate(path: PathBuf) -> Calc {
        let is_dir = path.is_dir();
        let dir = files::dir_of(&path);
        let found = CalcFiles::find(&dir);
        let (outcar_file, vasprun_file) = if is_dir {
            (found.outcar.clone(), found.vasprun.clone())
        } else if vasp_parsers::detect::from_name(&path) == Some(Format::Vasprun) {
            (None, Some(path.clone()))
        } else {
            (Some(path.clone()), None)
        };
        Calc {
            structure_file: found.structure().cloned(),
            files: found,
            path,
            dir,
            outcar_file,
            outcar: None,
            vasprun_file,
            vasprun: None,
            structure: None,
        }
    }

    /// The OUTCAR record, if the calculation has an OUTCAR.
    pub fn outcar(&self) -> Option<Result<&Outcar, Error>> {
        record(&self.outcar)
    }

    /// The structure (CONTCAR else POSCAR), if there is one.
    pub fn structure(&self) -> Option<Result<&Poscar, Error>> {
        record(&self.structure).map(|r| r.map(|(p, _)| p))
    }

    /// Lattice rows of the structure file, Å, when it could be read.
    pub fn lattice(&self) -> Option<[[f64; 3]; 3]> {
        self.structure().and_then(Result::ok).map(|s| s.lattice)
    }

    /// The energy of the calculation's structure. **The energy source is chosen here**:
    /// today the OUTCAR, its structure step (the last ionic step; the first of a frequency
    /// run, whose later steps are displaced geometries). Convergence, completion and
    /// agreement between calculations are the linter's.
    pub fn energy(&self, kind: EnergyKind) -> Result<Energy, Error> {
        let (Some(file), Some(o)) = (&self.outcar_file, self.outcar()) else {
            return Err(Error::input(format!(
                "{}: expected an OUTCAR (or OUTCAR.gz) in this calculation directory",
                self.path.display()
            )));
        };
        let o = o?;
        let step = o.structure_energy().ok_or_else(|| {
            Error::input(format!(
                "{}: no complete ionic step, so no energy (the run crashed or was cut)",
                file.display()
            ))
        })?;
        let value = match kind {
            EnergyKind::Sigma0 => step.energy.sigma0,
            EnergyKind::Toten => step.energy.toten,
        };
        Ok(Energy {
            value,
            source: format!(
                "{}:{} (step {}, {})",
                file.display(),
                step.line,
                step.index,
                kind.short()
            ),
        })
    }

    /// The normal modes of a frequency run: from the OUTCAR, else the vasprun.xml.
    pub fn frequencies(&self) -> Result<Frequencies, Error> {
        let mut warnings = Vec::new();
        let (signed, source): (Vec<f64>, &PathBuf) = match (self.outcar(), record(&self.vasprun))
        {
            (Some(o), _) => {
                let o = o?;
                let file = self.outcar_file.as_ref().unwrap_or(&self.path);
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
                let modes = o
                    .modes
                    .iter()
                    .map(|m| if m.imaginary { -m.freq_cm1 } else { m.freq_cm1 })
                    .collect();
                (modes, file)
            }
            (None, Some(v)) => (
                v?.normal_mode_frequencies_cm1(),
                self.vasprun_file.as_ref().unwrap_or(&self.path),
            ),
            (None, None) => {
                return Err(Error::input(format!(
                    "{}: expected an OUTCAR or vasprun.xml of a frequency run (IBRION=5-8) in this directory, found neither",
                    self.path.display()
                )))
            }
        };
        if signed.is_empty() {
            return Err(Error::input(format!(
                "{}: no normal modes (no dynamical-matrix block): expected a finished frequency run (IBRION=5-8)",
                source.display()
            )));
        }
        let structure = self.structure().and_then(Result::ok).map(|s| {
            (
                s.elements().iter().map(|e| e.to_string()).collect(),
                s.positions_cartesian.clone(),
            )
        });
        Ok(Frequencies {
            signed_cm1: signed,
            source: source.clone(),
            structure,
            warnings,
        })
    }
}

/// Every calculation a network needs, read.
#[derive(Debug, Default)]
pub struct Dataset {
    /// By the reference as the network writes it.
    calcs: BTreeMap<String, Calc>,
    /// By model: the DOS of its `[dband]` entry, with the selection read.
    dos: BTreeMap<String, Result<LoadedDos, Error>>,
}

/// The canonical path of a file (the path itself when it cannot be resolved).
fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Files to read, by canonical path (each once).
#[derive(Default)]
struct Reads {
    outcars: BTreeMap<PathBuf, PathBuf>,
    vaspruns: BTreeMap<PathBuf, PathBuf>,
    structures: BTreeMap<PathBuf, (PathBuf, Option<PathBuf>)>,
}

impl Dataset {
    /// The references of a network file and what each is used for.
    pub fn references(file: &NetworkFile) -> Vec<(String, Role)> {
        let mut out = Vec::new();
        let values = file
            .references
            .values()
            .chain(file.models.values().flat_map(|t| t.values()));
        for v in values {
            out.extend(v.calc.iter().map(|c| (c.clone(), Role::Energy)));
            out.extend(v.freq.iter().map(|f| (f.clone(), Role::Freq)));
        }
        out.extend(file.dband.values().map(|s| (s.path.clone(), Role::Dos)));
        out
    }

    /// Read every calculation and DOS the network file names (paths relative to `base`).
    pub fn for_network(file: &NetworkFile, base: &Path) -> Dataset {
        let mut d = Dataset::read(base, &Dataset::references(file));
        d.read_dos(base, &file.dband);
        d
    }

    /// Read the calculations `refs` name (relative to `base`), each file once.
    pub fn read(base: &Path, refs: &[(String, Role)]) -> Dataset {
        let mut roles: BTreeMap<&str, Vec<Role>> = BTreeMap::new();
        for (r, role) in refs {
            roles.entry(r.as_str()).or_default().push(*role);
        }
        let mut calcs: BTreeMap<String, Calc> = roles
            .keys()
            .map(|r| (r.to_string(), Calc::locate(files::join(base, r))))
            .collect();
        let mut reads = Reads::default();
        for (r, c) in &calcs {
            if let Some(f) = &c.outcar_file {
                reads.outcars.insert(canonical(f), f.clone());
            }
            let freq_only_xml = c.outcar_file.is_none() && roles[r.as_str()].contains(&Role::Freq);
            if let (Some(f), true) = (&c.vasprun_file, freq_only_xml) {
                reads.vaspruns.insert(canonical(f), f.clone());
            }
            if let Some(f) = &c.structure_file {
                reads
                    .structures
                    .insert(canonical(f), (f.clone(), c.files.outcar.clone()));
            }
        }
        let outcars: HashMap<PathBuf, Shared<Outcar>> = reads
            .outcars
            .into_par_iter()
            .map(|(k, f)| {
                (
                    k,
                    Arc::new(vasp_parsers::read_outcar(&f).map_err(Error::from)),
                )
            })
            .collect();
        let vaspruns: HashMap<PathBuf, Shared<Vasprun>> = reads
            .vaspruns
            .into_par_iter()
            .map(|(k, f)| {
                let v = vasp_parsers::vasprun::read_vasprun(&f, &Default::default());
                (k, Arc::new(v.map_err(Error::from)))
            })
            .collect();
        let structures: HashMap<PathBuf, Shared<(Poscar, Option<PathBuf>)>> = reads
            .structures
            .into_par_iter()
            .map(|(k, (f, outcar))| {
                // A VASP 4 file takes its species from the OUTCAR already read, else a POTCAR.
                let from_outcar = outcar.as_ref().and_then(|o| {
                    let rec = outcars.get(&canonical(o))?.as_ref().as_ref().ok()?;
                    (!rec.species.is_empty()).then(|| (rec.species.clone(), o.clone()))
                });
                let dir = files::dir_of(&f);
                let s = structure::read_structure_with(&f, None, || {
                    from_outcar.or_else(|| structure::species_beside(&dir))
                });
                (k, Arc::new(s.map_err(Error::from)))
            })
            .collect();
        for c in calcs.values_mut() {
            let get = |f: &Option<PathBuf>| f.as_ref().map(|f| canonical(f));
            c.outcar = get(&c.outcar_file).and_then(|k| outcars.get(&k).cloned());
            c.vasprun = get(&c.vasprun_file).and_then(|k| vaspruns.get(&k).cloned());
            c.structure = get(&c.structure_file).and_then(|k| structures.get(&k).cloned());
        }
        Dataset {
            calcs,
            dos: BTreeMap::new(),
        }
    }

    /// Read the DOS of every `[dband]` model (its calculation is already read).
    fn read_dos(&mut self, base: &Path, specs: &BTreeMap<String, DbandSpec>) {
        let calcs = &self.calcs;
        self.dos = specs
            .par_iter()
            .map(|(model, spec)| {
                let loaded = match calcs.get(&spec.path) {
                    Some(c) => dos::load_for_calc(c, spec.atoms.as_deref()),
                    None => dos::load_for_calc(
                        &Calc::locate(files::join(base, &spec.path)),
                        spec.atoms.as_deref(),
                    ),
                };
                (model.clone(), loaded)
            })
            .collect();
    }

    /// The calculation a network reference (`calc`, `freq` or `[dband] path`) names.
    pub fn calc(&self, reference: &str) -> Option<&Calc> {
        self.calcs.get(reference)
    }

    /// The DOS of a model's `[dband]` entry, with its selection.
    pub fn dos(&self, model: &str) -> Option<Result<&LoadedDos, Error>> {
        self.dos
            .get(model)
            .map(|r| r.as_ref().map_err(Clone::clone))
    }

    /// Every calculation, by reference.
    pub fn calcs(&self) -> impl Iterator<Item = (&str, &Calc)> {
        self.calcs.iter().map(|(k, c)| (k.as_str(), c))
    }
}

/// Read one calculation for one role (`chepath thermo DIR`, single-file commands).
pub fn read_one(path: &Path, role: Role) -> Calc {
    let key = path.display().to_string();
    let mut d = Dataset::read(Path::new(""), &[(key.clone(), role)]);
    d.calcs
        .remove(&key)
        .unwrap_or_else(|| Calc::locate(path.to_path_buf()))
}
