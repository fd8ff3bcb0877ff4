//===- FuseToLinalg.h - Lowering fuse ops to linalg, as a library -*- C++ -*-===//

#ifndef FUSE_CONVERSION_FUSETOLINALG_H
#define FUSE_CONVERSION_FUSETOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Region.h"

namespace mlir {
namespace fuse {

/// Every fuse op's lowering pattern (not the inlining of fuse.group).
void populateFuseToLinalgPatterns(RewritePatternSet &patterns);

/// Lowers the fuse ops of `region` (e.g. a fuse.group body) to linalg,
/// tensor, arith and math, leaving the region's terminator. Emits an error
/// naming the first op without a lowering.
LogicalResult lowerFuseOpsToLinalg(Region &region);

} // namespace fuse
} // namespace mlir

#endif // FUSE_CONVERSION_FUSETOLINALG_H
