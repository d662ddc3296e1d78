//! `barrier`: forward and reverse barriers and the reaction energy of an IS/TS/FS triple or
//! a NEB run, the TS checked, ZPE-corrected where every frequency run is there, the energy
//! profile along the path (reaction coordinate, tangent forces, spline maximum), and the
//! linter's findings on the calculations (`chepath barrier`, `chepath.barrier()`).

use crate::barrier::{self, Barrier, Point};
use crate::checks::lint;
use crate::conventions::EnergyKind;
use crate::error::Error;
use crate::thermo::SoftModeFloor;
use std::path::{Path, PathBuf};

/// The barrier of `paths` (IS TS FS, or one NEB directory) with `energy` of each structure;
/// `ts_freq` names the TS's frequency run (an OUTCAR, vasprun.xml, directory or VTST
/// `freq.dat`; else `TS/freq/` is used when there).
pub fn barrier(
    paths: &[PathBuf],
    ts_freq: Option<&Path>,
    energy: EnergyKind,
) -> Result<Barrier, Error> {
    let calcs = crate::load::barrier::read(paths, ts_freq)?;
    let points = calcs
        .points
        .iter()
        .map(|(label, c)| {
            let e = c.energy(energy).map_err(|e| e.context(label))?;
            Ok(Point {
                label: label.clone(),
                energy: e.value,
                source: e.source,
            })
        })
        .collect::<Result<Vec<Point>, Error>>()?;
    let mut b = match &calcs.neb {
        Some(info) => {
            let mut b = barrier::neb(points, energy, info.climbing)
                .ok_or_else(|| Error::input("a NEB run without images"))?;
            let n = b.images.len().saturating_sub(2);
            if let Some(k) = info.images_incar.filter(|k| *k != n) {
                b.warnings.push(format!(
                    "{}: the INCAR says IMAGES = {k} but there are {n} image directories between the end points",
                    info.dir.display()
                ));
            }
            b
        }
        None => {
            let mut it = points.into_iter();
            let (Some(is), Some(ts), Some(fs)) = (it.next(), it.next(), it.next()) else {
                return Err(Error::input("expected IS, TS and FS"));
            };
            barrier::triple(is, ts, fs, energy)
        }
    };
    b.warnings.extend(calcs.warnings.iter().cloned());
    b.profile = Some(profile(&b, &calcs));
    frequencies(&mut b, &calcs);
    let report = lint::lint_barrier(&calcs);
    b.warnings
        .extend(report.findings.iter().map(|f| f.as_warning()));
    Ok(b)
}

/// The energy profile: the images' energies relative to the first (IS, TS, FS for a triple)
/// on the reaction coordinate, with the tangent forces and spline of a NEB run.
fn profile(b: &Barrier, calcs: &crate::load::barrier::BarrierCalcs) -> barrier::Profile {
    let energy: Vec<f64> = if b.images.is_empty() {
        let e0 = b.initial.energy;
        [&b.initial, &b.transition, &b.final_]
            .iter()
            .map(|p| p.energy - e0)
            .collect()
    } else {
        b.images.iter().map(|i| i.relative).collect()
    };
    let (data, lattice, notes) = crate::load::barrier::profile_images(calcs);
    let images: Vec<barrier::ProfileImage> = data
        .into_iter()
        .map(|d| barrier::ProfileImage {
            positions: d.positions,
            forces: d.forces,
            vtst: d.vtst,
        })
        .collect();
    let mut p = barrier::profile(&energy, &images, lattice.as_ref(), calcs.neb.is_some());
    p.notes.extend(notes);
    p
}

/// The TS check and, with frequency runs of IS, TS and FS, the ZPE-corrected barriers.
fn frequencies(b: &mut Barrier, calcs: &crate::load::barrier::BarrierCalcs) {
    let by = |l: &str| calcs.freqs.iter().find(|f| f.label == l);
    if let Some(ts) = by("TS") {
        let (check, warning) = barrier::check_ts(&ts.signed_cm1, &ts.file.display().to_string());
        b.ts_check = Some(check);
        b.warnings.extend(warning);
        b.warnings.extend(ts.warnings.iter().cloned());
    } else {
        b.warnings.push("no frequency run of the TS (TS/freq/, or --freq): it is not checked for one imaginary mode".into());
    }
    let runs = [by("IS"), by("TS"), by("FS")];
    if let [Some(i), Some(t), Some(f)] = runs {
        let zpe = |r: &crate::load::barrier::FreqRun| {
            let th = crate::thermo::harmonic(&r.signed_cm1, 298.15, SoftModeFloor::None);
            (th.zpe, r.file.display().to_string())
        };
        b.zpe_corrected = Some(barrier::zpe_correct(b, [zpe(i), zpe(t), zpe(f)]));
    } else if runs.iter().any(Option::is_some) && calcs.neb.is_none() {
        let missing: Vec<&str> = ["IS", "TS", "FS"]
            .iter()
            .zip(runs)
            .filter(|(_, r)| r.is_none())
            .map(|(l, _)| *l)
            .collect();
        b.warnings.push(format!(
            "no ZPE-corrected barriers: frequency runs of {} are missing (put them in its freq/ directory)",
            missing.join(" and ")
        ));
    }
}
