#!/usr/bin/env python3
"""Summarise libFuzzer logs (fuzz/runs/*.log or given files): executions, final coverage,
when coverage last grew and how many edges the second half of the run added (0: a
plateau), to judge whether a run reached one.

    python3 fuzz/summarize.py [LOG ...]
"""
import re
import sys
from pathlib import Path

logs = [Path(a) for a in sys.argv[1:]] or sorted((Path(__file__).parent / "runs").glob("*.log"))
print(f"{'target':<10} {'executions':>12} {'seconds':>8} {'exec/s':>8} {'cov':>6} {'ft':>7} {'last cov gain at':>18} {'2nd half':>8} {'crash':>6}")
for log in logs:
    text = log.read_text(errors="replace")
    rows = re.findall(r"^#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+)", text, re.M)
    if not rows:
        print(f"{log.stem:<10} (no progress lines)")
        continue
    last_gain, prev = 0, None
    for n, _, cov, _ in rows:
        if prev is None or int(cov) > prev:
            last_gain, prev = int(n), int(cov)
    n, _, cov, ft = rows[-1]
    secs = re.search(r"Done \d+ runs in (\d+) second", text)
    secs = int(secs.group(1)) if secs else 0
    crash = "yes" if "deadly signal" in text or "panicked" in text else "no"
    rate = int(n) // secs if secs else 0
    # edges gained in the second half of the run (by executions): 0 is a plateau
    half = max(int(c) for m, _, c, _ in rows if int(m) <= int(n) // 2)
    print(f"{log.stem:<10} {int(n):>12} {secs:>8} {rate:>8} {cov:>6} {ft:>7} {last_gain:>12} ({100 * last_gain // max(1, int(n))}%) {'+' + str(int(cov) - half):>8} {crash:>6}")
