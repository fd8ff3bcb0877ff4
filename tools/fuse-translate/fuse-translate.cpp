//===- fuse-translate.cpp - ONNX to fuse dialect --------------------------===//
//
//   fuse-translate --import-onnx MODEL.onnx|MODEL.onnxtxt
//       [--input-shape NAME=DIMS]... [--dim PARAM=N]... [-o OUT.mlir]
//   fuse-translate --list-onnx-ops      (the importer's op table, Markdown)
//
// Errors: one line `error: FILE: node 'NAME': ...`, exit status 1, and no
// output file.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Target/ONNX/ImportONNX.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model>"),
                                      cl::init(""));
static cl::opt<bool> importOnnx("import-onnx",
                                cl::desc("Import an ONNX model (.onnx binary "
                                         "or .onnxtxt text)"));
static cl::opt<bool> listOps("list-onnx-ops",
                             cl::desc("Print the importer's op table as "
                                      "Markdown and exit"));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Bind a graph input's shape: NAME=1x3x224x224"));
static cl::list<std::string>
    dimParams("dim", cl::desc("Bind a named dim parameter: PARAM=VALUE"));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("filename"),
                                       cl::init("-"));

static int fail(const std::string &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "Fuse model translator\n");

  if (listOps) {
    llvm::outs() << "| ONNX op | since opset | fuse ops |\n|---|---|---|\n";
    for (const fuse::OnnxOpInfo &op : fuse::getSupportedOnnxOps())
      llvm::outs() << "| " << (op.domain.empty() ? "" : op.domain + ".")
                   << op.opType << " | " << op.sinceVersion << " | "
                   << op.lowering << " |\n";
    return 0;
  }
  if (!importOnnx)
    return fail("nothing to do: pass --import-onnx MODEL (or --list-onnx-ops)");
  if (inputFile.empty())
    return fail("--import-onnx needs a model file");

  fuse::OnnxImportOptions options;
  std::string error;
  if (failed(fuse::parseImportFlags(inputShapes, dimParams, options, error)))
    return fail(error);

  MLIRContext context;
  fuse::FirstErrorPrinter diagnostics(&context);
  FailureOr<OwningOpRef<ModuleOp>> module =
      fuse::importOnnxFile(&context, inputFile, options);
  if (failed(module)) {
    if (!diagnostics.reported())
      llvm::errs() << "error: " << inputFile << ": import failed\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFile, &error);
  if (!output)
    return fail(error);
  (*module)->print(output->os());
  output->os() << "\n";
  output->keep();
  return 0;
}
