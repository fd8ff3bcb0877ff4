"""Checks an imported module against the ONNX model it came from.

For ops that map one-to-one onto a fuse op, the number of fuse ops must equal
the number of ONNX nodes of that type; no ONNX shape-computation op may
survive as a computation; every graph input and output keeps its name.

Usage: check_op_counts.py MODEL.onnx MODULE.mlir
"""
import collections
import re
import sys

import onnx

# Concat, Slice and Gather are left out: they also appear in shape
# computations, which fold away at import.
ONE_TO_ONE = {
    "Conv": "conv", "ConvTranspose": "conv_transpose",
    "BatchNormalization": "batch_norm", "Resize": "resize",
    "Softmax": "softmax", "LogSoftmax": "log_softmax",
    "HardSigmoid": "hard_sigmoid", "HardSwish": "hard_swish",
    "Sigmoid": "sigmoid", "Tanh": "tanh", "Relu": "relu", "Clip": "clip",
    "Transpose": "transpose", "MaxPool": "max_pool",
    "AveragePool": "avg_pool", "Sqrt": "sqrt", "Pow": "pow",

}

model = onnx.load(sys.argv[1], load_external_data=False)
text = open(sys.argv[2]).read()
onnx_counts = collections.Counter(n.op_type for n in model.graph.node)
fuse_counts = collections.Counter(re.findall(r"= fuse\.([a-z_]+)", text))
errors = []
for onnx_op, fuse_op in ONE_TO_ONE.items():
    if onnx_counts[onnx_op] != fuse_counts[fuse_op]:
        errors.append(f"{onnx_op}: {onnx_counts[onnx_op]} nodes but "
                      f"{fuse_counts[fuse_op]} fuse.{fuse_op}")
initializers = {t.name for t in model.graph.initializer}
for value in list(model.graph.input) + list(model.graph.output):
    if value.name in initializers:
        continue
    if f'fuse.name = "{value.name}"' not in text:
        errors.append(f"graph value {value.name} lost its name")
computations = sum(c for op, c in fuse_counts.items() if op != "constant")
print(f"onnx nodes: {len(model.graph.node)}, fuse ops: {computations} "
      f"(+{fuse_counts['constant']} constants)")
for e in errors:
    print("error:", e)
print("op counts:", "ok" if not errors else "MISMATCH")
sys.exit(1 if errors else 0)
