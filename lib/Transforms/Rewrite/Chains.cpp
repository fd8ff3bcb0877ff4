//===- Chains.cpp - Constant chains and matmul transpose flags ------------===//
//
// div by a constant becomes mul by its reciprocal; chains of constant muls or
// adds become one op; a transpose of a matmul operand's last two dims becomes
// the matmul's transpose flag.
//
//===----------------------------------------------------------------------===//

#include "Rewrite/RewriteUtils.h"

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::rewrite;

namespace {

//===----------------------------------------------------------------------===//
// div(x, C) -> mul(x, 1/C)
//===----------------------------------------------------------------------===//

struct DivByConstant : CountedPattern<DivOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(DivOp op,
                                PatternRewriter &rewriter) const override {
    if (!isF32(op.getLhs()))
      return failure();
    std::optional<std::vector<float>> c = readF32Constant(op.getRhs());
    if (!c)
      return failure();
    for (float &v : *c)
      v = 1.0f / v;
    Value reciprocal =
        createF32Constant(rewriter, op.getRhs().getLoc(), shapeOf(op.getRhs()), *c);
    rewriter.replaceOpWithNewOp<MulOp>(op, op.getType(), op.getLhs(),
                                       reciprocal);
    count();
    return success();
  }
};

//===----------------------------------------------------------------------===//
// op(op(x, C1), C2) -> op(x, C1 op C2) for mul and add
//===----------------------------------------------------------------------===//

/// Splits a binary op's operands into (non-constant, f32 constant values).
template <typename OpT>
std::optional<std::pair<Value, Value>> splitConstant(OpT op) {
  if (isF32Constant(op.getRhs()) &&
      !op.getLhs().template getDefiningOp<ConstantOp>())
    return std::make_pair(op.getLhs(), op.getRhs());
  if (isF32Constant(op.getLhs()) &&
      !op.getRhs().template getDefiningOp<ConstantOp>())
    return std::make_pair(op.getRhs(), op.getLhs());
  return std::nullopt;
}

template <typename OpT>
struct MergeConstantChain : CountedPattern<OpT> {
  MergeConstantChain(MLIRContext *context, Stats *stats, StringRef name,
                     float (*combine)(float, float))
      : CountedPattern<OpT>(context, stats, name), combine(combine) {}
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    auto outer = splitConstant(op);
    if (!outer)
      return failure();
    auto inner = outer->first.template getDefiningOp<OpT>();
    if (!inner || !inner->hasOneUse())
      return failure();
    auto innerSplit = splitConstant(inner);
    if (!innerSplit)
      return failure();
    ArrayRef<int64_t> s1 = shapeOf(innerSplit->second);
    ArrayRef<int64_t> s2 = shapeOf(outer->second);
    FailureOr<SmallVector<int64_t>> shape = broadcastShapes(s1, s2);
    if (failed(shape) ||
        elementCount(*shape) > elementCount(shapeOf(op.getResult())))
      return failure();
    std::vector<float> c1 = *readF32Constant(innerSplit->second);
    std::vector<float> c2 = *readF32Constant(outer->second);
    std::vector<float> merged =
        broadcastBinary(s1, c1, s2, c2, *shape, combine);
    Value constant =
        createF32Constant(rewriter, outer->second.getLoc(), *shape, merged);
    rewriter.replaceOpWithNewOp<OpT>(op, op.getType(), innerSplit->first,
                                     constant);
    this->count();
    return success();
  }
  float (*combine)(float, float);
};

//===----------------------------------------------------------------------===//
// Transposes of the last two dims into matmul flags
//===----------------------------------------------------------------------===//

/// True when `perm` only swaps the last two dims.
bool swapsLastTwo(ArrayRef<int64_t> perm) {
  int64_t rank = perm.size();
  if (rank < 2 || perm[rank - 1] != rank - 2 || perm[rank - 2] != rank - 1)
    return false;
  for (int64_t i = 0; i + 2 < rank; ++i)
    if (perm[i] != i)
      return false;
  return true;
}

/// matmul(transpose(a), b) -> matmul(a, b) {transpose_a = !transpose_a} (and
/// the same for b), when the transpose has no other user.
struct TransposeIntoMatmul : CountedPattern<MatMulOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Value lhs = op.getLhs(), rhs = op.getRhs();
    bool ta = op.getTransposeA(), tb = op.getTransposeB();
    bool changed = false;
    if (auto t = lhs.getDefiningOp<TransposeOp>();
        t && lhs.hasOneUse() && swapsLastTwo(t.getPerm())) {
      lhs = t.getInput();
      ta = !ta;
      changed = true;
    }
    if (auto t = rhs.getDefiningOp<TransposeOp>();
        t && rhs.hasOneUse() && rhs != op.getLhs() &&
        swapsLastTwo(t.getPerm())) {
      rhs = t.getInput();
      tb = !tb;
      changed = true;
    }
    if (!changed)
      return failure();
    rewriter.replaceOpWithNewOp<MatMulOp>(op, op.getType(), lhs, rhs, ta, tb);
    count();
    return success();
  }
};

float mulF(float a, float b) { return a * b; }
float addF(float a, float b) { return a + b; }

} // namespace

void rewrite::populateConstantChainPatterns(RewritePatternSet &patterns,
                                            Stats *stats) {
  MLIRContext *context = patterns.getContext();
  patterns.add<DivByConstant>(context, stats, "div-to-mul");
  patterns.add<MergeConstantChain<MulOp>>(context, stats, "merge-mul-chain",
                                          mulF);
  patterns.add<MergeConstantChain<AddOp>>(context, stats, "merge-add-chain",
                                          addF);
}

void rewrite::populateMatmulFlagPatterns(RewritePatternSet &patterns,
                                         Stats *stats) {
  patterns.add<TransposeIntoMatmul>(patterns.getContext(), stats,
                                    "transpose-into-matmul");
}
