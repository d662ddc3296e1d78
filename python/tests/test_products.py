"""Every product of the nitrate template through the Python package, on the samples."""

from __future__ import annotations

import pytest

import chepath
from conftest import SAMPLES


def test_each_sample_model_lists_every_product(cli_json):
    r = chepath.pathway(SAMPLES)
    assert r == cli_json("pathway", SAMPLES, "--json")
    for m in r["models"]:
        by = {p["product"]: p for p in m["products"]}
        assert {"NH3(g)", "NH3(aq)", "NH4+", "NO2-", "NO(g)", "NH2OH"} <= set(by)
        # the main result is the NH3(g) product's
        assert by["NH3(g)"]["limiting_potential"] == pytest.approx(m["limiting_potential"], abs=1e-12)
        for p in by.values():
            assert p["computable"] == (p["limiting_potential"] is not None)
        assert m["selectivity"]["first"] in m["selectivity"]["order"]
    # the seed paper's U_L of the three models (Ji et al. 2023) stay what they were
    uls = sorted(round(m["limiting_potential"], 2) for m in r["models"])
    assert uls == [-1.97, -1.12, -0.78]
