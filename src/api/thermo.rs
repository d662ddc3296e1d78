//! `thermo`: ZPE, ∫C dT and TS of a frequency run or a list of frequencies, with the
//! settings that produced them (`chepath thermo --json`, `chepath.thermo()`).

use crate::error::Error;
use crate::network::ThermoModel;
use crate::thermo::{self, Geometry, Molecule, SoftModeFloor, Thermo};
use serde::Serialize;
use std::path::PathBuf;

/// Where the frequencies come from.
#[derive(Debug, Clone)]
pub enum Frequencies {
    /// Signed wavenumbers, cm⁻¹ (imaginary modes negative).
    List(Vec<f64>),
    /// A frequency run: an OUTCAR, a vasprun.xml or their directory.
    Path(PathBuf),
}

/// Everything `thermo` needs; [`ThermoRequest::new`] holds the CLI's defaults.
#[derive(Debug, Clone)]
pub struct ThermoRequest {
    pub frequencies: Frequencies,
    pub model: ThermoModel,
    /// K.
    pub temperature: f64,
    /// Ideal gas: bar.
    pub pressure_bar: f64,
    /// Ideal gas: `None` from the positions.
    pub geometry: Option<Geometry>,
    /// Ideal gas: `None` from the formula (with a warning).
    pub symmetry: Option<u32>,
    /// Ideal gas: total spin S.
    pub spin: f64,
    pub floor: SoftModeFloor,
}

impl ThermoRequest {
    /// Harmonic at 298.15 K, 1 bar, geometry and symmetry number from the molecule, S = 0,
    /// no soft-mode floor: the defaults of `chepath thermo`.
    pub fn new(frequencies: Frequencies) -> Self {
        ThermoRequest {
            frequencies,
            model: ThermoModel::Harmonic,
            temperature: 298.15,
            pressure_bar: 1.0,
            geometry: None,
            symmetry: None,
            spin: 0.0,
            floor: SoftModeFloor::None,
        }
    }
}

/// The settings a result was computed with.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub model: &'static str,
    pub temperature_k: f64,
    pub pressure_bar: Option<f64>,
    pub geometry: Option<Geometry>,
    pub symmetry_number: Option<u32>,
    pub spin: Option<f64>,
    pub soft_mode_floor: SoftModeFloor,
}

/// The JSON record of `thermo`.
#[derive(Debug, Clone, Serialize)]
pub struct ThermoOut {
    pub schema_version: &'static str,
    pub source: String,
    #[serde(flatten)]
    pub thermo: Thermo,
    pub settings: Settings,
}

/// `120`, `120i` or `-120` separated by commas → signed cm⁻¹ (imaginary negative).
pub fn parse_frequencies(list: &str) -> Result<Vec<f64>, String> {
    list.split(',')
        .map(|s| {
            let s = s.trim();
            let x = s.trim_end_matches('i').parse::<f64>().ok().filter(|x| x.is_finite());
            match x {
                Some(x) if s.ends_with('i') => Ok(-x),
                Some(x) => Ok(x),
                None => Err(format!("'{list}': expected numbers in cm-1 separated by commas (imaginary as 120i or -120), found '{s}'")),
            }
        })
        .collect()
}

/// The thermochemistry of a request: harmonic (every real mode an oscillator) or ideal gas
/// (the molecule's geometry from the CONTCAR/POSCAR beside the frequency run).
pub fn thermo(req: &ThermoRequest) -> Result<ThermoOut, Error> {
    let (signed, source, structure, mut warnings) = match &req.frequencies {
        Frequencies::List(v) => (v.clone(), "--freqs".to_string(), None, Vec::new()),
        Frequencies::Path(p) => {
            let f = crate::load::frequencies(p)?;
            (
                f.signed_cm1,
                f.source.display().to_string(),
                f.structure,
                f.warnings,
            )
        }
    };
    let t = req.temperature;
    let (result, settings) = match req.model {
        ThermoModel::Harmonic => (
            Ok(thermo::harmonic(&signed, t, req.floor)),
            Settings {
                model: "harmonic",
                temperature_k: t,
                pressure_bar: None,
                geometry: None,
                symmetry_number: None,
                spin: None,
                soft_mode_floor: req.floor,
            },
        ),
        ThermoModel::IdealGas => ideal_gas(req, &signed, structure, &mut warnings)?,
    };
    let mut th = result.map_err(|e| Error::input(format!("{source}: {e}")))?;
    th.warnings.splice(0..0, warnings);
    Ok(ThermoOut {
        schema_version: crate::records::SCHEMA_VERSION,
        source,
        thermo: th,
        settings,
    })
}

/// The ideal-gas model of the molecule `structure`: geometry from the request or the
/// positions, symmetry number from the request or the formula (with a warning).
fn ideal_gas(
    req: &ThermoRequest,
    signed: &[f64],
    structure: Option<(Vec<String>, Vec<[f64; 3]>)>,
    warnings: &mut Vec<String>,
) -> Result<(Result<Thermo, String>, Settings), Error> {
    let Some((elements, positions)) = structure else {
        return Err(Error::input("the ideal-gas model needs the molecule's geometry: a CONTCAR or POSCAR beside the frequency run"));
    };
    let geometry = req
        .geometry
        .unwrap_or_else(|| thermo::geometry_of(&elements, &positions));
    let sigma = match req.symmetry {
        Some(s) => s,
        None => {
            let s = thermo::symmetry_number(&elements).ok_or_else(|| {
                Error::input(format!(
                    "no symmetry number known for {}: pass --symmetry N",
                    elements.join("")
                ))
            })?;
            warnings.push(format!(
                "symmetry number {s} taken from the formula; pass --symmetry to set it"
            ));
            s
        }
    };
    let settings = Settings {
        model: "ideal_gas",
        temperature_k: req.temperature,
        pressure_bar: Some(req.pressure_bar),
        geometry: Some(geometry),
        symmetry_number: Some(sigma),
        spin: Some(req.spin),
        soft_mode_floor: req.floor,
    };
    let mol = Molecule {
        elements,
        positions,
        geometry,
        symmetry_number: sigma,
        spin: req.spin,
    };
    let r = thermo::ideal_gas(
        signed,
        &mol,
        req.temperature,
        req.pressure_bar * 1e5,
        req.floor,
    );
    Ok((r, settings))
}
