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
//===----------------------------------------------------------------------===//

#include "FusionPlan.h"
#include "TileSelection.h"

#include "Fuse/Conversion/FuseToLinalg.h"
#include "Fuse/CostModel/TileConfigAttr.h"
#include "Fuse/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/RegionUtils.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"
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

/// Whether the group's body is exactly one block-mapped scf.forall around
/// all its computation (views and constants may stay outside).
bool isOneKernel(GroupOp group) {
  unsigned loops = 0;
  for (Operation &op : group.getBody().front()) {
    if (auto forall = dyn_cast<scf::ForallOp>(op)) {
      ++loops;
      if (!forall.getMapping() || forall.getMapping()->empty())
        return false;
      continue;
    }
    if (!isNonComputing(&op))
      return false;
  }
  return loops == 1;
}

/// The group as a single tile: every computing op of its body moves into a
/// one-iteration scf.forall (one GPU block) whose results are the values the
/// body yields, with the trailing reshapes looked through (they stay after
/// the loop). Used when the root cannot be tiled or its tiling covers the
/// whole iteration space, so that every computing group is one kernel.
LogicalResult wrapInOneTile(GroupOp group, bool mapToBlocks) {
  Block &body = group.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  // Trailing reshapes (used only by the yield or other trailing reshapes)
  // stay after the loop.
  llvm::SmallPtrSet<Operation *, 8> tail;
  for (Operation &op : llvm::reverse(body)) {
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
      continue;
    if (llvm::all_of(op.getUsers(), [&](Operation *user) {
          return user == yield.getOperation() || tail.contains(user);
        }))
      tail.insert(&op);
  }
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
  if (config.has("BM") || config.has("BQ")) {
    // Contractions: the last two parallel dims are the output tile.
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
    if (hasReduction) {
      clampSet(last, rows);
    } else if (parallel.size() >= 2) {
      sizes[last] = 0;
      last = parallel[parallel.size() - 2];
      clampSet(last, rows);
    } else {
      sizes[last] = 0;
    }
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

/// GPU block mapping for the tiled loops: innermost is x.
SmallVector<Attribute> blockMapping(MLIRContext *context, unsigned loops) {
  SmallVector<Attribute> mapping;
  for (unsigned i = 0; i < loops; ++i) {
    unsigned fromInner = loops - 1 - i;
    gpu::MappingId id =
        loops <= 3 ? static_cast<gpu::MappingId>(
                         static_cast<unsigned>(gpu::MappingId::DimX) + fromInner)
                   : static_cast<gpu::MappingId>(
                         static_cast<unsigned>(gpu::MappingId::LinearDim0) +
                         fromInner);
    mapping.push_back(gpu::GPUBlockMappingAttr::get(context, id));
  }
  return mapping;
}

/// Tiles the root of `group` and fuses the other body ops in as producers.
LogicalResult materialize(GroupOp group, const TileConfig &config,
                          bool mapToBlocks) {
  TilingInterface root = findRoot(group);
  if (!root)
    return wrapInOneTile(group, mapToBlocks); // nothing tileable
  auto linalgRoot = cast<linalg::LinalgOp>(root.getOperation());
  SmallVector<int64_t> sizes = tileSizesFor(linalgRoot, config);
  unsigned tiled = llvm::count_if(sizes, [](int64_t s) { return s != 0; });
  if (tiled == 0)
    return wrapInOneTile(group, mapToBlocks);

  MLIRContext *context = group.getContext();
  IRRewriter rewriter(context);
  rewriter.setInsertionPoint(root);
  scf::SCFTilingOptions tiling;
  tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  SmallVector<OpFoldResult> tileSizes;
  for (int64_t size : sizes)
    tileSizes.push_back(rewriter.getIndexAttr(size));
  tiling.setTileSizes(tileSizes);
  if (mapToBlocks)
    tiling.setMapping(blockMapping(context, tiled));

  Block &body = group.getBody().front();
  Operation *yield = body.getTerminator();
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  // Fuse every producer inside the group; one whose value leaves the group
  // is also yielded from the loop.
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool isDestination) -> std::optional<
          scf::SCFTileAndFuseOptions::ControlFnResult> {
        scf::SCFTileAndFuseOptions::ControlFnResult result;
        result.yieldProducerReplacement =
            llvm::is_contained(producer.getUsers(), yield);
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
  // Ops left without users (the untiled copies) go away.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (&op != yield && isOpTriviallyDead(&op))
      rewriter.eraseOp(&op);
  return success();
}

/// Tiles `group` (see materialize); a group whose tiling does not leave one
/// loop around all its computation (ops not fused into the loop) is one tile
/// instead, so that every computing group is exactly one kernel.
LogicalResult materializeOneKernel(GroupOp &group, const TileConfig &config,
                                   bool mapToBlocks) {
  OpBuilder builder(group);
  auto copy = cast<GroupOp>(builder.clone(*group));
  bool tiled = succeeded(materialize(copy, config, mapToBlocks));
  if (tiled) {
    // The untiled copies that only fed slices fused into the loop go.
    IRRewriter rewriter(group.getContext());
    (void)runRegionDCE(rewriter, copy->getRegions());
  }
  if (tiled && succeeded(verify(copy)) &&
      (!computes(copy) || isOneKernel(copy))) {
    group.replaceAllUsesWith(copy.getResults());
    group.erase();
    group = copy;
    return success();
  }
  copy.erase();
  return wrapInOneTile(group, mapToBlocks);
}

struct TilePass : public mlir::fuse::impl::FuseTileBase<TilePass> {
  using FuseTileBase::FuseTileBase;

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
      if (!materializeTiles || config->impl == "empty")
        continue;
      if (failed(lowerFuseOpsToLinalg(group.getBody())))
        return signalPassFailure();
      // Tile a copy; keep it only when it verifies (a lowering whose
      // indexing maps tiling cannot slice leaves the group one tile).
      OpBuilder builder(group);
      auto tiledGroup = cast<GroupOp>(builder.clone(*group));
      bool ok;
      {
        ScopedDiagnosticHandler quiet(&getContext(),
                                      [](Diagnostic &) { return success(); });
        ok = succeeded(
                 materializeOneKernel(tiledGroup, *config, mapToBlocks)) &&
             succeeded(verify(tiledGroup));
      }
      if (!ok) {
        tiledGroup.erase();
        group->setAttr("fuse.untiled",
                       StringAttr::get(&getContext(),
                                       "tiling does not apply to its root"));
        continue;
      }
      group.replaceAllUsesWith(tiledGroup.getResults());
      group.erase();
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
