//! vasprun.xml: streamed with quick-xml, keeping only what is reported.
//!
//! Read: generator version; `<incar>` and `<parameters>` values; the element of every atom
//! (`<atominfo>`); the initial and final structures; the energies of every ionic step (the
//! `<energy>` block directly inside each `<calculation>`: `e_fr_energy` = F,
//! `e_wo_entrp` = E, `e_0_energy` = E0); E-fermi, total and projected DOS of the last
//! `<dos>`; the eigenvalues of `<dynmat>` (IBRION 5–8). The band `<eigenvalues>` and the
//! `<projected>` arrays, which make most of a large file, are skipped without being kept.

use crate::doscar::{AtomDos, Column, Doscar, Layout, Spin, SpinLayout};
use crate::error::ParseError;
use crate::numbers::parse_f64;
use quick_xml::events::{BytesStart, Event};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{BufReader, Read};
use std::path::Path;

/// What to read besides energies, structures and modes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read the `<dos>` block (total and projected).
    pub dos: bool,
}

/// A structure from vasprun.xml.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct XmlStructure {
    /// Lattice vectors as rows, Å.
    pub lattice: [[f64; 3]; 3],
    /// Fractional positions.
    pub positions_direct: Vec<[f64; 3]>,
}

impl XmlStructure {
    pub fn positions_cartesian(&self) -> Vec<[f64; 3]> {
        let l = &self.lattice;
        self.positions_direct
            .iter()
            .map(|f| {
                let mut c = [0.0; 3];
                for (j, cj) in c.iter_mut().enumerate() {
                    *cj = f[0] * l[0][j] + f[1] * l[1][j] + f[2] * l[2][j];
                }
                c
            })
            .collect()
    }
}

/// Energies of one `<calculation>` (ionic step), eV.
///
/// VASP 5 writes a wrong `e_0_energy` in the `<energy>` block of each `<calculation>` (0, or
/// the entropy term). `e_0_energy` here is the step's `e_fr_energy` plus (E0 − F) of its last
/// SCF step (`<scstep>`), which also keeps corrections such as DFT-D3 that the SCF energies
/// leave out; pymatgen's `Vasprun.final_energy` does the same. The block's own value is
/// kept in `block_e_0_energy` and used when the two agree to 1e-7 eV.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct XmlEnergy {
    pub e_fr_energy: Option<f64>,
    pub e_wo_entrp: Option<f64>,
    /// E(sigma->0) of this ionic step (see the type's doc).
    pub e_0_energy: Option<f64>,
    /// `e_0_energy` as written in the `<calculation>` energy block (wrong in VASP 5).
    pub block_e_0_energy: Option<f64>,
}

/// Everything chepath reads from a vasprun.xml.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Vasprun {
    pub version: Option<String>,
    pub incar: BTreeMap<String, String>,
    /// `<parameters>`: every value VASP used, defaults included.
    pub parameters: BTreeMap<String, String>,
    /// Element of every atom.
    pub atoms: Vec<String>,
    pub initial_structure: Option<XmlStructure>,
    pub final_structure: Option<XmlStructure>,
    pub ionic_steps: Vec<XmlEnergy>,
    pub efermi: Option<f64>,
    pub dos: Option<Doscar>,
    /// Eigenvalues of the mass-weighted Hessian of `<dynmat>` (eV/Å²/amu; negative = real mode).
    pub dynmat_eigenvalues: Vec<f64>,
    /// `</modeling>` was reached.
    pub complete: bool,
    pub warnings: Vec<String>,
}

/// √(eV/Å²/amu) in THz (without 2π), as phonopy and pymatgen use.
pub const VASP_TO_THZ: f64 = 15.633302;
/// 1 THz in cm⁻¹.
pub const THZ_TO_CM1: f64 = 33.35641;

impl Vasprun {
    /// Normal-mode frequencies in cm⁻¹ from the dynmat eigenvalues, largest first; imaginary
    /// modes (positive eigenvalues) as negative numbers.
    pub fn normal_mode_frequencies_cm1(&self) -> Vec<f64> {
        let mut f: Vec<f64> = self
            .dynmat_eigenvalues
            .iter()
            .map(|e| if *e > 0.0 { -1.0 } else { 1.0 } * e.abs().sqrt() * VASP_TO_THZ * THZ_TO_CM1)
            .collect();
        f.sort_by(|a, b| b.total_cmp(a));
        f
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.parameters
            .get(name)
            .or_else(|| self.incar.get(name))
            .map(|s| s.trim())
    }
}

/// Read a vasprun.xml (plain or gzip).
pub fn read_vasprun(path: &Path, opts: &Options) -> Result<Vasprun, ParseError> {
    let r = crate::source::open(path)?;
    parse_vasprun(r, &path.display().to_string(), opts)
}

#[derive(Debug, Clone)]
struct Tag {
    name: Vec<u8>,
    attr_name: Option<String>,
    comment: Option<String>,
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.try_get_attribute(key)
        .ok()
        .flatten()
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

fn numbers(s: &str) -> Result<Vec<f64>, String> {
    s.split_ascii_whitespace()
        .map(|f| parse_f64(f.as_bytes()).map_err(|_| format!("'{f}' is not a number")))
        .collect()
}

#[derive(Default)]
struct DosAcc {
    total: Vec<Vec<Vec<f64>>>,
    partial_fields: Vec<String>,
    partial: Vec<Vec<Vec<Vec<f64>>>>,
}

/// Read a vasprun.xml from any reader.
pub fn parse_vasprun<S: Read>(
    reader: S,
    name: &str,
    opts: &Options,
) -> Result<Vasprun, ParseError> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::with_capacity(1 << 18, reader));
    xml.config_mut().trim_text(true);
    let mut out = Vasprun::default();
    let mut stack: Vec<Tag> = Vec::new();
    let mut buf = Vec::new();
    let mut skip = Vec::new();
    let mut text = String::new();
    let mut structure = XmlStructure::default();
    let mut calc_energy = XmlEnergy::default();
    let mut dos = DosAcc::default();
    let mut seen_root = false;
    let mut rc_col = 0usize;
    let mut last_sc: (Option<f64>, Option<f64>) = (None, None);
    let mut basis_row = 0usize;
    let err = |xml: &quick_xml::Reader<BufReader<S>>, found: String| {
        ParseError::format(
            name,
            None,
            "well-formed vasprun.xml",
            format!("{found} near byte {}", xml.buffer_position()),
            "the file is cut or corrupt; VASP writes vasprun.xml as it runs, so a crashed run leaves it unfinished",
        )
    };
    loop {
        buf.clear();
        let ev = match xml.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                if seen_root && !out.ionic_steps.is_empty() {
                    out.warnings.push(format!(
                        "{name}: the XML breaks off near byte {} ({e}): the file is cut; results cover what came before",
                        xml.buffer_position()
                    ));
                    break;
                }
                return Err(err(&xml, e.to_string()));
            }
        };
        match ev {
            Event::Start(e) => {
                let tag = e.name().as_ref().to_vec();
                if !seen_root {
                    if tag != b"modeling" {
                        return Err(err(
                            &xml,
                            format!("a first element <{}>", String::from_utf8_lossy(&tag)),
                        ));
                    }
                    seen_root = true;
                }
                let in_calc = || stack.iter().any(|t| t.name == b"calculation");
                let name_attr = if tag == b"varray" || tag == b"structure" || tag == b"i" {
                    attr(&e, b"name")
                } else {
                    None
                };
                // Subtrees nothing here reads: skipped without building events for their
                // content. Per-step structures, forces and stresses are most of a long
                // run's vasprun.xml; only the named initial/final structures are kept.
                let big = tag == b"eigenvalues" && in_calc()
                    || tag == b"projected"
                    || tag == b"projected_kpoints_opt"
                    || tag == b"eigenvalues_kpoints_opt"
                    || (tag == b"dos" && !opts.dos)
                    || (tag == b"structure" && name_attr.is_none() && in_calc())
                    || (tag == b"varray"
                        && matches!(
                            name_attr.as_deref(),
                            Some("eigenvectors" | "forces" | "stress")
                        ));
                if big {
                    skip.clear();
                    if let Err(e) = xml.read_to_end_into(e.name(), &mut skip) {
                        out.warnings.push(format!(
                            "{name}: the file breaks off inside <{}> ({e}): it is cut",
                            String::from_utf8_lossy(&tag)
                        ));
                        break;
                    }
                    continue;
                }
                if tag == b"structure" {
                    structure = XmlStructure::default();
                }
                if tag == b"calculation" {
                    calc_energy = XmlEnergy::default();
                }
                if tag == b"dos" {
                    // Keep the last <dos> only (relaxations may write one per step).
                    dos = DosAcc::default();
                }
                text.clear();
                let comment = if tag == b"set" {
                    attr(&e, b"comment")
                } else {
                    None
                };
                let attr_name = if name_attr.is_some() {
                    name_attr
                } else if tag == b"varray" || tag == b"structure" || tag == b"i" {
                    None
                } else {
                    attr(&e, b"name")
                };
                stack.push(Tag {
                    name: tag,
                    attr_name,
                    comment,
                });
            }
            Event::Empty(_) => {}
            Event::Text(t) => {
                if let Ok(s) = t.unescape() {
                    text.push_str(&s);
                }
            }
            Event::End(_) => {
                let Some(tag) = stack.pop() else { continue };
                let parent = stack.last().map(|t| t.name.as_slice()).unwrap_or(b"");
                let within = |n: &[u8]| stack.iter().any(|t| t.name == n);
                let within_named = |n: &[u8], a: &str| {
                    stack
                        .iter()
                        .any(|t| t.name == n && t.attr_name.as_deref() == Some(a))
                };
                match tag.name.as_slice() {
                    b"i" => {
                        let v = text.trim().to_string();
                        let key = tag.attr_name.clone().unwrap_or_default();
                        if within(b"generator") && key == "version" {
                            out.version = Some(v);
                        } else if parent == b"incar" {
                            out.incar.insert(key, v);
                        } else if within(b"parameters") {
                            out.parameters.insert(key, v);
                        } else if parent == b"energy"
                            && stack.len() >= 2
                            && stack[stack.len() - 2].name == b"calculation"
                        {
                            let x = parse_f64(v.as_bytes()).ok();
                            match key.as_str() {
                                "e_fr_energy" => calc_energy.e_fr_energy = x,
                                "e_wo_entrp" => calc_energy.e_wo_entrp = x,
                                "e_0_energy" => calc_energy.block_e_0_energy = x,
                                _ => {}
                            }
                        } else if parent == b"energy"
                            && stack.len() >= 2
                            && stack[stack.len() - 2].name == b"scstep"
                        {
                            let x = parse_f64(v.as_bytes()).ok();
                            match key.as_str() {
                                "e_0_energy" => last_sc.1 = x,
                                "e_fr_energy" => last_sc.0 = x,
                                _ => {}
                            }
                        } else if parent == b"dos" && key == "efermi" {
                            out.efermi = parse_f64(v.as_bytes()).ok();
                        }
                    }
                    // the first <c> of each <rc> of the atoms array is the element
                    b"c" if within_named(b"array", "atoms") && within(b"atominfo") => {
                        if rc_col == 0 {
                            out.atoms.push(v_trim(&text));
                        }
                        rc_col += 1;
                    }
                    b"rc" => rc_col = 0,
                    b"v" => {
                        let key = tag.attr_name.as_deref();
                        if within(b"dynmat") && key == Some("eigenvalues") {
                            out.dynmat_eigenvalues = numbers(&text).map_err(|e| err(&xml, e))?;
                        } else if within(b"structure")
                            && (within_named(b"varray", "basis")
                                || within_named(b"varray", "positions"))
                        {
                            let v = numbers(&text).map_err(|e| err(&xml, e))?;
                            if v.len() >= 3 {
                                let row = [v[0], v[1], v[2]];
                                if within_named(b"varray", "basis") && within(b"crystal") {
                                    let k = basis_row;
                                    if k < 3 {
                                        structure.lattice[k] = row;
                                    }
                                    basis_row += 1;
                                } else if within_named(b"varray", "positions") {
                                    structure.positions_direct.push(row);
                                }
                            }
                        }
                    }
                    b"crystal" => basis_row = 0,
                    b"structure" => {
                        let s = std::mem::take(&mut structure);
                        match tag.attr_name.as_deref() {
                            Some("initialpos") => out.initial_structure = Some(s),
                            Some("finalpos") => out.final_structure = Some(s),
                            _ => {}
                        }
                    }
                    b"calculation" => {
                        // E0 = F of the step + (E0 - F) of its last SCF iteration: keeps the
                        // corrections (vdW) only the step's F includes, and replaces the
                        // e_0_energy that VASP 5 writes wrongly in the step's energy block.
                        let fixed = match (calc_energy.e_fr_energy, last_sc) {
                            (Some(f), (Some(sf), Some(s0))) => Some(f + (s0 - sf)),
                            _ => None,
                        };
                        calc_energy.e_0_energy = match (calc_energy.block_e_0_energy, fixed) {
                            (Some(b), Some(x)) if (b - x).abs() <= 1e-7 => Some(b),
                            (b, x) => x.or(b),
                        };
                        out.ionic_steps.push(calc_energy);
                        last_sc = (None, None);
                    }
                    b"field" if within(b"partial") => {
                        dos.partial_fields.push(text.trim().to_string())
                    }
                    b"r" if within(b"dos") => {
                        let row = numbers(&text).map_err(|e| err(&xml, e))?;
                        // set nesting: total → [spin]; partial → [ion][spin]
                        let sets: Vec<&Tag> = stack.iter().filter(|t| t.name == b"set").collect();
                        let idx = |t: &Tag| -> usize {
                            t.comment
                                .as_deref()
                                .and_then(|c| c.split_whitespace().last())
                                .and_then(|n| n.parse::<usize>().ok())
                                .unwrap_or(1)
                                .saturating_sub(1)
                        };
                        // Set indices come from `comment="ion N"` / `"spin N"`: bounded, so a
                        // damaged comment cannot make the reader allocate without end.
                        let bad_set = sets.iter().any(|t| idx(t) >= 1 << 20)
                            || (sets.len() >= 2 && idx(sets[sets.len() - 1]) >= 4);
                        if bad_set {
                            return Err(err(
                                &xml,
                                "a <set comment=\"ion N\"/\"spin N\"> index out of range in <dos>"
                                    .into(),
                            ));
                        }
                        if within(b"total") && sets.len() >= 2 {
                            let s = idx(sets[sets.len() - 1]);
                            while dos.total.len() <= s {
                                dos.total.push(Vec::new());
                            }
                            dos.total[s].push(row);
                        } else if within(b"partial") && sets.len() >= 3 {
                            let ion = idx(sets[sets.len() - 2]);
                            let s = idx(sets[sets.len() - 1]);
                            while dos.partial.len() <= ion {
                                dos.partial.push(Vec::new());
                            }
                            while dos.partial[ion].len() <= s {
                                dos.partial[ion].push(Vec::new());
                            }
                            dos.partial[ion][s].push(row);
                        }
                    }
                    b"modeling" => out.complete = true,
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(ParseError::format(
            name,
            None,
            "a vasprun.xml (<modeling> root element)",
            "no XML elements",
            "check that this is a vasprun.xml",
        ));
    }
    if !out.complete {
        out.warnings.push(format!(
            "{name}: no closing </modeling>: the run did not finish or the file is cut"
        ));
    }
    if opts.dos && !dos.total.is_empty() {
        out.dos = Some(assemble_dos(dos, &out, name)?);
    }
    Ok(out)
}

fn v_trim(s: &str) -> String {
    s.trim().to_string()
}

/// Build the same record a DOSCAR gives from the XML arrays.
fn assemble_dos(acc: DosAcc, v: &Vasprun, name: &str) -> Result<Doscar, ParseError> {
    let bad = |m: String| {
        ParseError::format(
            name,
            None,
            "a consistent <dos> block",
            m,
            "the file is corrupt",
        )
    };
    let nspin = acc.total.len();
    let first = &acc.total[0];
    let nedos = first.len();
    let energies: Vec<f64> = first
        .iter()
        .map(|r| r.first().copied().unwrap_or(f64::NAN))
        .collect();
    let mut total = Vec::new();
    let mut integ = Vec::new();
    let total_spins = if nspin == 2 { 2 } else { 1 };
    for s in 0..total_spins {
        let rows = &acc.total[s];
        if rows.len() != nedos || rows.iter().any(|r| r.len() < 3) {
            return Err(bad(format!(
                "total DOS of spin {} has {} rows of unequal length",
                s + 1,
                rows.len()
            )));
        }
        total.push(rows.iter().map(|r| r[1].abs()).collect());
        integ.push(rows.iter().map(|r| r[2].abs()).collect());
    }
    let spins: Vec<Spin> = match acc.partial.first().map(|p| p.len()).unwrap_or(nspin) {
        1 => vec![Spin::Total],
        2 => vec![Spin::Up, Spin::Down],
        4 => vec![Spin::Total, Spin::Mx, Spin::My, Spin::Mz],
        n => return Err(bad(format!("{n} spin components"))),
    };
    // vasprun.xml names the d(x²−y²) orbital `x2-y2`; DOSCAR order and pymatgen call it `dx2`.
    let orbitals: Vec<String> = acc
        .partial_fields
        .iter()
        .filter(|f| f.as_str() != "energy")
        .map(|f| {
            if f == "x2-y2" {
                "dx2".to_string()
            } else {
                f.clone()
            }
        })
        .collect();
    let l_of = |o: &str| -> u8 {
        match o.chars().next() {
            Some('s') => 0,
            Some('p') => 1,
            Some('d') => 2,
            Some('f') => 3,
            _ => 9,
        }
    };
    let mut columns = Vec::new();
    for o in &orbitals {
        for s in &spins {
            columns.push(Column {
                orbital: o.clone(),
                l: l_of(o),
                spin: *s,
            });
        }
    }
    let mut atoms = Vec::new();
    for (ion, per_spin) in acc.partial.iter().enumerate() {
        let mut values = vec![Vec::with_capacity(crate::source::capacity(nedos)); columns.len()];
        for (oi, _) in orbitals.iter().enumerate() {
            for (si, _) in spins.iter().enumerate() {
                let rows = per_spin
                    .get(si)
                    .ok_or_else(|| bad(format!("ion {} lacks spin {}", ion + 1, si + 1)))?;
                if rows.len() != nedos {
                    return Err(bad(format!(
                        "ion {} spin {} has {} rows, not {nedos}",
                        ion + 1,
                        si + 1,
                        rows.len()
                    )));
                }
                let col = oi * spins.len() + si;
                for r in rows {
                    let x = r
                        .get(oi + 1)
                        .copied()
                        .ok_or_else(|| bad(format!("ion {} has a short row", ion + 1)))?;
                    values[col].push(x);
                }
            }
        }
        crate::doscar::normalise_down(&columns, &mut values);
        atoms.push(AtomDos {
            index: ion + 1,
            values,
        });
    }
    let lm = orbitals.iter().any(|o| o.len() > 1);
    let has_f = orbitals.iter().any(|o| o.starts_with('f'));
    let spin = match spins.len() {
        1 => SpinLayout::None,
        2 => SpinLayout::Collinear,
        _ => SpinLayout::Noncollinear,
    };
    let layout = (!atoms.is_empty()).then(|| Layout {
        spin,
        lm_resolved: lm,
        has_f,
        description: format!(
            "vasprun.xml: {} ({}), {}",
            if lm { "lm-resolved" } else { "s p d" },
            orbitals.join(" "),
            spin.describe()
        ),
        columns,
    });
    let efermi = v.efermi.unwrap_or(f64::NAN);
    Ok(Doscar {
        nions: if atoms.is_empty() {
            v.atoms.len()
        } else {
            atoms.len()
        },
        system: String::new(),
        emax: energies.last().copied().unwrap_or(f64::NAN),
        emin: energies.first().copied().unwrap_or(f64::NAN),
        nedos,
        efermi,
        energies,
        total,
        total_integrated: integ,
        pdos_blocks: atoms.len(),
        layout,
        atoms,
        warnings: Vec::new(),
    })
}
