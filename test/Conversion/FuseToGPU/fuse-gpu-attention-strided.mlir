// RUN: fuse-opt %s -split-input-file --fuse-gpu-attention | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-gpu-attention=host=true | FileCheck %s --check-prefix=HOST
// RUN: fuse-opt %s -split-input-file --fuse-gpu-attention=precision=fp32 | FileCheck %s --check-prefix=FP32

// Strided addressing, BERT-like: Q, K, V are head splits ([B,S,H*D] ->
// [B,S,H,D] -> [B,H,S,D]) of the projections, the result is merged back
// ([B,H,S,D] -> [B,S,H,D] -> [B,S,H*D]). The kernel reads
// Q[b,h,s,d] at b*S*H*D + s*H*D + h*D + d of the projection's buffer and
// writes O there in the output's: no view is materialized.
// CHECK-LABEL: func.func @head_split(
// CHECK-NOT: fuse.transpose
// CHECK-NOT: fuse.reshape
// CHECK-DAG: %[[XQ:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x64x128xf32> to memref<2x64x128xf32>
// CHECK-DAG: %[[Q:.*]] = memref.reinterpret_cast %[[XQ]] to offset: [0], sizes: [2, 2, 64, 64], strides: [8192, 64, 128, 1] : memref<2x64x128xf32> to memref<2x2x64x64xf32, strided<[8192, 64, 128, 1]>>
// CHECK-DAG: %[[M:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<2x1x1x64xf32> to memref<2x1x1x64xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[RES:.*]] = memref.alloc() : memref<2x64x128xf32>
// CHECK: %[[OUT:.*]] = memref.reinterpret_cast %[[RES]] to offset: [0], sizes: [2, 2, 64, 64], strides: [8192, 64, 128, 1] : memref<2x64x128xf32> to memref<2x2x64x64xf32, strided<[8192, 64, 128, 1]>>
// CHECK: gpu.launch
// CHECK: memref.load %[[Q]]
// CHECK: memref.load %[[M]]
// CHECK: memref.store {{.*}}, %[[OUT]]
// CHECK: fuse.kernel = "group_0"
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[RES]] restrict writable : memref<2x64x128xf32> to tensor<2x64x128xf32>
// CHECK-NEXT: fuse.yield %[[R]]
// HOST-LABEL: func.func @head_split(
// HOST-NOT: gpu.launch
// HOST: memref.reinterpret_cast
// HOST: scf.execute_region
func.func @head_split(%xq: tensor<2x64x128xf32>, %xk: tensor<2x64x128xf32>, %xv: tensor<2x64x128xf32>, %m: tensor<2x1x1x64xf32>) -> tensor<2x64x128xf32> {
  %0 = fuse.group(%xq, %xk, %xv, %m) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<2x64x128xf32>, tensor<2x64x128xf32>, tensor<2x64x128xf32>, tensor<2x1x1x64xf32>) -> tensor<2x64x128xf32> {
  ^bb0(%aq: tensor<2x64x128xf32>, %ak: tensor<2x64x128xf32>, %av: tensor<2x64x128xf32>, %am: tensor<2x1x1x64xf32>):
    %q1 = fuse.reshape %aq : tensor<2x64x128xf32> -> tensor<2x64x2x64xf32>
    %q = fuse.transpose %q1 {perm = array<i64: 0, 2, 1, 3>} : tensor<2x64x2x64xf32> -> tensor<2x2x64x64xf32>
    %k1 = fuse.reshape %ak : tensor<2x64x128xf32> -> tensor<2x64x2x64xf32>
    %k = fuse.transpose %k1 {perm = array<i64: 0, 2, 1, 3>} : tensor<2x64x2x64xf32> -> tensor<2x2x64x64xf32>
    %v1 = fuse.reshape %av : tensor<2x64x128xf32> -> tensor<2x64x2x64xf32>
    %v = fuse.transpose %v1 {perm = array<i64: 0, 2, 1, 3>} : tensor<2x64x2x64xf32> -> tensor<2x2x64x64xf32>
    %o = fuse.attention %q, %k, %v mask %am : (tensor<2x2x64x64xf32>, tensor<2x2x64x64xf32>, tensor<2x2x64x64xf32>, tensor<2x1x1x64xf32>) -> tensor<2x2x64x64xf32>
    %o1 = fuse.transpose %o {perm = array<i64: 0, 2, 1, 3>} : tensor<2x2x64x64xf32> -> tensor<2x64x2x64xf32>
    %o2 = fuse.reshape %o1 : tensor<2x64x2x64xf32> -> tensor<2x64x128xf32>
    fuse.yield %o2 : tensor<2x64x128xf32>
  }
  return %0 : tensor<2x64x128xf32>
}

// -----

// GPT-2-like: one fused QKV projection [B,S,3*H*D] plus its bias, split
// into Q, K, V (K: offset H*D), causal, f32 data on fp16 tensor cores (the
// group's fuse.precision, as fuse-compile --precision=fp16 records it).
// Each operand is the sum of two views: the projection's and the bias's
// (stride 0 over batch and sequence).
// CHECK-LABEL: func.func @fused_qkv_bias(
// CHECK-DAG: %[[X:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<1x32x384xf32> to memref<1x32x384xf32>
// CHECK-DAG: %[[B:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<384xf32> to memref<384xf32>
// CHECK-DAG: memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, 2, 32, 64], strides: [0, 64, 384, 1]
// CHECK-DAG: memref.reinterpret_cast %[[B]] to offset: [0], sizes: [1, 2, 32, 64], strides: [0, 64, 0, 1]
// CHECK-DAG: %[[KX:.*]] = memref.reinterpret_cast %[[X]] to offset: [128], sizes: [1, 2, 32, 64], strides: [0, 64, 384, 1] : memref<1x32x384xf32> to memref<1x2x32x64xf32, strided<[0, 64, 384, 1], offset: 128>>
// CHECK-DAG: %[[KB:.*]] = memref.reinterpret_cast %[[B]] to offset: [128], sizes: [1, 2, 32, 64], strides: [0, 64, 0, 1]
// CHECK-DAG: memref.reinterpret_cast %[[X]] to offset: [256], sizes: [1, 2, 32, 64], strides: [0, 64, 384, 1]
// CHECK-DAG: memref.reinterpret_cast %[[B]] to offset: [256], sizes: [1, 2, 32, 64], strides: [0, 64, 0, 1]
// CHECK: gpu.launch
// CHECK: %[[KXE:.*]] = memref.load %[[KX]]
// CHECK-NEXT: %[[KBE:.*]] = memref.load %[[KB]]
// CHECK-NEXT: arith.addf %[[KXE]], %[[KBE]] : f32
// CHECK: nvgpu.mma.sync
// CHECK: math = "mma_f16"
// FP32-LABEL: func.func @fused_qkv_bias(
// FP32-NOT: nvgpu.mma.sync
// FP32: math = "fma_f32"
func.func @fused_qkv_bias(%x: tensor<1x32x384xf32>, %b: tensor<384xf32>) -> tensor<1x32x128xf32> {
  %0 = fuse.group(%x, %b) {fuse.precision = "fp16", fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x32x384xf32>, tensor<384xf32>) -> tensor<1x32x128xf32> {
  ^bb0(%ax: tensor<1x32x384xf32>, %ab: tensor<384xf32>):
    %a = fuse.add %ax, %ab : (tensor<1x32x384xf32>, tensor<384xf32>) -> tensor<1x32x384xf32>
    %s:3 = fuse.split %a {axis = 2 : i64, sizes = array<i64: 128, 128, 128>} : tensor<1x32x384xf32> -> tensor<1x32x128xf32>, tensor<1x32x128xf32>, tensor<1x32x128xf32>
    %q1 = fuse.reshape %s#0 : tensor<1x32x128xf32> -> tensor<1x32x2x64xf32>
    %q = fuse.transpose %q1 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x32x2x64xf32> -> tensor<1x2x32x64xf32>
    %k1 = fuse.reshape %s#1 : tensor<1x32x128xf32> -> tensor<1x32x2x64xf32>
    %k = fuse.transpose %k1 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x32x2x64xf32> -> tensor<1x2x32x64xf32>
    %v1 = fuse.reshape %s#2 : tensor<1x32x128xf32> -> tensor<1x32x2x64xf32>
    %v = fuse.transpose %v1 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x32x2x64xf32> -> tensor<1x2x32x64xf32>
    %o = fuse.attention %q, %k, %v {causal = true} : (tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>, tensor<1x2x32x64xf32>) -> tensor<1x2x32x64xf32>
    %o1 = fuse.transpose %o {perm = array<i64: 0, 2, 1, 3>} : tensor<1x2x32x64xf32> -> tensor<1x32x2x64xf32>
    %o2 = fuse.reshape %o1 : tensor<1x32x2x64xf32> -> tensor<1x32x128xf32>
    fuse.yield %o2 : tensor<1x32x128xf32>
  }
  return %0 : tensor<1x32x128xf32>
}

// -----

// A slice of the sequence (keys 16..79 of 96, step 1) and a K read
// transposed back from [B,H,D,S] (the exporter's K^T): strides, no copies.
// The output goes to a fresh buffer (no consumer to fold).
// CHECK-LABEL: func.func @slice_and_kt(
// CHECK-DAG: memref.reinterpret_cast %{{.*}} to offset: [1024], sizes: [1, 2, 64, 64], strides: [12288, 6144, 64, 1]
// CHECK-DAG: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 2, 64, 64], strides: [8192, 4096, 1, 64]
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<1x2x64x64xf32>
// CHECK: memref.store {{.*}}, %[[OUT]]
func.func @slice_and_kt(%q: tensor<1x2x64x64xf32>, %kt: tensor<1x2x64x64xf32>, %v: tensor<1x2x96x64xf32>) -> tensor<1x2x64x64xf32> {
  %0 = fuse.group(%q, %kt, %v) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x96x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%aq: tensor<1x2x64x64xf32>, %akt: tensor<1x2x64x64xf32>, %av: tensor<1x2x96x64xf32>):
    %k = fuse.transpose %akt {perm = array<i64: 0, 1, 3, 2>} : tensor<1x2x64x64xf32> -> tensor<1x2x64x64xf32>
    %vs = fuse.slice %av {axes = array<i64: 2>, ends = array<i64: 80>, starts = array<i64: 16>, steps = array<i64: 1>} : tensor<1x2x96x64xf32> -> tensor<1x2x64x64xf32>
    %o = fuse.attention %aq, %k, %vs : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    fuse.yield %o : tensor<1x2x64x64xf32>
  }
  return %0 : tensor<1x2x64x64xf32>
}

// -----

// Near-misses, left as they are (fuse-tile materializes such views in a
// group of their own first): a reshape merging batch and heads after the
// transpose made them non-contiguous, and a Q computed by a relu (no
// view).
// CHECK-LABEL: func.func @near_miss(
// CHECK-NOT: gpu.launch
// CHECK: fuse.attention
// CHECK-NOT: gpu.launch
// CHECK: fuse.attention
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @near_miss(%x: tensor<2x64x2x64xf32>, %q: tensor<1x2x64x64xf32>) -> (tensor<4x64x64xf32>, tensor<1x2x64x64xf32>) {
  %0 = fuse.group(%x) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<2x64x2x64xf32>) -> tensor<4x64x64xf32> {
  ^bb0(%a: tensor<2x64x2x64xf32>):
    %t = fuse.transpose %a {perm = array<i64: 0, 2, 1, 3>} : tensor<2x64x2x64xf32> -> tensor<2x2x64x64xf32>
    %r = fuse.reshape %t : tensor<2x2x64x64xf32> -> tensor<4x64x64xf32>
    %o = fuse.attention %r, %r, %r : (tensor<4x64x64xf32>, tensor<4x64x64xf32>, tensor<4x64x64xf32>) -> tensor<4x64x64xf32>
    fuse.yield %o : tensor<4x64x64xf32>
  }
  %1 = fuse.group(%q) {fuse.tile = #fuse.tile<"flash_attention", {BKV = 32 : i64, BQ = 64 : i64, stages = 2 : i64, warps = 4 : i64}>} : (tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32> {
  ^bb0(%a: tensor<1x2x64x64xf32>):
    %r = fuse.relu %a : tensor<1x2x64x64xf32>
    %o = fuse.attention %r, %a, %a : (tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>, tensor<1x2x64x64xf32>) -> tensor<1x2x64x64xf32>
    fuse.yield %o : tensor<1x2x64x64xf32>
  }
  return %0, %1 : tensor<4x64x64xf32>, tensor<1x2x64x64xf32>
}
