//===- BundleMain.h - The bundle-running command of the tools ---*- C++ -*-===//
//
// The command behind `fuse-run --device=cuda BUNDLE_DIR` and the standalone
// `fuse-cuda-run BUNDLE_DIR`: seeded or given inputs, one CUDA run, optional
// timing, the outputs as .npy files. Also the input/output file handling that
// fuse-run's CPU path shares. Depends on LLVMSupport only (no MLIR library,
// no protobuf: ONNX TensorProto (.pb) inputs are read by TensorProto.h).
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_RUNTIME_BUNDLEMAIN_H
#define FUSE_RUNTIME_BUNDLEMAIN_H

#include "Fuse/Runtime/CudaRuntime.h"
#include "Fuse/Runtime/Npy.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
namespace fuse {

/// Prints `error: MESSAGE` to standard error and returns 1 (the exit status).
int failCommand(const std::string &message);

/// Parses `--input NAME=FILE` flags into NAME -> FILE; every NAME must be one
/// of `names`.
LogicalResult parseGivenInputs(ArrayRef<std::string> flags,
                               ArrayRef<std::string> names,
                               std::map<std::string, std::string> &given,
                               std::string &error);

/// Reads the --input file of input `name` (.npy, or .pb: an ONNX
/// TensorProto) and checks its shape and numpy dtype.
FailureOr<NpyArray> readInputFile(const std::string &name,
                                  const std::string &file,
                                  ArrayRef<int64_t> shape, StringRef dtype,
                                  std::string &error);

/// Writes OUTDIR/<name>.npy for each entry, then each extra (path, contents)
/// file; on a failure removes the files already written, so an error leaves
/// no output files behind.
LogicalResult
writeOutputFiles(StringRef outputDir,
                 ArrayRef<std::pair<std::string, const NpyArray *>> arrays,
                 ArrayRef<std::pair<std::string, std::string>> extraFiles,
                 std::string &error);

/// The options of one bundle run.
struct BundleCommandOptions {
  std::string bundleDir;
  std::vector<std::string> inputs; // --input NAME=FILE
  unsigned seed = 0;
  int repeat = 0;   // --repeat N: print the total median
  int timeRuns = 0; // --time N: print each step's median and the total
  std::string outputDir;
  std::string jsonFile; // --json FILE: the timing as JSON
  /// How messages name the command ("--device=cuda", "fuse-cuda-run") and
  /// the prefix of the timing lines ("fuse-run", "fuse-cuda-run").
  std::string command = "--device=cuda";
  std::string tool = "fuse-run";
};

/// Runs the bundle directory `options.bundleDir` on CUDA device 0; returns
/// the exit status (errors: one `error: ...` line, status 1, no files).
int runBundleCommand(const BundleCommandOptions &options);

/// What one run of a bundle on the GPU gives: the outputs (in
/// `bundle.outputs` order, as exchanged in .npy files: bf16 widened to f32)
/// and, when timed runs were asked for, their timing.
struct BundleRunResult {
  std::vector<NpyArray> outputs;
  std::optional<BundleTiming> timing;
};

/// Runs `bundle` on GPU 0: uploads `inputs` (one per `bundle.inputs` entry,
/// of the buffer's shape and its .npy dtype; bf16 buffers take f32 arrays,
/// rounded to nearest even), runs every step once, downloads the outputs,
/// then (`timeRuns` > 0) times that many more runs. The command-line tools
/// and the Python package (`CompiledModel.run(device="cuda")`) share it.
/// Errors: no CUDA device (kNoCudaDevice), and every CUDA failure, naming
/// the step.
llvm::Expected<BundleRunResult>
runBundleOnDevice(const Bundle &bundle, llvm::ArrayRef<NpyArray> inputs,
                  unsigned timeRuns);

/// Prints the device a run would use (`NAME (sm_XY)`); returns the exit
/// status (1 with `error: no CUDA device: ...` when there is none).
int runCudaProbeCommand();

} // namespace fuse
} // namespace mlir

#endif // FUSE_RUNTIME_BUNDLEMAIN_H
