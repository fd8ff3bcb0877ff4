//===- Attention.cpp - softmax(q k^T * scale + mask) v -> fuse.attention --===//
//
// Anchored at the matmul of the probabilities with v. Walks up through the
// softmax, an optional additive mask, an optional causal select and splat
// scales to the score matmul; q and k are taken in the [.., S, D] / [.., L, D]
// layout that fuse.attention expects (the head-split reshape/transpose stays
// in front of it; k's own transposes are composed away).
//
//===----------------------------------------------------------------------===//

#include "Rewrite/RewriteUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::rewrite;

namespace {

/// A fill value this low makes exp() underflow to exactly 0 in softmax.
constexpr double kMaskedFillLimit = -1e4;

/// Strips splat scalings `mul(v, c)`, `mul(c, v)`, `div(v, c)` (each with one
/// user) from `value`, multiplying them into `scale`.
Value peelScale(Value value, double &scale) {
  for (int i = 0; i < 8; ++i) {
    if (auto mul = singleUse<MulOp>(value)) {
      if (std::optional<double> c = getSplatFloat(mul.getRhs());
          c && mul.getLhs().getType() == mul.getType()) {
        scale *= *c;
        value = mul.getLhs();
        continue;
      }
      if (std::optional<double> c = getSplatFloat(mul.getLhs());
          c && mul.getRhs().getType() == mul.getType()) {
        scale *= *c;
        value = mul.getRhs();
        continue;
      }
    }
    if (auto div = singleUse<DivOp>(value)) {
      if (std::optional<double> c = getSplatFloat(div.getRhs());
          c && div.getLhs().getType() == div.getType()) {
        scale /= *c;
        value = div.getLhs();
        continue;
      }
    }
    return value;
  }
  return value;
}

/// True when `cond` is a constant whose trailing [S, L] matrix is
/// `keep(i, j) == (j <= i + L - S)` (or its negation with `inverted`), with
/// unit leading dims.
bool isCausalCondition(Value cond, int64_t queries, int64_t keys,
                       bool inverted) {
  auto constant = cond.getDefiningOp<ConstantOp>();
  if (!constant)
    return false;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  auto type = cast<RankedTensorType>(cond.getType());
  if (!dense || type.getRank() < 2 || !type.getElementType().isInteger(1))
    return false;
  ArrayRef<int64_t> shape = type.getShape();
  if (shape[shape.size() - 2] != queries || shape.back() != keys)
    return false;
  for (int64_t d : shape.drop_back(2))
    if (d != 1)
      return false;
  if (dense.isSplat())
    return false;
  auto values = dense.getValues<bool>();
  for (int64_t i = 0; i < queries; ++i)
    for (int64_t j = 0; j < keys; ++j) {
      bool keep = j <= i + keys - queries;
      if (values[i * keys + j] != (inverted ? !keep : keep))
        return false;
    }
  return true;
}

/// True when `mask` is a constant whose trailing [S, L] matrix is 0 where
/// `j <= i + L - S` and at most kMaskedFillLimit elsewhere (an additive causal
/// mask), with unit leading dims.
bool isCausalAdditiveMask(Value mask, int64_t queries, int64_t keys) {
  if (!isF32Constant(mask))
    return false;
  ArrayRef<int64_t> shape = cast<RankedTensorType>(mask.getType()).getShape();
  if (shape.size() < 2 || shape[shape.size() - 2] != queries ||
      shape.back() != keys)
    return false;
  for (int64_t d : shape.drop_back(2))
    if (d != 1)
      return false;
  std::vector<float> values = *readF32Constant(mask);
  for (int64_t i = 0; i < queries; ++i)
    for (int64_t j = 0; j < keys; ++j) {
      float v = values[i * keys + j];
      if (j <= i + keys - queries ? v != 0.0f : !(v <= kMaskedFillLimit))
        return false;
    }
  return true;
}

/// `value` with its last two dims swapped; transposes in front of it are
/// composed into one (or none).
Value swapLastTwo(PatternRewriter &rewriter, Location loc, Value value) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  SmallVector<int64_t> swap = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(swap[rank - 1], swap[rank - 2]);
  SmallVector<int64_t> perm = swap;
  Value input = value;
  if (auto transpose = value.getDefiningOp<TransposeOp>()) {
    input = transpose.getInput();
    ArrayRef<int64_t> first = transpose.getPerm();
    for (int64_t i = 0; i < rank; ++i)
      perm[i] = first[swap[i]];
  }
  if (llvm::equal(perm, llvm::seq<int64_t>(0, rank)))
    return input;
  return TransposeOp::create(rewriter, loc, input, perm);
}

struct RecognizeAttention : CountedPattern<MatMulOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getTransposeA() || op.getTransposeB())
      return failure();
    auto softmax = singleUse<SoftmaxOp>(op.getLhs());
    if (!softmax)
      return failure();
    auto scoreType = cast<RankedTensorType>(softmax.getType());
    int64_t rank = scoreType.getRank();
    if (rank < 2 || softmax.getAxis() != static_cast<uint64_t>(rank - 1))
      return failure();
    int64_t queries = scoreType.getDimSize(rank - 2);
    int64_t keys = scoreType.getDimSize(rank - 1);

    // Walk from the softmax input up to the score matmul.
    double scale = 1.0;
    Value mask;
    bool causal = false;
    bool sawAdditiveCausal = false;
    Value scores = softmax.getInput();
    MatMulOp qk;
    for (int step = 0; step < 8 && !qk; ++step) {
      if (scores.getType() != scoreType || !scores.hasOneUse())
        return failure();
      Operation *def = scores.getDefiningOp();
      if (!def)
        return failure();
      if (auto mm = dyn_cast<MatMulOp>(def)) {
        qk = mm;
        break;
      }
      if (Value peeled = peelScale(scores, scale); peeled != scores) {
        scores = peeled;
        continue;
      }
      if (auto add = dyn_cast<AddOp>(def)) {
        if (mask || sawAdditiveCausal)
          return failure();
        // The mask is the side that does not lead to the score matmul.
        auto leadsToScores = [&](Value v) {
          for (int i = 0; i < 8; ++i) {
            Operation *d = v.getDefiningOp();
            if (!d || !v.hasOneUse())
              return false;
            if (isa<MatMulOp>(d))
              return true;
            if (auto s = dyn_cast<SelectOp>(d)) {
              v = s.getTrueValue().getType() == scoreType ? s.getTrueValue()
                                                          : s.getFalseValue();
              continue;
            }
            if (isa<MulOp, DivOp>(d)) {
              double ignored = 1.0;
              Value p = peelScale(v, ignored);
              if (p == v)
                return false;
              v = p;
              continue;
            }
            return false;
          }
          return false;
        };
        if (leadsToScores(add.getLhs()) && !leadsToScores(add.getRhs())) {
          mask = add.getRhs();
          scores = add.getLhs();
        } else if (leadsToScores(add.getRhs()) &&
                   !leadsToScores(add.getLhs())) {
          mask = add.getLhs();
          scores = add.getRhs();
        } else {
          return failure();
        }
        if (cast<RankedTensorType>(mask.getType()).getElementType() !=
            scoreType.getElementType())
          return failure();
        if (!causal && isCausalAdditiveMask(mask, queries, keys)) {
          causal = true;
          mask = Value();
          sawAdditiveCausal = true;
        }
        continue;
      }
      if (auto select = dyn_cast<SelectOp>(def)) {
        if (causal)
          return failure();
        for (bool inverted : {false, true}) {
          Value kept = inverted ? select.getFalseValue() : select.getTrueValue();
          Value fill = inverted ? select.getTrueValue() : select.getFalseValue();
          std::optional<double> f = getSplatFloat(fill);
          if (kept.getType() == scoreType && f && *f <= kMaskedFillLimit &&
              isCausalCondition(select.getCond(), queries, keys, inverted)) {
            causal = true;
            scores = kept;
            break;
          }
        }
        if (!causal)
          return failure();
        continue;
      }
      return failure();
    }
    if (!qk || qk.getTransposeA())
      return failure();

    Value query = peelScale(qk.getLhs(), scale);
    Value key = peelScale(qk.getRhs(), scale);
    Value value = op.getRhs();
    auto qType = cast<RankedTensorType>(query.getType());
    auto kType = cast<RankedTensorType>(key.getType());
    auto vType = cast<RankedTensorType>(value.getType());
    if (qType.getRank() != rank || kType.getRank() != rank ||
        vType.getRank() != rank)
      return failure();
    ArrayRef<int64_t> batch = scoreType.getShape().drop_back(2);
    int64_t headDim = qType.getShape().back();
    int64_t keyLen = kType.getDimSize(qk.getTransposeB() ? rank - 2 : rank - 1);
    int64_t keyDim = kType.getDimSize(qk.getTransposeB() ? rank - 1 : rank - 2);
    if (qType.getShape().drop_back(2) != batch ||
        kType.getShape().drop_back(2) != batch ||
        vType.getShape().drop_back(2) != batch || keyLen != keys ||
        keyDim != headDim || vType.getDimSize(rank - 2) != keys ||
        qType.getElementType() != scoreType.getElementType() ||
        !(scale > 0.0) || !std::isfinite(scale))
      return failure();
    rewriter.setInsertionPoint(op);
    if (!qk.getTransposeB())
      key = swapLastTwo(rewriter, qk.getLoc(), key);
    rewriter.replaceOpWithNewOp<AttentionOp>(
        op, op.getType(), query, key, value, mask,
        rewriter.getF32FloatAttr(static_cast<float>(scale)),
        rewriter.getBoolAttr(causal));
    count();
    return success();
  }
};

} // namespace

void rewrite::populateAttentionPatterns(RewritePatternSet &patterns,
                                        Stats *stats) {
  patterns.add<RecognizeAttention>(patterns.getContext(), stats, "attention");
}
