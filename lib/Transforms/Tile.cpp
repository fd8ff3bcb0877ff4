//===- Tile.cpp - Tile every fused group with its chosen configuration ----===//
//
// For every fuse.group: choose a tile configuration (an override from
// `tile-config`, else the tuner ranked by the cost model), attach it as the
// group's `fuse.tile` attribute, and materialize it: the group body is
// lowered to linalg on tensors, its root op (the op producing the group's
// last result) is tiled over its parallel dims with `scf.forall` (mapped to
// GPU blocks) and the group's other ops are fused in as producers through
// TilingInterface. Reduction dims are never tiled, so the tiled group
// computes exactly what the untiled one did.
//
// A flash_attention group keeps its structure: its fuse.attention is moved
// into a group of its own that stays in fuse form and only carries the
// choice (the GPU kernel emitter, fuse-gpu-attention, tiles it itself; on
// the CPU fuse-to-linalg lowers it as usual), together with the views the
// kernel reads and writes through strides (planAttentionAddressing: the
// Q/K/V projections' bias, split, reshapes and transposes before it, the
// transposes and reshapes after it). The other ops of the group go into
// their own groups, one per value the attention or the rest needs, which
// are tuned and tiled the generic way.
//
// A scatter is split off the same way (isolateOp) and becomes two loops,
// a copy of its data and its updates (tileScatterGroup).
//
//===----------------------------------------------------------------------===//

#include "FusionPlan.h"
#include "TileSelection.h"
#include "TileUnitDims.h"

#include "Fuse/Conversion/FuseToGPU.h"
#include "Fuse/Conversion/FuseToLinalg.h"
#include "Fuse/CostModel/TileConfigAttr.h"
#include "Fuse/Transforms/FusionReport.h"
#include "Fuse/Transforms/Passes.h"
#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSETILE
#include "Fuse/Transforms/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse;

namespace {

SmallVector<Attribute> blockMapping(MLIRContext *context, unsigned loops);

/// `value` with the reshapes (tensor.expand_shape / collapse_shape) that
/// produce it looked through: a group ending in a reshape of its root keeps
/// the reshape after the tile loop (a view once bufferized).
Value throughReshapes(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
      break;
    value = def->getOperand(0);
  }
  return value;
}

/// The op producing the group's last yielded value (through trailing
/// reshapes), when it can be tiled.
TilingInterface findRoot(GroupOp group) {
  auto yield = cast<YieldOp>(group.getBody().front().getTerminator());
  for (Value value : llvm::reverse(yield.getValues())) {
    auto linalgOp = throughReshapes(value).getDefiningOp<linalg::LinalgOp>();
    if (linalgOp && linalgOp.hasPureTensorSemantics())
      return cast<TilingInterface>(linalgOp.getOperation());
  }
  return nullptr;
}

/// Ops that compute nothing on the GPU: views (reshapes, slices), the
/// tensors destinations start from, and constants.
bool isNonComputing(Operation *op) {
  return isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
             tensor::ExtractSliceOp, tensor::EmptyOp, arith::ConstantOp,
             YieldOp>(op);
}

/// Whether the group's body computes anything (else it is a pure view and
/// needs no kernel).
bool computes(GroupOp group) {
  for (Operation &op : group.getBody().front())
    if (!isNonComputing(&op))
      return true;
  return false;
}

/// Whether `slice` reads one contiguous row-major range of its source:
/// unit strides and, after its leading size-1 dims, whole dims except the
/// first.
bool isContiguousSlice(tensor::ExtractSliceOp slice) {
  ArrayRef<int64_t> source = slice.getSourceType().getShape();
  ArrayRef<int64_t> sizes = slice.getStaticSizes();
  if (!slice.hasUnitStride() || ShapedType::isDynamicShape(sizes) ||
      ShapedType::isDynamicShape(source) || sizes.size() != source.size())
    return false;
  size_t first = 0;
  while (first < sizes.size() && sizes[first] == 1)
    ++first;
  for (size_t dim = first + 1; dim < sizes.size(); ++dim)
    if (sizes[dim] != source[dim])
      return false;
  return true;
}

/// Whether the view `value` (reshapes and slices of a group input) may be
/// strided in memory: a slice on its chain is not contiguous.
bool mayBeStrided(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto slice = dyn_cast<tensor::ExtractSliceOp>(def)) {
      if (!isContiguousSlice(slice))
        return true;
      value = slice.getSource();
      continue;
    }
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(def))
      return false;
    value = def->getOperand(0);
  }
  return false;
}

/// An identity linalg.generic copying the static-shaped tensor `source`
/// into a new tensor.
linalg::GenericOp identityCopy(OpBuilder &b, Location loc, Value source) {
  auto type = cast<RankedTensorType>(source.getType());
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps(
      2, AffineMap::getMultiDimIdentityMap(rank, b.getContext()));
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::GenericOp::create(
      b, loc, type, ValueRange{source}, ValueRange{init}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, args[0]);
      });
}

/// A group that only views its inputs needs no kernel; but a function
/// result must be one range of memory (the bundle copies a view into it),
/// so a strided view the function returns is copied by the group instead:
/// an identity linalg.generic into a new tensor, which makes the group one
/// elementwise kernel.
void copyStridedResults(GroupOp group) {
  auto yield = cast<YieldOp>(group.getBody().front().getTerminator());
  OpBuilder b(yield);
  for (auto [result, operand] :
       llvm::zip(group.getResults(), yield->getOpOperands())) {
    if (!llvm::any_of(result.getUsers(), llvm::IsaPred<func::ReturnOp>) ||
        !mayBeStrided(operand.get()))
      continue;
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type || !type.hasStaticShape())
      continue;
    operand.set(identityCopy(b, group.getLoc(), operand.get()).getResult(0));
  }
}

/// A result with no elements needs no computing: the group yields an empty
/// tensor for it (the ops only it used go), so a group whose results are
/// all empty needs no kernel.
void emptyZeroSizeResults(GroupOp group) {
  Block &body = group.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  OpBuilder b(yield);
  bool changed = false;
  for (OpOperand &operand : yield->getOpOperands()) {
    auto type = dyn_cast<RankedTensorType>(operand.get().getType());
    if (!type || !type.hasStaticShape() || type.getNumElements() != 0 ||
        isa_and_nonnull<tensor::EmptyOp>(operand.get().getDefiningOp()))
      continue;
    operand.set(tensor::EmptyOp::create(b, group.getLoc(), type.getShape(),
                                        type.getElementType()));
    changed = true;
  }
  if (!changed)
    return;
  IRRewriter rewriter(group.getContext());
  (void)runRegionDCE(rewriter, group->getRegions());
}

/// The number of block-mapped scf.forall loops of the group's body when
/// every computing op is in one (the ops between them only view, or, with
/// `inserts`, insert the loops' results into a destination: a concat,
/// written in place once bufferized); else 0.
unsigned kernelLoops(GroupOp group, bool inserts) {
  unsigned loops = 0;
  for (Operation &op : group.getBody().front()) {
    if (auto forall = dyn_cast<scf::ForallOp>(op)) {
      ++loops;
      if (!forall.getMapping() || forall.getMapping()->empty())
        return 0;
      continue;
    }
    if (!isNonComputing(&op) && !(inserts && isa<tensor::InsertSliceOp>(op)))
      return 0;
  }
  return loops;
}

/// Whether the group's body is exactly one block-mapped scf.forall around
/// all its computation (views and constants may stay outside).
bool isOneKernel(GroupOp group) {
  return kernelLoops(group, /*inserts=*/false) == 1;
}

/// The trailing reshapes of a group body: the reshapes whose users are all
/// the terminator or other trailing reshapes (views of yielded results).
llvm::SmallPtrSet<Operation *, 8> trailingReshapes(Block &body) {
  Operation *yield = body.getTerminator();
  llvm::SmallPtrSet<Operation *, 8> tail;
  for (Operation &op : llvm::reverse(body)) {
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
      continue;
    if (llvm::all_of(op.getUsers(), [&](Operation *user) {
          return user == yield || tail.contains(user);
        }))
      tail.insert(&op);
  }
  return tail;
}

/// The group as a single tile: every computing op of its body moves into a
/// one-iteration scf.forall (one GPU block) whose results are the values the
/// body yields, with the trailing reshapes looked through (they stay after
/// the loop). Used when the root cannot be tiled or its tiling covers the
/// whole iteration space, so that every computing group is one kernel.
LogicalResult wrapInOneTile(GroupOp group, bool mapToBlocks) {
  Block &body = group.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  // Trailing reshapes stay after the loop.
  llvm::SmallPtrSet<Operation *, 8> tail = trailingReshapes(body);
  // What moves into the loop: every computing op and every op using a
  // value computed in the loop. Constants and views of the inputs stay.
  llvm::SetVector<Operation *> moved;
  for (Operation &op : body) {
    if (&op == yield.getOperation() || tail.contains(&op))
      continue;
    bool usesMoved = llvm::any_of(op.getOperands(), [&](Value operand) {
      Operation *def = operand.getDefiningOp();
      return def && moved.contains(def);
    });
    if (usesMoved || !isNonComputing(&op))
      moved.insert(&op);
  }
  SmallVector<Value> results;
  for (Operation *op : moved)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            return !moved.contains(body.findAncestorOpInBlock(*user));
          }))
        results.push_back(result);
  if (results.empty())
    return success(); // a pure view: no kernel
  for (Value result : results) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type || !type.hasStaticShape())
      return failure();
  }
  OpBuilder builder(group.getContext());
  builder.setInsertionPointToStart(&body);
  Location loc = group.getLoc();
  SmallVector<Value> inits;
  for (Value result : results) {
    auto type = cast<RankedTensorType>(result.getType());
    inits.push_back(tensor::EmptyOp::create(builder, loc, type.getShape(),
                                            type.getElementType()));
  }
  builder.setInsertionPoint(yield);
  std::optional<ArrayAttr> mapping;
  if (mapToBlocks)
    mapping = builder.getArrayAttr(blockMapping(group.getContext(), 1));
  SmallVector<OpFoldResult> ub = {builder.getIndexAttr(1)};
  auto forall = scf::ForallOp::create(builder, loc, ub, inits, mapping);
  Operation *terminator = forall.getBody()->getTerminator();
  for (Operation *op : moved)
    op->moveBefore(terminator);
  auto inParallel = cast<scf::InParallelOp>(terminator);
  builder.setInsertionPointToStart(inParallel.getBody());
  for (auto [result, out] : llvm::zip(results, forall.getRegionIterArgs())) {
    auto type = cast<RankedTensorType>(result.getType());
    SmallVector<OpFoldResult> offsets(type.getRank(), builder.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes;
    for (int64_t size : type.getShape())
      sizes.push_back(builder.getIndexAttr(size));
    SmallVector<OpFoldResult> strides(type.getRank(), builder.getIndexAttr(1));
    tensor::ParallelInsertSliceOp::create(builder, loc, result, out, offsets,
                                          sizes, strides);
  }
  for (auto [result, replacement] : llvm::zip(results, forall.getResults()))
    result.replaceUsesWithIf(replacement, [&](OpOperand &use) {
      return !forall->isProperAncestor(use.getOwner());
    });
  // The trailing reshapes now read the loop's results: after it, in order.
  SmallVector<Operation *> tailInOrder;
  for (Operation &op : body)
    if (tail.contains(&op))
      tailInOrder.push_back(&op);
  Operation *after = forall;
  for (Operation *op : tailInOrder) {
    op->moveAfter(after);
    after = op;
  }
  return success();
}

/// The root loop dim that is innermost in what `map` (root loops -> the
/// indices of `value`) reads, looking through the all-parallel linalg
/// producers of `value` (a transpose fused into an elementwise root), or
/// nullopt when it is not a root loop dim.
std::optional<unsigned> innermostReadDim(Value value, AffineMap map,
                                         unsigned last, unsigned depth = 0) {
  // An operand broadcast along `last` is no transpose.
  if (map.getNumResults() == 0 || !map.isFunctionOfDim(last))
    return std::nullopt;
  auto producer = value.getDefiningOp<linalg::LinalgOp>();
  if (producer && depth < 8 &&
      producer.getNumParallelLoops() == producer.getNumLoops() &&
      producer.getNumDpsInits() == 1) {
    AffineMap outMap =
        producer.getMatchingIndexingMap(producer.getDpsInitOperand(0));
    if (outMap.isPermutation()) {
      // Producer loop point = outMap^-1(map(x)); its inputs' innermost.
      AffineMap toProducer = inversePermutation(outMap).compose(map);
      for (OpOperand *input : producer.getDpsInputOperands()) {
        auto type = dyn_cast<ShapedType>(input->get().getType());
        if (!type || type.getRank() == 0)
          continue;
        AffineMap composed =
            producer.getMatchingIndexingMap(input).compose(toProducer);
        std::optional<unsigned> dim =
            innermostReadDim(input->get(), composed, last, depth + 1);
        if (dim)
          return dim;
      }
      return std::nullopt;
    }
  }
  if (auto dim = dyn_cast<AffineDimExpr>(map.getResults().back()))
    return dim.getPosition();
  return std::nullopt;
}

/// The loop dim that is innermost in an input of the all-parallel `root`
/// (or of the transposes producing it) whose output's innermost is the
/// loop dim `last`, when it is not `last` (the group transposes), else
/// nullopt.
std::optional<unsigned> movedInnermostDim(linalg::LinalgOp root,
                                          unsigned last) {
  if (root.getNumParallelLoops() != root.getNumLoops() ||
      root.getNumDpsInits() != 1)
    return std::nullopt;
  AffineMap outMap = root.getMatchingIndexingMap(root.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0 ||
      outMap.getResults().back() != getAffineDimExpr(last, root.getContext()))
    return std::nullopt;
  SmallVector<int64_t> bounds = root.getStaticLoopRanges();
  for (OpOperand *input : root.getDpsInputOperands()) {
    auto type = dyn_cast<ShapedType>(input->get().getType());
    if (!type || type.getRank() == 0)
      continue;
    std::optional<unsigned> dim =
        innermostReadDim(input->get(), root.getMatchingIndexingMap(input),
                         last);
    if (dim && *dim != last && bounds[*dim] != 1)
      return dim;
  }
  return std::nullopt;
}

/// Whether the all-parallel `root` maps the results of a reduction it
/// reads (through other all-parallel ops) one to one: its iteration space
/// is the reduction's output (a mean's division), not the rows that were
/// reduced (softmax's division).
bool isTailOfReducedRows(linalg::LinalgOp root) {
  SmallVector<int64_t> ranges = root.getStaticLoopRanges();
  SmallVector<Value> worklist(root.getDpsInputs());
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!worklist.empty()) {
    auto producer = worklist.pop_back_val().getDefiningOp<linalg::LinalgOp>();
    if (!producer || !seen.insert(producer).second)
      continue;
    if (producer.getNumReductionLoops() > 0) {
      if (producer->getNumResults() == 0)
        continue;
      auto type = dyn_cast<RankedTensorType>(producer->getResult(0).getType());
      if (type && llvm::equal(type.getShape(), ranges))
        return true;
      continue;
    }
    llvm::append_range(worklist, producer.getDpsInputs());
  }
  return false;
}

/// Tile sizes for the root's loops from the configuration. Parallel loops
/// only; a reduction loop gets 0 (untiled).
SmallVector<int64_t> tileSizesFor(linalg::LinalgOp root,
                                  const TileConfig &config) {
  SmallVector<int64_t> bounds = root.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = root.getIteratorTypesArray();
  SmallVector<unsigned> parallel;
  for (auto [i, iterator] : llvm::enumerate(iterators))
    if (iterator == utils::IteratorType::parallel)
      parallel.push_back(i);
  SmallVector<int64_t> sizes(bounds.size(), 0);
  if (parallel.empty())
    return sizes;
  for (unsigned dim : parallel)
    sizes[dim] = 1;
  auto clampSet = [&](unsigned dim, int64_t size) {
    sizes[dim] = std::max<int64_t>(1, std::min<int64_t>(size, bounds[dim]));
  };
  unsigned last = parallel.back();
  bool hasReduction = parallel.size() != iterators.size();
  if ((config.has("BM") || config.has("BQ")) && config.impl != "depthwise") {
    // Contractions: the last two parallel dims are the output tile. (A
    // depthwise group's other kernels, e.g. an activation it also returns,
    // are elementwise: BM and BN size its conv's tiles only.)
    int64_t rows = config.has("BM") ? config.get("BM") : config.get("BQ");
    int64_t cols = config.has("BN") ? config.get("BN") : bounds[last];
    clampSet(last, cols);
    if (parallel.size() >= 2)
      clampSet(parallel[parallel.size() - 2], rows);
  } else if (config.impl == "row_per_warp" || config.impl == "row_per_block") {
    // Row reductions: a block handles `warps` rows (or one row). A root
    // that reduces tiles its kept dims; an elementwise tail after the
    // reduction (softmax's division) keeps whole rows of its last dim.
    int64_t rows = config.impl == "row_per_warp" ? config.get("warps", 1) : 1;
    if (hasReduction || isTailOfReducedRows(root)) {
      clampSet(last, rows);
    } else if (parallel.size() >= 2) {
      sizes[last] = 0;
      last = parallel[parallel.size() - 2];
      clampSet(last, rows);
    } else {
      sizes[last] = 0;
    }
  } else if (std::optional<unsigned> moved = movedInnermostDim(root, last)) {
    // A transpose (an input's innermost dim is another loop dim): a block
    // covers a 32 x 32 tile of the plane of both innermost dims, which
    // fuse-gpu-map-tiles stages through shared memory.
    clampSet(last, 32);
    clampSet(*moved, 32);
  } else {
    // Elementwise and data movement: a block covers threads x vector
    // elements of the innermost dim.
    clampSet(last, config.get("threads", 256) * config.get("vector", 1));
  }
  // Leave dims whose tile covers the whole loop untiled.
  for (unsigned dim : parallel)
    if (sizes[dim] >= bounds[dim] && dim != last)
      sizes[dim] = 0;
  return sizes;
}

/// The conv of a group tiled as an implicit GEMM: its output shape
/// [N, F, OH, OW] and groups (empty shape: not such a group).
struct ImplicitGemmConv {
  SmallVector<int64_t> shape;
  int64_t groups = 1;
  /// A conv_transpose: its spread input and flipped weight (which tiling
  /// cannot slice) are computed whole in the tile (see sinkIntoTile).
  bool transposed = false;
  /// A depthwise conv tiled for the direct kernel (fuse-gpu-depthwise): a
  /// block of BN channels by th x tw output positions.
  bool depthwise = false;
};

/// Clones into the tile `forall` the ops of the group body `body` (outside
/// the loop) that compute a value sliced in the tile, when that value is a
/// tensor.insert_slice (a conv_transpose's spread input) or a
/// fuse.untiled_producer (its flipped weight): the tile computes them
/// whole (on the generic path; fuse-gpu-gemm's implicit GEMM reads their
/// sources instead), so the group stays one kernel.
void sinkIntoTile(scf::ForallOp forall, Block &body, RewriterBase &rewriter) {
  SmallVector<tensor::ExtractSliceOp> slices;
  forall.getBody()->walk(
      [&](tensor::ExtractSliceOp slice) { slices.push_back(slice); });
  for (tensor::ExtractSliceOp slice : slices) {
    Operation *def = slice.getSource().getDefiningOp();
    if (!def || def->getBlock() != &body ||
        !(isa<tensor::InsertSliceOp>(def) ||
          def->hasAttr("fuse.untiled_producer")))
      continue;
    // The ops of the body computing it (constants and block arguments are
    // used as they are).
    llvm::SetVector<Operation *> chain;
    SmallVector<Operation *> stack = {def};
    while (!stack.empty()) {
      Operation *op = stack.pop_back_val();
      if (!chain.insert(op))
        continue;
      for (Value operand : op->getOperands())
        if (Operation *producer = operand.getDefiningOp();
            producer && producer->getBlock() == &body &&
            !producer->hasTrait<OpTrait::ConstantLike>())
          stack.push_back(producer);
    }
    SmallVector<Operation *> ordered(chain.begin(), chain.end());
    llvm::sort(ordered, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(forall.getBody());
    IRMapping mapping;
    for (Operation *op : ordered)
      rewriter.clone(*op, mapping);
    rewriter.modifyOpInPlace(slice, [&] {
      slice.getSourceMutable().assign(mapping.lookup(slice.getSource()));
    });
  }
}

/// Implicit-GEMM tiling of a conv group (fuse-gpu-gemm's conv kernel): the
/// output [N, F, OH, OW] of the root is tiled 1 x bf x th x tw, a block of
/// bf filters by th x tw output positions (th * tw <= BM rows of the GEMM
/// tile). bf is BN, or for a grouped conv the largest divisor of F/g up to
/// BN, so that every tile's filters lie in one group (the group index is
/// then a grid dimension: the tile's input channels are its group's).
/// th, tw minimize the number of tiles (ties: the wider row, whose reads
/// are contiguous). Returns the sizes per root loop, or nothing when the
/// root does not compute the conv's output shape elementwise.
std::optional<SmallVector<int64_t>>
implicitGemmTileSizes(linalg::LinalgOp root, const ImplicitGemmConv &conv,
                      const TileConfig &config) {
  ArrayRef<int64_t> convShape = conv.shape;
  if (convShape.size() != 4 || root.getNumDpsInits() != 1 ||
      !config.has("BM") || !config.has("BN"))
    return std::nullopt;
  OpOperand *init = root.getDpsInitOperand(0);
  auto type = dyn_cast<ShapedType>(init->get().getType());
  AffineMap map = root.getMatchingIndexingMap(init);
  if (!type || type.getShape() != convShape || !map.isProjectedPermutation() ||
      map.getNumResults() != 4)
    return std::nullopt;
  auto [th, tw] = convOutputTile(convShape[2], convShape[3], config.get("BM"));
  int64_t filters = std::min(config.get("BN"), convShape[1]);
  // A depthwise tile's filters read their own channels (the direct
  // kernel), any number of groups per tile.
  if (conv.groups > 1 && !conv.depthwise) {
    int64_t perGroup = convShape[1] / conv.groups;
    filters = std::min(filters, perGroup);
    while (perGroup % filters)
      --filters;
  }
  int64_t tile[4] = {1, filters, th, tw};
  SmallVector<int64_t> sizes(root.getNumLoops(), 0);
  bool any = false;
  for (auto [i, expr] : llvm::enumerate(map.getResults())) {
    unsigned loop = cast<AffineDimExpr>(expr).getPosition();
    // A tile covering the whole dim leaves it untiled.
    sizes[loop] = tile[i] >= convShape[i] ? 0 : tile[i];
    any |= sizes[loop] != 0;
  }
  if (!any)
    sizes[cast<AffineDimExpr>(map.getResults().back()).getPosition()] =
        convShape[3];
  return sizes;
}

/// GPU block mapping for the tiled loops: innermost is x.
SmallVector<Attribute> blockMapping(MLIRContext *context, unsigned loops) {
  SmallVector<Attribute> mapping;
  for (unsigned i = 0; i < loops; ++i) {
    unsigned fromInner = loops - 1 - i;
    gpu::MappingId id =
        loops <= 3
            ? static_cast<gpu::MappingId>(
                  static_cast<unsigned>(gpu::MappingId::DimX) + fromInner)
            : static_cast<gpu::MappingId>(
                  static_cast<unsigned>(gpu::MappingId::LinearDim0) +
                  fromInner);
    mapping.push_back(gpu::GPUBlockMappingAttr::get(context, id));
  }
  return mapping;
}

/// Tiling into one scf.forall with `sizes` (0: untiled), mapped to GPU
/// blocks when `mapToBlocks`.
scf::SCFTilingOptions forallTiling(MLIRContext *context,
                                   ArrayRef<int64_t> sizes, bool mapToBlocks) {
  Builder b(context);
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  SmallVector<OpFoldResult> tileSizes;
  for (int64_t size : sizes)
    tileSizes.push_back(b.getIndexAttr(size));
  tiling.setTileSizes(tileSizes);
  unsigned tiled = llvm::count_if(sizes, [](int64_t s) { return s != 0; });
  if (mapToBlocks)
    tiling.setMapping(blockMapping(context, tiled));
  return tiling;
}

/// Tiles the root of `group` and fuses the other body ops in as producers.
/// `conv`: the group's implicit-GEMM conv (see implicitGemmTileSizes), an
/// empty shape for other groups.
LogicalResult materialize(GroupOp group, const TileConfig &config,
                          bool mapToBlocks, const ImplicitGemmConv &conv) {
  TilingInterface root = findRoot(group);
  if (!root)
    return failure(); // nothing tileable: see materializeKernels
  auto linalgRoot = cast<linalg::LinalgOp>(root.getOperation());
  SmallVector<int64_t> sizes = tileSizesFor(linalgRoot, config);
  if (std::optional<SmallVector<int64_t>> convSizes =
          implicitGemmTileSizes(linalgRoot, conv, config))
    sizes = std::move(*convSizes);
  unsigned tiled = llvm::count_if(sizes, [](int64_t s) { return s != 0; });
  if (tiled == 0)
    return wrapInOneTile(group, mapToBlocks);

  MLIRContext *context = group.getContext();
  IRRewriter rewriter(context);
  rewriter.setInsertionPoint(root);
  scf::SCFTilingOptions tiling = forallTiling(context, sizes, mapToBlocks);

  Block &body = group.getBody().front();
  Operation *yield = body.getTerminator();
  // The trailing reshapes of computed values (views of yielded results) go
  // right before the yield, after the loop, so that they read the loop's
  // results; views of the inputs stay where they are.
  llvm::SmallPtrSet<Operation *, 8> tail = trailingReshapes(body);
  llvm::SetVector<Operation *> sunk;
  for (Operation &op : body) {
    Operation *def =
        tail.contains(&op) ? op.getOperand(0).getDefiningOp() : nullptr;
    if (def && (sunk.contains(def) || isa<TilingInterface>(def)))
      sunk.insert(&op);
  }
  for (Operation *op : sunk)
    op->moveBefore(yield);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // Fuse every producer inside the group; one whose value leaves the group
  // (itself or through trailing reshapes) is also yielded from the loop.
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (producer.getOwner()->hasAttr("fuse.untiled_producer"))
          return std::nullopt;
        scf::SCFTileAndFuseOptions::ControlFnResult result;
        result.yieldProducerReplacement =
            llvm::any_of(producer.getUsers(), [&](Operation *user) {
              return user == yield || sunk.contains(user);
            });
        return result;
      });
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, root, options);
  if (failed(result))
    return group.emitOpError("tiling with ") << config.str() << " failed";
  // Uses after the loop read its results; a use before it (by an op that
  // was not fused) keeps the untiled producer.
  Operation *loop =
      result->loops.empty() ? nullptr : result->loops.front().getOperation();
  for (auto [original, replacement] : result->replacements)
    rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
      Operation *user = body.findAncestorOpInBlock(*use.getOwner());
      return loop && user && user != loop && loop->isBeforeInBlock(user);
    });
  if (conv.transposed && loop)
    if (auto forall = dyn_cast<scf::ForallOp>(loop))
      sinkIntoTile(forall, body, rewriter);
  // Ops left without users (the untiled copies) go away.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (&op != yield && isOpTriviallyDead(&op))
      rewriter.eraseOp(&op);
  return success();
}

/// Clones `ops` (in order, all in `body`) into a new group before `at`
/// that yields `results`. Values the ops use from outside the set become
/// the group's inputs (mapped to the outer values by `outer`); constants
/// are cloned in.
GroupOp buildGroup(OpBuilder &builder, Location loc, ArrayRef<Operation *> ops,
                   ArrayRef<Value> results,
                   const llvm::DenseMap<Value, Value> &outer) {
  llvm::SetVector<Operation *> members(ops.begin(), ops.end());
  llvm::SetVector<Operation *> constants;
  llvm::SetVector<Value> inputs;
  for (Operation *op : ops)
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def && members.contains(def))
        continue;
      if (def && def->hasTrait<OpTrait::ConstantLike>() &&
          def->getNumOperands() == 0)
        constants.insert(def);
      else
        inputs.insert(operand);
    }
  SmallVector<Value> outerInputs;
  for (Value input : inputs)
    outerInputs.push_back(outer.lookup(input));
  SmallVector<Type> types;
  for (Value result : results)
    types.push_back(result.getType());
  auto group = GroupOp::create(builder, loc, types, outerInputs);
  Block *block = new Block();
  group.getBody().push_back(block);
  IRMapping mapping;
  for (Value input : inputs)
    mapping.map(input, block->addArgument(input.getType(), input.getLoc()));
  OpBuilder inner = OpBuilder::atBlockEnd(block);
  for (Operation *op : constants)
    inner.clone(*op, mapping);
  for (Operation *op : ops)
    inner.clone(*op, mapping);
  SmallVector<Value> yielded;
  for (Value result : results)
    yielded.push_back(mapping.lookup(result));
  YieldOp::create(inner, loc, yielded);
  return group;
}

/// Splits `group` so that its op `core` is alone in a group (returned)
/// with the ops of `folded` (views its kernel folds in), yielding `output`;
/// the groups computing the other ops go to `others`, in order: one per
/// value computed before `core` and used outside that part, each from its
/// own backward slice, and one for everything after. Returns `group` itself
/// (and changes nothing) when `core` is alone already.
GroupOp isolateOp(GroupOp group, Operation *core,
                  const llvm::SetVector<Operation *> &folded, Value output,
                  SmallVectorImpl<GroupOp> &others) {
  Block &body = group.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  auto isConstant = [](Operation &op) {
    return op.hasTrait<OpTrait::ConstantLike>() && op.getNumOperands() == 0;
  };
  // Alone already: nothing to split.
  if (llvm::all_of(body.without_terminator(),
                   [&](Operation &op) {
                     return &op == core || folded.contains(&op) ||
                            isConstant(op);
                   }) &&
      yield.getValues().size() == 1 && yield.getValues().front() == output)
    return group;

  // Before: what the core's operands are computed from, but for the views
  // folded into its kernel.
  llvm::SetVector<Operation *> before;
  BackwardSliceOptions options;
  options.inclusive = true;
  options.filter = [&](Operation *op) { return op->getBlock() == &body; };
  for (Value operand : core->getOperands())
    if (Operation *def = operand.getDefiningOp())
      (void)getBackwardSlice(def, &before, options);
  before.remove_if([&](Operation *op) { return folded.contains(op); });
  SmallVector<Operation *> after, alone;
  for (Operation &op : body.without_terminator()) {
    if (&op == core || folded.contains(&op))
      alone.push_back(&op);
    else if (!before.contains(&op) && !isConstant(op))
      after.push_back(&op);
  }

  llvm::DenseMap<Value, Value> outer;
  for (auto [arg, input] : llvm::zip(body.getArguments(), group.getInputs()))
    outer[arg] = input;
  OpBuilder builder(group);
  Location loc = group.getLoc();
  // One group per value of `before` used outside it (by the core, the ops
  // after it or the yield), computing it from its own backward slice.
  auto usedOutsideBefore = [&](Value value) {
    return llvm::any_of(value.getUsers(), [&](Operation *user) {
      return !before.contains(user);
    });
  };
  for (Operation &op : body.without_terminator()) {
    if (!before.contains(&op) ||
        (op.hasTrait<OpTrait::ConstantLike>() && op.getNumOperands() == 0))
      continue;
    for (Value result : op.getResults()) {
      if (!usedOutsideBefore(result))
        continue;
      llvm::SetVector<Operation *> slice;
      (void)getBackwardSlice(&op, &slice, options);
      SmallVector<Operation *> ops;
      for (Operation &member : body.without_terminator())
        if (slice.contains(&member) &&
            !(member.hasTrait<OpTrait::ConstantLike>() &&
              member.getNumOperands() == 0))
          ops.push_back(&member);
      GroupOp part = buildGroup(builder, loc, ops, {result}, outer);
      others.push_back(part);
      outer[result] = part.getResult(0);
    }
  }
  GroupOp coreGroup = buildGroup(builder, loc, alone, {output}, outer);
  outer[output] = coreGroup.getResult(0);
  if (!after.empty()) {
    llvm::SetVector<Operation *> afterSet(after.begin(), after.end());
    SmallVector<Value> results;
    for (Value value : yield.getValues())
      if (Operation *def = value.getDefiningOp();
          def && afterSet.contains(def) && !llvm::is_contained(results, value))
        results.push_back(value);
    GroupOp part = buildGroup(builder, loc, after, results, outer);
    others.push_back(part);
    for (auto [value, result] : llvm::zip(results, part.getResults()))
      outer[value] = result;
  }
  for (auto [result, value] :
       llvm::zip(group.getResults(), yield.getValues())) {
    Value replacement = outer.lookup(value);
    if (!replacement) {
      // A constant yielded directly: clone it before the groups.
      Operation *def = value.getDefiningOp();
      OpBuilder top(others.empty() ? coreGroup.getOperation()
                                   : others.front().getOperation());
      replacement = top.clone(*def)->getResult(0);
    }
    result.replaceAllUsesWith(replacement);
  }
  group.erase();
  return coreGroup;
}

/// Splits a flash_attention group so that its one fuse.attention is alone
/// in a group (returned) with the views the kernel's strided addressing
/// folds in (planAttentionAddressing: the head split / transposes of Q, K,
/// V, a slice of a fused QKV buffer, a bias; the transposes and reshapes
/// of its result); see isolateOp. Returns null (and changes nothing) when
/// the group has no single attention op.
GroupOp isolateAttention(GroupOp group, SmallVectorImpl<GroupOp> &others) {
  SmallVector<AttentionOp> attentions(
      group.getBody().front().getOps<AttentionOp>());
  if (attentions.size() != 1)
    return nullptr;
  AttentionOp attention = attentions.front();
  AttentionAddressing plan = planAttentionAddressing(attention);
  llvm::SetVector<Operation *> folded(plan.producers.begin(),
                                      plan.producers.end());
  folded.insert(plan.consumers.begin(), plan.consumers.end());
  return isolateOp(group, attention, folded, plan.output.source, others);
}

/// The first scatter of `group`'s body, or null.
Operation *findScatter(GroupOp group) {
  for (Operation &op : group.getBody().front())
    if (isa<ScatterElementsOp, ScatterNDOp>(op))
      return &op;
  return nullptr;
}

/// Materializes a group whose only computation is one scatter (see
/// isolateOp) as two block-mapped loops, i.e. two kernels:
///  1. a copy of the data into the result, tiled as an elementwise op;
///  2. the updates, `threads` x `vector` of them per tile, each tile one
///     scf.for (buildScatterUpdates) that writes into the loop's shared
///     output in place.
/// Every tile of the second loop inserts the whole tensor it updated: run
/// in order (the CPU path) that is the scatter; fuse-gpu-map-tiles runs the
/// tiles in parallel and makes every read-modify-write one atomic (with
/// `reduction = none`, which of several updates of one element lands is
/// undefined, as ONNX says).
LogicalResult tileScatterGroup(GroupOp group, Operation *scatter,
                               const TileConfig &config, bool mapToBlocks) {
  MLIRContext *context = group.getContext();
  IRRewriter rewriter(context);
  rewriter.setInsertionPoint(scatter);
  Location loc = scatter->getLoc();
  auto type = cast<RankedTensorType>(scatter->getResult(0).getType());
  if (!type.hasStaticShape() || type.getRank() == 0)
    return group.emitOpError("cannot tile a scatter of dynamic or rank-0 "
                             "shape");
  unsigned rank = type.getRank();
  // 1. The copy.
  linalg::GenericOp copy = identityCopy(rewriter, loc, scatter->getOperand(0));
  Value result = copy.getResult(0);
  // 2. The updates.
  int64_t updates =
      cast<RankedTensorType>(scatter->getOperand(2).getType()).getNumElements();
  if (updates > 0) {
    int64_t chunk = std::max<int64_t>(1, config.get("threads", 256) *
                                             config.get("vector", 1));
    int64_t tiles = (updates + chunk - 1) / chunk;
    std::optional<ArrayAttr> mapping;
    if (mapToBlocks)
      mapping = rewriter.getArrayAttr(blockMapping(context, 1));
    SmallVector<OpFoldResult> ub = {rewriter.getIndexAttr(tiles)};
    auto forall =
        scf::ForallOp::create(rewriter, loc, ub, ValueRange{result}, mapping);
    rewriter.setInsertionPointToStart(forall.getBody());
    Value tile = forall.getInductionVar(0);
    AffineExpr d0 = rewriter.getAffineDimExpr(0);
    Value begin = affine::AffineApplyOp::create(rewriter, loc, d0 * chunk,
                                                ValueRange{tile});
    Value end = affine::AffineMinOp::create(
        rewriter, loc,
        AffineMap::get(
            1, 0, {d0 * chunk + chunk, rewriter.getAffineConstantExpr(updates)},
            context),
        ValueRange{tile});
    Value out = forall.getRegionIterArgs().front();
    FailureOr<Value> updated = buildScatterUpdates(
        rewriter, scatter, out, begin, end, std::min(chunk, updates));
    if (failed(updated))
      return failure();
    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes;
    for (int64_t size : type.getShape())
      sizes.push_back(rewriter.getIndexAttr(size));
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    tensor::ParallelInsertSliceOp::create(rewriter, loc, *updated, out, offsets,
                                          sizes, strides);
    result = forall.getResult(0);
  }
  rewriter.replaceOp(scatter, result);
  // The copy, tiled; the rest of the body (constants) lowered.
  // A tile is `threads` x `vector` elements: whole innermost dims while
  // they fit (a copy reads and writes rows alike), so that small rows
  // still make full blocks.
  int64_t budget = std::max<int64_t>(1, config.get("threads", 256) *
                                            config.get("vector", 1));
  SmallVector<int64_t> sizes(rank, 0);
  for (int64_t d = rank - 1; d >= 0; --d) {
    int64_t dim = type.getDimSize(d);
    int64_t size = std::clamp<int64_t>(budget, 1, std::max<int64_t>(dim, 1));
    sizes[d] = size >= dim ? 0 : size;
    budget = size >= dim ? budget / std::max<int64_t>(dim, 1) : 1;
  }
  // All of it in one tile: still one block-mapped loop.
  if (llvm::all_of(sizes, [](int64_t size) { return size == 0; }))
    sizes.front() = type.getDimSize(0);
  scf::SCFTilingOptions tiling = forallTiling(context, sizes, mapToBlocks);
  rewriter.setInsertionPoint(copy);
  FailureOr<scf::SCFTilingResult> tiledCopy = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(copy.getOperation()), tiling);
  if (failed(tiledCopy))
    return group.emitOpError("tiling the scatter's copy failed");
  rewriter.replaceOp(copy, tiledCopy->replacements);
  return lowerFuseOpsToLinalg(group.getBody());
}

/// The most elements a group that cannot be one tiled loop computes in one
/// block (256 KiB of f32 at one block's bandwidth is about the latency of
/// launching another kernel); a larger one becomes several kernels.
constexpr int64_t kOneBlockElements = 64 * 1024;

/// The elements of the results of the group's computing ops (static
/// shapes; a dynamic one counts as large).
int64_t computedElements(GroupOp group) {
  int64_t total = 0;
  for (Operation &op : group.getBody().front()) {
    if (isNonComputing(&op) || isa<tensor::InsertSliceOp>(op))
      continue;
    for (Value result : op.getResults()) {
      auto type = dyn_cast<RankedTensorType>(result.getType());
      if (!type)
        continue;
      if (!type.hasStaticShape())
        return std::numeric_limits<int64_t>::max();
      total += type.getNumElements();
    }
  }
  return total;
}

/// Tiles the group as several kernels: the last computing op outside any
/// loop is tiled with its producers fused in (recomputed in each tile), as
/// often as computing ops are left (a producer some other op or the group
/// yields stays, and becomes a later root). Fails on a root that cannot be
/// tiled.
LogicalResult materializeKernels(GroupOp group, const TileConfig &config,
                                 bool mapToBlocks,
                                 const ImplicitGemmConv &conv) {
  MLIRContext *context = group.getContext();
  Block &body = group.getBody().front();
  IRRewriter rewriter(context);
  // At most one loop per op of the body.
  for (size_t attempt = 0, e = body.getOperations().size(); attempt <= e;
       ++attempt) {
    Operation *rootOp = nullptr;
    for (Operation &op : llvm::reverse(body.without_terminator())) {
      if (isa<scf::ForallOp, tensor::InsertSliceOp>(op) || isNonComputing(&op))
        continue;
      rootOp = &op;
      break;
    }
    if (!rootOp)
      return success();
    auto linalgRoot = dyn_cast<linalg::LinalgOp>(rootOp);
    if (!linalgRoot || !linalgRoot.hasPureTensorSemantics())
      return failure();
    // A root of the implicit-GEMM conv's output shape (the conv or its
    // epilogue) is tiled for the GEMM kernel; other roots do not fuse the
    // conv (it stays a root of its own).
    std::optional<SmallVector<int64_t>> convSizes =
        implicitGemmTileSizes(linalgRoot, conv, config);
    SmallVector<int64_t> sizes =
        convSizes ? *convSizes : tileSizesFor(linalgRoot, config);
    SmallVector<int64_t> bounds = linalgRoot.getStaticLoopRanges();
    if (llvm::all_of(sizes, [](int64_t size) { return size == 0; })) {
      // One tile: still a block-mapped loop (of one iteration).
      std::optional<unsigned> first;
      for (auto [i, iterator] :
           llvm::enumerate(linalgRoot.getIteratorTypesArray()))
        if (iterator == utils::IteratorType::parallel && !first)
          first = i;
      if (!first || ShapedType::isDynamic(bounds[*first]))
        return failure();
      sizes[*first] = std::max<int64_t>(1, bounds[*first]);
    }
    scf::SCFTileAndFuseOptions options;
    options.setTilingOptions(forallTiling(context, sizes, mapToBlocks));
    options.setFusionControlFn(
        [&](tensor::ExtractSliceOp, OpResult producer, bool)
            -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          Operation *owner = producer.getOwner();
          if (owner->hasAttr("fuse.untiled_producer") ||
              (!convSizes && owner->hasAttr("fuse.implicit_gemm")))
            return std::nullopt;
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        });
    rewriter.setInsertionPoint(rootOp);
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(
            rewriter, cast<TilingInterface>(rootOp), options);
    if (failed(result) || result->loops.empty())
      return failure();
    Operation *loop = result->loops.front().getOperation();
    for (auto [original, replacement] : result->replacements)
      rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
        Operation *user = body.findAncestorOpInBlock(*use.getOwner());
        return user && user != loop && loop->isBeforeInBlock(user);
      });
    if (conv.transposed && convSizes)
      if (auto forall = dyn_cast<scf::ForallOp>(loop))
        sinkIntoTile(forall, body, rewriter);
    // The untiled copies (and the slices of them left in the loop) go.
    (void)runRegionDCE(rewriter, group->getRegions());
  }
  return failure();
}

/// Tiles `group` (see materialize); a group whose tiling does not leave one
/// loop around all its computation (ops not fused into the loop) is one tile
/// instead, so that every computing group is exactly one kernel.
LogicalResult materializeOneKernel(GroupOp &group, const TileConfig &config,
                                   bool mapToBlocks,
                                   const ImplicitGemmConv &conv) {
  // Tiles a clone with `tile`; keeps it (the untiled copies that only fed
  // slices fused into its loops gone) when it verifies and `accept` holds.
  auto attempt = [&](function_ref<LogicalResult(GroupOp)> tile,
                     function_ref<bool(GroupOp)> accept) {
    OpBuilder builder(group);
    auto clone = cast<GroupOp>(builder.clone(*group));
    if (succeeded(tile(clone))) {
      IRRewriter rewriter(group.getContext());
      (void)runRegionDCE(rewriter, clone->getRegions());
      if (succeeded(verify(clone)) && accept(clone)) {
        group.replaceAllUsesWith(clone.getResults());
        group.erase();
        group = clone;
        return true;
      }
    }
    clone.erase();
    return false;
  };
  if (attempt(
          [&](GroupOp clone) {
            return materialize(clone, config, mapToBlocks, conv);
          },
          [](GroupOp clone) { return !computes(clone) || isOneKernel(clone); }))
    return success();
  // Several kernels rather than one block (e.g. a group that also yields
  // what a strided conv reads, or a concat of computed parts), unless one
  // block does the group's work about as fast as launching more kernels.
  if (computedElements(group) > kOneBlockElements &&
      attempt(
          [&](GroupOp clone) {
            return materializeKernels(clone, config, mapToBlocks, conv);
          },
          [](GroupOp clone) {
            return kernelLoops(clone, /*inserts=*/true) >= 1;
          }))
    return success();
  return wrapInOneTile(group, mapToBlocks);
}

struct TilePass : public mlir::fuse::impl::FuseTileBase<TilePass> {
  using FuseTileBase::FuseTileBase;

  /// Lowers `group`'s body to linalg and tiles it with `config`.
  LogicalResult tileGroup(GroupOp group, const TileConfig &config) {
    // A group tuned mma_sync or fma_gemm around one conv the GEMM kernel
    // takes (fuse-gpu-gemm's tensor-core or fuse-gpu-simt-gemm's fp32
    // implicit GEMM): the conv is lowered unblocked and tiled filters x
    // output positions.
    // One it has no kernel for (e.g. depthwise) is tiled the generic way;
    // the group records why (fuse.generic_reason).
    ImplicitGemmConv conv;
    SmallVector<ConvOp> convs(group.getBody().getOps<ConvOp>());
    SmallVector<ConvTransposeOp> transposes(
        group.getBody().getOps<ConvTransposeOp>());
    if (config.impl == "depthwise") {
      // The direct kernel's tiling (the tuner offers it for depthwise
      // convs only; a hand-written choice for another group is refused).
      if (convs.size() != 1 || !transposes.empty() ||
          !isDepthwiseConv(convs.front()))
        return group.emitOpError("fuse-tile: the depthwise implementation "
                                 "needs a group with one 2-D depthwise conv");
      convs.front()->setAttr("fuse.implicit_gemm",
                             UnitAttr::get(&getContext()));
      llvm::append_range(conv.shape, convs.front().getType().getShape());
      conv.groups = convs.front().getGroups();
      conv.depthwise = true;
    } else if ((config.impl == "mma_sync" || config.impl == "fma_gemm") &&
               convs.size() + transposes.size() == 1) {
      Operation *convOp = convs.empty() ? transposes.front().getOperation()
                                        : convs.front().getOperation();
      std::optional<std::string> reason =
          convs.empty()
              ? unsupportedImplicitGemmConvTranspose(transposes.front(),
                                                     config.impl, precision)
              : unsupportedImplicitGemmConv(convs.front(), config.impl,
                                            precision);
      if (reason) {
        group->setAttr("fuse.generic_reason",
                       StringAttr::get(&getContext(), *reason));
      } else {
        convOp->setAttr("fuse.implicit_gemm", UnitAttr::get(&getContext()));
        llvm::append_range(
            conv.shape,
            cast<ShapedType>(convOp->getResult(0).getType()).getShape());
        conv.groups = convs.empty()
                          ? 1
                          : std::max<int64_t>(1, convs.front().getGroups());
        conv.transposed = convs.empty();
      }
    }
    // The GPU kernels take contractions in their element type (they
    // accumulate in f32 themselves).
    if (failed(
            lowerFuseOpsToLinalg(group.getBody(), {/*wideContractions=*/false,
                                                   /*wideReductions=*/true})))
      return failure();
    emptyZeroSizeResults(group);
    dropGroupUnitDims(group);
    if (!computes(group))
      copyStridedResults(group);
    // Tile a copy; keep it only when it verifies (a lowering whose
    // indexing maps tiling cannot slice leaves the group one tile).
    OpBuilder builder(group);
    auto tiledGroup = cast<GroupOp>(builder.clone(*group));
    bool ok;
    {
      ScopedDiagnosticHandler quiet(&getContext(),
                                    [](Diagnostic &) { return success(); });
      ok = succeeded(materializeOneKernel(tiledGroup, config, mapToBlocks,
                                          conv)) &&
           succeeded(verify(tiledGroup));
    }
    if (!ok) {
      tiledGroup.erase();
      group->setAttr(
          "fuse.untiled",
          StringAttr::get(&getContext(), "tiling does not apply to its root"));
      return success();
    }
    group.replaceAllUsesWith(tiledGroup.getResults());
    group.erase();
    return success();
  }

  /// Tiles `group`, which holds a scatter, with `config`: every scatter
  /// goes into a group of its own (isolateOp), tiled by tileScatterGroup;
  /// the parts computing the other ops are tuned and tiled the usual way.
  LogicalResult tileWithScatters(GroupOp group, const TileConfig &config,
                                 TileSelector &selector) {
    Attribute groupPrecision = group->getAttr("fuse.precision");
    SmallVector<std::pair<GroupOp, std::optional<TileConfig>>> worklist;
    worklist.push_back({group, config});
    while (!worklist.empty()) {
      auto [part, given] = worklist.pop_back_val();
      FailureOr<TileConfig> partConfig =
          given ? FailureOr<TileConfig>(*given) : selector.select(part);
      if (failed(partConfig))
        return failure();
      if (!given) {
        part->setAttr("fuse.tile", getTileAttr(&getContext(), *partConfig));
        if (groupPrecision)
          part->setAttr("fuse.precision", groupPrecision);
      }
      if (partConfig->impl == "empty") {
        emptyZeroSizeResults(part);
        continue;
      }
      Operation *scatter = findScatter(part);
      if (!scatter) {
        if (failed(tileGroup(part, *partConfig)))
          return failure();
        continue;
      }
      SmallVector<GroupOp> others;
      bool ofSplit = part->hasAttr(kSplitPartAttrName);
      GroupOp alone =
          isolateOp(part, scatter, {}, scatter->getResult(0), others);
      if (alone != part) {
        // The scatter keeps the group's configuration (threads, vector)
        // and, for the report, the group's place.
        worklist.push_back({alone, *partConfig});
        alone->setAttr("fuse.tile", getTileAttr(&getContext(), *partConfig));
        if (groupPrecision)
          alone->setAttr("fuse.precision", groupPrecision);
        if (ofSplit)
          alone->setAttr(kSplitPartAttrName, UnitAttr::get(&getContext()));
        for (GroupOp other : others) {
          other->setAttr(kSplitPartAttrName, UnitAttr::get(&getContext()));
          worklist.push_back({other, std::nullopt});
        }
        continue;
      }
      if (failed(tileScatterGroup(part, scatter, *partConfig, mapToBlocks)))
        return failure();
    }
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    std::map<int64_t, TileConfig> overrides;
    SmallVector<StringRef> entries;
    StringRef(tileConfig).split(entries, ';', -1, /*KeepEmpty=*/false);
    for (StringRef entry : entries) {
      auto [index, text] = entry.split('=');
      int64_t group;
      std::string error;
      if (index.trim().getAsInteger(10, group) || text.empty()) {
        func.emitError() << "fuse-tile: expected GROUP=CONFIG in "
                            "tile-config, got '"
                         << entry << "'";
        return signalPassFailure();
      }
      FailureOr<TileConfig> config = TileConfig::parse(text.trim(), error);
      if (failed(config)) {
        func.emitError() << "fuse-tile: " << error;
        return signalPassFailure();
      }
      overrides[group] = *config;
    }

    TileSelector selector(target, tuningDb, precision);
    if (failed(selector.initialize(func)))
      return signalPassFailure();
    int64_t index = 0;
    SmallVector<GroupOp> groups(func.getBody().getOps<GroupOp>());
    for (GroupOp group : groups) {
      int64_t id = index++;
      FailureOr<TileConfig> config;
      auto it = overrides.find(id);
      if (it != overrides.end()) {
        if (failed(selector.validate(group, id, it->second)))
          return signalPassFailure();
        config = it->second;
      } else
        config = selector.select(group);
      if (failed(config))
        return signalPassFailure();
      group->setAttr("fuse.tile", getTileAttr(&getContext(), *config));
      // The requested precision, for the kernel emitters (e.g. f32 data on
      // fp16 tensor cores is converted while staging); fp32 is the default
      // and not recorded.
      if (precision != "fp32")
        group->setAttr("fuse.precision",
                       StringAttr::get(&getContext(), precision));
      if (!materializeTiles)
        continue;
      if (config->impl == "empty") {
        // No kernel: the group yields empty tensors.
        emptyZeroSizeResults(group);
        continue;
      }
      if (findScatter(group)) {
        if (failed(tileWithScatters(group, *config, selector)))
          return signalPassFailure();
        continue;
      }
      // The FlashAttention kernel needs its attention in fuse form; one it
      // has no kernel for (e.g. head dim 300) is tiled the generic way, and
      // the group records why (fuse.generic_reason).
      bool flashKernel = false;
      if (config->impl == "flash_attention") {
        SmallVector<AttentionOp> attentions(
            group.getBody().front().getOps<AttentionOp>());
        std::optional<std::string> reason =
            attentions.size() == 1
                ? unsupportedFlashAttention(attentions.front(), precision)
                : std::optional<std::string>(
                      "the group has " + std::to_string(attentions.size()) +
                      " attention ops (the kernel takes one)");
        flashKernel = !reason;
        if (reason)
          group->setAttr("fuse.generic_reason",
                         StringAttr::get(&getContext(), *reason));
      }
      if (flashKernel) {
        SmallVector<GroupOp> others;
        Attribute choice = group->getAttr("fuse.tile");
        Attribute groupPrecision = group->getAttr("fuse.precision");
        if (GroupOp alone = isolateAttention(group, others)) {
          alone->setAttr("fuse.tile", choice);
          // The kernels of the parts read the group's precision too.
          if (groupPrecision) {
            alone->setAttr("fuse.precision", groupPrecision);
            for (GroupOp part : others)
              part->setAttr("fuse.precision", groupPrecision);
          }
          for (GroupOp part : others) {
            part->setAttr(kSplitPartAttrName, UnitAttr::get(&getContext()));
            FailureOr<TileConfig> partConfig = selector.select(part);
            if (failed(partConfig))
              return signalPassFailure();
            part->setAttr("fuse.tile", getTileAttr(&getContext(), *partConfig));
            if (partConfig->impl == "empty")
              continue;
            if (failed(tileGroup(part, *partConfig)))
              return signalPassFailure();
          }
          continue;
        }
      }
      if (failed(tileGroup(group, *config)))
        return signalPassFailure();
    }
    // What tuning did, for the report.
    const TileSelectionStats &stats = selector.getStats();
    Builder b(&getContext());
    func->setAttr(
        "fuse.tuning",
        b.getDictionaryAttr({
            b.getNamedAttr("groups", b.getI64IntegerAttr(stats.groups)),
            b.getNamedAttr("from_database",
                           b.getI64IntegerAttr(stats.fromDatabase)),
            b.getNamedAttr("joint_points",
                           b.getI64IntegerAttr(stats.jointPoints)),
            b.getNamedAttr("costed_points",
                           b.getI64IntegerAttr(stats.costedPoints)),
            b.getNamedAttr("predicted_us",
                           b.getF64FloatAttr(stats.predictedSeconds * 1e6)),
        }));
    for (int64_t id : llvm::make_first_range(overrides))
      if (id >= index) {
        func.emitError() << "fuse-tile: tile-config names group " << id
                         << ", but the function has " << index << " groups";
        return signalPassFailure();
      }
  }
};

} // namespace
