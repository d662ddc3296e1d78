//! Reaction networks run under the computational hydrogen electrode: the free energy of
//! every species from the dataset ([`energies`]; references derived from atoms or reactions
//! in [`references`]), then the engine ([`che`]): ΔG of every step at U and pH, paths,
//! limiting potentials, PDS, closure, HER competition.

pub mod che;
pub mod energies;
pub mod references;

pub use che::Report;

use crate::error::Error;
use crate::load::Dataset;
use crate::network::NetworkFile;

/// A network file on its dataset at `u` and `pH` (the file's own where `None`).
pub fn run(
    file: &NetworkFile,
    data: &Dataset,
    u: Option<f64>,
    ph: Option<f64>,
) -> Result<Report, Error> {
    let run = || -> Result<Report, Error> {
        let (net, conv) = file.resolve(u, ph)?;
        let free = energies::resolve(file, &net, &conv, data)?;
        let notice = file.notice.as_deref();
        let mut report = che::run_checked(&net, &conv, &free, notice, &file.plausibility)?;
        report.layout = file.placed.clone();
        Ok(report)
    };
    run().map_err(|e| file.place(e))
}
