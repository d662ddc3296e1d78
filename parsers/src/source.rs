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
    refuse_special(path)?;
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

/// Refuse a FIFO, a device or a socket, which would block or never end (`/dev/zero`,
/// `/dev/stdin`): by its metadata, before anything opens it (opening a FIFO blocks).
pub fn refuse_special(path: &Path) -> Result<(), ParseError> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() && !m.is_dir() => Err(ParseError {
            kind: crate::error::ErrorKind::Io,
            file: path.display().to_string(),
            line: None,
            expected: "a regular file".into(),
            found: "a FIFO, device or socket".into(),
            hint: "copy the data into a file and name that".into(),
        }),
        _ => Ok(()),
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
pub const MAX_LINE: usize = 1 << 20;

const CHUNK: usize = 1 << 20;

/// A reader that has met nothing of its format in this many bytes stops and says so, so
/// that a file of another kind (or a gzip bomb of blank lines) is refused within a second
/// instead of being read to its end. Every VASP file says what it is in its first lines.
pub const SNIFF_BYTES: u64 = 32 << 20;

/// Plain files at least this large (gzip files an eighth of it) are read ahead on a second
/// thread ([`lines`]): the kernel's copy (or the decompression) of the next chunk overlaps
/// the search of this one.
pub const PREFETCH_BYTES: u64 = 64 << 20;

/// Room kept in front of a prefetched chunk for the unfinished line of the one before, so
/// that joining them moves only that line.
const RESERVE: usize = 1 << 16;

/// A chunk read ahead: its buffer (data in `RESERVE..end`), and what the reader met.
struct Chunk {
    buf: Vec<u8>,
    /// Where the data starts (the room in front) and how much a full chunk holds.
    start: usize,
    capacity: usize,
    end: usize,
    nul: bool,
    error: Option<String>,
    eof: bool,
}

/// The reading thread's side of a prefetching [`Lines`]: chunks come in, spent buffers go
/// back (at most a few are alive: the channel is bounded).
struct Feed {
    rx: std::sync::mpsc::Receiver<Chunk>,
    back: std::sync::mpsc::Sender<Vec<u8>>,
}

/// Fill `buf[reserve..]` from `reader` and send it, until the end or an error.
fn prefetch_loop<R: Read>(
    mut reader: R,
    tx: std::sync::mpsc::SyncSender<Chunk>,
    back: std::sync::mpsc::Receiver<Vec<u8>>,
    reserve: usize,
    chunk: usize,
) {
    loop {
        let mut buf = back
            .try_recv()
            .ok()
            .filter(|b| b.len() == reserve + chunk)
            .unwrap_or_else(|| vec![0; reserve + chunk]);
        let mut end = reserve;
        let (mut error, mut eof) = (None, false);
        while end < buf.len() {
            match reader.read(&mut buf[end..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    error = Some(e.to_string());
                    eof = true;
                    break;
                }
            }
        }
        let nul = memchr::memchr(0, &buf[reserve..end]).is_some();
        let last = eof;
        let c = Chunk {
            buf,
            start: reserve,
            capacity: chunk,
            end,
            nul,
            error,
            eof,
        };
        if tx.send(c).is_err() || last {
            return;
        }
    }
}

/// The lines of the file at `path` (plain or gzip), read ahead on a second thread when the
/// file is large ([`PREFETCH_BYTES`]).
pub fn lines(path: &Path) -> Result<Lines<Box<dyn Read + Send>>, ParseError> {
    let reader = open(path)?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let gz = std::fs::File::open(path)
        .and_then(|mut f| {
            let mut m = [0u8; 2];
            read_fully(&mut f, &mut m).map(|n| n == 2 && m == [0x1f, 0x8b])
        })
        .unwrap_or(false);
    let big = if gz {
        size >= PREFETCH_BYTES / 8
    } else {
        size >= PREFETCH_BYTES
    };
    Ok(if big {
        Lines::prefetched(reader)
    } else {
        Lines::new(reader)
    })
}

/// A line-by-line reader over bytes. Lines are borrowed from one chunk buffer (no copy, no
/// allocation per line); only a line that straddles two chunks is moved.
pub struct Lines<R: Read> {
    /// `None` when a prefetching thread owns it.
    reader: Option<R>,
    feed: Option<Feed>,
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
    /// Bytes read from the input so far (see [`Lines::position`]).
    taken: u64,
    /// Pieces of lines longer than [`MAX_LINE`] returned so far.
    pub split_pieces: usize,
}

impl<R: Read> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader: Some(reader),
            feed: None,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            eof: false,
            nul_possible: false,
            line_no: 0,
            io_error: None,
            nul_lines: 0,
            nul_seen: false,
            taken: 0,
            split_pieces: 0,
        }
    }

    /// Lines read ahead by a second thread, in chunks of about a MiB (the thread ends when
    /// the input does or when these lines are dropped).
    pub fn prefetched(reader: R) -> Self
    where
        R: Send + 'static,
    {
        Self::prefetched_in(reader, RESERVE, CHUNK)
    }

    fn prefetched_in(reader: R, reserve: usize, chunk: usize) -> Self
    where
        R: Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        let (back_tx, back_rx) = std::sync::mpsc::channel();
        let spawned = std::thread::Builder::new()
            .name("chepath-read-ahead".into())
            .spawn(move || prefetch_loop(reader, tx, back_rx, reserve, chunk));
        match spawned {
            Ok(_) => {
                let mut l = Lines::new_empty();
                l.feed = Some(Feed { rx, back: back_tx });
                l
            }
            // no thread to be had: read in this one (the reader moved into the closure is
            // gone with it, so report the failure as the stream's)
            Err(e) => {
                let mut l = Lines::new_empty();
                l.io_error = Some(format!("cannot start the read-ahead thread: {e}"));
                l.eof = true;
                l
            }
        }
    }

    fn new_empty() -> Self {
        Lines {
            reader: None,
            feed: None,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            nul_possible: false,
            line_no: 0,
            io_error: None,
            nul_lines: 0,
            nul_seen: false,
            taken: 0,
            split_pieces: 0,
        }
    }

    /// Take the next prefetched chunk behind the unconsumed bytes: the unfinished line is
    /// copied into the room in front of the chunk (or, if longer, the chunk behind it), and
    /// the spent buffer goes back to the reading thread.
    fn refill_from_feed(&mut self) {
        let Some(feed) = &self.feed else { return };
        let Ok(c) = feed.rx.recv() else {
            self.eof = true;
            return;
        };
        let left = self.end - self.start;
        let spent = if left <= c.start {
            let mut buf = c.buf;
            let s = c.start - left;
            buf[s..c.start].copy_from_slice(&self.buf[self.start..self.end]);
            self.start = s;
            self.end = c.end;
            std::mem::replace(&mut self.buf, buf)
        } else {
            // a line longer than the room: append the chunk (bounded by MAX_LINE pieces)
            self.buf.copy_within(self.start..self.end, 0);
            self.buf.truncate(left);
            self.buf.extend_from_slice(&c.buf[c.start..c.end]);
            self.start = 0;
            self.end = self.buf.len();
            c.buf
        };
        self.taken += (c.end - c.start) as u64;
        if spent.len() == c.start + c.capacity {
            let _ = feed.back.send(spent);
        }
        if c.nul {
            self.nul_possible = true;
            self.nul_seen = true;
        }
        if let Some(e) = c.error {
            self.io_error = Some(e);
        }
        if c.eof {
            self.eof = true;
        }
    }

    /// Read more bytes behind the unconsumed ones.
    fn refill(&mut self) {
        if self.feed.is_some() {
            self.refill_from_feed();
            return;
        }
        let Some(reader) = self.reader.as_mut() else {
            self.eof = true;
            return;
        };
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
            match reader.read(&mut self.buf[self.end..]) {
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
                    self.taken += n as u64;
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

    /// How many bytes of the input were consumed: the offset of the next line (in the
    /// decompressed stream of a gzip file).
    pub fn position(&self) -> u64 {
        self.taken - (self.end - self.start) as u64
    }

    /// Count and return the line `buf[s..e]` (its `\r` removed).
    fn finish_line(&mut self, s: usize, e: usize, how: LineEnd) -> (&[u8], LineEnd, usize) {
        self.line_no += 1;
        if how == LineEnd::Split {
            self.split_pieces += 1;
        }
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

/// A capacity hint from a count read from a file, capped: a damaged count (`1E+301`) must
/// give a clear error when the data runs out, not an allocation failure up front.
pub fn capacity(n: usize) -> usize {
    n.min(1 << 16)
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

    /// A reader that fails after its data: the error must reach `io_error` through the
    /// read-ahead thread too.
    struct Failing(std::io::Cursor<Vec<u8>>);

    impl Read for Failing {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            match self.0.read(out)? {
                0 => Err(std::io::Error::other("truncated gzip member")),
                n => Ok(n),
            }
        }
    }

    #[test]
    fn prefetched_lines_keep_read_errors_and_stop_when_dropped() {
        let mut l = Lines::prefetched_in(Failing(std::io::Cursor::new(b"a\nb\nc".to_vec())), 2, 3);
        let mut n = 0;
        while l.next_line().is_some() {
            n += 1;
        }
        assert_eq!(n, 3);
        assert_eq!(l.io_error.as_deref(), Some("truncated gzip member"));
        // dropped after one line of a large input: the thread must not keep the process busy
        let big = vec![b'x'; 10 << 20];
        let mut l = Lines::prefetched(std::io::Cursor::new(big));
        assert!(l.next_line().is_some());
        drop(l);
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
        fn prefetched_lines_match_naive(data in text(), reserve in 1usize..6, chunk in 1usize..9) {
            let mut l = Lines::prefetched_in(std::io::Cursor::new(data.clone()), reserve, chunk);
            let mut got = Vec::new();
            while let Some((line, end, no)) = l.next_line() {
                got.push((no, line.to_vec(), end == LineEnd::Newline));
            }
            prop_assert_eq!(got, naive(&data));
            let mut l = Lines::prefetched_in(std::io::Cursor::new(data.clone()), reserve, chunk);
            let mut got = Vec::new();
            while let Some((line, end, no)) = l.next_matching(|h| memchr::memmem::find(h, b"MARK")) {
                got.push((no, line.to_vec(), end == LineEnd::Newline));
            }
            let want: Vec<_> = naive(&data)
                .into_iter()
                .filter(|(_, t, term)| !*term || memchr::memmem::find(t, b"MARK").is_some())
                .collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(l.line_no, naive(&data).len());
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
