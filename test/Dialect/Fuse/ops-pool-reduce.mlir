// Round trip of the pooling and reduction fuse ops: max_pool, avg_pool and
// every kind of fuse.reduce. Result types are derived by hand from
// out = (in + pad_begin + pad_end - dilation * (k - 1) - 1) / stride + 1
// (rounded up with ceil_mode, dropping a last window that would start in
// the end padding) and are also what the verifier infers.
// RUN: fuse-opt %s | fuse-opt | FileCheck %s
// RUN: fuse-opt %s --mlir-print-op-generic | fuse-opt | FileCheck %s

// CHECK-LABEL: func.func @max_pool(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x16x16xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1x8x7x7xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x2x10xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<1x1x4x4xi32>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<1x1x4x4x4xbf16>) -> (tensor<1x8x8x8xf32>, tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x2x6xf32>, tensor<1x1x3x3xi32>, tensor<1x1x2x2x2xbf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.max_pool %[[ARG0]] {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x16x16xf32> -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.max_pool %[[ARG1]] {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x7x7xf32> -> tensor<1x8x4x4xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.max_pool %[[ARG1]] {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x7x7xf32> -> tensor<1x8x3x3xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.max_pool %[[ARG2]] {dilations = array<i64: 2>, kernel_shape = array<i64: 3>} : tensor<1x2x10xf32> -> tensor<1x2x6xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.max_pool %[[ARG3]] {kernel_shape = array<i64: 2, 2>} : tensor<1x1x4x4xi32> -> tensor<1x1x3x3xi32>
// CHECK-NEXT: %[[V5:.*]] = fuse.max_pool %[[ARG4]] {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : tensor<1x1x4x4x4xbf16> -> tensor<1x1x2x2x2xbf16>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]] : tensor<1x8x8x8xf32>, tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x2x6xf32>, tensor<1x1x3x3xi32>, tensor<1x1x2x2x2xbf16>
func.func @max_pool(%x: tensor<1x8x16x16xf32>, %y: tensor<1x8x7x7xf32>, %z: tensor<1x2x10xf32>, %i: tensor<1x1x4x4xi32>, %v: tensor<1x1x4x4x4xbf16>) -> (tensor<1x8x8x8xf32>, tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x2x6xf32>, tensor<1x1x3x3xi32>, tensor<1x1x2x2x2xbf16>) {
  // (16 - 2) / 2 + 1 = 8
  %0 = fuse.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x16x16xf32> -> tensor<1x8x8x8xf32>
  // ceil((7 - 2) / 2) + 1 = 4; floor mode: (7 - 2) / 2 + 1 = 3
  %1 = fuse.max_pool %y {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x7x7xf32> -> tensor<1x8x4x4xf32>
  %2 = fuse.max_pool %y {ceil_mode = false, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x7x7xf32> -> tensor<1x8x3x3xf32>
  // 1-D, dilation 2: 10 - 2 * 2 - 1 = 5 -> 6
  %3 = fuse.max_pool %z {dilations = array<i64: 2>, kernel_shape = array<i64: 3>} : tensor<1x2x10xf32> -> tensor<1x2x6xf32>
  // integers, stride 1: 4 - 2 + 1 = 3
  %4 = fuse.max_pool %i {kernel_shape = array<i64: 2, 2>} : tensor<1x1x4x4xi32> -> tensor<1x1x3x3xi32>
  // 3-D
  %5 = fuse.max_pool %v {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : tensor<1x1x4x4x4xbf16> -> tensor<1x1x2x2x2xbf16>
  return %0, %1, %2, %3, %4, %5 : tensor<1x8x8x8xf32>, tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x2x6xf32>, tensor<1x1x3x3xi32>, tensor<1x1x2x2x2xbf16>
}

// ceil_mode drops a window that would start in the end padding:
// in 2, k 2, s 3, pads 1+1: ceil((2 + 2 - 2) / 3) + 1 = 2, but the second
// window starts at 3 >= 2 + 1, so the output has 1 element.
// CHECK-LABEL: func.func @max_pool_ceil_drop(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x1x2xf32>) -> tensor<1x1x1xf32>
// CHECK-NEXT: %[[V0:.*]] = fuse.max_pool %[[ARG0]] {ceil_mode = true, kernel_shape = array<i64: 2>, pads = array<i64: 1, 1>, strides = array<i64: 3>} : tensor<1x1x2xf32> -> tensor<1x1x1xf32>
// CHECK-NEXT: return %[[V0]] : tensor<1x1x1xf32>
func.func @max_pool_ceil_drop(%x: tensor<1x1x2xf32>) -> tensor<1x1x1xf32> {
  %0 = fuse.max_pool %x {ceil_mode = true, kernel_shape = array<i64: 2>, pads = array<i64: 1, 1>, strides = array<i64: 3>} : tensor<1x1x2xf32> -> tensor<1x1x1xf32>
  return %0 : tensor<1x1x1xf32>
}

// CHECK-LABEL: func.func @avg_pool(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x16x16xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1x1x5x5xf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<2x3x9xf32>) -> (tensor<1x8x16x16xf32>, tensor<1x1x5x4xf16>, tensor<2x3x3xf32>, tensor<1x1x3x3xf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.avg_pool %[[ARG0]] {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.avg_pool %[[ARG1]] {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 1, 2, 0>} : tensor<1x1x5x5xf16> -> tensor<1x1x5x4xf16>
// CHECK-NEXT: %[[V2:.*]] = fuse.avg_pool %[[ARG2]] {dilations = array<i64: 2>, kernel_shape = array<i64: 2>, strides = array<i64: 3>} : tensor<2x3x9xf32> -> tensor<2x3x3xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.avg_pool %[[ARG1]] {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x5x5xf16> -> tensor<1x1x3x3xf16>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<1x8x16x16xf32>, tensor<1x1x5x4xf16>, tensor<2x3x3xf32>, tensor<1x1x3x3xf16>
func.func @avg_pool(%x: tensor<1x8x16x16xf32>, %y: tensor<1x1x5x5xf16>, %z: tensor<2x3x9xf32>) -> (tensor<1x8x16x16xf32>, tensor<1x1x5x4xf16>, tensor<2x3x3xf32>, tensor<1x1x3x3xf16>) {
  // 16 + 1 + 1 - 3 + 1 = 16
  %0 = fuse.avg_pool %x {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xf32>
  // H pads 0+2: 5 + 2 - 3 + 1 = 5; W pads 1+0: 5 + 1 - 3 + 1 = 4
  %1 = fuse.avg_pool %y {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 1, 2, 0>} : tensor<1x1x5x5xf16> -> tensor<1x1x5x4xf16>
  // 1-D, stride 3, dilation 2: (9 - 2 * 1 - 1) / 3 + 1 = 3
  %2 = fuse.avg_pool %z {dilations = array<i64: 2>, kernel_shape = array<i64: 2>, strides = array<i64: 3>} : tensor<2x3x9xf32> -> tensor<2x3x3xf32>
  // ceil((5 - 2) / 2) + 1 = 3
  %3 = fuse.avg_pool %y {ceil_mode = true, count_include_pad = false, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x5x5xf16> -> tensor<1x1x3x3xf16>
  return %0, %1, %2, %3 : tensor<1x8x16x16xf32>, tensor<1x1x5x4xf16>, tensor<2x3x3xf32>, tensor<1x1x3x3xf16>
}

// Every reduction kind; keepdims (default true) keeps reduced dims as 1.
// CHECK-LABEL: func.func @reduce_kinds(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x7x7xf32>) -> (tensor<1x8x1x1xf32>, tensor<1x1x7x7xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.reduce sum %[[ARG0]] {axes = array<i64: 2, 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.reduce mean %[[ARG0]] {axes = array<i64: 1>} : tensor<1x8x7x7xf32> -> tensor<1x1x7x7xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.reduce max %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.reduce min %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.reduce prod %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.reduce l1 %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK-NEXT: %[[V6:.*]] = fuse.reduce l2 %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK-NEXT: %[[V7:.*]] = fuse.reduce log_sum %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK-NEXT: %[[V8:.*]] = fuse.reduce log_sum_exp %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK-NEXT: %[[V9:.*]] = fuse.reduce sum_square %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]], %[[V8]], %[[V9]] : tensor<1x8x1x1xf32>, tensor<1x1x7x7xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>
func.func @reduce_kinds(%x: tensor<1x8x7x7xf32>) -> (tensor<1x8x1x1xf32>, tensor<1x1x7x7xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>) {
  %0 = fuse.reduce sum %x {axes = array<i64: 2, 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
  %1 = fuse.reduce mean %x {axes = array<i64: 1>} : tensor<1x8x7x7xf32> -> tensor<1x1x7x7xf32>
  %2 = fuse.reduce max %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %3 = fuse.reduce min %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %4 = fuse.reduce prod %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %5 = fuse.reduce l1 %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %6 = fuse.reduce l2 %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %7 = fuse.reduce log_sum %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %8 = fuse.reduce log_sum_exp %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %9 = fuse.reduce sum_square %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<1x8x1x1xf32>, tensor<1x1x7x7xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>, tensor<1x8x7x1xf32>
}

// keepdims = false drops reduced dims; empty axes reduce everything; integer
// inputs; keepdims = true is the default and is not printed.
// CHECK-LABEL: func.func @reduce_shapes(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x7x7xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<2x3x4xi32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<5xi64>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4x6xf16>) -> (tensor<1x7x7xf32>, tensor<1x1x1x1xf32>, tensor<f32>, tensor<1x3x4xi32>, tensor<3xi32>, tensor<i64>, tensor<4x1xf16>, tensor<1xi64>)
// CHECK-NEXT: %[[V0:.*]] = fuse.reduce mean %[[ARG0]] {axes = array<i64: 1>, keepdims = false} : tensor<1x8x7x7xf32> -> tensor<1x7x7xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.reduce max %[[ARG0]] : tensor<1x8x7x7xf32> -> tensor<1x1x1x1xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.reduce min %[[ARG0]] {keepdims = false} : tensor<1x8x7x7xf32> -> tensor<f32>
// CHECK-NEXT: %[[V3:.*]] = fuse.reduce prod %[[ARG1]] {axes = array<i64: 0>} : tensor<2x3x4xi32> -> tensor<1x3x4xi32>
// CHECK-NEXT: %[[V4:.*]] = fuse.reduce sum %[[ARG1]] {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xi32> -> tensor<3xi32>
// CHECK-NEXT: %[[V5:.*]] = fuse.reduce sum %[[ARG2]] {axes = array<i64: 0>, keepdims = false} : tensor<5xi64> -> tensor<i64>
// CHECK-NEXT: %[[V6:.*]] = fuse.reduce log_sum_exp %[[ARG3]] {axes = array<i64: 1>} : tensor<4x6xf16> -> tensor<4x1xf16>
// CHECK-NEXT: %[[V7:.*]] = fuse.reduce max %[[ARG2]] : tensor<5xi64> -> tensor<1xi64>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]] : tensor<1x7x7xf32>, tensor<1x1x1x1xf32>, tensor<f32>, tensor<1x3x4xi32>, tensor<3xi32>, tensor<i64>, tensor<4x1xf16>, tensor<1xi64>
func.func @reduce_shapes(%x: tensor<1x8x7x7xf32>, %i: tensor<2x3x4xi32>, %l: tensor<5xi64>, %h: tensor<4x6xf16>) -> (tensor<1x7x7xf32>, tensor<1x1x1x1xf32>, tensor<f32>, tensor<1x3x4xi32>, tensor<3xi32>, tensor<i64>, tensor<4x1xf16>, tensor<1xi64>) {
  %0 = fuse.reduce mean %x {axes = array<i64: 1>, keepdims = false} : tensor<1x8x7x7xf32> -> tensor<1x7x7xf32>
  %1 = fuse.reduce max %x : tensor<1x8x7x7xf32> -> tensor<1x1x1x1xf32>
  %2 = fuse.reduce min %x {keepdims = false} : tensor<1x8x7x7xf32> -> tensor<f32>
  %3 = fuse.reduce prod %i {axes = array<i64: 0>} : tensor<2x3x4xi32> -> tensor<1x3x4xi32>
  %4 = fuse.reduce sum %i {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xi32> -> tensor<3xi32>
  %5 = fuse.reduce sum %l {axes = array<i64: 0>, keepdims = false} : tensor<5xi64> -> tensor<i64>
  %6 = fuse.reduce log_sum_exp %h {axes = array<i64: 1>, keepdims = true} : tensor<4x6xf16> -> tensor<4x1xf16>
  %7 = fuse.reduce max %l : tensor<5xi64> -> tensor<1xi64>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<1x7x7xf32>, tensor<1x1x1x1xf32>, tensor<f32>, tensor<1x3x4xi32>, tensor<3xi32>, tensor<i64>, tensor<4x1xf16>, tensor<1xi64>
}
