//! `chepath diagram`: free-energy diagrams to SVG or PNG.

use super::{exit, fail, DiagramArgs, PathArg};
use chepath::output::figures::{self, Which};

pub fn run(a: &DiagramArgs) -> i32 {
    // Two panels of width × height at the DPI must fit the drawing limit: refused before
    // any work, as a usage error.
    let s = a.dpi as f64 / 100.0;
    let panels = if a.single_panel { 1.0 } else { 2.0 };
    let px = (a.width as f64 * s) * (a.height as f64 * s * panels);
    if px > chepath::output::plot::MAX_PIXELS as f64 {
        eprintln!(
            "error: --width {} --height {} --dpi {} makes a figure of about {:.0} Mpx; chepath draws at most {} Mpx: lower the size or the DPI",
            a.width,
            a.height,
            a.dpi,
            px / 1e6,
            chepath::output::plot::MAX_PIXELS / 1_000_000
        );
        return exit::USAGE;
    }
    if a.output.exists() && !a.force.force {
        eprintln!("error: {} exists; chepath does not overwrite files: pass --force, or choose another name", a.output.display());
        return exit::IO;
    }
    let report = chepath::load::load_with(&a.path, a.network.template.as_deref(), false)
        .and_then(|l| chepath::pathway::run(&l.file, &l.dataset, a.at.u, a.at.ph));
    let report = match report {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let models: Option<Vec<String>> = a
        .models
        .as_ref()
        .map(|m| m.split(',').map(|s| s.trim().to_string()).collect());
    let which = match a.path_choice {
        PathArg::Best => Which::Best,
        PathArg::Greedy => Which::Greedy,
        PathArg::All => Which::All,
    };
    let scale = a.dpi as f64 / 100.0;
    let size = (
        (a.width as f64 * scale) as u32,
        (a.height as f64 * scale) as u32,
    );
    let font = (a.font as f64 * scale).round() as u32;
    let d = match figures::free_energy_diagram(
        &report,
        models.as_deref(),
        which,
        a.single_panel,
        size,
        font,
    ) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FORMAT;
        }
    };
    if let Err(e) = chepath::output::plot::draw_diagram(&d, &a.output) {
        eprintln!("error: {e}");
        return exit::IO;
    }
    eprintln!("wrote {}", a.output.display());
    exit::OK
}
