func.func @gemm_bias_relu(%x: tensor<64x48xf32>, %w: tensor<48x96xf32>, %b: tensor<96xf32>) -> tensor<64x96xf32> {
  %m = fuse.matmul %x, %w : (tensor<64x48xf32>, tensor<48x96xf32>) -> tensor<64x96xf32>
  %a = fuse.add %m, %b : (tensor<64x96xf32>, tensor<96xf32>) -> tensor<64x96xf32>
  %r = fuse.relu %a : tensor<64x96xf32>
  return %r : tensor<64x96xf32>
}
