//! `chepath report`: the main job on a tree of calculations, with a progress bar.

use super::{fail, ReportArgs};
use chepath::error::{exit, Error};
use chepath::output::report::{self, Bundle};
use chepath::output::rows::By;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub fn run(a: &ReportArgs) -> i32 {
    // Refused before any work (as `diagram`): nothing a user had is overwritten unasked.
    if let Err(e) = report::refuse_existing(&a.output, a.force.force) {
        return fail(&e);
    }
    if let Err(code) = super::out::directory(&a.output) {
        return code;
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
    // nothing to report without a complete path: no files written (the reasons are printed)
    let complete = b.pathway.models.iter().any(|m| m.best_path.is_some());
    let written = if complete {
        Some(report::write(&b, &a.output, a.force.force, &mut step))
    } else {
        None
    };
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
        Some(Ok(files)) => {
            println!("wrote {} files to {}", files.len(), a.output.display());
            exit::OK
        }
        Some(Err(e)) => write_failed(&a.output, &e),
        None => {
            eprintln!("error: no report written to {}", a.output.display());
            eprintln!("error: no model has a complete path from the initial to the final state (each model's warnings name the missing intermediates)");
            exit::FORMAT
        }
    }
}

/// A report that could not be written: "could not write PATH: reason", exit 3; anything
/// else with the output directory in front.
fn write_failed(out: &std::path::Path, e: &Error) -> i32 {
    match e {
        Error::Write { .. } => eprintln!("error: {e}"),
        _ => eprintln!("error: {}: {e}", out.display()),
    }
    e.exit_code()
}
