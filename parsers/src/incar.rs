//! INCAR: `TAG = value` lines, `!` and `#` comments, `;` separating several tags on a line.
//! Only read to learn how other files are laid out (ISPIN, LORBIT, LNONCOLLINEAR).

use crate::error::ParseError;
use crate::source::{text, Lines};
use std::collections::BTreeMap;
use std::path::Path;

/// Tags (upper-cased) and their values as written.
pub fn read_incar(path: &Path) -> Result<BTreeMap<String, String>, ParseError> {
    let mut lines = Lines::new(crate::source::open(path)?);
    let mut out = BTreeMap::new();
    while let Some((line, _, _)) = lines.next_line() {
        let line = text(line);
        let line = line.split(['!', '#']).next().unwrap_or("");
        for part in line.split(';') {
            if let Some((k, v)) = part.split_once('=') {
                let k = k.trim().to_ascii_uppercase();
                if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.insert(k, v.trim().to_string());
                }
            }
        }
    }
    Ok(out)
}

/// `T`, `.TRUE.`, `true` → Some(true); `F`, `.FALSE.` → Some(false).
pub fn flag(v: &str) -> Option<bool> {
    let v = v.trim().trim_start_matches('.').to_ascii_uppercase();
    match v.chars().next() {
        Some('T') => Some(true),
        Some('F') => Some(false),
        _ => None,
    }
}
