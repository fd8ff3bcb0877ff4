"""Builds ONNX graphs node by node the way torch.onnx.export writes them.

Shared by bert_layer.py, gpt2_block.py and ../gen_synthetic.py. Only Python 3,
numpy and Debian's python3-onnx (1.12) are needed; no torch.

What "the way the exporter writes them" means here (torch.onnx, opset 17,
eval mode, static shapes, do_constant_folding=True):
- node names are module scopes, "/encoder/layer.0/attention/self/query/MatMul",
  their outputs "<node name>_output_0" (torch >= 2.0 naming);
- nn.Linear on a rank-3 input is MatMul(x, W^T as an initializer) followed
  by Add(bias, matmul) (the bias is the first operand);
- scalars (sqrt(2), eps, 0.5, ...) and Reshape shapes are Constant nodes;
  parameters are initializers;
- LayerNorm is decomposed (the exporter's opset < 17 form, which the issue
  asks for): ReduceMean(-1), Sub, Pow(2), ReduceMean(-1), Add(eps), Sqrt,
  Div, Mul(gamma), Add(beta); `layer_norm_op=True` emits the opset-17
  LayerNormalization node instead;
- dropout disappears in eval mode.
"""
import math

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


class Graph:
    def __init__(self, seed=0):
        self.nodes = []
        self.initializers = []
        self.inputs = []
        self.outputs = []
        self.rng = np.random.default_rng(seed)
        self._names = {}

    # -- naming ----------------------------------------------------------
    def _unique(self, name):
        n = self._names.get(name, 0)
        self._names[name] = n + 1
        return name if n == 0 else f"{name}_{n}"

    # -- graph pieces ----------------------------------------------------
    def input(self, name, shape, elem=TensorProto.FLOAT):
        self.inputs.append(helper.make_tensor_value_info(name, elem, shape))
        return name

    def output(self, value, name, shape, elem=TensorProto.FLOAT):
        """Marks `value` as a graph output called `name` (Identity-free: the
        producing node's output is renamed)."""
        for node in self.nodes:
            for i, out in enumerate(node.output):
                if out == value:
                    node.output[i] = name
            for i, inp in enumerate(node.input):
                if inp == value:
                    node.input[i] = name
        self.outputs.append(helper.make_tensor_value_info(name, elem, shape))
        return name

    def node(self, op, inputs, scope, num_outputs=1, **attrs):
        name = self._unique(f"{scope}/{op}")
        outs = [f"{name}_output_{i}" for i in range(num_outputs)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name,
                                           **attrs))
        return outs[0] if num_outputs == 1 else outs

    def const(self, value, scope, dtype=np.float32):
        """A Constant node holding `value` (a scalar or a list/array)."""
        arr = np.asarray(value, dtype=dtype)
        name = self._unique(f"{scope}/Constant")
        out = f"{name}_output_0"
        self.nodes.append(helper.make_node(
            "Constant", [], [out], name=name,
            value=numpy_helper.from_array(arr, name="")))
        return out

    def param(self, name, array):
        self.initializers.append(
            numpy_helper.from_array(np.ascontiguousarray(array, np.float32),
                                    name=name))
        return name

    # -- random parameters, scaled so that activations stay O(1) ---------
    def weight(self, name, fan_in, fan_out):
        w = self.rng.standard_normal((fan_in, fan_out)) / math.sqrt(fan_in)
        return self.param(name, w)

    def bias(self, name, n, scale=0.02):
        return self.param(name, self.rng.standard_normal(n) * scale)

    def gamma(self, name, n):
        return self.param(name, 1.0 + 0.1 * self.rng.standard_normal(n))

    def beta(self, name, n):
        return self.param(name, 0.1 * self.rng.standard_normal(n))

    # -- model ------------------------------------------------------------
    def model(self, graph_name, doc=""):
        graph = helper.make_graph(self.nodes, graph_name, self.inputs,
                                  self.outputs, self.initializers)
        model = helper.make_model(
            graph, producer_name="pytorch", producer_version="1.13.1",
            opset_imports=[helper.make_opsetid("", OPSET)])
        model.ir_version = 8
        model.doc_string = doc
        return model


# ---------------------------------------------------------------------------
# Module patterns, each as torch.onnx writes it.
# ---------------------------------------------------------------------------

def linear(g, x, scope, pname, fan_in, fan_out):
    """nn.Linear on [B, S, fan_in]: MatMul(x, W^T) + Add(bias, .)."""
    w = g.weight(f"{pname}.weight", fan_in, fan_out)
    b = g.bias(f"{pname}.bias", fan_out)
    mm = g.node("MatMul", [x, w], scope)
    return g.node("Add", [b, mm], scope)


def conv1d(g, x, scope, pname, batch, seq, fan_in, fan_out, style="gemm"):
    """HF GPT-2 Conv1D (weight stored [fan_in, fan_out]).

    "gemm": its forward `addmm(bias, x.view(-1, nx), weight).view(...)`:
    Reshape [B*S, nx], Gemm(x, W, bias), Reshape [B, S, nf].
    "matmul": MatMul(x, W) + Add(bias, .) on the rank-3 input."""
    w = g.weight(f"{pname}.weight", fan_in, fan_out)
    b = g.bias(f"{pname}.bias", fan_out)
    if style == "matmul":
        mm = g.node("MatMul", [x, w], scope)
        return g.node("Add", [b, mm], scope)
    flat = g.node("Reshape", [x, g.const([batch * seq, fan_in], scope,
                                         np.int64)], scope)
    gemm = g.node("Gemm", [flat, w, b], scope, alpha=1.0, beta=1.0)
    return g.node("Reshape", [gemm, g.const([batch, seq, fan_out], scope,
                                            np.int64)], scope)


def layer_norm(g, x, scope, pname, hidden, eps, as_op=False):
    gamma = g.gamma(f"{pname}.weight", hidden)
    beta = g.beta(f"{pname}.bias", hidden)
    if as_op:
        return g.node("LayerNormalization", [x, gamma, beta], scope,
                      axis=-1, epsilon=eps)
    mean = g.node("ReduceMean", [x], scope, axes=[-1], keepdims=1)
    centered = g.node("Sub", [x, mean], scope)
    sq = g.node("Pow", [centered, g.const(2.0, scope)], scope)
    var = g.node("ReduceMean", [sq], scope, axes=[-1], keepdims=1)
    var_eps = g.node("Add", [var, g.const(eps, scope)], scope)
    std = g.node("Sqrt", [var_eps], scope)
    normed = g.node("Div", [centered, std], scope)
    scaled = g.node("Mul", [normed, gamma], scope)
    return g.node("Add", [scaled, beta], scope)


def gelu_erf(g, x, scope):
    """torch.nn.functional.gelu (exact): x * 0.5 * (1 + erf(x / sqrt 2))."""
    d = g.node("Div", [x, g.const(math.sqrt(2.0), scope)], scope)
    e = g.node("Erf", [d], scope)
    a = g.node("Add", [e, g.const(1.0, scope)], scope)
    m = g.node("Mul", [x, a], scope)
    return g.node("Mul", [m, g.const(0.5, scope)], scope)


def gelu_tanh(g, x, scope):
    """HF NewGELUActivation: 0.5 * x * (1 + tanh(sqrt(2/pi) *
    (x + 0.044715 * x^3)))."""
    half = g.node("Mul", [x, g.const(0.5, scope)], scope)
    cube = g.node("Pow", [x, g.const(3.0, scope)], scope)
    c = g.node("Mul", [cube, g.const(0.044715, scope)], scope)
    s = g.node("Add", [x, c], scope)
    t = g.node("Mul", [s, g.const(math.sqrt(2.0 / math.pi), scope)], scope)
    th = g.node("Tanh", [t], scope)
    one = g.node("Add", [th, g.const(1.0, scope)], scope)
    return g.node("Mul", [half, one], scope)


def split_heads(g, x, scope, batch, seq, heads, head_dim, perm):
    r = g.node("Reshape", [x, g.const([batch, seq, heads, head_dim], scope,
                                      np.int64)], scope)
    return g.node("Transpose", [r], scope, perm=perm)


def merge_heads(g, x, scope, batch, seq, hidden):
    t = g.node("Transpose", [x], scope, perm=[0, 2, 1, 3])
    return g.node("Reshape", [t, g.const([batch, seq, hidden], scope,
                                         np.int64)], scope)


def check(model):
    """onnx.checker (full) and strict shape inference; returns the inferred
    model."""
    onnx.checker.check_model(model, full_check=True)
    return onnx.shape_inference.infer_shapes(model, check_type=True,
                                             strict_mode=True)


def common_args(parser, hidden, heads, seq):
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--seq", type=int, default=seq)
    parser.add_argument("--hidden", type=int, default=hidden)
    parser.add_argument("--heads", type=int, default=heads)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--ffn", type=int, default=None,
                        help="FFN width (default 4 x hidden)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layer-norm-op", action="store_true",
                        help="emit LayerNormalization instead of the "
                        "decomposed form")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.onnx")


def validate_dims(parser, args):
    for name in ("batch", "seq", "hidden", "heads", "layers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1")
    if args.hidden % args.heads:
        parser.error("--hidden must be a multiple of --heads")
    if args.ffn is None:
        args.ffn = 4 * args.hidden


def save(model, path):
    inferred = check(model)
    onnx.save(model, path)
    ops = {}
    for n in model.graph.node:
        ops[n.op_type] = ops.get(n.op_type, 0) + 1
    constants = ops.get("Constant", 0)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    return inferred, len(model.graph.node), constants, params, ops
