#!/usr/bin/env python3
"""The Python package's GPU path (fuse.run_bundle, fuse.time_bundle,
fuse.cuda_device; CompiledModel.run(device="cuda") saves its bundle and
calls the same) on the mock driver (FUSE_CUDA_LIBRARY): make_bundle.py's
bundles in DIR/good, DIR/bf16 and DIR/huge, outputs against a float32
reference computed here and against fuse-run --device=cuda's files in
DIR/out and DIR/bf16-out (the same runtime: the same bytes).

Usage: python_mock_run.py DIR
"""
import json
import os
import sys

import numpy as np

import fuse

work = sys.argv[1]
print("device:", fuse.cuda_device())

good = os.path.join(work, "good")
plan = json.load(open(os.path.join(good, "plan.json")))
x = np.load(os.path.join(work, "out", "x.npy"))
out = fuse.run_bundle(good, {"x": x})
print("outputs:", sorted(out), out["y"].dtype, out["y"].shape,
      out["z"].dtype, out["z"].shape)
i = np.arange(x.size, dtype=np.float32)
want = x + (np.float32(0.25) * i - np.float32(3))
half = x.size // 2
want[half:] = np.float32(2) * x[half:] + want[half:]
err = float(np.abs(out["y"] - want).max())
print("y max abs err", err, "ok" if err <= 1e-5 else "MISMATCH")
zok = list(out["z"]) == [0x01010101] * 8 + [0] * 8
print("z", "ok" if zok else "MISMATCH")
same = all(np.array_equal(out[n], np.load(os.path.join(work, "out", n + ".npy")))
           for n in ("y", "z"))
print("same as fuse-run:", same)

timing = fuse.time_bundle(good, {"x": x}, runs=3)
print("timed runs:", timing["runs"], "steps:",
      " ".join(s["label"] for s in timing["steps"]),
      "total > 0:", timing["total_median_ms"] > 0)

bf16 = os.path.join(work, "bf16")
y = fuse.run_bundle(bf16, {"x": np.load(os.path.join(bf16, "x.npy"))})["y"]
print("bf16:", y.dtype, y.ravel().tolist(), "same as fuse-run:",
      np.array_equal(y, np.load(os.path.join(work, "bf16-out", "y.npy"))))

try:
    fuse.run_bundle(os.path.join(work, "huge"), {"x": x})
    print("huge: ran")
except fuse.DeviceError as e:
    print("huge: DeviceError:", e)
try:
    fuse.run_bundle(good, {"x": x[:-1]})
except ValueError as e:
    print("short x: ValueError:", e)
