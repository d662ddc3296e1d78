//! Reaction barriers from an initial, transition and final state (IS/TS/FS) or from the
//! images of a NEB run: forward and reverse barrier, reaction energy, the TS checked for one
//! imaginary mode, and ZPE-corrected values. Pure: energies and modes in, numbers out (the
//! loader reads the files, `checks::lint::lint_barrier` compares their settings).

use crate::conventions::EnergyKind;
use serde::Serialize;

/// One structure's energy and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// `IS`, `TS`, `FS`, or the image's directory name (`00`, `01`, …).
    pub label: String,
    /// eV.
    pub energy: f64,
    /// `…/OUTCAR:1234 (step 3, E0)`.
    pub source: String,
}

/// One NEB image: its energy relative to the first image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    pub index: usize,
    pub label: String,
    pub energy: f64,
    /// E − E(image 0), eV.
    pub relative: f64,
    pub source: String,
}

/// The transition state's frequency run: how many imaginary modes (one expected).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TsCheck {
    /// The imaginary modes, cm⁻¹ (as positive numbers, written `…i`).
    pub imaginary_cm1: Vec<f64>,
    /// Exactly one imaginary mode.
    pub ok: bool,
    pub source: String,
}

/// Barriers with the zero-point energies of IS, TS and FS added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZpeCorrected {
    pub forward_barrier: f64,
    pub reverse_barrier: f64,
    pub reaction_energy: f64,
    /// ZPE of IS, TS (its imaginary mode left out) and FS, eV.
    pub zpe: [f64; 3],
    pub sources: [String; 3],
}

/// A barrier and everything it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Barrier {
    pub schema_version: &'static str,
    pub kind: &'static str,
    /// `IS/TS/FS` or `NEB`.
    pub method: &'static str,
    /// The energy of each structure (`sigma0` = E0, `toten` = F).
    pub energy: EnergyKind,
    /// E(TS) − E(IS), eV.
    pub forward_barrier: f64,
    /// E(TS) − E(FS), eV.
    pub reverse_barrier: f64,
    /// E(FS) − E(IS), eV.
    pub reaction_energy: f64,
    pub initial: Point,
    pub transition: Point,
    #[serde(rename = "final")]
    pub final_: Point,
    /// NEB: every image, in order (empty for IS/TS/FS).
    pub images: Vec<Image>,
    /// NEB: the index of the highest image (the TS).
    pub highest_image: Option<usize>,
    /// NEB: the climbing-image flag as the run's INCAR sets it (`None`: not set or no INCAR).
    pub climbing_image: Option<bool>,
    pub ts_check: Option<TsCheck>,
    pub zpe_corrected: Option<ZpeCorrected>,
    pub warnings: Vec<String>,
}

/// The barriers of an IS, TS and FS: Ea(forward) = E(TS) − E(IS), Ea(reverse) =
/// E(TS) − E(FS), ΔE = E(FS) − E(IS) (the transition-state theory energies, e.g.
/// Nørskov et al., *Fundamental Concepts in Heterogeneous Catalysis*, ch. 6).
pub fn triple(is: Point, ts: Point, fs: Point, energy: EnergyKind) -> Barrier {
    let mut warnings = Vec::new();
    let (f, r) = (ts.energy - is.energy, ts.energy - fs.energy);
    if f < 0.0 || r < 0.0 {
        warnings.push(format!(
            "the TS is below the {} ({:+.3} eV): it is not a saddle point between them (check that the three belong together and the TS search converged)",
            if f < 0.0 { "IS" } else { "FS" },
            f.min(r)
        ));
    }
    Barrier {
        schema_version: crate::records::SCHEMA_VERSION,
        kind: "barrier",
        method: "IS/TS/FS",
        energy,
        forward_barrier: f,
        reverse_barrier: r,
        reaction_energy: fs.energy - is.energy,
        initial: is,
        transition: ts,
        final_: fs,
        images: Vec::new(),
        highest_image: None,
        climbing_image: None,
        ts_check: None,
        zpe_corrected: None,
        warnings,
    }
}

/// The barriers of a NEB run: the images' energies in order, the first the IS and the last
/// the FS; the TS is the highest intermediate image. With fewer than three images, or the
/// highest energy at an end point, the barrier is what the images give, with a warning.
pub fn neb(images: Vec<Point>, energy: EnergyKind, climbing: Option<bool>) -> Option<Barrier> {
    let (first, last) = (images.first()?.clone(), images.last()?.clone());
    let inner = images.len().saturating_sub(2);
    let highest = (1..images.len().saturating_sub(1))
        .max_by(|&a, &b| images[a].energy.total_cmp(&images[b].energy));
    let ts_index = highest.unwrap_or(0);
    let mut b = triple(
        first.clone(),
        images[ts_index].clone(),
        last.clone(),
        energy,
    );
    b.method = "NEB";
    b.warnings.clear();
    let top = images.iter().map(|p| p.energy).fold(f64::MIN, f64::max);
    if inner == 0 {
        b.warnings.push(
            "no intermediate images: the barrier is not known (the TS is taken as the first image)"
                .into(),
        );
    } else if top > images[ts_index].energy {
        b.warnings.push(format!(
            "an end point is higher than every intermediate image (by {:.3} eV): the path has no barrier beyond the reaction energy, or the end points are not the relaxed IS and FS",
            top - images[ts_index].energy
        ));
    } else if ts_index == 1 || ts_index == images.len() - 2 {
        b.warnings.push(format!(
            "the highest image ({}) is next to an end point: the saddle may lie outside the images; add images there or use a climbing image",
            images[ts_index].label
        ));
    }
    if climbing == Some(false) && inner > 0 {
        b.warnings.push("LCLIMB = .FALSE.: the highest image is not converged to the saddle point, so the barrier is a lower bound; rerun with the climbing image".into());
    }
    b.images = images
        .iter()
        .enumerate()
        .map(|(i, p)| Image {
            index: i,
            label: p.label.clone(),
            energy: p.energy,
            relative: p.energy - first.energy,
            source: p.source.clone(),
        })
        .collect();
    b.highest_image = highest;
    b.climbing_image = climbing;
    Some(b)
}

/// The TS's modes (signed cm⁻¹, imaginary negative): one imaginary mode expected; none
/// (a minimum, not a saddle) or several (a higher-order saddle) is a warning saying what to do.
pub fn check_ts(signed_cm1: &[f64], source: &str) -> (TsCheck, Option<String>) {
    let imaginary: Vec<f64> = signed_cm1
        .iter()
        .filter(|f| **f < 0.0)
        .map(|f| -f)
        .collect();
    let list = || {
        imaginary
            .iter()
            .map(|f| format!("{f:.1}i"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let warning = match imaginary.len() {
        1 => None,
        0 => Some(format!("{source}: the TS has no imaginary mode: it is a minimum, not a saddle point; restart the TS search (dimer or climbing-image NEB) from it")),
        n => Some(format!("{source}: the TS has {n} imaginary modes ({} cm-1); one is expected: follow the extra ones (displace along them and re-optimise), or tighten EDIFF/EDIFFG if they are small", list())),
    };
    let ok = imaginary.len() == 1;
    (
        TsCheck {
            imaginary_cm1: imaginary,
            ok,
            source: source.to_string(),
        },
        warning,
    )
}

/// ZPE-corrected barriers: each energy plus its zero-point energy Σ ½hν̃ over real modes
/// (the TS's imaginary mode left out: it is the reaction coordinate), so
/// Ea = (E + ZPE)(TS) − (E + ZPE)(IS), and so on.
pub fn zpe_correct(b: &Barrier, zpe: [(f64, String); 3]) -> ZpeCorrected {
    let [(zi, si), (zt, st), (zf, sf)] = zpe;
    ZpeCorrected {
        forward_barrier: b.forward_barrier + zt - zi,
        reverse_barrier: b.reverse_barrier + zt - zf,
        reaction_energy: b.reaction_energy + zf - zi,
        zpe: [zi, zt, zf],
        sources: [si, st, sf],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(label: &str, e: f64) -> Point {
        Point {
            label: label.into(),
            energy: e,
            source: format!("{label}/OUTCAR"),
        }
    }

    #[test]
    fn barriers_are_energy_differences() {
        let b = triple(
            p("IS", -100.0),
            p("TS", -99.2),
            p("FS", -100.5),
            EnergyKind::Sigma0,
        );
        assert!((b.forward_barrier - 0.8).abs() < 1e-12);
        assert!((b.reverse_barrier - 1.3).abs() < 1e-12);
        assert!((b.reaction_energy + 0.5).abs() < 1e-12);
        assert!(b.warnings.is_empty());
        let low = triple(
            p("IS", -100.0),
            p("TS", -100.1),
            p("FS", -99.0),
            EnergyKind::Sigma0,
        );
        assert!(
            low.warnings[0].contains("below the IS"),
            "{:?}",
            low.warnings
        );
    }

    #[test]
    fn neb_takes_the_highest_inner_image() {
        let e = [0.0, 0.3, 0.9, 0.5, -0.2];
        let imgs: Vec<Point> = e
            .iter()
            .enumerate()
            .map(|(i, x)| p(&format!("{i:02}"), -50.0 + x))
            .collect();
        let b = neb(imgs, EnergyKind::Sigma0, Some(true)).expect("images");
        assert_eq!(b.highest_image, Some(2));
        assert!((b.forward_barrier - 0.9).abs() < 1e-12);
        assert!((b.reverse_barrier - 1.1).abs() < 1e-12);
        assert!((b.images[4].relative + 0.2).abs() < 1e-12);
        assert!(b.warnings.is_empty(), "{:?}", b.warnings);
        let flat = [0.0, -0.1, -0.2, 0.4];
        let imgs: Vec<Point> = flat
            .iter()
            .enumerate()
            .map(|(i, x)| p(&format!("{i:02}"), x - 1.0))
            .collect();
        let b = neb(imgs, EnergyKind::Sigma0, Some(false)).expect("images");
        assert!(
            b.warnings.iter().any(|w| w.contains("end point is higher")),
            "{:?}",
            b.warnings
        );
        assert!(
            b.warnings.iter().any(|w| w.contains("LCLIMB")),
            "{:?}",
            b.warnings
        );
        assert!(neb(Vec::new(), EnergyKind::Sigma0, None).is_none());
    }

    #[test]
    fn a_ts_has_one_imaginary_mode() {
        let (c, w) = check_ts(&[-512.3, 300.0, 80.0], "TS/freq/OUTCAR");
        assert!(c.ok && w.is_none());
        assert_eq!(c.imaginary_cm1, vec![512.3]);
        let (c, w) = check_ts(&[300.0, 80.0], "x");
        assert!(!c.ok && w.expect("warning").contains("no imaginary mode"));
        let (c, w) = check_ts(&[-512.3, -40.0, 80.0], "x");
        assert!(!c.ok && w.expect("warning").contains("2 imaginary modes"));
    }

    #[test]
    fn zpe_shifts_each_energy() {
        let b = triple(
            p("IS", -100.0),
            p("TS", -99.2),
            p("FS", -100.5),
            EnergyKind::Sigma0,
        );
        let z = zpe_correct(
            &b,
            [(0.30, "a".into()), (0.25, "b".into()), (0.35, "c".into())],
        );
        // (−99.2 + 0.25) − (−100 + 0.30) = 0.75; (−99.2 + 0.25) − (−100.5 + 0.35) = 1.20
        assert!((z.forward_barrier - 0.75).abs() < 1e-12);
        assert!((z.reverse_barrier - 1.20).abs() < 1e-12);
        assert!((z.reaction_energy + 0.45).abs() < 1e-12);
    }
}
