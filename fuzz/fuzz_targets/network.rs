//! Network files: TOML parsing, validation, balancing and the CHE engine on the result
//! (values given as G or energies; calc paths point into an empty directory and must fail
//! cleanly).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = chepath::network::parse(text, "fuzz/network.toml") else {
        return;
    };
    let base = std::env::temp_dir().join("chepath-fuzz-empty");
    let _ = chepath::che::run(&file, &base, None, None);
});
