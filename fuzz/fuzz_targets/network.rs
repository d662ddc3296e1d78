//! Fuzz target `network`: the calls of `chepath::fuzzing::run("network", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = chepath::fuzzing::run("network", data) {
        panic!("{e}");
    }
});
