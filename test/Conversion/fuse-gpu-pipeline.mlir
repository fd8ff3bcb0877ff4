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
// 256 each) are the blocks and the elements of a tile the threads. The host
// keeps the allocation of the result and launches the kernel on it.
// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME: %[[X:.*]]: memref<64x256xf32>, %[[Y:.*]]: memref<64x256xf32>) -> memref<64x256xf32>
// CHECK-NOT: fuse.group
// CHECK-NOT: linalg.generic
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<64x256xf32>
// CHECK: gpu.launch_func @elementwise_kernel::@elementwise_kernel blocks in (%c64, %c1, %c1) threads in (%c256, %c1, %c1) args(%[[X]] : memref<64x256xf32>, %[[Y]] : memref<64x256xf32>, %[[OUT]] : memref<64x256xf32>){{$}}
// CHECK: return %[[OUT]]
// CHECK-NOT: gpu.module
// CHECK: gpu.binary @elementwise_kernel [#gpu.object<#nvvm.target<chip = "sm_90">
// CHECK-SAME: assembly = "
// CHECK-SAME: .target sm_90
// CHECK-SAME: .visible .entry elementwise_kernel(
// CHECK-SAME: %ctaid.x
// CHECK-SAME: %tid.x
// CHECK-SAME: ld.global
// CHECK-SAME: add.rn.f32
// CHECK-SAME: ex2.approx
// CHECK-SAME: max.NaN.f32
// CHECK-SAME: st.global
// SM80: gpu.binary @elementwise_kernel [#gpu.object<#nvvm.target<chip = "sm_80">
// SM80-SAME: .target sm_80
// SM80-NOT: sm_90
// SM90A: gpu.binary @elementwise_kernel [#gpu.object<#nvvm.target<chip = "sm_90a">
// SM90A-SAME: .target sm_90a
// ENTRIES: object 0: entries elementwise_kernel{{$}}
// ENTRIES: object 1: entries broadcast_kernel{{$}}
// ENTRIES: object 2: entries softmax_kernel{{$}}
// ENTRIES-NOT: object 3
// PTXAS: object 0: ptxas ok (elementwise_kernel)
// PTXAS: object 1: ptxas ok (broadcast_kernel)
// PTXAS: object 2: ptxas ok (softmax_kernel)
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

// A broadcast operand and a 4-d iteration space: the outer tile dims are the
// block grid (x, y, z), the tile of the innermost dim the threads; the
// broadcast operand is indexed by the thread only.
// CHECK-LABEL: func.func @broadcast(
// CHECK-SAME: %[[X:.*]]: memref<2x8x30x30xf32>, %[[Y:.*]]: memref<30xf32>)
// CHECK: gpu.launch_func @broadcast_kernel::@broadcast_kernel blocks in (%c2, %c8, %c30) threads in (%c30, %c1, %c1) args(%[[X]] : memref<2x8x30x30xf32>, %{{.*}} : memref<2x8x30x30xf32>, %[[Y]] : memref<30xf32>){{$}}
// CHECK: gpu.binary @broadcast_kernel [#gpu.object<#nvvm.target<chip = "sm_90">
// CHECK-SAME: .visible .entry broadcast_kernel(
// CHECK-SAME: %ctaid.x
// CHECK-SAME: %ctaid.y
// CHECK-SAME: %ctaid.z
// CHECK-SAME: %tid.x
// CHECK-SAME: ex2.approx
// CHECK-SAME: rcp.rn.f32
// SM80-LABEL: gpu.binary @broadcast_kernel [#gpu.object<#nvvm.target<chip = "sm_80">
func.func @broadcast(%x: tensor<2x8x30x30xf32>, %y: tensor<30xf32>) -> tensor<2x8x30x30xf32> {
  %a = fuse.add %x, %y : (tensor<2x8x30x30xf32>, tensor<30xf32>) -> tensor<2x8x30x30xf32>
  %s = fuse.sigmoid %a : tensor<2x8x30x30xf32>
  %r = fuse.mul %s, %x : (tensor<2x8x30x30xf32>, tensor<2x8x30x30xf32>) -> tensor<2x8x30x30xf32>
  return %r : tensor<2x8x30x30xf32>
}

// -----

// A row reduction (softmax, one row per tile): one block per row. This first
// version is naive: every thread of the block reduces the whole row (max,
// then the sum of exponentials) into its own registers (the per-tile
// accumulators become per-thread allocas), then normalizes the element of
// its thread index. No warp shuffles yet.
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: %[[X:.*]]: memref<64x256xf32>) -> memref<64x256xf32>
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<64x256xf32>
// CHECK: gpu.launch_func @softmax_kernel::@softmax_kernel blocks in (%c64, %c1, %c1) threads in (%c256, %c1, %c1) args(%[[X]] : memref<64x256xf32>, %[[OUT]] : memref<64x256xf32>){{$}}
// CHECK: gpu.binary @softmax_kernel [#gpu.object<#nvvm.target<chip = "sm_90">
// CHECK-SAME: .visible .entry softmax_kernel(
// CHECK-SAME: %ctaid.x
// CHECK-SAME: max.NaN.f32
// CHECK-SAME: @%p{{[0-9]+}} bra
// CHECK-SAME: ex2.approx
// CHECK-SAME: %tid.x
// CHECK-SAME: div.rn.f32
// CHECK-SAME: st.global
// SM80-LABEL: gpu.binary @softmax_kernel [#gpu.object<#nvvm.target<chip = "sm_80">
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %s = fuse.softmax %x {axis = 1 : i64} : tensor<64x256xf32>
  return %s : tensor<64x256xf32>
}
