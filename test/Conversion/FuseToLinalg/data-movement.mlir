// RUN: fuse-opt %s --fuse-to-linalg | FileCheck %s

// CHECK-DAG: #[[$IDX2:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$IDX0:.*]] = affine_map<(d0) -> ()>
// CHECK-DAG: #[[$BCAST:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>

// CHECK-LABEL: func.func @transpose
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = fuse.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// CHECK-LABEL: func.func @reshape_collapse
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
func.func @reshape_collapse(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// CHECK-LABEL: func.func @reshape_expand
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2, 3]] output_shape [2, 3, 1, 4] : tensor<6x4xi64> into tensor<2x3x1x4xi64>
func.func @reshape_expand(%x: tensor<6x4xi64>) -> tensor<2x3x1x4xi64> {
  %0 = fuse.reshape %x : tensor<6x4xi64> -> tensor<2x3x1x4xi64>
  return %0 : tensor<2x3x1x4xi64>
}

// No reassociation between [2, 3, 4] and [4, 6]: through 1-D.
// CHECK-LABEL: func.func @reshape_general
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
func.func @reshape_general(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @reshape_to_scalar
// CHECK: tensor.collapse_shape %{{.*}} [] : tensor<1x1xf16> into tensor<f16>
func.func @reshape_to_scalar(%x: tensor<1x1xf16>) -> tensor<f16> {
  %0 = fuse.reshape %x : tensor<1x1xf16> -> tensor<f16>
  return %0 : tensor<f16>
}

// CHECK-LABEL: func.func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: %[[B:.*]] = tensor.insert_slice %arg1 into %[[A]][0, 3] [2, 5] [1, 1]
// CHECK: return %[[B]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = fuse.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// CHECK-LABEL: func.func @split
// CHECK: tensor.extract_slice %arg0[0, 0] [4, 2] [1, 1] : tensor<4x8xf32> to tensor<4x2xf32>
// CHECK: tensor.extract_slice %arg0[0, 2] [4, 6] [1, 1] : tensor<4x8xf32> to tensor<4x6xf32>
func.func @split(%x: tensor<4x8xf32>) -> (tensor<4x2xf32>, tensor<4x6xf32>) {
  %a, %b = fuse.split %x {axis = 1 : i64, sizes = array<i64: 2, 6>} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x6xf32>
  return %a, %b : tensor<4x2xf32>, tensor<4x6xf32>
}

// CHECK-LABEL: func.func @slice_step
// CHECK: tensor.extract_slice %arg0[0, 2] [4, 3] [1, 2] : tensor<4x10xf32> to tensor<4x3xf32>
// CHECK-NOT: linalg.generic
func.func @slice_step(%x: tensor<4x10xf32>) -> tensor<4x3xf32> {
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 8>, starts = array<i64: 2>, steps = array<i64: 2>} : tensor<4x10xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @slice_negative_step
// CHECK-DAG: %[[C9:.*]] = arith.constant 9 : index
// CHECK-DAG: %[[CM2:.*]] = arith.constant -2 : index
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[M:.*]] = arith.muli %[[J]], %[[CM2]] : index
// CHECK: %[[S:.*]] = arith.addi %[[M]], %[[C9]] : index
// CHECK: tensor.extract %arg0[%[[I]], %[[S]]] : tensor<4x10xf32>
func.func @slice_negative_step(%x: tensor<4x10xf32>) -> tensor<4x5xf32> {
  %0 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 9>, steps = array<i64: -2>} : tensor<4x10xf32> -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// CHECK-LABEL: func.func @gather
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C100:.*]] = arith.constant 100 : index
// CHECK-DAG: %[[C99:.*]] = arith.constant 99 : index
// CHECK: linalg.generic {indexing_maps = [#[[$IDX2]], #{{.*}}]{{.*}} ins(%arg1 : tensor<2x5xi32>)
// CHECK: ^bb0(%[[IN:.*]]: i32, %{{.*}}: f32):
// CHECK: %[[K:.*]] = linalg.index 2 : index
// CHECK: %[[X:.*]] = arith.index_cast %[[IN]] : i32 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[X]], %[[C0]] : index
// CHECK: %[[W:.*]] = arith.addi %[[X]], %[[C100]] : index
// CHECK: %[[SEL:.*]] = arith.select %[[NEG]], %[[W]], %[[X]] : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[SEL]], %[[C0]] : index
// CHECK: %[[HI:.*]] = arith.minsi %[[LO]], %[[C99]] : index
// CHECK: tensor.extract %arg0[%[[HI]], %[[K]]] : tensor<100x16xf32>
func.func @gather(%t: tensor<100x16xf32>, %i: tensor<2x5xi32>) -> tensor<2x5x16xf32> {
  %0 = fuse.gather %t, %i {axis = 0 : i64} : (tensor<100x16xf32>, tensor<2x5xi32>) -> tensor<2x5x16xf32>
  return %0 : tensor<2x5x16xf32>
}

// CHECK-LABEL: func.func @gather_scalar_index
// CHECK: linalg.generic {indexing_maps = [#[[$IDX0]], #{{.*}}]{{.*}} ins(%arg1 : tensor<i64>)
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: arith.index_cast %{{.*}} : i64 to index
// CHECK: %[[J:.*]] = arith.minsi
// CHECK: tensor.extract %arg0[%[[I]], %[[J]]] : tensor<3x7xf32>
func.func @gather_scalar_index(%t: tensor<3x7xf32>, %i: tensor<i64>) -> tensor<3xf32> {
  %0 = fuse.gather %t, %i {axis = 1 : i64} : (tensor<3x7xf32>, tensor<i64>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// CHECK-LABEL: func.func @expand
// CHECK: linalg.generic {indexing_maps = [#[[$BCAST]], #{{.*}}]{{.*}} ins(%arg0 : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = fuse.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @pad_constant
// CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: tensor.pad %arg0 low[1, 2] high[0, 1]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<2x4xf32> to tensor<3x7xf32>
func.func @pad_constant(%x: tensor<2x4xf32>) -> tensor<3x7xf32> {
  %0 = fuse.pad %x {pads = array<i64: 1, 2, 0, 1>, value = 1.5 : f64} : tensor<2x4xf32> -> tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

// Negative pads crop first.
// CHECK-LABEL: func.func @pad_negative
// CHECK: %[[V:.*]] = arith.constant 0 : i64
// CHECK: %[[C:.*]] = tensor.extract_slice %arg0[1, 0] [2, 2] [1, 1] : tensor<3x4xi64> to tensor<2x2xi64>
// CHECK: tensor.pad %[[C]] low[0, 1] high[1, 0]
// CHECK: tensor.yield %[[V]] : i64
// CHECK: } : tensor<2x2xi64> to tensor<3x3xi64>
func.func @pad_negative(%x: tensor<3x4xi64>) -> tensor<3x3xi64> {
  %0 = fuse.pad %x {pads = array<i64: -1, 1, 1, -2>} : tensor<3x4xi64> -> tensor<3x3xi64>
  return %0 : tensor<3x3xi64>
}

// Reflect: periodic in 2 * (4 - 1) = 6, mirrored above 3.
// CHECK-LABEL: func.func @pad_reflect
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[CM1:.*]] = arith.constant -1 : index
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[S:.*]] = arith.addi %[[J]], %[[CM1]] : index
// CHECK: %[[R1:.*]] = arith.remsi %[[S]], %[[C6]] : index
// CHECK: %[[R2:.*]] = arith.addi %[[R1]], %[[C6]] : index
// CHECK: %[[M:.*]] = arith.remsi %[[R2]], %[[C6]] : index
// CHECK: %[[IN:.*]] = arith.cmpi slt, %[[M]], %[[C4]] : index
// CHECK: %[[MIR:.*]] = arith.subi %[[C6]], %[[M]] : index
// CHECK: %[[SRC:.*]] = arith.select %[[IN]], %[[M]], %[[MIR]] : index
// CHECK: tensor.extract %arg0[%[[I]], %[[SRC]]] : tensor<2x4xf32>
func.func @pad_reflect(%x: tensor<2x4xf32>) -> tensor<2x6xf32> {
  %0 = fuse.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = #fuse.pad_mode<reflect>} : tensor<2x4xf32> -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// CHECK-LABEL: func.func @pad_edge
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[CM2:.*]] = arith.constant -2 : index
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[S:.*]] = arith.addi %[[J]], %[[CM2]] : index
// CHECK: %[[LO:.*]] = arith.maxsi %[[S]], %[[C0]] : index
// CHECK: %[[HI:.*]] = arith.minsi %[[LO]], %[[C3]] : index
// CHECK: tensor.extract %arg0[%[[I]], %[[HI]]] : tensor<2x4xf32>
func.func @pad_edge(%x: tensor<2x4xf32>) -> tensor<2x7xf32> {
  %0 = fuse.pad %x {pads = array<i64: 0, 2, 0, 1>, mode = #fuse.pad_mode<edge>} : tensor<2x4xf32> -> tensor<2x7xf32>
  return %0 : tensor<2x7xf32>
}

// The PP-OCR form: x / 2, floored and clamped; unresized dims pass through.
// CHECK-LABEL: func.func @resize_nearest
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: linalg.generic
// CHECK: %[[N:.*]] = linalg.index 0 : index
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: %[[H:.*]] = linalg.index 2 : index
// CHECK: %[[HI:.*]] = arith.index_cast %[[H]] : index to i64
// CHECK: %[[HF:.*]] = arith.sitofp %[[HI]] : i64 to f32
// CHECK: %[[HS:.*]] = arith.divf %[[HF]], %[[TWO]] : f32
// CHECK: %[[HFL:.*]] = math.floor %[[HS]] : f32
// CHECK: arith.fptosi %[[HFL]] : f32 to i64
// CHECK: arith.maxsi %{{.*}}, %[[C0]] : index
// CHECK: %[[Y:.*]] = arith.minsi %{{.*}}, %[[C3]] : index
// CHECK: math.floor
// CHECK: %[[X:.*]] = arith.minsi %{{.*}}, %[[C3]] : index
// CHECK: %[[V:.*]] = tensor.extract %arg0[%[[N]], %[[C]], %[[Y]], %[[X]]] : tensor<1x8x4x4xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @resize_nearest(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32> {
  %0 = fuse.resize %x {scales = array<f32: 1.0, 1.0, 2.0, 2.0>, mode = #fuse.resize_mode<nearest>, coordinate_mode = #fuse.coordinate_mode<asymmetric>, nearest_mode = #fuse.nearest_mode<floor>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// half_pixel without scales: (x + 0.5) * in / out - 0.5; round_prefer_floor
// is ceil(x - 0.5).
// CHECK-LABEL: func.func @resize_nearest_half_pixel
// CHECK-DAG: %[[OUT:.*]] = arith.constant 5.000000e+00 : f32
// CHECK-DAG: %[[IN:.*]] = arith.constant 3.000000e+00 : f32
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: linalg.generic
// CHECK: %[[X:.*]] = arith.sitofp %{{.*}} : i64 to f32
// CHECK: %[[A:.*]] = arith.addf %[[X]], %[[HALF]] : f32
// CHECK: %[[B:.*]] = arith.mulf %[[A]], %[[IN]] : f32
// CHECK: %[[D:.*]] = arith.divf %[[B]], %[[OUT]] : f32
// CHECK: %[[S:.*]] = arith.subf %[[D]], %[[HALF]] : f32
// CHECK: %[[R:.*]] = arith.subf %[[S]], %[[HALF]] : f32
// CHECK: math.ceil %[[R]] : f32
// CHECK: math.ceil
// CHECK: tensor.extract %arg0[{{.*}}] : tensor<1x1x3x4xi64>
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield %{{.*}} : i64
func.func @resize_nearest_half_pixel(%x: tensor<1x1x3x4xi64>) -> tensor<1x1x5x7xi64> {
  %0 = fuse.resize %x {mode = #fuse.resize_mode<nearest>} : tensor<1x1x3x4xi64> -> tensor<1x1x5x7xi64>
  return %0 : tensor<1x1x5x7xi64>
}

// Bilinear over the two resized dims: 4 taps, computed in f32 for f16.
// CHECK-LABEL: func.func @resize_linear
// CHECK: linalg.generic
// CHECK-COUNT-2: math.floor
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK-NOT: tensor.extract
// CHECK: %[[T:.*]] = arith.truncf %{{.*}} : f32 to f16
// CHECK: linalg.yield %[[T]] : f16
func.func @resize_linear(%x: tensor<1x2x3x4xf16>) -> tensor<1x2x6x8xf16> {
  %0 = fuse.resize %x {mode = #fuse.resize_mode<linear>, coordinate_mode = #fuse.coordinate_mode<align_corners>} : tensor<1x2x3x4xf16> -> tensor<1x2x6x8xf16>
  return %0 : tensor<1x2x6x8xf16>
}

// Bicubic: 16 taps; exclude_outside zeroes and renormalizes the weights.
// CHECK-LABEL: func.func @resize_cubic
// CHECK: linalg.generic
// CHECK: arith.cmpi slt
// CHECK: arith.cmpi sge
// CHECK: arith.select
// CHECK: arith.divf
// CHECK-COUNT-16: tensor.extract %arg0
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield %{{.*}} : f32
func.func @resize_cubic(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x8x8xf32> {
  %0 = fuse.resize %x {mode = #fuse.resize_mode<cubic>, exclude_outside = true} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
  return %0 : tensor<1x1x8x8xf32>
}

// CHECK-LABEL: func.func @tile
// CHECK: %[[C3:.*]] = arith.constant 3 : index
// CHECK: linalg.generic
// CHECK: %[[I:.*]] = linalg.index 0 : index
// CHECK: %[[J:.*]] = linalg.index 1 : index
// CHECK: %[[R:.*]] = arith.remui %[[I]], %[[C3]] : index
// CHECK: tensor.extract %arg0[%[[R]], %[[J]]] : tensor<3x4xf32>
func.func @tile(%x: tensor<3x4xf32>) -> tensor<6x4xf32> {
  %0 = fuse.tile %x {repeats = array<i64: 2, 1>} : tensor<3x4xf32> -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// Near-misses: same-shape resize without scales, all-zero pads, unit
// repeats and a positive-step slice are plain forwards or one slice.
// CHECK-LABEL: func.func @near_miss
// CHECK-NOT: linalg
// CHECK-NOT: tensor.pad
// CHECK: return %arg0, %arg0, %arg0
func.func @near_miss(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %0 = fuse.resize %x {mode = #fuse.resize_mode<linear>} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
  %1 = fuse.pad %0 {pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0>, mode = #fuse.pad_mode<reflect>} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
  %2 = fuse.tile %1 {repeats = array<i64: 1, 1, 1, 1>} : tensor<1x1x4x4xf32> -> tensor<1x1x4x4xf32>
  return %0, %1, %2 : tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}
