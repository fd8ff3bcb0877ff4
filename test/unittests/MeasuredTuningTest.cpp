//===- MeasuredTuningTest.cpp - measured mode with a deterministic timer --===//
//
// The plumbing of `--tune=measure`, with a timer that stands in for the GPU:
// the top-k candidates of a group are compiled to bundles and timed, the
// measurements land in the tuning database beside the predictions, the
// tiling then takes the fastest measured configuration, and a second
// compile reuses the measurements instead of timing again.
//
//===----------------------------------------------------------------------===//

#include "Fuse/CostModel/TileConfigAttr.h"
#include "Fuse/CostModel/TuningDatabase.h"
#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Driver/Compile.h"
#include "Fuse/Transforms/Passes.h"
#include "Fuse/Transforms/Pipelines.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

using namespace mlir;
using namespace mlir::fuse;

namespace {

constexpr const char *kFused = R"mlir(
func.func @main(%x: tensor<64x256xf32>, %b: tensor<256xf32>) -> tensor<64x256xf32> {
  %0 = fuse.group(%x, %b) : (tensor<64x256xf32>, tensor<256xf32>) -> tensor<64x256xf32> {
  ^bb0(%a: tensor<64x256xf32>, %c: tensor<256xf32>):
    %1 = fuse.add %a, %c : (tensor<64x256xf32>, tensor<256xf32>) -> tensor<64x256xf32>
    %2 = fuse.relu %1 : tensor<64x256xf32>
    fuse.yield %2 : tensor<64x256xf32>
  }
  return %0 : tensor<64x256xf32>
}
)mlir";

/// Seconds from the bundle's bytes: different kernels get different,
/// reproducible times, unrelated to the cost model's ranking.
class HashTimer : public BundleTimer {
public:
  FailureOr<double> time(const CompiledBundle &bundle, int64_t runs,
                         std::string &error) override {
    ++calls;
    lastRuns = runs;
    std::string plan;
    llvm::raw_string_ostream os(plan);
    os << llvm::json::Value(llvm::json::Object(bundle.plan));
    uint64_t hash = 1469598103934665603ull;
    for (char c : bundle.ptx + plan)
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return 1e-6 * static_cast<double>(1 + hash % 997);
  }
  int calls = 0;
  int64_t lastRuns = 0;
};

class MeasuredTuningTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (!llvm::sys::fs::exists(
            "/usr/local/cuda/nvvm/libdevice/libdevice.10.bc"))
      GTEST_SKIP() << "no CUDA toolkit (libdevice) for the GPU pipeline";
    static bool registered = [] {
      registerAllPasses();
      registerFusePasses();
      return true;
    }();
    (void)registered;
    DialectRegistry registry;
    registry.insert<FuseDialect>();
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerFuseGpuPipelineDialects(registry);
    context = std::make_unique<MLIRContext>(registry);
    context->loadAllAvailableDialects();
    llvm::SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("fuse-measure", dir));
    directory = dir.str().str();
    dbPath = directory + "/tuning.db";
  }
  void TearDown() override {
    if (!directory.empty())
      llvm::sys::fs::remove_directories(directory);
  }

  FailureOr<CompileResult> compile(OwningOpRef<ModuleOp> &module,
                                   HashTimer &timer) {
    module = parseSourceString<ModuleOp>(kFused, context.get());
    if (!module)
      return failure();
    CompileOptions options;
    options.stage = CompileStage::Tiled;
    options.tuningDb = dbPath;
    options.tuneMode = "measure";
    options.tuneTopK = 3;
    options.tuneRuns = 7;
    options.makeTimer =
        [&](std::string &) -> FailureOr<std::unique_ptr<BundleTimer>> {
      // The timer outlives the compile; hand out a forwarding one.
      struct Forward : BundleTimer {
        HashTimer &to;
        explicit Forward(HashTimer &to) : to(to) {}
        FailureOr<double> time(const CompiledBundle &b, int64_t runs,
                               std::string &e) override {
          return to.time(b, runs, e);
        }
      };
      return std::unique_ptr<BundleTimer>(new Forward(timer));
    };
    std::string error;
    FailureOr<CompileResult> result = compileModule(*module, options, error);
    EXPECT_TRUE(succeeded(result)) << error;
    return result;
  }

  std::unique_ptr<MLIRContext> context;
  std::string directory, dbPath;
};

TEST_F(MeasuredTuningTest, TimesTopKAndPicksFastestMeasured) {
  HashTimer timer;
  OwningOpRef<ModuleOp> module;
  FailureOr<CompileResult> result = compile(module, timer);
  ASSERT_TRUE(succeeded(result));
  ASSERT_TRUE(result->measure.has_value());
  EXPECT_EQ(result->measure->groups, 1);
  EXPECT_EQ(result->measure->failedToCompile, 0)
      << result->measure->firstFailure;
  EXPECT_EQ(result->measure->measured, 3);
  EXPECT_EQ(timer.calls, 3);
  EXPECT_EQ(timer.lastRuns, 7);

  // The database holds the three measurements beside their predictions.
  std::string error;
  auto db = TuningDatabase::open(dbPath, error);
  ASSERT_TRUE(succeeded(db)) << error;
  auto rows = (*db)->rows(error);
  ASSERT_TRUE(succeeded(rows)) << error;
  std::vector<std::pair<double, std::string>> measured;
  for (const TuningDatabase::Row &row : *rows) {
    if (!row.measured)
      continue;
    EXPECT_TRUE(row.predicted.has_value()) << row.config;
    EXPECT_EQ(row.runs, 7);
    measured.push_back({*row.measured, row.config});
  }
  ASSERT_EQ(measured.size(), 3u);
  double fastest = std::min_element(measured.begin(), measured.end())->first;

  // The tiled group carries the fastest measured configuration.
  std::string chosen;
  module->walk([&](GroupOp group) {
    if (auto tile = group->getAttrOfType<TileAttr>("fuse.tile"))
      chosen = getTileConfig(tile).str();
  });
  // (Configurations whose kernels come out identical tie.)
  EXPECT_TRUE(llvm::any_of(measured, [&](const auto &entry) {
    return entry.first == fastest && entry.second == chosen;
  })) << chosen;
}

TEST_F(MeasuredTuningTest, ReusesMeasurements) {
  HashTimer first, second;
  OwningOpRef<ModuleOp> module;
  ASSERT_TRUE(succeeded(compile(module, first)));
  FailureOr<CompileResult> again = compile(module, second);
  ASSERT_TRUE(succeeded(again));
  EXPECT_EQ(second.calls, 0);
  EXPECT_EQ(again->measure->measured, 0);
  EXPECT_EQ(again->measure->reused, 3);
}

TEST_F(MeasuredTuningTest, NoTimerIsAnError) {
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(kFused, context.get());
  ASSERT_TRUE(module);
  CompileOptions options;
  options.stage = CompileStage::Tiled;
  options.tuningDb = dbPath;
  options.tuneMode = "measure";
  options.makeTimer =
      [](std::string &reason) -> FailureOr<std::unique_ptr<BundleTimer>> {
    reason = "no CUDA device: test";
    return failure();
  };
  std::string error;
  EXPECT_TRUE(failed(compileModule(*module, options, error)));
  EXPECT_EQ(error, "--tune=measure times kernels on a GPU: no CUDA device: "
                   "test");
  options.tuningDb.clear();
  EXPECT_TRUE(failed(verifyCompileOptions(options, error)));
  EXPECT_EQ(error, "--tune=measure needs --tuning-db=PATH (the measurements "
                   "are stored there)");
}

} // namespace
