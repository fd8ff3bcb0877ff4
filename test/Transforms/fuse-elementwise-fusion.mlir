// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-elementwise-fusion))' | FileCheck %s
//
// The pass rewrites by patterns and has no failure mode on valid IR, so
// there are no error cases.

// A [1, 40, 24] activation collapsed to [40, 24] for a 2-D matmul (what
// fuse-tile leaves when the whole M is one tile): the collapse stays, and so
// does the expand of the result; the matmul keeps its three loops.
// CHECK-LABEL: func.func @matmul_behind_reshapes(
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x40x24xf32> into tensor<40x24xf32>
// CHECK: %[[M:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}}ins(%[[C]], %{{.*}} : tensor<40x24xf32>, tensor<24x48xf32>)
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2]] output_shape [1, 40, 48]
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @matmul_behind_reshapes(%x: tensor<1x40x24xf32>, %w: tensor<24x48xf32>) -> tensor<1x40x48xf32> {
  %zero = arith.constant 0.0 : f32
  %xc = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x40x24xf32> into tensor<40x24xf32>
  %e = tensor.empty() : tensor<40x48xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<40x48xf32>) -> tensor<40x48xf32>
  %m = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%xc, %w : tensor<40x24xf32>, tensor<24x48xf32>) outs(%f : tensor<40x48xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %0 = arith.mulf %p, %q : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<40x48xf32>
  %r = tensor.expand_shape %m [[0, 1], [2]] output_shape [1, 40, 48] : tensor<40x48xf32> into tensor<1x40x48xf32>
  return %r : tensor<1x40x48xf32>
}

// -----

// Elementwise fusion is upstream's: an add feeding a relu (one use) is one
// generic.
// CHECK-LABEL: func.func @add_relu(
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
#id = affine_map<(i, j) -> (i, j)>
func.func @add_relu(%x: tensor<40x48xf32>, %y: tensor<40x48xf32>) -> tensor<40x48xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<40x48xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<40x48xf32>, tensor<40x48xf32>) outs(%e : tensor<40x48xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %0 = arith.addf %p, %q : f32
    linalg.yield %0 : f32
  } -> tensor<40x48xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<40x48xf32>) outs(%e : tensor<40x48xf32>) {
  ^bb0(%p: f32, %o: f32):
    %0 = arith.maximumf %p, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<40x48xf32>
  return %r : tensor<40x48xf32>
}

// -----

// Near-miss: a collapse feeding an elementwise generic is folded into it,
// as upstream does (the generic is expanded to the source's rank).
// CHECK-LABEL: func.func @elementwise_behind_reshape(
// CHECK-NOT: tensor.collapse_shape %arg0
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]{{.*}}ins(%arg0 : tensor<1x40x48xf32>)
// CHECK: math.exp
#id2 = affine_map<(i, j) -> (i, j)>
func.func @elementwise_behind_reshape(%x: tensor<1x40x48xf32>) -> tensor<40x48xf32> {
  %xc = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x40x48xf32> into tensor<40x48xf32>
  %e = tensor.empty() : tensor<40x48xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%xc : tensor<40x48xf32>) outs(%e : tensor<40x48xf32>) {
  ^bb0(%p: f32, %o: f32):
    %0 = math.exp %p : f32
    linalg.yield %0 : f32
  } -> tensor<40x48xf32>
  return %r : tensor<40x48xf32>
}

// -----

// Near-miss: a contraction with a multiply-max body is not matmul-like;
// the collapse feeding it is folded.
// CHECK-LABEL: func.func @max_plus_behind_reshape(
// CHECK-NOT: tensor.collapse_shape %arg0
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}}ins(%arg0, %{{.*}} : tensor<1x40x24xf32>, tensor<24x48xf32>)
#a3 = affine_map<(m, n, k) -> (m, k)>
#b3 = affine_map<(m, n, k) -> (k, n)>
#c3 = affine_map<(m, n, k) -> (m, n)>
func.func @max_plus_behind_reshape(%x: tensor<1x40x24xf32>, %w: tensor<24x48xf32>, %init: tensor<40x48xf32>) -> tensor<40x48xf32> {
  %xc = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x40x24xf32> into tensor<40x24xf32>
  %m = linalg.generic {indexing_maps = [#a3, #b3, #c3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%xc, %w : tensor<40x24xf32>, tensor<24x48xf32>) outs(%init : tensor<40x48xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %0 = arith.mulf %p, %q : f32
    %1 = arith.maximumf %acc, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<40x48xf32>
  return %m : tensor<40x48xf32>
}
