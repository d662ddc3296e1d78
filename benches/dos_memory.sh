#!/usr/bin/env bash
# DOSCAR d-band memory and time (issue 16, item 3): DOSCARs of 10 to 10,000 atoms and one of
# ~100 MB, built by repeating the atom blocks of a corpus DOSCAR (NIONS fixed on line 1), then
# for each binary given: peak RSS of `chepath dband FILE --atoms all --json` (GNU time's
# "Maximum resident set size"), and for the 100 MB file wall-time medians (min–max) and
# CPU-time medians of interleaved runs against `wc -l` on the same file (the file is in the
# page cache: it is read once before).
#
#   benches/dos_memory.sh OUT_DIR BINARY...        e.g.
#   benches/dos_memory.sh /tmp/dosbench /tmp/target-before/release/chepath target/release/chepath
#
# Environment: DOSCAR (source file; default ../shared/vasp-corpus/staykov_vaspbook/DOSCAR),
# RUNS (timed runs per command, default 7), SIZES (atom counts, default "10 100 1000 10000").
# The files are written into OUT_DIR with no structure or OUTCAR beside them, so the
# selection `all` is by index over NIONS.
set -euo pipefail
out=${1:?usage: dos_memory.sh OUT_DIR BINARY...}
shift
src=${DOSCAR:-$(dirname "$0")/../../shared/vasp-corpus/staykov_vaspbook/DOSCAR}
runs=${RUNS:-7}
sizes=${SIZES:-"10 100 1000 10000"}
mkdir -p "$out"

# make NAME NATOMS|BYTES: header and total DOS of $src, then its atom blocks in turn until
# NATOMS blocks (or, with a trailing 'B', about that many bytes).
make() {
    python3 - "$src" "$out/$1" "$2" <<'PY'
import sys
src, dst, want = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(src, 'rb').read().split(b'\n')
if lines and lines[-1] == b'':
    lines.pop()
nions = int(lines[0].split()[0])
nedos = int(float(lines[5].split()[2]))
head, total = lines[:6], lines[6:6 + nedos]
blocks = [lines[6 + nedos + k * (nedos + 1): 6 + nedos + (k + 1) * (nedos + 1)] for k in range(nions)]
size_of = lambda b: sum(len(l) + 1 for l in b)
if want.endswith('B'):
    fixed = size_of(head) + size_of(total)
    per = sum(size_of(b) for b in blocks) / nions
    n = max(1, round((int(want[:-1]) - fixed) / per))
else:
    n = int(want)
f = head[0].split()
head[0] = b'  %d  %d  ' % (n, n) + b'  '.join(f[2:])
with open(dst, 'wb') as o:
    o.write(b'\n'.join(head + total) + b'\n')
    for k in range(n):
        o.write(b'\n'.join(blocks[k % nions]) + b'\n')
print(dst, n, 'atoms')
PY
}

for n in $sizes; do
    [ -f "$out/DOSCAR_$n" ] || make "DOSCAR_$n" "$n"
done
[ -f "$out/DOSCAR_100MB" ] || make DOSCAR_100MB 100000000B

echo "# peak RSS (MB) of: chepath dband FILE --atoms all --json"
for f in $sizes 100MB; do
    for b in "$@"; do
        kb=$( { /usr/bin/time -v "$b" dband "$out/DOSCAR_$f" --atoms all --json >/dev/null; } 2>&1 |
            awk -F': ' '/Maximum resident set size/ {print $2}')
        printf '%-8s %-60s %8.1f\n' "$f" "$b" "$(echo "$kb / 1024" | bc -l)"
    done
done

echo "# on $out/DOSCAR_100MB, $runs interleaved runs: wall time median (min-max), s; CPU time (user+sys) median, s"
file="$out/DOSCAR_100MB"
cat "$file" >/dev/null
declare -A wall cpu
cmds=("wc -l $file")
for b in "$@"; do cmds+=("$b dband $file --atoms all --json"); done
tf=$(mktemp)
for r in $(seq "$runs"); do
    for i in "${!cmds[@]}"; do
        t0=$(date +%s.%N)
        /usr/bin/time -f "%U %S" -o "$tf" ${cmds[$i]} >/dev/null
        t1=$(date +%s.%N)
        wall[$i]="${wall[$i]:-} $(echo "$t1 - $t0" | bc -l)"
        cpu[$i]="${cpu[$i]:-} $(awk '{print $1 + $2}' "$tf")"
    done
done
rm -f "$tf"
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {printf "%.4f %.4f %.4f", a[int((NR+1)/2)], a[1], a[NR]}'; }
for i in "${!cmds[@]}"; do
    read -r wm wl wh <<<"$(echo "${wall[$i]}" | median)"
    read -r cm _ _ <<<"$(echo "${cpu[$i]}" | median)"
    printf '%s (%s-%s)  cpu %s  %s\n' "$wm" "$wl" "$wh" "$cm" "${cmds[$i]}"
done
