// fuse-rewrite fails, naming the function, when its patterns have not
// converged within max-iterations sweeps (here 1: the sweep that folds the
// div is not followed by one that finds nothing to do). A function without
// anything to rewrite converges in that one sweep.
// RUN: fuse-opt %s --split-input-file --verify-diagnostics --fuse-rewrite=max-iterations=1

// expected-error @+1 {{fuse-rewrite: patterns did not converge in 1 iterations}}
func.func @needs_two_sweeps(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = fuse.constant dense<2.0> : tensor<f32>
  %y = fuse.div %x, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @nothing_to_do(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = fuse.relu %x : tensor<4xf32>
  return %y : tensor<4xf32>
}
