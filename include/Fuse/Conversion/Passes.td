//===- Passes.td - Fuse conversion passes ------------------*- tablegen -*-===//

#ifndef FUSE_CONVERSION_PASSES_TD
#define FUSE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseToLinalg : Pass<"fuse-to-linalg", "ModuleOp"> {
  let summary = "Lower fuse ops to linalg, tensor, arith and math on tensors";
  let description = [{
    One pattern per fuse op; the bodies of `fuse.group` lower the same way
    (the group is inlined). Elementwise ops become `linalg.generic` with
    numpy-broadcasting indexing maps; contractions, pools and reductions
    become `linalg.generic` with reduction iterators (or named ops);
    data movement uses `tensor` ops where they express it exactly and
    `linalg.generic` with `tensor.extract` otherwise; scatters, whose updates
    apply in order, are `scf.for` nests over `tensor.insert`. `fuse.constant`
    becomes `arith.constant` (dense and dense_resource alike). An op
    without a lowering is an error naming it.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def FuseGpuGemm : Pass<"fuse-gpu-gemm", "::mlir::func::FuncOp"> {
  let summary = "Emit tensor-core (mma.sync) GEMM kernels for tuned contractions";
  let description = [{
    Runs on bufferized IR (GPU pipeline step 4). Every `scf.forall` mapped
    to `#gpu.block` that carries `fuse.tile = #fuse.tile<"mma_sync", {BM,
    BN, BK, stages, warps}>` and whose body is `linalg.fill` + a
    contraction (any transposition of A and B, optionally one batch
    dimension of tile size 1) + elementwise epilogue generics is replaced by
    one `gpu.launch`: a BM x BN block tile, operand tiles staged in
    XOR-swizzled dynamic shared memory by a `stages`-deep `cp.async`
    pipeline, `ldmatrix` fragments feeding `mma.sync` m16n8k16 (f16 through
    nvgpu.mma.sync, bf16 through nvvm.mma.sync; f32 accumulation) in a grid of warp tiles, and the epilogue applied to
    the accumulator registers before a single store. f16/bf16 operands are
    copied with cp.async; f32 operands with `fuse.precision = "fp16"` or
    `"bf16"` on the forall are converted while staging (register load,
    cvt, st.shared). Foralls it does not
    handle (other implementations, other shapes, a contiguous operand
    dimension that is not a multiple of 8 elements, tf32) are left to the
    generic path; an mma_sync choice whose parameters do not form valid
    warp tiles is an error.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // FUSE_CONVERSION_PASSES_TD
