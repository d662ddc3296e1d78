//! The texts of an SVG written by chepath, read as a viewer shows them.
//!
//! A figure text with a subscript is one `<text>` holding tspans: the subscript in a tspan
//! of `font-size="70%"` (and `dy` lowering it), the text after it in a tspan moving the
//! baseline back. [`svg_texts`] writes such a subscript back as `_X` (one character) or
//! `_{XY}`, so that a test can say `U_L` and know that the L is drawn as a subscript; a
//! no-break space reads as a space.

use quick_xml::events::Event;

/// Every `<text>` element's text in document order, subscripts as `_X` / `_{XY}`; an error
/// for anything quick-xml does not read as well-formed XML (unclosed or mismatched tags, bad
/// entities, no single `<svg>` root).
pub fn svg_texts(svg: &str) -> Result<Vec<String>, String> {
    texts_of(svg, true)
}

/// Every `<text>` element's characters as they are in the file, tspans' content joined
/// without marking (`U_L` here means an underscore is drawn).
pub fn svg_raw_texts(svg: &str) -> Result<Vec<String>, String> {
    texts_of(svg, false)
}

fn texts_of(svg: &str, mark: bool) -> Result<Vec<String>, String> {
    let mut r = quick_xml::Reader::from_str(svg);
    let mut stack: Vec<(Vec<u8>, bool)> = Vec::new();
    let mut roots = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut in_text = 0usize;
    loop {
        match r
            .read_event()
            .map_err(|e| format!("byte {}: {e}", r.error_position()))?
        {
            Event::Start(e) => {
                if stack.is_empty() {
                    roots.push(e.name().as_ref().to_vec());
                }
                if e.name().as_ref() == b"text" {
                    in_text += 1;
                    texts.push(String::new());
                }
                let sub = e.name().as_ref() == b"tspan" && is_subscript(&e)?;
                stack.push((e.name().as_ref().to_vec(), sub));
            }
            Event::Empty(e) if stack.is_empty() => roots.push(e.name().as_ref().to_vec()),
            Event::End(e) => {
                if stack.pop().map(|s| s.0).as_deref() != Some(e.name().as_ref()) {
                    return Err(format!(
                        "unmatched </{}>",
                        String::from_utf8_lossy(e.name().as_ref())
                    ));
                }
                if e.name().as_ref() == b"text" {
                    in_text -= 1;
                }
            }
            Event::Text(t) if in_text > 0 => {
                let t = t.unescape().map_err(|e| e.to_string())?;
                let sub = stack.last().is_some_and(|s| s.1);
                if let Some(last) = texts.last_mut() {
                    match (mark && sub, t.chars().count()) {
                        (true, 1) => last.push_str(&format!("_{t}")),
                        (true, _) => last.push_str(&format!("_{{{t}}}")),
                        _ => last.push_str(&t.replace('\u{a0}', " ")),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(format!("{} element(s) not closed", stack.len()));
    }
    if roots != [b"svg".to_vec()] {
        return Err("not one <svg> root element".into());
    }
    Ok(texts.into_iter().map(|t| t.trim().to_string()).collect())
}

/// Whether a tspan draws a subscript: a font size below 100 % and a baseline moved down.
fn is_subscript(e: &quick_xml::events::BytesStart) -> Result<bool, String> {
    let (mut smaller, mut lower) = (false, false);
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let v = a.unescape_value().map_err(|e| e.to_string())?;
        let num = |s: &str, unit: &str| s.strip_suffix(unit).and_then(|n| n.parse::<f64>().ok());
        match a.key.as_ref() {
            b"font-size" => smaller = num(&v, "%").is_some_and(|p| p < 100.0),
            b"dy" => lower = num(&v, "em").is_some_and(|d| d > 0.0),
            _ => {}
        }
    }
    Ok(smaller && lower)
}
