// Round trip of the index, scan and scatter ops (arg_max, arg_min, cumsum,
// gather_elements, gather_nd, scatter_elements, scatter_nd) and the
// trigonometric / hyperbolic unary ops. Result types are derived by hand
// in the comments and are also what the verifier infers.
// RUN: fuse-opt %s | fuse-opt | FileCheck %s
// RUN: fuse-opt %s --mlir-print-op-generic | fuse-opt | FileCheck %s

// CHECK-LABEL: func.func @trig(
// CHECK-NEXT: fuse.tan %{{.*}} : tensor<4xf32>
// CHECK-NEXT: fuse.asin %{{.*}} : tensor<4xf32>
// CHECK-NEXT: fuse.acos %{{.*}} : tensor<4xf32>
// CHECK-NEXT: fuse.atan %{{.*}} : tensor<4xf32>
// CHECK-NEXT: fuse.sinh %{{.*}} : tensor<4xf32>
// CHECK-NEXT: fuse.cosh %{{.*}} : tensor<4xf32>
// CHECK-NEXT: fuse.asinh %{{.*}} : tensor<4xf32>
// CHECK-NEXT: fuse.acosh %{{.*}} : tensor<4xf32>
// CHECK-NEXT: fuse.atanh %{{.*}} : tensor<2x2xf16>
func.func @trig(%x: tensor<4xf32>, %h: tensor<2x2xf16>) -> tensor<2x2xf16> {
  %0 = fuse.tan %x : tensor<4xf32>
  %1 = fuse.asin %0 : tensor<4xf32>
  %2 = fuse.acos %1 : tensor<4xf32>
  %3 = fuse.atan %2 : tensor<4xf32>
  %4 = fuse.sinh %3 : tensor<4xf32>
  %5 = fuse.cosh %4 : tensor<4xf32>
  %6 = fuse.asinh %5 : tensor<4xf32>
  %7 = fuse.acosh %6 : tensor<4xf32>
  %8 = fuse.atanh %h : tensor<2x2xf16>
  return %8 : tensor<2x2xf16>
}

// keepdims keeps the axis as 1; without it the axis goes; the result is i64.
// CHECK-LABEL: func.func @arg(
// CHECK-NEXT: fuse.arg_max %{{.*}} {axis = 1 : i64} : tensor<3x4xf32> -> tensor<3x1xi64>
// CHECK-NEXT: fuse.arg_min %{{.*}} {axis = 0 : i64, keepdims = false, select_last_index = true} : tensor<3x4xf32> -> tensor<4xi64>
// CHECK-NEXT: fuse.arg_max %{{.*}} {axis = 0 : i64, keepdims = false} : tensor<5xi32> -> tensor<i64>
func.func @arg(%x: tensor<3x4xf32>, %i: tensor<5xi32>) -> (tensor<3x1xi64>, tensor<4xi64>, tensor<i64>) {
  %0 = fuse.arg_max %x {axis = 1 : i64} : tensor<3x4xf32> -> tensor<3x1xi64>
  %1 = fuse.arg_min %x {axis = 0 : i64, keepdims = false, select_last_index = true} : tensor<3x4xf32> -> tensor<4xi64>
  %2 = fuse.arg_max %i {axis = 0 : i64, keepdims = false} : tensor<5xi32> -> tensor<i64>
  return %0, %1, %2 : tensor<3x1xi64>, tensor<4xi64>, tensor<i64>
}

// CHECK-LABEL: func.func @cumsum(
// CHECK-NEXT: fuse.cumsum %{{.*}} {axis = 1 : i64} : tensor<2x3xf32>
// CHECK-NEXT: fuse.cumsum %{{.*}} {axis = 0 : i64, exclusive = true, reverse = true} : tensor<5xi64>
func.func @cumsum(%x: tensor<2x3xf32>, %i: tensor<5xi64>) -> (tensor<2x3xf32>, tensor<5xi64>) {
  %0 = fuse.cumsum %x {axis = 1 : i64} : tensor<2x3xf32>
  %1 = fuse.cumsum %i {axis = 0 : i64, exclusive = true, reverse = true} : tensor<5xi64>
  return %0, %1 : tensor<2x3xf32>, tensor<5xi64>
}

// gather_elements: output shape = indices shape (2x3; 2 <= 2 off the axis).
// gather_nd: 3x2 indices into 4x5x6 -> 3 + [6]; with batch_dims = 1,
// 2x1 indices into 2x3 -> 2 + [].
// CHECK-LABEL: func.func @gathers(
// CHECK-NEXT: fuse.gather_elements %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
// CHECK-NEXT: fuse.gather_nd %{{.*}}, %{{.*}} : (tensor<4x5x6xf32>, tensor<3x2xi64>) -> tensor<3x6xf32>
// CHECK-NEXT: fuse.gather_nd %{{.*}}, %{{.*}} {batch_dims = 1 : i64} : (tensor<2x3xi32>, tensor<2x1xi32>) -> tensor<2xi32>
func.func @gathers(%x: tensor<2x5xf32>, %i: tensor<2x3xi64>, %d: tensor<4x5x6xf32>, %t: tensor<3x2xi64>, %b: tensor<2x3xi32>, %bi: tensor<2x1xi32>) -> (tensor<2x3xf32>, tensor<3x6xf32>, tensor<2xi32>) {
  %0 = fuse.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  %1 = fuse.gather_nd %d, %t : (tensor<4x5x6xf32>, tensor<3x2xi64>) -> tensor<3x6xf32>
  %2 = fuse.gather_nd %b, %bi {batch_dims = 1 : i64} : (tensor<2x3xi32>, tensor<2x1xi32>) -> tensor<2xi32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<3x6xf32>, tensor<2xi32>
}

// Scatters return the data type; scatter_nd updates are 4 + data[1:] = 4.
// CHECK-LABEL: func.func @scatters(
// CHECK-NEXT: fuse.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
// CHECK-NEXT: fuse.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} : (tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<8xf32>
// CHECK-NEXT: fuse.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = #fuse.scatter_reduction<max>} : (tensor<4x4xi64>, tensor<2x1xi64>, tensor<2x4xi64>) -> tensor<4x4xi64>
func.func @scatters(%x: tensor<3x3xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>, %d: tensor<8xf32>, %t: tensor<4x1xi64>, %v: tensor<4xf32>, %m: tensor<4x4xi64>, %mi: tensor<2x1xi64>, %mu: tensor<2x4xi64>) -> (tensor<3x3xf32>, tensor<8xf32>, tensor<4x4xi64>) {
  %0 = fuse.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
  %1 = fuse.scatter_nd %d, %t, %v : (tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<8xf32>
  %2 = fuse.scatter_nd %m, %mi, %mu {reduction = #fuse.scatter_reduction<max>} : (tensor<4x4xi64>, tensor<2x1xi64>, tensor<2x4xi64>) -> tensor<4x4xi64>
  return %0, %1, %2 : tensor<3x3xf32>, tensor<8xf32>, tensor<4x4xi64>
}
