"""The Python package on the bundled (generated) samples, against the CLI's JSON."""

from __future__ import annotations

import chepath
from conftest import SAMPLES


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
