//! Free energies of species: G = E + correction, from calculations, tables or fixed values,
//! each with where it came from and what is doubtful about it.

use super::{Conventions, Value};
use crate::error::Error;
use crate::thermo::{self, SoftModeFloor};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// A resolved free energy.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    /// G, eV.
    pub g: f64,
    /// Electronic energy, eV, when known.
    pub energy: Option<f64>,
    /// ZPE + ∫C dT − TS, eV, when applied.
    pub correction: Option<f64>,
    /// `fixed G`, `OUTCAR:line (step N, E0)`, `tabulated` …
    pub source: String,
    pub correction_source: Option<String>,
    pub warnings: Vec<String>,
}

fn path_of(base: &Path, p: &str) -> PathBuf {
    let q = Path::new(p);
    if q.is_absolute() {
        q.to_path_buf()
    } else {
        base.join(q)
    }
}

/// The electronic energy of a calculation (directory or OUTCAR) under the conventions.
pub fn calc_energy(p: &Path, conv: &Conventions) -> Result<(f64, String), Error> {
    let file = if p.is_dir() {
        crate::calc::CalcFiles::find(p).outcar.ok_or_else(|| {
            Error::Input(format!(
                "{}: expected an OUTCAR (or OUTCAR.gz) in this calculation directory",
                p.display()
            ))
        })?
    } else {
        p.to_path_buf()
    };
    let o = vasp_parsers::read_outcar(&file)?;
    let step = o.structure_energy().ok_or_else(|| {
        Error::Input(format!(
            "{}: no complete ionic step, so no energy (the run crashed or was cut)",
            file.display()
        ))
    })?;
    let e = if conv.energy == "toten" {
        step.energy.toten
    } else {
        step.energy.sigma0
    };
    // Convergence, completion and agreement between calculations are the linter's
    // (`crate::lint`), whose findings `che::run` attaches to the report.
    let f = file.display().to_string();
    let src = format!(
        "{f}:{} (step {}, {})",
        step.line,
        step.index,
        if conv.energy == "toten" {
            "TOTEN"
        } else {
            "E0"
        }
    );
    Ok((e, src))
}

/// Resolve one value. `gas`: a reference molecule (ideal-gas default for `freq`).
pub fn resolve(
    v: &Value,
    base: &Path,
    conv: &Conventions,
    gas: bool,
    label: &str,
) -> Result<Resolved, Error> {
    if let Some(g) = v.g {
        if v.energy.is_some() || v.calc.is_some() {
            return Err(Error::Input(format!(
                "{label}: give either G or an energy (energy/calc), not both"
            )));
        }
        return Ok(Resolved {
            g,
            energy: None,
            correction: None,
            source: "fixed G".into(),
            correction_source: None,
            warnings: Vec::new(),
        });
    }
    let (energy, source, mut warnings) = match (&v.energy, &v.calc) {
        (Some(e), None) => (*e, "tabulated energy".to_string(), Vec::new()),
        (None, Some(c)) => {
            let (e, s) = calc_energy(&path_of(base, c), conv)?;
            (e, s, Vec::new())
        }
        (Some(_), Some(_)) => {
            return Err(Error::Input(format!(
                "{label}: give energy or calc, not both"
            )))
        }
        (None, None) => return Err(Error::Input(format!("{label}: needs G, energy or calc"))),
    };
    let floor = if conv.soft_mode_floor > 0.0 {
        SoftModeFloor::EntropyOnly {
            cm1: conv.soft_mode_floor,
        }
    } else {
        SoftModeFloor::None
    };
    let (correction, csrc) = if let Some(fq) = &v.freq {
        let fr = crate::calc::frequencies(&path_of(base, fq))?;
        warnings.extend(fr.warnings.iter().map(|w| format!("{label}: {w}")));
        let model = v.model.clone().unwrap_or_else(|| {
            if gas {
                "ideal-gas".into()
            } else {
                "harmonic".into()
            }
        });
        let th = match model.as_str() {
            "harmonic" => thermo::harmonic(&fr.signed_cm1, conv.temperature, floor),
            "ideal-gas" => {
                let (el, pos) = fr.structure.clone().ok_or_else(|| {
                    Error::Input(format!(
                        "{label}: the ideal-gas model needs a CONTCAR/POSCAR beside {}",
                        fr.source.display()
                    ))
                })?;
                let geometry = thermo::geometry_of(&el, &pos);
                let sigma = v
                    .symmetry
                    .or_else(|| thermo::symmetry_number(&el))
                    .ok_or_else(|| {
                        Error::Input(format!(
                            "{label}: no symmetry number known for {}: add symmetry = N",
                            el.join("")
                        ))
                    })?;
                let mol = thermo::Molecule {
                    elements: el,
                    positions: pos,
                    geometry,
                    symmetry_number: sigma,
                    spin: v.spin.unwrap_or(0.0),
                };
                thermo::ideal_gas(
                    &fr.signed_cm1,
                    &mol,
                    conv.temperature,
                    v.pressure.unwrap_or(1.0) * 1e5,
                    floor,
                )
                .map_err(|e| Error::Input(format!("{label}: {e}")))?
            }
            m => {
                return Err(Error::Input(format!(
                    "{label}: model = '{m}': expected harmonic or ideal-gas"
                )))
            }
        };
        warnings.extend(th.warnings.iter().map(|w| format!("{label}: {w}")));
        (
            Some(th.correction),
            Some(format!(
                "{} ({}, {} modes)",
                fr.source.display(),
                th.model,
                th.frequencies_cm1.len()
            )),
        )
    } else if v.zpe.is_some() || v.ts.is_some() || v.cp.is_some() {
        let c = v.zpe.unwrap_or(0.0) + v.cp.unwrap_or(0.0) - v.ts.unwrap_or(0.0);
        (Some(c), Some("tabulated ZPE/TS".to_string()))
    } else {
        // The clean site has no adsorbate modes: no correction is the usual convention.
        if !label.ends_with(".*") {
            warnings.push(format!(
                "{label}: no ZPE/TS correction (no freq run, zpe or ts given): G = E"
            ));
        }
        (None, None)
    };
    Ok(Resolved {
        g: energy + correction.unwrap_or(0.0),
        energy: Some(energy),
        correction,
        source,
        correction_source: csrc,
        warnings,
    })
}
