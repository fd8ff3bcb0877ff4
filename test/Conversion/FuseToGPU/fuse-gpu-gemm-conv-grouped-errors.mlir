// Invalid mma_sync choices for grouped convolutions are errors naming the
// group (fuse-tile's validation against the cost model): f32 data at
// fp32 (no tensor-core type), and (Inputs/grouped-conv-bad-tile.mlir) a
// tile that does not split into warp tiles.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp32 tile-config=0=mma_sync:BM=64,BN=32,BK=32,stages=3,warps=4" -verify-diagnostics
// RUN: fuse-opt %S/Inputs/grouped-conv-bad-tile.mlir -split-input-file --fuse-form-groups --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:BM=32,BN=16,BK=32,stages=3,warps=8" -verify-diagnostics

func.func @grouped_fp32(%x: tensor<1x32x10x12xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<1x32x10x12xf32> {
  // expected-error @+1 {{mma_sync needs a tensor-core precision (tf32, fp16, bf16, fp8); the workload is fp32}}
  %0 = fuse.conv %x, %w {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x32x10x12xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x10x12xf32>
  return %0 : tensor<1x32x10x12xf32>
}

// -----

func.func @grouped_fp32_3x3_s2(%x: tensor<1x32x10x12xf32>, %w: tensor<48x8x3x3xf32>) -> tensor<1x48x5x6xf32> {
  // expected-error @+1 {{does not apply on a100: mma_sync needs a tensor-core precision}}
  %0 = fuse.conv %x, %w {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x10x12xf32>, tensor<48x8x3x3xf32>) -> tensor<1x48x5x6xf32>
  return %0 : tensor<1x48x5x6xf32>
}
