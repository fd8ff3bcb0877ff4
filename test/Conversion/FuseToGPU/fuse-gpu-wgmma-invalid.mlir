// RUN: fuse-opt %s -split-input-file -verify-diagnostics --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm{chip=sm_90a}))'
// RUN: not fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm{chip=sm_80}))' 2>&1 | FileCheck %s --check-prefix=SM80
// RUN: not fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm{chip=sm_90}))' 2>&1 | FileCheck %s --check-prefix=SM90
// RUN: not fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm))' 2>&1 | FileCheck %s --check-prefix=NOCHIP

// A wgmma choice the kernel cannot make is an error (the tuner never picks
// one; a hand-written tile-config can), and so is wgmma at a chip without
// it.
// SM80: error: 'scf.forall' op fuse-gpu-gemm: wgmma needs chip sm_90a (wgmma.mma_async is an sm_90a instruction), got 'sm_80'
// SM90: error: 'scf.forall' op fuse-gpu-gemm: wgmma needs chip sm_90a (wgmma.mma_async is an sm_90a instruction), got 'sm_90'
// NOCHIP: error: 'scf.forall' op fuse-gpu-gemm: wgmma needs chip sm_90a (wgmma.mma_async is an sm_90a instruction), got ''

// BN = 512: more than the instruction's N.
func.func @bn_too_wide(%a: memref<64x128xf16>, %b: memref<128x512xf16>, %o: memref<64x512xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: wgmma BN must be a power of two in [16, 256] (the instruction's N), got 512}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x512xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x512xf16>) outs(%o : memref<64x512xf16>)
  } {fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 512 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// BN = 96: a multiple of 8 (a valid instruction N), but not a power of two.
func.func @bn_not_power_of_two(%a: memref<64x128xf16>, %b: memref<128x96xf16>, %o: memref<64x96xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: wgmma BN must be a power of two in [16, 256] (the instruction's N), got 96}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x96xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x96xf16>) outs(%o : memref<64x96xf16>)
  } {fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 96 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// BM = 64 for two warpgroups: 32 rows each, less than the instruction's 64.
func.func @bm_per_warpgroup(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: wgmma BM=64 is not a multiple of 64 x warpgroups (128)}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warpgroups = 2 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @one_stage(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: wgmma needs at least 2 pipeline stages, got 1}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 1 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @no_warpgroups(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: wgmma tile without warpgroups}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// 256 rows per warpgroup x BN = 256: 512 accumulator registers per thread.
func.func @too_many_accumulators(%a: memref<256x128xf16>, %b: memref<128x256xf16>, %o: memref<256x256xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: wgmma tile 256x256 with 1 warpgroups needs 512 accumulator registers per thread (at most 192)}}
  scf.forall (%i) = (0) to (256) step (256) {
    linalg.fill ins(%cst : f16) outs(%o : memref<256x256xf16>)
    linalg.matmul ins(%a, %b : memref<256x128xf16>, memref<128x256xf16>) outs(%o : memref<256x256xf16>)
  } {fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 256 : i64, BN = 256 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// 5 stages of 128x64 + 64x256 f16 tiles: 246784 bytes.
func.func @shared_memory(%a: memref<128x128xf16>, %b: memref<128x256xf16>, %o: memref<128x256xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: wgmma tiles need 246784 bytes of shared memory (at most 232448)}}
  scf.forall (%i) = (0) to (128) step (128) {
    linalg.fill ins(%cst : f16) outs(%o : memref<128x256xf16>)
    linalg.matmul ins(%a, %b : memref<128x128xf16>, memref<128x256xf16>) outs(%o : memref<128x256xf16>)
  } {fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 128 : i64, BN = 256 : i64, stages = 5 : i64, warpgroups = 2 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// tma is 0 (cp.async) or 1 (TMA where an operand allows it).
func.func @tma_not_a_flag(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  // expected-error @below {{fuse-gpu-gemm: wgmma tma must be 0 (cp.async) or 1 (TMA where the operand allows it), got 2 : i64}}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, tma = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return
}

