//! vasprun.xml: streamed with quick-xml, keeping only what is reported.
//!
//! Read: generator version; `<incar>` and `<parameters>` values; the element of every atom
//! (`<atominfo>`); the initial and final structures; the energies of every ionic step (the
//! `<energy>` block directly inside each `<calculation>`: `e_fr_energy` = F,
//! `e_wo_entrp` = E, `e_0_energy` = E0); E-fermi, total and projected DOS of the last
//! `<dos>`; the eigenvalues of `<dynmat>` (IBRION 5–8). The band `<eigenvalues>` and the
//! `<projected>` arrays, which make most of a large file, are skipped without being kept.

use crate::doscar::{AtomDos, Column, Doscar, Layout, Spin, SpinLayout};
use crate::error::ParseError;
use crate::numbers::parse_f64;
use quick_xml::events::{BytesStart, Event};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufRead, Read};
use std::path::Path;

/// What to read besides energies, structures and modes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read the `<dos>` block (total and projected).
    pub dos: bool,
}

/// A structure from vasprun.xml.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct XmlStructure {
    /// Lattice vectors as rows, Å.
    pub lattice: [[f64; 3]; 3],
    /// Fractional positions.
    pub positions_direct: Vec<[f64; 3]>,
}

impl XmlStructure {
    pub fn positions_cartesian(&self) -> Vec<[f64; 3]> {
        let l = &self.lattice;
        self.positions_direct
            .iter()
            .map(|f| {
                let mut c = [0.0; 3];
                for (j, cj) in c.iter_mut().enumerate() {
                    *cj = f[0] * l[0][j] + f[1] * l[1][j] + f[2] * l[2][j];
                }
                c
            })
            .collect()
    }
}

/// Energies of one `<calculation>` (ionic step), eV.
///
/// VASP 5 writes a wrong `e_0_energy` in the `<energy>` block of each `<calculation>` (0, or
/// the entropy term). `e_0_energy` here is the step's `e_fr_energy` plus (E0 − F) of its last
/// SCF step (`<scstep>`), which also keeps corrections such as DFT-D3 that the SCF energies
/// leave out; pymatgen's `Vasprun.final_energy` does the same. The block's own value is
/// kept in `block_e_0_energy` and used when the two agree to 1e-7 eV.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct XmlEnergy {
    pub e_fr_energy: Option<f64>,
    pub e_wo_entrp: Option<f64>,
    /// E(sigma->0) of this ionic step (see the type's doc).
    pub e_0_energy: Option<f64>,
    /// `e_0_energy` as written in the `<calculation>` energy block (wrong in VASP 5).
    pub block_e_0_energy: Option<f64>,
}

/// Everything chepath reads from a vasprun.xml.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Vasprun {
    pub version: Option<String>,
    pub incar: BTreeMap<String, String>,
    /// `<parameters>`: every value VASP used, defaults included.
    pub parameters: BTreeMap<String, String>,
    /// Element of every atom.
    pub atoms: Vec<String>,
    pub initial_structure: Option<XmlStructure>,
    pub final_structure: Option<XmlStructure>,
    pub ionic_steps: Vec<XmlEnergy>,
    pub efermi: Option<f64>,
    pub dos: Option<Doscar>,
    /// Eigenvalues of the mass-weighted Hessian of `<dynmat>` (eV/Å²/amu; negative = real mode).
    pub dynmat_eigenvalues: Vec<f64>,
    /// `</modeling>` was reached.
    pub complete: bool,
    pub warnings: Vec<String>,
}

/// √(eV/Å²/amu) in THz (without 2π), as phonopy and pymatgen use.
pub const VASP_TO_THZ: f64 = 15.633302;
/// 1 THz in cm⁻¹.
pub const THZ_TO_CM1: f64 = 33.35641;

impl Vasprun {
    /// Normal-mode frequencies in cm⁻¹ from the dynmat eigenvalues, largest first; imaginary
    /// modes (positive eigenvalues) as negative numbers.
    pub fn normal_mode_frequencies_cm1(&self) -> Vec<f64> {
        let mut f: Vec<f64> = self
            .dynmat_eigenvalues
            .iter()
            .map(|e| if *e > 0.0 { -1.0 } else { 1.0 } * e.abs().sqrt() * VASP_TO_THZ * THZ_TO_CM1)
            .collect();
        f.sort_by(|a, b| b.total_cmp(a));
        f
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.parameters
            .get(name)
            .or_else(|| self.incar.get(name))
            .map(|s| s.trim())
    }
}

/// Read a vasprun.xml (plain or gzip).
pub fn read_vasprun(path: &Path, opts: &Options) -> Result<Vasprun, ParseError> {
    let r = crate::source::open(path)?;
    parse_vasprun(r, &path.display().to_string(), opts)
}

#[derive(Debug, Clone)]
struct Tag {
    name: Vec<u8>,
    attr_name: Option<String>,
    comment: Option<String>,
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn numbers(s: &str) -> Result<Vec<f64>, String> {
    s.split_ascii_whitespace()
        .map(|f| parse_f64(f.as_bytes()).map_err(|_| format!("'{f}' is not a number")))
        .collect()
}

#[derive(Default)]
struct DosAcc {
    total: Vec<Vec<Vec<f64>>>,
    partial_fields: Vec<String>,
    partial: Vec<Vec<Vec<Vec<f64>>>>,
}

/// Where the reader is in the tree, and what it has kept so far.
struct Walk<'a> {
    name: &'a str,
    opts: &'a Options,
    out: Vasprun,
    /// The open elements, outermost first.
    stack: Vec<Tag>,
    /// Scratch space for skipped subtrees.
    skip: Vec<u8>,
    /// Scratch space for the end tag of a skipped subtree.
    end_buf: Vec<u8>,
    /// Searchers of `</tag` for the skipped elements, built once per tag.
    end_finders: Vec<(Vec<u8>, memchr::memmem::Finder<'static>)>,
    /// Text of the innermost element so far.
    text: String,
    /// The `<structure>` being read.
    structure: XmlStructure,
    /// The energies of the `<calculation>` being read.
    calc_energy: XmlEnergy,
    /// The `<dos>` being read.
    dos: DosAcc,
    /// `<modeling>` was opened.
    seen_root: bool,
    /// Column within an `<rc>` of the atoms array.
    rc_col: usize,
    /// (F, E0) of the last `<scstep>` of the calculation.
    last_sc: (Option<f64>, Option<f64>),
    /// Row within the `basis` of a `<crystal>`.
    basis_row: usize,
}

/// The error for XML that is not well-formed vasprun.xml: `found`, near the reader's
/// position.
fn xml_error<R>(name: &str, xml: &quick_xml::Reader<R>, found: String) -> ParseError {
    ParseError::format(
        name,
        None,
        "well-formed vasprun.xml",
        format!("{found} near byte {}", xml.buffer_position()),
        "the file is cut or corrupt; VASP writes vasprun.xml as it runs, so a crashed run leaves it unfinished",
    )
}

/// The error for input that cannot be a vasprun.xml at all (`found`: what it holds and
/// where): reading stopped there, before anything large was buffered.
fn not_xml(name: &str, found: String) -> ParseError {
    ParseError::format(
        name,
        None,
        "a vasprun.xml (XML text)",
        found,
        "check that this is a vasprun.xml written by VASP; the file may be corrupt",
    )
}

/// How deep elements may nest (VASP's nest 9 deep): deeper input is refused, so that
/// nothing read costs more than this per element.
pub const MAX_XML_DEPTH: usize = 64;

/// Whether an element `n` is open.
fn within(stack: &[Tag], n: &[u8]) -> bool {
    stack.iter().any(|t| t.name == n)
}

/// Whether an element `n` with `name="a"` is open.
fn within_named(stack: &[Tag], n: &[u8], a: &str) -> bool {
    stack
        .iter()
        .any(|t| t.name == n && t.attr_name.as_deref() == Some(a))
}

/// The 0-based index of a `<set comment="ion N">` / `"spin N"`: the last word of the
/// comment, less one (0 when there is none).
fn set_index(t: &Tag) -> usize {
    t.comment
        .as_deref()
        .and_then(|c| c.split_whitespace().last())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(1)
        .saturating_sub(1)
}

/// A buffered reader that can grow its window ([`Refill::fill_more`]) while keeping the
/// bytes not yet consumed, so that a byte search can look past the end of one fill.
///
/// It also refuses input that cannot be XML before the XML reader buffers it: NUL bytes at
/// the start, or a run of more than [`MAX_XML_RUN`] bytes without a `<` (every event the
/// reader builds, text or tag, ends before the next `<`, so none can grow past it).
pub struct Refill<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// Bytes read since the last `<`, and in all.
    run: usize,
    total: u64,
    /// Why the input was refused (what was found), once it was.
    refused: Option<String>,
}

/// The longest run without a `<` accepted in a vasprun.xml (VASP's are under a KiB: a row
/// of numbers, an INCAR value, the indentation before a tag).
pub const MAX_XML_RUN: usize = 4 << 20;

/// How much of the start of a vasprun.xml is checked for NUL bytes.
const NUL_CHECK: u64 = 1 << 16;

impl<R: Read> Refill<R> {
    fn new(inner: R, capacity: usize) -> Self {
        Refill {
            inner,
            buf: vec![0; capacity],
            pos: 0,
            end: 0,
            run: 0,
            total: 0,
            refused: None,
        }
    }

    /// Check `n` bytes just read at `buf[end..]` ([`Refill`]): an error when they cannot
    /// be XML.
    fn check(&mut self, n: usize) -> std::io::Result<()> {
        let new = &self.buf[self.end..self.end + n];
        let nul = || memchr::memchr(0, new).is_some();
        let found = if self.total < NUL_CHECK && nul() {
            Some("NUL bytes (binary data, or zeros left by a crash)".to_string())
        } else {
            match memchr::memrchr(b'<', new) {
                Some(k) => self.run = n - k - 1,
                None => self.run += n,
            }
            (self.run > MAX_XML_RUN).then(|| {
                let what = if nul() { ": NUL bytes" } else { "" };
                format!(
                    "more than {} MiB without markup{what} (binary or corrupt data)",
                    MAX_XML_RUN >> 20
                )
            })
        };
        self.total += n as u64;
        match found {
            Some(f) => {
                let f = format!("{f} near byte {}", self.total);
                self.refused = Some(f.clone());
                Err(std::io::Error::new(std::io::ErrorKind::InvalidData, f))
            }
            None => Ok(()),
        }
    }

    /// Read more bytes behind the unconsumed ones (moved to the front; the buffer doubles
    /// when they fill it). Returns how many were read: 0 at the end of the input.
    fn fill_more(&mut self) -> std::io::Result<usize> {
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            let grown = self.buf.len() * 2;
            self.buf.resize(grown, 0);
        }
        loop {
            if let Some(f) = &self.refused {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    f.clone(),
                ));
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(n) => {
                    self.check(n)?;
                    self.end += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl<R: Read> Read for Refill<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        out[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Refill<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos == self.end {
            self.pos = 0;
            self.end = 0;
            self.fill_more()?;
        }
        Ok(&self.buf[self.pos..self.end])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.end);
    }
}

/// How much of a skipped subtree is kept for a byte scan ([`skip_raw`]'s `keep`).
const MAX_KEPT: usize = 1 << 20;

/// Consume the content of an element whose start tag was just read, up to (not including)
/// its end tag `</tag>`, by byte search: no XML event is built for what is inside (its
/// end tag is then read as an event, so the XML reader's own checks still see it). With
/// `keep`, the consumed bytes are copied there (at most [`MAX_KEPT`]). Returns false when
/// the input ends first. Right for elements that do not nest in themselves, which holds
/// for every element vasprun.xml skips.
fn skip_raw<R: Read>(
    xml: &mut quick_xml::Reader<Refill<R>>,
    finder: &memchr::memmem::Finder<'static>,
    mut keep: Option<&mut Vec<u8>>,
) -> std::io::Result<bool> {
    let needle = finder.needle();
    let mut stream = xml.stream();
    let mut from = 0;
    loop {
        let chunk = stream.fill_buf()?;
        let found = finder.find(&chunk[from..]).map(|i| i + from);
        if let Some(i) = found {
            // `</tag>` or `</tag ` (whitespace before `>`), not `</tagname>`
            match chunk.get(i + needle.len()) {
                Some(c) if *c == b'>' || c.is_ascii_whitespace() => {
                    if let Some(k) = keep.as_deref_mut() {
                        k.extend_from_slice(&chunk[..i.min(MAX_KEPT.saturating_sub(k.len()))]);
                    }
                    stream.consume(i);
                    return Ok(true);
                }
                Some(_) => {
                    from = i + 1;
                    continue;
                }
                None => {}
            }
        }
        // keep the tail that could be the start of the end tag, and read more behind it
        let keep_from = found.unwrap_or_else(|| chunk.len().saturating_sub(needle.len()));
        if let Some(k) = keep.as_deref_mut() {
            k.extend_from_slice(&chunk[..keep_from.min(MAX_KEPT.saturating_sub(k.len()))]);
        }
        stream.consume(keep_from);
        from = 0;
        if stream.get_mut().fill_more()? == 0 {
            let rest = stream.fill_buf()?.len();
            stream.consume(rest);
            return Ok(false);
        }
    }
}

/// The searchers of `name="e_fr_energy"` and `name="e_0_energy"`, built once.
fn scstep_finders() -> &'static [memchr::memmem::FinderRev<'static>; 2] {
    static F: std::sync::OnceLock<[memchr::memmem::FinderRev<'static>; 2]> =
        std::sync::OnceLock::new();
    F.get_or_init(|| {
        [
            memchr::memmem::FinderRev::new(b"name=\"e_fr_energy\"").into_owned(),
            memchr::memmem::FinderRev::new(b"name=\"e_0_energy\"").into_owned(),
        ]
    })
}

/// `<i name="KEY"> value </i>` in raw XML bytes (`finder` searches `name="KEY"`): the last
/// such value, if it is a number.
fn raw_i_value(xml: &[u8], finder: &memchr::memmem::FinderRev<'static>) -> Option<f64> {
    let k = finder.rfind(xml)?;
    let rest = &xml[k + finder.needle().len()..];
    let open = memchr::memchr(b'>', rest)? + 1;
    let close = memchr::memchr(b'<', &rest[open..])? + open;
    let v = std::str::from_utf8(&rest[open..close]).ok()?.trim();
    parse_f64(v.as_bytes()).ok()
}

/// Read a vasprun.xml from any reader.
pub fn parse_vasprun<S: Read>(
    reader: S,
    name: &str,
    opts: &Options,
) -> Result<Vasprun, ParseError> {
    parse_vasprun_buffered(reader, name, opts, 1 << 18)
}

/// [`parse_vasprun`] with a read buffer of `capacity` bytes (it grows when a byte search
/// needs more; tests use tiny ones to cross every boundary).
fn parse_vasprun_buffered<S: Read>(
    reader: S,
    name: &str,
    opts: &Options,
    capacity: usize,
) -> Result<Vasprun, ParseError> {
    let mut xml = quick_xml::Reader::from_reader(Refill::new(reader, capacity.max(1)));
    xml.config_mut().trim_text(true);
    let mut w = Walk {
        name,
        opts,
        out: Vasprun::default(),
        stack: Vec::new(),
        skip: Vec::new(),
        end_buf: Vec::new(),
        end_finders: Vec::new(),
        text: String::new(),
        structure: XmlStructure::default(),
        calc_energy: XmlEnergy::default(),
        dos: DosAcc::default(),
        seen_root: false,
        rc_col: 0,
        last_sc: (None, None),
        basis_row: 0,
    };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let ev = match xml.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                let refused = xml.get_ref().refused.clone();
                if w.seen_root && !w.out.ionic_steps.is_empty() {
                    let why = match &refused {
                        Some(f) => format!("{f}: reading stopped there"),
                        None => {
                            format!("near byte {} ({e}): the file is cut", xml.buffer_position())
                        }
                    };
                    w.out.warnings.push(format!(
                        "{name}: the XML breaks off {why}; results cover what came before"
                    ));
                    break;
                }
                return Err(match refused {
                    Some(f) => not_xml(name, f),
                    None => xml_error(name, &xml, e.to_string()),
                });
            }
        };
        match ev {
            Event::Start(e) => {
                let more = w.start(&mut xml, &e)?;
                if !more {
                    break;
                }
            }
            Event::Empty(_) => {}
            Event::Text(t) => {
                if let Ok(s) = t.unescape() {
                    if w.text.len() + s.len() > MAX_XML_RUN {
                        return Err(not_xml(
                            name,
                            format!(
                                "an element with more than {} MiB of text near byte {}",
                                MAX_XML_RUN >> 20,
                                xml.buffer_position()
                            ),
                        ));
                    }
                    w.text.push_str(&s);
                }
            }
            Event::End(_) => w.end(&xml)?,
            Event::Eof => break,
            _ => {}
        }
    }
    w.finish()
}

impl Walk<'_> {
    /// An opening tag `e`: the root checked, subtrees nothing reads skipped unread, any
    /// other element pushed. Returns false when the file breaks off inside a skipped
    /// subtree (with a warning): reading stops there.
    fn start<R: Read>(
        &mut self,
        xml: &mut quick_xml::Reader<Refill<R>>,
        e: &BytesStart,
    ) -> Result<bool, ParseError> {
        let tag = e.name().as_ref().to_vec();
        if !self.seen_root {
            if tag != b"modeling" {
                return Err(xml_error(
                    self.name,
                    xml,
                    format!("a first element <{}>", String::from_utf8_lossy(&tag)),
                ));
            }
            self.seen_root = true;
        }
        let name_attr = if tag == b"varray" || tag == b"structure" || tag == b"i" {
            attr(e, b"name")
        } else {
            None
        };
        if self.stack.len() >= MAX_XML_DEPTH {
            return Err(not_xml(
                self.name,
                format!(
                    "elements nested more than {MAX_XML_DEPTH} deep (VASP's: 9) near byte {}",
                    xml.buffer_position()
                ),
            ));
        }
        let scstep = tag == b"scstep" && within(&self.stack, b"calculation");
        if scstep || self.skipped(&tag, name_attr.as_deref()) {
            return self.skip_subtree(xml, e, &tag, scstep);
        }
        self.open(tag, e, name_attr);
        Ok(true)
    }

    /// Skip the subtree `e` opened by byte search ([`skip_raw`]), then read its end tag. An
    /// SCF step (`scstep`) is kept and scanned for its `e_fr_energy` and `e_0_energy`: the
    /// last step's are the calculation's corrected energies. False when the file breaks off
    /// inside it (with a warning).
    fn skip_subtree<R: Read>(
        &mut self,
        xml: &mut quick_xml::Reader<Refill<R>>,
        e: &BytesStart,
        tag: &[u8],
        scstep: bool,
    ) -> Result<bool, ParseError> {
        self.skip.clear();
        let finder = match self.end_finders.iter().position(|(t, _)| t == tag) {
            Some(i) => &self.end_finders[i].1,
            None => {
                let mut needle = b"</".to_vec();
                needle.extend_from_slice(tag);
                let f = memchr::memmem::Finder::new(&needle).into_owned();
                self.end_finders.push((tag.to_vec(), f));
                &self.end_finders[self.end_finders.len() - 1].1
            }
        };
        let keep = if scstep { Some(&mut self.skip) } else { None };
        let done = match skip_raw(xml, finder, keep) {
            Ok(true) => {
                self.end_buf.clear();
                xml.read_to_end_into(e.name(), &mut self.end_buf)
                    .map_err(|err| err.to_string())
            }
            Ok(false) => Err("end of file".to_string()),
            Err(err) => Err(err.to_string()),
        };
        if let Err(err) = done {
            self.out.warnings.push(format!(
                "{}: the file breaks off inside <{}> ({err}): it is cut",
                self.name,
                String::from_utf8_lossy(tag)
            ));
            return Ok(false);
        }
        if scstep {
            let [fr, e0] = scstep_finders();
            self.last_sc = (raw_i_value(&self.skip, fr), raw_i_value(&self.skip, e0));
        }
        Ok(true)
    }

    /// Subtrees nothing here reads, skipped without building events for their content.
    /// Per-step structures, forces and stresses are most of a long run's vasprun.xml; only
    /// the named initial/final structures are kept.
    fn skipped(&self, tag: &[u8], name_attr: Option<&str>) -> bool {
        let in_calc = || within(&self.stack, b"calculation");
        tag == b"eigenvalues" && in_calc()
            || tag == b"projected"
            || tag == b"projected_kpoints_opt"
            || tag == b"eigenvalues_kpoints_opt"
            // without the DOS, <dos> is entered for its E-fermi only
            || (matches!(tag, b"total" | b"partial") && !self.opts.dos && within(&self.stack, b"dos"))
            || (tag == b"structure" && name_attr.is_none() && in_calc())
            || (tag == b"varray" && matches!(name_attr, Some("eigenvectors" | "forces" | "stress")))
    }

    /// Push element `tag` (its `name` attribute `name_attr` when already read), resetting
    /// what it starts: a structure, a calculation's energies, the DOS, the text.
    fn open(&mut self, tag: Vec<u8>, e: &BytesStart, name_attr: Option<String>) {
        if tag == b"structure" {
            self.structure = XmlStructure::default();
        }
        if tag == b"calculation" {
            self.calc_energy = XmlEnergy::default();
        }
        if tag == b"dos" {
            // Keep the last <dos> only (relaxations may write one per step).
            self.dos = DosAcc::default();
        }
        self.text.clear();
        let comment = if tag == b"set" {
            attr(e, b"comment")
        } else {
            None
        };
        let attr_name = if name_attr.is_some() {
            name_attr
        } else if tag == b"varray" || tag == b"structure" || tag == b"i" {
            None
        } else {
            attr(e, b"name")
        };
        self.stack.push(Tag {
            name: tag,
            attr_name,
            comment,
        });
    }

    /// A closing tag: the innermost element popped and what it holds kept.
    fn end<R>(&mut self, xml: &quick_xml::Reader<R>) -> Result<(), ParseError> {
        let Some(tag) = self.stack.pop() else {
            return Ok(());
        };
        match tag.name.as_slice() {
            b"i" => self.end_i(&tag),
            // the first <c> of each <rc> of the atoms array is the element
            b"c" if within_named(&self.stack, b"array", "atoms")
                && within(&self.stack, b"atominfo") =>
            {
                if self.rc_col == 0 {
                    self.out.atoms.push(v_trim(&self.text));
                }
                self.rc_col += 1;
            }
            b"rc" => self.rc_col = 0,
            b"v" => self.end_v(&tag, xml)?,
            b"crystal" => self.basis_row = 0,
            b"structure" => {
                let s = std::mem::take(&mut self.structure);
                match tag.attr_name.as_deref() {
                    Some("initialpos") => self.out.initial_structure = Some(s),
                    Some("finalpos") => self.out.final_structure = Some(s),
                    _ => {}
                }
            }
            b"calculation" => self.end_calculation(),
            b"field" if within(&self.stack, b"partial") => {
                self.dos.partial_fields.push(self.text.trim().to_string())
            }
            b"r" if within(&self.stack, b"dos") => self.end_dos_row(xml)?,
            b"modeling" => self.out.complete = true,
            _ => {}
        }
        self.text.clear();
        Ok(())
    }

    /// `<i name="key">value</i>`, by where it sits: the generator's version, an INCAR or
    /// `<parameters>` value, an energy of the calculation or of its SCF step, E-fermi.
    fn end_i(&mut self, tag: &Tag) {
        let stack = &self.stack;
        let parent = stack.last().map(|t| t.name.as_slice()).unwrap_or(b"");
        let v = self.text.trim().to_string();
        let key = tag.attr_name.clone().unwrap_or_default();
        if within(stack, b"generator") && key == "version" {
            self.out.version = Some(v);
        } else if parent == b"incar" {
            self.out.incar.insert(key, v);
        } else if within(stack, b"parameters") {
            self.out.parameters.insert(key, v);
        } else if parent == b"energy"
            && stack.len() >= 2
            && stack[stack.len() - 2].name == b"calculation"
        {
            let x = parse_f64(v.as_bytes()).ok();
            match key.as_str() {
                "e_fr_energy" => self.calc_energy.e_fr_energy = x,
                "e_wo_entrp" => self.calc_energy.e_wo_entrp = x,
                "e_0_energy" => self.calc_energy.block_e_0_energy = x,
                _ => {}
            }
        } else if parent == b"energy"
            && stack.len() >= 2
            && stack[stack.len() - 2].name == b"scstep"
        {
            let x = parse_f64(v.as_bytes()).ok();
            match key.as_str() {
                "e_0_energy" => self.last_sc.1 = x,
                "e_fr_energy" => self.last_sc.0 = x,
                _ => {}
            }
        } else if parent == b"dos" && key == "efermi" {
            self.out.efermi = parse_f64(v.as_bytes()).ok();
        }
    }

    /// `<v>`: the dynmat eigenvalues, or a row of a structure's basis (the first three of a
    /// `<crystal>`) or of its positions.
    fn end_v<R>(&mut self, tag: &Tag, xml: &quick_xml::Reader<R>) -> Result<(), ParseError> {
        let name = self.name;
        let stack = &self.stack;
        let key = tag.attr_name.as_deref();
        if within(stack, b"dynmat") && key == Some("eigenvalues") {
            self.out.dynmat_eigenvalues =
                numbers(&self.text).map_err(|e| xml_error(name, xml, e))?;
        } else if within(stack, b"structure")
            && (within_named(stack, b"varray", "basis")
                || within_named(stack, b"varray", "positions"))
        {
            let v = numbers(&self.text).map_err(|e| xml_error(name, xml, e))?;
            if v.len() >= 3 {
                let row = [v[0], v[1], v[2]];
                if within_named(stack, b"varray", "basis") && within(stack, b"crystal") {
                    let k = self.basis_row;
                    if k < 3 {
                        self.structure.lattice[k] = row;
                    }
                    self.basis_row += 1;
                } else if within_named(stack, b"varray", "positions") {
                    self.structure.positions_direct.push(row);
                }
            }
        }
        Ok(())
    }

    /// `</calculation>`: the ionic step's energies kept, with E0 = F of the step + (E0 − F)
    /// of its last SCF step. That keeps the corrections (vdW) only the step's F includes,
    /// and replaces the e_0_energy that VASP 5 writes wrongly in the step's energy block;
    /// the block's value is used when the two agree to 1e-7 eV.
    fn end_calculation(&mut self) {
        let fixed = match (self.calc_energy.e_fr_energy, self.last_sc) {
            (Some(f), (Some(sf), Some(s0))) => Some(f + (s0 - sf)),
            _ => None,
        };
        self.calc_energy.e_0_energy = match (self.calc_energy.block_e_0_energy, fixed) {
            (Some(b), Some(x)) if (b - x).abs() <= 1e-7 => Some(b),
            (b, x) => x.or(b),
        };
        self.out.ionic_steps.push(self.calc_energy);
        self.last_sc = (None, None);
    }

    /// `<r>` of the `<dos>`: a row of the total DOS (set nesting [spin]) or of the partial
    /// DOS ([ion][spin]). Set indices come from `comment="ion N"` / `"spin N"`: bounded, so a
    /// damaged comment cannot make the reader allocate without end.
    fn end_dos_row<R>(&mut self, xml: &quick_xml::Reader<R>) -> Result<(), ParseError> {
        let name = self.name;
        let row = numbers(&self.text).map_err(|e| xml_error(name, xml, e))?;
        let stack = &self.stack;
        let sets: Vec<&Tag> = stack.iter().filter(|t| t.name == b"set").collect();
        let bad_set = sets.iter().any(|t| set_index(t) >= 1 << 20)
            || (sets.len() >= 2 && set_index(sets[sets.len() - 1]) >= 4);
        if bad_set {
            return Err(xml_error(
                name,
                xml,
                "a <set comment=\"ion N\"/\"spin N\"> index out of range in <dos>".into(),
            ));
        }
        let dos = &mut self.dos;
        if within(stack, b"total") && sets.len() >= 2 {
            let s = set_index(sets[sets.len() - 1]);
            while dos.total.len() <= s {
                dos.total.push(Vec::new());
            }
            dos.total[s].push(row);
        } else if within(stack, b"partial") && sets.len() >= 3 {
            let ion = set_index(sets[sets.len() - 2]);
            let s = set_index(sets[sets.len() - 1]);
            while dos.partial.len() <= ion {
                dos.partial.push(Vec::new());
            }
            while dos.partial[ion].len() <= s {
                dos.partial[ion].push(Vec::new());
            }
            dos.partial[ion][s].push(row);
        }
        Ok(())
    }

    /// After the last event: the error when there was no root element, the warning for a
    /// missing `</modeling>`, and the DOS assembled when it was asked for.
    fn finish(self) -> Result<Vasprun, ParseError> {
        let Walk {
            name,
            opts,
            mut out,
            dos,
            seen_root,
            ..
        } = self;
        if !seen_root {
            return Err(ParseError::format(
                name,
                None,
                "a vasprun.xml (<modeling> root element)",
                "no XML elements",
                "check that this is a vasprun.xml",
            ));
        }
        if !out.complete {
            out.warnings.push(format!(
                "{name}: no closing </modeling>: the run did not finish or the file is cut"
            ));
        }
        if opts.dos && !dos.total.is_empty() {
            out.dos = Some(assemble_dos(dos, &out, name)?);
        }
        Ok(out)
    }
}

fn v_trim(s: &str) -> String {
    s.trim().to_string()
}

/// Build the same record a DOSCAR gives from the XML arrays.
fn assemble_dos(acc: DosAcc, v: &Vasprun, name: &str) -> Result<Doscar, ParseError> {
    let bad = |m: String| {
        ParseError::format(
            name,
            None,
            "a consistent <dos> block",
            m,
            "the file is corrupt",
        )
    };
    let nspin = acc.total.len();
    let first = &acc.total[0];
    let nedos = first.len();
    // The grid VASP says it wrote: a row deleted or repeated inside a set is not silently
    // a shorter or longer DOS.
    if let Some(want) = v.param("NEDOS").and_then(|x| x.parse::<usize>().ok()) {
        if want != nedos {
            return Err(bad(format!(
                "the total DOS has {nedos} rows, NEDOS in <parameters> is {want}"
            )));
        }
    }
    let energies: Vec<f64> = first
        .iter()
        .map(|r| r.first().copied().unwrap_or(f64::NAN))
        .collect();
    let (total, integ) = total_channels(&acc.total, nedos).map_err(bad)?;
    let spins = spins_of(&acc.partial, nspin).map_err(bad)?;
    let orbitals = orbitals_of(&acc.partial_fields);
    let columns = columns_of(&orbitals, &spins);
    let atoms = projected_atoms(&acc.partial, &orbitals, &spins, &columns, nedos).map_err(bad)?;
    let layout = (!atoms.is_empty()).then(|| xml_layout(&orbitals, spins.len(), columns));
    let efermi = v.efermi.unwrap_or(f64::NAN);
    Ok(Doscar {
        nions: if atoms.is_empty() {
            v.atoms.len()
        } else {
            atoms.len()
        },
        system: String::new(),
        emax: energies.last().copied().unwrap_or(f64::NAN),
        emin: energies.first().copied().unwrap_or(f64::NAN),
        nedos,
        efermi,
        energies,
        total,
        total_integrated: integ,
        pdos_blocks: atoms.len(),
        layout,
        atoms,
        warnings: Vec::new(),
    })
}

/// Values per spin channel, each over the energy grid.
type Channels = Vec<Vec<f64>>;

/// DOS and integrated DOS (columns 1 and 2 of each row, as magnitudes) of the total-DOS
/// spin sets: two for ISPIN=2, otherwise the first; each of `nedos` rows.
fn total_channels(total: &[Vec<Vec<f64>>], nedos: usize) -> Result<(Channels, Channels), String> {
    let mut dos = Vec::new();
    let mut integ = Vec::new();
    let total_spins = if total.len() == 2 { 2 } else { 1 };
    for (s, rows) in total.iter().enumerate().take(total_spins) {
        if rows.len() != nedos || rows.iter().any(|r| r.len() < 3) {
            return Err(format!(
                "total DOS of spin {} has {} rows of unequal length",
                s + 1,
                rows.len()
            ));
        }
        dos.push(rows.iter().map(|r| r[1].abs()).collect());
        integ.push(rows.iter().map(|r| r[2].abs()).collect());
    }
    Ok((dos, integ))
}

/// The spin components of the projections, by the number of spin sets of the first ion
/// (`nspin`, that of the total DOS, without projections): 1, 2 (up, down) or 4 (total, mx,
/// my, mz).
fn spins_of(partial: &[Vec<Vec<Vec<f64>>>], nspin: usize) -> Result<Vec<Spin>, String> {
    match partial.first().map(|p| p.len()).unwrap_or(nspin) {
        1 => Ok(vec![Spin::Total]),
        2 => Ok(vec![Spin::Up, Spin::Down]),
        4 => Ok(vec![Spin::Total, Spin::Mx, Spin::My, Spin::Mz]),
        n => Err(format!("{n} spin components")),
    }
}

/// The orbital names of the `<partial>` fields (`energy` left out). vasprun.xml names the
/// d(x²−y²) orbital `x2-y2`; DOSCAR order and pymatgen call it `dx2`.
fn orbitals_of(fields: &[String]) -> Vec<String> {
    fields
        .iter()
        .filter(|f| f.as_str() != "energy")
        .map(|f| {
            if f == "x2-y2" {
                "dx2".to_string()
            } else {
                f.clone()
            }
        })
        .collect()
}

/// Angular momentum of an orbital name by its first letter (s 0, p 1, d 2, f 3; 9 for
/// anything else).
fn orbital_l(o: &str) -> u8 {
    match o.chars().next() {
        Some('s') => 0,
        Some('p') => 1,
        Some('d') => 2,
        Some('f') => 3,
        _ => 9,
    }
}

/// One column per orbital and spin component, spin varying fastest (DOSCAR order).
fn columns_of(orbitals: &[String], spins: &[Spin]) -> Vec<Column> {
    let mut columns = Vec::new();
    for o in orbitals {
        for s in spins {
            columns.push(Column {
                orbital: o.clone(),
                l: orbital_l(o),
                spin: *s,
            });
        }
    }
    columns
}

/// The projected DOS of every ion, in `columns` order: for each orbital and spin, value
/// `oi + 1` of each of the `nedos` rows (a spin-down column stored negated is turned
/// positive, see [`crate::doscar::normalise_down`]).
fn projected_atoms(
    partial: &[Vec<Vec<Vec<f64>>>],
    orbitals: &[String],
    spins: &[Spin],
    columns: &[Column],
    nedos: usize,
) -> Result<Vec<AtomDos>, String> {
    let mut atoms = Vec::new();
    for (ion, per_spin) in partial.iter().enumerate() {
        let mut values = vec![Vec::with_capacity(crate::source::capacity(nedos)); columns.len()];
        for (oi, _) in orbitals.iter().enumerate() {
            for (si, _) in spins.iter().enumerate() {
                let rows = per_spin
                    .get(si)
                    .ok_or_else(|| format!("ion {} lacks spin {}", ion + 1, si + 1))?;
                if rows.len() != nedos {
                    return Err(format!(
                        "ion {} spin {} has {} rows, not {nedos}",
                        ion + 1,
                        si + 1,
                        rows.len()
                    ));
                }
                let col = oi * spins.len() + si;
                for r in rows {
                    // a <field> deleted or repeated is not a silently different orbital set
                    if r.len() != orbitals.len() + 1 {
                        return Err(format!(
                            "ion {} has rows of {} values, but the <field>s name energy and {} orbitals",
                            ion + 1,
                            r.len(),
                            orbitals.len()
                        ));
                    }
                    let x = r
                        .get(oi + 1)
                        .copied()
                        .ok_or_else(|| format!("ion {} has a short row", ion + 1))?;
                    values[col].push(x);
                }
            }
        }
        crate::doscar::normalise_down(columns, &mut values);
        atoms.push(AtomDos {
            index: ion + 1,
            values,
        });
    }
    Ok(atoms)
}

/// The layout of the projections: lm-resolved when an orbital name is longer than one
/// letter, with f when one starts with `f`; the spin structure from `nspins` (1, 2 or 4).
fn xml_layout(orbitals: &[String], nspins: usize, columns: Vec<Column>) -> Layout {
    let lm = orbitals.iter().any(|o| o.len() > 1);
    let has_f = orbitals.iter().any(|o| o.starts_with('f'));
    let spin = match nspins {
        1 => SpinLayout::None,
        2 => SpinLayout::Collinear,
        _ => SpinLayout::Noncollinear,
    };
    Layout {
        spin,
        lm_resolved: lm,
        has_f,
        description: format!(
            "vasprun.xml: {} ({}), {}",
            if lm { "lm-resolved" } else { "s p d" },
            orbitals.join(" "),
            spin.describe()
        ),
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small vasprun.xml with what is skipped by byte search (SCF steps, per-step
    /// structures, forces, eigenvalues, projections) and decoys: `</scstepX>`-like names,
    /// an end tag with a space before `>`.
    const XML: &str = r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<modeling>
 <generator><i name="version" type="string">6.4.1 </i></generator>
 <incar><i type="string" name="IBRION">2</i></incar>
 <atominfo><array name="atoms"><set><rc><c>Ni</c><c>1</c></rc></set></array></atominfo>
 <calculation>
  <scstep><time name="total">1.0 1.0</time><energy><i name="e_fr_energy">  -10.5 </i><i name="e_0_energy">  -10.4 </i></energy></scstep>
  <scstep><energy><i name="e_fr_energy">  -11.25 </i><i name="e_wo_entrp"> -11.2 </i><i name="e_0_energy">  -11.125 </i></energy></scstep >
  <structure><crystal><varray name="basis"><v>1 0 0</v></varray></crystal></structure>
  <varray name="forces"><v> 0.1 0.2 0.3 </v></varray>
  <energy><i name="e_fr_energy">  -11.25 </i><i name="e_wo_entrp"> -11.2 </i><i name="e_0_energy">  -11.125 </i></energy>
  <eigenvalues><array><set><r> 1 2 </r><eigenvaluesX/></set></array></eigenvalues>
 </calculation>
 <calculation>
  <scstep><energy><i name="e_fr_energy">  -12.0 </i><i name="e_0_energy">  -11.9 </i></energy></scstep>
  <energy><i name="e_fr_energy">  -12.0 </i><i name="e_wo_entrp"> -11.95 </i><i name="e_0_energy">  -11.9 </i></energy>
  <projected><array><set><r> 0.1 </r></set></array></projected>
 </calculation>
</modeling>
"#;

    #[test]
    fn byte_skips_agree_at_every_buffer_size() {
        let opts = Options::default();
        let want = parse_vasprun(XML.as_bytes(), "x", &opts).expect("parse");
        assert_eq!(want.ionic_steps.len(), 2);
        assert_eq!(want.ionic_steps[1].e_0_energy, Some(-11.9));
        assert!(want.complete, "{:?}", want.warnings);
        for cap in 1..64 {
            let got = parse_vasprun_buffered(XML.as_bytes(), "x", &opts, cap).expect("parse");
            assert_eq!(got.ionic_steps, want.ionic_steps, "capacity {cap}");
            assert_eq!(got.warnings, want.warnings, "capacity {cap}");
            assert_eq!(got.complete, want.complete, "capacity {cap}");
        }
    }

    #[test]
    fn a_file_cut_inside_a_skipped_subtree_is_cut() {
        // inside the second calculation's <projected>: the first calculation is complete
        let cut = &XML[..XML.find("<projected><array>").expect("projected") + 20];
        let v = parse_vasprun(cut.as_bytes(), "x", &Options::default()).expect("partial");
        assert!(!v.complete);
        assert!(
            v.warnings
                .iter()
                .any(|w| w.contains("breaks off inside <projected>")),
            "{:?}",
            v.warnings
        );
        assert_eq!(v.ionic_steps.len(), 1);
    }

    #[test]
    fn raw_values_are_the_last_numbers() {
        let [fr, e0] = scstep_finders();
        let x = br#"<i name="e_fr_energy"> 1.5 </i><i name="e_fr_energy"> -2.25 </i>"#;
        assert_eq!(raw_i_value(x, fr), Some(-2.25));
        assert_eq!(raw_i_value(x, e0), None);
        assert_eq!(raw_i_value(br#"<i name="e_0_energy"> 1.2x </i>"#, e0), None);
    }
}
