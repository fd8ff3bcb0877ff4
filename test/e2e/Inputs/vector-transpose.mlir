func.func @main(%x: tensor<2x16x40x72xf32>, %b: tensor<16x1x1xf32>) -> (tensor<2x16x40x72xf32>, tensor<2x40x72x16xf32>) {
  %0 = fuse.add %x, %b : (tensor<2x16x40x72xf32>, tensor<16x1x1xf32>) -> tensor<2x16x40x72xf32>
  %1 = fuse.relu %0 : tensor<2x16x40x72xf32>
  %2 = fuse.transpose %1 {perm = array<i64: 0, 2, 3, 1>} : tensor<2x16x40x72xf32> -> tensor<2x40x72x16xf32>
  %3 = fuse.sigmoid %2 : tensor<2x40x72x16xf32>
  return %1, %3 : tensor<2x16x40x72xf32>, tensor<2x40x72x16xf32>
}
