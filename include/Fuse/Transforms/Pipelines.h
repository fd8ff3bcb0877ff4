//===- Pipelines.h - Fuse pass pipelines ------------------------*- C++ -*-===//

#ifndef FUSE_TRANSFORMS_PIPELINES_H
#define FUSE_TRANSFORMS_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace mlir {
namespace fuse {

/// fuse (or linalg on tensors) -> LLVM dialect for the host CPU:
/// fuse-to-linalg, elementwise fusion, one-shot bufferization with identity
/// layouts at function boundaries, buffer deallocation, loops, LLVM.
LogicalResult buildFuseCpuPipeline(OpPassManager &pm);

/// What `fuse-compile --emit=rewritten` runs after import: canonicalization
/// and the rewriting by mathematical properties.
LogicalResult buildFuseRewritePipeline(OpPassManager &pm);
/// What `--emit=fused` runs: the rewrite pipeline, then fuse-form-groups.
LogicalResult buildFuseFusionPipeline(OpPassManager &pm);
/// Registers `--fuse-rewrite-pipeline` and `--fuse-fusion-pipeline`.
void registerFuseFusionPipelines();

/// Registers `--fuse-cpu-pipeline` with the pass registry.
void registerFusePipelines();

} // namespace fuse
} // namespace mlir

#endif // FUSE_TRANSFORMS_PIPELINES_H
