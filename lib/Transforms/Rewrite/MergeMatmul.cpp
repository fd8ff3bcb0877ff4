//===- MergeMatmul.cpp - Horizontal merge of matmuls sharing an input -----===//
//
// matmul(x, W1), ..., matmul(x, Wn) with constant 2-D f32 right operands of
// the same K (Q, K, V projections) become one matmul on the concatenated
// weights and a fuse.split: x is read once. When every matmul is followed
// by an add of a constant bias along its columns, the biases are
// concatenated too and one add precedes the split.
//
//===----------------------------------------------------------------------===//

#include "Rewrite/RewriteUtils.h"

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::rewrite;

namespace {

struct Candidate {
  MatMulOp matmul;
  std::vector<float> weight;
  int64_t columns;
  AddOp bias;
  std::vector<float> biasValues;
};

struct MergeMatmuls : CountedPattern<MatMulOp> {
  using CountedPattern::CountedPattern;

  std::optional<Candidate> candidate(MatMulOp mm, MatMulOp anchor) const {
    if (mm.getLhs() != anchor.getLhs() || mm.getTransposeA() ||
        mm.getTransposeB() != anchor.getTransposeB() ||
        mm->getBlock() != anchor->getBlock() || !isF32(mm.getResult()))
      return std::nullopt;
    auto wType = cast<RankedTensorType>(mm.getRhs().getType());
    auto aType = cast<RankedTensorType>(anchor.getRhs().getType());
    bool tb = mm.getTransposeB();
    if (wType.getRank() != 2 || aType.getRank() != 2 ||
        wType.getDimSize(tb ? 1 : 0) != aType.getDimSize(tb ? 1 : 0))
      return std::nullopt;
    auto outType = cast<RankedTensorType>(mm.getType());
    if (outType.getShape().drop_back() !=
        cast<RankedTensorType>(anchor.getType()).getShape().drop_back())
      return std::nullopt;
    if (!isF32Constant(mm.getRhs()))
      return std::nullopt;
    Candidate c{mm, {}, wType.getDimSize(tb ? 0 : 1), {}, {}};
    if (mm->hasOneUse())
      if (auto add = dyn_cast<AddOp>(*mm->getUsers().begin())) {
        Value other = add.getLhs() == mm.getResult() ? add.getRhs()
                                                     : add.getLhs();
        std::optional<std::vector<float>> b = readF32Constant(other);
        if (b && add.getType() == mm.getType() && other != mm.getResult())
          if (auto column = alongAxis(
                  cast<RankedTensorType>(other.getType()).getShape(), *b,
                  outType.getShape(), outType.getRank() - 1)) {
            c.bias = add;
            c.biasValues = std::move(*column);
          }
      }
    return c;
  }

  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (!isF32Constant(op.getRhs()))
      return failure();
    SmallVector<Candidate> group;
    for (Operation *user : op.getLhs().getUsers())
      if (auto mm = dyn_cast<MatMulOp>(user))
        if (llvm::none_of(group,
                          [&](const Candidate &c) { return c.matmul == mm; }))
          if (std::optional<Candidate> c = candidate(mm, op))
            group.push_back(std::move(*c));
    if (group.size() < 2)
      return failure();
    for (Candidate &c : group)
      c.weight = *readF32Constant(c.matmul.getRhs());
    llvm::sort(group, [](const Candidate &a, const Candidate &b) {
      return a.matmul->isBeforeInBlock(b.matmul);
    });
    bool tb = op.getTransposeB();
    int64_t k = cast<RankedTensorType>(op.getRhs().getType())
                    .getDimSize(tb ? 1 : 0);
    int64_t total = 0;
    SmallVector<int64_t> sizes;
    for (const Candidate &c : group) {
      sizes.push_back(c.columns);
      total += c.columns;
    }
    // Concatenated weights: [K, N1 + ... + Nn], or rows for transpose_b.
    std::vector<float> weight(k * total);
    int64_t offset = 0;
    for (const Candidate &c : group) {
      for (int64_t r = 0; r < k; ++r)
        for (int64_t n = 0; n < c.columns; ++n) {
          if (tb)
            weight[(offset + n) * k + r] = c.weight[n * k + r];
          else
            weight[r * total + offset + n] = c.weight[r * c.columns + n];
        }
      offset += c.columns;
    }
    bool mergeBias = llvm::all_of(
        group, [](const Candidate &c) { return static_cast<bool>(c.bias); });

    Operation *first = group.front().matmul;
    rewriter.setInsertionPoint(first);
    SmallVector<Location> locs;
    for (Candidate &c : group)
      locs.push_back(c.matmul.getLoc());
    Location loc = rewriter.getFusedLoc(locs);
    SmallVector<int64_t> wShape = tb ? SmallVector<int64_t>{total, k}
                                     : SmallVector<int64_t>{k, total};
    Value w = createF32Constant(rewriter, loc, wShape, weight);
    auto outType = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> shape(outType.getShape());
    shape.back() = total;
    auto mergedType = RankedTensorType::get(shape, outType.getElementType());
    Value merged = MatMulOp::create(rewriter, loc, mergedType, op.getLhs(), w,
                                    false, tb);
    if (mergeBias) {
      std::vector<float> bias;
      for (const Candidate &c : group)
        bias.insert(bias.end(), c.biasValues.begin(), c.biasValues.end());
      Value b = createF32Constant(rewriter, loc, {total}, bias);
      merged = AddOp::create(rewriter, loc, mergedType, merged, b);
    }
    SmallVector<Type> types;
    for (const Candidate &c : group) {
      SmallVector<int64_t> part(shape);
      part.back() = c.columns;
      types.push_back(RankedTensorType::get(part, outType.getElementType()));
    }
    auto split = SplitOp::create(rewriter, loc, types, merged,
                                 rewriter.getI64IntegerAttr(shape.size() - 1),
                                 rewriter.getDenseI64ArrayAttr(sizes));
    for (auto [i, c] : llvm::enumerate(group)) {
      if (mergeBias) {
        rewriter.replaceOp(c.bias, split.getResult(i));
        rewriter.eraseOp(c.matmul);
      } else {
        rewriter.replaceOp(c.matmul, split.getResult(i));
      }
    }
    count();
    return success();
  }
};

} // namespace

void rewrite::populateMergeMatmulPatterns(RewritePatternSet &patterns,
                                          Stats *stats) {
  patterns.add<MergeMatmuls>(patterns.getContext(), stats, "merge-matmuls");
}
