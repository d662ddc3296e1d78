//! `check`: an expected-values file compared with what its source gives now (`chepath
//! check`, `chepath.check()`).

use crate::checks::expected::{self as check, Current, Expected, Outcome};
use crate::error::Error;
use std::path::Path;

/// An expected-values file, read, and the comparisons of its values with the current ones.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file's text (for `--update`).
    pub text: String,
    pub expected: Expected,
    pub current: Current,
    pub outcomes: Vec<Outcome>,
}

/// Read `expected` (with `tolerance` overriding its default), compute its source's
/// current values, and compare them.
pub fn check(expected: &Path, tolerance: Option<f64>) -> Result<Checked, Error> {
    let name = expected.display().to_string();
    let text = crate::load::read_text(expected)?;
    let mut ex = check::parse_expected(&text, &name)?;
    if let Some(t) = tolerance {
        ex.tolerance = t;
    }
    let src = check::source_path(expected, &ex);
    let current = crate::load::load(&src, ex.template.as_deref())
        .and_then(|l| check::current(&l, ex.u, ex.ph))
        .map_err(|e| e.context(&format!("{name}: source {}", src.display())))?;
    let outcomes = check::compare(&ex, &current);
    Ok(Checked {
        text,
        expected: ex,
        current,
        outcomes,
    })
}
