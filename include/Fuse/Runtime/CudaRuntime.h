//===- CudaRuntime.h - Run a bundle on the CUDA driver API -------*- C++
//-*-===//
//
// Executes a validated Bundle on an NVIDIA GPU through the CUDA driver API.
// libcuda.so.1 is opened with dlopen at run time (never linked), so programs
// using this start on machines without a driver; there every entry point
// fails with "no CUDA device: <reason>". Built without CUDA headers, every
// entry point fails with "no CUDA device: built without CUDA headers".
//
// The environment variable FUSE_CUDA_LIBRARY overrides the library opened
// (default libcuda.so.1).
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_RUNTIME_CUDARUNTIME_H
#define FUSE_RUNTIME_CUDARUNTIME_H

#include "Fuse/Runtime/Bundle.h"

#include <memory>

namespace mlir {
namespace fuse {

/// The message prefix of every error that means no usable GPU.
inline constexpr const char *kNoCudaDevice = "no CUDA device: ";

/// Opens the driver and checks that device `ordinal` exists; on success
/// returns its name and compute capability ("NVIDIA H100 (sm_90)").
llvm::Expected<std::string> probeCudaDevice(int ordinal = 0);

/// Per-step times of `CudaBundleRunner::time`: the median over the runs of
/// each step's time (CUDA events around the step), and the median of the
/// whole plan's time.
struct BundleTiming {
  struct Step {
    size_t index;
    std::string label; // the kernel name, "copy" or "memset"
    double medianMs;
  };
  std::vector<Step> steps;
  double totalMedianMs = 0;
  unsigned runs = 0;
};

/// A bundle loaded on one device: the module is JIT-compiled, the kernels
/// resolved, the buffers allocated and the weights uploaded by `create`; the
/// runner can then be run many times (the tuner's measured mode).
class CudaBundleRunner {
public:
  static llvm::Expected<std::unique_ptr<CudaBundleRunner>>
  create(const Bundle &bundle, int ordinal = 0);
  ~CudaBundleRunner();
  CudaBundleRunner(const CudaBundleRunner &) = delete;
  CudaBundleRunner &operator=(const CudaBundleRunner &) = delete;

  /// Uploads the graph inputs: one byte array per `bundle.inputs` entry, of
  /// the buffer's exact size in its dtype.
  llvm::Error setInputs(llvm::ArrayRef<llvm::ArrayRef<char>> inputs);
  /// Runs every step once and waits for the device.
  llvm::Error run();
  /// Runs the plan `runs` times (after one warm-up run) timing each step.
  llvm::Expected<BundleTiming> time(unsigned runs);
  /// Downloads the graph outputs, one byte array per `bundle.outputs` entry.
  llvm::Expected<std::vector<std::vector<char>>> getOutputs();

  struct Impl;

private:
  explicit CudaBundleRunner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace fuse
} // namespace mlir

#endif // FUSE_RUNTIME_CUDARUNTIME_H
