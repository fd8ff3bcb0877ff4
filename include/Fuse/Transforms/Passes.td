//===- Passes.td - Fuse transformation passes --------------*- tablegen -*-===//

#ifndef FUSE_TRANSFORMS_PASSES_TD
#define FUSE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseAnnotateCost : Pass<"fuse-annotate-cost"> {
  let summary = "Attach each fuse op's mapping type, FLOPs and bytes";
  let description = [{
    Test and inspection pass. Every op implementing `FusionKindInterface`
    gets `fuse.mapping` (the DNNFusion mapping type as a string); every op
    implementing `CostInterface` gets `fuse.flops`, `fuse.bytes_read` and
    `fuse.bytes_written` (i64). With `print-table`, a table of the same
    numbers (one line per op, named by its location) and their totals is
    written to standard error.
  }];
  let options = [
    Option<"printTable", "print-table", "bool", /*default=*/"false",
           "Also print a per-op cost table to stderr">,
  ];
}

def FuseCpuLoopOrder : Pass<"fuse-cpu-loop-order"> {
  let summary = "Make a vectorizable parallel dim the innermost loop of "
                "linalg reductions";
  let description = [{
    CPU scheduling on linalg (tensors or buffers). A `linalg.generic` with
    reduction iterators (matmul, convolution, pooling, reductions over
    non-trailing axes) lowers, dim by dim, to a loop nest whose innermost
    loop is its last dim, usually a reduction: a scalar dependence chain that
    LLVM does not vectorize without reassociation. This pass interchanges the
    dims so that the parallel dim indexing the output's last dim, which is
    contiguous, becomes the innermost loop: every iteration of that loop is
    independent and reads each input contiguously (or strided, or not at
    all), so LLVM's loop vectorizer turns it into SIMD code.

    When exactly one input (the image of a convolution, the `[K, N]` operand
    of a matmul) reads that dim, the innermost parallel dims it does not
    read (the filters, or the block of 8 filters that fuse-to-linalg splits
    off) form a block, as long as the block spans at most 8 output rows and
    32 KiB; the order becomes `[other dims] [reductions] [block] [innermost
    dim]`: each image row loaded into L1 is applied to every output row of
    the block while those rows stay in L1. (Rows a plane apart often share
    cache sets; more of them than the cache has ways would evict each
    other.)

    The relative order of the reduction dims is kept, so each output element
    sums its terms in the same order as before and the numerics are
    unchanged.

    A generic is left alone when the output's last result is not a parallel
    dim, when that dim is already innermost, or when an input reads it in a
    position other than its last (moving it inward would make that input
    strided in the innermost loop, e.g. the `[N, K]` operand of a matmul
    with `transpose_b`).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def FuseCpuOutlineLoops : Pass<"fuse-cpu-outline-loops", "mlir::ModuleOp"> {
  let summary = "Outline each top-level scf.for nest of a function into a "
                "function of its own";
  let description = [{
    CPU pipeline step after `convert-linalg-to-loops`: every `scf.for`
    without results directly in a `func.func` body becomes a function
    `@<func>_loop<N>` called in its place. The values it uses from
    above become arguments, except operand-free ops such as constants and
    `memref.get_global`, which are cloned into it. The functions carry
    `passthrough = ["noinline"]` so that LLVM's inliner leaves them out of
    line. A whole model lowers to one `@main` with hundreds of loop nests,
    on which LLVM's loop passes (IndVarSimplify above all) take super-linear
    time; one small function per nest keeps JIT compilation linear in the
    model size.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def FuseCpuCopyToLinalg : Pass<"fuse-cpu-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    CPU pipeline step after bufferization. Bufferizing `tensor.pad`,
    `tensor.insert_slice` and friends copies into strided subviews with
    `memref.copy`, which the LLVM lowering turns into a call to the runtime
    library's generic `memrefCopy` (an element-by-element loop with index
    arithmetic) whenever a side is not contiguous. As `linalg.copy`, the copy
    lowers with every other linalg op to a loop nest that LLVM vectorizes.
    Copies of ranked memrefs with static shapes are rewritten; others are
    left alone.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // FUSE_TRANSFORMS_PASSES_TD
