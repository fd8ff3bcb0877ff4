// End-to-end numerics of the structured lowerings on the CPU. Inputs are
// multiples of 0.25 (exact in f32). The expected values come from numpy in
// float64: the expressions are in the comments; conv_ref, conv_transpose_ref
// and pool_ref below are direct loop transcriptions of the ONNX definitions
// (conv_transpose as a scatter, independent of the lowering's gather form).
// They are printed with %g: exactly where the arithmetic is exact (matmul,
// conv, conv_transpose, max_pool on these inputs), elsewhere with a regex
// for the trailing digits that a few ulp of f32 rounding can change.
//
// import numpy as np
// def conv_ref(x, w, b, strides, dil, pads, groups):
//     # Direct ONNX Conv definition with explicit loops.
//     N, C = x.shape[:2]; F = w.shape[0]; sp = x.ndim - 2
//     xp = np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + sp]) for i in range(sp)])
//     K = w.shape[2:]
//     out_sz = [(xp.shape[2 + i] - dil[i] * (K[i] - 1) - 1) // strides[i] + 1 for i in range(sp)]
//     y = np.zeros([N, F] + out_sz)
//     cg, fg = C // groups, F // groups
//     for idx in np.ndindex(*([N, F] + out_sz)):
//         n, f, o = idx[0], idx[1], idx[2:]
//         g = f // fg
//         acc = 0.0
//         for c in range(cg):
//             for k in np.ndindex(*K):
//                 pos = tuple(o[i] * strides[i] + k[i] * dil[i] for i in range(sp))
//                 acc += xp[(n, g * cg + c) + pos] * w[(f, c) + k]
//         y[idx] = acc + (b[f] if b is not None else 0)
//     return y
//
// def conv_transpose_ref(x, w, strides, dil, pads, outpad, groups):
//     # Scatter form: every input element adds input * weight at i*s + k*d,
//     # then pads crop the full result (ONNX ConvTranspose with explicit pads).
//     N, C = x.shape[:2]; sp = x.ndim - 2; K = w.shape[2:]
//     fg = w.shape[1]; F = fg * groups; cg = C // groups
//     full = [strides[i] * (x.shape[2 + i] - 1) + dil[i] * (K[i] - 1) + 1 + outpad[i] for i in range(sp)]
//     y = np.zeros([N, F] + full)
//     for n in range(N):
//         for c in range(C):
//             g = c // cg
//             for i in np.ndindex(*x.shape[2:]):
//                 for fl in range(fg):
//                     for k in np.ndindex(*K):
//                         pos = tuple(i[d] * strides[d] + k[d] * dil[d] for d in range(sp))
//                         y[(n, g * fg + fl) + pos] += x[(n, c) + i] * w[(c, fl) + k]
//     sl = tuple([slice(None), slice(None)] + [slice(pads[d], full[d] - pads[d + sp]) for d in range(sp)])
//     return y[sl]
//
// def pool_ref(x, kernel, strides, dil, pads, ceil, kind, include_pad=False):
//     N, C = x.shape[:2]; sp = x.ndim - 2
//     outs = []
//     for i in range(sp):
//         span = x.shape[2 + i] + pads[i] + pads[i + sp] - dil[i] * (kernel[i] - 1) - 1
//         o = (-(-span // strides[i]) if ceil else span // strides[i]) + 1
//         if ceil and (o - 1) * strides[i] >= x.shape[2 + i] + pads[i]:
//             o -= 1
//         outs.append(o)
//     y = np.zeros([N, C] + outs)
//     for idx in np.ndindex(*([N, C] + outs)):
//         vals = []; count = 0
//         for k in np.ndindex(*kernel):
//             pos = [idx[2 + i] * strides[i] - pads[i] + k[i] * dil[i] for i in range(sp)]
//             inside = all(0 <= pos[i] < x.shape[2 + i] for i in range(sp))
//             in_pads = all(-pads[i] <= pos[i] < x.shape[2 + i] + pads[i + sp] for i in range(sp))
//             if inside:
//                 vals.append(x[idx[:2] + tuple(pos)])
//             if inside or (include_pad and in_pads):
//                 count += 1
//         y[idx] = max(vals) if kind == "max" else sum(vals) / count
//     return y
//
// RUN: fuse-opt %s --fuse-to-linalg | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops --expand-strided-metadata --lower-affine --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm --convert-to-llvm --reconcile-unrealized-casts | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so | FileCheck %s --check-prefix=EXEC

func.func private @printMemrefF32(tensor<*xf32>) attributes { llvm.emit_c_interface }
func.func private @printMemrefI32(tensor<*xi32>) attributes { llvm.emit_c_interface }

func.func @main() {
  %in1 = arith.constant dense<[[[[1.25, 0.5, 0.0], [-1.0, -1.0, -2.0]]], [[[-1.75, -2.0, -1.5], [1.25, 0.5, 1.5]]]]> : tensor<2x1x2x3xf32>
  %in2 = arith.constant dense<[[[0.0, 0.25, 1.75], [0.75, 0.5, 0.0], [0.0, 1.5, -1.0], [1.25, 0.5, -2.0]], [[-0.5, 1.25, 0.0], [-2.0, 1.0, 0.75], [1.25, -1.5, -1.75], [1.25, -2.0, 0.0]], [[-1.75, -1.0, -0.25], [-0.5, -0.5, -2.0], [-2.0, -1.75, -2.0], [0.5, 0.0, 0.5]]]> : tensor<3x4x3xf32>

  // matmul, batch dims [2,1] x [3] broadcast, transpose_b:
  // numpy: a @ np.swapaxes(b, -1, -2)
  %mm = fuse.matmul %in1, %in2 {transpose_b = true} : (tensor<2x1x2x3xf32>, tensor<3x4x3xf32>) -> tensor<2x3x2x4xf32>
  %u3 = tensor.cast %mm : tensor<2x3x2x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 2, 4]
  // EXEC-NEXT: [0.125, 1.1875, 0.75, 1.8125]
  // EXEC-NEXT: [-3.75, -1.25, 0.5, 2.25]
  // EXEC-NEXT: [0, -2, 0.8125, 0.5625]
  // EXEC-NEXT: [-0.75, -0.5, 3.75, 0.75]
  // EXEC-NEXT: [-2.6875, -0.875, -3.375, 0.625]
  // EXEC-NEXT: [3.25, 5, 7.75, -1.5]
  // EXEC-NEXT: [-3.125, -2.3125, -1.5, -0.1875]
  // EXEC-NEXT: [2.75, 1.1875, -0.75, -1.1875]
  // EXEC-NEXT: [-1.625, 0.375, 3.4375, 1.8125]
  // EXEC-NEXT: [0, -0.875, -1.8125, 0.5625]
  // EXEC-NEXT: [5.4375, 4.875, 10, -1.625]
  // EXEC-NEXT: [-3.0625, -3.875, -6.375, 1.375]
  %in4 = arith.constant dense<[[-1.0, 0.25], [1.0, -0.5], [-0.25, 1.75]]> : tensor<3x2xf32>
  %in5 = arith.constant dense<[[[1.0, 1.75, -0.5, 0.5], [1.75, 0.5, 1.25, 0.75], [0.75, -0.5, 1.5, -1.5]], [[0.25, 0.75, 1.25, 0.0], [-0.5, -1.0, -0.5, -0.25], [0.75, 1.5, -1.75, 1.5]]]> : tensor<2x3x4xf32>

  // matmul, rank-2 lhs against a batch, transpose_a:
  // numpy: a.T @ b
  %mm2 = fuse.matmul %in4, %in5 {transpose_a = true} : (tensor<3x2xf32>, tensor<2x3x4xf32>) -> tensor<2x2x4xf32>
  %u6 = tensor.cast %mm2 : tensor<2x2x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 2, 4]
  // EXEC-NEXT: [0.5625, -1.125, 1.375, 0.625]
  // EXEC-NEXT: [0.6875, -0.6875, 1.875, -2.875]
  // EXEC-NEXT: [-0.9375, -2.125, -1.3125, -0.625]
  // EXEC-NEXT: [1.625, 3.3125, -2.5, 2.75]
  %in7 = arith.constant dense<[[[[0.0, -0.75, 0.5, 0.25, -1.0], [-0.75, 0.75, 0.25, 0.0, -0.75], [1.0, -0.5, -0.75, 1.5, -1.0], [-1.25, 0.75, 0.25, -2.0, -1.75], [-0.5, 1.25, -0.5, 1.0, -0.75]], [[-1.25, 1.0, 1.5, -1.75, -2.0], [0.5, -0.75, 0.25, -1.5, 1.25], [-0.25, 1.5, 1.0, 0.75, -1.25], [1.0, -2.0, 0.25, -0.5, 1.75], [-1.25, 1.75, -1.75, 0.25, 0.25]], [[1.5, -1.0, 1.5, 0.5, 1.5], [-1.25, 1.0, 1.75, -2.0, -0.75], [0.5, -1.75, 0.0, 0.5, 1.0], [1.5, -0.5, -0.25, -0.25, 1.75], [-1.25, -0.25, -2.0, -0.5, 1.75]], [[0.25, -0.75, 1.75, 0.25, 1.75], [-2.0, -0.25, 1.25, 1.0, -0.5], [-0.25, -0.5, 0.0, -1.25, 1.0], [-1.75, -0.5, -1.0, 0.75, 0.75], [0.75, 1.5, 1.5, -1.5, -1.75]]]]> : tensor<1x4x5x5xf32>
  %in8 = arith.constant dense<[[[[-1.5, 0.75], [1.75, 1.5]], [[0.5, 1.75], [1.25, -2.0]]], [[[-1.75, 1.25], [-1.75, 1.75]], [[1.25, 1.75], [-0.75, -1.5]]], [[[0.0, 1.75], [-0.75, 1.5]], [[-0.5, 1.25], [-1.25, -0.25]]], [[[-0.75, -1.25], [1.5, 1.0]], [[-1.5, 1.5], [1.75, -1.0]]]]> : tensor<4x2x2x2xf32>
  %in9 = arith.constant dense<[-0.5, 0.0, 0.5, -0.25]> : tensor<4xf32>

  // conv2d, groups 2, strides [2,1], dilations [1,2], pads [1,0,0,1], bias:
  // reference: direct loops over np.pad(x) (conv_ref)
  %cv = fuse.conv %in7, %in8, %in9 {groups = 2 : i64, strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 0, 0, 1>} : (tensor<1x4x5x5xf32>, tensor<4x2x2x2xf32>, tensor<4xf32>) -> tensor<1x4x3x4xf32>
  %u10 = tensor.cast %cv : tensor<1x4x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u10) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 4, 3, 4]
  // EXEC-NEXT: [-4.3125, 3.3125, 4.75, -2.25]
  // EXEC-NEXT: [-0.1875, -2.875, 1.8125, 2.3125]
  // EXEC-NEXT: [2.8125, 0.375, -3.6875, 4.3125]
  // EXEC-NEXT: [-0.4375, 3.625, -0.75, 0.875]
  // EXEC-NEXT: [-1.6875, -3.625, 1.8125, -5.0625]
  // EXEC-NEXT: [7.75, -9.3125, 1.25, 0.9375]
  // EXEC-NEXT: [0.875, 2.875, -1, -0.1875]
  // EXEC-NEXT: [6.0625, 1.375, -0.8125, 1.1875]
  // EXEC-NEXT: [-3.6875, -0.8125, 7.6875, 2.375]
  // EXEC-NEXT: [2.1875, -2.8125, 4.8125, 0.9375]
  // EXEC-NEXT: [3.6875, 1.625, -3.25, -1.6875]
  // EXEC-NEXT: [-4, 5.5625, 3.5, -4.5625]
  %in11 = arith.constant dense<[[[-1.5, 1.5, 0.75, -2.0, 1.25, 0.75], [-1.5, 0.25, 0.0, -2.0, 1.5, 0.75]]]> : tensor<1x2x6xf32>
  %in12 = arith.constant dense<[[[-1.0, -2.0, -1.75], [1.0, -1.5, 0.0]], [[1.5, 1.5, -1.0], [-1.75, -0.25, 1.25]], [[0.25, -1.75, 0.5], [-0.75, -1.25, -0.5]]]> : tensor<3x2x3xf32>

  // conv1d, pads [1,1]:
  // reference: direct loops (conv_ref)
  %cv1 = fuse.conv %in11, %in12 {pads = array<i64: 1, 1>} : (tensor<1x2x6xf32>, tensor<3x2x3xf32>) -> tensor<1x3x6xf32>
  %u13 = tensor.cast %cv1 : tensor<1x3x6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u13) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 3, 6]
  // EXEC-NEXT: [2.625, -4.6875, 0.75, 4.0625, -6.0625, -2.375]
  // EXEC-NEXT: [-3.0625, 1.8125, 2.4375, -0.75, 2.1875, 0.1875]
  // EXEC-NEXT: [5.125, -1.8125, -1.125, 6.0625, -3.0625, -3.0625]
  %in14 = arith.constant dense<[[[[1.25, 1.75, -1.5], [0.0, 1.0, -1.0], [-1.0, -1.25, -1.25]], [[1.5, -1.25, -1.25], [-1.5, -1.75, 1.0], [-1.0, 1.0, 0.25]]]]> : tensor<1x2x3x3xf32>
  %in15 = arith.constant dense<[[[[1.25, 0.0, 1.0], [1.0, -2.0, 0.0], [-0.25, -1.0, -0.25]], [[-0.5, -0.25, 1.25], [1.25, 0.5, 0.75], [1.75, 0.5, -0.75]]], [[[-1.75, 0.0, -1.25], [0.25, -2.0, 1.25], [1.75, -1.5, 1.25]], [[-0.5, -2.0, 1.5], [1.75, -2.0, 0.25], [1.25, 1.0, -0.5]]]]> : tensor<2x2x3x3xf32>
  %in16 = arith.constant dense<[1.25, 1.25]> : tensor<2xf32>

  // conv_transpose2d, strides 2, pads 1, output_padding 1, bias:
  // reference: scatter x[i] * w[k] to i*s + k*d, crop pads, add bias (conv_transpose_ref)
  %ct = fuse.conv_transpose %in14, %in15, %in16 {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  %u17 = tensor.cast %ct : tensor<1x2x6x6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u17) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 2, 6, 6]
  // EXEC-NEXT: [-4.25, 4.5625, 0.25, -2.125, 6.75, -0.3125]
  // EXEC-NEXT: [-2.25, 6.375, 1.375, -2.375, 4.625, -2.1875]
  // EXEC-NEXT: [4.25, -0.0625, 2.75, -1.6875, 1.25, 2.5]
  // EXEC-NEXT: [3.5, -7, 2.875, -3.6875, 0.75, 1.1875]
  // EXEC-NEXT: [5.25, -1, 1.75, 1.3125, 3.25, 1.5625]
  // EXEC-NEXT: [3.75, 2.3125, 1, 3.5625, 2.125, 1.875]
  // EXEC-NEXT: [-1.125, 2.5625, 4.625, -1.8125, 3, -0.1875]
  // EXEC-NEXT: [6.375, -0.8125, 4.125, -5, -2.5, 3.25]
  // EXEC-NEXT: [4.25, -0.9375, 5.25, 2.0625, -1.25, 0.75]
  // EXEC-NEXT: [2, -1.0625, -1.6875, 1.3125, 1.5625, 0.3125]
  // EXEC-NEXT: [2.75, 0.4375, -1.375, -0.5625, 0.125, 0.375]
  // EXEC-NEXT: [-0.25, 1.5625, 1.625, -0.1875, 0.875, 2.0625]
  %in18 = arith.constant dense<[[[-1.75, -2.0, -1.75, -0.75], [-1.75, -1.75, -1.0, 0.5]]]> : tensor<1x2x4xf32>
  %in19 = arith.constant dense<[[[0.0, -1.0], [1.75, 0.75]], [[0.5, 1.75], [1.0, -1.5]]]> : tensor<2x2x2xf32>

  // conv_transpose1d, groups 2, dilations 2, pads [3,0]:
  // reference: conv_transpose_ref
  %ctg = fuse.conv_transpose %in18, %in19 {groups = 2 : i64, dilations = array<i64: 2>, pads = array<i64: 3, 0>} : (tensor<1x2x4xf32>, tensor<2x2x2xf32>) -> tensor<1x4x3xf32>
  %u20 = tensor.cast %ctg : tensor<1x4x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u20) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 4, 3]
  // EXEC-NEXT: [2, 1.75, 0.75]
  // EXEC-NEXT: [-2.8125, -1.3125, -0.5625]
  // EXEC-NEXT: [-2.8125, -1.75, 0.875]
  // EXEC-NEXT: [3.125, 1.5, -0.75]
  %in21 = arith.constant dense<[[[[-2.0, 1.25, -0.5, -2.0, -0.25, -0.5], [-0.5, -0.5, -0.75, -0.25, -0.25, 1.75], [0.75, 1.0, -2.0, -1.0, 1.75, -1.0], [0.0, 1.25, 0.5, 1.5, -1.5, 0.0], [0.5, -0.75, 0.25, 1.75, 0.75, -0.75], [-1.75, -1.5, -1.0, 1.5, -1.0, 1.0]], [[-1.0, 0.5, 0.0, 1.75, 0.25, 1.5], [1.75, 0.75, 0.5, 1.25, 1.75, -1.25], [0.25, -1.5, -1.75, 0.5, -2.0, 0.75], [1.25, -1.5, 0.5, -0.5, 1.5, 1.5], [0.25, 0.0, 0.75, 0.25, 0.75, -1.25], [1.0, 0.0, 1.0, 0.0, -1.0, -1.75]]]]> : tensor<1x2x6x6xf32>

  // max_pool 3x3, strides 2, pads 1, ceil_mode (last window overhangs):
  // reference: max over in-bounds window elements (pool_ref)
  %mp = fuse.max_pool %in21 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  %u22 = tensor.cast %mp : tensor<1x2x4x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u22) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 2, 4, 4]
  // EXEC-NEXT: [1.25, 1.25, 1.75, 1.75]
  // EXEC-NEXT: [1.25, 1.5, 1.75, 1.75]
  // EXEC-NEXT: [1.25, 1.75, 1.75, 1]
  // EXEC-NEXT: [-1.5, 1.5, 1.5, 1]
  // EXEC-NEXT: [1.75, 1.75, 1.75, 1.5]
  // EXEC-NEXT: [1.75, 1.25, 1.75, 1.5]
  // EXEC-NEXT: [1.25, 1, 1.5, 1.5]
  // EXEC-NEXT: [1, 1, 0, -1.75]

  // max_pool 2x2, strides [1,3], dilations [2,1], pads [0,1,1,0], ceil_mode:
  // reference: pool_ref
  %mp2 = fuse.max_pool %in21 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 3>, dilations = array<i64: 2, 1>, pads = array<i64: 0, 1, 1, 0>, ceil_mode = true} : tensor<1x2x6x6xf32> -> tensor<1x2x5x3xf32>
  %u23 = tensor.cast %mp2 : tensor<1x2x5x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u23) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 2, 5, 3]
  // EXEC-NEXT: [0.75, -0.5, -0.5]
  // EXEC-NEXT: [0, 1.5, 1.75]
  // EXEC-NEXT: [0.75, 1.75, -0.75]
  // EXEC-NEXT: [0, 1.5, 1]
  // EXEC-NEXT: [0.5, 1.75, -0.75]
  // EXEC-NEXT: [0.25, 1.75, 1.5]
  // EXEC-NEXT: [1.75, 1.25, 1.5]
  // EXEC-NEXT: [0.25, 0.75, 0.75]
  // EXEC-NEXT: [1.25, 1, 1.5]
  // EXEC-NEXT: [0.25, 0.75, -1.25]

  // avg_pool 3x3, strides 2, pads 1, ceil_mode, padding not counted:
  // reference: sum of in-bounds elements / their count (pool_ref)
  %ap = fuse.avg_pool %in21 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  %u24 = tensor.cast %ap : tensor<1x2x4x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u24) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 2, 4, 4]
  // EXEC-NEXT: [-0.4375, -0.458333, -0.25, 0.625]
  // EXEC-NEXT: [0.333333, -0.0277778, 0.111111, 0.25]
  // EXEC-NEXT: [-0.375, 0.388889, 0.361111, 0.083333{{[0-9.]*}}]
  // EXEC-NEXT: [-1.625, -0.333333, 0.5, 1]
  // EXEC-NEXT: [0.5, 0.79166{{[0-9.]*}}, 0.875, 0.125]
  // EXEC-NEXT: [0.166667, -0.194444, 0.388889, 0.333333]
  // EXEC-NEXT: [0.166667, 0.055555{{[0-9.]*}}, -0.0555556, -0.5]
  // EXEC-NEXT: [0.5, 0.333333, -0.916667, -1.75]

  // avg_pool as above with count_include_pad: explicit pads count,
  // the ceil_mode overhang does not:
  // reference: pool_ref(include_pad=True)
  %ap2 = fuse.avg_pool %in21 {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true, count_include_pad = true} : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  %u25 = tensor.cast %ap2 : tensor<1x2x4x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u25) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 2, 4, 4]
  // EXEC-NEXT: [-0.194444, -0.305556, -0.166667, 0.208333]
  // EXEC-NEXT: [0.222222, -0.0277778, 0.111111, 0.125]
  // EXEC-NEXT: [-0.25, 0.388889, 0.361111, 0.0416667]
  // EXEC-NEXT: [-0.541667, -0.166667, 0.25, 0.25]
  // EXEC-NEXT: [0.222222, 0.527778, 0.58333{{[0-9.]*}}, 0.0416667]
  // EXEC-NEXT: [0.111111, -0.194444, 0.388889, 0.166667]
  // EXEC-NEXT: [0.111111, 0.055555{{[0-9.]*}}, -0.0555556, -0.25]
  // EXEC-NEXT: [0.166667, 0.166667, -0.458333, -0.4375]
  %in26 = arith.constant dense<[[[0.0, 1.75, -2.0, 0.25], [-0.25, -2.0, 0.0, 1.0], [0.75, 1.75, 0.0, 0.25]], [[1.75, -0.75, 1.0, -1.25], [-0.75, 0.5, 0.25, -1.25], [0.5, 0.25, 1.5, 0.25]]]> : tensor<2x3x4xf32>
  %in27 = arith.constant dense<[[[1.5, 1.75, -1.75, -1.75], [0.0, -0.25, 0.0, 0.75], [-0.75, -1.5, 0.5, -0.5], [1.5, -1.75, 0.75, 0.75], [-1.0, -1.75, -0.75, -0.5]], [[1.75, 1.25, -1.25, -0.25], [0.25, 1.5, -1.5, 1.0], [1.5, 1.5, -1.0, -1.5], [0.25, -1.75, -1.5, -1.75], [-1.25, 1.25, 0.5, 0.5]]]> : tensor<2x5x4xf32>
  %in28 = arith.constant dense<[[[1.75, -0.25], [-2.0, -1.5], [-1.0, 0.5], [-0.75, -0.75], [-1.75, 0.75]], [[-2.0, -0.25], [0.75, 0.0], [0.5, 1.0], [-1.25, -1.75], [-2.0, 0.25]]]> : tensor<2x5x2xf32>
  %in29 = arith.constant dense<[[-1.0, -1.25, 0.75, 1.0, 1.75], [-0.25, 0.0, 1.75, 0.0, -1.5], [-1.0, 1.75, -2.0, 1.0, 0.5]]> : tensor<3x5xf32>

  // attention, causal (S=3, L=5), additive mask broadcast over the batch, default scale:
  // numpy: softmax(where(j > i + L - S, -inf, q @ k^T / sqrt(D) + mask)) @ v
  %at = fuse.attention %in26, %in27, %in28 mask %in29 {causal = true} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x5x2xf32>, tensor<3x5xf32>) -> tensor<2x3x2xf32>
  %u30 = tensor.cast %at : tensor<2x3x2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u30) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 2]
  // EXEC-NEXT: [1.53196, -0.258594]
  // EXEC-NEXT: [-1.00014, 0.097351{{[0-9.]*}}]
  // EXEC-NEXT: [-0.816261, -1.00171]
  // EXEC-NEXT: [0.284235, 0.88457{{[0-9.]*}}]
  // EXEC-NEXT: [0.216779, 0.60442{{[0-9.]*}}]
  // EXEC-NEXT: [-0.605825, -0.0829351]

  // attention, scale 0.25, no mask:
  // numpy: softmax(q @ k^T * 0.25) @ v
  %at2 = fuse.attention %in26, %in27, %in28 {scale = 2.500000e-01 : f32} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x5x2xf32>) -> tensor<2x3x2xf32>
  %u31 = tensor.cast %at2 : tensor<2x3x2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u31) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 2]
  // EXEC-NEXT: [0.63673{{[0-9.]*}}, -0.30647]
  // EXEC-NEXT: [-1.20388, -0.1677]
  // EXEC-NEXT: [0.205069, -0.410787]
  // EXEC-NEXT: [-0.793969, -0.27861]
  // EXEC-NEXT: [-0.827904, -0.114566]
  // EXEC-NEXT: [-0.912267, 0.020883]
  // conv2d 1x1, groups 2, bias (the pointwise lowering over the collapsed
  // plane): y[f] = sum_c x[2 * (f // 2) + c] * w[f, c] + b[f]
  // reference: conv_ref
  %in40 = arith.constant dense<[[[[0.5, -1.0, 1.0], [-1.75, -1.5, -1.25]], [[0.75, -1.75, -0.5], [-1.75, -1.5, 1.25]], [[1.25, -1.5, -0.25], [-1.5, 1.25, -1.75]], [[-1.25, -0.25, -1.75], [1.0, -1.75, -0.25]]]]> : tensor<1x4x2x3xf32>
  %in41 = arith.constant dense<[[[[-1.75]], [[-1.0]]], [[[0.25]], [[1.25]]], [[[-1.0]], [[-1.25]]], [[[0.25]], [[-0.75]]]]> : tensor<4x2x1x1xf32>
  %in42 = arith.constant dense<[-1.25, -0.5, 0.75, -1.25]> : tensor<4xf32>
  %pw = fuse.conv %in40, %in41, %in42 {groups = 2 : i64} : (tensor<1x4x2x3xf32>, tensor<4x2x1x1xf32>, tensor<4xf32>) -> tensor<1x4x2x3xf32>
  %u40 = tensor.cast %pw : tensor<1x4x2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u40) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 4, 2, 3]
  // EXEC-NEXT: [-2.875, 2.25, -2.5]
  // EXEC-NEXT: [3.5625, 2.875, -0.3125]
  // EXEC-NEXT: [0.5625, -2.9375, -0.875]
  // EXEC-NEXT: [-3.125, -2.75, 0.75]
  // EXEC-NEXT: [1.0625, 2.5625, 3.1875]
  // EXEC-NEXT: [1, 1.6875, 2.8125]
  // EXEC-NEXT: [0, -1.4375, 0]
  // EXEC-NEXT: [-2.375, 0.375, -1.5]

  // conv2d with 16 filters (two blocks of 8 filters), 2x2 kernel, bias:
  // reference: conv_ref
  %in43 = arith.constant dense<[[[[1.5, 1.5, 1.5], [-0.5, -0.75, 1.75], [-0.75, -1.25, 1.5]], [[0.25, -1.0, -1.5], [-1.75, 1.0, 1.5], [-0.75, -2.0, -1.5]]]]> : tensor<1x2x3x3xf32>
  %in44 = arith.constant dense<[[[[-1.75, -1.75], [-0.5, -0.25]], [[-2.0, 1.5], [0.5, 1.5]]], [[[-0.5, -0.25], [0.25, 1.75]], [[-2.0, -1.5], [1.5, 0.0]]], [[[1.25, -1.5], [0.0, 0.5]], [[-0.25, 0.25], [-2.0, -1.5]]], [[[-1.25, 1.0], [-1.25, 0.25]], [[1.0, -1.5], [-2.0, -2.0]]], [[[-0.5, -0.5], [-1.75, 1.75]], [[1.0, 1.0], [1.25, -1.5]]], [[[-0.5, 0.0], [0.5, -1.5]], [[0.25, 0.5], [-2.0, 1.25]]], [[[-1.25, -1.0], [-0.25, -1.25]], [[-2.0, -1.75], [1.5, 1.75]]], [[[-0.75, -0.5], [1.5, -0.5]], [[-1.0, 1.25], [1.0, -1.25]]], [[[1.0, 1.25], [-0.5, -2.0]], [[0.0, 0.25], [-2.0, -0.5]]], [[[-0.75, 1.0], [-1.25, -1.75]], [[-1.0, -0.5], [1.5, 0.0]]], [[[-2.0, 0.5], [0.25, 1.0]], [[-1.5, -1.5], [-1.5, -0.5]]], [[[-0.25, -2.0], [0.75, 0.75]], [[1.5, -1.0], [1.75, -1.0]]], [[[1.0, -0.75], [-1.0, 0.25]], [[-0.25, -0.25], [-0.5, -0.75]]], [[[-0.5, 1.0], [1.75, -1.5]], [[1.25, -1.75], [-1.25, -1.25]]], [[[-1.75, 0.0], [-0.25, 1.0]], [[0.0, 1.25], [1.75, 0.25]]], [[[-0.75, -1.5], [-1.0, -0.25]], [[1.75, -1.5], [0.0, -0.5]]]]> : tensor<16x2x2x2xf32>
  %in45 = arith.constant dense<[-0.5, -2.0, -1.5, 0.0, 1.25, 1.5, -0.25, -1.75, -1.75, -0.75, 0.25, 0.75, -1.0, -1.5, 0.75, -1.0]> : tensor<16xf32>
  %fb = fuse.conv %in43, %in44, %in45 : (tensor<1x2x3x3xf32>, tensor<16x2x2x2xf32>, tensor<16xf32>) -> tensor<1x16x2x2xf32>
  %u43 = tensor.cast %fb : tensor<1x16x2x2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u43) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 16, 2, 2]
  // EXEC-NEXT: [-6.6875, -3.3125]
  // EXEC-NEXT: [4, -5]
  // EXEC-NEXT: [-6.1875, 5.5]
  // EXEC-NEXT: [-3.0625, -7]
  // EXEC-NEXT: [-0.5625, -5.375]
  // EXEC-NEXT: [3.5625, 2.0625]
  // EXEC-NEXT: [3.3125, -2.75]
  // EXEC-NEXT: [2.75, 10.375]
  // EXEC-NEXT: [-5.125, 0.625]
  // EXEC-NEXT: [2.3125, 7.8125]
  // EXEC-NEXT: [5.9375, -3.375]
  // EXEC-NEXT: [2.3125, 2.125]
  // EXEC-NEXT: [-2.1875, 3.125]
  // EXEC-NEXT: [0, -12.875]
  // EXEC-NEXT: [-8.5, -7.375]
  // EXEC-NEXT: [3.25, -3.9375]
  // EXEC-NEXT: [6.125, -4.625]
  // EXEC-NEXT: [2.4375, 2.4375]
  // EXEC-NEXT: [-0.8125, 0.75]
  // EXEC-NEXT: [2.125, -4.25]
  // EXEC-NEXT: [0.375, 1.0625]
  // EXEC-NEXT: [2.6875, 3.8125]
  // EXEC-NEXT: [-6.25, -1.625]
  // EXEC-NEXT: [-2.0625, -4.375]
  // EXEC-NEXT: [0, -0.4375]
  // EXEC-NEXT: [1.5625, 0.0625]
  // EXEC-NEXT: [2.5, -6.4375]
  // EXEC-NEXT: [-1.9375, -0.8125]
  // EXEC-NEXT: [-6.5625, 0.3125]
  // EXEC-NEXT: [0, 1.875]
  // EXEC-NEXT: [-2.25, -4.3125]
  // EXEC-NEXT: [-2, -1.9375]

  return
}
