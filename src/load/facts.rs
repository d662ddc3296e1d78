//! What a calculation says about itself (parameters, POTCARs, composition, k-points,
//! convergence, completion), from whichever files it has: the OUTCAR, else the vasprun.xml,
//! else its inputs (INCAR, KPOINTS, POTCAR or a title list, CONTCAR/POSCAR) with the OSZICAR.
//! The linter and `scan` compare calculations through these, whatever their files.
//!
//! From inputs alone some answers are inferred, and say so: a relaxation converged when the
//! OSZICAR holds fewer ionic steps than NSW (VASP stops early once EDIFFG is met); the last
//! electronic loop did not converge when it ran NELM iterations (default 60); completion is
//! unknown (`None`), never "incomplete".

use super::dataset::Calc;
use crate::conventions::choice;
use std::collections::BTreeMap;
use std::path::PathBuf;

choice! {
    /// Where a calculation's facts were read.
    pub enum FactSource {
        Outcar = "OUTCAR",
        Vasprun = "vasprun.xml",
        /// INCAR, KPOINTS, POTCAR (or a title list), CONTCAR/POSCAR and OSZICAR.
        Inputs = "input files",
    }
}

/// What a calculation says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub source: FactSource,
    /// The file the facts are named after in findings (the OUTCAR, vasprun.xml or INCAR).
    pub file: PathBuf,
    /// Parameters as printed (OUTCAR, vasprun.xml) or written (INCAR), by upper-case name.
    pub params: BTreeMap<String, String>,
    /// Whether `params` holds every value VASP used (OUTCAR and vasprun.xml print defaults;
    /// an INCAR holds only what was set).
    pub params_complete: bool,
    pub potcar_titles: Vec<String>,
    /// Species and counts, in file order (from the POTCARs and ions per type, or the
    /// structure file).
    pub species: Vec<String>,
    pub counts: Vec<usize>,
    /// The k-point mesh (`4x4x1`), number of irreducible points, KSPACING or a listed count.
    pub kpoints: Option<String>,
    pub ionic_steps: usize,
    /// The last electronic loop converged (`None`: cannot be told).
    pub last_loop_converged: Option<bool>,
    /// `reached required accuracy` was printed (or inferred from the OSZICAR, see the module).
    pub reached_required_accuracy: Option<bool>,
    /// VASP reached its final timing block; `None` when the files cannot tell.
    pub complete: Option<bool>,
}

impl Facts {
    /// A parameter, trimmed.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(|s| s.trim())
    }

    fn param_i64(&self, name: &str) -> Option<i64> {
        self.param(name)?
            .split_whitespace()
            .next()?
            .parse::<f64>()
            .ok()
            .filter(|v| v.fract() == 0.0)
            .map(|v| v as i64)
    }

    /// IBRION, with VASP's default (−1 for NSW = 0 or unset, else 0) when it is not set.
    pub fn ibrion(&self) -> i64 {
        self.param_i64("IBRION")
            .unwrap_or(if self.nsw() > 0 { 0 } else { -1 })
    }

    /// NSW (default 0).
    pub fn nsw(&self) -> i64 {
        self.param_i64("NSW").unwrap_or(0)
    }

    /// IBRION = 1, 2 or 3 with NSW > 0: a structure optimisation.
    pub fn is_relaxation(&self) -> bool {
        matches!(self.ibrion(), 1..=3) && self.nsw() > 0
    }

    /// IBRION = 5–8: finite differences or DFPT.
    pub fn is_frequency_run(&self) -> bool {
        matches!(self.ibrion(), 5..=8)
    }

    /// `Some(converged)` for relaxations, `None` for anything else or when unknown.
    pub fn ionic_converged(&self) -> Option<bool> {
        if self.is_relaxation() {
            self.reached_required_accuracy
        } else {
            None
        }
    }

    /// Species → count, when both are known and match.
    pub fn composition(&self) -> Option<BTreeMap<String, i32>> {
        if self.species.is_empty() || self.species.len() != self.counts.len() {
            return None;
        }
        let mut m = BTreeMap::new();
        for (s, n) in self.species.iter().zip(&self.counts) {
            *m.entry(s.clone()).or_insert(0) += *n as i32;
        }
        Some(m)
    }
}

/// Runs of equal elements: `[Ni, Ni, O]` → (`[Ni, O]`, `[2, 1]`).
pub fn species_runs(atoms: &[String]) -> (Vec<String>, Vec<usize>) {
    let mut sp: Vec<String> = Vec::new();
    let mut n: Vec<usize> = Vec::new();
    for a in atoms {
        match (sp.last(), n.last_mut()) {
            (Some(l), Some(c)) if l == a => *c += 1,
            _ => {
                sp.push(a.clone());
                n.push(1);
            }
        }
    }
    (sp, n)
}

impl Calc {
    /// What the calculation says about itself: from its OUTCAR, else its vasprun.xml, else its
    /// input files (`None` when it has none of them, or they could not be read).
    pub fn facts(&self) -> Option<Facts> {
        if let (Some(Ok(o)), Some(f)) = (self.outcar(), &self.outcar_file) {
            return Some(Facts {
                source: FactSource::Outcar,
                file: f.clone(),
                params: o.incar.clone(),
                params_complete: true,
                potcar_titles: o.potcar_titles.clone(),
                species: o.species.clone(),
                counts: o.ions_per_type.clone(),
                kpoints: o
                    .kpoint_mesh
                    .map(|[a, b, c]| format!("{a}x{b}x{c}"))
                    .or_else(|| {
                        o.param("NKPTS")
                            .map(|n| format!("{} irreducible k-points", n.trim()))
                    }),
                ionic_steps: o.ionic_steps.len(),
                last_loop_converged: o.last_loop_converged,
                reached_required_accuracy: Some(o.reached_required_accuracy),
                complete: Some(o.complete),
            });
        }
        if self.outcar_file.is_some() {
            return None;
        }
        if let (Some(Ok(v)), Some(f)) = (self.vasprun_record(), &self.vasprun_file) {
            let (species, counts) = species_runs(&v.atoms);
            let mut params = v.parameters.clone();
            params.extend(v.incar.iter().map(|(k, x)| (k.clone(), x.clone())));
            return Some(Facts {
                source: FactSource::Vasprun,
                file: f.clone(),
                params,
                params_complete: true,
                potcar_titles: Vec::new(),
                species,
                counts,
                kpoints: None,
                ionic_steps: v.ionic_steps.len(),
                last_loop_converged: None,
                reached_required_accuracy: None,
                complete: Some(v.complete),
            });
        }
        self.input_facts()
    }

    /// Facts from INCAR, KPOINTS, POTCAR, the structure file and the OSZICAR.
    fn input_facts(&self) -> Option<Facts> {
        let incar = self.incar_record().and_then(Result::ok)?;
        let file = self.incar_file().cloned()?;
        let mut f = Facts {
            source: FactSource::Inputs,
            file,
            params: incar.clone(),
            params_complete: false,
            potcar_titles: self
                .potcar_record()
                .and_then(Result::ok)
                .cloned()
                .unwrap_or_default(),
            species: Vec::new(),
            counts: Vec::new(),
            kpoints: None,
            ionic_steps: 0,
            last_loop_converged: None,
            reached_required_accuracy: None,
            complete: None,
        };
        if let Some(Ok(s)) = self.structure() {
            f.species = s.species.clone();
            f.counts = s.counts.clone();
        }
        f.kpoints = match (
            self.kpoints_record().and_then(Result::ok),
            f.param("KSPACING"),
        ) {
            (Some(k), _) => Some(k.describe()),
            (None, Some(ks)) => Some(format!("KSPACING = {ks}")),
            (None, None) => None,
        };
        if let Some(Ok(z)) = self.oszicar() {
            f.ionic_steps = z.ionic_steps.len();
            let nelm = f.param_i64("NELM").unwrap_or(60);
            f.last_loop_converged = z
                .last_step()
                .map(|s| (s.electronic_iterations as i64) < nelm);
            if f.is_relaxation() {
                f.reached_required_accuracy = Some((f.ionic_steps as i64) < f.nsw());
            }
        }
        Some(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_species() {
        let a: Vec<String> = ["Ni", "Ni", "O", "H", "H"].map(String::from).to_vec();
        assert_eq!(
            species_runs(&a),
            (
                vec!["Ni".to_string(), "O".into(), "H".into()],
                vec![2, 1, 2]
            )
        );
    }

    #[test]
    fn defaults_of_ibrion() {
        let mut f = Facts {
            source: FactSource::Inputs,
            file: PathBuf::new(),
            params: BTreeMap::new(),
            params_complete: false,
            potcar_titles: vec![],
            species: vec![],
            counts: vec![],
            kpoints: None,
            ionic_steps: 3,
            last_loop_converged: None,
            reached_required_accuracy: Some(true),
            complete: None,
        };
        assert!(!f.is_relaxation());
        assert_eq!(f.ibrion(), -1);
        f.params.insert("NSW".into(), "200".into());
        f.params.insert("IBRION".into(), "2".into());
        assert!(f.is_relaxation());
        assert_eq!(f.ionic_converged(), Some(true));
        f.params.insert("IBRION".into(), "5".into());
        assert!(f.is_frequency_run());
    }
}
