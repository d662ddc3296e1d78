//! `chepath rank`: one row per catalyst model, sorted, in the format asked for.

use super::{exit, fail, ByArg, FormatOut, RankArgs};
use chepath::output::report::Bundle;
use chepath::output::rows::By;
use std::path::Path;

/// Draw a figure to `out` unless it exists (without --force); print where it went.
fn figure(
    out: &Path,
    force: bool,
    what: &str,
    draw: impl FnOnce() -> Result<(), String>,
) -> Result<(), i32> {
    if out.exists() && !force {
        eprintln!("error: {} exists; pass --force to overwrite", out.display());
        return Err(exit::IO);
    }
    match draw() {
        Ok(()) => {
            eprintln!("wrote {}", out.display());
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {what}: {e}");
            Err(exit::FORMAT)
        }
    }
}

pub fn run(a: &RankArgs) -> i32 {
    let by = match a.by {
        ByArg::LimitingPotential => By::LimitingPotential,
        ByArg::Adsorption => By::Adsorption,
        ByArg::Dband => By::Dband,
        ByArg::Descriptor => By::Descriptor,
        ByArg::Barrier => By::Barrier,
    };
    let bundle = chepath::load::load(&a.path, a.network.template.as_deref())
        .and_then(|l| Bundle::analyze(l, a.at.u, a.at.ph, by, &mut |_| {}));
    let b = match bundle {
        Ok(b) => b,
        Err(e) => return fail(&e),
    };
    if let Some(out) = &a.plot {
        let draw = || {
            let s = chepath::output::figures::descriptor_plot(&b.pathway, &b.rows)?;
            chepath::output::plot::draw_scatter(&s, out).map_err(|e| e.to_string())
        };
        if let Err(code) = figure(out, a.force.force, "--plot", draw) {
            return code;
        }
    }
    if let Some(out) = &a.pdos_plot {
        let draw = || {
            let p = chepath::output::figures::pdos_overlay(&b.loaded.file, &b.loaded.dataset)
                .map_err(|e| e.to_string())?;
            chepath::output::plot::draw_pdos(&p, out).map_err(|e| e.to_string())
        };
        if let Err(code) = figure(out, a.force.force, "--pdos-plot", draw) {
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
    exit::OK
}
