#!/usr/bin/env python3
"""Seed inputs for the fuzz targets: small slices of real files (the shared corpus, when it
is beside the project) and of the bundled samples and fixtures. Writes fuzz/seeds/<target>/,
which is committed; libFuzzer's own growing corpus goes to fuzz/corpus/ (git-ignored).

    python3 fuzz/make_seeds.py
"""
import gzip
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "vasp-corpus"
OUT = ROOT / "fuzz" / "seeds"
MAX = 8 * 1024  # bytes per seed


def read(p: Path) -> bytes:
    b = p.read_bytes()
    return gzip.decompress(b) if b[:2] == b"\x1f\x8b" else b


def slices(b: bytes):
    """The start, a slice from the middle, and the end, each cut at line boundaries."""
    if len(b) <= MAX:
        yield b
        return
    yield b[: b.rfind(b"\n", 0, MAX) + 1]
    mid = b.find(b"\n", len(b) // 2) + 1
    yield b[mid : mid + MAX]
    yield b[-MAX:]


PATTERNS = {
    "outcar": ["**/OUTCAR*"],
    "oszicar": ["**/OSZICAR*"],
    "doscar": ["**/DOSCAR*"],
    "poscar": ["**/POSCAR*", "**/CONTCAR*"],
    "vasprun": ["**/vasprun*.xml*"],
    "network": ["**/*.toml"],
}
SOURCES = [CORPUS, ROOT / "sample_outputs" / "vasp", ROOT / "tests" / "fixtures", ROOT / "examples" / "networks"]

for target, pats in PATTERNS.items():
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    n = 0
    seen = set()
    for src in SOURCES:
        if not src.exists():
            continue
        files = sorted({p for pat in pats for p in src.glob(pat) if p.is_file()})
        for p in files[:8]:
            try:
                b = read(p)
            except OSError:
                continue
            for s in slices(b):
                h = hashlib.sha1(s).hexdigest()[:16]
                if h in seen or not s:
                    continue
                seen.add(h)
                (d / h).write_bytes(s)
                n += 1
    # The network target also gets the built-in templates.
    if target == "network":
        for p in sorted((ROOT / "src" / "network" / "templates").glob("*.toml")):
            s = p.read_bytes()
            (d / hashlib.sha1(s).hexdigest()[:16]).write_bytes(s)
            n += 1
    print(f"{target}: {n} seeds")
