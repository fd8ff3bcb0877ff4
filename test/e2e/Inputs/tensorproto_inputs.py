"""Writes ONNX TensorProto (.pb) inputs for tensorproto-inputs.onnxtxt and
checks fuse-run's outputs against numpy.

Usage: tensorproto_inputs.py make DIR | check DIR
`make` writes both encodings ONNX uses: raw_data and the typed fields
(float_data, int64_data, int32_data holding float16 bits and bools;
helper.make_tensor converts float16 values to their bits itself), plus
bad files for the error cases.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

X = np.array([[1.5, -2.0, 0.25], [3.0, 4.0, -0.5]], np.float32)
I = np.array([7, -3, 0, 42], np.int64)
H = np.array([1.5, -0.25], np.float16)
P = np.array([True, False, True])
N = np.array([5, -6], np.int32)


def write(path, tensor):
    with open(path, "wb") as f:
        f.write(tensor.SerializeToString())


def make(d):
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "x.pb"), numpy_helper.from_array(X, "x"))
    write(os.path.join(d, "i.pb"),
          helper.make_tensor("i", TensorProto.INT64, I.shape, I.tolist()))
    write(os.path.join(d, "h.pb"),
          helper.make_tensor("h", TensorProto.FLOAT16, H.shape,
                             H.tolist()))
    write(os.path.join(d, "p.pb"),
          helper.make_tensor("p", TensorProto.BOOL, P.shape, P.tolist()))
    write(os.path.join(d, "n.pb"), numpy_helper.from_array(N, "n"))
    # Bad inputs.
    write(os.path.join(d, "double.pb"),
          numpy_helper.from_array(X.astype(np.float64), "x"))
    write(os.path.join(d, "shape.pb"),
          numpy_helper.from_array(X.reshape(3, 2), "x"))
    short = helper.make_tensor("x", TensorProto.FLOAT, [2, 3], [1.0] * 6)
    del short.float_data[2:]
    write(os.path.join(d, "short.pb"), short)
    with open(os.path.join(d, "garbage.pb"), "wb") as f:
        f.write(b"\xff\xff\xff\xff not a tensor")


def check(d):
    def load(name):
        return np.load(os.path.join(d, name + ".npy"))
    ok = (np.array_equal(load("y"), X * 2) and
          np.array_equal(load("j"), I + 1) and
          load("g2").dtype == np.float16 and
          np.array_equal(load("g2"), -H) and
          np.array_equal(load("q"), ~P) and
          np.array_equal(load("m"), -N))
    print("tensorproto inputs: " + ("ok" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(make(sys.argv[2]) if sys.argv[1] == "make" else check(sys.argv[2]))
