//! Species formulas and the automatic balancing of electrochemical steps.
//!
//! A species is written as in papers: `*NO3` or `NO3*` (adsorbed; `*` alone is the empty
//! site), `NO3-(aq)` (charge after the formula, phase in parentheses), `H2O(l)`, `NH3(g)`,
//! `NH4+(aq)`, `SO4 2-`-style charges as `SO4^2-`. The adsorption site counts as the
//! pseudo-element `*`, so sites are conserved too.
//!
//! A step from the species on one side to those on the other is balanced with water,
//! protons and electrons (Nørskov's computational hydrogen electrode bookkeeping):
//! O fixes the water produced, H the protons consumed, charge the electrons consumed;
//! every other element (and `*`) must already balance, or the step is refused naming it.

use serde::Serialize;
use std::collections::BTreeMap;

/// A parsed species.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Species {
    /// As written.
    pub name: String,
    /// Element counts; adsorption sites as `*`.
    pub composition: BTreeMap<String, i32>,
    pub charge: i32,
    /// `ads` for adsorbates and the empty site, else the phase in parentheses (`g`, `l`,
    /// `aq`, `s`) or `""`.
    pub phase: String,
}

impl Species {
    pub fn is_adsorbed(&self) -> bool {
        self.composition.contains_key("*")
    }

    /// The formula without site marker, charge or phase (`*NH2OH` → `NH2OH`).
    pub fn core(&self) -> String {
        core_of(&self.name)
    }
}

fn core_of(name: &str) -> String {
    let s = name.trim();
    let s = s.split('(').next().unwrap_or(s);
    let s = s.split('^').next().unwrap_or(s);
    s.trim_matches('*').trim_end_matches(['+', '-']).to_string()
}

/// Parse a species formula.
pub fn parse(name: &str) -> Result<Species, String> {
    let raw = name.trim();
    if raw.is_empty() {
        return Err("an empty species name".into());
    }
    // the phase is one bracket that ends the name: `NH3(g)`, `NO3-(aq)`
    let (body, phase) = match raw.find('(') {
        Some(k) => {
            let end = raw[k + 1..]
                .find(')')
                .map(|e| k + 1 + e)
                .ok_or_else(|| format!("'{raw}': '(' without ')' after it"))?;
            if end + 1 != raw.len() {
                return Err(format!(
                    "'{raw}': text after the phase '{}': a phase in brackets ends the name, as in NH3(g)",
                    &raw[k..=end]
                ));
            }
            (&raw[..k], raw[k + 1..end].trim().to_string())
        }
        None => (raw, String::new()),
    };
    let mut body = body.trim().to_string();
    let mut sites = 0;
    while body.starts_with('*') {
        sites += 1;
        body.remove(0);
    }
    while body.ends_with('*') {
        sites += 1;
        body.pop();
    }
    // charge: trailing +/-, with an optional count (`^2-`, `2-` after '^')
    let mut charge = 0i32;
    if let Some(k) = body.find('^') {
        let c = body[k + 1..].to_string();
        body.truncate(k);
        // the last character (any width: a name may hold any text) is the sign
        let cut = c.char_indices().last().map_or(0, |(k, _)| k);
        let (num, sign) = c.split_at(cut);
        let n: i32 = if num.is_empty() {
            1
        } else {
            num.parse()
                .map_err(|_| format!("'{raw}': charge '^{c}' is not like ^2-"))?
        };
        charge = match sign {
            "+" => n,
            "-" => -n,
            _ => return Err(format!("'{raw}': charge '^{c}' must end in + or -")),
        };
    } else {
        while body.ends_with('+') || body.ends_with('-') {
            charge += if body.ends_with('+') { 1 } else { -1 };
            body.pop();
        }
    }
    let mut comp: BTreeMap<String, i32> = BTreeMap::new();
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_uppercase() {
            return Err(format!(
                "'{raw}': expected an element symbol at '{}'",
                chars[i..].iter().collect::<String>()
            ));
        }
        let mut sym = c.to_string();
        i += 1;
        while i < chars.len() && chars[i].is_ascii_lowercase() {
            sym.push(chars[i]);
            i += 1;
        }
        let mut num = String::new();
        while i < chars.len() && chars[i].is_ascii_digit() {
            num.push(chars[i]);
            i += 1;
        }
        let n: i32 = if num.is_empty() {
            1
        } else {
            num.parse()
                .map_err(|_| format!("'{raw}': count too large"))?
        };
        *comp.entry(sym).or_default() += n;
    }
    if sites > 0 {
        comp.insert("*".into(), sites);
    }
    if comp.is_empty() {
        return Err(format!("'{raw}': no elements and no site"));
    }
    Ok(Species {
        name: raw.to_string(),
        composition: comp,
        charge,
        phase: if sites > 0 { "ads".into() } else { phase },
    })
}

/// How a step is balanced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// H₂O produced (negative: consumed).
    pub water: i32,
    /// H⁺ consumed (negative: produced).
    pub protons: i32,
    /// e⁻ consumed (negative: produced). The n of ΔG(U) = ΔG(0) + n·eU on the SHE scale.
    pub electrons: i32,
}

/// Balance `from` → `to` with H₂O, H⁺ and e⁻:
/// water = O(from) − O(to); protons = H(to) + 2·water − H(from);
/// electrons = charge(from) + protons − charge(to). Every other element must balance.
pub fn balance(from: &[Species], to: &[Species]) -> Result<Balance, String> {
    let sum = |side: &[Species]| -> (BTreeMap<String, i32>, i32) {
        let mut m: BTreeMap<String, i32> = BTreeMap::new();
        let mut q = 0;
        for s in side {
            for (e, n) in &s.composition {
                *m.entry(e.clone()).or_default() += n;
            }
            q += s.charge;
        }
        (m, q)
    };
    let (a, qa) = sum(from);
    let (b, qb) = sum(to);
    let get = |m: &BTreeMap<String, i32>, e: &str| m.get(e).copied().unwrap_or(0);
    let water = get(&a, "O") - get(&b, "O");
    let protons = get(&b, "H") + 2 * water - get(&a, "H");
    let electrons = qa + protons - qb;
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for e in keys {
        if e == "O" || e == "H" {
            continue;
        }
        let (x, y) = (get(&a, e), get(&b, e));
        if x != y {
            let what = if e == "*" {
                "adsorption sites (*)".to_string()
            } else {
                e.clone()
            };
            return Err(format!(
                "{} → {}: {what} does not balance ({x} on the left, {y} on the right); only H2O, H+ and e- are added automatically",
                names(from),
                names(to)
            ));
        }
    }
    Ok(Balance {
        water,
        protons,
        electrons,
    })
}

pub fn names(side: &[Species]) -> String {
    side.iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The step written out with what balancing added, e.g. `*NO2H + H+ + e- → *NO + H2O`.
pub fn equation(from: &[Species], to: &[Species], b: &Balance) -> String {
    let mut left = vec![names(from)];
    let mut right = vec![names(to)];
    let term = |n: i32, what: &str| {
        if n.abs() == 1 {
            what.to_string()
        } else {
            format!("{} {what}", n.abs())
        }
    };
    if b.water > 0 {
        right.push(term(b.water, "H2O"));
    } else if b.water < 0 {
        left.push(term(b.water, "H2O"));
    }
    let pairs = b.protons.min(b.electrons).max(0);
    if pairs > 0 && b.protons == b.electrons {
        left.push(term(pairs, "(H+ + e-)"));
    } else {
        for (n, w) in [(b.protons, "H+"), (b.electrons, "e-")] {
            if n > 0 {
                left.push(term(n, w));
            } else if n < 0 {
                right.push(term(n, w));
            }
        }
    }
    format!("{} → {}", left.join(" + "), right.join(" + "))
}

#[cfg(test)]
mod tests {
    /// Brackets out of order or not at the end are errors, never a panic (fuzz: the network
    /// target's `initial = "N)g(H3CUuN5WW"` sliced backwards) nor a name read in part.
    #[test]
    fn misplaced_brackets_are_errors() {
        for (name, says) in [
            ("N)g(H3CUuN5WW", "'(' without ')' after it"),
            ("NH3(g", "'(' without ')' after it"),
            ("NH3(g)x", "text after the phase '(g)'"),
            ("Ca(OH)2", "text after the phase '(OH)'"),
            (")(", "'(' without ')' after it"),
        ] {
            let e = super::parse(name).expect_err(name);
            assert!(e.contains(says), "{name}: {e}");
        }
        assert!(super::parse("N)H3").is_err());
        // a charge ending in a character of more than one byte (fuzz: `*NHʹ` sliced inside ʹ)
        for name in ["gt^*NHʹ", "NH^ʹ", "N^2ʹ", "N^ʹ"] {
            let e = super::parse(name).expect_err(name);
            assert!(e.contains("charge"), "{name}: {e}");
        }
        assert_eq!(super::parse("SO4^2-").expect("sulfate").charge, -2);
        assert!(super::parse("()").is_err(), "no formula, no phase name");
        let ok = super::parse("NO3-(aq)").expect("nitrate");
        assert_eq!((ok.phase.as_str(), ok.charge), ("aq", -1));
    }

    use super::*;

    fn side(s: &[&str]) -> Vec<Species> {
        s.iter().map(|x| parse(x).unwrap()).collect()
    }

    #[test]
    fn parses_paper_notation() {
        let s = parse("*NO3").unwrap();
        assert_eq!(s.composition["N"], 1);
        assert_eq!(s.composition["O"], 3);
        assert!(s.is_adsorbed());
        assert_eq!(parse("NH2OH*").unwrap().composition["H"], 3);
        let n = parse("NO3-(aq)").unwrap();
        assert_eq!((n.charge, n.phase.as_str()), (-1, "aq"));
        assert_eq!(parse("NH4+(aq)").unwrap().charge, 1);
        assert_eq!(parse("SO4^2-").unwrap().charge, -2);
        assert_eq!(parse("H2O(l)").unwrap().phase, "l");
        assert_eq!(parse("*").unwrap().composition["*"], 1);
        assert_eq!(parse("*NH2OH").unwrap().core(), "NH2OH");
        assert!(parse("no3").is_err());
    }

    #[test]
    fn no3rr_steps_balance() {
        // adsorption: * + NO3-(aq) → *NO3 + e-
        let b = balance(&side(&["*", "NO3-(aq)"]), &side(&["*NO3"])).unwrap();
        assert_eq!(
            b,
            Balance {
                water: 0,
                protons: 0,
                electrons: -1
            }
        );
        // *NO3H → *NO2 + H2O, one (H+ + e-)
        let b = balance(&side(&["*NO3H"]), &side(&["*NO2"])).unwrap();
        assert_eq!(
            b,
            Balance {
                water: 1,
                protons: 1,
                electrons: 1
            }
        );
        assert_eq!(
            equation(&side(&["*NO3H"]), &side(&["*NO2"]), &b),
            "*NO3H + (H+ + e-) → *NO2 + H2O"
        );
        // lumped *NO3 → *NO2: two pairs
        let b = balance(&side(&["*NO3"]), &side(&["*NO2"])).unwrap();
        assert_eq!((b.protons, b.electrons), (2, 2));
        // desorption is chemical
        let b = balance(&side(&["*NH3"]), &side(&["*", "NH3(g)"])).unwrap();
        assert_eq!(
            b,
            Balance {
                water: 0,
                protons: 0,
                electrons: 0
            }
        );
        // overall
        let b = balance(&side(&["*", "NO3-(aq)"]), &side(&["*", "NH3(g)"])).unwrap();
        assert_eq!(
            b,
            Balance {
                water: 3,
                protons: 9,
                electrons: 8
            }
        );
    }

    #[test]
    fn unbalanced_steps_name_the_element() {
        let e = balance(&side(&["*NO"]), &side(&["*N2O"])).unwrap_err();
        assert!(
            e.contains("N does not balance (1 on the left, 2 on the right)"),
            "{e}"
        );
        // a multi-step jump balances: *NO → *NH2 is one water and four pairs
        let b = balance(&side(&["*NO"]), &side(&["*NH2"])).unwrap();
        assert_eq!((b.water, b.protons, b.electrons), (1, 4, 4));
        let e = balance(&side(&["*NO2"]), &side(&["*", "NO2"])).unwrap();
        assert_eq!(e.electrons, 0);
        let e = balance(&side(&["*NH"]), &side(&["*NOH"])).unwrap();
        // the paper's "*NH to *NOH" label: O is added as -1 water, i.e. it is an oxidation
        assert!(e.electrons < 0, "{e:?}");
        let e = balance(&side(&["*O"]), &side(&["O"])).unwrap_err();
        assert!(e.contains("adsorption sites"), "{e}");
    }

    #[test]
    fn oer_is_oxidation() {
        let b = balance(&side(&["*", "H2O(l)"]), &side(&["*OH"])).unwrap();
        assert_eq!(
            b,
            Balance {
                water: 0,
                protons: -1,
                electrons: -1
            }
        );
    }
}
