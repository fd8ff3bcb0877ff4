#!/bin/bash
# The one prepared device check of issue 8, for the device tool (which
# carries the worktree; this script copies nothing). Run from the repo root:
#   run(command="bash bench/gpu/device_run.sh", carry=[...], timeout_s=590)
# Three parts, each run when what it needs is there:
#  1. numerics: scripts/gpu-numerics.py device on each directory of
#     $NUMERICS_IN (default "bench/gpu/numerics-small bench/gpu/numerics-ocr",
#     from `scripts/gpu-numerics.py prepare`, see docs/gpu-checks.md): GPU
#     bundles against the CPU path and PyTorch;
#  2. lit: the GPU lit tests (test/e2e/gpu-run-vs-cpu.test,
#     gpu-vs-torch.test, test/Runtime/bundle-run-cuda.test) where the build
#     tree runs (build/bin/fuse-run with its MLIR/LLVM libraries) and lit is
#     found ($LIT, lit on PATH, /usr/lib/llvm-22/bin/lit, python3 -m lit);
#     otherwise the reason is logged (the device tool's machine has no
#     LLVM/MLIR: there part 1 runs the same checks on prepared bundles);
#  3. bench: `run.py run` on $BENCH_IN (default bench/gpu/prepared) under
#     timeout (BENCH_TIMEOUT s, default 420; BENCH_ARGS adds flags).
# Parts 1 and 2 and the device's description go to $OUT/checks.log, part 3
# to $OUT/device_run.log and its results (the device tool returns at most 8
# files: checks.log, device_run.log and the bench's six). Exit status: the
# first failing part's.
set -u
OUT="${OUT:-bench/results}"
mkdir -p "$OUT"
LOG="$OUT/checks.log"
NUM="${NUMERICS_IN:-bench/gpu/numerics-small bench/gpu/numerics-ocr}"
IN="${BENCH_IN:-bench/gpu/prepared}"
status=0
{
  echo "== device"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' || true
} > "$LOG" 2>&1

# 1. numerics on prepared bundles, each directory of $NUMERICS_IN in turn.
for dir in $NUM; do
  echo "== numerics ($dir)" >> "$LOG"
  if [ -f "$dir/manifest.json" ]; then
    chmod +x "$dir"/bin/* 2>/dev/null || true
    PYTHONUNBUFFERED=1 timeout -k 10 "${NUMERICS_TIMEOUT:-240}" python3 \
      scripts/gpu-numerics.py device --work "$dir" --torch-python python3 \
      --timeout 120 >> "$LOG" 2>&1
    rc=$?
    echo "numerics: exit $rc" >> "$LOG"
    [ $rc -ne 0 ] && [ $status -eq 0 ] && status=$rc
  else
    echo "numerics: skipped: $dir/manifest.json missing (run scripts/gpu-numerics.py prepare, docs/gpu-checks.md)" >> "$LOG"
  fi
done

# 2. the GPU lit tests, where the build runs here.
echo "== lit" >> "$LOG"
lit_cmd=""
if [ -n "${LIT:-}" ]; then lit_cmd="$LIT"
elif command -v lit >/dev/null 2>&1; then lit_cmd="lit"
elif [ -x /usr/lib/llvm-22/bin/lit ]; then lit_cmd="/usr/lib/llvm-22/bin/lit"
elif python3 -c 'import lit' >/dev/null 2>&1; then lit_cmd="python3 -m lit"
fi
if [ ! -f build/test/lit.site.cfg.py ]; then
  echo "lit: skipped: no build tree (build/test/lit.site.cfg.py)" >> "$LOG"
elif ! build/bin/fuse-run --cuda-probe >> "$LOG" 2>&1; then
  echo "lit: skipped: build/bin/fuse-run --cuda-probe fails here (above)" >> "$LOG"
elif [ -z "$lit_cmd" ]; then
  echo "lit: skipped: no lit (set LIT)" >> "$LOG"
else
  timeout -k 10 "${LIT_TIMEOUT:-300}" $lit_cmd -v \
    build/test/e2e/gpu-run-vs-cpu.test build/test/e2e/gpu-vs-torch.test \
    build/test/Runtime/bundle-run-cuda.test >> "$LOG" 2>&1
  rc=$?
  echo "lit: exit $rc" >> "$LOG"
  [ $rc -ne 0 ] && [ $status -eq 0 ] && status=$rc
fi

# 3. the bench.
if [ ! -f "$IN/manifest.json" ]; then
  echo "bench: skipped: $IN/manifest.json missing: run 'python3 bench/gpu/run.py prepare --out $IN' first" | tee "$OUT/device_run.log" >> "$LOG"
  exit $status
fi
chmod +x "$IN"/bin/* 2>/dev/null || true
timeout -k 10 "${BENCH_TIMEOUT:-420}" python3 bench/gpu/run.py run --in "$IN" \
  --results "$OUT" --work /tmp/fuse-gpu-bench ${BENCH_ARGS:-} 2>&1 | tee "$OUT/device_run.log"
rc=${PIPESTATUS[0]}
[ $status -eq 0 ] && status=$rc
exit $status
