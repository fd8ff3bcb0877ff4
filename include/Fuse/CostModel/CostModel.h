//===- CostModel.h - Analytical latency model of a fused group --*- C++ -*-===//
//
// Predicts the latency of one fused group (one kernel) under a TileConfig on
// a TargetSpec: per-tile math on the tensor-core or FMA path, shared-memory
// operand traffic, DRAM traffic with tile reuse in L2, occupancy from
// registers / shared memory / threads, waves and wave quantization, the
// overlap of copies and math in a multi-stage pipeline, and launch overhead.
// docs/cost-model.md gives the equations.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_COSTMODEL_COSTMODEL_H
#define FUSE_COSTMODEL_COSTMODEL_H

#include "Fuse/CostModel/TargetSpec.h"
#include "Fuse/CostModel/TileConfig.h"

#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>

namespace mlir {
class Operation;
namespace fuse {
class GroupOp;
class ConvOp;

enum class WorkloadKind { Gemm, Attention, Elementwise, Reduction, DataMovement };

/// "gemm", "attention", "elementwise", "reduction", "data_movement".
llvm::StringRef stringifyWorkloadKind(WorkloadKind kind);

/// What one fused group computes, as far as the cost model cares.
struct Workload {
  WorkloadKind kind = WorkloadKind::Elementwise;
  /// The math path: fp32 runs on the FMA pipes; tf32/fp16/bf16/fp8 on tensor
  /// cores (gemm and attention; elementwise work always uses the FMA pipes).
  Precision precision = Precision::FP32;
  /// Bytes of one element as stored (elementwise/reduction vector width);
  /// 0 means precisionBytes(precision).
  int64_t elementBytes = 0;

  /// Gemm: C[batch, m, n] = A[batch, m, k] x B[batch, k, n]; batched matmul
  /// and convolution as implicit GEMM (m = N*OH*OW, n = F/groups,
  /// k = C/groups*KH*KW, batch = groups).
  int64_t m = 0, n = 0, k = 0, batch = 1;
  /// Bytes of the A and B operands as stored (an implicit-GEMM input is
  /// smaller than m*k elements; a broadcast operand is not repeated per
  /// batch); 0 means batch*m*k and batch*k*n elements.
  int64_t bytesA = 0, bytesB = 0;
  /// A convolution (or conv_transpose) as implicit GEMM: its tensor-core
  /// kernel is mma_sync's (fuse-gpu-gemm has no implicit-GEMM wgmma kernel).
  bool convolution = false;
  /// A 2-D depthwise convolution (one input channel and one filter per
  /// group: batch = channels, n = 1, k = kernel taps), which the GEMM
  /// kernels do not run: its direct kernel ("depthwise") stages a window of
  /// the input per block, so the model needs the conv's geometry (output
  /// plane, kernel, strides, dilations; [0] is the height).
  bool depthwise = false;
  int64_t convOut[2] = {0, 0}, convKernel[2] = {0, 0};
  int64_t convStride[2] = {1, 1}, convDilation[2] = {1, 1};

  /// Attention: batchHeads independent softmax(q k^T) v of seqQ x seqKV.
  int64_t batchHeads = 0, seqQ = 0, seqKV = 0, headDim = 0;
  /// Head dim of v; 0 means headDim.
  int64_t valueDim = 0;
  bool causal = false;

  /// Elementwise / data movement: elements of the largest result.
  int64_t elements = 0;
  /// Reduction (also softmax, layer norm): `rows` independent rows of
  /// `rowLength` contiguous elements.
  int64_t rows = 0, rowLength = 0;

  /// DRAM traffic of the fused group: its inputs (and constants) read once,
  /// its results written once.
  int64_t bytesRead = 0, bytesWritten = 0;
  /// All arithmetic of the group (0 means derive it from the shape for gemm
  /// and attention) and the part of it done by the fused epilogue /
  /// prologue ops (on the FMA path).
  int64_t flops = 0;
  int64_t epilogueFlops = 0;

  /// Convenience constructors that also fill the byte and FLOP fields.
  static Workload gemm(int64_t m, int64_t n, int64_t k, Precision precision,
                       int64_t batch = 1);
  static Workload attention(int64_t batchHeads, int64_t seqQ, int64_t seqKV,
                            int64_t headDim, Precision precision,
                            bool causal = false);
  static Workload elementwise(int64_t elements, int64_t bytesRead,
                              int64_t bytesWritten, int64_t flops,
                              Precision precision = Precision::FP32);
  static Workload reduction(int64_t rows, int64_t rowLength,
                            Precision precision = Precision::FP32,
                            int64_t flopsPerElement = 1);

  /// Derived values.
  int64_t elemBytes() const;
  int64_t totalFlops() const;
  std::string str() const;
};

/// The predicted latency of a workload under one configuration, with its
/// parts. Times are seconds for the whole kernel.
struct CostEstimate {
  double latency = 0;

  /// Math on the chosen path, including the waste of partial tiles and of
  /// partial waves.
  double computeTime = 0;
  /// DRAM bytes / achievable bandwidth.
  double memoryTime = 0;
  /// Shared-memory operand traffic / shared-memory bandwidth.
  double smemTime = 0;
  /// Memory latency not hidden by the pipeline (prologues, too few stages).
  double exposedLatency = 0;
  /// Fused epilogue work and output stores after the main loop.
  double epilogueTime = 0;
  double launchOverhead = 0;
  /// Fraction of min(computeTime, memoryTime) hidden under the other one.
  double overlap = 0;
  /// "compute", "memory", "shared-memory", "latency" or "launch".
  std::string bound;

  bool tensorCores = false;
  /// Peak FLOP/s of the path used.
  double peakFlops = 0;

  int64_t dramBytes = 0;
  /// Bytes the blocks request from L2 (before L2 hits).
  int64_t l2RequestBytes = 0;
  double l2HitRate = 0;

  /// Blocks (output tiles) of the grid and their resources.
  int64_t tiles = 0;
  int64_t threadsPerBlock = 0;
  int64_t regsPerThread = 0;
  int64_t smemPerBlock = 0;
  /// Resident blocks per SM and which resource limits it.
  int64_t blocksPerSm = 0;
  std::string occupancyLimit;
  /// Resident warps / maximum warps per SM.
  double occupancy = 0;
  int64_t waves = 0;
  /// tiles / (waves * SMs * blocksPerSm).
  double waveEfficiency = 0;

  /// Achieved FLOP/s for `flops` of work.
  double flopsPerSecond(double flops) const {
    return latency > 0 ? flops / latency : 0;
  }
  std::string str() const;
};

/// Fraction of the peak DRAM bandwidth a streaming kernel achieves (a
/// modelling estimate, see docs/cost-model.md).
constexpr double kDramEfficiency = 0.90;

/// The latency of `workload` with `config` on `target`. Fails, with the
/// reason in `reason` when given, for configurations that do not apply to the
/// workload or the target, lack parameters, break a shape or divisibility
/// rule, or do not fit (shared memory, registers, threads).
FailureOr<CostEstimate> estimateLatency(const Workload &workload,
                                        const TileConfig &config,
                                        const TargetSpec &target,
                                        std::string *reason = nullptr);

/// A reasonable configuration for `workload` on `target` without tuning
/// (e.g. for fusion profitability): the first of a few fixed candidates per
/// kind that the model accepts (wgmma on sm_90, else mma_sync, else the FMA
/// path for GEMMs; a warp or a block per row for reductions; the widest
/// vector for elementwise work).
FailureOr<TileConfig> defaultConfig(const Workload &workload,
                                    const TargetSpec &target,
                                    std::string *reason = nullptr);

/// The output tile th x tw of a conv block of at most `positions` output
/// positions of an `oh` x `ow` plane: the fewest tiles, ties to the wider
/// tile (whose reads are contiguous). fuse-tile's conv tiling and the
/// depthwise model share it.
std::pair<int64_t, int64_t> convOutputTile(int64_t oh, int64_t ow,
                                           int64_t positions);

/// Static shared memory a kernel may declare (the depthwise kernel's
/// window and taps), on every target.
constexpr int64_t kStaticSharedMemoryLimit = 48 * 1024;

/// Input elements per channel of the window a depthwise block of th x tw
/// output positions reads (the taps of its outputs, halo included).
int64_t depthwiseWindow(const Workload &workload, int64_t th, int64_t tw);

/// A depthwise block (the "depthwise" implementation, BM and BN): its
/// channels (BN, at most the workload's), th x tw output positions
/// (convOutputTile), window elements per channel and shared memory (the
/// windows and the taps as f32). The cost model and the search space's
/// constraints take it from here.
struct DepthwiseBlock {
  int64_t channels = 0, th = 0, tw = 0, window = 0, sharedBytes = 0;
};
DepthwiseBlock depthwiseBlock(const Workload &workload, int64_t bm, int64_t bn);

/// The implementations that can run `kind` ("mma_sync", "wgmma", ...).
llvm::SmallVector<llvm::StringRef> implementationsFor(WorkloadKind kind);

/// How MLIR ops become a Workload (CostModelMLIR.cpp).
struct WorkloadOptions {
  /// Run fp32 GEMM and attention on tf32 tensor cores.
  bool allowTf32 = false;
};

/// Whether `conv` is a 2-D depthwise convolution with static shapes (one
/// input channel and one filter per group, groups > 1): a depthwise
/// workload, which fuse-tile tiles (channels x output positions) and
/// fuse-gpu-depthwise's direct kernel computes.
bool isDepthwiseConv(ConvOp conv);

/// The workload of a fuse.group: the anchor op (attention, then matmul or
/// conv, then a reduction/softmax/norm, else elementwise or data movement)
/// gives the kind and shape; the group's inputs, constants and results give
/// the DRAM bytes; the other ops' FLOPs are the epilogue.
FailureOr<Workload> workloadForGroup(GroupOp group,
                                     const WorkloadOptions &options = {},
                                     std::string *reason = nullptr);
/// The same for a list of ops forming one kernel whose DRAM traffic is
/// `bytesRead` / `bytesWritten`.
FailureOr<Workload> workloadForOps(ArrayRef<Operation *> ops,
                                   int64_t bytesRead, int64_t bytesWritten,
                                   const WorkloadOptions &options = {},
                                   std::string *reason = nullptr);

/// workloadForGroup + defaultConfig + estimateLatency: the untuned latency of
/// a fused group on `target` (for fusion profitability). `config`, when given,
/// receives the configuration used.
FailureOr<CostEstimate> estimateGroupLatency(GroupOp group,
                                             const TargetSpec &target,
                                             const WorkloadOptions &options = {},
                                             std::string *reason = nullptr,
                                             TileConfig *config = nullptr);

} // namespace fuse
} // namespace mlir

#endif // FUSE_COSTMODEL_COSTMODEL_H
