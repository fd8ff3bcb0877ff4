// fp32 convolutions as an implicit GEMM on the SIMT kernel (fma_gemm):
// fuse-tile tiles a conv (or conv_transpose) group tuned fma_gemm filters x
// output positions like mma_sync's (fuse.implicit_gemm: the conv lowered
// unblocked, a 7-loop generic over the tile's input window), and
// fuse-gpu-simt-gemm gathers the im2col A element and the weight element
// through the mma.sync kernel's conv gathers (GemmPlan.h: ConvGather:
// padding, stride, dilation, groups, a conv_transpose's exact-division
// predicates and flipped weight), with the epilogue (bias, activation,
// residual) in registers before the one store. Depthwise convs and f16 data
// stay on the generic path with a fuse.generic_reason.
//
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=32,BK=8,warps=4,vector=1" | FileCheck %s --check-prefix=TILE
// TILE-LABEL: func.func @conv_bias_relu(
// TILE-NOT: fuse.generic_reason
// TILE: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// TILE-LABEL: func.func @conv_strided_dilated(
// TILE-NOT: fuse.generic_reason
// TILE: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// TILE-LABEL: func.func @grouped_residual(
// TILE-NOT: fuse.generic_reason
// TILE: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// TILE-LABEL: func.func @transpose_bias(
// TILE-NOT: fuse.generic_reason
// TILE: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// TILE-LABEL: func.func @depthwise(
// TILE: fuse.generic_reason = "depthwise convolution (one input channel per group
// TILE-LABEL: func.func @half(
// TILE: fuse.generic_reason = "fma_gemm computes f32 data, not f16"
// TILE: tensor<1x2x8x10x12xf16>
//
// The lowering: one gpu.launch per implicit-GEMM conv (no conv generic
// left), the depthwise and f16 ones left to the generic path.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=32,BK=8,warps=4,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-simt-gemm,canonicalize,cse))' | FileCheck %s
// CHECK-LABEL: func.func @conv_bias_relu(
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK-SAME: dynamic_shared_memory_size
// CHECK: vector.fma
// CHECK: gpu.barrier
// CHECK: arith.maximumf
// CHECK: memref.store
// CHECK-NOT: linalg.generic
// CHECK-LABEL: func.func @conv_strided_dilated(
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK: vector.fma
// CHECK-LABEL: func.func @grouped_residual(
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK: vector.fma
// CHECK: arith.addf
// CHECK-LABEL: func.func @transpose_bias(
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK: vector.fma
// CHECK-LABEL: func.func @depthwise(
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
// CHECK: linalg.generic
// CHECK-LABEL: func.func @half(
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
//
// Through the whole pipeline and ptxas, for sm_80 and sm_90 (no spills).
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=32,BK=8,warps=4,vector=1" --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 tile-config=0=fma_gemm:BM=128,BN=64,BK=16,warps=4,vector=1" --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// PTXAS-COUNT-6: ptxas ok (group_0)
// PTXAS-NOT: spill
//
// Numerics without a GPU: the lock-step simulator (with its shared-memory
// race detector) against numpy's conv / conv_transpose from the ONNX
// definitions (simulate_gemm.py: conv2d, conv_transpose2d), at two tiles:
// 64x32x8 with 4 warps (4x4 micro-tiles) and 32x32x32 with 8 warps (2x2).
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=32,BK=8,warps=4,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-simt-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.4x4
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=32,BN=32,BK=32,warps=8,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-simt-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.2x2
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func conv_bias_relu --expr "relu(conv2d(a, b, pad=1) + c[None, :, None, None])" < %t.4x4 | FileCheck %s --check-prefix=SIM1
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func conv_bias_relu --expr "relu(conv2d(a, b, pad=1) + c[None, :, None, None])" < %t.2x2 | FileCheck %s --check-prefix=SIM1
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func conv_strided_dilated --expr "conv2d(a, b, stride=2, pad=(2, 1, 0, 1), dilation=2)" < %t.4x4 | FileCheck %s --check-prefix=SIM2
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func conv_strided_dilated --expr "conv2d(a, b, stride=2, pad=(2, 1, 0, 1), dilation=2)" < %t.2x2 | FileCheck %s --check-prefix=SIM2
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func grouped_residual --expr "conv2d(a, b, pad=1, groups=2) + c[None, :, None, None] + d" < %t.4x4 | FileCheck %s --check-prefix=SIM3
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func grouped_residual --expr "conv2d(a, b, pad=1, groups=2) + c[None, :, None, None] + d" < %t.2x2 | FileCheck %s --check-prefix=SIM3
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func transpose_bias --expr "conv_transpose2d(a, b, stride=2, pad=1, output_padding=1) + c[None, :, None, None]" < %t.4x4 | FileCheck %s --check-prefix=SIM4
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func transpose_bias --expr "conv_transpose2d(a, b, stride=2, pad=1, output_padding=1) + c[None, :, None, None]" < %t.2x2 | FileCheck %s --check-prefix=SIM4
// SIM1: ok: 1x20x11x13 max abs error
// SIM2: ok: 2x12x6x7 max abs error
// SIM3: ok: 1x12x9x10 max abs error
// SIM4: ok: 1x10x10x12 max abs error
//
// An fma_gemm choice the kernel cannot build is refused on a conv group as
// on a matmul (fuse-tile checks it with the cost model before tiling).
// RUN: not fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=32,BK=8,warps=3,vector=1" 2>&1 | FileCheck %s --check-prefix=ERR
// ERR: error: 'fuse.group' op fuse-tile: tile-config for group 0 (fma_gemm:BK=8,BM=64,BN=32,vector=1,warps=3) does not apply on a100: fma_gemm tile 64x32 does not divide among 96 threads

func.func @conv_bias_relu(%x: tensor<1x5x11x13xf32>, %w: tensor<20x5x3x3xf32>, %b: tensor<20xf32>) -> tensor<1x20x11x13xf32> {
  %0 = fuse.conv %x, %w, %b {groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x5x11x13xf32>, tensor<20x5x3x3xf32>, tensor<20xf32>) -> tensor<1x20x11x13xf32>
  %1 = fuse.relu %0 : tensor<1x20x11x13xf32>
  return %1 : tensor<1x20x11x13xf32>
}

// -----

func.func @conv_strided_dilated(%x: tensor<2x6x13x15xf32>, %w: tensor<12x6x3x3xf32>) -> tensor<2x12x6x7xf32> {
  %0 = fuse.conv %x, %w {groups = 1 : i64, dilations = array<i64: 2, 2>, pads = array<i64: 2, 1, 0, 1>, strides = array<i64: 2, 2>} : (tensor<2x6x13x15xf32>, tensor<12x6x3x3xf32>) -> tensor<2x12x6x7xf32>
  return %0 : tensor<2x12x6x7xf32>
}

// -----

func.func @grouped_residual(%x: tensor<1x8x9x10xf32>, %w: tensor<12x4x3x3xf32>, %b: tensor<12xf32>, %r: tensor<1x12x9x10xf32>) -> tensor<1x12x9x10xf32> {
  %0 = fuse.conv %x, %w, %b {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x9x10xf32>, tensor<12x4x3x3xf32>, tensor<12xf32>) -> tensor<1x12x9x10xf32>
  %1 = fuse.add %0, %r : (tensor<1x12x9x10xf32>, tensor<1x12x9x10xf32>) -> tensor<1x12x9x10xf32>
  return %1 : tensor<1x12x9x10xf32>
}

// -----

func.func @transpose_bias(%x: tensor<1x6x5x6xf32>, %w: tensor<6x10x3x3xf32>, %b: tensor<10xf32>) -> tensor<1x10x10x12xf32> {
  %0 = fuse.conv_transpose %x, %w, %b {output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x6x5x6xf32>, tensor<6x10x3x3xf32>, tensor<10xf32>) -> tensor<1x10x10x12xf32>
  return %0 : tensor<1x10x10x12xf32>
}

// -----

func.func @depthwise(%x: tensor<1x8x10x12xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x10x12xf32> {
  %0 = fuse.conv %x, %w {groups = 8 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x10x12xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x10x12xf32>
  return %0 : tensor<1x8x10x12xf32>
}

// -----

func.func @half(%x: tensor<1x8x10x12xf16>, %w: tensor<16x8x3x3xf16>) -> tensor<1x16x10x12xf16> {
  %0 = fuse.conv %x, %w {groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x10x12xf16>, tensor<16x8x3x3xf16>) -> tensor<1x16x10x12xf16>
  return %0 : tensor<1x16x10x12xf16>
}
