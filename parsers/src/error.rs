//! Errors that name the file, the line, what was expected, what was found and what to do.
//!
//! Every reader in this crate reports bad input through [`ParseError`]; none of them panics
//! on file content.

use std::fmt;
use std::path::Path;

/// What kind of failure a [`ParseError`] reports. The CLI maps these to exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file could not be opened or read (missing, permission, I/O failure).
    Io,
    /// The bytes are not the format that was asked for, or are corrupt beyond use.
    Format,
}

/// A failure to read a VASP file, with enough context to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub kind: ErrorKind,
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line number, when the failure sits on one line.
    pub line: Option<usize>,
    /// What the reader expected to find.
    pub expected: String,
    /// What it found instead (shortened, printable).
    pub found: String,
    /// What the user can do about it.
    pub hint: String,
}

impl ParseError {
    pub fn format(
        file: &str,
        line: Option<usize>,
        expected: impl Into<String>,
        found: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        ParseError {
            kind: ErrorKind::Format,
            file: file.to_string(),
            line,
            expected: expected.into(),
            found: found.into(),
            hint: hint.into(),
        }
    }

    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        let hint = match err.kind() {
            std::io::ErrorKind::NotFound => "check the path; VASP files are OUTCAR, OSZICAR, CONTCAR, POSCAR, DOSCAR, vasprun.xml (optionally .gz)",
            std::io::ErrorKind::PermissionDenied => "check the file's permissions",
            _ => "check that the file is readable and not being written to",
        };
        ParseError {
            kind: ErrorKind::Io,
            file: path.display().to_string(),
            line: None,
            expected: "a readable file".into(),
            found: err.to_string(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: ", self.file, l)?,
            None => write!(f, "{}: ", self.file)?,
        }
        write!(f, "expected {}, found {}", self.expected, self.found)?;
        if !self.hint.is_empty() {
            write!(f, "; {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// Render up to `max` bytes of a line for an error message: printable ASCII kept, the rest
/// escaped, so a binary file never floods the terminal.
pub fn show(bytes: &[u8], max: usize) -> String {
    let mut s = String::new();
    for &b in bytes.iter().take(max) {
        match b {
            b' '..=b'~' => s.push(b as char),
            b'\t' => s.push(' '),
            0 => s.push_str("\\0"),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    if bytes.len() > max {
        s.push('…');
    }
    format!("'{}'", s.trim_end())
}
