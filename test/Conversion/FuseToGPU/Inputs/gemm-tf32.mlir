// Input of fuse-gpu-gemm-simulate.mlir: an f32 GEMM for precision=tf32, with
// M = 72, N = 80 (partial tiles) and K = 40 (not a multiple of BK).
func.func @tf32_edge(%x: tensor<72x40xf32>, %w: tensor<40x80xf32>) -> tensor<72x80xf32> {
  %m = fuse.matmul %x, %w : (tensor<72x40xf32>, tensor<40x80xf32>) -> tensor<72x80xf32>
  return %m : tensor<72x80xf32>
}
