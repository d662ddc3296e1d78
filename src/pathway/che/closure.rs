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
    let exp = net.experimental_dg;
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
