//! POSCAR/CONTCAR reader, with and without supplied species (VASP 4 files).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vasp_parsers::poscar::parse_poscar(data, "fuzz/POSCAR", None);
    let species = vec!["Cu".to_string(), "N".to_string(), "C".to_string()];
    let _ = vasp_parsers::poscar::parse_poscar(data, "fuzz/POSCAR", Some(&species));
});
