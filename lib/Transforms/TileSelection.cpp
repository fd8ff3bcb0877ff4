//===- TileSelection.cpp - Choosing a tile configuration per group --------===//

#include "TileSelection.h"

using namespace mlir;
using namespace mlir::fuse;

GroupKind mlir::fuse::classifyGroup(GroupOp group) {
  GroupKind kind = GroupKind::Elementwise;
  for (Operation &op : group.getBody().front()) {
    if (isa<AttentionOp>(op))
      return GroupKind::Attention;
    if (isa<MatMulOp>(op))
      kind = GroupKind::Gemm;
    else if (isa<ConvOp, ConvTransposeOp>(op) && kind != GroupKind::Gemm)
      kind = GroupKind::Conv;
    else if (isa<ReduceOp, SoftmaxOp, LogSoftmaxOp, LayerNormOp, MaxPoolOp,
                 AvgPoolOp>(op) &&
             kind == GroupKind::Elementwise)
      kind = GroupKind::Reduction;
  }
  return kind;
}

LogicalResult TileSelector::initialize(func::FuncOp func) {
  if (target != "h100")
    return func.emitError() << "fuse-tile: unknown target '" << target << "'";
  return success();
}

FailureOr<TileConfig> TileSelector::select(GroupOp group) {
  TileConfig config;
  switch (classifyGroup(group)) {
  case GroupKind::Gemm:
  case GroupKind::Conv:
    config.impl = "mma_sync";
    config.params = {{"BM", 128}, {"BN", 128}, {"BK", 32}, {"stages", 3},
                     {"warps", 4}};
    break;
  case GroupKind::Attention:
    config.impl = "flash_attention";
    config.params = {{"BQ", 128}, {"BKV", 64}, {"stages", 2}, {"warps", 4}};
    break;
  case GroupKind::Reduction:
    config.impl = "row_per_warp";
    config.params = {{"warps", 4}, {"vector", 4}};
    break;
  case GroupKind::Elementwise:
    config.impl = "elementwise";
    config.params = {{"threads", 256}, {"vector", 4}};
    break;
  }
  return config;
}
