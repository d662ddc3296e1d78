//! The ranges of the physical settings chepath accepts (electrode potential, pH,
//! temperature, pressure, spin, soft-mode floor, neighbour cutoff, symmetry number,
//! frequencies, check tolerance), in one place, so that a value is refused or accepted alike
//! wherever it is given: a command-line option, a Python argument, a network file's
//! `[conventions]` or an expected file of `chepath check`. Each error states the bounds.
//! NaN and infinities are outside every range.

/// A closed (or half-open at the low end) range of one setting, with its unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// Smallest value accepted (inclusive unless `open_low`).
    pub low: f64,
    /// Largest value accepted (inclusive).
    pub high: f64,
    /// The low end itself is refused (a temperature or pressure of 0).
    pub open_low: bool,
    pub unit: &'static str,
}

impl Bounds {
    pub const fn closed(low: f64, high: f64, unit: &'static str) -> Bounds {
        Bounds {
            low,
            high,
            open_low: false,
            unit,
        }
    }

    pub const fn above(low: f64, high: f64, unit: &'static str) -> Bounds {
        Bounds {
            low,
            high,
            open_low: true,
            unit,
        }
    }

    /// `from -50 to 50 V`, `above 0 and at most 10000 K`.
    pub fn describe(&self) -> String {
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        if self.open_low {
            format!("above {} and at most {}{unit}", self.low, self.high)
        } else {
            format!("from {} to {}{unit}", self.low, self.high)
        }
    }

    /// Whether `v` is within the bounds (never for NaN or an infinity).
    pub fn contains(&self, v: f64) -> bool {
        let low_ok = if self.open_low {
            v > self.low
        } else {
            v >= self.low
        };
        v.is_finite() && low_ok && v <= self.high
    }

    /// `v` if within the bounds, else `NAME = v: expected …` with the bounds.
    pub fn check(&self, name: &str, v: f64) -> Result<f64, String> {
        if self.contains(v) {
            Ok(v)
        } else {
            Err(format!(
                "{name} = {}: expected {}",
                show(v),
                self.describe()
            ))
        }
    }
}

/// A number as a message shows it: as written for everyday sizes, in exponent form beyond
/// (`1e300`, not 301 digits).
pub fn show(v: f64) -> String {
    let a = v.abs();
    if a.is_finite() && a != 0.0 && !(1e-4..1e9).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// Electrode potentials (`--U`, `--at`): beyond ±50 V no electrode is meant.
pub const POTENTIAL: Bounds = Bounds::closed(-50.0, 50.0, "V");
/// pH: the aqueous range and somewhat beyond (superacids, concentrated bases).
pub const PH: Bounds = Bounds::closed(-5.0, 20.0, "");
/// Temperature, K (0 K is refused: the entropy and ideal-gas terms divide by T).
pub const TEMPERATURE: Bounds = Bounds::above(0.0, 10_000.0, "K");
/// Ideal-gas pressure, bar.
pub const PRESSURE: Bounds = Bounds::above(0.0, 1e6, "bar");
/// Electronic spin S of a molecule.
pub const SPIN: Bounds = Bounds::closed(0.0, 10.0, "");
/// Soft-mode floor, cm-1 (VASPKIT: 50, ASE QuasiHarmonic: 100).
pub const SOFT_FLOOR: Bounds = Bounds::closed(0.0, 1000.0, "cm-1");
/// Neighbour cutoff of El@NbN selections, Angstrom (periodic images are searched within it).
pub const CUTOFF: Bounds = Bounds::above(0.0, 10.0, "Angstrom");
/// Rotational symmetry numbers: 1 (no symmetry) to 60 (icosahedral, the largest).
pub const SYMMETRY: std::ops::RangeInclusive<u32> = 1..=60;
/// Vibrational frequencies, |ν| in cm-1 (the H2 stretch is 4400).
pub const FREQ_CM1: f64 = 100_000.0;
/// Tolerance of `chepath check`, eV or V: finite (an infinite one passes every value, a
/// check that cannot fail) and ≥ 0.
pub const TOLERANCE: Bounds = Bounds::closed(0.0, 100.0, "eV or V");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_nan_and_infinities() {
        assert!(POTENTIAL.contains(-50.0) && POTENTIAL.contains(50.0));
        assert!(!POTENTIAL.contains(50.000001) && !POTENTIAL.contains(f64::NAN));
        assert!(!TEMPERATURE.contains(0.0) && TEMPERATURE.contains(1e-9));
        assert!(!TOLERANCE.contains(f64::INFINITY) && !TOLERANCE.contains(-0.001));
        assert!(TOLERANCE.contains(0.0));
        assert_eq!(
            PH.check("pH", 21.0).unwrap_err(),
            "pH = 21: expected from -5 to 20"
        );
        assert_eq!(
            TEMPERATURE.check("T", 0.0).unwrap_err(),
            "T = 0: expected above 0 and at most 10000 K"
        );
        assert_eq!(
            PH.check("pH", 1e300).unwrap_err(),
            "pH = 1e300: expected from -5 to 20"
        );
        assert_eq!(show(-2.5e-7), "-2.5e-7");
        assert_eq!(show(0.78), "0.78");
        assert_eq!(show(f64::NAN), "NaN");
    }
}
