//===- Compile.cpp - The staged compile pipeline, as a library ------------===//

#include "Fuse/Driver/Compile.h"

#include "Fuse/CostModel/TargetSpec.h"
#include "Fuse/CostModel/TileConfigAttr.h"
#include "Fuse/Transforms/FusionReport.h"
#include "Fuse/Transforms/Passes.h"
#include "Fuse/Transforms/Pipelines.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::fuse;

StringRef mlir::fuse::stringifyCompileStage(CompileStage stage) {
  switch (stage) {
  case CompileStage::Fuse:
    return "fuse";
  case CompileStage::Rewritten:
    return "rewritten";
  case CompileStage::Fused:
    return "fused";
  case CompileStage::Tiled:
    return "tiled";
  case CompileStage::Gpu:
    return "gpu";
  case CompileStage::Ptx:
    return "ptx";
  }
  return "";
}

std::optional<CompileStage> mlir::fuse::parseCompileStage(StringRef name) {
  return llvm::StringSwitch<std::optional<CompileStage>>(name)
      .Case("fuse", CompileStage::Fuse)
      .Case("rewritten", CompileStage::Rewritten)
      .Case("fused", CompileStage::Fused)
      .Case("tiled", CompileStage::Tiled)
      .Case("gpu", CompileStage::Gpu)
      .Case("ptx", CompileStage::Ptx)
      .Default(std::nullopt);
}

LogicalResult mlir::fuse::verifyCompileOptions(const CompileOptions &options,
                                               std::string &error) {
  if (!lookupTarget(options.target)) {
    std::string known;
    for (const TargetSpec &spec : allTargets())
      known += (known.empty() ? "" : ", ") + std::string(spec.name);
    error = "unknown --target=" + options.target + " (known: " + known + ")";
    return failure();
  }
  if (options.precision != "fp32" && options.precision != "tf32" &&
      options.precision != "fp16" && options.precision != "bf16") {
    error = "unknown --precision=" + options.precision +
            " (expected fp32, tf32, fp16 or bf16)";
    return failure();
  }
  bool grouped = options.stage != CompileStage::Fuse &&
                 options.stage != CompileStage::Rewritten;
  if ((options.wantReport || options.wantDot) && !grouped) {
    error = "--fuse-report and --fuse-report-dot need --emit=fused, tiled, "
            "gpu or ptx";
    return failure();
  }
  if (options.tuneMode != "model" && options.tuneMode != "measure") {
    error = "unknown --tune=" + options.tuneMode +
            " (expected model or measure)";
    return failure();
  }
  if (options.tuneMode == "measure" && options.tuningDb.empty()) {
    error = "--tune=measure needs --tuning-db=PATH (the measurements are "
            "stored there)";
    return failure();
  }
  if (options.tuneMode == "measure" &&
      (!grouped || options.stage == CompileStage::Fused)) {
    error = "--tune=measure needs --emit=tiled, gpu or ptx";
    return failure();
  }
  if ((!options.tileConfigs.empty() || !options.tuningDb.empty()) &&
      (!grouped || options.stage == CompileStage::Fused)) {
    error = "--fuse-tile-config and --tuning-db need --emit=tiled, gpu or "
            "ptx";
    return failure();
  }
  return success();
}

FailureOr<CompileResult> mlir::fuse::compileModule(ModuleOp module,
                                                   const CompileOptions &options,
                                                   std::string &error) {
  if (failed(verifyCompileOptions(options, error)))
    return failure();
  MLIRContext *context = module.getContext();
  CompileResult result;
  auto snapshot = [&](CompileStage stage) {
    if (!options.keepSnapshots)
      return;
    std::string text;
    llvm::raw_string_ostream os(text);
    module.print(os);
    result.snapshots[stage] = std::move(text);
  };
  auto run = [&](function_ref<LogicalResult(PassManager &)> build,
                 StringRef what) -> LogicalResult {
    PassManager pm(context);
    if ((options.configurePassManager &&
         failed(options.configurePassManager(pm))) ||
        failed(build(pm))) {
      error = "cannot build the " + what.str() + " pipeline";
      return failure();
    }
    if (failed(pm.run(module))) {
      error = what.str() + " failed";
      return failure();
    }
    return success();
  };

  result.opsBefore = countKernelOps(module);
  result.opsAfterRewrite = result.opsBefore;
  snapshot(CompileStage::Fuse);
  if (options.stage == CompileStage::Fuse)
    return result;

  if (failed(run([](PassManager &pm) { return buildFuseRewritePipeline(pm); },
                 "rewriting")))
    return failure();
  result.opsAfterRewrite = countKernelOps(module);
  snapshot(CompileStage::Rewritten);
  if (options.stage == CompileStage::Rewritten)
    return result;

  if (failed(run(
          [&](PassManager &pm) {
            FuseFormGroupsOptions groupOptions;
            groupOptions.target = options.target;
            pm.addNestedPass<func::FuncOp>(createFuseFormGroups(groupOptions));
            return success();
          },
          "forming groups")))
    return failure();
  // The report and the picture describe the fused groups.
  if (options.wantReport)
    result.report = buildFusionReport(module, options.modelName,
                                      result.opsBefore, result.opsAfterRewrite);
  if (options.wantDot) {
    llvm::raw_string_ostream os(result.dot);
    printFusionDot(module, os);
  }
  snapshot(CompileStage::Fused);
  if (options.stage == CompileStage::Fused)
    return result;

  if (options.tuneMode == "measure") {
    std::string reason;
    FailureOr<std::unique_ptr<BundleTimer>> timer =
        options.makeTimer ? options.makeTimer(reason)
                          : FailureOr<std::unique_ptr<BundleTimer>>(failure());
    if (failed(timer)) {
      error = "--tune=measure times kernels on a GPU: " +
              (reason.empty() ? std::string("this build has no GPU timer")
                              : reason);
      return failure();
    }
    FailureOr<MeasureStats> measured =
        measureGroups(module, options, **timer, options.tuneTopK,
                      options.tuneRuns, error);
    if (failed(measured))
      return failure();
    result.measure = *measured;
  }
  if (failed(run(
          [&](PassManager &pm) {
            FuseTileOptions tileOptions;
            tileOptions.target = options.target;
            tileOptions.tileConfig = llvm::join(options.tileConfigs, ";");
            tileOptions.tuningDb = options.tuningDb;
            tileOptions.precision = options.precision;
            pm.addNestedPass<func::FuncOp>(createFuseTile(tileOptions));
            pm.addPass(createCanonicalizerPass());
            pm.addPass(createCSEPass());
            return success();
          },
          "tiling")))
    return failure();
  if (result.report)
    addTileConfigsToReport(module, *result.report);
  snapshot(CompileStage::Tiled);
  if (options.stage == CompileStage::Tiled)
    return result;

  result.chip = chipForTarget(options.target);
  // The warpgroup GEMM path needs the architecture-specific sm_90a.
  if (result.chip == "sm_90") {
    bool wgmma = false;
    module.walk([&](Operation *op) {
      if (auto tile = op->getAttrOfType<TileAttr>("fuse.tile"))
        wgmma |= getTileConfig(tile).impl == "wgmma";
    });
    if (wgmma)
      result.chip = "sm_90a";
  }
  GpuPipelineStage gpuStage = options.stage == CompileStage::Gpu
                                  ? GpuPipelineStage::Kernels
                                  : GpuPipelineStage::Binary;
  if (failed(run(
          [&](PassManager &pm) {
            return buildFuseGpuPipeline(pm, result.chip, options.cudaPath,
                                        gpuStage);
          },
          "GPU code generation")))
    return failure();
  if (result.report)
    addGpuKernelsToReport(module, *result.report);
  snapshot(CompileStage::Gpu);
  if (options.stage == CompileStage::Gpu)
    return result;
  BundleOptions bundleOptions;
  bundleOptions.target = options.target;
  bundleOptions.chip = result.chip;
  bundleOptions.precision = options.precision;
  FailureOr<CompiledBundle> bundle = buildBundle(module, bundleOptions);
  if (failed(bundle)) {
    error = "writing the bundle failed";
    return failure();
  }
  result.bundle = std::move(*bundle);
  return result;
}

std::string mlir::fuse::chipForTarget(StringRef target) {
  const TargetSpec *spec = lookupTarget(target);
  return spec ? std::string(spec->arch) : std::string("sm_90");
}
