//===- Recognize.cpp - Composites as single fuse ops ----------------------===//
//
// silu, hard_swish, gelu (erf and tanh forms) and layer_norm written out in
// elementwise ops and reductions (as PyTorch's and Paddle's exporters emit
// them) become one fuse op each. Every intermediate value of a composite must
// have no other user, so the rewrite removes all of its ops.
//
//===----------------------------------------------------------------------===//

#include "Rewrite/RewriteUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::rewrite;

namespace {

/// A product of factors: `constant` (the splat constants multiplied
/// together, divided by splat divisors) times `factors`. Interior mul/div ops
/// are expanded only when their result has one user.
struct Product {
  SmallVector<Value> factors;
  double constant = 1.0;
};

void collectProduct(Value value, bool isRoot, Product &product) {
  if (std::optional<double> c = getSplatFloat(value)) {
    product.constant *= *c;
    return;
  }
  Operation *op = value.getDefiningOp();
  if (!op || (!isRoot && !value.hasOneUse())) {
    product.factors.push_back(value);
    return;
  }
  if (auto mul = dyn_cast<MulOp>(op)) {
    collectProduct(mul.getLhs(), false, product);
    collectProduct(mul.getRhs(), false, product);
    return;
  }
  if (auto div = dyn_cast<DivOp>(op)) {
    if (std::optional<double> c = getSplatFloat(div.getRhs())) {
      product.constant /= *c;
      collectProduct(div.getLhs(), false, product);
      return;
    }
  }
  product.factors.push_back(value);
}

/// True when `value` would be expanded as a factor of a larger product (its
/// only user is a mul, or a div by a splat constant as the dividend): the
/// composite is then matched at that outer root instead.
bool isInteriorFactor(Value value) {
  if (!value.hasOneUse())
    return false;
  Operation *user = *value.getUsers().begin();
  if (isa<MulOp>(user))
    return true;
  if (auto div = dyn_cast<DivOp>(user))
    return div.getLhs() == value && getSplatFloat(div.getRhs());
  return false;
}

Product productOf(Value root) {
  Product product;
  collectProduct(root, true, product);
  return product;
}

/// True when a larger product around `value` has the same non-constant
/// factors (it only multiplies constants in): the composite is matched at
/// that outer root, so that the constants join it.
bool hasOuterRoot(Value value) {
  Value outer = value;
  while (isInteriorFactor(outer))
    outer = (*outer.getUsers().begin())->getResult(0);
  if (outer == value)
    return false;
  return productOf(outer).factors.size() == productOf(value).factors.size();
}

/// The op defining `value` when it is an `OpT` whose result has one user.
template <typename OpT>
OpT singleUse(Value value) {
  if (!value.hasOneUse())
    return {};
  return value.getDefiningOp<OpT>();
}

/// For `add(v, c)` / `add(c, v)` with splat c near `expected`: v.
Value addOfConstant(Value value, double expected) {
  auto add = singleUse<AddOp>(value);
  if (!add)
    return {};
  for (auto [v, c] : {std::pair{add.getLhs(), add.getRhs()},
                      std::pair{add.getRhs(), add.getLhs()}}) {
    std::optional<double> s = getSplatFloat(c);
    if (s && near(*s, expected) && v.getType() == add.getType())
      return v;
  }
  return {};
}

/// For a two-factor product {x, other} returns the factor that is not `x`
/// when the other is `x`.
std::optional<std::pair<Value, Value>> twoFactors(const Product &p) {
  if (p.factors.size() != 2)
    return std::nullopt;
  return std::make_pair(p.factors[0], p.factors[1]);
}

bool isFloatTensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && isa<FloatType>(type.getElementType());
}

/// The factor left over when a product's constant is `constant` but the
/// composite needs `expected` (e.g. a learnable scale merged into the /6 of
/// hard_swish), or nothing when it cannot be applied: residuals other than 1
/// need an f32 result.
std::optional<double> residualScale(double constant, double expected,
                                    Value root) {
  if (near(constant, expected))
    return 1.0;
  double residual = constant / expected;
  if (!isF32(root) || !std::isfinite(residual) || residual == 0.0)
    return std::nullopt;
  return residual;
}

/// Replaces `root` with `composite * residual`.
void replaceScaled(PatternRewriter &rewriter, Operation *root, Value composite,
                   double residual) {
  if (residual == 1.0) {
    rewriter.replaceOp(root, composite);
    return;
  }
  Value c = createF32Constant(rewriter, root->getLoc(), {},
                              {static_cast<float>(residual)});
  rewriter.replaceOpWithNewOp<MulOp>(root, root->getResult(0).getType(),
                                     composite, c);
}

//===----------------------------------------------------------------------===//
// silu and hard_swish
//===----------------------------------------------------------------------===//

/// x * sigmoid(x) -> silu(x).
struct RecognizeSilu : CountedPattern<MulOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    if (hasOuterRoot(op.getResult()))
      return failure();
    Product p = productOf(op.getResult());
    auto pair = twoFactors(p);
    if (!pair || !isFloatTensor(op.getResult()))
      return failure();
    std::optional<double> residual =
        residualScale(p.constant, 1.0, op.getResult());
    if (!residual)
      return failure();
    for (auto [x, other] :
         {*pair, std::make_pair(pair->second, pair->first)}) {
      auto sigmoid = singleUse<SigmoidOp>(other);
      if (!sigmoid || sigmoid.getInput() != x || x.getType() != op.getType())
        continue;
      replaceScaled(rewriter, op, SiluOp::create(rewriter, op.getLoc(), x),
                    *residual);
      count();
      return success();
    }
    return failure();
  }
};

/// x * clip(x + 3, 0, 6) / 6 and x * hard_sigmoid(x; 1/6, 1/2) ->
/// hard_swish(x).
struct RecognizeHardSwish : CountedPattern<MulOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    if (hasOuterRoot(op.getResult()))
      return failure();
    Product p = productOf(op.getResult());
    auto pair = twoFactors(p);
    if (!pair || !isFloatTensor(op.getResult()))
      return failure();
    for (auto [x, other] :
         {*pair, std::make_pair(pair->second, pair->first)}) {
      if (x.getType() != op.getType())
        continue;
      bool matched = false;
      std::optional<double> residual;
      if (auto hs = singleUse<HardSigmoidOp>(other)) {
        residual = residualScale(p.constant, 1.0, op.getResult());
        matched = hs.getInput() == x && residual &&
                  near(hs.getAlpha().convertToDouble(), 1.0 / 6.0) &&
                  near(hs.getBeta().convertToDouble(), 0.5);
      } else if (auto clip = singleUse<ClipOp>(other)) {
        residual = residualScale(p.constant, 1.0 / 6.0, op.getResult());
        matched = residual &&
                  clip.getMin().convertToDouble() == 0.0 &&
                  clip.getMax().convertToDouble() == 6.0 &&
                  addOfConstant(clip.getInput(), 3.0) == x;
      }
      if (!matched)
        continue;
      replaceScaled(rewriter, op, HardSwishOp::create(rewriter, op.getLoc(), x),
                    *residual);
      count();
      return success();
    }
    return failure();
  }
};

//===----------------------------------------------------------------------===//
// gelu
//===----------------------------------------------------------------------===//

/// True when `value` is x^3: pow(x, 3) or a product of three x.
bool isCube(Value value, Value x) {
  if (auto pow = singleUse<PowOp>(value)) {
    std::optional<double> e = getSplatFloat(pow.getRhs());
    return pow.getLhs() == x && e && *e == 3.0;
  }
  return false;
}

/// True when `value` is sqrt(2/pi) * (x + 0.044715 x^3).
bool isTanhGeluInner(Value value, Value x) {
  if (!value.hasOneUse())
    return false;
  Product outer = productOf(value);
  if (outer.factors.size() != 1 ||
      !near(outer.constant, std::sqrt(2.0 / M_PI)))
    return false;
  auto add = singleUse<AddOp>(outer.factors[0]);
  if (!add)
    return false;
  for (auto [a, b] : {std::pair{add.getLhs(), add.getRhs()},
                      std::pair{add.getRhs(), add.getLhs()}}) {
    if (a != x || !b.hasOneUse())
      continue;
    Product cube = productOf(b);
    if (!near(cube.constant, 0.044715))
      continue;
    if (cube.factors.size() == 3 &&
        llvm::all_of(cube.factors, [&](Value f) { return f == x; }))
      return true;
    if (cube.factors.size() == 1 && isCube(cube.factors[0], x))
      return true;
  }
  return false;
}

/// 0.5 * x * (1 + erf(x / sqrt 2)) -> gelu(x), and
/// 0.5 * x * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) ->
/// gelu(x) {approximate = tanh}, in any association of the products.
struct RecognizeGelu : CountedPattern<MulOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    if (hasOuterRoot(op.getResult()))
      return failure();
    Product p = productOf(op.getResult());
    auto pair = twoFactors(p);
    if (!pair || !isFloatTensor(op.getResult()))
      return failure();
    std::optional<double> residual =
        residualScale(p.constant, 0.5, op.getResult());
    if (!residual)
      return failure();
    for (auto [x, other] :
         {*pair, std::make_pair(pair->second, pair->first)}) {
      if (x.getType() != op.getType())
        continue;
      Value inner = addOfConstant(other, 1.0);
      if (!inner)
        continue;
      if (auto erf = singleUse<ErfOp>(inner)) {
        Value arg = erf.getInput();
        if (!arg.hasOneUse())
          continue;
        Product scaled = productOf(arg);
        if (scaled.factors.size() != 1 || scaled.factors[0] != x ||
            !near(scaled.constant, 1.0 / std::sqrt(2.0)))
          continue;
        replaceScaled(rewriter, op,
                      GeluOp::create(rewriter, op.getLoc(), op.getType(), x,
                                     GeluApproximation::none),
                      *residual);
        count();
        return success();
      }
      if (auto tanh = singleUse<TanhOp>(inner)) {
        if (!isTanhGeluInner(tanh.getInput(), x))
          continue;
        replaceScaled(rewriter, op,
                      GeluOp::create(rewriter, op.getLoc(), op.getType(), x,
                                     GeluApproximation::tanh),
                      *residual);
        count();
        return success();
      }
    }
    return failure();
  }
};

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

void rewrite::populateRecognizePatterns(RewritePatternSet &patterns,
                                        Stats *stats) {
  MLIRContext *context = patterns.getContext();
  patterns.add<RecognizeSilu>(context, stats, "silu");
  patterns.add<RecognizeHardSwish>(context, stats, "hard-swish");
  patterns.add<RecognizeGelu>(context, stats, "gelu");
  patterns.add<RecognizeLayerNormAt<DivOp>>(context, stats, "layer-norm");
  patterns.add<RecognizeLayerNormAt<MulOp>>(context, stats, "layer-norm");
  patterns.add<AbsorbLayerNormAffine<MulOp>>(context, stats,
                                             "layer-norm-scale");
  patterns.add<AbsorbLayerNormAffine<AddOp>>(context, stats,
                                             "layer-norm-bias");
}
