//! POTCAR: only the `TITEL` line of each pseudopotential is read (species names for a VASP 4
//! POSCAR). The POTCAR itself is licensed VASP data; chepath never copies it.

use crate::error::ParseError;
use crate::source::{text, trim, trim_start, Lines};
use std::path::Path;

/// `TITEL` values in file order, e.g. `["PAW_PBE Cu 05Jan2001", "PAW_PBE N 08Apr2002"]`.
pub fn read_titles(path: &Path) -> Result<Vec<String>, ParseError> {
    let mut lines = Lines::new(crate::source::open(path)?);
    let mut titles = Vec::new();
    while let Some((line, _, _)) = lines.next_line() {
        let t = trim_start(line);
        if let Some(rest) = t.strip_prefix(b"TITEL") {
            if let Some(k) = memchr::memchr(b'=', rest) {
                titles.push(text(trim(&rest[k + 1..])));
            }
        }
    }
    if titles.is_empty() {
        return Err(ParseError::format(
            &path.display().to_string(),
            None,
            "a POTCAR with 'TITEL =' lines",
            format!("{} lines without one", lines.line_no),
            "check that this is the POTCAR of the run",
        ));
    }
    Ok(titles)
}

/// Element symbols from POTCAR titles.
pub fn species_from_titles(titles: &[String]) -> Vec<String> {
    titles
        .iter()
        .map(|t| crate::outcar::element_from_title(t))
        .collect()
}
