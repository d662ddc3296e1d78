//! `dband`: the d-band descriptors of a DOS (`chepath dband`, `chepath.dband()`). A DOSCAR
//! is read atom by atom into a [`crate::dband::AtomStream`] (memory flat in the number of
//! atoms); a vasprun.xml, read whole, is analysed as it is.

use crate::dband::{Report, Settings};
use crate::error::Error;
use crate::load::DbandRequest;

/// The descriptors of the DOS `req` names: the same report, errors and warnings as
/// `load::dos::load_dos` then `dband::analyze_loaded`, without holding every atom's
/// projections.
pub fn descriptors(req: &DbandRequest, settings: Settings) -> Result<Report, Error> {
    use crate::load::dos::DosPlan;
    match crate::load::dos::plan_dos(req)? {
        DosPlan::Loaded(loaded) => Ok(crate::dband::analyze_loaded(&loaded, settings)?),
        DosPlan::Doscar(plan) => {
            let mut stream = crate::dband::AtomStream::new(settings, &plan.selection);
            let dos = plan.stream(&mut |d, a| stream.atom(d, a))?;
            let source = crate::dband::source_of(&plan.inputs, &dos);
            Ok(stream.finish(&dos, plan.elements.as_deref(), plan.selection, source)?)
        }
    }
}
