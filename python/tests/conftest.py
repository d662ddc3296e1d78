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


# --- shared helpers of the suite -------------------------------------------------------------

CORPUS = _corpus()


@pytest.fixture(scope="session")
def reference(corpus) -> dict:
    """The corpus's REFERENCE.json: relative path -> {type, raw, pymatgen, ase, ...} (values
    computed independently of chepath, by regexes, pymatgen and ASE)."""
    return json.loads((corpus / "REFERENCE.json").read_text())


def corpus_files(*types: str) -> list:
    """The corpus files of these REFERENCE.json types, as parameters (relative paths). Without
    a corpus, one parameter whose test then asks for the `corpus` fixture: a skip with a
    notice, or a failure when CI=true."""
    if CORPUS is None:
        return [pytest.param(None, id="no-corpus")]
    ref = json.loads((CORPUS / "REFERENCE.json").read_text())
    return sorted(k for k, v in ref.items() if not k.startswith("_") and v.get("type") in types)


def corpus_glob(pattern: str) -> list:
    """Corpus files matching a glob (relative paths), as parameters; see corpus_files."""
    if CORPUS is None:
        return [pytest.param(None, id="no-corpus")]
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob(pattern) if p.is_file())


@pytest.fixture(scope="session")
def cli_lines(cli):
    """The CLI's JSON-lines output of a command (which must succeed), as a list."""

    def run(*args: str):
        code, out, err = cli(*args)
        assert code == 0, err
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    return run


@pytest.fixture(scope="session")
def cli_error(cli):
    """Run a CLI command that must fail: returns (exit code, the error message without the
    'error: ' prefix)."""

    def run(*args: str):
        code, out, err = cli(*args)
        assert code != 0, f"the CLI succeeded: {out[:500]}"
        k = err.find("error: ")
        assert k >= 0, err
        return code, err[k + len("error: "):].strip()

    return run


HC_EV_CM = 1.239841984e-4  # h c, eV cm
K_EV = 8.617333262e-5  # Boltzmann constant, eV/K


def harmonic_correction(freqs_cm1, temperature: float) -> float:
    """ZPE + ∫Cv dT − TS (eV) of harmonic oscillators at these real frequencies (cm-1): the
    textbook formulas, written here independently of chepath."""
    import math

    total = 0.0
    for f in freqs_cm1:
        e = HC_EV_CM * f
        x = e / (K_EV * temperature)
        zpe = e / 2
        u = e / math.expm1(x)
        s = K_EV * (x / math.expm1(x) - math.log(-math.expm1(-x)))
        total += zpe + u - temperature * s
    return total
