// RUN: fuse-opt %s -split-input-file -verify-diagnostics --fuse-form-groups

// A function with control flow is not a dataflow graph the planner handles.
// expected-error @below {{fuse-form-groups needs a single-block function body}}
func.func @branches(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = fuse.exp %x : tensor<4xf32>
  cf.br ^bb1(%a : tensor<4xf32>)
^bb1(%b: tensor<4xf32>):
  return %b : tensor<4xf32>
}

// -----

// An external function has nothing to group and is not an error.
func.func private @external(tensor<4xf32>) -> tensor<4xf32>
