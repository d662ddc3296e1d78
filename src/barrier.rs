//! Reaction barriers from an initial, transition and final state (IS/TS/FS) or from the
//! images of a NEB run: forward and reverse barrier, reaction energy, the TS checked for one
//! imaginary mode, ZPE-corrected values, and the energy profile along the path (reaction
//! coordinate, tangent forces, the cubic spline through the images and its maximum). Pure:
//! energies, modes, positions and forces in, numbers out (the loader reads the files,
//! `checks::lint::lint_barrier` compares their settings, `output::profile` draws the profile).

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
    /// The energy profile along the path (`None` until [`profile`] is computed).
    pub profile: Option<Profile>,
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
        profile: None,
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

/// What the energy profile of one structure (NEB image, or IS, TS, FS) is computed from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileImage {
    /// Cartesian positions of its final structure, Å (CONTCAR, else POSCAR, else the
    /// OUTCAR's last positions).
    pub positions: Option<Vec<[f64; 3]>>,
    /// The forces printed at the step the energy is taken from (the OUTCAR's last
    /// `TOTAL-FORCE` block), eV/Å.
    pub forces: Option<Vec<[f64; 3]>>,
    /// VTST's own true force along the tangent (`NEB: projections on to tangent`), eV/Å.
    pub vtst: Option<f64>,
}

/// The energy profile along a path: the `profile` object of `chepath barrier --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Reaction coordinate of each image: the cumulative distance between consecutive final
    /// structures, Å (`coordinate_unit` `Å`); the image's index when positions are missing
    /// (`index`).
    pub coordinate: Vec<f64>,
    pub coordinate_unit: &'static str,
    /// E − E(first image), eV.
    pub energy: Vec<f64>,
    /// The true force along the path's tangent, eV/Å (positive towards the last image,
    /// so dE/dr = −F); `null` where it is not known.
    pub tangent_force: Vec<Option<f64>>,
    /// Where the intermediate images' tangent forces come from: `vtst` (printed by VTST),
    /// `projected` (the OUTCAR's forces on the tangent), `vtst+projected`, or `none` (no
    /// spline).
    pub force_source: &'static str,
    /// The same for every image, said in words (end points included).
    pub force_sources: Vec<String>,
    /// The maximum of the spline, E − E(first image), eV (the barrier read off the spline).
    pub spline_max: Option<f64>,
    /// Where it is, on the reaction coordinate.
    pub spline_max_at: Option<f64>,
    /// The spline's maximum above the last image: its reverse barrier, eV.
    pub spline_reverse: Option<f64>,
    /// The spline sampled, [`SPLINE_SAMPLES`] points a segment and the last image (as ASE's
    /// `fit_path`, `fit_energies`): coordinate, Å, and E − E(first image), eV. Empty without
    /// a spline.
    pub spline_coordinate: Vec<f64>,
    pub spline_energy: Vec<f64>,
    /// How the numbers were obtained where that is not the rule (missing positions, a
    /// cell that changes, coincident images).
    pub notes: Vec<String>,
}

/// Samples of the spline per segment in [`Profile`] (ASE's `fit_raw` takes 20 too).
pub const SPLINE_SAMPLES: usize = 20;

/// A 3×3 matrix's inverse (rows as given), `None` when it is singular.
fn inverse(m: &[[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let [a, b, c] = *m;
    let cof = [
        [
            b[1] * c[2] - b[2] * c[1],
            a[2] * c[1] - a[1] * c[2],
            a[1] * b[2] - a[2] * b[1],
        ],
        [
            b[2] * c[0] - b[0] * c[2],
            a[0] * c[2] - a[2] * c[0],
            a[2] * b[0] - a[0] * b[2],
        ],
        [
            b[0] * c[1] - b[1] * c[0],
            a[1] * c[0] - a[0] * c[1],
            a[0] * b[1] - a[1] * b[0],
        ],
    ];
    let det = a[0] * cof[0][0] + a[1] * cof[1][0] + a[2] * cof[2][0];
    if det.abs() < 1e-12 || !det.is_finite() {
        return None;
    }
    Some(cof.map(|r| r.map(|x| x / det)))
}

/// A periodic cell: its lattice rows (Å) and their inverse.
pub type Cell<'a> = (&'a [[f64; 3]; 3], &'a [[f64; 3]; 3]);

/// The displacement of every atom from one image to the next, Å (a 3N-vector).
pub type Steps = Vec<[f64; 3]>;

/// Row vector × matrix: fractional → Cartesian with the lattice rows (r = f·L), or
/// Cartesian → fractional with L⁻¹.
fn times(v: [f64; 3], m: &[[f64; 3]; 3]) -> [f64; 3] {
    [0, 1, 2].map(|j| v[0] * m[0][j] + v[1] * m[1][j] + v[2] * m[2][j])
}

fn norm2(v: [f64; 3]) -> f64 {
    v[0] * v[0] + v[1] * v[1] + v[2] * v[2]
}

/// The shortest Cartesian vector between two positions in a periodic cell (the
/// minimum-image convention): the fractional difference wrapped into [−½, ½), then the 27
/// neighbouring images tried, which finds the shortest vector in skewed cells too (as ASE's
/// `find_mic` and pymatgen's `pbc_shortest_vectors` do). Without a cell, the plain difference.
pub fn minimum_image(d: [f64; 3], cell: Option<Cell<'_>>) -> [f64; 3] {
    let Some((lat, inv)) = cell else {
        return d;
    };
    let f = times(d, inv).map(|x| x - x.round());
    let mut best = times(f, lat);
    let mut best2 = norm2(best);
    for i in -1..=1 {
        for j in -1..=1 {
            for k in -1..=1 {
                let v = times([f[0] + i as f64, f[1] + j as f64, f[2] + k as f64], lat);
                let n = norm2(v);
                if n < best2 - 1e-12 {
                    best = v;
                    best2 = n;
                }
            }
        }
    }
    best
}

/// The displacement of every atom from structure `a` to `b`, each by the minimum-image
/// convention ([`minimum_image`]).
fn displacement(a: &[[f64; 3]], b: &[[f64; 3]], cell: Option<Cell<'_>>) -> Vec<[f64; 3]> {
    a.iter()
        .zip(b)
        .map(|(p, q)| minimum_image([q[0] - p[0], q[1] - p[1], q[2] - p[2]], cell))
        .collect()
}

/// The length of a 3N-vector, √(Σᵢ |dᵢ|²).
fn length(d: &[[f64; 3]]) -> f64 {
    d.iter().map(|v| norm2(*v)).sum::<f64>().sqrt()
}

/// The reaction coordinate of a path and the displacements between its images:
/// r₀ = 0, rᵢ₊₁ = rᵢ + |Δᵢ| with Δᵢ the 3N-vector from image i to i + 1, each atom's
/// displacement by the minimum-image convention in `lattice` (rows, Å). This is the
/// cumulative distance pymatgen's `NEBAnalysis.from_outcars` (`r`, from the sites' periodic
/// distances) and ASE's `fit_raw` (`path`, with `find_mic`) compute. `None` when a
/// structure is missing or the atom counts differ.
pub fn reaction_coordinate(
    positions: &[Option<&[[f64; 3]]>],
    lattice: Option<&[[f64; 3]; 3]>,
) -> Option<(Vec<f64>, Vec<Steps>)> {
    let inv = lattice.and_then(inverse);
    let cell = lattice.zip(inv.as_ref());
    let all: Vec<&[[f64; 3]]> = positions.iter().copied().collect::<Option<_>>()?;
    let n = all.first()?.len();
    if n == 0 || all.iter().any(|p| p.len() != n) {
        return None;
    }
    let steps: Vec<Steps> = all
        .windows(2)
        .map(|w| displacement(w[0], w[1], cell))
        .collect();
    let mut r = vec![0.0];
    for d in &steps {
        let last = r.last().copied().unwrap_or(0.0);
        r.push(last + length(d));
    }
    Some((r, steps))
}

/// The force along the path at image `i` of `n`: F·τ̂, with the tangent τ the displacement
/// to the next image at the first, from the previous at the last, and from the previous to
/// the next (Δᵢ₋₁ + Δᵢ, the central difference) in between: the tangent and projection of
/// ASE's `fit_raw` (`slope = −(F·τ̂)`), with the displacements taken by the minimum-image
/// convention. `None` when the tangent vanishes or the atom counts differ.
pub fn tangent_force(forces: &[[f64; 3]], steps: &[Steps], i: usize) -> Option<f64> {
    let n = steps.len() + 1;
    let tau: Vec<[f64; 3]> = if i == 0 {
        steps.first()?.clone()
    } else if i + 1 == n {
        steps.last()?.clone()
    } else {
        steps[i - 1]
            .iter()
            .zip(&steps[i])
            .map(|(a, b)| [a[0] + b[0], a[1] + b[1], a[2] + b[2]])
            .collect()
    };
    let len = length(&tau);
    if len < 1e-12 || tau.len() != forces.len() {
        return None;
    }
    let dot: f64 = tau
        .iter()
        .zip(forces)
        .map(|(t, f)| t[0] * f[0] + t[1] * f[1] + t[2] * f[2])
        .sum();
    Some(dot / len)
}

/// The cubic Hermite spline through the images at `x` with energies `e` and slopes `m`
/// (dE/dx = −F_tangent), evaluated at `at`. On the segment [xᵢ, xᵢ₊₁], h = xᵢ₊₁ − xᵢ,
/// t = (x − xᵢ)/h:
///
/// E(t) = (2t³ − 3t² + 1)·Eᵢ + (t³ − 2t² + t)·h·mᵢ + (−2t³ + 3t²)·Eᵢ₊₁ + (t³ − t²)·h·mᵢ₊₁,
///
/// the one cubic per segment with the images' energies at both ends and the slopes −F there.
/// Source: ASE's `ase.utils.forcecurve.fit_raw`, which solves for this cubic (a 4×4 system
/// per segment); the interpolation between images with energies and tangent forces is that
/// of Henkelman & Jónsson, J. Chem. Phys. 113, 9978 (2000), and VTST's `nebspline.pl` fits
/// the same data (`neb.dat`). Outside [x₀, xₙ] the end values; a segment of zero length is
/// its end.
pub fn hermite(x: &[f64], e: &[f64], m: &[f64], at: f64) -> f64 {
    let n = x.len().min(e.len()).min(m.len());
    if n == 0 {
        return f64::NAN;
    }
    if at <= x[0] {
        return e[0];
    }
    let k = (1..n).find(|&k| at <= x[k]).unwrap_or(n - 1);
    if at >= x[n - 1] || k == 0 {
        return e[n - 1];
    }
    let c = segment(x[k - 1], x[k], [e[k - 1], e[k]], [m[k - 1], m[k]]);
    let h = x[k] - x[k - 1];
    if h <= 0.0 {
        return e[k];
    }
    let t = (at - x[k - 1]) / h;
    c[0] + t * (c[1] + t * (c[2] + t * c[3]))
}

/// The spline of a segment as a cubic in t ∈ [0, 1]: E = c₀ + c₁t + c₂t² + c₃t³ with
/// c₀ = Eᵢ, c₁ = h·mᵢ, c₂ = 3(Eᵢ₊₁ − Eᵢ) − h(2mᵢ + mᵢ₊₁), c₃ = 2(Eᵢ − Eᵢ₊₁) + h(mᵢ + mᵢ₊₁)
/// (the Hermite basis of [`hermite`] multiplied out).
fn segment(x0: f64, x1: f64, e: [f64; 2], m: [f64; 2]) -> [f64; 4] {
    let h = x1 - x0;
    [
        e[0],
        h * m[0],
        3.0 * (e[1] - e[0]) - h * (2.0 * m[0] + m[1]),
        2.0 * (e[0] - e[1]) + h * (m[0] + m[1]),
    ]
}

/// The maximum of the [`hermite`] spline and where it is: the largest of the nodes and of
/// each segment's stationary points inside it (the roots of dE/dt = c₁ + 2c₂t + 3c₃t²).
/// Exact, where ASE's `NEBTools.get_barrier()` takes the largest of 20 samples a segment.
pub fn hermite_max(x: &[f64], e: &[f64], m: &[f64]) -> Option<(f64, f64)> {
    let n = x.len().min(e.len()).min(m.len());
    let mut best: Option<(f64, f64)> = None;
    let mut take = |v: f64, at: f64| {
        if v.is_finite() && best.is_none_or(|(b, _)| v > b) {
            best = Some((v, at));
        }
    };
    for k in 0..n {
        take(e[k], x[k]);
    }
    for k in 1..n {
        let h = x[k] - x[k - 1];
        if h <= 0.0 {
            continue;
        }
        let c = segment(x[k - 1], x[k], [e[k - 1], e[k]], [m[k - 1], m[k]]);
        let (a, b, cc) = (3.0 * c[3], 2.0 * c[2], c[1]);
        let roots: Vec<f64> = if a.abs() < 1e-14 {
            if b.abs() < 1e-14 {
                Vec::new()
            } else {
                vec![-cc / b]
            }
        } else {
            let disc = b * b - 4.0 * a * cc;
            if disc < 0.0 {
                Vec::new()
            } else {
                let s = disc.sqrt();
                vec![(-b - s) / (2.0 * a), (-b + s) / (2.0 * a)]
            }
        };
        for t in roots.into_iter().filter(|t| *t > 0.0 && *t < 1.0) {
            take(c[0] + t * (c[1] + t * (c[2] + t * c[3])), x[k - 1] + t * h);
        }
    }
    best
}

/// The [`hermite`] spline at `per` evenly spaced points of every segment, and the last image.
pub fn spline_samples(x: &[f64], e: &[f64], m: &[f64], per: usize) -> Vec<(f64, f64)> {
    let mut pts = Vec::new();
    for k in 1..x.len() {
        for s in 0..per {
            let at = x[k - 1] + (x[k] - x[k - 1]) * s as f64 / per as f64;
            pts.push((at, hermite(x, e, m, at)));
        }
    }
    if let (Some(&xl), Some(&el)) = (x.last(), e.last()) {
        pts.push((xl, el));
    }
    pts
}

/// The tangent force of every image and where it came from: VTST's printed value, else the
/// forces projected on the tangent ([`tangent_force`]); an end point without either is 0
/// (fixed in a NEB: VASP does not move it); an intermediate image without either is unknown.
fn tangent_forces(
    images: &[ProfileImage],
    steps: Option<&[Steps]>,
) -> (Vec<Option<f64>>, Vec<String>) {
    let n = images.len();
    images
        .iter()
        .enumerate()
        .map(|(i, im)| {
            let end = i == 0 || i + 1 == n;
            let projected = im
                .forces
                .as_deref()
                .zip(steps)
                .and_then(|(f, s)| tangent_force(f, s, i));
            match (im.vtst, projected) {
                (Some(v), _) => (Some(v), "vtst: VTST's 'NEB: projections on to tangent' (REAL)".to_string()),
                (None, Some(v)) => (
                    Some(v),
                    format!(
                        "projected: the OUTCAR's last TOTAL-FORCE on the {} tangent",
                        if end { "end point's" } else { "central-difference" }
                    ),
                ),
                (None, None) if end => (
                    Some(0.0),
                    if im.forces.is_some() {
                        "end point: 0 (its tangent is not defined: the next image has the same structure)"
                    } else {
                        "end point: 0 (no forces in its OUTCAR; the end points of a NEB are fixed)"
                    }
                    .to_string(),
                ),
                (None, None) => (
                    None,
                    "none: no VTST tangent force and no TOTAL-FORCE block of the energy's step".to_string(),
                ),
            }
        })
        .unzip()
}

/// The energy profile of a path: `energy` relative to the first image (eV) and the
/// images' structures and forces, in the cell `lattice` (rows, Å; NEB cells are fixed).
/// The coordinate is [`reaction_coordinate`]; with every tangent force known (`neb`: a NEB
/// run; IS/TS/FS have no forces along a path), the [`hermite`] spline's maximum
/// ([`hermite_max`]) is the barrier read off the spline.
pub fn profile(
    energy: &[f64],
    images: &[ProfileImage],
    lattice: Option<&[[f64; 3]; 3]>,
    neb: bool,
) -> Profile {
    let mut notes = Vec::new();
    let positions: Vec<Option<&[[f64; 3]]>> =
        images.iter().map(|i| i.positions.as_deref()).collect();
    let path = reaction_coordinate(&positions, lattice);
    let (coordinate, unit, steps) = match path {
        Some((r, steps)) => {
            if lattice.is_none() {
                notes.push("no cell (no CONTCAR or POSCAR): distances without the minimum-image convention".into());
            }
            if steps.iter().any(|d| length(d) < 1e-8) {
                notes.push("two consecutive images have the same structure: a segment of zero length (the spline skips it)".into());
            }
            (r, "Å", Some(steps))
        }
        None => {
            notes.push("positions are missing for an image, or the images' atom counts differ: the coordinate is the image index (no spline)".into());
            ((0..energy.len()).map(|i| i as f64).collect(), "index", None)
        }
    };
    let (tangent_force, force_sources) = if neb {
        tangent_forces(images, steps.as_deref())
    } else {
        (
            vec![None; energy.len()],
            vec!["none: IS/TS/FS (no NEB forces)".to_string(); energy.len()],
        )
    };
    let inner = 1..energy.len().saturating_sub(1);
    let kinds: Vec<&str> = inner
        .clone()
        .map(|i| force_sources[i].split(':').next().unwrap_or("none"))
        .collect();
    let force_source = if !neb || kinds.contains(&"none") || inner.is_empty() {
        "none"
    } else if kinds.iter().all(|k| *k == "vtst") {
        "vtst"
    } else if kinds.iter().all(|k| *k == "projected") {
        "projected"
    } else {
        "vtst+projected"
    };
    let slopes: Option<Vec<f64>> = tangent_force.iter().map(|f| f.map(|f| -f)).collect();
    let (spline, samples) = match (slopes, unit, force_source) {
        (Some(m), "Å", s) if s != "none" => (
            hermite_max(&coordinate, energy, &m),
            spline_samples(&coordinate, energy, &m, SPLINE_SAMPLES),
        ),
        _ => (None, Vec::new()),
    };
    Profile {
        coordinate,
        coordinate_unit: unit,
        energy: energy.to_vec(),
        tangent_force,
        force_source,
        force_sources,
        spline_max: spline.map(|s| s.0),
        spline_max_at: spline.map(|s| s.1),
        spline_reverse: spline.and_then(|s| energy.last().map(|l| s.0 - l)),
        spline_coordinate: samples.iter().map(|p| p.0).collect(),
        spline_energy: samples.iter().map(|p| p.1).collect(),
        notes,
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

    #[test]
    fn the_spline_passes_through_the_images_with_their_slopes() {
        let x = [0.0, 1.0, 2.5, 3.0];
        let e = [0.0, 0.4, 0.9, 0.2];
        let m = [0.0, 0.7, -0.3, 0.0];
        for k in 0..4 {
            assert!((hermite(&x, &e, &m, x[k]) - e[k]).abs() < 1e-12, "node {k}");
        }
        let h = 1e-6;
        for k in 1..3 {
            let d = (hermite(&x, &e, &m, x[k] + h) - hermite(&x, &e, &m, x[k] - h)) / (2.0 * h);
            assert!((d - m[k]).abs() < 1e-5, "slope at {k}: {d}");
        }
        // x = [0, 1], E = [0, 0], slopes 1 and −1: E(t) = t − t², the maximum ¼ at ½
        let (v, at) = hermite_max(&[0.0, 1.0], &[0.0, 0.0], &[1.0, -1.0]).expect("max");
        assert!(
            (v - 0.25).abs() < 1e-12 && (at - 0.5).abs() < 1e-12,
            "{v} {at}"
        );
        // x = [0, 2], E = [0, 1], slopes 1 and −1: by hand E(t) = 2t + t² − 2t³, whose
        // maximum is at t* = (1 + √13)/6
        let t = (1.0 + 13f64.sqrt()) / 6.0;
        let want = 2.0 * t + t * t - 2.0 * t * t * t;
        let (v, at) = hermite_max(&[0.0, 2.0], &[0.0, 1.0], &[1.0, -1.0]).expect("max");
        assert!(
            (v - want).abs() < 1e-12 && (at - 2.0 * t).abs() < 1e-12,
            "{v} {at}"
        );
        assert!((hermite(&[0.0, 2.0], &[0.0, 1.0], &[1.0, -1.0], 2.0 * t) - want).abs() < 1e-12);
    }

    #[test]
    fn displacements_take_the_nearest_image() {
        let cubic = [[10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]];
        let inv = inverse(&cubic).expect("inverse");
        let d = minimum_image([9.0, -0.5, 0.0], Some((&cubic, &inv)));
        assert!((d[0] + 1.0).abs() < 1e-12 && (d[1] + 0.5).abs() < 1e-12);
        // a 120° cell, where wrapping the fractional difference alone is not the shortest
        let s = 3f64.sqrt() / 2.0;
        let hex = [[3.0, 0.0, 0.0], [-1.5, 3.0 * s, 0.0], [0.0, 0.0, 10.0]];
        let inv = inverse(&hex).expect("inverse");
        let f = [0.45, -0.45, 0.0];
        let d = times(f, &hex);
        let got = norm2(minimum_image(d, Some((&hex, &inv)))).sqrt();
        let mut best = f64::MAX;
        for i in -2..=2 {
            for j in -2..=2 {
                let v = times([f[0] + i as f64, f[1] + j as f64, 0.0], &hex);
                best = best.min(norm2(v).sqrt());
            }
        }
        assert!((got - best).abs() < 1e-12, "{got} vs {best}");
        assert!(
            best < norm2(d).sqrt() - 0.5,
            "the case must need the neighbours"
        );
    }

    #[test]
    fn the_profile_projects_forces_or_takes_vtst_values() {
        // one atom moving 1 Å along x per image in a 10 Å box, across the boundary
        let cell = [[10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]];
        let xs = [8.5, 9.5, 0.5];
        let img = |x: f64, f: Option<[f64; 3]>, v: Option<f64>| ProfileImage {
            positions: Some(vec![[x, 1.0, 1.0]]),
            forces: f.map(|f| vec![f]),
            vtst: v,
        };
        let images = vec![
            img(xs[0], None, None),
            img(xs[1], Some([-0.3, 2.0, 0.0]), None),
            img(xs[2], Some([0.1, 0.0, 0.0]), None),
        ];
        let p = profile(&[0.0, 0.5, 0.2], &images, Some(&cell), true);
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        assert!(close(&p.coordinate, &[0.0, 1.0, 2.0]), "{:?}", p.coordinate);
        let f: Vec<f64> = p.tangent_force.iter().map(|f| f.expect("known")).collect();
        assert!(close(&f, &[0.0, -0.3, 0.1]), "{f:?}");
        assert_eq!(p.force_source, "projected");
        let (m, at) =
            hermite_max(&[0.0, 1.0, 2.0], &[0.0, 0.5, 0.2], &[0.0, 0.3, -0.1]).expect("max");
        let (pm, pa) = (p.spline_max.expect("max"), p.spline_max_at.expect("at"));
        assert!((pm - m).abs() < 1e-9 && (pa - at).abs() < 1e-9, "{pm} {pa}");
        assert!(
            m > 0.5,
            "the image's slope is uphill: the maximum is past it"
        );
        let mut v = images.clone();
        v[1].vtst = Some(0.25);
        let p = profile(&[0.0, 0.5, 0.2], &v, Some(&cell), true);
        assert_eq!(p.tangent_force[1], Some(0.25));
        assert_eq!(p.force_source, "vtst");
        v[1].vtst = None;
        v[1].forces = None;
        let p = profile(&[0.0, 0.5, 0.2], &v, Some(&cell), true);
        assert_eq!((p.force_source, p.spline_max), ("none", None));
        // IS/TS/FS: no forces, no spline; without positions the coordinate is the index
        let p = profile(
            &[0.0, 0.5, 0.2],
            &vec![ProfileImage::default(); 3],
            None,
            false,
        );
        assert_eq!((p.coordinate_unit, p.spline_max), ("index", None));
        assert_eq!(p.coordinate, vec![0.0, 1.0, 2.0]);
    }
}
