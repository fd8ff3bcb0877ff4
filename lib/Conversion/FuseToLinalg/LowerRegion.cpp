//===- LowerRegion.cpp - fuse-to-linalg on one region ---------------------===//

#include "Fuse/Conversion/FuseToLinalg.h"
#include "Patterns.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;
using namespace mlir::fuse;

LogicalResult mlir::fuse::lowerFuseOpsToLinalg(Region &region,
                                               Accumulation accumulation) {
  RewritePatternSet patterns(region.getContext());
  populateFuseToLinalgPatterns(patterns, accumulation);
  GreedyRewriteConfig config;
  config.enableFolding(false);
  Operation *parent = region.getParentOp();
  if (failed(applyPatternsGreedily(region, std::move(patterns), config)))
    return parent->emitError("lowering to linalg did not converge");
  Operation *unlowered = nullptr;
  region.walk([&](Operation *op) {
    if (!unlowered && isa<FuseDialect>(op->getDialect()) &&
        !op->hasTrait<OpTrait::IsTerminator>() && !isa<GroupOp>(op))
      unlowered = op;
  });
  if (unlowered)
    return unlowered->emitError()
           << "no lowering to linalg for '" << unlowered->getName()
           << "' with these types and attributes";
  return success();
}
