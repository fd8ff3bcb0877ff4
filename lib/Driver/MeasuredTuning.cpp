//===- MeasuredTuning.cpp - Tuning by timing candidates on a GPU ----------===//

#include "Fuse/Driver/MeasuredTuning.h"

#include "Fuse/CostModel/TileConfig.h"
#include "Fuse/CostModel/TuningDatabase.h"
#include "Fuse/Driver/Compile.h"
#include "Fuse/Transforms/Passes.h"
#include "Fuse/Transforms/Pipelines.h"
#include "Fuse/Transforms/TileSignature.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::fuse;

BundleTimer::~BundleTimer() = default;

namespace {

/// A module whose @main computes only `group`: its inputs are arguments,
/// its results the function's results.
OwningOpRef<ModuleOp> standaloneModule(GroupOp group) {
  MLIRContext *context = group.getContext();
  Location loc = group.getLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder builder(context);
  builder.setInsertionPointToEnd(module->getBody());
  auto type = builder.getFunctionType(group->getOperandTypes(),
                                      group->getResultTypes());
  auto func = func::FuncOp::create(builder, loc, "main", type);
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  IRMapping mapping;
  for (auto [operand, arg] :
       llvm::zip(group->getOperands(), body->getArguments()))
    mapping.map(operand, arg);
  Operation *clone = builder.clone(*group, mapping);
  func::ReturnOp::create(builder, loc, clone->getResults());
  return module;
}

/// Tiles the one group of `module` with `config`, generates its kernels
/// and builds the bundle; the first diagnostic goes to `error`.
FailureOr<CompiledBundle> compileCandidate(ModuleOp module,
                                           const CompileOptions &options,
                                           const std::string &chip,
                                           const std::string &config,
                                           std::string &error) {
  MLIRContext *context = module.getContext();
  std::string first;
  ScopedDiagnosticHandler quiet(context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && first.empty())
      first = diag.str();
    return success();
  });
  PassManager pm(context);
  FuseTileOptions tile;
  tile.target = options.target;
  tile.precision = options.precision;
  tile.tileConfig = "0=" + config;
  pm.addNestedPass<func::FuncOp>(createFuseTile(tile));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (failed(buildFuseGpuPipeline(pm, chip, options.cudaPath)) ||
      failed(pm.run(module))) {
    error = first.empty() ? "the GPU pipeline failed" : first;
    return failure();
  }
  BundleOptions bundleOptions{options.target, chip, options.precision};
  FailureOr<CompiledBundle> bundle = buildBundle(module, bundleOptions);
  if (failed(bundle))
    error = first.empty() ? "building the bundle failed" : first;
  return bundle;
}

} // namespace

FailureOr<MeasureStats> mlir::fuse::measureGroups(ModuleOp fused,
                                                  const CompileOptions &options,
                                                  BundleTimer &timer,
                                                  int64_t topK, int64_t runs,
                                                  std::string &error) {
  if (options.tuningDb.empty()) {
    error = "--tune=measure needs --tuning-db=PATH (the measurements are "
            "stored there)";
    return failure();
  }
  if (topK < 1 || runs < 1) {
    error = "--tune-top-k and --tune-runs must be at least 1";
    return failure();
  }
  MLIRContext *context = fused.getContext();
  // The cost model's top-k of every group, recorded in the database by
  // tiling a copy (choices only).
  {
    OwningOpRef<ModuleOp> probe = fused.clone();
    PassManager pm(context);
    FuseTileOptions tile;
    tile.target = options.target;
    tile.precision = options.precision;
    tile.tuningDb = options.tuningDb;
    tile.materializeTiles = false;
    pm.addNestedPass<func::FuncOp>(createFuseTile(tile));
    if (failed(pm.run(*probe))) {
      error = "tuning with the cost model failed";
      return failure();
    }
  }
  FailureOr<std::unique_ptr<TuningDatabase>> database =
      TuningDatabase::open(options.tuningDb, error);
  if (failed(database))
    return failure();

  std::string chip = chipForTarget(options.target);
  MeasureStats stats;
  SmallVector<GroupOp> groups;
  fused.walk([&](GroupOp group) { groups.push_back(group); });
  for (GroupOp group : groups) {
    ++stats.groups;
    FailureOr<std::string> signature =
        getGroupTuningSignature(group, options.target, options.precision);
    if (failed(signature)) {
      error = "no tuning signature for a group";
      return failure();
    }
    FailureOr<std::vector<TuningDatabase::Row>> rows =
        (*database)->rows(error, *signature, options.target);
    if (failed(rows))
      return failure();
    std::vector<TuningDatabase::Row> candidates;
    for (const TuningDatabase::Row &row : *rows)
      if (row.predicted)
        candidates.push_back(row);
    std::stable_sort(
        candidates.begin(), candidates.end(),
        [](const TuningDatabase::Row &a, const TuningDatabase::Row &b) {
          return *a.predicted < *b.predicted;
        });
    if (static_cast<int64_t>(candidates.size()) > topK)
      candidates.resize(topK);
    for (const TuningDatabase::Row &row : candidates) {
      if (row.measured) {
        ++stats.reused;
        continue;
      }
      FailureOr<TileConfig> config = TileConfig::parse(row.config, error);
      if (failed(config))
        return failure();
      OwningOpRef<ModuleOp> module = standaloneModule(group);
      std::string reason;
      FailureOr<CompiledBundle> bundle =
          compileCandidate(*module, options, chip, row.config, reason);
      if (failed(bundle)) {
        ++stats.failedToCompile;
        if (stats.firstFailure.empty())
          stats.firstFailure = row.config + ": " + reason;
        continue;
      }
      FailureOr<double> seconds = timer.time(*bundle, runs, error);
      if (failed(seconds))
        return failure();
      if (failed((*database)->recordMeasurement(
              *signature, options.target, *config, *seconds, runs, error)))
        return failure();
      ++stats.measured;
    }
  }
  return stats;
}
