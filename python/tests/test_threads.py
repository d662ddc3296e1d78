"""Calls from several threads at once (the Rust side runs with the GIL released): the same
results as one at a time, errors raised in the thread that made the call, no crash."""

from __future__ import annotations

import concurrent.futures as cf
import json

import numpy as np
import pytest

import chepath
from conftest import SAMPLES


def _key(r):
    return json.dumps(r, sort_keys=True)


def test_pathway_from_many_threads_is_the_serial_result():
    potentials = [None, -0.2, 0.3, 0.6]  # None: the tree's U (0 V)
    serial = {u: _key(chepath.pathway(SAMPLES, U=u)) for u in potentials}
    assert len(set(serial.values())) == len(potentials)  # U changes the result
    jobs = [potentials[i % len(potentials)] for i in range(32)]
    with cf.ThreadPoolExecutor(max_workers=8) as ex:
        results = list(ex.map(lambda u: (u, chepath.pathway(SAMPLES, U=u)), jobs))
    assert len(results) == 32
    for u, r in results:
        assert _key(r) == serial[u]


def test_different_functions_at_once():
    calls = {
        "pathway": lambda: chepath.pathway(SAMPLES, pH=13),
        "rank": lambda: chepath.rank(SAMPLES, by="dband"),
        "scan": lambda: chepath.scan(SAMPLES, jobs=2),
        "dband": lambda: chepath.dband(SAMPLES / "CuN4" / "dos", atoms="Cu@N4"),
        "parse": lambda: chepath.parse(SAMPLES / "CuN4" / "NO3" / "freq" / "OUTCAR.gz"),
        "thermo": lambda: chepath.thermo(SAMPLES / "gas" / "H2O" / "freq", model="ideal-gas"),
        "lint": lambda: chepath.lint(SAMPLES),
    }
    serial = {k: _key(f()) for k, f in calls.items()}
    dos = chepath.dos(SAMPLES / "CuN4_Cu4" / "dos", atoms="all")
    with cf.ThreadPoolExecutor(max_workers=8) as ex:
        futs = [(k, ex.submit(f)) for _ in range(3) for k, f in calls.items()]
        dfuts = [ex.submit(chepath.dos, SAMPLES / "CuN4_Cu4" / "dos", atoms="all") for _ in range(4)]
        for k, fut in futs:
            assert _key(fut.result(timeout=120)) == serial[k], k
        for fut in dfuts:
            d = fut.result(timeout=120)
            assert np.array_equal(d.projections, dos.projections)
            assert np.array_equal(d.energies, dos.energies)


def test_errors_are_raised_in_their_threads(tmp_path):
    def bad(i):
        if i % 2:
            return chepath.parse(tmp_path / f"missing{i}" / "OUTCAR")
        return chepath.pathway(SAMPLES, U=float("nan"))

    def good(i):
        return chepath.parse(SAMPLES / "CuN4" / "NO3" / "OUTCAR")["last_energy"]["sigma0"]

    ref = good(0)
    with cf.ThreadPoolExecutor(max_workers=8) as ex:
        bads = [ex.submit(bad, i) for i in range(16)]
        goods = [ex.submit(good, i) for i in range(16)]
        for i, fut in enumerate(bads):
            with pytest.raises(chepath.ReadError if i % 2 else chepath.UsageError) as info:
                fut.result(timeout=60)
            if i % 2:
                assert info.value.file == str(tmp_path / f"missing{i}" / "OUTCAR")
        assert [f.result(timeout=60) for f in goods] == [ref] * 16
