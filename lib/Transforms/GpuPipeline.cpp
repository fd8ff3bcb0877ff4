//===- GpuPipeline.cpp - Fuse GPU lowering pipeline -----------------------===//
//
// `--fuse-gpu-pipeline`: from a tiled module (each fuse.group holds linalg on
// tensors with one scf.forall mapped to #gpu.block<...>, see Tile.cpp) to a
// gpu.binary holding PTX for the chosen chip. This is the first step of the
// GPU code generation: tiles become blocks, the loops of each tile become
// threads (one scf.parallel level) and the kernel goes through NVVM; there is
// no shared-memory promotion, vectorization or tensor-core path yet, and the
// host side is left on memrefs with gpu.launch_func.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Transforms/Pipelines.h"

#include "Fuse/Conversion/Passes.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "Fuse/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"

using namespace mlir;
using namespace mlir::fuse;

namespace {

/// The one gpu.module every kernel is outlined into.
constexpr const char *kKernelModuleName = "fuse_kernels";


/// The precondition of the GPU pipeline, as its first pass (internal to the
/// pipeline, not registered on its own): the module has at least one
/// fuse.group and every group is tiled, i.e. its body holds an scf.forall
/// mapped to GPU blocks. A group that only carries the #fuse.tile choice
/// (`--fuse-tile=materialize=false`) or no choice at all is an error naming
/// the group, not a silent CPU-style lowering. It also checks the chip.
struct CheckTiledGroupsPass
    : PassWrapper<CheckTiledGroupsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CheckTiledGroupsPass)

  CheckTiledGroupsPass(std::string chip, std::string cudaPath)
      : chip(std::move(chip)), cudaPath(std::move(cudaPath)) {}

  /// The chip goes into a textual pass option: only sm_<digits>[a].
  static bool isValidChip(StringRef chip) {
    StringRef digits = chip;
    if (!digits.consume_front("sm_"))
      return false;
    digits.consume_back("a");
    return !digits.empty() && llvm::all_of(digits, llvm::isDigit);
  }

  StringRef getArgument() const final { return "fuse-gpu-check-tiled"; }
  StringRef getDescription() const final {
    return "Check that every fuse.group is tiled for the GPU";
  }

  static bool isBlockMapped(scf::ForallOp forall) {
    std::optional<ArrayAttr> mapping = forall.getMapping();
    if (!mapping || mapping->empty())
      return false;
    return llvm::all_of(*mapping, [](Attribute attr) {
      return isa<gpu::GPUBlockMappingAttr>(attr);
    });
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!isValidChip(chip)) {
      module.emitError("fuse-gpu-pipeline: invalid chip '")
          << chip << "' (expected sm_<digits>, e.g. sm_80, sm_90, sm_90a)";
      return signalPassFailure();
    }
    // The path goes into a textual pass option too.
    if (cudaPath.empty() ||
        StringRef(cudaPath).find_first_of("{}, \t\"'=") != StringRef::npos) {
      module.emitError("fuse-gpu-pipeline: invalid cuda-path '")
          << cudaPath << "' (empty, or with one of {}, '\"= or a space)";
      return signalPassFailure();
    }
    // Without libdevice, math functions stay unresolved externs in the PTX.
    if (!llvm::sys::fs::exists(cudaPath + "/nvvm/libdevice/libdevice.10.bc")) {
      module.emitError("fuse-gpu-pipeline: no libdevice in the CUDA toolkit '")
          << cudaPath << "' (expected " << cudaPath
          << "/nvvm/libdevice/libdevice.10.bc); set cuda-path";
      return signalPassFailure();
    }
    bool anyGroup = false;
    WalkResult result = module.walk([&](GroupOp group) {
      anyGroup = true;
      bool tiled = false;
      group.getBody().walk([&](scf::ForallOp forall) {
        if (isBlockMapped(forall))
          tiled = true;
      });
      // A flash_attention group keeps its fuse.attention, alone (Tile.cpp);
      // fuse-gpu-attention emits its kernel.
      Block &body = group.getBody().front();
      auto tile = group->getAttrOfType<TileAttr>("fuse.tile");
      if (tile && tile.getImplementation() == "flash_attention" &&
          llvm::hasSingleElement(body.without_terminator()) &&
          isa<AttentionOp>(body.front()))
        tiled = true;
      if (tiled)
        return WalkResult::advance();
      InFlightDiagnostic diag = group.emitOpError(
          "is not tiled for the GPU (no scf.forall mapped to #gpu.block in "
          "its body)");
      if (group->hasAttr("fuse.tile"))
        diag << "; its fuse.tile choice is not materialized";
      diag << "; run --fuse-tile before --fuse-gpu-pipeline";
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    if (!anyGroup) {
      // Reported at the first function, where a reader looks for the groups.
      Operation *at = module;
      auto funcs = module.getOps<func::FuncOp>();
      if (!funcs.empty())
        at = *funcs.begin();
      at->emitError("fuse-gpu-pipeline: the module has no fuse.group to "
                    "lower; run --fuse-form-groups --fuse-tile first");
      return signalPassFailure();
    }
  }

  std::string chip;
  std::string cudaPath;
};

/// scf-forall-to-parallel keeps the forall's `mapping` (#gpu.block<...>) on
/// the scf.parallel it creates, which gpu-map-parallel-loops then leaves
/// alone and convert-parallel-loops-to-gpu rejects ("expected mapping
/// attribute"): it expects #gpu.loop_dim_map. This drops the block mapping
/// so that gpu-map-parallel-loops maps the tile loop (outermost) to blocks
/// and the loops nested in it to threads.
struct DropForallMappingPass
    : PassWrapper<DropForallMappingPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(DropForallMappingPass)

  StringRef getArgument() const final { return "fuse-gpu-drop-forall-mapping"; }

  void runOnOperation() override {
    getOperation().walk([](scf::ParallelOp loop) {
      auto mapping = loop->getAttrOfType<ArrayAttr>("mapping");
      if (mapping && llvm::all_of(mapping, [](Attribute attr) {
            return isa<gpu::GPUBlockMappingAttr>(attr);
          }))
        loop->removeAttr("mapping");
    });
  }
};

/// After convert-parallel-loops-to-gpu: every tile loop must have become a
/// gpu.launch (that pass leaves loop nests it cannot map, e.g. several loop
/// nests with a per-tile buffer between them, as they are, which would
/// otherwise give a module without kernels), and the buffers a kernel
/// allocates for itself (the scalar accumulators of a row reduction) become
/// per-thread allocas, which is what they are once every thread runs the
/// tile body. Larger per-tile buffers (shared memory) are not supported yet.
struct CheckKernelsPass
    : PassWrapper<CheckKernelsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CheckKernelsPass)

  StringRef getArgument() const final { return "fuse-gpu-check-kernels"; }

  /// The largest buffer, in bytes, a thread keeps for itself.
  static constexpr int64_t kMaxPrivateBytes = 64;

  void runOnOperation() override {
    WalkResult result = getOperation().walk([](scf::ParallelOp loop) {
      loop.emitError("fuse-gpu-pipeline: this tile loop could not be mapped "
                     "to a GPU kernel (convert-parallel-loops-to-gpu left it; "
                     "only tiles whose body is one loop nest, e.g. "
                     "elementwise groups, are supported yet)");
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    SmallVector<memref::AllocOp> allocs;
    getOperation().walk([&](gpu::LaunchOp launch) {
      launch.getBody().walk(
          [&](memref::AllocOp alloc) { allocs.push_back(alloc); });
    });
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !type.getElementType().isIntOrFloat() ||
          type.getNumElements() * type.getElementTypeBitWidth() / 8 >
              kMaxPrivateBytes) {
        alloc.emitError("fuse-gpu-pipeline: a per-tile buffer of type ")
            << type << " inside a kernel is not supported yet (at most "
            << kMaxPrivateBytes << " bytes per thread; no shared memory yet)";
        return signalPassFailure();
      }
      OpBuilder builder(alloc);
      auto alloca = memref::AllocaOp::create(builder, alloc.getLoc(), type,
                                             alloc.getAlignmentAttr());
      alloc.replaceAllUsesWith(alloca.getResult());
      alloc.erase();
    }
  }
};

/// Before outlining: every gpu.launch is outlined into the one gpu.module
/// `@fuse_kernels` (so the PTX is one module) as a kernel named after its
/// group (`fuse.kernel`, set by fuse-to-linalg and kept by the kernel
/// emitters and the thread mapping), `group_<N>_<k>` for a group's k-th
/// further launch and `kernel_<i>` for a launch that carries no group name.
struct NameKernelsPass
    : PassWrapper<NameKernelsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(NameKernelsPass)

  StringRef getArgument() const final { return "fuse-gpu-name-kernels"; }

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    llvm::StringMap<int64_t> uses;
    int64_t unnamed = 0;
    auto module = FlatSymbolRefAttr::get(context, kKernelModuleName);
    getOperation().walk([&](gpu::LaunchOp launch) {
      std::string name;
      if (auto group = launch->getAttrOfType<StringAttr>("fuse.kernel"))
        name = group.str();
      else
        name = "kernel_" + std::to_string(unnamed++);
      int64_t seen = uses[name]++;
      if (seen)
        name += "_" + std::to_string(seen);
      launch.setModuleAttr(module);
      launch.setFunctionAttr(FlatSymbolRefAttr::get(context, name));
    });
  }
};

} // namespace

/// The passes after the check, textually. `%CHIP%` is replaced by the chip,
/// `%TOOLKIT%` by the CUDA toolkit path (libdevice is linked from it, so the
/// output does not depend on CUDA_HOME in the environment).
///  - fuse-to-linalg inlines the groups; canonicalize/cse drop the untiled
///    copies of the group ops that only fed the forall.
///  - elementwise fusion merges the per-tile chain into one linalg.generic;
///    eliminate-empty-tensors then lets it write into the forall's output
///    slice instead of a per-tile temporary.
///  - kernel emitters (step 4): fuse-gpu-gemm turns the tile loops tuned
///    as mma_sync into tensor-core gpu.launch kernels (nvgpu ops, lowered by
///    convert-nvgpu-to-nvvm; convert-vector-to-llvm after convert-gpu-to-nvvm
///    lowers the 2-d fragment vectors);
///  - scf-forall-to-parallel + convert-linalg-to-parallel-loops give one
///    scf.parallel for the tile (blocks) around scf.parallel loops for its
///    elements (threads), which gpu-map-parallel-loops maps and
///    convert-parallel-loops-to-gpu turns into gpu.launch.
///  - constants and index computations are sunk into the launches (so they
///    are not kernel parameters), the kernels are outlined, lowered to NVVM
///    and serialized to PTX.
static constexpr const char *kGpuPipeline =
    "fuse-gpu-attention,"
    "fuse-to-linalg,"
    "canonicalize,cse,"
    "func.func(linalg-fuse-elementwise-ops),"
    "canonicalize,cse,"
    "eliminate-empty-tensors,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "canonicalize,cse,canonicalize,"
    "func.func(fuse-gpu-gemm),"
    "func.func(scf-forall-to-parallel),"
    "func.func(convert-linalg-to-parallel-loops),"
    "canonicalize";
static constexpr const char *kGpuPipelineKernels =
    "func.func(gpu-map-parallel-loops),"
    "func.func(convert-parallel-loops-to-gpu)";
static constexpr const char *kGpuPipelineSink =
    "canonicalize,cse,"
    "func.func(gpu-launch-sink-index-computations)";
static constexpr const char *kGpuPipelineOutline = "gpu-kernel-outlining";
static constexpr const char *kGpuPipelineSerialize =
    "nvvm-attach-target{chip=%CHIP%},"
    "gpu.module(expand-strided-metadata,lower-affine,convert-scf-to-cf,"
    "convert-nvgpu-to-nvvm,convert-gpu-to-nvvm,convert-vector-to-llvm,"
    "canonicalize,cse,reconcile-unrealized-casts),"
    "gpu-module-to-binary{format=isa toolkit=%TOOLKIT%}";

LogicalResult mlir::fuse::buildFuseGpuPipeline(OpPassManager &pm,
                                               StringRef chip,
                                               StringRef cudaPath,
                                               GpuPipelineStage stage) {
  static bool registered = [] {
    registerAllPasses();
    registerFusePasses();
    registerFuseConversionPasses();
    return true;
  }();
  (void)registered;
  pm.addPass(
      std::make_unique<CheckTiledGroupsPass>(chip.str(), cudaPath.str()));
  if (failed(parsePassPipeline(kGpuPipeline, pm)))
    return failure();
  pm.addNestedPass<func::FuncOp>(std::make_unique<DropForallMappingPass>());
  if (failed(parsePassPipeline(kGpuPipelineKernels, pm)))
    return failure();
  pm.addNestedPass<func::FuncOp>(std::make_unique<CheckKernelsPass>());
  if (failed(parsePassPipeline(kGpuPipelineSink, pm)))
    return failure();
  pm.addPass(std::make_unique<NameKernelsPass>());
  if (failed(parsePassPipeline(kGpuPipelineOutline, pm)))
    return failure();
  if (stage == GpuPipelineStage::Kernels)
    return success();
  std::string text = kGpuPipelineSerialize;
  size_t pos = text.find("%CHIP%");
  text.replace(pos, 6, chip.str());
  pos = text.find("%TOOLKIT%");
  text.replace(pos, 9, cudaPath.str());
  return parsePassPipeline(text, pm);
}

namespace {
struct GpuPipelineOptions : PassPipelineOptions<GpuPipelineOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("The NVIDIA chip to generate PTX "
                                          "for (sm_80, sm_90, sm_90a)"),
                           llvm::cl::init("sm_90")};
  Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("The CUDA toolkit whose libdevice is linked into the "
                     "kernels (math functions)"),
      llvm::cl::init("/usr/local/cuda")};
};
} // namespace

void mlir::fuse::registerFuseGpuPipeline() {
  PassPipelineRegistration<GpuPipelineOptions>(
      "fuse-gpu-pipeline",
      "Lower a tiled fuse module (--fuse-tile) to GPU kernels serialized to "
      "PTX (gpu.binary) for the chosen chip",
      [](OpPassManager &pm, const GpuPipelineOptions &options) {
        (void)buildFuseGpuPipeline(pm, options.chip, options.cudaPath);
      });
}

void mlir::fuse::registerFuseGpuPipelineDialects(DialectRegistry &registry) {
  registerAllToLLVMIRTranslations(registry);
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
}
