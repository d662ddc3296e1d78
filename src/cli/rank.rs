//! `chepath rank`: one row per catalyst model, sorted, in the format asked for.

use super::{exit, fail, ByArg, FormatOut, RankArgs};
use chepath::output::plot::PlotError;
use chepath::output::report::Bundle;
use chepath::output::rows::By;
use std::path::Path;

/// Draw a figure to `out` (checked before any work, see [`super::out::figure`]): its data
/// from `data` (an error there: the input cannot give the figure), then the drawing; print
/// where it went. Err: the exit code, the error printed.
fn figure<T>(
    out: &Path,
    what: &str,
    data: impl FnOnce() -> Result<T, String>,
    draw: impl FnOnce(&T, &Path) -> Result<(), PlotError>,
) -> Result<(), i32> {
    let fig = data().map_err(|e| {
        eprintln!("error: {what}: {e}");
        exit::FORMAT
    })?;
    draw(&fig, out).map_err(|e| super::out::plot_failed(out, &e))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

pub fn run(a: &RankArgs) -> i32 {
    let by = match a.by {
        ByArg::LimitingPotential => By::LimitingPotential,
        ByArg::Adsorption => By::Adsorption,
        ByArg::Dband => By::Dband,
        ByArg::Descriptor => By::Descriptor,
        ByArg::Barrier => By::Barrier,
    };
    // refused before any work: a figure that is not .svg/.png, one that exists, or one that
    // cannot be written
    for (opt, out) in [("--plot", &a.plot), ("--pdos-plot", &a.pdos_plot)] {
        if let Some(out) = out {
            if let Err(code) = super::out::figure(opt, out, a.force.force) {
                return code;
            }
        }
    }
    let bundle = chepath::load::load(&a.path, a.network.template.as_deref())
        .and_then(|l| Bundle::analyze(l, a.at.u, a.at.ph, by, &mut |_| {}));
    let b = match bundle {
        Ok(b) => b,
        Err(e) => return fail(&e),
    };
    if let Some(out) = &a.plot {
        let data = || chepath::output::figures::descriptor_plot(&b.pathway, &b.rows);
        if let Err(code) = figure(out, "--plot", data, chepath::output::plot::draw_scatter) {
            return code;
        }
    }
    if let Some(out) = &a.pdos_plot {
        let data = || {
            chepath::output::figures::pdos_overlay(&b.loaded.file, &b.loaded.dataset)
                .map_err(|e| e.to_string())
        };
        if let Err(code) = figure(out, "--pdos-plot", data, chepath::output::plot::draw_pdos) {
            return code;
        }
    }
    let ranking = b.ranking();
    match a.format {
        FormatOut::Json => match serde_json::to_string_pretty(&ranking.json()) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::INTERNAL;
            }
        },
        FormatOut::Csv => match ranking.csv() {
            Ok(s) => print!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::INTERNAL;
            }
        },
        FormatOut::Markdown => println!("{}", ranking.markdown()),
        FormatOut::Table => {
            let mut lines = ranking.preamble();
            lines.extend(chepath::output::rows::layout_lines(&b.pathway, 20));
            print!("{}\n{}", lines.join("\n"), ranking.table());
            for r in &b.rows {
                if let Some(d) = &r.dband {
                    println!(
                        "  d-band centre of {}: {} ({}), {}",
                        r.model, d.file, d.atoms, d.settings
                    );
                }
            }
        }
    }
    super::paths_code(&b.pathway, a.by == ByArg::LimitingPotential, a.strict)
}
