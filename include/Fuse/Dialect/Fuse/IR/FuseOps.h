//===- FuseOps.h - Fuse dialect operations ----------------------*- C++ -*-===//

#ifndef FUSE_DIALECT_FUSE_IR_FUSEOPS_H
#define FUSE_DIALECT_FUSE_IR_FUSEOPS_H

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Dialect/Fuse/IR/FuseInterfaces.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <limits>

#define GET_ATTRDEF_CLASSES
#include "Fuse/Dialect/Fuse/IR/FuseAttrs.h.inc"

namespace mlir {
namespace fuse {

/// Infers the numpy-broadcast result type of `operands`. The element type is
/// `elementType` when given, else the first operand's. Emits an error at
/// `loc` naming the incompatible dims.
LogicalResult inferBroadcastResult(MLIRContext *context,
                                   std::optional<Location> loc,
                                   ValueRange operands, Type elementType,
                                   SmallVectorImpl<Type> &inferredTypes);

/// numpy broadcast of two shapes; failure when they are incompatible.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                ArrayRef<int64_t> b);

} // namespace fuse
} // namespace mlir

#define GET_OP_CLASSES
#include "Fuse/Dialect/Fuse/IR/FuseOps.h.inc"

#endif // FUSE_DIALECT_FUSE_IR_FUSEOPS_H
