// RUN: fuse-opt %s -split-input-file -verify-diagnostics --fuse-form-groups --fuse-tile="tile-config=0=mma_sync:BM"
// RUN: fuse-opt %s -split-input-file -verify-diagnostics --fuse-form-groups --fuse-tile="tile-config=x"
// RUN: fuse-opt %s -split-input-file -verify-diagnostics --fuse-form-groups --fuse-tile="tile-config=5=elementwise"
// RUN: fuse-opt %s -split-input-file -verify-diagnostics --fuse-form-groups --fuse-tile="target=tpu"
// RUN: fuse-opt %s -split-input-file -verify-diagnostics --fuse-form-groups --fuse-tile="precision=fp8"

// Each RUN line's error is one of these, reported on the function.
// expected-error-re @below {{fuse-tile: {{(expected NAME=INTEGER, got 'BM' in tile config 'mma_sync:BM'|expected GROUP=CONFIG in tile-config, got 'x'|tile-config names group 5, but the function has 1 groups|unknown target 'tpu' \(known: a100, h100, h200, l4, rtx4090\)|unknown precision 'fp8' \(expected fp32, tf32, fp16 or bf16\))}}}}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = fuse.exp %x : tensor<4xf32>
  return %a : tensor<4xf32>
}
