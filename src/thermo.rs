//! Thermochemistry: zero-point energy, heat-capacity integral and entropy from vibrational
//! frequencies, in the harmonic model (adsorbates) and the ideal-gas model (molecules).
//!
//! One type per physical model, formulas in the doc comments, as ASE's `thermochemistry`
//! module (HarmonicThermo, IdealGasThermo), whose numbers the tests reproduce. Constants are
//! CODATA 2018 (exact SI values); masses IUPAC 2016 standard atomic weights (as ASE).

use serde::Serialize;

/// Boltzmann constant, eV/K.
pub const KB_EV: f64 = 1.380649e-23 / 1.602176634e-19;
/// Planck constant, J s.
pub const H_J: f64 = 6.62607015e-34;
/// Boltzmann constant, J/K.
pub const KB_J: f64 = 1.380649e-23;
/// One cm⁻¹ in eV (h c · 100 / e).
pub const INVCM_EV: f64 = H_J * 299_792_458.0 * 100.0 / 1.602176634e-19;
/// Atomic mass unit, kg.
pub const AMU_KG: f64 = 1.660_539_066_60e-27;
/// Standard pressure P° = 1 bar, Pa.
pub const P_STANDARD: f64 = 1.0e5;

/// How soft modes are treated (a named convention; default: no floor).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SoftModeFloor {
    /// Use the frequencies as they are.
    None,
    /// Raise modes below `cm1` to `cm1` for the entropy only (VASPKIT, ec-toolkit: 50 cm⁻¹).
    EntropyOnly { cm1: f64 },
    /// Raise modes below `cm1` to `cm1` for every term (ASE QuasiHarmonicThermo: 100 cm⁻¹).
    All { cm1: f64 },
}

/// Frequencies after dropping imaginary modes and applying the soft-mode floor.
#[derive(Debug, Clone, Serialize)]
pub struct Modes {
    /// Real modes used, cm⁻¹.
    pub used_cm1: Vec<f64>,
    /// Imaginary modes left out, cm⁻¹ (positive numbers).
    pub dropped_imaginary_cm1: Vec<f64>,
    /// Modes raised by the floor: (original, raised to), cm⁻¹.
    pub raised_cm1: Vec<(f64, f64)>,
}

/// Split signed frequencies (negative = imaginary) into the real modes used and the rest.
pub fn modes(signed_cm1: &[f64], floor: SoftModeFloor) -> Modes {
    let mut used = Vec::new();
    let mut dropped = Vec::new();
    let mut raised = Vec::new();
    for &f in signed_cm1 {
        if f <= 0.0 {
            dropped.push(-f);
            continue;
        }
        used.push(f);
        if let SoftModeFloor::EntropyOnly { cm1 } | SoftModeFloor::All { cm1 } = floor {
            if f < cm1 {
                raised.push((f, cm1));
            }
        }
    }
    Modes {
        used_cm1: used,
        dropped_imaginary_cm1: dropped,
        raised_cm1: raised,
    }
}

/// Vibrational terms of one set of modes at temperature T, with x = hν/kT:
/// ZPE = Σ hν/2; ∫Cv dT = Σ hν/(eˣ − 1); S = k Σ [x/(eˣ − 1) − ln(1 − e⁻ˣ)].
/// [Cramer, *Essentials of Computational Chemistry*; ASE `HarmonicThermo`.]
fn vib_terms(freqs_cm1: &[f64], t: f64) -> (f64, f64, f64) {
    let kt = KB_EV * t;
    let mut zpe = 0.0;
    let mut cv = 0.0;
    let mut s = 0.0;
    for &f in freqs_cm1 {
        let e = f * INVCM_EV;
        zpe += 0.5 * e;
        if t > 0.0 {
            let x = e / kt;
            let em1 = x.exp_m1();
            cv += e / em1;
            s += KB_EV * (x / em1 - (-(-x).exp_m1()).ln());
        }
    }
    (zpe, cv, s)
}

fn floored(freqs: &[f64], floor: SoftModeFloor) -> (Vec<f64>, Vec<f64>) {
    // (for ZPE and ∫C dT, for S)
    match floor {
        SoftModeFloor::None => (freqs.to_vec(), freqs.to_vec()),
        SoftModeFloor::EntropyOnly { cm1 } => {
            (freqs.to_vec(), freqs.iter().map(|f| f.max(cm1)).collect())
        }
        SoftModeFloor::All { cm1 } => {
            let v: Vec<f64> = freqs.iter().map(|f| f.max(cm1)).collect();
            (v.clone(), v)
        }
    }
}

/// The result of a thermochemistry model, eV (entropy in eV/K).
#[derive(Debug, Clone, Serialize)]
pub struct Thermo {
    /// `harmonic`, `ideal_gas` or `tabulated`.
    pub model: &'static str,
    pub temperature_k: f64,
    /// Ideal gas only, Pa.
    pub pressure_pa: Option<f64>,
    pub zpe: f64,
    /// ∫Cv dT (harmonic) or ∫Cp dT (ideal gas), from 0 to T.
    pub heat_capacity_integral: f64,
    /// S, eV/K.
    pub entropy: f64,
    /// T·S.
    pub entropy_ts: f64,
    /// ZPE + ∫C dT − TS: add to the electronic energy to get F (harmonic) or G (ideal gas).
    pub correction: f64,
    pub frequencies_cm1: Vec<f64>,
    pub dropped_imaginary_cm1: Vec<f64>,
    pub raised_soft_modes_cm1: Vec<(f64, f64)>,
    pub soft_mode_floor: SoftModeFloor,
    pub warnings: Vec<String>,
}

/// Harmonic model for adsorbates: every real mode a harmonic oscillator, no translation or
/// rotation. F = E + ZPE + ∫Cv dT − TS. [ASE `HarmonicThermo`]
pub fn harmonic(signed_cm1: &[f64], temperature_k: f64, floor: SoftModeFloor) -> Thermo {
    let m = modes(signed_cm1, floor);
    let (for_e, for_s) = floored(&m.used_cm1, floor);
    let (zpe, cv, _) = vib_terms(&for_e, temperature_k);
    let (_, _, s) = vib_terms(&for_s, temperature_k);
    let mut warnings = Vec::new();
    if !m.dropped_imaginary_cm1.is_empty() {
        let v: Vec<String> = m
            .dropped_imaginary_cm1
            .iter()
            .map(|f| format!("{f:.1}i"))
            .collect();
        warnings.push(format!("{} imaginary mode(s) left out: {} cm-1 (a saddle point or a loose calculation; check the structure)", v.len(), v.join(", ")));
    }
    if let Some(low) = m
        .used_cm1
        .iter()
        .copied()
        .filter(|f| *f < 50.0)
        .reduce(f64::min)
    {
        if floor == SoftModeFloor::None {
            warnings.push(format!("soft mode(s) below 50 cm-1 (lowest {low:.1}): their entropy is large and uncertain; consider --soft-mode-floor"));
        }
    }
    Thermo {
        model: "harmonic",
        temperature_k,
        pressure_pa: None,
        zpe,
        heat_capacity_integral: cv,
        entropy: s,
        entropy_ts: temperature_k * s,
        correction: zpe + cv - temperature_k * s,
        frequencies_cm1: m.used_cm1,
        dropped_imaginary_cm1: m.dropped_imaginary_cm1,
        raised_soft_modes_cm1: m.raised_cm1,
        soft_mode_floor: floor,
        warnings,
    }
}

/// Geometry of a molecule for its rotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Geometry {
    Monatomic,
    Linear,
    Nonlinear,
}

/// What the ideal-gas model needs beyond the frequencies.
#[derive(Debug, Clone)]
pub struct Molecule {
    pub elements: Vec<String>,
    /// Cartesian positions, Å.
    pub positions: Vec<[f64; 3]>,
    pub geometry: Geometry,
    pub symmetry_number: u32,
    /// Total electronic spin S (0 for a singlet, 1 for O₂'s triplet).
    pub spin: f64,
}

/// Principal moments of inertia, amu·Å², ascending.
pub fn principal_moments(masses: &[f64], positions: &[[f64; 3]]) -> [f64; 3] {
    let mt: f64 = masses.iter().sum();
    let mut com = [0.0; 3];
    for (m, p) in masses.iter().zip(positions) {
        for k in 0..3 {
            com[k] += m * p[k] / mt;
        }
    }
    let mut i = nalgebra::Matrix3::<f64>::zeros();
    for (m, p) in masses.iter().zip(positions) {
        let r = nalgebra::Vector3::new(p[0] - com[0], p[1] - com[1], p[2] - com[2]);
        i += (nalgebra::Matrix3::identity() * r.dot(&r) - r * r.transpose()) * *m;
    }
    let mut ev: Vec<f64> = i.symmetric_eigen().eigenvalues.iter().copied().collect();
    ev.sort_by(|a, b| a.total_cmp(b));
    [ev[0], ev[1], ev[2]]
}

/// Ideal-gas model for molecules (ASE `IdealGasThermo`, McQuarrie):
///
/// - translation: S_t = k [ln((2π m k T/h²)^{3/2} · kT/P°) + 5/2], ∫Cp = 5/2 kT (incl. PV = kT);
/// - rotation, linear: S_r = k [ln(8π² I k T/(σ h²)) + 1], ∫C = kT;
///   nonlinear: S_r = k [ln(√(π I_A I_B I_C)/σ · (8π² k T/h²)^{3/2}) + 3/2], ∫C = 3/2 kT;
/// - vibration: the harmonic terms over the 3N−5 (linear) or 3N−6 real modes given;
/// - electronic: S_e = k ln(2S + 1);
/// - pressure: S −= k ln(P/P°), P° = 1 bar.
///
/// G − E = ZPE + ∫Cp dT − TS.
pub fn ideal_gas(
    signed_cm1: &[f64],
    mol: &Molecule,
    temperature_k: f64,
    pressure_pa: f64,
    floor: SoftModeFloor,
) -> Result<Thermo, String> {
    let masses: Vec<f64> = mol
        .elements
        .iter()
        .map(|e| atomic_mass(e).ok_or_else(|| format!("no atomic mass for element '{e}'")))
        .collect::<Result<_, _>>()?;
    // S_press = −k ln(P/P°) and S_elec = k ln(2S + 1) need P > 0 and S ≥ 0
    if !(pressure_pa > 0.0 && pressure_pa.is_finite()) {
        return Err(format!(
            "pressure {} bar: expected a positive, finite pressure",
            pressure_pa / P_STANDARD
        ));
    }
    if !(mol.spin >= 0.0 && mol.spin.is_finite()) {
        return Err(format!(
            "spin {}: expected a finite total spin S ≥ 0 (0 for a closed shell, 1 for O2)",
            mol.spin
        ));
    }
    let n = masses.len();
    if n == 0 || mol.positions.len() != n {
        return Err(format!(
            "{} elements but {} positions",
            n,
            mol.positions.len()
        ));
    }
    let m = modes(signed_cm1, floor);
    let mut warnings = Vec::new();
    let vib = gas_vibrations(&m.used_cm1, n, mol.geometry, &mut warnings)?;
    if !m.dropped_imaginary_cm1.is_empty() {
        warnings.push(format!(
            "imaginary mode(s) left out: {:?} cm-1",
            m.dropped_imaginary_cm1
        ));
    }
    let t = temperature_k;
    let kt = KB_EV * t;
    let (for_e, for_s) = floored(&vib, floor);
    let (zpe, cv_vib, _) = vib_terms(&for_e, t);
    let (_, _, s_vib) = vib_terms(&for_s, t);
    let mass_kg: f64 = masses.iter().sum::<f64>() * AMU_KG;
    let s_trans = translational_entropy(mass_kg, t);
    let inertia = principal_moments(&masses, &mol.positions);
    let (s_rot, c_rot) = rotational_terms(mol.geometry, inertia, mol.symmetry_number, t);
    let s_elec = KB_EV * (2.0 * mol.spin + 1.0).ln();
    let s_press = -KB_EV * (pressure_pa / P_STANDARD).ln();
    let entropy = s_trans + s_rot + s_vib + s_elec + s_press;
    let cp = 1.5 * kt + c_rot + cv_vib + kt;
    Ok(Thermo {
        model: "ideal_gas",
        temperature_k: t,
        pressure_pa: Some(pressure_pa),
        zpe,
        heat_capacity_integral: cp,
        entropy,
        entropy_ts: t * entropy,
        correction: zpe + cp - t * entropy,
        frequencies_cm1: vib,
        dropped_imaginary_cm1: m.dropped_imaginary_cm1,
        raised_soft_modes_cm1: m.raised_cm1,
        soft_mode_floor: floor,
        warnings,
    })
}

/// The vibrations of a molecule of `n` atoms among the real modes `used_cm1`: the 3N−5
/// (linear), 3N−6 (nonlinear) or 0 (monatomic) highest. Further modes are translations and
/// rotations, left out with a warning; fewer real modes than that is an error.
fn gas_vibrations(
    used_cm1: &[f64],
    n: usize,
    geometry: Geometry,
    warnings: &mut Vec<String>,
) -> Result<Vec<f64>, String> {
    let want = match geometry {
        Geometry::Monatomic => 0,
        Geometry::Linear => (3 * n).saturating_sub(5),
        Geometry::Nonlinear => (3 * n).saturating_sub(6),
    };
    let mut vib: Vec<f64> = used_cm1.to_vec();
    vib.sort_by(|a, b| b.total_cmp(a));
    if vib.len() > want {
        let cut: Vec<String> = vib[want..].iter().map(|f| format!("{f:.1}")).collect();
        warnings.push(format!(
            "{} mode(s) beyond the {want} vibrations of a {:?} molecule left out as translations/rotations: {} cm-1",
            vib.len() - want,
            geometry,
            cut.join(", ")
        ));
        vib.truncate(want);
    } else if vib.len() < want {
        return Err(format!(
            "a {:?} molecule of {n} atoms has {want} vibrations; {} real frequencies were given",
            geometry,
            vib.len()
        ));
    }
    Ok(vib)
}

/// Translational entropy of an ideal gas of molecules of mass m (kg) at P° and temperature
/// T, eV/K (Sackur–Tetrode): S_t = k [ln((2π m k T/h²)^{3/2} · kT/P°) + 5/2].
fn translational_entropy(mass_kg: f64, t: f64) -> f64 {
    KB_EV
        * (((2.0 * std::f64::consts::PI * mass_kg * KB_J * t / (H_J * H_J)).powf(1.5) * KB_J * t
            / P_STANDARD)
            .ln()
            + 2.5)
}

/// Rotational entropy (eV/K) and ∫C dT (eV) of a rigid rotor with principal moments
/// `inertia` (amu·Å², ascending) and symmetry number σ at temperature T:
///
/// - monatomic: 0 and 0;
/// - linear: S_r = k [ln(8π² I k T/(σ h²)) + 1], ∫C = kT (I the largest moment);
/// - nonlinear: S_r = k [ln(√(π I_A I_B I_C)/σ · (8π² k T/h²)^{3/2}) + 3/2], ∫C = 3/2 kT.
fn rotational_terms(
    geometry: Geometry,
    inertia: [f64; 3],
    symmetry_number: u32,
    t: f64,
) -> (f64, f64) {
    let kt = KB_EV * t;
    let to_si = AMU_KG * 1e-20;
    let sigma = symmetry_number.max(1) as f64;
    let pi = std::f64::consts::PI;
    match geometry {
        Geometry::Monatomic => (0.0, 0.0),
        Geometry::Linear => {
            let i = inertia[2] * to_si;
            (
                KB_EV * ((8.0 * pi * pi * i * KB_J * t / (sigma * H_J * H_J)).ln() + 1.0),
                kt,
            )
        }
        Geometry::Nonlinear => {
            let prod = inertia.iter().map(|x| x * to_si).product::<f64>();
            let s = KB_EV
                * (((pi * prod).sqrt() / sigma
                    * (8.0 * pi * pi * KB_J * t / (H_J * H_J)).powf(1.5))
                .ln()
                    + 1.5);
            (s, 1.5 * kt)
        }
    }
}

/// Tabulated corrections (from a paper's table): correction = ZPE + ∫C dT − TS.
pub fn tabulated(
    zpe: f64,
    heat_capacity_integral: f64,
    entropy_ts: f64,
    temperature_k: f64,
) -> Thermo {
    Thermo {
        model: "tabulated",
        temperature_k,
        pressure_pa: None,
        zpe,
        heat_capacity_integral,
        entropy: if temperature_k > 0.0 {
            entropy_ts / temperature_k
        } else {
            0.0
        },
        entropy_ts,
        correction: zpe + heat_capacity_integral - entropy_ts,
        frequencies_cm1: Vec::new(),
        dropped_imaginary_cm1: Vec::new(),
        raised_soft_modes_cm1: Vec::new(),
        soft_mode_floor: SoftModeFloor::None,
        warnings: Vec::new(),
    }
}

/// Rotational symmetry number of common molecules by formula (Hill-ordered element counts),
/// or `None` when unknown: the user must give it.
pub fn symmetry_number(elements: &[String]) -> Option<u32> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for e in elements {
        *counts.entry(e.as_str()).or_default() += 1;
    }
    let key: Vec<String> = counts.iter().map(|(e, n)| format!("{e}{n}")).collect();
    Some(match key.join(" ").as_str() {
        "H2" | "N2" | "O2" | "H2 O1" | "C1 O2" | "N1 O2" => 2,
        "H3 N1" => 3,
        "C1 H4" => 12,
        "C1 O1" | "N1 O1" | "N2 O1" | "H1 N1 O3" | "H3 N1 O1" | "H1 N1 O2" => 1,
        _ => return None,
    })
}

/// Monatomic, linear or nonlinear from the principal moments (the smallest ≈ 0 for linear).
pub fn geometry_of(elements: &[String], positions: &[[f64; 3]]) -> Geometry {
    if elements.len() == 1 {
        return Geometry::Monatomic;
    }
    let masses: Vec<f64> = elements
        .iter()
        .map(|e| atomic_mass(e).unwrap_or(1.0))
        .collect();
    let i = principal_moments(&masses, positions);
    if i[0] < 1e-3 * i[2].max(1e-12) {
        Geometry::Linear
    } else {
        Geometry::Nonlinear
    }
}

/// IUPAC 2016 standard atomic weights (abridged: the elements of catalysis work), amu.
pub fn atomic_mass(el: &str) -> Option<f64> {
    Some(match el {
        "H" => 1.008,
        "He" => 4.002602,
        "Li" => 6.94,
        "Be" => 9.0121831,
        "B" => 10.81,
        "C" => 12.011,
        "N" => 14.007,
        "O" => 15.999,
        "F" => 18.998403163,
        "Ne" => 20.1797,
        "Na" => 22.98976928,
        "Mg" => 24.305,
        "Al" => 26.9815385,
        "Si" => 28.085,
        "P" => 30.973761998,
        "S" => 32.06,
        "Cl" => 35.45,
        "Ar" => 39.948,
        "K" => 39.0983,
        "Ca" => 40.078,
        "Sc" => 44.955908,
        "Ti" => 47.867,
        "V" => 50.9415,
        "Cr" => 51.9961,
        "Mn" => 54.938044,
        "Fe" => 55.845,
        "Co" => 58.933194,
        "Ni" => 58.6934,
        "Cu" => 63.546,
        "Zn" => 65.38,
        "Ga" => 69.723,
        "Ge" => 72.630,
        "As" => 74.921595,
        "Se" => 78.971,
        "Br" => 79.904,
        "Kr" => 83.798,
        "Rb" => 85.4678,
        "Sr" => 87.62,
        "Y" => 88.90584,
        "Zr" => 91.224,
        "Nb" => 92.90637,
        "Mo" => 95.95,
        "Ru" => 101.07,
        "Rh" => 102.90550,
        "Pd" => 106.42,
        "Ag" => 107.8682,
        "Cd" => 112.414,
        "In" => 114.818,
        "Sn" => 118.710,
        "Sb" => 121.760,
        "Te" => 127.60,
        "I" => 126.90447,
        "Xe" => 131.293,
        "Cs" => 132.90545196,
        "Ba" => 137.327,
        "La" => 138.90547,
        "Ce" => 140.116,
        "Hf" => 178.49,
        "Ta" => 180.94788,
        "W" => 183.84,
        "Re" => 186.207,
        "Os" => 190.23,
        "Ir" => 192.217,
        "Pt" => 195.084,
        "Au" => 196.966569,
        "Hg" => 200.592,
        "Pb" => 207.2,
        "Bi" => 208.98040,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ASE 3.29.0 (tests/reference/ase_thermo.py, output in ase_thermo.out), 298.15 K.
    /// ASE uses CODATA 2014 constants, chepath CODATA 2018 (k_B differs by 3.5e-7
    /// relative): the terms agree to 2e-6 relative, far below any chemical meaning.
    fn rel(a: f64, b: f64) -> bool {
        (a - b).abs() <= 2e-6 * b.abs().max(1e-3)
    }

    #[test]
    fn harmonic_matches_ase() {
        let cases: [(&[f64], [f64; 4]); 2] = [
            (
                &[489.834536, 432.986796, 431.277441],
                [
                    0.08394342478293239,
                    0.021511025516074284,
                    0.030867591842777486,
                    0.07458685845622919,
                ],
            ),
            (
                &[
                    3685.330914,
                    524.895187,
                    518.886662,
                    409.394058,
                    235.207794,
                    226.788080,
                ],
                [
                    0.3471869158279952,
                    0.04747569100191329,
                    0.07606245275883106,
                    0.31860015407107745,
                ],
            ),
        ];
        for (f, [zpe, cv, ts, corr]) in cases {
            let t = harmonic(f, 298.15, SoftModeFloor::None);
            assert!(rel(t.zpe, zpe), "{} {zpe}", t.zpe);
            assert!(
                rel(t.heat_capacity_integral, cv),
                "cv {} {cv}",
                t.heat_capacity_integral
            );
            assert!(rel(t.entropy_ts, ts), "ts {} {ts}", t.entropy_ts);
            assert!(rel(t.correction, corr), "corr {} {corr}", t.correction);
        }
    }

    fn h2() -> Molecule {
        Molecule {
            elements: vec!["H".into(), "H".into()],
            positions: vec![[0.0; 3], [0.0, 0.0, 0.7414]],
            geometry: Geometry::Linear,
            symmetry_number: 2,
            spin: 0.0,
        }
    }

    #[test]
    fn ideal_gas_matches_ase_and_nist() {
        let t = ideal_gas(&[4401.21], &h2(), 298.15, 1e5, SoftModeFloor::None).unwrap();
        assert!(rel(t.zpe, 0.27284024471152063));
        assert!(rel(t.entropy, 0.0013508699363229966), "{}", t.entropy);
        // G - E from ASE: -0.03999763007587881; H - E = 0.3627642414388226
        assert!(
            (t.correction - (-0.03999763007587881)).abs() < 2e-6,
            "{}",
            t.correction
        );
        assert!(rel(t.zpe + t.heat_capacity_integral, 0.3627642414388226));
        // NIST: S°(H2, 298.15 K, 1 bar) = 130.68 J/(mol K). The classical rigid rotor (ASE's
        // model too) gives 130.34: 0.26 % low, the quantum rotational levels of H2 at 298 K.
        let s_jmol = t.entropy * 1.602176634e-19 * 6.02214076e23;
        assert!((s_jmol - 130.68).abs() < 0.5, "{s_jmol}");
        let a = 104.52f64.to_radians();
        let r = 0.9572;
        let w = Molecule {
            elements: vec!["O".into(), "H".into(), "H".into()],
            positions: vec![[0.0; 3], [r, 0.0, 0.0], [r * a.cos(), r * a.sin(), 0.0]],
            geometry: Geometry::Nonlinear,
            symmetry_number: 2,
            spin: 0.0,
        };
        let t = ideal_gas(
            &[3657.05, 1594.59, 3755.79],
            &w,
            298.15,
            1e5,
            SoftModeFloor::None,
        )
        .unwrap();
        assert!(rel(t.entropy, 0.0019552592904259975), "{}", t.entropy);
        assert!(
            (t.correction - 0.07828924655573422).abs() < 2e-6,
            "{}",
            t.correction
        );
    }

    #[test]
    fn ideal_gas_refuses_a_pressure_or_spin_its_logarithms_cannot_take() {
        // ln(P/P°) and ln(2S + 1): P ≤ 0 or S < 0 gave NaN or ∞, which dropped out of U_L
        for p in [0.0, -1e5, f64::NAN, f64::INFINITY] {
            let e = ideal_gas(&[4401.21], &h2(), 298.15, p, SoftModeFloor::None).unwrap_err();
            assert!(
                e.contains("expected a positive, finite pressure"),
                "{p}: {e}"
            );
        }
        for spin in [-1.0, f64::NAN] {
            let m = Molecule { spin, ..h2() };
            let e = ideal_gas(&[4401.21], &m, 298.15, 1e5, SoftModeFloor::None).unwrap_err();
            assert!(e.contains("expected a finite total spin"), "{spin}: {e}");
        }
        // a low pressure is a pressure: S rises by k ln(1e5 / 3500)
        let low = ideal_gas(&[4401.21], &h2(), 298.15, 3500.0, SoftModeFloor::None).unwrap();
        let std = ideal_gas(&[4401.21], &h2(), 298.15, 1e5, SoftModeFloor::None).unwrap();
        let k = 8.617333262e-5;
        assert!(((low.entropy - std.entropy) - k * (1e5f64 / 3500.0).ln()).abs() < 1e-12);
    }

    #[test]
    fn norskov_h_star_correction() {
        // ΔZPE − TΔS for H* from Nørskov 2004 Table 3: ZPE(H*) 0.17, TS(H*) ≈ 0;
        // H2: ZPE 0.27, TS 0.41. 0.17 − ½(0.27 − 0.41) = 0.24 eV.
        let hstar = tabulated(0.17, 0.0, 0.0, 298.15);
        let h2 = tabulated(0.27, 0.0, 0.41, 298.15);
        assert!((hstar.correction - 0.5 * h2.correction - 0.24).abs() < 1e-12);
    }

    #[test]
    fn imaginary_modes_are_dropped_by_name_and_floor_applies() {
        let t = harmonic(&[500.0, -120.0, 30.0], 298.15, SoftModeFloor::None);
        assert_eq!(t.dropped_imaginary_cm1, vec![120.0]);
        assert!(t.warnings[0].contains("120.0i"));
        let f = harmonic(
            &[500.0, 30.0],
            298.15,
            SoftModeFloor::EntropyOnly { cm1: 50.0 },
        );
        let g = harmonic(&[500.0, 50.0], 298.15, SoftModeFloor::None);
        assert!((f.entropy - g.entropy).abs() < 1e-15);
        assert!(f.zpe < g.zpe, "ZPE keeps the original mode");
        assert_eq!(f.raised_soft_modes_cm1, vec![(30.0, 50.0)]);
    }
}
