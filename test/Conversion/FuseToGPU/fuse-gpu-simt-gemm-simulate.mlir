// Runs the kernels fuse-gpu-simt-gemm emits on the CPU
// (Inputs/simulate_simt_gemm.py: lock-step threads over the generic-form IR,
// with a shared-memory race detector: a read or write of bytes another thread
// touched since the last gpu.barrier fails) and compares with numpy: the
// staging (128-bit and scalar loads, zero-filled partial tiles), the double
// buffering, the micro-tile addressing and the epilogue indexing together.
//
// From fuse ops through the tiler and bufferization, at three fma_gemm tiles:
// 64x32x8 with 4 warps (4x4 micro-tiles), 128x64x16 with 4 warps (8x8) and
// 32x32x32 with 8 warps (2x2). The cases: a 128x96x64 matmul (every operand
// 128-bit aligned), 100x70x50 + bias + relu (partial M, N and K tiles; K and
// N not multiples of 4: scalar loads), a batch matmul with B transposed (one
// block per batch index), a matmul with A transposed plus a residual, and
// a 3-d activation times a 2-d weight (as in BERT: the unit
// leading dim is a constant 0 in A's indexing map).
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=32,BK=8,warps=4,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-simt-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.4x4
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=128,BN=64,BK=16,warps=4,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-simt-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.8x8
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=32,BN=32,BK=32,warps=8,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-simt-gemm),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.2x2
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul --expr "a @ b" < %t.4x4 | FileCheck %s --check-prefix=MATMUL
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul_bias_relu --expr "relu(a @ b + c)" < %t.4x4 | FileCheck %s --check-prefix=PARTIAL
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func batch_matmul_transposed --expr "a @ np.swapaxes(b, 1, 2)" < %t.4x4 | FileCheck %s --check-prefix=BATCH
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul_transposed_a --expr "a.T @ b + c" < %t.4x4 | FileCheck %s --check-prefix=TRANSA
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func activation_times_weight --expr "a @ b" < %t.4x4 | FileCheck %s --check-prefix=ACT
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul --expr "a @ b" < %t.8x8 | FileCheck %s --check-prefix=MATMUL
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul_bias_relu --expr "relu(a @ b + c)" < %t.8x8 | FileCheck %s --check-prefix=PARTIAL
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func batch_matmul_transposed --expr "a @ np.swapaxes(b, 1, 2)" < %t.8x8 | FileCheck %s --check-prefix=BATCH
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul_transposed_a --expr "a.T @ b + c" < %t.8x8 | FileCheck %s --check-prefix=TRANSA
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func activation_times_weight --expr "a @ b" < %t.8x8 | FileCheck %s --check-prefix=ACT
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul --expr "a @ b" < %t.2x2 | FileCheck %s --check-prefix=MATMUL
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul_bias_relu --expr "relu(a @ b + c)" < %t.2x2 | FileCheck %s --check-prefix=PARTIAL
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func batch_matmul_transposed --expr "a @ np.swapaxes(b, 1, 2)" < %t.2x2 | FileCheck %s --check-prefix=BATCH
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func matmul_transposed_a --expr "a.T @ b + c" < %t.2x2 | FileCheck %s --check-prefix=TRANSA
// RUN: %python %S/Inputs/simulate_simt_gemm.py --func activation_times_weight --expr "a @ b" < %t.2x2 | FileCheck %s --check-prefix=ACT
// MATMUL: ok: 128x96 max abs error
// PARTIAL: ok: 100x70 max abs error
// BATCH: ok: 3x40x48 max abs error
// TRANSA: ok: 72x80 max abs error
// ACT: ok: 1x40x48 max abs error
//
// Every kernel is a gpu.launch (nothing left to the generic path).
// RUN: FileCheck %s --check-prefix=LAUNCH < %t.4x4
// LAUNCH-COUNT-5: "gpu.launch"
// LAUNCH-NOT: "gpu.launch"
//
// Near-misses: the simulator fails a wrong expectation, and a kernel without
// the barrier that ends each K step (the next step's buffer is refilled
// while other threads still read it, and read before it is published) is a
// race, although lock-step execution would compute the right numbers.
// RUN: not %python %S/Inputs/simulate_simt_gemm.py --func matmul_bias_relu --expr "relu(a @ b)" < %t.4x4 | FileCheck %s --check-prefix=WRONG
// RUN: sed -e '/gpu.barrier/{N;s/^.*gpu.barrier.*\n\(.*scf.yield\)/\1/}' %t.4x4 | not %python %S/Inputs/simulate_simt_gemm.py --func matmul --expr "a @ b" | FileCheck %s --check-prefix=RACE
// RUN: sed -e '/gpu.barrier/{N;s/^.*gpu.barrier.*\n\(.*scf.yield\)/\1/}' %t.2x2 | not %python %S/Inputs/simulate_simt_gemm.py --func matmul_bias_relu --expr "relu(a @ b + c)" | FileCheck %s --check-prefix=RACE
// WRONG: FAIL
// RACE: FAIL: {{.*}}shared memory another thread wrote since the last barrier
func.func @matmul(%x: tensor<128x64xf32>, %w: tensor<64x96xf32>) -> tensor<128x96xf32> {
  %m = fuse.matmul %x, %w : (tensor<128x64xf32>, tensor<64x96xf32>) -> tensor<128x96xf32>
  return %m : tensor<128x96xf32>
}

// -----

func.func @matmul_bias_relu(%x: tensor<100x50xf32>, %w: tensor<50x70xf32>, %b: tensor<70xf32>) -> tensor<100x70xf32> {
  %m = fuse.matmul %x, %w : (tensor<100x50xf32>, tensor<50x70xf32>) -> tensor<100x70xf32>
  %a = fuse.add %m, %b : (tensor<100x70xf32>, tensor<70xf32>) -> tensor<100x70xf32>
  %r = fuse.relu %a : tensor<100x70xf32>
  return %r : tensor<100x70xf32>
}

// -----

func.func @batch_matmul_transposed(%x: tensor<3x40x24xf32>, %w: tensor<3x48x24xf32>) -> tensor<3x40x48xf32> {
  %m = fuse.matmul %x, %w {transpose_b = true} : (tensor<3x40x24xf32>, tensor<3x48x24xf32>) -> tensor<3x40x48xf32>
  return %m : tensor<3x40x48xf32>
}

// -----

func.func @matmul_transposed_a(%x: tensor<64x72xf32>, %w: tensor<64x80xf32>, %r: tensor<72x80xf32>) -> tensor<72x80xf32> {
  %m = fuse.matmul %x, %w {transpose_a = true} : (tensor<64x72xf32>, tensor<64x80xf32>) -> tensor<72x80xf32>
  %a = fuse.add %m, %r : (tensor<72x80xf32>, tensor<72x80xf32>) -> tensor<72x80xf32>
  return %a : tensor<72x80xf32>
}

// -----

func.func @activation_times_weight(%x: tensor<1x40x24xf32>, %w: tensor<24x48xf32>) -> tensor<1x40x48xf32> {
  %m = fuse.matmul %x, %w : (tensor<1x40x24xf32>, tensor<24x48xf32>) -> tensor<1x40x48xf32>
  return %m : tensor<1x40x48xf32>
}
