// Runs the kernels fuse-gpu-gemm emits on the CPU (Inputs/simulate_gemm.py:
// lock-step threads; ldmatrix, mma.sync m16n8k16 and cp.async as the PTX ISA
// defines them; cp.async data lands only when wait_group retires its group,
// or with --eager at issue) and compares with numpy: the swizzle, the
// ldmatrix addressing, the fragment layouts, the pipeline and the epilogue
// indexing together.
//
// The kernels of fuse-gpu-gemm.mlir (partial M/N tiles, 3 stages; A and B
// transposed; f32 data staged as f16; tf32 with A and B transposed):
// RUN: fuse-opt %S/fuse-gpu-gemm.mlir -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.gemm
// RUN: %python %S/Inputs/simulate_gemm.py --func matmul_bias_relu --expr "relu(a @ b + c)" < %t.gemm | FileCheck %s --check-prefix=BIAS
// RUN: %python %S/Inputs/simulate_gemm.py --func matmul_bias_relu --expr "relu(a @ b + c)" --eager < %t.gemm | FileCheck %s --check-prefix=BIAS
// RUN: %python %S/Inputs/simulate_gemm.py --func matmul_transposed --expr "a.T @ b.T" < %t.gemm | FileCheck %s --check-prefix=TRANS
// RUN: %python %S/Inputs/simulate_gemm.py --func f32_as_fp16 --expr "a @ b + c" < %t.gemm | FileCheck %s --check-prefix=F32
// RUN: %python %S/Inputs/simulate_gemm.py --func tf32_transposed --expr "a.T @ b.T" < %t.gemm | FileCheck %s --check-prefix=TF32T
// TF32T: ok: 128x96 max abs error
// BIAS: ok: 200x192 max abs error
// TRANS: ok: 128x96 max abs error
// F32: ok: 64x64 max abs error
//
// From fuse ops through the tiler and bufferization (f16, and f32 at
// precision=tf32, whose A is K-contiguous, B N-contiguous): M = 72, N = 80, K = 40
// (K not a multiple of BK = 32: the second K tile is zero-filled past 40;
// 4 stages for 2 K tiles), and a batched matmul (one block per batch
// index and tile) with a sigmoid epilogue.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=64,BN=64,BK=32,stages=4,warps=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.fuse
// RUN: %python %S/Inputs/simulate_gemm.py --func edge --expr "relu(a @ b + c)" < %t.fuse | FileCheck %s --check-prefix=EDGE
// RUN: %python %S/Inputs/simulate_gemm.py --func batched --expr "1 / (1 + np.exp(-(a @ b)))" < %t.fuse | FileCheck %s --check-prefix=BATCHED
// RUN: %python %S/Inputs/simulate_gemm.py --func unaligned --expr "relu(a @ b)" < %t.fuse | FileCheck %s --check-prefix=UNALIGNED
// RUN: %python %S/Inputs/simulate_gemm.py --func unaligned_f32 --expr "a.T @ b" < %t.fuse | FileCheck %s --check-prefix=UNALIGNEDF32
// The unaligned operands are staged by guarded loads (no cp.async) and
// still multiplied on mma.sync; the aligned @edge keeps cp.async:
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=64,BN=64,BK=32,stages=4,warps=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm),lower-affine,canonicalize,cse)' | FileCheck %s --check-prefix=STAGE
// STAGE-LABEL: func.func @edge(
// STAGE: nvgpu.device_async_copy
// STAGE: nvgpu.mma.sync
// STAGE-LABEL: func.func @unaligned(
// STAGE-NOT: nvgpu.device_async_copy
// STAGE: memref.load
// STAGE-NOT: nvgpu.device_async_copy
// STAGE: nvgpu.mma.sync
// STAGE-NOT: nvgpu.device_async_copy
// STAGE-LABEL: func.func @unaligned_f32(
// STAGE-NOT: nvgpu.device_async_copy
// STAGE: nvgpu.mma.sync
// UNALIGNED: ok: 40x66 max abs error
// UNALIGNEDF32: ok: 20x75 max abs error
// RUN: fuse-opt %S/Inputs/gemm-tf32.mlir --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=64,BN=64,BK=32,stages=3,warps=4" | fuse-opt --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.tf32
// RUN: %python %S/Inputs/simulate_gemm.py --func tf32_edge --expr "a @ b" < %t.tf32 | FileCheck %s --check-prefix=TF32EDGE
// TF32EDGE: ok: 72x80 max abs error
// EDGE: ok: 72x80 max abs error
// BATCHED: ok: 3x72x48 max abs error
//
// Near-misses: the simulator fails a wrong expectation, a pipeline that
// waits for one group too few (reads a stage before its copies landed) and
// B fragments loaded without .trans.
// RUN: not %python %S/Inputs/simulate_gemm.py --func matmul_bias_relu --expr "relu(a @ b)" < %t.gemm | FileCheck %s --check-prefix=WRONG
// RUN: sed -e 's/numGroups = 1 : i32/numGroups = 2 : i32/' %t.gemm | not %python %S/Inputs/simulate_gemm.py --func matmul_bias_relu --expr "relu(a @ b + c)" | FileCheck %s --check-prefix=WRONG
// RUN: sed -e 's/transpose = true/transpose = false/' %t.gemm | not %python %S/Inputs/simulate_gemm.py --func matmul_bias_relu --expr "relu(a @ b + c)" | FileCheck %s --check-prefix=WRONG
// WRONG: FAIL

func.func @edge(%x: tensor<72x40xf16>, %w: tensor<40x80xf16>, %b: tensor<80xf16>) -> tensor<72x80xf16> {
  %m = fuse.matmul %x, %w : (tensor<72x40xf16>, tensor<40x80xf16>) -> tensor<72x80xf16>
  %a = fuse.add %m, %b : (tensor<72x80xf16>, tensor<80xf16>) -> tensor<72x80xf16>
  %r = fuse.relu %a : tensor<72x80xf16>
  return %r : tensor<72x80xf16>
}

// -----

func.func @batched(%x: tensor<3x72x64xf16>, %w: tensor<3x64x48xf16>) -> tensor<3x72x48xf16> {
  %m = fuse.matmul %x, %w : (tensor<3x72x64xf16>, tensor<3x64x48xf16>) -> tensor<3x72x48xf16>
  %s = fuse.sigmoid %m : tensor<3x72x48xf16>
  return %s : tensor<3x72x48xf16>
}

// -----

// K = 30 and N = 66 are not multiples of 8 f16 elements: rows of A and B
// are not whole 16-byte chunks, so cp.async cannot copy them; both are
// staged element by element (guarded) and still run on mma.sync.
func.func @unaligned(%x: tensor<40x30xf16>, %w: tensor<30x66xf16>) -> tensor<40x66xf16> {
  %m = fuse.matmul %x, %w : (tensor<40x30xf16>, tensor<30x66xf16>) -> tensor<40x66xf16>
  %r = fuse.relu %m : tensor<40x66xf16>
  return %r : tensor<40x66xf16>
}

// -----

// f32 data at precision=fp16 with A transposed (M-contiguous, M = 20) and
// N = 75 (the shape of PP-OCRv4 rec's last matmul, 40x120 @ 120x6625, at a
// smaller N): converted while staging, element by element.
func.func @unaligned_f32(%x: tensor<24x20xf32>, %w: tensor<24x75xf32>) -> tensor<20x75xf32> {
  %m = fuse.matmul %x, %w {transpose_a = true} : (tensor<24x20xf32>, tensor<24x75xf32>) -> tensor<20x75xf32>
  return %m : tensor<20x75xf32>
}
