// The attention kernels through the whole GPU pipeline: one kernel per
// attention, PTX for sm_80 and sm_90 that ptxas assembles.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py | FileCheck %s --check-prefix=ENTRIES
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
// Near-miss: without the attention kernel the group is not lowered.
// RUN: not fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile=materialize=false --fuse-gpu-pipeline=chip=sm_80 2>&1 | FileCheck %s --check-prefix=UNTILED

// D = 64 with an additive mask (BERT-like): one launch with dynamic
// shared memory; the kernel stages tiles in shared memory (st.shared /
// ld.shared.v4), reduces rows with shfl.sync.bfly and has barriers.
// CHECK-LABEL: func.func @bert_like(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c2, %c12, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c116736_i32 args(%arg0 : memref<1x12x128x64xf32>, %arg1 : memref<1x12x128x64xf32>
// CHECK: gpu.binary @fuse_kernels [#gpu.object<#nvvm.target<chip = "sm_80">
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: .shared .align 16 .b8 __dynamic_shmem__0
// CHECK-SAME: bar.sync
// CHECK-SAME: ld.shared.v4.b32
// CHECK-SAME: fma.rn.f32
// CHECK-SAME: shfl.sync.bfly.b32
// CHECK-SAME: max.NaN.f32
// CHECK-SAME: ex2.approx
// CHECK-SAME: div.rn.f32
// UNTILED: error: 'fuse.group' op is not tiled for the GPU
func.func @bert_like(%q: tensor<1x12x128x64xf32>, %k: tensor<1x12x128x64xf32>, %v: tensor<1x12x128x64xf32>, %m: tensor<1x1x1x128xf32>) -> tensor<1x12x128x64xf32> {
  %o = fuse.attention %q, %k, %v mask %m {scale = 0.125 : f32} : (tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>, tensor<1x1x1x128xf32>) -> tensor<1x12x128x64xf32>
  return %o : tensor<1x12x128x64xf32>
}

// -----

// D = 128, causal (GPT-like).
// CHECK-LABEL: func.func @causal_d128(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c4, %c16, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c107520_i32
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: .visible .entry group_0(
// CHECK-SAME: bar.sync
// CHECK-SAME: shfl.sync.bfly.b32
func.func @causal_d128(%q: tensor<2x8x256x128xf32>, %k: tensor<2x8x256x128xf32>, %v: tensor<2x8x256x128xf32>) -> tensor<2x8x256x128xf32> {
  %o = fuse.attention %q, %k, %v {causal = true} : (tensor<2x8x256x128xf32>, tensor<2x8x256x128xf32>, tensor<2x8x256x128xf32>) -> tensor<2x8x256x128xf32>
  return %o : tensor<2x8x256x128xf32>
}

// -----

// The attention after a bias add and the head split (QKV from one
// projection): the attention is alone in its kernel, the transposes in
// theirs.
// CHECK-LABEL: func.func @split_heads(
// CHECK-COUNT-3: gpu.launch_func {{.*}} blocks in (%c1, %c64, %c6) threads in (%c64, %c1, %c1) args
// CHECK: gpu.launch_func @fuse_kernels::@group_3 blocks in (%c1, %c6, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size
// 58368 bytes of shared memory leave room for a second block: no
// register hint.
// CHECK-NOT: minnctapersm
// One PTX module per function; the attention is its group's kernel.
// ENTRIES: object 0: entries group_0{{$}}
// ENTRIES: object 1: entries group_0{{$}}
// ENTRIES: object 2: entries {{[a-z_0-9 ]+}} group_3{{$}}
// ENTRIES: object 3: entries group_0{{$}}
// ENTRIES: object 4: entries group_0{{$}}
// ENTRIES: object 5: entries group_0{{$}}
// ENTRIES-NOT: object 6
// PTXAS: object 0: ptxas ok (group_0)
// PTXAS: object 1: ptxas ok (group_0)
// PTXAS: object 2: ptxas ok ({{.*}}group_3)
// PTXAS: object 3: ptxas ok (group_0)
// PTXAS: object 4: ptxas ok (group_0)
// PTXAS: object 5: ptxas ok (group_0)
// PTXAS-NOT: failed
func.func @split_heads(%x: tensor<1x64x6x64xf32>, %y: tensor<1x64x6x64xf32>, %z: tensor<1x64x6x64xf32>) -> tensor<1x6x64x64xf32> {
  %q = fuse.transpose %x {perm = array<i64: 0, 2, 1, 3>} : tensor<1x64x6x64xf32> -> tensor<1x6x64x64xf32>
  %k = fuse.transpose %y {perm = array<i64: 0, 2, 1, 3>} : tensor<1x64x6x64xf32> -> tensor<1x6x64x64xf32>
  %v = fuse.transpose %z {perm = array<i64: 0, 2, 1, 3>} : tensor<1x64x6x64xf32> -> tensor<1x6x64x64xf32>
  %o = fuse.attention %q, %k, %v : (tensor<1x6x64x64xf32>, tensor<1x6x64x64xf32>, tensor<1x6x64x64xf32>) -> tensor<1x6x64x64xf32>
  return %o : tensor<1x6x64x64xf32>
}

// -----

// f16, causal, D = 128: the tensor-core kernel (mma.sync m16n8k16 with f32
// accumulation, for both products). Its 87040 bytes of shared memory allow
// one block per SM, so the kernel says so (.minnctapersm 1: ptxas need not
// cap registers for more blocks, and does not spill).
// CHECK-LABEL: func.func @tensor_cores(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c4, %c16, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c87040_i32
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: .maxntid 128, 1, 1
// CHECK-SAME: .minnctapersm 1
// CHECK-SAME: bar.sync
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK-SAME: shfl.sync.bfly.b32
// CHECK-SAME: ex2.approx
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
func.func @tensor_cores(%q: tensor<2x8x256x128xf16>, %k: tensor<2x8x256x128xf16>, %v: tensor<2x8x256x128xf16>) -> tensor<2x8x256x128xf16> {
  %o = fuse.attention %q, %k, %v {causal = true} : (tensor<2x8x256x128xf16>, tensor<2x8x256x128xf16>, tensor<2x8x256x128xf16>) -> tensor<2x8x256x128xf16>
  return %o : tensor<2x8x256x128xf16>
}

// -----

// bf16, causal, D = 128: both products on tensor cores through
// nvvm.mma.sync (bf16 operands, f32 accumulators; P rounded to bf16 for
// P.V), not the fp32 FMA kernel and not the f16 mma.
// CHECK-LABEL: func.func @tensor_cores_bf16(
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c4, %c16, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: bar.sync
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-SAME: shfl.sync.bfly.b32
// CHECK-SAME: ex2.approx
// CHECK-SAME: cvt.rn.bf16x2.f32
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-NOT: f32.f16.f16.f32
// CHECK-LABEL: func.func @tensor_cores_bf16_d64_mask(
func.func @tensor_cores_bf16(%q: tensor<2x8x256x128xbf16>, %k: tensor<2x8x256x128xbf16>, %v: tensor<2x8x256x128xbf16>) -> tensor<2x8x256x128xbf16> {
  %o = fuse.attention %q, %k, %v {causal = true} : (tensor<2x8x256x128xbf16>, tensor<2x8x256x128xbf16>, tensor<2x8x256x128xbf16>) -> tensor<2x8x256x128xbf16>
  return %o : tensor<2x8x256x128xbf16>
}

// -----

// bf16, D = 64, with a mask (BERT-like).
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c2, %c12, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// CHECK-NOT: f32.f16.f16.f32
func.func @tensor_cores_bf16_d64_mask(%q: tensor<1x12x128x64xbf16>, %k: tensor<1x12x128x64xbf16>, %v: tensor<1x12x128x64xbf16>, %m: tensor<1x1x1x128xbf16>) -> tensor<1x12x128x64xbf16> {
  %o = fuse.attention %q, %k, %v mask %m {scale = 0.125 : f32} : (tensor<1x12x128x64xbf16>, tensor<1x12x128x64xbf16>, tensor<1x12x128x64xbf16>, tensor<1x1x1x128xbf16>) -> tensor<1x12x128x64xbf16>
  return %o : tensor<1x12x128x64xbf16>
}
