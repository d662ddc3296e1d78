//! `chepath report`: the main job on a tree of calculations, with a progress bar.

use super::{fail, ReportArgs};
use chepath::error::exit;
use chepath::output::report::{self, Bundle};
use chepath::output::rows::By;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub fn run(a: &ReportArgs) -> i32 {
    // Refused before any work (as `diagram`): nothing a user had is overwritten unasked.
    if let Err(e) = report::refuse_existing(&a.output, a.force.force) {
        return fail(&e);
    }
    let bar = ProgressBar::new(7);
    if std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let mut step = |msg: &str| {
        bar.set_message(msg.to_string());
        bar.inc(1);
    };
    step("reading the calculations");
    let built = chepath::load::load(&a.root, a.network.template.as_deref())
        .and_then(|l| Bundle::analyze(l, a.at.u, a.at.ph, By::LimitingPotential, &mut step));
    let b = match built {
        Ok(b) => b,
        Err(e) => {
            bar.finish_and_clear();
            return fail(&e);
        }
    };
    let written = report::write(&b, &a.output, a.force.force, &mut step);
    bar.finish_and_clear();
    // The ranking, as `rank` prints it, and one line per model.
    let ranking = b.ranking();
    let mut lines = ranking.preamble();
    lines.extend(chepath::output::rows::layout_lines(&b.pathway, 20));
    print!("{}\n{}", lines.join("\n"), ranking.table());
    for m in &b.pathway.models {
        if let Some(p) = &m.pds {
            println!(
                "  {}: PDS {} → {} (ΔG {:+.3} eV, U_L {:+.3} V){}",
                m.name,
                p.from,
                p.to,
                p.dg,
                m.limiting_potential.unwrap_or(f64::NAN),
                m.adsorption_dg
                    .map(|x| format!(
                        ", {} {x:+.3} eV",
                        chepath::output::rows::adsorption_label(&b.pathway)
                    ))
                    .unwrap_or_default()
            );
        }
        for w in &m.warnings {
            println!("    - warning: {w}");
        }
    }
    match written {
        Ok(files) => {
            println!("wrote {} files to {}", files.len(), a.output.display());
            exit::OK
        }
        Err(e) => fail(&e),
    }
}
