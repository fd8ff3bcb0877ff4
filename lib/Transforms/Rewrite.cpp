//===- Rewrite.cpp - Rewriting by mathematical properties -----------------===//
//
// --fuse-rewrite: the pattern families of Rewrite/ (scale folding, composite
// recognition, attention, horizontal matmul merge) together with the
// dialect's transpose/reshape composition patterns, run by the greedy
// driver to a fixed point.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "Fuse/Transforms/Passes.h"
#include "Rewrite/RewriteUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEREWRITE
#include "Fuse/Transforms/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse;

namespace {
struct RewritePass : public mlir::fuse::impl::FuseRewriteBase<RewritePass> {
  using FuseRewriteBase::FuseRewriteBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    rewrite::Stats stats;
    // Phase 1: every family but the folds into the following conv; phase 2
    // adds those, so that a constant after an activation only moves forward
    // once composites and folds into the preceding op have taken theirs.
    FrozenRewritePatternSet phases[2];
    for (int phase = 0; phase < 2; ++phase) {
      RewritePatternSet patterns(context);
      // Transpose and reshape chains: reuse the canonicalization patterns.
      TransposeOp::getCanonicalizationPatterns(patterns, context);
      ReshapeOp::getCanonicalizationPatterns(patterns, context);
      rewrite::populateConstantChainPatterns(patterns, &stats);
      rewrite::populateFoldScalePatterns(patterns, &stats);
      rewrite::populateMatmulFlagPatterns(patterns, &stats);
      rewrite::populateRecognizePatterns(patterns, &stats);
      rewrite::populateLayerNormPatterns(patterns, &stats);
      rewrite::populateAttentionPatterns(patterns, &stats);
      rewrite::populateMergeMatmulPatterns(patterns, &stats);
      if (phase == 1)
        rewrite::populateFoldIntoNextConvPatterns(patterns, &stats);
      phases[phase] =
          FrozenRewritePatternSet(std::move(patterns), disabledPatterns);
    }
    GreedyRewriteConfig config;
    config.setMaxIterations(static_cast<int64_t>(maxIterations));
    // One fixed point per function, so that a failure names its function.
    SmallVector<Operation *> roots;
    if (auto module = dyn_cast<ModuleOp>(getOperation())) {
      for (Operation &op : module.getBody()->getOperations())
        if (op.getNumRegions() > 0)
          roots.push_back(&op);
    } else {
      roots.push_back(getOperation());
    }
    bool failedAny = false;
    for (Operation *root : roots) {
      for (const FrozenRewritePatternSet &frozen : phases) {
        if (succeeded(applyPatternsGreedily(root, frozen, config)))
          continue;
        root->emitError("fuse-rewrite: patterns did not converge in ")
            << static_cast<int64_t>(maxIterations) << " iterations";
        failedAny = true;
        break;
      }
    }
    if (failedAny)
      return signalPassFailure();
    if (printStats) {
      SmallVector<std::pair<StringRef, int64_t>> rows;
      for (auto &entry : stats)
        rows.push_back({entry.getKey(), entry.getValue()});
      llvm::sort(rows);
      llvm::errs() << "fuse-rewrite stats:";
      if (rows.empty())
        llvm::errs() << " none";
      llvm::errs() << "\n";
      for (auto [name, n] : rows)
        llvm::errs() << "  " << name << " " << n << "\n";
    }
  }
};
} // namespace
