//! DOSCAR: total and projected densities of states.
//!
//! Layout: five header lines (line 1: `NIONS NIONS JOBPAR NCDIJ`), then a line
//! `EMAX EMIN NEDOS EFERMI 1.0`, NEDOS lines of total DOS, and, when LORBIT ≥ 10, one block
//! per atom: the same `EMAX EMIN NEDOS EFERMI 1.0` line and NEDOS lines of projected DOS.
//!
//! Total DOS columns: `E dos int` (ISPIN=1 or non-collinear) or `E up down int_up int_down`.
//! Projected columns after the energy, by number:
//!
//! | columns | layout |
//! |---|---|
//! | 3 / 4 | s p d [f] (LORBIT=10, ISPIN=1) |
//! | 6 / 8 | s↑ s↓ p↑ p↓ d↑ d↓ [f↑ f↓] (LORBIT=10, ISPIN=2) |
//! | 9 / 16 | s py pz px dxy dyz dz2 dxz dx2 [f…] (LORBIT=11/12, ISPIN=1) |
//! | 18 / 32 | the same, each ↑ then ↓ (LORBIT=11/12, ISPIN=2) |
//! | 12 / 16 | s p d [f], each total mx my mz (LORBIT=10, non-collinear) |
//! | 36 / 64 | lm-resolved, each total mx my mz (LORBIT=11/12, non-collinear) |
//!
//! 16 columns with a 3-column total DOS are ambiguous (ISPIN=1 lm with f, or non-collinear
//! s p d f): the reader needs LNONCOLLINEAR or LORBIT from the OUTCAR or INCAR beside the
//! file ([`LayoutHint`]) and refuses without it.
//!
//! Spin-down values are read as magnitudes: VASP writes them positive, post-processing tools
//! often negate them, and the reference DOSCAR readers (REFERENCE.json, VASPKIT-style
//! scripts) take `abs`. This also turns VASP's tiny negative projection artefacts positive;
//! vasprun.xml keeps them as written, as pymatgen does (see [`normalise_down`]). The two
//! readings of one run differ by well under 1e-3 eV in a d-band centre.

use crate::error::{show, ParseError};
use crate::numbers::{fast_fields, parse_f64};
use crate::source::{fields, text, trim, LineEnd, Lines};
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// Which spin component a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Spin {
    /// ISPIN=1, or the total (charge) part of a non-collinear projection.
    Total,
    Up,
    Down,
    Mx,
    My,
    Mz,
}

/// One projected column: orbital name, angular momentum and spin component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// `s`, `p`, `d`, `f`, or an lm name (`dxy`, `dz2`, `fy3x2`, …).
    pub orbital: String,
    /// 0 = s, 1 = p, 2 = d, 3 = f.
    pub l: u8,
    pub spin: Spin,
}

/// The spin structure of a DOS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpinLayout {
    /// ISPIN=1: one channel.
    None,
    /// ISPIN=2: up and down.
    Collinear,
    /// Non-collinear: total and magnetisation (mx, my, mz).
    Noncollinear,
}

impl SpinLayout {
    /// `ISPIN=1`, `ISPIN=2` or `non-collinear`, for descriptions.
    pub fn describe(self) -> &'static str {
        match self {
            SpinLayout::None => "ISPIN=1",
            SpinLayout::Collinear => "ISPIN=2",
            SpinLayout::Noncollinear => "non-collinear",
        }
    }
}

/// How the projected columns are laid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    pub spin: SpinLayout,
    /// true for lm-resolved (LORBIT=11/12), false for s, p, d, f (LORBIT=10).
    pub lm_resolved: bool,
    pub has_f: bool,
    pub columns: Vec<Column>,
    /// Human description, e.g. `lm-resolved, ISPIN=2 (18 columns)`.
    pub description: String,
}

/// What the files beside a DOSCAR say about its layout (from OUTCAR or INCAR).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayoutHint {
    pub ispin: Option<u8>,
    pub noncollinear: Option<bool>,
    pub lorbit: Option<i64>,
}

/// Projected DOS of one atom: `values[column][energy index]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtomDos {
    /// 1-based atom index.
    pub index: usize,
    pub values: Vec<Vec<f64>>,
}

/// A DOSCAR read into memory (projections only for the atoms asked for).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doscar {
    pub nions: usize,
    pub system: String,
    pub emax: f64,
    pub emin: f64,
    pub nedos: usize,
    pub efermi: f64,
    /// Absolute energies (eV), as in the file.
    pub energies: Vec<f64>,
    /// Total DOS per spin channel: one channel (ISPIN=1, non-collinear) or two (up, down).
    pub total: Vec<Vec<f64>>,
    /// Integrated total DOS per spin channel.
    pub total_integrated: Vec<Vec<f64>>,
    /// Layout of the projected blocks; `None` when the file has none (LORBIT < 10).
    pub layout: Option<Layout>,
    /// Number of projected blocks in the file.
    pub pdos_blocks: usize,
    /// The projected DOS of the atoms that were asked for, in atom order; empty when the
    /// blocks were handed to a visitor ([`stream_doscar`]).
    pub atoms: Vec<AtomDos>,
    pub warnings: Vec<String>,
}

impl Doscar {
    /// Energies relative to E-fermi of this file.
    pub fn energies_relative(&self) -> Vec<f64> {
        self.energies.iter().map(|e| e - self.efermi).collect()
    }

    pub fn atom(&self, index: usize) -> Option<&AtomDos> {
        self.atoms.iter().find(|a| a.index == index)
    }
}

/// Which atoms' projections to keep (or hand to a visitor).
#[derive(Debug, Clone, Default)]
pub enum AtomFilter {
    /// All atoms.
    #[default]
    All,
    /// These 1-based indices only; other blocks are skipped without parsing their numbers.
    Only(Vec<usize>),
}

/// NIONS from line 1 of a DOSCAR, reading nothing beyond it.
pub fn read_nions(path: &Path) -> Result<usize, ParseError> {
    let mut lines = Lines::new(crate::source::open(path)?);
    let name = path.display().to_string();
    let Some((l, _, no)) = lines.next_line() else {
        return Err(ParseError::format(
            &name,
            Some(1),
            "the DOSCAR header 'NIONS NIONS JOBPAR NCDIJ'",
            "an empty file",
            "check that this is a DOSCAR",
        ));
    };
    let n = fields(l)
        .next()
        .and_then(|f| crate::numbers::parse_i64(f).ok())
        .filter(|n| *n > 0)
        .map(|n| n as usize);
    let Some(n) = n else {
        return Err(ParseError::format(
            &name,
            Some(no),
            "the number of ions as the first field of a DOSCAR",
            show(l, 40),
            "check that this is a DOSCAR",
        ));
    };
    let most = most_atoms(path);
    if n > most {
        return Err(ParseError::format(
            &name,
            Some(no),
            format!("at most {most} ions for a file of this size (each needs a projected block of at least two lines)"),
            format!("NIONS = {n}"),
            "line 1 is damaged; pass --structure, or repair the first field",
        ));
    }
    Ok(n)
}

/// The most atoms the DOSCAR at `path` can hold projected blocks for: a block is at least
/// two lines of two bytes, so a plain file holds at most its size / 4; a gzip member
/// expands at most 1032-fold (deflate's limit). Refuses a damaged NIONS (`2000000000`)
/// before a selection of that many atoms is made.
fn most_atoms(path: &Path) -> usize {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(u64::MAX);
    let mut magic = [0u8; 2];
    let gz = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == [0x1f, 0x8b];
    let most = if gz {
        bytes.saturating_mul(1032) / 4
    } else {
        bytes / 4
    };
    usize::try_from(most.max(1)).unwrap_or(usize::MAX)
}

/// Read a DOSCAR from a path (plain or gzip; large files read ahead on a second thread),
/// keeping the projections of the atoms asked for. For descriptors that need one atom at a
/// time, [`stream_doscar`] keeps none.
pub fn read_doscar(
    path: &Path,
    hint: LayoutHint,
    atoms: &AtomFilter,
) -> Result<Doscar, ParseError> {
    let lines = crate::source::lines(path)?;
    parse_lines(lines, &path.display().to_string(), hint, atoms, Sink::Keep)
}

const LM: [&str; 16] = [
    "s", "py", "pz", "px", "dxy", "dyz", "dz2", "dxz", "dx2", "fy3x2", "fxyz", "fyz2", "fz3",
    "fxz2", "fzx2", "fx3",
];
const LM_L: [u8; 16] = [0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3];
const SPDF: [&str; 4] = ["s", "p", "d", "f"];

fn layout_of(ncols: usize, total_cols: usize, hint: LayoutHint) -> Result<Layout, String> {
    let col = |orbital: &str, l: u8, spin: Spin| Column {
        orbital: orbital.to_string(),
        l,
        spin,
    };
    let build = |names: &[&str], ls: &[u8], spins: &[Spin]| -> Vec<Column> {
        let mut v = Vec::new();
        for (n, l) in names.iter().zip(ls) {
            for s in spins {
                v.push(col(n, *l, *s));
            }
        }
        v
    };
    let collinear = total_cols == 5;
    let nc = [Spin::Total, Spin::Mx, Spin::My, Spin::Mz];
    let (spin, lm, f) = match (ncols, collinear) {
        (3, false) => (SpinLayout::None, false, false),
        (4, false) => (SpinLayout::None, false, true),
        (9, false) => (SpinLayout::None, true, false),
        (6, true) => (SpinLayout::Collinear, false, false),
        (8, true) => (SpinLayout::Collinear, false, true),
        (18, true) => (SpinLayout::Collinear, true, false),
        (32, true) => (SpinLayout::Collinear, true, true),
        (12, false) => (SpinLayout::Noncollinear, false, false),
        (36, false) => (SpinLayout::Noncollinear, true, false),
        (64, false) => (SpinLayout::Noncollinear, true, true),
        (16, false) => {
            let nonc = hint
                .noncollinear
                .or_else(|| hint.lorbit.map(|l| l == 10 || l == 0))
                .or_else(|| hint.ispin.and(None));
            match nonc {
                Some(true) => (SpinLayout::Noncollinear, false, true),
                Some(false) => (SpinLayout::None, true, true),
                None => {
                    return Err("16 projected columns with a 3-column total DOS are ambiguous: \
                        ISPIN=1 lm-resolved with f states (LORBIT=11), or non-collinear s p d f (LORBIT=10); \
                        put the OUTCAR or INCAR of the run beside the DOSCAR, or pass --noncollinear true|false"
                        .to_string())
                }
            }
        }
        _ => {
            return Err(format!(
            "{ncols} projected columns with a {total_cols}-column total DOS match no VASP layout \
                 (expected 3, 4, 9, 12, 16, 36 or 64 with 3 total columns; 6, 8, 18 or 32 with 5)"
        ))
        }
    };
    let spins: &[Spin] = match spin {
        SpinLayout::None => &[Spin::Total],
        SpinLayout::Collinear => &[Spin::Up, Spin::Down],
        SpinLayout::Noncollinear => &nc,
    };
    let columns = if lm {
        let n = if f { 16 } else { 9 };
        build(&LM[..n], &LM_L[..n], spins)
    } else {
        let n = if f { 4 } else { 3 };
        build(&SPDF[..n], &[0, 1, 2, 3][..n], spins)
    };
    if let (Some(2), SpinLayout::None) | (Some(1), SpinLayout::Collinear) = (hint.ispin, spin) {
        return Err(format!(
            "the OUTCAR/INCAR beside the DOSCAR says ISPIN={} but the DOSCAR has {total_cols} total-DOS columns; they belong to different runs",
            hint.ispin.unwrap_or(0)
        ));
    }
    let description = format!(
        "{}{}, {} ({ncols} columns)",
        if lm {
            "lm-resolved (LORBIT=11/12)"
        } else {
            "s p d (LORBIT=10)"
        },
        if f { " with f" } else { "" },
        spin.describe()
    );
    Ok(Layout {
        spin,
        lm_resolved: lm,
        has_f: f,
        columns,
        description,
    })
}

struct R<'a, S: Read> {
    lines: Lines<S>,
    name: &'a str,
}

impl<S: Read> R<'_, S> {
    fn line(&mut self, what: &str) -> Result<(Vec<u8>, usize), ParseError> {
        match self.lines.next_line() {
            Some((l, LineEnd::Newline, no)) => Ok((l.to_vec(), no)),
            Some((l, _, no)) => Err(unterminated(self.name, no, what, l)),
            None => Err(self.ended(what)),
        }
    }

    /// The error for input that ends, or fails to read, where `what` was expected: on the
    /// line after the last one read.
    fn ended(&self, what: impl Into<String>) -> ParseError {
        ParseError::format(
            self.name,
            Some(self.lines.line_no + 1),
            what,
            match &self.lines.io_error {
                Some(e) => format!("a read error ({e})"),
                None => "the end of the file".into(),
            },
            "the file is cut short; re-run or copy it again",
        )
    }
}

/// The error for a last line `line` (number `no`) without a newline where `what` was
/// expected: the file is cut.
fn unterminated(name: &str, no: usize, what: impl Into<String>, line: &[u8]) -> ParseError {
    ParseError::format(
        name,
        Some(no),
        what,
        format!("a last line without a newline {}", show(line, 40)),
        "the file is cut short; re-run or copy it again",
    )
}

/// Numbers of one data line into `out`; errors name the field. Lines of VASP's short
/// decimals are read in one pass ([`fast_fields`]); any other line field by field.
#[inline]
fn numbers_into(line: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
    if fast_fields(line, out) {
        return Ok(());
    }
    numbers_by_field(line, out)
}

/// [`numbers_into`] field by field: the Fortran quirks, and the errors.
#[cold]
fn numbers_by_field(line: &[u8], out: &mut Vec<f64>) -> Result<(), String> {
    out.clear();
    for f in fields(line) {
        match parse_f64(f) {
            Ok(x) if x.is_finite() => out.push(x),
            Ok(_) => return Err(format!("a non-finite number {}", show(f, 20))),
            Err(crate::numbers::NumError::Overflow) => {
                return Err(format!("an overflow field {}", show(f, 20)))
            }
            Err(_) => {
                // Numbers that run into each other (`-0.123-0.456`); nothing else may be
                // left in the field (`0.12#4` is damage, not 0.12).
                match crate::numbers::all_numbers(f) {
                    Ok(v) if !v.is_empty() => out.extend(v),
                    _ => return Err(format!("a field that is not a number {}", show(f, 20))),
                }
            }
        }
    }
    Ok(())
}

/// Spin-down sign for vasprun.xml: a spin-down column whose sum is negative (stored negated
/// by a tool) is negated as a whole; single small negative values (projection artefacts VASP
/// does print) are kept as they are, as pymatgen's `Vasprun` keeps them.
pub fn normalise_down(columns: &[Column], values: &mut [Vec<f64>]) {
    for (c, v) in columns.iter().zip(values.iter_mut()) {
        if c.spin == Spin::Down && v.iter().sum::<f64>() < 0.0 {
            for x in v.iter_mut() {
                *x = -*x;
            }
        }
    }
}

/// Lines 1–6 of a DOSCAR.
struct Header {
    nions: usize,
    system: String,
    emax: f64,
    emin: f64,
    nedos: usize,
    efermi: f64,
}

/// The total DOS of a DOSCAR.
struct Total {
    energies: Vec<f64>,
    /// One channel (3 columns) or two, up and down (5 columns); magnitudes.
    total: Vec<Vec<f64>>,
    /// Integrated DOS, per channel as `total`.
    integ: Vec<Vec<f64>>,
    /// Columns of a total-DOS line: 3 or 5.
    cols: usize,
}

/// What the projected blocks are checked against.
#[derive(Clone, Copy)]
struct Shape {
    nions: usize,
    nedos: usize,
    /// Columns of the total DOS (3 or 5), which tell the projected layout apart.
    total_cols: usize,
    hint: LayoutHint,
}

/// What becomes of the blocks asked for as they are read.
enum Sink<'v> {
    /// Kept in [`Doscar::atoms`].
    Keep,
    /// Handed to the visitor one at a time; one buffer is reused for every block.
    Visit(&'v mut dyn FnMut(&Doscar, &AtomDos)),
}

/// How the projected blocks are read: which atoms, and the spin-down columns.
struct Projected {
    /// The 1-based atoms asked for, sorted and unique; `None` for all.
    only: Option<Vec<usize>>,
    /// Per column, whether it is spin-down (kept as a magnitude); set with the first kept
    /// block.
    down_mask: Vec<bool>,
}

impl Projected {
    fn new(atoms: &AtomFilter) -> Self {
        let only = match atoms {
            AtomFilter::All => None,
            AtomFilter::Only(v) => {
                let mut v = v.clone();
                v.sort_unstable();
                v.dedup();
                Some(v)
            }
        };
        Projected {
            only,
            down_mask: Vec::new(),
        }
    }

    fn wants(&self, index: usize) -> bool {
        self.only
            .as_ref()
            .is_none_or(|v| v.binary_search(&index).is_ok())
    }
}

/// The error for an `EMAX EMIN NEDOS EFERMI 1.0` line (line 6, or the head of a projected
/// block) that is not such a line.
fn header_error(name: &str, no: usize, l: &[u8]) -> ParseError {
    ParseError::format(
        name,
        Some(no),
        "'EMAX EMIN NEDOS EFERMI 1.0' (five numbers)",
        show(l, 60),
        "check that this is a DOSCAR",
    )
}

/// Lines 1–6: NIONS (first field of line 1), SYSTEM (line 5) and `EMAX EMIN NEDOS EFERMI`
/// (line 6; NEDOS a whole number ≥ 1). `nums` is scratch space.
fn read_header<S: Read>(r: &mut R<'_, S>, nums: &mut Vec<f64>) -> Result<Header, ParseError> {
    let name = r.name;
    let (l1, no) = r.line("the DOSCAR header: 'NIONS NIONS JOBPAR NCDIJ'")?;
    let nions = fields(&l1)
        .next()
        .and_then(|f| crate::numbers::parse_i64(f).ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            ParseError::format(
                name,
                Some(no),
                "the number of ions as the first field of a DOSCAR",
                show(&l1, 40),
                "check that this is a DOSCAR",
            )
        })? as usize;
    for what in [
        "line 2 (volume, cell lengths)",
        "line 3 (temperature)",
        "line 4 ('CAR')",
    ] {
        r.line(what)?;
    }
    let (sys, _) = r.line("line 5 (SYSTEM)")?;
    let system = text(trim(&sys));
    let (l6, no6) = r.line("'EMAX EMIN NEDOS EFERMI 1.0'")?;
    numbers_into(&l6, nums).map_err(|_| header_error(name, no6, &l6))?;
    if nums.len() < 4 || nums[2] < 1.0 || nums[2].fract() != 0.0 {
        return Err(header_error(name, no6, &l6));
    }
    Ok(Header {
        nions,
        system,
        emax: nums[0],
        emin: nums[1],
        nedos: nums[2] as usize,
        efermi: nums[3],
    })
}

/// The `nedos` total-DOS lines: every line has the column count of the first (3 or 5);
/// DOS and integrated DOS are kept as magnitudes. `nums` is scratch space.
fn read_total<S: Read>(
    r: &mut R<'_, S>,
    nedos: usize,
    nums: &mut Vec<f64>,
) -> Result<Total, ParseError> {
    let name = r.name;
    let mut energies = Vec::with_capacity(crate::source::capacity(nedos));
    let mut total: Vec<Vec<f64>> = Vec::new();
    let mut integ: Vec<Vec<f64>> = Vec::new();
    let mut total_cols = 0;
    for k in 0..nedos {
        let (l, no) = r.line(&format!("total-DOS line {} of {nedos}", k + 1))?;
        numbers_into(&l, nums).map_err(|e| {
            ParseError::format(
                name,
                Some(no),
                "total-DOS numbers",
                e,
                "the file is corrupt; re-run or copy it again",
            )
        })?;
        if k == 0 {
            total_cols = nums.len();
            if total_cols != 3 && total_cols != 5 {
                return Err(ParseError::format(
                    name,
                    Some(no),
                    "3 (ISPIN=1) or 5 (ISPIN=2) total-DOS columns",
                    format!("{total_cols} columns {}", show(&l, 60)),
                    "check that this is a DOSCAR",
                ));
            }
            let nsp = (total_cols - 1) / 2;
            total = vec![Vec::with_capacity(crate::source::capacity(nedos)); nsp];
            integ = vec![Vec::with_capacity(crate::source::capacity(nedos)); nsp];
        }
        if nums.len() != total_cols {
            return Err(ParseError::format(
                name,
                Some(no),
                format!("{total_cols} total-DOS columns, as on the first total-DOS line"),
                format!("{} {}", nums.len(), show(&l, 60)),
                "the file is corrupt or NEDOS is wrong",
            ));
        }
        energies.push(nums[0]);
        let nsp = total.len();
        for s in 0..nsp {
            total[s].push(nums[1 + s].abs());
            integ[s].push(nums[1 + nsp + s].abs());
        }
    }
    Ok(Total {
        energies,
        total,
        integ,
        cols: total_cols,
    })
}

/// Every projected block after the total DOS, to the end of the file, into `d` (its layout,
/// block count and warnings) and to `sink`. Each block starts with an `EMAX EMIN NEDOS
/// EFERMI 1.0` line (blank lines between blocks are passed over); at most NIONS blocks.
/// Blocks `atoms` does not ask for are skipped unread once the layout is known. A last line
/// without a newline ends the reading with a warning.
fn read_projected<S: Read>(
    r: &mut R<'_, S>,
    shape: Shape,
    atoms: &AtomFilter,
    nums: &mut Vec<f64>,
    d: &mut Doscar,
    mut sink: Sink<'_>,
) -> Result<(), ParseError> {
    let name = r.name;
    let nions = shape.nions;
    let mut p = Projected::new(atoms);
    let mut block = AtomDos {
        index: 0,
        values: Vec::new(),
    };
    while let Some((l, end, no)) = r.lines.next_line() {
        if end != LineEnd::Newline && !l.is_empty() {
            d.warnings.push(format!(
                "{name}:{no}: the last line has no newline: the file was cut; that line is ignored"
            ));
            break;
        }
        if trim(l).is_empty() {
            continue;
        }
        let l = l.to_vec();
        numbers_into(&l, nums).map_err(|_| header_error(name, no, &l))?;
        if nums.len() < 4 {
            return Err(header_error(name, no, &l));
        }
        d.pdos_blocks += 1;
        let index = d.pdos_blocks;
        if index > nions {
            return Err(ParseError::format(
                name,
                Some(no),
                format!("at most {nions} projected blocks (NIONS on line 1)"),
                format!("block {index}"),
                "the file is corrupt",
            ));
        }
        let want = p.wants(index);
        if !want && d.layout.is_some() {
            skip_block(r, shape.nedos, index)?;
            continue;
        }
        let values = want.then_some(&mut block.values);
        read_block(
            r,
            shape,
            &mut d.layout,
            &mut p.down_mask,
            index,
            nums,
            values,
        )?;
        if !want {
            continue;
        }
        block.index = index;
        match &mut sink {
            Sink::Keep => d.atoms.push(AtomDos {
                index,
                values: std::mem::take(&mut block.values),
            }),
            Sink::Visit(visit) => visit(d, &block),
        }
    }
    Ok(())
}

/// Skip the `nedos` lines of the block of atom `index` without reading them (an error when
/// the file ends first).
fn skip_block<S: Read>(r: &mut R<'_, S>, nedos: usize, index: usize) -> Result<(), ParseError> {
    let got = r.lines.skip_lines(nedos);
    if got < nedos {
        return Err(ParseError::format(
            r.name,
            Some(r.lines.line_no + 1),
            format!("projected-DOS line {} of {nedos} for atom {index}", got + 1),
            "the end of the file",
            "the file is cut short; re-run or copy it again",
        ));
    }
    Ok(())
}

/// The NEDOS lines of the block of atom `index`. The first line of the first block sets
/// `layout` (and `down_mask`, with the first block kept); every line must have its columns.
/// With `values`, the values per column are written there (spin-down as magnitudes), its
/// column vectors reused; without, the lines are only checked. `nums` is scratch space.
fn read_block<S: Read>(
    r: &mut R<'_, S>,
    shape: Shape,
    layout: &mut Option<Layout>,
    down_mask: &mut Vec<bool>,
    index: usize,
    nums: &mut Vec<f64>,
    mut values: Option<&mut Vec<Vec<f64>>>,
) -> Result<(), ParseError> {
    let (name, nedos) = (r.name, shape.nedos);
    let what = |k: usize| format!("projected-DOS line {} of {nedos} for atom {index}", k + 1);
    for k in 0..nedos {
        let (l, no) = match r.lines.next_line() {
            Some((l, LineEnd::Newline, no)) => (l, no),
            Some((l, _, no)) => return Err(unterminated(name, no, what(k), l)),
            None => return Err(r.ended(what(k))),
        };
        numbers_into(l, nums).map_err(|e| {
            ParseError::format(
                name,
                Some(no),
                "projected-DOS numbers",
                e,
                "the file is corrupt; re-run or copy it again",
            )
        })?;
        if layout.is_none() {
            let lay = layout_of(nums.len().saturating_sub(1), shape.total_cols, shape.hint)
                .map_err(|e| {
                    ParseError::format(name, Some(no), "a known projected-DOS layout", e, "")
                })?;
            *layout = Some(lay);
        }
        let ncols = layout.as_ref().map(|x| x.columns.len()).unwrap_or(0);
        if nums.len() != ncols + 1 {
            return Err(ParseError::format(
                name,
                Some(no),
                format!(
                    "{} columns (energy + {ncols}), as in the first projected block",
                    ncols + 1
                ),
                format!("{} {}", nums.len(), show(l, 60)),
                "the file is corrupt",
            ));
        }
        let Some(values) = values.as_deref_mut() else {
            continue;
        };
        if k == 0 {
            start_block(values, ncols, nedos);
            if down_mask.is_empty() {
                *down_mask = layout
                    .as_ref()
                    .map(|x| x.columns.iter().map(|c| c.spin == Spin::Down).collect())
                    .unwrap_or_default();
            }
        }
        for ((v, &down), &x) in values.iter_mut().zip(down_mask.iter()).zip(&nums[1..]) {
            v.push(if down { x.abs() } else { x });
        }
    }
    Ok(())
}

/// Make `values` `ncols` empty columns, keeping the vectors (and their memory) of the block
/// before when it has the same shape.
fn start_block(values: &mut Vec<Vec<f64>>, ncols: usize, nedos: usize) {
    if values.len() == ncols {
        values.iter_mut().for_each(Vec::clear);
    } else {
        *values = vec![Vec::with_capacity(crate::source::capacity(nedos)); ncols];
    }
}

/// Read a DOSCAR from any reader.
pub fn parse_doscar<S: Read>(
    reader: S,
    name: &str,
    hint: LayoutHint,
    atoms: &AtomFilter,
) -> Result<Doscar, ParseError> {
    parse_lines(Lines::new(reader), name, hint, atoms, Sink::Keep)
}

/// Read a DOSCAR from any reader, handing the projected block of every atom `atoms` asks
/// for to `visit` as soon as it is read (in file order), instead of keeping it: memory stays
/// one block whatever the number of atoms. `visit` gets the DOSCAR as read so far (header,
/// energies, total DOS and layout set; [`Doscar::atoms`] empty) and the block; the block's
/// memory is reused for the next one. The DOSCAR returned is the one [`parse_doscar`] would
/// return without its `atoms`, with the same errors and warnings.
pub fn parse_doscar_with<S: Read>(
    reader: S,
    name: &str,
    hint: LayoutHint,
    atoms: &AtomFilter,
    visit: &mut dyn FnMut(&Doscar, &AtomDos),
) -> Result<Doscar, ParseError> {
    parse_lines(Lines::new(reader), name, hint, atoms, Sink::Visit(visit))
}

/// [`parse_doscar_with`] on a path (plain or gzip; large files read ahead on a second
/// thread).
pub fn stream_doscar(
    path: &Path,
    hint: LayoutHint,
    atoms: &AtomFilter,
    visit: &mut dyn FnMut(&Doscar, &AtomDos),
) -> Result<Doscar, ParseError> {
    let lines = crate::source::lines(path)?;
    parse_lines(
        lines,
        &path.display().to_string(),
        hint,
        atoms,
        Sink::Visit(visit),
    )
}

/// Header, total DOS, then the projected blocks into `sink`; the warnings about the whole.
fn parse_lines<S: Read>(
    lines: Lines<S>,
    name: &str,
    hint: LayoutHint,
    atoms: &AtomFilter,
    sink: Sink<'_>,
) -> Result<Doscar, ParseError> {
    let mut r = R { lines, name };
    let mut nums = Vec::new();
    let head = read_header(&mut r, &mut nums)?;
    let mut warnings = Vec::new();
    let total = read_total(&mut r, head.nedos, &mut nums)?;
    if total.energies.windows(2).any(|w| w[1] < w[0]) {
        warnings.push(format!("{name}: the energy grid is not increasing"));
    }
    let shape = Shape {
        nions: head.nions,
        nedos: head.nedos,
        total_cols: total.cols,
        hint,
    };
    let mut d = Doscar {
        nions: head.nions,
        system: head.system,
        emax: head.emax,
        emin: head.emin,
        nedos: head.nedos,
        efermi: head.efermi,
        energies: total.energies,
        total: total.total,
        total_integrated: total.integ,
        layout: None,
        pdos_blocks: 0,
        atoms: Vec::new(),
        warnings,
    };
    read_projected(&mut r, shape, atoms, &mut nums, &mut d, sink)?;
    let (nions, blocks) = (d.nions, d.pdos_blocks);
    if blocks > 0 && blocks < nions {
        d.warnings.push(format!(
            "{name}: {blocks} projected blocks for {nions} ions: the file is cut; atoms {}..{nions} have no projection",
            blocks + 1
        ));
    }
    if let Some(e) = &r.lines.io_error {
        d.warnings.push(format!(
            "{name}: reading stopped with an error ({e}): a truncated or corrupt gzip file"
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doscar(total_cols: usize, pcols: usize, nedos: usize) -> String {
        doscar_n(total_cols, pcols, nedos, 2)
    }

    fn doscar_n(total_cols: usize, pcols: usize, nedos: usize, natoms: usize) -> String {
        let mut s = format!("  {natoms}  {natoms}  1  0\n x\n x\n  CAR \n test\n");
        s += &format!("  5.0 -5.0 {nedos} 0.5 1.0\n");
        for k in 0..nedos {
            let e = -5.0 + k as f64;
            s += &format!("{e}");
            for c in 0..total_cols - 1 {
                s += &format!(" {}", 0.1 * (c + 1) as f64);
            }
            s += "\n";
        }
        for _ in 0..natoms {
            s += &format!("  5.0 -5.0 {nedos} 0.5 1.0\n");
            for k in 0..nedos {
                s += &format!("{}", -5.0 + k as f64);
                for c in 0..pcols {
                    let x = 0.01 * (c + 1) as f64;
                    s += &format!(" {}", if c % 2 == 1 && total_cols == 5 { -x } else { x });
                }
                s += "\n";
            }
        }
        s
    }

    #[test]
    fn layouts_by_column_count() {
        for (t, p, spin, lm) in [
            (3, 3, SpinLayout::None, false),
            (5, 6, SpinLayout::Collinear, false),
            (3, 9, SpinLayout::None, true),
            (5, 18, SpinLayout::Collinear, true),
            (3, 36, SpinLayout::Noncollinear, true),
            (3, 12, SpinLayout::Noncollinear, false),
        ] {
            let d = parse_doscar(
                doscar(t, p, 4).as_bytes(),
                "D",
                LayoutHint::default(),
                &AtomFilter::All,
            )
            .unwrap();
            let l = d.layout.unwrap();
            assert_eq!((l.spin, l.lm_resolved, l.columns.len()), (spin, lm, p));
            assert_eq!(d.atoms.len(), 2);
        }
    }

    #[test]
    fn spin_down_is_a_magnitude() {
        // the generator writes every spin-down value negated
        let d = parse_doscar(
            doscar(5, 6, 3).as_bytes(),
            "D",
            LayoutHint::default(),
            &AtomFilter::All,
        )
        .unwrap();
        assert_eq!(d.atoms[0].values[1][0], 0.02);
        assert_eq!(d.layout.unwrap().columns[1].spin, Spin::Down);
    }

    #[test]
    fn sixteen_columns_need_a_hint() {
        let s = doscar(3, 16, 3);
        let e =
            parse_doscar(s.as_bytes(), "D", LayoutHint::default(), &AtomFilter::All).unwrap_err();
        assert!(e.found.contains("ambiguous"), "{e}");
        let h = LayoutHint {
            noncollinear: Some(true),
            ..Default::default()
        };
        let d = parse_doscar(s.as_bytes(), "D", h, &AtomFilter::All).unwrap();
        assert_eq!(d.layout.unwrap().spin, SpinLayout::Noncollinear);
        let h = LayoutHint {
            lorbit: Some(11),
            ..Default::default()
        };
        let d = parse_doscar(s.as_bytes(), "D", h, &AtomFilter::All).unwrap();
        assert!(d.layout.unwrap().lm_resolved);
    }

    /// Every block a streamed read hands out, copied, and the DOSCAR it returns.
    fn streamed(s: &str, hint: LayoutHint, atoms: &AtomFilter) -> Result<Doscar, ParseError> {
        let mut seen = Vec::new();
        let mut d = parse_doscar_with(s.as_bytes(), "D", hint, atoms, &mut |_, a| {
            seen.push(a.clone())
        })?;
        d.atoms = seen;
        Ok(d)
    }

    #[test]
    fn streaming_hands_out_what_the_full_read_keeps() {
        let hint = LayoutHint {
            noncollinear: Some(false),
            ..Default::default()
        };
        for (t, p) in [
            (3, 3),
            (3, 4),
            (5, 6),
            (5, 8),
            (3, 9),
            (5, 18),
            (5, 32),
            (3, 16),
        ] {
            let s = doscar(t, p, 5);
            for f in [
                AtomFilter::All,
                AtomFilter::Only(vec![2]),
                AtomFilter::Only(vec![2, 1, 2]),
                AtomFilter::Only(vec![9]),
            ] {
                let full = parse_doscar(s.as_bytes(), "D", hint, &f).unwrap();
                assert_eq!(streamed(&s, hint, &f).unwrap(), full, "{t} {p} {f:?}");
            }
        }
        // the same errors, damaged anywhere
        let s = doscar(5, 18, 4);
        let lines: Vec<&str> = s.lines().collect();
        for k in 0..lines.len() {
            for bad in ["0.1#2", "*****", "0.5D+01", ""] {
                let mut v: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                v[k] = v[k].replacen("0.01", bad, 1).replacen("0.1", bad, 1);
                let text = v.join("\n") + "\n";
                for f in [AtomFilter::All, AtomFilter::Only(vec![2])] {
                    let full = parse_doscar(text.as_bytes(), "D", LayoutHint::default(), &f);
                    let st = streamed(&text, LayoutHint::default(), &f);
                    match (full, st) {
                        (Ok(a), Ok(b)) => assert_eq!(a, b, "line {k} {bad:?}"),
                        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                        (a, b) => panic!("line {k} {bad:?}: {a:?} vs {b:?}"),
                    }
                }
            }
        }
        let cut = &s[..s.len() - 30];
        let a = parse_doscar(cut.as_bytes(), "D", LayoutHint::default(), &AtomFilter::All);
        let b = streamed(cut, LayoutHint::default(), &AtomFilter::All);
        assert_eq!(a.unwrap_err().to_string(), b.unwrap_err().to_string());
    }

    #[test]
    fn streaming_reuses_one_block() {
        // 40 atoms: the visitor sees each block in one buffer, the same memory every time
        let s = doscar_n(5, 18, 30, 40);
        let mut buffers = std::collections::HashSet::new();
        let mut n = 0;
        let d = parse_doscar_with(
            s.as_bytes(),
            "D",
            LayoutHint::default(),
            &AtomFilter::All,
            &mut |_, a| {
                n += 1;
                assert_eq!(a.index, n);
                assert_eq!(a.values.len(), 18);
                buffers.insert(a.values[0].as_ptr() as usize);
            },
        )
        .unwrap();
        assert_eq!((n, d.pdos_blocks, d.atoms.len()), (40, 40, 0));
        assert_eq!(buffers.len(), 1, "one block buffer for every atom");
    }

    proptest::proptest! {
        #[test]
        fn fast_lines_read_as_field_by_field(
            fields in proptest::collection::vec(
                proptest::prop_oneof![
                    "-?[0-9]{1,3}\\.[0-9]{3,4}E[-+][0-9]{2}",
                    "-?[0-9]{1,3}\\.[0-9]{3}",
                    "[-+.0-9ED*#]{1,12}",
                ],
                0..20,
            ),
        ) {
            let line = fields.join("  ");
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let fast = numbers_into(line.as_bytes(), &mut a);
            let slow = numbers_by_field(line.as_bytes(), &mut b);
            proptest::prop_assert_eq!(&fast, &slow, "{:?}", line);
            if fast.is_ok() {
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                proptest::prop_assert_eq!(bits(&a), bits(&b), "{:?}", line);
            }
        }
    }

    #[test]
    fn an_absurd_nions_is_refused_before_any_selection() {
        let dir = std::env::temp_dir().join(format!("chepath-nions-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("DOSCAR");
        let s = doscar(5, 18, 3);
        std::fs::write(&p, &s).unwrap();
        assert_eq!(read_nions(&p).unwrap(), 2);
        std::fs::write(&p, s.replacen("  2  2", "  2000000000  2", 1)).unwrap();
        let e = read_nions(&p).unwrap_err();
        assert!(e.found.contains("2000000000") && e.line == Some(1), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn filter_skips_atoms_and_errors_name_lines() {
        let s = doscar(5, 18, 3);
        let d = parse_doscar(
            s.as_bytes(),
            "D",
            LayoutHint::default(),
            &AtomFilter::Only(vec![2]),
        )
        .unwrap();
        assert_eq!(d.atoms.len(), 1);
        assert_eq!(d.atoms[0].index, 2);
        let cut = &s[..s.len() - 30];
        let e =
            parse_doscar(cut.as_bytes(), "D", LayoutHint::default(), &AtomFilter::All).unwrap_err();
        assert!(e.line.is_some());
        let bad = s.replacen(" 0.2 ", " ***** ", 1);
        let e =
            parse_doscar(bad.as_bytes(), "D", LayoutHint::default(), &AtomFilter::All).unwrap_err();
        assert_eq!(e.line, Some(7));
    }
}
