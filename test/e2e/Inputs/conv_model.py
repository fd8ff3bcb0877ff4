#!/usr/bin/env python3
"""Writes a small NCHW f32 conv block as ONNX (for gpu-conv-implicit-gemm):
x[1, 16, 20, 24] -> Conv 3x3 pad 1 (32 filters, bias) -> HardSwish
-> Conv 3x3 stride 2 pad 1 (32) -> Relu -> Conv 1x1 (16) + residual
(a 1x1 stride-2 conv of x) -> y. Weights are seeded random values.
With --grouped: x[1, 32, 20, 24] -> Conv 3x3 pad 1 groups 2 (32 filters,
bias) -> Relu -> Conv 3x3 stride 2 pad 1 groups 4 (48) -> depthwise Conv 3x3
pad 1 (groups 48) -> y[1, 48, 10, 12].
With --transpose: x[1, 16, 10, 12] -> Relu -> ConvTranspose 2x2 stride 2 (24
filters, bias) -> Relu -> ConvTranspose 3x3 stride 2 pad 1 output_padding 1
(8, bias) -> Sigmoid -> y[1, 8, 40, 48]."""
import argparse

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-o", required=True)
    parser.add_argument("--grouped", action="store_true")
    parser.add_argument("--transpose", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    inits, nodes = [], []

    def param(name, shape):
        data = (rng.standard_normal(shape) / np.sqrt(np.prod(shape[1:])))
        inits.append(numpy_helper.from_array(data.astype(np.float32), name))
        return name

    def conv(name, x, filters, channels, kernel, stride, pad, out, group=1):
        w = param(name + ".w", (filters, channels // group, kernel, kernel))
        b = param(name + ".b", (filters,))
        nodes.append(helper.make_node(
            "Conv", [x, w, b], [out], name=name,
            kernel_shape=[kernel, kernel], strides=[stride, stride],
            pads=[pad] * 4, group=group))

    def save(name, x_shape, y_shape):
        graph = helper.make_graph(
            nodes, name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
            inits)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 17)])
        onnx.checker.check_model(model)
        onnx.save(model, args.o)

    if args.transpose:
        def deconv(name, x, channels, filters, kernel, pad, out_pad, out):
            w = param(name + ".w", (channels, filters, kernel, kernel))
            b = param(name + ".b", (filters,))
            nodes.append(helper.make_node(
                "ConvTranspose", [x, w, b], [out], name=name,
                kernel_shape=[kernel, kernel], strides=[2, 2],
                pads=[pad] * 4, output_padding=[out_pad] * 2))

        nodes.append(helper.make_node("Relu", ["x"], ["r0"], name="relu0"))
        deconv("up1", "r0", 16, 24, 2, 0, 0, "u1")
        nodes.append(helper.make_node("Relu", ["u1"], ["r1"], name="relu1"))
        deconv("up2", "r1", 24, 8, 3, 1, 1, "u2")
        nodes.append(helper.make_node("Sigmoid", ["u2"], ["y"], name="sig"))
        save("transpose_block", [1, 16, 10, 12], [1, 8, 40, 48])
        return

    if args.grouped:
        conv("conv1", "x", 32, 32, 3, 1, 1, "c1", group=2)
        nodes.append(helper.make_node("Relu", ["c1"], ["r1"], name="relu1"))
        conv("conv2", "r1", 48, 32, 3, 2, 1, "c2", group=4)
        conv("dw", "c2", 48, 48, 3, 1, 1, "y", group=48)
        graph = helper.make_graph(
            nodes, "grouped_block",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                           [1, 32, 20, 24])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT,
                                           [1, 48, 10, 12])],
            inits)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", 17)])
        onnx.checker.check_model(model)
        onnx.save(model, args.o)
        return

    conv("conv1", "x", 32, 16, 3, 1, 1, "c1")
    nodes.append(helper.make_node("HardSwish", ["c1"], ["h1"], name="hs1"))
    conv("conv2", "h1", 32, 32, 3, 2, 1, "c2")
    nodes.append(helper.make_node("Relu", ["c2"], ["r2"], name="relu2"))
    conv("conv3", "r2", 16, 32, 1, 1, 0, "c3")
    conv("short", "x", 16, 16, 1, 2, 0, "s")
    nodes.append(helper.make_node("Add", ["c3", "s"], ["y"], name="add"))
    graph = helper.make_graph(
        nodes, "conv_block",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16, 20, 24])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16, 10, 12])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    onnx.save(model, args.o)


if __name__ == "__main__":
    main()
