// fuse-rewrite, attention: softmax(q k^T * scale + mask) v becomes
// fuse.attention on the [B, H, S, D] operands behind the head split, with the
// scale as div or mul on the scores or on q, an optional additive mask and an
// optional causal select; near-misses keep their ops.
// RUN: fuse-opt %s --split-input-file --fuse-rewrite | FileCheck %s
// RUN: fuse-opt %s --split-input-file --fuse-rewrite=print-stats=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// BERT self-attention as PyTorch exports it: [B, S, H*D] reshaped to
// [B, S, H, D] and transposed to [B, H, S, D]; k transposed to [B, H, D, S]
// (the two transposes composed to perm 0,2,3,1); scores / sqrt(D) + mask.
// The key operand becomes one transpose of the reshaped k to [B, H, S, D].
// CHECK-LABEL: func.func @bert(
// CHECK: %[[Q:.*]] = fuse.transpose %{{.*}} {perm = array<i64: 0, 2, 1, 3>} : tensor<1x4x2x4xf32> -> tensor<1x2x4x4xf32>
// CHECK: %[[KR:.*]] = fuse.reshape %arg1 : tensor<1x4x8xf32> -> tensor<1x4x2x4xf32>
// CHECK: %[[K:.*]] = fuse.transpose %[[KR]] {perm = array<i64: 0, 2, 1, 3>} : tensor<1x4x2x4xf32> -> tensor<1x2x4x4xf32>
// CHECK: %[[VR:.*]] = fuse.reshape %arg2
// CHECK: %[[V:.*]] = fuse.transpose %[[VR]] {perm = array<i64: 0, 2, 1, 3>} : tensor<1x4x2x4xf32> -> tensor<1x2x4x4xf32>
// CHECK: %[[O:.*]] = fuse.attention %[[Q]], %[[K]], %[[V]] mask %arg3 {scale = 5.000000e-01 : f32} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT: fuse.softmax
// CHECK-NOT: fuse.matmul
// CHECK: fuse.transpose %[[O]] {perm = array<i64: 0, 2, 1, 3>}
// STATS: fuse-rewrite stats:{{$}}
// STATS: attention 1
func.func @bert(%q: tensor<1x4x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>, %mask: tensor<1x1x1x4xf32>) -> tensor<1x4x8xf32> {
  %sqrtd = fuse.constant dense<2.0> : tensor<f32>
  %q4 = fuse.reshape %q : tensor<1x4x8xf32> -> tensor<1x4x2x4xf32>
  %qt = fuse.transpose %q4 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x4x2x4xf32> -> tensor<1x2x4x4xf32>
  %k4 = fuse.reshape %k : tensor<1x4x8xf32> -> tensor<1x4x2x4xf32>
  %kt = fuse.transpose %k4 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x4x2x4xf32> -> tensor<1x2x4x4xf32>
  %ktt = fuse.transpose %kt {perm = array<i64: 0, 1, 3, 2>} : tensor<1x2x4x4xf32> -> tensor<1x2x4x4xf32>
  %v4 = fuse.reshape %v : tensor<1x4x8xf32> -> tensor<1x4x2x4xf32>
  %vt = fuse.transpose %v4 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x4x2x4xf32> -> tensor<1x2x4x4xf32>
  %s = fuse.matmul %qt, %ktt : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %d = fuse.div %s, %sqrtd : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %a = fuse.add %d, %mask : (tensor<1x2x4x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x2x4x4xf32>
  %p = fuse.softmax %a {axis = 3 : i64} : tensor<1x2x4x4xf32>
  %o = fuse.matmul %p, %vt : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %ot = fuse.transpose %o {perm = array<i64: 0, 2, 1, 3>} : tensor<1x2x4x4xf32> -> tensor<1x4x2x4xf32>
  %r = fuse.reshape %ot : tensor<1x4x2x4xf32> -> tensor<1x4x8xf32>
  return %r : tensor<1x4x8xf32>
}

// -----

// GPT-2: scores / sqrt(D), a causal Where with a constant lower-triangular
// condition and the lowest float as fill, then the additive mask. The mask
// on the mask side of the add is a graph value; the kept branch is first.
// CHECK-LABEL: func.func @gpt2_causal(
// CHECK: %[[O:.*]] = fuse.attention %arg0, %arg1, %arg2 mask %arg3 {causal = true, scale = 2.500000e-01 : f32}
// CHECK-NEXT: return %[[O]]
// STATS: fuse-rewrite stats:{{$}}
// STATS: attention 1
func.func @gpt2_causal(%q: tensor<1x2x4x16xf32>, %k: tensor<1x2x4x16xf32>, %v: tensor<1x2x4x16xf32>, %mask: tensor<1x1x1x4xf32>) -> tensor<1x2x4x16xf32> {
  %sqrtd = fuse.constant dense<4.0> : tensor<f32>
  %cond = fuse.constant dense<[[[[true, false, false, false], [true, true, false, false], [true, true, true, false], [true, true, true, true]]]]> : tensor<1x1x4x4xi1>
  %fill = fuse.constant dense<-3.40282347E+38> : tensor<f32>
  %kt = fuse.transpose %k {perm = array<i64: 0, 1, 3, 2>} : tensor<1x2x4x16xf32> -> tensor<1x2x16x4xf32>
  %s = fuse.matmul %q, %kt : (tensor<1x2x4x16xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x4x4xf32>
  %d = fuse.div %s, %sqrtd : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %w = fuse.select %cond, %d, %fill : (tensor<1x1x4x4xi1>, tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %a = fuse.add %mask, %w : (tensor<1x1x1x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = fuse.softmax %a {axis = 3 : i64} : tensor<1x2x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %o : tensor<1x2x4x16xf32>
}

// -----

// The scale on q (mul), k given with transpose_b, no mask; and a causal
// select in the other polarity (condition true on the hidden upper triangle,
// fill -10000 first) with the scale as mul on the scores.
// CHECK-LABEL: func.func @scaled_q(
// CHECK: %[[O:.*]] = fuse.attention %arg0, %arg1, %arg2 {scale = 1.250000e-01 : f32} : (tensor<2x4x8xf32>, tensor<2x6x8xf32>, tensor<2x6x3xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: return %[[O]]
// CHECK-LABEL: func.func @causal_inverted(
// CHECK: %[[O:.*]] = fuse.attention %arg0, %arg1, %arg2 {causal = true, scale = 1.250000e-01 : f32}
// CHECK-NEXT: return %[[O]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: attention 2
func.func @scaled_q(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x3xf32>) -> tensor<2x4x3xf32> {
  %c = fuse.constant dense<0.125> : tensor<1xf32>
  %qs = fuse.mul %c, %q : (tensor<1xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %s = fuse.matmul %qs, %k {transpose_b = true} : (tensor<2x4x8xf32>, tensor<2x6x8xf32>) -> tensor<2x4x6xf32>
  %p = fuse.softmax %s {axis = 2 : i64} : tensor<2x4x6xf32>
  %o = fuse.matmul %p, %v : (tensor<2x4x6xf32>, tensor<2x6x3xf32>) -> tensor<2x4x3xf32>
  return %o : tensor<2x4x3xf32>
}
func.func @causal_inverted(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %c = fuse.constant dense<0.125> : tensor<f32>
  %cond = fuse.constant dense<[[[[false, true, true, true], [false, false, true, true], [false, false, false, true], [false, false, false, false]]]]> : tensor<1x1x4x4xi1>
  %fill = fuse.constant dense<-1.0e4> : tensor<f32>
  %s = fuse.matmul %q, %k {transpose_b = true} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %d = fuse.mul %s, %c : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %w = fuse.select %cond, %fill, %d : (tensor<1x1x4x4xi1>, tensor<f32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = fuse.softmax %w {axis = 3 : i64} : tensor<1x2x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// An additive constant causal mask (0 on and below the diagonal, -1e9 above)
// becomes `causal` without a mask operand; with one entry above the diagonal
// at -1 it is an ordinary additive mask.
// CHECK-LABEL: func.func @additive_causal(
// CHECK: %[[O:.*]] = fuse.attention %arg0, %arg1, %arg2 {{[{]}}causal = true, scale = 1.000000e+00 : f32} :
// CHECK-NEXT: return %[[O]]
// CHECK-LABEL: func.func @additive_not_causal(
// CHECK: %[[M:.*]] = fuse.constant
// CHECK: %[[O:.*]] = fuse.attention %arg0, %arg1, %arg2 mask %[[M]] {{[{]}}scale = 1.000000e+00 : f32} :
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: attention 2
func.func @additive_causal(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %mask = fuse.constant dense<[[[[0.0, -1000000000.0, -1000000000.0, -1000000000.0],   [0.0, 0.0, -1000000000.0, -1000000000.0],   [0.0, 0.0, 0.0, -1000000000.0],   [0.0, 0.0, 0.0, 0.0]]]]> : tensor<1x1x4x4xf32>
  %s = fuse.matmul %q, %k {transpose_b = true} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %a = fuse.add %s, %mask : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = fuse.softmax %a {axis = 3 : i64} : tensor<1x2x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}
func.func @additive_not_causal(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> {
  %mask = fuse.constant dense<[[[[0.0, -1000000000.0, -1000000000.0, -1000000000.0],   [0.0, 0.0, -1000000000.0, -1.0],   [0.0, 0.0, 0.0, -1000000000.0],   [0.0, 0.0, 0.0, 0.0]]]]> : tensor<1x1x4x4xf32>
  %s = fuse.matmul %q, %k {transpose_b = true} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x4xf32>
  %a = fuse.add %s, %mask : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = fuse.softmax %a {axis = 3 : i64} : tensor<1x2x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  return %o : tensor<1x2x4x8xf32>
}

// -----

// Near-misses: a select whose condition is not causal (j >= i keeps the
// upper triangle); a causal condition with fill -1 (masked scores would still
// count); softmax along the query axis; probabilities with another user; a
// negative scale.
// CHECK-LABEL: func.func @not_causal(
// CHECK: fuse.select
// CHECK: fuse.softmax
// CHECK-LABEL: func.func @fill_too_high(
// CHECK: fuse.select
// CHECK: fuse.softmax
// CHECK-LABEL: func.func @softmax_wrong_axis(
// CHECK: fuse.softmax %{{.*}} {axis = 1 : i64}
// CHECK-LABEL: func.func @probabilities_used(
// CHECK: fuse.softmax
// CHECK-LABEL: func.func @negative_scale(
// CHECK: fuse.softmax
// CHECK-NOT: fuse.attention
// STATS: fuse-rewrite stats: none
func.func @not_causal(%q: tensor<1x4x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %cond = fuse.constant dense<[[[true, true, true, true], [false, true, true, true], [false, false, true, true], [false, false, false, true]]]> : tensor<1x4x4xi1>
  %fill = fuse.constant dense<-1.0e9> : tensor<f32>
  %s = fuse.matmul %q, %k {transpose_b = true} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x4xf32>
  %w = fuse.select %cond, %s, %fill : (tensor<1x4x4xi1>, tensor<1x4x4xf32>, tensor<f32>) -> tensor<1x4x4xf32>
  %p = fuse.softmax %w {axis = 2 : i64} : tensor<1x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x4x4xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  return %o : tensor<1x4x8xf32>
}
func.func @fill_too_high(%q: tensor<1x4x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %cond = fuse.constant dense<[[[true, false, false, false], [true, true, false, false], [true, true, true, false], [true, true, true, true]]]> : tensor<1x4x4xi1>
  %fill = fuse.constant dense<-1.0> : tensor<f32>
  %s = fuse.matmul %q, %k {transpose_b = true} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x4xf32>
  %w = fuse.select %cond, %s, %fill : (tensor<1x4x4xi1>, tensor<1x4x4xf32>, tensor<f32>) -> tensor<1x4x4xf32>
  %p = fuse.softmax %w {axis = 2 : i64} : tensor<1x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x4x4xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  return %o : tensor<1x4x8xf32>
}
func.func @softmax_wrong_axis(%q: tensor<1x4x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %s = fuse.matmul %q, %k {transpose_b = true} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x4xf32>
  %p = fuse.softmax %s {axis = 1 : i64} : tensor<1x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x4x4xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  return %o : tensor<1x4x8xf32>
}
func.func @probabilities_used(%q: tensor<1x4x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>) -> (tensor<1x4x8xf32>, tensor<1x4x4xf32>) {
  %s = fuse.matmul %q, %k {transpose_b = true} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x4xf32>
  %p = fuse.softmax %s {axis = 2 : i64} : tensor<1x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x4x4xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  return %o, %p : tensor<1x4x8xf32>, tensor<1x4x4xf32>
}
func.func @negative_scale(%q: tensor<1x4x8xf32>, %k: tensor<1x4x8xf32>, %v: tensor<1x4x8xf32>) -> tensor<1x4x8xf32> {
  %c = fuse.constant dense<-0.5> : tensor<f32>
  %s = fuse.matmul %q, %k {transpose_b = true} : (tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<1x4x4xf32>
  %d = fuse.mul %s, %c : (tensor<1x4x4xf32>, tensor<f32>) -> tensor<1x4x4xf32>
  %p = fuse.softmax %d {axis = 2 : i64} : tensor<1x4x4xf32>
  %o = fuse.matmul %p, %v : (tensor<1x4x4xf32>, tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  return %o : tensor<1x4x8xf32>
}
