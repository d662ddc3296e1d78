//! Stage: every product of the reaction (`products` of its template), per model. Each product
//! is its own final state: the network is run to it with the other products' states left out
//! ([`crate::network::NetworkDef::for_product`]), giving its U_L, PDS, best path, chemical
//! bottleneck, U_eq and closure. A product the model cannot reach (a state without a value,
//! a reference missing) is listed as not computable with what is missing.
//!
//! Selectivity (thermodynamic, as in CHE screening): for a reduction the product whose best
//! path has the highest U_L is reached first as U is lowered (for an oxidation the lowest
//! U_L, as U is raised); the margin is the gap to the next one. Chemical steps (desorption
//! of NO, NH₂OH, NH₃) do not enter U_L: a product released by an uphill chemical step is
//! reached at no potential and is ranked after the others (`blocked`); each product's
//! largest chemical step is listed beside it.

use super::{Chemical, Direction, ModelResult, Pds};
use crate::network::{NetworkDef, ProductDef};
use serde::Serialize;
use std::collections::BTreeSet;

/// One product of one model.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProductResult {
    pub product: String,
    pub state: String,
    /// Forms of one product share a group (selectivity compares groups).
    pub group: String,
    pub computable: bool,
    /// V on the conventions' scale.
    pub limiting_potential: Option<f64>,
    pub pds: Option<Pds>,
    /// The states of its best path.
    pub path: Vec<String>,
    /// The steps of its best path (for figures; the JSON has `path`).
    #[serde(skip)]
    pub steps: Vec<super::Step>,
    pub chemical_bottleneck: Option<Chemical>,
    /// The step that releases the product (the best path's last), with its ΔG at U and
    /// whether it moves with U.
    pub release: Option<Release>,
    /// U_eq of initial → product at the working pH, V on the conventions' scale.
    pub u_eq: Option<f64>,
    pub overpotential: Option<f64>,
    /// ΔG of the overall reaction from the references minus the tabulated value, eV.
    pub closure_deviation: Option<f64>,
    /// States on the way to it the model has no value for (when not computable).
    pub missing: Vec<String>,
    /// Why it is not computable, or what to know about its numbers.
    pub note: Option<String>,
}

/// The last step of a product's best path.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Release {
    pub from: String,
    pub to: String,
    #[serde(rename = "dG")]
    pub dg: f64,
    /// Moves with U (an electron is transferred); a chemical release does not.
    pub electrochemical: bool,
}

impl Release {
    /// A chemical release that is uphill: no potential makes it go.
    pub fn blocks(&self) -> bool {
        !self.electrochemical && self.dg > 0.0
    }
}

/// Which product a model reaches first, by what margin.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Selectivity {
    /// Computable products (their groups), first reached first.
    pub order: Vec<String>,
    pub first: Option<String>,
    pub second: Option<String>,
    /// |U_L(first) − U_L(second)|, V.
    pub margin: Option<f64>,
    /// Other groups reached at the same U_L as `first` (within 1 µV, equally blocked or
    /// not): the order among them is by name only. Empty when `first` stands alone.
    pub tied_with_first: Vec<String>,
    /// Other groups at the same U_L as `second` (as above), `first`'s ties excluded.
    pub tied_with_second: Vec<String>,
    /// Products whose best path has an uphill chemical step (not in U_L).
    pub uphill_chemical: Vec<String>,
    /// Products released by an uphill chemical step (desorption): listed after the others,
    /// since no potential makes that step go.
    pub blocked: Vec<String>,
    pub basis: &'static str,
}

/// States from which `state` can be reached by the network's steps (and lumped steps),
/// the state included.
pub fn ancestors(net: &NetworkDef, state: &str) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo = vec![state.to_string()];
    while let Some(s) = todo.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        let into = net
            .steps
            .iter()
            .filter(|st| st.to == s)
            .map(|st| st.from.clone())
            .chain(
                net.lumped
                    .iter()
                    .filter(|l| l.to == s)
                    .map(|l| l.from.clone()),
            );
        todo.extend(into);
    }
    seen
}

/// A product's result from its run (`Ok`: the model result and the states it lacks), or
/// why it could not be run.
pub fn result_of(
    p: &ProductDef,
    net: &NetworkDef,
    run: Result<(ModelResult, Vec<String>), String>,
) -> ProductResult {
    let mut r = ProductResult {
        product: p.label().to_string(),
        state: p.state.clone(),
        group: p.group.clone().unwrap_or_else(|| p.label().to_string()),
        computable: false,
        limiting_potential: None,
        pds: None,
        path: Vec::new(),
        steps: Vec::new(),
        chemical_bottleneck: None,
        release: None,
        u_eq: None,
        overpotential: None,
        closure_deviation: None,
        missing: Vec::new(),
        note: p.note.clone(),
    };
    match run {
        Err(e) => r.note = Some(e),
        Ok((m, missing)) => {
            let on_the_way = ancestors(&net.for_product(p), &p.state);
            r.missing = missing
                .into_iter()
                .filter(|s| on_the_way.contains(s))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let best = m.best_path.and_then(|i| m.paths.get(i));
            r.computable = best.is_some();
            r.path = best.map(|b| b.states.clone()).unwrap_or_default();
            r.steps = best.map(|b| b.steps.clone()).unwrap_or_default();
            r.limiting_potential = m.limiting_potential;
            r.pds = m.pds;
            r.chemical_bottleneck = m.chemical_bottleneck;
            r.release = best.and_then(|b| b.steps.last()).map(|st| Release {
                from: st.from.clone(),
                to: st.to.clone(),
                dg: st.dg,
                electrochemical: st.slope() != 0,
            });
            r.overpotential = m.overpotential;
            r.closure_deviation = m.closure.and_then(|c| c.deviation_from_experiment);
            if !r.computable {
                r.note = Some(format!(
                    "not computable: no complete path to {}{}",
                    p.state,
                    if r.missing.is_empty() {
                        String::new()
                    } else {
                        format!(" (the model has no value for {})", r.missing.join(", "))
                    }
                ));
            }
        }
    }
    r
}

/// The order in which the products are reached and the margin between the first two.
///
/// Forms of one product (a group) count once, by their best member: a member released
/// without an uphill chemical step beats one with, then the better U_L. Products whose
/// release is an uphill chemical step (a desorption no potential drives) come after the
/// others.
pub fn selectivity(products: &[ProductResult], direction: Direction) -> Selectivity {
    let ox = direction == Direction::Oxidation;
    // (group, U_L, blocked); a lower key is better
    let key = |u: f64, blocked: bool| (blocked, if ox { u } else { -u });
    let mut ok: Vec<(&str, f64, bool)> = Vec::new();
    for p in products {
        let Some(u) = p.limiting_potential else {
            continue;
        };
        let blocked = p.release.as_ref().is_some_and(Release::blocks);
        match ok.iter_mut().find(|x| x.0 == p.group) {
            Some(x) if key(u, blocked) < key(x.1, x.2) => {
                x.1 = u;
                x.2 = blocked;
            }
            Some(_) => {}
            None => ok.push((p.group.as_str(), u, blocked)),
        }
    }
    ok.sort_by(|a, b| {
        let (ka, kb) = (key(a.1, a.2), key(b.1, b.2));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then_with(|| a.0.cmp(b.0))
    });
    let margin = match ok.as_slice() {
        [a, b, ..] => Some((a.1 - b.1).abs()),
        _ => None,
    };
    let ties_of = |i: usize| -> Vec<String> {
        ok.get(i).map_or_else(Vec::new, |x| {
            ok.iter()
                .skip(i + 1)
                .filter(|y| y.2 == x.2 && (y.1 - x.1).abs() < 1e-6)
                .map(|y| y.0.to_string())
                .collect()
        })
    };
    let tied_with_first = ties_of(0);
    let tied_with_second = if tied_with_first.is_empty() {
        ties_of(1)
    } else {
        Vec::new()
    };
    Selectivity {
        order: ok.iter().map(|x| x.0.to_string()).collect(),
        first: ok.first().map(|x| x.0.to_string()),
        second: ok.get(1).map(|x| x.0.to_string()),
        margin,
        tied_with_first,
        tied_with_second,
        uphill_chemical: products
            .iter()
            .filter(|p| p.chemical_bottleneck.as_ref().is_some_and(|c| c.dg > 0.0))
            .map(|p| p.product.clone())
            .collect(),
        blocked: ok.iter().filter(|x| x.2).map(|x| x.0.to_string()).collect(),
        basis: if ox {
            "lowest U_L first (reached first as U rises); products released by an uphill chemical step last; chemical steps not in U_L"
        } else {
            "highest U_L first (reached first as U falls); products released by an uphill chemical step last; chemical steps not in U_L"
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, ul: Option<f64>, chem: Option<f64>) -> ProductResult {
        ProductResult {
            product: name.into(),
            state: name.into(),
            group: name.into(),
            computable: ul.is_some(),
            limiting_potential: ul,
            pds: None,
            path: vec![],
            steps: vec![],
            chemical_bottleneck: chem.map(|dg| Chemical {
                from: "a".into(),
                to: "b".into(),
                dg,
            }),
            release: chem.map(|dg| Release {
                from: "a".into(),
                to: "b".into(),
                dg,
                electrochemical: false,
            }),
            u_eq: None,
            overpotential: None,
            closure_deviation: None,
            missing: vec![],
            note: None,
        }
    }

    #[test]
    fn the_highest_limiting_potential_is_reached_first_in_a_reduction() {
        let ps = [
            p("NH3", Some(-0.78), Some(-0.2)),
            p("NO2-", Some(-0.35), None),
            p("NO", Some(-0.35), Some(1.1)),
            p("N2", None, None),
        ];
        let s = selectivity(&ps, Direction::Reduction);
        // NO ties NO2- on U_L but is released by an uphill desorption (+1.1): after the rest
        assert_eq!(s.order, vec!["NO2-", "NH3", "NO"]);
        assert_eq!(s.first.as_deref(), Some("NO2-"));
        assert!((s.margin.unwrap() - 0.43).abs() < 1e-12);
        assert_eq!(s.uphill_chemical, vec!["NO".to_string()]);
        assert_eq!(s.blocked, vec!["NO".to_string()]);
        assert!(s.tied_with_first.is_empty() && s.tied_with_second.is_empty());
        // three at -1.12 behind one at +1.0: the second is named with its ties; a tie for
        // first is said as such
        let tied = [
            p("NO2-", Some(1.0), None),
            p("NH3", Some(-1.12), None),
            p("N2", Some(-1.12), None),
            p("N2O", Some(-1.12 + 1e-9), None),
            p("NO", Some(-1.12), Some(0.5)),
        ];
        let s = selectivity(&tied, Direction::Reduction);
        // (N2O is 1 nV higher: it sorts first of the tied, the rest by name)
        assert_eq!(s.second.as_deref(), Some("N2O"));
        assert_eq!(s.tied_with_second, vec!["N2", "NH3"]);
        assert!(s.tied_with_first.is_empty());
        let s = selectivity(&tied[1..], Direction::Reduction);
        assert_eq!(s.first.as_deref(), Some("N2O"));
        assert_eq!(s.tied_with_first, vec!["N2", "NH3"]);
        assert!(s.tied_with_second.is_empty());
        let s = selectivity(&ps[..1], Direction::Reduction);
        assert_eq!((s.first.as_deref(), s.margin), (Some("NH3"), None));
        let s = selectivity(&ps, Direction::Oxidation);
        assert_eq!(s.first.as_deref(), Some("NH3"));
        assert!((s.margin.unwrap() - 0.43).abs() < 1e-12);
    }
}
