//! Command-line layer: clap definitions, exit codes, and printing. No science here: every
//! number printed comes from the library.

mod barrier;
mod check;
mod dband;
mod diagram;
mod lint;
mod out;
mod parse;
mod pathway;
mod rank;
mod report;
mod scan;
mod thermo;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub use chepath::error::exit;
use chepath::error::Error;

/// Print an error and give its exit code (the one mapping: [`Error::exit_code`]).
pub fn fail(e: &Error) -> i32 {
    eprintln!("error: {e}");
    e.exit_code()
}

use chepath::bounds::{
    Bounds, CUTOFF, PH, POTENTIAL, PRESSURE, SOFT_FLOOR, SPIN, TEMPERATURE, TOLERANCE,
};
pub use chepath::bounds::{FREQ_CM1, SYMMETRY};

/// `s` as a number within `b`; otherwise what was expected, with the bounds (clap puts the
/// option's name in front).
fn parse_within(b: &Bounds, s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number; expected {}", b.describe()))?;
    if b.contains(v) {
        Ok(v)
    } else {
        Err(format!("'{s}' is out of bounds: expected {}", b.describe()))
    }
}

/// Worker threads of `scan --jobs`.
pub const JOBS: std::ops::RangeInclusive<usize> = 1..=1024;
/// Energies of `dband --window` and `--xlim`, eV from E-fermi.
pub const WINDOW_EV: f64 = 1000.0;

/// An electrode potential within [`POTENTIAL`] (NaN and infinities are refused: they would
/// print into every table).
fn potential(s: &str) -> Result<f64, String> {
    parse_within(&POTENTIAL, s)
}

fn ph(s: &str) -> Result<f64, String> {
    parse_within(&PH, s)
}

fn temperature(s: &str) -> Result<f64, String> {
    parse_within(&TEMPERATURE, s)
}

fn pressure(s: &str) -> Result<f64, String> {
    parse_within(&PRESSURE, s)
}

fn spin_s(s: &str) -> Result<f64, String> {
    parse_within(&SPIN, s)
}

fn soft_floor(s: &str) -> Result<f64, String> {
    parse_within(&SOFT_FLOOR, s)
}

fn cutoff(s: &str) -> Result<f64, String> {
    parse_within(&CUTOFF, s)
}

fn tolerance(s: &str) -> Result<f64, String> {
    parse_within(&TOLERANCE, s)
}

/// A whole number in `range`, else the message with the bounds.
fn whole_in<T>(s: &str, range: &std::ops::RangeInclusive<T>) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let expected = format!(
        "expected a whole number from {} to {}",
        range.start(),
        range.end()
    );
    match s.trim().parse::<T>() {
        Ok(v) if range.contains(&v) => Ok(v),
        Ok(_) => Err(format!("'{s}' is out of bounds: {expected}")),
        Err(_) => Err(format!("'{s}' is not a whole number; {expected}")),
    }
}

fn symmetry(s: &str) -> Result<u32, String> {
    whole_in(s, &SYMMETRY)
}

fn jobs(s: &str) -> Result<usize, String> {
    whole_in(s, &JOBS)
}

/// The name of a built-in template.
fn energy_kind(s: &str) -> Result<chepath::conventions::EnergyKind, String> {
    s.parse()
}

fn template_name(s: &str) -> Result<String, String> {
    chepath::network::template(s).map(|_| s.to_string())
}

/// A figure option in px or dpi, within the bounds the API checks too.
fn figure_number(
    s: &str,
    range: &std::ops::RangeInclusive<u32>,
    unit: &str,
) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(v) => chepath::api::diagram::bounded(v, range, unit),
        Err(_) => Err(format!(
            "'{s}' is not a whole number; expected {} to {} {unit}",
            range.start(),
            range.end()
        )),
    }
}

/// A figure size in px at 100 dpi.
fn pixels(s: &str) -> Result<u32, String> {
    figure_number(s, &chepath::api::diagram::SIZE_PX, "px")
}

/// A resolution in dpi.
fn dpi(s: &str) -> Result<u32, String> {
    figure_number(s, &chepath::api::diagram::DPI, "dpi")
}

/// A font size in px.
fn font_px(s: &str) -> Result<u32, String> {
    figure_number(s, &chepath::api::diagram::FONT_PX, "px")
}

/// The network a command runs: which built-in template replaces the file's.
#[derive(Debug, clap::Args)]
pub struct NetworkArgs {
    /// Built-in network to use (no3rr, no2rr, norr, orr, oer, her) instead of the file's; directory mode's default is no3rr.
    #[arg(long, value_name = "NAME", value_parser = template_name)]
    pub template: Option<String>,
}

/// The conditions a network is run at.
#[derive(Debug, clap::Args)]
pub struct ConditionArgs {
    /// Electrode potential in V on the file's scale, -50 to 50 (default: the file's conventions.U).
    #[arg(long = "U", value_name = "V", allow_hyphen_values = true, value_parser = potential)]
    pub u: Option<f64>,

    /// pH, -5 to 20 (default: the file's conventions.pH).
    #[arg(long = "pH", value_name = "X", allow_hyphen_values = true, value_parser = ph)]
    pub ph: Option<f64>,
}

/// Whether output files that exist may be replaced.
#[derive(Debug, clap::Args)]
pub struct ForceArgs {
    /// Overwrite output files that exist (chepath never does without it).
    #[arg(long)]
    pub force: bool,
}

const AFTER_HELP: &str = "\
Exit codes:
  0  success (results may carry warnings)
  1  internal error (a bug: please report it)
  2  command-line usage error (an unknown template, a figure not .svg/.png, a number out
     of its bounds: each option's are in its help)
  3  a file or directory could not be read (missing, permissions) or written ('could not
     write'), or an output exists without --force (refused before any work)
  4  input could not be parsed (wrong format, corrupt, not a VASP calculation) or cannot
     give the answer (a state not in the network, no model with a complete path)
  5  --strict was given and a result is partial (incomplete run, unreadable file, a model
     without a complete path)
  6  check: a computed value is outside its tolerance or missing
  7  lint: a calculation set has an error (with --strict: any finding)

Energies are in eV, frequencies in cm-1, lengths in Angstrom.
Documentation: README.md and docs/schema.md in the chepath repository.";

/// chepath: from raw VASP output to catalysis answers.
///
/// Reads VASP output (OUTCAR, OSZICAR, CONTCAR/POSCAR, DOSCAR, vasprun.xml; plain or .gz) in
/// one streaming pass; computes d-band descriptors, thermochemistry and free-energy paths
/// under the computational hydrogen electrode; ranks catalyst models, draws diagrams, and
/// checks computed values in CI. Every convention that changes a number is printed.
///
/// Start with: chepath report sample_outputs/vasp -o chepath-report   (generated samples)
#[derive(Debug, Parser)]
#[command(name = "chepath", version, after_help = AFTER_HELP, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read VASP files or calculation directories and summarise them.
    ///
    /// A file is recognised by its name (OUTCAR, OSZICAR, CONTCAR, POSCAR, each optionally
    /// .gz) or, failing that, by its first lines; --format overrides. A directory is read as
    /// one calculation: every VASP file in it, checked against each other.
    ///
    /// Which energy: each ionic step has TOTEN (free energy F), 'energy without entropy' (E)
    /// and 'energy(sigma->0)' (E0). All three are reported. The energy of the relaxed
    /// structure is the last step, except in a frequency run (IBRION=5-8), where it is the
    /// first step: the others are displaced geometries (pymatgen and ASE report the last).
    ///
    /// Examples:
    ///   chepath parse OUTCAR
    ///   chepath parse OUTCAR.gz --json
    ///   chepath parse path/to/calculation/
    ///   chepath parse POSCAR --species-from OUTCAR     (a VASP 4 POSCAR without species)
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Parse(ParseArgs),

    /// d-band descriptors of chosen atoms from a DOSCAR or vasprun.xml, and a PDOS plot.
    ///
    /// For each selected atom: centre (first moment), width (square root of the second
    /// central moment), skewness, kurtosis, filling (fraction below E-fermi), upper edge
    /// (maximum of the Hilbert transform, Xin et al. 2014) and the integral; then the same
    /// for the pooled selection and the mean of the atoms. Energies are relative to the
    /// E-fermi of the DOS file. Every setting that changes a number is printed.
    ///
    /// The structure (element names, neighbourhoods) comes from --structure, else the CONTCAR
    /// or POSCAR beside the DOS file; the layout of a DOSCAR from the OUTCAR or INCAR beside it.
    /// Without --atoms, every transition-metal atom is reported (pymatgen pools all atoms,
    /// N and C included, unless told which sites: chepath never does).
    ///
    /// Selections (1-based, joined with commas):
    ///   Cu        every Cu atom          37        atom 37        5-8   atoms 5 to 8
    ///   Cu@N4     Cu atoms with exactly four N within --cutoff (periodic images included)
    ///   all       every atom
    ///
    /// Examples:
    ///   chepath dband DOSCAR --atoms Cu@N4
    ///   chepath dband calc_dir/ --window vaspkit --spin mean --json
    ///   chepath dband vasprun.xml --atoms 1-4 --plot pdos.png
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Dband(DbandArgs),

    /// Zero-point energy, heat-capacity integral and entropy from a frequency run.
    ///
    /// Harmonic model (adsorbates, default): every real mode a harmonic oscillator;
    ///   correction = ZPE + ∫Cv dT − TS, the free energy F = E + correction.
    /// Ideal-gas model (molecules): translations, rotations (geometry, symmetry number),
    ///   vibrations, electronic spin and pressure; correction = ZPE + ∫Cp dT − TS = G − E.
    /// Imaginary modes are left out and named. The soft-mode floor is off unless asked.
    ///
    /// Examples:
    ///   chepath thermo OH/zpe/                       (harmonic, 298.15 K)
    ///   chepath thermo gas/H2O/ --model ideal-gas --pressure 0.035
    ///   chepath thermo --freqs 3685.3,524.9,518.9 --temperature 300 --json
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Thermo(ThermoArgs),

    /// Free-energy paths under the computational hydrogen electrode: ΔG of every step at U
    /// and pH, limiting potential, potential-determining step, chemical bottleneck, per model.
    ///
    /// Reads a network file (TOML: [conventions], [references], [network] template or
    /// states/steps, [models.NAME]; see examples/networks/ and the README), or a tree:
    ///   ROOT/gas/{H2,H2O,HNO3,NH3,O2}/   OUTCAR + freq/ (ideal gas; H2O at 0.035 bar)
    ///   ROOT/<model>/slab/               the clean site, OUTCAR + freq/ (or zpe/, vib/)
    ///   ROOT/<model>/<NO3|NHO|NH2OH|H…>/ each intermediate, named by its formula
    ///   ROOT/network.toml                optional conventions/references/network
    /// Steps are balanced
    /// from the species' formulas with H2O, (H+ + e-) and e-; an unbalanced step is refused.
    /// Every path from the initial to the final state is evaluated; the best (minimax) path
    /// and the greedy most-stable-intermediate path are both reported.
    ///
    /// Examples:
    ///   chepath pathway examples/networks/pt111_orr.toml
    ///   chepath pathway network.toml --U -0.2 --pH 13 --json
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Pathway(PathwayArgs),

    /// Rank catalyst models: one row per model with U_L, PDS, nitrate adsorption ΔG, chemical
    /// bottleneck, d-band centre and warning count, sorted, conventions printed above.
    ///
    /// The d-band centre of a model comes from [dband.MODEL] in the network file (path, atoms,
    /// window), or in directory mode from the DOSCAR (or vasprun.xml) of ROOT/<model>/dos/
    /// (or pdos/), else of the clean site ROOT/<model>/slab/ (every transition metal
    /// pooled). Ties are broken by model name.
    ///
    /// Examples:
    ///   chepath rank network.toml
    ///   chepath rank ROOT --by dband --format markdown
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Rank(RankArgs),

    /// Check computed values against expected ones (for CI): exit 6 on any miss.
    ///
    /// The expected file (TOML) names its source (a network file or a calculation tree,
    /// relative to the expected file), a default tolerance, and per model the values to hold:
    ///   limiting_potential, pds = "*O → *OH", adsorption_dG, dband_center,
    ///   [models.NAME.steps] "*O → *OH" = -0.78   (ΔG at U of steps of the best path)
    /// A value is a number or { value = x, tolerance = t }.
    ///
    /// Examples:
    ///   chepath check expected.toml --init examples/networks/pt111_orr.toml   (write a new file)
    ///   chepath check expected.toml --junit check.xml
    ///   chepath check expected.toml --update            (shows the diff, asks before writing)
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Check(CheckArgs),

    /// Draw free-energy diagrams (SVG or PNG): a level per state, dashed connectors, the
    /// potential-determining step solid with its ΔG written on it, several models overlaid
    /// (colour-blind-safe palette), and a second panel with each model at its U_L.
    ///
    /// Examples:
    ///   chepath diagram network.toml -o fed.svg
    ///   chepath diagram ROOT -o fed.png --models CuN4,CuN4_Cu4 --U -0.2 --dpi 200
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Diagram(DiagramArgs),

    /// The main job: rank the catalyst models of a calculation tree and write the whole
    /// report (report.json, report.csv, report.md, free-energy diagrams, d-band plots).
    ///
    /// ROOT is read in directory mode (ROOT/<model>/<intermediate>/, ROOT/gas/, and an
    /// optional ROOT/network.toml) or is a network file. Prints the ranking and each model's
    /// PDS with the conventions; existing report files are kept unless --force.
    ///
    /// Example (the bundled, GENERATED samples of the CuN4 models):
    ///   chepath report sample_outputs/vasp -o chepath-report
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Report(ReportArgs),

    /// Every calculation under a directory tree, read in parallel: one record each with the
    /// final energy, convergence and completion, streamed in sorted path order.
    ///
    /// A directory is a calculation when it holds an OUTCAR, OSZICAR, CONTCAR, POSCAR, DOSCAR
    /// or vasprun.xml (optionally .gz); nested ones (a freq/ in a relaxation) count too.
    /// Hidden directories are skipped, symlinks not followed. The energy is E(sigma->0) of
    /// the last ionic step (the first of a frequency run), from the OUTCAR's header and tail
    /// (so a multi-GB OUTCAR costs milliseconds), else vasprun.xml, else OSZICAR.
    ///
    /// Output: a table on the terminal; --json-lines prints one JSON object per line
    /// (schema: docs/schema.md, kind "scan"); --output FILE writes the JSON lines to FILE
    /// and only the totals to the terminal. An interrupted --output run continues with
    /// --resume: complete lines are kept, a line cut mid-way is dropped, and only the
    /// calculations not yet in the file are read. A progress bar shows on a terminal.
    ///
    /// Examples:
    ///   chepath scan ~/projects/no3rr
    ///   chepath scan ROOT --json-lines | jq 'select(.complete == false) | .path'
    ///   chepath scan ROOT --output scan.jsonl            (later: --resume to continue)
    ///   chepath scan ROOT --full --jobs 2 --output all.jsonl
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Scan(ScanArgs),

    /// Check a set of calculations before trusting its ΔG: the mistakes that silently
    /// wreck a free-energy diagram, each with the files and the fix.
    ///
    /// Reads every calculation the network combines (ROOT in directory mode, or a network
    /// file): references, each model's clean site and intermediates, their frequency runs
    /// and the DOS runs of [dband]. Checks:
    ///   parameters       ENCUT, PREC, GGA, METAGGA, IVDW agree everywhere; ISPIN, LDAU,
    ///                    ISMEAR within a model (gas references may differ)  error
    ///   energy-files     a run's OUTCAR and OSZICAR agree (F, E0, steps)    error
    ///   potcar           one POTCAR per element                            error
    ///   kpoints          one k-mesh per model (clean site + intermediates)  error
    ///   relaxation       'reached required accuracy'                        error
    ///   electronic       the last electronic loop converged                 error
    ///   finished         VASP reached its timing block                      warning
    ///   imaginary-modes  none in frequency runs (each is named)             warning
    ///   zpe              adsorbate ZPE and mode count plausible             warning
    ///   dos-source       d-band DOS not from a relaxation                   warning
    ///   cell             intermediates on the clean site's cell             error
    ///   composition      intermediate = clean site + adsorbate formula      error
    /// `pathway`, `rank` and `report` print the same findings as warnings.
    ///
    /// Exit code 7 when an error is found (--strict: any finding), else 0: usable in CI.
    ///
    /// Examples:
    ///   chepath lint sample_outputs/vasp
    ///   chepath lint network.toml --json
    ///   chepath lint ROOT --strict          (warnings fail too)
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Lint(LintArgs),

    /// Reaction barriers: from an initial, transition and final state (IS TS FS), or from
    /// the images of a NEB run (a directory with 00, 01, … NN).
    ///
    /// Each structure's energy comes from its OUTCAR, else vasprun.xml, else OSZICAR (E0 by
    /// default; --energy toten for F). Printed with the file and line of every energy:
    ///   forward barrier  E(TS) − E(IS)      reverse barrier  E(TS) − E(FS)
    ///   reaction energy  E(FS) − E(IS)
    /// NEB: the TS is the highest intermediate image; the end points 00 and NN need their
    /// OUTCARs (copy the relaxed IS and FS runs there, as VTST's nebresults.pl expects);
    /// LCLIMB and IMAGES are read from the run's INCAR.
    ///
    /// The TS is checked with its frequency run (TS/freq/, or --freq: an OUTCAR, vasprun.xml
    /// or VTST freq.dat): exactly one imaginary mode is expected. With frequency runs of IS,
    /// TS and FS (each STATE/freq/), the ZPE-corrected barriers are printed too (the TS's
    /// imaginary mode, the reaction coordinate, left out). IS, TS and FS are linted as one
    /// model: the same settings, POTCARs, k-points, cell and atoms.
    ///
    /// Examples:
    ///   chepath barrier IS/ TS/ FS/
    ///   chepath barrier IS/ TS/ FS/ --freq TS/freq/freq.dat --json
    ///   chepath barrier neb/                  (images neb/00 … neb/NN)
    #[command(verbatim_doc_comment, after_help = AFTER_HELP)]
    Barrier(BarrierArgs),
}

#[derive(Debug, clap::Args)]
pub struct BarrierArgs {
    /// IS TS FS (directories or files), or one NEB directory.
    #[arg(required = true, num_args = 1..=3, value_name = "IS TS FS | NEB_DIR")]
    pub paths: Vec<PathBuf>,

    /// The TS's frequency run: an OUTCAR, vasprun.xml, directory, or VTST freq.dat
    /// (default: TS/freq/ when it exists).
    #[arg(long, value_name = "FILE|DIR")]
    pub freq: Option<PathBuf>,

    /// The energy of each structure: sigma0 (E0, energy(sigma->0)) or toten (F).
    #[arg(long, default_value = "sigma0", value_parser = energy_kind)]
    pub energy: chepath::conventions::EnergyKind,

    /// Print the result as JSON (kind "barrier").
    #[arg(long)]
    pub json: bool,

    /// Draw the energy profile to FILE (.svg or .png): the images on the reaction
    /// coordinate, the spline through their energies and tangent forces, the barriers.
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub plot: Option<PathBuf>,

    #[command(flatten)]
    pub force: ForceArgs,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// A calculation tree (directory mode) or a network file.
    #[arg(value_name = "ROOT|NETWORK.toml")]
    pub root: PathBuf,

    /// Print the findings as JSON (kind "lint").
    #[arg(long)]
    pub json: bool,

    /// Exit with code 7 on warnings too.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub network: NetworkArgs,
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Root of the tree to scan.
    #[arg(value_name = "ROOT")]
    pub root: PathBuf,

    /// Print one JSON object per calculation per line instead of a table.
    #[arg(long)]
    pub json_lines: bool,

    /// Write the JSON lines to this file (the terminal gets totals only). An existing file is
    /// kept unless --resume (append what is missing) or --force (replace).
    #[arg(long, short = 'o', value_name = "FILE.jsonl")]
    pub output: Option<PathBuf>,

    /// Continue an interrupted --output file: skip calculations already recorded in it.
    #[arg(long, requires = "output")]
    pub resume: bool,

    /// Replace an existing --output file.
    #[arg(long, conflicts_with = "resume")]
    pub force: bool,

    /// Read everything `chepath parse DIR` reads and embed that record (slower: whole files).
    #[arg(long)]
    pub full: bool,

    /// Worker threads, 1 to 1024 (default: one per core).
    #[arg(long, short = 'j', value_name = "N", allow_hyphen_values = true, value_parser = jobs)]
    pub jobs: Option<usize>,

    /// Exit with code 5 when a calculation is incomplete, unconverged or unreadable.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A calculation tree (or a network file).
    #[arg(value_name = "ROOT|NETWORK.toml")]
    pub root: PathBuf,

    /// Directory for the report files.
    #[arg(
        short = 'o',
        long = "output",
        default_value = "chepath-report",
        value_name = "OUTDIR"
    )]
    pub output: PathBuf,

    #[command(flatten)]
    pub network: NetworkArgs,

    #[command(flatten)]
    pub at: ConditionArgs,

    #[command(flatten)]
    pub force: ForceArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PathArg {
    /// the minimax path (best limiting potential)
    Best,
    /// the most-stable-intermediate path
    Greedy,
    /// every path
    All,
}

#[derive(Debug, clap::Args)]
pub struct DiagramArgs {
    /// A network file (TOML) or a calculation tree (directory mode).
    #[arg(value_name = "NETWORK.toml|ROOT")]
    pub path: PathBuf,

    /// Output file, .svg or .png.
    #[arg(short = 'o', long = "output", value_name = "FILE.svg|FILE.png")]
    pub output: PathBuf,

    #[command(flatten)]
    pub at: ConditionArgs,

    /// Which path of each model.
    #[arg(long = "path", value_enum, default_value_t = PathArg::Best)]
    pub path_choice: PathArg,

    /// Only these models, comma-separated.
    #[arg(long, value_name = "A,B")]
    pub models: Option<String>,

    /// Only the panel at U (no panel at U_L).
    #[arg(long)]
    pub single_panel: bool,

    /// Draw the product map instead: per model, each product's limiting-step ΔG against U
    /// (zero at its U_L), for templates with products (no3rr).
    #[arg(long)]
    pub products: bool,

    /// One panel at each of these potentials (V on the scale of --U), instead of the one at
    /// --U; the panel at U_L follows unless --single-panel. Example: --at=0,-0.75.
    #[arg(long = "at", id = "at_potentials", value_name = "U1,U2,…", value_delimiter = ',', allow_hyphen_values = true, value_parser = potential)]
    pub at_potentials: Vec<f64>,

    /// Width in px at 100 dpi, 100 to 10000.
    #[arg(long, default_value_t = 1400, allow_hyphen_values = true, value_parser = pixels)]
    pub width: u32,

    /// Height of one panel in px at 100 dpi, 100 to 10000.
    #[arg(long, default_value_t = 620, allow_hyphen_values = true, value_parser = pixels)]
    pub height: u32,

    /// Resolution, 10 to 1200: scales the pixel size and fonts (100 = as given; 200 for print).
    #[arg(long, default_value_t = 100, allow_hyphen_values = true, value_parser = dpi)]
    pub dpi: u32,

    /// Font size of labels, px at 100 dpi, 4 to 200.
    #[arg(long, default_value_t = 17, allow_hyphen_values = true, value_parser = font_px)]
    pub font: u32,

    #[command(flatten)]
    pub network: NetworkArgs,

    #[command(flatten)]
    pub force: ForceArgs,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The expected-values file.
    #[arg(value_name = "EXPECTED.toml")]
    pub expected: PathBuf,

    /// Default tolerance (eV, V), overriding the file's: 0 to 100.
    #[arg(long, value_name = "X", allow_hyphen_values = true, value_parser = tolerance)]
    pub tolerance: Option<f64>,

    /// Also write a JUnit XML report (for CI dashboards).
    #[arg(long, value_name = "FILE.xml")]
    pub junit: Option<PathBuf>,

    /// Rewrite the expected values from the current results: shows the diff first; asks on a terminal, refuses without one unless --yes.
    #[arg(long, conflicts_with = "init")]
    pub update: bool,

    /// With --update: write without asking.
    #[arg(long, requires = "update")]
    pub yes: bool,

    /// Write a new expected file from the current results of this network file or tree (never overwrites).
    #[arg(long, value_name = "ROOT|NETWORK.toml")]
    pub init: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    /// best limiting potential first
    LimitingPotential,
    /// most negative nitrate adsorption first
    Adsorption,
    /// d-band centre closest to E-fermi first
    Dband,
    /// the template's screening descriptor (ΔG(*OH) for ORR/OER, ΔG(*H) for HER), lowest first
    Descriptor,
    /// the largest barrier on the best path ([barriers] in the network file), lowest first
    Barrier,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatOut {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct RankArgs {
    /// A network file (TOML) or a calculation tree (directory mode).
    #[arg(value_name = "NETWORK.toml|ROOT")]
    pub path: PathBuf,

    #[arg(long, value_enum, default_value_t = ByArg::LimitingPotential)]
    pub by: ByArg,

    #[arg(long, value_enum, default_value_t = FormatOut::Table)]
    pub format: FormatOut,

    #[command(flatten)]
    pub at: ConditionArgs,

    #[command(flatten)]
    pub network: NetworkArgs,

    /// Also draw the descriptor plot: U_L against d-band centre, one labelled point per model (.svg/.png).
    #[arg(long, value_name = "OUT.svg|OUT.png")]
    pub plot: Option<PathBuf>,

    /// Also draw the d-projected DOS of every model on one figure (.svg/.png).
    #[arg(long, value_name = "OUT.svg|OUT.png")]
    pub pdos_plot: Option<PathBuf>,

    /// Exit with code 5 when a model has no complete path (by limiting potential with none at all: 4, always).
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub force: ForceArgs,
}

#[derive(Debug, clap::Args)]
pub struct PathwayArgs {
    /// A network file (TOML), or a calculation tree ROOT/<model>/<intermediate>/ (directory mode).
    #[arg(value_name = "NETWORK.toml|ROOT")]
    pub path: PathBuf,

    #[command(flatten)]
    pub network: NetworkArgs,

    #[command(flatten)]
    pub at: ConditionArgs,

    /// List every path with its limiting potential.
    #[arg(long)]
    pub all_paths: bool,

    /// Exit with code 5 when a model has no complete path (with none at all: 4, always).
    #[arg(long)]
    pub strict: bool,

    /// Print JSON (keys: conventions, network, references, models[] with name, adsorption_dG, paths[], best_path, greedy_path, limiting_potential, pds, chemical_bottleneck, overpotential, closure, her, warnings).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelArg {
    /// adsorbates: vibrations only
    Harmonic,
    /// molecules: translation, rotation, vibration, spin, pressure
    IdealGas,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GeometryArg {
    /// from the structure's moments of inertia
    Auto,
    Monatomic,
    Linear,
    Nonlinear,
}

#[derive(Debug, clap::Args)]
pub struct ThermoArgs {
    /// A frequency OUTCAR or vasprun.xml (IBRION=5-8), or its directory.
    #[arg(value_name = "FILE|DIR")]
    pub path: Option<PathBuf>,

    /// Frequencies in cm-1 instead of a file, comma-separated (imaginary: 120i or -120).
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub freqs: Option<String>,

    #[arg(long, value_enum, default_value_t = ModelArg::Harmonic)]
    pub model: ModelArg,

    /// Temperature, K (above 0, at most 10000).
    #[arg(long, default_value_t = 298.15, allow_hyphen_values = true, value_parser = temperature)]
    pub temperature: f64,

    /// Ideal gas: pressure in bar (standard 1 bar; liquid water is often taken as vapour at 0.035 bar).
    #[arg(long, default_value_t = 1.0, value_name = "BAR", allow_hyphen_values = true, value_parser = pressure)]
    pub pressure: f64,

    /// Ideal gas: molecular geometry.
    #[arg(long, value_enum, default_value_t = GeometryArg::Auto)]
    pub geometry: GeometryArg,

    /// Ideal gas: rotational symmetry number, 1 to 60 (default: from the formula for common molecules).
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = symmetry)]
    pub symmetry: Option<u32>,

    /// Ideal gas: total electronic spin S, 0 to 10 (0 singlet, 1 triplet O2).
    #[arg(long, default_value_t = 0.0, value_name = "S", allow_hyphen_values = true, value_parser = spin_s)]
    pub spin: f64,

    /// Raise real modes below this many cm-1 to it, 0 to 1000 (VASPKIT uses 50 for the entropy only).
    #[arg(long, value_name = "CM-1", allow_hyphen_values = true, value_parser = soft_floor)]
    pub soft_mode_floor: Option<f64>,

    /// With --soft-mode-floor: raise the modes for every term, not the entropy only (ASE QuasiHarmonic: 100 cm-1).
    #[arg(long, requires = "soft_mode_floor")]
    pub floor_all_terms: bool,

    /// Print JSON (keys: zpe, heat_capacity_integral, entropy_ts, correction, frequencies_cm1, dropped_imaginary_cm1, settings, warnings).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SpinArg {
    /// up + down densities before the moments (pymatgen spin=None)
    Sum,
    /// spin-up channel only
    Up,
    /// spin-down channel only
    Down,
    /// the mean of the up and down values (VASPKIT's "average")
    Mean,
}

#[derive(Debug, clap::Args)]
pub struct DbandArgs {
    /// A DOSCAR, a vasprun.xml (each optionally .gz), or a calculation directory.
    #[arg(value_name = "DOSCAR|vasprun.xml|DIR")]
    pub path: PathBuf,

    /// Structure for element names and neighbourhoods (default: CONTCAR, else POSCAR, beside the DOS file).
    #[arg(long, value_name = "CONTCAR|POSCAR")]
    pub structure: Option<PathBuf>,

    /// Atoms to analyse (see the selection syntax above). Default: every transition metal.
    #[arg(long, value_name = "SEL")]
    pub atoms: Option<String>,

    /// Neighbour cutoff for El@NbN selections, in Angstrom (above 0, at most 10).
    #[arg(long, default_value_t = chepath::select::DEFAULT_CUTOFF, value_name = "ANGSTROM", allow_hyphen_values = true, value_parser = cutoff)]
    pub cutoff: f64,

    /// Energy window of the moments: full (the whole grid, as pymatgen), vaspkit ([-10, 5] eV), or MIN:MAX in eV from E-fermi.
    #[arg(
        long,
        default_value = "full",
        value_name = "full|vaspkit|MIN:MAX",
        allow_hyphen_values = true
    )]
    pub window: String,

    /// How the two spin channels of an ISPIN=2 file are combined.
    #[arg(long, value_enum, default_value_t = SpinArg::Sum)]
    pub spin: SpinArg,

    /// Orbital: s, p, d, f, or one lm channel (dxy, dyz, dz2, dxz, dx2, px, py, pz, ...).
    #[arg(long, default_value = "d", value_name = "ORBITAL")]
    pub orbital: String,

    /// For a DOSCAR whose layout is ambiguous (16 columns) and has no OUTCAR/INCAR beside it: was the run non-collinear?
    #[arg(long, value_name = "true|false")]
    pub noncollinear: Option<bool>,

    /// Print JSON (keys: efermi, settings, selection, source, atoms, pooled, mean_of_atoms, warnings).
    #[arg(long)]
    pub json: bool,

    /// Draw the PDOS of the selection to this file (.svg or .png).
    #[arg(long, value_name = "OUT.svg|OUT.png")]
    pub plot: Option<PathBuf>,

    /// Energy range of the plot, MIN:MAX in eV from E-fermi (default: the window, else -10:5).
    #[arg(long, value_name = "MIN:MAX", allow_hyphen_values = true)]
    pub xlim: Option<String>,

    #[command(flatten)]
    pub force: ForceArgs,
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// Files or calculation directories to read.
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,

    /// Format of the files (auto: by name, then by content).
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,

    /// Print JSON (schema in docs/schema.md; one object, or an array for several paths).
    #[arg(long)]
    pub json: bool,

    /// For a VASP 4 POSCAR/CONTCAR (no species line): read the species from this OUTCAR or
    /// POTCAR. Without it, an OUTCAR or POTCAR beside the file is used; chepath never
    /// guesses species.
    #[arg(long, value_name = "OUTCAR|POTCAR")]
    pub species_from: Option<PathBuf>,

    /// List every ionic step in the text summary (JSON always has them).
    #[arg(long)]
    pub steps: bool,

    /// Exit with code 5 when a result is partial (run incomplete, a file unreadable).
    #[arg(long)]
    pub strict: bool,

    /// OUTCAR only: just the final energy and convergence, read from the header and the end of
    /// the file (fast on multi-GB files; gzip files and frequency runs are read whole).
    #[arg(long = "final")]
    pub final_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Auto,
    Outcar,
    Oszicar,
    Poscar,
}

/// The exit code of a CHE result, the error printed: [`exit::FORMAT`] when `required` and
/// no model has an answer (a complete path, or a product computable on its own), since there
/// is nothing to answer with; [`exit::PARTIAL`] with `strict` when some model has no
/// complete path; else [`exit::OK`].
fn paths_code(r: &chepath::pathway::che::Report, required: bool, strict: bool) -> i32 {
    let answers = |m: &chepath::pathway::che::ModelResult| {
        m.best_path.is_some() || m.products.iter().any(|p| p.computable)
    };
    if required && !r.models.is_empty() && !r.models.iter().any(answers) {
        eprintln!(
            "error: no model has a complete path from the initial to the final state (each model's warnings name the missing intermediates)"
        );
        return exit::FORMAT;
    }
    let lacking: Vec<&str> = r
        .models
        .iter()
        .filter(|m| m.best_path.is_none())
        .map(|m| m.name.as_str())
        .collect();
    if strict && !lacking.is_empty() {
        eprintln!(
            "error: --strict: no complete path for {}",
            lacking.join(", ")
        );
        return exit::PARTIAL;
    }
    exit::OK
}

/// Run a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Parse(args) => parse::run(&args),
        Command::Dband(args) => dband::run(&args),
        Command::Thermo(args) => thermo::run(&args),
        Command::Pathway(args) => pathway::run(&args),
        Command::Rank(args) => rank::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Diagram(args) => diagram::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Scan(args) => scan::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Barrier(args) => barrier::run(&args),
    }
}
