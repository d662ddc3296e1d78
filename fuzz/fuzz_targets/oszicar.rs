//! OSZICAR reader.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vasp_parsers::oszicar::parse_oszicar(data, "fuzz/OSZICAR");
});
