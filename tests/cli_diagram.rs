//! `chepath diagram`: the SVG's structure (labels with real subscripts, one level per state,
//! the highlighted PDS) and a decoded PNG.

use crate::common::{chepath, Run};

const PT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/networks/pt111_orr.toml"
);
const NO3RR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/networks/no3rr_illustrative.toml"
);

/// The texts of an SVG written by chepath, subscripts as `_X`
/// ([`crate::common::svg::svg_texts`]).
fn texts(svg: &str) -> Vec<String> {
    crate::common::svg::svg_texts(svg).expect("well-formed SVG")
}

#[test]
fn svg_structure() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("fed.svg");
    chepath()
        .args([
            "diagram",
            PT,
            "-o",
            &out.display().to_string(),
            "--single-panel",
        ])
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).expect("svg");
    let t = texts(&svg);
    for want in ["O₂(g)", "*OOH", "*O", "*OH", "H₂O(l)", "PDS -0.78 eV"] {
        assert!(t.iter().any(|x| x == want), "missing label {want}: {t:?}");
    }
    assert!(t.iter().any(|x| x.starts_with("ORR at U = +0.00 V vs RHE")));
    assert!(
        t.iter().any(|x| x.contains("energies E(σ→0)")),
        "caption with the conventions"
    );
    // 5 levels + the PDS connector + the legend swatch are drawn 4 px thick
    assert_eq!(svg.matches("stroke-width=\"4\"").count(), 7);
    // the second panel: each model at its U_L
    let out2 = dir.path().join("fed2.svg");
    chepath()
        .args(["diagram", PT, "-o", &out2.display().to_string()])
        .assert()
        .success();
    let t2 = texts(&std::fs::read_to_string(&out2).expect("svg"));
    assert!(t2.iter().any(|x| x.contains("at U_L = +0.78 V")), "{t2:?}");
    // at U_L the PDS is level: its label says it sets U_L instead of "+0.00 eV" (issue 18)
    assert!(t2.iter().any(|x| x == "PDS (level: sets U_L)"), "{t2:?}");
    assert!(!t2.iter().any(|x| x == "PDS +0.00 eV"), "{t2:?}");
}

#[test]
fn no3rr_labels_have_subscripts_and_charges() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("fed.svg");
    chepath()
        .args([
            "diagram",
            NO3RR,
            "-o",
            &out.display().to_string(),
            "--single-panel",
        ])
        .assert()
        .success();
    let t = texts(&std::fs::read_to_string(&out).expect("svg"));
    for want in ["NO₃⁻", "*NH₂OH", "*NO₃H", "NH₃(g)"] {
        assert!(t.iter().any(|x| x == want), "missing {want}: {t:?}");
    }
}

#[test]
fn png_decodes_and_files_are_not_overwritten() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("fed.png");
    let o = out.display().to_string();
    chepath()
        .args(["diagram", PT, "-o", &o, "--width", "800", "--height", "400"])
        .assert()
        .success();
    let decoder = png::Decoder::new(std::fs::File::open(&out).expect("png"));
    let mut reader = decoder.read_info().expect("header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("frame");
    assert_eq!(info.width, 800);
    assert!(info.height >= 800, "two panels");
    let distinct: std::collections::HashSet<&[u8]> = buf.chunks(3).collect();
    assert!(distinct.len() > 8, "blank image");
    chepath().args(["diagram", PT, "-o", &o]).assert().code(3);
    chepath()
        .args(["diagram", PT, "-o", &o, "--models", "nope", "--force"])
        .assert()
        .code(4);
}

/// A figure into a directory that does not exist: refused with what to do, before drawing
/// (issue 18: SVGs gave plotters' raw "Drawing backend error").
#[test]
fn a_missing_directory_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().expect("tmp");
    for ext in ["svg", "png"] {
        let out = dir.path().join("no/such/dir").join(format!("d.{ext}"));
        chepath()
            .args(["diagram", PT, "-o", &out.display().to_string()])
            .assert()
            .code(3)
            .stderr_contains("does not exist (or is not a directory): create it");
        assert!(!out.exists());
    }
}

/// Refusals come before any work, with the documented codes: an output of another kind is
/// a usage error (2); a report directory that holds a report is refused at once (3, as
/// `diagram` for an existing file), printing nothing to stdout (issue 18).
#[test]
fn refusals_come_first_with_their_codes() {
    let dir = tempfile::tempdir().expect("tmp");
    let pdf = dir.path().join("d.pdf");
    chepath()
        .args(["diagram", PT, "-o", &pdf.display().to_string()])
        .assert()
        .code(2)
        .stderr_contains("must end in .svg or .png");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp");
    let out = dir.path().join("rep");
    std::fs::create_dir_all(&out).expect("mkdir");
    std::fs::write(out.join("report.md"), "mine").expect("write");
    let run = chepath()
        .args(["report", samples, "-o", &out.display().to_string()])
        .assert()
        .code(3)
        .stderr_contains("report.md already exist(s)");
    assert!(
        run.get_output().stdout.is_empty(),
        "nothing computed or printed"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("report.md")).expect("kept"),
        "mine"
    );
}

/// `--at` draws one panel per chosen potential (0 and the seed paper's −0.75 V, say), then the
/// U_L panel; each step at U is ΔG(0) + n·U: on Pt(111) ORR the PDS *O → *OH has
/// ΔG(0) = −0.78 eV (U_L = 0.78 V), so its label reads −0.78 at U = 0 and −0.78 + 0.5 = −0.28
/// at U = 0.5 V (issue 14).
#[test]
fn panels_at_chosen_potentials() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("at.svg");
    chepath()
        .args([
            "diagram",
            PT,
            "-o",
            &out.display().to_string(),
            "--at=0,0.5",
        ])
        .assert()
        .success();
    let t = texts(&std::fs::read_to_string(&out).expect("svg"));
    for title in [
        "at U = +0.00 V vs RHE",
        "at U = +0.50 V vs RHE",
        "limiting potential",
    ] {
        assert!(t.iter().any(|x| x.contains(title)), "{title}: {t:?}");
    }
    for label in ["PDS -0.78 eV", "PDS -0.28 eV", "PDS (level: sets U_L)"] {
        assert!(t.iter().any(|x| x == label), "{label}: {t:?}");
    }
    chepath()
        .args([
            "diagram",
            PT,
            "-o",
            &out.display().to_string(),
            "--at=nan",
            "--force",
        ])
        .assert()
        .code(2);
}

/// Where models take different states at one position, each state is written in the colour
/// of the model that takes it (issue 18: "*NH2O / *NHOH" did not say which model took which).
/// On the samples, CuN4_Cu4 (the second model by name: Okabe–Ito vermillion #D55E00) goes
/// through *NHOH while the other two go through *NH2O.
#[test]
fn a_state_only_one_model_takes_is_in_its_colour() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("fe.svg");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp");
    chepath()
        .args([
            "diagram",
            samples,
            "-o",
            &out.display().to_string(),
            "--single-panel",
        ])
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).expect("svg");
    let t = texts(&svg);
    assert!(
        !t.iter().any(|x| x.contains(" / ")),
        "no joined labels: {t:?}"
    );
    let at = svg.find("\n*NHOH\n").expect("the *NHOH label");
    let tag = &svg[svg[..at].rfind("<text").expect("its tag")..at];
    assert!(tag.contains("fill=\"#D55E00\""), "{tag}");
    assert!(
        t.iter()
            .any(|x| x.contains("named in the colour of the model taking it")),
        "{t:?}"
    );
}

/// The title of the panel where each model sits at its limiting potential says what is true
/// there (issue 18): the electron-consuming (ORR, NO3RR) or electron-releasing (OER) steps
/// are downhill or level, chemical steps stay as they are. It used to say "every step
/// downhill or level" while the samples' chemical nitrate adsorption stayed +3.89 eV uphill:
/// that wording, or the title losing either half, fails here.
#[test]
fn the_limiting_potential_panel_says_what_is_true() {
    let dir = tempfile::tempdir().expect("tmp");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp");
    let oer = dir.path().join("oer.toml");
    let pt = std::fs::read_to_string(PT).expect("pt111_orr.toml");
    assert!(pt.contains("template = \"orr\""));
    std::fs::write(&oer, pt.replace("template = \"orr\"", "template = \"oer\"")).expect("w");
    let oer = oer.display().to_string();
    // the samples' U_L panel keeps an uphill chemical step (each model's chemical
    // bottleneck, +0.46 to +3.89 eV): the case the old title hid
    let out = chepath()
        .args(["pathway", samples, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let models = v["models"].as_array().expect("models");
    assert!(!models.is_empty());
    for m in models {
        let dg = m["chemical_bottleneck"]["dG"].as_f64();
        assert!(
            dg.is_some_and(|g| g > 0.4),
            "an uphill chemical step: {}",
            m["name"]
        );
    }
    for (input, electrons) in [
        (samples, "electron-consuming"),
        (PT, "electron-consuming"),
        (oer.as_str(), "electron-releasing"),
    ] {
        let out = dir.path().join("ul.svg");
        chepath()
            .args([
                "diagram",
                input,
                "-o",
                &out.display().to_string(),
                "--force",
            ])
            .assert()
            .success();
        let t = texts(&std::fs::read_to_string(&out).expect("svg"));
        let title = t
            .iter()
            .find(|x| x.contains("at its limiting potential"))
            .unwrap_or_else(|| panic!("{input}: no U_L panel: {t:?}"));
        assert!(
            title.contains(&format!(
                "{electrons} steps downhill or level, chemical steps as they are"
            )),
            "{input}: {title}"
        );
        assert!(
            !t.iter()
                .any(|x| x.contains("every step downhill") || x.contains("every step is downhill")),
            "{input}: {t:?}"
        );
    }
}

/// The caption of an ORR or OER figure lists the conventions of the reaction drawn, none of
/// nitrate reduction (issue 18: the nitrate, nitrite and ammonium corrections were listed
/// under Pt(111) ORR). Checked on the diagram and every figure of the report, for ORR, for
/// OER (the same energies under the OER template) and, with the corpus, the Ni(111) OER
/// example; the samples (NO3RR) are the control: their captions do name nitrate, so the
/// check reads the captions.
#[test]
fn orr_and_oer_captions_carry_no_nitrate_conventions() {
    let dir = tempfile::tempdir().expect("tmp");
    let oer = dir.path().join("oer.toml");
    let pt = std::fs::read_to_string(PT).expect("pt111_orr.toml");
    std::fs::write(&oer, pt.replace("template = \"orr\"", "template = \"oer\"")).expect("w");
    let mut inputs = vec![
        (PT.to_string(), false),
        (oer.display().to_string(), false),
        (
            concat!(env!("CARGO_MANIFEST_DIR"), "/sample_outputs/vasp").to_string(),
            true,
        ),
    ];
    if crate::common::corpus().is_some() {
        inputs.push((
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/networks/ni111_oer_corpus.toml"
            )
            .to_string(),
            false,
        ));
    }
    for (k, (input, nitrate)) in inputs.iter().enumerate() {
        let d = dir.path().join(format!("d{k}.svg"));
        chepath()
            .args(["diagram", input, "-o", &d.display().to_string()])
            .assert()
            .success();
        let rep = dir.path().join(format!("rep{k}"));
        chepath()
            .args(["report", input, "-o", &rep.display().to_string()])
            .assert()
            .success();
        let mut svgs = vec![d];
        for e in std::fs::read_dir(&rep).expect("report dir") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "svg") {
                svgs.push(p);
            }
        }
        assert!(
            svgs.len() >= 3,
            "{input}: the diagram and the report's figures"
        );
        for svg in &svgs {
            let t = texts(&std::fs::read_to_string(svg).expect("svg"));
            let said: Vec<&String> = t
                .iter()
                .filter(|x| {
                    let x = x.to_lowercase();
                    x.contains("nitrate") || x.contains("nitrite") || x.contains("ammon")
                })
                .collect();
            if *nitrate {
                // the control: the samples' free-energy diagram names its nitrate conventions
                if svg == &svgs[0] {
                    assert!(!said.is_empty(), "{}: {t:?}", svg.display());
                }
            } else {
                assert!(said.is_empty(), "{input}: {}: {said:?}", svg.display());
            }
        }
    }
}

/// A model's name is drawn as written (issue 18, item 7): `A_b` reads like a symbol with a
/// subscript (as `U_L` is one), but a name is never markup, in the legend or the labels.
#[test]
fn a_model_name_is_drawn_as_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let net = dir.path().join("named.toml");
    let pt = std::fs::read_to_string(PT).expect("pt111_orr.toml");
    assert!(pt.contains("[models.\"Pt(111)\"]"));
    std::fs::write(&net, pt.replace("[models.\"Pt(111)\"]", "[models.\"A_b\"]")).expect("w");
    let out = dir.path().join("fe.svg");
    chepath()
        .args(["diagram", &net.display().to_string(), "-o"])
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(&out).expect("svg");
    let raw = crate::common::svg::svg_raw_texts(&svg).expect("well-formed SVG");
    assert!(raw.iter().any(|t| t.starts_with("A_b")), "{raw:?}");
    assert!(!raw.iter().any(|t| t.contains('\\')), "{raw:?}");
    // and the figure's own symbols keep their subscripts
    assert!(texts(&svg).iter().any(|t| t.contains("U_L")), "{raw:?}");
    assert!(!raw.iter().any(|t| t.contains("U_L")), "{raw:?}");
}
