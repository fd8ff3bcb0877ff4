"""Writes a BERT encoder layer or a GPT-2 block as ONNX text, node by node
the way PyTorch's exporter (opset 17, eval mode) writes the Hugging Face
modules: decomposed LayerNorm (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt,
Div, Mul, Add), Reshape/Transpose head split, scores Div by sqrt(d), an
additive mask computed from the mask input, erf GELU (BERT) or tanh GELU
with Pow(x, 3) (GPT-2's NewGELU), a causal Where with the constant-folded
lower-triangular slice of the `bias` buffer and finfo.min as fill (GPT-2),
Linear as MatMul + Add (BERT) and Conv1D as Reshape + Gemm + Reshape with
one fused c_attn and Split (GPT-2). Weights are deterministic pseudo-random
constants.

Usage: transformer_onnx.py bert|gpt2 > MODEL.onnxtxt
"""
import math
import sys

S, E, H, FF = 8, 16, 2, 32
D = E // H
_state = [12345]


def rand(n, scale):
    out = []
    for _ in range(n):
        _state[0] = (_state[0] * 1103515245 + 12345) % (1 << 31)
        out.append(((_state[0] / float(1 << 31)) * 2.0 - 1.0) * scale)
    return out


lines = []


def const(name, dims, values, dtype="float"):
    shape = "[" + ",".join(str(d) for d in dims) + "]" if dims else ""
    text = ", ".join(repr(float(v)) if dtype == "float" else str(int(v))
                     for v in values)
    lines.append(f"  {name} = Constant <value = {dtype}{shape} {{{text}}}> ()")


def node(text):
    lines.append("  " + text)


def weight(name, dims, scale=None):
    n = 1
    for d in dims:
        n *= d
    const(name, dims, rand(n, scale if scale else 1.0 / math.sqrt(dims[0])))


def layer_norm(prefix, x, out):
    weight(prefix + "_g", [E], 0.5)  # gamma = 1 + U(-0.5, 0.5)
    node(f"{prefix}_gamma = Add ({prefix}_g, one)")
    weight(prefix + "_beta", [E], 0.1)
    node(f"{prefix}_mean = ReduceMean <axes = [-1]> ({x})")
    node(f"{prefix}_sub = Sub ({x}, {prefix}_mean)")
    node(f"{prefix}_pow = Pow ({prefix}_sub, two)")
    node(f"{prefix}_var = ReduceMean <axes = [-1]> ({prefix}_pow)")
    node(f"{prefix}_add = Add ({prefix}_var, eps)")
    node(f"{prefix}_sqrt = Sqrt ({prefix}_add)")
    node(f"{prefix}_div = Div ({prefix}_sub, {prefix}_sqrt)")
    node(f"{prefix}_mul = Mul ({prefix}_div, {prefix}_gamma)")
    node(f"{out} = Add ({prefix}_mul, {prefix}_beta)")


def common():
    const("one", [], [1.0])
    const("two", [], [2.0])
    const("eps", [], [1e-5 if sys.argv[1] == "bert" else 1e-5])
    const("sqrt_d", [], [math.sqrt(D)])
    const("heads_shape", [4], [1, S, H, D], "int64")
    const("merged_shape", [3], [1, S, E], "int64")
    const("mask_axes", [2], [1, 2], "int64")
    const("neg", [], [-10000.0])
    # extended_attention_mask = (1.0 - mask[:, None, None, :]) * -10000.0
    node("mask4 = Unsqueeze (attention_mask, mask_axes)")
    node("inv_mask = Sub (one, mask4)")
    node("add_mask = Mul (inv_mask, neg)")


def heads(src, name, key=False):
    node(f"{name}_r = Reshape ({src}, heads_shape)")
    node(f"{name}_t = Transpose <perm = [0, 2, 1, 3]> ({name}_r)")


def attention(q, k, v, out, causal):
    node(f"k_tt = Transpose <perm = [0, 1, 3, 2]> ({k})")
    node(f"scores = MatMul ({q}, k_tt)")
    node("scaled = Div (scores, sqrt_d)")
    s = "scaled"
    if causal:
        tri = [1 if j <= i else 0 for i in range(S) for j in range(S)]
        const("causal_mask", [1, 1, S, S], tri, "bool")
        const("mask_value", [], [-3.4028234663852886e38])
        node("where = Where (causal_mask, scaled, mask_value)")
        s = "where"
    node(f"masked = Add ({s}, add_mask)")
    node("probs = Softmax <axis = -1> (masked)")
    node(f"ctx = MatMul (probs, {v})")
    node("ctx_t = Transpose <perm = [0, 2, 1, 3]> (ctx)")
    node(f"{out} = Reshape (ctx_t, merged_shape)")


def linear(x, name, n_in, n_out):
    weight(name + "_w", [n_in, n_out])
    weight(name + "_b", [n_out], 0.1)
    node(f"{name}_mm = MatMul ({x}, {name}_w)")
    node(f"{name} = Add ({name}_mm, {name}_b)")


def conv1d(x, name, n_in, n_out):
    const(name + "_flat", [2], [-1, n_in], "int64")
    const(name + "_shape", [3], [1, S, n_out], "int64")
    weight(name + "_w", [n_in, n_out])
    weight(name + "_b", [n_out], 0.1)
    node(f"{name}_2d = Reshape ({x}, {name}_flat)")
    node(f"{name}_gemm = Gemm ({name}_2d, {name}_w, {name}_b)")
    node(f"{name} = Reshape ({name}_gemm, {name}_shape)")


def bert():
    common()
    for n in ("query", "key", "value"):
        linear("hidden", n, E, E)
        heads(n, n)
    attention("query_t", "key_t", "value_t", "context", causal=False)
    linear("context", "attn_dense", E, E)
    node("attn_res = Add (attn_dense, hidden)")
    layer_norm("ln1", "attn_res", "attn_out")
    linear("attn_out", "inter", E, FF)
    const("sqrt2", [], [1.4142135381698608])
    const("half", [], [0.5])
    node("g_div = Div (inter, sqrt2)")
    node("g_erf = Erf (g_div)")
    node("g_add = Add (g_erf, one)")
    node("g_mul = Mul (inter, g_add)")
    node("gelu = Mul (g_mul, half)")
    linear("gelu", "out_dense", FF, E)
    node("out_res = Add (out_dense, attn_out)")
    layer_norm("ln2", "out_res", "output")


def gpt2():
    common()
    layer_norm("ln1", "hidden", "h1")
    conv1d("h1", "c_attn", E, 3 * E)
    const("split_sizes", [3], [E, E, E], "int64")
    node("query, key, value = Split <axis = 2> (c_attn, split_sizes)")
    for n in ("query", "key", "value"):
        heads(n, n)
    attention("query_t", "key_t", "value_t", "merged", causal=True)
    conv1d("merged", "c_proj", E, E)
    node("res1 = Add (c_proj, hidden)")
    layer_norm("ln2", "res1", "h2")
    conv1d("h2", "c_fc", E, FF)
    const("half", [], [0.5])
    const("three", [], [3.0])
    const("kappa", [], [0.044715])
    const("beta", [], [math.sqrt(2.0 / math.pi)])
    node("n_half = Mul (c_fc, half)")
    node("n_pow = Pow (c_fc, three)")
    node("n_kpow = Mul (n_pow, kappa)")
    node("n_sum = Add (c_fc, n_kpow)")
    node("n_inner = Mul (n_sum, beta)")
    node("n_tanh = Tanh (n_inner)")
    node("n_one = Add (n_tanh, one)")
    node("gelu = Mul (n_half, n_one)")
    conv1d("gelu", "mlp_proj", FF, E)
    node("output = Add (mlp_proj, res1)")


def main():
    kind = sys.argv[1]
    {"bert": bert, "gpt2": gpt2}[kind]()
    print("<\n  ir_version: 8,\n  opset_import: [\"\" : 17]\n>")
    print(f"{kind} (float[1, {S}, {E}] hidden, float[1, {S}] attention_mask)"
          f" => (float[1, {S}, {E}] output) {{")
    print("\n".join(lines))
    print("}")


main()
