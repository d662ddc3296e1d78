//! chepath: from raw VASP output to catalysis answers.
//!
//! The library holds the science and never prints; the `chepath` binary wires it to a
//! command line. Data flows one way:
//!
//! - [`vasp_parsers`] (the `parsers/` crate): VASP files → typed records;
//! - [`calc`]: one calculation directory → its files, energies, structure, consistency;
//! - [`records`]: the JSON records of `chepath parse` (a documented, versioned schema).

pub mod calc;
pub mod che;
pub mod check;
pub mod dband;
pub mod error;
pub mod figures;
pub mod formula;
pub mod fuzzing;
pub mod lint;
pub mod network;
pub mod plot;
pub mod records;
pub mod report;
pub mod scan;
pub mod select;
pub mod summary;
pub mod thermo;

pub use vasp_parsers;
