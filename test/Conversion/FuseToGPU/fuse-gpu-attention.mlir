// RUN: fuse-opt %s -split-input-file --fuse-gpu-attention | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-gpu-attention=host=true | FileCheck %s --check-prefix=HOST

// Non-causal, additive mask broadcast from [B,1,1,Skv], D = 64: one block
// per (64 query rows, batch x head), 4 warps of 16 rows; the operands are
// read through strided views, the output is a fresh buffer.
// CHECK-LABEL: func.func @masked_d64(
// CHECK: fuse.group
// CHECK-DAG: %[[Q:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x4x100x64xf32> to memref<2x4x100x64xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK-DAG: %[[M:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x1x1x80xf32> to memref<2x1x1x80xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<2x4x100x64xf32>
// CHECK-DAG: %[[QT:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[BH:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[T:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[SMEM:.*]] = arith.constant 58368 : i32
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %[[QT]], {{.*}} = %[[BH]], {{.*}}) threads({{.*}}) in ({{.*}} = %[[T]], {{.*}}) dynamic_shared_memory_size %[[SMEM]]
// CHECK: gpu.dynamic_shared_memory
// CHECK: memref.load %[[Q]]
// CHECK: gpu.barrier
// Main loop over the K/V tiles: O (16 rows x 2 columns), m, l per lane.
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (f32, f32
// Prefetch of the next tile into the other buffer (stages = 2).
// CHECK: scf.if
// CHECK: vector.load {{.*}} : memref<4352xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK: math.fma
// CHECK: memref.load %[[M]]
// CHECK: arith.maximumf
// CHECK: gpu.shuffle  xor
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: math.exp
// CHECK: gpu.barrier
// CHECK: math.fma
// CHECK: gpu.barrier
// CHECK: scf.yield
// One division per output element at the end, stores for existing rows.
// CHECK: gpu.shuffle  xor
// CHECK: arith.divf
// CHECK: memref.store {{.*}}, %[[OUT]]
// CHECK: } {fuse.attention_tile = {BKV = 32 : i64, BQ = 64 : i64, buffers = 2 : i64, math = "fma_f32", shared_bytes = 58368 : i64, warps = 4 : i64}, fuse.kernel = "group_0", fuse.kernel_impl = "flash_attention"}
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK: fuse.yield %[[R]]
// CHECK-NOT: fuse.attention
// host=true: the same kernel as loops on the host. The shared memory
// (same layout) and the threads' registers (one row per thread of the
// block) are buffers; blocks (y outer, x inner) run one after the other,
// each phase of the kernel for all 128 threads before the next; the warp
// shuffles are xor butterflies over the lanes' rows.
// HOST-LABEL: func.func @masked_d64(
// HOST-NOT: gpu.
// HOST: scf.execute_region
// HOST: %[[QS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<4096xf32>
// HOST: %[[KS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<4352xf32>
// HOST: %[[ACC:.*]] = memref.alloca() : memref<128x32xf32>
// HOST: %[[MAXES:.*]] = memref.alloca() : memref<128x16xf32>
// HOST: %[[SUMS:.*]] = memref.alloca() : memref<128x16xf32>
// HOST: %[[SCORES:.*]] = memref.alloca() : memref<128x16xf32>
// HOST: %[[ROWMAX:.*]] = memref.alloca() : memref<128x16xf32>
// HOST: %[[SCRATCH:.*]] = memref.alloca() : memref<128x16xf32>
// HOST: scf.for %{{.*}} = %c0 to %c8 step
// HOST: scf.for %{{.*}} = %{{.*}} to %c2 step
// HOST: scf.for %[[TID:.*]] = %{{.*}} to %c128{{[_0-9]*}} step
// HOST: memref.store %{{.*}}, %[[QS]]
// HOST: scf.for
// HOST: vector.load %[[KS]]
// HOST: math.fma
// HOST: memref.store %{{.*}}, %[[ROWMAX]]
// HOST: scf.for %[[T2:.*]] = %{{.*}} to %c128{{[_0-9]*}} step
// HOST: %[[PARTNER:.*]] = arith.xori %[[T2]], %c16{{[_0-9]*}} : index
// HOST: memref.load %[[ROWMAX]][%[[PARTNER]], %{{.*}}]
// HOST: arith.maximumf
// HOST: memref.store %{{.*}}, %[[SCRATCH]]
// HOST: arith.xori %{{.*}}, %c1{{[_0-9]*}} : index
// HOST: math.exp
// HOST: arith.divf
// HOST: } {fuse.attention_tile = {{.*}}, fuse.kernel = "group_0"}
// HOST-NOT: fuse.attention {{.*}}:
func.func @masked_d64(%q: tensor<2x4x100x64xf32>, %k: tensor<2x4x80x64xf32>, %v: tensor<2x4x80x64xf32>, %m: tensor<2x1x1x80xf32>) -> tensor<2x4x100x64xf32> {
  %0 = fuse.group(%q, %k, %v, %m) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<2x4x100x64xf32>, tensor<2x4x80x64xf32>, tensor<2x4x80x64xf32>, tensor<2x1x1x80xf32>) -> tensor<2x4x100x64xf32> {
  ^bb0(%a: tensor<2x4x100x64xf32>, %b: tensor<2x4x80x64xf32>, %c: tensor<2x4x80x64xf32>, %d: tensor<2x1x1x80xf32>):
    %1 = fuse.attention %a, %b, %c mask %d : (tensor<2x4x100x64xf32>, tensor<2x4x80x64xf32>, tensor<2x4x80x64xf32>, tensor<2x1x1x80xf32>) -> tensor<2x4x100x64xf32>
    fuse.yield %1 : tensor<2x4x100x64xf32>
  }
  return %0 : tensor<2x4x100x64xf32>
}

// -----

// Causal, D = 128, one K/V buffer (stages = 1), 8 warps: the tile loop
// stops at the last tile with a visible key (min(q0 + BQ + Skv - S, Skv)
// rounded up to tiles), the diagonal is masked with -inf per element; the
// group after a non-attention group is group_1.
// HOST-LABEL: func.func @causal_d128(
// CHECK-LABEL: func.func @causal_d128(
// CHECK: fuse.group
// CHECK: gpu.launch
// CHECK-SAME: threads({{.*}}) in ({{.*}} = %c256
// CHECK: %[[Q0:.*]] = arith.muli %{{.*}}, %c128 : index
// CHECK: %[[LAST:.*]] = arith.addi %[[Q0]], %c128
// CHECK: %[[MIN:.*]] = arith.minsi %[[LAST]], %c256
// CHECK: %[[MAX:.*]] = arith.maxsi %[[MIN]], %c0
// CHECK: %[[UP:.*]] = arith.addi %[[MAX]], %c63
// CHECK: %[[TILES:.*]] = arith.divui %[[UP]], %c64
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %[[TILES]] step
// Single buffer: load, barrier, compute.
// CHECK-NOT: scf.if
// CHECK: gpu.barrier
// CHECK: math.fma
// CHECK: arith.cmpi sgt
// CHECK: arith.ori
// CHECK: arith.select
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: gpu.barrier
// CHECK: } {fuse.attention_tile = {BKV = 64 : i64, BQ = 128 : i64, buffers = 1 : i64, math = "fma_f32", shared_bytes = 164864 : i64, warps = 8 : i64}, fuse.kernel = "group_1", fuse.kernel_attrs = {nvvm.minctasm = 1 : i32}, fuse.kernel_impl = "flash_attention"}
func.func @causal_d128(%q: tensor<1x2x256x128xf32>, %k: tensor<1x2x256x128xf32>, %v: tensor<1x2x256x128xf32>) -> tensor<1x2x256x128xf32> {
  %e = fuse.group(%q) {fuse.tile = #fuse.tile<"elementwise", {threads = 256 : i64, vector = 1 : i64}>} : (tensor<1x2x256x128xf32>) -> tensor<1x2x256x128xf32> {
  ^bb0(%a: tensor<1x2x256x128xf32>):
    %1 = fuse.relu %a : tensor<1x2x256x128xf32>
    fuse.yield %1 : tensor<1x2x256x128xf32>
  }
  %0 = fuse.group(%e, %k, %v) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 64 : i64, BQ = 128 : i64, stages = 1 : i64, warps = 8 : i64}>} : (tensor<1x2x256x128xf32>, tensor<1x2x256x128xf32>, tensor<1x2x256x128xf32>) -> tensor<1x2x256x128xf32> {
  ^bb0(%a: tensor<1x2x256x128xf32>, %b: tensor<1x2x256x128xf32>, %c: tensor<1x2x256x128xf32>):
    %1 = fuse.attention %a, %b, %c {causal = true} : (tensor<1x2x256x128xf32>, tensor<1x2x256x128xf32>, tensor<1x2x256x128xf32>) -> tensor<1x2x256x128xf32>
    fuse.yield %1 : tensor<1x2x256x128xf32>
  }
  return %0 : tensor<1x2x256x128xf32>
}

// -----

// A choice whose shared memory does not fit (128 x 128 tiles, D = 128, two
// buffers: 393 KB) is reduced: one buffer, then BKV halved (164 KB).
// CHECK-LABEL: func.func @reduced(
// CHECK: gpu.launch
// CHECK: } {fuse.attention_tile = {BKV = 64 : i64, BQ = 128 : i64, buffers = 1 : i64, math = "fma_f32", shared_bytes = 164864 : i64, warps = 4 : i64}, fuse.kernel = "group_0", fuse.kernel_attrs = {nvvm.minctasm = 1 : i32}, fuse.kernel_impl = "flash_attention"}
func.func @reduced(%q: tensor<4x256x128xf32>, %k: tensor<4x256x128xf32>, %v: tensor<4x256x128xf32>) -> tensor<4x256x128xf32> {
  %0 = fuse.group(%q, %k, %v) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 128 : i64, BQ = 128 : i64, stages = 3 : i64, warps = 4 : i64}>} : (tensor<4x256x128xf32>, tensor<4x256x128xf32>, tensor<4x256x128xf32>) -> tensor<4x256x128xf32> {
  ^bb0(%a: tensor<4x256x128xf32>, %b: tensor<4x256x128xf32>, %c: tensor<4x256x128xf32>):
    %1 = fuse.attention %a, %b, %c : (tensor<4x256x128xf32>, tensor<4x256x128xf32>, tensor<4x256x128xf32>) -> tensor<4x256x128xf32>
    fuse.yield %1 : tensor<4x256x128xf32>
  }
  return %0 : tensor<4x256x128xf32>
}

// -----

// f16 operands: tensor cores. Q, K, V tiles in shared memory as f16 (rows
// padded by 8); per 16-wide step of D, nvgpu.mma.sync m16n8k16 (f32
// accumulators) for S = Q K^T; the row max over the 4 lanes of a quad
// (xor 2, 1); P rounded to f16 stays in registers as the A operand of
// P V, V read as B fragments. 32 rows per warp: two m-tiles.
// CHECK-LABEL: func.func @tensor_cores_f16(
// CHECK: gpu.launch
// CHECK: memref.view {{.*}} to memref<17408xf16, #gpu.address_space<workgroup>>
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.load {{.*}} : memref<17408xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.mma.sync(%{{.*}}, %{{.*}}, %{{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK: arith.maximumf
// CHECK: gpu.shuffle  xor %{{.*}}, %c2_i32
// CHECK: gpu.shuffle  xor %{{.*}}, %c1_i32
// CHECK: math.exp
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: nvgpu.mma.sync
// CHECK: gpu.barrier
// CHECK: arith.divf
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: } {fuse.attention_tile = {BKV = 128 : i64, BQ = 128 : i64, buffers = 1 : i64, math = "mma_f16", shared_bytes = 104448 : i64, warps = 4 : i64}, fuse.kernel = "group_0", fuse.kernel_attrs = {nvvm.minctasm = 1 : i32}, fuse.kernel_impl = "flash_attention"}
func.func @tensor_cores_f16(%q: tensor<4x256x128xf16>, %k: tensor<4x256x128xf16>, %v: tensor<4x256x128xf16>) -> tensor<4x256x128xf16> {
  %0 = fuse.group(%q, %k, %v) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 128 : i64, BQ = 128 : i64, stages = 3 : i64, warps = 4 : i64}>} : (tensor<4x256x128xf16>, tensor<4x256x128xf16>, tensor<4x256x128xf16>) -> tensor<4x256x128xf16> {
  ^bb0(%a: tensor<4x256x128xf16>, %b: tensor<4x256x128xf16>, %c: tensor<4x256x128xf16>):
    %1 = fuse.attention %a, %b, %c : (tensor<4x256x128xf16>, tensor<4x256x128xf16>, tensor<4x256x128xf16>) -> tensor<4x256x128xf16>
    fuse.yield %1 : tensor<4x256x128xf16>
  }
  return %0 : tensor<4x256x128xf16>
}

// -----

// bf16, causal, D = 64, two buffers: nvvm.mma.sync on the fragments'
// 32-bit registers (two bf16 each), fp32 accumulators; no nvgpu.mma.sync
// (LLVM 22's nvgpu-to-nvvm cannot lower a bf16 one).
// CHECK-LABEL: func.func @tensor_cores_bf16(
// CHECK-NOT: nvgpu.mma.sync
// CHECK: vector.bitcast {{.*}} : vector<2xbf16> to vector<1xi32>
// CHECK: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (i32, i32, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// The causal mask, then P.V: P rounded to bf16 in registers.
// CHECK: arith.cmpi sgt
// CHECK: arith.truncf {{.*}} : f32 to bf16
// CHECK: nvvm.mma.sync
// CHECK-NOT: nvgpu.mma.sync
// CHECK: } {fuse.attention_tile = {BKV = 64 : i64, BQ = 64 : i64, buffers = 2 : i64, math = "mma_bf16", shared_bytes = 46080 : i64, warps = 4 : i64}, fuse.kernel = "group_0", fuse.kernel_impl = "flash_attention"}
func.func @tensor_cores_bf16(%q: tensor<1x8x128x64xbf16>) -> tensor<1x8x128x64xbf16> {
  %0 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 64 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x8x128x64xbf16>) -> tensor<1x8x128x64xbf16> {
  ^bb0(%a: tensor<1x8x128x64xbf16>):
    %1 = fuse.attention %a, %a, %a {causal = true} : (tensor<1x8x128x64xbf16>, tensor<1x8x128x64xbf16>, tensor<1x8x128x64xbf16>) -> tensor<1x8x128x64xbf16>
    fuse.yield %1 : tensor<1x8x128x64xbf16>
  }
  return %0 : tensor<1x8x128x64xbf16>
}

// -----

// Head dims off the kernel's units (PP-OCRv4 rec's 8 heads of 15): padded
// to 16 in shared memory (rows of 16 + 8 halves, 64 x 24 = 1536 for Q);
// a column >= 15 of Q, K or V is staged as 0 without reading past the
// row, and only the output column that can be padding (2 tig + 9 of the
// second n-tile) has its store guarded.
// CHECK-LABEL: func.func @padded_head_dims_f16(
// CHECK: gpu.launch
// CHECK: memref.view {{.*}} to memref<1536xf16, #gpu.address_space<workgroup>>
// CHECK: %[[D:.*]] = arith.constant 15 : index
// CHECK-NEXT: %[[REAL:.*]] = arith.cmpi ult, %[[COL:.*]], %[[D]] : index
// CHECK-NEXT: arith.andi %{{.*}}, %[[REAL]] : i1
// CHECK: %[[SAFE:.*]] = arith.select %[[REAL]], %[[COL]], %{{.*}} : index
// CHECK-NEXT: memref.load %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[SAFE]]] : memref<1x8x40x15xf16
// CHECK: nvgpu.mma.sync
// CHECK: arith.divf
// CHECK-NOT: scf.if
// CHECK: memref.store %{{.*}}, %{{.*}} : memref<1x8x40x15xf16>
// CHECK: arith.constant 9 : index
// CHECK: arith.cmpi ult
// CHECK-NEXT: scf.if
// CHECK-NEXT: memref.store %{{.*}}, %{{.*}} : memref<1x8x40x15xf16>
// CHECK: shared_bytes = 9216 : i64
// HOST-LABEL: func.func @padded_head_dims_f16(
// HOST: memref.alloca() {alignment = 64 : i64} : memref<1536xf16>
// HOST: fuse.attention_tile = {BKV = 32 : i64, BQ = 64 : i64, buffers = 2 : i64, math = "mma_f16", shared_bytes = 9216 : i64, warps = 4 : i64}
func.func @padded_head_dims_f16(%q: tensor<1x8x40x15xf16>) -> tensor<1x8x40x15xf16> {
  %0 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x8x40x15xf16>) -> tensor<1x8x40x15xf16> {
  ^bb0(%a: tensor<1x8x40x15xf16>):
    %1 = fuse.attention %a, %a, %a : (tensor<1x8x40x15xf16>, tensor<1x8x40x15xf16>, tensor<1x8x40x15xf16>) -> tensor<1x8x40x15xf16>
    fuse.yield %1 : tensor<1x8x40x15xf16>
  }
  return %0 : tensor<1x8x40x15xf16>
}

// -----

// The FMA path pads the value dim to a warp's 32 columns: a lane's one
// output column is stored when lane < 20 (head dim 20 needs no padding
// there, a multiple of the 4-wide reads).
// CHECK-LABEL: func.func @padded_value_dim_f32(
// CHECK: gpu.launch
// CHECK: math.fma
// CHECK: arith.divf
// CHECK: %[[DV:.*]] = arith.constant 20 : index
// CHECK-NEXT: arith.cmpi ult, %{{.*}}, %[[DV]] : index
// CHECK-NEXT: scf.if
// CHECK-NEXT: memref.store %{{.*}}, %{{.*}} : memref<2x50x20xf32>
// CHECK: math = "fma_f32"
func.func @padded_value_dim_f32(%q: tensor<2x50x20xf32>) -> tensor<2x50x20xf32> {
  %0 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 1 : i64, warps = 4 : i64}>} : (tensor<2x50x20xf32>) -> tensor<2x50x20xf32> {
  ^bb0(%a: tensor<2x50x20xf32>):
    %1 = fuse.attention %a, %a, %a : (tensor<2x50x20xf32>, tensor<2x50x20xf32>, tensor<2x50x20xf32>) -> tensor<2x50x20xf32>
    fuse.yield %1 : tensor<2x50x20xf32>
  }
  return %0 : tensor<2x50x20xf32>
}

// -----

// Near-misses, left as they are: an attention group tuned as something
// else, and a flash_attention group with another op next to the attention
// (fuse-tile isolates the attention first).
// CHECK-LABEL: func.func @near_miss(
// CHECK-NOT: gpu.launch
// CHECK: fuse.attention
// CHECK-NOT: gpu.launch
// CHECK: fuse.attention
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @near_miss(%q: tensor<1x2x64x64xf32>) -> (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) {
  %0 = fuse.group(%q) {fuse.tile = #fuse.tile<"elementwise", {threads = 256 : i64, vector = 1 : i64}>} : (tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x64xf32>):
    %1 = fuse.attention %a, %a, %a : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    fuse.yield %1 : tensor<1x2x64x64xf32>
  }
  %2 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x64xf32>):
    %1 = fuse.attention %a, %a, %a : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    %3 = fuse.relu %1 : tensor<1x2x64x64xf32>
    fuse.yield %3 : tensor<1x2x64x64xf32>
  }
  return %0, %2 : tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>
}
