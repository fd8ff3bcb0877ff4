"""Writes the binary ONNX models used by binary-models.test into a directory.

Usage: make_models.py OUT_DIR

The models are built with the onnx Python package (python3-onnx), so the
tests need no binary files in the repository.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def model(nodes, inputs, outputs, initializers=(), opset=17, ir_version=8,
          check=True):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = ir_version
    if check:
        onnx.checker.check_model(m)
    return m


def save(m, name):
    with open(os.path.join(out, name), "wb") as f:
        f.write(m.SerializeToString())


def vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


F = TensorProto.FLOAT

# A valid model: MatMul with raw-data weights (> 16 elements become
# dense_resource blobs; names are sanitized and made unique), a small bias
# (a dense constant).
w = numpy_helper.from_array(np.arange(160, dtype=np.float32).reshape(4, 40), "fc.weight")
w2 = numpy_helper.from_array(np.full(40, 2, dtype=np.float32), "fc/weight")
b = numpy_helper.from_array(np.arange(4, dtype=np.float32) / 2, "bias:0")
good = model(
    [helper.make_node("MatMul", ["x", "fc.weight"], ["m"], name="mm"),
     helper.make_node("Add", ["m", "fc/weight"], ["a"], name="add"),
     helper.make_node("Transpose", ["a"], ["t"], name="tr"),
     helper.make_node("Slice", ["t", "st", "en"], ["s"], name="sl"),
     helper.make_node("Reshape", ["s", "shp"], ["r"], name="rs"),
     helper.make_node("Add", ["r", "bias:0"], ["y"], name="add2")],
    [vi("x", F, [2, 4])], [vi("y", F, [1, 4])],
    [w, w2, b,
     numpy_helper.from_array(np.array([0, 0], dtype=np.int64), "st"),
     numpy_helper.from_array(np.array([2, 2], dtype=np.int64), "en"),
     numpy_helper.from_array(np.array([1, 4], dtype=np.int64), "shp")])
save(good, "good.onnx")

# Initializers of every supported element type, in raw and typed form, cast
# to float at import time.
typed = []
nodes = []
outs = []
arrays = {
    "f16raw": np.array([1.0, -0.5, 65504.0], dtype=np.float16),
    "i8raw": np.array([-128, 0, 127], dtype=np.int8),
    "u8raw": np.array([0, 1, 255], dtype=np.uint8),
    "i16raw": np.array([-32768, 1, 32767], dtype=np.int16),
    "u16raw": np.array([0, 1, 65535], dtype=np.uint16),
    "i32raw": np.array([-7, 0, 7], dtype=np.int32),
    "i64raw": np.array([-9, 0, 9], dtype=np.int64),
    "f64raw": np.array([0.25, 0.5, 0.75], dtype=np.float64),
    "boolraw": np.array([True, False, True]),
}
for name, arr in arrays.items():
    typed.append(numpy_helper.from_array(arr, name))
# The typed-field forms (float16 and bfloat16 bits go to int32_data).
typed.append(helper.make_tensor("f16typed", TensorProto.FLOAT16, [3],
                                [1.0, -0.5, 65504.0]))
typed.append(helper.make_tensor("bf16typed", TensorProto.BFLOAT16, [3],
                                [1.0, -0.5, 3.0]))
typed.append(helper.make_tensor("i32typed", TensorProto.INT32, [3], [1, -2, 3]))
typed.append(helper.make_tensor("f64typed", TensorProto.DOUBLE, [3], [1.5, 2.5, 3.5]))
for t in typed:
    nodes.append(helper.make_node("Cast", [t.name], ["c_" + t.name], to=F))
    nodes.append(helper.make_node("Add", ["x", "c_" + t.name], ["o_" + t.name]))
    outs.append(vi("o_" + t.name, F, [3]))
save(model(nodes, [vi("x", F, [3])], outs, typed), "dtypes.onnx")

# Initializers used directly: a large float16 one (a blob), a large bool one
# (decoded: i1 is never a blob), a small bfloat16 one, a large int64 one.
direct = [
    numpy_helper.from_array(np.arange(20, dtype=np.float16), "h20"),
    numpy_helper.from_array(np.arange(20) % 3 == 0, "b20"),
    helper.make_tensor("bf3", TensorProto.BFLOAT16, [3], [1.0, 2.0, 4.0]),
    numpy_helper.from_array(np.arange(20, dtype=np.int64), "i20"),
]
save(model([helper.make_node("Add", ["h", "h20"], ["yh"]),
            helper.make_node("And", ["b", "b20"], ["yb"]),
            helper.make_node("Mul", ["bf", "bf3"], ["ybf"]),
            helper.make_node("Sub", ["i", "i20"], ["yi"])],
           [vi("h", TensorProto.FLOAT16, [20]), vi("b", TensorProto.BOOL, [20]),
            vi("bf", TensorProto.BFLOAT16, [3]), vi("i", TensorProto.INT64, [20])],
           [vi("yh", TensorProto.FLOAT16, [20]), vi("yb", TensorProto.BOOL, [20]),
            vi("ybf", TensorProto.BFLOAT16, [3]), vi("yi", TensorProto.INT64, [20])],
           direct), "direct.onnx")

# A Constant node in sparse form.
sparse = helper.make_sparse_tensor(
    helper.make_tensor("v", F, [1], [5.0]),
    helper.make_tensor("i", TensorProto.INT64, [1], [2]), [4])
save(model([helper.make_node("Constant", [], ["c"], name="sparse_const",
                             sparse_value=sparse),
            helper.make_node("Add", ["x", "c"], ["y"], name="add")],
           [vi("x", F, [4])], [vi("y", F, [4])]), "sparse.onnx")

# Initializers whose raw data has the wrong size: a small one (decoded) and
# a large one (a blob).
short = numpy_helper.from_array(np.ones((4, 4), dtype=np.float32), "w")
short.raw_data = short.raw_data[:20]
save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
           [vi("x", F, [2, 4])], [vi("y", F, [2, 4])], [short], check=False),
     "shortraw.onnx")
short = numpy_helper.from_array(np.ones((4, 40), dtype=np.float32), "w")
short.raw_data = short.raw_data[:20]
save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
           [vi("x", F, [2, 4])], [vi("y", F, [2, 40])], [short], check=False),
     "shortblob.onnx")

# An initializer with external data.
ext = TensorProto()
ext.name = "w"
ext.data_type = F
ext.dims.extend([4, 4])
ext.data_location = TensorProto.EXTERNAL
entry = ext.external_data.add()
entry.key = "location"
entry.value = "weights.bin"
with open(os.path.join(out, "weights.bin"), "wb") as f:
    f.write(np.ones(16, dtype=np.float32).tobytes())
save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
           [vi("x", F, [2, 4])], [vi("y", F, [2, 4])], [ext], check=False),
     "external.onnx")

# A double initializer consumed by a float op.
dbl = numpy_helper.from_array(np.ones((4, 4), dtype=np.float64), "w")
save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
           [vi("x", F, [2, 4])], [vi("y", F, [2, 4])], [dbl], check=False),
     "doubleinit.onnx")

# A model without a graph; a model with an undefined input (named node).
m = onnx.ModelProto()
m.ir_version = 8
m.opset_import.add().version = 17
save(m, "nograph.onnx")
save(model([helper.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
           [vi("x", F, [2, 4])], [vi("y", F, [2, 4])], check=False),
     "undefined.onnx")
