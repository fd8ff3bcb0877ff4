#!/usr/bin/env python3
"""Runs the gpu.launch kernels fuse-gpu-map-tiles emits on a CPU and compares
the function's result with numpy.

Input (stdin): modules printed in generic form after fuse-gpu-map-tiles and
lower-affine (`--mlir-print-op-generic`), split by `// -----`; --func picks
one. Its memref arguments are filled with random values, every block of each
launch is executed with its threads in lock step (the interpreter of
simulate_gemm.py), and the memref the function returns is compared with
`--expr` over the arguments named a, b, c, ... (numpy); with --out, the
result is that argument instead.

On top of simulate_gemm.py this checks what the vector and shared-memory
paths rely on:
  - a vector.load / vector.store with an `alignment` accesses an address
    that is a multiple of it (the buffers of the host are 256-byte aligned:
    each argument and allocation starts at element 0 of its own array);
  - every access stays inside its buffer (also per lane of a vector);
  - workgroup attributions are fresh per block, filled with NaN-like bytes,
    so a value read before it was written shows up in the result;
  - the result has no unwritten (NaN) element.
Prints `ok: SHAPE max abs error E` or `FAIL: ...` (exit 1).
"""
import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sim_driver as driver  # noqa: E402
import simulate_gemm as sg  # noqa: E402


class Runner(sg.Block_Runner):
    def step(self, op, mask):
        n, a = op.name, op.attrs
        if n == "scf.for":
            lb, ub, st = (self.per_thread(self.val(o))
                          for o in op.operands[:3])
            uniform = all(np.all(v == v.flat[0]) for v in (lb, ub, st))
            if not uniform:
                # A thread loop (`for i = tid; i < n; i += ntid`): each
                # thread iterates while its own bound holds.
                assert len(op.operands) == 3, "thread loop with iter_args"
                assert np.all(st > 0)
                body = op.regions[0]
                iv = lb.copy()
                while np.any(mask & (iv < ub)):
                    self.env[body.args[0]] = iv.copy()
                    self.run_yield(body, mask & (iv < ub))
                    iv = iv + st
                return []
        if n == "memref.memory_space_cast" or n == "memref.cast":
            return self.val(op.operands[0])
        if n == "memref.view":
            ops = [self.val(o) for o in op.operands]
            src, shift = ops[0], sg.uniform(ops[1])
            dims, el = sg.memref_type(sg.result_types(op.types)[0])
            dyn = iter(ops[2:])
            dims = [sg.uniform(next(dyn)) if d == -1 else d for d in dims]
            dt = sg.np_type(el)
            count = int(np.prod(dims))
            size = np.dtype(dt).itemsize
            assert shift % size == 0, "view shift not element aligned"
            assert shift + count * size <= src.buf.nbytes, "view out of range"
            buf = src.buf[shift:shift + count * size].view(dt)
            strides = [int(np.prod(dims[i + 1:])) for i in range(len(dims))]
            return sg.MemRef(buf, 0, dims, strides)
        if n in ("vector.load", "vector.store"):
            ops = [self.val(o) for o in op.operands]
            m = ops[0] if n == "vector.load" else ops[1]
            idx = ops[1:] if n == "vector.load" else ops[2:]
            vtype = (sg.result_types(op.types)[0] if n == "vector.load"
                     else sg.split_types(
                         op.types.split("->")[0].strip()[1:-1])[0])
            lanes = sg.shape_of(vtype)[0][0]
            lin = np.where(mask, m.linear(idx), 0)
            assert np.all(lin >= 0) and np.all(lin + lanes <= m.buf.size), \
                f"{n} out of range"
            # A memref's sizes bound each index (the chunk stays in its row).
            for i, s in zip(idx[:-1], m.sizes[:-1]):
                assert np.all(~mask | (i < s)), f"{n} index out of bounds"
            assert np.all(~mask | (idx[-1] + lanes <= m.sizes[-1])), \
                f"{n} crosses the end of the row"
            align = re.search(r"alignment = (\d+)", a)
            if align:
                nbytes = (lin * m.buf.itemsize)[mask]
                assert np.all(nbytes % int(align.group(1)) == 0), \
                    f"{n} not aligned to {align.group(1)} bytes"
            self.accesses[n] = self.accesses.get(n, 0) + int(mask.sum())
        if n == "memref.load" or n == "memref.store":
            self.accesses[n] = self.accesses.get(n, 0) + int(
                np.asarray(mask).sum())
        return super().step(op, mask)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expr", required=True)
    parser.add_argument("--func", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="the argument (a, b, ...) that holds "
                        "the result, filled with NaN (default: the memref "
                        "the function returns)")
    args = parser.parse_args()
    started = driver.start(sg, args)
    if started is None:
        return 1
    lines, func, body, rng = started

    def make_data(i, dims, el):
        data = rng.uniform(-1, 1, dims).astype(sg.np_type(el))
        if args.out == chr(ord("a") + i):
            data[...] = np.nan
        return data

    env, names = driver.make_inputs(sg, func, body, make_data)
    result = None
    accesses = {}
    for op in body.ops:
        if op.name.startswith("arith.") or op.name in (
                "memref.subview", "memref.collapse_shape"):
            # Host views (of arguments and allocations) too.
            runner = Runner(1, env, False)
            env[op.results[0]] = runner.step(op, np.ones(1, bool))
        elif op.name == "memref.alloc":
            dims, el = sg.memref_type(sg.result_types(op.types)[0])
            env[op.results[0]] = sg.MemRef(
                np.full(int(np.prod(dims)), np.nan, sg.np_type(el)), 0, dims,
                driver.contiguous(dims))
        elif op.name == "memref.copy":
            # A copy the bundle makes (a concatenated input).
            src, dst = (env[o] for o in op.operands)
            for idx in np.ndindex(*dst.sizes):
                dst.buf[dst.linear(idx)] = src.buf[src.linear(idx)]
        elif op.name == "gpu.launch":
            launch = op.regions[0]
            header = [l for l in lines if l.strip().startswith("^bb") and
                      launch.args and launch.args[0] + ":" in l][0]
            wg = [int(m) for m in re.findall(
                r"memref<(\d+)xi8, #gpu.address_space<workgroup>>", header)]

            def setup(benv, T):
                # Workgroup attributions (byte buffers): 0xFF bytes.
                for arg, size in zip(launch.args[12:], wg):
                    benv[arg] = sg.MemRef(np.full(size, 0xFF, np.uint8), 0,
                                          [size], [1])

            def make_runner(T, benv):
                runner = Runner(T, benv, False)
                runner.accesses = accesses
                return runner

            driver.run_launch(sg, op, env, make_runner, setup)
        elif op.name == "func.return" and op.operands:
            result = env[op.operands[0]]
    if args.out:
        result = env[body.args[ord(args.out) - ord("a")]]
    relu = lambda x: np.maximum(x, 0)
    expected = eval(args.expr, {"np": np, "relu": relu}, names)
    got = result.buf.reshape(result.sizes)
    counts = " ".join(f"{k}={v}" for k, v in sorted(accesses.items()))
    return driver.check_close(got, expected,
                              suffix=f"; thread accesses: {counts}")


if __name__ == "__main__":
    sys.exit(main())
