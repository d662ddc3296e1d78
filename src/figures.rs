//! Figures of results: free-energy diagrams from a pathway report.

use crate::che::{ModelResult, PathResult, Report};
use crate::plot::{Diagram, DiagramPanel, DiagramPath};

/// Which path(s) of each model to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Best,
    Greedy,
    All,
}

fn chosen(m: &ModelResult, which: Which) -> Vec<(String, &PathResult)> {
    match which {
        Which::Best => m
            .best_path
            .map(|i| vec![(m.name.clone(), &m.paths[i])])
            .unwrap_or_default(),
        Which::Greedy => m
            .greedy_path
            .map(|i| vec![(format!("{} (greedy)", m.name), &m.paths[i])])
            .unwrap_or_default(),
        Which::All => m
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    format!(
                        "{} path {} (U_L {})",
                        m.name,
                        i + 1,
                        p.limiting_potential
                            .map(|u| format!("{u:+.2} V"))
                            .unwrap_or_else(|| "-".into())
                    ),
                    p,
                )
            })
            .collect(),
    }
}

/// ΔG of each step at potential `u` (on the report's scale): ΔG(0) + n·u for the steps
/// that move with U.
pub fn dg_at(p: &PathResult, u: f64) -> Vec<f64> {
    p.steps
        .iter()
        .map(|s| s.dg0 + s.slope() as f64 * u)
        .collect()
}

/// A free-energy diagram: one panel at the report's U, and (unless `single`) one where each
/// model sits at its own limiting potential, so every step of its path is downhill or level.
pub fn free_energy_diagram(
    r: &Report,
    models: Option<&[String]>,
    which: Which,
    single: bool,
    size: (u32, u32),
    font: u32,
) -> Result<Diagram, String> {
    let picked: Vec<&ModelResult> = r
        .models
        .iter()
        .filter(|m| models.is_none_or(|l| l.iter().any(|x| x == &m.name)))
        .collect();
    if picked.is_empty() {
        let names: Vec<&str> = r.models.iter().map(|m| m.name.as_str()).collect();
        return Err(format!(
            "no model selected: the network has {}",
            names.join(", ")
        ));
    }
    let c = &r.conventions;
    let mut at_u = Vec::new();
    let mut at_ul = Vec::new();
    for m in &picked {
        for (label, p) in chosen(m, which) {
            at_u.push(DiagramPath {
                label: label.clone(),
                states: p.states.clone(),
                dg: dg_at(p, c.u),
                pds: p.pds,
            });
            if let Some(ul) = p.limiting_potential {
                at_ul.push(DiagramPath {
                    label: format!("{label} at U_L = {ul:+.2} V"),
                    states: p.states.clone(),
                    dg: dg_at(p, ul),
                    pds: p.pds,
                });
            }
        }
    }
    if at_u.is_empty() {
        return Err("no model has a complete path to draw".into());
    }
    let mut panels = vec![DiagramPanel {
        title: format!(
            "{} at U = {:+.2} V vs {}",
            r.network.name.to_uppercase(),
            c.u,
            c.scale
        ),
        paths: at_u,
    }];
    if !single && !at_ul.is_empty() {
        panels.push(DiagramPanel {
            title: format!(
                "each model at its limiting potential U_L (V vs {}): every step downhill or level",
                c.scale
            ),
            paths: at_ul,
        });
    }
    let mut caption = vec![
        format!(
            "CHE (Nørskov 2004): pH {}, {} K, energies {}, nitrate adsorption {}, nitrate correction {} eV; levels: G relative to the initial state",
            c.ph,
            c.temperature,
            if c.energy == "toten" { "TOTEN (F)" } else { "E(σ→0)" },
            c.nitrate_adsorption,
            c.nitrate_correction
        ),
        format!("{}: {} → {}; thick solid connector = potential-determining step; dashed = other steps", r.network.description, r.network.initial, r.network.final_),
    ];
    if let Some(n) = &r.notice {
        caption.insert(0, n.clone());
    }
    let n = panels.len() as u32;
    // `size.1` is the height of one panel; the caption adds two lines.
    Ok(Diagram {
        panels,
        caption,
        size: (size.0, size.1 * n.max(1) + 2 * (font + 10) + 12),
        font,
    })
}

/// d-band centre against limiting potential, one labelled point per model that has both.
pub fn descriptor_plot(
    r: &Report,
    rows: &[crate::summary::Row],
) -> Result<crate::plot::Scatter, String> {
    let points: Vec<crate::plot::Point> = rows
        .iter()
        .filter_map(|row| {
            let c = row.dband.as_ref()?.center?;
            let u = row.limiting_potential?;
            Some(crate::plot::Point {
                label: row.model.clone(),
                x: c,
                y: u,
            })
        })
        .collect();
    if points.is_empty() {
        return Err("no model has both a d-band centre ([dband.MODEL] or a DOSCAR in ROOT/<model>/slab/) and a limiting potential".into());
    }
    let settings = rows
        .iter()
        .find_map(|r| r.dband.as_ref().map(|d| d.settings.clone()))
        .unwrap_or_default();
    Ok(crate::plot::Scatter {
        title: format!(
            "{}: limiting potential against d-band centre",
            r.network.name.to_uppercase()
        ),
        x_desc: "d-band centre ε_d − E_F (eV)".into(),
        y_desc: format!("U_L (V vs {})", r.conventions.scale),
        points,
        caption: r
            .notice
            .iter()
            .cloned()
            .chain([
                format!("ε_d: {settings}, pooled over each model's selection (see `chepath rank`)"),
                format!(
                    "U_L: CHE at pH {}, {} K, energies {}",
                    r.conventions.ph,
                    r.conventions.temperature,
                    if r.conventions.energy == "toten" {
                        "TOTEN"
                    } else {
                        "E(σ→0)"
                    }
                ),
            ])
            .collect(),
        size: (900, 640),
    })
}
