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

/// Verifies an op whose result types are inferred by running its inference
/// with the op's location: a shape error becomes one diagnostic naming the
/// problem, before the generic inferred-type comparison runs.
template <typename OpTy>
LogicalResult verifyByInference(OpTy op) {
  SmallVector<Type> types;
  if (failed(OpTy::inferReturnTypes(op->getContext(), op->getLoc(),
                                    op->getOperands(), op->getAttrDictionary(),
                                    op->getPropertiesStorage(),
                                    op->getRegions(), types)))
    return failure();
  if (TypeRange(types) != op->getResultTypes()) {
    InFlightDiagnostic diag = op.emitOpError("result type(s) ");
    llvm::interleaveComma(op->getResultTypes(), diag);
    diag << " differ from the inferred type(s) ";
    llvm::interleaveComma(types, diag);
    return diag;
  }
  return success();
}

} // namespace fuse
} // namespace mlir

#define GET_OP_CLASSES
#include "Fuse/Dialect/Fuse/IR/FuseOps.h.inc"

#endif // FUSE_DIALECT_FUSE_IR_FUSEOPS_H
