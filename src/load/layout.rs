//! A tree of calculations placed onto a network's models and states: a `[layout]` pattern
//! (`RawData/{model}_{state}`), and the common layouts directory mode tries by itself
//! (`<model>/<state>/`, `<model>_<state>/`, `<state>/<model>/`, each also with the state's
//! energy and frequency runs in subdirectories: `<state>/scf/` + `<state>/zpe/`).
//!
//! Matching: the pattern's literal text must appear as written; `{state}` is one segment or
//! part of one, matched against the network's states (stripped of `*`), the clean-site names
//! and the aliases, the longest first; failing those, a name that is a formula (`OH` → `*OH`);
//! `{model}` takes the rest (it may span segments). Every directory under the pattern's fixed
//! prefix that holds a calculation, or whose subdirectories do, is either placed or listed
//! with the reason it was not.

use super::files::CalcFiles;
use crate::network::{DbandSpec, LayoutDef, LayoutReport, NetworkDef, Unplaced, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The names a tree gives the clean site, besides those of `[layout] clean`.
pub use crate::network::CLEAN_NAMES;

/// Subdirectory names of a frequency run (a name starting with one of them).
const FREQ_RUNS: [&str; 5] = ["freq", "zpe", "vib", "frequency", "phon"];
/// Subdirectory names of an energy run, best first: a single point, then a relaxation.
const ENERGY_RUNS: [&str; 7] = ["scf", "sp", "single", "energy", "opt", "relax", "geo"];
/// Subdirectory names of a DOS run.
const DOS_RUNS: [&str; 2] = ["dos", "pdos"];

/// How deep under the pattern's fixed prefix directories are looked for.
const MAX_DEPTH: usize = 6;

/// A piece of a pattern.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(String),
    Model,
    State,
}

/// Split a pattern into literal text and the two placeholders (each exactly once).
fn tokens(pattern: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut rest = pattern.trim_end_matches('/');
    while let Some(k) = rest.find('{') {
        if k > 0 {
            out.push(Tok::Lit(rest[..k].to_string()));
        }
        let end = rest[k..]
            .find('}')
            .ok_or_else(|| format!("layout.pattern = '{pattern}': '{{' without '}}'"))?;
        match &rest[k + 1..k + end] {
            "model" => out.push(Tok::Model),
            "state" => out.push(Tok::State),
            other => {
                return Err(format!(
                    "layout.pattern = '{pattern}': unknown placeholder {{{other}}}: expected {{model}} and {{state}}"
                ))
            }
        }
        rest = &rest[k + end + 1..];
    }
    if !rest.is_empty() {
        out.push(Tok::Lit(rest.to_string()));
    }
    for (t, name) in [(Tok::Model, "{model}"), (Tok::State, "{state}")] {
        if out.iter().filter(|x| **x == t).count() != 1 {
            return Err(format!(
                "layout.pattern = '{pattern}': expected {name} exactly once"
            ));
        }
    }
    Ok(out)
}

/// The directory names a tree may give each state, and what they mean.
pub struct StateNames {
    /// Name as in the tree → the network's species (`OH` → `*OH`, `slab` → `*`).
    known: BTreeMap<String, String>,
}

impl StateNames {
    /// The network's adsorbed species, the clean-site names and the aliases.
    pub fn new(net: &NetworkDef, def: Option<&LayoutDef>) -> StateNames {
        let mut known = BTreeMap::new();
        let species = net.adsorbed_species().unwrap_or_default();
        for s in species {
            let bare = s.trim_matches('*').to_string();
            if !bare.is_empty() {
                known.insert(bare, s.clone());
            }
            known.insert(s.clone(), s);
        }
        let mut clean: Vec<String> = CLEAN_NAMES.iter().map(|s| s.to_string()).collect();
        if let Some(c) = def.and_then(|d| d.clean.as_ref()) {
            clean.extend(c.to_vec());
        }
        for c in clean {
            known.insert(c, "*".into());
        }
        for (from, to) in def.map(|d| d.states.clone()).unwrap_or_default() {
            known.insert(from, to);
        }
        StateNames { known }
    }

    /// The species a directory name stands for: a known name, else a formula.
    fn lookup(&self, name: &str, fallback: bool) -> Option<String> {
        if let Some(s) = self.known.get(name) {
            return Some(s.clone());
        }
        if !fallback || name.contains('_') {
            return None;
        }
        crate::formula::parse(name)
            .ok()
            .filter(|s| s.charge == 0 && !s.composition.is_empty())
            .map(|_| format!("*{}", name.trim_start_matches('*')))
    }
}

/// A match of a path against a pattern: (model, state name as written, species).
type Match = (String, String, String);

/// A byte range of a path.
type Span = (usize, usize);

/// Every way `path` matches `toks` from `i`, `pos`; `spans` holds the model's and the
/// state's ranges so far.
fn solve(
    toks: &[Tok],
    path: &str,
    i: usize,
    pos: usize,
    spans: (Option<Span>, Option<Span>),
    out: &mut Vec<(Span, Span)>,
) {
    let Some(t) = toks.get(i) else {
        if let (true, (Some(m), Some(s))) = (pos == path.len(), spans) {
            out.push((m, s));
        }
        return;
    };
    match t {
        Tok::Lit(l) => {
            if path[pos..].starts_with(l.as_str()) {
                solve(toks, path, i + 1, pos + l.len(), spans, out);
            }
        }
        Tok::Model | Tok::State => {
            for end in (pos + 1)..=path.len() {
                if !path.is_char_boundary(end) {
                    continue;
                }
                let piece = &path[pos..end];
                let ok = match t {
                    Tok::State => !piece.contains('/'),
                    _ => !piece.starts_with('/') && !piece.ends_with('/'),
                };
                if !ok {
                    if *t == Tok::State {
                        break;
                    }
                    continue;
                }
                let spans = match t {
                    Tok::Model => (Some((pos, end)), spans.1),
                    _ => (spans.0, Some((pos, end))),
                };
                solve(toks, path, i + 1, end, spans, out);
            }
        }
    }
}

/// The best match of a relative path: a known state name before a formula, the longest
/// state first.
fn best_match(toks: &[Tok], path: &str, names: &StateNames) -> Option<Match> {
    let mut spans = Vec::new();
    solve(toks, path, 0, 0, (None, None), &mut spans);
    for fallback in [false, true] {
        let mut found: Vec<Match> = spans
            .iter()
            .filter_map(|((m0, m1), (s0, s1))| {
                let state = &path[*s0..*s1];
                let species = names.lookup(state, fallback)?;
                Some((path[*m0..*m1].to_string(), state.to_string(), species))
            })
            .collect();
        found.sort_by_key(|(_, s, _)| std::cmp::Reverse(s.len()));
        if let Some(m) = found.into_iter().next() {
            return Some(m);
        }
    }
    None
}

/// What a tree's directories became.
#[derive(Debug, Default)]
pub struct Placement {
    pub models: BTreeMap<String, BTreeMap<String, Value>>,
    pub dband: BTreeMap<String, DbandSpec>,
    pub report: LayoutReport,
}

/// `p` relative to `base`, `/`-separated (as written when `p` is not under `base`).
fn rel(base: &Path, p: &Path) -> String {
    match p.strip_prefix(base) {
        Ok(r) => r
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => p.to_string_lossy().into_owned(),
    }
}

/// Calculation subdirectories of `dir`, sorted by name.
fn calc_subdirs(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(_, p)| CalcFiles::find(p).is_calculation())
        .collect();
    v.sort();
    v
}

fn starts_with_any(name: &str, prefixes: &[&str]) -> bool {
    let n = name.to_ascii_lowercase();
    prefixes.iter().any(|p| n.starts_with(p))
}

/// Whether a directory holds an energy (OUTCAR, vasprun.xml or OSZICAR).
fn has_energy(dir: &Path) -> bool {
    let f = CalcFiles::find(dir);
    f.outcar.is_some() || f.vasprun.is_some() || f.oszicar.is_some()
}

/// The energy run, frequency run and DOS run of a matched directory: itself with a frequency
/// subdirectory, or (a directory of runs) the single point, else the last relaxation.
fn runs(dir: &Path) -> Option<(PathBuf, Option<PathBuf>, Option<PathBuf>)> {
    let subs = calc_subdirs(dir);
    let pick = |prefixes: &[&str]| {
        subs.iter()
            .filter(|(n, _)| starts_with_any(n, prefixes))
            .map(|(_, p)| p.clone())
            .collect::<Vec<_>>()
    };
    let freq = pick(&FREQ_RUNS).into_iter().next();
    let dos = pick(&DOS_RUNS).into_iter().next();
    if has_energy(dir) {
        return Some((dir.to_path_buf(), freq, dos));
    }
    for prefix in ENERGY_RUNS {
        if let Some(p) = pick(&[prefix]).into_iter().next_back() {
            return Some((p, freq, dos));
        }
    }
    None
}

/// Why a calculation directory that matches no arrangement was not placed.
fn reason(toks: &[Tok], path: &str, pattern: &str) -> String {
    let mut spans = Vec::new();
    solve(toks, path, 0, 0, (None, None), &mut spans);
    match spans.last() {
        Some((_, (s0, s1))) => format!(
            "'{}' is not a state of the network, a clean-site name, a [layout] alias or a formula",
            &path[*s0..*s1]
        ),
        None => format!("does not match {pattern}"),
    }
}

/// The DOS run of a model: the pattern with `dos` (or `pdos`) as the state, a DOS run beside
/// the clean site's energy run, else the clean site's own DOSCAR or vasprun.xml.
fn dos_of(
    base: &Path,
    def: &LayoutDef,
    model: &str,
    site: &Path,
    beside: Option<PathBuf>,
) -> Option<PathBuf> {
    for name in DOS_RUNS {
        let p = base.join(
            def.pattern
                .replace("{model}", model)
                .replace("{state}", name),
        );
        if CalcFiles::find(&p).doscar.is_some() || CalcFiles::find(&p).vasprun.is_some() {
            return Some(p);
        }
    }
    beside.or_else(|| {
        let f = CalcFiles::find(site);
        (f.doscar.is_some() || f.vasprun.is_some()).then(|| site.to_path_buf())
    })
}

/// The frequency run of a placed calculation: `[layout] freq` filled in (if that directory
/// exists), else the one found beside it.
fn freq_of(
    base: &Path,
    def: &LayoutDef,
    (calc, model, state): (&str, &str, &str),
    found: Option<PathBuf>,
) -> Option<String> {
    match &def.freq {
        Some(f) => {
            let f = f
                .replace("{calc}", calc)
                .replace("{model}", model)
                .replace("{state}", state);
            base.join(&f).is_dir().then_some(f)
        }
        None => found.map(|f| rel(base, &f)),
    }
}

/// A calculation directory whose name is not UTF-8, left unplaced: network paths are text,
/// and a lossy name would point at another directory (or at none). Said, not guessed.
fn not_text(p: &Path, dir: String) -> Option<Unplaced> {
    CalcFiles::find(p).is_calculation().then(|| Unplaced {
        reason:
            "the directory name is not valid UTF-8 (network paths are text): rename it to place it"
                .into(),
        dir,
    })
}

/// The directories before a pattern's first placeholder (`RawData` of `RawData/{model}_{state}`).
fn fixed_prefix(toks: &[Tok]) -> String {
    match toks.first() {
        Some(Tok::Lit(l)) => l
            .rsplit_once('/')
            .map(|(a, _)| a.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Move the models that have no clean site (`*`) from the placement to its unplaced list.
fn leave_out_models_without_site(out: &mut Placement) {
    let without_site: Vec<String> = out
        .models
        .iter()
        .filter(|(_, t)| !t.contains_key("*"))
        .map(|(m, _)| m.clone())
        .collect();
    for m in without_site {
        out.models.remove(&m);
        out.dband.remove(&m);
        out.report.unplaced.push(Unplaced {
            dir: m,
            reason:
                "a model without a clean site (slab, clean, bare, … or [layout] clean): left out"
                    .into(),
        });
    }
}

/// Place every directory under the pattern's fixed prefix (relative to `base`), except those
/// under `skip` (directory mode's `gas/`).
pub fn place(
    base: &Path,
    def: &LayoutDef,
    names: &StateNames,
    chosen: &str,
    skip: &[PathBuf],
) -> Result<Placement, String> {
    let toks = tokens(&def.pattern)?;
    let start = base.join(fixed_prefix(&toks));
    let mut out = Placement::default();
    out.report.pattern = def.pattern.clone();
    out.report.chosen = chosen.to_string();
    let walk = walkdir::WalkDir::new(&start)
        .min_depth(1)
        .max_depth(MAX_DEPTH)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    let mut taken: Vec<PathBuf> = skip.to_vec();
    for e in walk.flatten() {
        let p = e.path();
        if !e.file_type().is_dir() || taken.iter().any(|t| p.starts_with(t)) {
            continue;
        }
        let r = rel(base, p);
        if p.strip_prefix(base).unwrap_or(p).to_str().is_none() {
            out.report.unplaced.extend(not_text(p, r));
            continue;
        }
        let Some((model, state, species)) = best_match(&toks, &r, names) else {
            if CalcFiles::find(p).is_calculation() {
                out.report.unplaced.push(Unplaced {
                    reason: reason(&toks, &r, &def.pattern),
                    dir: r,
                });
            }
            continue;
        };
        let Some((calc, freq, dos)) = runs(p) else {
            continue;
        };
        taken.push(p.to_path_buf());
        let table = out.models.entry(model.clone()).or_default();
        if table.contains_key(&species) {
            out.report.unplaced.push(Unplaced {
                dir: r,
                reason: format!("model {model} already has {species} from another directory"),
            });
            continue;
        }
        let calc_rel = rel(base, &calc);
        let freq_rel = freq_of(base, def, (&calc_rel, &model, &state), freq);
        table.insert(
            species.clone(),
            Value {
                calc: Some(calc_rel),
                freq: freq_rel,
                ..Default::default()
            },
        );
        out.report.placed += 1;
        if let Some(d) = (species == "*")
            .then(|| dos_of(base, def, &model, &calc, dos))
            .flatten()
        {
            let (path, atoms, window) = (rel(base, &d), None, None);
            out.dband.insert(
                model.clone(),
                DbandSpec {
                    path,
                    atoms,
                    window,
                },
            );
        }
    }
    leave_out_models_without_site(&mut out);
    // Directories used as a model's DOS run are placed too.
    let dos_dirs: Vec<String> = out.dband.values().map(|d| d.path.clone()).collect();
    out.report.unplaced.retain(|u| !dos_dirs.contains(&u.dir));
    out.report.models = out.models.keys().cloned().collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(extra: &[(&str, &str)]) -> StateNames {
        let mut known: BTreeMap<String, String> = [
            ("OH", "*OH"),
            ("OOH", "*OOH"),
            ("O", "*O"),
            ("NH2OH", "*NH2OH"),
            ("OH2", "*OH2"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        for c in CLEAN_NAMES {
            known.insert(c.into(), "*".into());
        }
        for (a, b) in extra {
            known.insert(a.to_string(), b.to_string());
        }
        StateNames { known }
    }

    #[test]
    fn models_with_underscores_and_the_longest_state() {
        let t = tokens("RawData/{model}_{state}").unwrap();
        let n = names(&[("substrate", "*")]);
        assert_eq!(
            best_match(&t, "RawData/4N4_Fe_OH", &n),
            Some(("4N4_Fe".into(), "OH".into(), "*OH".into()))
        );
        assert_eq!(
            best_match(&t, "RawData/4N4_Fe_substrate", &n).map(|m| m.2),
            Some("*".into())
        );
        let t = tokens("{model}/{state}").unwrap();
        // NH2OH, not OH after a model 'x/NH2'
        assert_eq!(
            best_match(&t, "a/b/NH2OH", &n),
            Some(("a/b".into(), "NH2OH".into(), "*NH2OH".into()))
        );
        // a formula the network does not know is still read as a state
        assert_eq!(
            best_match(&t, "m/NOH2", &n).map(|m| m.2),
            Some("*NOH2".into())
        );
        assert_eq!(best_match(&t, "m/notes", &n), None);
        let t = tokens("{state}/{model}").unwrap();
        assert_eq!(
            best_match(&t, "OOH/Pt111", &n),
            Some(("Pt111".into(), "OOH".into(), "*OOH".into()))
        );
    }

    #[test]
    fn patterns_are_checked() {
        assert!(tokens("{model}").is_err());
        assert!(tokens("{model}/{state}/{state}").is_err());
        assert!(tokens("{model}/{site}")
            .unwrap_err()
            .contains("unknown placeholder"));
        assert!(tokens("{model/{state}").is_err());
    }
}
