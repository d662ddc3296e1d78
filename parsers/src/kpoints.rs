//! KPOINTS: how the k-points of a run were given (an automatic Γ-centred or Monkhorst–Pack
//! mesh, a fully automatic length, an explicit list, or line mode for bands). Read to compare
//! the k-point sampling of calculations that have no OUTCAR.

use crate::error::{show, ParseError};
use crate::numbers::parse_i64;
use crate::source::{fields, text, trim, Lines};
use serde::Serialize;
use std::path::Path;

/// The k-point sampling a KPOINTS file asks for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kpoints {
    /// `0` points, then `Gamma` or `Monkhorst-Pack`, then the subdivisions.
    Mesh { gamma_centred: bool, mesh: [u32; 3] },
    /// `0` points, `Auto`, then a length: VASP derives the mesh from the cell.
    Length { length: f64 },
    /// An explicit list of `n` points (or line mode with `n` points per segment).
    Listed { n: usize, line_mode: bool },
}

impl Kpoints {
    /// `4x4x1` for a mesh; `auto length 20`; `12 listed points`.
    pub fn describe(&self) -> String {
        match self {
            Kpoints::Mesh {
                mesh: [a, b, c], ..
            } => format!("{a}x{b}x{c}"),
            Kpoints::Length { length } => format!("automatic, length {length}"),
            Kpoints::Listed {
                n,
                line_mode: false,
            } => format!("{n} listed k-points"),
            Kpoints::Listed { n, line_mode: true } => format!("line mode, {n} per segment"),
        }
    }
}

/// Read a KPOINTS file (plain or gzip).
pub fn read_kpoints(path: &Path) -> Result<Kpoints, ParseError> {
    let name = path.display().to_string();
    let mut lines = Lines::new(crate::source::open(path)?);
    let mut next = |what: &str| -> Result<(String, usize), ParseError> {
        match lines.next_line() {
            Some((l, _, no)) => Ok((text(trim(l)), no)),
            None => Err(ParseError::format(
                &name,
                Some(lines.line_no + 1),
                what,
                "the end of the file",
                "the KPOINTS file is cut or empty",
            )),
        }
    };
    let _comment = next("a comment line (line 1 of KPOINTS)")?;
    let (count, no) = next("the number of k-points (line 2)")?;
    let n = count
        .split_whitespace()
        .next()
        .and_then(|f| parse_i64(f.as_bytes()).ok())
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            ParseError::format(
                &name,
                Some(no),
                "the number of k-points",
                show(count.as_bytes(), 40),
                "",
            )
        })?;
    let (style, sno) = next("the generation style (line 3)")?;
    let first = style.chars().next().map(|c| c.to_ascii_lowercase());
    if n > 0 {
        return Ok(Kpoints::Listed {
            n: n as usize,
            line_mode: first == Some('l'),
        });
    }
    let (values, vno) = next("the subdivisions or length (line 4)")?;
    let bad = |expected: &str| {
        ParseError::format(&name, Some(vno), expected, show(values.as_bytes(), 40), "")
    };
    match first {
        Some('a') => {
            let length = values
                .split_whitespace()
                .next()
                .and_then(|f| f.parse::<f64>().ok())
                .filter(|l| l.is_finite() && *l > 0.0)
                .ok_or_else(|| bad("a positive length"))?;
            Ok(Kpoints::Length { length })
        }
        Some('g') | Some('m') => {
            let m: Vec<u32> = fields(values.as_bytes())
                .take(3)
                .filter_map(|f| parse_i64(f).ok())
                .filter_map(|v| u32::try_from(v).ok())
                .collect();
            let mesh: [u32; 3] = m
                .try_into()
                .map_err(|_| bad("three subdivisions (positive integers)"))?;
            Ok(Kpoints::Mesh {
                gamma_centred: first == Some('g'),
                mesh,
            })
        }
        _ => Err(ParseError::format(
            &name,
            Some(sno),
            "Gamma, Monkhorst-Pack or Auto",
            show(style.as_bytes(), 40),
            "explicit lattice generation (a 3x3 matrix) is not read: compare such runs by hand",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Kpoints, ParseError> {
        let dir = std::env::temp_dir().join(format!("kp-{}", s.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(format!(
            "KPOINTS{}",
            s.as_bytes().iter().map(|b| *b as usize).sum::<usize>()
        ));
        std::fs::write(&p, s).unwrap();
        read_kpoints(&p)
    }

    #[test]
    fn the_styles() {
        assert_eq!(parse("x\n0\nGamma\n4 4 1\n").unwrap().describe(), "4x4x1");
        assert_eq!(
            parse("x\n0\nMonkhorst-Pack\n3 3 1\n0 0 0\n").unwrap(),
            Kpoints::Mesh {
                gamma_centred: false,
                mesh: [3, 3, 1]
            }
        );
        assert_eq!(
            parse("x\n0\nAuto\n20\n").unwrap(),
            Kpoints::Length { length: 20.0 }
        );
        assert_eq!(
            parse("x\n2\nReciprocal\n0 0 0 1\n0.5 0 0 1\n").unwrap(),
            Kpoints::Listed {
                n: 2,
                line_mode: false
            }
        );
        let e = parse("x\n0\nGamma\n4 4\n").unwrap_err();
        assert_eq!(e.line, Some(4));
        assert!(parse("x\n").is_err());
    }
}
