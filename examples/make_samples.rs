//! Generates `sample_outputs/vasp/`: GENERATED VASP-format sample trees for the CuN4, CuN4&Cu4
//! and CuN4&Cu-NP models of Ji et al., Nano-Micro Lett. 15:110 (2023), whose raw VASP files
//! are not public. Run: `cargo run --features samples --example make_samples` (rewrites
//! the tree; the feature keeps this generator out of `cargo test`'s default build).
//!
//! What is generated, and how:
//! - a free-energy level for every NO3RR state of every model (the TARGETS table below): the
//!   paper's numbers where it gives them, illustrative values elsewhere, chosen so the
//!   alternative branches are uphill enough not to beat the paper's path;
//! - frequencies for every adsorbate (typical values for its bonds) and the harmonic
//!   correction chepath computes from them; the electronic energy written to each OUTCAR is
//!   the level's G minus that correction minus the references' terms, so `chepath` reading
//!   the files back reproduces the levels exactly;
//! - gas references H2, H2O, HNO3, NH3 with typical PBE energies, except E(HNO3), set so the
//!   overall reaction closes at the experimental −6.39 eV; HNO2, NO and NH2OH (for the other
//!   products), each E set so NO3- → product closes at its tabulated ΔG (docs/nitrate.md §5);
//! - structures: a CuN4 site in a graphene sheet, the same site beside a Cu4 cluster, and
//!   beside a Cu(111)-like nanoparticle facet; adsorbates on the Cu site;
//! - a spin-polarised, lm-resolved DOSCAR (ISPIN=2, LORBIT=11) of each clean site (a single
//!   point in `<model>/dos/`, not the relaxation, as `chepath lint` asks), with d bands
//!   made of Gaussians, the site Cu's shifted so its d-band centre is the target.
//!
//! The OUTCARs are cut down to what VASP prints that chepath and the peers read (header,
//! parameters, ionic steps, convergence, timing, dynamical matrix); they are not full OUTCARs.

use chepath::formula;
use chepath::thermo::{self, Molecule, SoftModeFloor};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

const ROOT: &str = "sample_outputs/vasp";
const EF_ABS: f64 = -1.8; // absolute E-fermi written in the OUTCARs and DOSCARs

/// (model directory, title, nitrate adsorption, HER ΔG(H*), slab energy, site-Cu d-band
/// centre, levels of the states relative to * + NO3-(aq) at U = 0, pH 0; those of the
/// species with two N (*N2O2, …, for N2O and N2) relative to 2(* + NO3-(aq)), the state
/// being the species beside a clean site).
struct Target {
    dir: &'static str,
    title: &'static str,
    e_slab: f64,
    dband: f64,
    dg_h: f64,
    levels: &'static [(&'static str, f64)],
}

const TARGETS: [Target; 3] = [
    Target {
        dir: "CuN4",
        title: "CuN4 (paper: PDS *NH2OH -> *NH2, 1.97 eV; adsorption negative)",
        e_slab: -420.0,
        dband: -3.12,
        dg_h: 0.45,
        levels: &[
            ("*NO3", -0.52),
            ("*NO3H", -0.87),
            ("*NO2", -1.92),
            ("*NO2H", -2.32),
            ("*NO", -3.82),
            ("*NHO", -4.27),
            ("*NOH", -3.97),
            ("*NH2O", -4.87),
            ("*NHOH", -4.60),
            ("*NH2OH", -6.41),
            ("*NH2", -4.44),
            ("*NH3", -7.04),
            ("*N", -1.67),
            ("*NH", -2.40),
            // two N, relative to 2(* + NO3-(aq)): coupling 2*NO -> *N2O2 +1.10 (an isolated
            // site), *N2O2 -> *N2O2H +0.70, *N2O -> *N2OH +0.60
            ("*N2O2", -6.54),
            ("*N2O2H", -5.84),
            ("*N2O", -8.14),
            ("*N2OH", -7.54),
            ("*N2", -12.10),
        ],
    },
    Target {
        dir: "CuN4_Cu4",
        title: "CuN4&Cu4 (paper: PDS 0.78 eV; *NH2OH -> *NH2 0.03 eV; adsorption most negative)",
        e_slab: -435.5,
        dband: -2.56,
        dg_h: -0.32,
        levels: &[
            ("*NO3", -1.35),
            ("*NO3H", -1.60),
            ("*NO2", -2.55),
            ("*NO2H", -2.80),
            ("*NO", -4.30),
            ("*NHO", -4.75),
            ("*NOH", -3.50),
            ("*NHOH", -3.97),
            ("*NH2O", -3.80),
            ("*NH2OH", -4.67),
            ("*NH2", -4.64),
            ("*NH3", -6.85),
            ("*N", -3.30),
            ("*NH", -3.12),
            // two N: coupling +0.45, *N2O2 -> *N2O2H +0.95 (behind NH3's 0.78), *N2O ->
            // *N2OH +0.40
            ("*N2O2", -8.15),
            ("*N2O2H", -7.20),
            ("*N2O", -8.50),
            ("*N2OH", -8.10),
            ("*N2", -12.30),
        ],
    },
    Target {
        dir: "CuN4_CuNP",
        title: "CuN4&Cu-NP (paper: adsorption +3.89 eV)",
        e_slab: -470.25,
        dband: -2.87,
        dg_h: -0.15,
        levels: &[
            ("*NO3", 3.89),
            ("*NO3H", 2.89),
            ("*NO2", 1.39),
            ("*NO2H", 2.51),
            ("*NO", 0.31),
            ("*NHO", -0.69),
            ("*NOH", -0.29),
            ("*NHOH", -1.89),
            ("*NH2O", -1.69),
            ("*NH2OH", -3.19),
            ("*NH2", -4.09),
            ("*NH3", -6.89),
            ("*N", -1.29),
            ("*NH", -2.79),
            // two N: coupling -1.00, every later step downhill (U_L set by 2*NO2 -> 2*NO2H)
            ("*N2O2", -0.38),
            ("*N2O2H", -1.58),
            ("*N2O", -3.98),
            ("*N2OH", -4.38),
            ("*N2", -8.38),
        ],
    },
];

const OVERALL: f64 = -6.39;
/// 2NO3- + 10H+ + 8e- -> N2O(g) + 5H2O and 2NO3- + 12H+ + 10e- -> N2(g) + 6H2O at U = 0, eV
/// (docs/nitrate.md §5).
const OVERALL_N2O: f64 = -8.901;
const OVERALL_N2: f64 = -12.439;

fn main() {
    if let Err(e) = run() {
        eprintln!("make_samples: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(ROOT);
    if root.exists() {
        std::fs::remove_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    }
    // Gas references: typical PBE energies, ideal-gas corrections computed like chepath does.
    let t = 298.15;
    let gas = |name: &str,
               el: &[&str],
               pos: &[[f64; 3]],
               f: &[f64],
               p_bar: f64,
               sym: u32|
     -> Result<f64, String> {
        let mol = Molecule {
            elements: el.iter().map(|s| s.to_string()).collect(),
            positions: pos.to_vec(),
            geometry: thermo::geometry_of(
                &el.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                pos,
            ),
            symmetry_number: sym,
            spin: 0.0,
        };
        let th = thermo::ideal_gas(f, &mol, t, p_bar * 1e5, SoftModeFloor::None)
            .map_err(|e| format!("{name}: {e}"))?;
        Ok(th.correction)
    };
    let h2_pos = [[0.0, 0.0, 0.0], [0.0, 0.0, 0.7414]];
    let a = 104.52f64.to_radians();
    let h2o_pos = [
        [0.0, 0.0, 0.0],
        [0.9572, 0.0, 0.0],
        [0.9572 * a.cos(), 0.9572 * a.sin(), 0.0],
    ];
    let nh3_pos = [
        [0.0, 0.0, 0.0],
        [0.9377, 0.0, -0.3816],
        [-0.4689, 0.8121, -0.3816],
        [-0.4689, -0.8121, -0.3816],
    ];
    let hno3_pos = [
        [0.0, 0.0, 0.0],
        [1.199, 0.0, 0.0],
        [-0.62, 1.06, 0.0],
        [-0.69, -1.17, 0.0],
        [-1.65, -0.98, 0.0],
    ];
    let f_h2 = [4401.2];
    let f_h2o = [3756.8, 3657.1, 1594.6];
    let f_nh3 = [3444.0, 3444.0, 3337.0, 1627.0, 1627.0, 950.0];
    let f_hno3 = [
        3550.0, 1710.0, 1331.0, 1303.0, 879.0, 763.0, 647.0, 580.0, 458.0,
    ];
    let c_h2 = gas("H2", &["H", "H"], &h2_pos, &f_h2, 1.0, 2)?;
    let c_h2o = gas("H2O", &["O", "H", "H"], &h2o_pos, &f_h2o, 0.035, 2)?;
    let c_nh3 = gas("NH3", &["N", "H", "H", "H"], &nh3_pos, &f_nh3, 1.0, 3)?;
    let c_hno3 = gas(
        "HNO3",
        &["N", "O", "O", "O", "H"],
        &hno3_pos,
        &f_hno3,
        1.0,
        1,
    )?;
    let (e_h2, e_h2o, e_nh3) = (-6.7714, -14.2208, -19.5412);
    let (g_h2, g_h2o, g_nh3) = (e_h2 + c_h2, e_h2o + c_h2o, e_nh3 + c_nh3);
    // overall: G(NH3) + 3G(H2O) − (G(HNO3) − 0.392 − ½G(H2)) − 4.5G(H2) = −6.39
    let g_hno3 = g_nh3 + 3.0 * g_h2o + 0.392 - 4.0 * g_h2 - OVERALL;
    let e_hno3 = g_hno3 - c_hno3;
    write_gas(&root, "H2", &["H"], &[2], &h2_pos, e_h2, &f_h2)?;
    write_gas(&root, "H2O", &["O", "H"], &[1, 2], &h2o_pos, e_h2o, &f_h2o)?;
    write_gas(&root, "NH3", &["N", "H"], &[1, 3], &nh3_pos, e_nh3, &f_nh3)?;
    write_gas(
        &root,
        "HNO3",
        &["N", "O", "H"],
        &[1, 3, 1],
        &hno3_pos,
        e_hno3,
        &f_hno3,
    )?;
    let g_no3 = g_hno3 - 0.392 - 0.5 * g_h2;
    write_product_gases(&root, &gas, (g_no3, g_h2, g_h2o))?;

    let init = [
        formula::parse("*").map_err(|e| e.to_string())?,
        formula::parse("NO3-(aq)").map_err(|e| e.to_string())?,
    ];
    let init2 = [
        init[0].clone(),
        init[0].clone(),
        init[1].clone(),
        init[1].clone(),
    ];
    for tg in &TARGETS {
        let (lattice, substrate) = substrate(tg.dir);
        let mdir = root.join(tg.dir);
        // clean site
        write_calc(
            &mdir.join("slab"),
            &lattice,
            &substrate,
            &[],
            tg.e_slab,
            Run::Relax,
            tg.title,
        )?;
        // The DOS from a single point on the relaxed clean site (not from the relaxation).
        write_calc(
            &mdir.join("dos"),
            &lattice,
            &substrate,
            &[],
            tg.e_slab + 0.00002,
            Run::Single,
            tg.title,
        )?;
        write_doscar(&mdir.join("dos"), &substrate, tg.dband)?;
        let g_init = tg.e_slab + g_no3;
        let mut states: Vec<(&str, f64)> = tg.levels.to_vec();
        states.push(("*H", f64::NAN));
        for (name, level) in states {
            let sp = formula::parse(name).map_err(|e| e.to_string())?;
            let (g, freqs, ads) = if name == "*H" {
                // ΔG(H*) = G(*H) − G(*) − ½G(H2)
                (
                    tg.e_slab + tg.dg_h + 0.5 * g_h2,
                    vec![1850.0, 620.0, 540.0],
                    adsorbate(&sp),
                )
            } else if sp.composition.get("N") == Some(&2) {
                // G(B) + G(*) = 2G(init) + L(B) − w·G(H2O) + p·½G(H2), B beside a clean site
                let b = formula::balance(&init2, &[sp.clone(), init[0].clone()])?;
                (
                    2.0 * g_init + level - tg.e_slab - b.water as f64 * g_h2o
                        + b.protons as f64 * 0.5 * g_h2,
                    frequencies(&sp),
                    adsorbate(&sp),
                )
            } else {
                // G(B) = G(init) + L(B) − w·G(H2O) + p·½G(H2)   (U = 0 RHE, pH 0)
                let b = formula::balance(&init, std::slice::from_ref(&sp))?;
                (
                    g_init + level - b.water as f64 * g_h2o + b.protons as f64 * 0.5 * g_h2,
                    frequencies(&sp),
                    adsorbate(&sp),
                )
            };
            let corr = thermo::harmonic(&freqs, t, SoftModeFloor::None).correction;
            let e = g - corr;
            let dir = mdir.join(name.trim_start_matches('*'));
            write_calc(&dir, &lattice, &substrate, &ads, e, Run::Relax, tg.title)?;
            write_calc(
                &dir.join("freq"),
                &lattice,
                &substrate,
                &ads,
                e + 0.00004,
                Run::Freq(&freqs),
                tg.title,
            )?;
        }
    }
    // network.toml: the d-band selections and the notice
    let mut net = String::from(NETWORK_HEAD);
    for tg in &TARGETS {
        let _ = write!(
            net,
            "\n[dband.{}]\npath = \"{}/dos\"\natoms = \"Cu@N4\"\n",
            tg.dir, tg.dir
        );
    }
    std::fs::write(root.join("network.toml"), net).map_err(|e| e.to_string())?;
    std::fs::write(root.join("README.md"), README).map_err(|e| e.to_string())?;
    verify(&root)?;
    println!("wrote and verified {}", root.display());
    Ok(())
}

const NETWORK_HEAD: &str = r#"# GENERATED SAMPLE DATA (cargo run --features samples --example make_samples): not from a real calculation.
# See README.md in this folder for what was generated, from what, and why.
notice = "GENERATED SAMPLE DATA: made by examples/make_samples.rs to reproduce the numbers of Ji et al., Nano-Micro Lett. 15:110 (2023); not from a real VASP run"

[conventions]
temperature = 298.15
energy = "sigma0"
U = 0.0
scale = "RHE"
pH = 0
nitrate_correction = 0.392
nitrate_adsorption = "chemical"

[network]
template = "no3rr"
"#;

const README: &str = r#"# sample_outputs/vasp: GENERATED sample data

**These files are generated, not computed.** No raw VASP files of the CuN₄, CuN₄&Cu₄ and
CuN₄&Cu-NP models of Ji et al., Nano-Micro Lett. 15:110 (2023) are public, so
`examples/make_samples.rs` (`cargo run --features samples --example make_samples`) writes
VASP-format files that reproduce the paper's numbers under chepath's default conventions,
for demonstrations and end-to-end tests. They are not a substitute for the calculations.

Layout (chepath's directory mode): `gas/{H2,H2O,HNO3,NH3,HNO2,NO,NH2OH,N2O,N2}/` and `<model>/<state>/` with an
OUTCAR and CONTCAR of a converged relaxation and `freq/` with a frequency run (OUTCAR.gz,
IBRION=5, the adsorbate atoms free); each `<model>/dos/` is a single point (NSW=0) on the clean site
with a DOSCAR.gz (ISPIN=2, LORBIT=11);
`network.toml` selects the CuN₄-site Cu (`Cu@N4`) for the d-band centre.

| quantity | CuN₄ | CuN₄&Cu₄ | CuN₄&Cu-NP | source |
|---|---|---|---|---|
| PDS, ΔG (eV) | *NH₂OH → *NH₂, 1.97 | *NHO → *NHOH, 0.78 | *NO₂ → *NO₂H, 1.12 | paper; the paper labels the CuN₄&Cu₄ PDS "*NH to *NOH", not a balanced reduction step, so the 0.78 eV is placed on *NHO → *NHOH; Cu-NP illustrative |
| *NH₂OH → *NH₂ (eV) | 1.97 | 0.03 | 0.90 | paper (CuN₄, CuN₄&Cu₄); Cu-NP illustrative |
| NO₃⁻ adsorption ΔG (eV) | −0.52 | −1.35 | +3.89 | paper: negative, more negative, +3.89; the two negative values illustrative |
| *NHO below *NOH | yes (0.30) | yes (1.25) | yes (0.40) | paper |
| d-band centre of the CuN₄-site Cu (eV) | −3.12 | −2.56 | −2.87 | paper: −2.56 for CuN₄&Cu₄, closest to E_F; the other two illustrative |
| ΔG(H*) (eV) | +0.45 | −0.32 | −0.15 | illustrative |
| slab energy (eV) | −420.00 | −435.50 | −470.25 | illustrative |

Every other level is illustrative and listed in `examples/make_samples.rs` (TARGETS), chosen
so that the alternative branches of the network are uphill enough not to beat the paper's
path. Gas references: typical PBE energies (H₂ −6.7714, H₂O −14.2208, NH₃ −19.5412 eV) with
ideal-gas corrections (H₂O at 0.035 bar); E(HNO₃) is set so that the overall reaction
NO₃⁻ + 9H⁺ + 8e⁻ → NH₃ + 3H₂O closes at the experimental −6.39 eV; E(HNO₂), E(NO) and
E(NH₂OH), for the other products, are set so that NO₃⁻ → NO₂⁻, NO(g) and NH₂OH close at
their tabulated ΔG at U = 0 (−1.638, −2.864, −4.008 eV; docs/nitrate.md §5), and E(N₂O) and
E(N₂) so that 2NO₃⁻ → N₂O(g) and N₂(g) close at −8.901 and −12.439 eV. The product U_L
values then follow from the illustrative levels above, including those of the two-N species
(*N₂O₂, *N₂O₂H, *N₂O, *N₂OH, *N₂: illustrative, relative to 2(* + NO₃⁻); N–N coupling
2*NO → *N₂O₂ +1.10, +0.45 and −1.00 eV on the three models). Frequencies are typical
values for each bond type; the OUTCARs hold only the parts VASP prints that chepath reads.
"#;

/// Atoms as (element, Cartesian position in Å).
type Atoms = Vec<(&'static str, [f64; 3])>;

/// Graphene sheet with a CuN4 site (+ a Cu4 cluster or a Cu facet beside it).
fn substrate(model: &str) -> ([[f64; 3]; 3], Atoms) {
    let a = 2.46;
    let n = 5;
    let lat = [
        [a * n as f64, 0.0, 0.0],
        [0.5 * a * n as f64, 0.866_025_403_8 * a * n as f64, 0.0],
        [0.0, 0.0, 20.0],
    ];
    let z = 8.0;
    let mut c: Vec<[f64; 3]> = Vec::new();
    for i in 0..n {
        for j in 0..n {
            for (u, v) in [(0.0, 0.0), (1.0 / 3.0, 1.0 / 3.0)] {
                let (fi, fj) = ((i as f64 + u) / n as f64, (j as f64 + v) / n as f64);
                c.push([
                    fi * lat[0][0] + fj * lat[1][0],
                    fi * lat[0][1] + fj * lat[1][1],
                    z,
                ]);
            }
        }
    }
    // divacancy at the centre: the two atoms nearest the cell centre go; Cu at their midpoint
    let centre = [
        0.5 * (lat[0][0] + lat[1][0]),
        0.5 * (lat[0][1] + lat[1][1]),
        z,
    ];
    let d = |p: &[f64; 3], q: &[f64; 3]| {
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
    };
    c.sort_by(|p, q| d(p, &centre).total_cmp(&d(q, &centre)));
    let (a0, a1) = (c[0], c[1]);
    let cu = [0.5 * (a0[0] + a1[0]), 0.5 * (a0[1] + a1[1]), z];
    let mut rest: Vec<[f64; 3]> = c[2..].to_vec();
    rest.sort_by(|p, q| d(p, &cu).total_cmp(&d(q, &cu)));
    let mut atoms: Vec<(&'static str, [f64; 3])> = Vec::new();
    let mut ns = Vec::new();
    for p in rest.iter().take(4) {
        // N relaxed towards Cu: 1.93 Å
        let r = d(p, &cu);
        ns.push([
            cu[0] + (p[0] - cu[0]) * 1.93 / r,
            cu[1] + (p[1] - cu[1]) * 1.93 / r,
            z,
        ]);
    }
    for p in rest.iter().skip(4) {
        atoms.push(("C", *p));
    }
    for p in ns {
        atoms.push(("N", p));
    }
    atoms.push(("Cu", cu));
    let off = [cu[0] - 5.2, cu[1] + 1.0];
    match model {
        "CuN4_Cu4" => {
            for p in [
                [0.0, 0.0, 2.3],
                [2.5, 0.0, 2.3],
                [1.25, 2.165, 2.3],
                [1.25, 0.72, 4.34],
            ] {
                atoms.push(("Cu", [off[0] + p[0], off[1] + p[1], z + p[2]]));
            }
        }
        "CuN4_CuNP" => {
            for i in 0..4 {
                for j in 0..3 {
                    atoms.push((
                        "Cu",
                        [
                            off[0] - 2.5 + 2.55 * i as f64 + 1.275 * j as f64,
                            off[1] - 3.0 + 2.208 * j as f64,
                            z + 2.3,
                        ],
                    ));
                }
            }
            for (x, y) in [(0.0, 0.0), (2.55, 0.0), (1.275, 2.208)] {
                atoms.push(("Cu", [off[0] + x, off[1] - 1.5 + y, z + 4.38]));
            }
        }
        _ => {}
    }
    (lat, atoms)
}

/// Adsorbate atoms on the site Cu (N first, then O, then H).
fn adsorbate(sp: &formula::Species) -> Vec<(&'static str, [f64; 3])> {
    let cu = [0.0, 0.0, 0.0]; // relative to the site Cu; shifted when written
    let mut out = Vec::new();
    let n = sp.composition.get("N").copied().unwrap_or(0);
    let o = sp.composition.get("O").copied().unwrap_or(0);
    let h = sp.composition.get("H").copied().unwrap_or(0);
    let base = [cu[0], cu[1], 1.90];
    for k in 0..n {
        out.push(("N", [base[0], base[1], base[2] + 1.13 * k as f64]));
    }
    for k in 0..o {
        let ang = k as f64 * 2.094;
        let anchor = if n > 0 {
            [base[0], base[1], base[2] + 0.3]
        } else {
            base
        };
        out.push((
            "O",
            [
                anchor[0] + 1.2 * ang.cos(),
                anchor[1] + 1.2 * ang.sin(),
                anchor[2] + if n > 0 { 0.9 } else { 0.0 },
            ],
        ));
    }
    for k in 0..h {
        let ang = 0.7 + k as f64 * 1.9;
        out.push((
            "H",
            [
                base[0] + 1.0 * ang.cos(),
                base[1] + 1.0 * ang.sin(),
                base[2] + 0.9 + 0.3 * k as f64,
            ],
        ));
    }
    out
}

/// Typical frequencies (cm⁻¹) for an adsorbate: 3 per atom.
fn frequencies(sp: &formula::Species) -> Vec<f64> {
    let n = sp.composition.get("N").copied().unwrap_or(0) as usize;
    let o = sp.composition.get("O").copied().unwrap_or(0) as usize;
    let h = sp.composition.get("H").copied().unwrap_or(0) as usize;
    let mut f = Vec::new();
    for k in 0..h {
        f.extend([
            3420.0 - 60.0 * k as f64,
            1450.0 - 80.0 * k as f64,
            880.0 - 40.0 * k as f64,
        ]);
    }
    for k in 0..o {
        f.extend([
            1480.0 - 180.0 * k as f64,
            690.0 - 50.0 * k as f64,
            310.0 - 30.0 * k as f64,
        ]);
    }
    for _ in 0..n {
        f.extend([560.0, 420.0, 260.0]);
    }
    f
}

fn potcar(el: &str) -> &'static str {
    match el {
        "Cu" => "PAW_PBE Cu 05Jan2001",
        "N" => "PAW_PBE N 08Apr2002",
        "O" => "PAW_PBE O 08Apr2002",
        "C" => "PAW_PBE C 08Apr2002",
        "H" => "PAW_PBE H 15Jun2001",
        _ => "PAW_PBE X",
    }
}

/// Species in file order and counts.
fn species_order(
    atoms: &[(&'static str, [f64; 3])],
) -> (Vec<&'static str>, Vec<usize>, Vec<usize>) {
    let mut sp: Vec<&str> = Vec::new();
    for (e, _) in atoms {
        if !sp.contains(e) {
            sp.push(e);
        }
    }
    let mut order = Vec::new();
    let mut counts = Vec::new();
    for s in &sp {
        let idx: Vec<usize> = atoms
            .iter()
            .enumerate()
            .filter(|(_, (e, _))| e == s)
            .map(|(i, _)| i)
            .collect();
        counts.push(idx.len());
        order.extend(idx);
    }
    (sp, counts, order)
}

/// The ideal-gas correction of a molecule: (name, elements, positions, frequencies, p in
/// bar, symmetry number) → eV.
type GasCorrection<'a> =
    &'a dyn Fn(&str, &[&str], &[[f64; 3]], &[f64], f64, u32) -> Result<f64, String>;

/// The references of the other nitrate products (HNO2 for nitrite, NO, NH2OH), each E set
/// so that NO3- → product closes at its tabulated ΔG at U = 0 (docs/nitrate.md §5: NO2-
/// −1.638, NO(g) −2.864, NH2OH(aq) −4.008 eV; NH2OH's solvation neglected), as E(HNO3) is
/// set for NH3. Geometries and frequencies: typical values for each bond; NO taken as a
/// closed shell (spin 0), as chepath's directory mode reads it.
fn write_product_gases(
    root: &Path,
    gas: GasCorrection,
    (g_no3, g_h2, g_h2o): (f64, f64, f64),
) -> Result<(), String> {
    let hno2_pos = [
        [0.0, 0.0, 0.0],
        [1.17, 0.0, 0.0],
        [-0.50, 1.30, 0.0],
        [-1.45, 1.20, 0.0],
    ];
    let f_hno2 = [3590.0, 1700.0, 1263.0, 791.0, 596.0, 544.0];
    let no_pos = [[0.0, 0.0, 0.0], [1.151, 0.0, 0.0]];
    let f_no = [1904.0];
    let nh2oh_pos = [
        [0.0, 0.0, 0.0],
        [1.45, 0.0, 0.0],
        [1.75, 0.90, 0.0],
        [-0.35, 0.50, 0.80],
        [-0.35, 0.50, -0.80],
    ];
    let f_nh2oh = [
        3650.0, 3359.0, 3294.0, 1605.0, 1353.0, 1294.0, 1115.0, 895.0, 386.0,
    ];
    // G(NO2-) from NO3- + 2(H+ + e-) -> NO2- + H2O at -1.638 eV; G(HNO2) = G(NO2-) + ½G(H2)
    // + nitrite_correction (-0.1216)
    let g_no2 = -1.638 + g_no3 + g_h2 - g_h2o;
    let g_hno2 = g_no2 + 0.5 * g_h2 - 0.1216;
    let c = gas("HNO2", &["N", "O", "O", "H"], &hno2_pos, &f_hno2, 1.0, 1)?;
    write_gas(
        root,
        "HNO2",
        &["N", "O", "H"],
        &[1, 2, 1],
        &hno2_pos,
        g_hno2 - c,
        &f_hno2,
    )?;
    // NO3- + 4H+ + 3e- -> NO(g) + 2H2O at -2.864 eV
    let g_no = -2.864 + g_no3 + 2.0 * g_h2 - 2.0 * g_h2o;
    let c = gas("NO", &["N", "O"], &no_pos, &f_no, 1.0, 1)?;
    write_gas(root, "NO", &["N", "O"], &[1, 1], &no_pos, g_no - c, &f_no)?;
    // NO3- + 7H+ + 6e- -> NH2OH + 2H2O at -4.008 eV
    let g_nh2oh = -4.008 + g_no3 + 3.5 * g_h2 - 2.0 * g_h2o;
    let el = ["N", "O", "H", "H", "H"];
    let c = gas("NH2OH", &el, &nh2oh_pos, &f_nh2oh, 1.0, 1)?;
    write_gas(
        root,
        "NH2OH",
        &["N", "O", "H"],
        &[1, 1, 3],
        &nh2oh_pos,
        g_nh2oh - c,
        &f_nh2oh,
    )?;
    write_two_n_gases(root, gas, (g_no3, g_h2, g_h2o))
}

/// N2O and N2 (the two-nitrate products), each E set so that 2NO3- → product closes at its
/// tabulated ΔG at U = 0 (OVERALL_N2O, OVERALL_N2). Linear N–N–O (1.128, 1.184 Å) and N2
/// (1.098 Å) with their experimental frequencies.
fn write_two_n_gases(
    root: &Path,
    gas: GasCorrection,
    (g_no3, g_h2, g_h2o): (f64, f64, f64),
) -> Result<(), String> {
    let n2o_pos = [[0.0, 0.0, 0.0], [0.0, 0.0, 1.128], [0.0, 0.0, 2.312]];
    let f_n2o = [2224.0, 1285.0, 589.0, 589.0];
    // 2NO3- + 10H+ + 8e- -> N2O + 5H2O
    let g_n2o = OVERALL_N2O + 2.0 * g_no3 + 5.0 * g_h2 - 5.0 * g_h2o;
    let c = gas("N2O", &["N", "N", "O"], &n2o_pos, &f_n2o, 1.0, 1)?;
    write_gas(
        root,
        "N2O",
        &["N", "O"],
        &[2, 1],
        &n2o_pos,
        g_n2o - c,
        &f_n2o,
    )?;
    let n2_pos = [[0.0, 0.0, 0.0], [0.0, 0.0, 1.098]];
    let f_n2 = [2359.0];
    // 2NO3- + 12H+ + 10e- -> N2 + 6H2O
    let g_n2 = OVERALL_N2 + 2.0 * g_no3 + 6.0 * g_h2 - 6.0 * g_h2o;
    let c = gas("N2", &["N", "N"], &n2_pos, &f_n2, 1.0, 2)?;
    write_gas(root, "N2", &["N"], &[2], &n2_pos, g_n2 - c, &f_n2)
}

fn write_gas(
    root: &Path,
    name: &str,
    sp: &[&str],
    counts: &[usize],
    pos: &[[f64; 3]],
    e: f64,
    freqs: &[f64],
) -> Result<(), String> {
    let lat = [[15.0, 0.0, 0.0], [0.0, 15.5, 0.0], [0.0, 0.0, 16.0]];
    let mut atoms: Vec<(&'static str, [f64; 3])> = Vec::new();
    let mut k = 0;
    for (s, c) in sp.iter().zip(counts) {
        let el: &'static str = match *s {
            "H" => "H",
            "O" => "O",
            "N" => "N",
            _ => "C",
        };
        for _ in 0..*c {
            let p = pos[k];
            atoms.push((el, [p[0] + 7.0, p[1] + 7.0, p[2] + 7.0]));
            k += 1;
        }
    }
    let dir = root.join("gas").join(name);
    let title = format!("{name} molecule in a box");
    write_calc_raw(&dir, &lat, &atoms, atoms.len(), e, Run::Relax, &title)?;
    write_calc_raw(
        &dir.join("freq"),
        &lat,
        &atoms,
        atoms.len(),
        e + 0.00003,
        Run::Freq(freqs),
        &title,
    )
}

fn write_calc(
    dir: &Path,
    lat: &[[f64; 3]; 3],
    substrate: &[(&'static str, [f64; 3])],
    ads: &[(&'static str, [f64; 3])],
    e: f64,
    run: Run,
    title: &str,
) -> Result<(), String> {
    let cu = substrate
        .iter()
        .find(|(el, p)| *el == "Cu" && (p[2] - 8.0).abs() < 1e-9)
        .map(|(_, p)| *p)
        .unwrap_or([0.0; 3]);
    let mut atoms = substrate.to_vec();
    for (el, p) in ads {
        atoms.push((el, [cu[0] + p[0], cu[1] + p[1], cu[2] + p[2]]));
    }
    write_calc_raw(dir, lat, &atoms, substrate.len(), e, run, title)
}

/// What kind of VASP run a generated calculation imitates.
#[derive(Clone, Copy)]
enum Run<'a> {
    /// IBRION = 2, NSW = 200, four ionic steps, `reached required accuracy`.
    Relax,
    /// IBRION = 5 with these real modes, cm⁻¹ (OUTCAR stored gzipped).
    Freq(&'a [f64]),
    /// IBRION = -1, NSW = 0: one step (the DOS runs).
    Single,
}

/// OUTCAR (relaxation, frequency run or single point) and CONTCAR. Atoms at index
/// ≥ `first_free` are free; the rest fixed.
fn write_calc_raw(
    dir: &Path,
    lat: &[[f64; 3]; 3],
    atoms: &[(&'static str, [f64; 3])],
    first_free: usize,
    e0: f64,
    run: Run,
    title: &str,
) -> Result<(), String> {
    let freqs = match run {
        Run::Freq(f) => Some(f),
        _ => None,
    };
    let single = matches!(run, Run::Single);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (sp, counts, order) = species_order(atoms);
    let nions = atoms.len();
    let freq_run = freqs.is_some();
    let mut o = String::new();
    let _ = writeln!(o, " vasp.6.3.2 27Jun22 (build Oct 17 2023 11:51:05) complex\n  \n executed on             LinuxGNU date 2023.11.02  10:00:00\n running   64 mpi-ranks, with    1 threads/rank, on    1 nodes\n");
    let _ = writeln!(
        o,
        " GENERATED SAMPLE DATA (chepath examples/make_samples.rs): not a real VASP run. {title}\n"
    );
    let _ = writeln!(o, " INCAR:");
    for s in &sp {
        let _ = writeln!(o, " POTCAR:    {}", potcar(s));
    }
    for s in &sp {
        let _ = writeln!(
            o,
            " POTCAR:    {}\n   VRHFIN ={s}:\n   TITEL  = {}",
            potcar(s),
            potcar(s)
        );
    }
    let _ = writeln!(o, "\n Dimension of arrays:\n   k-points           NKPTS =      1   k-points in BZ     NKDIM =      1   number of bands    NBANDS=    256");
    let _ = writeln!(
        o,
        "   number of dos      NEDOS =    301   number of ions     NIONS = {nions:>6}"
    );
    let _ = writeln!(
        o,
        "   ions per type = {}",
        counts.iter().map(|c| format!("{c:>4}")).collect::<String>()
    );
    let _ = writeln!(o, "\n Startparameter for this run:\n   PREC   = accura    normal or accurate (medium, high low for compatibility)\n   ISPIN  =      2    spin polarized calculation?\n   LNONCOLLINEAR =      F non collinear calculations\n   LSORBIT =      F    spin-orbit coupling");
    let _ = writeln!(o, "\n Electronic Relaxation 1\n   ENCUT  =  500.0 eV  36.75 Ry    6.06 a.u.\n   NELM   =    120;   NELMIN=  4; NELMDL= -5     # of ELM steps \n   EDIFF  = 0.1E-05   stopping-criterion for ELM");
    let _ = writeln!(
        o,
        " Ionic relaxation\n   EDIFFG = -.2E-01   stopping-criterion for IOM\n   NSW    = {:>6}    number of steps for IOM\n   IBRION = {:>6}    ionic relax: 0-MD 1-quasi-New 2-CG\n   NFREE  =      2    steps in history (QN), initial steepest desc. (CG)\n   POTIM  = {}    time-step for ionic-motion",
        if freq_run {
            1
        } else if single {
            0
        } else {
            200
        },
        if freq_run {
            5
        } else if single {
            -1
        } else {
            2
        },
        if freq_run { "0.0150" } else { "0.5000" }
    );
    let _ = writeln!(o, "\n DOS related values:\n   ISMEAR =     0;   SIGMA  =   0.05  broadening in eV -4-tet -1-fermi 0-gaus\n   LORBIT       =     11    0 simple, 1 ext, 2 COOP (PROOUT), +10 PAW based schemes\n\n Exchange correlation treatment:\n   GGA     =    PE    GGA type\n   IVDW    =    12    vdW DFT-D3 with Becke-Jonson damping\n");
    let _ = writeln!(
        o,
        "      direct lattice vectors                 reciprocal lattice vectors"
    );
    for r in lat {
        let _ = writeln!(o, "  {:>13.9} {:>12.9} {:>12.9}", r[0], r[1], r[2]);
    }
    let _ = writeln!(o);
    // ionic steps: a relaxation converging to e0, or the displacements of a frequency run
    let steps: Vec<f64> = if freq_run {
        let nfree = (atoms.len() - first_free) * 6;
        (0..=nfree)
            .map(|k| {
                if k == 0 {
                    e0
                } else {
                    e0 + 0.0021 + 0.0003 * (k % 5) as f64
                }
            })
            .collect()
    } else if single {
        vec![e0]
    } else {
        vec![e0 + 0.412, e0 + 0.061, e0 + 0.0042, e0]
    };
    for (k, e) in steps.iter().enumerate() {
        for it in 1..=3 {
            let _ = writeln!(o, "----------------------------------------- Iteration {:>4}({:>4})  ---------------------------------------", k + 1, it);
            let _ = writeln!(
                o,
                " number of electron     {:>11.7} magnetization       0.0001234",
                300.0
            );
        }
        let _ = writeln!(
            o,
            " E-fermi : {EF_ABS:>8.4}     XC(G=0): -10.8862     alpha+bet :-13.1457\n"
        );
        let _ = writeln!(o, "------------------------ aborting loop because EDIFF is reached ----------------------------------------\n");
        let _ = writeln!(o, " POSITION                                       TOTAL-FORCE (eV/Angst)\n -----------------------------------------------------------------------------------");
        for &i in &order {
            let p = atoms[i].1;
            let _ = writeln!(
                o,
                " {:>12.5} {:>12.5} {:>12.5}   {:>14.6} {:>12.6} {:>12.6}",
                p[0],
                p[1],
                p[2],
                0.0,
                0.0,
                if i >= first_free && !freq_run {
                    0.011
                } else {
                    0.0
                }
            );
        }
        let _ = writeln!(o, " -----------------------------------------------------------------------------------\n");
        let _ = writeln!(o, "  FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)\n  ---------------------------------------------------");
        let _ = writeln!(o, "  free  energy   TOTEN  = {:>18.8} eV\n", e - 0.00021);
        let _ = writeln!(
            o,
            "  energy  without entropy= {:>18.8}  energy(sigma->0) = {:>18.8}\n",
            e + 0.00021,
            e
        );
    }
    if let Some(f) = freqs {
        let _ = writeln!(o, " Eigenvectors and eigenvalues of the dynamical matrix\n ----------------------------------------------------\n \n");
        let mut sorted = f.to_vec();
        sorted.sort_by(|a, b| b.total_cmp(a));
        for (k, cm) in sorted.iter().enumerate() {
            let thz = cm / 33.356_409_5;
            let _ = writeln!(
                o,
                "{:>4} f  = {:>11.6} THz {:>12.6} 2PiTHz {:>11.6} cm-1 {:>12.6} meV",
                k + 1,
                thz,
                thz * std::f64::consts::TAU,
                cm,
                cm * 0.123_984_198
            );
            let _ = writeln!(
                o,
                "             X         Y         Z           dx          dy          dz"
            );
            for &i in &order {
                let p = atoms[i].1;
                let _ = writeln!(
                    o,
                    " {:>12.6} {:>9.6} {:>9.6}   {:>10.6} {:>10.6} {:>10.6}",
                    p[0],
                    p[1],
                    p[2],
                    0.0,
                    0.0,
                    if i >= first_free { 0.3 } else { 0.0 }
                );
            }
            let _ = writeln!(o);
        }
    } else if !single {
        let _ = writeln!(
            o,
            " reached required accuracy - stopping structural energy minimisation"
        );
    }
    let _ = writeln!(o, "\n General timing and accounting informations for this job:\n ========================================================\n\n                  Total CPU time used (sec):     1234.567");
    if freq_run {
        // Frequency runs print every atom's displacement for every mode: stored compressed.
        let f = std::fs::File::create(dir.join("OUTCAR.gz")).map_err(|e| e.to_string())?;
        let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::best());
        gz.write_all(o.as_bytes()).map_err(|e| e.to_string())?;
        gz.finish().map_err(|e| e.to_string())?;
    } else {
        std::fs::write(dir.join("OUTCAR"), o).map_err(|e| e.to_string())?;
    }
    // CONTCAR
    let mut c = format!("{title} (GENERATED)\n   1.00000000000000\n");
    for r in lat {
        let _ = writeln!(c, "  {:>20.16} {:>20.16} {:>20.16}", r[0], r[1], r[2]);
    }
    let _ = writeln!(
        c,
        "  {}",
        sp.iter().map(|s| format!("{s:>4}")).collect::<String>()
    );
    let _ = writeln!(
        c,
        "  {}",
        counts.iter().map(|n| format!("{n:>4}")).collect::<String>()
    );
    let _ = writeln!(c, "Selective dynamics\nCartesian");
    for &i in &order {
        let p = atoms[i].1;
        let f = if i >= first_free {
            "T   T   T"
        } else {
            "F   F   F"
        };
        let _ = writeln!(
            c,
            "  {:>18.16}  {:>18.16}  {:>18.16}   {f}",
            p[0], p[1], p[2]
        );
    }
    std::fs::write(dir.join("CONTCAR"), c).map_err(|e| e.to_string())?;
    Ok(())
}

fn gauss(x: f64, c: f64, w: f64) -> f64 {
    (-(x - c) * (x - c) / (2.0 * w * w)).exp() / (w * (2.0 * std::f64::consts::PI).sqrt())
}

/// d DOS (states/eV, both spins summed) of a Cu atom with centre near `c`.
fn cu_d(x: f64, c: f64) -> f64 {
    10.0 * (0.45 * gauss(x, c - 0.7, 0.55)
        + 0.35 * gauss(x, c + 0.35, 0.45)
        + 0.20 * gauss(x, c + 1.1, 0.6))
}

fn write_doscar(
    dir: &Path,
    substrate: &[(&'static str, [f64; 3])],
    site_center: f64,
) -> Result<(), String> {
    let (_, _, order) = species_order(substrate);
    let nedos = 301;
    let (lo, hi) = (-15.0, 8.0);
    let x: Vec<f64> = (0..nedos)
        .map(|k| lo + (hi - lo) * k as f64 / (nedos - 1) as f64)
        .collect();
    // shift the site Cu's d band until its first moment on this grid is the target
    let mut c = site_center;
    for _ in 0..6 {
        let rho: Vec<f64> = x.iter().map(|v| cu_d(*v, c)).collect();
        let got = chepath::dband::descriptors(&x, &rho, chepath::dband::Window::Full)
            .map_err(|e| e.reason)?
            .center;
        c += site_center - got;
    }
    let site = substrate
        .iter()
        .position(|(el, p)| *el == "Cu" && (p[2] - 8.0).abs() < 1e-9)
        .unwrap_or(0);
    let fmt = |v: f64| {
        format!("{:>12.4E}", v.max(0.0))
            .replace("E", "E+")
            .replace("E+-", "E-")
    };
    let mut s = format!("{:>4}{:>4}   1   0\n  0.1521000E+02  0.1230000E-08  0.1230000E-08  0.2000000E-08  0.5000000E-15\n  1.000000000000000E-004\n  CAR \n GENERATED SAMPLE DATA\n", substrate.len(), substrate.len());
    let head = format!(
        "  {:>14.8} {:>14.8} {nedos:>4} {:>14.8} 1.00000000\n",
        hi + EF_ABS,
        lo + EF_ABS,
        EF_ABS
    );
    s.push_str(&head);
    let mut total = vec![0.0; nedos];
    let mut blocks = String::new();
    for &i in &order {
        let (el, _) = substrate[i];
        blocks.push_str(&head);
        for (k, v) in x.iter().enumerate() {
            let (sd, p, d) = match el {
                "Cu" => {
                    let cc = if i == site { c } else { -2.3 };
                    (
                        0.02 * gauss(*v, -6.0, 2.0),
                        0.04 * gauss(*v, -1.0, 2.5),
                        cu_d(*v, cc),
                    )
                }
                "N" => (
                    0.3 * gauss(*v, -13.0, 0.8),
                    3.0 * (0.6 * gauss(*v, -6.5, 1.4) + 0.4 * gauss(*v, 2.0, 1.2)),
                    0.02 * gauss(*v, -3.0, 1.5),
                ),
                _ => (
                    0.25 * gauss(*v, -12.5, 1.2),
                    2.2 * (0.55 * gauss(*v, -5.5, 1.8) + 0.45 * gauss(*v, 2.5, 1.5)),
                    0.01 * gauss(*v, -3.0, 1.5),
                ),
            };
            total[k] += sd + p + d;
            let _ = write!(blocks, "{:>10.3}", v + EF_ABS);
            // lm columns s, py, pz, px, dxy, dyz, dz2, dxz, dx2; each up then down
            let lm = [
                sd,
                p / 3.0,
                p / 3.0,
                p / 3.0,
                d * 0.19,
                d * 0.21,
                d * 0.2,
                d * 0.21,
                d * 0.19,
            ];
            for val in lm {
                let _ = write!(blocks, " {} {}", fmt(0.51 * val), fmt(0.49 * val));
            }
            blocks.push('\n');
        }
    }
    let mut integ = 0.0;
    for k in 0..nedos {
        if k > 0 {
            integ += 0.5 * (total[k] + total[k - 1]) * (x[k] - x[k - 1]);
        }
        let _ = writeln!(
            s,
            "{:>10.3} {} {} {} {}",
            x[k] + EF_ABS,
            fmt(0.5 * total[k]),
            fmt(0.5 * total[k]),
            fmt(0.5 * integ),
            fmt(0.5 * integ)
        );
    }
    s.push_str(&blocks);
    let f = std::fs::File::create(dir.join("DOSCAR.gz")).map_err(|e| e.to_string())?;
    let mut gz = flate2::write::GzEncoder::new(f, flate2::Compression::best());
    gz.write_all(s.as_bytes()).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())?;
    Ok(())
}

/// The level of a state of the sample network: a target's level, twice it for a `2*X` state,
/// the overall ΔG for a product with a tabulated one.
fn level_of(lv: &BTreeMap<&str, f64>, state: &str) -> f64 {
    match state {
        "NO3-" | "2NO3-" => 0.0,
        "NH3(g)" => OVERALL,
        "N2O(g)" => OVERALL_N2O,
        "N2(g)" => OVERALL_N2,
        s => match s.strip_prefix('2') {
            Some(one) => 2.0 * lv.get(one).copied().unwrap_or(f64::NAN),
            None => lv.get(s).copied().unwrap_or(f64::NAN),
        },
    }
}

/// Read the tree back with chepath and check every target.
fn verify(root: &Path) -> Result<(), String> {
    let loaded = chepath::load::load(root, None).map_err(|e| e.to_string())?;
    let report = chepath::pathway::run(&loaded.file, &loaded.dataset, None, None)
        .map_err(|e| e.to_string())?;
    let dband =
        chepath::dband::model_centres(&loaded.file, &loaded.dataset).map_err(|e| e.to_string())?;
    let mut bad = Vec::new();
    let mut check = |what: String, got: Option<f64>, want: f64| {
        if !got.is_some_and(|g| (g - want).abs() < 0.005) {
            bad.push(format!("{what}: got {got:?}, want {want}"));
        }
    };
    for tg in &TARGETS {
        let m = report
            .models
            .iter()
            .find(|m| m.name == tg.dir)
            .ok_or(format!("model {} missing", tg.dir))?;
        let lv: BTreeMap<&str, f64> = tg.levels.iter().copied().collect();
        let best = &m.paths[m.best_path.ok_or("no best path")?];
        let two_n = m
            .products
            .iter()
            .filter(|p| p.state == "N2O(g)" || p.state == "N2(g)");
        for s in best.steps.iter().chain(two_n.flat_map(|p| p.steps.iter())) {
            check(
                format!("{} {} → {}", tg.dir, s.from, s.to),
                Some(s.dg),
                level_of(&lv, &s.to) - level_of(&lv, &s.from),
            );
        }
        for p in ["N2O(g)", "N2(g)"] {
            let r = m.products.iter().find(|r| r.state == p);
            check(
                format!("{} {p} closure", tg.dir),
                r.and_then(|r| r.closure_deviation),
                0.0,
            );
        }
        check(
            format!("{} adsorption", tg.dir),
            m.adsorption_dg,
            lv["*NO3"],
        );
        check(
            format!("{} d-band", tg.dir),
            dband.get(tg.dir).and_then(|d| d.center),
            tg.dband,
        );
        check(
            format!("{} ΔG(H*)", tg.dir),
            m.her.as_ref().map(|h| h.dg_h),
            tg.dg_h,
        );
        check(
            format!("{} closure", tg.dir),
            m.closure.as_ref().map(|c| c.overall_dg),
            OVERALL,
        );
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the generated files do not reproduce the targets:\n{}",
            bad.join("\n")
        ))
    }
}
