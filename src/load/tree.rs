//! Directory mode: a tidy tree of calculations is a network without writing a file.
//!
//! ```text
//! ROOT/
//!   network.toml          optional: [conventions], [references], [network]; models it
//!                         names win over the tree's
//!   gas/H2/  gas/H2O/  gas/HNO3/  gas/NH3/  gas/O2/   references: OUTCAR + freq/ (ideal gas)
//!   <model>/slab/         the clean site (also: clean, site, *)
//!   <model>/NO3/          *NO3: its OUTCAR, and freq/ (or zpe/, vib/) for the harmonic correction
//!   <model>/NHO/ …        any name that is a formula: *NHO, *NH2OH, *H, …
//! ```
//!
//! A model's d-band centre (for `rank`) comes from the DOSCAR or vasprun.xml of its `dos/`
//! directory (a single point on the clean site), else of its `slab/`, every transition-metal
//! atom pooled, unless `[dband.MODEL]` in `network.toml` says otherwise (`chepath lint`
//! warns when that DOS comes from a relaxation).
//!
//! Reference defaults: ideal gas at 1 bar, except H2O at 0.035 bar (liquid water as the
//! vapour in equilibrium with it at 298 K, Nørskov et al. 2004). The network defaults to
//! the `no3rr` template.

use super::files::CalcFiles;
use crate::error::Error;
use crate::network::{DbandSpec, NetworkDef, NetworkFile, ThermoModel, Value};
use std::collections::BTreeMap;
use std::path::Path;

const FREQ_DIRS: [&str; 4] = ["freq", "zpe", "vib", "frequency"];
const SITE_DIRS: [&str; 4] = ["slab", "clean", "site", "*"];

fn sorted_dirs(p: &Path) -> Vec<(String, std::path::PathBuf)> {
    let mut v: Vec<(String, std::path::PathBuf)> = std::fs::read_dir(p)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .collect();
    v.sort();
    v
}

/// The value of one calculation directory: its OUTCAR, plus a frequency subdirectory.
fn value_of(dir: &Path, rel: &str, gas: Option<&str>) -> Option<Value> {
    CalcFiles::find(dir).outcar?;
    let freq = FREQ_DIRS
        .iter()
        .find(|f| CalcFiles::find(&dir.join(f)).outcar.is_some())
        .map(|f| format!("{rel}/{f}"));
    let mut v = Value {
        calc: Some(rel.to_string()),
        freq: freq.clone(),
        ..Default::default()
    };
    if let (Some(name), Some(_)) = (gas, &freq) {
        v.model = Some(ThermoModel::IdealGas);
        if name == "H2O" {
            v.pressure = Some(0.035);
        }
        if name == "O2" {
            v.spin = Some(1.0);
        }
    }
    Some(v)
}

/// Build a network file from a tree (see the module doc).
pub fn from_tree(root: &Path, template: Option<&str>) -> Result<NetworkFile, Error> {
    let mut file = match std::fs::read_to_string(root.join("network.toml")) {
        Ok(t) => crate::network::parse(&t, &root.join("network.toml").display().to_string())
            .map_err(Error::Input)?,
        Err(_) => NetworkFile {
            network: NetworkDef {
                template: Some(template.unwrap_or("no3rr").to_string()),
                ..Default::default()
            },
            ..Default::default()
        },
    };
    if let Some(t) = template {
        file.network.template = Some(t.to_string());
    }
    if file.network.template.is_none() && file.network.steps.is_empty() {
        file.network.template = Some("no3rr".into());
    }
    let gas = root.join("gas");
    for (name, path) in sorted_dirs(&gas) {
        if file.references.contains_key(&name) {
            continue;
        }
        if let Some(v) = value_of(&path, &format!("gas/{name}"), Some(&name)) {
            file.references.insert(name, v);
        }
    }
    for (model, mpath) in sorted_dirs(root) {
        if model == "gas" || model.starts_with('.') || file.models.contains_key(&model) {
            continue;
        }
        let mut table = BTreeMap::new();
        for (inter, ipath) in sorted_dirs(&mpath) {
            let key = if SITE_DIRS.contains(&inter.as_str()) {
                "*".to_string()
            } else if crate::formula::parse(&inter).is_ok() {
                format!("*{}", inter.trim_start_matches('*'))
            } else {
                continue;
            };
            if let Some(v) = value_of(&ipath, &format!("{model}/{inter}"), None) {
                table.insert(key, v);
            }
        }
        if table.contains_key("*") {
            if !file.dband.contains_key(&model) {
                let dos_dir = ["dos", "slab", "clean", "site"]
                    .iter()
                    .map(|d| mpath.join(d))
                    .find(|d| {
                        let f = CalcFiles::find(d);
                        f.doscar.is_some() || f.vasprun.is_some()
                    });
                if let Some(d) = dos_dir {
                    let rel = format!(
                        "{model}/{}",
                        d.file_name()
                            .map(|n| n.to_string_lossy().to_string())
                            .unwrap_or_default()
                    );
                    file.dband.insert(
                        model.clone(),
                        DbandSpec {
                            path: rel,
                            atoms: None,
                            window: None,
                        },
                    );
                }
            }
            file.models.insert(model, table);
        }
    }
    if file.models.is_empty() {
        return Err(Error::Input(format!(
            "{}: no model found: expected ROOT/<model>/slab/ (the clean site) and ROOT/<model>/<intermediate>/ directories with OUTCARs, or a network.toml",
            root.display()
        )));
    }
    Ok(file)
}
