#!/usr/bin/env python3
"""The CPU path's fp16/bf16 folds against numpy with float32 accumulation.

  cpu_accumulation.py FUSE_RUN WORK_DIR

Per case and dtype (fp16, bf16): a one-node ONNX model whose fold runs over
4096 elements of [0, 1) inputs (sums of ~K/2 that 16-bit accumulation
cannot follow: its ulp reaches the size of the addends), run by
`fuse-run MODEL --input`. The reference is numpy: the 16-bit inputs as
float32, every sum in float32, the result rounded once to the dtype.
Prints `CASE DTYPE: max rel error E (rtol R) ok|MISMATCH` (error:
max |got - ref| over max |ref|); R is two roundings of the dtype, so a
16-bit accumulator fails.
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


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True, dtype=np.float32)


def layer_norm(x):
    mean = x.mean(-1, keepdims=True, dtype=np.float32)
    var = np.square(x - mean).mean(-1, keepdims=True, dtype=np.float32)
    return (x - mean) / np.sqrt(var + np.float32(1e-5))


# name: (ONNX node, input shapes, output shape, float32 reference)
CASES = {
    "MatMul": (helper.make_node("MatMul", ["A", "B"], ["Y"]),
               {"A": [M, K], "B": [K, N]}, [M, N],
               lambda a, b: a @ b),
    "ReduceMean": (helper.make_node("ReduceMean", ["A"], ["Y"], axes=[1],
                                    keepdims=0),
                   {"A": [M, K]}, [M],
                   lambda a: a.mean(1, dtype=np.float32)),
    "Softmax": (helper.make_node("Softmax", ["A"], ["Y"], axis=-1),
                {"A": [M, K]}, [M, K], softmax),
    "LayerNormalization": (
        helper.make_node("LayerNormalization", ["A", "S"], ["Y"], axis=-1),
        {"A": [M, K], "S": [K]}, [M, K],
        lambda a, s: layer_norm(a) * s),
}


def main():
    fuse_run, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rng = np.random.default_rng(7)
    bad = 0
    for case, (node, shapes, out_shape, reference) in CASES.items():
        for dtype in ("fp16", "bf16"):
            t = TensorProto.FLOAT16 if dtype == "fp16" else TensorProto.BFLOAT16
            graph = helper.make_graph(
                [node], case,
                [helper.make_tensor_value_info(n, t, s)
                 for n, s in shapes.items()],
                [helper.make_tensor_value_info("Y", t, out_shape)])
            model = os.path.join(work, f"{case}_{dtype}.onnx")
            onnx.save(helper.make_model(
                graph, opset_imports=[helper.make_opsetid("", 17)]), model)
            values, args = [], []
            for name, shape in shapes.items():
                v = rng.random(shape, dtype=np.float32)
                # bf16 travels as f32 in .npy
                v = v.astype(np.float16) if dtype == "fp16" else round_bf16(v)
                path = os.path.join(work, f"{case}_{dtype}_{name}.npy")
                np.save(path, v)
                values.append(v.astype(np.float32))
                args.append(f"--input={name}={path}")
            out = os.path.join(work, f"out_{case}_{dtype}")
            subprocess.run([fuse_run, model, *args, "--output-dir", out],
                           check=True, capture_output=True)
            got = np.load(os.path.join(out, "Y.npy")).astype(np.float64)
            acc = np.asarray(reference(*values), np.float32)
            ref = (acc.astype(np.float16) if dtype == "fp16"
                   else round_bf16(acc)).astype(np.float64)
            err = float(np.abs(got - ref).max() / np.abs(ref).max())
            ok = err <= RTOL[dtype]
            bad += not ok
            print(f"{case} {dtype}: max rel error {err:.3e} "
                  f"(rtol {RTOL[dtype]:.1e}) {'ok' if ok else 'MISMATCH'}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
