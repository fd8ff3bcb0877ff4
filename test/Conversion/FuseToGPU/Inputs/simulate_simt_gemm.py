#!/usr/bin/env python3
"""Runs the gpu.launch that fuse-gpu-simt-gemm emits on a CPU and compares
its output with numpy.

Input and usage as simulate_gemm.py (whose interpreter of the generic-form
IR this reuses: lock-step threads, each SSA value an array over a block's
threads): `fuse-opt ... --pass-pipeline='builtin.module(func.func(
fuse-gpu-simt-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic
| simulate_simt_gemm.py --func NAME --expr "relu(a @ b + c)"`.

Added here:
  - vector.fma / math.fma (f32);
  - a shared-memory race detector. Threads run in lock step, which would
    hide a missing barrier; so every shared-memory access records, per
    byte, the thread that last wrote it and the threads that read it since
    the last gpu.barrier. A read of a byte another thread wrote, or a write
    of a byte another thread read or wrote, in the same barrier interval is
    a race (on a GPU the order of the two is not defined): FAIL. This
    checks the double buffering (a buffer refilled while another thread
    still reads it, or read before the barrier that publishes it);
  - alignment: a vector.load/store that claims `alignment = N` must have an
    address that is a multiple of N bytes (ld.shared.v4 / ld.global.v4
    fault otherwise).
Unwritten shared memory reads as NaN (it is filled with 0xFF bytes), so a
tile read before it was staged shows up in the result.
"""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate_gemm as sim  # noqa: E402


class Race(Exception):
    pass


def address(buf):
    return buf.__array_interface__["data"][0]


class SimtRunner(sim.Block_Runner):
    def __init__(self, T, env, eager):
        super().__init__(T, env, eager)
        smem = env.get("__smem__")
        self.smem = smem.buf if smem is not None else None
        if self.smem is not None:
            n = self.smem.size
            self.epoch = 0
            self.wepoch = np.full(n, -1, np.int64)
            self.writer = np.full(n, -1, np.int64)
            self.repoch = np.full(n, -1, np.int64)
            self.reader = np.full(n, -1, np.int64)  # -2: several threads.

    def bytes_of(self, m, lin, width, mask):
        """(thread ids, byte addresses) of the active threads' accesses of
        `width` elements at linear index `lin` of memref `m` in shared
        memory, or None when `m` is not shared memory."""
        if self.smem is None or not np.shares_memory(m.buf, self.smem):
            return None
        base = address(m.buf) - address(self.smem)
        size = m.buf.itemsize
        tids = np.nonzero(mask)[0]
        start = base + np.asarray(lin)[tids] * size
        offs = np.arange(width * size)
        addrs = start[:, None] + offs[None, :]
        return np.repeat(tids, offs.size), addrs.reshape(-1)

    def check_align(self, op, m, lin, mask):
        a = re.search(r"alignment = (\d+)", op.attrs)
        if not a:
            return
        align = int(a.group(1))
        byte = address(m.buf) + np.asarray(lin)[mask] * m.buf.itemsize
        if np.any(byte % align):
            raise Race(f"{op.name} with alignment = {align} at a misaligned "
                       "address")

    def on_read(self, tids, addrs, what):
        other = (self.wepoch[addrs] == self.epoch) & \
            (self.writer[addrs] != tids)
        if other.any():
            raise Race(f"{what}: a thread reads shared memory another "
                       "thread wrote since the last barrier")
        pairs = np.unique(addrs * self.T + tids)
        a, t = pairs // self.T, pairs % self.T
        ua, idx, cnt = np.unique(a, return_index=True, return_counts=True)
        new = np.where(cnt > 1, -2, t[idx])
        old = np.where(self.repoch[ua] == self.epoch, self.reader[ua], -1)
        merged = np.where(old == -1, new, np.where(old == new, old, -2))
        self.reader[ua] = merged
        self.repoch[ua] = self.epoch

    def on_write(self, tids, addrs, what):
        cur = self.repoch[addrs] == self.epoch
        r = self.reader[addrs]
        if (cur & (r != -1) & (r != tids)).any():
            raise Race(f"{what}: a thread writes shared memory another "
                       "thread read since the last barrier")
        if ((self.wepoch[addrs] == self.epoch) &
                (self.writer[addrs] != tids)).any():
            raise Race(f"{what}: two threads write the same shared memory "
                       "since the last barrier")
        pairs = np.unique(addrs * self.T + tids)
        a = pairs // self.T
        if np.unique(a).size != a.size:
            raise Race(f"{what}: two threads write the same shared memory "
                       "in one store")
        self.wepoch[addrs] = self.epoch
        self.writer[addrs] = tids

    def step(self, op, mask):
        n = op.name
        if n in ("vector.fma", "math.fma"):
            x, y, z = (self.val(o) for o in op.operands)
            return (x.astype(np.float32) * y + z).astype(np.float32)
        if n == "arith.cmpf":
            p = int(re.search(r"predicate = (\d+)", op.attrs).group(1))
            x, y = (self.val(o) for o in op.operands)
            # ordered/unordered: oeq ogt oge olt ole one ... ugt ...
            table = {1: x == y, 2: x > y, 3: x >= y, 4: x < y, 5: x <= y,
                     6: x != y, 9: ~(x <= y), 10: ~(x < y), 11: ~(x >= y),
                     12: ~(x > y)}
            return table[p]
        if n == "arith.maxnumf":
            x, y = (self.val(o) for o in op.operands)
            return np.fmax(x, y)
        if n == "arith.minnumf":
            x, y = (self.val(o) for o in op.operands)
            return np.fmin(x, y)
        if n in ("memref.load", "memref.store", "vector.load",
                 "vector.store"):
            ops = [self.val(o) for o in op.operands]
            store = n.endswith("store")
            m = ops[1] if store else ops[0]
            lin = m.linear(ops[2:] if store else ops[1:])
            if n == "vector.load":
                width = sim.shape_of(sim.result_types(op.types)[0])[0][0]
            elif n == "vector.store":
                width = ops[0].shape[1]
            else:
                width = 1
            if n.startswith("vector"):
                self.check_align(op, m, lin, mask)
            acc = self.bytes_of(m, lin, width, mask)
            if acc is not None and acc[0].size:
                (self.on_write if store else self.on_read)(*acc, n)
        if n == "gpu.barrier" and self.smem is not None:
            self.epoch += 1
        return super().step(op, mask)


def main():
    sim.Block_Runner = SimtRunner
    try:
        return sim.main()
    except Race as race:
        print(f"FAIL: {race}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
