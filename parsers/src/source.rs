//! Opening VASP files, plain or gzip-compressed, and reading them line by line as bytes.
//!
//! Compression is recognised by the gzip magic bytes, not the file name. Lines are byte
//! slices (VASP writes Latin-1 text, e.g. `18Dez12`), with `\n` and a trailing `\r` removed.
//! A last line without a newline is reported as such, because a file cut mid-line would
//! otherwise yield a shortened number that parses as a wrong value.

use crate::error::ParseError;
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Open `path` for buffered reading, decompressing gzip transparently.
pub fn open(path: &Path) -> Result<Box<dyn Read + Send>, ParseError> {
    // A FIFO, a device or a socket would block or never end (`/dev/zero`): refused before
    // opening, by its metadata.
    if let Ok(m) = std::fs::metadata(path) {
        if !m.is_file() && !m.is_dir() {
            return Err(ParseError {
                kind: crate::error::ErrorKind::Io,
                file: path.display().to_string(),
                line: None,
                expected: "a regular file".into(),
                found: "a FIFO, device or socket".into(),
                hint: "copy the data into a file and name that".into(),
            });
        }
    }
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
        Ok(Box::new(MultiGzDecoder::new(chained)))
    } else {
        Ok(Box::new(chained))
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
    /// Longer than [`MAX_LINE`] without a newline (binary or corrupt data): returned in pieces.
    Split,
}

/// The longest line kept whole; longer runs without a newline are returned in pieces, so a
/// binary file never makes the reader buffer it all.
pub const MAX_LINE: usize = 1 << 24;

const CHUNK: usize = 1 << 20;

/// A line-by-line reader over bytes. Lines are borrowed from one chunk buffer (no copy, no
/// allocation per line); only a line that straddles two chunks is moved.
pub struct Lines<R: Read> {
    reader: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// Whether the buffered bytes may hold a NUL (checked once per chunk read).
    nul_possible: bool,
    /// 1-based number of the line last returned.
    pub line_no: usize,
    /// Set when the underlying stream failed (for example a truncated gzip member).
    pub io_error: Option<String>,
    /// Lines returned that contained a NUL byte.
    pub nul_lines: usize,
    /// Whether any chunk read held a NUL byte (also counts lines skipped by
    /// [`Lines::next_matching`], which are never looked at one by one).
    pub nul_seen: bool,
}

impl<R: Read> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            eof: false,
            nul_possible: false,
            line_no: 0,
            io_error: None,
            nul_lines: 0,
            nul_seen: false,
        }
    }

    /// Read more bytes behind the unconsumed ones.
    fn refill(&mut self) {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grown = (self.buf.len() * 2).min(MAX_LINE + CHUNK);
            self.buf.resize(grown, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return;
                }
                Ok(n) => {
                    if memchr::memchr(0, &self.buf[self.end..self.end + n]).is_some() {
                        self.nul_possible = true;
                        self.nul_seen = true;
                    }
                    self.end += n;
                    return;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.io_error = Some(e.to_string());
                    self.eof = true;
                    return;
                }
            }
        }
    }

    /// The next line without its terminator, how it ended, and its 1-based number; or
    /// `None` at the end of input (or on a read error, which is kept in `io_error`).
    pub fn next_line(&mut self) -> Option<(&[u8], LineEnd, usize)> {
        let (s, e, how) = loop {
            let avail = &self.buf[self.start..self.end];
            if let Some(k) = memchr::memchr(b'\n', avail) {
                let s = self.start;
                self.start = s + k + 1;
                break (s, s + k, LineEnd::Newline);
            }
            if avail.len() >= MAX_LINE {
                let s = self.start;
                self.start = s + MAX_LINE;
                break (s, s + MAX_LINE, LineEnd::Split);
            }
            if self.eof {
                if self.start < self.end {
                    let s = self.start;
                    self.start = self.end;
                    break (s, self.end, LineEnd::Eof);
                }
                return None;
            }
            self.refill();
        };
        Some(self.finish_line(s, e, how))
    }

    /// Count and return the line `buf[s..e]` (its `\r` removed).
    fn finish_line(&mut self, s: usize, e: usize, how: LineEnd) -> (&[u8], LineEnd, usize) {
        self.line_no += 1;
        let mut e = e;
        if e > s && self.buf[e - 1] == b'\r' {
            e -= 1;
        }
        let line = &self.buf[s..e];
        if self.nul_possible && memchr::memchr(0, line).is_some() {
            self.nul_lines += 1;
        }
        (line, how, self.line_no)
    }

    /// Skip `n` lines without looking at them (counted in bulk). Returns how many were
    /// skipped: fewer than `n` at the end of the input.
    pub fn skip_lines(&mut self, n: usize) -> usize {
        let mut left = n;
        while left > 0 {
            let avail = &self.buf[self.start..self.end];
            let mut it = memchr::memchr_iter(b'\n', avail);
            match it.nth(left - 1) {
                Some(k) => {
                    self.start += k + 1;
                    self.line_no += left;
                    return n;
                }
                None => {
                    let c = bytecount::count(avail, b'\n');
                    if let Some(k) = memchr::memrchr(b'\n', avail) {
                        self.start += k + 1;
                    }
                    self.line_no += c;
                    left -= c;
                    if self.eof {
                        return n - left;
                    }
                    self.refill();
                }
            }
        }
        n
    }

    /// Skip to the next line in which `find` reports a match (the byte offset of a match in
    /// a haystack, or `None`), counting the skipped lines in bulk. This is the fast path for
    /// long files whose interesting lines are rare: no per-line work on the others.
    ///
    /// A last line without a newline is returned (as [`LineEnd::Eof`]) whether it matches
    /// or not, so callers can tell that the file was cut.
    pub fn next_matching(
        &mut self,
        find: impl Fn(&[u8]) -> Option<usize>,
    ) -> Option<(&[u8], LineEnd, usize)> {
        let (s, e, how) = loop {
            let avail = &self.buf[self.start..self.end];
            if let Some(p) = find(avail) {
                let ls = memchr::memrchr(b'\n', &avail[..p]).map_or(0, |k| k + 1);
                if let Some(k) = memchr::memchr(b'\n', &avail[p..]) {
                    self.line_no += bytecount::count(&avail[..ls], b'\n');
                    let s = self.start + ls;
                    let e = self.start + p + k;
                    self.start = e + 1;
                    break (s, e, LineEnd::Newline);
                }
                // The matching line continues past the buffered bytes.
                self.line_no += bytecount::count(&avail[..ls], b'\n');
                self.start += ls;
                if self.eof {
                    let s = self.start;
                    self.start = self.end;
                    break (s, self.end, LineEnd::Eof);
                }
                if self.end - self.start >= MAX_LINE {
                    let s = self.start;
                    self.start = s + MAX_LINE;
                    break (s, s + MAX_LINE, LineEnd::Split);
                }
                self.refill();
                continue;
            }
            // No match: every complete line here is skipped.
            if let Some(k) = memchr::memrchr(b'\n', avail) {
                self.line_no += bytecount::count(&avail[..k + 1], b'\n');
                self.start += k + 1;
            }
            if self.eof {
                if self.start < self.end {
                    let s = self.start;
                    self.start = self.end;
                    break (s, self.end, LineEnd::Eof);
                }
                return None;
            }
            if self.end - self.start >= MAX_LINE {
                // A run without newlines longer than any line: skip it as one piece.
                self.line_no += 1;
                self.start = self.end;
            }
            self.refill();
        };
        Some(self.finish_line(s, e, how))
    }
}

/// Strip leading ASCII spaces and tabs.
#[inline]
/// A capacity hint from a count read from a file, capped: a damaged count (`1E+301`) must
/// give a clear error when the data runs out, not an allocation failure up front.
pub fn capacity(n: usize) -> usize {
    n.min(1 << 16)
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A reader that hands out at most `step` bytes per call, to exercise chunk boundaries.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// The naive answer: (line number, text, terminated) of every line.
    fn naive(data: &[u8]) -> Vec<(usize, Vec<u8>, bool)> {
        let mut out = Vec::new();
        let mut parts: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
        let last = parts.pop().unwrap_or(b"");
        for (i, p) in parts.iter().enumerate() {
            let p = p.strip_suffix(b"\r").unwrap_or(p);
            out.push((i + 1, p.to_vec(), true));
        }
        if !last.is_empty() {
            out.push((
                out.len() + 1,
                last.strip_suffix(b"\r").unwrap_or(last).to_vec(),
                false,
            ));
        }
        out
    }

    fn text() -> impl Strategy<Value = Vec<u8>> {
        let line = prop_oneof![
            "[ a-z0-9.-]{0,30}".prop_map(|s| s.into_bytes()),
            Just(b" E-fermi :  -1.23".to_vec()),
            Just(b"  xx MARK yy".to_vec()),
            Just(b"".to_vec()),
        ];
        (
            proptest::collection::vec(line, 0..60),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(lines, crlf, final_nl)| {
                let sep: &[u8] = if crlf { b"\r\n" } else { b"\n" };
                let mut v = lines.join(sep);
                if final_nl && !v.is_empty() {
                    v.extend_from_slice(sep);
                }
                v
            })
    }

    proptest! {
        #[test]
        fn next_line_matches_naive(data in text(), step in 1usize..9) {
            let mut l = Lines::new(Trickle { data: &data, step });
            let mut got = Vec::new();
            while let Some((line, end, no)) = l.next_line() {
                got.push((no, line.to_vec(), end == LineEnd::Newline));
            }
            prop_assert_eq!(got, naive(&data));
        }

        #[test]
        fn next_matching_finds_every_marked_line(data in text(), step in 1usize..9) {
            let mut l = Lines::new(Trickle { data: &data, step });
            let mut got = Vec::new();
            while let Some((line, end, no)) = l.next_matching(|h| memchr::memmem::find(h, b"MARK")) {
                got.push((no, line.to_vec(), end == LineEnd::Newline));
            }
            let want: Vec<_> = naive(&data)
                .into_iter()
                .filter(|(_, t, term)| !*term || memchr::memmem::find(t, b"MARK").is_some())
                .collect();
            prop_assert_eq!(got, want);
            let total = naive(&data).len();
            prop_assert_eq!(l.line_no, total);
        }
    }
}
