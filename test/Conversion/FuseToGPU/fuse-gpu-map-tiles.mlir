// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),canonicalize)' | FileCheck %s

// A matmul with a relu epilogue (fma_gemm, 32 x 32 tiles, 4 warps): one
// launch, the grid the tile loop's trip counts (x the innermost loop dim),
// 128 threads. The accumulator is a view of the workgroup buffer; the fill,
// the contraction (each thread owns output elements, the K loop accumulates
// in a register) and the epilogue are thread loops separated by barriers.
// CHECK-LABEL: func.func @gemm_relu(
// CHECK-NOT: scf.forall
// CHECK: gpu.launch blocks(%[[BX:.*]], %[[BY:.*]], %{{.*}}) in (%{{.*}} = %c4, %{{.*}} = %c2, %{{.*}} = %c1) threads(%[[TX:.*]], %{{.*}}, %{{.*}}) in (%[[NT:.*]] = %c128, %{{.*}} = %c1, %{{.*}} = %c1) workgroup(%[[WG:.*]] : memref<4096xi8, #gpu.address_space<workgroup>>)
// CHECK: %[[V:.*]] = memref.view %[[WG]]
// CHECK: %[[ACC:.*]] = memref.memory_space_cast %[[V]] : memref<32x32xf32, #gpu.address_space<workgroup>> to memref<32x32xf32>
// CHECK: scf.for %{{.*}} = %[[TX]] to %c1024 step %[[NT]] {
// CHECK: memref.store %{{.*}}, %[[ACC]]
// CHECK: gpu.barrier
// CHECK: scf.for %{{.*}} = %[[TX]] to %c1024 step %[[NT]] {
// CHECK: %[[INIT:.*]] = memref.load %[[ACC]]
// CHECK: %[[SUM:.*]] = scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args(%{{.*}} = %[[INIT]]) -> (f32) {
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: memref.store %[[SUM]], %[[ACC]]
// CHECK: gpu.barrier
// CHECK: memref.load %[[ACC]]
// CHECK: arith.maximumf
// CHECK: gpu.terminator
// CHECK: } {fuse.generic_reason = "fuse-gpu-map-tiles: no pass lowered the tile loop as fma_gemm", fuse.kernel = "group_0", fuse.kernel_impl = "generic", fuse.tile = #fuse.tile<"fma_gemm"
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @gemm_relu(%x: tensor<64x64xf32>, %w: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %m = fuse.matmul %x, %w : (tensor<64x64xf32>, tensor<64x128xf32>) -> tensor<64x128xf32>
  %r = fuse.relu %m : tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// A convolution with bias and relu: one kernel (the bias broadcast, the
// reduction over channels and window, the relu).
// CHECK-LABEL: func.func @conv_bias_relu(
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK: scf.for {{.*}} iter_args
// CHECK: scf.for {{.*}} iter_args
// CHECK: scf.for {{.*}} iter_args
// CHECK: arith.mulf
// CHECK: gpu.barrier
// CHECK: arith.maximumf
// CHECK: } {fuse.generic_reason = "fuse-gpu-map-tiles: no pass lowered the tile loop as fma_gemm", fuse.kernel = "group_0", fuse.kernel_impl = "generic"
// CHECK-NOT: gpu.launch
// CHECK-NOT: linalg.
func.func @conv_bias_relu(%x: tensor<1x8x16x16xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x16x16xf32> {
  %0 = fuse.conv %x, %w, %b {groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x16x16xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
  %1 = fuse.relu %0 : tensor<1x16x16x16xf32>
  return %1 : tensor<1x16x16x16xf32>
}

// -----

// Softmax (row_per_warp, one warp): one block of 32 threads per row; the
// row max and the sum are per-tile buffers in shared memory, each reduced
// by the warp (lanes strided over the row, a shuffle butterfly; see
// fuse-gpu-map-tiles-reduction.mlir), then every thread normalizes its
// elements.
// CHECK-LABEL: func.func @softmax(
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c64, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c32, {{.*}} = %c1, {{.*}} = %c1) workgroup(%{{.*}} : memref<32xi8, #gpu.address_space<workgroup>>)
// CHECK: arith.maximumf
// CHECK: gpu.shuffle  xor
// CHECK: gpu.barrier
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: gpu.barrier
// CHECK: arith.divf
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "row_per_warp", fuse.tile = #fuse.tile<"row_per_warp"
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %s = fuse.softmax %x {axis = 1 : i64} : tensor<64x256xf32>
  return %s : tensor<64x256xf32>
}

// -----

// A layer-norm-like chain (mean, centered square mean, normalize): one
// kernel; the reductions are lane loops and shuffle butterflies.
// CHECK-LABEL: func.func @layer_norm(
// CHECK: gpu.launch
// CHECK: scf.for {{.*}} iter_args
// CHECK: gpu.shuffle  xor
// CHECK: gpu.barrier
// CHECK: math.sqrt
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "row_per_block"
// CHECK-NOT: gpu.launch
func.func @layer_norm(%x: tensor<128x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<128x768xf32> {
  %y = fuse.layer_norm %x scale %g bias %b {axis = 1 : i64} : (tensor<128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<128x768xf32>
  return %y : tensor<128x768xf32>
}

// -----

// Near-miss: a group that is only a view gets no kernel; the function has
// no launch at all.
// CHECK-LABEL: func.func @view(
// CHECK-NOT: gpu.launch
// CHECK: memref.collapse_shape
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @view(%x: tensor<1x8x4x4xf32>) -> tensor<1x128xf32> {
  %0 = fuse.reshape %x : tensor<1x8x4x4xf32> -> tensor<1x128xf32>
  return %0 : tensor<1x128xf32>
}

// -----

// A linalg op outside any group (no tile loop) at host level: one
// single-block launch named host_<N>, 64 threads (capped to the work).
// CHECK-LABEL: func.func @host_op(
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c64, {{.*}} = %c1, {{.*}} = %c1)
// CHECK: math.exp
// CHECK: } {fuse.kernel = "host_0", fuse.kernel_impl = "generic"}
func.func @host_op(%x: tensor<64xf32>) -> tensor<64xf32> {
  %e = tensor.empty() : tensor<64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %v = math.exp %in : f32
    linalg.yield %v : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// -----

// A strided slice reshaped (collapsed) next to a kernel: bufferization
// copies the slice into a contiguous buffer at host level, which the bundle
// cannot (it copies contiguous ranges); the copy becomes a kernel of its
// own, host_copy_<N>, its elements shared by the threads of all its
// blocks. The simulator runs it: the result is the slice, collapsed.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic | %python %S/Inputs/simulate_launch.py --func strided_reshape --expr "a[:, 16:].reshape(-1)" | FileCheck %s --check-prefix=SIM
// SIM: ok: {{2048|1x24x96x96}} max abs error 0
// CHECK-LABEL: func.func @strided_reshape(
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c256,
// CHECK: memref.load %subview
// CHECK: memref.store
// CHECK: } {fuse.kernel = "host_copy_0", fuse.kernel_impl = "generic"}
// CHECK-NOT: memref.copy
// CHECK: return
func.func @strided_reshape(%x: tensor<64x48xf32>) -> (tensor<2048xf32>, tensor<64x48xf32>) {
  %s:2 = fuse.split %x {axis = 1 : i64, sizes = array<i64: 16, 32>} : tensor<64x48xf32> -> tensor<64x16xf32>, tensor<64x32xf32>
  %r = fuse.reshape %s#1 : tensor<64x32xf32> -> tensor<2048xf32>
  %e = fuse.exp %x : tensor<64x48xf32>
  return %r, %e : tensor<2048xf32>, tensor<64x48xf32>
}

// -----

// Near-miss: a slice of rows is contiguous; collapsing it needs no copy.
// CHECK-LABEL: func.func @rows_reshape(
// CHECK-NOT: host_copy
// CHECK: return
func.func @rows_reshape(%x: tensor<64x48xf32>) -> (tensor<768xf32>, tensor<64x48xf32>) {
  %s:2 = fuse.split %x {axis = 0 : i64, sizes = array<i64: 16, 48>} : tensor<64x48xf32> -> tensor<16x48xf32>, tensor<48x48xf32>
  %r = fuse.reshape %s#0 : tensor<16x48xf32> -> tensor<768xf32>
  %e = fuse.exp %x : tensor<64x48xf32>
  return %r, %e : tensor<768xf32>, tensor<64x48xf32>
}

// -----

// A group of several loops (fuse-tile-kernels.mlir): a concat of two
// computed parts and an input is two kernels writing their slices of the
// result in place and one copy, which the simulator runs in order.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic | %python %S/Inputs/simulate_launch.py --func concat_parts --expr "np.concatenate([a + b, b * c, c], axis=1)" | FileCheck %s --check-prefix=SIM
// CHECK-LABEL: func.func @concat_parts(
// CHECK: %[[OUT:.*]] = memref.alloc() {{.*}} : memref<1x24x96x96xf32>
// CHECK: %[[ADD:.*]] = memref.subview %[[OUT]][0, 0, 0, 0] [1, 8, 96, 96]
// CHECK: gpu.launch
// CHECK: arith.addf
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "elementwise"
// CHECK: %[[MUL:.*]] = memref.subview %[[OUT]][0, 8, 0, 0] [1, 8, 96, 96]
// CHECK: gpu.launch
// CHECK: arith.mulf
// CHECK: } {fuse.kernel = "group_0", fuse.kernel_impl = "elementwise"
// CHECK: %[[COPY:.*]] = memref.subview %[[OUT]][0, 16, 0, 0] [1, 8, 96, 96]
// CHECK: memref.copy %arg2, %[[COPY]]
// CHECK: return %[[OUT]]
func.func @concat_parts(%x: tensor<1x8x96x96xf32>, %y: tensor<1x8x96x96xf32>, %z: tensor<1x8x96x96xf32>) -> tensor<1x24x96x96xf32> {
  %s = fuse.add %x, %y : (tensor<1x8x96x96xf32>, tensor<1x8x96x96xf32>) -> tensor<1x8x96x96xf32>
  %m = fuse.mul %y, %z : (tensor<1x8x96x96xf32>, tensor<1x8x96x96xf32>) -> tensor<1x8x96x96xf32>
  %0 = fuse.concat %s, %m, %z {axis = 1 : i64} : (tensor<1x8x96x96xf32>, tensor<1x8x96x96xf32>, tensor<1x8x96x96xf32>) -> tensor<1x24x96x96xf32>
  return %0 : tensor<1x24x96x96xf32>
}
