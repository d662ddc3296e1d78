//! Everything results become: ranking rows and their renderings (terminal table, Markdown,
//! CSV, JSON), figures (free-energy diagrams, descriptor and PDOS plots) drawn as SVG or PNG,
//! and the report directory of `chepath report`.
//!
//! - [`rows`]: one row per model; [`rows::Ranking`] renders them in every format
//! - [`figures`]: what to draw, from results (pure)
//! - [`plot`](mod@plot): drawing (plotters, embedded DejaVu Sans, Okabe–Ito colours)
//! - [`report`]: the main job's bundle of results, written to one directory

pub mod figures;
pub mod plot;
pub mod profile;
pub mod report;
pub mod rows;
