//! Every calculation under a directory tree, one compact record each, read in parallel.
//!
//! [`find_calculations`] walks the tree (sorted, symlinks not followed, hidden directories
//! skipped) and keeps every directory [`CalcFiles::is_calculation`] accepts; nested
//! calculations (a `freq/` inside a relaxation) are records of their own. [`scan`] reads
//! them on a rayon pool and hands the records back **in walk order** as they complete, so the
//! output streams and is deterministic whatever the thread count.
//!
//! Two depths: [`Depth::Quick`] answers "final energy and convergence" from the OUTCAR's
//! header and tail ([`vasp_parsers::outcar::read_final`]), falling back to vasprun.xml, then
//! OSZICAR; [`Depth::Full`] embeds the whole [`summary::summarize`] record.
//!
//! Resumable output: a [`ScanHeader`] line (the root, canonical), then records as JSON lines
//! keyed by `path`; [`resume_point`] reads an earlier, possibly interrupted output of the same
//! root and says which directories are done and where the last complete line ends, and
//! refuses anything else.

use super::files::CalcFiles;
use super::summary::{self, CalcRecord};
use crate::conventions::EnergyKind;
use crate::records::SCHEMA_VERSION;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How much of each calculation to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Final energy and convergence (OUTCAR header + tail).
    Quick,
    /// Everything `chepath parse DIR` reads.
    Full,
}

/// One calculation of a scan.
#[derive(Debug, Clone, Serialize)]
pub struct ScanRecord {
    pub schema_version: &'static str,
    /// Always `scan`.
    pub kind: &'static str,
    /// The directory, as the walk reached it (ROOT joined with the relative path).
    pub path: String,
    /// VASP file names found in the directory.
    pub files: Vec<String>,
    /// The file the energy was taken from.
    pub source: Option<String>,
    /// How it was read: `outcar tail`, `outcar full pass`, `vasprun.xml`, `oszicar`, `none`.
    pub read: &'static str,
    pub vasp_version: Option<String>,
    pub nions: Option<usize>,
    /// Species and counts in POTCAR order, e.g. `Ni36 O1 H1`.
    pub composition: Option<String>,
    /// E(sigma->0) of the structure's step (the last; the first of a frequency run), eV.
    pub energy_sigma0: Option<f64>,
    /// Free energy TOTEN (F) of that step, eV.
    pub energy_toten: Option<f64>,
    /// `last` or `first (frequency run)`.
    pub energy_step: Option<&'static str>,
    pub efermi: Option<f64>,
    pub electronic_converged: Option<bool>,
    /// Relaxations only: `reached required accuracy`.
    pub ionic_converged: Option<bool>,
    /// VASP reached its final timing block (or `</modeling>`).
    /// `null` when the files cannot tell (an OSZICAR without an OUTCAR or vasprun.xml).
    pub complete: Option<bool>,
    /// A few parameters the linter and users filter on, as printed.
    pub params: BTreeMap<String, String>,
    pub warnings: Vec<String>,
    pub errors: Vec<String>,
    /// The whole `parse` record, with `--full`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full: Option<Box<CalcRecord>>,
    /// The exact bytes of `path` ([`crate::records::escape_path`]: `\xHH` for each byte
    /// that is not UTF-8, `\\` for a backslash), only where they differ from `path`,
    /// which is for people and loses such bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_escaped: Option<String>,
    /// The same for `source`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_escaped: Option<String>,
}

impl ScanRecord {
    /// Complete, converged (where that applies) and read without errors.
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
            && self.complete != Some(false)
            && self.electronic_converged != Some(false)
            && self.ionic_converged != Some(false)
    }
}

/// Parameters copied into [`ScanRecord::params`].
pub const SCAN_PARAMS: [&str; 8] = [
    "ENCUT", "PREC", "GGA", "ISPIN", "IBRION", "NSW", "IVDW", "LDAU",
];

/// Why `root` cannot be scanned (it is a file, or nothing), as an I/O error: `None` for a
/// directory.
pub fn root_error(root: &Path) -> Option<vasp_parsers::ParseError> {
    if root.is_dir() {
        return None;
    }
    let (found, hint) = if root.exists() {
        (
            "a file",
            "use `chepath parse` (chepath.parse) for single files",
        )
    } else {
        ("nothing (no such directory)", "check the path")
    };
    let mut e = vasp_parsers::ParseError::io(
        root,
        &std::io::Error::new(std::io::ErrorKind::NotFound, found),
    );
    e.expected = "a directory to scan".into();
    e.found = found.into();
    e.hint = hint.into();
    Some(e)
}

/// Directories under `root` (itself included) that hold a calculation, in sorted walk order.
/// Hidden directories (`.git`, `.ipynb_checkpoints`) are skipped; symlinks are not followed.
/// Unreadable directories are returned as errors beside the list, not fatal.
pub fn find_calculations(root: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let mut dirs = Vec::new();
    let mut errors = Vec::new();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0
                || !(e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with('.'))
        });
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_dir() => {
                if CalcFiles::find(e.path()).is_calculation() {
                    dirs.push(e.into_path());
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(format!(
                "{}: cannot read directory: {e}",
                e.path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            )),
        }
    }
    (dirs, errors)
}

fn composition(species: &[String], counts: &[usize]) -> Option<String> {
    if species.is_empty() || species.len() != counts.len() {
        return None;
    }
    Some(
        species
            .iter()
            .zip(counts)
            .map(|(s, n)| format!("{s}{n}"))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Read one calculation directory. Never fails: what could not be read is in `errors`.
///
/// The energy comes from the first of OUTCAR, vasprun.xml and OSZICAR that reads.
pub fn scan_one(dir: &Path, depth: Depth) -> ScanRecord {
    let files = CalcFiles::find(dir);
    let mut r = ScanRecord {
        schema_version: SCHEMA_VERSION,
        kind: "scan",
        path: dir.display().to_string(),
        files: files.names(),
        source: None,
        read: "none",
        vasp_version: None,
        nions: None,
        composition: None,
        energy_sigma0: None,
        energy_toten: None,
        energy_step: None,
        efermi: None,
        electronic_converged: None,
        ionic_converged: None,
        complete: Some(false),
        params: BTreeMap::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
        full: None,
        path_escaped: None,
        source_escaped: None,
    };
    if let Some(p) = &files.outcar {
        from_outcar(&mut r, p);
    }
    if r.source.is_none() {
        if let Some(p) = &files.vasprun {
            from_vasprun(&mut r, p);
        }
    }
    if r.source.is_none() && files.oszicar.is_some() {
        from_inputs(&mut r, dir);
    }
    if r.source.is_none() && r.errors.is_empty() {
        r.warnings
            .push("no OUTCAR, vasprun.xml or OSZICAR: not run yet, or outputs removed".into());
    }
    if depth == Depth::Full {
        match summary::summarize(dir) {
            Ok(c) => r.full = Some(Box::new(c)),
            Err(e) => r.errors.push(e.to_string()),
        }
    }
    let differs = |exact: String, shown: &str| (exact != shown).then_some(exact);
    r.path_escaped = differs(crate::records::escape_path(dir), &r.path);
    // the energy file is in `dir`; its name (a VASP name) is ASCII
    r.source_escaped = r.source.as_deref().and_then(|s| {
        let name = Path::new(s).file_name().unwrap_or_default();
        differs(crate::records::escape_path(&dir.join(name)), s)
    });
    r
}

/// Fill `r` from the OUTCAR at `p` (its header and tail only, see
/// [`vasp_parsers::outcar::read_final`]), or add its error.
fn from_outcar(r: &mut ScanRecord, p: &Path) {
    match vasp_parsers::outcar::read_final(p) {
        Ok(f) => {
            r.source = Some(p.display().to_string());
            r.read = if f.full_pass {
                "outcar full pass"
            } else {
                "outcar tail"
            };
            let h = &f.header;
            r.vasp_version = h.vasp_version.clone();
            r.nions = h.nions;
            r.composition = composition(&h.species, &h.ions_per_type);
            if let Some(e) = f.energy {
                r.energy_sigma0 = Some(e.sigma0);
                r.energy_toten = Some(e.toten);
                r.energy_step = Some(f.step);
            }
            r.efermi = f.efermi;
            r.electronic_converged = f.electronic_converged;
            r.ionic_converged = f.ionic_converged;
            r.complete = Some(f.complete);
            for k in SCAN_PARAMS {
                if let Some(v) = h.incar.get(k) {
                    r.params.insert(k.to_string(), v.clone());
                }
            }
            r.warnings.extend(h.warnings.iter().cloned());
        }
        Err(e) => r.errors.push(e.to_string()),
    }
}

/// Fill `r` from the vasprun.xml at `p` (the energy of the first step for a frequency run,
/// IBRION 5–8, else of the last), or add its error.
fn from_vasprun(r: &mut ScanRecord, p: &Path) {
    match vasp_parsers::vasprun::read_vasprun(p, &Default::default()) {
        Ok(v) => {
            r.source = Some(p.display().to_string());
            r.read = "vasprun.xml";
            r.vasp_version = v.version.clone();
            r.nions = Some(v.atoms.len()).filter(|n| *n > 0);
            let (sp, n) = species_runs(&v.atoms);
            r.composition = composition(&sp, &n);
            let freq = matches!(
                v.param("IBRION").and_then(|s| s.parse::<i64>().ok()),
                Some(5..=8)
            );
            let step = if freq {
                v.ionic_steps.first()
            } else {
                v.ionic_steps.last()
            };
            if let Some(s) = step {
                r.energy_sigma0 = s.e_0_energy;
                r.energy_toten = s.e_fr_energy;
                r.energy_step = Some(if freq {
                    "first (frequency run)"
                } else {
                    "last"
                });
            }
            r.efermi = v.efermi;
            r.complete = Some(v.complete);
            for k in SCAN_PARAMS {
                if let Some(val) = v.param(k) {
                    r.params.insert(k.to_string(), val.to_string());
                }
            }
            r.warnings.extend(v.warnings.iter().cloned());
        }
        Err(e) => r.errors.push(e.to_string()),
    }
}

/// Runs of equal elements in atom order, as species and counts (`Ni Ni O` → `Ni 2, O 1`).
fn species_runs(atoms: &[String]) -> (Vec<String>, Vec<usize>) {
    let mut sp: Vec<String> = Vec::new();
    let mut n: Vec<usize> = Vec::new();
    for a in atoms {
        if sp.last() == Some(a) {
            if let Some(c) = n.last_mut() {
                *c += 1;
            }
        } else {
            sp.push(a.clone());
            n.push(1);
        }
    }
    (sp, n)
}

/// Fill `r` from the OSZICAR at `p` (energy only: convergence and completion unknown, said
/// in a warning), or add its error.
/// An OSZICAR without an OUTCAR or vasprun.xml: the energy from the loader's rule, the
/// parameters and composition from the INCAR and structure file (as the linter sees them),
/// convergence inferred from NSW and NELM, completion unknown.
fn from_inputs(r: &mut ScanRecord, dir: &Path) {
    let c = super::dataset::read_one(dir, super::Role::Energy);
    if let Some(Err(e)) = c.oszicar() {
        r.errors.push(e.to_string());
        return;
    }
    r.source = c.oszicar_file.as_ref().map(|p| p.display().to_string());
    r.read = "oszicar";
    let facts = c.facts();
    let freq = facts.as_ref().is_some_and(|f| f.is_frequency_run());
    r.energy_sigma0 = c.energy(EnergyKind::Sigma0).ok().map(|e| e.value);
    r.energy_toten = c.energy(EnergyKind::Toten).ok().map(|e| e.value);
    if r.energy_sigma0.is_some() {
        r.energy_step = Some(if freq {
            "first (frequency run)"
        } else {
            "last"
        });
    }
    r.complete = None;
    if let Some(f) = &facts {
        r.composition = composition(&f.species, &f.counts);
        r.nions = Some(f.counts.iter().sum()).filter(|n: &usize| *n > 0);
        r.electronic_converged = f.last_loop_converged;
        r.ionic_converged = f.ionic_converged();
        for k in SCAN_PARAMS {
            if let Some(v) = f.param(k) {
                r.params.insert(k.to_string(), v.to_string());
            }
        }
    }
    r.warnings.push(match &facts {
        Some(_) => "energy from OSZICAR (no OUTCAR or vasprun.xml): completion unknown; convergence inferred from NSW and NELM in the INCAR".into(),
        None => "energy from OSZICAR (no OUTCAR, vasprun.xml or INCAR): convergence and completion unknown".into(),
    });
    if let Some(Ok(z)) = c.oszicar() {
        r.warnings.extend(z.warnings.iter().cloned());
    }
}

/// Read every directory of `dirs` on `threads` workers (all cores when `None`) and call
/// `emit(index, record)` in the order of `dirs`, as soon as each record and all before it
/// are done. `emit` returns `false` to stop early (a closed pipe); the workers then stop
/// taking new directories.
///
/// Workers take directories one at a time from a shared counter, so records finish nearly in
/// order and the reorder buffer stays small (it grows only while one slow directory, such
/// as a multi-GB gzip OUTCAR, holds back the ones after it).
pub fn scan<F>(dirs: &[PathBuf], depth: Depth, threads: Option<usize>, mut emit: F)
where
    F: FnMut(usize, ScanRecord) -> bool,
{
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        builder = builder.num_threads(n.max(1));
    }
    let pool = match builder.build() {
        Ok(p) => p,
        Err(_) => {
            // No threads available: read in this thread.
            for (k, d) in dirs.iter().enumerate() {
                if !emit(k, scan_one(d, depth)) {
                    return;
                }
            }
            return;
        }
    };
    let workers = pool.current_num_threads().min(dirs.len()).max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, ScanRecord)>(workers * 64);
    pool.in_place_scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, stop) = (&next, &stop);
            s.spawn(move |_| loop {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(d) = dirs.get(k) else { break };
                if tx.send((k, scan_one(d, depth))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, ScanRecord> = BTreeMap::new();
        let mut want = 0usize;
        for (k, rec) in rx.iter() {
            pending.insert(k, rec);
            while let Some(rec) = pending.remove(&want) {
                if !emit(want, rec) {
                    stop.store(true, Ordering::Relaxed);
                    // Drain so blocked workers can finish.
                    for _ in rx.iter() {}
                    return;
                }
                want += 1;
            }
        }
    });
}

/// The first line of a `scan -o` file: what it is, and for which root. `--resume`
/// continues only a file that starts with one for the same root.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct ScanHeader {
    pub schema_version: String,
    /// Always `scan_header`.
    pub kind: String,
    /// The root as canonical path: the same tree however it is spelled.
    pub root: String,
    /// The root as given: the prefix of every record's `path`.
    pub root_as_given: String,
}

impl ScanHeader {
    pub fn new(root: &Path) -> ScanHeader {
        ScanHeader {
            schema_version: SCHEMA_VERSION.into(),
            kind: "scan_header".into(),
            root: std::fs::canonicalize(root)
                .unwrap_or_else(|_| root.to_path_buf())
                .display()
                .to_string(),
            root_as_given: root.display().to_string(),
        }
    }

    /// A record path relative to the root, `/`-separated (`CuN4/slab`).
    pub fn relative(&self, path: &str) -> String {
        relative_to(&self.root_as_given, path)
    }
}

/// `path` without the `root` prefix (and the separator after it).
pub fn relative_to(root: &str, path: &str) -> String {
    let r = root.trim_end_matches('/');
    path.strip_prefix(r)
        .map(|p| p.trim_start_matches('/'))
        .unwrap_or(path)
        .to_string()
}

/// Where an earlier `scan -o` file stands.
#[derive(Debug, Default)]
pub struct ResumePoint {
    /// Every complete record's directory, relative to the root.
    pub done: HashSet<String>,
    /// Byte length of the complete lines: a line cut by an interrupted run, after them, is
    /// dropped before appending.
    pub valid_len: u64,
}

/// Read a `scan -o` file written earlier for `root` (maybe cut mid-line by an interrupt).
/// Refused (`Err`, said why) unless its first line is a [`ScanHeader`] for the same root and
/// every complete line after it is a scan record: nothing else is ever cut or appended to.
pub fn resume_point<R: BufRead>(mut reader: R, root: &Path) -> Result<ResumePoint, String> {
    let want = ScanHeader::new(root);
    let mut line = Vec::new();
    let n = reader
        .read_until(b'\n', &mut line)
        .map_err(|e| e.to_string())?;
    let header: Option<ScanHeader> = serde_json::from_slice(&line).ok();
    let Some(header) = header.filter(|h| h.kind == "scan_header") else {
        return Err("its first line is not a chepath scan header: it is not a `chepath scan -o` file (or was written by an older chepath); not continued".into());
    };
    if header.root != want.root {
        return Err(format!(
            "it was written for {}, not {}: not continued",
            header.root, want.root
        ));
    }
    let mut rp = ResumePoint {
        valid_len: n as u64,
        ..Default::default()
    };
    for k in 2.. {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())?;
        if n == 0 || line.last() != Some(&b'\n') {
            break;
        }
        let v: Option<serde_json::Value> = serde_json::from_slice(&line).ok();
        let path = v
            .as_ref()
            .filter(|v| v.get("kind").and_then(|k| k.as_str()) == Some("scan"))
            .and_then(|v| v.get("path").and_then(|p| p.as_str()));
        let Some(path) = path else {
            return Err(format!(
                "line {k} is not a scan record: the file was edited or holds another tool's output; not continued"
            ));
        };
        rp.done.insert(header.relative(path));
        rp.valid_len += n as u64;
    }
    Ok(rp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(root: &Path) -> String {
        serde_json::to_string(&ScanHeader::new(root)).unwrap()
    }

    #[test]
    fn resume_point_drops_only_a_cut_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let h = header(root);
        let a = format!(r#"{{"kind":"scan","path":"{}/a"}}"#, root.display());
        let b = format!(r#"{{"kind":"scan","path":"{}/b"}}"#, root.display());
        let text = format!("{h}\n{a}\n{b}\n{{\"kind\":\"scan\",\"pa");
        let rp = resume_point(text.as_bytes(), root).unwrap();
        assert_eq!(rp.done, ["a".to_string(), "b".to_string()].into());
        assert_eq!(rp.valid_len as usize, h.len() + a.len() + b.len() + 3);
        // the same tree spelled another way is the same root
        let other = root.join(".");
        assert!(resume_point(text.as_bytes(), &other).is_ok());
    }

    #[test]
    fn resume_point_refuses_what_is_not_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let h = header(root);
        let rec = format!(r#"{{"kind":"scan","path":"{}/a"}}"#, root.display());
        for (text, why) in [
            ("notes\n".to_string(), "not a chepath scan header"),
            (format!("{rec}\n"), "not a chepath scan header"),
            (
                format!("{h}\nnot json\n{rec}\n"),
                "line 2 is not a scan record",
            ),
            (
                format!("{h}\n{{\"kind\":\"other\"}}\n"),
                "line 2 is not a scan record",
            ),
        ] {
            let e = resume_point(text.as_bytes(), root).unwrap_err();
            assert!(e.contains(why), "{e}");
        }
        let elsewhere = tempfile::tempdir().unwrap();
        let e = resume_point(format!("{h}\n").as_bytes(), elsewhere.path()).unwrap_err();
        assert!(e.contains("it was written for"), "{e}");
    }

    #[test]
    fn scan_emits_in_order_with_any_thread_count() {
        let dir = tempfile::tempdir().unwrap();
        let mut dirs = Vec::new();
        for k in 0..40 {
            let d = dir.path().join(format!("c{k:02}"));
            std::fs::create_dir(&d).unwrap();
            std::fs::write(
                d.join("OSZICAR"),
                format!("   1 F= -{k}.0 E0= -{k}.5  d E =0\n"),
            )
            .unwrap();
            dirs.push(d);
        }
        for threads in [1, 2, 5] {
            let mut seen = Vec::new();
            scan(&dirs, Depth::Quick, Some(threads), |k, r| {
                seen.push((k, r.path.clone(), r.energy_sigma0));
                true
            });
            assert_eq!(seen.len(), 40);
            for (k, (i, p, e)) in seen.iter().enumerate() {
                assert_eq!(*i, k);
                assert_eq!(p, &dirs[k].display().to_string());
                assert_eq!(*e, Some(-(k as f64) - 0.5), "{p}");
            }
        }
        // Stopping early stops.
        let mut n = 0;
        scan(&dirs, Depth::Quick, Some(2), |_, _| {
            n += 1;
            n < 3
        });
        assert_eq!(n, 3);
    }
}
