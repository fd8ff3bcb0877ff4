//===- IndexOps.cpp - arg_max/min, cumsum, gathers and scatters -----------===//
//
// arg_max/arg_min are one linalg.generic with a reduction iterator on the
// axis and two outputs (the running extreme and its index). cumsum is a
// generic with an extra reduction dim `k` that adds `input[.., k, ..]` when
// `k` lies before (or, reversed, after) the output position. The gathers are
// parallel generics over the output that compute the source position from
// linalg.index values and the index tensor, and read it with tensor.extract.
// The scatters must apply their updates in order (duplicates, reductions),
// so they are an scf.for nest over the updates that threads the output
// tensor through tensor.extract / tensor.insert.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "Fuse/Conversion/FuseToLinalg.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::linalg_lowering;

namespace {

using utils::IteratorType;

Value cIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// An index scalar read from an index tensor, wrapped when negative (ONNX:
/// counts from the end) and clamped into [0, dim) so that an invalid index
/// never reads or writes out of bounds.
Value normalizedIndex(OpBuilder &b, Location loc, Value raw, int64_t dim) {
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
  Value zero = cIndex(b, loc, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::SelectOp::create(
      b, loc, negative,
      arith::AddIOp::create(b, loc, index, cIndex(b, loc, dim)), index);
  Value low = arith::MaxSIOp::create(b, loc, wrapped, zero);
  return arith::MinSIOp::create(b, loc, low, cIndex(b, loc, dim - 1));
}

//===----------------------------------------------------------------------===//
// arg_max, arg_min
//===----------------------------------------------------------------------===//

template <typename OpTy, bool isMax>
struct ArgReduceLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value input = op.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type element = inType.getElementType();
    int64_t axis = op.getAxis(), rank = inType.getRank();
    bool last = op.getSelectLastIndex();

    SmallVector<int64_t> kept;
    SmallVector<AffineExpr> keptExprs;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis) {
        kept.push_back(inType.getDimSize(d));
        keptExprs.push_back(getAffineDimExpr(d, context));
      }
    auto valueType = RankedTensorType::get(kept, element);
    auto indexType = RankedTensorType::get(kept, rewriter.getI64Type());
    AffineMap keptMap = AffineMap::get(rank, 0, keptExprs, context);
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, context), keptMap, keptMap};
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators[axis] = IteratorType::reduction;
    Value initValue = filledTensor(
        rewriter, loc, valueType,
        isMax ? lowestValue(element) : highestValue(element));
    Value initIndex = filledTensor(rewriter, loc, indexType, 0);

    bool isFloat = isa<FloatType>(element);
    arith::CmpFPredicate fp =
        isMax ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
              : (last ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT);
    arith::CmpIPredicate ip =
        isMax ? (last ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sgt)
              : (last ? arith::CmpIPredicate::sle : arith::CmpIPredicate::slt);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType}, ValueRange{input},
        ValueRange{initValue, initIndex}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value better =
              isFloat ? Value(arith::CmpFOp::create(b, l, fp, x, best))
                      : Value(arith::CmpIOp::create(b, l, ip, x, best));
          Value index = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, better, x, best),
                         arith::SelectOp::create(b, l, better, index,
                                                 bestIndex)});
        });
    Value result = generic.getResult(1);
    if (indexType != resultType) {
      // keepdims: the size-1 axis joins its left neighbour's group (or the
      // first group when it leads).
      SmallVector<ReassociationIndices> groups;
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis)
          groups.push_back({d});
      if (!groups.empty()) {
        if (axis == 0)
          groups.front().insert(groups.front().begin(), 0);
        else
          groups[axis - 1].push_back(axis);
      }
      result = tensor::ExpandShapeOp::create(rewriter, loc, resultType, result,
                                             groups);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// cumsum
//===----------------------------------------------------------------------===//

struct CumSumLowering : OpRewritePattern<CumSumOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(CumSumOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxis(), rank = type.getRank();
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    // Loop dims 0..rank-1 are output positions, dim `rank` is the summed k.
    SmallVector<AffineExpr> inputExprs;
    for (int64_t d = 0; d < rank; ++d)
      inputExprs.push_back(getAffineDimExpr(d == axis ? rank : d, context));
    SmallVector<AffineExpr> outputExprs;
    for (int64_t d = 0; d < rank; ++d)
      outputExprs.push_back(getAffineDimExpr(d, context));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inputExprs, context),
        AffineMap::get(rank + 1, 0, outputExprs, context)};
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    iterators.push_back(IteratorType::reduction);
    arith::CmpIPredicate pred =
        op.getReverse()
            ? (op.getExclusive() ? arith::CmpIPredicate::ugt
                                 : arith::CmpIPredicate::uge)
            : (op.getExclusive() ? arith::CmpIPredicate::ult
                                 : arith::CmpIPredicate::ule);
    Value init = filledTensor(rewriter, loc, type, 0.0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{op.getInput()},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value k = linalg::IndexOp::create(b, l, rank);
          Value i = linalg::IndexOp::create(b, l, axis);
          Value inRange = arith::CmpIOp::create(b, l, pred, k, i);
          Value sum = scalarAdd(b, l, args[1], args[0]);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, inRange, sum, args[1])});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// gather_elements, gather_nd
//===----------------------------------------------------------------------===//

struct GatherElementsLowering : OpRewritePattern<GatherElementsOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GatherElementsOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = op.getData();
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxis(), rank = type.getRank();
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    int64_t dim = cast<RankedTensorType>(data.getType()).getDimSize(axis);
    Value result = buildParallelGeneric(
        rewriter, loc, type, op.getIndices(),
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext()),
        [&](OpBuilder &b, Location l, ValueRange args, ValueRange ivs) {
          SmallVector<Value> coords(ivs);
          coords[axis] = normalizedIndex(b, l, args[0], dim);
          return tensor::ExtractOp::create(b, l, data, coords).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The data coordinates of index tuple `prefix` (positions in indices
/// without the last dim) for gather_nd and scatter_nd: the batch ivs, then
/// the k tuple entries, then `rest`.
SmallVector<Value> tupleCoords(OpBuilder &b, Location loc, Value indices,
                               RankedTensorType dataType, ValueRange prefix,
                               int64_t batch, ValueRange rest) {
  int64_t k = cast<RankedTensorType>(indices.getType()).getShape().back();
  SmallVector<Value> coords(prefix.take_front(batch));
  for (int64_t j = 0; j < k; ++j) {
    SmallVector<Value> at(prefix);
    at.push_back(cIndex(b, loc, j));
    Value raw = tensor::ExtractOp::create(b, loc, indices, at);
    coords.push_back(
        normalizedIndex(b, loc, raw, dataType.getDimSize(batch + j)));
  }
  llvm::append_range(coords, rest);
  return coords;
}

struct GatherNDLowering : OpRewritePattern<GatherNDOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GatherNDOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = op.getData(), indices = op.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t q = cast<RankedTensorType>(indices.getType()).getRank();
    int64_t batch = op.getBatchDims();
    RankedTensorType type = op.getType();
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    Value result = buildParallelGeneric(
        rewriter, loc, type, ValueRange{}, {},
        [&](OpBuilder &b, Location l, ValueRange, ValueRange ivs) {
          SmallVector<Value> coords =
              tupleCoords(b, l, indices, dataType, ivs.take_front(q - 1),
                          batch, ivs.drop_front(q - 1));
          return tensor::ExtractOp::create(b, l, data, coords).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// scatter_elements, scatter_nd
//===----------------------------------------------------------------------===//

Value combine(OpBuilder &b, Location loc, ScatterReduction reduction,
              Value old, Value update) {
  switch (reduction) {
  case ScatterReduction::none:
    return update;
  case ScatterReduction::add:
    return scalarAdd(b, loc, old, update);
  case ScatterReduction::mul:
    return scalarMul(b, loc, old, update);
  case ScatterReduction::max:
    return scalarMax(b, loc, old, update);
  case ScatterReduction::min:
    return scalarMin(b, loc, old, update);
  }
  return update;
}

/// The data coordinates that the update at `ivs` of `op` (a
/// fuse.scatter_elements or fuse.scatter_nd) goes to.
SmallVector<Value> scatterTarget(OpBuilder &b, Location loc, Operation *op,
                                 ValueRange ivs) {
  if (auto elements = dyn_cast<ScatterElementsOp>(op)) {
    int64_t axis = elements.getAxis();
    SmallVector<Value> coords(ivs);
    Value raw = tensor::ExtractOp::create(b, loc, elements.getIndices(), ivs);
    coords[axis] =
        normalizedIndex(b, loc, raw, elements.getType().getDimSize(axis));
    return coords;
  }
  auto nd = cast<ScatterNDOp>(op);
  Value indices = nd.getIndices();
  int64_t q = cast<RankedTensorType>(indices.getType()).getRank();
  return tupleCoords(b, loc, indices, nd.getType(), ivs.take_front(q - 1),
                     /*batch=*/0, ivs.drop_front(q - 1));
}

ScatterReduction scatterReduction(Operation *op) {
  if (auto elements = dyn_cast<ScatterElementsOp>(op))
    return elements.getReduction();
  return cast<ScatterNDOp>(op).getReduction();
}

/// `acc` with the update at `ivs` of the scatter `op` applied.
Value applyUpdate(OpBuilder &b, Location loc, Operation *op, Value acc,
                  ValueRange ivs) {
  Value updates = op->getOperand(2);
  Value update = tensor::ExtractOp::create(b, loc, updates, ivs);
  SmallVector<Value> coords = scatterTarget(b, loc, op, ivs);
  ScatterReduction reduction = scatterReduction(op);
  if (reduction != ScatterReduction::none) {
    Value old = tensor::ExtractOp::create(b, loc, acc, coords);
    update = combine(b, loc, reduction, old, update);
  }
  return tensor::InsertOp::create(b, loc, update, acc, coords);
}

/// An scf.for nest over every element of the scatter `op`'s updates
/// (row-major), threading its data through the iterations.
Value buildScatter(OpBuilder &b, Location loc, Operation *op) {
  Value data = op->getOperand(0);
  auto updatesType = cast<RankedTensorType>(op->getOperand(2).getType());
  if (updatesType.getNumElements() == 0)
    return data;
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t size : updatesType.getShape()) {
    lbs.push_back(cIndex(b, loc, 0));
    ubs.push_back(cIndex(b, loc, size));
    steps.push_back(cIndex(b, loc, 1));
  }
  scf::LoopNest nest =
      scf::buildLoopNest(b, loc, lbs, ubs, steps, ValueRange{data},
                         [&](OpBuilder &nb, Location l, ValueRange ivs,
                             ValueRange iterArgs) -> scf::ValueVector {
                           return {applyUpdate(nb, l, op, iterArgs[0], ivs)};
                         });
  return nest.results.front();
}

template <typename OpTy> struct ScatterLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildScatter(rewriter, op.getLoc(), op));
    return success();
  }
};

} // namespace

void mlir::fuse::populateIndexOpsToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<
      ArgReduceLowering<ArgMaxOp, true>, ArgReduceLowering<ArgMinOp, false>,
      CumSumLowering, GatherElementsLowering, GatherNDLowering,
      ScatterLowering<ScatterElementsOp>, ScatterLowering<ScatterNDOp>>(
      patterns.getContext());
}

FailureOr<Value> mlir::fuse::buildScatterUpdates(OpBuilder &b,
                                                 Operation *scatter, Value dest,
                                                 Value begin, Value end,
                                                 int64_t maxIterations) {
  if (!isa<ScatterElementsOp, ScatterNDOp>(scatter))
    return failure();
  Location loc = scatter->getLoc();
  auto updatesType = cast<RankedTensorType>(scatter->getOperand(2).getType());
  ArrayRef<int64_t> shape = updatesType.getShape();
  auto loop = scf::ForOp::create(
      b, loc, begin, end, cIndex(b, loc, 1), ValueRange{dest},
      [&](OpBuilder &nb, Location l, Value position, ValueRange iterArgs) {
        // The row-major coordinates of the linear position.
        SmallVector<Value> ivs(shape.size());
        Value rest = position;
        for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
          Value size = cIndex(nb, l, shape[d]);
          ivs[d] = d == 0 ? rest : arith::RemUIOp::create(nb, l, rest, size);
          if (d > 0)
            rest = arith::DivUIOp::create(nb, l, rest, size);
        }
        scf::YieldOp::create(nb, l,
                             applyUpdate(nb, l, scatter, iterArgs[0], ivs));
      });
  loop->setAttr(kScatterUpdatesAttrName, b.getI64IntegerAttr(maxIterations));
  return loop.getResult(0);
}
