// fuse-rewrite, recognition family: silu, hard_swish, gelu (erf and tanh
// forms), layer_norm (div, rsqrt and reciprocal forms; gamma and beta
// absorbed), with near-misses that must stay as they are.
// RUN: fuse-opt %s --split-input-file --fuse-rewrite | FileCheck %s
// RUN: fuse-opt %s --split-input-file --fuse-rewrite=print-stats=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=STATS

// CHECK-LABEL: func.func @silu(
// CHECK-NEXT: %[[Y:.*]] = fuse.silu %arg0 : tensor<2x8xf32>
// CHECK-NEXT: return %[[Y]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: silu 1
func.func @silu(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %s = fuse.sigmoid %x : tensor<2x8xf32>
  %y = fuse.mul %s, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// Near-misses: sigmoid of another value; sigmoid with another user.
// CHECK-LABEL: func.func @silu_other_operand(
// CHECK: fuse.sigmoid %arg1
// CHECK: fuse.mul
// CHECK-LABEL: func.func @silu_extra_user(
// CHECK: fuse.sigmoid %arg0
// CHECK: fuse.mul
// STATS: fuse-rewrite stats: none
func.func @silu_other_operand(%x: tensor<8xf32>, %z: tensor<8xf32>) -> tensor<8xf32> {
  %s = fuse.sigmoid %z : tensor<8xf32>
  %y = fuse.mul %x, %s : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}
func.func @silu_extra_user(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %s = fuse.sigmoid %x : tensor<8xf32>
  %y = fuse.mul %x, %s : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y, %s : tensor<8xf32>, tensor<8xf32>
}

// -----

// x * clip(x + 3, 0, 6) / 6, and x * hard_sigmoid(x; 1/6, 1/2).
// CHECK-LABEL: func.func @hard_swish(
// CHECK-NEXT: %[[A:.*]] = fuse.hard_swish %arg0 : tensor<8xf32>
// CHECK-NEXT: %[[B:.*]] = fuse.hard_swish %arg1 : tensor<8xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: div-to-mul 1
// STATS-NEXT: hard-swish 2
func.func @hard_swish(%x: tensor<8xf32>, %z: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %three = fuse.constant dense<3.0> : tensor<f32>
  %six = fuse.constant dense<6.0> : tensor<1xf32>
  %a = fuse.add %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c = fuse.clip %a {min = 0.0 : f64, max = 6.0 : f64} : tensor<8xf32>
  %m = fuse.mul %x, %c : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = fuse.div %m, %six : (tensor<8xf32>, tensor<1xf32>) -> tensor<8xf32>
  %h = fuse.hard_sigmoid %z {alpha = 0.166666672 : f32, beta = 0.5 : f32} : tensor<8xf32>
  %w = fuse.mul %z, %h : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y, %w : tensor<8xf32>, tensor<8xf32>
}

// -----

// A learnable scale merged into the /6 (PP-LCNet): x * clip(x + 3, 0, 6) *
// (2 / 6) becomes hard_swish(x) * 2.
// CHECK-LABEL: func.func @hard_swish_scaled(
// CHECK-DAG: %[[C:.*]] = fuse.constant dense<2.000000e+00> : tensor<f32>
// CHECK-DAG: %[[H:.*]] = fuse.hard_swish %arg0
// CHECK: %[[Y:.*]] = fuse.mul %[[H]], %[[C]]
// CHECK-NEXT: return %[[Y]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: hard-swish 1
func.func @hard_swish_scaled(%x: tensor<8xf32>) -> tensor<8xf32> {
  %three = fuse.constant dense<3.0> : tensor<f32>
  %k = fuse.constant dense<0.333333343> : tensor<f32>
  %a = fuse.add %three, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %c = fuse.clip %a {min = 0.0 : f64, max = 6.0 : f64} : tensor<8xf32>
  %m = fuse.mul %c, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = fuse.mul %m, %k : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// Near-misses: clip to 5 instead of 6; x + 2 instead of x + 3; a hard_sigmoid
// with ONNX's default alpha 0.2 (not hard_swish).
// CHECK-LABEL: func.func @hard_swish_wrong_constants(
// CHECK-NOT: fuse.hard_swish
// CHECK: return
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: div-to-mul 2
// STATS-NOT: hard-swish
func.func @hard_swish_wrong_constants(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %two = fuse.constant dense<2.0> : tensor<f32>
  %three = fuse.constant dense<3.0> : tensor<f32>
  %six = fuse.constant dense<6.0> : tensor<f32>
  %a = fuse.add %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c = fuse.clip %a {min = 0.0 : f64, max = 5.0 : f64} : tensor<8xf32>
  %m = fuse.mul %x, %c : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = fuse.div %m, %six : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %a2 = fuse.add %x, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %c2 = fuse.clip %a2 {min = 0.0 : f64, max = 6.0 : f64} : tensor<8xf32>
  %m2 = fuse.mul %x, %c2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y2 = fuse.div %m2, %six : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %h = fuse.hard_sigmoid %x : tensor<8xf32>
  %w = fuse.mul %x, %h : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y, %y2, %w : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// GELU, erf form in the order PyTorch's exporter writes it
// (Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5)) and in the order of
// `x * 0.5 * (1 + erf(x / sqrt 2))`.
// CHECK-LABEL: func.func @gelu_erf(
// CHECK-NEXT: %[[A:.*]] = fuse.gelu %arg0 : tensor<2x8xf32>
// CHECK-NEXT: %[[B:.*]] = fuse.gelu %arg1 : tensor<2x8xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
// STATS: fuse-rewrite stats:{{$}}
// STATS: gelu 2
func.func @gelu_erf(%x: tensor<2x8xf32>, %z: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %sqrt2 = fuse.constant dense<1.41421354> : tensor<f32>
  %one = fuse.constant dense<1.0> : tensor<f32>
  %half = fuse.constant dense<0.5> : tensor<f32>
  %d = fuse.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %e = fuse.erf %d : tensor<2x8xf32>
  %a = fuse.add %e, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %m = fuse.mul %x, %a : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %y = fuse.mul %m, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %zh = fuse.mul %z, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %zd = fuse.div %z, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %ze = fuse.erf %zd : tensor<2x8xf32>
  %za = fuse.add %one, %ze : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %w = fuse.mul %zh, %za : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y, %w : tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// GELU, tanh form: PyTorch's approximate='tanh' export (x * (x * x) for the
// cube, beta first) and GPT-2's NewGELU (Pow(x, 3)).
// CHECK-LABEL: func.func @gelu_tanh(
// CHECK-NEXT: %[[A:.*]] = fuse.gelu %arg0 {approximate = #fuse.gelu_approximation<tanh>} : tensor<8xf32>
// CHECK-NEXT: %[[B:.*]] = fuse.gelu %arg1 {approximate = #fuse.gelu_approximation<tanh>} : tensor<8xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: gelu 2
func.func @gelu_tanh(%x: tensor<8xf32>, %z: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %beta = fuse.constant dense<0.797884583> : tensor<f32>
  %kappa = fuse.constant dense<0.044715> : tensor<f32>
  %one = fuse.constant dense<1.0> : tensor<f32>
  %half = fuse.constant dense<0.5> : tensor<f32>
  %three = fuse.constant dense<3.0> : tensor<f32>
  %xx = fuse.mul %x, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %x3 = fuse.mul %x, %xx : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %kx3 = fuse.mul %kappa, %x3 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %s = fuse.add %x, %kx3 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %i = fuse.mul %beta, %s : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %t = fuse.tanh %i : tensor<8xf32>
  %a = fuse.add %one, %t : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %m = fuse.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y = fuse.mul %half, %m : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %zh = fuse.mul %half, %z : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %z3 = fuse.pow %z, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %zk = fuse.mul %kappa, %z3 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %zs = fuse.add %z, %zk : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %zi = fuse.mul %beta, %zs : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %zt = fuse.tanh %zi : tensor<8xf32>
  %za = fuse.add %one, %zt : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %w = fuse.mul %zh, %za : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %y, %w : tensor<8xf32>, tensor<8xf32>
}

// -----

// Near-misses: erf of x / 2 (wrong constant), tanh form with kappa 0.05,
// tanh form with x^2 instead of x^3, and erf whose argument has another user.
// CHECK-LABEL: func.func @gelu_near_misses(
// CHECK-NOT: fuse.gelu
// CHECK: return
// STATS: fuse-rewrite stats:{{$}}
// STATS-NOT: gelu
func.func @gelu_near_misses(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %c2 = fuse.constant dense<2.0> : tensor<f32>
  %sqrt2 = fuse.constant dense<1.41421354> : tensor<f32>
  %one = fuse.constant dense<1.0> : tensor<f32>
  %half = fuse.constant dense<0.5> : tensor<f32>
  %beta = fuse.constant dense<0.797884583> : tensor<f32>
  %kbad = fuse.constant dense<0.05> : tensor<f32>
  %kappa = fuse.constant dense<0.044715> : tensor<f32>
  %two = fuse.constant dense<2.0> : tensor<f32>
  %d = fuse.div %x, %c2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e = fuse.erf %d : tensor<8xf32>
  %a = fuse.add %e, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m = fuse.mul %x, %a : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y1 = fuse.mul %m, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>

  %p3 = fuse.pow %x, %c2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %k3 = fuse.mul %kbad, %p3 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %s3 = fuse.add %x, %k3 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %i3 = fuse.mul %beta, %s3 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %t3 = fuse.tanh %i3 : tensor<8xf32>
  %a3 = fuse.add %one, %t3 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %m3 = fuse.mul %x, %a3 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y3 = fuse.mul %half, %m3 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>

  %p4 = fuse.pow %x, %two : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %k4 = fuse.mul %kappa, %p4 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %s4 = fuse.add %x, %k4 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %i4 = fuse.mul %beta, %s4 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %t4 = fuse.tanh %i4 : tensor<8xf32>
  %a4 = fuse.add %one, %t4 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %m4 = fuse.mul %x, %a4 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y4 = fuse.mul %half, %m4 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>

  %d5 = fuse.div %x, %sqrt2 : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %e5 = fuse.erf %d5 : tensor<8xf32>
  %a5 = fuse.add %e5, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %m5 = fuse.mul %x, %a5 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %y5 = fuse.mul %m5, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  return %y1, %y3, %y4, %y5, %d5 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Decomposed LayerNorm as PyTorch exports it (opset < 17): ReduceMean, Sub,
// Pow 2, ReduceMean, Add eps, Sqrt, Div, Mul gamma, Add beta.
// CHECK-LABEL: func.func @layer_norm(
// CHECK-DAG: %[[G:.*]] = fuse.constant dense<2.000000e+00> : tensor<16xf32>
// CHECK-DAG: %[[B:.*]] = fuse.constant dense<1.000000e+00> : tensor<16xf32>
// The epsilon 1e-5 is the default, so it is not printed.
// CHECK: %[[Y:.*]] = fuse.layer_norm %arg0 scale %[[G]] bias %[[B]] {axis = 2 : i64} :
// CHECK-NEXT: return %[[Y]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: layer-norm 1
// STATS-NEXT: layer-norm-bias 1
// STATS-NEXT: layer-norm-scale 1
func.func @layer_norm(%x: tensor<2x4x16xf32>) -> tensor<2x4x16xf32> {
  %two = fuse.constant dense<2.0> : tensor<f32>
  %eps = fuse.constant dense<9.99999974E-6> : tensor<f32>
  %g = fuse.constant dense<2.0> : tensor<16xf32>
  %b = fuse.constant dense<1.0> : tensor<16xf32>
  %mean = fuse.reduce mean %x {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %d = fuse.sub %x, %mean : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %p = fuse.pow %d, %two : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %var = fuse.reduce mean %p {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %ve = fuse.add %var, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %s = fuse.sqrt %ve : tensor<2x4x1xf32>
  %n = fuse.div %d, %s : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %y = fuse.mul %n, %g : (tensor<2x4x16xf32>, tensor<16xf32>) -> tensor<2x4x16xf32>
  %z = fuse.add %y, %b : (tensor<2x4x16xf32>, tensor<16xf32>) -> tensor<2x4x16xf32>
  return %z : tensor<2x4x16xf32>
}

// -----

// Variants: rsqrt and d * d, no gamma/beta; two trailing axes, Reciprocal of
// Sqrt, no eps, gamma given as [1, 4, 8] (reshaped to the normalized [4, 8]);
// 1 / Sqrt written as a Div, eps 1e-5.
// CHECK-LABEL: func.func @layer_norm_variants(
// CHECK: %[[A:.*]] = fuse.layer_norm %arg0 {axis = 1 : i64, epsilon = 1.000000e-03 : f32} : (tensor<3x8xf32>) -> tensor<3x8xf32>
// CHECK: %[[R:.*]] = fuse.reshape %arg2 : tensor<1x4x8xf32> -> tensor<4x8xf32>
// CHECK: %[[B:.*]] = fuse.layer_norm %arg1 scale %[[R]] {axis = 1 : i64, epsilon = 0.000000e+00 : f32} : (tensor<2x4x8xf32>, tensor<4x8xf32>) -> tensor<2x4x8xf32>
// CHECK: %[[C:.*]] = fuse.layer_norm %arg0 {axis = 1 : i64} : (tensor<3x8xf32>) -> tensor<3x8xf32>
// CHECK: return %[[A]], %[[B]], %[[C]]
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: layer-norm 3
// STATS-NEXT: layer-norm-scale 1
func.func @layer_norm_variants(%x: tensor<3x8xf32>, %z: tensor<2x4x8xf32>, %g: tensor<1x4x8xf32>) -> (tensor<3x8xf32>, tensor<2x4x8xf32>, tensor<3x8xf32>) {
  %eps = fuse.constant dense<1.0e-3> : tensor<f32>
  %mean = fuse.reduce mean %x {axes = array<i64: 1>} : tensor<3x8xf32> -> tensor<3x1xf32>
  %d = fuse.sub %x, %mean : (tensor<3x8xf32>, tensor<3x1xf32>) -> tensor<3x8xf32>
  %p = fuse.mul %d, %d : (tensor<3x8xf32>, tensor<3x8xf32>) -> tensor<3x8xf32>
  %var = fuse.reduce mean %p {axes = array<i64: 1>} : tensor<3x8xf32> -> tensor<3x1xf32>
  %ve = fuse.add %eps, %var : (tensor<f32>, tensor<3x1xf32>) -> tensor<3x1xf32>
  %r = fuse.rsqrt %ve : tensor<3x1xf32>
  %n = fuse.mul %r, %d : (tensor<3x1xf32>, tensor<3x8xf32>) -> tensor<3x8xf32>

  %two = fuse.constant dense<2.0> : tensor<f32>
  %zm = fuse.reduce mean %z {axes = array<i64: 1, 2>} : tensor<2x4x8xf32> -> tensor<2x1x1xf32>
  %zd = fuse.sub %z, %zm : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  %zp = fuse.pow %zd, %two : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
  %zv = fuse.reduce mean %zp {axes = array<i64: 1, 2>} : tensor<2x4x8xf32> -> tensor<2x1x1xf32>
  %zs = fuse.sqrt %zv : tensor<2x1x1xf32>
  %zr = fuse.reciprocal %zs : tensor<2x1x1xf32>
  %zn = fuse.mul %zd, %zr : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  %zy = fuse.mul %g, %zn : (tensor<1x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>

  %one = fuse.constant dense<1.0> : tensor<f32>
  %eps5 = fuse.constant dense<1.0e-5> : tensor<f32>
  %wm = fuse.reduce mean %x {axes = array<i64: 1>} : tensor<3x8xf32> -> tensor<3x1xf32>
  %wd = fuse.sub %x, %wm : (tensor<3x8xf32>, tensor<3x1xf32>) -> tensor<3x8xf32>
  %wp = fuse.pow %wd, %two : (tensor<3x8xf32>, tensor<f32>) -> tensor<3x8xf32>
  %wv = fuse.reduce mean %wp {axes = array<i64: 1>} : tensor<3x8xf32> -> tensor<3x1xf32>
  %we = fuse.add %wv, %eps5 : (tensor<3x1xf32>, tensor<f32>) -> tensor<3x1xf32>
  %ws = fuse.sqrt %we : tensor<3x1xf32>
  %wr = fuse.div %one, %ws : (tensor<f32>, tensor<3x1xf32>) -> tensor<3x1xf32>
  %wn = fuse.mul %wd, %wr : (tensor<3x8xf32>, tensor<3x1xf32>) -> tensor<3x8xf32>
  return %n, %zy, %wn : tensor<3x8xf32>, tensor<2x4x8xf32>, tensor<3x8xf32>
}

// -----

// Near-misses: reduction over a non-trailing axis; Pow 3; the difference used
// elsewhere; the variance of another value; a gamma that broadcasts over the
// batch dim (shape [2, 1, 1] does not fit the normalized [16]).
// CHECK-LABEL: func.func @layer_norm_near_misses(
// CHECK-NOT: fuse.layer_norm
// CHECK: fuse.layer_norm %arg0 {axis = 2
// CHECK-NEXT: fuse.mul
// CHECK-NOT: fuse.layer_norm
// CHECK: return
// STATS: fuse-rewrite stats:{{$}}
// STATS-NEXT: layer-norm 1
func.func @layer_norm_near_misses(%x: tensor<2x4x16xf32>, %g: tensor<2x1x1xf32>) -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>) {
  %two = fuse.constant dense<2.0> : tensor<f32>
  %three = fuse.constant dense<3.0> : tensor<f32>
  %eps = fuse.constant dense<1.0e-5> : tensor<f32>
  %m1 = fuse.reduce mean %x {axes = array<i64: 1>} : tensor<2x4x16xf32> -> tensor<2x1x16xf32>
  %d1 = fuse.sub %x, %m1 : (tensor<2x4x16xf32>, tensor<2x1x16xf32>) -> tensor<2x4x16xf32>
  %p1 = fuse.pow %d1, %two : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %v1 = fuse.reduce mean %p1 {axes = array<i64: 1>} : tensor<2x4x16xf32> -> tensor<2x1x16xf32>
  %s1 = fuse.sqrt %v1 : tensor<2x1x16xf32>
  %n1 = fuse.div %d1, %s1 : (tensor<2x4x16xf32>, tensor<2x1x16xf32>) -> tensor<2x4x16xf32>

  %m2 = fuse.reduce mean %x {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %d2 = fuse.sub %x, %m2 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %p2 = fuse.pow %d2, %three : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %v2 = fuse.reduce mean %p2 {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %s2 = fuse.sqrt %v2 : tensor<2x4x1xf32>
  %n2 = fuse.div %d2, %s2 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>

  %m3 = fuse.reduce mean %x {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %d3 = fuse.sub %x, %m3 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %p3 = fuse.pow %d3, %two : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %v3 = fuse.reduce mean %p3 {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %s3 = fuse.sqrt %v3 : tensor<2x4x1xf32>
  %n3 = fuse.div %d3, %s3 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>

  %m4 = fuse.reduce mean %x {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %d4 = fuse.sub %x, %m4 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %p4 = fuse.pow %n3, %two : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %v4 = fuse.reduce mean %p4 {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %s4 = fuse.sqrt %v4 : tensor<2x4x1xf32>
  %n4 = fuse.div %d4, %s4 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>

  %m5 = fuse.reduce mean %x {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %d5 = fuse.sub %x, %m5 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %p5 = fuse.pow %d5, %two : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %v5 = fuse.reduce mean %p5 {axes = array<i64: 2>} : tensor<2x4x16xf32> -> tensor<2x4x1xf32>
  %e5 = fuse.add %v5, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %s5 = fuse.sqrt %e5 : tensor<2x4x1xf32>
  %n5 = fuse.div %d5, %s5 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %y5 = fuse.mul %n5, %g : (tensor<2x4x16xf32>, tensor<2x1x1xf32>) -> tensor<2x4x16xf32>
  return %n1, %n2, %d3, %n4, %y5 : tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>
}
