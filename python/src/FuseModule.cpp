//===- FuseModule.cpp - The `fuse._fuse` Python extension -----------------===//
//
// Binds the compiler driver (import -> rewrite -> fuse -> tile, the library
// fuse-compile runs) and the CPU runner to Python. The `fuse` package
// (python/fuse/__init__.py) wraps these bindings; errors carrying a
// diagnostic are raised as `_fuse.Error` with the one-line text the tools
// print (`error: FILE: node 'NAME': message`), bad arguments as ValueError.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseDialect.h"
#include "Fuse/Driver/Compile.h"
#include "Fuse/Runtime/BundleMain.h"
#include "Fuse/Runtime/CpuRunner.h"
#include "Fuse/Target/ONNX/ImportONNX.h"
#include "Fuse/Transforms/FusionReport.h"
#include "Fuse/Transforms/Passes.h"
#include "Fuse/Transforms/Pipelines.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace mlir;

namespace {

/// An error with a diagnostic line; surfaces in Python as `_fuse.Error`.
struct DiagnosticError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Keeps the first error diagnostic emitted in `context` while alive, as the
/// tools' one-line text.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          if (diag.getSeverity() == DiagnosticSeverity::Error && first.empty())
            first = fuse::formatToolDiagnostic(diag);
          return success();
        }) {}

  /// Throws the captured diagnostic, or `fallback` when there is none.
  [[noreturn]] void raise(const std::string &fallback) const {
    throw DiagnosticError(first.empty() ? "error: " + fallback : first);
  }

private:
  std::string first;
  ScopedDiagnosticHandler handler;
};

std::unique_ptr<MLIRContext> makeContext() {
  DialectRegistry registry;
  registry.insert<fuse::FuseDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  fuse::registerFuseGpuPipelineDialects(registry);
  return std::make_unique<MLIRContext>(registry);
}

py::object toPython(const llvm::json::Value &value) {
  switch (value.kind()) {
  case llvm::json::Value::Null:
    return py::none();
  case llvm::json::Value::Boolean:
    return py::bool_(*value.getAsBoolean());
  case llvm::json::Value::Number:
    if (std::optional<int64_t> i = value.getAsInteger())
      return py::int_(*i);
    if (std::optional<uint64_t> u = value.getAsUINT64())
      return py::int_(*u);
    return py::float_(*value.getAsNumber());
  case llvm::json::Value::String:
    return py::str(value.getAsString()->str());
  case llvm::json::Value::Array: {
    py::list list;
    for (const llvm::json::Value &element : *value.getAsArray())
      list.append(toPython(element));
    return std::move(list);
  }
  case llvm::json::Value::Object: {
    const llvm::json::Object &object = *value.getAsObject();
    std::vector<std::string> keys;
    for (const auto &entry : object)
      keys.push_back(entry.first.str());
    std::sort(keys.begin(), keys.end());
    py::dict dict;
    for (const std::string &key : keys)
      dict[py::str(key)] = toPython(*object.get(key));
    return std::move(dict);
  }
  }
  return py::none();
}

py::tuple shapeTuple(ArrayRef<int64_t> shape) {
  py::tuple tuple(shape.size());
  for (auto [i, d] : llvm::enumerate(shape))
    tuple[i] = py::int_(d);
  return tuple;
}

std::string shapeText(ArrayRef<int64_t> shape) {
  return py::str(shapeTuple(shape)).cast<std::string>();
}

/// numpy's name for a dtype descriptor ('<f4' -> 'float32').
std::string dtypeName(const std::string &descr) {
  return py::dtype(descr).attr("name").cast<std::string>();
}

struct TensorInfo {
  std::string name;
  std::vector<int64_t> shape;
  std::string dtype; // numpy descriptor; "" when unsupported
};

/// The graph inputs and outputs of `@main` with their `fuse.name`s.
FailureOr<std::pair<std::vector<TensorInfo>, std::vector<TensorInfo>>>
signatureOf(ModuleOp module, std::string &error) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main) {
    error = "the module has no func.func @main";
    return failure();
  }
  FunctionType type = main.getFunctionType();
  auto info = [&](bool result, unsigned i, Type t) -> FailureOr<TensorInfo> {
    TensorInfo tensor;
    auto attr = result ? main.getResultAttrOfType<StringAttr>(i, "fuse.name")
                       : main.getArgAttrOfType<StringAttr>(i, "fuse.name");
    tensor.name =
        attr ? attr.str() : (result ? "output_" : "input_") + std::to_string(i);
    auto ranked = dyn_cast<RankedTensorType>(t);
    if (!ranked || !ranked.hasStaticShape()) {
      error = (result ? "output '" : "input '") + tensor.name +
              "' is not a statically shaped tensor";
      return failure();
    }
    tensor.shape.assign(ranked.getShape().begin(), ranked.getShape().end());
    tensor.dtype = fuse::npyDtypeFor(ranked.getElementType());
    return tensor;
  };
  std::vector<TensorInfo> inputs, outputs;
  for (unsigned i = 0; i < type.getNumInputs(); ++i) {
    FailureOr<TensorInfo> tensor = info(false, i, type.getInput(i));
    if (failed(tensor))
      return failure();
    inputs.push_back(std::move(*tensor));
  }
  for (unsigned i = 0; i < type.getNumResults(); ++i) {
    FailureOr<TensorInfo> tensor = info(true, i, type.getResult(i));
    if (failed(tensor))
      return failure();
    outputs.push_back(std::move(*tensor));
  }
  return std::make_pair(std::move(inputs), std::move(outputs));
}

py::list signatureToPython(const std::vector<TensorInfo> &tensors) {
  py::list list;
  for (const TensorInfo &tensor : tensors) {
    py::dict dict;
    dict["name"] = tensor.name;
    dict["shape"] = shapeTuple(tensor.shape);
    dict["dtype"] = tensor.dtype.empty() ? py::object(py::none())
                                         : py::object(py::dtype(tensor.dtype));
    list.append(dict);
  }
  return list;
}

/// The arrays of `given` ({name: array}) for `inputs`, in their order:
/// every input given, nothing else, each of its exact shape and dtype;
/// ValueError otherwise (`runner` names who cannot take an element type).
std::vector<fuse::NpyArray> checkedInputs(const std::vector<TensorInfo> &inputs,
                                          const py::dict &given,
                                          const std::string &runner) {
  std::vector<std::string> known;
  for (const TensorInfo &tensor : inputs)
    known.push_back("'" + tensor.name + "'");
  std::string knownText = llvm::join(known, ", ");
  for (const auto &item : given) {
    std::string name = py::str(item.first).cast<std::string>();
    bool found = llvm::any_of(
        inputs, [&](const TensorInfo &t) { return t.name == name; });
    if (!found)
      throw py::value_error(
          "'" + name + "' is not an input of the model (inputs: " + knownText +
          ")");
  }
  std::vector<fuse::NpyArray> arrays;
  for (const TensorInfo &tensor : inputs) {
    py::str key(tensor.name);
    if (!given.contains(key))
      throw py::value_error("missing input '" + tensor.name +
                            "' (inputs: " + knownText + ")");
    if (tensor.dtype.empty())
      throw py::value_error("input '" + tensor.name + "' has an element type " +
                            runner + " does not support");
    py::array array = py::array::ensure(given[key], py::array::c_style);
    if (!array)
      throw py::value_error("input '" + tensor.name +
                            "' is not convertible to a numpy array");
    std::string dtype = array.dtype().attr("str").cast<std::string>();
    if (dtype != tensor.dtype)
      throw py::value_error("input '" + tensor.name + "' has dtype " +
                            array.dtype().attr("name").cast<std::string>() +
                            ", expected " + dtypeName(tensor.dtype));
    std::vector<int64_t> shape(array.shape(), array.shape() + array.ndim());
    if (shape != tensor.shape)
      throw py::value_error("input '" + tensor.name + "' has shape " +
                            shapeText(shape) + ", expected " +
                            shapeText(tensor.shape));
    fuse::NpyArray npy;
    npy.dtype = tensor.dtype;
    npy.shape = shape;
    npy.data.resize(array.nbytes());
    if (array.nbytes())
      std::memcpy(npy.data.data(), array.data(), array.nbytes());
    arrays.push_back(std::move(npy));
  }
  return arrays;
}

/// {name: ndarray} of `arrays`, named by `outputs` (output_<i> past them).
py::dict outputsToPython(const std::vector<TensorInfo> &outputs,
                         const std::vector<fuse::NpyArray> &arrays) {
  py::dict out;
  for (auto [i, array] : llvm::enumerate(arrays)) {
    std::string name =
        i < outputs.size() ? outputs[i].name : "output_" + std::to_string(i);
    py::array value(
        py::dtype(array.dtype),
        std::vector<py::ssize_t>(array.shape.begin(), array.shape.end()),
        array.data.data());
    out[py::str(name)] = value;
  }
  return out;
}

/// A failure of the GPU runtime (no device, a CUDA error); surfaces in
/// Python as `_fuse.DeviceError`.
struct DeviceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The bundle in `directory` run on GPU 0 with `given` ({input name:
/// array}; the bundle's shapes, bf16 inputs as float32), then `timeRuns`
/// timed runs: ({output name: array}, the timing as a dict or None).
py::tuple runBundle(const std::string &directory, const py::dict &given,
                    unsigned timeRuns) {
  llvm::Expected<fuse::Bundle> bundle = fuse::loadBundle(directory);
  if (!bundle)
    throw DiagnosticError("error: " + llvm::toString(bundle.takeError()));
  if (llvm::Error e = fuse::checkArenaLiveness(*bundle))
    throw DiagnosticError("error: " + llvm::toString(std::move(e)));
  auto signature = [&](const std::vector<fuse::BundleIO> &ios) {
    std::vector<TensorInfo> tensors;
    for (const fuse::BundleIO &io : ios) {
      const fuse::BundleBuffer *buffer = bundle->lookup(io.buffer);
      tensors.push_back(
          {io.name, buffer->shape, fuse::bundleNpyDtype(buffer->dtype)});
    }
    return tensors;
  };
  std::vector<fuse::NpyArray> arrays =
      checkedInputs(signature(bundle->inputs), given, "the bundle runtime");
  std::optional<fuse::BundleRunResult> result;
  std::string error;
  {
    py::gil_scoped_release release;
    llvm::Expected<fuse::BundleRunResult> run =
        fuse::runBundleOnDevice(*bundle, arrays, timeRuns);
    if (run)
      result = std::move(*run);
    else
      error = llvm::toString(run.takeError());
  }
  if (!result)
    throw DeviceError("error: " + error);
  py::object timing = py::none();
  if (result->timing) {
    py::dict dict;
    dict["runs"] = result->timing->runs;
    dict["total_median_ms"] = result->timing->totalMedianMs;
    py::list steps;
    for (const fuse::BundleTiming::Step &step : result->timing->steps) {
      py::dict entry;
      entry["index"] = step.index;
      entry["label"] = step.label;
      entry["median_ms"] = step.medianMs;
      steps.append(entry);
    }
    dict["steps"] = steps;
    timing = dict;
  }
  return py::make_tuple(
      outputsToPython(signature(bundle->outputs), result->outputs), timing);
}

/// A module compiled to one stage, with the text of the stages before it.
class CompiledModule {
public:
  // The context outlives the module (members are destroyed in reverse).
  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
  fuse::CompileStage stage = fuse::CompileStage::Fuse;
  std::map<fuse::CompileStage, std::string> snapshots;
  std::optional<llvm::json::Object> report;
  std::string dot;
  std::string modelName;
  std::vector<TensorInfo> inputs, outputs;
  /// The bundle of the ptx stage.
  std::optional<fuse::CompiledBundle> bundle;

  std::string text(const std::string &stageName) const {
    std::optional<fuse::CompileStage> wanted =
        fuse::parseCompileStage(stageName);
    if (!wanted)
      throw py::value_error("unknown stage '" + stageName + "' (expected " +
                            availableStages() + ")");
    auto it = snapshots.find(*wanted);
    if (it != snapshots.end())
      return it->second;
    if (*wanted == stage) {
      std::string out;
      llvm::raw_string_ostream os(out);
      ModuleOp op = module.get();
      op.print(os);
      return out;
    }
    throw py::value_error("stage '" + stageName +
                          "' is not available: this model was compiled to '" +
                          fuse::stringifyCompileStage(stage).str() +
                          "' (available: " + availableStages() + ")");
  }

  std::vector<std::string> stages() const {
    std::vector<std::string> names;
    for (const auto &entry : snapshots)
      names.push_back(fuse::stringifyCompileStage(entry.first).str());
    if (!snapshots.count(stage))
      names.push_back(fuse::stringifyCompileStage(stage).str());
    return names;
  }

  std::string availableStages() const {
    std::string joined;
    for (const std::string &name : stages())
      joined += (joined.empty() ? "" : ", ") + name;
    return joined;
  }

  /// Runs @main of `stageName` (the compiled stage when empty) on the CPU.
  py::dict run(const py::dict &given, const std::string &stageName) {
    std::vector<fuse::NpyArray> arrays =
        checkedInputs(inputs, given, "the CPU runner");

    DiagnosticCapture capture(context.get());
    OwningOpRef<ModuleOp> copy;
    // The GPU stages run on the CPU as their tiled module.
    bool gpuStage = stage == fuse::CompileStage::Gpu ||
                    stage == fuse::CompileStage::Ptx;
    std::string runStage = !stageName.empty() ? stageName
                           : gpuStage
                               ? std::string("tiled")
                               : fuse::stringifyCompileStage(stage).str();
    if (runStage == "gpu" || runStage == "ptx")
      throw py::value_error("stage '" + runStage +
                            "' does not run on the CPU; run the tiled stage, "
                            "or the bundle with fuse-run --device=cuda");
    std::optional<fuse::CompileStage> wanted =
        fuse::parseCompileStage(runStage);
    if (!wanted)
      throw py::value_error("unknown stage '" + runStage + "' (expected " +
                            availableStages() + ")");
    std::string error;
    FailureOr<std::vector<fuse::NpyArray>> results = failure();
    {
      py::gil_scoped_release release;
      if (*wanted == stage) {
        copy = module->clone();
      } else {
        auto it = snapshots.find(*wanted);
        if (it != snapshots.end())
          copy = parseSourceString<ModuleOp>(it->second,
                                             ParserConfig(context.get()));
      }
      if (copy)
        results = fuse::runOnCpu(*copy, arrays, error);
    }
    if (!copy) {
      if (!snapshots.count(*wanted) && *wanted != stage)
        throw py::value_error(
            "stage '" + runStage +
            "' is not available (available: " + availableStages() + ")");
      capture.raise(modelName + ": cannot parse the '" + runStage + "' module");
    }
    if (failed(results))
      capture.raise(modelName + ": " + error);
    return outputsToPython(outputs, *results);
  }
};

std::unique_ptr<CompiledModule>
compile(const std::string &path, const std::optional<py::bytes> &data,
        const std::string &modelName, const std::vector<std::string> &shapes,
        const std::vector<std::string> &dims, const std::string &target,
        const std::string &precision, const std::string &emit,
        const std::vector<std::string> &tileConfigs,
        const std::string &tuningDb, bool keepSnapshots, bool wantDot) {
  std::optional<fuse::CompileStage> stage = fuse::parseCompileStage(emit);
  if (!stage)
    throw py::value_error("unknown emit='" + emit +
                          "' (expected fuse, rewritten, fused, tiled, gpu or "
                          "ptx)");
  fuse::CompileOptions options;
  options.stage = *stage;
  options.target = target;
  options.precision = precision;
  options.tileConfigs = tileConfigs;
  options.tuningDb = tuningDb;
  options.modelName = modelName;
  bool grouped = *stage != fuse::CompileStage::Fuse &&
                 *stage != fuse::CompileStage::Rewritten;
  options.wantReport = grouped;
  options.wantDot = grouped && wantDot;
  options.keepSnapshots = keepSnapshots;
  std::string error;
  if (failed(fuse::verifyCompileOptions(options, error)))
    throw py::value_error(error);
  fuse::OnnxImportOptions importOptions;
  if (failed(fuse::parseImportFlags(shapes, dims, importOptions, error)))
    throw py::value_error(error);

  auto compiled = std::make_unique<CompiledModule>();
  compiled->context = makeContext();
  compiled->stage = *stage;
  compiled->modelName = modelName;
  MLIRContext *context = compiled->context.get();
  DiagnosticCapture capture(context);
  std::string buffer;
  if (data)
    buffer = std::string(*data);
  FailureOr<OwningOpRef<ModuleOp>> loaded = failure();
  FailureOr<fuse::CompileResult> result = failure();
  FailureOr<std::pair<std::vector<TensorInfo>, std::vector<TensorInfo>>>
      signature = failure();
  std::string signatureError;
  {
    py::gil_scoped_release release;
    loaded = data ? fuse::importOnnxBuffer(context, buffer, modelName,
                                           /*isText=*/false, importOptions)
                  : fuse::loadModelOrModule(context, path, importOptions);
    // The signature of the tensor stages: the GPU stages' host function is
    // on buffers.
    if (succeeded(loaded))
      signature = signatureOf(**loaded, signatureError);
    if (succeeded(loaded) && succeeded(signature))
      result = fuse::compileModule(**loaded, options, error);
  }
  if (succeeded(loaded) && failed(signature))
    throw DiagnosticError("error: " + modelName + ": " + signatureError);
  if (failed(loaded))
    capture.raise(modelName + ": cannot load");
  if (failed(result))
    capture.raise(modelName + ": " + error);
  compiled->module = std::move(*loaded);
  compiled->snapshots = std::move(result->snapshots);
  compiled->report = std::move(result->report);
  compiled->dot = std::move(result->dot);
  compiled->bundle = std::move(result->bundle);
  compiled->inputs = std::move(signature->first);
  compiled->outputs = std::move(signature->second);
  return compiled;
}

} // namespace

PYBIND11_MODULE(_fuse, m) {
  m.doc() = "Bindings of the Fuse compiler driver and CPU runner";
  registerAllPasses();
  fuse::registerFusePasses();
  py::register_exception<DiagnosticError>(m, "Error", PyExc_RuntimeError);
  py::register_exception<DeviceError>(m, "DeviceError", PyExc_RuntimeError);

  py::class_<CompiledModule>(m, "CompiledModule")
      .def_property_readonly(
          "stage",
          [](const CompiledModule &c) {
            return fuse::stringifyCompileStage(c.stage).str();
          })
      .def_property_readonly("stages", &CompiledModule::stages)
      .def("mlir", &CompiledModule::text, py::arg("stage"))
      .def_property_readonly(
          "report",
          [](const CompiledModule &c) -> py::object {
            if (!c.report)
              return py::none();
            return toPython(llvm::json::Value(llvm::json::Object(*c.report)));
          })
      .def_property_readonly(
          "report_json",
          [](const CompiledModule &c) -> py::object {
            if (!c.report)
              return py::none();
            return py::str(
                llvm::formatv("{0:2}",
                              llvm::json::Value(llvm::json::Object(*c.report)))
                    .str());
          })
      .def_property_readonly("summary",
                             [](const CompiledModule &c) -> py::object {
                               if (!c.report)
                                 return py::none();
                               std::string text;
                               llvm::raw_string_ostream os(text);
                               fuse::printFusionSummary(*c.report, os);
                               return py::str(text);
                             })
      .def_property_readonly("dot",
                             [](const CompiledModule &c) -> py::object {
                               if (c.dot.empty())
                                 return py::none();
                               return py::str(c.dot);
                             })
      .def_property_readonly(
          "inputs",
          [](const CompiledModule &c) { return signatureToPython(c.inputs); })
      .def_property_readonly(
          "outputs",
          [](const CompiledModule &c) { return signatureToPython(c.outputs); })
      .def("run", &CompiledModule::run, py::arg("inputs"),
           py::arg("stage") = "")
      .def_property_readonly("ptx",
                             [](const CompiledModule &c) -> py::object {
                               if (!c.bundle)
                                 return py::none();
                               return py::str(c.bundle->ptx);
                             })
      .def_property_readonly(
          "plan",
          [](const CompiledModule &c) -> py::object {
            if (!c.bundle)
              return py::none();
            return toPython(
                llvm::json::Value(llvm::json::Object(c.bundle->plan)));
          })
      .def("save_bundle", [](const CompiledModule &c, const std::string &dir) {
        if (!c.bundle)
          throw py::value_error("save_bundle needs a model compiled with "
                                "emit='ptx' (this one: '" +
                                fuse::stringifyCompileStage(c.stage).str() +
                                "')");
        std::string error;
        if (failed(fuse::writeBundle(*c.bundle, dir, error)))
          throw DiagnosticError("error: " + error);
      });

  m.def("run_bundle", &runBundle, py::arg("directory"), py::arg("inputs"),
        py::arg("time_runs") = 0);
  m.def("cuda_device", []() -> py::tuple {
    llvm::Expected<std::string> probed = fuse::probeCudaDevice();
    if (!probed)
      return py::make_tuple(py::none(), llvm::toString(probed.takeError()));
    return py::make_tuple(*probed, py::none());
  });

  m.def("compile", &compile, py::arg("path"), py::arg("data"),
        py::arg("model_name"), py::arg("input_shapes"), py::arg("dims"),
        py::arg("target"), py::arg("precision"), py::arg("emit"),
        py::arg("tile_configs"), py::arg("tuning_db"),
        py::arg("keep_snapshots"), py::arg("want_dot"));
}
