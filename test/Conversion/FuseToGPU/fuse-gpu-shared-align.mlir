// The generic path's shared memory (fuse-gpu-map-tiles: one workgroup i8
// buffer per kernel that every per-tile buffer is a view of) is declared
// 16-byte aligned in the PTX, as 128-bit vector accesses need; left to its
// element type it would be `.shared .align 1`. The kernels with dynamic
// shared memory (attention, GEMM) keep their 16-byte aligned base.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// PTXAS-COUNT-3: ptxas ok
// PTXAS-NOT: failed

// A transpose staged through a 32 x 33 f32 tile of the byte buffer.
// CHECK-LABEL: func.func @nchw_to_nhwc_relu(
// CHECK: gpu.binary @fuse_kernels
// CHECK-NOT: .shared .align 1 .b8 __wg_
// CHECK-SAME: .shared .align 16 .b8 __wg_group_0_0[6272];
// CHECK-NOT: .shared .align 1 .b8 __wg_
// CHECK-SAME: st.shared.b32
// CHECK-SAME: bar.sync
// CHECK-SAME: ld.shared.b32
func.func @nchw_to_nhwc_relu(%x: tensor<2x16x40x72xf32>) -> tensor<2x40x72x16xf32> {
  %0 = fuse.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<2x16x40x72xf32> -> tensor<2x40x72x16xf32>
  %1 = fuse.relu %0 : tensor<2x40x72x16xf32>
  return %1 : tensor<2x40x72x16xf32>
}

// -----

// A row reduction: the partial results of the warps in the byte buffer.
// CHECK-LABEL: func.func @softmax(
// CHECK: gpu.binary @fuse_kernels
// CHECK-NOT: .shared .align {{[1248]}} .b8 __wg_
// CHECK-SAME: .shared .align 16 .b8 __wg_group_0_0[{{[0-9]+}}];
// CHECK-NOT: .shared .align {{[1248]}} .b8 __wg_
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %s = fuse.softmax %x {axis = 1 : i64} : tensor<64x256xf32>
  return %s : tensor<64x256xf32>
}

// -----

// Near-miss: the attention kernel has no workgroup buffer; its dynamic
// shared memory is 16-byte aligned as before.
// CHECK-LABEL: func.func @attention(
// CHECK: gpu.binary @fuse_kernels
// CHECK-NOT: __wg_
// CHECK-SAME: .shared .align 16 .b8 __dynamic_shmem__0
// CHECK-NOT: __wg_
func.func @attention(%q: tensor<1x2x64x64xf32>, %k: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %o = fuse.attention %q, %k, %v : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
  return %o : tensor<1x2x64x64xf32>
}
