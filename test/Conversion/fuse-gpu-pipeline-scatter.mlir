// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 -verify-diagnostics | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | FileCheck %s --check-prefix=TILE

// Scatters store where their indices say; the GPU pipeline has no kernel
// for them yet: fuse-tile still tiles the group (the CPU path runs it) and
// records why (fuse.no_gpu_kernel), and the pipeline reports the group.
// TILE-LABEL: func.func @scatter_elements(
// TILE: fuse.no_gpu_kernel = "'fuse.scatter_elements' has no GPU kernel yet (its stores depend on its indices)"
func.func @scatter_elements(%x: tensor<3x3xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) -> tensor<3x3xf32> {
  // expected-error @below {{'fuse.group' op cannot run on the GPU: 'fuse.scatter_elements' has no GPU kernel yet (its stores depend on its indices)}}
  %0 = fuse.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Near-miss: a gather (reads where its indices say) is a kernel.
// TILE-LABEL: func.func @gather(
// TILE-NOT: fuse.no_gpu_kernel
// TILE: scf.forall
// CHECK-LABEL: func.func @gather(
// CHECK: gpu.launch_func @fuse_kernels::@group_0
// CHECK: gpu.binary @fuse_kernels
func.func @gather(%t: tensor<100x10xf32>, %ids: tensor<2xi64>) -> tensor<2x10xf32> {
  %0 = fuse.gather %t, %ids {axis = 0 : i64} : (tensor<100x10xf32>, tensor<2xi64>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}
