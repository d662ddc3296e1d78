//! The JSON records `chepath parse` emits, one type per input kind.
//!
//! Other tools read these keys: renaming or removing one is a breaking change and bumps
//! [`SCHEMA_VERSION`]. Energies are in eV, frequencies in cm⁻¹, lengths in Å. The schema is
//! documented in `docs/schema.md`.

use serde::Serialize;
use std::collections::BTreeMap;
use vasp_parsers::oszicar::{Oszicar, OszicarStep};
use vasp_parsers::outcar::{IonicStep, Outcar, StepEnergy};
use vasp_parsers::poscar::{Poscar, SpeciesSource};

/// Version of the JSON schema of `chepath parse`.
pub const SCHEMA_VERSION: &str = "1.0";

/// The three energies of one ionic step.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Energies {
    pub toten: f64,
    pub no_entropy: f64,
    pub sigma0: f64,
}

impl From<StepEnergy> for Energies {
    fn from(e: StepEnergy) -> Self {
        Energies {
            toten: e.toten,
            no_entropy: e.no_entropy,
            sigma0: e.sigma0,
        }
    }
}

/// The energy of the relaxed structure and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct StructureEnergy {
    #[serde(flatten)]
    pub energies: Energies,
    /// 1-based ionic step the energies come from.
    pub step: usize,
    /// 1-based line of the `free  energy   TOTEN` value.
    pub line: usize,
    /// Why this step: `last ionic step`, or `first ionic step: frequency run (IBRION=5)`.
    pub note: String,
}

/// One ionic step in the `steps` list.
#[derive(Debug, Clone, Serialize)]
pub struct StepRecord {
    pub index: usize,
    pub toten: f64,
    pub no_entropy: f64,
    pub sigma0: f64,
    pub efermi: Option<f64>,
    pub electronic_iterations: usize,
    pub electronic_converged: Option<bool>,
    pub magnetization: Vec<f64>,
    pub line: usize,
}

impl From<&IonicStep> for StepRecord {
    fn from(s: &IonicStep) -> Self {
        StepRecord {
            index: s.index,
            toten: s.energy.toten,
            no_entropy: s.energy.no_entropy,
            sigma0: s.energy.sigma0,
            efermi: s.efermi,
            electronic_iterations: s.electronic_iterations,
            electronic_converged: s.electronic_converged,
            magnetization: s.magnetization.clone(),
            line: s.line,
        }
    }
}

/// `chepath parse OUTCAR --json`.
#[derive(Debug, Clone, Serialize)]
pub struct OutcarRecord {
    pub schema_version: &'static str,
    pub kind: &'static str,
    pub file: String,
    pub vasp_version: Option<String>,
    pub nions: Option<usize>,
    pub species: Vec<String>,
    pub ions_per_type: Vec<usize>,
    pub potcar_titles: Vec<String>,
    /// The automatic k-point mesh (`generate k-points for:`), null for explicit lists.
    pub kpoint_mesh: Option<[u32; 3]>,
    /// Every `NAME = value` VASP echoed, as printed.
    pub incar: BTreeMap<String, String>,
    /// Number of complete ionic steps.
    pub ionic_steps: usize,
    pub first_energy: Option<Energies>,
    pub last_energy: Option<Energies>,
    /// The energy of the relaxed structure (first step of a frequency run, else last).
    pub structure_energy: Option<StructureEnergy>,
    /// Last `E-fermi` printed, eV.
    pub efermi: Option<f64>,
    /// Whether the last electronic loop converged (null when it cannot be told).
    pub electronic_converged: Option<bool>,
    /// `reached required accuracy` for relaxations; null when not a relaxation.
    pub ionic_converged: Option<bool>,
    pub complete: bool,
    /// The stop message of a STOPCAR/LABORT stop, if any.
    pub stopped: Option<String>,
    pub is_frequency_run: bool,
    /// Real modes of the first dynamical-matrix block, cm⁻¹, in printed order.
    pub frequencies_cm1: Vec<f64>,
    /// Imaginary modes, cm⁻¹ (positive numbers).
    pub imaginary_cm1: Vec<f64>,
    pub steps: Vec<StepRecord>,
    pub lines: usize,
    pub warnings: Vec<String>,
}

impl OutcarRecord {
    pub fn new(file: &str, o: &Outcar) -> Self {
        let structure_energy = o.structure_energy().map(|s| StructureEnergy {
            energies: s.energy.into(),
            step: s.index,
            line: s.line,
            note: if o.is_frequency_run() {
                format!(
                    "first ionic step: frequency run (IBRION={}), later steps are displaced geometries",
                    o.ibrion().unwrap_or_default()
                )
            } else {
                "last ionic step".to_string()
            },
        });
        OutcarRecord {
            schema_version: SCHEMA_VERSION,
            kind: "outcar",
            file: file.to_string(),
            vasp_version: o.vasp_version.clone(),
            nions: o.nions,
            species: o.species.clone(),
            ions_per_type: o.ions_per_type.clone(),
            potcar_titles: o.potcar_titles.clone(),
            kpoint_mesh: o.kpoint_mesh,
            incar: o.incar.clone(),
            ionic_steps: o.ionic_steps.len(),
            first_energy: o.first_step().map(|s| s.energy.into()),
            last_energy: o.last_step().map(|s| s.energy.into()),
            structure_energy,
            efermi: o.efermi_last,
            electronic_converged: o
                .last_step()
                .and_then(|s| s.electronic_converged)
                .or(o.last_loop_converged),
            ionic_converged: o.ionic_converged(),
            complete: o.complete,
            stopped: o.stopped.clone(),
            is_frequency_run: o.is_frequency_run(),
            frequencies_cm1: o.real_frequencies_cm1(),
            imaginary_cm1: o.imaginary_frequencies_cm1(),
            steps: o.ionic_steps.iter().map(StepRecord::from).collect(),
            lines: o.lines,
            warnings: o.warnings.clone(),
        }
    }
}

/// `chepath parse vasprun.xml --json`: energies, parameters, structures and modes. The DOS,
/// eigenvalues and projections are not read here (`chepath dband` reads the DOS).
#[derive(Debug, Clone, Serialize)]
pub struct VasprunRecord {
    pub schema_version: &'static str,
    pub kind: &'static str,
    pub file: String,
    pub vasp_version: Option<String>,
    pub nions: usize,
    /// Species in order of appearance and their counts.
    pub species: Vec<String>,
    pub ions_per_type: Vec<usize>,
    /// `<incar>`: the tags as the user set them.
    pub incar: BTreeMap<String, String>,
    pub ionic_steps: usize,
    /// The structure's energy: the last `<calculation>`, the first of a frequency run.
    pub structure_energy: Option<VasprunEnergy>,
    pub efermi: Option<f64>,
    /// `</modeling>` was reached.
    pub complete: bool,
    pub is_frequency_run: bool,
    /// Normal modes from `<dynmat>`, cm⁻¹, largest first; imaginary ones negative.
    pub frequencies_cm1: Vec<f64>,
    pub initial_structure: Option<vasp_parsers::vasprun::XmlStructure>,
    pub final_structure: Option<vasp_parsers::vasprun::XmlStructure>,
    /// Energies of every `<calculation>`, eV.
    pub steps: Vec<vasp_parsers::vasprun::XmlEnergy>,
    pub warnings: Vec<String>,
}

/// The structure's energy from a vasprun.xml.
#[derive(Debug, Clone, Serialize)]
pub struct VasprunEnergy {
    /// 1-based `<calculation>` number.
    pub step: usize,
    /// E(sigma->0) as pymatgen's `final_energy` (see [`vasp_parsers::vasprun::XmlEnergy`]).
    pub sigma0: Option<f64>,
    pub toten: Option<f64>,
    pub no_entropy: Option<f64>,
    pub note: String,
}

impl VasprunRecord {
    pub fn new(file: &str, v: &vasp_parsers::vasprun::Vasprun) -> Self {
        let mut species: Vec<String> = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        for a in &v.atoms {
            if species.last() == Some(a) {
                if let Some(c) = counts.last_mut() {
                    *c += 1;
                }
            } else {
                species.push(a.clone());
                counts.push(1);
            }
        }
        let ibrion = v.param("IBRION").and_then(|s| s.parse::<i64>().ok());
        let freq = matches!(ibrion, Some(5..=8));
        let k = if freq {
            0
        } else {
            v.ionic_steps.len().saturating_sub(1)
        };
        let structure_energy = v.ionic_steps.get(k).map(|e| VasprunEnergy {
            step: k + 1,
            sigma0: e.e_0_energy,
            toten: e.e_fr_energy,
            no_entropy: e.e_wo_entrp,
            note: if freq {
                format!(
                    "first <calculation>: frequency run (IBRION={}), later ones are displaced geometries",
                    ibrion.unwrap_or_default()
                )
            } else {
                "last <calculation>".into()
            },
        });
        VasprunRecord {
            schema_version: SCHEMA_VERSION,
            kind: "vasprun",
            file: file.to_string(),
            vasp_version: v.version.clone(),
            nions: v.atoms.len(),
            species,
            ions_per_type: counts,
            incar: v.incar.clone(),
            ionic_steps: v.ionic_steps.len(),
            structure_energy,
            efermi: v.efermi,
            complete: v.complete,
            is_frequency_run: freq,
            frequencies_cm1: v.normal_mode_frequencies_cm1(),
            initial_structure: v.initial_structure.clone(),
            final_structure: v.final_structure.clone(),
            steps: v.ionic_steps.clone(),
            warnings: v.warnings.clone(),
        }
    }
}

/// F and E0 of the last OSZICAR step.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct OszicarEnergy {
    pub f: f64,
    pub e0: f64,
}

/// `chepath parse OSZICAR --json`.
#[derive(Debug, Clone, Serialize)]
pub struct OszicarRecord {
    pub schema_version: &'static str,
    pub kind: &'static str,
    pub file: String,
    pub ionic_steps: usize,
    pub last_energy: Option<OszicarEnergy>,
    pub steps: Vec<OszicarStep>,
    pub trailing_iterations: usize,
    pub warnings: Vec<String>,
}

impl OszicarRecord {
    pub fn new(file: &str, o: &Oszicar) -> Self {
        OszicarRecord {
            schema_version: SCHEMA_VERSION,
            kind: "oszicar",
            file: file.to_string(),
            ionic_steps: o.ionic_steps.len(),
            last_energy: o.last_step().map(|s| OszicarEnergy { f: s.f, e0: s.e0 }),
            steps: o.ionic_steps.clone(),
            trailing_iterations: o.trailing_iterations,
            warnings: o.warnings.clone(),
        }
    }
}

/// `chepath parse POSCAR|CONTCAR --json`.
#[derive(Debug, Clone, Serialize)]
pub struct StructureRecord {
    pub schema_version: &'static str,
    pub kind: &'static str,
    pub file: String,
    pub comment: String,
    pub species: Vec<String>,
    pub counts: Vec<usize>,
    pub natoms: usize,
    /// Where the species names came from: `file`, `atom_labels` or `supplied`.
    pub species_source: SpeciesSource,
    /// The file the species came from when supplied (OUTCAR or POTCAR).
    pub species_from: Option<String>,
    pub lattice: [[f64; 3]; 3],
    pub volume: f64,
    pub positions_cartesian: Vec<[f64; 3]>,
    /// Per-atom [x, y, z] flags (true = free), or null without selective dynamics.
    pub selective_dynamics: Option<Vec<[bool; 3]>>,
    pub warnings: Vec<String>,
}

impl StructureRecord {
    pub fn new(file: &str, p: &Poscar, species_from: Option<String>) -> Self {
        StructureRecord {
            schema_version: SCHEMA_VERSION,
            kind: "structure",
            file: file.to_string(),
            comment: p.comment.clone(),
            species: p.species.clone(),
            counts: p.counts.clone(),
            natoms: p.natoms,
            species_source: p.species_source.clone(),
            species_from,
            lattice: p.lattice,
            volume: p.volume,
            positions_cartesian: p.positions_cartesian.clone(),
            selective_dynamics: p.selective_dynamics.clone(),
            warnings: p.warnings.clone(),
        }
    }
}

/// A path as a JSON string that keeps its exact bytes (Linux file names are bytes, not
/// always UTF-8): valid UTF-8 is kept as it is, except `\`, written `\\`; every byte that is
/// not part of valid UTF-8 is written `\xHH` (two lowercase hex digits). So latin-1 `caf\xe9`
/// and `caf\xe8` stay two names, where a lossy conversion makes both `caf\u{fffd}`.
/// [`unescape_path`] turns it back into the path.
pub fn escape_path(p: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        escape_bytes(p.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        escape_bytes(p.to_string_lossy().as_bytes())
    }
}

/// [`escape_path`] of raw bytes.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The bytes an [`escape_path`] string stands for; `None` when it is not one (a `\` not
/// followed by `\` or `xHH`).
pub fn unescape_bytes(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut k = 0;
    while k < b.len() {
        if b[k] != b'\\' {
            out.push(b[k]);
            k += 1;
            continue;
        }
        match b.get(k + 1) {
            Some(b'\\') => {
                out.push(b'\\');
                k += 2;
            }
            Some(b'x') => {
                let hex = s.get(k + 2..k + 4)?;
                if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                k += 4;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The path an [`escape_path`] string stands for, exactly.
pub fn unescape_path(s: &str) -> Option<std::path::PathBuf> {
    let bytes = unescape_bytes(s)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(std::ffi::OsString::from_vec(bytes).into())
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes).ok().map(Into::into)
    }
}

/// The path for people: as it is when it is UTF-8, else [`escape_path`] (two names that
/// differ only in an undecodable byte print differently).
pub fn display_path(p: &std::path::Path) -> String {
    match p.to_str() {
        Some(s) => s.to_string(),
        None => escape_path(p),
    }
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn escaped_paths_round_trip_and_stay_apart() {
        for bytes in [
            &b"plain/CuN4_slab"[..],
            b"caf\xe9",
            b"caf\xe8",
            "café/ΔG".as_bytes(),
            b"back\\slash\\xe9",
            b"\xff\xfe\\\x00end",
            b"cut\xc3",
            b"",
        ] {
            let e = escape_bytes(bytes);
            assert_eq!(unescape_bytes(&e).as_deref(), Some(bytes), "{e}");
            assert!(!e.contains('\u{fffd}'));
        }
        assert_eq!(escape_bytes(b"caf\xe9"), "caf\\xe9");
        assert_eq!(escape_bytes("café".as_bytes()), "café");
        assert_eq!(escape_bytes(b"a\\b"), "a\\\\b");
        assert_ne!(escape_bytes(b"caf\xe9"), escape_bytes(b"caf\\xe9"));
        for bad in ["a\\", "a\\q", "a\\x4", "a\\xzz", "a\\x+f"] {
            assert_eq!(unescape_bytes(bad), None, "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn paths_keep_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let p = std::path::Path::new(std::ffi::OsStr::from_bytes(b"/t/caf\xe9/H"));
        assert_eq!(escape_path(p), "/t/caf\\xe9/H");
        assert_eq!(unescape_path(&escape_path(p)).as_deref(), Some(p));
        assert_eq!(display_path(p), "/t/caf\\xe9/H");
        assert_eq!(display_path(std::path::Path::new("/t/a\\b")), "/t/a\\b");
    }
}
