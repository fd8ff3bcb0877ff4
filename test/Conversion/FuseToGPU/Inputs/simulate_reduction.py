#!/usr/bin/env python3
"""Runs the gpu.launch kernels that fuse-gpu-map-tiles emits on a CPU and
compares the function's result with numpy.

Input (stdin): one func.func on memrefs holding the launches, printed in
generic form (`... func.func(fuse-gpu-map-tiles),lower-affine,canonicalize
--mlir-print-op-generic`). Its memref arguments are filled with random
values; every block of every grid is executed; the result (the memref the
function returns) is compared with `--expr` evaluated by numpy over the
arguments named a, b, c, ... in order (helpers: softmax, log_softmax,
layer_norm, argmax, argmin, nanargmax).

The threads of a block run in lock step, each SSA value an array over the
threads, with divergent loops and branches masked per thread. gpu.shuffle
follows the PTX ISA of shfl.sync.bfly with a full mask: every lane of a warp
that executes it must be active (else an error), lane l receives the value of
lane l ^ offset. gpu.barrier must be reached by every thread of the block.
Workgroup memory starts as NaN bytes (0xFF), so a read of a slot no thread
wrote shows up in the result.
"""
import argparse
import os
import re
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sim_driver as driver  # noqa: E402
from sim_driver import contiguous  # noqa: E402
from simulate_gemm import (Block_Runner, MemRef, int_array,  # noqa: E402
                           result_types, uniform)

DTYPES = {"f16": np.float16, "f32": np.float32, "f64": np.float64,
          "index": np.int64, "i64": np.int64, "i32": np.int64,
          "i16": np.int64, "i8": np.uint8, "i1": np.bool_}
BITS = {"f16": 16, "f32": 32, "f64": 64}
DYN = -9223372036854775808


def memref_type(text):
    m = re.match(r"memref<((?:[\d?]+x)*)(\w+)", text)
    dims = [d for d in m.group(1).split("x") if d]
    return [(-1 if d == "?" else int(d)) for d in dims], m.group(2)


def float_constant(text, ty):
    if text.startswith("0x"):
        bits = int(text, 16)
        fmt = {"f16": "<H", "f32": "<I", "f64": "<Q"}[ty]
        unpack = {"f16": "<e", "f32": "<f", "f64": "<d"}[ty]
        return struct.unpack(unpack, struct.pack(fmt, bits))[0]
    return float(text)


class Runner(Block_Runner):
    def step(self, op, mask):
        n, a, T = op.name, op.attrs, self.T
        if n == "arith.constant":
            m = re.search(r"value = ([^:]+?) : (\w+)", a)
            text, ty = m.group(1).strip(), m.group(2)
            if text in ("true", "false"):
                return np.full(T, text == "true")
            if ty in BITS:
                return np.full(T, float_constant(text, ty), DTYPES[ty])
            return np.full(T, int(text), np.int64)
        if n in ("scf.for", "scf.if", "scf.yield", "gpu.terminator"):
            if n == "scf.for":
                return self.loop(op, mask)
            return super().step(op, mask)
        ops = [self.val(o) for o in op.operands]
        if n == "arith.cmpf":
            p = int(re.search(r"predicate = (\d+)", a).group(1))
            x, y = ops
            unordered = np.isnan(x) | np.isnan(y)
            ordered = {1: x == y, 2: x > y, 3: x >= y, 4: x < y, 5: x <= y,
                       6: x != y}
            if p in ordered:
                return ordered[p] & ~unordered
            if 8 <= p <= 13:
                return ordered[p - 7] | unordered
            return {0: np.zeros(T, bool), 7: ~unordered, 14: unordered,
                    15: np.ones(T, bool)}[p]
        if n in ("arith.maxnumf", "arith.minnumf"):
            return (np.fmax if n == "arith.maxnumf" else np.fmin)(*ops)
        if n == "arith.bitcast":
            ty = result_types(op.types)[0]
            x = ops[0]
            if ty in BITS:
                ut = {16: np.uint16, 32: np.uint32, 64: np.uint64}[BITS[ty]]
                return (x.astype(np.int64) & ((1 << BITS[ty]) - 1)
                        if BITS[ty] < 64 else x).astype(ut).view(DTYPES[ty])
            ut = {np.dtype(np.float16): np.uint16,
                  np.dtype(np.float32): np.uint32,
                  np.dtype(np.float64): np.uint64}[x.dtype]
            return x.view(ut).astype(np.int64)
        if n == "arith.trunci":
            ty = result_types(op.types)[0]
            width = int(ty[1:])
            return ops[0].astype(np.int64) & ((1 << width) - 1) if width > 1 \
                else (ops[0] & 1).astype(bool)
        if n == "arith.extui":
            return ops[0].astype(np.int64)
        if n == "arith.shrui":
            return (ops[0].astype(np.uint64) >> ops[1].astype(np.uint64)) \
                .astype(np.int64)
        if n == "arith.shli":
            return ops[0] << ops[1]
        if n in ("arith.index_castui", "arith.extsi"):
            return ops[0].astype(np.int64)
        if n in ("arith.sitofp", "arith.uitofp"):
            return ops[0].astype(DTYPES[result_types(op.types)[0]])
        if n in ("math.log", "math.rsqrt", "math.absf"):
            return {"math.log": np.log, "math.absf": np.abs,
                    "math.rsqrt": lambda x: 1 / np.sqrt(x)}[n](ops[0]) \
                .astype(ops[0].dtype)
        if n == "gpu.shuffle":
            assert "xor" in a, "only xor shuffles are simulated"
            value, offset, width = ops
            offset, width = uniform(offset[mask]), uniform(width[mask])
            assert width == 32
            lanes = np.arange(T)
            for w in range(T // 32):
                active = mask[32 * w:32 * w + 32]
                assert active.all() or not active.any(), \
                    "gpu.shuffle with a partial warp"
            src = (lanes & ~31) | ((lanes % 32) ^ offset)
            return [value[src], np.ones(T, bool)]
        if n == "memref.memory_space_cast":
            return ops[0]
        if n == "memref.subview":
            src = ops[0]
            offs = int_array(a, "static_offsets")
            sizes = int_array(a, "static_sizes")
            strides = int_array(a, "static_strides")
            it = iter(ops[1:])
            offs = [uniform(next(it)[mask]) if o == DYN else o for o in offs]
            sizes = [uniform(next(it)[mask]) if s == DYN else s for s in sizes]
            strides = [uniform(next(it)[mask]) if s == DYN else s
                       for s in strides]
            dropped = len(sizes) != len(memref_type(
                result_types(op.types)[0])[0])
            assert not dropped, "rank-reducing subview"
            return MemRef(src.buf, src.linear(offs), sizes,
                          [s * t for s, t in zip(src.strides, strides)])
        if n == "memref.view":
            src, shift = ops[0], uniform(ops[1][mask])
            dims, el = memref_type(result_types(op.types)[0])
            dims = list(dims)
            dyn = iter(ops[2:])
            dims = [uniform(next(dyn)[mask]) if d == -1 else d for d in dims]
            dt = DTYPES[el]
            count = int(np.prod(dims))
            buf = src.buf[shift:shift + count * np.dtype(dt).itemsize].view(dt)
            return MemRef(buf, 0, dims, contiguous(dims))
        if n in ("memref.expand_shape", "memref.collapse_shape"):
            dims, _ = memref_type(result_types(op.types)[0])
            return MemRef(ops[0].buf, ops[0].offset, dims, contiguous(dims))
        if n == "memref.load":
            m = ops[0]
            lin = np.where(mask, m.linear(ops[1:]), 0)
            assert np.all((lin >= 0) & (lin < m.buf.size)), "load out of range"
            return m.buf[lin]
        if n == "memref.dim":
            return np.full(T, ops[0].sizes[uniform(ops[1][mask])])
        return super().step(op, mask)

    def loop(self, op, mask):
        """scf.for with per-thread bounds: a thread iterates while its iv is
        below its bound."""
        lb, ub, st = (self.per_thread(self.val(o)).astype(np.int64)
                      for o in op.operands[:3])
        carried = [self.per_thread(self.val(o)) for o in op.operands[3:]]
        body = op.regions[0]
        iv = lb.copy()
        active = mask & (iv < ub)
        while active.any():
            self.env[body.args[0]] = iv
            for arg, v in zip(body.args[1:], carried):
                self.env[arg] = v
            out = self.run_yield(body, active)
            carried = [np.where(active, self.per_thread(o), c)
                       for o, c in zip(out, carried)]
            iv = iv + st
            active = active & (iv < ub)
        return carried


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def layer_norm(x, g=None, b=None, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps)
    return y * (1 if g is None else g) + (0 if b is None else b)


def run_launch(op, env):
    # Workgroup attributions: NaN bytes.
    types = re.findall(r"(memref<[^>]*#gpu\.address_space<workgroup>>)",
                       op.signature)
    launch = op.regions[0]

    def setup(benv, T):
        for arg, ty in zip(launch.args[12:], types):
            dims, el = memref_type(ty)
            dt = np.dtype(DTYPES[el])
            raw = np.full(int(np.prod(dims)) * dt.itemsize, 0xFF, np.uint8)
            buf = raw if el == "i8" else raw.view(dt)
            benv[arg] = MemRef(buf, 0, dims, contiguous(dims))

    sim = sys.modules["simulate_gemm"]
    driver.run_launch(sim, op, env, lambda T, benv: Runner(T, benv, False),
                      setup)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expr", required=True)
    parser.add_argument("--func", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ints", action="store_true",
                        help="inputs are small integers (ties for arg_max)")
    parser.add_argument("--nan", action="store_true",
                        help="a NaN in the first element of the first input "
                        "and an inf in its last row")
    parser.add_argument("--tol", type=float, default=1e-5)
    parser.add_argument("--result", type=int, default=0,
                        help="which of the function's results to compare")
    args = parser.parse_args()
    np.seterr(all="ignore")
    text = driver.select_module(args.func)
    if text is None:
        return 1
    # The types of the launch regions' block arguments (parse() keeps only
    # their names).
    signatures = re.findall(r'"gpu\.launch"\(.*?\n\s*\^bb0\((.*?)\):', text,
                            re.S)
    sim = sys.modules["simulate_gemm"]
    _, func, body = driver.parse_function(sim, text)
    rng = np.random.default_rng(args.seed)

    def make_data(i, dims, el):
        if args.ints:
            data = rng.integers(-3, 4, dims).astype(DTYPES[el])
        else:
            data = rng.uniform(-2, 2, dims).astype(DTYPES[el])
        if args.nan and i == 0:
            flat = data.reshape(-1)
            flat[0] = np.nan
            flat[-1] = np.inf
        return data

    env, names = driver.make_inputs(sim, func, body, make_data,
                                    name_type=np.float64,
                                    memref_type=memref_type)
    result = None
    launches = 0
    for op in body.ops:
        if op.name == "memref.alloc":
            dims, el = memref_type(result_types(op.types)[0])
            dt = DTYPES[el]
            fill = np.nan if np.dtype(dt).kind == "f" else -12345
            env[op.results[0]] = MemRef(
                np.full(int(np.prod(dims)), fill, dt), 0, dims,
                contiguous(dims))
        elif op.name == "gpu.launch":
            op.signature = signatures[launches]
            launches += 1
            run_launch(op, env)
        elif op.name == "func.return":
            result = env[op.operands[args.result]]
        else:
            runner = Runner(1, env, False)
            out = runner.step(op, np.ones(1, bool))
            if out is not None:
                if not isinstance(out, (list, tuple)):
                    out = [out]
                for r, v in zip(op.results, out):
                    env[r] = v
    expected = np.asarray(eval(args.expr, {
        "np": np, "softmax": softmax, "log_softmax": log_softmax,
        "layer_norm": layer_norm, "argmax": np.argmax, "argmin": np.argmin,
        "nanargmax": np.nanargmax},
        names))
    got = result.buf.reshape(result.sizes)
    shape = "x".join(str(d) for d in got.shape)
    if got.dtype.kind == "f":
        got = got.astype(np.float64)
        same_nan = np.isnan(got) == np.isnan(expected)
        if not same_nan.all():
            print(f"FAIL: {shape}: {int((~same_nan).sum())} elements NaN in "
                  "one result only")
            return 1
        infinite = np.isinf(expected)
        if (got[infinite] != expected[infinite]).any():
            print(f"FAIL: {shape}: an infinite element differs")
            return 1
        finite = np.isfinite(expected)
        err = np.abs(got - expected)[finite].max(initial=0.0)
        tol = args.tol * max(1.0, np.abs(expected[finite]).max(initial=0.0))
        status = "ok" if err <= tol else "FAIL"
        print(f"{status}: {shape} max abs error {err:.3g} (tolerance "
              f"{tol:.3g}), {int(np.isnan(expected).sum())} NaN, "
              f"{int(infinite.sum())} inf, {launches} launches")
    else:
        wrong = int((got != expected).sum())
        status = "ok" if wrong == 0 else "FAIL"
        print(f"{status}: {shape} {wrong} wrong elements, {launches} launches")
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
