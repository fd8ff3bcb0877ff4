#!/usr/bin/env python3
"""The CPU path's fp16/bf16 MatMul against numpy with float32 accumulation.

  cpu_accumulation.py FUSE_RUN WORK_DIR

Per dtype (fp16, bf16): an ONNX MatMul [M, K] x [K, N] with K = 4096 and
inputs in [0, 1) (a sum of ~K/4 that 16-bit accumulation cannot follow:
its ulp reaches the size of the addends) run by `fuse-run MODEL --input`;
the reference is numpy: the 16-bit inputs as float32, products summed in
float32, the result rounded once to the dtype. Prints
`DTYPE: max rel error E (rtol R) ok|MISMATCH` (error: max |got - ref| over
max |ref|); R is two roundings of the dtype, so a 16-bit accumulator fails.
"""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

M, N, K = 16, 24, 4096
RTOL = {"fp16": 2 * 2.0 ** -11, "bf16": 2 * 2.0 ** -8}


def round_bf16(x):
    """float32 values rounded to the nearest bf16 (ties to even), as f32."""
    bits = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    return bits.astype(np.uint32).view(np.float32)


def main():
    fuse_run, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(7)
    bad = 0
    for dtype in ("fp16", "bf16"):
        t = TensorProto.FLOAT16 if dtype == "fp16" else TensorProto.BFLOAT16
        graph = helper.make_graph(
            [helper.make_node("MatMul", ["A", "B"], ["Y"])], "matmul",
            [helper.make_tensor_value_info("A", t, [M, K]),
             helper.make_tensor_value_info("B", t, [K, N])],
            [helper.make_tensor_value_info("Y", t, [M, N])])
        model = os.path.join(work, f"matmul_{dtype}.onnx")
        onnx.save(helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 17)]), model)
        a = rng.random((M, K), dtype=np.float32)
        b = rng.random((K, N), dtype=np.float32)
        if dtype == "fp16":
            a, b = a.astype(np.float16), b.astype(np.float16)
        else:  # bf16 travels as f32 in .npy
            a, b = round_bf16(a), round_bf16(b)
        args = []
        for name, value in (("A", a), ("B", b)):
            path = os.path.join(work, f"{dtype}_{name}.npy")
            np.save(path, value)
            args.append(f"--input={name}={path}")
        out = os.path.join(work, f"out_{dtype}")
        subprocess.run([fuse_run, model, *args, "--output-dir", out],
                       check=True, capture_output=True)
        got = np.load(os.path.join(out, "Y.npy")).astype(np.float64)
        acc = a.astype(np.float32) @ b.astype(np.float32)  # float32 sums
        ref = (acc.astype(np.float16) if dtype == "fp16"
               else round_bf16(acc)).astype(np.float64)
        err = float(np.abs(got - ref).max() / np.abs(ref).max())
        ok = err <= RTOL[dtype]
        bad += not ok
        print(f"{dtype}: max rel error {err:.3e} (rtol {RTOL[dtype]:.1e}) "
              f"{'ok' if ok else 'MISMATCH'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
