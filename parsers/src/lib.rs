//! Readers for VASP output files: bytes in, plain typed records out.
//!
//! This crate knows VASP's file formats and nothing about catalysis. Every reader streams
//! its input once, accepts plain or gzip-compressed files (recognised by their magic bytes),
//! and reports bad input as a [`ParseError`] naming the file, the line, what was expected
//! and what was found. No reader panics on file content.
//!
//! - [`outcar`] — OUTCAR (energies per ionic step, parameters, convergence, normal modes)
//! - [`doscar`] — DOSCAR (total and projected DOS, every LORBIT/ISPIN/non-collinear layout)
//! - [`oszicar`] — OSZICAR (F, E0, dE, magnetization per ionic step; electronic iterations)
//! - [`poscar`] — POSCAR / CONTCAR (VASP 4 and 5 layouts, selective dynamics)
//! - [`potcar`] — POTCAR titles only (species for VASP 4 structure files)
//! - [`vasprun`] — vasprun.xml, streamed (energies, structures, DOS, normal modes)
//! - [`incar`] — INCAR tags (parameters of runs without an OUTCAR, layout hints)
//! - [`kpoints`] — KPOINTS (the k-point sampling of runs without an OUTCAR)
//! - [`numbers`] — Fortran number quirks shared by all readers
//! - [`source`] — opening plain or gzip files; byte-level line reading
//! - [`detect`] — telling the formats apart by name and content

pub mod detect;
pub mod doscar;
pub mod error;
pub mod incar;
pub mod kpoints;
pub mod numbers;
pub mod oszicar;
pub mod outcar;
pub mod poscar;
pub mod potcar;
pub mod source;
pub mod vasprun;
pub mod vtst;

pub use error::{ErrorKind, ParseError};
pub use oszicar::{read_oszicar, Oszicar};
pub use outcar::{read_outcar, Outcar};
pub use poscar::{read_poscar, Poscar};
