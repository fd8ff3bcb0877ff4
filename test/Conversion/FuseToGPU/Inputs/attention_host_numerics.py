#!/usr/bin/env python3
"""CPU numerics of the fuse-gpu-attention kernel: each case is tiled with
a flash_attention choice, its kernel emitted as host loops
(--fuse-gpu-attention=host=true: the same phases, lanes, shared-memory
layout and shuffle butterflies, run thread by thread) and run with fuse-run;
the output must match the untiled module (fuse-to-linalg's attention) on
the same seeded inputs within --rtol. Models (ONNX) go through
fuse-compile --emit=tiled with the tuner's choices.

Usage: attention_host_numerics.py [--models-only] BIN_DIR WORK_DIR
           [MODEL.onnx[:NAME=DIMS][@PRECISION] ...]
Prints one line per case: `CASE: ok (max rel error E)` or `CASE: MISMATCH`.
"""
import os
import re
import subprocess
import sys

import numpy as np
import onnx

args = sys.argv[1:]
# --models-only: just the models (the unit cases run in another test).
models_only = "--models-only" in args
args = [a for a in args if a != "--models-only"]
bin_dir, work = args[0], args[1]
models = args[2:]
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
    ("mma_bf16_mask_d64_partial_tiles",
     attention("", [2, 4, 100, 64], [2, 4, 80, 64], [2, 4, 80, 64],
               [2, 1, 1, 80]),
     "BQ=64,BKV=32,warps=4,stages=2", "bf16", 1e-2),
    ("mma_fp16_d128_dv64",
     attention("", [1, 3, 72, 128], [1, 3, 96, 128], [1, 3, 96, 64],
               [72, 96], "{scale = 0.3 : f32}"),
     "BQ=64,BKV=64,warps=4,stages=2", "fp16", 5e-3),
    # Head dims off the kernel's units: padded with zeros in shared memory
    # (Q.K^T over 16 / 20 / 68 columns, P.V over 32 / 64 / 96), the
    # padding columns of O not stored.
    ("pad_d15_dv15_mask_partial_tiles",
     attention("", [2, 3, 50, 15], [2, 3, 70, 15], [2, 3, 70, 15],
               [2, 1, 1, 70]),
     "BQ=64,BKV=32,warps=4,stages=2"),
    ("pad_causal_d20_dv40",
     attention("", [1, 2, 70, 20], [1, 2, 90, 20], [1, 2, 90, 40],
               None, "{causal = true}"),
     "BQ=64,BKV=32,warps=4,stages=1"),
    ("pad_d66_dv72",
     attention("", [1, 2, 40, 66], [1, 2, 40, 66], [1, 2, 40, 72]),
     "BQ=64,BKV=32,warps=4,stages=2"),
    ("pad_mma_fp16_d15_dv15_mask_partial_tiles",
     attention("", [2, 3, 50, 15], [2, 3, 70, 15], [2, 3, 70, 15],
               [2, 1, 1, 70]),
     "BQ=64,BKV=32,warps=4,stages=2", "fp16", 5e-3),
    ("pad_mma_bf16_causal_d20_dv36",
     attention("", [1, 2, 70, 20], [1, 2, 90, 20], [1, 2, 90, 36],
               None, "{causal = true}"),
     "BQ=64,BKV=32,warps=4,stages=1", "bf16", 1e-2),
]


def run(cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def compare(name, got_dir, ref_dir, rtol=1e-5, inputs=()):
    """The outputs (the .npy files of ref_dir but `inputs`) of two runs."""
    worst = 0.0
    for entry in sorted(os.listdir(ref_dir)):
        if entry[:-4] in inputs or (not inputs and
                                    not entry.startswith("output")):
            continue
        ref = np.load(os.path.join(ref_dir, entry)).astype(np.float64)
        got = np.load(os.path.join(got_dir, entry)).astype(np.float64)
        scale = max(np.abs(ref).max(), 1e-30)
        worst = max(worst, float(np.abs(got - ref).max() / scale))
    verdict = "ok" if worst <= rtol else "MISMATCH"
    print(f"{name}: {verdict} (max rel error {worst:.3e})")


for name, text, choice, *rest in ([] if models_only else CASES):
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


# Strided addressing against numpy: the views around the attention (a
# fused QKV projection's bias, split and head split; K given as K^T; the
# heads merged back) stay in its group (fuse-tile folds them into the
# kernel's addressing) and the kernel reads and writes through strides.
def ty(shape, element="f32"):
    return "tensor<" + "x".join(map(str, shape)) + "x" + element + ">"


def head_split(name, value, batch, seq, heads, dim, perm="0, 2, 1, 3"):
    split = [batch, seq, heads, dim]
    out = [split[int(p)] for p in perm.split(", ")]
    return (f"    %{name}1 = fuse.reshape %{value} : {ty([batch, seq, heads * dim])}"
            f" -> {ty(split)}\n"
            f"    %{name} = fuse.transpose %{name}1 {{perm = array<i64: {perm}>}}"
            f" : {ty(split)} -> {ty(out)}\n")


def merge_heads(batch, seq, heads, dim):
    bhsd, bshd = [batch, heads, seq, dim], [batch, seq, heads, dim]
    return (f"    %o1 = fuse.transpose %o {{perm = array<i64: 0, 2, 1, 3>}} : "
            f"{ty(bhsd)} -> {ty(bshd)}\n"
            f"    %o2 = fuse.reshape %o1 : {ty(bshd)} -> "
            f"{ty([batch, seq, heads * dim])}\n"
            f"    fuse.yield %o2 : {ty([batch, seq, heads * dim])}\n")


def grouped(args, out, body):
    names = [a for a, _ in args]
    types = [ty(t) for _, t in args]
    sig = ", ".join(f"%f{a}: {t}" for a, t in zip(names, types))
    inner = ", ".join(f"%a{a}: {t}" for a, t in zip(names, types))
    uses = ", ".join(f"%f{a}" for a in names)
    return (f"func.func @main({sig}) -> {ty(out)} {{\n"
            f"  %r = fuse.group({uses}) : ({', '.join(types)}) -> {ty(out)} {{\n"
            f"  ^bb0({inner}):\n{body}  }}\n"
            f"  return %r : {ty(out)}\n}}\n")


def fused_qkv(batch, seq, heads, dim):
    hd = heads * dim
    bhsd = [batch, heads, seq, dim]
    body = (f"    %a = fuse.add %ax, %ab : ({ty([batch, seq, 3 * hd])}, "
            f"{ty([3 * hd])}) -> {ty([batch, seq, 3 * hd])}\n"
            f"    %s:3 = fuse.split %a {{axis = 2 : i64, sizes = array<i64: "
            f"{hd}, {hd}, {hd}>}} : {ty([batch, seq, 3 * hd])} -> "
            + ", ".join([ty([batch, seq, hd])] * 3) + "\n"
            + head_split("q", "s#0", batch, seq, heads, dim)
            + head_split("k", "s#1", batch, seq, heads, dim)
            + head_split("v", "s#2", batch, seq, heads, dim)
            + f"    %o = fuse.attention %q, %k, %v {{causal = true}} : "
            f"({ty(bhsd)}, {ty(bhsd)}, {ty(bhsd)}) -> {ty(bhsd)}\n"
            + merge_heads(batch, seq, heads, dim))
    text = grouped([("x", [batch, seq, 3 * hd]), ("b", [3 * hd])],
                   [batch, seq, hd], body)

    def reference(x, b):
        a = (x + b).reshape(batch, seq, 3, heads, dim).transpose(2, 0, 3, 1, 4)
        causal = np.tril(np.ones((seq, seq), dtype=bool))
        o = sdpa(a[0], a[1], a[2], np.where(causal, 0.0, -np.inf))
        return o.transpose(0, 2, 1, 3).reshape(batch, seq, hd)
    return text, [[batch, seq, 3 * hd], [3 * hd]], reference


def kt_mask(batch, seq, kv, heads, dim):
    hd = heads * dim
    bhsd, bhkd = [batch, heads, seq, dim], [batch, heads, kv, dim]
    body = (head_split("q", "aq", batch, seq, heads, dim)
            + f"    %k = fuse.transpose %akt {{perm = array<i64: 0, 1, 3, 2>}}"
            f" : {ty([batch, heads, dim, kv])} -> {ty(bhkd)}\n"
            + head_split("v", "av", batch, kv, heads, dim)
            + f"    %o = fuse.attention %q, %k, %v mask %am : ({ty(bhsd)}, "
            f"{ty(bhkd)}, {ty(bhkd)}, {ty([batch, 1, 1, kv])}) -> {ty(bhsd)}\n"
            + merge_heads(batch, seq, heads, dim))
    shapes = [[batch, seq, hd], [batch, heads, dim, kv], [batch, kv, hd],
              [batch, 1, 1, kv]]
    text = grouped(list(zip(["q", "kt", "v", "m"], shapes)), [batch, seq, hd],
                   body)

    def reference(q, kt, v, m):
        split = lambda t, n: t.reshape(batch, n, heads, dim).transpose(0, 2, 1, 3)
        o = sdpa(split(q, seq), kt.transpose(0, 1, 3, 2), split(v, kv), m)
        return o.transpose(0, 2, 1, 3).reshape(batch, seq, hd)
    return text, shapes, reference


def sdpa(q, k, v, mask):
    s = q.astype(np.float64) @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    s = s + mask
    p = np.exp(s - s.max(axis=-1, keepdims=True))
    return (p / p.sum(axis=-1, keepdims=True)) @ v


# (name, (module, input shapes, numpy reference), choice, precision, rtol)
STRIDED = [
    ("strided_fused_qkv_bias_causal", fused_qkv(2, 40, 2, 64),
     "BQ=64,BKV=32,warps=4,stages=2", "fp32", 1e-5),
    ("strided_kt_mask_d128", kt_mask(2, 50, 70, 2, 128),
     "BQ=64,BKV=32,warps=4,stages=1", "fp32", 1e-5),
    ("strided_mma_fp16_fused_qkv_bias_causal", fused_qkv(2, 40, 2, 64),
     "BQ=64,BKV=32,warps=4,stages=2", "fp16", 5e-3),
    ("strided_mma_bf16_kt_mask_d128", kt_mask(2, 50, 70, 2, 128),
     "BQ=64,BKV=32,warps=4,stages=1", "bf16", 1e-2),
]

rng = np.random.default_rng(11)
for name, (text, shapes, reference), choice, precision, rtol in (
        [] if models_only else STRIDED):
    base = os.path.join(work, name)
    with open(base + ".mlir", "w") as f:
        f.write(text)
    # fuse-tile records the precision on the group; the kernel takes it.
    with open(base + ".host.mlir", "w") as f:
        subprocess.run(
            [tool("fuse-opt"), base + ".mlir",
             f"--fuse-tile=tile-config=0=flash_attention:{choice} "
             f"precision={precision}",
             "--fuse-gpu-attention=host=true"], check=True, stdout=f)
    host = open(base + ".host.mlir").read()
    views = host.count("memref.reinterpret_cast")
    math = re.search(r'math = "(\w+)"', host)
    print(f"{name}: {host.count('fuse.attention_tile')} attention kernel(s)"
          f" ({math.group(1) if math else 'none'}),"
          f" {views} strided views, "
          f"{host.count('fuse.transpose') + host.count('fuse.reshape')}"
          " views left")
    inputs = [rng.standard_normal(shape).astype(np.float32)
              for shape in shapes]
    if name.endswith("mask_d128"):
        inputs[-1] = np.where(rng.random(shapes[-1]) < 0.3, -1e4,
                              0.0).astype(np.float32)
    os.makedirs(base + ".in", exist_ok=True)
    cmd = [tool("fuse-run"), base + ".host.mlir", "--output-dir",
           base + ".got"]
    for i, data in enumerate(inputs):
        path = os.path.join(base + ".in", f"input_{i}.npy")
        np.save(path, data)
        cmd += ["--input", f"input_{i}={path}"]
    run(cmd)
    ref = reference(*inputs)
    got = np.load(os.path.join(base + ".got", "output_0.npy"))
    worst = float(np.abs(got - ref).max() / np.abs(ref).max())
    verdict = "ok" if worst <= rtol else "MISMATCH"
    print(f"{name}: {verdict} (max rel error {worst:.3e} against numpy)")

for spec in models:
    # MODEL.onnx[:NAME=DIMS][@PRECISION]: the input's shape; fp16/bf16 put
    # the attention on the tensor-core kernel (the rest runs at fp32 on the
    # CPU), within the error of rounding its operands.
    precision = ""
    head, _, tail = spec.rpartition("@")
    if tail in ("fp16", "bf16", "tf32", "fp32"):
        spec, precision = head, tail
    model, _, shape = spec.partition(":")
    shape_flags = ["--input-shape", shape] if shape else []
    name = os.path.splitext(os.path.basename(model))[0]
    rtol = 1e-5
    if precision:
        shape_flags.append(f"--precision={precision}")
        name += "_" + precision
        rtol = {"fp16": 5e-3, "bf16": 2e-2}.get(precision, rtol)
    base = os.path.join(work, name)
    run([tool("fuse-compile"), model, "--emit=tiled", "-o",
         base + ".tiled.mlir"] + shape_flags)
    with open(base + ".host.mlir", "w") as f:
        subprocess.run([tool("fuse-opt"), base + ".tiled.mlir",
                        "--fuse-gpu-attention=host=true"], check=True,
                       stdout=f)
    host = open(base + ".host.mlir").read()
    kernels = host.count("fuse.attention_tile")
    math = sorted(set(re.findall(r'math = "(\w+)"', host)))
    run([tool("fuse-run"), model, "--seed", "7", "--output-dir",
         base + ".ref"] + [f for f in shape_flags
                           if not f.startswith("--precision")])
    graph = onnx.load(model).graph
    weights = {init.name for init in graph.initializer}
    inputs = [i.name for i in graph.input if i.name not in weights]
    cmd = [tool("fuse-run"), base + ".host.mlir", "--output-dir",
           base + ".got"]
    for entry in inputs:
        cmd += ["--input", f"{entry}={os.path.join(base + '.ref', entry)}.npy"]
    run(cmd)
    print(f"{name}: {kernels} attention kernel(s) ({', '.join(math)})")
    compare(name, base + ".got", base + ".ref", rtol, inputs=inputs)
