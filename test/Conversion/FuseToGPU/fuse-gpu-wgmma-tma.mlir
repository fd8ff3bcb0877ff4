// TMA loads in the warpgroup GEMM (#fuse.tile<"wgmma", {..., tma = 1}>):
// A and B that are plain row-major views of buffers from outside the tile
// loop, whose shared rows are 128 bytes (the 128-byte swizzle), are copied
// by cp.async.bulk.tensor: a tensor map per operand made on the host
// (nvgpu.tma.create.descriptor: box = the operand's tile, rows x 64 f16 / 32
// f32, swizzle_128b like the wgmma descriptors), one mbarrier per stage
// (initialized by thread 0 to one arrival), thread 0 issuing the stage's
// arrive.expect_tx (the bytes of the stage's boxes) and its boxes, every
// thread waiting on the stage's phase parity ((kt / stages) % 2) before the
// fence and barrier of the K step. Other operands stay on cp.async, and
// fuse.wgmma_loads on the launch says why.
// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm{chip=sm_90a},canonicalize,cse))' | FileCheck %s
//
// On the CPU (Inputs/simulate_wgmma.py: the tensor map's box and swizzle
// applied as the PTX ISA defines them, the copies landing when their
// mbarrier phase is waited for, or --eager at issue), against numpy:
// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm{chip=sm_90a}),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.tma
// RUN: %python %S/Inputs/simulate_wgmma.py --func tma_bias_relu --expr "relu(a @ b + c)" < %t.tma | FileCheck %s --check-prefix=SIM-BIAS
// RUN: %python %S/Inputs/simulate_wgmma.py --func tma_bias_relu --expr "relu(a @ b + c)" --eager --smem-base 0 < %t.tma | FileCheck %s --check-prefix=SIM-BIAS
// RUN: %python %S/Inputs/simulate_wgmma.py --func tma_transposed --expr "a.T @ b.T" < %t.tma | FileCheck %s --check-prefix=SIM-TRANS
// RUN: %python %S/Inputs/simulate_wgmma.py --func tma_mixed --expr "relu(a @ b + c)" < %t.tma | FileCheck %s --check-prefix=SIM-MIXED
// RUN: %python %S/Inputs/simulate_wgmma.py --func tma_mixed --expr "relu(a @ b + c)" --eager < %t.tma | FileCheck %s --check-prefix=SIM-MIXED
// RUN: %python %S/Inputs/simulate_wgmma.py --func tma_tf32 --expr "a @ b.T" < %t.tma | FileCheck %s --check-prefix=SIM-TF32
// RUN: %python %S/Inputs/simulate_wgmma.py --func tma_k_slice --expr "a[:, :128] @ b" < %t.tma | FileCheck %s --check-prefix=SIM-SLICE
// SIM-BIAS: ok: 200x192 max abs error
// SIM-TRANS: ok: 128x96 max abs error
// SIM-MIXED: ok: 192x128 max abs error
// SIM-TF32: ok: 64x96 max abs error
// SIM-SLICE: ok: 64x64 max abs error
//
// Near-misses the simulator must catch: tensor maps whose swizzle is not
// the descriptors' (64B, none: the boxes land where the MMAs do not read
// them); no arrive.expect_tx (the phase never completes); no wait on the
// mbarrier (the MMAs read the stage before the copies land).
// RUN: sed -e 's/swizzle = swizzle_128b/swizzle = swizzle_64b/g' %t.tma | not %python %S/Inputs/simulate_wgmma.py --func tma_bias_relu --expr "relu(a @ b + c)" | FileCheck %s --check-prefix=WRONG
// RUN: sed -e 's/swizzle = swizzle_128b/swizzle = none/g' %t.tma | not %python %S/Inputs/simulate_wgmma.py --func tma_transposed --expr "a.T @ b.T" | FileCheck %s --check-prefix=WRONG
// RUN: sed -e '/"nvgpu.mbarrier.arrive.expect_tx"/d' %t.tma | not %python %S/Inputs/simulate_wgmma.py --func tma_bias_relu --expr "relu(a @ b + c)" 2>&1 | FileCheck %s --check-prefix=NOARRIVE
// RUN: sed -e '/"nvgpu.mbarrier.try_wait.parity"/d' %t.tma | not %python %S/Inputs/simulate_wgmma.py --func tma_bias_relu --expr "relu(a @ b + c)" | FileCheck %s --check-prefix=WRONG
// WRONG: FAIL
// NOARRIVE: mbarrier phase 0 never completes (0 of 1 arrivals

#min_m = affine_map<(d0) -> (-d0 + 200, 128)>
#min_n = affine_map<(d0) -> (-d0 + 192, 128)>
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// Both operands by TMA: A [m][k] (box 128 x 64), B [k][n] (two 64 x 64
// boxes, one per column block); 3 stages of 32768 bytes.
// CHECK-LABEL: func.func @tma_bias_relu(
// CHECK: %[[CA:.*]] = memref.cast %arg0 : memref<200x256xf16> to memref<*xf16>
// CHECK: %[[MA:.*]] = nvgpu.tma.create.descriptor %[[CA]] box[%c128, %c64] : memref<*xf16> -> <tensor = memref<128x64xf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b, l2promo = l2promo_128b, oob = zero, interleave = none>
// CHECK: %[[CB:.*]] = memref.cast %arg1 : memref<256x192xf16> to memref<*xf16>
// CHECK: %[[MB:.*]] = nvgpu.tma.create.descriptor %[[CB]] box[%c64, %c64] : memref<*xf16> -> <tensor = memref<64x64xf16, #gpu.address_space<workgroup>>, swizzle = swizzle_128b
// CHECK: gpu.launch
// CHECK: %[[BAR:.*]] = nvgpu.mbarrier.create -> <memorySpace = #gpu.address_space<workgroup>, num_barriers = 3>
// CHECK: %[[T0:.*]] = arith.cmpi eq, %arg6, %c0 : index
// CHECK: scf.if %[[T0]] {
// CHECK-NEXT: nvgpu.mbarrier.init %[[BAR]][%c0], %c1
// CHECK-NEXT: nvgpu.mbarrier.init %[[BAR]][%c1], %c1
// CHECK-NEXT: nvgpu.mbarrier.init %[[BAR]][%c2], %c1
// CHECK-NEXT: nvvm.fence.mbarrier.init
// CHECK: gpu.barrier
// CHECK: scf.if %[[T0]] {
// CHECK-NEXT: nvgpu.mbarrier.arrive.expect_tx %[[BAR]][%c0], %c32768
// CHECK: nvgpu.tma.async.load %[[MA]][%c0, %{{.*}}], %[[BAR]][%c0] to
// CHECK: nvgpu.tma.async.load %[[MB]][%{{.*}}, %c0], %[[BAR]][%c0] to
// CHECK: nvgpu.tma.async.load %[[MB]][%{{.*}}, %c0], %[[BAR]][%c0] to
// CHECK: nvgpu.mbarrier.arrive.expect_tx %[[BAR]][%c1], %c32768
// CHECK: nvgpu.tma.async.load %[[MA]][%c64, %{{.*}}], %[[BAR]][%c1] to
// CHECK: scf.for %[[KT:.*]] = %c0 to %c4
// CHECK: %[[PH:.*]] = arith.index_cast %{{.*}} : index to i1
// CHECK: nvgpu.mbarrier.try_wait.parity %[[BAR]][%{{.*}}], %[[PH]], %c10000000
// CHECK-NEXT: nvvm.fence.proxy
// CHECK-NEXT: gpu.barrier
// CHECK: nvvm.wgmma.mma_async
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: nvgpu.mbarrier.arrive.expect_tx %[[BAR]][%{{.*}}], %c32768
// CHECK: nvgpu.tma.async.load %[[MA]]
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK-NOT: nvgpu.device_async
// CHECK: fuse.wgmma_loads = {a = "tma", b = "tma"}
func.func @tma_bias_relu(%arg0: memref<200x256xf16>, %arg1: memref<256x192xf16>, %arg2: memref<192xf16>) -> memref<200x192xf16> {
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
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 128 : i64, BN = 128 : i64, stages = 3 : i64, vector = 1 : i64, tma = 1 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<200x192xf16>
}


// -----

// Both transposed: A [k][m] (M-major, box 64 x 64), B [n][k] (K-major, box
// 64 x 64); 2 stages (parity (kt / 2) % 2).
// CHECK-LABEL: func.func @tma_transposed(
// CHECK: nvgpu.tma.create.descriptor %{{.*}} box[%c64, %c64] : memref<*xf16> -> <tensor = memref<64x64xf16
// CHECK: nvgpu.tma.create.descriptor %{{.*}} box[%c64, %c64] : memref<*xf16> -> <tensor = memref<64x64xf16
// CHECK: nvgpu.mbarrier.create -> <memorySpace = #gpu.address_space<workgroup>, num_barriers = 2>
// CHECK: nvgpu.mbarrier.arrive.expect_tx %{{.*}}[%c0], %c16384
// CHECK-NOT: nvgpu.device_async_copy
// CHECK: fuse.wgmma_loads = {a = "tma", b = "tma"}
func.func @tma_transposed(%at: memref<256x128xf16>, %bt: memref<96x256xf16>) -> memref<128x96xf16> {
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
  } {fuse.kernel = "group_3", fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, tma = 1 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<128x96xf16>
}


// -----

// Mixed: BK = 32 gives A (K-major) rows of 64 bytes, copied by cp.async
// (and waited for with wait_group and the fence); B [k][n] with BN = 64 by
// TMA (one 32 x 64 box of 4096 bytes per stage).
// CHECK-LABEL: func.func @tma_mixed(
// CHECK-COUNT-1: nvgpu.tma.create.descriptor %{{.*}} box[%c32, %c64]
// CHECK: nvgpu.mbarrier.arrive.expect_tx %{{.*}}, %c4096
// CHECK: nvgpu.device_async_copy
// CHECK: scf.for
// CHECK: nvgpu.mbarrier.try_wait.parity
// CHECK-NEXT: nvgpu.device_async_wait %{{.*}} {numGroups = 2 : i32}
// CHECK-NEXT: nvvm.fence.proxy
// CHECK: fuse.wgmma_loads = {a = "cp.async: its shared rows are 64 bytes (TMA boxes here use the 128-byte swizzle)", b = "tma"}
func.func @tma_mixed(%x: memref<192x80xf16>, %w: memref<80x128xf16>, %bias: memref<128xf16>) -> memref<192x128xf16> {
  %cst = arith.constant 0.000000e+00 : f16
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<192x128xf16>
  scf.forall (%i, %j) = (0, 0) to (192, 128) step (128, 64) {
    %m = affine.min affine_map<(d0) -> (-d0 + 192, 128)>(%i)
    %sa = memref.subview %x[%i, 0] [%m, 80] [1, 1] : memref<192x80xf16> to memref<?x80xf16, strided<[80, 1], offset: ?>>
    %sb = memref.subview %w[0, %j] [80, 64] [1, 1] : memref<80x128xf16> to memref<80x64xf16, strided<[128, 1], offset: ?>>
    %acc = memref.alloc(%m) {alignment = 64 : i64} : memref<?x64xf16>
    linalg.fill ins(%cst : f16) outs(%acc : memref<?x64xf16>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%sa, %sb : memref<?x80xf16, strided<[80, 1], offset: ?>>, memref<80x64xf16, strided<[128, 1], offset: ?>>) outs(%acc : memref<?x64xf16>) {
    ^bb0(%a: f16, %b: f16, %o: f16):
      %p = arith.mulf %a, %b : f16
      %s = arith.addf %o, %p : f16
      linalg.yield %s : f16
    }
    %sbias = memref.subview %bias[%j] [64] [1] : memref<128xf16> to memref<64xf16, strided<[1], offset: ?>>
    %so = memref.subview %alloc[%i, %j] [%m, 64] [1, 1] : memref<192x128xf16> to memref<?x64xf16, strided<[128, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%acc, %sbias : memref<?x64xf16>, memref<64xf16, strided<[1], offset: ?>>) outs(%so : memref<?x64xf16, strided<[128, 1], offset: ?>>) {
    ^bb0(%a: f16, %b: f16, %o: f16):
      %s = arith.addf %a, %b : f16
      %r = arith.maximumf %s, %cst : f16
      linalg.yield %r : f16
    }
  } {fuse.kernel = "group_1", fuse.tile = #fuse.tile<"wgmma", {BK = 32 : i64, BM = 128 : i64, BN = 64 : i64, stages = 4 : i64, tma = 1 : i64, warpgroups = 2 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<192x128xf16>
}


// -----

// Near-miss: f32 data converted to f16 while staging stays on cp.async's
// register path for both operands (no tensor map, no mbarrier).
// CHECK-LABEL: func.func @tma_f32_converted(
// CHECK-NOT: nvgpu.tma
// CHECK-NOT: nvgpu.mbarrier
// CHECK: fuse.wgmma_loads = {a = "cp.async: converted from f32 while staging (TMA copies bytes)", b = "cp.async: converted from f32 while staging (TMA copies bytes)"}
func.func @tma_f32_converted(%arg0: memref<64x128xf32>, %arg1: memref<128x64xf32>, %arg2: memref<64x64xf32>) -> memref<64x64xf32> {
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
  } {fuse.kernel = "group_0", fuse.precision = "fp16", fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, tma = 1 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %alloc : memref<64x64xf32>
}


// -----

// tf32: f32 boxes of 32 elements (128 bytes) per row.
// CHECK-LABEL: func.func @tma_tf32(
// CHECK: nvgpu.tma.create.descriptor %{{.*}} box[%c64, %c32] : memref<*xf32> -> <tensor = memref<64x32xf32
// CHECK: nvgpu.tma.create.descriptor %{{.*}} box[%c32, %c32] : memref<*xf32> -> <tensor = memref<32x32xf32
// CHECK: fuse.wgmma_loads = {a = "tma", b = "tma"}
func.func @tma_tf32(%a: memref<64x128xf32>, %bt: memref<96x128xf32>) -> memref<64x96xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<64x96xf32>
  scf.forall (%j) = (0) to (96) step (32) {
    %sb = memref.subview %bt[%j, 0] [32, 128] [1, 1] : memref<96x128xf32> to memref<32x128xf32, strided<[128, 1], offset: ?>>
    %so = memref.subview %alloc[0, %j] [64, 32] [1, 1] : memref<64x96xf32> to memref<64x32xf32, strided<[96, 1], offset: ?>>
    linalg.fill ins(%cst : f32) outs(%so : memref<64x32xf32, strided<[96, 1], offset: ?>>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %sb : memref<64x128xf32>, memref<32x128xf32, strided<[128, 1], offset: ?>>) outs(%so : memref<64x32xf32, strided<[96, 1], offset: ?>>) {
    ^bb0(%x: f32, %y: f32, %o: f32):
      %m = arith.mulf %x, %y : f32
      %s = arith.addf %o, %m : f32
      linalg.yield %s : f32
    }
  } {fuse.kernel = "group_2", fuse.precision = "tf32", fuse.tile = #fuse.tile<"wgmma", {BK = 32 : i64, BM = 64 : i64, BN = 32 : i64, stages = 2 : i64, tma = 1 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %alloc : memref<64x96xf32>
}

// -----

// Near-miss: A is the first 128 of the 256 columns (K) of its buffer: a box
// would read K elements past the operand's K (cp.async zero-fills them);
// B stays on TMA.
// CHECK-LABEL: func.func @tma_k_slice(
// CHECK-COUNT-1: nvgpu.tma.create.descriptor
// CHECK-NOT: nvgpu.tma.create.descriptor
// CHECK: fuse.wgmma_loads = {a = "cp.async: it is a view of part of its buffer's K dim", b = "tma"}
func.func @tma_k_slice(%x: memref<64x256xf16>, %w: memref<128x64xf16>) -> memref<64x64xf16> {
  %cst = arith.constant 0.000000e+00 : f16
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<64x64xf16>
  scf.forall (%i) = (0) to (64) step (64) {
    %sa = memref.subview %x[0, 0] [64, 128] [1, 1] : memref<64x256xf16> to memref<64x128xf16, strided<[256, 1]>>
    linalg.fill ins(%cst : f16) outs(%alloc : memref<64x64xf16>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%sa, %w : memref<64x128xf16, strided<[256, 1]>>, memref<128x64xf16>) outs(%alloc : memref<64x64xf16>) {
    ^bb0(%a: f16, %b: f16, %o: f16):
      %m = arith.mulf %a, %b : f16
      %s = arith.addf %o, %m : f16
      linalg.yield %s : f16
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, tma = 1 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %alloc : memref<64x64xf16>
}

// -----

// Near-miss: without tma = 1 the same GEMM is all cp.async.
// CHECK-LABEL: func.func @no_tma(
// CHECK-NOT: nvgpu.tma
// CHECK-NOT: nvgpu.mbarrier
// CHECK: nvgpu.device_async_copy
// CHECK: fuse.wgmma_loads = {a = "cp.async: the tile config asks for cp.async", b = "cp.async: the tile config asks for cp.async"}
func.func @no_tma(%x: memref<64x128xf16>, %w: memref<128x64xf16>) -> memref<64x64xf16> {
  %cst = arith.constant 0.000000e+00 : f16
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<64x64xf16>
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%alloc : memref<64x64xf16>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<64x128xf16>, memref<128x64xf16>) outs(%alloc : memref<64x64xf16>) {
    ^bb0(%a: f16, %b: f16, %o: f16):
      %m = arith.mulf %a, %b : f16
      %s = arith.addf %o, %m : f16
      linalg.yield %s : f16
    }
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %alloc : memref<64x64xf16>
}
