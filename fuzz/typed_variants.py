#!/usr/bin/env python3
"""Variants of the network files for the `network` fuzz target: in every inline table of
the example networks and the built-in templates (`"*OH" = { G = 0.80 }`, a reference, a
model's state, a correction), each field a species' value may have given each kind of TOML
value (string, integer, float, nan, bool, datetime, array, table), alone, before or after
the fields it had, or after every field; in a barrier's table also each field of a barrier and of its `ts` and `is`
states. Each variant is the whole file with that one line changed.

Why: a species' value is deserialised in several contexts (a model's table, the flattened
`[references]`, the untagged corrections), and every field × kind × context is its own
compiled branch of the serde-derived code. Random byte mutation finds them one at a time
over hours (network round 13-own: +36 edges in 22 minutes, most of them these); the
variants reach +105 of them at once (fuzz/README.md, "Runs on 2026-12-02, morning"). A
variant that changes a whole value or deletes or repeats a line added 1 edge over the
corpus, so those are not made.

    python3 fuzz/typed_variants.py DIR
    BINARY -merge=1 fuzz/corpus/network DIR     # keep the variants that add coverage

DIR is scratch (about 14,000 files, 100 MB); the merge keeps a few hundred.
"""
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "examples" / "networks").glob("*.toml")) + sorted(
    (ROOT / "src" / "network" / "templates").glob("*.toml")
)
# the fields of a species' value (network::Value; zpe, ts and cp also of a correction's
# terms) and one that none has
FIELDS = ["G", "energy", "calc", "freq", "model", "symmetry", "spin", "pressure", "zpe",
          "ts", "cp", "reaction", "dG", "x"]
# and of a barrier (network::BarrierDef), whose `ts` and `is` are species' values again
BARRIER = ["is", "Ea", "beta", "U0", "source"]
VALUES = ['"x"', '""', "0", "-1", "3", "1.5", "nan", "true", "1979-05-27T07:32:00Z", "[]",
          "[1]", '["a"]', "{}", "{ x = 1 }"]
INLINE = re.compile(r"^(\s*[^=#]+?)\s*=\s*\{(.*)\}\s*$")


# every field of a value, valid, so that an error after them drops each one
EVERY = ('G = 0.1, energy = -1.0, calc = "a", freq = "b", model = "harmonic", symmetry = 1, '
         'spin = 0.0, pressure = 1.0, zpe = 0.1, ts = 0.1, cp = 0.1, reaction = "H2 -> H2", '
         'dG = 0.0')
EVERY_BARRIER = 'ts = { G = 0.5 }, is = { G = 0.1 }, Ea = 0.5, beta = 0.5, U0 = 0.0, source = "s"'


def bodies(had, barrier):
    """The inline tables that replace one that `had` these fields: the field first (an
    error before any other is read), after the others, and after every field."""
    every = EVERY_BARRIER if barrier else EVERY
    for f in FIELDS + (BARRIER if barrier else []):
        for v in VALUES:
            yield f"{f} = {v}"
            yield f"{f} = {v}, {had}"
            yield f"{had}, {f} = {v}"
            yield f"{every}, {f} = {v}"
    if barrier:
        # a barrier's transition and initial states: each field of a value, each kind
        for state in ("ts", "is"):
            for f in FIELDS:
                for v in VALUES:
                    yield f"{state} = {{ {f} = {v} }}, Ea = 0.5"


def variants(lines):
    section = ""
    for i, line in enumerate(lines):
        if line.lstrip().startswith("["):
            section = line.strip()
        m = INLINE.match(line)
        if not m:
            continue
        key, had = m.group(1), m.group(2).strip()
        for body in bodies(had, section.startswith("[barriers")):
            yield lines[:i] + [f"{key} = {{ {body} }}"] + lines[i + 1:]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 fuzz/typed_variants.py DIR")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for p in SOURCES:
        for v in variants(p.read_text().splitlines()):
            b = ("\n".join(v) + "\n").encode()
            if len(b) <= 65536:
                (out / hashlib.sha1(b).hexdigest()[:16]).write_bytes(b)
                n += 1
    print(f"{n} variants of {len(SOURCES)} files in {out}")


if __name__ == "__main__":
    main()
