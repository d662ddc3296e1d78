//! `chepath parse`: read files or calculation directories and print a summary or JSON.

use super::{exit, FormatArg, ParseArgs};
use chepath::api::parse::{parse_path, ParseOptions, Parsed};
use chepath::load::summary::CalcRecord;
use chepath::records::{OszicarRecord, OutcarRecord, StructureRecord, VasprunRecord};
use std::fmt::Write as _;
use vasp_parsers::detect::Format;

pub fn run(args: &ParseArgs) -> i32 {
    let mut results = Vec::new();
    let mut worst = exit::OK;
    let opts = options(args);
    for path in &args.paths {
        match parse_path(path, &opts) {
            Ok(p) => {
                // a directory none of whose files could be read has no result to give
                if let Parsed::Calc(r) = &p {
                    let nothing =
                        r.outcar.is_none() && r.oszicar.is_none() && r.structure.is_none();
                    if nothing && !r.errors.is_empty() {
                        eprintln!(
                            "error: {}: no file of the calculation could be read (see its errors)",
                            chepath::records::display_path(path)
                        );
                        worst = worst.max(exit::FORMAT);
                    }
                }
                results.push((path, p))
            }
            Err(e) => {
                eprintln!("error: {}", exact(&e.to_string(), path));
                worst = worst.max(e.exit_code());
            }
        }
    }
    if args.json {
        use std::io::Write;
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::new(stdout.lock());
        let written = (|| -> std::io::Result<()> {
            if args.paths.len() == 1 {
                match results.first() {
                    Some((_, r)) => r.write_json(&mut w)?,
                    None => return Ok(()),
                }
            } else {
                w.write_all(b"[")?;
                for (k, (_, r)) in results.iter().enumerate() {
                    w.write_all(if k == 0 { b"\n" } else { b",\n" })?;
                    r.write_json(&mut w)?;
                }
                w.write_all(if results.is_empty() { b"]" } else { b"\n]" })?;
            }
            w.write_all(b"\n")?;
            w.flush()
        })();
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return worst;
            }
            eprintln!("error: cannot write JSON: {e}");
            return exit::INTERNAL;
        }
    } else {
        for (k, (path, r)) in results.iter().enumerate() {
            if k > 0 {
                println!();
            }
            print!("{}", exact(&summary(r, args.steps), path));
        }
    }
    if worst == exit::OK && args.strict && results.iter().any(|(_, r)| r.partial()) {
        eprintln!("error: --strict: at least one result is partial (see its warnings)");
        return exit::PARTIAL;
    }
    worst
}

/// `text` with the lossy spelling of `path` (bytes that are not UTF-8 shown as U+FFFD, so
/// `caf\xe9` and `caf\xe8` look alike) replaced by its exact, escaped one.
fn exact(text: &str, path: &std::path::Path) -> String {
    if path.to_str().is_some() {
        return text.to_string();
    }
    text.replace(
        &path.display().to_string(),
        &chepath::records::display_path(path),
    )
}

fn options(args: &ParseArgs) -> ParseOptions {
    ParseOptions {
        format: match args.format {
            FormatArg::Outcar => Some(Format::Outcar),
            FormatArg::Oszicar => Some(Format::Oszicar),
            FormatArg::Poscar => Some(Format::Poscar),
            FormatArg::Auto => None,
        },
        final_only: args.final_only,
        species_from: args.species_from.clone(),
    }
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "unknown",
    }
}

fn summary(p: &Parsed, steps: bool) -> String {
    match p {
        Parsed::Final(file, f) => final_summary(file, f),
        Parsed::Outcar(r) => outcar_summary(r, steps, ""),
        Parsed::Oszicar(r) => oszicar_summary(r, ""),
        Parsed::Structure(r) => structure_summary(r, ""),
        Parsed::Vasprun(r) => vasprun_summary(r, steps),
        Parsed::Calc(r) => calc_summary(r, steps),
    }
}

fn warnings_block(s: &mut String, warnings: &[String], indent: &str) {
    if warnings.is_empty() {
        let _ = writeln!(s, "{indent}  warnings        none");
    } else {
        let _ = writeln!(s, "{indent}  warnings        {}", warnings.len());
        for w in warnings {
            let _ = writeln!(s, "{indent}    - {w}");
        }
    }
}

fn vasprun_summary(r: &VasprunRecord, steps: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "vasprun.xml  {}", r.file);
    let _ = writeln!(
        s,
        "  VASP            {}",
        r.vasp_version.as_deref().unwrap_or("(no version)")
    );
    let comp: Vec<String> = r
        .species
        .iter()
        .zip(&r.ions_per_type)
        .map(|(e, n)| format!("{e} {n}"))
        .collect();
    let _ = writeln!(s, "  atoms           {} ({})", r.nions, comp.join(", "));
    let _ = writeln!(s, "  ionic steps     {}", r.ionic_steps);
    let f = |x: Option<f64>| x.map(|v| format!("{v:.8}")).unwrap_or_else(|| "?".into());
    match &r.structure_energy {
        Some(e) => {
            let _ = writeln!(
                s,
                "  energy (eV)     E0 {}   F(TOTEN) {}   E(no entropy) {}",
                f(e.sigma0),
                f(e.toten),
                f(e.no_entropy)
            );
            let _ = writeln!(s, "                  from step {}: {}", e.step, e.note);
        }
        None => {
            let _ = writeln!(s, "  energy (eV)     none: no complete <calculation>");
        }
    }
    let _ = writeln!(s, "  E-fermi (eV)    {}", f(r.efermi));
    if r.is_frequency_run {
        let _ = writeln!(s, "  modes           {} (cm-1)", r.frequencies_cm1.len());
    }
    let _ = writeln!(
        s,
        "  complete        {}",
        if r.complete {
            "yes"
        } else {
            "NO (no </modeling>: run cut or still running)"
        }
    );
    if steps {
        for (k, e) in r.steps.iter().enumerate() {
            let _ = writeln!(
                s,
                "    step {:>4}  E0 {}  F {}",
                k + 1,
                f(e.e_0_energy),
                f(e.e_fr_energy)
            );
        }
    }
    warnings_block(&mut s, &r.warnings, "");
    s
}

/// The text summary of one OUTCAR, each line indented by `ind`; with `steps`, a table of
/// every ionic step.
fn outcar_summary(r: &OutcarRecord, steps: bool, ind: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{ind}OUTCAR  {}", r.file);
    outcar_run_lines(&mut s, r, ind);
    outcar_energy_lines(&mut s, r, ind);
    outcar_convergence_lines(&mut s, r, ind);
    if r.is_frequency_run || !r.frequencies_cm1.is_empty() || !r.imaginary_cm1.is_empty() {
        outcar_mode_lines(&mut s, r, ind);
    }
    if steps && !r.steps.is_empty() {
        outcar_step_table(&mut s, r, ind);
    }
    warnings_block(&mut s, &r.warnings, ind);
    s
}

/// The VASP version, the atoms by species, and the kind of run with its main parameters.
fn outcar_run_lines(s: &mut String, r: &OutcarRecord, ind: &str) {
    let _ = writeln!(
        s,
        "{ind}  VASP            {}",
        r.vasp_version.as_deref().unwrap_or("(no version line)")
    );
    let comp: Vec<String> = r
        .species
        .iter()
        .zip(&r.ions_per_type)
        .map(|(e, n)| format!("{e} {n}"))
        .collect();
    let _ = writeln!(
        s,
        "{ind}  atoms           {} ({})",
        r.nions.map(|n| n.to_string()).unwrap_or_else(|| "?".into()),
        comp.join(", ")
    );
    let p = |k: &str| r.incar.get(k).map(|v| v.as_str()).unwrap_or("?");
    let kind = if r.is_frequency_run {
        format!("frequency run (IBRION={})", p("IBRION"))
    } else if r.ionic_converged.is_some() {
        format!("relaxation (IBRION={}, NSW={})", p("IBRION"), p("NSW"))
    } else {
        format!("IBRION={}, NSW={}", p("IBRION"), p("NSW"))
    };
    let _ = writeln!(
        s,
        "{ind}  run             {kind}; ENCUT={} PREC={} ISPIN={} ISMEAR={} SIGMA={}",
        p("ENCUT"),
        p("PREC"),
        p("ISPIN"),
        p("ISMEAR"),
        p("SIGMA")
    );
}

/// The number of ionic steps, the structure's energies and which step they are from, and
/// the last E-fermi.
fn outcar_energy_lines(s: &mut String, r: &OutcarRecord, ind: &str) {
    let _ = writeln!(s, "{ind}  ionic steps     {}", r.ionic_steps);
    match &r.structure_energy {
        Some(e) => {
            let _ = writeln!(
                s,
                "{ind}  energy (eV)     E0 {:.8}   F(TOTEN) {:.8}   E(no entropy) {:.8}",
                e.energies.sigma0, e.energies.toten, e.energies.no_entropy
            );
            let _ = writeln!(
                s,
                "{ind}                  from step {} (line {}): {}",
                e.step, e.line, e.note
            );
        }
        None => {
            let _ = writeln!(s, "{ind}  energy (eV)     none: no complete ionic step");
        }
    }
    let _ = writeln!(
        s,
        "{ind}  E-fermi (eV)    {}",
        r.efermi
            .map(|e| format!("{e} (last printed)"))
            .unwrap_or_else(|| "not printed".into())
    );
}

/// Electronic and ionic convergence, and whether the run completed (or how it stopped).
fn outcar_convergence_lines(s: &mut String, r: &OutcarRecord, ind: &str) {
    let _ = writeln!(
        s,
        "{ind}  electronic      converged in the last step: {}",
        yes_no(r.electronic_converged)
    );
    let _ = writeln!(
        s,
        "{ind}  ionic           {}",
        match r.ionic_converged {
            Some(true) => "converged (reached required accuracy)",
            Some(false) => "NOT converged (no 'reached required accuracy')",
            None => "not a relaxation",
        }
    );
    let _ = writeln!(
        s,
        "{ind}  complete        {}",
        if r.complete {
            "yes".to_string()
        } else {
            format!(
                "NO{}",
                r.stopped
                    .as_ref()
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            )
        }
    );
}

/// The real mode frequencies, and the imaginary ones when there are any (cm⁻¹).
fn outcar_mode_lines(s: &mut String, r: &OutcarRecord, ind: &str) {
    let real: Vec<String> = r
        .frequencies_cm1
        .iter()
        .map(|f| format!("{f:.1}"))
        .collect();
    let imag: Vec<String> = r.imaginary_cm1.iter().map(|f| format!("{f:.1}i")).collect();
    let _ = writeln!(
        s,
        "{ind}  modes (cm-1)    {} real: {}",
        real.len(),
        real.join(" ")
    );
    if !imag.is_empty() {
        let _ = writeln!(
            s,
            "{ind}                  {} imaginary: {}",
            imag.len(),
            imag.join(" ")
        );
    }
}

/// One row per ionic step: F, E0, E without entropy, E-fermi, iterations, convergence.
fn outcar_step_table(s: &mut String, r: &OutcarRecord, ind: &str) {
    let _ = writeln!(s, "{ind}  steps");
    let _ = writeln!(
        s,
        "{ind}    {:>5} {:>16} {:>16} {:>16} {:>9} {:>6} {:>5}",
        "step", "F (TOTEN)", "E0", "E no entropy", "E-fermi", "iters", "conv"
    );
    for st in &r.steps {
        let _ = writeln!(
            s,
            "{ind}    {:>5} {:>16.8} {:>16.8} {:>16.8} {:>9} {:>6} {:>5}",
            st.index,
            st.toten,
            st.sigma0,
            st.no_entropy,
            st.efermi
                .map(|e| format!("{e:.4}"))
                .unwrap_or_else(|| "-".into()),
            st.electronic_iterations,
            yes_no(st.electronic_converged)
        );
    }
}

fn oszicar_summary(r: &OszicarRecord, ind: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{ind}OSZICAR  {}", r.file);
    let _ = writeln!(s, "{ind}  ionic steps     {}", r.ionic_steps);
    match &r.last_energy {
        Some(e) => {
            let _ = writeln!(s, "{ind}  last step (eV)  E0 {:.8}   F {:.8}", e.e0, e.f);
        }
        None => {
            let _ = writeln!(s, "{ind}  last step       none");
        }
    }
    if let Some(m) = r.steps.last().filter(|st| !st.magnetization.is_empty()) {
        let v: Vec<String> = m.magnetization.iter().map(|x| x.to_string()).collect();
        let _ = writeln!(s, "{ind}  magnetization   {}", v.join(" "));
    }
    warnings_block(&mut s, &r.warnings, ind);
    s
}

fn structure_summary(r: &StructureRecord, ind: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{ind}STRUCTURE  {}", r.file);
    let comp: Vec<String> = r
        .species
        .iter()
        .zip(&r.counts)
        .map(|(e, n)| format!("{e} {n}"))
        .collect();
    let _ = writeln!(
        s,
        "{ind}  atoms           {} ({})",
        r.natoms,
        comp.join(", ")
    );
    if let Some(f) = &r.species_from {
        let _ = writeln!(
            s,
            "{ind}  species from    {f} (VASP 4 file without a species line)"
        );
    }
    let _ = writeln!(s, "{ind}  volume (A^3)    {:.6}", r.volume);
    for (k, row) in r.lattice.iter().enumerate() {
        let _ = writeln!(
            s,
            "{ind}  {}  {:>14.8} {:>14.8} {:>14.8}",
            if k == 0 {
                "lattice (A)  "
            } else {
                "             "
            },
            row[0],
            row[1],
            row[2]
        );
    }
    let sd = match &r.selective_dynamics {
        Some(f) => {
            let fixed = f.iter().filter(|b| !b[0] && !b[1] && !b[2]).count();
            format!(
                "yes: {fixed} atom(s) fully fixed, {} free in at least one direction",
                f.len() - fixed
            )
        }
        None => "no".into(),
    };
    let _ = writeln!(s, "{ind}  selective dyn.  {sd}");
    warnings_block(&mut s, &r.warnings, ind);
    s
}

fn calc_summary(r: &CalcRecord, steps: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "CALCULATION  {}", r.path);
    let f = &r.files;
    let names: Vec<String> = [
        &f.outcar, &f.oszicar, &f.contcar, &f.poscar, &f.doscar, &f.vasprun, &f.potcar,
    ]
    .iter()
    .filter_map(|p| p.as_ref())
    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
    .collect();
    let _ = writeln!(s, "  files           {}", names.join(", "));
    for e in &r.errors {
        let _ = writeln!(s, "  ERROR           {e}");
    }
    for n in &r.not_read {
        let _ = writeln!(s, "  not read        {n}");
    }
    for c in &r.checks {
        let _ = writeln!(
            s,
            "  check           [{}] {}",
            if c.ok { "ok" } else { "FAIL" },
            c.name
        );
    }
    let mut shown = Vec::new();
    if let Some(o) = &r.outcar {
        shown.push(outcar_summary(o, steps, "  "));
    }
    if let Some(o) = &r.oszicar {
        shown.push(oszicar_summary(o, "  "));
    }
    if let Some(st) = &r.structure {
        shown.push(structure_summary(st, "  "));
    }
    for b in shown {
        s.push_str(&b);
    }
    s
}

fn final_summary(file: &str, f: &vasp_parsers::outcar::Final) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "OUTCAR (final)  {file}");
    match &f.energy {
        Some(e) => {
            let _ = writeln!(
                s,
                "  energy (eV)     E0 {:.8}   F(TOTEN) {:.8}   E(no entropy) {:.8}  ({} step)",
                e.sigma0, e.toten, e.no_entropy, f.step
            );
        }
        None => {
            let _ = writeln!(s, "  energy (eV)     none: no complete ionic step");
        }
    }
    let _ = writeln!(
        s,
        "  E-fermi (eV)    {}",
        f.efermi
            .map(|e| e.to_string())
            .unwrap_or_else(|| "not printed".into())
    );
    let _ = writeln!(
        s,
        "  electronic      converged in the last loop: {}",
        yes_no(f.electronic_converged)
    );
    let _ = writeln!(
        s,
        "  ionic           {}",
        match f.ionic_converged {
            Some(true) => "converged (reached required accuracy)",
            Some(false) => "NOT converged (no 'reached required accuracy')",
            None => "not a relaxation",
        }
    );
    let _ = writeln!(
        s,
        "  complete        {}",
        if f.complete { "yes" } else { "NO" }
    );
    let _ = writeln!(
        s,
        "  read            {}",
        if f.full_pass {
            format!("the whole file ({} bytes)", f.bytes_read)
        } else {
            format!("the header and the last {} bytes", f.bytes_read)
        }
    );
    s
}
