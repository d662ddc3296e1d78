//! The main job, `chepath report`: everything about a tree of calculations in one directory
//! of outputs (ranking, per-model summaries, JSON, CSV, Markdown, figures).

use crate::error::Error;
use crate::summary::{self, By, DbandValue, Row};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// All results of a tree.
pub struct Bundle {
    pub file: crate::network::NetworkFile,
    pub base: PathBuf,
    pub pathway: crate::che::Report,
    pub dband: BTreeMap<String, DbandValue>,
    pub rows: Vec<Row>,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    schema_version: &'static str,
    notice: &'a Option<String>,
    sorted_by: String,
    rows: &'a [Row],
    pathway: &'a crate::che::Report,
}

/// Compute everything (`progress(stage)` is called before each stage).
pub fn build(
    root: &Path,
    template: Option<&str>,
    progress: &mut dyn FnMut(&str),
) -> Result<Bundle, Error> {
    progress("reading the calculations");
    let (file, base) = crate::calc::load_network(root, template)?;
    progress("free-energy paths (CHE)");
    let pathway = crate::che::run(&file, &base, None, None)?;
    progress("d-band descriptors");
    let dband = summary::dband_values(&file, &base)?;
    let rows = summary::rows(&pathway, &dband, By::LimitingPotential);
    Ok(Bundle {
        file,
        base,
        pathway,
        dband,
        rows,
    })
}

/// The file names `write` produces, in order.
pub const FILES: [&str; 9] = [
    "report.json",
    "report.csv",
    "report.md",
    "free_energy.svg",
    "free_energy.png",
    "dband_vs_UL.svg",
    "dband_vs_UL.png",
    "pdos.svg",
    "pdos.png",
];

/// Per-model summary in Markdown: the best path's steps, PDS, bottleneck, adsorption.
fn model_markdown(b: &Bundle) -> String {
    let mut s = String::new();
    for m in &b.pathway.models {
        s.push_str(&format!("\n### {}\n\n", m.name));
        if let (Some(ul), Some(p)) = (m.limiting_potential, &m.pds) {
            s.push_str(&format!(
                "U_L = {ul:+.3} V vs {}; PDS {} → {} (ΔG = {:+.3} eV).",
                b.pathway.conventions.scale, p.from, p.to, p.dg
            ));
        }
        if let Some(a) = m.adsorption_dg {
            s.push_str(&format!(
                " Nitrate adsorption ΔG = {a:+.3} eV ({}).",
                b.pathway.conventions.nitrate_adsorption
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
        for w in &m.warnings {
            s.push_str(&format!("\n- warning: {w}"));
        }
        if !m.warnings.is_empty() {
            s.push('\n');
        }
    }
    s
}

/// Write every report file into `out` (created if needed). Existing files are refused
/// unless `force`. Returns the paths written.
pub fn write(
    b: &Bundle,
    out: &Path,
    force: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(out)
        .map_err(|e| Error::Parse(vasp_parsers::ParseError::io(out, &e)))?;
    if !force {
        let existing: Vec<&str> = FILES
            .iter()
            .copied()
            .filter(|f| out.join(f).exists())
            .collect();
        if !existing.is_empty() {
            return Err(Error::Input(format!(
                "{}: {} already exist(s); chepath does not overwrite files: pass --force or choose another directory",
                out.display(),
                existing.join(", ")
            )));
        }
    }
    let io = |p: &Path, e: std::io::Error| Error::Parse(vasp_parsers::ParseError::io(p, &e));
    let sort = summary::sort_description(By::LimitingPotential, &b.pathway.network.direction);
    let mut written = Vec::new();
    progress("report.json, report.csv, report.md");
    let json = serde_json::to_string_pretty(&JsonOut {
        schema_version: crate::records::SCHEMA_VERSION,
        notice: &b.pathway.notice,
        sorted_by: sort.clone(),
        rows: &b.rows,
        pathway: &b.pathway,
    })
    .map_err(|e| Error::Input(e.to_string()))?;
    for (name, text) in [
        ("report.json", json + "\n"),
        ("report.csv", summary::csv(&b.rows, &b.pathway, &sort)),
        (
            "report.md",
            format!(
                "# chepath report: {}\n\n{}\n## Figures\n\n![free-energy diagram](free_energy.png)\n\n![U_L against d-band centre](dband_vs_UL.png)\n\n![d-projected DOS](pdos.png)\n\n## Models\n{}",
                b.pathway.network.description,
                summary::markdown(&b.rows, &b.pathway, &sort),
                model_markdown(b)
            ),
        ),
    ] {
        let p = out.join(name);
        std::fs::write(&p, text).map_err(|e| io(&p, e))?;
        written.push(p);
    }
    progress("free-energy diagram");
    let d = crate::figures::free_energy_diagram(
        &b.pathway,
        None,
        crate::figures::Which::Best,
        false,
        (1400, 620),
        17,
    )
    .map_err(Error::Input)?;
    for ext in ["svg", "png"] {
        let p = out.join(format!("free_energy.{ext}"));
        crate::plot::draw_diagram(&d, &p).map_err(|e| Error::Input(e.to_string()))?;
        written.push(p);
    }
    progress("descriptor plot");
    if let Ok(s) = crate::figures::descriptor_plot(&b.pathway, &b.rows) {
        for ext in ["svg", "png"] {
            let p = out.join(format!("dband_vs_UL.{ext}"));
            crate::plot::draw_scatter(&s, &p).map_err(|e| Error::Input(e.to_string()))?;
            written.push(p);
        }
    }
    progress("PDOS plot");
    if !b.file.dband.is_empty() {
        let p = summary::pdos_overlay(&b.file, &b.base)?;
        for ext in ["svg", "png"] {
            let f = out.join(format!("pdos.{ext}"));
            crate::plot::draw_pdos(&p, &f).map_err(|e| Error::Input(e.to_string()))?;
            written.push(f);
        }
    }
    Ok(written)
}
