// fuse-cpu-outline-loops: each top-level scf.for nest without results moves
// into a public function of its own; memrefs and other values from above
// become arguments, constants and memref.get_global are cloned in.
// RUN: fuse-opt %s --split-input-file --fuse-cpu-outline-loops | FileCheck %s

// CHECK-LABEL: func.func @two_nests(
// CHECK-SAME:      %[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>, %[[S:.*]]: f32)
// CHECK-NOT:     scf.for
// CHECK:         call @two_nests_loop0(%[[A]], %[[B]]) : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT:    call @two_nests_loop1(%[[S]], %[[B]]) : (f32, memref<4xf32>) -> ()
// CHECK-NEXT:    return
// CHECK-LABEL: func.func @two_nests_loop0(
// CHECK-SAME:      %{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>) attributes {passthrough = ["noinline"]} {
// CHECK-DAG:     memref.get_global @weights
// CHECK-DAG:     arith.constant 0 : index
// CHECK-DAG:     arith.constant 4 : index
// CHECK-DAG:     arith.constant 1 : index
// CHECK:         scf.for
// CHECK:           memref.load
// CHECK:           arith.mulf
// CHECK:           memref.store
// CHECK:         return
// CHECK-LABEL: func.func @two_nests_loop1(
// CHECK-SAME:      %{{.*}}: f32, %{{.*}}: memref<4xf32>) attributes {passthrough = ["noinline"]} {
// CHECK:         scf.for
// CHECK:           memref.store
memref.global "private" constant @weights : memref<4xf32> = dense<2.0>
func.func @two_nests(%a: memref<4xf32>, %b: memref<4xf32>, %s: f32) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %w = memref.get_global @weights : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %a[%i] : memref<4xf32>
    %y = memref.load %w[%i] : memref<4xf32>
    %p = arith.mulf %x, %y : f32
    memref.store %p, %b[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %s, %b[%i] : memref<4xf32>
  }
  return
}

// -----

// Near-misses: a loop with results (iter_args) and a nested loop that is
// not directly in the function body stay in place; external functions are
// skipped.
// CHECK-LABEL: func.func private @external(memref<4xf32>)
// CHECK-LABEL: func.func @kept(
// CHECK:         scf.for {{.*}} iter_args
// CHECK:         scf.execute_region
// CHECK-NEXT:      scf.for
// CHECK-NOT:     call
// CHECK-NOT:     func.func @kept_loop
func.func private @external(memref<4xf32>)
func.func @kept(%a: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %a[%i] : memref<4xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  }
  scf.execute_region {
    scf.for %i = %c0 to %c4 step %c1 {
      memref.store %sum, %a[%i] : memref<4xf32>
    }
    scf.yield
  }
  return %sum : f32
}
