// RUN: fuse-opt %s --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | FileCheck %s
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/Inputs/ptx_from_binary.py | FileCheck %s --check-prefix=ENTRY
// RUN: %if ptxas %{ fuse-opt %s --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=sm_80 | %python %S/Inputs/ptx_from_binary.py --ptxas %ptxas --arch sm_80 | FileCheck %s --check-prefix=PTXAS %}

// Integer pow (math.ipowi, which NVVM has no instruction for) runs as
// convert-math-to-funcs's software implementation: outlined into a
// function, cloned into the kernels' module with the kernel that calls it,
// and dropped from the host (the bundle takes one host function).
// CHECK-LABEL: func.func @pow_i32(
// CHECK: gpu.launch_func @fuse_kernels::@group_0
// CHECK-NOT: func.func private @__mlir_math_ipowi
// CHECK: gpu.binary @fuse_kernels
// ENTRY: group_0
// PTXAS: ptxas ok
func.func @pow_i32(%x: tensor<3x5xi32>, %y: tensor<3x5xi32>) -> tensor<3x5xi32> {
  %p = fuse.pow %x, %y : (tensor<3x5xi32>, tensor<3x5xi32>) -> tensor<3x5xi32>
  return %p : tensor<3x5xi32>
}
