//===- FuseToLinalg.cpp - The fuse-to-linalg pass and shared helpers ------===//

#include "Fuse/Conversion/Passes.h"
#include "Fuse/Conversion/FuseToLinalg.h"
#include "Patterns.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSETOLINALG
#include "Fuse/Conversion/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value linalg_lowering::emptyTensor(OpBuilder &b, Location loc,
                                   RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

AffineMap linalg_lowering::broadcastMap(MLIRContext *context,
                                        ArrayRef<int64_t> operandShape,
                                        unsigned resultRank) {
  SmallVector<AffineExpr> exprs;
  unsigned offset = resultRank - operandShape.size();
  for (auto [i, size] : llvm::enumerate(operandShape))
    exprs.push_back(size == 1 ? getAffineConstantExpr(0, context)
                              : getAffineDimExpr(i + offset, context));
  return AffineMap::get(resultRank, 0, exprs, context);
}

Value linalg_lowering::buildParallelGeneric(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    ArrayRef<AffineMap> inputMaps, GenericBody body, bool withIndices) {
  unsigned rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, b.getContext()));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, ValueRange{emptyTensor(b, loc, resultType)},
      maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        SmallVector<Value> ivs;
        if (withIndices)
          for (unsigned i = 0; i < rank; ++i)
            ivs.push_back(linalg::IndexOp::create(nested, nestedLoc, i));
        Value result = body(nested, nestedLoc, args.drop_back(), ivs);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value linalg_lowering::buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(broadcastMap(b.getContext(),
                                cast<RankedTensorType>(input.getType()).getShape(),
                                resultType.getRank()));
  return buildParallelGeneric(
      b, loc, resultType, inputs, maps,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args, ValueRange) {
        return body(nested, nestedLoc, args);
      },
      /*withIndices=*/false);
}

Value linalg_lowering::scalarConstant(OpBuilder &b, Location loc, Type type,
                                      double value) {
  if (auto f = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, FloatAttr::get(f, value));
  // Saturate: lowestValue/highestValue of i64 are not representable exactly
  // as doubles, and the cast of 2^63 to int64_t would overflow.
  unsigned width = type.getIntOrFloatBitWidth();
  APInt bits;
  if (width == 1)
    bits = APInt(1, value != 0);
  else if (value >= std::ldexp(1.0, width - 1))
    bits = APInt::getSignedMaxValue(width);
  else if (value <= -std::ldexp(1.0, width - 1))
    bits = APInt::getSignedMinValue(width);
  else
    bits = APInt(width, static_cast<int64_t>(value), /*isSigned=*/true);
  return arith::ConstantOp::create(b, loc, IntegerAttr::get(type, bits));
}

Value linalg_lowering::filledTensor(OpBuilder &b, Location loc,
                                    RankedTensorType type, double value) {
  Value scalar = scalarConstant(b, loc, type.getElementType(), value);
  return linalg::FillOp::create(b, loc, scalar, emptyTensor(b, loc, type))
      .getResult(0);
}

Value linalg_lowering::scalarAdd(OpBuilder &b, Location loc, Value x,
                                 Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::AddFOp::create(b, loc, x, y);
  return arith::AddIOp::create(b, loc, x, y);
}

Value linalg_lowering::scalarMul(OpBuilder &b, Location loc, Value x,
                                 Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MulFOp::create(b, loc, x, y);
  return arith::MulIOp::create(b, loc, x, y);
}

Value linalg_lowering::scalarMax(OpBuilder &b, Location loc, Value x,
                                 Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MaximumFOp::create(b, loc, x, y);
  return arith::MaxSIOp::create(b, loc, x, y);
}

Value linalg_lowering::scalarMin(OpBuilder &b, Location loc, Value x,
                                 Value y) {
  if (isa<FloatType>(x.getType()))
    return arith::MinimumFOp::create(b, loc, x, y);
  return arith::MinSIOp::create(b, loc, x, y);
}

/// `x` extended to the float type `type` when it is a narrower float.
Value linalg_lowering::widen(OpBuilder &b, Location loc, Value x, Type type) {
  if (x.getType() == type || !isa<FloatType>(x.getType()) ||
      !isa<FloatType>(type) ||
      x.getType().getIntOrFloatBitWidth() >= type.getIntOrFloatBitWidth())
    return x;
  return arith::ExtFOp::create(b, loc, type, x);
}

/// The accumulator type of a contraction with result `type`: f32 for
/// f16/bf16 results when `wide` (ONNX Runtime's and the GPU kernels'
/// accumulation, rounded once at the end), else `type`.
RankedTensorType linalg_lowering::accumulatorType(RankedTensorType type,
                                                  bool wide) {
  Type element = type.getElementType();
  if (!wide || !(element.isF16() || element.isBF16()))
    return type;
  return RankedTensorType::get(type.getShape(),
                               Float32Type::get(type.getContext()));
}

/// `acc` rounded to `type` (one arith.truncf per element), or `acc` when
/// it already is of that type.
Value linalg_lowering::narrowTo(OpBuilder &b, Location loc, Value acc,
                                RankedTensorType type) {
  if (acc.getType() == type)
    return acc;
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps(
      2, AffineMap::getMultiDimIdentityMap(rank, b.getContext()));
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{acc},
             ValueRange{emptyTensor(b, loc, type)}, maps,
             SmallVector<utils::IteratorType>(rank,
                                              utils::IteratorType::parallel),
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(
                   nested, nestedLoc,
                   arith::TruncFOp::create(nested, nestedLoc,
                                           type.getElementType(), args[0])
                       .getResult());
             })
      .getResult(0);
}

double linalg_lowering::lowestValue(Type type) {
  if (isa<FloatType>(type))
    return -std::numeric_limits<double>::infinity();
  unsigned width = type.getIntOrFloatBitWidth();
  if (width == 1)
    return 0;
  return -std::ldexp(1.0, width - 1);
}

double linalg_lowering::highestValue(Type type) {
  if (isa<FloatType>(type))
    return std::numeric_limits<double>::infinity();
  unsigned width = type.getIntOrFloatBitWidth();
  if (width == 1)
    return 1;
  return std::ldexp(1.0, width - 1) - 1;
}

//===----------------------------------------------------------------------===//
// Groups and the pass
//===----------------------------------------------------------------------===//

void mlir::fuse::populateFuseToLinalgPatterns(RewritePatternSet &patterns,
                                              Accumulation accumulation) {
  populateElementwiseToLinalgPatterns(patterns);
  populateStructuredToLinalgPatterns(patterns, accumulation.wideContractions);
  populateReductionToLinalgPatterns(patterns, accumulation.wideReductions);
  populateDataMovementToLinalgPatterns(patterns);
  populateIndexOpsToLinalgPatterns(patterns);
}

namespace {
/// A fused group lowers like its body: inline it.
struct InlineGroup : OpRewritePattern<GroupOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GroupOp op,
                                PatternRewriter &rewriter) const override {
    Block &body = op.getBody().front();
    auto yield = cast<YieldOp>(body.getTerminator());
    SmallVector<Value> results(yield.getValues());
    rewriter.inlineBlockBefore(&body, op, op.getInputs());
    rewriter.eraseOp(yield);
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct FuseToLinalgPass
    : public mlir::fuse::impl::FuseToLinalgBase<FuseToLinalgPass> {
  using FuseToLinalgBase::FuseToLinalgBase;

  /// The group disappears when it is inlined; what the GPU code generation
  /// needs of it moves to its tile loop: `fuse.kernel` = "group_<N>" (N the
  /// group's position in the module, the kernel's name) and the group's
  /// `fuse.tile` choice (and its `fuse.precision` when --fuse-tile recorded
  /// one), on each scf.forall mapped to GPU blocks directly in the group's
  /// body. All are discardable attributes that survive bufferization.
  void markGroupTiles() {
    int64_t index = 0;
    getOperation()->walk([&](GroupOp group) {
      std::string name = "group_" + std::to_string(index++);
      for (Operation &op : group.getBody().front()) {
        auto forall = dyn_cast<scf::ForallOp>(op);
        if (!forall || !forall.getMapping() || forall.getMapping()->empty())
          continue;
        forall->setAttr("fuse.kernel",
                        StringAttr::get(group.getContext(), name));
        if (Attribute tile = group->getAttr("fuse.tile"))
          forall->setAttr("fuse.tile", tile);
        if (Attribute precision = group->getAttr("fuse.precision"))
          forall->setAttr("fuse.precision", precision);
      }
    });
  }

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    markGroupTiles();
    RewritePatternSet patterns(context);
    patterns.add<InlineGroup>(context);
    populateFuseToLinalgPatterns(patterns,
                                 {/*wideContractions=*/wideAccumulation,
                                  /*wideReductions=*/wideAccumulation});
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config))) {
      getOperation()->emitError("fuse-to-linalg did not converge");
      return signalPassFailure();
    }
    bool failedAny = false;
    getOperation()->walk([&](Operation *op) {
      if (isa<FuseDialect>(op->getDialect())) {
        op->emitError() << "no lowering to linalg for '" << op->getName()
                        << "' with these types and attributes";
        failedAny = true;
      }
    });
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
