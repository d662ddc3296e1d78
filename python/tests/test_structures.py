"""Structure records: to_ase() and to_pymatgen() against the record, and against ASE's and
pymatgen's own readers of the same file (skipped when ASE or pymatgen is not installed)."""

from __future__ import annotations

import numpy as np
import pytest

import chepath
from conftest import SAMPLES, corpus_files

SAMPLE_STRUCTURES = ["CuN4/NO3/CONTCAR", "CuN4_Cu4/slab/CONTCAR", "gas/H2O/CONTCAR", "CuN4/dos/CONTCAR"]


def _corpus_structures():
    files = corpus_files("STRUCTURE")
    return [f for f in files if not isinstance(f, str) or "POSCAR_example_1" not in f]


def test_structure_record_and_symbols():
    s = chepath.parse(SAMPLES / "CuN4" / "NO3" / "CONTCAR")
    assert isinstance(s, chepath.Structure)
    assert len(s.symbols) == s["natoms"] == sum(s["counts"]) == len(s["positions_cartesian"])
    assert s.symbols[:s["counts"][0]] == [s["species"][0]] * s["counts"][0]
    lattice = np.array(s["lattice"])
    assert abs(np.linalg.det(lattice)) == pytest.approx(s["volume"], rel=1e-12)


def test_a_directory_structure_is_a_structure():
    d = chepath.parse(SAMPLES / "CuN4" / "NO3")
    s = d["structure"]
    assert isinstance(s, chepath.Structure)
    assert s == chepath.parse(SAMPLES / "CuN4" / "NO3" / "CONTCAR")


def _check_ase(s, path, ase_io):
    a = s.to_ase()
    assert a.get_chemical_symbols() == s.symbols
    assert np.allclose(a.positions, s["positions_cartesian"], atol=1e-12)
    assert np.allclose(a.cell[:], s["lattice"], atol=1e-12)
    assert a.pbc.all()
    ref = ase_io.read(path, format="vasp")
    assert a.get_chemical_symbols() == ref.get_chemical_symbols()
    assert np.allclose(a.positions, ref.positions, atol=1e-9)
    assert np.allclose(a.cell[:], ref.cell[:], atol=1e-9)
    assert a.get_volume() == pytest.approx(ref.get_volume(), rel=1e-10)


def _check_pymatgen(s, path, vasp_io):
    p = s.to_pymatgen()
    assert [site.specie.symbol for site in p] == s.symbols
    assert np.allclose(p.cart_coords, s["positions_cartesian"], atol=1e-9)
    assert np.allclose(p.lattice.matrix, s["lattice"], atol=1e-12)
    assert p.volume == pytest.approx(s["volume"], rel=1e-10)
    ref = vasp_io.Poscar.from_file(str(path)).structure
    assert p.composition == ref.composition
    assert np.allclose(p.cart_coords, ref.cart_coords, atol=1e-9)
    assert np.allclose(p.lattice.matrix, ref.lattice.matrix, atol=1e-9)


@pytest.mark.parametrize("rel", SAMPLE_STRUCTURES)
def test_to_ase_is_ases_reading_of_the_sample(rel):
    ase_io = pytest.importorskip("ase.io")
    _check_ase(chepath.parse(SAMPLES / rel), SAMPLES / rel, ase_io)


@pytest.mark.parametrize("rel", SAMPLE_STRUCTURES)
def test_to_pymatgen_is_pymatgens_reading_of_the_sample(rel):
    vasp_io = pytest.importorskip("pymatgen.io.vasp")
    _check_pymatgen(chepath.parse(SAMPLES / rel), SAMPLES / rel, vasp_io)


@pytest.mark.parametrize("rel", _corpus_structures())
def test_to_ase_is_ases_reading_of_the_corpus(corpus, reference, rel):
    ase_io = pytest.importorskip("ase.io")
    if "ase" not in reference[rel]:
        pytest.skip(f"ASE cannot read this file: {reference[rel].get('ase_error')}")
    s = chepath.parse(corpus / rel)
    _check_ase(s, corpus / rel, ase_io)
    assert s.to_ase().get_volume() == pytest.approx(reference[rel]["ase"]["volume"], abs=1e-5)


@pytest.mark.parametrize("rel", _corpus_structures())
def test_to_pymatgen_is_pymatgens_reading_of_the_corpus(corpus, reference, rel):
    vasp_io = pytest.importorskip("pymatgen.io.vasp")
    s = chepath.parse(corpus / rel)
    _check_pymatgen(s, corpus / rel, vasp_io)
    assert s.to_pymatgen().composition.formula == reference[rel]["pymatgen"]["formula"]


def test_to_ase_of_a_vasp4_poscar_with_species_from(corpus):
    ase_io = pytest.importorskip("ase.io")
    d = corpus / "ase_testdata/ase/test/testdata/vasp"
    a = chepath.parse(d / "POSCAR_example_1", species_from=d / "OUTCAR_example_1").to_ase()
    assert a.get_chemical_formula() == "Ni18"
    ref = ase_io.read(d / "OUTCAR_example_1", format="vasp-out", index=0)
    assert np.allclose(a.cell[:], ref.cell[:], atol=1e-6)


def test_to_ase_keeps_selective_dynamics(corpus):
    ase_io = pytest.importorskip("ase.io")
    p = corpus / "tosykie_FeNi_OER/OER/O-covered/Ni(111)/slab/scf-backup/CONTCAR"
    s = chepath.parse(p)
    assert s["selective_dynamics"] is not None
    assert len(s.to_ase().constraints) == len(ase_io.read(p, format="vasp").constraints) == 1


def test_to_pymatgen_keeps_selective_dynamics(corpus):
    vasp_io = pytest.importorskip("pymatgen.io.vasp")
    p = corpus / "tosykie_FeNi_OER/OER/O-covered/Ni(111)/slab/scf-backup/CONTCAR"
    s = chepath.parse(p)
    ref = vasp_io.Poscar.from_file(str(p)).structure
    assert "selective_dynamics" in ref.site_properties
    assert "selective_dynamics" in s.to_pymatgen().site_properties
