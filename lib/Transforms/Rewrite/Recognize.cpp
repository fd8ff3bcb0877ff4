//===- Recognize.cpp - Composites as single fuse ops ----------------------===//
//
// silu, hard_swish and gelu (erf and tanh forms) written out in
// elementwise ops (as PyTorch's and Paddle's exporters emit
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

/// Composites have a handful of factors; deeper products are not expanded
/// (which also bounds the recursion on long chains).
constexpr int kMaxProductDepth = 8;

void collectProduct(Value value, bool isRoot, Product &product,
                    int depth = 0) {
  if (std::optional<double> c = getSplatFloat(value)) {
    product.constant *= *c;
    return;
  }
  Operation *op = value.getDefiningOp();
  if (!op || (!isRoot && !value.hasOneUse()) || depth > kMaxProductDepth) {
    product.factors.push_back(value);
    return;
  }
  if (auto mul = dyn_cast<MulOp>(op)) {
    collectProduct(mul.getLhs(), false, product, depth + 1);
    collectProduct(mul.getRhs(), false, product, depth + 1);
    return;
  }
  if (auto div = dyn_cast<DivOp>(op)) {
    if (std::optional<double> c = getSplatFloat(div.getRhs())) {
      product.constant /= *c;
      collectProduct(div.getLhs(), false, product, depth + 1);
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
  for (int i = 0; i < kMaxProductDepth && isInteriorFactor(outer); ++i)
    outer = (*outer.getUsers().begin())->getResult(0);
  if (outer == value)
    return false;
  return productOf(outer).factors.size() == productOf(value).factors.size();
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

} // namespace

void rewrite::populateRecognizePatterns(RewritePatternSet &patterns,
                                        Stats *stats) {
  MLIRContext *context = patterns.getContext();
  patterns.add<RecognizeSilu>(context, stats, "silu");
  patterns.add<RecognizeHardSwish>(context, stats, "hard-swish");
  patterns.add<RecognizeGelu>(context, stats, "gelu");
}
