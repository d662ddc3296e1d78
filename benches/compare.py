#!/usr/bin/env python3
"""Time chepath against pymatgen and ASE on the same OUTCARs, and against `wc -l` on a
large OUTCAR built from a real one. Prints a table of medians and ratios.

    python3 benches/compare.py                 # corpus + 1 GB file (built once, not committed)
    python3 benches/compare.py --big-mb 200    # a smaller large file
    python3 benches/compare.py --no-peers      # skip pymatgen/ASE (no venv needed)

It creates benches/work/venv with pymatgen and ASE on first use (pip, a few minutes), builds
chepath in release mode, and leaves every generated file under benches/work/ (git-ignored).
Peers are timed in-process (import time excluded); chepath is timed as a whole process
(`chepath parse --json FILES > /dev/null`: start-up and JSON output included).
"""
from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benches" / "work"
VENV = WORK / "venv"
PEER_VERSIONS = ["pymatgen==2026.10.24", "ase==3.29.0"]


def corpus_dir() -> Path:
    return Path(os.environ.get("CHEPATH_CORPUS", ROOT.parent / "shared" / "vasp-corpus"))


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_venv():
    py = VENV / "bin" / "python"
    if py.exists():
        r = subprocess.run([py, "-c", "import pymatgen.io.vasp, ase.io"], capture_output=True)
        if r.returncode == 0:
            return py
    WORK.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "venv", str(VENV)])
    run([py, "-m", "pip", "install", "-q", *PEER_VERSIONS])
    return py


def build():
    run(["cargo", "build", "--release", "-q"], cwd=ROOT)
    return ROOT / "target" / "release" / "chepath"


def median_time(fn, reps):
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


DOS_SCRIPT = r"""
import sys, time, statistics, warnings
import numpy as np
warnings.filterwarnings("ignore")
which, reps, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
TM = {"Sc","Ti","V","Cr","Mn","Fe","Co","Ni","Cu","Zn","Y","Zr","Nb","Mo","Tc","Ru","Rh","Pd","Ag","Cd","Hf","Ta","W","Re","Os","Ir","Pt","Au","Hg","La","Ce"}
def pmg(vasprun):
    from pymatgen.io.vasp.outputs import Vasprun
    v = Vasprun(vasprun, parse_potcar_file=False, parse_projected_eigen=False)
    cd = v.complete_dos
    return [cd.get_band_center(sites=[s]) for s in cd.structure if s.specie.symbol in TM]
def ase(doscar, efermi):
    from ase.calculators.vasp import VaspDos
    d = VaspDos(doscar, efermi=efermi)
    e = d.energy
    out = []
    for i in range(len(d._site_dos)):
        rho = d.site_dos(i, "d") if d._site_dos.shape[1] in (4, 5) else sum(d.site_dos(i, o) for o in ("dxy-up","dyz-up","dz2-up","dxz-up","dx2-up","dxy-down","dyz-down","dz2-down","dxz-down","dx2-down")) if d._site_dos.shape[1] == 19 else d.site_dos(i, "d-up") + d.site_dos(i, "d-down")
        n = np.trapezoid(rho, e)
        out.append(np.trapezoid(e * rho, e) / n if n else None)
    return out
ts = []
for _ in range(reps):
    t = time.perf_counter()
    for a in args:
        if which == "pymatgen":
            pmg(a)
        else:
            f, ef = a.split("@@")
            ase(f, float(ef))
    ts.append(time.perf_counter() - t)
print(statistics.median(ts))
"""


PEER_SCRIPT = r"""
import sys, time, statistics, warnings
warnings.filterwarnings("ignore")
which, reps, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
if which == "pymatgen":
    from pymatgen.io.vasp.outputs import Outcar
    def one(f): Outcar(f)
else:
    from ase.io import read
    def one(f): read(f, format="vasp-out", index=":")
ts = []
for _ in range(reps):
    t = time.perf_counter()
    for f in files:
        try:
            one(f)
        except Exception:
            pass
    ts.append(time.perf_counter() - t)
print(statistics.median(ts))
"""


def peer_time(py, which, files, reps):
    out = subprocess.run([py, "-c", PEER_SCRIPT, which, str(reps), *map(str, files)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def chepath_time(exe, files, reps):
    def go():
        subprocess.run([exe, "parse", "--json", *map(str, files)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    go()  # warm the page cache
    return median_time(go, reps)


def build_big(src: Path, target_mb: int) -> Path:
    """Header + the ionic steps of a real OUTCAR repeated until target size + its tail."""
    out = WORK / f"big_OUTCAR_{target_mb}MB"
    if out.exists() and out.stat().st_size >= target_mb * 1_000_000:
        return out
    data = gzip.open(src, "rb").read() if src.suffix == ".gz" else src.read_bytes()
    lines = data.splitlines(keepends=True)
    first = next(i for i, l in enumerate(lines) if b"Iteration" in l and l.lstrip().startswith(b"-"))
    last = next(i for i, l in enumerate(lines) if b"General timing and accounting" in l)
    head, body, tail = b"".join(lines[:first]), b"".join(lines[first:last]), b"".join(lines[last:])
    reps = max(1, (target_mb * 1_000_000 - len(head) - len(tail)) // len(body) + 1)
    WORK.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        fh.write(head)
        for _ in range(reps):
            fh.write(body)
        fh.write(tail)
    return out


def build_big_doscar(src: Path, target_mb: int) -> tuple[Path, int]:
    """A DOSCAR with the atom blocks of a real one repeated until the target size."""
    out = WORK / f"big_DOSCAR_{target_mb}MB"
    lines = src.read_bytes().splitlines(keepends=True)
    nions = int(lines[0].split()[0])
    nedos = int(lines[5].split()[2])
    head, total = lines[:5], lines[5:6 + nedos]
    blocks = [b"".join(lines[6 + nedos + k * (nedos + 1): 6 + nedos + (k + 1) * (nedos + 1)]) for k in range(nions)]
    per = sum(len(b) for b in blocks) / nions
    n = max(nions, int(target_mb * 1_000_000 / per))
    if not out.exists() or out.stat().st_size < target_mb * 900_000:
        first = lines[0].split()
        with open(out, "wb") as fh:
            fh.write(b"  %d  %d  %s  %s\n" % (n, n, first[2], first[3]))
            fh.writelines(head[1:])
            fh.writelines(total)
            for k in range(n):
                fh.write(blocks[k % nions])
    return out, n


def peak_rss_mb(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    return int(r.stderr.strip().splitlines()[-1]) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--big-mb", type=int, default=1000, help="size of the large OUTCAR (MB, default 1000)")
    ap.add_argument("--reps", type=int, default=5, help="repetitions per timing (median taken)")
    ap.add_argument("--no-peers", action="store_true", help="skip pymatgen and ASE")
    args = ap.parse_args()

    corpus = corpus_dir()
    if not (corpus / "REFERENCE.json").exists():
        sys.exit(f"corpus not found at {corpus}; set CHEPATH_CORPUS")
    exe = build()
    files = sorted(p for p in corpus.rglob("*OUTCAR*") if p.is_file())
    # The few-line excerpts (convergence_OUTCAR_*) make pymatgen raise; they are kept in the
    # set (every tool reads the same files) and peers' exceptions are caught and timed.
    size = sum((len(gzip.open(p).read()) if p.suffix == ".gz" else p.stat().st_size) for p in files)
    print(f"machine: {os.cpu_count()} cores; corpus: {len(files)} OUTCARs, {size/1e6:.1f} MB uncompressed")
    rows = []
    t_c = chepath_time(exe, files, args.reps)
    rows.append(("chepath parse --json (all OUTCARs, one process)", t_c, 1.0))
    if not args.no_peers:
        py = ensure_venv()
        t_p = peer_time(py, "pymatgen", files, max(1, args.reps // 2))
        rows.append(("pymatgen Outcar(f) for each file", t_p, t_p / t_c))
        t_a = peer_time(py, "ase", files, max(1, args.reps // 2))
        rows.append(("ASE read(f, format='vasp-out', index=':')", t_a, t_a / t_c))
    print(f"\n{'corpus OUTCARs':<52} {'median s':>10} {'vs chepath':>11}")
    for name, t, r in rows:
        print(f"{name:<52} {t:>10.3f} {r:>10.1f}x")

    # DOSCAR / vasprun.xml + d-band centre of every transition-metal atom.
    dirs = [corpus / "custodian/tests/files/lobster/vasp_lobster_output",
            corpus / "tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/zpe-backup"]
    doscars = [d / "DOSCAR" for d in dirs]
    vaspruns = [next(p for p in (d / "vasprun.xml", d / "vasprun.xml.gz") if p.exists()) for d in dirs]
    def dband(paths):
        def go():
            for p in paths:
                subprocess.run([exe, "dband", "--json", str(p)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        go()
        return median_time(go, args.reps)
    t_cd, t_cv = dband(doscars), dband(vaspruns)
    rows = [("chepath dband (DOSCAR), one process per run", t_cd, 1.0),
            ("chepath dband (vasprun.xml), one process per run", t_cv, t_cv / t_cd)]
    if not args.no_peers:
        efermis = [float(open(d).read().splitlines()[5].split()[3]) for d in doscars]
        out = subprocess.run([py, "-c", DOS_SCRIPT, "pymatgen", str(max(1, args.reps // 2)), *map(str, vaspruns)],
                             capture_output=True, text=True, check=True)
        t_pd = float(out.stdout.strip().splitlines()[-1])
        rows.append(("pymatgen Vasprun -> complete_dos.get_band_center(sites)", t_pd, t_pd / t_cd))
        out = subprocess.run([py, "-c", DOS_SCRIPT, "ase", str(max(1, args.reps // 2)),
                              *[f"{d}@@{e}" for d, e in zip(doscars, efermis)]], capture_output=True, text=True, check=True)
        t_ad = float(out.stdout.strip().splitlines()[-1])
        rows.append(("ASE VaspDos(DOSCAR) + numpy d-band centre", t_ad, t_ad / t_cd))
    print(f"\n{'DOS + d-band centre of the TM atoms (2 runs)':<52} {'median s':>10} {'vs chepath':>11}")
    for name, t, r in rows:
        print(f"{name:<52} {t:>10.3f} {r:>10.1f}x")
    bigd, nat = build_big_doscar(corpus / "staykov_vaspbook/DOSCAR", 100)
    t_wc = median_time(lambda: subprocess.run(["wc", "-l", str(bigd)], stdout=subprocess.DEVNULL), 3)
    t_one = median_time(lambda: subprocess.run([exe, "dband", "--json", "--atoms", "1", str(bigd)], stdout=subprocess.DEVNULL), 3)
    t_all = median_time(lambda: subprocess.run([exe, "dband", "--json", "--atoms", f"1-{nat}", str(bigd)], stdout=subprocess.DEVNULL), 3)
    print(f"\nlarge DOSCAR: {bigd} ({bigd.stat().st_size/1e6:.0f} MB, {nat} atoms, atom blocks of staykov_vaspbook/DOSCAR repeated)")
    print(f"{'wc -l':<52} {t_wc:>10.3f}")
    print(f"{'chepath dband --atoms 1 (one atom parsed)':<52} {t_one:>10.3f} {t_one / t_wc:>9.2f}x wc -l")
    print(f"{'chepath dband --atoms all (every atom parsed)':<52} {t_all:>10.3f} {t_all / t_wc:>9.2f}x wc -l")

    src = corpus / "tosykie_FeNi_OER/OER/O-covered/x0.50/slab/opt-backup5/OUTCAR"
    big = build_big(src, args.big_mb)
    gb = big.stat().st_size / 1e9
    print(f"\nlarge OUTCAR: {big} ({gb:.2f} GB, ionic steps of {src.relative_to(corpus)} repeated)")
    t_wc = median_time(lambda: subprocess.run(["wc", "-l", str(big)], stdout=subprocess.DEVNULL), 3)
    t_big = median_time(lambda: subprocess.run([exe, "parse", "--json", str(big)], stdout=subprocess.DEVNULL), 3)
    rss = peak_rss_mb([str(exe), "parse", "--json", str(big)])
    print(f"{'wc -l':<52} {t_wc:>10.3f}")
    print(f"{'chepath parse --json':<52} {t_big:>10.3f} {t_big / t_wc:>9.2f}x wc -l")
    print(f"{'chepath peak memory (MB)':<52} {rss:>10.1f}")
    print(f"{'chepath throughput (MB/s)':<52} {big.stat().st_size / 1e6 / t_big:>10.0f}")


if __name__ == "__main__":
    main()
