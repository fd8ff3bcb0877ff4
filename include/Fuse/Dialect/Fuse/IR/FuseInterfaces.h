//===- FuseInterfaces.h - Fusion-kind and cost interfaces -------*- C++ -*-===//

#ifndef FUSE_DIALECT_FUSE_IR_FUSEINTERFACES_H
#define FUSE_DIALECT_FUSE_IR_FUSEINTERFACES_H

#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/TypeRange.h"
#include "llvm/ADT/StringRef.h"

#include "Fuse/Dialect/Fuse/IR/FuseEnums.h.inc"

namespace mlir {
namespace fuse {

/// Bytes of one element of `elementType` in memory (i1 is stored as a byte).
int64_t elementBytes(Type elementType);
/// Number of elements of a statically shaped tensor; 0 for anything else.
int64_t numElements(Type type);
/// Bytes of a statically shaped tensor; 0 for anything else.
int64_t tensorBytes(Type type);
/// Sum of tensorBytes over `types`.
int64_t sumTensorBytes(TypeRange types);
/// Product of `values` (1 for an empty list).
int64_t product(llvm::ArrayRef<int64_t> values);

/// The most complex of two mapping types (OneToOne < Reorganize < Shuffle <
/// OneToMany < ManyToMany).
MappingType combineMappingTypes(MappingType a, MappingType b);
/// OneToOne when every operand has the result's shape, else OneToMany
/// (a broadcast replicates some input elements).
MappingType elementwiseMapping(Operation *op);

} // namespace fuse
} // namespace mlir

#include "Fuse/Dialect/Fuse/IR/FuseInterfaces.h.inc"

#endif // FUSE_DIALECT_FUSE_IR_FUSEINTERFACES_H
