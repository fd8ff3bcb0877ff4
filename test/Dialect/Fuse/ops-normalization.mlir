// Round trip of the normalization fuse ops: softmax, log_softmax,
// layer_norm (with and without scale and bias) and batch_norm.
// RUN: fuse-opt %s | fuse-opt | FileCheck %s
// RUN: fuse-opt %s --mlir-print-op-generic | fuse-opt | FileCheck %s

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x16x64xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4x10xf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<7xbf16>) -> (tensor<2x16x64xf32>, tensor<4x10xf16>, tensor<7xbf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.softmax %[[ARG0]] {axis = 2 : i64} : tensor<2x16x64xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.softmax %[[V0]] {axis = 0 : i64} : tensor<2x16x64xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.log_softmax %[[V1]] {axis = 1 : i64} : tensor<2x16x64xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.softmax %[[ARG1]] {axis = 1 : i64} : tensor<4x10xf16>
// CHECK-NEXT: %[[V4:.*]] = fuse.log_softmax %[[V3]] {axis = 0 : i64} : tensor<4x10xf16>
// CHECK-NEXT: %[[V5:.*]] = fuse.log_softmax %[[ARG2]] {axis = 0 : i64} : tensor<7xbf16>
// CHECK-NEXT: return %[[V2]], %[[V4]], %[[V5]] : tensor<2x16x64xf32>, tensor<4x10xf16>, tensor<7xbf16>
func.func @softmax(%x: tensor<2x16x64xf32>, %h: tensor<4x10xf16>, %b: tensor<7xbf16>) -> (tensor<2x16x64xf32>, tensor<4x10xf16>, tensor<7xbf16>) {
  %0 = fuse.softmax %x {axis = 2 : i64} : tensor<2x16x64xf32>
  %1 = fuse.softmax %0 {axis = 0 : i64} : tensor<2x16x64xf32>
  %2 = fuse.log_softmax %1 {axis = 1 : i64} : tensor<2x16x64xf32>
  %3 = fuse.softmax %h {axis = 1 : i64} : tensor<4x10xf16>
  %4 = fuse.log_softmax %3 {axis = 0 : i64} : tensor<4x10xf16>
  %5 = fuse.log_softmax %b {axis = 0 : i64} : tensor<7xbf16>
  return %2, %4, %5 : tensor<2x16x64xf32>, tensor<4x10xf16>, tensor<7xbf16>
}

// scale and bias are optional and broadcast to input.shape[axis:]; the
// default epsilon (1e-5) is not printed.
// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x16x64xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<16x64xf32>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<1x64xf32>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<1xf32>) -> tensor<2x16x64xf32>
// CHECK-NEXT: %[[V0:.*]] = fuse.layer_norm %[[ARG0]] scale %[[ARG1]] bias %[[ARG2]] {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.layer_norm %[[V0]] {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.layer_norm %[[V1]] scale %[[ARG1]] {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.layer_norm %[[V2]] bias %[[ARG2]] {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.layer_norm %[[V3]] scale %[[ARG3]] bias %[[ARG4]] {axis = 1 : i64} : (tensor<2x16x64xf32>, tensor<16x64xf32>, tensor<1x64xf32>) -> tensor<2x16x64xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.layer_norm %[[V4]] scale %[[ARG5]] {axis = 0 : i64} : (tensor<2x16x64xf32>, tensor<1xf32>) -> tensor<2x16x64xf32>
// CHECK-NEXT: return %[[V5]] : tensor<2x16x64xf32>
func.func @layer_norm(%x: tensor<2x16x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %g2: tensor<16x64xf32>, %b2: tensor<1x64xf32>, %s: tensor<1xf32>) -> tensor<2x16x64xf32> {
  %0 = fuse.layer_norm %x scale %g bias %b {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  %1 = fuse.layer_norm %0 {axis = 1 : i64, epsilon = 1.0e-06 : f32} : (tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
  %2 = fuse.layer_norm %1 scale %g {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  %3 = fuse.layer_norm %2 bias %b {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  %4 = fuse.layer_norm %3 scale %g2 bias %b2 {axis = 1 : i64} : (tensor<2x16x64xf32>, tensor<16x64xf32>, tensor<1x64xf32>) -> tensor<2x16x64xf32>
  %5 = fuse.layer_norm %4 scale %s {axis = 0 : i64, epsilon = 1.0e-05 : f32} : (tensor<2x16x64xf32>, tensor<1xf32>) -> tensor<2x16x64xf32>
  return %5 : tensor<2x16x64xf32>
}

// CHECK-LABEL: func.func @layer_norm_half(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<3x8xf16>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<8xf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<4xbf16>) -> (tensor<3x8xf16>, tensor<4xbf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.layer_norm %[[ARG0]] scale %[[ARG1]] bias %[[ARG1]] {axis = 1 : i64, epsilon = 1.000000e-03 : f32} : (tensor<3x8xf16>, tensor<8xf16>, tensor<8xf16>) -> tensor<3x8xf16>
// CHECK-NEXT: %[[V1:.*]] = fuse.layer_norm %[[ARG2]] {axis = 0 : i64} : (tensor<4xbf16>) -> tensor<4xbf16>
// CHECK-NEXT: return %[[V0]], %[[V1]] : tensor<3x8xf16>, tensor<4xbf16>
func.func @layer_norm_half(%x: tensor<3x8xf16>, %g: tensor<8xf16>, %y: tensor<4xbf16>) -> (tensor<3x8xf16>, tensor<4xbf16>) {
  %0 = fuse.layer_norm %x scale %g bias %g {axis = 1 : i64, epsilon = 1.0e-03 : f32} : (tensor<3x8xf16>, tensor<8xf16>, tensor<8xf16>) -> tensor<3x8xf16>
  %1 = fuse.layer_norm %y {axis = 0 : i64} : (tensor<4xbf16>) -> tensor<4xbf16>
  return %0, %1 : tensor<3x8xf16>, tensor<4xbf16>
}

// Per-channel parameters of shape [C] on input [N, C, ...].
// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x4x4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<8xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x8x4x4xf16>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<8xf16>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<5x3xf32>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[ARG6:[a-zA-Z0-9_]+]]: tensor<2x4x2x2x2xbf16>, %[[ARG7:[a-zA-Z0-9_]+]]: tensor<4xbf16>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf16>, tensor<5x3xf32>, tensor<2x4x2x2x2xbf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.batch_norm %[[ARG0]], %[[ARG1]], %[[ARG1]], %[[ARG1]], %[[ARG1]] : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.batch_norm %[[ARG2]], %[[ARG3]], %[[ARG3]], %[[ARG3]], %[[ARG3]] {epsilon = 1.000000e-03 : f32} : (tensor<1x8x4x4xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>) -> tensor<1x8x4x4xf16>
// CHECK-NEXT: %[[V2:.*]] = fuse.batch_norm %[[ARG4]], %[[ARG5]], %[[ARG5]], %[[ARG5]], %[[ARG5]] : (tensor<5x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.batch_norm %[[ARG6]], %[[ARG7]], %[[ARG7]], %[[ARG7]], %[[ARG7]] : (tensor<2x4x2x2x2xbf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>) -> tensor<2x4x2x2x2xbf16>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf16>, tensor<5x3xf32>, tensor<2x4x2x2x2xbf16>
func.func @batch_norm(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>, %y: tensor<1x8x4x4xf16>, %ch: tensor<8xf16>, %z: tensor<5x3xf32>, %cz: tensor<3xf32>, %w: tensor<2x4x2x2x2xbf16>, %cw: tensor<4xbf16>) -> (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf16>, tensor<5x3xf32>, tensor<2x4x2x2x2xbf16>) {
  %0 = fuse.batch_norm %x, %c, %c, %c, %c : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = fuse.batch_norm %y, %ch, %ch, %ch, %ch {epsilon = 1.0e-03 : f32} : (tensor<1x8x4x4xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>) -> tensor<1x8x4x4xf16>
  %2 = fuse.batch_norm %z, %cz, %cz, %cz, %cz : (tensor<5x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  %3 = fuse.batch_norm %w, %cw, %cw, %cw, %cw {epsilon = 1.0e-05 : f32} : (tensor<2x4x2x2x2xbf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>) -> tensor<2x4x2x2x2xbf16>
  return %0, %1, %2, %3 : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf16>, tensor<5x3xf32>, tensor<2x4x2x2x2xbf16>
}
