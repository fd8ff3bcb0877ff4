//===- BundleMain.cpp - The bundle-running command of the tools -----------===//
//
// One copy of `fuse-run --device=cuda` / `fuse-cuda-run`: every problem is
// one `error:` line and exit status 1, and nothing is written unless the whole
// run succeeded.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Runtime/BundleMain.h"
#include "Fuse/Runtime/Bundle.h"
#include "Fuse/Runtime/CudaRuntime.h"
#include "Fuse/Runtime/TensorProto.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::fuse;

int mlir::fuse::failCommand(const std::string &message) {
  llvm::errs() << "error: " << message << "\n";
  return 1;
}

static int failWith(llvm::Error error) {
  return failCommand(llvm::toString(std::move(error)));
}

static std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

LogicalResult mlir::fuse::parseGivenInputs(
    ArrayRef<std::string> flags, ArrayRef<std::string> names,
    std::map<std::string, std::string> &given, std::string &error) {
  for (const std::string &flag : flags) {
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

FailureOr<NpyArray> mlir::fuse::readInputFile(const std::string &name,
                                              const std::string &file,
                                              ArrayRef<int64_t> shape,
                                              StringRef dtype,
                                              std::string &error) {
  FailureOr<NpyArray> array = failure();
  if (StringRef(file).ends_with(".pb"))
    array = readTensorProtoFile(file, error);
  else
    array = readNpy(file, error);
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

LogicalResult mlir::fuse::writeOutputFiles(
    StringRef outputDir,
    ArrayRef<std::pair<std::string, const NpyArray *>> arrays,
    ArrayRef<std::pair<std::string, std::string>> extraFiles,
    std::string &error) {
  if (std::error_code ec = llvm::sys::fs::create_directories(outputDir)) {
    error = outputDir.str() + ": cannot create: " + ec.message();
    return failure();
  }
  std::vector<std::string> written;
  auto removeWritten = [&] {
    for (const std::string &path : written)
      llvm::sys::fs::remove(path);
    return failure();
  };
  for (const auto &[name, array] : arrays) {
    llvm::SmallString<256> file(outputDir);
    llvm::sys::path::append(file, name + ".npy");
    written.push_back(std::string(file));
    if (failed(writeNpy(file, *array, error)))
      return removeWritten();
  }
  for (const auto &[path, contents] : extraFiles) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      error = path + ": cannot write: " + ec.message();
      return removeWritten();
    }
    written.push_back(path);
    os << contents;
    os.close();
    if (os.has_error()) {
      error = path + ": cannot write: " + os.error().message();
      os.clear_error();
      return removeWritten();
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

llvm::Expected<BundleRunResult>
mlir::fuse::runBundleOnDevice(const Bundle &bundle, ArrayRef<NpyArray> inputs,
                              unsigned timeRuns) {
  if (inputs.size() != bundle.inputs.size())
    return llvm::createStringError(
        "the bundle has " + std::to_string(bundle.inputs.size()) + " inputs, " +
        std::to_string(inputs.size()) + " given");
  std::vector<std::vector<char>> deviceBytes;
  for (auto [io, array] : llvm::zip_equal(bundle.inputs, inputs)) {
    const BundleBuffer *buffer = bundle.lookup(io.buffer);
    deviceBytes.push_back(buffer->dtype == "bf16" ? f32ToBf16(array.data)
                                                  : array.data);
  }
  auto runner = CudaBundleRunner::create(bundle);
  if (!runner)
    return runner.takeError();
  std::vector<ArrayRef<char>> views(deviceBytes.begin(), deviceBytes.end());
  if (llvm::Error e = (*runner)->setInputs(views))
    return std::move(e);
  if (llvm::Error e = (*runner)->run())
    return std::move(e);
  auto results = (*runner)->getOutputs();
  if (!results)
    return results.takeError();
  BundleRunResult result;
  if (timeRuns > 0) {
    auto timing = (*runner)->time(timeRuns);
    if (!timing)
      return timing.takeError();
    result.timing = std::move(*timing);
  }
  for (auto [io, data] : llvm::zip_equal(bundle.outputs, *results)) {
    const BundleBuffer *buffer = bundle.lookup(io.buffer);
    NpyArray array;
    array.dtype = bundleNpyDtype(buffer->dtype);
    array.shape = buffer->shape;
    array.data = buffer->dtype == "bf16" ? bf16ToF32(data) : std::move(data);
    result.outputs.push_back(std::move(array));
  }
  return result;
}

/// The --json document: the bundle, the number of timed runs, each step's
/// median and the total median (milliseconds).
static std::string timingJson(StringRef bundleDir, const BundleTiming &timing) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("bundle", bundleDir);
    json.attribute("runs", static_cast<int64_t>(timing.runs));
    json.attribute("total_median_ms", timing.totalMedianMs);
    json.attributeArray("steps", [&] {
      for (const BundleTiming::Step &step : timing.steps)
        json.object([&] {
          json.attribute("index", static_cast<int64_t>(step.index));
          json.attribute("label", step.label);
          json.attribute("median_ms", step.medianMs);
        });
    });
  });
  os << "\n";
  return text;
}

int mlir::fuse::runBundleCommand(const BundleCommandOptions &options) {
  const std::string &dir = options.bundleDir;
  if (options.repeat > 0 && options.timeRuns > 0)
    return failCommand("give --repeat or --time, not both");
  if (!options.jsonFile.empty() && options.repeat <= 0 && options.timeRuns <= 0)
    return failCommand("--json writes the timing: give --repeat N or --time N");
  if (!llvm::sys::fs::is_directory(dir)) {
    if (llvm::sys::fs::exists(dir))
      return failCommand(dir + ": " + options.command +
                         " runs a bundle directory, not a model or module; "
                         "compile it first with `fuse-compile " +
                         dir + " --emit=ptx -o DIR` and run DIR");
    return failCommand(dir + ": no such bundle directory");
  }
  llvm::Expected<Bundle> bundle = loadBundle(dir);
  if (!bundle)
    return failWith(bundle.takeError());
  if (llvm::Error e = checkArenaLiveness(*bundle))
    return failWith(std::move(e));

  std::vector<std::string> inputNames;
  for (const BundleIO &io : bundle->inputs)
    inputNames.push_back(io.name);
  std::map<std::string, std::string> given;
  std::string error;
  if (failed(parseGivenInputs(options.inputs, inputNames, given, error)))
    return failCommand(error);

  std::mt19937 rng(options.seed);
  std::vector<NpyArray> arrays;
  std::vector<bool> generated;
  for (const BundleIO &io : bundle->inputs) {
    const BundleBuffer *buffer = bundle->lookup(io.buffer);
    std::string dtype = bundleNpyDtype(buffer->dtype);
    auto it = given.find(io.name);
    if (it == given.end()) {
      arrays.push_back(randomNpyArray(dtype, buffer->shape, rng));
      generated.push_back(true);
    } else {
      FailureOr<NpyArray> array =
          readInputFile(io.name, it->second, buffer->shape, dtype, error);
      if (failed(array))
        return failCommand(error);
      arrays.push_back(std::move(*array));
      generated.push_back(false);
    }
  }

  unsigned timed = static_cast<unsigned>(
      options.repeat > 0 ? options.repeat : std::max(options.timeRuns, 0));
  auto result = runBundleOnDevice(*bundle, arrays, timed);
  if (!result)
    return failWith(result.takeError());
  std::vector<std::pair<std::string, std::string>> extraFiles;
  if (result->timing) {
    const BundleTiming &timing = *result->timing;
    if (options.timeRuns > 0)
      for (const BundleTiming::Step &step : timing.steps)
        llvm::outs() << options.tool << " step " << step.index << " "
                     << step.label
                     << " median ms: " << llvm::format("%.4f", step.medianMs)
                     << "\n";
    llvm::outs() << options.tool
                 << " median ms: " << llvm::format("%.4f", timing.totalMedianMs)
                 << "\n";
    if (!options.jsonFile.empty())
      extraFiles.push_back({options.jsonFile, timingJson(dir, timing)});
  }
  std::vector<NpyArray> &outputs = result->outputs;
  std::vector<std::pair<std::string, const NpyArray *>> files;
  for (unsigned i = 0; i < arrays.size(); ++i)
    if (generated[i])
      files.push_back({inputNames[i], &arrays[i]});
  for (auto [io, array] : llvm::zip_equal(bundle->outputs, outputs))
    files.push_back({io.name, &array});
  if (failed(writeOutputFiles(options.outputDir, files, extraFiles, error)))
    return failCommand(error);
  return 0;
}

int mlir::fuse::runCudaProbeCommand() {
  llvm::Expected<std::string> probed = probeCudaDevice();
  if (!probed)
    return failWith(probed.takeError());
  llvm::outs() << *probed << "\n";
  return 0;
}
