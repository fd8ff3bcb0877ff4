// RUN: fuse-opt %s -split-input-file -verify-diagnostics --fuse-form-groups=max-ops=0
// RUN: fuse-opt %s -split-input-file -verify-diagnostics --fuse-form-groups=max-inputs=-1

// expected-error @below {{fuse-form-groups: max-ops and max-inputs must be at least 1}}
func.func @bad_options(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = fuse.exp %x : tensor<4xf32>
  return %a : tensor<4xf32>
}
