//===- TileUnitDims.h - Unit dims of a group's linalg ops -------*- C++ -*-===//
//
// Shared by fuse-tile (Tile.cpp), its unit-dim step (TileUnitDims.cpp) and
// fuse-elementwise-fusion (ElementwiseFusion.cpp). Not installed.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_TRANSFORMS_TILEUNITDIMS_H
#define FUSE_LIB_TRANSFORMS_TILEUNITDIMS_H

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir {
namespace fuse {

/// Drops the unit-extent loop dims of the linalg.generic ops of `group`'s
/// body (lowered to linalg on tensors) when that lets it be tiled as one
/// loop or its contraction be one GEMM: a reshape that only adds or removes
/// unit dims between two computing ops (tile-and-fuse cannot cross it), or
/// a contraction whose M (or N) is split by a unit dim (a [1, S, K] x
/// [K, N] matmul, which the GEMM kernels take as [S, K] x [K, N]). The
/// reshapes left between the ops cancel; the ones at the group's inputs and
/// results are views. Groups with ops that keep their rank for a kernel (a
/// conv's window, a pad, an implicit-GEMM conv, a concat's insert) are left
/// alone. Returns whether the body changed.
bool dropGroupUnitDims(GroupOp group);

/// Whether `op` is a matmul-like contraction: a reduction over two inputs
/// into one init with a multiply-accumulate body (f or i) and
/// projected-permutation maps (constant-0 results allowed; no conv
/// windows).
bool isMatmulLikeContraction(linalg::GenericOp op);

} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_TRANSFORMS_TILEUNITDIMS_H
