// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | FileCheck %s

// Groups that cannot be one tiled loop are several (each a kernel), not
// one tile of one block, when they compute more than 64 Ki elements.

// A global average pool: the mean's division maps the reduction's outputs
// one to one, so it is tiled like them (one row, i.e. one output, per
// block for row_per_block), not as whole rows of its last dim.
// CHECK-LABEL: func.func @global_pool(
// CHECK: fuse.tile = #fuse.tile<"row_per_block"
// CHECK: scf.forall (%{{.*}}) in (96)
// CHECK: iterator_types = ["parallel", "parallel", "reduction", "reduction"]
// CHECK: } {mapping = [#gpu.block<x>]}
func.func @global_pool(%x: tensor<1x96x40x40xf32>) -> tensor<1x96x1x1xf32> {
  %0 = fuse.reduce mean %x {axes = array<i64: 2, 3>} : tensor<1x96x40x40xf32> -> tensor<1x96x1x1xf32>
  return %0 : tensor<1x96x1x1xf32>
}

// -----

// Near-miss: softmax's division keeps whole rows (each block a row).
// CHECK-LABEL: func.func @softmax(
// CHECK: scf.forall (%{{.*}}) in (64)
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, 0] [1, 256]
// CHECK-NOT: scf.forall (
// CHECK: return
func.func @softmax(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = fuse.softmax %x {axis = 1 : i64} : tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// A group that yields an activation and the strided depthwise conv of it
// (tuned depthwise): the conv's tiles recompute the activation they read
// (with its halo), and the activation itself is a second loop, tiled as an
// elementwise kernel (whole rows), not by the conv's BM x BN.
// CHECK-LABEL: func.func @yield_and_conv(
// CHECK: fuse.group
// CHECK-SAME: #fuse.tile<"depthwise", {BM = 128 : i64, BN = 1 : i64
// CHECK: %[[ACT:.*]] = scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (48, 64, 64) step (1, 1, 64) {{.*}} -> (tensor<1x48x64x64xf32>)
// CHECK: } {mapping = [#gpu.block<z>, #gpu.block<y>, #gpu.block<x>]}
// CHECK: %[[CONV:.*]] = scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (48, 32) step (1, 4) {{.*}} -> (tensor<1x48x32x32xf32>)
// CHECK: tensor.pad
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: } {mapping = [#gpu.block<y>, #gpu.block<x>]}
// CHECK: fuse.yield %[[ACT]], %[[CONV]]
func.func @yield_and_conv(%x: tensor<1x48x64x64xf32>, %w: tensor<48x1x3x3xf32>) -> (tensor<1x48x64x64xf32>, tensor<1x48x32x32xf32>) {
  %a = fuse.hard_swish %x : tensor<1x48x64x64xf32>
  %c = fuse.conv %a, %w {groups = 48 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x48x64x64xf32>, tensor<48x1x3x3xf32>) -> tensor<1x48x32x32xf32>
  return %a, %c : tensor<1x48x64x64xf32>, tensor<1x48x32x32xf32>
}

// -----

// A concat of computed parts (an FPN neck): one loop per part, each
// writing its slice; the inputs concatenated as they are stay copies.
// CHECK-LABEL: func.func @concat_parts(
// CHECK: fuse.group
// CHECK: %[[ADD:.*]] = scf.forall {{.*}} -> (tensor<1x8x96x96xf32>)
// CHECK: arith.addf
// CHECK: %[[MUL:.*]] = scf.forall {{.*}} -> (tensor<1x8x96x96xf32>)
// CHECK: arith.mulf
// CHECK: %[[A:.*]] = tensor.insert_slice %[[ADD]] into %{{.*}}[0, 0, 0, 0] [1, 8, 96, 96]
// CHECK: %[[B:.*]] = tensor.insert_slice %[[MUL]] into %[[A]][0, 8, 0, 0]
// CHECK: %[[C:.*]] = tensor.insert_slice %{{.*}} into %[[B]][0, 16, 0, 0]
// CHECK: fuse.yield %[[C]]
func.func @concat_parts(%x: tensor<1x8x96x96xf32>, %y: tensor<1x8x96x96xf32>, %z: tensor<1x8x96x96xf32>) -> tensor<1x24x96x96xf32> {
  %s = fuse.add %x, %y : (tensor<1x8x96x96xf32>, tensor<1x8x96x96xf32>) -> tensor<1x8x96x96xf32>
  %m = fuse.mul %y, %z : (tensor<1x8x96x96xf32>, tensor<1x8x96x96xf32>) -> tensor<1x8x96x96xf32>
  %0 = fuse.concat %s, %m, %z {axis = 1 : i64} : (tensor<1x8x96x96xf32>, tensor<1x8x96x96xf32>, tensor<1x8x96x96xf32>) -> tensor<1x24x96x96xf32>
  return %0 : tensor<1x24x96x96xf32>
}

// -----

// Near-miss: a group whose root fuses all of it stays one loop.
// CHECK-LABEL: func.func @one_loop(
// CHECK: scf.forall
// CHECK-NOT: scf.forall (
// CHECK: fuse.yield
func.func @one_loop(%x: tensor<1x24x32x32xf32>, %y: tensor<1x24x32x32xf32>) -> tensor<1x24x32x32xf32> {
  %s = fuse.add %x, %y : (tensor<1x24x32x32xf32>, tensor<1x24x32x32xf32>) -> tensor<1x24x32x32xf32>
  %r = fuse.relu %s : tensor<1x24x32x32xf32>
  return %r : tensor<1x24x32x32xf32>
}

// -----

// Near-miss: a small concat (3 x 2 Ki elements computed) stays one tile of
// one block, cheaper than a kernel per part.
// CHECK-LABEL: func.func @small_concat(
// CHECK: scf.forall (%{{.*}}) in (1)
// CHECK-NOT: scf.forall (
// CHECK: fuse.yield
func.func @small_concat(%x: tensor<1x2x32x32xf32>, %y: tensor<1x2x32x32xf32>) -> tensor<1x4x32x32xf32> {
  %s = fuse.add %x, %y : (tensor<1x2x32x32xf32>, tensor<1x2x32x32xf32>) -> tensor<1x2x32x32xf32>
  %m = fuse.mul %x, %y : (tensor<1x2x32x32xf32>, tensor<1x2x32x32xf32>) -> tensor<1x2x32x32xf32>
  %0 = fuse.concat %s, %m {axis = 1 : i64} : (tensor<1x2x32x32xf32>, tensor<1x2x32x32xf32>) -> tensor<1x4x32x32xf32>
  return %0 : tensor<1x4x32x32xf32>
}
