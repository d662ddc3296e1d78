//! VTST's `freq.dat` (written by `dymmatrix.pl` from a finite-difference run): one mode per
//! line, `<wavenumber> cm^{-1} … <flag>`, the last field 1 for an imaginary mode and 0 for a
//! real one. Blank lines and `#` comments are skipped; any other line is an error naming it.

use crate::error::ParseError;
use crate::source::{text, Lines};
use std::path::Path;

/// The modes of a `freq.dat`, signed cm⁻¹ (imaginary negative), in file order.
pub fn read_freq_dat(path: &Path) -> Result<Vec<f64>, ParseError> {
    let name = path.display().to_string();
    let mut lines = Lines::new(crate::source::open(path)?);
    let mut out = Vec::new();
    let mut n = 0usize;
    while let Some((line, _, _)) = lines.next_line() {
        n += 1;
        let line = text(line);
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        out.push(mode(t).ok_or_else(|| {
            ParseError::format(
                &name,
                Some(n),
                "a mode line '<wavenumber> cm^{-1} ... <0|1>' (VTST dymmatrix.pl's freq.dat)",
                t.chars().take(80).collect::<String>(),
                "pass the frequency run's OUTCAR instead, or check that this is a freq.dat",
            )
        })?);
    }
    if out.is_empty() {
        return Err(ParseError::format(
            &name,
            None,
            "at least one mode line",
            "no mode",
            "the finite-difference analysis (dymmatrix.pl) did not finish; rerun it",
        ));
    }
    Ok(out)
}

/// `3685.330914 cm^{-1} ... 0` → 3685.33; the flag 1 makes it negative (imaginary).
fn mode(t: &str) -> Option<f64> {
    let mut f = t.split_whitespace();
    let v: f64 = f
        .next()?
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite() && *x >= 0.0)?;
    if !f.next()?.starts_with("cm") {
        return None;
    }
    match f.last()? {
        "1" => Some(-v),
        "0" => Some(v),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_flags() {
        assert_eq!(mode("  3685.330914 cm^{-1} ... 0"), Some(3685.330914));
        assert_eq!(mode("512.3 cm^{-1} ... 1"), Some(-512.3));
        assert_eq!(mode("512.3 meV ... 1"), None);
        assert_eq!(mode("512.3 cm^{-1} ... 2"), None);
        assert_eq!(mode("abc cm^{-1} ... 0"), None);
    }
}
