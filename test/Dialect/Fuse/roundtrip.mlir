// Round trip of every fuse op: parse, print, parse again, check; and the
// same through the generic op form.
// RUN: fuse-opt %s | fuse-opt | FileCheck %s
// RUN: fuse-opt %s --mlir-print-op-generic | fuse-opt | FileCheck %s

func.func @unary(%x: tensor<2x3xf32>, %i: tensor<4xi32>, %b: tensor<4xi1>, %h: tensor<2xf16>) -> tensor<2x3xf32> {
  %0 = fuse.neg %x : tensor<2x3xf32>
  %1 = fuse.abs %0 : tensor<2x3xf32>
  %2 = fuse.exp %1 : tensor<2x3xf32>
  %3 = fuse.log %2 : tensor<2x3xf32>
  %4 = fuse.sqrt %3 : tensor<2x3xf32>
  %5 = fuse.rsqrt %4 : tensor<2x3xf32>
  %6 = fuse.reciprocal %5 : tensor<2x3xf32>
  %7 = fuse.relu %6 : tensor<2x3xf32>
  %8 = fuse.leaky_relu %7 {alpha = 1.000000e-01 : f32} : tensor<2x3xf32>
  %9 = fuse.sigmoid %8 : tensor<2x3xf32>
  %10 = fuse.tanh %9 : tensor<2x3xf32>
  %11 = fuse.erf %10 : tensor<2x3xf32>
  %12 = fuse.gelu %11 : tensor<2x3xf32>
  %13 = fuse.gelu %12 {approximate = #fuse.gelu_approximation<tanh>} : tensor<2x3xf32>
  %14 = fuse.silu %13 : tensor<2x3xf32>
  %15 = fuse.hard_sigmoid %14 {alpha = 0.166666672 : f32, beta = 5.000000e-01 : f32} : tensor<2x3xf32>
  %16 = fuse.hard_swish %15 : tensor<2x3xf32>
  %17 = fuse.clip %16 {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<2x3xf32>
  %18 = fuse.floor %17 : tensor<2x3xf32>
  %19 = fuse.ceil %18 : tensor<2x3xf32>
  %20 = fuse.round %19 : tensor<2x3xf32>
  %21 = fuse.sin %20 : tensor<2x3xf32>
  %22 = fuse.cos %21 : tensor<2x3xf32>
  %23 = fuse.not %b : tensor<4xi1>
  %24 = fuse.neg %i : tensor<4xi32>
  %25 = fuse.cast %h : tensor<2xf16> -> tensor<2xf32>
  %26 = fuse.cast %i : tensor<4xi32> -> tensor<4xi1>
  %27 = fuse.clip %i {min = -1.000000e+00 : f64} : tensor<4xi32>
  return %22 : tensor<2x3xf32>
}

func.func @binary(%a: tensor<2x3xf32>, %r: tensor<3xf32>, %i: tensor<2x1xi64>, %j: tensor<4xi64>, %p: tensor<4xi1>, %q: tensor<1xi1>) -> tensor<2x3xf32> {
  %0 = fuse.add %a, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = fuse.sub %0, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = fuse.mul %1, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = fuse.div %2, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = fuse.pow %3, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %5 = fuse.max %4, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = fuse.min %5, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %7 = fuse.mod %6, %r {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %8 = fuse.mod %i, %j : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
  %9 = fuse.equal %7, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %10 = fuse.less %i, %j : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi1>
  %11 = fuse.greater %a, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %12 = fuse.and %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  %13 = fuse.or %12, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %14 = fuse.xor %13, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  %15 = fuse.select %11, %7, %r : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %15 : tensor<2x3xf32>
}

func.func @contraction(%a: tensor<8x1x16x32xbf16>, %b: tensor<5x64x32xbf16>, %x: tensor<1x32x28x28xf32>, %w: tensor<64x8x3x3xf32>, %bias: tensor<64xf32>, %x1: tensor<2x4x10xf32>, %w1: tensor<6x4x3xf32>, %x3: tensor<1x2x4x4x4xf32>, %w3: tensor<3x2x1x1x1xf32>, %xt: tensor<1x8x4x4xf32>, %wt: tensor<8x2x3x3xf32>) -> tensor<1x64x14x14xf32> {
  %0 = fuse.matmul %a, %b {transpose_b = true} : (tensor<8x1x16x32xbf16>, tensor<5x64x32xbf16>) -> tensor<8x5x16x64xbf16>
  %1 = fuse.conv %x, %w, %bias {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x28x28xf32>, tensor<64x8x3x3xf32>, tensor<64xf32>) -> tensor<1x64x14x14xf32>
  %2 = fuse.conv %x1, %w1 {dilations = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x6xf32>
  %3 = fuse.conv %x3, %w3 : (tensor<1x2x4x4x4xf32>, tensor<3x2x1x1x1xf32>) -> tensor<1x3x4x4x4xf32>
  %4 = fuse.conv_transpose %xt, %wt {groups = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %1 : tensor<1x64x14x14xf32>
}

func.func @pool_reduce(%x: tensor<1x8x7x7xf32>, %i: tensor<2x3x4xi32>) -> tensor<1x8x4x4xf32> {
  %0 = fuse.max_pool %x {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x7x7xf32> -> tensor<1x8x4x4xf32>
  %1 = fuse.avg_pool %x {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x7xf32>
  %2 = fuse.reduce sum %x {axes = array<i64: 2, 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
  %3 = fuse.reduce mean %x {axes = array<i64: 1>, keepdims = false} : tensor<1x8x7x7xf32> -> tensor<1x7x7xf32>
  %4 = fuse.reduce max %x : tensor<1x8x7x7xf32> -> tensor<1x1x1x1xf32>
  %5 = fuse.reduce min %x {keepdims = false} : tensor<1x8x7x7xf32> -> tensor<f32>
  %6 = fuse.reduce prod %i {axes = array<i64: 0>} : tensor<2x3x4xi32> -> tensor<1x3x4xi32>
  %7 = fuse.reduce l1 %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %8 = fuse.reduce l2 %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %9 = fuse.reduce log_sum %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %10 = fuse.reduce log_sum_exp %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  %11 = fuse.reduce sum_square %x {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
  return %0 : tensor<1x8x4x4xf32>
}

func.func @normalization(%x: tensor<2x16x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %y: tensor<1x8x4x4xf16>, %c: tensor<8xf16>) -> tensor<2x16x64xf32> {
  %0 = fuse.softmax %x {axis = 2 : i64} : tensor<2x16x64xf32>
  %1 = fuse.log_softmax %0 {axis = 0 : i64} : tensor<2x16x64xf32>
  %2 = fuse.layer_norm %1 scale %g bias %b {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  %3 = fuse.layer_norm %2 {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
  %4 = fuse.layer_norm %3 scale %g {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  %5 = fuse.batch_norm %y, %c, %c, %c, %c {epsilon = 1.000000e-03 : f32} : (tensor<1x8x4x4xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>) -> tensor<1x8x4x4xf16>
  return %4 : tensor<2x16x64xf32>
}

func.func @data_movement(%x: tensor<2x3x4xf32>, %t: tensor<100x16xf32>, %ids: tensor<2x5xi64>, %s: tensor<3x1xf32>, %img: tensor<1x8x4x4xf32>, %k: tensor<i32>) -> tensor<2x4x3xf32> {
  %0 = fuse.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %2 = fuse.concat %x, %x {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x6x4xf32>
  %3:2 = fuse.split %x {axis = 2 : i64, sizes = array<i64: 1, 3>} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>, tensor<2x3x3xf32>
  %4 = fuse.slice %x {axes = array<i64: 2>, ends = array<i64: 4>, starts = array<i64: 1>, steps = array<i64: 2>} : tensor<2x3x4xf32> -> tensor<2x3x2xf32>
  %5 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 2>, steps = array<i64: -1>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %6 = fuse.gather %t, %ids {axis = 0 : i64} : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
  %7 = fuse.expand %s : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %8 = fuse.pad %x {pads = array<i64: 0, 1, 1, 0, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x5x6xf32>
  %9 = fuse.pad %x {mode = #fuse.pad_mode<reflect>, pads = array<i64: 0, 2, 0, 0, 0, 3>} : tensor<2x3x4xf32> -> tensor<2x5x7xf32>
  %10 = fuse.pad %x {mode = #fuse.pad_mode<edge>, pads = array<i64: 0, 0, -1, 0, 0, 0>, value = 1.500000e+00 : f64} : tensor<2x3x4xf32> -> tensor<2x3x3xf32>
  %11 = fuse.resize %img {coordinate_mode = #fuse.coordinate_mode<asymmetric>, nearest_mode = #fuse.nearest_mode<floor>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
  %12 = fuse.resize %img {mode = #fuse.resize_mode<linear>, scales = array<f32: 1.000000e+00, 1.000000e+00, 5.000000e-01, 5.000000e-01>} : tensor<1x8x4x4xf32> -> tensor<1x8x2x2xf32>
  %13 = fuse.resize %img {cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, mode = #fuse.resize_mode<cubic>, coordinate_mode = #fuse.coordinate_mode<align_corners>} : tensor<1x8x4x4xf32> -> tensor<1x8x6x6xf32>
  %14 = fuse.tile %x {repeats = array<i64: 2, 1, 3>} : tensor<2x3x4xf32> -> tensor<4x3x12xf32>
  %15 = fuse.gather %x, %k {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4x3xf32>
}

func.func @constants() -> (tensor<2xf32>, tensor<2x2xi64>, tensor<3xf16>, tensor<2xi1>) {
  %0 = fuse.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %1 = fuse.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %2 = fuse.constant dense_resource<blob1> : tensor<3xf16>
  %3 = fuse.constant dense<[true, false]> : tensor<2xi1>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2x2xi64>, tensor<3xf16>, tensor<2xi1>
}

func.func @attention(%q: tensor<1x8x128x64xf16>, %k: tensor<1x8x256x64xf16>, %v: tensor<1x8x256x32xf16>, %m: tensor<1x1x128x256xf16>) -> tensor<1x8x128x32xf16> {
  %0 = fuse.attention %q, %k, %v : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>) -> tensor<1x8x128x32xf16>
  %1 = fuse.attention %q, %k, %v mask %m {causal = true, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>, tensor<1x1x128x256xf16>) -> tensor<1x8x128x32xf16>
  return %1 : tensor<1x8x128x32xf16>
}

func.func @group(%x: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:2 = fuse.group(%x, %b) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%a: tensor<4xf32>, %c: tensor<4xf32>):
    %s = fuse.add %a, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %t = fuse.relu %s : tensor<4xf32>
    fuse.yield %s, %t : tensor<4xf32>, tensor<4xf32>
  }
  %1 = fuse.group() : () -> tensor<2xf32> {
    %c = fuse.constant dense<1.0> : tensor<2xf32>
    fuse.yield %c : tensor<2xf32>
  }
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob1: "0x02000000003C00400042"
    }
  }
#-}

// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4xi32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<4xi1>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<2xf16>) -> tensor<2x3xf32>
// CHECK: %[[V0:.*]] = fuse.neg %[[ARG0]] : tensor<2x3xf32>
// CHECK: %[[V1:.*]] = fuse.abs %[[V0]] : tensor<2x3xf32>
// CHECK: %[[V2:.*]] = fuse.exp %[[V1]] : tensor<2x3xf32>
// CHECK: %[[V3:.*]] = fuse.log %[[V2]] : tensor<2x3xf32>
// CHECK: %[[V4:.*]] = fuse.sqrt %[[V3]] : tensor<2x3xf32>
// CHECK: %[[V5:.*]] = fuse.rsqrt %[[V4]] : tensor<2x3xf32>
// CHECK: %[[V6:.*]] = fuse.reciprocal %[[V5]] : tensor<2x3xf32>
// CHECK: %[[V7:.*]] = fuse.relu %[[V6]] : tensor<2x3xf32>
// CHECK: %[[V8:.*]] = fuse.leaky_relu %[[V7]] {alpha = 1.000000e-01 : f32} : tensor<2x3xf32>
// CHECK: %[[V9:.*]] = fuse.sigmoid %[[V8]] : tensor<2x3xf32>
// CHECK: %[[V10:.*]] = fuse.tanh %[[V9]] : tensor<2x3xf32>
// CHECK: %[[V11:.*]] = fuse.erf %[[V10]] : tensor<2x3xf32>
// CHECK: %[[V12:.*]] = fuse.gelu %[[V11]] : tensor<2x3xf32>
// CHECK: %[[V13:.*]] = fuse.gelu %[[V12]] {approximate = #fuse.gelu_approximation<tanh>} : tensor<2x3xf32>
// CHECK: %[[V14:.*]] = fuse.silu %[[V13]] : tensor<2x3xf32>
// CHECK: %[[V15:.*]] = fuse.hard_sigmoid %[[V14]] {alpha = 0.166666672 : f32} : tensor<2x3xf32>
// CHECK: %[[V16:.*]] = fuse.hard_swish %[[V15]] : tensor<2x3xf32>
// CHECK: %[[V17:.*]] = fuse.clip %[[V16]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<2x3xf32>
// CHECK: %[[V18:.*]] = fuse.floor %[[V17]] : tensor<2x3xf32>
// CHECK: %[[V19:.*]] = fuse.ceil %[[V18]] : tensor<2x3xf32>
// CHECK: %[[V20:.*]] = fuse.round %[[V19]] : tensor<2x3xf32>
// CHECK: %[[V21:.*]] = fuse.sin %[[V20]] : tensor<2x3xf32>
// CHECK: %[[V22:.*]] = fuse.cos %[[V21]] : tensor<2x3xf32>
// CHECK: %[[V23:.*]] = fuse.not %[[ARG2]] : tensor<4xi1>
// CHECK: %[[V24:.*]] = fuse.neg %[[ARG1]] : tensor<4xi32>
// CHECK: %[[V25:.*]] = fuse.cast %[[ARG3]] : tensor<2xf16> -> tensor<2xf32>
// CHECK: %[[V26:.*]] = fuse.cast %[[ARG1]] : tensor<4xi32> -> tensor<4xi1>
// CHECK: %[[V27:.*]] = fuse.clip %[[ARG1]] {min = -1.000000e+00 : f64} : tensor<4xi32>
// CHECK: return %[[V22]] : tensor<2x3xf32>
// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<2x1xi64>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4xi64>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<4xi1>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<1xi1>) -> tensor<2x3xf32>
// CHECK: %[[V0:.*]] = fuse.add %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V1:.*]] = fuse.sub %[[V0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V2:.*]] = fuse.mul %[[V1]], %[[ARG0]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V3:.*]] = fuse.div %[[V2]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V4:.*]] = fuse.pow %[[V3]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V5:.*]] = fuse.max %[[V4]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V6:.*]] = fuse.min %[[V5]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V7:.*]] = fuse.mod %[[V6]], %[[ARG1]] {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[V8:.*]] = fuse.mod %[[ARG2]], %[[ARG3]] : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
// CHECK: %[[V9:.*]] = fuse.equal %[[V7]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: %[[V10:.*]] = fuse.less %[[ARG2]], %[[ARG3]] : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi1>
// CHECK: %[[V11:.*]] = fuse.greater %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK: %[[V12:.*]] = fuse.and %[[ARG4]], %[[ARG5]] : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
// CHECK: %[[V13:.*]] = fuse.or %[[V12]], %[[ARG4]] : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK: %[[V14:.*]] = fuse.xor %[[V13]], %[[ARG5]] : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
// CHECK: %[[V15:.*]] = fuse.select %[[V11]], %[[V7]], %[[ARG1]] : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[V15]] : tensor<2x3xf32>
// CHECK-LABEL: func.func @contraction
// CHECK-SAME: (%[[ARG0:[a-zA-Z0-9_]+]]: tensor<8x1x16x32xbf16>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<5x64x32xbf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x32x28x28xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<64x8x3x3xf32>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<2x4x10xf32>, %[[ARG6:[a-zA-Z0-9_]+]]: tensor<6x4x3xf32>, %[[ARG7:[a-zA-Z0-9_]+]]: tensor<1x2x4x4x4xf32>, %[[ARG8:[a-zA-Z0-9_]+]]: tensor<3x2x1x1x1xf32>, %[[ARG9:[a-zA-Z0-9_]+]]: tensor<1x8x4x4xf32>, %[[ARG10:[a-zA-Z0-9_]+]]: tensor<8x2x3x3xf32>) -> tensor<1x64x14x14xf32>
// CHECK: %[[V0:.*]] = fuse.matmul %[[ARG0]], %[[ARG1]] {transpose_b = true} : (tensor<8x1x16x32xbf16>, tensor<5x64x32xbf16>) -> tensor<8x5x16x64xbf16>
// CHECK: %[[V1:.*]] = fuse.conv %[[ARG2]], %[[ARG3]], %[[ARG4]] {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x28x28xf32>, tensor<64x8x3x3xf32>, tensor<64xf32>) -> tensor<1x64x14x14xf32>
// CHECK: %[[V2:.*]] = fuse.conv %[[ARG5]], %[[ARG6]] {dilations = array<i64: 2>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x6xf32>
// CHECK: %[[V3:.*]] = fuse.conv %[[ARG7]], %[[ARG8]] : (tensor<1x2x4x4x4xf32>, tensor<3x2x1x1x1xf32>) -> tensor<1x3x4x4x4xf32>
// CHECK: %[[V4:.*]] = fuse.conv_transpose %[[ARG9]], %[[ARG10]] {groups = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x4x8x8xf32>
// CHECK: return %[[V1]] : tensor<1x64x14x14xf32>
// CHECK-LABEL: func.func @pool_reduce
// CHECK-SAME: (%[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x7x7xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<2x3x4xi32>) -> tensor<1x8x4x4xf32>
// CHECK: %[[V0:.*]] = fuse.max_pool %[[ARG0]] {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x7x7xf32> -> tensor<1x8x4x4xf32>
// CHECK: %[[V1:.*]] = fuse.avg_pool %[[ARG0]] {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x7xf32>
// CHECK: %[[V2:.*]] = fuse.reduce sum %[[ARG0]] {axes = array<i64: 2, 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
// CHECK: %[[V3:.*]] = fuse.reduce mean %[[ARG0]] {axes = array<i64: 1>, keepdims = false} : tensor<1x8x7x7xf32> -> tensor<1x7x7xf32>
// CHECK: %[[V4:.*]] = fuse.reduce max %[[ARG0]] : tensor<1x8x7x7xf32> -> tensor<1x1x1x1xf32>
// CHECK: %[[V5:.*]] = fuse.reduce min %[[ARG0]] {keepdims = false} : tensor<1x8x7x7xf32> -> tensor<f32>
// CHECK: %[[V6:.*]] = fuse.reduce prod %[[ARG1]] {axes = array<i64: 0>} : tensor<2x3x4xi32> -> tensor<1x3x4xi32>
// CHECK: %[[V7:.*]] = fuse.reduce l1 %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK: %[[V8:.*]] = fuse.reduce l2 %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK: %[[V9:.*]] = fuse.reduce log_sum %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK: %[[V10:.*]] = fuse.reduce log_sum_exp %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK: %[[V11:.*]] = fuse.reduce sum_square %[[ARG0]] {axes = array<i64: 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x7x1xf32>
// CHECK: return %[[V0]] : tensor<1x8x4x4xf32>
// CHECK-LABEL: func.func @normalization
// CHECK-SAME: (%[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x16x64xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<64xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<1x8x4x4xf16>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<8xf16>) -> tensor<2x16x64xf32>
// CHECK: %[[V0:.*]] = fuse.softmax %[[ARG0]] {axis = 2 : i64} : tensor<2x16x64xf32>
// CHECK: %[[V1:.*]] = fuse.log_softmax %[[V0]] {axis = 0 : i64} : tensor<2x16x64xf32>
// CHECK: %[[V2:.*]] = fuse.layer_norm %[[V1]] scale %[[ARG1]] bias %[[ARG2]] {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
// CHECK: %[[V3:.*]] = fuse.layer_norm %[[V2]] {axis = 1 : i64, epsilon = 9.99999997E-7 : f32} : (tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
// CHECK: %[[V4:.*]] = fuse.layer_norm %[[V3]] scale %[[ARG1]] {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
// CHECK: %[[V5:.*]] = fuse.batch_norm %[[ARG3]], %[[ARG4]], %[[ARG4]], %[[ARG4]], %[[ARG4]] {epsilon = 1.000000e-03 : f32} : (tensor<1x8x4x4xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>, tensor<8xf16>) -> tensor<1x8x4x4xf16>
// CHECK: return %[[V4]] : tensor<2x16x64xf32>
// CHECK-LABEL: func.func @data_movement
// CHECK-SAME: (%[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<100x16xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<2x5xi64>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<3x1xf32>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<1x8x4x4xf32>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<i32>) -> tensor<2x4x3xf32>
// CHECK: %[[V0:.*]] = fuse.transpose %[[ARG0]] {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
// CHECK: %[[V1:.*]] = fuse.reshape %[[ARG0]] : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK: %[[V2:.*]] = fuse.concat %[[ARG0]], %[[ARG0]] {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x6x4xf32>
// CHECK: %[[V3:.*]]:2 = fuse.split %[[ARG0]] {axis = 2 : i64, sizes = array<i64: 1, 3>} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>, tensor<2x3x3xf32>
// CHECK: %[[V4:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 2>, ends = array<i64: 4>, starts = array<i64: 1>, steps = array<i64: 2>} : tensor<2x3x4xf32> -> tensor<2x3x2xf32>
// CHECK: %[[V5:.*]] = fuse.slice %[[ARG0]] {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 2>, steps = array<i64: -1>} : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK: %[[V6:.*]] = fuse.gather %[[ARG1]], %[[ARG2]] {axis = 0 : i64} : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
// CHECK: %[[V7:.*]] = fuse.expand %[[ARG3]] : tensor<3x1xf32> -> tensor<2x3x4xf32>
// CHECK: %[[V8:.*]] = fuse.pad %[[ARG0]] {pads = array<i64: 0, 1, 1, 0, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x5x6xf32>
// CHECK: %[[V9:.*]] = fuse.pad %[[ARG0]] {mode = #fuse.pad_mode<reflect>, pads = array<i64: 0, 2, 0, 0, 0, 3>} : tensor<2x3x4xf32> -> tensor<2x5x7xf32>
// CHECK: %[[V10:.*]] = fuse.pad %[[ARG0]] {mode = #fuse.pad_mode<edge>, pads = array<i64: 0, 0, -1, 0, 0, 0>, value = 1.500000e+00 : f64} : tensor<2x3x4xf32> -> tensor<2x3x3xf32>
// CHECK: %[[V11:.*]] = fuse.resize %[[ARG4]] {coordinate_mode = #fuse.coordinate_mode<asymmetric>, nearest_mode = #fuse.nearest_mode<floor>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
// CHECK: %[[V12:.*]] = fuse.resize %[[ARG4]] {mode = #fuse.resize_mode<linear>, scales = array<f32: 1.000000e+00, 1.000000e+00, 5.000000e-01, 5.000000e-01>} : tensor<1x8x4x4xf32> -> tensor<1x8x2x2xf32>
// CHECK: %[[V13:.*]] = fuse.resize %[[ARG4]] {coordinate_mode = #fuse.coordinate_mode<align_corners>, cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, mode = #fuse.resize_mode<cubic>} : tensor<1x8x4x4xf32> -> tensor<1x8x6x6xf32>
// CHECK: %[[V14:.*]] = fuse.tile %[[ARG0]] {repeats = array<i64: 2, 1, 3>} : tensor<2x3x4xf32> -> tensor<4x3x12xf32>
// CHECK: %[[V15:.*]] = fuse.gather %[[ARG0]], %[[ARG5]] {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<i32>) -> tensor<2x4xf32>
// CHECK: return %[[V0]] : tensor<2x4x3xf32>
// CHECK-LABEL: func.func @constants
// CHECK-SAME: () -> (tensor<2xf32>, tensor<2x2xi64>, tensor<3xf16>, tensor<2xi1>)
// CHECK: %[[V0:.*]] = fuse.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[V1:.*]] = fuse.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi64>
// CHECK: %[[V2:.*]] = fuse.constant dense_resource<blob1> : tensor<3xf16>
// CHECK: %[[V3:.*]] = fuse.constant dense<[true, false]> : tensor<2xi1>
// CHECK: return %[[V0]], %[[V1]], %[[V2]], %[[V3]] : tensor<2xf32>, tensor<2x2xi64>, tensor<3xf16>, tensor<2xi1>
// CHECK-LABEL: func.func @attention
// CHECK-SAME: (%[[ARG0:[a-zA-Z0-9_]+]]: tensor<1x8x128x64xf16>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1x8x256x64xf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<1x8x256x32xf16>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<1x1x128x256xf16>) -> tensor<1x8x128x32xf16>
// CHECK: %[[V0:.*]] = fuse.attention %[[ARG0]], %[[ARG1]], %[[ARG2]] : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>) -> tensor<1x8x128x32xf16>
// CHECK: %[[V1:.*]] = fuse.attention %[[ARG0]], %[[ARG1]], %[[ARG2]] mask %[[ARG3]] {causal = true, scale = 1.250000e-01 : f32} : (tensor<1x8x128x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x32xf16>, tensor<1x1x128x256xf16>) -> tensor<1x8x128x32xf16>
// CHECK: return %[[V1]] : tensor<1x8x128x32xf16>
// CHECK-LABEL: func.func @group
// CHECK-SAME: (%[[ARG0:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
// CHECK: %[[V0:.*]]:2 = fuse.group(%[[ARG0]], %[[ARG1]]) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
// CHECK: ^bb0(%[[BBARG2:.*]]: tensor<4xf32>, %[[BBARG3:.*]]: tensor<4xf32>):
// CHECK: %[[V2:.*]] = fuse.add %[[BBARG2]], %[[BBARG3]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[V3:.*]] = fuse.relu %[[V2]] : tensor<4xf32>
// CHECK: fuse.yield %[[V2]], %[[V3]] : tensor<4xf32>, tensor<4xf32>
// CHECK: %[[V1:.*]] = fuse.group() : () -> tensor<2xf32> {
// CHECK: %[[V2:.*]] = fuse.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK: fuse.yield %[[V2]] : tensor<2xf32>
// CHECK: return %[[V0]]#0, %[[V0]]#1 : tensor<4xf32>, tensor<4xf32>
