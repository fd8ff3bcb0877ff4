//===- CpuRunner.cpp - Run a fuse module on the host CPU ------------------===//
//
// Wraps @main in an entry function that takes one memref per input and per
// output (identity layouts), lowers everything with the CPU pipeline, JITs
// it with MLIR's ExecutionEngine and calls the entry through its C
// interface with hand-built memref descriptors.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Runtime/CpuRunner.h"
#include "Fuse/Transforms/Pipelines.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace mlir;
using namespace mlir::fuse;

#ifndef FUSE_MLIR_RUNNER_UTILS
#define FUSE_MLIR_RUNNER_UTILS "/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so"
#endif

std::string mlir::fuse::npyDtypeFor(Type type) {
  if (type.isF32() || type.isBF16())
    return "<f4";
  if (type.isF16())
    return "<f2";
  if (type.isInteger(64))
    return "<i8";
  if (type.isInteger(32))
    return "<i4";
  if (type.isInteger(1))
    return "|b1";
  return "";
}

namespace {
/// One memref argument: its buffer and its descriptor
/// {allocated, aligned, offset, sizes[rank], strides[rank]}.
struct MemRefArg {
  std::vector<char> buffer;
  std::vector<int64_t> descriptor;
  void *descriptorPtr = nullptr;

  MemRefArg(ArrayRef<int64_t> shape, size_t bytes) : buffer(std::max<size_t>(bytes, 1)) {
    size_t rank = shape.size();
    descriptor.assign(3 + 2 * rank, 0);
    char *data = buffer.data();
    std::memcpy(&descriptor[0], &data, sizeof(void *));
    std::memcpy(&descriptor[1], &data, sizeof(void *));
    int64_t stride = 1;
    for (size_t i = rank; i-- > 0;) {
      descriptor[3 + i] = shape[i];
      descriptor[3 + rank + i] = stride;
      stride *= shape[i];
    }
    descriptorPtr = descriptor.data();
  }
};

uint16_t floatToBF16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  if ((bits & 0x7fffffff) > 0x7f800000)
    return 0x7fc0; // NaN
  bits += 0x7fff + ((bits >> 16) & 1); // round to nearest even
  return static_cast<uint16_t>(bits >> 16);
}

float bf16ToFloat(uint16_t value) {
  uint32_t bits = static_cast<uint32_t>(value) << 16;
  float result;
  std::memcpy(&result, &bits, 4);
  return result;
}

int64_t storageBytes(Type element) {
  return element.isInteger(1) ? 1 : element.getIntOrFloatBitWidth() / 8;
}
} // namespace

FailureOr<std::vector<NpyArray>>
mlir::fuse::runOnCpu(ModuleOp module, ArrayRef<NpyArray> inputs,
                     std::string &error, int repeat, double *medianMs) {
  MLIRContext *context = module.getContext();
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main) {
    error = "the module has no func.func @main";
    return failure();
  }
  FunctionType type = main.getFunctionType();
  if (inputs.size() != type.getNumInputs()) {
    error = "@main takes " + std::to_string(type.getNumInputs()) +
            " inputs, got " + std::to_string(inputs.size());
    return failure();
  }
  SmallVector<RankedTensorType> argTypes, resultTypes;
  for (Type t : type.getInputs())
    argTypes.push_back(dyn_cast<RankedTensorType>(t));
  for (Type t : type.getResults())
    resultTypes.push_back(dyn_cast<RankedTensorType>(t));
  for (RankedTensorType t : llvm::concat<RankedTensorType>(argTypes,
                                                          resultTypes))
    if (!t || !t.hasStaticShape() || npyDtypeFor(t.getElementType()).empty()) {
      error = "@main must take and return statically shaped tensors of f32, "
              "f16, bf16, i64, i32 or i1";
      return failure();
    }

  // The entry: memrefs in, memrefs out.
  context->loadDialect<bufferization::BufferizationDialect,
                       memref::MemRefDialect>();
  OpBuilder b(context);
  b.setInsertionPointToEnd(module.getBody());
  SmallVector<Type> entryArgs;
  for (RankedTensorType t : llvm::concat<RankedTensorType>(argTypes,
                                                          resultTypes))
    entryArgs.push_back(MemRefType::get(t.getShape(), t.getElementType()));
  Location loc = main.getLoc();
  auto entry = func::FuncOp::create(b, loc, "fuse_run_entry",
                                    b.getFunctionType(entryArgs, {}));
  entry->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *body = entry.addEntryBlock();
  b.setInsertionPointToEnd(body);
  SmallVector<Value> tensors;
  for (auto [i, t] : llvm::enumerate(argTypes))
    tensors.push_back(bufferization::ToTensorOp::create(
        b, loc, t, body->getArgument(i), /*restrict=*/true,
        /*writable=*/false));
  auto call = func::CallOp::create(b, loc, main, tensors);
  for (auto [i, result] : llvm::enumerate(call.getResults()))
    bufferization::MaterializeInDestinationOp::create(
        b, loc, TypeRange{}, result, body->getArgument(argTypes.size() + i),
        /*restrict=*/true, /*writable=*/true);
  func::ReturnOp::create(b, loc);

  PassManager pm(context);
  if (failed(buildFuseCpuPipeline(pm))) {
    error = "internal: cannot build the CPU pipeline";
    return failure();
  }
  if (failed(pm.run(module))) {
    error = "lowering for the CPU failed (see the diagnostic above)";
    return failure();
  }

  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  context->appendDialectRegistry(registry);

  // Optimize for the host CPU (its vector width and FMA units): without a
  // target machine LLVM's loop vectorizer sees no vector registers.
  auto hostBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!hostBuilder) {
    error = "cannot detect the host CPU: " +
            llvm::toString(hostBuilder.takeError());
    return failure();
  }
  hostBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto hostMachine = hostBuilder->createTargetMachine();
  if (!hostMachine) {
    error = "cannot create a target machine for the host CPU: " +
            llvm::toString(hostMachine.takeError());
    return failure();
  }
  ExecutionEngineOptions options;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // LLVM's O3 pipeline for the host, without loop unrolling: the loop
  // nests have constant trip counts, and fully unrolling the small outer
  // loops around vectorized inner ones multiplies code size and JIT time
  // (about 3x on the PP-OCRv4 models) for no measurable speed.
  llvm::TargetMachine *tm = hostMachine->get();
  // The loop nests are bound by L1 loads and stores; where the host has
  // AVX-512, full-width vectors halve the instructions (LLVM prefers 256
  // bits on these CPUs by default).
  bool wideVectors = tm->getTargetFeatureString().contains("+avx512f");
  auto transformer = [tm, wideVectors](llvm::Module *m) -> llvm::Error {
    if (wideVectors)
      for (llvm::Function &function : *m)
        if (!function.isDeclaration())
          function.addFnAttr("prefer-vector-width", "512");
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PipelineTuningOptions tuning;
    tuning.LoopUnrolling = false;
    llvm::PassBuilder builder(tm, tuning);
    builder.registerModuleAnalyses(mam);
    builder.registerCGSCCAnalyses(cgam);
    builder.registerFunctionAnalyses(fam);
    builder.registerLoopAnalyses(lam);
    builder.crossRegisterProxies(lam, fam, cgam, mam);
    llvm::ModulePassManager mpm =
        builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
    mpm.run(*m, mam);
    return llvm::Error::success();
  };
  options.transformer = transformer;
  SmallVector<StringRef> libs = {FUSE_MLIR_RUNNER_UTILS};
  options.sharedLibPaths = libs;
  auto engine = ExecutionEngine::create(module, options);
  if (!engine) {
    error = "JIT compilation failed: " + llvm::toString(engine.takeError());
    return failure();
  }

  std::vector<MemRefArg> args;
  args.reserve(argTypes.size() + resultTypes.size());
  for (auto [input, t] : llvm::zip(inputs, argTypes)) {
    Type element = t.getElementType();
    args.emplace_back(t.getShape(), t.getNumElements() * storageBytes(element));
    char *dst = args.back().buffer.data();
    if (element.isBF16()) {
      for (int64_t i = 0; i < t.getNumElements(); ++i) {
        float v;
        std::memcpy(&v, input.data.data() + 4 * i, 4);
        uint16_t h = floatToBF16(v);
        std::memcpy(dst + 2 * i, &h, 2);
      }
    } else {
      std::memcpy(dst, input.data.data(), input.data.size());
    }
  }
  for (RankedTensorType t : resultTypes)
    args.emplace_back(t.getShape(),
                      t.getNumElements() * storageBytes(t.getElementType()));
  SmallVector<void *> packed;
  for (MemRefArg &arg : args)
    packed.push_back(&arg.descriptorPtr);
  if (llvm::Error err =
          (*engine)->invokePacked("_mlir_ciface_fuse_run_entry", packed)) {
    error = "running @main failed: " + llvm::toString(std::move(err));
    return failure();
  }
  std::vector<double> times;
  for (int r = 0; r < repeat; ++r) {
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error err =
            (*engine)->invokePacked("_mlir_ciface_fuse_run_entry", packed)) {
      error = "running @main failed: " + llvm::toString(std::move(err));
      return failure();
    }
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
  }
  if (medianMs && !times.empty()) {
    std::sort(times.begin(), times.end());
    *medianMs = times[times.size() / 2];
  }

  std::vector<NpyArray> outputs;
  for (auto [i, t] : llvm::enumerate(resultTypes)) {
    const MemRefArg &arg = args[argTypes.size() + i];
    NpyArray out;
    Type element = t.getElementType();
    out.dtype = npyDtypeFor(element);
    out.shape.assign(t.getShape().begin(), t.getShape().end());
    int64_t n = t.getNumElements();
    if (element.isBF16()) {
      out.data.resize(4 * n);
      for (int64_t j = 0; j < n; ++j) {
        uint16_t h;
        std::memcpy(&h, arg.buffer.data() + 2 * j, 2);
        float v = bf16ToFloat(h);
        std::memcpy(out.data.data() + 4 * j, &v, 4);
      }
    } else {
      out.data.assign(arg.buffer.begin(),
                      arg.buffer.begin() + n * storageBytes(element));
    }
    outputs.push_back(std::move(out));
  }
  return outputs;
}
