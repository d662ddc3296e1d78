#!/usr/bin/env python3
"""The chepath CLI against pymatgen and ASE on the same files, and against `wc -l` / `zcat`
on large files built from real ones: the same work, the same warm-up and repetitions for
every tool, runs interleaved, wall and CPU time (issue 16, item 1).

    python benches/compare.py                      # everything (inputs built once, git-ignored)
    python benches/compare.py --quick              # fast sanity run: 2 reps, small inputs
    python benches/compare.py --only scan,dos --reps 7 --json out.json
    python benches/compare.py --exe /tmp/target-bench/release/chepath   # no cargo build
    python benches/compare.py --no-peers           # chepath against wc/zcat only

Sections (--only): corpus (the 48 corpus OUTCARs), dos (d-band centre of every atom:
vasprun.xml with pymatgen, DOSCAR with ASE), doscar (a large DOSCAR), outcar (a large
OUTCAR), gz (a large gzipped OUTCAR), vasprun (a large vasprun.xml), scan (a tree of
calculation directories).

Method
  * Same files, same work. Every row compares two tools on the same file(s): pymatgen's
    d-band centres from vasprun.xml against `chepath dband vasprun.xml --atoms all --json`,
    ASE's VaspDos on a DOSCAR against `chepath dband DOSCAR --atoms all --json` on that
    DOSCAR, and so on. Where the tools read different amounts of the file it is said in the
    row (chepath dband also computes width, moments, filling, the upper edge).
  * Same warm-up and repetitions. Every tool's operation runs once untimed (page cache,
    imports, lazy initialisation), then --reps timed rounds; in each round every tool of
    the section runs once, the order rotated by one between rounds.
  * chepath (and wc, zcat) run as whole processes: wall time around spawn + wait, CPU time
    (user + sys) and peak RSS of the child from wait4(2). The peers run in a persistent
    worker interpreter (this script with --worker, a fresh one per section, imports done
    before any timing): wall time.perf_counter, CPU time.process_time, gc.collect() outside
    the timing. The CLI's process start-up (~2-3 ms) is therefore in chepath's times and no
    interpreter start-up is in the peers'; benches/inprocess.py has the in-process figures.
  * Reported: median with min-max per tool, the CPU-time median, the ratio of medians with
    the min-max of the per-round ratios, and the ratio of CPU-time medians. The load average
    and a fixed pure-Python probe (median of 11) before and after each section show how
    loaded the machine was.
  * scan: the tree is N directories of hard links to copies of the corpus's and the samples'
    calculation directories ("templates"), round robin; many templates hold a small
    OUTCAR.gz (the samples' frequency runs; about 38 % of the tree's directories, the section
    prints the counts), most a plain OUTCAR, a few neither. The peers read every template
    directory once per round (OUTCAR, else OUTCAR.gz through their own gzip support; nothing
    where there is neither, which favours them: chepath still lists and reads them); their
    per-directory times are weighted by how often each template occurs in the tree to
    extrapolate to N. chepath is also timed on the 137 template directories themselves.

Machine, date, load and tool versions are read at start and printed; --json FILE writes
every timing. Generated inputs live under benches/work/ (git-ignored).
"""
from __future__ import annotations

import argparse
import datetime
import gc
import gzip
import json
import os
import platform
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
TOL_EV = 1e-3


def corpus_dir() -> Path:
    return Path(os.environ.get("CHEPATH_CORPUS", ROOT.parent / "shared" / "vasp-corpus"))


# ---------------------------------------------------------------------------------------
# the peer worker (runs in the interpreter that has pymatgen and ASE)
# ---------------------------------------------------------------------------------------


def d_columns(ncol_with_energy):
    """Columns of ASE VaspDos._site_dos (energy is column 0) holding d densities:
    (up-or-total, down). The same mapping as benches/inprocess.py."""
    return {
        4: ([3], []), 5: ([3], []),
        7: ([5], [6]), 9: ([5], [6]),
        10: ([5, 6, 7, 8, 9], []), 17: ([5, 6, 7, 8, 9], []),
        19: ([9, 11, 13, 15, 17], [10, 12, 14, 16, 18]),
        33: ([9, 11, 13, 15, 17], [10, 12, 14, 16, 18]),
    }[ncol_with_energy]


def outcar_in(d):
    for name in ("OUTCAR", "OUTCAR.gz"):
        p = os.path.join(d, name)
        if os.path.isfile(p):
            return p
    return None


def worker_main():
    """Read one JSON request a line on stdin, run it, answer one JSON line with the wall
    and CPU time of the call. Library output goes to stderr, never into the answers."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    import warnings
    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    import math
    import numpy as np
    from ase.calculators.vasp import VaspDos
    from ase.io import read
    import ase.io.vasp  # noqa: F401 - the vasp-out reader, imported by read() on first use
    from pymatgen.io.vasp.outputs import Outcar, Vasprun
    import_s = time.perf_counter() - t0
    from importlib.metadata import version
    import ase

    def finite(x):
        x = float(x)
        return x if math.isfinite(x) else None

    def first_moment(e, rho):
        n = np.trapezoid(rho, e)
        return float(np.trapezoid(e * rho, e) / n) if n != 0 else None

    def efermi_of(f):
        with open(f) as fh:
            for _ in range(5):
                fh.readline()
            return float(fh.readline().split()[3])

    def outcar_pmg(files):
        ok = err = 0
        for f in files:
            try:
                Outcar(f).final_energy
                ok += 1
            except Exception:  # noqa: BLE001 - raising on a real file is timed like the rest
                err += 1
        return {"ok": ok, "raised": err}, None

    def outcar_ase(files):
        ok = err = 0
        for f in files:
            try:
                read(f, index=":", format="vasp-out")
                ok += 1
            except Exception:  # noqa: BLE001
                err += 1
        return {"ok": ok, "raised": err}, None

    def dband_pmg_vasprun(files):
        res = []
        for f in files:
            v = Vasprun(f, parse_dos=True, parse_eigen=False, parse_projected_eigen=False,
                        parse_potcar_file=False)
            cd = v.complete_dos
            with np.errstate(invalid="ignore", divide="ignore"):
                res.append([finite(cd.get_band_center(sites=[s])) for s in cd.structure])
        return res, None

    def dband_ase_doscar(files):
        res = []
        for f in files:
            v = VaspDos(f, efermi=efermi_of(f))
            up, dn = d_columns(v._site_dos.shape[1])
            e = v.energy
            res.append([first_moment(e, v._site_dos[i, up, :].sum(axis=0) + np.abs(v._site_dos[i, dn, :]).sum(axis=0))
                        for i in range(v._site_dos.shape[0])])
        return res, None

    def vasprun_pmg(f):
        v = Vasprun(f, parse_dos=False, parse_eigen=False, parse_projected_eigen=False, parse_potcar_file=False)
        return {"ionic_steps": len(v.ionic_steps), "final_energy": float(v.final_energy)}, None

    def scan(one):
        def go(dirs):
            per, cpu, kinds, raised = [], [], [], 0
            for d in dirs:
                c0, t = time.process_time(), time.perf_counter()
                f = outcar_in(d)
                if f:
                    try:
                        one(f)
                    except Exception:  # noqa: BLE001
                        raised += 1
                per.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c0)
                kinds.append("gz" if f and f.endswith(".gz") else ("plain" if f else "none"))
            return {"raised": raised}, {"per_dir": per, "per_dir_cpu": cpu, "kinds": kinds}
        return go

    ops = {
        "outcar_pmg": outcar_pmg,
        "outcar_ase": outcar_ase,
        "dband_pmg_vasprun": dband_pmg_vasprun,
        "dband_ase_doscar": dband_ase_doscar,
        "vasprun_pmg": vasprun_pmg,
        "scan_pmg": scan(lambda f: Outcar(f).final_energy),
        "scan_ase": scan(lambda f: read(f, format="vasp-out", index=-1).get_potential_energy()),
    }

    def rss_mb():
        """VmHWM: this address space's peak (ru_maxrss would include the spawner's)."""
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024

    out.write(json.dumps({"ready": True, "import_s": import_s, "rss_mb": rss_mb(), "versions": {
        "python": platform.python_version(), "numpy": np.__version__, "ase": ase.__version__,
        "pymatgen": version("pymatgen")}}) + "\n")
    for line in sys.stdin:
        req = json.loads(line)
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        try:
            value, detail = ops[req["op"]](*req["args"])
            error = None
        except Exception as e:  # noqa: BLE001
            value, detail, error = None, None, f"{type(e).__name__}: {e}"
        t1, c1 = time.perf_counter(), time.process_time()
        out.write(json.dumps({"wall": t1 - t0, "cpu": c1 - c0, "value": value, "detail": detail,
                              "error": error, "rss_mb": rss_mb()}) + "\n")


class Worker:
    def __init__(self, py):
        WORK.mkdir(parents=True, exist_ok=True)
        self.log = open(WORK / "peer-worker.log", "a")
        self.p = subprocess.Popen([str(py), str(Path(__file__).resolve()), "--worker"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1)
        self.hello = json.loads(self.p.stdout.readline())

    def call(self, op, *args):
        self.p.stdin.write(json.dumps({"op": op, "args": args}) + "\n")
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError(f"peer worker died (see {WORK / 'peer-worker.log'})")
        r = json.loads(line)
        if r["error"]:
            raise RuntimeError(f"peer {op}: {r['error']}")
        return r

    def close(self):
        self.p.stdin.close()
        self.p.wait()
        self.log.close()


# ---------------------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------------------


def summary(xs):
    xs = sorted(xs)
    return {"median": statistics.median(xs), "min": xs[0], "max": xs[-1], "n": len(xs)}


def run_cli(cmd):
    """One child process, stdout and stderr to /dev/null: wall time around spawn and wait;
    user+sys CPU of the child (and of any children it waited for) from wait4. Not its peak
    RSS: Linux counts the spawning process's memory into the child's ru_maxrss (exec keeps
    the old address space's high-water mark), so that is measured by peak_rss() instead."""
    t0 = time.perf_counter()
    p = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError(f"exit {p.returncode}: {' '.join(map(str, cmd))}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime}


TIME_OUT = WORK / "time-rss.txt"


def peak_rss(cmd, capture=False):
    """Run cmd under GNU time (a small process, so its child's maximum RSS is the command's
    own); returns (peak RSS in MB, stdout if capture)."""
    WORK.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(TIME_OUT), *map(str, cmd)],
                       stdout=subprocess.PIPE if capture else subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       text=True, check=True)
    return int(TIME_OUT.read_text().split()[-1]) / 1024, r.stdout


class Case:
    """One tool's operation. timed() -> {"wall", "cpu", ...}; warm() is the untimed first
    call (for CLI cases it captures stdout, parsed by `parse` into a value to check)."""

    def __init__(self, key, label, timed, warm=None, cmd=None):
        self.key, self.label, self.timed, self.warm, self.cmd = key, label, timed, warm or timed, cmd


def cli_case(key, label, cmds, parse=None):
    """cmds: one command or a list of commands run one after another (one process each)."""
    cmds = cmds if isinstance(cmds[0], (list, tuple)) else [cmds]

    def timed():
        t0 = time.perf_counter()
        rs = [run_cli(c) for c in cmds]
        return {"wall": time.perf_counter() - t0, "cpu": sum(r["cpu"] for r in rs)}

    def warm():
        """Untimed: the peak RSS of each command (GNU time) and, with `parse`, its output."""
        vals, rss = [], []
        for c in cmds:
            m, out = peak_rss(c, capture=parse is not None)
            rss.append(m)
            if parse:
                vals.append(parse(out))
        return {"value": vals if parse else None, "rss_mb": max(rss)}

    return Case(key, label, timed, warm, [" ".join(map(str, c)) for c in cmds[:3]] + (["..."] if len(cmds) > 3 else []))


def shell_case(key, label, script):
    return cli_case(key, label, ["sh", "-c", script])


def worker_case(worker, key, label, op, *args):
    return Case(key, label, lambda: worker.call(op, *args))


def bench(cases, reps):
    """Each case once untimed, then `reps` rounds of one timed call each, the order rotated
    by one every round."""
    warm = {c.key: c.warm() for c in cases}
    runs = {c.key: [] for c in cases}
    orders = []
    for r in range(reps):
        k = r % len(cases)
        order = cases[k:] + cases[:k]
        orders.append([c.key for c in order])
        for c in order:
            runs[c.key].append(c.timed())
    return warm, runs, orders


def probe(n=11):
    """A fixed pure-Python workload (~20 ms on this machine) timed n times: its median moves
    with the load from other jobs."""
    def work():
        s = 0.0
        for i in range(400_000):
            s += i * 0.5
        return s
    work()
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        work()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def fmt_t(s):
    if s is None:
        return "—"
    if s < 0.01:
        return f"{s * 1e3:.2f} ms"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    if s < 100:
        return f"{s:.2f} s"
    return f"{s:.0f} s"


def fmt_r(x):
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


# ---------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------


def build(exe):
    if exe:
        return Path(exe)
    run = subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT)
    if run.returncode:
        sys.exit("cargo build --release failed")
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return (target if target.is_absolute() else ROOT / target) / "release" / "chepath"


def peer_python(arg):
    if arg:
        return Path(arg)
    probe_cmd = [sys.executable, "-c", "import pymatgen.io.vasp, ase.io, numpy"]
    if subprocess.run(probe_cmd, capture_output=True).returncode == 0:
        return Path(sys.executable)
    py = VENV / "bin" / "python"
    if py.exists() and subprocess.run([py, "-c", "import pymatgen.io.vasp, ase.io"], capture_output=True).returncode == 0:
        return py
    WORK.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([py, "-m", "pip", "install", "-q", *PEER_VERSIONS], check=True)
    return py


def select(corpus: Path):
    """The corpus files by REFERENCE.json "type", as benches/inprocess.py selects them."""
    ref = json.loads((corpus / "REFERENCE.json").read_text())
    by_type = {}
    for k, v in ref.items():
        if isinstance(v, dict) and v.get("type"):
            by_type.setdefault(v["type"], []).append(corpus / k)
    doscars = sorted(by_type.get("DOSCAR", []))
    vaspruns = [p for p in sorted(by_type.get("vasprun", []))
                if b"<partial>" in (gzip.open(p).read() if p.suffix == ".gz" else p.read_bytes())]
    return doscars, vaspruns


def uncompressed_size(paths):
    return sum(len(gzip.open(p).read()) if p.suffix == ".gz" else p.stat().st_size for p in paths)


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
        WORK.mkdir(parents=True, exist_ok=True)
        first = lines[0].split()
        with open(out, "wb") as fh:
            fh.write(b"  %d  %d  %s  %s\n" % (n, n, first[2], first[3]))
            fh.writelines(head[1:])
            fh.writelines(total)
            for k in range(n):
                fh.write(blocks[k % nions])
    return out, n


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


def build_tree(exe, corpus: Path, n: int) -> tuple[Path, list[Path]]:
    """n calculation directories, hard links to copies (the templates) of the real
    calculation directories of the corpus and of the bundled samples, round robin:
    directory k links the files of template k % len(templates)."""
    tree = WORK / f"tree{n}"
    tpl_root = WORK / "tree_templates"
    if tree.exists() and tpl_root.exists() and sum(1 for _ in tree.rglob("calc*")) >= n:
        return tree, sorted(tpl_root.iterdir())
    if tree.exists():
        shutil.rmtree(tree)
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
    # Copies under WORK, so the links never point into the corpus. Other trees (another
    # --tree) link to the same copies, so they are rebuilt only when missing.
    if not tpl_root.exists() or sum(1 for _ in tpl_root.iterdir()) != len(templates):
        if tpl_root.exists():
            shutil.rmtree(tpl_root)
        for k, files in enumerate(templates):
            d = tpl_root / f"t{k:03d}"
            d.mkdir(parents=True)
            for f in files:
                shutil.copyfile(f, d / f.name)
    copies = [sorted(d.iterdir()) for d in sorted(tpl_root.iterdir())]
    for k in range(n):
        d = tree / f"group{k // 100:03d}" / f"calc{k:05d}"
        d.mkdir(parents=True)
        for f in copies[k % len(copies)]:
            os.link(f, d / f.name)
    return tree, sorted(tpl_root.iterdir())


def machine_info():
    info = {"date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "kernel": platform.release(), "arch": platform.machine()}
    try:
        cpu = Path("/proc/cpuinfo").read_text().splitlines()
        models = [l.split(":", 1)[1].strip() for l in cpu if l.startswith("model name")]
        mhz = [l.split(":", 1)[1].strip() for l in cpu if l.startswith("cpu MHz")]
        info.update(cpu_model=models[0] if models else None, cores=sum(l.startswith("processor") for l in cpu),
                    cpu_mhz=mhz[0] if mhz else None,
                    hypervisor="hypervisor" in next((l for l in cpu if l.startswith("flags")), ""))
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        info["mem_gib"] = round(int(mem.split()[1]) / 2**20, 1)
        osr = dict(l.split("=", 1) for l in Path("/etc/os-release").read_text().splitlines() if "=" in l)
        info["os"] = osr.get("PRETTY_NAME", "").strip('"')
    except OSError:
        pass
    return info


def first_line(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return None


# ---------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.rows = []
        self.sections = {}

    def section(self, name, title):
        la = os.getloadavg()
        sec = {"title": title, "load_before": la, "probe_before": probe(), "t0": time.perf_counter(),
               "cases": {}, "rows": [], "notes": []}
        self.sections[name] = sec
        print(f"\n## {title}\n  load average before: {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}; "
              f"probe {fmt_t(sec['probe_before'])}", flush=True)
        return sec

    def record(self, sec, cases, warm, runs, orders):
        for c in cases:
            w, cpu = [r["wall"] for r in runs[c.key]], [r["cpu"] for r in runs[c.key]]
            rss = [warm[c.key]["rss_mb"]] if warm[c.key].get("rss_mb") is not None else []
            s = summary(w)
            sec["cases"][c.key] = {"label": c.label, "cmd": c.cmd, "wall": w, "cpu": cpu, "rss_mb": rss,
                                   "summary": s, "cpu_median": statistics.median(cpu),
                                   "warmup": {k: v for k, v in warm[c.key].items() if k != "detail"},
                                   "detail": [r.get("detail") for r in runs[c.key]] if runs[c.key][0].get("detail") else None}
            print(f"  {c.label:<64} {fmt_t(s['median']):>9} ({fmt_t(s['min'])}–{fmt_t(s['max'])})  "
                  f"CPU {fmt_t(statistics.median(cpu))}" + (f"  peak RSS {max(rss):.0f} MB" if rss and c.cmd else ""))
        sec["orders"] = orders

    def row(self, sec, work, a, b, walls_a=None, walls_b=None, cpu_a=None, cpu_b=None, note=""):
        """A row comparing case b to case a: ratio = b / a. walls_*/cpu_* override the
        recorded cases' (the scan extrapolation)."""
        ca, cb = sec["cases"].get(a), sec["cases"].get(b)
        wa, wb = walls_a or ca["wall"], walls_b or cb["wall"]
        pa, pb = cpu_a or ca["cpu"], cpu_b or cb["cpu"]
        rounds = [y / x for x, y in zip(wa, wb)]
        r = {"section": sec["title"], "work": work, "a": ca["label"] if ca else a, "b": cb["label"] if cb else b,
             "a_summary": summary(wa), "b_summary": summary(wb), "a_cpu": statistics.median(pa),
             "b_cpu": statistics.median(pb), "ratio": statistics.median(wb) / statistics.median(wa),
             "ratio_rounds": [min(rounds), max(rounds)], "ratio_cpu": statistics.median(pb) / statistics.median(pa),
             "note": note}
        sec["rows"].append(r)
        self.rows.append(r)
        print(f"  -> {r['b']} ÷ {r['a']}: {fmt_r(r['ratio'])}× (rounds {fmt_r(min(rounds))}–{fmt_r(max(rounds))}), "
              f"CPU {fmt_r(r['ratio_cpu'])}×")
        return r

    def note(self, sec, text):
        sec["notes"].append(text)
        print(f"  note: {text}")

    def end(self, sec):
        la = os.getloadavg()
        sec["load_after"] = la
        sec["probe_after"] = probe()
        sec["seconds"] = time.perf_counter() - sec.pop("t0")
        print(f"  load average after: {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}; probe {fmt_t(sec['probe_after'])}; "
              f"section {sec['seconds']:.0f} s", flush=True)

    def markdown(self, head):
        lines = [head, "",
                 "| work (same files for both) | A | A: median (min–max), CPU | B | B: median (min–max), CPU "
                 "| B ÷ A wall (per-round min–max) | B ÷ A CPU |",
                 "|---|---|---|---|---|---|---|"]
        for r in self.rows:
            sa, sb = r["a_summary"], r["b_summary"]
            cell = lambda s, c: f"{fmt_t(s['median'])} ({fmt_t(s['min'])}–{fmt_t(s['max'])}), CPU {fmt_t(c)}"
            work = r["work"] + (f" — {r['note']}" if r["note"] else "")
            esc = lambda t: t.replace("|", "\\|")
            lines.append(f"| {esc(work)} | {esc(r['a'])} | {cell(sa, r['a_cpu'])} | {esc(r['b'])} | {cell(sb, r['b_cpu'])} "
                         f"| **{fmt_r(r['ratio'])}×** ({fmt_r(r['ratio_rounds'][0])}–{fmt_r(r['ratio_rounds'][1])}) "
                         f"| {fmt_r(r['ratio_cpu'])}× |")
        lines += ["", "Load average (1 min) and probe median before → after each section:", ""]
        for s in self.sections.values():
            if "load_after" in s:
                lines.append(f"- {s['title']}: load {s['load_before'][0]:.2f} → {s['load_after'][0]:.2f}, "
                             f"probe {fmt_t(s['probe_before'])} → {fmt_t(s['probe_after'])}, {s['seconds']:.0f} s")
                lines += [f"  - {n}" for n in s["notes"]]
        return "\n".join(lines)


def centres_agree(a, b):
    """Per atom over files: (within TOL_EV, undefined in both, disagreeing, max |d|)."""
    ok = undef = bad = 0
    worst = 0.0
    for xa, xb in zip(a, b):
        if len(xa) != len(xb):
            bad += max(len(xa), len(xb))
            continue
        for u, v in zip(xa, xb):
            if u is None and v is None:
                undef += 1
            elif u is None or v is None:
                bad += 1
            else:
                worst = max(worst, abs(u - v))
                ok, bad = (ok + 1, bad) if abs(u - v) <= TOL_EV else (ok, bad + 1)
    return ok, undef, bad, worst


def dband_centres(stdout):
    return [a.get("center") for a in json.loads(stdout)["atoms"]]


# ---------------------------------------------------------------------------------------


def main():
    if "--worker" in sys.argv[1:]:
        worker_main()
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, help="timed rounds after the warm-up (default 5; --quick 2)")
    ap.add_argument("--big-mb", type=int, help="large OUTCAR and vasprun.xml, MB (default 1000; --quick 100)")
    ap.add_argument("--gz-mb", type=int, help="uncompressed size of the gzipped OUTCAR, MB (default 300; --quick 50)")
    ap.add_argument("--doscar-mb", type=int, help="large DOSCAR, MB (default 100; --quick 20)")
    ap.add_argument("--tree", type=int, help="calculation directories in the scan tree (default 10000; --quick 1000)")
    ap.add_argument("--quick", action="store_true", help="fast sanity run: 2 reps, small inputs")
    ap.add_argument("--no-peers", action="store_true", help="skip pymatgen and ASE")
    ap.add_argument("--only", default="corpus,dos,doscar,outcar,gz,vasprun,scan", help="comma-separated sections")
    ap.add_argument("--exe", help="chepath binary to time (default: cargo build --release here)")
    ap.add_argument("--peer-python", help="interpreter with pymatgen, ASE, NumPy (default: this one if it has "
                    "them, else benches/work/venv, created on first use)")
    ap.add_argument("--json", help="write every timing, the machine and the versions to this file")
    args = ap.parse_args()
    q = args.quick
    reps = args.reps or (2 if q else 5)
    big_mb = args.big_mb or (100 if q else 1000)
    gz_mb = min(args.gz_mb or (50 if q else 300), big_mb)
    doscar_mb = args.doscar_mb or (20 if q else 100)
    ntree = args.tree or (1000 if q else 10000)
    only = set(args.only.split(","))

    corpus = corpus_dir()
    if not (corpus / "REFERENCE.json").exists():
        sys.exit(f"corpus not found at {corpus}; set CHEPATH_CORPUS")
    exe = build(args.exe)
    py = None if args.no_peers else peer_python(args.peer_python)

    mach = machine_info()
    versions = {"chepath": first_line([exe, "--version"]), "driver python": platform.python_version(),
                "wc": first_line(["wc", "--version"]), "gzip": first_line(["gzip", "--version"]),
                "rustc": first_line(["rustc", "--version"]),
                "source commit": first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])}
    if py:
        w = Worker(py)
        versions.update({f"peer {k}": v for k, v in w.hello["versions"].items()})
        versions["peer interpreter"] = str(py)
        w.close()
    load0 = os.getloadavg()
    head = (f"Run {mach.get('date')} on {mach.get('cores')} × \"{mach.get('cpu_model')}\" ({mach.get('cpu_mhz')} MHz"
            f"{', virtualised' if mach.get('hypervisor') else ''}), {mach.get('mem_gib')} GiB, {mach.get('os')}, "
            f"kernel {mach.get('kernel')}; load average at start {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}. "
            f"1 untimed warm-up + {reps} interleaved rounds per tool. "
            + "; ".join(f"{k} {v}" for k, v in versions.items() if v) + ".")
    print(head)
    rep = Report()
    t_all = time.perf_counter()

    def peers():
        return Worker(py) if py else None

    if "corpus" in only:
        files = sorted(p for p in corpus.rglob("*OUTCAR*") if p.is_file())
        ngz = sum(p.suffix == ".gz" for p in files)
        size = uncompressed_size(files)
        sec = rep.section("corpus", f"{len(files)} corpus OUTCARs ({ngz} gzipped, {size / 1e6:.1f} MB uncompressed), full parse")
        w = peers()
        cases = [cli_case("chepath", "chepath parse --json (all files, one process)", [exe, "parse", "--json", *files])]
        if w:
            cases += [worker_case(w, "pymatgen", "pymatgen Outcar(f)", "outcar_pmg", [str(f) for f in files]),
                      worker_case(w, "ase", "ASE read(f, index=':', format='vasp-out')", "outcar_ase", [str(f) for f in files])]
        warm, runs, orders = bench(cases, reps)
        rep.record(sec, cases, warm, runs, orders)
        if w:
            for k in ("pymatgen", "ase"):
                v = warm[k]["value"]
                rep.note(sec, f"{k}: {v['ok']} files read, {v['raised']} raised (timed like the rest)")
            work = f"{len(files)} OUTCARs, full parse"
            rep.row(sec, work, "chepath", "pymatgen", note="pymatgen reads its regular parameters, chepath every step's energies")
            rep.row(sec, work, "chepath", "ase", note="ASE builds an Atoms (positions, forces, stress) per step")
            w.close()
        rep.end(sec)

    if "dos" in only:
        doscars, vaspruns = select(corpus)
        sec = rep.section("dos", f"d-band centre of every atom: {len(vaspruns)} vasprun.xml with a PDOS "
                          f"({uncompressed_size(vaspruns) / 1e6:.0f} MB), {len(doscars)} DOSCARs; chepath one process per file")
        w = peers()
        cases = [cli_case("chepath_vasprun", "chepath dband vasprun.xml --atoms all --json",
                          [[exe, "dband", f, "--atoms", "all", "--json"] for f in vaspruns], parse=dband_centres),
                 cli_case("chepath_doscar", "chepath dband DOSCAR --atoms all --json",
                          [[exe, "dband", f, "--atoms", "all", "--json"] for f in doscars], parse=dband_centres)]
        if w:
            cases += [worker_case(w, "pymatgen", "pymatgen Vasprun(parse_dos=True) + get_band_center(site)",
                                  "dband_pmg_vasprun", [str(f) for f in vaspruns]),
                      worker_case(w, "ase", "ASE VaspDos(DOSCAR) + NumPy trapezoid centre", "dband_ase_doscar",
                                  [str(f) for f in doscars])]
        warm, runs, orders = bench(cases, reps)
        rep.record(sec, cases, warm, runs, orders)
        if w:
            for ck, pk, n in (("chepath_vasprun", "pymatgen", len(vaspruns)), ("chepath_doscar", "ase", len(doscars))):
                ok, undef, bad, worst = centres_agree(warm[ck]["value"], warm[pk]["value"])
                rep.note(sec, f"{pk} vs chepath centres: {ok} atoms within {TOL_EV:g} eV (max |d| {worst:.1e} eV), "
                         f"{undef} without d states in both, {bad} disagree")
            rep.row(sec, f"{len(vaspruns)} vasprun.xml, every atom", "chepath_vasprun", "pymatgen",
                    note="chepath also computes width, moments, filling, upper edge")
            rep.row(sec, f"{len(doscars)} DOSCARs, every atom", "chepath_doscar", "ase",
                    note="chepath also reads the CONTCAR and OUTCAR beside")
            w.close()
        rep.end(sec)

    if "doscar" in only:
        bigd, nat = build_big_doscar(corpus / "staykov_vaspbook/DOSCAR", doscar_mb)
        sec = rep.section("doscar", f"large DOSCAR ({bigd.stat().st_size / 1e6:.0f} MB, {nat} atoms: atom blocks of "
                          f"staykov_vaspbook/DOSCAR repeated)")
        w = peers()
        cases = [cli_case("wc", "wc -l", ["wc", "-l", bigd]),
                 cli_case("one", "chepath dband --atoms 1 --json", [exe, "dband", bigd, "--atoms", "1", "--json"]),
                 cli_case("all", "chepath dband --atoms all --json", [exe, "dband", bigd, "--atoms", "all", "--json"],
                          parse=dband_centres)]
        if w:
            cases.append(worker_case(w, "ase", "ASE VaspDos + NumPy trapezoid centre (every atom)", "dband_ase_doscar", [str(bigd)]))
        warm, runs, orders = bench(cases, reps)
        rep.record(sec, cases, warm, runs, orders)
        work = f"{bigd.stat().st_size / 1e6:.0f} MB DOSCAR, {nat} atoms"
        rep.row(sec, work + ", one atom", "wc", "one")
        rep.row(sec, work + ", every atom", "wc", "all")
        if w:
            ok, undef, bad, worst = centres_agree(warm["all"]["value"], warm["ase"]["value"])
            rep.note(sec, f"ASE vs chepath centres: {ok} within {TOL_EV:g} eV (max |d| {worst:.1e}), {bad} disagree")
            rep.row(sec, work + ", every atom", "all", "ase")
            w.close()
        rep.end(sec)

    src = corpus / "tosykie_FeNi_OER/OER/O-covered/x0.50/slab/opt-backup5/OUTCAR"
    if "outcar" in only:
        big = build_big(src, big_mb)
        sec = rep.section("outcar", f"large OUTCAR ({big.stat().st_size / 1e9:.2f} GB: ionic steps of "
                          f"{src.relative_to(corpus)} repeated)")
        cases = [cli_case("wc", "wc -l", ["wc", "-l", big]),
                 cli_case("full", "chepath parse --json", [exe, "parse", "--json", big]),
                 cli_case("final", "chepath parse --final --json", [exe, "parse", "--final", "--json", big])]
        warm, runs, orders = bench(cases, reps)
        rep.record(sec, cases, warm, runs, orders)
        gb = f"{big.stat().st_size / 1e9:.2f} GB OUTCAR"
        r = rep.row(sec, gb + ", full parse", "wc", "full")
        rep.row(sec, gb + ", final energy (header + tail)", "wc", "final")
        rep.note(sec, f"full parse peak RSS {max(sec['cases']['full']['rss_mb']):.0f} MB, --final "
                 f"{max(sec['cases']['final']['rss_mb']):.0f} MB; throughput "
                 f"{big.stat().st_size / 1e6 / r['b_summary']['median']:.0f} MB/s")
        rep.end(sec)

    if "gz" in only:
        big = build_big(src, big_mb)
        gz = WORK / f"big_OUTCAR_{gz_mb}MB.gz"
        if not gz.exists():
            subprocess.run(f"head -c {gz_mb * 1_000_000} '{big}' | gzip -1 > '{gz}'", shell=True, check=True)
        sec = rep.section("gz", f"gzipped OUTCAR ({gz.stat().st_size / 1e6:.0f} MB .gz: first {gz_mb} MB of the "
                          f"large OUTCAR, gzip -1)")
        cases = [shell_case("zcat", "zcat > /dev/null", f"zcat '{gz}' > /dev/null"),
                 shell_case("zcatwc", "zcat | wc -l", f"zcat '{gz}' | wc -l > /dev/null"),
                 cli_case("chepath", "chepath parse --json (.gz)", [exe, "parse", "--json", gz])]
        warm, runs, orders = bench(cases, reps)
        rep.record(sec, cases, warm, runs, orders)
        work = f"{gz_mb} MB OUTCAR as .gz, full parse"
        rep.row(sec, work, "zcat", "chepath")
        rep.row(sec, work, "zcatwc", "chepath")
        rep.note(sec, f"chepath peak RSS {max(sec['cases']['chepath']['rss_mb']):.0f} MB; zcat | wc -l runs "
                 "two processes in parallel (CPU is their sum)")
        rep.end(sec)

    if "vasprun" in only:
        vsrc = corpus / "pymatgen/test-files/io/vasp/outputs/vasprun.xml.gz"
        bigv, nsteps = build_big_vasprun(vsrc, big_mb)
        sec = rep.section("vasprun", f"large vasprun.xml ({bigv.stat().st_size / 1e9:.2f} GB, {nsteps} ionic steps: "
                          f"those of {vsrc.relative_to(corpus)} repeated)")
        w = peers()
        cases = [cli_case("wc", "wc -l", ["wc", "-l", bigv]),
                 cli_case("chepath", "chepath parse --json", [exe, "parse", "--json", bigv])]
        if w:
            cases.append(worker_case(w, "pymatgen", "pymatgen Vasprun(parse_dos/eigen/projected/potcar=False)",
                                     "vasprun_pmg", str(bigv)))
        warm, runs, orders = bench(cases, reps)
        rep.record(sec, cases, warm, runs, orders)
        work = f"{bigv.stat().st_size / 1e9:.2f} GB vasprun.xml, every ionic step"
        rep.row(sec, work, "wc", "chepath")
        if w:
            rep.row(sec, work, "chepath", "pymatgen")
            rep.note(sec, f"peak RSS: chepath {max(sec['cases']['chepath']['rss_mb']):.0f} MB; pymatgen's worker "
                     f"{w.call('outcar_pmg', [])['rss_mb']:.0f} MB (its interpreter and imports: {w.hello['rss_mb']:.0f} MB); "
                     f"pymatgen read {warm['pymatgen']['value']['ionic_steps']} ionic steps")
            w.close()
        rep.end(sec)

    if "scan" in only:
        tree, templates = build_tree(exe, corpus, ntree)
        kinds = ["plain" if (t / "OUTCAR").is_file() else "gz" if (t / "OUTCAR.gz").is_file() else "none" for t in templates]
        counts = [0] * len(templates)
        for k in range(ntree):
            counts[k % len(templates)] += 1
        in_tree = {k: sum(c for c, kk in zip(counts, kinds) if kk == k) for k in ("plain", "gz", "none")}
        sec = rep.section("scan", f"scan: a tree of {ntree} calculation directories ({in_tree['plain']} plain OUTCAR, "
                          f"{in_tree['gz']} OUTCAR.gz, {in_tree['none']} neither), hard links to {len(templates)} "
                          f"template directories; warm page cache")
        tpl_root = templates[0].parent
        w = peers()
        cases = [cli_case("tree2", f"chepath scan --json-lines ({ntree} dirs, both cores)", [exe, "scan", "--json-lines", tree]),
                 cli_case("tree1", f"chepath scan --json-lines --jobs 1 ({ntree} dirs)", [exe, "scan", "--json-lines", "--jobs", "1", tree]),
                 cli_case("tpl2", f"chepath scan --json-lines ({len(templates)} dirs, both cores)", [exe, "scan", "--json-lines", tpl_root]),
                 cli_case("tpl1", f"chepath scan --json-lines --jobs 1 ({len(templates)} dirs)",
                          [exe, "scan", "--json-lines", "--jobs", "1", tpl_root])]
        if w:
            dirs = [str(t) for t in templates]
            cases += [worker_case(w, "pymatgen", f"pymatgen Outcar(OUTCAR[.gz]).final_energy ({len(templates)} dirs)", "scan_pmg", dirs),
                      worker_case(w, "ase", f"ASE read(OUTCAR[.gz], index=-1) ({len(templates)} dirs)", "scan_ase", dirs)]
        warm, runs, orders = bench(cases, reps)
        rep.record(sec, cases, warm, runs, orders)
        if w:
            work = f"{len(templates)} directories (each template once)"
            rep.row(sec, work, "tpl1", "pymatgen")
            rep.row(sec, work, "tpl1", "ase")
            for k, name in (("pymatgen", "pymatgen"), ("ase", "ASE")):
                det = sec["cases"][k]["detail"]
                ext = [sum(c * t for c, t in zip(counts, d["per_dir"])) for d in det]
                ext_cpu = [sum(c * t for c, t in zip(counts, d["per_dir_cpu"])) for d in det]
                med = [statistics.median(d["per_dir"][j] for d in det) for j in range(len(templates))]
                per = {kk: [m for m, x in zip(med, kinds) if x == kk] for kk in ("plain", "gz")}
                sec["cases"][k + "_extrapolated"] = {"label": f"{name} extrapolated to {ntree} dirs", "cmd": None,
                                                      "wall": ext, "cpu": ext_cpu, "rss_mb": [], "summary": summary(ext),
                                                      "cpu_median": statistics.median(ext_cpu)}
                rep.note(sec, f"{name} per directory (median over rounds, mean over templates): plain OUTCAR "
                         f"{fmt_t(statistics.mean(per['plain']))} ({len(per['plain'])} templates), OUTCAR.gz "
                         f"{fmt_t(statistics.mean(per['gz']))} ({len(per['gz'])}); weighted by the tree's mix "
                         f"{fmt_t(statistics.median(ext) / ntree)} per directory, {fmt_t(statistics.median(ext))} for {ntree}")
                rep.row(sec, f"{ntree} directories (peer extrapolated from its per-directory times)", "tree2", k + "_extrapolated")
                rep.row(sec, f"{ntree} directories (peer extrapolated), chepath on one core", "tree1", k + "_extrapolated")
            w.close()
        c2, c1 = sec["cases"]["tree2"], sec["cases"]["tree1"]
        rep.note(sec, f"chepath per directory: {fmt_t(c2['summary']['median'] / ntree)} both cores, "
                 f"{fmt_t(c1['summary']['median'] / ntree)} one core; --jobs 1 ÷ both cores "
                 f"{c1['summary']['median'] / c2['summary']['median']:.2f}×; peak RSS {max(c2['rss_mb']):.0f} MB")
        rep.end(sec)

    print("\n" + rep.markdown(head))
    print(f"\n(total {time.perf_counter() - t_all:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": mach, "versions": versions, "reps": reps,
                                               "sizes": {"big_mb": big_mb, "gz_mb": gz_mb, "doscar_mb": doscar_mb,
                                                         "tree": ntree},
                                               "sections": rep.sections, "rows": rep.rows,
                                               "seconds": time.perf_counter() - t_all}, indent=1, default=str))


if __name__ == "__main__":
    main()
