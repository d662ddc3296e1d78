#!/usr/bin/env python3
"""Where the coverage a libFuzzer run found late lies: chepath's own code, the standard
library or a dependency, with the source line of each new edge.

The run must print its new edges (`-print_pcs=1`) and run without address randomisation
(`setarch x86_64 -R BINARY ...`), so that an address in the log is the binary's address plus
the fixed base of a PIE under `setarch -R`. `llvm-symbolizer` (Debian package llvm) names them.

    python3 fuzz/where_new.py BINARY LOG [FROM]    # FROM: fraction of the run's executions, 0.5
"""
import re
import subprocess
import sys
from collections import Counter

BASE = 0x555555554000  # where Linux maps a PIE when randomisation is off (x86-64)


def new_pcs(log):
    """(executions when found, address in the binary) of each NEW_PC line, and the run's total."""
    events, pending, total = [], [], 1
    for line in open(log, errors="replace"):
        m = re.match(r"\s*NEW_PC: (0x[0-9a-f]+)", line)
        if m:
            pending.append(int(m.group(1), 16) - BASE)
            continue
        m = re.match(r"#(\d+)\s", line)
        if m:
            total = max(total, int(m.group(1)))
            events += [(total, p) for p in pending]
            pending = []
    return events, total


def origin(loc):
    """chepath, std or the dependency's crate name, from a source path."""
    if loc.startswith("/rustc/"):
        return "std"
    m = re.search(r"registry/src/[^/]+/([^/]+)/", loc)
    if m:
        return m.group(1)
    return "chepath" if loc.startswith("/") else "unknown"


def main():
    binary, log = sys.argv[1], sys.argv[2]
    start = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    events, total = new_pcs(log)
    late = [(e, p) for e, p in events if e > start * total]
    inp = "".join(f"{hex(p)}\n" for _, p in late)
    out = subprocess.run(["llvm-symbolizer", f"--obj={binary}", "--demangle", "--inlining"],
                         input=inp, capture_output=True, text=True, check=True).stdout
    frames = [b.splitlines() for b in out.strip().split("\n\n")] if late else []
    counts = Counter()
    for (e, _), f in zip(late, frames):
        loc = f[1] if len(f) > 1 else "?"
        # the chepath frame that inlined it, if any, says what input shape reached it
        ours = next((f[i + 1] for i in range(0, len(f) - 1, 2) if origin(f[i + 1]) == "chepath"), "")
        counts[origin(loc)] += 1
        short = re.sub(r"^.*registry/src/[^/]+/|^/rustc/[0-9a-f]+/", "", loc)
        short_ours = re.sub(r"^.*?/((parsers/)?src/)", r"\1", ours)
        print(f"{100 * e / total:5.1f}%  {short:55.55s}  {short_ours}")
    print(f"new edges after {start:.0%} of {total} executions: {len(late)} "
          f"({', '.join(f'{k} {v}' for k, v in counts.most_common()) or 'none'})")


if __name__ == "__main__":
    main()
