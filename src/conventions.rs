//! The conventions that change a number, as types: every choice a user can make is an enum,
//! so a typo in a network file or on the command line is an error naming the valid values.
//!
//! | choice | values (default first) | where |
//! |---|---|---|
//! | [`EnergyKind`] | `sigma0` (E0, as pymatgen and ASE), `toten` (F) | `[conventions] energy` |
//! | [`Scale`] | `RHE`, `SHE` | `[conventions] scale` |
//! | [`Treatment`] | `chemical`, `electrochemical` | an adsorption step's setting (e.g. no3rr's `nitrate_adsorption`) |
//! | [`Window`] | `full`, `vaspkit`, `MIN:MAX` | d-band moments (`--window`, `[dband.M] window`) |
//! | [`SpinMode`] | `sum`, `up`, `down`, `mean` | d-band moments (`--spin`) |
//! | [`Orbital`] | `d`, `s`, `p`, `f`, `dxy`, … | d-band moments (`--orbital`) |

use serde::{Deserialize, Serialize};

/// An enum of named choices that (de)serialises as its name and reports a wrong name with
/// the valid ones: `'free': expected 'sigma0' or 'toten'`.
macro_rules! choice {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name as written in files and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// `'a', 'b' or 'c'`: the valid names, for error messages.
            pub fn expected() -> String {
                $crate::conventions::one_of(&Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text $(| $alias)* => Ok($name::$variant),)+
                    _ => Err(format!("'{s}': expected {}", Self::expected())),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use choice;

/// `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
pub fn one_of(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

choice! {
    /// Which OUTCAR energy of a step: E0 = energy(sigma->0) (the default, as pymatgen's
    /// `final_energy` and ASE's default) or the free energy TOTEN (F, ASE's
    /// `force_consistent=True`).
    pub enum EnergyKind {
        Sigma0 = "sigma0",
        Toten = "toten",
    }
}

impl EnergyKind {
    /// `energy(sigma->0) (E0)` or `TOTEN (F)`, for convention lines.
    pub fn describe(self) -> &'static str {
        match self {
            EnergyKind::Sigma0 => "energy(sigma->0) (E0)",
            EnergyKind::Toten => "TOTEN (F)",
        }
    }

    /// `E0` or `TOTEN`, for provenance (`OUTCAR:123 (step 4, E0)`).
    pub fn short(self) -> &'static str {
        match self {
            EnergyKind::Sigma0 => "E0",
            EnergyKind::Toten => "TOTEN",
        }
    }

    /// `E(σ→0)` or `TOTEN (F)`, for figure captions.
    pub fn symbol(self) -> &'static str {
        match self {
            EnergyKind::Sigma0 => "E(σ→0)",
            EnergyKind::Toten => "TOTEN (F)",
        }
    }
}

choice! {
    /// The scale of the electrode potential U.
    pub enum Scale {
        /// Reversible hydrogen electrode: the (H⁺ + e⁻) pair does not move with pH.
        Rhe = "RHE",
        /// Standard hydrogen electrode: U_SHE = U_RHE − kT ln10 · pH.
        She = "SHE",
    }
}

choice! {
    /// How a step whose treatment is a convention (an adsorption that releases an electron,
    /// such as * + NO₃⁻ → *NO₃ + e⁻) enters the engine.
    pub enum Treatment {
        /// U-independent, evaluated at U_RHE = 0 (as most papers).
        Chemical = "chemical",
        /// ΔG(U) = ΔG(0) + n·eU like any electrochemical step.
        Electrochemical = "electrochemical",
    }
}

/// Energy window over which d-band moments are taken (eV, relative to E-fermi).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Window {
    /// The whole energy grid of the file (pymatgen's default).
    Full,
    /// [min, max], inclusive. VASPKIT uses [-10, 5].
    Range { min: f64, max: f64 },
}

impl Window {
    /// VASPKIT's default window, [-10, 5] eV.
    pub const VASPKIT: Window = Window::Range {
        min: -10.0,
        max: 5.0,
    };

    /// True when `e` lies inside the window (inclusive bounds).
    pub fn contains(&self, e: f64) -> bool {
        match *self {
            Window::Full => true,
            Window::Range { min, max } => e >= min && e <= max,
        }
    }

    pub fn describe(&self) -> String {
        match *self {
            Window::Full => "full energy grid of the file".into(),
            Window::Range { min, max } => format!("[{min}, {max}] eV relative to E-fermi"),
        }
    }
}

impl std::str::FromStr for Window {
    type Err = String;
    /// `full`, `vaspkit` or `MIN:MAX` (eV from E-fermi, MIN < MAX, both finite).
    fn from_str(s: &str) -> Result<Window, String> {
        match s.trim() {
            "full" => Ok(Window::Full),
            "vaspkit" => Ok(Window::VASPKIT),
            w => {
                let expected = "expected full, vaspkit or MIN:MAX (eV from E-fermi), e.g. -10:5";
                let (a, b) = w
                    .split_once(':')
                    .ok_or_else(|| format!("'{w}': {expected}"))?;
                let num = |x: &str| {
                    x.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| format!("'{w}': '{}' is not a number; {expected}", x.trim()))
                };
                let (a, b) = (num(a)?, num(b)?);
                if b <= a {
                    return Err(format!("'{w}': MIN must be below MAX"));
                }
                Ok(Window::Range { min: a, max: b })
            }
        }
    }
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// How the two spin channels of an ISPIN=2 file are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SpinMode {
    /// ρ↑ + ρ↓ before the moments (pymatgen `spin=None`). The default.
    Sum,
    Up,
    Down,
    /// The mean of the descriptors of the two channels (VASPKIT's "average").
    Mean,
}

impl std::str::FromStr for SpinMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "sum" => Ok(SpinMode::Sum),
            "up" => Ok(SpinMode::Up),
            "down" => Ok(SpinMode::Down),
            "mean" => Ok(SpinMode::Mean),
            _ => Err(format!("'{s}': expected 'sum', 'up', 'down' or 'mean'")),
        }
    }
}

impl SpinMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SpinMode::Sum => "sum",
            SpinMode::Up => "up",
            SpinMode::Down => "down",
            SpinMode::Mean => "mean",
        }
    }
}

/// Which projected orbital to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Orbital {
    /// All columns of angular momentum l (0 s, 1 p, 2 d, 3 f).
    L(u8),
    /// One lm column by name (`dxy`, `dz2`, …), from an lm-resolved file.
    Lm(String),
}

impl Orbital {
    pub fn name(&self) -> String {
        match self {
            Orbital::L(l) => ["s", "p", "d", "f"]
                .get(*l as usize)
                .unwrap_or(&"?")
                .to_string(),
            Orbital::Lm(n) => n.clone(),
        }
    }
}

impl std::str::FromStr for Orbital {
    type Err = String;
    /// `s`, `p`, `d`, `f`, or one lm channel as VASP names it (`x2-y2` is read as `dx2`).
    fn from_str(s: &str) -> Result<Orbital, String> {
        match s {
            "s" => Ok(Orbital::L(0)),
            "p" => Ok(Orbital::L(1)),
            "d" => Ok(Orbital::L(2)),
            "f" => Ok(Orbital::L(3)),
            "x2-y2" => Ok(Orbital::Lm("dx2".into())),
            "py" | "pz" | "px" | "dxy" | "dyz" | "dz2" | "dxz" | "dx2" | "fy3x2" | "fxyz"
            | "fyz2" | "fz3" | "fxz2" | "fzx2" | "fx3" => Ok(Orbital::Lm(s.into())),
            _ => Err(format!(
                "'{s}': expected s, p, d, f or an lm name (dxy, dyz, dz2, dxz, dx2, px, …)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_name_lists_the_valid_ones() {
        assert_eq!(
            "free".parse::<EnergyKind>().unwrap_err(),
            "'free': expected 'sigma0' or 'toten'"
        );
        assert_eq!("SHE".parse::<Scale>(), Ok(Scale::She));
        assert_eq!(one_of(&["a", "b", "c"]), "'a', 'b' or 'c'");
        #[derive(Deserialize)]
        struct T {
            #[allow(dead_code)]
            t: Treatment,
        }
        let e = toml::from_str::<T>("t = \"electro\"")
            .err()
            .map(|e| e.to_string());
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("expected 'chemical' or 'electrochemical'")),
            "{e:?}"
        );
    }

    #[test]
    fn windows_parse_and_refuse() {
        assert_eq!("full".parse::<Window>(), Ok(Window::Full));
        assert_eq!("vaspkit".parse::<Window>(), Ok(Window::VASPKIT));
        assert_eq!(
            "-8:2".parse::<Window>(),
            Ok(Window::Range {
                min: -8.0,
                max: 2.0
            })
        );
        assert!("2:-8".parse::<Window>().is_err());
        assert!("a:2".parse::<Window>().is_err());
        assert!("nan:2".parse::<Window>().is_err());
        assert!("-10".parse::<Window>().is_err());
    }

    #[test]
    fn orbitals() {
        assert_eq!("d".parse::<Orbital>(), Ok(Orbital::L(2)));
        assert_eq!("x2-y2".parse::<Orbital>(), Ok(Orbital::Lm("dx2".into())));
        assert!("q".parse::<Orbital>().is_err());
    }
}
