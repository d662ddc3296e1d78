//! Reaction networks as data: the declarative network file (TOML), the built-in templates,
//! and everything special about a reaction.
//!
//! A network file has `[conventions]`, `[references]` (gas species), `[network]` (a
//! built-in `template` or inline `states`/`steps`), `[models.NAME]` (the value of each
//! state of each catalyst model) and `[dband.NAME]`. Paths inside are relative to the file.
//! See `examples/networks/` and the README.
//!
//! What is special about a reaction lives in its template (`templates/*.toml`), never in
//! the engine: the settings it adds to the conventions (no3rr: `nitrate_correction`,
//! `nitrate_adsorption`), how its ions are referenced (`[[ions]]`: NO₃⁻ through HNO₃), which
//! step is its adsorption and which setting says how that step is treated, the warnings its
//! numbers deserve (`[[warnings]]`), the column of its ranking, whether HER competes with
//! it. Adding a reaction is adding a template file (and a line to [`TEMPLATES`]).

use crate::conventions::{choice, one_of, EnergyKind, Scale, Treatment, Window};
use crate::error::Error;

mod de;
mod origin;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The built-in templates: name and TOML text.
pub const TEMPLATES: [(&str, &str); 6] = [
    ("no3rr", include_str!("templates/no3rr.toml")),
    ("no2rr", include_str!("templates/no2rr.toml")),
    ("norr", include_str!("templates/norr.toml")),
    ("orr", include_str!("templates/orr.toml")),
    ("oer", include_str!("templates/oer.toml")),
    ("her", include_str!("templates/her.toml")),
];

/// The value of a reaction setting (a number or a name; read in [`de`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SettingValue {
    Number(f64),
    Text(String),
}

impl std::fmt::Display for SettingValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingValue::Number(x) => write!(f, "{x}"),
            SettingValue::Text(s) => f.write_str(s),
        }
    }
}

/// Settings that change the numbers; printed with every result (read in [`de`]: each key
/// where it is written, so that an error names its line).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Conventions {
    /// K.
    pub temperature: f64,
    /// Which OUTCAR energy: `sigma0` (E0, default, as pymatgen and ASE) or `toten` (F).
    pub energy: EnergyKind,
    /// Electrode potential, V, on `scale`.
    #[serde(rename = "U")]
    pub u: f64,
    /// `RHE` (default) or `SHE`.
    pub scale: Scale,
    #[serde(rename = "pH")]
    pub ph: f64,
    /// Soft-mode floor for the entropy, cm⁻¹ (0: off, the default).
    pub soft_mode_floor: f64,
    /// The settings the network declares (`[[settings]]` of its template: no3rr's
    /// `nitrate_correction`, `nitrate_adsorption`), by name. Any other key is refused by
    /// [`NetworkFile::resolve`], which also fills in the declared defaults.
    #[serde(flatten)]
    pub reaction: BTreeMap<String, SettingValue>,
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions {
            temperature: 298.15,
            energy: EnergyKind::Sigma0,
            u: 0.0,
            scale: Scale::Rhe,
            ph: 0.0,
            soft_mode_floor: 0.0,
            reaction: BTreeMap::new(),
        }
    }
}

/// The core convention keys, for messages.
const CORE_CONVENTIONS: [&str; 6] = [
    "temperature",
    "energy",
    "U",
    "scale",
    "pH",
    "soft_mode_floor",
];

impl Conventions {
    /// kT ln 10 at the temperature, eV (0.05916 at 298.15 K).
    pub fn ph_slope(&self) -> f64 {
        crate::thermo::KB_EV * self.temperature * std::f64::consts::LN_10
    }

    /// A numeric reaction setting (present after [`NetworkFile::resolve`]).
    pub fn number(&self, name: &str) -> Result<f64, Error> {
        match self.reaction.get(name) {
            Some(SettingValue::Number(x)) => Ok(*x),
            Some(SettingValue::Text(t)) => Err(Error::input(format!(
                "conventions.{name} = '{t}': expected a number"
            ))),
            None => Err(Error::input(format!(
                "conventions.{name}: the network uses this setting but does not declare it (add it under [[network.settings]])"
            ))),
        }
    }

    /// A treatment setting (`chemical` or `electrochemical`).
    pub fn treatment(&self, name: &str) -> Result<Treatment, Error> {
        match self.reaction.get(name) {
            Some(SettingValue::Text(t)) => t
                .parse()
                .map_err(|e| Error::input(format!("conventions.{name} = {e}"))),
            Some(SettingValue::Number(x)) => Err(Error::input(format!(
                "conventions.{name} = {x}: expected {}",
                Treatment::expected()
            ))),
            None => Err(Error::input(format!(
                "conventions.{name}: the network uses this setting but does not declare it (add it under [[network.settings]])"
            ))),
        }
    }

    /// The core conventions within the bounds of their command-line options
    /// ([`crate::bounds`]: `--temperature`, `--U`, `--pH`, `--soft-mode-floor`), so that a
    /// value refused on the command line is not taken from a file; else the key and why.
    fn check_core(&self) -> Result<(), (&'static str, String)> {
        use crate::bounds::{PH, POTENTIAL, SOFT_FLOOR, TEMPERATURE};
        for (name, v, b) in [
            ("temperature", self.temperature, &TEMPERATURE),
            ("U", self.u, &POTENTIAL),
            ("pH", self.ph, &PH),
            ("soft_mode_floor", self.soft_mode_floor, &SOFT_FLOOR),
        ] {
            b.check(&format!("conventions.{name}"), v)
                .map_err(|m| (name, m))?;
        }
        Ok(())
    }
}

/// A setting a template adds to the conventions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SettingDef {
    /// The key under `[conventions]`.
    pub name: String,
    /// How results name it: `nitrate correction`.
    pub label: String,
    pub default: SettingValue,
    /// Unit printed after a number (`eV`).
    #[serde(default)]
    pub unit: Option<String>,
    /// For a named choice: the valid names.
    #[serde(default)]
    pub choices: Vec<String>,
    /// What it means and where its default comes from.
    #[serde(default)]
    pub description: String,
}

impl SettingDef {
    /// `nitrate correction 0.392 eV`, or with `sep` between label and value.
    pub fn describe(&self, v: &SettingValue, sep: &str) -> String {
        let unit = match (v, &self.unit) {
            (SettingValue::Number(_), Some(u)) => format!(" {u}"),
            _ => String::new(),
        };
        format!("{}{sep}{v}{unit}", self.label)
    }

    fn check(&self, v: &SettingValue) -> Result<(), String> {
        match (&self.default, v) {
            (SettingValue::Number(_), SettingValue::Number(x)) if x.is_finite() => Ok(()),
            (SettingValue::Text(_), SettingValue::Text(t))
                if self.choices.is_empty() || self.choices.contains(t) =>
            {
                Ok(())
            }
            (SettingValue::Text(_), _) if !self.choices.is_empty() => {
                let c: Vec<&str> = self.choices.iter().map(String::as_str).collect();
                Err(format!(
                    "conventions.{} = '{v}': expected {}",
                    self.name,
                    one_of(&c)
                ))
            }
            (SettingValue::Number(_), _) => Err(format!(
                "conventions.{} = '{v}': expected a finite number ({})",
                self.name, self.label
            )),
            _ => Err(format!("conventions.{} = {v}: expected a name", self.name)),
        }
    }
}

/// `[screening]` of a template: which formation ΔG is the descriptor of its screening plot,
/// and the volcano's lines U_L = slope·x + intercept from scaling relations (the lowest line
/// is U_L for a reduction, the highest for an oxidation).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScreeningDef {
    /// An adsorbate (`*OH`): x is its formation ΔG.
    pub descriptor: String,
    /// The axis label (`ΔG(*OH) (eV)`).
    pub label: String,
    #[serde(default)]
    pub lines: Vec<VolcanoLine>,
    /// Where the scaling relations of the lines come from.
    #[serde(default)]
    pub source: String,
}

/// One line of a volcano: U_L = slope·x + intercept (V), the step it stands for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VolcanoLine {
    pub slope: f64,
    pub intercept: f64,
    pub label: String,
}

/// How an ion's free energy is referenced: through its neutral partner,
/// G(ion) − q·μ(H⁺) = G(neutral) − correction, with q the ion's charge (NO₃⁻: q = −1, so
/// G(NO₃⁻) + μ(H⁺) = G(HNO₃) − 0.392 eV). The ion's formula must be the neutral's plus q H.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IonDef {
    /// The ion as states write it (`NO3-(aq)`): matched by formula and charge.
    pub species: String,
    /// The reference of its neutral partner, under `[references]` (`HNO3`).
    pub neutral: String,
    /// The numeric setting holding the correction, eV (`nitrate_correction`).
    pub correction: String,
}

/// A value that deserves a warning when it leaves a range.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WarningDef {
    /// The step whose ΔG at U is watched, by its states.
    pub from: String,
    pub to: String,
    /// Warn when ΔG is above this, eV.
    pub above: Option<f64>,
    /// Warn when ΔG is below this, eV.
    pub below: Option<f64>,
    /// The warning; `{dG}` is replaced by the value (`+3.89`).
    pub message: String,
}

/// A state of a network: one or more species (default: the state's name as one species).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StateDef {
    pub name: String,
    pub species: Vec<String>,
}

choice! {
    /// What a template says a step is, beyond what balancing finds.
    pub enum DeclaredKind {
        /// The step where the reactant binds; its ΔG is the model's `adsorption_dG`.
        Adsorption = "adsorption" | "nitrate_adsorption",
    }
}

/// A step between two states.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub kind: Option<DeclaredKind>,
    /// The setting (a [`Treatment`]) that says whether this step moves with U. Without one,
    /// an adsorption step is chemical and any other step is as its balance says.
    #[serde(default)]
    pub treatment: Option<String>,
    /// How results name the step (`nitrate adsorption`).
    #[serde(default)]
    pub label: Option<String>,
    /// Header of its ΔG column in rankings (`ΔG ads NO3 (eV)`).
    #[serde(default)]
    pub column: Option<String>,
}

/// A lumped step used only when the model lacks the skipped state.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LumpedDef {
    pub from: String,
    pub to: String,
    pub skips: String,
}

/// A network: states, steps, what the results are compared with, and what is special
/// about the reaction.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct NetworkDef {
    /// A built-in template: `no3rr`, `orr`, `oer`, `her`. Inline fields below extend it.
    pub template: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub initial: Option<String>,
    #[serde(rename = "final")]
    pub final_: Option<String>,
    /// Equilibrium potential of the couple, V vs RHE: overpotentials are printed only with it.
    pub u_eq: Option<f64>,
    pub couple: Option<String>,
    /// Experimental ΔG of the overall reaction at U = 0, eV (closure check).
    #[serde(rename = "experimental_dG")]
    pub experimental_dg: Option<f64>,
    /// Whether a model's *H is compared with the reaction as HER (default true; false for
    /// HER itself).
    pub her_competition: Option<bool>,
    /// The descriptor and thermodynamic volcano of its screening plot.
    pub screening: Option<ScreeningDef>,
    #[serde(default)]
    pub settings: Vec<SettingDef>,
    #[serde(default)]
    pub ions: Vec<IonDef>,
    #[serde(default)]
    pub warnings: Vec<WarningDef>,
    #[serde(default)]
    pub states: Vec<StateDef>,
    #[serde(default)]
    pub steps: Vec<StepDef>,
    #[serde(default)]
    pub lumped: Vec<LumpedDef>,
    /// The products the reaction may end in (nitrate: NH3, NO2-, NO, NH2OH, …): each a final
    /// state of its own, with its equilibrium potential. Results list every product per model
    /// and which is reached first.
    #[serde(default)]
    pub products: Vec<ProductDef>,
}

/// A product of the reaction: a state no step leaves, with what its overall reaction is
/// compared with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProductDef {
    /// Its final state (a state of the network).
    pub state: String,
    /// Its initial state, when not the network's: a product with two N (N2O, N2) starts
    /// from two nitrates (`2NO3-`), its states counting both (`2*NO` = two *NO on two
    /// sites, `*N2O2` = *N2O2 + a clean site).
    #[serde(default)]
    pub initial: Option<String>,
    /// How results name it (default: the state).
    pub name: Option<String>,
    /// Forms of one product (NH3(g), NH3(aq), NH4+: `ammonia`) share a group: selectivity
    /// compares groups, by their best member.
    pub group: Option<String>,
    /// Equilibrium potential of initial → this product, V vs RHE at pH 0.
    pub u_eq: Option<f64>,
    /// ΔG of the overall reaction at U = 0 (RHE, pH 0), eV: its closure check.
    #[serde(rename = "experimental_dG")]
    pub experimental_dg: Option<f64>,
    pub couple: Option<String>,
    /// Why this product has no U_eq, or where its values come from.
    pub note: Option<String>,
}

impl ProductDef {
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.state)
    }
}

/// How the free energy of one species is obtained.
///
/// Read from a table only (`{ G = 0.80 }`, `{ calc = "CuN4/NO3" }`): serde's derive would
/// also take an array of all 13 fields in order, which no one writes on purpose and whose
/// error ("expected struct Value with 13 elements") tells nothing ([`Value::deserialize`]'s
/// trait impl in [`de`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Value {
    /// A fixed free energy, eV (literature tables; references fixed by hand).
    #[serde(rename = "G")]
    pub g: Option<f64>,
    /// An electronic energy, eV.
    pub energy: Option<f64>,
    /// A calculation directory (or OUTCAR) for the electronic energy.
    pub calc: Option<String>,
    /// A frequency-run directory (or OUTCAR) for ZPE, ∫C dT and TS.
    pub freq: Option<String>,
    /// Thermo model for `freq`: `harmonic` (adsorbates' default) or `ideal-gas` (references').
    pub model: Option<ThermoModel>,
    pub symmetry: Option<u32>,
    pub spin: Option<f64>,
    /// Ideal gas pressure, bar.
    pub pressure: Option<f64>,
    /// Tabulated corrections, eV.
    pub zpe: Option<f64>,
    pub ts: Option<f64>,
    /// Tabulated ∫C dT, eV (default 0).
    pub cp: Option<f64>,
    /// A reference defined by a reaction and its experimental free energy: `2 H2O -> O2 + 2 H2`
    /// with `dG = 4.92` gives G(O2) = 2 G(H2O) − 2 G(H2) + 4.92 eV.
    pub reaction: Option<String>,
    /// The reaction's ΔG, eV (with `reaction`).
    #[serde(rename = "dG")]
    pub dg: Option<f64>,
}

choice! {
    /// The thermochemical model of a frequency run.
    pub enum ThermoModel {
        /// Every real mode a harmonic oscillator (adsorbates).
        Harmonic = "harmonic",
        /// Translations, rotations, vibrations, spin and pressure (molecules).
        IdealGas = "ideal-gas",
    }
}

/// The DOS of a model for its d-band descriptor.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DbandSpec {
    /// A DOSCAR, vasprun.xml or calculation directory (relative to the file).
    pub path: String,
    /// Atom selection (`Cu@N4`, `37`, …); default: every transition metal, pooled.
    pub atoms: Option<String>,
    /// Window: `full` (default), `vaspkit` or `MIN:MAX`.
    pub window: Option<Window>,
}

/// The whole network file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct NetworkFile {
    /// A sentence printed with every result of this network (e.g. that its data are generated).
    #[serde(default)]
    pub notice: Option<String>,
    #[serde(default)]
    pub conventions: Conventions,
    #[serde(default)]
    pub references: References,
    #[serde(default)]
    pub network: NetworkDef,
    /// Model name → state name → value.
    #[serde(default)]
    pub models: BTreeMap<String, BTreeMap<String, Value>>,
    /// Model name → where its d-band centre comes from (for `rank`, `report`).
    #[serde(default)]
    pub dband: BTreeMap<String, DbandSpec>,
    /// A CSV of the models' states instead of (or besides) `[models]`: columns `model`,
    /// `state`, and `path` (a calculation) or `energy` or `G`, optionally `freq`, `zpe`, `ts`,
    /// `cp` (relative to this file; `[models]` entries win).
    #[serde(default)]
    pub models_csv: Option<String>,
    /// Where the models' calculations are in a tree, instead of (or besides) `[models]`.
    #[serde(default)]
    pub layout: Option<LayoutDef>,
    /// A correction (ZPE + ∫C dT − TS) for every state without a frequency run or tabulated
    /// terms: a default and per-species values.
    #[serde(default)]
    pub corrections: Option<Corrections>,
    /// The ranges outside which a ΔG or U_L draws a plausibility warning.
    #[serde(default)]
    pub plausibility: Plausibility,
    /// Model name → step (`"*NO -> *NOH"`) → its transition state or barrier.
    #[serde(default)]
    pub barriers: BTreeMap<String, BTreeMap<String, BarrierDef>>,
    /// How the loader placed a tree's directories (set by the loader, printed with results).
    #[serde(skip)]
    pub placed: Option<LayoutReport>,
    /// The file's name and text, set by [`parse`] (`None` for a network built from a tree):
    /// what errors about its entries name.
    #[serde(skip)]
    pub origin: Option<origin::Origin>,
}

/// `[barriers.MODEL]`: the transition state of one step, `"FROM -> TO" = { … }`.
///
/// Either `ts`, the TS as a value like a state's (`{ calc = "CuN4/TS", freq = "CuN4/TS/freq" }`,
/// `{ energy = … }`, `{ G = … }`): then Ea = G(TS) − G(IS), with IS the barrier's own initial
/// state `is` (an IS/TS/FS set: for a hydrogenation by a co-adsorbed *H, `is` is the
/// *NO + *H calculation) or, without `is`, the adsorbed species of FROM (right when the TS
/// has their atoms: a chemical step); or `Ea`, a barrier taken from elsewhere (a paper's
/// table, a fixed value), eV. For a step that moves
/// with U, `beta` (a transfer coefficient, 0–1) makes the barrier move too:
/// Ea(U) = Ea(U0) + β·n·e·(U − U0), n the electrons the step consumes, U0 (default 0) on the
/// conventions' scale; without `beta` the barrier does not move with U (said with results).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct BarrierDef {
    pub ts: Option<Value>,
    /// The initial state the TS is measured from (default: FROM's adsorbed species).
    #[serde(rename = "is")]
    pub initial: Option<Value>,
    #[serde(rename = "Ea")]
    pub ea: Option<f64>,
    pub beta: Option<f64>,
    #[serde(rename = "U0")]
    pub u0: Option<f64>,
    /// Where a given `Ea` comes from (printed with it).
    pub source: Option<String>,
}

impl BarrierDef {
    /// `FROM -> TO` (or `FROM → TO`) split into its two states.
    pub fn step_of(key: &str) -> Result<(String, String), String> {
        let parts: Vec<&str> = if key.contains("->") {
            key.split("->").collect()
        } else {
            key.split('→').collect()
        };
        match parts.as_slice() {
            [a, b] if !a.trim().is_empty() && !b.trim().is_empty() => {
                Ok((a.trim().to_string(), b.trim().to_string()))
            }
            _ => Err(format!(
                "'{key}': expected a step as \"FROM -> TO\" (two state names of the network)"
            )),
        }
    }

    /// The definition's own consistency: `ts` or `Ea` (one of them), `beta` in [0, 1],
    /// `U0` only with `beta`, finite numbers.
    pub fn check(&self) -> Result<(), String> {
        match (&self.ts, self.ea) {
            (Some(_), Some(_)) => {
                return Err("give ts (a transition state) or Ea (a barrier), not both".into())
            }
            (None, None) => {
                return Err(
                    "expected ts = { calc = … } (a transition state) or Ea = … (a barrier, eV)"
                        .into(),
                )
            }
            (None, Some(e)) if !e.is_finite() => {
                return Err(format!("Ea = {e}: expected a finite number (eV)"))
            }
            _ => {}
        }
        if let Some(b) = self.beta {
            if !(0.0..=1.0).contains(&b) {
                return Err(format!(
                    "beta = {b}: expected a transfer coefficient from 0 to 1"
                ));
            }
        }
        if self.initial.is_some() && self.ts.is_none() {
            return Err(
                "is (the initial state of a TS) is used with ts: give ts too, or drop is".into(),
            );
        }
        match self.u0 {
            Some(_) if self.beta.is_none() => {
                Err("U0 is the potential of a barrier that moves with U: give beta too".into())
            }
            Some(u) if !u.is_finite() => Err(format!("U0 = {u}: expected a finite potential (V)")),
            _ => Ok(()),
        }
    }
}

/// `[references]`: gas references by name, and atomic chemical potentials.
///
/// Read by hand ([`de`]), not with `#[serde(flatten)]`: flatten buffers the table, so an
/// error in one reference pointed at the `[references]` line and named neither the
/// reference nor its line; read entry by entry, TOML's error points at the value.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct References {
    /// `[references.atoms]`: μ of each element, eV. A gas the network needs and no reference
    /// names gets G = Σ n·μ over its formula (H2O = 2 μ(H) + μ(O)).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub atoms: BTreeMap<String, f64>,
    /// The references by name (`H2`, `H2O`, …).
    #[serde(flatten)]
    pub named: BTreeMap<String, Value>,
}

impl std::ops::Deref for References {
    type Target = BTreeMap<String, Value>;
    fn deref(&self) -> &Self::Target {
        &self.named
    }
}

impl std::ops::DerefMut for References {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.named
    }
}

/// A correction given as one number, or as its terms (read in [`de`]: a misspelt term is
/// an error, not a correction of 0).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum CorrectionValue {
    Total(f64),
    Terms {
        #[serde(default)]
        zpe: f64,
        #[serde(default)]
        ts: f64,
        #[serde(default)]
        cp: f64,
    },
}

impl CorrectionValue {
    /// ZPE + ∫C dT − TS, eV.
    pub fn total(&self) -> f64 {
        match self {
            CorrectionValue::Total(c) => *c,
            CorrectionValue::Terms { zpe, ts, cp } => zpe + cp - ts,
        }
    }
}

/// `[corrections]`: for states without a frequency run or tabulated zpe/ts (read in [`de`]).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Corrections {
    /// Every other such state, eV (e.g. 0: G = E, said once instead of a warning per state).
    #[serde(default)]
    pub default: Option<f64>,
    /// By adsorbate (`"*OH" = 0.30` or `{ zpe = 0.35, ts = 0.05 }`).
    #[serde(flatten)]
    pub species: BTreeMap<String, CorrectionValue>,
}

/// `[plausibility]`: physical ranges; a value outside draws a warning naming the likely
/// causes (a reference error, a calculation with other settings, a misnamed directory).
/// Typical CHE steps are within ±2 eV per (H⁺ + e⁻), ΔG(H*) within ±1 eV, U_L within a few
/// volts; the defaults are looser, to flag only what is almost surely an error.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Plausibility {
    /// |ΔG(0)| per electron of one electrochemical step, eV.
    pub step: f64,
    /// |ΔG(H*)|, eV.
    pub hydrogen: f64,
    /// The lowest plausible U_L of a reduction, V.
    pub limiting_potential_min: f64,
    /// The highest plausible U_L of an oxidation, V.
    pub limiting_potential_max: f64,
}

impl Default for Plausibility {
    fn default() -> Self {
        Plausibility {
            step: 3.0,
            hydrogen: 2.0,
            limiting_potential_min: -3.0,
            limiting_potential_max: 4.0,
        }
    }
}

/// One name or several (read in [`de`]).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Names {
    One(String),
    Many(Vec<String>),
}

impl Names {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Names::One(s) => vec![s.clone()],
            Names::Many(v) => v.clone(),
        }
    }
}

/// `[layout]`: a tree of calculations mapped onto the network in a few lines.
///
/// `pattern` is relative to the network file; `{model}` may span path segments, `{state}`
/// is one segment or part of one and is matched against the network's states (the longest
/// match wins; then the `states` aliases; a name that is a formula is read as one: `OH` →
/// `*OH`). A matched directory without VASP output whose subdirectories are runs (`scf`,
/// `opt`, `zpe`, `freq`, …) takes its energy from the single point (else the last relaxation)
/// and its corrections from the frequency run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LayoutDef {
    /// `RawData/{model}_{state}`.
    pub pattern: String,
    /// The tree's name(s) for the clean site, besides slab, clean, bare, site, surface.
    #[serde(default)]
    pub clean: Option<Names>,
    /// Where a state's frequency run is: `{calc}/freq` (default: a `freq`, `zpe`, `vib` or
    /// `frequency` subdirectory of the state's calculation).
    #[serde(default)]
    pub freq: Option<String>,
    /// Directory names → states (`"N-O3" = "*NO3"`).
    #[serde(default)]
    pub states: BTreeMap<String, String>,
}

/// What the loader did with a tree: printed with results (JSON `layout`).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct LayoutReport {
    /// The pattern used, and how it was chosen.
    pub pattern: String,
    pub chosen: String,
    /// Models found (with a clean site), in order.
    pub models: Vec<String>,
    /// Directories placed as a state of a model.
    pub placed: usize,
    /// Directories that were not placed, each with the reason.
    pub unplaced: Vec<Unplaced>,
}

/// A directory the layout did not place.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Unplaced {
    pub dir: String,
    pub reason: String,
}

/// Names a tree or a table gives the clean site.
pub const CLEAN_NAMES: [&str; 7] = ["slab", "clean", "bare", "site", "surface", "substrate", "*"];

/// Whether a state name is one of the clean site's names.
pub fn is_clean_name(s: &str) -> bool {
    CLEAN_NAMES.contains(&s)
}

/// A built-in template, by name.
pub fn template(name: &str) -> Result<NetworkDef, String> {
    let Some((_, text)) = TEMPLATES.iter().find(|(n, _)| *n == name) else {
        let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
        let (last, rest) = names.split_last().unwrap_or((&"", &[]));
        return Err(format!(
            "network.template = '{name}': expected {} or {last}",
            rest.join(", ")
        ));
    };
    toml::from_str(text).map_err(|e| format!("built-in template {name}: {e}"))
}

impl NetworkDef {
    /// The template (if any) with the inline fields laid over it.
    pub fn expanded(&self) -> Result<NetworkDef, String> {
        let mut base = match &self.template {
            Some(t) => template(t)?,
            None => NetworkDef::default(),
        };
        macro_rules! over {
            ($($f:ident),*) => {
                $(if self.$f.is_some() {
                    base.$f = self.$f.clone();
                })*
            };
        }
        over!(
            name,
            description,
            initial,
            final_,
            u_eq,
            couple,
            experimental_dg,
            her_competition
        );
        base.settings.extend(self.settings.iter().cloned());
        base.ions.extend(self.ions.iter().cloned());
        base.warnings.extend(self.warnings.iter().cloned());
        base.states.extend(self.states.iter().cloned());
        base.steps.extend(self.steps.iter().cloned());
        base.lumped.extend(self.lumped.iter().cloned());
        base.products.extend(self.products.iter().cloned());
        base.template = self.template.clone();
        if base.initial.is_none() || base.final_.is_none() {
            return Err("the network needs 'initial' and 'final' states (or a template)".into());
        }
        if base.steps.is_empty() {
            return Err("the network has no steps (give a template or [[network.steps]])".into());
        }
        base.check_products()?;
        Ok(base)
    }

    /// The network that ends in `product`: its state is the final one (and its initial
    /// state the initial one, if it has its own), its U_eq, couple and experimental ΔG those
    /// of the product; every step into (or lumped step ending in) another product's state is
    /// left out, so that paths and the greedy walk end there, and so is every step that
    /// cannot be reached from the initial state (the two-nitrate states of N2O and N2 are
    /// not part of the NH3 network, nor the one-nitrate states part of theirs).
    pub fn for_product(&self, product: &ProductDef) -> NetworkDef {
        let others: std::collections::BTreeSet<&str> = self
            .products
            .iter()
            .map(|p| p.state.as_str())
            .filter(|s| *s != product.state)
            .collect();
        let mut net = self.clone();
        if let Some(i) = &product.initial {
            net.initial = Some(i.clone());
        }
        net.final_ = Some(product.state.clone());
        net.u_eq = product.u_eq;
        net.experimental_dg = product.experimental_dg;
        net.couple = product.couple.clone();
        net.steps
            .retain(|s| !others.contains(s.to.as_str()) && !others.contains(s.from.as_str()));
        net.lumped.retain(|l| !others.contains(l.to.as_str()));
        let reach = net.reachable();
        net.steps.retain(|s| reach.contains(s.from.as_str()));
        net.lumped.retain(|l| reach.contains(l.from.as_str()));
        net.warnings.retain(|w| {
            !others.contains(w.to.as_str())
                && !others.contains(w.from.as_str())
                && reach.contains(w.from.as_str())
        });
        net
    }

    /// Every product's state and initial state are states of the network.
    fn check_products(&self) -> Result<(), String> {
        let names = self.state_names();
        for p in &self.products {
            for (what, st) in [("state", Some(&p.state)), ("initial", p.initial.as_ref())] {
                if let Some(st) = st.filter(|st| !names.contains(st)) {
                    return Err(format!(
                        "product {}: its {what} '{st}' is not a state of the network (no step starts or ends there); the states are: {}",
                        p.label(),
                        names.join(", ")
                    ));
                }
            }
        }
        Ok(())
    }

    /// The states reachable from the initial state by steps and lumped steps, the initial
    /// state included: a depth-first walk over a map from each state to the ends of its
    /// steps, O(steps · log states).
    pub fn reachable(&self) -> std::collections::BTreeSet<String> {
        let mut next: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
        let ends = self.steps.iter().map(|st| (&st.from, &st.to));
        for (f, t) in ends.chain(self.lumped.iter().map(|l| (&l.from, &l.to))) {
            next.entry(f.as_str()).or_default().push(t.as_str());
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut todo: Vec<&str> = self.initial.iter().map(String::as_str).collect();
        while let Some(s) = todo.pop() {
            if seen.insert(s.to_string()) {
                todo.extend(next.get(s).into_iter().flatten().copied());
            }
        }
        seen
    }

    /// The network for its own final state: [`NetworkDef::for_product`] of it, with the
    /// network's U_eq, couple and experimental ΔG (a file's own values win over a template's
    /// product entry).
    pub fn main_network(&self) -> NetworkDef {
        let mut n = self.for_product(&self.main_product());
        n.u_eq = self.u_eq;
        n.experimental_dg = self.experimental_dg;
        n.couple = self.couple.clone();
        n
    }

    /// The network's own final state as a product: the declared product of that state, or
    /// one made of the network's U_eq, couple and experimental ΔG.
    pub fn main_product(&self) -> ProductDef {
        let f = self.final_.clone().unwrap_or_default();
        self.products
            .iter()
            .find(|p| p.state == f)
            .cloned()
            .unwrap_or(ProductDef {
                state: f,
                initial: None,
                name: None,
                group: None,
                u_eq: self.u_eq,
                experimental_dg: self.experimental_dg,
                couple: self.couple.clone(),
                note: None,
            })
    }

    /// The species of a state: as declared, else the state's name.
    pub fn species_of(&self, state: &str) -> Vec<String> {
        self.states
            .iter()
            .rev()
            .find(|s| s.name == state)
            .map(|s| s.species.clone())
            .unwrap_or_else(|| vec![state.to_string()])
    }

    /// Every state named by a step or a lumped step, in order of first appearance.
    pub fn state_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        let ends = self
            .steps
            .iter()
            .flat_map(|s| [&s.from, &s.to])
            .chain(self.lumped.iter().flat_map(|l| [&l.from, &l.to]));
        for s in ends {
            if seen.insert(s) {
                names.push(s.clone());
            }
        }
        names
    }

    /// The adsorbed species of the states (`*`, `*NO3`, …), in order of first appearance.
    pub fn adsorbed_species(&self) -> Result<Vec<String>, String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for st in self.state_names() {
            for n in self.species_of(&st) {
                let sp = crate::formula::parse(&n).map_err(|e| format!("state {st}: {e}"))?;
                if sp.is_adsorbed() && seen.insert(sp.name.clone()) {
                    out.push(sp.name);
                }
            }
        }
        Ok(out)
    }

    /// The declared setting called `name` (the last declaration wins).
    pub fn setting(&self, name: &str) -> Option<&SettingDef> {
        self.settings.iter().rev().find(|s| s.name == name)
    }

    /// The step the template marks as the adsorption, if any.
    pub fn adsorption_step(&self) -> Option<&StepDef> {
        self.steps
            .iter()
            .find(|s| s.kind == Some(DeclaredKind::Adsorption))
    }

    /// Whether HER is compared with this reaction (default: yes).
    pub fn her_competes(&self) -> bool {
        self.her_competition.unwrap_or(true)
    }
}

impl NetworkFile {
    /// The network to run: the template expanded, `U` and `pH` overridden where given, and
    /// the conventions completed with the declared settings' defaults and checked (an
    /// undeclared key is refused, naming the valid ones).
    pub fn resolve(
        &self,
        u: Option<f64>,
        ph: Option<f64>,
    ) -> Result<(NetworkDef, Conventions), Error> {
        let net = self.network.expanded().map_err(|e| match &self.origin {
            Some(o) => Error::Input(format!("{}: {e}", o.name)),
            None => Error::Input(e),
        })?;
        let mut conv = self.conventions.clone();
        if let Some(u) = u {
            conv.u = u;
        }
        if let Some(p) = ph {
            conv.ph = p;
        }
        // an error about a key names its line when the file writes it
        let at = |key: &str, message: String| {
            self.place(Error::Located {
                at: crate::error::Locus::Conventions(key.to_string()),
                message,
            })
        };
        conv.check_core().map_err(|(key, m)| at(key, m))?;
        for key in conv.reaction.keys() {
            if net.setting(key).is_none() {
                let mut valid: Vec<&str> = CORE_CONVENTIONS.to_vec();
                valid.extend(net.settings.iter().map(|s| s.name.as_str()));
                return Err(at(
                    key,
                    format!(
                    "conventions.{key}: not a convention of this network; the valid keys are {}",
                    one_of(&valid)
                ),
                ));
            }
        }
        for s in &net.settings {
            let v = conv
                .reaction
                .entry(s.name.clone())
                .or_insert_with(|| s.default.clone());
            s.check(v).map_err(|e| at(&s.name, e))?;
        }
        Ok((net, conv))
    }
}

/// The most steps, lumped steps, states and products a network file may declare (its
/// `[network]` table; models are not counted). The largest built-in network has well under a
/// hundred; a file far above this is a mistake or an attack, refused before any work (a
/// 10⁵-state chain took 5 s and 375 MB).
pub const MAX_NETWORK_ENTRIES: usize = 10_000;

/// The refusal of a network above [`MAX_NETWORK_ENTRIES`], with what was `found`.
fn too_large(name: &str, found: &str) -> String {
    let n = template("no3rr").map_or(0, |n| {
        n.steps.len() + n.lumped.len() + n.states.len() + n.products.len()
    });
    format!("{name}: expected a network of at most {MAX_NETWORK_ENTRIES} steps, lumped steps, states and products, found {found}; a reaction network this large is not one chepath is made for (the built-in no3rr has {n})")
}

/// How many `from =` keys `text` holds (bare or quoted, before any `=`): an upper bound of
/// the steps and lumped steps it declares, counted without parsing the TOML.
fn from_keys(text: &str) -> usize {
    let b = text.as_bytes();
    memchr::memmem::find_iter(b, b"from")
        .filter(|&i| {
            let before = i.checked_sub(1).map(|k| b[k]);
            let starts =
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-');
            let rest = b[i + 4..]
                .iter()
                .skip_while(|c| matches!(c, b'"' | b'\'' | b' ' | b'\t'));
            starts && rest.take(1).any(|&c| c == b'=')
        })
        .count()
}

/// Parse a network file's text and check what can be checked before a template is chosen
/// (the core conventions, the template's name). [`NetworkFile::resolve`] checks the rest.
pub fn parse(text: &str, name: &str) -> Result<NetworkFile, String> {
    // refused before the TOML is parsed (the parsed document takes ~35 times the text)
    let froms = from_keys(text);
    if froms > MAX_NETWORK_ENTRIES {
        return Err(too_large(name, &format!("at least {froms} steps")));
    }
    let mut f: NetworkFile = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    if text.contains("nan") || text.contains("inf") {
        if let Some((key, line, v)) = origin::non_finite(text) {
            return Err(format!(
                "{name}:{line}: {key} = {v}: expected a finite number (nan and inf are refused; to switch a [plausibility] bound off, give a large one)"
            ));
        }
    }
    f.origin = Some(origin::Origin::new(name, text));
    let n = &f.network;
    let size = n.steps.len() + n.lumped.len() + n.states.len() + n.products.len();
    if size > MAX_NETWORK_ENTRIES {
        return Err(too_large(name, &size.to_string()));
    }
    f.conventions.check_core().map_err(|(key, m)| {
        let at = crate::error::Locus::Conventions(key.into());
        match f.origin.as_ref().and_then(|o| o.line_of(&at)) {
            Some(line) => format!("{name}:{line}: {m}"),
            None => format!("{name}: {m}"),
        }
    })?;
    if let Some(t) = &f.network.template {
        template(t).map_err(|e| format!("{name}: {e}"))?;
    }
    for (model, steps) in &f.barriers {
        for (key, b) in steps {
            BarrierDef::step_of(key)
                .and_then(|_| b.check())
                .map_err(|e| format!("{name}: barriers.{model}.\"{key}\": {e}"))?;
        }
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_a_table_not_an_array_of_its_fields() {
        let file = |v: &str| format!("[models.A]\n\"*\" = {{ G = 0 }}\n\"*H\" = {v}\n");
        let ok = parse(&file("{ G = 0.25, zpe = 0.1 }"), "n.toml").expect("a table");
        let h = &ok.models["A"]["*H"];
        assert_eq!((h.g, h.zpe, h.energy), (Some(0.25), Some(0.1), None));
        // all 13 fields in order used to be read as a value
        let all = "[0.25, 0.0, \"a\", \"b\", \"harmonic\", 1, 0.0, 1.0, 0.1, 0.0, 0.0, \"x\", 0.0]";
        for v in [all, "[0.25]", "0.25", "\"x\""] {
            let e = parse(&file(v), "n.toml").expect_err(v);
            assert!(
                e.contains("expected a table such as { G = 0.80 }"),
                "{v}: {e}"
            );
        }
        // written out, a value is its fields again
        let json = serde_json::to_value(h).expect("json");
        assert_eq!(
            (json["G"].as_f64(), json["zpe"].as_f64()),
            (Some(0.25), Some(0.1))
        );
    }

    #[test]
    fn a_network_too_large_is_refused_before_it_is_parsed() {
        let step = |i: usize| {
            format!(
                "[[network.steps]]\nfrom = \"*CH{i}\"\nto = \"*CH{}\"\n",
                i + 1
            )
        };
        let text: String = (0..=MAX_NETWORK_ENTRIES).map(step).collect();
        let e = parse(&text, "big.toml").expect_err("refused");
        assert!(e.contains("found at least 10001 steps"), "{e}");
        // quoted keys and inline tables are counted the same way; `from` inside a word is not
        assert_eq!(
            from_keys("x = [{ \"from\" = 1 }, {'from'=2}]\nfromage = 3\n[a]\nfrom_x = 1"),
            2
        );
        // under the bound, the parsed count is the rule (states and products count too)
        let states: String = (0..=MAX_NETWORK_ENTRIES)
            .map(|i| format!("[[network.states]]\nname = \"s{i}\"\nspecies = [\"*\"]\n"))
            .collect();
        let e = parse(&states, "s.toml").expect_err("refused");
        assert!(e.contains("found 10001;"), "{e}");
        let small: String = (0..10).map(step).collect();
        assert!(parse(&small, "ok.toml").is_ok());
    }

    #[test]
    fn every_template_parses_and_expands() {
        for (name, _) in TEMPLATES {
            let def = NetworkDef {
                template: Some(name.into()),
                ..Default::default()
            };
            let net = def.expanded().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!net.steps.is_empty(), "{name}");
        }
        assert!(template("nope")
            .unwrap_err()
            .contains("expected no3rr, no2rr, norr, orr, oer or her"));
    }

    #[test]
    fn settings_are_completed_and_checked() {
        let resolved = |text: &str| {
            parse(text, "t").and_then(|f| f.resolve(None, None).map_err(|e| e.to_string()))
        };
        let f = parse("[network]\ntemplate = \"no3rr\"\n", "t").unwrap();
        let (_, c) = f.resolve(None, Some(7.0)).unwrap();
        assert_eq!(c.number("nitrate_correction").unwrap(), 0.392);
        assert_eq!(
            c.treatment("nitrate_adsorption").unwrap(),
            Treatment::Chemical
        );
        assert_eq!(c.ph, 7.0);
        // ORR declares no nitrate settings: the key is refused, naming the valid ones
        let e =
            resolved("[conventions]\nnitrate_correction = 0.4\n[network]\ntemplate = \"orr\"\n")
                .unwrap_err();
        assert!(
            e.contains("conventions.nitrate_correction: not a convention"),
            "{e}"
        );
        assert!(e.contains("'pH'"), "{e}");
        // a typo in a choice names the choices
        let e = resolved(
            "[conventions]\nnitrate_adsorption = \"electro\"\n[network]\ntemplate = \"no3rr\"\n",
        )
        .unwrap_err();
        assert!(
            e.contains("expected 'chemical' or 'electrochemical'"),
            "{e}"
        );
        let e = parse("[conventions]\nenergy = \"free\"\n", "t").unwrap_err();
        assert!(e.contains("'sigma0' or 'toten'"), "{e}");
    }
}
