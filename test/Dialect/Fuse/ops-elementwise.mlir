// Round trip of the elementwise fuse ops: unary, binary (numpy
// broadcasting), compare, logical, select, clip and cast. Every op is parsed,
// printed, parsed again and checked; the second RUN line goes through the
// generic op form first.
// RUN: fuse-opt %s | fuse-opt | FileCheck %s
// RUN: fuse-opt %s --mlir-print-op-generic | fuse-opt | FileCheck %s

// CHECK-LABEL: func.func @unary_float(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V0:.*]] = fuse.exp %[[ARG0]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.log %[[V0]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.sqrt %[[V1]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.rsqrt %[[V2]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.reciprocal %[[V3]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.sigmoid %[[V4]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V6:.*]] = fuse.tanh %[[V5]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V7:.*]] = fuse.erf %[[V6]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V8:.*]] = fuse.silu %[[V7]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V9:.*]] = fuse.hard_swish %[[V8]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V10:.*]] = fuse.floor %[[V9]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V11:.*]] = fuse.ceil %[[V10]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V12:.*]] = fuse.round %[[V11]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V13:.*]] = fuse.sin %[[V12]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V14:.*]] = fuse.cos %[[V13]] : tensor<2x3xf32>
// CHECK-NEXT: return %[[V14]] : tensor<2x3xf32>
func.func @unary_float(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = fuse.exp %x : tensor<2x3xf32>
  %1 = fuse.log %0 : tensor<2x3xf32>
  %2 = fuse.sqrt %1 : tensor<2x3xf32>
  %3 = fuse.rsqrt %2 : tensor<2x3xf32>
  %4 = fuse.reciprocal %3 : tensor<2x3xf32>
  %5 = fuse.sigmoid %4 : tensor<2x3xf32>
  %6 = fuse.tanh %5 : tensor<2x3xf32>
  %7 = fuse.erf %6 : tensor<2x3xf32>
  %8 = fuse.silu %7 : tensor<2x3xf32>
  %9 = fuse.hard_swish %8 : tensor<2x3xf32>
  %10 = fuse.floor %9 : tensor<2x3xf32>
  %11 = fuse.ceil %10 : tensor<2x3xf32>
  %12 = fuse.round %11 : tensor<2x3xf32>
  %13 = fuse.sin %12 : tensor<2x3xf32>
  %14 = fuse.cos %13 : tensor<2x3xf32>
  return %14 : tensor<2x3xf32>
}

// The float-only ops also take f16, bf16 and rank-0 tensors.
// CHECK-LABEL: func.func @unary_float_types(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4xf16>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<2x2xbf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<f32>) -> (tensor<4xf16>, tensor<2x2xbf16>, tensor<f32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.exp %[[ARG0]] : tensor<4xf16>
// CHECK-NEXT: %[[V1:.*]] = fuse.tanh %[[ARG1]] : tensor<2x2xbf16>
// CHECK-NEXT: %[[V2:.*]] = fuse.sqrt %[[ARG2]] : tensor<f32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]] : tensor<4xf16>, tensor<2x2xbf16>, tensor<f32>
func.func @unary_float_types(%h: tensor<4xf16>, %b: tensor<2x2xbf16>, %s: tensor<f32>) -> (tensor<4xf16>, tensor<2x2xbf16>, tensor<f32>) {
  %0 = fuse.exp %h : tensor<4xf16>
  %1 = fuse.tanh %b : tensor<2x2xbf16>
  %2 = fuse.sqrt %s : tensor<f32>
  return %0, %1, %2 : tensor<4xf16>, tensor<2x2xbf16>, tensor<f32>
}

// neg, abs and relu take any numeric tensor, integers included.
// CHECK-LABEL: func.func @unary_numeric(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4xi32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<4xi64>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<3xbf16>) -> (tensor<2x3xf32>, tensor<4xi32>, tensor<4xi64>, tensor<3xbf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.neg %[[ARG0]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.abs %[[V0]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.relu %[[V1]] : tensor<2x3xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.neg %[[ARG1]] : tensor<4xi32>
// CHECK-NEXT: %[[V4:.*]] = fuse.abs %[[V3]] : tensor<4xi32>
// CHECK-NEXT: %[[V5:.*]] = fuse.relu %[[ARG2]] : tensor<4xi64>
// CHECK-NEXT: %[[V6:.*]] = fuse.relu %[[ARG3]] : tensor<3xbf16>
// CHECK-NEXT: return %[[V2]], %[[V4]], %[[V5]], %[[V6]] : tensor<2x3xf32>, tensor<4xi32>, tensor<4xi64>, tensor<3xbf16>
func.func @unary_numeric(%x: tensor<2x3xf32>, %i: tensor<4xi32>, %l: tensor<4xi64>, %b: tensor<3xbf16>) -> (tensor<2x3xf32>, tensor<4xi32>, tensor<4xi64>, tensor<3xbf16>) {
  %0 = fuse.neg %x : tensor<2x3xf32>
  %1 = fuse.abs %0 : tensor<2x3xf32>
  %2 = fuse.relu %1 : tensor<2x3xf32>
  %3 = fuse.neg %i : tensor<4xi32>
  %4 = fuse.abs %3 : tensor<4xi32>
  %5 = fuse.relu %l : tensor<4xi64>
  %6 = fuse.relu %b : tensor<3xbf16>
  return %2, %4, %5, %6 : tensor<2x3xf32>, tensor<4xi32>, tensor<4xi64>, tensor<3xbf16>
}

// CHECK-LABEL: func.func @not(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x4xi1>) -> tensor<2x4xi1>
// CHECK-NEXT: %[[V0:.*]] = fuse.not %[[ARG0]] : tensor<2x4xi1>
// CHECK-NEXT: return %[[V0]] : tensor<2x4xi1>
func.func @not(%p: tensor<2x4xi1>) -> tensor<2x4xi1> {
  %0 = fuse.not %p : tensor<2x4xi1>
  return %0 : tensor<2x4xi1>
}

// Attribute-carrying unary ops; attributes equal to their default are not
// printed.
// CHECK-LABEL: func.func @unary_attrs(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<8xf32>) -> tensor<8xf32>
// CHECK-NEXT: %[[V0:.*]] = fuse.leaky_relu %[[ARG0]] : tensor<8xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.leaky_relu %[[V0]] {alpha = 2.000000e-01 : f32} : tensor<8xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.leaky_relu %[[V1]] : tensor<8xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.gelu %[[V2]] : tensor<8xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.gelu %[[V3]] {approximate = #fuse.gelu_approximation<tanh>} : tensor<8xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.gelu %[[V4]] : tensor<8xf32>
// CHECK-NEXT: %[[V6:.*]] = fuse.hard_sigmoid %[[V5]] : tensor<8xf32>
// CHECK-NEXT: %[[V7:.*]] = fuse.hard_sigmoid %[[V6]] {alpha = 0.166666672 : f32} : tensor<8xf32>
// CHECK-NEXT: %[[V8:.*]] = fuse.hard_sigmoid %[[V7]] {beta = 2.500000e-01 : f32} : tensor<8xf32>
// CHECK-NEXT: return %[[V8]] : tensor<8xf32>
func.func @unary_attrs(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = fuse.leaky_relu %x : tensor<8xf32>
  %1 = fuse.leaky_relu %0 {alpha = 0.2 : f32} : tensor<8xf32>
  %2 = fuse.leaky_relu %1 {alpha = 0.01 : f32} : tensor<8xf32>
  %3 = fuse.gelu %2 : tensor<8xf32>
  %4 = fuse.gelu %3 {approximate = #fuse.gelu_approximation<tanh>} : tensor<8xf32>
  %5 = fuse.gelu %4 {approximate = #fuse.gelu_approximation<none>} : tensor<8xf32>
  %6 = fuse.hard_sigmoid %5 : tensor<8xf32>
  %7 = fuse.hard_sigmoid %6 {alpha = 0.166666672 : f32, beta = 0.5 : f32} : tensor<8xf32>
  %8 = fuse.hard_sigmoid %7 {beta = 0.25 : f32} : tensor<8xf32>
  return %8 : tensor<8xf32>
}

// CHECK-LABEL: func.func @clip(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<8xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4xi32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<2xf16>) -> (tensor<8xf32>, tensor<4xi32>, tensor<2xf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.clip %[[ARG0]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<8xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.clip %[[V0]] {min = -1.000000e+00 : f64} : tensor<8xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.clip %[[V1]] {max = 1.000000e+00 : f64} : tensor<8xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.clip %[[V2]] : tensor<8xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.clip %[[V3]] {max = 2.000000e+00 : f64, min = 2.000000e+00 : f64} : tensor<8xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.clip %[[ARG1]] {max = 3.000000e+00 : f64, min = -3.000000e+00 : f64} : tensor<4xi32>
// CHECK-NEXT: %[[V6:.*]] = fuse.clip %[[ARG2]] {max = 6.500000e+04 : f64} : tensor<2xf16>
// CHECK-NEXT: return %[[V4]], %[[V5]], %[[V6]] : tensor<8xf32>, tensor<4xi32>, tensor<2xf16>
func.func @clip(%x: tensor<8xf32>, %i: tensor<4xi32>, %h: tensor<2xf16>) -> (tensor<8xf32>, tensor<4xi32>, tensor<2xf16>) {
  %0 = fuse.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<8xf32>
  %1 = fuse.clip %0 {min = -1.0 : f64} : tensor<8xf32>
  %2 = fuse.clip %1 {max = 1.0 : f64} : tensor<8xf32>
  %3 = fuse.clip %2 : tensor<8xf32>
  %4 = fuse.clip %3 {min = 2.0 : f64, max = 2.0 : f64} : tensor<8xf32>
  %5 = fuse.clip %i {min = -3.0 : f64, max = 3.0 : f64} : tensor<4xi32>
  %6 = fuse.clip %h {max = 6.5e+04 : f64} : tensor<2xf16>
  return %4, %5, %6 : tensor<8xf32>, tensor<4xi32>, tensor<2xf16>
}

// CHECK-LABEL: func.func @cast(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4xi64>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<4xi1>) -> (tensor<2x3xf16>, tensor<2x3xbf16>, tensor<2x3xi32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi64>, tensor<2x3xf32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.cast %[[ARG0]] : tensor<2x3xf32> -> tensor<2x3xf16>
// CHECK-NEXT: %[[V1:.*]] = fuse.cast %[[V0]] : tensor<2x3xf16> -> tensor<2x3xbf16>
// CHECK-NEXT: %[[V2:.*]] = fuse.cast %[[ARG0]] : tensor<2x3xf32> -> tensor<2x3xi32>
// CHECK-NEXT: %[[V3:.*]] = fuse.cast %[[ARG1]] : tensor<4xi64> -> tensor<4xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.cast %[[ARG1]] : tensor<4xi64> -> tensor<4xi1>
// CHECK-NEXT: %[[V5:.*]] = fuse.cast %[[ARG2]] : tensor<4xi1> -> tensor<4xi64>
// CHECK-NEXT: %[[V6:.*]] = fuse.cast %[[ARG0]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]] : tensor<2x3xf16>, tensor<2x3xbf16>, tensor<2x3xi32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi64>, tensor<2x3xf32>
func.func @cast(%x: tensor<2x3xf32>, %i: tensor<4xi64>, %p: tensor<4xi1>) -> (tensor<2x3xf16>, tensor<2x3xbf16>, tensor<2x3xi32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi64>, tensor<2x3xf32>) {
  %0 = fuse.cast %x : tensor<2x3xf32> -> tensor<2x3xf16>
  %1 = fuse.cast %0 : tensor<2x3xf16> -> tensor<2x3xbf16>
  %2 = fuse.cast %x : tensor<2x3xf32> -> tensor<2x3xi32>
  %3 = fuse.cast %i : tensor<4xi64> -> tensor<4xf32>
  %4 = fuse.cast %i : tensor<4xi64> -> tensor<4xi1>
  %5 = fuse.cast %p : tensor<4xi1> -> tensor<4xi64>
  %6 = fuse.cast %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf16>, tensor<2x3xbf16>, tensor<2x3xi32>, tensor<4xf32>, tensor<4xi1>, tensor<4xi64>, tensor<2x3xf32>
}

// Arithmetic with numpy broadcasting: trailing-dim broadcast, size-1 dims
// on both sides, rank-0 operands.
// CHECK-LABEL: func.func @arith(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<2x1xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V0:.*]] = fuse.add %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.sub %[[ARG2]], %[[ARG1]] : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.mul %[[V0]], %[[V1]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.div %[[V2]], %[[ARG3]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V4:.*]] = fuse.pow %[[ARG3]], %[[V3]] : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V5:.*]] = fuse.max %[[V4]], %[[ARG2]] : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V6:.*]] = fuse.min %[[ARG1]], %[[V5]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V7:.*]] = fuse.mod %[[V6]], %[[ARG1]] {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[V7]] : tensor<2x3xf32>
func.func @arith(%a: tensor<2x3xf32>, %r: tensor<3xf32>, %c: tensor<2x1xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %0 = fuse.add %a, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = fuse.sub %c, %r : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = fuse.mul %0, %1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = fuse.div %2, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %4 = fuse.pow %s, %3 : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = fuse.max %4, %c : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %6 = fuse.min %r, %5 : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = fuse.mod %6, %r {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %7 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @arith_int(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x1xi64>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4xi64>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<3x1x5xi32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4x1xi32>) -> (tensor<2x4xi64>, tensor<3x4x5xi32>)
// CHECK-NEXT: %[[V0:.*]] = fuse.add %[[ARG0]], %[[ARG1]] : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
// CHECK-NEXT: %[[V1:.*]] = fuse.sub %[[V0]], %[[ARG1]] : (tensor<2x4xi64>, tensor<4xi64>) -> tensor<2x4xi64>
// CHECK-NEXT: %[[V2:.*]] = fuse.mul %[[V1]], %[[ARG0]] : (tensor<2x4xi64>, tensor<2x1xi64>) -> tensor<2x4xi64>
// CHECK-NEXT: %[[V3:.*]] = fuse.div %[[V2]], %[[ARG1]] : (tensor<2x4xi64>, tensor<4xi64>) -> tensor<2x4xi64>
// CHECK-NEXT: %[[V4:.*]] = fuse.mod %[[V3]], %[[ARG1]] : (tensor<2x4xi64>, tensor<4xi64>) -> tensor<2x4xi64>
// CHECK-NEXT: %[[V5:.*]] = fuse.mod %[[V4]], %[[ARG0]] {fmod = true} : (tensor<2x4xi64>, tensor<2x1xi64>) -> tensor<2x4xi64>
// CHECK-NEXT: %[[V6:.*]] = fuse.max %[[ARG2]], %[[ARG3]] : (tensor<3x1x5xi32>, tensor<4x1xi32>) -> tensor<3x4x5xi32>
// CHECK-NEXT: %[[V7:.*]] = fuse.min %[[V6]], %[[ARG3]] : (tensor<3x4x5xi32>, tensor<4x1xi32>) -> tensor<3x4x5xi32>
// CHECK-NEXT: %[[V8:.*]] = fuse.pow %[[V7]], %[[V7]] : (tensor<3x4x5xi32>, tensor<3x4x5xi32>) -> tensor<3x4x5xi32>
// CHECK-NEXT: return %[[V5]], %[[V8]] : tensor<2x4xi64>, tensor<3x4x5xi32>
func.func @arith_int(%i: tensor<2x1xi64>, %j: tensor<4xi64>, %k: tensor<3x1x5xi32>, %l: tensor<4x1xi32>) -> (tensor<2x4xi64>, tensor<3x4x5xi32>) {
  %0 = fuse.add %i, %j : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
  %1 = fuse.sub %0, %j : (tensor<2x4xi64>, tensor<4xi64>) -> tensor<2x4xi64>
  %2 = fuse.mul %1, %i : (tensor<2x4xi64>, tensor<2x1xi64>) -> tensor<2x4xi64>
  %3 = fuse.div %2, %j : (tensor<2x4xi64>, tensor<4xi64>) -> tensor<2x4xi64>
  %4 = fuse.mod %3, %j : (tensor<2x4xi64>, tensor<4xi64>) -> tensor<2x4xi64>
  %5 = fuse.mod %4, %i {fmod = true} : (tensor<2x4xi64>, tensor<2x1xi64>) -> tensor<2x4xi64>
  %6 = fuse.max %k, %l : (tensor<3x1x5xi32>, tensor<4x1xi32>) -> tensor<3x4x5xi32>
  %7 = fuse.min %6, %l : (tensor<3x4x5xi32>, tensor<4x1xi32>) -> tensor<3x4x5xi32>
  %8 = fuse.pow %7, %7 : (tensor<3x4x5xi32>, tensor<3x4x5xi32>) -> tensor<3x4x5xi32>
  return %5, %8 : tensor<2x4xi64>, tensor<3x4x5xi32>
}

// CHECK-LABEL: func.func @arith_half(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4xf16>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1x4xbf16>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<3x1xbf16>) -> (tensor<4xf16>, tensor<3x4xbf16>)
// CHECK-NEXT: %[[V0:.*]] = fuse.add %[[ARG0]], %[[ARG0]] : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
// CHECK-NEXT: %[[V1:.*]] = fuse.mul %[[ARG1]], %[[ARG2]] : (tensor<1x4xbf16>, tensor<3x1xbf16>) -> tensor<3x4xbf16>
// CHECK-NEXT: return %[[V0]], %[[V1]] : tensor<4xf16>, tensor<3x4xbf16>
func.func @arith_half(%h: tensor<4xf16>, %b: tensor<1x4xbf16>, %b2: tensor<3x1xbf16>) -> (tensor<4xf16>, tensor<3x4xbf16>) {
  %0 = fuse.add %h, %h : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  %1 = fuse.mul %b, %b2 : (tensor<1x4xbf16>, tensor<3x1xbf16>) -> tensor<3x4xbf16>
  return %0, %1 : tensor<4xf16>, tensor<3x4xbf16>
}

// Comparisons produce i1 and take any fuse element type, i1 included.
// CHECK-LABEL: func.func @compare(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<2x1xi64>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4xi64>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<4xi1>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<f16>) -> (tensor<2x3xi1>, tensor<2x4xi1>, tensor<2x3xi1>, tensor<4xi1>, tensor<2x3xi1>)
// CHECK-NEXT: %[[V0:.*]] = fuse.equal %[[ARG0]], %[[ARG1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[V1:.*]] = fuse.less %[[ARG2]], %[[ARG3]] : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi1>
// CHECK-NEXT: %[[V2:.*]] = fuse.greater %[[ARG1]], %[[ARG0]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
// CHECK-NEXT: %[[V3:.*]] = fuse.equal %[[ARG4]], %[[ARG4]] : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT: %[[V4:.*]] = fuse.cast %[[ARG0]] : tensor<2x3xf32> -> tensor<2x3xf16>
// CHECK-NEXT: %[[V5:.*]] = fuse.less %[[V4]], %[[ARG5]] : (tensor<2x3xf16>, tensor<f16>) -> tensor<2x3xi1>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V5]] : tensor<2x3xi1>, tensor<2x4xi1>, tensor<2x3xi1>, tensor<4xi1>, tensor<2x3xi1>
func.func @compare(%a: tensor<2x3xf32>, %r: tensor<3xf32>, %i: tensor<2x1xi64>, %j: tensor<4xi64>, %p: tensor<4xi1>, %h: tensor<f16>) -> (tensor<2x3xi1>, tensor<2x4xi1>, tensor<2x3xi1>, tensor<4xi1>, tensor<2x3xi1>) {
  %0 = fuse.equal %a, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %1 = fuse.less %i, %j : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi1>
  %2 = fuse.greater %r, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xi1>
  %3 = fuse.equal %p, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %4 = fuse.cast %a : tensor<2x3xf32> -> tensor<2x3xf16>
  %5 = fuse.less %4, %h : (tensor<2x3xf16>, tensor<f16>) -> tensor<2x3xi1>
  return %0, %1, %2, %3, %5 : tensor<2x3xi1>, tensor<2x4xi1>, tensor<2x3xi1>, tensor<4xi1>, tensor<2x3xi1>
}

// CHECK-LABEL: func.func @logical(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4xi1>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1xi1>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<3x1xi1>) -> tensor<3x4xi1>
// CHECK-NEXT: %[[V0:.*]] = fuse.and %[[ARG0]], %[[ARG1]] : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
// CHECK-NEXT: %[[V1:.*]] = fuse.or %[[V0]], %[[ARG0]] : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
// CHECK-NEXT: %[[V2:.*]] = fuse.xor %[[ARG2]], %[[V1]] : (tensor<3x1xi1>, tensor<4xi1>) -> tensor<3x4xi1>
// CHECK-NEXT: return %[[V2]] : tensor<3x4xi1>
func.func @logical(%p: tensor<4xi1>, %q: tensor<1xi1>, %m: tensor<3x1xi1>) -> tensor<3x4xi1> {
  %0 = fuse.and %p, %q : (tensor<4xi1>, tensor<1xi1>) -> tensor<4xi1>
  %1 = fuse.or %0, %p : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %2 = fuse.xor %m, %1 : (tensor<3x1xi1>, tensor<4xi1>) -> tensor<3x4xi1>
  return %2 : tensor<3x4xi1>
}

// select broadcasts all three operands together.
// CHECK-LABEL: func.func @select(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<2x3xi1>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<2x3xf32>, %[[ARG2:[a-zA-Z0-9_]+]]: tensor<3xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<1xi1>, %[[ARG4:[a-zA-Z0-9_]+]]: tensor<2x1xi64>, %[[ARG5:[a-zA-Z0-9_]+]]: tensor<4xi64>, %[[ARG6:[a-zA-Z0-9_]+]]: tensor<2x3xi1>) -> (tensor<2x3xf32>, tensor<2x4xi64>, tensor<2x3xi1>)
// CHECK-NEXT: %[[V0:.*]] = fuse.select %[[ARG0]], %[[ARG1]], %[[ARG2]] : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.select %[[ARG3]], %[[ARG4]], %[[ARG5]] : (tensor<1xi1>, tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
// CHECK-NEXT: %[[V2:.*]] = fuse.select %[[ARG0]], %[[ARG6]], %[[ARG0]] : (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
// CHECK-NEXT: return %[[V0]], %[[V1]], %[[V2]] : tensor<2x3xf32>, tensor<2x4xi64>, tensor<2x3xi1>
func.func @select(%c: tensor<2x3xi1>, %x: tensor<2x3xf32>, %y: tensor<3xf32>, %cc: tensor<1xi1>, %i: tensor<2x1xi64>, %j: tensor<4xi64>, %b: tensor<2x3xi1>) -> (tensor<2x3xf32>, tensor<2x4xi64>, tensor<2x3xi1>) {
  %0 = fuse.select %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = fuse.select %cc, %i, %j : (tensor<1xi1>, tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
  %2 = fuse.select %c, %b, %c : (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x4xi64>, tensor<2x3xi1>
}

// Zero-size dims are static shapes too: a 0 broadcasts with 1.
// CHECK-LABEL: func.func @empty(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<0x3xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<1x3xf32>) -> tensor<0x3xf32>
// CHECK-NEXT: %[[V0:.*]] = fuse.add %[[ARG0]], %[[ARG1]] : (tensor<0x3xf32>, tensor<1x3xf32>) -> tensor<0x3xf32>
// CHECK-NEXT: %[[V1:.*]] = fuse.relu %[[V0]] : tensor<0x3xf32>
// CHECK-NEXT: return %[[V1]] : tensor<0x3xf32>
func.func @empty(%e: tensor<0x3xf32>, %r: tensor<1x3xf32>) -> tensor<0x3xf32> {
  %0 = fuse.add %e, %r : (tensor<0x3xf32>, tensor<1x3xf32>) -> tensor<0x3xf32>
  %1 = fuse.relu %0 : tensor<0x3xf32>
  return %1 : tensor<0x3xf32>
}
