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
/// species `fallback` finds (called only then). The file is streamed (nothing of it is held
/// but the structure): a VASP 4 file is read a second time, with the species found.
pub fn read_structure_with(
    path: &Path,
    supplied: Option<(Vec<String>, PathBuf)>,
    fallback: impl FnOnce() -> Option<(Vec<String>, PathBuf)>,
) -> Result<(Poscar, Option<PathBuf>), ParseError> {
    let name = path.display().to_string();
    let too_large = || {
        ParseError::format(
            &name,
            None,
            format!(
                "a POSCAR/CONTCAR of at most {} MiB",
                MAX_STRUCTURE_BYTES >> 20
            ),
            "a larger file",
            "this is not a structure file, or name the right one",
        )
    };
    // a plain file is refused by its size, before anything is read
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > MAX_STRUCTURE_BYTES)
        && !gzip(path)
    {
        return Err(too_large());
    }
    let parse = |species: Option<&[String]>| {
        let reader = Bounded {
            inner: vasp_parsers::source::open(path)?,
            left: MAX_STRUCTURE_BYTES,
        };
        let p = vasp_parsers::poscar::parse_poscar(reader, &name, species);
        match p {
            Err(e) if e.found.contains(BOUNDED) => Err(too_large()),
            p => p,
        }
    };
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

/// Whether the file at `path` starts with the gzip magic bytes.
fn gzip(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|_| magic == [0x1f, 0x8b])
}

/// The read error of a [`Bounded`] reader past its limit.
const BOUNDED: &str = "more than the size limit of a structure file";

/// A reader that fails once more than `left` bytes were read (a decompressed stream has no
/// size to check up front).
struct Bounded<R> {
    inner: R,
    left: u64,
}

impl<R: std::io::Read> std::io::Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                BOUNDED,
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}
