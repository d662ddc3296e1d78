//! Bad input: empty, binary, NUL bytes, CRLF, truncated gzip. A clear error naming the file
//! (and the line where there is one), or a partial result marked incomplete; never a panic.

use std::io::Write;
use vasp_parsers::oszicar::parse_oszicar;
use vasp_parsers::outcar::parse_outcar;
use vasp_parsers::poscar::parse_poscar;

fn fixture(p: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

#[test]
fn empty_files_are_errors() {
    let e = parse_outcar(&b""[..], "OUTCAR").unwrap_err();
    assert!(e.to_string().contains("empty"), "{e}");
    assert!(parse_oszicar(&b""[..], "OSZICAR").is_err());
    let e = parse_poscar(&b""[..], "POSCAR", None).unwrap_err();
    assert_eq!(e.line, Some(1));
}

#[test]
fn binary_files_are_errors() {
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let e = parse_outcar(&junk[..], "OUTCAR").unwrap_err();
    assert!(e.to_string().starts_with("OUTCAR"), "{e}");
    assert!(parse_oszicar(&junk[..], "OSZICAR").is_err());
    assert!(parse_poscar(&junk[..], "POSCAR", None).is_err());
}

#[test]
fn nul_bytes_inside_are_skipped_with_a_warning() {
    let mut b = fixture("relax/OUTCAR");
    let k = b.windows(4).position(|w| w == b"DOS ").expect("marker");
    b[k] = 0;
    let o = parse_outcar(&b[..], "OUTCAR").expect("partial result");
    assert!(
        o.warnings.iter().any(|w| w.contains("NUL")),
        "{:?}",
        o.warnings
    );
    assert_eq!(o.ionic_steps.len(), 2);
}

#[test]
fn crlf_reads_the_same() {
    for name in ["relax/OUTCAR", "relax/OSZICAR"] {
        let b = fixture(name);
        let crlf: Vec<u8> = b
            .iter()
            .flat_map(|&c| {
                if c == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![c]
                }
            })
            .collect();
        if name.ends_with("OUTCAR") {
            assert_eq!(
                parse_outcar(&b[..], "x").unwrap(),
                parse_outcar(&crlf[..], "x").unwrap()
            );
        } else {
            assert_eq!(
                parse_oszicar(&b[..], "x").unwrap(),
                parse_oszicar(&crlf[..], "x").unwrap()
            );
        }
    }
    let b = fixture("relax/CONTCAR");
    let crlf: Vec<u8> = b
        .iter()
        .flat_map(|&c| {
            if c == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![c]
            }
        })
        .collect();
    assert_eq!(
        parse_poscar(&b[..], "x", None).unwrap(),
        parse_poscar(&crlf[..], "x", None).unwrap()
    );
}

#[test]
fn overflow_energy_is_not_a_value() {
    let b = String::from_utf8(fixture("relax/OUTCAR")).expect("utf8");
    let b = b.replacen(
        "free  energy   TOTEN  =       -20.11111111 eV",
        "free  energy   TOTEN  = ************** eV",
        1,
    );
    let o = parse_outcar(b.as_bytes(), "OUTCAR").expect("partial");
    assert_eq!(
        o.ionic_steps.len(),
        1,
        "the overflowed step is left out, not read as a number"
    );
    assert!(
        o.warnings.iter().any(|w| w.contains("not a number")),
        "{:?}",
        o.warnings
    );
}

/// One damaged character inside an energy (`-20.11x11111`) must not read as the digits before
/// it (`-20.11`): the step is left out with a warning, as an overflow is.
#[test]
fn damaged_energy_is_not_read_as_its_leading_digits() {
    let b = String::from_utf8(fixture("relax/OUTCAR")).expect("utf8");
    let clean = parse_outcar(b.as_bytes(), "OUTCAR").expect("clean");
    for (good, bad) in [
        (
            "free  energy   TOTEN  =       -20.11111111 eV",
            "free  energy   TOTEN  =       -20.11x11111 eV",
        ),
        (
            "energy  without entropy=      -20.10000000",
            "energy  without entropy=      -20.10#00000",
        ),
    ] {
        assert!(b.contains(good), "fixture changed: {good}");
        let d = b.replacen(good, bad, 1);
        let o = parse_outcar(d.as_bytes(), "OUTCAR").expect("partial");
        assert_eq!(o.ionic_steps.len(), clean.ionic_steps.len() - 1, "{bad}");
        assert!(
            o.ionic_steps
                .iter()
                .all(|s| s.energy.toten != -20.11 && s.energy.no_entropy != -20.10),
            "{:?}",
            o.ionic_steps
        );
        assert!(
            o.warnings.iter().any(|w| w.contains("not a number")),
            "{:?}",
            o.warnings
        );
    }
}

#[test]
fn truncated_gzip_gives_a_partial_result() {
    let b = fixture("relax/OUTCAR");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(&b).expect("gzip");
    let gz = enc.finish().expect("gzip");
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("OUTCAR.gz");
    std::fs::write(&p, &gz[..gz.len() * 2 / 3]).expect("write");
    match vasp_parsers::read_outcar(&p) {
        Ok(o) => {
            assert!(!o.complete);
            assert!(
                o.warnings.iter().any(|w| w.contains("gzip")),
                "{:?}",
                o.warnings
            );
        }
        Err(e) => assert!(e.to_string().contains("OUTCAR.gz"), "{e}"),
    }
    // the whole archive reads like the plain file
    std::fs::write(&p, &gz).expect("write");
    let full = vasp_parsers::read_outcar(&p).expect("gz");
    assert_eq!(
        full.ionic_steps,
        parse_outcar(&b[..], "x").unwrap().ionic_steps
    );
}
