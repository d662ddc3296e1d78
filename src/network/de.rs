//! Hand-written `Deserialize` impls of the network file's tables where serde's derive would
//! lose the line of an error or accept what no one means:
//! - `#[serde(flatten)]` and `#[serde(untagged)]` buffer their input, so an error inside
//!   `[references]`, `[corrections]` or `[conventions]` pointed at the table's header and
//!   said "data did not match any variant of untagged enum CorrectionValue"; read key by
//!   key here, TOML's error points at the value and says what was expected;
//! - an untagged `{ zpe = …, ts = …, cp = … }` took unknown keys, so a misspelt term
//!   (`{ zpee = 0.35 }`) was a correction of 0 without a word;
//! - a derived struct also takes an array of its fields in order (`[0.8, …13 values]`);
//! - `[layout] clean = 1` said "data did not match any variant of untagged enum Names".

use super::{Conventions, CorrectionValue, Corrections, Names, References, SettingValue, Value};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // the derived (`remote = "Self"`) serializer
        Value::serialize(self, s)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TableOnly;
        impl<'de> Visitor<'de> for TableOnly {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a table such as { G = 0.80 }, { energy = -6.77 } or { calc = \"dir\" }",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
                Value::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(TableOnly)
    }
}

impl<'de> Deserialize<'de> for References {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = References;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of references such as H2 = { calc = \"H2\" }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<References, A::Error> {
                let mut r = References::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "atoms" {
                        r.atoms = map.next_value()?;
                    } else {
                        let v = map.next_value()?;
                        r.named.insert(key, v);
                    }
                }
                Ok(r)
            }
        }
        d.deserialize_map(Entries)
    }
}

impl<'de> Deserialize<'de> for Corrections {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Corrections;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of corrections such as \"*OH\" = 0.30")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Corrections, A::Error> {
                let mut c = Corrections::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "default" {
                        c.default = Some(map.next_value()?);
                    } else {
                        let v = map.next_value()?;
                        c.species.insert(key, v);
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_map(Entries)
    }
}

/// The terms of a correction, every one optional (0), no other key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Terms {
    #[serde(default)]
    zpe: f64,
    #[serde(default)]
    ts: f64,
    #[serde(default)]
    cp: f64,
}

impl<'de> Deserialize<'de> for CorrectionValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumberOrTerms;
        impl<'de> Visitor<'de> for NumberOrTerms {
            type Value = CorrectionValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a correction in eV (0.30) or its terms ({ zpe = 0.35, ts = 0.05, cp = 0.04 })",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CorrectionValue, E> {
                Ok(CorrectionValue::Total(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CorrectionValue, E> {
                Ok(CorrectionValue::Total(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CorrectionValue, E> {
                Ok(CorrectionValue::Total(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CorrectionValue, A::Error> {
                let t = Terms::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(CorrectionValue::Terms {
                    zpe: t.zpe,
                    ts: t.ts,
                    cp: t.cp,
                })
            }
        }
        d.deserialize_any(NumberOrTerms)
    }
}

impl<'de> Deserialize<'de> for SettingValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NumberOrName;
        impl<'de> Visitor<'de> for NumberOrName {
            type Value = SettingValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a name")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<SettingValue, E> {
                Ok(SettingValue::Number(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SettingValue, E> {
                Ok(SettingValue::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SettingValue, E> {
                Ok(SettingValue::Number(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SettingValue, E> {
                Ok(SettingValue::Text(v.to_string()))
            }
        }
        d.deserialize_any(NumberOrName)
    }
}

impl<'de> Deserialize<'de> for Conventions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = Conventions;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of conventions such as U = 0.0, pH = 7")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Conventions, A::Error> {
                let mut c = Conventions::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "temperature" => c.temperature = map.next_value()?,
                        "energy" => c.energy = map.next_value()?,
                        "U" => c.u = map.next_value()?,
                        "scale" => c.scale = map.next_value()?,
                        "pH" => c.ph = map.next_value()?,
                        "soft_mode_floor" => c.soft_mode_floor = map.next_value()?,
                        // the reaction's own settings; `NetworkFile::resolve` refuses others
                        _ => {
                            let v = map.next_value()?;
                            c.reaction.insert(key, v);
                        }
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_map(Keys)
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OneOrMany;
        impl<'de> Visitor<'de> for OneOrMany {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a directory name (\"slab\") or a list of them ([\"slab\", \"bare\"])")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
                Ok(Names::One(v.to_string()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(n) = seq.next_element::<String>()? {
                    names.push(n);
                }
                Ok(Names::Many(names))
            }
        }
        d.deserialize_any(OneOrMany)
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    const HEAD: &str = "[network]\ntemplate = \"orr\"\n";

    /// The parse error of `text`, which must fail.
    fn error(text: &str) -> String {
        parse(text, "n.toml").expect_err(text)
    }

    #[test]
    fn an_error_in_a_table_points_at_its_value() {
        // line 4 is the value: the error used to point at the [references] header (line 3)
        let e = error(&format!("{HEAD}[references]\nH2 = {{ G = \"a\" }}\n"));
        assert!(
            e.contains("line 4, column 12") && e.contains("expected f64"),
            "{e}"
        );
        let e = error(&format!(
            "{HEAD}[corrections]\ndefault = 0\n\"*OH\" = \"x\"\n"
        ));
        assert!(
            e.contains("line 5") && e.contains("a correction in eV"),
            "{e}"
        );
        let e = error(&format!("{HEAD}[conventions]\nU = 0\nsome_setting = [1]\n"));
        assert!(
            e.contains("line 5") && e.contains("a number or a name"),
            "{e}"
        );
        let e = error(&format!("{HEAD}[references.atoms]\nH = \"x\"\n"));
        assert!(e.contains("line 4") && e.contains("expected f64"), "{e}");
    }

    #[test]
    fn a_misspelt_correction_term_is_an_error_not_zero() {
        let e = error(&format!(
            "{HEAD}[corrections]\n\"*OH\" = {{ zpee = 0.35 }}\n"
        ));
        assert!(
            e.contains("unknown field `zpee`, expected one of `zpe`, `ts`, `cp`"),
            "{e}"
        );
        let f = parse(
            &format!("{HEAD}[corrections]\ndefault = 0\n\"*OH\" = {{ zpe = 0.35, ts = 0.05 }}\n\"*O\" = 1\n\"*OOH\" = 0.25\n"),
            "n.toml",
        )
        .expect("corrections");
        let c = f.corrections.expect("the table");
        assert_eq!(c.default, Some(0.0));
        // ZPE + ∫C dT − TS: 0.35 + 0 − 0.05
        assert!((c.species["*OH"].total() - 0.30).abs() < 1e-12);
        assert_eq!(c.species["*O"], CorrectionValue::Total(1.0));
        assert_eq!(c.species["*OOH"], CorrectionValue::Total(0.25));
    }

    #[test]
    fn conventions_and_references_are_read_key_by_key() {
        let f = parse(
            &format!("{HEAD}[conventions]\npH = 7\nU = -0.5\ntemperature = 300\nscale = \"SHE\"\nenergy = \"toten\"\nsoft_mode_floor = 50\nsome_setting = \"gas\"\nother = 2\n[references]\nH2 = {{ G = 0.5 }}\n[references.atoms]\nN = -8.3\n"),
            "n.toml",
        )
        .expect("file");
        let c = &f.conventions;
        assert_eq!(
            (c.ph, c.u, c.temperature, c.soft_mode_floor),
            (7.0, -0.5, 300.0, 50.0)
        );
        assert_eq!((c.scale.as_str(), c.energy.as_str()), ("SHE", "toten"));
        assert_eq!(c.reaction["some_setting"], SettingValue::Text("gas".into()));
        assert_eq!(c.reaction["other"], SettingValue::Number(2.0));
        assert_eq!(f.references["H2"].g, Some(0.5));
        assert_eq!(f.references.atoms["N"], -8.3);
        // what is not written keeps its default
        let d = parse(HEAD, "n.toml").expect("file");
        assert_eq!(d.conventions, Conventions::default());
        let e = error(&format!("{HEAD}[conventions]\npH = true\n"));
        assert!(e.contains("line 4") && e.contains("expected f64"), "{e}");
    }

    #[test]
    fn layout_clean_is_a_name_or_names() {
        let layout =
            |v: &str| format!("{HEAD}[layout]\npattern = \"{{model}}/{{state}}\"\nclean = {v}\n");
        let f = parse(&layout("\"slab\""), "n.toml").expect("one");
        assert_eq!(
            f.layout.and_then(|l| l.clean),
            Some(Names::One("slab".into()))
        );
        let f = parse(&layout("[\"slab\", \"bare\"]"), "n.toml").expect("many");
        assert_eq!(
            f.layout.and_then(|l| l.clean),
            Some(Names::Many(vec!["slab".into(), "bare".into()]))
        );
        // it said "data did not match any variant of untagged enum Names"
        let e = error(&layout("1"));
        assert!(
            e.contains("line 5") && e.contains("a directory name (\"slab\") or a list"),
            "{e}"
        );
        let e = error(&layout("[\"slab\", 2]"));
        assert!(
            e.contains("line 5") && e.contains("expected a string"),
            "{e}"
        );
    }

    #[test]
    fn core_conventions_are_held_to_the_command_lines_bounds() {
        // `--U 1e300` was refused, `[conventions] U = 1e300` used (and printed in 301 digits)
        for (line, says) in [
            (
                "U = 1e300",
                "n.toml:4: conventions.U = 1e300: expected from -50 to 50 V",
            ),
            (
                "pH = 21",
                "n.toml:4: conventions.pH = 21: expected from -5 to 20",
            ),
            (
                "temperature = 0",
                "n.toml:4: conventions.temperature = 0: expected above 0",
            ),
            (
                "temperature = 1e9",
                "conventions.temperature = 1e9: expected above 0 and at most 10000 K",
            ),
            (
                "soft_mode_floor = -1",
                "n.toml:4: conventions.soft_mode_floor = -1: expected from 0 to 1000 cm-1",
            ),
        ] {
            let e = error(&format!("{HEAD}[conventions]\n{line}\n"));
            assert!(e.contains(says), "{line}: {e}");
        }
        let f = parse(
            &format!("{HEAD}[conventions]\nU = -50\npH = 20\ntemperature = 1e4\n"),
            "n.toml",
        );
        assert!(f.is_ok(), "the bounds themselves are accepted: {f:?}");
    }
}
