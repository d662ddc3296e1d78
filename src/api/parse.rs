//! `parse`: one file or calculation directory read into its JSON record, as the CLI's
//! `chepath parse --json` and the Python package's `chepath.parse` give it.

use crate::error::Error;
use crate::load::structure;
use crate::load::summary::{self, CalcError, CalcRecord};
use crate::records::{OszicarRecord, OutcarRecord, StructureRecord, VasprunRecord};
use std::path::{Path, PathBuf};
use vasp_parsers::detect::{self, Format};
use vasp_parsers::ParseError;

/// What to read a path as.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// The format; `None`: detected from the name and first lines.
    pub format: Option<Format>,
    /// An OUTCAR's final state only (`--final`: a fast tail read).
    pub final_only: bool,
    /// Where a VASP 4 POSCAR's species come from (an OUTCAR or POTCAR).
    pub species_from: Option<PathBuf>,
}

/// One parsed input.
pub enum Parsed {
    Final(String, Box<vasp_parsers::outcar::Final>),
    Outcar(OutcarRecord),
    Oszicar(OszicarRecord),
    Structure(StructureRecord),
    Vasprun(Box<VasprunRecord>),
    Calc(Box<CalcRecord>),
}

impl Parsed {
    /// Serialise straight to `w` (no intermediate JSON tree: a vasprun.xml of 10⁵ ionic
    /// steps stays a few MB in memory).
    pub fn write_json<W: std::io::Write>(&self, w: W) -> serde_json::Result<()> {
        #[derive(serde::Serialize)]
        struct FinalRecord<'a> {
            schema_version: &'static str,
            kind: &'static str,
            file: &'a str,
            #[serde(flatten)]
            f: &'a vasp_parsers::outcar::Final,
        }
        match self {
            Parsed::Final(file, f) => serde_json::to_writer_pretty(
                w,
                &FinalRecord {
                    schema_version: crate::records::SCHEMA_VERSION,
                    kind: "outcar_final",
                    file,
                    f,
                },
            ),
            Parsed::Outcar(r) => serde_json::to_writer_pretty(w, r),
            Parsed::Oszicar(r) => serde_json::to_writer_pretty(w, r),
            Parsed::Structure(r) => serde_json::to_writer_pretty(w, r),
            Parsed::Vasprun(r) => serde_json::to_writer_pretty(w, r),
            Parsed::Calc(r) => serde_json::to_writer_pretty(w, r),
        }
    }

    /// True when the result is partial: a run that did not finish, an OSZICAR cut mid-step.
    pub fn partial(&self) -> bool {
        match self {
            Parsed::Final(_, f) => !f.complete,
            Parsed::Outcar(r) => !r.complete,
            Parsed::Oszicar(r) => r.trailing_iterations > 0 || r.ionic_steps == 0,
            Parsed::Structure(_) => false,
            Parsed::Vasprun(r) => !r.complete,
            Parsed::Calc(r) => !r.complete(),
        }
    }
}

/// Read `path` (a file, or a calculation directory: its summary record).
pub fn parse_path(path: &Path, args: &ParseOptions) -> Result<Parsed, Error> {
    if !path.exists() {
        return Err(ParseError::io(
            path,
            &std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
        )
        .into());
    }
    if path.is_dir() {
        return match summary::summarize(path) {
            Ok(r) => Ok(Parsed::Calc(Box::new(r))),
            Err(CalcError::Parse(e)) => Err(e.into()),
            Err(e) => Err(Error::input(e.to_string())),
        };
    }
    let name = path.display().to_string();
    let format = match args.format {
        Some(f) => f,
        None => match detect::detect(path)? {
            Some(f) => f,
            None => {
                return Err(Error::input(format!(
                        "{name}: expected a VASP file (OUTCAR, OSZICAR, CONTCAR/POSCAR, optionally .gz), found a name and first lines that match none of them; pass --format outcar|oszicar|poscar if it is one"
                )))
            }
        },
    };
    match format {
        Format::Outcar if args.final_only => {
            let f = vasp_parsers::outcar::read_final(path)?;
            Ok(Parsed::Final(name, Box::new(f)))
        }
        Format::Outcar => {
            let o = vasp_parsers::read_outcar(path)?;
            Ok(Parsed::Outcar(OutcarRecord::new(&name, &o)))
        }
        Format::Oszicar => {
            let o = vasp_parsers::read_oszicar(path)?;
            Ok(Parsed::Oszicar(OszicarRecord::new(&name, &o)))
        }
        Format::Poscar => {
            let (p, from) = structure::read_structure(path, args.species_from.as_deref())?;
            Ok(Parsed::Structure(StructureRecord::new(
                &name,
                &p,
                from.map(|f| f.display().to_string()),
            )))
        }
        Format::Vasprun => {
            let v = vasp_parsers::vasprun::read_vasprun(path, &Default::default())?;
            Ok(Parsed::Vasprun(Box::new(VasprunRecord::new(&name, &v))))
        }
        Format::Doscar => Err(Error::input(format!(
            "{name}: DOSCAR files are read by `chepath dband` (descriptors and PDOS), not by `chepath parse`"
        ))),
    }
}
