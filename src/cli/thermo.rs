//! `chepath thermo`: ZPE, heat-capacity integral and entropy of a frequency run.

use super::{exit, fail, GeometryArg, ModelArg, ThermoArgs};
use chepath::api::thermo::{parse_frequencies, thermo, Frequencies, Settings, ThermoRequest};
use chepath::network::ThermoModel;
use chepath::thermo::{Geometry, SoftModeFloor, Thermo};

pub fn run(a: &ThermoArgs) -> i32 {
    let floor = match (a.soft_mode_floor, a.floor_all_terms) {
        (None, _) => SoftModeFloor::None,
        (Some(c), false) => SoftModeFloor::EntropyOnly { cm1: c },
        (Some(c), true) => SoftModeFloor::All { cm1: c },
    };
    let frequencies = match (&a.freqs, &a.path) {
        (Some(list), _) => match parse_frequencies(list) {
            Ok(v) if v.iter().any(|f| f.abs() > super::FREQ_CM1) => {
                eprintln!(
                    "error: --freqs '{list}' is out of bounds: expected frequencies from -{0} to {0} cm-1 (imaginary as 120i or -120)",
                    super::FREQ_CM1
                );
                return exit::USAGE;
            }
            Ok(v) => Frequencies::List(v),
            Err(e) => {
                eprintln!(
                    "error: --freqs {e}; expected frequencies from -{0} to {0} cm-1",
                    super::FREQ_CM1
                );
                return exit::USAGE;
            }
        },
        (None, Some(p)) => Frequencies::Path(p.clone()),
        (None, None) => {
            eprintln!("error: give a frequency OUTCAR/vasprun.xml/directory, or --freqs");
            return exit::USAGE;
        }
    };
    let req = ThermoRequest {
        model: match a.model {
            ModelArg::Harmonic => ThermoModel::Harmonic,
            ModelArg::IdealGas => ThermoModel::IdealGas,
        },
        temperature: a.temperature,
        pressure_bar: a.pressure,
        geometry: match a.geometry {
            GeometryArg::Auto => None,
            GeometryArg::Monatomic => Some(Geometry::Monatomic),
            GeometryArg::Linear => Some(Geometry::Linear),
            GeometryArg::Nonlinear => Some(Geometry::Nonlinear),
        },
        symmetry: a.symmetry,
        spin: a.spin,
        floor,
        ..ThermoRequest::new(frequencies)
    };
    let out = match thermo(&req) {
        Ok(o) => o,
        Err(e) => return fail(&e),
    };
    if a.json {
        match serde_json::to_string_pretty(&out) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::INTERNAL;
            }
        }
        return exit::OK;
    }
    print_text(
        &out.thermo,
        &out.settings,
        &out.source,
        floor,
        a.temperature,
    );
    exit::OK
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
