#!/usr/bin/env bash
# The whole test suite, Rust and Python: the README's test command (`bash tests/all.sh`).
#
#   1. cargo test --workspace          the library, the CLI, the corpus (CI=true: required)
#   2. pip install . into a venv       the Python package as a user gets it (maturin, PyO3)
#   3. pytest python/tests             the package against the CLI's JSON, the corpus, errors
#
# The venv is target/python-venv (CHEPATH_VENV to choose another); it is made on first use
# and reused. Needs python3 >= 3.9 with venv and pip; pip fetches maturin, pytest, numpy,
# pandas, ASE and pymatgen from PyPI the first time (ASE and pymatgen: the peers the
# structure and corpus tests compare with; ~20 s to install).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo test --workspace"
cargo test --workspace

venv="${CHEPATH_VENV:-target/python-venv}"
if [ ! -x "$venv/bin/python" ]; then
  echo "== python3 -m venv $venv"
  python3 -m venv "$venv"
fi
py="$venv/bin/python"
echo "== pip install . (the chepath Python package) and the test tools"
"$py" -m pip install --quiet --disable-pip-version-check "pytest>=7" "pandas>=1.3" "numpy>=1.21" \
  "ase>=3.22" "pymatgen>=2023.1"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps .
echo "== pytest python/tests"
# the CLI binary the Python results are compared with: the one cargo test just built
export CHEPATH_BIN="${CHEPATH_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/chepath}"
"$py" -m pytest -q python/tests
