//! Fuzz target `doscar`: the calls of `chepath::fuzzing::run("doscar", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = chepath::fuzzing::run("doscar", data) {
        panic!("{e}");
    }
});
