// RUN: fuse-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm))'

// An mma_sync choice whose parameters do not make a kernel is an error (the
// tuner never picks one; a hand-written tile-config can).

// 4 warps on a 16x64 tile split 2x2 (the cost model's grid): warp tiles of
// 8x32, not a multiple of the m16 instruction.
func.func @bad_split(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: mma_sync tile 16x64 does not split into 2x2 warp tiles of multiples of 16x16}}
  scf.forall (%i) = (0) to (64) step (16) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 16 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @not_power_of_two(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: mma_sync BM must be a power of two, got 48}}
  scf.forall (%i) = (0) to (64) step (48) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 48 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @one_stage(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: mma_sync needs at least 2 pipeline stages, got 1}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 1 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @bk_too_small(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: mma_sync BK=8 is not a multiple of the instruction K (16)}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"mma_sync", {BK = 8 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @missing_param(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: mma_sync tile without warps}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @too_many_warps(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: mma_sync warps must be a power of two up to 32, got 6}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 6 : i64}>, mapping = [#gpu.block<x>]}
  return
}
