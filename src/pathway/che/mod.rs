//! The computational hydrogen electrode (Nørskov et al., J. Phys. Chem. B 108, 17886 (2004)):
//! free-energy paths through a reaction network at any potential and pH.
//!
//! For a step that produces `w` H₂O and consumes `p` H⁺ and `n` e⁻ (from [`crate::formula::balance`]):
//!
//! ΔG(U) = ΣG(products) − ΣG(reactants) + w·G(H₂O) − p·μ(H⁺) − n·μ(e⁻),
//! μ(H⁺) = ½G(H₂) − kT ln10·pH, μ(e⁻) = −e·U_SHE, U_SHE = U_RHE − kT ln10·pH.
//!
//! With p = n the pH terms cancel on the RHE scale: ΔG(U_RHE) = ΔG(0) + n·eU. Steps with
//! p ≠ n (nitrate adsorption, nitrite release) keep a pH term. A reduction path's limiting
//! potential is U_L = min_i(−ΔG_i(0)/n_i) over its electrochemical steps (the most positive U
//! at which every one is downhill); the potential-determining step (PDS) is the argmin. For
//! an oxidation path U_L = max_i(ΔG_i(0)/|n_i|). Chemical steps (n = 0) never enter U_L: their
//! largest ΔG is the chemical bottleneck, reported apart.
//!
//! The engine is pure: it takes the network, the conventions and the free energies
//! ([`crate::pathway::energies`]) and never a path. Its stages, one module each:
//! [`electrode`] (μ(H⁺ + e⁻), ions, ΔG of a balanced step), [`states`] (G of every state of
//! a model), [`paths`] (the graph, every path, the best and greedy paths), [`closure`]
//! (every path against the overall reaction), [`competition`] (HER) and [`screening`]
//! (formation free energies: the descriptors of screening plots).

pub mod barriers;
pub mod closure;
pub mod competition;
pub mod electrode;
pub mod paths;
pub mod products;
pub mod screening;
pub mod states;

pub use paths::evaluate_path;

use crate::conventions::choice;
use crate::error::Error;
use crate::formula::{self, Species};
use crate::network::{Conventions, NetworkDef, Plausibility};
use crate::pathway::energies::{FreeEnergies, ModelEnergies, Resolved};
use electrode::Electrode;
use serde::Serialize;
use std::collections::BTreeMap;

choice! {
    /// What a step is, once balanced.
    pub enum StepKind {
        /// Moves (H⁺ + e⁻) pairs or electrons: its ΔG moves with U.
        Electrochemical = "electrochemical",
        /// Moves no electron (desorption, coupling): U-independent.
        Chemical = "chemical",
        /// The step the template marks as the reactant's adsorption (its treatment is a
        /// setting: chemical or electrochemical).
        Adsorption = "adsorption",
    }
}

choice! {
    /// The direction of the overall reaction, from its balance.
    pub enum Direction {
        /// Consumes electrons (ORR, NO3RR, HER): U_L is the highest U at which every step is downhill.
        Reduction = "reduction",
        /// Releases electrons (OER): U_L is the lowest such U.
        Oxidation = "oxidation",
        /// Moves no electron.
        Chemical = "chemical",
    }
}

/// One step of a path.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub from: String,
    pub to: String,
    /// Written out with what balancing added.
    pub equation: String,
    /// Electrons consumed (negative: produced): the slope dΔG/dU, except for a step treated
    /// as chemical, whose ΔG does not move with U.
    pub n: i32,
    pub protons: i32,
    pub water: i32,
    pub kind: StepKind,
    /// ΔG at U = 0 on the chosen scale and the chosen pH, eV.
    #[serde(rename = "dG0")]
    pub dg0: f64,
    /// ΔG at the chosen U, eV.
    #[serde(rename = "dG")]
    pub dg: f64,
    /// A lumped step (the model lacks the intermediate in between); ΔG/n enters U_L.
    pub lumped: bool,
    /// Whether ΔG moves with U (false for chemical steps and for a step treated as chemical).
    #[serde(skip)]
    pub u_dependent: bool,
    /// The step's transition state, when `[barriers.MODEL]` gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub barrier: Option<barriers::StepBarrier>,
}

impl Step {
    /// The U-slope: electrons consumed, or 0 for a step whose ΔG does not move with U.
    pub fn slope(&self) -> i32 {
        if self.u_dependent {
            self.n
        } else {
            0
        }
    }
}

/// A path from the initial to the final state.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PathResult {
    pub states: Vec<String>,
    pub steps: Vec<Step>,
    /// V on the chosen scale; null when the path has no electrochemical step.
    pub limiting_potential: Option<f64>,
    /// Index into `steps` of the potential-determining step.
    pub pds: Option<usize>,
    /// Index of the largest chemical step (n = 0), if any.
    pub chemical_bottleneck: Option<usize>,
    /// Index of the largest step of any kind at U (what many papers call "rate-determining").
    pub largest_step: Option<usize>,
    /// The potentials at which every electrochemical step of the path is downhill or level.
    pub window: PotentialWindow,
    /// Index of the step with the largest barrier at U (steps with a `[barriers]` entry).
    pub largest_barrier: Option<usize>,
}

/// U_min ≤ U ≤ U_max: steps that consume electrons bound U from above (U ≤ −ΔG(0)/n), steps
/// that release them from below (U ≥ ΔG(0)/|n|). Empty when U_min > U_max: then
/// `closed_by` names the two steps (indices into the path's steps) that close it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Default)]
pub struct PotentialWindow {
    /// V on the conventions' scale; `None`: unbounded below.
    pub min: Option<f64>,
    /// V; `None`: unbounded above.
    pub max: Option<f64>,
    pub empty: bool,
    /// (the step setting U_min, the step setting U_max) when the window is empty.
    pub closed_by: Option<(usize, usize)>,
}

/// The potential-determining step of a model.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Pds {
    pub from: String,
    pub to: String,
    #[serde(rename = "dG")]
    pub dg: f64,
    pub n: i32,
}

/// A chemical step reported on its own.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chemical {
    pub from: String,
    pub to: String,
    #[serde(rename = "dG")]
    pub dg: f64,
}

pub use closure::Closure;
pub use competition::Her;

/// Results for one catalyst model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelResult {
    pub name: String,
    /// G of every state, eV (sum over its species).
    pub states: BTreeMap<String, f64>,
    /// Where each value came from.
    pub sources: BTreeMap<String, Resolved>,
    /// ΔG at U of the step the template marks as the adsorption (no3rr: NO₃⁻ → *NO₃), eV.
    #[serde(rename = "adsorption_dG")]
    pub adsorption_dg: Option<f64>,
    pub paths: Vec<PathResult>,
    /// Index of the minimax path (best limiting potential).
    pub best_path: Option<usize>,
    /// Index of the path that always goes to the most stable next intermediate.
    pub greedy_path: Option<usize>,
    pub limiting_potential: Option<f64>,
    pub pds: Option<Pds>,
    pub chemical_bottleneck: Option<Chemical>,
    /// η = U_eq − U_L (reduction) or U_L − U_eq (oxidation), V, with its couple.
    pub overpotential: Option<f64>,
    pub closure: Option<Closure>,
    pub her: Option<Her>,
    /// ΔG of formation of each adsorbate from the clean site, H2O and (H+ + e-) at
    /// U_RHE = 0, eV (ΔG_OH, ΔG_O, ΔG_OOH, ΔG_H; none for adsorbates water cannot balance).
    #[serde(rename = "formation_dG")]
    pub formation_dg: BTreeMap<String, f64>,
    /// The template's screening descriptor (`formation_dG` of its adsorbate), eV.
    pub descriptor: Option<f64>,
    /// The best path's window of U where every electrochemical step is downhill, with the
    /// steps that close it when it is empty.
    pub potential_window: Option<ModelWindow>,
    /// The largest barrier on the best path (steps with a `[barriers]` entry), at U.
    pub largest_barrier: Option<barriers::LargestBarrier>,
    /// Every product of the template (nitrate: NH3, NO2-, NO, NH2OH, …), each run to its own
    /// final state.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<products::ProductResult>,
    /// Which product is reached first, by what margin (with products only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selectivity: Option<products::Selectivity>,
    pub warnings: Vec<String>,
}

/// A model's window of U (its best path's), with the closing steps named.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ModelWindow {
    #[serde(flatten)]
    pub window: PotentialWindow,
    /// `NO3- → *NO3` (needs U ≥ min) and `*NO2 → *NO2H` (needs U ≤ max), when empty.
    pub closed_by_steps: Option<(String, String)>,
}

impl ModelWindow {
    /// `U ≥ -0.40 V and U ≤ -0.78 V: none (NO3- → *NO3 needs U ≥ -0.40, *NHO → *NHOH U ≤ -0.78)`.
    pub fn describe(&self) -> String {
        let w = &self.window;
        let b = |x: Option<f64>, op: &str| x.map(|v| format!("U {op} {v:+.3} V"));
        let bounds: Vec<String> = [b(w.min, "≥"), b(w.max, "≤")]
            .into_iter()
            .flatten()
            .collect();
        match (&self.closed_by_steps, w.min, w.max) {
            (Some((a, c)), Some(lo), Some(hi)) => {
                format!("none: {a} needs U ≥ {lo:+.3} V, {c} needs U ≤ {hi:+.3} V")
            }
            _ if bounds.is_empty() => "any U (no step moves with U)".into(),
            _ => bounds.join(" and "),
        }
    }
}

/// The network as run: what is printed above every table.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkInfo {
    pub name: String,
    pub description: String,
    pub initial: String,
    #[serde(rename = "final")]
    pub final_: String,
    pub direction: Direction,
    /// The equilibrium potential at the working pH, V on the conventions' scale.
    pub u_eq: Option<f64>,
    /// The template's U_eq: at pH 0, V vs RHE.
    pub u_eq_standard: Option<f64>,
    pub couple: Option<String>,
}

/// `chepath pathway` output.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: &'static str,
    /// The network file's notice (for example that its data are generated), if any.
    pub notice: Option<String>,
    pub conventions: Conventions,
    pub network: NetworkInfo,
    /// The network as expanded (template and inline parts): what the settings, columns and
    /// captions of results are read from.
    #[serde(skip)]
    pub definition: NetworkDef,
    pub references: BTreeMap<String, Resolved>,
    pub models: Vec<ModelResult>,
    pub warnings: Vec<String>,
    /// How a tree's directories were placed (directory mode or `[layout]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<crate::network::LayoutReport>,
    /// The rule that chose each calculation's energy file.
    pub energy_sources: &'static str,
}

fn parse_side(names: &[String]) -> Result<Vec<Species>, Error> {
    names
        .iter()
        .map(|n| formula::parse(n).map_err(Error::Input))
        .collect()
}

/// An overall reaction (initial → final) that does not balance, about the file's
/// `network.final`.
pub(crate) fn overall_error(e: String) -> Error {
    Error::Located {
        at: crate::error::Locus::Network("final".into()),
        message: format!("the overall reaction (network.initial → network.final): {e}"),
    }
}

/// The direction of the overall reaction initial → final, from its electron balance.
pub fn direction_of(net: &NetworkDef) -> Result<Direction, Error> {
    let initial = net.initial.clone().unwrap_or_default();
    let final_ = net.final_.clone().unwrap_or_default();
    // a species that does not parse is about the file's network.initial or network.final
    let side = |state: &str, key: &str| {
        parse_side(&net.species_of(state)).map_err(|e| Error::Located {
            at: crate::error::Locus::Network(key.into()),
            message: format!("network.{key} = \"{state}\": {e}"),
        })
    };
    let b = formula::balance(&side(&initial, "initial")?, &side(&final_, "final")?)
        .map_err(overall_error)?;
    Ok(match b.electrons {
        n if n > 0 => Direction::Reduction,
        n if n < 0 => Direction::Oxidation,
        _ => Direction::Chemical,
    })
}

/// Run the network (expanded, with complete conventions: [`crate::network::NetworkFile::resolve`])
/// on the free energies of its references and models.
pub fn run(
    net: &NetworkDef,
    conv: &Conventions,
    energies: &FreeEnergies,
    notice: Option<&str>,
) -> Result<Report, Error> {
    run_checked(net, conv, energies, notice, &Plausibility::default())
}

/// [`run`] with the plausibility ranges of the network file.
pub fn run_checked(
    net: &NetworkDef,
    conv: &Conventions,
    energies: &FreeEnergies,
    notice: Option<&str>,
    limits: &Plausibility,
) -> Result<Report, Error> {
    let el = Electrode::new(conv, &energies.references, &net.ions)?;
    let direction = direction_of(net)?;
    let main = net.main_network();
    let mut models = Vec::new();
    for (name, me) in &energies.models {
        let (mut m, _) = run_model(name, me, &main, &el, direction, true)?;
        let w = plausibility(&m, direction, limits);
        m.warnings.splice(0..0, w);
        m.products = run_products(name, me, net, &el, direction)?;
        if !m.products.is_empty() {
            m.selectivity = Some(products::selectivity(&m.products, direction));
        }
        models.push(m);
    }
    let warnings = energies
        .references
        .values()
        .flat_map(|r| r.warnings.iter().cloned())
        .collect();
    Ok(Report {
        schema_version: crate::records::SCHEMA_VERSION,
        notice: notice.map(String::from),
        conventions: conv.clone(),
        network: NetworkInfo {
            name: net
                .name
                .clone()
                .or(net.template.clone())
                .unwrap_or_else(|| "custom".into()),
            description: net.description.clone().unwrap_or_default(),
            initial: net.initial.clone().unwrap_or_default(),
            final_: net.final_.clone().unwrap_or_default(),
            direction,
            u_eq: closure::u_eq_at(net, &el)?,
            u_eq_standard: net.u_eq,
            couple: net.couple.clone(),
        },
        definition: net.clone(),
        references: energies.references.clone(),
        models,
        warnings,
        layout: None,
        energy_sources: crate::load::ENERGY_SOURCES,
    })
}

/// Every product of the network for one model: run to each product's state
/// ([`products`]); a product the model cannot reach is listed with why.
fn run_products(
    name: &str,
    me: &ModelEnergies,
    net: &NetworkDef,
    el: &Electrode,
    direction: Direction,
) -> Result<Vec<products::ProductResult>, Error> {
    let mut out = Vec::new();
    for p in &net.products {
        let np = net.for_product(p);
        let run = run_model(name, me, &np, el, direction, false).map_err(|e| e.to_string());
        let mut r = products::result_of(p, net, run);
        r.u_eq = closure::u_eq_at(&np, el)?;
        out.push(r);
    }
    Ok(out)
}

/// A network of more than [`paths::MAX_PATHS`] paths: add the best path found by search
/// to the listed ones, and say so.
fn add_searched(
    graph: &paths::Graph,
    raw: &mut Vec<Vec<petgraph::graph::NodeIndex>>,
    paths: &mut Vec<PathResult>,
    (initial, final_): (&str, &str),
    direction: Direction,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let searched = graph.widest(direction)?;
    if searched.is_none() {
        warnings.push(
            "the best path could not be found by search (the network has cycles): it is the best of the listed paths".into(),
        );
    }
    warnings.push(format!(
        "more than {max} paths from {initial} to {final_}: listing the first {max} found, plus the best and greedy paths found by search; closure is checked on the listed paths only",
        max = paths::MAX_PATHS,
    ));
    add_path(graph, raw, paths, searched, direction)?;
    Ok(())
}

/// The index of a path in the listed ones, appending it (evaluated) if it is not listed.
fn add_path(
    graph: &paths::Graph,
    raw: &mut Vec<Vec<petgraph::graph::NodeIndex>>,
    paths: &mut Vec<PathResult>,
    path: Option<Vec<petgraph::graph::NodeIndex>>,
    direction: Direction,
) -> Result<Option<usize>, Error> {
    let Some(p) = path else {
        return Ok(None);
    };
    if let Some(i) = raw.iter().position(|r| *r == p) {
        return Ok(Some(i));
    }
    paths.push(graph.evaluate(&p, direction)?);
    raw.push(p);
    Ok(Some(raw.len() - 1))
}

/// One model through every stage, with the states it has no value for. `all_barriers`:
/// every `[barriers]` step must be on a path (off for a product's network, which holds part
/// of the steps).
fn run_model(
    name: &str,
    me: &ModelEnergies,
    net: &NetworkDef,
    el: &Electrode,
    direction: Direction,
    all_barriers: bool,
) -> Result<(ModelResult, Vec<String>), Error> {
    let mut warnings = Vec::new();
    let st = states::model_states(net, &me.species, el)?;
    st.require_ends(name)?;
    let graph = paths::Graph::build(name, net, &st, el, &mut warnings)?;
    let (mut raw, mut paths, truncated) = graph.paths(direction)?;
    if truncated {
        let what = (st.initial.as_str(), st.final_.as_str());
        add_searched(&graph, &mut raw, &mut paths, what, direction, &mut warnings)?;
    }
    if paths.is_empty() {
        warnings.push(format!(
            "no complete path from {} to {}: missing intermediates {}",
            st.initial,
            st.final_,
            if st.missing.is_empty() {
                "none (check the steps)".to_string()
            } else {
                st.missing.join(", ")
            }
        ));
    }
    let best = paths::best(&paths, direction);
    let greedy_nodes = graph.greedy()?;
    if greedy_nodes.is_none() {
        warnings.push("the greedy path (most stable next intermediate) ends in a dead end".into());
    }
    let greedy = add_path(&graph, &mut raw, &mut paths, greedy_nodes, direction)?;
    barriers::attach(
        me,
        &st,
        &mut paths,
        el.conv.u,
        name,
        all_barriers,
        &mut warnings,
    )?;
    let bp = best.map(|i| &paths[i]);
    let largest_barrier = bp.and_then(barriers::largest_of);
    let (pds, chemical_bottleneck, potential_window) = summary_of(bp);
    let ul = bp.and_then(|p| p.limiting_potential);
    let adsorption_dg = paths
        .iter()
        .flat_map(|p| p.steps.iter())
        .find(|s| s.kind == StepKind::Adsorption)
        .map(|s| s.dg);
    warnings.extend(template_warnings(net, &paths));
    let closure = closure::closure(&graph, &raw, net, el, &mut warnings)?;
    let her = competition::her(me, &st, el, ul);
    let formation_dg = screening::formation_energies(me, el);
    let descriptor = net
        .screening
        .as_ref()
        .and_then(|s| formation_dg.get(&s.descriptor).copied());
    for r in me.species.values() {
        warnings.extend(r.warnings.iter().cloned());
    }
    let result = ModelResult {
        name: name.to_string(),
        states: st.g.clone(),
        sources: me.species.clone(),
        adsorption_dg,
        overpotential: overpotential(ul, closure::u_eq_at(net, el)?, el.conv, direction),
        paths,
        best_path: best,
        greedy_path: greedy,
        limiting_potential: ul,
        pds,
        chemical_bottleneck,
        closure,
        her,
        formation_dg,
        descriptor,
        potential_window,
        largest_barrier,
        products: Vec::new(),
        selectivity: None,
        warnings,
    };
    Ok((result, st.missing))
}

/// The best path's PDS, chemical bottleneck and potential window (with the steps that
/// close it named).
fn summary_of(bp: Option<&PathResult>) -> (Option<Pds>, Option<Chemical>, Option<ModelWindow>) {
    let pds = bp.and_then(|p| p.pds.map(|k| &p.steps[k])).map(|s| Pds {
        from: s.from.clone(),
        to: s.to.clone(),
        dg: s.dg0,
        n: s.n,
    });
    let chemical_bottleneck = bp
        .and_then(|p| p.chemical_bottleneck.map(|k| &p.steps[k]))
        .map(|s| Chemical {
            from: s.from.clone(),
            to: s.to.clone(),
            dg: s.dg,
        });
    let potential_window = bp.map(|p| ModelWindow {
        window: p.window,
        closed_by_steps: p.window.closed_by.and_then(|(a, b)| {
            let name = |k: usize| p.steps.get(k).map(|s| format!("{} → {}", s.from, s.to));
            Some((name(a)?, name(b)?))
        }),
    });
    (pds, chemical_bottleneck, potential_window)
}

/// Values outside the plausible ranges (the best path's electrochemical steps, ΔG(H*), U_L),
/// each with its likely causes.
pub fn plausibility(m: &ModelResult, direction: Direction, limits: &Plausibility) -> Vec<String> {
    const CAUSES: &str = "usually a reference error (H2, H2O, the gas references), a state computed with other settings than the clean site (GGA+U, ISPIN, ENCUT: see chepath lint), a directory of another model or adsorbate, or a clean site that is a single point of another structure";
    let mut out = Vec::new();
    if let Some(p) = m.best_path.and_then(|i| m.paths.get(i)) {
        for s in p.steps.iter().filter(|s| s.slope() != 0) {
            let per = s.dg0 / s.n.abs() as f64;
            if per.abs() > limits.step {
                out.push(format!(
                    "implausible: ΔG(0) = {:+.2} eV for {} (H+ + e-) on {} → {}, beyond ±{} eV per electron: {CAUSES}",
                    s.dg0,
                    s.n.abs(),
                    s.from,
                    s.to,
                    limits.step
                ));
            }
        }
    }
    if let Some(h) = &m.her {
        if h.dg_h.abs() > limits.hydrogen {
            out.push(format!(
                "implausible: ΔG(H*) = {:+.2} eV, beyond ±{} eV: {CAUSES}",
                h.dg_h, limits.hydrogen
            ));
        }
    }
    if let Some(ul) = m.limiting_potential {
        let low = direction == Direction::Reduction && ul < limits.limiting_potential_min;
        let high = direction == Direction::Oxidation && ul > limits.limiting_potential_max;
        if low || high {
            out.push(format!(
                "implausible: U_L = {ul:+.2} V, beyond the {} V of any working catalyst: {CAUSES}",
                if low {
                    limits.limiting_potential_min
                } else {
                    limits.limiting_potential_max
                }
            ));
        }
    }
    out
}

/// η = U_eq − U_L for a reduction, U_L − U_eq for an oxidation, both at the working pH on
/// the conventions' scale.
pub fn overpotential(
    ul: Option<f64>,
    u_eq: Option<f64>,
    _conv: &Conventions,
    direction: Direction,
) -> Option<f64> {
    match (ul, u_eq) {
        (Some(ul), Some(ueq)) => Some(match direction {
            Direction::Oxidation => ul - ueq,
            _ => ueq - ul,
        }),
        _ => None,
    }
}

/// The template's `[[warnings]]`: a step's ΔG at U (its first occurrence on any path)
/// outside the stated range.
pub fn template_warnings(net: &NetworkDef, paths: &[PathResult]) -> Vec<String> {
    let mut out = Vec::new();
    for w in &net.warnings {
        let Some(dg) = paths
            .iter()
            .flat_map(|p| p.steps.iter())
            .find(|s| s.from == w.from && s.to == w.to)
            .map(|s| s.dg)
        else {
            continue;
        };
        let above = w.above.is_some_and(|a| dg > a);
        let below = w.below.is_some_and(|b| dg < b);
        if above || below {
            out.push(w.message.replace("{dG}", &format!("{dg:+.2}")));
        }
    }
    out
}
