// RUN: fuse-opt %s --fuse-to-linalg --split-input-file | FileCheck %s
// Structure of the index, scan and scatter lowerings and of the libm unary
// ops; their numerics are in index-ops-run.mlir and the conformance run.

// arg_max: one generic, reduction on the axis, two outputs (value, index);
// the first strict improvement wins (ogt). keepdims expands the index.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$KEPT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @arg_max
// CHECK: %[[LOW:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[V:.*]] = linalg.fill ins(%[[LOW]] : f32) outs(%{{.*}} : tensor<3xf32>)
// CHECK: %[[I:.*]] = linalg.fill ins(%{{.*}} : i64) outs(%{{.*}} : tensor<3xi64>)
// CHECK: %[[G:.*]]:2 = linalg.generic {indexing_maps = [#[[$ID]], #[[$KEPT]], #[[$KEPT]]], iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<3x4xf32>) outs(%[[V]], %[[I]] : tensor<3xf32>, tensor<3xi64>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 1 : index
// CHECK: tensor.expand_shape %[[G]]#1 {{\[}}[0, 1]] output_shape [3, 1] : tensor<3xi64> into tensor<3x1xi64>
func.func @arg_max(%x: tensor<3x4xf32>) -> tensor<3x1xi64> {
  %0 = fuse.arg_max %x {axis = 1 : i64} : tensor<3x4xf32> -> tensor<3x1xi64>
  return %0 : tensor<3x1xi64>
}

// -----

// arg_min with select_last_index on integers: sle keeps moving to later
// ties; no keepdims, no expand_shape.
// CHECK-LABEL: func.func @arg_min_last
// CHECK: arith.constant 9223372036854775807 : i64
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK: arith.cmpi sle
// CHECK-NOT: tensor.expand_shape
func.func @arg_min_last(%x: tensor<3x4xi64>) -> tensor<4xi64> {
  %0 = fuse.arg_min %x {axis = 0 : i64, keepdims = false, select_last_index = true} : tensor<3x4xi64> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// cumsum: an extra reduction dim k read in place of the axis; k <= i.
// CHECK-DAG: #[[$IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @cumsum
// CHECK: linalg.generic {indexing_maps = [#[[$IN]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: %[[K:.*]] = linalg.index 2 : index
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: arith.cmpi ule, %[[K]], %[[I]] : index
func.func @cumsum(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = fuse.cumsum %x {axis = 1 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Reverse exclusive: k > i.
// CHECK-LABEL: func.func @cumsum_reverse_exclusive
// CHECK: arith.cmpi ugt
// CHECK: arith.addi
func.func @cumsum_reverse_exclusive(%x: tensor<5xi32>) -> tensor<5xi32> {
  %0 = fuse.cumsum %x {axis = 0 : i64, exclusive = true, reverse = true} : tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

// gather_elements: parallel over the indices; the index (wrapped, clamped
// to [0, 4]) replaces the axis coordinate.
// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: %[[DATA:[a-zA-Z0-9_]+]]: tensor<2x5xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%{{.*}} : tensor<2x3xi64>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: %[[I0:.*]] = linalg.index 0 : index
// CHECK: arith.index_cast %{{.*}} : i64 to index
// CHECK: arith.cmpi slt
// CHECK: %[[C:.*]] = arith.minsi %{{.*}}, %c4
// CHECK: tensor.extract %[[DATA]][%[[I0]], %[[C]]] : tensor<2x5xf32>
func.func @gather_elements(%x: tensor<2x5xf32>, %i: tensor<2x3xi64>) -> tensor<2x3xf32> {
  %0 = fuse.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// gather_nd: the tuple entries are read from the indices with
// tensor.extract, then the data element.
// CHECK-LABEL: func.func @gather_nd
// CHECK-SAME: %[[DATA:[a-zA-Z0-9_]+]]: tensor<4x5x6xf32>, %[[IDX:[a-zA-Z0-9_]+]]: tensor<3x2xi64>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<3x6xf32>)
// CHECK: tensor.extract %[[IDX]][%{{.*}}, %c0] : tensor<3x2xi64>
// CHECK: tensor.extract %[[IDX]][%{{.*}}, %c1] : tensor<3x2xi64>
// CHECK: tensor.extract %[[DATA]][%{{.*}}, %{{.*}}, %{{.*}}] : tensor<4x5x6xf32>
func.func @gather_nd(%x: tensor<4x5x6xf32>, %i: tensor<3x2xi64>) -> tensor<3x6xf32> {
  %0 = fuse.gather_nd %x, %i : (tensor<4x5x6xf32>, tensor<3x2xi64>) -> tensor<3x6xf32>
  return %0 : tensor<3x6xf32>
}

// -----

// scatter_elements with add: a loop nest over the updates threading the
// tensor; read-modify-write of the target element.
// CHECK-LABEL: func.func @scatter_elements_add
// CHECK-SAME: %[[DATA:[a-zA-Z0-9_]+]]: tensor<3x3xf32>
// CHECK: %[[R:.*]] = scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%[[A0:.*]] = %[[DATA]]) -> (tensor<3x3xf32>)
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args(%[[A1:.*]] = %[[A0]]) -> (tensor<3x3xf32>)
// CHECK: %[[U:.*]] = tensor.extract %{{.*}} : tensor<3x2xf32>
// CHECK: %[[OLD:.*]] = tensor.extract %[[A1]]
// CHECK: %[[NEW:.*]] = arith.addf %[[OLD]], %[[U]] : f32
// CHECK: tensor.insert %[[NEW]] into %[[A1]]
// CHECK: return %[[R]]
func.func @scatter_elements_add(%x: tensor<3x3xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) -> tensor<3x3xf32> {
  %0 = fuse.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// scatter_nd without reduction: plain insert, no read of the old value.
// CHECK-LABEL: func.func @scatter_nd
// CHECK: scf.for
// CHECK: tensor.extract %{{.*}} : tensor<4xf32>
// CHECK: tensor.extract %{{.*}} : tensor<4x1xi64>
// CHECK-NOT: tensor.extract
// CHECK: tensor.insert
func.func @scatter_nd(%x: tensor<8xf32>, %i: tensor<4x1xi64>, %u: tensor<4xf32>) -> tensor<8xf32> {
  %0 = fuse.scatter_nd %x, %i, %u : (tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Empty updates: the data passes through, no loop.
// CHECK-LABEL: func.func @scatter_nd_empty
// CHECK-SAME: %[[DATA:[a-zA-Z0-9_]+]]: tensor<8xf32>
// CHECK-NOT: scf.for
// CHECK: return %[[DATA]]
func.func @scatter_nd_empty(%x: tensor<8xf32>, %i: tensor<0x1xi64>, %u: tensor<0xf32>) -> tensor<8xf32> {
  %0 = fuse.scatter_nd %x, %i, %u : (tensor<8xf32>, tensor<0x1xi64>, tensor<0xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// libm ops: f32 directly; f16 widened to f32 and narrowed back.
// CHECK-LABEL: func.func @trig
// CHECK: math.acos %{{.*}} : f32
// CHECK: %[[W:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: %[[S:.*]] = math.sinh %[[W]] : f32
// CHECK: arith.truncf %[[S]] : f32 to f16
func.func @trig(%x: tensor<4xf32>, %h: tensor<4xf16>) -> (tensor<4xf32>, tensor<4xf16>) {
  %0 = fuse.acos %x : tensor<4xf32>
  %1 = fuse.sinh %h : tensor<4xf16>
  return %0, %1 : tensor<4xf32>, tensor<4xf16>
}
