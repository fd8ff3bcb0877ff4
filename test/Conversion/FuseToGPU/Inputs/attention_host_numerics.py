#!/usr/bin/env python3
"""CPU numerics of the fuse-gpu-attention kernel: each case is tiled with
a flash_attention choice, its kernel emitted as host loops
(--fuse-gpu-attention=host=true: the same phases, lanes, shared-memory
layout and shuffle butterflies, run thread by thread) and run with fuse-run;
the output must match the untiled module (fuse-to-linalg's attention) on
the same seeded inputs within --rtol. Models (ONNX) go through
fuse-compile --emit=tiled with the tuner's choices.

Usage: attention_host_numerics.py BIN_DIR WORK_DIR [MODEL.onnx ...]
Prints one line per case: `CASE: ok (max rel error E)` or `CASE: MISMATCH`.
"""
import os
import subprocess
import sys

import numpy as np

bin_dir, work = sys.argv[1], sys.argv[2]
models = sys.argv[3:]
os.makedirs(work, exist_ok=True)


def tool(name):
    return os.path.join(bin_dir, name)


def attention(name, q, k, v, mask=None, attrs=""):
    """A module with one fuse.attention; shapes as lists."""
    def ty(shape):
        return "tensor<" + "x".join(map(str, shape)) + "xf32>"
    out = q[:-1] + [v[-1]]
    args = [f"%q: {ty(q)}", f"%k: {ty(k)}", f"%v: {ty(v)}"]
    operands = [ty(q), ty(k), ty(v)]
    use = "%q, %k, %v"
    if mask:
        args.append(f"%m: {ty(mask)}")
        operands.append(ty(mask))
        use += " mask %m"
    return (f"func.func @main({', '.join(args)}) -> {ty(out)} {{\n"
            f"  %o = fuse.attention {use} {attrs} : ({', '.join(operands)})"
            f" -> {ty(out)}\n  return %o : {ty(out)}\n}}\n")


# (name, module, tile choice[, precision, rtol]): fp16/bf16 run the
# tensor-core kernel (mma.sync emulated lane by lane from its fragment
# layouts); its error is that of rounding Q, K, V and P to 16 bits.
CASES = [
    ("mask_d64_partial_tiles",
     attention("", [2, 4, 100, 64], [2, 4, 80, 64], [2, 4, 80, 64],
               [2, 1, 1, 80]),
     "BQ=64,BKV=32,warps=4,stages=2"),
    ("mask_2d_d128_dv64",
     attention("", [1, 3, 72, 128], [1, 3, 96, 128], [1, 3, 96, 64],
               [72, 96], "{scale = 0.3 : f32}"),
     "BQ=64,BKV=64,warps=4,stages=1"),
    ("causal_d128_longer_kv",
     attention("", [1, 2, 70, 128], [1, 2, 150, 128], [1, 2, 150, 128],
               None, "{causal = true}"),
     "BQ=64,BKV=64,warps=4,stages=2"),
    ("causal_d64_8warps",
     attention("", [2, 2, 160, 64], [2, 2, 160, 64], [2, 2, 160, 64],
               None, "{causal = true}"),
     "BQ=128,BKV=32,warps=8,stages=2"),
    ("rank3_d64_32rows_per_warp",
     attention("", [3, 50, 64], [3, 130, 64], [3, 130, 64], [3, 50, 130]),
     "BQ=128,BKV=64,warps=4,stages=1"),
    ("mma_fp16_mask_d64",
     attention("", [2, 4, 100, 64], [2, 4, 80, 64], [2, 4, 80, 64],
               [2, 1, 1, 80]),
     "BQ=64,BKV=32,warps=4,stages=2", "fp16", 5e-3),
    ("mma_bf16_causal_d128_two_mtiles",
     attention("", [1, 2, 70, 128], [1, 2, 150, 128], [1, 2, 150, 128],
               None, "{causal = true}"),
     "BQ=128,BKV=32,warps=4,stages=1", "bf16", 1e-2),
    ("mma_fp16_d128_dv64",
     attention("", [1, 3, 72, 128], [1, 3, 96, 128], [1, 3, 96, 64],
               [72, 96], "{scale = 0.3 : f32}"),
     "BQ=64,BKV=64,warps=4,stages=2", "fp16", 5e-3),
]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def compare(name, got_dir, ref_dir, rtol=1e-5):
    worst = 0.0
    for entry in sorted(os.listdir(ref_dir)):
        if not entry.startswith("output"):
            continue
        ref = np.load(os.path.join(ref_dir, entry)).astype(np.float64)
        got = np.load(os.path.join(got_dir, entry)).astype(np.float64)
        scale = max(np.abs(ref).max(), 1e-30)
        worst = max(worst, float(np.abs(got - ref).max() / scale))
    verdict = "ok" if worst <= rtol else "MISMATCH"
    print(f"{name}: {verdict} (max rel error {worst:.3e})")


for name, text, choice, *rest in CASES:
    precision, rtol = rest if rest else ("fp32", 1e-5)
    base = os.path.join(work, name)
    with open(base + ".mlir", "w") as f:
        f.write(text)
    with open(base + ".host.mlir", "w") as f:
        subprocess.run(
            [tool("fuse-opt"), base + ".mlir", "--fuse-form-groups",
             f"--fuse-tile=tile-config=0=flash_attention:{choice}",
             f"--fuse-gpu-attention=host=true precision={precision}"],
            check=True, stdout=f)
    run([tool("fuse-run"), base + ".mlir", "--seed", "7", "--output-dir",
         base + ".ref"])
    run([tool("fuse-run"), base + ".host.mlir", "--seed", "7",
         "--output-dir", base + ".got"])
    compare(name, base + ".got", base + ".ref", rtol)

for model in models:
    name = os.path.splitext(os.path.basename(model))[0]
    base = os.path.join(work, name)
    run([tool("fuse-compile"), model, "--emit=tiled", "-o",
         base + ".tiled.mlir"])
    with open(base + ".host.mlir", "w") as f:
        subprocess.run([tool("fuse-opt"), base + ".tiled.mlir",
                        "--fuse-gpu-attention=host=true"], check=True,
                       stdout=f)
    kernels = open(base + ".host.mlir").read().count("fuse.attention_tile")
    run([tool("fuse-run"), model, "--seed", "7", "--output-dir",
         base + ".ref"])
    inputs = [entry for entry in os.listdir(base + ".ref")
              if not entry.startswith("output")]
    cmd = [tool("fuse-run"), base + ".host.mlir", "--output-dir",
           base + ".got"]
    for entry in inputs:
        cmd += ["--input",
                f"{entry[:-4]}={os.path.join(base + '.ref', entry)}"]
    run(cmd)
    print(f"{name}: {kernels} attention kernel(s)")
    compare(name, base + ".got", base + ".ref")
