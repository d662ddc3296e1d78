//! Figures of results: free-energy diagrams from a pathway report, the descriptor plot of a
//! ranking, and d-projected DOS plots, as data for [`super::plot`] to draw.

use super::plot::{
    literal, pretty_formulas, Diagram, DiagramPanel, DiagramPath, PdosPlot, PdosSeries,
};
use crate::dband::{densities, AtomResult, DbandError, Orbital, Settings, Window};
use crate::error::Error;
use crate::load::Dataset;
use crate::network::NetworkFile;
use crate::pathway::che::{ModelResult, PathResult};
use crate::pathway::Report;
use vasp_parsers::doscar::Doscar;

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
            .map(|i| vec![(literal(&m.name), &m.paths[i])])
            .unwrap_or_default(),
        Which::Greedy => m
            .greedy_path
            .map(|i| vec![(format!("{} (greedy)", literal(&m.name)), &m.paths[i])])
            .unwrap_or_default(),
        Which::All => m
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    format!(
                        "{} path {} (U_L {})",
                        literal(&m.name),
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

/// The barrier of each step at potential `u` (`None` where the step has no transition
/// state): Ea(U) as [`crate::pathway::che::barriers::StepBarrier::at`] says.
pub fn barriers_at(p: &PathResult, u: f64) -> Vec<Option<f64>> {
    p.steps
        .iter()
        .map(|s| s.barrier.as_ref().map(|b| b.at(s.slope(), u)))
        .collect()
}

/// A model's colour in every figure: its place among the report's models (sorted by name),
/// so that CuN4 is the same colour in the diagram, the scatter and the PDOS.
pub fn model_colour<'a>(models: impl IntoIterator<Item = &'a String>, name: &str) -> usize {
    models.into_iter().position(|m| m == name).unwrap_or(0)
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
    let (at_u, at_ul) = diagram_paths(r, &picked, which);
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
        // What is true at U_L: the steps that bound U_L from above are downhill or level;
        // chemical steps (and any step moving the other way) are as they are.
        panels.push(DiagramPanel {
            title: format!(
                "each model at its limiting potential U_L (V vs {}): electron-{} steps downhill or level, chemical steps as they are",
                c.scale,
                if r.network.direction == crate::pathway::che::Direction::Oxidation {
                    "releasing"
                } else {
                    "consuming"
                }
            ),
            paths: at_ul,
        });
    }
    let humps = panels
        .iter()
        .flat_map(|p| &p.paths)
        .any(|p| p.barriers.iter().any(Option::is_some));
    let mut caption = diagram_caption(r, humps);
    if states_differ(&panels[0]) {
        caption.push(
            "where the models take different states at one position, each such state is named in the colour of the model taking it (black: taken by several)".into(),
        );
    }
    if let Some(n) = &r.notice {
        caption.insert(0, n.clone());
    }
    let n = panels.len() as u32;
    // `size.1` is the height of one panel; the caption adds two lines and one per note.
    let lines = 2 + u32::from(humps) + u32::from(states_differ(&panels[0]));
    Ok(Diagram {
        panels,
        caption,
        size: (size.0, size.1 * n.max(1) + lines * (font + 10) + 12),
        font,
    })
}

/// The paths `which` of the picked models at the report's U, and at each path's own U_L.
fn diagram_paths(
    r: &Report,
    picked: &[&ModelResult],
    which: Which,
) -> (Vec<DiagramPath>, Vec<DiagramPath>) {
    let c = &r.conventions;
    let mut at_u = Vec::new();
    let mut at_ul = Vec::new();
    for m in picked {
        for (label, p) in chosen(m, which) {
            at_u.push(DiagramPath {
                label: label.clone(),
                states: p.states.clone(),
                dg: dg_at(p, c.u),
                pds: p.pds,
                barriers: barriers_at(p, c.u),
                colour: model_colour(r.models.iter().map(|x| &x.name), &m.name),
            });
            if let Some(ul) = p.limiting_potential {
                let closed = if p.window.empty {
                    " (no U makes every electrochemical step downhill)"
                } else {
                    ""
                };
                at_ul.push(DiagramPath {
                    label: format!("{label} at U_L = {ul:+.2} V{closed}"),
                    states: p.states.clone(),
                    dg: dg_at(p, ul),
                    pds: p.pds,
                    barriers: barriers_at(p, ul),
                    colour: model_colour(r.models.iter().map(|x| &x.name), &m.name),
                });
            }
        }
    }
    (at_u, at_ul)
}

/// Panels of the same paths at each of `potentials` (V on the report's scale): the levels,
/// PDS and barriers at that U (`diagram --at 0,-0.75`).
pub fn panels_at(
    r: &Report,
    models: Option<&[String]>,
    which: Which,
    potentials: &[f64],
) -> Vec<DiagramPanel> {
    let c = &r.conventions;
    potentials
        .iter()
        .map(|&u| DiagramPanel {
            title: format!(
                "{} at U = {u:+.2} V vs {}",
                r.network.name.to_uppercase(),
                c.scale
            ),
            paths: r
                .models
                .iter()
                .filter(|m| models.is_none_or(|l| l.iter().any(|x| x == &m.name)))
                .flat_map(|m| {
                    chosen(m, which)
                        .into_iter()
                        .map(move |(label, p)| DiagramPath {
                            label,
                            states: p.states.clone(),
                            dg: dg_at(p, u),
                            pds: p.pds,
                            barriers: barriers_at(p, u),
                            colour: model_colour(r.models.iter().map(|x| &x.name), &m.name),
                        })
                })
                .collect(),
        })
        .collect()
}

/// Whether two paths of a panel take different states at one position.
fn states_differ(panel: &DiagramPanel) -> bool {
    let n = panel
        .paths
        .iter()
        .map(|p| p.states.len())
        .max()
        .unwrap_or(0);
    (0..n).any(|k| {
        let mut names = panel.paths.iter().filter_map(|p| p.states.get(k));
        match names.next() {
            Some(first) => names.any(|x| x != first),
            None => false,
        }
    })
}

/// The caption of a free-energy diagram: the conventions, the network, what the line styles
/// mean, and (with `humps`) what the transition states are.
fn diagram_caption(r: &Report, humps: bool) -> Vec<String> {
    let c = &r.conventions;
    let mut settings = vec![
        format!("pH {}", c.ph),
        format!("{} K", c.temperature),
        format!("energies {}", c.energy.symbol()),
    ];
    settings.extend(super::rows::reaction_settings(r, " "));
    let mut caption = vec![
        format!(
            "CHE (Nørskov 2004): {}; levels: G relative to the initial state",
            settings.join(", ")
        ),
        format!(
            "{}: {} → {}; thick solid connector = potential-determining step; dashed = other steps",
            pretty_formulas(&r.network.description),
            pretty_formulas(&r.network.initial),
            pretty_formulas(&r.network.final_)
        ),
    ];
    if humps {
        caption.push(
            "humps: transition states from [barriers], Ea above the step's initial level at each panel's U (Ea moves with U only where a transfer coefficient β is given)".into(),
        );
    }
    caption
}

/// The ΔG per electron at U of a path's limiting step: max_i((ΔG_i(0) + n_i·U)/|n_i|) over
/// the steps that move with U. Every such step is downhill where it is ≤ 0; for a reduction
/// the maximum crosses 0 at U_L. Per electron, so that a step of two electrons (a lumped
/// step, or the doubled one-N steps of a two-nitrate product) is on the same scale as the
/// others and rises by 1 eV per volt like them.
pub fn limiting_step_at(steps: &[crate::pathway::che::Step], u: f64) -> Option<f64> {
    steps
        .iter()
        .filter(|s| s.slope() != 0)
        .map(|s| (s.dg0 + s.slope() as f64 * u) / s.slope().abs() as f64)
        .reduce(f64::max)
}

/// One product per group, in the order the groups first appear: the member released
/// without an uphill chemical step, else the better U_L (`None` for a group of which no
/// member is computable, so that each group keeps its place and colour).
fn group_members(
    products: &[crate::pathway::che::products::ProductResult],
) -> Vec<Option<&crate::pathway::che::products::ProductResult>> {
    let mut groups: Vec<&str> = Vec::new();
    for p in products {
        if !groups.contains(&p.group.as_str()) {
            groups.push(&p.group);
        }
    }
    groups
        .iter()
        .map(|g| {
            let members = products.iter().filter(|p| p.group == *g);
            let score = |p: &&crate::pathway::che::products::ProductResult| {
                let blocked = p.release.as_ref().is_some_and(|x| x.blocks());
                (
                    p.limiting_potential.is_some(),
                    !blocked,
                    p.limiting_potential.unwrap_or(f64::MIN),
                )
            };
            members.max_by(|a, b| {
                let (x, y) = (score(a), score(b));
                x.0.cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.total_cmp(&y.2))
            })
        })
        .collect()
}

/// A product as the product map names it: its group, with the member drawn.
fn name_of(p: &crate::pathway::che::products::ProductResult) -> String {
    if p.group == p.product {
        p.product.clone()
    } else {
        format!("{} (as {})", p.group, p.product)
    }
}

/// The product map: per model, each product's limiting-step ΔG against U (its best path),
/// zero where the product is first reached (U_L, marked). A product released by an uphill
/// chemical step (which no potential drives) is drawn thin. Products that are not computable
/// are named in the caption.
pub fn product_map(r: &Report, size: (u32, u32)) -> Result<super::plot::LinePlot, String> {
    use super::plot::{LinePanel, LineSeries2};
    let uls: Vec<f64> = r
        .models
        .iter()
        .flat_map(|m| m.products.iter().filter_map(|p| p.limiting_potential))
        .collect();
    if uls.is_empty() {
        return Err("no model has a computable product ([[products]] of the template)".into());
    }
    let lo = uls.iter().copied().fold(f64::INFINITY, f64::min) - 0.6;
    let hi = uls.iter().copied().fold(f64::NEG_INFINITY, f64::max) + 0.6;
    let mut panels = Vec::new();
    let mut missing = Vec::new();
    for m in r.models.iter().filter(|m| !m.products.is_empty()) {
        let mut series: Vec<LineSeries2> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (k, p) in group_members(&m.products).into_iter().enumerate() {
            let Some(p) = p else {
                continue;
            };
            let Some(ul) = p.limiting_potential else {
                missing.push(format!(
                    "{} {}",
                    literal(&m.name),
                    pretty_formulas(&p.group)
                ));
                continue;
            };
            let points: Vec<(f64, f64)> = (0..=60)
                .filter_map(|i| {
                    let u = lo + (hi - lo) * i as f64 / 60.0;
                    limiting_step_at(&p.steps, u).map(|y| (u, y))
                })
                .collect();
            let blocked = p.release.as_ref().is_some_and(|x| x.blocks());
            let name = pretty_formulas(&name_of(p));
            let label = match (&p.release, blocked) {
                (Some(x), true) => format!("{name}: released uphill, {:+.2} eV", x.dg),
                _ => name,
            };
            // a line another product already draws (N2O and N2 sharing their limiting step)
            // would hide it: say so in the legend
            let same = series.iter().zip(&names).find(|(o, _)| {
                o.points.len() == points.len()
                    && o.points
                        .iter()
                        .zip(&points)
                        .all(|(a, b)| (a.1 - b.1).abs() < 1e-9)
            });
            let label = match same {
                Some((_, o)) => format!("{label} (on the {o} line)"),
                None => label,
            };
            names.push(pretty_formulas(&name_of(p)));
            series.push(LineSeries2 {
                label,
                points,
                mark: Some((ul, 0.0, format!("{ul:+.2}"))),
                dashed: blocked,
                colour: k,
            });
        }
        let first = m
            .selectivity
            .as_ref()
            .and_then(|s| s.first.clone())
            .unwrap_or_else(|| "none".into());
        panels.push(LinePanel {
            title: format!(
                "{}: first reached {}",
                literal(&m.name),
                pretty_formulas(&first)
            ),
            series,
        });
    }
    let c = &r.conventions;
    let mut caption = vec![format!(
        "product map: each product's limiting step, max ΔG_i(U)/n_i (per electron) over the electrochemical steps of its best path; a product is reached where its line is ≤ 0 (dot: U_L); pH {}, {} K; chemical steps are not in the lines; thin line: released by an uphill chemical step",
        c.ph, c.temperature
    )];
    if !missing.is_empty() {
        caption.push(format!("not computable: {}", missing.join(", ")));
    }
    if let Some(n) = &r.notice {
        caption.insert(0, n.clone());
    }
    let n = panels.len() as u32;
    Ok(super::plot::LinePlot {
        panels,
        x_desc: format!("U (V vs {})", c.scale),
        y_desc: "ΔG per electron of the limiting step (eV)".into(),
        x_range: (lo, hi),
        caption,
        size: (size.0, size.1 * n.max(1) + 80),
    })
}

/// d-band centre against limiting potential, one labelled point per model that has both.
pub fn descriptor_plot(
    r: &Report,
    rows: &[super::rows::Row],
) -> Result<super::plot::Scatter, String> {
    let points: Vec<super::plot::Point> = rows
        .iter()
        .filter_map(|row| {
            let c = row.dband.as_ref()?.center?;
            let u = row.limiting_potential?;
            Some(super::plot::Point {
                label: literal(&row.model),
                x: c,
                y: u,
                labelled: true,
                colour: model_colour(r.models.iter().map(|x| &x.name), &row.model),
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
    Ok(super::plot::Scatter {
        curves: Vec::new(),
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
                    r.conventions.energy.symbol()
                ),
            ])
            .collect(),
        size: (900, 640),
    })
}

/// The most points a screening plot labels (the first of the ranking).
pub const SCREENING_LABELS: usize = 12;

/// The screening plot: U_L against the template's descriptor (ΔG(*OH) for ORR and OER,
/// ΔG(*H) for HER), one labelled point per model, the volcano's lines (from the template's
/// scaling relations) and their envelope (the lowest line for a reduction, the highest for
/// an oxidation).
pub fn screening_plot(
    r: &Report,
    rows: &[super::rows::Row],
) -> Result<super::plot::Scatter, String> {
    let sc = r
        .definition
        .screening
        .as_ref()
        .ok_or("the network has no screening descriptor ([screening] in its template)")?;
    let (mut points, left_out) = screening_points(r, rows);
    // Rows come sorted by the ranking: a crowded plot labels its best models only.
    let labelled = if points.len() > SCREENING_LABELS {
        SCREENING_LABELS
    } else {
        points.len()
    };
    for (k, p) in points.iter_mut().enumerate() {
        p.labelled = k < labelled;
    }
    if points.is_empty() {
        return Err(format!(
            "no model has both {} and a limiting potential",
            sc.descriptor
        ));
    }
    let curves = volcano_curves(r, sc, &points);
    let c = &r.conventions;
    let mut caption: Vec<String> = r.notice.iter().cloned().collect();
    caption.push(format!(
        "x: ΔG of {} from the clean site, H2O and (H+ + e-) at U = 0 V vs RHE; lines: {}",
        sc.descriptor, sc.source
    ));
    caption.push(format!(
        "U_L: CHE at pH {}, {} K, energies {}; {} model(s) drawn of {}{}",
        c.ph,
        c.temperature,
        c.energy.symbol(),
        points.len(),
        rows.len(),
        if labelled < points.len() {
            format!("; labelled: the first {labelled} of the ranking")
        } else {
            String::new()
        }
    ));
    if !left_out.is_empty() {
        let shown: Vec<&str> = left_out.iter().take(12).map(String::as_str).collect();
        caption.push(format!(
            "not drawn, implausible values (see their warnings and chepath lint): {} model(s): {}{}",
            left_out.len(),
            shown.join(", "),
            if left_out.len() > shown.len() { ", …" } else { "" }
        ));
    }
    Ok(super::plot::Scatter {
        title: format!(
            "{}: limiting potential against {}",
            r.network.name.to_uppercase(),
            sc.label
        ),
        x_desc: sc.label.clone(),
        y_desc: format!("U_L (V vs {})", c.scale),
        points,
        curves,
        caption,
        size: (1000, 720),
    })
}

/// The screening plot's points (rows with x and U_L), and the models left out as implausible.
fn screening_points(
    r: &Report,
    rows: &[super::rows::Row],
) -> (Vec<super::plot::Point>, Vec<String>) {
    use super::plot::Point;
    // Models whose values are implausible (their warnings say why) would set the axes: they
    // are named in the caption instead of drawn.
    let implausible = |name: &str| {
        r.models
            .iter()
            .any(|m| m.name == name && m.warnings.iter().any(|w| w.starts_with("implausible")))
    };
    let mut left_out = Vec::new();
    let mut points: Vec<Point> = Vec::new();
    for row in rows {
        let (Some(x), Some(y)) = (row.descriptor, row.limiting_potential) else {
            continue;
        };
        if implausible(&row.model) {
            left_out.push(literal(&row.model));
            continue;
        }
        points.push(Point {
            label: literal(&row.model),
            x,
            y,
            labelled: true,
            colour: model_colour(r.models.iter().map(|x| &x.name), &row.model),
        });
    }
    (points, left_out)
}

/// The volcano's lines over the points' padded x range and their envelope (min; max if oxidation).
fn volcano_curves(
    r: &Report,
    sc: &crate::network::ScreeningDef,
    points: &[super::plot::Point],
) -> Vec<super::plot::Curve> {
    use super::plot::Curve;
    let (lo, hi) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
    let pad = ((hi - lo) * 0.25).max(0.2);
    let xs: Vec<f64> = (0..=100)
        .map(|k| lo - pad + (hi - lo + 2.0 * pad) * k as f64 / 100.0)
        .collect();
    let mut curves: Vec<Curve> = sc
        .lines
        .iter()
        .map(|l| Curve {
            label: l.label.clone(),
            points: xs.iter().map(|x| (*x, l.slope * x + l.intercept)).collect(),
            main: false,
        })
        .collect();
    if !sc.lines.is_empty() {
        let ox = r.network.direction == crate::pathway::che::Direction::Oxidation;
        let envelope = xs
            .iter()
            .map(|x| {
                let ys = sc.lines.iter().map(|l| l.slope * x + l.intercept);
                let y = if ox {
                    ys.fold(f64::MIN, f64::max)
                } else {
                    ys.fold(f64::MAX, f64::min)
                };
                (*x, y)
            })
            .collect();
        curves.push(Curve {
            label: format!(
                "volcano ({})",
                if ox { "highest line" } else { "lowest line" }
            ),
            points: envelope,
            main: true,
        });
    }
    curves
}

/// `…/last/components/of/a/path`, at most about `max` characters, for captions.
pub fn short_path(p: &str, max: usize) -> String {
    if p.chars().count() <= max {
        return p.to_string();
    }
    let parts: Vec<&str> = p.split('/').collect();
    let mut out = String::new();
    for part in parts.iter().rev() {
        if out.chars().count() + part.chars().count() + 2 > max && !out.is_empty() {
            break;
        }
        out = if out.is_empty() {
            part.to_string()
        } else {
            format!("{part}/{out}")
        };
    }
    format!("…/{out}")
}

/// Up to this many selected atoms, a PDOS figure draws each atom; above, their pooled sum.
pub const PDOS_PER_ATOM: usize = 4;

/// The PDOS figure of a large selection from its pooled density (`dband::AtomStream`):
/// the same figure [`pdos_figure`] draws for more than [`PDOS_PER_ATOM`] atoms.
pub fn pdos_figure_pooled(
    e: Vec<f64>,
    report: &crate::dband::Report,
    d: crate::dband::Densities,
    xlim: Option<(f64, f64)>,
) -> PdosPlot {
    let label = format!(
        "{} {} atoms, {}",
        report.atoms.len(),
        report.selection.expression,
        report.settings.orbital.name()
    );
    let center = report.pooled.values.map(|v| v.center);
    pdos_plot_of(e, report, vec![(label, d, center)], xlim)
}

/// A PDOS figure of these series (label, densities, centre): spin down mirrored, the
/// settings in the caption.
fn pdos_plot_of(
    e: Vec<f64>,
    report: &crate::dband::Report,
    groups: Vec<(String, crate::dband::Densities, Option<f64>)>,
    xlim: Option<(f64, f64)>,
) -> PdosPlot {
    let mut series = Vec::new();
    for (k, (label, d, c)) in groups.into_iter().enumerate() {
        let (up, down) = match (d.up, d.down) {
            (Some(u), Some(w)) => (u, Some(w)),
            _ => (d.sum, None),
        };
        series.push(PdosSeries {
            label,
            up,
            down,
            center: c,
            colour: k,
        });
    }
    let lo = e.first().copied().unwrap_or(-10.0);
    let hi = e.last().copied().unwrap_or(5.0);
    let xlim = xlim.unwrap_or(match report.settings.window {
        Window::Range { min, max } => (min, max),
        Window::Full => (lo.max(-10.0), hi.min(5.0)),
    });
    let s = &report.settings;
    PdosPlot {
        energies: e,
        series,
        title: format!(
            "{}-projected DOS: {}",
            s.orbital.name(),
            report.selection.expression
        ),
        caption: vec![
            format!(
                "moments: window {}, spin {}, trapezoid; E_F = {:.4} eV (0 on the axis)",
                s.window.describe(),
                s.spin.as_str(),
                report.efermi
            ),
            format!(
                "{}: {}",
                literal(&short_path(&report.source.dos_file, 60)),
                report.source.layout
            ),
        ],
        xlim,
        size: (1000, 640),
        centre_symbol: format!("ε_{{{}}}", s.orbital.name()),
    }
}

/// The PDOS figure of a report: the chosen orbital of each selected atom (up to four) or of
/// the pooled selection, spin down mirrored, the centre(s) marked, the settings in the caption.
pub fn pdos_figure(
    dos: &Doscar,
    report: &crate::dband::Report,
    xlim: Option<(f64, f64)>,
) -> Result<PdosPlot, DbandError> {
    let orbital = &report.settings.orbital;
    let e = dos.energies_relative();
    let label_of = |a: &AtomResult| {
        format!(
            "{}{}",
            a.element.clone().unwrap_or_else(|| "atom ".into()),
            a.index
        )
    };
    let per_atom = report.atoms.len() <= PDOS_PER_ATOM;
    let groups: Vec<(String, Vec<usize>, Option<f64>)> = if per_atom {
        report
            .atoms
            .iter()
            .map(|a| {
                (
                    format!("{} {}", label_of(a), orbital.name()),
                    vec![a.index],
                    a.result.values.map(|v| v.center),
                )
            })
            .collect()
    } else {
        vec![(
            format!(
                "{} {} atoms, {}",
                report.atoms.len(),
                report.selection.expression,
                orbital.name()
            ),
            report.selection.indices.clone(),
            report.pooled.values.map(|v| v.center),
        )]
    };
    let mut data = Vec::new();
    for (label, idx, c) in groups {
        data.push((label, densities(dos, &idx, orbital)?, c));
    }
    Ok(pdos_plot_of(e, report, data, xlim))
}

/// The d-projected DOS of several models on one figure, pooled over each model's selection
/// (the DOS of every `[dband]` entry, as the loader read it; other grids are resampled
/// linearly onto the first model's).
pub fn pdos_overlay(file: &NetworkFile, data: &Dataset) -> Result<PdosPlot, Error> {
    let mut series = Vec::new();
    let mut energies: Option<Vec<f64>> = None;
    let mut grids_differ = false;
    for model in file.dband.keys() {
        let Some(loaded) = data.dos(model) else {
            continue;
        };
        let loaded = loaded?;
        let r = crate::dband::analyze_loaded(loaded, Settings::default())?;
        let d = densities(&loaded.dos, &r.selection.indices, &Orbital::L(2))?;
        let e = loaded.dos.energies_relative();
        let grid = energies.get_or_insert_with(|| e.clone()).clone();
        if e != grid {
            grids_differ = true;
        }
        let resample = |y: &[f64]| resample(&e, y, &grid);
        let (up, down) = match (d.up, d.down) {
            (Some(u), Some(w)) => (resample(&u), Some(resample(&w))),
            _ => (resample(&d.sum), None),
        };
        series.push(PdosSeries {
            label: format!("{} ({})", literal(model), r.selection.expression),
            up,
            down,
            center: r.pooled.values.map(|v| v.center),
            colour: model_colour(file.models.keys(), model),
        });
    }
    let energies = energies.ok_or_else(|| {
        Error::input("no model has a [dband] entry (or a DOSCAR in ROOT/<model>/slab/)")
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
        centre_symbol: "ε_d".into(),
    })
}

/// `y` on grid `e`, linearly interpolated onto `grid` (0 outside `e`).
fn resample(e: &[f64], y: &[f64], grid: &[f64]) -> Vec<f64> {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pathway::che::{Step, StepKind};

    fn step(n: i32, dg0: f64) -> Step {
        Step {
            from: "a".into(),
            to: "b".into(),
            equation: String::new(),
            n,
            protons: n,
            water: 0,
            kind: if n == 0 {
                StepKind::Chemical
            } else {
                StepKind::Electrochemical
            },
            dg0,
            dg: dg0,
            lumped: false,
            u_dependent: n != 0,
            barrier: None,
        }
    }

    #[test]
    fn the_limiting_step_is_the_highest_line_of_the_electrochemical_steps() {
        // ΔG(U) = ΔG(0) + n·U: +0.3 + U, −0.2 + U, and a chemical +1.0 left out
        let steps = [step(1, 0.3), step(1, -0.2), step(0, 1.0)];
        assert_eq!(limiting_step_at(&steps, 0.0), Some(0.3));
        assert!(
            (limiting_step_at(&steps, -0.3).unwrap()).abs() < 1e-12,
            "zero at U_L = -0.3"
        );
        // an electron-releasing step (n = -1) rises as U falls
        let steps = [step(1, 0.3), step(-1, 0.5)];
        assert!((limiting_step_at(&steps, -1.0).unwrap() - 1.5).abs() < 1e-12);
        assert_eq!(limiting_step_at(&[step(0, 1.0)], 0.0), None);
        // two electrons: per electron, (0.4 + 2U)/2, zero at U = -0.2 as its U_L
        let steps = [step(2, 0.4), step(1, -0.5)];
        assert!((limiting_step_at(&steps, 0.0).unwrap() - 0.2).abs() < 1e-12);
        assert!(limiting_step_at(&steps, -0.2).unwrap().abs() < 1e-12);
        assert!((limiting_step_at(&steps, -1.0).unwrap() + 0.8).abs() < 1e-12);
    }
}
