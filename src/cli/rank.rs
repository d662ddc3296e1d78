//! `chepath rank`: one row per catalyst model, sorted, in the format asked for.

use super::{exit, ByArg, FormatOut, RankArgs};
use chepath::summary::{self, By, Row};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

fn opt(x: Option<f64>, d: usize) -> String {
    x.map(|v| format!("{v:+.d$}")).unwrap_or_else(|| "-".into())
}

pub fn run(a: &RankArgs) -> i32 {
    let (file, base) = match chepath::calc::load_network(&a.path, a.template.as_deref()) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return if e.is_io() { exit::IO } else { exit::FORMAT };
        }
    };
    let report = match chepath::che::run(&file, &base, a.u, a.ph) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return if e.is_io() { exit::IO } else { exit::FORMAT };
        }
    };
    let dband = match summary::dband_values(&file, &base) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: d-band centre: {e}");
            return if e.is_io() { exit::IO } else { exit::FORMAT };
        }
    };
    let by = match a.by {
        ByArg::LimitingPotential => By::LimitingPotential,
        ByArg::Adsorption => By::Adsorption,
        ByArg::Dband => By::Dband,
    };
    let rows = summary::rows(&report, &dband, by);
    if let Some(out) = &a.plot {
        if out.exists() && !a.force {
            eprintln!("error: {} exists; pass --force to overwrite", out.display());
            return exit::IO;
        }
        let res = chepath::figures::descriptor_plot(&report, &rows)
            .map_err(|e| e.to_string())
            .and_then(|s| chepath::plot::draw_scatter(&s, out).map_err(|e| e.to_string()));
        match res {
            Ok(()) => eprintln!("wrote {}", out.display()),
            Err(e) => {
                eprintln!("error: --plot: {e}");
                return exit::FORMAT;
            }
        }
    }
    if let Some(out) = &a.pdos_plot {
        if out.exists() && !a.force {
            eprintln!("error: {} exists; pass --force to overwrite", out.display());
            return exit::IO;
        }
        let res = summary::pdos_overlay(&file, &base)
            .map_err(|e| e.to_string())
            .and_then(|p| chepath::plot::draw_pdos(&p, out).map_err(|e| e.to_string()));
        match res {
            Ok(()) => eprintln!("wrote {}", out.display()),
            Err(e) => {
                eprintln!("error: --pdos-plot: {e}");
                return exit::FORMAT;
            }
        }
    }
    let conv = super::pathway::conventions_text(&report);
    let sort_desc = match by {
        By::LimitingPotential => format!(
            "limiting potential ({}: {} first)",
            report.network.direction,
            if report.network.direction == "oxidation" {
                "lowest"
            } else {
                "highest"
            }
        ),
        By::Adsorption => "nitrate adsorption ΔG (most negative first)".into(),
        By::Dband => "d-band centre (closest to E-fermi first)".into(),
    };
    match a.format {
        FormatOut::Json => {
            let v = serde_json::json!({
                "schema_version": chepath::records::SCHEMA_VERSION,
                "conventions": report.conventions,
                "network": report.network,
                "sorted_by": sort_desc,
                "rows": rows,
            });
            match serde_json::to_string_pretty(&v) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("error: {e}");
                    return exit::INTERNAL;
                }
            }
        }
        FormatOut::Csv => print!("{}", summary::csv(&rows, &report, &sort_desc)),
        FormatOut::Markdown => println!("{}", summary::markdown(&rows, &report, &sort_desc)),
        FormatOut::Table => {
            print!(
                "{conv}sorted by {sort_desc}\n{}",
                table(&rows, &report.conventions.scale)
            );
            for r in &rows {
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

pub fn table(rows: &[Row], scale: &str) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "#".to_string(),
        "model".into(),
        format!("U_L (V vs {scale})"),
        "PDS".into(),
        "ΔG PDS (eV)".into(),
        "ΔG ads NO3 (eV)".into(),
        "chemical bottleneck".into(),
        "ε_d (eV)".into(),
        "warnings".into(),
    ]);
    for (i, r) in rows.iter().enumerate() {
        t.add_row(vec![
            Cell::new(i + 1),
            Cell::new(&r.model),
            Cell::new(opt(r.limiting_potential, 3)).set_alignment(CellAlignment::Right),
            Cell::new(r.pds.as_deref().unwrap_or("-")),
            Cell::new(opt(r.pds_dg, 3)).set_alignment(CellAlignment::Right),
            Cell::new(opt(r.adsorption_dg, 3)).set_alignment(CellAlignment::Right),
            Cell::new(match (&r.chemical_bottleneck, r.chemical_bottleneck_dg) {
                (Some(s), Some(g)) => format!("{s} ({g:+.2})"),
                _ => "-".into(),
            }),
            Cell::new(opt(r.dband.as_ref().and_then(|d| d.center), 3))
                .set_alignment(CellAlignment::Right),
            Cell::new(r.warnings).set_alignment(CellAlignment::Right),
        ]);
    }
    format!("{t}\n")
}
