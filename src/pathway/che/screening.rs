//! Stage 6: descriptors for screening many models. The formation free energy of every
//! adsorbate the model has, from its clean site, water and (H⁺ + e⁻) at U_RHE = 0:
//!
//! * + a H₂O → *X + b (H⁺ + e⁻): ΔG_X = G(*X) − G(*) − a·G(H₂O) + b·½G(H₂)
//!
//! (ΔG_OH = G(*OH) − G(*) − G(H₂O) + ½G(H₂), ΔG_O, ΔG_OOH, ΔG_H = G(*H) − G(*) − ½G(H₂), as in
//! Nørskov et al., J. Phys. Chem. B 108, 17886 (2004)). An adsorbate whose elements water and
//! protons cannot balance (N, C, …) has none. The template names the descriptor of its
//! screening plot and the lines of its thermodynamic volcano (`[screening]`).

use super::electrode::Electrode;
use crate::formula;
use crate::pathway::energies::ModelEnergies;
use std::collections::BTreeMap;

/// ΔG of formation of every adsorbate of a model (not the clean site), eV.
pub fn formation_energies(me: &ModelEnergies, el: &Electrode) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let (Some(site), Ok(clean)) = (me.species.get("*"), formula::parse("*")) else {
        return out;
    };
    for (name, r) in &me.species {
        if name == "*" {
            continue;
        }
        let Ok(sp) = formula::parse(name) else {
            continue;
        };
        let Ok(b) = formula::balance(std::slice::from_ref(&clean), std::slice::from_ref(&sp))
        else {
            continue;
        };
        if let Ok(g) = el.dg(r.g - site.g, &b, el.u_she_at_rhe0()) {
            out.insert(name.clone(), g);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Conventions;
    use crate::pathway::energies::Resolved;

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
    fn formation_energies_by_hand() {
        let refs: BTreeMap<String, Resolved> =
            [("H2".to_string(), r(-6.8)), ("H2O".to_string(), r(-14.2))].into();
        let conv = Conventions {
            ph: 7.0,
            ..Default::default()
        };
        let el = Electrode::new(&conv, &refs, &[]).unwrap();
        let me = ModelEnergies {
            species: [
                ("*".to_string(), r(-100.0)),
                ("*OH".to_string(), r(-110.5)),
                ("*OOH".to_string(), r(-115.0)),
                ("*H".to_string(), r(-103.5)),
                ("*NO".to_string(), r(-112.0)),
            ]
            .into(),
            her: true,
            barriers: vec![],
        };
        let f = formation_energies(&me, &el);
        // on the RHE scale the pH cancels: ΔG_OH = −110.5 + 100 + 14.2 − 3.4
        assert!((f["*OH"] - 0.3).abs() < 1e-9, "{}", f["*OH"]);
        // ΔG_OOH = −115 + 100 + 2(14.2) − 3·3.4
        assert!((f["*OOH"] - 3.2).abs() < 1e-9);
        // ΔG_H = −103.5 + 100 + 3.4
        assert!((f["*H"] + 0.1).abs() < 1e-9);
        assert!(!f.contains_key("*NO"), "N does not balance with water");
    }
}
