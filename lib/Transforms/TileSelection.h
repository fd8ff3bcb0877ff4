//===- TileSelection.h - Choosing a tile configuration per group -*- C++ -*-===//
//
// The search space of each fused group (a nested choice among
// implementations, each with its own tile parameters, and variables shared
// by the ops of the group), tuned with the cost model of the target, and
// reused from / recorded into the tuning database.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_TRANSFORMS_TILESELECTION_H
#define FUSE_LIB_TRANSFORMS_TILESELECTION_H

#include "Fuse/CostModel/CostModel.h"
#include "Fuse/CostModel/SearchSpace.h"
#include "Fuse/CostModel/TargetSpec.h"
#include "Fuse/CostModel/TileConfig.h"
#include "Fuse/CostModel/Tuner.h"
#include "Fuse/CostModel/TuningDatabase.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <memory>
#include <string>

namespace mlir {
namespace fuse {

/// The search space of a workload on `target`. A GEMM-like group is two
/// sub-spaces sharing `warps`: the main loop (mma_sync, wgmma on sm_90, or
/// the FMA path, each with its own BM/BN/BK/stages) and the epilogue (its
/// store vector width); other kinds are one sub-space. Constraints on
/// shared memory prune points before they are costed.
SearchSpace buildSearchSpace(const Workload &workload,
                             const TargetSpec &target);

/// Statistics over all groups of one pass run.
struct TileSelectionStats {
  int64_t groups = 0, fromDatabase = 0;
  uint64_t jointPoints = 0, costedPoints = 0;
  double predictedSeconds = 0;
};

/// Picks each group's configuration for one target.
class TileSelector {
public:
  TileSelector(std::string target, std::string tuningDb,
               std::string precision)
      : targetName(std::move(target)), tuningDbPath(std::move(tuningDb)),
        precisionName(std::move(precision)) {}
  /// Checks the target and opens the database; emits an error on `func`.
  LogicalResult initialize(func::FuncOp func);
  /// The best configuration for `group`; emits an error on failure.
  FailureOr<TileConfig> select(GroupOp group);
  /// Checks a user-given configuration for `group` with the cost model
  /// (the implementation applies to the group's kind, its parameters are
  /// complete and fit the target); emits an error naming the group.
  LogicalResult validate(GroupOp group, int64_t id, const TileConfig &config);
  const TileSelectionStats &getStats() const { return stats; }
  /// The group's key in the tuning database; emits an error on the group
  /// when it has no workload.
  FailureOr<std::string> signature(GroupOp group);

private:
  /// The group's cost-model workload at the requested precision; emits an
  /// error on the group when there is none.
  FailureOr<Workload> workloadOf(GroupOp group);

  std::string targetName, tuningDbPath, precisionName;
  std::optional<Precision> precision;
  const TargetSpec *target = nullptr;
  std::unique_ptr<TuningDatabase> database;
  TileSelectionStats stats;
};

} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_TRANSFORMS_TILESELECTION_H
