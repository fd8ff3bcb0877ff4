// Options of --fuse-form-groups.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups=clone-constant-elements=4 | FileCheck %s --check-prefix=CLONE
// RUN: fuse-opt %s -split-input-file --fuse-form-groups=max-ops=2 | FileCheck %s --check-prefix=MAXOPS
// RUN: fuse-opt %s -split-input-file --fuse-form-groups=max-inputs=2 | FileCheck %s --check-prefix=MAXIN

// A non-splat constant with more elements than clone-constant-elements (the
// 8-element weight) is a group input; a smaller one (the 2-element bias) is
// cloned into the group.
// CLONE-LABEL: func.func @weights_as_inputs(
// CLONE-SAME: %[[X:[a-zA-Z0-9_]+]]: tensor<3x4xf32>
// CLONE-NEXT: %[[W:.*]] = fuse.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00]
// CLONE-NEXT: %[[G:.*]] = fuse.group(%[[X]], %[[W]])
// CLONE-NEXT: ^bb0(%{{.*}}: tensor<3x4xf32>, %{{.*}}: tensor<4x2xf32>):
// CLONE-NEXT: fuse.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CLONE-NEXT: fuse.matmul
// CLONE-NEXT: fuse.add
// CLONE-NEXT: fuse.yield
// MAXOPS-LABEL: func.func @weights_as_inputs(
// MAXOPS-COUNT-1: fuse.group
// MAXOPS-NOT: fuse.group
func.func @weights_as_inputs(%x: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %w = fuse.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %b = fuse.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %m = fuse.matmul %x, %w : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
  %s = fuse.add %m, %b : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  return %s : tensor<3x2xf32>
}

// -----

// max-ops=2 splits a chain of four elementwise ops into two groups.
// MAXOPS-LABEL: func.func @chain(
// MAXOPS: fuse.group
// MAXOPS-NEXT: ^bb0
// MAXOPS-NEXT: fuse.exp
// MAXOPS-NEXT: fuse.neg
// MAXOPS-NEXT: fuse.yield
// MAXOPS: fuse.group
// MAXOPS-NEXT: ^bb0
// MAXOPS-NEXT: fuse.tanh
// MAXOPS-NEXT: fuse.abs
// MAXOPS-NEXT: fuse.yield
// MAXOPS-NOT: fuse.group
// CLONE-LABEL: func.func @chain(
// CLONE-COUNT-1: fuse.group
// CLONE-NOT: fuse.group
func.func @chain(%x: tensor<16xf32>) -> tensor<16xf32> {
  %a = fuse.exp %x : tensor<16xf32>
  %b = fuse.neg %a : tensor<16xf32>
  %c = fuse.tanh %b : tensor<16xf32>
  %d = fuse.abs %c : tensor<16xf32>
  return %d : tensor<16xf32>
}

// -----

// max-inputs=2: the sum of three runtime inputs cannot be one group.
// MAXIN-LABEL: func.func @inputs(
// MAXOPS-LABEL: func.func @inputs(
// MAXIN-COUNT-2: fuse.group
// MAXIN-NOT: fuse.group
// CLONE-LABEL: func.func @inputs(
// CLONE-COUNT-1: fuse.group
// CLONE-NOT: fuse.group
func.func @inputs(%x: tensor<16xf32>, %y: tensor<16xf32>, %z: tensor<16xf32>) -> tensor<16xf32> {
  %a = fuse.add %x, %y : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  %b = fuse.add %a, %z : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  return %b : tensor<16xf32>
}
