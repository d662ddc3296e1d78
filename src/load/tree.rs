//! Directory mode: a tree of calculations is a network without writing a file.
//!
//! ```text
//! ROOT/
//!   network.toml          optional: [conventions], [references], [network], [layout];
//!                         models it names win over the tree's
//!   gas/H2/  gas/H2O/  gas/HNO3/  gas/NH3/  gas/O2/   references: OUTCAR (or vasprun.xml,
//!                         OSZICAR) + freq/ (ideal gas)
//!   <model>/slab/         the clean site (also: clean, bare, site, surface, substrate, *)
//!   <model>/NO3/          *NO3: its calculation, and freq/ (or zpe/, vib/) for the correction
//!   <model>/NHO/ …        any name that is a formula: *NHO, *NH2OH, *H, …
//! ```
//!
//! Without a `[layout]`, the common layouts are tried ([`LAYOUTS`]: `<model>/<state>/`,
//! `<model>_<state>/`, `<state>/<model>/`, each also with a state's runs in subdirectories,
//! `<state>/scf/` + `<state>/zpe/`); the one that places the most directories is used and
//! named in the results.
//!
//! A model's d-band centre (for `rank`) comes from the DOSCAR or vasprun.xml of its `dos/`
//! directory (a single point on the clean site), else of its clean site, every
//! transition-metal atom pooled, unless `[dband.MODEL]` in `network.toml` says otherwise
//! (`chepath lint` warns when that DOS comes from a relaxation).
//!
//! Reference defaults: ideal gas at 1 bar, except H2O at 0.035 bar (liquid water as the
//! vapour in equilibrium with it at 298 K, Nørskov et al. 2004). The network defaults to
//! the `no3rr` template.

use super::files::CalcFiles;
use super::layout::{self, Placement, StateNames};
use crate::error::Error;
use crate::network::{LayoutDef, NetworkFile, ThermoModel, Value};
use std::path::{Path, PathBuf};

/// The layouts directory mode tries, in order (ties go to the first).
pub const LAYOUTS: [&str; 3] = ["{model}/{state}", "{model}_{state}", "{state}/{model}"];

const FREQ_DIRS: [&str; 4] = ["freq", "zpe", "vib", "frequency"];

fn sorted_dirs(p: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(p)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().to_string(), e.path()))
        .collect();
    v.sort();
    v
}

/// A gas reference's value: its calculation, and a frequency subdirectory (ideal gas).
fn gas_value(dir: &Path, rel: &str, name: &str) -> Option<Value> {
    let f = CalcFiles::find(dir);
    if f.outcar.is_none() && f.vasprun.is_none() && f.oszicar.is_none() {
        return None;
    }
    let freq = FREQ_DIRS
        .iter()
        .find(|f| {
            let c = CalcFiles::find(&dir.join(f));
            c.outcar.is_some() || c.vasprun.is_some()
        })
        .map(|f| format!("{rel}/{f}"));
    let mut v = Value {
        calc: Some(rel.to_string()),
        freq: freq.clone(),
        ..Default::default()
    };
    if freq.is_some() {
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

/// The network file of a tree: its `network.toml`, or the defaults.
fn tree_file(root: &Path, template: Option<&str>) -> Result<NetworkFile, Error> {
    let path = root.join("network.toml");
    // Only a missing file means "no network.toml": one that cannot be read or decoded is an
    // error (running on the defaults would silently change pH, references and selections).
    let mut file = if path.exists() || path.is_symlink() {
        let t = super::read_text(&path)?;
        crate::network::parse(&t, &path.display().to_string()).map_err(Error::Input)?
    } else {
        NetworkFile::default()
    };
    if let Some(t) = template {
        file.network.template = Some(t.to_string());
    }
    if file.network.template.is_none() && file.network.steps.is_empty() {
        file.network.template = Some("no3rr".into());
    }
    Ok(file)
}

/// Place the tree with the file's `[layout]`, else the common layout that places the most.
pub fn place_tree(root: &Path, file: &NetworkFile, skip: &[PathBuf]) -> Result<Placement, Error> {
    let net = file.network.expanded().map_err(Error::Input)?;
    if let Some(def) = &file.layout {
        let names = StateNames::new(&net, Some(def));
        return layout::place(root, def, &names, "[layout] of the network file", skip)
            .map_err(Error::Input);
    }
    let mut best: Option<Placement> = None;
    for pattern in LAYOUTS {
        let def = LayoutDef {
            pattern: pattern.into(),
            clean: None,
            freq: None,
            states: Default::default(),
        };
        let names = StateNames::new(&net, None);
        let chosen = format!(
            "directory mode: the most directories placed of {}",
            LAYOUTS.join(", ")
        );
        let p = layout::place(root, &def, &names, &chosen, skip).map_err(Error::Input)?;
        let score = |p: &Placement| (!p.models.is_empty(), p.report.placed);
        if best.as_ref().is_none_or(|b| score(&p) > score(b)) {
            best = Some(p);
        }
    }
    best.ok_or_else(|| Error::input("internal: no layout tried"))
}

/// Merge a placement into a network file: models and d-band entries it already names win.
pub fn merge(file: &mut NetworkFile, placed: Placement) {
    for (model, table) in placed.models {
        file.models.entry(model).or_insert(table);
    }
    for (model, spec) in placed.dband {
        if file.models.contains_key(&model) {
            file.dband.entry(model).or_insert(spec);
        }
    }
    file.placed = Some(placed.report);
}

/// Build a network file from a tree (see the module doc).
pub fn from_tree(root: &Path, template: Option<&str>) -> Result<NetworkFile, Error> {
    let mut file = tree_file(root, template)?;
    let gas = root.join("gas");
    for (name, path) in sorted_dirs(&gas) {
        if file.references.contains_key(&name) {
            continue;
        }
        if let Some(v) = gas_value(&path, &format!("gas/{name}"), &name) {
            file.references.insert(name, v);
        }
    }
    let placed = place_tree(root, &file, &[gas])?;
    let report = placed.report.clone();
    merge(&mut file, placed);
    if file.models.is_empty() {
        let shown: Vec<String> = report
            .unplaced
            .iter()
            .take(8)
            .map(|u| format!("{}: {}", u.dir, u.reason))
            .collect();
        return Err(Error::Input(format!(
            "{}: no model found: tried the layouts {} (a model needs a clean site: slab, clean, bare, site, surface or substrate); {}; map the tree with a [layout] in a network.toml",
            root.display(),
            LAYOUTS.join(", "),
            if shown.is_empty() {
                "no directory with VASP output was found".to_string()
            } else {
                format!("not placed: {}", shown.join("; "))
            }
        )));
    }
    Ok(file)
}
