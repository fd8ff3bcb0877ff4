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
