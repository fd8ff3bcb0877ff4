//===- RowReduction.h - Row reductions with warp shuffles -------*- C++ -*-===//
//
// The hooks of fuse-gpu-map-tiles (ThreadMapping.cpp) into the warp-shuffle
// row reductions of RowReduction.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_CONVERSION_FUSETOGPU_ROWREDUCTION_H
#define FUSE_LIB_CONVERSION_FUSETOGPU_ROWREDUCTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>

namespace mlir {
namespace fuse {

/// The threads `op` (a linalg op of a tile body, on buffers) keeps busy
/// when the tile choice `tile` is row_per_warp (32 per row of the op) or
/// row_per_block (all of them) and `op` is a row reduction the warp-shuffle
/// path handles; nullopt otherwise.
std::optional<int64_t> rowReductionThreads(Operation *op, Attribute tile);

/// Emits, at the insertion point of `b` (inside a gpu.launch, before
/// `op`), the computation of `op` as a warp-shuffle row reduction over the
/// threads `tid` of the launch's block when the launch's #fuse.tile is
/// row_per_warp or row_per_block, `op` a row reduction the path handles and
/// the block a whole number of warps. Returns whether it did (the caller
/// then erases `op`; otherwise it distributes `op` as usual).
bool emitRowReduction(OpBuilder &b, linalg::LinalgOp op, Value tid);

} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_CONVERSION_FUSETOGPU_ROWREDUCTION_H
