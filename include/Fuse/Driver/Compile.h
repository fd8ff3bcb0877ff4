//===- Compile.h - The staged compile pipeline, as a library ----*- C++ -*-===//
//
// What `fuse-compile` (and the Python package) run on a loaded module:
// rewrite -> form groups -> tile, stopping at the requested stage, with the
// fusion report and picture taken at the fused stage.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_DRIVER_COMPILE_H
#define FUSE_DRIVER_COMPILE_H

#include "Fuse/Driver/Bundle.h"
#include "Fuse/Driver/MeasuredTuning.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/JSON.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace fuse {

enum class CompileStage { Fuse, Rewritten, Fused, Tiled, Gpu, Ptx };

/// "fuse", "rewritten", "fused", "tiled", "gpu", "ptx".
llvm::StringRef stringifyCompileStage(CompileStage stage);
/// The stage named `name`; nullopt for anything else (including stages that
/// are not built yet).
std::optional<CompileStage> parseCompileStage(llvm::StringRef name);

struct CompileOptions {
  CompileStage stage = CompileStage::Fused;
  std::string target = "h100";
  std::string precision = "fp32";
  /// `GROUP=CONFIG` overrides for the tiled stage.
  std::vector<std::string> tileConfigs;
  std::string tuningDb;
  /// "model" (the cost model picks) or "measure" (the cost model's top-k of
  /// every group is timed on the GPU first; needs tuningDb and makeTimer).
  std::string tuneMode = "model";
  int64_t tuneTopK = 5, tuneRuns = 20;
  /// Makes the GPU timer of measured mode; fails (with the reason) where
  /// there is no GPU.
  std::function<FailureOr<std::unique_ptr<BundleTimer>>(std::string &)>
      makeTimer;
  /// The CUDA toolkit whose libdevice the kernels link (gpu and ptx).
  std::string cudaPath = "/usr/local/cuda";
  /// Model name written into the report.
  std::string modelName;
  bool wantReport = false;
  bool wantDot = false;
  /// Keep the module text after every stage reached (`snapshots`).
  bool keepSnapshots = false;
  /// Applied to every pass manager (e.g. the tools' pass-manager CL
  /// options); may fail.
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

struct CompileResult {
  int64_t opsBefore = 0, opsAfterRewrite = 0;
  std::optional<llvm::json::Object> report;
  std::string dot;
  std::map<CompileStage, std::string> snapshots;
  /// The chip the kernels were generated for (gpu and ptx).
  std::string chip;
  /// The deployable bundle (ptx).
  std::optional<CompiledBundle> bundle;
  /// What measured mode did.
  std::optional<MeasureStats> measure;
};

/// The chip (sm_XY[a]) kernels for `target` are generated for.
std::string chipForTarget(llvm::StringRef target);

/// Checks the option values (target, precision, stage combinations); the
/// message says which flag is wrong.
LogicalResult verifyCompileOptions(const CompileOptions &options,
                                   std::string &error);

/// Runs the stages on `module` in place. Diagnostics go to the context's
/// handler; `error` names the stage that failed.
FailureOr<CompileResult> compileModule(ModuleOp module,
                                       const CompileOptions &options,
                                       std::string &error);

} // namespace fuse
} // namespace mlir

#endif // FUSE_DRIVER_COMPILE_H
