//===- GemmPlan.h - The GEMM tile analysis shared by the kernels -*- C++ -*-===//
//
// Internal to lib/Conversion/FuseToGPU: the analysis of a block-mapped
// scf.forall whose body is linalg.fill + a contraction + an elementwise
// epilogue chain (on memrefs), shared by the mma.sync kernel
// (GemmKernel.cpp), the warpgroup kernel (WgmmaKernel.cpp) and the fp32
// SIMT kernel (SimtGemmKernel.cpp): the tile's ops, the epilogue chain, the
// reads the launch rebuilds, the launch itself and the epilogue of one
// accumulator element. The implementations differ in how they stage
// operands and issue the products; the plan says what the tile computes
// and where its operands live.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_CONVERSION_FUSETOGPU_GEMMPLAN_H
#define FUSE_LIB_CONVERSION_FUSETOGPU_GEMMPLAN_H

#include "Fuse/CostModel/TileConfigAttr.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <optional>

namespace mlir {
namespace fuse {
namespace gemm {

/// One operand of the contraction (A or B) as the kernel stages it.
struct OperandPlan {
  Value memref;    // The operand in the forall body (a subview, usually).
  AffineMap map;   // Its indexing map over the contraction loops.
  unsigned rowDim; // The loop dim along the rows of its shared tile.
  unsigned colDim; // The loop dim along its contiguous dimension.
  int64_t rows = 0, cols = 0; // The shared tile: rows x cols elements.
  bool convert = false;       // f32 in memory, converted while staging.
  /// Staged element by element (register load, st.shared of a chunk)
  /// through the conv addressing (ConvAddressing): an im2col A tile, or a
  /// weight matrix whose rows are not 16-byte chunks.
  bool gather = false;
  /// A plain operand whose rows are not whole 16-byte chunks (e.g. a
  /// contiguous extent that is not a multiple of 8 f16 elements, or a
  /// misaligned view): cp.async cannot copy it, so it is staged element by
  /// element (guarded register loads, st.shared of a chunk).
  bool unaligned = false;
};

/// The tile's padded input of a convolution, as bufferization leaves the
/// fused tensor.pad: a buffer filled with zeros into which `source` (a
/// buffer from outside the forall) is copied: padded element p is
/// source[srcOffsets + p - dstOffsets] where 0 <= p - dstOffsets < sizes,
/// else zero; when `empty` holds (the tiled pad's guard: the tile reads
/// only padding) every element is zero.
struct PaddedInput {
  Value buffer; // What the conv reads (the alloc, or the scf.if result).
  Value source;
  SmallVector<OpFoldResult> srcOffsets, dstOffsets, sizes;
  Value empty; // i1, or null (no guard).
  /// A strided copy (a conv_transpose's spread input): padded element p
  /// is source[srcOffsets + (p - dstOffsets) / dstStrides] where the
  /// division is exact and in range, else zero. Empty: unit strides.
  SmallVector<int64_t> dstStrides;
  /// The conv reads a view of the buffer at these offsets (a tile's window
  /// of a whole spread input), or the buffer itself (empty).
  SmallVector<OpFoldResult> viewOffsets;
  llvm::SmallPtrSet<Operation *, 4> ops; // The ops computing the buffer.
  /// Instead of `source`: an elementwise producer fused into the tile (an
  /// activation or residual add before the conv) computing the copied
  /// region from views of buffers outside the forall; each element is
  /// computed from its inputs (loaded at inputOffsets + map(element)).
  linalg::GenericOp producer;
  SmallVector<Value> inputRoots;
  SmallVector<SmallVector<OpFoldResult>> inputOffsets;
};

/// Implicit-GEMM operand addressing of a convolution (the linalg.generic of
/// fuse-to-linalg: loops n, f, o..., c, k..., input map (n, c, o * s + k *
/// d...) over a padded input, weight (f, c, k...), output (n, f, o...)).
/// The GEMM is M = the tile's output positions (the output loops but f, a
/// row m taken apart over rowDims, innermost last), N = filters, K = the
/// reduction loops flattened in the weight's order (c, k...), which is
/// also the order of the weight's elements: the weight tile is a plain
/// [filters][K] matrix. The plan's GEMM dims are then virtual (M = 0,
/// N = 1, K = 2) and the operand maps are over those three.
struct ConvAddressing {
  unsigned numLoops = 0; // Of the conv generic.
  unsigned filterDim = 0;
  int64_t filters = 1; // The static bound of the tile's filters.
  SmallVector<unsigned> rowDims;  // Output-position loops, tile size > 1.
  SmallVector<int64_t> rowSizes;  // Their static tile sizes.
  SmallVector<unsigned> kDims;    // Reduction loops, in the weight's order.
  SmallVector<int64_t> kSizes;
  int64_t rows = 1, depth = 1;    // Products of rowSizes, kSizes.
  Value input;                    // The generic's input operand.
  AffineMap inputMap;             // Its map over the conv loops.
  std::optional<PaddedInput> padded;
  Value weight;                   // The weight operand (a subview).
  /// A conv_transpose's flipped weight, computed whole in the tile by this
  /// copy generic from a buffer outside it; the conv reads a view of it at
  /// weightViewOffsets. The B tile is then gathered from the copy's input
  /// through its map (e.g. weight[c][f][K - 1 - k]).
  linalg::GenericOp weightProducer;
  SmallVector<OpFoldResult> weightViewOffsets;
  /// Unpadded, with an elementwise producer fused into the conv generic
  /// (fuse-elementwise-fusion): the A element is `aValue` of its body,
  /// computed by its ops before the product from the inputs but the last
  /// (the weight), each loaded at its map. Null: the first input's element.
  Value aValue;
  /// A depthwise conv tile (fuse-gpu-depthwise's direct kernel): the input
  /// channel is the filter's own (the input map reads f).
  bool depthwise = false;
};

/// One op of the epilogue chain.
struct EpilogueStep {
  Operation *op; // linalg.generic or memref.copy.
  /// For a generic: the contraction loop dim of each of its loop dims.
  SmallVector<unsigned> loopToContraction;
};

/// What the pass found in one forall, checked before anything is rewritten.
struct GemmPlan {
  scf::ForallOp forall;
  linalg::FillOp fill;
  /// Instead of the fill: a generic broadcasting a value (a conv's bias)
  /// into the accumulator; the accumulators start at 0 and the value is
  /// added in the epilogue.
  linalg::GenericOp initCopy;
  std::optional<ConvAddressing> conv;
  linalg::LinalgOp contraction;
  unsigned dimM, dimN, dimK;
  std::optional<unsigned> dimBatch;
  OperandPlan a, b;
  SmallVector<EpilogueStep> epilogue;
  Value finalOut; // The buffer the last step writes (outside the body).
  /// For each dim of finalOut: the contraction loop dim it indexes.
  SmallVector<unsigned> outDims;
  Type mmaType; // f16, bf16, or f32 for tf32.
  bool tf32 = false;
  /// Bytes of an element in shared memory, elements of a 16-byte chunk,
  /// and the instruction K (m16n8k16, or m16n8k8 for tf32).
  int64_t elemBytes = 2, chunkElems = 8, kStep = 16;
  int64_t bm = 0, bn = 0, bk = 0, stages = 0;
  /// mma_sync's warps and warp grid; wgmma's warpgroups (warps = 4 x
  /// warpgroups).
  int64_t warps = 0, warpsM = 0, warpsN = 0;
  /// wgmma: A and B loaded by TMA where they allow it (tile param tma=1).
  bool tma = false;
  /// Why the matchers left the forall to the generic path (the first
  /// reason recorded; see decline).
  std::string declined;
};

/// Records `reason` as why `plan`'s forall is not the kernel's (the first
/// reason stands: it is the most specific) and returns false.
inline bool decline(GemmPlan &plan, const Twine &reason) {
  if (plan.declined.empty())
    plan.declined = reason.str();
  return false;
}

/// Marks `forall`, tuned for a kernel whose pass `pass` leaves it to the
/// generic path, with why (`fuse.generic_reason`, which the thread mapping
/// carries to the kernel and the fusion report shows).
void recordGenericReason(scf::ForallOp forall, StringRef pass,
                         StringRef reason);

/// Index arithmetic at a builder's insertion point: the address
/// computations the kernel emitters (and ConvGather) share.
class IndexMath {
protected:
  IndexMath(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value cst(int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value add(Value x, int64_t y) { return y ? add(x, cst(y)) : x; }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value mul(Value x, int64_t y) { return mul(x, cst(y)); }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, cst(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, cst(y));
  }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value andi(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }

  OpBuilder &b;
  Location loc;
};

/// Whether `forall` is mapped to gpu.block dims x, y, z.
inline bool isBlockMapped(scf::ForallOp forall) {
  std::optional<ArrayAttr> mapping = forall.getMapping();
  if (!mapping || mapping->empty())
    return false;
  return llvm::all_of(*mapping, [](Attribute attr) {
    auto block = dyn_cast<gpu::GPUBlockMappingAttr>(attr);
    return block && block.getBlock() <= gpu::MappingId::DimZ;
  });
}

/// Follows memref.subview to the buffer it views.
inline Value rootOf(Value memref) {
  while (auto subview = memref.getDefiningOp<memref::SubViewOp>())
    memref = subview.getSource();
  return memref;
}

inline bool isDefinedIn(Value value, Region &region) {
  return region.isAncestor(value.getParentRegion());
}

/// The result of `map` that is the loop dim `dim`, if any.
inline std::optional<unsigned> resultOf(AffineMap map, unsigned dim) {
  for (auto [pos, expr] : llvm::enumerate(map.getResults()))
    if (auto d = dyn_cast<AffineDimExpr>(expr))
      if (d.getPosition() == dim)
        return pos;
  return std::nullopt;
}

/// Whether the offset along `dim` of every subview between `memref` and its
/// root (rank-preserving subviews only) is a multiple of `multiple`: a
/// constant, or an iv of `forall` whose static lower bound and step are.
inline bool viewOffsetsAligned(scf::ForallOp forall, Value memref,
                               unsigned dim, int64_t multiple) {
  while (auto subview = memref.getDefiningOp<memref::SubViewOp>()) {
    if (subview.getSourceType().getRank() != subview.getType().getRank())
      return false;
    OpFoldResult offset = subview.getMixedOffsets()[dim];
    if (std::optional<int64_t> c = getConstantIntValue(offset)) {
      if (*c % multiple)
        return false;
    } else {
      auto arg = dyn_cast_or_null<BlockArgument>(dyn_cast<Value>(offset));
      if (!arg || arg.getOwner() != forall.getBody())
        return false;
      unsigned i = arg.getArgNumber();
      std::optional<int64_t> lb =
          getConstantIntValue(forall.getMixedLowerBound()[i]);
      std::optional<int64_t> step =
          getConstantIntValue(forall.getMixedStep()[i]);
      if (!lb || !step || *lb % multiple || *step % multiple)
        return false;
    }
    memref = subview.getSource();
  }
  return true;
}

/// Matches the body of `plan.forall` (fill, contraction, epilogue; element
/// types and fuse.precision; A and B in 16-byte chunks). On entry `plan`
/// holds the forall and the tile (bm, bn, bk; the shared tiles of A and B
/// are sized from them). std::nullopt: a body the GEMM kernels leave to the
/// generic path. (Defined in GemmKernel.cpp, as is everything below but
/// lowerWgmmaForall.) It is matchTileOps, the kernel's element types,
/// dims and operands, matchEpilogueChain and rebuildsReads.
std::optional<GemmPlan> matchGemmBody(GemmPlan plan,
                                      std::string *declined = nullptr);

/// A conv_transpose's flipped weight computed in the tile (see
/// ConvAddressing::weightProducer): the copy generic writing it, what the
/// conv reads (the allocation or a same-rank unit-stride view of it) and
/// the view's offsets.
struct WeightProducer {
  linalg::GenericOp producer;
  Value read;
  SmallVector<OpFoldResult> offsets;
};

/// The ops of the tile body: sets plan.fill (or plan.initCopy) and
/// plan.contraction, collects the linalg ops and copies in order into
/// `computeOps` (fill, contraction, then the epilogue chain) and a conv's
/// padded input into `padded` (and, where `weightProducer` is given, a
/// weight computed in the tile into it; otherwise its producer is a compute
/// op the callers reject). Views, index computations, allocations and
/// the padded input's ops are not compute ops; anything else rejects the
/// body (false).
bool matchTileOps(GemmPlan &plan, SmallVectorImpl<Operation *> &computeOps,
                  std::optional<PaddedInput> &padded,
                  WeightProducer *weightProducer = nullptr);

/// Moves the pure, region-free ops of the branches of the scf.ifs in
/// `forall`'s body whose operands come from outside the scf.if (index
/// computations, e.g. a grouped conv's channel offset or a tiled pad's low
/// padding computed in the tiled pad's branch) before it, so that the
/// padded input's views are addressed by values of the body. Harmless when
/// the forall is then left to the generic path. (Run by the GEMM passes
/// before matching a conv body.)
void hoistBranchIndexing(scf::ForallOp forall);

/// The conv generic `plan.contraction` (not a linalg contraction) as an
/// implicit GEMM: sets plan.conv (with the tile's `padded` input and the
/// weight computed in the tile, `weightProducer`, which must be what the
/// conv reads), the virtual GEMM dims (M = 0, N = 1, K = 2) and plan.a /
/// plan.b over them. plan.bm bounds the tile's output positions and
/// plan.chunkElems decides whether the weight rows can be copied as 16-byte
/// chunks (else plan.b.gather). Shared by the mma.sync and SIMT kernels.
/// `depthwise`: the tile of fuse-gpu-depthwise (ConvAddressing::depthwise).
bool matchConvPlan(GemmPlan &plan, std::optional<PaddedInput> padded,
                   const WeightProducer &weightProducer,
                   bool depthwise = false);

/// The implicit-GEMM element gathers of a conv plan (ConvAddressing) inside
/// the launch built by buildTileLaunch: element (row, k) of the im2col A
/// matrix (row: the tile's output position, k: of the whole K) and (n, k)
/// of the [filters][K] weight matrix, with padding, stride, dilation,
/// groups and a conv_transpose's exact-division predicates and flipped
/// weight. One piece of code for the mma.sync and SIMT kernels.
class ConvGather : IndexMath {
public:
  /// Builds the weight matrix view and the tile's output extents at `b`'s
  /// insertion point; failure when the output does not index the tile's
  /// output positions (or filters) in a way the kernel can bound.
  static FailureOr<ConvGather> create(GemmPlan &plan, OpBuilder &b,
                                      Location loc, const IRMapping &mapping,
                                      Value zeroIdx);

  /// (valid, value): whether the element is inside the operand (else it
  /// is zero) and the element, loaded from a clamped address (valid even
  /// when it is not).
  std::pair<Value, Value> elementA(Value row, Value k);
  /// (valid, value) of the conv's input element at `indices` (of the
  /// buffer the conv generic reads: the padded input, or the input view)
  /// when `valid`: the padding, a strided copy's gaps and an empty tile's
  /// guard make it invalid (zero); loaded from a clamped address.
  std::pair<Value, Value> inputElement(SmallVector<Value> indices, Value valid);
  std::pair<Value, Value> elementB(Value n, Value k);
  /// The conv loop values of output position `row` and filter `col`; the
  /// reduction loops from `k` when given.
  SmallVector<Value> loops(Value row, Value col, Value k);
  /// Whether tile row `row` is an output element of this tile.
  Value rowInBounds(Value row);

  /// The tile's extents along the virtual M (output positions, static),
  /// N (filters) and K (the reduction, static).
  Value extentM, extentN, extentK;
  /// The weight tile [F, k...] as [F][K] (null for a weight computed in
  /// the tile, which is read from its producer's input).
  Value weightMatrix;

private:
  ConvGather(GemmPlan &plan, OpBuilder &b, Location loc,
             const IRMapping &mapping, Value zeroIdx)
      : IndexMath(b, loc), plan(plan), mapping(mapping), zeroIdx(zeroIdx) {}
  Value evalExpr(AffineExpr expr, ArrayRef<Value> dims);

  GemmPlan &plan;
  const IRMapping &mapping;
  Value zeroIdx;
  /// The tile's extents along ConvAddressing::rowDims.
  SmallVector<Value> rowExtents;
};

/// The epilogue chain `ops` after plan.contraction: each step reads the
/// current buffer at the element it writes and writes the next one
/// (temporaries of the body), the last a buffer from outside. Sets
/// plan.epilogue, plan.finalOut and plan.outDims.
bool matchEpilogueChain(GemmPlan &plan, ArrayRef<Operation *> ops);

/// Whether everything the kernel reads from the body (plan.a, plan.b, the
/// conv's input, the epilogue's operands and payload values) is rebuilt in
/// the launch by buildTileLaunch, and each epilogue read of the output is
/// of the element the thread writes.
bool rebuildsReads(GemmPlan &plan);

/// The gpu.launch of a GEMM kernel before `plan.forall`: one block per
/// forall iteration (each forall dim on the block dim of its mapping),
/// `threads` threads, `sharedBytes` of dynamic shared memory, the forall's
/// fuse.kernel / fuse.tile / fuse.precision. Maps the forall's ivs (lb +
/// block id * step) and clones the body's index computations and views
/// into it; leaves `b` at the start of the launch body (before its
/// terminator).
gpu::LaunchOp buildTileLaunch(OpBuilder &b, GemmPlan &plan,
                              IRMapping &mapping, int64_t threads,
                              int64_t sharedBytes);

/// Indices of an operand indexed by `map` at the loop values `loops`
/// (constant results become constants).
SmallVector<Value> indicesFor(OpBuilder &b, Location loc, AffineMap map,
                              ArrayRef<Value> loops);

/// The epilogue of one f32 accumulator element whose contraction loop
/// values are `loops` (inside the launch built by buildTileLaunch, whose
/// `mapping` it uses): the init copy's value added, rounded to the
/// contraction's element type, the epilogue payloads applied in registers
/// (bias, residual, ... loaded at the element). Returns the value to store.
Value emitEpilogueValue(OpBuilder &b, Location loc, GemmPlan &plan,
                        const IRMapping &mapping, Value acc,
                        ArrayRef<Value> loops, Value zeroIdx);

/// The indices in plan.finalOut of the element at contraction loop values
/// `loops`.
SmallVector<Value> epilogueOutIndices(GemmPlan &plan,
                                      ArrayRef<Value> loops, Value zeroIdx);

/// emitEpilogueValue for the accumulator element at (row, col) of a GEMM
/// tile (every other loop index 0), stored to the final output.
LogicalResult emitEpilogueElement(OpBuilder &b, Location loc, GemmPlan &plan,
                                  const IRMapping &mapping, Value acc,
                                  Value row, Value col);

/// The warpgroup (wgmma) kernel for a forall tuned as
/// #fuse.tile<"wgmma", {BM, BN, BK, stages, warpgroups}> at `chip`:
/// failure() after an error on the forall (an invalid choice, or a chip
/// without wgmma); true when the forall was replaced by a gpu.launch (and
/// erased); false when its body is left to the generic path. (Defined in
/// WgmmaKernel.cpp.)
FailureOr<bool> lowerWgmmaForall(scf::ForallOp forall, StringRef chip);

/// What a kernel pass does with `root`'s tile loops (the SIMT GEMM and
/// depthwise passes): each scf.forall tuned as `impl` has its branch
/// indexing hoisted (hoistBranchIndexing); `match` says whether the pass
/// takes a forall (failure(): an error on it; no plan: left alone, with
/// why in its second argument when the forall was tuned as `impl`, which
/// recordGenericReason puts on the forall); `emit`
/// builds its kernel before it, after which the forall is erased. Fails
/// after the first error (an emission failure names `pass`).
template <typename Plan, typename Match, typename Emit>
LogicalResult lowerTunedForalls(Operation *root, StringRef impl, StringRef pass,
                                Match match, Emit emit) {
  SmallVector<scf::ForallOp> foralls;
  root->walk([&](scf::ForallOp forall) { foralls.push_back(forall); });
  for (scf::ForallOp forall : foralls) {
    if (auto tile = forall->getAttrOfType<fuse::TileAttr>("fuse.tile");
        tile && tile.getImplementation() == impl)
      hoistBranchIndexing(forall);
    std::string declined;
    FailureOr<std::optional<Plan>> plan = match(forall, declined);
    if (failed(plan))
      return failure();
    if (!*plan) {
      if (!declined.empty())
        recordGenericReason(forall, pass, declined);
      continue;
    }
    OpBuilder builder(forall);
    if (failed(emit(**plan, builder)))
      return forall.emitOpError(pass) << ": kernel emission failed";
    forall.erase();
  }
  return success();
}

} // namespace gemm
} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_CONVERSION_FUSETOGPU_GEMMPLAN_H
