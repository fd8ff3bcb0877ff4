// RUN: fuse-opt %s --fuse-to-linalg --split-input-file | FileCheck %s

// Broadcasting: the size-1 dim and the missing leading dim read index 0 /
// nothing; the body is the scalar op.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @broadcast_add
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK: arith.addf
// CHECK-NOT: fuse.
func.func @broadcast_add(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = fuse.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @integer_mod
// CHECK: linalg.generic {indexing_maps = [#[[$COL]],
// CHECK: %[[REM:.*]] = arith.remsi
// CHECK: arith.cmpi slt, %{{.*}}, %{{.*}} : i64
// CHECK: %[[SUM:.*]] = arith.addi %[[REM]]
// CHECK: arith.select %{{.*}}, %[[SUM]], %[[REM]] : i64
func.func @integer_mod(%a: tensor<2x1xi64>, %b: tensor<4xi64>) -> tensor<2x4xi64> {
  %0 = fuse.mod %a, %b : (tensor<2x1xi64>, tensor<4xi64>) -> tensor<2x4xi64>
  return %0 : tensor<2x4xi64>
}

// -----

// fmod = true is the plain remainder (the near-miss of the case above).
// CHECK-LABEL: func.func @float_fmod
// CHECK: arith.remf
// CHECK-NOT: arith.select
func.func @float_fmod(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = fuse.mod %a, %b {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.cmpf une
// CHECK: arith.uitofp %{{.*}} : i1 to f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @casts(%a: tensor<4xf32>, %h: tensor<4xf16>) -> (tensor<4xi32>, tensor<4xf16>, tensor<4xbf16>) {
  %0 = fuse.cast %a : tensor<4xf32> -> tensor<4xi32>
  %1 = fuse.cast %a : tensor<4xf32> -> tensor<4xi1>
  %2 = fuse.cast %1 : tensor<4xi1> -> tensor<4xf16>
  %3 = fuse.cast %h : tensor<4xf16> -> tensor<4xf32>
  %4 = fuse.cast %3 : tensor<4xf32> -> tensor<4xbf16>
  return %0, %2, %4 : tensor<4xi32>, tensor<4xf16>, tensor<4xbf16>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: math.erf
// CHECK: math.tanh
// CHECK: math.exp
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: math.roundeven
func.func @activations(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = fuse.gelu %x : tensor<8xf32>
  %1 = fuse.gelu %0 {approximate = #fuse.gelu_approximation<tanh>} : tensor<8xf32>
  %2 = fuse.silu %1 : tensor<8xf32>
  %3 = fuse.hard_swish %2 : tensor<8xf32>
  %4 = fuse.round %3 : tensor<8xf32>
  return %4 : tensor<8xf32>
}

// -----

// Integer clip bounds are clamped into the type's range.
// CHECK-LABEL: func.func @int_clip
// CHECK-DAG: arith.constant 0 : i32
// CHECK-DAG: arith.constant 2147483647 : i32
// CHECK: arith.maxsi
// CHECK: arith.minsi
func.func @int_clip(%x: tensor<8xi32>) -> tensor<8xi32> {
  %0 = fuse.clip %x {min = 0.0 : f64} : tensor<8xi32>
  return %0 : tensor<8xi32>
}

// -----

// Groups are inlined; constants (dense and dense_resource) become
// arith.constant.
// CHECK-LABEL: func.func @group_and_constants
// CHECK-NOT: fuse.group
// CHECK-DAG: arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-DAG: arith.constant dense_resource<w> : tensor<4xf32>
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK-NOT: fuse.
func.func @group_and_constants(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = fuse.constant dense<1.0> : tensor<4xf32>
  %w = fuse.constant dense_resource<w> : tensor<4xf32>
  %0 = fuse.group(%x, %c, %w) : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>, %b: tensor<4xf32>, %d: tensor<4xf32>):
    %m = fuse.mul %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    %s = fuse.add %m, %d : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    fuse.yield %s : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
