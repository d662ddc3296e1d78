"""chepath.dos: NumPy arrays of the right shapes, holding the numbers of the DOSCAR as read by
hand here (header line 6: EMAX EMIN NEDOS EFERMI; then NEDOS rows of the total DOS; then one
block per atom, a header line and NEDOS rows)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

import chepath
from conftest import SAMPLES, corpus_glob

SAMPLE_DOSCARS = sorted(str(p.relative_to(SAMPLES)) for p in SAMPLES.glob("*/dos/DOSCAR.gz"))


def read_doscar(path: Path):
    """(emax, emin, nedos, efermi, total rows, [atom block rows]) read from the text."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt") as f:
        lines = f.read().splitlines()
    emax, emin, nedos, efermi = lines[5].split()[:4]
    nedos = int(nedos)
    rows = lambda a, b: np.array([[float(x) for x in line.split()] for line in lines[a:b]])
    total = rows(6, 6 + nedos)
    blocks = []
    k = 6 + nedos
    while k + nedos < len(lines) + 1 and k < len(lines) and lines[k].split()[:3] == lines[5].split()[:3]:
        blocks.append(rows(k + 1, k + 1 + nedos))
        k += nedos + 1
    return float(emax), float(emin), nedos, float(efermi), total, blocks


def trapezoid(y, x):
    f = getattr(np, "trapezoid", None) or getattr(np, "trapz")
    return f(y, x)


def check_arrays(path: Path, d: chepath.Dos):
    emax, emin, nedos, efermi, total, blocks = read_doscar(path)
    channels = (total.shape[1] - 1) // 2  # E, DOS per spin, integrated DOS per spin
    ncol = blocks[0].shape[1] - 1
    # shapes
    assert d["nedos"] == nedos
    assert d.energies.shape == (nedos,)
    assert d["channels"] == channels
    assert d.total.shape == (channels, nedos)
    assert len(d["columns"]) == ncol
    assert d.projections.shape == (len(d["atoms"]), ncol, nedos)
    for a in (d.energies, d.total, d.projections):
        assert a.dtype == np.float64 and a.flags.c_contiguous and a.flags.writeable
    # numbers: the grid, E-fermi, the total DOS (magnitudes: VASP may write -0.0 or a
    # negative spin-down density) and each selected atom's block
    assert d["efermi"] == efermi
    assert np.array_equal(d.energies, total[:, 0])
    assert d.energies[0] == pytest.approx(emin, abs=1e-3)
    assert d.energies[-1] == pytest.approx(emax, abs=1e-3)
    assert np.all(np.diff(d.energies) > 0)
    # (signs aside: chepath gives spin-down densities as magnitudes, as VASPKIT-style
    # readers, and VASP writes tiny negative smearing noise in either channel)
    assert np.array_equal(np.abs(d.total), np.abs(total[:, 1:1 + channels].T))
    assert len(blocks) == d["nions"]
    down = [k for k, c in enumerate(d["columns"]) if c["spin"] == "down"]
    for i, atom in enumerate(d["atoms"]):
        raw = blocks[atom - 1][:, 1:].T
        assert np.array_equal(np.abs(d.projections[i]), np.abs(raw)), atom
        assert np.all(d.projections[i, down, :] >= 0)
        up = [k for k in range(ncol) if k not in down]
        assert np.array_equal(d.projections[i, up, :][raw[up, :] > 0], raw[up, :][raw[up, :] > 0])


@pytest.mark.parametrize("rel", SAMPLE_DOSCARS)
def test_dos_arrays_are_the_sample_doscar(rel):
    path = SAMPLES / rel
    d = chepath.dos(path, atoms="all")
    assert isinstance(d, chepath.Dos) and isinstance(d, dict)
    check_arrays(path, d)
    assert d["atoms"] == list(range(1, d["nions"] + 1))
    assert d["channels"] == 2  # the samples are ISPIN=2 (README)
    assert [c["orbital"] for c in d["columns"]][:2] == ["s", "s"]
    assert {c["spin"] for c in d["columns"]} == {"up", "down"}


@pytest.mark.parametrize("rel", corpus_glob("DOSCAR*"))
def test_dos_arrays_are_the_corpus_doscar(corpus, reference, rel):
    path = corpus / rel
    d = chepath.dos(path, atoms="all")
    check_arrays(path, d)
    ref = reference[rel]["own_parser"]
    assert (d["nedos"], d["nions"], d["efermi"]) == (ref["nedos"], ref["nions"], ref["efermi"])
    assert d["channels"] == ref["ispin"]
    assert len(d["columns"]) == ref["n_orbital_columns"]


def test_dos_of_a_selection():
    d = chepath.dos(SAMPLES / "CuN4" / "dos", atoms="Cu@N4")
    assert len(d["atoms"]) == 1 and d["elements"] == ["Cu"]
    assert d.projections.shape == (1, 18, d["nedos"])
    full = chepath.dos(SAMPLES / "CuN4" / "dos", atoms="all")
    i = d["atoms"][0] - 1
    assert np.array_equal(d.projections[0], full.projections[i])
    assert full["elements"][i] == "Cu"
    # default: every transition metal (here the Cu atoms)
    tm = chepath.dos(SAMPLES / "CuN4" / "dos")
    assert set(tm["elements"]) == {"Cu"} and d["atoms"][0] in tm["atoms"]


@pytest.mark.parametrize("model", ["CuN4", "CuN4_Cu4", "CuN4_CuNP"])
def test_dband_centre_from_the_arrays_is_the_dband_result(model):
    """The first moment of the d columns of dos(), computed here with NumPy (trapezoid over
    the whole grid, E − E_F, spins summed), is the centre chepath.dband reports."""
    d = chepath.dos(SAMPLES / model / "dos", atoms="Cu@N4")
    e = d.energies - d["efermi"]
    dcols = [k for k, c in enumerate(d["columns"]) if c["l"] == 2]
    assert len(dcols) == 10  # 5 d orbitals x 2 spins
    rho = d.projections[0, dcols, :].sum(axis=0)
    centre = trapezoid(e * rho, e) / trapezoid(rho, e)
    b = chepath.dband(SAMPLES / model / "dos", atoms="Cu@N4")
    assert b["atoms"][0]["center"] == pytest.approx(centre, abs=1e-9)
    assert b["atoms"][0]["integral"] == pytest.approx(trapezoid(rho, e), rel=1e-9)


def test_dos_of_a_vasprun(corpus):
    path = corpus / "pymatgen/test-files/io/vasp/outputs/vasprun.xml.gz"
    d = chepath.dos(path, atoms="all")
    n = d["nedos"]
    assert d.energies.shape == (n,) and n > 100
    assert d.total.shape == (d["channels"], n)
    assert d.projections.shape == (d["nions"], len(d["columns"]), n)
    b = chepath.dband(path, atoms="all")
    assert b["efermi"] == d["efermi"]
