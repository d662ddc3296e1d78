"""Files written: report(...) and diagram(...) against what the CLI writes, never overwriting
without force=True; check(...) against an expected file the CLI's `check --init` wrote."""

from __future__ import annotations

import json
import re

import pytest

import chepath
from conftest import SAMPLES

REPORT_FILES = ["report.json", "report.csv", "report.md", "free_energy.svg", "free_energy.png",
                "dband_vs_UL.svg", "dband_vs_UL.png", "product_map.svg", "product_map.png",
                "pdos.svg", "pdos.png"]


# --- report -----------------------------------------------------------------------------------


def test_report_writes_what_the_cli_writes(tmp_path, cli):
    py_out, cli_out = tmp_path / "py", tmp_path / "cli"
    files = chepath.report(SAMPLES, py_out)
    assert sorted(files) == sorted(str(py_out / f) for f in REPORT_FILES)
    for f in files:
        assert (py_out / f.rsplit("/", 1)[-1]).stat().st_size > 0
    code, _, err = cli("report", SAMPLES, "-o", cli_out)
    assert code == 0, err
    assert sorted(p.name for p in cli_out.iterdir()) == sorted(p.name for p in py_out.iterdir())
    py_json = json.loads((py_out / "report.json").read_text())
    assert py_json == json.loads((cli_out / "report.json").read_text())
    for name in ("report.csv", "report.md", "free_energy.svg"):
        assert (py_out / name).read_bytes() == (cli_out / name).read_bytes(), name
    assert (py_out / "free_energy.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the report is the ranking: same models, same order, same numbers
    rank = chepath.rank(SAMPLES)
    text = json.dumps(py_json)
    for row in rank.records:
        assert row["model"] in text
    assert "GENERATED SAMPLE DATA" in (py_out / "report.md").read_text()


def test_report_at_another_potential_is_the_clis(tmp_path, cli):
    chepath.report(SAMPLES, tmp_path / "py", U=-0.2, pH=13)
    code, _, err = cli("report", SAMPLES, "-o", tmp_path / "cli", "--U=-0.2", "--pH=13")
    assert code == 0, err
    assert json.loads((tmp_path / "py" / "report.json").read_text()) == json.loads(
        (tmp_path / "cli" / "report.json").read_text())


def test_report_does_not_overwrite_without_force(tmp_path, cli):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text("keep me")
    with pytest.raises(chepath.ChepathError) as info:
        chepath.report(SAMPLES, out)
    e = info.value
    assert "report.json" in str(e)
    assert (out / "report.json").read_text() == "keep me"
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]
    code, _, _ = cli("report", SAMPLES, "-o", out)
    assert code == e.exit_code  # the CLI refuses with the same exit code
    assert (out / "report.json").read_text() == "keep me"
    files = chepath.report(SAMPLES, out, force=True)
    assert len(files) == len(REPORT_FILES)
    assert json.loads((out / "report.json").read_text())["schema_version"] == chepath.SCHEMA_VERSION


def test_a_report_file_that_cannot_be_written_is_a_write_error(tmp_path, cli):
    # a directory where report.md goes (works as root, unlike a read-only directory)
    out = tmp_path / "out"
    (out / "report.md").mkdir(parents=True)
    (out / "report.md" / "keep").write_text("mine")
    with pytest.raises(chepath.WriteError) as info:
        chepath.report(SAMPLES, out, force=True)
    e = info.value
    assert isinstance(e, OSError) and e.exit_code == 3
    assert str(e).startswith(f"could not write {out / 'report.md'}: "), str(e)
    assert e.file == str(out / "report.md") and e.found
    assert (out / "report.md" / "keep").read_text() == "mine"
    code, _, err = cli("report", SAMPLES, "-o", out, "--force")
    assert code == 3, err
    assert f"error: could not write {out / 'report.md'}: " in err, err


# --- diagram ----------------------------------------------------------------------------------


def test_diagram_returns_svg_text_that_is_the_clis_file(tmp_path, cli):
    svg = chepath.diagram(SAMPLES)
    assert isinstance(svg, chepath.Diagram) and isinstance(svg, str)
    assert svg.lstrip().startswith(("<svg", "<?xml"))
    assert svg.rstrip().endswith("</svg>")
    assert svg._repr_svg_() == str(svg)
    assert "SVG" in repr(svg)
    code, _, err = cli("diagram", SAMPLES, "-o", tmp_path / "cli.svg")
    assert code == 0, err
    assert (tmp_path / "cli.svg").read_text() == svg
    for model in ("CuN4", "CuN4_Cu4", "CuN4_CuNP"):
        assert model in svg


@pytest.mark.parametrize("kw,args", [
    ({"U": -0.5, "which": "all"}, ["--U=-0.5", "--path", "all"]),
    ({"models": ["CuN4"], "single_panel": True}, ["--models", "CuN4", "--single-panel"]),
    ({"width": 800, "height": 400, "dpi": 150, "font": 12}, ["--width", "800", "--height", "400", "--dpi", "150", "--font", "12"]),
    ({"which": "greedy", "pH": 7}, ["--path", "greedy", "--pH=7"]),
])
def test_diagram_options_are_the_clis(tmp_path, cli, kw, args):
    svg = chepath.diagram(SAMPLES, **kw)
    code, _, err = cli("diagram", SAMPLES, "-o", tmp_path / "cli.svg", *args)
    assert code == 0, err
    assert (tmp_path / "cli.svg").read_text() == svg
    if "width" in kw:
        m = re.search(r'<svg[^>]*width="(\d+)"', svg)
        assert m and int(m.group(1)) == kw["width"] * kw["dpi"] // 100


@pytest.mark.parametrize("name", ["x.svg", "x.png"])
def test_diagram_writes_a_file(tmp_path, cli, name):
    out = tmp_path / name
    assert chepath.diagram(SAMPLES, out=out) is None
    data = out.read_bytes()
    if name.endswith(".svg"):
        assert data.lstrip().startswith((b"<svg", b"<?xml"))
        assert data.decode() == chepath.diagram(SAMPLES)
    else:
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = cli("diagram", SAMPLES, "-o", tmp_path / f"cli_{name}")
    assert code == 0, err
    assert (tmp_path / f"cli_{name}").read_bytes() == data


def test_diagram_does_not_overwrite_without_force(tmp_path, cli):
    out = tmp_path / "x.svg"
    out.write_text("keep me")
    with pytest.raises(chepath.ChepathError) as info:
        chepath.diagram(SAMPLES, out=out)
    e = info.value
    assert e.file == str(out) and "force=True" in str(e)
    assert out.read_text() == "keep me"
    code, _, _ = cli("diagram", SAMPLES, "-o", out)
    assert code == e.exit_code
    assert out.read_text() == "keep me"
    assert chepath.diagram(SAMPLES, out=out, force=True) is None
    assert out.read_text().lstrip().startswith(("<svg", "<?xml"))


# --- check ------------------------------------------------------------------------------------


@pytest.fixture
def expected_file(tmp_path, cli):
    """An expected-values file written by the CLI's `check --init` from the samples."""
    p = tmp_path / "expected.toml"
    code, _, err = cli("check", p, "--init", SAMPLES)
    assert code == 0, err
    assert p.is_file()
    return p


def _edit(p, model, quantity, value):
    text = p.read_text()
    pat = re.compile(rf"(\[models\.{re.escape(model)}\]\n(?:[^\[]*\n)*?){quantity} = ([-0-9.]+)")
    new, n = pat.subn(rf"\g<1>{quantity} = {value}", text, count=1)
    assert n == 1, text[:500]
    out = p.with_name("edited.toml")
    out.write_text(new)
    return out


def test_check_of_the_init_file_passes_as_the_cli(expected_file, cli):
    r = chepath.check(expected_file)
    assert r["failed"] == 0
    assert r["outcomes"] and all(o["ok"] for o in r["outcomes"])
    code, out, err = cli("check", expected_file)
    assert code == 0, err
    m = re.search(r"(\d+) checks, (\d+) failed", out + err)
    assert m and (int(m.group(1)), int(m.group(2))) == (len(r["outcomes"]), 0)
    assert chepath.check(expected_file, raise_on_failure=True)["failed"] == 0
    models = {o["model"] for o in r["outcomes"]}
    assert models == {"CuN4", "CuN4_Cu4", "CuN4_CuNP"}


def test_check_with_a_value_off_fails_and_raises(expected_file, cli):
    edited = _edit(expected_file, "CuN4", "limiting_potential", "-1.5000")
    r = chepath.check(edited)
    assert r["failed"] == 1
    (bad,) = [o for o in r["outcomes"] if not o["ok"]]
    assert (bad["model"], bad["quantity"]) == ("CuN4", "limiting_potential")
    assert float(bad["expected"]) == -1.5
    assert float(bad["got"]) == pytest.approx(-1.97, abs=0.005)
    assert bad["delta"] == pytest.approx(-0.47, abs=0.005)
    with pytest.raises(chepath.CheckFailed) as info:
        chepath.check(edited, raise_on_failure=True)
    e = info.value
    assert isinstance(e, chepath.ChepathError) and e.exit_code == 6
    assert "CuN4 limiting_potential" in str(e) and "1 of" in str(e)
    code, out, err = cli("check", edited)
    assert code == 6
    m = re.search(r"(\d+) checks, (\d+) failed", out + err)
    assert m and (int(m.group(1)), int(m.group(2))) == (len(r["outcomes"]), 1)
    # a tolerance wide enough passes, in both
    assert chepath.check(edited, tolerance=1.0)["failed"] == 0
    assert cli("check", edited, "--tolerance", "1.0")[0] == 0


def test_check_tolerance_comes_from_the_file(expected_file):
    r = chepath.check(expected_file)
    assert r["tolerance"] == 0.01  # check --init's default
    assert all(o["tolerance"] in (None, 0.01) for o in r["outcomes"])
    assert chepath.check(expected_file, tolerance=0.5)["tolerance"] == 0.5


def test_scan_records_keep_paths_that_are_not_utf8(tmp_path):
    """Two directories differing only in a byte that is not UTF-8 give two records whose
    ``path_escaped`` (``\\xHH`` for the byte) tell them apart and name them exactly."""
    import os
    import shutil

    root = tmp_path / "tree"
    root.mkdir()
    for byte in (b"\xe9", b"\xe8"):
        shutil.copytree(SAMPLES / "CuN4" / "slab", os.fsdecode(bytes(root) + b"/caf" + byte))
    recs = chepath.scan(root)["records"]
    assert len(recs) == 2
    escaped = sorted(r["path_escaped"] for r in recs)
    assert escaped == [str(root) + "/caf\\xe8", str(root) + "/caf\\xe9"]
    assert all(r["source_escaped"] == r["path_escaped"] + "/OUTCAR" for r in recs)
    # an ASCII path has no escaped form (the record is as before)
    plain = chepath.scan(SAMPLES / "CuN4" / "slab")["records"][0]
    assert "path_escaped" not in plain and "source_escaped" not in plain
