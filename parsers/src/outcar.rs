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
//! | `FREE ENERGIE OF THE ION-ELECTRON SYSTEM` + 2 lines | one ionic step: TOTEN, E, E(sigma->0)    |
//! | `reached required accuracy`                         | relaxation converged                     |
//! | `Eigenvectors and eigenvalues of the dynamical matrix` | first block of normal modes          |
//! | `Eigenvectors after division by SQRT(mass)`         | end of that block (the repeat is skipped)|
//! | `soft stop encountered` / `hard stop encountered`   | run stopped by STOPCAR / LABORT          |
//! | `General timing and accounting`                     | run complete                             |
//!
//! Memory is bounded by the number of ionic steps and modes kept, not by the file size.

use crate::error::{show, ParseError};
use crate::numbers::{first_field_number, leading_numbers, parse_i64, NumError};
use crate::source::{fields, text, trim, trim_start, LineEnd, Lines};
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
/// Between them, lines are skipped in bulk.
fn markers() -> &'static aho_corasick::AhoCorasick {
    static M: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        // Leftmost-first semantics let aho-corasick use its SIMD "Teddy" searcher.
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build([
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
            ])
            .unwrap_or_else(|_| unreachable!("fixed patterns build"))
    })
}

/// Read an OUTCAR from a path (plain or gzip).
pub fn read_outcar(path: &Path) -> Result<Outcar, ParseError> {
    let lines = crate::source::lines(path)?;
    parse_outcar_lines(lines, &path.display().to_string(), false, false)
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
}

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

/// Final energy and convergence from the header and the last `window` bytes (doubled until
/// a complete energy block is inside). Gzip files, which cannot be read from the end, and
/// frequency runs, whose structure energy is their first step, get a full pass.
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
    let mut file = std::fs::File::open(path).map_err(|e| ParseError::io(path, &e))?;
    let mut magic = [0u8; 2];
    let gz = file
        .read(&mut magic)
        .map(|n| n == 2 && magic == [0x1f, 0x8b])
        .unwrap_or(false);
    let size = file.metadata().map_err(|e| ParseError::io(path, &e))?.len();
    let mut w = window.max(4096);
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
        let mut buf = Vec::with_capacity((size - start) as usize);
        (&mut file)
            .take(size - start)
            .read_to_end(&mut buf)
            .map_err(|e| ParseError::io(path, &e))?;
        // Start at a line boundary (the first line of the window may be cut).
        let from = if start == 0 {
            0
        } else {
            memchr::memchr(b'\n', &buf).map_or(buf.len(), |k| k + 1)
        };
        let tail = parse_outcar_mode(&buf[from..], &name, false, true).ok();
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
        if start == 0 {
            return full();
        }
        w = w.saturating_mul(2);
    }
}

fn parse_outcar_mode<R: Read>(
    reader: R,
    name: &str,
    header_only: bool,
    tail: bool,
) -> Result<Outcar, ParseError> {
    parse_outcar_lines(Lines::new(reader), name, header_only, tail)
}

fn parse_outcar_lines<R: Read>(
    mut lines: Lines<R>,
    name: &str,
    header_only: bool,
    tail: bool,
) -> Result<Outcar, ParseError> {
    let mut p = Parser {
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
    };
    if tail {
        // A window from the middle of the file: no header in it; markers count as seen.
        p.header = false;
        p.saw_marker = true;
    }
    let mut cut_last_line = false;
    let mut first_bad: Option<(usize, Vec<u8>)> = None;
    let markers = markers();
    let find = |hay: &[u8]| markers.find(hay).map(|m| m.start());
    loop {
        // Line by line where every line may matter (the header, an energy block, the first
        // block of modes); elsewhere jump from marker to marker.
        let next = if p.header || p.energy != Energy::None || p.dynm == Dyn::Inside {
            lines.next_line()
        } else {
            lines.next_matching(find)
        };
        let Some((line, end, no)) = next else { break };
        if end == LineEnd::Split {
            continue;
        }
        if end == LineEnd::Eof && !line.is_empty() {
            // The file does not end with a newline: the last line may be cut mid-number.
            cut_last_line = true;
            break;
        }
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
    let out = &mut p.out;
    out.lines = lines.line_no;
    if !p.saw_marker {
        if lines.line_no == 0 && lines.io_error.is_none() {
            return Err(ParseError::format(
                name,
                None,
                "an OUTCAR written by VASP",
                "an empty file",
                "the run may not have started; check the job's standard output",
            ));
        }
        let (line, found) = match &first_bad {
            Some((l, b)) => (Some(*l), format!("binary or corrupt data {}", show(b, 40))),
            None => (
                None,
                format!(
                    "{} lines without a VASP version line, POTCAR titles or energy blocks",
                    lines.line_no
                ),
            ),
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
        return Err(err);
    }
    p.finish(cut_last_line, lines.io_error.as_deref(), lines.nul_seen);
    Ok(p.out)
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
            self.params(t);
        } else if (starts(t, b"IVDW") || starts(t, b"VDW_")) && memchr::memchr(b'=', t).is_some() {
            // The van der Waals block (DFT-D2/D3) is printed after the first ionic step.
            self.params(t);
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

    /// `NAME = value` pairs of the parameter echo; several may share a line.
    fn params(&mut self, t: &[u8]) {
        let mut pos = 0;
        while let Some(rel) = memchr::memchr(b'=', &t[pos..]) {
            let eq = pos + rel;
            pos = eq + 1;
            let Some(key) = key_before(t, eq) else {
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
    fn finish(&mut self, cut_last_line: bool, io_error: Option<&str>, nul_seen: bool) {
        self.settle_species();
        let name = self.name;
        self.count_warnings(name);
        if self.energy != Energy::None {
            self.warn(format!(
                "{name}: the file ends inside an energy block; that ionic step is left out"
            ));
        }
        self.out.trailing_iterations = self.step.iterations;
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

/// The bytes after the first `=` of a line.
fn value_after_eq(t: &[u8]) -> Option<&[u8]> {
    memchr::memchr(b'=', t).map(|k| &t[k + 1..])
}

/// The identifier just before position `eq` (skipping blanks): upper-case letters, digits
/// and `_`, starting with a letter. Anything else (prose such as `a.u.,A,eV,Ry =`) is not a
/// parameter.
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
        p.params(t);
        assert_eq!(p.out.incar["NELM"], "200");
        assert_eq!(p.out.incar["NELMIN"], "2");
        assert_eq!(p.out.incar["NELMDL"], "-5");
        p.params(b"ENCUT  =  520.0 eV  38.22 Ry    6.18 a.u.");
        assert_eq!(p.out.incar["ENCUT"], "520.0");
        p.params(b"POMASS =  58.69 16.00  1.00");
        assert_eq!(p.out.incar["POMASS"], "58.69 16.00 1.00");
        p.params(b"number of dos      NEDOS =    301   number of ions     NIONS =     70");
        assert_eq!(p.out.incar["NEDOS"], "301");
        assert_eq!(p.out.incar["NIONS"], "70");
        p.params(b"Fermi-wavevector in a.u.,A,eV,Ry     =   1.174803  2.220055");
        assert!(!p.out.incar.contains_key("Ry"));
        p.params(b"PREC   = accura    normal or accurate");
        assert_eq!(p.out.incar["PREC"], "accura");
        p.params(b"EMIN   =  10.00;   EMAX   =-10.00  energy-range for DOS");
        assert_eq!(p.out.incar["EMAX"], "-10.00");
        p.params(b"(WPLASMAI=    0.000 imaginary part");
        assert_eq!(p.out.incar["WPLASMAI"], "0.000");
    }

    fn test_parser() -> Parser<'static> {
        Parser {
            name: "t",
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
        }
    }

    #[test]
    fn titles() {
        assert_eq!(element_from_title("PAW_PBE Ni_pv 02Aug2007"), "Ni");
        assert_eq!(element_from_title("PAW_PBE H1.25 07Sep2000"), "H");
        assert_eq!(element_from_title("PAW_PBE O 08Apr2002"), "O");
    }
}
