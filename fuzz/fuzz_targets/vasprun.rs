//! Fuzz target `vasprun`: the calls of `chepath::fuzzing::run("vasprun", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = chepath::fuzzing::run("vasprun", data) {
        panic!("{e}");
    }
});
