//===- Diagnostics.cpp - One-line tool diagnostics ------------------------===//

#include "Fuse/Target/ONNX/ImportONNX.h"
#include "mlir/IR/Location.h"

using namespace mlir;

/// The file a location points into, if any.
static std::string fileOf(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return file.getFilename().str();
  if (auto name = dyn_cast<NameLoc>(loc))
    return fileOf(name.getChildLoc());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations()) {
      std::string file = fileOf(inner);
      if (!file.empty())
        return file;
    }
  return "";
}

std::string mlir::fuse::formatToolDiagnostic(Diagnostic &diagnostic) {
  // One line: collapse the multi-line messages libonnx produces.
  std::string message;
  bool space = false;
  for (char c : diagnostic.str()) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !message.empty();
      continue;
    }
    if (space)
      message += ' ';
    space = false;
    message += c;
  }
  std::string prefix;
  Location loc = diagnostic.getLocation();
  std::string file = fileOf(loc);
  if (!file.empty())
    prefix = file + ": ";
  if (auto name = dyn_cast<NameLoc>(loc))
    if (!StringRef(message).starts_with("node '"))
      prefix += "node '" + name.getName().str() + "': ";
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    if (file.getLine() != 0)
      prefix = file.getFilename().str() + ":" + std::to_string(file.getLine()) +
               ":" + std::to_string(file.getColumn()) + ": ";
  const char *severity =
      diagnostic.getSeverity() == DiagnosticSeverity::Error ? "error"
      : diagnostic.getSeverity() == DiagnosticSeverity::Warning ? "warning"
                                                                 : "note";
  return std::string(severity) + ": " + prefix + message;
}

mlir::fuse::FirstErrorPrinter::FirstErrorPrinter(MLIRContext *context)
    : handler(context, [this](Diagnostic &diag) {
        if (diag.getSeverity() == DiagnosticSeverity::Error && !printed) {
          printed = true;
          llvm::errs() << formatToolDiagnostic(diag) << "\n";
        }
        return success();
      }) {}
