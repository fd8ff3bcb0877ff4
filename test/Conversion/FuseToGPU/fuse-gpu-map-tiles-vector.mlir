// Vector global access in fuse-gpu-map-tiles (VectorAccess.cpp): with the
// tile choice `#fuse.tile<"elementwise", {vector = V}>`, an elementwise op
// or copy whose innermost dim is contiguous and provably aligned becomes a
// thread loop over chunks of V elements (vector.load / vector.store with
// alignment = V x element bytes), then a scalar tail loop when the row size
// is not a multiple of V.
// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-map-tiles),canonicalize,cse)' | FileCheck %s
// In the PTX, 128-bit global loads and stores where vectorized (LLVM prints
// untyped .b32 / .b16 vector moves), scalar ones in the near-misses.
// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-map-tiles),canonicalize,cse,func.func(gpu-launch-sink-index-computations),gpu-kernel-outlining,nvvm-attach-target{chip=sm_80},gpu.module(expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,convert-vector-to-llvm,canonicalize,cse,reconcile-unrealized-casts),gpu-module-to-binary{format=isa})' | FileCheck %s --check-prefix=PTX
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-map-tiles),canonicalize,cse,func.func(gpu-launch-sink-index-computations),gpu-kernel-outlining,nvvm-attach-target{chip=sm_80},gpu.module(expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,convert-vector-to-llvm,canonicalize,cse,reconcile-unrealized-casts),gpu-module-to-binary{format=isa})' | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-map-tiles),canonicalize,cse,func.func(gpu-launch-sink-index-computations),gpu-kernel-outlining,nvvm-attach-target{chip=sm_90},gpu.module(expand-strided-metadata,lower-affine,convert-scf-to-cf,convert-gpu-to-nvvm,convert-vector-to-llvm,canonicalize,cse,reconcile-unrealized-casts),gpu-module-to-binary{format=isa})' | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// Numerics: the kernels replayed on the CPU (threads in lock step; every
// vector access checked against its alignment and row) against numpy.
// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-map-tiles),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.generic
// RUN: %python %S/Inputs/simulate_launch.py --func add_relu --out c --expr "relu(a + b)" < %t.generic | FileCheck %s --check-prefix=SIM-V
// RUN: %python %S/Inputs/simulate_launch.py --func bias_per_row --out c --expr "a + b[:, None]" < %t.generic | FileCheck %s --check-prefix=SIM-V
// RUN: %python %S/Inputs/simulate_launch.py --func tail_1d --out b --expr "np.negative(a)" < %t.generic | FileCheck %s --check-prefix=SIM-TAIL
// RUN: %python %S/Inputs/simulate_launch.py --func f16_v8 --out b --expr "a * 2" < %t.generic | FileCheck %s --check-prefix=SIM-V
// RUN: %python %S/Inputs/simulate_launch.py --func copy --out b --expr "a" < %t.generic | FileCheck %s --check-prefix=SIM-V
// RUN: %python %S/Inputs/simulate_launch.py --func odd_rows --out b --expr "relu(a)" < %t.generic | FileCheck %s --check-prefix=SIM-S
// RUN: %python %S/Inputs/simulate_launch.py --func unaligned --out b --expr "relu(a[:, 2:1026])" < %t.generic | FileCheck %s --check-prefix=SIM-LANES
// The epilogue of an fma_gemm tile (vector = 4): the accumulator is read
// from shared memory lane by lane, the bias (contiguous along the output
// row) and the output with vectors.
// RUN: fuse-opt %S/Inputs/fma-gemm-epilogue.mlir --fuse-form-groups --fuse-tile="tile-config=0=fma_gemm:BM=32,BN=32,BK=16,warps=4,vector=4" | fuse-opt --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.gemm
// RUN: %python %S/Inputs/simulate_launch.py --func gemm_bias_relu --expr "relu(a @ b + c)" < %t.gemm | FileCheck %s --check-prefix=SIM-V
// The replay fails on a wrong reference.
// RUN: not %python %S/Inputs/simulate_launch.py --func tail_1d --out b --expr "a" < %t.generic | FileCheck %s --check-prefix=SIM-WRONG
// SIM-V: ok: {{.*}} thread accesses: {{.*}}vector.load={{[0-9]+}} vector.store={{[0-9]+}}
// SIM-TAIL: ok: 1030 max abs error 0 {{.*}} thread accesses: memref.load=2 memref.store=2 vector.load=257 vector.store=257
// SIM-S: ok:
// SIM-LANES: ok: {{.*}} thread accesses: memref.load=16384 vector.store=4096
// SIM-S-NOT: vector.
// SIM-WRONG: FAIL: 1030

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// Two contiguous inputs and the output, 4 x f32 per thread: one chunk
// loop, three vector accesses, the payload once per lane, no tail.
// CHECK-LABEL: func.func @add_relu(
// CHECK: gpu.launch
// CHECK: %[[SA:.*]] = memref.subview %arg0
// CHECK: scf.for %{{.*}} = %{{.*}} to %c128 step
// CHECK: %[[VA:.*]] = vector.load %[[SA]][%{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<1x512xf32, strided<[1024, 1], offset: ?>>, vector<4xf32>
// CHECK: vector.extract %[[VA]][3]
// CHECK: vector.load %{{.*}} {alignment = 16 : i64} {{.*}} vector<4xf32>
// CHECK-COUNT-4: arith.maximumf
// CHECK: %[[R:.*]] = vector.from_elements
// CHECK: vector.store %[[R]], %{{.*}} {alignment = 16 : i64} {{.*}} vector<4xf32>
// CHECK-NEXT: }
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: gpu.terminator
// PTX-LABEL: func.func @add_relu(
// PTX: gpu.binary
// PTX-SAME: ld.global.v4.b32
// PTX-SAME: ld.global.v4.b32
// PTX-SAME: st.global.v4.b32
// PTXAS: object 0: ptxas ok
func.func @add_relu(%a: memref<64x1024xf32>, %b: memref<64x1024xf32>, %o: memref<64x1024xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  scf.forall (%i, %j) = (0, 0) to (64, 1024) step (1, 512) {
    %sa = memref.subview %a[%i, %j] [1, 512] [1, 1] : memref<64x1024xf32> to memref<1x512xf32, strided<[1024, 1], offset: ?>>
    %sb = memref.subview %b[%i, %j] [1, 512] [1, 1] : memref<64x1024xf32> to memref<1x512xf32, strided<[1024, 1], offset: ?>>
    %so = memref.subview %o[%i, %j] [1, 512] [1, 1] : memref<64x1024xf32> to memref<1x512xf32, strided<[1024, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%sa, %sb : memref<1x512xf32, strided<[1024, 1], offset: ?>>, memref<1x512xf32, strided<[1024, 1], offset: ?>>) outs(%so : memref<1x512xf32, strided<[1024, 1], offset: ?>>) {
    ^bb0(%x: f32, %y: f32, %z: f32):
      %s = arith.addf %x, %y : f32
      %r = arith.maximumf %s, %cst : f32
      linalg.yield %r : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 128 : i64, vector = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// A per-row bias (broadcast along the innermost dim): one scalar load per
// chunk used by every lane; the other operands vectorized.
// CHECK-LABEL: func.func @bias_per_row(
// CHECK: scf.for
// CHECK: vector.load %{{.*}} vector<4xf32>
// CHECK: %[[B:.*]] = memref.load %{{.*}} : memref<2xf32, strided<[1], offset: ?>>
// CHECK-COUNT-4: arith.addf %{{.*}}, %[[B]] : f32
// CHECK: vector.store
func.func @bias_per_row(%a: memref<32x256xf32>, %b: memref<32xf32>, %o: memref<32x256xf32>) {
  scf.forall (%i) = (0) to (32) step (2) {
    %sa = memref.subview %a[%i, 0] [2, 256] [1, 1] : memref<32x256xf32> to memref<2x256xf32, strided<[256, 1], offset: ?>>
    %sb = memref.subview %b[%i] [2] [1] : memref<32xf32> to memref<2xf32, strided<[1], offset: ?>>
    %so = memref.subview %o[%i, 0] [2, 256] [1, 1] : memref<32x256xf32> to memref<2x256xf32, strided<[256, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%sa, %sb : memref<2x256xf32, strided<[256, 1], offset: ?>>, memref<2xf32, strided<[1], offset: ?>>) outs(%so : memref<2x256xf32, strided<[256, 1], offset: ?>>) {
    ^bb0(%x: f32, %y: f32, %z: f32):
      %s = arith.addf %x, %y : f32
      linalg.yield %s : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 64 : i64, vector = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

#id1 = affine_map<(d0) -> (d0)>
#bound = affine_map<(d0) -> (-d0 + 1030, 256)>

// 1030 elements in tiles of 256: the chunk loop runs over size / 4
// chunks and a scalar loop takes the size % 4 rest (the last tile has 6
// elements: one chunk and a tail of 2; 257 chunks and 2 scalars in all).
// CHECK-LABEL: func.func @tail_1d(
// CHECK: %[[N:.*]] = affine.min
// CHECK: %[[CHUNKS:.*]] = arith.divui %[[N]], %c4
// CHECK: %[[COVERED:.*]] = arith.muli %[[CHUNKS]], %c4
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[CHUNKS]] step
// CHECK: vector.load {{.*}} vector<4xf32>
// CHECK: arith.negf
// CHECK: vector.store
// CHECK: %[[REST:.*]] = arith.subi %[[N]], %[[COVERED]]
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %[[REST]] step
// CHECK: %[[J:.*]] = arith.addi %[[COVERED]], %[[T]]
// CHECK: memref.load %{{.*}}[%[[J]]]
// CHECK: arith.negf
// CHECK: memref.store %{{.*}}[%[[J]]]
// PTX-LABEL: func.func @tail_1d(
// PTX: gpu.binary
// PTX-SAME: ld.global.v4.b32
// PTX-SAME: st.global.v4.b32
// PTX-SAME: ld.global.b32
// PTX-SAME: st.global.b32
func.func @tail_1d(%a: memref<1030xf32>, %o: memref<1030xf32>) {
  scf.forall (%i) = (0) to (1030) step (256) {
    %n = affine.min #bound(%i)
    %sa = memref.subview %a[%i] [%n] [1] : memref<1030xf32> to memref<?xf32, strided<[1], offset: ?>>
    %so = memref.subview %o[%i] [%n] [1] : memref<1030xf32> to memref<?xf32, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%sa : memref<?xf32, strided<[1], offset: ?>>) outs(%so : memref<?xf32, strided<[1], offset: ?>>) {
    ^bb0(%x: f32, %z: f32):
      %r = arith.negf %x : f32
      linalg.yield %r : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 64 : i64, vector = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// f16 with vector = 8: 16-byte vectors.
// CHECK-LABEL: func.func @f16_v8(
// CHECK: vector.load %{{.*}} {alignment = 16 : i64} {{.*}} vector<8xf16>
// CHECK-COUNT-8: arith.mulf
// CHECK: vector.store %{{.*}} {alignment = 16 : i64} {{.*}} vector<8xf16>
// PTX-LABEL: func.func @f16_v8(
// PTX: gpu.binary
// PTX-SAME: ld.global.v4.b32
// PTX-SAME: st.global.v4.b32
func.func @f16_v8(%a: memref<16x256xf16>, %o: memref<16x256xf16>) {
  %two = arith.constant 2.0 : f16
  scf.forall (%i) = (0) to (16) step (1) {
    %sa = memref.subview %a[%i, 0] [1, 256] [1, 1] : memref<16x256xf16> to memref<1x256xf16, strided<[256, 1], offset: ?>>
    %so = memref.subview %o[%i, 0] [1, 256] [1, 1] : memref<16x256xf16> to memref<1x256xf16, strided<[256, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%sa : memref<1x256xf16, strided<[256, 1], offset: ?>>) outs(%so : memref<1x256xf16, strided<[256, 1], offset: ?>>) {
    ^bb0(%x: f16, %z: f16):
      %r = arith.mulf %x, %two : f16
      linalg.yield %r : f16
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 32 : i64, vector = 8 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// memref.copy of a tile: vector loads and stores.
// CHECK-LABEL: func.func @copy(
// CHECK: scf.for
// CHECK: %[[V:.*]] = vector.load %{{.*}} {alignment = 16 : i64} {{.*}} vector<4xf32>
// CHECK: vector.store %[[V]], %{{.*}} {alignment = 16 : i64}
// CHECK-NOT: memref.copy
func.func @copy(%a: memref<8x512xf32>, %o: memref<8x512xf32>) {
  scf.forall (%i, %j) = (0, 0) to (8, 512) step (1, 256) {
    %sa = memref.subview %a[%i, %j] [1, 256] [1, 1] : memref<8x512xf32> to memref<1x256xf32, strided<[512, 1], offset: ?>>
    %so = memref.subview %o[%i, %j] [1, 256] [1, 1] : memref<8x512xf32> to memref<1x256xf32, strided<[512, 1], offset: ?>>
    memref.copy %sa, %so : memref<1x256xf32, strided<[512, 1], offset: ?>> to memref<1x256xf32, strided<[512, 1], offset: ?>>
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 64 : i64, vector = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Near-miss: rows of 7 floats. A row starts at 7 x row elements, which
// is not a multiple of 4: no vector access, the scalar thread loop.
// CHECK-LABEL: func.func @odd_rows(
// CHECK-NOT: vector.
// CHECK: memref.load
// CHECK: memref.store
// CHECK: gpu.terminator
// PTX-LABEL: func.func @odd_rows(
// PTX: gpu.binary
// PTX-NOT: .v4.
// PTX-SAME: ld.global.b32
func.func @odd_rows(%a: memref<64x7xf32>, %o: memref<64x7xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  scf.forall (%i) = (0) to (64) step (1) {
    %sa = memref.subview %a[%i, 0] [1, 7] [1, 1] : memref<64x7xf32> to memref<1x7xf32, strided<[7, 1], offset: ?>>
    %so = memref.subview %o[%i, 0] [1, 7] [1, 1] : memref<64x7xf32> to memref<1x7xf32, strided<[7, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%sa : memref<1x7xf32, strided<[7, 1], offset: ?>>) outs(%so : memref<1x7xf32, strided<[7, 1], offset: ?>>) {
    ^bb0(%x: f32, %z: f32):
      %r = arith.maximumf %x, %cst : f32
      linalg.yield %r : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 128 : i64, vector = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#shift = affine_map<(d0) -> (d0 + 2)>

// Near-miss: the input window starts 2 elements into each row (a slice),
// so its chunks are not 16-byte aligned: read with one scalar load per
// lane; the aligned output is still stored with vectors.
// CHECK-LABEL: func.func @unaligned(
// CHECK-NOT: vector.load
// CHECK: memref.load
// CHECK-NOT: vector.load
// CHECK: vector.store {{.*}} vector<4xf32>
// CHECK: gpu.terminator
func.func @unaligned(%a: memref<16x1028xf32>, %o: memref<16x1024xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  scf.forall (%i, %j) = (0, 0) to (16, 1024) step (1, 256) {
    %j2 = affine.apply #shift(%j)
    %sa = memref.subview %a[%i, %j2] [1, 256] [1, 1] : memref<16x1028xf32> to memref<1x256xf32, strided<[1028, 1], offset: ?>>
    %so = memref.subview %o[%i, %j] [1, 256] [1, 1] : memref<16x1024xf32> to memref<1x256xf32, strided<[1024, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%sa : memref<1x256xf32, strided<[1028, 1], offset: ?>>) outs(%so : memref<1x256xf32, strided<[1024, 1], offset: ?>>) {
    ^bb0(%x: f32, %z: f32):
      %r = arith.maximumf %x, %cst : f32
      linalg.yield %r : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 64 : i64, vector = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Near-miss: a non-contiguous output (every other column): the scalar
// loop (an output is stored with vectors or not at all).
// CHECK-LABEL: func.func @strided(
// CHECK-NOT: vector.
// CHECK: gpu.terminator
func.func @strided(%a: memref<16x256xf32>, %o: memref<16x512xf32>) {
  scf.forall (%i) = (0) to (16) step (1) {
    %sa = memref.subview %a[%i, 0] [1, 256] [1, 1] : memref<16x256xf32> to memref<1x256xf32, strided<[256, 1], offset: ?>>
    %so = memref.subview %o[%i, 0] [1, 256] [1, 2] : memref<16x512xf32> to memref<1x256xf32, strided<[512, 2], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%sa : memref<1x256xf32, strided<[256, 1], offset: ?>>) outs(%so : memref<1x256xf32, strided<[512, 2], offset: ?>>) {
    ^bb0(%x: f32, %z: f32):
      %r = arith.negf %x : f32
      linalg.yield %r : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 64 : i64, vector = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Near-miss: the tuner chose vector = 1: today's scalar loop.
// CHECK-LABEL: func.func @vector1(
// CHECK-NOT: vector.
// CHECK: gpu.terminator
// PTX-LABEL: func.func @vector1(
// PTX: gpu.binary
// PTX-NOT: .v4.
// PTX-SAME: ld.global.b32
func.func @vector1(%a: memref<64x1024xf32>, %o: memref<64x1024xf32>) {
  scf.forall (%i, %j) = (0, 0) to (64, 1024) step (1, 512) {
    %sa = memref.subview %a[%i, %j] [1, 512] [1, 1] : memref<64x1024xf32> to memref<1x512xf32, strided<[1024, 1], offset: ?>>
    %so = memref.subview %o[%i, %j] [1, 512] [1, 1] : memref<64x1024xf32> to memref<1x512xf32, strided<[1024, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%sa : memref<1x512xf32, strided<[1024, 1], offset: ?>>) outs(%so : memref<1x512xf32, strided<[1024, 1], offset: ?>>) {
    ^bb0(%x: f32, %z: f32):
      %r = arith.negf %x : f32
      linalg.yield %r : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 512 : i64, vector = 1 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#swap = affine_map<(d0, d1) -> (d1, d0)>

// Near-miss: the input is read transposed (its innermost index is d0), in
// a tile of one row of the output (d0 of size 1, nothing to stage in
// shared memory): neither vectors nor a shared tile.
// CHECK-LABEL: func.func @moved_inner(
// CHECK-NOT: workgroup
// CHECK-NOT: vector.
// CHECK: gpu.terminator
func.func @moved_inner(%a: memref<256x64xf32>, %o: memref<64x256xf32>) {
  scf.forall (%i) = (0) to (64) step (1) {
    %sa = memref.subview %a[0, %i] [256, 1] [1, 1] : memref<256x64xf32> to memref<256x1xf32, strided<[64, 1], offset: ?>>
    %so = memref.subview %o[%i, 0] [1, 256] [1, 1] : memref<64x256xf32> to memref<1x256xf32, strided<[256, 1], offset: ?>>
    linalg.generic {indexing_maps = [#swap, #id], iterator_types = ["parallel", "parallel"]} ins(%sa : memref<256x1xf32, strided<[64, 1], offset: ?>>) outs(%so : memref<1x256xf32, strided<[256, 1], offset: ?>>) {
    ^bb0(%x: f32, %z: f32):
      linalg.yield %x : f32
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"elementwise", {threads = 64 : i64, vector = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}
