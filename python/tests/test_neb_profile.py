"""The NEB energy profile of ``chepath.barrier(NEB_DIR)["profile"]`` against ASE's NEBTools and
``fit_images`` on the same files: a five-image NEB tree written here from a corpus relaxation
(a 70-atom Ni(111)+OH slab), each image a copy of its OUTCAR whose last ionic step has its own
energy and two atoms moved (one across the cell's boundary) with chosen forces, and a CONTCAR
of the same positions (wrapped into the cell, as VASP writes it). ASE reads the OUTCARs
(positions, forces, E0), chepath the CONTCARs for the path and the OUTCARs for the forces:
the reaction coordinate, the tangent forces, the spline's samples and its maximum must agree."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import chepath

SLAB = "tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/opt-backup4"
REL_E = [0.0, 0.25, 0.62, 0.48, -0.15]
# per image: the displacement of atom 3 (a Ni 0.03 of the cell from its a-face: it crosses
# it between images 01 and 02) along −a, and of atom 69 (the H), Å
NI, H = 3, 69
H_STEP = np.array([0.2, 0.1, -0.05])
H_FORCES = [[0.01, 0.0, 0.0], [-0.9, -0.4, 0.1], [-0.6, -0.3, 0.05], [0.8, 0.5, -0.1], [0.02, 0.01, 0.0]]


def _cell(contcar: Path) -> np.ndarray:
    lines = contcar.read_text().splitlines()
    scale = float(lines[1].split()[0])
    return scale * np.array([[float(x) for x in lines[i].split()[:3]] for i in (2, 3, 4)])


def _neb_tree(corpus: Path, root: Path) -> np.ndarray:
    """Write images 00 … 04 under root; return the cell."""
    src = (corpus / SLAB / "OUTCAR").read_text().splitlines()
    head = (corpus / SLAB / "CONTCAR").read_text().splitlines()
    cell = _cell(corpus / SLAB / "CONTCAR")
    last = max(i for i, l in enumerate(src) if l.strip().startswith("POSITION"))
    rows = [l.split() for l in src[last + 2 : last + 2 + 70]]
    assert all(len(r) == 6 for r in rows)
    pos0 = np.array([[float(x) for x in r[:3]] for r in rows])
    frc0 = np.array([[float(x) for x in r[3:]] for r in rows])
    e_line = max(i for i, l in enumerate(src) if l.startswith("  energy  without entropy="))
    f_line = max(i for i, l in enumerate(src) if l.startswith("  free  energy   TOTEN  ="))
    e0 = float(src[e_line].split("=")[-1])
    inv = np.linalg.inv(cell)
    for k in range(5):
        pos, frc = pos0.copy(), frc0.copy()
        pos[NI] -= 0.02 * k * cell[0]
        pos[H] += k * H_STEP
        frc[NI] = [-0.1 * k, 0.0, 0.0]
        frc[H] = H_FORCES[k]
        text = list(src)
        for i, (p, f) in enumerate(zip(pos, frc)):
            text[last + 2 + i] = "%13.5f%13.5f%13.5f   %14.6f%14.6f%14.6f" % (*p, *f)
        e = e0 + REL_E[k]
        text[f_line] = "  free  energy   TOTEN  = %18.8f eV" % e
        text[e_line] = "  energy  without entropy= %18.8f  energy(sigma->0) = %18.8f" % (e, e)
        d = root / f"{k:02d}"
        d.mkdir(parents=True)
        (d / "OUTCAR").write_text("\n".join(text) + "\n")
        # the CONTCAR: the same (printed, 5-decimal) positions, wrapped into the cell
        printed = np.array([[float(x) for x in text[last + 2 + i].split()[:3]] for i in range(70)])
        frac = (printed @ inv) % 1.0
        body = "\n".join("  %.12f  %.12f  %.12f" % tuple(f) for f in frac)
        (d / "CONTCAR").write_text("\n".join(head[:7]) + "\nDirect\n" + body + "\n")
    return cell


@pytest.fixture()
def neb(corpus, tmp_path) -> Path:
    root = tmp_path / "neb"
    _neb_tree(corpus, root)
    # the wrapped atom really jumps in the CONTCARs (the minimum image is needed)
    f1 = [float((root / f"{k:02d}" / "CONTCAR").read_text().splitlines()[8 + NI].split()[0]) for k in (1, 2)]
    assert f1[1] - f1[0] > 0.5, f1
    return root


def _ase_images(root: Path):
    import ase.io

    return [ase.io.read(root / f"{k:02d}" / "OUTCAR", format="vasp-out") for k in range(5)]


def test_the_profile_matches_ase_fit_images(neb):
    from ase.mep import NEBTools
    from ase.utils.forcecurve import fit_images

    p = chepath.barrier(neb)["profile"]
    images = _ase_images(neb)
    fit = fit_images(images)
    # reaction coordinate: ASE's cumulative |Δ| with find_mic on the OUTCARs' positions
    assert p["coordinate_unit"] == "Å"
    np.testing.assert_allclose(p["coordinate"], fit.path, atol=1e-6)
    # tangent forces: ASE's slopes are −F·τ̂ (its tangent lines through each image)
    slopes = [(y[-1] - y[0]) / (x[-1] - x[0]) for x, y in fit.lines]
    np.testing.assert_allclose(p["tangent_force"], [-s for s in slopes], atol=1e-6)
    assert p["force_source"] == "projected"
    # the spline: the same cubic per segment, sampled where ASE samples it
    np.testing.assert_allclose(p["energy"], fit.energies, atol=1e-8)
    np.testing.assert_allclose(p["spline_coordinate"], fit.fit_path, atol=1e-6)
    np.testing.assert_allclose(p["spline_energy"], fit.fit_energies, atol=1e-6)
    # its maximum: ASE's cubics recovered from its 20 samples a segment, evaluated densely
    best = -np.inf
    for s in range(4):
        x = np.asarray(fit.fit_path[20 * s : 20 * s + 20])
        y = np.asarray(fit.fit_energies[20 * s : 20 * s + 20])
        c = np.polyfit(x - x[0], y, 3)
        xs = np.linspace(0.0, fit.path[s + 1] - fit.path[s], 20001)
        best = max(best, float(np.polyval(c, xs).max()))
    assert p["spline_max"] == pytest.approx(best, abs=1e-5)
    # NEBTools' barrier is the largest of those samples: never above the exact maximum
    ase_barrier, ase_de = NEBTools(images).get_barrier(fit=True)
    assert ase_barrier <= p["spline_max"] + 1e-9
    assert p["spline_max"] - ase_barrier < 5e-3
    assert p["spline_max"] > max(REL_E) + 1e-3, "the highest image's force points uphill"
    assert p["spline_reverse"] == pytest.approx(p["spline_max"] - REL_E[-1], abs=1e-9)
    raw, _ = NEBTools(images).get_barrier(fit=False)
    r = chepath.barrier(neb)
    assert r["forward_barrier"] == pytest.approx(raw, abs=1e-6)
    assert r["reaction_energy"] == pytest.approx(ase_de, abs=1e-6)


def test_plot_writes_the_figure_and_keeps_existing_files(neb, tmp_path):
    svg = tmp_path / "profile.svg"
    r = chepath.barrier(neb, plot=svg)
    text = svg.read_text()
    assert text.startswith("<svg")
    assert f"forward barrier {r['forward_barrier']:.3f} eV" in text
    assert "spline maximum" in text and "reaction coordinate (Å)" in text
    svg.write_text("mine")
    with pytest.raises(chepath.ChepathError) as e:
        chepath.barrier(neb, plot=svg)
    assert "exists" in str(e.value) and e.value.exit_code == 3
    assert svg.read_text() == "mine"
    chepath.barrier(neb, plot=svg, force=True)
    assert svg.read_text().startswith("<svg")
    with pytest.raises(chepath.UsageError):
        chepath.barrier(neb, plot=tmp_path / "profile.pdf")
    assert not (tmp_path / "profile.pdf").exists()


def test_the_cli_and_python_agree(neb, cli_json):
    assert cli_json("barrier", neb, "--json")["profile"] == chepath.barrier(neb)["profile"]
