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

use crate::error::Error;
use crate::formula::{self, Balance, Species};
use crate::network::resolve::{self, Resolved};
use crate::network::{Conventions, NetworkDef, NetworkFile};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One step of a path.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub from: String,
    pub to: String,
    /// Written out with what balancing added.
    pub equation: String,
    /// Electrons consumed (negative: produced): the slope dΔG/dU, except for a nitrate
    /// adsorption treated as chemical, whose ΔG does not move with U.
    pub n: i32,
    pub protons: i32,
    pub water: i32,
    /// `electrochemical`, `chemical` or `nitrate_adsorption`.
    pub kind: String,
    /// ΔG at U = 0 on the chosen scale and the chosen pH, eV.
    #[serde(rename = "dG0")]
    pub dg0: f64,
    /// ΔG at the chosen U, eV.
    #[serde(rename = "dG")]
    pub dg: f64,
    /// A lumped step (the model lacks the intermediate in between); ΔG/n enters U_L.
    pub lumped: bool,
    /// False for a nitrate adsorption treated as chemical (its ΔG does not move with U).
    #[serde(skip)]
    pub slope_on: bool,
}

impl Step {
    /// The U-slope: electrons consumed, or 0 for a chemical step.
    pub fn slope(&self) -> i32 {
        if self.kind == "electrochemical"
            || (self.kind == "nitrate_adsorption" && self.n != 0 && self.slope_on)
        {
            self.n
        } else {
            0
        }
    }
}

/// A path from the initial to the final state.
#[derive(Debug, Clone, Serialize)]
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
}

/// The potential-determining step of a model.
#[derive(Debug, Clone, Serialize)]
pub struct Pds {
    pub from: String,
    pub to: String,
    #[serde(rename = "dG")]
    pub dg: f64,
    pub n: i32,
}

/// A chemical step reported on its own.
#[derive(Debug, Clone, Serialize)]
pub struct Chemical {
    pub from: String,
    pub to: String,
    #[serde(rename = "dG")]
    pub dg: f64,
}

/// Every complete path must sum to the overall reaction ΔG.
#[derive(Debug, Clone, Serialize)]
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

/// HER competition, when the model has an *H state.
#[derive(Debug, Clone, Serialize)]
pub struct Her {
    /// ΔG(H*) = G(*H) − G(*) − ½G(H₂), eV.
    #[serde(rename = "dG_H")]
    pub dg_h: f64,
    /// U_L(HER) = −|ΔG(H*)|, V vs RHE.
    pub limiting_potential: f64,
    /// U_L(main reaction) − U_L(HER), V: positive means the main reaction needs less driving.
    pub selectivity_gap: Option<f64>,
}

/// Results for one catalyst model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelResult {
    pub name: String,
    /// G of every state, eV (sum over its species).
    pub states: BTreeMap<String, f64>,
    /// Where each value came from.
    pub sources: BTreeMap<String, Resolved>,
    /// ΔG of the nitrate-adsorption step at U, eV (NO3RR only).
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
    pub warnings: Vec<String>,
}

/// The network as run: what is printed above every table.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkInfo {
    pub name: String,
    pub description: String,
    pub initial: String,
    #[serde(rename = "final")]
    pub final_: String,
    /// `reduction`, `oxidation` or `chemical`.
    pub direction: String,
    pub u_eq: Option<f64>,
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
    pub references: BTreeMap<String, Resolved>,
    pub models: Vec<ModelResult>,
    pub warnings: Vec<String>,
}

fn strip_star(s: &str) -> String {
    s.trim().trim_matches('*').to_string()
}

/// Find the model's value for an adsorbed species (`*NO3`, `NO3*`, `NO3` all match; `*`
/// matches `*`, `slab` or `clean`).
fn model_key<'a>(
    table: &'a BTreeMap<String, crate::network::Value>,
    species: &str,
) -> Option<&'a crate::network::Value> {
    if let Some(v) = table.get(species) {
        return Some(v);
    }
    let want = strip_star(species);
    if want.is_empty() {
        return ["*", "slab", "clean", "site"]
            .iter()
            .find_map(|k| table.get(*k));
    }
    table
        .iter()
        .find(|(k, _)| strip_star(k) == want && !k.is_empty())
        .map(|(_, v)| v)
}

struct Ctx<'a> {
    conv: &'a Conventions,
    refs: &'a BTreeMap<String, Resolved>,
}

impl Ctx<'_> {
    fn c(&self) -> f64 {
        self.conv.ph_slope()
    }

    fn reference(&self, name: &str, need: &str) -> Result<f64, Error> {
        self.refs.get(name).map(|r| r.g).ok_or_else(|| {
            Error::Input(format!("{need} needs the reference {name}: add it under [references] (calc/freq, energy with zpe/ts, or G)"))
        })
    }

    /// G of a non-adsorbed species.
    fn gas(&self, s: &Species) -> Result<f64, Error> {
        let core = s.core();
        if core == "NO3" && s.charge == -1 {
            // G(NO3-) + μ(H+) = G(HNO3) − correction, μ(H+) = ½G(H2) − kT ln10 pH
            let hno3 = self.reference("HNO3", "NO3-(aq)")?;
            let h2 = self.reference("H2", "NO3-(aq)")?;
            return Ok(hno3 - self.conv.nitrate_correction - 0.5 * h2 + self.c() * self.conv.ph);
        }
        if s.charge != 0 {
            return Err(Error::Input(format!("no rule for the free energy of the ion {}: give it as a reference through its neutral acid, or fix G", s.name)));
        }
        self.reference(&core, &s.name)
    }

    /// ΔG of a balanced step at U on the configured scale (U_SHE for `she`).
    fn dg(&self, dg_species: f64, b: &Balance, u_she: f64) -> Result<f64, Error> {
        let mut g = dg_species;
        if b.water != 0 {
            g += b.water as f64 * self.reference("H2O", "a step that makes or uses water")?;
        }
        if b.protons != 0 {
            let h2 = self.reference("H2", "the hydrogen electrode (H+ + e-)")?;
            g -= b.protons as f64 * (0.5 * h2 - self.c() * self.conv.ph);
        }
        g += b.electrons as f64 * u_she;
        Ok(g)
    }

    fn u_she(&self, u: f64) -> f64 {
        if self.conv.scale == "SHE" {
            u
        } else {
            u - self.c() * self.conv.ph
        }
    }
}

/// Run a network file (paths in it relative to `base`), optionally at another U and pH.
pub fn run(
    file: &NetworkFile,
    base: &Path,
    u: Option<f64>,
    ph: Option<f64>,
) -> Result<Report, Error> {
    let mut conv = file.conventions.clone();
    if let Some(u) = u {
        conv.u = u;
    }
    if let Some(p) = ph {
        conv.ph = p;
    }
    conv.check().map_err(Error::Input)?;
    let net = file.network.expanded().map_err(Error::Input)?;
    let initial = net.initial.clone().unwrap_or_default();
    let final_ = net.final_.clone().unwrap_or_default();
    let mut refs = BTreeMap::new();
    for (name, v) in &file.references {
        refs.insert(
            name.clone(),
            resolve::resolve(v, base, &conv, true, &format!("references.{name}"))?,
        );
    }
    let ctx = Ctx {
        conv: &conv,
        refs: &refs,
    };
    // Direction from the overall reaction.
    let parse_side = |names: Vec<String>| -> Result<Vec<Species>, Error> {
        names
            .iter()
            .map(|n| formula::parse(n).map_err(Error::Input))
            .collect()
    };
    let overall_b = formula::balance(
        &parse_side(net.species_of(&initial))?,
        &parse_side(net.species_of(&final_))?,
    )
    .map_err(Error::Input)?;
    let direction = match overall_b.electrons {
        n if n > 0 => "reduction",
        n if n < 0 => "oxidation",
        _ => "chemical",
    };
    let mut models = Vec::new();
    for (name, table) in &file.models {
        models.push(run_model(name, table, &net, &ctx, base, direction)?);
    }
    let mut warnings = Vec::new();
    for r in refs.values() {
        warnings.extend(r.warnings.iter().cloned());
    }
    // The linter's findings (parameters, convergence, modes, cells, …), each with the model
    // it concerns; the rest belong to the whole network.
    let lint = crate::lint::lint_network(file, base);
    for f in &lint.findings {
        let owner = models.iter_mut().find(|m| {
            f.subject == format!("models.{}", m.name)
                || f.subject.starts_with(&format!("models.{}.", m.name))
                || f.subject == format!("dband.{}", m.name)
        });
        match owner {
            Some(m) => m.warnings.push(f.as_warning()),
            None => warnings.push(f.as_warning()),
        }
    }
    Ok(Report {
        schema_version: crate::records::SCHEMA_VERSION,
        notice: file.notice.clone(),
        conventions: conv.clone(),
        network: NetworkInfo {
            name: net
                .name
                .clone()
                .or(net.template.clone())
                .unwrap_or_else(|| "custom".into()),
            description: net.description.clone().unwrap_or_default(),
            initial,
            final_,
            direction: direction.into(),
            u_eq: net.u_eq,
            couple: net.couple.clone(),
        },
        references: refs,
        models,
        warnings,
    })
}

fn run_model(
    name: &str,
    table: &BTreeMap<String, crate::network::Value>,
    net: &NetworkDef,
    ctx: &Ctx,
    base: &Path,
    direction: &str,
) -> Result<ModelResult, Error> {
    let conv = ctx.conv;
    let mut warnings = Vec::new();
    let mut sources: BTreeMap<String, Resolved> = BTreeMap::new();
    // Every state named by a step.
    let mut state_names: Vec<String> = Vec::new();
    for s in net
        .steps
        .iter()
        .flat_map(|s| [s.from.clone(), s.to.clone()])
        .chain(
            net.lumped
                .iter()
                .flat_map(|l| [l.from.clone(), l.to.clone()]),
        )
    {
        if !state_names.contains(&s) {
            state_names.push(s);
        }
    }
    let mut g_state: BTreeMap<String, f64> = BTreeMap::new();
    let mut species_of: BTreeMap<String, Vec<Species>> = BTreeMap::new();
    for st in &state_names {
        let sp: Vec<Species> = net
            .species_of(st)
            .iter()
            .map(|n| formula::parse(n).map_err(|e| Error::Input(format!("state {st}: {e}"))))
            .collect::<Result<_, _>>()?;
        let mut total = 0.0;
        let mut ok = true;
        for s in &sp {
            if s.is_adsorbed() {
                match model_key(table, &s.name) {
                    Some(v) => {
                        let r = match sources.get(&s.name) {
                            Some(r) => r.clone(),
                            None => {
                                let r = resolve::resolve(
                                    v,
                                    base,
                                    conv,
                                    false,
                                    &format!("models.{name}.{}", s.name),
                                )?;
                                sources.insert(s.name.clone(), r.clone());
                                r
                            }
                        };
                        total += r.g;
                    }
                    None => {
                        ok = false;
                    }
                }
            } else {
                total += ctx.gas(s)?;
            }
        }
        if ok {
            g_state.insert(st.clone(), total);
            species_of.insert(st.clone(), sp);
        }
    }
    let initial = net.initial.clone().unwrap_or_default();
    let final_ = net.final_.clone().unwrap_or_default();
    for end in [&initial, &final_] {
        if !g_state.contains_key(end) {
            return Err(Error::Input(format!("model {name}: no value for the {} state '{end}' (needs the clean site '*' and the references)", if end == &initial { "initial" } else { "final" })));
        }
    }
    // Graph.
    let mut g: DiGraph<String, (Balance, String, bool)> = DiGraph::new();
    let mut idx: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for s in g_state.keys() {
        idx.insert(s.clone(), g.add_node(s.clone()));
    }
    let mut missing: Vec<String> = state_names
        .iter()
        .filter(|s| !g_state.contains_key(*s))
        .cloned()
        .collect();
    missing.sort();
    let add_edge = |from: &str,
                    to: &str,
                    kind: String,
                    lumped: bool,
                    g: &mut DiGraph<String, (Balance, String, bool)>|
     -> Result<(), Error> {
        let (Some(&a), Some(&b)) = (idx.get(from), idx.get(to)) else {
            return Ok(());
        };
        let bal = formula::balance(&species_of[from], &species_of[to])
            .map_err(|e| Error::Input(format!("model {name}: step {from} → {to}: {e}")))?;
        g.add_edge(a, b, (bal, kind, lumped));
        Ok(())
    };
    for s in &net.steps {
        add_edge(
            &s.from,
            &s.to,
            s.kind.clone().unwrap_or_default(),
            false,
            &mut g,
        )?;
    }
    for l in &net.lumped {
        if !g_state.contains_key(&l.skips) {
            add_edge(&l.from, &l.to, String::new(), true, &mut g)?;
            if g_state.contains_key(&l.from) && g_state.contains_key(&l.to) {
                warnings.push(format!(
                    "lumped step {} → {} (no value for {}): its ΔG/n enters U_L",
                    l.from, l.to, l.skips
                ));
            }
        }
    }
    let u_she = ctx.u_she(conv.u);
    let u_she0 = ctx.u_she(0.0);
    let u_she_rhe0 = if conv.scale == "SHE" {
        -ctx.c() * conv.ph
    } else {
        ctx.u_she(0.0)
    };
    let chemical_ads = conv.nitrate_adsorption == "chemical";
    let step_of = |a: NodeIndex, b: NodeIndex| -> Result<Step, Error> {
        let e = g
            .find_edge(a, b)
            .ok_or_else(|| Error::Input("internal: missing edge".into()))?;
        let (bal, kind, lumped) = &g[e];
        let from = g[a].clone();
        let to = g[b].clone();
        let dgs = g_state[&to] - g_state[&from];
        let is_ads = kind == "nitrate_adsorption";
        let (k, dg0, dg) = if is_ads && chemical_ads {
            // U-independent: evaluated at U_RHE = 0.
            let v = ctx.dg(dgs, bal, u_she_rhe0)?;
            ("nitrate_adsorption", v, v)
        } else {
            let k = if is_ads {
                "nitrate_adsorption"
            } else if bal.electrons != 0 {
                "electrochemical"
            } else {
                "chemical"
            };
            (k, ctx.dg(dgs, bal, u_she0)?, ctx.dg(dgs, bal, u_she)?)
        };
        Ok(Step {
            equation: formula::equation(&species_of[&from], &species_of[&to], bal),
            from,
            to,
            n: bal.electrons,
            protons: bal.protons,
            water: bal.water,
            kind: k.into(),
            dg0,
            dg,
            lumped: *lumped,
            slope_on: !(is_ads && chemical_ads),
        })
    };
    let (Some(&start), Some(&end)) = (idx.get(&initial), idx.get(&final_)) else {
        unreachable!()
    };
    let mut raw: Vec<Vec<NodeIndex>> =
        petgraph::algo::all_simple_paths::<Vec<NodeIndex>, _>(&g, start, end, 0, None).collect();
    raw.sort_by_key(|p| {
        p.iter()
            .map(|n| g[*n].clone())
            .collect::<Vec<_>>()
            .join(">")
    });
    let mut paths = Vec::new();
    for p in &raw {
        let steps: Vec<Step> = p
            .windows(2)
            .map(|w| step_of(w[0], w[1]))
            .collect::<Result<_, _>>()?;
        paths.push(evaluate_path(
            p.iter().map(|n| g[*n].clone()).collect(),
            steps,
            direction,
        ));
    }
    if paths.is_empty() {
        warnings.push(format!(
            "no complete path from {initial} to {final_}: missing intermediates {}",
            if missing.is_empty() {
                "none (check the steps)".to_string()
            } else {
                missing.join(", ")
            }
        ));
    }
    // Best (minimax) path: the best limiting potential; ties by fewer steps, then by name.
    let better = |a: f64, b: f64| {
        if direction == "oxidation" {
            a < b - 1e-12
        } else {
            a > b + 1e-12
        }
    };
    let mut best: Option<usize> = None;
    for (i, p) in paths.iter().enumerate() {
        let Some(ul) = p.limiting_potential else {
            continue;
        };
        match best {
            None => best = Some(i),
            Some(j) => {
                let uj = paths[j].limiting_potential.unwrap_or(f64::NAN);
                if better(ul, uj)
                    || ((ul - uj).abs() <= 1e-12 && p.steps.len() < paths[j].steps.len())
                {
                    best = Some(i);
                }
            }
        }
    }
    // Greedy path: always the most stable next state (lowest ΔG at U = 0).
    let greedy = {
        let mut cur = start;
        let mut visited = vec![cur];
        loop {
            if cur == end {
                break;
            }
            let mut next: Option<(f64, String, NodeIndex)> = None;
            for nb in g.neighbors(cur) {
                if visited.contains(&nb) {
                    continue;
                }
                let s = step_of(cur, nb)?;
                let cand = (s.dg0, g[nb].clone(), nb);
                if next.as_ref().is_none_or(|x| {
                    cand.0 < x.0 - 1e-12 || ((cand.0 - x.0).abs() <= 1e-12 && cand.1 < x.1)
                }) {
                    next = Some(cand);
                }
            }
            match next {
                Some((_, _, nb)) => {
                    visited.push(nb);
                    cur = nb;
                }
                None => break,
            }
        }
        if cur == end {
            raw.iter().position(|p| *p == visited)
        } else {
            warnings
                .push("the greedy path (most stable next intermediate) ends in a dead end".into());
            None
        }
    };
    let bp = best.map(|i| &paths[i]);
    let pds = bp.and_then(|p| p.pds.map(|k| &p.steps[k])).map(|s| Pds {
        from: s.from.clone(),
        to: s.to.clone(),
        dg: s.dg0,
        n: s.n,
    });
    let chem = bp
        .and_then(|p| p.chemical_bottleneck.map(|k| &p.steps[k]))
        .map(|s| Chemical {
            from: s.from.clone(),
            to: s.to.clone(),
            dg: s.dg,
        });
    let ul = bp.and_then(|p| p.limiting_potential);
    let overpotential = match (ul, net.u_eq, conv.scale.as_str()) {
        (Some(ul), Some(ueq), "RHE") => Some(if direction == "oxidation" {
            ul - ueq
        } else {
            ueq - ul
        }),
        _ => None,
    };
    // Nitrate adsorption on its own.
    let adsorption = paths
        .iter()
        .flat_map(|p| p.steps.iter())
        .find(|s| s.kind == "nitrate_adsorption")
        .map(|s| s.dg);
    if let Some(a) = adsorption {
        if a > 2.0 {
            warnings.push(format!("nitrate adsorption ΔG = {a:+.2} eV: above 2 eV, nitrate hardly binds (or a reference is off: check HNO3, H2 and the nitrate correction)"));
        }
    }
    // Closure at U_RHE = 0.
    let closure = if paths.is_empty() {
        None
    } else {
        let b =
            formula::balance(&species_of[&initial], &species_of[&final_]).map_err(Error::Input)?;
        let overall = ctx.dg(g_state[&final_] - g_state[&initial], &b, u_she_rhe0)?;
        let mut dev: f64 = 0.0;
        for p in &raw {
            let mut s = 0.0;
            for w in p.windows(2) {
                let st = step_of(w[0], w[1])?;
                let e = g.find_edge(w[0], w[1]).map(|e| g[e].0).unwrap_or(Balance {
                    water: 0,
                    protons: 0,
                    electrons: 0,
                });
                s += ctx.dg(g_state[&st.to] - g_state[&st.from], &e, u_she_rhe0)?;
            }
            dev = dev.max((s - overall).abs());
        }
        if dev > 1e-6 {
            warnings.push(format!("closure: a path sums to {dev:.3} eV away from the overall reaction: a step is mis-specified"));
        }
        let exp = net.experimental_dg;
        let d = exp.map(|x| overall - x);
        if let Some(d) = d {
            if d.abs() > 0.3 {
                warnings.push(format!("the references give the overall reaction ΔG = {overall:.2} eV, {d:+.2} eV from experiment ({:.2} eV): check the gas references", exp.unwrap_or(0.0)));
            }
        }
        Some(Closure {
            equation: formula::equation(&species_of[&initial], &species_of[&final_], &b),
            overall_dg: overall,
            max_path_deviation: dev,
            experimental_dg: exp,
            deviation_from_experiment: d,
        })
    };
    // HER competition.
    let her = match (
        model_key(table, "*H"),
        model_key(table, "*"),
        ctx.refs.get("H2"),
    ) {
        (Some(hv), Some(_), Some(h2)) if net.template.as_deref() != Some("her") => {
            let gh = resolve::resolve(hv, base, conv, false, &format!("models.{name}.*H"))?;
            let g0 = sources
                .get("*")
                .map(|r| r.g)
                .unwrap_or(g_state.get(&initial).copied().unwrap_or(0.0));
            let dgh = gh.g - g0 - 0.5 * h2.g;
            sources.insert("*H".into(), gh);
            let ulh = -dgh.abs();
            Some(Her {
                dg_h: dgh,
                limiting_potential: ulh,
                selectivity_gap: ul.map(|u| u - ulh),
            })
        }
        _ => None,
    };
    for r in sources.values() {
        warnings.extend(r.warnings.iter().cloned());
    }
    Ok(ModelResult {
        name: name.to_string(),
        states: g_state,
        sources,
        adsorption_dg: adsorption,
        paths,
        best_path: best,
        greedy_path: greedy,
        limiting_potential: ul,
        pds,
        chemical_bottleneck: chem,
        overpotential,
        closure,
        her,
        warnings,
    })
}

/// U_L, PDS, chemical bottleneck and largest step of one path.
pub fn evaluate_path(states: Vec<String>, steps: Vec<Step>, direction: &str) -> PathResult {
    let mut ul: Option<f64> = None;
    let mut pds = None;
    let mut chem: Option<usize> = None;
    let mut largest: Option<usize> = None;
    for (i, s) in steps.iter().enumerate() {
        let n = s.slope();
        if n != 0 {
            let per = s.dg0 / n.abs() as f64;
            let cand = if n > 0 { -per } else { per };
            let take = match (ul, direction) {
                (None, _) => true,
                (Some(u), "oxidation") => cand > u,
                (Some(u), _) => cand < u,
            };
            if (direction == "oxidation") == (n < 0) && take {
                ul = Some(cand);
                pds = Some(i);
            }
        } else if chem.is_none_or(|c| s.dg > steps[c].dg) {
            chem = Some(i);
        }
        if largest.is_none_or(|c| s.dg > steps[c].dg) {
            largest = Some(i);
        }
    }
    PathResult {
        states,
        steps,
        limiting_potential: ul,
        pds,
        chemical_bottleneck: chem,
        largest_step: largest,
    }
}
