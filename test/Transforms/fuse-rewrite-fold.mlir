// fuse-rewrite, folding family: batch_norm and per-channel constants into
// conv / conv_transpose weights and bias, column scales into matmul weights,
// div by a constant, constant chains, transposes into matmul flags. Every
// folded constant is derived by hand in the comments.
// RUN: fuse-opt %s --split-input-file --fuse-rewrite | FileCheck %s
// RUN: fuse-opt %s --split-input-file --fuse-rewrite=print-stats=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS
// RUN: fuse-opt %s --split-input-file --fuse-rewrite="disable=div-to-mul,fold-batch-norm-into-conv" | FileCheck %s --check-prefix=DISABLE

// 1 / [1, 2, 4, 0.5] = [1, 0.5, 0.25, 2].
// CHECK-LABEL: func.func @div_to_mul(
// CHECK: %[[C:.*]] = fuse.constant dense<[1.000000e+00, 5.000000e-01, 2.500000e-01, 2.000000e+00]> : tensor<4xf32>
// CHECK: fuse.mul %arg0, %[[C]]
// CHECK-NOT: fuse.div
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: div-to-mul 1
// Patterns named in `disable` do not run.
// DISABLE-LABEL: func.func @div_to_mul(
// DISABLE: fuse.div %arg0
// DISABLE-LABEL: func.func @conv_bn(
// DISABLE: fuse.batch_norm
func.func @div_to_mul(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %c = fuse.constant dense<[1.0, 2.0, 4.0, 0.5]> : tensor<4xf32>
  %y = fuse.div %x, %c : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Near-miss: the divisor is not a constant.
// CHECK-LABEL: func.func @div_by_value(
// CHECK: fuse.div %arg0, %arg1
// STATS: fuse-rewrite stats: none
func.func @div_by_value(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %z = fuse.div %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

// BN scale s = gamma / sqrt(var + eps) = [2 / sqrt(4), 8 / sqrt(16)] = [1, 2];
// W' rows scaled: [1, 2], [3*2, 4*2] = [6, 8]; no conv bias, so
// b' = (0 - mean) * s + beta = [-0.5 + 1, -1 * 2 - 1] = [0.5, -3].
// CHECK-LABEL: func.func @conv_bn(
// CHECK-DAG: %[[W:.*]] = fuse.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}2.000000e+00]]], {{\[\[\[}}6.000000e+00]], {{\[\[}}8.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<[5.000000e-01, -3.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = fuse.conv %arg0, %[[W]], %[[B]]
// CHECK-NOT: fuse.batch_norm
// CHECK: return %[[Y]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-batch-norm-into-conv 1
func.func @conv_bn(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = fuse.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %s = fuse.constant dense<[2.0, 8.0]> : tensor<2xf32>
  %b = fuse.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = fuse.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %v = fuse.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = fuse.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = fuse.batch_norm %c, %s, %b, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Near-miss: the conv result has another user, so folding would need a
// second conv.
// CHECK-LABEL: func.func @conv_bn_extra_user(
// CHECK: fuse.conv %arg0
// CHECK: fuse.batch_norm
// STATS: fuse-rewrite stats: none
func.func @conv_bn_extra_user(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = fuse.constant dense<1.0> : tensor<2x2x1x1xf32>
  %s = fuse.constant dense<[2.0, 8.0]> : tensor<2xf32>
  %b = fuse.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = fuse.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %v = fuse.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = fuse.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = fuse.batch_norm %c, %s, %b, %m, %v : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y, %c : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}

// -----

// Near-miss: the statistics are not constants.
// CHECK-LABEL: func.func @conv_bn_runtime_mean(
// CHECK: fuse.batch_norm
func.func @conv_bn_runtime_mean(%x: tensor<1x2x4x4xf32>, %m: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %w = fuse.constant dense<1.0> : tensor<2x2x1x1xf32>
  %s = fuse.constant dense<[2.0, 8.0]> : tensor<2xf32>
  %b = fuse.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %v = fuse.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = fuse.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = fuse.batch_norm %c, %s, %b, %m, %v : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Per-channel mul then add (a learnable affine after the conv), on a conv
// with bias [1, 2]: mul by [[2]], [[3]] scales the weights (row 0 by 2, row 1
// by 3: [2, 4], [9, 12]) and the bias to [2, 6]; the splat add of 0.5 then
// gives [2.5, 6.5]; the sub of [1, 1] then [1.5, 5.5].
// CHECK-LABEL: func.func @conv_affine(
// CHECK-DAG: %[[W:.*]] = fuse.constant dense<{{\[\[\[\[}}2.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[\[}}9.000000e+00]], {{\[\[}}1.200000e+01]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<[1.500000e+00, 5.500000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = fuse.conv %arg0, %[[W]], %[[B]]
// CHECK-NEXT: return %[[Y]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-add-into-conv 1
// STATS-NEXT: fold-mul-into-conv 1
// STATS-NEXT: fold-sub-into-conv 1
func.func @conv_affine(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = fuse.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = fuse.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %s = fuse.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %h = fuse.constant dense<0.5> : tensor<f32>
  %o = fuse.constant dense<1.0> : tensor<1x2x1x1xf32>
  %c = fuse.conv %x, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %m = fuse.mul %s, %c : (tensor<2x1x1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %a = fuse.add %m, %h : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %y = fuse.sub %a, %o : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Near-misses: a constant varying along a spatial dim (wrong axis), a
// constant minus the conv (sign of the weights would flip), and a mul that
// broadcasts the conv result to a larger shape.
// CHECK-LABEL: func.func @conv_not_per_channel(
// CHECK: %[[C:.*]] = fuse.conv
// CHECK: fuse.mul %[[C]]
// CHECK-LABEL: func.func @const_minus_conv(
// CHECK: %[[C:.*]] = fuse.conv
// CHECK: fuse.sub %{{.*}}, %[[C]]
// CHECK-LABEL: func.func @conv_mul_broadcasts(
// CHECK: %[[C:.*]] = fuse.conv
// CHECK: fuse.mul %[[C]]
// STATS: fuse-rewrite stats: none
func.func @conv_not_per_channel(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = fuse.constant dense<1.0> : tensor<2x2x1x1xf32>
  %s = fuse.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %c = fuse.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %m = fuse.mul %c, %s : (tensor<1x2x4x4xf32>, tensor<4xf32>) -> tensor<1x2x4x4xf32>
  return %m : tensor<1x2x4x4xf32>
}
func.func @const_minus_conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = fuse.constant dense<1.0> : tensor<2x2x1x1xf32>
  %s = fuse.constant dense<1.0> : tensor<f32>
  %c = fuse.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %m = fuse.sub %s, %c : (tensor<f32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %m : tensor<1x2x4x4xf32>
}
func.func @conv_mul_broadcasts(%x: tensor<1x2x4x4xf32>) -> tensor<3x2x4x4xf32> {
  %w = fuse.constant dense<1.0> : tensor<2x2x1x1xf32>
  %s = fuse.constant dense<2.0> : tensor<3x1x1x1xf32>
  %c = fuse.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %m = fuse.mul %c, %s : (tensor<1x2x4x4xf32>, tensor<3x1x1x1xf32>) -> tensor<3x2x4x4xf32>
  return %m : tensor<3x2x4x4xf32>
}

// -----

// conv_transpose weight[C=2, F/g=2, 1, 1] with 1 group: output channel f is
// the second weight dim. BN scale [1, 2] (as in @conv_bn), so weights
// [[1, 2], [3, 4]] become [[1, 4], [3, 8]]; bias [0.5, -3].
// CHECK-LABEL: func.func @conv_transpose_bn(
// CHECK-DAG: %[[W:.*]] = fuse.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[\[}}3.000000e+00]], {{\[\[}}8.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<[5.000000e-01, -3.000000e+00]> : tensor<2xf32>
// CHECK: fuse.conv_transpose %arg0, %[[W]], %[[B]] {strides = array<i64: 2, 2>}
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-batch-norm-into-conv 1
func.func @conv_transpose_bn(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x3x3xf32> {
  %w = fuse.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %s = fuse.constant dense<[2.0, 8.0]> : tensor<2xf32>
  %b = fuse.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = fuse.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %v = fuse.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = fuse.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %y = fuse.batch_norm %c, %s, %b, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %y : tensor<1x2x3x3xf32>
}

// -----

// Column scale into matmul weights across a bias add: W [2, 3] times
// [1, 2, 4] per column = [[1, 4, 12], [4, 10, 24]]; bias [1, 1, 1] -> [1, 2, 4].
// CHECK-LABEL: func.func @matmul_scale(
// CHECK-DAG: %[[W:.*]] = fuse.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00, 1.200000e+01], [4.000000e+00, 1.000000e+01, 2.400000e+01]]> : tensor<2x3xf32>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<[1.000000e+00, 2.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK: %[[M:.*]] = fuse.matmul %arg0, %[[W]]
// CHECK: %[[A:.*]] = fuse.add %[[M]], %[[B]]
// CHECK-NEXT: return %[[A]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-mul-into-matmul 1
func.func @matmul_scale(%x: tensor<5x2xf32>) -> tensor<5x3xf32> {
  %w = fuse.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b = fuse.constant dense<1.0> : tensor<3xf32>
  %s = fuse.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %m = fuse.matmul %x, %w : (tensor<5x2xf32>, tensor<2x3xf32>) -> tensor<5x3xf32>
  %a = fuse.add %m, %b : (tensor<5x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  %y = fuse.mul %a, %s : (tensor<5x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// -----

// transpose_b: W [3, 2] holds columns as rows; scale [1, 2, 4] per row:
// [[1, 2], [6, 8], [20, 24]].
// CHECK-LABEL: func.func @matmul_scale_transposed(
// CHECK: %[[W:.*]] = fuse.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [6.000000e+00, 8.000000e+00], [2.000000e+01, 2.400000e+01]]> : tensor<3x2xf32>
// CHECK: %[[M:.*]] = fuse.matmul %arg0, %[[W]] {transpose_b = true}
// CHECK-NEXT: return %[[M]]
func.func @matmul_scale_transposed(%x: tensor<5x2xf32>) -> tensor<5x3xf32> {
  %w = fuse.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %s = fuse.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %m = fuse.matmul %x, %w {transpose_b = true} : (tensor<5x2xf32>, tensor<3x2xf32>) -> tensor<5x3xf32>
  %y = fuse.mul %s, %m : (tensor<3xf32>, tensor<5x3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// -----

// Near-misses: a scale along the rows (not the columns), and a matmul whose
// right operand is not a constant.
// CHECK-LABEL: func.func @matmul_row_scale(
// CHECK: %[[M:.*]] = fuse.matmul
// CHECK: fuse.mul %[[M]]
// CHECK-LABEL: func.func @matmul_runtime_rhs(
// CHECK: %[[M:.*]] = fuse.matmul %arg0, %arg1
// CHECK: fuse.mul %[[M]]
// STATS: fuse-rewrite stats: none
func.func @matmul_row_scale(%x: tensor<5x2xf32>) -> tensor<5x3xf32> {
  %w = fuse.constant dense<1.0> : tensor<2x3xf32>
  %s = fuse.constant dense<[[1.0], [2.0], [3.0], [4.0], [5.0]]> : tensor<5x1xf32>
  %m = fuse.matmul %x, %w : (tensor<5x2xf32>, tensor<2x3xf32>) -> tensor<5x3xf32>
  %y = fuse.mul %m, %s : (tensor<5x3xf32>, tensor<5x1xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}
func.func @matmul_runtime_rhs(%x: tensor<5x2xf32>, %w: tensor<2x3xf32>) -> tensor<5x3xf32> {
  %s = fuse.constant dense<2.0> : tensor<3xf32>
  %m = fuse.matmul %x, %w : (tensor<5x2xf32>, tensor<2x3xf32>) -> tensor<5x3xf32>
  %y = fuse.mul %m, %s : (tensor<5x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}

// -----

// batch_norm over the columns of a 2-D matmul: s = [1, 2] (as in @conv_bn),
// W [[1, 2], [3, 4]] per column -> [[1, 4], [3, 8]]; the add gets
// beta - mean * s = [1 - 0.5, -1 - 2] = [0.5, -3].
// CHECK-LABEL: func.func @matmul_bn(
// CHECK-DAG: %[[W:.*]] = fuse.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00], [3.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<[5.000000e-01, -3.000000e+00]> : tensor<2xf32>
// CHECK: %[[M:.*]] = fuse.matmul %arg0, %[[W]]
// CHECK-NEXT: %[[A:.*]] = fuse.add %[[M]], %[[B]]
// CHECK-NEXT: return %[[A]]
// Near-miss: a rank-3 matmul, whose BN channel dim is the rows.
// CHECK-LABEL: func.func @matmul_bn_rank3(
// CHECK: fuse.batch_norm
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-batch-norm-into-matmul 1
func.func @matmul_bn(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = fuse.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s = fuse.constant dense<[2.0, 8.0]> : tensor<2xf32>
  %b = fuse.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = fuse.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %v = fuse.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = fuse.matmul %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %y = fuse.batch_norm %c, %s, %b, %m, %v {epsilon = 1.0 : f32} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
func.func @matmul_bn_rank3(%x: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %w = fuse.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s = fuse.constant dense<[2.0, 8.0]> : tensor<2xf32>
  %b = fuse.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = fuse.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %v = fuse.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = fuse.matmul %x, %w : (tensor<1x2x2xf32>, tensor<2x2xf32>) -> tensor<1x2x2xf32>
  %y = fuse.batch_norm %c, %s, %b, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  return %y : tensor<1x2x2xf32>
}

// -----

// Constant chains: (x * 2) * [1, 3] -> x * [2, 6]; (x + 1) + 2 -> x + 3.
// CHECK-LABEL: func.func @chains(
// CHECK-DAG: %[[M:.*]] = fuse.constant dense<[2.000000e+00, 6.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[A:.*]] = fuse.constant dense<3.000000e+00> : tensor<f32>
// CHECK: %[[X:.*]] = fuse.mul %arg0, %[[M]]
// CHECK-NEXT: %[[Y:.*]] = fuse.add %[[X]], %[[A]]
// CHECK-NEXT: return %[[Y]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: merge-add-chain 1
// STATS-NEXT: merge-mul-chain 1
func.func @chains(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %c2 = fuse.constant dense<2.0> : tensor<f32>
  %c13 = fuse.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %one = fuse.constant dense<1.0> : tensor<f32>
  %two = fuse.constant dense<2.0> : tensor<f32>
  %a = fuse.mul %x, %c2 : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %b = fuse.mul %c13, %a : (tensor<2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  %c = fuse.add %b, %one : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  %d = fuse.add %c, %two : (tensor<4x2xf32>, tensor<f32>) -> tensor<4x2xf32>
  return %d : tensor<4x2xf32>
}

// -----

// Near-miss: the inner product has another user.
// CHECK-LABEL: func.func @chain_extra_user(
// CHECK: %[[A:.*]] = fuse.mul %arg0
// CHECK: fuse.mul %[[A]]
// STATS: fuse-rewrite stats: none
func.func @chain_extra_user(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c2 = fuse.constant dense<2.0> : tensor<f32>
  %c3 = fuse.constant dense<3.0> : tensor<f32>
  %a = fuse.mul %x, %c2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %b = fuse.mul %a, %c3 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// Transposes of the last two dims become matmul flags; a transpose pair
// composes (canonicalization pattern reused) and a reshape chain collapses.
// CHECK-LABEL: func.func @transposes(
// CHECK: %[[M:.*]] = fuse.matmul %arg0, %arg1 {transpose_a = true, transpose_b = true} : (tensor<2x4x3xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
// CHECK-NEXT: %[[T:.*]] = fuse.transpose %[[M]] {perm = array<i64: 1, 0, 2>}
// CHECK-NEXT: %[[R:.*]] = fuse.reshape %[[T]] : tensor<3x2x5xf32> -> tensor<30xf32>
// CHECK-NEXT: return %[[R]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: transpose-into-matmul 1
func.func @transposes(%a: tensor<2x4x3xf32>, %b: tensor<2x5x4xf32>) -> tensor<30xf32> {
  %ta = fuse.transpose %a {perm = array<i64: 0, 2, 1>} : tensor<2x4x3xf32> -> tensor<2x3x4xf32>
  %tb = fuse.transpose %b {perm = array<i64: 0, 2, 1>} : tensor<2x5x4xf32> -> tensor<2x4x5xf32>
  %m = fuse.matmul %ta, %tb : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %t1 = fuse.transpose %m {perm = array<i64: 2, 0, 1>} : tensor<2x3x5xf32> -> tensor<5x2x3xf32>
  %t2 = fuse.transpose %t1 {perm = array<i64: 2, 1, 0>} : tensor<5x2x3xf32> -> tensor<3x2x5xf32>
  %r1 = fuse.reshape %t2 : tensor<3x2x5xf32> -> tensor<6x5xf32>
  %r2 = fuse.reshape %r1 : tensor<6x5xf32> -> tensor<30xf32>
  return %r2 : tensor<30xf32>
}

// -----

// Near-misses: a transpose that moves a batch dim, and one with another user.
// CHECK-LABEL: func.func @transpose_not_absorbed(
// CHECK: %[[T:.*]] = fuse.transpose %arg0 {perm = array<i64: 1, 0, 2>}
// CHECK: fuse.matmul %[[T]], %arg1 :
// CHECK: %[[U:.*]] = fuse.transpose %arg2
// CHECK: fuse.matmul %[[U]], %arg1 :
// STATS: fuse-rewrite stats: none
func.func @transpose_not_absorbed(%a: tensor<3x2x4xf32>, %b: tensor<2x4x5xf32>, %c: tensor<2x4x3xf32>) -> (tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x4xf32>) {
  %ta = fuse.transpose %a {perm = array<i64: 1, 0, 2>} : tensor<3x2x4xf32> -> tensor<2x3x4xf32>
  %m = fuse.matmul %ta, %b : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %tc = fuse.transpose %c {perm = array<i64: 0, 2, 1>} : tensor<2x4x3xf32> -> tensor<2x3x4xf32>
  %n = fuse.matmul %tc, %b : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %m, %n, %tc : tensor<2x3x5xf32>, tensor<2x3x5xf32>, tensor<2x3x4xf32>
}

// -----

// Weights in a dense_resource blob (as the importer writes them) are read at
// compile time: [1, 2, 3, 4] with the BN scale [1, 2] of @conv_bn gives
// [1, 2, 6, 8]. (The blob: alignment 4, then four little-endian f32.)
// CHECK-LABEL: func.func @conv_bn_resource(
// CHECK-DAG: %[[W:.*]] = fuse.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}2.000000e+00]]], {{\[\[\[}}6.000000e+00]], {{\[\[}}8.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<[5.000000e-01, -3.000000e+00]> : tensor<2xf32>
// CHECK: fuse.conv %arg0, %[[W]], %[[B]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-batch-norm-into-conv 1
func.func @conv_bn_resource(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = fuse.constant dense_resource<conv_w> : tensor<2x2x1x1xf32>
  %s = fuse.constant dense<[2.0, 8.0]> : tensor<2xf32>
  %b = fuse.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %m = fuse.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %v = fuse.constant dense<[3.0, 15.0]> : tensor<2xf32>
  %c = fuse.conv %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = fuse.batch_norm %c, %s, %b, %m, %v {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      conv_w: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// Large folded weights are written as dense_resource blobs again (more than
// 16 elements): a 1x1 conv with 8 output and 4 input channels of ones times
// [1, ..., 8] per channel (the blob: alignment 8, then 32 little-endian f32,
// four of each 1.0 = 0x3F800000 ... 8.0 = 0x41000000). The conv had no bias
// and a scale adds none.
// CHECK-LABEL: func.func @conv_scale_large(
// CHECK: %[[W:.*]] = fuse.constant dense_resource<fuse_rewrite> : tensor<8x4x1x1xf32>
// CHECK-NEXT: %[[C:.*]] = fuse.conv %arg0, %[[W]] : (tensor<1x4x2x2xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x2x2xf32>
// CHECK-NEXT: return %[[C]]
// CHECK: fuse_rewrite: "0x080000000000803F0000803F0000803F0000803F0000004000000040000000400000004000004040000040400000404000004040000080400000804000008040000080400000A0400000A0400000A0400000A0400000C0400000C0400000C0400000C0400000E0400000E0400000E0400000E04000000041000000410000004100000041"
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-mul-into-conv 1
func.func @conv_scale_large(%x: tensor<1x4x2x2xf32>) -> tensor<1x8x2x2xf32> {
  %w = fuse.constant dense<1.0> : tensor<8x4x1x1xf32>
  %s = fuse.constant dense<[[[1.0]], [[2.0]], [[3.0]], [[4.0]], [[5.0]], [[6.0]], [[7.0]], [[8.0]]]> : tensor<8x1x1xf32>
  %c = fuse.conv %x, %w : (tensor<1x4x2x2xf32>, tensor<8x4x1x1xf32>) -> tensor<1x8x2x2xf32>
  %y = fuse.mul %c, %s : (tensor<1x8x2x2xf32>, tensor<8x1x1xf32>) -> tensor<1x8x2x2xf32>
  return %y : tensor<1x8x2x2xf32>
}

// -----

// Constants in front of a conv fold into it (after the other patterns had
// their turn): a per-input-channel scale [2, 3] multiplies the weights of
// each input channel, also with padding (padded zeros stay zero): W
// [[1, 2], [3, 4]] (f x c) -> [[2, 6], [6, 12]]. A shift [1, -1] before an
// unpadded conv adds sum_c W[f, c] * shift[c] to the bias:
// [10 + 1 - 2, 20 + 3 - 4] = [9, 19].
// CHECK-LABEL: func.func @into_next_conv(
// CHECK-DAG: %[[W1:.*]] = fuse.constant dense<{{\[\[\[\[}}2.000000e+00]], {{\[\[}}6.000000e+00]]], {{\[\[\[}}6.000000e+00]], {{\[\[}}1.200000e+01]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: %[[B2:.*]] = fuse.constant dense<[9.000000e+00, 1.900000e+01]> : tensor<2xf32>
// CHECK: %[[C1:.*]] = fuse.conv %arg0, %[[W1]] {pads = array<i64: 1, 1, 1, 1>}
// CHECK: %[[C2:.*]] = fuse.conv %arg1, %{{.*}}, %[[B2]] :
// CHECK-NEXT: return %[[C1]], %[[C2]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-add-into-next-conv 1
// STATS-NEXT: fold-mul-into-next-conv 1
func.func @into_next_conv(%x: tensor<1x2x4x4xf32>, %z: tensor<1x2x4x4xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>) {
  %w = fuse.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = fuse.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %s = fuse.constant dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>
  %t = fuse.constant dense<[[[[1.0]], [[-1.0]]]]> : tensor<1x2x1x1xf32>
  %a = fuse.mul %x, %s : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %c1 = fuse.conv %a, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x6x6xf32>
  %d = fuse.add %t, %z : (tensor<1x2x1x1xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c2 = fuse.conv %d, %w, %b : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %c1, %c2 : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>
}

// -----

// Depthwise (groups = 2, one input channel per group): input channel g
// scales the weights of output channel g: [[1]], [[2]] times [3, 5].
// CHECK-LABEL: func.func @into_next_depthwise(
// CHECK: %[[W:.*]] = fuse.constant dense<{{\[\[\[\[}}3.000000e+00]]], {{\[\[\[}}1.000000e+01]]]]> : tensor<2x1x1x1xf32>
// CHECK: fuse.conv %arg0, %[[W]] {groups = 2 : i64}
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: fold-mul-into-next-conv 1
func.func @into_next_depthwise(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = fuse.constant dense<[[[[1.0]]], [[[2.0]]]]> : tensor<2x1x1x1xf32>
  %s = fuse.constant dense<[[[3.0]], [[5.0]]]> : tensor<2x1x1xf32>
  %a = fuse.mul %x, %s : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %c = fuse.conv %a, %w {groups = 2 : i64} : (tensor<1x2x4x4xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %c : tensor<1x2x4x4xf32>
}

// -----

// Near-misses: a shift before a padded conv (the border would see the shift
// instead of zeros); a scale whose result has another user; a scale that
// varies along a spatial dim.
// CHECK-LABEL: func.func @not_into_next_conv(
// CHECK: %[[A:.*]] = fuse.add %arg0
// CHECK: fuse.conv %[[A]]
// CHECK: %[[M:.*]] = fuse.mul %arg0
// CHECK: fuse.conv %[[M]]
// CHECK: %[[N:.*]] = fuse.mul %arg0
// CHECK: fuse.conv %[[N]]
// STATS: fuse-rewrite stats: none
func.func @not_into_next_conv(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = fuse.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %t = fuse.constant dense<1.0> : tensor<f32>
  %s = fuse.constant dense<2.0> : tensor<f32>
  %r = fuse.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %a = fuse.add %x, %t : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %c1 = fuse.conv %a, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x6x6xf32>
  %m = fuse.mul %x, %s : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %c2 = fuse.conv %m, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %n = fuse.mul %x, %r : (tensor<1x2x4x4xf32>, tensor<4xf32>) -> tensor<1x2x4x4xf32>
  %c3 = fuse.conv %n, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %c1, %c2, %m, %c3 : tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
