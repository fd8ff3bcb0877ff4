//===- TargetSpec.cpp - GPU hardware descriptions -------------------------===//
//
// Sources (cited per value below by short name):
//  [A100-WP]  NVIDIA A100 Tensor Core GPU Architecture whitepaper (2020),
//             Table 1 "NVIDIA A100 Tensor Core GPU Performance Specs" and
//             Table 3 "Comparison of NVIDIA Data Center GPUs".
//  [A100-DS]  NVIDIA A100 Tensor Core GPU datasheet (A100 80GB SXM column).
//  [H100-WP]  NVIDIA H100 Tensor Core GPU Architecture whitepaper (2022),
//             Table 3 "Comparison of NVIDIA A100 and H100 Data Center GPUs".
//  [H100-DS]  NVIDIA H100 Tensor Core GPU datasheet (H100 SXM column;
//             tensor figures "shown with sparsity", dense = one half).
//  [H200-DS]  NVIDIA H200 Tensor Core GPU datasheet (H200 SXM column;
//             tensor figures with sparsity, dense = one half).
//  [L4-DS]    NVIDIA L4 Tensor Core GPU datasheet and L4 product brief
//             (tensor figures with sparsity, dense = one half).
//  [ADA-WP]   NVIDIA Ada GPU Architecture whitepaper (v2.x), Appendix A,
//             Table "GeForce RTX 4090 vs RTX 3090 Ti" (dense/sparse pairs).
//  [CUDA-CC]  CUDA C++ Programming Guide, "Technical Specifications per
//             Compute Capability" table (columns 8.0, 8.9, 9.0).
//  [CUDA-SM]  CUDA C++ Programming Guide, "Compute Capability 8.x" / "9.0"
//             shared-memory sections: 1 KB per block reserved for system
//             use; 32 banks of 32 bits per clock (128 B/clock per SM).
//  [EST]      Not a published NVIDIA figure: a modelling estimate. Launch
//             overhead: a few microseconds per kernel launch is the usual
//             measured range on current drivers. DRAM latency: pointer-chase
//             microbenchmarks (e.g. Chips and Cheese, "Nvidia's H100: Funny
//             L2, and Tons of Bandwidth", 2023) measure roughly 0.5 us on
//             A100/H100-class parts; GDDR6/6X parts are similar.
//
//===----------------------------------------------------------------------===//

#include "Fuse/CostModel/TargetSpec.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::fuse;

static constexpr double kTera = 1e12;
static constexpr double kGiga = 1e9;
static constexpr int64_t kKiB = 1024;
static constexpr int64_t kMiB = 1024 * 1024;

llvm::StringRef mlir::fuse::stringifyPrecision(Precision precision) {
  switch (precision) {
  case Precision::FP32:
    return "fp32";
  case Precision::TF32:
    return "tf32";
  case Precision::FP16:
    return "fp16";
  case Precision::BF16:
    return "bf16";
  case Precision::FP8:
    return "fp8";
  }
  return "fp32";
}

int64_t mlir::fuse::precisionBytes(Precision precision) {
  switch (precision) {
  case Precision::FP32:
  case Precision::TF32:
    return 4;
  case Precision::FP16:
  case Precision::BF16:
    return 2;
  case Precision::FP8:
    return 1;
  }
  return 4;
}

bool mlir::fuse::isTensorCorePrecision(Precision precision) {
  return precision != Precision::FP32;
}

double TargetSpec::peakFlops(Precision precision) const {
  switch (precision) {
  case Precision::FP32:
    return peakFp32Flops;
  case Precision::TF32:
    return peakTf32Flops;
  case Precision::FP16:
    return peakFp16Flops;
  case Precision::BF16:
    return peakBf16Flops;
  case Precision::FP8:
    return peakFp8Flops;
  }
  return 0;
}

/// Per-compute-capability limits shared by every part of that capability.
static void setCapabilityLimits(TargetSpec &t, int cc) {
  t.computeCapability = cc;
  t.warpSize = 32;            // [CUDA-CC] "Warp size": 32 for all.
  t.regsPerSm = 64 * 1024;    // [CUDA-CC] "32-bit registers per SM": 64 K.
  t.maxRegsPerThread = 255;   // [CUDA-CC] "Maximum registers per thread".
  t.maxThreadsPerBlock = 1024; // [CUDA-CC] "Maximum threads per block".
  t.smemReservedPerBlock = 1 * kKiB; // [CUDA-SM] 1 KB reserved per block.
  t.smemBytesPerClock = 32 * 4;      // [CUDA-SM] 32 banks x 32 bits/clock.
  switch (cc) {
  case 80:
    t.maxThreadsPerSm = 2048;    // [CUDA-CC] 8.0: 2048 resident threads.
    t.maxBlocksPerSm = 32;       // [CUDA-CC] 8.0: 32 resident blocks.
    t.smemPerSm = 164 * kKiB;    // [CUDA-CC] 8.0: 164 KB per SM.
    t.smemPerBlock = 163 * kKiB; // [CUDA-CC] 8.0: 163 KB per block.
    break;
  case 89:
    t.maxThreadsPerSm = 1536;    // [CUDA-CC] 8.9: 1536 resident threads.
    t.maxBlocksPerSm = 24;       // [CUDA-CC] 8.9: 24 resident blocks.
    t.smemPerSm = 100 * kKiB;    // [CUDA-CC] 8.9: 100 KB per SM.
    t.smemPerBlock = 99 * kKiB;  // [CUDA-CC] 8.9: 99 KB per block.
    break;
  case 90:
    t.maxThreadsPerSm = 2048;    // [CUDA-CC] 9.0: 2048 resident threads.
    t.maxBlocksPerSm = 32;       // [CUDA-CC] 9.0: 32 resident blocks.
    t.smemPerSm = 228 * kKiB;    // [CUDA-CC] 9.0: 228 KB per SM.
    t.smemPerBlock = 227 * kKiB; // [CUDA-CC] 9.0: 227 KB per block.
    break;
  }
  t.launchOverhead = 3e-6; // [EST] a few microseconds per launch.
  t.dramLatency = 500e-9;  // [EST] ~0.5 us pointer-chase DRAM latency.
}

static TargetSpec makeA100() {
  TargetSpec t{};
  t.name = "a100";
  t.fullName = "NVIDIA A100-SXM4-80GB";
  t.arch = "sm_80";
  setCapabilityLimits(t, 80);
  t.smCount = 108;               // [A100-WP] Table 3: 108 SMs.
  t.boostClockHz = 1410e6;       // [A100-WP] Table 3: boost clock 1410 MHz.
  t.peakFp32Flops = 19.5 * kTera; // [A100-WP] Table 1: FP32 19.5 TFLOPS.
  t.peakTf32Flops = 156 * kTera;  // [A100-WP] Table 1: TF32 156 (dense).
  t.peakFp16Flops = 312 * kTera;  // [A100-WP] Table 1: FP16 312 (dense).
  t.peakBf16Flops = 312 * kTera;  // [A100-WP] Table 1: BF16 312 (dense).
  t.peakFp8Flops = 0;             // [A100-WP] Ampere has no FP8 path.
  t.dramBandwidth = 2039 * kGiga; // [A100-DS] 80GB SXM: 2,039 GB/s.
  t.l2Bytes = 40 * kMiB;          // [A100-WP] Table 3: L2 40 MB.
  return t;
}

static TargetSpec makeH100() {
  TargetSpec t{};
  t.name = "h100";
  t.fullName = "NVIDIA H100 SXM5";
  t.arch = "sm_90";
  setCapabilityLimits(t, 90);
  t.smCount = 132;                  // [H100-WP] Table 3: 132 SMs (SXM5).
  // [H100-DS] FP32 67 TFLOPS = 132 SMs x 128 lanes x 2 x 1.98 GHz, the
  // maximum boost clock (dense tensor figures correspond to 1.83 GHz).
  t.boostClockHz = 1980e6;
  t.peakFp32Flops = 66.9 * kTera;   // [H100-DS] FP32 67 TFLOPS.
  t.peakTf32Flops = 494.7 * kTera;  // [H100-DS] TF32 989* -> 494.7 dense.
  t.peakFp16Flops = 989.4 * kTera;  // [H100-DS] FP16 1,979* -> 989.4 dense.
  t.peakBf16Flops = 989.4 * kTera;  // [H100-DS] BF16 1,979* -> 989.4 dense.
  t.peakFp8Flops = 1978.9 * kTera;  // [H100-DS] FP8 3,958* -> 1,979 dense.
  t.dramBandwidth = 3350 * kGiga;   // [H100-DS] 3.35 TB/s (HBM3).
  t.l2Bytes = 50 * kMiB;            // [H100-WP] Table 3: L2 50 MB.
  return t;
}

static TargetSpec makeH200() {
  TargetSpec t{};
  t.name = "h200";
  t.fullName = "NVIDIA H200 SXM";
  t.arch = "sm_90";
  setCapabilityLimits(t, 90);
  // Same GH100 configuration as H100 SXM5 ([H200-DS] lists the same compute
  // figures); SM count and L2 per [H100-WP] Table 3.
  t.smCount = 132;                  // [H100-WP] Table 3 (same GH100 part).
  t.boostClockHz = 1980e6;          // As H100 SXM5 ([H200-DS] FP32 67 TF).
  t.peakFp32Flops = 66.9 * kTera;   // [H200-DS] FP32 67 TFLOPS.
  t.peakTf32Flops = 494.7 * kTera;  // [H200-DS] TF32 989* -> 494.7 dense.
  t.peakFp16Flops = 989.4 * kTera;  // [H200-DS] FP16 1,979* -> 989.4 dense.
  t.peakBf16Flops = 989.4 * kTera;  // [H200-DS] BF16 1,979* -> 989.4 dense.
  t.peakFp8Flops = 1978.9 * kTera;  // [H200-DS] FP8 3,958* -> 1,979 dense.
  t.dramBandwidth = 4800 * kGiga;   // [H200-DS] 4.8 TB/s (HBM3e, 141 GB).
  t.l2Bytes = 50 * kMiB;            // [H100-WP] Table 3: L2 50 MB.
  return t;
}

static TargetSpec makeL4() {
  TargetSpec t{};
  t.name = "l4";
  t.fullName = "NVIDIA L4";
  t.arch = "sm_89";
  setCapabilityLimits(t, 89);
  // [L4-DS] 7,424 CUDA cores / 128 per Ada SM ([ADA-WP]) = 58 SMs; checks
  // with FP32 30.3 TFLOPS = 58 x 128 x 2 x 2.04 GHz.
  t.smCount = 58;
  t.boostClockHz = 2040e6;          // [L4-DS] product brief: 2040 MHz boost.
  t.peakFp32Flops = 30.3 * kTera;   // [L4-DS] FP32 30.3 TFLOPS.
  t.peakTf32Flops = 60 * kTera;     // [L4-DS] TF32 120* -> 60 dense.
  t.peakFp16Flops = 121 * kTera;    // [L4-DS] FP16 242* -> 121 dense.
  t.peakBf16Flops = 121 * kTera;    // [L4-DS] BF16 242* -> 121 dense.
  t.peakFp8Flops = 242.5 * kTera;   // [L4-DS] FP8 485* -> 242.5 dense.
  t.dramBandwidth = 300 * kGiga;    // [L4-DS] 300 GB/s (GDDR6).
  t.l2Bytes = 48 * kMiB;            // [L4-DS] product brief: L2 48 MB.
  return t;
}

static TargetSpec makeRtx4090() {
  TargetSpec t{};
  t.name = "rtx4090";
  t.fullName = "NVIDIA GeForce RTX 4090";
  t.arch = "sm_89";
  setCapabilityLimits(t, 89);
  t.smCount = 128;                  // [ADA-WP] Appendix A: 128 SMs.
  t.boostClockHz = 2520e6;          // [ADA-WP] Appendix A: 2520 MHz boost.
  t.peakFp32Flops = 82.6 * kTera;   // [ADA-WP] Peak FP32 TFLOPS 82.6.
  t.peakTf32Flops = 82.6 * kTera;   // [ADA-WP] TF32 Tensor 82.6/165.2.
  // GeForce parts run FP32-accumulate tensor math at half the FP16-accumulate
  // rate; these are the FP32-accumulate figures.
  t.peakFp16Flops = 165.2 * kTera;  // [ADA-WP] FP16 (FP32 acc.) 165.2/330.4.
  t.peakBf16Flops = 165.2 * kTera;  // [ADA-WP] BF16 (FP32 acc.) 165.2/330.4.
  t.peakFp8Flops = 330.3 * kTera;   // [ADA-WP] FP8 (FP32 acc.) 330.3/660.6.
  t.dramBandwidth = 1008 * kGiga;   // [ADA-WP] Appendix A: 1008 GB/s.
  t.l2Bytes = 72 * kMiB;            // [ADA-WP] Appendix A: L2 72 MB.
  return t;
}

static const TargetSpec kTargets[] = {makeA100(), makeH100(), makeH200(),
                                      makeL4(), makeRtx4090()};

llvm::ArrayRef<TargetSpec> mlir::fuse::allTargets() { return kTargets; }

const TargetSpec *mlir::fuse::lookupTarget(llvm::StringRef name) {
  for (const TargetSpec &target : kTargets)
    if (name.equals_insensitive(target.name))
      return &target;
  return nullptr;
}

const TargetSpec &mlir::fuse::defaultTarget() { return *lookupTarget("h100"); }
