//! Structure files (POSCAR/CONTCAR), with species for VASP 4 files from the OUTCAR or POTCAR
//! of the run: chepath never guesses species.

use super::files::CalcFiles;
use std::path::{Path, PathBuf};
use vasp_parsers::detect::Format;
use vasp_parsers::{ParseError, Poscar};

/// Species for a VASP 4 structure file: from the OUTCAR beside it, else the POTCAR.
/// Returns the species and the file they came from.
pub fn species_beside(dir: &Path) -> Option<(Vec<String>, PathBuf)> {
    let files = CalcFiles::find(dir);
    if let Some(o) = &files.outcar {
        // The POTCAR titles are in the OUTCAR's header: nothing after it is read.
        if let Ok(h) = vasp_parsers::outcar::read_outcar_header(o) {
            if !h.species.is_empty() {
                return Some((h.species, o.clone()));
            }
        }
    }
    if let Some(p) = &files.potcar {
        if let Ok(t) = vasp_parsers::potcar::read_titles(p) {
            return Some((vasp_parsers::potcar::species_from_titles(&t), p.clone()));
        }
    }
    None
}

/// The species listed by an OUTCAR (its header's POTCAR titles) or a POTCAR.
pub fn species_from_file(f: &Path) -> Result<Vec<String>, ParseError> {
    // An OUTCAR's header holds the POTCAR titles: nothing after it is read.
    if vasp_parsers::detect::detect(f)? == Some(Format::Outcar) {
        Ok(vasp_parsers::outcar::read_outcar_header(f)?.species)
    } else {
        Ok(vasp_parsers::potcar::species_from_titles(
            &vasp_parsers::potcar::read_titles(f)?,
        ))
    }
}

/// Read a POSCAR/CONTCAR; for a VASP 4 file, species come from `species_file` (an OUTCAR or
/// POTCAR) or, without one, from the OUTCAR/POTCAR beside it. Returns the structure and the
/// file its species came from, when they were supplied.
pub fn read_structure(
    path: &Path,
    species_file: Option<&Path>,
) -> Result<(Poscar, Option<PathBuf>), ParseError> {
    let supplied = match species_file {
        Some(f) => Some((species_from_file(f)?, f.to_path_buf())),
        None => None,
    };
    read_structure_with(path, supplied, || {
        species_beside(path.parent().unwrap_or(Path::new(".")))
    })
}

/// Structure files larger than this are refused (a POSCAR of a million atoms is ~60 MB).
pub const MAX_STRUCTURE_BYTES: u64 = 256 << 20;

/// Read a POSCAR/CONTCAR with `supplied` species, or, for a VASP 4 file without them, the
/// species `fallback` finds (called only then). The file is opened once: a VASP 4 file is
/// parsed a second time from memory.
pub fn read_structure_with(
    path: &Path,
    supplied: Option<(Vec<String>, PathBuf)>,
    fallback: impl FnOnce() -> Option<(Vec<String>, PathBuf)>,
) -> Result<(Poscar, Option<PathBuf>), ParseError> {
    use std::io::Read;
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    // A read error (a cut gzip stream) is replayed after the bytes that came before it, so
    // the parser reports it exactly as when it reads the file itself.
    let failure = match vasp_parsers::source::open(path)?
        .take(MAX_STRUCTURE_BYTES + 1)
        .read_to_end(&mut bytes)
    {
        Ok(_) => None,
        Err(e) => Some((e.kind(), e.to_string())),
    };
    if bytes.len() as u64 > MAX_STRUCTURE_BYTES {
        return Err(ParseError::format(
            &name,
            None,
            format!(
                "a POSCAR/CONTCAR of at most {} MiB",
                MAX_STRUCTURE_BYTES >> 20
            ),
            "a larger file",
            "this is not a structure file, or name the right one",
        ));
    }
    let replay = || Replay {
        bytes: std::io::Cursor::new(bytes.as_slice()),
        failure: failure.clone(),
    };
    let parse =
        |species: Option<&[String]>| vasp_parsers::poscar::parse_poscar(replay(), &name, species);
    match parse(supplied.as_ref().map(|(s, _)| s.as_slice())) {
        Ok(p) => {
            let from = match p.species_source {
                vasp_parsers::poscar::SpeciesSource::Supplied => supplied.map(|(_, f)| f),
                _ => None,
            };
            Ok((p, from))
        }
        Err(e) if supplied.is_none() && e.expected.contains("species line") => match fallback() {
            Some((sp, from)) => Ok((parse(Some(&sp))?, Some(from))),
            None => Err(e),
        },
        Err(e) => Err(e),
    }
}

/// Bytes read earlier, then the read error that stopped them (if any).
struct Replay<'a> {
    bytes: std::io::Cursor<&'a [u8]>,
    failure: Option<(std::io::ErrorKind, String)>,
}

impl std::io::Read for Replay<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.bytes.read(buf)?;
        if n == 0 {
            if let Some((kind, msg)) = self.failure.take() {
                return Err(std::io::Error::new(kind, msg));
            }
        }
        Ok(n)
    }
}
