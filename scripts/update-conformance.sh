#!/usr/bin/env bash
# Runs the ONNX backend conformance cases through fuse-run and rewrites
# docs/onnx-conformance.md (the per-op pass / fail / unsupported table),
# then the generated docs, so that the README's supported-op table shows the
# run's numbers. test/Target/ONNX/conformance-run.test fails when the
# committed table differs from the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FUSE_BUILD_DIR:-$root/build}"
ninja -C "$build" fuse-translate fuse-run >/dev/null
report=$(mktemp --suffix=.md)
trap 'rm -f "$report"' EXIT
/usr/bin/python3 "$root/test/conformance/run_cases.py" \
  "$build/bin/fuse-translate" "$build/bin/fuse-run" "$report" \
  --expected-failures "$root/test/conformance/expected-failures.txt" \
  --table "$root/docs/onnx-conformance.md"
FUSE_BUILD_DIR="$build" bash "$root/scripts/gen-docs.sh"
