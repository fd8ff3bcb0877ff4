// f16/bf16 contractions, sums, softmax and layer_norm accumulate in f32 on
// the CPU path: the operands are extended in the fold's body, the
// accumulator (its fill and its result) is f32, and one arith.truncf per
// element rounds the result.
// wide-accumulation=false (the GPU pipeline) keeps the element type.
// RUN: fuse-opt %s --split-input-file --fuse-to-linalg | FileCheck %s
// RUN: fuse-opt %s --split-input-file --fuse-to-linalg=wide-accumulation=false | FileCheck %s --check-prefix=NARROW

// CHECK-LABEL: func.func @matmul_f16(
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<4x3xf32>)
// CHECK:         %[[ACC:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x4096xf16>, tensor<4096x3xf16>) outs(%[[FILL]] : tensor<4x3xf32>)
// CHECK:         ^bb0(%[[A:.*]]: f16, %[[B:.*]]: f16, %[[OUT:.*]]: f32):
// CHECK-DAG:       %[[EA:.*]] = arith.extf %[[A]] : f16 to f32
// CHECK-DAG:       %[[EB:.*]] = arith.extf %[[B]] : f16 to f32
// CHECK:           %[[P:.*]] = arith.mulf %[[EA]], %[[EB]] : f32
// CHECK:           %[[S:.*]] = arith.addf %[[OUT]], %[[P]] : f32
// CHECK:           linalg.yield %[[S]] : f32
// CHECK:         linalg.generic {{.*}} ins(%[[ACC]] : tensor<4x3xf32>) outs(%{{.*}} : tensor<4x3xf16>)
// CHECK-COUNT-1:   arith.truncf %{{.*}} : f32 to f16
// CHECK-NOT:     arith.truncf
// CHECK:         return
// NARROW-LABEL: func.func @matmul_f16(
// NARROW-NOT:    arith.extf
// NARROW:        arith.mulf %{{.*}}, %{{.*}} : f16
// NARROW:        arith.addf %{{.*}}, %{{.*}} : f16
// NARROW-NOT:    arith.truncf
func.func @matmul_f16(%a: tensor<4x4096xf16>, %b: tensor<4096x3xf16>) -> tensor<4x3xf16> {
  %y = fuse.matmul %a, %b : (tensor<4x4096xf16>, tensor<4096x3xf16>) -> tensor<4x3xf16>
  return %y : tensor<4x3xf16>
}

// -----

// bf16, batched, B transposed.
// CHECK-LABEL: func.func @matmul_bf16_batched(
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x4x3xf32>)
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<2x4x3xf32>)
// CHECK:           arith.extf %{{.*}} : bf16 to f32
// CHECK:           arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:         arith.truncf %{{.*}} : f32 to bf16
func.func @matmul_bf16_batched(%a: tensor<2x4x8xbf16>, %b: tensor<2x3x8xbf16>) -> tensor<2x4x3xbf16> {
  %y = fuse.matmul %a, %b {transpose_b = true} : (tensor<2x4x8xbf16>, tensor<2x3x8xbf16>) -> tensor<2x4x3xbf16>
  return %y : tensor<2x4x3xbf16>
}

// -----

// A conv with a bias: the bias is broadcast and extended into the f32
// accumulator (it is added before the one rounding).
// CHECK-LABEL: func.func @conv_f16_bias(
// CHECK:         linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf16>) outs(%{{.*}} : tensor<1x4x3x3xf32>)
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:         linalg.generic {{.*}}iterator_types = [{{.*}}"reduction"{{.*}}outs(%{{.*}} : tensor<1x4x3x3xf32>)
// CHECK:           arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:         arith.truncf %{{.*}} : f32 to f16
func.func @conv_f16_bias(%x: tensor<1x2x5x5xf16>, %w: tensor<4x2x3x3xf16>, %b: tensor<4xf16>) -> tensor<1x4x3x3xf16> {
  %y = fuse.conv %x, %w, %b : (tensor<1x2x5x5xf16>, tensor<4x2x3x3xf16>, tensor<4xf16>) -> tensor<1x4x3x3xf16>
  return %y : tensor<1x4x3x3xf16>
}

// -----

// Near-miss: f32 stays as it is (no extension, no rounding).
// CHECK-LABEL: func.func @matmul_f32(
// CHECK-NOT:     arith.extf
// CHECK-NOT:     arith.truncf
// CHECK:         arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     arith.truncf
// CHECK:         return
func.func @matmul_f32(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %y = fuse.matmul %a, %b : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// softmax: the max stays f16 (exact); the sum of exponentials is an f32
// fold of extended operands, and the normalization runs in f32 with one
// arith.truncf per element.
// CHECK-LABEL: func.func @softmax_f16(
// CHECK:         linalg.generic {{.*}}ins(%{{.*}} : tensor<2x8xf16>) outs(%{{.*}} : tensor<2xf16>)
// CHECK:           arith.maximumf %{{.*}}, %{{.*}} : f16
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK:         linalg.generic {{.*}}outs(%{{.*}} : tensor<2xf32>)
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:           math.exp %{{.*}} : f32
// CHECK:           arith.addf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic {{.*}}ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x8xf16>, tensor<2xf16>, tensor<2xf32>) outs(%{{.*}} : tensor<2x8xf16>)
// CHECK:           arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// NARROW-LABEL: func.func @softmax_f16(
// NARROW-NOT:    arith.extf
// NARROW:        math.exp %{{.*}} : f16
// NARROW:        arith.divf %{{.*}}, %{{.*}} : f16
// NARROW-NOT:    arith.truncf
// NARROW:        return
func.func @softmax_f16(%x: tensor<2x8xf16>) -> tensor<2x8xf16> {
  %y = fuse.softmax %x {axis = 1 : i64} : tensor<2x8xf16>
  return %y : tensor<2x8xf16>
}

// -----

// layer_norm: mean and variance are f32 folds; scale and bias are extended
// and the result rounded once.
// CHECK-LABEL: func.func @layer_norm_bf16(
// CHECK:         linalg.generic {{.*}}ins(%{{.*}} : tensor<2x8xbf16>) outs(%{{.*}} : tensor<2xf32>)
// CHECK:           arith.extf %{{.*}} : bf16 to f32
// CHECK:         linalg.generic {{.*}}ins(%{{.*}}, %{{.*}} : tensor<2x8xbf16>, tensor<2xf32>) outs(%{{.*}} : tensor<2xf32>)
// CHECK:           arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic {{.*}}outs(%{{.*}} : tensor<2x8xbf16>)
// CHECK:           math.sqrt %{{.*}} : f32
// CHECK:           arith.truncf %{{.*}} : f32 to bf16
// NARROW-LABEL: func.func @layer_norm_bf16(
// NARROW-NOT:    arith.extf
// NARROW:        math.sqrt %{{.*}} : bf16
// NARROW-NOT:    arith.truncf
// NARROW:        return
func.func @layer_norm_bf16(%x: tensor<2x8xbf16>, %g: tensor<8xbf16>, %b: tensor<8xbf16>) -> tensor<2x8xbf16> {
  %y = fuse.layer_norm %x scale %g bias %b {axis = 1 : i64} : (tensor<2x8xbf16>, tensor<8xbf16>, tensor<8xbf16>) -> tensor<2x8xbf16>
  return %y : tensor<2x8xbf16>
}

// -----

// reduce mean: f32 sum and division, one rounding before keepdims.
// CHECK-LABEL: func.func @reduce_mean_f16(
// CHECK:         linalg.generic {{.*}}outs(%{{.*}} : tensor<2xf32>)
// CHECK:           arith.addf %{{.*}}, %{{.*}} : f32
// CHECK:           arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:           arith.truncf %{{.*}} : f32 to f16
// CHECK:         tensor.expand_shape %{{.*}} : tensor<2xf16> into tensor<2x1xf16>
func.func @reduce_mean_f16(%x: tensor<2x8xf16>) -> tensor<2x1xf16> {
  %y = fuse.reduce mean %x {axes = array<i64: 1>} : tensor<2x8xf16> -> tensor<2x1xf16>
  return %y : tensor<2x1xf16>
}

// -----

// Near-miss: max and min are exact in f16 and stay in it.
// CHECK-LABEL: func.func @reduce_max_f16(
// CHECK-NOT:     arith.extf
// CHECK:         arith.maximumf %{{.*}}, %{{.*}} : f16
// CHECK-NOT:     arith.truncf
// CHECK:         return
func.func @reduce_max_f16(%x: tensor<2x8xf16>) -> tensor<2xf16> {
  %y = fuse.reduce max %x {axes = array<i64: 1>, keepdims = false} : tensor<2x8xf16> -> tensor<2xf16>
  return %y : tensor<2xf16>
}

// -----

// Near-miss: integer sums keep their type.
// CHECK-LABEL: func.func @reduce_sum_i32(
// CHECK-NOT:     arith.extf
// CHECK:         arith.addi %{{.*}}, %{{.*}} : i32
// CHECK-NOT:     arith.trunc
// CHECK:         return
func.func @reduce_sum_i32(%x: tensor<2x8xi32>) -> tensor<2xi32> {
  %y = fuse.reduce sum %x {axes = array<i64: 1>, keepdims = false} : tensor<2x8xi32> -> tensor<2xi32>
  return %y : tensor<2xi32>
}
