//! Stages 2 and 3: the graph of a model's states and steps (petgraph), every path from the
//! initial to the final state with its ΔG at U, U_L and PDS, the best (minimax) path and the
//! greedy (most-stable-next-intermediate) path.
//!
//! A step's ΔG comes from [`Electrode::dg`]; a step treated as chemical (an adsorption
//! whose treatment setting says so) is evaluated at U_RHE = 0 and does not move with U.

use super::electrode::Electrode;
use super::states::ModelStates;
use super::{Direction, PathResult, PotentialWindow, Step, StepKind};
use crate::conventions::Treatment;
use crate::error::Error;
use crate::formula::{self, Balance};
use crate::network::{DeclaredKind, NetworkDef};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;

/// The most paths listed per model (and checked for closure): a network with more is not
/// enumerated (a network of 20 two-way branch levels has 2^20), its best and greedy paths are
/// found by search.
pub const MAX_PATHS: usize = 1000;

/// A heap entry of the bottleneck search: (bottleneck, −steps, node) — larger first.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64, i64, usize);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Key {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0
            .total_cmp(&o.0)
            .then(self.1.cmp(&o.1))
            .then(o.2.cmp(&self.2))
    }
}

/// Listed paths: node lists, the same paths evaluated, and whether the list was cut at
/// [`MAX_PATHS`].
pub type Listed = (Vec<Vec<NodeIndex>>, Vec<PathResult>, bool);

/// What an edge of the graph knows about its step.
#[derive(Debug, Clone, Copy)]
struct Edge {
    balance: Balance,
    /// The template marks it as the adsorption.
    adsorption: bool,
    /// Treated as chemical: U-independent, evaluated at U_RHE = 0.
    fixed: bool,
    lumped: bool,
}

/// The states of one model and the steps between them.
pub struct Graph<'a> {
    g: DiGraph<String, Edge>,
    idx: BTreeMap<String, NodeIndex>,
    states: &'a ModelStates,
    el: &'a Electrode<'a>,
}

impl<'a> Graph<'a> {
    /// Every step of the network between two states the model has; a lumped step where the
    /// state it skips is missing (with a warning when both ends are there).
    pub fn build(
        model: &str,
        net: &NetworkDef,
        states: &'a ModelStates,
        el: &'a Electrode<'a>,
        warnings: &mut Vec<String>,
    ) -> Result<Graph<'a>, Error> {
        let mut g: DiGraph<String, Edge> = DiGraph::new();
        let mut idx = BTreeMap::new();
        for s in states.g.keys() {
            idx.insert(s.clone(), g.add_node(s.clone()));
        }
        let mut graph = Graph { g, idx, states, el };
        for s in &net.steps {
            let adsorption = s.kind == Some(DeclaredKind::Adsorption);
            let fixed = match &s.treatment {
                Some(name) => el.conv.treatment(name)? == Treatment::Chemical,
                None => adsorption,
            };
            graph.add(model, &s.from, &s.to, adsorption, fixed, false)?;
        }
        for l in &net.lumped {
            if !states.g.contains_key(&l.skips) {
                graph.add(model, &l.from, &l.to, false, false, true)?;
                if states.g.contains_key(&l.from) && states.g.contains_key(&l.to) {
                    warnings.push(format!(
                        "lumped step {} → {} (no value for {}): its ΔG/n enters U_L",
                        l.from, l.to, l.skips
                    ));
                }
            }
        }
        Ok(graph)
    }

    fn add(
        &mut self,
        model: &str,
        from: &str,
        to: &str,
        adsorption: bool,
        fixed: bool,
        lumped: bool,
    ) -> Result<(), Error> {
        let (Some(&a), Some(&b)) = (self.idx.get(from), self.idx.get(to)) else {
            return Ok(());
        };
        let balance = formula::balance(&self.states.species[from], &self.states.species[to])
            .map_err(|e| Error::Located {
                at: crate::error::Locus::Step {
                    from: from.into(),
                    to: to.into(),
                },
                message: format!("model {model}: step {e}"),
            })?;
        self.g.add_edge(
            a,
            b,
            Edge {
                balance,
                adsorption,
                fixed,
                lumped,
            },
        );
        Ok(())
    }

    /// The step from `a` to `b`, evaluated at U = 0 and at the conventions' U.
    fn step(&self, a: NodeIndex, b: NodeIndex) -> Result<Step, Error> {
        let e = self
            .g
            .find_edge(a, b)
            .map(|e| self.g[e])
            .ok_or_else(|| Error::input("internal: missing edge"))?;
        let (from, to) = (self.g[a].clone(), self.g[b].clone());
        let dgs = self.states.g[&to] - self.states.g[&from];
        let el = self.el;
        let (dg0, dg) = if e.fixed {
            let v = el.dg(dgs, &e.balance, el.u_she_at_rhe0())?;
            (v, v)
        } else {
            (
                el.dg(dgs, &e.balance, el.u_she(0.0))?,
                el.dg(dgs, &e.balance, el.u_she(el.conv.u))?,
            )
        };
        let kind = if e.adsorption {
            StepKind::Adsorption
        } else if e.balance.electrons != 0 {
            StepKind::Electrochemical
        } else {
            StepKind::Chemical
        };
        Ok(Step {
            equation: formula::equation(
                &self.states.species[&from],
                &self.states.species[&to],
                &e.balance,
            ),
            from,
            to,
            n: e.balance.electrons,
            protons: e.balance.protons,
            water: e.balance.water,
            kind,
            dg0,
            dg,
            lumped: e.lumped,
            u_dependent: !e.fixed && e.balance.electrons != 0,
            barrier: None,
        })
    }

    fn ends(&self) -> Result<(NodeIndex, NodeIndex), Error> {
        match (
            self.idx.get(&self.states.initial),
            self.idx.get(&self.states.final_),
        ) {
            (Some(&a), Some(&b)) => Ok((a, b)),
            _ => Err(Error::input(
                "internal: the initial or final state is missing",
            )),
        }
    }

    /// The simple paths from the initial to the final state, sorted by their states'
    /// names, as node lists and as evaluated paths: every one, or the first [`MAX_PATHS`]
    /// found (then `true`: the best and greedy paths are found without listing them all).
    pub fn paths(&self, direction: Direction) -> Result<Listed, Error> {
        let (start, end) = self.ends()?;
        let mut raw: Vec<Vec<NodeIndex>> =
            petgraph::algo::all_simple_paths::<Vec<NodeIndex>, _>(&self.g, start, end, 0, None)
                .take(MAX_PATHS + 1)
                .collect();
        let truncated = raw.len() > MAX_PATHS;
        raw.truncate(MAX_PATHS);
        raw.sort_by_key(|p| self.names(p).join(">"));
        let paths = raw
            .iter()
            .map(|p| self.evaluate(p, direction))
            .collect::<Result<_, _>>()?;
        Ok((raw, paths, truncated))
    }

    /// One path, evaluated.
    pub fn evaluate(&self, p: &[NodeIndex], direction: Direction) -> Result<PathResult, Error> {
        let steps: Vec<Step> = p
            .windows(2)
            .map(|w| self.step(w[0], w[1]))
            .collect::<Result<_, _>>()?;
        Ok(evaluate_path(self.names(p), steps, direction))
    }

    /// The minimax path without listing every path: a bottleneck search (Dijkstra on the
    /// widest path) over (state, whether a step has bounded U yet); ties by fewer steps.
    /// For a reduction each electron-consuming step bounds U_L from above at −ΔG(0)/n, and
    /// the path with the highest lowest bound wins; an oxidation, the mirror image.
    pub fn widest(&self, direction: Direction) -> Result<Option<Vec<NodeIndex>>, Error> {
        use std::collections::BinaryHeap;
        let (start, end) = self.ends()?;
        let ox = direction == Direction::Oxidation;
        // key of a node: (bottleneck, −steps), larger is better; index 2·node + flag
        let n = self.g.node_count();
        let mut best: Vec<Option<(f64, i64)>> = vec![None; 2 * n];
        let mut prev: Vec<Option<usize>> = vec![None; 2 * n];
        let idx = |v: NodeIndex, flag: bool| 2 * v.index() + usize::from(flag);
        let mut heap = BinaryHeap::new();
        best[idx(start, false)] = Some((f64::INFINITY, 0));
        heap.push(Key(f64::INFINITY, 0, idx(start, false)));
        while let Some(Key(b, negsteps, k)) = heap.pop() {
            if best[k].is_some_and(|x| (b, negsteps) < x) {
                continue;
            }
            let (v, flag) = (NodeIndex::new(k / 2), k % 2 == 1);
            for nb in self.g.neighbors(v) {
                let s = self.step(v, nb)?;
                let slope = s.slope();
                let bound = if (ox && slope < 0) || (!ox && slope > 0) {
                    // reduction: U_L = min(−ΔG(0)/n); oxidation: −U_L = min(−ΔG(0)/|n|)
                    Some(-s.dg0 / slope.abs() as f64)
                } else {
                    None
                };
                let (nb_b, nb_flag) = match bound {
                    Some(w) => (b.min(w), true),
                    None => (b, flag),
                };
                let key = (nb_b, negsteps - 1);
                let j = idx(nb, nb_flag);
                if best[j].is_none_or(|x| key > x) {
                    best[j] = Some(key);
                    prev[j] = Some(k);
                    heap.push(Key(key.0, key.1, j));
                }
            }
        }
        let goal = idx(end, true);
        if best[goal].is_none() {
            return Ok(None);
        }
        let mut path = vec![goal];
        while let Some(p) = prev[*path.last().unwrap_or(&goal)] {
            if path.len() > 2 * n + 1 {
                break;
            }
            path.push(p);
        }
        path.reverse();
        let nodes: Vec<NodeIndex> = path.iter().map(|k| NodeIndex::new(k / 2)).collect();
        // a best walk that revisits a state (possible only in a network with cycles) is
        // not a path: report none rather than a wrong one
        let simple = nodes
            .iter()
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            == nodes.len();
        Ok((nodes.first() == Some(&start) && simple).then_some(nodes))
    }

    fn names(&self, p: &[NodeIndex]) -> Vec<String> {
        p.iter().map(|n| self.g[*n].clone()).collect()
    }

    /// The path that always takes the most stable next state (lowest ΔG at U = 0; ties by
    /// name), if it reaches the final state.
    pub fn greedy(&self) -> Result<Option<Vec<NodeIndex>>, Error> {
        let (start, end) = self.ends()?;
        let mut cur = start;
        let mut visited = vec![cur];
        let mut seen = std::collections::BTreeSet::from([cur]);
        while cur != end {
            let mut next: Option<(f64, String, NodeIndex)> = None;
            for nb in self.g.neighbors(cur) {
                if seen.contains(&nb) {
                    continue;
                }
                let s = self.step(cur, nb)?;
                let cand = (s.dg0, self.g[nb].clone(), nb);
                if next.as_ref().is_none_or(|x| {
                    cand.0 < x.0 - 1e-12 || ((cand.0 - x.0).abs() <= 1e-12 && cand.1 < x.1)
                }) {
                    next = Some(cand);
                }
            }
            match next {
                Some((_, _, nb)) => {
                    visited.push(nb);
                    seen.insert(nb);
                    cur = nb;
                }
                None => return Ok(None),
            }
        }
        Ok(Some(visited))
    }

    /// The model's states the graph was built on.
    pub fn states(&self) -> &ModelStates {
        self.states
    }

    /// Σ ΔG at U_RHE = 0 of the steps of a path (U-dependent or not), for the closure.
    pub fn sum_at_rhe0(&self, p: &[NodeIndex]) -> Result<f64, Error> {
        let mut s = 0.0;
        for w in p.windows(2) {
            let e = self
                .g
                .find_edge(w[0], w[1])
                .map(|e| self.g[e].balance)
                .unwrap_or(Balance {
                    water: 0,
                    protons: 0,
                    electrons: 0,
                });
            let dgs = self.states.g[&self.g[w[1]]] - self.states.g[&self.g[w[0]]];
            s += self.el.dg(dgs, &e, self.el.u_she_at_rhe0())?;
        }
        Ok(s)
    }
}

/// U_L, PDS, chemical bottleneck and largest step of one path.
///
/// U_L = min_i(−ΔG_i(0)/n_i) over the steps that move with U and consume electrons, for a
/// reduction; max_i(ΔG_i(0)/|n_i|) over those that release electrons, for an oxidation.
pub fn evaluate_path(states: Vec<String>, steps: Vec<Step>, direction: Direction) -> PathResult {
    let mut ul: Option<f64> = None;
    let mut pds = None;
    let mut chem: Option<usize> = None;
    let mut largest: Option<usize> = None;
    let oxidation = direction == Direction::Oxidation;
    for (i, s) in steps.iter().enumerate() {
        let n = s.slope();
        if n != 0 {
            let per = s.dg0 / n.abs() as f64;
            let cand = if n > 0 { -per } else { per };
            let take = match ul {
                None => true,
                Some(u) if oxidation => cand > u,
                Some(u) => cand < u,
            };
            if oxidation == (n < 0) && take {
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
    let window = potential_window(&steps);
    PathResult {
        states,
        steps,
        limiting_potential: ul,
        pds,
        chemical_bottleneck: chem,
        largest_step: largest,
        window,
        largest_barrier: None,
    }
}

/// The window of U in which every step that moves with U is downhill or level:
/// ΔG(0) + n·U ≤ 0, so U ≤ −ΔG(0)/n for n > 0 and U ≥ ΔG(0)/|n| for n < 0.
pub fn potential_window(steps: &[Step]) -> PotentialWindow {
    let mut lo: Option<(f64, usize)> = None;
    let mut hi: Option<(f64, usize)> = None;
    for (i, s) in steps.iter().enumerate() {
        let n = s.slope();
        if n > 0 {
            let b = -s.dg0 / n as f64;
            if hi.is_none_or(|(h, _)| b < h) {
                hi = Some((b, i));
            }
        } else if n < 0 {
            let b = s.dg0 / (-n) as f64;
            if lo.is_none_or(|(l, _)| b > l) {
                lo = Some((b, i));
            }
        }
    }
    let empty = matches!((lo, hi), (Some((l, _)), Some((h, _))) if l > h + 1e-12);
    PotentialWindow {
        min: lo.map(|x| x.0),
        max: hi.map(|x| x.0),
        empty,
        closed_by: match (empty, lo, hi) {
            (true, Some((_, a)), Some((_, b))) => Some((a, b)),
            _ => None,
        },
    }
}

/// The minimax path: the best limiting potential (highest for a reduction, lowest for an
/// oxidation); ties by fewer steps, then by order.
pub fn best(paths: &[PathResult], direction: Direction) -> Option<usize> {
    let better = |a: f64, b: f64| {
        if direction == Direction::Oxidation {
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
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(from: &str, to: &str, n: i32, dg0: f64) -> Step {
        Step {
            from: from.into(),
            to: to.into(),
            equation: String::new(),
            n,
            protons: n,
            water: 0,
            kind: if n == 0 {
                StepKind::Chemical
            } else {
                StepKind::Electrochemical
            },
            dg0,
            dg: dg0,
            lumped: false,
            barrier: None,
            u_dependent: n != 0,
        }
    }

    #[test]
    fn limiting_potential_and_pds_by_hand() {
        // reduction: ΔG/n = 0.3, 0.9, 0.45 (a lumped 2-electron step) → U_L = −0.9 at step 1
        let p = evaluate_path(
            vec![],
            vec![
                step("a", "b", 1, 0.3),
                step("b", "c", 1, 0.9),
                step("c", "d", 2, 0.9),
                step("d", "e", 0, 0.5),
            ],
            Direction::Reduction,
        );
        assert_eq!(p.limiting_potential, Some(-0.9));
        assert_eq!(p.pds, Some(1));
        assert_eq!(p.chemical_bottleneck, Some(3));
        assert_eq!(p.largest_step, Some(1));
        // oxidation (electrons released): U_L = max ΔG/|n| = 1.6
        let p = evaluate_path(
            vec![],
            vec![
                step("a", "b", -1, 0.8),
                step("b", "c", -1, 1.6),
                step("c", "d", -1, 1.2),
            ],
            Direction::Oxidation,
        );
        assert_eq!(p.limiting_potential, Some(1.6));
        assert_eq!(p.pds, Some(1));
    }

    #[test]
    fn a_step_treated_as_chemical_stays_out_of_u_l() {
        let mut ads = step("x", "a", -1, 3.0);
        ads.kind = StepKind::Adsorption;
        ads.u_dependent = false;
        let p = evaluate_path(
            vec![],
            vec![ads, step("a", "b", 1, 0.4)],
            Direction::Reduction,
        );
        assert_eq!(p.limiting_potential, Some(-0.4));
        assert_eq!(p.chemical_bottleneck, Some(0));
    }

    #[test]
    fn an_oxidative_step_bounds_u_from_below() {
        // electrochemical nitrate adsorption (n = −1, ΔG(0) = −0.5: downhill for U ≥ −0.5),
        // then (H+ + e-) steps with U ≤ −0.9: the window is [−0.5, −0.9]: empty
        let mut ads = step("NO3-", "*NO3", -1, -0.5);
        ads.kind = StepKind::Adsorption;
        let p = evaluate_path(
            vec![],
            vec![ads.clone(), step("a", "b", 1, 0.3), step("b", "c", 1, 0.9)],
            Direction::Reduction,
        );
        assert_eq!(p.limiting_potential, Some(-0.9));
        assert_eq!((p.window.min, p.window.max), (Some(-0.5), Some(-0.9)));
        assert!(p.window.empty);
        assert_eq!(p.window.closed_by, Some((0, 2)));
        // a weaker adsorption bound: [−1.2, −0.9] holds
        ads.dg0 = -1.2;
        let p = evaluate_path(
            vec![],
            vec![ads, step("b", "c", 1, 0.9)],
            Direction::Reduction,
        );
        assert!(!p.window.empty && p.window.closed_by.is_none());
        // no oxidative step: unbounded below
        let p = evaluate_path(vec![], vec![step("b", "c", 1, 0.9)], Direction::Reduction);
        assert_eq!((p.window.min, p.window.max), (None, Some(-0.9)));
    }

    #[test]
    fn best_path_prefers_the_higher_u_l_then_fewer_steps() {
        let a = evaluate_path(vec![], vec![step("a", "b", 1, 0.8)], Direction::Reduction);
        let b = evaluate_path(
            vec![],
            vec![step("a", "c", 1, 0.5), step("c", "b", 1, 0.3)],
            Direction::Reduction,
        );
        let c = evaluate_path(vec![], vec![step("a", "b", 1, 0.5)], Direction::Reduction);
        assert_eq!(best(&[a.clone(), b.clone()], Direction::Reduction), Some(1));
        assert_eq!(best(&[b.clone(), c.clone()], Direction::Reduction), Some(1));
        assert_eq!(best(&[a, b], Direction::Oxidation), Some(0));
        assert_eq!(best(&[], Direction::Reduction), None);
    }
}
