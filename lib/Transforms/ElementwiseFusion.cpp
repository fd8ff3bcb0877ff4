//===- ElementwiseFusion.cpp - Elementwise fusion that keeps GEMMs 2-D ----===//
//
// Upstream's linalg elementwise fusion patterns, with reshape folding
// turned off at matmul-like contractions: fuse-tile gives the GEMM kernels
// [M, K] x [K, N] contractions behind unit-dim reshapes, and folding those
// reshapes back into the contraction (by expanding its loops) would give
// back the unit dim the kernels do not take.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Transforms/Passes.h"
#include "TileUnitDims.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEELEMENTWISEFUSION
#include "Fuse/Transforms/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;

namespace {

bool isMatmulLike(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && fuse::isMatmulLikeContraction(generic);
}

struct ElementwiseFusionPass
    : public fuse::impl::FuseElementwiseFusionBase<ElementwiseFusionPass> {
  using FuseElementwiseFusionBase::FuseElementwiseFusionBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // Fuse a producer into its consumer only when it has no other use (no
    // recomputation).
    linalg::ControlFusionFn singleUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    // The same for reshapes, except into or out of a matmul-like
    // contraction: `fused` is the reshape's operand when a generic's result
    // is reshaped, the generic's operand when a reshape feeds it.
    linalg::ControlFusionFn reshapes = [singleUse](OpOperand *fused) {
      return singleUse(fused) && !isMatmulLike(fused->getOwner()) &&
             !isMatmulLike(fused->get().getDefiningOp());
    };
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, singleUse);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, reshapes);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
    // Not converging leaves valid IR, only less fused (as upstream's pass).
    (void)applyPatternsGreedily(getOperation(), std::move(patterns),
                                GreedyRewriteConfig().setUseTopDownTraversal());
  }
};

} // namespace
