//! d-band descriptors from a projected density of states.
//!
//! Energies are measured from E-fermi of the same file. ρ is the projected DOS of the
//! chosen orbital (d by default) of the chosen atoms. All integrals are trapezoidal over
//! the file's energy grid, restricted to the window (inclusive bounds), as pymatgen's
//! `CompleteDos.get_n_moment` does. Conventions that change the numbers are the fields of
//! [`Settings`]; every result carries the settings it was computed with.
//!
//! Sources: centre (first moment): Hammer & Nørskov, Surf. Sci. 343, 211 (1995); upper
//! edge (maximum of the Hilbert transform): Xin, Vojvodic, Voss, Nørskov & Abild-Pedersen,
//! Phys. Rev. B 89, 115114 (2014).

use crate::load::{Dataset, DosInputs, LoadedDos};
use crate::network::NetworkFile;
use serde::Serialize;
use std::collections::BTreeMap;
use vasp_parsers::detect::Format;
use vasp_parsers::doscar::{AtomDos, Column, Doscar, Layout, Spin, SpinLayout};

pub use crate::conventions::{Orbital, SpinMode, Window};
pub use crate::select::D_BLOCK;

fn orbital_matches(o: &Orbital, c: &Column) -> bool {
    match o {
        Orbital::L(l) => c.l == *l,
        Orbital::Lm(n) => c.orbital == *n,
    }
}

/// The conventions of one computation, printed with every result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    pub window: Window,
    pub spin: SpinMode,
    pub orbital: Orbital,
    /// Always `"trapezoid"` (as pymatgen).
    pub integration: &'static str,
    /// Always `"E-fermi of the DOS file"`.
    pub energy_zero: &'static str,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            window: Window::Full,
            spin: SpinMode::Sum,
            orbital: Orbital::L(2),
            integration: "trapezoid",
            energy_zero: "E-fermi of the DOS file",
        }
    }
}

/// Moments of one density.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Descriptors {
    /// ε_c = ∫ε ρ dε / ∫ρ dε (eV).
    pub center: f64,
    /// √(∫(ε−ε_c)² ρ dε / ∫ρ dε) (eV).
    pub width: f64,
    /// Third standardised moment.
    pub skewness: f64,
    /// Fourth standardised moment (not excess: a Gaussian gives 3).
    pub kurtosis: f64,
    /// ∫_{ε<0} ρ dε / ∫ρ dε, the trapezoid over the grid points below E-fermi (as pymatgen).
    pub filling: f64,
    /// ε where the Hilbert transform of ρ is largest (eV).
    pub upper_edge: f64,
    /// ∫ρ dε over the window (states).
    pub integral: f64,
}

/// Why no descriptors could be computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoStates {
    pub reason: String,
}

fn trapz(x: &[f64], y: &[f64]) -> f64 {
    x.windows(2)
        .zip(y.windows(2))
        .map(|(xw, yw)| 0.5 * (xw[1] - xw[0]) * (yw[0] + yw[1]))
        .sum()
}

/// H_k = (1/π) Σ_j a_j g_{k−j} with g_m = 1/(mΔ) (g_0 = 0): linear convolution by FFT.
fn hilbert_uniform_fft(a: &[f64], step: f64) -> Vec<f64> {
    use rustfft::num_complex::Complex;
    use std::cell::RefCell;
    use std::sync::Arc;
    type Plan = Arc<dyn rustfft::Fft<f64>>;
    /// Plans and the kernel's spectrum, per thread, for the last grid seen: every atom and
    /// channel of a DOS file shares one grid, so the twiddles and the kernel FFT are made once.
    struct Cache {
        planner: rustfft::FftPlanner<f64>,
        key: (usize, u64),
        fwd: Option<Plan>,
        inv: Option<Plan>,
        kernel: Vec<Complex<f64>>,
        /// Work space of both plans (`process` would allocate and zero one per call).
        scratch: Vec<Complex<f64>>,
    }
    thread_local! {
        static CACHE: RefCell<Option<Cache>> = const { RefCell::new(None) };
    }
    let n = a.len();
    let len = (2 * n).next_power_of_two();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let cache = c.get_or_insert_with(|| Cache {
            planner: rustfft::FftPlanner::new(),
            key: (0, 0),
            fwd: None,
            inv: None,
            kernel: Vec::new(),
            scratch: Vec::new(),
        });
        let key = (n, step.to_bits());
        let (fwd, inv) = match (&cache.fwd, &cache.inv) {
            (Some(f), Some(i)) if cache.key == key => (f.clone(), i.clone()),
            _ => {
                let fwd = cache.planner.plan_fft_forward(len);
                let inv = cache.planner.plan_fft_inverse(len);
                // The kernel at circular positions: m ≥ 0 at m, m < 0 at len + m.
                let mut g = vec![Complex::new(0.0, 0.0); len];
                for m in 1..n {
                    let v = 1.0 / (m as f64 * step);
                    g[m].re = v;
                    g[len - m].re = -v;
                }
                fwd.process(&mut g);
                cache.kernel = g;
                cache.key = key;
                cache.fwd = Some(fwd.clone());
                cache.inv = Some(inv.clone());
                let work = fwd
                    .get_inplace_scratch_len()
                    .max(inv.get_inplace_scratch_len());
                cache.scratch = vec![Complex::new(0.0, 0.0); work];
                (fwd, inv)
            }
        };
        let mut x = vec![Complex::new(0.0, 0.0); len];
        for (xi, ai) in x.iter_mut().zip(a) {
            xi.re = *ai;
        }
        fwd.process_with_scratch(&mut x, &mut cache.scratch);
        for (xi, gi) in x.iter_mut().zip(&cache.kernel) {
            *xi *= gi;
        }
        inv.process_with_scratch(&mut x, &mut cache.scratch);
        let scale = 1.0 / (len as f64 * std::f64::consts::PI);
        x[..n].iter().map(|c| c.re * scale).collect()
    })
}

/// Discrete Hilbert transform H(ε_k) = (1/π) Σ_{j≠k} ρ_j w_j / (ε_k − ε_j), with w_j the
/// trapezoid weight of grid point j: the principal-value integral
/// (1/π) P∫ ρ(ε′)/(ε − ε′) dε′ of Xin et al. (2014).
///
/// On a uniform grid (VASP's) the sum is a linear convolution of ρ_j w_j with the kernel
/// 1/(mΔ), m ≠ 0, computed by FFT with zero padding to ≥ 2n points: O(n log n), the same
/// sum as the direct one (no periodic wrap-around), to rounding (~1e-12 relative). Short or
/// non-uniform grids are summed directly.
pub fn hilbert_transform(e: &[f64], rho: &[f64]) -> Vec<f64> {
    let n = e.len();
    let mut w = vec![0.0; n];
    for j in 0..n.saturating_sub(1) {
        let h = 0.5 * (e[j + 1] - e[j]);
        w[j] += h;
        w[j + 1] += h;
    }
    let rw: Vec<f64> = rho.iter().zip(&w).map(|(r, w)| r * w).collect();
    let step = if n > 1 {
        (e[n - 1] - e[0]) / (n - 1) as f64
    } else {
        0.0
    };
    // VASP's grid is uniform (EMIN..EMAX in NEDOS points) but DOSCAR prints it rounded
    // (e.g. 3 decimals for a 0.1 eV step): spacings within 5 % of the mean are taken as the
    // uniform grid they were printed from.
    let uniform = step > 0.0
        && e.windows(2)
            .all(|p| ((p[1] - p[0]) - step).abs() <= 0.05 * step);
    if uniform && n >= 64 {
        return hilbert_uniform_fft(&rw, step);
    }
    if uniform {
        // 1/(ε_k − ε_j) = 1/((k − j)·Δ): one kernel for every k, no division in the loop.
        let kern: Vec<f64> = (0..n)
            .map(|m| if m == 0 { 0.0 } else { 1.0 / (m as f64 * step) })
            .collect();
        return (0..n)
            .map(|k| {
                let below: f64 = (0..k).map(|j| rw[j] * kern[k - j]).sum();
                let above: f64 = (k + 1..n).map(|j| rw[j] * kern[j - k]).sum();
                (below - above) / std::f64::consts::PI
            })
            .collect();
    }
    (0..n)
        .map(|k| {
            let mut s = 0.0;
            for j in 0..n {
                if j != k && e[k] != e[j] {
                    s += rw[j] / (e[k] - e[j]);
                }
            }
            s / std::f64::consts::PI
        })
        .collect()
}

/// Moments of ρ(ε) over the window.
///
/// With N = ∫ρ, ε_c = ∫ερ/N, μ_n = ∫(ε−ε_c)ⁿρ/N: width = √μ₂, skewness = μ₃/μ₂^{3/2},
/// kurtosis = μ₄/μ₂²; filling = ∫_{ε<0}ρ/N; upper edge = argmax of [`hilbert_transform`].
/// Returns [`NoStates`] when the window holds fewer than two points or ∫ρ ≤ 0.
pub fn descriptors(e: &[f64], rho: &[f64], window: Window) -> Result<Descriptors, NoStates> {
    let (x, y): (Vec<f64>, Vec<f64>) = e
        .iter()
        .zip(rho)
        .filter(|(e, _)| window.contains(**e))
        .map(|(a, b)| (*a, *b))
        .unzip();
    if x.len() < 2 {
        return Err(NoStates {
            reason: format!(
                "the window {} holds {} grid point(s)",
                window.describe(),
                x.len()
            ),
        });
    }
    let norm = trapz(&x, &y);
    if norm <= 1e-12 || !norm.is_finite() {
        return Err(NoStates {
            reason: format!(
                "no states: the integral of the density over {} is {norm:.3e}",
                window.describe()
            ),
        });
    }
    let moment = |f: &dyn Fn(f64) -> f64| -> f64 {
        let fy: Vec<f64> = x.iter().zip(&y).map(|(e, r)| f(*e) * r).collect();
        trapz(&x, &fy) / norm
    };
    let c = moment(&|e| e);
    let m2 = moment(&|e| (e - c).powi(2)).max(0.0);
    let m3 = moment(&|e| (e - c).powi(3));
    let m4 = moment(&|e| (e - c).powi(4));
    let (bx, by): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(&y)
        .filter(|(e, _)| **e < 0.0)
        .map(|(a, b)| (*a, *b))
        .unzip();
    let filling = trapz(&bx, &by) / norm;
    let h = hilbert_transform(&x, &y);
    let mut kmax = 0;
    for k in 1..h.len() {
        if h[k] > h[kmax] {
            kmax = k;
        }
    }
    let width = m2.sqrt();
    Ok(Descriptors {
        center: c,
        width,
        skewness: if width > 0.0 { m3 / width.powi(3) } else { 0.0 },
        kurtosis: if width > 0.0 { m4 / width.powi(4) } else { 0.0 },
        filling,
        upper_edge: x[kmax],
        integral: norm,
    })
}

/// The density of `orbital` in one spin channel of one atom's projection, summed over its
/// columns. `spin` is `Up`/`Down` for collinear files and `Total` otherwise.
pub fn channel(
    columns: &[Column],
    values: &[Vec<f64>],
    orbital: &Orbital,
    spin: Spin,
    n: usize,
) -> Option<Vec<f64>> {
    let mut out = vec![0.0; n];
    let mut any = false;
    for (c, v) in columns.iter().zip(values) {
        if orbital_matches(orbital, c) && c.spin == spin {
            any = true;
            for (o, x) in out.iter_mut().zip(v) {
                *o += x;
            }
        }
    }
    any.then_some(out)
}

/// Descriptors of one atom (or of a pooled density) under the settings, plus per-channel
/// values for collinear spin.
#[derive(Debug, Clone, Serialize)]
pub struct Result1 {
    #[serde(flatten)]
    pub values: Option<Descriptors>,
    /// Why `values` is missing, when it is.
    pub no_states: Option<String>,
    /// Per spin channel (ISPIN=2 only).
    pub by_spin: Option<BySpin>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BySpin {
    pub up: Option<Descriptors>,
    pub down: Option<Descriptors>,
}

/// Why descriptors cannot be computed for a request.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum DbandError {
    #[error("the file has no projected DOS (LORBIT < 10): set LORBIT = 10 or 11 and re-run, or use vasprun.xml")]
    NoProjection,
    #[error("spin '{0}' needs an ISPIN=2 (collinear) file; this one is {1}")]
    NoSpin(String, String),
    #[error("orbital '{0}' is not in this file (its columns: {1})")]
    NoOrbital(String, String),
    #[error("atom {0} has no projection in this file")]
    NoAtom(usize),
}

/// Densities (sum, up, down) of `orbital` summed over `atoms` (1-based) of a DOSCAR.
#[derive(Debug, Clone)]
pub struct Densities {
    pub sum: Vec<f64>,
    pub up: Option<Vec<f64>>,
    pub down: Option<Vec<f64>>,
}

impl Densities {
    /// Zero densities on `n` grid points; with `collinear`, up and down too.
    fn zero(n: usize, collinear: bool) -> Self {
        Densities {
            sum: vec![0.0; n],
            up: collinear.then(|| vec![0.0; n]),
            down: collinear.then(|| vec![0.0; n]),
        }
    }

    /// Add one atom's channels: Σ += u + w, ↑ += u, ↓ += w (collinear), or Σ += t.
    fn add(&mut self, ch: &AtomChannels) {
        match ch {
            AtomChannels::Collinear(u, w) => {
                for k in 0..self.sum.len() {
                    self.sum[k] += u[k] + w[k];
                }
                if let (Some(uu), Some(dd)) = (self.up.as_mut(), self.down.as_mut()) {
                    for k in 0..uu.len() {
                        uu[k] += u[k];
                        dd[k] += w[k];
                    }
                }
            }
            AtomChannels::Single(t) => {
                for (s, x) in self.sum.iter_mut().zip(t) {
                    *s += x;
                }
            }
        }
    }

    /// How many values the arrays hold.
    fn len(&self) -> usize {
        self.sum.len()
            + self.up.as_ref().map_or(0, Vec::len)
            + self.down.as_ref().map_or(0, Vec::len)
    }
}

/// The density of an orbital in one atom's projection: up and down (ISPIN=2), or the one
/// channel (ISPIN=1; the total of a non-collinear file).
enum AtomChannels {
    Collinear(Vec<f64>, Vec<f64>),
    Single(Vec<f64>),
}

/// [`AtomChannels`] of `orbital` in one atom's projected `values` laid out as `layout`, on
/// `n` grid points.
fn atom_channels(
    layout: &Layout,
    values: &[Vec<f64>],
    orbital: &Orbital,
    n: usize,
) -> Result<AtomChannels, DbandError> {
    let names = || {
        let mut v: Vec<String> = layout.columns.iter().map(|c| c.orbital.clone()).collect();
        v.dedup();
        v.join(" ")
    };
    let one = |spin: Spin| {
        channel(&layout.columns, values, orbital, spin, n)
            .ok_or_else(|| DbandError::NoOrbital(orbital.name(), names()))
    };
    Ok(if layout.spin == SpinLayout::Collinear {
        AtomChannels::Collinear(one(Spin::Up)?, one(Spin::Down)?)
    } else {
        AtomChannels::Single(one(Spin::Total)?)
    })
}

/// The spin-resolved densities of `orbital` for the given atoms, summed.
pub fn densities(d: &Doscar, atoms: &[usize], orbital: &Orbital) -> Result<Densities, DbandError> {
    let layout = d.layout.as_ref().ok_or(DbandError::NoProjection)?;
    let n = d.energies.len();
    let mut dens = Densities::zero(n, layout.spin == SpinLayout::Collinear);
    for &a in atoms {
        let at = d.atom(a).ok_or(DbandError::NoAtom(a))?;
        dens.add(&atom_channels(layout, &at.values, orbital, n)?);
    }
    Ok(dens)
}

/// Descriptors of `dens` under `settings`.
pub fn evaluate(
    e_rel: &[f64],
    dens: &Densities,
    settings: &Settings,
    spin_kind: &str,
) -> Result<Result1, DbandError> {
    let by_spin = match (&dens.up, &dens.down) {
        (Some(u), Some(d)) => Some(BySpin {
            up: descriptors(e_rel, u, settings.window).ok(),
            down: descriptors(e_rel, d, settings.window).ok(),
        }),
        _ => None,
    };
    let chosen: Result<Descriptors, NoStates> = match settings.spin {
        SpinMode::Sum => descriptors(e_rel, &dens.sum, settings.window),
        SpinMode::Up | SpinMode::Down | SpinMode::Mean if by_spin.is_none() => {
            return Err(DbandError::NoSpin(
                format!("{:?}", settings.spin).to_lowercase(),
                spin_kind.to_string(),
            ))
        }
        SpinMode::Up => descriptors(e_rel, dens.up.as_deref().unwrap_or(&[]), settings.window),
        SpinMode::Down => descriptors(e_rel, dens.down.as_deref().unwrap_or(&[]), settings.window),
        SpinMode::Mean => {
            let u = descriptors(e_rel, dens.up.as_deref().unwrap_or(&[]), settings.window);
            let d = descriptors(e_rel, dens.down.as_deref().unwrap_or(&[]), settings.window);
            match (u, d) {
                (Ok(u), Ok(d)) => Ok(mean(&[u, d])),
                (Err(e), _) | (_, Err(e)) => Err(e),
            }
        }
    };
    Ok(match chosen {
        Ok(v) => Result1 {
            values: Some(v),
            no_states: None,
            by_spin,
        },
        Err(e) => Result1 {
            values: None,
            no_states: Some(e.reason),
            by_spin,
        },
    })
}

/// The mean of several descriptor sets, field by field.
pub fn mean(v: &[Descriptors]) -> Descriptors {
    let n = v.len().max(1) as f64;
    let f = |g: fn(&Descriptors) -> f64| v.iter().map(g).sum::<f64>() / n;
    Descriptors {
        center: f(|d| d.center),
        width: f(|d| d.width),
        skewness: f(|d| d.skewness),
        kurtosis: f(|d| d.kurtosis),
        filling: f(|d| d.filling),
        upper_edge: f(|d| d.upper_edge),
        integral: f(|d| d.integral),
    }
}

/// Descriptors of one selected atom.
#[derive(Debug, Clone, Serialize)]
pub struct AtomResult {
    /// 1-based.
    pub index: usize,
    pub element: Option<String>,
    #[serde(flatten)]
    pub result: Result1,
}

/// Everything `chepath dband` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: &'static str,
    /// E-fermi of the DOS file, eV: the zero of every energy below.
    pub efermi: f64,
    pub settings: Settings,
    /// The selection as given and as resolved.
    pub selection: crate::select::Selection,
    pub source: Source,
    /// One entry per selected atom.
    pub atoms: Vec<AtomResult>,
    /// Densities of all selected atoms summed, then the moments.
    pub pooled: Result1,
    /// The mean of the per-atom values (atoms without states left out).
    pub mean_of_atoms: Option<Descriptors>,
    pub warnings: Vec<String>,
}

/// Where the numbers came from.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub dos_file: String,
    pub structure_file: Option<String>,
    /// Layout of the projected DOS, e.g. `lm-resolved (LORBIT=11/12), ISPIN=2 (18 columns)`.
    pub layout: String,
    /// Where the layout hint came from (OUTCAR/INCAR beside the DOS file), if used.
    pub layout_hint_from: Option<String>,
    /// The DOSCAR's SYSTEM line (line 5), as a hint of what the file is.
    pub system: String,
    /// How spin-down values were read: `magnitudes` (DOSCAR, as REFERENCE.json and VASPKIT
    /// scripts) or `as written` (vasprun.xml, as pymatgen).
    pub spin_down: &'static str,
}

/// Descriptors for the selected atoms of a DOS read whole (every selected atom's projection
/// in `dos.atoms`). [`AtomStream`] computes the same report one atom at a time.
pub fn analyze(
    dos: &Doscar,
    elements: Option<&[String]>,
    selection: crate::select::Selection,
    settings: Settings,
    source: Source,
) -> Result<Report, DbandError> {
    let e = dos.energies_relative();
    let kind = dos
        .layout
        .as_ref()
        .map(|l| l.description.clone())
        .unwrap_or_default();
    let mut atoms = Vec::new();
    for &i in &selection.indices {
        let dens = densities(dos, &[i], &settings.orbital)?;
        atoms.push(AtomResult {
            index: i,
            element: elements.and_then(|el| el.get(i - 1).cloned()),
            result: evaluate(&e, &dens, &settings, &kind)?,
        });
    }
    let pooled = evaluate(
        &e,
        &densities(dos, &selection.indices, &settings.orbital)?,
        &settings,
        &kind,
    )?;
    Ok(assemble(
        dos, elements, selection, settings, source, atoms, pooled,
    ))
}

/// d-band descriptors computed atom by atom while a DOS file is read, so that no atom's
/// projection is kept: give every selected atom's block to [`AtomStream::atom`] (the visitor
/// of `vasp_parsers::doscar::stream_doscar`), then [`AtomStream::finish`].
///
/// Each atom's densities give its descriptors at once and are added into one pooled density
/// per spin channel (n grid points each): memory is those accumulators and one small result
/// per atom, whatever the number of atoms. The report, its errors and its warnings are those
/// of [`analyze`] on the same file read whole (the pooled sums are made in the same atom
/// order, so the numbers are the same to the bit).
pub struct AtomStream {
    settings: Settings,
    /// The selected atoms (1-based, sorted): blocks of other atoms are passed over.
    selected: Vec<usize>,
    /// Every selected atom whose block was seen, in file order.
    seen: Vec<usize>,
    /// ε − E-fermi of the file, and its layout's description; set with the first atom.
    e_rel: Vec<f64>,
    kind: String,
    pooled: Option<Densities>,
    atoms: Vec<(usize, Result1)>,
    /// The first error an atom gave (the same for every atom: it comes from the layout).
    error: Option<DbandError>,
}

impl AtomStream {
    /// The chosen orbital's density summed over the selected atoms read so far, with the
    /// energies relative to E-fermi (what a pooled PDOS figure draws).
    pub fn pooled(&self) -> Option<(&[f64], &Densities)> {
        self.pooled.as_ref().map(|d| (self.e_rel.as_slice(), d))
    }

    pub fn new(settings: Settings, selection: &crate::select::Selection) -> Self {
        let mut selected = selection.indices.clone();
        selected.sort_unstable();
        selected.dedup();
        AtomStream {
            settings,
            selected,
            seen: Vec::new(),
            e_rel: Vec::new(),
            kind: String::new(),
            pooled: None,
            atoms: Vec::new(),
            error: None,
        }
    }

    /// One atom's projected block, `dos` the file as read so far (its layout known): the
    /// atom's descriptors, and its densities added to the pooled ones.
    pub fn atom(&mut self, dos: &Doscar, atom: &AtomDos) {
        let Some(layout) = dos.layout.as_ref() else {
            return;
        };
        if self.selected.binary_search(&atom.index).is_err() {
            return;
        }
        self.seen.push(atom.index);
        if self.error.is_some() {
            return;
        }
        let n = dos.energies.len();
        let collinear = layout.spin == SpinLayout::Collinear;
        if self.pooled.is_none() {
            self.e_rel = dos.energies_relative();
            self.kind = layout.description.clone();
            self.pooled = Some(Densities::zero(n, collinear));
        }
        let ch = match atom_channels(layout, &atom.values, &self.settings.orbital, n) {
            Ok(ch) => ch,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        let mut one = Densities::zero(n, collinear);
        one.add(&ch);
        match evaluate(&self.e_rel, &one, &self.settings, &self.kind) {
            Ok(r) => self.atoms.push((atom.index, r)),
            Err(e) => self.error = Some(e),
        }
        if let Some(p) = self.pooled.as_mut() {
            p.add(&ch);
        }
    }

    /// Values held in arrays between atoms (the energies and the pooled densities): the
    /// same whatever the number of atoms seen.
    pub fn held_values(&self) -> usize {
        self.e_rel.len() + self.pooled.as_ref().map_or(0, Densities::len)
    }

    /// The report once the whole file is read (`dos` as the reader returned it): the first
    /// error [`analyze`] would give, in its order (no projection; then, atom by atom in the
    /// selection, a missing block or the layout's error), else the report.
    pub fn finish(
        self,
        dos: &Doscar,
        elements: Option<&[String]>,
        selection: crate::select::Selection,
        source: Source,
    ) -> Result<Report, DbandError> {
        let layout = dos.layout.as_ref().ok_or(DbandError::NoProjection)?;
        let mut seen = self.seen;
        seen.sort_unstable();
        for &a in &selection.indices {
            if seen.binary_search(&a).is_err() {
                return Err(DbandError::NoAtom(a));
            }
            if let Some(e) = self.error {
                return Err(e);
            }
        }
        let (e, kind) = match self.pooled {
            Some(_) => (self.e_rel, self.kind),
            None => (dos.energies_relative(), layout.description.clone()),
        };
        let collinear = layout.spin == SpinLayout::Collinear;
        let pooled = self
            .pooled
            .unwrap_or_else(|| Densities::zero(dos.energies.len(), collinear));
        let pooled = evaluate(&e, &pooled, &self.settings, &kind)?;
        // per atom in the order of the selection (sorted and unique, as the file's blocks)
        let mut by_index: Vec<(usize, Option<Result1>)> =
            self.atoms.into_iter().map(|(i, r)| (i, Some(r))).collect();
        by_index.sort_by_key(|(i, _)| *i);
        let atoms = selection
            .indices
            .iter()
            .filter_map(|&i| {
                let k = by_index.binary_search_by_key(&i, |(j, _)| *j).ok()?;
                Some(AtomResult {
                    index: i,
                    element: elements.and_then(|el| el.get(i - 1).cloned()),
                    result: by_index[k].1.take()?,
                })
            })
            .collect();
        Ok(assemble(
            dos,
            elements,
            selection,
            self.settings,
            source,
            atoms,
            pooled,
        ))
    }
}

/// The report of [`analyze`] and [`AtomStream`] from the per-atom and pooled results: the
/// mean of the atoms with states, and the warnings (the file's, atoms without states,
/// atoms that are not transition metals in a d-band selection).
fn assemble(
    dos: &Doscar,
    elements: Option<&[String]>,
    selection: crate::select::Selection,
    settings: Settings,
    source: Source,
    atoms: Vec<AtomResult>,
    pooled: Result1,
) -> Report {
    let have: Vec<Descriptors> = atoms.iter().filter_map(|a| a.result.values).collect();
    let mut warnings = dos.warnings.clone();
    for a in &atoms {
        if let Some(r) = &a.result.no_states {
            warnings.push(format!("atom {}: {r}", a.index));
        }
    }
    if let Some(el) = elements {
        let non_d: Vec<String> = selection
            .indices
            .iter()
            .filter(|&&i| {
                el.get(i - 1)
                    .is_some_and(|e| !D_BLOCK.contains(&e.as_str()))
            })
            .map(|&i| format!("{}{}", el[i - 1], i))
            .collect();
        if !non_d.is_empty() && settings.orbital == Orbital::L(2) {
            warnings.push(format!(
                "the selection includes atoms that are not transition metals ({}); their d projections are small and pull a pooled centre around",
                non_d.join(", ")
            ));
        }
    }
    Report {
        schema_version: crate::records::SCHEMA_VERSION,
        efermi: dos.efermi,
        settings,
        selection,
        source,
        atoms,
        pooled,
        mean_of_atoms: (!have.is_empty()).then(|| mean(&have)),
        warnings,
    }
}

/// Where the numbers of a report on `dos`, read from `inputs`, came from.
pub fn source_of(inputs: &DosInputs, dos: &Doscar) -> Source {
    Source {
        dos_file: inputs.dos_file.display().to_string(),
        structure_file: inputs
            .structure_file
            .as_ref()
            .map(|p| p.display().to_string()),
        layout: dos
            .layout
            .as_ref()
            .map(|l| l.description.clone())
            .unwrap_or_else(|| "no projections".into()),
        layout_hint_from: inputs.hint_from.as_ref().map(|p| p.display().to_string()),
        system: dos.system.clone(),
        spin_down: match inputs.format {
            Format::Vasprun => {
                "as written (vasprun.xml; a column stored negated is turned positive)"
            }
            _ => "magnitudes (DOSCAR: |value|, as VASPKIT-style readers)",
        },
    }
}

/// `chepath dband`: descriptors of a loaded DOS's selection under `settings`, with where
/// the numbers came from.
pub fn analyze_loaded(loaded: &LoadedDos, settings: Settings) -> Result<Report, DbandError> {
    let source = source_of(&loaded.inputs, &loaded.dos);
    analyze(
        &loaded.dos,
        loaded.elements.as_deref(),
        loaded.selection.clone(),
        settings,
        source,
    )
}

/// The d-band centre of a model and how it was taken.
#[derive(Debug, Clone, Serialize)]
pub struct DbandValue {
    /// eV from E-fermi (pooled over the selection).
    pub center: Option<f64>,
    pub file: String,
    pub atoms: String,
    /// e.g. `d, spin sum, full window`.
    pub settings: String,
}

/// The d-band centre (pooled over the selection, spin sum, the entry's window) of every
/// model with a `[dband]` entry, from the DOS the loader read.
pub fn model_centres(
    file: &NetworkFile,
    data: &Dataset,
) -> Result<BTreeMap<String, DbandValue>, crate::error::Error> {
    let mut out = BTreeMap::new();
    for (model, spec) in &file.dband {
        let Some(loaded) = data.dos(model) else {
            continue;
        };
        let settings = Settings {
            window: spec.window.unwrap_or(Window::Full),
            ..Default::default()
        };
        let r = analyze_loaded(loaded?, settings)?;
        let indices: Vec<String> = r.selection.indices.iter().map(|i| i.to_string()).collect();
        out.insert(
            model.clone(),
            DbandValue {
                center: r.pooled.values.map(|v| v.center),
                file: r.source.dos_file.clone(),
                atoms: format!("{} → {}", r.selection.expression, indices.join(",")),
                settings: format!(
                    "{}, spin sum, {}",
                    r.settings.orbital.name(),
                    r.settings.window.describe()
                ),
            },
        );
    }
    Ok(out)
}

impl From<DbandError> for crate::error::Error {
    fn from(e: DbandError) -> Self {
        crate::error::Error::Input(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_uniform_path_equals_general_path() {
        let e = grid(-5.0, 5.0, 101);
        let rho: Vec<f64> = e.iter().map(|x| (-(x * x)).exp() + 0.1 * x.abs()).collect();
        let fast = hilbert_transform(&e, &rho);
        let mut e2 = e.clone();
        e2[50] += 1e-3; // not uniform: the general path
        let slow = hilbert_transform(&e2, &rho);
        // identical away from the perturbed point
        for k in [0, 10, 30, 70, 90, 100] {
            assert!(
                (fast[k] - slow[k]).abs() < 1e-3,
                "{k}: {} vs {}",
                fast[k],
                slow[k]
            );
        }
    }

    #[test]
    fn hilbert_fft_equals_the_direct_sum() {
        // Both sides of the n >= 64 switch against a literal double sum.
        for n in [63, 64, 301, 2001] {
            let e = grid(-12.0, 6.0, n);
            let rho: Vec<f64> = e
                .iter()
                .map(|x| (-(x + 2.0) * (x + 2.0) / 3.0).exp() + 0.05 * (x * 1.7).sin().abs())
                .collect();
            let h = hilbert_transform(&e, &rho);
            let d = e[1] - e[0];
            for k in (0..n).step_by(n / 17) {
                let mut s = 0.0;
                for j in 0..n {
                    if j != k {
                        let w = if j == 0 || j == n - 1 { 0.5 * d } else { d };
                        s += rho[j] * w / (e[k] - e[j]);
                    }
                }
                s /= std::f64::consts::PI;
                assert!(
                    (h[k] - s).abs() < 1e-10 * (1.0 + s.abs()),
                    "n={n} k={k}: {} vs {s}",
                    h[k]
                );
            }
        }
    }

    fn grid(a: f64, b: f64, n: usize) -> Vec<f64> {
        (0..n)
            .map(|k| a + (b - a) * k as f64 / (n - 1) as f64)
            .collect()
    }

    #[test]
    fn gaussian_band() {
        let e = grid(-20.0, 20.0, 8001);
        let (c, s) = (-2.5, 1.3);
        let rho: Vec<f64> = e
            .iter()
            .map(|x| (-(x - c) * (x - c) / (2.0 * s * s)).exp())
            .collect();
        let d = descriptors(&e, &rho, Window::Full).unwrap();
        assert!((d.center - c).abs() < 1e-9, "{d:?}");
        assert!((d.width - s).abs() < 1e-6);
        assert!(d.skewness.abs() < 1e-6);
        assert!((d.kurtosis - 3.0).abs() < 1e-5);
        // filling of a Gaussian at -2.5 with sigma 1.3: Phi(2.5/1.3)
        let phi = 0.5 * (1.0 + erf(2.5 / 1.3 / std::f64::consts::SQRT_2));
        assert!((d.filling - phi).abs() < 1e-3, "{} vs {phi}", d.filling);
    }

    #[test]
    fn semi_elliptic_upper_edge() {
        let w = 3.0;
        let c = -1.0;
        let e = grid(-10.0, 10.0, 4001);
        let rho: Vec<f64> = e
            .iter()
            .map(|x| (w * w - (x - c) * (x - c)).max(0.0).sqrt())
            .collect();
        let d = descriptors(&e, &rho, Window::Full).unwrap();
        assert!((d.center - c).abs() < 1e-6);
        assert!((d.upper_edge - (c + w)).abs() < 0.02, "{}", d.upper_edge);
        // semicircle: width = W/2, kurtosis 2
        assert!((d.width - w / 2.0).abs() < 1e-3);
        assert!((d.kurtosis - 2.0).abs() < 1e-2);
    }

    #[test]
    fn empty_channel_is_no_states_not_nan() {
        let e = grid(-5.0, 5.0, 11);
        let rho = vec![0.0; 11];
        let r = descriptors(&e, &rho, Window::Full).unwrap_err();
        assert!(r.reason.contains("no states"));
        let r = descriptors(
            &e,
            &[1.0; 11],
            Window::Range {
                min: 20.0,
                max: 30.0,
            },
        )
        .unwrap_err();
        assert!(r.reason.contains("grid point"));
    }

    #[test]
    fn window_is_inclusive() {
        let e = grid(-2.0, 2.0, 5); // -2 -1 0 1 2
        let rho = vec![1.0; 5];
        let d = descriptors(
            &e,
            &rho,
            Window::Range {
                min: -1.0,
                max: 1.0,
            },
        )
        .unwrap();
        assert!((d.integral - 2.0).abs() < 1e-12);
        assert!(d.center.abs() < 1e-12);
    }

    fn erf(x: f64) -> f64 {
        // Abramowitz-Stegun 7.1.26 is too coarse; integrate numerically instead.
        let n = 20000;
        let h = x / n as f64;
        let mut s = 0.0;
        for k in 0..=n {
            let t = k as f64 * h;
            let w = if k == 0 || k == n { 0.5 } else { 1.0 };
            s += w * (-t * t).exp();
        }
        s * h * 2.0 / std::f64::consts::PI.sqrt()
    }
}
