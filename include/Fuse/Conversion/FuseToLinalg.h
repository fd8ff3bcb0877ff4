//===- FuseToLinalg.h - Lowering fuse ops to linalg, as a library -*- C++ -*-===//

#ifndef FUSE_CONVERSION_FUSETOLINALG_H
#define FUSE_CONVERSION_FUSETOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/Region.h"

namespace mlir {
namespace fuse {

/// Which f16/bf16 folds accumulate in f32 and round once at the end (as
/// ONNX Runtime does); the others accumulate in their element type.
struct Accumulation {
  /// matmuls and convolutions (conv_transpose, and attention's two
  /// products, which lower to them).
  bool wideContractions = true;
  /// sums (reduce sum, mean, prod, l1, l2, log_sum, log_sum_exp), softmax,
  /// log_softmax and layer_norm's moments and normalization.
  bool wideReductions = true;
};

/// Every fuse op's lowering pattern (not the inlining of fuse.group).
void populateFuseToLinalgPatterns(RewritePatternSet &patterns,
                                  Accumulation accumulation = {});

/// Lowers the fuse ops of `region` (e.g. a fuse.group body) to linalg,
/// tensor, arith and math, leaving the region's terminator. Emits an error
/// naming the first op without a lowering.
LogicalResult lowerFuseOpsToLinalg(Region &region,
                                   Accumulation accumulation = {});

/// Marks the loop of buildScatterUpdates, with the most iterations it has
/// (i64): fuse-gpu-map-tiles spreads them over the block's threads and
/// makes each read-modify-write of the destination one atomic.
constexpr const char *kScatterUpdatesAttrName = "fuse.scatter_updates";

/// Applies the updates at row-major positions [begin, end) of the scatter
/// `scatter` (fuse.scatter_elements or fuse.scatter_nd; its data, indices
/// and updates are used where they are defined) to `dest`, a tensor of the
/// scatter's result type: one scf.for over the range (marked
/// kScatterUpdatesAttrName with `maxIterations`, the most positions the
/// range has) that threads `dest` through tensor.extract / tensor.insert,
/// at `b`'s insertion point. Returns the updated tensor; failure when
/// `scatter` is not a scatter.
FailureOr<Value> buildScatterUpdates(OpBuilder &b, Operation *scatter,
                                     Value dest, Value begin, Value end,
                                     int64_t maxIterations);

} // namespace fuse
} // namespace mlir

#endif // FUSE_CONVERSION_FUSETOLINALG_H
