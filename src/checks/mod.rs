//! Checks on results and on the calculations behind them.
//!
//! - [`lint`]: the mistakes that silently wreck a free-energy diagram, found on the
//!   [`crate::load::Dataset`] before the ΔG are trusted
//! - [`expected`]: computed values against an expected-values file, for users' CI
//!   (`chepath check`, JUnit XML, rewriting the file with its comments kept)

pub mod expected;
pub mod lint;
