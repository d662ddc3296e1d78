//! What each command computes, as data: the CLI prints these, the Python package returns
//! them. Everything a command decides (which reader, which model, which defaults) is here,
//! so `chepath parse --json` and `chepath.parse()` cannot disagree.

pub mod barrier;
pub mod check;
pub mod dband;
pub mod diagram;
pub mod parse;
pub mod thermo;
