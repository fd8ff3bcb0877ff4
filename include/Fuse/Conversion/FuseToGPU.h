//===- FuseToGPU.h - Queries of the GPU kernel emitters ---------*- C++ -*-===//

#ifndef FUSE_CONVERSION_FUSETOGPU_H
#define FUSE_CONVERSION_FUSETOGPU_H

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include <optional>
#include <string>

namespace mlir {
namespace fuse {

/// Why fuse-gpu-attention has no kernel for `attention` at `precision`
/// (fp32, tf32, fp16, bf16); nullopt when it has one. fuse-tile keeps such
/// an attention in linalg form, for the generic GPU path.
std::optional<std::string> unsupportedFlashAttention(AttentionOp attention,
                                                     llvm::StringRef precision);

/// Why fuse-gpu-gemm has no implicit-GEMM tensor-core kernel for `conv` at
/// `precision`; nullopt when it may have one (2-D, groups 1, static shapes,
/// f16/bf16 data or f32 at tf32/fp16/bf16; the kernel still checks the
/// tiled, bufferized form). fuse-tile tiles such a conv group tuned
/// mma_sync as an implicit GEMM (filters x output positions).
std::optional<std::string> unsupportedImplicitGemmConv(ConvOp conv,
                                                       llvm::StringRef precision);

} // namespace fuse
} // namespace mlir

#endif // FUSE_CONVERSION_FUSETOGPU_H
