//! vasprun.xml reader, DOS included.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vasp_parsers::vasprun::{parse_vasprun, Options};

fuzz_target!(|data: &[u8]| {
    let _ = parse_vasprun(data, "fuzz/vasprun.xml", &Options { dos: true });
});
