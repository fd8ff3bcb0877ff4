//===- FuseToGPU.h - Queries of the GPU kernel emitters ---------*- C++ -*-===//

#ifndef FUSE_CONVERSION_FUSETOGPU_H
#define FUSE_CONVERSION_FUSETOGPU_H

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace mlir {
namespace fuse {

/// Why fuse-gpu-attention has no kernel for `attention` at `precision`
/// (fp32, tf32, fp16, bf16); nullopt when it has one. fuse-tile keeps such
/// an attention in linalg form, for the generic GPU path.
std::optional<std::string> unsupportedFlashAttention(AttentionOp attention,
                                                     llvm::StringRef precision);

/// Why the GEMM implementation `impl` ("mma_sync": fuse-gpu-gemm's
/// tensor-core kernel, "fma_gemm": fuse-gpu-simt-gemm's fp32 SIMT kernel)
/// has no implicit-GEMM kernel for `conv` at `precision`; nullopt when it
/// may have one: 2-D, static shapes, groups 1 or grouped but not depthwise
/// (mma_sync: groups of at least 8 filters and a reduction of 16), and for
/// mma_sync f16/bf16 data or f32 at tf32/fp16/bf16, for fma_gemm f32 data
/// (the kernels still check the tiled, bufferized form). fuse-tile tiles
/// such a conv group tuned `impl` as an implicit GEMM (filters x output
/// positions).
std::optional<std::string> unsupportedImplicitGemmConv(ConvOp conv,
                                                       llvm::StringRef impl,
                                                       llvm::StringRef precision);

/// The same for a conv_transpose (2-D, groups 1, static shapes, the element
/// types of unsupportedImplicitGemmConv): the implicit GEMM reads input
/// i = (o + pad - k * dilation) / stride where the division is exact and
/// in range, and the weight [C][F][K...] at (c, f, K - 1 - k).
std::optional<std::string>
unsupportedImplicitGemmConvTranspose(ConvTransposeOp conv,
                                     llvm::StringRef impl,
                                     llvm::StringRef precision);

/// One addend of an attention operand read through a strided view: element
/// (i_0, ..., i_n) of the operand is element `offset + sum_k strides[k] *
/// i_k` of `source` laid out row-major (`source`: a value the kernel takes
/// as is, e.g. a group input).
struct AttentionView {
  Value source;
  int64_t offset = 0;
  llvm::SmallVector<int64_t> strides;
};

/// How the FlashAttention kernel addresses an attention's operands and its
/// output without materializing the views around it: the fuse.reshape,
/// fuse.transpose, fuse.slice (positive steps), fuse.split ops and the
/// fuse.add of such views (a bias) that produce Q, K and V in its block,
/// and the fuse.transpose / fuse.reshape chain its result goes through.
struct AttentionAddressing {
  /// Q, K, V: each the sum (in order, rounded to the element type after
  /// each addition) of its views.
  llvm::SmallVector<llvm::SmallVector<AttentionView>, 3> operands;
  /// The producers folded into the operands' addressing.
  llvm::SmallVector<Operation *> producers;
  /// The ops after the attention folded into the output's addressing, in
  /// order: the kernel writes element i of the attention's result to
  /// element `output.offset + sum_k output.strides[k] * i_k` of a row-major
  /// buffer of `output.source` (the last one's result, or the attention's
  /// own when there is none).
  llvm::SmallVector<Operation *> consumers;
  AttentionView output;
};

/// The addressing of `attention` over the ops of its block: a producer
/// is folded in only when all its users are folded in too (or are the
/// attention's Q/K/V), a view the kernel cannot express as strides (e.g. a
/// reshape merging dims a transpose made non-contiguous) is left to be
/// materialized, and an operand is the sum of at most 4 views.
AttentionAddressing planAttentionAddressing(AttentionOp attention);

/// The attention of a flash_attention group's `body` that fuse-gpu-attention
/// emits one kernel for, with its addressing (`plan`): the body is one
/// fuse.attention, the views its addressing folds in and constants, and
/// yields the (folded) result. Null otherwise.
AttentionOp attentionKernelOf(Block &body, AttentionAddressing &plan);

} // namespace fuse
} // namespace mlir

#endif // FUSE_CONVERSION_FUSETOGPU_H
