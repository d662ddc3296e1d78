//! Stage 4: every complete path must add up to the overall reaction. The overall ΔG at
//! U_RHE = 0 comes from the references and the end states alone; each path's Σ ΔG_i (at
//! U_RHE = 0, every step) is compared with it (a bookkeeping check: a mis-specified step
//! shows up here), and the overall ΔG with the template's experimental value (a check of
//! the gas references: ORR −4.92 eV, NO3RR −6.39 eV).

use super::electrode::Electrode;
use super::paths::Graph;
use crate::error::Error;
use crate::formula;
use crate::network::NetworkDef;
use petgraph::graph::NodeIndex;
use serde::Serialize;

/// Every complete path must sum to the overall reaction ΔG.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Closure {
    /// The overall reaction, balanced.
    pub equation: String,
    /// ΔG of the overall reaction at U_RHE = 0 from the references and the end states, eV.
    #[serde(rename = "overall_dG")]
    pub overall_dg: f64,
    /// The largest |Σ steps − overall| over the paths (bookkeeping check; ≈ 0).
    pub max_path_deviation: f64,
    /// The template's experimental ΔG at U = 0, and the deviation of `overall_dG` from it.
    #[serde(rename = "experimental_dG")]
    pub experimental_dg: Option<f64>,
    pub deviation_from_experiment: Option<f64>,
}

/// The balance of the overall reaction (initial → final).
pub fn overall_balance(net: &NetworkDef) -> Result<formula::Balance, Error> {
    let side = |state: &Option<String>| -> Result<Vec<formula::Species>, Error> {
        net.species_of(state.as_deref().unwrap_or(""))
            .iter()
            .map(|n| formula::parse(n).map_err(Error::Input))
            .collect()
    };
    formula::balance(&side(&net.initial)?, &side(&net.final_)?).map_err(super::overall_error)
}

/// The template's experimental ΔG (given at pH 0, U_RHE = 0) at the working pH, still at
/// U_RHE = 0: a reaction consuming p H⁺ and n e⁻ shifts by (p − n)·kT ln10·pH (nitrate to
/// NH3(g): 9 − 8 = 1, so −6.39 eV at pH 0 is −5.98 eV at pH 7; ORR: 4 − 4, no shift).
pub fn experimental_at(net: &NetworkDef, el: &Electrode) -> Result<Option<f64>, Error> {
    let Some(x) = net.experimental_dg else {
        return Ok(None);
    };
    let b = overall_balance(net)?;
    Ok(Some(
        x + (b.protons - b.electrons) as f64 * el.c() * el.conv.ph,
    ))
}

/// The equilibrium potential of the overall reaction (the template's, at pH 0 vs RHE) at the
/// working pH, on the conventions' scale: U_eq = −ΔG(pH)/n vs RHE, minus kT ln10·pH vs SHE
/// (nitrate to NH3(g): 0.799 V at pH 0, 0.799 − 0.0074·pH V vs RHE).
pub fn u_eq_at(net: &NetworkDef, el: &Electrode) -> Result<Option<f64>, Error> {
    let Some(u0) = net.u_eq else {
        return Ok(None);
    };
    let b = overall_balance(net)?;
    if b.electrons == 0 {
        return Ok(Some(u0));
    }
    let c = el.c() * el.conv.ph;
    let rhe = u0 - (b.protons - b.electrons) as f64 * c / b.electrons as f64;
    Ok(Some(match el.conv.scale {
        crate::conventions::Scale::Rhe => rhe,
        crate::conventions::Scale::She => rhe - c,
    }))
}

/// The closure of a model's paths (`None` when it has no complete path), with warnings
/// when a path does not close (> 1e-6 eV) or the references miss experiment by > 0.3 eV.
pub fn closure(
    graph: &Graph,
    raw: &[Vec<NodeIndex>],
    net: &NetworkDef,
    el: &Electrode,
    warnings: &mut Vec<String>,
) -> Result<Option<Closure>, Error> {
    if raw.is_empty() {
        return Ok(None);
    }
    let st = graph.states();
    let (a, b) = (&st.species[&st.initial], &st.species[&st.final_]);
    let bal = formula::balance(a, b).map_err(Error::Input)?;
    let overall = el.dg(
        st.g[&st.final_] - st.g[&st.initial],
        &bal,
        el.u_she_at_rhe0(),
    )?;
    let mut dev: f64 = 0.0;
    for p in raw {
        dev = dev.max((graph.sum_at_rhe0(p)? - overall).abs());
    }
    if dev > 1e-6 {
        warnings.push(format!("closure: a path sums to {dev:.3} eV away from the overall reaction: a step is mis-specified"));
    }
    let exp = experimental_at(net, el)?;
    let d = exp.map(|x| overall - x);
    if let (Some(d), Some(x)) = (d, exp) {
        if d.abs() > 0.3 {
            warnings.push(format!("the references give the overall reaction ΔG = {overall:.2} eV, {d:+.2} eV from experiment ({x:.2} eV): check the gas references"));
        }
    }
    Ok(Some(Closure {
        equation: formula::equation(a, b, &bal),
        overall_dg: overall,
        max_path_deviation: dev,
        experimental_dg: exp,
        deviation_from_experiment: d,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Conventions;
    use crate::pathway::che::electrode::Electrode;
    use crate::pathway::che::states::model_states;
    use crate::pathway::che::Direction;
    use crate::pathway::energies::Resolved;
    use std::collections::BTreeMap;

    fn fixed(pairs: &[(&str, f64)]) -> BTreeMap<String, Resolved> {
        pairs
            .iter()
            .map(|(n, g)| {
                let r = Resolved {
                    g: *g,
                    energy: None,
                    correction: None,
                    source: "fixed G".into(),
                    correction_source: None,
                    warnings: vec![],
                };
                (n.to_string(), r)
            })
            .collect()
    }

    fn orr(experimental: f64) -> NetworkDef {
        let mut n = NetworkDef {
            template: Some("orr".into()),
            ..Default::default()
        }
        .expanded()
        .unwrap();
        n.experimental_dg = Some(experimental);
        n
    }

    #[test]
    fn every_path_closes_on_the_overall_reaction_by_hand() {
        let refs = fixed(&[("H2", -6.8), ("H2O", -14.2), ("O2", -9.9)]);
        let species = fixed(&[("*", -50.0), ("*OOH", -64.0), ("*O", -57.5), ("*OH", -61.0)]);
        let conv = Conventions::default();
        let el = Electrode::new(&conv, &refs, &[]).unwrap();
        for (exp, warns) in [(-4.92, 0), (-6.0, 1)] {
            let net = orr(exp);
            let st = model_states(&net, &species, &el).unwrap();
            let mut w = Vec::new();
            let g = Graph::build("m", &net, &st, &el, &mut w).unwrap();
            let (raw, _, _) = g.paths(Direction::Reduction).unwrap();
            let c = closure(&g, &raw, &net, &el, &mut w).unwrap().unwrap();
            // O2 + 4 (H+ + e-) → 2 H2O: 2(−14.2) − (−9.9) − 4·½(−6.8) = −4.9 eV
            assert!((c.overall_dg - (-4.9)).abs() < 1e-9, "{}", c.overall_dg);
            assert!(c.max_path_deviation < 1e-9);
            assert!((c.deviation_from_experiment.unwrap() - (-4.9 - exp)).abs() < 1e-9);
            assert_eq!(w.len(), warns, "{w:?}");
        }
    }
}
