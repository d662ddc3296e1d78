#!/usr/bin/env python3
"""Seed inputs for the fuzz targets: small slices of real files (the shared corpus, when it
is beside the project) and of the bundled samples and fixtures. Writes fuzz/seeds/<target>/,
which is committed; libFuzzer's own growing corpus goes to fuzz/corpus/ (git-ignored).

    python3 fuzz/make_seeds.py
"""
import gzip
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "vasp-corpus"
OUT = ROOT / "fuzz" / "seeds"
MAX = 8 * 1024  # bytes per seed


def read(p: Path) -> bytes:
    b = p.read_bytes()
    return gzip.decompress(b) if b[:2] == b"\x1f\x8b" else b


def shrunk_xml(b: bytes, keep: int = 1, runs_of: int = 2) -> bytes:
    """A whole vasprun.xml made small: of each run of consecutive data rows (`<r>`, `<v>`,
    `<c>`) the first `keep`, of each run of sibling `<calculation>`, `<scstep>` and `<set>`
    blocks the first `runs_of` (and the last calculation, which holds the DOS). Start slices end before the first <calculation>, and slices
    from the middle have no root, so the reader refuses them at once: without whole files
    the fuzzer never reaches calculations, SCF steps, eigenvalues, projections or the DOS."""
    out, run = [], 0
    skipping = None  # (tag, depth) of the block being left out
    counts = {}
    lines = b.splitlines(keepends=True)
    # the last calculation holds the DOS: always kept
    last = max((k for k, x in enumerate(lines) if x.strip().startswith(b"<calculation")), default=-1)
    for k, line in enumerate(lines):
        t = line.strip()
        if skipping:
            tag, depth = skipping
            if t.startswith(b"<" + tag) and not t.endswith(b"/>"):
                depth += 1
            if t.startswith(b"</" + tag + b">"):
                depth -= 1
            skipping = (tag, depth) if depth else None
            continue
        if t[:3] in (b"<r>", b"<v>", b"<c>"):
            run += 1
            if run > keep:
                continue
        else:
            run = 0
        opened = next((g for g in (b"calculation", b"scstep", b"set")
                       if t.startswith(b"<" + g) and not t.endswith(b"/>")
                       and t.count(b"</" + g) == 0), None)
        if opened:
            key = (opened, len(line) - len(line.lstrip()))
            counts[key] = counts.get(key, 0) + 1
            if counts[key] > runs_of and k != last:
                skipping = (opened, 1)
                continue
        if t.startswith(b"</") and not t.startswith(b"</set") and not t.startswith(b"</scstep"):
            # a parent closed: its children's runs start again
            indent = len(line) - len(line.lstrip())
            counts = {k: v for k, v in counts.items() if k[1] <= indent}
        out.append(line)
    return b"".join(out)


def shrunk_doscar(b: bytes, rows: int = 6) -> bytes:
    """A whole DOSCAR made small: NEDOS set to `rows` in the header and in every atom's
    block header, each block cut to its first `rows` lines. 8 KB slices of real DOSCARs
    end inside the total DOS, so the reader stops there: no atom's block is ever read."""
    lines = b.splitlines(keepends=True)
    if len(lines) < 7:
        return b
    try:
        nedos = int(float(lines[5].split()[2]))
    except (IndexError, ValueError):
        return b
    n = min(rows, nedos)

    def header(line: bytes) -> bytes:
        f = line.split()
        if len(f) < 3:
            return line
        old = f[2]
        k = line.find(old, line.find(f[1]) + len(f[1]))
        return line[:k] + str(n).rjust(len(old)).encode() + line[k + len(old):]

    out = lines[:5] + [header(lines[5])] + lines[6:6 + n]
    pos = 6 + nedos
    while pos < len(lines):
        out.append(header(lines[pos]))
        out.extend(lines[pos + 1:pos + 1 + n])
        pos += 1 + nedos
    return b"".join(out)


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
    # vasprun and doscar: whole files made small as well (shrunk_xml, shrunk_doscar), the
    # ones within max_len.
    shrink = {"vasprun": shrunk_xml, "doscar": shrunk_doscar}.get(target)
    if shrink:
        for src in SOURCES:
            if not src.exists():
                continue
            for p in sorted({p for pat in pats for p in src.glob(pat) if p.is_file()}):
                try:
                    s = shrink(read(p))
                except (OSError, EOFError):
                    continue
                h = hashlib.sha1(s).hexdigest()[:16]
                if len(s) <= 64 * 1024 and h not in seen:
                    seen.add(h)
                    (d / h).write_bytes(s)
                    n += 1
    # The network target also gets the built-in templates, as they are and as the [network]
    # table of a network file (an inline reaction: as a file of their own they are refused at
    # their first key, so until round 20 the fuzzer barely reached inline networks).
    if target == "network":
        sys.path.insert(0, str(ROOT / "fuzz"))
        from typed_variants import under_network
        for p in sorted((ROOT / "src" / "network" / "templates").glob("*.toml")):
            text = p.read_text()
            inline = "\n".join(under_network(text.splitlines())) + "\n"
            for s in (text.encode(), inline.encode()):
                (d / hashlib.sha1(s).hexdigest()[:16]).write_bytes(s)
                n += 1
    print(f"{target}: {n} seeds")
