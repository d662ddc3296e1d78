//! The integration tests, compiled as one binary: one link of the library, the CLI's
//! dependencies and plotters instead of one per file. Each file is still its own module
//! (`cargo test --test integration corruption::` runs one of them).

mod common;

mod bad_input;
mod barrier;
mod cli;
mod cli_che;
mod cli_check;
mod cli_dband;
mod cli_diagram;
mod cli_scan;
mod corpus_dband;
mod corpus_outcar;
mod corpus_pathway;
mod corpus_vasprun;
mod corruption;
mod figure_layout;
mod fuzz_regressions;
mod hostile;
mod layers;
mod layouts;
mod lint;
mod network_barriers;
mod option_sweep;
mod pathway;
mod products;
mod readme;
mod samples;
mod truncation;
