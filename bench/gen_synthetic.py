#!/usr/bin/python3
"""Synthetic transformer-shaped graphs of about N ops, for compile-time
benchmarks: small tensors, big graphs.

  /usr/bin/python3 bench/gen_synthetic.py --ops 10000 -o g.mlir
      [--kind mixed|bert|gpt2] [--format mlir|onnx] [--weights splat|random]
      [--batch 1] [--seq 8] [--hidden 16] [--heads 2] [--ffn 64] [--seed 0]
      [--conv1d gemm|matmul]

It stacks encoder layers (bench/models/bert_layer.py) and GPT-2 blocks
(bench/models/gpt2_block.py) — alternating for --kind mixed — until the graph
has about --ops ops (fuse ops after import, constants excluded: the
"ops_before" of the fusion report). The layers are built by the same code
that writes the ONNX models, through one of two backends:

- --format mlir (default): fuse-dialect MLIR text, written directly in the
  form `fuse-translate --import-onnx` produces for the ONNX model (Reshape
  shapes folded away, Gemm as matmul + add, Where as select, scalars as
  rank-0 constants, each op located at its ONNX node name). Fast to write
  and to parse: --weights splat (default) makes every parameter a splat
  constant (values drawn per tensor; numerics are degenerate but the graph
  is the same), --weights random writes the same random values as the ONNX
  backend for the same --seed (dense literals; much larger files).
- --format onnx: the ONNX model (random weights, checked like the others).

Prints one line: the file, ops, constants, layers, bytes.
"""
import argparse
import math
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "models"))
import bert_layer  # noqa: E402
import gpt2_block  # noqa: E402
import torchlike as T  # noqa: E402


def ttype(shape, elem="f32"):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elem + ">"


def flt(v):
    """An MLIR float literal that round-trips the f32 value."""
    v = float(np.float32(v))
    if math.isinf(v):
        return "0xFF800000" if v < 0 else "0x7F800000"
    return f"{v:.9e}"


class MlirGraph:
    """The T.Graph interface (input, output, node, const, weight, bias,
    gamma, beta) writing fuse-dialect ops as the ONNX importer would."""

    def __init__(self, seed=0, weights="splat"):
        self.rng = np.random.default_rng(seed)
        self.weights = weights
        self.lines = []
        self.args = []
        self.results = []
        self.shape = {}      # value -> shape (values are SSA names)
        self.elem = {}       # value -> MLIR element type
        self.host = {}       # Constant-node outputs: numpy values
        self.emitted = {}    # Constant-node output -> SSA value
        self.ops = 0
        self.constants = 0
        self._names = {}
        self._next = 0

    # -- helpers -----------------------------------------------------------
    def _unique(self, name):
        n = self._names.get(name, 0)
        self._names[name] = n + 1
        return name if n == 0 else f"{name}_{n}"

    def _ssa(self):
        self._next += 1
        return f"%{self._next - 1}"

    def _t(self, v):
        return ttype(self.shape[v], self.elem[v])

    def _emit(self, text, result_shape, loc, elem="f32", results=1,
              is_const=False):
        v = self._ssa()
        lhs = v if results == 1 else f"{v}:{results}"
        self.lines.append(f"    {lhs} = {text} loc(\"{loc}\")")
        if is_const:
            self.constants += 1
        else:
            self.ops += 1
        if results == 1:
            self.shape[v], self.elem[v] = list(result_shape), elem
            return v
        outs = [f"{v}#{i}" for i in range(results)]
        for o, s in zip(outs, result_shape):
            self.shape[o], self.elem[o] = list(s), elem
        return outs

    def _constant(self, arr, loc):
        arr = np.asarray(arr)
        elem = "i1" if arr.dtype == np.bool_ else "f32"
        t = ttype(arr.shape, elem)
        if elem == "i1":
            flat = arr.reshape(-1)
            if np.all(flat == flat[0]):
                body = "true" if flat[0] else "false"
            else:
                body = self._nested(arr, lambda b: "true" if b else "false")
        elif arr.size == 1 or np.all(arr == arr.reshape(-1)[0]):
            body = flt(arr.reshape(-1)[0])
        else:
            body = self._nested(arr.astype(np.float32), flt)
        return self._emit(f"fuse.constant dense<{body}> : {t}", arr.shape,
                          loc, elem, is_const=True)

    @staticmethod
    def _nested(arr, fmt):
        if arr.ndim == 0:
            return fmt(arr.item())
        if arr.ndim == 1:
            return "[" + ", ".join(fmt(x) for x in arr.tolist()) + "]"
        return "[" + ", ".join(MlirGraph._nested(a, fmt) for a in arr) + "]"

    def _data(self, name):
        """The SSA value for an operand: a Constant node's output becomes a
        fuse.constant on first use."""
        if name in self.host:
            if name not in self.emitted:
                loc = name[:-len("_output_0")]
                self.emitted[name] = self._constant(self.host[name], loc)
            return self.emitted[name]
        return name

    # -- T.Graph interface ---------------------------------------------------
    def input(self, name, shape, elem=None):
        v = f"%arg{len(self.args)}"
        self.args.append((v, name))
        self.shape[v], self.elem[v] = list(shape), "f32"
        return v

    def output(self, value, name, shape, elem=None):
        self.results.append((value, name))
        return value

    def const(self, value, scope, dtype=np.float32):
        name = f"{self._unique(f'{scope}/Constant')}_output_0"
        self.host[name] = np.asarray(value, dtype=dtype)
        return name

    def param(self, name, array):
        arr = np.asarray(array, np.float32)
        if self.weights == "splat":
            arr = np.full(arr.shape, arr.reshape(-1)[0], np.float32)
        return self._constant(arr, name)

    def _draw(self, shape, scale, offset=0.0):
        if self.weights == "splat":
            # One draw per tensor: a splat of a typical value.
            return np.full(shape, offset + scale * self.rng.uniform(0.5, 1.5))
        return offset + scale * self.rng.standard_normal(shape)

    def weight(self, name, fan_in, fan_out):
        return self.param(name, self._draw((fan_in, fan_out),
                                           1 / math.sqrt(fan_in)))

    def bias(self, name, n, scale=0.02):
        return self.param(name, self._draw(n, scale))

    def gamma(self, name, n):
        return self.param(name, self._draw(n, 0.1, 1.0))

    def beta(self, name, n):
        return self.param(name, self._draw(n, 0.1))

    def node(self, op, inputs, scope, num_outputs=1, **attrs):
        loc = self._unique(f"{scope}/{op}")
        handler = getattr(self, f"_op_{op}", None)
        if handler is None:
            raise NotImplementedError(f"MlirGraph: ONNX op {op}")
        return handler(inputs, loc, num_outputs, attrs)

    # -- ONNX op -> fuse op, as lib/Target/ONNX/OnnxOps.cpp maps them ---------
    def _binary(self, kind, inputs, loc):
        a, b = self._data(inputs[0]), self._data(inputs[1])
        shape = np.broadcast_shapes(tuple(self.shape[a]),
                                    tuple(self.shape[b]))
        return self._emit(f"fuse.{kind} {a}, {b} : ({self._t(a)}, "
                          f"{self._t(b)}) -> {ttype(shape)}", shape, loc)

    def _op_Add(self, i, loc, n, at):
        return self._binary("add", i, loc)

    def _op_Sub(self, i, loc, n, at):
        return self._binary("sub", i, loc)

    def _op_Mul(self, i, loc, n, at):
        return self._binary("mul", i, loc)

    def _op_Div(self, i, loc, n, at):
        return self._binary("div", i, loc)

    def _op_Pow(self, i, loc, n, at):
        return self._binary("pow", i, loc)

    def _unary(self, kind, inputs, loc):
        a = self._data(inputs[0])
        return self._emit(f"fuse.{kind} {a} : {self._t(a)}", self.shape[a],
                          loc)

    def _op_Sqrt(self, i, loc, n, at):
        return self._unary("sqrt", i, loc)

    def _op_Erf(self, i, loc, n, at):
        return self._unary("erf", i, loc)

    def _op_Tanh(self, i, loc, n, at):
        return self._unary("tanh", i, loc)

    def _matmul(self, a, b, loc):
        sa, sb = self.shape[a], self.shape[b]
        if len(sb) == 2:
            shape = sa[:-1] + [sb[-1]]
        else:
            shape = list(np.broadcast_shapes(tuple(sa[:-2]), tuple(sb[:-2])))
            shape += [sa[-2], sb[-1]]
        return self._emit(f"fuse.matmul {a}, {b} : ({self._t(a)}, "
                          f"{self._t(b)}) -> {ttype(shape)}", shape, loc)

    def _op_MatMul(self, i, loc, n, at):
        return self._matmul(self._data(i[0]), self._data(i[1]), loc)

    def _op_Gemm(self, i, loc, n, at):
        assert at.get("alpha", 1.0) == 1.0 and at.get("beta", 1.0) == 1.0
        mm = self._matmul(self._data(i[0]), self._data(i[1]), loc)
        bias = self._data(i[2])
        return self._emit(f"fuse.add {mm}, {bias} : ({self._t(mm)}, "
                          f"{self._t(bias)}) -> {self._t(mm)}",
                          self.shape[mm], loc)

    def _op_Reshape(self, i, loc, n, at):
        a = self._data(i[0])
        shape = [int(d) for d in self.host[i[1]]]
        assert int(np.prod(shape)) == int(np.prod(self.shape[a]))
        return self._emit(f"fuse.reshape {a} : {self._t(a)} -> "
                          f"{ttype(shape)}", shape, loc)

    def _op_Transpose(self, i, loc, n, at):
        a = self._data(i[0])
        perm = at["perm"]
        shape = [self.shape[a][p] for p in perm]
        return self._emit(
            f"fuse.transpose {a} {{perm = array<i64: "
            f"{', '.join(map(str, perm))}>}} : {self._t(a)} -> "
            f"{ttype(shape)}", shape, loc)

    def _op_Softmax(self, i, loc, n, at):
        a = self._data(i[0])
        axis = at.get("axis", -1) % len(self.shape[a])
        return self._emit(f"fuse.softmax {a} {{axis = {axis} : i64}} : "
                          f"{self._t(a)}", self.shape[a], loc)

    def _op_ReduceMean(self, i, loc, n, at):
        a = self._data(i[0])
        rank = len(self.shape[a])
        axes = sorted(x % rank for x in at["axes"])
        assert at.get("keepdims", 1) == 1
        shape = [1 if d in axes else s for d, s in enumerate(self.shape[a])]
        return self._emit(
            f"fuse.reduce mean {a} {{axes = array<i64: "
            f"{', '.join(map(str, axes))}>}} : {self._t(a)} -> "
            f"{ttype(shape)}", shape, loc)

    def _op_Split(self, i, loc, n, at):
        a = self._data(i[0])
        sizes = [int(s) for s in self.host[i[1]]]
        axis = at["axis"] % len(self.shape[a])
        shapes = []
        for s in sizes:
            shape = list(self.shape[a])
            shape[axis] = s
            shapes.append(shape)
        return self._emit(
            f"fuse.split {a} {{axis = {axis} : i64, sizes = array<i64: "
            f"{', '.join(map(str, sizes))}>}} : {self._t(a)} -> "
            f"{', '.join(ttype(s) for s in shapes)}", shapes, loc,
            results=len(sizes))

    def _op_Where(self, i, loc, n, at):
        c, a, b = (self._data(x) for x in i)
        shape = np.broadcast_shapes(*(tuple(self.shape[x]) for x in (c, a, b)))
        return self._emit(f"fuse.select {c}, {a}, {b} : ({self._t(c)}, "
                          f"{self._t(a)}, {self._t(b)}) -> {ttype(shape)}",
                          shape, loc)

    def _op_LayerNormalization(self, i, loc, n, at):
        x, g, b = (self._data(v) for v in i)
        axis = at.get("axis", -1) % len(self.shape[x])
        eps = at.get("epsilon", 1e-5)
        return self._emit(
            f"fuse.layer_norm {x} scale {g} bias {b} {{axis = {axis} : i64, "
            f"epsilon = {flt(eps)} : f32}} : ({self._t(x)}, {self._t(g)}, "
            f"{self._t(b)}) -> {self._t(x)}", self.shape[x], loc)

    # -- text ----------------------------------------------------------------
    def text(self, header):
        args = ", ".join(f"{v}: {self._t(v)} {{fuse.name = \"{n}\"}}"
                         for v, n in self.args)
        res = ", ".join(f"{self._t(v)} {{fuse.name = \"{n}\"}}"
                        for v, n in self.results)
        ret_vals = ", ".join(v for v, _ in self.results)
        ret_types = ", ".join(self._t(v) for v, _ in self.results)
        return "".join([
            header,
            f"func.func @main({args}) -> ({res}) {{\n",
            "\n".join(self.lines), "\n",
            f"    return {ret_vals} : {ret_types}\n", "}\n"])


class OnnxCounter:
    """Fuse ops the ONNX graph imports to, constants excluded (a Gemm is a
    matmul and an add), counted incrementally."""

    def __init__(self, g):
        self.g, self.seen, self.ops = g, 0, 0

    def __call__(self):
        for n in self.g.nodes[self.seen:]:
            self.ops += {"Constant": 0, "Gemm": 2}.get(n.op_type, 1)
        self.seen = len(self.g.nodes)
        return self.ops


def build(g, a):
    """Stacks layers while that brings the op count closer to a.ops; returns
    the layer kinds."""
    x = g.input("hidden_states", [a.batch, a.seq, a.hidden])
    mask = g.input("attention_mask", [a.batch, 1, 1, a.seq]) \
        if a.kind != "gpt2" else None
    fuse_ops = (lambda: g.ops) if isinstance(g, MlirGraph) \
        else OnnxCounter(g)
    kinds, last = [], 0
    while not kinds or fuse_ops() + last / 2 < a.ops:
        i, before = len(kinds), fuse_ops()
        k = a.kind if a.kind != "mixed" else ("bert" if i % 2 == 0
                                               else "gpt2")
        if k == "bert":
            x = bert_layer.bert_layer(g, x, mask, i, a.batch, a.seq, a.hidden,
                                      a.heads, a.ffn, False, "/encoder")
        else:
            x = gpt2_block.gpt2_block(g, x, i, a.batch, a.seq, a.hidden,
                                      a.heads, a.ffn, a.conv1d, "min", False,
                                      "/transformer")
        kinds.append(k)
        last = fuse_ops() - before
    g.output(x, "output", [a.batch, a.seq, a.hidden])
    return kinds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ops", type=int, required=True,
                   help="about how many ops (constants excluded)")
    p.add_argument("--kind", choices=["mixed", "bert", "gpt2"],
                   default="mixed")
    p.add_argument("--format", choices=["mlir", "onnx"], default="mlir")
    p.add_argument("--weights", choices=["splat", "random"], default="splat")
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--seq", type=int, default=8)
    p.add_argument("--hidden", type=int, default=16)
    p.add_argument("--heads", type=int, default=2)
    p.add_argument("--ffn", type=int, default=None)
    p.add_argument("--conv1d", choices=["gemm", "matmul"], default="gemm")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("-o", "--output", required=True)
    a = p.parse_args()
    a.layers = 1
    T.validate_dims(p, a)
    if a.ops < 1:
        p.error("--ops must be >= 1")
    g = T.Graph(a.seed) if a.format == "onnx" else MlirGraph(a.seed,
                                                             a.weights)
    kinds = build(g, a)
    desc = (f"{len(kinds)} layers ({a.kind}), batch {a.batch}, seq {a.seq}, "
            f"hidden {a.hidden}, heads {a.heads}, ffn {a.ffn}")
    if a.format == "onnx":
        _, nodes, constants, _, _ = T.save(g.model("synthetic", desc),
                                           a.output)
        print(f"{a.output}: {nodes - constants} ONNX nodes, {constants} "
              f"Constant nodes, {desc}, {os.path.getsize(a.output)} bytes")
        return
    header = (f"// Synthetic transformer-shaped graph: {desc}; {g.ops} ops, "
              f"{g.constants} constants.\n"
              f"// {' '.join(['bench/gen_synthetic.py'] + sys.argv[1:])}\n")
    tmp = a.output + ".tmp"
    with open(tmp, "w") as f:
        f.write(g.text(header))
    os.replace(tmp, a.output)
    print(f"{a.output}: {g.ops} ops, {g.constants} constants, {desc}, "
          f"{os.path.getsize(a.output)} bytes")


if __name__ == "__main__":
    main()
