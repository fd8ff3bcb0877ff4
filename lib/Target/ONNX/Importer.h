//===- Importer.h - ONNX importer internals ---------------------*- C++ -*-===//
//
// Shared between the import driver (Importer.cpp) and the op table
// (OnnxOps.cpp). Not installed.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_TARGET_ONNX_IMPORTER_H
#define FUSE_LIB_TARGET_ONNX_IMPORTER_H

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "Fuse/Target/ONNX/ImportONNX.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

#include <functional>
#include <map>
#include <optional>

namespace mlir {
namespace fuse {
namespace onnx_import {

/// A small tensor known at import time: initializers read by shape
/// computations, `Constant` nodes, and folded shape subgraphs. Integers and
/// booleans live in `ints`, floating-point values in `reals`.
struct HostTensor {
  int32_t dtype = onnx::TensorProto::INT64;
  SmallVector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> reals;

  bool isFloat() const {
    return dtype == onnx::TensorProto::FLOAT ||
           dtype == onnx::TensorProto::FLOAT16 ||
           dtype == onnx::TensorProto::BFLOAT16 ||
           dtype == onnx::TensorProto::DOUBLE;
  }
  int64_t size() const { return isFloat() ? reals.size() : ints.size(); }
  double real(int64_t i) const {
    return isFloat() ? reals[i] : static_cast<double>(ints[i]);
  }
  int64_t integer(int64_t i) const {
    return isFloat() ? static_cast<int64_t>(reals[i]) : ints[i];
  }
  std::vector<int64_t> asInts() const;
  std::vector<double> asReals() const;
};

class Importer;

/// What a handler sees of one node.
class NodeContext {
public:
  NodeContext(Importer &importer, const onnx::NodeProto &node, Location loc)
      : importer(importer), node(node), loc(loc) {}

  Importer &importer;
  const onnx::NodeProto &node;
  Location loc;

  int numInputs() const { return node.input_size(); }
  int numOutputs() const { return node.output_size(); }
  /// True when input `i` is present (ONNX marks absent optionals with "").
  bool hasInput(int i) const {
    return i < node.input_size() && !node.input(i).empty();
  }
  bool hasOutput(int i) const {
    return i < node.output_size() && !node.output(i).empty();
  }

  /// Input `i` as an SSA tensor (constants are materialized); emits an
  /// error when it is missing.
  FailureOr<Value> input(int i);
  /// Input `i` as a known constant, or null when it is absent or computed.
  const HostTensor *constInput(int i);
  /// Like constInput, but an error when the input is present but not
  /// constant (`what` names it in the message).
  FailureOr<const HostTensor *> requireConstInput(int i, StringRef what);

  const onnx::AttributeProto *attr(StringRef name) const;
  int64_t attrInt(StringRef name, int64_t fallback) const;
  float attrFloat(StringRef name, float fallback) const;
  std::string attrString(StringRef name, StringRef fallback) const;
  std::vector<int64_t> attrInts(StringRef name) const;
  std::vector<float> attrFloats(StringRef name) const;

  /// The statically inferred type of output `i` from ONNX shape inference.
  FailureOr<RankedTensorType> outputType(int i);

  /// Binds output `i` to `value`.
  LogicalResult setOutput(int i, Value value);
  /// Binds output `i` to a constant known at import time.
  LogicalResult setConstOutput(int i, HostTensor value);

  /// Emits an error located at this node.
  InFlightDiagnostic error();

  /// Creates a fuse op, inferring its result types when `resultTypes` is
  /// empty, and verifies it; failures emit an error at this node.
  template <typename OpTy>
  FailureOr<Operation *> create(ValueRange operands,
                                ArrayRef<NamedAttribute> attrs = {},
                                TypeRange resultTypes = {});
  template <typename OpTy>
  FailureOr<Value> create1(ValueRange operands,
                           ArrayRef<NamedAttribute> attrs = {},
                           TypeRange resultTypes = {}) {
    FailureOr<Operation *> op = create<OpTy>(operands, attrs, resultTypes);
    if (failed(op))
      return failure();
    return (*op)->getResult(0);
  }

  /// Helpers building common ops.
  FailureOr<Value> reshape(Value value, ArrayRef<int64_t> shape);
  FailureOr<Value> constant(HostTensor value);
  FailureOr<Value> scalarLike(Value like, double value);
  NamedAttribute named(StringRef name, Attribute value);
  OpBuilder &builder();
};

using Handler = std::function<LogicalResult(NodeContext &)>;

struct OpEntry {
  const char *domain;
  const char *opType;
  int64_t sinceVersion;
  const char *lowering;
  Handler handler;
};

/// The op table (OnnxOps.cpp).
const std::vector<OpEntry> &opTable();

/// Host evaluation of shape-computation nodes whose inputs are all known;
/// returns std::nullopt when the node is not host-evaluable (OnnxOps.cpp).
std::optional<LogicalResult> tryHostEvaluate(NodeContext &ctx);

/// Maps an ONNX element type to MLIR; null when unsupported.
Type elementTypeFor(MLIRContext *context, int32_t dtype);

class Importer {
public:
  Importer(MLIRContext *context, StringRef fileName)
      : context(context), builder(context), fileName(fileName.str()) {}

  FailureOr<OwningOpRef<ModuleOp>> run(onnx::ModelProto &model,
                                       const OnnxImportOptions &options);

  MLIRContext *context;
  OpBuilder builder;
  std::string fileName;

  /// SSA values by ONNX name.
  llvm::StringMap<Value> values;
  /// Import-time constants by ONNX name.
  llvm::StringMap<HostTensor> constants;
  /// Initializers not yet decoded (weights are decoded only when needed).
  llvm::StringMap<const onnx::TensorProto *> initializers;
  /// Softmax/LogSoftmax nodes from opsets before 13, by output name, with
  /// their axis: they normalize over the flattened trailing dims from `axis`.
  /// libonnx's converter cannot upgrade them without shapes, so they bypass
  /// it and keep their old semantics here.
  llvm::StringMap<int64_t> legacySoftmaxAxis;
  /// The graph outputs' declared shapes (-1 for a symbolic or unknown dim),
  /// checked against what the import computes.
  llvm::StringMap<SmallVector<int64_t>> declaredOutputShapes;
  /// Types from ONNX shape inference by value name.
  llvm::StringMap<const onnx::TypeProto *> inferredTypes;

  Location fileLoc();
  Location nodeLoc(const onnx::NodeProto &node, int index);
  InFlightDiagnostic fileError();

  /// SSA value for `name`, materializing constants and initializers.
  FailureOr<Value> lookup(StringRef name, Location loc);
  /// Known constant for `name` (decoding small initializers on demand).
  const HostTensor *lookupConst(StringRef name);
  FailureOr<Value> materialize(const HostTensor &value, Location loc);
  FailureOr<Value> materializeInitializer(const onnx::TensorProto &tensor,
                                          Location loc);
  FailureOr<RankedTensorType> typeFromProto(const onnx::TypeProto &type,
                                            StringRef valueName,
                                            Location loc);

private:
  LogicalResult importNode(const onnx::NodeProto &node, int index,
                           const std::map<std::string, const OpEntry *> &table,
                           int64_t opset);
};

/// Decodes a TensorProto into a host tensor.
FailureOr<HostTensor> decodeTensor(const onnx::TensorProto &tensor,
                                   std::string &error);

template <typename OpTy>
FailureOr<Operation *> NodeContext::create(ValueRange operands,
                                           ArrayRef<NamedAttribute> attrs,
                                           TypeRange resultTypes) {
  MLIRContext *context = importer.context;
  DictionaryAttr dict = DictionaryAttr::get(context, attrs);
  SmallVector<Type> types(resultTypes);
  if (types.empty()) {
    if constexpr (OpTy::template hasTrait<InferTypeOpInterface::Trait>()) {
      typename OpTy::Properties properties;
      OperationName(OpTy::getOperationName(), context)
          .populateDefaultProperties(OpaqueProperties(&properties));
      if (failed(OpTy::setPropertiesFromAttr(
              properties, dict, [&] { return error(); })))
        return failure();
      if (failed(OpTy::inferReturnTypes(context, loc, operands, dict,
                                        OpaqueProperties(&properties), {},
                                        types)))
        return failure();
    } else {
      error() << "internal: '" << OpTy::getOperationName()
              << "' needs explicit result types";
      return failure();
    }
  }
  OperationState state(loc, OpTy::getOperationName());
  state.addOperands(operands);
  state.addTypes(types);
  state.addAttributes(attrs);
  Operation *op = importer.builder.create(state);
  if (failed(mlir::verify(op))) {
    op->erase();
    return failure();
  }
  return op;
}

} // namespace onnx_import
} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_TARGET_ONNX_IMPORTER_H
