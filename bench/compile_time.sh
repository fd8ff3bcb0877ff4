#!/usr/bin/env bash
# Compile time of the fusion passes on synthetic transformer-shaped graphs of
# about 1k, 10k and 100k ops (bench/gen_synthetic.py, mixed BERT / GPT-2
# layers, small tensors). Not a test.
#
#   bash bench/compile_time.sh [SIZE...]          (default: 1000 10000 100000)
#
# Environment:
#   FUSE_PASSES  pass flags given to fuse-opt (default
#                "--fuse-rewrite --fuse-form-groups"; e.g. --canonicalize)
#   FUSE_BIN     folder holding fuse-opt (default build/bin)
#   REPEAT       runs per size; the median wall time is reported (default 1)
#   APPEND       1 (default): append the table to bench/results.md; 0: don't
#
# For each size: `fuse-opt FILE $FUSE_PASSES -o /dev/null --mlir-timing`
# under /usr/bin/time. Columns: ops (constants excluded), seconds in the
# passes (--mlir-timing total minus parser, output and rest), parse seconds,
# wall seconds of the whole command, passes and wall seconds per 1k ops, peak
# RSS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
passes="${FUSE_PASSES:---fuse-rewrite --fuse-form-groups}"
bin="${FUSE_BIN:-$root/build/bin}"
repeat="${REPEAT:-1}"
append="${APPEND:-1}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
opt="$bin/fuse-opt"
py=/usr/bin/python3

fail() { echo "error: compile_time.sh: $*" >&2; exit 1; }
[ -x "$opt" ] || fail "$opt not found (build first, or set FUSE_BIN)"
[ -x /usr/bin/time ] || fail "/usr/bin/time not found (Debian package 'time')"
help="$("$opt" --help)"
for flag in $passes; do
  name="${flag%%=*}"
  grep -qE -- "^ *$name([ =<]|$)" <<<"$help" ||
    fail "fuse-opt has no pass '$name' (set FUSE_PASSES, e.g. FUSE_PASSES=--canonicalize)"
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rows="$work/rows"
: >"$rows"
for n in "${sizes[@]}"; do
  file="$work/synthetic-$n.mlir"
  "$py" "$root/bench/gen_synthetic.py" --ops "$n" -o "$file" >"$work/gen.log"
  ops=$(sed -n 's/.*; \([0-9]*\) ops, .*/\1/p' "$file" | head -1)
  for ((r = 0; r < repeat; r++)); do
    # shellcheck disable=SC2086
    if ! /usr/bin/time -f "%e %M" -o "$work/time.$r" \
        "$opt" "$file" $passes -o /dev/null --mlir-timing \
        2>"$work/timing.$r"; then
      cat "$work/timing.$r" >&2
      fail "fuse-opt $passes failed on the $n-op graph"
    fi
  done
  "$py" - "$work" "$repeat" "$n" "$ops" "$(stat -c %s "$file")" >>"$rows" <<'PY'
import re, statistics, sys
work, repeat, n, ops, size = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
runs = []
for r in range(repeat):
    wall, rss = open(f"{work}/time.{r}").read().split()[-2:]
    top = {}
    for line in open(f"{work}/timing.{r}"):
        m = re.match(r"\s+([0-9.]+) \(\s*[0-9.]+%\)  (\S.*)$", line)
        if m:
            top.setdefault(m.group(2).strip(), float(m.group(1)))
    total = top.get("Total", 0.0)
    parse = top.get("Parser", 0.0)
    passes = total - parse - top.get("Output", 0.0) - top.get("Rest", 0.0)
    runs.append((float(wall), passes, parse, int(rss)))
wall, passes, parse, rss = sorted(runs)[len(runs) // 2]
k = int(ops) / 1000
print(f"{ops} {passes:.3f} {parse:.3f} {wall:.2f} {passes / k:.4f} "
      f"{wall / k:.4f} {rss / 1024:.0f} {int(size) / 1e6:.1f}")
PY
done

table="$work/table"
{
  echo "| ops | passes s | parse s | wall s | passes s / 1k ops | wall s / 1k ops | peak RSS MB | file MB |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  while read -r ops passes_s parse wall pk wk rss mb; do
    echo "| $ops | $passes_s | $parse | $wall | $pk | $wk | $rss | $mb |"
  done <"$rows"
} >"$table"

echo "fuse-opt FILE $passes -o /dev/null --mlir-timing ($(nproc) cores, median of $repeat)"
cat "$table"

if [ "$append" = 1 ]; then
  {
    echo
    echo "## Compile time: \`$passes\` ($(date -u +%Y-%m-%d\ %H:%M) UTC)"
    echo
    echo "\`FUSE_PASSES='$passes' bash bench/compile_time.sh ${sizes[*]}\` on a $(nproc)-core"
    echo "machine: synthetic mixed BERT / GPT-2 layers from bench/gen_synthetic.py (seq 8, hidden 16);"
    echo "ops exclude constants; passes = --mlir-timing total minus parser, output and rest;"
    echo "wall = the whole fuse-opt command under /usr/bin/time (median of $repeat)."
    echo
    cat "$table"
  } >>"$root/bench/results.md"
  echo "appended to bench/results.md"
fi
