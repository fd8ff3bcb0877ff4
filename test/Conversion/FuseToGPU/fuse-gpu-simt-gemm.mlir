// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-simt-gemm),canonicalize,cse)' | FileCheck %s

// The input is bufferized IR as the GPU pipeline has it at step 4 (produced
// from fuse.matmul (+ fuse.add + fuse.relu) on f32 tensors by
// --fuse-form-groups --fuse-tile="target=a100
// tile-config=0=fma_gemm:BM=64,BN=32,BK=8,warps=4,vector=1" and the pass
// list of the contract, then trimmed). fuse-gpu-simt-gemm-simulate.mlir runs
// these kernels.

// A 128x96x64 matmul, every operand 128-bit aligned: 128 threads, 4x4
// accumulators each (a 16x8 thread grid over the 64x32 tile). Shared memory:
// 2 buffers x 8 x (64 + 4) of A, then 2 x 8 x (32 + 4) of B (6656 bytes).
// A is K-contiguous: a 128-bit global load along k, four ld.shared rows; B
// is N-contiguous: 128-bit loads and stores (64 of them: the last 64
// threads idle). Then per k of a step: one vector<4> of A and one of B from
// shared memory, 4 vector.fma of 4. One 128-bit store per accumulator row.
// CHECK-LABEL: func.func @matmul(
// CHECK-NOT: scf.forall
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c3, %{{.*}} = %c2, %{{.*}} = %c1) threads(%[[TID:[^,]*]], {{.*}}) in (%{{.*}} = %c128, %{{.*}} = %c1, %{{.*}} = %c1) dynamic_shared_memory_size %c6656_i32
// CHECK: %[[DSM:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK: %[[SA:.*]] = memref.view %[[DSM]][%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<2x8x68xf32, #gpu.address_space<workgroup>>
// CHECK: %[[SB:.*]] = memref.view %[[DSM]][%c4352][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<2x8x36xf32, #gpu.address_space<workgroup>>
// Prologue: K step 0 into buffer 0.
// CHECK: vector.load %{{.*}} {alignment = 16 : i64} : memref<64x64xf32, strided<[64, 1], offset: ?>>, vector<4xf32>
// CHECK-COUNT-4: memref.store %{{.*}}, %[[SA]][%c0, %{{.*}}, %{{.*}}] : memref<2x8x68xf32, #gpu.address_space<workgroup>>
// CHECK: vector.load %{{.*}} {alignment = 16 : i64} : memref<64x32xf32, strided<[96, 1], offset: ?>>, vector<4xf32>
// CHECK: scf.if
// CHECK-NEXT: vector.store %{{.*}}, %[[SB]][%c0, {{.*}}] {alignment = 16 : i64} : memref<2x8x36xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK: gpu.barrier
// The K loop: the next step prefetched into registers (none after the last).
// CHECK: %[[ACC:.*]]:4 = scf.for %[[KT:.*]] = %c0 to %c8 step %c1 iter_args({{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>) {
// CHECK: %[[BUF:.*]] = arith.remui %[[KT]], %c2
// CHECK: %[[NEXT:.*]]:2 = scf.if %{{.*}} -> (vector<4xf32>, vector<4xf32>) {
// CHECK: vector.load
// CHECK: vector.load
// CHECK: } else {
// CHECK: %[[FA:.*]] = vector.load %[[SA]][%[[BUF]], %c0, %{{.*}}] {alignment = 16 : i64} : memref<2x8x68xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK: %[[FB:.*]] = vector.load %[[SB]][%[[BUF]], %c0, %{{.*}}] {alignment = 16 : i64} : memref<2x8x36xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK: %[[A0:.*]] = vector.extract %[[FA]][0] : f32 from vector<4xf32>
// CHECK: %[[A0B:.*]] = vector.broadcast %[[A0]] : f32 to vector<4xf32>
// CHECK: vector.fma %[[A0B]], %[[FB]], %{{.*}} : vector<4xf32>
// CHECK-COUNT-31: vector.fma
// CHECK-NOT: vector.fma
// CHECK: %[[OTHER:.*]] = arith.subi %c1, %[[BUF]]
// CHECK: memref.store %{{.*}}, %[[SA]][%[[OTHER]],
// CHECK: vector.store %[[NEXT]]#1, %[[SB]][%[[OTHER]],
// CHECK: gpu.barrier
// CHECK-NEXT: scf.yield
// CHECK: scf.if
// CHECK-NEXT: vector.store %[[ACC]]#0, %{{.*}} {alignment = 16 : i64} : memref<64x32xf32, strided<[96, 1], offset: ?>>, vector<4xf32>
// CHECK-COUNT-3: vector.store %[[ACC]]
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "fma_gemm", fuse.tile = #fuse.tile<"fma_gemm"
// CHECK-NOT: linalg.
#map = affine_map<(d0, d1, d2) -> (d0, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d2, d1)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1)>
  func.func @matmul(%arg0: memref<128x64xf32>, %arg1: memref<64x96xf32>) -> memref<128x96xf32> {
    %cst = arith.constant 0.000000e+00 : f32
    %alloc = memref.alloc() {alignment = 64 : i64} : memref<128x96xf32>
    scf.forall (%arg2, %arg3) = (0, 0) to (128, 96) step (64, 32) {
      %subview = memref.subview %arg0[%arg2, 0] [64, 64] [1, 1] : memref<128x64xf32> to memref<64x64xf32, strided<[64, 1], offset: ?>>
      %subview_0 = memref.subview %arg1[0, %arg3] [64, 32] [1, 1] : memref<64x96xf32> to memref<64x32xf32, strided<[96, 1], offset: ?>>
      %subview_1 = memref.subview %alloc[%arg2, %arg3] [64, 32] [1, 1] : memref<128x96xf32> to memref<64x32xf32, strided<[96, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview_1 : memref<64x32xf32, strided<[96, 1], offset: ?>>)
      linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%subview, %subview_0 : memref<64x64xf32, strided<[64, 1], offset: ?>>, memref<64x32xf32, strided<[96, 1], offset: ?>>) outs(%subview_1 : memref<64x32xf32, strided<[96, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %0 = arith.mulf %in, %in_2 : f32
        %1 = arith.addf %out, %0 : f32
        linalg.yield %1 : f32
      }
    } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 64 : i64, BN = 32 : i64, vector = 1 : i64, warps = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
    return %alloc : memref<128x96xf32>
  }


// -----

// 100x70x50 + bias + relu: partial tiles in M (100 = 64 + 36), N (70 = 2 x
// 32 + 6) and K (50 = 6 x 8 + 2). K = 50 and N = 70 are not multiples of 4:
// scalar loads (4 of A, 2 of B per thread and step) at clamped indices, zero
// outside; 7 K steps. The epilogue per accumulator: guarded by the tile's
// extent (affine.min), bias[col] loaded, add, relu, one scalar store.
// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK-SAME: %{{.*}}: memref<100x50xf32>, %{{.*}}: memref<50x70xf32>, %[[BIAS:.*]]: memref<70xf32>)
// CHECK: gpu.launch
// CHECK: %[[M:.*]] = affine.min
// CHECK: %[[N:.*]] = affine.min
// CHECK: %[[SBIAS:.*]] = memref.subview %[[BIAS]]
// CHECK: %[[OUT:.*]] = memref.subview %alloc
// CHECK: %[[K0:.*]] = arith.cmpi ult, %{{.*}}, %c50 : index
// CHECK: %[[M0:.*]] = arith.cmpi ult, %{{.*}}, %[[M]] : index
// CHECK: %[[IN:.*]] = arith.andi %[[K0]], %[[M0]] : i1
// CHECK: %[[KS:.*]] = arith.select %[[IN]], %{{.*}}, %c0 : index
// CHECK: %[[MS:.*]] = arith.select %[[IN]], %{{.*}}, %c0 : index
// CHECK: %[[E:.*]] = memref.load %{{.*}}[%[[MS]], %[[KS]]] : memref<?x50xf32, strided<[50, 1], offset: ?>>
// CHECK: %[[EV:.*]] = vector.broadcast %[[E]] : f32 to vector<1xf32>
// CHECK: arith.select %[[IN]], %[[EV]], %{{.*}} : vector<1xf32>
// CHECK-COUNT-3: memref.load %{{.*}} : memref<?x50xf32, strided<[50, 1], offset: ?>>
// CHECK-COUNT-2: memref.load %{{.*}} : memref<50x?xf32, strided<[70, 1], offset: ?>>
// CHECK: gpu.barrier
// CHECK: %[[ACC:.*]]:4 = scf.for %{{.*}} = %c0 to %c7 step %c1
// CHECK: scf.if %{{.*}} -> (vector<1xf32>, vector<1xf32>, vector<1xf32>, vector<1xf32>, vector<1xf32>, vector<1xf32>)
// CHECK-COUNT-32: vector.fma
// CHECK: gpu.barrier
// CHECK: %[[ROW:.*]] = arith.cmpi ult, %{{.*}}, %[[M]] : index
// CHECK: %[[COL:.*]] = arith.cmpi ult, %[[C:.*]], %[[N]] : index
// CHECK: %[[G:.*]] = arith.andi %[[ROW]], %[[COL]] : i1
// CHECK: scf.if %[[G]] {
// CHECK-NEXT: %[[V:.*]] = vector.extract %[[ACC]]#0[0] : f32 from vector<4xf32>
// CHECK-NEXT: %[[B:.*]] = memref.load %[[SBIAS]][%[[C]]]
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[V]], %[[B]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[S]], %{{.*}} : f32
// CHECK-NEXT: memref.store %[[R]], %[[OUT]][%{{.*}}, %[[C]]] : memref<?x?xf32, strided<[70, 1], offset: ?>>
// CHECK-COUNT-15: arith.maximumf
// CHECK-NOT: arith.maximumf
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "fma_gemm", fuse.tile = #fuse.tile<"fma_gemm"
// CHECK-NOT: linalg.
#map = affine_map<(d0) -> (-d0 + 100, 64)>
#map1 = affine_map<(d0) -> (-d0 + 70, 32)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map3 = affine_map<(d0, d1, d2) -> (d2, d1)>
#map4 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map5 = affine_map<(d0, d1) -> (d0, d1)>
#map6 = affine_map<(d0, d1) -> (d1)>
  func.func @matmul_bias_relu(%arg0: memref<100x50xf32>, %arg1: memref<50x70xf32>, %arg2: memref<70xf32>) -> memref<100x70xf32> {
    %cst = arith.constant 0.000000e+00 : f32
    %alloc = memref.alloc() {alignment = 64 : i64} : memref<100x70xf32>
    scf.forall (%arg3, %arg4) = (0, 0) to (100, 70) step (64, 32) {
      %0 = affine.min #map(%arg3)
      %1 = affine.min #map1(%arg4)
      %subview = memref.subview %arg0[%arg3, 0] [%0, 50] [1, 1] : memref<100x50xf32> to memref<?x50xf32, strided<[50, 1], offset: ?>>
      %subview_0 = memref.subview %arg1[0, %arg4] [50, %1] [1, 1] : memref<50x70xf32> to memref<50x?xf32, strided<[70, 1], offset: ?>>
      %alloc_1 = memref.alloc(%0, %1) {alignment = 64 : i64} : memref<?x?xf32>
      linalg.fill ins(%cst : f32) outs(%alloc_1 : memref<?x?xf32>)
      linalg.generic {indexing_maps = [#map2, #map3, #map4], iterator_types = ["parallel", "parallel", "reduction"]} ins(%subview, %subview_0 : memref<?x50xf32, strided<[50, 1], offset: ?>>, memref<50x?xf32, strided<[70, 1], offset: ?>>) outs(%alloc_1 : memref<?x?xf32>) {
      ^bb0(%in: f32, %in_4: f32, %out: f32):
        %2 = arith.mulf %in, %in_4 : f32
        %3 = arith.addf %out, %2 : f32
        linalg.yield %3 : f32
      }
      %subview_2 = memref.subview %arg2[%arg4] [%1] [1] : memref<70xf32> to memref<?xf32, strided<[1], offset: ?>>
      %subview_3 = memref.subview %alloc[%arg3, %arg4] [%0, %1] [1, 1] : memref<100x70xf32> to memref<?x?xf32, strided<[70, 1], offset: ?>>
      linalg.generic {indexing_maps = [#map5, #map6, #map5], iterator_types = ["parallel", "parallel"]} ins(%alloc_1, %subview_2 : memref<?x?xf32>, memref<?xf32, strided<[1], offset: ?>>) outs(%subview_3 : memref<?x?xf32, strided<[70, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_4: f32, %out: f32):
        %2 = arith.addf %in, %in_4 : f32
        %3 = arith.maximumf %2, %cst : f32
        linalg.yield %3 : f32
      }
    } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 64 : i64, BN = 32 : i64, vector = 1 : i64, warps = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
    return %alloc : memref<100x70xf32>
  }


// -----

// A batch matmul with B transposed (stored N x K, K-contiguous like A): one
// block per (batch index, N tile); the batch index is the subviews' offset,
// index 0 inside the tile. K = 24: 3 steps of 8 with 128-bit loads of both
// operands along k; N = 48 (16 + 32): guarded 128-bit stores.
// CHECK-LABEL: func.func @batch_matmul_transposed(
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c2, %{{.*}} = %c3, %{{.*}} = %c1) threads({{.*}}) in (%{{.*}} = %c128,
// CHECK: vector.load %{{.*}}[%c0, %{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<1x40x24xf32, strided<[960, 24, 1], offset: ?>>, vector<4xf32>
// CHECK: vector.load %{{.*}}[%c0, %{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<1x?x24xf32, strided<[1152, 24, 1], offset: ?>>, vector<4xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK-COUNT-32: vector.fma
// CHECK: vector.store %{{.*}}, %{{.*}}[%c0, %{{.*}}, %{{.*}}] {alignment = 16 : i64} : memref<1x40x?xf32, strided<[1920, 48, 1], offset: ?>>, vector<4xf32>
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "fma_gemm", fuse.tile = #fuse.tile<"fma_gemm"
#map = affine_map<(d0) -> (-d0 + 48, 32)>
#map1 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#map2 = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
#map3 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
  func.func @batch_matmul_transposed(%arg0: memref<3x40x24xf32>, %arg1: memref<3x48x24xf32>) -> memref<3x40x48xf32> {
    %cst = arith.constant 0.000000e+00 : f32
    %alloc = memref.alloc() {alignment = 64 : i64} : memref<3x40x48xf32>
    scf.forall (%arg2, %arg3) = (0, 0) to (3, 48) step (1, 32) {
      %0 = affine.min #map(%arg3)
      %subview = memref.subview %arg0[%arg2, 0, 0] [1, 40, 24] [1, 1, 1] : memref<3x40x24xf32> to memref<1x40x24xf32, strided<[960, 24, 1], offset: ?>>
      %subview_0 = memref.subview %arg1[%arg2, %arg3, 0] [1, %0, 24] [1, 1, 1] : memref<3x48x24xf32> to memref<1x?x24xf32, strided<[1152, 24, 1], offset: ?>>
      %subview_1 = memref.subview %alloc[%arg2, 0, %arg3] [1, 40, %0] [1, 1, 1] : memref<3x40x48xf32> to memref<1x40x?xf32, strided<[1920, 48, 1], offset: ?>>
      linalg.fill ins(%cst : f32) outs(%subview_1 : memref<1x40x?xf32, strided<[1920, 48, 1], offset: ?>>)
      linalg.generic {indexing_maps = [#map1, #map2, #map3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%subview, %subview_0 : memref<1x40x24xf32, strided<[960, 24, 1], offset: ?>>, memref<1x?x24xf32, strided<[1152, 24, 1], offset: ?>>) outs(%subview_1 : memref<1x40x?xf32, strided<[1920, 48, 1], offset: ?>>) {
      ^bb0(%in: f32, %in_2: f32, %out: f32):
        %1 = arith.mulf %in, %in_2 : f32
        %2 = arith.addf %out, %1 : f32
        linalg.yield %2 : f32
      }
    } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 64 : i64, BN = 32 : i64, vector = 1 : i64, warps = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
    return %alloc : memref<3x40x48xf32>
  }


// -----

// Near-misses, left to the generic path (or to fuse-gpu-gemm): an f32 GEMM
// tuned mma_sync, a non-GEMM tile loop tuned fma_gemm (a relu alone), an f16
// GEMM tuned fma_gemm (the kernel is fp32), and a tile body with a producer
// before the fill (the negation of A). The same GEMM as the first with
// fma_gemm is handled (control). Each tile loop tuned fma_gemm that the pass
// declines records why (fuse.generic_reason, which the fusion report shows);
// the one tuned mma_sync is not this pass's to decline.
// CHECK-LABEL: func.func @near_misses(
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
// CHECK: linalg.matmul
// CHECK: {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"mma_sync"
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
// CHECK: arith.maximumf
// CHECK: {fuse.generic_reason = "fuse-gpu-simt-gemm: the tile has no contraction", fuse.kernel = "group_1", fuse.tile = #fuse.tile<"fma_gemm"
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
// CHECK: linalg.matmul {{.*}} memref<64x128xf16>
// CHECK: {fuse.generic_reason = "fuse-gpu-simt-gemm: the accumulator is not f32", fuse.kernel = "group_2", fuse.tile = #fuse.tile<"fma_gemm"
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
// CHECK: arith.negf
// CHECK: linalg.matmul
// CHECK: {fuse.generic_reason = "fuse-gpu-simt-gemm: the tile does not start with the accumulator's fill (or bias copy) followed by the contraction (an op is computed before the contraction)", fuse.kernel = "group_3", fuse.tile = #fuse.tile<"fma_gemm"
// CHECK-NOT: scf.forall
// CHECK: gpu.launch
// CHECK: vector.fma
// CHECK: {fuse.kernel = "group_4", fuse.kernel_impl = "fma_gemm", fuse.tile = #fuse.tile<"fma_gemm"
// CHECK-NOT: scf.forall
#map_mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#map_kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#map_mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#map_id = affine_map<(d0, d1) -> (d0, d1)>
  func.func @near_misses(%a: memref<64x128xf32>, %b: memref<128x64xf32>, %o: memref<64x64xf32>, %ah: memref<64x128xf16>, %bh: memref<128x64xf16>, %oh: memref<64x64xf16>) {
    %cst = arith.constant 0.000000e+00 : f32
    %csth = arith.constant 0.000000e+00 : f16
    scf.forall (%i) = (0) to (64) step (64) {
      linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
      linalg.matmul ins(%a, %b : memref<64x128xf32>, memref<128x64xf32>) outs(%o : memref<64x64xf32>)
    } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
    scf.forall (%i) = (0) to (64) step (64) {
      linalg.generic {indexing_maps = [#map_id, #map_id], iterator_types = ["parallel", "parallel"]} ins(%o : memref<64x64xf32>) outs(%o : memref<64x64xf32>) {
      ^bb0(%in: f32, %out: f32):
        %0 = arith.maximumf %in, %cst : f32
        linalg.yield %0 : f32
      }
    } {fuse.kernel = "group_1", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 64 : i64, BN = 64 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
    scf.forall (%i) = (0) to (64) step (64) {
      linalg.fill ins(%csth : f16) outs(%oh : memref<64x64xf16>)
      linalg.matmul ins(%ah, %bh : memref<64x128xf16>, memref<128x64xf16>) outs(%oh : memref<64x64xf16>)
    } {fuse.kernel = "group_2", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 64 : i64, BN = 64 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
    scf.forall (%i) = (0) to (64) step (64) {
      %t = memref.alloc() : memref<64x128xf32>
      linalg.generic {indexing_maps = [#map_id, #map_id], iterator_types = ["parallel", "parallel"]} ins(%a : memref<64x128xf32>) outs(%t : memref<64x128xf32>) {
      ^bb0(%in: f32, %out: f32):
        %0 = arith.negf %in : f32
        linalg.yield %0 : f32
      }
      linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
      linalg.matmul ins(%t, %b : memref<64x128xf32>, memref<128x64xf32>) outs(%o : memref<64x64xf32>)
    } {fuse.kernel = "group_3", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 64 : i64, BN = 64 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
    scf.forall (%i) = (0) to (64) step (64) {
      linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
      linalg.matmul ins(%a, %b : memref<64x128xf32>, memref<128x64xf32>) outs(%o : memref<64x64xf32>)
    } {fuse.kernel = "group_4", fuse.tile = #fuse.tile<"fma_gemm", {BK = 8 : i64, BM = 64 : i64, BN = 64 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
    return
  }
