//! `diagram`: a free-energy diagram of a network file or tree, its size checked before any
//! work (`chepath diagram`, `chepath.diagram()`).

use crate::error::Error;
use crate::output::figures::{self, Which};
use crate::output::plot::{Diagram, MAX_PIXELS};
use std::path::Path;

/// How to draw; [`DiagramOptions::default`] holds the CLI's defaults.
#[derive(Debug, Clone)]
pub struct DiagramOptions {
    pub which: Which,
    /// Only these models (all when `None`).
    pub models: Option<Vec<String>>,
    pub single_panel: bool,
    /// Size at 100 DPI, px.
    pub width: u32,
    pub height: u32,
    pub dpi: u32,
    /// Font of state labels at 100 DPI, px.
    pub font: u32,
    /// Panels at these potentials (V on the conventions' scale) instead of the one at U.
    pub at: Vec<f64>,
}

impl Default for DiagramOptions {
    fn default() -> Self {
        DiagramOptions {
            which: Which::Best,
            models: None,
            single_panel: false,
            width: 1400,
            height: 620,
            dpi: 100,
            font: 17,
            at: Vec::new(),
        }
    }
}

/// Allowed `width`/`height` (px at 100 DPI), `dpi` and `font` (px at 100 DPI): the CLI's
/// value parsers and the Python layer check the same bounds.
pub const SIZE_PX: std::ops::RangeInclusive<u32> = 100..=10_000;
pub const DPI: std::ops::RangeInclusive<u32> = 10..=1_200;
pub const FONT_PX: std::ops::RangeInclusive<u32> = 4..=200;

/// `v` if it lies in `range`, else the message `"{v} {unit}: expected A to B"`.
pub fn bounded(v: u32, range: &std::ops::RangeInclusive<u32>, unit: &str) -> Result<u32, String> {
    if range.contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "{v} {unit}: expected {} to {}",
            range.start(),
            range.end()
        ))
    }
}

impl DiagramOptions {
    /// Each of width, height, DPI and font within its bounds ([`SIZE_PX`], [`DPI`],
    /// [`FONT_PX`]), or which is not (`width = 50 px: expected 100 to 10000`).
    pub fn check_bounds(&self) -> Result<(), String> {
        let named = |flag: &str, r: Result<u32, String>| r.map_err(|e| format!("{flag} = {e}"));
        named("width", bounded(self.width, &SIZE_PX, "px"))?;
        named("height", bounded(self.height, &SIZE_PX, "px"))?;
        named("dpi", bounded(self.dpi, &DPI, "dpi"))?;
        named("font", bounded(self.font, &FONT_PX, "px"))?;
        Ok(())
    }

    /// The drawn size (px) and font (px), or why it is refused: two panels of width ×
    /// height at the DPI must fit [`MAX_PIXELS`].
    pub fn pixels(&self) -> Result<((u32, u32), u32), String> {
        let s = self.dpi as f64 / 100.0;
        let first = self.at.len().max(1) as f64;
        let panels = if self.single_panel {
            first
        } else {
            first + 1.0
        };
        let px = (self.width as f64 * s) * (self.height as f64 * s * panels);
        if !(px.is_finite() && px <= MAX_PIXELS as f64) || self.width == 0 || self.height == 0 {
            return Err(format!(
                "--width {} --height {} --dpi {} makes a figure of about {:.0} Mpx; chepath draws at most {} Mpx (and at least 1 px): lower the size or the DPI",
                self.width,
                self.height,
                self.dpi,
                px / 1e6,
                MAX_PIXELS / 1_000_000
            ));
        }
        let size = (
            (self.width as f64 * s) as u32,
            (self.height as f64 * s) as u32,
        );
        Ok((size, (self.font as f64 * s).round() as u32))
    }
}

/// The diagram of the network file or tree at `path` at U and pH (its defaults when `None`).
pub fn diagram(
    path: &Path,
    template: Option<&str>,
    u: Option<f64>,
    ph: Option<f64>,
    opts: &DiagramOptions,
) -> Result<Diagram, Error> {
    let (size, font) = opts.pixels().map_err(Error::input)?;
    let l = crate::load::load_with(path, template, false)?;
    let report = crate::pathway::run(&l.file, &l.dataset, u, ph)?;
    let mut d = figures::free_energy_diagram(
        &report,
        opts.models.as_deref(),
        opts.which,
        opts.single_panel,
        size,
        font,
    )
    .map_err(Error::input)?;
    if !opts.at.is_empty() {
        // the panels at the chosen potentials replace the one at U; the U_L panel stays
        let extra = figures::panels_at(&report, opts.models.as_deref(), opts.which, &opts.at);
        d.size.1 += size.1 * (extra.len() as u32 - 1);
        d.panels.splice(0..1, extra);
    }
    Ok(d)
}

/// The product map of the network file or tree at `path` at U and pH
/// ([`figures::product_map`]): one panel per model of `opts.width` × `opts.height` at the DPI.
pub fn product_map(
    path: &Path,
    template: Option<&str>,
    u: Option<f64>,
    ph: Option<f64>,
    opts: &DiagramOptions,
) -> Result<crate::output::plot::LinePlot, Error> {
    let (size, _) = opts.pixels().map_err(Error::input)?;
    let l = crate::load::load_with(path, template, false)?;
    let report = crate::pathway::run(&l.file, &l.dataset, u, ph)?;
    figures::product_map(&report, size).map_err(Error::input)
}
