//===- ThreadMapping.cpp - Tiles to GPU kernels by thread mapping ---------===//
//
// `fuse-gpu-map-tiles`: the generic GPU path. After bufferization every
// computing group is one scf.forall mapped to #gpu.block (see Tile.cpp)
// whose body holds linalg ops on memref tiles. Each such loop becomes ONE
// gpu.launch:
//  - the grid is the loop's trip counts (mapping x/y/z, or linearized into x
//    for linear mappings), the block the tuner's thread count (fuse.tile
//    `threads`, else `warps` x 32, else 256) capped to the largest parallel
//    iteration space of the tile body;
//  - every linalg op of the body becomes a thread-distributed loop over its
//    parallel iteration space (linearized: `for i = tid; i < N; i += ntid`,
//    delinearized, innermost dim fastest) with its reduction dims as a
//    sequential loop per thread, accumulating in registers (row reductions
//    of row_per_warp / row_per_block tiles: warp shuffles instead, see
//    RowReduction.cpp); memref.copy the
//    same over its shape; an op that cannot be distributed (an output map
//    that is not a permutation of the parallel dims, or any other op with
//    memory effects) runs on thread 0 alone;
//  - gpu.barrier separates ops touching memory;
//  - the per-tile buffers (memref.alloc in the body) become workgroup
//    (shared) memory while they fit in 48 KiB; the others are each block's
//    slice of a global scratch buffer the host allocates (or, without
//    `global-scratch`, an error naming the group).
// linalg ops left at host level become one single-block launch each
// (host_<N>). The launch carries the loop's `fuse.kernel` and `fuse.tile`.
//
//===----------------------------------------------------------------------===//

#include "RowReduction.h"
#include "VectorAccess.h"

#include "Fuse/Conversion/FuseToLinalg.h"
#include "Fuse/Conversion/Passes.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEGPUMAPTILES
#include "Fuse/Conversion/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;

namespace {

/// What a generic tile kernel implements (`fuse.kernel_impl`, collected by
/// the GPU pipeline for the fusion report): the tile's choice when it is
/// one of this path's (row_per_warp, row_per_block, elementwise), else
/// "generic", a tile tuned for a kernel of its own (mma_sync, wgmma,
/// fma_gemm, depthwise, flash_attention) that its pass left to this path.
StringRef genericKernelImpl(Operation *tileLoop) {
  auto tile = tileLoop->getAttrOfType<fuse::TileAttr>("fuse.tile");
  if (!tile)
    return "generic";
  StringRef impl = tile.getImplementation();
  if (llvm::is_contained({StringRef("mma_sync"), StringRef("wgmma"),
                          StringRef("fma_gemm"), StringRef("depthwise"),
                          StringRef("flash_attention")},
                         impl))
    return "generic";
  return impl;
}

/// Static shared memory per block that every chip from sm_80 on has.
constexpr int64_t kSharedMemoryBytes = 48 * 1024;
constexpr int64_t kMaxThreads = 1024;

bool isBlockMapped(scf::ForallOp forall) {
  std::optional<ArrayAttr> mapping = forall.getMapping();
  return mapping && !mapping->empty() &&
         llvm::all_of(*mapping, [](Attribute attr) {
           return isa<gpu::GPUBlockMappingAttr>(attr);
         });
}

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value toValue(OpBuilder &b, Location loc, OpFoldResult ofr) {
  if (auto value = dyn_cast<Value>(ofr))
    return value;
  return indexConstant(b, loc, *getConstantIntValue(ofr));
}

/// An interval [lo, hi] of index values.
using Interval = std::pair<int64_t, int64_t>;

std::optional<Interval> intervalOf(Value value, unsigned depth = 0);

/// The interval of `expr` over operand intervals (interval arithmetic).
std::optional<Interval> intervalOf(AffineExpr expr,
                                   ArrayRef<Interval> operands,
                                   unsigned numDims) {
  if (auto cst = dyn_cast<AffineConstantExpr>(expr))
    return Interval{cst.getValue(), cst.getValue()};
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return operands[dim.getPosition()];
  if (auto sym = dyn_cast<AffineSymbolExpr>(expr))
    return operands[numDims + sym.getPosition()];
  auto bin = cast<AffineBinaryOpExpr>(expr);
  std::optional<Interval> l = intervalOf(bin.getLHS(), operands, numDims);
  std::optional<Interval> r = intervalOf(bin.getRHS(), operands, numDims);
  if (!l || !r)
    return std::nullopt;
  switch (bin.getKind()) {
  case AffineExprKind::Add:
    return Interval{l->first + r->first, l->second + r->second};
  case AffineExprKind::Mul: {
    int64_t c[4] = {l->first * r->first, l->first * r->second,
                    l->second * r->first, l->second * r->second};
    return Interval{*std::min_element(c, c + 4), *std::max_element(c, c + 4)};
  }
  case AffineExprKind::FloorDiv:
  case AffineExprKind::CeilDiv: {
    if (r->first != r->second || r->first <= 0)
      return std::nullopt;
    int64_t d = r->first;
    bool ceil = bin.getKind() == AffineExprKind::CeilDiv;
    auto div = [&](int64_t v) {
      return ceil ? llvm::divideCeilSigned(v, d) : llvm::divideFloorSigned(v, d);
    };
    return Interval{div(l->first), div(l->second)};
  }
  case AffineExprKind::Mod:
    if (r->first != r->second || r->first <= 0)
      return std::nullopt;
    return Interval{0, r->first - 1};
  default:
    return std::nullopt;
  }
}

/// The interval of the index `value`: constants, the ivs of loops with
/// static bounds, and affine.apply/min/max of those (the sizes and offsets
/// of boundary tiles).
std::optional<Interval> intervalOf(Value value, unsigned depth) {
  if (depth > 32)
    return std::nullopt;
  if (std::optional<int64_t> cst = getConstantIntValue(value))
    return Interval{*cst, *cst};
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto forall = dyn_cast<scf::ForallOp>(owner)) {
      unsigned i = arg.getArgNumber();
      if (i >= forall.getRank())
        return std::nullopt;
      std::optional<int64_t> lb =
          getConstantIntValue(forall.getMixedLowerBound()[i]);
      std::optional<int64_t> ub =
          getConstantIntValue(forall.getMixedUpperBound()[i]);
      if (!lb || !ub || *ub <= *lb)
        return std::nullopt;
      return Interval{*lb, *ub - 1};
    }
    if (auto loop = dyn_cast<scf::ForOp>(owner)) {
      if (arg != loop.getInductionVar())
        return std::nullopt;
      std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound());
      std::optional<int64_t> ub = getConstantIntValue(loop.getUpperBound());
      if (!lb || !ub || *ub <= *lb)
        return std::nullopt;
      return Interval{*lb, *ub - 1};
    }
    return std::nullopt;
  }
  Operation *def = value.getDefiningOp();
  AffineMap map;
  if (auto apply = dyn_cast<affine::AffineApplyOp>(def))
    map = apply.getAffineMap();
  else if (auto min = dyn_cast<affine::AffineMinOp>(def))
    map = min.getAffineMap();
  else if (auto max = dyn_cast<affine::AffineMaxOp>(def))
    map = max.getAffineMap();
  else
    return std::nullopt;
  SmallVector<Interval> operands;
  for (Value operand : def->getOperands()) {
    std::optional<Interval> interval = intervalOf(operand, depth + 1);
    if (!interval)
      return std::nullopt;
    operands.push_back(*interval);
  }
  std::optional<Interval> result;
  bool isMin = isa<affine::AffineMinOp>(def);
  bool skipped = false;
  for (AffineExpr expr : map.getResults()) {
    std::optional<Interval> e =
        intervalOf(expr, operands, map.getNumDims());
    if (!e) {
      if (!isMin)
        return std::nullopt;
      skipped = true; // min(a, b) <= a: any known result bounds it above
      continue;
    }
    if (!result)
      result = e;
    else if (isMin)
      result = Interval{std::min(result->first, e->first),
                        std::min(result->second, e->second)};
    else
      result = Interval{std::max(result->first, e->first),
                        std::max(result->second, e->second)};
  }
  // A skipped result leaves the lower bound unknown.
  if (result && skipped)
    result->first = -(int64_t(1) << 40);
  return result;
}

/// A constant upper bound of the index `value`.
std::optional<int64_t> upperBound(Value value) {
  if (std::optional<Interval> interval = intervalOf(value))
    return interval->second;
  return std::nullopt;
}

/// The bytes a per-tile buffer needs at most (dynamic sizes bounded by
/// upperBound), or nullopt.
std::optional<int64_t> bufferBytes(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  if (!type.getElementType().isIntOrFloat() ||
      !type.getLayout().isIdentity() || type.getMemorySpace() ||
      !alloc.getSymbolOperands().empty())
    return std::nullopt;
  int64_t elements = 1;
  unsigned dynamic = 0;
  for (int64_t size : type.getShape()) {
    if (!ShapedType::isDynamic(size)) {
      elements *= size;
      continue;
    }
    std::optional<int64_t> bound =
        upperBound(alloc.getDynamicSizes()[dynamic++]);
    if (!bound || *bound < 0)
      return std::nullopt;
    elements *= *bound;
  }
  int64_t bits = type.getElementTypeBitWidth();
  return elements * ((bits + 7) / 8);
}

/// The number of points of the parallel iteration space of `op`, when
/// static (nullopt when dynamic).
std::optional<int64_t> staticWork(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    int64_t work = 1;
    for (auto [size, iterator] :
         llvm::zip(linalgOp.getStaticLoopRanges(),
                   linalgOp.getIteratorTypesArray())) {
      if (iterator != utils::IteratorType::parallel)
        continue;
      if (ShapedType::isDynamic(size))
        return std::nullopt;
      work *= size;
    }
    return work;
  }
  if (auto copy = dyn_cast<memref::CopyOp>(op)) {
    auto type = cast<MemRefType>(copy.getTarget().getType());
    if (!type.hasStaticShape())
      return std::nullopt;
    return type.getNumElements();
  }
  return 1;
}

/// Whether distinct parallel points of `op` write distinct output elements
/// and no output element depends on a reduction dim: every output map is a
/// projected permutation of exactly the parallel dims.
bool isDistributable(linalg::LinalgOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    if (!map.isProjectedPermutation())
      return false;
    llvm::SmallBitVector used(iterators.size());
    for (AffineExpr expr : map.getResults())
      used.set(cast<AffineDimExpr>(expr).getPosition());
    for (auto [i, iterator] : llvm::enumerate(iterators))
      if (used.test(i) != (iterator == utils::IteratorType::parallel))
        return false;
  }
  return true;
}

/// Emits the kernel body ops of one tile (or one host-level op).
class KernelEmitter {
public:
  KernelEmitter(OpBuilder &b, Location loc, Value tid, Value ntid)
      : b(b), loc(loc), tid(tid), ntid(ntid) {}

  /// The indices `map` gives for the loop ivs `ivs`.
  SmallVector<Value> applyMap(AffineMap map, ValueRange ivs) {
    SmallVector<Value> indices;
    for (AffineExpr expr : map.getResults()) {
      if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
        indices.push_back(ivs[dim.getPosition()]);
        continue;
      }
      if (auto cst = dyn_cast<AffineConstantExpr>(expr)) {
        indices.push_back(indexConstant(b, loc, cst.getValue()));
        continue;
      }
      AffineMap single =
          AffineMap::get(map.getNumDims(), map.getNumSymbols(), expr);
      indices.push_back(affine::AffineApplyOp::create(b, loc, single, ivs));
    }
    return indices;
  }

  void distribute(ArrayRef<Value> sizes,
                  function_ref<void(ArrayRef<Value>)> body) {
    fuse::gpu_detail::distribute(b, loc, tid, ntid, sizes, body);
  }

  SmallVector<Value> clonePayload(linalg::LinalgOp op, ValueRange args,
                                  ArrayRef<Value> ivs) {
    return fuse::gpu_detail::clonePayload(b, op, args, ivs);
  }

  /// The value of DPS input `operand` at the loop point `ivs`.
  Value loadInput(linalg::LinalgOp op, OpOperand &operand, ArrayRef<Value> ivs) {
    Value source = operand.get();
    if (!isa<MemRefType>(source.getType()))
      return source; // a scalar (linalg.fill's value)
    AffineMap map = op.getMatchingIndexingMap(&operand);
    return memref::LoadOp::create(b, loc, source, applyMap(map, ivs));
  }

  /// A linalg op on buffers, distributed over the threads.
  void emitDistributed(linalg::LinalgOp op) {
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    SmallVector<Range> ranges = op.createLoopRanges(b, loc);
    SmallVector<unsigned> parallel, reduction;
    for (auto [i, iterator] : llvm::enumerate(iterators))
      (iterator == utils::IteratorType::parallel ? parallel : reduction)
          .push_back(i);
    SmallVector<Value> parallelSizes;
    for (unsigned dim : parallel)
      parallelSizes.push_back(toValue(b, loc, ranges[dim].size));
    unsigned numLoops = iterators.size();
    distribute(parallelSizes, [&](ArrayRef<Value> parallelIvs) {
      SmallVector<Value> ivs(numLoops);
      for (auto [dim, iv] : llvm::zip(parallel, parallelIvs))
        ivs[dim] = iv;
      // The output elements of this point: accumulators over the reduction.
      SmallVector<Value> accs;
      SmallVector<SmallVector<Value>> outIndices;
      for (OpOperand &init : op.getDpsInitsMutable()) {
        outIndices.push_back(
            applyMap(op.getMatchingIndexingMap(&init), ivs));
        bool needed = !reduction.empty() || op.payloadUsesValueFromOperand(&init);
        accs.push_back(needed ? memref::LoadOp::create(b, loc, init.get(),
                                                       outIndices.back())
                                    .getResult()
                              : Value());
      }
      // Placeholders for unused outputs: the payload does not read them.
      SmallVector<Value> results;
      auto computePoint = [&](ArrayRef<Value> allIvs,
                              ArrayRef<Value> current) -> SmallVector<Value> {
        SmallVector<Value> args;
        for (OpOperand *input : op.getDpsInputOperands())
          args.push_back(loadInput(op, *input, allIvs));
        for (auto [init, acc] : llvm::zip(op.getDpsInitsMutable(), current)) {
          Value value = acc;
          if (!value) {
            // Unused by the payload: any value of the element type.
            Type type = getElementTypeOrSelf(init.get().getType());
            value = arith::ConstantOp::create(
                b, loc, cast<TypedAttr>(b.getZeroAttr(type)));
          }
          args.push_back(value);
        }
        return clonePayload(op, args, allIvs);
      };
      if (reduction.empty()) {
        results = computePoint(ivs, accs);
      } else {
        // The reduction dims, outermost first, as sequential loops carrying
        // the accumulators.
        std::function<SmallVector<Value>(unsigned, ValueRange)> nest =
            [&](unsigned r, ValueRange current) -> SmallVector<Value> {
          if (r == reduction.size())
            return computePoint(ivs, SmallVector<Value>(current));
          unsigned dim = reduction[r];
          Value lb = toValue(b, loc, ranges[dim].offset);
          Value ub = toValue(b, loc, ranges[dim].size);
          Value step = toValue(b, loc, ranges[dim].stride);
          auto loop = scf::ForOp::create(b, loc, lb, ub, step, current);
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(loop.getBody());
          ivs[dim] = loop.getInductionVar();
          SmallVector<Value> inner =
              nest(r + 1, loop.getRegionIterArgs());
          scf::YieldOp::create(b, loc, inner);
          return SmallVector<Value>(loop.getResults());
        };
        results = nest(0, accs);
      }
      for (auto [init, value, indices] :
           llvm::zip(op.getDpsInitsMutable(), results, outIndices))
        memref::StoreOp::create(b, loc, value, init.get(), indices);
    });
  }

  /// memref.copy distributed over the threads.
  void emitDistributed(memref::CopyOp copy) {
    auto type = cast<MemRefType>(copy.getTarget().getType());
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < type.getRank(); ++i)
      sizes.push_back(b.createOrFold<memref::DimOp>(loc, copy.getTarget(), i));
    distribute(sizes, [&](ArrayRef<Value> ivs) {
      Value value = memref::LoadOp::create(b, loc, copy.getSource(), ivs);
      memref::StoreOp::create(b, loc, value, copy.getTarget(), ivs);
    });
  }

  /// memref[indices] = update(memref[indices]), atomically: a
  /// compare-and-swap loop on the element's bits (llvm.cmpxchg of an
  /// integer of its width; memref.generic_atomic_rmw's lowering would
  /// compare floats, which LLVM rejects).
  void emitCompareAndSwap(Value memref, ValueRange indices,
                          function_ref<Value(OpBuilder &, Value)> update) {
    MLIRContext *context = b.getContext();
    Type element = cast<MemRefType>(memref.getType()).getElementType();
    unsigned bits = element.getIntOrFloatBitWidth();
    Type bitsType = b.getIntegerType(bits);
    // The element's address.
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
    Value linear = meta.getOffset();
    for (auto [index, stride] : llvm::zip(indices, meta.getStrides()))
      linear = arith::AddIOp::create(
          b, loc, linear, arith::MulIOp::create(b, loc, index, stride));
    Value base = memref::ExtractAlignedPointerAsIndexOp::create(
        b, loc, meta.getBaseBuffer());
    Value address = arith::AddIOp::create(
        b, loc, base,
        arith::MulIOp::create(b, loc, linear,
                              indexConstant(b, loc, (bits + 7) / 8)));
    Value address64 =
        arith::IndexCastUIOp::create(b, loc, b.getI64Type(), address);
    Value pointer = LLVM::IntToPtrOp::create(
        b, loc, LLVM::LLVMPointerType::get(context), address64);
    auto toBits = [&](OpBuilder &builder, Value value) -> Value {
      return element == bitsType
                 ? value
                 : arith::BitcastOp::create(builder, loc, bitsType, value);
    };
    // Relaxed, device scope: the other blocks' updates are what races.
    unsigned bytes = (bits + 7) / 8;
    StringRef scope = "device";
    Value initial = LLVM::LoadOp::create(
        b, loc, bitsType, pointer, bytes, /*isVolatile=*/false,
        /*isNonTemporal=*/false, /*isInvariant=*/false,
        /*isInvariantGroup=*/false, LLVM::AtomicOrdering::monotonic, scope);
    scf::WhileOp::create(
        b, loc, TypeRange{bitsType}, ValueRange{initial},
        [&](OpBuilder &before, Location l, ValueRange args) {
          Value expected = args[0];
          Value current =
              element == bitsType
                  ? expected
                  : arith::BitcastOp::create(before, l, element, expected);
          Value desired = toBits(before, update(before, current));
          auto exchange = LLVM::AtomicCmpXchgOp::create(
              before, l, pointer, expected, desired,
              LLVM::AtomicOrdering::monotonic, LLVM::AtomicOrdering::monotonic,
              scope, bytes);
          Value seen = LLVM::ExtractValueOp::create(before, l, exchange,
                                                    ArrayRef<int64_t>{0});
          Value done = LLVM::ExtractValueOp::create(before, l, exchange,
                                                    ArrayRef<int64_t>{1});
          Value again = arith::XOrIOp::create(
              before, l, done,
              arith::ConstantIntOp::create(before, l, before.getI1Type(), 1));
          scf::ConditionOp::create(before, l, again, ValueRange{seen});
        },
        [&](OpBuilder &after, Location l, ValueRange args) {
          scf::YieldOp::create(after, l, args);
        });
  }

  /// A scatter's loop over its updates (buildScatterUpdates, bufferized):
  /// its iterations are spread over the block's threads, and each
  /// read-modify-write of the destination (a load and a store of the same
  /// element with the update combined in between) becomes one atomic:
  /// memref.atomic_rmw for an add, memref.generic_atomic_rmw (a
  /// compare-and-swap loop) for the other combinations. A plain store
  /// (`reduction = none`) stays a store.
  LogicalResult emitScatterUpdates(scf::ForOp loop) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(loop);
    Value first = arith::AddIOp::create(
        b, loc, loop.getLowerBound(),
        arith::MulIOp::create(b, loc, tid, loop.getStep()));
    Value stride = arith::MulIOp::create(b, loc, ntid, loop.getStep());
    loop.getLowerBoundMutable().assign(first);
    loop.getStepMutable().assign(stride);
    Block *body = loop.getBody();
    SmallVector<memref::StoreOp> stores(body->getOps<memref::StoreOp>());
    if (stores.size() != 1 || llvm::any_of(*body, [](Operation &op) {
          return op.getNumRegions() != 0 ||
                 isa<memref::CopyOp, memref::AllocOp>(op);
        }))
      return loop.emitError("fuse-gpu-map-tiles: a scatter's loop over its "
                            "updates is not one store per update");
    memref::StoreOp store = stores.front();
    memref::LoadOp old;
    for (auto load : body->getOps<memref::LoadOp>())
      if (load.getMemref() == store.getMemref() &&
          load.getIndices() == store.getIndices())
        old = load;
    if (!old)
      return success();
    // The ops between the old value and the stored one.
    llvm::SetVector<Operation *> combine;
    for (Operation &op : *body) {
      if (&op == store.getOperation())
        break;
      if (llvm::any_of(op.getOperands(), [&](Value operand) {
            return operand == old.getResult() ||
                   combine.contains(operand.getDefiningOp());
          }))
        combine.insert(&op);
    }
    if (llvm::any_of(combine,
                     [](Operation *op) { return !isMemoryEffectFree(op); }))
      return loop.emitError("fuse-gpu-map-tiles: a scatter's update is not "
                            "a pure function of the old element");
    b.setInsertionPoint(store);
    Value stored = store.getValue();
    Operation *single = combine.size() == 1 ? combine.front() : nullptr;
    std::optional<arith::AtomicRMWKind> kind;
    if (single && single->getResult(0) == stored) {
      if (isa<arith::AddFOp>(single))
        kind = arith::AtomicRMWKind::addf;
      else if (isa<arith::AddIOp>(single) &&
               stored.getType().getIntOrFloatBitWidth() >= 32)
        kind = arith::AtomicRMWKind::addi;
    }
    if (kind) {
      Value update = single->getOperand(0) == old.getResult()
                         ? single->getOperand(1)
                         : single->getOperand(0);
      memref::AtomicRMWOp::create(b, loc, *kind, update, store.getMemref(),
                                  store.getIndices());
    } else {
      emitCompareAndSwap(store.getMemref(), store.getIndices(),
                         [&](OpBuilder &inner, Value current) {
                           IRMapping mapping;
                           mapping.map(old.getResult(), current);
                           for (Operation *op : combine)
                             inner.clone(*op, mapping);
                           return mapping.lookupOrDefault(stored);
                         });
    }
    store.erase();
    for (Operation *op : llvm::reverse(combine))
      if (op->use_empty())
        op->erase();
    if (old->use_empty())
      old->erase();
    return success();
  }

  /// `op` (already cloned at the insertion point) on thread 0 only.
  LogicalResult emitSerial(Operation *op, RewriterBase &rewriter) {
    if (op->getNumResults() != 0)
      return op->emitError("fuse-gpu-map-tiles: cannot run '")
             << op->getName() << "' (results and memory effects) in a kernel";
    Value zero = indexConstant(b, loc, 0);
    Value isFirst =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tid, zero);
    auto ifOp = scf::IfOp::create(b, loc, isFirst, /*withElse=*/false);
    op->moveBefore(ifOp.thenBlock()->getTerminator());
    if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
      rewriter.setInsertionPoint(linalgOp);
      if (failed(linalg::linalgOpToLoops(rewriter, linalgOp)))
        return op->emitError("fuse-gpu-map-tiles: cannot lower this op to "
                             "loops");
      rewriter.eraseOp(linalgOp);
    }
    return success();
  }

  void barrier() { gpu::BarrierOp::create(b, loc); }

  OpBuilder &b;
  Location loc;
  Value tid, ntid;
  /// Elements per thread access of elementwise ops and copies (the tile's
  /// `vector`, see VectorAccess.cpp); 1 is the scalar loop.
  int64_t vectorWidth = 1;
  /// The workgroup byte buffer and offset of the shared tile transposes
  /// stage through (VectorAccess.cpp); null when the tile has none.
  Value transposeBuffer;
  int64_t transposeOffset = 0;
};

/// Whether `op` is a computation the kernel distributes or serializes
/// (rather than an op every thread evaluates alike, e.g. a subview).
bool touchesMemory(Operation *op) {
  if (isa<linalg::LinalgOp, memref::CopyOp>(op))
    return true;
  return !isMemoryEffectFree(op);
}

struct GpuMapTilesPass
    : public fuse::impl::FuseGpuMapTilesBase<GpuMapTilesPass> {
  using FuseGpuMapTilesBase::FuseGpuMapTilesBase;

  /// The threads of a block for a tile of `body` with the choice `tile`.
  static int64_t threadsFor(Operation *forallOrOp, Block *body) {
    int64_t threads = 256;
    Attribute tile = forallOrOp->getAttr("fuse.tile");
    if (tile) {
      if (auto params = tileParams(tile)) {
        if (auto t = params.getAs<IntegerAttr>("threads"))
          threads = t.getInt();
        else if (auto w = params.getAs<IntegerAttr>("warps"))
          threads = w.getInt() * 32;
        else if (auto g = params.getAs<IntegerAttr>("warpgroups"))
          threads = g.getInt() * 128;
      }
    }
    threads = std::clamp<int64_t>(threads, 1, kMaxThreads);
    std::optional<int64_t> maxWork = 0;
    auto account = [&](Operation *op) {
      if (!touchesMemory(op) || !maxWork)
        return;
      // A warp-shuffle row reduction keeps a warp per row (RowReduction.cpp).
      std::optional<int64_t> work = fuse::rowReductionThreads(op, tile);
      if (!work)
        work = staticWork(op);
      if (!work)
        maxWork = std::nullopt;
      else
        maxWork = std::max(*maxWork, *work);
    };
    if (body) {
      // Nested ops too (a tile's ops in the branches of an scf.if); a
      // scatter's loop over its updates is one thread per update.
      body->walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (auto updates =
                op->getAttrOfType<IntegerAttr>(fuse::kScatterUpdatesAttrName)) {
          if (maxWork)
            maxWork = std::max(*maxWork, updates.getInt());
          return WalkResult::skip();
        }
        if (op->getNumRegions() == 0 || isa<linalg::LinalgOp>(op))
          account(op);
        return WalkResult::advance();
      });
    } else {
      account(forallOrOp);
    }
    if (maxWork)
      threads = std::min(threads, std::max<int64_t>(*maxWork, 1));
    return threads;
  }

  /// The params of a #fuse.tile attribute.
  static DictionaryAttr tileParams(Attribute tile) {
    if (auto attr = dyn_cast<fuse::TileAttr>(tile))
      return attr.getParams();
    return nullptr;
  }

  /// Rewrites the ops of `block` (already in the kernel) in place: every op
  /// touching memory becomes a thread loop (or runs on thread 0) followed by
  /// a barrier; ops with regions (uniform control flow: nothing in a tile
  /// body depends on the thread) are rewritten inside.
  LogicalResult distributeBlock(KernelEmitter &emitter, Block &block) {
    IRRewriter rewriter(emitter.b.getContext());
    OpBuilder::InsertionGuard guard(emitter.b);
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (op.hasTrait<OpTrait::IsTerminator>() || !touchesMemory(&op))
        continue;
      if (isa<memref::DeallocOp>(op)) {
        op.erase(); // a per-tile buffer lives as long as the kernel
        continue;
      }
      emitter.b.setInsertionPoint(&op);
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
        if (linalgOp.hasPureBufferSemantics() && isDistributable(linalgOp)) {
          if (!fuse::emitRowReduction(emitter.b, linalgOp, emitter.tid) &&
              failed(fuse::gpu_detail::emitSharedTranspose(
                  emitter.b, emitter.loc, emitter.tid, emitter.ntid, linalgOp,
                  emitter.transposeBuffer, emitter.transposeOffset)) &&
              failed(fuse::gpu_detail::emitVectorElementwise(
                  emitter.b, emitter.loc, emitter.tid, emitter.ntid, linalgOp,
                  emitter.vectorWidth)))
            emitter.emitDistributed(linalgOp);
          emitter.barrier();
          op.erase();
          continue;
        }
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        if (failed(fuse::gpu_detail::emitVectorCopy(
                emitter.b, emitter.loc, emitter.tid, emitter.ntid, copy,
                emitter.vectorWidth)))
          emitter.emitDistributed(copy);
        emitter.barrier();
        op.erase();
        continue;
      } else if (op.hasAttr(fuse::kScatterUpdatesAttrName)) {
        auto loop = dyn_cast<scf::ForOp>(op);
        if (!loop || failed(emitter.emitScatterUpdates(loop)))
          return failure();
        emitter.barrier();
        continue;
      } else if (isa<scf::IfOp, scf::ForOp, scf::IndexSwitchOp>(op)) {
        for (Region &region : op.getRegions())
          for (Block &inner : region)
            if (failed(distributeBlock(emitter, inner)))
              return failure();
        continue;
      }
      if (failed(emitter.emitSerial(&op, rewriter)))
        return failure();
      emitter.barrier();
    }
    return success();
  }

  LogicalResult mapForall(scf::ForallOp forall) {
    Location loc = forall.getLoc();
    OpBuilder b(forall);
    StringAttr kernel = forall->getAttrOfType<StringAttr>("fuse.kernel");
    std::string name = kernel ? kernel.str() : std::string("tile");
    Block *body = forall.getBody();

    // Trip counts, on the host.
    SmallVector<OpFoldResult> lbs = forall.getMixedLowerBound();
    SmallVector<OpFoldResult> ubs = forall.getMixedUpperBound();
    SmallVector<OpFoldResult> steps = forall.getMixedStep();
    unsigned rank = lbs.size();
    SmallVector<Value> counts;
    for (unsigned i = 0; i < rank; ++i) {
      std::optional<int64_t> lb = getConstantIntValue(lbs[i]);
      std::optional<int64_t> ub = getConstantIntValue(ubs[i]);
      std::optional<int64_t> step = getConstantIntValue(steps[i]);
      if (lb && ub && step && *step > 0) {
        int64_t count = std::max<int64_t>(0, (*ub - *lb + *step - 1) / *step);
        counts.push_back(indexConstant(b, loc, count));
        continue;
      }
      Value span = arith::SubIOp::create(b, loc, toValue(b, loc, ubs[i]),
                                         toValue(b, loc, lbs[i]));
      counts.push_back(arith::CeilDivUIOp::create(
          b, loc, span, toValue(b, loc, steps[i])));
    }

    // Which grid dim each loop dim is: x/y/z when the mapping says so,
    // else all linearized into x (linear dim 0 innermost).
    ArrayAttr mappingAttr = *forall.getMapping();
    SmallVector<int64_t> gridDim(rank, -1);
    bool direct = rank <= 3;
    for (auto [i, attr] : llvm::enumerate(mappingAttr)) {
      auto block = cast<gpu::GPUBlockMappingAttr>(attr);
      int64_t id = static_cast<int64_t>(block.getBlock()) -
                   static_cast<int64_t>(gpu::MappingId::DimX);
      if (id < 0 || id > 2 || llvm::is_contained(gridDim, id))
        direct = false;
      gridDim[i] = id;
    }
    SmallVector<unsigned> linearOrder; // loop dims, innermost first
    if (!direct) {
      SmallVector<std::pair<int64_t, unsigned>> byId;
      for (auto [i, attr] : llvm::enumerate(mappingAttr))
        byId.push_back({cast<gpu::GPUBlockMappingAttr>(attr).getMappingId(),
                        static_cast<unsigned>(i)});
      llvm::sort(byId);
      for (auto [id, dim] : byId)
        linearOrder.push_back(dim);
    }
    // Constant globals are read on the host's behalf: kernel arguments.
    for (Operation &op : llvm::make_early_inc_range(*body))
      if (isa<memref::GetGlobalOp>(op))
        op.moveBefore(forall);

    // Per-tile buffers: shared memory while they fit, else (global-scratch)
    // a slice per block of a global scratch buffer the host allocates.
    SmallVector<memref::AllocOp> allocs;
    body->walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    int64_t sharedBytes = 0, scratchBytes = 0;
    SmallVector<bool> inShared;
    SmallVector<int64_t> allocBytes;
    for (memref::AllocOp alloc : allocs) {
      std::optional<int64_t> bytes = bufferBytes(alloc);
      if (!bytes)
        return alloc.emitError("fuse-gpu-map-tiles: the per-tile buffer ")
               << alloc.getType() << " of " << name
               << " has no bounded size or no identity layout";
      allocBytes.push_back(*bytes);
      bool fits = sharedBytes + static_cast<int64_t>(llvm::alignTo(
                                   *bytes, 16)) <=
                  kSharedMemoryBytes;
      if (!fits && !globalScratch)
        return forall.emitError("fuse-gpu-map-tiles: the per-tile buffers of ")
               << name << " need more than the " << kSharedMemoryBytes
               << " bytes of shared memory a block has (" << alloc.getType()
               << " does not fit)";
      inShared.push_back(fits);
      (fits ? sharedBytes : scratchBytes) +=
          static_cast<int64_t>(llvm::alignTo(*bytes, fits ? 16 : 256));
    }
    // The shared tile of the transposes, after the per-tile buffers.
    int64_t transposeOffset = sharedBytes;
    int64_t transposeBytes = fuse::gpu_detail::sharedTransposeBytes(*body);
    if (transposeBytes != 0 &&
        sharedBytes + transposeBytes <= kSharedMemoryBytes)
      sharedBytes += static_cast<int64_t>(llvm::alignTo(transposeBytes, 16));
    else
      transposeBytes = 0;
    Value one = indexConstant(b, loc, 1);
    Value tiles = one;
    for (Value count : counts)
      tiles = b.createOrFold<arith::MulIOp>(loc, tiles, count);
    Value scratch;
    if (scratchBytes != 0) {
      Value size = b.createOrFold<arith::MulIOp>(
          loc, tiles, indexConstant(b, loc, scratchBytes));
      auto type = MemRefType::get({ShapedType::kDynamic}, b.getI8Type());
      scratch = memref::AllocOp::create(b, loc, type, ValueRange{size},
                                        b.getI64IntegerAttr(256));
    }

    // One workgroup buffer of bytes holds every shared per-tile buffer.
    SmallVector<Type> workgroupTypes;
    Attribute workgroup = gpu::AddressSpaceAttr::get(
        b.getContext(), gpu::AddressSpace::Workgroup);
    if (sharedBytes != 0)
      workgroupTypes.push_back(MemRefType::get(
          {sharedBytes}, b.getI8Type(), MemRefLayoutAttrInterface(),
          workgroup));

    SmallVector<Value> grid = {one, one, one};
    if (direct) {
      for (unsigned i = 0; i < rank; ++i)
        grid[gridDim[i]] = counts[i];
    } else {
      grid[0] = tiles;
    }
    int64_t threads = threadsFor(forall, body);
    auto launch = gpu::LaunchOp::create(
        b, loc, grid[0], grid[1], grid[2], indexConstant(b, loc, threads), one,
        one, /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
        /*asyncDependencies=*/{}, workgroupTypes);
    for (StringRef attr : {"fuse.kernel", "fuse.tile", "fuse.generic_reason"})
      if (Attribute value = forall->getAttr(attr))
        launch->setAttr(attr, value);
    StringRef impl = genericKernelImpl(forall);
    launch->setAttr("fuse.kernel_impl", b.getStringAttr(impl));
    // A tile tuned for a kernel of its own that no pass declined with a
    // reason (its pass did not run, e.g. fuse-gpu-map-tiles alone).
    auto tile = forall->getAttrOfType<fuse::TileAttr>("fuse.tile");
    if (tile && impl == "generic" && !launch->hasAttr("fuse.generic_reason"))
      launch->setAttr("fuse.generic_reason",
                      b.getStringAttr("fuse-gpu-map-tiles: no pass lowered "
                                      "the tile loop as " +
                                      tile.getImplementation()));

    Block &kernelBody = launch.getBody().front();
    OpBuilder kb = OpBuilder::atBlockBegin(&kernelBody);
    // The tile's ivs from the block ids.
    SmallVector<Value> blockIds = {launch.getBlockIds().x,
                                   launch.getBlockIds().y,
                                   launch.getBlockIds().z};
    SmallVector<Value> tileIds(rank);
    if (direct) {
      for (unsigned i = 0; i < rank; ++i)
        tileIds[i] = blockIds[gridDim[i]];
    } else {
      Value rest = blockIds[0];
      for (auto [k, dim] : llvm::enumerate(linearOrder)) {
        if (k + 1 == linearOrder.size()) {
          tileIds[dim] = rest;
          break;
        }
        Value count = counts[dim];
        tileIds[dim] = arith::RemUIOp::create(kb, loc, rest, count);
        rest = arith::DivUIOp::create(kb, loc, rest, count);
      }
    }
    IRMapping mapping;
    for (unsigned i = 0; i < rank; ++i) {
      Value lb = toValue(kb, loc, lbs[i]);
      Value step = toValue(kb, loc, steps[i]);
      Value iv = kb.createOrFold<arith::AddIOp>(
          loc, lb, kb.createOrFold<arith::MulIOp>(loc, tileIds[i], step));
      mapping.map(forall.getInductionVar(i), iv);
    }
    // The block's slice of the scratch buffer starts at its linear id.
    Value scratchBase;
    if (scratch) {
      Value linear = launch.getBlockIds().z;
      linear = kb.createOrFold<arith::MulIOp>(loc, linear,
                                              launch.getGridSize().y);
      linear = kb.createOrFold<arith::AddIOp>(loc, linear,
                                              launch.getBlockIds().y);
      linear = kb.createOrFold<arith::MulIOp>(loc, linear,
                                              launch.getGridSize().x);
      linear = kb.createOrFold<arith::AddIOp>(loc, linear,
                                              launch.getBlockIds().x);
      scratchBase = kb.createOrFold<arith::MulIOp>(
          loc, linear, indexConstant(kb, loc, scratchBytes));
    }
    // The body, then its buffers replaced.
    for (Operation &op : body->without_terminator())
      kb.clone(op, mapping);
    int64_t sharedOffset = 0, scratchOffset = 0;
    for (auto [alloc, shared, bytes] : llvm::zip(allocs, inShared, allocBytes)) {
      auto clone = cast<memref::AllocOp>(mapping.lookup(alloc.getOperation()));
      OpBuilder ab(clone);
      MemRefType type = clone.getType();
      Value buffer;
      if (shared) {
        MemRefType sharedType =
            MemRefType::get(type.getShape(), type.getElementType(),
                            MemRefLayoutAttrInterface(), workgroup);
        Value view = memref::ViewOp::create(
            ab, loc, sharedType, launch.getWorkgroupAttributions()[0],
            indexConstant(ab, loc, sharedOffset), clone.getDynamicSizes());
        buffer = memref::MemorySpaceCastOp::create(ab, loc, type, view);
        sharedOffset += static_cast<int64_t>(llvm::alignTo(bytes, 16));
      } else {
        Value shift = ab.createOrFold<arith::AddIOp>(
            loc, scratchBase, indexConstant(ab, loc, scratchOffset));
        buffer = memref::ViewOp::create(ab, loc, type, scratch, shift,
                                        clone.getDynamicSizes());
        scratchOffset += static_cast<int64_t>(llvm::alignTo(bytes, 256));
      }
      clone.replaceAllUsesWith(buffer);
      clone.erase();
    }
    kb.setInsertionPointToEnd(&kernelBody);
    gpu::TerminatorOp::create(kb, loc);
    KernelEmitter emitter(kb, loc, launch.getThreadIds().x,
                          launch.getBlockSize().x);
    emitter.vectorWidth =
        fuse::gpu_detail::requestedVectorWidth(forall->getAttr("fuse.tile"));
    if (transposeBytes != 0) {
      emitter.transposeBuffer = launch.getWorkgroupAttributions()[0];
      emitter.transposeOffset = transposeOffset;
    }
    if (failed(distributeBlock(emitter, kernelBody)))
      return failure();
    forall.erase();
    return success();
  }

  /// A linalg op at host level: one single-block launch.
  /// A 1-D gpu.launch of `blocks` x `threads` at `b`'s insertion point,
  /// for an op left at host level, named `name`.
  static gpu::LaunchOp createHostLaunch(OpBuilder &b, Location loc,
                                        int64_t blocks, int64_t threads,
                                        StringRef name) {
    Value one = indexConstant(b, loc, 1);
    auto launch =
        gpu::LaunchOp::create(b, loc, indexConstant(b, loc, blocks), one, one,
                              indexConstant(b, loc, threads), one, one);
    launch->setAttr("fuse.kernel", b.getStringAttr(name));
    launch->setAttr("fuse.kernel_impl", b.getStringAttr("generic"));
    return launch;
  }

  LogicalResult mapHostOp(Operation *op, int64_t index) {
    Location loc = op->getLoc();
    OpBuilder b(op);
    auto launch =
        createHostLaunch(b, loc, /*blocks=*/1, threadsFor(op, nullptr),
                         "host_" + std::to_string(index));
    Block &kernelBody = launch.getBody().front();
    OpBuilder kb = OpBuilder::atBlockBegin(&kernelBody);
    kb.clone(*op);
    gpu::TerminatorOp::create(kb, loc);
    KernelEmitter emitter(kb, loc, launch.getThreadIds().x,
                          launch.getBlockSize().x);
    if (failed(distributeBlock(emitter, kernelBody)))
      return failure();
    op->erase();
    return success();
  }

  /// A copy at host level between non-contiguous memrefs (bufferization's
  /// copy of a strided view that is then collapsed, e.g. a slice of the
  /// input reshaped): one kernel whose threads of all blocks share the
  /// elements (the bundle copies only contiguous ranges itself).
  LogicalResult mapHostCopy(memref::CopyOp copy, int64_t index) {
    Location loc = copy.getLoc();
    OpBuilder b(copy);
    auto type = cast<MemRefType>(copy.getTarget().getType());
    if (!type.hasStaticShape())
      return copy.emitError("fuse-gpu-map-tiles: a strided copy of dynamic "
                            "shape at host level");
    int64_t threads = std::clamp<int64_t>(type.getNumElements(), 1, 256);
    // Up to 4 elements per thread; a grid-stride loop does the rest.
    int64_t blocks = std::clamp<int64_t>(
        (type.getNumElements() + threads * 4 - 1) / (threads * 4), 1, 4096);
    auto launch = createHostLaunch(b, loc, blocks, threads,
                                   "host_copy_" + std::to_string(index));
    Block &kernelBody = launch.getBody().front();
    OpBuilder kb = OpBuilder::atBlockBegin(&kernelBody);
    Value global = arith::AddIOp::create(
        kb, loc,
        arith::MulIOp::create(kb, loc, launch.getBlockIds().x,
                              launch.getBlockSize().x),
        launch.getThreadIds().x);
    Value count = arith::MulIOp::create(kb, loc, launch.getGridSize().x,
                                        launch.getBlockSize().x);
    auto inner = cast<memref::CopyOp>(kb.clone(*copy));
    gpu::TerminatorOp::create(kb, loc);
    KernelEmitter emitter(kb, loc, global, count);
    kb.setInsertionPoint(inner);
    emitter.emitDistributed(inner);
    inner.erase();
    copy.erase();
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    SmallVector<scf::ForallOp> foralls;
    func.walk([&](scf::ForallOp forall) {
      if (isBlockMapped(forall) && !forall->getParentOfType<gpu::LaunchOp>())
        foralls.push_back(forall);
    });
    for (scf::ForallOp forall : foralls) {
      if (forall->getParentOfType<scf::ForallOp>()) {
        forall.emitError("fuse-gpu-map-tiles: a block-mapped scf.forall "
                         "nested in another one is not supported");
        return signalPassFailure();
      }
      if (!forall.getOutputs().empty()) {
        forall.emitError("fuse-gpu-map-tiles: the tile loop still has tensor "
                         "results; run one-shot-bufferize first");
        return signalPassFailure();
      }
      if (failed(mapForall(forall)))
        return signalPassFailure();
    }
    SmallVector<Operation *> hostOps;
    func.walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>())
        hostOps.push_back(op);
    });
    int64_t index = 0;
    for (Operation *op : hostOps) {
      if (op->getParentOfType<scf::ForallOp>()) {
        op->emitError("fuse-gpu-map-tiles: a linalg op in a tile loop that "
                      "is not mapped to GPU blocks");
        return signalPassFailure();
      }
      auto linalgOp = cast<linalg::LinalgOp>(op);
      if (!linalgOp.hasPureBufferSemantics()) {
        op->emitError("fuse-gpu-map-tiles: a linalg op on tensors is left at "
                      "host level; run one-shot-bufferize first");
        return signalPassFailure();
      }
      if (failed(mapHostOp(op, index++)))
        return signalPassFailure();
    }
    SmallVector<memref::CopyOp> stridedCopies;
    func.walk([&](memref::CopyOp copy) {
      if (copy->getParentOfType<gpu::LaunchOp>() ||
          copy->getParentOfType<scf::ForallOp>())
        return;
      auto contiguous = [](Value value) {
        return memref::isStaticShapeAndContiguousRowMajor(
            cast<MemRefType>(value.getType()));
      };
      if (!contiguous(copy.getSource()) || !contiguous(copy.getTarget()))
        stridedCopies.push_back(copy);
    });
    for (auto [i, copy] : llvm::enumerate(stridedCopies))
      if (failed(mapHostCopy(copy, i)))
        return signalPassFailure();
    // linalg ops nested in ops a kernel runs on one thread (e.g. in an
    // scf.for of the tile body) become loops there.
    SmallVector<linalg::LinalgOp> nested;
    func.walk([&](linalg::LinalgOp op) { nested.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : nested) {
      rewriter.setInsertionPoint(op);
      if (!op.hasPureBufferSemantics() ||
          failed(linalg::linalgOpToLoops(rewriter, op))) {
        op->emitError("fuse-gpu-map-tiles: cannot lower this op to loops");
        return signalPassFailure();
      }
      rewriter.eraseOp(op);
    }
  }
};

} // namespace
