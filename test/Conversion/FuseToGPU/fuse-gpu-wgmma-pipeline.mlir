// The warpgroup GEMM through the whole GPU pipeline to PTX at sm_90a:
// fuse.matmul + bias + relu on f16 at a 128x128x64, 3-stage, one-warpgroup
// wgmma tile (operands copied by cp.async), and a 256x256x256 f16 matmul at
// the tile the tuner picks for h100 (wgmma). ptxas assembles both without a
// warning. Near-miss: the same f16 GEMM tuned as mma_sync at sm_90a has no
// wgmma.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1" --fuse-gpu-pipeline=chip=sm_90a | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16" --fuse-gpu-pipeline=chip=sm_90a | FileCheck %s --check-prefix=TUNED
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4" --fuse-gpu-pipeline=chip=sm_90a | FileCheck %s --check-prefix=MMASYNC
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1" --fuse-gpu-pipeline=chip=sm_90a | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90a | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16" --fuse-gpu-pipeline=chip=sm_90a | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90a | FileCheck %s --check-prefix=PTXAS %}
// A wgmma tile at another chip is an error.
// RUN: not fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1" --fuse-gpu-pipeline=chip=sm_90 2>&1 | FileCheck %s --check-prefix=CHIP

// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c99328_i32 args(
// CHECK: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">
// CHECK-SAME: .target sm_90a
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: cp.async.cg.shared.global [%rd{{[0-9]+}}], [%rd{{[0-9]+}}], 16, {{%r[0-9]+|16}};
// CHECK-SAME: cp.async.commit_group;
// CHECK-SAME: fence.proxy.async.shared::cta;
// CHECK-SAME: bar.sync \090;
// CHECK-SAME: wgmma.fence.sync.aligned;
// CHECK-SAME: wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16 {
// CHECK-SAME: wgmma.commit_group.sync.aligned;
// CHECK-SAME: max.NaN.f16
// CHECK-SAME: st.global.b16
// CHECK-NOT: mma.sync
// PTXAS: object 0: ptxas ok (group_0)
// PTXAS: object 1: ptxas ok (group_0)
// TUNED-LABEL: func.func @matmul_bias_relu(
// TUNED: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.f16.f16
// TUNED-LABEL: func.func @matmul_256(
// TUNED: wgmma.mma_async.sync.aligned.m64n{{[0-9]+}}k16.f32.f16.f16
// MMASYNC-LABEL: func.func @matmul_bias_relu(
// MMASYNC-NOT: wgmma
// MMASYNC: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// MMASYNC-NOT: wgmma
// CHIP: error: 'scf.forall' op fuse-gpu-gemm: wgmma needs chip sm_90a (wgmma.mma_async is an sm_90a instruction), got 'sm_90'
func.func @matmul_bias_relu(%x: tensor<200x256xf16>, %w: tensor<256x192xf16>, %b: tensor<192xf16>) -> tensor<200x192xf16> {
  %m = fuse.matmul %x, %w : (tensor<200x256xf16>, tensor<256x192xf16>) -> tensor<200x192xf16>
  %a = fuse.add %m, %b : (tensor<200x192xf16>, tensor<192xf16>) -> tensor<200x192xf16>
  %r = fuse.relu %a : tensor<200x192xf16>
  return %r : tensor<200x192xf16>
}

// -----

func.func @matmul_256(%x: tensor<256x256xf16>, %w: tensor<256x256xf16>) -> tensor<256x256xf16> {
  %m = fuse.matmul %x, %w : (tensor<256x256xf16>, tensor<256x256xf16>) -> tensor<256x256xf16>
  return %m : tensor<256x256xf16>
}
