// Known bugs of the fuse dialect, found while writing this lit suite. Each
// case states the CORRECT behavior, so the file fails today and is marked
// XFAIL. When it starts to pass (XPASS), the bugs are fixed: move the cases
// into invalid.mlir / canonicalize.mlir and delete this file.
// XFAIL: *
// RUN: fuse-opt %s -split-input-file -verify-diagnostics
// RUN: fuse-opt %s -split-input-file -verify-diagnostics --canonicalize | FileCheck %s

// Bug: a backward slice of an empty dim infers one element. dim = 0,
// start 0, end -1, step -1 is accepted by the normalization check
// (0 <= start <= max(0, dim - 1), -1 <= end < max(1, dim)) and the count
// (start - end) / 1 = 1 gives tensor<4x1xf32>, reading an element that does
// not exist (fuse-to-linalg then rejects the op). Expected: 0 elements (or a
// diagnostic); in either case this 4x1 result type must be rejected.
func.func @slice_reverse_empty_dim(%x: tensor<4x0xf32>) -> tensor<4x1xf32> {
  // expected-error-re @+1 {{{{.+}}}}
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 0>, steps = array<i64: -1>} : tensor<4x0xf32> -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// -----

// Bug: conv does not check the bias element type (input and weight are
// checked). An f16 bias on an f32 conv verifies, and fuse-to-linalg then
// fails with "no lowering to linalg for 'fuse.conv'". Expected: a
// diagnostic.
func.func @conv_bias_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf16>) -> tensor<1x4x6x6xf32> {
  // expected-error-re @+1 {{{{.+}}}}
  %0 = fuse.conv %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf16>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

// Bug: same for conv_transpose (bf16 bias on an f32 op).
func.func @conv_transpose_bias_element_type(%x: tensor<1x8x4x4xf32>, %w: tensor<8x4x2x2xf32>, %b: tensor<4xbf16>) -> tensor<1x4x5x5xf32> {
  // expected-error-re @+1 {{{{.+}}}}
  %0 = fuse.conv_transpose %x, %w, %b : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>, tensor<4xbf16>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

// Bug: attention does not check the mask element type (AllElementTypesMatch
// covers query, key and value only). An f16 additive mask on f32 attention
// verifies, and fuse-to-linalg then fails with "no lowering to linalg for
// 'fuse.attention'". Expected: a diagnostic.
func.func @attention_mask_element_type(%q: tensor<4x8xf32>, %m: tensor<4x4xf16>) -> tensor<4x8xf32> {
  // expected-error-re @+1 {{{{.+}}}}
  %0 = fuse.attention %q, %q, %q mask %m : (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x4xf16>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Bug: conv_transpose accepts an output_padding that is not smaller than
// the stride or the dilation (ONNX ConvTranspose: "Each padding value in
// output_padding must be less than the corresponding stride/dilation
// dimension"; PyTorch rejects it too). Here stride 2, dilation 1,
// output_padding 2: the extra output rows are not covered by any input.
// Expected: a diagnostic.
func.func @conv_transpose_output_padding_too_large(%x: tensor<1x1x4xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x11xf32> {
  // 2 * (4 - 1) + 2 + 1 * (3 - 1) + 1 = 11
  // expected-error-re @+1 {{{{.+}}}}
  %0 = fuse.conv_transpose %x, %w {output_padding = array<i64: 2>, strides = array<i64: 2>} : (tensor<1x1x4xf32>, tensor<1x1x3xf32>) -> tensor<1x1x11xf32>
  return %0 : tensor<1x1x11xf32>
}

// -----

// Bug: tile's inferred dim dim * repeat overflows int64 silently:
// 4 * 2^62 wraps to 0, so tiling a 4-element tensor 2^62 times verifies as
// tensor<0xf32> (with 3 instead of 4 the inferred type even has a negative
// dim: tensor<-4611686018427387904xf32>). Expected: a diagnostic.
func.func @tile_repeat_overflow(%x: tensor<4xf32>) -> tensor<0xf32> {
  // expected-error-re @+1 {{{{.+}}}}
  %0 = fuse.tile %x {repeats = array<i64: 4611686018427387904>} : tensor<4xf32> -> tensor<0xf32>
  return %0 : tensor<0xf32>
}

// -----

// Bug: the relu folder computes x > 0 ? x : 0, which turns NaN into 0, but
// fuse.relu lowers to arith.maximumf(x, 0) (NaN-propagating), and the
// fuse.max folder (llvm::maximum) and fuse.clip folder keep NaN too. So a
// constant-folded relu disagrees with the same relu computed at run time.
// Expected: relu(NaN) folds to NaN, like max(NaN, 0) below, so both fold
// to the same constant.
// CHECK-LABEL: func.func @relu_nan(
// CHECK-NEXT: %[[C:.*]] = fuse.constant dense<[0x7FC00000, 0.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: return %[[C]], %[[C]] :
func.func @relu_nan() -> (tensor<3xf32>, tensor<3xf32>) {
  %c = fuse.constant dense<[0x7FC00000, -1.0, 2.0]> : tensor<3xf32>
  %0 = fuse.relu %c : tensor<3xf32>
  %z = fuse.constant dense<0.0> : tensor<3xf32>
  %1 = fuse.max %c, %z : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}
