// fuse-cpu-loop-order: the parallel dim indexing the output's last dim of a
// reduction generic becomes the innermost dim; the other parallel dims that
// the image (the one input reading that dim) does not read move just inside
// the reductions when their output rows (at most 8) fit in 32 KiB; the
// reductions keep their relative order.
// RUN: fuse-opt %s --split-input-file --fuse-cpu-loop-order | FileCheck %s

// matmul (m, n, k): n moves last. Only B reads n, and the 4 rows of C
// (4 x 6 x 4 bytes) fit in L1, so m moves inside k: (k, m, n), each row of
// B is loaded once and used for every row of C.
// CHECK-DAG: #[[$A:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-DAG: #[[$B:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$C:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @matmul
// CHECK:         linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$C]]], iterator_types = ["reduction", "parallel", "parallel"]}
// CHECK:           arith.mulf
// CHECK:           arith.addf
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @matmul(%a: tensor<4x3xf32>, %b: tensor<3x6xf32>, %c: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x3xf32>, tensor<3x6xf32>) outs(%c : tensor<4x6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// The 4 rows of C take 4 x 4096 x 4 = 64 KiB, more than the 32 KiB slab:
// only n moves, (m, k, n).
// CHECK-DAG: #[[$A:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$B:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$C:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @matmul_wide
// CHECK:         linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$C]]], iterator_types = ["parallel", "reduction", "parallel"]}
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @matmul_wide(%a: tensor<4x3xf32>, %b: tensor<3x4096xf32>, %c: tensor<4x4096xf32>) -> tensor<4x4096xf32> {
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x3xf32>, tensor<3x4096xf32>) outs(%c : tensor<4x4096xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x4096xf32>
  return %0 : tensor<4x4096xf32>
}

// -----

// A strided 2-D convolution (n, f, oh, ow, c, kh, kw): ow moves last; the
// image does not depend on f, so f moves inside the reductions:
// (n, oh, c, kh, kw, f, ow). c, kh, kw keep their order, so each output
// sums its terms in the same order as before.
// CHECK-DAG: #[[$IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d1 * 2 + d3, d6 * 2 + d4)>
// CHECK-DAG: #[[$W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d5, d2, d3, d4)>
// CHECK-DAG: #[[$OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d5, d1, d6)>
// CHECK-LABEL: func.func @conv2d
// CHECK:         linalg.generic {indexing_maps = [#[[$IN]], #[[$W]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "parallel", "parallel"]}
#in = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>
#w = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#out = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
func.func @conv2d(%x: tensor<1x2x9x9xf32>, %w: tensor<3x2x3x3xf32>, %init: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x2x9x9xf32>, tensor<3x2x3x3xf32>) outs(%init : tensor<1x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// A grouped convolution reads the image through f (f floordiv 2): only ow
// moves, (n, f, oh, c, kh, kw, ow).
// CHECK-DAG: #[[$IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 floordiv 2 + d3, d2 + d4, d5 + d6)>
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK:         linalg.generic {indexing_maps = [#[[$IN]], #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]}
#in = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f floordiv 2 + c, oh + kh, ow + kw)>
#w = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#out = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
func.func @conv2d_grouped(%x: tensor<1x2x6x6xf32>, %w: tensor<4x1x3x3xf32>, %init: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x2x6x6xf32>, tensor<4x1x3x3xf32>) outs(%init : tensor<1x4x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Near-miss: with transpose_b the [N, K] operand reads n first; n stays
// where it is (k remains innermost and contiguous).
// CHECK-DAG: #[[$NK:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @matmul_transpose_b
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #[[$NK]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @matmul_transpose_b(%a: tensor<4x3xf32>, %b: tensor<6x3xf32>, %c: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %0 = linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x3xf32>, tensor<6x3xf32>) outs(%c : tensor<4x6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// Near-misses: a reduction over the last axis (the output's last result is
// not a dim), a reduction whose output dim is already innermost, and an
// elementwise generic (no reduction) stay as they are.
// CHECK-LABEL: func.func @unchanged
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]}
// CHECK:         linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]}
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]}
func.func @unchanged(%x: tensor<4x6xf32>, %r: tensor<4x1xf32>, %c: tensor<6xf32>) -> (tensor<4x1xf32>, tensor<6xf32>, tensor<4x6xf32>) {
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, 0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x6xf32>) outs(%r : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  } -> tensor<4x1xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>], iterator_types = ["reduction", "parallel"]}
      ins(%x : tensor<4x6xf32>) outs(%c : tensor<6xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  } -> tensor<6xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x6xf32>) outs(%x : tensor<4x6xf32>) {
  ^bb0(%a: f32, %b: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<4x6xf32>
  return %0, %1, %2 : tensor<4x1xf32>, tensor<6xf32>, tensor<4x6xf32>
}

// -----

// Filters split into blocks (fo, fi) of 8: the block fi moves inside the
// reductions, fo stays outside with the dims the image reads:
// (n, fo, oh, c, kh, kw, fi, ow).
// CHECK-DAG: #[[$IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d3, d2 + d4, d5 + d7)>
// CHECK-DAG: #[[$W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d6, d3, d4, d5)>
// CHECK-DAG: #[[$OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d6, d2, d7)>
// CHECK-LABEL: func.func @conv2d_filter_blocks
// CHECK:         linalg.generic {indexing_maps = [#[[$IN]], #[[$W]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel", "parallel"]}
#in = affine_map<(n, fo, fi, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w = affine_map<(n, fo, fi, oh, ow, c, kh, kw) -> (fo, fi, c, kh, kw)>
#out = affine_map<(n, fo, fi, oh, ow, c, kh, kw) -> (n, fo, fi, oh, ow)>
func.func @conv2d_filter_blocks(%x: tensor<1x2x6x6xf32>, %w: tensor<2x8x2x3x3xf32>, %init: tensor<1x2x8x4x4xf32>) -> tensor<1x2x8x4x4xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x2x6x6xf32>, tensor<2x8x2x3x3xf32>) outs(%init : tensor<1x2x8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x2x8x4x4xf32>
  return %0 : tensor<1x2x8x4x4xf32>
}

// -----

// Near-miss: 16 filter rows in one dim exceed the 8-row block: only ow
// moves, (n, f, oh, c, kh, kw, ow).
// CHECK-LABEL: func.func @conv2d_too_many_rows
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]}
#in = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#out = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
func.func @conv2d_too_many_rows(%x: tensor<1x2x6x6xf32>, %w: tensor<16x2x3x3xf32>, %init: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x2x6x6xf32>, tensor<16x2x3x3xf32>) outs(%init : tensor<1x16x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}
