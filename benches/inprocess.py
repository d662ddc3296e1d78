#!/usr/bin/env python3
"""chepath, pymatgen and ASE in ONE Python process: the same files, the same work, the
same warm-up, interleaved repetitions (issue 15). Complements benches/compare.py, which
times the chepath *CLI* as a whole process against the peers in-process.

    python benches/inprocess.py                 # everything, 7 timed repetitions
    python benches/inprocess.py --reps 5 --only outcar,vasprun
    python benches/inprocess.py --json out.json # also write every timing and value

Needs, in the running interpreter: chepath (``pip install .`` at the repository root),
pymatgen, ASE and NumPy. The corpus is ../shared/vasp-corpus (or $CHEPATH_CORPUS).

Sections (files chosen from the corpus's REFERENCE.json by "type"):

  outcar   the 48 OUTCARs (plain and .gz; the same set compare.py takes with
           rglob("*OUTCAR*")). Each library parses each file in full and the script takes
           the final energy(sigma->0) and, where the library has it, the number of ionic
           steps: chepath.parse(f); pymatgen Outcar(f); ase.io.read(f, index=":",
           format="vasp-out"). Exceptions (pymatgen raises on the few-line excerpts) are
           caught, counted and timed like the rest.
  doscar   the 6 DOSCARs, d-band centre of every atom (full grid, spin up+down summed,
           energies from the DOSCAR's E-fermi): chepath.dband(f, atoms="all"); ASE
           VaspDos(f) + NumPy trapezoid moments; pymatgen has no VASP DOSCAR reader (only
           pymatgen.io.lobster.Doscar, for LOBSTER's DOSCAR.lobster), so its row is ASE's
           VaspDos arrays put in a pymatgen CompleteDos (structure from the CONTCAR/POSCAR
           beside, else vasprun.xml) and CompleteDos.get_band_center(sites=[site]).
  vasprun  every corpus vasprun.xml(.gz) with a projected DOS (<partial>): chepath.dband(f,
           atoms="all") against pymatgen Vasprun(f, parse_dos=True, parse_eigen=False,
           parse_projected_eigen=False, parse_potcar_file=False).complete_dos and
           get_band_center(sites=[site]) for every site. ASE reads no PDOS from vasprun.xml.

Method: every library's function is called once as warm-up (page cache, imports, lazy
initialisation, NumPy/pymatgen caches), then --reps timed rounds; in each round every
library runs once, the order rotated between rounds so that none always runs first or
last; gc.collect() before each timed call (outside the timing). Wall time
(time.perf_counter) and process CPU time (time.process_time) are recorded. Reported: median,
quartiles, min-max, the CPU-time median; ratio = peer median / chepath median, with the
min-max of the per-round ratios, and the same ratio of CPU-time medians (on a shared machine
another job's load shows in wall time first: CPU time is the steadier figure). The
machine's noise is measured with a fixed NumPy + pure-Python workload (~25 ms) timed 21
times before the benchmark and after each section.

What each library reads differs and is part of what is timed: chepath.parse reads the
header, INCAR echo, every ionic step's energies, E-fermi and total magnetisation, convergence and
frequencies (no per-step positions or forces) and returns them as a dict (the CLI's JSON,
decoded); pymatgen Outcar reads its "regular parameters" (final energies, E-fermi,
magnetisation and charge tables, run statistics, NELECT, drift, ...); ASE reads every
ionic step as an Atoms with positions, forces, stress, energies and magnetic moments.
chepath.dband also computes width, skewness, kurtosis, filling, the Hilbert-transform
upper edge and the pooled and mean descriptors, and reads the CONTCAR and the OUTCAR's
header beside a DOSCAR; the peers compute the centre only.
"""
from __future__ import annotations

import argparse
import gc
import gzip
import json
import math
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOL_EV = 1e-3  # d-band centres: agreement required where the definitions match
TOL_E = 1e-6  # OUTCAR energies are printed with 8 decimals


def corpus_dir() -> Path:
    return Path(os.environ.get("CHEPATH_CORPUS", ROOT.parent / "shared" / "vasp-corpus"))


# ---------------------------------------------------------------------------------------
# statistics and the timing loop
# ---------------------------------------------------------------------------------------


def summary(xs):
    xs = sorted(xs)
    if len(xs) >= 2:
        q1, _, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    else:
        q1 = q3 = xs[0]
    return {"median": statistics.median(xs), "q1": q1, "q3": q3, "min": xs[0], "max": xs[-1], "n": len(xs)}


def bench(cases, reps):
    """cases: [(key, fn)], fn() -> values. One warm-up call of each, then `reps` rounds of
    one timed call each, the order rotated by one every round. Returns values (of the
    warm-up call), wall times and CPU times per key."""
    values = {}
    for key, fn in cases:
        values[key] = fn()
    walls = {k: [] for k, _ in cases}
    cpus = {k: [] for k, _ in cases}
    for r in range(reps):
        k = r % len(cases)
        for key, fn in cases[k:] + cases[:k]:
            gc.collect()
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            t1, c1 = time.perf_counter(), time.process_time()
            walls[key].append(t1 - t0)
            cpus[key].append(c1 - c0)
    return values, walls, cpus


def noise_probe(n=21):
    """A fixed workload (NumPy sort + a pure-Python loop, ~50 ms) timed n times."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.random(1_000_000)

    def work():
        np.sort(a)
        s = 0.0
        for i in range(500_000):
            s += i * 0.5
        return s

    work()
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        work()
        ts.append(time.perf_counter() - t)
    return summary(ts)


def fmt_t(s):
    return f"{s * 1e3:.1f}ms" if s < 1 else f"{s:.2f}s"


def print_table(title, rows_meta, walls, cpus, ref_key):
    """Wall-time median, quartiles, min-max; CPU-time median (process_time: less sensitive to
    other jobs on a shared machine, for single-threaded work); ratios against ref_key."""
    ref = walls[ref_key]
    med_ref = statistics.median(ref)
    cpu_ref = statistics.median(cpus[ref_key])
    print(f"\n{title}")
    print(f"  {'':<66} {'median':>9} {'IQR':>19} {'min-max':>19} {'CPU med':>9} {'ratio wall (per round)':>24} {'ratio CPU':>9}")
    out = []
    for key, label in rows_meta:
        if key not in walls:
            continue
        s = summary(walls[key])
        cpu = statistics.median(cpus[key])
        rounds = [w / c for w, c in zip(walls[key], ref)]
        ratio, rcpu = s["median"] / med_ref, cpu / cpu_ref
        rr = "1" if key == ref_key else f"{ratio:.1f}x ({min(rounds):.1f}-{max(rounds):.1f})"
        rc = "1" if key == ref_key else f"{rcpu:.1f}x"
        print(f"  {label:<66} {fmt_t(s['median']):>9} {fmt_t(s['q1']) + '-' + fmt_t(s['q3']):>19} "
              f"{fmt_t(s['min']) + '-' + fmt_t(s['max']):>19} {fmt_t(cpu):>9} {rr:>24} {rc:>9}")
        out.append({"key": key, "label": label, **s, "cpu_median": cpu, "ratio_vs_chepath": ratio,
                    "ratio_rounds_min": min(rounds), "ratio_rounds_max": max(rounds), "cpu_ratio_vs_chepath": rcpu})
    return out


# ---------------------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------------------


def select(corpus: Path):
    ref = json.loads((corpus / "REFERENCE.json").read_text())
    by_type = {}
    for k, v in ref.items():
        if isinstance(v, dict) and v.get("type"):
            by_type.setdefault(v["type"], []).append(corpus / k)
    outcars = sorted(by_type.get("OUTCAR", []))
    rglob = sorted(p for p in corpus.rglob("*OUTCAR*") if p.is_file())
    if outcars != rglob:
        print(f"note: REFERENCE.json OUTCARs ({len(outcars)}) differ from compare.py's rglob('*OUTCAR*') "
              f"({len(rglob)}): only in REFERENCE {sorted(set(outcars) - set(rglob))}, "
              f"only in rglob {sorted(set(rglob) - set(outcars))}")
    doscars = sorted(by_type.get("DOSCAR", []))
    vaspruns = []
    for p in sorted(by_type.get("vasprun", [])):
        raw = gzip.open(p).read() if p.suffix == ".gz" else p.read_bytes()
        if b"<partial>" in raw:
            vaspruns.append(p)
    return outcars, doscars, vaspruns


def uncompressed_size(paths):
    return sum(len(gzip.open(p).read()) if p.suffix == ".gz" else p.stat().st_size for p in paths)


def structure_beside(dos: Path):
    for name in ("CONTCAR", "POSCAR", "vasprun.xml", "vasprun.xml.gz"):
        p = dos.parent / name
        if p.exists() and p.stat().st_size > 0:
            return p
    return None


# ---------------------------------------------------------------------------------------
# the work, one function per library: every file, every atom
# ---------------------------------------------------------------------------------------


def outcar_cases(files):
    import chepath
    from ase.io import read
    from pymatgen.io.vasp.outputs import Outcar

    def run_chepath():
        out = []
        for f in files:
            try:
                r = chepath.parse(f)
                le = r.get("last_energy") or {}
                se = r.get("structure_energy") or {}
                unused = [w for w in r.get("warnings") or [] if "after the last complete ionic step" in w]
                out.append((le.get("sigma0"), r.get("ionic_steps"), None, se.get("sigma0"), unused))
            except Exception as e:  # noqa: BLE001 - a failure on a real file is a result
                out.append((None, None, f"{type(e).__name__}: {e}", None, []))
        return out

    def run_chepath_final():
        out = []
        for f in files:
            try:
                r = chepath.parse(f, final_only=True)  # kind "outcar_final": the structure's energy
                out.append(((r.get("energy") or {}).get("sigma0"), None, None))
            except Exception as e:  # noqa: BLE001
                out.append((None, None, f"{type(e).__name__}: {e}"))
        return out

    def run_pymatgen():
        out = []
        for f in files:
            try:
                o = Outcar(f)
                out.append((o.final_energy, None, None))
            except Exception as e:  # noqa: BLE001
                out.append((None, None, f"{type(e).__name__}: {str(e)[:200]}"))
        return out

    def run_ase():
        out = []
        for f in files:
            try:
                images = read(f, index=":", format="vasp-out")
                e = images[-1].get_potential_energy(force_consistent=False) if images else None
                out.append((e, len(images), None))
            except Exception as e:  # noqa: BLE001
                out.append((None, None, f"{type(e).__name__}: {str(e)[:200]}"))
        return out

    return [("chepath", run_chepath), ("pymatgen", run_pymatgen), ("ase", run_ase),
            ("chepath_final", run_chepath_final)]


def d_columns(ncol_with_energy):
    """Columns (in ASE VaspDos's _site_dos, energy column 0) holding d densities:
    (up-or-total columns, down columns)."""
    return {
        4: ([3], []), 5: ([3], []),                      # s p d (f), LORBIT=10, ISPIN=1
        7: ([5], [6]), 9: ([5], [6]),                    # s+ s- p+ p- d+ d- (f+ f-), ISPIN=2
        10: ([5, 6, 7, 8, 9], []), 17: ([5, 6, 7, 8, 9], []),      # lm, ISPIN=1
        19: ([9, 11, 13, 15, 17], [10, 12, 14, 16, 18]),            # lm, ISPIN=2
        33: ([9, 11, 13, 15, 17], [10, 12, 14, 16, 18]),
    }[ncol_with_energy]


def first_moment(np, e, rho):
    n = np.trapezoid(rho, e)
    return float(np.trapezoid(e * rho, e) / n) if n != 0 else None


def doscar_cases(files):
    import numpy as np
    import chepath
    from ase.calculators.vasp import VaspDos
    from pymatgen.core import Structure
    from pymatgen.electronic_structure.core import Orbital, OrbitalType, Spin
    from pymatgen.electronic_structure.dos import CompleteDos, Dos

    structs = {f: structure_beside(f) for f in files}

    def efermi_of(f):
        with open(f) as fh:
            for _ in range(5):
                fh.readline()
            return float(fh.readline().split()[3])

    def run_chepath():
        out = []
        for f in files:
            r = chepath.dband(f, atoms="all")
            out.append([a.get("center") for a in r["atoms"]])
        return out

    def run_chepath_dos():
        out = []
        for f in files:
            d = chepath.dos(f, atoms="all")
            e = d.energies - d["efermi"]
            up = [k for k, c in enumerate(d["columns"]) if c["l"] == 2 and c["spin"] != "down"]
            dn = [k for k, c in enumerate(d["columns"]) if c["l"] == 2 and c["spin"] == "down"]
            rho = d.projections[:, up, :].sum(axis=1) + np.abs(d.projections[:, dn, :]).sum(axis=1)
            out.append([first_moment(np, e, r) for r in rho])
        return out

    def run_ase():
        out = []
        for f in files:
            v = VaspDos(str(f), efermi=efermi_of(f))
            e = v.energy
            up, dn = d_columns(v._site_dos.shape[1])
            res = []
            for i in range(v._site_dos.shape[0]):
                # up (or total) as read, spin-down as magnitudes: chepath's and VASPKIT's reading
                rho = v._site_dos[i, up, :].sum(axis=0) + np.abs(v._site_dos[i, dn, :]).sum(axis=0)
                res.append(first_moment(np, e, rho))
            out.append(res)
        return out

    lm = [Orbital.s, Orbital.py, Orbital.pz, Orbital.px, Orbital.dxy, Orbital.dyz, Orbital.dz2,
          Orbital.dxz, Orbital.dx2]
    spd = [OrbitalType.s, OrbitalType.p, OrbitalType.d, OrbitalType.f]

    def run_pymatgen():
        out = []
        for f in files:
            ef = efermi_of(f)
            v = VaspDos(str(f), efermi=ef)
            st = Structure.from_file(structs[f])
            en = v.energy + ef
            tot = v._total_dos
            spin2 = tot.shape[0] == 5
            tdos = Dos(ef, en, {Spin.up: tot[1], Spin.down: tot[2]} if spin2 else {Spin.up: tot[1]})
            n = v._site_dos.shape[1] - 1
            pd = {}
            for ia, site in enumerate(st):
                blk = v._site_dos[ia]
                if n in (9, 16):
                    od = {o: {Spin.up: blk[1 + j]} for j, o in enumerate(lm)}
                elif n in (18, 32):
                    od = {o: {Spin.up: blk[1 + 2 * j], Spin.down: np.abs(blk[2 + 2 * j])} for j, o in enumerate(lm)}
                elif n in (3, 4):
                    od = {o: {Spin.up: blk[1 + j]} for j, o in enumerate(spd[:n])}
                elif n in (6, 8):
                    od = {o: {Spin.up: blk[1 + 2 * j], Spin.down: np.abs(blk[2 + 2 * j])} for j, o in enumerate(spd[: n // 2])}
                else:
                    raise ValueError(f"{f}: {n} PDOS columns not mapped to pymatgen orbitals")
                pd[site] = od
            cd = CompleteDos(st, tdos, pd)
            res = []
            with np.errstate(invalid="ignore", divide="ignore"):
                for site in st:
                    c = float(cd.get_band_center(sites=[site]))
                    res.append(c if math.isfinite(c) else None)
            out.append(res)
        return out

    return [("chepath", run_chepath), ("ase", run_ase), ("pymatgen", run_pymatgen),
            ("chepath_dos", run_chepath_dos)]


def vasprun_cases(files):
    import numpy as np
    import chepath
    from pymatgen.io.vasp.outputs import Vasprun

    def run_chepath():
        out = []
        for f in files:
            r = chepath.dband(f, atoms="all")
            out.append([a.get("center") for a in r["atoms"]])
        return out

    def run_pymatgen():
        out = []
        for f in files:
            v = Vasprun(f, parse_dos=True, parse_eigen=False, parse_projected_eigen=False,
                        parse_potcar_file=False)
            cd = v.complete_dos
            res = []
            with np.errstate(invalid="ignore", divide="ignore"):
                for site in cd.structure:
                    c = float(cd.get_band_center(sites=[site]))
                    res.append(c if math.isfinite(c) else None)
            out.append(res)
        return out

    return [("chepath", run_chepath), ("pymatgen", run_pymatgen)]


# ---------------------------------------------------------------------------------------
# agreement
# ---------------------------------------------------------------------------------------


def compare_centres(files, a, b, corpus, label):
    """Per atom: both defined and within TOL_EV / both undefined / only one defined / off."""
    both = undef = 0
    worst = 0.0
    bad = []
    for f, xa, xb in zip(files, a, b):
        rel = f.relative_to(corpus)
        if len(xa) != len(xb):
            bad.append(f"{rel}: {len(xa)} atoms vs {len(xb)}")
            continue
        for i, (u, v) in enumerate(zip(xa, xb)):
            if u is None and v is None:
                undef += 1
            elif u is None or v is None:
                bad.append(f"{rel} atom {i + 1}: {u} vs {v} (only one defined)")
            else:
                d = abs(u - v)
                worst = max(worst, d)
                if d > TOL_EV:
                    bad.append(f"{rel} atom {i + 1}: {u:.6f} vs {v:.6f} (|d| = {d:.2e} eV)")
                else:
                    both += 1
    print(f"  centres, {label}: {both} atoms agree within {TOL_EV:g} eV (max |d| {worst:.1e} eV), "
          f"{undef} atoms undefined in both (no d states: chepath no_states, peer 0/0), "
          f"{len(bad)} disagreements")
    for line in bad[:20]:
        print(f"    {line}")
    return {"agree": both, "both_undefined": undef, "max_abs_diff": worst, "disagreements": bad}


def doscar_signed_centres(files):
    """Centres with every density as printed (no magnitude taken of spin-down values):
    differs from chepath's reading only where a DOSCAR has negative spin-down densities."""
    import numpy as np
    from ase.calculators.vasp import VaspDos

    out = []
    for f in files:
        with open(f) as fh:
            ef = float(fh.read().splitlines()[5].split()[3])
        v = VaspDos(str(f), efermi=ef)
        up, dn = d_columns(v._site_dos.shape[1])
        out.append([first_moment(np, v.energy, v._site_dos[i, up + dn, :].sum(axis=0))
                    for i in range(v._site_dos.shape[0])])
    return out


def negative_d_values(files):
    """Per file: how many d densities are negative (up/total, down), and the most negative."""
    import numpy as np
    from ase.calculators.vasp import VaspDos

    out = {}
    for f in files:
        v = VaspDos(str(f))
        up, dn = d_columns(v._site_dos.shape[1])
        u, d = v._site_dos[:, up, :], v._site_dos[:, dn, :]
        out[f] = (int((u < 0).sum()), int((d < 0).sum()), float(min(u.min(), d.min() if d.size else 0.0)))
    return out


def compare_outcars(files, vals, corpus):
    c, p, a = vals["chepath"], vals["pymatgen"], vals["ase"]
    cf = vals.get("chepath_final")
    errors = {k: [(str(f.relative_to(corpus)), v[2]) for f, v in zip(files, vals[k]) if v[2]] for k in vals}
    for k, errs in errors.items():
        print(f"  {k}: {len(files) - len(errs)} of {len(files)} files parsed, {len(errs)} raised")
        for rel, e in errs:
            print(f"    {rel}: {e[:160]}")
    bad, agree_p, agree_a, steps_ok = [], 0, 0, 0
    for i, f in enumerate(files):
        rel = f.relative_to(corpus)
        ec, nc = c[i][0], c[i][1]
        for who, (e, n, err) in (("pymatgen", p[i]), ("ase", a[i])):
            if err or e is None or ec is None:
                if not err and (e is None) != (ec is None):
                    bad.append(f"{rel}: final energy(sigma->0) chepath {ec} vs {who} {e}")
                continue
            if abs(e - ec) > TOL_E:
                why = f" [chepath: {c[i][4][0].split(': ', 1)[-1]}]" if c[i][4] else ""
                bad.append(f"{rel}: final energy(sigma->0) chepath {ec:.8f} vs {who} {e:.8f} "
                           f"(|d| = {abs(e - ec):.2e} eV){why}")
            elif who == "pymatgen":
                agree_p += 1
            else:
                agree_a += 1
        if a[i][1] is not None and nc is not None:
            if a[i][1] == nc:
                steps_ok += 1
            else:
                bad.append(f"{rel}: ionic steps chepath {nc} vs ASE images {a[i][1]}")
        # final_only gives the structure's energy: the last step, or the first of a frequency run
        if cf and c[i][2] is None and cf[i][0] != c[i][3]:
            bad.append(f"{rel}: chepath parse(final_only=True) sigma0 {cf[i][0]} vs full parse's "
                       f"structure_energy {c[i][3]}")
    print(f"  final energy(sigma->0) equal within {TOL_E:g} eV: chepath = pymatgen on {agree_p} files, "
          f"chepath = ASE on {agree_a}; ionic steps chepath = ASE images on {steps_ok}; {len(bad)} differences:")
    for line in bad:
        print(f"    {line}")
    return {"errors": errors, "agree_pymatgen": agree_p, "agree_ase": agree_a, "steps_agree_ase": steps_ok,
            "differences": bad}


# ---------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=7, help="timed rounds after the warm-up (default 7)")
    ap.add_argument("--only", default="outcar,doscar,vasprun", help="comma-separated sections")
    ap.add_argument("--json", help="write timings, values and checks to this file")
    args = ap.parse_args()
    only = set(args.only.split(","))
    warnings.filterwarnings("ignore")

    corpus = corpus_dir()
    if not (corpus / "REFERENCE.json").exists():
        sys.exit(f"corpus not found at {corpus}; set CHEPATH_CORPUS")

    # Import times (each library's own first import in this process; numpy first, shared).
    imports = {}
    for mod in ("numpy", "chepath", "ase.io", "pymatgen.io.vasp.outputs"):
        t = time.perf_counter()
        __import__(mod)
        imports[mod] = time.perf_counter() - t
    import numpy as np
    import ase
    import chepath
    from importlib.metadata import version

    versions = {"python": platform.python_version(), "numpy": np.__version__, "ase": ase.__version__,
                "pymatgen": version("pymatgen"), "chepath": chepath.__version__}
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, load average {os.getloadavg()}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print("first import in this process: " + ", ".join(f"{k} {fmt_t(v)}" for k, v in imports.items()))

    probes = []

    def probe(when):
        r = noise_probe()
        r["when"] = when
        probes.append(r)
        print(f"noise probe {when}: fixed ~50 ms workload x21: median {fmt_t(r['median'])}, "
              f"IQR {100 * (r['q3'] - r['q1']) / r['median']:.1f} % of median, "
              f"min-max {100 * (r['max'] - r['min']) / r['median']:.1f} %, load average "
              + ", ".join(f"{x:.2f}" for x in os.getloadavg()))

    probe("before")

    outcars, doscars, vaspruns = select(corpus)
    result = {"versions": versions, "imports": imports, "cores": os.cpu_count(), "reps": args.reps,
              "noise": probes, "sections": {}}
    t_start = time.perf_counter()

    if "outcar" in only:
        size = uncompressed_size(outcars)
        ngz = sum(p.suffix == ".gz" for p in outcars)
        vals, walls, cpus = bench(outcar_cases(outcars), args.reps)
        rows = print_table(
            f"(a) {len(outcars)} corpus OUTCARs ({ngz} gzipped, {size / 1e6:.1f} MB uncompressed), full parse, "
            f"1 warm-up + {args.reps} rounds",
            [("chepath", "chepath.parse(f)  [JSON -> dict included]"),
             ("pymatgen", "pymatgen Outcar(f)"),
             ("ase", "ase.io.read(f, index=':', format='vasp-out')"),
             ("chepath_final", "chepath.parse(f, final_only=True)  [not the same work]")],
            walls, cpus, "chepath")
        check = compare_outcars(outcars, vals, corpus)
        result["sections"]["outcar"] = {"files": [str(p.relative_to(corpus)) for p in outcars], "rows": rows,
                                        "walls": walls, "cpus": cpus, "check": check, "values": vals}

        probe("after (a)")

    if "doscar" in only:
        vals, walls, cpus = bench(doscar_cases(doscars), args.reps)
        natoms = sum(len(x) for x in vals["chepath"])
        rows = print_table(
            f"(b1) {len(doscars)} corpus DOSCARs, d-band centre of every atom ({natoms} atoms), "
            f"1 warm-up + {args.reps} rounds",
            [("chepath", "chepath.dband(f, atoms='all')  [+ width, moments, edge]"),
             ("ase", "ASE VaspDos(f) + NumPy trapezoid centre"),
             ("pymatgen", "VaspDos arrays -> pymatgen CompleteDos.get_band_center"),
             ("chepath_dos", "chepath.dos(f, atoms='all') + NumPy trapezoid centre")],
            walls, cpus, "chepath")
        checks = {k: compare_centres(doscars, vals["chepath"], vals[k], corpus, f"chepath.dband vs {k}")
                  for k in ("ase", "pymatgen", "chepath_dos")}
        print("  negative d densities in the DOSCARs (up-or-total, down; most negative):")
        for f, (nu, nd, mn) in negative_d_values(doscars).items():
            if nu or nd:
                print(f"    {f.relative_to(corpus)}: {nu} up/total, {nd} down, min {mn:.2e}")
        checks["signed"] = compare_centres(doscars, vals["chepath"], doscar_signed_centres(doscars), corpus,
                                           "chepath.dband vs densities as printed (no |down|; a different reading)")
        result["sections"]["doscar"] = {"files": [str(p.relative_to(corpus)) for p in doscars], "rows": rows,
                                        "walls": walls, "cpus": cpus, "checks": checks, "values": vals,
                                        "structures": {str(p.relative_to(corpus)): str(structure_beside(p).relative_to(corpus)) if structure_beside(p) else None for p in doscars}}

        probe("after (b1)")

    if "vasprun" in only:
        vals, walls, cpus = bench(vasprun_cases(vaspruns), args.reps)
        natoms = sum(len(x) for x in vals["chepath"])
        size = uncompressed_size(vaspruns)
        rows = print_table(
            f"(b2) {len(vaspruns)} corpus vasprun.xml with a projected DOS ({size / 1e6:.1f} MB uncompressed, "
            f"{natoms} atoms), d-band centre of every atom, 1 warm-up + {args.reps} rounds",
            [("chepath", "chepath.dband(f, atoms='all')  [+ width, moments, edge]"),
             ("pymatgen", "pymatgen Vasprun(f, parse_dos=True).complete_dos.get_band_center")],
            walls, cpus, "chepath")
        check = compare_centres(vaspruns, vals["chepath"], vals["pymatgen"], corpus, "chepath.dband vs pymatgen")
        result["sections"]["vasprun"] = {"files": [str(p.relative_to(corpus)) for p in vaspruns], "rows": rows,
                                         "walls": walls, "cpus": cpus, "check": check, "values": vals}

        probe("after (b2)")

    meds = [r["median"] for r in probes]
    print(f"\nnoise: the probe's median moved {100 * (max(meds) / min(meds) - 1):.0f} % between its "
          f"{len(probes)} runs (before, after each section); benchmark {time.perf_counter() - t_start:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
