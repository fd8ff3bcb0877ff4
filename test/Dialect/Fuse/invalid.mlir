// One case per verifier and type-inference error of the fuse dialect (every
// distinct message in FuseOps.cpp and the ODS-generated constraints), plus
// result types that differ from the inferred ones.
// RUN: fuse-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Elementwise ops: broadcasting, element types, clip, cast, mod
//===----------------------------------------------------------------------===//

func.func @broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand shapes are not broadcast-compatible: 2x3 vs 4}}
  %0 = fuse.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_compare(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{operand shapes are not broadcast-compatible: 2x3 vs 2x4}}
  %0 = fuse.equal %a, %b : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x3xi1>
  return
}

// -----

func.func @broadcast_select(%c: tensor<4xi1>, %a: tensor<3xf32>) {
  // expected-error @+1 {{operand shapes are not broadcast-compatible: 4 vs 3}}
  %0 = fuse.select %c, %a, %a : (tensor<4xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @broadcast_select_false(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<2x2xf32>) {
  // expected-error @+1 {{operand shapes are not broadcast-compatible: 2x3 vs 2x2}}
  %0 = fuse.select %c, %a, %b : (tensor<2x1xi1>, tensor<3xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @wrong_result_shape(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'fuse.mul' op result type(s) 'tensor<3x3xf32>' differ from the inferred type(s) 'tensor<2x3xf32>'}}
  %0 = fuse.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @compare_result_shape(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'fuse.greater' op result type(s) 'tensor<3xi1>' differ from the inferred type(s) 'tensor<2x3xi1>'}}
  %0 = fuse.greater %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}

// -----

func.func @mixed_elements(%a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{requires the same element type for all operands}}
  %0 = fuse.add %a, %b : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return
}

// -----

func.func @compare_result(%a: tensor<3xf32>) {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 1-bit signless integer values}}
  %0 = fuse.less %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @bad_element_type(%a: tensor<3xi8>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values}}
  %0 = fuse.exp %a : tensor<3xi8>
  return
}

// -----

func.func @sigmoid_int(%a: tensor<3xi32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<3xi32>'}}
  %0 = fuse.sigmoid %a : tensor<3xi32>
  return
}

// -----

func.func @arith_i8(%a: tensor<3xi8>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'tensor<3xi8>'}}
  %0 = fuse.add %a, %a : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi8>
  return
}

// -----

func.func @arith_i1(%a: tensor<3xi1>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'tensor<3xi1>'}}
  %0 = fuse.mul %a, %a : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return
}

// -----

func.func @arith_f64(%a: tensor<3xf64>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'tensor<3xf64>'}}
  %0 = fuse.sub %a, %a : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return
}

// -----

func.func @dynamic_shape(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{must be statically shaped tensor}}
  %0 = fuse.relu %a : tensor<?x3xf32>
  return
}

// -----

func.func @arith_dynamic(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'tensor<?x4xf32>'}}
  %0 = fuse.add %a, %a : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = fuse.sigmoid %a : tensor<*xf32>
  return
}

// -----

func.func @arith_vector(%a: vector<4xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'vector<4xf32>'}}
  %0 = fuse.add %a, %a : (vector<4xf32>, vector<4xf32>) -> vector<4xf32>
  return
}

// -----

func.func @logical_float(%a: tensor<3xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = fuse.and %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}

// -----

func.func @not_float(%a: tensor<3xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = fuse.not %a : tensor<3xf32>
  return
}

// -----

func.func @relu_bool(%a: tensor<3xi1>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'tensor<3xi1>'}}
  %0 = fuse.relu %a : tensor<3xi1>
  return
}

// -----

func.func @unary_result_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'fuse.relu' op requires the same type for all operands and results}}
  %0 = "fuse.relu"(%a) : (tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @select_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf16>) {
  // expected-error @+1 {{failed to verify that all of {true_value, false_value} have same element type}}
  %0 = fuse.select %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return
}

// -----

func.func @select_cond(%c: tensor<3xf32>, %a: tensor<3xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = fuse.select %c, %a, %a : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @clip_bounds(%a: tensor<3xf32>) {
  // expected-error @+1 {{'min' (6.000000e+00) must not exceed 'max' (0.000000e+00)}}
  %0 = fuse.clip %a {min = 6.0 : f64, max = 0.0 : f64} : tensor<3xf32>
  return
}

// -----

func.func @clip_int_bounds(%a: tensor<3xi32>) {
  // expected-error @+1 {{'fuse.clip' op 'min' (1.000000e+00) must not exceed 'max' (-1.000000e+00)}}
  %0 = fuse.clip %a {min = 1.0 : f64, max = -1.0 : f64} : tensor<3xi32>
  return
}

// -----

func.func @cast_shape(%a: tensor<3xf32>) {
  // expected-error @+1 {{operand shape 3 differs from result shape 4}}
  %0 = fuse.cast %a : tensor<3xf32> -> tensor<4xf16>
  return
}

// -----

func.func @cast_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'fuse.cast' op operand shape 2x3 differs from result shape 6}}
  %0 = fuse.cast %a : tensor<2x3xf32> -> tensor<6xf32>
  return
}

// -----

func.func @cast_f64(%a: tensor<3xf32>) {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer or 1-bit signless integer values, but got 'tensor<3xf64>'}}
  %0 = fuse.cast %a : tensor<3xf32> -> tensor<3xf64>
  return
}

// -----

func.func @float_mod(%a: tensor<3xf32>) {
  // expected-error @+1 {{floating-point operands require 'fmod = true'}}
  %0 = fuse.mod %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @float_mod_f16(%a: tensor<3xf16>) {
  // expected-error @+1 {{'fuse.mod' op floating-point operands require 'fmod = true'}}
  %0 = fuse.mod %a, %a {fmod = false} : (tensor<3xf16>, tensor<3xf16>) -> tensor<3xf16>
  return
}

// -----

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

func.func @matmul_rank(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{operands must have rank >= 2, got 1 and 2}}
  %0 = fuse.matmul %a, %b : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @matmul_k(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{contraction dims differ: lhs has K = 3, rhs has K = 4}}
  %0 = fuse.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_transposed_k(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{contraction dims differ: lhs has K = 3, rhs has K = 5}}
  %0 = fuse.matmul %a, %b {transpose_b = true} : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @matmul_lhs_k(%a: tensor<3x2xf32>, %b: tensor<3x5xf32>) {
  // lhs is [M = 3, K = 2] without transpose_a (with it, K = 3 would match)
  // expected-error @+1 {{contraction dims differ: lhs has K = 2, rhs has K = 3}}
  %0 = fuse.matmul %a, %b : (tensor<3x2xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x3xf32>, %b: tensor<5x3x6xf32>) {
  // expected-error @+1 {{batch dims are not broadcast-compatible: 2 vs 5}}
  %0 = fuse.matmul %a, %b : (tensor<2x4x3xf32>, tensor<5x3x6xf32>) -> tensor<2x4x6xf32>
  return
}

// -----

func.func @matmul_result(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @+1 {{'fuse.matmul' op result type(s) 'tensor<5x2xf32>' differ from the inferred type(s) 'tensor<2x5xf32>'}}
  %0 = fuse.matmul %a, %b : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<5x2xf32>
  return
}

// -----

func.func @matmul_bool(%a: tensor<2x2xi1>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'tensor<2x2xi1>'}}
  %0 = fuse.matmul %a, %a : (tensor<2x2xi1>, tensor<2x2xi1>) -> tensor<2x2xi1>
  return
}

// -----

func.func @matmul_unranked(%a: tensor<*xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'tensor<*xf32>'}}
  %0 = "fuse.matmul"(%a, %b) : (tensor<*xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_elements(%a: tensor<2x3xf32>, %b: tensor<3x4xf16>) {
  // expected-error @+1 {{'fuse.matmul' op requires the same element type for all operands}}
  %0 = fuse.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf16>) -> tensor<2x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// conv
//===----------------------------------------------------------------------===//

func.func @conv_rank(%x: tensor<3x8xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+1 {{input must have rank 3, 4 or 5 ([N, C, spatial...]), got rank 2}}
  %0 = fuse.conv %x, %w : (tensor<3x8xf32>, tensor<4x3xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{weight rank 3 differs from input rank 4}}
  %0 = fuse.conv %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_element_types(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error @+1 {{input and weight element types differ}}
  %0 = fuse.conv %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_int(%x: tensor<1x3x8x8xi32>, %w: tensor<4x3x3x3xi32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<1x3x8x8xi32>'}}
  %0 = fuse.conv %x, %w : (tensor<1x3x8x8xi32>, tensor<4x3x3x3xi32>) -> tensor<1x4x6x6xi32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{'groups' must be >= 1, got 0}}
  %0 = fuse.conv %x, %w {groups = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x6x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+1 {{input has 6 channels but weight expects 4 per group x 2 groups}}
  %0 = fuse.conv %x, %w {groups = 2 : i64} : (tensor<1x6x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_filters(%x: tensor<1x4x8x8xf32>, %w: tensor<5x2x3x3xf32>) {
  // expected-error @+1 {{weight has 5 filters, not divisible by 2 groups}}
  %0 = fuse.conv %x, %w {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<5x2x3x3xf32>) -> tensor<1x5x6x6xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{bias must have shape 4}}
  %0 = fuse.conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+1 {{bias must have shape 4}}
  %0 = fuse.conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strides' must have 2 entries, got 1}}
  %0 = fuse.conv %x, %w {strides = array<i64: 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strides' entries must be >= 1, got 0}}
  %0 = fuse.conv %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_dilations(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'dilations' entries must be >= 1, got -1}}
  %0 = fuse.conv %x, %w {dilations = array<i64: -1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_dilations_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'dilations' must have 2 entries, got 3}}
  %0 = fuse.conv %x, %w {dilations = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'pads' entries must be >= 0, got -1}}
  %0 = fuse.conv %x, %w {pads = array<i64: -1, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_pads_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'pads' must have 4 entries, got 2}}
  %0 = fuse.conv %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<1x3x2x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{window of size 3 (dilation 1) does not fit spatial dim 0 of size 2 with pads 0+0}}
  %0 = fuse.conv %x, %w : (tensor<1x3x2x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x6xf32>
  return
}

// -----

func.func @conv_dilated_window(%x: tensor<1x1x5x9xf32>, %w: tensor<1x1x3x3xf32>) {
  // effective window 3 * (3 - 1) + 1 = 7 > 5
  // expected-error @+1 {{window of size 3 (dilation 3) does not fit spatial dim 0 of size 5 with pads 0+0}}
  %0 = fuse.conv %x, %w {dilations = array<i64: 3, 1>} : (tensor<1x1x5x9xf32>, tensor<1x1x3x3xf32>) -> tensor<1x1x1x7xf32>
  return
}

// -----

func.func @conv_padded_window(%x: tensor<1x1x8x2xf32>, %w: tensor<1x1x1x5xf32>) {
  // 2 + 1 + 1 < 5
  // expected-error @+1 {{window of size 5 (dilation 1) does not fit spatial dim 1 of size 2 with pads 1+1}}
  %0 = fuse.conv %x, %w {pads = array<i64: 0, 1, 0, 1>} : (tensor<1x1x8x2xf32>, tensor<1x1x1x5xf32>) -> tensor<1x1x8x1xf32>
  return
}

// -----

func.func @conv_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'fuse.conv' op result type(s) 'tensor<1x4x8x8xf32>' differ from the inferred type(s) 'tensor<1x4x6x6xf32>'}}
  %0 = fuse.conv %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// conv_transpose
//===----------------------------------------------------------------------===//

func.func @conv_transpose_rank(%x: tensor<8x4xf32>, %w: tensor<8x4xf32>) {
  // expected-error @+1 {{input must have rank 3, 4 or 5 ([N, C, spatial...]), got rank 2}}
  %0 = fuse.conv_transpose %x, %w : (tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<8x4xf32>
  return
}

// -----

func.func @conv_transpose_weight(%x: tensor<1x8x4x4xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{input has 8 channels but transposed weight has 4}}
  %0 = fuse.conv_transpose %x, %w : (tensor<1x8x4x4xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @conv_transpose_groups(%x: tensor<1x3x4x4xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+1 {{input channels 3 not divisible by 2 groups}}
  %0 = fuse.conv_transpose %x, %w {groups = 2 : i64} : (tensor<1x3x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_transpose_zero_groups(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>) {
  // expected-error @+1 {{'groups' must be >= 1, got 0}}
  %0 = fuse.conv_transpose %x, %w {groups = 0 : i64} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>, %b: tensor<8xf32>) {
  // filters = 2 per group x 2 groups = 4
  // expected-error @+1 {{bias must have shape 4}}
  %0 = fuse.conv_transpose %x, %w, %b {groups = 2 : i64} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>, tensor<8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_transpose_strides(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>) {
  // expected-error @+1 {{'strides' must have 2 entries, got 1}}
  %0 = fuse.conv_transpose %x, %w {strides = array<i64: 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_pads(%x: tensor<1x8x1x1xf32>, %w: tensor<8x2x1x1xf32>) {
  // expected-error @+1 {{pads leave no output in spatial dim 0}}
  %0 = fuse.conv_transpose %x, %w {pads = array<i64: 1, 0, 0, 0>} : (tensor<1x8x1x1xf32>, tensor<8x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>) {
  // expected-error @+1 {{'output_padding' must have 2 entries, got 3}}
  %0 = fuse.conv_transpose %x, %w {output_padding = array<i64: 1, 1, 1>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_negative(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>) {
  // expected-error @+1 {{'output_padding' entries must be >= 0, got -1}}
  %0 = fuse.conv_transpose %x, %w {output_padding = array<i64: 0, -1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x2x9x8xf32>
  return
}

// -----

func.func @conv_transpose_result(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>) {
  // 1 * (4 - 1) + 0 + 1 * (3 - 1) + 1 = 6
  // expected-error @+1 {{'fuse.conv_transpose' op result type(s) 'tensor<1x2x4x4xf32>' differ from the inferred type(s) 'tensor<1x2x6x6xf32>'}}
  %0 = fuse.conv_transpose %x, %w : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// max_pool and avg_pool
//===----------------------------------------------------------------------===//

func.func @pool_rank(%x: tensor<3x8xf32>) {
  // expected-error @+1 {{input must have rank 3, 4 or 5 ([N, C, spatial...]), got rank 2}}
  %0 = fuse.max_pool %x {kernel_shape = array<i64: 2>} : tensor<3x8xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'kernel_shape' must have 2 entries, got 1}}
  %0 = fuse.max_pool %x {kernel_shape = array<i64: 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @pool_kernel_size(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'kernel_shape' entries must be >= 1, got 0}}
  %0 = fuse.avg_pool %x {kernel_shape = array<i64: 0, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @pool_pads(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{pads must be smaller than the kernel in spatial dim 1}}
  %0 = fuse.max_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 2, 0, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x9xf32>
  return
}

// -----

func.func @pool_end_pads(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{pads must be smaller than the kernel in spatial dim 0}}
  %0 = fuse.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 3, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x9x6xf32>
  return
}

// -----

func.func @pool_negative_pads(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'pads' entries must be >= 0, got -1}}
  %0 = fuse.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, -1, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x6x7xf32>
  return
}

// -----

func.func @pool_pads_count(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'pads' must have 4 entries, got 3}}
  %0 = fuse.max_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @pool_strides(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'strides' entries must be >= 1, got 0}}
  %0 = fuse.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @pool_dilations_count(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'dilations' must have 2 entries, got 1}}
  %0 = fuse.avg_pool %x {dilations = array<i64: 2>, kernel_shape = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @pool_window(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{window of size 3 (dilation 1) does not fit spatial dim 0 of size 2 with pads 0+0}}
  %0 = fuse.max_pool %x {kernel_shape = array<i64: 3, 3>} : tensor<1x1x2x2xf32> -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @pool_dilated_window(%x: tensor<1x1x4xf32>) {
  // effective window 2 * (3 - 1) + 1 = 5 > 4
  // expected-error @+1 {{window of size 3 (dilation 2) does not fit spatial dim 0 of size 4 with pads 0+0}}
  %0 = fuse.avg_pool %x {dilations = array<i64: 2>, kernel_shape = array<i64: 3>} : tensor<1x1x4xf32> -> tensor<1x1x1xf32>
  return
}

// -----

func.func @pool_result(%x: tensor<1x8x7x7xf32>) {
  // floor mode: (7 - 2) / 2 + 1 = 3, not 4
  // expected-error @+1 {{'fuse.max_pool' op result type(s) 'tensor<1x8x4x4xf32>' differ from the inferred type(s) 'tensor<1x8x3x3xf32>'}}
  %0 = fuse.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x7x7xf32> -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @avg_pool_int(%x: tensor<1x1x4x4xi32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<1x1x4x4xi32>'}}
  %0 = fuse.avg_pool %x {kernel_shape = array<i64: 2, 2>} : tensor<1x1x4x4xi32> -> tensor<1x1x3x3xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// reduce
//===----------------------------------------------------------------------===//

func.func @reduce_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'axes' 2 is out of range for rank 2 (expected 0 <= axes < 2)}}
  %0 = fuse.reduce sum %x {axes = array<i64: 2>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'axes' -1 is out of range for rank 2 (expected 0 <= axes < 2)}}
  %0 = fuse.reduce mean %x {axes = array<i64: -1>} : tensor<2x3xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_unsorted(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'axes' must be sorted and unique}}
  %0 = fuse.reduce max %x {axes = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_duplicate(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'axes' must be sorted and unique}}
  %0 = fuse.reduce sum %x {axes = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_kind(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [sum, mean, max, min, prod, l1, l2, log_sum, log_sum_exp, sum_square]}}
  %0 = fuse.reduce median %x : tensor<2x3xf32> -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_keepdims(%x: tensor<2x3xf32>) {
  // keepdims = false drops the reduced dim
  // expected-error @+1 {{'fuse.reduce' op result type(s) 'tensor<2x1xf32>' differ from the inferred type(s) 'tensor<2xf32>'}}
  %0 = fuse.reduce sum %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// softmax, log_softmax, layer_norm, batch_norm
//===----------------------------------------------------------------------===//

func.func @softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'axis' -1 is out of range for rank 2 (expected 0 <= axis < 2)}}
  %0 = fuse.softmax %x {axis = -1 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'axis' 2 is out of range for rank 2}}
  %0 = fuse.log_softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_int(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<2x3xi32>'}}
  %0 = fuse.softmax %x {axis = 1 : i64} : tensor<2x3xi32>
  return
}

// -----

func.func @softmax_missing_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'fuse.softmax' op requires attribute 'axis'}}
  %0 = "fuse.softmax"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'axis' 3 is out of range for rank 2}}
  %0 = fuse.layer_norm %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'axis' -1 is out of range for rank 2 (expected 0 <= axis < 2)}}
  %0 = fuse.layer_norm %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_scale(%x: tensor<2x3xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'scale' of shape 4 does not broadcast to the normalized shape 3}}
  %0 = fuse.layer_norm %x scale %s {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_scale_rank(%x: tensor<2x3xf32>, %s: tensor<2x3xf32>) {
  // normalized shape is input.shape[1:] = 3; a 2x3 scale would grow it
  // expected-error @+1 {{'scale' of shape 2x3 does not broadcast to the normalized shape 3}}
  %0 = fuse.layer_norm %x scale %s {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_bias_shape(%x: tensor<2x3x4xf32>, %b: tensor<4x4xf32>) {
  // expected-error @+1 {{'bias' of shape 4x4 does not broadcast to the normalized shape 3x4}}
  %0 = fuse.layer_norm %x bias %b {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<4x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @layer_norm_scale_type(%x: tensor<2x3xf32>, %s: tensor<3xbf16>) {
  // expected-error @+1 {{'scale' must have the input's element type}}
  %0 = fuse.layer_norm %x scale %s {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xbf16>) -> tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_bias_type(%x: tensor<2x3xf32>, %b: tensor<3xf16>) {
  // expected-error @+1 {{'bias' must have the input's element type}}
  %0 = fuse.layer_norm %x bias %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<4xf32>, %c: tensor<4xf32>) {
  // expected-error @+1 {{input must have rank >= 2 ([N, C, ...]), got rank 1}}
  %0 = fuse.batch_norm %x, %c, %c, %c, %c : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @batch_norm_scale(%x: tensor<1x4x2x2xf32>, %c: tensor<4xf32>, %s: tensor<2xf32>) {
  // expected-error @+1 {{'scale' must have shape 4 (the channel count)}}
  %0 = fuse.batch_norm %x, %s, %c, %c, %c : (tensor<1x4x2x2xf32>, tensor<2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @batch_norm_bias(%x: tensor<1x4x2x2xf32>, %c: tensor<4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{'bias' must have shape 4 (the channel count)}}
  %0 = fuse.batch_norm %x, %c, %b, %c, %c : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<5xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @batch_norm_params(%x: tensor<1x4x2x2xf32>, %c: tensor<4xf32>, %m: tensor<3xf32>) {
  // expected-error @+1 {{'mean' must have shape 4 (the channel count)}}
  %0 = fuse.batch_norm %x, %c, %c, %m, %c : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @batch_norm_variance(%x: tensor<1x4x2x2xf32>, %c: tensor<4xf32>, %v: tensor<1x4xf32>) {
  // expected-error @+1 {{'variance' must have shape 4 (the channel count)}}
  %0 = fuse.batch_norm %x, %c, %c, %c, %v : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1x4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @batch_norm_elements(%x: tensor<1x4x2x2xf32>, %c: tensor<4xf32>, %h: tensor<4xf16>) {
  // expected-error @+1 {{'fuse.batch_norm' op requires the same element type for all operands}}
  %0 = fuse.batch_norm %x, %c, %c, %c, %h : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>) -> tensor<1x4x2x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Data movement: transpose, reshape, concat, split, slice, gather, expand,
// pad, resize, tile
//===----------------------------------------------------------------------===//

func.func @transpose_length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'perm' must have 2 entries, got 3}}
  %0 = fuse.transpose %x {perm = array<i64: 0, 1, 2>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'perm' must be a permutation of 0..1}}
  %0 = fuse.transpose %x {perm = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<3x3xf32>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'perm' must be a permutation of 0..1}}
  %0 = fuse.transpose %x {perm = array<i64: 0, 2>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_negative(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'perm' must be a permutation of 0..1}}
  %0 = fuse.transpose %x {perm = array<i64: -1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_result(%x: tensor<2x3x4xf32>) {
  // output.shape[i] = input.shape[perm[i]] = [4, 2, 3]
  // expected-error @+1 {{'fuse.transpose' op result type(s) 'tensor<3x4x2xf32>' differ from the inferred type(s) 'tensor<4x2x3xf32>'}}
  %0 = fuse.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{cannot reshape 2x3 (6 elements) to 7 (7 elements)}}
  %0 = fuse.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return
}

// -----

func.func @reshape_empty(%x: tensor<2x0xf32>) {
  // expected-error @+1 {{cannot reshape 2x0 (0 elements) to 1 (1 elements)}}
  %0 = fuse.reshape %x : tensor<2x0xf32> -> tensor<1xf32>
  return
}

// -----

func.func @reshape_elements(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'fuse.reshape' op requires the same element type for all operands and results}}
  %0 = fuse.reshape %x : tensor<2x3xf32> -> tensor<6xf16>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{all inputs must have rank 2}}
  %0 = fuse.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return
}

// -----

func.func @concat_shapes(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{input shapes 2x3 and 2x4 differ outside the concat axis 0}}
  %0 = fuse.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'axis' 2 is out of range for rank 2}}
  %0 = fuse.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_elements(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) {
  // expected-error @+1 {{'fuse.concat' op requires the same element type for all operands and results}}
  %0 = fuse.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_no_inputs() {
  // expected-error @+1 {{'fuse.concat' op expected 1 or more operands, but found 0}}
  %0 = fuse.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_result(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) {
  // expected-error @+1 {{'fuse.concat' op result type(s) 'tensor<4x8xf32>' differ from the inferred type(s) 'tensor<2x8xf32>'}}
  %0 = fuse.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @split_sum(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'sizes' add up to 7 but dim 1 has size 8}}
  %0:2 = fuse.split %x {axis = 1 : i64, sizes = array<i64: 3, 4>} : tensor<4x8xf32> -> tensor<4x3xf32>, tensor<4x4xf32>
  return
}

// -----

func.func @split_negative(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'sizes' entries must be >= 0, got -1}}
  %0:2 = fuse.split %x {axis = 1 : i64, sizes = array<i64: 9, -1>} : tensor<4x8xf32> -> tensor<4x9xf32>, tensor<4x1xf32>
  return
}

// -----

func.func @split_empty(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'sizes' must not be empty}}
  "fuse.split"(%x) <{axis = 1 : i64, sizes = array<i64>}> : (tensor<4x8xf32>) -> ()
  return
}

// -----

func.func @split_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'axis' 2 is out of range for rank 2 (expected 0 <= axis < 2)}}
  %0:2 = fuse.split %x {axis = 2 : i64, sizes = array<i64: 4, 4>} : tensor<4x8xf32> -> tensor<4x4xf32>, tensor<4x4xf32>
  return
}

// -----

func.func @split_result_count(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'fuse.split' op result type(s) 'tensor<4x8xf32>' differ from the inferred type(s) 'tensor<4x4xf32>', 'tensor<4x4xf32>'}}
  %0 = fuse.split %x {axis = 1 : i64, sizes = array<i64: 4, 4>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_lengths(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'starts', 'ends', 'axes' and 'steps' must have the same length}}
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 4, 4>, starts = array<i64: 0>, steps = array<i64: 1>} : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @slice_duplicate_axes(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'axes' must be unique}}
  %0 = fuse.slice %x {axes = array<i64: 1, 1>, ends = array<i64: 4, 4>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>} : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @slice_step(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'steps' entries must be non-zero}}
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 4>, starts = array<i64: 0>, steps = array<i64: 0>} : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @slice_bounds(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{slice [0, 9) with step 1 is not normalized for dim 1 of size 8}}
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 9>, starts = array<i64: 0>, steps = array<i64: 1>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @slice_negative_start(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{slice [-1, 4) with step 1 is not normalized for dim 1 of size 8}}
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 4>, starts = array<i64: -1>, steps = array<i64: 1>} : tensor<4x8xf32> -> tensor<4x5xf32>
  return
}

// -----

func.func @slice_backward_start(%x: tensor<4x8xf32>) {
  // a backward slice starts at most at dim - 1 = 7
  // expected-error @+1 {{slice [8, -1) with step -1 is not normalized for dim 1 of size 8}}
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 8>, steps = array<i64: -1>} : tensor<4x8xf32> -> tensor<4x9xf32>
  return
}

// -----

func.func @slice_backward_end(%x: tensor<4x8xf32>) {
  // a backward slice ends at -1 at the lowest
  // expected-error @+1 {{slice [7, -2) with step -1 is not normalized for dim 0 of size 4}}
  %0 = fuse.slice %x {axes = array<i64: 0>, ends = array<i64: -2>, starts = array<i64: 7>, steps = array<i64: -1>} : tensor<4x8xf32> -> tensor<9x8xf32>
  return
}

// -----

func.func @slice_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'axes' -1 is out of range for rank 2}}
  %0 = fuse.slice %x {axes = array<i64: -1>, ends = array<i64: 4>, starts = array<i64: 0>, steps = array<i64: 1>} : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @slice_result(%x: tensor<4x10xf32>) {
  // 2, 4, 6: ceil((8 - 2) / 2) = 3
  // expected-error @+1 {{'fuse.slice' op result type(s) 'tensor<4x6xf32>' differ from the inferred type(s) 'tensor<4x3xf32>'}}
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 8>, starts = array<i64: 2>, steps = array<i64: 2>} : tensor<4x10xf32> -> tensor<4x6xf32>
  return
}

// -----

func.func @gather_axis(%x: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'axis' 2 is out of range for rank 2}}
  %0 = fuse.gather %x, %i {axis = 2 : i64} : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return
}

// -----

func.func @gather_negative_axis(%x: tensor<4x8xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'axis' -1 is out of range for rank 2 (expected 0 <= axis < 2)}}
  %0 = fuse.gather %x, %i {axis = -1 : i64} : (tensor<4x8xf32>, tensor<2xi64>) -> tensor<4x2xf32>
  return
}

// -----

func.func @gather_indices(%x: tensor<4x8xf32>, %i: tensor<2xf32>) {
  // expected-error @+1 {{operand #1 must be statically shaped tensor of 64-bit signless integer or 32-bit signless integer values}}
  %0 = fuse.gather %x, %i {axis = 0 : i64} : (tensor<4x8xf32>, tensor<2xf32>) -> tensor<2x8xf32>
  return
}

// -----

func.func @gather_result(%x: tensor<4x8xf32>, %i: tensor<2x3xi32>) {
  // data.shape[:1] + indices.shape + data.shape[2:] = 4x2x3
  // expected-error @+1 {{'fuse.gather' op result type(s) 'tensor<4x6xf32>' differ from the inferred type(s) 'tensor<4x2x3xf32>'}}
  %0 = fuse.gather %x, %i {axis = 1 : i64} : (tensor<4x8xf32>, tensor<2x3xi32>) -> tensor<4x6xf32>
  return
}

// -----

func.func @expand_shape(%x: tensor<3x2xf32>) {
  // expected-error @+1 {{cannot broadcast 3x2 to 2x3x4}}
  %0 = fuse.expand %x : tensor<3x2xf32> -> tensor<2x3x4xf32>
  return
}

// -----

func.func @expand_shrink(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'fuse.expand' op cannot broadcast 2x3 to 3}}
  %0 = fuse.expand %x : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @expand_dim(%x: tensor<3xf32>) {
  // expected-error @+1 {{'fuse.expand' op cannot broadcast 3 to 2x4}}
  %0 = fuse.expand %x : tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @expand_elements(%x: tensor<3xf32>) {
  // expected-error @+1 {{'fuse.expand' op requires the same element type for all operands and results}}
  %0 = fuse.expand %x : tensor<3xf32> -> tensor<2x3xi32>
  return
}

// -----

func.func @pad_length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'pads' must have 4 entries (begins then ends), got 2}}
  %0 = fuse.pad %x {pads = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @pad_reflect(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reflect pads must be smaller than dim 1 of size 3}}
  %0 = fuse.pad %x {mode = #fuse.pad_mode<reflect>, pads = array<i64: 0, 3, 0, 0>} : tensor<2x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @pad_reflect_end(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{reflect pads must be smaller than dim 0 of size 2}}
  %0 = fuse.pad %x {mode = #fuse.pad_mode<reflect>, pads = array<i64: 0, 0, 2, 0>} : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{negative pads remove more than dim 1 of size 3}}
  %0 = fuse.pad %x {pads = array<i64: 0, -2, 0, -2>} : tensor<2x3xf32> -> tensor<2x0xf32>
  return
}

// -----

func.func @pad_edge_empty(%x: tensor<2x0xf32>) {
  // expected-error @+1 {{edge padding needs a non-empty dim 1}}
  %0 = fuse.pad %x {mode = #fuse.pad_mode<edge>, pads = array<i64: 0, 1, 0, 0>} : tensor<2x0xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @pad_mode(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{expected ::mlir::fuse::PadMode to be one of: constant, reflect, edge}}
  // expected-error @+1 {{failed to parse Fuse_PadModeAttr parameter 'value' which is to be a `::mlir::fuse::PadMode`}}
  %0 = fuse.pad %x {mode = #fuse.pad_mode<wrap>, pads = array<i64: 0, 0, 0, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @pad_result(%x: tensor<2x3xf32>) {
  // [2 + 1 + 0, 3 + 0 + 2] = 3x5
  // expected-error @+1 {{'fuse.pad' op result type(s) 'tensor<3x4xf32>' differ from the inferred type(s) 'tensor<3x5xf32>'}}
  %0 = fuse.pad %x {pads = array<i64: 1, 0, 0, 2>} : tensor<2x3xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @resize_rank(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{result rank 3 differs from input rank 4}}
  %0 = fuse.resize %x : tensor<1x2x4x4xf32> -> tensor<1x2x8xf32>
  return
}

// -----

func.func @resize_scales(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'scales' must have 4 entries, got 2}}
  %0 = fuse.resize %x {scales = array<f32: 2.0, 2.0>} : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf32>
  return
}

// -----

func.func @resize_scale_value(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'scales' entries must be positive, got 0}}
  %0 = fuse.resize %x {scales = array<f32: 1.0, 1.0, 0.0, 2.0>} : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf32>
  return
}

// -----

func.func @resize_negative_scale(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'fuse.resize' op 'scales' entries must be positive, got -2}}
  %0 = fuse.resize %x {scales = array<f32: 1.0, 1.0, -2.0, 2.0>} : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf32>
  return
}

// -----

func.func @resize_int_linear(%x: tensor<1x2x4x4xi64>) {
  // expected-error @+1 {{linear and cubic modes need a floating-point input}}
  %0 = fuse.resize %x {mode = #fuse.resize_mode<linear>} : tensor<1x2x4x4xi64> -> tensor<1x2x8x8xi64>
  return
}

// -----

func.func @resize_cubic_int(%x: tensor<1x2x4x4xi32>) {
  // expected-error @+1 {{'fuse.resize' op linear and cubic modes need a floating-point input}}
  %0 = fuse.resize %x {mode = #fuse.resize_mode<cubic>} : tensor<1x2x4x4xi32> -> tensor<1x2x8x8xi32>
  return
}

// -----

func.func @resize_empty(%x: tensor<1x0x4x4xf32>) {
  // expected-error @+1 {{cannot resize an empty dim 1}}
  %0 = fuse.resize %x : tensor<1x0x4x4xf32> -> tensor<1x2x8x8xf32>
  return
}

// -----

func.func @resize_elements(%x: tensor<1x2x4x4xf32>) {
  // expected-error @+1 {{'fuse.resize' op requires the same element type for all operands and results}}
  %0 = fuse.resize %x : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf16>
  return
}

// -----

func.func @resize_bool(%x: tensor<1x2x4x4xi1>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer values, but got 'tensor<1x2x4x4xi1>'}}
  %0 = fuse.resize %x : tensor<1x2x4x4xi1> -> tensor<1x2x8x8xi1>
  return
}

// -----

func.func @tile_length(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'repeats' must have 2 entries, got 1}}
  %0 = fuse.tile %x {repeats = array<i64: 2>} : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @tile_negative(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'repeats' entries must be >= 0, got -1}}
  %0 = fuse.tile %x {repeats = array<i64: 1, -1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @tile_result(%x: tensor<2x3xf32>) {
  // [2 * 2, 3 * 3]
  // expected-error @+1 {{'fuse.tile' op result type(s) 'tensor<4x3xf32>' differ from the inferred type(s) 'tensor<4x9xf32>'}}
  %0 = fuse.tile %x {repeats = array<i64: 2, 3>} : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

func.func @constant_type() {
  // expected-error @+1 {{must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer or 1-bit signless integer values}}
  %0 = fuse.constant dense<1.0> : tensor<2xf64>
  return
}

// -----

func.func @constant_i8() {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer or 1-bit signless integer values, but got 'tensor<2xi8>'}}
  %0 = fuse.constant dense<1> : tensor<2xi8>
  return
}

// -----

func.func @constant_vector() {
  // expected-error @+1 {{'fuse.constant' op value must be a statically shaped ranked tensor}}
  %0 = "fuse.constant"() <{value = dense<1.0> : vector<2xf32>}> : () -> tensor<2xf32>
  return
}

// -----

func.func @constant_vector_result() {
  // expected-error @+1 {{'fuse.constant' op result #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer or 1-bit signless integer values, but got 'vector<2xf32>'}}
  %0 = fuse.constant dense<1.0> : vector<2xf32>
  return
}

// -----

func.func @constant_missing_value() {
  // expected-error @+1 {{'fuse.constant' op requires attribute 'value'}}
  %0 = "fuse.constant"() : () -> tensor<2xf32>
  return
}

// -----

func.func @constant_result_type() {
  // expected-error @+2 {{'fuse.constant' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'fuse.constant' op failed to infer returned types}}
  %0 = "fuse.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// attention
//===----------------------------------------------------------------------===//

func.func @attention_rank(%q: tensor<8xf32>) {
  // expected-error @+1 {{query, key and value must have the same rank >= 2}}
  %0 = fuse.attention %q, %q, %q : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @attention_rank_mismatch(%q: tensor<4x8xf32>, %k: tensor<1x4x8xf32>) {
  // expected-error @+1 {{query, key and value must have the same rank >= 2}}
  %0 = fuse.attention %q, %k, %k : (tensor<4x8xf32>, tensor<1x4x8xf32>, tensor<1x4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @attention_leading(%q: tensor<2x4x8xf32>, %k: tensor<3x4x8xf32>) {
  // expected-error @+1 {{query, key and value leading dims differ: 2x4x8, 3x4x8, 3x4x8}}
  %0 = fuse.attention %q, %k, %k : (tensor<2x4x8xf32>, tensor<3x4x8xf32>, tensor<3x4x8xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

func.func @attention_value_leading(%q: tensor<2x4x8xf32>, %v: tensor<3x4x8xf32>) {
  // expected-error @+1 {{query, key and value leading dims differ: 2x4x8, 2x4x8, 3x4x8}}
  %0 = fuse.attention %q, %q, %v : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<3x4x8xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

func.func @attention_head_dim(%q: tensor<4x8xf32>, %k: tensor<4x16xf32>) {
  // expected-error @+1 {{query head dim 8 differs from key head dim 16}}
  %0 = fuse.attention %q, %k, %k : (tensor<4x8xf32>, tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @attention_length(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<5x8xf32>) {
  // expected-error @+1 {{key length 6 differs from value length 5}}
  %0 = fuse.attention %q, %k, %v : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<5x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @attention_mask(%q: tensor<4x8xf32>, %m: tensor<4x5xf32>) {
  // expected-error @+1 {{mask does not broadcast to the score shape 4x4}}
  %0 = fuse.attention %q, %q, %q mask %m : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x5xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @attention_mask_rank(%q: tensor<4x8xf32>, %m: tensor<2x4x4xf32>) {
  // the mask must not grow the 4x4 scores
  // expected-error @+1 {{mask does not broadcast to the score shape 4x4}}
  %0 = fuse.attention %q, %q, %q mask %m : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<2x4x4xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @attention_scale(%q: tensor<4x8xf32>) {
  // expected-error @+1 {{'scale' must be positive}}
  %0 = fuse.attention %q, %q, %q {scale = -1.0 : f32} : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @attention_zero_scale(%q: tensor<4x8xf32>) {
  // expected-error @+1 {{'scale' must be positive}}
  %0 = fuse.attention %q, %q, %q {scale = 0.0 : f32} : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @attention_types(%q: tensor<4x8xf32>, %k: tensor<4x8xf16>) {
  // expected-error @+1 {{failed to verify that all of {query, key, value} have same element type}}
  %0 = fuse.attention %q, %k, %k : (tensor<4x8xf32>, tensor<4x8xf16>, tensor<4x8xf16>) -> tensor<4x8xf32>
  return
}

// -----

func.func @attention_int(%q: tensor<4x8xi32>) {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4x8xi32>'}}
  %0 = fuse.attention %q, %q, %q : (tensor<4x8xi32>, tensor<4x8xi32>, tensor<4x8xi32>) -> tensor<4x8xi32>
  return
}

// -----

func.func @attention_result(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x5xf32>) {
  // [S, Dv] = 4x5
  // expected-error @+1 {{'fuse.attention' op result type(s) 'tensor<4x8xf32>' differ from the inferred type(s) 'tensor<4x5xf32>'}}
  %0 = fuse.attention %q, %k, %v : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<6x5xf32>) -> tensor<4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// group and yield
//===----------------------------------------------------------------------===//

func.func @group_args(%x: tensor<4xf32>) {
  // expected-error @+1 {{body has 0 arguments but the group has 1 inputs}}
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf32> {
    %c = fuse.constant dense<1.0> : tensor<4xf32>
    fuse.yield %c : tensor<4xf32>
  }
  return
}

// -----

func.func @group_extra_args(%x: tensor<4xf32>) {
  // expected-error @+1 {{'fuse.group' op body has 2 arguments but the group has 1 inputs}}
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>, %b: tensor<4xf32>):
    fuse.yield %a : tensor<4xf32>
  }
  return
}

// -----

func.func @group_arg_types(%x: tensor<4xf32>) {
  // expected-error @+1 {{body argument #0 has type 'tensor<4xf16>' but input #0 has type 'tensor<4xf32>'}}
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf16> {
  ^bb0(%a: tensor<4xf16>):
    fuse.yield %a : tensor<4xf16>
  }
  return
}

// -----

func.func @group_yield(%x: tensor<4xf32>) {
  // expected-error @+1 {{yielded types do not match the group's result types}}
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<2xf32> {
  ^bb0(%a: tensor<4xf32>):
    fuse.yield %a : tensor<4xf32>
  }
  return
}

// -----

func.func @group_yield_count(%x: tensor<4xf32>) {
  // expected-error @+1 {{'fuse.group' op yielded types do not match the group's result types}}
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    fuse.yield %a, %a : tensor<4xf32>, tensor<4xf32>
  }
  return
}

// -----

func.func @group_no_yield(%x: tensor<4xf32>) {
  // expected-error @+1 {{'fuse.group' op body must end with 'fuse.yield'}}
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %r = fuse.relu %a : tensor<4xf32>
  }
  return
}

// -----

func.func @group_empty_body(%x: tensor<4xf32>) {
  // expected-error @+1 {{'fuse.group' op expects a non-empty block}}
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
  }
  return
}

// -----

func.func @group_two_blocks(%x: tensor<4xf32>) {
  // expected-error @+1 {{'fuse.group' op expects region #0 to have 0 or 1 blocks}}
  %0 = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    fuse.yield %a : tensor<4xf32>
  ^bb1:
    fuse.yield %a : tensor<4xf32>
  }
  return
}

// -----

func.func @group_dynamic(%x: tensor<?xf32>) {
  // expected-error @+1 {{operand #0 must be variadic of statically shaped tensor of 32-bit float or 16-bit float or bfloat16 type or 64-bit signless integer or 32-bit signless integer or 1-bit signless integer values, but got 'tensor<?xf32>'}}
  %0 = fuse.group(%x) : (tensor<?xf32>) -> tensor<?xf32> {
  ^bb0(%a: tensor<?xf32>):
    fuse.yield %a : tensor<?xf32>
  }
  return
}

// -----

func.func @group_isolated(%x: tensor<4xf32>) {
  // expected-note @+1 {{required by region isolation constraints}}
  %0 = fuse.group() : () -> tensor<4xf32> {
    // expected-error @+1 {{using value defined outside the region}}
    %r = fuse.relu %x : tensor<4xf32>
    fuse.yield %r : tensor<4xf32>
  }
  return
}

// -----

func.func @yield_parent(%x: tensor<4xf32>) {
  // expected-error @+1 {{'fuse.yield' op expects parent op 'fuse.group'}}
  fuse.yield %x : tensor<4xf32>
}

// -----

func.func @unknown_op(%x: tensor<4xf32>) {
  // expected-error @+1 {{unregistered operation 'fuse.frobnicate' found in dialect ('fuse') that does not allow unknown operations}}
  %0 = "fuse.frobnicate"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @tile_attr_bad_impl(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{tile implementation 'bad-name' is not an identifier}}
  %0 = fuse.group(%x) {fuse.tile = #fuse.tile<"bad-name", {BM = 1 : i64}>} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    fuse.yield %a : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @tile_attr_bad_param(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{tile parameter 'BM' is not an integer}}
  %0 = fuse.group(%x) {fuse.tile = #fuse.tile<"mma_sync", {BM = "x"}>} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    fuse.yield %a : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
