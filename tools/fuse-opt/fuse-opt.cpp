//===- fuse-opt.cpp - Fuse optimizer driver -------------------------------===//
//
// MLIR's opt driver with the fuse dialect, Fuse's passes and the upstream
// dialects and passes later stages need.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Conversion/Passes.h"
#include "Fuse/Transforms/Passes.h"
#include "Fuse/Transforms/Pipelines.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::fuse::registerFusePasses();
  mlir::fuse::registerFuseConversionPasses();
  mlir::fuse::registerFusePipelines();
  mlir::fuse::registerFuseFusionPipelines();
  mlir::fuse::registerFuseGpuPipeline();

  mlir::DialectRegistry registry;
  registry.insert<mlir::fuse::FuseDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::fuse::registerFuseGpuPipelineDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Fuse optimizer driver\n", registry));
}
