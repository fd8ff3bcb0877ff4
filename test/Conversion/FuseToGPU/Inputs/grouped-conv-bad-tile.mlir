// Error cases of fuse-gpu-gemm-conv-grouped-errors.mlir at fp16: a 32 x 16
// tile of 8 warps does not split into 4 x 2 warp tiles of multiples of 16 x 8.
func.func @grouped_bad_tile(%x: tensor<1x32x10x12xf32>, %w: tensor<32x16x3x3xf32>) -> tensor<1x32x10x12xf32> {
  // expected-error @+1 {{mma_sync tile 32x16 does not split into 4x2 warp tiles of multiples of 16x8}}
  %0 = fuse.conv %x, %w {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x32x10x12xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x10x12xf32>
  return %0 : tensor<1x32x10x12xf32>
}
