//===- GpuPipeline.cpp - Fuse GPU lowering pipeline -----------------------===//
//
// `--fuse-gpu-pipeline`: from a tiled module (each fuse.group holds linalg on
// tensors with one scf.forall mapped to #gpu.block<...>, see Tile.cpp) to a
// gpu.binary holding PTX for the chosen chip. Tiles become blocks; each op
// of a tile becomes a loop over the block's threads (fuse-gpu-map-tiles,
// the generic path), per-tile buffers live in shared memory, and the kernel
// goes through NVVM; the host side is left on memrefs with gpu.launch_func.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Transforms/Pipelines.h"

#include "Fuse/Conversion/FuseToGPU.h"
#include "Fuse/Conversion/Passes.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "Fuse/Transforms/FusionReport.h"
#include "Fuse/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Utils/GPUUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"

using namespace mlir;
using namespace mlir::fuse;

namespace {

/// The one gpu.module every kernel is outlined into.
constexpr const char *kKernelModuleName = "fuse_kernels";
/// A gpu.launch's attributes for its outlined kernel function.
constexpr const char *kKernelAttrsName = "fuse.kernel_attrs";
/// Marks the functions convert-math-to-funcs outlined for the kernels.
constexpr const char *kOutlinedMathName = "fuse.outlined_math";
/// The alignment (bytes) of every workgroup buffer: that of a 128-bit
/// vector access.
constexpr int64_t kSharedAlignment = 16;


/// The precondition of the GPU pipeline, as its first pass (internal to the
/// pipeline, not registered on its own): the module has at least one
/// fuse.group and every group is tiled, i.e. its body holds an scf.forall
/// mapped to GPU blocks (or is a pure view, which needs no kernel). A group that only carries the #fuse.tile choice
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
      // A flash_attention group keeps its fuse.attention, with the views
      // its addressing folds in (Tile.cpp); fuse-gpu-attention emits its
      // kernel.
      Block &body = group.getBody().front();
      auto tile = group->getAttrOfType<TileAttr>("fuse.tile");
      AttentionAddressing plan;
      if (tile && tile.getImplementation() == "flash_attention" &&
          attentionKernelOf(body, plan))
        tiled = true;
      // A group that is only a view (reshapes of its inputs) needs no
      // kernel.
      bool view = llvm::all_of(group.getBody().front(), [](Operation &op) {
        return isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
                   tensor::ExtractSliceOp, tensor::EmptyOp, arith::ConstantOp,
                   YieldOp>(op);
      });
      if (tiled || view)
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
    // Every fuse op but the constants (weights) is in a group by now
    // (fuse-form-groups groups them all); one outside any is a module that
    // was not grouped. A module with nothing to compute (it returns its
    // arguments or constants) has no group and gets no kernel.
    Operation *ungrouped = nullptr;
    module.walk([&](Operation *op) {
      if (isa<FuseDialect>(op->getDialect()) && !isa<GroupOp>(op) &&
          !op->hasTrait<OpTrait::ConstantLike>() &&
          !op->getParentOfType<GroupOp>()) {
        ungrouped = op;
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (ungrouped) {
      ungrouped->emitError("fuse-gpu-pipeline: '")
          << ungrouped->getName() << "' is not in a fuse.group"
          << (anyGroup ? "" : " (the module has none)")
          << "; run --fuse-form-groups --fuse-tile first";
      return signalPassFailure();
    }
  }

  std::string chip;
  std::string cudaPath;
};

/// After the kernel emitters and fuse-gpu-map-tiles: nothing is left for
/// the host to compute (every tile loop and linalg op is a gpu.launch) and no
/// kernel allocates memory of its own (per-tile buffers are shared memory or
/// host buffers by then).
struct CheckKernelsPass
    : PassWrapper<CheckKernelsPass, OperationPass<func::FuncOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(CheckKernelsPass)

  StringRef getArgument() const final { return "fuse-gpu-check-kernels"; }

  void runOnOperation() override {
    WalkResult result = getOperation().walk([](Operation *op) {
      if (isa<scf::ForallOp, scf::ParallelOp>(op) &&
          !op->getParentOfType<gpu::LaunchOp>()) {
        op->emitError("fuse-gpu-pipeline: this loop was not mapped to a GPU "
                      "kernel");
        return WalkResult::interrupt();
      }
      if (isa<linalg::LinalgOp>(op)) {
        op->emitError("fuse-gpu-pipeline: this op was not lowered to a GPU "
                      "kernel");
        return WalkResult::interrupt();
      }
      if (isa<memref::AllocOp>(op) && op->getParentOfType<gpu::LaunchOp>()) {
        op->emitError("fuse-gpu-pipeline: a kernel allocates memory of its "
                      "own");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
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

  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<cf::ControlFlowDialect, func::FuncDialect>();
  }

  /// Integer pow (math.ipowi) has no NVVM lowering: convert-math-to-funcs
  /// outlines its software implementation, which gpu-kernel-outlining then
  /// clones into the kernels' module (only for modules that have one).
  LogicalResult outlineIntegerPow() {
    bool any = false;
    getOperation().walk([&](math::IPowIOp) {
      any = true;
      return WalkResult::interrupt();
    });
    if (!any)
      return success();
    ModuleOp module = getOperation();
    llvm::SmallPtrSet<Operation *, 4> before;
    for (auto func : module.getOps<func::FuncOp>())
      before.insert(func);
    OpPassManager pm(ModuleOp::getOperationName());
    if (failed(parsePassPipeline("convert-math-to-funcs", pm)) ||
        failed(runPipeline(pm, module)))
      return module.emitError("fuse-gpu-pipeline: outlining integer pow "
                              "(convert-math-to-funcs) failed");
    // Marked for KernelAttrsPass, which drops the host's copies once the
    // kernels have theirs.
    for (auto func : module.getOps<func::FuncOp>())
      if (!before.contains(func))
        func->setAttr(kOutlinedMathName, UnitAttr::get(&getContext()));
    return success();
  }

  /// A TMA tensor map (nvgpu.tma.create.descriptor on the host) reaches
  /// the kernel as a generic pointer to the 128-byte CUtensorMap in device
  /// memory (what convert-nvgpu-to-nvvm lowers the descriptor type to;
  /// convert-gpu-to-nvvm cannot convert a kernel signature holding the
  /// nvgpu type): the host casts it, the launch casts it back for its TMA
  /// ops. (After canonicalization, which would fold the pair.)
  static void passTensorMapsAsPointers(gpu::LaunchOp launch) {
    Region &body = launch.getBody();
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(body, captured);
    auto ptrType = LLVM::LLVMPointerType::get(launch.getContext());
    for (Value value : captured) {
      if (!isa<nvgpu::TensorMapDescriptorType>(value.getType()))
        continue;
      OpBuilder b(launch);
      Value ptr =
          UnrealizedConversionCastOp::create(b, launch.getLoc(), ptrType, value)
              .getResult(0);
      b.setInsertionPointToStart(&body.front());
      Value inside = UnrealizedConversionCastOp::create(b, launch.getLoc(),
                                                        value.getType(), ptr)
                         .getResult(0);
      replaceAllUsesInRegionWith(value, inside, body);
    }
  }

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    llvm::StringMap<int64_t> uses;
    SmallVector<NamedAttribute> kernelAttrs, kernels;
    int64_t unnamed = 0;
    auto module = FlatSymbolRefAttr::get(context, kKernelModuleName);
    getOperation().walk([&](gpu::LaunchOp launch) {
      // LLVM constants a kernel uses (the wgmma accumulators' initial
      // llvm.mlir.undef struct, which canonicalize hoists to the function)
      // go back into the launch: gpu-launch-sink-index-computations sinks
      // arith/memref values only, and the host runs no LLVM ops.
      (void)sinkOperationsIntoLaunchOp(launch, [](Operation *op) {
        return isa<LLVM::UndefOp, LLVM::PoisonOp, LLVM::ZeroOp>(op);
      });
      passTensorMapsAsPointers(launch);
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
      // What the kernel implements, for the fusion report (outlining drops
      // the launch's attributes).
      SmallVector<NamedAttribute> info;
      for (StringRef key : {"fuse.kernel_impl", "fuse.generic_reason"})
        if (Attribute value = launch->getAttr(key)) {
          info.push_back(NamedAttribute(
              StringAttr::get(context, key.drop_front(strlen("fuse."))),
              value));
          launch->removeAttr(key);
        }
      kernels.push_back(NamedAttribute(StringAttr::get(context, name),
                                       DictionaryAttr::get(context, info)));
      // Attributes the kernel function is to get (fuse.kernel_attrs, e.g.
      // nvvm.minctasm): outlining drops the launch's attributes, so they
      // wait on the module, by kernel name, for fuse-gpu-kernel-attrs.
      if (auto attrs =
              launch->getAttrOfType<DictionaryAttr>(kKernelAttrsName)) {
        kernelAttrs.push_back(NamedAttribute(
            StringAttr::get(context, name), attrs));
        launch->removeAttr(kKernelAttrsName);
      }
    });
    if (failed(outlineIntegerPow()))
      return signalPassFailure();
    if (!kernelAttrs.empty())
      getOperation()->setAttr(kKernelAttrsName,
                              DictionaryAttr::get(context, kernelAttrs));
    getOperation()->setAttr(kGpuKernelsAttrName,
                            DictionaryAttr::get(context, kernels));
    // The host copies of the sunk constants are dead now.
    getOperation().walk([](Operation *op) {
      if (isa<LLVM::UndefOp, LLVM::PoisonOp, LLVM::ZeroOp>(op) &&
          op->use_empty() && !op->getParentOfType<gpu::LaunchOp>())
        op->erase();
    });
  }
};

/// After outlining:
///  - the host's copies of the functions NameKernelsPass outlined
///    (integer pow, cloned into the kernels) go;
///  - a module without kernels gets an empty @fuse_kernels (its PTX is a
///    module with no entry, so every bundle has one PTX module);
///  - the attributes NameKernelsPass recorded on the module
///    (fuse.kernel_attrs, kernel name -> attributes) go onto the kernels of
///    @fuse_kernels, where convert-gpu-to-nvvm keeps them (nvvm.minctasm
///    becomes .minnctapersm in the PTX);
///  - every workgroup attribution (the generic path's shared byte buffer,
///    which it reads and writes with 128-bit vector accesses) is declared
///    16-byte aligned (llvm.align): an i8 buffer would otherwise be a
///    `.shared .align 1` array.
struct KernelAttrsPass
    : PassWrapper<KernelAttrsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(KernelAttrsPass)

  StringRef getArgument() const final { return "fuse-gpu-kernel-attrs"; }

  void runOnOperation() override {
    ModuleOp moduleOp = getOperation();
    // The software implementations NameKernelsPass outlined (integer pow)
    // were cloned into the kernels' module; the host's copies are unused.
    for (auto func :
         llvm::make_early_inc_range(moduleOp.getOps<func::FuncOp>()))
      if (func->hasAttr(kOutlinedMathName) &&
          SymbolTable::symbolKnownUseEmpty(func, moduleOp))
        func.erase();
    auto kernels = moduleOp.lookupSymbol<gpu::GPUModuleOp>(kKernelModuleName);
    if (!kernels) {
      // No kernel (a model that only returns its inputs, views of them or
      // constants): the PTX is still one module, with no entry.
      OpBuilder b(moduleOp.getBodyRegion());
      b.setInsertionPointToEnd(moduleOp.getBody());
      kernels =
          gpu::GPUModuleOp::create(b, moduleOp.getLoc(), kKernelModuleName);
      moduleOp->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                        UnitAttr::get(&getContext()));
    }
    {
      auto align = StringAttr::get(&getContext(),
                                   LLVM::LLVMDialect::getAlignAttrName());
      kernels.walk([&](gpu::GPUFuncOp func) {
        for (unsigned i = 0, e = func.getNumWorkgroupAttributions(); i < e;
             ++i) {
          auto current = dyn_cast_or_null<IntegerAttr>(
              func.getWorkgroupAttributionAttr(i, align));
          if (!current || current.getInt() < kSharedAlignment)
            func.setWorkgroupAttributionAttr(
                i, align,
                IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                 kSharedAlignment));
        }
      });
    }
    auto attrs = moduleOp->getAttrOfType<DictionaryAttr>(kKernelAttrsName);
    if (!attrs)
      return;
    moduleOp->removeAttr(kKernelAttrsName);
    for (NamedAttribute entry : attrs) {
      auto func = kernels ? kernels.lookupSymbol<gpu::GPUFuncOp>(
                                entry.getName().getValue())
                          : gpu::GPUFuncOp();
      if (!func) {
        moduleOp.emitError("fuse-gpu-kernel-attrs: no kernel ")
            << entry.getName() << " in @" << kKernelModuleName;
        return signalPassFailure();
      }
      for (NamedAttribute attr : cast<DictionaryAttr>(entry.getValue()))
        func->setAttr(attr.getName(), attr.getValue());
    }
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
///    as mma_sync (or wgmma, at sm_90a) into tensor-core gpu.launch kernels
///    (nvgpu ops, lowered by convert-nvgpu-to-nvvm; convert-vector-to-llvm
///    after convert-gpu-to-nvvm lowers the 2-d fragment vectors);
///    fuse-gpu-simt-gemm those tuned as fma_gemm into register-blocked fp32 FMA
///    kernels; fuse-gpu-depthwise those tuned as depthwise into direct
///    depthwise-conv kernels;
///  - fuse-gpu-map-tiles turns each tile loop into one gpu.launch (the
///    tiles are the blocks, the ops of a tile loops over its threads).
///  - constants and index computations are sunk into the launches (so they
///    are not kernel parameters), the kernels are outlined, lowered to NVVM
///    and serialized to PTX.
static constexpr const char *kGpuPipeline =
    "fuse-gpu-attention,"
    "fuse-to-linalg{wide-accumulation=false},"
    "canonicalize,cse,"
    "func.func(fuse-elementwise-fusion),"
    "canonicalize,cse,"
    "eliminate-empty-tensors,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "canonicalize,cse,canonicalize,"
    "func.func(fuse-gpu-gemm{chip=%CHIP%}),"
    "func.func(fuse-gpu-simt-gemm),"
    "func.func(fuse-gpu-depthwise),"
    "func.func(fuse-gpu-map-tiles)";
static constexpr const char *kGpuPipelineSink =
    "canonicalize,cse,"
    "func.func(gpu-launch-sink-index-computations)";
static constexpr const char *kGpuPipelineOutline = "gpu-kernel-outlining";
static constexpr const char *kGpuPipelineSerialize =
    "nvvm-attach-target{chip=%CHIP%},"
    "gpu.module(expand-strided-metadata,lower-affine,convert-scf-to-cf,"
    "convert-nvgpu-to-nvvm,convert-gpu-to-nvvm,convert-nvvm-to-llvm,"
    "convert-vector-to-llvm,"
    "canonicalize,cse,reconcile-unrealized-casts),"
    "gpu-module-to-binary{format=isa toolkit=%TOOLKIT%}";

LogicalResult mlir::fuse::buildFuseGpuPipeline(OpPassManager &pm,
                                               StringRef chip,
                                               StringRef cudaPath,
                                               GpuPipelineStage stage) {
  registerPassesForTextualPipelines();
  pm.addPass(
      std::make_unique<CheckTiledGroupsPass>(chip.str(), cudaPath.str()));
  std::string kernels = kGpuPipeline;
  kernels.replace(kernels.find("%CHIP%"), 6, chip.str());
  if (failed(parsePassPipeline(kernels, pm)))
    return failure();
  pm.addNestedPass<func::FuncOp>(std::make_unique<CheckKernelsPass>());
  if (failed(parsePassPipeline(kGpuPipelineSink, pm)))
    return failure();
  pm.addPass(std::make_unique<NameKernelsPass>());
  if (failed(parsePassPipeline(kGpuPipelineOutline, pm)))
    return failure();
  pm.addPass(std::make_unique<KernelAttrsPass>());
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
