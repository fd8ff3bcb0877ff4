// RUN: fuse-opt %s -split-input-file --fuse-gpu-attention=shared-memory-limit=100000 -verify-diagnostics
// RUN: not fuse-opt %s --fuse-gpu-attention=precision=fp8 2>&1 | FileCheck %s --check-prefix=PRECISION
// PRECISION: error: fuse-gpu-attention: unknown precision 'fp8' (fp32, tf32, fp16, bf16)

func.func @value_dim(%q: tensor<1x2x64x64xf32>, %v: tensor<1x2x64x160xf32>) -> tensor<1x2x64x160xf32> {
  // expected-error @+1 {{'fuse.group' op fuse-gpu-attention: group_0: value head dim 160 is not supported (at most 128 once padded to 32)}}
  %0 = fuse.group(%q, %v) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x2x64x64xf32>, tensor<1x2x64x160xf32>) -> tensor<1x2x64x160xf32> {
  ^bb0(%a: tensor<1x2x64x64xf32>, %b: tensor<1x2x64x160xf32>):
    %1 = fuse.attention %a, %a, %b : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x160xf32>) -> tensor<1x2x64x160xf32>
    fuse.yield %1 : tensor<1x2x64x160xf32>
  }
  return %0 : tensor<1x2x64x160xf32>
}

// -----

func.func @head_dim(%q: tensor<1x2x64x300xf32>, %v: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  %e = fuse.group(%v) {fuse.tile = #fuse.tile<"elementwise", {threads = 256 : i64, vector = 1 : i64}>} : (tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x64xf32>):
    %1 = fuse.relu %a : tensor<1x2x64x64xf32>
    fuse.yield %1 : tensor<1x2x64x64xf32>
  }
  // expected-error @+1 {{fuse-gpu-attention: group_1: head dim 300 is not supported (at most 256 once padded to 4)}}
  %0 = fuse.group(%q, %e) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x2x64x300xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x300xf32>, %b: tensor<1x2x64x64xf32>):
    %1 = fuse.attention %a, %a, %b : (tensor<1x2x64x300xf32>, tensor<1x2x64x300xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    fuse.yield %1 : tensor<1x2x64x64xf32>
  }
  return %0 : tensor<1x2x64x64xf32>
}

// -----

func.func @missing_param(%q: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  // expected-error @+1 {{fuse-gpu-attention: group_0: the flash_attention choice has no BKV}}
  %0 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x64xf32>):
    %1 = fuse.attention %a, %a, %a : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    fuse.yield %1 : tensor<1x2x64x64xf32>
  }
  return %0 : tensor<1x2x64x64xf32>
}

// -----

func.func @rows(%q: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  // expected-error @+1 {{fuse-gpu-attention: group_0: BQ=64, BKV=32, warps=3 do not give each warp whole rows}}
  %0 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 3 : i64}>} : (tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x64xf32>):
    %1 = fuse.attention %a, %a, %a : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    fuse.yield %1 : tensor<1x2x64x64xf32>
  }
  return %0 : tensor<1x2x64x64xf32>
}

// -----

func.func @too_much_shared(%q: tensor<1x2x64x256xf32>) -> tensor<1x2x64x64xf32> {
  %v = fuse.constant dense<1.0> : tensor<1x2x64x64xf32>
  // expected-error @+1 {{fuse-gpu-attention: group_0: the kernel needs 115200 bytes of shared memory, more than the limit of 100000}}
  %0 = fuse.group(%q, %v) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 1 : i64, warps = 4 : i64}>} : (tensor<1x2x64x256xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x256xf32>, %b: tensor<1x2x64x64xf32>):
    %1 = fuse.attention %a, %a, %b : (tensor<1x2x64x256xf32>, tensor<1x2x64x256xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    fuse.yield %1 : tensor<1x2x64x64xf32>
  }
  return %0 : tensor<1x2x64x64xf32>
}

// -----

func.func @mma_head_dim(%q: tensor<1x2x64x260xf16>) -> tensor<1x2x64x260xf16> {
  // expected-error @+1 {{fuse-gpu-attention: group_0: head dim 260 is not supported on tensor cores (at most 256 once padded to 16)}}
  %0 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x2x64x260xf16>) -> tensor<1x2x64x260xf16> {
  ^bb0(%a: tensor<1x2x64x260xf16>):
    %1 = fuse.attention %a, %a, %a : (tensor<1x2x64x260xf16>, tensor<1x2x64x260xf16>, tensor<1x2x64x260xf16>) -> tensor<1x2x64x260xf16>
    fuse.yield %1 : tensor<1x2x64x260xf16>
  }
  return %0 : tensor<1x2x64x260xf16>
}

// -----

func.func @mma_rows(%q: tensor<1x2x64x64xbf16>) -> tensor<1x2x64x64xbf16> {
  // expected-error @+1 {{fuse-gpu-attention: group_0: BQ=64, warps=8 do not give each warp whole 16-row tiles}}
  %0 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 8 : i64}>} : (tensor<1x2x64x64xbf16>) -> tensor<1x2x64x64xbf16> {
  ^bb0(%a: tensor<1x2x64x64xbf16>):
    %1 = fuse.attention %a, %a, %a : (tensor<1x2x64x64xbf16>, tensor<1x2x64x64xbf16>, tensor<1x2x64x64xbf16>) -> tensor<1x2x64x64xbf16>
    fuse.yield %1 : tensor<1x2x64x64xbf16>
  }
  return %0 : tensor<1x2x64x64xbf16>
}

// -----

func.func @recorded_precision(%q: tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  // expected-error @+1 {{'fuse.group' op fuse-gpu-attention: group_0: unknown fuse.precision 'fp8' (fp32, tf32, fp16, bf16)}}
  %0 = fuse.group(%q) {fuse.precision = "fp8", fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x64xf32>):
    %1 = fuse.attention %a, %a, %a : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    fuse.yield %1 : tensor<1x2x64x64xf32>
  }
  return %0 : tensor<1x2x64x64xf32>
}

// -----

// Strided operands keep the checks: the head dim of a folded head split.
func.func @strided_head_dim(%x: tensor<1x64x600xf32>) -> tensor<1x64x600xf32> {
  // expected-error @+1 {{'fuse.group' op fuse-gpu-attention: group_0: head dim 300 is not supported (at most 256 once padded to 4)}}
  %0 = fuse.group(%x) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x64x600xf32>) -> tensor<1x64x600xf32> {
  ^bb0(%a: tensor<1x64x600xf32>):
    %r = fuse.reshape %a : tensor<1x64x600xf32> -> tensor<1x64x2x300xf32>
    %t = fuse.transpose %r {perm = array<i64: 0, 2, 1, 3>} : tensor<1x64x2x300xf32> -> tensor<1x2x64x300xf32>
    %1 = fuse.attention %t, %t, %t : (tensor<1x2x64x300xf32>, tensor<1x2x64x300xf32>, tensor<1x2x64x300xf32>) -> tensor<1x2x64x300xf32>
    %o = fuse.transpose %1 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x2x64x300xf32> -> tensor<1x64x2x300xf32>
    %p = fuse.reshape %o : tensor<1x64x2x300xf32> -> tensor<1x64x600xf32>
    fuse.yield %p : tensor<1x64x600xf32>
  }
  return %0 : tensor<1x64x600xf32>
}
