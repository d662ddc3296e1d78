//! Fuzz target `doscar`: the calls of `chepath::fuzzing::run("doscar", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| chepath::fuzzing::run("doscar", data));
