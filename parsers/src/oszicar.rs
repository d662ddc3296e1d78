//! OSZICAR: one line per ionic step (`N F= … E0= … d E = … mag= …`), preceded by one line
//! per electronic iteration (`DAV:`, `RMM:`, `CG :`, …).
//!
//! MD runs write `N T= … E= … F= … E0= … EK= …` instead; both are read.

use crate::error::{show, ParseError};
use crate::numbers::{parse_i64, NumError};
use crate::source::{fields, trim_start, LineEnd, Lines};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// One ionic step of an OSZICAR.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OszicarStep {
    /// Step number as printed.
    pub index: usize,
    /// `F=`: free energy (TOTEN), eV.
    pub f: f64,
    /// `E0=`: energy(sigma->0), eV.
    pub e0: f64,
    /// `d E =`: change of F from the previous step, eV.
    pub de: Option<f64>,
    /// `mag=`: one value (collinear) or three (non-collinear); empty for ISPIN=1.
    pub magnetization: Vec<f64>,
    /// `T=`: temperature of an MD step, K.
    pub temperature_k: Option<f64>,
    /// Electronic iterations printed before this line.
    pub electronic_iterations: usize,
    pub line: usize,
}

/// Everything chepath reads from an OSZICAR.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Oszicar {
    pub ionic_steps: Vec<OszicarStep>,
    /// Electronic iterations after the last ionic-step line (a run cut in its SCF loop).
    pub trailing_iterations: usize,
    pub lines: usize,
    pub warnings: Vec<String>,
}

impl Oszicar {
    pub fn last_step(&self) -> Option<&OszicarStep> {
        self.ionic_steps.last()
    }
}

/// Read an OSZICAR from a path (plain or gzip).
pub fn read_oszicar(path: &Path) -> Result<Oszicar, ParseError> {
    let reader = crate::source::open(path)?;
    parse_oszicar(reader, &path.display().to_string())
}

/// Value after `key` (numbers may run into the key: `d E =-.52E+03`).
/// The number after `key`: the whole blank-delimited field must be the number.
fn after(t: &[u8], key: &[u8]) -> Option<Result<f64, NumError>> {
    let k = memchr::memmem::find(t, key)?;
    Some(crate::numbers::first_field_number(&t[k + key.len()..]))
}

/// What the line loop has seen besides the ionic steps themselves.
#[derive(Default)]
struct Seen {
    /// Electronic iterations since the last ionic step.
    iters: usize,
    /// An electronic or ionic-step line was seen: this is an OSZICAR.
    recognised: bool,
    /// The last line had no newline (and was ignored).
    cut: bool,
    /// The first line that is neither, before anything was recognised.
    first_unknown: Option<(usize, Vec<u8>)>,
    /// Lines that are neither, after something was recognised (or with NUL bytes).
    unknown: usize,
    /// The first of those.
    unknown_first: Option<(usize, Vec<u8>)>,
    /// Reading stopped after [`crate::source::SNIFF_BYTES`] without OSZICAR content.
    gave_up: bool,
}

/// Read an OSZICAR from any buffered reader.
pub fn parse_oszicar<R: Read>(reader: R, name: &str) -> Result<Oszicar, ParseError> {
    let mut lines = Lines::new(reader);
    let mut out = Oszicar::default();
    let mut seen = Seen::default();
    loop {
        if !seen.recognised && lines.position() > crate::source::SNIFF_BYTES {
            // nothing of an OSZICAR so far: another kind of file, or a gzip bomb
            seen.gave_up = true;
            break;
        }
        let Some((line, end, no)) = lines.next_line() else {
            break;
        };
        if end == LineEnd::Split {
            // no OSZICAR line is longer than a few hundred bytes: binary or corrupt data,
            // whose pieces could read as steps
            return Err(ParseError::format(
                name,
                Some(no),
                "OSZICAR lines (a few hundred characters at most)",
                format!("a line longer than {} MiB", crate::source::MAX_LINE >> 20),
                "this is not an OSZICAR (binary or corrupt data): restore it or rerun",
            ));
        }
        if end == LineEnd::Eof && !line.is_empty() {
            seen.cut = true;
            break;
        }
        let t = trim_start(line);
        if t.is_empty() {
            continue;
        }
        seen.line(t, no, name, &mut out);
    }
    out.lines = lines.line_no;
    seen.finish(out, lines.io_error, name)
}

impl Seen {
    /// One non-blank line `t` (number `no`): an electronic iteration is counted, an ionic
    /// step pushed to `out`, and anything else counted as unknown.
    fn line(&mut self, t: &[u8], no: usize, name: &str, out: &mut Oszicar) {
        if memchr::memchr(0, t).is_some() {
            // NUL bytes: zeroed blocks of a crashed file system; whatever lines they replaced
            // (ionic steps among them) are lost.
            if self.unknown == 0 {
                self.unknown_first = Some((no, t.to_vec()));
            }
            self.unknown += 1;
            return;
        }
        // Electronic iteration: a short algorithm tag and a colon (`DAV:`, `RMM:`, `CG :`).
        if t.len() > 4 && t[..4].contains(&b':') && t[0].is_ascii_alphabetic() {
            self.iters += 1;
            self.recognised = true;
            return;
        }
        if t.starts_with(b"N ") && memchr::memmem::find(t, b"dE").is_some() {
            self.recognised = true;
            return;
        }
        let mut f = fields(t);
        let first = f.next().unwrap_or(b"");
        let second = f.next().unwrap_or(b"");
        let is_step =
            parse_i64(first).is_ok() && (second.starts_with(b"F=") || second.starts_with(b"T="));
        if !is_step {
            if !self.recognised && self.first_unknown.is_none() && !t[0].is_ascii_alphabetic() {
                self.first_unknown = Some((no, t.to_vec()));
            }
            if self.recognised {
                // Inside an OSZICAR every line is electronic or ionic: anything else (NULs,
                // a damaged step number) may be a lost step.
                if self.unknown == 0 {
                    self.unknown_first = Some((no, t.to_vec()));
                }
                self.unknown += 1;
            }
            return;
        }
        self.recognised = true;
        if push_step(t, first, second, no, self.iters, name, out) {
            self.iters = 0;
        }
    }

    /// After the last line (`out.lines` set): the error when nothing was an OSZICAR line,
    /// otherwise `out` with the warnings about damage, a cut and a missing energy.
    fn finish(
        self,
        mut out: Oszicar,
        io_error: Option<String>,
        name: &str,
    ) -> Result<Oszicar, ParseError> {
        out.trailing_iterations = self.iters;
        if let Some((no, l)) = self.unknown_first {
            out.warnings.push(format!(
                "{name}:{no}: {} line(s) that are neither electronic nor ionic-step lines, the first: {}; the file may be damaged and ionic steps lost",
                self.unknown,
                show(&l, 60)
            ));
        }
        if !self.recognised {
            let (line, found) = match self.first_unknown {
                Some((l, b)) => (Some(l), show(&b, 60)),
                None if out.lines == 0 => (None, "an empty file".to_string()),
                None if self.gave_up => (
                    None,
                    format!(
                        "{} MiB ({} lines) read with no OSZICAR content",
                        crate::source::SNIFF_BYTES >> 20,
                        out.lines
                    ),
                ),
                None => (None, format!("{} lines with no OSZICAR content", out.lines)),
            };
            return Err(ParseError::format(
                name,
                line,
                "an OSZICAR (electronic lines such as 'DAV:' and ionic lines 'N F= … E0= …')",
                found,
                "check that this is an OSZICAR; use --format to read it as another VASP file",
            ));
        }
        if let Some(e) = io_error {
            out.warnings.push(format!(
                "{name}: reading stopped at line {} with an error ({e}): a truncated or corrupt gzip file",
                out.lines
            ));
        }
        if self.cut {
            out.warnings.push(format!(
                "{name}: the last line ({}) has no newline, so the file was cut mid-line; that line is ignored",
                out.lines
            ));
        }
        if out.trailing_iterations > 0 {
            out.warnings.push(format!(
                "{name}: {} electronic iteration(s) after the last ionic step: the run stopped inside an SCF loop",
                out.trailing_iterations
            ));
        }
        if out.ionic_steps.is_empty() {
            out.warnings.push(format!(
                "{name}: no ionic step line: no energy can be reported"
            ));
        }
        Ok(out)
    }
}

/// The ionic-step line `t` (number `no`; `first` and `second` its first two fields) pushed
/// to `out` with the `iters` electronic iterations before it. Returns false, with a warning,
/// when `F=` or `E0=` is not a readable number.
fn push_step(
    t: &[u8],
    first: &[u8],
    second: &[u8],
    no: usize,
    iters: usize,
    name: &str,
    out: &mut Oszicar,
) -> bool {
    let fv = after(t, b"F=");
    let e0 = after(t, b"E0=");
    let (Some(Ok(fv)), Some(Ok(e0))) = (fv, e0) else {
        out.warnings.push(format!(
            "{name}:{no}: ionic step line without readable F= and E0= values (overflow '***' or corrupt): {}",
            show(t, 80)
        ));
        return false;
    };
    let de = after(t, b"d E =").and_then(|r| r.ok());
    let magnetization = magnetization(t, no, name, out);
    let temperature_k = if second.starts_with(b"T=") {
        after(t, b"T=").and_then(|r| r.ok())
    } else {
        None
    };
    let index = parse_i64(first).unwrap_or(0).max(0) as usize;
    // Steps count 1, 2, 3, …: a number that does not follow the last means two runs were
    // appended (a restart written after the old file) or lines were lost.
    let want = out.ionic_steps.last().map(|s| s.index + 1).unwrap_or(1);
    if index != want {
        out.warnings.push(format!(
            "{name}:{no}: ionic step {index} where step {want} was expected: the file holds more than one run (appended after a restart) or lost lines; the energy is the last step's, check that it belongs to the run you mean"
        ));
    }
    out.ionic_steps.push(OszicarStep {
        index,
        f: fv,
        e0,
        de,
        magnetization,
        temperature_k,
        electronic_iterations: iters,
        line: no,
    });
    true
}

/// The numbers after `mag=` on step line `t`: none without `mag=`; none, with a warning in
/// `out`, when what follows is not numbers.
fn magnetization(t: &[u8], no: usize, name: &str, out: &mut Oszicar) -> Vec<f64> {
    match memchr::memmem::find(t, b"mag=") {
        Some(k) => match crate::numbers::all_numbers(&t[k + 4..]) {
            Ok(m) => m,
            Err(_) => {
                out.warnings.push(format!(
                    "{name}:{no}: 'mag=' is followed by something that is not numbers (corrupt): {}",
                    show(&t[k..], 60)
                ));
                Vec::new()
            }
        },
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_appended_is_said() {
        let s = b"   1 F= -.10E+03 E0= -.10E+03  d E =0.0\n   2 F= -.11E+03 E0= -.11E+03  d E =0.0\n   1 F= -.12E+03 E0= -.12E+03  d E =0.0\n";
        let o = parse_oszicar(&s[..], "t").unwrap();
        assert_eq!(o.ionic_steps.len(), 3);
        assert_eq!(o.warnings.len(), 1, "{:?}", o.warnings);
        assert!(o.warnings[0].starts_with("t:3: ionic step 1 where step 3 was expected"));
    }

    #[test]
    fn relaxation_lines() {
        let s = b"       N       E                     dE             d eps       ncg     rms          rms(c)\n\
DAV:   1     0.450724605593E+04    0.45072E+04   -0.17777E+05 16576   0.160E+03\n\
RMM:   2    -0.52E+03   -0.1E+01   -0.1E+00 100 0.1\n\
   1 F= -.52636024E+03 E0= -.52636024E+03  d E =-.526360E+03  mag=     2.5000\n\
DAV:   1     0.1E+03    0.1E+03   -0.1E+03 1 0.1\n\
   2 F= -.38836384E+03 E0= -.38633574E+03  d E =-.405621E+01\n";
        let o = parse_oszicar(&s[..], "t").unwrap();
        assert_eq!(o.ionic_steps.len(), 2);
        assert_eq!(o.ionic_steps[0].f, -526.36024);
        assert_eq!(o.ionic_steps[0].de, Some(-526.360));
        assert_eq!(o.ionic_steps[0].magnetization, vec![2.5]);
        assert_eq!(o.ionic_steps[0].electronic_iterations, 2);
        assert_eq!(o.ionic_steps[1].e0, -386.33574);
        assert_eq!(o.ionic_steps[1].electronic_iterations, 1);
        assert!(o.warnings.is_empty(), "{:?}", o.warnings);
    }

    #[test]
    fn md_line() {
        let s = b"RMM:   1  -0.1E+03 0.1 0.1 1 0.1\n     1 T=   300. E= -.12345E+03 F= -.12000E+03 E0= -.12100E+03  EK= 0.1E+01 SP= 0.0E+00 SK= 0.0E+00\n";
        let o = parse_oszicar(&s[..], "t").unwrap();
        assert_eq!(o.ionic_steps[0].temperature_k, Some(300.0));
        assert_eq!(o.ionic_steps[0].f, -120.0);
        assert_eq!(o.ionic_steps[0].e0, -121.0);
    }

    #[test]
    fn not_an_oszicar() {
        let e = parse_oszicar(&b"1.0 2.0\n3 4\n"[..], "x").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(parse_oszicar(&b""[..], "x").is_err());
    }

    /// A run of valid step text without a newline, longer than a line can be, is refused:
    /// its pieces read as steps before this (300 MB of `1 F= … E0= …` "complete").
    #[test]
    fn a_line_longer_than_a_line_can_be_is_refused() {
        let one = b"   1 F= -.1E+01 E0= -.1E+01  d E =-.1E+01\n".to_vec();
        let mut text = one.clone();
        text.pop();
        let mut long = Vec::new();
        while long.len() <= crate::source::MAX_LINE {
            long.extend_from_slice(&text);
            long.push(b' ');
        }
        let mut file = one;
        file.extend_from_slice(&long);
        file.push(b'\n');
        let e = parse_oszicar(&file[..], "OSZICAR").expect_err("refused");
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.to_string().contains("a line longer than 1 MiB"), "{e}");
    }
}
