//===- FuseDialect.cpp - Fuse dialect registration ------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::fuse;

#include "Fuse/Dialect/Fuse/IR/FuseDialect.cpp.inc"
#include "Fuse/Dialect/Fuse/IR/FuseEnums.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "Fuse/Dialect/Fuse/IR/FuseAttrs.cpp.inc"

void FuseDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Fuse/Dialect/Fuse/IR/FuseOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Fuse/Dialect/Fuse/IR/FuseAttrs.cpp.inc"
      >();
}

Operation *FuseDialect::materializeConstant(OpBuilder &builder,
                                            Attribute value, Type type,
                                            Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
