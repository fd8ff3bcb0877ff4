//===- FuseToLinalg.h - Lowering fuse ops to linalg, as a library -*- C++ -*-===//

#ifndef FUSE_CONVERSION_FUSETOLINALG_H
#define FUSE_CONVERSION_FUSETOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Region.h"

namespace mlir {
namespace fuse {

/// Every fuse op's lowering pattern (not the inlining of fuse.group).
/// `wideAccumulation`: f16/bf16 matmuls and convolutions accumulate in
/// f32 and round once at the end; false: in their element type.
void populateFuseToLinalgPatterns(RewritePatternSet &patterns,
                                  bool wideAccumulation = true);

/// Lowers the fuse ops of `region` (e.g. a fuse.group body) to linalg,
/// tensor, arith and math, leaving the region's terminator. Emits an error
/// naming the first op without a lowering. `wideAccumulation` as for
/// populateFuseToLinalgPatterns.
LogicalResult lowerFuseOpsToLinalg(Region &region,
                                   bool wideAccumulation = true);

} // namespace fuse
} // namespace mlir

#endif // FUSE_CONVERSION_FUSETOLINALG_H
