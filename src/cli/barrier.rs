//! `chepath barrier`: barriers of an IS/TS/FS triple or a NEB run, as text or JSON, and
//! their energy profile as a figure (`--plot`).

use super::{exit, fail, BarrierArgs};
use chepath::barrier::Barrier;

pub fn run(a: &BarrierArgs) -> i32 {
    if a.paths.len() == 2 {
        eprintln!("error: expected three paths (IS TS FS) or one NEB directory, found two");
        return exit::USAGE;
    }
    // refused before any work: a format not drawn (usage), a file that exists (as `diagram -o`)
    if let Some(out) = &a.plot {
        if let Err(code) = super::out::figure("--plot", out, a.force.force) {
            return code;
        }
    }
    let b = match chepath::api::barrier::barrier(&a.paths, a.freq.as_deref(), a.energy) {
        Ok(b) => b,
        Err(e) => return fail(&e),
    };
    if let Some(out) = &a.plot {
        if let Err(e) = chepath::output::profile::draw_profile(&b, out) {
            return super::out::plot_failed(out, &e);
        }
        eprintln!("wrote {}", out.display());
    }
    if a.json {
        return match serde_json::to_string_pretty(&b) {
            Ok(s) => {
                println!("{s}");
                exit::OK
            }
            Err(e) => {
                eprintln!("error: cannot write JSON: {e}");
                exit::INTERNAL
            }
        };
    }
    print!("{}", text(&b));
    exit::OK
}

fn text(b: &Barrier) -> String {
    let mut s = format!("barrier ({}), energy = {}\n", b.method, b.energy.describe());
    if !b.images.is_empty() {
        s += "  image   E (eV)           E − E(00) (eV)  source\n";
        for i in &b.images {
            let mark = if Some(i.index) == b.highest_image {
                " ← TS"
            } else {
                ""
            };
            s += &format!(
                "  {:<6}  {:<15.6}  {:>+14.3}  {}{mark}\n",
                i.label, i.energy, i.relative, i.source
            );
        }
        s += &format!(
            "  climbing image  {}\n",
            match b.climbing_image {
                Some(true) => "on (LCLIMB = .TRUE.)",
                Some(false) => "off (LCLIMB = .FALSE.)",
                None => "not set in the run's INCAR (VTST's default is on)",
            }
        );
    }
    for (l, p) in [("IS", &b.initial), ("TS", &b.transition), ("FS", &b.final_)] {
        let label = if p.label == l {
            String::new()
        } else {
            format!(" ({})", p.label)
        };
        s += &format!("  {l}{label:<6} {:>15.6} eV  {}\n", p.energy, p.source);
    }
    s += &format!(
        "  forward barrier  {:+.3} eV   E(TS) − E(IS)\n",
        b.forward_barrier
    );
    s += &format!(
        "  reverse barrier  {:+.3} eV   E(TS) − E(FS)\n",
        b.reverse_barrier
    );
    s += &format!(
        "  reaction energy  {:+.3} eV   E(FS) − E(IS)\n",
        b.reaction_energy
    );
    if let Some(p) = &b.profile {
        s += &profile_text(b, p);
    }
    if let Some(c) = &b.ts_check {
        let modes: Vec<String> = c.imaginary_cm1.iter().map(|f| format!("{f:.1}i")).collect();
        s += &format!(
            "  TS modes         {} imaginary{} ({}) {}\n",
            modes.len(),
            if modes.is_empty() {
                String::new()
            } else {
                format!(": {} cm-1", modes.join(", "))
            },
            if c.ok {
                "ok: one expected"
            } else {
                "NOT a first-order saddle"
            },
            c.source
        );
    }
    if let Some(z) = &b.zpe_corrected {
        s += &format!(
            "  with ZPE         forward {:+.3}, reverse {:+.3}, reaction {:+.3} eV (ZPE IS {:.3}, TS {:.3} without its imaginary mode, FS {:.3})\n",
            z.forward_barrier, z.reverse_barrier, z.reaction_energy, z.zpe[0], z.zpe[1], z.zpe[2]
        );
    }
    if !b.warnings.is_empty() {
        s += &format!("  warnings         {}\n", b.warnings.len());
        for w in &b.warnings {
            s += &format!("    - {w}\n");
        }
    }
    s
}

/// The profile in a few lines: the coordinate's span, where the tangent forces come from,
/// and the spline's maximum beside the highest image's.
fn profile_text(b: &chepath::barrier::Barrier, p: &chepath::barrier::Profile) -> String {
    let mut s = String::new();
    if p.coordinate_unit == "Å" {
        s += &format!(
            "  path length      {:.3} Å (reaction coordinate: {})\n",
            p.coordinate.last().copied().unwrap_or(0.0),
            p.coordinate
                .iter()
                .map(|r| format!("{r:.3}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if b.method == "NEB" {
        s += &format!("  tangent forces   {}", p.force_source);
        let f: Vec<String> = p
            .tangent_force
            .iter()
            .map(|f| f.map_or("?".into(), |f| format!("{f:+.3}")))
            .collect();
        s += &format!(" ({} eV/Å)\n", f.join(", "));
    }
    match (p.spline_max, p.spline_max_at, p.spline_reverse) {
        (Some(m), Some(at), Some(r)) => {
            s += &format!(
                "  spline maximum   {m:+.3} eV at {at:.3} Å: forward {m:+.3}, reverse {r:+.3} eV (highest image: {:+.3}, {:+.3})\n",
                b.forward_barrier, b.reverse_barrier
            )
        }
        _ => s += "  spline           none (no NEB forces along the path)\n",
    }
    for n in &p.notes {
        s += &format!("  note             {n}\n");
    }
    s
}
