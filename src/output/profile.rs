//! The energy-profile figure of a barrier (`chepath barrier … --plot FILE`,
//! `chepath.barrier(…, plot=FILE)`): E − E(first image) against the reaction coordinate,
//! the images marked and labelled, the spline through their energies and tangent forces
//! ([`crate::barrier::hermite`], as ASE's `fit_raw` draws it), the highest (climbing) image, and
//! the forward and reverse barriers written on it. IS/TS/FS, or a NEB run without forces,
//! get the points joined by straight lines and "no NEB forces" said in the figure.
//!
//! SVG or PNG by the file's extension, drawn with plotters and the font, colours and size
//! limit of [`super::plot`].

use super::plot::{
    de, register_font, rgb_buffer, rich_text, writable_parent, write_png, write_svg, Backend,
    PlotError, PALETTE,
};
use crate::barrier::{Barrier, Profile};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// The figure's size, px.
pub const SIZE: (u32, u32) = (1100, 680);

/// Samples of the spline per segment.
const SAMPLES: usize = 60;

/// `svg` or `png` from a file name (case-insensitive), else `None`: the formats drawn.
pub fn format_of(out: &Path) -> Option<&'static str> {
    let ext = out.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "svg" => Some("svg"),
        "png" => Some("png"),
        _ => None,
    }
}

/// What the figure shows, from a barrier (pure).
#[derive(Debug, Clone)]
struct Figure {
    title: String,
    x_desc: String,
    y_desc: String,
    labels: Vec<String>,
    x: Vec<f64>,
    e: Vec<f64>,
    /// The spline's samples, when every tangent force is known.
    curve: Option<Vec<(f64, f64)>>,
    /// The highest image and how it is named.
    top: Option<(usize, String)>,
    /// Text written inside the plot: barriers, reaction energy, the spline's maximum.
    lines: Vec<String>,
    spline_max: Option<(f64, f64)>,
    caption: Vec<String>,
}

/// The spline through the images, [`SAMPLES`] points a segment.
fn spline_samples(p: &Profile) -> Option<Vec<(f64, f64)>> {
    let m: Vec<f64> = p
        .tangent_force
        .iter()
        .map(|f| f.map(|f| -f))
        .collect::<Option<_>>()?;
    p.spline_max?;
    Some(crate::barrier::spline_samples(
        &p.coordinate,
        &p.energy,
        &m,
        SAMPLES,
    ))
}

/// The name of the highest image on the figure: the climbing image when LCLIMB is on (or
/// not set: VTST's default), else the highest image.
fn top_name(b: &Barrier) -> String {
    match (b.method, b.climbing_image) {
        ("NEB", Some(true)) => "climbing image (LCLIMB)".into(),
        ("NEB", None) => "highest image (climbing by VTST's default)".into(),
        ("NEB", Some(false)) => "highest image (no climbing image)".into(),
        _ => "TS".into(),
    }
}

impl Figure {
    fn of(b: &Barrier, p: &Profile) -> Figure {
        let neb = b.method == "NEB";
        let labels: Vec<String> = if neb {
            b.images.iter().map(|i| i.label.clone()).collect()
        } else {
            vec!["IS".into(), "TS".into(), "FS".into()]
        };
        let first = labels.first().cloned().unwrap_or_default();
        let top = if neb { b.highest_image } else { Some(1) };
        let curve = spline_samples(p);
        let spline = p.spline_max.zip(p.spline_max_at);
        let mut lines = vec![
            match (p.spline_max, neb) {
                (Some(s), _) => format!(
                    "forward barrier {:.3} eV (highest image); {s:.3} eV (spline maximum)",
                    b.forward_barrier
                ),
                (None, _) => format!("forward barrier {:.3} eV", b.forward_barrier),
            },
            match p.spline_reverse {
                Some(s) => format!(
                    "reverse barrier {:.3} eV (highest image); {s:.3} eV (spline maximum)",
                    b.reverse_barrier
                ),
                None => format!("reverse barrier {:.3} eV", b.reverse_barrier),
            },
            format!("reaction energy {:+.3} eV", b.reaction_energy),
        ];
        if curve.is_none() {
            lines.push(if neb {
                "no NEB forces: images joined by straight lines (no spline)".into()
            } else {
                "no NEB forces (IS/TS/FS): levels joined by straight lines".into()
            });
        }
        let mut caption = vec![if curve.is_some() {
            format!(
                "energy: {}; tangent forces: {} (dE/dr = −F along the path); spline: cubic Hermite through the images' energies with slopes −F (as ASE's fit_raw)",
                b.energy.describe(),
                p.force_source
            )
        } else {
            format!(
                "energy: {}; no tangent forces along the path, so no spline",
                b.energy.describe()
            )
        }];
        caption.extend(p.notes.iter().cloned());
        Figure {
            title: if neb {
                format!("NEB energy profile, {} images", labels.len())
            } else {
                "IS → TS → FS energy profile".into()
            },
            x_desc: if p.coordinate_unit == "Å" {
                "reaction coordinate (Å)".into()
            } else if neb {
                "image".into()
            } else {
                "structure (IS, TS, FS)".into()
            },
            y_desc: format!("E − E({first}) (eV)"),
            labels,
            x: p.coordinate.clone(),
            e: p.energy.clone(),
            curve,
            top: top.map(|t| (t, top_name(b))),
            lines,
            spline_max: spline,
            caption,
        }
    }

    /// The axes' ranges: the points and the curve with a margin, room above for labels.
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let ys = self
            .e
            .iter()
            .copied()
            .chain(self.curve.iter().flatten().map(|p| p.1));
        let (lo, hi) = ys.fold((0.0f64, 0.0f64), |(a, b), y| (a.min(y), b.max(y)));
        let span = (hi - lo).max(0.2);
        let (x0, x1) = (
            self.x.first().copied().unwrap_or(0.0),
            self.x.last().copied().unwrap_or(1.0),
        );
        let xs = (x1 - x0).abs().max(1e-6);
        (
            (x0 - 0.06 * xs, x1 + 0.06 * xs),
            (lo - 0.12 * span, hi + 0.42 * span),
        )
    }
}

/// Write the energy profile of `b` to `out` (.svg or .png).
pub fn draw_profile(b: &Barrier, out: &Path) -> Result<(), PlotError> {
    let name = out.display().to_string();
    let Some(p) = &b.profile else {
        return Err(PlotError::Draw(name, "the barrier has no profile".into()));
    };
    let fig = Figure::of(b, p);
    let format = format_of(out).ok_or_else(|| PlotError::Extension(name.clone()))?;
    writable_parent(out)?;
    register_font(&name)?;
    match format {
        "svg" => write_svg(out, SIZE, |area| figure_on(area, &fig)),
        _ => {
            let mut rgb = rgb_buffer(&name, SIZE)?;
            figure_on(
                BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area(),
                &fig,
            )
            .map_err(|e| PlotError::Draw(name.clone(), e))?;
            write_png(out, SIZE, &rgb)
        }
    }
}

/// A tick label: two significant decimals at most, never `-0.0`.
fn tick(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn figure_on<DB: Backend>(root: DrawingArea<DB, Shift>, f: &Figure) -> Result<(), String> {
    root.fill(&WHITE).map_err(de)?;
    let caption = super::plot::wrap(&f.caption, SIZE.0, 13);
    let (main, foot) = root.split_vertically(SIZE.1.saturating_sub(20 * caption.len() as u32 + 10));
    let ((xa, xb), (ya, yb)) = f.ranges();
    let mut chart = ChartBuilder::on(&main)
        .caption(&f.title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(70)
        .build_cartesian_2d(xa..xb, ya..yb)
        .map_err(de)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc(&f.x_desc)
        .y_desc(&f.y_desc)
        .x_label_formatter(&|x| tick(*x))
        .y_label_formatter(&|y| tick(*y))
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(de)?;
    levels(&main, &mut chart, f, (xa, xb))?;
    path_line(&mut chart, f)?;
    points(&mut chart, f, yb - ya)?;
    let text = ("sans-serif", 16).into_font().color(&BLACK);
    for (k, l) in f.lines.iter().enumerate() {
        main.draw(&Text::new(
            l.clone(),
            (100, 48 + 22 * k as i32),
            text.clone(),
        ))
        .map_err(de)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 14))
        .draw()
        .map_err(de)?;
    for (k, line) in caption.iter().enumerate() {
        let style = ("sans-serif", 13).into_font().color(&BLACK.mix(0.75));
        rich_text(&foot, line, (14, 4 + 20 * k as i32), &style)?;
    }
    root.present().map_err(de)?;
    Ok(())
}

/// Dashed levels of the first and last image, and the barriers as arrows from them up to
/// the highest image, their values beside.
fn levels<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut Chart<'_, DB>,
    f: &Figure,
    (xa, xb): (f64, f64),
) -> Result<(), String> {
    let (Some(&e0), Some(&en)) = (f.e.first(), f.e.last()) else {
        return Ok(());
    };
    let grey = BLACK.mix(0.35);
    for y in [e0, en] {
        let n = 60;
        let dashes = (0..n).filter(|k| k % 2 == 0).map(|k| {
            let x0 = xa + (xb - xa) * k as f64 / n as f64;
            let x1 = xa + (xb - xa) * (k + 1) as f64 / n as f64;
            PathElement::new(vec![(x0, y), (x1, y)], grey.stroke_width(1))
        });
        chart.draw_series(dashes).map_err(de)?;
    }
    let Some((t, _)) = f.top else {
        return Ok(());
    };
    let (xt, et) = (f.x[t], f.e[t]);
    let dx = 0.012 * (xb - xa);
    let arrows = [
        (
            xt - dx,
            e0,
            PALETTE[0],
            format!("Ea→ {:.3} eV", et - e0),
            true,
        ),
        (
            xt + dx,
            en,
            PALETTE[2],
            format!("Ea← {:.3} eV", et - en),
            false,
        ),
    ];
    for (x, from, c, label, left) in arrows {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x, from), (x, et)],
                c.stroke_width(2),
            )))
            .map_err(de)?;
        let (off, side) = if left {
            (-0.6 * dx, HPos::Right)
        } else {
            (0.6 * dx, HPos::Left)
        };
        let (bx, by) = area.get_base_pixel();
        let (px, py) = chart.backend_coord(&(x + off, 0.5 * (from + et)));
        let style = ("sans-serif", 15)
            .into_font()
            .color(&c)
            .pos(Pos::new(side, VPos::Center));
        rich_text(area, &label, (px - bx, py - by), &style)?;
    }
    Ok(())
}

/// The spline (solid), or the images joined by straight dashed lines when there is none.
fn path_line<DB: Backend>(chart: &mut Chart<'_, DB>, f: &Figure) -> Result<(), String> {
    match &f.curve {
        Some(c) => {
            let style = BLACK.stroke_width(2);
            chart
                .draw_series(LineSeries::new(c.clone(), style))
                .map_err(de)?
                .label("spline: energies and tangent forces")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style));
        }
        None => {
            let style = BLACK.mix(0.6).stroke_width(2);
            let pts: Vec<(f64, f64)> = f.x.iter().copied().zip(f.e.iter().copied()).collect();
            let segs = pts.windows(2).flat_map(|w| {
                let n = 12;
                (0..n).filter(|k| k % 2 == 0).map(move |k| {
                    let p = |s: f64| {
                        (
                            w[0].0 + (w[1].0 - w[0].0) * s,
                            w[0].1 + (w[1].1 - w[0].1) * s,
                        )
                    };
                    PathElement::new(
                        vec![p(k as f64 / n as f64), p((k + 1) as f64 / n as f64)],
                        style,
                    )
                })
            });
            chart
                .draw_series(segs)
                .map_err(de)?
                .label("no NEB forces: straight lines")
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 22, y)], style));
        }
    }
    if let Some((m, at)) = f.spline_max {
        chart
            .draw_series(std::iter::once(Cross::new(
                (at, m),
                7,
                PALETTE[1].stroke_width(2),
            )))
            .map_err(de)?
            .label(format!("spline maximum {m:.3} eV at {at:.2} Å"))
            .legend(|(x, y)| Cross::new((x + 11, y), 5, PALETTE[1].stroke_width(2)));
    }
    Ok(())
}

/// The images as points with their labels; the highest one larger, named.
fn points<DB: Backend>(chart: &mut Chart<'_, DB>, f: &Figure, yspan: f64) -> Result<(), String> {
    let c = PALETTE[0];
    chart
        .draw_series(
            f.x.iter()
                .zip(&f.e)
                .map(|(x, y)| Circle::new((*x, *y), 6, c.filled())),
        )
        .map_err(de)?
        .label("images")
        .legend(move |(x, y)| Circle::new((x + 11, y), 5, c.filled()));
    if let Some((t, name)) = &f.top {
        let v = PALETTE[1];
        chart
            .draw_series(std::iter::once(TriangleMarker::new(
                (f.x[*t], f.e[*t]),
                10,
                v.filled(),
            )))
            .map_err(de)?
            .label(name.clone())
            .legend(move |(x, y)| TriangleMarker::new((x + 11, y), 7, v.filled()));
    }
    for (k, ((x, y), l)) in f.x.iter().zip(&f.e).zip(&f.labels).enumerate() {
        let lift = if k % 2 == 0 { 0.035 } else { 0.075 } * yspan;
        chart
            .draw_series(std::iter::once(Text::new(
                l.clone(),
                (*x, *y + lift),
                ("sans-serif", 15)
                    .into_font()
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Center, VPos::Bottom)),
            )))
            .map_err(de)?;
    }
    Ok(())
}
