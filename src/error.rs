//! The library's error type: every failure a command can meet, each saying what to do.

use vasp_parsers::ParseError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or parsed.
    #[error("{0}")]
    Parse(#[from] ParseError),
    #[error("{0}")]
    Calc(#[from] crate::calc::CalcError),
    #[error("{0}")]
    Select(#[from] crate::select::SelectError),
    #[error("{0}")]
    Dband(#[from] crate::dband::DbandError),
    /// Inputs that do not fit together (a structure of another size, a missing DOS file).
    #[error("{0}")]
    Input(String),
}

impl Error {
    /// True when the failure is that a file could not be opened or read at all.
    pub fn is_io(&self) -> bool {
        matches!(self, Error::Parse(e) if e.kind == vasp_parsers::ErrorKind::Io)
    }
}
