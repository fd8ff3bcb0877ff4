// fp32 GEMMs for fuse-gpu-simt-gemm-cuda.test: a matmul + bias + relu with
// partial tiles in M, N and K (100x70x50), a batch matmul with B transposed
// and a 256x192x128 matmul whose operands are all 128-bit aligned.
func.func @main(%x: tensor<100x50xf32>, %w: tensor<50x70xf32>, %b: tensor<70xf32>, %p: tensor<3x40x24xf32>, %q: tensor<3x48x24xf32>, %u: tensor<256x128xf32>, %v: tensor<128x192xf32>) -> (tensor<100x70xf32>, tensor<3x40x48xf32>, tensor<256x192xf32>) {
  %m = fuse.matmul %x, %w : (tensor<100x50xf32>, tensor<50x70xf32>) -> tensor<100x70xf32>
  %a = fuse.add %m, %b : (tensor<100x70xf32>, tensor<70xf32>) -> tensor<100x70xf32>
  %r = fuse.relu %a : tensor<100x70xf32>
  %t = fuse.matmul %p, %q {transpose_b = true} : (tensor<3x40x24xf32>, tensor<3x48x24xf32>) -> tensor<3x40x48xf32>
  %g = fuse.matmul %u, %v : (tensor<256x128xf32>, tensor<128x192xf32>) -> tensor<256x192xf32>
  return %r, %t, %g : tensor<100x70xf32>, tensor<3x40x48xf32>, tensor<256x192xf32>
}
