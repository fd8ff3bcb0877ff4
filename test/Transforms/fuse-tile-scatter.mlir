// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=elementwise:threads=32,vector=1" | FileCheck %s --check-prefix=SMALL

// A scatter is its own group (fuse-tile splits its producers and
// consumers off, as it does for attention) and two block-mapped loops: a
// copy of the data tiled as an elementwise op, then the updates in tiles of
// threads x vector, each one scf.for (fuse.scatter_updates = the most
// updates of a tile) that updates the loop's shared output in place and
// inserts all of it.
// CHECK-LABEL: func.func @split(
// CHECK: %[[RELU:.*]] = fuse.group(%arg2)
// CHECK: arith.maximumf
// CHECK: %[[SCATTER:.*]] = fuse.group(%arg0, %arg1, %[[RELU]])
// CHECK: %[[COPY:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %{{.*}}) -> (tensor<8x16xf32>)
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]]
// CHECK: } {mapping = [#gpu.block<x>]}
// CHECK: scf.forall (%[[T:.*]]) in (1) shared_outs(%[[OUT:.*]] = %[[COPY]])
// CHECK: scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[OUT]])
// CHECK: tensor.extract %[[ACC]]
// CHECK: arith.addf
// CHECK: tensor.insert
// CHECK: } {fuse.scatter_updates = 64 : i64}
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][0, 0] [8, 16] [1, 1]
// CHECK: } {mapping = [#gpu.block<x>]}
// CHECK: fuse.group(%[[SCATTER]])
// CHECK: math.exp
// The group's configuration (here the override) is the scatter's: with
// 32-update tiles, 2 blocks, and copy tiles of 32 elements (two rows).
// SMALL-LABEL: func.func @split(
// SMALL: fuse.group
// SMALL: fuse.group
// SMALL-SAME: fuse.tile = #fuse.tile<"elementwise", {threads = 32 : i64, vector = 1 : i64}>
// SMALL: scf.forall (%{{.*}}) = (0) to (8) step (2)
// SMALL: scf.forall (%{{.*}}) in (2)
// SMALL: } {fuse.scatter_updates = 32 : i64}
func.func @split(%data: tensor<8x16xf32>, %indices: tensor<4x1xi64>, %updates: tensor<4x16xf32>) -> tensor<8x16xf32> {
  %r = fuse.relu %updates : tensor<4x16xf32>
  %0 = fuse.scatter_nd %data, %indices, %r {reduction = #fuse.scatter_reduction<add>} : (tensor<8x16xf32>, tensor<4x1xi64>, tensor<4x16xf32>) -> tensor<8x16xf32>
  %1 = fuse.sigmoid %0 : tensor<8x16xf32>
  return %1 : tensor<8x16xf32>
}

// -----

// Two scatters in a chain (a KV-cache style update of one buffer twice):
// each its own group, the second scattering into the first's result.
// CHECK-LABEL: func.func @chain(
// CHECK: %[[FIRST:.*]] = fuse.group(%arg0, %arg1, %arg2)
// CHECK: fuse.scatter_updates
// CHECK: fuse.group(%[[FIRST]], %arg1, %arg2)
// CHECK: fuse.scatter_updates
func.func @chain(%data: tensor<6x4xf32>, %indices: tensor<2x4xi64>, %updates: tensor<2x4xf32>) -> tensor<6x4xf32> {
  %0 = fuse.scatter_elements %data, %indices, %updates {axis = 0 : i64} : (tensor<6x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<6x4xf32>
  %1 = fuse.scatter_elements %0, %indices, %updates {axis = 0 : i64, reduction = #fuse.scatter_reduction<mul>} : (tensor<6x4xf32>, tensor<2x4xi64>, tensor<2x4xf32>) -> tensor<6x4xf32>
  return %1 : tensor<6x4xf32>
}

// -----

// Near-miss: a gather reads where its indices say but writes its output in
// order: one elementwise loop, no scatter form.
// CHECK-LABEL: func.func @gather(
// CHECK: scf.forall
// CHECK-NOT: fuse.scatter_updates
// CHECK: return
func.func @gather(%data: tensor<6x4xf32>, %indices: tensor<2x4xi64>) -> tensor<2x4xf32> {
  %0 = fuse.gather_elements %data, %indices {axis = 0 : i64} : (tensor<6x4xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// No updates: the copy alone.
// CHECK-LABEL: func.func @no_updates(
// CHECK: scf.forall
// CHECK-NOT: fuse.scatter_updates
// CHECK: return
func.func @no_updates(%data: tensor<6x4xf32>, %indices: tensor<0x4xi64>, %updates: tensor<0x4xf32>) -> tensor<6x4xf32> {
  %0 = fuse.scatter_elements %data, %indices, %updates {axis = 0 : i64} : (tensor<6x4xf32>, tensor<0x4xi64>, tensor<0x4xf32>) -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}
