//! Telling VASP files apart: by name first (`OUTCAR`, `OUTCAR.gz`, `vasprun.xml`, `CONTCAR_3`
//! …), then by the first bytes of their (decompressed) content.

use crate::error::ParseError;
use std::io::Read;
use std::path::Path;

/// The VASP file formats chepath knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Outcar,
    Oszicar,
    Poscar,
    Doscar,
    Vasprun,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Outcar => "OUTCAR",
            Format::Oszicar => "OSZICAR",
            Format::Poscar => "POSCAR/CONTCAR",
            Format::Doscar => "DOSCAR",
            Format::Vasprun => "vasprun.xml",
        }
    }
}

/// The format a file name suggests, if any.
pub fn from_name(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_string_lossy().to_ascii_uppercase();
    if name.contains("OUTCAR") {
        Some(Format::Outcar)
    } else if name.contains("OSZICAR") {
        Some(Format::Oszicar)
    } else if name.starts_with("CONTCAR") || name.starts_with("POSCAR") || name.ends_with(".VASP") {
        Some(Format::Poscar)
    } else if name.starts_with("DOSCAR") {
        Some(Format::Doscar)
    } else if name.contains("VASPRUN") || name.ends_with(".XML") || name.ends_with(".XML.GZ") {
        Some(Format::Vasprun)
    } else {
        None
    }
}

/// The format the first lines of a file suggest, if any.
pub fn from_content(path: &Path) -> Result<Option<Format>, ParseError> {
    let r = crate::source::open(path)?;
    let mut bytes = Vec::new();
    // A failed read leaves what was read; detection works on what there is.
    let _ = r.take(8192).read_to_end(&mut bytes);
    let head: Vec<&[u8]> = bytes.split(|&b| b == b'\n').take(8).collect();
    let first = head.first().map(|l| crate::source::trim(l)).unwrap_or(b"");
    if first.starts_with(b"vasp.") {
        return Ok(Some(Format::Outcar));
    }
    if first.starts_with(b"<?xml") || first.starts_with(b"<modeling") {
        return Ok(Some(Format::Vasprun));
    }
    if first.starts_with(b"N ")
        || head.iter().any(|l| {
            let t = crate::source::trim_start(l);
            t.starts_with(b"DAV:") || t.starts_with(b"RMM:")
        })
    {
        return Ok(Some(Format::Oszicar));
    }
    Ok(None)
}

/// Name first, content second.
pub fn detect(path: &Path) -> Result<Option<Format>, ParseError> {
    if let Some(f) = from_name(path) {
        return Ok(Some(f));
    }
    from_content(path)
}
