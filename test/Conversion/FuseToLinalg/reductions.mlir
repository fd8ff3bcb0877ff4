// RUN: fuse-opt %s --split-input-file --verify-diagnostics --fuse-to-linalg | FileCheck %s

// CHECK-DAG: #[[$ID3:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$D0_OF3:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[$D0D2:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$D2_OF3:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[$D1D2:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d1, d2)>

// Reduced dims are reduction iterators; keepdims expands the kept-dims result.
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$D0_OF3]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0 : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<2xf32>)
// CHECK:           arith.addf %{{.*}}, %{{.*}} : f32
// CHECK:         %[[EXP:.*]] = tensor.expand_shape %[[SUM]] {{\[\[}}0, 1, 2]] output_shape [2, 1, 1] : tensor<2xf32> into tensor<2x1x1xf32>
// CHECK:         return %[[EXP]]
func.func @reduce_sum_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x1xf32> {
  %y = fuse.reduce sum %x {axes = array<i64: 1, 2>} : tensor<2x3x4xf32> -> tensor<2x1x1xf32>
  return %y : tensor<2x1x1xf32>
}

// Empty axes reduce everything; mean divides by the element count.
// CHECK-LABEL: func.func @reduce_mean_all
// CHECK-DAG:     %[[COUNT:.*]] = arith.constant 6.000000e+00 : f32
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%arg0 : tensor<2x3xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK:         linalg.generic
// CHECK:           arith.divf %{{.*}}, %[[COUNT]] : f32
// CHECK-NOT:     tensor.expand_shape
func.func @reduce_mean_all(%x: tensor<2x3xf32>) -> tensor<f32> {
  %y = fuse.reduce mean %x {keepdims = false} : tensor<2x3xf32> -> tensor<f32>
  return %y : tensor<f32>
}

// CHECK-LABEL: func.func @reduce_mean_i32
// CHECK:         arith.addi
// CHECK:         arith.divsi %{{.*}}, %{{.*}} : i32
func.func @reduce_mean_i32(%x: tensor<4x5xi32>) -> tensor<4xi32> {
  %y = fuse.reduce mean %x {axes = array<i64: 1>, keepdims = false} : tensor<4x5xi32> -> tensor<4xi32>
  return %y : tensor<4xi32>
}

// CHECK-LABEL: func.func @reduce_max
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFC00 : f16
// CHECK:         linalg.fill ins(%[[NEG_INF]] : f16)
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK:           arith.maximumf
// CHECK:         tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 3]
func.func @reduce_max(%x: tensor<2x3xf16>) -> tensor<1x3xf16> {
  %y = fuse.reduce max %x {axes = array<i64: 0>} : tensor<2x3xf16> -> tensor<1x3xf16>
  return %y : tensor<1x3xf16>
}

// CHECK-LABEL: func.func @reduce_min_i64
// CHECK:         %[[HIGHEST:.*]] = arith.constant 9223372036854775807 : i64
// CHECK:         linalg.fill ins(%[[HIGHEST]] : i64)
// CHECK:           arith.minsi
func.func @reduce_min_i64(%x: tensor<2x3xi64>) -> tensor<2xi64> {
  %y = fuse.reduce min %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xi64> -> tensor<2xi64>
  return %y : tensor<2xi64>
}

// CHECK-LABEL: func.func @reduce_prod
// CHECK:         %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         linalg.fill ins(%[[ONE]] : f32)
// CHECK:           arith.mulf %{{.*}}, %{{.*}} : f32
func.func @reduce_prod(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %y = fuse.reduce prod %x {axes = array<i64: 1>} : tensor<2x3xf32> -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// CHECK-LABEL: func.func @reduce_l1
// CHECK:           %[[ABS:.*]] = math.absf %{{.*}} : f32
// CHECK:           arith.addf %{{.*}}, %[[ABS]] : f32
func.func @reduce_l1(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %y = fuse.reduce l1 %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// CHECK-LABEL: func.func @reduce_l2
// CHECK:           %[[SQ:.*]] = arith.mulf %[[X:.*]], %[[X]] : f32
// CHECK:           arith.addf %{{.*}}, %[[SQ]] : f32
// CHECK:         linalg.generic
// CHECK:           math.sqrt
func.func @reduce_l2(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %y = fuse.reduce l2 %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// CHECK-LABEL: func.func @reduce_log_sum
// CHECK:           arith.addf
// CHECK:         linalg.generic
// CHECK:           math.log
func.func @reduce_log_sum(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %y = fuse.reduce log_sum %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// max, then sum(exp(x - max)) with an infinite max replaced by 0, then
// log(sum) + max.
// CHECK-LABEL: func.func @reduce_log_sum_exp
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK:         %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK:           arith.maximumf
// CHECK:         %[[SHIFT:.*]] = linalg.generic {{.*}} ins(%[[MAX]] : tensor<2xf32>)
// CHECK:           %[[ABS:.*]] = math.absf %[[M:.*]] : f32
// CHECK:           %[[ISINF:.*]] = arith.cmpf oeq, %[[ABS]], %[[INF]] : f32
// CHECK:           arith.select %[[ISINF]], %[[ZERO]], %[[M]] : f32
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%arg0, %[[SHIFT]] :
// CHECK:           arith.subf
// CHECK:           math.exp
// CHECK:         linalg.generic {{.*}} ins(%[[SUM]], %[[SHIFT]] :
// CHECK:           %[[LOG:.*]] = math.log
// CHECK:           arith.addf %[[LOG]], %{{.*}} : f32
func.func @reduce_log_sum_exp(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %y = fuse.reduce log_sum_exp %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// CHECK-LABEL: func.func @reduce_sum_square
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK:           %[[SQ:.*]] = arith.mulf %[[X:.*]], %[[X]] : f32
// CHECK:           arith.addf %{{.*}}, %[[SQ]] : f32
// CHECK-NOT:     math.sqrt
func.func @reduce_sum_square(%x: tensor<2x3xf32>) -> tensor<3xf32> {
  %y = fuse.reduce sum_square %x {axes = array<i64: 0>, keepdims = false} : tensor<2x3xf32> -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// A middle axis: max and sum reduce dim 1 only; exp(x - max) / sum.
// CHECK-LABEL: func.func @softmax
// CHECK:         %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$D0D2]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0 : tensor<2x5x3xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$D0D2]], #[[$D0D2]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0, %[[MAX]] :
// CHECK:           math.exp
// CHECK:         linalg.generic {indexing_maps = [#[[$ID3]], #[[$D0D2]], #[[$D0D2]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MAX]], %[[SUM]] :
// CHECK:           %[[SHIFTED:.*]] = arith.subf
// CHECK:           %[[E:.*]] = math.exp %[[SHIFTED]]
// CHECK:           arith.divf %[[E]], %{{.*}} : f32
func.func @softmax(%x: tensor<2x5x3xf32>) -> tensor<2x5x3xf32> {
  %y = fuse.softmax %x {axis = 1 : i64} : tensor<2x5x3xf32>
  return %y : tensor<2x5x3xf32>
}

// CHECK-LABEL: func.func @log_softmax
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK:           arith.maximumf
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK:           math.exp
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]}
// CHECK:           %[[SHIFTED:.*]] = arith.subf
// CHECK:           %[[LOG:.*]] = math.log
// CHECK:           arith.subf %[[SHIFTED]], %[[LOG]] : f32
func.func @log_softmax(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %y = fuse.log_softmax %x {axis = 1 : i64} : tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}

// Mean and variance over dims 1..2 (12 elements); scale [4] and bias [3, 4]
// broadcast right-aligned.
// CHECK-LABEL: func.func @layer_norm
// CHECK-DAG:     %[[EPS:.*]] = arith.constant 1.000000e-01 : f32
// CHECK-DAG:     %[[N:.*]] = arith.constant 1.200000e+01 : f32
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0 :
// CHECK:         %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] :
// CHECK:           arith.divf %{{.*}}, %[[N]]
// CHECK:         %[[SQ:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction"]} ins(%arg0, %[[MEAN]] :
// CHECK:         linalg.generic {indexing_maps = [#[[$ID3]], #[[$D0_OF3]], #[[$D0_OF3]], #[[$D2_OF3]], #[[$D1D2]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MEAN]], %[[SQ]], %arg1, %arg2 :
// CHECK:           %[[VAR:.*]] = arith.divf %{{.*}}, %[[N]] : f32
// CHECK:           %[[VAREPS:.*]] = arith.addf %[[VAR]], %[[EPS]] : f32
// CHECK:           %[[STD:.*]] = math.sqrt %[[VAREPS]] : f32
// CHECK:           %[[CENTERED:.*]] = arith.subf
// CHECK:           %[[NORM:.*]] = arith.divf %[[CENTERED]], %[[STD]] : f32
// CHECK:           %[[SCALED:.*]] = arith.mulf %[[NORM]], %{{.*}} : f32
// CHECK:           arith.addf %[[SCALED]], %{{.*}} : f32
func.func @layer_norm(%x: tensor<2x3x4xf32>, %g: tensor<4xf32>, %b: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
  %y = fuse.layer_norm %x scale %g bias %b {axis = 1 : i64, epsilon = 1.000000e-01 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @layer_norm_plain
// CHECK:         %[[NORM:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT:    linalg.yield %[[NORM]] : f32
func.func @layer_norm_plain(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %y = fuse.layer_norm %x {axis = 1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// One parallel generic; the per-channel vectors read dim 1.
// CHECK-LABEL: func.func @batch_norm
// CHECK:         linalg.generic {indexing_maps = [#[[$ID4:.*]], #[[$CHANNEL:.*]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %arg1, %arg2, %arg3, %arg4 :
// CHECK:           math.sqrt
// CHECK:           arith.subf
// CHECK:           arith.divf
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @batch_norm(%x: tensor<1x3x2x2xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<1x3x2x2xf32> {
  %y = fuse.batch_norm %x, %s, %b, %m, %v {epsilon = 1.000000e-03 : f32} : (tensor<1x3x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3x2x2xf32>
  return %y : tensor<1x3x2x2xf32>
}

// -----

// Near miss: l2 on integers is valid IR but has no integer lowering; the
// pass reports it instead of producing a wrong sqrt.
func.func @reduce_l2_integer(%x: tensor<2x3xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{no lowering to linalg for 'fuse.reduce'}}
  %y = fuse.reduce l2 %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xi32> -> tensor<2xi32>
  return %y : tensor<2xi32>
}
