// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-map-tiles),canonicalize)' | FileCheck %s
// The simulator runs the positive cases against numpy:
// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic > %t
// RUN: %python %S/Inputs/simulate_reduction.py --func maxnum --nan --expr "np.fmax(np.nanmax(a, -1), -1.0)" < %t | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func addi --ints --expr "a.sum(-1)" < %t | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func mulf_f16 --tol 2e-3 --expr "np.prod(a * 0.25 + 1.0, -1)" < %t | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func block_sum --expr "a.sum(-1)" < %t | FileCheck %s --check-prefix=SIM
// SIM: ok:
//
// The payload forms of a row reduction (RowReduction.cpp) at the level of
// fuse-gpu-map-tiles: the tile loops as fuse-tile + bufferization leave them.

// maxnumf (NaN-ignoring max): the partial results combine with maxnumf too,
// as on the CPU path; every lane starts from the output's value (idempotent).
// CHECK-LABEL: func.func @maxnum(
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c64, {{.*}} = %c1, {{.*}} = %c1)
// CHECK: scf.for {{.*}} iter_args
// CHECK: arith.maxnumf
// CHECK: gpu.shuffle  xor {{.*}}, %c16_i32, %c32_i32 : i32
// CHECK-NEXT: arith.bitcast
// CHECK-NEXT: arith.maxnumf
// CHECK: gpu.shuffle  xor {{.*}}, %c1_i32, %c32_i32 : i32
// CHECK-NEXT: arith.bitcast
// CHECK-NEXT: arith.maxnumf
// CHECK-NOT: arith.maximumf
// CHECK: gpu.terminator
func.func @maxnum(%x: memref<6x40xf32>) -> memref<6xf32> {
  %init = arith.constant -1.0 : f32
  %out = memref.alloc() : memref<6xf32>
  scf.forall (%i) = (0) to (6) step (2) {
    %in = memref.subview %x[%i, 0] [2, 40] [1, 1] : memref<6x40xf32> to memref<2x40xf32, strided<[40, 1], offset: ?>>
    %o = memref.subview %out[%i] [2] [1] : memref<6xf32> to memref<2xf32, strided<[1], offset: ?>>
    linalg.fill ins(%init : f32) outs(%o : memref<2xf32, strided<[1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%in : memref<2x40xf32, strided<[40, 1], offset: ?>>) outs(%o : memref<2xf32, strided<[1], offset: ?>>) {
    ^bb0(%a: f32, %acc: f32):
      %m = arith.maxnumf %acc, %a : f32
      linalg.yield %m : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"row_per_warp", {vector = 1 : i64, warps = 2 : i64}>, mapping = [#gpu.block<x>]}
  return %out : memref<6xf32>
}

// -----

// addi on i32 (no bitcast); not idempotent: lane 0 starts from the output,
// the other lanes from 0.
// CHECK-LABEL: func.func @addi(
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: gpu.launch
// CHECK: %[[FIRST:.*]] = arith.cmpi eq
// CHECK: %[[INIT:.*]] = memref.load
// CHECK: arith.select %[[FIRST]], %[[INIT]], %[[ZERO]] : i32
// CHECK: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK-NEXT: arith.addi
func.func @addi(%x: memref<3x50xi32>) -> memref<3xi32> {
  %zero = arith.constant 0 : i32
  %out = memref.alloc() : memref<3xi32>
  scf.forall (%i) = (0) to (3) step (1) {
    %in = memref.subview %x[%i, 0] [1, 50] [1, 1] : memref<3x50xi32> to memref<1x50xi32, strided<[50, 1], offset: ?>>
    %o = memref.subview %out[%i] [1] [1] : memref<3xi32> to memref<1xi32, strided<[1], offset: ?>>
    linalg.fill ins(%zero : i32) outs(%o : memref<1xi32, strided<[1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%in : memref<1x50xi32, strided<[50, 1], offset: ?>>) outs(%o : memref<1xi32, strided<[1], offset: ?>>) {
    ^bb0(%a: i32, %acc: i32):
      %s = arith.addi %a, %acc : i32
      linalg.yield %s : i32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"row_per_warp", {vector = 1 : i64, warps = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %out : memref<3xi32>
}

// -----

// mulf on f16: 16-bit values travel in the low half of a 32-bit shuffle;
// the identity of the other lanes is 1.0.
// CHECK-LABEL: func.func @mulf_f16(
// CHECK: arith.constant 1.000000e+00 : f16
// CHECK: gpu.launch
// CHECK: arith.bitcast %{{.*}} : f16 to i16
// CHECK-NEXT: arith.extui %{{.*}} : i16 to i32
// CHECK-NEXT: gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK-NEXT: arith.trunci %{{.*}} : i32 to i16
// CHECK-NEXT: arith.bitcast %{{.*}} : i16 to f16
// CHECK-NEXT: arith.mulf
func.func @mulf_f16(%x: memref<4x24xf16>) -> memref<4xf16> {
  %one = arith.constant 1.0 : f16
  %q = arith.constant 0.25 : f16
  %out = memref.alloc() : memref<4xf16>
  scf.forall (%i) = (0) to (4) step (4) {
    %in = memref.subview %x[%i, 0] [4, 24] [1, 1] : memref<4x24xf16> to memref<4x24xf16, strided<[24, 1], offset: ?>>
    %o = memref.subview %out[%i] [4] [1] : memref<4xf16> to memref<4xf16, strided<[1], offset: ?>>
    linalg.fill ins(%one : f16) outs(%o : memref<4xf16, strided<[1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%in : memref<4x24xf16, strided<[24, 1], offset: ?>>) outs(%o : memref<4xf16, strided<[1], offset: ?>>) {
    ^bb0(%a: f16, %acc: f16):
      %s = arith.mulf %a, %q : f16
      %t = arith.addf %s, %one : f16
      %p = arith.mulf %acc, %t : f16
      linalg.yield %p : f16
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"row_per_warp", {vector = 1 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return %out : memref<4xf16>
}

// -----

// row_per_block with 3 warps: a warp butterfly, the warps' partial sums
// through a workgroup buffer of 3 floats between barriers, 2 more butterfly
// steps (lanes past the warps hold -0.0), thread 0 stores.
// CHECK-LABEL: func.func @block_sum(
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c96, {{.*}} = %c1, {{.*}} = %c1) workgroup({{.*}}, %[[PART:.*]] : memref<3xf32, #gpu.address_space<workgroup>>)
// CHECK: gpu.shuffle  xor {{.*}}, %c1_i32, %c32_i32
// CHECK: memref.store %{{.*}}, %[[PART]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[PART]]
// CHECK: gpu.shuffle  xor {{.*}}, %c2_i32, %c32_i32
// CHECK: gpu.shuffle  xor {{.*}}, %c1_i32, %c32_i32
// CHECK: gpu.barrier
func.func @block_sum(%x: memref<2x1000xf32>) -> memref<2xf32> {
  %zero = arith.constant 0.0 : f32
  %out = memref.alloc() : memref<2xf32>
  scf.forall (%i) = (0) to (2) step (1) {
    %in = memref.subview %x[%i, 0] [1, 1000] [1, 1] : memref<2x1000xf32> to memref<1x1000xf32, strided<[1000, 1], offset: ?>>
    %acc = memref.alloc() : memref<1xf32>
    linalg.fill ins(%zero : f32) outs(%acc : memref<1xf32>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%in : memref<1x1000xf32, strided<[1000, 1], offset: ?>>) outs(%acc : memref<1xf32>) {
    ^bb0(%a: f32, %s: f32):
      %t = arith.addf %s, %a : f32
      linalg.yield %t : f32
    }
    %o = memref.subview %out[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
    memref.copy %acc, %o : memref<1xf32> to memref<1xf32, strided<[1], offset: ?>>
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"row_per_block", {threads = 96 : i64, vector = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %out : memref<2xf32>
}

// -----

// Near-miss: the same reduction in an elementwise tile: one thread per
// output element, a sequential loop, no shuffles.
// CHECK-LABEL: func.func @elementwise_tile(
// CHECK: gpu.launch
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: gpu.shuffle
// CHECK: gpu.terminator
func.func @elementwise_tile(%x: memref<8x40xf32>) -> memref<8xf32> {
  %zero = arith.constant 0.0 : f32
  %out = memref.alloc() : memref<8xf32>
  scf.forall (%i) = (0) to (8) step (8) {
    %in = memref.subview %x[%i, 0] [8, 40] [1, 1] : memref<8x40xf32> to memref<8x40xf32, strided<[40, 1], offset: ?>>
    %o = memref.subview %out[%i] [8] [1] : memref<8xf32> to memref<8xf32, strided<[1], offset: ?>>
    linalg.fill ins(%zero : f32) outs(%o : memref<8xf32, strided<[1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%in : memref<8x40xf32, strided<[40, 1], offset: ?>>) outs(%o : memref<8xf32, strided<[1], offset: ?>>) {
    ^bb0(%a: f32, %s: f32):
      %t = arith.addf %s, %a : f32
      linalg.yield %t : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 256 : i64, vector = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %out : memref<8xf32>
}

// -----

// Near-miss: the accumulator used twice (acc * x + acc is no fold of
// independent contributions): the sequential loop.
// CHECK-LABEL: func.func @not_a_fold(
// CHECK: gpu.launch
// CHECK: scf.for {{.*}} iter_args
// CHECK-NOT: gpu.shuffle
// CHECK: gpu.terminator
func.func @not_a_fold(%x: memref<8x40xf32>) -> memref<8xf32> {
  %zero = arith.constant 0.0 : f32
  %out = memref.alloc() : memref<8xf32>
  scf.forall (%i) = (0) to (8) step (8) {
    %in = memref.subview %x[%i, 0] [8, 40] [1, 1] : memref<8x40xf32> to memref<8x40xf32, strided<[40, 1], offset: ?>>
    %o = memref.subview %out[%i] [8] [1] : memref<8xf32> to memref<8xf32, strided<[1], offset: ?>>
    linalg.fill ins(%zero : f32) outs(%o : memref<8xf32, strided<[1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%in : memref<8x40xf32, strided<[40, 1], offset: ?>>) outs(%o : memref<8xf32, strided<[1], offset: ?>>) {
    ^bb0(%a: f32, %s: f32):
      %m = arith.mulf %s, %a : f32
      %t = arith.addf %m, %s : f32
      linalg.yield %t : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"row_per_warp", {vector = 1 : i64, warps = 8 : i64}>, mapping = [#gpu.block<x>]}
  return %out : memref<8xf32>
}

// -----

// Near-miss: row_per_block with a block that is not a whole number of
// warps (48 threads): the sequential loop.
// CHECK-LABEL: func.func @partial_warp_block(
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c48,
// CHECK-NOT: gpu.shuffle
// CHECK: gpu.terminator
func.func @partial_warp_block(%x: memref<2x100xf32>) -> memref<2xf32> {
  %zero = arith.constant 0.0 : f32
  %out = memref.alloc() : memref<2xf32>
  scf.forall (%i) = (0) to (2) step (1) {
    %in = memref.subview %x[%i, 0] [1, 100] [1, 1] : memref<2x100xf32> to memref<1x100xf32, strided<[100, 1], offset: ?>>
    %o = memref.subview %out[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
    linalg.fill ins(%zero : f32) outs(%o : memref<1xf32, strided<[1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%in : memref<1x100xf32, strided<[100, 1], offset: ?>>) outs(%o : memref<1xf32, strided<[1], offset: ?>>) {
    ^bb0(%a: f32, %s: f32):
      %t = arith.addf %s, %a : f32
      linalg.yield %t : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"row_per_block", {threads = 48 : i64, vector = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %out : memref<2xf32>
}
