"""The Python package on the real-VASP corpus (../shared/vasp-corpus): every file chepath parse
reads against the CLI's JSON (or the CLI's error), and numbers against REFERENCE.json, which
holds values computed without chepath (plain regexes, pymatgen, ASE)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

import chepath
from conftest import corpus_files, corpus_glob, harmonic_correction

PARSED_TYPES = ("OUTCAR", "OSZICAR", "STRUCTURE", "vasprun")

# exit code of the CLI -> the exception Python must raise
CLASS_OF_EXIT = {2: (chepath.UsageError,), 3: (chepath.ReadError,), 4: (chepath.FormatError, chepath.InputError)}


def _text(path: Path) -> str:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", errors="replace") as f:
            return f.read()
    return path.read_text(errors="replace")


def assert_same_outcome(cli, fn, args, cli_args):
    """Python's fn(*args) gives the CLI's JSON, or raises the CLI's error (class by exit
    code, same message, same exit code)."""
    import json

    code, out, err = cli(*cli_args)
    if code == 0:
        assert fn(*args[0], **args[1]) == json.loads(out)
        return None
    with pytest.raises(chepath.ChepathError) as info:
        fn(*args[0], **args[1])
    e = info.value
    assert isinstance(e, CLASS_OF_EXIT[code]), (code, type(e), str(e))
    assert e.exit_code == code
    assert err.strip() == f"error: {e}"
    return e


# --- parse: every file -----------------------------------------------------------------------


@pytest.mark.parametrize("rel", corpus_files(*PARSED_TYPES))
def test_parse_is_the_cli_json(corpus, cli, rel):
    path = corpus / rel
    e = assert_same_outcome(cli, chepath.parse, ((path,), {}), ("parse", path, "--json"))
    if e is not None and isinstance(e, chepath.FormatError):
        assert e.file == str(path)


@pytest.mark.parametrize("rel", corpus_files("OUTCAR"))
def test_parse_final_is_the_cli_final(corpus, cli, rel):
    path = corpus / rel
    assert_same_outcome(cli, chepath.parse, ((path,), {"final_only": True}), ("parse", path, "--json", "--final"))


def _corpus_dirs():
    files = corpus_files(*PARSED_TYPES)
    if files and not isinstance(files[0], str):
        return files
    return sorted({str(Path(f).parent) for f in files})


@pytest.mark.parametrize("rel", _corpus_dirs())
def test_parse_directory_is_the_cli_json(corpus, cli, rel):
    path = corpus / rel
    assert_same_outcome(cli, chepath.parse, ((path,), {}), ("parse", path, "--json"))


def test_vasp4_poscar_with_species_from_is_the_cli_json(corpus, cli_json):
    d = corpus / "ase_testdata/ase/test/testdata/vasp"
    py = chepath.parse(d / "POSCAR_example_1", species_from=d / "OUTCAR_example_1")
    assert py == cli_json("parse", d / "POSCAR_example_1", "--species-from", d / "OUTCAR_example_1", "--json")
    assert py["species"] == ["Ni"] and py["counts"] == [18] and py["species_source"] == "supplied"


def test_vasp4_poscar_without_species_is_a_format_error_with_the_line(corpus):
    p = corpus / "ase_testdata/ase/test/testdata/vasp/POSCAR_example_1"
    with pytest.raises(chepath.FormatError) as info:
        chepath.parse(p)
    e = info.value
    lines = p.read_text().splitlines()
    assert e.line == 6 and lines[5].split() == ["18"]  # counts where the species should be
    assert e.file == str(p) and e.exit_code == 4
    assert "--species-from" in e.hint


# --- parse: numbers against the independent reference ----------------------------------------

_TOTEN = re.compile(r"^\s*free  energy   TOTEN\s*=\s*(\S+)\s*eV", re.M)
_SUMMARY = re.compile(r"^\s*energy  without entropy=\s*(\S+)\s+energy\(sigma->0\) =\s*(\S+)", re.M)


@pytest.mark.parametrize("rel", corpus_files("OUTCAR"))
def test_outcar_numbers_are_the_reference(corpus, reference, rel):
    ref = reference[rel]
    raw = ref["raw"]
    o = chepath.parse(corpus / rel)
    last = o["last_energy"]
    if raw["last_free_energy_TOTEN"] is None:
        assert o["ionic_steps"] == 0 and not o["steps"]
    else:
        assert last["toten"] == pytest.approx(raw["last_free_energy_TOTEN"], abs=1e-8)
        assert o["ionic_steps"] == raw["n_toten"]
    assert o["efermi"] == (None if raw["last_efermi"] is None else pytest.approx(raw["last_efermi"], abs=1e-8))
    if raw.get("NIONS"):
        assert o["nions"] == int(raw["NIONS"])
    if raw["species"]:
        assert o["species"] == raw["species"]
        assert o["ions_per_type"] == raw["ions_per_type"]
    assert o["electronic_converged"] == raw["last_scf_converged"]
    if "pymatgen" in ref and last:
        assert last["toten"] == pytest.approx(ref["pymatgen"]["final_fr_energy(TOTEN)"], abs=1e-8)


@pytest.mark.parametrize("rel", corpus_files("OUTCAR"))
def test_outcar_steps_are_the_summary_lines_read_by_hand(corpus, rel):
    """Every ionic step: TOTEN and the 'energy  without entropy= … energy(sigma->0) =' line
    below it; 'complete' is the 'General timing' line."""
    text = _text(corpus / rel)
    totens = [float(x) for x in _TOTEN.findall(text)]
    summaries = [(float(a), float(b)) for a, b in _SUMMARY.findall(text)]
    o = chepath.parse(corpus / rel)
    assert [s["toten"] for s in o["steps"]] == totens
    assert [(s["no_entropy"], s["sigma0"]) for s in o["steps"]] == summaries
    if o["steps"]:
        assert o["last_energy"]["sigma0"] == summaries[-1][1]
    assert o["complete"] == ("General timing" in text)


def test_crashed_outcar_uses_the_last_complete_step_and_says_so(corpus, reference):
    # the reference's regex (and pymatgen) take the sigma0 of the SCF lines of the crashed,
    # unfinished step; chepath takes the last complete ionic step and warns
    rel = "pymatgen/test-files/io/vasp/outputs/OUTCAR.electrostaticerror.gz"
    o = chepath.parse(corpus / rel)
    assert o["complete"] is False
    assert o["last_energy"]["toten"] == reference[rel]["raw"]["last_free_energy_TOTEN"]
    assert o["last_energy"]["sigma0"] != reference[rel]["raw"]["last_energy_sigma0"]
    assert any("after the last complete ionic step were not used" in w for w in o["warnings"])
    assert any("NUL" in w for w in o["warnings"])


@pytest.mark.parametrize("rel", corpus_files("OSZICAR"))
def test_oszicar_numbers_are_pymatgens(corpus, reference, rel):
    ref = reference[rel]["pymatgen"]
    o = chepath.parse(corpus / rel)
    assert o["kind"] == "oszicar"
    assert o["last_energy"]["e0"] == pytest.approx(ref["final_energy(E0)"], abs=1e-8)
    assert o["last_energy"]["f"] == pytest.approx(ref["final_F"], abs=1e-8)
    assert o["ionic_steps"] == ref["n_ionic_steps"]


def _formula(species, counts):
    tot = {}
    for s, n in zip(species, counts):
        tot[s] = tot.get(s, 0) + n
    return tot


def _pmg_formula(text):
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"([A-Z][a-z]?)(\d+)", text)}


@pytest.mark.parametrize("rel", corpus_files("STRUCTURE"))
def test_structure_numbers_are_pymatgens(corpus, reference, rel):
    ref = reference[rel]["pymatgen"]
    try:
        s = chepath.parse(corpus / rel)
    except chepath.FormatError:
        assert "ase_error" in reference[rel]  # the VASP 4 POSCAR: no species (ASE fails too)
        return
    assert isinstance(s, chepath.Structure)
    assert s["natoms"] == ref["natoms"] == len(s["positions_cartesian"])
    assert s["volume"] == pytest.approx(ref["volume"], abs=1e-5)
    assert _formula(s["species"], s["counts"]) == _pmg_formula(ref["formula"])
    assert (s["selective_dynamics"] is not None) == ref["selective_dynamics"]
    if s["selective_dynamics"] is not None:
        assert len(s["selective_dynamics"]) == s["natoms"]


@pytest.mark.parametrize("rel", corpus_files("vasprun"))
def test_vasprun_numbers_are_pymatgens(corpus, reference, rel):
    ref = reference[rel]["pymatgen"]
    v = chepath.parse(corpus / rel)
    assert v["kind"] == "vasprun"
    assert v["nions"] == ref["natoms"]
    assert v["ionic_steps"] == ref["n_ionic_steps"]
    assert _formula(v["species"], v["ions_per_type"]) == _pmg_formula(ref["formula"])
    if v["is_frequency_run"]:
        # chepath: the first <calculation> (the undisplaced structure); pymatgen the last
        assert v["frequencies_cm1"] == pytest.approx(ref["normalmode_freq_cm1"], abs=1e-6)
        assert v["structure_energy"]["step"] == 1
    else:
        assert v["structure_energy"]["sigma0"] == pytest.approx(ref["final_energy"], abs=1e-7)


def test_vasprun_efermi_is_pymatgens(corpus, reference):
    rel = "pymatgen/test-files/io/vasp/outputs/vasprun.xml.gz"
    v = chepath.parse(corpus / rel)
    assert v["efermi"] == pytest.approx(reference[rel]["pymatgen"]["efermi"], abs=1e-7)


# --- dband on the corpus DOSCARs and vasprun.xml ---------------------------------------------

DBAND_VARIANTS = [
    [],
    ["--atoms", "all"],
    ["--atoms", "1-3", "--spin", "up", "--window", "vaspkit"],
    ["--atoms", "1", "--orbital", "p", "--window=-5:3"],
]


def _kw(args):
    kw = {}
    for a in args:
        if a.startswith("--window="):
            kw["window"] = a.split("=", 1)[1]
    for flag, value in zip(args[::2], args[1::2]):
        if flag.startswith("--") and "=" not in flag:
            kw[flag[2:]] = value
    return kw


@pytest.mark.parametrize("args", DBAND_VARIANTS, ids=[" ".join(a) or "default" for a in DBAND_VARIANTS])
@pytest.mark.parametrize("rel", corpus_glob("DOSCAR*"))
def test_dband_doscar_is_the_cli_json(corpus, cli, rel, args):
    path = corpus / rel
    assert_same_outcome(cli, chepath.dband, ((path,), _kw(args)), ("dband", path, "--json", *args))


@pytest.mark.parametrize("rel", [
    "pymatgen/test-files/io/vasp/outputs/vasprun.xml.gz",
    "tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/zpe-backup/vasprun.xml.gz",
    "custodian/tests/files/lobster/vasp_lobster_output/vasprun.xml",
])
def test_dband_vasprun_is_the_cli_json(corpus, cli, rel):
    path = corpus / rel
    assert_same_outcome(cli, chepath.dband, ((path,), {}), ("dband", path, "--json"))
    assert_same_outcome(cli, chepath.dband, ((path,), {"atoms": "all", "spin": "mean"}),
                        ("dband", path, "--json", "--atoms", "all", "--spin", "mean"))


@pytest.mark.parametrize("rel", corpus_files("DOSCAR"))
def test_dband_doscar_moments_are_the_reference(corpus, reference, rel):
    """Per atom, per spin: centre, width and filling over the full grid and the centre over
    [-10, 5] eV, as REFERENCE.json computed them with pymatgen's algorithm in NumPy."""
    op = reference[rel]["own_parser"]
    per = {int(k.split("_")[0]) + 1: v for k, v in op["d_band_per_atom"].items()}
    per = {i: v for i, v in per.items() if v.get("spin_none", 0) is not None}
    if not per:  # a DOSCAR without d states (Si): chepath says so
        d = chepath.dband(corpus / rel, atoms="1")
        assert d["atoms"][0]["no_states"] and d["warnings"]
        return
    sel = ",".join(map(str, sorted(per)))
    spins = [("sum", None)] + ([("up", "up"), ("down", "down")] if op["ispin"] == 2 else [])
    for spin, key in spins:
        full = chepath.dband(corpus / rel, atoms=sel, spin=spin)
        window = chepath.dband(corpus / rel, atoms=sel, spin=spin, window="vaspkit")
        assert full["efermi"] == pytest.approx(op["efermi"], abs=1e-9)
        assert [a["index"] for a in full["atoms"]] == sorted(per)
        for a, w in zip(full["atoms"], window["atoms"]):
            r = per[a["index"]]
            r = r[key] if key else r.get("spin_none(up+down)", r.get("spin_none"))
            assert a["center"] == pytest.approx(r["center"], abs=1e-9), (spin, a["index"])
            assert a["width"] == pytest.approx(r["width"], abs=1e-9)
            assert a["filling"] == pytest.approx(r["filling"], abs=1e-9)
            assert a["integral"] == pytest.approx(r["integral"], rel=1e-9)
            assert w["center"] == pytest.approx(r["center_window_-10_5"], abs=1e-9)
    for element, r in (op.get("d_band_per_element") or {}).items():
        d = chepath.dband(corpus / rel, atoms=element)
        r = r.get("spin_none(up+down)", r.get("spin_none"))
        assert d["pooled"]["center"] == pytest.approx(r["center"], abs=1e-9)
        assert d["pooled"]["integral"] == pytest.approx(r["integral"], rel=1e-9)


@pytest.mark.parametrize("rel", corpus_files("vasprun"))
def test_dband_vasprun_moments_are_pymatgens(corpus, reference, rel):
    sites = reference[rel]["pymatgen"].get("d_band_sites")
    if not sites:
        pytest.skip("no d-band sites in the reference for this file")
    d = chepath.dband(corpus / rel, atoms=",".join(str(int(k.split("_")[0]) + 1) for k in sites))
    assert d["efermi"] == pytest.approx(reference[rel]["pymatgen"]["efermi"], abs=1e-9)
    for a in d["atoms"]:
        r = sites[f"{a['index'] - 1}_{a['element']}"]
        assert a["center"] == pytest.approx(r["band_center"], abs=1e-9)
        assert a["filling"] == pytest.approx(r["band_filling"], abs=1e-9)
        assert a["width"] == pytest.approx(r["band_width"], abs=1e-9)


# --- thermo, pathway, rank, scan on the corpus ------------------------------------------------


def _freq_runs():
    files = corpus_files("OUTCAR")
    if files and not isinstance(files[0], str):
        return files
    return [f for f in files if "zpe-backup" in f or "lepsilon" in f or "total_tensor" in f]


@pytest.mark.parametrize("rel", _freq_runs())
def test_thermo_of_frequency_runs(corpus, reference, cli_json, rel):
    ref = {c["file"]: c for c in reference["_comparisons"]["outcar_freq"]}[rel]
    t = chepath.thermo(corpus / rel)
    assert t == cli_json("thermo", corpus / rel, "--json")
    assert t["zpe"] == pytest.approx(ref["zpe_eV_first_block"], rel=1e-8)
    assert len(t["frequencies_cm1"]) == ref["ase_n_real"]
    assert len(t["dropped_imaginary_cm1"]) == ref["ase_n_imag"]
    ase = reference[rel].get("ase", {})
    if ase.get("read_vib_freq_real_cm1"):
        assert sorted(t["frequencies_cm1"], reverse=True) == pytest.approx(
            sorted(ase["read_vib_freq_real_cm1"], reverse=True), rel=1e-6, abs=1e-3)


@pytest.fixture
def corpus_network(corpus, tmp_path):
    """examples/networks/ni111_oer_corpus.toml with its corpus paths made absolute (so it
    reads the corpus wherever CHEPATH_CORPUS puts it)."""
    from conftest import ROOT

    text = (ROOT / "examples" / "networks" / "ni111_oer_corpus.toml").read_text()
    text = text.replace("../../../shared/vasp-corpus", corpus.as_posix())
    p = tmp_path / "ni111_oer.toml"
    p.write_text(text)
    return p


def test_pathway_on_the_corpus_is_the_cli_json(corpus_network, cli_json):
    for args, kw in [([], {}), (["--U=1.23", "--pH=14"], {"U": 1.23, "pH": 14})]:
        py = chepath.pathway(corpus_network, **kw)
        assert py == cli_json("pathway", corpus_network, "--json", *args)
        assert [m["name"] for m in py["models"]] == ["Ni(111), 1/4 ML O"]
        assert py["network"]["name"] == "oer"


def test_rank_and_lint_on_the_corpus_are_the_cli_json(corpus_network, cli_json):
    r = chepath.rank(corpus_network)
    assert r == cli_json("rank", corpus_network, "--format", "json")
    assert "GENERATED SAMPLE DATA" not in str(r)
    assert chepath.lint(corpus_network) == cli_json("lint", corpus_network, "--json")


def test_pathway_free_energies_are_built_from_independent_values(corpus_network, reference):
    """Rebuild every ΔG of the OER path from values chepath did not compute: E(sigma->0) of
    each single point (the reference's regex), the harmonic ZPE + ∫Cv dT − TS of ASE's
    frequencies of each frequency run (textbook formula), and the network's tabulated H2,
    H2O and O2; (H+ + e-) = 1/2 H2 at U = 0 V vs RHE."""
    base = "tosykie_FeNi_OER/OER/O-covered/Ni(111)"
    g = {}
    for state, d in {"*": "slab", "*O": "O", "*OH": "OH", "*OOH": "OOH"}.items():
        e = reference[f"{base}/{d}/scf-backup/OUTCAR"]["raw"]["last_energy_sigma0"]
        freqs = reference[f"{base}/{d}/zpe-backup/OUTCAR"]["ase"]["read_vib_freq_real_cm1"]
        g[state] = e + harmonic_correction(freqs, 298.15)
    h2, h2o, o2 = -6.77 + 0.27 - 0.41, -14.22 + 0.56 - 0.67, -9.92
    expected = {
        ("H2O(l)", "*OH"): g["*OH"] + h2 / 2 - g["*"] - h2o,
        ("*OH", "*O"): g["*O"] + h2 / 2 - g["*OH"],
        ("*O", "*OOH"): g["*OOH"] + h2 / 2 - g["*O"] - h2o,
        ("*OOH", "O2(g)"): g["*"] + o2 + h2 / 2 - g["*OOH"],
    }
    p = chepath.pathway(corpus_network)
    m = p["models"][0]
    for state, src in m["sources"].items():
        if state in g:
            assert src["g"] == pytest.approx(g[state], abs=1e-5), state
    steps = m["paths"][m["best_path"]]["steps"]
    assert {(s["from"], s["to"]) for s in steps} == set(expected)
    for s in steps:
        assert s["dG"] == pytest.approx(expected[(s["from"], s["to"])], abs=1e-5), s
    # oxidation: U_L is the largest step
    assert m["limiting_potential"] == pytest.approx(max(expected.values()), abs=1e-5)


@pytest.mark.parametrize("full", [False, True], ids=["quick", "full"])
def test_scan_of_the_corpus_is_the_cli_json_lines(corpus, reference, cli_lines, full):
    py = chepath.scan(corpus, full=full)
    assert py["records"] == cli_lines("scan", corpus, "--json-lines", *(["--full"] if full else []))
    assert len(py["records"]) >= 20
    by_path = {r["path"]: r for r in py["records"]}
    # an independent value: the scf-backup single point's E(sigma->0) from the reference regex
    rel = "tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/scf-backup"
    assert by_path[str(corpus / rel)]["energy_sigma0"] == pytest.approx(
        reference[rel + "/OUTCAR"]["raw"]["last_energy_sigma0"], abs=1e-8)
