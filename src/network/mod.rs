//! Reaction networks: the declarative file (TOML), the built-in templates, and the free
//! energy of every species of every model, each with its provenance.
//!
//! A network file has `[conventions]`, `[references]` (gas species), `[network]` (a
//! built-in `template` or inline `states`/`steps`) and `[models.NAME]` (the value of each
//! state of each catalyst model). Paths inside are relative to the file. See
//! `examples/networks/` and the README.

pub mod resolve;
pub mod tree;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Settings that change the numbers; printed with every result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Conventions {
    /// K.
    pub temperature: f64,
    /// Which OUTCAR energy: `sigma0` (E0, default, as pymatgen and ASE) or `toten` (F).
    pub energy: String,
    /// Electrode potential, V, on `scale`.
    #[serde(rename = "U")]
    pub u: f64,
    /// `RHE` (default) or `SHE`.
    pub scale: String,
    #[serde(rename = "pH")]
    pub ph: f64,
    /// G(NO3⁻) + G(H⁺) = G(HNO3, g) − this, eV (CRC ΔfG°: 0.392; CODATA/JANAF 0.382; NBS 0.353).
    pub nitrate_correction: f64,
    /// `chemical` (default: U-independent, as most papers) or `electrochemical`.
    pub nitrate_adsorption: String,
    /// Soft-mode floor for the entropy, cm⁻¹ (0: off, the default).
    pub soft_mode_floor: f64,
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions {
            temperature: 298.15,
            energy: "sigma0".into(),
            u: 0.0,
            scale: "RHE".into(),
            ph: 0.0,
            nitrate_correction: 0.392,
            nitrate_adsorption: "chemical".into(),
            soft_mode_floor: 0.0,
        }
    }
}

impl Conventions {
    /// kT ln 10 at the temperature, eV (0.05916 at 298.15 K).
    pub fn ph_slope(&self) -> f64 {
        crate::thermo::KB_EV * self.temperature * std::f64::consts::LN_10
    }

    pub fn check(&self) -> Result<(), String> {
        if !matches!(self.energy.as_str(), "sigma0" | "toten") {
            return Err(format!(
                "conventions.energy = '{}': expected 'sigma0' or 'toten'",
                self.energy
            ));
        }
        if !matches!(self.scale.as_str(), "RHE" | "SHE") {
            return Err(format!(
                "conventions.scale = '{}': expected 'RHE' or 'SHE'",
                self.scale
            ));
        }
        if !matches!(
            self.nitrate_adsorption.as_str(),
            "chemical" | "electrochemical"
        ) {
            return Err(format!(
                "conventions.nitrate_adsorption = '{}': expected 'chemical' or 'electrochemical'",
                self.nitrate_adsorption
            ));
        }
        if self.temperature <= 0.0 {
            return Err("conventions.temperature must be positive (K)".into());
        }
        Ok(())
    }
}

/// How the free energy of one species is obtained.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(deny_unknown_fields)]
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
    pub model: Option<String>,
    pub symmetry: Option<u32>,
    pub spin: Option<f64>,
    /// Ideal gas pressure, bar.
    pub pressure: Option<f64>,
    /// Tabulated corrections, eV.
    pub zpe: Option<f64>,
    pub ts: Option<f64>,
    /// Tabulated ∫C dT, eV (default 0).
    pub cp: Option<f64>,
}

/// A state of a network: one or more species (default: the state's name as one species).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StateDef {
    pub name: String,
    pub species: Vec<String>,
}

/// A step between two states.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    pub from: String,
    pub to: String,
    /// `nitrate_adsorption` marks the step the nitrate-adsorption convention applies to.
    #[serde(default)]
    pub kind: Option<String>,
}

/// A lumped step used only when the model lacks the skipped state.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LumpedDef {
    pub from: String,
    pub to: String,
    pub skips: String,
}

/// A network: states, steps, and what the results are compared with.
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
    #[serde(default)]
    pub states: Vec<StateDef>,
    #[serde(default)]
    pub steps: Vec<StepDef>,
    #[serde(default)]
    pub lumped: Vec<LumpedDef>,
}

/// The whole network file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NetworkFile {
    /// A sentence printed with every result of this network (e.g. that its data are generated).
    #[serde(default)]
    pub notice: Option<String>,
    #[serde(default)]
    pub conventions: Conventions,
    #[serde(default)]
    pub references: BTreeMap<String, Value>,
    #[serde(default)]
    pub network: NetworkDef,
    /// Model name → state name → value.
    #[serde(default)]
    pub models: BTreeMap<String, BTreeMap<String, Value>>,
    /// Model name → where its d-band centre comes from (for `rank`, `report`).
    #[serde(default)]
    pub dband: BTreeMap<String, DbandSpec>,
}

/// The DOS of a model for its d-band descriptor.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DbandSpec {
    /// A DOSCAR, vasprun.xml or calculation directory (relative to the file).
    pub path: String,
    /// Atom selection (`Cu@N4`, `37`, …); default: every transition metal, pooled.
    pub atoms: Option<String>,
    /// Window: `full`, `vaspkit` or `a:b` (default full).
    pub window: Option<String>,
}

/// The built-in templates, by name.
pub fn template(name: &str) -> Result<NetworkDef, String> {
    let text = match name {
        "no3rr" => include_str!("templates/no3rr.toml"),
        "orr" => include_str!("templates/orr.toml"),
        "oer" => include_str!("templates/oer.toml"),
        "her" => include_str!("templates/her.toml"),
        _ => {
            return Err(format!(
                "network.template = '{name}': expected no3rr, orr, oer or her"
            ))
        }
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
            ($f:ident) => {
                if self.$f.is_some() {
                    base.$f = self.$f.clone();
                }
            };
        }
        over!(name);
        over!(description);
        over!(initial);
        over!(final_);
        over!(u_eq);
        over!(couple);
        over!(experimental_dg);
        base.states.extend(self.states.iter().cloned());
        base.steps.extend(self.steps.iter().cloned());
        base.lumped.extend(self.lumped.iter().cloned());
        base.template = self.template.clone();
        if base.initial.is_none() || base.final_.is_none() {
            return Err("the network needs 'initial' and 'final' states (or a template)".into());
        }
        if base.steps.is_empty() {
            return Err("the network has no steps (give a template or [[network.steps]])".into());
        }
        Ok(base)
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
}

/// Parse a network file's text.
pub fn parse(text: &str, name: &str) -> Result<NetworkFile, String> {
    let f: NetworkFile = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
    f.conventions.check().map_err(|e| format!("{name}: {e}"))?;
    Ok(f)
}
