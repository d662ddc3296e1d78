//! End to end on the GENERATED samples (sample_outputs/vasp, from examples/make_samples.rs):
//! the paper's numbers come back out of the files, the ranking puts CuN4&Cu4 first, and the
//! committed report (sample_outputs/report) is what the current code produces: the text
//! files exactly, the figures by structure and content.

use std::path::Path;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp");

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 0.005)
}

#[test]
fn paper_targets_from_the_files() {
    let loaded = chepath::load::load(Path::new(ROOT), None).expect("load");
    let r = chepath::checks::lint::checked_pathway(&loaded, None, None).expect("pathway");
    assert!(r
        .notice
        .as_deref()
        .unwrap_or("")
        .starts_with("GENERATED SAMPLE DATA"));
    let m = |n: &str| r.models.iter().find(|m| m.name == n).expect("model");
    let step = |n: &str, from: &str, to: &str| {
        let mm = m(n);
        mm.paths
            .iter()
            .flat_map(|p| p.steps.iter())
            .find(|s| s.from == from && s.to == to)
            .map(|s| s.dg)
    };
    // CuN4: PDS *NH2OH → *NH2 with ΔG = 1.97 eV
    let c = m("CuN4");
    let p = c.pds.as_ref().expect("pds");
    assert_eq!((p.from.as_str(), p.to.as_str()), ("*NH2OH", "*NH2"));
    assert!(close(Some(p.dg), 1.97));
    // CuN4&Cu4: PDS 0.78 eV on *NHO → *NHOH; its *NH2OH → *NH2 is 0.03 eV
    let c4 = m("CuN4_Cu4");
    let p4 = c4.pds.as_ref().expect("pds");
    assert_eq!((p4.from.as_str(), p4.to.as_str()), ("*NHO", "*NHOH"));
    assert!(close(Some(p4.dg), 0.78));
    assert!(close(step("CuN4_Cu4", "*NH2OH", "*NH2"), 0.03));
    // nitrate adsorption: negative, more negative, +3.89 with the engine's warning
    let (a1, a2, a3) = (
        c.adsorption_dg.expect("a"),
        c4.adsorption_dg.expect("a"),
        m("CuN4_CuNP").adsorption_dg.expect("a"),
    );
    assert!(a1 < 0.0 && a2 < a1, "{a1} {a2}");
    assert!(close(Some(a3), 3.89));
    assert!(m("CuN4_CuNP")
        .warnings
        .iter()
        .any(|w| w.contains("above 2 eV")));
    // *NHO below *NOH on all three
    for name in ["CuN4", "CuN4_Cu4", "CuN4_CuNP"] {
        let s = &m(name).states;
        assert!(s["*NHO"] < s["*NOH"], "{name}: *NHO must lie below *NOH");
    }
    // d-band centre of the CuN4-site Cu: −2.56 for CuN4&Cu4, closest to E_F
    let d = chepath::dband::model_centres(&loaded.file, &loaded.dataset).expect("dband");
    assert!(close(d["CuN4_Cu4"].center, -2.56));
    let top = d
        .iter()
        .max_by(|a, b| {
            a.1.center
                .unwrap_or(f64::MIN)
                .total_cmp(&b.1.center.unwrap_or(f64::MIN))
        })
        .expect("max");
    assert_eq!(top.0, "CuN4_Cu4");
    assert!(
        d.values().all(|v| v.atoms.starts_with("Cu@N4 → ")),
        "the CuN4 site, selected by neighbourhood"
    );
    // ranking
    let rows = chepath::output::rows::rows(&r, &d, chepath::output::rows::By::LimitingPotential);
    assert_eq!(rows[0].model, "CuN4_Cu4");
}

/// Model, U_L, (PDS from, to), PDS ΔG, nitrate adsorption ΔG, d-band centre.
type Expected = (
    &'static str,
    f64,
    (&'static str, &'static str),
    f64,
    f64,
    f64,
);

/// What the report of the samples must say, model by model, best first: the paper's numbers
/// (Ji et al. 2023, che-conventions.md §6) and, where the paper gives none, the levels
/// examples/make_samples.rs writes (TARGETS): U_L (V vs RHE), the PDS and its ΔG (eV), the
/// nitrate adsorption ΔG (eV), the site Cu's d-band centre (eV).
const EXPECTED: [Expected; 3] = [
    ("CuN4_Cu4", -0.78, ("*NHO", "*NHOH"), 0.78, -1.35, -2.56),
    ("CuN4_CuNP", -1.12, ("*NO2", "*NO2H"), 1.12, 3.89, -2.87),
    ("CuN4", -1.97, ("*NH2OH", "*NH2"), 1.97, -0.52, -3.12),
];

/// U_eq of NO3-(aq)/NH3(g), V vs RHE at pH 0 (che-conventions.md §4, CRC ΔfG°).
const U_EQ: f64 = 0.799;

const NOTICE: &str = "GENERATED SAMPLE DATA: made by examples/make_samples.rs to reproduce the numbers of Ji et al., Nano-Micro Lett. 15:110 (2023); not from a real VASP run";

/// The texts of an SVG file, subscripts as `_X` ([`crate::common::svg::svg_texts`]); an
/// error for a file that is not well-formed SVG.
fn svg_texts(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    crate::common::svg::svg_texts(&text)
}

/// Whether `text` draws a symbol's subscript as `_X`: an underscore after a one-letter symbol
/// (a letter not preceded by a letter or digit, but for Δ) and before a letter or `{`.
fn ascii_subscript(text: &str) -> bool {
    let c: Vec<char> = text.chars().collect();
    (1..c.len().saturating_sub(1)).any(|k| {
        c[k] == '_'
            && c[k - 1].is_alphabetic()
            && (k == 1 || !c[k - 2].is_alphanumeric() || c[k - 2] == 'Δ')
            && (c[k + 1].is_ascii_alphabetic() || c[k + 1] == '{')
    })
}

/// A decoded PNG: (width, height, distinct colours, fraction of pixels that are not white).
fn png_stats(path: &Path) -> (u32, u32, usize, f64) {
    let decoder = png::Decoder::new(std::fs::File::open(path).expect("png"));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{}", path.display());
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        c => panic!("{}: colour type {c:?}", path.display()),
    };
    let mut seen = vec![0u64; 1 << 18]; // one bit per 24-bit colour
    let (mut distinct, mut inked) = (0, 0);
    let pixels = &buf[..info.buffer_size()];
    for px in pixels.chunks_exact(channels) {
        let c = (px[0] as usize) << 16 | (px[1] as usize) << 8 | px[2] as usize;
        if seen[c >> 6] & (1 << (c & 63)) == 0 {
            seen[c >> 6] |= 1 << (c & 63);
            distinct += 1;
        }
        if px[..3] != [255, 255, 255] {
            inked += 1;
        }
    }
    let n = pixels.len() / channels;
    (info.width, info.height, distinct, inked as f64 / n as f64)
}

#[test]
fn committed_report_is_what_the_code_produces() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("report");
    // the committed report was made from the repository's root with a relative ROOT
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_chepath"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "sample_outputs/vasp",
            "-o",
            &out.display().to_string(),
        ])
        .output()
        .expect("run");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_outputs/report");
    let regenerate = "re-run `cargo run --release -- report sample_outputs/vasp -o sample_outputs/report --force` and review the change";
    // The text outputs are exactly the committed ones (a stale committed report fails).
    for f in ["report.json", "report.csv", "report.md"] {
        let a = std::fs::read(out.join(f)).expect("new file");
        let b = std::fs::read(committed.join(f)).unwrap_or_default();
        assert!(
            a == b,
            "{f} differs from sample_outputs/report/{f}: {regenerate}"
        );
    }
    // Every file the report writes is checked here.
    let mut files = chepath::output::report::FILES.to_vec();
    files.sort_unstable();
    assert_eq!(
        files,
        [
            "dband_vs_UL.png",
            "dband_vs_UL.svg",
            "free_energy.png",
            "free_energy.svg",
            "pdos.png",
            "pdos.svg",
            "product_map.png",
            "product_map.svg",
            "report.csv",
            "report.json",
            "report.md",
            "screening.png",
            "screening.svg"
        ]
    );

    // The numbers, against the paper's.
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(j["notice"], NOTICE);
    let rows = j["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), EXPECTED.len());
    for (row, (model, ul, (from, to), pds_dg, ads, dband)) in rows.iter().zip(EXPECTED) {
        let num = |k: &str| row[k].as_f64();
        assert_eq!(row["model"], model, "ranked by U_L, highest first");
        assert!(close(num("limiting_potential"), ul), "{model}: U_L {row}");
        assert_eq!(row["pds"], format!("{from} → {to}"), "{model}: PDS");
        assert!(close(num("pds_dG"), pds_dg), "{model}: PDS ΔG {row}");
        assert!(
            close(num("adsorption_dG"), ads),
            "{model}: adsorption {row}"
        );
        assert!(close(num("overpotential"), U_EQ - ul), "{model}: η {row}");
        assert!(
            close(row["dband"]["center"].as_f64(), dband),
            "{model}: ε_d {row}"
        );
    }
    let csv = std::fs::read_to_string(out.join("report.csv")).expect("csv");
    assert!(csv.lines().any(|l| l.starts_with("1,\"CuN4_Cu4\",-0.7800")));

    // Figures: each SVG well-formed, naming every model and carrying the notice (wrapped
    // over lines in the smaller ones); the free-energy diagram labels each model's PDS and
    // U_L; the PDOS gives each d-band centre. Checked on the fresh and on the committed ones.
    for root in [&out, &committed] {
        for f in ["free_energy.svg", "dband_vs_UL.svg", "pdos.svg"] {
            let path = root.join(f);
            let texts = svg_texts(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let all = texts.join(" ");
            for (model, ..) in EXPECTED {
                assert!(
                    texts
                        .iter()
                        .any(|t| t.split_whitespace().next() == Some(model)),
                    "{}: no label for {model}: {texts:?}",
                    path.display()
                );
            }
            assert!(all.contains(NOTICE), "{}: no notice: {all}", path.display());
        }
        // the product map: a panel per model naming the product it reaches first
        let map = svg_texts(&root.join("product_map.svg")).expect("product map");
        let all = map.join(" ");
        for (model, ..) in EXPECTED {
            assert!(
                map.iter()
                    .any(|t| t.starts_with(&format!("{model}: first reached "))),
                "product_map.svg: no panel for {model}: {map:?}"
            );
        }
        assert!(all.contains(NOTICE), "product_map.svg: no notice: {all}");
        let fe = svg_texts(&root.join("free_energy.svg")).expect("svg");
        let pdos = svg_texts(&root.join("pdos.svg")).expect("svg");
        for (model, ul, (from, to), pds_dg, _, dband) in EXPECTED {
            let sub = |s: &str| s.replace('2', "₂").replace('3', "₃");
            assert!(
                fe.contains(&format!("PDS {pds_dg:+.2} eV")),
                "free_energy.svg: PDS {pds_dg}: {fe:?}"
            );
            for state in [from, to] {
                assert!(
                    fe.iter().any(|t| t.split(" / ").any(|l| l == sub(state))),
                    "free_energy.svg: no level {state}: {fe:?}"
                );
            }
            assert!(
                fe.contains(&format!("{model} at U_L = {ul:.2} V")),
                "free_energy.svg: {model} U_L: {fe:?}"
            );
            assert!(
                pdos.iter()
                    .any(|t| t.starts_with(&format!("{model} (Cu@N4)"))
                        && t.contains(&format!("ε_d = {dband:.2} eV"))),
                "pdos.svg: {model} ε_d: {pdos:?}"
            );
        }
        // one symbol for the d-band centre in every figure (pdos.svg once said ε_c)
        for f in [
            "free_energy.svg",
            "dband_vs_UL.svg",
            "pdos.svg",
            "product_map.svg",
        ] {
            let texts = svg_texts(&root.join(f)).expect("svg");
            assert!(
                !texts.iter().any(|t| t.contains("ε_c")),
                "{f}: ε_c: {texts:?}"
            );
            // real subscripts: no symbol is drawn with an ASCII underscore (U_L, E_F, ε_d,
            // ΔG_i, n_i once were), and each figure's symbols are there as subscripts
            let text = std::fs::read_to_string(root.join(f)).expect("svg");
            let raw = crate::common::svg::svg_raw_texts(&text).expect("svg");
            let drawn: Vec<&String> = raw.iter().filter(|t| ascii_subscript(t)).collect();
            assert!(drawn.is_empty(), "{f}: ASCII subscripts: {drawn:?}");
        }
        for (f, symbol) in [
            ("free_energy.svg", "U_L"),
            ("dband_vs_UL.svg", "ε_d"),
            ("dband_vs_UL.svg", "U_L"),
            ("pdos.svg", "E_F"),
            ("pdos.svg", "ε_d"),
            ("product_map.svg", "ΔG_i(U)/n_i"),
        ] {
            let texts = svg_texts(&root.join(f)).expect("svg");
            assert!(
                texts.iter().any(|t| t.contains(symbol)),
                "{f}: no subscripted {symbol}: {texts:?}"
            );
        }
        // Each PNG decodes at the committed size and is drawn on: many colours (lines,
        // anti-aliased text), a good share of non-white pixels.
        for f in ["free_energy.png", "dband_vs_UL.png", "pdos.png"] {
            let (w, h, colours, ink) = png_stats(&root.join(f));
            let (cw, ch, ..) = png_stats(&committed.join(f));
            assert_eq!(
                (w, h),
                (cw, ch),
                "{f}: {w}×{h}, committed {cw}×{ch}: {regenerate}"
            );
            assert!(w >= 800 && h >= 600, "{f}: {w}×{h}");
            assert!(colours >= 64, "{f}: {colours} colours: blank?");
            assert!(
                ink >= 0.02,
                "{f}: {:.1} % non-white pixels: blank?",
                100.0 * ink
            );
            eprintln!(
                "{}: {w}×{h}, {colours} colours, {:.1} % non-white",
                root.join(f).display(),
                100.0 * ink
            );
        }
    }
}

/// A model keeps its colour in every figure of a report: the free-energy diagram (by name),
/// the d-band scatter (ranked rows) and the PDOS overlay (issue 18: CuN4 was blue in one and
/// green in another).
#[test]
fn a_model_has_one_colour_in_every_figure() {
    use chepath::output::{figures, report::Bundle, rows::By};
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_outputs/vasp");
    let loaded = chepath::load::load(&root, None).expect("samples");
    let b = Bundle::analyze(loaded, None, None, By::LimitingPotential, &mut |_| {}).expect("run");
    let d = figures::free_energy_diagram(
        &b.pathway,
        None,
        figures::Which::Best,
        false,
        (1400, 620),
        17,
    )
    .expect("diagram");
    let scatter = figures::descriptor_plot(&b.pathway, &b.rows).expect("scatter");
    let pdos = figures::pdos_overlay(&b.loaded.file, &b.loaded.dataset).expect("pdos");
    // the rows are ranked (CuN4_Cu4 first), the diagram's paths by name: colours must follow
    // the model, not the position
    assert_ne!(
        b.rows[0].model, b.pathway.models[0].name,
        "the test needs a rank ≠ name order"
    );
    for m in &b.pathway.models {
        // a label is figure text: the name with its `_` kept literal
        let name = chepath::output::plot::literal(&m.name);
        let in_diagram = d.panels[0]
            .paths
            .iter()
            .find(|p| p.label == name)
            .expect("path")
            .colour;
        let in_scatter = scatter
            .points
            .iter()
            .find(|p| p.label == name)
            .expect("point")
            .colour;
        let in_pdos = pdos
            .series
            .iter()
            .find(|s| s.label.starts_with(&format!("{name} ")))
            .expect("series")
            .colour;
        assert_eq!(
            (in_diagram, in_scatter, in_pdos),
            (in_diagram, in_diagram, in_diagram),
            "{}",
            m.name
        );
    }
    let colours: std::collections::HashSet<usize> =
        d.panels[0].paths.iter().map(|p| p.colour).collect();
    assert_eq!(
        colours.len(),
        b.pathway.models.len(),
        "one colour per model"
    );
}
