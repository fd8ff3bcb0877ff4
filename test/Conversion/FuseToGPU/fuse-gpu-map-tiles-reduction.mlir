// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),canonicalize)' | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s --check-prefix=PTX
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// PTXAS-COUNT-10: ptxas ok
//
// Numerics: the kernels run on the CPU (Inputs/simulate_reduction.py:
// lock-step threads, gpu.shuffle as shfl.sync.bfly, masked divergent loops)
// against numpy, with the tuner's choices, with 3 warps per block
// (row_per_warp, rows not a multiple of the warps) and with row_per_block
// of 3 warps; --nan puts a NaN in the first row and an inf at the end,
// --ints gives small integers (ties for arg_max).
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic > %t.tuned
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=row_per_warp:warps=3,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic > %t.warps
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=row_per_block:threads=96,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic > %t.block
// RUN: %python %S/Inputs/simulate_reduction.py --func softmax --expr "softmax(a)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func softmax --nan --expr "softmax(a)" < %t.tuned | FileCheck %s --check-prefix=SIMNAN
// RUN: %python %S/Inputs/simulate_reduction.py --func softmax_short --expr "softmax(a)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func log_softmax --expr "log_softmax(a)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func layer_norm --expr "layer_norm(a, b, c)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func reduce_sum --expr "a.sum(-1)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func reduce_max --nan --expr "a.max(-1)" < %t.tuned | FileCheck %s --check-prefix=SIMNAN
// RUN: %python %S/Inputs/simulate_reduction.py --func arg_max --ints --expr "argmax(a, -1)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func arg_max --nan --expr "nanargmax(a, -1)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func column_sum --expr "a.sum(0)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func softmax_short --expr "softmax(a)" < %t.warps | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func layer_norm --expr "layer_norm(a, b, c)" < %t.warps | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func arg_max --ints --expr "argmax(a, -1)" < %t.warps | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func softmax --nan --expr "softmax(a)" < %t.block | FileCheck %s --check-prefix=SIMNAN
// RUN: %python %S/Inputs/simulate_reduction.py --func layer_norm --expr "layer_norm(a, b, c)" < %t.block | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func reduce_sum --expr "a.sum(-1)" < %t.block | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func arg_max --ints --expr "argmax(a, -1)" < %t.block | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func reduce_max --nan --expr "a.max(-1)" < %t.block | FileCheck %s --check-prefix=SIMNAN
// RUN: %python %S/Inputs/simulate_reduction.py --func softmax_f16 --tol 1.5e-6 --expr "softmax(a)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func layer_norm_f16 --tol 6e-4 --expr "layer_norm(a, b, c)" < %t.tuned | FileCheck %s --check-prefix=SIM
// SIM: ok: {{.*}}, 1 launches
// SIMNAN: ok: {{.*}} (tolerance {{.*}}), {{[1-9][0-9]*}} NaN, {{.*}}1 launches
//
// Row reductions of row_per_warp / row_per_block tiles reduce with warp
// shuffles (RowReduction.cpp): a warp per row, lanes strided over the row,
// 5 xor butterfly steps, lane 0 stores the row's result.

// Softmax (tuner: row_per_warp): the max and the sum of exponentials are
// each a row loop over the warps with a lane loop and a butterfly of
// maximumf (NaN propagates, as on the CPU path) and of addf.
// CHECK-LABEL: func.func @softmax(
// CHECK: gpu.launch
// CHECK: %[[LANE:.*]] = arith.remui %{{.*}}, %c32 : index
// CHECK: %[[WARP:.*]] = arith.divui %{{.*}}, %c32 : index
// CHECK: scf.for %[[ROW:.*]] = %[[WARP]] to
// CHECK: scf.for %{{.*}} = %[[LANE]] to %c256 step %c32 iter_args
// CHECK: arith.maximumf
// CHECK: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK: arith.maximumf
// CHECK: gpu.shuffle  xor %{{.*}}, %c8_i32, %c32_i32 : i32
// CHECK: gpu.shuffle  xor %{{.*}}, %c4_i32, %c32_i32 : i32
// CHECK: gpu.shuffle  xor %{{.*}}, %c2_i32, %c32_i32 : i32
// CHECK: gpu.shuffle  xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK: arith.maximumf
// CHECK: scf.if
// CHECK: memref.store
// CHECK: gpu.barrier
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK: arith.addf
// CHECK: gpu.barrier
// CHECK: arith.divf
// CHECK: fuse.tile = #fuse.tile<"row_per_warp"
// PTX-LABEL: func.func @softmax(
// PTX: shfl.sync.bfly.b32
// PTX-SAME: max.NaN.f32
// PTX-SAME: shfl.sync.bfly.b32
// PTX-SAME: ex2.approx
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %s = fuse.softmax %x {axis = 1 : i64} : tensor<64x256xf32>
  return %s : tensor<64x256xf32>
}

// -----

// Rows shorter than a warp (20): lanes 20..31 keep their start values.
// CHECK-LABEL: func.func @softmax_short(
// CHECK: scf.for %{{.*}} = %{{.*}} to %c20 step %c32 iter_args
// CHECK: gpu.shuffle  xor
func.func @softmax_short(%x: tensor<6x20xf32>) -> tensor<6x20xf32> {
  %s = fuse.softmax %x {axis = 1 : i64} : tensor<6x20xf32>
  return %s : tensor<6x20xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax(
// CHECK: gpu.shuffle  xor
// CHECK: math.log
func.func @log_softmax(%x: tensor<10x77xf32>) -> tensor<10x77xf32> {
  %s = fuse.log_softmax %x {axis = 1 : i64} : tensor<10x77xf32>
  return %s : tensor<10x77xf32>
}

// -----

// layer_norm: the sum and the centered sum of squares with shuffles; the
// mean and the normalization stay elementwise thread loops.
// CHECK-LABEL: func.func @layer_norm(
// CHECK: gpu.shuffle  xor
// CHECK: gpu.barrier
// CHECK: arith.divf
// CHECK: gpu.barrier
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: gpu.shuffle  xor
// CHECK: gpu.barrier
// CHECK: math.sqrt
// PTX-LABEL: func.func @layer_norm(
// PTX: shfl.sync.bfly.b32
// PTX-SAME: sqrt.{{[a-z]+}}.f32
func.func @layer_norm(%x: tensor<16x200xf32>, %g: tensor<200xf32>, %b: tensor<200xf32>) -> tensor<16x200xf32> {
  %y = fuse.layer_norm %x scale %g bias %b {axis = 1 : i64} : (tensor<16x200xf32>, tensor<200xf32>, tensor<200xf32>) -> tensor<16x200xf32>
  return %y : tensor<16x200xf32>
}

// -----

// A sum over the innermost of 3 dims: 15 rows (two parallel dims).
// CHECK-LABEL: func.func @reduce_sum(
// CHECK: arith.constant -0.000000e+00 : f32
// CHECK: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK: arith.addf
// PTX-LABEL: func.func @reduce_sum(
// PTX: shfl.sync.bfly.b32
func.func @reduce_sum(%x: tensor<5x3x45xf32>) -> tensor<5x3xf32> {
  %r = fuse.reduce sum %x {axes = array<i64: 2>, keepdims = false} : tensor<5x3x45xf32> -> tensor<5x3xf32>
  return %r : tensor<5x3xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_max(
// CHECK: gpu.shuffle  xor
// CHECK: arith.maximumf
func.func @reduce_max(%x: tensor<9x33xf32>) -> tensor<9xf32> {
  %r = fuse.reduce max %x {axes = array<i64: 1>, keepdims = false} : tensor<9x33xf32> -> tensor<9xf32>
  return %r : tensor<9xf32>
}

// -----

// arg_max: (value, index) pairs; the i64 index in two 32-bit shuffles; the
// better value wins (ogt, as the payload), ties the lower index.
// CHECK-LABEL: func.func @arg_max(
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (f32, i64)
// CHECK: arith.cmpf ogt
// CHECK: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK: arith.trunci %{{.*}} : i64 to i32
// CHECK: arith.shrui
// CHECK: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpi slt
// CHECK: fuse.tile = #fuse.tile<"row_per_warp"
// PTX-LABEL: func.func @arg_max(
// PTX: shfl.sync.bfly.b32
func.func @arg_max(%x: tensor<12x70xf32>) -> tensor<12xi64> {
  %r = fuse.arg_max %x {axis = 1 : i64, keepdims = false} : tensor<12x70xf32> -> tensor<12xi64>
  return %r : tensor<12xi64>
}

// -----

// Near-miss: a reduction over the outer dim (the tuner still says
// row_per_warp): one thread per column, reading rows coalesced; no
// shuffles.
// CHECK-LABEL: func.func @column_sum(
// CHECK: gpu.launch
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: gpu.shuffle
// CHECK: fuse.tile = #fuse.tile<"row_per_warp"
// PTX-LABEL: func.func @column_sum(
// PTX-NOT: shfl.sync
func.func @column_sum(%x: tensor<64x48xf32>) -> tensor<48xf32> {
  %r = fuse.reduce sum %x {axes = array<i64: 0>, keepdims = false} : tensor<64x48xf32> -> tensor<48xf32>
  return %r : tensor<48xf32>
}

// -----

// f16 softmax: the max stays f16 (exact), the sum of exponentials is an
// f32 row fold (f32 shuffles) and the normalization runs in f32, rounded
// once (fuse-tile lowers reductions with wide accumulation). The
// simulator's tolerances (1.5e-6 here, 6e-4 relative for layer_norm) sit
// between the errors of f32 folds (9.4e-7, 3.7e-4) and of f16 folds
// (2.0e-6, 9.9e-4) on these seeded inputs.
// CHECK-LABEL: func.func @softmax_f16(
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: math.exp %{{.*}} : f32
// CHECK: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: arith.divf %{{.*}}, %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: fuse.tile = #fuse.tile<"row_per
// PTX-LABEL: func.func @softmax_f16(
// PTX: shfl.sync.bfly.b32
// PTX-SAME: cvt.rn.f16.f32
func.func @softmax_f16(%x: tensor<8x2048xf16>) -> tensor<8x2048xf16> {
  %y = fuse.softmax %x {axis = 1 : i64} : tensor<8x2048xf16>
  return %y : tensor<8x2048xf16>
}

// -----

// f16 layer_norm: the moments are f32 row folds; the normalization (with
// the f16 scale and bias extended) is f32, rounded once.
// CHECK-LABEL: func.func @layer_norm_f16(
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: gpu.shuffle  xor
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: gpu.shuffle  xor
// CHECK: math.sqrt %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// PTX-LABEL: func.func @layer_norm_f16(
// PTX: shfl.sync.bfly.b32
func.func @layer_norm_f16(%x: tensor<16x2048xf16>, %g: tensor<2048xf16>, %b: tensor<2048xf16>) -> tensor<16x2048xf16> {
  %y = fuse.layer_norm %x scale %g bias %b {axis = 1 : i64} : (tensor<16x2048xf16>, tensor<2048xf16>, tensor<2048xf16>) -> tensor<16x2048xf16>
  return %y : tensor<16x2048xf16>
}
