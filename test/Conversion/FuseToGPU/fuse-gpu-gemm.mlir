// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm,canonicalize,cse))' | FileCheck %s

// The input is bufferized IR as the GPU pipeline has it at step 4 (produced
// from fuse.matmul + fuse.add + fuse.relu on f16 tensors by --fuse-form-groups
// --fuse-tile="target=a100 precision=fp16 tile-config=0=mma_sync:..." and the
// pass list of the contract, then trimmed).

#min_m = affine_map<(d0) -> (-d0 + 200, 128)>
#min_n = affine_map<(d0) -> (-d0 + 192, 128)>
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// M = 200 and N = 192 are not multiples of the 128x128 tile (partial tiles:
// zero-filled chunks, guarded stores); K = 256 is. 4 warps = 2x2 warp tiles
// of 64x64: per 16-deep K slice 4 A and 4 B ldmatrix.x4 (B row-major, i.e.
// N-contiguous: .trans) and 4x8 mma.sync m16n8k16. Stages: 3 (two groups in
// the prologue, wait_group 1 in the loop). Shared memory: 3 x (128x32 +
// 32x128) f16 = 48 KiB.
// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK-SAME: %[[A:[^:]*]]: memref<200x256xf16>, %[[B:[^:]*]]: memref<256x192xf16>, %[[BIAS:[^:]*]]: memref<192xf16>)
// CHECK-NOT: scf.forall
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[SMEM:.*]] = arith.constant 49152 : i32
// CHECK-DAG: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<200x192xf16>
// CHECK: gpu.launch blocks(%{{.*}}, %[[BY:.*]], %{{.*}}) in (%{{.*}} = %c2, %{{.*}} = %c2, %{{.*}} = %c1) threads(%[[TID:.*]], %{{.*}}, %{{.*}}) in (%{{.*}} = %[[C128]], %{{.*}} = %c1, %{{.*}} = %c1) dynamic_shared_memory_size %[[SMEM]]
// CHECK: %[[DSM:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK: %[[SA:.*]] = memref.view %[[DSM]][%c0][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<3x128x32xf16, #gpu.address_space<workgroup>>
// CHECK: %[[SB:.*]] = memref.view %[[DSM]][%c24576][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<3x32x128xf16, #gpu.address_space<workgroup>>
// Prologue: stage 0 and 1, 4 chunks of A and 4 of B per thread each.
// CHECK: arith.xori
// CHECK: nvgpu.device_async_copy %{{.*}}, %[[SA]][%c0, %{{.*}}, %{{.*}}], 8, %{{.*}} {bypassL1} : memref<?x256xf16, strided<[256, 1], offset: ?>> to memref<3x128x32xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_copy %{{.*}}, %[[SB]][%c0, %{{.*}}, %{{.*}}], 8, %{{.*}} {bypassL1} : memref<256x?xf16, strided<[192, 1], offset: ?>> to memref<3x32x128xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_create_group
// CHECK: nvgpu.device_async_copy %{{.*}}, %[[SA]][%c1,
// CHECK: %[[G1:.*]] = nvgpu.device_async_create_group
// CHECK-NOT: nvgpu.device_async_create_group
// CHECK: %[[ACC:.*]]:32 = scf.for %[[KT:.*]] = %c0 to %c8 step %c1 iter_args({{.*}}) -> (vector<2x2xf32>
// CHECK-NEXT: nvgpu.device_async_wait %[[G1]] {numGroups = 1 : i32}
// CHECK-NEXT: gpu.barrier
// CHECK: nvgpu.device_async_copy
// CHECK: nvgpu.device_async_create_group
// CHECK: nvgpu.ldmatrix %[[SA]][%{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<3x128x32xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: nvgpu.ldmatrix %[[SB]][%{{.*}}] {numTiles = 4 : i32, transpose = true} : memref<3x32x128xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: vector.extract_strided_slice %{{.*}} {offsets = [0, 0], sizes = [2, 2], strides = [1, 1]} : vector<4x2xf16> to vector<2x2xf16>
// CHECK: vector.extract_strided_slice %{{.*}} {offsets = [2, 0], sizes = [2, 2], strides = [1, 1]} : vector<4x2xf16> to vector<2x2xf16>
// CHECK: nvgpu.mma.sync(%{{.*}}, %{{.*}}, %{{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK: scf.yield
// CHECK: nvgpu.device_async_wait %[[G1]] {numGroups = 0 : i32}
// The epilogue, per accumulator element: rounded to f16 (the matmul's
// type), + bias[col], relu, one store.
// CHECK: vector.extract %[[ACC]]#0[0, 0] : f32 from vector<2x2xf32>
// CHECK: scf.if
// CHECK-NEXT: arith.truncf %{{.*}} : f32 to f16
// CHECK-NEXT: memref.load
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.maximumf
// CHECK-NEXT: memref.store
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "mma_sync", fuse.tile = #fuse.tile<"mma_sync"
// CHECK-NOT: linalg.
// CHECK: return %[[OUT]]
func.func @matmul_bias_relu(%arg0: memref<200x256xf16>, %arg1: memref<256x192xf16>, %arg2: memref<192xf16>) -> memref<200x192xf16> {
  %cst = arith.constant 0.000000e+00 : f16
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<200x192xf16>
  scf.forall (%arg3, %arg4) = (0, 0) to (200, 192) step (128, 128) {
    %0 = affine.min #min_m(%arg3)
    %1 = affine.min #min_n(%arg4)
    %subview = memref.subview %arg0[%arg3, 0] [%0, 256] [1, 1] : memref<200x256xf16> to memref<?x256xf16, strided<[256, 1], offset: ?>>
    %subview_0 = memref.subview %arg1[0, %arg4] [256, %1] [1, 1] : memref<256x192xf16> to memref<256x?xf16, strided<[192, 1], offset: ?>>
    %alloc_1 = memref.alloc(%0, %1) {alignment = 64 : i64} : memref<?x?xf16>
    linalg.fill ins(%cst : f16) outs(%alloc_1 : memref<?x?xf16>)
    linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%subview, %subview_0 : memref<?x256xf16, strided<[256, 1], offset: ?>>, memref<256x?xf16, strided<[192, 1], offset: ?>>) outs(%alloc_1 : memref<?x?xf16>) {
    ^bb0(%in: f16, %in_4: f16, %out: f16):
      %2 = arith.mulf %in, %in_4 : f16
      %3 = arith.addf %out, %2 : f16
      linalg.yield %3 : f16
    }
    %subview_2 = memref.subview %arg2[%arg4] [%1] [1] : memref<192xf16> to memref<?xf16, strided<[1], offset: ?>>
    %subview_3 = memref.subview %alloc[%arg3, %arg4] [%0, %1] [1, 1] : memref<200x192xf16> to memref<?x?xf16, strided<[192, 1], offset: ?>>
    linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%alloc_1, %subview_2 : memref<?x?xf16>, memref<?xf16, strided<[1], offset: ?>>) outs(%subview_3 : memref<?x?xf16, strided<[192, 1], offset: ?>>) {
    ^bb0(%in: f16, %in_4: f16, %out: f16):
      %2 = arith.addf %in, %in_4 : f16
      %3 = arith.maximumf %2, %cst : f16
      linalg.yield %3 : f16
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 128 : i64, BN = 128 : i64, stages = 3 : i64, warps = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<200x192xf16>
}

// -----

// Both operands transposed: A stored K x M (A(m, k) = At[k][m], M-contiguous:
// ldmatrix .trans), B stored N x K (B(k, n) = Bt[n][k], K-contiguous: no
// .trans); no epilogue, the contraction writes the output tile. 64x64 tile,
// 4 warps = 2x2 warp tiles of 32x32, BK = 32, 2 stages (wait_group 0).
// CHECK-LABEL: func.func @matmul_transposed(
// CHECK: gpu.launch
// CHECK: memref.view {{.*}} to memref<2x32x64xf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<2x64x32xf16, #gpu.address_space<workgroup>>
// CHECK: scf.for
// CHECK: nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
// CHECK: nvgpu.ldmatrix %{{.*}} {numTiles = 4 : i32, transpose = true} : memref<2x32x64xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: nvgpu.ldmatrix %{{.*}} {numTiles = 4 : i32, transpose = false} : memref<2x64x32xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: nvgpu.mma.sync
// CHECK: scf.if
// CHECK-NEXT: arith.truncf
// CHECK-NEXT: memref.store
// CHECK-NOT: scf.forall
// CHECK-NOT: linalg.
// CHECK: return
func.func @matmul_transposed(%at: memref<256x128xf16>, %bt: memref<96x256xf16>) -> memref<128x96xf16> {
  %cst = arith.constant 0.000000e+00 : f16
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<128x96xf16>
  scf.forall (%i, %j) = (0, 0) to (128, 96) step (64, 64) {
    %n = affine.min affine_map<(d0) -> (-d0 + 96, 64)>(%j)
    %sa = memref.subview %at[0, %i] [256, 64] [1, 1] : memref<256x128xf16> to memref<256x64xf16, strided<[128, 1], offset: ?>>
    %sb = memref.subview %bt[%j, 0] [%n, 256] [1, 1] : memref<96x256xf16> to memref<?x256xf16, strided<[256, 1], offset: ?>>
    %so = memref.subview %alloc[%i, %j] [64, %n] [1, 1] : memref<128x96xf16> to memref<64x?xf16, strided<[96, 1], offset: ?>>
    linalg.fill ins(%cst : f16) outs(%so : memref<64x?xf16, strided<[96, 1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%sa, %sb : memref<256x64xf16, strided<[128, 1], offset: ?>>, memref<?x256xf16, strided<[256, 1], offset: ?>>) outs(%so : memref<64x?xf16, strided<[96, 1], offset: ?>>) {
    ^bb0(%a: f16, %b: f16, %o: f16):
      %m = arith.mulf %a, %b : f16
      %s = arith.addf %o, %m : f16
      linalg.yield %s : f16
    }
  } {fuse.kernel = "group_3", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<128x96xf16>
}

// -----

// f32 data with fuse.precision = "fp16": cp.async cannot convert, so each
// 8-element chunk is loaded to registers (vector<8xf32>, zero outside),
// converted (arith.truncf) and stored to shared memory; the tensor-core path
// is the same (f16 mma.sync, f32 accumulators). The epilogue adds a residual
// in f32 (the matmul's type, no rounding).
// CHECK-LABEL: func.func @f32_as_fp16(
// CHECK: gpu.launch
// CHECK-NOT: nvgpu.device_async_copy
// CHECK: scf.if %{{.*}} -> (vector<8xf32>) {
// CHECK-NEXT: vector.load %{{.*}} : memref<64x128xf32>, vector<8xf32>
// CHECK: arith.truncf %{{.*}} : vector<8xf32> to vector<8xf16>
// CHECK-NEXT: vector.store %{{.*}} : memref<2x64x32xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK: nvgpu.device_async_create_group
// CHECK: scf.for
// CHECK: nvgpu.ldmatrix {{.*}} -> vector<4x2xf16>
// CHECK: nvgpu.mma.sync
// CHECK: scf.if
// CHECK-NEXT: memref.load %{{.*}} : memref<64x64xf32>
// CHECK-NEXT: arith.addf %{{.*}} : f32
// CHECK-NEXT: memref.store %{{.*}} : memref<64x64xf32>
// CHECK-NOT: linalg.
func.func @f32_as_fp16(%arg0: memref<64x128xf32>, %arg1: memref<128x64xf32>, %arg2: memref<64x64xf32>) -> memref<64x64xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<64x64xf32>
  scf.forall (%arg3) = (0) to (64) step (64) {
    %alloc_0 = memref.alloc() {alignment = 64 : i64} : memref<64x64xf32>
    linalg.fill ins(%cst : f32) outs(%alloc_0 : memref<64x64xf32>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : memref<64x128xf32>, memref<128x64xf32>) outs(%alloc_0 : memref<64x64xf32>) {
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %0 = arith.mulf %in, %in_1 : f32
      %1 = arith.addf %out, %0 : f32
      linalg.yield %1 : f32
    }
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%alloc_0, %arg2 : memref<64x64xf32>, memref<64x64xf32>) outs(%alloc : memref<64x64xf32>) {
    ^bb0(%in: f32, %in_1: f32, %out: f32):
      %0 = arith.addf %in, %in_1 : f32
      linalg.yield %0 : f32
    }
  } {fuse.kernel = "group_0", fuse.precision = "fp16", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return %alloc : memref<64x64xf32>
}

// -----

// Near-misses, left to the generic path: an f32 GEMM without a tensor-core
// precision, and one tuned as fma_gemm. The same GEMM with precision tf32
// is handled (control): f32 staged by cp.async in 16-byte chunks of 4,
// 32-bit ldmatrix (no .trans) for the K-contiguous A, ld.shared elements for
// the N-contiguous B, mma.sync m16n8k8 tf32.
// CHECK-LABEL: func.func @near_misses(
// CHECK-NOT: gpu.launch
// CHECK-NOT: nvgpu.
// CHECK: scf.forall
// CHECK: {fuse.generic_reason = "fuse-gpu-gemm: f32 operands without a tensor-core precision (tf32, fp16 or bf16)", fuse.kernel = "group_0", fuse.tile = #fuse.tile<"mma_sync"
// CHECK-NEXT: gpu.launch
// CHECK: nvgpu.device_async_copy {{.*}}, 4, %{{.*}} {bypassL1} : memref<64x128xf32> to memref<2x64x32xf32, #gpu.address_space<workgroup>>
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false} : memref<2x64x32xf32, #gpu.address_space<workgroup>> -> vector<4x1xf32>
// CHECK: memref.load {{.*}} : memref<2x32x64xf32, #gpu.address_space<workgroup>>
// CHECK: vector.from_elements {{.*}} : vector<2x1xf32>
// CHECK: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 8], tf32Enabled} : (vector<4x1xf32>, vector<2x1xf32>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK: {fuse.kernel = "group_1", fuse.kernel_impl = "mma_sync", fuse.precision = "tf32", fuse.tile = #fuse.tile<"mma_sync"
// CHECK: scf.forall
// CHECK: {fuse.kernel = "group_2", fuse.precision = "fp16", fuse.tile = #fuse.tile<"fma_gemm"
// CHECK-NOT: gpu.launch
func.func @near_misses(%a: memref<64x128xf32>, %b: memref<128x64xf32>, %o: memref<64x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f32
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
    linalg.matmul ins(%a, %b : memref<64x128xf32>, memref<128x64xf32>) outs(%o : memref<64x64xf32>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
    linalg.matmul ins(%a, %b : memref<64x128xf32>, memref<128x64xf32>) outs(%o : memref<64x64xf32>)
  } {fuse.kernel = "group_1", fuse.precision = "tf32", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f32) outs(%o : memref<64x64xf32>)
    linalg.matmul ins(%a, %b : memref<64x128xf32>, memref<128x64xf32>) outs(%o : memref<64x64xf32>)
  } {fuse.kernel = "group_2", fuse.precision = "fp16", fuse.tile = #fuse.tile<"fma_gemm", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 1 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// K = 100 is not a multiple of 8 halves: 16-byte cp.async chunks of the
// K-contiguous A would straddle rows, so A is staged by guarded element
// loads while B (N-contiguous, N = 64) keeps cp.async, both on mma.sync;
// the same GEMM with a named linalg.matmul and K = 128 is handled, and so
// is bf16, whose m16n8k16 is nvvm.mma.sync on the fragments' 32-bit
// registers (LLVM 22 cannot lower a bf16 nvgpu.mma.sync).
// CHECK-LABEL: func.func @k_not_multiple_of_8(
// CHECK: gpu.launch
// CHECK-NOT: nvgpu.device_async_copy %arg0
// CHECK: memref.load %arg0[%{{.*}}, %{{.*}}] : memref<64x100xf16>
// CHECK-NOT: nvgpu.device_async_copy %arg0
// CHECK: nvgpu.device_async_copy %arg1
// CHECK: nvgpu.mma.sync
// CHECK: {fuse.kernel = "group_0"
// CHECK: gpu.launch
// CHECK: nvgpu.mma.sync
// CHECK: {fuse.kernel = "group_1"
// CHECK: gpu.launch
// CHECK: nvgpu.ldmatrix {{.*}} -> vector<4x2xbf16>
// CHECK: vector.bitcast %{{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK: {fuse.kernel = "group_2"
// CHECK-NOT: scf.forall
func.func @k_not_multiple_of_8(%a: memref<64x100xf16>, %b: memref<100x64xf16>, %a2: memref<64x128xf16>, %b2: memref<128x64xf16>, %a3: memref<64x128xbf16>, %b3: memref<128x64xbf16>, %o: memref<64x64xf16>, %o3: memref<64x64xbf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  %cst3 = arith.constant 0.000000e+00 : bf16
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x100xf16>, memref<100x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a2, %b2 : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.kernel = "group_1", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst3 : bf16) outs(%o3 : memref<64x64xbf16>)
    linalg.matmul ins(%a3, %b3 : memref<64x128xbf16>, memref<128x64xbf16>) outs(%o3 : memref<64x64xbf16>)
  } {fuse.kernel = "group_2", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}

// -----

// tf32 with both operands transposed: A stored K x M (its fragments are
// ld.shared elements), B stored N x K (32-bit ldmatrix.x4).
// CHECK-LABEL: func.func @tf32_transposed(
// CHECK: gpu.launch
// CHECK: nvgpu.device_async_copy {{.*}}, 4, %{{.*}} {bypassL1}
// CHECK: scf.for
// CHECK: memref.load {{.*}} : memref<2x32x64xf32, #gpu.address_space<workgroup>>
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false} : memref<2x64x32xf32, #gpu.address_space<workgroup>> -> vector<4x1xf32>
// CHECK: vector.extract_strided_slice {{.*}} : vector<4x1xf32> to vector<2x1xf32>
// CHECK: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 8], tf32Enabled}
// CHECK-NOT: scf.forall
func.func @tf32_transposed(%at: memref<256x128xf32>, %bt: memref<96x256xf32>) -> memref<128x96xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<128x96xf32>
  scf.forall (%i, %j) = (0, 0) to (128, 96) step (64, 64) {
    %n = affine.min affine_map<(d0) -> (-d0 + 96, 64)>(%j)
    %sa = memref.subview %at[0, %i] [256, 64] [1, 1] : memref<256x128xf32> to memref<256x64xf32, strided<[128, 1], offset: ?>>
    %sb = memref.subview %bt[%j, 0] [%n, 256] [1, 1] : memref<96x256xf32> to memref<?x256xf32, strided<[256, 1], offset: ?>>
    %so = memref.subview %alloc[%i, %j] [64, %n] [1, 1] : memref<128x96xf32> to memref<64x?xf32, strided<[96, 1], offset: ?>>
    linalg.fill ins(%cst : f32) outs(%so : memref<64x?xf32, strided<[96, 1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%sa, %sb : memref<256x64xf32, strided<[128, 1], offset: ?>>, memref<?x256xf32, strided<[256, 1], offset: ?>>) outs(%so : memref<64x?xf32, strided<[96, 1], offset: ?>>) {
    ^bb0(%a: f32, %b: f32, %o: f32):
      %m = arith.mulf %a, %b : f32
      %s = arith.addf %o, %m : f32
      linalg.yield %s : f32
    }
  } {fuse.kernel = "group_4", fuse.precision = "tf32", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<128x96xf32>
}

// -----

// Near-misses: the epilogue reads another element of the buffer it writes
// (out[j][i] into out[i][j]: another thread's result), or uses a value the
// launch cannot rebuild (a dim of the body's temporary). The control adds
// the element's own old value (out[i][j] += ...) and is handled.
// CHECK-LABEL: func.func @epilogue_near_misses(
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
// CHECK: {fuse.generic_reason = "fuse-gpu-gemm: the epilogue reads another element of the output than the one it writes", fuse.kernel = "group_0"
// CHECK-NEXT: gpu.launch
// CHECK: memref.load %{{.*}} : memref<64x64xf16>
// CHECK-NEXT: arith.addf
// CHECK-NEXT: memref.store %{{.*}} : memref<64x64xf16>
// CHECK: {fuse.kernel = "group_1", fuse.kernel_impl = "mma_sync"
// CHECK-NEXT: scf.forall
// CHECK: {fuse.generic_reason = "fuse-gpu-gemm: an intermediate of the epilogue is read by another op of the tile", fuse.kernel = "group_2"
// CHECK-NOT: gpu.launch
func.func @epilogue_near_misses(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>) {
  %cst = arith.constant 0.000000e+00 : f16
  %c0 = arith.constant 0 : index
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() : memref<64x64xf16>
    linalg.fill ins(%cst : f16) outs(%t : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%t : memref<64x64xf16>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t, %o : memref<64x64xf16>, memref<64x64xf16>) outs(%o : memref<64x64xf16>) {
    ^bb0(%x: f16, %y: f16, %z: f16):
      %s = arith.addf %x, %y : f16
      linalg.yield %s : f16
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() : memref<64x64xf16>
    linalg.fill ins(%cst : f16) outs(%t : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%t : memref<64x64xf16>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x64xf16>) outs(%o : memref<64x64xf16>) {
    ^bb0(%x: f16, %z: f16):
      %s = arith.addf %x, %z : f16
      linalg.yield %s : f16
    }
  } {fuse.kernel = "group_1", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() : memref<64x64xf16>
    %d = memref.dim %t, %c0 : memref<64x64xf16>
    %di = arith.index_cast %d : index to i32
    %df = arith.sitofp %di : i32 to f16
    linalg.fill ins(%cst : f16) outs(%t : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%t : memref<64x64xf16>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x64xf16>) outs(%o : memref<64x64xf16>) {
    ^bb0(%x: f16, %z: f16):
      %s = arith.mulf %x, %df : f16
      linalg.yield %s : f16
    }
  } {fuse.kernel = "group_2", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  return
}
