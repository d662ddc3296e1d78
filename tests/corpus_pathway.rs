//! The OER network over real corpus files (examples/networks/ni111_oer_corpus.toml), checked
//! by independent arithmetic: energies read straight from the OUTCARs, corrections from the
//! harmonic formula, the four ΔG written out by hand.

use crate::common;

use chepath::thermo::{harmonic, SoftModeFloor};
use std::path::Path;

fn e0(dir: &Path) -> f64 {
    let o = vasp_parsers::read_outcar(&dir.join("OUTCAR")).expect("outcar");
    o.last_step().expect("step").energy.sigma0
}

fn corr(dir: &Path) -> f64 {
    let o = vasp_parsers::read_outcar(&dir.join("OUTCAR")).expect("outcar");
    let f: Vec<f64> = o
        .modes
        .iter()
        .map(|m| if m.imaginary { -m.freq_cm1 } else { m.freq_cm1 })
        .collect();
    harmonic(&f, 298.15, SoftModeFloor::None).correction
}

#[test]
fn ni111_oer_from_real_files() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/networks/ni111_oer_corpus.toml");
    // The example names the corpus at ../shared; CHEPATH_CORPUS may point elsewhere.
    let text = std::fs::read_to_string(&ex).expect("example");
    let text = text.replace("../../../shared/vasp-corpus", &corpus.display().to_string());
    let f = chepath::network::parse(&text, "ni111").expect("parse");
    let data = chepath::load::Dataset::for_network(&f, Path::new("."));
    let r = chepath::pathway::run(&f, &data, None, None).expect("run");
    let m = &r.models[0];
    let root = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)");
    let g = |name: &str| {
        e0(&root.join(name).join("scf-backup")) + corr(&root.join(name).join("zpe-backup"))
    };
    let (gs, goh, go, gooh) = (g("slab"), g("OH"), g("O"), g("OOH"));
    let gh2 = -6.77 + 0.27 - 0.41;
    let gh2o = -14.22 + 0.56 - 0.67;
    let go2 = -9.92;
    // * + H2O → *OH + (H+ + e-); *OH → *O + (H+ + e-); *O + H2O → *OOH + (H+ + e-);
    // *OOH → * + O2 + (H+ + e-); at U = 0 RHE, μ(H+ + e-) = ½G(H2)
    let want = [
        goh + 0.5 * gh2 - gs - gh2o,
        go + 0.5 * gh2 - goh,
        gooh + 0.5 * gh2 - go - gh2o,
        gs + go2 + 0.5 * gh2 - gooh,
    ];
    let p = &m.paths[m.best_path.expect("a path")];
    let got: Vec<f64> = p.steps.iter().map(|s| s.dg).collect();
    for (a, b) in got.iter().zip(&want) {
        assert!((a - b).abs() < 1e-9, "{got:?} vs {want:?}");
    }
    let ul = want.iter().cloned().fold(f64::MIN, f64::max);
    assert!((m.limiting_potential.expect("U_L") - ul).abs() < 1e-9);
    assert!((want.iter().sum::<f64>() - 4.92).abs() < 1e-9, "closure");
    // the energies came from the files named, with their lines
    assert!(m.sources["*OH"].source.contains("OH/scf-backup/OUTCAR:"));
    assert!(m.sources["*OH"]
        .correction_source
        .as_deref()
        .unwrap_or("")
        .contains("harmonic, 6 modes"));
}

/// Directory mode: the same calculations laid out as ROOT/<model>/<intermediate>/ (with
/// freq/ subdirectories) give the same answer as the network file, with no file at all
/// beyond the references.
#[cfg(unix)]
#[test]
fn directory_mode_matches_the_file() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let corpus = corpus.canonicalize().expect("canonical");
    let src = corpus.join("tosykie_FeNi_OER/OER/O-covered/Ni(111)");
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    for (state, dir) in [("slab", "slab"), ("OH", "OH"), ("O", "O"), ("OOH", "OOH")] {
        let d = root.join("Ni111").join(dir);
        std::fs::create_dir_all(d.join("freq")).expect("mkdir");
        std::os::unix::fs::symlink(src.join(state).join("scf-backup/OUTCAR"), d.join("OUTCAR"))
            .expect("link");
        std::os::unix::fs::symlink(
            src.join(state).join("zpe-backup/OUTCAR"),
            d.join("freq/OUTCAR"),
        )
        .expect("link");
    }
    std::fs::write(
        root.join("network.toml"),
        "[references]\nH2 = { energy = -6.77, zpe = 0.27, ts = 0.41 }\nH2O = { energy = -14.22, zpe = 0.56, ts = 0.67 }\nO2 = { G = -9.92 }\n",
    )
    .expect("write");
    let l = chepath::load::load(root, Some("oer")).expect("load");
    let tree = chepath::checks::lint::checked_pathway(&l, None, None).expect("tree");
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/networks/ni111_oer_corpus.toml");
    let text = std::fs::read_to_string(&ex)
        .expect("example")
        .replace("../../../shared/vasp-corpus", &corpus.display().to_string());
    let f = chepath::network::parse(&text, "ni111").expect("parse");
    let data = chepath::load::Dataset::for_network(&f, Path::new("."));
    let file = chepath::pathway::run(&f, &data, None, None).expect("run");
    let a: Vec<f64> = tree.models[0].paths[0].steps.iter().map(|s| s.dg).collect();
    let b: Vec<f64> = file.models[0].paths[0].steps.iter().map(|s| s.dg).collect();
    assert_eq!(a.len(), 4);
    for (x, y) in a.iter().zip(&b) {
        assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
    }
    assert_eq!(tree.models[0].name, "Ni111");
}
