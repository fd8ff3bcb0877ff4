#!/usr/bin/python3
"""Writes a BERT-base-style encoder (HF BertLayer x --layers) as ONNX
opset 17, node for node as torch.onnx.export writes it (see torchlike.py).

  /usr/bin/python3 bench/models/bert_layer.py -o bert.onnx
      [--batch 1] [--seq 128] [--hidden 768] [--heads 12] [--layers 1]
      [--ffn 3072] [--seed 0] [--layer-norm-op]

Inputs: hidden_states f32[B,S,hidden] and attention_mask f32[B,1,1,S], the
additive extended mask a BertLayer receives (0 keeps, large negative drops).
Output: output f32[B,S,hidden].

One layer (per HF modeling_bert, eval mode):
  self-attention: Q/K/V = MatMul + Add(bias); head split Reshape [B,S,H,D] +
    Transpose [0,2,1,3] (K: [0,2,3,1], the exporter merging permute and
    transpose(-1,-2)); MatMul; Div(sqrt D); Add(mask); Softmax(-1); MatMul V;
    Transpose [0,2,1,3]; Reshape [B,S,hidden]
  BertSelfOutput: MatMul + Add, Add(residual), LayerNorm(eps 1e-12)
  BertIntermediate: MatMul + Add to ffn, erf GELU
  BertOutput: MatMul + Add, Add(residual), LayerNorm(eps 1e-12)
"""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torchlike as T  # noqa: E402

EPS = 1e-12


def bert_layer(g, x, mask, i, batch, seq, hidden, heads, ffn, ln_op=False,
               prefix="/encoder"):
    d = hidden // heads
    s = f"{prefix}/layer.{i}"
    p = f"encoder.layer.{i}"
    att = f"{s}/attention/self"
    q = T.linear(g, x, f"{att}/query", f"{p}.attention.self.query", hidden,
                 hidden)
    k = T.linear(g, x, f"{att}/key", f"{p}.attention.self.key", hidden,
                 hidden)
    v = T.linear(g, x, f"{att}/value", f"{p}.attention.self.value", hidden,
                 hidden)
    qh = T.split_heads(g, q, att, batch, seq, heads, d, [0, 2, 1, 3])
    kh = T.split_heads(g, k, att, batch, seq, heads, d, [0, 2, 3, 1])
    vh = T.split_heads(g, v, att, batch, seq, heads, d, [0, 2, 1, 3])
    scores = g.node("MatMul", [qh, kh], att)
    scores = g.node("Div", [scores, g.const(math.sqrt(d), att)], att)
    if mask is not None:
        scores = g.node("Add", [scores, mask], att)
    probs = g.node("Softmax", [scores], att, axis=-1)
    ctx = g.node("MatMul", [probs, vh], att)
    ctx = T.merge_heads(g, ctx, att, batch, seq, hidden)
    so = f"{s}/attention/output"
    h = T.linear(g, ctx, f"{so}/dense", f"{p}.attention.output.dense",
                 hidden, hidden)
    h = g.node("Add", [h, x], so)
    h = T.layer_norm(g, h, f"{so}/LayerNorm",
                     f"{p}.attention.output.LayerNorm", hidden, EPS, ln_op)
    inter = T.linear(g, h, f"{s}/intermediate/dense",
                     f"{p}.intermediate.dense", hidden, ffn)
    inter = T.gelu_erf(g, inter, f"{s}/intermediate/intermediate_act_fn")
    out = T.linear(g, inter, f"{s}/output/dense", f"{p}.output.dense", ffn,
                   hidden)
    out = g.node("Add", [out, h], f"{s}/output")
    return T.layer_norm(g, out, f"{s}/output/LayerNorm",
                        f"{p}.output.LayerNorm", hidden, EPS, ln_op)


def build(batch, seq, hidden, heads, layers, ffn, seed, ln_op=False,
          with_mask=True):
    g = T.Graph(seed)
    x = g.input("hidden_states", [batch, seq, hidden])
    mask = g.input("attention_mask", [batch, 1, 1, seq]) if with_mask \
        else None
    for i in range(layers):
        x = bert_layer(g, x, mask, i, batch, seq, hidden, heads, ffn, ln_op)
    g.output(x, "output", [batch, seq, hidden])
    return g.model("bert_encoder", f"BERT-style encoder: {layers} layer(s), "
                   f"hidden {hidden}, heads {heads}, seq {seq}, ffn {ffn}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    T.common_args(parser, hidden=768, heads=12, seq=128)
    parser.add_argument("--no-mask", action="store_true",
                        help="no attention_mask input and no mask Add")
    args = parser.parse_args()
    T.validate_dims(parser, args)
    model = build(args.batch, args.seq, args.hidden, args.heads, args.layers,
                  args.ffn, args.seed, args.layer_norm_op, not args.no_mask)
    _, nodes, constants, params, _ = T.save(model, args.output)
    print(f"{args.output}: {nodes} nodes ({nodes - constants} non-Constant), "
          f"{params} parameters, {os.path.getsize(args.output)} bytes")


if __name__ == "__main__":
    main()
