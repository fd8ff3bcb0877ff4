//===- FuseDialect.cpp - Fuse dialect registration ------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
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

LogicalResult
TileAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                 StringRef impl, DictionaryAttr params) {
  auto isIdentifier = [](StringRef text) {
    return !text.empty() && llvm::all_of(text, [](char c) {
      return llvm::isAlnum(c) || c == '_';
    });
  };
  if (!isIdentifier(impl))
    return emitError() << "tile implementation '" << impl
                       << "' is not an identifier";
  for (NamedAttribute param : params)
    if (!isa<IntegerAttr>(param.getValue()))
      return emitError() << "tile parameter '" << param.getName().getValue()
                         << "' is not an integer";
  return success();
}
