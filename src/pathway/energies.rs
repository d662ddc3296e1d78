//! Free energies of species, G = E + correction, from calculations, tables or fixed values,
//! each with where it came from and what is doubtful about it.
//!
//! [`resolve`] takes the network file's values and the [`Dataset`] the loader read, and
//! resolves exactly the species the network needs (its references, and per model the
//! adsorbed species of its states, plus `*H` when HER competes), in a fixed order, so the
//! first failure reported is always the same. Nothing here reads a file.
//!
//! correction = ZPE + ∫C dT − TS from a frequency run (harmonic model for adsorbates,
//! ideal gas for references; [`crate::thermo`]) or from tabulated `zpe`, `cp`, `ts`.

use crate::bounds::show;
use crate::error::{Error, Locus};
use crate::load::Dataset;
use crate::network::{Conventions, NetworkDef, NetworkFile, ThermoModel, Value};
use crate::thermo::{self, SoftModeFloor};
use serde::Serialize;
use std::collections::BTreeMap;

/// A resolved free energy.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Resolved {
    /// G, eV.
    pub g: f64,
    /// Electronic energy, eV, when known.
    pub energy: Option<f64>,
    /// ZPE + ∫C dT − TS, eV, when applied.
    pub correction: Option<f64>,
    /// `fixed G`, `OUTCAR:line (step N, E0)`, `tabulated energy`.
    pub source: String,
    pub correction_source: Option<String>,
    pub warnings: Vec<String>,
}

/// The free energies a network needs.
#[derive(Debug, Clone, Default)]
pub struct FreeEnergies {
    /// By reference name.
    pub references: BTreeMap<String, Resolved>,
    /// By model.
    pub models: BTreeMap<String, ModelEnergies>,
}

/// The free energies of one model.
#[derive(Debug, Clone, Default)]
pub struct ModelEnergies {
    /// Adsorbed species (as the network writes it: `*NO3`, `*`) → G. A species the model
    /// has no value for is absent.
    pub species: BTreeMap<String, Resolved>,
    /// HER competes: the network allows it, and the model has a clean site and an `*H`
    /// (then resolved in `species`) and the references an H2.
    pub her: bool,
    /// `[barriers.MODEL]`: the transition states and barriers of its steps.
    pub barriers: Vec<ResolvedBarrier>,
}

/// A step's transition state (resolved like a state) or given barrier.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedBarrier {
    pub from: String,
    pub to: String,
    /// G of the transition state, when it is a calculation or a value.
    pub ts: Option<Resolved>,
    /// G of the barrier's own initial state (`is`), when given.
    pub initial: Option<Resolved>,
    /// Why the TS and its initial state may not be the same atoms (element counts of their
    /// structures differ), when both structures are known.
    pub composition: Option<String>,
    /// The TS frequency run's imaginary modes (cm⁻¹, as positive numbers), when it has one.
    pub imaginary_cm1: Option<Vec<f64>>,
    /// A barrier given as a number, eV, with where it comes from.
    pub ea: Option<(f64, String)>,
    pub beta: Option<f64>,
    pub u0: Option<f64>,
}

/// `TS Ni64N1O1H1 vs IS Ni64N1O1`: the element counts of two calculations' structures when
/// they differ (`None` when equal or unknown).
fn composition_mismatch(data: &Dataset, ts: &str, is: &str) -> Option<String> {
    let counts = |r: &str| -> Option<BTreeMap<String, usize>> {
        let p = data.calc(r)?.structure()?.ok()?;
        let mut m = BTreeMap::new();
        for (sp, n) in p.species.iter().zip(&p.counts) {
            *m.entry(sp.clone()).or_insert(0) += *n;
        }
        Some(m)
    };
    let (a, b) = (counts(ts)?, counts(is)?);
    let show =
        |m: &BTreeMap<String, usize>| m.iter().map(|(e, n)| format!("{e}{n}")).collect::<String>();
    (a != b).then(|| format!("TS {} ({ts}) vs IS {} ({is})", show(&a), show(&b)))
}

/// The `[barriers.MODEL]` entries of a model, resolved (the TS as a state: E + correction).
fn resolve_barriers(
    file: &NetworkFile,
    net: &NetworkDef,
    model: &str,
    data: &Dataset,
    conv: &Conventions,
) -> Result<Vec<ResolvedBarrier>, Error> {
    let mut out = Vec::new();
    let Some(table) = file.barriers.get(model) else {
        return Ok(out);
    };
    for (key, b) in table {
        let at = || Locus::Barrier {
            model: model.into(),
            key: key.clone(),
        };
        let label = format!("barriers.{model}.\"{key}\"");
        let (from, to) = crate::network::BarrierDef::step_of(key)
            .map_err(|e| Error::input(format!("{label}: {e}")))?;
        b.check()
            .map_err(|e| Error::input(format!("{label}: {e}")))?;
        let ts = match &b.ts {
            Some(v) => {
                let fallback = default_correction(file, "TS");
                Some(
                    resolve_state(v, data, conv, &format!("{label}.ts"), fallback)
                        .map_err(|e| e.at(at()))?,
                )
            }
            None => None,
        };
        let initial = match &b.initial {
            Some(v) => {
                let fallback = default_correction(file, "TS");
                Some(
                    resolve_state(v, data, conv, &format!("{label}.is"), fallback)
                        .map_err(|e| e.at(at()))?,
                )
            }
            None => None,
        };
        let is_calc = b.initial.as_ref().and_then(|v| v.calc.clone()).or_else(|| {
            // without `is`: the from-state's adsorbate, when it is one calculation
            let ads: Vec<String> = net
                .species_of(&from)
                .into_iter()
                .filter(|sp| sp.contains('*'))
                .collect();
            match ads.as_slice() {
                [one] => model_value(file.models.get(model)?, one)?.calc.clone(),
                _ => None,
            }
        });
        let composition = match (b.ts.as_ref().and_then(|v| v.calc.as_ref()), is_calc) {
            (Some(t), Some(i)) => composition_mismatch(data, t, &i),
            _ => None,
        };
        let imaginary_cm1 = match b.ts.as_ref().and_then(|v| v.freq.as_ref()) {
            Some(f) => {
                let fr = calc_of(data, f, &label)?.frequencies()?;
                Some(
                    fr.signed_cm1
                        .iter()
                        .filter(|x| **x < 0.0)
                        .map(|x| -x)
                        .collect(),
                )
            }
            None => None,
        };
        out.push(ResolvedBarrier {
            from,
            to,
            ts,
            initial,
            composition,
            imaginary_cm1,
            ea: b.ea.map(|e| {
                let src = match &b.source {
                    Some(s) => format!("given Ea ({s})"),
                    None => "given Ea".into(),
                };
                (e, src)
            }),
            beta: b.beta,
            u0: b.u0,
        });
    }
    Ok(out)
}

fn strip_star(s: &str) -> String {
    s.trim().trim_matches('*').to_string()
}

/// The model's value for an adsorbed species: `*NO3`, `NO3*` and `NO3` all match; `*`
/// matches `*`, `slab`, `clean` or `site`.
pub fn model_value<'a>(table: &'a BTreeMap<String, Value>, species: &str) -> Option<&'a Value> {
    model_entry(table, species).map(|(_, v)| v)
}

/// [`model_value`] with the key it was found under (what an error names the line of).
fn model_entry<'a>(
    table: &'a BTreeMap<String, Value>,
    species: &str,
) -> Option<(&'a String, &'a Value)> {
    if let Some(kv) = table.get_key_value(species) {
        return Some(kv);
    }
    let want = strip_star(species);
    if want.is_empty() {
        return ["*", "slab", "clean", "site"]
            .iter()
            .find_map(|k| table.get_key_value(*k));
    }
    table
        .iter()
        .find(|(k, _)| strip_star(k) == want && !k.is_empty())
}

/// A model's table indexed by its keys without stars, so that finding each of n species is
/// not a scan of the n keys: [`model_value`] in O(log n).
struct ModelIndex<'a> {
    table: &'a BTreeMap<String, Value>,
    bare: std::collections::BTreeMap<String, (&'a String, &'a Value)>,
}

impl<'a> ModelIndex<'a> {
    fn new(table: &'a BTreeMap<String, Value>) -> Self {
        let mut bare = std::collections::BTreeMap::new();
        // the first key in sorted order wins, as model_value's scan finds it
        for (k, v) in table {
            if !k.is_empty() {
                bare.entry(strip_star(k)).or_insert((k, v));
            }
        }
        ModelIndex { table, bare }
    }

    /// [`model_entry`]: the exact key, else the key without stars.
    fn entry(&self, species: &str) -> Option<(&'a String, &'a Value)> {
        if let Some(kv) = self.table.get_key_value(species) {
            return Some(kv);
        }
        let want = strip_star(species);
        if want.is_empty() {
            return model_entry(self.table, species);
        }
        self.bare.get(&want).copied()
    }
}

/// Every state named by a step or a lumped step, in order of first appearance.
pub fn state_names(net: &NetworkDef) -> Vec<String> {
    net.state_names()
}

/// The adsorbed species of the network's states, in order of first appearance.
pub fn adsorbed_species(net: &NetworkDef) -> Result<Vec<String>, Error> {
    net.adsorbed_species().map_err(Error::Input)
}

/// Resolve the references and, per model, the adsorbed species the network needs (and the
/// model's `*H` when HER competes: a clean site, an `*H` and the H2 reference).
pub fn resolve(
    file: &NetworkFile,
    net: &NetworkDef,
    conv: &Conventions,
    data: &Dataset,
) -> Result<FreeEnergies, Error> {
    let mut out = FreeEnergies {
        references: resolve_references(file, net, conv, data)?,
        ..Default::default()
    };
    let species = adsorbed_species(net)?;
    for (model, table) in &file.models {
        check_keys(model, table, &species, net)?;
        let mut got = BTreeMap::new();
        let index = ModelIndex::new(table);
        let at = |key: &String| Locus::Model {
            model: model.clone(),
            key: key.clone(),
        };
        for sp in &species {
            if let Some((key, v)) = index.entry(sp) {
                let label = format!("models.{model}.{sp}");
                let fallback = default_correction(file, sp);
                let r =
                    resolve_state(v, data, conv, &label, fallback).map_err(|e| e.at(at(key)))?;
                got.insert(sp.clone(), r);
            }
        }
        let her = net.her_competes()
            && model_value(table, "*").is_some()
            && out.references.contains_key("H2");
        let her_h = model_entry(table, "*H").filter(|_| her);
        if let (Some((key, v)), false) = (her_h, got.contains_key("*H")) {
            let label = format!("models.{model}.*H");
            let fallback = default_correction(file, "*H");
            let r = resolve_state(v, data, conv, &label, fallback).map_err(|e| e.at(at(key)))?;
            got.insert("*H".into(), r);
        }
        out.models.insert(
            model.clone(),
            ModelEnergies {
                species: got,
                her: her_h.is_some(),
                barriers: resolve_barriers(file, net, model, data, conv)?,
            },
        );
    }
    if let Some(m) = file.barriers.keys().find(|m| !file.models.contains_key(*m)) {
        let names: Vec<&str> = file.models.keys().map(String::as_str).collect();
        return Err(Error::input(format!(
            "barriers.{m}: not a model of the network: its models are {}",
            names.join(", ")
        )));
    }
    Ok(out)
}

/// The references: the named ones, then the gases the network needs from
/// `[references.atoms]`, then those defined by a reaction (as their species become known).
fn resolve_references(
    file: &NetworkFile,
    net: &NetworkDef,
    conv: &Conventions,
    data: &Dataset,
) -> Result<BTreeMap<String, Resolved>, Error> {
    let mut out = BTreeMap::new();
    let mut pending: Vec<(&String, &Value)> = Vec::new();
    for (name, v) in file.references.iter() {
        if v.reaction.is_some() || v.dg.is_some() {
            pending.push((name, v));
            continue;
        }
        let r = resolve_value(v, data, conv, true, &format!("references.{name}"))
            .map_err(|e| e.at(Locus::Reference(name.clone())))?;
        out.insert(name.clone(), r);
    }
    let atoms = &file.references.atoms;
    if !atoms.is_empty() {
        for gas in super::references::needed_gases(net, &pending) {
            let named = pending.iter().any(|(n, _)| **n == gas);
            if !out.contains_key(&gas) && !named {
                if let Some(r) = super::references::from_atoms(&gas, atoms) {
                    out.insert(gas, r);
                }
            }
        }
    }
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for (name, v) in pending {
            match super::references::from_reaction(name, v, &out)? {
                Some(r) => {
                    out.insert(name.clone(), r);
                }
                None => waiting.push((name, v)),
            }
        }
        if waiting.len() == before {
            let names: Vec<&str> = waiting.iter().map(|(n, _)| n.as_str()).collect();
            return Err(Error::input(format!(
                "references {}: their reactions use species that no reference (or [references.atoms]) gives",
                names.join(", ")
            )));
        }
        pending = waiting;
    }
    Ok(out)
}

/// The `[corrections]` value for a state without a frequency run or tabulated terms: its
/// species' entry, else the default (with where it came from).
fn default_correction(file: &NetworkFile, species: &str) -> Option<(f64, String)> {
    let c = file.corrections.as_ref()?;
    let bare = strip_star(species);
    let own = c
        .species
        .iter()
        .find(|(k, _)| *k == species || strip_star(k) == bare);
    match own {
        Some((k, v)) => Some((v.total(), format!("[corrections] {k}"))),
        None => c.default.map(|d| (d, "[corrections] default".to_string())),
    }
}

/// A model's state: as [`resolve_value`], with `fallback` (from `[corrections]`) as its
/// correction when it has no frequency run and no tabulated terms.
pub fn resolve_state(
    v: &Value,
    data: &Dataset,
    conv: &Conventions,
    label: &str,
    fallback: Option<(f64, String)>,
) -> Result<Resolved, Error> {
    let mut r = resolve_value(v, data, conv, false, label)?;
    let bare = v.freq.is_none() && v.zpe.is_none() && v.ts.is_none() && v.cp.is_none();
    if let (true, Some((c, src)), Some(e)) = (bare && v.g.is_none(), fallback, r.energy) {
        r.g = e + c;
        r.correction = Some(c);
        r.correction_source = Some(src);
        r.warnings.retain(|w| !w.contains("no ZPE/TS correction"));
    }
    Ok(r)
}

/// Every key of a model's table must be a state of the network (or `*H`, for the HER
/// comparison): a value nobody uses is a misnamed state, and dropping it silently changes
/// the paths.
fn check_keys(
    model: &str,
    table: &BTreeMap<String, Value>,
    species: &[String],
    net: &NetworkDef,
) -> Result<(), Error> {
    let her = net.her_competes();
    let bare_species: std::collections::BTreeSet<String> =
        species.iter().map(|s| strip_star(s)).collect();
    for key in table.keys() {
        let bare = strip_star(key);
        let known = ["*", "slab", "clean", "site"].contains(&key.as_str())
            || (!bare.is_empty() && bare_species.contains(&bare))
            || (her && bare == "H");
        if !known {
            let mut states: Vec<&str> = species.iter().map(String::as_str).collect();
            if her && !states.contains(&"*H") {
                states.push("*H (HER)");
            }
            return Err(Error::Located {
                at: crate::error::Locus::Model {
                    model: model.into(),
                    key: key.clone(),
                },
                message: format!(
                    "models.{model}.{key}: not a state of the network {}: its states are {}; rename the key (or its directory), map it with [layout] states, or add the state with [[network.steps]]",
                    net.name.clone().or(net.template.clone()).unwrap_or_else(|| "custom".into()),
                    states.join(", ")
                ),
            });
        }
    }
    Ok(())
}

fn floor_of(conv: &Conventions) -> SoftModeFloor {
    if conv.soft_mode_floor > 0.0 {
        SoftModeFloor::EntropyOnly {
            cm1: conv.soft_mode_floor,
        }
    } else {
        SoftModeFloor::None
    }
}

/// Resolve one value. `gas`: a reference molecule (ideal-gas default for `freq`).
pub fn resolve_value(
    v: &Value,
    data: &Dataset,
    conv: &Conventions,
    gas: bool,
    label: &str,
) -> Result<Resolved, Error> {
    if let Some(g) = v.g {
        if v.energy.is_some() || v.calc.is_some() {
            return Err(Error::input(format!(
                "{label}: give either G or an energy (energy/calc), not both"
            )));
        }
        if !g.is_finite() {
            return Err(Error::input(format!(
                "{label}: G = {g}: expected a finite number"
            )));
        }
        return Ok(Resolved {
            g,
            energy: None,
            correction: None,
            source: "fixed G".into(),
            correction_source: None,
            warnings: Vec::new(),
        });
    }
    let (energy, source) = match (&v.energy, &v.calc) {
        (Some(e), None) => (*e, "tabulated energy".to_string()),
        (None, Some(c)) => {
            let e = calc_of(data, c, label)?.energy(conv.energy)?;
            (e.value, e.source)
        }
        (Some(_), Some(_)) => {
            return Err(Error::input(format!(
                "{label}: give energy or calc, not both"
            )))
        }
        (None, None) => return Err(Error::input(format!("{label}: needs G, energy or calc"))),
    };
    let mut warnings = Vec::new();
    let (correction, csrc) = correction(v, data, conv, gas, label, &mut warnings)?;
    let g = energy + correction.unwrap_or(0.0);
    if !g.is_finite() {
        // a NaN would drop out of every maximum of the steps' ΔG without a word
        return Err(Error::input(format!(
            "{label}: G = {} from energy {} eV ({source}) and correction {} eV: expected a finite number",
            show(g),
            show(energy),
            correction.map_or("none".into(), show)
        )));
    }
    Ok(Resolved {
        g,
        energy: Some(energy),
        correction,
        source,
        correction_source: csrc,
        warnings,
    })
}

fn calc_of<'a>(
    data: &'a Dataset,
    reference: &str,
    label: &str,
) -> Result<&'a crate::load::Calc, Error> {
    data.calc(reference).ok_or_else(|| {
        Error::input(format!(
            "{label}: {reference} was not read (a calculation the loader was not asked for)"
        ))
    })
}

/// ZPE + ∫C dT − TS of a value: from its frequency run, its tabulated terms, or none.
fn correction(
    v: &Value,
    data: &Dataset,
    conv: &Conventions,
    gas: bool,
    label: &str,
    warnings: &mut Vec<String>,
) -> Result<(Option<f64>, Option<String>), Error> {
    let Some(fq) = &v.freq else {
        if v.zpe.is_some() || v.ts.is_some() || v.cp.is_some() {
            let c = v.zpe.unwrap_or(0.0) + v.cp.unwrap_or(0.0) - v.ts.unwrap_or(0.0);
            return Ok((Some(c), Some("tabulated ZPE/TS".to_string())));
        }
        // The clean site has no adsorbate modes: no correction is the usual convention.
        if !label.ends_with(".*") {
            warnings.push(format!(
                "{label}: no ZPE/TS correction (no freq run, zpe or ts given): G = E"
            ));
        }
        return Ok((None, None));
    };
    let fr = calc_of(data, fq, label)?.frequencies()?;
    warnings.extend(fr.warnings.iter().map(|w| format!("{label}: {w}")));
    let floor = floor_of(conv);
    let model = v.model.unwrap_or(if gas {
        ThermoModel::IdealGas
    } else {
        ThermoModel::Harmonic
    });
    let th = match model {
        ThermoModel::Harmonic => thermo::harmonic(&fr.signed_cm1, conv.temperature, floor),
        ThermoModel::IdealGas => {
            let (el, pos) = fr.structure.clone().ok_or_else(|| {
                Error::input(format!(
                    "{label}: the ideal-gas model needs a CONTCAR/POSCAR beside {}",
                    fr.source.display()
                ))
            })?;
            let geometry = thermo::geometry_of(&el, &pos);
            let sigma = v
                .symmetry
                .or_else(|| thermo::symmetry_number(&el))
                .ok_or_else(|| {
                    Error::input(format!(
                        "{label}: no symmetry number known for {}: add symmetry = N",
                        el.join("")
                    ))
                })?;
            let mol = thermo::Molecule {
                elements: el,
                positions: pos,
                geometry,
                symmetry_number: sigma,
                spin: v.spin.unwrap_or(0.0),
            };
            let p = v.pressure.unwrap_or(1.0) * 1e5;
            thermo::ideal_gas(&fr.signed_cm1, &mol, conv.temperature, p, floor)
                .map_err(|e| Error::input(format!("{label}: {e}")))?
        }
    };
    warnings.extend(th.warnings.iter().map(|w| format!("{label}: {w}")));
    let src = format!(
        "{} ({}, {} modes)",
        fr.source.display(),
        th.model,
        th.frequencies_cm1.len()
    );
    Ok((Some(th.correction), Some(src)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_resolve_by_hand() {
        let data = Dataset::default();
        let conv = Conventions::default();
        let fixed = Value {
            g: Some(-3.0),
            ..Default::default()
        };
        assert_eq!(
            resolve_value(&fixed, &data, &conv, false, "x").unwrap().g,
            -3.0
        );
        // tabulated: G = E + ZPE + ∫Cp − TS
        let tab = Value {
            energy: Some(-10.0),
            zpe: Some(0.3),
            cp: Some(0.05),
            ts: Some(0.2),
            ..Default::default()
        };
        let r = resolve_value(&tab, &data, &conv, false, "x").unwrap();
        assert!((r.g - (-10.0 + 0.3 + 0.05 - 0.2)).abs() < 1e-12);
        // G and an energy together are refused; a calculation the loader did not read too
        let both = Value {
            g: Some(1.0),
            energy: Some(1.0),
            ..Default::default()
        };
        assert!(resolve_value(&both, &data, &conv, false, "x").is_err());
        let unread = Value {
            calc: Some("nowhere".into()),
            ..Default::default()
        };
        let e = resolve_value(&unread, &data, &conv, false, "x").unwrap_err();
        assert!(e.to_string().contains("was not read"), "{e}");
        // no correction: a warning, except for the clean site
        let bare = Value {
            energy: Some(-1.0),
            ..Default::default()
        };
        assert_eq!(
            resolve_value(&bare, &data, &conv, false, "m.*NO")
                .unwrap()
                .warnings
                .len(),
            1
        );
        assert!(resolve_value(&bare, &data, &conv, false, "m.*")
            .unwrap()
            .warnings
            .is_empty());
        // a G that is not a number is refused (a value built in code or from Python, where
        // the network file's own check of nan and inf does not run)
        let nan = Value {
            energy: Some(-1.0),
            zpe: Some(f64::NAN),
            ..Default::default()
        };
        let e = resolve_value(&nan, &data, &conv, false, "m.*OH").unwrap_err();
        assert!(e.to_string().contains("m.*OH: G = NaN"), "{e}");
        let inf = Value {
            g: Some(f64::INFINITY),
            ..Default::default()
        };
        let e = resolve_value(&inf, &data, &conv, false, "m.*O").unwrap_err();
        assert!(e.to_string().contains("expected a finite number"), "{e}");
    }

    #[test]
    fn corrections_for_states_without_a_frequency_run() {
        let file: NetworkFile =
            toml::from_str("[corrections]\ndefault = 0.1\n\"*OH\" = { zpe = 0.35, ts = 0.05 }\n")
                .unwrap();
        let (data, conv) = (Dataset::default(), Conventions::default());
        let bare = Value {
            energy: Some(-10.0),
            ..Default::default()
        };
        let oh = resolve_state(
            &bare,
            &data,
            &conv,
            "m.*OH",
            default_correction(&file, "OH*"),
        )
        .unwrap();
        assert!((oh.g - (-10.0 + 0.35 - 0.05)).abs() < 1e-12);
        assert!(oh.warnings.is_empty());
        let o =
            resolve_state(&bare, &data, &conv, "m.*O", default_correction(&file, "*O")).unwrap();
        assert!((o.g - (-9.9)).abs() < 1e-12);
        assert_eq!(
            o.correction_source.as_deref(),
            Some("[corrections] default")
        );
        // tabulated terms of the state win over [corrections]
        let tab = Value {
            energy: Some(-10.0),
            zpe: Some(0.2),
            ..Default::default()
        };
        let t = resolve_state(&tab, &data, &conv, "m.*O", default_correction(&file, "*O")).unwrap();
        assert!((t.g - (-9.8)).abs() < 1e-12);
    }

    #[test]
    fn model_keys_match_loosely() {
        let t: BTreeMap<String, Value> = [
            ("NO3*".to_string(), Value::default()),
            ("slab".to_string(), Value::default()),
        ]
        .into();
        assert!(model_value(&t, "*NO3").is_some());
        assert!(model_value(&t, "*").is_some());
        assert!(model_value(&t, "*NO2").is_none());
    }
}
