#!/bin/bash
# The one prepared device check of issue 8, for the device tool (which
# carries the worktree; this script copies nothing). Run from the repo root:
#   run(command="bash bench/gpu/device_run.sh", timeout_s=590)
# Writes results, plots and the log under $OUT (default bench/results).
# BENCH_TIMEOUT (s, default 540) bounds the whole measurement; BENCH_ARGS
# passes more flags to `run.py run` (e.g. --only gemm, --no-compile).
set -u
OUT="${OUT:-bench/results}"
mkdir -p "$OUT"
IN="${BENCH_IN:-bench/gpu/prepared}"
if [ ! -f "$IN/manifest.json" ]; then
  echo "error: $IN/manifest.json missing: run 'python3 bench/gpu/run.py prepare --out $IN' first" | tee "$OUT/device_run.log"
  exit 1
fi
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' || true
} > "$OUT/device_info.txt" 2>&1
chmod +x "$IN"/bin/* 2>/dev/null || true
timeout -k 10 "${BENCH_TIMEOUT:-540}" python3 bench/gpu/run.py run --in "$IN" \
  --results "$OUT" --work /tmp/fuse-gpu-bench ${BENCH_ARGS:-} 2>&1 | tee "$OUT/device_run.log"
exit "${PIPESTATUS[0]}"
