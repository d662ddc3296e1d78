"""Shared fixtures: the project's root, the CLI binary the Python results are compared
with, and the corpus (required when CI=true, else its tests skip with a notice)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_outputs" / "vasp"


def _corpus() -> Path | None:
    env = os.environ.get("CHEPATH_CORPUS")
    p = Path(env) if env else ROOT.parent / "shared" / "vasp-corpus"
    return p if (p / "REFERENCE.json").is_file() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    p = _corpus()
    if p is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the corpus (../shared/vasp-corpus or CHEPATH_CORPUS) is missing")
        pytest.skip("NOTICE: corpus not found (../shared/vasp-corpus or CHEPATH_CORPUS): corpus tests skipped")
    return p


def _binary() -> Path | None:
    env = os.environ.get("CHEPATH_BIN")
    cands = [Path(env)] if env else [ROOT / "target" / "debug" / "chepath", ROOT / "target" / "release" / "chepath"]
    return next((c for c in cands if c.is_file()), None)


@pytest.fixture(scope="session")
def cli():
    """Run the chepath CLI; returns (exit code, stdout, stderr)."""
    b = _binary()
    if b is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no chepath binary (CHEPATH_BIN, target/debug or target/release)")
        pytest.skip("NOTICE: no chepath binary built (cargo build): CLI comparisons skipped")

    def run(*args: str) -> tuple[int, str, str]:
        p = subprocess.run([str(b), *map(str, args)], capture_output=True, text=True, cwd=ROOT)
        return p.returncode, p.stdout, p.stderr

    return run


@pytest.fixture(scope="session")
def cli_json(cli):
    """The CLI's JSON output of a command (which must succeed)."""

    def run(*args: str):
        code, out, err = cli(*args)
        assert code == 0, err
        return json.loads(out)

    return run
