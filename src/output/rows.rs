//! One row per catalyst model, the numbers people rank models by, and one [`Ranking`] that
//! renders them as a terminal table, Markdown, CSV (the `csv` crate) and JSON, with the
//! conventions they were computed under. Shared by `rank`, `report` and `check`.
//!
//! The columns are the engine's (U_L, PDS, chemical bottleneck, ε_d, warnings) plus what the
//! reaction's template declares (no3rr: the nitrate-adsorption ΔG, from its step's `column`).

use crate::dband::DbandValue;
use crate::pathway::che::Direction;
use crate::pathway::Report;
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};
use serde::Serialize;
use std::collections::BTreeMap;

/// One model's summary.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub model: String,
    /// V on the report's scale.
    pub limiting_potential: Option<f64>,
    /// `*NH2OH → *NH2`.
    pub pds: Option<String>,
    #[serde(rename = "pds_dG")]
    pub pds_dg: Option<f64>,
    /// ΔG of the template's adsorption step (null when the reaction has none).
    #[serde(rename = "adsorption_dG")]
    pub adsorption_dg: Option<f64>,
    pub chemical_bottleneck: Option<String>,
    #[serde(rename = "chemical_bottleneck_dG")]
    pub chemical_bottleneck_dg: Option<f64>,
    pub overpotential: Option<f64>,
    /// The template's screening descriptor (ΔG of formation of its adsorbate, eV).
    pub descriptor: Option<f64>,
    /// The window of U (V) where every electrochemical step is downhill: bounded on both
    /// sides only when a step moves against the others (an electrochemical adsorption).
    pub window_min: Option<f64>,
    pub window_max: Option<f64>,
    /// No U makes every electrochemical step downhill.
    pub window_empty: bool,
    pub dband: Option<DbandValue>,
    /// The largest barrier on the best path (`[barriers]`), at U, eV, and its step.
    #[serde(rename = "largest_barrier_Ea")]
    pub largest_barrier: Option<f64>,
    pub largest_barrier_step: Option<String>,
    pub warnings: usize,
}

/// How to sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// Best limiting potential first (highest for reductions, lowest for oxidations).
    LimitingPotential,
    /// Most negative adsorption ΔG first.
    Adsorption,
    /// d-band centre closest to E-fermi (highest) first.
    Dband,
    /// The template's screening descriptor (ΔG(*OH), ΔG(*H), …), lowest first.
    Descriptor,
    /// The largest barrier on the best path (`[barriers]`), lowest first; models without
    /// barriers last.
    Barrier,
}

/// Rows of a pathway report, sorted; ties broken by model name.
pub fn rows(report: &Report, dband: &BTreeMap<String, DbandValue>, by: By) -> Vec<Row> {
    let mut rows: Vec<Row> = report
        .models
        .iter()
        .map(|m| Row {
            model: m.name.clone(),
            limiting_potential: m.limiting_potential,
            pds: m.pds.as_ref().map(|p| format!("{} → {}", p.from, p.to)),
            pds_dg: m.pds.as_ref().map(|p| p.dg),
            adsorption_dg: m.adsorption_dg,
            chemical_bottleneck: m
                .chemical_bottleneck
                .as_ref()
                .map(|c| format!("{} → {}", c.from, c.to)),
            chemical_bottleneck_dg: m.chemical_bottleneck.as_ref().map(|c| c.dg),
            overpotential: m.overpotential,
            descriptor: m.descriptor,
            window_min: m.potential_window.as_ref().and_then(|w| w.window.min),
            window_max: m.potential_window.as_ref().and_then(|w| w.window.max),
            window_empty: m.potential_window.as_ref().is_some_and(|w| w.window.empty),
            dband: dband.get(&m.name).cloned(),
            largest_barrier: m.largest_barrier.as_ref().map(|b| b.ea),
            largest_barrier_step: m
                .largest_barrier
                .as_ref()
                .map(|b| format!("{} → {}", b.from, b.to)),
            warnings: m.warnings.len(),
        })
        .collect();
    let ox = report.network.direction == Direction::Oxidation;
    let key = |r: &Row| -> f64 {
        match by {
            By::LimitingPotential => r
                .limiting_potential
                .map(|u| if ox { u } else { -u })
                .unwrap_or(f64::INFINITY),
            By::Adsorption => r.adsorption_dg.unwrap_or(f64::INFINITY),
            By::Dband => r
                .dband
                .as_ref()
                .and_then(|d| d.center)
                .map(|c| -c)
                .unwrap_or(f64::INFINITY),
            By::Descriptor => r.descriptor.unwrap_or(f64::INFINITY),
            By::Barrier => r.largest_barrier.unwrap_or(f64::INFINITY),
        }
    };
    rows.sort_by(|a, b| {
        key(a)
            .total_cmp(&key(b))
            .then_with(|| a.model.cmp(&b.model))
    });
    rows
}

/// How a sort key is described to readers.
pub fn sort_description(by: By, report: &Report) -> String {
    let direction = report.network.direction;
    match by {
        By::LimitingPotential => format!(
            "limiting potential ({direction}: {} first)",
            if direction == Direction::Oxidation {
                "lowest"
            } else {
                "highest"
            }
        ),
        By::Adsorption => format!("{} ΔG (most negative first)", adsorption_label(report)),
        By::Dband => "d-band centre (closest to E-fermi first)".into(),
        By::Descriptor => format!(
            "{} (lowest first)",
            report
                .definition
                .screening
                .as_ref()
                .map(|s| s.label.clone())
                .unwrap_or_else(|| "the template's descriptor (none)".into())
        ),
        By::Barrier => {
            "largest barrier on the best path at U (lowest first; models without [barriers] last)"
                .into()
        }
    }
}

/// The template's name for its adsorption step (`nitrate adsorption`), else `adsorption`.
pub fn adsorption_label(report: &Report) -> String {
    report
        .definition
        .adsorption_step()
        .and_then(|s| s.label.clone())
        .unwrap_or_else(|| "adsorption".into())
}

/// How the adsorption step is treated (`chemical`), when its template names a setting.
pub fn adsorption_treatment(report: &Report) -> Option<String> {
    let step = report.definition.adsorption_step()?;
    match &step.treatment {
        Some(name) => report.conventions.reaction.get(name).map(|v| v.to_string()),
        None => Some("chemical".into()),
    }
}

/// The reaction's settings as `label = value unit`, in the template's order.
pub fn reaction_settings(report: &Report, sep: &str) -> Vec<String> {
    report
        .definition
        .settings
        .iter()
        .filter_map(|s| {
            report
                .conventions
                .reaction
                .get(&s.name)
                .map(|v| s.describe(v, sep))
        })
        .collect()
}

/// How a tree was read: the layout used, the models found and the directories not placed
/// (at most `max` of them listed; all are in the JSON), and the energy-source rule.
pub fn layout_lines(r: &Report, max: usize) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(l) = &r.layout {
        v.push(format!(
            "layout: {} ({}): {} model(s), {} director{} placed, {} not placed",
            l.pattern,
            l.chosen,
            l.models.len(),
            l.placed,
            if l.placed == 1 { "y" } else { "ies" },
            l.unplaced.len()
        ));
        for u in l.unplaced.iter().take(max) {
            v.push(format!("  not placed: {}: {}", u.dir, u.reason));
        }
        if l.unplaced.len() > max {
            v.push(format!(
                "  … and {} more (all under \"layout\" in --json)",
                l.unplaced.len() - max
            ));
        }
    }
    v.push(format!("energy source: {}", r.energy_sources));
    for (name, x) in &r.references {
        if x.source.starts_with("from ") {
            v.push(format!("reference {name}: G = {:.4} eV, {}", x.g, x.source));
        }
    }
    let defaulted = r
        .models
        .iter()
        .flat_map(|m| m.sources.values())
        .filter(|s| {
            s.correction_source
                .as_deref()
                .is_some_and(|c| c.starts_with("[corrections]"))
        })
        .count();
    if defaulted > 0 {
        v.push(format!(
            "corrections: {defaulted} state(s) without a frequency run or zpe/ts take their correction from [corrections]"
        ));
    }
    v
}

/// The conventions as one line.
pub fn conventions_line(r: &Report) -> String {
    let c = &r.conventions;
    let mut parts = vec![
        format!("U = {} V vs {}", c.u, c.scale),
        format!("pH = {}", c.ph),
        format!("T = {} K", c.temperature),
        format!("energy = {}", c.energy.describe()),
    ];
    parts.extend(reaction_settings(r, " = "));
    parts.push(format!(
        "soft-mode floor = {}",
        if c.soft_mode_floor > 0.0 {
            format!("{} cm-1 (entropy)", c.soft_mode_floor)
        } else {
            "off".into()
        }
    ));
    format!("conventions: {}", parts.join(", "))
}

/// A CSV field: a number (written with 4 decimals, empty when missing) or text.
enum Field {
    Num(Option<f64>),
    Text(Option<String>),
    Count(usize),
}

/// How a CSV field is taken from a row.
type CsvField = Box<dyn Fn(&Row) -> Field>;

/// A column of the ranking: its header, its cell in tables, its fields in CSV.
struct Column {
    header: String,
    numeric: bool,
    cell: Box<dyn Fn(&Row) -> String>,
    csv: Vec<(&'static str, CsvField)>,
}

fn signed(x: Option<f64>) -> String {
    x.map(|v| format!("{v:+.3}")).unwrap_or_else(|| "-".into())
}

/// The largest barrier of the best path, `0.85 (*NO → *NOH)`.
fn barrier_column() -> Column {
    Column {
        header: "max Ea (eV)".into(),
        numeric: false,
        cell: Box::new(
            |r: &Row| match (r.largest_barrier, &r.largest_barrier_step) {
                (Some(e), Some(s)) => format!("{e:.2} ({s})"),
                _ => "-".into(),
            },
        ),
        csv: vec![
            (
                "largest_barrier_Ea_eV",
                Box::new(|r: &Row| Field::Num(r.largest_barrier)),
            ),
            (
                "largest_barrier_step",
                Box::new(|r: &Row| Field::Text(r.largest_barrier_step.clone())),
            ),
        ],
    }
}

/// The window of U where every electrochemical step is downhill, `[-0.40, +0.10]`.
fn window_column() -> Column {
    Column {
        header: "U window (V)".into(),
        numeric: false,
        cell: Box::new(
            |r: &Row| match (r.window_empty, r.window_min, r.window_max) {
                (true, _, _) => "none".into(),
                (false, Some(a), Some(b)) => format!("[{a:+.2}, {b:+.2}]"),
                (false, None, Some(b)) => format!("≤ {b:+.2}"),
                (false, Some(a), None) => format!("≥ {a:+.2}"),
                _ => "-".into(),
            },
        ),
        csv: vec![
            ("window_min_V", Box::new(|r: &Row| Field::Num(r.window_min))),
            ("window_max_V", Box::new(|r: &Row| Field::Num(r.window_max))),
        ],
    }
}

/// The model's chemical bottleneck and its ΔG, `*NO2 → *NO (+0.21)`.
fn chemical_bottleneck_column() -> Column {
    Column {
        header: "chemical bottleneck".into(),
        numeric: false,
        cell: Box::new(
            |r: &Row| match (&r.chemical_bottleneck, r.chemical_bottleneck_dg) {
                (Some(c), Some(g)) => format!("{c} ({g:+.2})"),
                _ => "-".into(),
            },
        ),
        csv: vec![
            (
                "chemical_bottleneck",
                Box::new(|r: &Row| Field::Text(r.chemical_bottleneck.clone())),
            ),
            (
                "chemical_bottleneck_dG_eV",
                Box::new(|r: &Row| Field::Num(r.chemical_bottleneck_dg)),
            ),
        ],
    }
}

/// The d-band centre ε_d of the model's selection.
fn dband_column() -> Column {
    Column {
        header: "ε_d (eV)".into(),
        numeric: true,
        cell: Box::new(|r: &Row| signed(r.dband.as_ref().and_then(|d| d.center))),
        csv: vec![(
            "dband_center_eV",
            Box::new(|r: &Row| Field::Num(r.dband.as_ref().and_then(|d| d.center))),
        )],
    }
}

/// The rows of a report, ready to print in any format.
pub struct Ranking<'a> {
    pub rows: &'a [Row],
    pub report: &'a Report,
    /// How the rows are sorted, in words.
    pub sorted_by: String,
}

impl<'a> Ranking<'a> {
    pub fn new(rows: &'a [Row], report: &'a Report, by: By) -> Ranking<'a> {
        Ranking {
            rows,
            report,
            sorted_by: sort_description(by, report),
        }
    }

    /// The engine's columns, with the template's between the PDS and the bottleneck.
    fn columns(&self) -> Vec<Column> {
        let scale = self.report.conventions.scale;
        let mut cols = vec![
            Column {
                header: "model".into(),
                numeric: false,
                cell: Box::new(|r: &Row| r.model.clone()),
                csv: vec![(
                    "model",
                    Box::new(|r: &Row| Field::Text(Some(r.model.clone()))),
                )],
            },
            Column {
                header: format!("U_L (V vs {scale})"),
                numeric: true,
                cell: Box::new(|r: &Row| signed(r.limiting_potential)),
                csv: vec![(
                    "limiting_potential_V",
                    Box::new(|r: &Row| Field::Num(r.limiting_potential)),
                )],
            },
            Column {
                header: "PDS".into(),
                numeric: false,
                cell: Box::new(|r: &Row| r.pds.clone().unwrap_or_else(|| "-".into())),
                csv: vec![("pds", Box::new(|r: &Row| Field::Text(r.pds.clone())))],
            },
            Column {
                header: "ΔG PDS (eV)".into(),
                numeric: true,
                cell: Box::new(|r: &Row| signed(r.pds_dg)),
                csv: vec![("pds_dG_eV", Box::new(|r: &Row| Field::Num(r.pds_dg)))],
            },
        ];
        cols.extend(self.template_columns());
        let two_sided = self
            .rows
            .iter()
            .any(|r| r.window_min.is_some() && r.window_max.is_some());
        if two_sided {
            cols.push(window_column());
        }
        if self.rows.iter().any(|r| r.largest_barrier.is_some()) {
            cols.push(barrier_column());
        }
        let has_dband = self.rows.iter().any(|r| r.dband.is_some());
        cols.extend([
            chemical_bottleneck_column(),
            Column {
                header: "warnings".into(),
                numeric: true,
                cell: Box::new(|r: &Row| r.warnings.to_string()),
                csv: vec![("warnings", Box::new(|r: &Row| Field::Count(r.warnings)))],
            },
        ]);
        if has_dband {
            let warnings = cols.pop();
            cols.push(dband_column());
            cols.extend(warnings);
        }
        cols
    }

    /// The template's columns: its adsorption step's ΔG and its screening descriptor.
    fn template_columns(&self) -> Vec<Column> {
        let mut cols = Vec::new();
        if let Some(header) = self
            .report
            .definition
            .adsorption_step()
            .and_then(|s| s.column.clone())
        {
            cols.push(Column {
                header,
                numeric: true,
                cell: Box::new(|r: &Row| signed(r.adsorption_dg)),
                csv: vec![(
                    "adsorption_dG_eV",
                    Box::new(|r: &Row| Field::Num(r.adsorption_dg)),
                )],
            });
        }
        if let Some(sc) = &self.report.definition.screening {
            cols.push(Column {
                header: sc.label.clone(),
                numeric: true,
                cell: Box::new(|r: &Row| signed(r.descriptor)),
                csv: vec![(
                    "descriptor_eV",
                    Box::new(|r: &Row| Field::Num(r.descriptor)),
                )],
            });
        }
        cols
    }

    /// The notice (if any), the conventions and the sort order, one per line.
    pub fn preamble(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .report
            .notice
            .iter()
            .map(|n| format!("NOTICE: {n}"))
            .collect();
        v.push(conventions_line(self.report));
        v.push(format!("sorted by {}", self.sorted_by));
        v
    }

    /// A table for the terminal (without the preamble).
    pub fn table(&self) -> String {
        let cols = self.columns();
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        let mut header = vec!["#".to_string()];
        header.extend(cols.iter().map(|c| c.header.clone()));
        t.set_header(header);
        for (i, r) in self.rows.iter().enumerate() {
            let mut cells = vec![Cell::new(i + 1)];
            for c in &cols {
                let cell = Cell::new((c.cell)(r));
                cells.push(if c.numeric {
                    cell.set_alignment(CellAlignment::Right)
                } else {
                    cell
                });
            }
            t.add_row(cells);
        }
        format!("{t}\n")
    }

    /// A Markdown table preceded by the notice, conventions and sort order.
    pub fn markdown(&self) -> String {
        let cols = self.columns();
        let mut s = String::new();
        if let Some(n) = &self.report.notice {
            s.push_str(&format!("> **NOTICE:** {n}\n\n"));
        }
        s.push_str(&format!(
            "{}\n\nSorted by {}.\n\n",
            conventions_line(self.report),
            self.sorted_by
        ));
        let esc = |t: String| t.replace('|', "\\|");
        let headers: Vec<String> = cols.iter().map(|c| esc(c.header.clone())).collect();
        s.push_str(&format!("| # | {} |\n", headers.join(" | ")));
        s.push_str(&format!("|---|{}\n", "---|".repeat(cols.len())));
        for (i, r) in self.rows.iter().enumerate() {
            let cells: Vec<String> = cols.iter().map(|c| esc((c.cell)(r))).collect();
            s.push_str(&format!("| {} | {} |\n", i + 1, cells.join(" | ")));
        }
        s
    }

    /// CSV with the notice, conventions and sort order as `#` comment lines.
    pub fn csv(&self) -> Result<String, csv::Error> {
        let cols = self.columns();
        let mut s = String::new();
        if let Some(n) = &self.report.notice {
            s.push_str(&format!("# NOTICE: {n}\n"));
        }
        s.push_str(&format!(
            "# {}\n# sorted by {}\n",
            conventions_line(self.report),
            self.sorted_by
        ));
        // The header as plain names; in the rows every text field is quoted.
        let mut header = vec!["rank"];
        header.extend(cols.iter().flat_map(|c| c.csv.iter().map(|(k, _)| *k)));
        let mut h = csv::Writer::from_writer(Vec::new());
        h.write_record(&header)?;
        s.push_str(&String::from_utf8_lossy(
            &h.into_inner().map_err(|e| e.into_error())?,
        ));
        let mut w = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::NonNumeric)
            .from_writer(Vec::new());
        for (i, r) in self.rows.iter().enumerate() {
            let mut rec = vec![(i + 1).to_string()];
            for (_, f) in cols.iter().flat_map(|c| c.csv.iter()) {
                rec.push(match f(r) {
                    Field::Num(x) => x.map(|v| format!("{v:.4}")).unwrap_or_default(),
                    Field::Text(t) => t.unwrap_or_default(),
                    Field::Count(n) => n.to_string(),
                });
            }
            w.write_record(&rec)?;
        }
        let bytes = w.into_inner().map_err(|e| e.into_error())?;
        s.push_str(&String::from_utf8_lossy(&bytes));
        Ok(s)
    }

    /// The JSON of `rank --format json`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "schema_version": crate::records::SCHEMA_VERSION,
            "notice": self.report.notice,
            "conventions": self.report.conventions,
            "network": self.report.network,
            "sorted_by": self.sorted_by,
            "rows": self.rows,
        })
    }
}
