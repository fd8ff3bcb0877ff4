// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --canonicalize --cse | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="materialize=false" | FileCheck %s --check-prefix=ATTR
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile=precision=fp16 --canonicalize --cse | FileCheck %s --check-prefix=PREC

// A matmul with its epilogue: the tuner picks a GEMM configuration (fp32:
// the FMA path), the output is tiled BM x BN by scf.forall mapped to GPU
// blocks, the reduction over K stays inside each tile, and the epilogue is
// fused into the loop.
// CHECK-LABEL: func.func @gemm(
// CHECK: fuse.group
// CHECK-SAME: fuse.tile = #fuse.tile<"fma_gemm",
// CHECK: scf.forall ({{.*}}, {{.*}}) = (0, 0) to (512, 512) step
// CHECK: linalg.fill
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]
// CHECK: arith.maximumf
// CHECK: tensor.parallel_insert_slice
// CHECK: mapping = [#gpu.block<y>, #gpu.block<x>]
// CHECK: fuse.yield
// ATTR-LABEL: func.func @gemm(
// ATTR: fuse.group
// ATTR-SAME: fuse.tile = #fuse.tile<"fma_gemm", {BK = {{[0-9]+}} : i64, BM = {{[0-9]+}} : i64, BN = {{[0-9]+}} : i64, vector = {{[0-9]+}} : i64, warps = {{[0-9]+}} : i64}>
// ATTR-NOT: scf.forall
// ATTR: fuse.matmul
func.func @gemm(%x: tensor<512x256xf32>, %w: tensor<256x512xf32>) -> tensor<512x512xf32> {
  %m = fuse.matmul %x, %w : (tensor<512x256xf32>, tensor<256x512xf32>) -> tensor<512x512xf32>
  %r = fuse.relu %m : tensor<512x512xf32>
  return %r : tensor<512x512xf32>
}

// -----

// A row reduction (softmax): rows are tiled, the reduced dim is not; the
// exp prologue, fused into each of softmax's reductions, is computed once
// per tile after CSE.
// CHECK-LABEL: func.func @softmax(
// CHECK: fuse.group
// CHECK-SAME: fuse.tile = #fuse.tile<"row_per_warp", {vector = {{[0-9]+}} : i64, warps = 1 : i64}>
// CHECK: scf.forall ({{.*}}) in (1024)
// CHECK: math.exp
// CHECK-NOT: math.exp %in :
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: tensor.parallel_insert_slice
// CHECK: mapping = [#gpu.block<x>]
// ATTR-LABEL: func.func @softmax(
// ATTR: fuse.tile = #fuse.tile<"row_per_
func.func @softmax(%x: tensor<1024x512xf32>) -> tensor<1024x512xf32> {
  %e = fuse.exp %x : tensor<1024x512xf32>
  %s = fuse.softmax %e {axis = 1 : i64} : tensor<1024x512xf32>
  return %s : tensor<1024x512xf32>
}

// -----

// An elementwise chain: one loop over the innermost dim in chunks of
// threads x vector elements, the whole chain fused into it.
// CHECK-LABEL: func.func @elementwise(
// CHECK: fuse.group
// CHECK-SAME: fuse.tile = #fuse.tile<"elementwise", {threads = {{[0-9]+}} : i64, vector = {{[0-9]+}} : i64}>
// CHECK: scf.forall
// CHECK: math.exp
// CHECK: math.tanh
// CHECK-NOT: math.exp
// CHECK: mapping = [#gpu.block<x>]
func.func @elementwise(%x: tensor<1048576xf32>) -> tensor<1048576xf32> {
  %a = fuse.exp %x : tensor<1048576xf32>
  %b = fuse.tanh %a : tensor<1048576xf32>
  return %b : tensor<1048576xf32>
}

// -----

// A multi-output group: the producer's value leaves the group too, so the
// loop yields it as a second result.
// CHECK-LABEL: func.func @multi_output(
// CHECK: %[[G:.*]]:2 = fuse.group
// CHECK: %[[L:.*]]:2 = scf.forall
// CHECK: fuse.yield %[[L]]#{{[01]}}, %[[L]]#{{[01]}}
// CHECK: return %[[G]]#0, %[[G]]#1
func.func @multi_output(%x: tensor<4096xf32>) -> (tensor<4096xf32>, tensor<4096xf32>) {
  %e = fuse.exp %x : tensor<4096xf32>
  %t = fuse.tanh %e : tensor<4096xf32>
  return %e, %t : tensor<4096xf32>, tensor<4096xf32>
}

// -----

// Attention with the head split before it and the head merge after it, one
// group (as fuse-form-groups leaves BERT's self-attention): the
// flash_attention group keeps its fuse.attention in fuse form
// (fuse-gpu-attention tiles it itself) together with the views its strided
// addressing folds in: the bias, split, reshapes and transposes of Q, K, V
// and the transpose and reshape of the result. Nothing is split off: one
// group, one kernel.
// CHECK-LABEL: func.func @attention_split(
// CHECK-SAME: %[[X:[^:]*]]: tensor<1x32x384xf32>, %[[B:[^:]*]]: tensor<384xf32>, %[[M:[^:]*]]: tensor<1x1x1x32xf32>
// CHECK-NOT: fuse.group
// CHECK: %[[O:.*]] = fuse.group(%[[X]], %[[B]], %[[M]]) {fuse.tile = #fuse.tile<"flash_attention", {BKV = {{[0-9]+}} : i64, BQ = {{[0-9]+}} : i64, stages = {{[0-9]+}} : i64, warps = {{[0-9]+}} : i64}>}
// CHECK: fuse.add
// CHECK: fuse.split
// CHECK: fuse.transpose
// CHECK: %[[A:.*]] = fuse.attention {{.*}} {scale = 1.250000e-01 : f32}
// CHECK-NEXT: %[[T:.*]] = fuse.transpose %[[A]]
// CHECK-NEXT: %[[R:.*]] = fuse.reshape %[[T]] : tensor<1x32x2x64xf32> -> tensor<1x32x128xf32>
// CHECK-NEXT: fuse.yield %[[R]]
// CHECK-NOT: fuse.group
// CHECK: return %[[O]]
// The choice alone, unsplit, with materialize=false.
// ATTR-LABEL: func.func @attention_split(
// ATTR: fuse.group
// ATTR-SAME: fuse.tile = #fuse.tile<"flash_attention"
// ATTR: fuse.split
// ATTR: fuse.attention
// ATTR: fuse.transpose
func.func @attention_split(%x: tensor<1x32x384xf32>, %b: tensor<384xf32>, %m: tensor<1x1x1x32xf32>) -> tensor<1x32x128xf32> {
  %r = fuse.group(%x, %b, %m) : (tensor<1x32x384xf32>, tensor<384xf32>, tensor<1x1x1x32xf32>) -> tensor<1x32x128xf32> {
  ^bb0(%ax: tensor<1x32x384xf32>, %ab: tensor<384xf32>, %am: tensor<1x1x1x32xf32>):
    %0 = fuse.add %ax, %ab : (tensor<1x32x384xf32>, tensor<384xf32>) -> tensor<1x32x384xf32>
    %1:3 = fuse.split %0 {axis = 2 : i64, sizes = array<i64: 128, 128, 128>} : tensor<1x32x384xf32> -> tensor<1x32x128xf32>, tensor<1x32x128xf32>, tensor<1x32x128xf32>
    %2 = fuse.reshape %1#0 : tensor<1x32x128xf32> -> tensor<1x32x2x64xf32>
    %3 = fuse.transpose %2 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x32x2x64xf32> -> tensor<1x2x32x64xf32>
    %4 = fuse.reshape %1#1 : tensor<1x32x128xf32> -> tensor<1x32x2x64xf32>
    %5 = fuse.transpose %4 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x32x2x64xf32> -> tensor<1x2x32x64xf32>
    %6 = fuse.reshape %1#2 : tensor<1x32x128xf32> -> tensor<1x32x2x64xf32>
    %7 = fuse.transpose %6 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x32x2x64xf32> -> tensor<1x2x32x64xf32>
    %8 = fuse.attention %3, %5, %7 mask %am {scale = 0.125 : f32} : (tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x1x1x32xf32>) -> tensor<1x2x32x64xf32>
    %9 = fuse.transpose %8 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x2x32x64xf32> -> tensor<1x32x2x64xf32>
    %10 = fuse.reshape %9 : tensor<1x32x2x64xf32> -> tensor<1x32x128xf32>
    fuse.yield %10 : tensor<1x32x128xf32>
  }
  return %r : tensor<1x32x128xf32>
}

// -----

// Near-miss: Q is a reshape merging heads and sequence after a transpose
// made them non-contiguous (strides cannot express it), and a relu of K is
// computed: those stay materialized in groups of their own (the relu
// group, the transpose + reshape group), tiled the generic way; V's
// reshape and the reshape after the attention are folded in. The
// precision (fp16) goes with every group.
// PREC-LABEL: func.func @attention_unaddressable(
// PREC-SAME: %[[X:[^:]*]]: tensor<1x32x2x64xf32>, %[[Y:[^:]*]]: tensor<1x1x64x64xf32>, %[[Z:[^:]*]]: tensor<1x64x64xf32>
// PREC: %[[Q:.*]] = fuse.group(%[[X]]) {fuse.precision = "fp16", fuse.split_part, fuse.tile = #fuse.tile<
// PREC: scf.forall
// PREC: %[[K:.*]] = fuse.group(%[[Y]]) {fuse.precision = "fp16", fuse.split_part, fuse.tile = #fuse.tile<
// PREC: scf.forall
// PREC: %[[O:.*]] = fuse.group(%[[Z]], %[[Q]], %[[K]]) {fuse.precision = "fp16", fuse.tile = #fuse.tile<"flash_attention"
// PREC-NEXT: ^bb0(%[[AZ:[^:]*]]: tensor<1x64x64xf32>, %[[AQ:[^:]*]]: tensor<1x1x64x64xf32>, %[[AK:[^:]*]]: tensor<1x1x64x64xf32>):
// PREC-NEXT: %[[V:.*]] = fuse.reshape %[[AZ]]
// PREC-NEXT: %[[A:.*]] = fuse.attention %[[AQ]], %[[AK]], %[[V]]
// PREC-NEXT: %[[R:.*]] = fuse.reshape %[[A]]
// PREC-NEXT: fuse.yield %[[R]]
// PREC: return %[[O]]
func.func @attention_unaddressable(%x: tensor<1x32x2x64xf32>, %y: tensor<1x1x64x64xf32>, %z: tensor<1x64x64xf32>) -> tensor<64x64xf32> {
  %r = fuse.group(%x, %y, %z) : (tensor<1x32x2x64xf32>, tensor<1x1x64x64xf32>, tensor<1x64x64xf32>) -> tensor<64x64xf32> {
  ^bb0(%ax: tensor<1x32x2x64xf32>, %ay: tensor<1x1x64x64xf32>, %az: tensor<1x64x64xf32>):
    %t = fuse.transpose %ax {perm = array<i64: 0, 2, 1, 3>} : tensor<1x32x2x64xf32> -> tensor<1x2x32x64xf32>
    %q = fuse.reshape %t : tensor<1x2x32x64xf32> -> tensor<1x1x64x64xf32>
    %k = fuse.relu %ay : tensor<1x1x64x64xf32>
    %v = fuse.reshape %az : tensor<1x64x64xf32> -> tensor<1x1x64x64xf32>
    %o = fuse.attention %q, %k, %v : (tensor<1x1x64x64xf32>, tensor<1x1x64x64xf32>, tensor<1x1x64x64xf32>) -> tensor<1x1x64x64xf32>
    %f = fuse.reshape %o : tensor<1x1x64x64xf32> -> tensor<64x64xf32>
    fuse.yield %f : tensor<64x64xf32>
  }
  return %r : tensor<64x64xf32>
}

// -----

// A 1x1 convolution at fp32 is tuned fma_gemm and tiled as an implicit GEMM
// (filters x output positions, no collapse to a contraction and no reshape
// around the loop). The whole output is one tile here: still one
// block-mapped loop (one kernel).
// CHECK-LABEL: func.func @fc(
// CHECK: fuse.group{{.*}}#fuse.tile<"fma_gemm"
// CHECK: %[[L:.*]] = scf.forall ({{.*}}) in (1) shared_outs
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: tensor.parallel_insert_slice
// CHECK: mapping = [#gpu.block<x>]
// CHECK-NOT: tensor.expand_shape
// CHECK-NEXT: fuse.yield %[[L]]
func.func @fc(%x: tensor<1x8x1x1xf32>, %w: tensor<2x8x1x1xf32>, %b: tensor<2xf32>) -> tensor<1x2x1x1xf32> {
  %0 = fuse.conv %x, %w, %b {groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x1x1xf32>, tensor<2x8x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// -----

// The bias broadcast of an implicit-GEMM conv is tiled with it: filters by
// 32 (the tuned BN) and output rows by 1, each tile reading its slice of the
// input, the weight and the bias, mapped to a 2-D grid.
// CHECK-LABEL: func.func @conv1x1(
// CHECK: fuse.group
// CHECK: %[[L:.*]] = scf.forall (%[[F:.*]], %[[R:.*]]) = (0, 0) to (128, 32) step (32, 1) shared_outs
// CHECK-DAG: tensor.extract_slice %{{.*}}[0, 0, %[[R]], 0] [1, 64, 1, 32]
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[F]], 0, 0, 0] [32, 64, 1, 1]
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[F]]] [32] [1] : tensor<128xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel"]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: mapping = [#gpu.block<y>, #gpu.block<x>]
// CHECK-NEXT: fuse.yield %[[L]]
func.func @conv1x1(%x: tensor<1x64x32x32xf32>, %w: tensor<128x64x1x1xf32>, %b: tensor<128xf32>) -> tensor<1x128x32x32xf32> {
  %0 = fuse.conv %x, %w, %b {groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x64x32x32xf32>, tensor<128x64x1x1xf32>, tensor<128xf32>) -> tensor<1x128x32x32xf32>
  return %0 : tensor<1x128x32x32xf32>
}

// -----

// Near-miss: a group that is only a view (a reshape) computes nothing and
// gets no loop (no kernel).
// CHECK-LABEL: func.func @view(
// CHECK: fuse.group
// CHECK-NOT: scf.forall
// CHECK: tensor.collapse_shape
// CHECK-NEXT: fuse.yield
func.func @view(%x: tensor<1x8x4x4xf32>) -> tensor<1x128xf32> {
  %0 = fuse.reshape %x : tensor<1x8x4x4xf32> -> tensor<1x128xf32>
  return %0 : tensor<1x128xf32>
}

// -----

// A group that only views its input needs no kernel, but a function result
// must be one range of memory: a strided slice returned by the function is
// copied by the group's (elementwise) kernel.
// CHECK-LABEL: func.func @strided_view_result(
// CHECK: fuse.group
// CHECK: tensor.extract_slice %{{.*}}[0, 1] [4, 2] [1, 1] : tensor<4x6xf32> to tensor<4x2xf32>
// CHECK: scf.forall
// CHECK: tensor.parallel_insert_slice
// CHECK: mapping = [#gpu.block<y>, #gpu.block<x>]
func.func @strided_view_result(%x: tensor<4x6xf32>) -> tensor<4x2xf32> {
  %s = fuse.slice %x {axes = array<i64: 1>, starts = array<i64: 1>, ends = array<i64: 3>, steps = array<i64: 1>} : tensor<4x6xf32> -> tensor<4x2xf32>
  return %s : tensor<4x2xf32>
}

// -----

// Near-miss: a contiguous slice (whole rows) stays a view, with no loop (the
// bundle copies it as one range).
// CHECK-LABEL: func.func @contiguous_view_result(
// CHECK: fuse.group
// CHECK-NOT: scf.forall
// CHECK: tensor.extract_slice %{{.*}}[1, 0] [2, 6] [1, 1]
// CHECK-NEXT: fuse.yield
func.func @contiguous_view_result(%x: tensor<4x6xf32>) -> tensor<2x6xf32> {
  %s = fuse.slice %x {axes = array<i64: 0>, starts = array<i64: 1>, ends = array<i64: 3>, steps = array<i64: 1>} : tensor<4x6xf32> -> tensor<2x6xf32>
  return %s : tensor<2x6xf32>
}
