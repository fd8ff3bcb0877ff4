// Round trip of the contraction fuse ops: matmul, conv, conv_transpose and
// attention. Each result type below was derived by hand from the op's shape
// rule (see the comments) and is also what the verifier infers.
// RUN: fuse-opt %s | fuse-opt | FileCheck %s
// RUN: fuse-opt %s --mlir-print-op-generic | fuse-opt | FileCheck %s

// [M, K] x [K, N]; batch dims broadcast (8x1 with 5 -> 8x5); transpose_a
// and transpose_b swap the last two dims of an operand first; a rank-2
// operand broadcasts against a batched one. transpose_a = false is the
// default and is not printed.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4x8xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<8x16xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<8x1x16x32xbf16>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<5x64x32xbf16>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<3x8x4xf32>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<8x5xf32>, %[[ARG6:[a-zA-Z0-9_]+]]: tensor<2x6x3xf16>, %[[ARG7:[a-zA-Z0-9_]+]]: tensor<2x7x6xf16>, %[[ARG8:[a-zA-Z0-9_]+]]: tensor<2x3xi32>, %[[ARG9:[a-zA-Z0-9_]+]]: tensor<3x2xi32>, %[[ARG10:[a-zA-Z0-9_]+]]: tensor<2x8x3xf32>) -> (tensor<4x16xf32>, tensor<8x5x16x64xbf16>, tensor<3x4x5xf32>, tensor<2x3x7xf16>, tensor<2x2xi32>, tensor<2x4x3xf32>, tensor<4x16xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.matmul %[[ARG0]], %[[ARG1]] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.matmul %[[ARG2]], %[[ARG3]] {transpose_b = true} : (tensor<8x1x16x32xbf16>, tensor<5x64x32xbf16>) -> tensor<8x5x16x64xbf16>
// CHECK-NEXT: %[[V2:.*]] = fuse.matmul %[[ARG4]], %[[ARG5]] {transpose_a = true} : (tensor<3x8x4xf32>, tensor<8x5xf32>) -> tensor<3x4x5xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.matmul %[[ARG6]], %[[ARG7]] {transpose_a = true, transpose_b = true} : (tensor<2x6x3xf16>, tensor<2x7x6xf16>) -> tensor<2x3x7xf16>
// CHECK-NEXT: %[[V4:.*]] = fuse.matmul %[[ARG8]], %[[ARG9]] : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<2x2xi32>
// CHECK-NEXT: %[[V5:.*]] = fuse.matmul %[[ARG0]], %[[ARG10]] : (tensor<4x8xf32>, tensor<2x8x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %[[V6:.*]] = fuse.matmul %[[ARG0]], %[[ARG1]] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]] : tensor<4x16xf32>, tensor<8x5x16x64xbf16>, tensor<3x4x5xf32>, tensor<2x3x7xf16>, tensor<2x2xi32>, tensor<2x4x3xf32>, tensor<4x16xf32>
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<8x1x16x32xbf16>, %d: tensor<5x64x32xbf16>, %e: tensor<3x8x4xf32>, %f: tensor<8x5xf32>, %g: tensor<2x6x3xf16>, %h: tensor<2x7x6xf16>, %i: tensor<2x3xi32>, %j: tensor<3x2xi32>, %k: tensor<2x8x3xf32>) -> (tensor<4x16xf32>, tensor<8x5x16x64xbf16>, tensor<3x4x5xf32>, tensor<2x3x7xf16>, tensor<2x2xi32>, tensor<2x4x3xf32>, tensor<4x16xf32>) {
  %0 = fuse.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = fuse.matmul %c, %d {transpose_b = true} : (tensor<8x1x16x32xbf16>, tensor<5x64x32xbf16>) -> tensor<8x5x16x64xbf16>
  %2 = fuse.matmul %e, %f {transpose_a = true} : (tensor<3x8x4xf32>, tensor<8x5xf32>) -> tensor<3x4x5xf32>
  %3 = fuse.matmul %g, %h {transpose_a = true, transpose_b = true} : (tensor<2x6x3xf16>, tensor<2x7x6xf16>) -> tensor<2x3x7xf16>
  %4 = fuse.matmul %i, %j : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<2x2xi32>
  %5 = fuse.matmul %a, %k : (tensor<4x8xf32>, tensor<2x8x3xf32>) -> tensor<2x4x3xf32>
  %6 = fuse.matmul %a, %b {transpose_a = false} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4x16xf32>, tensor<8x5x16x64xbf16>, tensor<3x4x5xf32>, tensor<2x3x7xf16>, tensor<2x2xi32>, tensor<2x4x3xf32>, tensor<4x16xf32>
}

// out = (in + pad_begin + pad_end - dilation * (k - 1) - 1) / stride + 1.
// CHECK-LABEL: func.func @conv_2d(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x3x32x32xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<16x3x3x3xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<16xf32>) -> (tensor<1x16x16x16xf32>, tensor<1x16x30x30xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.conv %[[ARG0]], %[[ARG1]], %[[ARG2]] {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.conv %[[ARG0]], %[[ARG1]] : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]] : tensor<1x16x16x16xf32>, tensor<1x16x30x30xf32>
func.func @conv_2d(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> (tensor<1x16x16x16xf32>, tensor<1x16x30x30xf32>) {
  // (32 + 1 + 1 - 3) / 2 + 1 = 16
  %0 = fuse.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  // No attributes: stride 1, no pads: 32 - 3 + 1 = 30
  %1 = fuse.conv %x, %w : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return %0, %1 : tensor<1x16x16x16xf32>, tensor<1x16x30x30xf32>
}

// CHECK-LABEL: func.func @conv_1d_3d(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x4x10xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<6x4x3xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x2x8x8x8xf16>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4x2x3x3x3xf16>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<4xf16>) -> (tensor<2x6x6xf32>, tensor<1x4x8x4x4xf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.conv %[[ARG0]], %[[ARG1]] {dilations = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x6xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.conv %[[ARG2]], %[[ARG3]], %[[ARG4]] {pads = array<i64: 1, 1, 1, 1, 1, 1>, strides = array<i64: 1, 2, 2>} : (tensor<1x2x8x8x8xf16>, tensor<4x2x3x3x3xf16>, tensor<4xf16>) -> tensor<1x4x8x4x4xf16>
// CHECK-NEXT: return %[[V0]], %[[V1]] : tensor<2x6x6xf32>, tensor<1x4x8x4x4xf16>
func.func @conv_1d_3d(%x1: tensor<2x4x10xf32>, %w1: tensor<6x4x3xf32>, %x3: tensor<1x2x8x8x8xf16>, %w3: tensor<4x2x3x3x3xf16>, %b3: tensor<4xf16>) -> (tensor<2x6x6xf32>, tensor<1x4x8x4x4xf16>) {
  // 1-D, dilation 2: (10 - 2 * 2 - 1) / 1 + 1 = 6
  %0 = fuse.conv %x1, %w1 {dilations = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x6xf32>
  // 3-D: depth (8 + 2 - 3) / 1 + 1 = 8, height/width (8 + 2 - 3) / 2 + 1 = 4
  %1 = fuse.conv %x3, %w3, %b3 {pads = array<i64: 1, 1, 1, 1, 1, 1>, strides = array<i64: 1, 2, 2>} : (tensor<1x2x8x8x8xf16>, tensor<4x2x3x3x3xf16>, tensor<4xf16>) -> tensor<1x4x8x4x4xf16>
  return %0, %1 : tensor<2x6x6xf32>, tensor<1x4x8x4x4xf16>
}

// CHECK-LABEL: func.func @conv_grouped(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x32x28x28xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<64x8x3x3xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<1x8x9x9xbf16>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<8x1x3x3xbf16>) -> (tensor<1x64x28x28xf32>, tensor<1x8x4x4xbf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.conv %[[ARG0]], %[[ARG1]], %[[ARG2]] {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x32x28x28xf32>, tensor<64x8x3x3xf32>, tensor<64xf32>) -> tensor<1x64x28x28xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.conv %[[ARG3]], %[[ARG4]] {groups = 8 : i64, strides = array<i64: 2, 2>} : (tensor<1x8x9x9xbf16>, tensor<8x1x3x3xbf16>) -> tensor<1x8x4x4xbf16>
// CHECK-NEXT: return %[[V0]], %[[V1]] : tensor<1x64x28x28xf32>, tensor<1x8x4x4xbf16>
func.func @conv_grouped(%x: tensor<1x32x28x28xf32>, %w: tensor<64x8x3x3xf32>, %b: tensor<64xf32>, %d: tensor<1x8x9x9xbf16>, %dw: tensor<8x1x3x3xbf16>) -> (tensor<1x64x28x28xf32>, tensor<1x8x4x4xbf16>) {
  // 4 groups of 8 input channels: weight [64, 32 / 4, 3, 3]
  %0 = fuse.conv %x, %w, %b {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x32x28x28xf32>, tensor<64x8x3x3xf32>, tensor<64xf32>) -> tensor<1x64x28x28xf32>
  // depthwise, stride 2: (9 - 3) / 2 + 1 = 4
  %1 = fuse.conv %d, %dw {groups = 8 : i64, strides = array<i64: 2, 2>} : (tensor<1x8x9x9xbf16>, tensor<8x1x3x3xbf16>) -> tensor<1x8x4x4xbf16>
  return %0, %1 : tensor<1x64x28x28xf32>, tensor<1x8x4x4xbf16>
}

// CHECK-LABEL: func.func @conv_geometry(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x1x5x5xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<2x1x2x2xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x1x10x10xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<1x1x3x3xf32>) -> (tensor<1x2x6x5xf32>, tensor<1x1x6x2xf32>, tensor<1x1x1x1xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.conv %[[ARG0]], %[[ARG1]] {pads = array<i64: 0, 1, 2, 0>} : (tensor<1x1x5x5xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x6x5xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.conv %[[ARG2]], %[[ARG3]] {dilations = array<i64: 2, 3>, strides = array<i64: 1, 2>} : (tensor<1x1x10x10xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x2xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.conv %[[ARG3]], %[[ARG3]] : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]] : tensor<1x2x6x5xf32>, tensor<1x1x6x2xf32>, tensor<1x1x1x1xf32>
func.func @conv_geometry(%x: tensor<1x1x5x5xf32>, %w: tensor<2x1x2x2xf32>, %y: tensor<1x1x10x10xf32>, %v: tensor<1x1x3x3xf32>) -> (tensor<1x2x6x5xf32>, tensor<1x1x6x2xf32>, tensor<1x1x1x1xf32>) {
  // pads are all begins then all ends: H pads 0+2, W pads 1+0:
  // H = 5 + 0 + 2 - 2 + 1 = 6, W = 5 + 1 + 0 - 2 + 1 = 5
  %0 = fuse.conv %x, %w {pads = array<i64: 0, 1, 2, 0>} : (tensor<1x1x5x5xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x6x5xf32>
  // H: dilation 2, stride 1: 10 - 2 * 2 - 1 = 5 -> 6;
  // W: dilation 3, stride 2: (10 - 3 * 2 - 1) / 2 + 1 = 2
  %1 = fuse.conv %y, %v {dilations = array<i64: 2, 3>, strides = array<i64: 1, 2>} : (tensor<1x1x10x10xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x6x2xf32>
  // kernel as large as the input: one output
  %2 = fuse.conv %v, %v : (tensor<1x1x3x3xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x1x1xf32>
  return %0, %1, %2 : tensor<1x2x6x5xf32>, tensor<1x1x6x2xf32>, tensor<1x1x1x1xf32>
}

// out = stride * (in - 1) + output_padding + dilation * (k - 1) + 1
//       - pad_begin - pad_end; weight is [C, F / groups, k...].
// CHECK-LABEL: func.func @conv_transpose(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x4x4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<8x4x2x2xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<8x2x3x3xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<1x4x3xf16>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<4x6x3xf16>, %[[ARG6:[a-zA-Z0-9_]+]]: tensor<6xf16>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x6x7xf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.conv_transpose %[[ARG0]], %[[ARG1]] {strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.conv_transpose %[[ARG0]], %[[ARG2]], %[[ARG3]] {groups = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.conv_transpose %[[ARG4]], %[[ARG5]], %[[ARG6]] {dilations = array<i64: 2>} : (tensor<1x4x3xf16>, tensor<4x6x3xf16>, tensor<6xf16>) -> tensor<1x6x7xf16>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]] : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x6x7xf16>
func.func @conv_transpose(%x: tensor<1x8x4x4xf32>, %w: tensor<8x4x2x2xf32>, %wg: tensor<8x2x3x3xf32>, %b: tensor<4xf32>, %x1: tensor<1x4x3xf16>, %w1: tensor<4x6x3xf16>, %b1: tensor<6xf16>) -> (tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x6x7xf16>) {
  // 2 * 3 + 0 + 1 * 1 + 1 = 8
  %0 = fuse.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32>
  // F = 2 * 2 groups = 4; 2 * 3 + 1 + 1 * 2 + 1 - 1 - 1 = 8
  %1 = fuse.conv_transpose %x, %wg, %b {groups = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  // 1-D, dilation 2: 1 * 2 + 0 + 2 * 2 + 1 = 7
  %2 = fuse.conv_transpose %x1, %w1, %b1 {dilations = array<i64: 2>} : (tensor<1x4x3xf16>, tensor<4x6x3xf16>, tensor<6xf16>) -> tensor<1x6x7xf16>
  return %0, %1, %2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>, tensor<1x6x7xf16>
}

// CHECK-LABEL: func.func @conv_transpose_geometry(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x2x2x2x2xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<2x3x1x1x1xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x1x4x4xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<1x1x3x3xf32>) -> (tensor<1x3x3x3x3xf32>, tensor<1x1x5x4xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.conv_transpose %[[ARG0]], %[[ARG1]] {strides = array<i64: 2, 2, 2>} : (tensor<1x2x2x2x2xf32>, tensor<2x3x1x1x1xf32>) -> tensor<1x3x3x3x3xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.conv_transpose %[[ARG2]], %[[ARG3]] {pads = array<i64: 1, 0, 0, 2>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x4xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]] : tensor<1x3x3x3x3xf32>, tensor<1x1x5x4xf32>
func.func @conv_transpose_geometry(%x: tensor<1x2x2x2x2xf32>, %w: tensor<2x3x1x1x1xf32>, %y: tensor<1x1x4x4xf32>, %v: tensor<1x1x3x3xf32>) -> (tensor<1x3x3x3x3xf32>, tensor<1x1x5x4xf32>) {
  // 3-D, stride 2: 2 * 1 + 0 + 0 + 1 = 3
  %0 = fuse.conv_transpose %x, %w {strides = array<i64: 2, 2, 2>} : (tensor<1x2x2x2x2xf32>, tensor<2x3x1x1x1xf32>) -> tensor<1x3x3x3x3xf32>
  // H pads 1+0: 3 + 2 + 1 - 1 = 5; W pads 0+2: 3 + 2 + 1 - 2 = 4
  %1 = fuse.conv_transpose %y, %v {pads = array<i64: 1, 0, 0, 2>} : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x5x4xf32>
  return %0, %1 : tensor<1x3x3x3x3xf32>, tensor<1x1x5x4xf32>
}

// query [..., S, D], key [..., L, D], value [..., L, Dv] -> [..., S, Dv];
// the mask broadcasts to the scores [..., S, L].
// CHECK-LABEL: func.func @attention(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x128x64xf16>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1x8x256x64xf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x8x256x32xf16>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<1x1x128x256xf16>) -> (tensor<1x8x128x32xf16>, tensor<1x8x128x32xf16>, tensor<1x8x128x32xf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.attention %[[ARG0]], %[[ARG1]], %[[ARG2]] : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>) -> tensor<1x8x128x32xf16>
// CHECK-NEXT: %[[V1:.*]] = fuse.attention %[[ARG0]], %[[ARG1]], %[[ARG2]] mask %[[ARG3]] {causal = true, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>, tensor<1x1x128x256xf16>) -> tensor<1x8x128x32xf16>
// CHECK-NEXT: %[[V2:.*]] = fuse.attention %[[ARG0]], %[[ARG1]], %[[ARG2]] : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>) -> tensor<1x8x128x32xf16>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]] : tensor<1x8x128x32xf16>, tensor<1x8x128x32xf16>, tensor<1x8x128x32xf16>
func.func @attention(%q: tensor<1x8x128x64xf16>, %k: tensor<1x8x256x64xf16>, %v: tensor<1x8x256x32xf16>, %m: tensor<1x1x128x256xf16>) -> (tensor<1x8x128x32xf16>, tensor<1x8x128x32xf16>, tensor<1x8x128x32xf16>) {
  %0 = fuse.attention %q, %k, %v : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>) -> tensor<1x8x128x32xf16>
  %1 = fuse.attention %q, %k, %v mask %m {causal = true, scale = 0.125 : f32} : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>, tensor<1x1x128x256xf16>) -> tensor<1x8x128x32xf16>
  %2 = fuse.attention %q, %k, %v {causal = false} : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>) -> tensor<1x8x128x32xf16>
  return %0, %1, %2 : tensor<1x8x128x32xf16>, tensor<1x8x128x32xf16>, tensor<1x8x128x32xf16>
}

// CHECK-LABEL: func.func @attention_small(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4x8xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<6x8xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<6x5xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<6xf32>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<2x3x4xbf16>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<1x1xbf16>) -> (tensor<4x5xf32>, tensor<2x3x4xbf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.attention %[[ARG0]], %[[ARG1]], %[[ARG2]] mask %[[ARG3]] : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<6x5xf32>, tensor<6xf32>) -> tensor<4x5xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.attention %[[ARG4]], %[[ARG4]], %[[ARG4]] mask %[[ARG5]] {causal = true} : (tensor<2x3x4xbf16>, tensor<2x3x4xbf16>, tensor<2x3x4xbf16>, tensor<1x1xbf16>) -> tensor<2x3x4xbf16>
// CHECK-NEXT: return %[[V0]], %[[V1]] : tensor<4x5xf32>, tensor<2x3x4xbf16>
func.func @attention_small(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x5xf32>, %m: tensor<6xf32>, %q3: tensor<2x3x4xbf16>, %m3: tensor<1x1xbf16>) -> (tensor<4x5xf32>, tensor<2x3x4xbf16>) {
  // rank 2; a [L] mask broadcasts to the 4x6 scores
  %0 = fuse.attention %q, %k, %v mask %m : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<6x5xf32>, tensor<6xf32>) -> tensor<4x5xf32>
  // rank 3, causal, scalar-like mask
  %1 = fuse.attention %q3, %q3, %q3 mask %m3 {causal = true} : (tensor<2x3x4xbf16>, tensor<2x3x4xbf16>, tensor<2x3x4xbf16>, tensor<1x1xbf16>) -> tensor<2x3x4xbf16>
  return %0, %1 : tensor<4x5xf32>, tensor<2x3x4xbf16>
}
