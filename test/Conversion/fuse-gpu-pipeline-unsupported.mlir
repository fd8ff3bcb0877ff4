// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline -verify-diagnostics

// What the first GPU pipeline does not lower yet is an error at the group's
// loop, not a module without kernels.

// A matmul group is tiled, but its tile body (fill, matmul, epilogue around a
// per-tile accumulator) is several loop nests with a per-tile buffer between
// them, which convert-parallel-loops-to-gpu does not map to threads.
func.func @gemm(%x: tensor<128x64xf32>, %w: tensor<64x128xf32>) -> tensor<128x128xf32> {
  // expected-error @below {{fuse-gpu-pipeline: this tile loop could not be mapped to a GPU kernel (convert-parallel-loops-to-gpu left it; only tiles whose body is one loop nest, e.g. elementwise groups, are supported yet)}}
  %m = fuse.matmul %x, %w : (tensor<128x64xf32>, tensor<64x128xf32>) -> tensor<128x128xf32>
  %r = fuse.relu %m : tensor<128x128xf32>
  return %r : tensor<128x128xf32>
}
