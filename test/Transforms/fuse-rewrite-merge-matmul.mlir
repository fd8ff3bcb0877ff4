// fuse-rewrite, horizontal matmul merge: Q, K, V projections of one input
// become one matmul on concatenated weights and a split (with one merged
// bias add when every projection has a constant bias).
// RUN: fuse-opt %s --split-input-file --fuse-rewrite | FileCheck %s
// RUN: fuse-opt %s --split-input-file --fuse-rewrite=print-stats=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// W1 [2, 1] = [[1], [2]], W2 [2, 2] = [[3, 4], [5, 6]] -> [[1, 3, 4], [2, 5, 6]];
// biases [10] and [20, 30] -> [10, 20, 30].
// CHECK-LABEL: func.func @qkv_bias(
// CHECK-DAG: %[[W:.*]] = fuse.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<[1.000000e+01, 2.000000e+01, 3.000000e+01]> : tensor<3xf32>
// CHECK: %[[M:.*]] = fuse.matmul %arg0, %[[W]] : (tensor<1x4x2xf32>, tensor<2x3xf32>) -> tensor<1x4x3xf32>
// CHECK-NEXT: %[[A:.*]] = fuse.add %[[M]], %[[B]]
// CHECK-NEXT: %[[S:.*]]:2 = fuse.split %[[A]] {axis = 2 : i64, sizes = array<i64: 1, 2>} : tensor<1x4x3xf32> -> tensor<1x4x1xf32>, tensor<1x4x2xf32>
// CHECK-NEXT: return %[[S]]#0, %[[S]]#1
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: merge-matmuls 1
func.func @qkv_bias(%x: tensor<1x4x2xf32>) -> (tensor<1x4x1xf32>, tensor<1x4x2xf32>) {
  %w1 = fuse.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %w2 = fuse.constant dense<[[3.0, 4.0], [5.0, 6.0]]> : tensor<2x2xf32>
  %b1 = fuse.constant dense<10.0> : tensor<1xf32>
  %b2 = fuse.constant dense<[20.0, 30.0]> : tensor<2xf32>
  %m1 = fuse.matmul %x, %w1 : (tensor<1x4x2xf32>, tensor<2x1xf32>) -> tensor<1x4x1xf32>
  %a1 = fuse.add %b1, %m1 : (tensor<1xf32>, tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %m2 = fuse.matmul %x, %w2 : (tensor<1x4x2xf32>, tensor<2x2xf32>) -> tensor<1x4x2xf32>
  %a2 = fuse.add %m2, %b2 : (tensor<1x4x2xf32>, tensor<2xf32>) -> tensor<1x4x2xf32>
  return %a1, %a2 : tensor<1x4x1xf32>, tensor<1x4x2xf32>
}

// -----

// Three projections, transpose_b weights (rows concatenated), one without a
// bias: the split follows the matmul and the bias adds stay.
// CHECK-LABEL: func.func @qkv_transposed(
// CHECK: %[[W:.*]] = fuse.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK: %[[M:.*]] = fuse.matmul %arg0, %[[W]] {transpose_b = true} : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: %[[S:.*]]:3 = fuse.split %[[M]] {axis = 1 : i64, sizes = array<i64: 1, 1, 1>}
// CHECK-NEXT: %[[A:.*]] = fuse.add %[[S]]#0
// CHECK-NEXT: return %[[A]], %[[S]]#1, %[[S]]#2
func.func @qkv_transposed(%x: tensor<4x2xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>) {
  %w1 = fuse.constant dense<[[1.0, 2.0]]> : tensor<1x2xf32>
  %w2 = fuse.constant dense<[[3.0, 4.0]]> : tensor<1x2xf32>
  %w3 = fuse.constant dense<[[5.0, 6.0]]> : tensor<1x2xf32>
  %b1 = fuse.constant dense<1.0> : tensor<1xf32>
  %m1 = fuse.matmul %x, %w1 {transpose_b = true} : (tensor<4x2xf32>, tensor<1x2xf32>) -> tensor<4x1xf32>
  %a1 = fuse.add %m1, %b1 : (tensor<4x1xf32>, tensor<1xf32>) -> tensor<4x1xf32>
  %m2 = fuse.matmul %x, %w2 {transpose_b = true} : (tensor<4x2xf32>, tensor<1x2xf32>) -> tensor<4x1xf32>
  %m3 = fuse.matmul %x, %w3 {transpose_b = true} : (tensor<4x2xf32>, tensor<1x2xf32>) -> tensor<4x1xf32>
  return %a1, %m2, %m3 : tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// Near-misses: one right operand is not a constant; transpose flags differ;
// the matmuls have different left operands.
// CHECK-LABEL: func.func @runtime_weight(
// CHECK-COUNT-2: fuse.matmul
// CHECK-NOT: fuse.split
// CHECK-LABEL: func.func @flags_differ(
// CHECK-COUNT-2: fuse.matmul
// CHECK-NOT: fuse.split
// CHECK-LABEL: func.func @different_inputs(
// CHECK-COUNT-2: fuse.matmul
// CHECK-NOT: fuse.split
// STATS: fuse-rewrite stats: none
func.func @runtime_weight(%x: tensor<4x2xf32>, %w2: tensor<2x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %w1 = fuse.constant dense<1.0> : tensor<2x3xf32>
  %m1 = fuse.matmul %x, %w1 : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %m2 = fuse.matmul %x, %w2 : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %m1, %m2 : tensor<4x3xf32>, tensor<4x3xf32>
}
func.func @flags_differ(%x: tensor<4x2xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %w1 = fuse.constant dense<1.0> : tensor<2x3xf32>
  %w2 = fuse.constant dense<2.0> : tensor<3x2xf32>
  %m1 = fuse.matmul %x, %w1 : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %m2 = fuse.matmul %x, %w2 {transpose_b = true} : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %m1, %m2 : tensor<4x3xf32>, tensor<4x3xf32>
}
func.func @different_inputs(%x: tensor<4x2xf32>, %y: tensor<4x2xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %w1 = fuse.constant dense<1.0> : tensor<2x3xf32>
  %w2 = fuse.constant dense<2.0> : tensor<2x3xf32>
  %m1 = fuse.matmul %x, %w1 : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %m2 = fuse.matmul %y, %w2 : (tensor<4x2xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %m1, %m2 : tensor<4x3xf32>, tensor<4x3xf32>
}
