"""pandas: rank(...).to_frame() and scan(...).to_frame(), and what print() shows."""

from __future__ import annotations

import json

import pytest

import chepath
from conftest import ROOT, SAMPLES

pd = pytest.importorskip("pandas")

RANK_COLUMNS = [
    "limiting_potential", "overpotential", "pds", "pds_dG", "adsorption_dG", "chemical_bottleneck",
    "chemical_bottleneck_dG", "descriptor", "dband_center", "largest_barrier_Ea",
    "largest_barrier_step", "window_min", "window_max",
    "window_empty", "warnings",
]


def test_rank_frame_has_one_row_per_model_indexed_by_model(cli_json):
    r = chepath.rank(SAMPLES)
    df = r.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert df.index.name == "model"
    cli = cli_json("rank", SAMPLES, "--format", "json")
    assert list(df.index) == [row["model"] for row in cli["rows"]]
    assert df.index.is_unique
    for c in RANK_COLUMNS:
        assert c in df.columns, c
    assert "model" not in df.columns
    # the first columns in the documented order, the nested dband fields flattened with _
    assert list(df.columns[:len(RANK_COLUMNS)]) == RANK_COLUMNS
    assert {"dband_atoms", "dband_file", "dband_settings"} <= set(df.columns)
    for row in cli["rows"]:
        m = row["model"]
        assert df.loc[m, "limiting_potential"] == row["limiting_potential"]
        assert df.loc[m, "pds"] == row["pds"]
        assert df.loc[m, "dband_center"] == row["dband"]["center"]
        assert df.loc[m, "warnings"] == row["warnings"]
    assert df["limiting_potential"].dtype.kind == "f"


def test_rank_frame_follows_the_sort_order():
    df = chepath.rank(SAMPLES, by="adsorption").to_frame()
    assert list(df["adsorption_dG"]) == sorted(df["adsorption_dG"])


def test_rank_frame_has_dband_center_without_dband_data():
    df = chepath.rank(ROOT / "examples" / "networks" / "pt111_orr.toml").to_frame()
    assert df["dband_center"].isna().all()


def test_rank_prints_the_generated_notice_and_conventions():
    r = chepath.rank(SAMPLES)
    text = str(r)
    first = text.splitlines()[0]
    assert first.startswith("NOTICE: ") and "GENERATED SAMPLE DATA" in first
    assert f"sorted by {r['sorted_by']}" in text
    assert "U = 0.0 V vs RHE" in text
    for m in ("CuN4_Cu4", "CuN4_CuNP", "CuN4"):
        assert m in text
    assert repr(r) == text
    html = r._repr_html_()
    assert html and "<table" in html and "CuN4_Cu4" in html


def test_rank_of_real_data_has_no_generated_notice(corpus, tmp_path):
    text = (ROOT / "examples" / "networks" / "ni111_oer_corpus.toml").read_text()
    p = tmp_path / "n.toml"
    p.write_text(text.replace("../../../shared/vasp-corpus", corpus.as_posix()))
    r = chepath.rank(p)
    # real slabs: no GENERATED notice, but the file's own notice that its H2/H2O are not
    # from these runs
    assert "GENERATED" not in str(r)
    assert "NOTICE: Real corpus slabs" in str(r) and "NOT from these runs" in str(r)
    assert list(r.to_frame().index) == ["Ni(111), 1/4 ML O"]


def test_scan_frame_is_indexed_by_path(cli_lines):
    s = chepath.scan(SAMPLES)
    df = s.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert df.index.name == "path"
    recs = cli_lines("scan", SAMPLES, "--json-lines")
    assert list(df.index) == [r["path"] for r in recs]
    assert df.index.is_unique
    assert list(df.columns[:4]) == ["energy_sigma0", "electronic_converged", "ionic_converged", "complete"]
    assert {"files", "source", "composition", "params_ENCUT", "params_IBRION"} <= set(df.columns)
    for r in recs[:10]:
        assert df.loc[r["path"], "energy_sigma0"] == r["energy_sigma0"]
        assert df.loc[r["path"], "params_IBRION"] == r["params"]["IBRION"]
    assert len(df) == len(recs)


def test_scan_records_and_json():
    s = chepath.scan(SAMPLES)
    assert s.records is s["records"]
    assert json.loads(json.dumps(s)) == s.to_dict() == s
    text = str(s)
    assert "energy_sigma0" in text


def test_frames_of_an_empty_scan(tmp_path):
    s = chepath.scan(tmp_path)
    assert s["records"] == [] and s["warnings"] == []
    df = s.to_frame()
    assert isinstance(df, pd.DataFrame) and len(df) == 0
