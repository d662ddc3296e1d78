//! The CHE engine on tabulated networks: the Pt(111) ORR anchor, and properties that must
//! hold for any network (linearity in U, closure independent of the path, balancing, order
//! of the file).

use chepath::formula;
use chepath::load::Dataset;
use chepath::network;
use chepath::pathway::Report;
use proptest::prelude::*;
use std::path::Path;

fn run_text(text: &str, u: Option<f64>, ph: Option<f64>) -> Report {
    let f = network::parse(text, "test").expect("parse");
    chepath::pathway::run(&f, &Dataset::for_network(&f, Path::new(".")), u, ph).expect("run")
}

#[test]
fn pt111_orr_norskov_2004() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/networks/pt111_orr.toml"
    ))
    .expect("example");
    let r = run_text(&text, None, None);
    let m = &r.models[0];
    assert!((m.limiting_potential.expect("U_L") - 0.78).abs() < 1e-9);
    let pds = m.pds.as_ref().expect("pds");
    assert_eq!((pds.from.as_str(), pds.to.as_str()), ("*O", "*OH"));
    assert!((m.overpotential.expect("eta") - 0.45).abs() < 1e-9);
    assert_eq!(r.network.direction.as_str(), "reduction");
    let c = m.closure.as_ref().expect("closure");
    assert!((c.overall_dg + 4.92).abs() < 1e-9);
    // at U = U_L every step is downhill or level
    let r2 = run_text(&text, Some(0.78), None);
    let p = &r2.models[0].paths[0];
    assert!(
        p.steps.iter().all(|s| s.dg <= 1e-9),
        "{:?}",
        p.steps.iter().map(|s| s.dg).collect::<Vec<_>>()
    );
}

/// The gas references of the generated NO3RR networks: G(H2), G(H2O), G(HNO3), G(NH3), eV.
const H2: f64 = -6.9;
const H2O: f64 = -14.3;
const HNO3: f64 = -27.0;
const NH3: f64 = -18.6;

/// A full NO3RR network with made-up free energies (not any paper's), every branch present,
/// for two identical models A and B.
fn no3rr(values: &[f64; 15], shuffle: bool) -> String {
    let names = [
        "*", "*NO3", "*NO3H", "*NO2", "*NO2H", "*NO", "*NOH", "*NHO", "*N", "*NHOH", "*NH2O",
        "*NH", "*NH2OH", "*NH2", "*NH3",
    ];
    let mut lines: Vec<String> = names
        .iter()
        .zip(values)
        .map(|(n, v)| format!("\"{n}\" = {{ G = {v} }}"))
        .collect();
    if shuffle {
        lines.reverse();
    }
    format!(
        "[conventions]\nU = 0.0\n[references]\nH2 = {{ G = {H2:?} }}\nH2O = {{ G = {H2O:?} }}\nHNO3 = {{ G = {HNO3:?} }}\nNH3 = {{ G = {NH3:?} }}\n[network]\ntemplate = \"no3rr\"\n[models.A]\n{}\n[models.B]\n{}\n",
        lines.join("\n"),
        lines.join("\n")
    )
}

fn base_values() -> [f64; 15] {
    // G of *, then each intermediate ≈ G(*) + a plausible binding: illustrative only
    [
        -300.0, -327.5, -331.0, -318.0, -321.5, -310.0, -313.0, -314.0, -303.5, -317.0, -317.5,
        -307.5, -321.0, -311.0, -319.0,
    ]
}

#[test]
fn no3rr_network_has_every_branch_and_closes() {
    let r = run_text(&no3rr(&base_values(), false), None, None);
    let m = &r.models[0];
    // NOH/NHO × (N, NHOH) × … : every path from NO3- to NH3(g)
    assert!(m.paths.len() >= 6, "{} paths", m.paths.len());
    let c = m.closure.as_ref().expect("closure");
    assert!(c.max_path_deviation < 1e-9);
    // NO3- + 9 H+ + 8 e- -> NH3(g) + 3 H2O, the site on both sides.
    assert_eq!(
        c.equation,
        "* + NO3-(aq) + 9 H+ + 8 e- → * + NH3(g) + 3 H2O"
    );
    assert!(m.adsorption_dg.is_some());
    // the minimax path is at least as good as every other path
    let best = m.limiting_potential.expect("U_L");
    assert!(m
        .paths
        .iter()
        .all(|p| p.limiting_potential.is_none_or(|u| u <= best + 1e-12)));
    // the greedy path exists and is one of the paths
    assert!(m.greedy_path.is_some());
}

#[test]
fn shuffled_network_file_gives_the_same_answer() {
    let a = run_text(&no3rr(&base_values(), false), None, None);
    let b = run_text(&no3rr(&base_values(), true), None, None);
    let ja = serde_json::to_value(&a.models).expect("json");
    let jb = serde_json::to_value(&b.models).expect("json");
    assert_eq!(ja, jb);
}

#[test]
fn missing_intermediate_uses_the_flagged_lumped_step() {
    let text = no3rr(&base_values(), false).replacen("\"*NO3H\" = { G = -331 }", "", 1);
    let r = run_text(&text, None, None);
    let m = &r.models[0];
    assert!(
        m.warnings
            .iter()
            .any(|w| w.contains("lumped step *NO3 → *NO2")),
        "{:?}",
        m.warnings
    );
    let p = &m.paths[m.best_path.expect("best")];
    let l = p.steps.iter().find(|s| s.lumped).expect("lumped step");
    assert_eq!(l.n, 2);
}

#[test]
fn unbalanced_custom_step_is_refused_naming_the_element() {
    let text = "[references]\nH2 = { G = 0 }\nH2O = { G = 0 }\n[network]\ninitial = \"*\"\nfinal = \"*N2\"\n[[network.steps]]\nfrom = \"*\"\nto = \"*N2\"\n[models.A]\n\"*\" = { G = 0 }\n\"*N2\" = { G = 1 }\n";
    let f = network::parse(text, "t").expect("parse");
    let e = chepath::pathway::run(&f, &Dataset::for_network(&f, Path::new(".")), None, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("N does not balance"), "{e}");
    // the file and the line come first: the overall reaction (line 6, `final`), which is
    // this one step
    assert!(
        e.starts_with("t:6: the overall reaction (network.initial → network.final): * → *N2: "),
        "{e}"
    );
    // a step in the middle that does not balance: its `[[network.steps]]` line
    let text = "[references]\nH2 = { G = 0 }\nH2O = { G = 0 }\n[network]\ninitial = \"*\"\nfinal = \"*H\"\n[[network.steps]]\nfrom = \"*\"\nto = \"*N\"\n[[network.steps]]\nfrom = \"*N\"\nto = \"*H\"\n[models.A]\n\"*\" = { G = 0 }\n\"*N\" = { G = 1 }\n\"*H\" = { G = 1 }\n";
    let f = network::parse(text, "t").expect("parse");
    let e = chepath::pathway::run(&f, &Dataset::for_network(&f, Path::new(".")), None, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("t:7: model A: step * → *N: N does not balance"),
        "{e}"
    );
}

/// Issue 18 item 6: every error of a network file names the file and, where there is one,
/// the line; through the CLI too.
#[test]
fn network_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("net.toml");
    let text = "[references]\nH2 = { G = 0 }\nH2O = { G = 0 }\n[network]\ninitial = \"*\"\nfinal = \"*H\"\n[[network.steps]]\nfrom = \"*\"\nto = \"*H\"\n[models.A]\n\"*\" = { G = 0 }\n\"*H\" = { G = 0.1 }\n\"*Q\" = { G = 1 }\n";
    std::fs::write(&p, text).expect("write");
    let out = crate::common::chepath()
        .arg("pathway")
        .arg(&p)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains(&format!("{}:13: models.A.*Q: not a state", p.display())),
        "{err}"
    );
    // an error of the network as a whole (a product that is no state) names the file
    let f = network::parse(
        &format!("{text}[[network.products]]\nstate = \"*Z\"\n"),
        "p.toml",
    )
    .expect("parse");
    let e = chepath::pathway::run(&f, &Dataset::for_network(&f, Path::new(".")), None, None)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("p.toml: product"), "{e}");
    // a key of [conventions] the network does not declare, and a value a setting refuses
    for (line, says) in [
        (
            "bogus = 1",
            "conventions.bogus: not a convention of this network",
        ),
        (
            "nitrate_correction = \"maybe\"",
            "conventions.nitrate_correction = 'maybe'",
        ),
    ] {
        let text = format!("[network]\ntemplate = \"no3rr\"\n[conventions]\nU = 0\n{line}\n");
        std::fs::write(&p, text).expect("write");
        let out = crate::common::chepath()
            .arg("pathway")
            .arg(&p)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{err}");
        assert!(err.contains(&format!("{}:5: {says}", p.display())), "{err}");
    }
}

/// An entry's value that cannot be resolved names the file and the entry's line (they named
/// the key alone, `models.Pt(111).*OH: …`), for a model's state (also under another spelling
/// of its key, `OH`), a reference and a barrier's TS; and an overflowed G shows its terms in
/// exponent form (`1e308`, not 309 digits).
#[test]
fn a_value_that_cannot_be_resolved_names_the_file_and_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("net.toml");
    let base = "[references]\nH2 = { G = 0 }\nH2O = { G = 0 }\nO2 = { G = 4.92 }\n[network]\ntemplate = \"orr\"\n[models.\"Pt(111)\"]\n\"*\" = { G = 0 }\n\"*O\" = { G = 1.58 }\n\"*OOH\" = { G = 4.0 }\n";
    let overflow = "G = inf from energy 1e308 eV (tabulated energy) and correction 1.5e308 eV";
    for (add, line, says) in [
        ("OH = { energy = 1e308, zpe = 1.5e308 }", 11, overflow),
        (
            "\"*OH\" = { G = 0.8, energy = -1 }",
            11,
            "models.Pt(111).*OH: give either G or an energy",
        ),
        (
            "\"*OH\" = { }",
            11,
            "models.Pt(111).*OH: needs G, energy or calc",
        ),
        (
            "\"*OH\" = { G = 0.8 }\n[barriers.\"Pt(111)\"]\n\"*O -> *OH\" = { ts = { zpe = 0.1 } }",
            13,
            "barriers.Pt(111).\"*O -> *OH\".ts: needs G, energy or calc",
        ),
    ] {
        std::fs::write(&p, format!("{base}{add}\n")).expect("write");
        let out = crate::common::chepath()
            .arg("pathway")
            .arg(&p)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{add}: {err}");
        assert!(
            err.contains(&format!("{}:{line}: ", p.display())),
            "{add}: {err}"
        );
        assert!(err.contains(says), "{add}: {err}");
        assert!(!err.contains("00000000"), "{add}: {err}");
    }
    // a reference
    let bad = base.replace("O2 = { G = 4.92 }", "O2 = { calc = \"nowhere\", G = 1 }");
    std::fs::write(&p, format!("{bad}\"*OH\" = {{ G = 0.8 }}\n")).expect("write");
    let out = crate::common::chepath()
        .arg("pathway")
        .arg(&p)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains(&format!(
            "{}:4: references.O2: give either G or an energy",
            p.display()
        )),
        "{err}"
    );
}

/// The network fuzzer's crashes (2026-12-01, kept in tests/fixtures/fuzz/network/): an initial
/// state whose brackets are out of order, or whose charge ends in a character of two bytes,
/// panicked slicing the name (exit 101). Now an error
/// naming the file, the line and the key, through the CLI; and text after a phase is refused,
/// not dropped.
#[test]
fn a_species_with_misplaced_brackets_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().expect("tmp");
    for (initial, says) in [
        ("N)g(H3CUuN5WW", "'(' without ')' after it"),
        ("NO3-(aq)x", "text after the phase '(aq)'"),
        // the second crash: a charge ending in a two-byte character, sliced inside it
        ("gt^*NHʹ", "charge '^*NHʹ' is not like ^2-"),
    ] {
        let p = dir.path().join("net.toml");
        let text = format!("\n\n [network]\ntemplate = \"no2rr\"#i\ninitial =\"{initial}\"\n");
        std::fs::write(&p, text).expect("write");
        let out = crate::common::chepath()
            .arg("pathway")
            .arg(&p)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{initial}: {err}");
        let want = format!("{}:5: network.initial = \"{initial}\"", p.display());
        assert!(
            err.contains(&want) && err.contains(says),
            "{initial}: {err}"
        );
    }
}

proptest! {
    /// ΔG(U) = ΔG(0) + n·U for every electrochemical step, on both scales.
    #[test]
    fn dg_is_linear_in_u(u in -2.0f64..2.0, ph in 0.0f64..14.0) {
        let text = no3rr(&base_values(), false);
        let r0 = run_text(&text, Some(0.0), Some(ph));
        let r = run_text(&text, Some(u), Some(ph));
        for (p0, p) in r0.models[0].paths.iter().zip(&r.models[0].paths) {
            for (s0, s) in p0.steps.iter().zip(&p.steps) {
                let slope = if s.kind == chepath::pathway::che::StepKind::Adsorption { 0.0 } else { s.n as f64 };
                prop_assert!((s.dg - (s0.dg + slope * u)).abs() < 1e-9);
            }
        }
    }

    /// Every complete path's steps sum to the overall ΔG of NO3- + 9 H+ + 8 e- → NH3(g) +
    /// 3 H2O worked out here by hand from the references, whatever the intermediates'
    /// energies, the pH and the temperature.
    #[test]
    fn closure_is_path_independent(
        d in proptest::collection::vec(-3.0f64..3.0, 15),
        ph in 0.0f64..14.0,
        t in 273.15f64..373.15,
    ) {
        let mut v = base_values();
        for (x, dx) in v.iter_mut().zip(&d) {
            *x += dx;
        }
        let text = no3rr(&v, false).replacen("U = 0.0\n", &format!("U = 0.0\ntemperature = {t:?}\n"), 1);
        let r = run_text(&text, None, Some(ph));
        let m = &r.models[0];
        // By hand, at U_RHE = 0 (CHE, Nørskov 2004; che-conventions.md §4):
        // kT ln10; μ(H+) = ½G(H2) − kT ln10·pH; U_SHE = U_RHE − kT ln10·pH, μ(e-) = −U_SHE;
        // G(NO3-) = G(HNO3) − 0.392 − ½G(H2): NO3-(aq) at 1 M through HNO3(g) at the
        // standard state (CRC ΔfG°), independent of the pH (che-conventions.md §3–4).
        let kt_ln10 = 8.617333262e-5 * t * std::f64::consts::LN_10;
        let mu_h = 0.5 * H2 - kt_ln10 * ph;
        let mu_e = -(0.0 - kt_ln10 * ph);
        let g_nitrate = HNO3 - 0.392 - 0.5 * H2;
        let g_site = v[0];
        let overall = (g_site + NH3 + 3.0 * H2O) - (g_site + g_nitrate + 9.0 * mu_h + 8.0 * mu_e);
        prop_assert!(m.paths.len() >= 6, "{} paths", m.paths.len());
        for p in &m.paths {
            let sum: f64 = p.steps.iter().map(|s| s.dg0).sum();
            prop_assert!((sum - overall).abs() < 1e-9, "{:?}: steps sum to {sum}, overall {overall}", p.states);
        }
        let c = m.closure.as_ref().expect("closure");
        prop_assert!((c.overall_dg - overall).abs() < 1e-9, "{} vs {overall}", c.overall_dg);
        prop_assert!(c.max_path_deviation < 1e-9);
    }

    /// Balancing conserves every element and charge for any adsorbate pair of N, O, H.
    #[test]
    fn balancing_conserves(n in 0i32..3, o1 in 0i32..4, h1 in 0i32..4, o2 in 0i32..4, h2 in 0i32..4) {
        let f = |o: i32, h: i32| {
            let mut s = String::from("*");
            if n > 0 { s += &format!("N{n}"); }
            if o > 0 { s += &format!("O{o}"); }
            if h > 0 { s += &format!("H{h}"); }
            s
        };
        let a = formula::parse(&f(o1, h1)).expect("a");
        let b = formula::parse(&f(o2, h2)).expect("b");
        let bal = formula::balance(std::slice::from_ref(&a), std::slice::from_ref(&b)).expect("balances");
        // O: o1 = o2 + water; H: h1 + protons = h2 + 2 water; charge: protons - electrons = 0
        prop_assert_eq!(o1, o2 + bal.water);
        prop_assert_eq!(h1 + bal.protons, h2 + 2 * bal.water);
        prop_assert_eq!(bal.protons, bal.electrons);
    }
}

/// A step of 8 eV for one (H+ + e-), a ΔG(H*) of −14 eV and a U_L of −8 V (as a clean site
/// computed with other settings gives) are warned about, naming the causes; the ranges are
/// settings.
#[test]
fn implausible_values_are_warned_about() {
    let net = |limits: &str| {
        format!(
            "{limits}[references]\nH2 = {{ G = 0.0 }}\nH2O = {{ G = 0.0 }}\nO2 = {{ G = 4.92 }}\n[network]\ntemplate = \"orr\"\n[models.A]\n\"*\" = {{ G = 0.0 }}\n\"*OOH\" = {{ G = 4.0 }}\n\"*O\" = {{ G = 1.5 }}\n\"*OH\" = {{ G = 9.5 }}\n\"*H\" = {{ G = -14.0 }}\n"
        )
    };
    let r = run_text(&net(""), None, None);
    let w = &r.models[0].warnings;
    let implausible: Vec<&String> = w.iter().filter(|x| x.starts_with("implausible")).collect();
    // *O → *OH: 9.5 − 1.5 = +8.0 eV; *OH → H2O(l): 0 + 0 − 9.5 = −9.5 eV; ΔG(H*) = −14;
    // U_L = −8
    assert_eq!(implausible.len(), 4, "{w:#?}");
    assert!(implausible[0].contains("+8.00 eV for 1 (H+ + e-) on *O → *OH"));
    assert!(implausible[1].contains("-9.50 eV for 1 (H+ + e-) on *OH → H2O(l)"));
    assert!(implausible.iter().any(|x| x.contains("ΔG(H*) = -14.00")));
    assert!(implausible.iter().any(|x| x.contains("U_L = -8.00 V")));
    assert!(implausible[0].contains("GGA+U"), "names the likely causes");
    let r = run_text(
        &net("[plausibility]\nstep = 10.0\nhydrogen = 20.0\nlimiting_potential_min = -10.0\n"),
        None,
        None,
    );
    assert!(!r.models[0]
        .warnings
        .iter()
        .any(|x| x.starts_with("implausible")));
}

/// Nitrate at pH 0, 7 and 14 on both scales, against numbers worked out here by hand
/// (che-conventions.md §3–4): NO3-(aq) at 1 M does not depend on the pH, so on the RHE scale
/// at U = 0 the adsorption * + NO3- → *NO3 + e- and the overall NO3- + 9 H+ + 8 e- → NH3(g) +
/// 3 H2O rise by kT ln10 per pH unit, U_eq falls by kT ln10/8, and the (H+ + e-) steps do not
/// move; on the SHE scale at U_SHE = 0 every (H+ + e-) step rises by kT ln10·pH.
#[test]
fn nitrate_at_any_ph_by_hand() {
    let c = 8.617333262e-5 * 298.15 * std::f64::consts::LN_10;
    let v = base_values();
    let (g_site, g_no3, g_no3h) = (v[0], v[1], v[2]);
    let g_nitrate = HNO3 - 0.392 - 0.5 * H2;
    for scale in ["RHE", "SHE"] {
        for ph in [0.0, 7.0, 14.0] {
            let text = no3rr(&v, false).replacen(
                "U = 0.0\n",
                &format!("U = 0.0\nscale = \"{scale}\"\n"),
                1,
            );
            let r = run_text(&text, None, Some(ph));
            let m = &r.models[0];
            // U = 0 on the chosen scale: U_SHE = 0 (SHE) or −c·pH (RHE)
            let u_she = if scale == "SHE" { 0.0 } else { -c * ph };
            let mu_h = 0.5 * H2 - c * ph;
            // adsorption, chemical by default: evaluated at U_RHE = 0 on both scales, where
            // the electron it releases (n = −1) is worth U_SHE = −c·pH: + c·pH
            let ads = g_no3 - g_site - g_nitrate + c * ph;
            assert!(
                (m.adsorption_dg.unwrap() - ads).abs() < 1e-9,
                "{scale} pH {ph}"
            );
            // *NO3 + (H+ + e-) → *NO3H at U = 0 of the scale
            let step = g_no3h - g_no3 - mu_h + u_she;
            let s = m.paths[0]
                .steps
                .iter()
                .find(|s| s.from == "*NO3" && s.to == "*NO3H")
                .expect("step");
            assert!(
                (s.dg - step).abs() < 1e-9,
                "{scale} pH {ph}: {} vs {step}",
                s.dg
            );
            // the overall reaction at U_RHE = 0, and U_eq on the scale
            let overall = NH3 + 3.0 * H2O - g_nitrate - 9.0 * mu_h + 8.0 * (-c * ph);
            let cl = m.closure.as_ref().expect("closure");
            assert!((cl.overall_dg - overall).abs() < 1e-9);
            assert!((cl.experimental_dg.unwrap() - (-6.39 + c * ph)).abs() < 1e-9);
            let u_eq_rhe = 0.799 - c * ph / 8.0;
            let want = if scale == "SHE" {
                u_eq_rhe - c * ph
            } else {
                u_eq_rhe
            };
            assert!(
                (r.network.u_eq.unwrap() - want).abs() < 1e-9,
                "{scale} pH {ph}"
            );
        }
    }
    // the done-when figures: +0.414 eV at pH 7 and U_eq 0.747 V vs RHE
    let r0 = run_text(&no3rr(&v, false), None, Some(0.0));
    let r7 = run_text(&no3rr(&v, false), None, Some(7.0));
    let d = r7.models[0].adsorption_dg.unwrap() - r0.models[0].adsorption_dg.unwrap();
    assert!((d - 0.414).abs() < 0.001, "{d}");
    assert!((r7.network.u_eq.unwrap() - 0.747).abs() < 0.0005);
    let (u0, u7) = (
        r0.models[0].limiting_potential.unwrap(),
        r7.models[0].limiting_potential.unwrap(),
    );
    assert!(
        (u0 - u7).abs() < 1e-9,
        "U_L of the (H+ + e-) steps moved: {u0} → {u7}"
    );
}

/// A ladder of `levels` two-way choices, `*C` → `*CH{levels+1}`: level i is `*CH{i}` or its
/// isomer `*H{i}C`, each reached from both states of level i−1 by a (H⁺ + e⁻) step, so the
/// network has 2^levels paths. Energies are pseudo-random; H2 = 0, so ΔG(0) = G(to) − G(from).
fn ladder(levels: usize) -> (String, Vec<[f64; 2]>) {
    let mut seed = 12345u64;
    let mut rnd = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        -((seed >> 33) as f64 / (1u64 << 31) as f64) * 0.9
    };
    let name = |i: usize, k: usize| {
        if k == 0 {
            format!("*CH{i}")
        } else {
            format!("*H{i}C")
        }
    };
    let mut g = vec![[0.0, 0.0]];
    let mut text = format!(
        "[references]\nH2 = {{ G = 0 }}\n[network]\ninitial = \"*C\"\nfinal = \"*CH{}\"\n",
        levels + 1
    );
    let mut model = "[models.A]\n\"*C\" = { G = 0 }\n".to_string();
    for i in 1..=levels {
        let (a, b) = (g[i - 1][0] + rnd(), g[i - 1][1] + rnd());
        g.push([a, b]);
        for (k, gk) in [a, b].into_iter().enumerate() {
            model += &format!("\"{}\" = {{ G = {gk:?} }}\n", name(i, k));
            for j in 0..2 {
                let from = if i == 1 { "*C".into() } else { name(i - 1, j) };
                text += &format!(
                    "[[network.steps]]\nfrom = \"{from}\"\nto = \"{}\"\n",
                    name(i, k)
                );
                if i == 1 {
                    break;
                }
            }
        }
    }
    let last = g[levels][0] - 0.3;
    g.push([last, last]);
    model += &format!("\"*CH{}\" = {{ G = {last:?} }}\n", levels + 1);
    for k in 0..2 {
        text += &format!(
            "[[network.steps]]\nfrom = \"{}\"\nto = \"*CH{}\"\n",
            name(levels, k),
            levels + 1
        );
    }
    (text + &model, g)
}

/// The best U_L of the ladder by dynamic programming over levels: U_L of a path is the
/// lowest −ΔG(0) of its steps, and the best path has the highest.
fn ladder_best(g: &[[f64; 2]]) -> f64 {
    let mut best = [f64::INFINITY, f64::INFINITY];
    for i in 1..g.len() {
        let mut next = [f64::NEG_INFINITY; 2];
        for (k, nk) in next.iter_mut().enumerate() {
            for (j, bj) in best.iter().enumerate() {
                if i == 1 && j == 1 {
                    continue;
                }
                *nk = nk.max(bj.min(-(g[i][k] - g[i - 1][j])));
            }
        }
        best = next;
    }
    best[0]
}

#[test]
fn a_network_of_too_many_paths_is_searched_not_listed() {
    for levels in [6, 12, 40] {
        let (text, g) = ladder(levels);
        let r = run_text(&text, Some(0.0), Some(0.0));
        let m = &r.models[0];
        let want = ladder_best(&g);
        let got = m.limiting_potential.expect("a limiting potential");
        assert!(
            (got - want).abs() < 1e-9,
            "{levels} levels: {got} vs {want}"
        );
        let many = levels > 9;
        assert_eq!(
            m.warnings
                .iter()
                .any(|w| w.contains("more than 1000 paths")),
            many,
            "{:?}",
            m.warnings
        );
        if many {
            assert!(m.paths.len() <= 1002, "{}", m.paths.len());
        } else {
            assert_eq!(m.paths.len(), 1 << levels);
        }
        let greedy = &m.paths[m.greedy_path.expect("greedy path")];
        assert_eq!(greedy.states.len(), levels + 2);
    }
}

/// A chain of `n` states `*CH1 → … → *CHn`, each step −0.1 eV except one of +0.42 eV at
/// `*CH{n/2}`: U_L = −0.42 V by hand (the one uphill proton-electron step).
fn chain(n: usize) -> String {
    let mut text = format!(
        "[references]\nH2 = {{ G = 0 }}\n[network]\ninitial = \"*CH1\"\nfinal = \"*CH{n}\"\n"
    );
    let mut model = String::from("[models.A]\n");
    let mut g = 0.0;
    for i in 1..=n {
        if i > 1 {
            g += if i == n / 2 + 1 { 0.42 } else { -0.1 };
            text += &format!(
                "[[network.steps]]\nfrom = \"*CH{}\"\nto = \"*CH{i}\"\n",
                i - 1
            );
        }
        model += &format!("\"*CH{i}\" = {{ G = {g:?} }}\n");
    }
    text + &model
}

/// Issue 18: a 10⁵-state chain took 54 s (every reachable state scanned every step). A chain
/// at the size bound is solved (one path, the planted step limiting), one above is refused
/// before its TOML is parsed.
#[test]
fn a_long_chain_is_solved_and_one_too_long_refused() {
    let n = chepath::network::MAX_NETWORK_ENTRIES;
    let r = run_text(&chain(n), Some(0.0), Some(0.0));
    let m = &r.models[0];
    let ul = m.limiting_potential.expect("U_L");
    assert!((ul + 0.42).abs() < 1e-6, "{ul}");
    let half = n / 2;
    assert_eq!(
        m.pds.as_ref().map(|p| (p.from.as_str(), p.to.as_str())),
        Some((
            format!("*CH{half}").as_str(),
            format!("*CH{}", half + 1).as_str()
        ))
    );
    assert_eq!(m.paths.len(), 1);
    assert_eq!(m.paths[0].states.len(), n);
    let e = network::parse(&chain(n + 2), "chain.toml").expect_err("too large");
    assert!(
        e.starts_with("chain.toml: expected a network of at most 10000"),
        "{e}"
    );
}
