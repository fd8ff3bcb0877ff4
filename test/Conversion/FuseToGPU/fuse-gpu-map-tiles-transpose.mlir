// Transposes through shared memory (VectorAccess.cpp): fuse-tile gives a
// group that moves the innermost dim 32 x 32 tiles of the plane of the
// input's and the output's innermost dims; fuse-gpu-map-tiles stages each
// through a padded 32 x 33 workgroup tile: a coalesced read along the
// input's innermost dim, a barrier, the payload and a coalesced write
// along the output's innermost dim.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=elementwise:threads=256,vector=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),canonicalize,cse)' | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=elementwise:threads=256,vector=4" --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s --check-prefix=PTX
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=elementwise:threads=256,vector=4" --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=elementwise:threads=256,vector=4" --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// Numerics: the kernels replayed on the CPU against numpy (odd sizes:
// partial 32 x 32 tiles).
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=elementwise:threads=256,vector=4" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.generic
// RUN: %python %S/Inputs/simulate_launch.py --func nchw_to_nhwc_relu --expr "relu(a.transpose(0, 2, 3, 1))" < %t.generic | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_launch.py --func transpose_2d --expr "a.T" < %t.generic | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_launch.py --func bhsd_to_bhds_scale --expr "a.transpose(0, 1, 3, 2) * b" < %t.generic | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_launch.py --func bshd_to_bhsd --expr "a.transpose(0, 2, 1, 3)" < %t.generic | FileCheck %s --check-prefix=SIM
// RUN: not %python %S/Inputs/simulate_launch.py --func transpose_2d --expr "a.T * 2" < %t.generic | FileCheck %s --check-prefix=WRONG
// SIM: ok:
// WRONG: FAIL:

// NCHW -> NHWC with a relu: tiles of 32 (W) x 16 (C, all of it); the
// transpose reads the input along W into the shared tile, then writes C
// fastest.
// CHECK-LABEL: func.func @nchw_to_nhwc_relu(
// CHECK: gpu.launch {{.*}} workgroup(%[[WG:.*]] : memref<{{[0-9]+}}xi8, #gpu.address_space<workgroup>>)
// CHECK: %[[TILE:.*]] = memref.view %[[WG]][%{{.*}}][] : memref<{{[0-9]+}}xi8, #gpu.address_space<workgroup>> to memref<32x33xf32, #gpu.address_space<workgroup>>
// CHECK: scf.for %[[L:.*]] = %{{.*}} to %c1024 step
// CHECK: %[[A:.*]] = arith.remui %[[L]], %c32
// CHECK: %[[C:.*]] = arith.divui %[[L]], %c32
// CHECK: scf.if
// CHECK: %[[V:.*]] = memref.load %{{.*}}[%c0, %[[C]], %c0, %{{.*}}] : memref<1x16x1x?xf32
// CHECK: memref.store %[[V]], %[[TILE]][%[[C]], %[[A]]]
// CHECK: gpu.barrier
// CHECK: scf.for %[[L2:.*]] = %{{.*}} to %c1024 step
// CHECK: %[[C2:.*]] = arith.remui %[[L2]], %c32
// CHECK: %[[A2:.*]] = arith.divui %[[L2]], %c32
// CHECK: scf.if
// CHECK: memref.load %[[TILE]][%[[C2]], %[[A2]]]
// CHECK: gpu.barrier
// CHECK: arith.maximumf
// CHECK: gpu.terminator
// PTX-LABEL: func.func @nchw_to_nhwc_relu(
// PTX: gpu.binary
// PTX-SAME: st.shared.b32
// PTX-SAME: bar.sync
// PTX-SAME: ld.shared.b32
// PTXAS: object 0: ptxas ok
func.func @nchw_to_nhwc_relu(%x: tensor<2x16x40x72xf32>) -> tensor<2x40x72x16xf32> {
  %0 = fuse.transpose %x {perm = array<i64: 0, 2, 3, 1>} : tensor<2x16x40x72xf32> -> tensor<2x40x72x16xf32>
  %1 = fuse.relu %0 : tensor<2x40x72x16xf32>
  return %1 : tensor<2x40x72x16xf32>
}

// -----

// A 2-d transpose of odd sizes: 4 x 3 tiles of 32 x 32, the last ones
// partial.
// CHECK-LABEL: func.func @transpose_2d(
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c4, {{.*}} = %c3, {{.*}} = %c1)
// CHECK: memref<32x33xf32, #gpu.address_space<workgroup>>
// CHECK: gpu.barrier
// PTX-LABEL: func.func @transpose_2d(
// PTX: gpu.binary
// PTX-SAME: st.shared.b32
// PTX-SAME: bar.sync
// PTX-SAME: ld.shared.b32
func.func @transpose_2d(%x: tensor<100x70xf32>) -> tensor<70x100xf32> {
  %0 = fuse.transpose %x {perm = array<i64: 1, 0>} : tensor<100x70xf32> -> tensor<70x100xf32>
  return %0 : tensor<70x100xf32>
}

// -----

// [B,H,S,D] -> [B,H,D,S] (K transposed) times a per-S scale: the payload
// is applied on the way out of the shared tile.
// CHECK-LABEL: func.func @bhsd_to_bhds_scale(
// CHECK: memref<32x33xf32, #gpu.address_space<workgroup>>
// CHECK: gpu.barrier
// CHECK: memref.load
// CHECK: arith.mulf
// CHECK: gpu.terminator
func.func @bhsd_to_bhds_scale(%k: tensor<2x3x50x24xf32>, %s: tensor<50xf32>) -> tensor<2x3x24x50xf32> {
  %0 = fuse.transpose %k {perm = array<i64: 0, 1, 3, 2>} : tensor<2x3x50x24xf32> -> tensor<2x3x24x50xf32>
  %1 = fuse.mul %0, %s : (tensor<2x3x24x50xf32>, tensor<50xf32>) -> tensor<2x3x24x50xf32>
  return %1 : tensor<2x3x24x50xf32>
}

// -----

// Near-miss: [B,S,H,D] -> [B,H,S,D] keeps D innermost: no shared tile,
// rows of D copied with 4-wide vectors instead.
// CHECK-LABEL: func.func @bshd_to_bhsd(
// CHECK-NOT: workgroup
// CHECK: vector.load {{.*}} vector<4xf32>
// CHECK: vector.store
// CHECK: gpu.terminator
// PTX-LABEL: func.func @bshd_to_bhsd(
// PTX: gpu.binary
// PTX-NOT: .shared
// PTX-SAME: ld.global.v4.b32
// PTX-SAME: st.global.v4.b32
func.func @bshd_to_bhsd(%x: tensor<2x40x4x24xf32>) -> tensor<2x4x40x24xf32> {
  %0 = fuse.transpose %x {perm = array<i64: 0, 2, 1, 3>} : tensor<2x40x4x24xf32> -> tensor<2x4x40x24xf32>
  return %0 : tensor<2x4x40x24xf32>
}
