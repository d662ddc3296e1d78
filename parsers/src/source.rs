//! Opening VASP files, plain or gzip-compressed, and reading them line by line as bytes.
//!
//! Compression is recognised by the gzip magic bytes, not the file name. Lines are byte
//! slices (VASP writes Latin-1 text, e.g. `18Dez12`), with `\n` and a trailing `\r` removed.
//! A last line without a newline is reported as such, because a file cut mid-line would
//! otherwise yield a shortened number that parses as a wrong value.

use crate::error::ParseError;
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

const BUF_SIZE: usize = 1 << 18;

/// Open `path` for buffered reading, decompressing gzip transparently.
pub fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, ParseError> {
    let mut file = File::open(path).map_err(|e| ParseError::io(path, &e))?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(ParseError {
            kind: crate::error::ErrorKind::Io,
            file: path.display().to_string(),
            line: None,
            expected: "a file".into(),
            found: "a directory".into(),
            hint: "name a file inside it, or use a command that takes a calculation directory"
                .into(),
        });
    }
    let mut magic = [0u8; 2];
    let n = read_fully(&mut file, &mut magic).map_err(|e| ParseError::io(path, &e))?;
    let head = magic[..n].to_vec();
    let chained = std::io::Cursor::new(head).chain(file);
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::with_capacity(
            BUF_SIZE,
            MultiGzDecoder::new(chained),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(BUF_SIZE, chained)))
    }
}

fn read_fully(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// How a line ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnd {
    /// Terminated by a newline: complete.
    Newline,
    /// The last line of the file, with no newline: possibly cut.
    Eof,
}

/// A line-by-line reader over bytes that reuses one buffer (no allocation per line).
pub struct Lines<R: BufRead> {
    reader: R,
    buf: Vec<u8>,
    /// 1-based number of the line last returned.
    pub line_no: usize,
    /// Set when the underlying stream failed (for example a truncated gzip member).
    pub io_error: Option<String>,
    /// Lines that contained a NUL byte.
    pub nul_lines: usize,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            buf: Vec::with_capacity(256),
            line_no: 0,
            io_error: None,
            nul_lines: 0,
        }
    }

    /// The next line without its terminator, how it ended, and its 1-based number; or `None` at the end of input (or on a read
    /// error, which is kept in `io_error`).
    pub fn next_line(&mut self) -> Option<(&[u8], LineEnd, usize)> {
        self.buf.clear();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => None,
            Ok(_) => {
                self.line_no += 1;
                let mut end = LineEnd::Eof;
                if self.buf.last() == Some(&b'\n') {
                    self.buf.pop();
                    end = LineEnd::Newline;
                }
                if self.buf.last() == Some(&b'\r') {
                    self.buf.pop();
                }
                if memchr::memchr(0, &self.buf).is_some() {
                    self.nul_lines += 1;
                }
                Some((&self.buf, end, self.line_no))
            }
            Err(e) => {
                self.io_error = Some(e.to_string());
                None
            }
        }
    }
}

/// Strip leading ASCII spaces and tabs.
#[inline]
pub fn trim_start(s: &[u8]) -> &[u8] {
    let i = s
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(s.len());
    &s[i..]
}

/// Strip surrounding ASCII whitespace.
#[inline]
pub fn trim(s: &[u8]) -> &[u8] {
    let s = trim_start(s);
    let j = s
        .iter()
        .rposition(|&b| !b.is_ascii_whitespace())
        .map_or(0, |j| j + 1);
    &s[..j]
}

/// Split on ASCII whitespace.
#[inline]
pub fn fields(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    s.split(|b| b.is_ascii_whitespace())
        .filter(|f| !f.is_empty())
}

/// Lossy text for a byte slice (Latin-1 bytes above 0x7f become their code points).
pub fn text(s: &[u8]) -> String {
    s.iter().map(|&b| b as char).collect()
}
