//! `chepath diagram`: free-energy diagrams to SVG or PNG.

use super::{exit, fail, DiagramArgs, PathArg};
use chepath::api::diagram::{diagram, DiagramOptions};
use chepath::output::figures::Which;

pub fn run(a: &DiagramArgs) -> i32 {
    let opts = DiagramOptions {
        which: match a.path_choice {
            PathArg::Best => Which::Best,
            PathArg::Greedy => Which::Greedy,
            PathArg::All => Which::All,
        },
        models: a
            .models
            .as_ref()
            .map(|m| m.split(',').map(|s| s.trim().to_string()).collect()),
        single_panel: a.single_panel,
        width: a.width,
        height: a.height,
        dpi: a.dpi,
        font: a.font,
        at: a.at_potentials.clone(),
    };
    // refused before any work, as usage errors
    if let Err(e) = opts.pixels() {
        eprintln!("error: {e}");
        return exit::USAGE;
    }
    let ext = a
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    if !matches!(ext.as_deref(), Some("svg" | "png")) {
        eprintln!(
            "error: -o {}: the figure must end in .svg or .png",
            a.output.display()
        );
        return exit::USAGE;
    }
    if a.output.exists() && !a.force.force {
        eprintln!("error: {} exists; chepath does not overwrite files: pass --force, or choose another name", a.output.display());
        return exit::IO;
    }
    if a.products {
        let map = chepath::api::diagram::product_map(
            &a.path,
            a.network.template.as_deref(),
            a.at.u,
            a.at.ph,
            &opts,
        );
        let drawn = match map {
            Ok(m) => chepath::output::plot::draw_lines(&m, &a.output),
            Err(e) => return fail(&e),
        };
        if let Err(e) = drawn {
            eprintln!("error: {e}");
            return exit::IO;
        }
        eprintln!("wrote {}", a.output.display());
        return exit::OK;
    }
    let d = match diagram(
        &a.path,
        a.network.template.as_deref(),
        a.at.u,
        a.at.ph,
        &opts,
    ) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    if let Err(e) = chepath::output::plot::draw_diagram(&d, &a.output) {
        eprintln!("error: {e}");
        return exit::IO;
    }
    eprintln!("wrote {}", a.output.display());
    exit::OK
}
