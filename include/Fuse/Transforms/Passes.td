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
       - it is not profitable: the DRAM time saved by keeping the
         intermediate tensors on chip (their write, when nothing outside
         the merged group reads them, and their read) is smaller than the
         time of the extra arithmetic: a producer fused in front of a
         ManyToMany consumer is recomputed once per reuse of its result
         (for a matmul or convolution, once per output tile that reads it),
         priced at the target's FMA throughput.
    5. A value used both inside and outside its group becomes an extra
       result of the group (multi-output groups).
    Groups are emitted in a topological order of the group graph; an op
    fused with nothing becomes a one-op group.
  }];
  let dependentDialects = ["::mlir::fuse::FuseDialect"];
  let options = [
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
    2. the configuration is attached as the group's `fuse.tile` attribute
       (its canonical text, e.g. `mma_sync:BK=32,BM=128,BN=128,stages=3,
       warps=4`);
    3. unless `materialize=false`, the group body is lowered to linalg on
       tensors and its root op (the one producing the group's last result)
       is tiled over its parallel loops with `scf.forall`, mapped to GPU
       blocks (`map-to-blocks`), with the other ops of the group fused in
       as producers through `TilingInterface`. Reduction loops are not
       tiled, so the tiled group computes exactly what the untiled one did.
       A group whose root is not a linalg op stays one tile.
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

#endif // FUSE_TRANSFORMS_PASSES_TD
