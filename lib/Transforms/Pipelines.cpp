//===- Pipelines.cpp - Fuse pass pipelines --------------------------------===//

#include "Fuse/Transforms/Pipelines.h"

#include "Fuse/Conversion/Passes.h"
#include "Fuse/Transforms/Passes.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

/// The CPU pipeline, textually, so that it reads like the mlir-opt command
/// line it replaces.
static constexpr const char *kCpuPipeline =
    "fuse-to-linalg,"
    "func.func(linalg-fuse-elementwise-ops),"
    "canonicalize,"
    "func.func(fuse-cpu-loop-order),"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-deallocation-pipeline,"
    "convert-bufferization-to-memref,"
    "fuse-cpu-copy-to-linalg,"
    "convert-linalg-to-loops,"
    "fuse-cpu-outline-loops,"
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-scf-to-cf,"
    "convert-math-to-funcs,"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "convert-to-llvm,"
    "reconcile-unrealized-casts";

void mlir::fuse::registerPassesForTextualPipelines() {
  static bool registered = [] {
    registerAllPasses();
    registerFusePasses();
    registerFuseConversionPasses();
    return true;
  }();
  (void)registered;
}

LogicalResult mlir::fuse::buildFuseCpuPipeline(OpPassManager &pm) {
  // The textual form names registered passes.
  registerPassesForTextualPipelines();
  return parsePassPipeline(kCpuPipeline, pm);
}

void mlir::fuse::registerFusePipelines() {
  PassPipelineRegistration<>(
      "fuse-cpu-pipeline",
      "Lower a fuse module to the LLVM dialect for the host CPU",
      [](OpPassManager &pm) { (void)buildFuseCpuPipeline(pm); });
}
