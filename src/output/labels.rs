//! Label placement: the texts drawn inside a plot never overlap one another or the legend.
//!
//! Each label wants a point (beside the thing it names) and may move up, down or either way
//! from it in 2 px steps, to the nearest position where its box is free: clear of the boxes
//! placed before it and of the legend, inside the plotting area and, if it can be, off the
//! drawn levels. A label moved further than its own height gets a thin leader line back to
//! what it names. Identical labels at one point (two paths sharing a step) are drawn once.
//!
//! Boxes are measured with the embedded DejaVu Sans (plotters' estimate, a few per cent wider
//! than the SVG renders it) and, vertically, from 0.68 em above to 0.6 em below the centre
//! line: a text drawn with `VPos::Center` has its ink (ascenders, descenders, subscripts)
//! within that.

use super::plot::{estimate_width, has_subscript, rich_text, Backend};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// x0, y0, x1, y1 in the pixels of a drawing area (y down).
pub(crate) type Rect = (i32, i32, i32, i32);

pub(crate) fn intersects(a: &Rect, b: &Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

fn inside(a: &Rect, b: &Rect) -> bool {
    a.0 >= b.0 && a.1 >= b.1 && a.2 <= b.2 && a.3 <= b.3
}

/// Which way a label may move from where it wants to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Move {
    Up,
    /// Down first, then up, at each distance.
    Either,
}

/// A text to place inside a plot.
#[derive(Clone)]
pub(crate) struct Label {
    pub text: String,
    /// Where it wants to be: x at its `hpos` side, y its centre line (area pixels).
    pub at: (i32, i32),
    /// What it names: a leader line points there when the label is moved far.
    pub target: (i32, i32),
    /// Font size as plotters takes it.
    pub size: f64,
    pub colour: RGBColor,
    pub hpos: HPos,
    pub moves: Move,
    /// Drawn on a white box (legible where lines cross it).
    pub boxed: bool,
}

impl Label {
    fn style(&self) -> TextStyle<'static> {
        ("sans-serif", self.size)
            .into_font()
            .color(&self.colour)
            .pos(Pos::new(self.hpos, VPos::Center))
    }

    fn em(&self) -> f64 {
        self.size / 1.24
    }
}

/// The width of `text` at font `size`, px, its subscripts at their size
/// ([`super::plot::segments`]).
pub(crate) fn text_width<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> Result<i32, String> {
    estimate_width(area, text, size)
}

/// The box of `l` drawn with its centre line at `y`, for a text `w` px wide.
fn rect_of(l: &Label, w: i32, y: i32) -> Rect {
    let x0 = match l.hpos {
        HPos::Left => l.at.0,
        HPos::Center => l.at.0 - w / 2,
        HPos::Right => l.at.0 - w,
    };
    let em = l.em();
    let pad = if l.boxed { 3 } else { 1 };
    // a subscript's ink reaches lower: its baseline 0.3 em below the text's
    let below = if has_subscript(&l.text) { 0.8 } else { 0.6 };
    (
        x0 - pad,
        y - (0.68 * em).ceil() as i32 - pad,
        x0 + w + pad,
        y + (below * em).ceil() as i32 + pad,
    )
}

/// The centre line nearest `l.at` at which its box is free, or `None`.
fn free_y(l: &Label, w: i32, taken: &[Rect], soft: &[Rect], bounds: &Rect) -> Option<i32> {
    let y0 = l.at.1;
    let reach = (bounds.3 - bounds.1).max(1);
    let fits = |y: i32, use_soft: bool| {
        let r = rect_of(l, w, y);
        inside(&r, bounds)
            && !taken.iter().any(|t| intersects(&r, t))
            && !(use_soft && soft.iter().any(|t| intersects(&r, t)))
    };
    let ways: &[&[i32]] = match l.moves {
        Move::Up => &[&[-1], &[1]],
        Move::Either => &[&[1, -1]],
    };
    for use_soft in [true, false] {
        for way in ways {
            for d in (0..=reach).step_by(2) {
                if let Some(y) = way.iter().map(|s| y0 + s * d).find(|y| fits(*y, use_soft)) {
                    return Some(y);
                }
            }
        }
    }
    None
}

/// Place `labels` in order: each at the free position nearest where it wants to be, clear
/// of `taken` (extended with each box placed) and, where it can be, of `soft` (lines);
/// inside `bounds`. Returns each label with the centre line it is drawn at.
pub(crate) fn place<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    labels: Vec<Label>,
    taken: &mut Vec<Rect>,
    soft: &[Rect],
    bounds: Rect,
) -> Result<Vec<(Label, i32)>, String> {
    let mut out: Vec<(Label, i32)> = Vec::new();
    for l in labels {
        let near = |a: (i32, i32), b: (i32, i32)| (a.0 - b.0).abs() <= 2 && (a.1 - b.1).abs() <= 2;
        if let Some(k) = out
            .iter()
            .position(|(p, _)| p.text == l.text && near(p.at, l.at))
        {
            // one label for several models: black, as a state label taken by several
            if out[k].0.colour != l.colour {
                out[k].0.colour = BLACK;
            }
            continue;
        }
        let w = text_width(area, &l.text, l.size)?;
        let y = free_y(&l, w, taken, soft, &bounds).unwrap_or(l.at.1);
        taken.push(rect_of(&l, w, y));
        out.push((l, y));
    }
    Ok(out)
}

/// Draw placed labels: the white box of a boxed one, a leader line where one was moved
/// further than its height, the text.
pub(crate) fn draw<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    placed: &[(Label, i32)],
) -> Result<(), String> {
    let de = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    for (l, y) in placed {
        let w = text_width(area, &l.text, l.size)?;
        let r = rect_of(l, w, *y);
        if l.boxed {
            area.draw(&Rectangle::new(
                [(r.0, r.1), (r.2, r.3)],
                WHITE.mix(0.9).filled(),
            ))
            .map_err(de)?;
        }
        if (y - l.at.1).abs() as f64 > 1.3 * l.em() {
            let (tx, ty) = l.target;
            let from = (tx.clamp(r.0, r.2), if ty > r.3 { r.3 } else { r.1 });
            area.draw(&PathElement::new(
                vec![from, (tx, ty)],
                l.colour.mix(0.6).stroke_width(1),
            ))
            .map_err(de)?;
        }
        rich_text(area, &l.text, (l.at.0, *y), &l.style())?;
    }
    Ok(())
}

/// The boxes `labels` would take where they want to be.
fn wanted<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[Label],
) -> Result<Vec<Rect>, String> {
    labels
        .iter()
        .map(|l| Ok(rect_of(l, text_width(area, &l.text, l.size)?, l.at.1)))
        .collect()
}

/// The labels of a plot and its legend: the legend in the corner (of `corners`) that meets
/// the fewest wanted label boxes and `soft` boxes (lines), then each label placed clear of
/// it and of the others, and drawn.
pub(crate) fn finish<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    bounds: Rect,
    labels: Vec<Label>,
    soft: &[Rect],
    legend: Option<(&Legend, &[SeriesLabelPosition])>,
) -> Result<(), String> {
    let mut taken = Vec::new();
    let mut legend_at = None;
    if let Some((legend, corners)) = legend.filter(|(l, _)| !l.entries.is_empty()) {
        let mut avoid = wanted(area, &labels)?;
        avoid.extend_from_slice(soft);
        let r = legend.corner(area, bounds, corners, &avoid)?;
        taken.push(r);
        legend_at = Some((legend, r));
    }
    let placed = place(area, labels, &mut taken, soft, bounds)?;
    draw(area, &placed)?;
    if let Some((legend, r)) = legend_at {
        legend.draw(area, r)?;
    }
    Ok(())
}

/// A legend drawn by hand (plotters' own cannot be placed around labels): a swatch and a
/// name per entry, on a white box.
pub(crate) struct Legend {
    pub entries: Vec<(String, ShapeStyle)>,
    pub size: f64,
}

const PAD: i32 = 8;
const SWATCH: i32 = 24;

impl Legend {
    fn row(&self) -> i32 {
        (self.size / 1.24 * 1.45).ceil() as i32
    }

    /// Width and height, px.
    pub(crate) fn extent<DB: Backend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(i32, i32), String> {
        let mut w = 0;
        for (t, _) in &self.entries {
            w = w.max(text_width(area, t, self.size)?);
        }
        Ok((
            2 * PAD + SWATCH + PAD + w,
            2 * PAD + self.row() * self.entries.len() as i32,
        ))
    }

    /// The corner of `bounds` (in the order given) whose box meets the fewest of `avoid`.
    pub(crate) fn corner<DB: Backend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        bounds: Rect,
        corners: &[SeriesLabelPosition],
        avoid: &[Rect],
    ) -> Result<Rect, String> {
        let (w, h) = self.extent(area)?;
        let inset = 6;
        let at = |c: &SeriesLabelPosition| {
            let x0 = match c {
                SeriesLabelPosition::LowerLeft | SeriesLabelPosition::UpperLeft => bounds.0 + inset,
                _ => bounds.2 - inset - w,
            };
            let y0 = match c {
                SeriesLabelPosition::UpperLeft | SeriesLabelPosition::UpperRight => {
                    bounds.1 + inset
                }
                _ => bounds.3 - inset - h,
            };
            (x0, y0, x0 + w, y0 + h)
        };
        let cost = |r: &Rect| avoid.iter().filter(|a| intersects(r, a)).count();
        Ok(corners
            .iter()
            .map(at)
            .min_by_key(cost)
            .unwrap_or_else(|| at(&SeriesLabelPosition::UpperRight)))
    }

    pub(crate) fn draw<DB: Backend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        r: Rect,
    ) -> Result<(), String> {
        let de = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        area.draw(&Rectangle::new(
            [(r.0, r.1), (r.2, r.3)],
            WHITE.mix(0.9).filled(),
        ))
        .map_err(de)?;
        area.draw(&Rectangle::new(
            [(r.0, r.1), (r.2, r.3)],
            BLACK.mix(0.4).stroke_width(1),
        ))
        .map_err(de)?;
        let row = self.row();
        for (k, (text, style)) in self.entries.iter().enumerate() {
            let y = r.1 + PAD + row * k as i32 + row / 2;
            let x = r.0 + PAD;
            area.draw(&PathElement::new(vec![(x, y), (x + SWATCH, y)], *style))
                .map_err(de)?;
            let style = ("sans-serif", self.size)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center));
            rich_text(area, text, (x + SWATCH + PAD, y), &style)?;
        }
        Ok(())
    }
}

/// The font size at which `text` fits `width` px: `size`, or smaller (not below 9).
pub(crate) fn fitting_size<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    width: i32,
) -> Result<f64, String> {
    let w = text_width(area, text, size)?;
    if w <= width || w == 0 {
        return Ok(size);
    }
    Ok((size * width as f64 / w as f64).floor().max(9.0))
}

/// The plotting area of a chart in the pixels of `area`.
pub(crate) fn plot_bounds<DB: Backend, CT: plotters::coord::CoordTranslate>(
    area: &DrawingArea<DB, Shift>,
    plot: &DrawingArea<DB, CT>,
) -> Rect {
    let (bx, by) = area.get_base_pixel();
    let (xr, yr) = plot.get_pixel_range();
    (xr.start - bx, yr.start - by, xr.end - bx, yr.end - by)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(text: &str, at: (i32, i32), moves: Move) -> Label {
        Label {
            text: text.into(),
            at,
            target: at,
            size: 16.0,
            colour: BLACK,
            hpos: HPos::Center,
            moves,
            boxed: false,
        }
    }

    #[test]
    fn labels_at_one_point_are_stacked_and_duplicates_merged() {
        crate::output::plot::register_font("test").expect("font");
        let mut s = String::new();
        let area =
            plotters::backend::SVGBackend::with_string(&mut s, (400, 300)).into_drawing_area();
        let ls = vec![
            label("PDS +0.50 eV", (200, 150), Move::Up),
            label("PDS +0.51 eV", (200, 151), Move::Up),
            label("PDS +0.50 eV", (201, 150), Move::Up),
            label("PDS +0.52 eV", (200, 150), Move::Either),
        ];
        let mut taken = Vec::new();
        let placed = place(&area, ls, &mut taken, &[], (0, 0, 400, 300)).expect("placed");
        assert_eq!(placed.len(), 3, "the duplicate is drawn once");
        assert_eq!(placed[0].1, 150);
        assert!(placed[1].1 < 150 - 15, "{}", placed[1].1);
        assert!(placed[2].1 > 150 + 15, "down first: {}", placed[2].1);
        for (i, a) in taken.iter().enumerate() {
            for b in &taken[i + 1..] {
                assert!(!intersects(a, b), "{taken:?}");
            }
        }
    }
}
