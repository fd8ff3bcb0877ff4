// fuse-cpu-copy-to-linalg: memref.copy of statically shaped ranked memrefs
// (contiguous or strided) becomes linalg.copy; other copies stay.
// RUN: fuse-opt %s --split-input-file --fuse-cpu-copy-to-linalg | FileCheck %s

// The copy of a tensor.pad's source into the interior of the padded buffer.
// CHECK-LABEL: func.func @into_subview
// CHECK:         %[[VIEW:.*]] = memref.subview %arg1[0, 1] [2, 3] [1, 1]
// CHECK-NOT:     memref.copy
// CHECK:         linalg.copy ins(%arg0 : memref<2x3xf32>) outs(%[[VIEW]] : memref<2x3xf32, strided<[5, 1], offset: 1>>)
func.func @into_subview(%src: memref<2x3xf32>, %dst: memref<2x5xf32>) {
  %view = memref.subview %dst[0, 1] [2, 3] [1, 1] : memref<2x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 1>>
  memref.copy %src, %view : memref<2x3xf32> to memref<2x3xf32, strided<[5, 1], offset: 1>>
  return
}

// CHECK-LABEL: func.func @contiguous_i64
// CHECK:         linalg.copy ins(%arg0 : memref<4xi64>) outs(%arg1 : memref<4xi64>)
func.func @contiguous_i64(%src: memref<4xi64>, %dst: memref<4xi64>) {
  memref.copy %src, %dst : memref<4xi64> to memref<4xi64>
  return
}

// -----

// Near-misses: dynamic shapes, unranked and rank-0 memrefs keep memref.copy.
// CHECK-LABEL: func.func @kept
// CHECK-NOT:     linalg.copy
// CHECK:         memref.copy %arg0, %arg1 : memref<?xf32> to memref<?xf32>
// CHECK:         memref.copy %arg2, %arg3 : memref<*xf32> to memref<*xf32>
// CHECK:         memref.copy %arg4, %arg5 : memref<f32> to memref<f32>
func.func @kept(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<*xf32>, %d: memref<*xf32>, %e: memref<f32>, %f: memref<f32>) {
  memref.copy %a, %b : memref<?xf32> to memref<?xf32>
  memref.copy %c, %d : memref<*xf32> to memref<*xf32>
  memref.copy %e, %f : memref<f32> to memref<f32>
  return
}
