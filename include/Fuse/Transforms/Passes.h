//===- Passes.h - Fuse transformation passes --------------------*- C++ -*-===//

#ifndef FUSE_TRANSFORMS_PASSES_H
#define FUSE_TRANSFORMS_PASSES_H

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace fuse {

#define GEN_PASS_DECL
#include "Fuse/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Fuse/Transforms/Passes.h.inc"

} // namespace fuse
} // namespace mlir

#endif // FUSE_TRANSFORMS_PASSES_H
