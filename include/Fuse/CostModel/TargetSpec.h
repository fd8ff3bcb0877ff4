//===- TargetSpec.h - GPU hardware descriptions -----------------*- C++ -*-===//
//
// A table of NVIDIA GPUs with the numbers the analytical cost model needs:
// SM count, clock, peak FLOP/s per math path, DRAM bandwidth, cache and
// on-chip resource limits. Every value in TargetSpec.cpp cites its source.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_COSTMODEL_TARGETSPEC_H
#define FUSE_COSTMODEL_TARGETSPEC_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mlir {
namespace fuse {

/// The math path of a kernel: fp32 on the FMA pipes (no tensor cores) or one
/// of the tensor-core input types (all accumulate in fp32).
enum class Precision { FP32, TF32, FP16, BF16, FP8 };

/// "fp32", "tf32", "fp16", "bf16", "fp8".
llvm::StringRef stringifyPrecision(Precision precision);
/// Bytes of one operand element on this path (tf32 is stored as fp32).
int64_t precisionBytes(Precision precision);
/// True for the tensor-core paths.
bool isTensorCorePrecision(Precision precision);

struct TargetSpec {
  /// Lookup key: "a100", "h100", "h200", "l4", "rtx4090".
  const char *name;
  /// Product name, e.g. "NVIDIA H100 SXM5".
  const char *fullName;
  /// PTX target, e.g. "sm_90".
  const char *arch;
  /// Compute capability times ten (80, 89, 90).
  int computeCapability;

  int smCount;
  /// Maximum boost clock in Hz.
  double boostClockHz;

  /// Dense peak FLOP/s (an FMA counts as two). fp32 is the non-tensor FMA
  /// path; the others are tensor cores with fp32 accumulation; 0 when the
  /// path does not exist on the part.
  double peakFp32Flops;
  double peakTf32Flops;
  double peakFp16Flops;
  double peakBf16Flops;
  double peakFp8Flops;

  /// Peak DRAM bandwidth in bytes/s.
  double dramBandwidth;
  int64_t l2Bytes;

  int64_t smemPerSm;
  int64_t smemPerBlock;
  /// Shared memory the system reserves per resident block.
  int64_t smemReservedPerBlock;
  /// Shared-memory bandwidth of one SM in bytes per clock.
  int smemBytesPerClock;

  int64_t regsPerSm;
  int maxRegsPerThread;
  int maxThreadsPerSm;
  int maxThreadsPerBlock;
  int maxBlocksPerSm;
  int warpSize;

  /// Estimated fixed cost of one kernel launch, in seconds.
  double launchOverhead;
  /// Estimated DRAM load latency, in seconds.
  double dramLatency;

  /// Dense peak FLOP/s of `precision`; 0 when the path does not exist.
  double peakFlops(Precision precision) const;
  /// Whether warpgroup MMA (wgmma, sm_90) is available.
  bool hasWgmma() const { return computeCapability == 90; }
  int maxWarpsPerSm() const { return maxThreadsPerSm / warpSize; }
};

/// The target named `name` (case-insensitive), or nullptr.
const TargetSpec *lookupTarget(llvm::StringRef name);
/// Every target in the table.
llvm::ArrayRef<TargetSpec> allTargets();
/// The default target ("h100").
const TargetSpec &defaultTarget();

} // namespace fuse
} // namespace mlir

#endif // FUSE_COSTMODEL_TARGETSPEC_H
