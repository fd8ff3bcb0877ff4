// The tensor-core GEMM through the whole GPU pipeline to PTX: fuse.matmul +
// bias + relu on f16 (and f32 data at precision=fp16, recorded by --fuse-tile
// as fuse.precision and converted while staging), at the 128x128x32, 3-stage,
// 4-warp mma_sync tile.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_90 | FileCheck %s --check-prefix=SM90
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// The precision reaches the tile loop (fuse-tile -> group -> fuse-to-linalg).
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4" --fuse-to-linalg | FileCheck %s --check-prefix=PRECISION

// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c49152_i32 args(
// CHECK: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_80">
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: cp.async.cg.shared.global [%rd{{[0-9]+}}], [%rd{{[0-9]+}}], 16, {{%r[0-9]+|16}};
// CHECK-SAME: cp.async.commit_group;
// CHECK-SAME: cp.async.wait_group \091;
// CHECK-SAME: bar.sync \090;
// CHECK-SAME: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-SAME: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK-SAME: max.NaN.f16
// CHECK-SAME: st.global.b16
// SM90: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_90">
// SM90-SAME: .target sm_90\0A
// SM90-SAME: cp.async.cg.shared.global
// SM90-SAME: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// SM90-SAME: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// PTXAS: object 0: ptxas ok (group_0)
// PTXAS: object 1: ptxas ok (group_0)
// PTXAS: object 2: ptxas ok (group_0)
// PRECISION-LABEL: func.func @matmul_bias_relu(
// PRECISION: scf.forall
// PRECISION: } {fuse.kernel = "group_0", fuse.precision = "fp16", fuse.tile = #fuse.tile<"mma_sync"
func.func @matmul_bias_relu(%x: tensor<200x256xf16>, %w: tensor<256x192xf16>, %b: tensor<192xf16>) -> tensor<200x192xf16> {
  %m = fuse.matmul %x, %w : (tensor<200x256xf16>, tensor<256x192xf16>) -> tensor<200x192xf16>
  %a = fuse.add %m, %b : (tensor<200x192xf16>, tensor<192xf16>) -> tensor<200x192xf16>
  %r = fuse.relu %a : tensor<200x192xf16>
  return %r : tensor<200x192xf16>
}

// -----

// CHECK-LABEL: func.func @f32_residual(
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: ld.global.v4.b32
// CHECK-SAME: cvt.rn.f16x2.f32
// CHECK-SAME: st.shared.v4.b32
// CHECK-SAME: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK-SAME: add.rn.f32
// PRECISION-LABEL: func.func @f32_residual(
// PRECISION: {fuse.kernel = "group_0", fuse.precision = "fp16", fuse.tile = #fuse.tile<"mma_sync"
func.func @f32_residual(%x: tensor<256x256xf32>, %w: tensor<256x256xf32>, %r: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %m = fuse.matmul %x, %w : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %a = fuse.add %m, %r : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %a : tensor<256x256xf32>
}

// -----

// bf16 data (precision=fp16 converts only f32 data; bf16 stays bf16).
// CHECK-LABEL: func.func @bf16_relu(
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: cp.async.cg.shared.global
// CHECK-SAME: ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
func.func @bf16_relu(%x: tensor<128x64xbf16>, %w: tensor<64x256xbf16>) -> tensor<128x256xbf16> {
  %m = fuse.matmul %x, %w : (tensor<128x64xbf16>, tensor<64x256xbf16>) -> tensor<128x256xbf16>
  %r = fuse.relu %m : tensor<128x256xbf16>
  return %r : tensor<128x256xbf16>
}

// -----

// tf32 (a second compile of the file's f32 GEMM at precision=tf32): 16-byte
// cp.async of 4 f32, 32-bit ldmatrix for A, m16n8k8.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s --check-prefix=TF32
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=tf32 tile-config=0=mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS-TF32 %}
// TF32-LABEL: func.func @tf32(
// TF32: gpu.binary @fuse_kernels
// TF32-SAME: cp.async.cg.shared.global [%rd{{[0-9]+}}], [%rd{{[0-9]+}}], 16, {{%r[0-9]+|16}};
// TF32-SAME: ldmatrix.sync.aligned.m8n8.x4.shared.b16
// TF32-SAME: mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32
// PTXAS-TF32: ptxas ok (group_0)
func.func @tf32(%x: tensor<256x256xf32>, %w: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %m = fuse.matmul %x, %w : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %m : tensor<256x256xf32>
}
