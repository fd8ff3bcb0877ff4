//===- FuseInterfaces.cpp - Fusion-kind and cost interfaces ---------------===//

#include "Fuse/Dialect/Fuse/IR/FuseInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

using namespace mlir;
using namespace mlir::fuse;

#include "Fuse/Dialect/Fuse/IR/FuseInterfaces.cpp.inc"

int64_t mlir::fuse::elementBytes(Type elementType) {
  unsigned bits = elementType.getIntOrFloatBitWidth();
  return std::max<int64_t>(1, (bits + 7) / 8);
}

int64_t mlir::fuse::numElements(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  return shaped.getNumElements();
}

int64_t mlir::fuse::tensorBytes(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape() ||
      !shaped.getElementType().isIntOrFloat())
    return 0;
  return shaped.getNumElements() * elementBytes(shaped.getElementType());
}

int64_t mlir::fuse::sumTensorBytes(TypeRange types) {
  int64_t total = 0;
  for (Type type : types)
    total += tensorBytes(type);
  return total;
}

int64_t mlir::fuse::product(ArrayRef<int64_t> values) {
  int64_t result = 1;
  for (int64_t v : values)
    result *= v;
  return result;
}

MappingType mlir::fuse::combineMappingTypes(MappingType a, MappingType b) {
  return static_cast<uint32_t>(a) >= static_cast<uint32_t>(b) ? a : b;
}

MappingType mlir::fuse::elementwiseMapping(Operation *op) {
  if (op->getNumResults() != 1)
    return MappingType::OneToOne;
  auto resultType = dyn_cast<ShapedType>(op->getResult(0).getType());
  for (Type operandType : op->getOperandTypes()) {
    auto shaped = dyn_cast<ShapedType>(operandType);
    if (!shaped || !resultType || shaped.getShape() != resultType.getShape())
      return MappingType::OneToMany;
  }
  return MappingType::OneToOne;
}
