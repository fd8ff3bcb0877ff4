//===- ImportONNX.h - ONNX model importer -----------------------*- C++ -*-===//
//
// Imports an ONNX model (binary protobuf or ONNX textual syntax) into a
// module holding `func.func @main` in the fuse dialect. libonnx checks the
// model, converts it to opset 17 and infers shapes after the user binds the
// dynamic dims; a table of per-op handlers then maps every node onto fuse
// ops. Failures emit one error diagnostic located at the offending node.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_TARGET_ONNX_IMPORTONNX_H
#define FUSE_TARGET_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <utility>
#include <vector>

namespace mlir {
namespace fuse {

struct OnnxImportOptions {
  /// `--input-shape NAME=D0xD1x...`: the full static shape of a graph input.
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputShapes;
  /// `--dim PARAM=VALUE`: binds a named dim parameter everywhere.
  std::vector<std::pair<std::string, int64_t>> dimParams;
};

/// The opset every model is converted to before import.
constexpr int64_t kOnnxTargetOpset = 17;

/// Imports the model in `path` (`.onnxtxt` is parsed as ONNX text, anything
/// else as a binary ModelProto). Emits an error diagnostic and returns
/// failure on any problem.
FailureOr<OwningOpRef<ModuleOp>>
importOnnxFile(MLIRContext *context, StringRef path,
               const OnnxImportOptions &options);

/// Imports a model held in memory; `bufferName` names it in diagnostics.
FailureOr<OwningOpRef<ModuleOp>>
importOnnxBuffer(MLIRContext *context, StringRef buffer, StringRef bufferName,
                 bool isText, const OnnxImportOptions &options);

/// What the tools accept as a model: `.mlir` is parsed as a module at any
/// stage (the import flags do not apply to it), anything else is imported
/// as ONNX. Emits an error diagnostic and returns failure on any problem.
FailureOr<OwningOpRef<ModuleOp>>
loadModelOrModule(MLIRContext *context, StringRef path,
                  const OnnxImportOptions &options);

/// Parses `NAME=1x3x224x224` (`--input-shape`); a scalar is `NAME=`.
FailureOr<std::pair<std::string, std::vector<int64_t>>>
parseInputShapeFlag(StringRef flag, std::string &error);
/// Parses `PARAM=VALUE` (`--dim`).
FailureOr<std::pair<std::string, int64_t>> parseDimFlag(StringRef flag,
                                                        std::string &error);

/// Parses the repeatable `--input-shape` and `--dim` flag values of the tools
/// into `options`; `error` says which flag is malformed.
LogicalResult parseImportFlags(ArrayRef<std::string> inputShapes,
                               ArrayRef<std::string> dims,
                               OnnxImportOptions &options, std::string &error);

/// Formats an error diagnostic as the single line the tools print:
/// `error: FILE: node 'NAME': MESSAGE` (the node part when the location is
/// an ONNX node's NameLoc).
std::string formatToolDiagnostic(Diagnostic &diagnostic);

/// Prints the first error diagnostic of a context as the one line the tools
/// print (formatToolDiagnostic) to standard error and drops the rest, so
/// that bad input gets exactly one error line.
class FirstErrorPrinter {
public:
  explicit FirstErrorPrinter(MLIRContext *context);
  /// Whether an error was printed.
  bool reported() const { return printed; }

private:
  bool printed = false;
  ScopedDiagnosticHandler handler;
};

/// One row of the importer's op table.
struct OnnxOpInfo {
  StringRef domain;
  StringRef opType;
  /// The opset whose form the handler implements; older models reach it
  /// through libonnx's version converter.
  int64_t sinceVersion;
  /// The fuse ops the node becomes.
  StringRef lowering;
};

/// The importer's op table, sorted by op type.
std::vector<OnnxOpInfo> getSupportedOnnxOps();

} // namespace fuse
} // namespace mlir

#endif // FUSE_TARGET_ONNX_IMPORTONNX_H
