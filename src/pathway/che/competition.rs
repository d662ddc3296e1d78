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
