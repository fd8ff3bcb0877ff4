// Round trip of fuse.group and fuse.yield: inputs become the entry block's
// arguments, results are the yielded values. Groups without inputs, without
// results and nested groups print back unchanged.
// RUN: fuse-opt %s | fuse-opt | FileCheck %s
// RUN: fuse-opt %s --mlir-print-op-generic | fuse-opt | FileCheck %s

// CHECK-LABEL: func.func @group(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
// CHECK-NEXT: %[[V0:.*]]:2 = fuse.group(%[[ARG0]], %[[ARG1]]) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%[[ARG2:[a-zA-Z0-9_]+]]: tensor<4xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4xf32>):
// CHECK-NEXT: %[[V1:.*]] = fuse.add %[[ARG2]], %[[ARG3]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: %[[V2:.*]] = fuse.relu %[[V1]] : tensor<4xf32>
// CHECK-NEXT: fuse.yield %[[V1]], %[[V2]] : tensor<4xf32>, tensor<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[V0]]#0, %[[V0]]#1 : tensor<4xf32>, tensor<4xf32>
func.func @group(%x: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0:2 = fuse.group(%x, %b) : (tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%a: tensor<4xf32>, %c: tensor<4xf32>):
    %s = fuse.add %a, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %t = fuse.relu %s : tensor<4xf32>
    fuse.yield %s, %t : tensor<4xf32>, tensor<4xf32>
  }
  return %0#0, %0#1 : tensor<4xf32>, tensor<4xf32>
}

// An isolated group with no inputs materializes its constants inside.
// CHECK-LABEL: func.func @group_no_inputs(
// CHECK-SAME: ) -> tensor<2xf32>
// CHECK-NEXT: %[[V0:.*]] = fuse.group() : () -> tensor<2xf32> {
// CHECK-NEXT: %[[V1:.*]] = fuse.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: fuse.yield %[[V1]] : tensor<2xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[V0]] : tensor<2xf32>
func.func @group_no_inputs() -> tensor<2xf32> {
  %0 = fuse.group() : () -> tensor<2xf32> {
    %c = fuse.constant dense<1.0> : tensor<2xf32>
    fuse.yield %c : tensor<2xf32>
  }
  return %0 : tensor<2xf32>
}

// A group yielding nothing has no results (and no block argument list is
// needed for an empty input list).
// CHECK-LABEL: func.func @group_no_results(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4xf32>)
// CHECK-NEXT: fuse.group(%[[ARG0]]) : (tensor<4xf32>) -> () {
// CHECK-NEXT: ^bb0(%[[ARG1:[a-zA-Z0-9_]+]]: tensor<4xf32>):
// CHECK-NEXT: fuse.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @group_no_results(%x: tensor<4xf32>) {
  fuse.group(%x) : (tensor<4xf32>) -> () {
  ^bb0(%a: tensor<4xf32>):
    fuse.yield
  }
  return
}

// Groups nest; the inner group's block arguments are distinct values.
// CHECK-LABEL: func.func @group_nested(
// CHECK-SAME: %[[ARG0:[a-zA-Z0-9_]+]]: tensor<4x8xf32>, %[[ARG1:[a-zA-Z0-9_]+]]: tensor<4x8xi1>) -> (tensor<4x1xf32>, tensor<4x8xi1>)
// CHECK-NEXT: %[[V0:.*]]:2 = fuse.group(%[[ARG0]], %[[ARG1]]) : (tensor<4x8xf32>, tensor<4x8xi1>) -> (tensor<4x1xf32>, tensor<4x8xi1>) {
// CHECK-NEXT: ^bb0(%[[ARG2:[a-zA-Z0-9_]+]]: tensor<4x8xf32>, %[[ARG3:[a-zA-Z0-9_]+]]: tensor<4x8xi1>):
// CHECK-NEXT: %[[V1:.*]] = fuse.group(%[[ARG2]]) : (tensor<4x8xf32>) -> tensor<4x8xf32> {
// CHECK-NEXT: ^bb0(%[[ARG4:[a-zA-Z0-9_]+]]: tensor<4x8xf32>):
// CHECK-NEXT: %[[V4:.*]] = fuse.exp %[[ARG4]] : tensor<4x8xf32>
// CHECK-NEXT: fuse.yield %[[V4]] : tensor<4x8xf32>
// CHECK-NEXT: }
// CHECK-NEXT: %[[V2:.*]] = fuse.reduce sum %[[V1]] {axes = array<i64: 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
// CHECK-NEXT: %[[V3:.*]] = fuse.not %[[ARG3]] : tensor<4x8xi1>
// CHECK-NEXT: fuse.yield %[[V2]], %[[V3]] : tensor<4x1xf32>, tensor<4x8xi1>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[V0]]#0, %[[V0]]#1 : tensor<4x1xf32>, tensor<4x8xi1>
func.func @group_nested(%x: tensor<4x8xf32>, %m: tensor<4x8xi1>) -> (tensor<4x1xf32>, tensor<4x8xi1>) {
  %0:2 = fuse.group(%x, %m) : (tensor<4x8xf32>, tensor<4x8xi1>) -> (tensor<4x1xf32>, tensor<4x8xi1>) {
  ^bb0(%a: tensor<4x8xf32>, %p: tensor<4x8xi1>):
    %r = fuse.group(%a) : (tensor<4x8xf32>) -> tensor<4x8xf32> {
    ^bb0(%in: tensor<4x8xf32>):
      %e = fuse.exp %in : tensor<4x8xf32>
      fuse.yield %e : tensor<4x8xf32>
    }
    %s = fuse.reduce sum %r {axes = array<i64: 1>} : tensor<4x8xf32> -> tensor<4x1xf32>
    %n = fuse.not %p : tensor<4x8xi1>
    fuse.yield %s, %n : tensor<4x1xf32>, tensor<4x8xi1>
  }
  return %0#0, %0#1 : tensor<4x1xf32>, tensor<4x8xi1>
}

// A group's tile configuration prints back unchanged.
// CHECK-LABEL: func.func @group_tile_attr(
// CHECK: fuse.group(%{{.*}}) {fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 128 : i64, BN = 64 : i64, stages = 3 : i64, warps = 4 : i64}>}
func.func @group_tile_attr(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = fuse.group(%x) {fuse.tile = #fuse.tile<"mma_sync", {BM = 128 : i64, BN = 64 : i64, BK = 32 : i64, stages = 3 : i64, warps = 4 : i64}>} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    fuse.yield %a : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
