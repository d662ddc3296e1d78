//! A CSV of models' states, the alternative to `[models]` that spreadsheets export:
//! `model,state,path,energy,G,freq,zpe,ts,cp` (a header row names the columns; `model`,
//! `state` and one of `path`, `energy`, `G` are required; empty cells are absent values).

use crate::error::Error;
use crate::network::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The models of a CSV file, by model and state.
pub fn read(path: &Path) -> Result<BTreeMap<String, BTreeMap<String, Value>>, Error> {
    let text = super::read_text(path)?;
    let name = path.display().to_string();
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| Error::input(format!("{name}: {e}")))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(mi), Some(si)) = (col("model"), col("state")) else {
        return Err(Error::input(format!(
            "{name}: expected a header with 'model' and 'state' columns (and path, energy or G), found {}",
            header.join(",")
        )));
    };
    let mut out: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for (k, rec) in r.records().enumerate() {
        let line = k + 2;
        let rec = rec.map_err(|e| Error::input(format!("{name}:{line}: {e}")))?;
        let cell = |c: Option<usize>| c.and_then(|i| rec.get(i)).filter(|s| !s.is_empty());
        let num = |n: &str| -> Result<Option<f64>, Error> {
            match cell(col(n)) {
                None => Ok(None),
                Some(s) => s
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .map(Some)
                    .ok_or_else(|| {
                        Error::input(format!(
                            "{name}:{line}: column {n}: expected a number, found '{s}'"
                        ))
                    }),
            }
        };
        let (Some(model), Some(state)) = (cell(Some(mi)), cell(Some(si))) else {
            return Err(Error::input(format!(
                "{name}:{line}: the model and the state must be given"
            )));
        };
        let v = Value {
            calc: cell(col("path")).map(String::from),
            energy: num("energy")?,
            g: num("g")?,
            freq: cell(col("freq")).map(String::from),
            zpe: num("zpe")?,
            ts: num("ts")?,
            cp: num("cp")?,
            ..Default::default()
        };
        if v.calc.is_none() && v.energy.is_none() && v.g.is_none() {
            return Err(Error::input(format!(
                "{name}:{line}: {model} {state}: needs a path, an energy or a G"
            )));
        }
        let state = if crate::network::is_clean_name(state) {
            "*".to_string()
        } else {
            state.to_string()
        };
        if out
            .entry(model.to_string())
            .or_default()
            .insert(state.clone(), v)
            .is_some()
        {
            return Err(Error::input(format!(
                "{name}:{line}: {model} {state} is given twice"
            )));
        }
    }
    Ok(out)
}
