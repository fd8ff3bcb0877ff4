//===- TileConfigAttr.h - TileConfig <-> #fuse.tile -------------*- C++ -*-===//

#ifndef FUSE_COSTMODEL_TILECONFIGATTR_H
#define FUSE_COSTMODEL_TILECONFIGATTR_H

#include "Fuse/CostModel/TileConfig.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

namespace mlir {
namespace fuse {

/// `#fuse.tile<"IMPL", {NAME = VALUE : i64, ...}>` of a configuration.
TileAttr getTileAttr(MLIRContext *context, const TileConfig &config);
/// The configuration a `#fuse.tile` holds.
TileConfig getTileConfig(TileAttr attr);

} // namespace fuse
} // namespace mlir

#endif // FUSE_COSTMODEL_TILECONFIGATTR_H
