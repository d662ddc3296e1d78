//! Fuzz target `outcar`: the calls of `chepath::fuzzing::run("outcar", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| chepath::fuzzing::run("outcar", data));
