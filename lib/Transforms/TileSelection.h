//===- TileSelection.h - Choosing a tile configuration per group -*- C++ -*-===//

#ifndef FUSE_LIB_TRANSFORMS_TILESELECTION_H
#define FUSE_LIB_TRANSFORMS_TILESELECTION_H

#include "Fuse/CostModel/TileConfig.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace mlir {
namespace fuse {

/// What kind of kernel a group is, by its heaviest op.
enum class GroupKind { Gemm, Conv, Attention, Reduction, Elementwise };
GroupKind classifyGroup(GroupOp group);

/// Picks each group's configuration for `target`.
class TileSelector {
public:
  TileSelector(std::string target, std::string tuningDb)
      : target(std::move(target)), tuningDb(std::move(tuningDb)) {}
  /// Checks the target and opens the database; emits an error on `func`.
  LogicalResult initialize(func::FuncOp func);
  /// The configuration for `group`; emits an error on failure.
  FailureOr<TileConfig> select(GroupOp group);

private:
  std::string target, tuningDb;
};

} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_TRANSFORMS_TILESELECTION_H
