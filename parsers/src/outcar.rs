//! OUTCAR: one streaming pass over the file, keeping only what is reported.
//!
//! Section markers, in the order VASP writes them (each handled by one small function,
//! dispatched from a single line loop on the first non-blank bytes of the line):
//!
//! | marker (after leading blanks)                       | yields                                   |
//! |-----------------------------------------------------|------------------------------------------|
//! | `vasp.` on the first lines                          | `vasp_version`                           |
//! | `POTCAR:` / `TITEL  =` / `VRHFIN =`                 | POTCAR titles, species                   |
//! | `ions per type =`                                   | `ions_per_type`                          |
//! | `generate k-points for:`                            | `kpoint_mesh`                            |
//! | any `NAME = value` before the first iteration       | the `incar` parameter map                |
//! | `IVDW =`, `VDW_… =` (DFT-D block, after step 1)      | van der Waals parameters in that map     |
//! | `---- Iteration  N(  M) ----`                       | electronic iteration count of a step     |
//! | `number of electron … magnetization …`              | total magnetization (last of the step)   |
//! | `E-fermi :`                                         | Fermi energy (last of the step)          |
//! | `---- aborting loop because EDIFF is reached`       | electronic loop converged                |
//! | `---- aborting loop EDIFF was not reached`          | electronic loop not converged            |
//! | `POSITION … TOTAL-FORCE (eV/Angst)` + rows + `---`  | positions and forces (the last block)    |
//! | `NEB: projections on to tangent (spring, REAL)`     | VTST's tangent forces (the last line)    |
//! | `FREE ENERGIE OF THE ION-ELECTRON SYSTEM` + 2 lines | one ionic step: TOTEN, E, E(sigma->0)    |
//! | `reached required accuracy`                         | relaxation converged                     |
//! | `Eigenvectors and eigenvalues of the dynamical matrix` | first block of normal modes          |
//! | `Eigenvectors after division by SQRT(mass)`         | end of that block (the repeat is skipped)|
//! | `soft stop encountered` / `hard stop encountered`   | run stopped by STOPCAR / LABORT          |
//! | `General timing and accounting`                     | run complete                             |
//!
//! Memory is bounded by the number of ionic steps and modes kept, not by the file size. Of
//! the position and force blocks (NIONS rows every ionic step) only the last complete one is
//! kept: in a plain file they are skipped with the other unmarked lines (the `POSITION`
//! marker is not searched for), and the last block is read from the end of the file after
//! the pass ([`read_outcar`]); from gzip or a reader, which cannot be read again, the rows of
//! each block are copied as text while streaming and the last complete one is parsed at the
//! end.

use crate::error::{show, ParseError};
use crate::numbers::{first_field_number, leading_numbers, parse_i64, NumError};
use crate::source::{fields, text, trim, trim_start, LineEnd, Lines, SNIFF_BYTES};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Energies of one ionic step, in eV, from the `FREE ENERGIE OF THE ION-ELECTRON SYSTEM` block.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StepEnergy {
    /// `free  energy   TOTEN`: the free energy F (force-consistent).
    pub toten: f64,
    /// `energy  without entropy`: E = F + TS.
    pub no_entropy: f64,
    /// `energy(sigma->0)`: E0 = (E + F)/2, the extrapolation to zero smearing.
    pub sigma0: f64,
}

/// One ionic step (or one displacement of a frequency run).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IonicStep {
    /// 1-based step number in the order printed.
    pub index: usize,
    pub energy: StepEnergy,
    /// Last `E-fermi` printed in this step.
    pub efermi: Option<f64>,
    /// Number of electronic iterations (`Iteration N(M)`: the largest M).
    pub electronic_iterations: usize,
    /// `Some(true)` when VASP printed `aborting loop because EDIFF is reached`,
    /// `Some(false)` for `EDIFF was not reached` or when NELM iterations ran without that line,
    /// `None` when neither can be told.
    pub electronic_converged: Option<bool>,
    /// Total magnetization (`number of electron … magnetization`): one value for collinear
    /// spin, three for non-collinear runs, none for ISPIN=1.
    pub magnetization: Vec<f64>,
    /// Line of the `free  energy   TOTEN` value in the file (1-based).
    pub line: usize,
}

/// One normal mode from the first dynamical-matrix block.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mode {
    /// Mode number as printed.
    pub index: usize,
    /// Frequency in cm⁻¹ (always positive; see `imaginary`).
    pub freq_cm1: f64,
    /// `f/i=` lines: an imaginary mode.
    pub imaginary: bool,
    pub line: usize,
}

/// The last complete `POSITION … TOTAL-FORCE (eV/Angst)` block of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forces {
    /// The ionic step it belongs to (1-based: VASP prints the block before the step's
    /// `FREE ENERGIE` lines), to be compared with [`IonicStep::index`].
    pub step: usize,
    /// Line of the `POSITION` header (1-based).
    pub line: usize,
    /// Cartesian positions, Å, in POSCAR order.
    pub positions: Vec<[f64; 3]>,
    /// The forces VASP prints, eV/Å. Under VTST's NEB these are the NEB forces (the true
    /// force perpendicular to the path plus the spring force along it), not the true forces.
    pub forces: Vec<[f64; 3]>,
}

/// VTST's `NEB: projections on to tangent (spring, REAL)  s  r` line (the last printed):
/// the spring force and the true force projected on the path's tangent, eV/Å.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NebTangent {
    pub spring: f64,
    /// The true force along the tangent (which points to the next image): −dE/dr.
    pub real: f64,
    pub line: usize,
}

/// Everything chepath reads from one OUTCAR.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Outcar {
    /// First line, e.g. `vasp.6.4.1 05Apr23 (build …) complex`.
    pub vasp_version: Option<String>,
    /// POTCAR titles, one per species (`PAW_PBE Ni 02Aug2007`).
    pub potcar_titles: Vec<String>,
    /// Element symbols, one per species, in POTCAR order.
    pub species: Vec<String>,
    pub ions_per_type: Vec<usize>,
    pub nions: Option<usize>,
    /// `generate k-points for:  a b c`: the automatic k-point mesh (None for explicit lists;
    /// `NKPTS` in [`Outcar::incar`] counts the irreducible points either way).
    pub kpoint_mesh: Option<[u32; 3]>,
    /// Every `NAME = value` VASP echoes before the first electronic iteration. Later echoes
    /// of the same name win (VASP 6 first repeats the INCAR file, then prints the values it
    /// uses). Values are kept as printed: `ENCUT` → `520.0`, `PREC` → `accura`,
    /// `POMASS` → `58.69 16.00 1.00`.
    pub incar: BTreeMap<String, String>,
    pub ionic_steps: Vec<IonicStep>,
    /// Last `E-fermi` printed anywhere in the file.
    pub efermi_last: Option<f64>,
    /// Number of `aborting loop` lines (completed electronic loops).
    pub electronic_loops: usize,
    /// The verdict of the last electronic loop (`aborting loop …` line), if any.
    pub last_loop_converged: Option<bool>,
    /// `reached required accuracy` was printed.
    pub reached_required_accuracy: bool,
    /// `General timing and accounting` was printed: VASP finished normally.
    pub complete: bool,
    /// A STOPCAR / LABORT stop: `soft stop encountered` or `hard stop encountered`.
    pub stopped: Option<String>,
    /// Normal modes of the first dynamical-matrix block, in printed order.
    pub modes: Vec<Mode>,
    /// Number of `Eigenvectors and eigenvalues of the dynamical matrix` blocks seen.
    pub dynmat_blocks: usize,
    /// The last complete position and force block (`None` when there is none, or when the
    /// last one is damaged: a warning says so).
    pub forces: Option<Forces>,
    /// VTST's tangent forces of the last `NEB: projections on to tangent` line (VTST NEB
    /// images only; `None` when the last such line cannot be read, with a warning).
    pub neb_tangent: Option<NebTangent>,
    /// Electronic iterations started after the last complete ionic step (a cut or crashed run).
    pub trailing_iterations: usize,
    /// Lines read.
    pub lines: usize,
    /// What the reader noticed and the user should know (truncation, overflow fields, …).
    pub warnings: Vec<String>,
}

impl Outcar {
    /// An INCAR parameter as echoed in the OUTCAR.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.incar.get(name).map(|s| s.as_str())
    }

    /// An integer parameter (first field of its value).
    pub fn param_i64(&self, name: &str) -> Option<i64> {
        let v = self.param(name)?;
        let f = v.split_whitespace().next()?;
        parse_i64(f.as_bytes()).ok()
    }

    pub fn ibrion(&self) -> Option<i64> {
        self.param_i64("IBRION")
    }

    pub fn nsw(&self) -> Option<i64> {
        self.param_i64("NSW")
    }

    /// IBRION = 5, 6, 7 or 8: finite differences or DFPT; or, when IBRION is printed but
    /// cannot be read (a damaged echo), a run that wrote a dynamical matrix.
    pub fn is_frequency_run(&self) -> bool {
        match self.ibrion() {
            Some(i) => matches!(i, 5..=8),
            None => self.param("IBRION").is_some() && self.dynmat_blocks > 0,
        }
    }

    /// IBRION = 1, 2 or 3 with NSW > 0: a structure optimisation.
    pub fn is_relaxation(&self) -> bool {
        matches!(self.ibrion(), Some(1..=3)) && self.nsw().unwrap_or(0) > 0
    }

    /// `Some(reached required accuracy)` for relaxations, `None` for anything else.
    pub fn ionic_converged(&self) -> Option<bool> {
        if self.is_relaxation() {
            Some(self.reached_required_accuracy)
        } else {
            None
        }
    }

    pub fn first_step(&self) -> Option<&IonicStep> {
        self.ionic_steps.first()
    }

    pub fn last_step(&self) -> Option<&IonicStep> {
        self.ionic_steps.last()
    }

    /// The energy of the relaxed structure: the first step of a frequency run (the others
    /// are displaced geometries), otherwise the last step.
    pub fn structure_energy(&self) -> Option<&IonicStep> {
        if self.is_frequency_run() {
            self.first_step()
        } else {
            self.last_step()
        }
    }

    /// Real mode frequencies in cm⁻¹.
    pub fn real_frequencies_cm1(&self) -> Vec<f64> {
        self.modes
            .iter()
            .filter(|m| !m.imaginary)
            .map(|m| m.freq_cm1)
            .collect()
    }

    /// Imaginary mode frequencies in cm⁻¹ (as positive numbers).
    pub fn imaginary_frequencies_cm1(&self) -> Vec<f64> {
        self.modes
            .iter()
            .filter(|m| m.imaginary)
            .map(|m| m.freq_cm1)
            .collect()
    }
}

/// Substrings of every line the parser reacts to after the header (see the module table).
/// Between them, lines are skipped in bulk. With [`Rows::Skip`] the `POSITION` headers are
/// not among them (the last block is read from the end of the file), so the pass stops at
/// no more lines than it did before forces were read.
fn markers(rows: Rows) -> &'static aho_corasick::AhoCorasick {
    static COPY: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    static SKIP: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    let build = |extra: &[&'static str]| {
        let mut pats = vec![
            "Iteration",
            "aborting loop",
            "number of electron",
            "E-fermi",
            "Eigenvectors and eigenvalues of the dynamical matrix",
            "FREE ENERGIE OF THE ION-ELECTRON SYSTEM",
            "reached required accuracy",
            "General timing and accounting",
            "stop encountered",
            "IVDW",
            "VDW_",
        ];
        // Appended, not inserted: the order decides Teddy's buckets, and these in the middle
        // of the list cost 2% more search instructions, here 0.2%.
        pats.extend_from_slice(extra);
        // Leftmost-first semantics let aho-corasick use its SIMD "Teddy" searcher.
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(pats)
            .unwrap_or_else(|_| unreachable!("fixed patterns build"))
    };
    match rows {
        Rows::Copy => COPY.get_or_init(|| build(&["POSITION", "NEB: projections"])),
        Rows::Skip => SKIP.get_or_init(|| build(&["NEB: projections"])),
    }
}

/// Read an OUTCAR from a path (plain or gzip). A plain file's last position and force block
/// is read from its end after the pass (see the module doc).
pub fn read_outcar(path: &Path) -> Result<Outcar, ParseError> {
    let name = path.display().to_string();
    // `lines` refuses FIFOs and devices before anything is opened twice
    let lines = crate::source::lines(path)?;
    let plain = plain_file(path);
    let rows = if plain { Rows::Skip } else { Rows::Copy };
    let (mut out, from) = parse_outcar_lines(lines, &name, false, false, rows)?;
    if plain && !out.ionic_steps.is_empty() && !forces_from_end(path, &name, &mut out, from) {
        // the last two steps span more than the largest tail window: a second pass copies
        // the blocks as they stream by, as for gzip
        let lines = crate::source::lines(path)?;
        out = parse_outcar_lines(lines, &name, false, false, Rows::Copy)?.0;
    }
    Ok(out)
}

/// A regular file without the gzip magic bytes: one that can be read again from its end.
/// Anything else (gzip, a FIFO or device, an unreadable file) is read once, as it streams.
fn plain_file(path: &Path) -> bool {
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut magic = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .map(|_| magic != [0x1f, 0x8b])
        .unwrap_or(false)
}

/// How the rows of the position and force blocks are read during the pass.
#[derive(Clone, Copy, PartialEq)]
enum Rows {
    /// Copied as text as they stream by (gzip, a reader: the input cannot be read again).
    Copy,
    /// Skipped with the other unmarked lines, their headers too (read from the file's end).
    Skip,
}

#[derive(Default)]
struct StepState {
    iterations: usize,
    converged: Option<bool>,
    efermi: Option<f64>,
    magnetization: Vec<f64>,
}

#[derive(PartialEq)]
enum Energy {
    /// Not inside a FREE ENERGIE block.
    None,
    /// Header seen, waiting for `free  energy   TOTEN`.
    Header,
    /// TOTEN read (value, line), waiting for `energy  without entropy`.
    Toten(Option<f64>, usize),
}

#[derive(PartialEq)]
enum Dyn {
    /// Before the first dynamical-matrix block.
    Before,
    /// Inside the first block.
    Inside,
    /// After it: further blocks are repeats.
    After,
}

struct Parser<'a> {
    name: &'a str,
    out: Outcar,
    step: StepState,
    energy: Energy,
    dynm: Dyn,
    header: bool,
    nelm: Option<usize>,
    overflow_lines: Vec<usize>,
    saw_marker: bool,
    /// `TITEL  =` values, one per POTCAR block.
    titel: Vec<String>,
    /// Elements from `VRHFIN =El:` lines, one per POTCAR block.
    vrhfin: Vec<String>,
    /// Every `POTCAR:` line (echoed twice: INCAR section, then each POTCAR header).
    pending_potcar: Vec<String>,
    force: ForceBlocks,
    /// `NEB: projections` lines that could not be read.
    neb_bad: Damage,
    /// The line of the last `Iteration` marker, and of the last one of the last two complete
    /// steps: a step's position and force block comes after it ([`forces_from_end`]).
    iter_line: usize,
    step_iters: [usize; 2],
    /// Lines of the parameter echo with a name that cannot be read (at most 8).
    bad_keys: Vec<(usize, String)>,
}

/// Blocks or lines left out: how many, and the first one's line and what was found.
#[derive(Default)]
struct Damage {
    count: usize,
    first: Option<(usize, String)>,
}

impl Damage {
    fn add(&mut self, line: usize, what: String) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((line, what));
        }
    }
}

/// The `POSITION … TOTAL-FORCE (eV/Angst)` blocks as they stream by: the rows of the block
/// being read are copied as text (no number parsed: one block per ionic step, and only the
/// last is wanted), and the last complete block is kept.
#[derive(Default)]
struct ForceBlocks {
    /// The header line of the block being read (`None`: not inside one).
    open: Option<usize>,
    /// The dashes under the header were seen.
    ruled: bool,
    /// The rows expected (NIONS, when the header gave it).
    nions: Option<usize>,
    rows: Vec<u8>,
    n: usize,
    /// The step the open block belongs to.
    step: usize,
    /// The last complete block: rows as text, row count, header line, step.
    done: Option<(Vec<u8>, usize, usize, usize)>,
    damaged: Damage,
    /// [`Rows::Skip`]: blocks are not read in the pass.
    skip: bool,
}

impl ForceBlocks {
    /// A block starts at its header line `no` (of ionic step `step`).
    fn open_block(&mut self, no: usize, step: usize, nions: Option<usize>) {
        if let Some(h) = self.open {
            self.damaged
                .add(h, "no closing line of dashes before the next block".into());
        }
        self.open = Some(no);
        self.ruled = false;
        self.rows.clear();
        self.n = 0;
        self.nions = nions;
        self.step = step;
    }

    /// A line inside a position and force block: the dashes under the header, a row (copied
    /// as text), or the closing dashes (the block kept as the last complete one). Anything
    /// else closes the block as damaged and is `false`: the caller reads that line as usual.
    fn row(&mut self, t: &[u8], no: usize) -> bool {
        let f = self;
        let Some(header) = f.open else {
            return false;
        };
        if starts(t, b"--") {
            if !f.ruled {
                f.ruled = true;
                return true;
            }
            f.open = None;
            match f.nions.filter(|n| *n != f.n) {
                Some(n) => f
                    .damaged
                    .add(header, format!("{} rows, expected NIONS = {n}", f.n)),
                None if f.n == 0 => f.damaged.add(header, "no rows".into()),
                None => {
                    let rows = std::mem::take(&mut f.rows);
                    if let Some((mut old, ..)) = f.done.replace((rows, f.n, header, f.step)) {
                        // the previous block's buffer is reused for the next one
                        old.clear();
                        f.rows = old;
                    }
                }
            }
            return true;
        }
        let numeric = matches!(t[0], b'0'..=b'9' | b'-' | b'+' | b'.');
        if !f.ruled || !numeric || t.len() > MAX_FORCE_ROW_BYTES {
            let expected = if f.ruled {
                "a row of 6 numbers or the closing dashes"
            } else {
                "a line of dashes under the header"
            };
            f.damaged
                .add(no, format!("expected {expected}, found {}", show(t, 60)));
            f.open = None;
            return false;
        }
        let max = f.nions.unwrap_or(MAX_FORCE_ROWS);
        if f.n >= max {
            f.damaged.add(
                no,
                format!("more than {max} rows without the closing dashes"),
            );
            f.open = None;
            return true;
        }
        f.rows.extend_from_slice(t);
        f.rows.push(b'\n');
        f.n += 1;
        true
    }
}

/// Blank lines in a row after which an OUTCAR is read no further (a gzip bomb of newlines
/// behind a real header would otherwise be read line by line to its end).
pub const MAX_BLANK_RUN: usize = 1 << 16;

/// The row bound of a block when NIONS is not known.
const MAX_FORCE_ROWS: usize = 200_000;

/// The longest row of a position and force block kept (VASP's are 86 bytes): what a
/// damaged block can make the pass hold stays bounded.
const MAX_FORCE_ROW_BYTES: usize = 256;

/// Read an OUTCAR from any buffered reader. `name` is used in errors and warnings.
///
/// Returns an error only when the input is not an OUTCAR at all (empty, binary, another
/// format). A cut, crashed or stopped run gives a partial result with `complete = false`
/// and warnings that say what is missing.
pub fn parse_outcar<R: Read>(reader: R, name: &str) -> Result<Outcar, ParseError> {
    parse_outcar_until(reader, name, false)
}

/// Read only the header of an OUTCAR (version, POTCARs, parameters), stopping at the first
/// electronic iteration: for questions such as ISPIN or LORBIT, whatever the file's size.
/// The result has no ionic steps and `complete = false`; its warnings are not meaningful.
pub fn read_outcar_header(path: &Path) -> Result<Outcar, ParseError> {
    let reader = crate::source::open(path)?;
    parse_outcar_until(reader, &path.display().to_string(), true)
}

fn parse_outcar_until<R: Read>(
    reader: R,
    name: &str,
    header_only: bool,
) -> Result<Outcar, ParseError> {
    parse_outcar_mode(reader, name, header_only, false)
}

/// The answer to "what is the final energy, and did the run converge?" without reading the
/// whole file: the header from the start, then only the tail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Final {
    /// Parameters, species and POTCARs of the header.
    #[serde(skip)]
    pub header: Outcar,
    /// The structure's energy: the last complete ionic step, or the first of a frequency run.
    pub energy: Option<StepEnergy>,
    /// Which step that is: `last` or `first (frequency run)`.
    pub step: &'static str,
    /// Last `E-fermi` in the part read.
    pub efermi: Option<f64>,
    /// The last electronic loop's verdict.
    pub electronic_converged: Option<bool>,
    /// Relaxations: `reached required accuracy`; `None` for other runs.
    pub ionic_converged: Option<bool>,
    pub complete: bool,
    /// Bytes read after the header (the tail), or the whole file on a full pass.
    pub bytes_read: u64,
    /// True when the file had to be read whole (gzip, a frequency run, or no complete step in
    /// any tail).
    pub full_pass: bool,
}

/// [`read_final_with`] with a 1 MiB first window.
pub fn read_final(path: &Path) -> Result<Final, ParseError> {
    read_final_with(path, 1 << 20)
}

/// The largest window read from the end of an OUTCAR ([`read_final_with`], and the last
/// position and force block of [`read_outcar`]). A file whose end holds no complete step
/// within it is read in one streaming pass instead: memory stays bounded, the answer is
/// the full parse's.
pub const MAX_TAIL_WINDOW: u64 = 16 << 20;

/// Final energy and convergence from the header and the last `window` bytes (doubled until
/// a complete energy block is inside, up to [`MAX_TAIL_WINDOW`]). Gzip files, which cannot
/// be read from the end, frequency runs, whose structure energy is their first step, and
/// files without a complete step in the largest window get a full (streaming) pass.
pub fn read_final_with(path: &Path, window: u64) -> Result<Final, ParseError> {
    use std::io::{Seek, SeekFrom};
    let name = path.display().to_string();
    let full = || -> Result<Final, ParseError> {
        let o = read_outcar(path)?;
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        Ok(Final {
            energy: o.structure_energy().map(|s| s.energy),
            step: if o.is_frequency_run() {
                "first (frequency run)"
            } else {
                "last"
            },
            efermi: o.efermi_last,
            electronic_converged: o.last_loop_converged,
            ionic_converged: o.ionic_converged(),
            complete: o.complete,
            bytes_read: size,
            full_pass: true,
            header: o,
        })
    };
    crate::source::refuse_special(path)?;
    let mut file = std::fs::File::open(path).map_err(|e| ParseError::io(path, &e))?;
    let mut magic = [0u8; 2];
    let gz = file
        .read(&mut magic)
        .map(|n| n == 2 && magic == [0x1f, 0x8b])
        .unwrap_or(false);
    let size = file.metadata().map_err(|e| ParseError::io(path, &e))?.len();
    let mut w = window.clamp(4096, MAX_TAIL_WINDOW);
    // Gzip cannot be read from the end; a file no larger than the window is read once, whole.
    if gz || size <= w {
        return full();
    }
    let header = read_outcar_header(path)?;
    if header.is_frequency_run() {
        return full();
    }
    loop {
        let start = size.saturating_sub(w);
        file.seek(SeekFrom::Start(start))
            .map_err(|e| ParseError::io(path, &e))?;
        // streamed, not held: the window costs a chunk of memory, whatever its size
        let failed = std::cell::Cell::new(None);
        let window = NoteError {
            inner: (&mut file).take(size - start),
            error: &failed,
        };
        let mut lines = Lines::new(window);
        if start > 0 {
            // start at a line boundary (the first line of the window may be cut)
            lines.next_line();
            lines.line_no = 0;
        }
        let tail = parse_outcar_lines(lines, &name, false, true, Rows::Skip);
        if let Some(e) = failed.take() {
            return Err(ParseError::io(path, &e));
        }
        let tail = tail.ok().map(|(t, _)| t);
        // The window must hold a complete step, and the last E-fermi and loop verdict, which
        // VASP prints before the step's energy block.
        if let Some(t) = tail.filter(|t| {
            !t.ionic_steps.is_empty() && t.efermi_last.is_some() && t.last_loop_converged.is_some()
        }) {
            let mut h = header;
            h.reached_required_accuracy = t.reached_required_accuracy;
            let ionic = h.ionic_converged();
            return Ok(Final {
                energy: t.last_step().map(|s| s.energy),
                step: "last",
                efermi: t.efermi_last,
                electronic_converged: t.last_loop_converged,
                ionic_converged: ionic,
                complete: t.complete,
                bytes_read: size - start,
                full_pass: start == 0,
                header: h,
            });
        }
        if start == 0 || w >= MAX_TAIL_WINDOW {
            return full();
        }
        w = w.saturating_mul(2).min(MAX_TAIL_WINDOW);
    }
}

/// A reader that keeps its first error (a [`Lines`] reader keeps only its text).
struct NoteError<'a, R> {
    inner: R,
    error: &'a std::cell::Cell<Option<std::io::Error>>,
}

impl<R: Read> Read for NoteError<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).inspect_err(|e| {
            if e.kind() != std::io::ErrorKind::Interrupted {
                let kept = std::io::Error::new(e.kind(), e.to_string());
                self.error.set(Some(kept));
            }
        })
    }
}

fn parse_outcar_mode<R: Read>(
    reader: R,
    name: &str,
    header_only: bool,
    tail: bool,
) -> Result<Outcar, ParseError> {
    // a reader cannot be read again: its rows are copied; the header and a tail window of
    // `read_final` need no forces
    let rows = if header_only || tail {
        Rows::Skip
    } else {
        Rows::Copy
    };
    parse_outcar_lines(Lines::new(reader), name, header_only, tail, rows).map(|(o, _)| o)
}

fn parse_outcar_lines<R: Read>(
    mut lines: Lines<R>,
    name: &str,
    header_only: bool,
    tail: bool,
    rows: Rows,
) -> Result<(Outcar, usize), ParseError> {
    let mut p = Parser::new(name, rows);
    if tail {
        // A window from the middle of the file: no header in it; markers count as seen.
        p.header = false;
        p.saw_marker = true;
    }
    let ended = read_lines(&mut p, &mut lines, header_only, rows);
    let out = &mut p.out;
    out.lines = lines.line_no;
    if !p.saw_marker {
        return Err(not_an_outcar(name, &lines, ended.first_bad, ended.gave_up));
    }
    if let Some(from) = ended.blank_from {
        p.out.warnings.push(format!(
            "{name}:{from}: reading stopped after {MAX_BLANK_RUN} blank lines in a row from here: no VASP output is like that (a damaged file or a gzip bomb); results cover what came before"
        ));
    }
    if header_only {
        p.finish_header(lines.io_error.as_deref());
    } else {
        p.finish(
            ended.cut_last_line,
            lines.io_error.as_deref(),
            lines.nul_seen,
        );
    }
    // where the last two steps' blocks can start: after the earlier step's last iteration
    let from = match p.step_iters {
        [0, 0] => 0,
        [0, b] => b,
        [a, _] => a,
    };
    Ok((p.out, from))
}

/// How the line loop of [`read_lines`] ended, for the verdict of [`parse_outcar_lines`].
struct Ended {
    /// The file does not end with a newline: the last line may be cut mid-number.
    cut_last_line: bool,
    /// The first line with a NUL or binary bytes, before any marker.
    first_bad: Option<(usize, Vec<u8>)>,
    /// No marker in the first [`SNIFF_BYTES`]: reading gave up.
    gave_up: bool,
    /// Where a run of [`MAX_BLANK_RUN`] blank lines that stopped reading began.
    blank_from: Option<usize>,
}

/// Feed `lines` to the parser until the end, a stop, or (with `header_only`) the header's end.
fn read_lines<R: Read>(
    p: &mut Parser,
    lines: &mut Lines<R>,
    header_only: bool,
    rows: Rows,
) -> Ended {
    let mut cut_last_line = false;
    let mut first_bad: Option<(usize, Vec<u8>)> = None;
    let markers = markers(rows);
    let find = |hay: &[u8]| markers.find(hay).map(|m| m.start());
    let mut gave_up = false;
    let (mut blank_run, mut blank_at, mut blank_from) = (0usize, 0usize, None);
    loop {
        if !p.saw_marker && lines.position() > SNIFF_BYTES {
            // nothing of an OUTCAR so far: another kind of file, or a gzip bomb
            gave_up = true;
            break;
        }
        // Line by line where every line may matter (the header, an energy block, the first
        // block of modes); elsewhere jump from marker to marker.
        let next = if p.header
            || p.energy != Energy::None
            || p.dynm == Dyn::Inside
            || p.force.open.is_some()
        {
            lines.next_line()
        } else {
            lines.next_matching(find)
        };
        let Some((line, end, no)) = next else { break };
        // The rows of a position and force block (NIONS a step): copied, nothing else done.
        if end == LineEnd::Newline && p.force.open.is_some() {
            let t = trim_start(line);
            if !t.is_empty() && p.force.row(t, no) {
                continue;
            }
        }
        if end == LineEnd::Split {
            continue;
        }
        if end == LineEnd::Eof && !line.is_empty() {
            // The file does not end with a newline: the last line may be cut mid-number.
            cut_last_line = true;
            break;
        }
        if trim_start(line).is_empty() {
            // VASP never prints more than a few blank lines in a row
            blank_run += 1;
            if blank_run == 1 {
                blank_at = no;
            }
            if blank_run >= MAX_BLANK_RUN && p.saw_marker {
                blank_from = Some(blank_at);
                break;
            }
            continue;
        }
        blank_run = 0;
        if memchr::memchr(0, line).is_some() {
            if !p.saw_marker && first_bad.is_none() {
                first_bad = Some((no, line.to_vec()));
            }
            continue;
        }
        if no <= 64 && !p.saw_marker && looks_binary(line) && first_bad.is_none() {
            first_bad = Some((no, line.to_vec()));
        }
        p.line(line, no);
        if header_only && !p.header {
            break;
        }
    }
    Ended {
        cut_last_line,
        first_bad,
        gave_up,
        blank_from,
    }
}

/// The error for a file in which no OUTCAR marker was found: empty, binary, a read error,
/// or lines of something else (all of them, or the first [`SNIFF_BYTES`]).
fn not_an_outcar<R: Read>(
    name: &str,
    lines: &Lines<R>,
    first_bad: Option<(usize, Vec<u8>)>,
    gave_up: bool,
) -> ParseError {
    if lines.line_no == 0 && lines.io_error.is_none() {
        return ParseError::format(
            name,
            None,
            "an OUTCAR written by VASP",
            "an empty file",
            "the run may not have started; check the job's standard output",
        );
    }
    let (line, found) = match &first_bad {
        Some((l, b)) => (Some(*l), format!("binary or corrupt data {}", show(b, 40))),
        None => (None, nothing_found(lines, gave_up)),
    };
    let mut err = ParseError::format(
        name,
        line,
        "an OUTCAR (a 'vasp.X.Y' version line, POTCAR titles, 'FREE ENERGIE' blocks)",
        found,
        "check that this is an OUTCAR; use --format to read it as another VASP file",
    );
    if let Some(e) = &lines.io_error {
        err.found = format!("a read error: {e}");
        err.hint = "the file may be a truncated or corrupt gzip archive".into();
    }
    err
}

/// What a file without any OUTCAR marker held: its lines, or the bytes read before the
/// reader gave up ([`SNIFF_BYTES`]); lines too long to be text are said.
fn nothing_found<R: Read>(lines: &Lines<R>, gave_up: bool) -> String {
    let what = if gave_up {
        format!(
            "{} MiB ({} lines) read without",
            SNIFF_BYTES >> 20,
            lines.line_no
        )
    } else {
        format!("{} lines without", lines.line_no)
    };
    let long = if lines.split_pieces > 0 {
        format!(
            " (a line longer than {} MiB: not text)",
            crate::source::MAX_LINE >> 20
        )
    } else {
        String::new()
    };
    format!("{what} a VASP version line, POTCAR titles or energy blocks{long}")
}

impl<'a> Parser<'a> {
    /// A parser at the start of a file (`rows`: how force blocks are read).
    fn new(name: &'a str, rows: Rows) -> Self {
        Parser {
            name,
            out: Outcar::default(),
            step: StepState::default(),
            energy: Energy::None,
            dynm: Dyn::Before,
            header: true,
            nelm: None,
            overflow_lines: Vec::new(),
            saw_marker: false,
            titel: Vec::new(),
            vrhfin: Vec::new(),
            pending_potcar: Vec::new(),
            force: ForceBlocks {
                skip: rows == Rows::Skip,
                ..ForceBlocks::default()
            },
            neb_bad: Damage::default(),
            iter_line: 0,
            step_iters: [0; 2],
            bad_keys: Vec::new(),
        }
    }
}

fn looks_binary(line: &[u8]) -> bool {
    let bad = line
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count();
    bad > 0 && bad * 10 > line.len().max(1)
}

fn starts(s: &[u8], p: &[u8]) -> bool {
    s.starts_with(p)
}

fn contains(s: &[u8], p: &[u8]) -> bool {
    memchr::memmem::find(s, p).is_some()
}

impl Parser<'_> {
    fn warn(&mut self, msg: String) {
        self.out.warnings.push(msg);
    }

    /// One line of the line-by-line parts (header, energy blocks, first block of modes) or a
    /// marker line: dispatched on its first non-blank byte (see the module table).
    fn line(&mut self, line: &[u8], no: usize) {
        let t = trim_start(line);
        if t.is_empty() {
            return;
        }
        if self.energy != Energy::None {
            self.energy_block(t, no);
            return;
        }
        match t[0] {
            b'v' if starts(t, b"vasp.") && self.out.vasp_version.is_none() => {
                self.out.vasp_version = Some(text(trim(t)));
                self.saw_marker = true;
            }
            b'P' if starts(t, b"POTCAR:") => {
                self.saw_marker = true;
                // TITEL lines are authoritative; these are the fall-back for excerpts.
                self.pending_potcar.push(text(trim(&t[7..])));
            }
            b'T' if starts(t, b"TITEL") => {
                if let Some(v) = value_after_eq(t) {
                    self.titel.push(text(trim(v)));
                }
            }
            b'V' if starts(t, b"VRHFIN") => self.vrhfin_line(t),
            b'g' if starts(t, b"generate k-points for:") => self.kpoint_mesh(t),
            b'i' if starts(t, b"ions per type") => self.ions_per_type(t, no),
            b'-' => self.dashes(t, no),
            b'n' if starts(t, b"number of electron") => self.magnetization(t),
            b'E' if starts(t, b"E-fermi") => self.efermi(t, no),
            b'E' if starts(t, b"Eigenvectors and eigenvalues of the dynamical matrix") => {
                self.saw_marker = true;
                self.out.dynmat_blocks += 1;
                self.dynm = if self.dynm == Dyn::Before {
                    Dyn::Inside
                } else {
                    Dyn::After
                };
            }
            // The repeat of the modes (NWRITE=3) or the next section ends the first block.
            b'E' if self.dynm == Dyn::Inside
                && (starts(t, b"Eigenvectors after division by SQRT(mass)")
                    || starts(t, b"ELASTIC MODULI")) =>
            {
                self.dynm = Dyn::After;
            }
            b'P' if starts(t, b"POSITION") && starts(trim_start(&t[8..]), b"TOTAL-FORCE") => {
                self.force_header(no)
            }
            b'N' if starts(t, b"NEB: projections on to tangent") => self.neb_tangent(t, no),
            b'F' if starts(t, b"FREE ENERGIE OF THE ION-ELECTRON SYSTEM") => {
                self.saw_marker = true;
                self.header = false;
                self.energy = Energy::Header;
            }
            b'r' if starts(t, b"reached required accuracy") => {
                self.out.reached_required_accuracy = true;
            }
            b'G' if starts(t, b"General timing and accounting") => {
                self.out.complete = true;
            }
            b's' | b'h'
                if starts(t, b"soft stop encountered") || starts(t, b"hard stop encountered") =>
            {
                self.out.stopped = Some(text(trim(t)));
            }
            b'0'..=b'9' if self.dynm == Dyn::Inside => self.mode(t, no),
            _ => {}
        }
        if self.header && t[0] != b'|' {
            self.params(t, no);
        } else if (starts(t, b"IVDW") || starts(t, b"VDW_")) && memchr::memchr(b'=', t).is_some() {
            // The van der Waals block (DFT-D2/D3) is printed after the first ionic step.
            self.params(t, no);
        }
    }

    /// `VRHFIN =Ni: 3d4s`: the element of the next POTCAR block (the letters after `=`).
    fn vrhfin_line(&mut self, t: &[u8]) {
        if let Some(v) = value_after_eq(t) {
            let v = trim(v);
            let el: Vec<u8> = v
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .copied()
                .collect();
            self.vrhfin.push(text(&el));
        }
    }

    /// `generate k-points for:  a b c`: the automatic mesh, when there are three counts.
    fn kpoint_mesh(&mut self, t: &[u8]) {
        let v: Vec<u32> = fields(&t[22..])
            .filter_map(|f| parse_i64(f).ok())
            .filter_map(|n| u32::try_from(n).ok())
            .collect();
        if v.len() == 3 {
            self.out.kpoint_mesh = Some([v[0], v[1], v[2]]);
        }
    }

    /// `ions per type =  64 4 1`: the counts up to the first field that is not a count (which
    /// gets a warning).
    fn ions_per_type(&mut self, t: &[u8], no: usize) {
        if let Some(v) = value_after_eq(t) {
            let mut counts = Vec::new();
            for f in fields(v) {
                match parse_i64(f) {
                    Ok(n) if n >= 0 => counts.push(n as usize),
                    _ => {
                        self.warn(format!(
                            "{}:{}: 'ions per type' has a field that is not a count: {}",
                            self.name,
                            no,
                            show(f, 20)
                        ));
                        break;
                    }
                }
            }
            self.out.ions_per_type = counts;
        }
    }

    /// `E-fermi :   -1.2345 …`: the Fermi energy of this step and the last of the file; an
    /// overflow field is counted.
    fn efermi(&mut self, t: &[u8], no: usize) {
        if let Some(v) = t.iter().position(|&c| c == b':') {
            match first_field_number(&t[v + 1..]) {
                Ok(x) => {
                    self.step.efermi = Some(x);
                    self.out.efermi_last = Some(x);
                }
                Err(NumError::Overflow) => self.overflow_lines.push(no),
                Err(_) => self.warn(format!(
                    "{}:{}: expected a number after 'E-fermi :', found {}; this Fermi energy is left out",
                    self.name,
                    no,
                    show(t, 60)
                )),
            }
        }
    }

    fn dashes(&mut self, t: &[u8], no: usize) {
        // `--------- Iteration    1(   3)  -----` or `---- aborting loop …`
        let body = &t[t.iter().position(|&c| c != b'-').unwrap_or(t.len())..];
        let body = trim_start(body);
        if starts(body, b"Iteration") {
            self.saw_marker = true;
            self.header = false;
            self.iter_line = no;
            if let Some(open) = body.iter().position(|&c| c == b'(') {
                let inner = &body[open + 1..];
                let close = inner.iter().position(|&c| c == b')').unwrap_or(inner.len());
                if let Ok(m) = parse_i64(&inner[..close]) {
                    if m > 0 {
                        self.step.iterations = self.step.iterations.max(m as usize);
                    }
                }
            }
        } else if starts(body, b"aborting loop") {
            self.saw_marker = true;
            let ok = if contains(body, b"EDIFF is reached") {
                Some(true)
            } else if contains(body, b"not reached") || contains(body, b"unconverged") {
                Some(false)
            } else {
                self.warn(format!(
                    "{}:{}: unrecognised 'aborting loop' line {}",
                    self.name,
                    no,
                    show(body, 60)
                ));
                None
            };
            self.step.converged = ok;
            self.out.electronic_loops += 1;
            self.out.last_loop_converged = ok;
        }
    }

    fn magnetization(&mut self, t: &[u8]) {
        if let Some(k) = memchr::memmem::find(t, b"magnetization") {
            let vals: Vec<f64> = leading_numbers(&t[k + 13..])
                .into_iter()
                .filter_map(|r| r.ok())
                .collect();
            self.step.magnetization = vals;
        }
    }

    fn energy_block(&mut self, t: &[u8], no: usize) {
        match self.energy {
            Energy::Header => {
                if starts(t, b"free  energy   TOTEN") || starts(t, b"free energy    TOTEN") {
                    let v = match value_after_eq(t).map(first_field_number) {
                        Some(Ok(x)) => Some(x),
                        Some(Err(NumError::Overflow)) => {
                            self.overflow_lines.push(no);
                            None
                        }
                        _ => None,
                    };
                    self.energy = Energy::Toten(v, no);
                } else if !t.iter().all(|&c| c == b'-') {
                    self.warn(format!(
                        "{}:{}: expected 'free  energy   TOTEN' after the 'FREE ENERGIE' header, found {}",
                        self.name, no, show(t, 60)
                    ));
                    self.energy = Energy::None;
                }
            }
            Energy::Toten(toten, toten_line) => {
                if starts(t, b"energy  without entropy") || starts(t, b"energy without entropy") {
                    let e = value_after_eq(t).map(first_field_number);
                    let s0 = memchr::memmem::find(t, b"energy(sigma->0)")
                        .and_then(|k| value_after_eq(&t[k..]))
                        .map(first_field_number);
                    self.energy = Energy::None;
                    match (toten, e, s0) {
                        (Some(f), Some(Ok(e)), Some(Ok(s0))) => {
                            self.push_step(f, e, s0, toten_line)
                        }
                        _ => {
                            if matches!(e, Some(Err(NumError::Overflow)))
                                || matches!(s0, Some(Err(NumError::Overflow)))
                                || toten.is_none()
                            {
                                self.overflow_lines.push(no);
                            }
                            self.warn(format!(
                                "{}:{}: ionic step {} has an energy that is not a number (Fortran overflow '***' or corrupt); the step is left out",
                                self.name,
                                toten_line,
                                self.out.ionic_steps.len() + 1
                            ));
                            self.step = StepState::default();
                        }
                    }
                } else {
                    self.warn(format!(
                        "{}:{}: expected 'energy  without entropy' after TOTEN (line {}), found {}",
                        self.name,
                        no,
                        toten_line,
                        show(t, 60)
                    ));
                    self.energy = Energy::None;
                }
            }
            Energy::None => {}
        }
    }

    fn push_step(&mut self, toten: f64, no_entropy: f64, sigma0: f64, line: usize) {
        self.step_iters = [self.step_iters[1], self.iter_line];
        let st = std::mem::take(&mut self.step);
        let mut converged = st.converged;
        if converged.is_none() {
            if let Some(nelm) = self.nelm {
                if st.iterations >= nelm {
                    converged = Some(false);
                }
            }
        }
        let index = self.out.ionic_steps.len() + 1;
        self.out.ionic_steps.push(IonicStep {
            index,
            energy: StepEnergy {
                toten,
                no_entropy,
                sigma0,
            },
            efermi: st.efermi,
            electronic_iterations: st.iterations,
            electronic_converged: converged,
            magnetization: st.magnetization,
            line,
        });
    }

    fn mode(&mut self, t: &[u8], no: usize) {
        // `   1 f  =  105.213096 THz   661.073377 2PiTHz 3509.531001 cm-1   435.126544 meV`
        // `   4 f/i=    0.004090 THz     0.025697 2PiTHz    0.136422 cm-1     0.016914 meV`
        let digits = t.iter().take_while(|c| c.is_ascii_digit()).count();
        let Ok(index) = parse_i64(&t[..digits]) else {
            return;
        };
        let rest = trim_start(&t[digits..]);
        let imaginary = if starts(rest, b"f/i=") {
            true
        } else if starts(rest, b"f  =") || starts(rest, b"f =") {
            false
        } else {
            return;
        };
        let Some(k) = memchr::memmem::find(rest, b"2PiTHz") else {
            self.warn(format!(
                "{}:{}: frequency line without a '2PiTHz' field: {}",
                self.name,
                no,
                show(rest, 80)
            ));
            return;
        };
        let after = &rest[k + 6..];
        let Some(c) = memchr::memmem::find(after, b"cm-1") else {
            self.warn(format!(
                "{}:{}: frequency line without a 'cm-1' field: {}",
                self.name,
                no,
                show(rest, 80)
            ));
            return;
        };
        match crate::numbers::parse_f64(&after[..c]) {
            Ok(f) => self.out.modes.push(Mode {
                index: index as usize,
                freq_cm1: f,
                imaginary,
                line: no,
            }),
            Err(_) => {
                self.overflow_lines.push(no);
                self.warn(format!(
                    "{}:{}: mode {} has a frequency that is not a number: {}",
                    self.name,
                    no,
                    index,
                    show(&after[..c], 30)
                ));
            }
        }
    }

    /// `POSITION … TOTAL-FORCE (eV/Angst)`: a block of positions and forces starts (it
    /// belongs to the step whose `FREE ENERGIE` lines follow).
    #[cold]
    #[inline(never)]
    fn force_header(&mut self, no: usize) {
        self.saw_marker = true;
        let nions = self
            .out
            .param_i64("NIONS")
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0);
        let step = self.out.ionic_steps.len() + 1;
        let f = &mut self.force;
        if !f.skip {
            f.open_block(no, step, nions);
        }
    }

    /// VTST's `NEB: projections on to tangent (spring, REAL)  -0.001815  0.171253`: the two
    /// numbers after the parenthesis (the format VTST's `nebbarrier.pl` and pymatgen's
    /// `Outcar.read_neb` read). The last line wins; one that cannot be read clears the value.
    #[cold]
    #[inline(never)]
    fn neb_tangent(&mut self, t: &[u8], no: usize) {
        let after = memchr::memchr(b')', t).map_or(&t[t.len()..], |k| &t[k + 1..]);
        let mut nums = fields(after).map(crate::numbers::parse_f64);
        match (nums.next(), nums.next()) {
            (Some(Ok(spring)), Some(Ok(real))) => {
                self.out.neb_tangent = Some(NebTangent {
                    spring,
                    real,
                    line: no,
                })
            }
            _ => {
                self.out.neb_tangent = None;
                self.neb_bad.add(no, show(t, 90));
            }
        }
    }

    /// `NAME = value` pairs of the parameter echo (line `no`); several may share a line. A
    /// name that is not one (`EN%UT =`: a damaged byte) is kept for a warning.
    fn params(&mut self, t: &[u8], no: usize) {
        let mut pos = 0;
        while let Some(rel) = memchr::memchr(b'=', &t[pos..]) {
            let eq = pos + rel;
            pos = eq + 1;
            let Some(key) = key_before(t, eq) else {
                if damaged_key(t, eq) && self.bad_keys.len() < 8 {
                    self.bad_keys.push((no, show(trim(t), 60)));
                }
                continue;
            };
            let value = value_text(&t[eq + 1..]);
            if value.is_empty() {
                continue;
            }
            let key = text(key);
            if key == "NELM" {
                if let Some(f) = value.split_whitespace().next() {
                    self.nelm = f.parse().ok();
                }
            }
            self.out.incar.insert(key, value);
        }
    }

    /// After the last line: species and POTCAR titles settled, then every warning about the
    /// run as a whole, in a fixed order (counts, reading, completion, convergence, modes).
    /// The end of a header-only read ([`read_outcar_header`]): what the header says, and
    /// nothing about the run's end (complete, converged, steps), which it has not seen: a
    /// caller reading the tail (`read_final`) gives those, so a record never says
    /// "complete" beside a header's "incomplete run" warning.
    fn finish_header(&mut self, io_error: Option<&str>) {
        self.settle_species();
        let name = self.name;
        self.echo_warnings(name);
        if let Some(e) = io_error {
            self.warn(format!("{name}: reading stopped by an error ({e})"));
        }
        if let (None, Some(v)) = (self.out.ibrion(), self.out.param("IBRION")) {
            let v = v.trim().to_string();
            self.warn(format!(
                "{name}: IBRION = '{v}' cannot be read: the run type is unknown; check the file (a damaged echo changes which step is the structure's energy)"
            ));
        }
    }

    fn finish(&mut self, cut_last_line: bool, io_error: Option<&str>, nul_seen: bool) {
        self.settle_species();
        let name = self.name;
        self.count_warnings(name);
        self.echo_warnings(name);
        if self.energy != Energy::None {
            self.warn(format!(
                "{name}: the file ends inside an energy block; that ionic step is left out"
            ));
        }
        self.out.trailing_iterations = self.step.iterations;
        self.force_warnings(name);
        self.reading_warnings(name, cut_last_line, io_error, nul_seen);
        self.completion_warnings(name);
        self.convergence_warnings(name);
        if let (None, Some(v)) = (self.out.ibrion(), self.out.param("IBRION")) {
            let v = v.trim().to_string();
            self.warn(format!(
                "{name}: IBRION = '{v}' cannot be read: the run type is {}; check the file (a damaged echo changes which step is the structure's energy)",
                if self.out.dynmat_blocks > 0 {
                    "taken from its dynamical matrix: a frequency run"
                } else {
                    "unknown (taken as neither a relaxation nor a frequency run)"
                }
            ));
        }
        if let Some(i) = self.out.ibrion().filter(|i| !(5..=8).contains(i)) {
            if self.out.dynmat_blocks > 0 {
                self.warn(format!(
                    "{name}: IBRION = {i} but the file holds a dynamical matrix (a frequency run's): the IBRION echo may be damaged; the energy is taken by IBRION"
                ));
            }
        }
        if self.out.is_frequency_run() {
            self.frequency_warnings(name);
        }
    }

    /// POTCAR titles and species, and NIONS. Titles: the `TITEL` lines, or else the
    /// `POTCAR:` lines (their repeat dropped). Species: the `VRHFIN` elements when there is
    /// one per title, otherwise the element of each title.
    fn settle_species(&mut self) {
        let titles = if !self.titel.is_empty() {
            std::mem::take(&mut self.titel)
        } else {
            // `POTCAR:` lines appear twice over (INCAR section, then each POTCAR header).
            let mut p = std::mem::take(&mut self.pending_potcar);
            let h = p.len() / 2;
            if p.len().is_multiple_of(2) && p[..h] == p[h..] {
                p.truncate(h);
            }
            p
        };
        let species: Vec<String> = if self.vrhfin.len() == titles.len() && !titles.is_empty() {
            std::mem::take(&mut self.vrhfin)
        } else {
            titles.iter().map(|t| element_from_title(t)).collect()
        };
        self.out.potcar_titles = titles;
        self.out.species = species;
        self.out.nions = self
            .out
            .param_i64("NIONS")
            .and_then(|n| usize::try_from(n).ok());
    }

    /// `ions per type` against the species and against NIONS.
    /// A damaged parameter echo: names that cannot be read, and (once the echo has been read
    /// to its end, and holds most of them: not a hand-made excerpt) tags every VASP 5/6
    /// OUTCAR echoes that are missing ([`ALWAYS_ECHOED`]):
    /// without them a value would silently be VASP's default (`lint` compares ISPIN = 1
    /// for a spin-polarised run whose `ISPIN` line was damaged).
    fn echo_warnings(&mut self, name: &str) {
        for (l, t) in std::mem::take(&mut self.bad_keys) {
            self.warn(format!(
                "{name}:{l}: expected 'NAME = value' in the parameter echo, found {t}: a damaged name; its value is not read (check the file)"
            ));
        }
        if self.header || self.out.incar.is_empty() {
            return;
        }
        let missing: Vec<&str> = ALWAYS_ECHOED
            .iter()
            .copied()
            .filter(|k| !self.out.incar.contains_key(*k))
            .collect();
        // a real echo with lines damaged (most tags there), not a hand-made excerpt
        if !missing.is_empty() && missing.len() * 2 < ALWAYS_ECHOED.len() {
            self.warn(format!(
                "{name}: the parameter echo has no {}: VASP always prints {}; a damaged line? (their values count as unknown or VASP's default)",
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            ));
        }
    }

    fn count_warnings(&mut self, name: &str) {
        if !self.out.ions_per_type.is_empty()
            && !self.out.species.is_empty()
            && self.out.ions_per_type.len() != self.out.species.len()
        {
            self.warn(format!(
                "{name}: {} POTCAR species but 'ions per type' lists {} counts",
                self.out.species.len(),
                self.out.ions_per_type.len()
            ));
        }
        if let (Some(n), false) = (self.out.nions, self.out.ions_per_type.is_empty()) {
            let s: usize = self.out.ions_per_type.iter().sum();
            if s != n {
                self.warn(format!(
                    "{name}: NIONS = {n} but 'ions per type' sums to {s}"
                ));
            }
        }
    }

    /// The last complete position and force block parsed into [`Outcar::forces`]; a block
    /// the file ends in, damaged blocks and unreadable `NEB: projections` lines said.
    fn force_warnings(&mut self, name: &str) {
        settle_forces(&mut self.force, &mut self.out, name);
        if let Some((l, text)) = self.neb_bad.first.take() {
            self.warn(format!(
                "{name}:{l}: expected two numbers after 'NEB: projections on to tangent (spring, REAL)', found {text} ({} such line(s)); {}",
                self.neb_bad.count,
                if self.out.neb_tangent.is_none() {
                    "the last one is among them, so VTST's tangent force is not used"
                } else {
                    "a later line is read"
                }
            ));
        }
    }

    /// A read error, a cut last line, NUL bytes and overflow fields (the first 5 lines).
    fn reading_warnings(
        &mut self,
        name: &str,
        cut_last_line: bool,
        io_error: Option<&str>,
        nul_seen: bool,
    ) {
        if let Some(e) = io_error {
            self.warn(format!(
                "{name}: reading stopped at line {} with an error ({e}): a truncated or corrupt gzip file; results cover the lines before it",
                self.out.lines
            ));
        }
        if cut_last_line {
            self.warn(format!(
                "{name}: the last line ({}) has no newline, so the file was cut mid-line; that line is ignored",
                self.out.lines
            ));
        }
        if nul_seen {
            self.warn(format!(
                "{name}: the file contains NUL bytes (a corrupt or partly written file); lines with them were skipped"
            ));
        }
        if !self.overflow_lines.is_empty() {
            let shown: Vec<String> = self
                .overflow_lines
                .iter()
                .take(5)
                .map(|l| l.to_string())
                .collect();
            self.warn(format!(
                "{name}: {} value(s) printed as '***' (Fortran overflow) were not used, at line(s) {}",
                self.overflow_lines.len(),
                shown.join(", ")
            ));
        }
    }

    /// An incomplete run (stopped, or no `General timing` line) with its unused trailing
    /// iterations, and a file without a complete ionic step.
    fn completion_warnings(&mut self, name: &str) {
        if !self.out.complete {
            let why = if let Some(s) = &self.out.stopped {
                format!("the run was stopped ('{s}')")
            } else {
                "no 'General timing' line: the run crashed, was killed, is still running, or the file is cut".to_string()
            };
            self.warn(format!("{name}: incomplete run: {why}"));
            if self.out.trailing_iterations > 0 {
                self.warn(format!(
                    "{name}: {} electronic iteration(s) after the last complete ionic step were not used",
                    self.out.trailing_iterations
                ));
            }
        }
        if self.out.ionic_steps.is_empty() {
            self.warn(format!(
                "{name}: no complete ionic step ('FREE ENERGIE OF THE ION-ELECTRON SYSTEM' block): no energy can be reported"
            ));
        }
    }

    /// Ionic steps whose electronic loop did not converge (the first 8 listed), and a
    /// relaxation that never reached the required accuracy.
    fn convergence_warnings(&mut self, name: &str) {
        let unconverged: Vec<usize> = self
            .out
            .ionic_steps
            .iter()
            .filter(|s| s.electronic_converged == Some(false))
            .map(|s| s.index)
            .collect();
        if !unconverged.is_empty() {
            let shown: Vec<String> = unconverged.iter().take(8).map(|i| i.to_string()).collect();
            self.warn(format!(
                "{name}: the electronic loop did not converge (EDIFF not reached within NELM) in {} ionic step(s): {}{}",
                unconverged.len(),
                shown.join(", "),
                if unconverged.len() > 8 { ", …" } else { "" }
            ));
        }
        if self.out.ionic_converged() == Some(false) {
            self.warn(format!(
                "{name}: relaxation not converged: 'reached required accuracy' was never printed (IBRION={}, NSW={})",
                self.out.ibrion().unwrap_or_default(),
                self.out.nsw().unwrap_or_default()
            ));
        }
    }

    /// A frequency run: which step is the structure's energy, its imaginary modes, and a
    /// missing dynamical-matrix block.
    fn frequency_warnings(&mut self, name: &str) {
        self.warn(format!(
            "{name}: frequency run (IBRION={}): the energy of the relaxed structure is the first ionic step; later steps are displaced geometries",
            self.out.ibrion().unwrap_or_default()
        ));
        let imag: Vec<String> = self
            .out
            .modes
            .iter()
            .filter(|m| m.imaginary)
            .map(|m| format!("{:.1}i", m.freq_cm1))
            .collect();
        if !imag.is_empty() {
            self.warn(format!(
                "{name}: {} imaginary mode(s) (cm-1): {}",
                imag.len(),
                imag.join(", ")
            ));
        }
        if self.out.modes.is_empty() {
            self.warn(format!(
                "{name}: frequency run without a dynamical-matrix block: the run did not reach the end of the displacements"
            ));
        }
    }
}

/// The last complete block of `f` parsed into [`Outcar::forces`]; a block the input ends in
/// and damaged blocks said in `out`'s warnings.
#[cold]
#[inline(never)]
fn settle_forces(f: &mut ForceBlocks, out: &mut Outcar, name: &str) {
    if let Some(h) = f.open.take() {
        out.warnings.push(format!(
            "{name}:{h}: the file ends inside a POSITION/TOTAL-FORCE block; those forces are left out"
        ));
    }
    if let Some((l, what)) = f.damaged.first.take() {
        let n = f.damaged.count;
        out.warnings.push(format!(
            "{name}:{l}: {n} POSITION/TOTAL-FORCE block(s) damaged and left out (the first: {what}); check the file"
        ));
    }
    if let Some((rows, n, line, step)) = f.done.take() {
        match parse_force_rows(&rows, n) {
            Ok((positions, forces)) => {
                out.forces = Some(Forces {
                    step,
                    line,
                    positions,
                    forces,
                })
            }
            Err((k, found)) => out.warnings.push(format!(
                "{name}:{}: expected 6 numbers (x y z, then the force) in the last POSITION/TOTAL-FORCE block, found {found}; its positions and forces are not read",
                line + 2 + k
            )),
        }
    }
}

/// [`Rows::Skip`]: the last complete position and force block read from the end of the
/// file, after the pass. VASP prints a step's block after its last electronic iteration and
/// before its energy, so the windows, doubled from 1 MiB, reach back to line `from` (the
/// last iteration of the step before the last, from the pass; else the energy of that
/// step): bounded by two steps' text, whatever the file's size. The last block is taken,
/// or the one before it when the last is incomplete (a cut run); a block's step is the
/// number of complete steps before it, plus one, as in the pass. False (nothing done) when
/// those steps begin more than [`MAX_TAIL_WINDOW`] from the end.
fn forces_from_end(path: &Path, name: &str, out: &mut Outcar, from: usize) -> bool {
    let from_line = if from > 0 {
        from
    } else {
        out.ionic_steps.iter().rev().nth(1).map_or(1, |s| s.line)
    };
    let mut w: u64 = 1 << 20;
    loop {
        let (buf, whole) = match tail_window(path, w) {
            Ok(r) => r,
            Err(e) => {
                out.warnings.push(format!(
                    "{name}: could not read the end of the file again for its last forces ({e}); they are left out"
                ));
                return true;
            }
        };
        // lines from the window's first line boundary (its first line may be cut)
        let skip = if whole {
            0
        } else {
            memchr::memchr(b'\n', &buf).map_or(buf.len(), |k| k + 1)
        };
        let body = &buf[skip..];
        let lines_in =
            bytecount::count(body, b'\n') + usize::from(!body.is_empty() && !body.ends_with(b"\n"));
        let first_line = (out.lines + 1).saturating_sub(lines_in);
        if first_line > from_line && !whole {
            if w >= MAX_TAIL_WINDOW {
                return false;
            }
            w = w.saturating_mul(2);
            continue;
        }
        // the last two headers in the window, the last first: (line, byte offset)
        let mut found: Vec<(usize, usize)> = Vec::new();
        let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', body).map(|k| k + 1));
        for (k, off) in line_starts.enumerate().filter(|(_, o)| *o < body.len()) {
            let t = trim_start(&body[off..body.len().min(off + 160)]);
            if starts(t, b"POSITION") && starts(trim_start(&t[8..]), b"TOTAL-FORCE") {
                found.push((first_line + k, off));
            }
        }
        for (rank, &(line, off)) in found.iter().rev().take(2).enumerate() {
            let step = out.ionic_steps.iter().filter(|s| s.line < line).count() + 1;
            let Some(mut f) = block_at(&body[off..], line, step, out.nions) else {
                return true;
            };
            let complete = f.done.is_some();
            // an incomplete last block is said (no forces from it); the one before is tried
            settle_forces(&mut f, out, name);
            if complete || rank == 1 {
                return true;
            }
        }
        return true;
    }
}

/// The last `w` bytes of a file, and whether that is all of it.
fn tail_window(path: &Path, w: u64) -> std::io::Result<(Vec<u8>, bool)> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let start = size.saturating_sub(w);
    file.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::new();
    file.take(size - start).read_to_end(&mut buf)?;
    Ok((buf, start == 0))
}

/// The position and force block whose header starts `text` (line `line`, step `step`),
/// read as the pass reads one; `None` when `text` does not start with such a header.
fn block_at(text: &[u8], line: usize, step: usize, nions: Option<usize>) -> Option<ForceBlocks> {
    let mut it = text.split(|&b| b == b'\n');
    let header = trim_start(it.next()?);
    if !(starts(header, b"POSITION") && contains(header, b"TOTAL-FORCE")) {
        return None;
    }
    let mut f = ForceBlocks::default();
    f.open_block(line, step, nions);
    for (j, l) in it.enumerate() {
        let t = trim_start(l.strip_suffix(b"\r").unwrap_or(l));
        if !t.is_empty() && (!f.row(t, line + 1 + j) || f.open.is_none()) {
            break;
        }
    }
    Some(f)
}

/// The rows of a position and force block (`x y z fx fy fz`, one per line): positions and
/// forces, or the index of the first row that is not six numbers and what it holds.
#[allow(clippy::type_complexity)]
fn parse_force_rows(
    rows: &[u8],
    n: usize,
) -> Result<(Vec<[f64; 3]>, Vec<[f64; 3]>), (usize, String)> {
    let mut pos = Vec::with_capacity(crate::source::capacity(n));
    let mut frc = Vec::with_capacity(crate::source::capacity(n));
    for (k, row) in rows.split(|&b| b == b'\n').take(n).enumerate() {
        let mut v = [0.0; 6];
        let mut count = 0;
        for f in fields(row) {
            match crate::numbers::parse_f64(f) {
                Ok(x) if count < 6 => v[count] = x,
                _ => return Err((k, show(row, 80))),
            }
            count += 1;
        }
        if count != 6 {
            return Err((k, show(row, 80)));
        }
        pos.push([v[0], v[1], v[2]]);
        frc.push([v[3], v[4], v[5]]);
    }
    Ok((pos, frc))
}

/// The bytes after the first `=` of a line.
fn value_after_eq(t: &[u8]) -> Option<&[u8]> {
    memchr::memchr(b'=', t).map(|k| &t[k + 1..])
}

/// The identifier just before position `eq` (skipping blanks): upper-case letters, digits
/// and `_`, starting with a letter. Anything else (prose such as `a.u.,A,eV,Ry =`) is not a
/// parameter.
/// Tags the parameter echo of every VASP 5 and 6 OUTCAR holds (all 45 corpus OUTCARs have
/// them): one missing is a damaged line.
const ALWAYS_ECHOED: [&str; 9] = [
    "PREC", "ENCUT", "ISPIN", "NELM", "EDIFF", "IBRION", "NSW", "POTIM", "ISMEAR",
];

/// Is the word before the `=` at `eq` a parameter name with a damaged byte (`EN%UT`,
/// `IS#IN`)? Capitals, digits and `_` with at least one other printable byte, no lowercase
/// (`Ry =`, `a.u.,A,eV,Ry =` are not names) and not a bracket (`(WPLASMAI=`).
fn damaged_key(t: &[u8], eq: usize) -> bool {
    let word = trim(&t[..eq]);
    let word = &word[word.iter().rposition(|&c| c == b' ').map_or(0, |k| k + 1)..];
    let caps = word.iter().filter(|c| c.is_ascii_uppercase()).count();
    let odd = word
        .iter()
        .filter(|&&c| !(c.is_ascii_alphanumeric() || c == b'_'))
        .count();
    word.len() >= 3
        && caps >= 2
        && odd >= 1
        && !word.iter().any(|c| c.is_ascii_lowercase())
        && !word.iter().any(|c| b"()[],.;:-+".contains(c))
}

fn key_before(t: &[u8], eq: usize) -> Option<&[u8]> {
    let mut end = eq;
    while end > 0 && t[end - 1] == b' ' {
        end -= 1;
    }
    let mut start = end;
    while start > 0 {
        let c = t[start - 1];
        if c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_' {
            start -= 1;
        } else {
            break;
        }
    }
    if start == end || !t[start].is_ascii_uppercase() {
        return None;
    }
    if start > 0 {
        let c = t[start - 1];
        // `Fermi-wavevector`, `(WPLASMAI=`: a key must stand alone.
        if !(c == b' ' || c == b';' || c == b'(' || c == b'\t') {
            return None;
        }
    }
    Some(&t[start..end])
}

/// The value of a `NAME = value` pair: the first field, followed by further fields while
/// they are numbers (per-species lists such as `POMASS = 58.69 16.00 1.00`), stopping at
/// `;`, at the next `NAME =`, and at prose (`ENCUT = 520.0 eV` → `520.0`).
fn value_text(v: &[u8]) -> String {
    let end = memchr::memchr(b';', v).unwrap_or(v.len());
    let v = &v[..end];
    let toks: Vec<&[u8]> = fields(v).collect();
    let mut out: Vec<String> = Vec::new();
    for (k, tok) in toks.iter().enumerate() {
        let next_is_eq = toks
            .get(k + 1)
            .map(|n| n.first() == Some(&b'='))
            .unwrap_or(false)
            || tok.ends_with(b"=");
        if next_is_eq {
            break;
        }
        if k == 0 {
            out.push(text(tok));
            if crate::numbers::parse_f64(tok).is_err() {
                break;
            }
        } else if crate::numbers::parse_f64(tok).is_ok() {
            out.push(text(tok));
        } else {
            break;
        }
    }
    out.join(" ")
}

/// `PAW_PBE Ni_pv 02Aug2007` → `Ni`; `PAW_PBE H1.25 07Sep2000` → `H`; `US Fe` → `Fe`.
pub fn element_from_title(title: &str) -> String {
    let mut it = title.split_whitespace();
    let first = it.next().unwrap_or("");
    let sym = it.next().unwrap_or(first);
    sym.chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values() {
        let t = b"NELM   =    200;   NELMIN=  2; NELMDL= -5     # of ELM steps";
        let mut p = test_parser();
        p.params(t, 1);
        assert_eq!(p.out.incar["NELM"], "200");
        assert_eq!(p.out.incar["NELMIN"], "2");
        assert_eq!(p.out.incar["NELMDL"], "-5");
        p.params(b"ENCUT  =  520.0 eV  38.22 Ry    6.18 a.u.", 1);
        assert_eq!(p.out.incar["ENCUT"], "520.0");
        p.params(b"POMASS =  58.69 16.00  1.00", 1);
        assert_eq!(p.out.incar["POMASS"], "58.69 16.00 1.00");
        p.params(
            b"number of dos      NEDOS =    301   number of ions     NIONS =     70",
            1,
        );
        assert_eq!(p.out.incar["NEDOS"], "301");
        assert_eq!(p.out.incar["NIONS"], "70");
        p.params(
            b"Fermi-wavevector in a.u.,A,eV,Ry     =   1.174803  2.220055",
            1,
        );
        assert!(!p.out.incar.contains_key("Ry"));
        p.params(b"PREC   = accura    normal or accurate", 1);
        assert_eq!(p.out.incar["PREC"], "accura");
        p.params(
            b"EMIN   =  10.00;   EMAX   =-10.00  energy-range for DOS",
            1,
        );
        assert_eq!(p.out.incar["EMAX"], "-10.00");
        p.params(b"(WPLASMAI=    0.000 imaginary part", 1);
        assert_eq!(p.out.incar["WPLASMAI"], "0.000");
    }

    /// Issue 18: one damaged byte in a name of the echo dropped the tag without a word.
    #[test]
    fn a_damaged_name_in_the_echo_is_said() {
        let mut p = test_parser();
        for t in [
            "PREC   = accura",
            "NELM   =     60",
            "EDIFF  = 0.1E-05",
            "IBRION =     2",
        ] {
            p.params(t.as_bytes(), 1);
        }
        for t in ["NSW    =    100", "POTIM  = 0.5000", "ISMEAR =     0"] {
            p.params(t.as_bytes(), 2);
        }
        p.params(b"ENCUT  =  520.0 eV  38.22 Ry    6.18 a.u.", 3);
        p.params(b"IS#IN  =      2    spin polarized calculation?", 4);
        p.params(
            b"Fermi-wavevector in a.u.,A,eV,Ry     =   1.174803  2.220055",
            5,
        );
        p.params(b"(WPLASMAI=    0.000 imaginary part", 6);
        assert_eq!(p.bad_keys.len(), 1, "{:?}", p.bad_keys);
        assert_eq!(p.bad_keys[0].0, 4);
        p.header = false;
        p.echo_warnings("OUTCAR");
        let w = p.out.warnings.join("\n");
        assert!(w.contains("OUTCAR:4: expected 'NAME = value'"), "{w}");
        assert!(w.contains("IS#IN"), "{w}");
        assert!(
            w.contains("the parameter echo has no ISPIN: VASP always prints it"),
            "{w}"
        );
        assert!(!damaged_key(b"Ry     =", 7) && damaged_key(b"  EN%UT  =", 9));
    }

    fn test_parser() -> Parser<'static> {
        Parser::new("t", Rows::Copy)
    }

    /// A two-ion OUTCAR with one ionic step per entry of `steps` (rows of the position and
    /// force block as text, the NEB line or none), then `tail` (the rest of the file).
    fn neb_outcar(steps: &[(&str, Option<&str>)], tail: &str) -> String {
        let mut s = String::from(
            " vasp.5.4.4.18Apr17-6-g9f103f2a35 (build Dec 15 2018 21:27:11) complex\n POTCAR:    PAW_PBE H 15Jun2001\n   number of dos      NEDOS =    301   number of ions     NIONS =      2\n   IBRION =      3    ionic relax\n   NSW    =     50    number of steps for IOM\n",
        );
        for (k, (rows, neb)) in steps.iter().enumerate() {
            s += &format!("----------------------------------------- Iteration    {}(   1)  ---------------------------------------\n", k + 1);
            s += " POSITION                                       TOTAL-FORCE (eV/Angst)\n -----------------------------------------------------------------------------------\n";
            s += rows;
            s += " -----------------------------------------------------------------------------------\n    total drift:                                0.000000     -0.000000     -0.000000\n\n";
            if let Some(n) = neb {
                s += n;
                s += "\n";
            }
            s += &format!("  FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)\n  ---------------------------------------------------\n  free  energy   TOTEN  =       -10.{k}0000000 eV\n\n  energy  without entropy=      -10.{k}0000000  energy(sigma->0) =      -10.{k}0000000\n");
        }
        s + tail
    }

    const ROWS_1: &str = "      0.00000      0.00000      0.00000         0.100000      0.000000      0.000000\n      1.00000      0.00000      0.00000        -0.100000      0.000000      0.000000\n";
    const ROWS_2: &str = "      0.10000      0.20000      0.30000         0.010000     -0.020000      0.030000\n      1.50000      0.00000      0.00000        -0.040000      0.050000     -0.060000\n";
    // VTST writes `NEB: projections on to tangent (spring, REAL)` and two numbers: VTST's
    // nebbarrier.pl takes the last field of the last such line, pymatgen's Outcar.read_neb
    // the number after the first (`…(spring, REAL)\s+\S+\s+([\d\-\.]+)`); the spacing here
    // follows those readers and OUTCAR writers that mimic VTST (found with the code search).
    const NEB_1: &str = "  NEB: projections on to tangent (spring, REAL)   -0.001815    0.171253";
    const NEB_2: &str = "  NEB: projections on to tangent (spring, REAL)    0.004000   -0.250000";

    #[test]
    fn the_last_force_block_and_vtst_tangent_are_kept() {
        let text = neb_outcar(
            &[(ROWS_1, Some(NEB_1)), (ROWS_2, Some(NEB_2))],
            " reached required accuracy - stopping structural energy minimisation\n General timing and accounting informations for this job:\n",
        );
        let o = parse_outcar(text.as_bytes(), "t").expect("parse");
        assert_eq!(o.ionic_steps.len(), 2);
        let f = o.forces.expect("forces");
        assert_eq!(f.step, 2);
        assert_eq!(f.positions, vec![[0.1, 0.2, 0.3], [1.5, 0.0, 0.0]]);
        assert_eq!(f.forces, vec![[0.01, -0.02, 0.03], [-0.04, 0.05, -0.06]]);
        let t = o.neb_tangent.expect("NEB line");
        assert_eq!((t.spring, t.real), (0.004, -0.25));
        assert!(o.warnings.is_empty(), "{:?}", o.warnings);
    }

    #[test]
    fn damaged_force_blocks_are_warnings() {
        // cut inside the second block: the first step's block is kept, with its step
        let text = neb_outcar(&[(ROWS_1, None)], "");
        let cut = format!(
            "{text}----------------------------------------- Iteration    2(   1)  ---------------------------------------\n POSITION                                       TOTAL-FORCE (eV/Angst)\n ---------------------------------\n      0.10000      0.20000"
        );
        let o = parse_outcar(cut.as_bytes(), "t").expect("parse");
        assert_eq!(o.forces.as_ref().map(|f| f.step), Some(1));
        let w = o.warnings.join("\n");
        assert!(
            w.contains("ends inside a POSITION/TOTAL-FORCE block"),
            "{w}"
        );
        // an overflow field in the last block: no forces, said with its line
        let bad = ROWS_2.replacen("-0.040000", "*********", 1);
        let o = parse_outcar(
            neb_outcar(&[(ROWS_1, None), (&bad, None)], "").as_bytes(),
            "t",
        )
        .expect("parse");
        assert!(o.forces.is_none());
        let w = o.warnings.join("\n");
        assert!(
            w.contains("expected 6 numbers") && w.contains("*********"),
            "{w}"
        );
        // fewer rows than NIONS, and prose inside a block: left out, counted
        let one = ROWS_1
            .lines()
            .next()
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        let o = parse_outcar(
            neb_outcar(&[(ROWS_1, None), (&one, None), ("  garbage\n", None)], "").as_bytes(),
            "t",
        )
        .expect("parse");
        assert_eq!(o.forces.as_ref().map(|f| f.step), Some(1));
        let w = o.warnings.join("\n");
        assert!(w.contains("2 POSITION/TOTAL-FORCE block(s) damaged"), "{w}");
        assert!(w.contains("1 rows, expected NIONS = 2"), "{w}");
        // a NEB line with one number: said, and not used
        let o = parse_outcar(
            neb_outcar(
                &[(
                    ROWS_1,
                    Some("  NEB: projections on to tangent (spring, REAL)   -0.001815"),
                )],
                "",
            )
            .as_bytes(),
            "t",
        )
        .expect("parse");
        assert!(o.neb_tangent.is_none());
        assert!(o.warnings.join("\n").contains("expected two numbers"));
    }

    /// `text` read both ways: from a plain file (rows skipped, the last block read from the
    /// end) and from a reader (rows copied): the same forces, and the warnings of the first.
    fn both_ways(text: &str, tag: &str) -> (Outcar, Outcar) {
        let path =
            std::env::temp_dir().join(format!("chepath-outcar-{}-{tag}", std::process::id()));
        std::fs::write(&path, text).expect("write");
        let from_file = read_outcar(&path).expect("parse file");
        let _ = std::fs::remove_file(&path);
        let from_reader = parse_outcar(text.as_bytes(), "t").expect("parse reader");
        assert_eq!(from_file.forces, from_reader.forces, "{tag}");
        assert_eq!(from_file.neb_tangent, from_reader.neb_tangent, "{tag}");
        (from_file, from_reader)
    }

    #[test]
    fn a_plain_file_gives_the_forces_a_reader_gives() {
        let done = " reached required accuracy - stopping structural energy minimisation\n General timing and accounting informations for this job:\n";
        let text = neb_outcar(&[(ROWS_1, Some(NEB_1)), (ROWS_2, Some(NEB_2))], done);
        let (f, _) = both_ways(&text, "complete");
        // 5 header lines, 14 of step 1, the iteration line: the second POSITION is line 21
        assert_eq!(f.forces.as_ref().map(|b| (b.step, b.line)), Some((2, 21)));
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
        // cut inside the last block: the one before it, and the cut said
        let cut = format!(
            "{}      0.10000      0.20000",
            &text[..text.rfind(ROWS_2).expect("rows")]
        );
        let (f, _) = both_ways(&cut, "cut");
        assert_eq!(f.forces.as_ref().map(|b| b.step), Some(1));
        assert!(f
            .warnings
            .join("\n")
            .contains("ends inside a POSITION/TOTAL-FORCE block"));
        // the last block one row short: damaged, said; the one before it is kept
        let one = ROWS_2
            .lines()
            .next()
            .map(|l| format!("{l}\n"))
            .unwrap_or_default();
        let short = neb_outcar(&[(ROWS_1, None), (&one, None)], done);
        let (f, r) = both_ways(&short, "short");
        assert_eq!(f.forces.as_ref().map(|b| b.step), Some(1));
        // 700 kB of output in every step: the end is read in windows doubled past 1 MiB
        let filler = "    POTLOK:  cpu time    0.4390: real time    0.4391\n".repeat(14_000);
        let long = neb_outcar(
            &[
                (ROWS_1, None),
                (ROWS_2, None),
                (ROWS_1, None),
                (ROWS_2, Some(NEB_2)),
            ],
            done,
        )
        .replace(
            "  ---------------------------------------\n",
            &format!("  ---------------------------------------\n{filler}"),
        );
        assert!(long.len() > 2_500_000);
        let (l, _) = both_ways(&long, "long");
        assert_eq!(l.forces.as_ref().map(|b| b.step), Some(4));
        for o in [&f, &r] {
            assert!(
                o.warnings.join("\n").contains("1 rows, expected NIONS = 2"),
                "{:?}",
                o.warnings
            );
        }
    }

    #[test]
    fn titles() {
        assert_eq!(element_from_title("PAW_PBE Ni_pv 02Aug2007"), "Ni");
        assert_eq!(element_from_title("PAW_PBE H1.25 07Sep2000"), "H");
        assert_eq!(element_from_title("PAW_PBE O 08Apr2002"), "O");
    }
}
