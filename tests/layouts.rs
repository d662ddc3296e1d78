//! Trees of calculations in the layouts published datasets use, built at test time from the
//! generated samples and the corpus (never copied into the repository): a `[layout]`
//! pattern over flat `RawData/{model}_{state}` names, directory mode's `<state>/<model>/`,
//! the corpus's `<model>/<state>/{scf,zpe}-backup/`, and an OSZICAR-only tree with a planted
//! GGA+U clean site that lint must catch. The numbers checked are the paper's (Ji et al.
//! 2023, the samples' targets) and the corpus network's own, not chepath's earlier output.

use crate::common::{self, chepath};
use std::path::{Path, PathBuf};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp");

/// U_L per model from `pathway --json` (the best path's), sorted by model.
fn limiting_potentials(json: &serde_json::Value) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = json["models"]
        .as_array()
        .expect("models")
        .iter()
        .filter_map(|m| {
            Some((
                m["name"].as_str()?.to_string(),
                m["limiting_potential"].as_f64()?,
            ))
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

fn pathway_json(args: &[&str]) -> serde_json::Value {
    let out = chepath()
        .arg("pathway")
        .args(args)
        .arg("--json")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The paper's U_L of the three sample models (Ji et al. 2023; che-conventions.md §6).
fn paper() -> Vec<(String, f64)> {
    vec![
        ("CuN4".into(), -1.97),
        ("CuN4_Cu4".into(), -0.78),
        ("CuN4_CuNP".into(), -1.12),
    ]
}

fn assert_close(got: &[(String, f64)], want: &[(String, f64)]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((gm, g), (wm, w)) in got.iter().zip(want) {
        assert_eq!(gm, wm);
        assert!((g - w).abs() < 0.005, "{gm}: {g} vs {w}");
    }
}

/// The sample models' state directories: (model, state directory name, path).
fn sample_states() -> Vec<(String, String, PathBuf)> {
    let mut v = Vec::new();
    for m in ["CuN4", "CuN4_Cu4", "CuN4_CuNP"] {
        for e in std::fs::read_dir(Path::new(SAMPLES).join(m)).expect("model") {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().to_string();
            if name != "dos" {
                v.push((m.to_string(), name, e.path()));
            }
        }
    }
    v
}

#[test]
fn a_flat_tree_through_a_layout_pattern() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    for (m, state, p) in sample_states() {
        // the published dataset's names: the clean site is `substrate`
        let state = if state == "slab" {
            "substrate".to_string()
        } else {
            state
        };
        common::copy_dir(&p, &root.join("RawData").join(format!("{m}_{state}")));
    }
    common::copy_dir(&Path::new(SAMPLES).join("gas"), &root.join("gas"));
    let net = root.join("network.toml");
    std::fs::write(
        &net,
        r#"[network]
template = "no3rr"
[layout]
pattern = "RawData/{model}_{state}"
clean = "substrate"
[references]
H2 = { calc = "gas/H2", freq = "gas/H2/freq", model = "ideal-gas" }
H2O = { calc = "gas/H2O", freq = "gas/H2O/freq", model = "ideal-gas", pressure = 0.035 }
HNO3 = { calc = "gas/HNO3", freq = "gas/HNO3/freq", model = "ideal-gas" }
NH3 = { calc = "gas/NH3", freq = "gas/NH3/freq", model = "ideal-gas" }
"#,
    )
    .expect("w");
    let j = pathway_json(&[&net.display().to_string()]);
    assert_close(&limiting_potentials(&j), &paper());
    assert_eq!(j["layout"]["pattern"], "RawData/{model}_{state}");
    assert_eq!(j["layout"]["models"].as_array().map(|a| a.len()), Some(3));
    assert_eq!(j["layout"]["unplaced"].as_array().map(|a| a.len()), Some(0));
    // a stray directory is listed with the reason, and a misnamed state is an error
    common::copy_dir(
        &root.join("RawData/CuN4_NO3"),
        &root.join("RawData/CuN4_notes"),
    );
    let j = pathway_json(&[&net.display().to_string()]);
    let unplaced = j["layout"]["unplaced"].to_string();
    assert!(
        unplaced.contains("CuN4_notes") && unplaced.contains("'notes'"),
        "{unplaced}"
    );
    common::copy_dir(
        &root.join("RawData/CuN4_NO3"),
        &root.join("RawData/CuN4_NOH2"),
    );
    let out = chepath()
        .args(["pathway", &net.display().to_string()])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("*NOH2: not a state of the network") && err.contains("*NH2OH"),
        "{err}"
    );
}

#[test]
fn directory_mode_finds_a_state_first_tree() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    for (m, state, p) in sample_states() {
        common::copy_dir(&p, &root.join(&state).join(&m));
    }
    common::copy_dir(&Path::new(SAMPLES).join("gas"), &root.join("gas"));
    let j = pathway_json(&[&root.display().to_string()]);
    assert_close(&limiting_potentials(&j), &paper());
    assert_eq!(j["layout"]["pattern"], "{state}/{model}");
    assert!(j["layout"]["chosen"]
        .as_str()
        .is_some_and(|c| c.starts_with("directory mode")));
}

/// The corpus's OER tree keeps a state's runs side by side (`scf-backup/`, `zpe-backup/`,
/// `opt-backup*/`, `dos-backup/`): a `[layout]` over it gives the same ΔG as the example
/// network that names every directory by hand.
#[test]
fn a_tree_of_runs_gives_the_hand_written_network() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let tree = corpus.join("tosykie_FeNi_OER/OER/O-covered");
    let dir = tempfile::tempdir().expect("tmp");
    let net = dir.path().join("network.toml");
    std::fs::write(
        &net,
        format!(
            "[network]\ntemplate = \"oer\"\n[layout]\npattern = \"{}/{{model}}/{{state}}\"\n[references]\nH2 = {{ energy = -6.77, zpe = 0.27, ts = 0.41 }}\nH2O = {{ energy = -14.22, zpe = 0.56, ts = 0.67 }}\nO2 = {{ G = -9.92 }}\n",
            tree.display()
        ),
    )
    .expect("w");
    let j = pathway_json(&[&net.display().to_string()]);
    let by_hand = pathway_json(&[concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/networks/ni111_oer_corpus.toml"
    )]);
    let m = j["models"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["name"] == "Ni(111)"))
        .expect("Ni(111) placed");
    let h = &by_hand["models"][0];
    for key in ["*", "*OH", "*O", "*OOH"] {
        let (a, b) = (
            m["sources"][key]["g"].as_f64(),
            h["sources"][key]["g"].as_f64(),
        );
        assert!(
            a.zip(b).is_some_and(|(a, b)| (a - b).abs() < 1e-9),
            "{key}: {a:?} vs {b:?}"
        );
        assert!(
            m["sources"][key]["source"]
                .as_str()
                .is_some_and(|s| s.contains("scf-backup")),
            "{key}: the single point, not the relaxation"
        );
    }
    assert_eq!(m["limiting_potential"], h["limiting_potential"]);
}

/// An OSZICAR and an INCAR per calculation, as the published single-atom datasets hold.
fn oszicar_only(from: &Path, to: &Path, incar: &str) {
    std::fs::create_dir_all(to).expect("mkdir");
    let o = vasp_parsers::read_outcar(&from.join("OUTCAR")).expect("sample OUTCAR");
    let mut text = String::new();
    for s in &o.ionic_steps {
        text += &format!(
            "      N       E                     dE             d eps       ncg     rms          rms(c)\nDAV:   1    -0.1E+03    0.1E+03   -0.1E+03   100   0.1E+02\n{:4} F= {:.8E} E0= {:.8E}  d E =0.00000000E+00\n",
            s.index, s.energy.toten, s.energy.sigma0
        );
    }
    std::fs::write(to.join("OSZICAR"), text).expect("w");
    std::fs::write(to.join("INCAR"), incar).expect("w");
    std::fs::copy(from.join("CONTCAR"), to.join("CONTCAR")).expect("copy");
    std::fs::write(to.join("KPOINTS"), "auto\n0\nGamma\n3 3 1\n").expect("w");
    if from.join("freq").is_dir() {
        common::copy_dir(&from.join("freq"), &to.join("freq"));
    }
}

#[test]
fn an_oszicar_only_tree_and_a_planted_gga_u_site() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    let incar = "ENCUT = 400\nPREC = Accurate\nISMEAR = 0\nSIGMA = 0.05\nIBRION = 2\nNSW = 200\nEDIFFG = -0.02\n";
    for (m, state, p) in sample_states() {
        let planted = m == "CuN4_Cu4" && state == "slab";
        let text = if planted {
            format!("{incar}LDAU = .TRUE.\nLDAUL = 2 -1 -1\nLDAUU = 4.0 0 0\n")
        } else {
            incar.to_string()
        };
        oszicar_only(&p, &root.join(&m).join(&state), &text);
    }
    for g in ["H2", "H2O", "HNO3", "NH3"] {
        oszicar_only(
            &Path::new(SAMPLES).join("gas").join(g),
            &root.join("gas").join(g),
            incar,
        );
    }
    std::fs::write(
        root.join("network.toml"),
        "[network]\ntemplate = \"no3rr\"\n",
    )
    .expect("w");
    // the energies come from the OSZICARs, to the digits the OSZICAR prints (8 significant)
    let j = pathway_json(&[&root.display().to_string()]);
    let ul = limiting_potentials(&j);
    assert_close(&ul, &paper());
    let src = j["models"][0]["sources"]["*NO3"]["source"]
        .as_str()
        .unwrap_or("");
    assert!(src.contains("OSZICAR:") && src.contains("E0"), "{src}");
    // lint reads the INCARs: the GGA+U clean site is an error naming that model
    let out = chepath()
        .args(["lint", &root.display().to_string(), "--json"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let findings = r["findings"].as_array().expect("findings");
    let ldau: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| {
            f["check"] == "parameters" && f["message"].as_str().is_some_and(|m| m.contains("LDAU"))
        })
        .collect();
    assert_eq!(ldau.len(), 1, "{findings:#?}");
    assert_eq!(ldau[0]["subject"], "models.CuN4_Cu4");
    assert!(ldau[0]["files"].to_string().contains("CuN4_Cu4/slab/INCAR"));
    // nothing else is an error: the clean trees of the other models pass
    let errors: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    // scan: params from the INCAR, completion unknown
    let out = chepath()
        .args([
            "scan",
            &root.join("CuN4").display().to_string(),
            "--json-lines",
        ])
        .output()
        .expect("run");
    let first: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().expect("a line"))
            .expect("json");
    assert_eq!(first["complete"], serde_json::Value::Null);
    assert_eq!(first["params"]["ENCUT"], "400");
    assert!(first["composition"]
        .as_str()
        .is_some_and(|c| c.contains("Cu")));
}

/// Atomic chemical potentials of the generated single-atom tree, eV.
const MU_H: f64 = -3.38;
const MU_O: f64 = -7.46;

/// One OSZICAR-only calculation: OSZICAR (three ionic steps ending at `e`), CONTCAR, INCAR,
/// KPOINTS and a POTCAR title list, as published single-atom datasets hold them.
fn write_sac(dir: &Path, metal: &str, ads: &[(&str, usize)], e: f64, incar: &str) {
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut osz = String::new();
    for (k, de) in [(1, 0.8), (2, 0.1), (3, 0.0)] {
        osz += &format!(
            "DAV:   1    -0.10000000E+03   -0.1E+03   -0.1E+03  1000   0.1E+02\n{k:4} F= {:.8E} E0= {:.8E}  d E ={de:.6E}  mag=     0.0000\n",
            e + de - 0.001,
            e + de
        );
    }
    std::fs::write(dir.join("OSZICAR"), osz).expect("w");
    let mut species = vec![("C", 30usize), ("N", 4), (metal, 1)];
    species.extend(ads.iter().copied());
    let names: Vec<&str> = species.iter().map(|(s, _)| *s).collect();
    let counts: Vec<String> = species.iter().map(|(_, n)| n.to_string()).collect();
    let n: usize = species.iter().map(|(_, n)| n).sum();
    let mut poscar = format!(
        "generated\n1.0\n12.3 0 0\n0 12.3 0\n0 0 20.0\n{}\n{}\nDirect\n",
        names.join(" "),
        counts.join(" ")
    );
    for k in 0..n {
        poscar += &format!(
            "{:.4} {:.4} 0.5\n",
            (k % 7) as f64 / 7.0,
            (k / 7) as f64 / 7.0
        );
    }
    std::fs::write(dir.join("CONTCAR"), poscar).expect("w");
    std::fs::write(dir.join("INCAR"), incar).expect("w");
    std::fs::write(dir.join("KPOINTS"), "auto\n0\nGamma\n3 3 1\n").expect("w");
    let titles: Vec<String> = names
        .iter()
        .map(|s| format!("PAW_PBE {s} 08Apr2002"))
        .collect();
    std::fs::write(dir.join("POTCAR"), titles.join("\n") + "\n").expect("w");
}

/// The generated tree of 140 single-atom catalysts (28 metals × 5 sites, each with *H, *O,
/// *OH, *OOH and the `substrate`), flat names `RawData/<site>_<metal>_<state>`, 39 of whose
/// clean sites were computed with GGA+U (and lie 10 eV lower) and one a DOS single point
/// (ISMEAR = −5, 7 eV higher). Returns the inconsistent models.
pub fn sac_tree(root: &Path) -> (Vec<String>, String) {
    const METALS: [&str; 28] = [
        "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Y", "Zr", "Nb", "Mo", "Ru",
        "Rh", "Pd", "Ag", "Cd", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg",
    ];
    const SITES: [&str; 5] = ["4N4", "3N4", "2N4", "pyN4", "grN4"];
    let incar = "ENCUT = 450\nPREC = Accurate\nISPIN = 2\nISMEAR = 0\nSIGMA = 0.05\nIBRION = 2\nNSW = 300\nEDIFFG = -0.02\nNELM = 120\n";
    let mut gga_u = Vec::new();
    let mut dos_point = String::new();
    let mut k = 0usize;
    for site in SITES {
        for (i, m) in METALS.iter().enumerate() {
            let model = format!("{site}_{m}");
            let x = 0.2
                + 1.8 * i as f64 / 27.0
                + 0.05 * SITES.iter().position(|s| *s == site).unwrap_or(0) as f64;
            let e0 = -300.0 - 0.37 * k as f64;
            let (shift, site_incar) = if (k % 7 == 3 || k % 7 == 5) && gga_u.len() < 39 {
                gga_u.push(model.clone());
                (
                    -10.0,
                    format!("{incar}LDAU = .TRUE.\nLDAUL = -1 -1 2\nLDAUU = 0 0 4.0\n"),
                )
            } else if k == 100 {
                dos_point = model.clone();
                (
                    7.0,
                    incar
                        .replace("ISMEAR = 0", "ISMEAR = -5")
                        .replace("IBRION = 2", "IBRION = -1")
                        .replace("NSW = 300", "NSW = 0"),
                )
            } else {
                (0.0, incar.to_string())
            };
            let raw = root.join("RawData");
            write_sac(
                &raw.join(format!("{model}_substrate")),
                m,
                &[],
                e0 + shift,
                &site_incar,
            );
            write_sac(
                &raw.join(format!("{model}_OH")),
                m,
                &[("O", 1), ("H", 1)],
                e0 + x + MU_O + MU_H,
                incar,
            );
            write_sac(
                &raw.join(format!("{model}_O")),
                m,
                &[("O", 1)],
                e0 + 2.0 * x + 0.1 + MU_O,
                incar,
            );
            write_sac(
                &raw.join(format!("{model}_OOH")),
                m,
                &[("O", 2), ("H", 1)],
                e0 + x + 3.2 + 2.0 * MU_O + MU_H,
                incar,
            );
            write_sac(
                &raw.join(format!("{model}_H")),
                m,
                &[("H", 1)],
                e0 + 0.4 * x - 0.2 + MU_H,
                incar,
            );
            k += 1;
        }
    }
    std::fs::write(
        root.join("network.toml"),
        format!(
            "notice = \"GENERATED TEST DATA (tests/layouts.rs): 140 made-up single-atom catalysts, not a real dataset\"\n[network]\ntemplate = \"orr\"\n[layout]\npattern = \"RawData/{{model}}_{{state}}\"\nclean = \"substrate\"\n[references.atoms]\nH = {MU_H}\nO = {MU_O}\n[references]\nO2 = {{ reaction = \"2 H2O -> O2 + 2 H2\", dG = 4.92 }}\n[corrections]\ndefault = 0.0\n"
        ),
    )
    .expect("w");
    (gga_u, dos_point)
}

/// With CHEPATH_SAC_TREE=DIR the generated tree is also written to DIR (for timings by hand).
#[test]
fn a_published_style_tree_of_140_models() {
    if let Some(keep) = std::env::var_os("CHEPATH_SAC_TREE") {
        sac_tree(Path::new(&keep));
    }
    let dir = tempfile::tempdir().expect("tmp");
    let (gga_u, dos_point) = sac_tree(dir.path());
    assert_eq!(gga_u.len(), 39);
    let net = dir.path().join("network.toml");
    let netp = net.display().to_string();
    let j = pathway_json(&[&netp]);
    let models = j["models"].as_array().expect("models");
    assert_eq!(models.len(), 140);
    assert_eq!(j["layout"]["placed"], 700);
    // a consistent model by hand: ΔG(*OH) = x and U_L = min(x, ΔG_OOH − ΔG_O ... ) with the
    // generated energies: Co on 4N4 (i = 6): x = 0.2 + 1.8·6/27
    let fe = models
        .iter()
        .find(|m| m["name"] == "4N4_Co")
        .expect("4N4_Co");
    assert!(!gga_u.iter().any(|g| g == "4N4_Co"));
    let x = 0.2 + 1.8 * 6.0 / 27.0;
    assert!((fe["descriptor"].as_f64().unwrap() - x).abs() < 1e-5);
    // steps: O2 → *OOH: (x + 3.2) − 4.92; *OOH → *O: (2x + 0.1) − (x + 3.2); *O → *OH: x − (2x + 0.1); *OH → H2O: −x
    let steps = [x + 3.2 - 4.92, x + 0.1 - 3.2, -x - 0.1, -x];
    let ul = steps.iter().map(|g| -g).fold(f64::MAX, f64::min);
    assert!((fe["limiting_potential"].as_f64().unwrap() - ul).abs() < 1e-5);
    // the inconsistent models are flagged by name: implausible values in the pathway ...
    for m in models {
        let name = m["name"].as_str().unwrap_or("");
        let implausible = m["warnings"].to_string().contains("implausible");
        let bad = gga_u.iter().any(|g| g == name) || name == dos_point;
        assert_eq!(implausible, bad, "{name}: {}", m["warnings"]);
    }
    // ... and lint: LDAU for each GGA+U clean site, ISMEAR for the DOS single point
    let out = chepath()
        .args(["lint", &netp, "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(7));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let subjects = |what: &str| -> Vec<String> {
        let mut v: Vec<String> = r["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| {
                f["check"] == "parameters"
                    && f["message"].as_str().is_some_and(|m| m.contains(what))
            })
            .filter_map(|f| {
                f["subject"]
                    .as_str()
                    .map(|s| s.trim_start_matches("models.").to_string())
            })
            .collect();
        v.sort();
        v
    };
    let mut want = gga_u.clone();
    want.sort();
    assert_eq!(subjects("LDAU"), want);
    assert_eq!(subjects("ISMEAR"), vec![dos_point.clone()]);
    // rank (by the descriptor, its key printed) and report (screening plot) run on it
    let out = chepath()
        .args(["rank", &netp, "--by", "descriptor"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("sorted by ΔG(*OH) (eV) (lowest first)"),
        "{}",
        &text[..400.min(text.len())]
    );
    assert!(text.contains("ΔG(*OH) (eV)") && !text.contains("ΔG ads NO3"));
    let rep = dir.path().join("report");
    let out = chepath()
        .args(["report", &netp, "-o", &rep.display().to_string()])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let svg = std::fs::read_to_string(rep.join("screening.svg")).expect("screening plot");
    assert!(svg.contains("GENERATED TEST DATA"));
    // the 100 consistent models are drawn, the 40 implausible ones named instead
    assert_eq!(svg.matches("<circle").count(), 100);
    assert!(svg.contains("implausible values") && svg.contains("40 model(s)"));
    let fed = std::fs::read_to_string(rep.join("free_energy.svg")).expect("diagram");
    assert!(fed.contains("the 6 best of 140 models"));
}

/// A spreadsheet's export instead of `[models]`: Nørskov's Pt(111) ORR (U_L = 0.78 V, PDS
/// *O → *OH), with energies and tabulated corrections in columns.
#[test]
fn models_from_a_csv() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("models.csv"),
        "# Pt(111), Nørskov et al. 2004 (G at U = 0 relative to the references)\nmodel,state,energy,zpe,ts\nPt(111),slab,0.0,,\nPt(111),*O,1.50,0.10,0.02\nPt(111),*OH,0.80,,\nPt(111),*OOH,4.00,0,0\n",
    )
    .expect("w");
    let net = dir.path().join("n.toml");
    std::fs::write(
        &net,
        "models_csv = \"models.csv\"\n[references]\nH2 = { G = 0.0 }\nH2O = { G = 0.0 }\nO2 = { G = 4.92 }\n[network]\ntemplate = \"orr\"\n[corrections]\ndefault = 0.0\n",
    )
    .expect("w");
    let j = pathway_json(&[&net.display().to_string()]);
    let m = &j["models"][0];
    assert_eq!(m["name"], "Pt(111)");
    // *O: 1.50 + 0.10 − 0.02 = 1.58
    assert!((m["limiting_potential"].as_f64().unwrap() - 0.78).abs() < 1e-9);
    assert_eq!(m["pds"]["from"], "*O");
    // a bad cell names the line
    std::fs::write(
        dir.path().join("models.csv"),
        "model,state,energy\nPt,slab,abc\n",
    )
    .expect("w");
    let out = chepath()
        .args(["pathway", &net.display().to_string()])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("models.csv:2: column energy"));
}

/// A directory with only a vasprun.xml takes its energy from it: the corpus's Ni(111) slab
/// single point gives the E0 its OUTCAR prints (to the vasprun.xml's digits).
#[test]
fn a_vasprun_only_directory() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let src = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)/slab/scf-backup");
    let dir = tempfile::tempdir().expect("tmp");
    let only = dir.path().join("run");
    std::fs::create_dir(&only).expect("mkdir");
    std::fs::copy(src.join("vasprun.xml.gz"), only.join("vasprun.xml.gz")).expect("copy");
    let kind = chepath::conventions::EnergyKind::Sigma0;
    let xml = chepath::load::dataset::read_one(&only, chepath::load::Role::Energy)
        .energy(kind)
        .expect("energy from vasprun.xml");
    let outcar = chepath::load::dataset::read_one(&src, chepath::load::Role::Energy)
        .energy(kind)
        .expect("energy from OUTCAR");
    assert!(
        xml.source.contains("vasprun.xml.gz (ionic step 1 of 1"),
        "{}",
        xml.source
    );
    assert!(outcar.source.contains("OUTCAR:"), "{}", outcar.source);
    assert!(
        (xml.value - outcar.value).abs() < 1e-5,
        "{} vs {}",
        xml.value,
        outcar.value
    );
}

/// A model directory whose name is not UTF-8 is not placed under a lossy name (which would
/// point at no directory, or at another one): its directories are listed as unplaced with
/// why, and the other models are computed as before.
#[test]
fn a_model_directory_that_is_not_utf8_is_said_not_guessed() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("tree");
    common::copy_dir(Path::new(SAMPLES), &root);
    let bad = root.join(std::ffi::OsStr::from_bytes(b"CuN4_Cu\xe94"));
    std::fs::rename(root.join("CuN4_Cu4"), &bad).expect("rename");
    let j = pathway_json(&[&root.display().to_string()]);
    let got = limiting_potentials(&j);
    let want: Vec<(String, f64)> = paper()
        .into_iter()
        .filter(|(m, _)| m != "CuN4_Cu4")
        .collect();
    assert_close(&got, &want);
    let unplaced = j["layout"]["unplaced"].to_string();
    assert!(unplaced.contains("not valid UTF-8"), "{unplaced}");
}
