// A row reduction group that also yields the value it normalizes (GPT-2's
// residual add before its layer norm, yielded through a reshape for the next
// residual): fuse-tile yields the residual from the layer norm's row loop,
// so the group is one kernel that writes both results, not a second loop
// that recomputes the residual.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | FileCheck %s --check-prefix=TILE
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),canonicalize)' | FileCheck %s
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// PTXAS-COUNT-2: ptxas ok
//
// Numerics (Inputs/simulate_reduction.py, lock-step threads on the CPU)
// against numpy, for each result.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic > %t.tuned
// RUN: %python %S/Inputs/simulate_reduction.py --func residual_layer_norm --result 0 --expr "(a + 0.5).reshape(1, 32, 96) + b" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func residual_layer_norm --result 1 --expr "layer_norm((a + 0.5).reshape(1, 32, 96) + b, c, d).reshape(32, 96)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func softmax_and_input --result 0 --expr "np.exp(a)" < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_reduction.py --func softmax_and_input --result 1 --expr "softmax(np.exp(a))" < %t.tuned | FileCheck %s --check-prefix=SIM
// SIM: ok: {{.*}}, 1 launches

// One row per block (without the residual yielded from the row loop, this
// small group would be one tile on one block; a larger one, as GPT-2's,
// two kernels).
// TILE-LABEL: func.func @residual_layer_norm(
// TILE: fuse.group
// TILE: scf.forall ({{.*}}) in (32)
// TILE-NOT: scf.forall (
// TILE: tensor.expand_shape
// TILE-NEXT: fuse.yield
// CHECK-LABEL: func.func @residual_layer_norm(
// CHECK: gpu.launch
// CHECK: gpu.shuffle  xor
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @residual_layer_norm(%y: tensor<32x96xf32>, %x: tensor<1x32x96xf32>, %g: tensor<96xf32>, %b: tensor<96xf32>) -> (tensor<1x32x96xf32>, tensor<32x96xf32>) {
  %c = fuse.constant dense<0.5> : tensor<96xf32>
  %a = fuse.add %y, %c : (tensor<32x96xf32>, tensor<96xf32>) -> tensor<32x96xf32>
  %r = fuse.reshape %a : tensor<32x96xf32> -> tensor<1x32x96xf32>
  %s = fuse.add %r, %x : (tensor<1x32x96xf32>, tensor<1x32x96xf32>) -> tensor<1x32x96xf32>
  %n = fuse.layer_norm %s scale %g bias %b {axis = 2 : i64} : (tensor<1x32x96xf32>, tensor<96xf32>, tensor<96xf32>) -> tensor<1x32x96xf32>
  %o = fuse.reshape %n : tensor<1x32x96xf32> -> tensor<32x96xf32>
  return %s, %o : tensor<1x32x96xf32>, tensor<32x96xf32>
}

// -----

// Near-miss: the yielded producer is read by the row loop directly (no
// reshape between): one loop before this change, still one.
// TILE-LABEL: func.func @softmax_and_input(
// TILE: scf.forall ({{.*}}) in (16)
// TILE-NOT: scf.forall (
// TILE: fuse.yield
// CHECK-LABEL: func.func @softmax_and_input(
// CHECK: gpu.launch
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @softmax_and_input(%x: tensor<16x64xf32>) -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %e = fuse.exp %x : tensor<16x64xf32>
  %s = fuse.softmax %e {axis = 1 : i64} : tensor<16x64xf32>
  return %e, %s : tensor<16x64xf32>, tensor<16x64xf32>
}
