// RUN: fuse-opt %s --fuse-form-groups "--fuse-tile=tile-config=0=fma_gemm:BM=256,BN=128,BK=32,warps=8,vector=1" --fuse-gpu-pipeline | FileCheck %s

// What used to be unsupported: a matmul (several loop nests around a
// per-tile accumulator) lowers on the generic path. f32 GEMMs tuned
// fma_gemm get the SIMT GEMM kernel (fuse-gpu-simt-gemm, see
// test/Conversion/FuseToGPU/fuse-gpu-simt-gemm*.mlir); this one is f16, which
// that kernel leaves to the generic path. Tiled 256 x 128, the accumulator
// (64 KiB of f16) does not fit in the 48 KiB of shared memory of a block:
// each block gets its slice of a global scratch buffer the host allocates
// (2 tiles x 64 KiB), passed to the kernel.
// CHECK-LABEL: func.func @gemm(
// CHECK: %[[SCRATCH:.*]] = memref.alloc() {alignment = 256 : i64} : memref<131072xi8>
// CHECK: gpu.launch_func @fuse_kernels::@group_0 blocks in (%c2, %c1, %c1) threads in (%c256, %c1, %c1) args({{.*}}%[[SCRATCH]] : memref<131072xi8>
// CHECK: gpu.binary @fuse_kernels
// CHECK-SAME: .visible .entry group_0(
// CHECK-NOT: .shared
// CHECK-SAME: st.global
func.func @gemm(%x: tensor<256x64xf16>, %w: tensor<64x256xf16>) -> tensor<256x256xf16> {
  %m = fuse.matmul %x, %w : (tensor<256x64xf16>, tensor<64x256xf16>) -> tensor<256x256xf16>
  %r = fuse.relu %m : tensor<256x256xf16>
  return %r : tensor<256x256xf16>
}
