// RUN: fuse-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(fuse-gpu-depthwise))' | FileCheck %s

// depthwise choices the direct kernel cannot build are errors naming the
// tile loop (a depthwise tile body that fuse-tile could have given them).
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 + d6)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>

// A tile without its channel block.
func.func @no_bn(%x: memref<1x8x10x12xf32>, %w: memref<8x1x3x3xf32>, %o: memref<1x8x8x10xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-depthwise: depthwise tile without BN}}
  scf.forall (%c) = (0) to (8) step (4) {
    %sx = memref.subview %x[0, %c, 0, 0] [1, 4, 10, 12] [1, 1, 1, 1] : memref<1x8x10x12xf32> to memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>
    %sw = memref.subview %w[%c, 0, 0, 0] [4, 1, 3, 3] [1, 1, 1, 1] : memref<8x1x3x3xf32> to memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>
    %so = memref.subview %o[0, %c, 0, 0] [1, 4, 8, 10] [1, 1, 1, 1] : memref<1x8x8x10xf32> to memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>
    linalg.fill ins(%cst : f32) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>)
    linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%sx, %sw : memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>, memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>) {
    ^bb0(%in: f32, %in_2: f32, %out: f32):
      %0 = arith.mulf %in, %in_2 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"depthwise", {BM = 80 : i64, warps = 2 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 + d6)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>

// No threads.
func.func @zero_warps(%x: memref<1x8x10x12xf32>, %w: memref<8x1x3x3xf32>, %o: memref<1x8x8x10xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-depthwise: depthwise warps must be positive, got 0}}
  scf.forall (%c) = (0) to (8) step (4) {
    %sx = memref.subview %x[0, %c, 0, 0] [1, 4, 10, 12] [1, 1, 1, 1] : memref<1x8x10x12xf32> to memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>
    %sw = memref.subview %w[%c, 0, 0, 0] [4, 1, 3, 3] [1, 1, 1, 1] : memref<8x1x3x3xf32> to memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>
    %so = memref.subview %o[0, %c, 0, 0] [1, 4, 8, 10] [1, 1, 1, 1] : memref<1x8x8x10xf32> to memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>
    linalg.fill ins(%cst : f32) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>)
    linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%sx, %sw : memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>, memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>) {
    ^bb0(%in: f32, %in_2: f32, %out: f32):
      %0 = arith.mulf %in, %in_2 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"depthwise", {BM = 80 : i64, BN = 4 : i64, warps = 0 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 + d6)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>

// 64 warps: 2048 threads.
func.func @too_many_threads(%x: memref<1x8x10x12xf32>, %w: memref<8x1x3x3xf32>, %o: memref<1x8x8x10xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-depthwise: depthwise warps=64 exceeds 1024 threads}}
  scf.forall (%c) = (0) to (8) step (4) {
    %sx = memref.subview %x[0, %c, 0, 0] [1, 4, 10, 12] [1, 1, 1, 1] : memref<1x8x10x12xf32> to memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>
    %sw = memref.subview %w[%c, 0, 0, 0] [4, 1, 3, 3] [1, 1, 1, 1] : memref<8x1x3x3xf32> to memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>
    %so = memref.subview %o[0, %c, 0, 0] [1, 4, 8, 10] [1, 1, 1, 1] : memref<1x8x8x10xf32> to memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>
    linalg.fill ins(%cst : f32) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>)
    linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%sx, %sw : memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>, memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>) {
    ^bb0(%in: f32, %in_2: f32, %out: f32):
      %0 = arith.mulf %in, %in_2 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"depthwise", {BM = 80 : i64, BN = 4 : i64, warps = 64 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 + d6)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>

// The tile has 4 channels, the choice says 2.
func.func @channels_over_bn(%x: memref<1x8x10x12xf32>, %w: memref<8x1x3x3xf32>, %o: memref<1x8x8x10xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-depthwise: the tile's 4 channels exceed the depthwise BN=2}}
  scf.forall (%c) = (0) to (8) step (4) {
    %sx = memref.subview %x[0, %c, 0, 0] [1, 4, 10, 12] [1, 1, 1, 1] : memref<1x8x10x12xf32> to memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>
    %sw = memref.subview %w[%c, 0, 0, 0] [4, 1, 3, 3] [1, 1, 1, 1] : memref<8x1x3x3xf32> to memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>
    %so = memref.subview %o[0, %c, 0, 0] [1, 4, 8, 10] [1, 1, 1, 1] : memref<1x8x8x10xf32> to memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>
    linalg.fill ins(%cst : f32) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>)
    linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%sx, %sw : memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>, memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>) {
    ^bb0(%in: f32, %in_2: f32, %out: f32):
      %0 = arith.mulf %in, %in_2 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"depthwise", {BM = 80 : i64, BN = 2 : i64, warps = 2 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 + d6)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>

// A whole 4 x 130 x 130 plane per block: its window (4 x 130 x 130 f32) and taps need 270544 bytes, over the 48 KiB of static shared memory.
func.func @window_over_limit(%x: memref<1x8x130x130xf32>, %w: memref<8x1x3x3xf32>, %o: memref<1x8x128x128xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-depthwise: the tile's input window and taps need 270544 bytes of shared memory, more than the limit 49152}}
  scf.forall (%c) = (0) to (8) step (4) {
    %sx = memref.subview %x[0, %c, 0, 0] [1, 4, 130, 130] [1, 1, 1, 1] : memref<1x8x130x130xf32> to memref<1x4x130x130xf32, strided<[135200, 16900, 130, 1], offset: ?>>
    %sw = memref.subview %w[%c, 0, 0, 0] [4, 1, 3, 3] [1, 1, 1, 1] : memref<8x1x3x3xf32> to memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>
    %so = memref.subview %o[0, %c, 0, 0] [1, 4, 128, 128] [1, 1, 1, 1] : memref<1x8x128x128xf32> to memref<1x4x128x128xf32, strided<[131072, 16384, 128, 1], offset: ?>>
    linalg.fill ins(%cst : f32) outs(%so : memref<1x4x128x128xf32, strided<[131072, 16384, 128, 1], offset: ?>>)
    linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%sx, %sw : memref<1x4x130x130xf32, strided<[135200, 16900, 130, 1], offset: ?>>, memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>) outs(%so : memref<1x4x128x128xf32, strided<[131072, 16384, 128, 1], offset: ?>>) {
    ^bb0(%in: f32, %in_2: f32, %out: f32):
      %0 = arith.mulf %in, %in_2 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"depthwise", {BM = 16384 : i64, BN = 4 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----
#map = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 + d5, d3 + d6)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>

// Near-miss: the tile's 80 output positions are more than BM: not a tile of this choice, left alone (no error; fuse-gpu-map-tiles runs it).
// CHECK-LABEL: func.func @rows_over_bm(
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
func.func @rows_over_bm(%x: memref<1x8x10x12xf32>, %w: memref<8x1x3x3xf32>, %o: memref<1x8x8x10xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  scf.forall (%c) = (0) to (8) step (4) {
    %sx = memref.subview %x[0, %c, 0, 0] [1, 4, 10, 12] [1, 1, 1, 1] : memref<1x8x10x12xf32> to memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>
    %sw = memref.subview %w[%c, 0, 0, 0] [4, 1, 3, 3] [1, 1, 1, 1] : memref<8x1x3x3xf32> to memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>
    %so = memref.subview %o[0, %c, 0, 0] [1, 4, 8, 10] [1, 1, 1, 1] : memref<1x8x8x10xf32> to memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>
    linalg.fill ins(%cst : f32) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>)
    linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%sx, %sw : memref<1x4x10x12xf32, strided<[960, 120, 12, 1], offset: ?>>, memref<4x1x3x3xf32, strided<[9, 9, 3, 1], offset: ?>>) outs(%so : memref<1x4x8x10xf32, strided<[640, 80, 10, 1], offset: ?>>) {
    ^bb0(%in: f32, %in_2: f32, %out: f32):
      %0 = arith.mulf %in, %in_2 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"depthwise", {BM = 64 : i64, BN = 4 : i64, warps = 2 : i64}>, mapping = [#gpu.block<x>]}
  return
}
