//===- LayerNorm.cpp - Decomposed layer normalization as fuse.layer_norm --===//
//
// ReduceMean, Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div (or Rsqrt / a
// reciprocal and Mul), as PyTorch exports LayerNorm before opset 17, becomes
// fuse.layer_norm; a following Mul by gamma and Add of beta become its scale
// and bias.
//
//===----------------------------------------------------------------------===//

#include "Rewrite/RewriteUtils.h"

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::rewrite;

namespace {

//===----------------------------------------------------------------------===//
// layer_norm
//===----------------------------------------------------------------------===//

/// The first normalized axis of a keepdims mean over a trailing range of
/// dims, or nothing.
std::optional<int64_t> trailingMeanAxis(ReduceOp reduce) {
  if (!reduce || reduce.getKind() != ReduceKind::mean || !reduce.getKeepdims())
    return std::nullopt;
  int64_t rank = cast<RankedTensorType>(reduce.getInput().getType()).getRank();
  ArrayRef<int64_t> axes = reduce.getAxes();
  if (axes.empty())
    return 0;
  for (auto [i, a] : llvm::enumerate(axes))
    if (a != rank - static_cast<int64_t>(axes.size()) + static_cast<int64_t>(i))
      return std::nullopt;
  return axes.front();
}

/// (x - mean(x)) / sqrt(mean((x - mean(x))^2) + eps), also with rsqrt or a
/// reciprocal times the difference -> layer_norm(x) without scale and bias.

template <typename OpT>
struct RecognizeLayerNormAt : CountedPattern<OpT> {
  using CountedPattern<OpT>::CountedPattern;
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    // Find (diff, denominator-producing chain) in the root.
    Value diff, variancePlusEps;
    auto fromSqrt = [](Value v) -> Value {
      if (auto sqrt = singleUse<SqrtOp>(v))
        return sqrt.getInput();
      return {};
    };
    if constexpr (std::is_same_v<OpT, DivOp>) {
      diff = op.getLhs();
      variancePlusEps = fromSqrt(op.getRhs());
    } else {
      for (auto [a, b] : {std::pair{op.getLhs(), op.getRhs()},
                          std::pair{op.getRhs(), op.getLhs()}}) {
        if (auto rsqrt = singleUse<RsqrtOp>(b)) {
          diff = a;
          variancePlusEps = rsqrt.getInput();
          break;
        }
        if (auto rec = singleUse<ReciprocalOp>(b)) {
          if (Value v = fromSqrt(rec.getInput())) {
            diff = a;
            variancePlusEps = v;
            break;
          }
        }
        // 1 / sqrt(.) written as a div.
        if (auto div = singleUse<DivOp>(b)) {
          std::optional<double> one = getSplatFloat(div.getLhs());
          Value v = fromSqrt(div.getRhs());
          if (one && *one == 1.0 && v && div.getType() == div.getRhs().getType()) {
            diff = a;
            variancePlusEps = v;
            break;
          }
        }
      }
    }
    if (!diff || !variancePlusEps || !isFloatTensor(diff) ||
        diff.getType() != op.getType())
      return failure();
    auto sub = diff.getDefiningOp<SubOp>();
    if (!sub)
      return failure();
    Value x = sub.getLhs();
    auto mean = singleUse<ReduceOp>(sub.getRhs());
    std::optional<int64_t> axis = trailingMeanAxis(mean);
    if (!axis || mean.getInput() != x || x.getType() != diff.getType())
      return failure();
    // variance (+ eps)
    double eps = 0.0;
    Value variance = variancePlusEps;
    if (auto add = singleUse<AddOp>(variancePlusEps)) {
      for (auto [v, c] : {std::pair{add.getLhs(), add.getRhs()},
                          std::pair{add.getRhs(), add.getLhs()}})
        if (std::optional<double> e = getSplatFloat(c)) {
          eps = *e;
          variance = v;
          break;
        }
      if (variance == variancePlusEps || variance.getType() != add.getType())
        return failure();
    }
    auto varReduce = singleUse<ReduceOp>(variance);
    if (!varReduce || trailingMeanAxis(varReduce) != axis ||
        eps < 0.0)
      return failure();
    Operation *square = varReduce.getInput().getDefiningOp();
    if (!square || !varReduce.getInput().hasOneUse())
      return failure();
    if (auto pow = dyn_cast<PowOp>(square)) {
      std::optional<double> e = getSplatFloat(pow.getRhs());
      if (pow.getLhs() != diff || !e || *e != 2.0)
        return failure();
    } else if (auto mul = dyn_cast<MulOp>(square)) {
      if (mul.getLhs() != diff || mul.getRhs() != diff)
        return failure();
    } else {
      return failure();
    }
    // The difference feeds only the square and the root.
    for (Operation *user : diff.getUsers())
      if (user != square && user != op.getOperation())
        return failure();
    if (square->getResult(0).getType() != diff.getType())
      return failure();
    rewriter.replaceOpWithNewOp<LayerNormOp>(
        op, op.getType(), x, Value(), Value(),
        rewriter.getI64IntegerAttr(*axis),
        rewriter.getF32FloatAttr(static_cast<float>(eps)));
    this->count();
    return success();
  }
};

/// `value` as an operand that broadcasts to `normalized` (leading unit dims
/// dropped by a reshape), or null.
Value asNormalizedOperand(PatternRewriter &rewriter, Location loc, Value value,
                          ArrayRef<int64_t> normalized) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  while (shape.size() > normalized.size()) {
    if (shape.front() != 1)
      return {};
    shape = shape.drop_front();
  }
  FailureOr<SmallVector<int64_t>> merged = broadcastShapes(normalized, shape);
  if (failed(merged) || ArrayRef<int64_t>(*merged) != normalized)
    return {};
  if (shape.size() == static_cast<size_t>(type.getRank()))
    return value;
  return ReshapeOp::create(rewriter, loc, value, shape);
}

/// mul(layer_norm(x), gamma) -> layer_norm(x) scale gamma;
/// add(layer_norm(x), beta) -> layer_norm(x) bias beta.
template <typename OpT>
struct AbsorbLayerNormAffine : CountedPattern<OpT> {
  using CountedPattern<OpT>::CountedPattern;
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    constexpr bool isScale = std::is_same_v<OpT, MulOp>;
    for (auto [a, b] : {std::pair{op.getLhs(), op.getRhs()},
                        std::pair{op.getRhs(), op.getLhs()}}) {
      auto ln = singleUse<LayerNormOp>(a);
      if (!ln || ln.getType() != op.getType() || ln.getBias() ||
          (isScale && ln.getScale()))
        continue;
      auto type = cast<RankedTensorType>(ln.getType());
      ArrayRef<int64_t> normalized = type.getShape().drop_front(ln.getAxis());
      auto bType = dyn_cast<RankedTensorType>(b.getType());
      if (!bType || bType.getElementType() != type.getElementType())
        continue;
      rewriter.setInsertionPoint(op);
      Value operand = asNormalizedOperand(rewriter, op.getLoc(), b, normalized);
      if (!operand)
        continue;
      Value scale = isScale ? operand : ln.getScale();
      Value bias = isScale ? Value() : operand;
      rewriter.replaceOpWithNewOp<LayerNormOp>(
          op, op.getType(), ln.getInput(), scale, bias, ln.getAxisAttr(),
          ln.getEpsilonAttr());
      rewriter.eraseOp(ln);
      this->count();
      return success();
    }
    return failure();
  }
};

} // namespace

void rewrite::populateLayerNormPatterns(RewritePatternSet &patterns,
                                        Stats *stats) {
  MLIRContext *context = patterns.getContext();
  patterns.add<RecognizeLayerNormAt<DivOp>>(context, stats, "layer-norm");
  patterns.add<RecognizeLayerNormAt<MulOp>>(context, stats, "layer-norm");
  patterns.add<AbsorbLayerNormAffine<MulOp>>(context, stats,
                                             "layer-norm-scale");
  patterns.add<AbsorbLayerNormAffine<AddOp>>(context, stats,
                                             "layer-norm-bias");
}
