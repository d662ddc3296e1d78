#!/usr/bin/env bash
# Run every fuzz target for SECONDS seconds (default 240), two at a time, logging to
# fuzz/runs/<target>.log. Needs cargo-fuzz (cargo install cargo-fuzz); works on stable
# Rust without sanitizers (-s none).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-240}"
targets=(outcar oszicar doscar poscar vasprun network)
cargo fuzz build -s none -O
mkdir -p fuzz/runs
run() {
    local t="$1"
    mkdir -p "fuzz/corpus/$t"
    cargo fuzz run -s none -O "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
        -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        > "fuzz/runs/$t.log" 2>&1 || echo "$t: crash or error, see fuzz/runs/$t.log and fuzz/artifacts/$t/"
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
    run "${targets[i]}" &
    if ((i + 1 < ${#targets[@]})); then run "${targets[i + 1]}" & fi
    wait
done
for t in "${targets[@]}"; do
    echo "== $t"; grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|Done [0-9]+ runs|^#[0-9]+.*(REDUCE|NEW|pulse).*cov:" "fuzz/runs/$t.log" | tail -3
done
