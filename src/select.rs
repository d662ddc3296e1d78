//! Atom selection: which atoms a descriptor is computed for.
//!
//! Grammar (terms joined by `,` form a union; indices are 1-based, as in VESTA and VASP's
//! own listings):
//!
//! | term | selects |
//! |---|---|
//! | `all` | every atom |
//! | `7` | atom 7 |
//! | `5-8` | atoms 5, 6, 7, 8 |
//! | `Cu` | every Cu atom |
//! | `Cu@N4` | Cu atoms with exactly four N neighbours within the cutoff |
//! | `Cu@N4C0` | …and no C neighbour (several counts may follow one another) |
//!
//! Neighbours are counted over periodic images (the 27 cells around the atom), so a site
//! near a cell face is seen whole. The cutoff is a setting (default [`DEFAULT_CUTOFF`] Å).

use nalgebra::{Matrix3, Vector3};
use serde::Serialize;

/// Default neighbour cutoff, Å: above Cu–N (≈1.9–2.1 Å) and Cu–C bonds, below second
/// neighbours in a graphene sheet (≈2.8 Å and more).
pub const DEFAULT_CUTOFF: f64 = 2.5;

/// d-block elements (and La, Ce, whose 5d/4f states VASP projects): the default selection
/// of a d-band analysis.
pub const D_BLOCK: [&str; 31] = [
    "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Y", "Zr", "Nb", "Mo", "Tc", "Ru",
    "Rh", "Pd", "Ag", "Cd", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "La", "Ce",
];

/// What a selection needs to know about the structure.
#[derive(Debug, Clone)]
pub struct Atoms<'a> {
    /// Element of every atom, in file order.
    pub elements: Vec<&'a str>,
    /// Lattice vectors as rows, Å.
    pub lattice: [[f64; 3]; 3],
    /// Cartesian positions, Å.
    pub positions: &'a [[f64; 3]],
}

/// A selection that could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SelectError {
    #[error("selection '{0}': {1}")]
    Syntax(String, String),
    #[error("selection '{0}' names elements, but no structure is known: pass --structure CONTCAR, or select by index")]
    NeedsStructure(String),
    #[error("selection '{sel}' matches no atom: {why}")]
    Empty { sel: String, why: String },
    #[error("selection '{sel}': atom {index} is out of range (the structure has {n} atoms)")]
    OutOfRange { sel: String, index: usize, n: usize },
}

impl From<SelectError> for crate::error::Error {
    fn from(e: SelectError) -> Self {
        crate::error::Error::Input(e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Term {
    All,
    Range(usize, usize),
    Element(String),
    Site(String, Vec<(String, usize)>),
}

fn parse_term(t: &str, sel: &str) -> Result<Term, SelectError> {
    let err = |m: &str| SelectError::Syntax(sel.to_string(), m.to_string());
    let t = t.trim();
    if t.eq_ignore_ascii_case("all") {
        return Ok(Term::All);
    }
    if t.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let (a, b) = match t.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (t, t),
        };
        let a: usize = a
            .parse()
            .map_err(|_| err(&format!("'{t}' is not an index or range like 5-8")))?;
        let b: usize = b
            .parse()
            .map_err(|_| err(&format!("'{t}' is not an index or range like 5-8")))?;
        if a == 0 || b < a {
            return Err(err(&format!(
                "'{t}': indices start at 1 and ranges go upwards"
            )));
        }
        return Ok(Term::Range(a, b));
    }
    let is_symbol = |s: &str| {
        let mut c = s.chars();
        matches!(c.next(), Some(x) if x.is_ascii_uppercase())
            && c.all(|x| x.is_ascii_lowercase())
            && s.len() <= 3
    };
    match t.split_once('@') {
        None if is_symbol(t) => Ok(Term::Element(t.to_string())),
        None => Err(err(&format!("'{t}' is neither an element (Cu), an index (7), a range (5-8), a site (Cu@N4) nor 'all'"))),
        Some((el, rest)) => {
            if !is_symbol(el) {
                return Err(err(&format!("'{el}' before '@' is not an element symbol")));
            }
            let mut counts = Vec::new();
            let mut chars = rest.chars().peekable();
            while chars.peek().is_some() {
                let mut sym = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_alphabetic() && (sym.is_empty() || c.is_ascii_lowercase()) {
                        sym.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let mut num = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_ascii_digit() {
                        num.push(c);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if !is_symbol(&sym) || num.is_empty() {
                    return Err(err(&format!("after '@' expected neighbour counts like N4 or N4C0, found '{rest}'")));
                }
                counts.push((sym, num.parse().map_err(|_| err("neighbour count too large"))?));
            }
            if counts.is_empty() {
                return Err(err("after '@' expected neighbour counts like N4"));
            }
            Ok(Term::Site(el.to_string(), counts))
        }
    }
}

/// Number of atoms of `element` within `cutoff` of atom `i` (periodic images included).
pub fn neighbours(atoms: &Atoms, i: usize, element: &str, cutoff: f64) -> usize {
    let l = Matrix3::from_row_slice(&atoms.lattice.concat());
    let pi = Vector3::from_row_slice(&atoms.positions[i]);
    let mut n = 0;
    for (j, (el, pj)) in atoms.elements.iter().zip(atoms.positions).enumerate() {
        if *el != element {
            continue;
        }
        let pj = Vector3::from_row_slice(pj);
        'images: for a in -1i32..=1 {
            for b in -1i32..=1 {
                for c in -1i32..=1 {
                    if j == i && a == 0 && b == 0 && c == 0 {
                        continue;
                    }
                    let shift = l.transpose() * Vector3::new(a as f64, b as f64, c as f64);
                    if (pj + shift - pi).norm() <= cutoff {
                        n += 1;
                        break 'images;
                    }
                }
            }
        }
    }
    n
}

/// A resolved selection: 1-based indices, sorted, unique, and how it was read.
#[derive(Debug, Clone, Serialize)]
pub struct Selection {
    pub expression: String,
    pub indices: Vec<usize>,
    /// Neighbour cutoff used for `El@…` terms, Å.
    pub cutoff: Option<f64>,
}

/// Resolve `expr` against a structure (`None`: indices only) of `natoms` atoms.
pub fn select(
    expr: &str,
    atoms: Option<&Atoms>,
    natoms: usize,
    cutoff: f64,
) -> Result<Selection, SelectError> {
    let mut out: Vec<usize> = Vec::new();
    let mut used_cutoff = false;
    let mut why: Vec<String> = Vec::new();
    for t in expr.split(',').filter(|t| !t.trim().is_empty()) {
        match parse_term(t, expr)? {
            Term::All => out.extend(1..=natoms),
            Term::Range(a, b) => {
                if b > natoms {
                    return Err(SelectError::OutOfRange {
                        sel: expr.to_string(),
                        index: b,
                        n: natoms,
                    });
                }
                out.extend(a..=b);
            }
            Term::Element(el) => {
                let a = atoms.ok_or_else(|| SelectError::NeedsStructure(expr.to_string()))?;
                let before = out.len();
                out.extend(
                    a.elements
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| **e == el)
                        .map(|(i, _)| i + 1),
                );
                if out.len() == before {
                    let mut present: Vec<&str> = a.elements.clone();
                    present.sort();
                    present.dedup();
                    why.push(format!(
                        "no {el} in the structure (it has {})",
                        present.join(", ")
                    ));
                }
            }
            Term::Site(el, counts) => {
                used_cutoff = true;
                let a = atoms.ok_or_else(|| SelectError::NeedsStructure(expr.to_string()))?;
                let mut seen = Vec::new();
                for (i, e) in a.elements.iter().enumerate() {
                    if **e != el {
                        continue;
                    }
                    let got: Vec<usize> = counts
                        .iter()
                        .map(|(nb, _)| neighbours(a, i, nb, cutoff))
                        .collect();
                    if counts.iter().zip(&got).all(|((_, want), g)| want == g) {
                        out.push(i + 1);
                    }
                    let desc: Vec<String> = counts
                        .iter()
                        .zip(&got)
                        .map(|((nb, _), g)| format!("{g} {nb}"))
                        .collect();
                    seen.push(format!("{el}{} has {}", i + 1, desc.join(", ")));
                }
                if seen.is_empty() {
                    why.push(format!("no {el} in the structure"));
                } else {
                    why.push(format!("within {cutoff} Å: {}", seen.join("; ")));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    if out.is_empty() {
        return Err(SelectError::Empty {
            sel: expr.to_string(),
            why: if why.is_empty() {
                "nothing selected".into()
            } else {
                why.join("; ")
            },
        });
    }
    Ok(Selection {
        expression: expr.to_string(),
        indices: out,
        cutoff: used_cutoff.then_some(cutoff),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CuN4 site whose N atoms straddle the cell faces, a second Cu with 2 N, and a C.
    fn cell() -> (Vec<&'static str>, Vec<[f64; 3]>) {
        let el = vec!["Cu", "N", "N", "N", "N", "Cu", "N", "N", "C"];
        let p = vec![
            [0.0, 0.0, 5.0],
            [1.9, 0.0, 5.0],
            [8.1, 0.0, 5.0], // -1.9 through the x face
            [0.0, 1.9, 5.0],
            [0.0, 8.1, 5.0], // -1.9 through the y face
            [5.0, 5.0, 5.0],
            [6.9, 5.0, 5.0],
            [3.1, 5.0, 5.0],
            [5.0, 7.0, 5.0],
        ];
        (el, p)
    }

    #[test]
    fn grammar() {
        let (el, p) = cell();
        let a = Atoms {
            elements: el,
            lattice: [[10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]],
            positions: &p,
        };
        assert_eq!(select("Cu", Some(&a), 9, 2.5).unwrap().indices, vec![1, 6]);
        assert_eq!(
            select("1,3-4,Cu", Some(&a), 9, 2.5).unwrap().indices,
            vec![1, 3, 4, 6]
        );
        assert_eq!(
            select("Cu@N4", Some(&a), 9, 2.5).unwrap().indices,
            vec![1],
            "periodic images count"
        );
        assert_eq!(select("Cu@N2", Some(&a), 9, 2.5).unwrap().indices, vec![6]);
        assert_eq!(
            select("Cu@N2C1", Some(&a), 9, 2.5).unwrap().indices,
            vec![6]
        );
        assert_eq!(select("all", None, 3, 2.5).unwrap().indices, vec![1, 2, 3]);
    }

    #[test]
    fn errors_say_why() {
        let (el, p) = cell();
        let a = Atoms {
            elements: el,
            lattice: [[10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]],
            positions: &p,
        };
        let e = select("Cu@N3", Some(&a), 9, 2.5).unwrap_err().to_string();
        assert!(
            e.contains("Cu1 has 4 N") && e.contains("Cu6 has 2 N"),
            "{e}"
        );
        assert!(select("Fe", Some(&a), 9, 2.5)
            .unwrap_err()
            .to_string()
            .contains("it has C, Cu, N"));
        assert!(matches!(
            select("Cu", None, 9, 2.5),
            Err(SelectError::NeedsStructure(_))
        ));
        assert!(matches!(
            select("10", Some(&a), 9, 2.5),
            Err(SelectError::OutOfRange { .. })
        ));
        assert!(matches!(
            select("cu", Some(&a), 9, 2.5),
            Err(SelectError::Syntax(..))
        ));
        assert!(matches!(
            select("0-2", Some(&a), 9, 2.5),
            Err(SelectError::Syntax(..))
        ));
    }
}
