#!/usr/bin/env python3
"""Runs the gpu.launch of a wgmma kernel (fuse-gpu-gemm, sm_90a) on a CPU and
compares its output with numpy: simulate_gemm.py's interpreter plus the
warpgroup ops, each as the PTX ISA defines it, independently of the emitter.

- The dynamic shared memory lies at shared address SMEM_BASE (--smem-base,
  by default not a multiple of 1024, so a kernel must align its swizzled
  tiles itself); memref.extract_aligned_pointer_as_index gives that address.
- nvvm.wgmma.mma_async decodes its two 64-bit matrix descriptors (start
  address, leading / stride byte offsets, swizzle mode; PTX ISA "Matrix
  Descriptor Format" and "Shared Memory Matrix Layout"): element (mn, k) of
  a K-major matrix (imm-trans 0) is at start + (mn / 8) SBO + (mn % 8) S +
  k e, of an MN-major one (imm-trans 1) at start + (mn / (S / e)) LBO +
  (k / 8) SBO + (k % 8) S + (mn % (S / e)) e, S the swizzle width (128, 64,
  32 bytes) and e the element size; the swizzle XORs address bits [4, 4 +
  log2(S / 16)) with bits [7, ...) of the absolute address. The accumulator
  is the m64nN f32 D fragment (register i of thread t: row 16 (t / 32) +
  (t % 32) / 4 + 8 ((i / 2) % 2), column 8 (i / 4) + 2 (t % 4) + i % 2).
- The MMAs are asynchronous: their shared-memory reads happen when a
  wgmma.wait_group retires their group (the latest point the hardware may
  read), so a stage refilled before the MMAs reading it were waited for
  shows up (with --eager, copies land at issue); reading an accumulator
  before the wait is an error, and so is an MMA reading shared memory
  written through the generic proxy (cp.async, st.shared) with no
  fence.proxy.async since.
- TMA (nvgpu.tma.async.load): the host's nvgpu.tma.create.descriptor is the
  tensor map of its buffer (dims and strides of the memref, the box of its
  operands in memref order, the swizzle of its type); a load copies the box at its
  coordinates (innermost first; elements outside the tensor are zero) to
  the destination's shared address as the box's dense row-major image,
  each byte at the address the map's swizzle gives (address bits [4, 4 +
  log2(S / 16)) XOR bits [7, ...), S the swizzle span; "none" stores it
  unswizzled), so a map whose swizzle differs from the descriptors' shows.
  The bytes land, and complete their transaction on the mbarrier, when a
  thread waits on that mbarrier's phase (with --eager at issue). mbarriers
  follow the PTX ISA: init(count), arrive.expect_tx (an arrival and
  expected bytes), try_wait.parity P returns once the phase of parity P
  has completed (the current phase is not P, or it completes: every
  arrival, every expected byte); a phase that cannot complete is an error.
  TMA writes are async-proxy writes (no fence.proxy.async needed).
"""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate_gemm as sg  # noqa: E402

SMEM_BASE = 0x410


class Pending:
    """The result of an issued, not yet retired wgmma.mma_async."""

    def __init__(self, runner, acc, desc_a, desc_b, attrs):
        self.runner, self.acc = runner, acc
        self.desc_a, self.desc_b, self.attrs = desc_a, desc_b, attrs
        self.result = None

    def force(self):
        if self.result is None:
            acc = self.acc.force() if isinstance(self.acc, Pending) else self.acc
            self.result = self.runner.compute_wgmma(
                acc, self.desc_a, self.desc_b, self.attrs)
        return self.result


def decode(desc):
    d = int(desc) & 0xFFFFFFFFFFFFFFFF
    start = (d & 0x3FFF) << 4
    lbo = ((d >> 16) & 0x3FFF) << 4
    sbo = ((d >> 32) & 0x3FFF) << 4
    base_offset = (d >> 49) & 7
    mode = (d >> 62) & 3
    assert base_offset == 0, "descriptor base offset not modelled"
    assert mode != 0, "interleaved (unswizzled) layout not modelled"
    return start, lbo, sbo, {1: 128, 2: 64, 3: 32}[mode]


class TensorMap:
    """nvgpu.tma.create.descriptor of a host buffer."""

    def __init__(self, src, box, swizzle):
        self.src, self.box, self.swizzle = src, box, swizzle


def create_tensor_map(op, env):
    src = env[op.operands[0]]
    box = [sg.uniform(env[o]) for o in op.operands[1:]]
    swizzle = re.search(r"swizzle = (\w+)", op.types).group(1)
    return TensorMap(src, box, {"none": 0, "swizzle_32b": 32,
                                "swizzle_64b": 64,
                                "swizzle_128b": 128}[swizzle])


sg.HOST_OPS["memref.cast"] = lambda op, env: env[op.operands[0]]
sg.HOST_OPS["nvgpu.tma.create.descriptor"] = create_tensor_map


class Barrier:
    def __init__(self):
        self.count = None      # None: not initialized.
        self.phase = 0
        self.arrived = 0
        self.tx = 0            # Expected bytes not yet transferred.
        self.copies = []       # TMA copies not yet landed: (offsets, bytes).


class BarrierGroup:
    """nvgpu.mbarrier.create: `num` mbarriers."""

    def __init__(self, num):
        self.barriers = [Barrier() for _ in range(num)]

    def __getitem__(self, i):
        return self.barriers[i]


class WgmmaRunner(sg.Block_Runner):
    def __init__(self, T, env, eager):
        super().__init__(T, env, eager)
        self.wg_open = []      # Issued, not committed.
        self.wg_groups = []    # Committed, oldest first.
        self.dirty = False     # Generic-proxy smem writes since a fence.

    def smem(self):
        return self.env["__smem__"].buf

    def retire(self, copies):
        super().retire(copies)
        if copies:
            self.dirty = True

    def read(self, addr, swizzle, dtype):
        """Elements at the (logical) shared addresses `addr`."""
        mask = swizzle // 16 - 1
        phys = addr ^ (((addr >> 7) & mask) << 4)
        off = phys - SMEM_BASE
        size = np.dtype(dtype).itemsize
        assert np.all((off >= 0) & (off + size <= self.smem().size)), \
            "wgmma reads outside the dynamic shared memory"
        assert np.all(off % size == 0), "misaligned element"
        return self.smem().view(dtype)[off // size].astype(np.float32)

    def matrix(self, desc, rows, depth, trans, dtype):
        """The rows x depth (M or N by K) matrix of a descriptor."""
        start, lbo, sbo, sw = decode(desc)
        e = np.dtype(dtype).itemsize
        mn = np.arange(rows)[:, None]
        k = np.arange(depth)[None, :]
        if not trans:
            assert depth * e <= sw, "K slice wider than a swizzle row"
            addr = start + (mn // 8) * sbo + (mn % 8) * sw + k * e
        else:
            per = sw // e
            addr = (start + (mn // per) * lbo + (k // 8) * sbo +
                    (k % 8) * sw + (mn % per) * e)
        return self.read(addr, sw, dtype)

    def compute_wgmma(self, acc, desc_a, desc_b, attrs):
        m = re.search(r"m = (\d+), n = (\d+), k = (\d+)", attrs)
        M, N, K = (int(v) for v in m.groups())
        ty = re.search(r"typeA = #nvvm.wgmma_type<(\w+)>", attrs).group(1)
        dtype = {"f16": np.float16, "tf32": np.float32}[ty]
        trans_a = "layoutA = #nvvm.mma_layout<col>" in attrs
        trans_b = "layoutB = #nvvm.mma_layout<row>" in attrs
        # The D fragment: (thread, register) -> (row, column).
        t = np.arange(128)[:, None]
        i = np.arange(N // 2)[None, :]
        w, lane = t // 32, t % 32
        r = 16 * w + lane // 4 + 8 * ((i // 2) % 2)
        c = 8 * (i // 4) + 2 * (lane % 4) + i % 2
        out = np.array(acc, np.float32, copy=True)
        for g in range(self.T // 128):
            ts = slice(128 * g, 128 * g + 128)
            da, db = sg.uniform(desc_a[ts]), sg.uniform(desc_b[ts])
            A = self.matrix(da, M, K, trans_a, dtype)
            B = self.matrix(db, N, K, trans_b, dtype)
            C = np.zeros((M, N), np.float32)
            C[r, c] = acc[ts]
            D = A @ B.T + C
            out[ts] = D[r, c]
        return out

    def land(self, bar):
        for off, data in bar.copies:
            self.smem()[off] = data
            bar.tx -= data.size
        bar.copies = []

    def tma_load(self, op, mask):
        seg = sg.int_array(op.attrs, "operandSegmentSizes")
        vals = [self.val(o) for o in op.operands]
        dst, bars, tmap = vals[0], vals[1], vals[2]
        coords = [sg.uniform(v) for v in vals[3:3 + seg[3]]]
        bar = bars[sg.uniform(vals[3 + seg[3]])]
        assert seg[5] == 0 and seg[6] == 0, "multicast/predicate not modelled"
        assert bar.count is not None, "TMA on an uninitialized mbarrier"
        src, box = tmap.src, tmap.box
        rank = len(box)
        assert len(coords) == rank, "coordinates do not match the map's rank"
        e = src.buf.itemsize
        # The box's elements (its dims in memref order, as the descriptor
        # lists them: innermost last) and their global positions (the
        # coordinates are innermost first).
        shape = list(box)
        origin = list(reversed(coords))
        idx = np.indices(shape).reshape(rank, -1)
        pos = idx + np.array(origin)[:, None]
        inside = np.ones(idx.shape[1], bool)
        lin = np.full(idx.shape[1], src.offset, np.int64)
        for d in range(rank):
            inside &= (pos[d] >= 0) & (pos[d] < src.sizes[d])
            lin += np.where(inside, pos[d], 0) * src.strides[d]
        data = np.where(inside, src.buf[np.where(inside, lin, 0)], 0).astype(
            src.buf.dtype)
        # The destination's shared address.
        smem = self.smem()
        base = (dst.buf.__array_interface__["data"][0] -
                smem.__array_interface__["data"][0])
        start = SMEM_BASE + base + sg.uniform(dst.offset) * e
        assert start % 128 == 0, "TMA destination not 128-byte aligned"
        logical = start + np.arange(data.size, dtype=np.int64) * e
        if tmap.swizzle:
            m = tmap.swizzle // 16 - 1
            logical = logical ^ (((logical >> 7) & m) << 4)
        off = logical - SMEM_BASE
        assert np.all((off >= 0) & (off + e <= smem.size)), \
            "TMA writes outside the dynamic shared memory"
        byte_off = (off[:, None] + np.arange(e)[None, :]).reshape(-1)
        raw = data.view(np.uint8)
        for _ in range(int(np.count_nonzero(mask))):
            bar.copies.append((byte_off, raw))
            if self.eager:
                self.land(bar)

    def step(self, op, mask):
        n, a, T = op.name, op.attrs, self.T
        if n == "memref.cast":
            return self.val(op.operands[0])
        flag = re.search(r"value = (true|false)\}", a)
        if n == "arith.constant" and flag:  # i1, printed without a type.
            return np.full(T, flag.group(1) == "true")
        if n == "nvgpu.mbarrier.create":
            num = int(re.search(r"num_barriers = (\d+)", op.types).group(1))
            return BarrierGroup(num)
        if n == "nvvm.fence.mbarrier.init":
            return None
        if n == "nvgpu.mbarrier.init":
            bars, count, i = (self.val(o) for o in op.operands[:3])
            if np.any(mask):
                b = bars[sg.uniform(i)]
                b.count, b.phase, b.arrived, b.tx = sg.uniform(count), 0, 0, 0
            return None
        if n == "nvgpu.mbarrier.arrive.expect_tx":
            bars, tx, i = (self.val(o) for o in op.operands[:3])
            b = bars[sg.uniform(i)]
            assert b.count is not None, "arrive on an uninitialized mbarrier"
            active = int(np.count_nonzero(mask))
            b.tx += active * sg.uniform(tx)
            b.arrived += active
            return None
        if n == "nvgpu.tma.async.load":
            self.tma_load(op, mask)
            return None
        if n == "nvgpu.mbarrier.try_wait.parity":
            bars, parity, _, i = (self.val(o) for o in op.operands[:4])
            b = bars[sg.uniform(i)]
            assert b.count is not None, "wait on an uninitialized mbarrier"
            if b.phase % 2 == sg.uniform(parity) % 2:
                self.land(b)
                assert b.arrived == b.count and b.tx == 0, (
                    f"mbarrier phase {b.phase} never completes ({b.arrived} "
                    f"of {b.count} arrivals, {b.tx} bytes outstanding)")
                b.phase += 1
                b.arrived = 0
            return None
        if n == "memref.extract_aligned_pointer_as_index":
            src = self.val(op.operands[0])
            assert src.buf is self.smem(), "only the dynamic shared memory"
            return np.full(T, SMEM_BASE)
        if n in ("arith.shrui", "arith.shli"):
            x, y = (self.val(o) for o in op.operands)
            x = np.asarray(x).astype(np.uint64)
            y = np.asarray(y).astype(np.uint64)
            r = x >> y if n == "arith.shrui" else x << y
            return r.astype(np.int64)
        if n == "arith.index_castui":
            return self.val(op.operands[0])
        if n in ("llvm.mlir.undef", "llvm.mlir.poison"):
            count = sg.result_types(op.types)[0].count("f32")
            return np.full((T, count), np.nan, np.float32)
        if n == "llvm.insertvalue":
            s, v = (self.val(o) for o in op.operands)
            assert not isinstance(s, Pending), "accumulator written before wait"
            pos = sg.int_array(a, "position")[0]
            s = s.copy()
            s[:, pos] = v
            return s
        if n == "llvm.extractvalue":
            s = self.val(op.operands[0])
            if isinstance(s, Pending):
                assert s.result is not None, \
                    "accumulator read before wgmma.wait_group"
                s = s.result
            return s[:, sg.int_array(a, "position")[0]]
        if n == "nvvm.fence.proxy":
            assert "proxy_kind<async" in a, "not an async-proxy fence"
            self.dirty = False
            return None
        if n == "nvvm.wgmma.fence.aligned":
            return None
        if n == "nvvm.wgmma.mma_async":
            assert np.all(mask), "wgmma in divergent code"
            assert not self.dirty, ("wgmma reads shared memory written "
                                    "through the generic proxy without "
                                    "fence.proxy.async")
            acc, da, db = (self.val(o) for o in op.operands)
            p = Pending(self, acc, da, db, a)
            self.wg_open.append(p)
            return p
        if n == "nvvm.wgmma.commit.group.sync.aligned":
            self.wg_groups.append(self.wg_open)
            self.wg_open = []
            return None
        if n == "nvvm.wgmma.wait.group.sync.aligned":
            keep = int(re.search(r"group = (\d+)", a).group(1))
            while len(self.wg_groups) > keep:
                for p in self.wg_groups.pop(0):
                    p.force()
            return None
        if n == "vector.store":
            if np.shares_memory(self.val(op.operands[1]).buf, self.smem()):
                self.dirty = True
        return super().step(op, mask)


def main():
    global SMEM_BASE
    argv = list(sys.argv)
    if "--smem-base" in argv:
        i = argv.index("--smem-base")
        SMEM_BASE = int(argv[i + 1], 0)
        del argv[i:i + 2]
        sys.argv = argv
    sg.Block_Runner = WgmmaRunner
    return sg.main()


if __name__ == "__main__":
    sys.exit(main())
