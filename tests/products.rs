//! Every product of the nitrate template, on a network of fixed free energies chosen so that
//! each product's U_L, PDS and chemical bottleneck can be worked out by hand (G(H2) = G(H2O)
//! = 0, so a (H+ + e-) step's ΔG(0) is the difference of its states; U ≤ −ΔG(0)/n).

use crate::common::{chepath, Run};

const NETWORK: &str = r#"
notice = "made-up free energies for a test"
[conventions]
U = 0.0
scale = "RHE"
pH = 0
[references]
H2 = { G = 0.0 }
H2O = { G = 0.0 }
HNO3 = { G = 0.392 }     # G(NO3-) = 0.392 - 0 - 0.392 = 0
HNO2 = { G = -1.9216 }   # G(NO2-) = -1.9216 + 0.1216 = -1.8
NH3 = { G = -3.2 }       # G(NH3(aq)) = -3.3042, G(NH4+) = -3.8515
NO = { G = -1.7 }
NH2OH = { G = -2.7 }
[network]
template = "no3rr"
[models.m]
"*" = { G = 0.0 }
"*NO3" = { G = -1.0 }
"*NO3H" = { G = -1.2 }
"*NO2" = { G = -1.5 }
"*HNO2" = { G = -1.3 }
"*NO2H" = { G = -1.6 }
"*NO" = { G = -2.0 }
"*NOH" = { G = -1.4 }
"*NHO" = { G = -2.3 }
"*NHOH" = { G = -2.5 }
"*NH2O" = { G = -2.1 }
"*NH2OH" = { G = -2.9 }
"*NH2" = { G = -2.4 }
"*NH3" = { G = -3.0 }
"#;

/// `chepath pathway FILE --json`, which must succeed, as JSON.
fn pathway_json(p: &std::path::Path) -> serde_json::Value {
    let out = chepath()
        .arg("pathway")
        .arg(p)
        .arg("--json")
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("json")
}

fn product<'a>(m: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    m["products"]
        .as_array()
        .expect("products")
        .iter()
        .find(|p| p["product"] == name)
        .unwrap_or_else(|| panic!("no product {name}"))
}

fn close(v: &serde_json::Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9)
}

#[test]
fn each_product_by_hand_and_which_comes_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("net.toml");
    std::fs::write(&p, NETWORK).expect("write");
    let j = pathway_json(&p);
    let m = &j["models"][0];
    // NH3(g): every path passes *NH2OH -> *NH2 (+0.5): U_L = -0.5 V; it is the main result
    let nh3 = product(m, "NH3(g)");
    assert!(close(&nh3["limiting_potential"], -0.5), "{nh3}");
    assert!(close(&m["limiting_potential"], -0.5));
    assert_eq!(nh3["pds"]["from"], "*NH2OH");
    // NO2-: NO3- -> *NO3 -> *NO3H (-0.2) -> *NO2 (-0.3) -> NO2- (*NO2 + e- -> * + NO2-:
    // -1.8 + 1.5 = -0.3): U_L = min(0.2, 0.3, 0.3) = +0.2, PDS *NO3 -> *NO3H; the *HNO2 way
    // has *NO2 -> *HNO2 (+0.2): -0.2, worse
    let no2 = product(m, "NO2-");
    assert!(close(&no2["limiting_potential"], 0.2), "{no2}");
    assert_eq!(no2["pds"]["from"], "*NO3");
    assert_eq!(no2["path"].as_array().map(|a| a.len()), Some(5));
    // NO(g): through *NO2H (-0.1, -0.4): U_L = +0.1, PDS *NO2 -> *NO2H; desorption
    // *NO -> NO(g) = -1.7 + 2.0 = +0.3, uphill, not in U_L
    let no = product(m, "NO(g)");
    assert!(close(&no["limiting_potential"], 0.1), "{no}");
    assert_eq!(no["pds"]["to"], "*NO2H");
    assert!(close(&no["chemical_bottleneck"]["dG"], 0.3), "{no}");
    // NH2OH: *NO -> *NHO (-0.3) -> *NHOH (-0.2) -> *NH2OH (-0.4): U_L = +0.1 (the *NO2H
    // step); desorption -2.7 + 2.9 = +0.2
    let nh2oh = product(m, "NH2OH");
    assert!(close(&nh2oh["limiting_potential"], 0.1), "{nh2oh}");
    assert!(close(&nh2oh["chemical_bottleneck"]["dG"], 0.2));
    // ammonia in solution: the same U_L; the last step is chemical (no electron) and the
    // largest chemical one: *NH3 -> NH4+ = -3.8515 + 3.0 (a proton taken up, pH 0),
    // *NH3 -> NH3(aq) = -3.3042 + 3.0 (both above the adsorption's -1.0)
    for (name, dg) in [("NH4+", -0.8515), ("NH3(aq)", -0.3042)] {
        let p = product(m, name);
        assert!(close(&p["limiting_potential"], -0.5), "{p}");
        assert!(close(&p["chemical_bottleneck"]["dG"], dg), "{p}");
        assert_eq!(p["chemical_bottleneck"]["from"], "*NH3");
    }
    // U_eq at pH 0 from the template's tabulated values
    assert!(close(&no2["u_eq"], 0.819) && close(&no["u_eq"], 0.955));
    assert!(nh2oh["u_eq"].is_null());
    // NO2- (+0.2) first, then ammonia (-0.5, released downhill: *NH3 -> NH3(g) = -0.2);
    // NH2OH and NO(g) (+0.1) are released by uphill desorptions (+0.2, +0.3), which no
    // potential drives: after the others, tied by name. NH3(g), NH3(aq), NH4+ count once.
    let s = &m["selectivity"];
    assert_eq!(s["first"], "NO2-");
    assert_eq!(s["second"], "NH3/NH4+");
    assert!(close(&s["margin"], 0.7), "{s}");
    assert_eq!(s["blocked"], serde_json::json!(["NH2OH", "NO(g)"]));
    assert_eq!(no["release"]["from"], "*NO");
    assert!(close(&no["release"]["dG"], 0.3) && no["release"]["electrochemical"] == false);
    assert_eq!(no2["release"]["electrochemical"], true);
    let order: Vec<&str> = s["order"]
        .as_array()
        .expect("order")
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert_eq!(order, vec!["NO2-", "NH3/NH4+", "NH2OH", "NO(g)"]);
    let uphill = s["uphill_chemical"].to_string();
    assert!(
        uphill.contains("NO(g)") && uphill.contains("NH2OH"),
        "{uphill}"
    );
}

#[test]
fn a_product_without_its_reference_or_states_says_what_is_missing() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("net.toml");
    let text = NETWORK
        .replace("NO = { G = -1.7 }\n", "")
        .replace("\"*NHO\" = { G = -2.3 }\n", "")
        .replace("\"*NOH\" = { G = -1.4 }\n", "");
    std::fs::write(&p, text).expect("write");
    let j = pathway_json(&p);
    let m = &j["models"][0];
    let no = product(m, "NO(g)");
    assert_eq!(no["computable"], false);
    assert!(
        no["note"]
            .as_str()
            .is_some_and(|n| n.contains("needs the reference NO")),
        "{no}"
    );
    // without *NHO and *NOH nothing leads from *NO on: NH2OH and ammonia are not reachable
    let nh2oh = product(m, "NH2OH");
    assert_eq!(nh2oh["computable"], false, "{nh2oh}");
    let missing = nh2oh["missing"].to_string();
    assert!(
        missing.contains("*NHO") && missing.contains("*NOH"),
        "{missing}"
    );
    assert!(
        !missing.contains("*NH3"),
        "*NH3 is not on the way to NH2OH: {missing}"
    );
    chepath()
        .arg("pathway")
        .arg(&p)
        .assert()
        .success()
        .stdout_contains("products")
        .stdout_contains("selectivity: NO2- is the only computable product");
}

#[test]
fn the_product_map_draws_each_group_and_marks_its_limiting_potential() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("net.toml");
    std::fs::write(&p, NETWORK).expect("write");
    let svg = dir.path().join("map.svg");
    chepath()
        .args(["diagram"])
        .arg(&p)
        .arg("--products")
        .arg("-o")
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).expect("svg");
    let texts = crate::common::svg::svg_texts(&text).expect("well-formed SVG");
    let has = |t: &str| texts.iter().any(|x| x.contains(t));
    // species written as on the free-energy diagram's levels: NO₂⁻, not NO2-
    assert!(
        has("m: first reached NO₂⁻"),
        "the panel names the first product: {texts:?}"
    );
    // U_L marks worked out above: NO2- +0.20, NO(g) and NH2OH +0.10, ammonia -0.50
    for mark in ["+0.20", "+0.10", "-0.50"] {
        assert!(has(mark), "mark {mark}");
    }
    assert!(has("NO(g): released uphill, +0.30 eV"), "{texts:?}");
    assert!(
        has("NH₃/NH₄⁺ (as NH₃(g))") || has("NH₃/NH₄⁺ (as NH₃(aq))") || has("NH₃/NH₄⁺ (as NH₄⁺)"),
        "{texts:?}"
    );
    assert!(
        text.contains("made-up free energies for a test"),
        "the notice"
    );
    // a second run does not overwrite without --force
    chepath()
        .args(["diagram"])
        .arg(&p)
        .arg("--products")
        .arg("-o")
        .arg(&svg)
        .assert()
        .code(3);
}

#[test]
fn nitrite_and_no_reduction_templates_by_hand() {
    let dir = tempfile::tempdir().expect("tmp");
    for (template, adsorption, products) in [
        // NO2- -> *NO2: * + NO2- -> *NO2 + e- = -1.5 - (-1.8) = +0.3 (chemical at U = 0);
        // NO(g) through *NO2H: min(0.1, 0.4) = +0.1
        (
            "no2rr",
            0.3,
            vec![("NH3(g)", -0.5), ("NO(g)", 0.1), ("NH4+", -0.5)],
        ),
        // NO(g) -> *NO = -2.0 + 1.7 = -0.3; NH2OH: *NO -> *NHO (-0.3) -> *NHOH (-0.2) ->
        // *NH2OH (-0.4): U_L = +0.2
        ("norr", -0.3, vec![("NH3(g)", -0.5), ("NH2OH", 0.2)]),
    ] {
        let p = dir.path().join(format!("{template}.toml"));
        // the model keeps only the states of this network (others are refused by name)
        let drop: &[&str] = if template == "no2rr" {
            &["*NO3", "*NO3H"]
        } else {
            &["*NO3", "*NO3H", "*NO2", "*HNO2", "*NO2H"]
        };
        let text = NETWORK
            .lines()
            .filter(|l| !drop.iter().any(|d| l.starts_with(&format!("\"{d}\" "))))
            .collect::<Vec<_>>()
            .join("\n")
            .replace(
                "template = \"no3rr\"",
                &format!("template = \"{template}\""),
            );
        std::fs::write(&p, text).expect("write");
        let j = pathway_json(&p);
        let m = &j["models"][0];
        assert!(
            close(&m["adsorption_dG"], adsorption),
            "{template}: {}",
            m["adsorption_dG"]
        );
        assert!(close(&m["limiting_potential"], -0.5), "{template}");
        for (name, ul) in products {
            let pr = product(m, name);
            assert!(
                close(&pr["limiting_potential"], ul),
                "{template} {name}: {pr}"
            );
        }
        let reactant_listed = m["products"]
            .as_array()
            .expect("products")
            .iter()
            .any(|p| p["product"] == "NO2-" || (template == "norr" && p["product"] == "NO(g)"));
        assert!(
            !reactant_listed,
            "{template}: its reactant is not a product"
        );
    }
}

/// The two-nitrate values added to [`NETWORK`] for N2O and N2 (G(*) = 0, so a coupled state
/// "*N2O2" = G(*N2O2) + G(*) = G(*N2O2) and "2*NO" = 2 G(*NO) = −4.0).
const TWO_N: &str = r#"
"*N2O2" = { G = -4.3 }
"*N2O2H" = { G = -4.6 }
"*N2O" = { G = -5.4 }
"*N2OH" = { G = -5.2 }
"*N2" = { G = -6.5 }
"#;

/// [`NETWORK`] with the references N2O and N2 and the two-N species of model m.
fn two_n_network(n2o: f64) -> String {
    NETWORK.replace(
        "NH2OH = { G = -2.7 }\n",
        &format!("NH2OH = {{ G = -2.7 }}\nN2O = {{ G = {n2o} }}\nN2 = {{ G = -6.6 }}\n"),
    ) + TWO_N
}

#[test]
fn n2o_and_n2_from_two_nitrates_by_hand() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("net.toml");
    std::fs::write(&p, two_n_network(-5.5)).expect("write");
    let j = pathway_json(&p);
    let m = &j["models"][0];
    // the NH3 result does not change with the two-N states beside it
    assert!(
        close(&m["limiting_potential"], -0.5),
        "{}",
        m["limiting_potential"]
    );
    // Both nitrates go to *NO: 2NO3- -> 2*NO3 (chemical, 2 x -1.0) -> 2*NO3H (-0.4, 2 e-)
    // -> 2*NO2 (-0.6) -> 2*NO2H (-0.2) -> 2*NO (-0.8): per electron the one-N steps, the
    // weakest +0.1 V (2*NO2 -> 2*NO2H); the *HNO2 way has +0.4 for 2 e- (-0.2 V), worse.
    // Coupling 2*NO -> *N2O2: -4.3 - (-4.0) = -0.3 (chemical); *N2O2 -> *N2O2H -0.3 (1 e-);
    // *N2O2H -> *N2O + H2O -0.8; *N2O -> N2O(g): -5.5 - (-5.4) = -0.1 (chemical).
    let n2o = product(m, "N2O(g)");
    assert!(close(&n2o["limiting_potential"], 0.1), "{n2o}");
    assert_eq!(n2o["pds"]["from"], "2*NO2");
    assert_eq!(n2o["pds"]["to"], "2*NO2H");
    assert!(close(&n2o["pds"]["dG"], -0.2), "{n2o}");
    assert!(close(&n2o["chemical_bottleneck"]["dG"], -0.1), "{n2o}");
    let path: Vec<&str> = n2o["path"]
        .as_array()
        .expect("path")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(
        path,
        [
            "2NO3-", "2*NO3", "2*NO3H", "2*NO2", "2*NO2H", "2*NO", "*N2O2", "*N2O2H", "*N2O",
            "N2O(g)"
        ]
    );
    // closure: 2NO3- + 10H+ + 8e- -> N2O + 5H2O from the references is G(N2O) = -5.5 eV
    // (G(NO3-) = G(H2) = G(H2O) = 0), tabulated -8.901: deviation +3.401
    assert!(close(&n2o["closure_deviation"], 3.401), "{n2o}");
    assert!(close(&n2o["u_eq"], 1.113));
    // N2 goes on from *N2O: *N2O -> *N2OH +0.2 (1 e-: -0.2 V, its PDS) -> *N2 + H2O -1.3 ->
    // N2(g): -6.6 - (-6.5) = -0.1
    let n2 = product(m, "N2(g)");
    assert!(close(&n2["limiting_potential"], -0.2), "{n2}");
    assert_eq!(n2["pds"]["from"], "*N2O");
    assert_eq!(n2["pds"]["to"], "*N2OH");
    assert!(close(&n2["closure_deviation"], -6.6 + 12.439), "{n2}");
    // order: NO2- (+0.2) first, then N2O(g) (+0.1; NO(g) and NH2OH also +0.1 but released
    // uphill, so after), N2(g) (-0.2), ammonia (-0.5), then the blocked ones
    let order: Vec<&str> = m["selectivity"]["order"]
        .as_array()
        .expect("order")
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    assert_eq!(
        order,
        ["NO2-", "N2O(g)", "N2(g)", "NH3/NH4+", "NH2OH", "NO(g)"]
    );
    // an uphill release of N2O (G(N2O) = -5.0: +0.4) puts it with the blocked products
    std::fs::write(&p, two_n_network(-5.0)).expect("write");
    let j = pathway_json(&p);
    let s = &j["models"][0]["selectivity"];
    assert!(s["blocked"].to_string().contains("N2O(g)"), "{s}");
}

/// At pH 7 on the RHE scale only the protons that come without an electron move U_eq:
/// 2NO3- + 10H+ + 8e- -> N2O: two of them, ΔG up by 2·kT·ln10·pH, U_eq down by that / 8.
#[test]
fn two_n_products_at_ph_7_and_without_their_states() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("net.toml");
    let text = two_n_network(-5.5).replace("pH = 0", "pH = 7");
    std::fs::write(&p, &text).expect("write");
    let j = pathway_json(&p);
    let m = &j["models"][0];
    let kt_ln10 = 8.617333262e-5 * 298.15 * std::f64::consts::LN_10;
    let n2o = product(m, "N2O(g)");
    let want = 1.113 - 2.0 * kt_ln10 * 7.0 / 8.0;
    assert!(
        n2o["u_eq"]
            .as_f64()
            .is_some_and(|u| (u - want).abs() < 1e-3),
        "{} vs {want}",
        n2o["u_eq"]
    );
    let n2 = product(m, "N2(g)");
    let want = 1.244 - 2.0 * kt_ln10 * 7.0 / 10.0;
    assert!(
        n2["u_eq"].as_f64().is_some_and(|u| (u - want).abs() < 1e-3),
        "{} vs {want}",
        n2["u_eq"]
    );
    // U_L of the (H+ + e-) steps does not move on the RHE scale
    assert!(close(&n2o["limiting_potential"], 0.1), "{n2o}");
    // without *N2O2 neither is computable, and each says what it lacks
    std::fs::write(&p, text.replace("\"*N2O2\" = { G = -4.3 }\n", "")).expect("write");
    let j = pathway_json(&p);
    for name in ["N2O(g)", "N2(g)"] {
        let r = product(&j["models"][0], name);
        assert_eq!(r["computable"], false, "{r}");
        assert!(r["missing"].to_string().contains("*N2O2"), "{r}");
    }
}

/// A product whose initial state is not a state of the network is refused, naming the
/// states there are.
#[test]
fn a_product_with_an_unknown_initial_state_is_an_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("net.toml");
    let text = NETWORK.replace(
        "[network]\ntemplate = \"no3rr\"\n",
        "[network]\ntemplate = \"no3rr\"\n[[network.products]]\nstate = \"N2(g)\"\ninitial = \"2NO3\"\n",
    );
    assert_ne!(text, NETWORK);
    std::fs::write(&p, text).expect("write");
    let o = chepath().arg("pathway").arg(&p).output().expect("run");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(
        err.contains("initial '2NO3' is not a state") && err.contains("2NO3-"),
        "{err}"
    );
}
