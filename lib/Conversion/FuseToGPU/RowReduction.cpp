//===- RowReduction.cpp - Row reductions with warp shuffles ---------------===//
//
// Part of `fuse-gpu-map-tiles`: a linalg op of a tile body that reduces its
// innermost dims (softmax's max and sum of exponentials, layer_norm's
// moments, reduce_*, arg_max/arg_min) in a kernel whose #fuse.tile is
// row_per_warp or row_per_block. Instead of one thread per output element
// running the reduction as a sequential loop, a row's elements are shared
// by the threads of a warp (or of the block):
//  - row_per_warp: warp w owns rows w, w + warps, ... of the op's parallel
//    iteration space; lane l folds the row's elements l, l + 32, ...
//    (linearized over the reduction dims, innermost fastest: consecutive
//    lanes read consecutive elements) with the op's own payload into a
//    register, then 5 butterfly steps of gpu.shuffle xor (16, 8, 4, 2, 1)
//    combine the 32 partial results; after them every lane holds the whole
//    row's result, and lane 0 stores it.
//  - row_per_block: every row by the whole block: each thread folds the
//    elements tid, tid + threads, ...; a warp butterfly; lane 0 of each warp
//    writes its partial result to a workgroup buffer (one element per warp);
//    after a barrier every warp reads the partials back (broadcast through
//    shared memory) and combines them with log2(warps) more butterfly steps;
//    thread 0 stores the result.
// The payload must be `yield combine(acc, f(inputs))` per output with
// `combine` one of addf/mulf/maximumf/minimumf/maxnumf/minnumf and the
// integer add/mul/max/min/and/or/xor, `acc` used only there and `f`
// independent of every accumulator (then a fold over any subset of a row
// followed by `combine` of the partial results equals the sequential
// fold); partial results are combined with a clone of the payload's own
// `combine` op, so NaN propagates (maximumf) or not (maxnumf) as on the CPU
// path. Or it is the arg_max/arg_min form (two outputs, value and index:
// `c = cmp(x, best); yield select(c, x, best), select(c, index, bestIndex)`
// with index the iv of the single reduction dim), combined as
// (value, index) pairs: the better value wins, ties go to the lower index
// (strict predicate, first occurrence) or the higher one (non-strict,
// last occurrence).
// The accumulators start from the output's value: in every lane for
// idempotent combines (max, min, and, or, the arg pair), in lane 0 (thread
// 0) only otherwise, the others from the combine's identity (-0.0 for addf,
// 0, 1, ...). Lanes with no element of a row (rows shorter than a warp,
// the last partial round) keep that start value, so any row length works.
// The result reaches the ops after it through the output buffer (shared
// memory for a per-tile buffer) and the barrier that follows every op; the
// tile's `vector` parameter is not used (scalar loads, consecutive lanes on
// consecutive elements).
// Everything else (a reduction over an outer dim, whose outputs a
// thread-per-output loop reads coalesced; a payload of another form; a
// block that is not a whole number of warps) keeps the generic
// distribution of ThreadMapping.cpp.
//
//===----------------------------------------------------------------------===//

#include "RowReduction.h"
#include "VectorAccess.h"

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace {

constexpr int64_t kWarpSize = 32;

enum class Schedule { RowPerWarp, RowPerBlock };

/// How the partial results of one op combine.
struct ReductionPlan {
  /// The combiner form: per output, the payload op combining the
  /// accumulator with the element's contribution.
  SmallVector<Operation *> combiners;
  /// The arg form (two outputs: value, index).
  bool argForm = false;
  bool isFloat = false;
  /// The predicate "x is strictly better than y" for values, as
  /// arith::CmpFPredicate or arith::CmpIPredicate.
  uint64_t strictPredicate = 0;
  /// Ties go to the lower index (else the higher one).
  bool firstIndex = true;
};

std::optional<Schedule> scheduleOf(Attribute tile) {
  auto attr = dyn_cast_or_null<fuse::TileAttr>(tile);
  if (!attr)
    return std::nullopt;
  if (attr.getImplementation() == "row_per_warp")
    return Schedule::RowPerWarp;
  if (attr.getImplementation() == "row_per_block")
    return Schedule::RowPerBlock;
  return std::nullopt;
}

/// Whether `value` (in the payload of `op`) depends on an output block
/// argument (an accumulator).
bool dependsOnAccumulator(linalg::LinalgOp op, Value value) {
  Block *body = op.getBlock();
  unsigned numInputs = op.getNumDpsInputs();
  SmallVector<Value> worklist = {value};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() == body && arg.getArgNumber() >= numInputs)
        return true;
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (!def || def->getBlock() != body || !seen.insert(def).second)
      continue;
    if (def->getNumRegions() != 0)
      return true; // conservatively: regions may read anything
    llvm::append_range(worklist, def->getOperands());
  }
  return false;
}

bool isIdempotent(Operation *combiner) {
  return isa<arith::MaximumFOp, arith::MinimumFOp, arith::MaxNumFOp,
             arith::MinNumFOp, arith::MaxSIOp, arith::MinSIOp, arith::MaxUIOp,
             arith::MinUIOp, arith::AndIOp, arith::OrIOp>(combiner);
}

/// The identity of a non-idempotent combiner for `type`.
TypedAttr identityOf(Operation *combiner, Type type) {
  Builder b(combiner->getContext());
  if (isa<arith::AddFOp>(combiner))
    return b.getFloatAttr(type, -0.0);
  if (isa<arith::MulFOp>(combiner))
    return b.getFloatAttr(type, 1.0);
  if (isa<arith::MulIOp>(combiner))
    return b.getIntegerAttr(type, 1);
  return b.getIntegerAttr(type, 0); // addi, xori
}

/// Whether `value` is the iv of reduction dim `dim` (through index casts).
bool isReductionIndex(Value value, unsigned dim) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto index = dyn_cast<linalg::IndexOp>(def))
      return index.getDim() == dim;
    if (!isa<arith::IndexCastOp, arith::IndexCastUIOp>(def))
      return false;
    value = def->getOperand(0);
  }
  return false;
}

/// The arg form: value and index outputs of `c = cmp(x, best)`,
/// `select(c, x, best)`, `select(c, index, bestIndex)`.
std::optional<ReductionPlan> matchArgForm(linalg::LinalgOp op,
                                          unsigned reductionDim) {
  if (op.getNumDpsInits() != 2)
    return std::nullopt;
  Block *body = op.getBlock();
  unsigned numInputs = op.getNumDpsInputs();
  Operation *yield = body->getTerminator();
  BlockArgument best = body->getArgument(numInputs);
  BlockArgument bestIndex = body->getArgument(numInputs + 1);
  auto valueSelect = yield->getOperand(0).getDefiningOp<arith::SelectOp>();
  auto indexSelect = yield->getOperand(1).getDefiningOp<arith::SelectOp>();
  if (!valueSelect || !indexSelect ||
      valueSelect.getCondition() != indexSelect.getCondition() ||
      valueSelect.getFalseValue() != best ||
      indexSelect.getFalseValue() != bestIndex)
    return std::nullopt;
  Value x = valueSelect.getTrueValue();
  if (dependsOnAccumulator(op, x) ||
      !isReductionIndex(indexSelect.getTrueValue(), reductionDim))
    return std::nullopt;
  Operation *cmp = valueSelect.getCondition().getDefiningOp();
  if (!cmp || cmp->getNumOperands() != 2 || cmp->getOperand(0) != x ||
      cmp->getOperand(1) != best)
    return std::nullopt;
  // best: the compare and the select; bestIndex: the select.
  if (!bestIndex.hasOneUse() ||
      llvm::range_size(best.getUses()) != 2)
    return std::nullopt;
  ReductionPlan plan;
  plan.argForm = true;
  if (auto cmpf = dyn_cast<arith::CmpFOp>(cmp)) {
    using P = arith::CmpFPredicate;
    plan.isFloat = true;
    switch (cmpf.getPredicate()) {
    case P::OGT:
    case P::OGE:
      plan.strictPredicate = static_cast<uint64_t>(P::OGT);
      break;
    case P::OLT:
    case P::OLE:
      plan.strictPredicate = static_cast<uint64_t>(P::OLT);
      break;
    default:
      return std::nullopt;
    }
    plan.firstIndex = cmpf.getPredicate() == P::OGT ||
                      cmpf.getPredicate() == P::OLT;
    return plan;
  }
  if (auto cmpi = dyn_cast<arith::CmpIOp>(cmp)) {
    using P = arith::CmpIPredicate;
    P strict;
    switch (cmpi.getPredicate()) {
    case P::sgt:
    case P::sge:
      strict = P::sgt;
      break;
    case P::slt:
    case P::sle:
      strict = P::slt;
      break;
    case P::ugt:
    case P::uge:
      strict = P::ugt;
      break;
    case P::ult:
    case P::ule:
      strict = P::ult;
      break;
    default:
      return std::nullopt;
    }
    plan.strictPredicate = static_cast<uint64_t>(strict);
    plan.firstIndex = cmpi.getPredicate() == strict;
    return plan;
  }
  return std::nullopt;
}

/// The plan for `op`, when it is a row reduction the shuffle path handles.
std::optional<ReductionPlan> matchRowReduction(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() == 0 ||
      op->getNumRegions() != 1)
    return std::nullopt;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (iterators.empty() || iterators.back() != utils::IteratorType::reduction)
    return std::nullopt;
  // Every output indexed by exactly the parallel dims (one output element
  // per row).
  for (OpOperand &init : op.getDpsInitsMutable()) {
    AffineMap map = op.getMatchingIndexingMap(&init);
    if (!map.isProjectedPermutation())
      return std::nullopt;
    llvm::SmallBitVector used(iterators.size());
    for (AffineExpr expr : map.getResults())
      used.set(cast<AffineDimExpr>(expr).getPosition());
    for (auto [i, iterator] : llvm::enumerate(iterators))
      if (used.test(i) != (iterator == utils::IteratorType::parallel))
        return std::nullopt;
    Type type = getElementTypeOrSelf(init.get().getType());
    if (!type.isIntOrIndexOrFloat() ||
        (!type.isIndex() && type.getIntOrFloatBitWidth() > 64))
      return std::nullopt;
  }
  unsigned numReductions = llvm::count(iterators, utils::IteratorType::reduction);
  if (numReductions == 1)
    if (std::optional<ReductionPlan> plan =
            matchArgForm(op, iterators.size() - 1))
      return plan;
  Block *body = op.getBlock();
  unsigned numInputs = op.getNumDpsInputs();
  Operation *yield = body->getTerminator();
  ReductionPlan plan;
  for (unsigned i = 0, e = op.getNumDpsInits(); i < e; ++i) {
    BlockArgument acc = body->getArgument(numInputs + i);
    Operation *combiner = yield->getOperand(i).getDefiningOp();
    if (!combiner || combiner->getBlock() != body ||
        !isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp,
             arith::MinimumFOp, arith::MaxNumFOp, arith::MinNumFOp,
             arith::AddIOp, arith::MulIOp, arith::MaxSIOp, arith::MinSIOp,
             arith::MaxUIOp, arith::MinUIOp, arith::AndIOp, arith::OrIOp,
             arith::XOrIOp>(combiner) ||
        combiner->getResult(0).getType() != acc.getType() ||
        !acc.hasOneUse())
      return std::nullopt;
    Value lhs = combiner->getOperand(0), rhs = combiner->getOperand(1);
    Value other = lhs == acc ? rhs : rhs == acc ? lhs : Value();
    if (!other || dependsOnAccumulator(op, other))
      return std::nullopt;
    plan.combiners.push_back(combiner);
  }
  return plan;
}

/// The loop ranges of `op` split into its parallel and reduction dims.
struct Dims {
  SmallVector<unsigned> parallel, reduction;
};

Dims dimsOf(linalg::LinalgOp op) {
  Dims dims;
  for (auto [i, iterator] : llvm::enumerate(op.getIteratorTypesArray()))
    (iterator == utils::IteratorType::parallel ? dims.parallel
                                               : dims.reduction)
        .push_back(i);
  return dims;
}

/// Emits the kernel code of one row reduction.
class RowReductionEmitter {
public:
  RowReductionEmitter(OpBuilder &b, Location loc, linalg::LinalgOp op,
                      const ReductionPlan &plan, Value tid, int64_t threads)
      : b(b), loc(loc), op(op), plan(plan), tid(tid), threads(threads) {}

  void emit(Schedule schedule, gpu::LaunchOp launch) {
    Dims dims = dimsOf(op);
    SmallVector<Range> ranges = op.createLoopRanges(b, loc);
    SmallVector<Value> parallelSizes, reductionSizes;
    for (unsigned dim : dims.parallel)
      parallelSizes.push_back(size(ranges[dim]));
    for (unsigned dim : dims.reduction)
      reductionSizes.push_back(size(ranges[dim]));
    Value rows = product(parallelSizes);
    Value length = product(reductionSizes);
    Value warpSize = index(kWarpSize);
    Value lane = arith::RemUIOp::create(b, loc, tid, warpSize);
    Value warp = arith::DivUIOp::create(b, loc, tid, warpSize);
    int64_t warps = threads / kWarpSize;
    bool perWarp = schedule == Schedule::RowPerWarp;

    // Per output, the workgroup buffer of the warps' partial results.
    SmallVector<Value> partials;
    if (!perWarp && warps > 1) {
      Attribute workgroup = gpu::AddressSpaceAttr::get(
          b.getContext(), gpu::AddressSpace::Workgroup);
      for (OpOperand &init : op.getDpsInitsMutable())
        partials.push_back(launch.addWorkgroupAttribution(
            MemRefType::get({warps}, getElementTypeOrSelf(init.get().getType()),
                            MemRefLayoutAttrInterface(), workgroup),
            loc));
    }

    // Rows: the warp's (row_per_warp) or all of them (row_per_block).
    Value first = perWarp ? warp : index(0);
    Value step = perWarp ? index(warps) : index(1);
    auto rowLoop = scf::ForOp::create(b, loc, first, rows, step);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rowLoop.getBody());
    unsigned numLoops = op.getNumLoops();
    SmallVector<Value> ivs(numLoops, index(0));
    for (auto [dim, iv] : llvm::zip(
             dims.parallel, delinearize(rowLoop.getInductionVar(),
                                        parallelSizes)))
      ivs[dim] = iv;

    // The outputs of the row and each thread's starting accumulators.
    Value self = perWarp ? lane : tid;
    Value isFirst = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          self, index(0));
    SmallVector<SmallVector<Value>> outIndices;
    SmallVector<Value> starts;
    for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
      outIndices.push_back(applyMap(op.getMatchingIndexingMap(&init), ivs));
      Value acc =
          memref::LoadOp::create(b, loc, init.get(), outIndices.back());
      if (!plan.argForm && !isIdempotent(plan.combiners[i])) {
        Value identity = arith::ConstantOp::create(
            b, loc, identityOf(plan.combiners[i], acc.getType()));
        acc = arith::SelectOp::create(b, loc, isFirst, acc, identity);
      }
      starts.push_back(acc);
    }

    // Each thread folds its elements of the row.
    Value stride = perWarp ? warpSize : index(threads);
    auto fold = scf::ForOp::create(b, loc, self, length, stride, starts);
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(fold.getBody());
      SmallVector<Value> pointIvs = ivs;
      for (auto [dim, iv] :
           llvm::zip(dims.reduction,
                     delinearize(fold.getInductionVar(), reductionSizes)))
        pointIvs[dim] = iv;
      SmallVector<Value> args;
      for (OpOperand *input : op.getDpsInputOperands())
        args.push_back(loadInput(*input, pointIvs));
      llvm::append_range(args, fold.getRegionIterArgs());
      scf::YieldOp::create(b, loc, clonePayload(args, pointIvs));
    }
    SmallVector<Value> values(fold.getResults());
    values = butterfly(values, kWarpSize);

    if (!partials.empty()) {
      // Across warps: the partial results through shared memory.
      Value isLaneZero = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::eq, lane, index(0));
      auto write = scf::IfOp::create(b, loc, isLaneZero, /*withElse=*/false);
      {
        OpBuilder::InsertionGuard inner(b);
        b.setInsertionPoint(write.thenBlock()->getTerminator());
        for (auto [value, buffer] : llvm::zip(values, partials))
          memref::StoreOp::create(b, loc, value, buffer, ValueRange{warp});
      }
      gpu::BarrierOp::create(b, loc);
      Value active = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                           lane, index(warps));
      Value slot = arith::SelectOp::create(b, loc, active, lane, index(0));
      for (auto [i, buffer] : llvm::enumerate(partials)) {
        Value value =
            memref::LoadOp::create(b, loc, buffer, ValueRange{slot});
        // Lanes past the warps: warp 0's value for idempotent combines,
        // else the identity.
        if (!plan.argForm && !isIdempotent(plan.combiners[i]))
          value = arith::SelectOp::create(
              b, loc, active, value,
              arith::ConstantOp::create(
                  b, loc,
                  identityOf(plan.combiners[i], value.getType())));
        values[i] = value;
      }
      values = butterfly(values, llvm::PowerOf2Ceil(warps));
      // Every warp has read the partials before the next row writes them.
      gpu::BarrierOp::create(b, loc);
    }

    auto store = scf::IfOp::create(b, loc, isFirst, /*withElse=*/false);
    b.setInsertionPoint(store.thenBlock()->getTerminator());
    for (auto [value, init, indices] :
         llvm::zip(values, op.getDpsInitsMutable(), outIndices))
      memref::StoreOp::create(b, loc, value, init.get(), indices);
  }

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  Value size(const Range &range) {
    if (auto value = dyn_cast<Value>(range.size))
      return value;
    return index(*getConstantIntValue(range.size));
  }

  Value product(ArrayRef<Value> sizes) {
    return fuse::gpu_detail::indexProduct(b, loc, sizes);
  }

  /// `linear` over `sizes`, innermost fastest.
  SmallVector<Value> delinearize(Value linear, ArrayRef<Value> sizes) {
    return fuse::gpu_detail::delinearizeIndex(b, loc, linear, sizes);
  }

  SmallVector<Value> applyMap(AffineMap map, ValueRange ivs) {
    SmallVector<Value> indices;
    for (AffineExpr expr : map.getResults()) {
      if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
        indices.push_back(ivs[dim.getPosition()]);
        continue;
      }
      if (auto cst = dyn_cast<AffineConstantExpr>(expr)) {
        indices.push_back(index(cst.getValue()));
        continue;
      }
      AffineMap single =
          AffineMap::get(map.getNumDims(), map.getNumSymbols(), expr);
      indices.push_back(affine::AffineApplyOp::create(b, loc, single, ivs));
    }
    return indices;
  }

  Value loadInput(OpOperand &operand, ArrayRef<Value> ivs) {
    Value source = operand.get();
    if (!isa<MemRefType>(source.getType()))
      return source;
    return memref::LoadOp::create(
        b, loc, source, applyMap(op.getMatchingIndexingMap(&operand), ivs));
  }

  SmallVector<Value> clonePayload(ValueRange args, ArrayRef<Value> ivs) {
    return fuse::gpu_detail::clonePayload(b, op, args, ivs);
  }

  /// The value of lane `lane ^ offset` (32 lanes).
  Value shuffleXor(Value value, int32_t offset) {
    Type type = value.getType();
    if (type.isIndex()) {
      Value wide =
          arith::IndexCastOp::create(b, loc, b.getI64Type(), value);
      return arith::IndexCastOp::create(b, loc, type,
                                        shuffleXor(wide, offset));
    }
    unsigned width = type.getIntOrFloatBitWidth();
    Type bits = b.getIntegerType(width);
    Value raw = isa<FloatType>(type)
                    ? arith::BitcastOp::create(b, loc, bits, value).getResult()
                    : value;
    Type i32 = b.getI32Type();
    auto shuffle32 = [&](Value word) {
      return gpu::ShuffleOp::create(b, loc, word, offset,
                                    static_cast<int32_t>(kWarpSize),
                                    gpu::ShuffleMode::XOR)
          .getShuffleResult();
    };
    Value result;
    if (width == 32) {
      result = shuffle32(raw);
    } else if (width < 32) {
      Value word = arith::ExtUIOp::create(b, loc, i32, raw);
      result = arith::TruncIOp::create(b, loc, bits, shuffle32(word));
    } else {
      // 64 bits: the two halves.
      Value shift = arith::ConstantOp::create(b, loc, b.getIntegerAttr(bits, 32));
      Value low = arith::TruncIOp::create(b, loc, i32, raw);
      Value high = arith::TruncIOp::create(
          b, loc, i32, arith::ShRUIOp::create(b, loc, raw, shift));
      Value lowWide = arith::ExtUIOp::create(b, loc, bits, shuffle32(low));
      Value highWide = arith::ExtUIOp::create(b, loc, bits, shuffle32(high));
      result = arith::OrIOp::create(
          b, loc, lowWide, arith::ShLIOp::create(b, loc, highWide, shift));
    }
    if (isa<FloatType>(type))
      result = arith::BitcastOp::create(b, loc, type, result);
    return result;
  }

  /// Combines the partial results `mine` with `theirs`.
  SmallVector<Value> combine(ArrayRef<Value> mine, ArrayRef<Value> theirs) {
    if (!plan.argForm) {
      SmallVector<Value> out;
      for (auto [combiner, a, c] : llvm::zip(plan.combiners, mine, theirs)) {
        IRMapping mapping;
        mapping.map(combiner->getOperand(0), a);
        mapping.map(combiner->getOperand(1), c);
        out.push_back(b.clone(*combiner, mapping)->getResult(0));
      }
      return out;
    }
    Value value = mine[0], idx = mine[1];
    Value otherValue = theirs[0], otherIdx = theirs[1];
    Value better, equal;
    if (plan.isFloat) {
      better = arith::CmpFOp::create(
          b, loc, static_cast<arith::CmpFPredicate>(plan.strictPredicate),
          otherValue, value);
      equal = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                    otherValue, value);
    } else {
      better = arith::CmpIOp::create(
          b, loc, static_cast<arith::CmpIPredicate>(plan.strictPredicate),
          otherValue, value);
      equal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                    otherValue, value);
    }
    Value otherIdxWide = otherIdx, idxWide = idx;
    if (otherIdx.getType().isIndex()) {
      otherIdxWide =
          arith::IndexCastOp::create(b, loc, b.getI64Type(), otherIdx);
      idxWide = arith::IndexCastOp::create(b, loc, b.getI64Type(), idx);
    }
    Value tieWins = arith::CmpIOp::create(
        b, loc,
        plan.firstIndex ? arith::CmpIPredicate::slt : arith::CmpIPredicate::sgt,
        otherIdxWide, idxWide);
    Value take = arith::OrIOp::create(
        b, loc, better, arith::AndIOp::create(b, loc, equal, tieWins));
    return {arith::SelectOp::create(b, loc, take, otherValue, value),
            arith::SelectOp::create(b, loc, take, otherIdx, idx)};
  }

  /// Butterfly over groups of `lanes` (a power of two up to 32) lanes:
  /// afterwards every lane holds the combination of its group's values.
  SmallVector<Value> butterfly(SmallVector<Value> values, int64_t lanes) {
    for (int64_t offset = lanes / 2; offset >= 1; offset /= 2) {
      SmallVector<Value> theirs;
      for (Value value : values)
        theirs.push_back(shuffleXor(value, static_cast<int32_t>(offset)));
      values = combine(values, theirs);
    }
    return values;
  }

  OpBuilder &b;
  Location loc;
  linalg::LinalgOp op;
  const ReductionPlan &plan;
  Value tid;
  int64_t threads;
};

} // namespace

std::optional<int64_t> mlir::fuse::rowReductionThreads(Operation *op,
                                                       Attribute tile) {
  std::optional<Schedule> schedule = scheduleOf(tile);
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!schedule || !linalgOp || !matchRowReduction(linalgOp))
    return std::nullopt;
  if (*schedule == Schedule::RowPerBlock)
    return int64_t(1) << 30; // the whole block, whatever the tile gives
  int64_t rows = 1;
  Dims dims = dimsOf(linalgOp);
  SmallVector<int64_t> bounds = linalgOp.getStaticLoopRanges();
  for (unsigned dim : dims.parallel) {
    if (ShapedType::isDynamic(bounds[dim]))
      return std::nullopt;
    rows *= bounds[dim];
  }
  return std::max<int64_t>(rows, 1) * kWarpSize;
}

bool mlir::fuse::emitRowReduction(OpBuilder &b, linalg::LinalgOp op,
                                  Value tid) {
  auto launch = op->getParentOfType<gpu::LaunchOp>();
  if (!launch)
    return false;
  std::optional<Schedule> schedule = scheduleOf(launch->getAttr("fuse.tile"));
  std::optional<int64_t> threads = getConstantIntValue(launch.getBlockSizeX());
  std::optional<int64_t> ny = getConstantIntValue(launch.getBlockSizeY());
  std::optional<int64_t> nz = getConstantIntValue(launch.getBlockSizeZ());
  if (!schedule || !threads || *threads <= 0 || *threads % kWarpSize != 0 ||
      ny != 1 || nz != 1)
    return false;
  std::optional<ReductionPlan> plan = matchRowReduction(op);
  if (!plan)
    return false;
  RowReductionEmitter(b, op.getLoc(), op, *plan, tid, *threads)
      .emit(*schedule, launch);
  return true;
}
