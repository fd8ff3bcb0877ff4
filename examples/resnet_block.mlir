// A ResNet basic block with a classifier head, written by hand in the fuse
// dialect (the ONNX importer produces the same kind of module). Locations
// carry the ONNX-style node names that fusion reports use.
//
//   fuse-opt examples/resnet_block.mlir --canonicalize --fuse-annotate-cost=print-table
func.func @main(%x: tensor<1x64x56x56xf32> {fuse.name = "input"})
    -> (tensor<1x10xf32> {fuse.name = "probs"}) {
  %w1 = fuse.constant dense<0.01> : tensor<64x64x3x3xf32> loc("conv1.weight")
  %w2 = fuse.constant dense<0.02> : tensor<64x64x3x3xf32> loc("conv2.weight")
  %s = fuse.constant dense<1.0> : tensor<64xf32> loc("bn.scale")
  %b = fuse.constant dense<0.0> : tensor<64xf32> loc("bn.bias")
  %m = fuse.constant dense<0.1> : tensor<64xf32> loc("bn.mean")
  %v = fuse.constant dense<0.9> : tensor<64xf32> loc("bn.var")
  %fc = fuse.constant dense<0.5> : tensor<10x64xf32> loc("fc.weight")
  %fcb = fuse.constant dense<0.0> : tensor<10xf32> loc("fc.bias")

  %c1 = fuse.conv %x, %w1 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x56x56xf32> loc("conv1")
  %n1 = fuse.batch_norm %c1, %s, %b, %m, %v : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32> loc("bn1")
  %r1 = fuse.relu %n1 : tensor<1x64x56x56xf32> loc("relu1")
  %c2 = fuse.conv %r1, %w2 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>) -> tensor<1x64x56x56xf32> loc("conv2")
  %n2 = fuse.batch_norm %c2, %s, %b, %m, %v : (tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32> loc("bn2")
  %sum = fuse.add %n2, %x : (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32> loc("residual")
  %r2 = fuse.relu %sum : tensor<1x64x56x56xf32> loc("relu2")
  // Identity transposes and reshape chains are removed by the folders.
  %t = fuse.transpose %r2 {perm = array<i64: 0, 1, 2, 3>} : tensor<1x64x56x56xf32> -> tensor<1x64x56x56xf32> loc("noop_transpose")
  %pool = fuse.reduce mean %t {axes = array<i64: 2, 3>} : tensor<1x64x56x56xf32> -> tensor<1x64x1x1xf32> loc("global_pool")
  %f0 = fuse.reshape %pool : tensor<1x64x1x1xf32> -> tensor<64xf32> loc("flatten.0")
  %f1 = fuse.reshape %f0 : tensor<64xf32> -> tensor<1x64xf32> loc("flatten.1")
  %logits = fuse.matmul %f1, %fc {transpose_b = true} : (tensor<1x64xf32>, tensor<10x64xf32>) -> tensor<1x10xf32> loc("fc")
  %zero = fuse.constant dense<0.0> : tensor<1x10xf32> loc("zero")
  %biased = fuse.add %logits, %fcb : (tensor<1x10xf32>, tensor<10xf32>) -> tensor<1x10xf32> loc("fc.add")
  %same = fuse.add %biased, %zero : (tensor<1x10xf32>, tensor<1x10xf32>) -> tensor<1x10xf32> loc("add_zero")
  %probs = fuse.softmax %same {axis = 1 : i64} : tensor<1x10xf32> loc("softmax")
  return %probs : tensor<1x10xf32>
}
