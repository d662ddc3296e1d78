//! Figure layout: no two texts of a figure overlap (issue 18, item 7).
//!
//! Every `<text>` element of an SVG written by plotters becomes a box in the SVG's pixels:
//! - width: the sum of the DejaVu Sans glyph advances (`assets/fonts/DejaVuSans.ttf`, the
//!   font the figures embed and name; read with ttf-parser) at the element's `font-size`,
//!   without kerning (which only narrows text); a character the font lacks counts as its
//!   `.notdef` glyph;
//! - height: the ink of its glyphs (the union of their bounding boxes) about the baseline,
//!   which is `y + dy` (`dy` in em, ex — the font's x-height — or px, as plotters writes it);
//! - `text-anchor` start / middle / end places the box horizontally; a `rotate(a, cx, cy)`
//!   transform turns it (the box of the turned box).
//!
//! Two boxes that share more than [`TOLERANCE`] px in both directions overlap. A viewer
//! without DejaVu Sans falls back to another sans-serif font, mostly narrower: the boxes are
//! then on the large side. Each figure is also checked for "+0.00 eV" labels (a value that
//! says nothing) and for texts that leave the canvas.
//!
//! Figures checked: every SVG of the sample report, diagrams of the example networks and the
//! samples with the diagram options, and diagrams of made-up paths built to collide (levels
//! within 0.01 eV across models, equal consecutive levels, long names, many models, humps);
//! `CHEPATH_FIGURE_DUMP=DIR` writes the made-up ones as PNG there, to look at.

use crate::common::{chepath, Run};
use chepath::output::plot::{diagram_svg, Diagram, DiagramPanel, DiagramPath};
use std::path::{Path, PathBuf};

/// Pixels two boxes may share (plotters rounds coordinates to whole pixels).
const TOLERANCE: f64 = 0.5;

/// One `<text>` of an SVG, as the box its glyphs cover (SVG pixels, y down).
#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn face() -> &'static ttf_parser::Face<'static> {
    static FACE: std::sync::OnceLock<ttf_parser::Face<'static>> = std::sync::OnceLock::new();
    FACE.get_or_init(|| {
        static TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
        ttf_parser::Face::parse(TTF, 0).expect("DejaVu Sans parses")
    })
}

/// Width (in em) and ink extent above and below the baseline (in em, up positive) of `s`.
fn measure(s: &str) -> (f64, f64, f64) {
    let f = face();
    let em = f.units_per_em() as f64;
    let (mut w, mut top, mut bottom) = (0.0, 0.0f64, 0.0f64);
    for c in s.chars() {
        let g = f.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        w += f.glyph_hor_advance(g).unwrap_or(f.units_per_em()) as f64;
        if let Some(b) = f.glyph_bounding_box(g) {
            top = top.max(b.y_max as f64);
            bottom = bottom.min(b.y_min as f64);
        }
    }
    (w / em, top / em, bottom / em)
}

/// `0.76em`, `0.5ex`, `-3px`, `4` in pixels at font size `fs`.
fn length(v: &str, fs: f64) -> Result<f64, String> {
    let v = v.trim();
    let x_height = face().x_height().unwrap_or(1120) as f64 / face().units_per_em() as f64;
    let (num, scale) = if let Some(n) = v.strip_suffix("em") {
        (n, fs)
    } else if let Some(n) = v.strip_suffix("ex") {
        (n, fs * x_height)
    } else {
        (v.strip_suffix("px").unwrap_or(v), 1.0)
    };
    num.trim()
        .parse::<f64>()
        .map(|x| x * scale)
        .map_err(|e| format!("length {v:?}: {e}"))
}

/// `rotate(270, 16, 308)` → (270, 16, 308).
fn rotation(t: &str) -> Result<(f64, f64, f64), String> {
    let inner = t
        .trim()
        .strip_prefix("rotate(")
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| format!("transform {t:?}: only rotate(a, x, y) is handled"))?;
    let v: Vec<f64> = inner
        .split([',', ' '])
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<f64>()
                .map_err(|e| format!("transform {t:?}: {e}"))
        })
        .collect::<Result<_, _>>()?;
    match v[..] {
        [a] => Ok((a, 0.0, 0.0)),
        [a, x, y] => Ok((a, x, y)),
        _ => Err(format!("transform {t:?}")),
    }
}

/// An element's attributes, (name, value).
type Attrs = Vec<(String, String)>;

/// A run of a text's characters: its size as a fraction of the text's and its baseline, em
/// (of the text) below the text's (a subscript's tspan: 0.7 and 0.3).
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    scale: f64,
    drop: f64,
}

/// The box of a text element from its attributes and its pieces (the content outside and
/// inside tspans, trimmed at the ends as SVG does).
fn text_box(attrs: &[(String, String)], pieces: &[Piece]) -> Result<TextBox, String> {
    let get = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    let fs = length(get("font-size").ok_or("text without font-size")?, 1.0)?;
    let x = length(get("x").unwrap_or("0"), fs)?;
    let y = length(get("y").unwrap_or("0"), fs)?;
    let base = y + length(get("dy").unwrap_or("0"), fs)?;
    let (mut w, mut up, mut down) = (0.0, f64::MIN, f64::MAX);
    for p in pieces {
        let (pw, pu, pd) = measure(&p.text);
        w += pw * p.scale;
        up = up.max(pu * p.scale - p.drop);
        down = down.min(pd * p.scale - p.drop);
    }
    let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let w = w * fs;
    let x0 = match get("text-anchor").unwrap_or("start") {
        "middle" => x - w / 2.0,
        "end" => x - w,
        _ => x,
    };
    let (y0, y1) = (base - up * fs, base - down * fs);
    let mut b = TextBox {
        text,
        x0,
        y0,
        x1: x0 + w,
        y1,
    };
    if let Some(t) = get("transform") {
        let (a, cx, cy) = rotation(t)?;
        let (s, c) = a.to_radians().sin_cos();
        let turn = |px: f64, py: f64| {
            let (dx, dy) = (px - cx, py - cy);
            (cx + dx * c - dy * s, cy + dx * s + dy * c)
        };
        let pts = [
            turn(b.x0, b.y0),
            turn(b.x1, b.y0),
            turn(b.x0, b.y1),
            turn(b.x1, b.y1),
        ];
        b.x0 = pts.iter().map(|p| p.0).fold(f64::MAX, f64::min);
        b.x1 = pts.iter().map(|p| p.0).fold(f64::MIN, f64::max);
        b.y0 = pts.iter().map(|p| p.1).fold(f64::MAX, f64::min);
        b.y1 = pts.iter().map(|p| p.1).fold(f64::MIN, f64::max);
    }
    Ok(b)
}

/// The canvas size and the box of every non-empty `<text>` of an SVG.
fn text_boxes(svg: &str) -> Result<((f64, f64), Vec<TextBox>), String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(svg);
    let mut size = (0.0, 0.0);
    let mut boxes = Vec::new();
    // the open text: its attributes, its pieces, and per open tspan (scale, drop) to restore
    let mut open: Option<(Attrs, Vec<Piece>)> = None;
    let mut spans: Vec<(f64, f64)> = Vec::new();
    let (mut scale, mut drop) = (1.0, 0.0);
    let attrs_of = |e: &quick_xml::events::BytesStart| -> Result<Vec<(String, String)>, String> {
        e.attributes()
            .map(|a| {
                let a = a.map_err(|e| e.to_string())?;
                let v = a.unescape_value().map_err(|e| e.to_string())?;
                Ok((
                    String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                    v.into_owned(),
                ))
            })
            .collect()
    };
    loop {
        match r
            .read_event()
            .map_err(|e| format!("byte {}: {e}", r.error_position()))?
        {
            Event::Start(e) if e.name().as_ref() == b"svg" => {
                let a = attrs_of(&e)?;
                let num = |k: &str| {
                    a.iter()
                        .find(|(n, _)| n == k)
                        .and_then(|(_, v)| v.parse::<f64>().ok())
                        .unwrap_or(0.0)
                };
                size = (num("width"), num("height"));
            }
            Event::Start(e) if e.name().as_ref() == b"text" => {
                open = Some((attrs_of(&e)?, Vec::new()));
                (scale, drop) = (1.0, 0.0);
            }
            Event::Start(e) if e.name().as_ref() == b"tspan" => {
                // font-size in % of the enclosing size; dy in the tspan's own em, cumulative
                let a = attrs_of(&e)?;
                let get = |k: &str| a.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
                spans.push((scale, drop));
                if let Some(p) =
                    get("font-size").and_then(|v| v.strip_suffix('%')?.parse::<f64>().ok())
                {
                    scale *= p / 100.0;
                }
                if let Some(d) = get("dy") {
                    drop += length(&d, scale)?;
                }
            }
            Event::End(e) if e.name().as_ref() == b"tspan" => {
                // the size is restored; the baseline stays where dy moved it
                scale = spans.pop().map_or(1.0, |s| s.0);
            }
            Event::Text(t) => {
                if let Some((_, pieces)) = open.as_mut() {
                    let text = t
                        .unescape()
                        .map_err(|e| e.to_string())?
                        .replace('\u{a0}', " ");
                    pieces.push(Piece { text, scale, drop });
                }
            }
            Event::End(e) if e.name().as_ref() == b"text" => {
                if let Some((a, mut pieces)) = open.take() {
                    if let Some(p) = pieces.first_mut() {
                        p.text = p.text.trim_start().to_string();
                    }
                    if let Some(p) = pieces.last_mut() {
                        p.text = p.text.trim_end().to_string();
                    }
                    pieces.retain(|p| !p.text.is_empty());
                    if !pieces.is_empty() {
                        boxes.push(text_box(&a, &pieces)?);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((size, boxes))
}

/// What is wrong with the texts of `svg`: overlapping pairs, texts off the canvas,
/// "±0.00 eV" labels.
fn layout_faults(svg: &str) -> Vec<String> {
    let ((w, h), boxes) = match text_boxes(svg) {
        Ok(b) => b,
        Err(e) => return vec![format!("unreadable SVG: {e}")],
    };
    let mut faults = Vec::new();
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let dx = a.x1.min(b.x1) - a.x0.max(b.x0);
            let dy = a.y1.min(b.y1) - a.y0.max(b.y0);
            if dx > TOLERANCE && dy > TOLERANCE {
                faults.push(format!(
                    "{:?} [{:.0},{:.0}]-[{:.0},{:.0}] overlaps {:?} [{:.0},{:.0}]-[{:.0},{:.0}] by {dx:.1} x {dy:.1} px",
                    a.text, a.x0, a.y0, a.x1, a.y1, b.text, b.x0, b.y0, b.x1, b.y1
                ));
            }
        }
        let out =
            a.x0 < -TOLERANCE || a.y0 < -TOLERANCE || a.x1 > w + TOLERANCE || a.y1 > h + TOLERANCE;
        if w > 0.0 && out {
            faults.push(format!(
                "{:?} [{:.0},{:.0}]-[{:.0},{:.0}] leaves the {w} x {h} canvas",
                a.text, a.x0, a.y0, a.x1, a.y1
            ));
        }
        if a.text.contains("+0.00 eV") || a.text.contains("-0.00 eV") {
            faults.push(format!("{:?}: a zero label says nothing", a.text));
        }
    }
    faults
}

/// Panics with every fault of every figure named.
#[track_caller]
fn assert_clean(figures: &[(String, String)]) {
    let mut report = Vec::new();
    for (name, svg) in figures {
        for f in layout_faults(svg) {
            report.push(format!("{name}: {f}"));
        }
    }
    assert!(
        report.is_empty(),
        "{} layout fault(s):\n{}",
        report.len(),
        report.join("\n")
    );
}

/// Every `.svg` under `dir`, read.
fn svgs_in(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("report dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("svg readable");
            (p.display().to_string(), text)
        })
        .collect();
    v.sort();
    v
}

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `chepath diagram INPUT -o tmp/NAME.svg ARGS…`, the SVG's text.
fn diagram(input: &Path, name: &str, args: &[&str], dir: &Path) -> (String, String) {
    let out = dir.join(format!("{name}.svg"));
    chepath()
        .arg("diagram")
        .arg(input)
        .arg("-o")
        .arg(&out)
        .args(args)
        .arg("--force")
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).expect("svg written");
    (format!("{name} ({})", args.join(" ")), text)
}

#[test]
fn the_measure_is_dejavu_sans() {
    // "NH" at 10 px: N and H advance 0.748 and 0.752 em; ink from the baseline to the cap
    // height (0.729 em)
    let (w, up, down) = measure("NH");
    assert!((w - 1.5).abs() < 0.01, "{w}");
    assert!(
        (up - 0.729).abs() < 0.01 && down.abs() < 1e-9,
        "{up} {down}"
    );
    let svg = r#"<svg width="200" height="100" xmlns="http://www.w3.org/2000/svg">
<text x="100" y="50" dy="0.76em" text-anchor="middle" font-size="10">
NH
</text>
<text x="100" y="50" dy="0.76em" text-anchor="start" font-size="10" transform="rotate(270, 100, 50)">
NH
</text>
<text x="150" y="50" dy="0.76em" text-anchor="end" font-size="10">
PDS +0.00 eV
</text>
</svg>"#;
    let (size, b) = text_boxes(svg).expect("parses");
    assert_eq!(size, (200.0, 100.0));
    assert!(
        (b[0].x0 - 92.5).abs() < 0.1 && (b[0].x1 - 107.5).abs() < 0.1,
        "{b:?}"
    );
    assert!(
        (b[0].y1 - 57.6).abs() < 0.1 && (b[0].y0 - 50.3).abs() < 0.1,
        "{b:?}"
    );
    // turned a quarter anticlockwise about its anchor: it now rises from (100, 50)
    assert!(
        (b[1].y1 - 50.0).abs() < 0.1 && (b[1].y0 - 35.0).abs() < 0.1,
        "{b:?}"
    );
    let faults = layout_faults(svg);
    // the third overlaps the first (not the turned one, above them both) and says nothing
    assert_eq!(faults.len(), 2, "{faults:?}");
    assert!(faults[0].starts_with("\"NH\"") && faults[0].contains("overlaps \"PDS"));
    assert!(faults[1].contains("says nothing"), "{faults:?}");
}

#[test]
fn a_subscript_is_measured_small_and_low() {
    // N, then H at 70 % with its baseline 0.5 × 0.7 = 0.35 em lower, then " N" back on the
    // baseline: advances 0.748 + 0.7 × 0.752 + 0.318 + 0.748 em; the H's foot 3.5 px down
    let svg = "<svg width=\"200\" height=\"100\" xmlns=\"http://www.w3.org/2000/svg\">
<text x=\"10\" y=\"50\" font-size=\"10\">
N<tspan font-size=\"70%\" dy=\"0.5em\">H</tspan><tspan dy=\"-0.35em\">\u{a0}N</tspan>
</text>
</svg>";
    let (_, b) = text_boxes(svg).expect("parses");
    assert_eq!(b.len(), 1, "{b:?}");
    assert_eq!(b[0].text, "NH N");
    assert!((b[0].x1 - b[0].x0 - 23.40).abs() < 0.05, "{b:?}");
    assert!((b[0].y1 - 53.5).abs() < 0.05, "{b:?}");
    assert!((b[0].y0 - 42.71).abs() < 0.05, "{b:?}");
}

#[test]
fn the_sample_report() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("report");
    chepath()
        .arg("report")
        .arg(root("sample_outputs/vasp"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let figures = svgs_in(&out);
    assert!(figures.len() >= 4, "{figures:?}");
    assert_clean(&figures);
    // the samples are generated values: every figure says so (issue 18, item 7)
    let notice = notice_of(&root("sample_outputs/vasp/network.toml"))
        .expect("the samples' network.toml has a notice");
    assert_noticed(&figures, &notice);
}

#[test]
fn sample_diagrams_with_options() {
    let dir = tempfile::tempdir().expect("tmp");
    let vasp = root("sample_outputs/vasp");
    let mut figures = Vec::new();
    for (name, args) in [
        ("at", &["--at=0,-0.75"][..]),
        ("all", &["--path", "all"]),
        ("greedy", &["--path", "greedy", "--single-panel"]),
        ("products", &["--products"]),
        ("small", &["--width", "700", "--height", "400"]),
        ("two", &["--models", "CuN4,CuN4_Cu4", "--U", "-0.5"]),
    ] {
        figures.push(diagram(&vasp, name, args, dir.path()));
    }
    assert_clean(&figures);
}

#[test]
fn example_networks() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut figures = Vec::new();
    for net in ["pt111_orr", "no3rr_illustrative", "ni111_oer_corpus"] {
        let file = root(&format!("examples/networks/{net}.toml"));
        if net.contains("corpus") && crate::common::corpus().is_none() {
            continue;
        }
        let out = dir.path().join(net);
        chepath()
            .arg("report")
            .arg(&file)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let mut these = svgs_in(&out);
        these.push(diagram(
            &file,
            &format!("{net}_at"),
            &["--at=0,0.5,1.23"],
            dir.path(),
        ));
        these.push(diagram(
            &file,
            &format!("{net}_all"),
            &["--path", "all"],
            dir.path(),
        ));
        // A network of illustrative values carries its notice on every figure made from it,
        // the report's and the diagram's (issue 18, item 7: only the diagram was checked).
        // The notice is the file's own `notice`, so a figure that drops it fails here.
        match notice_of(&file) {
            Some(notice) => assert_noticed(&these, &notice),
            None => assert_eq!(net, "pt111_orr", "only Pt(111) is tabulated from a paper"),
        }
        if net == "no3rr_illustrative" {
            // the report draws the free-energy diagram and the product map
            assert!(
                these.len() >= 4,
                "{:?}",
                these.iter().map(|f| &f.0).collect::<Vec<_>>()
            );
        }
        figures.extend(these);
    }
    assert_clean(&figures);
}

/// The `notice` of a network file, if it has one.
fn notice_of(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file).expect("network file readable");
    let v: toml::Value = toml::from_str(&text).expect("network file is TOML");
    v.get("notice").and_then(|n| n.as_str()).map(str::to_string)
}

/// Panics naming every figure whose texts do not carry `notice` (a caption may wrap it over
/// lines: whitespace is ignored).
#[track_caller]
fn assert_noticed(figures: &[(String, String)], notice: &str) {
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let want = squeeze(notice);
    let lacking: Vec<&str> = figures
        .iter()
        .filter(|(_, svg)| {
            let (_, boxes) = text_boxes(svg).expect("SVG readable");
            let all: Vec<&str> = boxes.iter().map(|b| b.text.as_str()).collect();
            !squeeze(&all.join(" ")).contains(&want)
        })
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        lacking.is_empty(),
        "figures without the notice {notice:?}: {lacking:?}"
    );
}

// ---- made-up diagrams built to collide ----

fn path(
    label: &str,
    states: &[&str],
    dg: &[f64],
    pds: Option<usize>,
    colour: usize,
) -> DiagramPath {
    DiagramPath {
        label: label.into(),
        states: states.iter().map(|s| s.to_string()).collect(),
        dg: dg.to_vec(),
        pds,
        barriers: Vec::new(),
        colour,
    }
}

fn figure(name: &str, panels: Vec<DiagramPanel>) -> (String, String) {
    let d = Diagram {
        caption: vec![
            "a made-up diagram of the layout test".into(),
            "thick solid connector = potential-determining step; dashed = other steps".into(),
        ],
        size: (1400, 620 * panels.len() as u32 + 80),
        panels,
        font: 17,
    };
    // CHEPATH_FIGURE_DUMP=DIR: each made-up diagram also as DIR/NAME.png, to look at
    if let Some(dir) = std::env::var_os("CHEPATH_FIGURE_DUMP") {
        let png = Path::new(&dir).join(format!("{name}.png"));
        chepath::output::plot::draw_diagram(&d, &png).expect("png drawn");
    }
    (name.to_string(), diagram_svg(&d).expect("drawn"))
}

fn panel(title: &str, paths: Vec<DiagramPath>) -> DiagramPanel {
    DiagramPanel {
        title: title.into(),
        paths,
    }
}

// ---- the geometry of the levels (issue 18: equal and coincident levels) ----

/// One `<polyline>` of an SVG: its stroke colour (`#RRGGBB`), width and points (SVG px).
#[derive(Debug, Clone)]
struct Stroke {
    colour: String,
    width: f64,
    points: Vec<(f64, f64)>,
}

/// Every `<polyline>` of `svg` but the legend's swatches (those inside a frame, the
/// `<rect fill="none">` drawn around the legend: a swatch would read as a level).
fn strokes(svg: &str) -> Vec<Stroke> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(svg);
    let mut frames: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut all = Vec::new();
    loop {
        let e = match r.read_event().expect("SVG readable") {
            Event::Eof => break,
            Event::Empty(e) | Event::Start(e) => e,
            _ => continue,
        };
        let attr = |k: &str| {
            e.attributes()
                .filter_map(Result::ok)
                .find(|a| a.key.as_ref() == k.as_bytes())
                .map(|a| String::from_utf8_lossy(&a.value).into_owned())
        };
        let num = |k: &str| attr(k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        match e.name().as_ref() {
            b"rect" if attr("fill").as_deref() == Some("none") => {
                let (x, y) = (num("x"), num("y"));
                frames.push((x, y, x + num("width"), y + num("height")));
            }
            b"polyline" => {
                let points = attr("points")
                    .unwrap_or_default()
                    .split_whitespace()
                    .filter_map(|p| {
                        let (x, y) = p.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect();
                all.push(Stroke {
                    colour: attr("stroke").unwrap_or_default(),
                    width: num("stroke-width"),
                    points,
                });
            }
            _ => {}
        }
    }
    let framed = |s: &Stroke| {
        frames.iter().any(|(x0, y0, x1, y1)| {
            s.points
                .iter()
                .all(|(x, y)| x >= x0 && x <= x1 && y >= y0 && y <= y1)
        })
    };
    all.into_iter().filter(|s| !framed(s)).collect()
}

/// A level's bar: a horizontal stroke 4 px wide and at least [`MIN_BAR_PX`] long (the
/// dashes of a level PDS connector are as thick, and a few px long), from `x0` to `x1` at
/// `y`; `stroke` is its index in [`strokes`].
#[derive(Debug, Clone)]
struct Bar {
    stroke: usize,
    y: f64,
    x0: f64,
    x1: f64,
}

/// Shorter than any level of the made-up figures below (a share of a level of 1400 px
/// figures with ten states is 27 px or more), longer than any dash.
const MIN_BAR_PX: f64 = 20.0;

/// The bars of colour `colour`, left to right.
fn bars_of(strokes: &[Stroke], colour: &str) -> Vec<Bar> {
    let mut v: Vec<Bar> = strokes
        .iter()
        .enumerate()
        .filter(|(_, s)| s.colour == colour && s.width == 4.0)
        .filter_map(|(k, s)| match s.points[..] {
            [(a, y), (b, y2)] if y == y2 && (b - a).abs() >= MIN_BAR_PX => Some(Bar {
                stroke: k,
                y,
                x0: a.min(b),
                x1: a.max(b),
            }),
            _ => None,
        })
        .collect();
    v.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    v
}

/// `#RRGGBB` of the `k`-th colour of the figures' palette, as plotters writes it.
fn palette(k: usize) -> String {
    let c = chepath::output::plot::PALETTE[k];
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The clear space (px) a level keeps at each end: no other stroke of its colour comes
/// nearer along its line. plotters rounds to whole pixels, so the 6 px gap of
/// src/output/plot.rs (`LEVEL_GAP_PX`) reads as 5 to 7; without it, a connector starts
/// at the level's end and two levels at one height read as one long bar.
const MIN_GAP_PX: f64 = 4.0;

/// What is wrong with the levels of colour `colour`: another stroke of that colour (a
/// connector, a dash, another level) within [`MIN_GAP_PX`] of a level's ends along its
/// line, or over it. Strokes are checked by their points: each piece of a connector is a
/// straight two-point line that starts or ends by a level.
fn gap_faults(strokes: &[Stroke], colour: &str) -> Vec<String> {
    let mut faults = Vec::new();
    for bar in bars_of(strokes, colour) {
        for (k, s) in strokes.iter().enumerate() {
            if k == bar.stroke || s.colour != colour {
                continue;
            }
            // 4 px and 2 px thick lines: within 3 px vertically they touch
            let near = s.points.iter().find(|(x, y)| {
                (y - bar.y).abs() <= 3.0 && *x >= bar.x0 - MIN_GAP_PX && *x <= bar.x1 + MIN_GAP_PX
            });
            if let Some(p) = near {
                faults.push(format!(
                    "level [{}, {}] at y = {} runs into {:?} (point {p:?})",
                    bar.x0, bar.x1, bar.y, s.points
                ));
            }
        }
    }
    faults
}

const NO3: [&str; 10] = [
    "NO3-", "*NO3", "*NO2", "*NO", "*NOH", "*NHOH", "*NH2OH", "*NH2", "*NH3", "NH3(g)",
];

#[test]
fn near_equal_levels_across_models() {
    // three models whose levels differ by at most 0.01 eV, each with its PDS at the same
    // step: the same PDS label three times at one place, three *NH3 levels on one height
    let base = [-0.4, -0.3, 0.5, -0.8, -0.2, -0.6, -0.7, -0.9, 0.3];
    let paths: Vec<DiagramPath> = (0..3)
        .map(|m| {
            let dg: Vec<f64> = base.iter().map(|x| x + 0.004 * m as f64).collect();
            path(&format!("model {m}"), &NO3, &dg, Some(2), m)
        })
        .collect();
    let fig = figure("near-equal", vec![panel("three models", paths)]);
    assert_clean(std::slice::from_ref(&fig));
    // The levels themselves (issue 18: three *NH3 levels drawn over each other, one hiding
    // the others): where the levels of several models are closer than `COINCIDENT_PX`
    // (src/output/plot.rs), each is drawn on its own share of the level's width, side by
    // side in the models' order. Here every level of the three models coincides (0.004 eV
    // per step between neighbours): at each of the ten states, three bars that do not
    // overlap, that together make one level's width (no gap), and are equally long. Drawn
    // on top of each other they overlap and this fails (tried on a copy of the source with
    // `COINCIDENT_PX` 0: three bars [121, 202] at state 0).
    let all = strokes(&fig.1);
    let bars: Vec<Vec<Bar>> = (0..3).map(|m| bars_of(&all, &palette(m))).collect();
    for (m, b) in bars.iter().enumerate() {
        assert_eq!(b.len(), NO3.len(), "model {m}: one level per state: {b:?}");
    }
    for k in 0..NO3.len() {
        let at: Vec<&Bar> = bars.iter().map(|b| &b[k]).collect();
        let ys: Vec<f64> = at.iter().map(|b| b.y).collect();
        assert!(
            // closer than COINCIDENT_PX (5) before plotters rounds each to a pixel
            ys.windows(2).all(|w| (w[0] - w[1]).abs() < 6.0),
            "state {k}: the levels coincide: {ys:?}"
        );
        for (m, w) in at.windows(2).enumerate() {
            assert!(
                w[0].x1 <= w[1].x0 + 1.0,
                "state {k}: model {m}'s level overlaps model {}'s: {at:?}",
                m + 1
            );
            assert!(
                w[1].x0 - w[0].x1 <= 1.0,
                "state {k}: the shares of one level are side by side: {at:?}"
            );
        }
        let lens: Vec<f64> = at.iter().map(|b| b.x1 - b.x0).collect();
        assert!(
            lens.iter().all(|l| (l - lens[0]).abs() <= 2.0),
            "state {k}: equal shares: {lens:?}"
        );
    }
    for m in 0..3 {
        assert_eq!(
            gap_faults(&all, &palette(m)),
            Vec::<String>::new(),
            "model {m}"
        );
    }
}

#[test]
fn equal_consecutive_levels() {
    // level steps (ΔG = 0), one of them the PDS (the panel at U_L), beside a sloping model
    let a = path(
        "level",
        &NO3,
        &[0.0, 0.0, -0.5, 0.0, 0.0, -0.3, 0.0, 0.0, 0.0],
        Some(3),
        0,
    );
    let b = path(
        "sloping",
        &NO3,
        &[-0.1, 0.0, -0.45, 0.01, -0.01, -0.3, 0.0, 0.002, 0.0],
        Some(1),
        1,
    );
    let levels: Vec<(String, Vec<f64>)> = [&a, &b]
        .iter()
        .map(|p| (palette(p.colour), p.dg.clone()))
        .collect();
    let fig = figure("equal-consecutive", vec![panel("level steps", vec![a, b])]);
    assert_clean(std::slice::from_ref(&fig));
    // The levels themselves (issue 18: consecutive states at equal G merged into one long
    // bar): one bar per state, and where a step is level (ΔG = 0, among them the PDS, drawn
    // with thick dashes) the two bars stay at one height with clear space at each end:
    // no stroke of their colour within `MIN_GAP_PX` of either end. With `LEVEL_GAP_PX`
    // (src/output/plot.rs) set to 0 the connector, 4 px thick where it is the PDS, starts
    // at the level's end and this fails (tried on a copy of the source: 9 faults).
    let all = strokes(&fig.1);
    for (colour, dg) in &levels {
        let bars = bars_of(&all, colour);
        assert_eq!(
            bars.len(),
            dg.len() + 1,
            "{colour}: one level per state: {bars:?}"
        );
        for (k, step) in dg.iter().enumerate() {
            if *step == 0.0 {
                assert_eq!(
                    bars[k].y,
                    bars[k + 1].y,
                    "{colour}: a level step is drawn level"
                );
            }
        }
        assert_eq!(gap_faults(&all, colour), Vec::<String>::new(), "{colour}");
    }
}

#[test]
fn long_names_and_different_states() {
    let long = [
        "A_very_long_initial_state(g)",
        "*NH2O_bidentate_bridge",
        "*NHOH_monodentate_top_site",
        "*NH2OH_with_a_long_name",
        "NH3(g)",
    ];
    let other = [
        "A_very_long_initial_state(g)",
        "*NHOH_monodentate_top_site",
        "*NH2O_bidentate_bridge",
        "*N",
        "NH3(g)",
    ];
    let paths = vec![
        path("first", &long, &[-0.2, -0.1, 0.3, -0.5], Some(2), 0),
        path("second", &other, &[-0.19, -0.11, 0.31, -0.51], Some(2), 1),
        path("third", &long, &[-0.21, -0.1, 0.29, -0.5], Some(2), 2),
    ];
    assert_clean(&[figure("long-names", vec![panel("long names", paths)])]);
}

#[test]
fn many_models_and_humps() {
    // eight models (more than the palette), with humps at one step: eight "Ea" labels at
    // nearly one place, and a legend of eight lines
    let states = ["O2(g)", "*OOH", "*O", "*OH", "H2O(l)"];
    let mut paths = Vec::new();
    for m in 0..8 {
        let d = 0.003 * m as f64;
        let mut p = path(
            &format!("a model with a longish name {m} at U_L = -0.{m}0 V"),
            &states,
            &[-0.8 + d, -1.6 - d, -0.7 + d, -1.8 - d],
            Some(if m % 2 == 0 { 0 } else { 2 }),
            m,
        );
        p.barriers = vec![None, Some(0.6 + d), None, Some(0.0)];
        paths.push(p);
    }
    let level: Vec<DiagramPath> = paths
        .iter()
        .map(|p| {
            let mut q = p.clone();
            q.dg = vec![0.0, -0.1, 0.0, -0.05];
            q
        })
        .collect();
    assert_clean(&[figure(
        "many-models",
        vec![panel("eight models", paths), panel("at U_L", level)],
    )]);
}
