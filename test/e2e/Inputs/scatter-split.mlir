// A scatter between a Relu and a Sigmoid (one fused group), then a MatMul
// (another): fuse-tile splits the first into three groups
// (report-split-groups.test).
func.func @main(%data: tensor<8x16xf32>, %indices: tensor<4x1xi64>, %updates: tensor<4x16xf32>, %w: tensor<16x64xf32>) -> tensor<8x64xf32> {
  %r = fuse.relu %updates : tensor<4x16xf32>
  %0 = fuse.scatter_nd %data, %indices, %r {reduction = #fuse.scatter_reduction<add>} : (tensor<8x16xf32>, tensor<4x1xi64>, tensor<4x16xf32>) -> tensor<8x16xf32>
  %1 = fuse.sigmoid %0 : tensor<8x16xf32>
  %2 = fuse.matmul %1, %w : (tensor<8x16xf32>, tensor<16x64xf32>) -> tensor<8x64xf32>
  return %2 : tensor<8x64xf32>
}
