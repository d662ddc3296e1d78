//! The library's error type and the one place errors become exit codes.
//!
//! Every failure a command can meet is an [`Error`]; each says what to do. The command line
//! prints the message and exits with [`Error::exit_code`]; the codes are documented in
//! `--help` and the README ([`exit`]).

use vasp_parsers::{ErrorKind, ParseError};

/// Exit codes, documented in `--help` and the README.
pub mod exit {
    /// Success (results may still carry warnings).
    pub const OK: i32 = 0;
    /// An unexpected internal error.
    pub const INTERNAL: i32 = 1;
    /// Command-line usage error (clap exits with it too).
    pub const USAGE: i32 = 2;
    /// A file or directory could not be read: missing, permissions, I/O.
    pub const IO: i32 = 3;
    /// Input could not be parsed: wrong format, corrupt, or not a VASP calculation.
    pub const FORMAT: i32 = 4;
    /// `--strict` and a result is partial (run incomplete, or a file failed to read).
    pub const PARTIAL: i32 = 5;
    /// `check`: a value is outside its tolerance, or missing.
    pub const CHECK_FAILED: i32 = 6;
    /// `lint`: an error was found (or, with --strict, any finding).
    pub const LINT: i32 = 7;
}

/// Why a command could not give its answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A file could not be read (missing, permissions) or is not what it should be.
    #[error("{0}")]
    Parse(#[from] ParseError),
    /// Inputs that do not fit together or cannot give the answer asked for (a network file
    /// that does not validate, a missing state, a structure of another size, …).
    #[error("{0}")]
    Input(String),
    /// An entry of a network file that is wrong (a step that does not balance, a model key
    /// that is no state): [`crate::network::NetworkFile::place`] turns it into an input error
    /// naming the file and the entry's line.
    #[error("{message}")]
    Located { at: Locus, message: String },
    /// An output file or directory could not be written: the path and the OS's reason.
    #[error("could not write {path}: {reason}")]
    Write { path: String, reason: String },
}

/// Which entry of a network file an error is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Locus {
    /// A `[[network.steps]]` or `[[network.lumped]]` entry (or an inline `steps = [...]`).
    Step { from: String, to: String },
    /// `[models.MODEL]`'s key.
    Model { model: String, key: String },
    /// A key of the `[network]` table (`final`: the overall reaction).
    Network(String),
    /// A key of the `[conventions]` table.
    Conventions(String),
    /// A key of the `[references]` table.
    Reference(String),
    /// `[barriers.MODEL]`'s key (a step).
    Barrier { model: String, key: String },
}

impl Error {
    /// True when the failure is that a file could not be opened or read at all.
    pub fn is_io(&self) -> bool {
        matches!(self, Error::Parse(e) if e.kind == ErrorKind::Io)
    }

    /// An output that could not be written at `path`.
    pub fn write(path: &std::path::Path, e: &std::io::Error) -> Error {
        Error::Write {
            path: path.display().to_string(),
            reason: e.to_string(),
        }
    }

    /// The process exit code for this failure: [`exit::IO`] when a file could not be read
    /// or written, [`exit::FORMAT`] for everything that was read but does not fit.
    pub fn exit_code(&self) -> i32 {
        if self.is_io() || matches!(self, Error::Write { .. }) {
            exit::IO
        } else {
            exit::FORMAT
        }
    }

    /// An input error with a message.
    pub fn input(msg: impl Into<String>) -> Error {
        Error::Input(msg.into())
    }

    /// An input error about the entry `at` of a network file, located there (the file's name
    /// and the entry's line are added by `NetworkFile::place`); other errors unchanged (a
    /// calculation's read error names its own file).
    pub fn at(self, at: Locus) -> Error {
        match self {
            Error::Input(message) => Error::Located { at, message },
            e => e,
        }
    }

    /// The same error with `context: ` in front of its message (I/O errors keep their kind).
    pub fn context(self, context: &str) -> Error {
        match self {
            Error::Parse(mut e) => {
                e.file = format!("{context}: {}", e.file);
                Error::Parse(e)
            }
            Error::Input(m) => Error::Input(format!("{context}: {m}")),
            Error::Located { at, message } => Error::Located {
                at,
                message: format!("{context}: {message}"),
            },
            w @ Error::Write { .. } => w,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_exit_3_and_the_rest_4() {
        let io = ParseError::io(
            std::path::Path::new("/no/such"),
            &std::io::Error::new(std::io::ErrorKind::NotFound, "gone"),
        );
        assert_eq!(Error::from(io.clone()).exit_code(), exit::IO);
        assert_eq!(Error::from(io).context("x").exit_code(), exit::IO);
        let fmt = ParseError::format("f", Some(3), "a number", "x", "fix it");
        assert_eq!(Error::from(fmt).exit_code(), exit::FORMAT);
        assert_eq!(Error::input("bad").exit_code(), exit::FORMAT);
        assert_eq!(Error::input("bad").context("here").to_string(), "here: bad");
        let w = Error::write(
            std::path::Path::new("/ro/report.md"),
            &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(w.exit_code(), exit::IO);
        assert_eq!(
            w.context("x").to_string(),
            "could not write /ro/report.md: permission denied"
        );
    }
}
