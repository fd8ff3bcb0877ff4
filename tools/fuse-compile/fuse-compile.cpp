//===- fuse-compile.cpp - The Fuse compiler driver ------------------------===//
//
//   fuse-compile MODEL.onnx|MODEL.onnxtxt|FILE.mlir [--input-shape NAME=DIMS]...
//       [--dim PARAM=N]... [--target=h100] [--precision=fp32|tf32|fp16|bf16]
//       --emit=fuse|rewritten|fused|tiled|gpu|ptx [-o OUT]
//       [--fuse-report=REPORT.json|-] [--fuse-report-dot=FILE.dot]
//
// Runs import -> rewrite -> fuse -> tile and writes the module of the
// requested stage (`gpu`: the host function and the gpu.module of kernels
// before NVVM; `ptx`: a bundle directory OUT with model.ptx, plan.json and
// weights.bin, see docs/bundle.md). `--fuse-report` writes the fusion report as JSON (`-`: a summary
// on standard output); `--fuse-report-dot` a Graphviz picture of the groups.
// Errors: one line `error: ...`, exit status 1, no output file.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Driver/Compile.h"
#include "Fuse/Runtime/Bundle.h"
#include "Fuse/Runtime/CudaRuntime.h"
#include "Fuse/Target/ONNX/ImportONNX.h"
#include "Fuse/Transforms/FusionReport.h"
#include "Fuse/Transforms/Passes.h"
#include "Fuse/Transforms/Pipelines.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<model.onnx|module.mlir>"),
                                      cl::init(""));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Bind a graph input's shape: NAME=1x3x224x224"));
static cl::list<std::string>
    dimParams("dim", cl::desc("Bind a named dim parameter: PARAM=VALUE"));
static cl::opt<std::string> target("target", cl::desc("GPU target (h100)"),
                                   cl::init("h100"));
static cl::opt<std::string>
    precision("precision", cl::desc("fp32 (default), tf32, fp16 or bf16"),
              cl::init("fp32"));
static cl::opt<std::string>
    emit("emit",
         cl::desc("Stage to write: fuse (imported), rewritten, fused, "
                  "tiled, gpu (kernels in the gpu dialect) or ptx (a bundle "
                  "directory: model.ptx, plan.json, weights.bin)"),
         cl::init(""));
static cl::list<std::string>
    tileConfigs("fuse-tile-config",
                cl::desc("Override a group's tile configuration: "
                         "GROUP=IMPL:NAME=VALUE,... (group numbers as in the "
                         "report)"));
static cl::opt<std::string>
    tuningDb("tuning-db", cl::desc("SQLite tuning database to reuse and extend"),
             cl::init(""));
static cl::opt<std::string>
    tuneMode("tune",
             cl::desc("How tile configurations are chosen: model (the cost "
                      "model, default) or measure (the cost model's top-k "
                      "of every group timed on the GPU, stored in "
                      "--tuning-db)"),
             cl::init("model"));
static cl::opt<int64_t>
    tuneTopK("tune-top-k",
             cl::desc("Configurations per group timed by --tune=measure"),
             cl::init(5));
static cl::opt<int64_t>
    tuneRuns("tune-runs",
             cl::desc("Timed runs per configuration (median) for "
                      "--tune=measure"),
             cl::init(20));
static cl::opt<std::string>
    cudaPath("cuda-path",
             cl::desc("CUDA toolkit whose libdevice the kernels link "
                      "(--emit=gpu|ptx)"),
             cl::init("/usr/local/cuda"));
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("filename"),
                                       cl::init(""));
static cl::opt<std::string>
    reportFile("fuse-report",
               cl::desc("Write the fusion report as JSON (- for a summary "
                        "on standard output)"),
               cl::init(""));
static cl::opt<std::string>
    dotFile("fuse-report-dot",
            cl::desc("Write a Graphviz picture of the fused groups"),
            cl::init(""));

namespace {
/// Measured mode's timer: each candidate bundle is written to a temporary
/// directory, loaded by the CUDA runtime with zero inputs and timed (median
/// of the plan's total time over the runs, after a warm-up).
class CudaBundleTimer : public fuse::BundleTimer {
public:
  FailureOr<double> time(const fuse::CompiledBundle &compiled, int64_t runs,
                         std::string &error) override {
    llvm::SmallString<128> dir;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("fuse-measure", dir)) {
      error = "cannot create a temporary directory: " + ec.message();
      return failure();
    }
    auto cleanUp = llvm::make_scope_exit(
        [&] { llvm::sys::fs::remove_directories(dir); });
    if (failed(fuse::writeBundle(compiled, dir, error)))
      return failure();
    auto fail = [&](llvm::Error err) -> FailureOr<double> {
      error = llvm::toString(std::move(err));
      return failure();
    };
    llvm::Expected<fuse::Bundle> bundle = fuse::loadBundle(dir);
    if (!bundle)
      return fail(bundle.takeError());
    auto runner = fuse::CudaBundleRunner::create(*bundle);
    if (!runner)
      return fail(runner.takeError());
    std::vector<std::vector<char>> inputs;
    std::vector<llvm::ArrayRef<char>> refs;
    for (const fuse::BundleIO &io : bundle->inputs)
      inputs.emplace_back(bundle->lookup(io.buffer)->bytes, 0);
    for (const std::vector<char> &input : inputs)
      refs.push_back(input);
    if (llvm::Error err = (*runner)->setInputs(refs))
      return fail(std::move(err));
    llvm::Expected<fuse::BundleTiming> timing = (*runner)->time(runs);
    if (!timing)
      return fail(timing.takeError());
    return timing->totalMedianMs * 1e-3;
  }
};
} // namespace

static int fail(const std::string &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerAllPasses();
  fuse::registerFusePasses();
  cl::ParseCommandLineOptions(argc, argv, "Fuse compiler\n");

  if (inputFile.empty())
    return fail("no model given");
  std::optional<fuse::CompileStage> stage = fuse::parseCompileStage(emit);
  if (!stage)
    return fail(emit.empty()
                    ? "--emit=fuse|rewritten|fused|tiled|gpu|ptx is required"
                    : "unknown --emit=" + emit +
                          " (expected fuse, rewritten, fused, tiled, gpu or "
                          "ptx)");
  bool bundleOut = *stage == fuse::CompileStage::Ptx;
  if (bundleOut && (outputFile.empty() || outputFile == "-"))
    return fail("--emit=ptx writes a bundle directory: give it with -o DIR");
  fuse::CompileOptions compile;
  compile.stage = *stage;
  compile.target = target;
  compile.precision = precision;
  compile.tileConfigs.assign(tileConfigs.begin(), tileConfigs.end());
  compile.tuningDb = tuningDb;
  compile.cudaPath = cudaPath;
  compile.tuneMode = tuneMode;
  compile.tuneTopK = tuneTopK;
  compile.tuneRuns = tuneRuns;
  compile.makeTimer = [](std::string &reason)
      -> FailureOr<std::unique_ptr<fuse::BundleTimer>> {
    llvm::Expected<std::string> device = fuse::probeCudaDevice();
    if (!device) {
      reason = llvm::toString(device.takeError());
      return failure();
    }
    return std::unique_ptr<fuse::BundleTimer>(new CudaBundleTimer());
  };
  compile.modelName = inputFile;
  compile.wantReport = !reportFile.empty();
  compile.wantDot = !dotFile.empty();
  compile.configurePassManager = [](PassManager &pm) {
    return applyPassManagerCLOptions(pm);
  };
  std::string error;
  if (failed(fuse::verifyCompileOptions(compile, error)))
    return fail(error);

  fuse::OnnxImportOptions options;
  if (failed(fuse::parseImportFlags(inputShapes, dimParams, options, error)))
    return fail(error);

  DialectRegistry registry;
  registry.insert<fuse::FuseDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  fuse::registerFuseGpuPipelineDialects(registry);
  MLIRContext context(registry);
  fuse::FirstErrorPrinter diagnostics(&context);

  FailureOr<OwningOpRef<ModuleOp>> loaded =
      fuse::loadModelOrModule(&context, inputFile, options);
  if (failed(loaded))
    return diagnostics.reported() ? 1 : fail(inputFile + ": cannot load");
  OwningOpRef<ModuleOp> module = std::move(*loaded);
  FailureOr<fuse::CompileResult> result =
      fuse::compileModule(*module, compile, error);
  if (failed(result))
    return diagnostics.reported() ? 1 : fail(inputFile + ": " + error);
  std::optional<llvm::json::Object> &report = result->report;
  std::string &dot = result->dot;

  // Everything is computed; now write, and keep the files only when all
  // writes succeed.
  std::vector<std::unique_ptr<llvm::ToolOutputFile>> files;
  auto open = [&](const std::string &path) -> llvm::ToolOutputFile * {
    files.push_back(openOutputFile(path, &error));
    return files.back().get();
  };
  bool summaryOnStdout = reportFile == "-";
  std::string outPath = outputFile;
  if (outPath.empty() && !summaryOnStdout)
    outPath = "-";
  if (bundleOut) {
    outPath.clear();
  }
  if (!outPath.empty()) {
    llvm::ToolOutputFile *out = open(outPath);
    if (!out)
      return fail(error);
    module->print(out->os());
    out->os() << "\n";
  }
  if (report) {
    if (summaryOnStdout) {
      fuse::printFusionSummary(*report, llvm::outs());
    } else {
      llvm::ToolOutputFile *out = open(reportFile);
      if (!out)
        return fail(error);
      out->os() << llvm::formatv("{0:2}",
                                 llvm::json::Value(std::move(*report)))
                << "\n";
    }
  }
  if (!dotFile.empty()) {
    llvm::ToolOutputFile *out = open(dotFile);
    if (!out)
      return fail(error);
    out->os() << dot;
  }
  for (auto &file : files) {
    file->os().flush();
    if (file->os().has_error())
      return fail("cannot write " + file->getFilename().str());
  }
  // The bundle last: a failed report write leaves no bundle behind.
  if (bundleOut && failed(fuse::writeBundle(*result->bundle, outputFile,
                                            error)))
    return fail(error);
  for (auto &file : files)
    file->keep();
  return 0;
}
