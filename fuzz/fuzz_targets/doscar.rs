//! DOSCAR reader: every atom, and one atom (the block-skipping path), with and without a
//! layout hint.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vasp_parsers::doscar::{parse_doscar, AtomFilter, LayoutHint};

fuzz_target!(|data: &[u8]| {
    let _ = parse_doscar(data, "fuzz/DOSCAR", LayoutHint::default(), &AtomFilter::All);
    let hint = LayoutHint {
        ispin: Some(2),
        noncollinear: Some(false),
        lorbit: Some(11),
    };
    let _ = parse_doscar(data, "fuzz/DOSCAR", hint, &AtomFilter::Only(vec![2]));
});
