//! `chepath thermo`: ZPE, heat-capacity integral and entropy of a frequency run.

use super::{exit, fail, GeometryArg, ModelArg, ThermoArgs};
use chepath::thermo::{self, Geometry, Molecule, SoftModeFloor, Thermo};
use serde::Serialize;

#[derive(Serialize)]
struct Out<'a> {
    schema_version: &'static str,
    source: String,
    #[serde(flatten)]
    thermo: &'a Thermo,
    settings: Settings,
}

#[derive(Serialize)]
struct Settings {
    model: &'static str,
    temperature_k: f64,
    pressure_bar: Option<f64>,
    geometry: Option<Geometry>,
    symmetry_number: Option<u32>,
    spin: Option<f64>,
    soft_mode_floor: SoftModeFloor,
}

/// The frequencies to use: signed cm⁻¹ (imaginary negative), where they came from, the
/// molecule's elements and positions when known, and warnings so far.
struct Input {
    signed: Vec<f64>,
    source: String,
    structure: Option<(Vec<String>, Vec<[f64; 3]>)>,
    warnings: Vec<String>,
}

pub fn run(a: &ThermoArgs) -> i32 {
    let floor = match (a.soft_mode_floor, a.floor_all_terms) {
        (None, _) => SoftModeFloor::None,
        (Some(c), false) => SoftModeFloor::EntropyOnly { cm1: c },
        (Some(c), true) => SoftModeFloor::All { cm1: c },
    };
    let Input {
        signed,
        source,
        structure,
        mut warnings,
    } = match input(a) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let t = a.temperature;
    let (result, settings) = match a.model {
        ModelArg::Harmonic => (
            Ok(thermo::harmonic(&signed, t, floor)),
            Settings {
                model: "harmonic",
                temperature_k: t,
                pressure_bar: None,
                geometry: None,
                symmetry_number: None,
                spin: None,
                soft_mode_floor: floor,
            },
        ),
        ModelArg::IdealGas => match ideal_gas_model(a, &signed, structure, floor, &mut warnings) {
            Ok(r) => r,
            Err(code) => return code,
        },
    };
    let mut th = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {source}: {e}");
            return exit::FORMAT;
        }
    };
    th.warnings.splice(0..0, warnings);
    if a.json {
        let out = Out {
            schema_version: chepath::records::SCHEMA_VERSION,
            source,
            thermo: &th,
            settings,
        };
        match serde_json::to_string_pretty(&out) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::INTERNAL;
            }
        }
        return exit::OK;
    }
    print_text(&th, &settings, &source, floor, t);
    exit::OK
}

/// The frequencies of `--freqs` (cm⁻¹, `120i` or `-120` imaginary) or of the frequency run
/// at `path`. Err: the exit code, the error printed.
fn input(a: &ThermoArgs) -> Result<Input, i32> {
    if let Some(list) = &a.freqs {
        let v: Result<Vec<f64>, _> = list
            .split(',')
            .map(|s| {
                s.trim().trim_end_matches('i').parse::<f64>().map(|x| {
                    if s.trim().ends_with('i') {
                        -x
                    } else {
                        x
                    }
                })
            })
            .collect();
        match v {
            Ok(v) => Ok(Input {
                signed: v,
                source: "--freqs".to_string(),
                structure: None,
                warnings: Vec::new(),
            }),
            Err(_) => {
                eprintln!("error: --freqs '{list}': expected numbers in cm-1 separated by commas (imaginary as 120i or -120)");
                Err(exit::USAGE)
            }
        }
    } else if let Some(p) = &a.path {
        match chepath::load::frequencies(p) {
            Ok(f) => Ok(Input {
                signed: f.signed_cm1,
                source: f.source.display().to_string(),
                structure: f.structure,
                warnings: f.warnings,
            }),
            Err(e) => Err(fail(&e)),
        }
    } else {
        eprintln!("error: give a frequency OUTCAR/vasprun.xml/directory, or --freqs");
        Err(exit::USAGE)
    }
}

/// The ideal-gas model of the molecule `structure`: geometry from --geometry or the
/// positions, symmetry number from --symmetry or the formula (with a warning). Err: the
/// exit code, the error printed.
fn ideal_gas_model(
    a: &ThermoArgs,
    signed: &[f64],
    structure: Option<(Vec<String>, Vec<[f64; 3]>)>,
    floor: SoftModeFloor,
    warnings: &mut Vec<String>,
) -> Result<(Result<Thermo, String>, Settings), i32> {
    let t = a.temperature;
    let Some((elements, positions)) = structure else {
        eprintln!("error: the ideal-gas model needs the molecule's geometry: a CONTCAR or POSCAR beside the frequency run");
        return Err(exit::FORMAT);
    };
    let geometry = match a.geometry {
        GeometryArg::Auto => thermo::geometry_of(&elements, &positions),
        GeometryArg::Monatomic => Geometry::Monatomic,
        GeometryArg::Linear => Geometry::Linear,
        GeometryArg::Nonlinear => Geometry::Nonlinear,
    };
    let sigma = match a.symmetry.or_else(|| thermo::symmetry_number(&elements)) {
        Some(s) => {
            if a.symmetry.is_none() {
                warnings.push(format!(
                    "symmetry number {s} taken from the formula; pass --symmetry to set it"
                ));
            }
            s
        }
        None => {
            eprintln!(
                "error: no symmetry number known for {}: pass --symmetry N",
                elements.join("")
            );
            return Err(exit::USAGE);
        }
    };
    let mol = Molecule {
        elements,
        positions,
        geometry,
        symmetry_number: sigma,
        spin: a.spin,
    };
    let settings = Settings {
        model: "ideal_gas",
        temperature_k: t,
        pressure_bar: Some(a.pressure),
        geometry: Some(geometry),
        symmetry_number: Some(sigma),
        spin: Some(a.spin),
        soft_mode_floor: floor,
    };
    Ok((
        thermo::ideal_gas(signed, &mol, t, a.pressure * 1e5, floor),
        settings,
    ))
}

/// The text result: model and conditions, the soft-mode treatment, the modes used, ZPE,
/// ∫C dT, TS, the correction, and the warnings.
fn print_text(th: &Thermo, settings: &Settings, source: &str, floor: SoftModeFloor, t: f64) {
    println!("thermochemistry  {source}");
    println!(
        "  model         {}{}, T = {} K{}",
        th.model,
        settings
            .geometry
            .map(|g| format!(
                " ({g:?}, symmetry number {}, spin {})",
                settings.symmetry_number.unwrap_or(1),
                settings.spin.unwrap_or(0.0)
            ))
            .unwrap_or_default(),
        t,
        settings
            .pressure_bar
            .map(|p| format!(", P = {p} bar"))
            .unwrap_or_default()
    );
    println!(
        "  soft modes    {}",
        match floor {
            SoftModeFloor::None => "as computed (no floor)".to_string(),
            SoftModeFloor::EntropyOnly { cm1 } =>
                format!("raised to {cm1} cm-1 for the entropy only"),
            SoftModeFloor::All { cm1 } => format!("raised to {cm1} cm-1 for every term"),
        }
    );
    let f: Vec<String> = th
        .frequencies_cm1
        .iter()
        .map(|x| format!("{x:.1}"))
        .collect();
    println!("  modes (cm-1)  {} used: {}", f.len(), f.join(" "));
    println!("  ZPE           {:>10.4} eV", th.zpe);
    println!(
        "  ∫C dT         {:>10.4} eV  ({})",
        th.heat_capacity_integral,
        if th.model == "ideal_gas" { "Cp" } else { "Cv" }
    );
    println!(
        "  TS            {:>10.4} eV  (S = {:.6e} eV/K)",
        th.entropy_ts, th.entropy
    );
    println!(
        "  correction    {:>10.4} eV  = ZPE + ∫C dT − TS (add to the electronic energy)",
        th.correction
    );
    if !th.warnings.is_empty() {
        println!("  warnings      {}", th.warnings.len());
        for w in &th.warnings {
            println!("    - {w}");
        }
    }
}
