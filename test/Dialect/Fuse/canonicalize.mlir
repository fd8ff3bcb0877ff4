// RUN: fuse-opt %s --canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @identities(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = fuse.constant dense<0.0> : tensor<3xf32>
  %one = fuse.constant dense<1.0> : tensor<2x3xf32>
  %0 = fuse.add %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = fuse.mul %one, %0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = fuse.transpose %1 {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = fuse.reshape %2 : tensor<2x3xf32> -> tensor<2x3xf32>
  %4 = fuse.neg %3 : tensor<2x3xf32>
  %5 = fuse.neg %4 : tensor<2x3xf32>
  %6 = fuse.div %5, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = fuse.max %6, %6 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %8 = fuse.slice %7 {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 0>, steps = array<i64: 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %9 = fuse.pad %8 {pads = array<i64: 0, 0, 0, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %10 = fuse.tile %9 {repeats = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %11 = fuse.clip %10 : tensor<2x3xf32>
  %12 = fuse.cast %11 : tensor<2x3xf32> -> tensor<2x3xf32>
  %13 = fuse.concat %12 {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %14 = fuse.expand %13 : tensor<2x3xf32> -> tensor<2x3xf32>
  %15 = fuse.sub %14, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %16 = fuse.pow %15, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %16, %2, %5, %9, %13 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Near-misses: x + 0 that broadcasts x to a larger shape, x * 0, x + 1,
// a non-identity transpose and a strided slice stay.
// CHECK-LABEL: func.func @near_misses
// CHECK: fuse.add
// CHECK: fuse.mul
// CHECK: fuse.add
// CHECK: fuse.transpose
// CHECK: fuse.slice
func.func @near_misses(%x: tensor<3xf32>, %y: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>) {
  %zero = fuse.constant dense<0.0> : tensor<2x3xf32>
  %one = fuse.constant dense<1.0> : tensor<2x3xf32>
  %0 = fuse.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = fuse.mul %y, %zero : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = fuse.add %y, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = fuse.transpose %y {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %4 = fuse.slice %y {axes = array<i64: 1>, ends = array<i64: 3>, starts = array<i64: 0>, steps = array<i64: 2>} : tensor<2x3xf32> -> tensor<2x2xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<3x2xf32>, tensor<2x2xf32>
}

// -----

// transpose(transpose(x)) composes; reshape chains collapse.
// CHECK-LABEL: func.func @compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[T:.*]] = fuse.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
// CHECK: %[[R:.*]] = fuse.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<24xf32>
// CHECK: return %[[T]], %[[R]]
func.func @compose(%x: tensor<2x3x4xf32>) -> (tensor<4x2x3xf32>, tensor<24xf32>) {
  %0 = fuse.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = fuse.transpose %0 {perm = array<i64: 1, 0, 2>} : tensor<2x4x3xf32> -> tensor<4x2x3xf32>
  %2 = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %3 = fuse.reshape %2 : tensor<6x4xf32> -> tensor<24xf32>
  return %1, %3 : tensor<4x2x3xf32>, tensor<24xf32>
}

// -----

// Small constant expressions fold, floats and integers; division by an
// integer zero does not.
// CHECK-LABEL: func.func @constant_folding
// CHECK-DAG: fuse.constant dense<[3.000000e+00, 5.000000e+00]> : tensor<2xf32>
// CHECK-DAG: fuse.constant dense<[2.71828175, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: fuse.constant dense<[12, 7]> : tensor<2xi64>
// CHECK: %[[DIV:.*]] = fuse.div
// CHECK: return {{.*}}, {{.*}}, {{.*}}, %[[DIV]]
func.func @constant_folding() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xi64>, tensor<2xi64>) {
  %a = fuse.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = fuse.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %0 = fuse.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %z = fuse.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %1 = fuse.exp %z : tensor<2xf32>
  %i = fuse.constant dense<[4, 7]> : tensor<2xi64>
  %j = fuse.constant dense<[3, 1]> : tensor<2xi64>
  %2 = fuse.mul %i, %j : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %k = fuse.constant dense<[1, 0]> : tensor<2xi64>
  %3 = fuse.div %i, %k : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2xf32>, tensor<2xi64>, tensor<2xi64>
}

// -----

// Involutions and idempotent ops.
// CHECK-LABEL: func.func @involutions
// CHECK-SAME: (%[[B:.*]]: tensor<4xi1>, %[[X:.*]]: tensor<4xf32>)
// CHECK: %[[R:.*]] = fuse.relu %[[X]]
// CHECK-NOT: fuse.relu
// CHECK: return %[[B]], %[[R]]
func.func @involutions(%b: tensor<4xi1>, %x: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xf32>) {
  %0 = fuse.not %b : tensor<4xi1>
  %1 = fuse.not %0 : tensor<4xi1>
  %2 = fuse.relu %x : tensor<4xf32>
  %3 = fuse.relu %2 : tensor<4xf32>
  return %1, %3 : tensor<4xi1>, tensor<4xf32>
}

// -----

// select with a splat condition picks a side.
// CHECK-LABEL: func.func @select_splat
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: return %[[B]]
func.func @select_splat(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %c = fuse.constant dense<false> : tensor<4xi1>
  %0 = fuse.select %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
