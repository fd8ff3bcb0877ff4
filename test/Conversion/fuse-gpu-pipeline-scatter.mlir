// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s

// A scatter is two kernels through the whole pipeline: the copy of its
// data, then its updates (fuse-gpu-map-tiles-scatter.mlir has the atomics
// and their numerics), in this order, into one buffer.
// CHECK-LABEL: func.func @scatter_elements(
// CHECK: %[[OUT:.*]] = memref.alloc
// CHECK: gpu.launch_func @fuse_kernels::@group_0 {{.*}}args(%arg0 : memref<3x3xf32>, %[[OUT]] : memref<3x3xf32>)
// CHECK: gpu.launch_func @fuse_kernels::@group_0_1 {{.*}}%[[OUT]] : memref<3x3xf32>)
// CHECK: return %[[OUT]]
// CHECK: gpu.binary @fuse_kernels
func.func @scatter_elements(%x: tensor<3x3xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) -> tensor<3x3xf32> {
  %0 = fuse.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Near-miss: a gather (reads where its indices say) is one kernel.
// CHECK-LABEL: func.func @gather(
// CHECK: gpu.launch_func @fuse_kernels::@group_0
// CHECK-NOT: gpu.launch_func
// CHECK: gpu.binary @fuse_kernels
func.func @gather(%t: tensor<100x10xf32>, %ids: tensor<2xi64>) -> tensor<2x10xf32> {
  %0 = fuse.gather %t, %ids {axis = 0 : i64} : (tensor<100x10xf32>, tensor<2xi64>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}
