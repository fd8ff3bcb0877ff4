// The TMA warpgroup GEMM through the whole GPU pipeline to PTX at sm_90a:
// f16 matmul + bias + relu and a batched (3-D) matmul at a tma = 1 tile. The
// tensor maps reach the kernels as pointers (the host casts each
// nvgpu.tma.create.descriptor to !llvm.ptr: a 128-byte CUtensorMap in
// device memory, which the runtime fills); the kernels issue
// cp.async.bulk.tensor (2-d, 3-d) completing on mbarriers. ptxas assembles
// them without a warning. With BK = 32 A's rows are 64 bytes: A stays on
// cp.async, B (N-major, 128-byte rows) on TMA, in one kernel. The tuner
// picks TMA for an f16 matmul on h100.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1,tma=1" --fuse-gpu-pipeline=chip=sm_90a | FileCheck %s
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1,tma=1" --fuse-gpu-pipeline=chip=sm_90a | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90a | FileCheck %s --check-prefix=PTXAS %}
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=wgmma:BM=128,BN=128,BK=32,stages=4,warpgroups=1,tma=1" --fuse-gpu-pipeline=chip=sm_90a | FileCheck %s --check-prefix=MIXED
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=wgmma:BM=128,BN=128,BK=32,stages=4,warpgroups=1,tma=1" --fuse-gpu-pipeline=chip=sm_90a | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90a | FileCheck %s --check-prefix=PTXAS %}
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16" | FileCheck %s --check-prefix=TUNED
// All-TMA kernels have no cp.async of their own:
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=h100 precision=fp16 tile-config=0=wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1,tma=1" --fuse-gpu-pipeline=chip=sm_90a | FileCheck %s --check-prefix=NOCP
// NOCP-NOT: cp.async.cg.shared.global
// NOCP: cp.async.bulk.tensor.2d
// NOCP-NOT: cp.async.cg.shared.global

// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK: %[[MA:.*]] = nvgpu.tma.create.descriptor %{{.*}} box[%c128, %c64] : memref<*xf16> -> <tensor = memref<128x64xf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b
// CHECK: %[[MB:.*]] = nvgpu.tma.create.descriptor %{{.*}} box[%c64, %c64] : memref<*xf16> -> <tensor = memref<64x64xf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b
// CHECK-DAG: %[[PA:.*]] = builtin.unrealized_conversion_cast %[[MA]] : !nvgpu.tensormap.descriptor<{{.*}}> to !llvm.ptr
// CHECK-DAG: %[[PB:.*]] = builtin.unrealized_conversion_cast %[[MB]] : !nvgpu.tensormap.descriptor<{{.*}}> to !llvm.ptr
// CHECK: gpu.launch_func @fuse_kernels::@group_0 {{.*}} args(
// CHECK-SAME: !llvm.ptr
// CHECK: .visible .entry group_0(
// CHECK-SAME: .shared .align 8 .b8 __mbarrier[24];
// CHECK-SAME: mbarrier.init.shared.b64
// CHECK-SAME: fence.mbarrier_init.release.cluster;
// CHECK-SAME: mbarrier.arrive.expect_tx.shared.b64
// CHECK-SAME: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// CHECK-SAME: mbarrier.try_wait.parity.shared.b64
// CHECK-SAME: wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16
// CHECK-LABEL: func.func @batched(
// CHECK: nvgpu.tma.create.descriptor %{{.*}} box[%c1, %c128, %c64] : memref<*xf16> -> <tensor = memref<1x128x64xf16
// CHECK: nvgpu.tma.create.descriptor %{{.*}} box[%c1, %c64, %c64] : memref<*xf16> -> <tensor = memref<1x64x64xf16
// CHECK: cp.async.bulk.tensor.3d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// PTXAS: object 0: ptxas ok (group_0)
// PTXAS: object 1: ptxas ok (group_0)
// MIXED-LABEL: func.func @matmul_bias_relu(
// MIXED-COUNT-1: nvgpu.tma.create.descriptor %{{.*}} box[%c32, %c64]
// MIXED-NOT: nvgpu.tma.create.descriptor
// MIXED: .entry group_0(
// MIXED-SAME: cp.async.cg.shared.global
// MIXED-SAME: cp.async.bulk.tensor.2d.shared::cluster.global
// TUNED-LABEL: func.func @matmul_bias_relu(
// TUNED: fuse.tile = #fuse.tile<"wgmma", {{.*}}tma = 1
// TUNED-LABEL: func.func @batched(
// TUNED: fuse.tile = #fuse.tile<"wgmma", {{.*}}tma = 1
func.func @matmul_bias_relu(%x: tensor<200x256xf16>, %w: tensor<256x192xf16>, %b: tensor<192xf16>) -> tensor<200x192xf16> {
  %m = fuse.matmul %x, %w : (tensor<200x256xf16>, tensor<256x192xf16>) -> tensor<200x192xf16>
  %a = fuse.add %m, %b : (tensor<200x192xf16>, tensor<192xf16>) -> tensor<200x192xf16>
  %r = fuse.relu %a : tensor<200x192xf16>
  return %r : tensor<200x192xf16>
}

// -----

func.func @batched(%x: tensor<3x200x256xf16>, %w: tensor<3x256x128xf16>) -> tensor<3x200x128xf16> {
  %m = fuse.matmul %x, %w : (tensor<3x200x256xf16>, tensor<3x256x128xf16>) -> tensor<3x200x128xf16>
  return %m : tensor<3x200x128xf16>
}
