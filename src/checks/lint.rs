//! `lint`: the mistakes that silently wreck a free-energy diagram, found before the ΔG.
//!
//! Every calculation a network combines (the references, each model's clean site and
//! intermediates, their frequency runs, and the DOS runs of `[dband]`), as the loader read
//! it into the [`Dataset`], is checked on its own and against the others, through its
//! [`Facts`]: from its OUTCAR, else its vasprun.xml, else its INCAR, KPOINTS, POTCAR (or title
//! list), structure file and OSZICAR. A tag an INCAR leaves out counts as VASP's default
//! where that is fixed (PREC Normal, ISPIN 1, ISMEAR 1, IVDW 0, no LDAU), and is not compared
//! where it depends on the POTCARs (ENCUT); without an OUTCAR completion is unknown (no
//! `finished` finding). Each [`Finding`] names its check, the files,
//! what is wrong and how to fix it. Errors make a ΔG wrong; warnings make it doubtful.
//!
//! | check | severity | rule |
//! |---|---|---|
//! | `parameters` | error | ENCUT, PREC, GGA, METAGGA and IVDW agree across every energy calculation; ISPIN, LDAU (with LDAUU) and ISMEAR agree within a model (gas references may differ: O₂ is spin-polarised, molecules carry no U) |
//! | `energy-files` | error | a calculation's OUTCAR and OSZICAR agree on the step count and the structure step's F and E0 (to the OSZICAR's 8 significant digits) |
//! | `potcar` | error | one POTCAR per element across all calculations |
//! | `kpoints` | error | a model's clean site and intermediates share one k-point mesh (or NKPTS where no mesh is printed) |
//! | `relaxation` | error | relaxations printed `reached required accuracy` |
//! | `electronic` | error | the electronic loop of the step used converged |
//! | `finished` | warning | VASP reached its timing block (a cut run's last step may be fine, but nobody checked) |
//! | `imaginary-modes` | warning | frequency runs have no imaginary modes (they are dropped from ZPE/TS; each is named) |
//! | `zpe` | warning | an adsorbate's ZPE within 0.10·n(H) … 0.40·n(H) + 0.15·n(heavy) + 0.10 eV, and at most 3·(atoms of the adsorbate) + 3 modes |
//! | `dos-source` | warning | the DOS of a d-band descriptor is not from a relaxation (IBRION 1–3, NSW > 0): VASP writes it for the last ionic step with the relaxation's k-mesh and smearing |
//! | `cell` | error | every intermediate's cell equals its clean site's (0.001 Å per lattice vector component) |
//! | `composition` | error | intermediate = clean site + the adsorbate's formula, element by element |
//!
//! A file beside the energy file that cannot be read (the structure, an OSZICAR beside an
//! OUTCAR, KPOINTS, POTCAR) is a warning under the check it leaves out for that calculation.
//!
//! The ZPE range is a wide plausibility band around typical adsorbate ZPEs (≈0.15–0.37 eV
//! per H for its stretch and bends, ≈0.05–0.1 eV per heavy atom; e.g. *H 0.15–0.20, *OH
//! 0.30–0.37, *NH3 0.9–1.1 eV in the CHE literature); it catches a frequency run of the
//! wrong adsorbate, slab atoms left free and missing modes, not small differences.

use crate::load::{Dataset, Facts, Role};
use crate::network::{NetworkFile, Value};
use crate::pathway::Report;
use serde::Serialize;
use std::collections::BTreeMap;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, with what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The check's name (see the module table).
    pub check: &'static str,
    pub severity: Severity,
    /// Which values of the network it concerns (`models.CuN4.*NO3`, `references.H2`).
    pub subject: String,
    pub message: String,
    pub files: Vec<String>,
    pub fix: String,
}

impl Finding {
    /// One line for a list of warnings (`pathway`, `report`).
    pub fn as_warning(&self) -> String {
        format!(
            "lint {} ({}): {}: {} Fix: {}",
            self.check,
            match self.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            self.subject,
            self.message,
            self.fix
        )
    }
}

/// All findings for one network.
#[derive(Debug, Clone, Serialize)]
pub struct LintReport {
    pub schema_version: &'static str,
    pub kind: &'static str,
    /// Calculations read.
    pub calculations: usize,
    pub checks: Vec<&'static str>,
    pub findings: Vec<Finding>,
}

impl LintReport {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }
}

/// The checks, in the order they run.
pub const CHECKS: [&str; 12] = [
    "parameters",
    "energy-files",
    "potcar",
    "kpoints",
    "relaxation",
    "electronic",
    "finished",
    "imaginary-modes",
    "zpe",
    "dos-source",
    "cell",
    "composition",
];

/// One calculation as the linter sees it.
struct Calc {
    subject: String,
    /// Model name; `None` for references.
    model: Option<String>,
    /// The state key (`*NO3`, `*`) or reference name.
    key: String,
    role: Role,
    file: String,
    /// What it says about itself (from its OUTCAR, vasprun.xml or input files).
    facts: Facts,
    /// The OUTCAR's structure step against the OSZICAR's, when both are there.
    energy_files: Option<Result<(), String>>,
    /// Lattice rows of the CONTCAR/POSCAR beside, Å.
    lattice: Option<[[f64; 3]; 3]>,
    /// Real and imaginary modes (cm⁻¹; imaginary as negative).
    modes: Vec<f64>,
}

/// One use of a calculation: (subject, model, key, role, reference).
type Use = (String, Option<String>, String, Role, String);

/// The first read error among a calculation's records, with its file.
fn read_error(c: &crate::load::Calc) -> Option<(String, crate::error::Error)> {
    let name = |f: &Option<std::path::PathBuf>| {
        f.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    };
    if let Some(Err(e)) = c.outcar() {
        return Some((name(&c.outcar_file), e));
    }
    if let Some(Err(e)) = c.vasprun_record() {
        return Some((name(&c.vasprun_file), e));
    }
    if let Some(Err(e)) = c.incar_record() {
        return Some((name(&c.files.incar), e));
    }
    None
}

/// The files beside a calculation's energy file that could not be read, each a warning
/// naming the check it leaves out for this calculation: the structure (`cell`,
/// `composition`), the OSZICAR beside an OUTCAR (`energy-files`), KPOINTS (`kpoints`) and
/// POTCAR (`potcar`). The ΔG does not depend on them; a "clean" lint would be untrue.
fn unreadable_beside(subject: &str, c: &crate::load::Calc) -> Vec<Finding> {
    let name = |f: Option<&std::path::PathBuf>| f.map(|p| p.display().to_string());
    let aux = [
        (
            "cell",
            "the cell and composition checks skip it",
            c.structure().and_then(Result::err),
            name(c.structure_file.as_ref()),
        ),
        (
            "energy-files",
            "the OUTCAR is not compared with it",
            c.oszicar()
                .and_then(Result::err)
                .filter(|_| c.outcar().is_some()),
            name(c.oszicar_file.as_ref()),
        ),
        (
            "kpoints",
            "its k-point mesh is not compared",
            c.kpoints_record().and_then(Result::err),
            name(c.files.kpoints.as_ref()),
        ),
        (
            "potcar",
            "its POTCARs are not compared",
            c.potcar_record().and_then(Result::err),
            name(c.files.potcar.as_ref()),
        ),
    ];
    aux.into_iter()
        .filter_map(|(check, skipped, err, file)| {
            Some(Finding {
                check,
                severity: Severity::Warning,
                subject: subject.to_string(),
                message: format!("cannot be read: {}; {skipped}", err?),
                files: file.into_iter().collect(),
                fix: "restore the file, or remove it if it is not this calculation's".into(),
            })
        })
        .collect()
}

/// A calculation with no facts to check: an error without any energy file, a warning for an
/// OSZICAR alone (its energy is used; nothing else can be checked).
fn nothing_to_check(subject: &str, c: &crate::load::Calc) -> Finding {
    let oszicar_only = c.oszicar_file.is_some();
    Finding {
        check: "finished",
        severity: if oszicar_only {
            Severity::Warning
        } else {
            Severity::Error
        },
        subject: subject.to_string(),
        message: if oszicar_only {
            "only an OSZICAR: its energy is used, but parameters, POTCARs, k-points and completion cannot be checked (no OUTCAR, vasprun.xml or INCAR).".into()
        } else {
            "no OUTCAR, vasprun.xml or OSZICAR: nothing to check (and no energy for the ΔG)".into()
        },
        files: vec![c.path.display().to_string()],
        fix: if oszicar_only {
            "keep the INCAR, KPOINTS and POTCAR (or its title list) beside the OSZICAR".into()
        } else {
            "point the network at the calculation directory that holds the VASP output".into()
        },
    }
}

fn calc_of(u: &Use, data: &Dataset, findings: &mut Vec<Finding>) -> Option<Calc> {
    let (subject, model, key, role, reference) = u;
    let c = data.calc(reference)?;
    if let Some((file, e)) = read_error(c) {
        findings.push(Finding {
            check: "finished",
            severity: Severity::Error,
            subject: subject.clone(),
            message: format!("cannot be read: {e}"),
            files: vec![file],
            fix: "rerun or restore the file".into(),
        });
        return None;
    }
    findings.extend(unreadable_beside(subject, c));
    let Some(facts) = c.facts() else {
        if *role != Role::Dos {
            findings.push(nothing_to_check(subject, c));
        }
        return None;
    };
    let modes = match role {
        Role::Freq => c.frequencies().map(|f| f.signed_cm1).unwrap_or_default(),
        _ => Vec::new(),
    };
    Some(Calc {
        subject: subject.clone(),
        model: model.clone(),
        key: key.clone(),
        role: *role,
        file: facts.file.display().to_string(),
        energy_files: outcar_against_oszicar(c),
        facts,
        lattice: c.lattice(),
        modes,
    })
}

/// OSZICAR prints 8 significant digits: half a unit in the last place of `x`.
fn oszicar_precision(x: f64) -> f64 {
    0.5 * 10f64.powi(x.abs().max(1.0).log10().floor() as i32 + 1 - 8) + 1e-9
}

/// The OUTCAR's structure step against the OSZICAR's (same step, F and E0 to the OSZICAR's
/// precision), when the calculation has both.
fn outcar_against_oszicar(c: &crate::load::Calc) -> Option<Result<(), String>> {
    let (Some(Ok(o)), Some(Ok(z))) = (c.outcar(), c.oszicar()) else {
        return None;
    };
    if o.ionic_steps.len() != z.ionic_steps.len() {
        return Some(Err(format!(
            "the OUTCAR has {} ionic steps, the OSZICAR {}",
            o.ionic_steps.len(),
            z.ionic_steps.len()
        )));
    }
    let step = o.structure_energy()?;
    let zs = z.ionic_steps.get(step.index.checked_sub(1)?)?;
    let (e, f) = (step.energy.sigma0, step.energy.toten);
    if (e - zs.e0).abs() > oszicar_precision(zs.e0) || (f - zs.f).abs() > oszicar_precision(zs.f) {
        return Some(Err(format!(
            "step {}: OUTCAR E0 {e:.8} F {f:.8}, OSZICAR E0 {:.8} F {:.8}",
            step.index, zs.e0, zs.f
        )));
    }
    Some(Ok(()))
}

fn push_value(out: &mut Vec<Use>, subject: &str, model: Option<&str>, key: &str, v: &Value) {
    let m = model.map(String::from);
    if let Some(c) = &v.calc {
        out.push((
            subject.into(),
            m.clone(),
            key.into(),
            Role::Energy,
            c.clone(),
        ));
    }
    if let Some(f) = &v.freq {
        out.push((
            format!("{subject} (freq)"),
            m,
            key.into(),
            Role::Freq,
            f.clone(),
        ));
    }
}

/// Lint every calculation of a network as the loader read it.
pub fn lint_network(file: &NetworkFile, data: &Dataset) -> LintReport {
    let mut uses = Vec::new();
    for (name, v) in file.references.iter() {
        push_value(&mut uses, &format!("references.{name}"), None, name, v);
    }
    for (model, table) in &file.models {
        for (key, v) in table {
            let subject = format!("models.{model}.{key}");
            push_value(&mut uses, &subject, Some(model), key, v);
        }
    }
    for (model, spec) in &file.dband {
        uses.push((
            format!("dband.{model}"),
            Some(model.clone()),
            "dos".into(),
            Role::Dos,
            spec.path.clone(),
        ));
    }
    let mut findings = Vec::new();
    let calcs: Vec<Calc> = uses
        .iter()
        .filter_map(|u| calc_of(u, data, &mut findings))
        .collect();
    check_parameters(&calcs, &mut findings);
    check_potcar(&calcs, &mut findings);
    check_kpoints(&calcs, &mut findings);
    for c in &calcs {
        check_one(c, &mut findings);
    }
    check_cells(&calcs, &mut findings);
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.severity,
                CHECKS.iter().position(|c| *c == f.check),
                f.subject.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    LintReport {
        schema_version: crate::records::SCHEMA_VERSION,
        kind: "lint",
        calculations: calcs.len(),
        checks: CHECKS.to_vec(),
        findings,
    }
}

/// The linter on the calculations of one barrier (IS, TS and FS, or a NEB run's images,
/// and their frequency runs), as one model: the parameters, POTCARs and k-points agree, each
/// run finished and converged, and every structure has the first one's cell and composition.
/// The TS's imaginary mode is expected (the barrier checks it), not an `imaginary-modes` finding.
pub fn lint_barrier(b: &crate::load::barrier::BarrierCalcs) -> LintReport {
    let mut findings = Vec::new();
    let mut calcs = Vec::new();
    let mut uses: Vec<(String, Option<String>, Role, &crate::load::Calc)> = b
        .points
        .iter()
        .map(|(l, c)| (l.clone(), Some("barrier".to_string()), Role::Energy, c))
        .collect();
    for f in &b.freqs {
        if let Some(c) = &f.calc {
            uses.push((format!("{} (frequencies)", f.label), None, Role::Freq, c));
        }
    }
    for (subject, model, role, c) in uses {
        if let Some((file, e)) = read_error(c) {
            findings.push(Finding {
                check: "finished",
                severity: Severity::Error,
                subject: subject.clone(),
                message: format!("cannot be read: {e}"),
                files: vec![file],
                fix: "rerun or restore the file".into(),
            });
            continue;
        }
        findings.extend(unreadable_beside(&subject, c));
        let Some(facts) = c.facts() else {
            findings.push(nothing_to_check(&subject, c));
            continue;
        };
        let modes = match role {
            Role::Freq if !subject.starts_with("TS") => {
                c.frequencies().map(|f| f.signed_cm1).unwrap_or_default()
            }
            _ => Vec::new(),
        };
        calcs.push(Calc {
            key: subject.clone(),
            subject,
            model,
            role,
            file: facts.file.display().to_string(),
            energy_files: outcar_against_oszicar(c),
            facts,
            lattice: c.lattice(),
            modes,
        });
    }
    check_parameters(&calcs, &mut findings);
    check_potcar(&calcs, &mut findings);
    check_kpoints(&calcs, &mut findings);
    for c in &calcs {
        check_one(c, &mut findings);
    }
    same_structure(&calcs, &mut findings);
    LintReport {
        schema_version: crate::records::SCHEMA_VERSION,
        kind: "lint",
        calculations: calcs.len(),
        checks: CHECKS.to_vec(),
        findings,
    }
}

/// Every energy calculation of a barrier has the first one's cell and composition.
fn same_structure(calcs: &[Calc], findings: &mut Vec<Finding>) {
    let energy: Vec<&Calc> = calcs.iter().filter(|c| c.role == Role::Energy).collect();
    let Some((first, rest)) = energy.split_first() else {
        return;
    };
    for c in rest {
        if let (Some(a), Some(b)) = (&first.lattice, &c.lattice) {
            let d = a
                .iter()
                .flatten()
                .zip(b.iter().flatten())
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max);
            if d > 1e-3 {
                findings.push(Finding {
                    check: "cell",
                    severity: Severity::Error,
                    subject: c.subject.clone(),
                    message: format!("its cell differs from {}'s by up to {d:.4} Å (a lattice vector component).", first.subject),
                    files: vec![first.file.clone(), c.file.clone()],
                    fix: "IS, TS and FS must share one cell: rebuild the odd one on the others' lattice".into(),
                });
            }
        }
        if let (Some(a), Some(b)) = (first.facts.composition(), c.facts.composition()) {
            if a != b {
                findings.push(Finding {
                    check: "composition",
                    severity: Severity::Error,
                    subject: c.subject.clone(),
                    message: format!("its atoms ({b:?}) differ from {}'s ({a:?}): a barrier needs the same atoms in every structure.", first.subject),
                    files: vec![first.file.clone(), c.file.clone()],
                    fix: "check that the three directories belong to the same elementary step".into(),
                });
            }
        }
    }
}

/// The pathway report of a loaded network at `u`, `ph`, with the linter's findings among its
/// warnings (what `pathway`, `rank` and `report` print).
pub fn checked_pathway(
    loaded: &crate::load::Loaded,
    u: Option<f64>,
    ph: Option<f64>,
) -> Result<Report, crate::error::Error> {
    let mut report = crate::pathway::run(&loaded.file, &loaded.dataset, u, ph)?;
    attach(&mut report, &lint_network(&loaded.file, &loaded.dataset));
    Ok(report)
}

/// Put the findings among a pathway report's warnings: each with the model it concerns,
/// the rest with the network's.
pub fn attach(report: &mut Report, lint: &LintReport) {
    for f in &lint.findings {
        let owner = report.models.iter_mut().find(|m| {
            f.subject == format!("models.{}", m.name)
                || f.subject.starts_with(&format!("models.{}.", m.name))
                || f.subject == format!("dband.{}", m.name)
        });
        match owner {
            Some(m) => m.warnings.push(f.as_warning()),
            None => report.warnings.push(f.as_warning()),
        }
    }
}

/// VASP's default of a tag an INCAR may leave out (`None`: it depends on the POTCARs, such
/// as ENCUT, so an absent value is not compared).
fn default_of(name: &str) -> Option<&'static str> {
    match name {
        "PREC" => Some("normal"),
        "GGA" | "METAGGA" | "LDAU" => Some(""),
        "IVDW" => Some("0"),
        "ISPIN" => Some("1"),
        "ISMEAR" => Some("1"),
        _ => None,
    }
}

/// A list of numbers written the same way (`3 0 0` and `3.00 0.00 0.00` agree).
fn numbers(v: &str) -> String {
    v.split_whitespace()
        .map(|x| {
            x.parse::<f64>()
                .map(|n| format!("{n}"))
                .unwrap_or_else(|_| x.to_string())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A parameter as compared: numbers as numbers, flags as flags, PREC by its first letters.
/// `None` when it cannot be known (an INCAR without the tag, where VASP's default depends on
/// the POTCARs).
fn normalized(name: &str, f: &Facts) -> Option<String> {
    let raw = match (f.param(name), f.params_complete) {
        (Some(v), _) => Some(v),
        (None, true) => None,
        (None, false) => Some(default_of(name)?),
    };
    Some(match name {
        "ENCUT" => raw
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| format!("{v}"))
            .unwrap_or_else(|| "(not printed)".into()),
        "PREC" => raw
            .map(|v| v.to_ascii_lowercase().chars().take(4).collect())
            .unwrap_or_else(|| "(not printed)".into()),
        // `--` is the POTCAR's functional (PBE for PAW_PBE): the same as PE.
        "GGA" => match raw.map(|v| v.to_ascii_uppercase()) {
            None => "PE".into(),
            Some(v) if v == "--" || v.is_empty() => "PE".into(),
            Some(v) => v,
        },
        "METAGGA" => match raw.map(|v| v.to_ascii_uppercase()) {
            None => "none".into(),
            Some(v) if v == "F" || v == "NONE" || v == "--" || v.is_empty() => "none".into(),
            Some(v) => v,
        },
        // an OUTCAR always prints ISPIN and ISMEAR: absent, its line was damaged (the
        // parser says so), and the default would be a false fact
        "ISPIN" | "ISMEAR" if raw.is_none() && f.params_complete => "(not printed)".into(),
        "IVDW" | "ISPIN" | "ISMEAR" => {
            let fallback = default_of(name).unwrap_or("");
            raw.and_then(|v| v.parse::<f64>().ok())
                .map(|v| format!("{v}"))
                .unwrap_or_else(|| fallback.to_string())
        }
        "LDAU" => {
            let on = raw.and_then(vasp_parsers::incar::flag).unwrap_or(false);
            if on {
                format!(
                    "on (LDAUU = {})",
                    f.param("LDAUU").map(numbers).unwrap_or("?".into())
                )
            } else {
                "off".into()
            }
        }
        _ => raw.unwrap_or("(not printed)").to_string(),
    })
}

fn disagreement(
    check: &'static str,
    name: &str,
    scope: &str,
    calcs: &[&Calc],
    findings: &mut Vec<Finding>,
) {
    let mut seen: BTreeMap<String, Vec<&Calc>> = BTreeMap::new();
    for c in calcs {
        if let Some(v) = normalized(name, &c.facts) {
            seen.entry(v).or_default().push(c);
        }
    }
    if seen.len() < 2 {
        return;
    }
    // The minority values are the suspects.
    let majority = seen
        .iter()
        .max_by_key(|(_, v)| v.len())
        .map(|(k, _)| k.clone())
        .unwrap_or_default();
    let desc: Vec<String> = seen
        .iter()
        .map(|(v, cs)| {
            let names: Vec<&str> = cs.iter().map(|c| c.subject.as_str()).collect();
            format!("{name} = {v} in {}", names.join(", "))
        })
        .collect();
    let files: Vec<String> = seen
        .iter()
        .filter(|(v, _)| **v != majority)
        .flat_map(|(_, cs)| cs.iter().map(|c| c.file.clone()))
        .collect();
    findings.push(Finding {
        check,
        severity: Severity::Error,
        subject: scope.to_string(),
        message: format!(
            "calculations combined in one ΔG disagree on {name}: {}.",
            desc.join("; ")
        ),
        files,
        fix: format!(
            "rerun the odd ones out with {name} = {majority} (energies from different settings do not subtract)"
        ),
    });
}

fn check_parameters(calcs: &[Calc], findings: &mut Vec<Finding>) {
    let energy: Vec<&Calc> = calcs.iter().filter(|c| c.role == Role::Energy).collect();
    for name in ["ENCUT", "PREC", "GGA", "METAGGA", "IVDW"] {
        disagreement(
            "parameters",
            name,
            "all energy calculations",
            &energy,
            findings,
        );
    }
    let mut models: BTreeMap<&str, Vec<&Calc>> = BTreeMap::new();
    for c in &energy {
        if let Some(m) = &c.model {
            models.entry(m).or_default().push(c);
        }
    }
    for (m, cs) in models {
        for name in ["ISPIN", "LDAU", "ISMEAR"] {
            disagreement("parameters", name, &format!("models.{m}"), &cs, findings);
        }
    }
}

fn check_potcar(calcs: &[Calc], findings: &mut Vec<Finding>) {
    let mut by_el: BTreeMap<String, BTreeMap<String, Vec<&Calc>>> = BTreeMap::new();
    for c in calcs {
        {
            for t in &c.facts.potcar_titles {
                by_el
                    .entry(vasp_parsers::outcar::element_from_title(t))
                    .or_default()
                    .entry(t.clone())
                    .or_default()
                    .push(c);
            }
        }
    }
    for (el, titles) in by_el {
        if titles.len() < 2 {
            continue;
        }
        let majority = titles
            .iter()
            .max_by_key(|(_, v)| v.len())
            .map(|(k, _)| k.clone())
            .unwrap_or_default();
        let desc: Vec<String> = titles
            .iter()
            .map(|(t, cs)| {
                let n: Vec<&str> = cs.iter().map(|c| c.subject.as_str()).collect();
                format!("'{t}' in {}", n.join(", "))
            })
            .collect();
        findings.push(Finding {
            check: "potcar",
            severity: Severity::Error,
            subject: format!("element {el}"),
            message: format!("different POTCARs for {el}: {}.", desc.join("; ")),
            files: titles
                .iter()
                .filter(|(t, _)| **t != majority)
                .flat_map(|(_, cs)| cs.iter().map(|c| c.file.clone()))
                .collect(),
            fix: format!("use '{majority}' everywhere and rerun the others"),
        });
    }
}

fn mesh_of(f: &Facts) -> Option<String> {
    match (&f.kpoints, f.params_complete) {
        (Some(k), _) => Some(k.clone()),
        (None, true) => Some("(not printed)".into()),
        // inputs without a KPOINTS file or KSPACING: cannot be told
        (None, false) => None,
    }
}

fn check_kpoints(calcs: &[Calc], findings: &mut Vec<Finding>) {
    let mut models: BTreeMap<&str, BTreeMap<String, Vec<&Calc>>> = BTreeMap::new();
    for c in calcs.iter().filter(|c| c.role == Role::Energy) {
        if let (Some(m), Some(mesh)) = (&c.model, mesh_of(&c.facts)) {
            models
                .entry(m)
                .or_default()
                .entry(mesh)
                .or_default()
                .push(c);
        }
    }
    for (m, meshes) in models {
        if meshes.len() < 2 {
            continue;
        }
        let majority = meshes
            .iter()
            .max_by_key(|(_, v)| v.len())
            .map(|(k, _)| k.clone())
            .unwrap_or_default();
        let desc: Vec<String> = meshes
            .iter()
            .map(|(k, cs)| {
                let n: Vec<&str> = cs.iter().map(|c| c.key.as_str()).collect();
                format!("{k} for {}", n.join(", "))
            })
            .collect();
        findings.push(Finding {
            check: "kpoints",
            severity: Severity::Error,
            subject: format!("models.{m}"),
            message: format!(
                "the clean site and intermediates use different k-points: {}.",
                desc.join("; ")
            ),
            files: meshes
                .iter()
                .filter(|(k, _)| **k != majority)
                .flat_map(|(_, cs)| cs.iter().map(|c| c.file.clone()))
                .collect(),
            fix: format!("use the same KPOINTS ({majority}) for every calculation of the model"),
        });
    }
}

/// ZPE of real modes, eV: Σ ½ h c ν̃.
fn zpe_ev(modes: &[f64]) -> f64 {
    modes
        .iter()
        .filter(|f| **f > 0.0)
        .map(|f| 0.5 * f * crate::thermo::INVCM_EV)
        .sum()
}

/// A finding about calculation `c`: its subject, its file.
fn finding(
    c: &Calc,
    check: &'static str,
    severity: Severity,
    message: String,
    fix: &str,
) -> Finding {
    Finding {
        check,
        severity,
        subject: c.subject.clone(),
        message,
        files: vec![c.file.clone()],
        fix: fix.to_string(),
    }
}

/// The checks of one calculation on its own: relaxation and electronic convergence, a
/// finished run, the modes of a frequency run, and a DOS taken from a relaxation.
fn check_one(c: &Calc, findings: &mut Vec<Finding>) {
    let o = &c.facts;
    if o.ionic_converged() == Some(false) {
        findings.push(finding(
            c,
            "relaxation",
            Severity::Error,
            format!(
                "the relaxation stopped without 'reached required accuracy' (NSW = {}, EDIFFG = {}).",
                o.param("NSW").unwrap_or("?"),
                o.param("EDIFFG").unwrap_or("?")
            ),
            "continue from the CONTCAR (cp CONTCAR POSCAR) until VASP prints 'reached required accuracy'",
        ));
    }
    if o.last_loop_converged == Some(false) {
        findings.push(finding(
            c,
            "electronic",
            Severity::Error,
            format!(
                "the last electronic loop stopped at NELM = {} without reaching EDIFF = {}.",
                o.param("NELM").unwrap_or("?"),
                o.param("EDIFF").unwrap_or("?")
            ),
            "raise NELM, or change the mixing (AMIX/BMIX, ALGO), and rerun the step",
        ));
    }
    if o.complete == Some(false) {
        findings.push(finding(
            c,
            "finished",
            Severity::Warning,
            "VASP did not reach its final timing block: the run was cut, crashed or is still running.".into(),
            "check the job's output; rerun or continue it until it finishes",
        ));
    }
    if let Some(Err(detail)) = &c.energy_files {
        findings.push(finding(
            c,
            "energy-files",
            Severity::Error,
            format!("the OUTCAR and the OSZICAR beside it disagree ({detail}): they come from different runs, and the energy used is the OUTCAR's."),
            "remove the stale file, or copy both from the same run",
        ));
    }
    if c.role == Role::Freq {
        check_imaginary(c, findings);
        check_zpe(c, findings);
    }
    if c.role == Role::Dos && o.is_relaxation() {
        findings.push(finding(
            c,
            "dos-source",
            Severity::Warning,
            format!(
                "the DOS comes from a relaxation (IBRION = {}, NSW = {}): it belongs to the last ionic step with the relaxation's k-mesh and smearing.",
                o.param("IBRION").unwrap_or("?"),
                o.param("NSW").unwrap_or("?")
            ),
            "run a single point (NSW = 0, IBRION = -1) on the relaxed CONTCAR with LORBIT = 11, a denser k-mesh and ISMEAR = -5 (or small SIGMA)",
        ));
    }
}

/// Imaginary modes of a frequency run (left out of ZPE and TS).
fn check_imaginary(c: &Calc, findings: &mut Vec<Finding>) {
    let imag: Vec<f64> = c.modes.iter().filter(|f| **f < 0.0).map(|f| -f).collect();
    if !imag.is_empty() {
        let list: Vec<String> = imag.iter().map(|f| format!("{f:.1}i")).collect();
        findings.push(finding(
            c,
            "imaginary-modes",
            Severity::Warning,
            format!(
                "{} imaginary mode(s): {} cm-1; they are left out of ZPE and TS.",
                imag.len(),
                list.join(", ")
            ),
            "tighten EDIFF (1e-7) and EDIFFG, re-relax, and rerun the frequencies; modes under ~50i from numerical noise can be accepted",
        ));
    }
}

/// The modes of an adsorbate's frequency run against its formula (`c.key`, models only):
/// more than 3·atoms + 3 modes means slab atoms were displaced too; otherwise the ZPE must
/// lie within 0.10·n_H to 0.40·n_H + 0.15·n_heavy + 0.10 eV.
fn check_zpe(c: &Calc, findings: &mut Vec<Finding>) {
    if c.model.is_none() || c.key == "*" {
        return;
    }
    let Ok(sp) = crate::formula::parse(&c.key) else {
        return;
    };
    let n_h = *sp.composition.get("H").unwrap_or(&0) as f64;
    let atoms: i32 = sp
        .composition
        .iter()
        .filter(|(e, _)| e.as_str() != "*")
        .map(|(_, n)| *n)
        .sum();
    let heavy = atoms as f64 - n_h;
    let zpe = zpe_ev(&c.modes);
    let (lo, hi) = (0.10 * n_h, 0.40 * n_h + 0.15 * heavy + 0.10);
    let nmodes = c.modes.len();
    let max_modes = 3 * atoms.max(1) as usize + 3;
    if nmodes > max_modes {
        findings.push(finding(
            c,
            "zpe",
            Severity::Warning,
            format!(
                "{nmodes} modes for a {}-atom adsorbate (at most {max_modes} expected): slab atoms were displaced too, and their modes inflate ZPE and TS (ZPE {zpe:.3} eV).",
                atoms
            ),
            "fix the slab atoms (Selective dynamics F F F) in the frequency run, or keep only the adsorbate's modes",
        ));
    } else if zpe < lo - 1e-9 || zpe > hi + 1e-9 {
        findings.push(finding(
            c,
            "zpe",
            Severity::Warning,
            format!(
                "ZPE {zpe:.3} eV from {nmodes} modes is outside the plausible {lo:.2}–{hi:.2} eV for {}.",
                sp.name
            ),
            "check that the frequency run belongs to this adsorbate and that all its atoms were displaced",
        ));
    }
}

fn check_cells(calcs: &[Calc], findings: &mut Vec<Finding>) {
    let energy: Vec<&Calc> = calcs.iter().filter(|c| c.role == Role::Energy).collect();
    for site in energy.iter().filter(|c| c.model.is_some() && c.key == "*") {
        for c in energy
            .iter()
            .filter(|c| c.model == site.model && c.key != "*")
        {
            if let (Some(a), Some(b)) = (&site.lattice, &c.lattice) {
                let d = a
                    .iter()
                    .flatten()
                    .zip(b.iter().flatten())
                    .map(|(x, y)| (x - y).abs())
                    .fold(0.0, f64::max);
                if d > 1e-3 {
                    findings.push(Finding {
                        check: "cell",
                        severity: Severity::Error,
                        subject: c.subject.clone(),
                        message: format!(
                            "its cell differs from the clean site's by up to {d:.4} Å (a lattice vector component)."
                        ),
                        files: vec![site.file.clone(), c.file.clone()],
                        fix: "build the adsorbate on the clean site's relaxed cell (same lattice vectors) and rerun"
                            .into(),
                    });
                }
            }
            let (Some(sc), Some(cc)) = (site.facts.composition(), c.facts.composition()) else {
                continue;
            };
            let Ok(sp) = crate::formula::parse(&c.key) else {
                continue;
            };
            let mut want = sc.clone();
            for (e, n) in &sp.composition {
                if e != "*" {
                    *want.entry(e.clone()).or_insert(0) += n;
                }
            }
            want.retain(|_, n| *n != 0);
            let mut got = cc.clone();
            got.retain(|_, n| *n != 0);
            if want != got {
                let fmt = |m: &BTreeMap<String, i32>| {
                    m.iter()
                        .map(|(e, n)| format!("{e}{n}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                findings.push(Finding {
                    check: "composition",
                    severity: Severity::Error,
                    subject: c.subject.clone(),
                    message: format!(
                        "holds {} but the clean site plus {} is {}.",
                        fmt(&got),
                        sp.core(),
                        fmt(&want)
                    ),
                    files: vec![site.file.clone(), c.file.clone()],
                    fix: "check that the directory holds this intermediate on this model's site (a copied or misnamed directory is the usual cause)"
                        .into(),
                });
            }
        }
    }
}
