//! Fuzz target `oszicar`: the calls of `chepath::fuzzing::run("oszicar", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| chepath::fuzzing::run("oszicar", data));
