//! The loader: the only part of the library that reads files (with `parsers/` below it).
//!
//! [`load`] turns a network file, or a calculation tree in directory mode ([`tree`]), into a
//! [`Loaded`] network and its [`Dataset`]: every calculation the run needs, each file read
//! once, with the file and line of every number. The science above (`dband`, `pathway`,
//! `checks`) takes the dataset and never touches the file system.
//!
//! - [`files`]: which VASP files a directory holds (by name; nothing opened)
//! - [`structure`]: POSCAR/CONTCAR with VASP 4 species from the OUTCAR or POTCAR
//! - [`dataset`]: the calculations of a network, read once; the energy source of a
//!   calculation ([`Calc::energy`]) and its frequencies
//! - [`facts`]: what a calculation says about itself (parameters, POTCARs, k-points,
//!   convergence), from its OUTCAR, vasprun.xml or input files
//! - [`dos`]: the DOS of a d-band analysis with its selection
//! - [`layout`]: a tree's directories placed onto models and states (`[layout]` patterns,
//!   the layouts directory mode tries)
//! - [`models_csv`]: a CSV of models' states instead of `[models]`
//! - [`tree`]: directory mode (a tidy tree is a network without writing a file)
//! - [`barrier`]: the IS/TS/FS or NEB images of a barrier, with their frequency runs
//! - [`summary`]: one calculation directory as `chepath parse DIR` reports it
//! - [`scan`]: every calculation under a tree, in parallel, resumable

pub mod barrier;
pub mod dataset;
pub mod dos;
pub mod facts;
pub mod files;
pub mod layout;
pub mod models_csv;
pub mod scan;
pub mod structure;
pub mod summary;
pub mod tree;

pub use dataset::{Calc, Dataset, Energy, Frequencies, Role, ENERGY_SOURCES};
pub use dos::{DbandRequest, DosInputs, LoadedDos};
pub use facts::{FactSource, Facts};
pub use files::CalcFiles;

use crate::error::Error;
use crate::network::NetworkFile;
use std::path::{Path, PathBuf};
use vasp_parsers::ParseError;

/// Network, expected-values and other text files larger than this are refused.
pub const MAX_TEXT_BYTES: u64 = 64 << 20;

/// A network with every calculation it names read.
#[derive(Debug)]
pub struct Loaded {
    /// The network file, or the one directory mode built from the tree.
    pub file: NetworkFile,
    /// The directory the network's paths are relative to.
    pub base: PathBuf,
    pub dataset: Dataset,
}

/// Read a text file whole (UTF-8), refusing files above [`MAX_TEXT_BYTES`].
pub fn read_text(path: &Path) -> Result<String, Error> {
    use std::io::Read;
    if let Ok(m) = std::fs::metadata(path) {
        if !m.is_file() {
            return Err(Error::Parse(ParseError {
                kind: vasp_parsers::ErrorKind::Io,
                file: path.display().to_string(),
                line: None,
                expected: "a regular file".into(),
                found: if m.is_dir() {
                    "a directory".into()
                } else {
                    "a FIFO, device or socket".into()
                },
                hint: "name the network or expected-values file itself".into(),
            }));
        }
    }
    let too_large = || {
        Error::input(format!(
            "{}: larger than {} MiB: not a network or expected-values file",
            path.display(),
            MAX_TEXT_BYTES >> 20
        ))
    };
    let f = std::fs::File::open(path).map_err(|e| ParseError::io(path, &e))?;
    // refused by its size before anything is read
    if f.metadata().is_ok_and(|m| m.len() > MAX_TEXT_BYTES) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    f.take(MAX_TEXT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ParseError::io(path, &e))?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::Parse(ParseError::format(
            &path.display().to_string(),
            None,
            "UTF-8 text",
            format!(
                "a byte that is not UTF-8 at offset {}",
                e.utf8_error().valid_up_to()
            ),
            "save the file as UTF-8",
        ))
    })
}

/// A network file, or a calculation tree in directory mode, with the directory its paths
/// are relative to. `template` replaces the file's template. Nothing but the network file
/// is read.
pub fn network(path: &Path, template: Option<&str>) -> Result<(NetworkFile, PathBuf), Error> {
    if path.is_dir() {
        let file = tree::from_tree(path, template)?;
        return Ok((file, path.to_path_buf()));
    }
    let text = read_text(path)?;
    let mut file =
        crate::network::parse(&text, &path.display().to_string()).map_err(Error::Input)?;
    if let Some(t) = template {
        file.network.template = Some(t.to_string());
    }
    if let Some(csv) = file.models_csv.clone() {
        let base = files::dir_of(path);
        for (model, table) in models_csv::read(&files::join(&base, &csv))? {
            file.models.entry(model).or_insert(table);
        }
    }
    if file.layout.is_some() {
        let base = files::dir_of(path);
        let placed = tree::place_tree(&base, &file, &[])
            .map_err(|e| e.context(&path.display().to_string()))?;
        tree::merge(&mut file, placed);
    }
    let base = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((file, base))
}

/// The network at `path` (file or tree) and every calculation it names, read once, with the
/// DOS of its `[dband]` entries.
pub fn load(path: &Path, template: Option<&str>) -> Result<Loaded, Error> {
    load_with(path, template, true)
}

/// [`load`], reading the DOS files of `[dband]` only when `dos` (commands that need no d-band
/// descriptor skip them; the DOS runs' OUTCARs are read either way, for the linter).
pub fn load_with(path: &Path, template: Option<&str>, dos: bool) -> Result<Loaded, Error> {
    let (file, base) = network(path, template)?;
    let dataset = if dos {
        Dataset::for_network(&file, &base)
    } else {
        Dataset::read(&base, &Dataset::references(&file))
    };
    Ok(Loaded {
        file,
        base,
        dataset,
    })
}

/// The frequencies of a frequency run (an OUTCAR or vasprun.xml, or its directory).
pub fn frequencies(path: &Path) -> Result<Frequencies, Error> {
    if !path.exists() {
        return Err(files::not_found(path).into());
    }
    dataset::read_one(path, Role::Freq).frequencies()
}
