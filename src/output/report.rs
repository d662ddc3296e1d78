//! The main job, `chepath report`: everything about a tree of calculations (ranking,
//! per-model summaries, JSON, CSV, Markdown, figures), computed once from one load and
//! written to one directory.

use super::rows::{self, By, Ranking, Row};
use crate::checks::lint::{self, LintReport};
use crate::dband::DbandValue;
use crate::error::Error;
use crate::load::Loaded;
use crate::pathway::Report;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// All results of a network and its dataset.
pub struct Bundle {
    pub loaded: Loaded,
    /// The pathway report, the linter's findings among its warnings.
    pub pathway: Report,
    pub lint: LintReport,
    pub dband: BTreeMap<String, DbandValue>,
    pub rows: Vec<Row>,
    pub by: By,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    schema_version: &'static str,
    notice: &'a Option<String>,
    sorted_by: String,
    rows: &'a [Row],
    pathway: &'a Report,
}

impl Bundle {
    /// Everything about a loaded network at `u`, `ph` (the file's where `None`), ranked by `by`.
    pub fn analyze(
        loaded: Loaded,
        u: Option<f64>,
        ph: Option<f64>,
        by: By,
        progress: &mut dyn FnMut(&str),
    ) -> Result<Bundle, Error> {
        progress("free-energy paths (CHE)");
        let mut pathway = crate::pathway::run(&loaded.file, &loaded.dataset, u, ph)?;
        let lint = lint::lint_network(&loaded.file, &loaded.dataset);
        lint::attach(&mut pathway, &lint);
        progress("d-band descriptors");
        let dband = crate::dband::model_centres(&loaded.file, &loaded.dataset)?;
        let rows = rows::rows(&pathway, &dband, by);
        Ok(Bundle {
            loaded,
            pathway,
            lint,
            dband,
            rows,
            by,
        })
    }

    /// The rows, ready to print.
    pub fn ranking(&self) -> Ranking<'_> {
        Ranking::new(&self.rows, &self.pathway, self.by)
    }
}

/// Read a tree (or network file) and compute everything (`progress(stage)` is called before
/// each stage).
pub fn build(
    root: &Path,
    template: Option<&str>,
    progress: &mut dyn FnMut(&str),
) -> Result<Bundle, Error> {
    progress("reading the calculations");
    let loaded = crate::load::load(root, template)?;
    Bundle::analyze(loaded, None, None, By::LimitingPotential, progress)
}

/// The file names `write` can produce, in order (the descriptor, screening, product-map and
/// PDOS plots only when there are d-band centres, a template descriptor, computable
/// products, `[dband]` entries).
pub const FILES: [&str; 13] = [
    "report.json",
    "report.csv",
    "report.md",
    "free_energy.svg",
    "free_energy.png",
    "dband_vs_UL.svg",
    "dband_vs_UL.png",
    "screening.svg",
    "screening.png",
    "product_map.svg",
    "product_map.png",
    "pdos.svg",
    "pdos.png",
];

/// The most models drawn on one free-energy diagram (the best by the ranking).
pub const DIAGRAM_MODELS: usize = 6;

/// Per-model summary in Markdown: the best path's steps, PDS, bottleneck, adsorption.
fn model_markdown(b: &Bundle) -> String {
    let r = &b.pathway;
    let mut label = rows::adsorption_label(r);
    if let Some(first) = label.get(..1) {
        label = first.to_uppercase() + &label[1..];
    }
    let mut s = String::new();
    for m in &r.models {
        s.push_str(&format!("\n### {}\n\n", m.name));
        if let (Some(ul), Some(p)) = (m.limiting_potential, &m.pds) {
            s.push_str(&format!(
                "U_L = {ul:+.3} V vs {}; PDS {} → {} (ΔG = {:+.3} eV).",
                r.conventions.scale, p.from, p.to, p.dg
            ));
        }
        if let Some(a) = m.adsorption_dg {
            s.push_str(&format!(
                " {label} ΔG = {a:+.3} eV ({}).",
                rows::adsorption_treatment(r).unwrap_or_default()
            ));
        }
        if let Some(c) = &m.chemical_bottleneck {
            s.push_str(&format!(
                " Chemical bottleneck {} → {} ({:+.3} eV).",
                c.from, c.to, c.dg
            ));
        }
        if let Some(h) = &m.her {
            s.push_str(&format!(" ΔG(H*) = {:+.3} eV.", h.dg_h));
        }
        s.push_str("\n\n| step | n | ΔG(U=0) (eV) | equation |\n|---|---|---|---|\n");
        if let Some(bi) = m.best_path {
            for (k, st) in m.paths[bi].steps.iter().enumerate() {
                let mark = if Some(k) == m.paths[bi].pds {
                    " **(PDS)**"
                } else {
                    ""
                };
                s.push_str(&format!(
                    "| {} → {}{mark} | {} | {:+.3} | {} |\n",
                    st.from, st.to, st.n, st.dg, st.equation
                ));
            }
        }
        s.push_str(&products_markdown(m, r));
        for w in &m.warnings {
            s.push_str(&format!("\n- warning: {w}"));
        }
        if !m.warnings.is_empty() {
            s.push('\n');
        }
    }
    s
}

/// A model's products as a Markdown table (U_L, PDS, chemical bottleneck, U_eq, or why not
/// computable) and the selectivity line.
fn products_markdown(m: &crate::pathway::che::ModelResult, r: &crate::pathway::Report) -> String {
    if m.products.is_empty() {
        return String::new();
    }
    let num = |x: Option<f64>| x.map(|v| format!("{v:+.3}")).unwrap_or_else(|| "-".into());
    let mut s = format!(
        "\n| product | U_L (V vs {}) | PDS | chemical bottleneck (eV) | U_eq (V) | note |\n|---|---|---|---|---|---|\n",
        r.conventions.scale
    );
    for p in &m.products {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            p.product,
            num(p.limiting_potential),
            p.pds
                .as_ref()
                .map(|d| format!("{} → {}", d.from, d.to))
                .unwrap_or_else(|| "-".into()),
            p.chemical_bottleneck
                .as_ref()
                .map(|c| format!("{} → {} ({:+.2})", c.from, c.to, c.dg))
                .unwrap_or_else(|| "-".into()),
            num(p.u_eq),
            p.note.clone().unwrap_or_default().replace('|', "/"),
        ));
    }
    if let Some(sel) = &m.selectivity {
        if let Some(first) = &sel.first {
            s.push_str(&format!("\nSelectivity: {first} first"));
            if !sel.tied_with_first.is_empty() {
                s.push_str(&format!(", tied with {}", sel.tied_with_first.join(", ")));
            } else if let (Some(second), Some(d)) = (&sel.second, sel.margin) {
                s.push_str(&format!(", {d:.3} V before {second}"));
                if !sel.tied_with_second.is_empty() {
                    s.push_str(&format!(" (tied with {})", sel.tied_with_second.join(", ")));
                }
            }
            s.push_str(&format!(" ({}).\n", sel.basis));
        }
    }
    s
}

/// The figures after the free-energy diagram, as Markdown: those that will be written.
fn figures_markdown(b: &Bundle) -> String {
    let mut v = Vec::new();
    if super::figures::descriptor_plot(&b.pathway, &b.rows).is_ok() {
        v.push("![U_L against d-band centre](dband_vs_UL.png)");
    }
    if super::figures::screening_plot(&b.pathway, &b.rows).is_ok() {
        v.push("![U_L against the screening descriptor](screening.png)");
    }
    if super::figures::product_map(&b.pathway, (1400, 380)).is_ok() {
        v.push("![product map: each product's limiting step against U](product_map.png)");
    }
    if !b.loaded.file.dband.is_empty() {
        v.push("![d-projected DOS](pdos.png)");
    }
    v.join("\n\n")
}

/// The refusal to write over a report: an I/O error (exit 3, as for any output that
/// exists) naming the files, unless `force`. Callers check it before any work.
pub fn refuse_existing(out: &Path, force: bool) -> Result<(), Error> {
    let present = existing(out);
    if force || present.is_empty() {
        return Ok(());
    }
    Err(Error::Parse(vasp_parsers::ParseError {
        kind: vasp_parsers::ErrorKind::Io,
        file: out.display().to_string(),
        line: None,
        expected: "a directory without a report".into(),
        found: format!("{} already exist(s)", present.join(", ")),
        hint: "chepath does not overwrite files: pass --force or choose another directory".into(),
    }))
}

/// The report files that already exist in `out`.
pub fn existing(out: &Path) -> Vec<&'static str> {
    FILES
        .iter()
        .copied()
        .filter(|f| out.join(f).exists())
        .collect()
}

/// Write every report file into `out` (created if needed). Existing files are refused
/// unless `force`. Returns the paths written.
pub fn write(
    b: &Bundle,
    out: &Path,
    force: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(out).map_err(|e| Error::write(out, &e))?;
    refuse_existing(out, force)?;
    let ranking = b.ranking();
    let mut written = Vec::new();
    progress("report.json, report.csv, report.md");
    let json = serde_json::to_string_pretty(&JsonOut {
        schema_version: crate::records::SCHEMA_VERSION,
        notice: &b.pathway.notice,
        sorted_by: ranking.sorted_by.clone(),
        rows: &b.rows,
        pathway: &b.pathway,
    })
    .map_err(|e| Error::input(e.to_string()))?;
    let csv = ranking.csv().map_err(|e| Error::input(e.to_string()))?;
    let read = super::rows::layout_lines(&b.pathway, usize::MAX)
        .iter()
        .map(|l| format!("    {l}\n"))
        .collect::<String>();
    let md = format!(
        "# chepath report: {}\n\n{}\nHow the files were read:\n\n{read}\n## Figures\n\n![free-energy diagram](free_energy.png)\n\n{}\n\n## Models\n{}",
        b.pathway.network.description,
        ranking.markdown(),
        figures_markdown(b),
        model_markdown(b)
    );
    for (name, text) in [
        ("report.json", json + "\n"),
        ("report.csv", csv),
        ("report.md", md),
    ] {
        let p = out.join(name);
        super::write_file(&p, text.as_bytes()).map_err(|e| Error::write(&p, &e))?;
        written.push(p);
    }
    write_figures(b, out, &mut written, progress)?;
    Ok(written)
}

/// A figure that could not be drawn: a write error keeps its path and reason.
fn plot_error(e: super::plot::PlotError) -> Error {
    match e {
        super::plot::PlotError::Write(path, reason) => Error::Write { path, reason },
        e => Error::input(e.to_string()),
    }
}

/// The figures of a report (each as SVG and PNG): the free-energy diagram, the descriptor
/// and screening plots, the product map and the PDOS, each when the data has it.
fn write_figures(
    b: &Bundle,
    out: &Path,
    written: &mut Vec<PathBuf>,
    progress: &mut dyn FnMut(&str),
) -> Result<(), Error> {
    progress("free-energy diagram");
    let best: Vec<String> = b
        .rows
        .iter()
        .filter(|r| r.limiting_potential.is_some())
        .take(DIAGRAM_MODELS)
        .map(|r| r.model.clone())
        .collect();
    let many = b.rows.len() > DIAGRAM_MODELS && !best.is_empty();
    let mut d = super::figures::free_energy_diagram(
        &b.pathway,
        many.then_some(best.as_slice()),
        super::figures::Which::Best,
        false,
        (1400, 620),
        17,
    )
    .map_err(Error::Input)?;
    if many {
        d.caption.push(format!(
            "the {} best of {} models by {} (every model is in report.csv)",
            best.len(),
            b.rows.len(),
            b.ranking().sorted_by
        ));
    }
    for ext in ["svg", "png"] {
        let p = out.join(format!("free_energy.{ext}"));
        super::plot::draw_diagram(&d, &p).map_err(plot_error)?;
        written.push(p);
    }
    progress("descriptor plot");
    if let Ok(s) = super::figures::descriptor_plot(&b.pathway, &b.rows) {
        for ext in ["svg", "png"] {
            let p = out.join(format!("dband_vs_UL.{ext}"));
            super::plot::draw_scatter(&s, &p).map_err(plot_error)?;
            written.push(p);
        }
    }
    if let Ok(s) = super::figures::screening_plot(&b.pathway, &b.rows) {
        for ext in ["svg", "png"] {
            let p = out.join(format!("screening.{ext}"));
            super::plot::draw_scatter(&s, &p).map_err(plot_error)?;
            written.push(p);
        }
    }
    if let Ok(m) = super::figures::product_map(&b.pathway, (1400, 380)) {
        progress("product map");
        for ext in ["svg", "png"] {
            let p = out.join(format!("product_map.{ext}"));
            super::plot::draw_lines(&m, &p).map_err(plot_error)?;
            written.push(p);
        }
    }
    progress("PDOS plot");
    if !b.loaded.file.dband.is_empty() {
        let p = super::figures::pdos_overlay(&b.loaded.file, &b.loaded.dataset)?;
        for ext in ["svg", "png"] {
            let f = out.join(format!("pdos.{ext}"));
            super::plot::draw_pdos(&p, &f).map_err(plot_error)?;
            written.push(f);
        }
    }
    Ok(())
}
