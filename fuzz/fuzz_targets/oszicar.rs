//! Fuzz target `oszicar`: the calls of `chepath::fuzzing::run("oszicar", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = chepath::fuzzing::run("oszicar", data) {
        panic!("{e}");
    }
});
