//! Fuzz target `network`: the calls of `chepath::fuzzing::run("network", …)`, with the
//! loader's parallel reads on the fuzzer's own thread (`deterministic_threads`), so that the
//! coverage libFuzzer sees depends on the input, not on thread timing.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: {
        if let Err(e) = chepath::fuzzing::deterministic_threads() {
            panic!("{e}");
        }
    },
    |data: &[u8]| {
        if let Err(e) = chepath::fuzzing::run("network", data) {
            panic!("{e}");
        }
    }
);
