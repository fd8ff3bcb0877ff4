#!/usr/bin/env python3
"""Runs the gpu.launch that fuse-gpu-gemm emits on a CPU and compares its
output with numpy.

Input (stdin): one func.func holding the launch, printed in generic form
(`fuse-opt ... --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm),
lower-affine,canonicalize,cse)' --mlir-print-op-generic`). The function's
memref arguments are filled with random values (f16/f32), every block of the
grid is executed, and the result (the memref the function returns) is compared
with a numpy evaluation of `--expr` (e.g. "relu(a @ b + c)") over the
arguments named a, b, c, ... in order.

The threads of a block run in lock step, each SSA value an array over the
threads; warp-collective ops follow the PTX ISA, independently of the
emitter: ldmatrix (.x4: thread 8j+r gives the address of row r of matrix j;
every thread receives of matrix j the pair at (lane/4, 2*(lane%4)+{0,1}), or
with .trans the pair at rows 2*(lane%4)+{0,1}, column lane/4) and mma.sync
m16n8k16 (A a0..a7, B b0..b3, C c0..c3 fragment layouts). cp.async copies
are only performed when a wait_group retires their group (the latest point
the hardware may complete them), so a stage read before its wait, or
overwritten while it is still read, shows up as a wrong result; --eager
performs them at issue instead (the earliest point).
"""
import argparse
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sim_driver as driver  # noqa: E402


class Op:
    def __init__(self, results, name, operands, attrs, regions, types):
        self.results, self.name, self.operands = results, name, operands
        self.attrs, self.regions, self.types = attrs, regions, types


class Block:
    def __init__(self, args):
        self.args, self.ops = args, []


HEAD = re.compile(r'^\s*(?:(%[\w#]+)(?::(\d+))? = )?"([\w.]+)"\((.*?)\)(.*)$')


def parse_operands(text):
    return [t.strip() for t in text.split(",") if t.strip()]


def parse(lines, pos, block):
    """Parses ops into `block` until a line closing the region."""
    while pos < len(lines):
        line = lines[pos]
        stripped = line.strip()
        if stripped.startswith("}"):
            return pos
        if stripped.startswith("^bb"):
            args = re.findall(r"(%\w+):", stripped)
            block.args = args
            pos += 1
            continue
        m = HEAD.match(line)
        if not m:
            raise ValueError("cannot parse: " + line)
        res, count, name, operands, rest = m.groups()
        results = []
        if res:
            n = int(count) if count else 1
            results = [res] if n == 1 else [f"{res}#{i}" for i in range(n)]
        regions = []
        tail = rest
        if rest.rstrip().endswith("({"):
            attrs_text = rest
            pos += 1
            while True:
                region = Block([])
                pos = parse(lines, pos, region)
                regions.append(region)
                closing = lines[pos].strip()
                pos += 1
                if closing.startswith("}, {"):
                    continue
                tail = attrs_text + closing
                break
        else:
            pos += 1
        types = tail.rsplit(" : ", 1)[-1] if " : " in tail else ""
        block.ops.append(Op(results, name, parse_operands(operands), tail,
                            regions, types))
    return pos


def result_types(types):
    out = types.split("->", 1)[1].strip() if "->" in types else ""
    if out.startswith("("):
        out = out[1:-1]
    return split_types(out)


def split_types(text):
    parts, depth, cur = [], 0, ""
    for c in text:
        if c in "<([":
            depth += 1
        elif c in ">)]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        parts.append(cur.strip())
    return parts


def np_type(name):
    return {"f16": np.float16, "f32": np.float32, "bf16": None,
            "index": np.int64, "i1": np.bool_, "i32": np.int64,
            "i8": np.uint8}[name]


def shape_of(vtype):
    m = re.match(r"vector<([\dx]+)x(\w+)>", vtype)
    return tuple(int(d) for d in m.group(1).split("x")), m.group(2)


def int_array(attr, key):
    m = re.search(key + r" = array<i\d+: ([^>]*)>", attr)
    if not m:
        return []
    return [int(v) for v in m.group(1).split(",") if v.strip()]


def int_list(attr, key):
    m = re.search(key + r" = \[([^\]]*)\]", attr)
    return [int(v) for v in m.group(1).split(",")]


DYN = -9223372036854775808


class MemRef:
    def __init__(self, buf, offset, sizes, strides):
        self.buf, self.offset = buf, offset
        self.sizes, self.strides = list(sizes), list(strides)

    def linear(self, indices):
        lin = self.offset
        for i, s in zip(indices, self.strides):
            lin = lin + i * s
        return lin


def memref_type(text):
    m = re.match(r"memref<([^,>]*?)x?(f16|f32|bf16|i8)\b", text)
    dims = [d for d in m.group(1).split("x") if d]
    return [(-1 if d == "?" else int(d)) for d in dims], m.group(2)


def uniform(v):
    v = np.asarray(v)
    if v.ndim == 0:
        return int(v)
    assert np.all(v == v.flat[0]), "non-uniform value where one is needed"
    return int(v.flat[0])


class Block_Runner:
    def __init__(self, T, env, eager):
        self.T, self.env, self.eager = T, dict(env), eager
        self.pending = []   # Copies not yet in a group.
        self.groups = []    # Committed groups, oldest first.
        self.lane = np.arange(T) % 32

    def val(self, name):
        return self.env[name]

    def run(self, block, mask):
        for op in block.ops:
            out = self.step(op, mask)
            if out is None:
                continue
            if not isinstance(out, (list, tuple)):
                out = [out]
            for r, v in zip(op.results, out):
                self.env[r] = v

    def per_thread(self, v):
        v = np.asarray(v)
        if v.ndim == 0:
            return np.full(self.T, v)
        return v

    def step(self, op, mask):
        n, a = op.name, op.attrs
        ops = [self.val(o) for o in op.operands] if op.name not in (
            "scf.for", "scf.if") else None
        T = self.T
        if n == "arith.constant":
            # An i1 prints without its type: value = true.
            boolean = re.search(r"value = (true|false)\b", a)
            if boolean:
                return np.full(T, boolean.group(1) == "true")
            m = re.search(r"value = (dense<)?([^>:]+?)>? : ([\w<>x]+)", a)
            text, ty = m.group(2).strip(), m.group(3)
            if text in ("true", "false"):
                return np.full(T, text == "true")
            if ty.startswith("vector"):
                shape, el = shape_of(ty)
                return np.full((T,) + shape, float(text), np_type(el))
            if ty in ("index", "i32", "i64"):
                return np.full(T, int(text), np.int64)
            return np.full(T, float(text), np_type(ty))
        simple = {
            "arith.addi": lambda x, y: x + y, "arith.subi": lambda x, y: x - y,
            "arith.muli": lambda x, y: x * y,
            "arith.divui": lambda x, y: x // y,
            "arith.remui": lambda x, y: x % y,
            # Signed: truncating toward zero (lower-affine's floordiv).
            "arith.divsi": lambda x, y: np.trunc(np.divide(x, y)).astype(
                np.result_type(x, y)),
            "arith.remsi": lambda x, y: np.fmod(x, y),
            "arith.ceildivui": lambda x, y: -(-x // y),
            "arith.xori": lambda x, y: x ^ y, "arith.andi": lambda x, y: x & y,
            "arith.ori": lambda x, y: x | y,
            "arith.minsi": np.minimum, "arith.maxsi": np.maximum,
            "arith.minui": np.minimum, "arith.maxui": np.maximum,
            "arith.addf": lambda x, y: (x + y).astype(x.dtype),
            "arith.mulf": lambda x, y: (x * y).astype(x.dtype),
            "arith.subf": lambda x, y: (x - y).astype(x.dtype),
            "arith.divf": lambda x, y: (x / y).astype(x.dtype),
            "arith.maximumf": np.maximum, "arith.minimumf": np.minimum,
            "arith.negf": np.negative, "math.exp": np.exp,
            "math.tanh": np.tanh, "math.sqrt": np.sqrt,
        }
        if n in simple:
            return simple[n](*ops)
        if n == "arith.cmpi":
            p = int(re.search(r"predicate = (\d+)", a).group(1))
            x, y = ops
            if p >= 6:  # Unsigned: a negative index is a huge one.
                x, y = (np.asarray(v).astype(np.int64).astype(np.uint64)
                        for v in (x, y))
            return {0: x == y, 1: x != y, 2: x < y, 3: x <= y, 4: x > y,
                    5: x >= y, 6: x < y, 7: x <= y, 8: x > y, 9: x >= y}[p]
        if n == "arith.select":
            c, x, y = ops
            c = c.reshape(c.shape + (1,) * (x.ndim - c.ndim))
            return np.where(c, x, y)
        if n in ("arith.truncf", "arith.extf"):
            out = result_types(op.types)[0]
            el = shape_of(out)[1] if out.startswith("vector") else out
            return ops[0].astype(np_type(el))
        if n == "arith.index_cast":
            return ops[0]
        if n == "memref.subview":
            src = ops[0]
            seg = int_array(a, "operandSegmentSizes")
            dyn = ops[1:]
            offs = int_array(a, "static_offsets")
            sizes = int_array(a, "static_sizes")
            strides = int_array(a, "static_strides")
            it = iter(dyn)
            offs = [uniform(next(it)) if o == DYN else o for o in offs]
            sizes = [uniform(next(it)) if s == DYN else s for s in sizes]
            assert all(s == 1 for s in strides)
            return MemRef(src.buf, src.linear(offs), sizes, src.strides)
        if n == "memref.collapse_shape":
            src = ops[0]
            groups = [[int(d) for d in g.split(",")] for g in re.findall(
                r"\[([\d, ]+)\]", re.search(r"reassociation = \[(.*?)\]\]",
                                             a).group(1) + "]")]
            sizes = [int(np.prod([src.sizes[d] for d in g])) for g in groups]
            strides = [src.strides[g[-1]] for g in groups]
            return MemRef(src.buf, src.offset, sizes, strides)
        if n == "memref.dim":
            return np.full(T, ops[0].sizes[uniform(ops[1])])
        if n == "gpu.dynamic_shared_memory":
            return self.env["__smem__"]
        if n == "memref.view":
            src, shift = ops[0], uniform(ops[1])
            dims, el = memref_type(result_types(op.types)[0])
            dt = np_type(el)
            count = int(np.prod(dims))
            buf = src.buf[shift:shift + count * np.dtype(dt).itemsize].view(dt)
            strides = [int(np.prod(dims[i + 1:])) for i in range(len(dims))]
            return MemRef(buf, 0, dims, strides)
        if n == "memref.load":
            m = ops[0]
            lin = m.linear(ops[1:])
            lin = np.where(mask, lin, 0)
            assert np.all((lin >= 0) & (lin < m.buf.size)), "load out of range"
            return m.buf[lin]
        if n == "memref.store":
            v, m = ops[0], ops[1]
            lin = m.linear(ops[2:])
            assert np.all(~mask | ((lin >= 0) & (lin < m.buf.size)))
            m.buf[lin[mask]] = v[mask]
            return None
        if n == "vector.load":
            m = ops[0]
            shape, el = shape_of(result_types(op.types)[0])
            lin = np.where(mask, m.linear(ops[1:]), 0)
            idx = lin[:, None] + np.arange(shape[0])[None, :]
            assert np.all(idx < m.buf.size)
            return m.buf[idx]
        if n == "vector.store":
            v, m = ops[0], ops[1]
            lin = m.linear(ops[2:])
            for t in np.nonzero(mask)[0]:
                m.buf[lin[t]:lin[t] + v.shape[1]] = v[t]
            return None
        if n == "vector.from_elements":
            shape, el = shape_of(result_types(op.types)[0])
            return np.stack(ops, axis=1).reshape((T,) + shape)
        if n == "vector.broadcast":
            shape, el = shape_of(result_types(op.types)[0])
            return np.broadcast_to(
                ops[0].reshape((T,) + (1,) * len(shape)), (T,) + shape).copy()
        if n == "vector.extract":
            pos = int_array(a, "static_position")
            v = ops[0]
            return v[(slice(None),) + tuple(pos)]
        if n == "vector.extract_strided_slice":
            off, size = int_list(a, "offsets"), int_list(a, "sizes")
            v = ops[0]
            sl = tuple(slice(o, o + s) for o, s in zip(off, size))
            return v[(slice(None),) + sl].copy()
        if n == "nvgpu.device_async_copy":
            seg = int_array(a, "operandSegmentSizes")
            dst = ops[0]
            dsti = ops[1:1 + seg[1]]
            src = ops[1 + seg[1]]
            srci = ops[2 + seg[1]:2 + seg[1] + seg[3]]
            count = int(re.search(r"dstElements = (\d+)", a).group(1))
            srcn = ops[-1] if seg[4] else np.full(T, count)
            dl, sl = dst.linear(dsti), src.linear(srci)
            for t in np.nonzero(mask)[0]:
                n_src = int(srcn[t])
                data = np.zeros(count, dst.buf.dtype)
                if n_src:
                    assert sl[t] + n_src <= src.buf.size, "cp.async src out of range"
                    data[:n_src] = src.buf[sl[t]:sl[t] + n_src]
                self.pending.append((dst.buf, int(dl[t]), data))
            if self.eager:
                self.retire(self.pending)
                self.pending = []
            return np.zeros(T)
        if n == "nvgpu.device_async_create_group":
            self.groups.append(self.pending)
            self.pending = []
            return np.zeros(T)
        if n == "nvgpu.device_async_wait":
            keep = int(re.search(r"numGroups = (\d+)", a).group(1))
            while len(self.groups) > keep:
                self.retire(self.groups.pop(0))
            return None
        if n == "gpu.barrier":
            assert np.all(mask), "barrier in divergent code"
            return None
        if n == "nvgpu.ldmatrix":
            return self.ldmatrix(op, ops, mask)
        if n == "nvgpu.mma.sync":
            return self.mma(ops)
        if n == "scf.for":
            lb, ub, st = (uniform(self.val(o)) for o in op.operands[:3])
            carried = [self.val(o) for o in op.operands[3:]]
            body = op.regions[0]
            for i in range(lb, ub, st):
                self.env[body.args[0]] = np.full(T, i)
                for arg, v in zip(body.args[1:], carried):
                    self.env[arg] = v
                carried = self.run_yield(body, mask)
            return carried
        if n == "scf.if":
            cond = self.val(op.operands[0])
            then = self.run_yield(op.regions[0], mask & cond)
            if len(op.regions) > 1 and op.regions[1].ops:
                other = self.run_yield(op.regions[1], mask & ~cond)
                out = []
                for x, y in zip(then, other):
                    c = cond.reshape(cond.shape + (1,) * (x.ndim - 1))
                    out.append(np.where(c, x, y))
                return out
            return then
        if n in ("scf.yield", "gpu.terminator"):
            self.yielded = ops
            return None
        raise NotImplementedError(n)

    def run_yield(self, block, mask):
        self.yielded = []
        self.run(block, mask)
        return self.yielded

    def retire(self, copies):
        for buf, start, data in copies:
            buf[start:start + data.size] = data

    def ldmatrix(self, op, ops, mask):
        assert np.all(mask)
        m = ops[0]
        trans = "transpose = true" in op.attrs
        tiles = int(re.search(r"numTiles = (\d+)", op.attrs).group(1))
        lin = m.linear(ops[1:])
        # A row is 16 bytes: 8 16-bit or 4 32-bit elements; a thread gets a
        # 32-bit register of each matrix: 2 or 1 elements.
        per_row = 16 // m.buf.itemsize
        per_reg = per_row // 4
        assert not trans or per_reg == 2, ".trans needs 16-bit elements"
        out = np.zeros((self.T, tiles, per_reg), m.buf.dtype)
        for w in range(self.T // 32):
            base = 32 * w
            for j in range(tiles):
                # Row r of matrix j: 16 bytes at the address of thread 8j + r
                # (16-byte aligned).
                rows = []
                for r in range(8):
                    addr = int(lin[base + 8 * j + r])
                    assert addr % per_row == 0, "ldmatrix row not aligned"
                    rows.append(m.buf[addr:addr + per_row])
                mat = np.stack(rows)
                for lane in range(32):
                    g, q = lane // 4, lane % 4
                    if trans:
                        out[base + lane, j] = mat[2 * q:2 * q + 2, g]
                    else:
                        out[base + lane, j] = mat[g, per_reg * q:per_reg * (q + 1)]
        return out

    def mma(self, ops):
        a, b, c = ops
        if a.shape[2] == 1:
            return self.mma_k8(a, b, c)
        out = np.zeros_like(c)
        for w in range(self.T // 32):
            A = np.zeros((16, 16), np.float32)
            B = np.zeros((16, 8), np.float32)
            C = np.zeros((16, 8), np.float32)
            for lane in range(32):
                g, q = lane // 4, lane % 4
                t = 32 * w + lane
                for r in range(4):      # a0a1, a2a3, a4a5, a6a7
                    for e in range(2):
                        A[g + 8 * (r % 2), 2 * q + e + 8 * (r // 2)] = a[t, r, e]
                for r in range(2):      # b0b1, b2b3
                    for e in range(2):
                        B[2 * q + e + 8 * r, g] = b[t, r, e]
                        C[g + 8 * r, 2 * q + e] = c[t, r, e]
            D = A @ B + C
            for lane in range(32):
                g, q = lane // 4, lane % 4
                for r in range(2):
                    for e in range(2):
                        out[32 * w + lane, r, e] = D[g + 8 * r, 2 * q + e]
        return out


def mma_k8_impl(T, a, b, c):
    """m16n8k8 tf32: a0 = (g, q), a1 = (g+8, q), a2 = (g, q+4),
    a3 = (g+8, q+4); b0 = (k=q, n=g), b1 = (q+4, g); C as m16n8k16."""
    out = np.zeros_like(c)
    for w in range(T // 32):
        A = np.zeros((16, 8), np.float32)
        B = np.zeros((8, 8), np.float32)
        C = np.zeros((16, 8), np.float32)
        for lane in range(32):
            g, q = lane // 4, lane % 4
            t = 32 * w + lane
            for r in range(4):
                A[g + 8 * (r % 2), q + 4 * (r // 2)] = a[t, r, 0]
            for r in range(2):
                B[q + 4 * r, g] = b[t, r, 0]
                for e in range(2):
                    C[g + 8 * r, 2 * q + e] = c[t, r, e]
        D = A @ B + C
        for lane in range(32):
            g, q = lane // 4, lane % 4
            for r in range(2):
                for e in range(2):
                    out[32 * w + lane, r, e] = D[g + 8 * r, 2 * q + e]
    return out


Block_Runner.mma_k8 = lambda self, a, b, c: mma_k8_impl(self.T, a, b, c)


def conv2d(x, w, stride=1, pad=0, dilation=1, groups=1):
    """NCHW cross-correlation of x[N, C, H, W] with w[F, C/groups, KH, KW],
    straight from the definition: one strided window of the zero-padded
    input per kernel tap; with groups, filter block g (F/groups filters)
    reads channel block g. stride, dilation: an int or (h, w); pad: an int
    or (top, left, bottom, right)."""
    if groups > 1:
        cg, fg = x.shape[1] // groups, w.shape[0] // groups
        return np.concatenate(
            [conv2d(x[:, g * cg:(g + 1) * cg], w[g * fg:(g + 1) * fg],
                    stride, pad, dilation) for g in range(groups)], axis=1)
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (dh, dw) = pair(stride), pair(dilation)
    top, left, bottom, right = (pad,) * 4 if isinstance(pad, int) else pad
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.zeros((n, c, h + top + bottom, wd + left + right), np.float64)
    xp[:, :, top:top + h, left:left + wd] = x
    oh = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, f, oh, ow), np.float64)
    for i in range(kh):
        for j in range(kw):
            window = xp[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                        j * dw:j * dw + sw * (ow - 1) + 1:sw]
            out += np.einsum("nchw,fc->nfhw", window, w[:, :, i, j])
    return out.astype(np.float32)


def conv_transpose2d(x, w, stride=1, pad=0, dilation=1, output_padding=0):
    """NCHW transposed convolution of x[N, C, H, W] with w[C, F, KH, KW]
    (groups 1), straight from the definition: input i and kernel tap k add
    x[i] * w[k] into output i * stride - pad_begin + k * dilation (dropped
    outside the output). pad: an int or (top, left, bottom, right)."""
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (dh, dw) = pair(stride), pair(dilation)
    oph, opw = pair(output_padding)
    top, left, bottom, right = (pad,) * 4 if isinstance(pad, int) else pad
    n, c, h, wd = x.shape
    _, f, kh, kw = w.shape
    oh = (h - 1) * sh - top - bottom + dh * (kh - 1) + oph + 1
    ow = (wd - 1) * sw - left - right + dw * (kw - 1) + opw + 1
    out = np.zeros((n, f, oh, ow), np.float64)
    for i in range(h):
        for j in range(wd):
            for p in range(kh):
                for q in range(kw):
                    y, z = i * sh - top + p * dh, j * sw - left + q * dw
                    if 0 <= y < oh and 0 <= z < ow:
                        out[:, :, y, z] += x[:, :, i, j] @ w[:, :, p, q]
    return out.astype(np.float32)


# Host ops other simulators add (name -> f(op, env) giving the result).
def reshape_view(op, env):
    """A memref.collapse_shape or expand_shape on the host (fuse-tile's
    unit-dim views at a kernel's operands and results): the same buffer in
    the result's row-major shape (the views the pipeline makes are of
    contiguous buffers)."""
    src = env[op.operands[0]]
    if src.strides != driver.contiguous(src.sizes):
        raise ValueError(f"{op.name} of a non-contiguous memref")
    dims, _ = memref_type(result_types(op.types)[0])
    return MemRef(src.buf, src.offset, dims, driver.contiguous(dims))


HOST_OPS = {"memref.collapse_shape": reshape_view,
            "memref.expand_shape": reshape_view}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--expr", required=True)
    parser.add_argument("--eager", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--func", help="the function to run (of several "
                        "modules separated by // -----)")
    args = parser.parse_args()
    np.seterr(all="ignore")  # f16 exp overflows to inf, as on the GPU.
    text = driver.select_module(args.func)
    if text is None:
        return 1
    sim = sys.modules[__name__]
    lines, func, body = driver.parse_function(sim, text)
    rng = np.random.default_rng(args.seed)
    env, names = driver.make_inputs(
        sim, func, body,
        lambda i, dims, el: rng.uniform(-1, 1, dims).astype(np_type(el)))
    result = None
    for op in body.ops:
        if op.name.startswith(("arith.", "llvm.mlir.")):
            runner = Block_Runner(1, env, args.eager)
            env[op.results[0]] = runner.step(op, np.ones(1, bool))
        elif op.name == "memref.alloc":
            dims, el = memref_type(result_types(op.types)[0])
            env[op.results[0]] = MemRef(
                np.full(int(np.prod(dims)), np.nan, np_type(el)), 0, dims,
                driver.contiguous(dims))
        elif op.name in HOST_OPS:
            env[op.results[0]] = HOST_OPS[op.name](op, env)
        elif op.name == "gpu.launch":
            smem = uniform(env[op.operands[6]])
            # Workgroup attributions (their types are in the body's block
            # header): placed after the dynamic shared memory, in one byte
            # buffer (what the race detector watches), 16-byte aligned.
            launch = op.regions[0]
            header = next((l for l in lines if l.strip().startswith("^bb")
                           and launch.args and launch.args[0] + ":" in l), "")
            attributions = [memref_type(t) for t in re.findall(
                r"(memref<[^>]*#gpu\.address_space<workgroup>>)", header)]
            offsets, total = [], smem
            for dims, el in attributions:
                total = (total + 15) // 16 * 16
                offsets.append(total)
                total += int(np.prod(dims)) * np.dtype(np_type(el)).itemsize

            def setup(benv, T):
                raw = np.full(total, 0xFF, np.uint8)
                benv["__smem__"] = MemRef(raw, 0, [total], [1])
                for arg, (dims, el), off in zip(launch.args[12:],
                                                attributions, offsets):
                    dt = np.dtype(np_type(el))
                    n = int(np.prod(dims))
                    buf = raw[off:off + n * dt.itemsize].view(dt)
                    benv[arg] = MemRef(buf, 0, dims, driver.contiguous(dims))

            driver.run_launch(
                sim, op, env,
                lambda T, benv: Block_Runner(T, benv, args.eager), setup)
        elif op.name == "func.return":
            result = env[op.operands[0]]
    relu = lambda x: np.maximum(x, 0)
    hard_swish = lambda x: x * np.clip(x / 6 + 0.5, 0, 1)  # ONNX HardSwish
    expected = eval(args.expr, {"np": np, "relu": relu,
                                "hard_swish": hard_swish, "conv2d": conv2d,
                                "conv_transpose2d": conv_transpose2d},
                    names)
    got = result.buf.reshape(result.sizes)
    return driver.check_close(got, expected, unwritten="shared memory",
                              check_shape=False)


if __name__ == "__main__":
    sys.exit(main())
