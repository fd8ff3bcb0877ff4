// Grouped convolutions as implicit GEMMs on tensor cores (fuse-gpu-gemm):
// fuse-tile tiles the filters of a grouped conv by a divisor of F/groups
// (so a tile's filters lie in one group: the group index is a grid
// dimension, the tile's input channels its group's C/groups), and the
// kernel reads the A tile through the input map with f floordiv (F/groups)
// = 0. Depthwise convs (C/groups = 1) and groups too small for an MMA tile
// stay on the generic path, the reason recorded on the group
// (fuse.generic_reason).
//
// The tiling: 2 groups of 16 filters: filter tiles of 16 (BN = 32).
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" | FileCheck %s --check-prefix=TILE
// TILE-LABEL: func.func @grouped(
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (32, 10) step (16, 5)
// TILE: tensor.extract_slice %{{.*}}[0, %{{.*}}, %{{.*}}, 0] [1, 16, %{{.*}}, 12]
// TILE: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// TILE-LABEL: func.func @grouped_producer(
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (48, 10) step (12, 5)
// TILE-LABEL: func.func @depthwise(
// TILE: fuse.generic_reason = "depthwise convolution (one input channel per group
// TILE-LABEL: func.func @small_groups(
// TILE: fuse.generic_reason = "grouped convolution with 4 filters and a reduction of 36 per group
// TILE-LABEL: func.func @conv3d(
// TILE: fuse.generic_reason = "not a 2-D convolution"
//
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm,canonicalize,cse))' | FileCheck %s
//
// Through the whole pipeline and ptxas (tf32 for sm_80, fp16 for sm_90).
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// PTXAS-COUNT-6: ptxas ok (group_0)
//
// Numerics without a GPU: the lock-step simulator against numpy's grouped
// convolution from its definition (conv2d(..., groups=g) there: filter
// block g reads channel block g), at tf32 and fp16.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.tf32
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.fp16
// RUN: %python %S/Inputs/simulate_gemm.py --func grouped --expr "relu(conv2d(a, b, pad=1, groups=2) + c[None, :, None, None])" < %t.tf32 | FileCheck %s --check-prefix=SIM1
// RUN: %python %S/Inputs/simulate_gemm.py --func grouped --expr "relu(conv2d(a, b, pad=1, groups=2) + c[None, :, None, None])" < %t.fp16 | FileCheck %s --check-prefix=SIM1
// RUN: %python %S/Inputs/simulate_gemm.py --func grouped_producer --expr "conv2d(relu(a), b, stride=2, pad=1, groups=4) + c[None, :, None, None]" < %t.tf32 | FileCheck %s --check-prefix=SIM2
// RUN: %python %S/Inputs/simulate_gemm.py --func grouped_producer --expr "conv2d(relu(a), b, stride=2, pad=1, groups=4) + c[None, :, None, None]" < %t.fp16 | FileCheck %s --check-prefix=SIM2
// RUN: %python %S/Inputs/simulate_gemm.py --func grouped_batch --expr "conv2d(a, b, groups=3)" < %t.tf32 | FileCheck %s --check-prefix=SIM3
// RUN: %python %S/Inputs/simulate_gemm.py --func grouped_batch --expr "conv2d(a, b, groups=3)" < %t.fp16 | FileCheck %s --check-prefix=SIM3
// SIM1: ok: 1x32x10x12 max abs error
// SIM2: ok: 1x48x10x12 max abs error
// SIM3: ok: 2x48x6x7 max abs error
// Near-miss: the simulator fails the ungrouped expectation (every filter
// reading all channels, the weights repeated over the groups).
// RUN: not %python %S/Inputs/simulate_gemm.py --func grouped --expr "relu(conv2d(a, np.concatenate([b, b], 1) / 2, pad=1) + c[None, :, None, None])" < %t.tf32 | FileCheck %s --check-prefix=WRONG
// WRONG: FAIL

// 2 groups of 16 channels and 16 filters, bias + relu in the epilogue; the
// weights of a tile are its group's [16][144] rows (cp.async).
// CHECK-LABEL: func.func @grouped(
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c2, %{{.*}} = %c2, %{{.*}} = %c1)
// CHECK: nvgpu.device_async_copy {{.*}} : memref<16x144xf32, strided<[144, 1], offset: ?>> to memref<3x32x32xf32, #gpu.address_space<workgroup>>
// CHECK: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 8], tf32Enabled}
// CHECK: arith.maximumf
// CHECK: memref.store
func.func @grouped(%x: tensor<1x32x10x12xf32>, %w: tensor<32x16x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x10x12xf32> {
  %0 = fuse.conv %x, %w, %b {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x32x10x12xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x10x12xf32>
  %1 = fuse.relu %0 : tensor<1x32x10x12xf32>
  return %1 : tensor<1x32x10x12xf32>
}

// -----

// 4 groups of 8 channels and 12 filters (a partial BN tile), stride 2, a
// relu producer fused into the tiled pad (its channel offset, the group's,
// computed in the pad's branch), bias.
// CHECK-LABEL: func.func @grouped_producer(
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c2, %{{.*}} = %c4, %{{.*}} = %c1)
// CHECK: arith.maximumf
// CHECK: nvgpu.mma.sync
func.func @grouped_producer(%x: tensor<1x32x20x24xf32>, %w: tensor<48x8x3x3xf32>, %b: tensor<48xf32>) -> tensor<1x48x10x12xf32> {
  %r = fuse.relu %x : tensor<1x32x20x24xf32>
  %0 = fuse.conv %r, %w, %b {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x20x24xf32>, tensor<48x8x3x3xf32>, tensor<48xf32>) -> tensor<1x48x10x12xf32>
  return %0 : tensor<1x48x10x12xf32>
}

// -----

// Batch 2, 3 groups of 16 filters, unpadded 3x3 (the A elements from the
// tile's view of the input).
// CHECK-LABEL: func.func @grouped_batch(
// CHECK: nvgpu.mma.sync
func.func @grouped_batch(%x: tensor<2x24x8x9xf32>, %w: tensor<48x8x3x3xf32>) -> tensor<2x48x6x7xf32> {
  %0 = fuse.conv %x, %w {groups = 3 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<2x24x8x9xf32>, tensor<48x8x3x3xf32>) -> tensor<2x48x6x7xf32>
  return %0 : tensor<2x48x6x7xf32>
}

// -----

// Near-miss: depthwise (C/groups = 1) stays on the generic path.
// CHECK-LABEL: func.func @depthwise(
// CHECK-NOT: nvgpu.mma.sync
// CHECK: return
func.func @depthwise(%x: tensor<1x16x10x12xf32>, %w: tensor<16x1x3x3xf32>) -> tensor<1x16x10x12xf32> {
  %0 = fuse.conv %x, %w {groups = 16 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x10x12xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x10x12xf32>
  return %0 : tensor<1x16x10x12xf32>
}

// -----

// Near-miss: 4 filters per group (less than an n8 MMA tile).
// CHECK-LABEL: func.func @small_groups(
// CHECK-NOT: nvgpu.mma.sync
// CHECK: return
func.func @small_groups(%x: tensor<1x16x10x12xf32>, %w: tensor<16x4x3x3xf32>) -> tensor<1x16x10x12xf32> {
  %0 = fuse.conv %x, %w {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x10x12xf32>, tensor<16x4x3x3xf32>) -> tensor<1x16x10x12xf32>
  return %0 : tensor<1x16x10x12xf32>
}

// -----

// Near-miss: a 3-D grouped conv.
// CHECK-LABEL: func.func @conv3d(
// CHECK-NOT: nvgpu.mma.sync
// CHECK: return
func.func @conv3d(%x: tensor<1x16x4x6x6xf32>, %w: tensor<16x8x3x3x3xf32>) -> tensor<1x16x2x4x4xf32> {
  %0 = fuse.conv %x, %w {groups = 2 : i64, pads = array<i64: 0, 0, 0, 0, 0, 0>, strides = array<i64: 1, 1, 1>} : (tensor<1x16x4x6x6xf32>, tensor<16x8x3x3x3xf32>) -> tensor<1x16x2x4x4xf32>
  return %0 : tensor<1x16x2x4x4xf32>
}
