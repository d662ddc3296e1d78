//! `chepath check`: computed values against expected ones, for users' CI.
//!
//! An expected file (TOML) names its source (a network file or a calculation tree, relative
//! to the expected file), a default tolerance, and per model the values to hold:
//! `limiting_potential`, `pds` (`"*O → *OH"`), `adsorption_dG`, `dband_center`, and
//! `[models.NAME.steps]` with the ΔG at U of named steps of the best path. A value is a
//! number or `{ value = x, tolerance = t }`.

use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A number with an optional tolerance of its own.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Num {
    Plain(f64),
    With { value: f64, tolerance: f64 },
}

impl Num {
    fn value(&self) -> f64 {
        match self {
            Num::Plain(v) | Num::With { value: v, .. } => *v,
        }
    }
    fn tolerance(&self, default: f64) -> f64 {
        match self {
            Num::Plain(_) => default,
            Num::With { tolerance, .. } => *tolerance,
        }
    }
}

/// What one model must show.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelExpect {
    pub limiting_potential: Option<Num>,
    pub pds: Option<String>,
    #[serde(rename = "adsorption_dG")]
    pub adsorption_dg: Option<Num>,
    pub dband_center: Option<Num>,
    #[serde(default)]
    pub steps: BTreeMap<String, Num>,
}

/// The expected file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// Network file or tree, relative to the expected file.
    pub source: String,
    /// Default tolerance, eV or V.
    #[serde(default = "default_tol")]
    pub tolerance: f64,
    #[serde(rename = "U")]
    pub u: Option<f64>,
    #[serde(rename = "pH")]
    pub ph: Option<f64>,
    pub template: Option<String>,
    #[serde(default)]
    pub models: BTreeMap<String, ModelExpect>,
}

fn default_tol() -> f64 {
    0.01
}

/// One comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub model: String,
    pub quantity: String,
    pub expected: String,
    pub got: String,
    pub delta: Option<f64>,
    pub tolerance: Option<f64>,
    pub ok: bool,
}

/// The current values of every model, in the expected file's shape.
#[derive(Debug, Clone)]
pub struct Current {
    pub models: BTreeMap<String, ModelExpect>,
    pub report: crate::che::Report,
}

fn norm_step(s: &str) -> String {
    s.replace("->", "→")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compute the current values of a source (network file or tree).
pub fn current(
    source: &Path,
    u: Option<f64>,
    ph: Option<f64>,
    template: Option<&str>,
) -> Result<Current, Error> {
    let (file, base) = crate::calc::load_network(source, template)?;
    let report = crate::che::run(&file, &base, u, ph)?;
    let dband = crate::summary::dband_values(&file, &base)?;
    let mut models = BTreeMap::new();
    for m in &report.models {
        let mut e = ModelExpect {
            limiting_potential: m.limiting_potential.map(Num::Plain),
            pds: m.pds.as_ref().map(|p| format!("{} → {}", p.from, p.to)),
            adsorption_dg: m.adsorption_dg.map(Num::Plain),
            dband_center: dband.get(&m.name).and_then(|d| d.center).map(Num::Plain),
            steps: BTreeMap::new(),
        };
        if let Some(b) = m.best_path {
            for s in &m.paths[b].steps {
                e.steps
                    .insert(format!("{} → {}", s.from, s.to), Num::Plain(s.dg));
            }
        }
        models.insert(m.name.clone(), e);
    }
    Ok(Current { models, report })
}

/// Read an expected file; its source path resolved against the file's directory.
pub fn read_expected(path: &Path) -> Result<(Expected, PathBuf), Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Parse(vasp_parsers::ParseError::io(path, &e)))?;
    let ex: Expected =
        toml::from_str(&text).map_err(|e| Error::Input(format!("{}: {e}", path.display())))?;
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let src = base.join(&ex.source);
    Ok((ex, src))
}

/// Compare expected with current values.
pub fn compare(ex: &Expected, cur: &Current) -> Vec<Outcome> {
    let mut out = Vec::new();
    let num = |out: &mut Vec<Outcome>,
               model: &str,
               q: &str,
               want: &Num,
               got: Option<f64>,
               tol_default: f64| {
        let tol = want.tolerance(tol_default);
        match got {
            Some(g) => {
                let d = g - want.value();
                out.push(Outcome {
                    model: model.into(),
                    quantity: q.into(),
                    expected: format!("{:+.4}", want.value()),
                    got: format!("{g:+.4}"),
                    delta: Some(d),
                    tolerance: Some(tol),
                    ok: d.abs() <= tol + 1e-12,
                });
            }
            None => out.push(Outcome {
                model: model.into(),
                quantity: q.into(),
                expected: format!("{:+.4}", want.value()),
                got: "missing".into(),
                delta: None,
                tolerance: Some(tol),
                ok: false,
            }),
        }
    };
    for (name, want) in &ex.models {
        let Some(have) = cur.models.get(name) else {
            out.push(Outcome {
                model: name.clone(),
                quantity: "model".into(),
                expected: "present".into(),
                got: "missing from the source".into(),
                delta: None,
                tolerance: None,
                ok: false,
            });
            continue;
        };
        let t = ex.tolerance;
        if let Some(w) = &want.limiting_potential {
            num(
                &mut out,
                name,
                "limiting_potential",
                w,
                have.limiting_potential.map(|n| n.value()),
                t,
            );
        }
        if let Some(w) = &want.pds {
            let g = have.pds.clone().unwrap_or_else(|| "none".into());
            out.push(Outcome {
                model: name.clone(),
                quantity: "pds".into(),
                expected: w.clone(),
                got: g.clone(),
                delta: None,
                tolerance: None,
                ok: norm_step(w) == norm_step(&g),
            });
        }
        if let Some(w) = &want.adsorption_dg {
            num(
                &mut out,
                name,
                "adsorption_dG",
                w,
                have.adsorption_dg.map(|n| n.value()),
                t,
            );
        }
        if let Some(w) = &want.dband_center {
            num(
                &mut out,
                name,
                "dband_center",
                w,
                have.dband_center.map(|n| n.value()),
                t,
            );
        }
        for (step, w) in &want.steps {
            let got = have
                .steps
                .iter()
                .find(|(k, _)| norm_step(k) == norm_step(step))
                .map(|(_, v)| v.value());
            num(
                &mut out,
                name,
                &format!("dG {}", norm_step(step)),
                w,
                got,
                t,
            );
        }
    }
    out
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn numtext(n: &Num) -> String {
    match n {
        Num::Plain(v) => format!("{v:.4}"),
        Num::With { value, tolerance } => {
            format!("{{ value = {value:.4}, tolerance = {tolerance} }}")
        }
    }
}

/// An expected file holding `cur`'s values; tolerances of `keep` (an older file) are kept.
pub fn write_expected(
    source: &str,
    tolerance: f64,
    cur: &Current,
    keep: Option<&Expected>,
    note: &str,
) -> String {
    let mut s = format!("# chepath check: expected values. {note}\n# A value is a number or {{ value = x, tolerance = t }}; energies in eV, potentials in V.\n");
    s.push_str(&format!(
        "source = {}\ntolerance = {tolerance}\n",
        q(source)
    ));
    if let Some(k) = keep {
        if let Some(u) = k.u {
            s.push_str(&format!("U = {u}\n"));
        }
        if let Some(p) = k.ph {
            s.push_str(&format!("pH = {p}\n"));
        }
        if let Some(t) = &k.template {
            s.push_str(&format!("template = {}\n", q(t)));
        }
    }
    for (name, m) in &cur.models {
        let old = keep.and_then(|k| k.models.get(name));
        let with_tol = |n: &Num, o: Option<&Num>| match o {
            Some(Num::With { tolerance, .. }) => Num::With {
                value: n.value(),
                tolerance: *tolerance,
            },
            _ => *n,
        };
        s.push_str(&format!("\n[models.{}]\n", q(name)));
        if let Some(v) = &m.limiting_potential {
            s.push_str(&format!(
                "limiting_potential = {}\n",
                numtext(&with_tol(
                    v,
                    old.and_then(|o| o.limiting_potential.as_ref())
                ))
            ));
        }
        if let Some(p) = &m.pds {
            s.push_str(&format!("pds = {}\n", q(p)));
        }
        if let Some(v) = &m.adsorption_dg {
            s.push_str(&format!(
                "adsorption_dG = {}\n",
                numtext(&with_tol(v, old.and_then(|o| o.adsorption_dg.as_ref())))
            ));
        }
        if let Some(v) = &m.dband_center {
            s.push_str(&format!(
                "dband_center = {}\n",
                numtext(&with_tol(v, old.and_then(|o| o.dband_center.as_ref())))
            ));
        }
        if !m.steps.is_empty() {
            s.push_str(&format!("\n[models.{}.steps]\n", q(name)));
            for (k, v) in &m.steps {
                s.push_str(&format!(
                    "{} = {}\n",
                    q(k),
                    numtext(&with_tol(v, old.and_then(|o| o.steps.get(k))))
                ));
            }
        }
    }
    s
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JUnit XML: one test case per comparison, grouped by model.
pub fn junit(name: &str, outcomes: &[Outcome]) -> String {
    let fails = outcomes.iter().filter(|o| !o.ok).count();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"chepath check\" tests=\"{}\" failures=\"{fails}\">\n  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\">\n",
        outcomes.len(),
        xml(name),
        outcomes.len()
    );
    for o in outcomes {
        s.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml(&o.model),
            xml(&o.quantity)
        ));
        if o.ok {
            s.push_str("/>\n");
        } else {
            let msg = match (o.delta, o.tolerance) {
                (Some(d), Some(t)) => format!(
                    "expected {}, got {} (Δ {d:+.4}, tolerance {t})",
                    o.expected, o.got
                ),
                _ => format!("expected {}, got {}", o.expected, o.got),
            };
            s.push_str(&format!(
                ">\n      <failure message=\"{}\"/>\n    </testcase>\n",
                xml(&msg)
            ));
        }
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}
