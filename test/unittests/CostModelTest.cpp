//===- CostModelTest.cpp - Target table and analytical cost model ---------===//
//
// Cases with known behaviour: a memory-bound group costs about bytes /
// bandwidth, a big tensor-core GEMM runs near peak, one tile more than the
// SM count costs a second wave, configurations that do not fit are rejected
// with a reason, deeper pipelines hide memory latency, tensor cores beat the
// FMA pipes, and more bandwidth speeds up memory-bound work by its ratio.
// Each test prints the figures it checks.
//
//===----------------------------------------------------------------------===//

#include "Fuse/CostModel/CostModel.h"
#include "Fuse/CostModel/TargetSpec.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

using namespace mlir;
using namespace mlir::fuse;

namespace {

TileConfig config(llvm::StringRef text) {
  std::string error;
  FailureOr<TileConfig> parsed = TileConfig::parse(text, error);
  EXPECT_TRUE(succeeded(parsed)) << error;
  return succeeded(parsed) ? *parsed : TileConfig{};
}

const TargetSpec &target(llvm::StringRef name) {
  const TargetSpec *t = lookupTarget(name);
  EXPECT_NE(t, nullptr) << name.str();
  return t ? *t : defaultTarget();
}

CostEstimate estimate(const Workload &w, llvm::StringRef cfg,
                      llvm::StringRef targetName) {
  std::string reason;
  FailureOr<CostEstimate> est =
      estimateLatency(w, config(cfg), target(targetName), &reason);
  EXPECT_TRUE(succeeded(est)) << cfg.str() << ": " << reason;
  return succeeded(est) ? *est : CostEstimate{};
}

/// The reason `cfg` is rejected ("" when it is accepted).
std::string rejection(const Workload &w, llvm::StringRef cfg,
                      llvm::StringRef targetName) {
  std::string reason;
  FailureOr<CostEstimate> est =
      estimateLatency(w, config(cfg), target(targetName), &reason);
  if (succeeded(est))
    return "";
  EXPECT_FALSE(reason.empty()) << cfg.str();
  return reason.empty() ? "(no reason)" : reason;
}

//===----------------------------------------------------------------------===//
// Target table
//===----------------------------------------------------------------------===//

TEST(TargetSpec, LooksUpEveryListedGpu) {
  for (const char *name : {"a100", "h100", "h200", "l4", "rtx4090"}) {
    const TargetSpec *t = lookupTarget(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_STREQ(t->name, name);
  }
  EXPECT_EQ(lookupTarget("H100"), lookupTarget("h100"));
  EXPECT_EQ(lookupTarget("v100"), nullptr);
  EXPECT_EQ(lookupTarget(""), nullptr);
  EXPECT_EQ(allTargets().size(), 5u);
  EXPECT_STREQ(defaultTarget().name, "h100");
  EXPECT_STREQ(lookupTarget("a100")->arch, "sm_80");
  EXPECT_STREQ(lookupTarget("h200")->arch, "sm_90");
  EXPECT_STREQ(lookupTarget("l4")->arch, "sm_89");
  EXPECT_STREQ(lookupTarget("rtx4090")->arch, "sm_89");
}

TEST(TargetSpec, ValuesAreConsistent) {
  for (const TargetSpec &t : allTargets()) {
    SCOPED_TRACE(t.name);
    // The fp32 peak is SMs x FP32 lanes x 2 x boost clock: 64 lanes per SM on
    // GA100, 128 on AD10x and GH100.
    int lanes = t.computeCapability == 80 ? 64 : 128;
    double derived = double(t.smCount) * lanes * 2 * t.boostClockHz;
    EXPECT_NEAR(t.peakFp32Flops / derived, 1.0, 0.02);
    // Tensor paths beat the FMA pipes; fp16 and bf16 run at the same rate;
    // tf32 at half of it.
    EXPECT_GT(t.peakTf32Flops, t.peakFp32Flops * 0.99);
    EXPECT_DOUBLE_EQ(t.peakFp16Flops, t.peakBf16Flops);
    EXPECT_NEAR(t.peakTf32Flops / t.peakFp16Flops, 0.5, 0.01);
    EXPECT_EQ(t.peakFp8Flops > 0, t.computeCapability >= 89);
    EXPECT_LT(t.smemPerBlock, t.smemPerSm);
    EXPECT_EQ(t.warpSize, 32);
    EXPECT_EQ(t.maxThreadsPerSm % t.warpSize, 0);
    EXPECT_GT(t.dramBandwidth, 1e11);
    EXPECT_GT(t.l2Bytes, 1 << 20);
    EXPECT_EQ(t.hasWgmma(), llvm::StringRef(t.arch) == "sm_90");
  }
  EXPECT_NEAR(lookupTarget("h200")->dramBandwidth /
                  lookupTarget("h100")->dramBandwidth,
              4.8 / 3.35, 1e-9);
}

//===----------------------------------------------------------------------===//
// Memory-bound groups
//===----------------------------------------------------------------------===//

/// z = relu(x + y) on 2^28 fp32 elements: 3 GiB of traffic.
Workload bigElementwise() {
  int64_t n = int64_t(1) << 28;
  return Workload::elementwise(n, 2 * n * 4, n * 4, 2 * n);
}

TEST(CostModel, ElementwiseCostsBytesOverBandwidth) {
  Workload w = bigElementwise();
  const TargetSpec &h100 = target("h100");
  CostEstimate est = estimate(w, "elementwise:threads=256,vector=4", "h100");
  double ideal = double(w.bytesRead + w.bytesWritten) / h100.dramBandwidth;
  double ratio = est.latency / ideal;
  std::printf("[figure] elementwise 3 GiB on h100: %.1f us, bytes/bw %.1f us, "
              "ratio %.3f (%.1f%% of peak bandwidth)\n",
              est.latency * 1e6, ideal * 1e6, ratio, 100 / ratio);
  EXPECT_GE(ratio, 1.0);
  EXPECT_LE(ratio, 1.15);
  EXPECT_EQ(est.bound, "memory");
  EXPECT_FALSE(est.tensorCores);
}

TEST(CostModel, ScalarLoadsWithFewThreadsAreLatencyBound) {
  // 32-thread blocks (32 per SM: half the threads) with scalar loads keep
  // too few bytes in flight to cover the DRAM latency (Little's law).
  Workload w = bigElementwise();
  CostEstimate wide = estimate(w, "elementwise:threads=256,vector=4", "h100");
  CostEstimate narrow = estimate(w, "elementwise:threads=32,vector=1", "h100");
  std::printf("[figure] elementwise threads=32,vector=1 / threads=256,"
              "vector=4: %.2fx\n",
              narrow.latency / wide.latency);
  EXPECT_GT(narrow.latency, 1.25 * wide.latency);
  EXPECT_EQ(narrow.bound, "latency");
}

TEST(CostModel, BiggerBandwidthSpeedsUpMemoryBoundByItsRatio) {
  Workload w = bigElementwise();
  CostEstimate h100 = estimate(w, "elementwise:threads=256,vector=4", "h100");
  CostEstimate h200 = estimate(w, "elementwise:threads=256,vector=4", "h200");
  double speedup = h100.latency / h200.latency;
  std::printf("[figure] elementwise h100/h200 latency ratio %.3f "
              "(bandwidth ratio %.3f)\n",
              speedup, 4.8 / 3.35);
  EXPECT_NEAR(speedup, 4.8 / 3.35, 0.05 * 4.8 / 3.35);
  // The same holds for a memory-bound reduction.
  Workload r = Workload::reduction(int64_t(1) << 20, 1024);
  double rs = estimate(r, "row_per_warp:warps=4,vector=4", "h100").latency /
              estimate(r, "row_per_warp:warps=4,vector=4", "h200").latency;
  EXPECT_NEAR(rs, 4.8 / 3.35, 0.08 * 4.8 / 3.35);
}

TEST(CostModel, SmallKernelIsLaunchBound) {
  Workload w = Workload::elementwise(1024, 8192, 4096, 1024);
  CostEstimate est = estimate(w, "elementwise:threads=128,vector=4", "h100");
  EXPECT_EQ(est.bound, "launch");
  EXPECT_LT(est.latency, 2 * target("h100").launchOverhead);
}

//===----------------------------------------------------------------------===//
// GEMM
//===----------------------------------------------------------------------===//

TEST(CostModel, BigBf16GemmIsComputeBoundNearPeak) {
  Workload w = Workload::gemm(8192, 8192, 8192, Precision::BF16);
  const TargetSpec &h100 = target("h100");
  CostEstimate wg = estimate(
      w, "wgmma:BM=128,BN=256,BK=64,stages=4,warpgroups=2", "h100");
  double flops = double(w.totalFlops());
  double frac = wg.flopsPerSecond(flops) / h100.peakBf16Flops;
  std::printf("[figure] 8192^3 bf16 wgmma on h100: %.0f TFLOP/s = %.1f%% of "
              "%.1f peak; %s\n",
              wg.flopsPerSecond(flops) / 1e12, frac * 100,
              h100.peakBf16Flops / 1e12, wg.str().c_str());
  EXPECT_EQ(wg.bound, "compute");
  EXPECT_TRUE(wg.tensorCores);
  EXPECT_GE(frac, 0.70);
  EXPECT_LE(frac, 1.0);
  EXPECT_GT(wg.l2HitRate, 0.5);

  CostEstimate ms = estimate(
      w, "mma_sync:BM=128,BN=256,BK=32,stages=4,warps=8", "h100");
  double msFrac = ms.flopsPerSecond(flops) / h100.peakBf16Flops;
  std::printf("[figure] 8192^3 bf16 mma_sync on h100: %.0f TFLOP/s = %.1f%% "
              "of peak; %s\n",
              ms.flopsPerSecond(flops) / 1e12, msFrac * 100, ms.str().c_str());
  EXPECT_GE(msFrac, 0.70);
  EXPECT_LE(msFrac, 1.0);

  const TargetSpec &a100 = target("a100");
  CostEstimate a = estimate(
      w, "mma_sync:BM=128,BN=256,BK=32,stages=3,warps=8", "a100");
  double aFrac = a.flopsPerSecond(flops) / a100.peakBf16Flops;
  std::printf("[figure] 8192^3 bf16 mma_sync on a100: %.0f TFLOP/s = %.1f%% "
              "of peak\n",
              a.flopsPerSecond(flops) / 1e12, aFrac * 100);
  EXPECT_GE(aFrac, 0.70);
  EXPECT_LE(aFrac, 1.0);
}

TEST(CostModel, SmallTilesAreSharedMemoryOrMemoryBound) {
  // 32x32 tiles re-read A and B from L2/DRAM 4x more often than 128x128 and
  // need a warp tile too small to feed the tensor cores from shared memory.
  Workload w = Workload::gemm(8192, 8192, 8192, Precision::BF16);
  CostEstimate small =
      estimate(w, "mma_sync:BM=32,BN=32,BK=32,stages=3,warps=1", "h100");
  CostEstimate big =
      estimate(w, "mma_sync:BM=128,BN=256,BK=32,stages=4,warps=8", "h100");
  EXPECT_GT(small.latency, 2 * big.latency);
  EXPECT_NE(small.bound, "compute");
}

TEST(CostModel, OneTileMoreThanSmsTakesTwoWaves) {
  // 128x256 wgmma tiles with 4 stages use 192 KiB of shared memory: one block
  // per SM, 132 blocks per wave on h100.
  const char *cfg = "wgmma:BM=128,BN=256,BK=64,stages=4,warpgroups=2";
  Workload w132 = Workload::gemm(128 * 12, 256 * 11, 8192, Precision::BF16);
  Workload w133 = Workload::gemm(128 * 7, 256 * 19, 8192, Precision::BF16);
  CostEstimate e132 = estimate(w132, cfg, "h100");
  CostEstimate e133 = estimate(w133, cfg, "h100");
  ASSERT_EQ(e132.tiles, 132);
  ASSERT_EQ(e133.tiles, 133);
  EXPECT_EQ(e132.blocksPerSm, 1);
  EXPECT_EQ(e132.waves, 1);
  EXPECT_EQ(e133.waves, 2);
  EXPECT_NEAR(e133.waveEfficiency, 133.0 / 264.0, 1e-9);
  double ratio = e133.latency / e132.latency;
  std::printf("[figure] 133 vs 132 tiles on 132 SMs: latency ratio %.3f\n",
              ratio);
  EXPECT_GE(ratio, 1.85);
  EXPECT_LE(ratio, 2.05);
}

TEST(CostModel, MoreStagesHideMemoryLatency) {
  // Registers hold this config at one block per SM, so stages only change
  // the pipeline depth until shared memory runs out (24 KiB per stage).
  Workload w = Workload::gemm(4096, 4096, 8192, Precision::BF16);
  double previous = 1e30, first = 0, last = 0;
  int64_t stages = 2;
  for (;; ++stages) {
    std::string cfg = "mma_sync:BM=128,BN=256,BK=32,warps=8,stages=" +
                      std::to_string(stages);
    std::string reason;
    FailureOr<CostEstimate> est =
        estimateLatency(w, config(cfg), target("h100"), &reason);
    if (failed(est)) {
      EXPECT_NE(reason.find("shared memory"), std::string::npos) << reason;
      break;
    }
    EXPECT_EQ(est->blocksPerSm, 1);
    EXPECT_LE(est->latency, previous * (1 + 1e-12)) << "stages=" << stages;
    previous = est->latency;
    if (stages == 2)
      first = est->latency;
    last = est->latency;
  }
  std::printf("[figure] mma_sync 128x256x32 on h100: stages 2 -> %lld: %.1f "
              "-> %.1f us\n",
              (long long)(stages - 1), first * 1e6, last * 1e6);
  EXPECT_EQ(stages, 10); // 9 stages = 216 KiB fit in 227 KiB, 10 do not
  EXPECT_GT(first, 1.2 * last);
}

TEST(CostModel, TensorCoresBeatFmaForBigFp32Gemm) {
  Workload fp32 = Workload::gemm(4096, 4096, 4096, Precision::FP32);
  Workload tf32 = Workload::gemm(4096, 4096, 4096, Precision::TF32);
  for (const char *t : {"a100", "h100"}) {
    CostEstimate fma =
        estimate(fp32, "fma_gemm:BM=128,BN=128,BK=8,warps=8", t);
    CostEstimate tc =
        estimate(tf32, "mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4", t);
    std::printf("[figure] 4096^3 on %s: fp32 fma %.1f us, tf32 mma %.1f us "
                "(%.1fx)\n",
                t, fma.latency * 1e6, tc.latency * 1e6,
                fma.latency / tc.latency);
    EXPECT_FALSE(fma.tensorCores);
    EXPECT_TRUE(tc.tensorCores);
    EXPECT_GT(fma.latency, 3 * tc.latency) << t;
  }
  // mma_sync refuses fp32 data (it needs tf32 or narrower).
  EXPECT_NE(rejection(fp32, "mma_sync:BM=128,BN=128,BK=32,stages=3,warps=4",
                      "h100")
                .find("tensor-core precision"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Rejections
//===----------------------------------------------------------------------===//

TEST(CostModel, RejectsConfigsThatDoNotFit) {
  Workload g = Workload::gemm(4096, 4096, 4096, Precision::FP16);
  // Shared memory: 5 x (128+256) x 64 x 2 B = 240 KiB > 227 KiB.
  EXPECT_NE(rejection(g, "mma_sync:BM=128,BN=256,BK=64,stages=5,warps=8",
                      "h100")
                .find("shared memory"),
            std::string::npos);
  // 3 stages (144 KiB) fit h100 but not l4 (99 KiB per block).
  EXPECT_EQ(rejection(g, "mma_sync:BM=128,BN=256,BK=64,stages=3,warps=8",
                      "h100"),
            "");
  EXPECT_NE(rejection(g, "mma_sync:BM=128,BN=256,BK=64,stages=3,warps=8",
                      "l4")
                .find("shared memory"),
            std::string::npos);
  // Registers: 256x128 fp32 accumulators over 128 threads = 256 per thread.
  EXPECT_NE(rejection(g, "mma_sync:BM=256,BN=128,BK=32,stages=2,warps=4",
                      "h100")
                .find("registers"),
            std::string::npos);
  EXPECT_NE(rejection(g, "wgmma:BM=128,BN=256,BK=64,stages=2,warpgroups=1",
                      "h100")
                .find("registers"),
            std::string::npos);
  // Threads: 64 warps = 2048 threads.
  EXPECT_NE(rejection(g, "mma_sync:BM=256,BN=256,BK=32,stages=2,warps=64",
                      "h100")
                .find("warps"),
            std::string::npos);
  Workload e = Workload::elementwise(1 << 20, 8 << 20, 4 << 20, 1 << 20);
  EXPECT_NE(rejection(e, "elementwise:threads=2048,vector=4", "h100")
                .find("threads"),
            std::string::npos);
  // wgmma exists only on sm_90.
  EXPECT_NE(rejection(g, "wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1",
                      "a100")
                .find("sm_90"),
            std::string::npos);
  EXPECT_EQ(rejection(g, "wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1",
                      "h200"),
            "");
  // fp8 tensor cores do not exist on a100.
  Workload f8 = Workload::gemm(4096, 4096, 4096, Precision::FP8);
  EXPECT_NE(rejection(f8, "mma_sync:BM=128,BN=128,BK=64,stages=3,warps=4",
                      "a100")
                .find("no fp8"),
            std::string::npos);
}

TEST(CostModel, RejectsShapeAndParameterErrors) {
  Workload g = Workload::gemm(1024, 1024, 1024, Precision::BF16);
  EXPECT_NE(rejection(g, "mma_sync:BM=128,BN=128,BK=24,stages=3,warps=4",
                      "h100")
                .find("instruction K"),
            std::string::npos);
  EXPECT_NE(rejection(g, "wgmma:BM=96,BN=128,BK=64,stages=3,warpgroups=1",
                      "h100")
                .find("multiple of 64"),
            std::string::npos);
  EXPECT_NE(rejection(g, "wgmma:BM=128,BN=512,BK=64,stages=3,warpgroups=2",
                      "h100")
                .find("up to 256"),
            std::string::npos);
  EXPECT_NE(rejection(g, "mma_sync:BM=128,BN=128,BK=32,warps=4", "h100")
                .find("lacks parameter 'stages'"),
            std::string::npos);
  EXPECT_NE(rejection(g, "mma_sync:BM=0,BN=128,BK=32,warps=4,stages=2", "h100")
                .find("positive"),
            std::string::npos);
  EXPECT_NE(rejection(g,
                      "mma_sync:BM=4611686018427387904,BN=128,BK=32,warps=4,"
                      "stages=2",
                      "h100")
                .find("too large"),
            std::string::npos);
  EXPECT_NE(rejection(g, "elementwise:threads=256,vector=4", "h100")
                .find("does not run a gemm"),
            std::string::npos);
  Workload e = Workload::elementwise(1001, 8008, 4004, 1001);
  EXPECT_NE(rejection(e, "elementwise:threads=256,vector=4", "h100")
                .find("not divisible by vector"),
            std::string::npos);
  EXPECT_EQ(rejection(e, "elementwise:threads=256,vector=1", "h100"), "");
  // 16-byte vectors: 8 fp32 elements are too many.
  Workload e2 = Workload::elementwise(1024, 8192, 4096, 1024);
  EXPECT_NE(rejection(e2, "elementwise:threads=256,vector=8", "h100")
                .find("16 bytes"),
            std::string::npos);
  Workload r = Workload::reduction(1024, 100);
  EXPECT_NE(rejection(r, "row_per_warp:warps=4,vector=8", "h100").find("16"),
            std::string::npos);
  EXPECT_NE(rejection(r, "row_per_block:threads=256,vector=8", "h100")
                .find("16 bytes"),
            std::string::npos);
  EXPECT_NE(rejection(r, "row_per_warp:warps=4,vector=3", "h100")
                .find("power of two"),
            std::string::npos);
  Workload a = Workload::attention(16, 1024, 1024, 128, Precision::FP16);
  EXPECT_NE(rejection(a, "flash_attention:BQ=96,BKV=64,warps=4,stages=2",
                      "h100")
                .find("multiple of 16 x warps"),
            std::string::npos);
  // D=256 with BQ=128 and 4 warps needs 256 O accumulators per thread.
  Workload a256 = Workload::attention(16, 1024, 1024, 256, Precision::FP16);
  EXPECT_NE(rejection(a256, "flash_attention:BQ=128,BKV=64,warps=4,stages=2",
                      "h100")
                .find("registers"),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Attention and reductions
//===----------------------------------------------------------------------===//

TEST(CostModel, Fp32AttentionRunsOnTheFmaPath) {
  // fp32 models keep fp32 attention: both products on the FMA pipes, which
  // is slower than tensor cores but a valid kernel.
  Workload fp32 = Workload::attention(8, 512, 512, 64, Precision::FP32);
  Workload fp16 = Workload::attention(8, 512, 512, 64, Precision::FP16);
  const char *cfg = "flash_attention:BQ=64,BKV=64,warps=4,stages=2";
  CostEstimate slow = estimate(fp32, cfg, "h100");
  CostEstimate fast = estimate(fp16, cfg, "h100");
  EXPECT_FALSE(slow.tensorCores);
  EXPECT_TRUE(fast.tensorCores);
  EXPECT_DOUBLE_EQ(slow.peakFlops, target("h100").peakFp32Flops);
  EXPECT_GT(slow.latency, fast.latency);
}

TEST(CostModel, AttentionPadsHeadDimsOffTheKernelsUnits) {
  // PP-OCRv4 rec: 8 heads of 15. The kernel pads D to 16 (tensor cores and
  // FMA: a multiple of 4) and Dv to 16 (tensor cores) or 32 (FMA), so fp16
  // stays on tensor cores and shared memory is that of the padded tiles.
  const char *cfg = "flash_attention:BQ=64,BKV=32,warps=4,stages=2";
  Workload odd = Workload::attention(8, 40, 40, 15, Precision::FP16);
  Workload even = Workload::attention(8, 40, 40, 16, Precision::FP16);
  CostEstimate o = estimate(odd, cfg, "h100");
  CostEstimate e = estimate(even, cfg, "h100");
  EXPECT_TRUE(o.tensorCores);
  EXPECT_EQ(o.smemPerBlock, e.smemPerBlock);
  EXPECT_EQ(o.smemPerBlock, (64 * 16 + 2 * 32 * (16 + 16)) * 2);
  // tf32 attention runs on the FMA pipes, as the kernel does.
  Workload tf32 = Workload::attention(8, 40, 40, 15, Precision::TF32);
  CostEstimate t = estimate(tf32, cfg, "h100");
  EXPECT_FALSE(t.tensorCores);
  EXPECT_EQ(t.smemPerBlock, (64 * 16 + 2 * 32 * (16 + 32)) * 4);
  // Past the registers once padded.
  Workload wide = Workload::attention(8, 40, 40, 250, Precision::FP32);
  wide.valueDim = 100; // D pads to 252, Dv to 128: taken
  EXPECT_EQ(rejection(wide, cfg, "h100"), "");
  wide.valueDim = 130; // pads to 160 on the FMA pipes
  EXPECT_NE(rejection(wide, cfg, "h100").find("head dims 250 and 130"),
            std::string::npos);
  Workload huge = Workload::attention(8, 40, 40, 260, Precision::FP16);
  EXPECT_NE(rejection(huge, cfg, "h100").find("at most 256"),
            std::string::npos);
}

TEST(CostModel, CausalAttentionDoesAboutHalfTheWork) {
  Workload full = Workload::attention(32, 4096, 4096, 128, Precision::FP16);
  Workload causal = full;
  causal.causal = true;
  const char *cfg = "flash_attention:BQ=128,BKV=64,warps=8,stages=2";
  CostEstimate f = estimate(full, cfg, "h100");
  CostEstimate c = estimate(causal, cfg, "h100");
  double flops = double(full.totalFlops());
  std::printf("[figure] attention 32x4096x4096x128 fp16 on h100: %.0f "
              "TFLOP/s (%s); causal %.2fx faster\n",
              f.flopsPerSecond(flops) / 1e12, f.str().c_str(),
              f.latency / c.latency);
  EXPECT_GT(f.latency / c.latency, 1.6);
  EXPECT_LT(f.latency / c.latency, 2.1);
  // FlashAttention-2 style: every warp reads the whole K/V block from shared
  // memory and the softmax runs between the MMAs, so it stays well under the
  // tensor-core peak but far above the memory roofline.
  double frac = f.flopsPerSecond(flops) / target("h100").peakFp16Flops;
  EXPECT_GT(frac, 0.3);
  EXPECT_LT(frac, 0.9);
  EXPECT_NE(f.bound, "memory");
  // 32 query rows per warp halve the shared-memory traffic per MMA.
  CostEstimate f4 =
      estimate(full, "flash_attention:BQ=128,BKV=64,warps=4,stages=2", "h100");
  EXPECT_LT(f4.latency, f.latency);
}

TEST(CostModel, RowPerBlockWinsForFewLongRows) {
  Workload longRows = Workload::reduction(64, 1 << 20);
  CostEstimate warp =
      estimate(longRows, "row_per_warp:warps=4,vector=4", "h100");
  CostEstimate block =
      estimate(longRows, "row_per_block:threads=1024,vector=4", "h100");
  std::printf("[figure] 64 rows x 2^20: row_per_warp %.1f us, row_per_block "
              "%.1f us\n",
              warp.latency * 1e6, block.latency * 1e6);
  EXPECT_GT(warp.latency, 2 * block.latency);

  // Many short rows: one block per 128-element row wastes 7/8 of 1024
  // threads; a warp per row does not.
  Workload shortRows = Workload::reduction(1 << 20, 128);
  CostEstimate w2 =
      estimate(shortRows, "row_per_warp:warps=4,vector=4", "h100");
  CostEstimate b2 =
      estimate(shortRows, "row_per_block:threads=1024,vector=4", "h100");
  EXPECT_LT(w2.latency, b2.latency);
}

/// A depthwise conv workload (as workloadForGroup makes it): 3x3, stride
/// `stride`, `channels` channels, an `oh` x `ow` output plane.
Workload depthwise(int64_t channels, int64_t oh, int64_t ow, int64_t stride) {
  Workload w = Workload::gemm(oh * ow, 1, 9, Precision::FP32, channels);
  w.convolution = true;
  w.depthwise = true;
  w.convOut[0] = oh;
  w.convOut[1] = ow;
  w.convKernel[0] = w.convKernel[1] = 3;
  w.convStride[0] = w.convStride[1] = stride;
  int64_t ih = (oh - 1) * stride + 3, iw = (ow - 1) * stride + 3;
  w.bytesA = channels * ih * iw * 4;
  w.bytesRead = w.bytesA + channels * 9 * 4;
  w.bytesWritten = channels * oh * ow * 4;
  return w;
}

TEST(CostModel, ConvOutputTileHasTheFewestTiles) {
  // 11 x 13 with 64 positions: 4 rows of 13 (3 tiles), not 8 x 8 (4).
  EXPECT_EQ(convOutputTile(11, 13, 64), (std::pair<int64_t, int64_t>(4, 13)));
  // A plane that fits is one tile.
  EXPECT_EQ(convOutputTile(3, 96, 512), (std::pair<int64_t, int64_t>(3, 96)));
  // Ties go to the wider tile: 16 x 16 in 64-position tiles is 4 rows of
  // 16, not 8 x 8.
  EXPECT_EQ(convOutputTile(16, 16, 64), (std::pair<int64_t, int64_t>(4, 16)));
}

TEST(CostModel, DepthwiseWindowHasTheHalo) {
  Workload w = depthwise(8, 16, 16, 1);
  EXPECT_EQ(depthwiseWindow(w, 4, 16), 6 * 18);
  w.convStride[0] = w.convStride[1] = 2;
  w.convDilation[1] = 2;
  // rows (4 - 1) * 2 + 3, cols (16 - 1) * 2 + 2 * 2 + 1.
  EXPECT_EQ(depthwiseWindow(w, 4, 16), 9 * 35);
}

TEST(CostModel, DepthwiseKernelRunsDepthwiseConvsOnly) {
  Workload w = depthwise(96, 80, 80, 1);
  CostEstimate est = estimate(w, "depthwise:BM=128,BN=1,warps=4", "h100");
  EXPECT_FALSE(est.tensorCores);
  // 96 channels x 50 tiles of 8 x 16 positions (the fewest tiles of at
  // most 128 positions of 80 x 80: 10 x 5).
  EXPECT_EQ(convOutputTile(80, 80, 128), (std::pair<int64_t, int64_t>(8, 16)));
  EXPECT_EQ(est.tiles, 96 * 10 * 5);
  EXPECT_GT(est.latency, 0);
  // Its window (10 x 18) and taps as f32.
  EXPECT_EQ(est.smemPerBlock, (10 * 18 + 9) * 4);
  Workload gemm = Workload::gemm(256, 256, 256, Precision::FP32);
  EXPECT_NE(rejection(gemm, "depthwise:BM=128,BN=1,warps=4", "h100")
                .find("depthwise convolutions only"),
            std::string::npos);
  // More than 48 KiB of static shared memory.
  EXPECT_NE(rejection(w, "depthwise:BM=4096,BN=16,warps=4", "h100")
                .find("static limit"),
            std::string::npos);
  // The default is the depthwise kernel.
  std::string reason;
  FailureOr<TileConfig> def = defaultConfig(w, target("a100"), &reason);
  ASSERT_TRUE(succeeded(def)) << reason;
  EXPECT_EQ(def->impl, "depthwise");
}

TEST(CostModel, DepthwiseLargerBlocksCutHaloTraffic) {
  // The same plane: 64-position blocks re-read more halo from L2 than
  // 256-position ones.
  Workload w = depthwise(48, 160, 160, 1);
  CostEstimate small = estimate(w, "depthwise:BM=64,BN=1,warps=2", "a100");
  CostEstimate large = estimate(w, "depthwise:BM=256,BN=1,warps=8", "a100");
  EXPECT_GT(small.l2RequestBytes, large.l2RequestBytes);
}

TEST(CostModel, DefaultConfigFitsEveryTargetAndKind) {
  Workload attention256 =
      Workload::attention(8, 2048, 2048, 256, Precision::BF16);
  Workload ragged = Workload::elementwise(1001, 8008, 4004, 1001);
  std::vector<Workload> workloads = {
      Workload::gemm(4096, 4096, 4096, Precision::BF16),
      Workload::gemm(4096, 4096, 4096, Precision::TF32),
      Workload::gemm(4096, 4096, 4096, Precision::FP32),
      Workload::gemm(4096, 4096, 4096, Precision::FP8),
      Workload::attention(32, 1024, 1024, 64, Precision::FP16),
      attention256,
      bigElementwise(),
      ragged,
      Workload::reduction(64, 1 << 20),
      Workload::reduction(1 << 16, 100)};
  for (const TargetSpec &t : allTargets())
    for (const Workload &w : workloads) {
      std::string reason;
      FailureOr<TileConfig> c = defaultConfig(w, t, &reason);
      if (w.precision == Precision::FP8 && t.peakFp8Flops == 0) {
        // No fp8 tensor cores: only the FMA path is left.
        ASSERT_TRUE(succeeded(c)) << reason;
        EXPECT_EQ(c->impl, "fma_gemm");
        continue;
      }
      ASSERT_TRUE(succeeded(c)) << t.name << " " << w.str() << ": " << reason;
      EXPECT_TRUE(succeeded(estimateLatency(w, *c, t))) << c->str();
      if (w.kind == WorkloadKind::Gemm && w.precision != Precision::FP32)
        EXPECT_EQ(c->impl, t.hasWgmma() ? "wgmma" : "mma_sync") << t.name;
    }
  // Long rows get a block each; a ragged element count gets scalar loads.
  EXPECT_EQ(defaultConfig(Workload::reduction(64, 1 << 20), defaultTarget())
                ->impl,
            "row_per_block");
  EXPECT_EQ(defaultConfig(ragged, defaultTarget())->get("vector"), 1);
  // D=256 attention on l4 needs a single stage to fit 99 KiB.
  EXPECT_EQ(defaultConfig(attention256, target("l4"))->get("stages"), 1);
}

//===----------------------------------------------------------------------===//
// Workloads from fuse dialect groups
//===----------------------------------------------------------------------===//

class WorkloadFromMLIR : public ::testing::Test {
protected:
  WorkloadFromMLIR() {
    context.loadDialect<FuseDialect, func::FuncDialect>();
  }

  /// The first fuse.group of `source`'s module.
  GroupOp parseGroup(llvm::StringRef source) {
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    GroupOp group;
    if (module)
      module->walk([&](GroupOp g) {
        if (!group)
          group = g;
      });
    EXPECT_TRUE(group);
    return group;
  }

  Workload workload(llvm::StringRef source, WorkloadOptions options = {}) {
    GroupOp group = parseGroup(source);
    std::string reason;
    FailureOr<Workload> w =
        group ? workloadForGroup(group, options, &reason)
              : FailureOr<Workload>(failure());
    EXPECT_TRUE(succeeded(w)) << reason;
    return succeeded(w) ? *w : Workload{};
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

TEST_F(WorkloadFromMLIR, MatmulWithEpilogue) {
  Workload w = workload(R"mlir(
    func.func @f(%a: tensor<4x256x512xbf16>, %b: tensor<512x1024xbf16>,
                 %c: tensor<1024xbf16>) -> tensor<4x256x1024xbf16> {
      %r = fuse.group(%a, %b, %c) : (tensor<4x256x512xbf16>, tensor<512x1024xbf16>, tensor<1024xbf16>) -> tensor<4x256x1024xbf16> {
      ^bb0(%x: tensor<4x256x512xbf16>, %y: tensor<512x1024xbf16>, %z: tensor<1024xbf16>):
        %m = fuse.matmul %x, %y : (tensor<4x256x512xbf16>, tensor<512x1024xbf16>) -> tensor<4x256x1024xbf16>
        %s = fuse.add %m, %z : (tensor<4x256x1024xbf16>, tensor<1024xbf16>) -> tensor<4x256x1024xbf16>
        %t = fuse.relu %s : tensor<4x256x1024xbf16>
        fuse.yield %t : tensor<4x256x1024xbf16>
      }
      return %r : tensor<4x256x1024xbf16>
    })mlir");
  EXPECT_EQ(w.kind, WorkloadKind::Gemm);
  EXPECT_EQ(w.precision, Precision::BF16);
  EXPECT_EQ(w.m, 256);
  EXPECT_EQ(w.n, 1024);
  EXPECT_EQ(w.k, 512);
  EXPECT_EQ(w.batch, 4);
  EXPECT_EQ(w.bytesA, 4 * 256 * 512 * 2);
  EXPECT_EQ(w.bytesB, 512 * 1024 * 2);
  EXPECT_EQ(w.bytesRead, (4 * 256 * 512 + 512 * 1024 + 1024) * 2);
  EXPECT_EQ(w.bytesWritten, 4 * 256 * 1024 * 2);
  EXPECT_EQ(w.epilogueFlops, 2 * 4 * 256 * 1024);
  EXPECT_EQ(w.totalFlops(), 2 * 4 * 256 * 1024 * 512 + w.epilogueFlops);
  // The shared-B batched GEMM costs fine with both GEMM paths.
  EXPECT_TRUE(succeeded(estimateLatency(
      w, config("wgmma:BM=128,BN=128,BK=64,stages=3,warpgroups=1"),
      target("h100"))));
}

TEST_F(WorkloadFromMLIR, Fp32MatmulUsesTf32WhenAllowed) {
  const char *source = R"mlir(
    func.func @f(%a: tensor<64x32xf32>, %b: tensor<32x16xf32>) -> tensor<64x16xf32> {
      %r = fuse.group(%a, %b) : (tensor<64x32xf32>, tensor<32x16xf32>) -> tensor<64x16xf32> {
      ^bb0(%x: tensor<64x32xf32>, %y: tensor<32x16xf32>):
        %m = fuse.matmul %x, %y : (tensor<64x32xf32>, tensor<32x16xf32>) -> tensor<64x16xf32>
        fuse.yield %m : tensor<64x16xf32>
      }
      return %r : tensor<64x16xf32>
    })mlir";
  EXPECT_EQ(workload(source).precision, Precision::FP32);
  WorkloadOptions tf32;
  tf32.allowTf32 = true;
  EXPECT_EQ(workload(source, tf32).precision, Precision::TF32);
}

TEST_F(WorkloadFromMLIR, ConvIsImplicitGemm) {
  Workload w = workload(R"mlir(
    func.func @f(%x: tensor<2x16x32x32xf16>, %w: tensor<64x16x3x3xf16>) -> tensor<2x64x32x32xf16> {
      %r = fuse.group(%x, %w) : (tensor<2x16x32x32xf16>, tensor<64x16x3x3xf16>) -> tensor<2x64x32x32xf16> {
      ^bb0(%a: tensor<2x16x32x32xf16>, %b: tensor<64x16x3x3xf16>):
        %c = fuse.conv %a, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<2x16x32x32xf16>, tensor<64x16x3x3xf16>) -> tensor<2x64x32x32xf16>
        %s = fuse.sigmoid %c : tensor<2x64x32x32xf16>
        fuse.yield %s : tensor<2x64x32x32xf16>
      }
      return %r : tensor<2x64x32x32xf16>
    })mlir");
  EXPECT_EQ(w.kind, WorkloadKind::Gemm);
  EXPECT_EQ(w.precision, Precision::FP16);
  EXPECT_EQ(w.m, 2 * 32 * 32);
  EXPECT_EQ(w.n, 64);
  EXPECT_EQ(w.k, 16 * 9);
  EXPECT_EQ(w.batch, 1);
  EXPECT_EQ(w.bytesA, 2 * 16 * 32 * 32 * 2);
  EXPECT_EQ(w.epilogueFlops, 4 * 2 * 64 * 32 * 32);
}

TEST_F(WorkloadFromMLIR, DepthwiseConvKeepsItsGeometry) {
  Workload w = workload(R"mlir(
    func.func @f(%x: tensor<1x32x40x40xf32>, %w: tensor<32x1x5x5xf32>) -> tensor<1x32x20x20xf32> {
      %r = fuse.group(%x, %w) : (tensor<1x32x40x40xf32>, tensor<32x1x5x5xf32>) -> tensor<1x32x20x20xf32> {
      ^bb0(%a: tensor<1x32x40x40xf32>, %b: tensor<32x1x5x5xf32>):
        %c = fuse.conv %a, %b {groups = 32 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x32x40x40xf32>, tensor<32x1x5x5xf32>) -> tensor<1x32x20x20xf32>
        fuse.yield %c : tensor<1x32x20x20xf32>
      }
      return %r : tensor<1x32x20x20xf32>
    })mlir");
  EXPECT_TRUE(w.depthwise);
  EXPECT_EQ(w.batch, 32);
  EXPECT_EQ(w.n, 1);
  EXPECT_EQ(w.k, 25);
  EXPECT_EQ(w.convOut[0], 20);
  EXPECT_EQ(w.convOut[1], 20);
  EXPECT_EQ(w.convKernel[0], 5);
  EXPECT_EQ(w.convStride[1], 2);
  EXPECT_EQ(w.convDilation[0], 1);
  EXPECT_NE(w.str().find("depthwise=5x5/s2x2/d1x1"), std::string::npos);
  // A grouped conv with several channels per group is not depthwise.
  Workload grouped = workload(R"mlir(
    func.func @f(%x: tensor<1x32x8x8xf32>, %w: tensor<32x2x3x3xf32>) -> tensor<1x32x8x8xf32> {
      %r = fuse.group(%x, %w) : (tensor<1x32x8x8xf32>, tensor<32x2x3x3xf32>) -> tensor<1x32x8x8xf32> {
      ^bb0(%a: tensor<1x32x8x8xf32>, %b: tensor<32x2x3x3xf32>):
        %c = fuse.conv %a, %b {groups = 16 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x32x8x8xf32>, tensor<32x2x3x3xf32>) -> tensor<1x32x8x8xf32>
        fuse.yield %c : tensor<1x32x8x8xf32>
      }
      return %r : tensor<1x32x8x8xf32>
    })mlir");
  EXPECT_FALSE(grouped.depthwise);
}

TEST_F(WorkloadFromMLIR, ConvTransposeReducesEveryTapOfItsSpreadInput) {
  // 32 input channels, a 4x4 kernel at stride 2: the kernels reduce
  // 32 x 16 products per output (zeros of the spread input included), four
  // times the op's 2 x 32 x 4 non-zero taps.
  Workload w = workload(R"mlir(
    func.func @f(%x: tensor<1x32x16x16xf32>, %w: tensor<32x16x4x4xf32>) -> tensor<1x16x32x32xf32> {
      %r = fuse.group(%x, %w) : (tensor<1x32x16x16xf32>, tensor<32x16x4x4xf32>) -> tensor<1x16x32x32xf32> {
      ^bb0(%a: tensor<1x32x16x16xf32>, %b: tensor<32x16x4x4xf32>):
        %c = fuse.conv_transpose %a, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x16x16xf32>, tensor<32x16x4x4xf32>) -> tensor<1x16x32x32xf32>
        fuse.yield %c : tensor<1x16x32x32xf32>
      }
      return %r : tensor<1x16x32x32xf32>
    })mlir");
  EXPECT_EQ(w.kind, WorkloadKind::Gemm);
  EXPECT_TRUE(w.convolution);
  EXPECT_EQ(w.m, 32 * 32);
  EXPECT_EQ(w.n, 16);
  EXPECT_EQ(w.k, 32 * 16);
  EXPECT_EQ(w.batch, 1);
  EXPECT_EQ(w.totalFlops(), 2 * 32 * 32 * 16 * 32 * 16);
}

TEST_F(WorkloadFromMLIR, GroupedConvTransposeReducesItsGroupsChannels) {
  Workload w = workload(R"mlir(
    func.func @f(%x: tensor<1x8x4x4xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x4x8x8xf32> {
      %r = fuse.group(%x, %w) : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x4x8x8xf32> {
      ^bb0(%a: tensor<1x8x4x4xf32>, %b: tensor<8x2x3x3xf32>):
        %c = fuse.conv_transpose %a, %b {groups = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>) -> tensor<1x4x8x8xf32>
        fuse.yield %c : tensor<1x4x8x8xf32>
      }
      return %r : tensor<1x4x8x8xf32>
    })mlir");
  // Two groups of 4 input channels and 2 filters each.
  EXPECT_EQ(w.batch, 2);
  EXPECT_EQ(w.m, 8 * 8);
  EXPECT_EQ(w.n, 2);
  EXPECT_EQ(w.k, 4 * 9);
}

TEST_F(WorkloadFromMLIR, SoftmaxIsARowReduction) {
  Workload w = workload(R"mlir(
    func.func @f(%x: tensor<8x128x512xf32>) -> tensor<8x128x512xf32> {
      %r = fuse.group(%x) : (tensor<8x128x512xf32>) -> tensor<8x128x512xf32> {
      ^bb0(%a: tensor<8x128x512xf32>):
        %e = fuse.exp %a : tensor<8x128x512xf32>
        %s = fuse.softmax %e {axis = 2 : i64} : tensor<8x128x512xf32>
        fuse.yield %s : tensor<8x128x512xf32>
      }
      return %r : tensor<8x128x512xf32>
    })mlir");
  EXPECT_EQ(w.kind, WorkloadKind::Reduction);
  EXPECT_EQ(w.rows, 8 * 128);
  EXPECT_EQ(w.rowLength, 512);
  EXPECT_EQ(w.bytesRead, 8 * 128 * 512 * 4);
  EXPECT_EQ(w.epilogueFlops, 4 * 8 * 128 * 512);
}

TEST_F(WorkloadFromMLIR, ReduceOverInnerAxes) {
  Workload w = workload(R"mlir(
    func.func @f(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32> {
      %r = fuse.group(%x) : (tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32> {
      ^bb0(%a: tensor<1x8x7x7xf32>):
        %m = fuse.reduce mean %a {axes = array<i64: 2, 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
        fuse.yield %m : tensor<1x8x1x1xf32>
      }
      return %r : tensor<1x8x1x1xf32>
    })mlir");
  EXPECT_EQ(w.kind, WorkloadKind::Reduction);
  EXPECT_EQ(w.rows, 8);
  EXPECT_EQ(w.rowLength, 49);
}

TEST_F(WorkloadFromMLIR, ElementwiseAndDataMovement) {
  Workload w = workload(R"mlir(
    func.func @f(%x: tensor<4x1024xf16>, %y: tensor<1024xf16>) -> tensor<4x1024xf16> {
      %r = fuse.group(%x, %y) : (tensor<4x1024xf16>, tensor<1024xf16>) -> tensor<4x1024xf16> {
      ^bb0(%a: tensor<4x1024xf16>, %b: tensor<1024xf16>):
        %s = fuse.add %a, %b : (tensor<4x1024xf16>, tensor<1024xf16>) -> tensor<4x1024xf16>
        %t = fuse.tanh %s : tensor<4x1024xf16>
        fuse.yield %t : tensor<4x1024xf16>
      }
      return %r : tensor<4x1024xf16>
    })mlir");
  EXPECT_EQ(w.kind, WorkloadKind::Elementwise);
  EXPECT_EQ(w.elements, 4096);
  EXPECT_EQ(w.elemBytes(), 2);
  EXPECT_EQ(w.bytesRead, (4096 + 1024) * 2);
  EXPECT_EQ(w.bytesWritten, 4096 * 2);
  EXPECT_EQ(w.totalFlops(), 4096 * 5);
  // 8 fp16 elements fit one 16-byte vector.
  EXPECT_TRUE(succeeded(estimateLatency(
      w, config("elementwise:threads=128,vector=8"), target("l4"))));

  Workload t = workload(R"mlir(
    func.func @f(%x: tensor<64x32xf32>) -> tensor<32x64xf32> {
      %r = fuse.group(%x) : (tensor<64x32xf32>) -> tensor<32x64xf32> {
      ^bb0(%a: tensor<64x32xf32>):
        %t = fuse.transpose %a {perm = array<i64: 1, 0>} : tensor<64x32xf32> -> tensor<32x64xf32>
        fuse.yield %t : tensor<32x64xf32>
      }
      return %r : tensor<32x64xf32>
    })mlir");
  EXPECT_EQ(t.kind, WorkloadKind::DataMovement);
  EXPECT_EQ(t.elements, 2048);
}

TEST_F(WorkloadFromMLIR, Attention) {
  Workload w = workload(R"mlir(
    func.func @f(%q: tensor<2x8x128x64xf16>, %k: tensor<2x8x256x64xf16>, %v: tensor<2x8x256x64xf16>) -> tensor<2x8x128x64xf16> {
      %r = fuse.group(%q, %k, %v) : (tensor<2x8x128x64xf16>, tensor<2x8x256x64xf16>, tensor<2x8x256x64xf16>) -> tensor<2x8x128x64xf16> {
      ^bb0(%a: tensor<2x8x128x64xf16>, %b: tensor<2x8x256x64xf16>, %c: tensor<2x8x256x64xf16>):
        %o = fuse.attention %a, %b, %c {causal = true} : (tensor<2x8x128x64xf16>, tensor<2x8x256x64xf16>, tensor<2x8x256x64xf16>) -> tensor<2x8x128x64xf16>
        fuse.yield %o : tensor<2x8x128x64xf16>
      }
      return %r : tensor<2x8x128x64xf16>
    })mlir");
  EXPECT_EQ(w.kind, WorkloadKind::Attention);
  EXPECT_EQ(w.batchHeads, 16);
  EXPECT_EQ(w.seqQ, 128);
  EXPECT_EQ(w.seqKV, 256);
  EXPECT_EQ(w.headDim, 64);
  EXPECT_TRUE(w.causal);
  EXPECT_TRUE(succeeded(estimateLatency(
      w, config("flash_attention:BQ=64,BKV=64,warps=4,stages=2"),
      target("h100"))));
}

TEST_F(WorkloadFromMLIR, FusingAnElementwiseChainSavesTheRoundTrip) {
  // add then relu on 2^24 floats: fused, one kernel reads 2 and writes 1
  // tensor; unfused, the intermediate is written and read back and a second
  // kernel is launched.
  const char *fused = R"mlir(
    func.func @f(%x: tensor<4096x4096xf32>, %y: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
      %r = fuse.group(%x, %y) : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
      ^bb0(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>):
        %s = fuse.add %a, %b : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
        %t = fuse.relu %s : tensor<4096x4096xf32>
        fuse.yield %t : tensor<4096x4096xf32>
      }
      return %r : tensor<4096x4096xf32>
    })mlir";
  const char *first = R"mlir(
    func.func @f(%x: tensor<4096x4096xf32>, %y: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
      %r = fuse.group(%x, %y) : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
      ^bb0(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>):
        %s = fuse.add %a, %b : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
        fuse.yield %s : tensor<4096x4096xf32>
      }
      return %r : tensor<4096x4096xf32>
    })mlir";
  const char *second = R"mlir(
    func.func @f(%x: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
      %r = fuse.group(%x) : (tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
      ^bb0(%a: tensor<4096x4096xf32>):
        %t = fuse.relu %a : tensor<4096x4096xf32>
        fuse.yield %t : tensor<4096x4096xf32>
      }
      return %r : tensor<4096x4096xf32>
    })mlir";
  auto latency = [&](const char *source) {
    GroupOp group = parseGroup(source);
    std::string reason;
    TileConfig used;
    FailureOr<CostEstimate> est =
        group ? estimateGroupLatency(group, defaultTarget(), {}, &reason,
                                     &used)
              : FailureOr<CostEstimate>(failure());
    EXPECT_TRUE(succeeded(est)) << reason;
    EXPECT_EQ(used.impl, "elementwise");
    return succeeded(est) ? est->latency : 0.0;
  };
  double f = latency(fused), u = latency(first) + latency(second);
  std::printf("[figure] add+relu 2^24 f32 on h100: fused %.1f us, unfused "
              "%.1f us (%.2fx)\n",
              f * 1e6, u * 1e6, u / f);
  // 5 tensors of traffic instead of 3.
  EXPECT_NEAR(u / f, 5.0 / 3.0, 0.1);
}

TEST_F(WorkloadFromMLIR, GroupWithoutComputeIsRejected) {
  GroupOp group = parseGroup(R"mlir(
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %r = fuse.group(%x) : (tensor<4xf32>) -> tensor<4xf32> {
      ^bb0(%a: tensor<4xf32>):
        fuse.yield %a : tensor<4xf32>
      }
      return %r : tensor<4xf32>
    })mlir");
  ASSERT_TRUE(group);
  std::string reason;
  EXPECT_TRUE(failed(workloadForGroup(group, {}, &reason)));
  EXPECT_NE(reason.find("no computing op"), std::string::npos);
}

} // namespace
