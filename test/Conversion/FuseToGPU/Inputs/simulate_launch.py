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
    np.seterr(all="ignore")
    chunks = [c for c in sys.stdin.read().split("// -----")
              if f'sym_name = "{args.func}"' in c]
    if len(chunks) != 1:
        print(f"error: expected one module with {args.func}", file=sys.stderr)
        return 1
    lines = [l for l in chunks[0].splitlines()
             if l.strip() and not l.startswith("#")]
    top = sg.Block([])
    sg.parse(lines, 0, top)
    func = top.ops[0].regions[0].ops[0]
    body = func.regions[0]
    rng = np.random.default_rng(args.seed)
    env, names = {}, {}
    arg_types = sg.split_types(
        re.search(r"function_type = \((.*?)\) ->", func.attrs).group(1))
    for i, (arg, ty) in enumerate(zip(body.args, arg_types)):
        dims, el = sg.memref_type(ty)
        data = rng.uniform(-1, 1, dims).astype(sg.np_type(el))
        if args.out == chr(ord("a") + i):
            data[...] = np.nan
        env[arg] = sg.MemRef(data.reshape(-1), 0, dims,
                             [int(np.prod(dims[k + 1:]))
                              for k in range(len(dims))])
        names[chr(ord("a") + i)] = data.astype(np.float32)
    result = None
    accesses = {}
    for op in body.ops:
        if op.name.startswith("arith."):
            runner = Runner(1, env, False)
            env[op.results[0]] = runner.step(op, np.ones(1, bool))
        elif op.name == "memref.alloc":
            dims, el = sg.memref_type(sg.result_types(op.types)[0])
            env[op.results[0]] = sg.MemRef(
                np.full(int(np.prod(dims)), np.nan, sg.np_type(el)), 0, dims,
                [int(np.prod(dims[k + 1:])) for k in range(len(dims))])
        elif op.name == "gpu.launch":
            vals = [sg.uniform(env[o]) for o in op.operands]
            grid, block = vals[0:3], vals[3:6]
            T = block[0]
            launch = op.regions[0]
            header = [l for l in lines if l.strip().startswith("^bb") and
                      launch.args and launch.args[0] + ":" in l][0]
            wg = [int(m) for m in re.findall(
                r"memref<(\d+)xi8, #gpu.address_space<workgroup>>", header)]
            for bz in range(grid[2]):
                for by in range(grid[1]):
                    for bx in range(grid[0]):
                        benv = {k: (np.broadcast_to(v[:1], (T,) + v.shape[1:]).copy()
                                    if isinstance(v, np.ndarray) else v)
                                for k, v in env.items()}
                        ids = [bx, by, bz] + [None] * 3 + list(grid) + list(block)
                        for i, arg in enumerate(launch.args):
                            if i < 3:
                                benv[arg] = np.full(T, ids[i])
                            elif i == 3:
                                benv[arg] = np.arange(T)
                            elif i < 6:
                                benv[arg] = np.zeros(T, np.int64)
                            elif i < 12:
                                benv[arg] = np.full(T, ids[i])
                            else:
                                size = wg[i - 12]
                                benv[arg] = sg.MemRef(
                                    np.full(size, 0xFF, np.uint8), 0, [size],
                                    [1])
                        runner = Runner(T, benv, False)
                        runner.accesses = accesses
                        runner.run(launch, np.ones(T, bool))
        elif op.name == "func.return" and op.operands:
            result = env[op.operands[0]]
    if args.out:
        result = env[body.args[ord(args.out) - ord("a")]]
    relu = lambda x: np.maximum(x, 0)
    expected = eval(args.expr, {"np": np, "relu": relu}, names)
    got = result.buf.reshape(result.sizes).astype(np.float32)
    if got.shape != expected.shape:
        print(f"FAIL: shape {got.shape} expected {expected.shape}")
        return 1
    if np.isnan(got).any():
        print(f"FAIL: {int(np.isnan(got).sum())} output elements NaN (not "
              "written, or computed from unwritten memory)")
        return 1
    err = np.abs(got - expected).max()
    tol = 2e-3 * max(1.0, np.abs(expected).max())
    status = "ok" if err <= tol else "FAIL"
    shape = "x".join(str(d) for d in got.shape)
    counts = " ".join(f"{k}={v}" for k, v in sorted(accesses.items()))
    print(f"{status}: {shape} max abs error {err:.3g} (tolerance {tol:.3g});"
          f" thread accesses: {counts}")
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
