//===- ImportFuzzer.cpp - libFuzzer target for the ONNX importer ----------===//
//
// Feeds arbitrary bytes to the importer, as ONNX text when they start with
// '<' and as a binary ModelProto otherwise. Any input must end in a module
// or in a diagnostic; crashes, hangs and sanitizer reports are bugs.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Target/ONNX/ImportONNX.h"
#include "mlir/IR/MLIRContext.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *context = [] {
    auto *ctx = new mlir::MLIRContext(mlir::MLIRContext::Threading::DISABLED);
    ctx->getDiagEngine().registerHandler(
        [](mlir::Diagnostic &) { return mlir::success(); });
    return ctx;
  }();
  llvm::StringRef buffer(reinterpret_cast<const char *>(data), size);
  bool isText = !buffer.empty() && buffer.ltrim().starts_with("<");
  mlir::fuse::OnnxImportOptions options;
  // Bind the dim parameter names the seed corpus uses.
  options.dimParams = {{"N", 1}, {"S", 4}};
  auto module =
      mlir::fuse::importOnnxBuffer(context, buffer, "fuzz", isText, options);
  (void)module;
  return 0;
}
