//! Stage 5: the hydrogen evolution reaction as a competitor, when the template lets it
//! compete and the model has an *H: ΔG(H*) = G(*H) − G(*) − ½G(H₂) and
//! U_L(HER) = −|ΔG(H*)| (Nørskov et al., J. Electrochem. Soc. 152, J23 (2005)).

use super::electrode::Electrode;
use super::states::ModelStates;
use crate::pathway::energies::ModelEnergies;
use serde::Serialize;

/// HER competition, when the model has an *H state.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Her {
    /// ΔG(H*) = G(*H) − G(*) − ½G(H₂), eV.
    #[serde(rename = "dG_H")]
    pub dg_h: f64,
    /// U_L(HER) = −|ΔG(H*)|, V vs RHE.
    pub limiting_potential: f64,
    /// U_L(main reaction) − U_L(HER), V: positive means the main reaction needs less driving.
    pub selectivity_gap: Option<f64>,
}

/// HER against the main reaction's U_L `ul`; `None` unless HER competes for this model.
pub fn her(me: &ModelEnergies, st: &ModelStates, el: &Electrode, ul: Option<f64>) -> Option<Her> {
    if !me.her {
        return None;
    }
    let gh = me.species.get("*H")?.g;
    let h2 = el.reference("H2", "HER").ok()?;
    // the clean site as resolved; without one, the initial state (which holds it)
    let g0 = me
        .species
        .get("*")
        .map(|r| r.g)
        .unwrap_or(st.g.get(&st.initial).copied().unwrap_or(0.0));
    let dgh = gh - g0 - 0.5 * h2;
    let ulh = -dgh.abs();
    Some(Her {
        dg_h: dgh,
        limiting_potential: ulh,
        selectivity_gap: ul.map(|u| u - ulh),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Conventions;
    use crate::pathway::energies::Resolved;
    use std::collections::BTreeMap;

    fn r(g: f64) -> Resolved {
        Resolved {
            g,
            energy: None,
            correction: None,
            source: "fixed G".into(),
            correction_source: None,
            warnings: vec![],
        }
    }

    #[test]
    fn her_by_hand() {
        let refs: BTreeMap<String, Resolved> = [("H2".to_string(), r(-6.8))].into();
        let conv = Conventions::default();
        let el = Electrode::new(&conv, &refs, &[]).unwrap();
        let mut me = ModelEnergies {
            species: [("*".to_string(), r(-100.0)), ("*H".to_string(), r(-103.2))].into(),
            her: true,
            barriers: vec![],
        };
        let st = ModelStates::default();
        let h = her(&me, &st, &el, Some(-0.5)).unwrap();
        // ΔG(H*) = −103.2 − (−100) − ½(−6.8) = +0.2; U_L(HER) = −0.2; gap −0.5 − (−0.2)
        assert!((h.dg_h - 0.2).abs() < 1e-9);
        assert!((h.limiting_potential + 0.2).abs() < 1e-9);
        assert!((h.selectivity_gap.unwrap() + 0.3).abs() < 1e-9);
        me.her = false;
        assert!(her(&me, &st, &el, Some(-0.5)).is_none());
    }
}
