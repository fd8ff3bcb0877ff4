// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s --check-prefix=SM80
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/Inputs/ptx_from_binary.py | FileCheck %s --check-prefix=ENTRIES
// ptxas assembles every kernel, each at the chip it was generated for:
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline | %python %S/Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_90a | %python %S/Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90a | FileCheck %s --check-prefix=PTXAS %}
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_90a | FileCheck %s --check-prefix=SM90A
// Near-miss: PTX for sm_90 is not accepted by ptxas for sm_80.
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline | not %python %S/Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=MISMATCH %}

// An elementwise chain: the three ops are one kernel; the tiles (one row of
// 256 each) are the blocks (the loop over the row's single tile is x, the
// rows y) and the elements of a tile the threads. The host keeps the
// allocation of the result and launches the kernel on it.
// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME: %[[X:.*]]: memref<64x256xf32>, %[[Y:.*]]: memref<64x256xf32>) -> memref<64x256xf32>
// CHECK-NOT: fuse.group
// CHECK-NOT: linalg.generic
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<64x256xf32>
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c1, %c64, %c1) threads in (%c256, %c1, %c1) args(%[[X]] : memref<64x256xf32>, %[[Y]] : memref<64x256xf32>, %[[OUT]] : memref<64x256xf32>){{$}}
// CHECK: return %[[OUT]]
// CHECK-NOT: gpu.module
// CHECK: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_90">
// CHECK-SAME: assembly = "
// CHECK-SAME: .target sm_90
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: %ctaid.y
// CHECK-SAME: %tid.x
// CHECK-SAME: ld.global
// CHECK-SAME: add.rn.f32
// CHECK-SAME: ex2.approx
// CHECK-SAME: max.NaN.f32
// CHECK-SAME: st.global
// SM80: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_80">
// SM80-SAME: .target sm_80
// SM80-NOT: sm_90
// SM90A: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_90a">
// SM90A-SAME: .target sm_90a
// ENTRIES: object 0: entries group_0{{$}}
// ENTRIES: object 1: entries group_0{{$}}
// ENTRIES: object 2: entries group_0{{$}}
// ENTRIES: object 3: entries group_0{{$}}
// ENTRIES-NOT: object 4
// PTXAS: object 0: ptxas ok (group_0)
// PTXAS: object 1: ptxas ok (group_0)
// PTXAS: object 2: ptxas ok (group_0)
// PTXAS: object 3: ptxas ok (group_0)
// PTXAS-NOT: failed
// MISMATCH: object 0: ptxas failed
// MISMATCH: SM version specified by .target is higher
func.func @elementwise(%x: tensor<64x256xf32>, %y: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %a = fuse.add %x, %y : (tensor<64x256xf32>, tensor<64x256xf32>) -> tensor<64x256xf32>
  %e = fuse.exp %a : tensor<64x256xf32>
  %r = fuse.relu %e : tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// -----

// A broadcast operand and a 4-d iteration space: the four tile dims (mapped
// to linear block ids) are linearized into the grid's x (2 x 8 x 30 x 1
// tiles), the tile of the innermost dim the threads; the broadcast operand is
// indexed by the thread only. The tuner's vector = 2: each thread moves 2
// consecutive elements with 64-bit loads and stores (fuse-gpu-map-tiles).
// CHECK-LABEL: func.func @broadcast(
// CHECK-SAME: %[[X:.*]]: memref<2x8x30x30xf32>, %[[Y:.*]]: memref<30xf32>)
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c480, %c1, %c1) threads in (%c30, %c1, %c1) args(%[[X]] : memref<2x8x30x30xf32>, %{{.*}} : memref<2x8x30x30xf32>, %[[Y]] : memref<30xf32>){{$}}
// CHECK: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_90">
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: %tid.x
// CHECK-SAME: %ctaid.x
// CHECK-SAME: ld.global.v2.b32
// CHECK-SAME: ex2.approx
// CHECK-SAME: rcp.rn.f32
// CHECK-SAME: st.global.v2.b32
// SM80: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_80">
func.func @broadcast(%x: tensor<2x8x30x30xf32>, %y: tensor<30xf32>) -> tensor<2x8x30x30xf32> {
  %a = fuse.add %x, %y : (tensor<2x8x30x30xf32>, tensor<30xf32>) -> tensor<2x8x30x30xf32>
  %s = fuse.sigmoid %a : tensor<2x8x30x30xf32>
  %r = fuse.mul %s, %x : (tensor<2x8x30x30xf32>, tensor<2x8x30x30xf32>) -> tensor<2x8x30x30xf32>
  return %r : tensor<2x8x30x30xf32>
}

// -----

// A row reduction (softmax, one row per tile, row_per_warp with one warp):
// one block of 32 threads per row. The row's max and sum of exponentials are
// per-tile buffers in shared memory; the warp computes each (lanes strided
// over the row, then a butterfly of shfl.sync.bfly), a barrier later every
// thread normalizes its elements of the row.
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[X:.*]]: memref<64x256xf32>) -> memref<64x256xf32>
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<64x256xf32>
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c64, %c1, %c1) threads in (%c32, %c1, %c1) args(%[[X]] : memref<64x256xf32>, %[[OUT]] : memref<64x256xf32>){{$}}
// CHECK: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_90">
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: %ctaid.x
// CHECK-SAME: %tid.x
// CHECK-SAME: st.shared
// CHECK-SAME: bar.sync
// CHECK-SAME: max.NaN.f32
// CHECK-SAME: shfl.sync.bfly.b32
// CHECK-SAME: ex2.approx
// CHECK-SAME: bar.sync
// CHECK-SAME: div.rn.f32
// CHECK-SAME: st.global
// SM80: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_80">
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %s = fuse.softmax %x {axis = 1 : i64} : tensor<64x256xf32>
  return %s : tensor<64x256xf32>
}

// -----

// A matmul with its epilogue (fma_gemm, 32 x 32 x 32 tiles, 4 warps): one
// SIMT GEMM kernel (fuse-gpu-simt-gemm), 4 x 4 blocks of 128 threads, each a
// 4 x 2 micro-tile of accumulators. A and B tiles are staged by 128-bit
// global loads into two shared-memory buffers (2 x 32 x (32 + 4) f32 each:
// 18432 bytes of dynamic shared memory); per k, 128-bit (A) and 64-bit (B)
// shared loads feed 8 fma (32 x 8 in all, unrolled); the relu is applied in
// registers before the guarded stores.
// CHECK-LABEL: func.func @gemm(
// CHECK-SAME: %[[X:.*]]: memref<128x64xf32>, %[[W:.*]]: memref<64x128xf32>) -> memref<128x128xf32>
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c4, %c4, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c18432_i32
// CHECK: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_90">
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: .shared .align 16 .b8 __dynamic_shmem__0;
// CHECK-SAME: %ctaid.x
// CHECK-SAME: %tid.x
// CHECK-SAME: ld.global.v4.b32
// CHECK-SAME: st.shared.v4.b32
// CHECK-SAME: bar.sync
// CHECK-SAME: ld.shared.v4.b32
// CHECK-SAME: ld.shared.v2.b32
// CHECK-SAME: fma.rn.f32
// CHECK-SAME: bar.sync
// CHECK-SAME: max.NaN.f32
// CHECK-SAME: st.global
// SM80: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_80">
func.func @gemm(%x: tensor<128x64xf32>, %w: tensor<64x128xf32>) -> tensor<128x128xf32> {
  %m = fuse.matmul %x, %w : (tensor<128x64xf32>, tensor<64x128xf32>) -> tensor<128x128xf32>
  %r = fuse.relu %m : tensor<128x128xf32>
  return %r : tensor<128x128xf32>
}
