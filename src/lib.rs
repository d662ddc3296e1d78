//! chepath: from raw VASP output to catalysis answers.
//!
//! The library holds the science and never prints; the `chepath` binary wires it to a
//! command line. Data flows one way, and each module uses only the ones listed above it
//! (`tests/layers.rs` checks this):
//!
//! | layer | modules | what |
//! |---|---|---|
//! | formats | [`vasp_parsers`] (the `parsers/` crate) | VASP files → typed records; no chemistry |
//! | 0 | [`error`] | the error type and its exit codes |
//! | 1 | [`conventions`], [`formula`], [`select`], [`thermo`], [`records`] | the typed choices; species formulas and balancing; atom selection; harmonic and ideal-gas thermochemistry; the JSON records of `parse` |
//! | 2 | [`network`] | network files and templates: what is special about a reaction, as data |
//! | 3 | [`load`] | the only reader: a network file or tree → [`load::Dataset`], each file once |
//! | 4 | [`dband`], [`pathway`], [`barrier`] | d-band descriptors; free energies and the CHE engine; reaction barriers (pure) |
//! | 5 | [`checks`] | lint on the dataset; expected values for CI |
//! | 6 | [`output`] | ranking rows (table, Markdown, CSV, JSON), figures, the report |
//! | 7 | [`api`] | what each command computes, as data: the CLI prints it, the Python package returns it |
//! | 7 | [`fuzzing`] | the calls of the fuzz targets |

pub mod api;
pub mod barrier;
pub mod bounds;
pub mod checks;
pub mod conventions;
pub mod dband;
pub mod error;
pub mod formula;
pub mod fuzzing;
pub mod load;
pub mod network;
pub mod output;
pub mod pathway;
pub mod records;
pub mod select;
pub mod thermo;

pub use vasp_parsers;
