//! Stage: the barriers of a model's steps (`[barriers.MODEL]`), put on the steps of every
//! path. A step's barrier is measured from its initial state: the transition state (TS)
//! sits Ea above the level of the step's `from` state on the diagram.
//!
//! - From a TS value (a calculation with its frequency run, a tabulated energy, or a G):
//!   Ea = G(TS) − G(IS), both free energies as the states' (E + ZPE + ∫C dT − TS when a
//!   frequency run or tabulated terms are given; the TS's imaginary mode is left out of
//!   its harmonic terms). IS is the barrier's own initial state (`is`: the IS of an
//!   IS/TS/FS set, such as *NO + *H co-adsorbed for a surface hydrogenation), else the
//!   adsorbed species of `from` (Σ G), which is right when the TS has their atoms. Gas-phase
//!   species and (H⁺ + e⁻) of the `from` state are spectators: their G is in the level, not
//!   in Ea. When both structures are known, their element counts are compared.
//! - Given (`Ea = …`): taken as it is, with its source.
//! - A step that moves with U keeps its barrier fixed unless a transfer coefficient is
//!   given: Ea(U) = Ea(U0) + β·n·e·(U − U0), n the electrons the step consumes (the
//!   Butler–Volmer/Marcus linear-response form used in electrocatalysis, e.g. Nørskov et
//!   al., Chem. Soc. Rev. 37, 2163 (2008); U0 defaults to 0 V on the conventions' scale).
//!   A chemical step's barrier never moves with U.
//!
//! The reverse barrier is Ea − ΔG at the same U. Nothing is clamped: a TS below either end
//! (Ea < 0 or Ea < ΔG) is reported as computed, with a warning.

use super::states::ModelStates;
use super::{PathResult, Step};
use crate::error::Error;
use crate::pathway::energies::{ModelEnergies, ResolvedBarrier};
use serde::Serialize;

/// A step's barrier at the working potential, with how it was obtained.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct StepBarrier {
    /// Forward barrier at U, eV.
    #[serde(rename = "Ea")]
    pub ea: f64,
    /// Reverse barrier at U: Ea − ΔG, eV.
    pub reverse: f64,
    /// Forward barrier at U0 (as computed or given), eV.
    #[serde(rename = "Ea0")]
    pub ea0: f64,
    /// G of the transition state, eV (when it is a value, not a given Ea).
    #[serde(rename = "G_TS")]
    pub g_ts: Option<f64>,
    pub beta: Option<f64>,
    #[serde(rename = "U0")]
    pub u0: Option<f64>,
    /// Where the TS (or the given Ea) comes from.
    pub source: String,
    /// How the barrier depends on U, in words.
    pub convention: String,
    /// The TS frequency run's imaginary modes, cm⁻¹ (exactly one expected), when given.
    pub imaginary_cm1: Option<Vec<f64>>,
}

impl StepBarrier {
    /// Ea at potential `u` (the conventions' scale) of a step of U-slope `slope`:
    /// Ea(U0) + β·slope·(u − U0) with a transfer coefficient, else Ea as it is.
    pub fn at(&self, slope: i32, u: f64) -> f64 {
        match (self.beta, self.u0) {
            (Some(b), Some(u0)) => self.ea0 + b * slope as f64 * (u - u0),
            _ => self.ea0,
        }
    }
}

/// The largest barrier of a model's best path.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LargestBarrier {
    pub from: String,
    pub to: String,
    #[serde(rename = "Ea")]
    pub ea: f64,
}

/// Put the model's barriers on the steps of every path; warn once per barrier about a TS
/// below an end, a TS frequency run without exactly one imaginary mode, or a TS whose free
/// energy is treated unlike its initial state's. With `require`, every `[barriers]` step
/// must be a step of a path of the model.
pub fn attach(
    me: &ModelEnergies,
    st: &ModelStates,
    paths: &mut [PathResult],
    u: f64,
    model: &str,
    require: bool,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    for b in &me.barriers {
        let mut seen = false;
        for p in paths.iter_mut() {
            for s in p
                .steps
                .iter_mut()
                .filter(|s| s.from == b.from && s.to == b.to)
            {
                s.barrier = Some(barrier_of(b, s, me, st, u, model)?);
                seen = true;
            }
        }
        if !seen && require {
            return Err(Error::input(format!(
                "barriers.{model}.\"{} -> {}\": not a step of any path of this model: name a step as \"FROM -> TO\" with two states the model has, joined by a step of the network",
                b.from, b.to
            )));
        }
        let first = paths
            .iter()
            .flat_map(|p| p.steps.iter())
            .find(|s| s.from == b.from && s.to == b.to);
        if let Some(s) = first {
            warnings.extend(barrier_warnings(b, s, me, st));
        }
    }
    for p in paths.iter_mut() {
        p.largest_barrier = largest(&p.steps);
    }
    Ok(())
}

/// The largest barrier of a path (its step and Ea at U), if any step has one.
pub fn largest_of(p: &PathResult) -> Option<LargestBarrier> {
    let s = p.steps.get(p.largest_barrier?)?;
    Some(LargestBarrier {
        from: s.from.clone(),
        to: s.to.clone(),
        ea: s.barrier.as_ref()?.ea,
    })
}

/// The index of the step with the largest barrier at U.
pub fn largest(steps: &[Step]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (i, s) in steps.iter().enumerate() {
        if let Some(b) = &s.barrier {
            if best.is_none_or(|(_, e)| b.ea > e) {
                best = Some((i, b.ea));
            }
        }
    }
    best.map(|(i, _)| i)
}

/// The adsorbed species of the step's `from` state (the TS's composition).
fn adsorbed_of<'a>(b: &ResolvedBarrier, st: &'a ModelStates) -> Vec<&'a str> {
    st.species
        .get(&b.from)
        .map(|v| {
            v.iter()
                .filter(|s| s.is_adsorbed())
                .map(|s| s.name.as_str())
                .collect()
        })
        .unwrap_or_default()
}

/// Σ G of the adsorbed species of the step's `from` state.
fn initial_adsorbed(
    b: &ResolvedBarrier,
    me: &ModelEnergies,
    st: &ModelStates,
    model: &str,
) -> Result<f64, Error> {
    let mut g = 0.0;
    for sp in adsorbed_of(b, st) {
        let r = me.species.get(sp).ok_or_else(|| {
            Error::input(format!(
                "barriers.{model}.\"{} -> {}\": the model has no value for {sp}",
                b.from, b.to
            ))
        })?;
        g += r.g;
    }
    Ok(g)
}

/// Ea(U) and the rest of one step's barrier: Ea0 from the TS (G(TS) − G(IS adsorbates)) or as
/// given; Ea(U) = Ea0 + β·n·(U − U0) for a step that moves with U and has a β.
pub fn barrier_of(
    b: &ResolvedBarrier,
    s: &Step,
    me: &ModelEnergies,
    st: &ModelStates,
    u: f64,
    model: &str,
) -> Result<StepBarrier, Error> {
    let (ea0, g_ts, source) = match (&b.ts, &b.ea) {
        (Some(ts), _) => {
            let (g_is, source) = match &b.initial {
                Some(i) => (i.g, format!("{}; IS: {}", ts.source, i.source)),
                None => (initial_adsorbed(b, me, st, model)?, ts.source.clone()),
            };
            (ts.g - g_is, Some(ts.g), source)
        }
        (None, Some((e, src))) => (*e, None, src.clone()),
        (None, None) => {
            return Err(Error::input(format!(
                "barriers.{model}.\"{} -> {}\": expected ts or Ea",
                b.from, b.to
            )))
        }
    };
    let n = s.slope();
    let (ea, convention) = match (b.beta, n) {
        (Some(_), 0) => {
            return Err(Error::input(format!(
                "barriers.{model}.\"{} -> {}\": beta is given, but this step does not move with U (it is chemical): remove beta",
                b.from, b.to
            )))
        }
        (Some(beta), n) => {
            let u0 = b.u0.unwrap_or(0.0);
            (
                ea0 + beta * n as f64 * (u - u0),
                format!("Ea(U) = Ea(U0) + β·n·(U − U0), β = {beta}, n = {n}, U0 = {u0:+.3} V"),
            )
        }
        (None, 0) => (ea0, "chemical step: Ea does not depend on U".to_string()),
        (None, _) => (
            ea0,
            "electrochemical step without beta: Ea taken as independent of U (give beta for Ea(U) = Ea(U0) + β·n·(U − U0))".to_string(),
        ),
    };
    Ok(StepBarrier {
        ea,
        reverse: ea - s.dg,
        ea0,
        g_ts,
        beta: b.beta,
        u0: b.beta.map(|_| b.u0.unwrap_or(0.0)),
        source,
        convention,
        imaginary_cm1: b.imaginary_cm1.clone(),
    })
}

/// What is doubtful about one barrier (at the first step that has it).
fn barrier_warnings(
    b: &ResolvedBarrier,
    s: &Step,
    me: &ModelEnergies,
    st: &ModelStates,
) -> Vec<String> {
    let mut w = Vec::new();
    let name = format!("{} → {}", b.from, b.to);
    if let Some(sb) = &s.barrier {
        if sb.ea < 0.0 {
            w.push(format!("barrier {name}: the TS is {:.3} eV below the initial state (Ea < 0): check that the TS and the initial state are the same atoms, computed alike", -sb.ea));
        } else if sb.reverse < 0.0 {
            w.push(format!(
                "barrier {name}: the TS is {:.3} eV below the final state (Ea < ΔG = {:+.3} eV)",
                -sb.reverse, s.dg
            ));
        }
    }
    if let Some(im) = &b.imaginary_cm1 {
        if im.len() != 1 {
            let list: Vec<String> = im.iter().map(|x| format!("{x:.1}i")).collect();
            w.push(format!(
                "barrier {name}: the TS frequency run has {} imaginary modes ({}): a first-order saddle point has exactly one; refine the TS (dimer, CI-NEB) or check the frequency run",
                im.len(),
                if list.is_empty() { "none".to_string() } else { list.join(", ") }
            ));
        }
    }
    if let Some(c) = &b.composition {
        w.push(format!("barrier {name}: the TS and its initial state are not the same atoms ({c}): Ea compares different systems; give the barrier's own initial state as is = {{ calc = … }}"));
    }
    if let Some(ts) = &b.ts {
        let ts_corrected = ts.correction.is_some();
        let is_corrected = match &b.initial {
            Some(i) => i.correction.is_some(),
            None => adsorbed_of(b, st)
                .into_iter()
                .filter_map(|x| me.species.get(x))
                .any(|r| r.correction.is_some()),
        };
        if ts_corrected != is_corrected && ts.energy.is_some() {
            w.push(format!(
                "barrier {name}: the {} has thermal corrections (ZPE, TS) and the {} has none: Ea mixes a free energy with an electronic energy; give the TS a frequency run (or zpe/ts), or none to both",
                if ts_corrected { "TS" } else { "initial state" },
                if ts_corrected { "initial state" } else { "TS" }
            ));
        }
    }
    w
}
