//! `chepath dband`: d-band descriptors of chosen atoms, as a table or JSON, and a PDOS plot.

use super::{exit, fail, DbandArgs, SpinArg};
use chepath::dband::{Descriptors, Orbital, Report, Settings, SpinMode, Window};
use chepath::load::DbandRequest;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

/// A window (`full`, `vaspkit`, `MIN:MAX`) whose ends lie within ±[`super::WINDOW_EV`]; the
/// error states the bounds.
fn parse_window(s: &str) -> Result<Window, String> {
    let lim = super::WINDOW_EV;
    let bounds = format!("expected full, vaspkit or MIN:MAX, MIN below MAX, both from -{lim} to {lim} eV from E-fermi (e.g. -10:5)");
    match s.parse::<Window>() {
        Ok(Window::Range { min, max }) if min < -lim || max > lim => {
            Err(format!("--window '{s}' is out of bounds: {bounds}"))
        }
        Ok(w) => Ok(w),
        Err(e) => Err(format!("--window {e}; {bounds}")),
    }
}

fn parse_orbital(s: &str) -> Result<Orbital, String> {
    s.parse::<Orbital>().map_err(|e| format!("--orbital {e}"))
}

pub fn run(args: &DbandArgs) -> i32 {
    let settings = match (parse_window(&args.window), parse_orbital(&args.orbital)) {
        (Ok(window), Ok(orbital)) => Settings {
            window,
            orbital,
            spin: match args.spin {
                SpinArg::Sum => SpinMode::Sum,
                SpinArg::Up => SpinMode::Up,
                SpinArg::Down => SpinMode::Down,
                SpinArg::Mean => SpinMode::Mean,
            },
            ..Settings::default()
        },
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let xlim = match args.xlim.as_deref().map(parse_window) {
        Some(Ok(Window::Range { min, max })) => Some((min, max)),
        Some(Ok(Window::Full)) | None => None,
        Some(Err(e)) => {
            eprintln!("error: --xlim: {}", e.trim_start_matches("--window "));
            return exit::USAGE;
        }
    };
    if let Some(out) = &args.plot {
        if let Err(code) = super::out::figure("--plot", out, args.force.force) {
            return code;
        }
    }
    let req = DbandRequest {
        path: args.path.clone(),
        structure: args.structure.clone(),
        atoms: args.atoms.clone(),
        cutoff: args.cutoff,
        noncollinear: args.noncollinear,
    };
    // Without a plot the descriptors are computed atom by atom as the DOSCAR is read; with
    // one, a large selection is drawn pooled from the same stream (memory flat in atoms).
    let analysed = match &args.plot {
        Some(_) => {
            chepath::api::dband::with_figure(&req, settings, xlim).map(|(r, f)| (r, Some(f)))
        }
        None => chepath::api::dband::descriptors(&req, settings).map(|r| (r, None)),
    };
    let (report, fig) = match analysed {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    if args.json {
        // written as it is serialised: no second copy of a report of thousands of atoms
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        let written = serde_json::to_writer_pretty(&mut out, &report)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                use std::io::Write;
                writeln!(out)
                    .and_then(|()| out.flush())
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            eprintln!("error: cannot write JSON: {e}");
            return exit::INTERNAL;
        }
    } else {
        print!("{}", text(&report));
    }
    if let (Some(out), Some(fig)) = (&args.plot, &fig) {
        if let Err(e) = chepath::output::plot::draw_pdos(fig, out) {
            return super::out::plot_failed(out, &e);
        }
        eprintln!("wrote {}", out.display());
    }
    exit::OK
}

fn f(x: f64, d: usize) -> String {
    format!("{x:.d$}")
}

/// One table row: label, element, descriptors (or why there are none), spin centres.
struct Row<'a> {
    label: String,
    element: String,
    values: Option<&'a Descriptors>,
    up: Option<f64>,
    down: Option<f64>,
    why: Option<&'a str>,
}

fn add_row(t: &mut Table, r: Row, spin: bool) {
    let mut cells = vec![Cell::new(r.label), Cell::new(r.element)];
    match r.values {
        Some(v) => {
            for (x, d) in [
                (v.center, 3),
                (v.width, 3),
                (v.skewness, 2),
                (v.kurtosis, 2),
                (v.filling, 3),
                (v.upper_edge, 2),
                (v.integral, 3),
            ] {
                cells.push(Cell::new(f(x, d)).set_alignment(CellAlignment::Right));
            }
        }
        None => {
            cells.push(Cell::new(r.why.unwrap_or("no states")));
            for _ in 0..6 {
                cells.push(Cell::new(""));
            }
        }
    }
    if spin {
        for x in [r.up, r.down] {
            cells.push(
                Cell::new(x.map(|x| f(x, 3)).unwrap_or_else(|| "-".into()))
                    .set_alignment(CellAlignment::Right),
            );
        }
    }
    t.add_row(cells);
}

/// The text report: what was read and with which settings, a table of every atom (then the
/// pooled selection and the mean, for several atoms), and the warnings.
fn text(r: &Report) -> String {
    let mut out = heading(r);
    let t = descriptor_table(r);
    out.push_str(&format!("{t}\n"));
    out.push_str("  energies in eV; centre = first moment; width = √(second central moment); filling = fraction below E-fermi\n");
    if !r.warnings.is_empty() {
        out.push_str(&format!("  warnings    {}\n", r.warnings.len()));
        for w in &r.warnings {
            out.push_str(&format!("    - {w}\n"));
        }
    }
    out
}

/// The lines above the table: the DOS file, its layout, system and structure, E-fermi,
/// the settings that change a number, and the atoms selected.
fn heading(r: &Report) -> String {
    let s = &r.settings;
    let mut out = String::new();
    out.push_str(&format!("d-band descriptors  {}\n", r.source.dos_file));
    out.push_str(&format!(
        "  layout      {}{}\n",
        r.source.layout,
        r.source
            .layout_hint_from
            .as_ref()
            .map(|h| format!(" (hint from {h})"))
            .unwrap_or_default()
    ));
    if !r.source.system.is_empty() && r.source.system != "unknown system" {
        out.push_str(&format!("  system      {}\n", r.source.system));
    }
    if let Some(st) = &r.source.structure_file {
        out.push_str(&format!("  structure   {st}\n"));
    }
    out.push_str(&format!(
        "  E-fermi     {:.6} eV (of the DOS file; every energy below is relative to it)\n",
        r.efermi
    ));
    out.push_str(&format!(
        "  settings    orbital {}; spin {}; window {}; integration trapezoid\n",
        s.orbital.name(),
        match s.spin {
            SpinMode::Sum => "sum (up + down before the moments, pymatgen spin=None)",
            SpinMode::Up => "up",
            SpinMode::Down => "down",
            SpinMode::Mean => "mean of the up and down values",
        },
        s.window.describe()
    ));
    out.push_str(&format!(
        "  atoms       {} → {}{}\n",
        r.selection.expression,
        r.selection
            .indices
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(","),
        r.selection
            .cutoff
            .map(|c| format!(" (neighbours within {c} Å)"))
            .unwrap_or_default()
    ));
    out
}

/// One row per atom, then (for several atoms) the pooled selection and the mean of the
/// atoms; spin-resolved centres as two more columns when the DOS has them.
fn descriptor_table(r: &Report) -> Table {
    let spin = r.atoms.iter().any(|a| a.result.by_spin.is_some());
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    let mut header = vec![
        "atom",
        "el",
        "centre",
        "width",
        "skew",
        "kurt",
        "filling",
        "upper edge",
        "∫ρ",
    ];
    if spin {
        header.extend(["centre ↑", "centre ↓"]);
    }
    t.set_header(header);
    for a in &r.atoms {
        let bs = a.result.by_spin.as_ref();
        let r = Row {
            label: a.index.to_string(),
            element: a.element.clone().unwrap_or_default(),
            values: a.result.values.as_ref(),
            up: bs.and_then(|b| b.up.map(|x| x.center)),
            down: bs.and_then(|b| b.down.map(|x| x.center)),
            why: a.result.no_states.as_deref(),
        };
        add_row(&mut t, r, spin);
    }
    if r.atoms.len() > 1 {
        let bs = r.pooled.by_spin.as_ref();
        let pooled = Row {
            label: "pooled".into(),
            element: String::new(),
            values: r.pooled.values.as_ref(),
            up: bs.and_then(|b| b.up.map(|x| x.center)),
            down: bs.and_then(|b| b.down.map(|x| x.center)),
            why: r.pooled.no_states.as_deref(),
        };
        add_row(&mut t, pooled, spin);
        let mean = Row {
            label: "mean".into(),
            element: String::new(),
            values: r.mean_of_atoms.as_ref(),
            up: None,
            down: None,
            why: Some("no atom has states"),
        };
        add_row(&mut t, mean, spin);
    }
    t
}
