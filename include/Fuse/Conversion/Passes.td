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

def FuseGpuMapTiles : Pass<"fuse-gpu-map-tiles", "::mlir::func::FuncOp"> {
  let summary = "Map each block-mapped tile loop to one gpu.launch (the "
                "generic GPU path)";
  let description = [{
    Runs after bufferization and the kernel emitters of the GPU pipeline.
    Every `scf.forall` mapped to `#gpu.block` left becomes one `gpu.launch`:
    the grid is the loop's trip counts (x innermost), the block the tile's
    threads (`fuse.tile` threads, else warps x 32, else 256, capped to the
    largest parallel iteration space of the tile body). Each linalg op of
    the tile body becomes a loop distributed over the threads (its parallel
    iteration space linearized, the reduction dims a sequential loop per
    thread accumulating in registers), memref.copy likewise; an op that
    cannot be distributed runs on thread 0. gpu.barrier separates the ops
    that touch memory. Per-tile buffers (`memref.alloc` in the body) are
    placed in workgroup memory while they fit in 48 KiB; the others become
    each block's slice of a global scratch buffer allocated on the host
    (`global-scratch`, the default; without it they are an error naming the
    group). linalg ops at host level become one single-block launch each
    (`host_<N>`). The launch carries the loop's `fuse.kernel` and
    `fuse.tile` attributes.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
  let options = [
    Option<"globalScratch", "global-scratch", "bool", /*default=*/"true",
           "Per-tile buffers that do not fit in shared memory go to a "
           "global scratch buffer (else they are an error)">,
  ];
}

#endif // FUSE_CONVERSION_PASSES_TD
