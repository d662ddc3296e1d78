//! Fuzz target `outcar`: the calls of `chepath::fuzzing::run("outcar", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = chepath::fuzzing::run("outcar", data) {
        panic!("{e}");
    }
});
