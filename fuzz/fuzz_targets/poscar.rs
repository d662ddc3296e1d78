//! Fuzz target `poscar`: the calls of `chepath::fuzzing::run("poscar", …)`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = chepath::fuzzing::run("poscar", data) {
        panic!("{e}");
    }
});
