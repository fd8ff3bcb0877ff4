//===- FusionPipeline.cpp - The compile pipeline up to fused groups -------===//

#include "Fuse/Transforms/Pipelines.h"

#include "Fuse/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// Rewriting by mathematical properties, between canonicalizations.
static constexpr const char *kRewritePipeline =
    "canonicalize,fuse-rewrite,canonicalize,cse";
/// Group formation after rewriting.
static constexpr const char *kGroupPipeline = "func.func(fuse-form-groups)";

LogicalResult mlir::fuse::buildFuseRewritePipeline(OpPassManager &pm) {
  return parsePassPipeline(kRewritePipeline, pm);
}

LogicalResult mlir::fuse::buildFuseFusionPipeline(OpPassManager &pm) {
  if (failed(buildFuseRewritePipeline(pm)))
    return failure();
  return parsePassPipeline(kGroupPipeline, pm);
}

void mlir::fuse::registerFuseFusionPipelines() {
  PassPipelineRegistration<>(
      "fuse-rewrite-pipeline",
      "Canonicalize and rewrite a fuse module by mathematical properties",
      [](OpPassManager &pm) { (void)buildFuseRewritePipeline(pm); });
  PassPipelineRegistration<>(
      "fuse-fusion-pipeline",
      "Rewrite a fuse module and partition it into fuse.group kernels",
      [](OpPassManager &pm) { (void)buildFuseFusionPipeline(pm); });
}
