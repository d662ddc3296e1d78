//! The readers (`vasp_parsers::*::parse_*`) on byte slices, for the integration tests.
//!
//! The readers are generic over `Read`, and a generic function is compiled in the crate that
//! instantiates it, at that crate's opt-level. Called from `tests/` with `&[u8]`, the whole
//! reader (and quick-xml under `parse_vasprun`) was compiled at the test crate's opt-level 0,
//! whatever `[profile.dev.package]` said for vasp-parsers: the corruption sweep, which parses
//! each corpus file about 40 times, spent most of its minute there. These wrappers are the
//! same calls with the same arguments, instantiated here, where the workspace profile asks
//! for opt-level 2.

use vasp_parsers::doscar::{AtomFilter, Doscar, LayoutHint};
use vasp_parsers::oszicar::Oszicar;
use vasp_parsers::outcar::Outcar;
use vasp_parsers::poscar::Poscar;
use vasp_parsers::vasprun::{Options, Vasprun};
use vasp_parsers::ParseError;

/// `vasp_parsers::outcar::parse_outcar(b, name)`.
pub fn parse_outcar(b: &[u8], name: &str) -> Result<Outcar, ParseError> {
    vasp_parsers::outcar::parse_outcar(b, name)
}

/// `vasp_parsers::oszicar::parse_oszicar(b, name)`.
pub fn parse_oszicar(b: &[u8], name: &str) -> Result<Oszicar, ParseError> {
    vasp_parsers::oszicar::parse_oszicar(b, name)
}

/// `vasp_parsers::poscar::parse_poscar(b, name, species)`.
pub fn parse_poscar(
    b: &[u8],
    name: &str,
    species: Option<&[String]>,
) -> Result<Poscar, ParseError> {
    vasp_parsers::poscar::parse_poscar(b, name, species)
}

/// `vasp_parsers::doscar::parse_doscar(b, name, hint, atoms)`.
pub fn parse_doscar(
    b: &[u8],
    name: &str,
    hint: LayoutHint,
    atoms: &AtomFilter,
) -> Result<Doscar, ParseError> {
    vasp_parsers::doscar::parse_doscar(b, name, hint, atoms)
}

/// `vasp_parsers::vasprun::parse_vasprun(b, name, opts)`.
pub fn parse_vasprun(b: &[u8], name: &str, opts: &Options) -> Result<Vasprun, ParseError> {
    vasp_parsers::vasprun::parse_vasprun(b, name, opts)
}
