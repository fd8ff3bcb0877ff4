//===- CpuLoopOrder.cpp - Vectorizable innermost loops for reductions -----===//
//
// Moves the parallel dim that indexes the output's last (contiguous) dim of
// a reduction linalg.generic to the innermost position, keeping the order of
// every other dim, so that the innermost loop after convert-linalg-to-loops
// has independent iterations that LLVM's loop vectorizer can turn into SIMD
// code.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSECPULOOPORDER
#include "Fuse/Transforms/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;

namespace {

/// Largest slab of output rows (bytes) kept in the L1 cache by
/// outputBlockOrder.
constexpr int64_t kOutputSlabBytes = 32 * 1024;
/// Most output rows in one block: rows a whole plane apart often share
/// their cache sets (planes of 4 KiB multiples), and more of them than the
/// cache has ways evict each other.
constexpr int64_t kMaxBlockRows = 8;

/// With a single input `x` reading the innermost dim `dim` (the image of a
/// convolution, the [K, N] operand of a matmul), the order
///   [other dims] [reductions] [block] [dim]
/// where the block is the innermost parallel dims that `x` does not read
/// (the filters of a convolution, or a block of them), as many as keep at
/// most kMaxBlockRows output rows in kOutputSlabBytes: each row of `x`
/// loaded into L1 serves every output row of the block while they stay in
/// L1. std::nullopt when no such dim fits.
std::optional<SmallVector<unsigned>> outputBlockOrder(linalg::GenericOp op,
                                                      unsigned dim) {
  OpOperand *image = nullptr;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!op.getMatchingIndexingMap(input).isFunctionOfDim(dim))
      continue;
    if (image)
      return std::nullopt;
    image = input;
  }
  if (!image)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  auto outType = dyn_cast<ShapedType>(op.getDpsInitOperand(0)->get().getType());
  if (!outType || !outType.getElementType().isIntOrFloat())
    return std::nullopt;
  AffineMap imageMap = op.getMatchingIndexingMap(image);
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  // The other parallel dims join the block from the innermost outward while
  // the slab fits; the rest stay outside the reductions.
  SmallVector<bool> inBlock(op.getNumLoops(), false);
  int64_t rows = 1;
  int64_t rowBytes = ranges[dim] *
                     std::max<int64_t>(1, outType.getElementTypeBitWidth() / 8);
  for (unsigned i = op.getNumLoops(); i-- > 0;) {
    if (i == dim || iterators[i] == utils::IteratorType::reduction ||
        imageMap.isFunctionOfDim(i))
      continue;
    if (rows * ranges[i] > kMaxBlockRows ||
        rows * ranges[i] * rowBytes > kOutputSlabBytes)
      break;
    rows *= ranges[i];
    inBlock[i] = true;
  }
  SmallVector<unsigned> outer, reductions, blocked;
  for (unsigned i = 0, e = op.getNumLoops(); i < e; ++i) {
    if (i == dim)
      continue;
    if (iterators[i] == utils::IteratorType::reduction)
      reductions.push_back(i);
    else if (inBlock[i])
      blocked.push_back(i);
    else
      outer.push_back(i);
  }
  if (blocked.empty() || reductions.empty() || rows == 1)
    return std::nullopt;
  SmallVector<unsigned> perm(outer);
  perm.append(reductions);
  perm.append(blocked);
  perm.push_back(dim);
  return perm;
}

/// The permutation (new dim i = old dim perm[i]) that moves the dim to
/// vectorize innermost, or std::nullopt when `op` should stay as it is.
std::optional<SmallVector<unsigned>> innermostPermutation(linalg::GenericOp op) {
  if (op.getNumReductionLoops() == 0 || op.getNumDpsInits() != 1)
    return std::nullopt;
  unsigned loops = op.getNumLoops();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0 || !outMap.isProjectedPermutation())
    return std::nullopt;
  auto last = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!last)
    return std::nullopt;
  unsigned dim = last.getPosition();
  if (dim == loops - 1 ||
      op.getIteratorTypesArray()[dim] != utils::IteratorType::parallel)
    return std::nullopt;
  // Every input reads the dim, if at all, in its last position only.
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    for (auto [i, expr] : llvm::enumerate(map.getResults()))
      if (expr.isFunctionOfDim(dim) && i + 1 != map.getNumResults())
        return std::nullopt;
  }
  SmallVector<unsigned> perm;
  for (unsigned i = 0; i < loops; ++i)
    if (i != dim)
      perm.push_back(i);
  perm.push_back(dim);
  if (std::optional<SmallVector<unsigned>> blocked = outputBlockOrder(op, dim))
    return blocked;
  return perm;
}

struct CpuLoopOrderPass
    : public mlir::fuse::impl::FuseCpuLoopOrderBase<CpuLoopOrderPass> {
  using FuseCpuLoopOrderBase::FuseCpuLoopOrderBase;

  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation()->walk([&](linalg::GenericOp op) { generics.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : generics) {
      std::optional<SmallVector<unsigned>> perm = innermostPermutation(op);
      if (!perm)
        continue;
      rewriter.setInsertionPoint(op);
      if (failed(linalg::interchangeGenericOp(rewriter, op, *perm))) {
        op.emitOpError("cannot interchange the loops of this op");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
