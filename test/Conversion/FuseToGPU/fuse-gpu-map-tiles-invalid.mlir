// RUN: fuse-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(fuse-gpu-map-tiles{global-scratch=false}))'

// A per-tile buffer too big for shared memory (64 KiB of f32 in a loop of
// 4 tiles), without the global scratch fallback: an error naming the group.
func.func @too_big(%out: memref<256x256xf32>) {
  %cst = arith.constant 0.0 : f32
  // expected-error @below {{fuse-gpu-map-tiles: the per-tile buffers of group_3 need more than the 49152 bytes of shared memory a block has ('memref<128x128xf32>' does not fit)}}
  scf.forall (%i, %j) = (0, 0) to (256, 256) step (128, 128) {
    %acc = memref.alloc() : memref<128x128xf32>
    linalg.fill ins(%cst : f32) outs(%acc : memref<128x128xf32>)
    %sub = memref.subview %out[%i, %j] [128, 128] [1, 1] : memref<256x256xf32> to memref<128x128xf32, strided<[256, 1], offset: ?>>
    memref.copy %acc, %sub : memref<128x128xf32> to memref<128x128xf32, strided<[256, 1], offset: ?>>
  } {fuse.kernel = "group_3", mapping = [#gpu.block<y>, #gpu.block<x>]}
  return
}

// -----

// A per-tile buffer whose size has no bound (a function argument).
func.func @unbounded(%out: memref<?xf32>, %n: index) {
  %cst = arith.constant 0.0 : f32
  scf.forall (%i) in (4) {
    // expected-error @below {{fuse-gpu-map-tiles: the per-tile buffer 'memref<?xf32>' of group_1 has no bounded size or no identity layout}}
    %buf = memref.alloc(%n) : memref<?xf32>
    linalg.fill ins(%cst : f32) outs(%buf : memref<?xf32>)
    memref.copy %buf, %out : memref<?xf32> to memref<?xf32>
  } {fuse.kernel = "group_1", mapping = [#gpu.block<x>]}
  return
}

// -----

// A tile loop still on tensors: bufferize first.
func.func @tensors(%t: tensor<64xf32>) -> tensor<64xf32> {
  // expected-error @below {{fuse-gpu-map-tiles: the tile loop still has tensor results; run one-shot-bufferize first}}
  %r = scf.forall (%i) in (1) shared_outs(%o = %t) -> (tensor<64xf32>) {
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %o into %o[0] [64] [1] : tensor<64xf32> into tensor<64xf32>
    }
  } {mapping = [#gpu.block<x>]}
  return %r : tensor<64xf32>
}

// -----

// A scatter's update loop (fuse.scatter_updates) that stores twice per
// update is not the form fuse-tile builds: an error, not a racy kernel.
func.func @scatter_two_stores(%out: memref<8xf32>, %u: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.forall (%t) in (1) {
    // expected-error @below {{fuse-gpu-map-tiles: a scatter's loop over its updates is not one store per update}}
    scf.for %i = %c0 to %c8 step %c1 {
      %v = memref.load %u[%i] : memref<8xf32>
      memref.store %v, %out[%i] : memref<8xf32>
      memref.store %v, %out[%c0] : memref<8xf32>
    } {fuse.scatter_updates = 8 : i64}
  } {fuse.kernel = "group_0", mapping = [#gpu.block<x>]}
  return
}

// -----

// The update read-modify-write whose combination has memory effects (a
// load in between) cannot be one atomic.
func.func @scatter_impure_update(%out: memref<8xf32>, %u: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.forall (%t) in (1) {
    // expected-error @below {{fuse-gpu-map-tiles: a scatter's update is not a pure function of the old element}}
    scf.for %i = %c0 to %c8 step %c1 {
      %old = memref.load %out[%i] : memref<8xf32>
      %k = arith.fptosi %old : f32 to i64
      %j = arith.index_cast %k : i64 to index
      %v = memref.load %u[%j] : memref<8xf32>
      memref.store %v, %out[%i] : memref<8xf32>
    } {fuse.scatter_updates = 8 : i64}
  } {fuse.kernel = "group_0", mapping = [#gpu.block<x>]}
  return
}
