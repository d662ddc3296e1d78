"""Scan a large tree in Dask workers, one shard per top-level directory, and concatenate
one DataFrame.

    python examples/python/dask_scan.py ROOT [--workers N]

Each task is `chepath.scan(shard)`: Rust reads the shard's calculations in parallel with
the GIL released, so a threaded Dask worker keeps both its cores busy; with a distributed
cluster the same tasks run on other machines (the paths must be visible there). Needs
`pip install . pandas dask`; without Dask it says so and exits 2.
"""

from __future__ import annotations

import argparse
import os
import sys

import chepath


def shards(root: str) -> list[str]:
    """The top-level directories of `root` (and `root` itself if it holds files directly:
    scanned without descending, so nothing is read twice)."""
    subs = sorted(
        os.path.join(root, d) for d in os.listdir(root) if os.path.isdir(os.path.join(root, d))
    )
    return subs or [root]


def scan_shard(path: str, jobs: int):
    return chepath.scan(path, jobs=jobs).to_frame()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root")
    ap.add_argument("--workers", type=int, default=2, help="Dask threads (default 2)")
    args = ap.parse_args()
    try:
        import dask
        import pandas as pd
    except ImportError as e:
        print(f"error: this example needs dask and pandas ({e}): pip install dask pandas", file=sys.stderr)
        return 2
    tasks = [dask.delayed(scan_shard)(s, 1) for s in shards(args.root)]
    frames = dask.compute(*tasks, scheduler="threads", num_workers=args.workers)
    df = pd.concat([f for f in frames if len(f)]).sort_index()
    # the same records as one chepath.scan of the whole tree
    print(f"{len(df)} calculations in {len(tasks)} shards")
    print(df[["energy_sigma0", "electronic_converged", "ionic_converged", "complete"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
