//===- Reductions.cpp - reductions and normalizations to linalg -----------===//
//
// A reduction is a linalg.generic over the input's dims with reduction
// iterators on the reduced ones, writing a filled tensor of the kept dims;
// keepdims expands that back with tensor.expand_shape. softmax, log_softmax
// and the normalizations reduce first (max, sums, moments) and then combine
// the input with the reduced values in one parallel generic. Everything is
// numerically stable: exponentials are taken of `x - max`. With wide
// accumulation (the CPU path) f16/bf16 sums, moments and the normalizing
// arithmetic run in f32 and are rounded once at the end; max and min stay in
// the element type (they are exact).
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::linalg_lowering;

namespace {

using utils::IteratorType;

using ReduceBody =
    function_ref<Value(OpBuilder &, Location, Value, ValueRange, Value)>;

/// The map from a loop nest over every dim to the dims not `reduced`.
AffineMap keptMap(MLIRContext *context, ArrayRef<bool> reduced) {
  SmallVector<AffineExpr> exprs;
  for (auto [i, isReduced] : llvm::enumerate(reduced))
    if (!isReduced)
      exprs.push_back(getAffineDimExpr(i, context));
  return AffineMap::get(reduced.size(), 0, exprs, context);
}

/// The type of `input` without the `reduced` dims.
RankedTensorType keptType(Value input, ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (auto [size, isReduced] : llvm::zip(type.getShape(), reduced))
    if (!isReduced)
      shape.push_back(size);
  return RankedTensorType::get(shape, type.getElementType());
}

/// The type of `input` without the `reduced` dims, of element type
/// `element`.
RankedTensorType keptType(Value input, ArrayRef<bool> reduced, Type element) {
  return RankedTensorType::get(keptType(input, reduced).getShape(), element);
}

/// Folds the `reduced` dims of `input` into a tensor of the kept dims that
/// starts at the scalar `initValue` (whose type is the accumulator's).
/// `extras` have the kept shape and are read next to each element;
/// `body(b, loc, x, extras, acc)` returns the new accumulator, with `x` and
/// the extras extended to a wider float accumulator.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<bool> reduced, Value initValue, ValueRange extras,
                     ReduceBody body) {
  MLIRContext *context = b.getContext();
  Type accType = initValue.getType();
  RankedTensorType resultType = keptType(input, reduced, accType);
  AffineMap kept = keptMap(context, reduced);
  SmallVector<AffineMap> maps = {
      AffineMap::getMultiDimIdentityMap(reduced.size(), context)};
  maps.append(extras.size() + 1, kept);
  SmallVector<IteratorType> iterators;
  for (bool isReduced : reduced)
    iterators.push_back(isReduced ? IteratorType::reduction
                                  : IteratorType::parallel);
  SmallVector<Value> inputs = {input};
  inputs.append(extras.begin(), extras.end());
  Value init =
      linalg::FillOp::create(b, loc, initValue, emptyTensor(b, loc, resultType))
          .getResult(0);
  return linalg::GenericOp::create(
             b, loc, resultType, inputs, ValueRange{init}, maps, iterators,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               SmallVector<Value> wide;
               for (Value arg : args.drop_back())
                 wide.push_back(widen(nested, nestedLoc, arg, accType));
               Value acc =
                   body(nested, nestedLoc, wide.front(),
                        ArrayRef<Value>(wide).drop_front(), args.back());
               linalg::YieldOp::create(nested, nestedLoc, acc);
             })
      .getResult(0);
}

/// A parallel linalg.generic over `type` reading `inputs` through
/// `inputMaps`.
Value buildParallel(
    OpBuilder &b, Location loc, RankedTensorType type, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  return buildParallelGeneric(
      b, loc, type, inputs, inputMaps,
      [&](OpBuilder &nested, Location l, ValueRange args, ValueRange) {
        return body(nested, l, args);
      },
      /*withIndices=*/false);
}

Value cst(OpBuilder &b, Location loc, Value like, double value) {
  return scalarConstant(b, loc, like.getType(), value);
}

Value expOfDifference(OpBuilder &b, Location loc, Value x, Value max) {
  return math::ExpOp::create(b, loc, arith::SubFOp::create(b, loc, x, max));
}

/// The dims from `axis` on (or only `axis`) marked as reduced.
SmallVector<bool> reducedFrom(int64_t rank, int64_t axis, bool onlyAxis) {
  SmallVector<bool> reduced(rank, false);
  for (int64_t i = axis; i < (onlyAxis ? axis + 1 : rank); ++i)
    reduced[i] = true;
  return reduced;
}

//===----------------------------------------------------------------------===//
// reduce
//===----------------------------------------------------------------------===//

/// Reassociation grouping each kept dim of the keepdims result with the
/// size-1 reduced dims around it.
SmallVector<ReassociationIndices> keepdimsGroups(ArrayRef<bool> reduced) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (auto [i, isReduced] : llvm::enumerate(reduced)) {
    if (isReduced && groups.empty()) {
      pending.push_back(i);
      continue;
    }
    if (isReduced) {
      groups.back().push_back(i);
      continue;
    }
    pending.push_back(i);
    groups.push_back(std::move(pending));
    pending.clear();
  }
  return groups;
}

struct ReduceLowering : OpRewritePattern<ReduceOp> {
  ReduceLowering(MLIRContext *context, bool wide)
      : OpRewritePattern(context), wide(wide) {}
  /// f16/bf16 sums accumulate in f32.
  bool wide;

  LogicalResult matchAndRewrite(ReduceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = inputType.getElementType();
    bool isFloat = isa<FloatType>(elementType);
    ReduceKind kind = op.getKind();
    if (!isFloat && (kind == ReduceKind::l2 || kind == ReduceKind::log_sum ||
                     kind == ReduceKind::log_sum_exp))
      return rewriter.notifyMatchFailure(op, "needs a float element type");

    int64_t rank = inputType.getRank();
    SmallVector<bool> reduced(rank, op.getAxes().empty());
    for (int64_t axis : op.getAxes())
      reduced[axis] = true;
    int64_t count = 1;
    for (int64_t i = 0; i < rank; ++i)
      if (reduced[i])
        count *= inputType.getDimSize(i);
    if (kind == ReduceKind::mean && !isFloat && count == 0)
      return rewriter.notifyMatchFailure(op, "integer mean of nothing");

    auto add = [](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
      return scalarAdd(b, l, acc, x);
    };
    RankedTensorType type = keptType(input, reduced);
    Type accElement = accumulatorType(type, wide).getElementType();
    // The start of a sum-like fold (in the accumulator's type).
    auto constant = [&](double value) {
      return scalarConstant(rewriter, loc, accElement, value);
    };
    Value result;
    switch (kind) {
    case ReduceKind::sum:
    case ReduceKind::mean:
    case ReduceKind::log_sum:
      result =
          buildReduction(rewriter, loc, input, reduced, constant(0.0), {}, add);
      break;
    case ReduceKind::max:
      result = buildReduction(
          rewriter, loc, input, reduced,
          scalarConstant(rewriter, loc, elementType, lowestValue(elementType)),
          {}, [](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
            return scalarMax(b, l, acc, x);
          });
      break;
    case ReduceKind::min:
      result =
          buildReduction(rewriter, loc, input, reduced,
                         scalarConstant(rewriter, loc, elementType,
                                        highestValue(elementType)), {},
                         [](OpBuilder &b, Location l, Value x, ValueRange,
                            Value acc) { return scalarMin(b, l, acc, x); });
      break;
    case ReduceKind::prod:
      result =
          buildReduction(rewriter, loc, input, reduced, constant(1.0), {},
                         [](OpBuilder &b, Location l, Value x, ValueRange,
                            Value acc) { return scalarMul(b, l, acc, x); });
      break;
    case ReduceKind::l1:
      result = buildReduction(
          rewriter, loc, input, reduced, constant(0.0), {},
          [](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
            Value abs = isa<FloatType>(x.getType())
                            ? Value(math::AbsFOp::create(b, l, x))
                            : Value(math::AbsIOp::create(b, l, x));
            return scalarAdd(b, l, acc, abs);
          });
      break;
    case ReduceKind::l2:
    case ReduceKind::sum_square:
      result = buildReduction(
          rewriter, loc, input, reduced, constant(0.0), {},
          [](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
            return scalarAdd(b, l, acc, scalarMul(b, l, x, x));
          });
      break;
    case ReduceKind::log_sum_exp: {
      Value max = buildReduction(
          rewriter, loc, input, reduced,
          scalarConstant(rewriter, loc, elementType, lowestValue(elementType)),
          {}, [](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
            return scalarMax(b, l, acc, x);
          });
      // An infinite max would make `x - max` NaN; shift by 0 instead.
      Value shift = buildElementwise(
          rewriter, loc, type, max,
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value m = args[0];
            Value infinite = arith::CmpFOp::create(
                b, l, arith::CmpFPredicate::OEQ, math::AbsFOp::create(b, l, m),
                cst(b, l, m, highestValue(m.getType())));
            return arith::SelectOp::create(b, l, infinite, cst(b, l, m, 0.0),
                                           m);
          });
      Value sum = buildReduction(
          rewriter, loc, input, reduced, constant(0.0), shift,
          [](OpBuilder &b, Location l, Value x, ValueRange extras, Value acc) {
            return scalarAdd(b, l, acc, expOfDifference(b, l, x, extras[0]));
          });
      result = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(sum.getType()),
          ValueRange{sum, shift},
          [](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value log = math::LogOp::create(b, l, args[0]);
            return arith::AddFOp::create(b, l, log,
                                         widen(b, l, args[1], log.getType()));
          });
      break;
    }
    }

    if (kind == ReduceKind::mean || kind == ReduceKind::l2 ||
        kind == ReduceKind::log_sum) {
      result = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(result.getType()), result,
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            Value x = args[0];
            if (kind == ReduceKind::l2)
              return math::SqrtOp::create(b, l, x);
            if (kind == ReduceKind::log_sum)
              return math::LogOp::create(b, l, x);
            Value n = cst(b, l, x, static_cast<double>(count));
            if (isFloat)
              return arith::DivFOp::create(b, l, x, n);
            return arith::DivSIOp::create(b, l, x, n);
          });
    }

    result = narrowTo(rewriter, loc, result, type);
    if (type != resultType)
      result = tensor::ExpandShapeOp::create(rewriter, loc, resultType, result,
                                             keepdimsGroups(reduced));
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// softmax and log_softmax
//===----------------------------------------------------------------------===//

/// max and sum(exp(x - max)) along `axis`, then `combine(x, max, sum)`.
template <typename OpTy> struct SoftmaxLowering : OpRewritePattern<OpTy> {
  SoftmaxLowering(MLIRContext *context, bool wide)
      : OpRewritePattern<OpTy>(context), wide(wide) {}
  /// f16/bf16 sum and normalize in f32.
  bool wide;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    SmallVector<bool> reduced =
        reducedFrom(type.getRank(), op.getAxis(), /*onlyAxis=*/true);
    Type elementType = type.getElementType();
    Type accElement = accumulatorType(type, wide).getElementType();
    Value max = buildReduction(
        rewriter, loc, input, reduced,
        scalarConstant(rewriter, loc, elementType, lowestValue(elementType)),
        {}, [](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
          return scalarMax(b, l, acc, x);
        });
    Value sum = buildReduction(
        rewriter, loc, input, reduced,
        scalarConstant(rewriter, loc, accElement, 0.0), max,
        [](OpBuilder &b, Location l, Value x, ValueRange extras, Value acc) {
          return scalarAdd(b, l, acc, expOfDifference(b, l, x, extras[0]));
        });
    AffineMap kept = keptMap(context, reduced);
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(type.getRank(), context), kept, kept};
    constexpr bool isLog = std::is_same_v<OpTy, LogSoftmaxOp>;
    Value result = buildParallel(
        rewriter, loc, type, ValueRange{input, max, sum}, maps,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value sum = args[2];
          Value shifted =
              arith::SubFOp::create(b, l, widen(b, l, args[0], sum.getType()),
                                    widen(b, l, args[1], sum.getType()));
          Value y = isLog ? Value(arith::SubFOp::create(
                                b, l, shifted, math::LogOp::create(b, l, sum)))
                          : Value(arith::DivFOp::create(
                                b, l, math::ExpOp::create(b, l, shifted), sum));
          if (y.getType() != elementType)
            y = arith::TruncFOp::create(b, l, elementType, y);
          return y;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// layer_norm and batch_norm
//===----------------------------------------------------------------------===//

struct LayerNormLowering : OpRewritePattern<LayerNormOp> {
  LayerNormLowering(MLIRContext *context, bool wide)
      : OpRewritePattern(context), wide(wide) {}
  /// f16/bf16 moments and normalization in f32.
  bool wide;

  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    Value input = op.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    SmallVector<bool> reduced =
        reducedFrom(rank, op.getAxis(), /*onlyAxis=*/false);
    int64_t count = 1;
    for (int64_t size : type.getShape().drop_front(op.getAxis()))
      count *= size;

    auto add = [](OpBuilder &b, Location l, Value x, ValueRange, Value acc) {
      return scalarAdd(b, l, acc, x);
    };
    Type elementType = type.getElementType();
    Type accElement = accumulatorType(type, wide).getElementType();
    Value zero = scalarConstant(rewriter, loc, accElement, 0.0);
    Value sum = buildReduction(rewriter, loc, input, reduced, zero, {}, add);
    RankedTensorType momentType = keptType(input, reduced, accElement);
    Value mean = buildElementwise(
        rewriter, loc, momentType, sum,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          return arith::DivFOp::create(
              b, l, args[0], cst(b, l, args[0], static_cast<double>(count)));
        });
    Value squares = buildReduction(
        rewriter, loc, input, reduced, zero, mean,
        [](OpBuilder &b, Location l, Value x, ValueRange extras, Value acc) {
          Value centered = arith::SubFOp::create(b, l, x, extras[0]);
          return scalarAdd(b, l, acc, scalarMul(b, l, centered, centered));
        });

    AffineMap kept = keptMap(context, reduced);
    SmallVector<Value> inputs = {input, mean, squares};
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, context), kept, kept};
    for (Value affine : {op.getScale(), op.getBias()}) {
      if (!affine)
        continue;
      inputs.push_back(affine);
      maps.push_back(broadcastMap(
          context, cast<RankedTensorType>(affine.getType()).getShape(), rank));
    }
    bool hasScale = static_cast<bool>(op.getScale());
    bool hasBias = static_cast<bool>(op.getBias());
    double epsilon = op.getEpsilon().convertToDouble();
    Value result = buildParallel(
        rewriter, loc, type, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange narrowArgs) -> Value {
          SmallVector<Value> args;
          for (Value arg : narrowArgs)
            args.push_back(widen(b, l, arg, accElement));
          Value variance = arith::DivFOp::create(
              b, l, args[2], cst(b, l, args[2], static_cast<double>(count)));
          Value stddev = math::SqrtOp::create(
              b, l,
              arith::AddFOp::create(b, l, variance,
                                    cst(b, l, variance, epsilon)));
          Value y = arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, args[0], args[1]), stddev);
          unsigned next = 3;
          if (hasScale)
            y = arith::MulFOp::create(b, l, y, args[next++]);
          if (hasBias)
            y = arith::AddFOp::create(b, l, y, args[next]);
          if (y.getType() != elementType)
            y = arith::TruncFOp::create(b, l, elementType, y);
          return y;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct BatchNormLowering : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    MLIRContext *context = op.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    unsigned rank = type.getRank();
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(1, context), context);
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, context), channel, channel,
        channel, channel};
    double epsilon = op.getEpsilon().convertToDouble();
    Value result = buildParallel(
        rewriter, op.getLoc(), type,
        ValueRange{op.getInput(), op.getScale(), op.getBias(), op.getMean(),
                   op.getVariance()},
        maps, [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value stddev = math::SqrtOp::create(
              b, l,
              arith::AddFOp::create(b, l, args[4],
                                    cst(b, l, args[4], epsilon)));
          Value normalized = arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, args[0], args[3]), stddev);
          return arith::AddFOp::create(
              b, l, arith::MulFOp::create(b, l, normalized, args[1]), args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::fuse::populateReductionToLinalgPatterns(RewritePatternSet &patterns,
                                                   bool wideAccumulation) {
  patterns.add<ReduceLowering, SoftmaxLowering<SoftmaxOp>,
               SoftmaxLowering<LogSoftmaxOp>, LayerNormLowering>(
      patterns.getContext(), wideAccumulation);
  patterns.add<BatchNormLowering>(patterns.getContext());
}
