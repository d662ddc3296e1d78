"""Errors: the exception classes, their attributes (file, line, expected, found, hint,
exit_code), and the same message and exit code as the CLI for the same input."""

from __future__ import annotations

import gzip
import math
import shutil

import pytest

import chepath
from conftest import SAMPLES

DOS_DIR = SAMPLES / "CuN4" / "dos"
OUTCAR = SAMPLES / "CuN4" / "NO3" / "OUTCAR"


def test_the_exception_hierarchy():
    for cls in (chepath.ReadError, chepath.FormatError, chepath.InputError, chepath.UsageError, chepath.CheckFailed):
        assert issubclass(cls, chepath.ChepathError) and issubclass(cls, Exception)
    assert issubclass(chepath.ReadError, OSError)
    assert issubclass(chepath.UsageError, ValueError)
    assert not issubclass(chepath.FormatError, (OSError, ValueError))
    assert not issubclass(chepath.InputError, (OSError, ValueError))


# --- a missing file or directory: ReadError (an OSError), exit 3 -----------------------------

MISSING = [
    ("parse", "OUTCAR", ["parse", "{p}", "--json"]),
    ("dband", "DOSCAR", ["dband", "{p}", "--json"]),
    ("dos", "DOSCAR", None),
    ("thermo", "freq", ["thermo", "{p}", "--json"]),
    ("pathway", "network.toml", ["pathway", "{p}", "--json"]),
    ("rank", "tree", ["rank", "{p}", "--format", "json"]),
    ("lint", "tree", ["lint", "{p}", "--json"]),
    ("check", "expected.toml", ["check", "{p}"]),
]


@pytest.mark.parametrize("fn,name,cli_args", MISSING, ids=[m[0] for m in MISSING])
def test_a_missing_path_is_a_read_error_as_the_cli(tmp_path, cli_error, fn, name, cli_args):
    p = tmp_path / "nowhere" / name
    with pytest.raises(chepath.ReadError) as info:
        getattr(chepath, fn)(p)
    e = info.value
    assert isinstance(e, OSError) and isinstance(e, chepath.ChepathError)
    assert e.exit_code == 3
    assert e.file == str(p)
    assert str(p) in str(e)
    if cli_args is not None:
        code, msg = cli_error(*[a.format(p=p) for a in cli_args])
        assert code == 3
        assert msg == str(e)


def test_a_missing_root_of_scan_is_a_read_error(tmp_path, cli_error):
    p = tmp_path / "nowhere"
    with pytest.raises(chepath.ReadError) as info:
        chepath.scan(p)
    assert info.value.exit_code == 3 and info.value.file == str(p)
    code, _ = cli_error("scan", p, "--json-lines")
    assert code == 3


def test_a_missing_root_of_scan_has_the_cli_message(tmp_path, cli_error):
    p = tmp_path / "nowhere"
    with pytest.raises(chepath.ReadError) as info:
        chepath.scan(p)
    assert cli_error("scan", p, "--json-lines")[1] == str(info.value)


def test_report_and_diagram_of_a_missing_tree_are_read_errors(tmp_path):
    for call in (lambda: chepath.report(tmp_path / "none", tmp_path / "out"),
                 lambda: chepath.diagram(tmp_path / "none")):
        with pytest.raises(chepath.ReadError) as info:
            call()
        assert info.value.exit_code == 3
    assert not (tmp_path / "out").exists()


# --- a malformed file: FormatError with the line, exit 4 -------------------------------------

POSCAR_OK = ["Cu", "1.0", "3.6 0 0", "0 3.6 0", "0 0 3.6", "Cu", "4", "Direct",
             "0 0 0", "0.5 0.5 0", "0.5 0 0.5", "0 0.5 0.5"]


def _write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("".join(line + "\n" for line in lines))
    return p


def _bad_files(tmp_path):
    """(path, kwargs for parse, the line of the damage)."""
    cut = POSCAR_OK[:10]  # 4 atoms announced, 2 given: the 3rd would be on line 11
    bad_coord = POSCAR_OK[:9] + ["0.5 0.5 zz"] + POSCAR_OK[10:]
    bad_lattice = POSCAR_OK[:3] + ["0 3.6 x"] + POSCAR_OK[4:]
    return {
        "truncated POSCAR": (_write(tmp_path, "POSCAR", cut), {}, len(cut) + 1),
        "garbage coordinate": (_write(tmp_path, "CONTCAR", bad_coord), {}, 10),
        "garbage lattice": (_write(tmp_path, "weird_name", bad_lattice), {"format": "poscar"}, 4),
        "empty POSCAR": (_write(tmp_path, "EMPTY", []), {"format": "poscar"}, 1),
    }


@pytest.mark.parametrize("case", ["truncated POSCAR", "garbage coordinate", "garbage lattice", "empty POSCAR"])
def test_a_malformed_structure_is_a_format_error_with_the_line(tmp_path, cli_error, case):
    path, kw, line = _bad_files(tmp_path)[case]
    with pytest.raises(chepath.FormatError) as info:
        chepath.parse(path, **kw)
    e = info.value
    assert e.exit_code == 4
    assert e.file == str(path)
    assert e.line == line
    assert e.expected and e.found is not None and e.hint is not None
    assert str(e).startswith(f"{path}:{line}: expected {e.expected}, found {e.found}")
    args = ["--format", kw["format"]] if kw else []
    code, msg = cli_error("parse", path, "--json", *args)
    assert (code, msg) == (4, str(e))


@pytest.fixture
def corrupt_dos(tmp_path):
    """A copy of a sample DOS directory whose DOSCAR has a word in a number's place on line
    10 (the 4th row of the total DOS)."""
    d = tmp_path / "dos"
    d.mkdir()
    for f in ("CONTCAR", "OUTCAR"):
        shutil.copy(DOS_DIR / f, d / f)
    with gzip.open(DOS_DIR / "DOSCAR.gz", "rt") as f:
        lines = f.read().split("\n")
    fields = lines[9].split()
    fields[1] = "garbage"
    lines[9] = "  ".join(fields)
    (d / "DOSCAR").write_text("\n".join(lines))
    return d / "DOSCAR"


@pytest.mark.parametrize("fn", ["dband", "dos"])
def test_a_corrupt_doscar_is_a_format_error_with_the_line(corrupt_dos, cli_error, fn):
    with pytest.raises(chepath.FormatError) as info:
        getattr(chepath, fn)(corrupt_dos)
    e = info.value
    assert (e.file, e.line, e.exit_code) == (str(corrupt_dos), 10, 4)
    assert "garbage" in e.found
    code, msg = cli_error("dband", corrupt_dos, "--json")
    assert (code, msg) == (4, str(e))


def test_not_a_vasp_file_is_an_input_error_as_the_cli(tmp_path, cli_error):
    p = tmp_path / "notes.txt"
    p.write_text("hello\nworld\n")
    with pytest.raises(chepath.InputError) as info:
        chepath.parse(p)
    assert info.value.exit_code == 4
    assert cli_error("parse", p, "--json") == (4, str(info.value))


def test_an_outcar_read_as_an_outcar_that_is_not_one(tmp_path, cli_error):
    p = tmp_path / "OUTCAR"
    p.write_text("garbage\n")
    with pytest.raises(chepath.FormatError) as info:
        chepath.parse(p)
    e = info.value
    assert e.file == str(p) and e.exit_code == 4 and "OUTCAR" in e.expected
    assert cli_error("parse", p, "--json") == (4, str(e))


def _outcar_with(tmp_path, old, new, count=1):
    text = OUTCAR.read_text()
    assert old in text
    d = tmp_path / "calc"
    d.mkdir(exist_ok=True)
    (d / "OUTCAR").write_text(text.replace(old, new, count))
    return d / "OUTCAR"


def test_an_overflowed_outcar_energy_leaves_the_step_out_as_the_cli(tmp_path, cli_json):
    first = chepath.parse(OUTCAR)["steps"][0]
    old = f"{first['toten']:.8f}"
    p = _outcar_with(tmp_path, f"TOTEN  =      {old}", "TOTEN  = **************")
    py = chepath.parse(p)
    assert py == cli_json("parse", p, "--json")
    assert py["ionic_steps"] == chepath.parse(OUTCAR)["ionic_steps"] - 1
    assert any("not a number" in w for w in py["warnings"])


def test_a_damaged_outcar_energy_is_not_read_as_a_number(tmp_path):
    first = chepath.parse(OUTCAR)["steps"][0]
    old = f"{first['toten']:.8f}"
    damaged = old[:-6] + "x" + old[-5:]
    p = _outcar_with(tmp_path, f"TOTEN  =      {old}", f"TOTEN  =      {damaged}")
    py = chepath.parse(p)
    assert py["steps"][0]["toten"] != float(old[:-6])
    assert py["warnings"], "a damaged energy must at least be named in a warning"


# --- bad arguments: UsageError (a ValueError), exit 2 ----------------------------------------

NETWORK = SAMPLES / "network.toml"
USAGE = [
    ("pathway", (SAMPLES,), {"U": float("nan")}),
    ("pathway", (SAMPLES,), {"pH": float("inf")}),
    ("rank", (SAMPLES,), {"U": float("nan")}),
    ("rank", (SAMPLES,), {"by": "x"}),
    ("report", (SAMPLES, "OUT"), {"pH": float("nan")}),
    ("diagram", (SAMPLES,), {"U": float("-inf")}),
    ("diagram", (SAMPLES,), {"width": 0}),
    ("diagram", (SAMPLES,), {"height": 0}),
    ("diagram", (SAMPLES,), {"which": "x"}),
    ("diagram", (SAMPLES,), {"width": 100000, "height": 100000}),
    ("dband", (DOS_DIR,), {"window": "bogus"}),
    ("dband", (DOS_DIR,), {"window": "5:-5"}),
    ("dband", (DOS_DIR,), {"spin": "sideways"}),
    ("dband", (DOS_DIR,), {"orbital": "q"}),
    ("dband", (DOS_DIR,), {"cutoff": -1.0}),
    ("dband", (DOS_DIR,), {"cutoff": float("nan")}),
    ("dos", (DOS_DIR,), {"cutoff": 0.0}),
    ("parse", (OUTCAR,), {"format": "x"}),
    ("thermo", (), {}),
    ("thermo", (SAMPLES / "gas" / "H2O" / "freq",), {"freqs": [100.0]}),
    ("thermo", (), {"freqs": [100.0, float("nan")]}),
    ("thermo", (), {"freqs": [100.0], "temperature": -1.0}),
    ("thermo", (), {"freqs": [100.0], "pressure": 0.0}),
    ("thermo", (), {"freqs": [100.0], "model": "quantum"}),
    ("thermo", (), {"freqs": [100.0], "geometry": "cube"}),
    ("thermo", (), {"freqs": [100.0], "spin": float("nan")}),
    ("check", ("expected.toml",), {"tolerance": float("nan")}),
    # finite, but outside the bounds the command line states (chepath::bounds)
    ("pathway", (SAMPLES,), {"U": 51.0}),
    ("rank", (SAMPLES,), {"pH": 21.0}),
    ("diagram", (SAMPLES,), {"at": [0.0, 1e3]}),
    ("thermo", (), {"freqs": [100.0], "temperature": 1e5}),
    ("thermo", (), {"freqs": [100.0], "spin": 11.0}),
    ("thermo", (), {"freqs": [100.0], "soft_mode_floor": -1.0}),
    ("dband", (DOS_DIR,), {"cutoff": 11.0}),
    ("thermo", (), {"freqs": [100.0, 1e9]}),
    ("thermo", (SAMPLES / "gas" / "H2O" / "freq",), {"model": "ideal-gas", "symmetry": 0}),
    ("thermo", (SAMPLES / "gas" / "H2O" / "freq",), {"model": "ideal-gas", "symmetry": 61}),
    # an infinite tolerance would pass every value: a check that cannot fail
    ("check", ("expected.toml",), {"tolerance": float("inf")}),
    ("check", ("expected.toml",), {"tolerance": -0.01}),
]


@pytest.mark.parametrize("fn,args,kw", USAGE, ids=[f"{f}-{k}" for f, _, k in USAGE])
def test_a_bad_argument_is_a_usage_error(tmp_path, fn, args, kw):
    args = tuple(tmp_path / a if a == "OUT" else a for a in args)
    with pytest.raises(chepath.UsageError) as info:
        getattr(chepath, fn)(*args, **kw)
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, chepath.ChepathError)
    assert e.exit_code == 2
    assert str(e)
    assert not (tmp_path / "OUT").exists()


@pytest.mark.parametrize("fn,py_kw,cli_args", [
    ("dband", {"window": "bogus"}, ["dband", DOS_DIR, "--window", "bogus"]),
    ("dband", {"spin": "sideways"}, ["dband", DOS_DIR, "--spin", "sideways"]),
    ("rank", {"by": "x"}, ["rank", SAMPLES, "--by", "x"]),
    ("pathway", {"U": float("nan")}, ["pathway", SAMPLES, "--U", "NaN"]),
    ("pathway", {"U": 51.0}, ["pathway", SAMPLES, "--U", "51"]),
    ("rank", {"pH": -5.5}, ["rank", SAMPLES, "--pH", "-5.5"]),
])
def test_a_bad_argument_is_exit_2_in_the_cli_too(cli, fn, py_kw, cli_args):
    with pytest.raises(chepath.UsageError) as info:
        getattr(chepath, fn)(cli_args[1], **py_kw)
    code, _, err = cli(*cli_args)
    assert code == info.value.exit_code == 2, err


def test_an_unknown_template_is_a_usage_error_as_in_the_cli(cli):
    code, _, _ = cli("pathway", SAMPLES, "--template", "bogus", "--json")
    assert code == 2
    with pytest.raises(chepath.UsageError):
        chepath.pathway(SAMPLES, template="bogus")


@pytest.mark.parametrize("kw", [{"dpi": 0}, {"font": 0}, {"width": 50}, {"font": 500}],
                         ids=["dpi=0", "font=0", "width=50", "font=500"])
def test_diagram_bounds_are_the_clis(cli, tmp_path, kw):
    flag, value = next(iter(kw.items()))
    code, _, _ = cli("diagram", SAMPLES, "-o", tmp_path / "d.svg", f"--{flag}", str(value))
    assert code == 2
    with pytest.raises(chepath.UsageError):
        chepath.diagram(SAMPLES, **kw)


def test_an_unknown_selection_is_an_input_error_as_the_cli(cli_error):
    for sel in ("bogus", "999"):
        with pytest.raises(chepath.InputError) as info:
            chepath.dband(DOS_DIR, atoms=sel)
        assert cli_error("dband", DOS_DIR, "--atoms", sel, "--json") == (4, str(info.value))


def test_errors_do_not_break_later_calls():
    for _ in range(3):
        with pytest.raises(chepath.ReadError):
            chepath.parse("/nonexistent/OUTCAR")
    assert chepath.parse(OUTCAR)["kind"] == "outcar"
    assert math.isfinite(chepath.parse(OUTCAR)["last_energy"]["sigma0"])
