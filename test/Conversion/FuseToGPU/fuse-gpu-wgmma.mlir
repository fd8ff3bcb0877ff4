// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm{chip=sm_90a},canonicalize,cse))' | FileCheck %s
//
// The warpgroup kernels on the CPU (Inputs/simulate_wgmma.py: the
// descriptors decoded and the swizzle applied as the PTX ISA defines them,
// the D fragment layout, MMAs reading shared memory when their group is
// waited for; cp.async copies landing at their wait_group, or with --eager
// at issue; the dynamic shared memory at a shared address that is not a
// multiple of 1024), against numpy:
// RUN: fuse-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(fuse-gpu-gemm{chip=sm_90a}),lower-affine,canonicalize,cse)' --mlir-print-op-generic > %t.wgmma
// RUN: %python %S/Inputs/simulate_wgmma.py --func matmul_bias_relu --expr "relu(a @ b + c)" < %t.wgmma | FileCheck %s --check-prefix=SIM-BIAS
// RUN: %python %S/Inputs/simulate_wgmma.py --func matmul_bias_relu --expr "relu(a @ b + c)" --eager --smem-base 0 < %t.wgmma | FileCheck %s --check-prefix=SIM-BIAS
// RUN: %python %S/Inputs/simulate_wgmma.py --func matmul_transposed --expr "a.T @ b.T" < %t.wgmma | FileCheck %s --check-prefix=SIM-TRANS
// RUN: %python %S/Inputs/simulate_wgmma.py --func matmul_transposed --expr "a.T @ b.T" --eager < %t.wgmma | FileCheck %s --check-prefix=SIM-TRANS
// RUN: %python %S/Inputs/simulate_wgmma.py --func two_warpgroups --expr "relu(a @ b + c)" < %t.wgmma | FileCheck %s --check-prefix=SIM-WG2
// RUN: %python %S/Inputs/simulate_wgmma.py --func two_warpgroups --expr "relu(a @ b + c)" --eager < %t.wgmma | FileCheck %s --check-prefix=SIM-WG2
// RUN: %python %S/Inputs/simulate_wgmma.py --func f32_as_fp16 --expr "a @ b + c" < %t.wgmma | FileCheck %s --check-prefix=SIM-F32
// RUN: %python %S/Inputs/simulate_wgmma.py --func tf32_k_major --expr "a @ b.T" < %t.wgmma | FileCheck %s --check-prefix=SIM-TF32
// SIM-BIAS: ok: 200x192 max abs error
// SIM-TRANS: ok: 128x96 max abs error
// SIM-WG2: ok: 192x96 max abs error
// SIM-F32: ok: 64x64 max abs error
// SIM-TF32: ok: 64x96 max abs error
//
// Near-misses the simulator must catch: a wrong expectation; copies that
// do not swizzle (arith.xori -> arith.ori: the pattern the copies write no
// longer matches the one the descriptors read); a wrong stride byte offset
// in B's K-major descriptor (512 instead of 1024 bytes per 8 rows); a
// cp.async wait for one group too few (a stage read before its copies
// landed); wgmma.wait_group 1 (the accumulators read before the MMAs
// retired); no fence.proxy.async.
// RUN: not %python %S/Inputs/simulate_wgmma.py --func matmul_bias_relu --expr "relu(a @ b)" < %t.wgmma | FileCheck %s --check-prefix=WRONG
// RUN: sed -e 's/"arith.xori"/"arith.ori"/' %t.wgmma | not %python %S/Inputs/simulate_wgmma.py --func matmul_transposed --expr "a.T @ b.T" | FileCheck %s --check-prefix=WRONG
// RUN: sed -e 's/value = 4611686293305360384 : i64/value = 4611686155866406912 : i64/' %t.wgmma | not %python %S/Inputs/simulate_wgmma.py --func matmul_transposed --expr "a.T @ b.T" | FileCheck %s --check-prefix=WRONG
// RUN: sed -e 's/numGroups = 1 : i32/numGroups = 2 : i32/' %t.wgmma | not %python %S/Inputs/simulate_wgmma.py --func matmul_bias_relu --expr "relu(a @ b + c)" | FileCheck %s --check-prefix=WRONG
// RUN: sed -e 's/"nvvm.wgmma.wait.group.sync.aligned"() <{group = 0 : i64}>/"nvvm.wgmma.wait.group.sync.aligned"() <{group = 1 : i64}>/' %t.wgmma | not %python %S/Inputs/simulate_wgmma.py --func matmul_bias_relu --expr "relu(a @ b + c)" 2>&1 | FileCheck %s --check-prefix=NOWAIT
// RUN: sed -e '/"nvvm.fence.proxy"/d' %t.wgmma | not %python %S/Inputs/simulate_wgmma.py --func matmul_bias_relu --expr "relu(a @ b + c)" 2>&1 | FileCheck %s --check-prefix=NOFENCE
// WRONG: FAIL
// NOWAIT: accumulator read before wgmma.wait_group
// NOFENCE: without fence.proxy.async

#min_m = affine_map<(d0) -> (-d0 + 200, 128)>
#min_n = affine_map<(d0) -> (-d0 + 192, 128)>
#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>

// M = 200 and N = 192 are not multiples of the 128x128 tile (zero-filled
// chunks, guarded stores). One warpgroup: two m64n128k16 per 16-deep K
// slice, 4 slices per BK = 64 step. A [m][k] (K-major, 128-byte rows: one
// column block, 128B swizzle), B [k][n] (N-major: two column blocks of 64).
// Shared memory: 3 x (128x64 + 64x128) f16 + 1024 (alignment) = 99328.
// CHECK-LABEL: func.func @matmul_bias_relu(
// CHECK-NOT: scf.forall
// CHECK-DAG: %[[SMEM:.*]] = arith.constant 99328 : i32
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %c2, %{{.*}} = %c2, %{{.*}} = %c1) threads({{.*}}) in (%{{.*}} = %c128, %{{.*}} = %c1, %{{.*}} = %c1) dynamic_shared_memory_size %[[SMEM]]
// CHECK: %[[DSM:.*]] = gpu.dynamic_shared_memory
// CHECK: %[[ADDR:.*]] = memref.extract_aligned_pointer_as_index %[[DSM]]
// CHECK: memref.view %[[DSM]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<3x1x128x64xf16, #gpu.address_space<workgroup>>
// CHECK: memref.view %[[DSM]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<3x2x64x64xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_copy {{.*}} : memref<?x256xf16, strided<[256, 1], offset: ?>> to memref<3x1x128x64xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_copy {{.*}} : memref<256x?xf16, strided<[192, 1], offset: ?>> to memref<3x2x64x64xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_create_group
// CHECK: %[[G1:.*]] = nvgpu.device_async_create_group
// CHECK-NOT: nvgpu.device_async_create_group
// CHECK: llvm.insertvalue
// CHECK: scf.for {{.*}} -> (!llvm.struct<(f32,
// CHECK-NEXT: nvgpu.device_async_wait %[[G1]] {numGroups = 1 : i32}
// CHECK-NEXT: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT: gpu.barrier
// CHECK: nvvm.wgmma.fence.aligned
// CHECK: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 128, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <row>]
// CHECK-COUNT-7: nvvm.wgmma.mma_async
// CHECK-NOT: nvvm.wgmma.mma_async
// CHECK: nvvm.wgmma.commit.group.sync.aligned
// CHECK: nvgpu.device_async_copy
// CHECK: nvgpu.device_async_create_group
// CHECK: nvvm.wgmma.wait.group.sync.aligned 0
// CHECK: scf.yield
// CHECK: nvgpu.device_async_wait %[[G1]] {numGroups = 0 : i32}
// The epilogue per accumulator register: rounded to f16, + bias, relu, one
// store.
// CHECK: llvm.extractvalue
// CHECK: scf.if
// CHECK-NEXT: arith.truncf %{{.*}} : f32 to f16
// CHECK-NEXT: memref.load
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.maximumf
// CHECK-NEXT: memref.store
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "wgmma", fuse.tile = #fuse.tile<"wgmma"
// CHECK-NOT: linalg.
// CHECK: return
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
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 128 : i64, BN = 128 : i64, stages = 3 : i64, vector = 1 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<200x192xf16>
}

// -----

// Both operands transposed: A stored K x M (M-major: imm-trans-a, layout
// col), B stored N x K (K-major, layout col); 2 stages (wait_group 0); N =
// 96 is a partial 64-wide tile.
// CHECK-LABEL: func.func @matmul_transposed(
// CHECK: memref.view {{.*}} to memref<2x1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<2x1x64x64xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_wait %{{.*}} {numGroups = 0 : i32}
// CHECK: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 64, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <col>], B[<f16>, <one>, <col>]
// CHECK-NOT: scf.forall
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
  } {fuse.kernel = "group_3", fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<128x96xf16>
}

// -----

// Two warpgroups (256 threads), each owning 64 of the 128 rows; BN = 32
// (B rows of 64 bytes: 64B swizzle), BK = 32 (A rows of 64 bytes), K = 80
// is not a multiple of BK (the last step zero-filled past 80), 4 stages.
// CHECK-LABEL: func.func @two_warpgroups(
// CHECK: gpu.launch {{.*}} threads({{.*}}) in (%{{.*}} = %c256,
// CHECK: memref.view {{.*}} to memref<4x1x128x32xf16, #gpu.address_space<workgroup>>
// CHECK: memref.view {{.*}} to memref<4x1x32x32xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_wait %{{.*}} {numGroups = 2 : i32}
// CHECK: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 32, k = 16>
// CHECK-COUNT-1: nvvm.wgmma.mma_async
// CHECK-NOT: nvvm.wgmma.mma_async
// CHECK: nvvm.wgmma.commit.group.sync.aligned
func.func @two_warpgroups(%x: memref<192x80xf16>, %w: memref<80x96xf16>, %bias: memref<96xf16>) -> memref<192x96xf16> {
  %cst = arith.constant 0.000000e+00 : f16
  %alloc = memref.alloc() {alignment = 64 : i64} : memref<192x96xf16>
  scf.forall (%i, %j) = (0, 0) to (192, 96) step (128, 32) {
    %m = affine.min affine_map<(d0) -> (-d0 + 192, 128)>(%i)
    %sa = memref.subview %x[%i, 0] [%m, 80] [1, 1] : memref<192x80xf16> to memref<?x80xf16, strided<[80, 1], offset: ?>>
    %sb = memref.subview %w[0, %j] [80, 32] [1, 1] : memref<80x96xf16> to memref<80x32xf16, strided<[96, 1], offset: ?>>
    %acc = memref.alloc(%m) {alignment = 64 : i64} : memref<?x32xf16>
    linalg.fill ins(%cst : f16) outs(%acc : memref<?x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%sa, %sb : memref<?x80xf16, strided<[80, 1], offset: ?>>, memref<80x32xf16, strided<[96, 1], offset: ?>>) outs(%acc : memref<?x32xf16>) {
    ^bb0(%a: f16, %b: f16, %o: f16):
      %p = arith.mulf %a, %b : f16
      %s = arith.addf %o, %p : f16
      linalg.yield %s : f16
    }
    %sbias = memref.subview %bias[%j] [32] [1] : memref<96xf16> to memref<32xf16, strided<[1], offset: ?>>
    %so = memref.subview %alloc[%i, %j] [%m, 32] [1, 1] : memref<192x96xf16> to memref<?x32xf16, strided<[96, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%acc, %sbias : memref<?x32xf16>, memref<32xf16, strided<[1], offset: ?>>) outs(%so : memref<?x32xf16, strided<[96, 1], offset: ?>>) {
    ^bb0(%a: f16, %b: f16, %o: f16):
      %s = arith.addf %a, %b : f16
      %r = arith.maximumf %s, %cst : f16
      linalg.yield %r : f16
    }
  } {fuse.kernel = "group_1", fuse.tile = #fuse.tile<"wgmma", {BK = 32 : i64, BM = 128 : i64, BN = 32 : i64, stages = 4 : i64, warpgroups = 2 : i64}>, mapping = [#gpu.block<y>, #gpu.block<x>]}
  return %alloc : memref<192x96xf16>
}

// -----

// f32 data at fuse.precision = "fp16": staged through registers (load,
// truncf, st.shared) into the same swizzled layout; the residual is added
// in f32.
// CHECK-LABEL: func.func @f32_as_fp16(
// CHECK: vector.load {{.*}} : memref<64x128xf32>, vector<8xf32>
// CHECK: arith.truncf {{.*}} : vector<8xf32> to vector<8xf16>
// CHECK: vector.store {{.*}} : memref<2x1x64x64xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK: nvvm.wgmma.mma_async {{.*}} A[<f16>, <one>, <row>], B[<f16>, <one>, <row>]
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
  } {fuse.kernel = "group_0", fuse.precision = "fp16", fuse.tile = #fuse.tile<"wgmma", {BK = 64 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %alloc : memref<64x64xf32>
}

// -----

// tf32: f32 copied as is (16-byte chunks of 4), both operands K-major (32 f32
// per 128-byte row), m64nNk8 tf32.
// CHECK-LABEL: func.func @tf32_k_major(
// CHECK: nvgpu.device_async_copy {{.*}}, 4, {{.*}} : memref<64x128xf32> to memref<2x1x64x32xf32, #gpu.address_space<workgroup>>
// CHECK: nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 32, k = 8>, D[<f32>, <one>], A[<tf32>, <one>, <row>], B[<tf32>, <one>, <col>]
func.func @tf32_k_major(%a: memref<64x128xf32>, %bt: memref<96x128xf32>) -> memref<64x96xf32> {
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
  } {fuse.kernel = "group_2", fuse.precision = "tf32", fuse.tile = #fuse.tile<"wgmma", {BK = 32 : i64, BM = 64 : i64, BN = 32 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return %alloc : memref<64x96xf32>
}

// -----

// Near-misses: the same GEMM tuned as mma_sync gets the mma.sync kernel
// (no wgmma), tf32 with an N-contiguous B (wgmma cannot transpose 32-bit
// operands) stays on the generic path, and so does an f32 wgmma tile
// without a tensor-core precision; each records why (fuse.generic_reason).
// CHECK-LABEL: func.func @near_misses(
// CHECK: gpu.launch
// CHECK-NOT: nvvm.wgmma
// CHECK: nvgpu.mma.sync
// CHECK-NOT: nvvm.wgmma
// CHECK: scf.forall
// CHECK: {fuse.generic_reason = "fuse-gpu-gemm (wgmma): tf32 operands that are not k-contiguous (wgmma transposes 16-bit operands only)", fuse.kernel = "group_1", fuse.precision = "tf32", fuse.tile = #fuse.tile<"wgmma"
// CHECK: scf.forall
// CHECK: {fuse.generic_reason = "fuse-gpu-gemm (wgmma): f32 operands without a tensor-core precision (tf32, fp16 or bf16)", fuse.kernel = "group_2", fuse.tile = #fuse.tile<"wgmma"
// CHECK-NOT: nvvm.wgmma
// CHECK: return
func.func @near_misses(%a: memref<64x128xf16>, %b: memref<128x64xf16>, %o: memref<64x64xf16>, %af: memref<64x128xf32>, %bf: memref<128x64xf32>, %of: memref<64x64xf32>) {
  %cst = arith.constant 0.000000e+00 : f16
  %cstf = arith.constant 0.000000e+00 : f32
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cst : f16) outs(%o : memref<64x64xf16>)
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x64xf16>) outs(%o : memref<64x64xf16>)
  } {fuse.kernel = "group_0", fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warps = 4 : i64}>, mapping = [#gpu.block<x>]}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cstf : f32) outs(%of : memref<64x64xf32>)
    linalg.matmul ins(%af, %bf : memref<64x128xf32>, memref<128x64xf32>) outs(%of : memref<64x64xf32>)
  } {fuse.kernel = "group_1", fuse.precision = "tf32", fuse.tile = #fuse.tile<"wgmma", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%cstf : f32) outs(%of : memref<64x64xf32>)
    linalg.matmul ins(%af, %bf : memref<64x128xf32>, memref<128x64xf32>) outs(%of : memref<64x64xf32>)
  } {fuse.kernel = "group_2", fuse.tile = #fuse.tile<"wgmma", {BK = 32 : i64, BM = 64 : i64, BN = 64 : i64, stages = 2 : i64, warpgroups = 1 : i64}>, mapping = [#gpu.block<x>]}
  return
}
