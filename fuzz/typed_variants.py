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

Also, for every `key = value` line of any table (a network file's, and a built-in template's
placed under `[network]`, where the fuzz target reads it) the value given each kind, and
each key seen anywhere in a table of that kind inserted into each such table with each
kind: the branches of every other derived struct (steps, states, products, ions, settings,
screening, dband, layout, plausibility, conventions, the file's top level).

DIR is scratch (about 60,000 files, 400 MB); the merge keeps a few hundred.
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


KEYVAL = re.compile(r'^(\s*)("[^"]*"|[A-Za-z0-9_*().+-]+)\s*=\s*(.+?)\s*$')
HEADER = re.compile(r"^\s*(\[\[?)([^\]]+)(\]\]?)\s*(#.*)?$")
# top-level keys of a network file (network::NetworkFile), tables too: `layout = 1`
TOP = ["notice", "conventions", "references", "network", "models", "dband", "models_csv",
       "layout", "corrections", "plausibility", "barriers"]


# tables no example has, appended to pt111_orr.toml (network::Corrections, Plausibility,
# DbandSpec, LayoutDef), and the conventions' keys the examples leave at their defaults
EXTRA = """
[corrections]
default = 0.3
"*OH" = 0.35
"*O" = { zpe = 0.07, ts = 0.01, cp = 0.02 }

[plausibility]
step = 5.0
hydrogen = 2.0
limiting_potential_min = -3.0
limiting_potential_max = 4.0

[dband.m]
path = "x"
atoms = "Cu"
window = "full"

[layout]
pattern = "{model}/{state}"
clean = "slab"
freq = "{calc}/freq"
[layout.states]
"N-O3" = "*NO3"
""".splitlines()
CONVENTIONS = ["temperature", "energy", "U", "scale", "pH", "soft_mode_floor",
               "nitrate_adsorption"]


def under_network(lines):
    """A built-in template as the `[network]` table of a network file."""
    out = ["[network]"]
    for line in lines:
        m = HEADER.match(line)
        out.append(f"{m.group(1)}network.{m.group(2)}{m.group(3)}" if m else line)
    return out


def kind(header):
    """`[models."Pt(111)"]` and `[models.example]` are tables of one kind: `[models.Q]`."""
    h = re.sub(r'"[^"]*"', "Q", header.strip())
    return re.sub(r"^(\[+)(models|dband|barriers)\.[^.\]]+", r"\1\2.Q", h)


def keys_by_kind(files):
    seen = {"": set(TOP), "[conventions]": set(CONVENTIONS)}
    for lines in files:
        section = ""
        for line in lines:
            if HEADER.match(line):
                section = kind(line)
                seen.setdefault(section, set())
            elif (m := KEYVAL.match(line)) and not line.lstrip().startswith("#"):
                seen.setdefault(section, set()).add(m.group(2))
    return seen


def scalar_variants(lines, seen):
    """Each value of a `key = value` line given each kind; each key of the table's kind
    inserted after its header (or at the top) with each kind."""
    section, present, starts = "", {"": set()}, [("", -1)]
    for i, line in enumerate(lines):
        if HEADER.match(line):
            section = kind(line)
            present.setdefault(section, set())
            starts.append((section, i))
            continue
        m = KEYVAL.match(line)
        if not m or line.lstrip().startswith("#"):
            continue
        present.setdefault(section, set()).add(m.group(2))
        if m.group(3).startswith("{"):
            continue  # inline tables: `variants`
        for v in VALUES:
            yield lines[:i] + [f"{m.group(1)}{m.group(2)} = {v}"] + lines[i + 1:]
    for section, i in starts:
        for key in sorted(seen.get(section, set()) - present.get(section, set())):
            for v in VALUES:
                yield lines[:i + 1] + [f"{key} = {v}"] + lines[i + 1:]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 fuzz/typed_variants.py DIR")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    files = [p.read_text().splitlines() for p in SOURCES]
    files += [under_network(p.read_text().splitlines()) for p in SOURCES if "templates" in p.parts]
    files += [(ROOT / "examples" / "networks" / "pt111_orr.toml").read_text().splitlines() + EXTRA]
    seen = keys_by_kind(files)
    n = 0
    for lines in files:
        for v in list(variants(lines)) + list(scalar_variants(lines, seen)):
            b = ("\n".join(v) + "\n").encode()
            if len(b) <= 65536:
                (out / hashlib.sha1(b).hexdigest()[:16]).write_bytes(b)
                n += 1
    print(f"{n} variants of {len(files)} files in {out}")


if __name__ == "__main__":
    main()
