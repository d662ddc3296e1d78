"""The Python package on the bundled (generated) samples, against the CLI's JSON, and against
the numbers the samples were generated to reproduce (sample_outputs/vasp/README.md)."""

from __future__ import annotations

import math

import pytest

import chepath
from conftest import SAMPLES

NETWORK = SAMPLES / "network.toml"


def test_rank_is_the_cli_json(cli_json):
    py = chepath.rank(SAMPLES)
    assert py.to_dict() == cli_json("rank", SAMPLES, "--format", "json")
    assert [r["model"] for r in py.records] == ["CuN4_Cu4", "CuN4_CuNP", "CuN4"]


def test_rank_prints_a_dataframe_labelled_generated():
    text = str(chepath.rank(SAMPLES))
    assert "GENERATED SAMPLE DATA" in text
    df = chepath.rank(SAMPLES).to_frame()
    assert list(df.index) == ["CuN4_Cu4", "CuN4_CuNP", "CuN4"]
    assert "limiting_potential" in df.columns and "dband_center" in df.columns


# --- parse ------------------------------------------------------------------------------------

PARSE_FILES = [
    "CuN4/NO3/OUTCAR",
    "CuN4/NO3/CONTCAR",
    "CuN4/NO3/freq/OUTCAR.gz",
    "CuN4/dos/OUTCAR",
    "CuN4_Cu4/slab/OUTCAR",
    "gas/H2O/OUTCAR",
    "gas/H2/freq/OUTCAR.gz",
]


@pytest.mark.parametrize("rel", PARSE_FILES)
def test_parse_file_is_the_cli_json(cli_json, rel):
    path = SAMPLES / rel
    py = chepath.parse(path)
    assert isinstance(py, dict)
    assert py == cli_json("parse", path, "--json")
    assert py["file"] == str(path)


@pytest.mark.parametrize("rel", [r for r in PARSE_FILES if "OUTCAR" in r])
def test_parse_final_only_is_the_cli_final(cli_json, rel):
    path = SAMPLES / rel
    assert chepath.parse(path, final_only=True) == cli_json("parse", path, "--json", "--final")


@pytest.mark.parametrize("rel", ["CuN4/NO3", "CuN4/NO3/freq", "CuN4/dos", "gas/H2O/freq", "CuN4_CuNP/slab"])
def test_parse_directory_is_the_cli_json(cli_json, rel):
    path = SAMPLES / rel
    py = chepath.parse(path)
    assert py == cli_json("parse", path, "--json")
    assert py["kind"] == "calculation"
    assert isinstance(py["structure"], chepath.Structure)


def test_parse_format_override_is_the_cli_format(cli_json):
    path = SAMPLES / "CuN4" / "NO3" / "CONTCAR"
    assert chepath.parse(path, format="poscar") == cli_json("parse", path, "--json", "--format", "poscar")
    out = SAMPLES / "CuN4" / "NO3" / "OUTCAR"
    assert chepath.parse(out, format="outcar") == cli_json("parse", out, "--json", "--format", "outcar")


def test_parse_kinds_and_classes():
    s = chepath.parse(SAMPLES / "CuN4" / "NO3" / "CONTCAR")
    assert isinstance(s, chepath.Structure) and s["kind"] == "structure"
    o = chepath.parse(SAMPLES / "CuN4" / "NO3" / "OUTCAR")
    assert type(o) is chepath.Result and o["kind"] == "outcar"
    assert o.to_dict() == o and type(o.to_dict()) is dict
    assert o["schema_version"] == chepath.SCHEMA_VERSION


def test_parse_frequency_run_takes_the_first_step():
    # the docs: the energy of a frequency run is its first ionic step (the others displaced)
    o = chepath.parse(SAMPLES / "CuN4" / "NO3" / "freq" / "OUTCAR.gz")
    assert o["is_frequency_run"] is True
    assert o["structure_energy"]["sigma0"] == o["steps"][0]["sigma0"]
    assert len(o["frequencies_cm1"]) > 0


# --- dband ------------------------------------------------------------------------------------

DBAND_ARGS = [
    ("CuN4/dos", []),
    ("CuN4/dos", ["--atoms", "Cu@N4"]),
    ("CuN4_Cu4/dos", ["--atoms", "Cu", "--window", "vaspkit", "--spin", "mean"]),
    ("CuN4_CuNP/dos", ["--atoms", "1-4", "--window", "-8:2", "--spin", "up", "--orbital", "dz2"]),
    ("CuN4/dos", ["--atoms", "Cu@N4", "--cutoff", "2.2", "--spin", "down", "--orbital", "p"]),
    ("CuN4/dos/DOSCAR.gz", ["--atoms", "all", "--structure", str(SAMPLES / "CuN4" / "dos" / "CONTCAR")]),
]


def _dband_kwargs(args):
    names = {"--atoms": "atoms", "--window": "window", "--spin": "spin", "--orbital": "orbital",
             "--cutoff": "cutoff", "--structure": "structure"}
    kw = {}
    for flag, value in zip(args[::2], args[1::2]):
        kw[names[flag]] = float(value) if flag == "--cutoff" else value
    return kw


@pytest.mark.parametrize("rel,args", DBAND_ARGS, ids=[f"{r}:{' '.join(a)}" for r, a in DBAND_ARGS])
def test_dband_is_the_cli_json(cli_json, rel, args):
    path = SAMPLES / rel
    py = chepath.dband(path, **_dband_kwargs(args))
    assert py == cli_json("dband", path, "--json", *args)


@pytest.mark.parametrize("model,center", [("CuN4", -3.12), ("CuN4_Cu4", -2.56), ("CuN4_CuNP", -2.87)])
def test_dband_center_is_the_generated_value(model, center):
    # sample_outputs/vasp/README.md: d-band centre of the CuN4-site Cu
    d = chepath.dband(SAMPLES / model / "dos", atoms="Cu@N4")
    assert [a["element"] for a in d["atoms"]] == ["Cu"]
    assert d["pooled"]["center"] == pytest.approx(center, abs=0.005)


# --- thermo -----------------------------------------------------------------------------------

HC_EV_CM = 1.239841984e-4  # h c in eV cm
K_EV = 8.617333262e-5  # Boltzmann, eV/K

THERMO_ARGS = [
    (None, ["--freqs", "3685.3,524.9,518.9", "--temperature", "300"]),
    (None, ["--freqs", "3685.3,524.9,40,-120"]),
    (None, ["--freqs", "3685.3,524.9,40", "--soft-mode-floor", "50"]),
    (None, ["--freqs", "3685.3,524.9,40", "--soft-mode-floor", "100", "--floor-all-terms"]),
    ("CuN4/NO3/freq", []),
    ("CuN4/NH2/freq", ["--temperature", "350"]),
    ("gas/H2O/freq", ["--model", "ideal-gas", "--pressure", "0.035"]),
    ("gas/H2/freq", ["--model", "ideal-gas"]),
    ("gas/NH3/freq", ["--model", "ideal-gas", "--symmetry", "3", "--geometry", "nonlinear"]),
]


def _thermo_kwargs(args):
    kw = {}
    it = iter(args)
    for flag in it:
        if flag == "--floor-all-terms":
            kw["floor_all_terms"] = True
            continue
        value = next(it)
        if flag == "--freqs":
            kw["freqs"] = [float(x) for x in value.split(",")]
        elif flag in ("--temperature", "--pressure", "--soft-mode-floor"):
            kw[flag[2:].replace("-", "_")] = float(value)
        elif flag == "--symmetry":
            kw["symmetry"] = int(value)
        else:
            kw[flag[2:]] = value
    return kw


@pytest.mark.parametrize("rel,args", THERMO_ARGS, ids=[f"{r}:{' '.join(a)}" for r, a in THERMO_ARGS])
def test_thermo_is_the_cli_json(cli_json, rel, args):
    kw = _thermo_kwargs(args)
    if rel is None:
        py = chepath.thermo(**kw)
        cli = cli_json("thermo", "--json", *args)
    else:
        path = SAMPLES / rel
        py = chepath.thermo(path, **kw)
        cli = cli_json("thermo", path, "--json", *args)
    assert py == cli


def test_thermo_harmonic_is_the_textbook_formula():
    freqs = [3685.3, 524.9, 518.9, 120.0]
    t = 298.15
    r = chepath.thermo(freqs=freqs, temperature=t)
    e = [HC_EV_CM * f for f in freqs]
    x = [ei / (K_EV * t) for ei in e]
    zpe = sum(e) / 2
    cv = sum(ei / math.expm1(xi) for ei, xi in zip(e, x))
    s = K_EV * sum(xi / math.expm1(xi) - math.log(1 - math.exp(-xi)) for xi in x)
    assert r["zpe"] == pytest.approx(zpe, rel=1e-6)
    assert r["heat_capacity_integral"] == pytest.approx(cv, rel=1e-5)
    assert r["entropy"] == pytest.approx(s, rel=1e-5)
    assert r["entropy_ts"] == pytest.approx(t * s, rel=1e-5)
    assert r["correction"] == pytest.approx(zpe + cv - t * s, abs=1e-6)


def test_thermo_imaginary_modes_are_dropped_and_named():
    r = chepath.thermo(freqs=[3685.3, 524.9, -120.0])
    assert r["dropped_imaginary_cm1"] == [120.0]  # magnitudes (the mode is 120i cm-1)
    assert any("120.0i" in w for w in r["warnings"])
    assert r["zpe"] == pytest.approx(HC_EV_CM * (3685.3 + 524.9) / 2, rel=1e-6)


def test_thermo_ideal_gas_matches_ase():
    ase_io = pytest.importorskip("ase.io")
    thermochemistry = pytest.importorskip("ase.thermochemistry")
    run = SAMPLES / "gas" / "H2O" / "freq"
    r = chepath.thermo(run, model="ideal-gas", pressure=0.035)
    atoms = ase_io.read(run / "CONTCAR", format="vasp")
    atoms.pbc = False
    th = thermochemistry.IdealGasThermo(
        [HC_EV_CM * f for f in r["frequencies_cm1"]], geometry="nonlinear", potentialenergy=0.0,
        atoms=atoms, symmetrynumber=2, spin=0,
    )
    assert r["correction"] == pytest.approx(th.get_gibbs_energy(298.15, 0.035e5, verbose=False), abs=2e-5)
    assert r["entropy"] == pytest.approx(th.get_entropy(298.15, 0.035e5, verbose=False), rel=1e-5)


# --- pathway ----------------------------------------------------------------------------------

PATHWAY_ARGS = [
    (SAMPLES, []),
    (SAMPLES, ["--U=-0.2", "--pH=13"]),
    (SAMPLES, ["--U=0.3"]),
    (SAMPLES, ["--template", "no3rr", "--pH=7"]),
    (NETWORK, []),
    (NETWORK, ["--U=-0.2", "--pH=13"]),
]


def _che_kwargs(args):
    kw = {}
    for a in args:
        flag, _, value = a.partition("=")
        if flag == "--U":
            kw["U"] = float(value)
        elif flag == "--pH":
            kw["pH"] = float(value)
    if "--template" in args:
        kw["template"] = args[args.index("--template") + 1]
    return kw


@pytest.mark.parametrize("path,args", PATHWAY_ARGS, ids=[f"{p.name}:{' '.join(a)}" for p, a in PATHWAY_ARGS])
def test_pathway_is_the_cli_json(cli_json, path, args):
    py = chepath.pathway(path, **_che_kwargs(args))
    assert py == cli_json("pathway", path, "--json", *args)


def test_pathway_reproduces_the_generated_numbers():
    # sample_outputs/vasp/README.md: PDS and its ΔG, nitrate adsorption ΔG per model
    expected = {
        "CuN4": ("*NH2OH", "*NH2", 1.97, -0.52),
        "CuN4_Cu4": ("*NHO", "*NHOH", 0.78, -1.35),
        "CuN4_CuNP": ("*NO2", "*NO2H", 1.12, 3.89),
    }
    p = chepath.pathway(SAMPLES)
    assert sorted(m["name"] for m in p["models"]) == sorted(expected)
    for m in p["models"]:
        a, b, dg, ads = expected[m["name"]]
        assert (m["pds"]["from"], m["pds"]["to"]) == (a, b)
        assert m["pds"]["dG"] == pytest.approx(dg, abs=0.005)
        assert m["limiting_potential"] == pytest.approx(-dg, abs=0.005)
        assert m["adsorption_dG"] == pytest.approx(ads, abs=0.005)
    assert "GENERATED SAMPLE DATA" in p["notice"]


def test_pathway_potential_shifts_electrochemical_steps_by_n_U():
    # CHE: ΔG(U) = ΔG(0) + n e U for a step with n (H+ + e-) pairs, on the RHE scale at any pH
    a = chepath.pathway(SAMPLES)
    b = chepath.pathway(SAMPLES, U=-0.2, pH=13)
    assert b["conventions"]["U"] == -0.2 and b["conventions"]["pH"] == 13
    seen = 0
    for ma, mb in zip(a["models"], b["models"]):
        assert ma["name"] == mb["name"]
        for sa, sb in zip(ma["paths"][0]["steps"], mb["paths"][0]["steps"]):
            assert (sa["from"], sa["to"]) == (sb["from"], sb["to"])
            if sa["kind"] == "electrochemical":
                assert sb["dG"] - sa["dG"] == pytest.approx(sa["n"] * -0.2, abs=1e-9)
                seen += 1
        assert mb["limiting_potential"] == pytest.approx(ma["limiting_potential"], abs=1e-9)
    assert seen > 20


# --- rank -------------------------------------------------------------------------------------

RANK_ARGS = [
    (SAMPLES, []),
    (SAMPLES, ["--by", "adsorption"]),
    (SAMPLES, ["--by", "dband"]),
    (SAMPLES, ["--by", "descriptor"]),
    (SAMPLES, ["--U=-0.3", "--pH=7"]),
    (NETWORK, []),
]


@pytest.mark.parametrize("path,args", RANK_ARGS, ids=[f"{p.name}:{' '.join(a)}" for p, a in RANK_ARGS])
def test_rank_options_are_the_cli_json(cli_json, path, args):
    kw = _che_kwargs(args)
    if "--by" in args:
        kw["by"] = args[args.index("--by") + 1]
    py = chepath.rank(path, **kw)
    assert isinstance(py, chepath.Ranking)
    assert py == cli_json("rank", path, "--format", "json", *args)


def test_rank_by_adsorption_orders_by_the_generated_values():
    rows = chepath.rank(SAMPLES, by="adsorption").records
    assert [r["model"] for r in rows] == ["CuN4_Cu4", "CuN4", "CuN4_CuNP"]  # -1.35, -0.52, +3.89
    rows = chepath.rank(SAMPLES, by="dband").records
    assert [r["model"] for r in rows] == ["CuN4_Cu4", "CuN4_CuNP", "CuN4"]  # -2.56, -2.87, -3.12


# --- lint and scan ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [SAMPLES, NETWORK], ids=["tree", "network.toml"])
def test_lint_is_the_cli_json(cli_json, path):
    assert chepath.lint(path) == cli_json("lint", path, "--json")


def test_lint_template_is_the_cli_json(cli_json):
    assert chepath.lint(SAMPLES, template="no3rr") == cli_json("lint", SAMPLES, "--json", "--template", "no3rr")


@pytest.mark.parametrize("full", [False, True], ids=["quick", "full"])
def test_scan_records_are_the_cli_json_lines(cli_lines, full):
    py = chepath.scan(SAMPLES, full=full)
    assert isinstance(py, chepath.ScanResult)
    cli = cli_lines("scan", SAMPLES, "--json-lines", *(["--full"] if full else []))
    assert py["records"] == cli
    assert py["root"] == str(SAMPLES)
    assert py["warnings"] == []
    assert py["schema_version"] == chepath.SCHEMA_VERSION
    # 3 models x (slab, dos and 14 states, most with a freq/ run) + 4 gases: more than 100
    assert len(py["records"]) > 100
    assert all(r["path"].startswith(str(SAMPLES)) for r in py["records"])


def test_scan_with_one_thread_gives_the_same_records():
    assert chepath.scan(SAMPLES, jobs=1)["records"] == chepath.scan(SAMPLES, jobs=4)["records"]


def test_scan_energies_are_the_parsed_energies():
    recs = {r["path"]: r for r in chepath.scan(SAMPLES)["records"]}
    for rel in ("CuN4/NO3", "gas/H2O", "CuN4/NO3/freq"):
        parsed = chepath.parse(SAMPLES / rel)
        assert recs[str(SAMPLES / rel)]["energy_sigma0"] == parsed["outcar"]["structure_energy"]["sigma0"]
