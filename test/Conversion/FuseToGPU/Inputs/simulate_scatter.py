#!/usr/bin/env python3
"""Runs the scatter kernels fuse-gpu-map-tiles emits (a copy of the data,
then the updates with atomics) on a CPU and compares the result with the
ONNX backend tests' own numpy reference of ScatterND / ScatterElements.

Input (stdin): modules printed in generic form after fuse-gpu-map-tiles and
lower-affine (`--mlir-print-op-generic`), split by `// -----`; --func picks
one, whose arguments are (data, indices, updates). Float arguments get
uniform values in [0.5, 2) (so products stay in range), integer ones
(indices) uniform integers in [-dim, dim) of the dims they index (negative
ones count from the end), so that many updates hit one element.

Every block of each launch runs with its threads in lock step (the
interpreter of simulate_launch.py). On top of it this models the atomics:
  - memref.atomic_rmw applies the lanes of a step one after another;
  - llvm.cmpxchg likewise, each lane comparing with the element as the
    lanes before it left it (so in a warp whose lanes update one element
    only one succeeds per round, the others retry);
  - memref.extract_aligned_pointer_as_index gives each buffer its own
    address range; llvm.inttoptr / llvm.load / llvm.cmpxchg map addresses
    back to the buffer, asserting alignment and bounds;
  - scf.while runs its lanes until each one's condition is false.
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
import simulate_launch as sl  # noqa: E402

# Element types: numpy storage (integers as int64 values, like the
# interpreter) and the unsigned type of their bits.
STORAGE = {"f16": np.float16, "f32": np.float32, "i64": np.int64,
           "i32": np.int32, "i16": np.int16, "i8": np.int8}
BITS = {"f16": np.uint16, "f32": np.uint32, "i64": np.uint64,
        "i32": np.uint32, "i16": np.uint16, "i8": np.uint8}
SIGNED = {np.uint16: np.int16, np.uint32: np.int32, np.uint64: np.int64,
          np.uint8: np.int8}
# memref.atomic_rmw kinds (arith::AtomicRMWKind).
ATOMIC_KINDS = {0: "addf", 1: "addi"}
ADDRESS_SPAN = 1 << 40


def memref_type(text):
    m = re.match(r"memref<((?:[\d?]+x)*)(\w+)", text)
    dims = [d for d in m.group(1).split("x") if d]
    return [(-1 if d == "?" else int(d)) for d in dims], m.group(2)


class Runner(sl.Runner):
    buffers = []  # id -> numpy buffer (flat), shared by all blocks

    def address_of(self, buf):
        for i, known in enumerate(self.buffers):
            if known is buf:
                return i * ADDRESS_SPAN
        self.buffers.append(buf)
        return (len(self.buffers) - 1) * ADDRESS_SPAN

    def word(self, address, bits_type):
        """The words (signed, as the interpreter holds integers) and the
        element index of `address`, as `bits_type`'s width."""
        buf = self.buffers[int(address) // ADDRESS_SPAN]
        offset = int(address) % ADDRESS_SPAN
        size = np.dtype(bits_type).itemsize
        assert offset % size == 0, "atomic access not aligned"
        words = buf.view(SIGNED[bits_type])
        assert offset // size < words.size, "atomic access out of range"
        return words, offset // size

    def step(self, op, mask):
        n, a = op.name, op.attrs
        T = self.T
        if n == "scf.while":
            return self.run_while(op, mask)
        if n == "scf.condition":
            self.condition = [self.val(o) for o in op.operands]
            return None
        ops = [self.val(o) for o in op.operands]
        if n == "memref.atomic_rmw":
            kind = ATOMIC_KINDS[int(re.search(r"kind = (\d+)", a).group(1))]
            value, m = ops[0], ops[1]
            lin = m.linear(ops[2:])
            old = np.zeros(T, m.buf.dtype)
            for lane in np.nonzero(mask)[0]:
                i = int(lin[lane])
                assert 0 <= i < m.buf.size, "atomic_rmw out of range"
                old[lane] = m.buf[i]
                m.buf[i] = m.buf[i] + value[lane]
            self.accesses[n] = self.accesses.get(n, 0) + int(mask.sum())
            return old
        if n == "memref.extract_strided_metadata":
            m = ops[0]
            base = sg.MemRef(m.buf, 0, [], [])
            return ([base, np.full(T, m.offset)] +
                    [np.full(T, s) for s in m.sizes] +
                    [np.full(T, s) for s in m.strides])
        if n == "memref.extract_aligned_pointer_as_index":
            return np.full(T, self.address_of(ops[0].buf), np.int64)
        if n in ("llvm.inttoptr", "arith.index_castui"):
            return ops[0]
        if n == "llvm.load":
            bits = BITS[sg.result_types(op.types)[0]]
            out = np.zeros(T, np.int64)
            for lane in np.nonzero(mask)[0]:
                words, i = self.word(ops[0][lane], bits)
                out[lane] = int(words[i])
            return out
        if n == "llvm.cmpxchg":
            ty = sg.split_types(op.types.split("->")[0].strip()[1:-1])[1]
            bits = BITS[ty]
            seen = np.zeros(T, np.int64)
            ok = np.zeros(T, bool)
            for lane in np.nonzero(mask)[0]:
                words, i = self.word(ops[0][lane], bits)
                seen[lane] = int(words[i])
                full = int(np.iinfo(bits).max)
                if int(seen[lane]) & full == int(ops[1][lane]) & full:
                    words[i] = np.array(int(ops[2][lane]) & full,
                                        np.uint64).astype(bits).view(
                                            SIGNED[bits])
                    ok[lane] = True
            self.accesses[n] = self.accesses.get(n, 0) + int(mask.sum())
            return [(seen, ok)]  # one result: the struct
        if n == "llvm.extractvalue":
            return ops[0][sg.int_array(a, "position")[0]]
        if n == "arith.bitcast":
            src, dst = (t.strip() for t in op.types.split("->"))
            src = src.strip("()")
            x = np.asarray(ops[0])
            if src in BITS and src.startswith("f"):
                return (x.astype(STORAGE[src]).view(SIGNED[BITS[src]])
                        .astype(np.int64))
            return (x.astype(np.int64).astype(BITS[dst])
                    .view(STORAGE[dst]))
        if n == "arith.constant" and re.search(r"value = (true|false)", a):
            return np.full(T, "value = true" in a)
        if n == "arith.constant" and re.search(r": i(8|16|32|64)\b", a):
            value = int(re.search(r"value = (-?\d+)", a).group(1))
            return np.full(T, value, np.int64)
        return super().step(op, mask)

    def run_while(self, op, mask):
        """Lanes iterate until their own condition is false."""
        before, after = op.regions
        values = [self.per_thread(self.val(o)).copy() for o in op.operands]
        results = [v.copy() for v in values]
        active = mask.copy()
        while np.any(active):
            for arg, v in zip(before.args, values):
                self.env[arg] = v
            self.condition = None
            self.run(before, active)
            cond, *carried = self.condition
            leaving = active & ~cond
            for r, v in zip(results, carried):
                r[leaving] = v[leaving]
            active = active & cond
            if not np.any(active):
                break
            for arg, v in zip(after.args, carried):
                self.env[arg] = v
            values = [np.where(active, y, v)
                      for y, v in zip(self.run_yield(after, active), values)]
        return results


class TupleIndices:
    """ScatterND indices whose entry `indices[i]` is a tuple: 1.12's
    scatter_nd_impl indexes the output with the entry itself, an array,
    which numpy takes as rows of axis 0 when k > 1 (later ONNX releases
    index with the tuple)."""

    def __init__(self, indices):
        self.indices, self.shape = indices, indices.shape

    def __getitem__(self, i):
        return tuple(self.indices[i])


def reference(kind, data, indices, updates, axis, reduction):
    """The ONNX backend tests' numpy implementations (python3-onnx); for
    max and min, which python3-onnx 1.12's do not have, numpy's
    np.maximum.at / np.minimum.at at the same positions."""
    if reduction in ("max", "min"):
        fold = np.maximum if reduction == "max" else np.minimum
        out = data.copy()
        if kind == "nd":
            where = tuple(np.moveaxis(indices, -1, 0))
        else:
            where = list(np.indices(indices.shape))
            where[axis] = indices
            where = tuple(where)
        fold.at(out, where, updates)
        return out
    import warnings
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                    "..", "conformance"))
    import onnx_cases  # noqa: F401  (numpy aliases the generators need)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "nd":
            from onnx.backend.test.case.node.scatternd import scatter_nd_impl
            return scatter_nd_impl(data, TupleIndices(indices), updates,
                                   reduction=reduction)
        from onnx.backend.test.case.node.scatterelements import \
            scatter_elements
        return scatter_elements(data, indices, updates, axis=axis,
                                reduction=reduction)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--func", required=True)
    parser.add_argument("--kind", choices=("nd", "elements"), required=True)
    parser.add_argument("--reduction", default="none")
    parser.add_argument("--axis", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = driver.start(sg, args)
    if started is None:
        return 1
    lines, func, body, rng = started
    arg_types = sg.split_types(
        re.search(r"function_type = \((.*?)\) ->", func.attrs).group(1))
    data_dims = memref_type(arg_types[0])[0]

    def make_data(i, dims, el):
        if el.startswith("f"):
            return rng.uniform(0.5, 2, dims).astype(STORAGE[el])
        if i == 1:  # indices
            if args.kind == "nd":
                bound = np.array(data_dims[:dims[-1]])
                return (rng.integers(-bound, bound,
                                     size=dims[:-1] + [dims[-1]]))
            dim = data_dims[args.axis]
            return rng.integers(-dim, dim, size=dims)
        return rng.integers(-3, 4, size=dims).astype(STORAGE[el])

    env, names = driver.make_inputs(sg, func, body, make_data,
                                    name_type=np.float64,
                                    memref_type=memref_type)
    # Integers are held as int64 values by the interpreter.
    for arg in body.args:
        m = env[arg]
        if m.buf.dtype.kind == "i":
            m.buf = m.buf.astype(STORAGE[memref_type(
                arg_types[body.args.index(arg)])[1]])
    inputs = [env[arg].buf.reshape(env[arg].sizes).copy()
              for arg in body.args]
    result = None
    accesses = {}
    for op in body.ops:
        if op.name.startswith("arith."):
            runner = Runner(1, env, False)
            runner.accesses = accesses
            env[op.results[0]] = runner.step(op, np.ones(1, bool))
        elif op.name == "memref.alloc":
            dims, el = memref_type(sg.result_types(op.types)[0])
            env[op.results[0]] = sg.MemRef(
                np.full(int(np.prod(dims)), 0, STORAGE[el]), 0, dims,
                driver.contiguous(dims))
            if el.startswith("f"):
                env[op.results[0]].buf[:] = np.nan
        elif op.name == "gpu.launch":
            def make_runner(T, benv):
                runner = Runner(T, benv, False)
                runner.accesses = accesses
                return runner

            driver.run_launch(sg, op, env, make_runner)
        elif op.name == "func.return" and op.operands:
            result = env[op.operands[0]]
    data, indices, updates = inputs
    expected = reference(args.kind, data.copy(), indices, updates, args.axis,
                         args.reduction)
    got = result.buf.reshape(result.sizes)
    counts = " ".join(f"{k}={v}" for k, v in sorted(accesses.items()))
    hits = np.unique(np.asarray(indices).reshape(-1)).size
    return driver.check_close(
        got, expected.astype(np.float32),
        suffix=f"; {indices.size} indices, {hits} distinct; "
               f"thread accesses: {counts}")


if __name__ == "__main__":
    sys.exit(main())
