//===- Pipelines.h - Fuse pass pipelines ------------------------*- C++ -*-===//

#ifndef FUSE_TRANSFORMS_PIPELINES_H
#define FUSE_TRANSFORMS_PIPELINES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

namespace mlir {
namespace fuse {

/// fuse (or linalg on tensors) -> LLVM dialect for the host CPU:
/// fuse-to-linalg, elementwise fusion, one-shot bufferization with identity
/// layouts at function boundaries, buffer deallocation, loops, LLVM.
LogicalResult buildFuseCpuPipeline(OpPassManager &pm);

/// Registers (once) every pass the textual pipelines name: MLIR's, Fuse's
/// transforms and conversions.
void registerPassesForTextualPipelines();

/// What `fuse-compile --emit=rewritten` runs after import: canonicalization
/// and the rewriting by mathematical properties.
LogicalResult buildFuseRewritePipeline(OpPassManager &pm);
/// What `--emit=fused` runs: the rewrite pipeline, then fuse-form-groups.
LogicalResult buildFuseFusionPipeline(OpPassManager &pm);
/// Registers `--fuse-rewrite-pipeline` and `--fuse-fusion-pipeline`.
void registerFuseFusionPipelines();

/// A tiled module (--fuse-tile: each fuse.group holds an scf.forall mapped
/// to GPU blocks) -> GPU kernels serialized to PTX in gpu.binary ops for
/// `chip` (e.g. sm_80, sm_90): fuse-to-linalg, one-shot bufferization, tiles
/// to blocks and tile loops to threads, kernel outlining, NVVM, and
/// gpu-module-to-binary{format=isa}. The host side stays on memrefs with
/// gpu.launch_func. libdevice is linked from `cudaPath`. Untiled groups,
/// invalid chips and a toolkit without libdevice are errors.
/// Every launch is outlined into the one gpu.module `@fuse_kernels` as a
/// kernel named after its group (`group_<N>`). `Kernels` stops after
/// outlining (gpu dialect kernels, what `fuse-compile --emit=gpu` writes);
/// `Binary` goes on to NVVM and PTX.
enum class GpuPipelineStage { Kernels, Binary };
LogicalResult
buildFuseGpuPipeline(OpPassManager &pm, StringRef chip, StringRef cudaPath,
                     GpuPipelineStage stage = GpuPipelineStage::Binary);
/// Registers `--fuse-gpu-pipeline` (options `chip`, default sm_90, and
/// `cuda-path`, default /usr/local/cuda).
void registerFuseGpuPipeline();
/// What the GPU pipeline needs in the context's registry: the translations
/// to LLVM IR (builtin, LLVM, NVVM, GPU) that gpu-module-to-binary uses.
void registerFuseGpuPipelineDialects(DialectRegistry &registry);

/// Registers `--fuse-cpu-pipeline` with the pass registry.
void registerFusePipelines();

} // namespace fuse
} // namespace mlir

#endif // FUSE_TRANSFORMS_PIPELINES_H
