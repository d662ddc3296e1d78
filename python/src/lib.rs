//! `chepath._chepath`: the chepath library bound to Python with PyO3. Wiring only: each
//! function reads its arguments, calls the library with the GIL released, and returns the
//! same JSON the CLI prints (the Python package `chepath` turns it into objects). Errors
//! are raised as `_chepath.Failure(kind, message, file, line, expected, found, hint,
//! exit_code)`, which the package maps to its exception classes.

use chepath::api;
use chepath::bounds::{self, Bounds};
use chepath::dband::{Orbital, Settings, SpinMode, Window};
use chepath::error::Error;
use chepath::load::DbandRequest;
use chepath::output::figures::Which;
use chepath::output::report::Bundle;
use chepath::output::rows::By;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::Serialize;
use std::path::PathBuf;
use vasp_parsers::detect::Format;

pyo3::create_exception!(_chepath, Failure, PyException);

/// The failure's fields, in the order `chepath/_errors.py` reads them.
type Fields = (
    &'static str,
    String,
    Option<String>,
    Option<usize>,
    Option<String>,
    Option<String>,
    Option<String>,
    i32,
);

fn fail(e: Error) -> PyErr {
    let code = e.exit_code();
    let fields: Fields = match &e {
        Error::Parse(p) => (
            if e.is_io() { "io" } else { "format" },
            e.to_string(),
            Some(p.file.clone()),
            p.line,
            Some(p.expected.clone()),
            Some(p.found.clone()),
            Some(p.hint.clone()),
            code,
        ),
        Error::Input(m) | Error::Located { message: m, .. } => {
            ("input", m.clone(), None, None, None, None, None, code)
        }
        Error::Write { path, reason } => (
            "write",
            e.to_string(),
            Some(path.clone()),
            None,
            None,
            Some(reason.clone()),
            None,
            code,
        ),
    };
    Failure::new_err(fields)
}

/// A bad argument: raised as `chepath.UsageError` (a `ValueError`).
fn usage(msg: impl Into<String>) -> PyErr {
    let fields: Fields = ("usage", msg.into(), None, None, None, None, None, 2);
    Failure::new_err(fields)
}

/// A built-in template's name checked up front: an unknown one is a usage error, as in the CLI.
fn template_of(t: &Option<String>) -> PyResult<Option<&str>> {
    if let Some(name) = t {
        chepath::network::template(name).map_err(usage)?;
    }
    Ok(t.as_deref())
}

fn json<T: Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| usage(format!("cannot write JSON: {e}")))
}

/// `v` within `b` (the bounds the command line states too), else a usage error saying so.
fn within(name: &str, v: Option<f64>, b: &Bounds) -> PyResult<Option<f64>> {
    match v {
        Some(x) => b.check(name, x).map(Some).map_err(usage),
        None => Ok(None),
    }
}

fn format_of(s: Option<&str>) -> PyResult<Option<Format>> {
    Ok(match s {
        None | Some("auto") => None,
        Some("outcar") => Some(Format::Outcar),
        Some("oszicar") => Some(Format::Oszicar),
        Some("poscar") | Some("contcar") => Some(Format::Poscar),
        Some("vasprun") => Some(Format::Vasprun),
        Some(o) => {
            return Err(usage(format!(
                "format '{o}': expected 'auto', 'outcar', 'oszicar', 'poscar' or 'vasprun'"
            )))
        }
    })
}

/// One file or calculation directory → its `chepath parse --json` record.
#[pyfunction]
#[pyo3(signature = (path, format=None, final_only=false, species_from=None))]
fn parse(
    py: Python<'_>,
    path: PathBuf,
    format: Option<&str>,
    final_only: bool,
    species_from: Option<PathBuf>,
) -> PyResult<String> {
    let opts = api::parse::ParseOptions {
        format: format_of(format)?,
        final_only,
        species_from,
    };
    py.detach(|| {
        let p = api::parse::parse_path(&path, &opts).map_err(fail)?;
        let mut out = Vec::new();
        p.write_json(&mut out)
            .map_err(|e| usage(format!("cannot write JSON: {e}")))?;
        String::from_utf8(out).map_err(|e| usage(e.to_string()))
    })
}

fn dband_request(
    path: PathBuf,
    atoms: Option<String>,
    structure: Option<PathBuf>,
    cutoff: Option<f64>,
    noncollinear: Option<bool>,
) -> PyResult<DbandRequest> {
    let cutoff =
        within("cutoff", cutoff, &bounds::CUTOFF)?.unwrap_or(chepath::select::DEFAULT_CUTOFF);
    Ok(DbandRequest {
        path,
        structure,
        atoms,
        cutoff,
        noncollinear,
    })
}

/// d-band descriptors → the `chepath dband --json` report.
#[pyfunction]
#[pyo3(signature = (path, atoms=None, window="full", spin="sum", orbital="d", structure=None, cutoff=None, noncollinear=None))]
#[allow(clippy::too_many_arguments)]
fn dband(
    py: Python<'_>,
    path: PathBuf,
    atoms: Option<String>,
    window: &str,
    spin: &str,
    orbital: &str,
    structure: Option<PathBuf>,
    cutoff: Option<f64>,
    noncollinear: Option<bool>,
) -> PyResult<String> {
    let settings = Settings {
        window: window
            .parse::<Window>()
            .map_err(|e| usage(format!("window {e}")))?,
        spin: spin
            .parse::<SpinMode>()
            .map_err(|e| usage(format!("spin {e}")))?,
        orbital: orbital
            .parse::<Orbital>()
            .map_err(|e| usage(format!("orbital {e}")))?,
        ..Settings::default()
    };
    let req = dband_request(path, atoms, structure, cutoff, noncollinear)?;
    py.detach(|| {
        let report = api::dband::descriptors(&req, settings).map_err(fail)?;
        json(&report)
    })
}

fn f64_bytes<'a>(v: impl Iterator<Item = &'a f64>) -> Vec<u8> {
    v.flat_map(|x| x.to_le_bytes()).collect()
}

/// The DOS of the selected atoms: (metadata JSON, energies, total, projections) with the
/// arrays as little-endian f64 bytes: energies `[nedos]`, total `[channels][nedos]`,
/// projections `[atoms][columns][nedos]`.
#[pyfunction]
#[pyo3(signature = (path, atoms=None, structure=None, cutoff=None, noncollinear=None))]
#[allow(clippy::type_complexity)]
fn dos<'py>(
    py: Python<'py>,
    path: PathBuf,
    atoms: Option<String>,
    structure: Option<PathBuf>,
    cutoff: Option<f64>,
    noncollinear: Option<bool>,
) -> PyResult<(
    String,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
)> {
    let req = dband_request(path, atoms, structure, cutoff, noncollinear)?;
    let (meta, e, t, p) = py.detach(|| -> PyResult<_> {
        let l = chepath::load::dos::load_dos(&req).map_err(fail)?;
        let d = &l.dos;
        let meta = serde_json::json!({
            "schema_version": chepath::records::SCHEMA_VERSION,
            "file": l.inputs.dos_file.display().to_string(),
            "nedos": d.nedos,
            "nions": d.nions,
            "efermi": d.efermi,
            "channels": d.total.len(),
            "columns": d.layout.as_ref().map(|x| &x.columns),
            "layout": d.layout.as_ref().map(|x| &x.description),
            "atoms": d.atoms.iter().map(|a| a.index).collect::<Vec<_>>(),
            "elements": l.elements.as_ref().map(|el| {
                d.atoms.iter().map(|a| el.get(a.index - 1).cloned()).collect::<Vec<_>>()
            }),
            "selection": l.selection.expression,
            "warnings": d.warnings,
        });
        let e = f64_bytes(d.energies.iter());
        let t = f64_bytes(d.total.iter().flatten());
        let p = f64_bytes(d.atoms.iter().flat_map(|a| a.values.iter().flatten()));
        Ok((json(&meta)?, e, t, p))
    })?;
    Ok((
        meta,
        PyBytes::new(py, &e),
        PyBytes::new(py, &t),
        PyBytes::new(py, &p),
    ))
}

/// Thermochemistry of a frequency run or list → the `chepath thermo --json` record.
#[pyfunction]
#[pyo3(signature = (path=None, freqs=None, model="harmonic", temperature=298.15, pressure=1.0, geometry=None, symmetry=None, spin=0.0, soft_mode_floor=None, floor_all_terms=false))]
#[allow(clippy::too_many_arguments)]
fn thermo(
    py: Python<'_>,
    path: Option<PathBuf>,
    freqs: Option<Vec<f64>>,
    model: &str,
    temperature: f64,
    pressure: f64,
    geometry: Option<&str>,
    symmetry: Option<u32>,
    spin: f64,
    soft_mode_floor: Option<f64>,
    floor_all_terms: bool,
) -> PyResult<String> {
    use api::thermo::{Frequencies, ThermoRequest};
    use chepath::thermo::{Geometry, SoftModeFloor};
    let frequencies = match (freqs, path) {
        (Some(v), None) => {
            if let Some(x) = v
                .iter()
                .find(|x| !(x.is_finite() && x.abs() <= bounds::FREQ_CM1))
            {
                return Err(usage(format!(
                    "freqs: {x}: expected frequencies from -{0} to {0} cm-1 (imaginary as negative)",
                    bounds::FREQ_CM1
                )));
            }
            Frequencies::List(v)
        }
        (None, Some(p)) => Frequencies::Path(p),
        _ => return Err(usage("give a frequency run (path) or freqs, not both")),
    };
    within("temperature", Some(temperature), &bounds::TEMPERATURE)?;
    if let Some(n) = symmetry.filter(|n| !bounds::SYMMETRY.contains(n)) {
        return Err(usage(format!(
            "symmetry = {n}: expected a whole number from {} to {}",
            bounds::SYMMETRY.start(),
            bounds::SYMMETRY.end()
        )));
    }
    within("pressure", Some(pressure), &bounds::PRESSURE)?;
    let floor = match (
        within("soft_mode_floor", soft_mode_floor, &bounds::SOFT_FLOOR)?,
        floor_all_terms,
    ) {
        (None, _) => SoftModeFloor::None,
        (Some(c), false) => SoftModeFloor::EntropyOnly { cm1: c },
        (Some(c), true) => SoftModeFloor::All { cm1: c },
    };
    let req = ThermoRequest {
        model: model
            .parse()
            .map_err(|e: String| usage(format!("model {e}")))?,
        temperature,
        pressure_bar: pressure,
        geometry: match geometry {
            None | Some("auto") => None,
            Some("monatomic") => Some(Geometry::Monatomic),
            Some("linear") => Some(Geometry::Linear),
            Some("nonlinear") => Some(Geometry::Nonlinear),
            Some(o) => {
                return Err(usage(format!(
                    "geometry '{o}': expected 'auto', 'monatomic', 'linear' or 'nonlinear'"
                )))
            }
        },
        symmetry,
        spin: within("spin", Some(spin), &bounds::SPIN)?.unwrap_or(0.0),
        floor,
        ..ThermoRequest::new(frequencies)
    };
    py.detach(|| json(&api::thermo::thermo(&req).map_err(fail)?))
}

/// Free-energy paths of a network file or tree → the `chepath pathway --json` report.
#[pyfunction]
#[pyo3(signature = (path, U=None, pH=None, template=None))]
#[allow(non_snake_case)]
fn pathway(
    py: Python<'_>,
    path: PathBuf,
    U: Option<f64>,
    pH: Option<f64>,
    template: Option<String>,
) -> PyResult<String> {
    let (u, ph) = (
        within("U", U, &bounds::POTENTIAL)?,
        within("pH", pH, &bounds::PH)?,
    );
    py.detach(|| {
        let l = chepath::load::load_with(&path, template_of(&template)?, false).map_err(fail)?;
        json(&chepath::checks::lint::checked_pathway(&l, u, ph).map_err(fail)?)
    })
}

/// One row per model → the `chepath rank --format json` document.
#[pyfunction]
#[pyo3(signature = (path, U=None, pH=None, template=None, by="limiting-potential"))]
#[allow(non_snake_case)]
fn rank(
    py: Python<'_>,
    path: PathBuf,
    U: Option<f64>,
    pH: Option<f64>,
    template: Option<String>,
    by: &str,
) -> PyResult<String> {
    let (u, ph) = (
        within("U", U, &bounds::POTENTIAL)?,
        within("pH", pH, &bounds::PH)?,
    );
    let by = match by {
        "limiting-potential" | "limiting_potential" | "ul" => By::LimitingPotential,
        "adsorption" => By::Adsorption,
        "dband" => By::Dband,
        "descriptor" => By::Descriptor,
        "barrier" => By::Barrier,
        o => {
            return Err(usage(format!(
                "by '{o}': expected 'limiting-potential', 'adsorption', 'dband', 'descriptor' or 'barrier'"
            )))
        }
    };
    py.detach(|| {
        let l = chepath::load::load(&path, template_of(&template)?).map_err(fail)?;
        let b = Bundle::analyze(l, u, ph, by, &mut |_| {}).map_err(fail)?;
        json(&b.ranking().json())
    })
}

/// Every calculation under `root` → `{root, warnings, records}` (records as `chepath scan
/// --json-lines` writes them, in directory order), read in parallel.
#[pyfunction]
#[pyo3(signature = (root, full=false, jobs=None))]
fn scan(py: Python<'_>, root: PathBuf, full: bool, jobs: Option<usize>) -> PyResult<String> {
    use chepath::load::scan::{self, Depth};
    if let Some(e) = scan::root_error(&root) {
        return Err(fail(Error::Parse(e)));
    }
    py.detach(|| {
        let (dirs, warnings) = scan::find_calculations(&root);
        let mut records = Vec::with_capacity(dirs.len());
        let depth = if full { Depth::Full } else { Depth::Quick };
        scan::scan(&dirs, depth, jobs, |_, r| {
            records.push(r);
            true
        });
        json(&serde_json::json!({
            "schema_version": chepath::records::SCHEMA_VERSION,
            "root": root.display().to_string(),
            "warnings": warnings,
            "records": records,
        }))
    })
}

/// The linter's findings → the `chepath lint --json` report.
#[pyfunction]
#[pyo3(signature = (path, template=None))]
fn lint(py: Python<'_>, path: PathBuf, template: Option<String>) -> PyResult<String> {
    py.detach(|| {
        let l = chepath::load::load_with(&path, template_of(&template)?, false).map_err(fail)?;
        json(&chepath::checks::lint::lint_network(&l.file, &l.dataset))
    })
}

/// An expected-values file against its source → `{expected, tolerance, outcomes, failed}`.
#[pyfunction]
#[pyo3(signature = (expected, tolerance=None))]
fn check(py: Python<'_>, expected: PathBuf, tolerance: Option<f64>) -> PyResult<String> {
    let tolerance = within("tolerance", tolerance, &bounds::TOLERANCE)?;
    py.detach(|| {
        let c = api::check::check(&expected, tolerance).map_err(fail)?;
        json(&serde_json::json!({
            "schema_version": chepath::records::SCHEMA_VERSION,
            "expected": expected.display().to_string(),
            "tolerance": c.expected.tolerance,
            "outcomes": c.outcomes,
            "failed": c.outcomes.iter().filter(|o| !o.ok).count(),
        }))
    })
}

/// The main job: report.json/csv/md and figures into `out` → the files written.
#[pyfunction]
#[pyo3(signature = (path, out, force=false, U=None, pH=None, template=None))]
#[allow(non_snake_case)]
fn report(
    py: Python<'_>,
    path: PathBuf,
    out: PathBuf,
    force: bool,
    U: Option<f64>,
    pH: Option<f64>,
    template: Option<String>,
) -> PyResult<Vec<String>> {
    let (u, ph) = (
        within("U", U, &bounds::POTENTIAL)?,
        within("pH", pH, &bounds::PH)?,
    );
    // refused before any work, as the CLI
    chepath::output::report::refuse_existing(&out, force).map_err(fail)?;
    py.detach(|| {
        let l = chepath::load::load(&path, template_of(&template)?).map_err(fail)?;
        let b = Bundle::analyze(l, u, ph, By::LimitingPotential, &mut |_| {}).map_err(fail)?;
        let files = chepath::output::report::write(&b, &out, force, &mut |_| {}).map_err(fail)?;
        Ok(files.iter().map(|f| f.display().to_string()).collect())
    })
}

/// A free-energy diagram: written to `out` (.svg or .png; returns None), or returned as
/// SVG text when `out` is None.
#[pyfunction]
#[pyo3(signature = (path, out=None, force=false, U=None, pH=None, template=None, which="best", models=None, single_panel=false, width=1400, height=620, dpi=100, font=17, at=None))]
#[allow(non_snake_case, clippy::too_many_arguments)]
fn diagram(
    py: Python<'_>,
    path: PathBuf,
    out: Option<PathBuf>,
    force: bool,
    U: Option<f64>,
    pH: Option<f64>,
    template: Option<String>,
    which: &str,
    models: Option<Vec<String>>,
    single_panel: bool,
    width: u32,
    height: u32,
    dpi: u32,
    font: u32,
    at: Option<Vec<f64>>,
) -> PyResult<Option<String>> {
    let (u, ph) = (
        within("U", U, &bounds::POTENTIAL)?,
        within("pH", pH, &bounds::PH)?,
    );
    let at = at.unwrap_or_default();
    for &x in &at {
        within("at", Some(x), &bounds::POTENTIAL)?;
    }
    let opts = api::diagram::DiagramOptions {
        which: match which {
            "best" => Which::Best,
            "greedy" => Which::Greedy,
            "all" => Which::All,
            o => {
                return Err(usage(format!(
                    "which '{o}': expected 'best', 'greedy' or 'all'"
                )))
            }
        },
        models,
        single_panel,
        width,
        height,
        dpi,
        font,
        at,
    };
    opts.check_bounds().map_err(usage)?;
    opts.pixels().map_err(usage)?;
    if let Some(o) = &out {
        if o.exists() && !force {
            return Err(fail(Error::Parse(vasp_parsers::ParseError::io(
                o,
                &std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "exists; chepath does not overwrite files: pass force=True, or choose another name",
                ),
            ))));
        }
    }
    py.detach(|| {
        let d =
            api::diagram::diagram(&path, template_of(&template)?, u, ph, &opts).map_err(fail)?;
        match &out {
            Some(o) => chepath::output::plot::draw_diagram(&d, o)
                .map(|_| None)
                .map_err(|e| fail(Error::input(e.to_string()))),
            None => chepath::output::plot::diagram_svg(&d)
                .map(Some)
                .map_err(|e| fail(Error::input(e.to_string()))),
        }
    })
}

/// Barriers of IS TS FS (three paths) or a NEB directory → the `chepath barrier --json` record;
/// with `plot`, the energy profile drawn to that file (.svg or .png), as `--plot`.
#[pyfunction]
#[pyo3(signature = (paths, freq=None, energy="sigma0", plot=None, force=false))]
fn barrier(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    freq: Option<PathBuf>,
    energy: &str,
    plot: Option<PathBuf>,
    force: bool,
) -> PyResult<String> {
    let kind = energy
        .parse::<chepath::conventions::EnergyKind>()
        .map_err(|e| usage(format!("energy {e}")))?;
    if paths.len() != 1 && paths.len() != 3 {
        return Err(usage(format!(
            "expected three paths (IS, TS, FS) or one NEB directory, found {}",
            paths.len()
        )));
    }
    if let Some(o) = &plot {
        if chepath::output::profile::format_of(o).is_none() {
            return Err(usage(format!(
                "plot {}: the figure must end in .svg or .png",
                o.display()
            )));
        }
        if o.exists() && !force {
            return Err(fail(Error::Parse(vasp_parsers::ParseError::io(
                o,
                &std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "exists; chepath does not overwrite files: pass force=True, or choose another name",
                ),
            ))));
        }
    }
    py.detach(|| {
        let b = api::barrier::barrier(&paths, freq.as_deref(), kind).map_err(fail)?;
        if let Some(o) = &plot {
            chepath::output::profile::draw_profile(&b, o)
                .map_err(|e| fail(Error::input(e.to_string())))?;
        }
        json(&b)
    })
}

/// The chepath library, bound to Python.
#[pymodule]
fn _chepath(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("Failure", m.py().get_type::<Failure>())?;
    m.add("SCHEMA_VERSION", chepath::records::SCHEMA_VERSION)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    for f in [
        wrap_pyfunction!(parse, m)?,
        wrap_pyfunction!(dband, m)?,
        wrap_pyfunction!(dos, m)?,
        wrap_pyfunction!(thermo, m)?,
        wrap_pyfunction!(pathway, m)?,
        wrap_pyfunction!(rank, m)?,
        wrap_pyfunction!(scan, m)?,
        wrap_pyfunction!(lint, m)?,
        wrap_pyfunction!(check, m)?,
        wrap_pyfunction!(report, m)?,
        wrap_pyfunction!(diagram, m)?,
        wrap_pyfunction!(barrier, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
