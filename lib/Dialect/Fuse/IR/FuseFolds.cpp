//===- FuseFolds.cpp - Fuse folders and canonicalization patterns ---------===//
//
// Folders remove work: identities (x+0, x*1, identity transposes and
// reshapes, no-op pads and slices), involutions (neg(neg x)), idempotent ops
// (relu(relu x)) and small constant expressions.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fuse;

/// Constant folding materializes new data; keep it to small tensors so the
/// canonicalizer never duplicates weights.
static constexpr int64_t kFoldElementLimit = 4096;

//===----------------------------------------------------------------------===//
// Constant-folding helpers
//===----------------------------------------------------------------------===//

/// A dense constant operand that constant folding may read (splat, or small).
static DenseElementsAttr foldableDense(Attribute attr, ShapedType resultType) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense)
    return nullptr;
  if (!dense.isSplat() && (dense.getType().getShape() != resultType.getShape() ||
                           dense.getNumElements() > kFoldElementLimit))
    return nullptr;
  return dense;
}

/// Converts `value` to a double, computes `fn`, and converts back into the
/// semantics of `like`.
static APFloat applyDouble(const APFloat &value,
                           llvm::function_ref<double(double)> fn) {
  bool losesInfo = false;
  APFloat result(fn(value.convertToDouble()));
  (void)result.convert(value.getSemantics(), APFloat::rmNearestTiesToEven,
                       &losesInfo);
  return result;
}

static Attribute foldUnaryFloat(Attribute operand, Type resultType,
                                llvm::function_ref<double(double)> fn) {
  auto type = cast<ShapedType>(resultType);
  if (!isa<FloatType>(type.getElementType()))
    return {};
  DenseElementsAttr dense = foldableDense(operand, type);
  if (!dense)
    return {};
  if (dense.isSplat())
    return DenseElementsAttr::get(
        type, applyDouble(dense.getSplatValue<APFloat>(), fn));
  SmallVector<APFloat> values;
  for (const APFloat &v : dense.getValues<APFloat>())
    values.push_back(applyDouble(v, fn));
  return DenseElementsAttr::get(type, values);
}

static Attribute
foldBinary(ArrayRef<Attribute> operands, Type resultType,
           llvm::function_ref<std::optional<APFloat>(APFloat, APFloat)> fFn,
           llvm::function_ref<std::optional<APInt>(APInt, APInt)> iFn) {
  auto type = cast<ShapedType>(resultType);
  if (operands.size() != 2)
    return {};
  DenseElementsAttr lhs = foldableDense(operands[0], type);
  DenseElementsAttr rhs = foldableDense(operands[1], type);
  if (!lhs || !rhs || lhs.getElementType() != type.getElementType())
    return {};
  int64_t count = type.getNumElements();
  if (count > kFoldElementLimit && !(lhs.isSplat() && rhs.isSplat()))
    return {};
  bool splat = lhs.isSplat() && rhs.isSplat();
  int64_t n = splat ? 1 : count;
  if (isa<FloatType>(type.getElementType())) {
    if (!fFn)
      return {};
    auto l = lhs.getValues<APFloat>(), r = rhs.getValues<APFloat>();
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < n; ++i) {
      std::optional<APFloat> v = fFn(lhs.isSplat() ? l[0] : l[i],
                                     rhs.isSplat() ? r[0] : r[i]);
      if (!v)
        return {};
      values.push_back(*v);
    }
    return splat ? DenseElementsAttr::get(type, values[0])
                 : DenseElementsAttr::get(type, values);
  }
  if (isa<IntegerType>(type.getElementType())) {
    if (!iFn)
      return {};
    auto l = lhs.getValues<APInt>(), r = rhs.getValues<APInt>();
    SmallVector<APInt> values;
    for (int64_t i = 0; i < n; ++i) {
      std::optional<APInt> v = iFn(lhs.isSplat() ? l[0] : l[i],
                                   rhs.isSplat() ? r[0] : r[i]);
      if (!v)
        return {};
      values.push_back(*v);
    }
    return splat ? DenseElementsAttr::get(type, values[0])
                 : DenseElementsAttr::get(type, values);
  }
  return {};
}

/// True when `attr` is a splat constant equal to `value`.
static bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  Type element = dense.getElementType();
  if (isa<FloatType>(element))
    return dense.getSplatValue<APFloat>().convertToDouble() == value;
  if (element.isInteger(1))
    return false;
  if (isa<IntegerType>(element))
    return static_cast<double>(dense.getSplatValue<APInt>().getSExtValue()) ==
           value;
  return false;
}

/// `value` if folding it away keeps the result type, else null.
static OpFoldResult sameTypeOrNull(Value value, Type resultType) {
  return value.getType() == resultType ? OpFoldResult(value) : OpFoldResult();
}

/// If `input` is produced by an op of type `OpT`, that op's input.
template <typename OpT>
static Value producerInput(Value input) {
  if (auto producer = input.getDefiningOp<OpT>())
    return producer.getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Unary folders
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (Value inner = producerInput<NegOp>(getInput()))
    return inner;
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return -x; });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<AbsOp>())
    return inner.getResult();
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return std::fabs(x); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  if (auto inner = getInput().getDefiningOp<ReluOp>())
    return inner.getResult();
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return x > 0 ? x : 0.0; });
}

OpFoldResult NotOp::fold(FoldAdaptor) {
  if (Value inner = producerInput<NotOp>(getInput()))
    return inner;
  return {};
}

#define FUSE_FOLD_UNARY(OP, EXPR)                                              \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldUnaryFloat(adaptor.getInput(), getType(),                       \
                          [](double x) -> double { return EXPR; });            \
  }
FUSE_FOLD_UNARY(ExpOp, std::exp(x))
FUSE_FOLD_UNARY(LogOp, std::log(x))
FUSE_FOLD_UNARY(SqrtOp, std::sqrt(x))
FUSE_FOLD_UNARY(RsqrtOp, 1.0 / std::sqrt(x))
FUSE_FOLD_UNARY(ReciprocalOp, 1.0 / x)
FUSE_FOLD_UNARY(SigmoidOp, 1.0 / (1.0 + std::exp(-x)))
FUSE_FOLD_UNARY(TanhOp, std::tanh(x))
FUSE_FOLD_UNARY(ErfOp, std::erf(x))
FUSE_FOLD_UNARY(FloorOp, std::floor(x))
FUSE_FOLD_UNARY(CeilOp, std::ceil(x))
FUSE_FOLD_UNARY(RoundOp, std::nearbyint(x))
FUSE_FOLD_UNARY(SinOp, std::sin(x))
FUSE_FOLD_UNARY(CosOp, std::cos(x))
#undef FUSE_FOLD_UNARY

OpFoldResult ClipOp::fold(FoldAdaptor adaptor) {
  double lo = getMin().convertToDouble(), hi = getMax().convertToDouble();
  if (std::isinf(lo) && lo < 0 && std::isinf(hi) && hi > 0)
    return getInput();
  return foldUnaryFloat(adaptor.getInput(), getType(), [&](double x) {
    return std::min(std::max(x, lo), hi);
  });
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  return sameTypeOrNull(getInput(), getType());
}

//===----------------------------------------------------------------------===//
// Binary folders
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0.0))
    if (OpFoldResult r = sameTypeOrNull(getLhs(), getType()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 0.0))
    if (OpFoldResult r = sameTypeOrNull(getRhs(), getType()))
      return r;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> { return a + b; },
      [](APInt a, APInt b) -> std::optional<APInt> { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0.0))
    if (OpFoldResult r = sameTypeOrNull(getLhs(), getType()))
      return r;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> { return a - b; },
      [](APInt a, APInt b) -> std::optional<APInt> { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult r = sameTypeOrNull(getLhs(), getType()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 1.0))
    if (OpFoldResult r = sameTypeOrNull(getRhs(), getType()))
      return r;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> { return a * b; },
      [](APInt a, APInt b) -> std::optional<APInt> { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult r = sameTypeOrNull(getLhs(), getType()))
      return r;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> { return a / b; },
      [](APInt a, APInt b) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        return a.sdiv(b);
      });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1.0))
    if (OpFoldResult r = sameTypeOrNull(getLhs(), getType()))
      return r;
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> {
        return applyDouble(a, [&](double x) {
          return std::pow(x, b.convertToDouble());
        });
      },
      nullptr);
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return sameTypeOrNull(getLhs(), getType());
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> {
        return llvm::maximum(a, b);
      },
      [](APInt a, APInt b) -> std::optional<APInt> {
        return a.sge(b) ? a : b;
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return sameTypeOrNull(getLhs(), getType());
  return foldBinary(
      adaptor.getOperands(), getType(),
      [](APFloat a, APFloat b) -> std::optional<APFloat> {
        return llvm::minimum(a, b);
      },
      [](APInt a, APInt b) -> std::optional<APInt> {
        return a.sle(b) ? a : b;
      });
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  auto cond = dyn_cast_or_null<DenseElementsAttr>(adaptor.getCond());
  if (cond && cond.isSplat())
    return sameTypeOrNull(cond.getSplatValue<bool>() ? getTrueValue()
                                                     : getFalseValue(),
                          getType());
  if (getTrueValue() == getFalseValue())
    return sameTypeOrNull(getTrueValue(), getType());
  return {};
}

//===----------------------------------------------------------------------===//
// Data movement folders and patterns
//===----------------------------------------------------------------------===//

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if (static_cast<int64_t>(i) != p)
      return {};
  return getInput();
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, p1[p2]).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    ArrayRef<int64_t> first = inner.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t p : op.getPerm())
      composed.push_back(first[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, inner.getInput(), composed);
    return success();
  }
};

/// reshape(reshape(x)) -> reshape(x).
struct ComposeReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), inner.getInput());
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ComposeReshapes>(context);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(cast<ShapedType>(getType()));
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return sameTypeOrNull(getInputs().front(), getType());
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  auto type = cast<ShapedType>(getInput().getType());
  for (auto [start, end, axis, step] :
       llvm::zip(getStarts(), getEnds(), getAxes(), getSteps()))
    if (start != 0 || step != 1 || end != type.getDimSize(axis))
      return {};
  return sameTypeOrNull(getInput(), getType());
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput()))
    if (dense.isSplat())
      return DenseElementsAttr::get(cast<ShapedType>(getType()),
                                    dense.getSplatValue<Attribute>());
  return {};
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }))
    return sameTypeOrNull(getInput(), getType());
  return {};
}

OpFoldResult TileOp::fold(FoldAdaptor) {
  if (llvm::all_of(getRepeats(), [](int64_t r) { return r == 1; }))
    return sameTypeOrNull(getInput(), getType());
  return {};
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }
