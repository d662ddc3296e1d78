//! Stage 1: the free energy of every state of a model, G(state) = Σ G(species), adsorbed
//! species from the model's values and the others from the references
//! ([`super::electrode::Electrode::gas`]). A state with a species the model has no value for
//! is left out (its steps drop from the graph; a lumped step may bridge it).

use super::electrode::Electrode;
use crate::error::Error;
use crate::formula::{self, Species};
use crate::network::NetworkDef;
use crate::pathway::energies::{state_names, Resolved};
use std::collections::BTreeMap;

/// The states of one model.
#[derive(Debug, Clone, Default)]
pub struct ModelStates {
    /// G of every state the model has, eV.
    pub g: BTreeMap<String, f64>,
    /// The species of every state the model has.
    pub species: BTreeMap<String, Vec<Species>>,
    /// States named by the network that the model lacks, sorted.
    pub missing: Vec<String>,
    pub initial: String,
    pub final_: String,
}

impl ModelStates {
    /// The initial and final states must be there (they need the clean site and the
    /// references).
    pub fn require_ends(&self, model: &str) -> Result<(), Error> {
        for (end, which) in [(&self.initial, "initial"), (&self.final_, "final")] {
            if !self.g.contains_key(end) {
                return Err(Error::input(format!("model {model}: no value for the {which} state '{end}' (needs the clean site '*' and the references)")));
            }
        }
        Ok(())
    }
}

/// G of every state of the network for one model.
pub fn model_states(
    net: &NetworkDef,
    species: &BTreeMap<String, Resolved>,
    el: &Electrode,
) -> Result<ModelStates, Error> {
    let mut out = ModelStates {
        initial: net.initial.clone().unwrap_or_default(),
        final_: net.final_.clone().unwrap_or_default(),
        ..Default::default()
    };
    for st in state_names(net) {
        let sp: Vec<Species> = net
            .species_of(&st)
            .iter()
            .map(|n| formula::parse(n).map_err(|e| Error::input(format!("state {st}: {e}"))))
            .collect::<Result<_, _>>()?;
        let mut total = 0.0;
        let mut complete = true;
        for s in &sp {
            if s.is_adsorbed() {
                match species.get(&s.name) {
                    Some(r) => total += r.g,
                    None => complete = false,
                }
            } else {
                total += el.gas(s)?;
            }
        }
        if complete {
            out.g.insert(st.clone(), total);
            out.species.insert(st, sp);
        } else {
            out.missing.push(st);
        }
    }
    out.missing.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Conventions;

    fn fixed(g: f64) -> Resolved {
        Resolved {
            g,
            energy: None,
            correction: None,
            source: "fixed G".into(),
            correction_source: None,
            warnings: vec![],
        }
    }

    fn orr() -> NetworkDef {
        NetworkDef {
            template: Some("orr".into()),
            ..Default::default()
        }
        .expanded()
        .unwrap()
    }

    #[test]
    fn states_sum_their_species_and_missing_ones_are_listed() {
        let refs: BTreeMap<String, Resolved> = [
            ("H2".into(), fixed(-6.8)),
            ("H2O".into(), fixed(-14.2)),
            ("O2".into(), fixed(-9.0)),
        ]
        .into_iter()
        .collect();
        let conv = Conventions::default();
        let el = Electrode::new(&conv, &refs, &[]).unwrap();
        let sp: BTreeMap<String, Resolved> = [
            ("*".into(), fixed(-100.0)),
            ("*OOH".into(), fixed(-113.0)),
            ("*OH".into(), fixed(-107.5)),
        ]
        .into_iter()
        .collect();
        let st = model_states(&orr(), &sp, &el).unwrap();
        // O2(g) state = * + O2(g); H2O(l) state = * + H2O(l): by hand
        assert_eq!(st.g["O2(g)"], -100.0 - 9.0);
        assert_eq!(st.g["H2O(l)"], -100.0 - 14.2);
        assert_eq!(st.g["*OOH"], -113.0);
        assert_eq!(st.missing, vec!["*O".to_string()]);
        assert!(st.require_ends("m").is_ok());
        let mut no_site = sp.clone();
        no_site.remove("*");
        let st = model_states(&orr(), &no_site, &el).unwrap();
        let e = st.require_ends("m").unwrap_err().to_string();
        assert!(e.contains("initial state 'O2(g)'"), "{e}");
    }
}
