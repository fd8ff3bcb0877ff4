//===- Importer.cpp - ONNX model import driver ----------------------------===//
//
// Loading (binary or text), libonnx's checker, dim binding, version
// conversion to opset 17 and shape inference, then one pass over the nodes
// in graph order through the op table. libonnx reports problems by throwing;
// every call into it is wrapped so that a bad model becomes one diagnostic.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

#include "onnx/checker.h"
#include "onnx/defs/parser.h"
#include "onnx/defs/schema.h"
#include "onnx/shape_inference/implementation.h"
#include "onnx/version_converter/convert.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <sys/wait.h>
#include <unistd.h>
#include <set>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::onnx_import;

//===----------------------------------------------------------------------===//
// Host tensors
//===----------------------------------------------------------------------===//

std::vector<int64_t> HostTensor::asInts() const {
  if (!isFloat())
    return ints;
  std::vector<int64_t> result;
  for (double v : reals)
    result.push_back(static_cast<int64_t>(v));
  return result;
}

std::vector<double> HostTensor::asReals() const {
  if (isFloat())
    return reals;
  return std::vector<double>(ints.begin(), ints.end());
}

static float halfToFloat(uint16_t h) {
  uint32_t sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f,
           mantissa = h & 0x3ff;
  float value;
  if (exponent == 0)
    value = std::ldexp(static_cast<float>(mantissa), -24);
  else if (exponent == 31)
    value = mantissa ? NAN : INFINITY;
  else
    value = std::ldexp(static_cast<float>(mantissa | 0x400),
                       static_cast<int>(exponent) - 25);
  return sign ? -value : value;
}

static float bf16ToFloat(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

FailureOr<HostTensor>
mlir::fuse::onnx_import::decodeTensor(const onnx::TensorProto &tensor,
                                      std::string &error) {
  HostTensor result;
  result.dtype = tensor.data_type();
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0) {
      error = "tensor '" + tensor.name() + "' has a negative dim";
      return failure();
    }
    result.shape.push_back(d);
    count *= d;
  }
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "tensor '" + tensor.name() +
            "' uses external data, which is not supported";
    return failure();
  }
  const std::string &raw = tensor.raw_data();
  bool hasRaw = tensor.has_raw_data();
  auto fromRaw = [&](size_t width, auto convert) -> LogicalResult {
    if (raw.size() != static_cast<size_t>(count) * width) {
      error = "tensor '" + tensor.name() + "' holds " +
              std::to_string(raw.size()) + " bytes, expected " +
              std::to_string(count * width);
      return failure();
    }
    for (int64_t i = 0; i < count; ++i)
      convert(raw.data() + i * width);
    return success();
  };
  auto checkCount = [&](int64_t have) -> LogicalResult {
    if (have != count) {
      error = "tensor '" + tensor.name() + "' holds " + std::to_string(have) +
              " values, expected " + std::to_string(count);
      return failure();
    }
    return success();
  };
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (hasRaw)
      return failed(fromRaw(4, [&](const char *p) {
               float v;
               std::memcpy(&v, p, 4);
               result.reals.push_back(v);
             }))
                 ? FailureOr<HostTensor>(failure())
                 : FailureOr<HostTensor>(result);
    if (failed(checkCount(tensor.float_data_size())))
      return failure();
    result.reals.assign(tensor.float_data().begin(), tensor.float_data().end());
    return result;
  case onnx::TensorProto::DOUBLE:
    if (hasRaw)
      return failed(fromRaw(8, [&](const char *p) {
               double v;
               std::memcpy(&v, p, 8);
               result.reals.push_back(v);
             }))
                 ? FailureOr<HostTensor>(failure())
                 : FailureOr<HostTensor>(result);
    if (failed(checkCount(tensor.double_data_size())))
      return failure();
    result.reals.assign(tensor.double_data().begin(),
                        tensor.double_data().end());
    return result;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16: {
    bool half = tensor.data_type() == onnx::TensorProto::FLOAT16;
    auto push = [&](uint16_t bits) {
      result.reals.push_back(half ? halfToFloat(bits) : bf16ToFloat(bits));
    };
    if (hasRaw)
      return failed(fromRaw(2, [&](const char *p) {
               uint16_t v;
               std::memcpy(&v, p, 2);
               push(v);
             }))
                 ? FailureOr<HostTensor>(failure())
                 : FailureOr<HostTensor>(result);
    if (failed(checkCount(tensor.int32_data_size())))
      return failure();
    for (int32_t v : tensor.int32_data())
      push(static_cast<uint16_t>(v));
    return result;
  }
  case onnx::TensorProto::INT64:
    if (hasRaw)
      return failed(fromRaw(8, [&](const char *p) {
               int64_t v;
               std::memcpy(&v, p, 8);
               result.ints.push_back(v);
             }))
                 ? FailureOr<HostTensor>(failure())
                 : FailureOr<HostTensor>(result);
    if (failed(checkCount(tensor.int64_data_size())))
      return failure();
    result.ints.assign(tensor.int64_data().begin(), tensor.int64_data().end());
    return result;
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16: {
    int32_t type = tensor.data_type();
    size_t width = type == onnx::TensorProto::INT32   ? 4
                   : type == onnx::TensorProto::INT16 ||
                           type == onnx::TensorProto::UINT16
                       ? 2
                       : 1;
    if (hasRaw)
      return failed(fromRaw(width, [&](const char *p) {
               int64_t v = 0;
               switch (type) {
               case onnx::TensorProto::INT32: {
                 int32_t x;
                 std::memcpy(&x, p, 4);
                 v = x;
                 break;
               }
               case onnx::TensorProto::INT16: {
                 int16_t x;
                 std::memcpy(&x, p, 2);
                 v = x;
                 break;
               }
               case onnx::TensorProto::UINT16: {
                 uint16_t x;
                 std::memcpy(&x, p, 2);
                 v = x;
                 break;
               }
               case onnx::TensorProto::INT8:
                 v = static_cast<int8_t>(*p);
                 break;
               default:
                 v = static_cast<uint8_t>(*p);
               }
               result.ints.push_back(type == onnx::TensorProto::BOOL ? v != 0
                                                                      : v);
             }))
                 ? FailureOr<HostTensor>(failure())
                 : FailureOr<HostTensor>(result);
    if (failed(checkCount(tensor.int32_data_size())))
      return failure();
    for (int32_t v : tensor.int32_data())
      result.ints.push_back(type == onnx::TensorProto::BOOL ? v != 0 : v);
    return result;
  }
  default:
    error = "tensor '" + tensor.name() + "' has unsupported element type " +
            onnx::TensorProto::DataType_Name(
                static_cast<onnx::TensorProto::DataType>(tensor.data_type()));
    return failure();
  }
}

Type mlir::fuse::onnx_import::elementTypeFor(MLIRContext *context,
                                             int32_t dtype) {
  Builder b(context);
  switch (dtype) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return nullptr;
  }
}

static std::string dtypeName(int32_t dtype) {
  if (!onnx::TensorProto::DataType_IsValid(dtype))
    return "type #" + std::to_string(dtype);
  return onnx::TensorProto::DataType_Name(
      static_cast<onnx::TensorProto::DataType>(dtype));
}

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

Location Importer::fileLoc() {
  return FileLineColLoc::get(context, fileName, 0, 0);
}

Location Importer::nodeLoc(const onnx::NodeProto &node, int index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  return NameLoc::get(StringAttr::get(context, name), fileLoc());
}

InFlightDiagnostic Importer::fileError() { return emitError(fileLoc()); }

FailureOr<RankedTensorType>
Importer::typeFromProto(const onnx::TypeProto &type, StringRef valueName,
                        Location loc) {
  if (!type.has_tensor_type()) {
    emitError(loc) << "value '" << valueName << "' is not a tensor";
    return failure();
  }
  const onnx::TypeProto_Tensor &tensor = type.tensor_type();
  Type element = elementTypeFor(context, tensor.elem_type());
  if (!element) {
    emitError(loc) << "value '" << valueName << "' has unsupported element type "
                   << dtypeName(tensor.elem_type())
                   << " (supported: float, float16, bfloat16, int64, int32, "
                      "bool)";
    return failure();
  }
  if (!tensor.has_shape()) {
    emitError(loc) << "the shape of value '" << valueName
                   << "' could not be inferred";
    return failure();
  }
  SmallVector<int64_t> shape;
  for (const auto &dim : tensor.shape().dim()) {
    if (!dim.has_dim_value() || dim.dim_value() < 0) {
      emitError(loc) << "the shape of value '" << valueName
                     << "' is not static after shape inference (dim "
                     << shape.size()
                     << (dim.has_dim_param() ? " is '" + dim.dim_param() + "'"
                                             : std::string(" is unknown"))
                     << ")";
      return failure();
    }
    shape.push_back(dim.dim_value());
  }
  return RankedTensorType::get(shape, element);
}

FailureOr<Value> Importer::materialize(const HostTensor &value,
                                       Location loc) {
  Type element = elementTypeFor(context, value.dtype);
  if (!element) {
    emitError(loc) << "constant of unsupported element type "
                   << dtypeName(value.dtype);
    return failure();
  }
  auto type = RankedTensorType::get(value.shape, element);
  DenseElementsAttr attr;
  if (isa<FloatType>(element)) {
    const llvm::fltSemantics &sem = cast<FloatType>(element).getFloatSemantics();
    SmallVector<APFloat> values;
    for (double v : value.asReals()) {
      APFloat f(v);
      bool lost;
      f.convert(sem, APFloat::rmNearestTiesToEven, &lost);
      values.push_back(f);
    }
    attr = DenseElementsAttr::get(type, values);
  } else {
    unsigned width = element.getIntOrFloatBitWidth();
    SmallVector<APInt> values;
    for (int64_t v : value.asInts())
      values.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
    attr = DenseElementsAttr::get(type, values);
  }
  return ConstantOp::create(builder, loc, attr).getResult();
}

FailureOr<Value>
Importer::materializeInitializer(const onnx::TensorProto &tensor,
                                 Location loc) {
  Type element = elementTypeFor(context, tensor.data_type());
  if (!element) {
    emitError(loc) << "initializer '" << tensor.name()
                   << "' has unsupported element type "
                   << dtypeName(tensor.data_type());
    return failure();
  }
  SmallVector<int64_t> shape(tensor.dims().begin(), tensor.dims().end());
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; })) {
    emitError(loc) << "initializer '" << tensor.name() << "' has a negative dim";
    return failure();
  }
  auto type = RankedTensorType::get(shape, element);
  int64_t count = type.getNumElements();
  size_t width = element.isInteger(1) ? 1 : element.getIntOrFloatBitWidth() / 8;
  // Large raw tensors become dense_resource blobs, copied exactly once.
  if (tensor.has_raw_data() && !element.isInteger(1) && count > 16 &&
      tensor.data_location() != onnx::TensorProto::EXTERNAL) {
    const std::string &raw = tensor.raw_data();
    if (raw.size() != count * width) {
      emitError(loc) << "initializer '" << tensor.name() << "' holds "
                     << raw.size() << " bytes, expected " << count * width;
      return failure();
    }
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(raw.data(), raw.size()), alignof(uint64_t));
    std::string key = tensor.name().empty() ? "weight" : tensor.name();
    for (char &c : key)
      if (!llvm::isAlnum(c) && c != '_' && c != '.')
        c = '_';
    auto attr = DenseResourceElementsAttr::get(type, key, std::move(blob));
    return ConstantOp::create(builder, loc, cast<ElementsAttr>(attr))
        .getResult();
  }
  std::string error;
  FailureOr<HostTensor> host = decodeTensor(tensor, error);
  if (failed(host)) {
    emitError(loc) << error;
    return failure();
  }
  return materialize(*host, loc);
}

const HostTensor *Importer::lookupConst(StringRef name) {
  auto it = constants.find(name);
  if (it != constants.end())
    return &it->second;
  auto init = initializers.find(name);
  if (init == initializers.end())
    return nullptr;
  // Decode on demand; weights read only as tensors are never decoded.
  std::string error;
  FailureOr<HostTensor> host = decodeTensor(*init->second, error);
  if (failed(host))
    return nullptr;
  return &constants.insert({name, std::move(*host)}).first->second;
}

FailureOr<Value> Importer::lookup(StringRef name, Location loc) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  // Constants are materialized at the top of the function body so that they
  // dominate every use.
  OpBuilder::InsertionGuard guard(builder);
  Block *entry = builder.getInsertionBlock();
  builder.setInsertionPointToStart(entry);
  FailureOr<Value> value = failure();
  if (auto c = constants.find(name); c != constants.end())
    value = materialize(c->second, loc);
  else if (auto init = initializers.find(name); init != initializers.end())
    value = materializeInitializer(*init->second,
                                   NameLoc::get(StringAttr::get(context, name),
                                                fileLoc()));
  else {
    emitError(loc) << "value '" << name
                   << "' is used but never defined (missing initializer or "
                      "graph input?)";
    return failure();
  }
  if (failed(value))
    return failure();
  values[name] = *value;
  return *value;
}

LogicalResult
Importer::importNode(const onnx::NodeProto &node, int index,
                     const std::map<std::string, const OpEntry *> &table,
                     int64_t opset) {
  Location loc = nodeLoc(node, index);
  NodeContext ctx(*this, node, loc);
  std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
  auto it = table.find(domain + "::" + node.op_type());
  if (it == table.end()) {
    ctx.error() << "unsupported op '"
                << (domain.empty() ? "" : domain + ".") << node.op_type()
                << "'";
    return failure();
  }
  // Shape computations on known constants are evaluated here.
  if (std::optional<LogicalResult> folded = tryHostEvaluate(ctx))
    return *folded;
  return it->second->handler(ctx);
}

FailureOr<OwningOpRef<ModuleOp>>
Importer::run(onnx::ModelProto &model, const OnnxImportOptions &options) {
  onnx::GraphProto &graph = *model.mutable_graph();
  for (const onnx::TensorProto &init : graph.initializer())
    initializers[init.name()] = &init;
  for (const onnx::ValueInfoProto &info : graph.value_info())
    inferredTypes[info.name()] = &info.type();
  for (const onnx::ValueInfoProto &info : graph.output())
    inferredTypes[info.name()] = &info.type();

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(module->getBody());

  // Function signature: graph inputs that are not initializers.
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializers.count(input.name()))
      continue;
    FailureOr<RankedTensorType> type =
        typeFromProto(input.type(), input.name(), fileLoc());
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    argNames.push_back(input.name());
  }
  // Result types come from the returned values at the end: ONNX shape
  // inference cannot always see through shape computations that the import
  // evaluates (setOutput still checks every shape it did infer).
  auto func = func::FuncOp::create(builder, fileLoc(), "main",
                                   builder.getFunctionType(argTypes, {}));
  for (auto [i, name] : llvm::enumerate(argNames))
    func.setArgAttr(i, "fuse.name", builder.getStringAttr(name));
  Block *entry = func.addEntryBlock();
  for (auto [name, arg] : llvm::zip(argNames, entry->getArguments()))
    values[name] = arg;
  builder.setInsertionPointToEnd(entry);

  std::map<std::string, const OpEntry *> table;
  for (const OpEntry &entry : opTable())
    table[std::string(entry.domain) + "::" + entry.opType] = &entry;
  int64_t opset = kOnnxTargetOpset;
  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index, table, opset)))
      return failure();

  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    FailureOr<Value> value = lookup(output.name(), fileLoc());
    if (failed(value))
      return failure();
    auto declared = declaredOutputShapes.find(output.name());
    auto type = cast<RankedTensorType>(value->getType());
    if (declared != declaredOutputShapes.end()) {
      ArrayRef<int64_t> dims = declared->second;
      bool same = static_cast<int64_t>(dims.size()) == type.getRank();
      for (size_t d = 0; same && d < dims.size(); ++d)
        same = dims[d] < 0 || dims[d] == type.getDimSize(d);
      if (!same) {
        std::string text;
        llvm::raw_string_ostream os(text);
        llvm::interleave(
            dims, os, [&](int64_t d) { os << (d < 0 ? "?" : std::to_string(d)); },
            "x");
        fileError() << "graph output '" << output.name() << "' is declared as "
                    << (dims.empty() ? "a scalar" : text) << " but computes "
                    << type;
        return failure();
      }
    }
    results.push_back(*value);
  }
  func::ReturnOp::create(builder, fileLoc(), results);
  func.setType(builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "fuse.name", builder.getStringAttr(output.name()));

  // Drop ops whose results nobody uses (e.g. unused Dropout masks).
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(*entry)))
    if (isOpTriviallyDead(&op))
      op.erase();
  if (failed(mlir::verify(*module)))
    return failure();
  return module;
}

//===----------------------------------------------------------------------===//
// Loading, checking, binding, conversion
//===----------------------------------------------------------------------===//

FailureOr<std::pair<std::string, std::vector<int64_t>>>
mlir::fuse::parseInputShapeFlag(StringRef flag, std::string &error) {
  auto [name, dims] = flag.rsplit('=');
  if (name.empty() || !flag.contains('=')) {
    error = "expected NAME=D0xD1x... in --input-shape, got '" + flag.str() +
            "'";
    return failure();
  }
  std::vector<int64_t> shape;
  if (!dims.empty()) {
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      int64_t value;
      if (part.trim().getAsInteger(10, value) || value < 0) {
        error = "bad dim '" + part.str() + "' in --input-shape '" +
                flag.str() + "' (expected non-negative integers like 1x3x224x224)";
        return failure();
      }
      shape.push_back(value);
    }
  }
  return std::make_pair(name.str(), shape);
}

FailureOr<std::pair<std::string, int64_t>>
mlir::fuse::parseDimFlag(StringRef flag, std::string &error) {
  auto [name, text] = flag.rsplit('=');
  int64_t value;
  if (name.empty() || !flag.contains('=') || text.getAsInteger(10, value) ||
      value < 0) {
    error = "expected PARAM=VALUE with a non-negative integer in --dim, got '" +
            flag.str() + "'";
    return failure();
  }
  return std::make_pair(name.str(), value);
}

LogicalResult mlir::fuse::parseImportFlags(ArrayRef<std::string> inputShapes,
                                           ArrayRef<std::string> dims,
                                           OnnxImportOptions &options,
                                           std::string &error) {
  for (const std::string &flag : inputShapes) {
    auto parsed = parseInputShapeFlag(flag, error);
    if (failed(parsed))
      return failure();
    options.inputShapes.push_back(*parsed);
  }
  for (const std::string &flag : dims) {
    auto parsed = parseDimFlag(flag, error);
    if (failed(parsed))
      return failure();
    options.dimParams.push_back(*parsed);
  }
  return success();
}

/// Binds the dims of graph inputs; errors name the input and dim parameter.
static LogicalResult bindInputShapes(onnx::GraphProto &graph,
                                     const OnnxImportOptions &options,
                                     Importer &importer) {
  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &init : graph.initializer())
    initializerNames.insert(init.name());
  std::map<std::string, int64_t> dims(options.dimParams.begin(),
                                      options.dimParams.end());
  llvm::StringSet<> inputNames;
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!initializerNames.count(input.name()))
      inputNames.insert(input.name());
  for (const auto &[name, shape] : options.inputShapes)
    if (!inputNames.count(name)) {
      std::string known;
      for (const onnx::ValueInfoProto &input : graph.input())
        if (!initializerNames.count(input.name()))
          known += (known.empty() ? "" : ", ") + input.name();
      importer.fileError() << "--input-shape names '" << name
                           << "', which is not a graph input (inputs: "
                           << known << ")";
      return failure();
    }
  for (onnx::ValueInfoProto &input : *graph.mutable_input()) {
    if (initializerNames.count(input.name()))
      continue;
    if (!input.type().has_tensor_type()) {
      importer.fileError() << "graph input '" << input.name()
                           << "' is not a tensor";
      return failure();
    }
    auto *tensor = input.mutable_type()->mutable_tensor_type();
    auto *shapeProto = tensor->mutable_shape();
    for (const auto &[name, shape] : options.inputShapes) {
      if (name != input.name())
        continue;
      if (tensor->has_shape() &&
          shapeProto->dim_size() != static_cast<int>(shape.size())) {
        importer.fileError() << "--input-shape " << name << " has rank "
                             << shape.size() << " but the model's input has rank "
                             << shapeProto->dim_size();
        return failure();
      }
      for (int i = 0, e = shapeProto->dim_size(); i < e; ++i) {
        const auto &dim = shapeProto->dim(i);
        if (dim.has_dim_value() && dim.dim_value() != shape[i]) {
          importer.fileError()
              << "--input-shape " << name << " sets dim " << i << " to "
              << shape[i] << " but the model fixes it to " << dim.dim_value();
          return failure();
        }
      }
      shapeProto->clear_dim();
      for (int64_t d : shape)
        shapeProto->add_dim()->set_dim_value(d);
    }
    if (!tensor->has_shape()) {
      importer.fileError() << "graph input '" << input.name()
                           << "' has no shape; bind it with --input-shape "
                           << input.name() << "=D0xD1x...";
      return failure();
    }
    for (int i = 0, e = shapeProto->dim_size(); i < e; ++i) {
      auto *dim = shapeProto->mutable_dim(i);
      if (dim->has_dim_value())
        continue;
      if (dim->has_dim_param()) {
        auto bound = dims.find(dim->dim_param());
        if (bound != dims.end()) {
          dim->set_dim_value(bound->second);
          continue;
        }
        importer.fileError()
            << "graph input '" << input.name() << "' dim " << i
            << " is dynamic ('" << dim->dim_param() << "'); bind it with --dim "
            << dim->dim_param() << "=<value> or --input-shape " << input.name()
            << "=D0xD1x...";
        return failure();
      }
      importer.fileError() << "graph input '" << input.name() << "' dim " << i
                           << " is unknown; bind it with --input-shape "
                           << input.name() << "=D0xD1x...";
      return failure();
    }
  }
  return success();
}

/// Exporters such as Paddle2ONNX store weights in `Constant` nodes. Large
/// ones become initializers, so that they are stripped around libonnx's
/// stages, never decoded on the host, and imported as dense_resource blobs.
static void hoistLargeConstants(onnx::GraphProto &graph) {
  auto *nodes = graph.mutable_node();
  int kept = 0;
  for (int i = 0, e = nodes->size(); i < e; ++i) {
    onnx::NodeProto &node = *nodes->Mutable(i);
    bool hoist = (node.domain().empty() || node.domain() == "ai.onnx") &&
                 node.op_type() == "Constant" && node.output_size() == 1 &&
                 node.attribute_size() == 1 &&
                 node.attribute(0).name() == "value" &&
                 node.attribute(0).has_t() &&
                 node.attribute(0).t().raw_data().size() > 4096;
    if (hoist) {
      onnx::TensorProto *tensor = graph.add_initializer();
      tensor->Swap(node.mutable_attribute(0)->mutable_t());
      tensor->set_name(node.output(0));
      continue;
    }
    if (kept != i)
      nodes->SwapElements(kept, i);
    ++kept;
  }
  while (nodes->size() > kept)
    nodes->RemoveLast();
}

/// Removes the data of large initializers (restored after conversion) so
/// that libonnx's version converter does not copy the weights.
static std::map<std::string, std::string>
stripLargeInitializers(onnx::GraphProto &graph) {
  std::map<std::string, std::string> saved;
  for (onnx::TensorProto &init : *graph.mutable_initializer())
    if (init.has_raw_data() && init.raw_data().size() > 4096)
      saved[init.name()].swap(*init.mutable_raw_data());
  return saved;
}

static void restoreInitializers(onnx::GraphProto &graph,
                                std::map<std::string, std::string> &saved) {
  for (onnx::TensorProto &init : *graph.mutable_initializer()) {
    auto it = saved.find(init.name());
    if (it != saved.end())
      init.mutable_raw_data()->swap(it->second);
  }
}

/// Runs a libonnx stage (checker, shape inference, version converter) on
/// `model` in a child process. libonnx 1.12 crashes on some malformed models
/// (division by zero in shape inference, null dereferences in the
/// converter); isolation turns any such crash or hang into one diagnostic
/// instead of taking the tool down. The stage returns an error message, or
/// "" on success; with `returnsModel` the child sends the updated model
/// back. Large weights are stripped before this is called, so the copy
/// through the pipe is small.
static LogicalResult
runIsolated(onnx::ModelProto &model, bool returnsModel, Importer &importer,
            const std::function<std::string(onnx::ModelProto &)> &stage) {
  int fds[2];
  if (pipe(fds) != 0) {
    importer.fileError() << "cannot create a pipe: " << strerror(errno);
    return failure();
  }
  llvm::errs().flush();
  llvm::outs().flush();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    importer.fileError() << "cannot fork: " << strerror(errno);
    return failure();
  }
  if (pid == 0) {
    // Child: default crash behaviour, quiet stderr, bounded time.
    close(fds[0]);
    for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT})
      signal(sig, SIG_DFL);
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0)
      dup2(devnull, STDERR_FILENO);
    alarm(300);
    std::string payload;
    std::string error = stage(model);
    if (!error.empty())
      payload = "E" + error;
    else if (returnsModel)
      payload = "M" + model.SerializeAsString();
    else
      payload = "O";
    const char *data = payload.data();
    size_t left = payload.size();
    while (left > 0) {
      ssize_t n = write(fds[1], data, left);
      if (n <= 0)
        _exit(3);
      data += n;
      left -= n;
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string payload;
  char chunk[1 << 16];
  while (true) {
    ssize_t n = read(fds[0], chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    payload.append(chunk, n);
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status) || payload.empty()) {
    importer.fileError()
        << "malformed model: libonnx "
        << (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM
                ? std::string("timed out")
                : "crashed (signal " +
                      std::to_string(WIFSIGNALED(status) ? WTERMSIG(status)
                                                         : 0) +
                      ")")
        << " while checking it";
    return failure();
  }
  if (payload[0] == 'E') {
    importer.fileError() << llvm::StringRef(payload).drop_front().trim();
    return failure();
  }
  if (payload[0] == 'M' &&
      !model.ParseFromArray(payload.data() + 1,
                            static_cast<int>(payload.size() - 1))) {
    importer.fileError() << "internal: cannot read back the checked model";
    return failure();
  }
  return success();
}

static FailureOr<OwningOpRef<ModuleOp>>
importModel(MLIRContext *context, onnx::ModelProto &model, StringRef name,
            const OnnxImportOptions &options) {
  context->loadDialect<FuseDialect, func::FuncDialect>();
  Importer importer(context, name);
  if (!model.has_graph()) {
    importer.fileError() << "not an ONNX model (no graph)";
    return failure();
  }
  if (model.ir_version() < 3 || model.ir_version() > onnx::IR_VERSION) {
    importer.fileError() << "unsupported ONNX IR version " << model.ir_version()
                         << " (supported: 3.." << static_cast<int64_t>(onnx::IR_VERSION)
                         << ")";
    return failure();
  }
  int64_t opset = -1;
  for (const auto &import : model.opset_import())
    if (import.domain().empty() || import.domain() == "ai.onnx")
      opset = import.version();
  if (opset < 0) {
    importer.fileError() << "model imports no version of the default ONNX domain";
    return failure();
  }
  if (opset > kOnnxTargetOpset) {
    importer.fileError() << "model opset " << opset
                         << " is newer than the supported opset "
                         << kOnnxTargetOpset;
    return failure();
  }
  if (failed(runIsolated(
          model, /*returnsModel=*/false, importer,
          [](onnx::ModelProto &m) -> std::string {
            try {
              onnx::checker::check_model(m);
            } catch (const std::exception &e) {
              return std::string("invalid ONNX model: ") + e.what();
            }
            return "";
          })))
    return failure();
  hoistLargeConstants(*model.mutable_graph());
  // What libonnx's checker leaves to us, and the converter would crash on:
  // undefined graph outputs and ops nobody can import.
  {
    llvm::StringSet<> defined;
    for (const onnx::ValueInfoProto &input : model.graph().input())
      defined.insert(input.name());
    for (const onnx::TensorProto &init : model.graph().initializer())
      defined.insert(init.name());
    std::set<std::string> known;
    for (const OpEntry &entry : opTable())
      known.insert(std::string(entry.domain) + "::" + entry.opType);
    for (auto [index, node] : llvm::enumerate(model.graph().node())) {
      std::string domain = node.domain() == "ai.onnx" ? "" : node.domain();
      if (!known.count(domain + "::" + node.op_type())) {
        emitError(importer.nodeLoc(node, index))
            << "node '" << cast<NameLoc>(importer.nodeLoc(node, index))
                               .getName()
                               .getValue()
            << "' (" << node.op_type() << "): unsupported op '"
            << (domain.empty() ? "" : domain + ".") << node.op_type() << "'";
        return failure();
      }
      for (const std::string &output : node.output())
        defined.insert(output);
    }
    for (const onnx::ValueInfoProto &output : model.graph().output())
      if (!defined.count(output.name())) {
        importer.fileError() << "graph output '" << output.name()
                             << "' is not produced by any node";
        return failure();
      }
  }
  if (failed(bindInputShapes(*model.mutable_graph(), options, importer)))
    return failure();
  // Stale intermediate shapes may still carry dynamic dims; re-infer them,
  // remembering what the outputs declare.
  model.mutable_graph()->clear_value_info();
  for (onnx::ValueInfoProto &output :
       *model.mutable_graph()->mutable_output()) {
    if (!output.type().has_tensor_type())
      continue;
    auto *tensor = output.mutable_type()->mutable_tensor_type();
    if (tensor->has_shape()) {
      SmallVector<int64_t> dims;
      for (const auto &dim : tensor->shape().dim())
        dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
      importer.declaredOutputShapes[output.name()] = dims;
    }
    tensor->clear_shape();
  }

  std::map<std::string, std::string> saved =
      stripLargeInitializers(*model.mutable_graph());
  // Softmax before opset 13 flattens from `axis`; the converter's adapter
  // needs shapes that are only known after conversion, so these nodes pass
  // through it as Identity and get their old semantics at import.
  // Upsample and Resize before opset 11 use asymmetric coordinates (and
  // floor for nearest); libonnx 1.12's converter drops that, so the
  // attributes are restored on the converted Resize.
  std::set<std::string> legacyResize;
  if (opset < 11)
    for (const onnx::NodeProto &node : model.graph().node())
      if ((node.domain().empty() || node.domain() == "ai.onnx") &&
          (node.op_type() == "Upsample" || node.op_type() == "Resize") &&
          node.output_size() > 0)
        legacyResize.insert(node.output(0));
  std::map<std::string, std::string> legacyOps;
  if (opset < 13)
    for (onnx::NodeProto &node : *model.mutable_graph()->mutable_node()) {
      if (!node.domain().empty() && node.domain() != "ai.onnx")
        continue;
      if (node.op_type() != "Softmax" && node.op_type() != "LogSoftmax")
        continue;
      int64_t axis = 1;
      for (const onnx::AttributeProto &a : node.attribute())
        if (a.name() == "axis")
          axis = a.i();
      importer.legacySoftmaxAxis[node.output(0)] = axis;
      legacyOps[node.output(0)] = node.op_type();
      node.set_op_type("Identity");
      node.clear_attribute();
    }
  LogicalResult prepared = runIsolated(
      model, /*returnsModel=*/true, importer,
      [&](onnx::ModelProto &m) -> std::string {
        if (opset < kOnnxTargetOpset) {
          // Strict: malformed nodes must be rejected before the converter,
          // which does not validate its input. Some adapters (Softmax
          // 12->13) also need the shapes.
          try {
            onnx::ShapeInferenceOptions strict(/*check_type=*/true,
                                               /*strict_mode=*/1,
                                               /*data_prop=*/true);
            onnx::shape_inference::InferShapes(
                m, onnx::OpSchemaRegistry::Instance(), strict);
          } catch (const std::exception &e) {
            return std::string("shape inference failed: ") + e.what();
          }
          try {
            onnx::ModelProto converted =
                onnx::version_conversion::ConvertVersion(m, kOnnxTargetOpset);
            m.Swap(&converted);
          } catch (const std::exception &e) {
            return "cannot convert the model from opset " +
                   std::to_string(opset) + " to " +
                   std::to_string(kOnnxTargetOpset) + ": " + e.what();
          }
        }
        for (onnx::NodeProto &node : *m.mutable_graph()->mutable_node()) {
          if (node.output_size() == 0)
            continue;
          if (node.op_type() == "Identity")
            if (auto it = legacyOps.find(node.output(0));
                it != legacyOps.end())
              node.set_op_type(it->second);
          if (node.op_type() == "Resize" &&
              legacyResize.count(node.output(0))) {
            auto setDefault = [&](const char *name, const char *value) {
              for (const onnx::AttributeProto &a : node.attribute())
                if (a.name() == name)
                  return;
              onnx::AttributeProto *a = node.add_attribute();
              a->set_name(name);
              a->set_type(onnx::AttributeProto::STRING);
              a->set_s(value);
            };
            setDefault("coordinate_transformation_mode", "asymmetric");
            bool nearest = true;
            for (const onnx::AttributeProto &a : node.attribute())
              if (a.name() == "mode")
                nearest = a.s() == "nearest";
            if (nearest)
              setDefault("nearest_mode", "floor");
          }
        }
        m.mutable_graph()->clear_value_info();
        try {
          onnx::ShapeInferenceOptions inference(/*check_type=*/true,
                                                /*strict_mode=*/1,
                                                /*data_prop=*/true);
          onnx::shape_inference::InferShapes(
              m, onnx::OpSchemaRegistry::Instance(), inference);
        } catch (const std::exception &e) {
          return std::string("shape inference failed: ") + e.what();
        }
        return "";
      });
  if (failed(prepared))
    return failure();
  restoreInitializers(*model.mutable_graph(), saved);
  return importer.run(model, options);
}

/// Parses a model from memory (ONNX text or binary protobuf).
static LogicalResult parseModel(MLIRContext *context, StringRef buffer,
                                StringRef bufferName, bool isText,
                                onnx::ModelProto &model) {
  if (isText) {
    std::string text = buffer.str();
    onnx::Status status;
    try {
      status = onnx::OnnxParser::Parse(model, text.c_str());
    } catch (const std::exception &e) {
      return emitError(FileLineColLoc::get(context, bufferName, 0, 0))
             << "cannot parse ONNX text: " << e.what();
    }
    if (!status.IsOK())
      return emitError(FileLineColLoc::get(context, bufferName, 0, 0))
             << "cannot parse ONNX text: "
             << llvm::StringRef(status.ErrorMessage()).trim();
    return success();
  }
  if (buffer.size() > static_cast<size_t>(INT_MAX) ||
      !model.ParseFromArray(buffer.data(), static_cast<int>(buffer.size())))
    return emitError(FileLineColLoc::get(context, bufferName, 0, 0))
           << "not a valid ONNX protobuf (truncated or not a model)";
  return success();
}

FailureOr<OwningOpRef<ModuleOp>>
mlir::fuse::importOnnxBuffer(MLIRContext *context, StringRef buffer,
                             StringRef bufferName, bool isText,
                             const OnnxImportOptions &options) {
  onnx::ModelProto model;
  if (failed(parseModel(context, buffer, bufferName, isText, model)))
    return failure();
  return importModel(context, model, bufferName, options);
}

FailureOr<OwningOpRef<ModuleOp>>
mlir::fuse::importOnnxFile(MLIRContext *context, StringRef path,
                           const OnnxImportOptions &options) {
  onnx::ModelProto model;
  {
    // The file is released as soon as it is parsed.
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
        llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                    /*RequiresNullTerminator=*/false);
    if (std::error_code ec = file.getError()) {
      emitError(FileLineColLoc::get(context, path, 0, 0))
          << "cannot open file: " << ec.message();
      return failure();
    }
    if (failed(parseModel(context, (*file)->getBuffer(), path,
                          path.ends_with(".onnxtxt"), model)))
      return failure();
  }
  return importModel(context, model, path, options);
}
