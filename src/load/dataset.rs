//! The calculations a network combines, every file read once, and the one place where a
//! calculation's energy source is chosen.
//!
//! [`Dataset::read`] takes the references a network makes (`calc`, `freq`, `[dband] path`,
//! each relative to the network's directory) and reads what each needs: the OUTCAR whole and
//! the OSZICAR; without an OUTCAR the vasprun.xml, and without either the inputs (INCAR,
//! KPOINTS, POTCAR or a POTCAR title list); the CONTCAR (else POSCAR); and for `[dband]` the
//! DOS with only the selected atoms' projections.
//!
//! **The energy source** of a calculation ([`ENERGY_SOURCES`], printed with every pathway):
//! the OUTCAR, else the vasprun.xml, else the OSZICAR, each plain or gzipped; of it, the
//! structure's step: the last ionic step, or the first of a frequency run (IBRION 5–8, from
//! the file's own parameters or, for an OSZICAR, the INCAR beside it). Files are keyed by their
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
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use vasp_parsers::detect::Format;
use vasp_parsers::kpoints::Kpoints;
use vasp_parsers::vasprun::Vasprun;
use vasp_parsers::{Oszicar, Outcar, Poscar};

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
    /// The OSZICAR (read with an OUTCAR too: the linter compares the two).
    pub oszicar_file: Option<PathBuf>,
    pub oszicar: Option<Shared<Oszicar>>,
    /// Inputs, read only when there is neither an OUTCAR nor a vasprun.xml.
    pub incar: Option<Shared<BTreeMap<String, String>>>,
    pub kpoints: Option<Shared<Kpoints>>,
    pub potcar: Option<Shared<Vec<String>>>,
}

/// The energy sources of a calculation in the order they are chosen.
pub const ENERGY_SOURCES: &str = "OUTCAR, else vasprun.xml, else OSZICAR (each plain or .gz); the structure's step: the last ionic step, the first of a frequency run";

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
            oszicar_file: found
                .oszicar
                .clone()
                .filter(|_| is_dir || outcar_file.is_some()),
            files: found,
            path,
            dir,
            outcar_file,
            outcar: None,
            vasprun_file,
            vasprun: None,
            structure: None,
            oszicar: None,
            incar: None,
            kpoints: None,
            potcar: None,
        }
    }

    /// The vasprun.xml record, if it was read.
    pub fn vasprun_record(&self) -> Option<Result<&Vasprun, Error>> {
        record(&self.vasprun)
    }

    /// The OSZICAR record, if there is one.
    pub fn oszicar(&self) -> Option<Result<&Oszicar, Error>> {
        record(&self.oszicar)
    }

    /// The INCAR's tags, if they were read (no OUTCAR, no vasprun.xml).
    pub fn incar_record(&self) -> Option<Result<&BTreeMap<String, String>, Error>> {
        record(&self.incar)
    }

    /// The KPOINTS file, if it was read.
    pub fn kpoints_record(&self) -> Option<Result<&Kpoints, Error>> {
        record(&self.kpoints)
    }

    /// The POTCAR titles, if they were read.
    pub fn potcar_record(&self) -> Option<Result<&Vec<String>, Error>> {
        record(&self.potcar)
    }

    /// The INCAR beside it (the directory's), for inputs and layout hints.
    pub fn incar_file(&self) -> Option<&PathBuf> {
        self.files.incar.as_ref()
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

    /// The energy of the calculation's structure. **The energy source is chosen here**
    /// ([`ENERGY_SOURCES`]): the OUTCAR, else the vasprun.xml, else the OSZICAR; of it the
    /// structure's step (the last ionic step; the first of a frequency run, whose later steps
    /// are displaced geometries). Convergence, completion and agreement between calculations
    /// are the linter's.
    pub fn energy(&self, kind: EnergyKind) -> Result<Energy, Error> {
        if let (Some(file), Some(o)) = (&self.outcar_file, self.outcar()) {
            return outcar_energy(file, o?, kind);
        }
        if let (Some(file), Some(v)) = (&self.vasprun_file, self.vasprun_record()) {
            return vasprun_energy(file, v?, kind);
        }
        if let (Some(file), Some(z)) = (&self.oszicar_file, self.oszicar()) {
            let freq = self.facts().is_some_and(|f| f.is_frequency_run());
            return oszicar_energy(file, z?, freq, kind);
        }
        let present = self.files.names();
        Err(Error::input(format!(
            "{}: expected an OUTCAR, vasprun.xml or OSZICAR (each optionally .gz) in this calculation directory, found {}",
            self.path.display(),
            if present.is_empty() {
                "no VASP file".to_string()
            } else {
                present.join(", ")
            }
        )))
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

/// `…/OUTCAR:1234 (step 3, E0)`: the OUTCAR's structure step.
fn outcar_energy(file: &Path, o: &Outcar, kind: EnergyKind) -> Result<Energy, Error> {
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

/// `…/vasprun.xml (ionic step 3 of 3, E0)`: the structure's `<calculation>` (pymatgen's
/// E0 rule, see the reader).
fn vasprun_energy(file: &Path, v: &Vasprun, kind: EnergyKind) -> Result<Energy, Error> {
    let freq = matches!(
        v.param("IBRION").and_then(|s| s.trim().parse::<i64>().ok()),
        Some(5..=8)
    );
    let n = v.ionic_steps.len();
    let (k, step) = if freq {
        (1, v.ionic_steps.first())
    } else {
        (n, v.ionic_steps.last())
    };
    let value = step.and_then(|s| match kind {
        EnergyKind::Sigma0 => s.e_0_energy,
        EnergyKind::Toten => s.e_fr_energy,
    });
    let value = value.ok_or_else(|| {
        Error::input(format!(
            "{}: no ionic step with an energy, so no energy (the run crashed or was cut)",
            file.display()
        ))
    })?;
    Ok(Energy {
        value,
        source: format!(
            "{} (ionic step {k} of {n}{}, {})",
            file.display(),
            if freq { ", first: frequency run" } else { "" },
            kind.short()
        ),
    })
}

/// `…/OSZICAR:57 (step 12, E0)`: the OSZICAR's structure step (`E0=` or `F=`).
fn oszicar_energy(file: &Path, z: &Oszicar, freq: bool, kind: EnergyKind) -> Result<Energy, Error> {
    let step = if freq {
        z.ionic_steps.first()
    } else {
        z.ionic_steps.last()
    };
    let step = step.ok_or_else(|| {
        Error::input(format!(
            "{}: no ionic step, so no energy (the run crashed or was cut)",
            file.display()
        ))
    })?;
    let value = match kind {
        EnergyKind::Sigma0 => step.e0,
        EnergyKind::Toten => step.f,
    };
    Ok(Energy {
        value,
        source: format!(
            "{}:{} (step {}{}, {})",
            file.display(),
            step.line,
            step.index,
            if freq { ", first: frequency run" } else { "" },
            kind.short()
        ),
    })
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
    oszicars: BTreeMap<PathBuf, PathBuf>,
    /// With the DOS when a `[dband]` entry will use it.
    vaspruns: BTreeMap<PathBuf, (PathBuf, bool)>,
    incars: BTreeMap<PathBuf, PathBuf>,
    kpoints: BTreeMap<PathBuf, PathBuf>,
    potcars: BTreeMap<PathBuf, PathBuf>,
    /// The structure file and the OUTCAR beside it (VASP 4 species).
    structures: BTreeMap<PathBuf, (PathBuf, Option<PathBuf>)>,
}

impl Reads {
    /// What a calculation needs for its roles: its OUTCAR and OSZICAR, else its vasprun.xml,
    /// else its inputs; its structure file.
    fn plan(&mut self, c: &Calc, roles: &[Role]) {
        let add = |m: &mut BTreeMap<PathBuf, PathBuf>, f: &Option<PathBuf>| {
            if let Some(f) = f {
                m.insert(canonical(f), f.clone());
            }
        };
        add(&mut self.outcars, &c.outcar_file);
        if roles.iter().any(|r| *r != Role::Freq) {
            add(&mut self.oszicars, &c.oszicar_file);
        }
        if c.outcar_file.is_none() {
            if let Some(f) = &c.vasprun_file {
                let dos = roles.contains(&Role::Dos) && c.files.doscar.is_none();
                let e = self
                    .vaspruns
                    .entry(canonical(f))
                    .or_insert((f.clone(), dos));
                e.1 |= dos;
            } else {
                add(&mut self.incars, &c.files.incar);
                add(&mut self.kpoints, &c.files.kpoints);
                add(&mut self.potcars, &c.files.potcar);
            }
        }
        if let Some(f) = &c.structure_file {
            self.structures
                .insert(canonical(f), (f.clone(), c.files.outcar.clone()));
        }
    }
}

/// Read every file of `files` with `read`, in parallel, each once.
fn read_all<T: Send + Sync, E: Into<Error> + Send>(
    files: BTreeMap<PathBuf, PathBuf>,
    read: impl Fn(&Path) -> Result<T, E> + Sync,
) -> BTreeMap<PathBuf, Shared<T>> {
    files
        .into_par_iter()
        .map(|(k, f)| (k, Arc::new(read(&f).map_err(Into::into))))
        .collect()
}

/// The structure files, a VASP 4 file taking its species from the OUTCAR or POTCAR of its
/// directory already read (else it reads the ones beside it).
fn read_structures(
    files: BTreeMap<PathBuf, (PathBuf, Option<PathBuf>)>,
    outcars: &BTreeMap<PathBuf, Shared<Outcar>>,
    potcars: &BTreeMap<PathBuf, Shared<Vec<String>>>,
) -> BTreeMap<PathBuf, Shared<(Poscar, Option<PathBuf>)>> {
    files
        .into_par_iter()
        .map(|(k, (f, outcar))| {
            let dir = files::dir_of(&f);
            let from_outcar = outcar.as_ref().and_then(|o| {
                let rec = outcars.get(&canonical(o))?.as_ref().as_ref().ok()?;
                (!rec.species.is_empty()).then(|| (rec.species.clone(), o.clone()))
            });
            let potcar = CalcFiles::find(&dir).potcar;
            let from_potcar = potcar.as_ref().and_then(|p| {
                let titles = potcars.get(&canonical(p))?.as_ref().as_ref().ok()?;
                Some((vasp_parsers::potcar::species_from_titles(titles), p.clone()))
            });
            let s = structure::read_structure_with(&f, None, || {
                from_outcar
                    .or(from_potcar)
                    .or_else(|| structure::species_beside(&dir))
            });
            (k, Arc::new(s.map_err(Error::from)))
        })
        .collect()
}

fn shared<T>(m: &BTreeMap<PathBuf, Shared<T>>, f: &Option<PathBuf>) -> Option<Shared<T>> {
    f.as_ref().and_then(|f| m.get(&canonical(f)).cloned())
}

impl Dataset {
    /// The references of a network file and what each is used for.
    pub fn references(file: &NetworkFile) -> Vec<(String, Role)> {
        let mut out = Vec::new();
        let values = file
            .references
            .values()
            .chain(file.models.values().flat_map(|t| t.values()))
            .chain(
                file.barriers
                    .values()
                    .flat_map(|t| t.values())
                    .flat_map(|b| b.ts.iter().chain(b.initial.iter())),
            );
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
            reads.plan(c, &roles[r.as_str()]);
        }
        let outcars = read_all(reads.outcars, vasp_parsers::read_outcar);
        let oszicars = read_all(reads.oszicars, vasp_parsers::read_oszicar);
        let incars = read_all(reads.incars, vasp_parsers::incar::read_incar);
        let kpoints = read_all(reads.kpoints, vasp_parsers::kpoints::read_kpoints);
        let potcars = read_all(reads.potcars, vasp_parsers::potcar::read_titles);
        let vaspruns: BTreeMap<PathBuf, Shared<Vasprun>> = reads
            .vaspruns
            .into_par_iter()
            .map(|(k, (f, dos))| {
                let opts = vasp_parsers::vasprun::Options { dos };
                let v = vasp_parsers::vasprun::read_vasprun(&f, &opts);
                (k, Arc::new(v.map_err(Error::from)))
            })
            .collect();
        let structures = read_structures(reads.structures, &outcars, &potcars);
        for c in calcs.values_mut() {
            c.outcar = shared(&outcars, &c.outcar_file);
            c.oszicar = shared(&oszicars, &c.oszicar_file);
            c.vasprun = shared(&vaspruns, &c.vasprun_file);
            c.incar = shared(&incars, &c.files.incar);
            c.kpoints = shared(&kpoints, &c.files.kpoints);
            c.potcar = shared(&potcars, &c.files.potcar);
            c.structure = shared(&structures, &c.structure_file);
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
