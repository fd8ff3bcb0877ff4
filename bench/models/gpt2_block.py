#!/usr/bin/python3
"""Writes GPT-2 blocks (HF GPT2Block x --layers) as ONNX opset 17, node for
node as torch.onnx.export writes them (see torchlike.py).

  /usr/bin/python3 bench/models/gpt2_block.py -o gpt2.onnx
      [--batch 1] [--seq 128] [--hidden 768] [--heads 12] [--layers 1]
      [--ffn 3072] [--seed 0] [--conv1d gemm|matmul] [--mask-value min|-inf]
      [--layer-norm-op]

Input: hidden_states f32[B,S,hidden]. Output: output f32[B,S,hidden].

One block (per HF modeling_gpt2, eval mode, no past):
  ln_1: LayerNorm(eps 1e-5), decomposed
  attn.c_attn: Conv1D hidden -> 3*hidden (addmm: Reshape [B*S,nx], Gemm,
    Reshape [B,S,nf]); Split(axis 2) into Q, K, V; head split Reshape
    [B,S,H,D] + Transpose [0,2,1,3] (K: [0,2,3,1]); MatMul; Div(sqrt D);
    causal Where(constant lower-triangular bool [1,1,S,S], scores,
    finfo(f32).min) as the HF exporter writes it (the bias buffer slice is
    constant-folded); Softmax(-1); MatMul V; Transpose [0,2,1,3]; Reshape
  attn.c_proj: Conv1D; Add(residual)
  ln_2; mlp.c_fc: Conv1D hidden -> ffn; tanh GELU (gelu_new);
  mlp.c_proj: Conv1D ffn -> hidden; Add(residual)
"""
import argparse
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torchlike as T  # noqa: E402

EPS = 1e-5


def gpt2_block(g, x, i, batch, seq, hidden, heads, ffn, conv="gemm",
               mask_value="min", ln_op=False, prefix="/transformer"):
    d = hidden // heads
    s = f"{prefix}/h.{i}"
    p = f"transformer.h.{i}"
    a = f"{s}/attn"
    h = T.layer_norm(g, x, f"{s}/ln_1", f"{p}.ln_1", hidden, EPS, ln_op)
    qkv = T.conv1d(g, h, f"{a}/c_attn", f"{p}.attn.c_attn", batch, seq,
                   hidden, 3 * hidden, conv)
    q, k, v = g.node("Split", [qkv, g.const([hidden] * 3, a, np.int64)], a,
                     num_outputs=3, axis=2)
    qh = T.split_heads(g, q, a, batch, seq, heads, d, [0, 2, 1, 3])
    kh = T.split_heads(g, k, a, batch, seq, heads, d, [0, 2, 3, 1])
    vh = T.split_heads(g, v, a, batch, seq, heads, d, [0, 2, 1, 3])
    w = g.node("MatMul", [qh, kh], a)
    w = g.node("Div", [w, g.const(math.sqrt(d), a)], a)
    causal = np.tril(np.ones((seq, seq), dtype=bool)).reshape(1, 1, seq, seq)
    fill = -np.inf if mask_value == "-inf" else np.finfo(np.float32).min
    w = g.node("Where", [g.const(causal, a, np.bool_), w,
                         g.const(fill, a)], a)
    w = g.node("Softmax", [w], a, axis=-1)
    ctx = g.node("MatMul", [w, vh], a)
    ctx = T.merge_heads(g, ctx, a, batch, seq, hidden)
    o = T.conv1d(g, ctx, f"{a}/c_proj", f"{p}.attn.c_proj", batch, seq,
                 hidden, hidden, conv)
    x = g.node("Add", [o, x], s)
    h = T.layer_norm(g, x, f"{s}/ln_2", f"{p}.ln_2", hidden, EPS, ln_op)
    m = f"{s}/mlp"
    f = T.conv1d(g, h, f"{m}/c_fc", f"{p}.mlp.c_fc", batch, seq, hidden, ffn,
                 conv)
    f = T.gelu_tanh(g, f, f"{m}/act")
    f = T.conv1d(g, f, f"{m}/c_proj", f"{p}.mlp.c_proj", batch, seq, ffn,
                 hidden, conv)
    return g.node("Add", [x, f], s)


def build(batch, seq, hidden, heads, layers, ffn, seed, conv="gemm",
          mask_value="min", ln_op=False):
    g = T.Graph(seed)
    x = g.input("hidden_states", [batch, seq, hidden])
    for i in range(layers):
        x = gpt2_block(g, x, i, batch, seq, hidden, heads, ffn, conv,
                       mask_value, ln_op)
    g.output(x, "output", [batch, seq, hidden])
    return g.model("gpt2_blocks", f"GPT-2 blocks: {layers} block(s), hidden "
                   f"{hidden}, heads {heads}, seq {seq}, ffn {ffn}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    T.common_args(parser, hidden=768, heads=12, seq=128)
    parser.add_argument("--conv1d", choices=["gemm", "matmul"],
                        default="gemm")
    parser.add_argument("--mask-value", choices=["min", "-inf"],
                        default="min")
    args = parser.parse_args()
    T.validate_dims(parser, args)
    model = build(args.batch, args.seq, args.hidden, args.heads, args.layers,
                  args.ffn, args.seed, args.conv1d, args.mask_value,
                  args.layer_norm_op)
    _, nodes, constants, params, _ = T.save(model, args.output)
    print(f"{args.output}: {nodes} nodes ({nodes - constants} non-Constant), "
          f"{params} parameters, {os.path.getsize(args.output)} bytes")


if __name__ == "__main__":
    main()
