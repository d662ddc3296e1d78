//! `chepath report`: the main job on a tree of calculations, with a progress bar.

use super::{exit, ReportArgs};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

pub fn run(a: &ReportArgs) -> i32 {
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
    let b = match chepath::report::build(&a.root, a.template.as_deref(), &mut step) {
        Ok(b) => b,
        Err(e) => {
            bar.finish_and_clear();
            eprintln!("error: {e}");
            return if e.is_io() { exit::IO } else { exit::FORMAT };
        }
    };
    let written = chepath::report::write(&b, &a.output, a.force, &mut step);
    bar.finish_and_clear();
    let sort = chepath::summary::sort_description(
        chepath::summary::By::LimitingPotential,
        &b.pathway.network.direction,
    );
    // The ranking, as `rank` prints it, and one line per model.
    print!("{}", super::pathway::conventions_text(&b.pathway));
    println!("sorted by {sort}");
    print!(
        "{}",
        super::rank::table(&b.rows, &b.pathway.conventions.scale)
    );
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
                    .map(|x| format!(", nitrate adsorption {x:+.3} eV"))
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
        Err(e) => {
            eprintln!("error: {e}");
            if e.is_io() {
                exit::IO
            } else {
                exit::FORMAT
            }
        }
    }
}
