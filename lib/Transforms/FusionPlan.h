//===- FusionPlan.h - DNNFusion group planning internals --------*- C++ -*-===//
//
// Shared by the group-forming pass (FormGroups.cpp), its profitability
// function (FusionProfitability.cpp) and the fusion report. Not installed.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_TRANSFORMS_FUSIONPLAN_H
#define FUSE_LIB_TRANSFORMS_FUSIONPLAN_H

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"

namespace mlir {
namespace fuse {

struct TargetSpec;

/// What the profitability function prices with. With a target, kernels are
/// priced by the analytical cost model (lib/CostModel); the bandwidth and
/// FMA numbers (an H100-SXM's by default: 3.35 TB/s HBM3, 67 TFLOP/s fp32)
/// price the recomputation, and everything when no target is given.
struct FusionBudget {
  const TargetSpec *target = nullptr;
  double dramBytesPerSecond = 3.35e12;
  double fmaFlopsPerSecond = 67.0e12;
  /// Output tile edge a matmul/convolution kernel reuses its operands over.
  int64_t gemmTile = 128;
};

/// The mapping type the fusion plan uses for `op`: its FusionKindInterface
/// type, except that a broadcasting elementwise op whose replicated operands
/// are all constants counts as OneToOne. Ops without the interface are
/// ManyToMany.
MappingType fusionMappingType(Operation *op);

/// True when a producer group of type `producer` may fuse into a consumer
/// group of type `consumer` by DNNFusion's mapping-type table.
bool isLegalFusion(MappingType producer, MappingType consumer);

/// How many times a consumer `op` reads each element of its operand
/// `operandIndex` from memory when the operand is recomputed in front of it
/// instead of being loaded: 1 for streaming ops, the number of output tiles
/// that read it for matmul and convolution, the window overlap for pools.
int64_t recomputeFactor(Operation *op, unsigned operandIndex,
                        const FusionBudget &budget);

/// The profitability test of one merge. `producerOps` and `consumerOps` are
/// the ops of the two groups; the intermediates are the producer results
/// the consumer reads.
bool isProfitableFusion(ArrayRef<Operation *> producerOps,
                        ArrayRef<Operation *> consumerOps,
                        const FusionBudget &budget);

} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_TRANSFORMS_FUSIONPLAN_H
