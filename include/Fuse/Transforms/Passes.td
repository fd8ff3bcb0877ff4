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

def FuseFormGroups : Pass<"fuse-form-groups", "::mlir::func::FuncOp"> {
  let summary = "Partition a function into fuse.group kernels (DNNFusion)";
  let description = [{
    Forms fusion groups the way DNNFusion does and wraps each one in a
    `fuse.group` region, so that every kernel of the model is exactly one
    group. Constants are not ops of the plan: small ones (splats, at most
    `clone-constant-elements` elements) are cloned into every group that
    uses them, the others (weights) become group inputs. Existing
    `fuse.group` ops and ops outside the fuse dialect are kept as they are,
    each its own kernel, which makes the pass idempotent.

    The plan:
    1. Every op's mapping type comes from `FusionKindInterface`. A
       broadcasting elementwise op whose replicated operands are all
       constants counts as OneToOne: it replicates a parameter, not an
       intermediate result. So does an inference `fuse.batch_norm` with
       constant parameters (a per-channel affine map of each element).
    2. Seeds are the OneToOne ops, taken in order of increasing result size
       (the smallest intermediate first; ties in program order). A seed
       already fused into a group by an earlier seed is skipped.
    3. A seed's group grows along successors (consumers of its results),
       then along predecessors (producers of its operands), and again both
       ways while anything merged. The candidate may itself be a group.
    4. A merge of producer group P into consumer group C stops when:
       - it is illegal by the mapping-type table: C contains a ManyToMany
         op and P is ManyToMany or OneToMany (OneToOne fuses with anything;
         Reorganize and Shuffle fuse with anything; every other pair is
         legal and left to profitability);
       - it would create a cycle between groups (a path from P to C through
         an op outside both; checked on the group graph, which keeps a
         dynamic topological order so the search stays local);
       - the merged group would exceed `max-ops` ops or `max-inputs`
         distinct non-constant inputs;
       - it is not profitable: the merged kernel, priced by the analytical
         cost model of `target` (lib/CostModel: launches, DRAM traffic, the
         math path, occupancy, waves) plus the extra arithmetic, would take
         longer than the two kernels apart. The extra arithmetic: a
         producer fused in front of a ManyToMany consumer is recomputed
         once per reuse of its result (for a matmul or convolution, once
         per output tile that reads it), priced at the target's FMA
         throughput. Where the model has no workload for a kernel (and
         with `target=""`), the DRAM time saved by keeping the
         intermediates on chip (their write, when nothing outside the
         merged group reads them, and their read) must exceed the
         recomputation time.
       - P would feed an operand of a matmul of C (directly or through a
         reshape) with a OneToOne value computed from another matmul's or
         convolution's result through OneToOne ops and reshapes only:
         that chain belongs in the other GEMM's epilogue, computed and
         stored once, rather than recomputed per output tile in front of
         this matmul, whose operand tiles then could not be staged by plain
         copies (cp.async, TMA). A prologue with no such home (a chain on a
         function argument, or one that starts at a softmax) is still
         fused.
    5. A value used both inside and outside its group becomes an extra
       result of the group (multi-output groups).
    Groups are emitted in a topological order of the group graph; an op
    fused with nothing becomes a one-op group.
  }];
  let dependentDialects = ["::mlir::fuse::FuseDialect"];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"h100\"",
           "GPU target whose cost model prices the merges (empty: the "
           "bandwidth rule only)">,
    Option<"maxOps", "max-ops", "int64_t", /*default=*/"64",
           "Most ops in one group">,
    Option<"maxInputs", "max-inputs", "int64_t", /*default=*/"24",
           "Most distinct non-constant inputs of one group">,
    Option<"cloneConstantElements", "clone-constant-elements", "int64_t",
           /*default=*/"64",
           "Constants with at most this many elements (or splats) are "
           "cloned into groups instead of becoming inputs">,
  ];
}

def FuseTile : Pass<"fuse-tile", "::mlir::func::FuncOp"> {
  let summary = "Choose a tile configuration per fused group and tile it";
  let description = [{
    For every top-level `fuse.group` (numbered from 0 in program order):
    1. its configuration is the `tile-config` override for that group when
       one is given, else the best configuration of the tuner, which ranks
       the group's search space (implementations and their tile sizes) with
       the analytical cost model of `target`, reusing the tuning database
       `tuning-db` when given;
    2. the configuration is attached as the group's `fuse.tile` attribute,
       e.g. `#fuse.tile<"mma_sync", {BK = 32 : i64, BM = 128 : i64, ...}>`
       (`tile-config` and the report use its canonical text,
       `mma_sync:BK=32,BM=128,...`);
    3. unless `materialize=false`, the group body is lowered to linalg on
       tensors and its root op (the one producing the group's last result)
       is tiled over its parallel loops with `scf.forall`, mapped to GPU
       blocks (`map-to-blocks`), with the other ops of the group fused in
       as producers through `TilingInterface`. Reduction loops are not
       tiled, so the tiled group computes exactly what the untiled one did.
       A group that this does not make one loop around all its computation
       (one that also yields what a strided conv reads; a concat of
       computed parts, whose root is no linalg op) becomes several loops,
       i.e. kernels: the last computing op outside a loop is tiled with its
       producers fused in, as long as computing ops are left (a concat's
       parts then write their slices of its result in place); one where
       even that fails stays one tile. An
       elementwise root covers `threads` x `vector` elements of its
       innermost loop per tile, except a transposing one (the innermost
       index of an input, or of an input of the all-parallel ops producing
       it, is another loop dim than the output's innermost): it gets
       32 x 32 tiles of the plane of both innermost dims, which
       fuse-gpu-map-tiles stages through shared memory. A group that only
       views its inputs (reshapes, slices) is left untiled, as it needs no
       kernel, unless the function returns a strided slice of it (one that
       is not a single range of memory): that result gets an identity copy,
       tiled as an elementwise kernel. A group tuned
       `mma_sync` or `fma_gemm` around one 2-D convolution or
       conv_transpose the GEMM kernels take is an implicit GEMM: the conv
       (marked `fuse.implicit_gemm`) is tiled filters x output positions
       (a grouped conv also over its groups); one they do not take (e.g.
       depthwise) is tiled the generic way and the group records why in
       `fuse.generic_reason`. The group body is lowered with f16/bf16
       contractions in their element type (the GEMM kernels accumulate in
       f32 themselves) and sums, softmax and layer_norm accumulating in
       f32.

       A scatter (`fuse.scatter_elements`, `fuse.scatter_nd`) goes into a
       group of its own (its producers and consumers into groups tuned and
       tiled the usual way; it keeps the group's configuration) that becomes
       two block-mapped loops, i.e. two kernels: a copy of the data tiled
       as an elementwise op (`threads` x `vector` elements per tile, whole
       rows while they fit), then the updates in tiles of `threads` x
       `vector`, each an `scf.for` over its updates (marked
       `fuse.scatter_updates` with the most updates a tile has) that
       updates the loop's shared output in place and inserts the whole
       tensor. Run in order (the CPU path) that is the scatter;
       fuse-gpu-map-tiles runs the tiles in parallel with atomic updates.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"h100\"",
           "GPU target whose cost model ranks the configurations">,
    Option<"tileConfig", "tile-config", "std::string", /*default=*/"\"\"",
           "Overrides: GROUP=CONFIG[;GROUP=CONFIG...], e.g. "
           "0=mma_sync:BM=64,BN=64,BK=32,stages=2,warps=4 (quote the "
           "value in a pipeline string)">,
    Option<"tuningDb", "tuning-db", "std::string", /*default=*/"\"\"",
           "SQLite tuning database to reuse and extend">,
    Option<"precision", "precision", "std::string", /*default=*/"\"fp32\"",
           "Math path of matmuls, convolutions and attention: fp32 (FMA), "
           "tf32, fp16 or bf16 (tensor cores)">,
    Option<"materializeTiles", "materialize", "bool", /*default=*/"true",
           "Tile the groups (otherwise only attach the configurations)">,
    Option<"mapToBlocks", "map-to-blocks", "bool", /*default=*/"true",
           "Map the tile loops to GPU blocks">,
  ];
}

def FuseRewrite : Pass<"fuse-rewrite"> {
  let summary = "Rewrite by mathematical properties (DNNFusion section 4.2)";
  let description = [{
    Greedy patterns, each applied only where it lowers FLOPs or memory
    traffic (or, for `div` to `mul`, replaces an op by a cheaper one of the
    same count that the other patterns can then merge):

    * Folding into contractions: `fuse.batch_norm`, and `fuse.mul`,
      `fuse.add` and `fuse.sub` by a constant that is uniform or varies only
      along the output channels, fold into the weights and bias of the
      preceding `fuse.conv` / `fuse.conv_transpose` (only when the
      convolution result has no other user; a `div` by a constant arrives
      here as a `mul`). For `fuse.matmul` with a constant 2-D right operand,
      a constant scale along the columns folds into the weights (also across
      a constant bias add, whose constant is scaled too), and a
      `fuse.batch_norm` over the columns of a 2-D matmul becomes scaled
      weights and one bias add. New weights are computed at compile time,
      also from `dense_resource` blobs (f32 only; more than 16 elements are
      written as new blobs).
    * Into the following conv (a second phase, after everything else has
      reached its fixed point, so that composites and folds into the
      preceding op come first): `conv(mul(x, k))` with k constant along the
      input channels scales the weights of each input channel (padding
      zeros stay zero); `conv(add(x, c))` adds `sum W * c` to the bias, only
      for a conv without padding. The mul/add must have no other user.
    * Constant chains: `div(x, C)` becomes `mul(x, 1/C)`;
      `mul(mul(x, C1), C2)` and `add(add(x, C1), C2)` become one op with the
      constants combined (when the inner op has no other user and the
      combined constant is not larger than the result).
    * Data movement: transpose and reshape chains are composed by the
      dialect's canonicalization patterns (reused here); a transpose that
      only swaps the last two dims of a matmul operand becomes the matmul's
      `transpose_a`/`transpose_b` flag (when the transpose has no other
      user).
    * Composites as one op: `fuse.silu` (`x * sigmoid(x)`),
      `fuse.hard_swish` (`x * clip(x + 3, 0, 6) / 6`, `x * hard_sigmoid(x)`
      with alpha 1/6 and beta 1/2), `fuse.gelu` (erf form
      `0.5 x (1 + erf(x / sqrt 2))` and tanh form
      `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`, in any association
      and operand order of the products, `x^3` as pow or products). A splat
      factor left over in the product (a learnable scale merged into the
      `/ 6`) stays as one `mul` after the composite. `fuse.layer_norm` from
      ReduceMean, Sub, Pow 2 (or a self-product), ReduceMean, optional Add
      eps, then Sqrt and Div, Rsqrt and Mul, or Sqrt, Reciprocal (or 1 /)
      and Mul,
      over trailing axes; a following Mul by gamma and Add of beta that
      broadcast to the normalized shape are absorbed as scale and bias.
    * `fuse.attention` from `softmax(q k^T * scale + mask) v`, anchored at
      the matmul with v: the scale a positive splat mul or div on the
      scores, on q or on k; an optional additive mask (a constant one that
      is 0 on the causal triangle and <= -1e4 above it becomes `causal`);
      an optional `select` with a constant lower-triangular condition
      (keep `j <= i + L - S`, or its negation with the branches swapped)
      and a splat fill <= -1e4, which becomes `causal`. k comes as
      [.., L, D] behind `transpose_b`, or as [.., D, L], whose transposes
      are composed into one transpose to [.., L, D] (or none); q, k and v
      keep the head-split reshape/transpose in front of them, so the op
      works on [B, H, S, D].
    * Horizontal matmul merge: matmuls that share their left operand and
      have constant 2-D f32 right operands with the same K and flags (Q,
      K, V projections) become one matmul on the concatenated weights
      followed by `fuse.split` (a Reorganize op that fusion puts into its
      consumers): the input is read once. When every one of them is
      followed by a constant bias add along the columns, the biases are
      concatenated into one add before the split.

    Every intermediate value of a recognized composite or folded chain must
    have no other user. The patterns run on each function (each op directly
    inside the module) to a fixed point; a function that has not converged
    after `max-iterations` sweeps is an error naming it. With `print-stats`,
    the number of rewrites per pattern is printed to stderr; `disable`
    takes a comma-separated list of those names to leave out.
  }];
  let options = [
    Option<"printStats", "print-stats", "bool", /*default=*/"false",
           "Print how often each pattern rewrote something to stderr">,
    ListOption<"disabledPatterns", "disable", "std::string",
               "Pattern names (as print-stats lists them) not to apply">,
    Option<"maxIterations", "max-iterations", "int64_t", /*default=*/"32",
           "Greedy driver sweeps per function before the pass fails as "
           "not converged">,
  ];
  let dependentDialects = ["::mlir::fuse::FuseDialect"];
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

def FuseElementwiseFusion
    : Pass<"fuse-elementwise-fusion", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops and fold reshapes into them, "
                "keeping matmul-like contractions 2-D";
  let description = [{
    GPU pipeline step after `fuse-to-linalg`, in place of upstream's
    `linalg-fuse-elementwise-ops`, with the same patterns: producer-consumer
    fusion of elementwise `linalg.generic` ops (a producer with one use),
    reshapes folded into generics by expanding their loops, expand_shapes
    bubbled up, splat constants and fills folded into generics, and linalg
    canonicalizations.

    The one difference: a `tensor.expand_shape` or `tensor.collapse_shape`
    is not folded into a matmul-like contraction (a reduction over two
    inputs with a multiply-accumulate body and projected-permutation maps)
    nor into the generic that produces one. fuse-tile makes a
    `[1, S, K] x [K, N]` matmul a `[S, K] x [K, N]` one behind a
    collapse_shape, which the tensor-core kernels need; when S fits one
    block tile the collapse feeds the contraction directly, and folding it
    would give back the unit dim.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // FUSE_TRANSFORMS_PASSES_TD
