//! References as researchers write them: a gas from atomic chemical potentials
//! (`[references.atoms]`: G(H2O) = 2 μ(H) + μ(O)), and a reference defined by a reaction and
//! its experimental free energy (`O2 = { reaction = "2 H2O -> O2 + 2 H2", dG = 4.92 }`:
//! G(O2) = 2 G(H2O) − 2 G(H2) + 4.92 eV). Each derivation is its source string, printed with
//! the results.

use super::energies::Resolved;
use crate::error::Error;
use crate::formula;
use crate::network::{NetworkDef, Value};
use std::collections::BTreeMap;

fn derived(g: f64, source: String) -> Resolved {
    Resolved {
        g,
        energy: None,
        correction: None,
        source,
        correction_source: None,
        warnings: Vec::new(),
    }
}

/// G of a gas from atomic chemical potentials: Σ n·μ over its formula (`None` when an
/// element has no μ).
pub fn from_atoms(core: &str, atoms: &BTreeMap<String, f64>) -> Option<Resolved> {
    let sp = formula::parse(core).ok()?;
    if sp.charge != 0 || sp.is_adsorbed() || sp.composition.is_empty() {
        return None;
    }
    let mut g = 0.0;
    let mut terms = Vec::new();
    for (el, n) in &sp.composition {
        g += *n as f64 * atoms.get(el)?;
        terms.push(if *n == 1 {
            format!("μ({el})")
        } else {
            format!("{n} μ({el})")
        });
    }
    Some(derived(
        g,
        format!("from [references.atoms]: {}", terms.join(" + ")),
    ))
}

/// The gases a network needs besides its named references: every neutral, non-adsorbed
/// species of its states, the neutral partners of its ions, H2 and H2O (the electrode and
/// water), and the species of reaction-defined references.
pub fn needed_gases(net: &NetworkDef, reactions: &[(&String, &Value)]) -> Vec<String> {
    let mut out: Vec<String> = vec!["H2".into(), "H2O".into()];
    let mut add = |c: String| {
        if !out.contains(&c) {
            out.push(c);
        }
    };
    for st in net.state_names() {
        for n in net.species_of(&st) {
            if let Ok(s) = formula::parse(&n) {
                if !s.is_adsorbed() && s.charge == 0 {
                    add(s.core());
                }
            }
        }
    }
    for i in &net.ions {
        add(i.neutral.clone());
    }
    for (_, v) in reactions {
        if let Some(Ok(terms)) = v.reaction.as_deref().map(parse_reaction) {
            for (_, name, _) in terms {
                add(name);
            }
        }
    }
    out
}

/// `2 H2O -> O2 + 2 H2` as (coefficient, species core, side: −1 reactant / +1 product).
fn parse_reaction(text: &str) -> Result<Vec<(f64, String, i32)>, String> {
    let norm = text.replace('→', "->");
    let (left, right) = norm
        .split_once("->")
        .ok_or_else(|| format!("reaction '{text}': expected 'A + 2 B -> C' (with -> or →)"))?;
    let mut out = Vec::new();
    for (side, part) in [(-1, left), (1, right)] {
        for term in part.split('+') {
            let term = term.trim();
            let k = term
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(term.len());
            let coeff = if k == 0 {
                1.0
            } else {
                term[..k]
                    .parse::<f64>()
                    .map_err(|_| format!("reaction '{text}': '{term}' has no valid coefficient"))?
            };
            let name = term[k..].trim();
            let sp = formula::parse(name).map_err(|e| format!("reaction '{text}': {e}"))?;
            out.push((coeff, sp.core(), side));
        }
    }
    Ok(out)
}

/// A reference defined by a reaction: `None` while a species of the reaction is not known
/// yet; an error when the reaction does not hold the reference once, or does not balance.
pub fn from_reaction(
    name: &str,
    v: &Value,
    known: &BTreeMap<String, Resolved>,
) -> Result<Option<Resolved>, Error> {
    let text = v.reaction.as_deref().unwrap_or("");
    let label = format!("references.{name}");
    let err = |m: String| Error::input(format!("{label}: {m}"));
    let dg =
        v.dg.ok_or_else(|| err("a reaction needs its experimental free energy: dG = …".into()))?;
    if v.g.is_some() || v.energy.is_some() || v.calc.is_some() {
        return Err(err(
            "give either a reaction with dG, or G/energy/calc, not both".into(),
        ));
    }
    let terms = parse_reaction(text).map_err(err)?;
    let target: Vec<&(f64, String, i32)> = terms.iter().filter(|t| t.1 == name).collect();
    let [(nu, _, side)] = target.as_slice() else {
        return Err(err(format!(
            "reaction '{text}' must hold {name} exactly once"
        )));
    };
    let mut balance: BTreeMap<String, f64> = BTreeMap::new();
    for (c, n, s) in &terms {
        if let Ok(sp) = formula::parse(n) {
            for (el, k) in &sp.composition {
                *balance.entry(el.clone()).or_insert(0.0) += *s as f64 * c * *k as f64;
            }
        }
    }
    if let Some((el, _)) = balance.iter().find(|(_, x)| x.abs() > 1e-9) {
        return Err(err(format!("reaction '{text}' does not balance {el}")));
    }
    // ΔG = Σ_products ν G − Σ_reactants ν G, solved for the target.
    let mut rest = 0.0;
    let mut parts = Vec::new();
    for (c, n, s) in terms.iter().filter(|t| t.1 != name) {
        let Some(g) = known.get(n).map(|r| r.g) else {
            return Ok(None);
        };
        rest += *s as f64 * c * g;
        parts.push(format!("{} {c} G({n})", if *s > 0 { "−" } else { "+" }));
    }
    let g = (dg - rest) / (*side as f64 * nu);
    let source = format!(
        "from {text} with ΔG = {dg} eV: G({name}) = ({dg} {}) / {}",
        parts.join(" "),
        *side as f64 * nu
    );
    Ok(Some(derived(g, source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(g: f64) -> Resolved {
        derived(g, "fixed G".into())
    }

    #[test]
    fn oxygen_from_water_splitting_by_hand() {
        let known: BTreeMap<String, Resolved> =
            [("H2O".to_string(), r(-14.22)), ("H2".to_string(), r(-6.77))].into();
        let v = Value {
            reaction: Some("2 H2O -> O2 + 2 H2".into()),
            dg: Some(4.92),
            ..Default::default()
        };
        let o2 = from_reaction("O2", &v, &known).unwrap().unwrap();
        // 2(−14.22) − 2(−6.77) + 4.92
        assert!(
            (o2.g - (2.0 * -14.22 - 2.0 * -6.77 + 4.92)).abs() < 1e-12,
            "{}",
            o2.g
        );
        // a reactant target works too: H2O from H2 + 1/2 O2 -> H2O with its ΔG
        let known: BTreeMap<String, Resolved> =
            [("O2".to_string(), r(-9.86)), ("H2".to_string(), r(-6.77))].into();
        let v = Value {
            reaction: Some("H2 + 0.5 O2 -> H2O".into()),
            dg: Some(-2.46),
            ..Default::default()
        };
        let w = from_reaction("H2O", &v, &known).unwrap().unwrap();
        assert!((w.g - (-2.46 - 6.77 - 0.5 * 9.86)).abs() < 1e-12);
        // not yet computable; unbalanced; the target twice
        assert!(from_reaction(
            "O2",
            &Value {
                reaction: Some("2 H2O -> O2 + 2 H2".into()),
                dg: Some(4.92),
                ..Default::default()
            },
            &BTreeMap::new()
        )
        .unwrap()
        .is_none());
        assert!(from_reaction(
            "O2",
            &Value {
                reaction: Some("H2O -> O2 + H2".into()),
                dg: Some(1.0),
                ..Default::default()
            },
            &known
        )
        .is_err());
        assert!(from_reaction(
            "O2",
            &Value {
                reaction: Some("O2 -> O2".into()),
                dg: Some(0.0),
                ..Default::default()
            },
            &known
        )
        .is_err());
    }

    #[test]
    fn gases_from_atoms() {
        let atoms: BTreeMap<String, f64> =
            [("H".to_string(), -3.38), ("O".to_string(), -7.46)].into();
        let w = from_atoms("H2O", &atoms).unwrap();
        assert!((w.g - (2.0 * -3.38 - 7.46)).abs() < 1e-12);
        assert!(w.source.contains("2 μ(H) + μ(O)"), "{}", w.source);
        assert!(from_atoms("NH3", &atoms).is_none());
    }
}
