//! Where a network file came from, and the line of one of its entries: so that an error
//! about a step or a model's key names the file and the line to fix, as a TOML syntax
//! error does; other errors of the file's network (`expanded`) name the file.
//!
//! The text is kept beside the parsed file (it is at most `load::MAX_TEXT_BYTES`) and
//! parsed again with spans only when an error needs a line.

use super::NetworkFile;
use crate::error::{Error, Locus};
use std::sync::Arc;
use toml_edit::{ImDocument, Item, Table, Value};

/// The name a network file was read under and its text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    /// The path (or name) given to [`super::parse`].
    pub name: String,
    text: Arc<str>,
}

impl Origin {
    pub fn new(name: &str, text: &str) -> Origin {
        Origin {
            name: name.to_string(),
            text: Arc::from(text),
        }
    }

    /// The 1-based line where the entry `at` starts, when the file declares it.
    pub fn line_of(&self, at: &Locus) -> Option<usize> {
        let doc = ImDocument::parse(&*self.text).ok()?;
        let start = match at {
            Locus::Step { from, to } => ["steps", "lumped"].iter().find_map(|k| {
                let arr = doc.get("network")?.get(k)?;
                entry(arr, &|t| {
                    str_of(t, "from") == Some(from) && str_of(t, "to") == Some(to)
                })
            }),
            Locus::Network(key) => {
                let t = doc.get("network")?.as_table_like()?;
                t.get_key_value(key)?.0.span().map(|s| s.start)
            }
            Locus::Conventions(key) => {
                let t = doc.get("conventions")?.as_table_like()?;
                t.get_key_value(key)?.0.span().map(|s| s.start)
            }
            Locus::Model { model, key } => {
                let t = doc.get("models")?.get(model)?.as_table_like()?;
                let (k, _) = t.get_key_value(key)?;
                k.span().map(|s| s.start)
            }
            Locus::Reference(key) => {
                let t = doc.get("references")?.as_table_like()?;
                t.get_key_value(key)?.0.span().map(|s| s.start)
            }
            Locus::Barrier { model, key } => {
                let t = doc.get("barriers")?.get(model)?.as_table_like()?;
                t.get_key_value(key)?.0.span().map(|s| s.start)
            }
        }?;
        // bytes, not a str slice: a span that is not on a character boundary cannot panic
        let before = &self.text.as_bytes()[..start.min(self.text.len())];
        Some(before.iter().filter(|&&b| b == b'\n').count() + 1)
    }
}

/// A table or inline table's string value at `key`.
fn str_of<'a>(t: &'a dyn toml_edit::TableLike, key: &str) -> Option<&'a str> {
    t.get(key).and_then(Item::as_str)
}

/// The start of the first entry of an array of tables (or an inline array of inline
/// tables) that `pick` chooses.
fn entry(arr: &Item, pick: &dyn Fn(&dyn toml_edit::TableLike) -> bool) -> Option<usize> {
    match arr {
        Item::ArrayOfTables(a) => a
            .iter()
            .find(|t: &&Table| pick(*t))
            .and_then(|t| t.span().or_else(|| first_key_span(t)))
            .map(|s| s.start),
        Item::Value(Value::Array(a)) => a
            .iter()
            .find(|v| v.as_inline_table().is_some_and(|t| pick(t)))
            .and_then(Value::span)
            .map(|s| s.start),
        _ => None,
    }
}

/// A table of an array of tables may carry no span of its own: its first key's.
fn first_key_span(t: &Table) -> Option<std::ops::Range<usize>> {
    t.iter()
        .filter_map(|(k, _)| t.key(k).and_then(|k| k.span()))
        .min_by_key(|s| s.start)
}

/// The first number of `text` (a TOML file that parses) that is not finite, as
/// `(dotted key, 1-based line, value as written)`: `nan` or `inf` would silently drop out
/// of every maximum and minimum of the free energies (a `G = nan` step left U_L as if the
/// step were not there), so [`super::parse`] refuses them wherever they are.
pub(crate) fn non_finite(text: &str) -> Option<(String, usize, String)> {
    let doc = ImDocument::parse(text).ok()?;
    let (key, span) = in_table(doc.as_table(), "")?;
    let start = span.as_ref().map_or(0, |s| s.start).min(text.len());
    let line = text.as_bytes()[..start]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1;
    let written = span
        .and_then(|s| text.get(s))
        .map_or_else(|| "nan".to_string(), |w| w.trim().to_string());
    Some((key, line, written))
}

type Found = (String, Option<std::ops::Range<usize>>);

fn in_table(t: &dyn toml_edit::TableLike, path: &str) -> Option<Found> {
    t.iter().find_map(|(k, item)| {
        // as TOML writes the key: bare, or quoted when it has other characters
        let bare = !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        let k = if bare {
            k.to_string()
        } else {
            format!("{k:?}")
        };
        let here = if path.is_empty() {
            k
        } else {
            format!("{path}.{k}")
        };
        match item {
            Item::Value(v) => in_value(v, &here),
            Item::Table(t) => in_table(t, &here),
            Item::ArrayOfTables(a) => a
                .iter()
                .enumerate()
                .find_map(|(i, t)| in_table(t, &format!("{here}[{i}]"))),
            Item::None => None,
        }
    })
}

fn in_value(v: &Value, path: &str) -> Option<Found> {
    match v {
        Value::Float(f) if !f.value().is_finite() => Some((path.to_string(), v.span())),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| in_value(x, &format!("{path}[{i}]"))),
        Value::InlineTable(t) => in_table(t, path),
        _ => None,
    }
}

impl NetworkFile {
    /// An error about one of this file's entries ([`Error::Located`]) as an input error that
    /// names the file and the entry's line (`network.toml:12: …`), or the file alone when the
    /// entry is not written in it (it comes from a template, or the file was built from a
    /// tree). Other errors pass unchanged.
    pub fn place(&self, e: Error) -> Error {
        let Error::Located { at, message } = e else {
            return e;
        };
        let Some(o) = &self.origin else {
            return Error::Input(message);
        };
        match o.line_of(&at) {
            Some(line) => Error::Input(format!("{}:{line}: {message}", o.name)),
            None => Error::Input(format!("{}: {message}", o.name)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_steps_products_and_model_keys() {
        let text = "[network]\ninitial = \"*\"\n\n[[network.steps]]\nfrom = \"*\"\nto = \"*H\"\n\n[[network.steps]]\nto = \"*N2\"\nfrom = \"*\"\n\n[[network.products]]\nstate = \"*H\"\n\n[models.A]\n\"*\" = { G = 0 }\n\"*Q\" = { G = 1 }\n";
        let o = Origin::new("n.toml", text);
        let step = |from: &str, to: &str| Locus::Step {
            from: from.into(),
            to: to.into(),
        };
        assert_eq!(o.line_of(&step("*", "*H")), Some(4));
        assert_eq!(o.line_of(&step("*", "*N2")), Some(8));
        assert_eq!(o.line_of(&step("*", "*X")), None);
        let key = Locus::Model {
            model: "A".into(),
            key: "*Q".into(),
        };
        assert_eq!(o.line_of(&key), Some(17));
        assert_eq!(o.line_of(&Locus::Network("initial".into())), Some(2));
        let o = Origin::new("c.toml", "# settings\n[conventions]\nU = 0\nbogus = 1\n");
        assert_eq!(o.line_of(&Locus::Conventions("bogus".into())), Some(4));
        assert_eq!(o.line_of(&Locus::Conventions("pH".into())), None);
        // inline steps
        let o = Origin::new(
            "i.toml",
            "[network]\nsteps = [\n  { from = \"*\", to = \"*H\" },\n  { from = \"*H\", to = \"*\" },\n]\n",
        );
        assert_eq!(o.line_of(&step("*H", "*")), Some(4));
    }

    #[test]
    fn numbers_that_are_not_finite_are_found_with_their_line() {
        let text = "[conventions]\nU = 0.1\n\n[models.A]\n\"*\" = { G = 0 }\n\"*OH\" = { G = 1.5, zpe = -inf }\n";
        assert_eq!(
            non_finite(text),
            Some((r#"models.A."*OH".zpe"#.into(), 6, "-inf".into()))
        );
        let arr = "[[network.steps]]\nfrom = \"*\"\nto = \"*H\"\nx = [1.0, +nan]\n";
        assert_eq!(
            non_finite(arr),
            Some(("network.steps[0].x[1]".into(), 4, "+nan".into()))
        );
        // names and strings that hold the letters are not numbers
        let words = "[models.nano]\n\"*inf\" = { calc = \"nan/inf\", G = 1e300 }\n";
        assert_eq!(non_finite(words), None);
    }
}
