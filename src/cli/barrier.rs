//! `chepath barrier`: barriers of an IS/TS/FS triple or a NEB run, as text or JSON.

use super::{exit, fail, BarrierArgs};
use chepath::barrier::Barrier;

pub fn run(a: &BarrierArgs) -> i32 {
    if a.paths.len() == 2 {
        eprintln!("error: expected three paths (IS TS FS) or one NEB directory, found two");
        return exit::USAGE;
    }
    let b = match chepath::api::barrier::barrier(&a.paths, a.freq.as_deref(), a.energy) {
        Ok(b) => b,
        Err(e) => return fail(&e),
    };
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
