//===- fuse-cuda-run.cpp - Run a GPU bundle (standalone) ------------------===//
//
//   fuse-cuda-run BUNDLE_DIR [--input NAME=FILE.npy|FILE.pb]... [--seed N]
//       [--repeat N | --time N] [--json FILE] --output-dir DIR
//   fuse-cuda-run --probe
//
// The deployable runner of bundles written by `fuse-compile MODEL --emit=ptx
// -o BUNDLE_DIR`: what `fuse-run --device=cuda` does (the same command,
// lib/Runtime/BundleMain.cpp: the same checks, messages and seeded inputs),
// in a binary that needs no MLIR or LLVM shared library, only the CUDA driver
// at run time. `--json FILE` also writes the timing of --repeat/--time.
// Errors: one line `error: ...`, exit status 1, no output files.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Runtime/BundleMain.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

namespace cl = llvm::cl;

static cl::opt<std::string> bundleDir(cl::Positional, cl::desc("<bundle dir>"),
                                      cl::init(""));
static cl::list<std::string> inputs(
    "input",
    cl::desc("Input data: NAME=FILE.npy or NAME=FILE.pb (ONNX TensorProto)"));
static cl::opt<unsigned> seed("seed", cl::desc("Seed for random inputs"),
                              cl::init(0));
static cl::opt<int>
    repeat("repeat",
           cl::desc("Run the bundle this many more times and print the "
                    "median time of one run"),
           cl::init(0));
static cl::opt<int>
    timeRuns("time",
             cl::desc("Run the bundle this many more times and print each "
                      "step's median time and the total"),
             cl::init(0));
static cl::opt<std::string>
    jsonFile("json",
             cl::desc("Write the timing of --repeat/--time to this file as "
                      "JSON (runs, total_median_ms, steps: index, label, "
                      "median_ms)"),
             cl::init(""));
static cl::opt<bool>
    probe("probe",
          cl::desc("Print the CUDA device a run would use and exit (exit "
                   "status 1 when there is none)"),
          cl::init(false));
static cl::opt<std::string> outputDir("output-dir",
                                      cl::desc("Directory for the .npy files"),
                                      cl::init(""));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv,
                              "Fuse GPU bundle runner (CUDA driver API)\n");
  if (probe)
    return mlir::fuse::runCudaProbeCommand();
  if (bundleDir.empty())
    return mlir::fuse::failCommand("no bundle directory given");
  if (outputDir.empty())
    return mlir::fuse::failCommand("--output-dir is required");
  mlir::fuse::BundleCommandOptions options;
  options.bundleDir = bundleDir;
  options.inputs.assign(inputs.begin(), inputs.end());
  options.seed = seed;
  options.repeat = repeat;
  options.timeRuns = timeRuns;
  options.outputDir = outputDir;
  options.jsonFile = jsonFile;
  options.command = "fuse-cuda-run";
  options.tool = "fuse-cuda-run";
  return mlir::fuse::runBundleCommand(options);
}
