//===- Elementwise.cpp - elementwise fuse ops to linalg.generic -----------===//
//
// Every elementwise op becomes one parallel linalg.generic whose indexing
// maps implement numpy broadcasting; the body computes ONNX semantics on
// scalars (integer division truncates, Mod without fmod takes the divisor's
// sign, Round is ties-to-even, Cast to i1 compares with zero).
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::linalg_lowering;

namespace {

using ScalarFn = std::function<Value(OpBuilder &, Location, ValueRange, Operation *)>;

/// Lowers `OpTy` with a scalar body.
template <typename OpTy>
struct ElementwiseLowering : OpRewritePattern<OpTy> {
  ElementwiseLowering(MLIRContext *context, ScalarFn fn)
      : OpRewritePattern<OpTy>(context), fn(std::move(fn)) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    Operation *raw = op.getOperation();
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, op->getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return fn(b, loc, args, raw);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFn fn;
};

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

Value cst(OpBuilder &b, Location loc, Value like, double value) {
  return scalarConstant(b, loc, like.getType(), value);
}

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = cst(b, loc, x, 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
}

/// min(max(x, lo), hi) for floats or signed integers.
Value clamp(OpBuilder &b, Location loc, Value x, Value lo, Value hi) {
  return scalarMin(b, loc, scalarMax(b, loc, x, lo), hi);
}

/// Converts a scalar between any two supported element types.
Value convertScalar(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  if (to.isInteger(1)) {
    if (isa<FloatType>(from))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x,
                                   scalarConstant(b, loc, from, 0.0));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x,
                                 scalarConstant(b, loc, from, 0.0));
  }
  bool fromBool = from.isInteger(1);
  if (auto toF = dyn_cast<FloatType>(to)) {
    if (auto fromF = dyn_cast<FloatType>(from)) {
      if (fromF.getWidth() < toF.getWidth())
        return arith::ExtFOp::create(b, loc, to, x);
      if (fromF.getWidth() > toF.getWidth())
        return arith::TruncFOp::create(b, loc, to, x);
      // f16 <-> bf16: through f32.
      Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
      return arith::TruncFOp::create(b, loc, to, wide);
    }
    if (fromBool)
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  if (isa<FloatType>(from))
    return arith::FPToSIOp::create(b, loc, to, x);
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth < toWidth)
    return fromBool ? Value(arith::ExtUIOp::create(b, loc, to, x))
                    : Value(arith::ExtSIOp::create(b, loc, to, x));
  return arith::TruncIOp::create(b, loc, to, x);
}

template <typename OpTy>
void add(RewritePatternSet &patterns, ScalarFn fn) {
  patterns.add<ElementwiseLowering<OpTy>>(patterns.getContext(),
                                          std::move(fn));
}

/// A unary math-dialect op on floats.
template <typename OpTy, typename MathOp>
void addMath(RewritePatternSet &patterns) {
  add<OpTy>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                         Operation *) -> Value {
    return MathOp::create(b, loc, a[0]);
  });
}

/// A unary math-dialect op that libm computes in f32 or f64 only: f16 and
/// bf16 are widened to f32 and the result is narrowed back.
template <typename OpTy, typename MathOp>
void addLibmMath(RewritePatternSet &patterns) {
  add<OpTy>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                         Operation *) -> Value {
    Value x = a[0];
    Type type = x.getType();
    if (type.isF32() || type.isF64())
      return MathOp::create(b, loc, x);
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    return arith::TruncFOp::create(b, loc, type,
                                   MathOp::create(b, loc, wide));
  });
}

/// A binary op with a float and an integer arith op.
template <typename OpTy, typename FloatOp, typename IntOp>
void addArith(RewritePatternSet &patterns) {
  add<OpTy>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                         Operation *) -> Value {
    if (isFloat(a[0]))
      return FloatOp::create(b, loc, a[0], a[1]);
    return IntOp::create(b, loc, a[0], a[1]);
  });
}

template <typename OpTy>
void addCompare(RewritePatternSet &patterns, arith::CmpFPredicate fp,
                arith::CmpIPredicate ip) {
  add<OpTy>(patterns, [fp, ip](OpBuilder &b, Location loc, ValueRange a,
                               Operation *) -> Value {
    if (isFloat(a[0]))
      return arith::CmpFOp::create(b, loc, fp, a[0], a[1]);
    return arith::CmpIOp::create(b, loc, ip, a[0], a[1]);
  });
}

/// fuse.constant -> arith.constant (dense and dense_resource alike).
struct ConstantLowering : OpRewritePattern<ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConstantOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, op.getType(), cast<TypedAttr>(op.getValueAttr()));
    return success();
  }
};

} // namespace

void mlir::fuse::populateElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConstantLowering>(patterns.getContext());

  // Unary.
  add<NegOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                          Operation *) -> Value {
    if (isFloat(a[0]))
      return arith::NegFOp::create(b, loc, a[0]);
    return arith::SubIOp::create(b, loc, cst(b, loc, a[0], 0), a[0]);
  });
  add<AbsOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                          Operation *) -> Value {
    if (isFloat(a[0]))
      return math::AbsFOp::create(b, loc, a[0]);
    return math::AbsIOp::create(b, loc, a[0]);
  });
  addMath<ExpOp, math::ExpOp>(patterns);
  addMath<LogOp, math::LogOp>(patterns);
  addMath<SqrtOp, math::SqrtOp>(patterns);
  addMath<RsqrtOp, math::RsqrtOp>(patterns);
  addMath<TanhOp, math::TanhOp>(patterns);
  addMath<ErfOp, math::ErfOp>(patterns);
  addMath<FloorOp, math::FloorOp>(patterns);
  addMath<CeilOp, math::CeilOp>(patterns);
  addMath<RoundOp, math::RoundEvenOp>(patterns);
  addMath<SinOp, math::SinOp>(patterns);
  addMath<CosOp, math::CosOp>(patterns);
  addLibmMath<TanOp, math::TanOp>(patterns);
  addLibmMath<AsinOp, math::AsinOp>(patterns);
  addLibmMath<AcosOp, math::AcosOp>(patterns);
  addLibmMath<AtanOp, math::AtanOp>(patterns);
  addLibmMath<SinhOp, math::SinhOp>(patterns);
  addLibmMath<CoshOp, math::CoshOp>(patterns);
  addLibmMath<AsinhOp, math::AsinhOp>(patterns);
  addLibmMath<AcoshOp, math::AcoshOp>(patterns);
  addLibmMath<AtanhOp, math::AtanhOp>(patterns);
  add<ReciprocalOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                                 Operation *) -> Value {
    return arith::DivFOp::create(b, loc, cst(b, loc, a[0], 1.0), a[0]);
  });
  add<ReluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                           Operation *) -> Value {
    return scalarMax(b, loc, a[0], cst(b, loc, a[0], 0.0));
  });
  add<LeakyReluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                                Operation *op) -> Value {
    double alpha = cast<LeakyReluOp>(op).getAlpha().convertToDouble();
    Value x = a[0];
    Value negative = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT,
                                           x, cst(b, loc, x, 0.0));
    Value scaled = arith::MulFOp::create(b, loc, x, cst(b, loc, x, alpha));
    return arith::SelectOp::create(b, loc, negative, scaled, x);
  });
  add<SigmoidOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                              Operation *) -> Value {
    return sigmoid(b, loc, a[0]);
  });
  add<SiluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                           Operation *) -> Value {
    return arith::MulFOp::create(b, loc, a[0], sigmoid(b, loc, a[0]));
  });
  add<GeluOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                           Operation *op) -> Value {
    Value x = a[0];
    Value half = cst(b, loc, x, 0.5), one = cst(b, loc, x, 1.0);
    Value inner;
    if (cast<GeluOp>(op).getApproximate() == GeluApproximation::tanh) {
      // sqrt(2/pi) * (x + 0.044715 x^3)
      Value x3 = arith::MulFOp::create(
          b, loc, x, arith::MulFOp::create(b, loc, x, x));
      Value poly = arith::AddFOp::create(
          b, loc, x,
          arith::MulFOp::create(b, loc, cst(b, loc, x, 0.044715), x3));
      inner = math::TanhOp::create(
          b, loc,
          arith::MulFOp::create(b, loc,
                                cst(b, loc, x, std::sqrt(2.0 / M_PI)), poly));
    } else {
      inner = math::ErfOp::create(
          b, loc,
          arith::MulFOp::create(b, loc, x, cst(b, loc, x, M_SQRT1_2)));
    }
    return arith::MulFOp::create(
        b, loc, arith::MulFOp::create(b, loc, half, x),
        arith::AddFOp::create(b, loc, one, inner));
  });
  add<HardSigmoidOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                                  Operation *op) -> Value {
    auto hs = cast<HardSigmoidOp>(op);
    Value x = a[0];
    Value linear = arith::AddFOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, x,
                              cst(b, loc, x, hs.getAlpha().convertToDouble())),
        cst(b, loc, x, hs.getBeta().convertToDouble()));
    return clamp(b, loc, linear, cst(b, loc, x, 0.0), cst(b, loc, x, 1.0));
  });
  add<HardSwishOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                                Operation *) -> Value {
    Value x = a[0];
    Value linear = arith::AddFOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, cst(b, loc, x, 1.0 / 6.0)),
        cst(b, loc, x, 0.5));
    Value gate =
        clamp(b, loc, linear, cst(b, loc, x, 0.0), cst(b, loc, x, 1.0));
    return arith::MulFOp::create(b, loc, x, gate);
  });
  add<ClipOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                           Operation *op) -> Value {
    auto clip = cast<ClipOp>(op);
    Value x = a[0];
    Type type = x.getType();
    double lo = std::max(clip.getMin().convertToDouble(), lowestValue(type));
    double hi = std::min(clip.getMax().convertToDouble(), highestValue(type));
    return clamp(b, loc, x, cst(b, loc, x, lo), cst(b, loc, x, hi));
  });
  add<NotOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                          Operation *) -> Value {
    return arith::XOrIOp::create(b, loc, a[0], cst(b, loc, a[0], 1));
  });
  add<CastOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                           Operation *op) -> Value {
    Type to = cast<ShapedType>(op->getResult(0).getType()).getElementType();
    return convertScalar(b, loc, a[0], to);
  });

  // Binary.
  addArith<AddOp, arith::AddFOp, arith::AddIOp>(patterns);
  addArith<SubOp, arith::SubFOp, arith::SubIOp>(patterns);
  addArith<MulOp, arith::MulFOp, arith::MulIOp>(patterns);
  addArith<DivOp, arith::DivFOp, arith::DivSIOp>(patterns);
  addArith<MaxOp, arith::MaximumFOp, arith::MaxSIOp>(patterns);
  addArith<MinOp, arith::MinimumFOp, arith::MinSIOp>(patterns);
  add<PowOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                          Operation *) -> Value {
    if (isFloat(a[0]))
      return math::PowFOp::create(b, loc, a[0], a[1]);
    return math::IPowIOp::create(b, loc, a[0], a[1]);
  });
  add<ModOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                          Operation *op) -> Value {
    Value x = a[0], y = a[1];
    if (isFloat(x))
      return arith::RemFOp::create(b, loc, x, y);
    Value rem = arith::RemSIOp::create(b, loc, x, y);
    if (cast<ModOp>(op).getFmod())
      return rem;
    // Python semantics: a non-zero remainder takes the divisor's sign.
    Value zero = cst(b, loc, x, 0);
    Value nonZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero);
    Value remNeg =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, rem, zero);
    Value divNeg =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
    Value differ = arith::XOrIOp::create(b, loc, remNeg, divNeg);
    Value fix = arith::AndIOp::create(b, loc, nonZero, differ);
    return arith::SelectOp::create(b, loc, fix,
                                   arith::AddIOp::create(b, loc, rem, y), rem);
  });
  addCompare<EqualOp>(patterns, arith::CmpFPredicate::OEQ,
                      arith::CmpIPredicate::eq);
  addCompare<LessOp>(patterns, arith::CmpFPredicate::OLT,
                     arith::CmpIPredicate::slt);
  addCompare<GreaterOp>(patterns, arith::CmpFPredicate::OGT,
                        arith::CmpIPredicate::sgt);
  add<AndOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                          Operation *) -> Value {
    return arith::AndIOp::create(b, loc, a[0], a[1]);
  });
  add<OrOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                         Operation *) -> Value {
    return arith::OrIOp::create(b, loc, a[0], a[1]);
  });
  add<XorOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                          Operation *) -> Value {
    return arith::XOrIOp::create(b, loc, a[0], a[1]);
  });
  add<SelectOp>(patterns, [](OpBuilder &b, Location loc, ValueRange a,
                             Operation *) -> Value {
    return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
  });
}
