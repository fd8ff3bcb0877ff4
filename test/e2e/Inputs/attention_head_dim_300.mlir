// An attention whose head dim (300) the FlashAttention kernel cannot hold
// in registers (report-generic-reason.test).
func.func @main(%q: tensor<1x2x64x300xf32>) -> tensor<1x2x64x300xf32> {
  %o = fuse.attention %q, %q, %q : (tensor<1x2x64x300xf32>, tensor<1x2x64x300xf32>, tensor<1x2x64x300xf32>) -> tensor<1x2x64x300xf32>
  return %o : tensor<1x2x64x300xf32>
}
