//! POSCAR / CONTCAR: the structure format VASP reads and writes.
//!
//! Layout: comment; scale (one number, negative = target volume in Å³; or three numbers,
//! one per Cartesian axis); three lattice vectors; species names (VASP 5; absent in VASP 4
//! files); counts (species and count lines may wrap over several lines); optional
//! `Selective dynamics`; `Direct` or `Cartesian`; one line per atom (three coordinates,
//! three T/F flags with selective dynamics). Anything after the atoms (lattice velocities,
//! velocities, predictor-corrector block of a CONTCAR) is ignored.
//!
//! A VASP 4 file has no species line: the species must come from elsewhere (the POTCAR
//! titles of an OUTCAR or POTCAR beside it) and are passed in; without them the reader
//! refuses, rather than guess as pymatgen does (it names every atom hydrogen).

use crate::error::{show, ParseError};
use crate::numbers::{parse_f64, parse_i64};
use crate::source::{fields, text, trim, LineEnd, Lines};
use nalgebra::{Matrix3, Vector3};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// Where the species names came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpeciesSource {
    /// The species line of the file (VASP 5 layout).
    File,
    /// A VASP 4 file whose coordinate lines end with the element of each atom.
    AtomLabels,
    /// Supplied by the caller for a VASP 4 file (from an OUTCAR or POTCAR).
    Supplied,
}

/// A structure read from a POSCAR or CONTCAR.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Poscar {
    pub comment: String,
    /// Lattice vectors as rows, in Å, scale applied.
    pub lattice: [[f64; 3]; 3],
    /// Element symbols, one per species (`Fe_pv` and `Fe/3a1b` labels reduced to `Fe`).
    pub species: Vec<String>,
    /// The species labels as written.
    pub labels: Vec<String>,
    pub species_source: SpeciesSource,
    pub counts: Vec<usize>,
    pub natoms: usize,
    /// `direct` or `cartesian`, as in the file.
    pub coordinates: String,
    /// Cartesian positions in Å, scale applied.
    pub positions_cartesian: Vec<[f64; 3]>,
    /// Fractional positions.
    pub positions_direct: Vec<[f64; 3]>,
    /// Per-atom T/F flags when the file has `Selective dynamics`.
    pub selective_dynamics: Option<Vec<[bool; 3]>>,
    /// Cell volume, Å³.
    pub volume: f64,
    pub warnings: Vec<String>,
}

impl Poscar {
    /// Element of every atom, in file order.
    pub fn elements(&self) -> Vec<&str> {
        let mut v = Vec::with_capacity(crate::source::capacity(self.natoms));
        for (s, &n) in self.species.iter().zip(&self.counts) {
            for _ in 0..n {
                v.push(s.as_str());
            }
        }
        v
    }

    /// Reduced formula-like string in file order: `Ni64 O4 H1`.
    pub fn formula(&self) -> String {
        let mut parts: Vec<(String, usize)> = Vec::new();
        for (s, &n) in self.species.iter().zip(&self.counts) {
            match parts.iter_mut().find(|(e, _)| e == s) {
                Some(p) => p.1 += n,
                None => parts.push((s.clone(), n)),
            }
        }
        parts
            .iter()
            .map(|(e, n)| format!("{e}{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Read a POSCAR/CONTCAR from a path. `species` is used only for a VASP 4 file.
pub fn read_poscar(path: &Path, species: Option<&[String]>) -> Result<Poscar, ParseError> {
    let reader = crate::source::open(path)?;
    parse_poscar(reader, &path.display().to_string(), species)
}

/// `Fe_pv` → `Fe`, `Fe/3a1b2c` → `Fe`, `Fe1` → `Fe`.
pub fn element_of_label(label: &str) -> String {
    label
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect()
}

struct Reader<'a, R: Read> {
    lines: Lines<R>,
    name: &'a str,
    /// A line that was used although it had no newline (the file may be cut there).
    cut_line: Option<usize>,
}

impl<R: Read> Reader<'_, R> {
    fn next(&mut self, what: &str) -> Result<(Vec<u8>, usize), ParseError> {
        match self.lines.next_line() {
            Some((l, end, no)) => {
                if end == LineEnd::Eof {
                    self.cut_line = Some(no);
                }
                Ok((l.to_vec(), no))
            }
            None => {
                let found = match &self.lines.io_error {
                    Some(e) => format!("a read error ({e})"),
                    None => "the end of the file".to_string(),
                };
                Err(ParseError::format(
                    self.name,
                    Some(self.lines.line_no + 1),
                    what,
                    found,
                    "the file is cut short; regenerate it or use the CONTCAR/POSCAR of a finished run",
                ))
            }
        }
    }

    fn err(&self, no: usize, expected: &str, line: &[u8], hint: &str) -> ParseError {
        ParseError::format(self.name, Some(no), expected, show(line, 60), hint)
    }

    fn floats(&self, line: &[u8], no: usize, n: usize, what: &str) -> Result<Vec<f64>, ParseError> {
        let mut out = Vec::with_capacity(crate::source::capacity(n));
        for f in fields(line).take(n) {
            match parse_f64(f) {
                Ok(x) if x.is_finite() => out.push(x),
                _ => return Err(self.err(no, what, line, "")),
            }
        }
        if out.len() < n {
            return Err(self.err(no, what, line, ""));
        }
        Ok(out)
    }

    /// The three T/F flags after the coordinates of atom `k` (0-based) on line `l`.
    fn flags(&self, l: &[u8], no: usize, k: usize) -> Result<[bool; 3], ParseError> {
        let f: Vec<&[u8]> = fields(l).skip(3).take(3).collect();
        let mut b = [true; 3];
        if f.len() < 3 {
            return Err(self.err(
                no,
                &format!("three T/F flags for atom {} (Selective dynamics)", k + 1),
                l,
                "",
            ));
        }
        for (i, t) in f.iter().enumerate() {
            b[i] = match t.first() {
                Some(b'T') | Some(b't') => true,
                Some(b'F') | Some(b'f') => false,
                _ => return Err(self.err(no, &format!("T or F flags for atom {}", k + 1), l, "")),
            };
        }
        Ok(b)
    }
}

/// A line and its 1-based number, kept for errors about it later.
type NumberedLine = (usize, Vec<u8>);

/// The species and counts lines of a POSCAR.
struct Counts {
    /// Species labels as written; empty for a VASP 4 file.
    labels: Vec<String>,
    counts: Vec<usize>,
    /// The (last) counts line and its number, for errors about the species.
    line: NumberedLine,
}

/// The atom lines of a POSCAR.
struct Atoms {
    cart: Vec<[f64; 3]>,
    frac: Vec<[f64; 3]>,
    /// T/F flags per atom; empty without selective dynamics.
    flags: Vec<[bool; 3]>,
    /// The element name after each atom's coordinates, where there is one.
    labels: Vec<Option<String>>,
}

/// Read a POSCAR/CONTCAR from any buffered reader.
pub fn parse_poscar<R: Read>(
    reader: R,
    name: &str,
    supplied_species: Option<&[String]>,
) -> Result<Poscar, ParseError> {
    let mut r = Reader {
        lines: Lines::new(reader),
        name,
        cut_line: None,
    };
    let mut warnings = Vec::new();
    let comment = read_comment(&mut r)?;
    let (scale, scale_line) = read_scale(&mut r)?;
    let (lat, scale_cart) = read_lattice(&mut r, &scale, &scale_line)?;
    let volume = lat.determinant().abs();
    if volume < 1e-8 {
        warnings.push(format!(
            "{name}: the lattice vectors are (nearly) linearly dependent: volume {volume:.3e} Å³"
        ));
    }
    let Counts {
        mut labels,
        counts,
        line: counts_line,
    } = read_counts(&mut r)?;
    // read_counts checked that the sum does not overflow
    let natoms: usize = counts.iter().fold(0usize, |a, n| a.saturating_add(*n));
    let (selective, cartesian) = read_mode(&mut r, &mut warnings)?;
    let atoms = read_atoms(&mut r, natoms, selective, cartesian, &lat, scale_cart)?;
    if let Some(w) = extra_coordinates(&mut r, natoms) {
        warnings.push(w);
    }
    let species_source = if !labels.is_empty() {
        SpeciesSource::File
    } else if let Some(found) = labels_from_atoms(&atoms.labels, &counts) {
        labels = found;
        SpeciesSource::AtomLabels
    } else {
        labels = supplied(name, supplied_species, &counts, counts_line)?;
        SpeciesSource::Supplied
    };
    let species: Vec<String> = labels.iter().map(|s| element_of_label(s)).collect();
    if let Some(no) = r.cut_line {
        warnings.push(format!(
            "{name}:{no}: this line, which the structure needs, has no newline: if the file was cut there, its last number may be shortened"
        ));
    }
    let mut lattice = [[0.0; 3]; 3];
    for (i, row) in lattice.iter_mut().enumerate() {
        for (j, x) in row.iter_mut().enumerate() {
            *x = lat[(i, j)];
        }
    }
    Ok(Poscar {
        comment,
        lattice,
        species,
        labels,
        species_source,
        counts,
        natoms,
        coordinates: if cartesian { "cartesian" } else { "direct" }.into(),
        positions_cartesian: atoms.cart,
        positions_direct: atoms.frac,
        selective_dynamics: if selective { Some(atoms.flags) } else { None },
        volume,
        warnings,
    })
}

/// Line 1, the comment: refused when it holds control bytes (a binary file).
fn read_comment<R: Read>(r: &mut Reader<'_, R>) -> Result<String, ParseError> {
    let (comment, _) = r.next("a comment line (line 1 of a POSCAR)")?;
    if memchr::memchr(0, &comment).is_some() || comment.iter().filter(|&&b| b < 9).count() > 0 {
        return Err(r.err(
            1,
            "a POSCAR comment line",
            &comment,
            "this looks like a binary file, not a POSCAR",
        ));
    }
    Ok(text(trim(&comment)))
}

/// Line 2, the scale: one number (negative: a target volume, Å³) or three (per axis), none
/// zero; returned with the line and its number, for later errors.
fn read_scale<R: Read>(r: &mut Reader<'_, R>) -> Result<(Vec<f64>, NumberedLine), ParseError> {
    let (l, no) = r.next("the scale factor (line 2)")?;
    let sf: Vec<&[u8]> = fields(&l).collect();
    let scale_vals: Vec<f64> = sf
        .iter()
        .take(3)
        .filter_map(|f| parse_f64(f).ok())
        .collect();
    let scale: Vec<f64> = match scale_vals.len() {
        1 => scale_vals,
        3 if sf.len() >= 3 => scale_vals,
        _ if !scale_vals.is_empty() => vec![scale_vals[0]],
        _ => {
            return Err(r.err(
                no,
                "a scale factor (one number, or three; negative means a target volume)",
                &l,
                "this does not look like a POSCAR/CONTCAR",
            ))
        }
    };
    if scale.iter().any(|s| *s == 0.0 || !s.is_finite()) {
        return Err(r.err(no, "a non-zero scale factor", &l, ""));
    }
    Ok((scale, (no, l)))
}

/// Lines 3–5, the lattice vectors, with the scale applied: per axis for three factors;
/// for one negative factor s, scaled by (−s/V₀)^{1/3} so that the volume is −s. Returns the
/// lattice (rows) and the factor Cartesian coordinates are scaled by.
fn read_lattice<R: Read>(
    r: &mut Reader<'_, R>,
    scale: &[f64],
    (no, l): &NumberedLine,
) -> Result<(Matrix3<f64>, f64), ParseError> {
    let no = *no;
    let mut rows = [[0.0f64; 3]; 3];
    for row in rows.iter_mut() {
        let (l, no) = r.next("a lattice vector (three numbers)")?;
        let v = r.floats(&l, no, 3, "a lattice vector (three numbers)")?;
        row.copy_from_slice(&v);
    }
    let mut lat = Matrix3::from_row_slice(&[
        rows[0][0], rows[0][1], rows[0][2], rows[1][0], rows[1][1], rows[1][2], rows[2][0],
        rows[2][1], rows[2][2],
    ]);
    let mut scale_cart = 1.0;
    if scale.len() == 3 {
        if scale.iter().any(|s| *s < 0.0) {
            return Err(r.err(
                no,
                "three positive scale factors",
                l,
                "a negative scale (volume) is only allowed as a single number",
            ));
        }
        for i in 0..3 {
            for j in 0..3 {
                lat[(i, j)] *= scale[j];
            }
        }
    } else if scale[0] < 0.0 {
        let v0 = lat.determinant().abs();
        if v0 == 0.0 {
            return Err(r.err(
                no,
                "lattice vectors that span a volume",
                l,
                "the lattice is singular",
            ));
        }
        let s = (-scale[0] / v0).cbrt();
        lat *= s;
        scale_cart = s;
    } else {
        lat *= scale[0];
        scale_cart = scale[0];
    }
    Ok((lat, scale_cart))
}

/// Line 6 on: the species names (VASP 5; absent in VASP 4) and the atom counts, each
/// possibly wrapped over several lines; one count per species.
fn read_counts<R: Read>(r: &mut Reader<'_, R>) -> Result<Counts, ParseError> {
    let mut labels: Vec<String> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let (mut l, mut no) = r.next("species names or atom counts (line 6)")?;
    loop {
        let toks: Vec<&[u8]> = fields(&l).collect();
        let Some(first) = toks.first() else {
            return Err(r.err(
                no,
                "species names or atom counts",
                &l,
                "line 6 of a POSCAR must not be empty",
            ));
        };
        if first[0].is_ascii_alphabetic() && counts.is_empty() {
            labels.extend(toks.iter().map(|t| text(t)));
            let (nl, nn) = r.next("atom counts after the species line")?;
            l = nl;
            no = nn;
            continue;
        }
        if parse_i64(first).is_err() {
            return Err(r.err(no, "atom counts (integers)", &l, ""));
        }
        for t in &toks {
            match parse_i64(t) {
                Ok(n) if n >= 0 => counts.push(n as usize),
                // A trailing comment after the counts is allowed.
                _ if !counts.is_empty() => break,
                _ => return Err(r.err(no, "atom counts (non-negative integers)", &l, "")),
            }
        }
        if labels.is_empty() || counts.len() >= labels.len() {
            break;
        }
        let (nl, nn) = r.next("more atom counts (the species line lists more species)")?;
        l = nl;
        no = nn;
    }
    if !labels.is_empty() && counts.len() != labels.len() {
        return Err(ParseError::format(
            r.name,
            Some(no),
            format!("{} atom counts, one per species", labels.len()),
            format!("{} counts", counts.len()),
            "",
        ));
    }
    // Counts whose sum does not fit are damage, not a structure (checked, never wrapped).
    if counts
        .iter()
        .try_fold(0usize, |a, n| a.checked_add(*n))
        .is_none()
    {
        return Err(r.err(
            no,
            "atom counts whose sum fits in memory",
            &l,
            "the counts line is damaged",
        ));
    }
    Ok(Counts {
        labels,
        counts,
        line: (no, l),
    })
}

/// The optional `Selective dynamics` line and the coordinate mode: (selective, cartesian).
/// A mode that is neither Direct nor Cartesian is read as Direct, with a warning.
fn read_mode<R: Read>(
    r: &mut Reader<'_, R>,
    warnings: &mut Vec<String>,
) -> Result<(bool, bool), ParseError> {
    let (mut l, mut no) = r.next("'Selective dynamics', 'Direct' or 'Cartesian'")?;
    let mut selective = false;
    let first = crate::source::trim_start(&l)
        .first()
        .copied()
        .unwrap_or(b' ');
    if first == b'S' || first == b's' {
        selective = true;
        let (nl, nn) = r.next("'Direct' or 'Cartesian' after 'Selective dynamics'")?;
        l = nl;
        no = nn;
    }
    let c = crate::source::trim_start(&l)
        .first()
        .copied()
        .unwrap_or(b' ');
    let cartesian = matches!(c, b'C' | b'c' | b'K' | b'k');
    if !cartesian && !matches!(c, b'D' | b'd') {
        warnings.push(format!(
            "{}:{no}: coordinate mode {} is neither Direct nor Cartesian; read as Direct, as VASP does",
            r.name,
            show(&l, 30)
        ));
    }
    Ok((selective, cartesian))
}

/// The `natoms` atom lines: three coordinates (Cartesian ones scaled by `scale_cart`), both
/// Cartesian and fractional positions kept; with selective dynamics three T/F flags; an
/// element name after them, where there is one.
fn read_atoms<R: Read>(
    r: &mut Reader<'_, R>,
    natoms: usize,
    selective: bool,
    cartesian: bool,
    lat: &Matrix3<f64>,
    scale_cart: f64,
) -> Result<Atoms, ParseError> {
    let inv = lat.try_inverse();
    let mut cart = Vec::with_capacity(crate::source::capacity(natoms));
    let mut frac = Vec::with_capacity(crate::source::capacity(natoms));
    let mut flags = Vec::new();
    let mut atom_labels: Vec<Option<String>> = Vec::with_capacity(crate::source::capacity(natoms));
    for k in 0..natoms {
        let what = format!("coordinates of atom {} of {natoms}", k + 1);
        let (l, no) = r.next(&what)?;
        let v = r.floats(
            &l,
            no,
            3,
            &format!("three coordinates for atom {} of {natoms}", k + 1),
        )?;
        let p = Vector3::new(v[0], v[1], v[2]);
        let (pc, pf) = if cartesian {
            let pc = p * scale_cart;
            let pf = inv.map(|m| m.transpose() * pc).unwrap_or(Vector3::zeros());
            (pc, pf)
        } else {
            (lat.transpose() * p, p)
        };
        cart.push([pc.x, pc.y, pc.z]);
        frac.push([pf.x, pf.y, pf.z]);
        let label_at = if selective { 6 } else { 3 };
        atom_labels.push(
            fields(&l)
                .nth(label_at)
                .filter(|t| t[0].is_ascii_alphabetic())
                .map(text),
        );
        if selective {
            flags.push(r.flags(&l, no, k)?);
        }
    }
    Ok(Atoms {
        cart,
        frac,
        flags,
        labels: atom_labels,
    })
}

/// The line after the last atom: VASP writes a blank line there (before a CONTCAR's
/// velocities) or ends the file. Another coordinate line means more lines than the counts
/// give atoms: a duplicated or extra line shifted the positions (or the counts are short).
fn extra_coordinates<R: Read>(r: &mut Reader<'_, R>, natoms: usize) -> Option<String> {
    let (l, _, no) = r.lines.next_line()?;
    let numbers = fields(l)
        .take(3)
        .filter(|t| crate::numbers::parse_f64(t).is_ok())
        .count();
    (numbers == 3).then(|| {
        format!(
            "{}:{no}: a coordinate line after the {natoms} atoms the counts give ({}): a duplicated or extra line would shift every position after it; check the file (VASP writes a blank line here)",
            r.name,
            show(l, 60)
        )
    })
}

/// The species of a VASP 4 file from the caller (`supplied`), one per count; an error naming
/// the counts line (`counts_line`) when there are none or their number is wrong.
fn supplied(
    name: &str,
    supplied: Option<&[String]>,
    counts: &[usize],
    counts_line: NumberedLine,
) -> Result<Vec<String>, ParseError> {
    let (no, l) = counts_line;
    match supplied {
        Some(sp) if sp.len() == counts.len() => Ok(sp.to_vec()),
        Some(sp) => Err(ParseError::format(
            name,
            Some(no),
            format!("{} species (one per count on this line)", counts.len()),
            format!("{} species supplied ({})", sp.len(), sp.join(" ")),
            "the OUTCAR/POTCAR beside this file belongs to another structure; pass the right one with --species-from",
        )),
        None => Err(ParseError::format(
            name,
            Some(no),
            "a species line before the atom counts (VASP 5 layout), or an element name after each atom's coordinates",
            format!("counts only: {}", show(&l, 40)),
            "this is a VASP 4 POSCAR; put the OUTCAR or POTCAR of the run beside it, or pass --species-from FILE (chepath never guesses species)",
        )),
    }
}

/// Species from per-atom labels (`0.1 0.2 0.3 Fe`): every atom labelled, one label per
/// count block.
fn labels_from_atoms(atom_labels: &[Option<String>], counts: &[usize]) -> Option<Vec<String>> {
    let mut out = Vec::with_capacity(crate::source::capacity(counts.len()));
    let mut k = 0;
    for &n in counts {
        let block = atom_labels.get(k..k + n)?;
        let first = block.first()?.as_ref()?;
        let el = element_of_label(first);
        if el.is_empty()
            || block
                .iter()
                .any(|b| b.as_ref().map(|x| element_of_label(x)) != Some(el.clone()))
        {
            return None;
        }
        out.push(el);
        k += n;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SI: &[u8] = b"Si\n  -40.154237\n 0 2.7 2.7\n 2.7 0 2.7\n 2.7 2.7 0\n Si\n 2\nDirect\n 0 0 0\n 0.25 0.25 0.25\n";

    #[test]
    fn volume_scale() {
        let p = parse_poscar(SI, "t", None).unwrap();
        assert!((p.volume - 40.154237).abs() < 1e-9);
        assert_eq!(p.natoms, 2);
    }

    #[test]
    fn counts_that_overflow_are_refused_not_wrapped() {
        let big = i64::MAX;
        let s = format!("x\n1.0\n1 0 0\n0 1 0\n0 0 1\nA B C\n{big} {big} {big}\nDirect\n0 0 0\n");
        let e = parse_poscar(s.as_bytes(), "t", None).unwrap_err();
        assert_eq!(e.line, Some(7), "{e}");
        assert!(e.hint.contains("damaged"), "{e}");
    }

    #[test]
    fn a_duplicated_coordinate_line_is_named() {
        // three atoms; the first coordinate line written twice pushes the others down
        let good = "x\n1.0\n4 0 0\n0 4 0\n0 0 4\nNi\n3\nDirect\n0 0 0\n0.5 0 0\n0 0.5 0\n\n0 0 0\n";
        let p = parse_poscar(good.as_bytes(), "t", None).unwrap();
        assert!(
            p.warnings.is_empty(),
            "a blank line then velocities: {:?}",
            p.warnings
        );
        let dup = "x\n1.0\n4 0 0\n0 4 0\n0 0 4\nNi\n3\nDirect\n0 0 0\n0 0 0\n0.5 0 0\n0 0.5 0\n";
        let p = parse_poscar(dup.as_bytes(), "t", None).unwrap();
        assert!(
            p.warnings
                .iter()
                .any(|w| w.starts_with("t:12: a coordinate line after the 3 atoms")),
            "{:?}",
            p.warnings
        );
        // a file that just ends after its atoms is fine
        let end = "x\n1.0\n4 0 0\n0 4 0\n0 0 4\nNi\n1\nDirect\n0 0 0\n";
        assert!(parse_poscar(end.as_bytes(), "t", None)
            .unwrap()
            .warnings
            .is_empty());
    }

    #[test]
    fn vasp4_needs_species() {
        let s = b"x\n1.0\n1 0 0\n0 1 0\n0 0 1\n2\nCartesian\n0 0 0\n0.5 0.5 0.5\n";
        let e = parse_poscar(&s[..], "t", None).unwrap_err();
        assert_eq!(e.line, Some(6));
        assert!(e.hint.contains("species"));
        let p = parse_poscar(&s[..], "t", Some(&["Ni".to_string()])).unwrap();
        assert_eq!(p.species, vec!["Ni"]);
        assert_eq!(p.species_source, SpeciesSource::Supplied);
    }

    #[test]
    fn wrapped_species_and_selective() {
        let s = b"x\n2.0\n1 0 0\n0 1 0\n0 0 1\nFe_pv Cr\nNi\n1 1\n1\nSelective dynamics\nCartesian\n0 0 0 T T F\n0.5 0 0 F F F\n0 0.5 0 T T T\n";
        let p = parse_poscar(&s[..], "t", None).unwrap();
        assert_eq!(p.species, vec!["Fe", "Cr", "Ni"]);
        assert_eq!(p.counts, vec![1, 1, 1]);
        assert_eq!(p.positions_cartesian[1], [1.0, 0.0, 0.0]);
        assert_eq!(p.positions_direct[1], [0.5, 0.0, 0.0]);
        assert_eq!(
            p.selective_dynamics.as_ref().unwrap()[0],
            [true, true, false]
        );
        assert!((p.volume - 8.0).abs() < 1e-12);
    }

    #[test]
    fn short_file_errors_name_the_line() {
        let s = b"x\n1.0\n1 0 0\n0 1 0\n0 0 1\nSi\n2\nDirect\n0 0 0\n";
        let e = parse_poscar(&s[..], "t", None).unwrap_err();
        assert_eq!(e.line, Some(10));
        assert!(e.expected.contains("atom 2 of 2"), "{e}");
    }
}
