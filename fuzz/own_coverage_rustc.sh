#!/usr/bin/env bash
# RUSTC_WRAPPER for a fuzz build whose coverage counts chepath's own code only:
# the sanitizer-coverage pass runs on the crates chepath, vasp_parsers and the fuzz
# targets (and on the generic code they instantiate), not on std's or a dependency's
# own compiled code. Why: toml_edit's tables are IndexMaps with std's RandomState, so
# hashbrown's probing paths inside toml_edit change with every process's hash seed and a
# whole-binary edge count never stops growing on the network target (fuzz/README.md).
#
#   cd fuzz && RUSTC_WRAPPER=$PWD/own_coverage_rustc.sh CARGO_TARGET_DIR=/tmp/target-fuzzown \
#       cargo fuzz build -s none -O network
set -euo pipefail
rustc="$1"
shift
crate=""
prev=""
for a in "$@"; do
    if [[ "$prev" == "--crate-name" ]]; then crate="$a"; fi
    prev="$a"
done
case "$crate" in
chepath | vasp_parsers | outcar | oszicar | doscar | poscar | vasprun | network) exec "$rustc" "$@" ;;
esac
args=()
skip_next=0
for a in "$@"; do
    if ((skip_next)); then
        skip_next=0
        [[ "$a" == passes=sancov-module ]] && continue
        args+=(-C "$a")
        continue
    fi
    case "$a" in
    -Cpasses=sancov-module) continue ;;
    -C) skip_next=1 ;;
    *) args+=("$a") ;;
    esac
done
exec "$rustc" "${args[@]}"
