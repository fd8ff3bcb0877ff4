//===- fuse-run.cpp - Run a model or module on the CPU --------------------===//
//
//   fuse-run MODEL.onnx|MODEL.onnxtxt|FILE.mlir [--input-shape NAME=DIMS]...
//       [--dim PARAM=N]... [--input NAME=FILE.npy|FILE.pb]... [--seed N]
//       [--device=cpu] [--repeat N] --output-dir DIR
//
// Writes DIR/<output name>.npy for every graph output; inputs not given with
// --input get seeded random data, also written as DIR/<input name>.npy.
// Errors: one line `error: ...`, exit status 1, no output files.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Runtime/CpuRunner.h"
#include "Fuse/Target/ONNX/ImportONNX.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"

#include <cstring>
#include <map>
#include <random>

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<model.onnx|module.mlir>"),
                                      cl::init(""));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Bind a graph input's shape: NAME=1x3x224x224"));
static cl::list<std::string>
    dimParams("dim", cl::desc("Bind a named dim parameter: PARAM=VALUE"));
static cl::list<std::string> inputs("input",
                                    cl::desc("Input data: NAME=FILE.npy or NAME=FILE.pb "
                                             "(ONNX TensorProto)"));
static cl::opt<unsigned> seed("seed", cl::desc("Seed for random inputs"),
                              cl::init(0));
static cl::opt<std::string> device("device", cl::desc("cpu (cuda: later)"),
                                   cl::init("cpu"));
static cl::opt<int> repeat("repeat",
                          cl::desc("Run @main this many more times and print "
                                   "the median time of one run"),
                          cl::init(0));
static cl::opt<std::string> outputDir("output-dir",
                                      cl::desc("Directory for the .npy files"),
                                      cl::init(""));

static int fail(const std::string &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

/// Seeded random data for one input: floats in [-1, 1), integers in
/// [0, 10), booleans.
static fuse::NpyArray randomInput(RankedTensorType type, std::mt19937 &rng) {
  fuse::NpyArray array;
  Type element = type.getElementType();
  array.dtype = fuse::npyDtypeFor(element);
  array.shape.assign(type.getShape().begin(), type.getShape().end());
  int64_t n = type.getNumElements();
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int64_t> integer(0, 9);
  for (int64_t i = 0; i < n; ++i) {
    if (element.isF32() || element.isBF16()) {
      float v = real(rng);
      array.data.insert(array.data.end(), reinterpret_cast<char *>(&v),
                        reinterpret_cast<char *>(&v) + 4);
    } else if (element.isF16()) {
      llvm::APFloat v(real(rng));
      bool lost;
      v.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      uint16_t bits = v.bitcastToAPInt().getZExtValue();
      array.data.insert(array.data.end(), reinterpret_cast<char *>(&bits),
                        reinterpret_cast<char *>(&bits) + 2);
    } else if (element.isInteger(1)) {
      array.data.push_back(static_cast<char>(integer(rng) & 1));
    } else {
      int64_t v = integer(rng);
      int width = element.getIntOrFloatBitWidth() / 8;
      array.data.insert(array.data.end(), reinterpret_cast<char *>(&v),
                        reinterpret_cast<char *>(&v) + width);
    }
  }
  return array;
}

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "Fuse CPU runner\n");
  if (inputFile.empty())
    return fail("no model or module given");
  if (outputDir.empty())
    return fail("--output-dir is required");
  if (device != "cpu")
    return fail("--device=" + device +
                " is not available yet (only --device=cpu)");

  DialectRegistry registry;
  registry.insert<fuse::FuseDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  MLIRContext context(registry);
  fuse::FirstErrorPrinter diagnostics(&context);

  fuse::OnnxImportOptions options;
  std::string flagError;
  if (failed(
          fuse::parseImportFlags(inputShapes, dimParams, options, flagError)))
    return fail(flagError);
  FailureOr<OwningOpRef<ModuleOp>> loaded =
      fuse::loadModelOrModule(&context, inputFile, options);
  if (failed(loaded))
    return diagnostics.reported() ? 1 : fail(inputFile + ": cannot load");
  OwningOpRef<ModuleOp> module = std::move(*loaded);

  auto main = module->lookupSymbol<func::FuncOp>("main");
  if (!main)
    return fail(inputFile + ": no func.func @main");
  FunctionType type = main.getFunctionType();
  auto nameOf = [&](bool result, unsigned i) {
    auto attr = result ? main.getResultAttrOfType<StringAttr>(i, "fuse.name")
                       : main.getArgAttrOfType<StringAttr>(i, "fuse.name");
    return attr ? attr.str()
                : (result ? "output_" : "input_") + std::to_string(i);
  };

  std::map<std::string, std::string> given;
  for (const std::string &flag : inputs) {
    auto [name, file] = StringRef(flag).split('=');
    if (name.empty() || file.empty())
      return fail("expected NAME=FILE.npy or NAME=FILE.pb in --input, got '" +
                  flag + "'");
    given[name.str()] = file.str();
  }
  std::string known;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    known += (i ? ", " : "") + nameOf(false, i);
  for (const auto &[name, file] : given) {
    bool found = false;
    for (unsigned i = 0; i < type.getNumInputs(); ++i)
      found |= nameOf(false, i) == name;
    if (!found)
      return fail("--input names '" + name +
                  "', which is not an input (inputs: " + known + ")");
  }

  std::mt19937 rng(seed);
  std::vector<fuse::NpyArray> arrays;
  std::vector<bool> generated;
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    auto argType = dyn_cast<RankedTensorType>(type.getInput(i));
    if (!argType || !argType.hasStaticShape())
      return fail("input '" + nameOf(false, i) +
                  "' is not a statically shaped tensor");
    std::string name = nameOf(false, i);
    std::string dtype = fuse::npyDtypeFor(argType.getElementType());
    if (dtype.empty())
      return fail("input '" + name + "' has an unsupported element type");
    auto it = given.find(name);
    if (it == given.end()) {
      arrays.push_back(randomInput(argType, rng));
      generated.push_back(true);
      continue;
    }
    std::string error;
    FailureOr<fuse::NpyArray> array = failure();
    if (StringRef(it->second).ends_with(".pb")) {
      FailureOr<fuse::OnnxTensorData> tensor =
          fuse::readOnnxTensorFile(it->second, error);
      if (succeeded(tensor)) {
        fuse::NpyArray converted;
        converted.dtype = std::move(tensor->dtype);
        converted.shape = std::move(tensor->shape);
        converted.data = std::move(tensor->data);
        array = std::move(converted);
      }
    } else {
      array = fuse::readNpy(it->second, error);
    }
    if (failed(array))
      return fail(error);
    if (ArrayRef<int64_t>(array->shape) != argType.getShape())
      return fail("input '" + name + "' from " + it->second + " has shape " +
                  shapeString(array->shape) + ", expected " +
                  shapeString(argType.getShape()));
    if (array->dtype != dtype)
      return fail("input '" + name + "' from " + it->second + " has dtype " +
                  array->dtype + ", expected " + dtype);
    arrays.push_back(std::move(*array));
    generated.push_back(false);
  }

  // @main is lowered away by the run; take the output names first.
  std::vector<std::string> outputNames;
  for (unsigned i = 0; i < type.getNumResults(); ++i)
    outputNames.push_back(nameOf(true, i));
  std::vector<std::string> inputNames;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    inputNames.push_back(nameOf(false, i));

  std::string error;
  double medianMs = 0;
  FailureOr<std::vector<fuse::NpyArray>> outputs =
      fuse::runOnCpu(*module, arrays, error, repeat, &medianMs);
  if (failed(outputs))
    return diagnostics.reported() ? 1 : fail(inputFile + ": " + error);
  if (repeat > 0)
    llvm::outs() << "fuse-run median ms: "
                 << llvm::format("%.3f", medianMs) << "\n";

  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
    return fail(outputDir + ": cannot create: " + ec.message());
  auto write = [&](const std::string &name, const fuse::NpyArray &array) {
    llvm::SmallString<256> file(outputDir);
    llvm::sys::path::append(file, name + ".npy");
    return fuse::writeNpy(file, array, error);
  };
  for (unsigned i = 0; i < arrays.size(); ++i)
    if (generated[i] && failed(write(inputNames[i], arrays[i])))
      return fail(error);
  for (unsigned i = 0; i < outputs->size(); ++i)
    if (failed(write(outputNames[i], (*outputs)[i])))
      return fail(error);
  return 0;
}
