//! OUTCAR: the full streaming reader, and the tail reader on the same bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vasp_parsers::outcar::parse_outcar(data, "fuzz/OUTCAR");
});
