//! The electrode's bookkeeping: μ(H⁺ + e⁻) under the CHE, the potential scales, the free
//! energy of non-adsorbed species (gases, liquids, ions through their neutral partners) and
//! the ΔG of a balanced step at a potential.
//!
//! μ(H⁺) = ½G(H₂) − kT ln10·pH; μ(e⁻) = −e·U_SHE; U_SHE = U_RHE − kT ln10·pH
//! (Nørskov et al., J. Phys. Chem. B 108, 17886 (2004)). An ion is referenced through its
//! neutral partner as its template says (`[[ions]]`), **at the standard state**:
//! G(ion) = G(neutral) + q·μ°(H⁺) − c, μ°(H⁺) = ½G(H₂) (pH 0), q its charge and c the named
//! correction (NO₃⁻(aq) at 1 M: G(HNO₃,g) − ½G(H₂) − 0.392 eV, from CRC ΔfG° of HNO₃(g) and
//! NO₃⁻(aq)). An ion at 1 M does not depend on the pH: pH enters only through the H⁺ a step
//! consumes (docs/nitrate.md derives the consequences).

use crate::conventions::Scale;
use crate::error::Error;
use crate::formula::{self, Balance, Species};
use crate::network::{Conventions, IonDef};
use crate::pathway::energies::Resolved;
use std::collections::BTreeMap;

/// An ion rule, parsed.
struct Ion {
    species: Species,
    neutral: String,
    correction: f64,
}

/// The conventions, the references and the ion rules a network is run with.
pub struct Electrode<'a> {
    pub conv: &'a Conventions,
    refs: &'a BTreeMap<String, Resolved>,
    ions: Vec<Ion>,
}

impl<'a> Electrode<'a> {
    /// Check the ion rules: each ion's formula is its neutral partner's plus q H.
    pub fn new(
        conv: &'a Conventions,
        refs: &'a BTreeMap<String, Resolved>,
        ions: &[IonDef],
    ) -> Result<Electrode<'a>, Error> {
        let mut parsed = Vec::new();
        for i in ions {
            let species = formula::parse(&i.species)
                .map_err(|e| Error::input(format!("network.ions: {e}")))?;
            let neutral = formula::parse(&i.neutral)
                .map_err(|e| Error::input(format!("network.ions: {e}")))?;
            let mut want = neutral.composition.clone();
            *want.entry("H".into()).or_insert(0) += species.charge;
            want.retain(|_, n| *n != 0);
            if want != species.composition || neutral.charge != 0 {
                return Err(Error::input(format!(
                    "network.ions: {} is not {} with {:+} H (an ion is referenced through the neutral species it becomes with H+ added or taken away)",
                    i.species, i.neutral, -species.charge
                )));
            }
            parsed.push(Ion {
                species,
                neutral: i.neutral.clone(),
                correction: conv.number(&i.correction)?,
            });
        }
        Ok(Electrode {
            conv,
            refs,
            ions: parsed,
        })
    }

    /// kT ln 10, eV.
    pub fn c(&self) -> f64 {
        self.conv.ph_slope()
    }

    /// G of a reference, or an error saying what needs it.
    pub fn reference(&self, name: &str, need: &str) -> Result<f64, Error> {
        self.refs.get(name).map(|r| r.g).ok_or_else(|| {
            Error::input(format!("{need} needs the reference {name}: add it under [references] (calc/freq, energy with zpe/ts, or G)"))
        })
    }

    /// μ(H⁺) = ½G(H₂) − kT ln10·pH.
    pub fn mu_proton(&self, need: &str) -> Result<f64, Error> {
        Ok(0.5 * self.reference("H2", need)? - self.c() * self.conv.ph)
    }

    /// G of a non-adsorbed species: a reference by its formula, an ion through its rule, or
    /// a reference named exactly as the species (`"NO3-(aq)" = { G = … }`).
    pub fn gas(&self, s: &Species) -> Result<f64, Error> {
        if let Some(ion) = self.ions.iter().find(|i| {
            // `NH3(aq)` (a rule) is not `NH3(g)`: phases must agree when both are given
            let phase =
                i.species.phase.is_empty() || s.phase.is_empty() || i.species.phase == s.phase;
            i.species.composition == s.composition && i.species.charge == s.charge && phase
        }) {
            // G(ion) = G(neutral) + q·μ°(H⁺) − correction, μ°(H⁺) = ½G(H₂) at pH 0
            let neutral = self.reference(&ion.neutral, &s.name)?;
            let mu_h = 0.5 * self.reference("H2", &s.name)?;
            return Ok(neutral + s.charge as f64 * mu_h - ion.correction);
        }
        if let Some(r) = self.refs.get(&s.name) {
            return Ok(r.g);
        }
        if s.charge != 0 {
            return Err(Error::input(format!(
                "no rule for the free energy of the ion {}: declare it under [[network.ions]] (species, neutral partner, correction setting), or give its G under [references] as \"{}\"",
                s.name, s.name
            )));
        }
        self.reference(&s.core(), &s.name)
    }

    /// ΔG of a balanced step whose species differ by `dg_species`, at `u_she`:
    /// ΔG = ΔG_species + w·G(H₂O) − p·μ(H⁺) + n·U_SHE.
    pub fn dg(&self, dg_species: f64, b: &Balance, u_she: f64) -> Result<f64, Error> {
        let mut g = dg_species;
        if b.water != 0 {
            g += b.water as f64 * self.reference("H2O", "a step that makes or uses water")?;
        }
        if b.protons != 0 {
            g -= b.protons as f64 * self.mu_proton("the hydrogen electrode (H+ + e-)")?;
        }
        g += b.electrons as f64 * u_she;
        Ok(g)
    }

    /// U on the SHE scale for a U on the conventions' scale.
    pub fn u_she(&self, u: f64) -> f64 {
        match self.conv.scale {
            Scale::She => u,
            Scale::Rhe => u - self.c() * self.conv.ph,
        }
    }

    /// U_SHE at U_RHE = 0 (where U-independent steps are evaluated): −kT ln10·pH.
    pub fn u_she_at_rhe0(&self) -> f64 {
        -self.c() * self.conv.ph
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::SettingValue;

    fn refs(pairs: &[(&str, f64)]) -> BTreeMap<String, Resolved> {
        pairs
            .iter()
            .map(|(n, g)| {
                (
                    n.to_string(),
                    Resolved {
                        g: *g,
                        energy: None,
                        correction: None,
                        source: "fixed G".into(),
                        correction_source: None,
                        warnings: vec![],
                    },
                )
            })
            .collect()
    }

    fn nitrate_conv(ph: f64) -> Conventions {
        let mut c = Conventions {
            ph,
            ..Default::default()
        };
        c.reaction
            .insert("corr".into(), SettingValue::Number(0.392));
        c
    }

    fn nitrate_ion() -> Vec<IonDef> {
        vec![IonDef {
            species: "NO3-(aq)".into(),
            neutral: "HNO3".into(),
            correction: "corr".into(),
        }]
    }

    #[test]
    fn nitrate_through_nitric_acid() {
        let r = refs(&[("HNO3", -27.0), ("H2", -6.8)]);
        for ph in [0.0, 7.0, 14.0] {
            let c = nitrate_conv(ph);
            let el = Electrode::new(&c, &r, &nitrate_ion()).unwrap();
            let g = el.gas(&formula::parse("NO3-(aq)").unwrap()).unwrap();
            // by hand: G(HNO3) − 0.392 − ½G(H2), the same at every pH (1 M NO3-)
            let want = -27.0 - 0.392 + 3.4;
            assert!((g - want).abs() < 1e-12, "pH {ph}: {g} vs {want}");
        }
    }

    #[test]
    fn an_ion_without_a_rule_says_how_to_give_one() {
        let r = refs(&[("H2", -6.8)]);
        let c = Conventions::default();
        let el = Electrode::new(&c, &r, &[]).unwrap();
        let e = el.gas(&formula::parse("NO2-(aq)").unwrap()).unwrap_err();
        assert!(e.to_string().contains("[[network.ions]]"), "{e}");
        let r = refs(&[("H2", -6.8), ("NO2-(aq)", -3.0)]);
        let el = Electrode::new(&c, &r, &[]).unwrap();
        assert_eq!(el.gas(&formula::parse("NO2-(aq)").unwrap()).unwrap(), -3.0);
    }

    #[test]
    fn an_ion_rule_must_balance() {
        let r = refs(&[]);
        let c = nitrate_conv(0.0);
        let bad = vec![IonDef {
            species: "NO3-(aq)".into(),
            neutral: "HNO2".into(),
            correction: "corr".into(),
        }];
        assert!(Electrode::new(&c, &r, &bad).is_err());
    }

    #[test]
    fn a_step_at_a_potential() {
        // *O + (H+ + e-) → *OH at U_RHE = 0.5, pH 3: ΔG_species − ½G(H2) + 0.5 on RHE
        let r = refs(&[("H2", -6.8)]);
        let c = Conventions {
            ph: 3.0,
            ..Default::default()
        };
        let el = Electrode::new(&c, &r, &[]).unwrap();
        let b = Balance {
            water: 0,
            protons: 1,
            electrons: 1,
        };
        let g = el.dg(-4.0, &b, el.u_she(0.5)).unwrap();
        assert!((g - (-4.0 + 3.4 + 0.5)).abs() < 1e-12, "{g}");
    }
}
