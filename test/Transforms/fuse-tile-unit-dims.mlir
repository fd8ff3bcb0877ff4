// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | FileCheck %s

// fuse-tile drops the unit dims of a group's linalg ops when a unit dim
// splits a contraction's M (a [1, S, K] x [K, N] matmul, whose A map reads
// the unit dim through a constant 0) or when a unit-dim reshape sits
// between two computing ops of the group.

// A [1, 128, 768] x [768, 2304] matmul: once its unit dim is gone it is a
// plain [128, 768] x [768, 2304] contraction over three loops, tiled on the
// tensor-core path; the reshapes move to the group's edges.
// CHECK-LABEL: func.func @matmul_unit_batch(
// CHECK: fuse.group
// CHECK-SAME: fuse.tile = #fuse.tile<"wgmma",
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x128x768xf16> into tensor<128x768xf16>
// CHECK: scf.forall ({{.*}}, {{.*}}) = (0, 0) to (128, 2304) step
// CHECK-NOT: tensor<1x
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}}ins({{.*}} : tensor<64x768xf16>, tensor<768x64xf16>)
// CHECK-NOT: tensor<1x
// CHECK: mapping = [#gpu.block<y>, #gpu.block<x>]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [1, 128, 2304]
// CHECK: fuse.yield
func.func @matmul_unit_batch(%x: tensor<1x128x768xf16>, %w: tensor<768x2304xf16>) -> tensor<1x128x2304xf16> {
  %m = fuse.matmul %x, %w : (tensor<1x128x768xf16>, tensor<768x2304xf16>) -> tensor<1x128x2304xf16>
  return %m : tensor<1x128x2304xf16>
}

// -----

// A bias add on [128, 768], a reshape to [1, 128, 768], the residual add
// and a layer norm in one group (GPT-2's projection epilogue, as
// fuse-form-groups forms it behind the GEMM): with the unit dim gone the
// reshape between the two adds cancels and every op of the row loop is 2-D.
// CHECK-LABEL: func.func @residual_layer_norm(
// CHECK: fuse.group
// CHECK-SAME: fuse.tile = #fuse.tile<"row_per_
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x128x768xf32> into tensor<128x768xf32>
// CHECK: scf.forall ({{.*}}) in (128)
// CHECK-NOT: tensor<1x1x768xf32>
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK-NOT: tensor<1x1x768xf32>
// CHECK: fuse.yield
func.func @residual_layer_norm(%y: tensor<128x768xf32>, %b: tensor<768xf32>, %x: tensor<1x128x768xf32>, %g: tensor<768xf32>) -> tensor<128x768xf32> {
  %r = fuse.group(%y, %b, %x, %g) : (tensor<128x768xf32>, tensor<768xf32>, tensor<1x128x768xf32>, tensor<768xf32>) -> tensor<128x768xf32> {
  ^bb0(%a0: tensor<128x768xf32>, %a1: tensor<768xf32>, %a2: tensor<1x128x768xf32>, %a3: tensor<768xf32>):
    %0 = fuse.add %a0, %a1 : (tensor<128x768xf32>, tensor<768xf32>) -> tensor<128x768xf32>
    %1 = fuse.reshape %0 : tensor<128x768xf32> -> tensor<1x128x768xf32>
    %2 = fuse.add %1, %a2 : (tensor<1x128x768xf32>, tensor<1x128x768xf32>) -> tensor<1x128x768xf32>
    %3 = fuse.layer_norm %2 scale %a3 bias %a3 {axis = 2 : i64} : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
    %4 = fuse.reshape %3 : tensor<1x128x768xf32> -> tensor<128x768xf32>
    fuse.yield %4 : tensor<128x768xf32>
  }
  return %r : tensor<128x768xf32>
}

// -----

// Near-miss: a matmul with no unit dim is tiled as it is.
// CHECK-LABEL: func.func @matmul_2d(
// CHECK: fuse.tile = #fuse.tile<"wgmma",
// CHECK-NOT: tensor.collapse_shape
// CHECK: scf.forall ({{.*}}, {{.*}}) = (0, 0) to (128, 2304) step
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT: tensor.expand_shape
// CHECK: fuse.yield
func.func @matmul_2d(%x: tensor<128x768xf16>, %w: tensor<768x2304xf16>) -> tensor<128x2304xf16> {
  %m = fuse.matmul %x, %w : (tensor<128x768xf16>, tensor<768x2304xf16>) -> tensor<128x2304xf16>
  return %m : tensor<128x2304xf16>
}

// -----

// Near-miss: a batch-1 convolution keeps its rank-4 NCHW loops (its unit
// batch dim is not a contraction's, and the implicit GEMM reads NCHW).
// CHECK-LABEL: func.func @conv_batch_one(
// CHECK: fuse.tile = #fuse.tile<"mma_sync",
// CHECK-NOT: tensor.collapse_shape
// CHECK: scf.forall
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]{{.*}}tensor<1x64x10x10xf16>
// CHECK: fuse.yield
func.func @conv_batch_one(%x: tensor<1x64x56x56xf16>, %w: tensor<64x64x3x3xf16>, %b: tensor<64xf16>) -> tensor<1x64x56x56xf16> {
  %0 = fuse.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x64x56x56xf16>, tensor<64x64x3x3xf16>, tensor<64xf16>) -> tensor<1x64x56x56xf16>
  return %0 : tensor<1x64x56x56xf16>
}

// -----

// Near-miss: a batch of two is not a unit dim: the [2, S, K] x [K, N]
// matmul keeps its four loops (on the SIMT GEMM path, at fp32).
// CHECK-LABEL: func.func @matmul_batch_two(
// CHECK: fuse.tile = #fuse.tile<"fma_gemm",
// CHECK-NOT: tensor.collapse_shape
// CHECK: scf.forall
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}}ins(%{{.*}}, %{{.*}} : tensor<{{[0-9]+}}x{{[0-9]+}}x768xf32>
// CHECK: fuse.yield
func.func @matmul_batch_two(%x: tensor<2x128x768xf32>, %w: tensor<768x2304xf32>) -> tensor<2x128x2304xf32> {
  %m = fuse.matmul %x, %w : (tensor<2x128x768xf32>, tensor<768x2304xf32>) -> tensor<2x128x2304xf32>
  return %m : tensor<2x128x2304xf32>
}
