//! One row per catalyst model: the numbers people rank models by, with the conventions they
//! were computed under. Shared by `rank`, `check` and `report`.

use crate::che::Report;
use crate::error::Error;
use crate::network::NetworkFile;
use serde::Serialize;
use std::path::Path;

/// The d-band centre of a model and how it was taken.
#[derive(Debug, Clone, Serialize)]
pub struct DbandValue {
    /// eV from E-fermi (pooled over the selection).
    pub center: Option<f64>,
    pub file: String,
    pub atoms: String,
    /// e.g. `d, spin sum, full window`.
    pub settings: String,
}

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
    #[serde(rename = "adsorption_dG")]
    pub adsorption_dg: Option<f64>,
    pub chemical_bottleneck: Option<String>,
    #[serde(rename = "chemical_bottleneck_dG")]
    pub chemical_bottleneck_dg: Option<f64>,
    pub overpotential: Option<f64>,
    pub dband: Option<DbandValue>,
    pub warnings: usize,
}

/// How to sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// Best limiting potential first (highest for reductions, lowest for oxidations).
    LimitingPotential,
    /// Most negative nitrate-adsorption ΔG first.
    Adsorption,
    /// d-band centre closest to E-fermi (highest) first.
    Dband,
}

/// d-band centres of the models that have a `[dband]` entry.
pub fn dband_values(
    file: &NetworkFile,
    base: &Path,
) -> Result<std::collections::BTreeMap<String, DbandValue>, Error> {
    let mut out = std::collections::BTreeMap::new();
    for (model, spec) in &file.dband {
        let window = match spec.window.as_deref().unwrap_or("full") {
            "full" => crate::dband::Window::Full,
            "vaspkit" => crate::dband::Window::VASPKIT,
            w => {
                let (a, b) = w.split_once(':').ok_or_else(|| {
                    Error::Input(format!(
                        "dband.{model}.window = '{w}': expected full, vaspkit or MIN:MAX"
                    ))
                })?;
                let (a, b) = (a.trim().parse::<f64>(), b.trim().parse::<f64>());
                match (a, b) {
                    (Ok(a), Ok(b)) if b > a => crate::dband::Window::Range { min: a, max: b },
                    _ => {
                        return Err(Error::Input(format!(
                            "dband.{model}.window = '{w}': expected MIN:MAX with MIN < MAX"
                        )))
                    }
                }
            }
        };
        let req = crate::calc::DbandRequest {
            path: base.join(&spec.path),
            structure: None,
            atoms: spec.atoms.clone(),
            cutoff: crate::select::DEFAULT_CUTOFF,
            settings: crate::dband::Settings {
                window,
                ..Default::default()
            },
            noncollinear: None,
        };
        let (r, _) = crate::calc::dband(&req)?;
        out.insert(
            model.clone(),
            DbandValue {
                center: r.pooled.values.map(|v| v.center),
                file: r.source.dos_file.clone(),
                atoms: format!(
                    "{} → {}",
                    r.selection.expression,
                    r.selection
                        .indices
                        .iter()
                        .map(|i| i.to_string())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
                settings: format!(
                    "{}, spin sum, {}",
                    r.settings.orbital.name(),
                    r.settings.window.describe()
                ),
            },
        );
    }
    Ok(out)
}

/// Rows of a pathway report, sorted; ties broken by model name.
pub fn rows(
    report: &Report,
    dband: &std::collections::BTreeMap<String, DbandValue>,
    by: By,
) -> Vec<Row> {
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
            dband: dband.get(&m.name).cloned(),
            warnings: m.warnings.len(),
        })
        .collect();
    let ox = report.network.direction == "oxidation";
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
        }
    };
    rows.sort_by(|a, b| {
        key(a)
            .total_cmp(&key(b))
            .then_with(|| a.model.cmp(&b.model))
    });
    rows
}

/// The d-projected DOS of several models on one figure (pooled over each model's selection).
pub fn pdos_overlay(file: &NetworkFile, base: &Path) -> Result<crate::plot::PdosPlot, Error> {
    use crate::plot::{PdosPlot, PdosSeries};
    let mut series = Vec::new();
    let mut energies: Option<Vec<f64>> = None;
    let mut grids_differ = false;
    for (model, spec) in &file.dband {
        let req = crate::calc::DbandRequest {
            path: base.join(&spec.path),
            structure: None,
            atoms: spec.atoms.clone(),
            cutoff: crate::select::DEFAULT_CUTOFF,
            settings: crate::dband::Settings::default(),
            noncollinear: None,
        };
        let (r, loaded) = crate::calc::dband(&req)?;
        let d = crate::dband::densities(
            &loaded.dos,
            &r.selection.indices,
            &crate::dband::Orbital::L(2),
        )?;
        let e = loaded.dos.energies_relative();
        // one energy grid for the figure: resample other grids linearly onto the first
        let grid = energies.get_or_insert_with(|| e.clone()).clone();
        let resample = |y: &[f64]| -> Vec<f64> {
            if e == grid {
                return y.to_vec();
            }
            grid.iter()
                .map(|x| {
                    let k = e.partition_point(|v| v < x);
                    if k == 0 || k >= e.len() {
                        0.0
                    } else {
                        let t = (x - e[k - 1]) / (e[k] - e[k - 1]);
                        y[k - 1] * (1.0 - t) + y[k] * t
                    }
                })
                .collect()
        };
        if e != grid {
            grids_differ = true;
        }
        let (up, down) = match (d.up, d.down) {
            (Some(u), Some(w)) => (resample(&u), Some(resample(&w))),
            _ => (resample(&d.sum), None),
        };
        series.push(PdosSeries {
            label: format!("{model} ({})", r.selection.expression),
            up,
            down,
            center: r.pooled.values.map(|v| v.center),
        });
    }
    let energies = energies.ok_or_else(|| {
        Error::Input("no model has a [dband] entry (or a DOSCAR in ROOT/<model>/slab/)".into())
    })?;
    let mut caption: Vec<String> = file.notice.iter().cloned().collect();
    caption.push("d-projected DOS pooled over each model's selection; spin sum for the centres (dashed); E_F of each DOS file at 0".to_string());
    if grids_differ {
        caption.push(
            "the models' energy grids differ: resampled linearly onto the first model's".into(),
        );
    }
    Ok(PdosPlot {
        energies,
        series,
        title: "d-projected DOS of the models".into(),
        caption,
        xlim: (-10.0, 5.0),
        size: (1000, 640),
    })
}

fn opt(x: Option<f64>, d: usize) -> String {
    x.map(|v| format!("{v:+.d$}")).unwrap_or_else(|| "-".into())
}

/// How a sort key is described to readers.
pub fn sort_description(by: By, direction: &str) -> String {
    match by {
        By::LimitingPotential => format!(
            "limiting potential ({direction}: {} first)",
            if direction == "oxidation" {
                "lowest"
            } else {
                "highest"
            }
        ),
        By::Adsorption => "nitrate adsorption ΔG (most negative first)".into(),
        By::Dband => "d-band centre (closest to E-fermi first)".into(),
    }
}

/// The conventions as one line.
pub fn conventions_line(r: &Report) -> String {
    let c = &r.conventions;
    format!(
        "conventions: U = {} V vs {}, pH = {}, T = {} K, energy = {}, nitrate correction = {} eV, nitrate adsorption = {}, soft-mode floor = {}",
        c.u,
        c.scale,
        c.ph,
        c.temperature,
        if c.energy == "toten" { "TOTEN (F)" } else { "energy(sigma->0) (E0)" },
        c.nitrate_correction,
        c.nitrate_adsorption,
        if c.soft_mode_floor > 0.0 { format!("{} cm-1 (entropy)", c.soft_mode_floor) } else { "off".into() }
    )
}

/// Rows as CSV, with the notice, conventions and sort order as comment lines.
pub fn csv(rows: &[Row], r: &Report, sort: &str) -> String {
    let mut s = String::new();
    if let Some(n) = &r.notice {
        s.push_str(&format!("# NOTICE: {n}\n"));
    }
    s.push_str(&format!("# {}\n# sorted by {sort}\n", conventions_line(r)));
    s.push_str("rank,model,limiting_potential_V,pds,pds_dG_eV,adsorption_dG_eV,chemical_bottleneck,chemical_bottleneck_dG_eV,dband_center_eV,warnings\n");
    let q = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    let n = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
    for (i, row) in rows.iter().enumerate() {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            i + 1,
            q(&row.model),
            n(row.limiting_potential),
            q(row.pds.as_deref().unwrap_or("")),
            n(row.pds_dg),
            n(row.adsorption_dg),
            q(row.chemical_bottleneck.as_deref().unwrap_or("")),
            n(row.chemical_bottleneck_dg),
            n(row.dband.as_ref().and_then(|d| d.center)),
            row.warnings
        ));
    }
    s
}

/// Rows as a Markdown table, preceded by the notice, conventions and sort order.
pub fn markdown(rows: &[Row], r: &Report, sort: &str) -> String {
    let scale = &r.conventions.scale;
    let mut s = String::new();
    if let Some(n) = &r.notice {
        s.push_str(&format!("> **NOTICE:** {n}\n\n"));
    }
    s.push_str(&format!("{}\n\nSorted by {sort}.\n\n", conventions_line(r)));
    s.push_str(&format!("| # | model | U_L (V vs {scale}) | PDS | ΔG PDS (eV) | ΔG ads NO3 (eV) | chemical bottleneck | ε_d (eV) | warnings |\n"));
    s.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for (i, row) in rows.iter().enumerate() {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            row.model,
            opt(row.limiting_potential, 3),
            row.pds.as_deref().unwrap_or("-"),
            opt(row.pds_dg, 3),
            opt(row.adsorption_dg, 3),
            match (&row.chemical_bottleneck, row.chemical_bottleneck_dg) {
                (Some(c), Some(g)) => format!("{c} ({g:+.2})"),
                _ => "-".into(),
            },
            opt(row.dband.as_ref().and_then(|d| d.center), 3),
            row.warnings
        ));
    }
    s
}
