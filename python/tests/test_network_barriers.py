"""`[barriers]` through the Python package: the same numbers as the CLI, by hand."""

from __future__ import annotations

import pytest

import chepath
from conftest import ROOT

EXAMPLE = ROOT / "examples" / "networks" / "no3rr_illustrative.toml"


def _best_step(result, frm, to):
    m = result["models"][0]
    return next(s for s in m["paths"][m["best_path"]]["steps"] if s["from"] == frm and s["to"] == to)


@pytest.mark.parametrize("u", [0.0, -0.25])
def test_barriers_by_hand(u):
    r = chepath.pathway(EXAMPLE, U=u)
    # G(TS) = -313.95 + 0.45 - 0.10; G(IS) = -314.90 + 0.40 - 0.11: Ea = 1.01, no beta
    assert _best_step(r, "*NO", "*NHO")["barrier"]["Ea"] == pytest.approx(1.01, abs=1e-9)
    # Ea = 0.62 + 0.5 * 1 * (U - 0)
    assert _best_step(r, "*NH2OH", "*NH2")["barrier"]["Ea"] == pytest.approx(0.62 + 0.5 * u, abs=1e-9)


def test_rank_by_barrier_and_its_frame(cli_json):
    ranking = chepath.rank(EXAMPLE, by="barrier")
    assert ranking == cli_json("rank", EXAMPLE, "--by", "barrier", "--format", "json")
    df = ranking.to_frame()
    assert df.loc["example", "largest_barrier_Ea"] == pytest.approx(1.01, abs=1e-9)
    assert df.loc["example", "largest_barrier_step"] == "*NO → *NHO"


def test_a_diagram_with_humps_is_svg():
    svg = chepath.diagram(EXAMPLE)
    assert "Ea 1.01 eV" in svg and "ILLUSTRATIVE VALUES" in svg
