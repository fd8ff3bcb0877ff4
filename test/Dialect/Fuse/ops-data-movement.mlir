// Round trip of the data-movement fuse ops: transpose, reshape, concat,
// split, slice, gather, expand, pad (every mode), resize, tile, and
// constants (dense and dense_resource). Result types are derived by hand
// (see the comments) and are also what the verifier infers.
// RUN: fuse-opt %s | fuse-opt | FileCheck %s
// RUN: fuse-opt %s --mlir-print-op-generic | fuse-opt | FileCheck %s

// output.shape[i] = input.shape[perm[i]]
// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1x3x8x8xf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<5x7xi64>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<f32>) -> (tensor<2x4x3xf32>, tensor<4x2x3xf32>, tensor<1x8x8x3xf16>, tensor<7x5xi64>, tensor<2x3x4xf32>, tensor<f32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.transpose %[[ARG0]] {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.transpose %[[ARG0]] {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.transpose %[[ARG1]] {perm = array<i64: 0, 2, 3, 1>} : tensor<1x3x8x8xf16> -> tensor<1x8x8x3xf16>
// CHECK-NEXT: %[[V3:.*]] = fuse.transpose %[[ARG2]] {perm = array<i64: 1, 0>} : tensor<5x7xi64> -> tensor<7x5xi64>
// CHECK-NEXT: %[[V4:.*]] = fuse.transpose %[[ARG0]] {perm = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.transpose %[[ARG3]] {perm = array<i64>} : tensor<f32> -> tensor<f32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]] : tensor<2x4x3xf32>, tensor<4x2x3xf32>, tensor<1x8x8x3xf16>, tensor<7x5xi64>, tensor<2x3x4xf32>, tensor<f32>
func.func @transpose(%x: tensor<2x3x4xf32>, %n: tensor<1x3x8x8xf16>, %i: tensor<5x7xi64>, %s: tensor<f32>) -> (tensor<2x4x3xf32>, tensor<4x2x3xf32>, tensor<1x8x8x3xf16>, tensor<7x5xi64>, tensor<2x3x4xf32>, tensor<f32>) {
  %0 = fuse.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = fuse.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %2 = fuse.transpose %n {perm = array<i64: 0, 2, 3, 1>} : tensor<1x3x8x8xf16> -> tensor<1x8x8x3xf16>
  %3 = fuse.transpose %i {perm = array<i64: 1, 0>} : tensor<5x7xi64> -> tensor<7x5xi64>
  %4 = fuse.transpose %x {perm = array<i64: 0, 1, 2>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %5 = fuse.transpose %s {perm = array<i64>} : tensor<f32> -> tensor<f32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x4x3xf32>, tensor<4x2x3xf32>, tensor<1x8x8x3xf16>, tensor<7x5xi64>, tensor<2x3x4xf32>, tensor<f32>
}

// Element counts match: 24 = 6 * 4 = 1 * 24 * 1; 1 = 1 * 1; 0 = 0 * 5.
// CHECK-LABEL: func.func @reshape(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<f32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<4xi1>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<0x3xi32>) -> (tensor<6x4xf32>, tensor<24xf32>, tensor<1x24x1xf32>, tensor<1x1xf32>, tensor<2x2xi1>, tensor<5x0xi32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.reshape %[[ARG0]] : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.reshape %[[ARG0]] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.reshape %[[V1]] : tensor<24xf32> -> tensor<1x24x1xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.reshape %[[ARG1]] : tensor<f32> -> tensor<1x1xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.reshape %[[ARG2]] : tensor<4xi1> -> tensor<2x2xi1>
// CHECK-NEXT: %[[V5:.*]] = fuse.reshape %[[ARG3]] : tensor<0x3xi32> -> tensor<5x0xi32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]] : tensor<6x4xf32>, tensor<24xf32>, tensor<1x24x1xf32>, tensor<1x1xf32>, tensor<2x2xi1>, tensor<5x0xi32>
func.func @reshape(%x: tensor<2x3x4xf32>, %s: tensor<f32>, %b: tensor<4xi1>, %e: tensor<0x3xi32>) -> (tensor<6x4xf32>, tensor<24xf32>, tensor<1x24x1xf32>, tensor<1x1xf32>, tensor<2x2xi1>, tensor<5x0xi32>) {
  %0 = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %2 = fuse.reshape %1 : tensor<24xf32> -> tensor<1x24x1xf32>
  %3 = fuse.reshape %s : tensor<f32> -> tensor<1x1xf32>
  %4 = fuse.reshape %b : tensor<4xi1> -> tensor<2x2xi1>
  %5 = fuse.reshape %e : tensor<0x3xi32> -> tensor<5x0xi32>
  return %0, %1, %2, %3, %4, %5 : tensor<6x4xf32>, tensor<24xf32>, tensor<1x24x1xf32>, tensor<1x1xf32>, tensor<2x2xi1>, tensor<5x0xi32>
}

// CHECK-LABEL: func.func @concat(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<2x5xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x3xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4x3xf32>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<3xi64>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<0xi64>) -> (tensor<2x8xf32>, tensor<7x3xf32>, tensor<2x3xf32>, tensor<6xi64>)
// CHECK-NEXT: %[[V0:.*]] = fuse.concat %[[ARG0]], %[[ARG1]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.concat %[[ARG0]], %[[ARG2]], %[[ARG3]] {axis = 0 : i64} : (tensor<2x3xf32>, tensor<1x3xf32>, tensor<4x3xf32>) -> tensor<7x3xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.concat %[[ARG0]] {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.concat %[[ARG4]], %[[ARG5]], %[[ARG4]] {axis = 0 : i64} : (tensor<3xi64>, tensor<0xi64>, tensor<3xi64>) -> tensor<6xi64>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<2x8xf32>, tensor<7x3xf32>, tensor<2x3xf32>, tensor<6xi64>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<1x3xf32>, %d: tensor<4x3xf32>, %i: tensor<3xi64>, %e: tensor<0xi64>) -> (tensor<2x8xf32>, tensor<7x3xf32>, tensor<2x3xf32>, tensor<6xi64>) {
  // 3 + 5 = 8 along axis 1
  %0 = fuse.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  // 2 + 1 + 4 = 7 along axis 0
  %1 = fuse.concat %a, %c, %d {axis = 0 : i64} : (tensor<2x3xf32>, tensor<1x3xf32>, tensor<4x3xf32>) -> tensor<7x3xf32>
  %2 = fuse.concat %a {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // 3 + 0 + 3 = 6
  %3 = fuse.concat %i, %e, %i {axis = 0 : i64} : (tensor<3xi64>, tensor<0xi64>, tensor<3xi64>) -> tensor<6xi64>
  return %0, %1, %2, %3 : tensor<2x8xf32>, tensor<7x3xf32>, tensor<2x3xf32>, tensor<6xi64>
}

// CHECK-LABEL: func.func @split(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4x8xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<6xi32>) -> (tensor<4x2xf32>, tensor<4x6xf32>, tensor<1x8xf32>, tensor<3x8xf32>, tensor<2xi32>, tensor<0xi32>, tensor<4xi32>, tensor<6xi32>)
// CHECK-NEXT: %[[V0:.*]]:2 = fuse.split %[[ARG0]] {axis = 1 : i64, sizes = array<i64: 2, 6>} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x6xf32>
// CHECK-NEXT: %[[V1:.*]]:2 = fuse.split %[[ARG0]] {axis = 0 : i64, sizes = array<i64: 1, 3>} : tensor<4x8xf32> -> tensor<1x8xf32>, tensor<3x8xf32>
// CHECK-NEXT: %[[V2:.*]]:3 = fuse.split %[[ARG1]] {axis = 0 : i64, sizes = array<i64: 2, 0, 4>} : tensor<6xi32> -> tensor<2xi32>, tensor<0xi32>, tensor<4xi32>
// CHECK-NEXT: %[[V3:.*]] = fuse.split %[[ARG1]] {axis = 0 : i64, sizes = array<i64: 6>} : tensor<6xi32> -> tensor<6xi32>
// CHECK-NEXT: return %[[V0]]#0, %[[V0]]#1, %[[V1]]#0, %[[V1]]#1, %[[V2]]#0, %[[V2]]#1, %[[V2]]#2, %[[V3]] : tensor<4x2xf32>, tensor<4x6xf32>, tensor<1x8xf32>, tensor<3x8xf32>, tensor<2xi32>, tensor<0xi32>, tensor<4xi32>, tensor<6xi32>
func.func @split(%x: tensor<4x8xf32>, %y: tensor<6xi32>) -> (tensor<4x2xf32>, tensor<4x6xf32>, tensor<1x8xf32>, tensor<3x8xf32>, tensor<2xi32>, tensor<0xi32>, tensor<4xi32>, tensor<6xi32>) {
  %0:2 = fuse.split %x {axis = 1 : i64, sizes = array<i64: 2, 6>} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x6xf32>
  %1:2 = fuse.split %x {axis = 0 : i64, sizes = array<i64: 1, 3>} : tensor<4x8xf32> -> tensor<1x8xf32>, tensor<3x8xf32>
  // a zero-size piece
  %2:3 = fuse.split %y {axis = 0 : i64, sizes = array<i64: 2, 0, 4>} : tensor<6xi32> -> tensor<2xi32>, tensor<0xi32>, tensor<4xi32>
  %3 = fuse.split %y {axis = 0 : i64, sizes = array<i64: 6>} : tensor<6xi32> -> tensor<6xi32>
  return %0#0, %0#1, %1#0, %1#1, %2#0, %2#1, %2#2, %3 : tensor<4x2xf32>, tensor<4x6xf32>, tensor<1x8xf32>, tensor<3x8xf32>, tensor<2xi32>, tensor<0xi32>, tensor<4xi32>, tensor<6xi32>
}

// count = ceil((end - start) / step) for step > 0,
//         ceil((start - end) / -step) for step < 0.
// CHECK-LABEL: func.func @slice(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4x10xf32>) -> (tensor<4x2xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x10xf32>, tensor<4x4xf32>, tensor<2x5xf32>, tensor<4x0xf32>, tensor<4x10xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 1>, ends = array<i64: 4>, starts = array<i64: 2>, steps = array<i64: 1>} : tensor<4x10xf32> -> tensor<4x2xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 1>, ends = array<i64: 8>, starts = array<i64: 2>, steps = array<i64: 2>} : tensor<4x10xf32> -> tensor<4x3xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 1>, ends = array<i64: 10>, starts = array<i64: 0>, steps = array<i64: 3>} : tensor<4x10xf32> -> tensor<4x4xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 9>, steps = array<i64: -1>} : tensor<4x10xf32> -> tensor<4x10xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 1>, ends = array<i64: 1>, starts = array<i64: 8>, steps = array<i64: -2>} : tensor<4x10xf32> -> tensor<4x4xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 1, 0>, ends = array<i64: 5, 3>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<2x5xf32>
// CHECK-NEXT: %[[V6:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 3>, steps = array<i64: 1>} : tensor<4x10xf32> -> tensor<4x0xf32>
// CHECK-NEXT: %[[V7:.*]] = fuse.slice %[[ARG0]] {axes = array<i64>, ends = array<i64>, starts = array<i64>, steps = array<i64>} : tensor<4x10xf32> -> tensor<4x10xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]] : tensor<4x2xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x10xf32>, tensor<4x4xf32>, tensor<2x5xf32>, tensor<4x0xf32>, tensor<4x10xf32>
func.func @slice(%x: tensor<4x10xf32>) -> (tensor<4x2xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x10xf32>, tensor<4x4xf32>, tensor<2x5xf32>, tensor<4x0xf32>, tensor<4x10xf32>) {
  // [2, 4): 2
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 4>, starts = array<i64: 2>, steps = array<i64: 1>} : tensor<4x10xf32> -> tensor<4x2xf32>
  // 2, 4, 6: ceil(6 / 2) = 3
  %1 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 8>, starts = array<i64: 2>, steps = array<i64: 2>} : tensor<4x10xf32> -> tensor<4x3xf32>
  // 0, 3, 6, 9: ceil(10 / 3) = 4
  %2 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 10>, starts = array<i64: 0>, steps = array<i64: 3>} : tensor<4x10xf32> -> tensor<4x4xf32>
  // reverse: 9 down to 0 (end = -1 means through 0): 10
  %3 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 9>, steps = array<i64: -1>} : tensor<4x10xf32> -> tensor<4x10xf32>
  // 8, 6, 4, 2: ceil(7 / 2) = 4
  %4 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 1>, starts = array<i64: 8>, steps = array<i64: -2>} : tensor<4x10xf32> -> tensor<4x4xf32>
  // two axes in any order: dim 0 [1, 3) = 2, dim 1 [0, 5) = 5
  %5 = fuse.slice %x {axes = array<i64: 1, 0>, ends = array<i64: 5, 3>, starts = array<i64: 0, 1>, steps = array<i64: 1, 1>} : tensor<4x10xf32> -> tensor<2x5xf32>
  // empty: start == end
  %6 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 3>, steps = array<i64: 1>} : tensor<4x10xf32> -> tensor<4x0xf32>
  // no axes: identity shape
  %7 = fuse.slice %x {axes = array<i64>, ends = array<i64>, starts = array<i64>, steps = array<i64>} : tensor<4x10xf32> -> tensor<4x10xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4x2xf32>, tensor<4x3xf32>, tensor<4x4xf32>, tensor<4x10xf32>, tensor<4x4xf32>, tensor<2x5xf32>, tensor<4x0xf32>, tensor<4x10xf32>
}

// output.shape = data.shape[:axis] + indices.shape + data.shape[axis+1:]
// CHECK-LABEL: func.func @gather(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<100x16xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<2x5xi64>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<2x3x4xf16>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<i32>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<6xi32>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<5xi1>) -> (tensor<2x5x16xf32>, tensor<2x4xf16>, tensor<2x3x6xf16>, tensor<6xi1>)
// CHECK-NEXT: %[[V0:.*]] = fuse.gather %[[ARG0]], %[[ARG1]] {axis = 0 : i64} : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.gather %[[ARG2]], %[[ARG3]] {axis = 1 : i64} : (tensor<2x3x4xf16>, tensor<i32>) -> tensor<2x4xf16>
// CHECK-NEXT: %[[V2:.*]] = fuse.gather %[[ARG2]], %[[ARG4]] {axis = 2 : i64} : (tensor<2x3x4xf16>, tensor<6xi32>) -> tensor<2x3x6xf16>
// CHECK-NEXT: %[[V3:.*]] = fuse.gather %[[ARG5]], %[[ARG4]] {axis = 0 : i64} : (tensor<5xi1>, tensor<6xi32>) -> tensor<6xi1>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<2x5x16xf32>, tensor<2x4xf16>, tensor<2x3x6xf16>, tensor<6xi1>
func.func @gather(%t: tensor<100x16xf32>, %ids: tensor<2x5xi64>, %x: tensor<2x3x4xf16>, %k: tensor<i32>, %j: tensor<6xi32>, %b: tensor<5xi1>) -> (tensor<2x5x16xf32>, tensor<2x4xf16>, tensor<2x3x6xf16>, tensor<6xi1>) {
  %0 = fuse.gather %t, %ids {axis = 0 : i64} : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
  %1 = fuse.gather %x, %k {axis = 1 : i64} : (tensor<2x3x4xf16>, tensor<i32>) -> tensor<2x4xf16>
  %2 = fuse.gather %x, %j {axis = 2 : i64} : (tensor<2x3x4xf16>, tensor<6xi32>) -> tensor<2x3x6xf16>
  %3 = fuse.gather %b, %j {axis = 0 : i64} : (tensor<5xi1>, tensor<6xi32>) -> tensor<6xi1>
  return %0, %1, %2, %3 : tensor<2x5x16xf32>, tensor<2x4xf16>, tensor<2x3x6xf16>, tensor<6xi1>
}

// CHECK-LABEL: func.func @expand(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<3x1xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1xi64>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<bf16>) -> (tensor<2x3x4xf32>, tensor<5xi64>, tensor<2x4xf32>, tensor<3x3xbf16>, tensor<4xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.expand %[[ARG0]] : tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.expand %[[ARG1]] : tensor<1xi64> -> tensor<5xi64>
// CHECK-NEXT: %[[V2:.*]] = fuse.expand %[[ARG2]] : tensor<4xf32> -> tensor<2x4xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.expand %[[ARG3]] : tensor<bf16> -> tensor<3x3xbf16>
// CHECK-NEXT: %[[V4:.*]] = fuse.expand %[[ARG2]] : tensor<4xf32> -> tensor<4xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]] : tensor<2x3x4xf32>, tensor<5xi64>, tensor<2x4xf32>, tensor<3x3xbf16>, tensor<4xf32>
func.func @expand(%s: tensor<3x1xf32>, %o: tensor<1xi64>, %r: tensor<4xf32>, %z: tensor<bf16>) -> (tensor<2x3x4xf32>, tensor<5xi64>, tensor<2x4xf32>, tensor<3x3xbf16>, tensor<4xf32>) {
  %0 = fuse.expand %s : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %1 = fuse.expand %o : tensor<1xi64> -> tensor<5xi64>
  %2 = fuse.expand %r : tensor<4xf32> -> tensor<2x4xf32>
  %3 = fuse.expand %z : tensor<bf16> -> tensor<3x3xbf16>
  %4 = fuse.expand %r : tensor<4xf32> -> tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3x4xf32>, tensor<5xi64>, tensor<2x4xf32>, tensor<3x3xbf16>, tensor<4xf32>
}

// pads = all begins then all ends; out = dim + begin + end.
// CHECK-LABEL: func.func @pad(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<3xi32>) -> (tensor<2x5x6xf32>, tensor<2x5x7xf32>, tensor<2x3x3xf32>, tensor<2x4x5xf32>, tensor<6xi32>, tensor<2x3x4xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.pad %[[ARG0]] {pads = array<i64: 0, 1, 1, 0, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x5x6xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.pad %[[ARG0]] {mode = #fuse.pad_mode<reflect>, pads = array<i64: 0, 2, 0, 0, 0, 3>} : tensor<2x3x4xf32> -> tensor<2x5x7xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.pad %[[ARG0]] {mode = #fuse.pad_mode<edge>, pads = array<i64: 0, 0, -1, 0, 0, 0>} : tensor<2x3x4xf32> -> tensor<2x3x3xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.pad %[[ARG0]] {pads = array<i64: 0, 0, 0, 0, 1, 1>, value = 1.500000e+00 : f64} : tensor<2x3x4xf32> -> tensor<2x4x5xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.pad %[[ARG1]] {pads = array<i64: 1, 2>, value = -7.000000e+00 : f64} : tensor<3xi32> -> tensor<6xi32>
// CHECK-NEXT: %[[V5:.*]] = fuse.pad %[[ARG0]] {pads = array<i64: 0, 0, 0, 0, 0, 0>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]] : tensor<2x5x6xf32>, tensor<2x5x7xf32>, tensor<2x3x3xf32>, tensor<2x4x5xf32>, tensor<6xi32>, tensor<2x3x4xf32>
func.func @pad(%x: tensor<2x3x4xf32>, %i: tensor<3xi32>) -> (tensor<2x5x6xf32>, tensor<2x5x7xf32>, tensor<2x3x3xf32>, tensor<2x4x5xf32>, tensor<6xi32>, tensor<2x3x4xf32>) {
  // constant (the default mode, value 0): [2, 3 + 1 + 1, 4 + 1 + 1]
  %0 = fuse.pad %x {pads = array<i64: 0, 1, 1, 0, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x5x6xf32>
  // reflect: pads stay below the dim: [2, 3 + 2, 4 + 3]
  %1 = fuse.pad %x {mode = #fuse.pad_mode<reflect>, pads = array<i64: 0, 2, 0, 0, 0, 3>} : tensor<2x3x4xf32> -> tensor<2x5x7xf32>
  // edge with a negative (cropping) pad: [2, 3, 4 - 1]
  %2 = fuse.pad %x {mode = #fuse.pad_mode<edge>, pads = array<i64: 0, 0, -1, 0, 0, 0>} : tensor<2x3x4xf32> -> tensor<2x3x3xf32>
  // explicit constant mode and fill value: [2, 3 + 1, 4 + 1]
  %3 = fuse.pad %x {mode = #fuse.pad_mode<constant>, pads = array<i64: 0, 0, 0, 0, 1, 1>, value = 1.5 : f64} : tensor<2x3x4xf32> -> tensor<2x4x5xf32>
  %4 = fuse.pad %i {pads = array<i64: 1, 2>, value = -7.0 : f64} : tensor<3xi32> -> tensor<6xi32>
  %5 = fuse.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x5x6xf32>, tensor<2x5x7xf32>, tensor<2x3x3xf32>, tensor<2x4x5xf32>, tensor<6xi32>, tensor<2x3x4xf32>
}

// The output shape is the result type; defaults (nearest, half_pixel,
// round_prefer_floor, cubic_coeff_a = -0.75, exclude_outside = false) are
// not printed.
// CHECK-LABEL: func.func @resize(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x4x4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1x1x2x2xi64>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<2x6xf16>) -> (tensor<1x8x8x8xf32>, tensor<1x8x2x2xf32>, tensor<1x8x6x6xf32>, tensor<1x8x8x8xf32>, tensor<1x8x3x5xf32>, tensor<1x1x4x4xi64>, tensor<4x3xf16>, tensor<1x8x8x8xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.resize %[[ARG0]] {coordinate_mode = #fuse.coordinate_mode<asymmetric>, nearest_mode = #fuse.nearest_mode<floor>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.resize %[[ARG0]] {mode = #fuse.resize_mode<linear>, scales = array<f32: 1.000000e+00, 1.000000e+00, 5.000000e-01, 5.000000e-01>} : tensor<1x8x4x4xf32> -> tensor<1x8x2x2xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.resize %[[ARG0]] {coordinate_mode = #fuse.coordinate_mode<align_corners>, cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, mode = #fuse.resize_mode<cubic>} : tensor<1x8x4x4xf32> -> tensor<1x8x6x6xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.resize %[[ARG0]] {coordinate_mode = #fuse.coordinate_mode<pytorch_half_pixel>, mode = #fuse.resize_mode<linear>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.resize %[[ARG0]] {coordinate_mode = #fuse.coordinate_mode<tf_half_pixel_for_nn>, nearest_mode = #fuse.nearest_mode<round_prefer_ceil>} : tensor<1x8x4x4xf32> -> tensor<1x8x3x5xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.resize %[[ARG1]] {nearest_mode = #fuse.nearest_mode<ceil>, scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : tensor<1x1x2x2xi64> -> tensor<1x1x4x4xi64>
// CHECK-NEXT: %[[V6:.*]] = fuse.resize %[[ARG2]] {mode = #fuse.resize_mode<linear>} : tensor<2x6xf16> -> tensor<4x3xf16>
// CHECK-NEXT: %[[V7:.*]] = fuse.resize %[[ARG0]] : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]] : tensor<1x8x8x8xf32>, tensor<1x8x2x2xf32>, tensor<1x8x6x6xf32>, tensor<1x8x8x8xf32>, tensor<1x8x3x5xf32>, tensor<1x1x4x4xi64>, tensor<4x3xf16>, tensor<1x8x8x8xf32>
func.func @resize(%x: tensor<1x8x4x4xf32>, %i: tensor<1x1x2x2xi64>, %h: tensor<2x6xf16>) -> (tensor<1x8x8x8xf32>, tensor<1x8x2x2xf32>, tensor<1x8x6x6xf32>, tensor<1x8x8x8xf32>, tensor<1x8x3x5xf32>, tensor<1x1x4x4xi64>, tensor<4x3xf16>, tensor<1x8x8x8xf32>) {
  %0 = fuse.resize %x {coordinate_mode = #fuse.coordinate_mode<asymmetric>, mode = #fuse.resize_mode<nearest>, nearest_mode = #fuse.nearest_mode<floor>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
  %1 = fuse.resize %x {mode = #fuse.resize_mode<linear>, scales = array<f32: 1.0, 1.0, 0.5, 0.5>} : tensor<1x8x4x4xf32> -> tensor<1x8x2x2xf32>
  %2 = fuse.resize %x {coordinate_mode = #fuse.coordinate_mode<align_corners>, cubic_coeff_a = -0.5 : f32, exclude_outside = true, mode = #fuse.resize_mode<cubic>} : tensor<1x8x4x4xf32> -> tensor<1x8x6x6xf32>
  %3 = fuse.resize %x {coordinate_mode = #fuse.coordinate_mode<pytorch_half_pixel>, mode = #fuse.resize_mode<linear>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
  %4 = fuse.resize %x {coordinate_mode = #fuse.coordinate_mode<tf_half_pixel_for_nn>, nearest_mode = #fuse.nearest_mode<round_prefer_ceil>} : tensor<1x8x4x4xf32> -> tensor<1x8x3x5xf32>
  %5 = fuse.resize %i {nearest_mode = #fuse.nearest_mode<ceil>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : tensor<1x1x2x2xi64> -> tensor<1x1x4x4xi64>
  %6 = fuse.resize %h {mode = #fuse.resize_mode<linear>} : tensor<2x6xf16> -> tensor<4x3xf16>
  %7 = fuse.resize %x {coordinate_mode = #fuse.coordinate_mode<half_pixel>, cubic_coeff_a = -0.75 : f32, exclude_outside = false, nearest_mode = #fuse.nearest_mode<round_prefer_floor>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<1x8x8x8xf32>, tensor<1x8x2x2xf32>, tensor<1x8x6x6xf32>, tensor<1x8x8x8xf32>, tensor<1x8x3x5xf32>, tensor<1x1x4x4xi64>, tensor<4x3xf16>, tensor<1x8x8x8xf32>
}

// output.shape[i] = input.shape[i] * repeats[i]
// CHECK-LABEL: func.func @tile(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<5xi1>) -> (tensor<4x3x12xf32>, tensor<2x0x4xf32>, tensor<15xi1>, tensor<2x3x4xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.tile %[[ARG0]] {repeats = array<i64: 2, 1, 3>} : tensor<2x3x4xf32> -> tensor<4x3x12xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.tile %[[ARG0]] {repeats = array<i64: 1, 0, 1>} : tensor<2x3x4xf32> -> tensor<2x0x4xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.tile %[[ARG1]] {repeats = array<i64: 3>} : tensor<5xi1> -> tensor<15xi1>
// CHECK-NEXT: %[[V3:.*]] = fuse.tile %[[ARG0]] {repeats = array<i64: 1, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<4x3x12xf32>, tensor<2x0x4xf32>, tensor<15xi1>, tensor<2x3x4xf32>
func.func @tile(%x: tensor<2x3x4xf32>, %i: tensor<5xi1>) -> (tensor<4x3x12xf32>, tensor<2x0x4xf32>, tensor<15xi1>, tensor<2x3x4xf32>) {
  %0 = fuse.tile %x {repeats = array<i64: 2, 1, 3>} : tensor<2x3x4xf32> -> tensor<4x3x12xf32>
  %1 = fuse.tile %x {repeats = array<i64: 1, 0, 1>} : tensor<2x3x4xf32> -> tensor<2x0x4xf32>
  %2 = fuse.tile %i {repeats = array<i64: 3>} : tensor<5xi1> -> tensor<15xi1>
  %3 = fuse.tile %x {repeats = array<i64: 1, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return %0, %1, %2, %3 : tensor<4x3x12xf32>, tensor<2x0x4xf32>, tensor<15xi1>, tensor<2x3x4xf32>
}

// Constants of every fuse element type; splats; rank 0; dense_resource
// blobs (4-byte alignment header, then little-endian data).
// CHECK-LABEL: func.func @constants(
// CHECK-SAME: ) -> (tensor<2xf32>, tensor<2x2xi64>, tensor<3xf16>, tensor<2xi1>, tensor<4x4xbf16>, tensor<i32>, tensor<2xf32>, tensor<0xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi64>
// CHECK-NEXT: %[[V2:.*]] = fuse.constant dense_resource<blob_f16> : tensor<3xf16>
// CHECK-NEXT: %[[V3:.*]] = fuse.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NEXT: %[[V4:.*]] = fuse.constant dense<5.000000e-01> : tensor<4x4xbf16>
// CHECK-NEXT: %[[V5:.*]] = fuse.constant dense<-3> : tensor<i32>
// CHECK-NEXT: %[[V6:.*]] = fuse.constant dense_resource<blob_f32> : tensor<2xf32>
// CHECK-NEXT: %[[V7:.*]] = fuse.constant dense<> : tensor<0xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]] : tensor<2xf32>, tensor<2x2xi64>, tensor<3xf16>, tensor<2xi1>, tensor<4x4xbf16>, tensor<i32>, tensor<2xf32>, tensor<0xf32>
func.func @constants() -> (tensor<2xf32>, tensor<2x2xi64>, tensor<3xf16>, tensor<2xi1>, tensor<4x4xbf16>, tensor<i32>, tensor<2xf32>, tensor<0xf32>) {
  %0 = fuse.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = fuse.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %2 = fuse.constant dense_resource<blob_f16> : tensor<3xf16>
  %3 = fuse.constant dense<[true, false]> : tensor<2xi1>
  %4 = fuse.constant dense<0.5> : tensor<4x4xbf16>
  %5 = fuse.constant dense<-3> : tensor<i32>
  %6 = fuse.constant dense_resource<blob_f32> : tensor<2xf32>
  %7 = fuse.constant dense<> : tensor<0xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2xf32>, tensor<2x2xi64>, tensor<3xf16>, tensor<2xi1>, tensor<4x4xbf16>, tensor<i32>, tensor<2xf32>, tensor<0xf32>
}

// The blobs survive the round trip.
// CHECK: {-#
// CHECK-NEXT: dialect_resources: {
// CHECK-NEXT: builtin: {
// CHECK-DAG: blob_f16: "0x02000000003C00400042"
// CHECK-DAG: blob_f32: "0x040000000000803F00000040"
// CHECK: #-}
{-#
  dialect_resources: {
    builtin: {
      blob_f16: "0x02000000003C00400042",
      blob_f32: "0x040000000000803F00000040"
    }
  }
#-}
