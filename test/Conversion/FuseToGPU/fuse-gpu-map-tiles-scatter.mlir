// Scatters on the GPU (fuse-tile's two loops, see fuse-tile-scatter.mlir):
// fuse-gpu-map-tiles makes the copy of the data one kernel and the updates
// a second, whose loop over a tile's updates (`fuse.scatter_updates`) is
// spread over the block's threads with every read-modify-write one atomic:
// memref.atomic_rmw for adds of f32 and 32/64-bit integers, a
// compare-and-swap loop on the element's bits (llvm.cmpxchg) for the rest;
// `reduction = none` stays a plain store.
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),canonicalize)' | FileCheck %s
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s --check-prefix=PTX
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_90 | FileCheck %s --check-prefix=PTX90
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}
// RUN: %if ptxas %{ fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_90 | %python %S/../Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_90 | FileCheck %s --check-prefix=PTXAS %}
//
// Numerics: the kernels run on the lock-step simulator (atomics lane by
// lane, so updates of one element in one step race as on the GPU) against
// the ONNX backend tests' numpy reference; random indices hit few elements
// many times. Once tuned, once with 32-update tiles (several blocks race).
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic > %t.tuned
// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile="tile-config=0=elementwise:threads=32,vector=1" | fuse-opt -split-input-file --pass-pipeline='builtin.module(fuse-to-linalg,canonicalize,cse,func.func(fuse-elementwise-fusion),canonicalize,cse,eliminate-empty-tensors,one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,canonicalize,func.func(fuse-gpu-map-tiles),lower-affine,canonicalize)' --mlir-print-op-generic > %t.small
// RUN: %python %S/Inputs/simulate_scatter.py --func nd_add --kind nd --reduction add < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func nd_add --kind nd --reduction add < %t.small | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func nd_mul --kind nd --reduction mul < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func nd_mul --kind nd --reduction mul < %t.small | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func nd_none --kind nd < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func elements_max_f16 --kind elements --reduction max --axis 1 < %t.tuned | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func elements_max_f16 --kind elements --reduction max --axis 1 < %t.small | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func elements_min_i32 --kind elements --reduction min --axis 0 < %t.small | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func elements_add_i32 --kind elements --reduction add --axis 0 < %t.small | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func elements_mul_i64 --kind elements --reduction mul --axis 0 < %t.small | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func nd_none --kind nd < %t.small | FileCheck %s --check-prefix=SIM
// RUN: %python %S/Inputs/simulate_scatter.py --func nd_add_f16 --kind nd --reduction add < %t.small | FileCheck %s --check-prefix=SIM
// SIM: ok:

// Add of f32: the copy kernel, then the updates with atomic adds.
// CHECK-LABEL: func.func @nd_add
// CHECK: gpu.launch
// CHECK: vector.load
// CHECK: vector.store
// CHECK: } {fuse.kernel = "group_0"
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}) threads({{.*}}) in (%{{.*}} = %c96
// CHECK: scf.for %{{.*}} = %{{.*}} to %c96 step
// CHECK-NOT: memref.store
// CHECK: memref.atomic_rmw addf
// CHECK: } {fuse.scatter_updates = 96 : i64}
// PTX-LABEL: func.func @nd_add
// PTX: atom.global.add.f32
// PTXAS: object 0: ptxas ok (group_0 group_0_1)
func.func @nd_add(%data: tensor<8x4x4xf32>, %indices: tensor<6x1xi64>, %updates: tensor<6x4x4xf32>) -> tensor<8x4x4xf32> {
  %0 = fuse.scatter_nd %data, %indices, %updates {reduction = #fuse.scatter_reduction<add>} : (tensor<8x4x4xf32>, tensor<6x1xi64>, tensor<6x4x4xf32>) -> tensor<8x4x4xf32>
  return %0 : tensor<8x4x4xf32>
}

// -----

// Mul: a compare-and-swap loop on the f32's bits around the product.
// CHECK-LABEL: func.func @nd_mul
// CHECK: memref.extract_aligned_pointer_as_index
// CHECK: llvm.load %{{.*}} atomic syncscope("device") monotonic
// CHECK: scf.while
// CHECK: arith.bitcast %{{.*}} : i32 to f32
// CHECK: arith.mulf
// CHECK: arith.bitcast %{{.*}} : f32 to i32
// CHECK: llvm.cmpxchg {{.*}} syncscope("device") monotonic monotonic
// CHECK: scf.condition
// CHECK-NOT: memref.store
// CHECK: } {fuse.scatter_updates = 96 : i64}
// PTX-LABEL: func.func @nd_mul
// PTX: atom.relaxed.gpu.cas.b32
// PTXAS: object 1: ptxas ok (group_0 group_0_1)
func.func @nd_mul(%data: tensor<8x4x4xf32>, %indices: tensor<6x1xi64>, %updates: tensor<6x4x4xf32>) -> tensor<8x4x4xf32> {
  %0 = fuse.scatter_nd %data, %indices, %updates {reduction = #fuse.scatter_reduction<mul>} : (tensor<8x4x4xf32>, tensor<6x1xi64>, tensor<6x4x4xf32>) -> tensor<8x4x4xf32>
  return %0 : tensor<8x4x4xf32>
}

// -----

// Near-miss: no reduction, so no atomic (a plain store; ONNX leaves
// duplicates undefined). Tuples of 2 indices.
// CHECK-LABEL: func.func @nd_none
// CHECK: scf.for
// CHECK-NOT: atomic
// CHECK-NOT: cmpxchg
// CHECK: memref.store
// CHECK: } {fuse.scatter_updates = 20 : i64}
// PTX-LABEL: func.func @nd_none
// PTX-NOT: atom.
// PTX: gpu.binary
// PTXAS: object 2: ptxas ok (group_0 group_0_1)
func.func @nd_none(%data: tensor<8x4x5xf32>, %indices: tensor<4x2xi64>, %updates: tensor<4x5xf32>) -> tensor<8x4x5xf32> {
  %0 = fuse.scatter_nd %data, %indices, %updates : (tensor<8x4x5xf32>, tensor<4x2xi64>, tensor<4x5xf32>) -> tensor<8x4x5xf32>
  return %0 : tensor<8x4x5xf32>
}

// -----

// Max of f16: compare-and-swap on 16 bits (LLVM widens it to a 32-bit
// atom.cas on the word).
// CHECK-LABEL: func.func @elements_max_f16
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> i16
// CHECK: arith.bitcast %{{.*}} : i16 to f16
// CHECK: arith.maximumf
// CHECK: llvm.cmpxchg {{.*}} : !llvm.ptr, i16
// PTX-LABEL: func.func @elements_max_f16
// PTX: atom.relaxed.gpu.cas.b32
// PTXAS: object 3: ptxas ok (group_0 group_0_1)
func.func @elements_max_f16(%data: tensor<4x16xf16>, %indices: tensor<4x40xi64>, %updates: tensor<4x40xf16>) -> tensor<4x16xf16> {
  %0 = fuse.scatter_elements %data, %indices, %updates {axis = 1 : i64, reduction = #fuse.scatter_reduction<max>} : (tensor<4x16xf16>, tensor<4x40xi64>, tensor<4x40xf16>) -> tensor<4x16xf16>
  return %0 : tensor<4x16xf16>
}

// -----

// Integers: min of i32 and mul of i64 by compare-and-swap, add of i32 by
// atomic_rmw.
// CHECK-LABEL: func.func @elements_min_i32
// CHECK: arith.minsi
// CHECK: llvm.cmpxchg {{.*}} : !llvm.ptr, i32
// PTXAS: object 4: ptxas ok (group_0 group_0_1)
func.func @elements_min_i32(%data: tensor<6x8xi32>, %indices: tensor<40x8xi64>, %updates: tensor<40x8xi32>) -> tensor<6x8xi32> {
  %0 = fuse.scatter_elements %data, %indices, %updates {axis = 0 : i64, reduction = #fuse.scatter_reduction<min>} : (tensor<6x8xi32>, tensor<40x8xi64>, tensor<40x8xi32>) -> tensor<6x8xi32>
  return %0 : tensor<6x8xi32>
}

// -----

// CHECK-LABEL: func.func @elements_add_i32
// CHECK: memref.atomic_rmw addi
// PTX-LABEL: func.func @elements_add_i32
// PTX: atom.global.add.u32
// PTXAS: object 5: ptxas ok (group_0 group_0_1)
func.func @elements_add_i32(%data: tensor<6x8xi32>, %indices: tensor<40x8xi64>, %updates: tensor<40x8xi32>) -> tensor<6x8xi32> {
  %0 = fuse.scatter_elements %data, %indices, %updates {axis = 0 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<6x8xi32>, tensor<40x8xi64>, tensor<40x8xi32>) -> tensor<6x8xi32>
  return %0 : tensor<6x8xi32>
}

// -----

// CHECK-LABEL: func.func @elements_mul_i64
// CHECK-NOT: memref.atomic_rmw
// CHECK: arith.muli
// CHECK: llvm.cmpxchg {{.*}} : !llvm.ptr, i64
// PTX-LABEL: func.func @elements_mul_i64
// PTX: atom.relaxed.gpu.cas.b64
// PTXAS: object 6: ptxas ok (group_0 group_0_1)
func.func @elements_mul_i64(%data: tensor<6x8xi64>, %indices: tensor<40x8xi64>, %updates: tensor<40x8xi64>) -> tensor<6x8xi64> {
  %0 = fuse.scatter_elements %data, %indices, %updates {axis = 0 : i64, reduction = #fuse.scatter_reduction<mul>} : (tensor<6x8xi64>, tensor<40x8xi64>, tensor<40x8xi64>) -> tensor<6x8xi64>
  return %0 : tensor<6x8xi64>
}

// -----

// Adds of 16-bit floats are memref.atomic_rmw too: f16 has a native atomic
// add from sm_70 on, bf16 from sm_90 on (LLVM makes it a compare-and-swap
// loop on sm_80).
// CHECK-LABEL: func.func @nd_add_bf16
// CHECK: memref.atomic_rmw addf {{.*}} : (bf16, memref<8x4xbf16>)
// PTX-LABEL: func.func @nd_add_bf16
// PTX: atom.acq_rel.sys.global.cas.b32
// PTX90-LABEL: func.func @nd_add_bf16
// PTX90: atom.global.add.noftz.bf16
// PTXAS: object 7: ptxas ok (group_0 group_0_1)
func.func @nd_add_bf16(%data: tensor<8x4xbf16>, %indices: tensor<6x1xi64>, %updates: tensor<6x4xbf16>) -> tensor<8x4xbf16> {
  %0 = fuse.scatter_nd %data, %indices, %updates {reduction = #fuse.scatter_reduction<add>} : (tensor<8x4xbf16>, tensor<6x1xi64>, tensor<6x4xbf16>) -> tensor<8x4xbf16>
  return %0 : tensor<8x4xbf16>
}

// -----

// CHECK-LABEL: func.func @nd_add_f16
// CHECK: memref.atomic_rmw addf {{.*}} : (f16, memref<8x4xf16>)
// PTX-LABEL: func.func @nd_add_f16
// PTX: atom.global.add.noftz.f16
// PTX90-LABEL: func.func @nd_add_f16
// PTX90: atom.global.add.noftz.f16
// PTXAS: object 8: ptxas ok (group_0 group_0_1)
func.func @nd_add_f16(%data: tensor<8x4xf16>, %indices: tensor<6x1xi64>, %updates: tensor<6x4xf16>) -> tensor<8x4xf16> {
  %0 = fuse.scatter_nd %data, %indices, %updates {reduction = #fuse.scatter_reduction<add>} : (tensor<8x4xf16>, tensor<6x1xi64>, tensor<6x4xf16>) -> tensor<8x4xf16>
  return %0 : tensor<8x4xf16>
}

// -----

// Booleans (reduction none only): plain byte stores.
// CHECK-LABEL: func.func @nd_bool
// CHECK-NOT: atomic
// CHECK: memref.store {{.*}} : memref<8x4xi1>
// PTXAS: object 9: ptxas ok (group_0 group_0_1)
func.func @nd_bool(%data: tensor<8x4xi1>, %indices: tensor<6x1xi64>, %updates: tensor<6x4xi1>) -> tensor<8x4xi1> {
  %0 = fuse.scatter_nd %data, %indices, %updates : (tensor<8x4xi1>, tensor<6x1xi64>, tensor<6x4xi1>) -> tensor<8x4xi1>
  return %0 : tensor<8x4xi1>
}
