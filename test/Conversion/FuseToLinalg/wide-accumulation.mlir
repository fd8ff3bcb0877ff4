// f16/bf16 contractions accumulate in f32 on the CPU path: the operands
// are extended in the contraction's body, the accumulator (its fill and
// its result) is f32, and one arith.truncf per element rounds the result.
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
