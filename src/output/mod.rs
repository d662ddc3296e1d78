//! Everything results become: ranking rows and their renderings (terminal table, Markdown,
//! CSV, JSON), figures (free-energy diagrams, descriptor and PDOS plots) drawn as SVG or PNG,
//! and the report directory of `chepath report`.
//!
//! - [`rows`]: one row per model; [`rows::Ranking`] renders them in every format
//! - [`figures`]: what to draw, from results (pure)
//! - [`plot`](mod@plot): drawing (plotters, embedded DejaVu Sans, Okabe–Ito colours)
//! - `labels`: placing the texts of a plot so that none overlaps another or the legend
//! - [`report`]: the main job's bundle of results, written to one directory

pub mod figures;
mod labels;
pub mod plot;
pub mod profile;
pub mod report;
pub mod rows;
