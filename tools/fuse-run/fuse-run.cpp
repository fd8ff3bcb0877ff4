//===- fuse-run.cpp - Run a model, module or GPU bundle -------------------===//
//
//   fuse-run MODEL.onnx|MODEL.onnxtxt|FILE.mlir [--input-shape NAME=DIMS]...
//       [--dim PARAM=N]... [--input NAME=FILE.npy|FILE.pb]... [--seed N]
//       [--device=cpu] [--repeat N] --output-dir DIR
//   fuse-run --device=cuda BUNDLE_DIR [--input NAME=FILE.npy|FILE.pb]...
//       [--seed N] [--repeat N | --time N] --output-dir DIR
//   fuse-run --cuda-probe
//
// Writes DIR/<output name>.npy for every graph output; inputs not given with
// --input get seeded random data, also written as DIR/<input name>.npy.
// With --device=cuda the argument is a bundle directory written by
// `fuse-compile MODEL --emit=ptx -o BUNDLE_DIR`, run through the CUDA driver.
// Errors: one line `error: ...`, exit status 1, no output files.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Runtime/Bundle.h"
#include "Fuse/Runtime/CpuRunner.h"
#include "Fuse/Runtime/CudaRuntime.h"
#include "Fuse/Target/ONNX/ImportONNX.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
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
static cl::list<std::string>
    inputs("input", cl::desc("Input data: NAME=FILE.npy or NAME=FILE.pb "
                             "(ONNX TensorProto)"));
static cl::opt<unsigned> seed("seed", cl::desc("Seed for random inputs"),
                              cl::init(0));
static cl::opt<std::string>
    device("device",
           cl::desc("cpu (default), or cuda to run a bundle directory from "
                    "fuse-compile --emit=ptx"),
           cl::init("cpu"));
static cl::opt<int>
    timeRuns("time",
             cl::desc("--device=cuda: run the bundle this many more "
                      "times and print each step's median time"),
             cl::init(0));
static cl::opt<bool>
    cudaProbe("cuda-probe",
              cl::desc("Print the CUDA device that --device=cuda would use "
                       "and exit (exit status 1 when there is none)"),
              cl::init(false));
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
  return fuse::randomNpyArray(fuse::npyDtypeFor(type.getElementType()),
                              type.getShape(), rng);
}

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

/// Parses the --input flags into NAME -> FILE; every NAME must be one of
/// `names`.
static LogicalResult parseGivenInputs(ArrayRef<std::string> names,
                                      std::map<std::string, std::string> &given,
                                      std::string &error) {
  for (const std::string &flag : inputs) {
    auto [name, file] = StringRef(flag).split('=');
    if (name.empty() || file.empty()) {
      error = "expected NAME=FILE.npy or NAME=FILE.pb in --input, got '" +
              flag + "'";
      return failure();
    }
    given[name.str()] = file.str();
  }
  for (const auto &[name, file] : given)
    if (!llvm::is_contained(names, name)) {
      error = "--input names '" + name +
              "', which is not an input (inputs: " + llvm::join(names, ", ") +
              ")";
      return failure();
    }
  return success();
}

/// Reads the --input file (.npy, or ONNX TensorProto .pb) of input `name` and
/// checks its shape and numpy dtype.
static FailureOr<fuse::NpyArray>
readInput(const std::string &name, const std::string &file,
          ArrayRef<int64_t> shape, StringRef dtype, std::string &error) {
  FailureOr<fuse::NpyArray> array = failure();
  if (StringRef(file).ends_with(".pb")) {
    FailureOr<fuse::OnnxTensorData> tensor =
        fuse::readOnnxTensorFile(file, error);
    if (succeeded(tensor)) {
      fuse::NpyArray converted;
      converted.dtype = std::move(tensor->dtype);
      converted.shape = std::move(tensor->shape);
      converted.data = std::move(tensor->data);
      array = std::move(converted);
    }
  } else {
    array = fuse::readNpy(file, error);
  }
  if (failed(array))
    return failure();
  if (ArrayRef<int64_t>(array->shape) != shape) {
    error = "input '" + name + "' from " + file + " has shape " +
            shapeString(array->shape) + ", expected " + shapeString(shape);
    return failure();
  }
  if (array->dtype != dtype) {
    error = "input '" + name + "' from " + file + " has dtype " + array->dtype +
            ", expected " + dtype.str();
    return failure();
  }
  return array;
}

/// Writes OUTDIR/<name>.npy for each entry; on a failure removes the files
/// already written, so an error leaves no output files behind.
static LogicalResult
writeFiles(ArrayRef<std::pair<std::string, const fuse::NpyArray *>> files,
           std::string &error) {
  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir)) {
    error = outputDir + ": cannot create: " + ec.message();
    return failure();
  }
  std::vector<std::string> written;
  for (const auto &[name, array] : files) {
    llvm::SmallString<256> file(outputDir);
    llvm::sys::path::append(file, name + ".npy");
    written.push_back(std::string(file));
    if (failed(fuse::writeNpy(file, *array, error))) {
      for (const std::string &path : written)
        llvm::sys::fs::remove(path);
      return failure();
    }
  }
  return success();
}

/// bf16 travels as f32 in .npy files: round to nearest even on the way in,
/// widen on the way out.
static std::vector<char> f32ToBf16(ArrayRef<char> f32) {
  std::vector<char> out(f32.size() / 2);
  for (size_t i = 0; i < f32.size() / 4; ++i) {
    uint32_t bits;
    std::memcpy(&bits, f32.data() + 4 * i, 4);
    uint16_t half;
    if ((bits & 0x7fffffff) > 0x7f800000) // NaN stays a quiet NaN
      half = static_cast<uint16_t>((bits >> 16) | 0x40);
    else
      half = static_cast<uint16_t>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
    std::memcpy(out.data() + 2 * i, &half, 2);
  }
  return out;
}
static std::vector<char> bf16ToF32(ArrayRef<char> bf16) {
  std::vector<char> out(bf16.size() * 2);
  for (size_t i = 0; i < bf16.size() / 2; ++i) {
    uint16_t half;
    std::memcpy(&half, bf16.data() + 2 * i, 2);
    uint32_t bits = static_cast<uint32_t>(half) << 16;
    std::memcpy(out.data() + 4 * i, &bits, 4);
  }
  return out;
}

static int failWith(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

/// --device=cuda: runs the bundle directory `inputFile`.
static int runBundle() {
  if (!inputShapes.empty() || !dimParams.empty())
    return fail("--input-shape and --dim do not apply to --device=cuda (a "
                "bundle's shapes are fixed by fuse-compile --emit=ptx)");
  if (repeat > 0 && timeRuns > 0)
    return fail("give --repeat or --time, not both");
  if (!llvm::sys::fs::is_directory(inputFile)) {
    if (llvm::sys::fs::exists(inputFile))
      return fail(inputFile +
                  ": --device=cuda runs a bundle directory, not a model or "
                  "module; compile it first with `fuse-compile " +
                  inputFile + " --emit=ptx -o DIR` and run DIR");
    return fail(inputFile + ": no such bundle directory");
  }
  llvm::Expected<fuse::Bundle> bundle = fuse::loadBundle(inputFile);
  if (!bundle)
    return failWith(bundle.takeError());
  if (llvm::Error e = fuse::checkArenaLiveness(*bundle))
    return failWith(std::move(e));

  std::vector<std::string> inputNames;
  for (const fuse::BundleIO &io : bundle->inputs)
    inputNames.push_back(io.name);
  std::map<std::string, std::string> given;
  std::string error;
  if (failed(parseGivenInputs(inputNames, given, error)))
    return fail(error);

  std::mt19937 rng(seed);
  std::vector<fuse::NpyArray> arrays;
  std::vector<bool> generated;
  std::vector<std::vector<char>> deviceBytes;
  for (const fuse::BundleIO &io : bundle->inputs) {
    const fuse::BundleBuffer *buffer = bundle->lookup(io.buffer);
    std::string dtype = fuse::bundleNpyDtype(buffer->dtype);
    auto it = given.find(io.name);
    if (it == given.end()) {
      arrays.push_back(fuse::randomNpyArray(dtype, buffer->shape, rng));
      generated.push_back(true);
    } else {
      FailureOr<fuse::NpyArray> array =
          readInput(io.name, it->second, buffer->shape, dtype, error);
      if (failed(array))
        return fail(error);
      arrays.push_back(std::move(*array));
      generated.push_back(false);
    }
    deviceBytes.push_back(buffer->dtype == "bf16"
                              ? f32ToBf16(arrays.back().data)
                              : arrays.back().data);
  }

  auto runner = fuse::CudaBundleRunner::create(*bundle);
  if (!runner)
    return failWith(runner.takeError());
  std::vector<ArrayRef<char>> views(deviceBytes.begin(), deviceBytes.end());
  if (llvm::Error e = (*runner)->setInputs(views))
    return failWith(std::move(e));
  if (llvm::Error e = (*runner)->run())
    return failWith(std::move(e));
  auto results = (*runner)->getOutputs();
  if (!results)
    return failWith(results.takeError());
  if (repeat > 0 || timeRuns > 0) {
    auto timing = (*runner)->time(repeat > 0 ? repeat : timeRuns);
    if (!timing)
      return failWith(timing.takeError());
    if (timeRuns > 0)
      for (const fuse::BundleTiming::Step &step : timing->steps)
        llvm::outs() << "fuse-run step " << step.index << " " << step.label
                     << " median ms: " << llvm::format("%.4f", step.medianMs)
                     << "\n";
    llvm::outs() << "fuse-run median ms: "
                 << llvm::format("%.4f", timing->totalMedianMs) << "\n";
  }

  std::vector<fuse::NpyArray> outputs;
  for (auto [io, data] : llvm::zip_equal(bundle->outputs, *results)) {
    const fuse::BundleBuffer *buffer = bundle->lookup(io.buffer);
    fuse::NpyArray array;
    array.dtype = fuse::bundleNpyDtype(buffer->dtype);
    array.shape = buffer->shape;
    array.data = buffer->dtype == "bf16" ? bf16ToF32(data) : std::move(data);
    outputs.push_back(std::move(array));
  }
  std::vector<std::pair<std::string, const fuse::NpyArray *>> files;
  for (unsigned i = 0; i < arrays.size(); ++i)
    if (generated[i])
      files.push_back({inputNames[i], &arrays[i]});
  for (auto [io, array] : llvm::zip_equal(bundle->outputs, outputs))
    files.push_back({io.name, &array});
  if (failed(writeFiles(files, error)))
    return fail(error);
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "Fuse runner (CPU and CUDA)\n");
  if (cudaProbe) {
    llvm::Expected<std::string> probed = fuse::probeCudaDevice();
    if (!probed)
      return failWith(probed.takeError());
    llvm::outs() << *probed << "\n";
    return 0;
  }
  if (device != "cpu" && device != "cuda")
    return fail("--device=" + device + ": expected cpu or cuda");
  if (inputFile.empty())
    return fail(device == "cuda" ? "no bundle directory given"
                                 : "no model or module given");
  if (outputDir.empty())
    return fail("--output-dir is required");
  if (device == "cuda")
    return runBundle();
  if (timeRuns > 0)
    return fail("--time applies to --device=cuda (use --repeat on the CPU)");

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

  std::vector<std::string> argNames;
  for (unsigned i = 0; i < type.getNumInputs(); ++i)
    argNames.push_back(nameOf(false, i));
  std::map<std::string, std::string> given;
  std::string givenError;
  if (failed(parseGivenInputs(argNames, given, givenError)))
    return fail(givenError);

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
    FailureOr<fuse::NpyArray> array =
        readInput(name, it->second, argType.getShape(), dtype, error);
    if (failed(array))
      return fail(error);
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
    llvm::outs() << "fuse-run median ms: " << llvm::format("%.3f", medianMs)
                 << "\n";

  std::vector<std::pair<std::string, const fuse::NpyArray *>> files;
  for (unsigned i = 0; i < arrays.size(); ++i)
    if (generated[i])
      files.push_back({inputNames[i], &arrays[i]});
  for (unsigned i = 0; i < outputs->size(); ++i)
    files.push_back({outputNames[i], &(*outputs)[i]});
  if (failed(writeFiles(files, error)))
    return fail(error);
  return 0;
}
