//===- MeasuredTuning.h - Tuning by timing candidates on a GPU --*- C++ -*-===//
//
// Measured mode (`fuse-compile --tune=measure --tuning-db=DB`): for every
// fused group, the cost model's top-k configurations (recorded in the tuning
// database by --fuse-tile) are compiled one by one as a bundle holding only
// that group, timed on the GPU, and stored beside the prediction; the
// tiling that follows reads the database and takes the fastest measured
// configuration of each group. Configurations measured before are not timed
// again.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_DRIVER_MEASUREDTUNING_H
#define FUSE_DRIVER_MEASUREDTUNING_H

#include "Fuse/Driver/Bundle.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir {
namespace fuse {

struct CompileOptions;

/// Times bundles; the CUDA runtime's implementation runs them on the GPU.
class BundleTimer {
public:
  virtual ~BundleTimer();
  /// The median seconds of one execution of every step of `bundle`, over
  /// `runs` timed executions after a warm-up.
  virtual FailureOr<double> time(const CompiledBundle &bundle, int64_t runs,
                                 std::string &error) = 0;
};

struct MeasureStats {
  int64_t groups = 0;
  /// Configurations timed now, found measured in the database, and whose
  /// compilation failed (skipped, with the first reason kept).
  int64_t measured = 0, reused = 0, failedToCompile = 0;
  std::string firstFailure;
};

/// Measures the top `topK` configurations of every group of the fused
/// module `fused` (left unchanged) for `options.target` and records them in
/// `options.tuningDb`, which must be set.
FailureOr<MeasureStats> measureGroups(ModuleOp fused,
                                      const CompileOptions &options,
                                      BundleTimer &timer, int64_t topK,
                                      int64_t runs, std::string &error);

} // namespace fuse
} // namespace mlir

#endif // FUSE_DRIVER_MEASUREDTUNING_H
