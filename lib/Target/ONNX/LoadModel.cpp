//===- LoadModel.cpp - A model or a module, as the tools take it ----------===//

#include "Fuse/Target/ONNX/ImportONNX.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;

FailureOr<OwningOpRef<ModuleOp>>
mlir::fuse::loadModelOrModule(MLIRContext *context, StringRef path,
                              const OnnxImportOptions &options) {
  if (!path.ends_with(".mlir"))
    return importOnnxFile(context, path, options);
  llvm::SourceMgr sourceMgr;
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(path, sourceMgr, context);
  if (!module) {
    // The parser has reported why, unless the file could not be opened.
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot parse the module";
    return failure();
  }
  return module;
}
