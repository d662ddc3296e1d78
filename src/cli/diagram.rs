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
    if let Err(code) = super::out::figure("-o", &a.output, a.force.force) {
        return code;
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
            return super::out::plot_failed(&a.output, &e);
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
        return super::out::plot_failed(&a.output, &e);
    }
    eprintln!("wrote {}", a.output.display());
    exit::OK
}
