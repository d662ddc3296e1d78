//! Figures: SVG or PNG by the output file's extension, drawn with plotters. Text is
//! rendered with DejaVu Sans embedded in the binary (`assets/fonts/`, its licence beside
//! it), so no system font or fontconfig is needed. Colours are the Okabe–Ito palette,
//! distinguishable with the common forms of colour blindness.

use super::labels::{self, Label, Move};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;
use std::path::Path;

static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// A backend figures are drawn on, and how it sets text: the SVG writes `font-size` as
/// plotters' size / 1.24 and lets the viewer place the baseline from `dy`; the bitmap
/// rasterises with ab_glyph, whose size is the font's line height (ascent − descent).
pub(crate) trait Backend: DrawingBackend {
    /// Whether this backend writes SVG.
    const SVG: bool;
}

impl Backend for SVGBackend<'_> {
    const SVG: bool = true;
}

impl Backend for BitMapBackend<'_> {
    const SVG: bool = false;
}

/// Subscripts are drawn at this fraction of their base's size...
const SUB_SCALE: f64 = 0.7;
/// ...with their baseline this many em (of the base) below the base's.
const SUB_DROP: f64 = 0.3;

/// The line height (ascent − descent, `hhea`) and the x-height (`OS/2`) of the embedded
/// font, in em, read from its tables.
fn font_metrics() -> (f64, f64) {
    static M: std::sync::OnceLock<(f64, f64)> = std::sync::OnceLock::new();
    *M.get_or_init(|| {
        let u16_at = |at: usize| {
            FONT.get(at..at + 2)
                .map(|b| u16::from_be_bytes([b[0], b[1]]))
        };
        let u32_at = |at: usize| {
            FONT.get(at..at + 4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
        };
        let table = |tag: &[u8]| {
            (0..u16_at(4)? as usize)
                .map(|k| 12 + 16 * k)
                .find(|at| FONT.get(*at..*at + 4) == Some(tag))
                .and_then(|at| u32_at(at + 8))
        };
        let metrics = || -> Option<(f64, f64)> {
            let upm = u16_at(table(b"head")? + 18)? as f64;
            let hhea = table(b"hhea")?;
            let ascent = u16_at(hhea + 4)? as i16 as f64;
            let descent = u16_at(hhea + 6)? as i16 as f64;
            let x_height = u16_at(table(b"OS/2")? + 86)? as i16 as f64;
            Some(((ascent - descent) / upm, x_height / upm))
        };
        // DejaVu Sans: 2384 / 2048 and 1120 / 2048
        metrics().unwrap_or((1.164, 0.547))
    })
}

/// The pieces of a figure text: `(text, subscript)`. After a one-letter symbol (a letter
/// not preceded by a letter or digit, but for Δ), `_{…}` makes a subscript of what the
/// braces hold and `_X` of the one ASCII letter X where it ends a word (`U_L`, `E_F)`,
/// `ΔG_i(U)/n_i`, `ε_d`, `ε_{dxy}`); any other `_` is text (`CuN4_Cu4`, `Cu_a`,
/// `make_samples.rs`). `\_` is a `_` that is never a subscript ([`literal`]).
pub(crate) fn segments(text: &str) -> Vec<(String, bool)> {
    let c: Vec<char> = text.chars().collect();
    let mut out: Vec<(String, bool)> = vec![(String::new(), false)];
    let mut k = 0;
    while k < c.len() {
        if c[k] == '\\' && c.get(k + 1) == Some(&'_') {
            if let Some(last) = out.last_mut() {
                last.0.push('_');
            }
            k += 2;
            continue;
        }
        // the base is a one-letter symbol (U, E, G of ΔG, ε, n): a name such as
        // CuN4_Cu4 or Cu_a is not a symbol
        let after_base = k > 0
            && c[k - 1].is_alphabetic()
            && (k == 1 || !c[k - 2].is_alphanumeric() || c[k - 2] == 'Δ');
        let braced = c[k + 1..].iter().position(|x| *x == '}');
        let sub = match (c[k], c.get(k + 1), c.get(k + 2)) {
            ('_', Some('{'), _) if after_base && braced.is_some_and(|e| e > 1) => {
                braced.map(|e| (c[k + 2..k + 1 + e].iter().collect::<String>(), e + 2))
            }
            ('_', Some(x), next)
                if after_base
                    && x.is_ascii_alphabetic()
                    && !next.is_some_and(|n| n.is_alphanumeric() || *n == '_') =>
            {
                Some((x.to_string(), 2))
            }
            _ => None,
        };
        match sub {
            Some((s, len)) => {
                out.push((s, true));
                out.push((String::new(), false));
                k += len;
            }
            None => {
                if let Some(last) = out.last_mut() {
                    last.0.push(c[k]);
                }
                k += 1;
            }
        }
    }
    out.retain(|(s, _)| !s.is_empty());
    out
}

/// `name` (a model's, a file's) as figure text that draws exactly as written: its `_`
/// never makes a subscript (`A_b` stays `A_b`), whatever [`segments`] would read in it.
pub fn literal(name: &str) -> String {
    name.replace('_', "\\_")
}

/// Whether `text` has a subscript ([`segments`]).
pub(crate) fn has_subscript(text: &str) -> bool {
    segments(text).iter().any(|(_, sub)| *sub)
}

/// The advance of `text` at plotters' font `size` as `DB` draws it, px: each glyph's
/// advance (no kerning, which only narrows text) from the embedded font, at the em of the
/// backend.
fn advance<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> Result<f64, String> {
    // measured large, so that plotters' whole pixels do not add up
    const BIG: f64 = 1240.0;
    let style = TextStyle::from(("sans-serif", BIG).into_font());
    let mut w = 0.0;
    let mut buf = [0u8; 4];
    for ch in text.chars() {
        let (cw, _) = area
            .estimate_text_size(ch.encode_utf8(&mut buf), &style)
            .map_err(|e| e.to_string())?;
        w += cw as f64;
    }
    let scale = if DB::SVG {
        font_metrics().0 / 1.24
    } else {
        1.0
    };
    Ok(w / BIG * size * scale)
}

/// The baseline of a text at `size` anchored vertically by `v`, px below its anchor, as
/// `DB` places it (plotters-svg's `dy`, plotters-backend's layout box).
fn baseline<DB: Backend>(v: VPos, size: f64) -> f64 {
    if DB::SVG {
        let (em, ex) = (size / 1.24, font_metrics().1 * size / 1.24);
        match v {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.5 * ex,
            VPos::Bottom => -0.5 * ex,
        }
    } else {
        let h = (size / 1.24) as i32;
        size / 2.0
            - match v {
                VPos::Top => 0,
                VPos::Center => h / 2,
                VPos::Bottom => h,
            } as f64
    }
}

/// The width of `text` with its subscripts ([`segments`]) at `size`, as plotters estimates
/// it (kerned, a few per cent wider than the SVG renders it): the box of labels and legends.
pub(crate) fn estimate_width<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> Result<i32, String> {
    let mut w = 0;
    for (s, sub) in segments(text) {
        let size = if sub { SUB_SCALE * size } else { size };
        let style = TextStyle::from(("sans-serif", size).into_font());
        w += area
            .estimate_text_size(&s, &style)
            .map_err(|e| e.to_string())?
            .0 as i32;
    }
    Ok(w)
}

/// Private-use characters standing for the SVG markup of a subscript inside a `<text>`
/// (plotters-svg escapes `<`): replaced by [`svg_markup`] once the SVG is drawn.
const SUB_OPEN: char = '\u{E000}';
/// The end of a subscript with text after it: the rest's baseline moves back up.
const SUB_THEN_REST: char = '\u{E001}';
/// The end of a subscript that ends the text.
const SUB_CLOSE: char = '\u{E002}';
/// The end of the text after a subscript.
const REST_CLOSE: char = '\u{E003}';

/// `segs` as one text with [`SUB_OPEN`]… markers (any such character in the text itself is
/// dropped, so that no markup comes from a name).
fn svg_marked(segs: &[(String, bool)]) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !(SUB_OPEN..=REST_CLOSE).contains(c))
            .collect()
    };
    let mut out = String::new();
    let mut in_rest = false;
    for (k, (s, sub)) in segs.iter().enumerate() {
        if !*sub {
            // a space that opens a tspan is dropped by some viewers (rsvg): a no-break one is not
            let s = clean(s);
            match s.strip_prefix(' ') {
                Some(rest) if in_rest => {
                    out.push('\u{A0}');
                    out.push_str(rest);
                }
                _ => out.push_str(&s),
            }
            continue;
        }
        if in_rest {
            out.push(REST_CLOSE);
        }
        out.push(SUB_OPEN);
        out.push_str(&clean(s));
        in_rest = k + 1 < segs.len();
        out.push(if in_rest { SUB_THEN_REST } else { SUB_CLOSE });
    }
    if in_rest {
        out.push(REST_CLOSE);
    }
    out
}

/// The SVG `svg` with the subscript markers of [`svg_marked`] replaced by tspans: a
/// subscript at [`SUB_SCALE`] of the size, its baseline [`SUB_DROP`] em (of the base) lower,
/// the rest back on the base's baseline (`dy` is in the tspan's own em).
pub(crate) fn svg_markup(svg: &str) -> String {
    let open = format!(
        "<tspan font-size=\"{:.0}%\" dy=\"{:.3}em\">",
        100.0 * SUB_SCALE,
        SUB_DROP / SUB_SCALE
    );
    let rest = format!("</tspan><tspan dy=\"-{SUB_DROP}em\">");
    let mut out = String::with_capacity(svg.len() + 256);
    if !markers_balanced(svg) {
        // a marker that came from elsewhere (a name drawn as plain text): none is markup
        out.extend(svg.chars().filter(|c| !(SUB_OPEN..=REST_CLOSE).contains(c)));
        return out;
    }
    for c in svg.chars() {
        match c {
            SUB_OPEN => out.push_str(&open),
            SUB_THEN_REST => out.push_str(&rest),
            SUB_CLOSE | REST_CLOSE => out.push_str("</tspan>"),
            c => out.push(c),
        }
    }
    out
}

/// Whether the markers of `svg` are as [`svg_marked`] writes them: each subscript opened,
/// then closed or followed by a rest that is closed, all within one text (no `<` between).
fn markers_balanced(svg: &str) -> bool {
    // 0: outside a subscript, 1: in one, 2: in the rest after one
    let mut state = 0u8;
    for c in svg.chars() {
        state = match (state, c) {
            (0, SUB_OPEN) => 1,
            (1, SUB_THEN_REST) => 2,
            (1, SUB_CLOSE) | (2, REST_CLOSE) => 0,
            (_, SUB_OPEN | SUB_THEN_REST | SUB_CLOSE | REST_CLOSE) => return false,
            (0, _) => 0,
            (_, '<') => return false,
            (s, _) => s,
        };
    }
    state == 0
}

/// Draw `text` at `at` (pixels of `area`) in `style` (its size, colour, anchor and
/// rotation), each subscript ([`segments`]) at [`SUB_SCALE`] of the size and [`SUB_DROP`]
/// em lower, right after the advance of what precedes it, on both backends. A text without
/// subscripts is drawn as one.
pub(crate) fn rich_text<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    style: &TextStyle,
) -> Result<(), String> {
    let de = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    if text.trim().is_empty() {
        return Ok(());
    }
    let segs = segments(text);
    if !segs.iter().any(|(_, sub)| *sub) {
        let plain: String = segs.iter().map(|(s, _)| s.as_str()).collect();
        return area.draw(&Text::new(plain, at, style.clone())).map_err(de);
    }
    if DB::SVG {
        // one text, its subscripts as tspans: the viewer lays it out in whatever font it has
        let marked = svg_marked(&segs);
        return area.draw(&Text::new(marked, at, style.clone())).map_err(de);
    }
    let size = style.font.get_size();
    let turn = style.font.get_transform();
    // the text's direction and its "down" on the canvas
    let ((ax, ay), (dx, dy)) = match turn {
        FontTransform::Rotate90 => ((0, 1), (-1, 0)),
        FontTransform::Rotate180 => ((-1, 0), (0, -1)),
        FontTransform::Rotate270 => ((0, -1), (1, 0)),
        FontTransform::None => ((1, 0), (0, 1)),
    };
    let sizes: Vec<f64> = segs
        .iter()
        .map(|(_, sub)| if *sub { SUB_SCALE * size } else { size })
        .collect();
    let mut widths = Vec::new();
    for ((s, _), z) in segs.iter().zip(&sizes) {
        widths.push(advance(area, s, *z)?);
    }
    let total: f64 = widths.iter().sum();
    let start = match style.pos.h_pos {
        HPos::Left => 0.0,
        HPos::Center => -total / 2.0,
        HPos::Right => -total,
    };
    let v = style.pos.v_pos;
    let em = if DB::SVG {
        size / 1.24
    } else {
        size / font_metrics().0
    };
    let mut done = 0.0;
    for (((s, sub), z), w) in segs.iter().zip(&sizes).zip(&widths) {
        // each piece starts on the whole pixel at or after the advance before it
        let along = start.round() as i32 + (done - 1e-6f64).max(0.0).ceil() as i32;
        let drop = if *sub {
            (baseline::<DB>(v, size) - baseline::<DB>(v, *z) + SUB_DROP * em).round() as i32
        } else {
            0
        };
        let piece = TextStyle {
            font: ("sans-serif", *z).into_font().transform(turn.clone()),
            color: style.color,
            pos: Pos::new(HPos::Left, v),
        };
        let p = (at.0 + ax * along + dx * drop, at.1 + ay * along + dy * drop);
        area.draw(&Text::new(s.clone(), p, piece)).map_err(de)?;
        done += w;
    }
    Ok(())
}

/// `area` less `margin` px on every side, with `title` drawn centred at its top (as
/// plotters' `ChartBuilder::caption` places it, with [`rich_text`]): the rest, for the chart
/// (built without a margin of its own).
pub(crate) fn titled<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    size: f64,
    margin: i32,
) -> Result<DrawingArea<DB, Shift>, String> {
    let inner = area.margin(margin, margin, margin, margin);
    let (w, _) = inner.dim_in_pixel();
    let text_h = (size / 1.24) as i32;
    let pad = (text_h / 2).min(5);
    let style = ("sans-serif", size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    rich_text(&inner, title, (w as i32 / 2, pad), &style)?;
    // a subscript's foot is SUB_DROP em below the line
    let sub = if has_subscript(title) {
        (SUB_DROP * size / 1.24).ceil() as i32
    } else {
        0
    };
    Ok(inner.split_vertically(2 * pad + text_h + sub).1)
}

/// The axis descriptions of `chart`, drawn on `area` (the area it was built on) where
/// plotters' `x_desc` and `y_desc` put them, with [`rich_text`]: x centred under the x
/// label area (`label_area.0` px tall), y turned, along the left of the y label area
/// (`label_area.1` px wide).
pub(crate) fn axis_descs<DB: Backend, CT: plotters::coord::CoordTranslate>(
    area: &DrawingArea<DB, Shift>,
    plot: &DrawingArea<DB, CT>,
    (x_desc, y_desc): (&str, &str),
    label_area: (i32, i32),
    size: f64,
) -> Result<(), String> {
    let (x0, y0, x1, y1) = labels::plot_bounds(area, plot);
    let font = ("sans-serif", size).into_font().color(&BLACK);
    let x_style = font.clone().pos(Pos::new(HPos::Center, VPos::Bottom));
    rich_text(
        area,
        x_desc,
        ((x1 - x0) / 2 + x0, y1 + label_area.0),
        &x_style,
    )?;
    let y_style = ("sans-serif", size)
        .into_font()
        .transform(FontTransform::Rotate270)
        .color(&BLACK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    rich_text(
        area,
        y_desc,
        (x0 - label_area.1, (y1 - y0) / 2 + y0),
        &y_style,
    )
}

/// Okabe–Ito colours: blue, vermillion, bluish green, reddish purple, orange, sky blue.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];

/// The largest figure drawn, in pixels (a PNG's RGB buffer is 3 bytes per pixel: 120 MB).
pub const MAX_PIXELS: u64 = 40_000_000;

/// A figure that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    #[error("{0}: the output must end in .svg or .png")]
    Extension(String),
    #[error("{0}: drawing failed: {1}")]
    Draw(String, String),
    #[error("{0}: the embedded font could not be registered")]
    Font(String),
    #[error("{0}: a {1} x {2} px figure is larger than the {MAX_PIXELS} pixels chepath draws: lower the size or the DPI")]
    TooLarge(String, u32, u32),
    #[error("{0}: could not write: {1}")]
    Write(String, String),
}

/// An RGB buffer for a `w` × `h` PNG, refused above [`MAX_PIXELS`].
pub(crate) fn rgb_buffer(name: &str, (w, h): (u32, u32)) -> Result<Vec<u8>, PlotError> {
    let px = w as u64 * h as u64;
    if px > MAX_PIXELS || w == 0 || h == 0 {
        return Err(PlotError::TooLarge(name.to_string(), w, h));
    }
    Ok(vec![255; px as usize * 3])
}

/// Encode an RGB buffer as an 8-bit PNG file (the png crate; no image library needed).
pub(crate) fn write_png(out: &Path, (w, h): (u32, u32), rgb: &[u8]) -> Result<(), PlotError> {
    let name = out.display().to_string();
    let err = |e: &dyn std::fmt::Display| PlotError::Write(name.clone(), e.to_string());
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Best);
    enc.set_filter(png::FilterType::Paeth);
    enc.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let mut writer = enc.write_header().map_err(|e| err(&e))?;
    writer.write_image_data(rgb).map_err(|e| err(&e))?;
    writer.finish().map_err(|e| err(&e))?;
    super::write_file(out, &bytes).map_err(|e| err(&e))
}

/// Draw an SVG into memory, then write it whole ([`super::write_file`]).
pub(crate) fn write_svg<F>(out: &Path, size: (u32, u32), draw: F) -> Result<(), PlotError>
where
    F: FnOnce(DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
{
    let name = out.display().to_string();
    let mut text = String::new();
    draw(SVGBackend::with_string(&mut text, size).into_drawing_area())
        .map_err(|e| PlotError::Draw(name.clone(), e))?;
    let text = svg_markup(&text);
    super::write_file(out, text.as_bytes()).map_err(|e| PlotError::Write(name, e.to_string()))
}

pub(crate) fn register_font(out: &str) -> Result<(), PlotError> {
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(PlotError::Font(out.to_string()))
    }
}

/// Caption lines wrapped to fit `width_px` at `font_px` (DejaVu Sans averages about 0.55 em
/// per character), breaking at spaces.
pub fn wrap(lines: &[String], width_px: u32, font_px: u32) -> Vec<String> {
    let max = ((width_px.saturating_sub(30)) as f64 / (0.56 * font_px as f64)).max(20.0) as usize;
    let mut out = Vec::new();
    for l in lines {
        let mut cur = String::new();
        for w in l.split(' ') {
            if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > max {
                out.push(std::mem::take(&mut cur));
            }
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(w);
        }
        out.push(cur);
    }
    out
}

/// Where and how large a figure's caption lines are drawn.
struct CaptionStyle {
    font: u32,
    line_h: u32,
    x: i32,
    y0: i32,
    pad: u32,
}

/// Captions of the PDOS and scatter figures.
const SMALL_CAPTION: CaptionStyle = CaptionStyle {
    font: 14,
    line_h: 22,
    x: 14,
    y0: 4,
    pad: 10,
};

/// Split `root` into the figure and a footer for `lines` (wrapped to the width).
fn split_caption<DB: Backend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[String],
    st: &CaptionStyle,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>, Vec<String>) {
    let (w, h) = root.dim_in_pixel();
    let wrapped = wrap(lines, w, st.font);
    let (main, foot) =
        root.split_vertically(h.saturating_sub(st.line_h * wrapped.len() as u32 + st.pad));
    (main, foot, wrapped)
}

/// Draw the caption lines into the footer.
fn draw_caption<DB: Backend>(
    foot: &DrawingArea<DB, Shift>,
    lines: &[String],
    st: &CaptionStyle,
) -> Result<(), String> {
    for (k, line) in lines.iter().enumerate() {
        rich_text(
            foot,
            line,
            (st.x, st.y0 + st.line_h as i32 * k as i32),
            &("sans-serif", st.font).into_font().color(&BLACK.mix(0.75)),
        )?;
    }
    Ok(())
}

/// The figure's directory must exist (plotters would report a raw backend error after all
/// the drawing): refused with what to do.
pub(crate) fn writable_parent(out: &Path) -> Result<(), PlotError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => return Ok(()),
    };
    if parent.is_dir() {
        return Ok(());
    }
    Err(PlotError::Write(
        out.display().to_string(),
        format!(
            "its directory {} does not exist (or is not a directory): create it, or write the figure elsewhere",
            parent.display()
        ),
    ))
}

/// Draw with `$draw(root, $fig)` on an SVG or PNG backend chosen by the file's extension.
macro_rules! render {
    ($out:expr, $size:expr, $draw:ident, $fig:expr) => {{
        let out: &Path = $out;
        let name = out.display().to_string();
        writable_parent(out)?;
        register_font(&name)?;
        let ext = out
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "svg" => write_svg(out, $size, |area| $draw(area, $fig)),
            "png" => {
                let mut rgb = rgb_buffer(&name, $size)?;
                $draw(
                    BitMapBackend::with_buffer(&mut rgb, $size).into_drawing_area(),
                    $fig,
                )
                .map_err(|e| PlotError::Draw(name, e))?;
                write_png(out, $size, &rgb)
            }
            _ => Err(PlotError::Extension(name)),
        }
    }};
}

/// One curve of a PDOS plot: spin up (or the only channel) and, for ISPIN=2, spin down.
#[derive(Debug, Clone)]
pub struct PdosSeries {
    pub label: String,
    pub up: Vec<f64>,
    pub down: Option<Vec<f64>>,
    /// Band centre to mark (a dashed line in the series' colour; its value in the legend).
    pub center: Option<f64>,
    /// Index into [`PALETTE`]: a model keeps its colour in every figure.
    pub colour: usize,
}

/// A projected-DOS figure: spin up above the axis, spin down mirrored below, E_F at 0,
/// the band centre marked.
#[derive(Debug, Clone)]
pub struct PdosPlot {
    /// Energies relative to E-fermi, eV.
    pub energies: Vec<f64>,
    pub series: Vec<PdosSeries>,
    pub title: String,
    /// One or two lines under the plot: settings and provenance.
    pub caption: Vec<String>,
    pub xlim: (f64, f64),
    pub size: (u32, u32),
    /// The band centre's symbol in the legend: `ε_d` for the d band (the tables' and the
    /// descriptor plot's symbol), `ε_p`, `ε_{dxy}`, … for other projections; subscripts as
    /// [`segments`] reads them.
    pub centre_symbol: String,
}

/// Write `plot` to `out` (.svg or .png).
pub fn draw_pdos(plot: &PdosPlot, out: &Path) -> Result<(), PlotError> {
    render!(out, plot.size, pdos_on, plot)
}

/// The y range of a PDOS plot within its x range: (bottom, top, spin-polarised).
fn pdos_range(p: &PdosPlot) -> (f64, f64, bool) {
    let in_x = |x: f64| x >= p.xlim.0 && x <= p.xlim.1;
    let mut ymax: f64 = 0.0;
    let mut ymin: f64 = 0.0;
    for s in &p.series {
        for (k, x) in p.energies.iter().enumerate() {
            if in_x(*x) {
                ymax = ymax.max(s.up[k]);
                if let Some(d) = &s.down {
                    ymin = ymin.min(-d[k]);
                }
            }
        }
    }
    let spin = p.series.iter().any(|s| s.down.is_some());
    let top = if ymax > 0.0 { ymax * 1.15 } else { 1.0 };
    let bottom = if spin {
        ymin.min(-top * 0.2) * 1.15
    } else {
        0.0
    };
    (bottom, top, spin)
}

fn pdos_on<DB: Backend>(root: DrawingArea<DB, Shift>, p: &PdosPlot) -> Result<(), String> {
    root.fill(&WHITE).map_err(de)?;
    let (main, foot, caption) = split_caption(&root, &p.caption, &SMALL_CAPTION);
    let (bottom, top, spin) = pdos_range(p);
    let body = titled(&main, &p.title, 22.0, 14)?;
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(p.xlim.0..p.xlim.1, bottom..top)
        .map_err(de)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(de)?;
    let y_desc = if spin {
        "PDOS (states/eV), spin ↓ below 0"
    } else {
        "PDOS (states/eV)"
    };
    let descs = ("E − E_F (eV)", y_desc);
    axis_descs(&main, chart.plotting_area(), descs, (44, 64), 16.0)?;
    if spin {
        chart
            .draw_series(LineSeries::new(
                vec![(p.xlim.0, 0.0), (p.xlim.1, 0.0)],
                BLACK.mix(0.5),
            ))
            .map_err(de)?;
    }
    let mut legend = pdos_curves(&mut chart, p)?;
    pdos_markers(&mut chart, p, bottom, top)?;
    legend.entries.push(("E_F".into(), BLACK.stroke_width(1)));
    let bounds = labels::plot_bounds(&main, chart.plotting_area());
    let corner = [SeriesLabelPosition::UpperRight];
    labels::finish(&main, bounds, Vec::new(), &[], Some((&legend, &corner[..])))?;
    draw_caption(&foot, &caption, &SMALL_CAPTION)?;
    root.present().map_err(de)?;
    Ok(())
}

/// Every series: spin up (or the only channel) above, spin down mirrored below. Returns
/// the legend of the series (drawn by hand: its texts have subscripts).
fn pdos_curves<DB: Backend>(
    chart: &mut Chart<'_, DB>,
    p: &PdosPlot,
) -> Result<labels::Legend, String> {
    let mut legend = labels::Legend {
        entries: Vec::new(),
        size: 15.0,
    };
    let in_x = |x: f64| x >= p.xlim.0 && x <= p.xlim.1;
    for s in &p.series {
        let c = PALETTE[s.colour % PALETTE.len()];
        let pts: Vec<(f64, f64)> = p
            .energies
            .iter()
            .zip(&s.up)
            .filter(|(x, _)| in_x(**x))
            .map(|(x, y)| (*x, *y))
            .collect();
        let label = match s.center {
            Some(ctr) => format!("{}  ({} = {ctr:.2} eV, dashed)", s.label, p.centre_symbol),
            None => s.label.clone(),
        };
        chart
            .draw_series(LineSeries::new(pts, c.stroke_width(2)))
            .map_err(de)?;
        legend.entries.push((label, c.stroke_width(2)));
        if let Some(d) = &s.down {
            let pts: Vec<(f64, f64)> = p
                .energies
                .iter()
                .zip(d)
                .filter(|(x, _)| in_x(**x))
                .map(|(x, y)| (*x, -*y))
                .collect();
            chart
                .draw_series(LineSeries::new(pts, c.stroke_width(2)))
                .map_err(de)?;
        }
    }
    Ok(legend)
}

/// Dashed verticals: E_F (black) and each series' band centre (its colour).
fn pdos_markers<DB: Backend>(
    chart: &mut Chart<'_, DB>,
    p: &PdosPlot,
    bottom: f64,
    top: f64,
) -> Result<(), String> {
    let in_x = |x: f64| x >= p.xlim.0 && x <= p.xlim.1;
    let dash = |x: f64, color: RGBColor| -> Vec<PathElement<(f64, f64)>> {
        let n = 40;
        (0..n)
            .filter(|k| k % 2 == 0)
            .map(|k| {
                let y0 = bottom + (top - bottom) * k as f64 / n as f64;
                let y1 = bottom + (top - bottom) * (k + 1) as f64 / n as f64;
                PathElement::new(
                    vec![(x, y0), (x, y1)],
                    color.stroke_width(if color == BLACK { 1 } else { 2 }),
                )
            })
            .collect()
    };
    chart
        .draw_series(dash(0.0, RGBColor(0, 0, 0)))
        .map_err(de)?;
    for s in &p.series {
        if let Some(c) = s.center.filter(|c| in_x(*c)) {
            let col = PALETTE[s.colour % PALETTE.len()];
            chart.draw_series(dash(c, col)).map_err(de)?;
        }
    }
    Ok(())
}

/// `NH2OH*` → `NH₂OH*`, `NO3-(aq)` → `NO₃⁻(aq)`, `SO4^2-` → `SO₄²⁻`: digits after an element
/// become subscripts, a trailing charge a superscript.
pub fn pretty_species(name: &str) -> String {
    let sub = |c: char| match c {
        '0'..='9' => char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c),
        _ => c,
    };
    let sup = |c: char| match c {
        '+' => '⁺',
        '-' => '⁻',
        '2' => '²',
        '3' => '³',
        '1' => '¹',
        _ => c,
    };
    let (body, phase) = match name.find('(') {
        Some(k) => (&name[..k], &name[k..]),
        None => (name, ""),
    };
    // split off a trailing charge: `^2-`, `-`, `+`, `2-`
    let (core, charge) = if let Some(k) = body.find('^') {
        (&body[..k], &body[k + 1..])
    } else {
        let trimmed = body.trim_end_matches(['+', '-']);
        (trimmed, &body[trimmed.len()..])
    };
    let mut out = String::new();
    for c in core.chars() {
        out.push(if c.is_ascii_digit() { sub(c) } else { c });
    }
    for c in charge.chars() {
        out.push(sup(c));
    }
    out.push_str(phase);
    out
}

/// `text` with each word that is a formula written as [`pretty_species`] does (`NH3/NH4+
/// (as NH4+)` → `NH₃/NH₄⁺ (as NH₄⁺)`): a word, split at spaces and `/`, its brackets and
/// trailing `:` `,` `;` set aside, is a formula when it is element symbols and counts (a
/// capital, an optional small letter, digits), an optional charge and phase (`(g)`), with
/// a digit or a charge; anything else (numbers such as `+0.30`, `CuN4_Cu4`, words) is kept.
pub fn pretty_formulas(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for piece in text.split_inclusive([' ', '/']) {
        let word = piece.trim_end_matches([' ', '/']);
        out.push_str(&pretty_word(word));
        out.push_str(&piece[word.len()..]);
    }
    out
}

/// One word of [`pretty_formulas`].
fn pretty_word(word: &str) -> String {
    let lead = word.len() - word.trim_start_matches('(').len();
    let rest = &word[lead..];
    let core = rest.trim_end_matches([':', ',', ';']);
    let tail_punct = &rest[core.len()..];
    // a ')' closing a bracket opened before the word: not the formula's
    let opens = core.matches('(').count();
    let closes = core.matches(')').count();
    let extra = closes
        .saturating_sub(opens)
        .min(core.len() - core.trim_end_matches(')').len());
    let (core, close) = core.split_at(core.len() - extra);
    // a stoichiometric coefficient (9H+, 3H2O) stays as it is
    let coefficient = core.len() - core.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (count, formula) = core.split_at(coefficient);
    let pretty = match formula {
        "e-" => "e⁻".to_string(),
        f if is_formula(f) => pretty_species(f),
        _ => return word.to_string(),
    };
    format!("{}{count}{pretty}{close}{tail_punct}", &word[..lead])
}

/// Whether `w` is a formula for [`pretty_formulas`] (an adsorbate's `*` at either end).
fn is_formula(w: &str) -> bool {
    let w = w.trim_start_matches('*').trim_end_matches('*');
    let body = match w.find('(') {
        Some(k) => {
            let phase = &w[k..];
            let known = ["(g)", "(l)", "(aq)", "(s)"].contains(&phase);
            if !known {
                return false;
            }
            &w[..k]
        }
        None => w,
    };
    let core = body.trim_end_matches(['+', '-']);
    let charged = core.len() < body.len();
    let mut chars = core.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if !c.is_ascii_uppercase() {
            return false;
        }
        any = true;
        if chars.peek().is_some_and(|n| n.is_ascii_lowercase()) {
            chars.next();
        }
        while chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            chars.next();
        }
    }
    any && (charged || core.chars().any(|c| c.is_ascii_digit()))
}

/// One model's path on a free-energy diagram.
#[derive(Debug, Clone)]
pub struct DiagramPath {
    pub label: String,
    /// State names along the path.
    pub states: Vec<String>,
    /// ΔG of each step, eV (states.len() − 1 values).
    pub dg: Vec<f64>,
    /// Index of the potential-determining step, drawn thick with its ΔG written on it.
    pub pds: Option<usize>,
    /// The barrier Ea of each step (eV, above the step's initial level), where it has a
    /// transition state: drawn as a hump with Ea written on it. Empty or one per step.
    pub barriers: Vec<Option<f64>>,
    /// Index into [`PALETTE`]: a model keeps its colour in every figure.
    pub colour: usize,
}

/// A free-energy diagram panel.
#[derive(Debug, Clone)]
pub struct DiagramPanel {
    pub title: String,
    pub paths: Vec<DiagramPath>,
}

/// A figure of one or more panels, stacked.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub panels: Vec<DiagramPanel>,
    pub caption: Vec<String>,
    pub size: (u32, u32),
    /// Font size of state labels, px.
    pub font: u32,
}

/// Write a free-energy diagram (.svg or .png).
pub fn draw_diagram(d: &Diagram, out: &Path) -> Result<(), PlotError> {
    render!(out, d.size, diagram_on, d)
}

/// A free-energy diagram as SVG text, without a file (a notebook shows it inline).
pub fn diagram_svg(d: &Diagram) -> Result<String, PlotError> {
    let name = "diagram.svg";
    register_font(name)?;
    let mut s = String::new();
    diagram_on(
        SVGBackend::with_string(&mut s, d.size).into_drawing_area(),
        d,
    )
    .map_err(|e| PlotError::Draw(name.into(), e))?;
    Ok(svg_markup(&s))
}

/// A drawing error as text.
pub(crate) fn de<E: std::error::Error + Send + Sync>(x: DrawingAreaErrorKind<E>) -> String {
    x.to_string()
}

/// The coordinates of a diagram panel or a PDOS plot.
type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn diagram_on<DB: Backend>(root: DrawingArea<DB, Shift>, d: &Diagram) -> Result<(), String> {
    root.fill(&WHITE).map_err(de)?;
    let cap = CaptionStyle {
        font: d.font.saturating_sub(3).max(8),
        line_h: 24,
        x: 16,
        y0: 6,
        pad: 12,
    };
    let (body, foot, caption) = split_caption(&root, &d.caption, &cap);
    let panels = body.split_evenly((d.panels.len().max(1), 1));
    for (area, panel) in panels.iter().zip(&d.panels) {
        panel_on(area, panel, d.font as i32)?;
    }
    draw_caption(&foot, &caption, &cap)?;
    root.present().map_err(de)?;
    Ok(())
}

/// The highest transition state of every path (level + Ea), to fit the y range.
fn ts_tops(panel: &DiagramPanel, levels: &[Vec<f64>]) -> Vec<f64> {
    panel
        .paths
        .iter()
        .zip(levels)
        .flat_map(|(p, g)| {
            p.barriers
                .iter()
                .enumerate()
                .filter_map(|(k, b)| Some(g.get(k)? + (*b)?))
        })
        .collect()
}

/// The level of every state of every path: G relative to the initial state (ΣΔG so far).
fn cumulative_levels(panel: &DiagramPanel) -> Vec<Vec<f64>> {
    panel
        .paths
        .iter()
        .map(|p| {
            let mut g = vec![0.0];
            for x in &p.dg {
                let next = g.last().copied().unwrap_or(0.0) + x;
                g.push(next);
            }
            g
        })
        .collect()
}

/// Half the width of a level, in state positions.
const HALF_LEVEL: f64 = 0.32;

/// Pixels between a level's end and its connector, so that two levels at one height read
/// as two levels, not one long bar.
const LEVEL_GAP_PX: f64 = 6.0;

/// Levels of different models closer than this (px) are drawn side by side, each on its
/// share of the level's width, so that none hides another.
const COINCIDENT_PX: f64 = 5.0;

/// The linear map from a diagram's coordinates (state position, eV) to the pixels of its
/// drawing area.
#[derive(Debug, Clone, Copy)]
struct Px {
    x0: f64,
    y0: f64,
    sx: f64,
    sy: f64,
}

impl Px {
    /// From the chart's corners `a` and `b` (far apart, so that the pixels' rounding does
    /// not scale up).
    fn of<DB: Backend>(
        area: &DrawingArea<DB, Shift>,
        chart: &Chart<'_, DB>,
        a: (f64, f64),
        b: (f64, f64),
    ) -> Px {
        let (bx, by) = area.get_base_pixel();
        let pa = chart.backend_coord(&a);
        let pb = chart.backend_coord(&b);
        let sx = (pb.0 - pa.0) as f64 / (b.0 - a.0);
        let sy = (pb.1 - pa.1) as f64 / (b.1 - a.1);
        Px {
            x0: (pa.0 - bx) as f64 - a.0 * sx,
            y0: (pa.1 - by) as f64 - a.1 * sy,
            sx,
            sy,
        }
    }

    fn at(&self, x: f64, y: f64) -> (i32, i32) {
        (
            (self.x0 + x * self.sx).round() as i32,
            (self.y0 + y * self.sy).round() as i32,
        )
    }
}

/// The x range of each path's level at each position: the whole level, or its share where
/// levels of several models coincide (within [`COINCIDENT_PX`]), in the paths' order.
fn level_spans(levels: &[Vec<f64>], n: usize, px: &Px) -> Vec<Vec<(f64, f64)>> {
    let mut spans: Vec<Vec<(f64, f64)>> = levels
        .iter()
        .map(|g| {
            (0..g.len())
                .map(|k| (k as f64 - HALF_LEVEL, k as f64 + HALF_LEVEL))
                .collect()
        })
        .collect();
    for k in 0..n {
        let mut col: Vec<(usize, f64)> = levels
            .iter()
            .enumerate()
            .filter_map(|(i, g)| g.get(k).map(|y| (i, y * px.sy)))
            .collect();
        col.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut start = 0;
        for end in 1..=col.len() {
            if end < col.len() && (col[end].1 - col[end - 1].1).abs() < COINCIDENT_PX {
                continue;
            }
            let mut group: Vec<usize> = col[start..end].iter().map(|c| c.0).collect();
            group.sort_unstable();
            let m = group.len() as f64;
            for (j, i) in group.into_iter().enumerate() {
                let a = k as f64 - HALF_LEVEL + 2.0 * HALF_LEVEL * j as f64 / m;
                if let Some(s) = spans.get_mut(i).and_then(|v| v.get_mut(k)) {
                    *s = (a, a + 2.0 * HALF_LEVEL / m);
                }
            }
            start = end;
        }
    }
    spans
}

/// One panel: levels (side by side where models coincide), connectors, then every label
/// (states, PDS, barriers) placed clear of the others and of the legend.
fn panel_on<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    panel: &DiagramPanel,
    fs: i32,
) -> Result<(), String> {
    let n = panel
        .paths
        .iter()
        .map(|p| p.states.len())
        .max()
        .unwrap_or(1);
    let levels = cumulative_levels(panel);
    let tops = ts_tops(panel, &levels);
    let lo = levels.iter().flatten().copied().fold(0.0, f64::min);
    let hi = levels
        .iter()
        .flatten()
        .chain(&tops)
        .copied()
        .fold(0.0, f64::max);
    let span = (hi - lo).max(0.5);
    let (ymin, ymax) = (lo - 0.12 * span, hi + 0.22 * span);
    let width = area.dim_in_pixel().0 as i32 - 32;
    let title_fs = labels::fitting_size(area, &panel.title, (fs + 4) as f64, width)?;
    let body = titled(area, &panel.title, title_fs, 16)?;
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(10)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.6f64..(n as f64 - 0.4), ymin..ymax)
        .map_err(de)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .label_style(("sans-serif", fs - 2))
        .draw()
        .map_err(de)?;
    let y_desc = "ΔG (eV), relative to the initial state";
    axis_descs(
        area,
        chart.plotting_area(),
        ("", y_desc),
        (10, 70),
        fs as f64,
    )?;
    let px = Px::of(area, &chart, (-0.6, ymin), (n as f64 - 0.4, ymax));
    let spans = level_spans(&levels, n, &px);
    let mut queued = state_labels(panel, &levels, &px, fs);
    let mut bars = Vec::new();
    for ((p, g), sp) in panel.paths.iter().zip(&levels).zip(&spans) {
        let c = PALETTE[p.colour % PALETTE.len()];
        let mut path = PathDraw {
            px,
            span,
            fs,
            labels: &mut queued,
            bars: &mut bars,
        };
        path_lines(&mut chart, p, g, sp, c, &mut path)?;
    }
    let legend = labels::Legend {
        entries: panel
            .paths
            .iter()
            .map(|p| {
                (
                    p.label.clone(),
                    PALETTE[p.colour % PALETTE.len()].stroke_width(4),
                )
            })
            .collect(),
        size: (fs - 1) as f64,
    };
    let bounds = labels::plot_bounds(area, chart.plotting_area());
    use SeriesLabelPosition::{LowerLeft, LowerRight, UpperLeft, UpperRight};
    let corners = [LowerLeft, LowerRight, UpperLeft, UpperRight];
    labels::finish(area, bounds, queued, &bars, Some((&legend, &corners[..])))
}

/// What [`path_lines`] needs besides the chart: the pixel map, the panel's span (eV), the
/// label font, and where it queues labels and records the levels' boxes.
struct PathDraw<'a> {
    px: Px,
    span: f64,
    fs: i32,
    labels: &'a mut Vec<Label>,
    bars: &'a mut Vec<labels::Rect>,
}

/// A dashed line from `a` to `b` in `segs` pieces (every other one drawn).
fn dashes(
    a: (f64, f64),
    b: (f64, f64),
    segs: usize,
    style: ShapeStyle,
) -> Vec<PathElement<(f64, f64)>> {
    (0..segs)
        .filter(|s| s % 2 == 0)
        .map(|s| {
            let t0 = s as f64 / segs as f64;
            let t1 = (s + 1) as f64 / segs as f64;
            PathElement::new(
                vec![
                    (a.0 + (b.0 - a.0) * t0, a.1 + (b.1 - a.1) * t0),
                    (a.0 + (b.0 - a.0) * t1, a.1 + (b.1 - a.1) * t1),
                ],
                style,
            )
        })
        .collect()
}

/// The PDS label of a connector from `a` to `b`: under its middle, on the side away from
/// the next state's label (below-right of an uphill connector, below-left of a downhill one).
fn pds_label(text: String, a: (f64, f64), b: (f64, f64), c: RGBColor, d: &PathDraw) -> Label {
    let uphill = b.1 >= a.1;
    let (mx, my) = (0.5 * (a.0 + b.0), 0.5 * (a.1 + b.1));
    let size = (d.fs - 1) as f64;
    let (x, y) =
        d.px.at(mx + if uphill { 0.06 } else { -0.06 }, my - 0.03 * d.span);
    Label {
        text,
        at: (x, y + (size / 1.24 * 0.6) as i32 + 2),
        target: d.px.at(mx, my),
        size,
        colour: c,
        hpos: if uphill { HPos::Left } else { HPos::Right },
        moves: Move::Either,
        boxed: true,
    }
}

/// One path: dashed connectors (a gap from each level), the PDS solid and thick (dashed
/// thick where it is level), humps for transition states, the levels; its labels queued.
fn path_lines<DB: Backend>(
    chart: &mut Chart<'_, DB>,
    p: &DiagramPath,
    g: &[f64],
    spans: &[(f64, f64)],
    c: RGBColor,
    d: &mut PathDraw,
) -> Result<(), String> {
    let gap = LEVEL_GAP_PX / d.px.sx.abs().max(1.0);
    for k in 0..p.dg.len() {
        let a = (k as f64 + HALF_LEVEL + gap, g[k]);
        let b = (k as f64 + 1.0 - HALF_LEVEL - gap, g[k + 1]);
        let pds = Some(k) == p.pds;
        // A TS above both ends is a hump; a linear Ea(U) that falls below either end
        // (Ea < max(0, ΔG)) is written as barrierless, with its value, on the connector.
        let ea = p.barriers.get(k).copied().flatten();
        if let Some(ea) = ea.filter(|e| *e > 0.0 && *e > p.dg[k]) {
            hump(chart, a, b, ea, c.stroke_width(if pds { 4 } else { 2 }))?;
            let top = d.px.at(0.5 * (a.0 + b.0), a.1 + ea);
            d.labels.push(Label {
                text: format!("Ea {ea:.2} eV"),
                at: (top.0, top.1 - 12),
                target: top,
                size: 15.0,
                colour: c,
                hpos: HPos::Center,
                moves: Move::Up,
                boxed: false,
            });
        } else {
            if let Some(ea) = ea {
                let (x, y) =
                    d.px.at(0.5 * (a.0 + b.0) - 0.2, 0.5 * (a.1 + b.1) + 0.04 * d.span);
                d.labels.push(Label {
                    text: barrierless_text(ea),
                    at: (x, y + 8),
                    target: d.px.at(0.5 * (a.0 + b.0), 0.5 * (a.1 + b.1)),
                    size: 14.0,
                    colour: c,
                    hpos: HPos::Left,
                    moves: Move::Either,
                    boxed: false,
                });
            }
            let level = ((b.1 - a.1) * d.px.sy).abs() < 2.0;
            let lines = match (pds, level) {
                (true, false) => vec![PathElement::new(vec![a, b], c.stroke_width(4))],
                (true, true) => dashes(a, b, 5, c.stroke_width(4)),
                _ => dashes(a, b, 8, c.stroke_width(2)),
            };
            chart.draw_series(lines).map_err(de)?;
        }
        if pds {
            let label = pds_label(pds_text(p.dg[k]), a, b, c, d);
            d.labels.push(label);
        }
    }
    for (y, (x0, x1)) in g.iter().zip(spans) {
        let (l, t) = d.px.at(*x0, *y);
        let (r, _) = d.px.at(*x1, *y);
        d.bars.push((l.min(r), t - 3, l.max(r), t + 3));
    }
    chart
        .draw_series(
            g.iter().zip(spans).map(|(y, (x0, x1))| {
                PathElement::new(vec![(*x0, *y), (*x1, *y)], c.stroke_width(4))
            }),
        )
        .map_err(de)?;
    Ok(())
}

/// A linear Ea(U) below both ends of its step: barrierless, with the value it would have
/// (none where it is zero: "+0.00" would say nothing).
fn barrierless_text(ea: f64) -> String {
    if ea.abs() < 0.005 {
        "barrierless".into()
    } else {
        format!("barrierless (Ea {ea:+.2})")
    }
}

/// A transition state between two levels: from (x0, y0) up to y0 + Ea at the middle and
/// down to (x1, y1), each half a cosine flank, y = a + (b − a)(1 − cos πt)/2, so that the
/// curve leaves both levels and crosses its top flat.
fn hump<DB: Backend>(
    chart: &mut Chart<'_, DB>,
    (x0, y0): (f64, f64),
    (x1, y1): (f64, f64),
    ea: f64,
    style: ShapeStyle,
) -> Result<(), String> {
    let xm = 0.5 * (x0 + x1);
    let top = y0 + ea;
    let flank = |xa: f64, ya: f64, xb: f64, yb: f64| {
        (0..=16).map(move |i| {
            let t = i as f64 / 16.0;
            let w = 0.5 * (1.0 - (std::f64::consts::PI * t).cos());
            (xa + (xb - xa) * t, ya + (yb - ya) * w)
        })
    };
    let pts: Vec<(f64, f64)> = flank(x0, y0, xm, top)
        .chain(flank(xm, top, x1, y1).skip(1))
        .collect();
    chart
        .draw_series(std::iter::once(PathElement::new(pts, style)))
        .map_err(de)?;
    Ok(())
}

/// The label of a potential-determining step: its ΔG, or, where it is level (the panel at
/// U_L, where "+0.00 eV" would say nothing), that it is the step that sets U_L.
fn pds_text(dg: f64) -> String {
    if dg.abs() < 0.005 {
        "PDS (level: sets U_L)".into()
    } else {
        format!("PDS {dg:+.2} eV")
    }
}

/// State labels: the union of the models' states at each position, above its highest level;
/// where models take different states there, each name in its model's colour, stacked.
fn state_labels(panel: &DiagramPanel, levels: &[Vec<f64>], px: &Px, fs: i32) -> Vec<Label> {
    let n = panel
        .paths
        .iter()
        .map(|p| p.states.len())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    let em = fs as f64 / 1.24;
    for k in 0..n {
        // each state name at this position, with the colour of the model(s) taking it
        let mut names: Vec<(String, Option<usize>)> = Vec::new();
        for p in &panel.paths {
            if let Some(s) = p.states.get(k) {
                let pretty = pretty_species(s);
                match names.iter_mut().find(|(n, _)| *n == pretty) {
                    Some((_, c)) if *c != Some(p.colour) => *c = None,
                    Some(_) => {}
                    None => names.push((pretty, Some(p.colour))),
                }
            }
        }
        let top = levels
            .iter()
            .filter_map(|g| g.get(k))
            .cloned()
            .fold(f64::MIN, f64::max);
        let target = px.at(k as f64, top);
        // one name: black; several (models taking different states here): each in the
        // colour of its model, stacked, so the label says which model takes which
        let several = names.len() > 1;
        for (i, (name, colour)) in names.into_iter().enumerate() {
            let c = match (several, colour) {
                (true, Some(c)) => PALETTE[c % PALETTE.len()],
                _ => BLACK,
            };
            let lift = (0.75 * em) as i32 + 6 + (1.35 * em * i as f64) as i32;
            out.push(Label {
                text: name,
                at: (target.0, target.1 - lift),
                target,
                size: fs as f64,
                colour: c,
                hpos: HPos::Center,
                moves: Move::Up,
                boxed: false,
            });
        }
    }
    out
}

/// One named line of a [`LinePanel`], with a marked point (x, label) on it.
#[derive(Debug, Clone)]
pub struct LineSeries2 {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    /// A point marked with a dot and written beside it (U_L on a product map).
    pub mark: Option<(f64, f64, String)>,
    pub dashed: bool,
    /// Index into [`PALETTE`] (the same label keeps its colour in every panel).
    pub colour: usize,
}

/// A panel of lines against a shared x axis.
#[derive(Debug, Clone)]
pub struct LinePanel {
    pub title: String,
    pub series: Vec<LineSeries2>,
}

/// Panels of lines, stacked, with one caption (a product map: one panel per model).
#[derive(Debug, Clone)]
pub struct LinePlot {
    pub panels: Vec<LinePanel>,
    pub x_desc: String,
    pub y_desc: String,
    /// x range, and a horizontal reference line (y = 0).
    pub x_range: (f64, f64),
    pub caption: Vec<String>,
    pub size: (u32, u32),
}

/// Write a line plot (.svg or .png).
pub fn draw_lines(p: &LinePlot, out: &Path) -> Result<(), PlotError> {
    render!(out, p.size, lines_on, p)
}

fn lines_on<DB: Backend>(root: DrawingArea<DB, Shift>, p: &LinePlot) -> Result<(), String> {
    root.fill(&WHITE).map_err(de)?;
    let (main, foot, caption) = split_caption(&root, &p.caption, &SMALL_CAPTION);
    let areas = main.split_evenly((p.panels.len().max(1), 1));
    for (area, panel) in areas.iter().zip(&p.panels) {
        line_panel(area, panel, p)?;
    }
    draw_caption(&foot, &caption, &SMALL_CAPTION)?;
    root.present().map_err(de)?;
    Ok(())
}

/// One panel: the y = 0 line, each series in its colour (a colour per label, the same in
/// every panel), its mark, the legend.
fn line_panel<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    panel: &LinePanel,
    p: &LinePlot,
) -> Result<(), String> {
    let ys = panel
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|q| q.1));
    let (lo, hi) = ys.fold((0.0f64, 0.0f64), |(a, b), y| (a.min(y), b.max(y)));
    let pad = 0.08 * (hi - lo).max(0.5);
    let (xa, xb) = p.x_range;
    let width = area.dim_in_pixel().0 as i32 - 28;
    let title_fs = labels::fitting_size(area, &panel.title, 18.0, width)?;
    let body = titled(area, &panel.title, title_fs, 14)?;
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(xa..xb, (lo - pad)..(hi + pad))
        .map_err(de)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .label_style(("sans-serif", 14))
        .draw()
        .map_err(de)?;
    let descs = (p.x_desc.as_str(), p.y_desc.as_str());
    axis_descs(area, chart.plotting_area(), descs, (40, 60), 15.0)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(xa, 0.0), (xb, 0.0)],
            BLACK.mix(0.5).stroke_width(1),
        )))
        .map_err(de)?;
    let mut marks = Vec::new();
    let mut dots = Vec::new();
    let mut legend = labels::Legend {
        entries: Vec::new(),
        size: 13.0,
    };
    for s in &panel.series {
        let c = PALETTE[s.colour % PALETTE.len()];
        let style = c.stroke_width(if s.dashed { 1 } else { 3 });
        chart
            .draw_series(LineSeries::new(s.points.clone(), style))
            .map_err(de)?;
        legend.entries.push((s.label.clone(), style));
        if let Some((x, y, text)) = &s.mark {
            chart
                .draw_series(std::iter::once(Circle::new((*x, *y), 5, c.filled())))
                .map_err(de)?;
            let at = area_px(area, &chart, (*x, *y));
            dots.push((at.0 - 6, at.1 - 6, at.0 + 6, at.1 + 6));
            marks.push(point_label(text.clone(), at, 5, 13.0, c));
        }
    }
    let bounds = labels::plot_bounds(area, chart.plotting_area());
    use SeriesLabelPosition::{LowerLeft, LowerRight, UpperLeft, UpperRight};
    let corners = [UpperRight, UpperLeft, LowerRight, LowerLeft];
    labels::finish(area, bounds, marks, &dots, Some((&legend, &corners[..])))
}

/// A point of a chart in the pixels of its drawing area.
fn area_px<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    xy: (f64, f64),
) -> (i32, i32) {
    let (bx, by) = area.get_base_pixel();
    let (x, y) = chart.backend_coord(&xy);
    (x - bx, y - by)
}

/// A label centred above a marker of radius `r` at `at` (area pixels), free to move up.
fn point_label(text: String, at: (i32, i32), r: i32, size: f64, colour: RGBColor) -> Label {
    Label {
        text,
        at: (at.0, at.1 - r - 3 - (0.6 * size / 1.24).ceil() as i32),
        target: at,
        size,
        colour,
        hpos: HPos::Center,
        moves: Move::Up,
        boxed: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rightmost inked column of `text` drawn by [`rich_text`] on a bitmap.
    fn right_ink(text: &str, z: f64) -> usize {
        register_font("test").expect("embedded font");
        let (w, h) = (400u32, 60u32);
        let mut rgb = vec![255u8; (w * h * 3) as usize];
        {
            let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
            let style = ("sans-serif", z)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Top));
            rich_text(&area, text, (10, 10), &style).expect("drawn");
        }
        (0..w as usize)
            .filter(|x| (0..h as usize).any(|y| rgb[(y * w as usize + x) * 3] < 128))
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn a_space_after_a_subscript_keeps_its_width_in_png() {
        // the piece after a subscript starts with the space: it must move the rest by the
        // font's space (DejaVu Sans: 651 of 2048 units per em), not be dropped or doubled
        for z in [10.0, 13.0, 16.0, 24.0] {
            let moved = right_ink("U_L (V)", z) as f64 - right_ink("U_L(V)", z) as f64;
            let space = 651.0 / 2048.0 * z / 1.24;
            assert!(
                (moved - space).abs() <= 1.5,
                "at {z} px a space after L moved the rest by {moved} px, not {space:.1}"
            );
        }
    }

    #[test]
    fn captions_wrap_at_spaces() {
        let w = wrap(
            &["aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm".to_string()],
            230,
            14,
        );
        assert!(w.len() > 1, "{w:?}");
        assert!(w.iter().all(|l| l.chars().count() <= 26), "{w:?}");
        assert_eq!(
            w.join(" "),
            "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm"
        );
    }

    /// The pieces, joined as `base[sub]`, for reading the cases at a glance.
    fn pieces(text: &str) -> String {
        segments(text)
            .into_iter()
            .map(|(s, sub)| if sub { format!("[{s}]") } else { s })
            .collect()
    }

    #[test]
    fn subscripts_only_after_one_letter_symbols() {
        assert_eq!(pieces("U_L (V vs RHE)"), "U[L] (V vs RHE)");
        assert_eq!(pieces("E − E_F (eV)"), "E − E[F] (eV)");
        assert_eq!(pieces("max ΔG_i(U)/n_i"), "max ΔG[i](U)/n[i]");
        assert_eq!(pieces("ε_d: window"), "ε[d]: window");
        assert_eq!(pieces("ε_{dxy} = -2.1"), "ε[dxy] = -2.1");
        assert_eq!(pieces("at U_L = +0.3 V"), "at U[L] = +0.3 V");
        // names and file names keep their underscores
        for text in [
            "CuN4_Cu4",
            "CuN4_CuNP at U_",
            "Cu_a",
            "make_samples.rs",
            "a _b",
            "x_1",
            "_L",
        ] {
            assert_eq!(pieces(text), text, "{text}");
        }
        assert!(has_subscript("U_L") && !has_subscript("CuN4_Cu4"));
        // a model's name through `literal` is drawn as written, even where it reads as a
        // symbol; the text's own symbols keep their subscripts
        for name in ["A_b", "M_a", "U_L", "x_{dxy}", "a\\_b", "A_b_c", "_"] {
            let text = format!("{} at U_L", literal(name));
            assert_eq!(pieces(&text), format!("{name} at U[L]"), "{name}");
        }
    }

    #[test]
    fn formulas_in_text() {
        assert_eq!(pretty_formulas("NH3/NH4+ (as NH4+)"), "NH₃/NH₄⁺ (as NH₄⁺)");
        assert_eq!(
            pretty_formulas("NH3/NH4+ (as NH3(g))"),
            "NH₃/NH₄⁺ (as NH₃(g))"
        );
        assert_eq!(
            pretty_formulas("NO(g): released uphill, +0.30 eV"),
            "NO(g): released uphill, +0.30 eV"
        );
        assert_eq!(
            pretty_formulas("N2(g) (on the N2O(g) line)"),
            "N₂(g) (on the N₂O(g) line)"
        );
        assert_eq!(
            pretty_formulas("m: first reached NO2-"),
            "m: first reached NO₂⁻"
        );
        assert_eq!(pretty_formulas("NH2OH"), "NH₂OH");
        assert_eq!(
            pretty_formulas("NO3- + 9H+ + 8e- -> NH3(g) + 3H2O, through the *NO3 ... *NH3"),
            "NO₃⁻ + 9H⁺ + 8e⁻ -> NH₃(g) + 3H₂O, through the *NO₃ ... *NH₃"
        );
        // names, numbers and words stay
        for text in [
            "CuN4_Cu4: first reached none",
            "+0.30 eV",
            "A B",
            "HER",
            "  x  ",
            "",
            "Pt(111)",
            "2",
            "e",
        ] {
            assert_eq!(pretty_formulas(text), text, "{text:?}");
        }
    }

    #[test]
    fn subscript_markup_is_well_formed_whatever_the_names() {
        let segs = segments("U_L (V) at E_F");
        let svg = format!("<text>{}</text>", svg_marked(&segs));
        assert_eq!(
            svg_markup(&svg),
            "<text>U<tspan font-size=\"70%\" dy=\"0.429em\">L</tspan><tspan dy=\"-0.3em\">\u{a0}(V) at E</tspan><tspan font-size=\"70%\" dy=\"0.429em\">F</tspan></text>"
        );
        // a name holding the markers is drawn without them
        let named = format!("A{SUB_OPEN}B{SUB_CLOSE}C{SUB_OPEN}");
        assert_eq!(svg_marked(&[(named.clone(), false)]), "ABC");
        // and where one reaches the SVG as plain text, no tspan is opened across elements
        let stray = format!("<text>x{SUB_OPEN}</text><text>{SUB_CLOSE}y</text>");
        assert_eq!(svg_markup(&stray), "<text>x</text><text>y</text>");
        assert_eq!(
            svg_markup(&format!("<text>{named}</text>")),
            "<text>ABC</text>"
        );
    }

    #[test]
    fn pretty_names() {
        assert_eq!(pretty_species("NH2OH*"), "NH₂OH*");
        assert_eq!(pretty_species("*NH2OH"), "*NH₂OH");
        assert_eq!(pretty_species("NO3-(aq)"), "NO₃⁻(aq)");
        assert_eq!(pretty_species("NO3-"), "NO₃⁻");
        assert_eq!(pretty_species("SO4^2-"), "SO₄²⁻");
        assert_eq!(pretty_species("H2O(l)"), "H₂O(l)");
    }
}

/// One labelled point of a descriptor plot.
#[derive(Debug, Clone)]
pub struct Point {
    pub label: String,
    pub x: f64,
    pub y: f64,
    /// Whether its label is drawn (a crowded plot labels only some; its caption says which).
    pub labelled: bool,
    /// Index into [`PALETTE`]: a model keeps its colour in every figure.
    pub colour: usize,
}

/// A line drawn under the points of a scatter (a volcano limb, or its envelope).
#[derive(Debug, Clone)]
pub struct Curve {
    pub label: String,
    pub points: Vec<(f64, f64)>,
    /// The envelope (solid, dark) rather than one limb (dashed, grey).
    pub main: bool,
}

/// A scatter of labelled points (U_L against a descriptor), with lines under them.
#[derive(Debug, Clone)]
pub struct Scatter {
    pub title: String,
    pub x_desc: String,
    pub y_desc: String,
    pub points: Vec<Point>,
    pub curves: Vec<Curve>,
    pub caption: Vec<String>,
    pub size: (u32, u32),
}

/// Write a labelled scatter (.svg or .png).
pub fn draw_scatter(s: &Scatter, out: &Path) -> Result<(), PlotError> {
    render!(out, s.size, scatter_on, s)
}

/// The axes' ranges of a scatter: its points with a margin, and the curves inside them.
fn scatter_range(s: &Scatter) -> ((f64, f64), (f64, f64)) {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in &s.points {
        x0 = x0.min(p.x);
        x1 = x1.max(p.x);
        y0 = y0.min(p.y);
        y1 = y1.max(p.y);
    }
    let px = ((x1 - x0) * 0.25).max(0.2);
    let py = ((y1 - y0) * 0.25).max(0.2);
    let (xa, xb) = (x0 - px, x1 + px);
    for (x, y) in s.curves.iter().flat_map(|c| c.points.iter()) {
        if *x >= xa && *x <= xb {
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
    }
    ((xa, xb), (y0 - py, y1 + py))
}

fn scatter_on<DB: Backend>(root: DrawingArea<DB, Shift>, s: &Scatter) -> Result<(), String> {
    root.fill(&WHITE).map_err(de)?;
    let (main, foot, caption) = split_caption(&root, &s.caption, &SMALL_CAPTION);
    let ((xa, xb), (ya, yb)) = scatter_range(s);
    let body = titled(&main, &s.title, 20.0, 16)?;
    let mut chart = ChartBuilder::on(&body)
        .x_label_area_size(46)
        .y_label_area_size(64)
        .build_cartesian_2d(xa..xb, ya..yb)
        .map_err(de)?;
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .label_style(("sans-serif", 15))
        .draw()
        .map_err(de)?;
    let descs = (s.x_desc.as_str(), s.y_desc.as_str());
    axis_descs(&main, chart.plotting_area(), descs, (46, 64), 16.0)?;
    let mut legend = labels::Legend {
        entries: Vec::new(),
        size: 13.0,
    };
    for c in &s.curves {
        let style = if c.main {
            BLACK.mix(0.8).stroke_width(2)
        } else {
            BLACK.mix(0.35).stroke_width(1)
        };
        chart
            .draw_series(LineSeries::new(c.points.clone(), style))
            .map_err(de)?;
        legend.entries.push((c.label.clone(), style));
    }
    let font = if s.points.len() > 20 { 12.0 } else { 16.0 };
    let r = if s.points.len() > 20 { 4 } else { 7 };
    let mut names = Vec::new();
    let mut dots = Vec::new();
    for p in &s.points {
        let c = PALETTE[p.colour % PALETTE.len()];
        chart
            .draw_series(std::iter::once(Circle::new((p.x, p.y), r, c.filled())))
            .map_err(de)?;
        let at = area_px(&main, &chart, (p.x, p.y));
        dots.push((at.0 - r - 1, at.1 - r - 1, at.0 + r + 1, at.1 + r + 1));
        if p.labelled {
            names.push(point_label(p.label.clone(), at, r, font, BLACK));
        }
    }
    let bounds = labels::plot_bounds(&main, chart.plotting_area());
    use SeriesLabelPosition::{LowerLeft, LowerRight, UpperLeft, UpperRight};
    let corners = [LowerRight, LowerLeft, UpperRight, UpperLeft];
    labels::finish(&main, bounds, names, &dots, Some((&legend, &corners[..])))?;
    draw_caption(&foot, &caption, &SMALL_CAPTION)?;
    root.present().map_err(de)?;
    Ok(())
}
