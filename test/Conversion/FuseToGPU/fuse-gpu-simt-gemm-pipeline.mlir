// The fp32 SIMT GEMM (fuse-gpu-simt-gemm) through the whole GPU pipeline to
// PTX: fp32 groups tuned fma_gemm at a forced 64x64x16 tile with 4 warps
// (128 threads, 8x4 accumulators each: 16 x 32 = 512 fma per block and K
// step, unrolled). Shared memory: 2 x 16 x ((64 + 4) + (64 + 4)) f32 =
// 17408 bytes, dynamic.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=64,BK=16,warps=4,vector=1" --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=64,BK=16,warps=4,vector=1" --fuse-gpu-pipeline=chip=sm_90 | FileCheck %s --check-prefix=SM90
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=64,BK=16,warps=4,vector=1" --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 tile-config=0=fma_gemm:BM=64,BN=64,BK=16,warps=4,vector=1" --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// The tuner's own choice for an fp32 GEMM (no --precision: fp32 on the FMA
// pipes) is fma_gemm, and it reaches the SIMT kernel.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100" --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s --check-prefix=TUNED
// PTXAS: object 0: ptxas ok (group_0)
// PTXAS: object 1: ptxas ok (group_0)
// PTXAS: object 2: ptxas ok (group_0)
// PTXAS: object 3: ptxas ok (group_0)
// TUNED-COUNT-4: gpu.launch_func @fuse_kernels::@group_0 {{.*}} dynamic_shared_memory_size
// TUNED-NOT: gpu.launch_func

// 128x96x64, every operand 128-bit aligned: 128-bit global loads of A (along
// k, stored as 4 shared rows) and B, 128-bit shared loads of the fragments,
// one 128-bit store per 4 accumulators.
// CHECK-LABEL: func.func @matmul(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c17408_i32
// CHECK: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_80">
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: .shared .align 16 .b8 __dynamic_shmem__0;
// CHECK-SAME: ld.global.v4.b32
// CHECK-SAME: st.shared.b32
// CHECK-SAME: ld.global.v4.b32
// CHECK-SAME: st.shared.v4.b32
// CHECK-SAME: bar.sync
// CHECK-SAME: ld.shared.v4.b32
// CHECK-SAME: fma.rn.f32
// CHECK-SAME: bar.sync
// CHECK-SAME: st.global.v4.b32
// SM90-LABEL: func.func @matmul(
// SM90: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_90">
// SM90-SAME: .target sm_90\0A
// SM90-SAME: ld.shared.v4.b32
// SM90-SAME: fma.rn.f32
func.func @matmul(%x: tensor<128x64xf32>, %w: tensor<64x96xf32>) -> tensor<128x96xf32> {
  %m = fuse.matmul %x, %w : (tensor<128x64xf32>, tensor<64x96xf32>) -> tensor<128x96xf32>
  return %m : tensor<128x96xf32>
}

// -----

// 100x70x50 + bias + relu: K = 50 and N = 70 are not multiples of 4, so the
// operands are loaded one element at a time (zero outside the partial
// tiles); bias, relu and the stores are per element, guarded.
// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c17408_i32
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: .shared .align 16 .b8 __dynamic_shmem__0;
// CHECK-SAME: ld.global.b32
// CHECK-SAME: st.shared.b32
// CHECK-SAME: bar.sync
// CHECK-SAME: ld.shared.v4.b32
// CHECK-SAME: fma.rn.f32
// CHECK-SAME: bar.sync
// CHECK-SAME: max.NaN.f32
// CHECK-SAME: st.global.b32
func.func @matmul_bias_relu(%x: tensor<100x50xf32>, %w: tensor<50x70xf32>, %b: tensor<70xf32>) -> tensor<100x70xf32> {
  %m = fuse.matmul %x, %w : (tensor<100x50xf32>, tensor<50x70xf32>) -> tensor<100x70xf32>
  %a = fuse.add %m, %b : (tensor<100x70xf32>, tensor<70xf32>) -> tensor<100x70xf32>
  %r = fuse.relu %a : tensor<100x70xf32>
  return %r : tensor<100x70xf32>
}

// -----

// A batch matmul with B transposed: one block per batch index and N tile.
// CHECK-LABEL: func.func @batch_matmul_transposed(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c1, %c3, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c17408_i32
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: fma.rn.f32
func.func @batch_matmul_transposed(%x: tensor<3x40x24xf32>, %w: tensor<3x48x24xf32>) -> tensor<3x40x48xf32> {
  %m = fuse.matmul %x, %w {transpose_b = true} : (tensor<3x40x24xf32>, tensor<3x48x24xf32>) -> tensor<3x40x48xf32>
  return %m : tensor<3x40x48xf32>
}

// -----

// A transposed (stored K x M: 128-bit loads along m, stored as they are)
// plus a residual.
// CHECK-LABEL: func.func @matmul_transposed_a(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c17408_i32
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: ld.global.v4.b32
// CHECK-SAME: st.shared.v4.b32
// CHECK-SAME: fma.rn.f32
// CHECK-SAME: add.rn.f32
// CHECK-SAME: st.global.v4.b32
func.func @matmul_transposed_a(%x: tensor<64x72xf32>, %w: tensor<64x80xf32>, %r: tensor<72x80xf32>) -> tensor<72x80xf32> {
  %m = fuse.matmul %x, %w {transpose_a = true} : (tensor<64x72xf32>, tensor<64x80xf32>) -> tensor<72x80xf32>
  %a = fuse.add %m, %r : (tensor<72x80xf32>, tensor<72x80xf32>) -> tensor<72x80xf32>
  return %a : tensor<72x80xf32>
}
