#!/usr/bin/env python3
"""Time chepath against pymatgen and ASE on the same inputs, and against `wc -l` / `zcat`
on large files built from real ones. Prints tables of medians and ratios.

    python3 benches/compare.py                 # everything (inputs built once, not committed)
    python3 benches/compare.py --big-mb 200    # smaller large files
    python3 benches/compare.py --no-peers      # skip pymatgen/ASE (no venv needed)
    python3 benches/compare.py --only scan,vasprun

Sections: corpus (48 OUTCARs), dos (DOSCAR/vasprun + d-band of every atom), doscar (100 MB
DOSCAR), outcar (1 GB OUTCAR: full parse, --final, memory), gz (300 MB OUTCAR gzipped),
vasprun (1 GB vasprun.xml from repeated ionic steps), scan (10,000 calculation directories).

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
# Imports before timing (they are not the peers' parsing cost).
if which == "pymatgen":
    from pymatgen.io.vasp.outputs import Vasprun
else:
    from ase.calculators.vasp import VaspDos
def pmg(vasprun):
    v = Vasprun(vasprun, parse_potcar_file=False, parse_projected_eigen=False)
    cd = v.complete_dos
    return [cd.get_band_center(sites=[s]) for s in cd.structure]
def ase(doscar, efermi):
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


VASPRUN_SCRIPT = r"""
import sys, time, warnings
warnings.filterwarnings("ignore")
from pymatgen.io.vasp.outputs import Vasprun
f, fast = sys.argv[1], sys.argv[2] == "fast"
t = time.perf_counter()
if fast:
    v = Vasprun(f, parse_dos=False, parse_eigen=False, parse_projected_eigen=False, parse_potcar_file=False)
else:
    v = Vasprun(f, parse_potcar_file=False)
e = v.final_energy
print(time.perf_counter() - t, len(v.ionic_steps), e)
"""


SCAN_PEER_SCRIPT = r"""
import sys, time, warnings, os
warnings.filterwarnings("ignore")
which, dirs = sys.argv[1], sys.argv[2:]
if which == "pymatgen":
    from pymatgen.io.vasp.outputs import Outcar
    def one(d):
        o = Outcar(os.path.join(d, "OUTCAR")); return o.final_energy
else:
    from ase.io import read
    def one(d):
        return read(os.path.join(d, "OUTCAR"), format="vasp-out", index=-1).get_potential_energy()
t = time.perf_counter()
n = 0
for d in dirs:
    if not os.path.exists(os.path.join(d, "OUTCAR")):
        continue
    try:
        one(d)
    except Exception:
        pass
    n += 1
print(time.perf_counter() - t, n)
"""


def build_big_vasprun(src: Path, target_mb: int) -> tuple[Path, int]:
    """A vasprun.xml whose ionic steps (`<calculation>` blocks) are those of a real
    relaxation repeated until the target size; the last block (with the DOS) closes it."""
    out = WORK / f"big_vasprun_{target_mb}MB.xml"
    data = gzip.open(src, "rb").read() if src.suffix == ".gz" else src.read_bytes()
    starts = []
    k = data.find(b"<calculation>")
    while k >= 0:
        starts.append(k)
        k = data.find(b"<calculation>", k + 1)
    head, steps, last = data[:starts[0]], data[starts[0]:starts[-1]], data[starts[-1]:]
    per = len(steps) / (len(starts) - 1)
    reps = max(1, int((target_mb * 1_000_000 - len(head) - len(last)) / len(steps)) + 1)
    n = reps * (len(starts) - 1) + 1
    if not out.exists() or out.stat().st_size < target_mb * 900_000:
        WORK.mkdir(parents=True, exist_ok=True)
        with open(out, "wb") as fh:
            fh.write(head)
            for _ in range(reps):
                fh.write(steps)
            fh.write(last)
    return out, n


def build_tree(exe, corpus: Path, n: int) -> Path:
    """n calculation directories, hard links to the files of the real calculation
    directories of the corpus and of the bundled (generated) samples, round robin."""
    tree = WORK / f"tree{n}"
    if tree.exists() and sum(1 for _ in tree.iterdir()) >= n:
        return tree
    if tree.exists():
        shutil.rmtree(tree)
    import json
    lines = []
    for root in (corpus, ROOT / "sample_outputs" / "vasp"):
        out = subprocess.run([exe, "scan", "--json-lines", str(root)], capture_output=True, text=True)
        lines += out.stdout.splitlines()
    templates = []
    for line in lines:
        d = Path(json.loads(line)["path"])
        files = [f for f in d.iterdir() if f.is_file()]
        if files:
            templates.append(files)
    # Copies of the templates under WORK, so the links never point into the corpus.
    tpl_root = WORK / "tree_templates"
    if tpl_root.exists():
        shutil.rmtree(tpl_root)
    copies = []
    for k, files in enumerate(templates):
        d = tpl_root / f"t{k:03d}"
        d.mkdir(parents=True)
        for f in files:
            shutil.copyfile(f, d / f.name)
        copies.append(sorted(d.iterdir()))
    for k in range(n):
        d = tree / f"group{k // 100:03d}" / f"calc{k:05d}"
        d.mkdir(parents=True)
        for f in copies[k % len(copies)]:
            os.link(f, d / f.name)
    return tree


def time_cmd(cmd, reps):
    """Median wall time, and the median CPU use (user+sys over wall, %) from /usr/bin/time."""
    walls, cpus = [], []
    for _ in range(reps):
        r = subprocess.run(["/usr/bin/time", "-f", "%e %P %M", *map(str, cmd)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        w, p, m = r.stderr.strip().splitlines()[-1].split()
        walls.append(float(w))
        cpus.append(float(p.rstrip("%")))
    return statistics.median(walls), statistics.median(cpus), int(m) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--big-mb", type=int, default=1000, help="size of the large OUTCAR and vasprun.xml (MB, default 1000)")
    ap.add_argument("--reps", type=int, default=5, help="repetitions per timing (median taken)")
    ap.add_argument("--no-peers", action="store_true", help="skip pymatgen and ASE")
    ap.add_argument("--only", default="corpus,dos,doscar,outcar,gz,vasprun,scan", help="comma-separated sections")
    ap.add_argument("--tree", type=int, default=10000, help="calculation directories in the scan tree")
    args = ap.parse_args()
    only = set(args.only.split(","))

    corpus = corpus_dir()
    if not (corpus / "REFERENCE.json").exists():
        sys.exit(f"corpus not found at {corpus}; set CHEPATH_CORPUS")
    exe = build()
    py = None if args.no_peers else ensure_venv()
    print(f"machine: {os.cpu_count()} cores; chepath {subprocess.run([exe, '--version'], capture_output=True, text=True).stdout.strip()}")

    if "corpus" in only:
        files = sorted(p for p in corpus.rglob("*OUTCAR*") if p.is_file())
        # The few-line excerpts (convergence_OUTCAR_*) make pymatgen raise; they are kept in
        # the set (every tool reads the same files) and peers' exceptions are caught and timed.
        size = sum((len(gzip.open(p).read()) if p.suffix == ".gz" else p.stat().st_size) for p in files)
        print(f"\ncorpus: {len(files)} OUTCARs, {size/1e6:.1f} MB uncompressed")
        rows = []
        t_c = chepath_time(exe, files, args.reps)
        rows.append(("chepath parse --json (all OUTCARs, one process)", t_c, 1.0))
        if py:
            t_p = peer_time(py, "pymatgen", files, max(1, args.reps // 2))
            rows.append(("pymatgen Outcar(f) for each file", t_p, t_p / t_c))
            t_a = peer_time(py, "ase", files, max(1, args.reps // 2))
            rows.append(("ASE read(f, format='vasp-out', index=':')", t_a, t_a / t_c))
        print(f"{'corpus OUTCARs':<56} {'median s':>10} {'vs chepath':>11}")
        for name, t, r in rows:
            print(f"{name:<56} {t:>10.3f} {r:>10.1f}x")

    if "dos" in only:
        # DOSCAR / vasprun.xml + d-band centre of every atom (all three tools do every atom).
        dirs = [corpus / "custodian/tests/files/lobster/vasp_lobster_output",
                corpus / "tosykie_FeNi_OER/OER/O-covered/Ni(111)/OH/zpe-backup"]
        doscars = [d / "DOSCAR" for d in dirs]
        vaspruns = [next(p for p in (d / "vasprun.xml", d / "vasprun.xml.gz") if p.exists()) for d in dirs]
        def dband(paths):
            def go():
                for p in paths:
                    subprocess.run([exe, "dband", "--json", "--atoms", "all", str(p)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            go()
            return median_time(go, args.reps)
        t_cd, t_cv = dband(doscars), dband(vaspruns)
        rows = [("chepath dband --atoms all (DOSCAR), a process per run", t_cd, 1.0),
                ("chepath dband --atoms all (vasprun.xml), a process per run", t_cv, t_cv / t_cd)]
        if py:
            efermis = [float(open(d).read().splitlines()[5].split()[3]) for d in doscars]
            out = subprocess.run([py, "-c", DOS_SCRIPT, "pymatgen", str(max(1, args.reps // 2)), *map(str, vaspruns)],
                                 capture_output=True, text=True, check=True)
            t_pd = float(out.stdout.strip().splitlines()[-1])
            rows.append(("pymatgen Vasprun -> complete_dos.get_band_center(site)", t_pd, t_pd / t_cd))
            out = subprocess.run([py, "-c", DOS_SCRIPT, "ase", str(max(1, args.reps // 2)),
                                  *[f"{d}@@{e}" for d, e in zip(doscars, efermis)]], capture_output=True, text=True, check=True)
            t_ad = float(out.stdout.strip().splitlines()[-1])
            rows.append(("ASE VaspDos(DOSCAR) + numpy d-band centre", t_ad, t_ad / t_cd))
        print(f"\n{'DOS + d-band centre of every atom (2 runs, 56 atoms)':<56} {'median s':>10} {'vs chepath':>11}")
        for name, t, r in rows:
            print(f"{name:<56} {t:>10.3f} {r:>10.1f}x")

    if "doscar" in only:
        bigd, nat = build_big_doscar(corpus / "staykov_vaspbook/DOSCAR", 100)
        t_wc = median_time(lambda: subprocess.run(["wc", "-l", str(bigd)], stdout=subprocess.DEVNULL), 3)
        t_one = median_time(lambda: subprocess.run([exe, "dband", "--json", "--atoms", "1", str(bigd)], stdout=subprocess.DEVNULL), 3)
        t_all = median_time(lambda: subprocess.run([exe, "dband", "--json", "--atoms", f"1-{nat}", str(bigd)], stdout=subprocess.DEVNULL), 3)
        print(f"\nlarge DOSCAR: {bigd} ({bigd.stat().st_size/1e6:.0f} MB, {nat} atoms, atom blocks of staykov_vaspbook/DOSCAR repeated)")
        print(f"{'wc -l':<56} {t_wc:>10.3f}")
        print(f"{'chepath dband --atoms 1 (one atom parsed)':<56} {t_one:>10.3f} {t_one / t_wc:>9.2f}x wc -l")
        print(f"{'chepath dband --atoms all (every atom parsed)':<56} {t_all:>10.3f} {t_all / t_wc:>9.2f}x wc -l")

    src = corpus / "tosykie_FeNi_OER/OER/O-covered/x0.50/slab/opt-backup5/OUTCAR"
    if "outcar" in only:
        big = build_big(src, args.big_mb)
        gb = big.stat().st_size / 1e9
        print(f"\nlarge OUTCAR: {big} ({gb:.2f} GB, ionic steps of {src.relative_to(corpus)} repeated)")
        t_wc = median_time(lambda: subprocess.run(["wc", "-l", str(big)], stdout=subprocess.DEVNULL), 3)
        t_big, cpu, rss = time_cmd([exe, "parse", "--json", big], 3)
        t_fin, _, rss_fin = time_cmd([exe, "parse", "--final", "--json", big], 5)
        print(f"{'wc -l':<56} {t_wc:>10.3f}")
        print(f"{'chepath parse --json (full parse)':<56} {t_big:>10.3f} {t_big / t_wc:>9.2f}x wc -l")
        print(f"{'chepath parse --final --json (header + tail)':<56} {t_fin:>10.3f}")
        print(f"{'chepath peak memory, full / final (MB)':<56} {rss:>10.1f} {rss_fin:>10.1f}")
        print(f"{'chepath throughput (MB/s)':<56} {big.stat().st_size / 1e6 / t_big:>10.0f}")

    if "gz" in only:
        big = build_big(src, args.big_mb)
        gz = WORK / "big_OUTCAR_300MB.gz"
        if not gz.exists():
            subprocess.run(f"head -c 300000000 '{big}' | gzip -1 > '{gz}'", shell=True, check=True)
        t_z = median_time(lambda: subprocess.run(f"zcat '{gz}' > /dev/null", shell=True), 3)
        t_zw = median_time(lambda: subprocess.run(f"zcat '{gz}' | wc -l > /dev/null", shell=True), 3)
        t_c, _, rss = time_cmd([exe, "parse", "--json", gz], 3)
        print(f"\ngzip: {gz} ({gz.stat().st_size/1e6:.0f} MB, first 300 MB of the large OUTCAR, gzip -1)")
        print(f"{'zcat > /dev/null':<56} {t_z:>10.3f}")
        print(f"{'zcat | wc -l':<56} {t_zw:>10.3f}")
        print(f"{'chepath parse --json (flate2 + zlib-rs)':<56} {t_c:>10.3f} {t_c / t_z:>9.2f}x zcat   {rss:.0f} MB")

    if "vasprun" in only:
        vsrc = corpus / "pymatgen/test-files/io/vasp/outputs/vasprun.xml.gz"
        bigv, nsteps = build_big_vasprun(vsrc, args.big_mb)
        print(f"\nlarge vasprun.xml: {bigv} ({bigv.stat().st_size/1e9:.2f} GB, {nsteps} ionic steps: those of {vsrc.relative_to(corpus)} repeated)")
        t_wc = median_time(lambda: subprocess.run(["wc", "-l", str(bigv)], stdout=subprocess.DEVNULL), 3)
        t_c, cpu, rss = time_cmd([exe, "parse", "--json", bigv], 3)
        print(f"{'wc -l':<56} {t_wc:>10.3f}")
        print(f"{'chepath parse --json (energies, structures, modes)':<56} {t_c:>10.3f} {'1.0x':>10}   {rss:.0f} MB")
        if py:
            for mode, label in (("fast", "pymatgen Vasprun(parse_dos/eigen/projected=False)"), ("full", "pymatgen Vasprun() defaults")):
                r = subprocess.run(["/usr/bin/time", "-f", "%M", py, "-c", VASPRUN_SCRIPT, str(bigv), mode],
                                   capture_output=True, text=True)
                if r.returncode != 0:
                    print(f"{label:<56} failed: {r.stderr.strip().splitlines()[-1:]}")
                    continue
                t_p = float(r.stdout.split()[0])
                mem = int(r.stderr.strip().splitlines()[-1]) / 1024
                print(f"{label:<56} {t_p:>10.3f} {t_p / t_c:>9.1f}x   {mem:.0f} MB (one run)")

    if "scan" in only:
        tree = build_tree(exe, corpus, args.tree)
        ndirs = sum(1 for _ in tree.rglob("OUTCAR*"))
        print(f"\nscan tree: {tree} ({args.tree} calculation directories, hard links to copies of the corpus's "
              f"and the samples' calculation directories; warm page cache)")
        t1, c1, _ = time_cmd([exe, "scan", "--json-lines", "--jobs", "1", tree], 3)
        t2, c2, rss = time_cmd([exe, "scan", "--json-lines", tree], 3)
        print(f"{'chepath scan --json-lines --jobs 1':<56} {t1:>10.3f}   CPU {c1:.0f}%")
        print(f"{'chepath scan --json-lines (both cores)':<56} {t2:>10.3f}   CPU {c2:.0f}%  {t1 / t2:.2f}x faster, {rss:.0f} MB")
        if py:
            sample = sorted(str(p.parent) for p in tree.rglob("OUTCAR"))[:200]
            for which, label in (("pymatgen", "pymatgen Outcar(OUTCAR).final_energy"), ("ase", "ASE read(OUTCAR, index=-1)")):
                r = subprocess.run([py, "-c", SCAN_PEER_SCRIPT, which, *sample], capture_output=True, text=True, check=True)
                t, n = r.stdout.split()
                per = float(t) / int(n)
                print(f"{label + f' ({n} plain OUTCARs, x{args.tree})':<56} {per * args.tree:>10.1f} {per * args.tree / t2:>9.0f}x   extrapolated")
        print(f"(OUTCARs in the tree: {ndirs}; peers read only the plain OUTCARs of the first 200 directories)")


if __name__ == "__main__":
    main()
