//! `dband`: the d-band descriptors of a DOS (`chepath dband`, `chepath.dband()`). A DOSCAR
//! is read atom by atom into a [`crate::dband::AtomStream`] (memory flat in the number of
//! atoms); a vasprun.xml, read whole, is analysed as it is. With a PDOS figure, a large
//! selection is drawn pooled from the same stream.

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

/// The PDOS figure of a DOS with its descriptors. A DOSCAR selection of more atoms than the
/// figure draws one by one (four) is streamed and drawn pooled from the stream's sum, so
/// memory stays flat; a small selection or a vasprun.xml is read whole.
pub fn with_figure(
    req: &DbandRequest,
    settings: Settings,
    xlim: Option<(f64, f64)>,
) -> Result<(Report, crate::output::plot::PdosPlot), Error> {
    use crate::load::dos::DosPlan;
    use crate::output::figures;
    match crate::load::dos::plan_dos(req)? {
        DosPlan::Doscar(plan) if plan.selection.indices.len() > figures::PDOS_PER_ATOM => {
            let mut stream = crate::dband::AtomStream::new(settings, &plan.selection);
            let dos = plan.stream(&mut |d, a| stream.atom(d, a))?;
            let pooled = stream.pooled().map(|(e, d)| (e.to_vec(), d.clone()));
            let source = crate::dband::source_of(&plan.inputs, &dos);
            let report = stream.finish(&dos, plan.elements.as_deref(), plan.selection, source)?;
            let (e, d) = pooled.ok_or_else(|| Error::input("no selected atom's DOS was read"))?;
            let fig = figures::pdos_figure_pooled(e, &report, d, xlim);
            Ok((report, fig))
        }
        _ => {
            let loaded = crate::load::dos::load_dos(req)?;
            let report = crate::dband::analyze_loaded(&loaded, settings)?;
            let fig = figures::pdos_figure(&loaded.dos, &report, xlim)?;
            Ok((report, fig))
        }
    }
}
