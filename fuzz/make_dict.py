#!/usr/bin/env python3
"""Write fuzz/network.dict: a libFuzzer dictionary for the `network` target.

Its tokens are the table headers, keys and quoted values of the built-in templates, the
samples' network.toml and the test and example networks, so that the fuzzer builds networks
with many models, states and settings without having to discover every key byte by byte.
Run from the repository root: python3 fuzz/make_dict.py
"""

import glob
import re

FILES = (
    glob.glob("src/network/templates/*.toml")
    + ["sample_outputs/vasp/network.toml"]
    + glob.glob("examples/**/*.toml", recursive=True)
    + glob.glob("tests/**/*.toml", recursive=True)
)


def tokens(lines):
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(\[\[?[^\]]+\]\]?)", line)
        if m:
            yield m.group(1)
        m = re.match(r'^([A-Za-z0-9_."*+-]+)\s*=', line)
        if m:
            yield m.group(1) + " = "
        for q in re.findall(r'"([^"\\]{1,40})"', line):
            yield '"' + q + '"'


def escape(token):
    """libFuzzer's dictionary syntax: printable ASCII as is, every other byte as \\xHH."""
    out = []
    for b in token.encode("utf-8"):
        c = chr(b)
        out.append(c if 32 <= b < 127 and c not in '"\\' else "\\x%02x" % b)
    return '"' + "".join(out) + '"'


def main():
    found = set()
    for f in FILES:
        with open(f, encoding="utf-8", errors="replace") as fh:
            found.update(tokens(fh))
    keep = sorted(t for t in found if 1 < len(t.encode("utf-8")) <= 64)
    with open("fuzz/network.dict", "w") as out:
        out.write("# libFuzzer dictionary for the network target, written by fuzz/make_dict.py\n")
        out.write("# from %d network files: table headers, keys and quoted values.\n" % len(FILES))
        for t in keep:
            out.write(escape(t) + "\n")
    print("fuzz/network.dict: %d tokens from %d files" % (len(keep), len(FILES)))


if __name__ == "__main__":
    main()
