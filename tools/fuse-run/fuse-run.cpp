//===- fuse-run.cpp - Run a model, module or GPU bundle -------------------===//
//
//   fuse-run MODEL.onnx|MODEL.onnxtxt|FILE.mlir [--input-shape NAME=DIMS]...
//       [--dim PARAM=N]... [--input NAME=FILE.npy|FILE.pb]... [--seed N]
//       [--device=cpu] [--repeat N] --output-dir DIR
//   fuse-run --device=cuda BUNDLE_DIR [--input NAME=FILE.npy|FILE.pb]...
//       [--seed N] [--repeat N | --time N] --output-dir DIR
//   fuse-run --cuda-probe
// (--device=cuda is the command of fuse-cuda-run, lib/Runtime/BundleMain.cpp.)
//
// Writes DIR/<output name>.npy for every graph output; inputs not given with
// --input get seeded random data, also written as DIR/<input name>.npy.
// With --device=cuda the argument is a bundle directory written by
// `fuse-compile MODEL --emit=ptx -o BUNDLE_DIR`, run through the CUDA driver.
// Errors: one line `error: ...`, exit status 1, no output files.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Runtime/BundleMain.h"
#include "Fuse/Runtime/CpuRunner.h"
#include "Fuse/Target/ONNX/ImportONNX.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"

#include <map>
#include <random>

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
static cl::list<std::string>
    inputs("input", cl::desc("Input data: NAME=FILE.npy or NAME=FILE.pb "
                             "(ONNX TensorProto)"));
static cl::opt<unsigned> seed("seed", cl::desc("Seed for random inputs"),
                              cl::init(0));
static cl::opt<std::string>
    device("device",
           cl::desc("cpu (default), or cuda to run a bundle directory from "
                    "fuse-compile --emit=ptx"),
           cl::init("cpu"));
static cl::opt<int>
    timeRuns("time",
             cl::desc("--device=cuda: run the bundle this many more "
                      "times and print each step's median time"),
             cl::init(0));
static cl::opt<bool>
    cudaProbe("cuda-probe",
              cl::desc("Print the CUDA device that --device=cuda would use "
                       "and exit (exit status 1 when there is none)"),
              cl::init(false));
static cl::opt<int> repeat("repeat",
                           cl::desc("Run @main this many more times and print "
                                    "the median time of one run"),
                           cl::init(0));
static cl::opt<std::string> outputDir("output-dir",
                                      cl::desc("Directory for the .npy files"),
                                      cl::init(""));

static int fail(const std::string &message) {
  return fuse::failCommand(message);
}

/// Seeded random data for one input: floats in [-1, 1), integers in
/// [0, 10), booleans.
static fuse::NpyArray randomInput(RankedTensorType type, std::mt19937 &rng) {
  return fuse::randomNpyArray(fuse::npyDtypeFor(type.getElementType()),
                              type.getShape(), rng);
}

/// --device=cuda: runs the bundle directory `inputFile` (the command
/// fuse-cuda-run runs too).
static int runBundle() {
  if (!inputShapes.empty() || !dimParams.empty())
    return fail("--input-shape and --dim do not apply to --device=cuda (a "
                "bundle's shapes are fixed by fuse-compile --emit=ptx)");
  fuse::BundleCommandOptions options;
  options.bundleDir = inputFile;
  options.inputs.assign(inputs.begin(), inputs.end());
  options.seed = seed;
  options.repeat = repeat;
  options.timeRuns = timeRuns;
  options.outputDir = outputDir;
  options.command = "--device=cuda";
  options.tool = "fuse-run";
  return fuse::runBundleCommand(options);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "Fuse runner (CPU and CUDA)\n");
  if (cudaProbe)
    return fuse::runCudaProbeCommand();
  if (device != "cpu" && device != "cuda")
    return fail("--device=" + device + ": expected cpu or cuda");
  if (inputFile.empty())
    return fail(device == "cuda" ? "no bundle directory given"
                                 : "no model or module given");
  if (outputDir.empty())
    return fail("--output-dir is required");
  if (device == "cuda")
    return runBundle();
  // A bundle holds PTX only: it runs on the GPU.
  if (llvm::sys::fs::is_directory(inputFile))
    return fail(inputFile + " is a directory; a bundle directory "
                            "(fuse-compile --emit=ptx) runs with "
                            "--device=cuda");
  if (timeRuns > 0)
    return fail("--time applies to --device=cuda (use --repeat on the CPU)");

  DialectRegistry registry;
  registry.insert<fuse::FuseDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  MLIRContext context(registry);
  fuse::FirstErrorPrinter diagnostics(&context);

  fuse::OnnxImportOptions options;
  std::string flagError;
  if (failed(
          fuse::parseImportFlags(inputShapes, dimParams, options, flagError)))
    return fail(flagError);
  FailureOr<OwningOpRef<ModuleOp>> loaded =
      fuse::loadModelOrModule(&context, inputFile, options);
  if (failed(loaded))
    return diagnostics.reported() ? 1 : fail(inputFile + ": cannot load");
  OwningOpRef<ModuleOp> module = std::move(*loaded);

  auto main = module->lookupSymbol<func::FuncOp>("main");
  if (!main)
    return fail(inputFile + ": no func.func @main");
  FunctionType type = main.getFunctionType();
  auto nameOf = [&](bool result, unsigned i) {
    auto attr = result ? main.getResultAttrOfType<StringAttr>(i, "fuse.name")
                       : main.getArgAttrOfType<StringAttr>(i, "fuse.name");
    return attr ? attr.str()
                : (result ? "output_" : "input_") + std::to_string(i);
  };

  std::vector<std::string> argNames;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    argNames.push_back(nameOf(false, i));
  std::map<std::string, std::string> given;
  std::string givenError;
  if (failed(fuse::parseGivenInputs(inputs, argNames, given, givenError)))
    return fail(givenError);

  std::mt19937 rng(seed);
  std::vector<fuse::NpyArray> arrays;
  std::vector<bool> generated;
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto argType = dyn_cast<RankedTensorType>(type.getInput(i));
    if (!argType || !argType.hasStaticShape())
      return fail("input '" + nameOf(false, i) +
                  "' is not a statically shaped tensor");
    std::string name = nameOf(false, i);
    std::string dtype = fuse::npyDtypeFor(argType.getElementType());
    if (dtype.empty())
      return fail("input '" + name + "' has an unsupported element type");
    auto it = given.find(name);
    if (it == given.end()) {
      arrays.push_back(randomInput(argType, rng));
      generated.push_back(true);
      continue;
    }
    std::string error;
    FailureOr<fuse::NpyArray> array =
        fuse::readInputFile(name, it->second, argType.getShape(), dtype, error);
    if (failed(array))
      return fail(error);
    arrays.push_back(std::move(*array));
    generated.push_back(false);
  }

  // @main is lowered away by the run; take the output names first.
  std::vector<std::string> outputNames;
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    outputNames.push_back(nameOf(true, i));
  std::vector<std::string> inputNames;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    inputNames.push_back(nameOf(false, i));

  std::string error;
  double medianMs = 0;
  FailureOr<std::vector<fuse::NpyArray>> outputs =
      fuse::runOnCpu(*module, arrays, error, repeat, &medianMs);
  if (failed(outputs))
    return diagnostics.reported() ? 1 : fail(inputFile + ": " + error);
  if (repeat > 0)
    llvm::outs() << "fuse-run median ms: " << llvm::format("%.3f", medianMs)
                 << "\n";

  std::vector<std::pair<std::string, const fuse::NpyArray *>> files;
  for (unsigned i = 0; i < arrays.size(); ++i)
    if (generated[i])
      files.push_back({inputNames[i], &arrays[i]});
  for (unsigned i = 0; i < outputs->size(); ++i)
    files.push_back({outputNames[i], &(*outputs)[i]});
  if (failed(fuse::writeOutputFiles(outputDir, files, {}, error)))
    return fail(error);
  return 0;
}
