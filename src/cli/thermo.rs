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

pub fn run(a: &ThermoArgs) -> i32 {
    let floor = match (a.soft_mode_floor, a.floor_all_terms) {
        (None, _) => SoftModeFloor::None,
        (Some(c), false) => SoftModeFloor::EntropyOnly { cm1: c },
        (Some(c), true) => SoftModeFloor::All { cm1: c },
    };
    let (signed, source, structure, mut warnings) = if let Some(list) = &a.freqs {
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
            Ok(v) => (v, "--freqs".to_string(), None, Vec::new()),
            Err(_) => {
                eprintln!("error: --freqs '{list}': expected numbers in cm-1 separated by commas (imaginary as 120i or -120)");
                return exit::USAGE;
            }
        }
    } else if let Some(p) = &a.path {
        match chepath::load::frequencies(p) {
            Ok(f) => (
                f.signed_cm1,
                f.source.display().to_string(),
                f.structure,
                f.warnings,
            ),
            Err(e) => return fail(&e),
        }
    } else {
        eprintln!("error: give a frequency OUTCAR/vasprun.xml/directory, or --freqs");
        return exit::USAGE;
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
        ModelArg::IdealGas => {
            let Some((elements, positions)) = structure else {
                eprintln!("error: the ideal-gas model needs the molecule's geometry: a CONTCAR or POSCAR beside the frequency run");
                return exit::FORMAT;
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
                    return exit::USAGE;
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
            (
                thermo::ideal_gas(&signed, &mol, t, a.pressure * 1e5, floor),
                settings,
            )
        }
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
    exit::OK
}
