// conv_transpose as an implicit GEMM on tensor cores (fuse-gpu-gemm), 2-D,
// groups 1: fuse-tile tiles a conv_transpose group tuned mma_sync filters x
// output positions like a conv (fuse.implicit_gemm); its lowering reads the
// spread input (the input at stride steps in zeros, padded by
// dilation * (K - 1) - pad) with the crop in the map, and the weight
// [C][F][K...] through the spatial flip (a copy generic marked
// fuse.untiled_producer, computed whole in the tile). The kernel never
// builds either: output position o reads input (o + pad - k * dilation) /
// stride only when the division is exact and in range (predicates in the
// A gather), and B is gathered from weight[c][f][K - 1 - k].
//
// The tiling: the spread and the flip in the tile, the conv tiled.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" | FileCheck %s --check-prefix=TILE
// TILE-LABEL: func.func @up(
// TILE: scf.forall (%{{.*}}) = (0) to (12) step (4)
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<16x24x2x2xf32>) outs(%{{.*}} : tensor<24x16x2x2xf32>) attrs =  {fuse.untiled_producer}
// TILE: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 1, 1] [1, 16, 6, 7] [1, 1, 2, 2]
// TILE: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// TILE-LABEL: func.func @grouped_transpose(
// TILE: fuse.generic_reason = "grouped conv_transpose
// TILE-LABEL: func.func @transpose3d(
// TILE: fuse.generic_reason = "not a 2-D conv_transpose"
//
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm,canonicalize,cse))' | FileCheck %s
//
// Through the whole pipeline and ptxas (tf32 and bf16 for sm_80, fp16 for
// sm_90).
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=bf16 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// PTXAS-COUNT-8: ptxas ok (group_0)
//
// Numerics without a GPU: the lock-step simulator against numpy's
// conv_transpose from its definition (conv_transpose2d there: input i and
// tap k add x[i] * w[k] into output i * stride - pad + k * dilation), at
// tf32 and fp16.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.tf32
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.fp16
// RUN: %python %S/Inputs/simulate_gemm.py --func up --expr "conv_transpose2d(a, b, stride=2) + c[None, :, None, None]" < %t.tf32 | FileCheck %s --check-prefix=SIM1
// RUN: %python %S/Inputs/simulate_gemm.py --func up --expr "conv_transpose2d(a, b, stride=2) + c[None, :, None, None]" < %t.fp16 | FileCheck %s --check-prefix=SIM1
// RUN: %python %S/Inputs/simulate_gemm.py --func up_relu --expr "relu(conv_transpose2d(relu(a), b, stride=2) + c[None, :, None, None])" < %t.tf32 | FileCheck %s --check-prefix=SIM1
// RUN: %python %S/Inputs/simulate_gemm.py --func up_relu --expr "relu(conv_transpose2d(relu(a), b, stride=2) + c[None, :, None, None])" < %t.fp16 | FileCheck %s --check-prefix=SIM1
// RUN: %python %S/Inputs/simulate_gemm.py --func ct3x3 --expr "conv_transpose2d(a, b, stride=2, pad=1, output_padding=1)" < %t.tf32 | FileCheck %s --check-prefix=SIM2
// RUN: %python %S/Inputs/simulate_gemm.py --func ct3x3 --expr "conv_transpose2d(a, b, stride=2, pad=1, output_padding=1)" < %t.fp16 | FileCheck %s --check-prefix=SIM2
// RUN: %python %S/Inputs/simulate_gemm.py --func ct_crop --expr "conv_transpose2d(a, b, stride=(2, 3), pad=(5, 0, 1, 2), dilation=(2, 1), output_padding=(1, 0))" < %t.tf32 | FileCheck %s --check-prefix=SIM3
// RUN: %python %S/Inputs/simulate_gemm.py --func ct_crop --expr "conv_transpose2d(a, b, stride=(2, 3), pad=(5, 0, 1, 2), dilation=(2, 1), output_padding=(1, 0))" < %t.fp16 | FileCheck %s --check-prefix=SIM3
// RUN: %python %S/Inputs/simulate_gemm.py --func head --expr "1 / (1 + np.exp(-(conv_transpose2d(relu(a), b, stride=2) + c[None, :, None, None])))" < %t.tf32 | FileCheck %s --check-prefix=SIM4
// RUN: %python %S/Inputs/simulate_gemm.py --func head --expr "1 / (1 + np.exp(-(conv_transpose2d(relu(a), b, stride=2) + c[None, :, None, None])))" < %t.fp16 | FileCheck %s --check-prefix=SIM4
// RUN: %python %S/Inputs/simulate_gemm.py --func head_const --expr "1 / (1 + np.exp(-(conv_transpose2d(relu(a), b, stride=2) - 0.0995393544)))" < %t.tf32 | FileCheck %s --check-prefix=SIM5
// RUN: %python %S/Inputs/simulate_gemm.py --func head_const --expr "1 / (1 + np.exp(-(conv_transpose2d(relu(a), b, stride=2) - 0.0995393544)))" < %t.fp16 | FileCheck %s --check-prefix=SIM5
// SIM1: ok: 1x24x12x14 max abs error
// SIM2: ok: 1x16x10x12 max abs error
// SIM3: ok: 2x8x6x13 max abs error
// SIM4: ok: 1x1x16x20 max abs error
// SIM5: ok: 1x1x16x20 max abs error
// Near-misses: the simulator fails a wrong expectation (the padding on the
// other side; the weight not flipped, i.e. a plain strided correlation).
// RUN: not %python %S/Inputs/simulate_gemm.py --func ct_crop --expr "conv_transpose2d(a, b, stride=(2, 3), pad=(1, 2, 5, 0), dilation=(2, 1), output_padding=(1, 0))" < %t.tf32 | FileCheck %s --check-prefix=WRONG
// RUN: not %python %S/Inputs/simulate_gemm.py --func ct3x3 --expr "conv_transpose2d(a, b[:, :, ::-1, ::-1], stride=2, pad=1, output_padding=1)" < %t.tf32 | FileCheck %s --check-prefix=WRONG
// WRONG: FAIL

// PP-OCRv4 det's upsampling: 2x2 stride 2, bias. The A chunk: predicated
// loads of the input itself (no spread buffer), the B elements from the
// unflipped weight.
// CHECK-LABEL: func.func @up(
// CHECK-SAME: %[[X:[^:]*]]: memref<1x16x6x7xf32>, %[[W:[^:]*]]: memref<16x24x2x2xf32>
// CHECK-NOT: scf.forall
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c3, %{{.*}} = %c1, %{{.*}} = %c1)
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: arith.remui %{{.*}}, %c2 : index
// CHECK: arith.divui %{{.*}}, %c2 : index
// CHECK: memref.load %[[X]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<1x16x6x7xf32>
// CHECK: memref.load %[[W]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<16x24x2x2xf32>
// CHECK: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 8], tf32Enabled}
// CHECK: memref.store
func.func @up(%x: tensor<1x16x6x7xf32>, %w: tensor<16x24x2x2xf32>, %b: tensor<24xf32>) -> tensor<1x24x12x14xf32> {
  %0 = fuse.conv_transpose %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x16x6x7xf32>, tensor<16x24x2x2xf32>, tensor<24xf32>) -> tensor<1x24x12x14xf32>
  return %0 : tensor<1x24x12x14xf32>
}

// -----

// With a relu before (a producer writing the spread in place, evaluated
// while gathering) and after (the epilogue), as PP-OCRv4 det's head.
// CHECK-LABEL: func.func @up_relu(
// CHECK: gpu.launch
// CHECK: arith.maximumf
// CHECK: nvgpu.mma.sync
// CHECK: arith.maximumf
// CHECK: memref.store
func.func @up_relu(%x: tensor<1x16x6x7xf32>, %w: tensor<16x24x2x2xf32>, %b: tensor<24xf32>) -> tensor<1x24x12x14xf32> {
  %r = fuse.relu %x : tensor<1x16x6x7xf32>
  %0 = fuse.conv_transpose %r, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x16x6x7xf32>, tensor<16x24x2x2xf32>, tensor<24xf32>) -> tensor<1x24x12x14xf32>
  %1 = fuse.relu %0 : tensor<1x24x12x14xf32>
  return %1 : tensor<1x24x12x14xf32>
}

// -----

// 3x3 stride 2, pads 1, output_padding 1.
// CHECK-LABEL: func.func @ct3x3(
// CHECK: nvgpu.mma.sync
func.func @ct3x3(%x: tensor<1x8x5x6xf32>, %w: tensor<8x16x3x3xf32>) -> tensor<1x16x10x12xf32> {
  %0 = fuse.conv_transpose %x, %w {output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x5x6xf32>, tensor<8x16x3x3xf32>) -> tensor<1x16x10x12xf32>
  return %0 : tensor<1x16x10x12xf32>
}

// -----

// Batch 2, strides 2 x 3, dilation 2 x 1, a top pad past the kernel's reach
// (a crop), asymmetric pads, output_padding 1 x 0.
// CHECK-LABEL: func.func @ct_crop(
// CHECK: nvgpu.mma.sync
func.func @ct_crop(%x: tensor<2x16x4x5xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<2x8x6x13xf32> {
  %0 = fuse.conv_transpose %x, %w {dilations = array<i64: 2, 1>, output_padding = array<i64: 1, 0>, pads = array<i64: 5, 0, 1, 2>, strides = array<i64: 2, 3>} : (tensor<2x16x4x5xf32>, tensor<16x8x3x3xf32>) -> tensor<2x8x6x13xf32>
  return %0 : tensor<2x8x6x13xf32>
}

// -----

// One filter (PP-OCRv4 det's last upsampling, before the sigmoid): the
// epilogue reads the unit filter dim at 0.
// CHECK-LABEL: func.func @head(
// CHECK: nvgpu.mma.sync
// CHECK: math.exp
func.func @head(%x: tensor<1x24x8x10xf32>, %w: tensor<24x1x2x2xf32>, %b: tensor<1xf32>) -> tensor<1x1x16x20xf32> {
  %r = fuse.relu %x : tensor<1x24x8x10xf32>
  %0 = fuse.conv_transpose %r, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x24x8x10xf32>, tensor<24x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x16x20xf32>
  %1 = fuse.sigmoid %0 : tensor<1x1x16x20xf32>
  return %1 : tensor<1x1x16x20xf32>
}

// -----

// The same with the bias a constant (folded into the init: a generic
// broadcasting the scalar, added in the epilogue).
// CHECK-LABEL: func.func @head_const(
// CHECK: nvgpu.mma.sync
// CHECK: arith.addf %{{.*}}, %cst
// CHECK: math.exp
func.func @head_const(%x: tensor<1x24x8x10xf32>, %w: tensor<24x1x2x2xf32>) -> tensor<1x1x16x20xf32> {
  %b = arith.constant dense<-0.0995393544> : tensor<1xf32>
  %r = fuse.relu %x : tensor<1x24x8x10xf32>
  %0 = fuse.conv_transpose %r, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x24x8x10xf32>, tensor<24x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x16x20xf32>
  %1 = fuse.sigmoid %0 : tensor<1x1x16x20xf32>
  return %1 : tensor<1x1x16x20xf32>
}

// -----

// Near-miss: a grouped conv_transpose stays on the generic path.
// CHECK-LABEL: func.func @grouped_transpose(
// CHECK-NOT: nvgpu.mma.sync
// CHECK: return
func.func @grouped_transpose(%x: tensor<1x16x4x4xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x8x8xf32> {
  %0 = fuse.conv_transpose %x, %w {groups = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x4x4xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

// Near-miss: a 3-D conv_transpose.
// CHECK-LABEL: func.func @transpose3d(
// CHECK-NOT: nvgpu.mma.sync
// CHECK: return
func.func @transpose3d(%x: tensor<1x8x2x3x3xf32>, %w: tensor<8x8x2x2x2xf32>) -> tensor<1x8x4x6x6xf32> {
  %0 = fuse.conv_transpose %x, %w {pads = array<i64: 0, 0, 0, 0, 0, 0>, strides = array<i64: 2, 2, 2>} : (tensor<1x8x2x3x3xf32>, tensor<8x8x2x2x2xf32>) -> tensor<1x8x4x6x6xf32>
  return %0 : tensor<1x8x4x6x6xf32>
}
