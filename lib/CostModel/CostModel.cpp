//===- CostModel.cpp - Analytical latency model of a fused group ----------===//
//
// See docs/cost-model.md for the equations. Everything here is plain C++ on
// Workload / TileConfig / TargetSpec; the MLIR side is CostModelMLIR.cpp.
//
//===----------------------------------------------------------------------===//

#include "Fuse/CostModel/CostModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::fuse;

//===----------------------------------------------------------------------===//
// Workload
//===----------------------------------------------------------------------===//

llvm::StringRef mlir::fuse::stringifyWorkloadKind(WorkloadKind kind) {
  switch (kind) {
  case WorkloadKind::Gemm:
    return "gemm";
  case WorkloadKind::Attention:
    return "attention";
  case WorkloadKind::Elementwise:
    return "elementwise";
  case WorkloadKind::Reduction:
    return "reduction";
  case WorkloadKind::DataMovement:
    return "data_movement";
  }
  return "elementwise";
}

Workload Workload::gemm(int64_t m, int64_t n, int64_t k, Precision precision,
                        int64_t batch) {
  Workload w;
  w.kind = WorkloadKind::Gemm;
  w.precision = precision;
  w.m = m;
  w.n = n;
  w.k = k;
  w.batch = batch;
  int64_t e = precisionBytes(precision);
  w.bytesA = batch * m * k * e;
  w.bytesB = batch * k * n * e;
  w.bytesRead = w.bytesA + w.bytesB;
  w.bytesWritten = batch * m * n * e;
  w.flops = 2 * batch * m * n * k;
  return w;
}

Workload Workload::attention(int64_t batchHeads, int64_t seqQ, int64_t seqKV,
                             int64_t headDim, Precision precision,
                             bool causal) {
  Workload w;
  w.kind = WorkloadKind::Attention;
  w.precision = precision;
  w.batchHeads = batchHeads;
  w.seqQ = seqQ;
  w.seqKV = seqKV;
  w.headDim = headDim;
  w.causal = causal;
  int64_t e = precisionBytes(precision);
  w.bytesRead = batchHeads * (seqQ + 2 * seqKV) * headDim * e;
  w.bytesWritten = batchHeads * seqQ * headDim * e;
  w.flops = 0; // derived
  return w;
}

Workload Workload::elementwise(int64_t elements, int64_t bytesRead,
                               int64_t bytesWritten, int64_t flops,
                               Precision precision) {
  Workload w;
  w.kind = WorkloadKind::Elementwise;
  w.precision = precision;
  w.elements = elements;
  w.bytesRead = bytesRead;
  w.bytesWritten = bytesWritten;
  w.flops = flops;
  w.epilogueFlops = 0;
  return w;
}

Workload Workload::reduction(int64_t rows, int64_t rowLength,
                             Precision precision, int64_t flopsPerElement) {
  Workload w;
  w.kind = WorkloadKind::Reduction;
  w.precision = precision;
  w.rows = rows;
  w.rowLength = rowLength;
  int64_t e = precisionBytes(precision);
  w.bytesRead = rows * rowLength * e;
  w.bytesWritten = rows * e;
  w.flops = rows * rowLength * flopsPerElement;
  return w;
}

int64_t Workload::elemBytes() const {
  return elementBytes > 0 ? elementBytes : precisionBytes(precision);
}

int64_t Workload::totalFlops() const {
  if (flops > 0)
    return flops;
  switch (kind) {
  case WorkloadKind::Gemm:
    return 2 * batch * m * n * k + epilogueFlops;
  case WorkloadKind::Attention: {
    int64_t dv = valueDim > 0 ? valueDim : headDim;
    int64_t pairs = batchHeads * seqQ * seqKV;
    if (causal)
      pairs /= 2;
    return 2 * pairs * (headDim + dv) + epilogueFlops;
  }
  default:
    return epilogueFlops;
  }
}

std::string Workload::str() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << stringifyWorkloadKind(kind) << " " << stringifyPrecision(precision);
  switch (kind) {
  case WorkloadKind::Gemm:
    os << " batch=" << batch << " M=" << m << " N=" << n << " K=" << k;
    if (depthwise)
      os << " depthwise=" << convKernel[0] << "x" << convKernel[1] << "/s"
         << convStride[0] << "x" << convStride[1] << "/d" << convDilation[0]
         << "x" << convDilation[1];
    break;
  case WorkloadKind::Attention:
    os << " BH=" << batchHeads << " Sq=" << seqQ << " Skv=" << seqKV
       << " D=" << headDim << (causal ? " causal" : "");
    break;
  case WorkloadKind::Reduction:
    os << " rows=" << rows << " row=" << rowLength;
    break;
  default:
    os << " elements=" << elements;
    break;
  }
  os << " read=" << bytesRead << "B written=" << bytesWritten
     << "B flops=" << totalFlops();
  return text;
}

std::string CostEstimate::str() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.3f us (%s-bound): compute %.3f, memory %.3f, smem "
                     "%.3f, latency %.3f, epilogue %.3f, launch %.3f us; "
                     "%lld tiles, %lld blocks/SM (%s), %lld waves (%.0f%%), "
                     "L2 hit %.0f%%",
                     latency * 1e6, bound.c_str(), computeTime * 1e6,
                     memoryTime * 1e6, smemTime * 1e6, exposedLatency * 1e6,
                     epilogueTime * 1e6, launchOverhead * 1e6,
                     (long long)tiles, (long long)blocksPerSm,
                     occupancyLimit.c_str(), (long long)waves,
                     waveEfficiency * 100, l2HitRate * 100);
  return text;
}

llvm::SmallVector<llvm::StringRef>
mlir::fuse::implementationsFor(WorkloadKind kind) {
  switch (kind) {
  case WorkloadKind::Gemm:
    return {"mma_sync", "wgmma", "fma_gemm", "depthwise"};
  case WorkloadKind::Attention:
    return {"flash_attention"};
  case WorkloadKind::Reduction:
    return {"row_per_warp", "row_per_block"};
  case WorkloadKind::Elementwise:
  case WorkloadKind::DataMovement:
    return {"elementwise"};
  }
  return {};
}

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

namespace {

/// Collects the first failure reason.
struct Checker {
  std::string *reason;
  bool failed = false;

  LogicalResult fail(const llvm::Twine &message) {
    if (!failed && reason)
      *reason = message.str();
    failed = true;
    return failure();
  }
};

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t roundUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }

/// Resources of one block and how many fit on an SM.
struct Occupancy {
  int64_t blocksPerSm = 0;
  std::string limit;
};

/// Resident blocks per SM given the block's threads, registers per thread
/// and shared memory. Registers are allocated per warp in units of 256
/// (a thread's count rounded up to a multiple of 8).
FailureOr<Occupancy> computeOccupancy(const TargetSpec &t, int64_t threads,
                                      int64_t regsPerThread, int64_t smem,
                                      Checker &check) {
  if (threads <= 0 || threads > t.maxThreadsPerBlock) {
    (void)check.fail("block of " + llvm::Twine(threads) +
                     " threads; the limit on " + t.name + " is " +
                     llvm::Twine(t.maxThreadsPerBlock));
    return failure();
  }
  if (regsPerThread > t.maxRegsPerThread) {
    (void)check.fail("needs about " + llvm::Twine(regsPerThread) +
                     " registers per thread; the limit is " +
                     llvm::Twine(t.maxRegsPerThread));
    return failure();
  }
  if (smem > t.smemPerBlock) {
    (void)check.fail("needs " + llvm::Twine(smem) +
                     " bytes of shared memory per block; " + t.name +
                     " allows " + llvm::Twine(t.smemPerBlock));
    return failure();
  }
  int64_t warps = ceilDiv(threads, t.warpSize);
  int64_t regsPerWarp = roundUp(roundUp(regsPerThread, 8) * t.warpSize, 256);
  int64_t regsPerBlock = regsPerWarp * warps;
  if (regsPerBlock > t.regsPerSm) {
    (void)check.fail("needs " + llvm::Twine(regsPerBlock) +
                     " registers per block; an SM has " +
                     llvm::Twine(t.regsPerSm));
    return failure();
  }
  Occupancy occ;
  occ.blocksPerSm = t.maxBlocksPerSm;
  occ.limit = "blocks";
  auto limitBy = [&](int64_t value, const char *what) {
    if (value < occ.blocksPerSm) {
      occ.blocksPerSm = value;
      occ.limit = what;
    }
  };
  limitBy(t.maxThreadsPerSm / (warps * t.warpSize), "threads");
  limitBy(t.regsPerSm / regsPerBlock, "registers");
  if (smem > 0)
    limitBy(t.smemPerSm / (smem + t.smemReservedPerBlock), "shared memory");
  if (occ.blocksPerSm <= 0) {
    (void)check.fail("no block fits on an SM");
    return failure();
  }
  return occ;
}

LogicalResult requireParams(const TileConfig &config,
                            std::initializer_list<const char *> names,
                            Checker &check) {
  for (const char *name : names) {
    if (!config.has(name))
      return check.fail("config '" + config.str() + "' lacks parameter '" +
                        name + "'");
    if (config.get(name) <= 0)
      return check.fail("parameter '" + llvm::Twine(name) + "' of '" +
                        config.str() + "' must be positive");
    // Keeps every derived size (tile bytes, registers) far from overflow.
    if (config.get(name) > 65536)
      return check.fail("parameter '" + llvm::Twine(name) + "' of '" +
                        config.str() + "' is too large");
  }
  return success();
}

bool isPowerOf2(int64_t v) { return v > 0 && llvm::isPowerOf2_64(v); }

/// Splits `warps` into a warpsM x warpsN grid, more warps along the longer
/// tile side.
std::pair<int64_t, int64_t> warpGrid(int64_t warps, int64_t bm, int64_t bn) {
  int64_t log = llvm::Log2_64(warps);
  int64_t wm = int64_t(1) << ((log + (bm >= bn ? 1 : 0)) / 2);
  return {wm, warps / wm};
}

void finalize(CostEstimate &est, const TargetSpec &t) {
  est.launchOverhead = t.launchOverhead;
  double body = est.latency - est.launchOverhead;
  double lo = std::min(est.computeTime, est.memoryTime);
  est.overlap = lo > 0 ? std::clamp((est.computeTime + est.memoryTime - body) /
                                        lo,
                                    0.0, 1.0)
                       : 1.0;
  struct Part {
    double time;
    const char *name;
  } parts[] = {{est.computeTime, "compute"},
               {est.memoryTime, "memory"},
               {est.smemTime, "shared-memory"},
               {est.exposedLatency, "latency"},
               {est.launchOverhead, "launch"}};
  const Part *best = &parts[0];
  for (const Part &p : parts)
    if (p.time > best->time)
      best = &p;
  est.bound = best->name;
  est.l2HitRate =
      est.l2RequestBytes > 0
          ? std::clamp(1.0 - double(est.dramBytes) / est.l2RequestBytes, 0.0,
                       1.0)
          : 0.0;
}

//===----------------------------------------------------------------------===//
// GEMM: mma_sync, wgmma, fma_gemm
//===----------------------------------------------------------------------===//

/// The part of the model shared by the three GEMM implementations: one block
/// per BM x BN output tile looping over K in BK slices.
struct GemmKernel {
  int64_t bm, bn, bk, stages;
  int64_t threads, regs, smem;
  /// Bytes moved through shared memory per K slice per block (stores of the
  /// staged A/B tiles and loads into fragments).
  double smemBytesPerSlice;
  /// Peak FLOP/s of the math path and whether it is a tensor-core path.
  double peak;
  bool tensorCores;
  /// Warps per block; mma.sync and FMA need one warp per SM sub-partition
  /// (four) to keep every math unit busy, a warpgroup MMA spans all four.
  int64_t warpsPerBlock;
  bool warpgroupMma;
};

FailureOr<CostEstimate> estimateGemmKernel(const Workload &w,
                                           const GemmKernel &g,
                                           const TargetSpec &t,
                                           Checker &check) {
  FailureOr<Occupancy> occ =
      computeOccupancy(t, g.threads, g.regs, g.smem, check);
  if (failed(occ))
    return failure();
  CostEstimate est;
  est.tensorCores = g.tensorCores;
  est.peakFlops = g.peak;
  est.threadsPerBlock = g.threads;
  est.regsPerThread = g.regs;
  est.smemPerBlock = g.smem;
  est.blocksPerSm = occ->blocksPerSm;
  est.occupancyLimit = occ->limit;
  est.occupancy = double(occ->blocksPerSm * g.threads) / t.maxThreadsPerSm;

  const int64_t e = w.elemBytes();
  // A grouped convolution's tiles keep their filters in one group
  // (fuse-tile tiles them by the largest divisor of F/groups up to BN).
  int64_t tileN = g.bn;
  if (w.convolution && w.batch > 1) {
    tileN = std::max<int64_t>(1, std::min(g.bn, w.n));
    while (w.n % tileN)
      --tileN;
  }
  const int64_t tilesM = ceilDiv(w.m, g.bm), tilesN = ceilDiv(w.n, tileN);
  const int64_t tilesPerBatch = tilesM * tilesN;
  const int64_t tiles = tilesPerBatch * w.batch;
  const int64_t kIters = ceilDiv(w.k, g.bk);
  const int64_t slots = int64_t(t.smCount) * occ->blocksPerSm;
  est.tiles = tiles;
  est.waves = ceilDiv(tiles, slots);
  est.waveEfficiency = double(tiles) / double(est.waves * slots);

  // Operand bytes per tile row / column (scaled for implicit GEMM and
  // broadcast operands stored smaller than batch*m*k).
  double nominalA = double(w.batch) * w.m * w.k * e;
  double nominalB = double(w.batch) * w.k * w.n * e;
  double bytesA = w.bytesA > 0 ? double(w.bytesA) : nominalA;
  double bytesB = w.bytesB > 0 ? double(w.bytesB) : nominalB;
  double scaleA = std::min(1.0, bytesA / nominalA);
  double scaleB = std::min(1.0, bytesB / nominalB);
  double rowBytes = double(g.bm) * w.k * e * scaleA; // one tile row of A
  double colBytes = double(g.bn) * w.k * e * scaleB; // one tile column of B
  est.l2RequestBytes = int64_t(double(tiles) * (rowBytes + colBytes));

  // DRAM footprint of a wave of `n` concurrent tiles, assuming a grouped
  // (swizzled) block order: the wave covers r tile rows x c tile columns
  // minimizing r*rowBytes + c*colBytes; operands are reused within a wave
  // through L2.
  auto footprint = [&](int64_t n, double &fa, double &fb) {
    if (n >= tilesPerBatch) {
      double batches = double(n) / tilesPerBatch;
      fa = batches * tilesM * rowBytes;
      fb = batches * tilesN * colBytes;
      return;
    }
    int64_t r = std::clamp<int64_t>(
        int64_t(std::lround(std::sqrt(double(n) * colBytes / rowBytes))), 1,
        tilesM);
    int64_t c = std::min(tilesN, ceilDiv(n, r));
    if (r * c < n)
      r = std::min(tilesM, ceilDiv(n, c));
    fa = r * rowBytes;
    fb = c * colBytes;
  };
  // Operands small enough to stay in L2 (half of it, leaving room for the
  // other operand and the output) are read from DRAM once.
  const double l2Share = 0.5 * double(t.l2Bytes);
  const bool aResident = bytesA <= l2Share;
  const bool bResident = bytesB <= l2Share;

  const double bw = t.dramBandwidth * kDramEfficiency;
  const double smemBw = double(t.smemBytesPerClock) * t.boostClockHz;
  const double peakPerSm = g.peak / t.smCount;
  const double fmaPerSm = t.peakFp32Flops / t.smCount;
  const double L = t.dramLatency;
  const double sliceFlops = 2.0 * g.bm * g.bn * g.bk;
  const double outBytesPerTile =
      double(w.bytesWritten) / std::max<int64_t>(tiles, 1);
  const double extraReadPerTile =
      std::max(0.0, double(w.bytesRead) - bytesA - bytesB) /
      std::max<int64_t>(tiles, 1);
  const double epilogueFlopsPerTile =
      double(w.epilogueFlops) / std::max<int64_t>(tiles, 1);

  double total = 0, compute = 0, smemT = 0, exposed = 0, epilogue = 0;
  double dramRead = 0;
  // Full waves, then the partial last wave.
  int64_t fullWaves = tiles / slots, lastTiles = tiles % slots;
  struct WaveKind {
    int64_t count, tilesInWave;
  } kinds[] = {{fullWaves, slots}, {lastTiles ? 1 : 0, lastTiles}};
  // First pass: raw footprints, to apply L2 residency across waves.
  double sumFa = 0, sumFb = 0;
  for (const WaveKind &wk : kinds) {
    if (!wk.count)
      continue;
    double fa, fb;
    footprint(wk.tilesInWave, fa, fb);
    sumFa += wk.count * fa;
    sumFb += wk.count * fb;
  }
  double totalA = aResident ? bytesA : std::max(bytesA, sumFa);
  double totalB = bResident ? bytesB : std::max(bytesB, sumFb);
  double scaleFa = sumFa > 0 ? totalA / sumFa : 0;
  double scaleFb = sumFb > 0 ? totalB / sumFb : 0;

  for (const WaveKind &wk : kinds) {
    if (!wk.count)
      continue;
    double fa, fb;
    footprint(wk.tilesInWave, fa, fb);
    double waveRead = fa * scaleFa + fb * scaleFb;
    dramRead += wk.count * waveRead;
    // Blocks on the busiest SM in this wave.
    int64_t perSm = ceilDiv(wk.tilesInWave, t.smCount);
    int64_t residentWarps = perSm * g.warpsPerBlock;
    // mma.sync / FMA need a warp per SM sub-partition (4) to use every math
    // unit; a warpgroup MMA spans all four.
    double util =
        g.warpgroupMma ? 1.0
                       : std::min(1.0, double(residentWarps) / 4.0);
    double mathSlice = perSm * sliceFlops / (peakPerSm * util);
    double smemSlice = perSm * g.smemBytesPerSlice / smemBw;
    double dramSlice = waveRead / kIters / bw;
    double latSlice = g.stages >= 2 ? L / double(g.stages - 1)
                                    : L + mathSlice / perSm;
    double slice = std::max({mathSlice, smemSlice, dramSlice, latSlice});
    // Epilogue: fused elementwise ops on the FMA pipes, extra operand reads
    // (bias, residual) and the output store, after the main loop.
    double epi = perSm * epilogueFlopsPerTile / fmaPerSm +
                 wk.tilesInWave * (outBytesPerTile + extraReadPerTile) / bw;
    double wave = L + kIters * slice + epi;
    total += wk.count * wave;
    compute += wk.count * kIters * mathSlice;
    smemT += wk.count * kIters * smemSlice;
    exposed +=
        wk.count * (L + kIters * std::max(0.0, latSlice -
                                                   std::max({mathSlice,
                                                             smemSlice,
                                                             dramSlice})));
    epilogue += wk.count * epi;
  }
  est.dramBytes = int64_t(dramRead + w.bytesWritten +
                          std::max(0.0, double(w.bytesRead) - bytesA - bytesB));
  est.computeTime = compute;
  est.smemTime = smemT;
  est.memoryTime = est.dramBytes / bw;
  est.exposedLatency = exposed;
  est.epilogueTime = epilogue;
  est.latency = total + t.launchOverhead;
  finalize(est, t);
  return est;
}

/// K step of one MMA instruction: 32 bytes of K (k16 for 16-bit types, k8
/// for tf32, k32 for fp8).
int64_t mmaKStep(Precision p) { return 32 / precisionBytes(p); }

LogicalResult checkTensorPath(const Workload &w, const TargetSpec &t,
                              llvm::StringRef impl, Checker &check) {
  if (!isTensorCorePrecision(w.precision))
    return check.fail(impl + " needs a tensor-core precision (tf32, fp16, "
                             "bf16, fp8); the workload is " +
                      stringifyPrecision(w.precision));
  if (t.peakFlops(w.precision) <= 0)
    return check.fail(llvm::Twine(t.name) + " has no " +
                      stringifyPrecision(w.precision) + " tensor cores");
  return success();
}

FailureOr<CostEstimate> estimateMmaSync(const Workload &w,
                                        const TileConfig &c,
                                        const TargetSpec &t, Checker &check) {
  if (failed(requireParams(c, {"BM", "BN", "BK", "warps", "stages"}, check)) ||
      failed(checkTensorPath(w, t, "mma_sync", check)))
    return failure();
  GemmKernel g;
  g.bm = c.get("BM");
  g.bn = c.get("BN");
  g.bk = c.get("BK");
  g.stages = c.get("stages");
  int64_t warps = c.get("warps");
  if (!isPowerOf2(warps) || warps > 32)
    return check.fail("mma_sync warps must be a power of two up to 32, got " +
                       llvm::Twine(warps));
  auto [warpsM, warpsN] = warpGrid(warps, g.bm, g.bn);
  int64_t kStep = mmaKStep(w.precision);
  // m16n8kK instructions: a warp tile is a multiple of 16 x 8.
  if (g.bm % (16 * warpsM) || g.bn % (8 * warpsN))
    return check.fail("mma_sync tile " + llvm::Twine(g.bm) + "x" +
                       llvm::Twine(g.bn) + " does not split into " +
                       llvm::Twine(warpsM) + "x" + llvm::Twine(warpsN) +
                       " warp tiles of multiples of 16x8");
  if (g.bk % kStep)
    return check.fail("mma_sync BK=" + llvm::Twine(g.bk) +
                       " is not a multiple of the instruction K (" +
                       llvm::Twine(kStep) + ")");
  int64_t e = w.elemBytes();
  int64_t wm = g.bm / warpsM, wn = g.bn / warpsN;
  g.threads = warps * t.warpSize;
  // fp32 accumulators + double-buffered A (4 regs per 16 rows) and B (2 regs
  // per 8 columns) fragments + addressing.
  int64_t acc = wm * wn / t.warpSize;
  g.regs = acc + 2 * (4 * (wm / 16) + 2 * (wn / 8)) + 24;
  g.smem = g.stages * (g.bm + g.bn) * g.bk * e;
  g.smemBytesPerSlice =
      double((g.bm + g.bn) * g.bk * e) + double(warps * (wm + wn) * g.bk * e);
  g.peak = t.peakFlops(w.precision);
  g.tensorCores = true;
  g.warpsPerBlock = warps;
  g.warpgroupMma = false;
  return estimateGemmKernel(w, g, t, check);
}

FailureOr<CostEstimate> estimateWgmma(const Workload &w, const TileConfig &c,
                                      const TargetSpec &t, Checker &check) {
  if (failed(
          requireParams(c, {"BM", "BN", "BK", "stages", "warpgroups"}, check)))
    return failure();
  if (!t.hasWgmma())
    return check.fail(llvm::Twine("wgmma needs sm_90; ") + t.name + " is " +
                       t.arch);
  if (w.convolution)
    return check.fail("wgmma: convolutions run on mma_sync (there is no "
                      "implicit-GEMM warpgroup kernel)");
  if (failed(checkTensorPath(w, t, "wgmma", check)))
    return failure();
  GemmKernel g;
  g.bm = c.get("BM");
  g.bn = c.get("BN");
  g.bk = c.get("BK");
  g.stages = c.get("stages");
  int64_t wg = c.get("warpgroups");
  int64_t kStep = mmaKStep(w.precision);
  // Each warpgroup issues m64nNkK with N a multiple of 8 up to 256.
  if (g.bm % (64 * wg))
    return check.fail("wgmma BM=" + llvm::Twine(g.bm) +
                       " is not a multiple of 64 x warpgroups (" +
                       llvm::Twine(64 * wg) + ")");
  if (g.bn % 8 || g.bn > 256)
    return check.fail("wgmma BN=" + llvm::Twine(g.bn) +
                       " must be a multiple of 8 up to 256");
  if (g.bk % kStep)
    return check.fail("wgmma BK=" + llvm::Twine(g.bk) +
                       " is not a multiple of the instruction K (" +
                       llvm::Twine(kStep) + ")");
  int64_t e = w.elemBytes();
  g.threads = wg * 128;
  g.regs = (g.bm / wg) * g.bn / 128 + 24;
  // tma=0: every thread computes the addresses, swizzled positions and
  // bounds of its 16-byte cp.async chunks (about two registers per chunk of
  // a stage it copies); with TMA one thread issues a copy per box.
  if (c.get("tma", 0) == 0)
    g.regs += 2 * ceilDiv((g.bm + g.bn) * g.bk * e / 16, g.threads);
  // Staged tiles plus one mbarrier pair per stage.
  g.smem = g.stages * ((g.bm + g.bn) * g.bk * e + 16);
  // TMA stores the A/B slices; each warpgroup reads its A rows and all of B.
  g.smemBytesPerSlice = double((g.bm + g.bn) * g.bk * e) +
                        double((g.bm + wg * g.bn) * g.bk * e);
  g.peak = t.peakFlops(w.precision);
  g.tensorCores = true;
  g.warpsPerBlock = wg * 4;
  g.warpgroupMma = true;
  FailureOr<CostEstimate> est = estimateGemmKernel(w, g, t, check);
  if (failed(est) || c.get("tma", 0) != 0)
    return est;
  // cp.async: the issue slots of the copies' address arithmetic (about 8
  // instructions per 16-byte chunk, four warp instructions per clock per
  // SM), per K step of every block on the busiest SM.
  int64_t chunkWarpInstrs = ceilDiv((g.bm + g.bn) * g.bk * e / 16, 32);
  double perStep = double(chunkWarpInstrs) * 8.0 / 4.0 / t.boostClockHz;
  est->latency +=
      double(est->waves) * est->blocksPerSm * ceilDiv(w.k, g.bk) * perStep;
  return est;
}

FailureOr<CostEstimate> estimateFmaGemm(const Workload &w,
                                        const TileConfig &c,
                                        const TargetSpec &t, Checker &check) {
  if (failed(requireParams(c, {"BM", "BN", "BK", "warps"}, check)))
    return failure();
  GemmKernel g;
  g.bm = c.get("BM");
  g.bn = c.get("BN");
  g.bk = c.get("BK");
  g.stages = 1;
  int64_t warps = c.get("warps");
  g.threads = warps * t.warpSize;
  if ((g.bm * g.bn) % g.threads)
    return check.fail("fma_gemm tile " + llvm::Twine(g.bm) + "x" +
                       llvm::Twine(g.bn) + " does not divide among " +
                       llvm::Twine(g.threads) + " threads");
  int64_t acc = g.bm * g.bn / g.threads;
  int64_t tm = int64_t(std::ceil(std::sqrt(double(acc))));
  int64_t tn = ceilDiv(acc, tm);
  g.regs = acc + tm + tn + 24;
  int64_t e = w.elemBytes();
  g.smem = (g.bm + g.bn) * g.bk * e;
  // A warp covers a sqrt(32*acc)-square of the tile; its loads are
  // broadcast within the warp.
  double warpSide = std::sqrt(double(t.warpSize) * acc);
  g.smemBytesPerSlice = double((g.bm + g.bn) * g.bk * e) +
                        double(warps) * 2 * warpSide * g.bk * e;
  g.peak = t.peakFp32Flops;
  g.tensorCores = false;
  g.warpsPerBlock = warps;
  g.warpgroupMma = false;
  return estimateGemmKernel(w, g, t, check);
}

//===----------------------------------------------------------------------===//
// Attention: flash_attention (FlashAttention-2 style)
//===----------------------------------------------------------------------===//

FailureOr<CostEstimate> estimateFlashAttention(const Workload &w,
                                               const TileConfig &c,
                                               const TargetSpec &t,
                                               Checker &check) {
  if (failed(requireParams(c, {"BQ", "BKV", "warps", "stages"}, check)))
    return failure();
  // fp32 and tf32 attention run both products on the FMA pipes; fp16 and
  // bf16 on tensor cores. The kernel pads the head dims to its units (16
  // and 8 on tensor cores, 4 and a warp's 32 columns on the FMA pipes; the
  // padding is zeros in shared memory and is not stored): math and shared
  // memory are priced on the padded dims, DRAM traffic on the real ones.
  const int64_t d = w.headDim, dv = w.valueDim > 0 ? w.valueDim : w.headDim;
  const bool fmaPath =
      w.precision == Precision::FP32 || w.precision == Precision::TF32;
  if (!fmaPath && failed(checkTensorPath(w, t, "flash_attention", check)))
    return failure();
  int64_t bq = c.get("BQ"), bkv = c.get("BKV"), warps = c.get("warps"),
          stages = c.get("stages");
  const int64_t dk = ceilDiv(d, fmaPath ? 4 : 16) * (fmaPath ? 4 : 16);
  const int64_t dvk = ceilDiv(dv, fmaPath ? 32 : 8) * (fmaPath ? 32 : 8);
  if (dk > 256 || dvk > (fmaPath ? 128 : 256))
    return check.fail("flash_attention head dims " + llvm::Twine(d) + " and " +
                      llvm::Twine(dv) +
                      " exceed the kernel's registers (at "
                      "most 256 and " +
                      llvm::Twine(fmaPath ? 128 : 256) + ", padded)");
  if (!isPowerOf2(warps) || bq % (16 * warps))
    return check.fail("flash_attention BQ=" + llvm::Twine(bq) +
                       " must be a multiple of 16 x warps (" +
                       llvm::Twine(16 * warps) + ")");
  if (bkv % 16)
    return check.fail("flash_attention BKV=" + llvm::Twine(bkv) +
                       " must be a multiple of 16");
  const int64_t e = w.elemBytes();
  const int64_t threads = warps * t.warpSize;
  // Per thread: O accumulators, S scores, P as 16-bit fragments, row stats.
  int64_t regs =
      bq * dvk / threads + bq * bkv / threads + bq * bkv / (2 * threads) + 24;
  int64_t smem = bq * dk * e + stages * bkv * (dk + dvk) * e;
  FailureOr<Occupancy> occ = computeOccupancy(t, threads, regs, smem, check);
  if (failed(occ))
    return failure();

  CostEstimate est;
  est.tensorCores = !fmaPath;
  est.peakFlops = fmaPath ? t.peakFp32Flops : t.peakFlops(w.precision);
  est.threadsPerBlock = threads;
  est.regsPerThread = regs;
  est.smemPerBlock = smem;
  est.blocksPerSm = occ->blocksPerSm;
  est.occupancyLimit = occ->limit;
  est.occupancy = double(occ->blocksPerSm * threads) / t.maxThreadsPerSm;

  const int64_t tilesQ = ceilDiv(w.seqQ, bq);
  const int64_t tiles = w.batchHeads * tilesQ;
  const int64_t slots = int64_t(t.smCount) * occ->blocksPerSm;
  const int64_t fullIters = ceilDiv(w.seqKV, bkv);
  // KV iterations per query tile (causal: up to the diagonal).
  int64_t itersPerHead = 0, maxIters = 0;
  for (int64_t i = 0; i < tilesQ; ++i) {
    int64_t it = fullIters;
    if (w.causal) {
      int64_t lastKey = std::min(w.seqKV, (i + 1) * bq + w.seqKV - w.seqQ);
      it = std::max<int64_t>(1, ceilDiv(std::max<int64_t>(lastKey, 1), bkv));
    }
    itersPerHead += it;
    maxIters = std::max(maxIters, it);
  }
  const double totalIters = double(itersPerHead) * w.batchHeads;
  est.tiles = tiles;
  est.waves = ceilDiv(tiles, slots);
  est.waveEfficiency = double(tiles) / double(est.waves * slots);
  // Makespan in iterations of the busiest slot: uniform tiles run in waves;
  // causal tiles of different lengths are balanced greedily (bounded below
  // by the longest tile).
  double makespan =
      w.causal ? std::max(double(maxIters), std::ceil(totalIters / slots))
               : double(est.waves) * fullIters;
  const int64_t activeSlots = std::min(tiles, slots);
  const int64_t perSm = ceilDiv(activeSlots, t.smCount);

  // DRAM: Q read and O written once; K/V of a head are read once when the
  // heads in flight fit in half of L2, else once per query tile.
  const double kvHeadBytes = double(w.seqKV) * (d + dv) * e;
  const double headsInFlight =
      std::min<double>(w.batchHeads, std::ceil(double(activeSlots) / tilesQ));
  const double kvRequests = totalIters * bkv * (d + dv) * e;
  double kvDram = headsInFlight * kvHeadBytes <= 0.5 * double(t.l2Bytes)
                      ? double(w.batchHeads) * kvHeadBytes
                      : kvRequests;
  kvDram = std::min(kvDram, kvRequests);
  const double qoBytes = double(w.batchHeads) * w.seqQ * (d + dv) * e;
  const double other = std::max(
      0.0, double(w.bytesRead + w.bytesWritten) - qoBytes -
               double(w.batchHeads) * kvHeadBytes);
  est.dramBytes = int64_t(kvDram + qoBytes + other);
  est.l2RequestBytes = int64_t(kvRequests + qoBytes + other);
  const double missRate = kvRequests > 0 ? kvDram / kvRequests : 1.0;

  const double bw = t.dramBandwidth * kDramEfficiency;
  const double smemBw = double(t.smemBytesPerClock) * t.boostClockHz;
  const double peakPerSm = est.peakFlops / t.smCount;
  const double fmaPerSm = t.peakFp32Flops / t.smCount;
  const double L = t.dramLatency;
  const double util = std::min(1.0, double(perSm * warps) / 4.0);
  // One KV iteration of every block on the busiest SM: the two MMAs on the
  // tensor cores, then the online softmax (about 4 FMA-pipe ops per score:
  // scale, max, exp, sum), not overlapped (FlashAttention-2).
  const double mathSlice =
      perSm * (2.0 * bq * bkv * (dk + dvk) / (peakPerSm * util) +
               4.0 * bq * bkv / fmaPerSm);
  const double smemSlice =
      perSm * double(bkv * (dk + dvk) * e) * (1 + warps) / smemBw;
  const double dramSlice =
      double(activeSlots) * bkv * (d + dv) * e * missRate / bw;
  const double latSlice =
      stages >= 2 ? L / double(stages - 1) : L + mathSlice / perSm;
  const double slice = std::max({mathSlice, smemSlice, dramSlice, latSlice});
  const double prologue =
      double(est.waves) * (L + double(std::min(tiles, slots)) * bq * d * e /
                                   bw);
  const double epi =
      double(est.waves) * (double(std::min(tiles, slots)) * bq * dv * e / bw +
                           perSm * double(w.epilogueFlops) /
                               std::max<int64_t>(tiles, 1) / fmaPerSm);
  est.computeTime = makespan * mathSlice;
  est.smemTime = makespan * smemSlice;
  est.memoryTime = est.dramBytes / bw;
  est.exposedLatency =
      prologue - (double(est.waves) * double(std::min(tiles, slots)) * bq * d *
                  e / bw) +
      makespan *
          std::max(0.0, latSlice - std::max({mathSlice, smemSlice, dramSlice}));
  est.epilogueTime = epi;
  est.latency = t.launchOverhead + prologue + makespan * slice + epi;
  finalize(est, t);
  return est;
}

//===----------------------------------------------------------------------===//
// Streaming kernels: elementwise, data movement, row reductions
//===----------------------------------------------------------------------===//

LogicalResult checkVector(int64_t vector, int64_t e, int64_t divisor,
                          llvm::StringRef what, Checker &check) {
  if (!isPowerOf2(vector) || vector * e > 16)
    return check.fail("vector=" + llvm::Twine(vector) +
                      " must be a power of two of at most 16 bytes (" +
                      llvm::Twine(16 / e) + " elements of " + llvm::Twine(e) +
                      " bytes)");
  if (divisor % vector)
    return check.fail(what + " " + llvm::Twine(divisor) +
                      " is not divisible by vector=" + llvm::Twine(vector));
  return success();
}

/// Bandwidth-limited streaming model shared by elementwise and reductions:
/// the achieved DRAM bandwidth is bounded by the bytes in flight over the
/// DRAM latency (Little's law).
void streamingTimes(const Workload &w, const TargetSpec &t,
                    double bytesInFlight, double activeSmFraction,
                    double serialTail, CostEstimate &est) {
  const double bw = t.dramBandwidth * kDramEfficiency;
  const double achieved = std::min(bw, bytesInFlight / t.dramLatency);
  est.dramBytes = w.bytesRead + w.bytesWritten;
  est.l2RequestBytes = est.dramBytes;
  est.memoryTime = double(est.dramBytes) / bw;
  double memTime = double(est.dramBytes) / std::max(achieved, 1.0);
  est.computeTime = double(w.totalFlops()) /
                    (t.peakFp32Flops * std::clamp(activeSmFraction, 1e-6, 1.0));
  // When too few bytes are in flight the whole transfer is paced by the
  // latency: bytes / (in-flight bytes / latency).
  est.exposedLatency =
      (achieved < bw ? memTime : t.dramLatency) + serialTail;
  est.peakFlops = t.peakFp32Flops;
  est.tensorCores = false;
  est.latency = t.launchOverhead + t.dramLatency +
                std::max(memTime, est.computeTime) + serialTail;
  finalize(est, t);
}

/// A block-per-tile kernel's estimate skeleton: its resources, occupancy,
/// `tiles` blocks and their waves. Returns the slots (resident blocks on
/// all SMs).
int64_t placeBlocks(CostEstimate &est, const TargetSpec &t,
                    const Occupancy &occ, int64_t threads, int64_t regs,
                    int64_t smem, int64_t tiles) {
  est.threadsPerBlock = threads;
  est.regsPerThread = regs;
  est.smemPerBlock = smem;
  est.blocksPerSm = occ.blocksPerSm;
  est.occupancyLimit = occ.limit;
  est.occupancy = double(occ.blocksPerSm * threads) / t.maxThreadsPerSm;
  est.tiles = tiles;
  int64_t slots = int64_t(t.smCount) * occ.blocksPerSm;
  est.waves = ceilDiv(est.tiles, slots);
  est.waveEfficiency = double(est.tiles) / double(est.waves * slots);
  return slots;
}

FailureOr<CostEstimate> estimateElementwise(const Workload &w,
                                            const TileConfig &c,
                                            const TargetSpec &t,
                                            Checker &check) {
  if (failed(requireParams(c, {"threads", "vector"}, check)))
    return failure();
  int64_t threads = c.get("threads"), vector = c.get("vector");
  int64_t e = w.elemBytes();
  if (threads % t.warpSize)
    return check.fail("threads=" + llvm::Twine(threads) +
                       " is not a multiple of the warp size");
  if (w.elements <= 0)
    return check.fail("workload has no elements");
  if (failed(checkVector(vector, e, w.elements, "element count", check)))
    return failure();
  int64_t regs = 16 + 2 * vector * ceilDiv(e, 4);
  FailureOr<Occupancy> occ = computeOccupancy(t, threads, regs, 0, check);
  if (failed(occ))
    return failure();
  CostEstimate est;
  int64_t slots = placeBlocks(est, t, *occ, threads, regs, 0,
                              ceilDiv(w.elements, threads * vector));
  double readPerElement = double(w.bytesRead) / w.elements;
  double residentThreads =
      double(std::min(est.tiles, slots)) * threads;
  double inFlight = residentThreads * vector * std::max(readPerElement, 1.0);
  double activeSms =
      std::min(1.0, double(est.tiles) / double(t.smCount));
  streamingTimes(w, t, inFlight, activeSms, 0.0, est);
  return est;
}

FailureOr<CostEstimate> estimateRowReduction(const Workload &w,
                                             const TileConfig &c,
                                             const TargetSpec &t,
                                             Checker &check) {
  bool perWarp = c.impl == "row_per_warp";
  if (failed(requireParams(
          c, {perWarp ? "warps" : "threads", "vector"}, check)))
    return failure();
  if (w.rows <= 0 || w.rowLength <= 0)
    return check.fail("reduction workload has no rows");
  int64_t vector = c.get("vector");
  int64_t e = w.elemBytes();
  int64_t threads = perWarp ? c.get("warps") * t.warpSize : c.get("threads");
  if (threads % t.warpSize)
    return check.fail("threads=" + llvm::Twine(threads) +
                       " is not a multiple of the warp size");
  if (failed(checkVector(vector, e, w.rowLength, "row length", check)))
    return failure();
  // Threads cooperating on one row and the vectors each loads.
  int64_t lanesPerRow = perWarp ? t.warpSize : threads;
  int64_t rowsPerBlock = perWarp ? threads / t.warpSize : 1;
  int64_t steps = ceilDiv(w.rowLength, lanesPerRow * vector);
  double laneUse = double(w.rowLength) /
                   double(roundUp(w.rowLength, lanesPerRow * vector));
  int64_t regs = 24 + 4 * vector * ceilDiv(e, 4);
  int64_t smem = perWarp ? 0 : (threads / t.warpSize) * 8;
  FailureOr<Occupancy> occ = computeOccupancy(t, threads, regs, smem, check);
  if (failed(occ))
    return failure();
  CostEstimate est;
  int64_t slots = placeBlocks(est, t, *occ, threads, regs, smem,
                              ceilDiv(w.rows, rowsPerBlock));
  // Each thread keeps up to 4 independent vector loads in flight.
  double residentThreads = double(std::min(est.tiles, slots)) * threads;
  double inFlight = residentThreads * laneUse * vector * e *
                    double(std::min<int64_t>(steps, 4));
  double activeSms = std::min(1.0, double(est.tiles) / double(t.smCount));
  // Tree combine per row: 5 shuffle rounds per warp, and for a block also a
  // shared-memory round trip and barrier per warp level (about 32 clocks
  // each), serialized over the rows a slot handles.
  double combineClocks =
      perWarp ? 5 * 32.0
              : (5 + 2 + llvm::Log2_64_Ceil(threads / t.warpSize)) * 32.0;
  double rowsPerSlot = std::ceil(double(w.rows) /
                                 double(std::min(est.tiles, slots) *
                                        rowsPerBlock));
  double tail = rowsPerSlot * combineClocks / t.boostClockHz;
  streamingTimes(w, t, inFlight, activeSms * laneUse, tail, est);
  return est;
}

//===----------------------------------------------------------------------===//
// Depthwise convolution: the direct kernel (depthwise)
//===----------------------------------------------------------------------===//

/// A block computes BN channels x th x tw output positions (th x tw <= BM,
/// convOutputTile) of one image: it stages each channel's input window
/// (halo included, zero padding) and its taps in shared memory as f32, then
/// every thread computes outputs from shared memory (two ld.shared and one
/// FMA per tap) and applies the epilogue in registers before one store.
FailureOr<CostEstimate> estimateDepthwise(const Workload &w,
                                          const TileConfig &c,
                                          const TargetSpec &t, Checker &check) {
  if (!w.depthwise)
    return check.fail("the depthwise kernel runs depthwise convolutions only");
  if (failed(requireParams(c, {"BM", "BN", "warps"}, check)))
    return failure();
  int64_t oh = w.convOut[0], ow = w.convOut[1];
  if (oh <= 0 || ow <= 0 || w.n != 1)
    return check.fail("depthwise workload without its 2-D geometry");
  int64_t bm = c.get("BM"), bn = c.get("BN");
  int64_t threads = c.get("warps") * t.warpSize;
  auto [channels, th, tw, window, smem] = depthwiseBlock(w, bm, bn);
  int64_t taps = w.k;
  if (smem > kStaticSharedMemoryLimit)
    return check.fail("depthwise tile needs " + llvm::Twine(smem) +
                      " bytes of shared memory; its static limit is " +
                      llvm::Twine(kStaticSharedMemoryLimit));
  int64_t regs = 40;
  FailureOr<Occupancy> occ = computeOccupancy(t, threads, regs, smem, check);
  if (failed(occ))
    return failure();
  int64_t images = std::max<int64_t>(1, w.m / (oh * ow));
  CostEstimate est;
  int64_t slots = placeBlocks(
      est, t, *occ, threads, regs, smem,
      images * ceilDiv(w.batch, channels) * ceilDiv(oh, th) * ceilDiv(ow, tw));
  double activeSms = std::min(1.0, double(est.tiles) / double(t.smCount));
  // The busiest SM's blocks: each thread computes perThread outputs (the
  // idle threads of a partial pass included), one FMA per tap, and the
  // shared memory serves the window's and taps' stores and two loads per
  // tap (input and tap), 4 bytes each.
  int64_t outputs = channels * th * tw;
  int64_t perThread = ceilDiv(outputs, threads);
  double blocksOnBusiest = double(ceilDiv(est.tiles, t.smCount));
  double fmaPerSm = t.peakFp32Flops / 2.0 / t.smCount;
  est.tensorCores = false;
  est.peakFlops = t.peakFp32Flops;
  est.computeTime =
      blocksOnBusiest * double(perThread * threads * taps) / fmaPerSm;
  double smemPerBlockBytes = double(channels * (window + taps)) * 4 +
                             double(perThread * threads * taps) * 2 * 4;
  est.smemTime = blocksOnBusiest * smemPerBlockBytes /
                 (double(t.smemBytesPerClock) * t.boostClockHz);
  double activeFraction = std::clamp(activeSms, 1e-6, 1.0);
  // DRAM: the group's reads and writes; blocks re-read their halo from L2.
  int64_t e = w.elemBytes();
  est.dramBytes = w.bytesRead + w.bytesWritten;
  est.l2RequestBytes = est.dramBytes +
                       int64_t(est.tiles) * channels * window * e -
                       std::min<int64_t>(w.bytesA, w.bytesRead);
  const double bw = t.dramBandwidth * kDramEfficiency;
  // Bytes in flight: each resident thread loads one window element at a
  // time while staging.
  double inFlight = double(std::min(est.tiles, slots)) * threads * e;
  double achieved = std::min(bw, inFlight / t.dramLatency);
  est.memoryTime = double(est.dramBytes) / bw;
  double memTime = double(est.dramBytes) / std::max(achieved, 1.0);
  // The first blocks stage their windows before any computes; later
  // blocks' staging overlaps the resident blocks' math.
  est.exposedLatency = t.dramLatency;
  est.epilogueTime =
      double(w.epilogueFlops) / (t.peakFp32Flops * activeFraction);
  est.latency = t.launchOverhead + est.exposedLatency +
                std::max({memTime, est.computeTime, est.smemTime}) +
                est.epilogueTime;
  finalize(est, t);
  return est;
}

} // namespace

std::pair<int64_t, int64_t> mlir::fuse::convOutputTile(int64_t oh, int64_t ow,
                                                       int64_t positions) {
  int64_t bestTiles = 0, th = 1, tw = 1;
  for (int64_t w = std::min(ow, positions); w >= 1; --w) {
    int64_t h = std::min(oh, positions / w);
    int64_t tiles = ceilDiv(oh, h) * ceilDiv(ow, w);
    if (!bestTiles || tiles < bestTiles) {
      bestTiles = tiles;
      th = h;
      tw = w;
    }
  }
  return {th, tw};
}

DepthwiseBlock mlir::fuse::depthwiseBlock(const Workload &w, int64_t bm,
                                          int64_t bn) {
  DepthwiseBlock block;
  std::tie(block.th, block.tw) = convOutputTile(w.convOut[0], w.convOut[1], bm);
  block.channels = std::min(bn, w.batch);
  block.window = depthwiseWindow(w, block.th, block.tw);
  block.sharedBytes = block.channels * (block.window + w.k) * 4;
  return block;
}

int64_t mlir::fuse::depthwiseWindow(const Workload &w, int64_t th, int64_t tw) {
  int64_t rows = (th - 1) * w.convStride[0] +
                 (w.convKernel[0] - 1) * w.convDilation[0] + 1;
  int64_t cols = (tw - 1) * w.convStride[1] +
                 (w.convKernel[1] - 1) * w.convDilation[1] + 1;
  return rows * cols;
}

FailureOr<CostEstimate> mlir::fuse::estimateLatency(const Workload &workload,
                                                    const TileConfig &config,
                                                    const TargetSpec &target,
                                                    std::string *reason) {
  Checker check{reason};
  llvm::SmallVector<llvm::StringRef> impls =
      implementationsFor(workload.kind);
  if (!llvm::is_contained(impls, config.impl)) {
    (void)check.fail("implementation '" + config.impl + "' does not run a " +
                     stringifyWorkloadKind(workload.kind).str() + " workload");
    return failure();
  }
  switch (workload.kind) {
  case WorkloadKind::Gemm:
    if (workload.m <= 0 || workload.n <= 0 || workload.k <= 0 ||
        workload.batch <= 0) {
      (void)check.fail("gemm workload needs positive M, N, K and batch");
      return failure();
    }
    if (config.impl == "depthwise")
      return estimateDepthwise(workload, config, target, check);
    if (config.impl == "mma_sync")
      return estimateMmaSync(workload, config, target, check);
    if (config.impl == "wgmma")
      return estimateWgmma(workload, config, target, check);
    return estimateFmaGemm(workload, config, target, check);
  case WorkloadKind::Attention:
    if (workload.batchHeads <= 0 || workload.seqQ <= 0 ||
        workload.seqKV <= 0 || workload.headDim <= 0) {
      (void)check.fail("attention workload needs positive sizes");
      return failure();
    }
    return estimateFlashAttention(workload, config, target, check);
  case WorkloadKind::Reduction:
    return estimateRowReduction(workload, config, target, check);
  case WorkloadKind::Elementwise:
  case WorkloadKind::DataMovement:
    return estimateElementwise(workload, config, target, check);
  }
  (void)check.fail("unknown workload kind");
  return failure();
}

//===----------------------------------------------------------------------===//
// Default configurations
//===----------------------------------------------------------------------===//

static TileConfig makeConfig(llvm::StringRef impl,
                             std::initializer_list<std::pair<const char *,
                                                             int64_t>>
                                 params) {
  TileConfig config;
  config.impl = impl.str();
  for (const auto &[name, value] : params)
    config.params[name] = value;
  return config;
}

/// The largest power-of-two vector of at most 16 bytes dividing `count`.
static int64_t widestVector(int64_t count, int64_t e) {
  int64_t vector = std::max<int64_t>(1, 16 / e);
  while (vector > 1 && count % vector)
    vector /= 2;
  return vector;
}

FailureOr<TileConfig> mlir::fuse::defaultConfig(const Workload &w,
                                                const TargetSpec &t,
                                                std::string *reason) {
  llvm::SmallVector<TileConfig> candidates;
  const int64_t e = w.elemBytes();
  switch (w.kind) {
  case WorkloadKind::Gemm:
    if (w.depthwise) {
      for (int64_t bm : {256, 128, 64})
        candidates.push_back(
            makeConfig("depthwise", {{"BM", bm}, {"BN", 1}, {"warps", 4}}));
      break;
    }
    if (isTensorCorePrecision(w.precision)) {
      // BK of 128 bytes (wgmma) / 64 bytes (mma.sync) of K.
      if (t.hasWgmma())
        for (int64_t stages : {4, 3, 2})
          candidates.push_back(makeConfig("wgmma", {{"BM", 128},
                                                    {"BN", 128},
                                                    {"BK", 128 / e},
                                                    {"stages", stages},
                                                    {"warpgroups", 1},
                                                    {"tma", 1}}));
      for (int64_t stages : {3, 2})
        candidates.push_back(makeConfig(
            "mma_sync", {{"BM", 128}, {"BN", 128}, {"BK", 64 / e},
                         {"warps", 4}, {"stages", stages}}));
    }
    candidates.push_back(makeConfig(
        "fma_gemm", {{"BM", 64}, {"BN", 64}, {"BK", 8}, {"warps", 4}}));
    break;
  case WorkloadKind::Attention:
    for (int64_t bkv : {64, 32})
      for (int64_t stages : {2, 1})
        candidates.push_back(makeConfig(
            "flash_attention",
            {{"BQ", 64}, {"BKV", bkv}, {"warps", 4}, {"stages", stages}}));
    break;
  case WorkloadKind::Reduction: {
    int64_t vector = widestVector(w.rowLength, e);
    // Few long rows: a block per row; otherwise a warp per row.
    if (w.rowLength >= 4096 && w.rows < int64_t(4) * t.smCount)
      candidates.push_back(makeConfig(
          "row_per_block", {{"threads", 1024}, {"vector", vector}}));
    candidates.push_back(
        makeConfig("row_per_warp", {{"warps", 4}, {"vector", vector}}));
    break;
  }
  case WorkloadKind::Elementwise:
  case WorkloadKind::DataMovement:
    candidates.push_back(makeConfig(
        "elementwise",
        {{"threads", 256}, {"vector", widestVector(w.elements, e)}}));
    break;
  }
  std::string last;
  for (const TileConfig &config : candidates)
    if (succeeded(estimateLatency(w, config, t, &last)))
      return config;
  if (reason)
    *reason = "no default configuration fits: " + last;
  return failure();
}
