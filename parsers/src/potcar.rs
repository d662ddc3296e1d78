//! POTCAR: only the `TITEL` line of each pseudopotential is read (species names for a VASP 4
//! POSCAR, the POTCARs of runs without an OUTCAR). The POTCAR itself is licensed VASP data;
//! chepath never copies it. Published datasets often hold a title list instead (the first
//! line of each pseudopotential, `PAW_PBE Fe 06Sep2000`, one per line): read as the titles.

use crate::error::ParseError;
use crate::source::{text, trim, trim_start, Lines};
use std::path::Path;

/// `TITEL` values in file order, e.g. `["PAW_PBE Cu 05Jan2001", "PAW_PBE N 08Apr2002"]`.
pub fn read_titles(path: &Path) -> Result<Vec<String>, ParseError> {
    let mut lines = Lines::new(crate::source::open(path)?);
    let mut titles = Vec::new();
    // Lines that look like a pseudopotential's first line: the title list's entries.
    let mut listed = Vec::new();
    let mut other = 0usize;
    while let Some((line, _, _)) = lines.next_line() {
        let t = trim_start(line);
        if let Some(rest) = t.strip_prefix(b"TITEL") {
            if let Some(k) = memchr::memchr(b'=', rest) {
                titles.push(text(trim(&rest[k + 1..])));
            }
        } else if t.starts_with(b"PAW") || t.starts_with(b"US ") || t.starts_with(b"NC ") {
            listed.push(text(trim(t)));
        } else if !trim(t).is_empty() {
            other += 1;
        }
    }
    if titles.is_empty() && other == 0 && !listed.is_empty() {
        titles = listed;
    }
    if titles.is_empty() {
        return Err(ParseError::format(
            &path.display().to_string(),
            None,
            "a POTCAR with 'TITEL =' lines, or a list of POTCAR titles ('PAW_PBE Fe 06Sep2000')",
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
