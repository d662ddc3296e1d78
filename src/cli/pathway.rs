//! `chepath pathway`: free-energy paths, limiting potentials and PDS per model.

use super::{exit, fail, PathwayArgs};
use chepath::output::rows;
use chepath::pathway::che::{ModelResult, PathResult, Report};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, CellAlignment, Table};

pub fn run(a: &PathwayArgs) -> i32 {
    let report = chepath::load::load_with(&a.path, a.network.template.as_deref(), false)
        .and_then(|l| chepath::checks::lint::checked_pathway(&l, a.at.u, a.at.ph));
    let report = match report {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    if a.json {
        return match serde_json::to_string_pretty(&report) {
            Ok(s) => {
                println!("{s}");
                super::paths_code(&report, true, a.strict)
            }
            Err(e) => {
                eprintln!("error: {e}");
                exit::INTERNAL
            }
        };
    }
    print!("{}", text(&report, a.all_paths));
    super::paths_code(&report, true, a.strict)
}

fn f(x: f64) -> String {
    format!("{x:+.3}")
}

pub fn conventions_text(r: &Report) -> String {
    let notice = r
        .notice
        .as_ref()
        .map(|n| format!("NOTICE: {n}\n"))
        .unwrap_or_default();
    format!("{notice}{}\n", rows::conventions_line(r))
}

/// The text of one model: its best path as a table, then U_L, η, the chemical bottleneck,
/// the adsorption step, the greedy path, closure and HER checks, the other paths (listed
/// with `all`) and the model's warnings.
fn model_text(m: &ModelResult, r: &Report, all: bool) -> String {
    let mut s = format!("\nmodel {}\n", m.name);
    let Some(bi) = m.best_path else {
        s.push_str("  no complete path\n");
        s.push_str(&products_text(m, r));
        for w in &m.warnings {
            s.push_str(&format!("  - {w}\n"));
        }
        return s;
    };
    let p = &m.paths[bi];
    let t = path_table(p, r);
    s.push_str(&format!(
        "  best path (minimax, {} of {}): {}\n",
        bi + 1,
        m.paths.len(),
        p.states.join(" → ")
    ));
    s.push_str(&format!("{t}\n"));
    s.push_str(&potential_lines(m, r));
    s.push_str(&check_lines(m, bi));
    s.push_str(&products_text(m, r));
    s.push_str(&other_paths_lines(m, all));
    if !m.warnings.is_empty() {
        s.push_str(&format!("  warnings {}\n", m.warnings.len()));
        for w in &m.warnings {
            s.push_str(&format!("    - {w}\n"));
        }
    }
    s
}

/// Every product of the model: U_L, PDS, chemical bottleneck, U_eq and η, or why it is not
/// computable; then which is reached first and by what margin.
fn products_text(m: &ModelResult, r: &Report) -> String {
    if m.products.is_empty() {
        return String::new();
    }
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "product".to_string(),
        format!("U_L (V vs {})", r.conventions.scale),
        "PDS".into(),
        "chemical bottleneck".into(),
        format!("U_eq (V, pH {})", r.conventions.ph),
        "η (V)".into(),
        "note".into(),
    ]);
    let num = |x: Option<f64>| x.map(f).unwrap_or_else(|| "-".into());
    // notes as numbered footnotes under the table (one number per distinct note), so
    // that a long note does not widen every row
    let mut notes: Vec<&str> = Vec::new();
    for p in &m.products {
        let mark = p.note.as_deref().map(|n| {
            let i = notes.iter().position(|x| *x == n).unwrap_or_else(|| {
                notes.push(n);
                notes.len() - 1
            });
            format!("[{}]", i + 1)
        });
        t.add_row(vec![
            Cell::new(&p.product),
            Cell::new(num(p.limiting_potential)).set_alignment(CellAlignment::Right),
            Cell::new(
                p.pds
                    .as_ref()
                    .map(|d| format!("{} → {} ({:+.2})", d.from, d.to, d.dg))
                    .unwrap_or_else(|| "-".into()),
            ),
            Cell::new(
                p.chemical_bottleneck
                    .as_ref()
                    .map(|c| format!("{} → {} ({:+.2})", c.from, c.to, c.dg))
                    .unwrap_or_else(|| "-".into()),
            ),
            Cell::new(num(p.u_eq)).set_alignment(CellAlignment::Right),
            Cell::new(num(p.overpotential)).set_alignment(CellAlignment::Right),
            Cell::new(mark.unwrap_or_default()),
        ]);
    }
    let mut s = format!("  products\n{t}\n");
    for (i, n) in notes.iter().enumerate() {
        s.push_str(&format!("  [{}] {n}\n", i + 1));
    }
    if let Some(sel) = &m.selectivity {
        match (&sel.first, &sel.second, sel.margin) {
            (Some(a), Some(_), Some(_)) if !sel.tied_with_first.is_empty() => s.push_str(&format!(
                "  selectivity: {a}, {} tie for first ({})\n",
                sel.tied_with_first.join(", "),
                sel.basis
            )),
            (Some(a), Some(b), Some(d)) => s.push_str(&format!(
                "  selectivity: {a} first, {d:.3} V before {b}{} ({})\n",
                if sel.tied_with_second.is_empty() {
                    String::new()
                } else {
                    format!(" (tied with {})", sel.tied_with_second.join(", "))
                },
                sel.basis
            )),
            (Some(a), _, _) => s.push_str(&format!(
                "  selectivity: {a} is the only computable product\n"
            )),
            _ => s.push_str("  selectivity: no product is computable\n"),
        }
        if !sel.blocked.is_empty() {
            s.push_str(&format!(
                "  released by an uphill chemical step (no potential drives it; ranked last): {}\n",
                sel.blocked.join(", ")
            ));
        }
        if !sel.uphill_chemical.is_empty() {
            s.push_str(&format!(
                "  uphill chemical step on the way to: {}\n",
                sel.uphill_chemical.join(", ")
            ));
        }
    }
    s
}

/// One row per step of path `p`: ΔG at U and at 0, the kind, PDS or chemical-bottleneck
/// mark, and the equation.
fn path_table(p: &PathResult, r: &Report) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED);
    let with_barriers = p.steps.iter().any(|s| s.barrier.is_some());
    let u_head = format!("ΔG(U={}) eV", r.conventions.u);
    let ea_head = format!("Ea(U={}) eV", r.conventions.u);
    let mut header = vec!["step", "n", u_head.as_str(), "ΔG(0) eV"];
    if with_barriers {
        header.push(ea_head.as_str());
    }
    header.extend(["kind", "", "equation"]);
    t.set_header(header);
    for (k, st) in p.steps.iter().enumerate() {
        let mark = if Some(k) == p.pds {
            "PDS"
        } else if Some(k) == p.chemical_bottleneck && st.dg > 0.0 {
            "chem."
        } else {
            ""
        };
        let mut row = vec![
            Cell::new(format!("{} → {}", st.from, st.to)),
            Cell::new(st.n).set_alignment(CellAlignment::Right),
            Cell::new(f(st.dg)).set_alignment(CellAlignment::Right),
            Cell::new(f(st.dg0)).set_alignment(CellAlignment::Right),
        ];
        if with_barriers {
            let ea = st.barrier.as_ref().map(|b| f(b.ea)).unwrap_or_default();
            row.push(Cell::new(ea).set_alignment(CellAlignment::Right));
        }
        let mark = if Some(k) == p.largest_barrier && mark.is_empty() {
            "max Ea"
        } else {
            mark
        };
        row.extend([
            Cell::new(format!(
                "{}{}",
                st.kind,
                if st.lumped { " (lumped)" } else { "" }
            )),
            Cell::new(mark),
            Cell::new(&st.equation),
        ]);
        t.add_row(row);
    }
    t
}

/// U_L with the PDS, η against U_eq, the chemical bottleneck and the adsorption step's ΔG,
/// each when the model has it.
fn potential_lines(m: &ModelResult, r: &Report) -> String {
    let dir = r.network.direction;
    let mut s = String::new();
    if let (Some(ul), Some(pds)) = (m.limiting_potential, &m.pds) {
        s.push_str(&format!(
            "  U_L = {:+.3} V vs {} ({dir}); PDS {} → {} (ΔG(0) = {:+.3} eV, n = {})\n",
            ul, r.conventions.scale, pds.from, pds.to, pds.dg, pds.n
        ));
    }
    if let Some(w) = &m.potential_window {
        s.push_str(&format!(
            "  every electrochemical step downhill for: {}\n",
            w.describe()
        ));
    }
    if let (Some(eta), Some(ueq)) = (m.overpotential, r.network.u_eq) {
        s.push_str(&format!(
            "  η = {eta:.3} V against U_eq = {ueq:.3} V vs {} at pH {} ({})\n",
            r.conventions.scale,
            r.conventions.ph,
            r.network.couple.clone().unwrap_or_default()
        ));
    }
    if let Some(c) = &m.chemical_bottleneck {
        s.push_str(&format!(
            "  chemical bottleneck (n = 0, not in U_L): {} → {} ΔG = {:+.3} eV\n",
            c.from, c.to, c.dg
        ));
    }
    if let Some(a) = m.adsorption_dg {
        s.push_str(&format!(
            "  {} ΔG = {a:+.3} eV ({})\n",
            rows::adsorption_label(r),
            rows::adsorption_treatment(r).unwrap_or_default()
        ));
    }
    s.push_str(&barrier_lines(m));
    s
}

/// The best path's barriers: Ea and the reverse barrier at U, where the TS comes from, and
/// how Ea depends on U; the largest named.
fn barrier_lines(m: &ModelResult) -> String {
    let mut s = String::new();
    let Some(p) = m.best_path.and_then(|i| m.paths.get(i)) else {
        return s;
    };
    for st in &p.steps {
        if let Some(b) = &st.barrier {
            s.push_str(&format!(
                "  barrier {} → {}: Ea = {:.3} eV, reverse {:.3} eV; TS: {}; {}\n",
                st.from, st.to, b.ea, b.reverse, b.source, b.convention
            ));
        }
    }
    if let Some(l) = &m.largest_barrier {
        s.push_str(&format!(
            "  largest barrier on the best path: {} → {} Ea = {:.3} eV\n",
            l.from, l.to, l.ea
        ));
    }
    s
}

/// The greedy path against the best one (`bi`), the closure check and the HER comparison,
/// each when the model has it.
fn check_lines(m: &ModelResult, bi: usize) -> String {
    let mut s = String::new();
    match m.greedy_path {
        Some(g) if g == bi => {
            s.push_str("  greedy path (most stable next intermediate): the same path\n")
        }
        Some(g) => s.push_str(&format!(
            "  greedy path (most stable next intermediate): {} (U_L {})\n",
            m.paths[g].states.join(" → "),
            m.paths[g]
                .limiting_potential
                .map(|u| format!("{u:+.3} V"))
                .unwrap_or_else(|| "-".into())
        )),
        None => {}
    }
    if let Some(c) = &m.closure {
        s.push_str(&format!(
            "  closure: {} ΔG = {:+.3} eV at U = 0{}; paths agree to {:.1e} eV\n",
            c.equation,
            c.overall_dg,
            c.experimental_dg
                .map(|e| format!(" (experiment {e:+.2}, deviation {:+.3})", c.overall_dg - e))
                .unwrap_or_default(),
            c.max_path_deviation
        ));
    }
    if let Some(h) = &m.her {
        s.push_str(&format!(
            "  HER: ΔG(H*) = {:+.3} eV, U_L(HER) = {:+.3} V{}\n",
            h.dg_h,
            h.limiting_potential,
            h.selectivity_gap
                .map(|g| format!(", U_L − U_L(HER) = {g:+.3} V"))
                .unwrap_or_default()
        ));
    }
    s
}

/// With `all`, every path and its U_L; otherwise how many there are (nothing for one path).
fn other_paths_lines(m: &ModelResult, all: bool) -> String {
    let mut s = String::new();
    if all && m.paths.len() > 1 {
        s.push_str("  all paths:\n");
        for (i, q) in m.paths.iter().enumerate() {
            s.push_str(&format!(
                "    {:>2}. U_L {}  {}\n",
                i + 1,
                q.limiting_potential
                    .map(|u| format!("{u:+.3}"))
                    .unwrap_or_else(|| "   -  ".into()),
                q.states.join(" → ")
            ));
        }
    } else if m.paths.len() > 1 {
        s.push_str(&format!(
            "  ({} paths in all: --all-paths lists them)\n",
            m.paths.len()
        ));
    }
    s
}

pub fn text(r: &Report, all: bool) -> String {
    let mut s = format!(
        "network {} ({}): {} → {}, {}\n",
        r.network.name,
        r.network.description,
        r.network.initial,
        r.network.final_,
        r.network.direction
    );
    s.push_str(&conventions_text(r));
    for l in rows::layout_lines(r, 20) {
        s.push_str(&format!("{l}\n"));
    }
    for m in &r.models {
        s.push_str(&model_text(m, r, all));
    }
    if !r.warnings.is_empty() {
        s.push_str("\nwarnings (references)\n");
        for w in &r.warnings {
            s.push_str(&format!("  - {w}\n"));
        }
    }
    s
}
