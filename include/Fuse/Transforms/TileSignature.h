//===- TileSignature.h - A group's key in the tuning database ---*- C++ -*-===//

#ifndef FUSE_TRANSFORMS_TILESIGNATURE_H
#define FUSE_TRANSFORMS_TILESIGNATURE_H

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include <string>

namespace mlir {
namespace fuse {

/// The key of a fused (untiled) `group` in the tuning database for `target`
/// at `precision`, exactly as `--fuse-tile` computes it: its cost-model
/// workload and its ops. Emits an error on the group when it has none.
FailureOr<std::string> getGroupTuningSignature(GroupOp group,
                                               llvm::StringRef target,
                                               llvm::StringRef precision);

} // namespace fuse
} // namespace mlir

#endif // FUSE_TRANSFORMS_TILESIGNATURE_H
