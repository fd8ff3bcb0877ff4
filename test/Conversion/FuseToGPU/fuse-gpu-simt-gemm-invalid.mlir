// RUN: fuse-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(fuse-gpu-simt-gemm))'

// fma_gemm choices the SIMT kernel cannot build are errors naming the tile
// loop (a GEMM tile body that the tuner could have given them).

func.func @tile_not_divisible(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %o: memref<64x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-simt-gemm: fma_gemm tile 16x16 does not divide among 512 threads}}
  scf.forall (%i) = (0) to (16) step (16) {
    %sa = memref.subview %a[0, 0] [16, 64] [1, 1] : memref<64x64xf32> to memref<16x64xf32, strided<[64, 1]>>
    %sb = memref.subview %b[0, 0] [64, 16] [1, 1] : memref<64x64xf32> to memref<64x16xf32, strided<[64, 1]>>
    %so = memref.subview %o[0, 0] [16, 16] [1, 1] : memref<64x64xf32> to memref<16x16xf32, strided<[64, 1]>>
    linalg.fill ins(%cst : f32) outs(%so : memref<16x16xf32, strided<[64, 1]>>)
    linalg.matmul ins(%sa, %sb : memref<16x64xf32, strided<[64, 1]>>, memref<64x16xf32, strided<[64, 1]>>) outs(%so : memref<16x16xf32, strided<[64, 1]>>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 16 : i64, BN = 16 : i64, warps = 16 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @bk_not_power_of_two(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %o: memref<64x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-simt-gemm: fma_gemm BK must be a positive power of two, got 12}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
    linalg.matmul ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%o : memref<64x64xf32>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BK = 12 : i64, BM = 64 : i64, BN = 64 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @no_bk(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %o: memref<64x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-simt-gemm: fma_gemm tile without BK}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
    linalg.matmul ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%o : memref<64x64xf32>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BM = 64 : i64, BN = 64 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// 8 x 8 accumulators per thread, but the tile has 4 rows.
func.func @no_micro_tiles(%a: memref<4x64xf32>, %b: memref<64x256xf32>, %o: memref<4x256xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-simt-gemm: fma_gemm tile 4x256 does not split into 32 micro-tiles of 8x4}}
  scf.forall (%i) = (0) to (4) step (4) {
    linalg.fill ins(%cst : f32) outs(%o : memref<4x256xf32>)
    linalg.matmul ins(%a, %b : memref<4x64xf32>, memref<64x256xf32>) outs(%o : memref<4x256xf32>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 4 : i64, BN = 256 : i64, warps = 1 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// 2 x 128 x (256 + 256 + 8) x 4 bytes of shared memory.
func.func @too_much_shared_memory(%a: memref<256x256xf32>, %b: memref<256x256xf32>, %o: memref<256x256xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-simt-gemm: fma_gemm tile needs 532480 bytes of shared memory, more than the limit 166912}}
  scf.forall (%i) = (0) to (256) step (256) {
    linalg.fill ins(%cst : f32) outs(%o : memref<256x256xf32>)
    linalg.matmul ins(%a, %b : memref<256x256xf32>, memref<256x256xf32>) outs(%o : memref<256x256xf32>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BK = 128 : i64, BM = 256 : i64, BN = 256 : i64, warps = 8 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// The tile loop computes 64 x 64 tiles, the choice says 32 x 32.
func.func @tile_larger_than_choice(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %o: memref<64x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  // expected-error @below {{fuse-gpu-simt-gemm: the contraction's tile (64x64) is larger than the fma_gemm block tile 32x32}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
    linalg.matmul ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%o : memref<64x64xf32>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 32 : i64, BN = 32 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}
