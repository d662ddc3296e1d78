//! `chepath check`: computed values against expected ones, for users' CI.
//!
//! An expected file (TOML) names its source (a network file or a calculation tree, relative
//! to the expected file), a default tolerance, and per model the values to hold:
//! `limiting_potential`, `pds` (`"*O → *OH"`), `adsorption_dG`, `dband_center`, and
//! `[models.NAME.steps]` with the ΔG at U of named steps of the best path. A value is a
//! number or `{ value = x, tolerance = t }`.

use crate::bounds;
use crate::error::Error;
use crate::load::Loaded;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item};

/// A number with an optional tolerance of its own (read by hand, see [`Num::deserialize`]).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Num {
    Plain(f64),
    With { value: f64, tolerance: f64 },
}

/// A tolerance that can fail: within [`bounds::TOLERANCE`]. An infinite one would pass
/// every value (a check that cannot fail), a NaN or negative one would fail every value.
fn valid_tolerance<E: de::Error>(t: f64) -> Result<f64, E> {
    bounds::TOLERANCE.check("tolerance", t).map_err(E::custom)
}

fn valid_value<E: de::Error>(v: f64) -> Result<f64, E> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(E::custom(format!("value = {v}: expected a finite number")))
    }
}

/// The default `tolerance` of an expected file, checked as [`valid_tolerance`].
fn tolerance_de<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    valid_tolerance(f64::deserialize(d)?)
}

/// `U` within [`bounds::POTENTIAL`], as `--U`.
fn potential_de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let u = f64::deserialize(d)?;
    bounds::POTENTIAL
        .check("U", u)
        .map(Some)
        .map_err(de::Error::custom)
}

/// `pH` within [`bounds::PH`], as `--pH`.
fn ph_de<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let ph = f64::deserialize(d)?;
    bounds::PH
        .check("pH", ph)
        .map(Some)
        .map_err(de::Error::custom)
}

impl<'de> Deserialize<'de> for Num {
    /// A number, or `{ value = x }` / `{ value = x, tolerance = t }`. Written by hand: the
    /// untagged derive took unknown keys (`{ value = 0.8, tol = 0.05 }` said only "data did
    /// not match any variant") and infinite tolerances.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumVisitor;
        impl<'de> Visitor<'de> for NumVisitor {
            type Value = Num;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or { value = x, tolerance = t }")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                valid_value(v).map(Num::Plain)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num::Plain(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num::Plain(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Num, A::Error> {
                let (mut value, mut tolerance) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        // TOML itself refuses a key given twice
                        "value" => value = Some(map.next_value::<f64>()?),
                        "tolerance" => tolerance = Some(map.next_value::<f64>()?),
                        other => {
                            return Err(de::Error::unknown_field(other, &["value", "tolerance"]))
                        }
                    }
                }
                let value = valid_value(value.ok_or_else(|| de::Error::missing_field("value"))?)?;
                match tolerance {
                    None => Ok(Num::Plain(value)),
                    Some(t) => Ok(Num::With {
                        value,
                        tolerance: valid_tolerance(t)?,
                    }),
                }
            }
        }
        d.deserialize_any(NumVisitor)
    }
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
    #[serde(default = "default_tol", deserialize_with = "tolerance_de")]
    pub tolerance: f64,
    #[serde(rename = "U", default, deserialize_with = "potential_de")]
    pub u: Option<f64>,
    #[serde(rename = "pH", default, deserialize_with = "ph_de")]
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
    pub report: crate::pathway::Report,
}

fn norm_step(s: &str) -> String {
    s.replace("->", "→")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The current values of a loaded source, at the expected file's U and pH.
pub fn current(loaded: &Loaded, u: Option<f64>, ph: Option<f64>) -> Result<Current, Error> {
    let report = crate::pathway::run(&loaded.file, &loaded.dataset, u, ph)?;
    let dband = crate::dband::model_centres(&loaded.file, &loaded.dataset)?;
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

/// Parse an expected file's text (`name` for messages).
pub fn parse_expected(text: &str, name: &str) -> Result<Expected, Error> {
    toml::from_str(text).map_err(|e| Error::input(format!("{name}: {e}")))
}

/// The expected file's source, resolved against the file's directory.
pub fn source_path(expected_file: &Path, ex: &Expected) -> PathBuf {
    expected_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
        .join(&ex.source)
}

/// Compare expected with current values.
pub fn compare(ex: &Expected, cur: &Current) -> Vec<Outcome> {
    let mut out = Vec::new();
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
        compare_model(&mut out, name, want, have, ex.tolerance);
    }
    out
}

/// The outcomes of one model present in the source: each quantity `want` names (U_L, PDS,
/// adsorption ΔG, d-band centre, the ΔG of named steps), `t` the default tolerance.
fn compare_model(
    out: &mut Vec<Outcome>,
    name: &str,
    want: &ModelExpect,
    have: &ModelExpect,
    t: f64,
) {
    if let Some(w) = &want.limiting_potential {
        compare_num(
            out,
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
            model: name.into(),
            quantity: "pds".into(),
            expected: w.clone(),
            got: g.clone(),
            delta: None,
            tolerance: None,
            ok: norm_step(w) == norm_step(&g),
        });
    }
    if let Some(w) = &want.adsorption_dg {
        compare_num(
            out,
            name,
            "adsorption_dG",
            w,
            have.adsorption_dg.map(|n| n.value()),
            t,
        );
    }
    if let Some(w) = &want.dband_center {
        compare_num(
            out,
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
        compare_num(out, name, &format!("dG {}", norm_step(step)), w, got, t);
    }
}

/// One number: within its tolerance (its own, else `tol_default`) of the expected value,
/// |got − want| ≤ tol (+1e-12 for rounding); missing is a miss.
fn compare_num(
    out: &mut Vec<Outcome>,
    model: &str,
    q: &str,
    want: &Num,
    got: Option<f64>,
    tol_default: f64,
) {
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
}

/// A TOML number written with 4 decimals (`0.7800`), as a value that keeps that form.
fn number(x: f64) -> Item {
    let text = format!("{x:.4}");
    match text.parse::<toml_edit::Value>() {
        Ok(v) => Item::Value(v),
        Err(_) => toml_edit::value(x),
    }
}

/// A number, or `{ value = x, tolerance = t }` when `keep` (the older value) had a tolerance.
fn num_item(n: &Num, keep: Option<&Num>) -> Item {
    let tol = match (n, keep) {
        (Num::With { tolerance, .. }, _) | (_, Some(Num::With { tolerance, .. })) => *tolerance,
        _ => return number(n.value()),
    };
    let mut t = toml_edit::InlineTable::new();
    if let Item::Value(v) = number(n.value()) {
        t.insert("value", v);
    }
    t.insert("tolerance", toml_edit::Value::from(tol));
    Item::Value(toml_edit::Value::InlineTable(t))
}

/// Set (or, when `None`, remove) `key` of `table`. A value equal to the new one (compared
/// without spacing and comments) is left as it is; a changed value is replaced in place, so
/// the key keeps the comment lines above it and the value its inline comment.
fn set(table: &mut toml_edit::Table, key: &str, item: Option<Item>) {
    let Some(new) = item else {
        table.remove(key);
        return;
    };
    let Some(old) = table.get_mut(key) else {
        table.insert(key, new);
        return;
    };
    match (old.as_value_mut(), new) {
        (Some(ov), Item::Value(mut nv)) => {
            if bare(ov) != bare(&nv) {
                *nv.decor_mut() = ov.decor().clone();
                *ov = nv;
            }
        }
        (_, new) => *old = new,
    }
}

/// A value as text without its own spacing and comments.
fn bare(v: &toml_edit::Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    v.to_string().trim().to_string()
}

/// Put `cur`'s values into an expected-file document: models no longer in the source are
/// dropped, new quantities added; comments, per-value tolerances and everything else the
/// file holds are kept.
fn fill(doc: &mut DocumentMut, cur: &Current, keep: Option<&Expected>) {
    if !doc.contains_table("models") {
        let mut t = toml_edit::Table::new();
        t.set_implicit(true);
        doc.insert("models", Item::Table(t));
    }
    let Some(models) = doc.get_mut("models").and_then(Item::as_table_mut) else {
        return;
    };
    let stale: Vec<String> = models
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| !cur.models.contains_key(k))
        .collect();
    for k in stale {
        models.remove(&k);
    }
    for (name, m) in &cur.models {
        let old = keep.and_then(|k| k.models.get(name));
        if !models.contains_table(name) {
            models.insert(name, Item::Table(toml_edit::Table::new()));
        }
        let Some(t) = models.get_mut(name).and_then(Item::as_table_mut) else {
            continue;
        };
        let lp = m.limiting_potential.as_ref();
        set(
            t,
            "limiting_potential",
            lp.map(|v| num_item(v, old.and_then(|o| o.limiting_potential.as_ref()))),
        );
        set(
            t,
            "pds",
            m.pds.as_ref().map(|p| toml_edit::value(p.as_str())),
        );
        let ads = m.adsorption_dg.as_ref();
        set(
            t,
            "adsorption_dG",
            ads.map(|v| num_item(v, old.and_then(|o| o.adsorption_dg.as_ref()))),
        );
        let dc = m.dband_center.as_ref();
        set(
            t,
            "dband_center",
            dc.map(|v| num_item(v, old.and_then(|o| o.dband_center.as_ref()))),
        );
        if m.steps.is_empty() {
            t.remove("steps");
            continue;
        }
        if !t.contains_table("steps") {
            t.insert("steps", Item::Table(toml_edit::Table::new()));
        }
        if let Some(st) = t.get_mut("steps").and_then(Item::as_table_mut) {
            let gone: Vec<String> = st
                .iter()
                .map(|(k, _)| k.to_string())
                .filter(|k| !m.steps.contains_key(k))
                .collect();
            for k in gone {
                st.remove(&k);
            }
            for (k, v) in &m.steps {
                set(st, k, Some(num_item(v, old.and_then(|o| o.steps.get(k)))));
            }
        }
    }
}

/// A new expected file holding `cur`'s values (`chepath check --init`).
pub fn write_expected(source: &str, tolerance: f64, cur: &Current, note: &str) -> String {
    let mut doc = DocumentMut::new();
    doc.insert("source", toml_edit::value(source));
    doc.insert("tolerance", toml_edit::value(tolerance));
    doc.decor_mut().set_prefix(format!(
        "# chepath check: expected values. {note}\n# A value is a number or {{ value = x, tolerance = t }}; energies in eV, potentials in V.\n"
    ));
    fill(&mut doc, cur, None);
    doc.to_string()
}

/// The expected file `text` with `cur`'s values (`chepath check --update`): comments,
/// per-value tolerances, U, pH and template are kept.
pub fn update_expected(text: &str, name: &str, cur: &Current) -> Result<String, Error> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| Error::input(format!("{name}: {e}")))?;
    let keep = parse_expected(text, name)?;
    fill(&mut doc, cur, Some(&keep));
    Ok(doc.to_string())
}

/// JUnit XML: one test case per comparison, grouped by model (quick-xml's writer escapes
/// every attribute).
pub fn junit(name: &str, outcomes: &[Outcome]) -> String {
    use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};
    let fails = outcomes.iter().filter(|o| !o.ok).count().to_string();
    let tests = outcomes.len().to_string();
    let mut w = quick_xml::Writer::new_with_indent(Vec::new(), b' ', 2);
    let mut write = || -> std::io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let mut suites = BytesStart::new("testsuites");
        suites.push_attribute(("name", "chepath check"));
        suites.push_attribute(("tests", tests.as_str()));
        suites.push_attribute(("failures", fails.as_str()));
        w.write_event(Event::Start(suites))?;
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", printable(name).as_str()));
        suite.push_attribute(("tests", tests.as_str()));
        suite.push_attribute(("failures", fails.as_str()));
        w.write_event(Event::Start(suite))?;
        for o in outcomes {
            let mut case = BytesStart::new("testcase");
            case.push_attribute(("classname", printable(&o.model).as_str()));
            case.push_attribute(("name", printable(&o.quantity).as_str()));
            if o.ok {
                w.write_event(Event::Empty(case))?;
                continue;
            }
            let msg = match (o.delta, o.tolerance) {
                (Some(d), Some(t)) => format!(
                    "expected {}, got {} (Δ {d:+.4}, tolerance {t})",
                    o.expected, o.got
                ),
                _ => format!("expected {}, got {}", o.expected, o.got),
            };
            w.write_event(Event::Start(case))?;
            let mut failure = BytesStart::new("failure");
            failure.push_attribute(("message", printable(&msg).as_str()));
            w.write_event(Event::Empty(failure))?;
            w.write_event(Event::End(BytesEnd::new("testcase")))?;
        }
        w.write_event(Event::End(BytesEnd::new("testsuite")))?;
        w.write_event(Event::End(BytesEnd::new("testsuites")))?;
        Ok(())
    };
    // Writing into a Vec cannot fail.
    let _ = write();
    let mut s = String::from_utf8_lossy(&w.into_inner()).into_owned();
    s.push('\n');
    s
}

/// Text without the control characters XML 1.0 cannot hold (each shown as `\u{..}`).
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                format!("\\u{{{:x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{number, set};

    /// `check --update` keeps what the user wrote around the values: comment lines above a
    /// key and inline comments, on changed and unchanged values alike.
    #[test]
    fn set_keeps_comments_of_changed_and_unchanged_values() {
        let text = "[m]\n# why this value\nlimiting_potential = -0.7800  # from the paper\npds = \"a\"  # kept\n# a loose one\nx = { value = 1.0000, tolerance = 0.05 }  # loose\n";
        let mut doc: toml_edit::DocumentMut = text.parse().expect("toml");
        let t = doc["m"].as_table_mut().expect("table");
        set(t, "limiting_potential", Some(number(-0.81)));
        set(t, "pds", Some(toml_edit::value("a")));
        let inline: toml_edit::Value = "{ value = 1.2500, tolerance = 0.05 }".parse().expect("v");
        set(t, "x", Some(toml_edit::Item::Value(inline)));
        set(t, "new", Some(number(2.0)));
        let out = doc.to_string();
        assert_eq!(
            out,
            "[m]\n# why this value\nlimiting_potential = -0.8100  # from the paper\npds = \"a\"  # kept\n# a loose one\nx = { value = 1.2500, tolerance = 0.05 }  # loose\nnew = 2.0000\n"
        );
        // an unchanged value written differently (spacing) is left exactly as it was
        let mut doc: toml_edit::DocumentMut = "[m]\na =   -0.7800   # c\n".parse().expect("toml");
        let t = doc["m"].as_table_mut().expect("table");
        set(t, "a", Some(number(-0.78)));
        assert_eq!(doc.to_string(), "[m]\na =   -0.7800   # c\n");
        // None removes
        let t = doc["m"].as_table_mut().expect("table");
        set(t, "a", None);
        assert_eq!(doc.to_string(), "[m]\n");
    }
}
