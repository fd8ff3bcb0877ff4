//===- OnnxOps.cpp - The ONNX op table and its handlers -------------------===//
//
// One entry per ONNX op: domain, the opset version whose form the handler
// implements (models are converted to opset 17 first), the fuse ops it
// becomes, and the handler. Shape computations on known values (Shape,
// Gather of a shape, Concat of dims, ...) are evaluated at import time by
// tryHostEvaluate and never reach the IR.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::onnx_import;

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

InFlightDiagnostic NodeContext::error() {
  return emitError(loc) << "node '"
                        << cast<NameLoc>(loc).getName().getValue() << "' ("
                        << node.op_type() << "): ";
}

OpBuilder &NodeContext::builder() { return importer.builder; }

NamedAttribute NodeContext::named(StringRef name, Attribute value) {
  return NamedAttribute(StringAttr::get(importer.context, name), value);
}

FailureOr<Value> NodeContext::input(int i) {
  if (!hasInput(i)) {
    error() << "missing required input #" << i;
    return failure();
  }
  return importer.lookup(node.input(i), loc);
}

const HostTensor *NodeContext::constInput(int i) {
  if (!hasInput(i))
    return nullptr;
  return importer.lookupConst(node.input(i));
}

FailureOr<const HostTensor *> NodeContext::requireConstInput(int i,
                                                             StringRef what) {
  const HostTensor *value = constInput(i);
  if (!value) {
    error() << "'" << what << "' (input #" << i
            << ") must be known at import time, but it is computed at run "
               "time";
    return failure();
  }
  return value;
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::attrInt(StringRef name, int64_t fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a && a->has_i() ? a->i() : fallback;
}

float NodeContext::attrFloat(StringRef name, float fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a && a->has_f() ? a->f() : fallback;
}

std::string NodeContext::attrString(StringRef name, StringRef fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a && a->has_s() ? a->s() : fallback.str();
}

std::vector<int64_t> NodeContext::attrInts(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return {};
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

std::vector<float> NodeContext::attrFloats(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return {};
  return std::vector<float>(a->floats().begin(), a->floats().end());
}

FailureOr<RankedTensorType> NodeContext::outputType(int i) {
  if (!hasOutput(i)) {
    error() << "missing output #" << i;
    return failure();
  }
  auto it = importer.inferredTypes.find(node.output(i));
  if (it == importer.inferredTypes.end()) {
    error() << "ONNX shape inference gave no type for output '"
            << node.output(i) << "'";
    return failure();
  }
  return importer.typeFromProto(*it->second, node.output(i), loc);
}

LogicalResult NodeContext::setOutput(int i, Value value) {
  if (!hasOutput(i))
    return success();
  auto it = importer.inferredTypes.find(node.output(i));
  if (it != importer.inferredTypes.end() &&
      it->second->tensor_type().has_shape()) {
    const auto &shape = it->second->tensor_type().shape();
    auto type = cast<RankedTensorType>(value.getType());
    bool same = shape.dim_size() == type.getRank();
    for (int d = 0; same && d < shape.dim_size(); ++d)
      if (shape.dim(d).has_dim_value() &&
          shape.dim(d).dim_value() != type.getDimSize(d))
        same = false;
    if (!same) {
      std::string expected;
      for (const auto &dim : shape.dim())
        expected += (expected.empty() ? "" : "x") +
                    (dim.has_dim_value() ? std::to_string(dim.dim_value())
                                         : std::string("?"));
      error() << "inconsistent shapes for output '" << node.output(i)
              << "': the import computed " << type
              << " but ONNX shape inference says " << expected;
      return failure();
    }
  }
  importer.values[node.output(i)] = value;
  return success();
}

LogicalResult NodeContext::setConstOutput(int i, HostTensor value) {
  if (!hasOutput(i))
    return success();
  importer.constants[node.output(i)] = std::move(value);
  return success();
}

FailureOr<Value> NodeContext::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  return create1<ReshapeOp>(
      {value}, {}, {RankedTensorType::get(shape, type.getElementType())});
}

FailureOr<Value> NodeContext::constant(HostTensor value) {
  return importer.materialize(value, loc);
}

FailureOr<Value> NodeContext::scalarLike(Value like, double value) {
  Type element = cast<ShapedType>(like.getType()).getElementType();
  auto type = RankedTensorType::get({}, element);
  Attribute scalar;
  if (auto f = dyn_cast<FloatType>(element))
    scalar = FloatAttr::get(f, value);
  else
    scalar = IntegerAttr::get(element, static_cast<int64_t>(value));
  return ConstantOp::create(builder(), loc,
                            DenseElementsAttr::get(type, scalar))
      .getResult();
}

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

static RankedTensorType typeOf(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// Normalizes a possibly negative axis; fails with a diagnostic.
static FailureOr<int64_t> normAxis(NodeContext &c, int64_t axis,
                                   int64_t rank) {
  if (axis < -rank || axis >= std::max<int64_t>(rank, 1)) {
    c.error() << "axis " << axis << " is out of range for rank " << rank;
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

static Attribute i64Array(NodeContext &c, ArrayRef<int64_t> values) {
  return DenseI64ArrayAttr::get(c.importer.context, values);
}
static Attribute i64(NodeContext &c, int64_t value) {
  return IntegerAttr::get(IntegerType::get(c.importer.context, 64), value);
}
static Attribute f32(NodeContext &c, double value) {
  return FloatAttr::get(Float32Type::get(c.importer.context), value);
}
static Attribute f64(NodeContext &c, double value) {
  return FloatAttr::get(Float64Type::get(c.importer.context), value);
}
static Attribute boolean(NodeContext &c, bool value) {
  return BoolAttr::get(c.importer.context, value);
}

/// Builds `OpTy(inputs...)` and binds output 0.
template <typename OpTy>
static LogicalResult emitSimple(NodeContext &c, ValueRange operands,
                                ArrayRef<NamedAttribute> attrs = {},
                                TypeRange types = {}) {
  FailureOr<Value> result = c.create1<OpTy>(operands, attrs, types);
  if (failed(result))
    return failure();
  return c.setOutput(0, *result);
}

using AttrFn = std::function<SmallVector<NamedAttribute>(NodeContext &)>;

template <typename OpTy>
static Handler unary(AttrFn attrs = nullptr) {
  return [attrs](NodeContext &c) -> LogicalResult {
    FailureOr<Value> x = c.input(0);
    if (failed(x))
      return failure();
    SmallVector<NamedAttribute> a;
    if (attrs)
      a = attrs(c);
    return emitSimple<OpTy>(c, {*x}, a);
  };
}

template <typename OpTy>
static Handler binary() {
  return [](NodeContext &c) -> LogicalResult {
    FailureOr<Value> a = c.input(0), b = c.input(1);
    if (failed(a) || failed(b))
      return failure();
    return emitSimple<OpTy>(c, {*a, *b});
  };
}

/// Left fold of a variadic op (Max, Min, Sum); Mean divides at the end.
template <typename OpTy>
static Handler variadic(bool mean = false) {
  return [mean](NodeContext &c) -> LogicalResult {
    FailureOr<Value> acc = c.input(0);
    if (failed(acc))
      return failure();
    for (int i = 1; i < c.numInputs(); ++i) {
      FailureOr<Value> next = c.input(i);
      if (failed(next))
        return failure();
      acc = c.create1<OpTy>({*acc, *next});
      if (failed(acc))
        return failure();
    }
    if (mean && c.numInputs() > 1) {
      FailureOr<Value> n = c.scalarLike(*acc, c.numInputs());
      if (failed(n))
        return failure();
      acc = c.create1<DivOp>({*acc, *n});
      if (failed(acc))
        return failure();
    }
    return c.setOutput(0, *acc);
  };
}

/// Comparison followed by `not` (LessOrEqual = not Greater, ...).
template <typename OpTy>
static Handler negatedCompare() {
  return [](NodeContext &c) -> LogicalResult {
    FailureOr<Value> a = c.input(0), b = c.input(1);
    if (failed(a) || failed(b))
      return failure();
    FailureOr<Value> cmp = c.create1<OpTy>({*a, *b});
    if (failed(cmp))
      return failure();
    return emitSimple<NotOp>(c, {*cmp});
  };
}

/// Explicit pads from ONNX's `auto_pad` for a sliding window.
static FailureOr<SmallVector<int64_t>>
windowPads(NodeContext &c, ArrayRef<int64_t> inSpatial,
           ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
           ArrayRef<int64_t> dilations) {
  size_t n = inSpatial.size();
  std::string autoPad = c.attrString("auto_pad", "NOTSET");
  std::vector<int64_t> pads = c.attrInts("pads");
  if (autoPad == "NOTSET") {
    if (pads.empty())
      return SmallVector<int64_t>(2 * n, 0);
    if (pads.size() != 2 * n) {
      c.error() << "'pads' has " << pads.size() << " entries, expected "
                << 2 * n;
      return failure();
    }
    return SmallVector<int64_t>(pads.begin(), pads.end());
  }
  SmallVector<int64_t> result(2 * n, 0);
  if (autoPad == "VALID")
    return result;
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER") {
    c.error() << "unknown auto_pad '" << autoPad << "'";
    return failure();
  }
  for (size_t i = 0; i < n; ++i) {
    int64_t s = strides.empty() ? 1 : strides[i];
    int64_t d = dilations.empty() ? 1 : dilations[i];
    int64_t out = (inSpatial[i] + s - 1) / s;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * s + (kernel[i] - 1) * d + 1 -
                                 inSpatial[i]);
    int64_t small = total / 2, large = total - small;
    result[i] = autoPad == "SAME_UPPER" ? small : large;
    result[i + n] = autoPad == "SAME_UPPER" ? large : small;
  }
  return result;
}

static LogicalResult checkWindowAttr(NodeContext &c, StringRef name,
                                     ArrayRef<int64_t> values, size_t n) {
  if (!values.empty() && values.size() != n) {
    c.error() << "'" << name << "' has " << values.size()
              << " entries, expected " << n;
    return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Handlers
//===----------------------------------------------------------------------===//

/// Chains fuse ops on one node, stopping at the first failure.
namespace {
struct Chain {
  NodeContext &c;
  bool ok = true;

  template <typename OpTy>
  Value op(ValueRange operands, ArrayRef<NamedAttribute> attrs = {},
           TypeRange types = {}) {
    if (!ok)
      return nullptr;
    for (Value v : operands)
      if (!v)
        return nullptr;
    FailureOr<Value> r = c.create1<OpTy>(operands, attrs, types);
    if (failed(r)) {
      ok = false;
      return nullptr;
    }
    return *r;
  }
  Value scalar(Value like, double value) {
    if (!ok || !like)
      return nullptr;
    FailureOr<Value> r = c.scalarLike(like, value);
    if (failed(r)) {
      ok = false;
      return nullptr;
    }
    return *r;
  }
  Value reshape(Value v, ArrayRef<int64_t> shape) {
    if (!ok || !v)
      return nullptr;
    FailureOr<Value> r = c.reshape(v, shape);
    if (failed(r)) {
      ok = false;
      return nullptr;
    }
    return *r;
  }
  Value value(FailureOr<Value> v) {
    if (failed(v))
      ok = false;
    return ok ? *v : nullptr;
  }
  LogicalResult output(Value v) {
    if (!ok || !v)
      return failure();
    return c.setOutput(0, v);
  }
};
} // namespace


static LogicalResult importCast(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  int64_t to = c.attrInt("to", 0);
  Type element = elementTypeFor(c.importer.context, to);
  if (!element) {
    c.error() << "cast to unsupported element type "
              << (onnx::TensorProto::DataType_IsValid(to)
                      ? onnx::TensorProto::DataType_Name(
                            static_cast<onnx::TensorProto::DataType>(to))
                      : "#" + std::to_string(to));
    return failure();
  }
  return emitSimple<CastOp>(c, {*x}, {}, {typeOf(*x).clone(element)});
}

static LogicalResult importClip(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  Value result = *x;
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  // Runtime bounds become max/min ops; constant bounds are attributes.
  for (int i = 1; i <= 2; ++i) {
    if (!c.hasInput(i))
      continue;
    if (const HostTensor *bound = c.constInput(i)) {
      if (bound->size() != 1) {
        c.error() << "clip bound must be a scalar";
        return failure();
      }
      (i == 1 ? lo : hi) = bound->real(0);
      continue;
    }
    FailureOr<Value> b = c.input(i);
    if (failed(b))
      return failure();
    FailureOr<Value> r = i == 1 ? c.create1<MaxOp>({result, *b})
                                : c.create1<MinOp>({result, *b});
    if (failed(r))
      return failure();
    result = *r;
  }
  if (lo > hi) {
    c.error() << "clip min " << lo << " exceeds max " << hi;
    return failure();
  }
  return emitSimple<ClipOp>(c, {result},
                            {c.named("min", f64(c, lo)),
                             c.named("max", f64(c, hi))});
}

static LogicalResult importPRelu(NodeContext &c) {
  FailureOr<Value> x = c.input(0), slope = c.input(1);
  if (failed(x) || failed(slope))
    return failure();
  FailureOr<Value> zero = c.scalarLike(*x, 0.0);
  if (failed(zero))
    return failure();
  FailureOr<Value> negative = c.create1<LessOp>({*x, *zero});
  FailureOr<Value> scaled = c.create1<MulOp>({*x, *slope});
  if (failed(negative) || failed(scaled))
    return failure();
  return emitSimple<SelectOp>(c, {*negative, *scaled, *x});
}

static LogicalResult importPow(NodeContext &c) {
  FailureOr<Value> a = c.input(0), b = c.input(1);
  if (failed(a) || failed(b))
    return failure();
  Type element = typeOf(*a).getElementType();
  Type exponent = typeOf(*b).getElementType();
  if (exponent == element)
    return emitSimple<PowOp>(c, {*a, *b});
  // An integer base with a float exponent is computed in floating point and
  // cast back (ONNX: the result has the base's type); otherwise the exponent
  // takes the base's type.
  if (isa<IntegerType>(element) && isa<FloatType>(exponent)) {
    FailureOr<Value> base =
        c.create1<CastOp>({*a}, {}, {typeOf(*a).clone(exponent)});
    if (failed(base))
      return failure();
    FailureOr<Value> power = c.create1<PowOp>({*base, *b});
    if (failed(power))
      return failure();
    return emitSimple<CastOp>(
        c, {*power}, {}, {typeOf(*power).clone(element)});
  }
  b = c.create1<CastOp>({*b}, {}, {typeOf(*b).clone(element)});
  if (failed(b))
    return failure();
  return emitSimple<PowOp>(c, {*a, *b});
}

static LogicalResult importMod(NodeContext &c) {
  FailureOr<Value> a = c.input(0), b = c.input(1);
  if (failed(a) || failed(b))
    return failure();
  return emitSimple<ModOp>(
      c, {*a, *b}, {c.named("fmod", boolean(c, c.attrInt("fmod", 0) != 0))});
}

static LogicalResult importMatMul(NodeContext &c) {
  FailureOr<Value> a = c.input(0), b = c.input(1);
  if (failed(a) || failed(b))
    return failure();
  // numpy semantics for 1-D operands: promote, multiply, drop the dim.
  bool vecA = typeOf(*a).getRank() == 1, vecB = typeOf(*b).getRank() == 1;
  if (vecA)
    a = c.reshape(*a, {1, typeOf(*a).getDimSize(0)});
  if (vecB && succeeded(a))
    b = c.reshape(*b, {typeOf(*b).getDimSize(0), 1});
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> product = c.create1<MatMulOp>({*a, *b});
  if (failed(product))
    return failure();
  if (vecA || vecB) {
    SmallVector<int64_t> shape(typeOf(*product).getShape());
    if (vecB)
      shape.erase(shape.end() - 1);
    if (vecA)
      shape.erase(shape.end() - (vecB ? 1 : 2));
    product = c.reshape(*product, shape);
    if (failed(product))
      return failure();
  }
  return c.setOutput(0, *product);
}

static LogicalResult importGemm(NodeContext &c) {
  FailureOr<Value> a = c.input(0), b = c.input(1);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> result = c.create1<MatMulOp>(
      {*a, *b},
      {c.named("transpose_a", boolean(c, c.attrInt("transA", 0) != 0)),
       c.named("transpose_b", boolean(c, c.attrInt("transB", 0) != 0))});
  if (failed(result))
    return failure();
  float alpha = c.attrFloat("alpha", 1.0f), beta = c.attrFloat("beta", 1.0f);
  if (alpha != 1.0f) {
    FailureOr<Value> s = c.scalarLike(*result, alpha);
    if (failed(s) || failed(result = c.create1<MulOp>({*result, *s})))
      return failure();
  }
  if (c.hasInput(2) && beta != 0.0f) {
    FailureOr<Value> bias = c.input(2);
    if (failed(bias))
      return failure();
    if (beta != 1.0f) {
      FailureOr<Value> s = c.scalarLike(*bias, beta);
      if (failed(s) || failed(bias = c.create1<MulOp>({*bias, *s})))
        return failure();
    }
    result = c.create1<AddOp>({*result, *bias});
    if (failed(result))
      return failure();
  }
  return c.setOutput(0, *result);
}

/// Input, weight and optional bias of Conv/ConvTranspose, checked for
/// matching ranks >= 3.
static FailureOr<SmallVector<Value>> convOperands(NodeContext &c) {
  FailureOr<Value> x = c.input(0), w = c.input(1);
  if (failed(x) || failed(w))
    return failure();
  SmallVector<Value> operands = {*x, *w};
  if (c.hasInput(2)) {
    FailureOr<Value> bias = c.input(2);
    if (failed(bias))
      return failure();
    operands.push_back(*bias);
  }
  RankedTensorType xt = typeOf(*x), wt = typeOf(*w);
  if (xt.getRank() < 3 || wt.getRank() != xt.getRank()) {
    c.error() << "expected input and weight of equal rank >= 3, got " << xt
              << " and " << wt;
    return failure();
  }
  return operands;
}

static LogicalResult importConv(NodeContext &c) {
  FailureOr<SmallVector<Value>> operandsOr = convOperands(c);
  if (failed(operandsOr))
    return failure();
  SmallVector<Value> operands = std::move(*operandsOr);
  RankedTensorType xt = typeOf(operands[0]), wt = typeOf(operands[1]);
  size_t n = xt.getRank() - 2;
  std::vector<int64_t> strides = c.attrInts("strides"),
                       dilations = c.attrInts("dilations"),
                       kernel = c.attrInts("kernel_shape");
  if (kernel.empty())
    kernel.assign(wt.getShape().begin() + 2, wt.getShape().end());
  if (failed(checkWindowAttr(c, "strides", strides, n)) ||
      failed(checkWindowAttr(c, "dilations", dilations, n)) ||
      failed(checkWindowAttr(c, "kernel_shape", kernel, n)))
    return failure();
  FailureOr<SmallVector<int64_t>> pads = windowPads(
      c, xt.getShape().drop_front(2), kernel, strides, dilations);
  if (failed(pads))
    return failure();
  return emitSimple<ConvOp>(
      c, operands,
      {c.named("strides", i64Array(c, strides)),
       c.named("dilations", i64Array(c, dilations)),
       c.named("pads", i64Array(c, *pads)),
       c.named("groups", i64(c, c.attrInt("group", 1)))});
}

static LogicalResult importConvTranspose(NodeContext &c) {
  FailureOr<SmallVector<Value>> operandsOr = convOperands(c);
  if (failed(operandsOr))
    return failure();
  SmallVector<Value> operands = std::move(*operandsOr);
  RankedTensorType xt = typeOf(operands[0]), wt = typeOf(operands[1]);
  size_t n = xt.getRank() - 2;
  std::vector<int64_t> strides = c.attrInts("strides"),
                       dilations = c.attrInts("dilations"),
                       outputPadding = c.attrInts("output_padding"),
                       outputShape = c.attrInts("output_shape"),
                       pads = c.attrInts("pads");
  if (failed(checkWindowAttr(c, "strides", strides, n)) ||
      failed(checkWindowAttr(c, "dilations", dilations, n)) ||
      failed(checkWindowAttr(c, "output_padding", outputPadding, n)))
    return failure();
  std::string autoPad = c.attrString("auto_pad", "NOTSET");
  if (!outputShape.empty() && outputShape.size() == n + 2)
    outputShape.erase(outputShape.begin(), outputShape.begin() + 2);
  if (!outputShape.empty() || autoPad == "SAME_UPPER" ||
      autoPad == "SAME_LOWER") {
    if (!outputShape.empty() && outputShape.size() != n) {
      c.error() << "'output_shape' has " << outputShape.size()
                << " entries, expected " << n;
      return failure();
    }
    pads.assign(2 * n, 0);
    for (size_t i = 0; i < n; ++i) {
      int64_t s = strides.empty() ? 1 : strides[i];
      int64_t d = dilations.empty() ? 1 : dilations[i];
      int64_t op = outputPadding.empty() ? 0 : outputPadding[i];
      int64_t in = xt.getDimSize(i + 2), k = wt.getDimSize(i + 2);
      int64_t out = outputShape.empty() ? in * s : outputShape[i];
      int64_t total = s * (in - 1) + op + (k - 1) * d + 1 - out;
      if (total < 0) {
        // A larger requested output extends the end, as output_padding does.
        if (outputPadding.empty())
          outputPadding.assign(n, 0);
        outputPadding[i] += -total;
        total = 0;
      }
      bool upper = autoPad == "SAME_UPPER";
      pads[i] = upper ? total / 2 : total - total / 2;
      pads[i + n] = upper ? total - total / 2 : total / 2;
    }
  } else if (autoPad == "VALID") {
    pads.assign(2 * n, 0);
  }
  if (failed(checkWindowAttr(c, "pads", pads, 2 * n)))
    return failure();
  return emitSimple<ConvTransposeOp>(
      c, operands,
      {c.named("strides", i64Array(c, strides)),
       c.named("dilations", i64Array(c, dilations)),
       c.named("pads", i64Array(c, pads)),
       c.named("output_padding", i64Array(c, outputPadding)),
       c.named("groups", i64(c, c.attrInt("group", 1)))});
}

template <typename OpTy>
static LogicalResult importPool(NodeContext &c, bool average) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  if (c.hasOutput(1)) {
    c.error() << "the Indices output of MaxPool is not supported";
    return failure();
  }
  RankedTensorType xt = typeOf(*x);
  if (xt.getRank() < 3) {
    c.error() << "expected an input of rank >= 3, got " << xt;
    return failure();
  }
  size_t n = xt.getRank() - 2;
  std::vector<int64_t> kernel = c.attrInts("kernel_shape"),
                       strides = c.attrInts("strides"),
                       dilations = c.attrInts("dilations");
  if (kernel.size() != n) {
    c.error() << "'kernel_shape' must have " << n << " entries";
    return failure();
  }
  if (failed(checkWindowAttr(c, "strides", strides, n)) ||
      failed(checkWindowAttr(c, "dilations", dilations, n)))
    return failure();
  FailureOr<SmallVector<int64_t>> pads = windowPads(
      c, xt.getShape().drop_front(2), kernel, strides, dilations);
  if (failed(pads))
    return failure();
  SmallVector<NamedAttribute> attrs = {
      c.named("kernel_shape", i64Array(c, kernel)),
      c.named("strides", i64Array(c, strides)),
      c.named("dilations", i64Array(c, dilations)),
      c.named("pads", i64Array(c, *pads)),
      c.named("ceil_mode", boolean(c, c.attrInt("ceil_mode", 0) != 0))};
  if (average)
    attrs.push_back(c.named("count_include_pad",
                            boolean(c, c.attrInt("count_include_pad", 0) != 0)));
  return emitSimple<OpTy>(c, {*x}, attrs);
}

static Handler globalPool(ReduceKind kind) {
  return [kind](NodeContext &c) -> LogicalResult {
    FailureOr<Value> x = c.input(0);
    if (failed(x))
      return failure();
    SmallVector<int64_t> axes;
    for (int64_t i = 2; i < typeOf(*x).getRank(); ++i)
      axes.push_back(i);
    return emitSimple<ReduceOp>(
        c, {*x},
        {c.named("kind", ReduceKindAttr::get(c.importer.context, kind)),
         c.named("axes", i64Array(c, axes)),
         c.named("keepdims", boolean(c, true))});
  };
}

static Handler reduce(ReduceKind kind) {
  return [kind](NodeContext &c) -> LogicalResult {
    FailureOr<Value> x = c.input(0);
    if (failed(x))
      return failure();
    int64_t rank = typeOf(*x).getRank();
    std::vector<int64_t> axes = c.attrInts("axes");
    if (c.hasInput(1)) {
      FailureOr<const HostTensor *> t = c.requireConstInput(1, "axes");
      if (failed(t))
        return failure();
      axes = (*t)->asInts();
    }
    if (axes.empty() && c.attrInt("noop_with_empty_axes", 0))
      return c.setOutput(0, *x);
    SmallVector<int64_t> normalized;
    for (int64_t axis : axes) {
      FailureOr<int64_t> a = normAxis(c, axis, rank);
      if (failed(a))
        return failure();
      normalized.push_back(*a);
    }
    llvm::sort(normalized);
    normalized.erase(std::unique(normalized.begin(), normalized.end()),
                     normalized.end());
    return emitSimple<ReduceOp>(
        c, {*x},
        {c.named("kind", ReduceKindAttr::get(c.importer.context, kind)),
         c.named("axes", i64Array(c, normalized)),
         c.named("keepdims", boolean(c, c.attrInt("keepdims", 1) != 0))});
  };
}

template <typename OpTy>
static LogicalResult importSoftmax(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  RankedTensorType type = typeOf(*x);
  auto legacy = c.importer.legacySoftmaxAxis.find(c.node.output(0));
  bool isLegacy = legacy != c.importer.legacySoftmaxAxis.end();
  FailureOr<int64_t> axis = normAxis(
      c, isLegacy ? legacy->second : c.attrInt("axis", -1), type.getRank());
  if (failed(axis))
    return failure();
  if (!isLegacy || *axis == type.getRank() - 1)
    return emitSimple<OpTy>(c, {*x}, {c.named("axis", i64(c, *axis))});
  // Before opset 13: normalize over the flattened dims [axis, rank).
  ArrayRef<int64_t> shape = type.getShape();
  FailureOr<Value> flat = c.reshape(
      *x, {product(shape.take_front(*axis)), product(shape.drop_front(*axis))});
  if (failed(flat))
    return failure();
  FailureOr<Value> result =
      c.create1<OpTy>({*flat}, {c.named("axis", i64(c, 1))});
  if (failed(result) || failed(result = c.reshape(*result, shape)))
    return failure();
  return c.setOutput(0, *result);
}

static LogicalResult importLayerNorm(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  FailureOr<int64_t> axis =
      normAxis(c, c.attrInt("axis", -1), typeOf(*x).getRank());
  if (failed(axis))
    return failure();
  float epsilon = c.attrFloat("epsilon", 1e-5f);
  if (c.hasOutput(1) || c.hasOutput(2)) {
    // Mean and InvStdDev over dims axis.. (kept as size 1), in the stash
    // type ONNX shape inference gives them.
    FailureOr<RankedTensorType> statType =
        c.outputType(c.hasOutput(1) ? 1 : 2);
    if (failed(statType))
      return failure();
    SmallVector<int64_t> axes;
    for (int64_t d = *axis; d < typeOf(*x).getRank(); ++d)
      axes.push_back(d);
    SmallVector<NamedAttribute> mean = {
        c.named("kind",
                ReduceKindAttr::get(c.importer.context, ReduceKind::mean)),
        c.named("axes", i64Array(c, axes)),
        c.named("keepdims", boolean(c, true))};
    Chain ch{c};
    Value wide = *x;
    if (typeOf(wide).getElementType() != statType->getElementType())
      wide = ch.op<CastOp>({wide}, {},
                           {typeOf(wide).clone(statType->getElementType())});
    Value m = ch.op<ReduceOp>({wide}, mean);
    Value centered = ch.op<SubOp>({wide, m});
    Value variance =
        ch.op<ReduceOp>({ch.op<MulOp>({centered, centered})}, mean);
    Value invStd = ch.op<RsqrtOp>(
        {ch.op<AddOp>({variance, ch.scalar(variance, epsilon)})});
    if (!ch.ok || !m || !invStd || failed(c.setOutput(1, m)) ||
        failed(c.setOutput(2, invStd)))
      return failure();
  }
  SmallVector<Value> operands = {*x};
  int32_t segments[3] = {1, 0, 0};
  for (int i = 1; i <= 2; ++i)
    if (c.hasInput(i)) {
      FailureOr<Value> v = c.input(i);
      if (failed(v))
        return failure();
      operands.push_back(*v);
      segments[i] = 1;
    }
  return emitSimple<LayerNormOp>(
      c, operands,
      {c.named("axis", i64(c, *axis)),
       c.named("epsilon", f32(c, epsilon)),
       c.named("operandSegmentSizes",
               DenseI32ArrayAttr::get(c.importer.context, segments))});
}

static LogicalResult importBatchNorm(NodeContext &c) {
  if (c.attrInt("training_mode", 0) != 0 || c.hasOutput(1)) {
    c.error() << "only the inference form of BatchNormalization is supported";
    return failure();
  }
  SmallVector<Value> operands;
  for (int i = 0; i < 5; ++i) {
    FailureOr<Value> v = c.input(i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  return emitSimple<BatchNormOp>(
      c, operands, {c.named("epsilon", f32(c, c.attrFloat("epsilon", 1e-5f)))});
}

static LogicalResult importTranspose(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  std::vector<int64_t> perm = c.attrInts("perm");
  if (!c.attr("perm"))
    for (int64_t i = typeOf(*x).getRank() - 1; i >= 0; --i)
      perm.push_back(i);
  return emitSimple<TransposeOp>(c, {*x}, {c.named("perm", i64Array(c, perm))});
}

/// ONNX Reshape's target shape: 0 copies the input dim (unless allowzero),
/// -1 is inferred.
static FailureOr<SmallVector<int64_t>>
reshapeTarget(NodeContext &c, ArrayRef<int64_t> in, ArrayRef<int64_t> spec,
              bool allowZero) {
  SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  for (auto [i, entry] : llvm::enumerate(spec)) {
    int64_t d = entry;
    if (d == 0 && !allowZero) {
      if (i >= in.size()) {
        c.error() << "shape entry " << i << " is 0 but the input has rank "
                  << in.size();
        return failure();
      }
      d = in[i];
    }
    if (d == -1) {
      if (inferred >= 0) {
        c.error() << "shape has more than one -1";
        return failure();
      }
      inferred = i;
      shape.push_back(1);
      continue;
    }
    if (d < 0) {
      c.error() << "invalid shape entry " << d;
      return failure();
    }
    shape.push_back(d);
    known *= d;
  }
  int64_t total = product(in);
  if (inferred >= 0) {
    if (known == 0 || total % known != 0) {
      c.error() << "cannot infer the -1 dim of the reshape";
      return failure();
    }
    shape[inferred] = total / known;
  }
  return shape;
}

static LogicalResult importReshape(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> shape;
  if (const HostTensor *spec = c.constInput(1)) {
    FailureOr<SmallVector<int64_t>> target =
        reshapeTarget(c, typeOf(*x).getShape(), spec->asInts(),
                      c.attrInt("allowzero", 0) != 0);
    if (failed(target))
      return failure();
    shape = *target;
  } else {
    FailureOr<RankedTensorType> type = c.outputType(0);
    if (failed(type))
      return failure();
    shape.assign(type->getShape().begin(), type->getShape().end());
  }
  if (product(shape) != typeOf(*x).getNumElements()) {
    c.error() << "cannot reshape " << typeOf(*x) << " to "
              << shape.size() << "-D shape with " << product(shape)
              << " elements";
    return failure();
  }
  FailureOr<Value> r = c.reshape(*x, shape);
  return failed(r) ? failure() : c.setOutput(0, *r);
}

static LogicalResult importFlatten(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  ArrayRef<int64_t> in = typeOf(*x).getShape();
  int64_t axis = c.attrInt("axis", 1);
  if (axis < 0)
    axis += in.size();
  if (axis < 0 || axis > static_cast<int64_t>(in.size())) {
    c.error() << "axis out of range";
    return failure();
  }
  FailureOr<Value> r =
      c.reshape(*x, {product(in.take_front(axis)), product(in.drop_front(axis))});
  return failed(r) ? failure() : c.setOutput(0, *r);
}

/// Squeeze/Unsqueeze result shapes (shared with host evaluation).
static FailureOr<SmallVector<int64_t>>
squeezeShape(NodeContext &c, ArrayRef<int64_t> in, const HostTensor *axesT,
             bool unsqueeze) {
  std::vector<int64_t> axes = axesT ? axesT->asInts() : c.attrInts("axes");
  if (unsqueeze) {
    int64_t rank = in.size() + axes.size();
    SmallVector<bool> inserted(rank, false);
    for (int64_t axis : axes) {
      FailureOr<int64_t> a = normAxis(c, axis, rank);
      if (failed(a))
        return failure();
      if (inserted[*a]) {
        c.error() << "duplicate axis " << axis;
        return failure();
      }
      inserted[*a] = true;
    }
    SmallVector<int64_t> shape;
    size_t next = 0;
    for (int64_t i = 0; i < rank; ++i)
      shape.push_back(inserted[i] ? 1 : in[next++]);
    return shape;
  }
  int64_t rank = in.size();
  SmallVector<bool> removed(rank, false);
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i)
      removed[i] = in[i] == 1;
  }
  for (int64_t axis : axes) {
    FailureOr<int64_t> a = normAxis(c, axis, rank);
    if (failed(a))
      return failure();
    if (in[*a] != 1) {
      c.error() << "cannot squeeze dim " << *a << " of size " << in[*a];
      return failure();
    }
    removed[*a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!removed[i])
      shape.push_back(in[i]);
  return shape;
}

static Handler squeezeLike(bool unsqueeze) {
  return [unsqueeze](NodeContext &c) -> LogicalResult {
    FailureOr<Value> x = c.input(0);
    if (failed(x))
      return failure();
    const HostTensor *axes = nullptr;
    if (c.hasInput(1)) {
      FailureOr<const HostTensor *> t = c.requireConstInput(1, "axes");
      if (failed(t))
        return failure();
      axes = *t;
    }
    FailureOr<SmallVector<int64_t>> shape =
        squeezeShape(c, typeOf(*x).getShape(), axes, unsqueeze);
    if (failed(shape))
      return failure();
    FailureOr<Value> r = c.reshape(*x, *shape);
    return failed(r) ? failure() : c.setOutput(0, *r);
  };
}

static LogicalResult importConcat(NodeContext &c) {
  SmallVector<Value> inputs;
  for (int i = 0; i < c.numInputs(); ++i) {
    if (!c.hasInput(i))
      continue;
    FailureOr<Value> v = c.input(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty()) {
    c.error() << "Concat needs at least one input";
    return failure();
  }
  FailureOr<int64_t> axis =
      normAxis(c, c.attrInt("axis", 0), typeOf(inputs[0]).getRank());
  if (failed(axis))
    return failure();
  return emitSimple<ConcatOp>(c, inputs, {c.named("axis", i64(c, *axis))});
}

static LogicalResult importSplit(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  RankedTensorType xt = typeOf(*x);
  FailureOr<int64_t> axis = normAxis(c, c.attrInt("axis", 0), xt.getRank());
  if (failed(axis))
    return failure();
  std::vector<int64_t> sizes = c.attrInts("split");
  if (c.hasInput(1)) {
    FailureOr<const HostTensor *> t = c.requireConstInput(1, "split");
    if (failed(t))
      return failure();
    sizes = (*t)->asInts();
  }
  if (sizes.empty()) {
    int64_t parts = c.attrInt("num_outputs", c.numOutputs());
    int64_t dim = xt.getDimSize(*axis);
    if (parts <= 0) {
      c.error() << "Split has no outputs";
      return failure();
    }
    int64_t chunk = (dim + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, dim - i * chunk)));
  }
  if (static_cast<int64_t>(sizes.size()) != c.numOutputs()) {
    c.error() << "'split' has " << sizes.size() << " entries but the node has "
              << c.numOutputs() << " outputs";
    return failure();
  }
  FailureOr<Operation *> op = c.create<SplitOp>(
      {*x}, {c.named("axis", i64(c, *axis)),
             c.named("sizes", i64Array(c, sizes))});
  if (failed(op))
    return failure();
  for (int i = 0; i < c.numOutputs(); ++i)
    if (failed(c.setOutput(i, (*op)->getResult(i))))
      return failure();
  return success();
}

/// Clamps ONNX Slice parameters into the normalized form of fuse.slice.
static LogicalResult normalizeSlice(NodeContext &c, ArrayRef<int64_t> shape,
                                    std::vector<int64_t> &starts,
                                    std::vector<int64_t> &ends,
                                    std::vector<int64_t> &axes,
                                    std::vector<int64_t> &steps) {
  int64_t rank = shape.size();
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    c.error() << "starts, ends, axes and steps have different lengths";
    return failure();
  }
  for (size_t i = 0; i < starts.size(); ++i) {
    FailureOr<int64_t> axis = normAxis(c, axes[i], rank);
    if (failed(axis))
      return failure();
    axes[i] = *axis;
    int64_t dim = shape[*axis], step = steps[i];
    if (step == 0) {
      c.error() << "slice step must not be 0";
      return failure();
    }
    auto clampIndex = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v = v < -dim ? lo : v + dim;
      return std::clamp(v, lo, hi);
    };
    if (step > 0) {
      starts[i] = clampIndex(starts[i], 0, dim);
      ends[i] = clampIndex(ends[i], 0, dim);
    } else {
      starts[i] = clampIndex(starts[i], 0, std::max<int64_t>(0, dim - 1));
      ends[i] = ends[i] < -dim ? -1 : clampIndex(ends[i], -1, dim - 1);
    }
  }
  return success();
}

static LogicalResult importSlice(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  std::vector<int64_t> params[4];
  const char *names[4] = {"starts", "ends", "axes", "steps"};
  for (int i = 0; i < 4; ++i) {
    if (!c.hasInput(i + 1))
      continue;
    FailureOr<const HostTensor *> t = c.requireConstInput(i + 1, names[i]);
    if (failed(t))
      return failure();
    params[i] = (*t)->asInts();
  }
  if (failed(normalizeSlice(c, typeOf(*x).getShape(), params[0], params[1],
                            params[2], params[3])))
    return failure();
  return emitSimple<SliceOp>(c, {*x},
                             {c.named("starts", i64Array(c, params[0])),
                              c.named("ends", i64Array(c, params[1])),
                              c.named("axes", i64Array(c, params[2])),
                              c.named("steps", i64Array(c, params[3]))});
}

/// Gather and GatherElements: data, indices and a normalized axis.
template <typename OpT>
static LogicalResult importGatherAlongAxis(NodeContext &c) {
  FailureOr<Value> data = c.input(0), indices = c.input(1);
  if (failed(data) || failed(indices))
    return failure();
  FailureOr<int64_t> axis =
      normAxis(c, c.attrInt("axis", 0), typeOf(*data).getRank());
  if (failed(axis))
    return failure();
  return emitSimple<OpT>(c, {*data, *indices},
                         {c.named("axis", i64(c, *axis))});
}

static LogicalResult importExpand(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> shape;
  if (const HostTensor *spec = c.constInput(1)) {
    std::vector<int64_t> target = spec->asInts();
    FailureOr<SmallVector<int64_t>> merged =
        broadcastShapes(typeOf(*x).getShape(), target);
    if (failed(merged)) {
      c.error() << "cannot expand " << typeOf(*x) << " to the requested shape";
      return failure();
    }
    shape = *merged;
  } else {
    FailureOr<RankedTensorType> type = c.outputType(0);
    if (failed(type))
      return failure();
    shape.assign(type->getShape().begin(), type->getShape().end());
  }
  return emitSimple<ExpandOp>(
      c, {*x}, {},
      {RankedTensorType::get(shape, typeOf(*x).getElementType())});
}

static LogicalResult importPad(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  std::vector<int64_t> pads = c.attrInts("pads");
  if (c.hasInput(1)) {
    FailureOr<const HostTensor *> t = c.requireConstInput(1, "pads");
    if (failed(t))
      return failure();
    pads = (*t)->asInts();
  }
  double value = c.attrFloat("value", 0.0f);
  if (c.hasInput(2)) {
    FailureOr<const HostTensor *> t = c.requireConstInput(2, "constant_value");
    if (failed(t))
      return failure();
    if ((*t)->size() != 1) {
      c.error() << "'constant_value' must be a scalar";
      return failure();
    }
    value = (*t)->real(0);
  }
  std::string modeName = c.attrString("mode", "constant");
  PadMode mode;
  if (modeName == "constant")
    mode = PadMode::constant;
  else if (modeName == "reflect")
    mode = PadMode::reflect;
  else if (modeName == "edge")
    mode = PadMode::edge;
  else {
    c.error() << "unsupported pad mode '" << modeName << "'";
    return failure();
  }
  return emitSimple<PadOp>(
      c, {*x},
      {c.named("pads", i64Array(c, pads)),
       c.named("mode", PadModeAttr::get(c.importer.context, mode)),
       c.named("value", f64(c, value))});
}

static LogicalResult importResize(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  RankedTensorType xt = typeOf(*x);
  int64_t rank = xt.getRank();
  std::string mode = c.attrString("mode", "nearest");
  std::string coord =
      c.attrString("coordinate_transformation_mode", "half_pixel");
  std::string nearest = c.attrString("nearest_mode", "round_prefer_floor");
  std::optional<ResizeMode> m = llvm::StringSwitch<std::optional<ResizeMode>>(mode)
                                    .Case("nearest", ResizeMode::nearest)
                                    .Case("linear", ResizeMode::linear)
                                    .Case("cubic", ResizeMode::cubic)
                                    .Default(std::nullopt);
  std::optional<CoordinateMode> cm = symbolizeCoordinateMode(coord);
  std::optional<NearestMode> nm = symbolizeNearestMode(nearest);
  if (!m || !cm || !nm) {
    c.error() << "unsupported Resize mode '" << mode
              << "', coordinate_transformation_mode '" << coord
              << "' or nearest_mode '" << nearest << "'";
    return failure();
  }
  SmallVector<float> scales;
  SmallVector<int64_t> shape;
  const HostTensor *sizesT = c.hasInput(3) ? c.constInput(3) : nullptr;
  const HostTensor *scalesT = c.hasInput(2) ? c.constInput(2) : nullptr;
  if ((c.hasInput(3) && !sizesT) || (c.hasInput(2) && !scalesT)) {
    c.error() << "'scales' and 'sizes' must be known at import time";
    return failure();
  }
  if (sizesT && sizesT->size() > 0) {
    if (sizesT->size() != rank) {
      c.error() << "'sizes' must have " << rank << " entries";
      return failure();
    }
    std::vector<int64_t> sizes = sizesT->asInts();
    shape.assign(sizes.begin(), sizes.end());
  } else if (scalesT && scalesT->size() > 0) {
    if (scalesT->size() != rank) {
      c.error() << "'scales' must have " << rank << " entries";
      return failure();
    }
    for (int64_t i = 0; i < rank; ++i) {
      double s = scalesT->real(i);
      if (!(s > 0)) {
        c.error() << "'scales' entries must be positive";
        return failure();
      }
      scales.push_back(static_cast<float>(s));
      shape.push_back(static_cast<int64_t>(
          std::floor(static_cast<double>(xt.getDimSize(i)) * s)));
    }
  } else {
    c.error() << "Resize needs 'scales' or 'sizes'";
    return failure();
  }
  SmallVector<NamedAttribute> attrs = {
      c.named("mode", ResizeModeAttr::get(c.importer.context, *m)),
      c.named("coordinate_mode",
              CoordinateModeAttr::get(c.importer.context, *cm)),
      c.named("nearest_mode", NearestModeAttr::get(c.importer.context, *nm)),
      c.named("cubic_coeff_a", f32(c, c.attrFloat("cubic_coeff_a", -0.75f))),
      c.named("exclude_outside",
              boolean(c, c.attrInt("exclude_outside", 0) != 0))};
  if (!scales.empty())
    attrs.push_back(
        c.named("scales", DenseF32ArrayAttr::get(c.importer.context, scales)));
  return emitSimple<ResizeOp>(
      c, {*x}, attrs, {RankedTensorType::get(shape, xt.getElementType())});
}

static LogicalResult importUpsample(NodeContext &c) {
  // Upsample (opset <= 9) is Resize with asymmetric coordinates.
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  c.error() << "Upsample should have been converted to Resize";
  return failure();
}

static LogicalResult importTile(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  FailureOr<const HostTensor *> repeats = c.requireConstInput(1, "repeats");
  if (failed(repeats))
    return failure();
  return emitSimple<TileOp>(
      c, {*x}, {c.named("repeats", i64Array(c, (*repeats)->asInts()))});
}

static LogicalResult importIdentity(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  // Dropout with a training_mode input that is not constant false would
  // drop values at random: not an inference graph.
  if (c.node.op_type() == "Dropout" && c.hasInput(2)) {
    const HostTensor *training = c.constInput(2);
    if (!training || training->size() != 1 || training->integer(0) != 0) {
      c.error() << "training-mode Dropout is not supported (only inference "
                   "graphs are)";
      return failure();
    }
  }
  if (c.hasOutput(1) && c.node.op_type() == "Dropout") {
    // The mask output of inference-mode Dropout is all true.
    auto type = typeOf(*x);
    auto maskType = RankedTensorType::get(type.getShape(),
                                          IntegerType::get(c.importer.context, 1));
    Value mask = ConstantOp::create(
        c.builder(), c.loc,
        DenseElementsAttr::get(maskType, true)).getResult();
    if (failed(c.setOutput(1, mask)))
      return failure();
  }
  return c.setOutput(0, *x);
}

static LogicalResult importWhere(NodeContext &c) {
  FailureOr<Value> cond = c.input(0), a = c.input(1), b = c.input(2);
  if (failed(cond) || failed(a) || failed(b))
    return failure();
  return emitSimple<SelectOp>(c, {*cond, *a, *b});
}

/// Einsum in the shape of a (batched) matmul: batch letters shared by both
/// inputs and the output, one contracted letter, at most one free letter per
/// input.
static LogicalResult importEinsum(NodeContext &c) {
  std::string equation = c.attrString("equation", "");
  equation.erase(std::remove(equation.begin(), equation.end(), ' '),
                 equation.end());
  StringRef eq(equation);
  auto [lhsTerms, out] = eq.split("->");
  StringRef ta = lhsTerms.split(',').first, tb = lhsTerms.split(',').second;
  if (c.numInputs() != 2 || !eq.contains("->") || tb.empty() ||
      tb.contains(',') || eq.contains('.')) {
    c.error() << "only two-input Einsum equations with an explicit output "
                 "are supported, got '"
              << equation << "'";
    return failure();
  }
  FailureOr<Value> a = c.input(0), b = c.input(1);
  if (failed(a) || failed(b))
    return failure();
  if (typeOf(*a).getRank() != static_cast<int64_t>(ta.size()) ||
      typeOf(*b).getRank() != static_cast<int64_t>(tb.size())) {
    c.error() << "Einsum subscripts do not match the input ranks";
    return failure();
  }
  std::string batch, m, n, k;
  for (char ch : ta) {
    bool inB = tb.contains(ch), inOut = out.contains(ch);
    if (inB && inOut)
      batch += ch;
    else if (inB)
      k += ch;
    else if (inOut)
      m += ch;
  }
  for (char ch : tb)
    if (!ta.contains(ch) && out.contains(ch))
      n += ch;
  if (k.size() != 1 || m.size() > 1 || n.size() > 1 ||
      batch.size() + m.size() + n.size() != out.size() ||
      llvm::any_of(ta, [&](char ch) { return llvm::count(ta, ch) != 1; }) ||
      llvm::any_of(tb, [&](char ch) { return llvm::count(tb, ch) != 1; })) {
    c.error() << "Einsum '" << equation << "' is not matmul-shaped";
    return failure();
  }
  // Permute an operand into [batch..., rows, cols] order.
  auto arrange = [&](Value v, StringRef terms,
                     StringRef order) -> FailureOr<Value> {
    SmallVector<int64_t> perm;
    for (char ch : order)
      perm.push_back(terms.find(ch));
    bool identity = llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()));
    if (identity)
      return v;
    return c.create1<TransposeOp>({v}, {c.named("perm", i64Array(c, perm))});
  };
  FailureOr<Value> pa = arrange(*a, ta, batch + m + k);
  FailureOr<Value> pb = arrange(*b, tb, batch + k + n);
  if (failed(pa) || failed(pb))
    return failure();
  // Missing free dims become size-1 dims.
  if (m.empty())
    pa = c.reshape(*pa, [&] {
      SmallVector<int64_t> s(typeOf(*pa).getShape());
      s.insert(s.end() - 1, 1);
      return s;
    }());
  if (n.empty() && succeeded(pb))
    pb = c.reshape(*pb, [&] {
      SmallVector<int64_t> s(typeOf(*pb).getShape());
      s.push_back(1);
      return s;
    }());
  if (failed(pa) || failed(pb))
    return failure();
  FailureOr<Value> product = c.create1<MatMulOp>({*pa, *pb});
  if (failed(product))
    return failure();
  std::string produced = batch + (m.empty() ? "" : m) + (n.empty() ? "" : n);
  SmallVector<int64_t> shape(typeOf(*product).getShape().take_front(batch.size()));
  if (!m.empty())
    shape.push_back(typeOf(*product).getDimSize(batch.size()));
  if (!n.empty())
    shape.push_back(typeOf(*product).getShape().back());
  product = c.reshape(*product, shape);
  if (failed(product))
    return failure();
  FailureOr<Value> result = arrange(*product, produced, out);
  return failed(result) ? failure() : c.setOutput(0, *result);
}

/// Ops that exist only as shape computations; reaching the handler means
/// an input was not known at import time.
//===----------------------------------------------------------------------===//
// Activations, predicates and normalizations built from fuse ops
//===----------------------------------------------------------------------===//

/// The largest import-time constant (iota, mask, identity) a composed op may
/// build.
static constexpr int64_t kComposedConstantLimit = 1 << 24;

/// An i64 host constant of `shape` holding `values`.
static FailureOr<Value> i64Constant(NodeContext &c, ArrayRef<int64_t> shape,
                                    ArrayRef<int64_t> values) {
  HostTensor t;
  t.dtype = onnx::TensorProto::INT64;
  t.shape.assign(shape.begin(), shape.end());
  t.ints.assign(values.begin(), values.end());
  return c.constant(std::move(t));
}

/// 0, 1, ..., n-1 along `axis` of a rank-`rank` tensor whose other dims are
/// 1 (it broadcasts against anything with n at `axis`).
static FailureOr<Value> iotaAlong(NodeContext &c, int64_t n, int64_t axis,
                                  int64_t rank) {
  SmallVector<int64_t> shape(rank, 1), values(n);
  shape[axis] = n;
  std::iota(values.begin(), values.end(), 0);
  return i64Constant(c, shape, values);
}


/// Activations with a closed form in existing fuse ops; `body` gets the
/// input and the node's float attributes.
static Handler composed(std::function<Value(Chain &, Value)> body) {
  return [body](NodeContext &c) -> LogicalResult {
    FailureOr<Value> x = c.input(0);
    if (failed(x))
      return failure();
    Chain ch{c};
    return ch.output(body(ch, *x));
  };
}

static Value importSign(Chain &ch, Value x) {
  Value zero = ch.scalar(x, 0.0);
  Value positive = ch.op<GreaterOp>({x, zero});
  Value negative = ch.op<LessOp>({x, zero});
  Value inner =
      ch.op<SelectOp>({negative, ch.scalar(x, -1.0), zero});
  return ch.op<SelectOp>({positive, ch.scalar(x, 1.0), inner});
}

/// log(1 + exp(x)) as max(x, 0) + log(1 + exp(-|x|)): no overflow for
/// large x.
static Value importSoftplus(Chain &ch, Value x) {
  Value e = ch.op<ExpOp>({ch.op<NegOp>({ch.op<AbsOp>({x})})});
  Value l = ch.op<LogOp>({ch.op<AddOp>({e, ch.scalar(x, 1.0)})});
  return ch.op<AddOp>({ch.op<ReluOp>({x}), l});
}

static Value importSoftsign(Chain &ch, Value x) {
  return ch.op<DivOp>(
      {x, ch.op<AddOp>({ch.op<AbsOp>({x}), ch.scalar(x, 1.0)})});
}

/// alpha * (exp(x) - 1) where x < 0 (Elu), x elsewhere.
static Value eluLike(Chain &ch, Value x, double alpha, bool atZero) {
  Value zero = ch.scalar(x, 0.0);
  Value negative = atZero ? ch.op<NotOp>({ch.op<GreaterOp>({x, zero})})
                          : ch.op<LessOp>({x, zero});
  Value em1 = ch.op<SubOp>({ch.op<ExpOp>({x}), ch.scalar(x, 1.0)});
  Value scaled = ch.op<MulOp>({em1, ch.scalar(x, alpha)});
  return ch.op<SelectOp>({negative, scaled, x});
}

static LogicalResult importElu(NodeContext &c) {
  double alpha = c.attrFloat("alpha", 1.0f);
  return composed([alpha](Chain &ch, Value x) {
    return eluLike(ch, x, alpha, false);
  })(c);
}

static LogicalResult importSelu(NodeContext &c) {
  double alpha = c.attrFloat("alpha", 1.67326319217681884765625f);
  double gamma = c.attrFloat("gamma", 1.05070102214813232421875f);
  return composed([alpha, gamma](Chain &ch, Value x) {
    return ch.op<MulOp>({eluLike(ch, x, alpha, true), ch.scalar(x, gamma)});
  })(c);
}

/// max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).
static LogicalResult importCelu(NodeContext &c) {
  double alpha = c.attrFloat("alpha", 1.0f);
  if (alpha == 0) {
    c.error() << "'alpha' must not be 0";
    return failure();
  }
  return composed([alpha](Chain &ch, Value x) {
    Value zero = ch.scalar(x, 0.0);
    Value e = ch.op<ExpOp>({ch.op<DivOp>({x, ch.scalar(x, alpha)})});
    Value neg = ch.op<MulOp>(
        {ch.op<SubOp>({e, ch.scalar(x, 1.0)}), ch.scalar(x, alpha)});
    return ch.op<AddOp>(
        {ch.op<MaxOp>({x, zero}), ch.op<MinOp>({neg, zero})});
  })(c);
}

static LogicalResult importThresholdedRelu(NodeContext &c) {
  double alpha = c.attrFloat("alpha", 1.0f);
  return composed([alpha](Chain &ch, Value x) {
    Value above = ch.op<GreaterOp>({x, ch.scalar(x, alpha)});
    return ch.op<SelectOp>({above, x, ch.scalar(x, 0.0)});
  })(c);
}

/// x + bias below -lambd, x - bias above lambd, 0 between.
static LogicalResult importShrink(NodeContext &c) {
  double lambd = c.attrFloat("lambd", 0.5f), bias = c.attrFloat("bias", 0.0f);
  return composed([lambd, bias](Chain &ch, Value x) {
    Value below = ch.op<LessOp>({x, ch.scalar(x, -lambd)});
    Value above = ch.op<GreaterOp>({x, ch.scalar(x, lambd)});
    Value inner = ch.op<SelectOp>(
        {above, ch.op<SubOp>({x, ch.scalar(x, bias)}), ch.scalar(x, 0.0)});
    return ch.op<SelectOp>(
        {below, ch.op<AddOp>({x, ch.scalar(x, bias)}), inner});
  })(c);
}

static Value importIsNaN(Chain &ch, Value x) {
  return ch.op<NotOp>({ch.op<EqualOp>({x, x})});
}

static LogicalResult importIsInf(NodeContext &c) {
  bool negative = c.attrInt("detect_negative", 1) != 0;
  bool positive = c.attrInt("detect_positive", 1) != 0;
  return composed([negative, positive](Chain &ch, Value x) -> Value {
    double inf = std::numeric_limits<double>::infinity();
    if (!negative && !positive) // Detects nothing: x == inf and x == -inf.
      return ch.op<AndOp>({ch.op<EqualOp>({x, ch.scalar(x, inf)}),
                           ch.op<EqualOp>({x, ch.scalar(x, -inf)})});
    Value pos = positive ? ch.op<EqualOp>({x, ch.scalar(x, inf)}) : nullptr;
    Value neg = negative ? ch.op<EqualOp>({x, ch.scalar(x, -inf)}) : nullptr;
    if (pos && neg)
      return ch.op<OrOp>({pos, neg});
    return pos ? pos : neg;
  })(c);
}

static LogicalResult importCastLike(NodeContext &c) {
  FailureOr<Value> x = c.input(0), like = c.input(1);
  if (failed(x) || failed(like))
    return failure();
  Type element = typeOf(*like).getElementType();
  if (typeOf(*x).getElementType() == element)
    return c.setOutput(0, *x);
  return emitSimple<CastOp>(c, {*x}, {}, {typeOf(*x).clone(element)});
}

/// DepthToSpace (DCR or CRD) and SpaceToDepth: reshape, transpose, reshape.
static LogicalResult importDepthSpace(NodeContext &c, bool toSpace) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  RankedTensorType t = typeOf(*x);
  int64_t b = c.attrInt("blocksize", 0);
  if (t.getRank() != 4 || b <= 0) {
    c.error() << "expected a rank-4 input and a positive 'blocksize', got "
              << t << " and " << b;
    return failure();
  }
  int64_t n = t.getDimSize(0), ch = t.getDimSize(1), h = t.getDimSize(2),
          w = t.getDimSize(3);
  SmallVector<int64_t> split, perm, result;
  if (toSpace) {
    if (ch % (b * b) != 0) {
      c.error() << "channels " << ch << " are not divisible by blocksize^2";
      return failure();
    }
    bool crd = c.attrString("mode", "DCR") == "CRD";
    if (!crd && c.attrString("mode", "DCR") != "DCR") {
      c.error() << "unknown mode '" << c.attrString("mode", "") << "'";
      return failure();
    }
    int64_t oc = ch / (b * b);
    split = crd ? SmallVector<int64_t>{n, oc, b, b, h, w}
                : SmallVector<int64_t>{n, b, b, oc, h, w};
    perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
               : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
    result = {n, oc, h * b, w * b};
  } else {
    if (h % b != 0 || w % b != 0) {
      c.error() << "spatial dims " << h << "x" << w
                << " are not divisible by blocksize " << b;
      return failure();
    }
    split = {n, ch, h / b, b, w / b, b};
    perm = {0, 3, 5, 1, 2, 4};
    result = {n, ch * b * b, h / b, w / b};
  }
  Chain chain{c};
  Value v = chain.reshape(*x, split);
  v = chain.op<TransposeOp>({v}, {c.named("perm", i64Array(c, perm))});
  return chain.output(chain.reshape(v, result));
}

/// Normalizes over the spatial dims per (n, c), then scale and bias per c.
static LogicalResult importInstanceNorm(NodeContext &c) {
  FailureOr<Value> x = c.input(0), scale = c.input(1), bias = c.input(2);
  if (failed(x) || failed(scale) || failed(bias))
    return failure();
  RankedTensorType t = typeOf(*x);
  if (t.getRank() < 3) {
    c.error() << "expected an input of rank >= 3, got " << t;
    return failure();
  }
  SmallVector<int64_t> perChannel(t.getRank() - 1, 1);
  perChannel[0] = t.getDimSize(1);
  Chain ch{c};
  int32_t segments[3] = {1, 0, 0};
  Value normalized = ch.op<LayerNormOp>(
      {*x}, {c.named("axis", i64(c, 2)),
             c.named("epsilon", f32(c, c.attrFloat("epsilon", 1e-5f))),
             c.named("operandSegmentSizes",
                     DenseI32ArrayAttr::get(c.importer.context, segments))});
  Value scaled = ch.op<MulOp>({normalized, ch.reshape(*scale, perChannel)});
  return ch.output(ch.op<AddOp>({scaled, ch.reshape(*bias, perChannel)}));
}

static LogicalResult importLpNorm(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  FailureOr<int64_t> axis =
      normAxis(c, c.attrInt("axis", -1), typeOf(*x).getRank());
  if (failed(axis))
    return failure();
  int64_t p = c.attrInt("p", 2);
  if (p != 1 && p != 2) {
    c.error() << "'p' must be 1 or 2, got " << p;
    return failure();
  }
  Chain ch{c};
  Value norm = ch.op<ReduceOp>(
      {*x}, {c.named("kind", ReduceKindAttr::get(c.importer.context,
                                                 p == 1 ? ReduceKind::l1
                                                        : ReduceKind::l2)),
             c.named("axes", i64Array(c, {*axis})),
             c.named("keepdims", boolean(c, true))});
  return ch.output(ch.op<DivOp>({*x, norm}));
}

/// (x - mean) / (sqrt(mean((x - mean)^2)) + 1e-9) over `axes`.
static LogicalResult importMeanVarianceNorm(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  int64_t rank = typeOf(*x).getRank();
  std::vector<int64_t> axes = c.attr("axes") ? c.attrInts("axes")
                                             : std::vector<int64_t>{0, 2, 3};
  SmallVector<int64_t> normalized;
  for (int64_t axis : axes) {
    FailureOr<int64_t> a = normAxis(c, axis, rank);
    if (failed(a))
      return failure();
    normalized.push_back(*a);
  }
  llvm::sort(normalized);
  normalized.erase(std::unique(normalized.begin(), normalized.end()),
                   normalized.end());
  SmallVector<NamedAttribute> mean = {
      c.named("kind", ReduceKindAttr::get(c.importer.context,
                                          ReduceKind::mean)),
      c.named("axes", i64Array(c, normalized)),
      c.named("keepdims", boolean(c, true))};
  Chain ch{c};
  Value centered = ch.op<SubOp>({*x, ch.op<ReduceOp>({*x}, mean)});
  Value variance =
      ch.op<ReduceOp>({ch.op<MulOp>({centered, centered})}, mean);
  Value stddev = ch.op<AddOp>(
      {ch.op<SqrtOp>({variance}), ch.scalar(*x, 1e-9)});
  return ch.output(ch.op<DivOp>({centered, stddev}));
}

/// x / (bias + alpha / size * square_sum)^beta, the sum over a channel
/// window: an average pool of x^2 over [N, 1, C, spatial] with zero padding
/// counted (average = sum / size).
static LogicalResult importLRN(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  RankedTensorType t = typeOf(*x);
  int64_t size = c.attrInt("size", 0);
  if (t.getRank() < 3 || size <= 0) {
    c.error() << "expected an input of rank >= 3 and a positive 'size', got "
              << t << " and " << size;
    return failure();
  }
  double alpha = c.attrFloat("alpha", 1e-4f), beta = c.attrFloat("beta", 0.75f),
         bias = c.attrFloat("bias", 1.0f);
  int64_t n = t.getDimSize(0), channels = t.getDimSize(1);
  int64_t spatial = product(t.getShape().drop_front(2));
  int64_t lo = (size - 1) / 2, hi = size - 1 - lo;
  Chain ch{c};
  Value square = ch.reshape(ch.op<MulOp>({*x, *x}), {n, 1, channels, spatial});
  Value average = ch.op<AvgPoolOp>(
      {square},
      {c.named("kernel_shape", i64Array(c, {size, 1})),
       c.named("strides", i64Array(c, {})),
       c.named("dilations", i64Array(c, {})),
       c.named("pads", i64Array(c, {lo, 0, hi, 0})),
       c.named("ceil_mode", boolean(c, false)),
       c.named("count_include_pad", boolean(c, true))});
  Value base = ch.op<AddOp>(
      {ch.op<MulOp>({average, ch.scalar(*x, alpha)}), ch.scalar(*x, bias)});
  Value denominator = ch.op<PowOp>({base, ch.scalar(*x, beta)});
  return ch.output(
      ch.op<DivOp>({*x, ch.reshape(denominator, t.getShape())}));
}

/// Keeps the elements with `j - i >= k` (upper) or `j - i <= k` (lower) of
/// the last two dims; `k` may be a runtime value.
static LogicalResult importTrilu(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  RankedTensorType t = typeOf(*x);
  if (t.getRank() < 2) {
    c.error() << "expected an input of rank >= 2, got " << t;
    return failure();
  }
  int64_t rows = t.getDimSize(t.getRank() - 2),
          cols = t.getDimSize(t.getRank() - 1);
  if (rows * cols > kComposedConstantLimit) {
    c.error() << "Trilu on " << rows << "x" << cols
              << " matrices is not supported (the mask is an import-time "
                 "constant of at most "
              << kComposedConstantLimit << " elements)";
    return failure();
  }
  bool upper = c.attrInt("upper", 1) != 0;
  SmallVector<int64_t> diff;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      diff.push_back(j - i);
  Chain ch{c};
  Value offsets = ch.value(i64Constant(c, {rows, cols}, diff));
  Value k;
  if (c.hasInput(1)) {
    k = ch.value(c.input(1));
    if (k && typeOf(k).getNumElements() != 1) {
      c.error() << "'k' must hold one value";
      return failure();
    }
    if (k)
      k = ch.reshape(k, {});
    if (k && !typeOf(k).getElementType().isInteger(64))
      k = ch.op<CastOp>({k}, {}, {typeOf(k).clone(c.builder().getI64Type())});
  } else {
    k = ch.value(i64Constant(c, {}, {0}));
  }
  // upper: not(diff < k); lower: not(diff > k).
  Value outside = upper ? ch.op<LessOp>({offsets, k})
                        : ch.op<GreaterOp>({offsets, k});
  return ch.output(
      ch.op<SelectOp>({outside, ch.scalar(*x, 0.0), *x}));
}

/// values[1] where the (wrapped) index equals the position along `axis`,
/// values[0] elsewhere.
static LogicalResult importOneHot(NodeContext &c) {
  FailureOr<Value> indices = c.input(0), values = c.input(2);
  if (failed(indices) || failed(values))
    return failure();
  FailureOr<const HostTensor *> depthT = c.requireConstInput(1, "depth");
  if (failed(depthT))
    return failure();
  if ((*depthT)->size() != 1 || (*depthT)->real(0) < 1) {
    c.error() << "'depth' must be one positive value";
    return failure();
  }
  int64_t depth = static_cast<int64_t>((*depthT)->real(0));
  if (depth > kComposedConstantLimit) {
    c.error() << "OneHot with depth " << depth << " is not supported (at most "
              << kComposedConstantLimit << ")";
    return failure();
  }
  if (typeOf(*values).getNumElements() != 2) {
    c.error() << "'values' must hold [off_value, on_value]";
    return failure();
  }
  RankedTensorType it = typeOf(*indices);
  int64_t rank = it.getRank() + 1;
  FailureOr<int64_t> axis = normAxis(c, c.attrInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  Chain ch{c};
  Value idx = *indices;
  if (!it.getElementType().isInteger(64))
    idx = ch.op<CastOp>({idx}, {}, {it.clone(c.builder().getI64Type())});
  Value zero = ch.scalar(idx, 0.0);
  Value wrapped = ch.op<SelectOp>(
      {ch.op<LessOp>({idx, zero}),
       ch.op<AddOp>({idx, ch.scalar(idx, depth)}), idx});
  SmallVector<int64_t> shape(it.getShape());
  shape.insert(shape.begin() + *axis, 1);
  Value hot = ch.op<EqualOp>(
      {ch.reshape(wrapped, shape), ch.value(iotaAlong(c, depth, *axis, rank))});
  Value flat = ch.reshape(*values, {2});
  Value off = ch.op<GatherOp>({flat, ch.value(i64Constant(c, {}, {0}))},
                              {c.named("axis", i64(c, 0))});
  Value on = ch.op<GatherOp>({flat, ch.value(i64Constant(c, {}, {1}))},
                             {c.named("axis", i64(c, 0))});
  return ch.output(ch.op<SelectOp>({hot, on, off}));
}

/// Ones on the k-th diagonal of a 2-D shape: an import-time constant.
static LogicalResult importEyeLike(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  RankedTensorType t = typeOf(*x);
  if (t.getRank() != 2) {
    c.error() << "expected a 2-D input, got " << t;
    return failure();
  }
  HostTensor r;
  if (const onnx::AttributeProto *dtype = c.attr("dtype")) {
    r.dtype = dtype->i();
  } else {
    r.dtype = -1;
    for (int32_t d : {onnx::TensorProto::FLOAT, onnx::TensorProto::FLOAT16,
                      onnx::TensorProto::BFLOAT16, onnx::TensorProto::INT64,
                      onnx::TensorProto::INT32, onnx::TensorProto::BOOL})
      if (elementTypeFor(c.importer.context, d) == t.getElementType())
        r.dtype = d;
  }
  if (!elementTypeFor(c.importer.context, r.dtype)) {
    c.error() << "EyeLike to an unsupported element type";
    return failure();
  }
  int64_t k = c.attrInt("k", 0);
  if (t.getNumElements() > kComposedConstantLimit) {
    c.error() << "EyeLike of " << t.getNumElements()
              << " elements is not supported (it is an import-time constant "
                 "of at most "
              << kComposedConstantLimit << " elements)";
    return failure();
  }
  r.shape = {t.getDimSize(0), t.getDimSize(1)};
  for (int64_t i = 0; i < r.shape[0]; ++i)
    for (int64_t j = 0; j < r.shape[1]; ++j) {
      if (r.isFloat())
        r.reals.push_back(j - i == k ? 1.0 : 0.0);
      else
        r.ints.push_back(j - i == k ? 1 : 0);
    }
  FailureOr<Value> v = c.constant(std::move(r));
  return failed(v) ? failure() : c.setOutput(0, *v);
}

/// A gather of the positions where the (import-time) condition holds.
static LogicalResult importCompress(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  FailureOr<const HostTensor *> cond = c.requireConstInput(1, "condition");
  if (failed(cond))
    return failure();
  Chain ch{c};
  Value data = *x;
  int64_t axis = 0;
  if (c.attr("axis")) {
    FailureOr<int64_t> a =
        normAxis(c, c.attrInt("axis", 0), typeOf(*x).getRank());
    if (failed(a))
      return failure();
    axis = *a;
  } else {
    data = ch.reshape(*x, {typeOf(*x).getNumElements()});
  }
  int64_t dim = typeOf(*x).getNumElements();
  if (c.attr("axis"))
    dim = typeOf(*x).getDimSize(axis);
  std::vector<int64_t> flags = (*cond)->asInts();
  if (static_cast<int64_t>(flags.size()) > dim) {
    c.error() << "condition has " << flags.size()
              << " entries for a dim of size " << dim;
    return failure();
  }
  SmallVector<int64_t> picked;
  for (auto [i, flag] : llvm::enumerate(flags))
    if (flag)
      picked.push_back(i);
  Value indices = ch.value(
      i64Constant(c, {static_cast<int64_t>(picked.size())}, picked));
  return ch.output(
      ch.op<GatherOp>({data, indices}, {c.named("axis", i64(c, axis))}));
}

/// out[t, b] = x[len[b] - 1 - t, b] for t < len[b], x[t, b] elsewhere: a
/// gather_elements along the time axis whose indices come from the (runtime)
/// lengths.
static LogicalResult importReverseSequence(NodeContext &c) {
  FailureOr<Value> x = c.input(0), lens = c.input(1);
  if (failed(x) || failed(lens))
    return failure();
  RankedTensorType t = typeOf(*x);
  int64_t timeAxis = c.attrInt("time_axis", 0),
          batchAxis = c.attrInt("batch_axis", 1);
  if (t.getRank() < 2 || !((timeAxis == 0 && batchAxis == 1) ||
                           (timeAxis == 1 && batchAxis == 0))) {
    c.error() << "expected rank >= 2 and time/batch axes 0 and 1, got " << t;
    return failure();
  }
  int64_t steps = t.getDimSize(timeAxis), batch = t.getDimSize(batchAxis);
  if (typeOf(*lens).getNumElements() != batch) {
    c.error() << "'sequence_lens' must have " << batch << " entries";
    return failure();
  }
  Chain ch{c};
  Value len = *lens;
  if (!typeOf(len).getElementType().isInteger(64))
    len = ch.op<CastOp>({len}, {}, {typeOf(len).clone(c.builder().getI64Type())});
  SmallVector<int64_t> lenShape = {1, 1};
  lenShape[batchAxis] = batch;
  len = ch.reshape(len, lenShape);
  Value time = ch.value(iotaAlong(c, steps, timeAxis, 2));
  Value reversed =
      ch.op<SubOp>({ch.op<SubOp>({len, ch.scalar(time, 1.0)}), time});
  Value index = ch.op<SelectOp>({ch.op<LessOp>({time, len}), reversed, time});
  SmallVector<int64_t> shape(t.getRank(), 1);
  shape[timeAxis] = steps;
  shape[batchAxis] = batch;
  index = ch.reshape(index, shape);
  if (index && typeOf(index).getShape() != t.getShape())
    index = ch.op<ExpandOp>({index}, {}, {t.clone(c.builder().getI64Type())});
  return ch.output(ch.op<GatherElementsOp>(
      {*x, index}, {c.named("axis", i64(c, timeAxis))}));
}

/// One-hot of the first maximum along `axis`, in the input's type.
static LogicalResult importHardmax(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  RankedTensorType t = typeOf(*x);
  FailureOr<int64_t> axis = normAxis(c, c.attrInt("axis", -1), t.getRank());
  if (failed(axis))
    return failure();
  Chain ch{c};
  Value index = ch.op<ArgMaxOp>({*x}, {c.named("axis", i64(c, *axis)),
                                       c.named("keepdims", boolean(c, true))});
  Value hot = ch.op<EqualOp>(
      {index, ch.value(iotaAlong(c, t.getDimSize(*axis), *axis, t.getRank()))});
  return ch.output(ch.op<CastOp>({hot}, {}, {t}));
}

template <typename OpTy>
static LogicalResult importArgReduce(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  FailureOr<int64_t> axis =
      normAxis(c, c.attrInt("axis", 0), typeOf(*x).getRank());
  if (failed(axis))
    return failure();
  return emitSimple<OpTy>(
      c, {*x},
      {c.named("axis", i64(c, *axis)),
       c.named("keepdims", boolean(c, c.attrInt("keepdims", 1) != 0)),
       c.named("select_last_index",
               boolean(c, c.attrInt("select_last_index", 0) != 0))});
}

static LogicalResult importCumSum(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  FailureOr<const HostTensor *> axisT = c.requireConstInput(1, "axis");
  if (failed(axisT))
    return failure();
  if ((*axisT)->size() != 1) {
    c.error() << "'axis' must hold one value";
    return failure();
  }
  FailureOr<int64_t> axis =
      normAxis(c, (*axisT)->integer(0), typeOf(*x).getRank());
  if (failed(axis))
    return failure();
  return emitSimple<CumSumOp>(
      c, {*x},
      {c.named("axis", i64(c, *axis)),
       c.named("exclusive", boolean(c, c.attrInt("exclusive", 0) != 0)),
       c.named("reverse", boolean(c, c.attrInt("reverse", 0) != 0))});
}

static LogicalResult importGatherND(NodeContext &c) {
  FailureOr<Value> data = c.input(0), indices = c.input(1);
  if (failed(data) || failed(indices))
    return failure();
  return emitSimple<GatherNDOp>(
      c, {*data, *indices},
      {c.named("batch_dims", i64(c, c.attrInt("batch_dims", 0)))});
}

static FailureOr<ScatterReduction> scatterReduction(NodeContext &c) {
  std::string name = c.attrString("reduction", "none");
  std::optional<ScatterReduction> r = symbolizeScatterReduction(name);
  if (!r) {
    c.error() << "unknown reduction '" << name << "'";
    return failure();
  }
  return *r;
}

template <typename OpTy>
static LogicalResult importScatter(NodeContext &c) {
  FailureOr<Value> data = c.input(0), indices = c.input(1),
                   updates = c.input(2);
  if (failed(data) || failed(indices) || failed(updates))
    return failure();
  FailureOr<ScatterReduction> reduction = scatterReduction(c);
  if (failed(reduction))
    return failure();
  SmallVector<NamedAttribute> attrs = {c.named(
      "reduction", ScatterReductionAttr::get(c.importer.context, *reduction))};
  if constexpr (std::is_same_v<OpTy, ScatterElementsOp>) {
    FailureOr<int64_t> axis =
        normAxis(c, c.attrInt("axis", 0), typeOf(*data).getRank());
    if (failed(axis))
      return failure();
    attrs.push_back(c.named("axis", i64(c, *axis)));
  }
  return emitSimple<OpTy>(c, {*data, *indices, *updates}, attrs);
}

/// Hann, Hamming and Blackman windows: import-time constants
/// `sum_i a_i cos(2 pi i n / N)` with N = size (periodic) or size - 1.
static Handler cosineWindow(std::vector<double> coefficients) {
  return [coefficients](NodeContext &c) -> LogicalResult {
    FailureOr<const HostTensor *> sizeT = c.requireConstInput(0, "size");
    if (failed(sizeT))
      return failure();
    if ((*sizeT)->size() != 1 || (*sizeT)->integer(0) < 0 ||
        (*sizeT)->integer(0) > (1 << 24)) {
      c.error() << "'size' must be one value in [0, 2^24]";
      return failure();
    }
    int64_t size = (*sizeT)->integer(0);
    HostTensor r;
    r.dtype = c.attrInt("output_datatype", onnx::TensorProto::FLOAT);
    if (!elementTypeFor(c.importer.context, r.dtype)) {
      c.error() << "unsupported output_datatype " << r.dtype;
      return failure();
    }
    double n = c.attrInt("periodic", 1) ? size : size - 1;
    r.shape = {size};
    for (int64_t i = 0; i < size; ++i) {
      double v = 0;
      for (auto [k, a] : llvm::enumerate(coefficients))
        v += a * (n == 0 ? 1.0 : std::cos(2 * M_PI * k * i / n));
      if (r.isFloat())
        r.reals.push_back(v);
      else
        r.ints.push_back(static_cast<int64_t>(v));
    }
    return c.setConstOutput(0, std::move(r));
  };
}

/// TopK as an exact composition: each element's rank along the axis is the
/// number of elements that beat it (larger, or equal at a lower index, for
/// `largest`); output r then sums the single element of rank r. Quadratic
/// in the axis length, so meant for the short axes TopK sees after
/// classifiers and in detection post-processing.
static LogicalResult importTopK(NodeContext &c) {
  FailureOr<Value> x = c.input(0);
  if (failed(x))
    return failure();
  FailureOr<const HostTensor *> kT = c.requireConstInput(1, "K");
  if (failed(kT))
    return failure();
  RankedTensorType t = typeOf(*x);
  int64_t rank = t.getRank();
  FailureOr<int64_t> axis = normAxis(c, c.attrInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  int64_t n = t.getDimSize(*axis);
  if ((*kT)->size() != 1 || (*kT)->integer(0) < 0 ||
      (*kT)->integer(0) > n) {
    c.error() << "'K' must be one value in [0, " << n << "]";
    return failure();
  }
  int64_t k = (*kT)->integer(0);
  if (n > 4096) {
    c.error() << "TopK over an axis of " << n
              << " elements is not supported (at most 4096)";
    return failure();
  }
  bool largest = c.attrInt("largest", 1) != 0;
  Chain ch{c};
  // Move the axis last.
  SmallVector<int64_t> perm, inverse(rank);
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis)
      perm.push_back(d);
  perm.push_back(*axis);
  for (int64_t d = 0; d < rank; ++d)
    inverse[perm[d]] = d;
  bool moved = *axis != rank - 1;
  Value xt = moved ? ch.op<TransposeOp>({*x}, {c.named("perm",
                                                       i64Array(c, perm))})
                   : *x;
  if (!xt)
    return failure();
  SmallVector<int64_t> lead(typeOf(xt).getShape().drop_back());
  auto shaped = [&](ArrayRef<int64_t> tail) {
    SmallVector<int64_t> s(lead);
    s.append(tail.begin(), tail.end());
    return s;
  };
  Value xi = ch.reshape(xt, shaped({n, 1}));
  Value xj = ch.reshape(xt, shaped({1, n}));
  // earlier[i][j] = j < i.
  HostTensor earlier;
  earlier.dtype = onnx::TensorProto::BOOL;
  earlier.shape = {n, n};
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j)
      earlier.ints.push_back(j < i);
  Value before = ch.value(c.constant(std::move(earlier)));
  Value better = largest ? ch.op<GreaterOp>({xj, xi}) : ch.op<LessOp>({xj, xi});
  Value tie = ch.op<AndOp>({ch.op<EqualOp>({xj, xi}), before});
  Value beats = ch.op<OrOp>({better, tie});
  if (!beats)
    return failure();
  Value count = ch.op<CastOp>(
      {beats}, {}, {typeOf(beats).clone(c.builder().getI64Type())});
  SmallVector<NamedAttribute> sumLast = {
      c.named("kind", ReduceKindAttr::get(c.importer.context, ReduceKind::sum)),
      c.named("axes", i64Array(c, {static_cast<int64_t>(lead.size()) + 1})),
      c.named("keepdims", boolean(c, false))};
  Value ranks = ch.op<ReduceOp>({count}, sumLast); // [..., n]
  Value ranksRow = ch.reshape(ranks, shaped({1, n}));
  SmallVector<int64_t> iota(std::max<int64_t>(k, n));
  std::iota(iota.begin(), iota.end(), 0);
  Value positions =
      ch.value(i64Constant(c, {k, 1}, ArrayRef<int64_t>(iota).take_front(k)));
  Value pick = ch.op<EqualOp>({ranksRow, positions}); // [..., k, n]
  Value zeroX = ch.scalar(xt, 0.0);
  Value values = ch.op<ReduceOp>(
      {ch.op<SelectOp>({pick, xj, zeroX})}, sumLast);
  Value indexRow =
      ch.value(i64Constant(c, {1, n}, ArrayRef<int64_t>(iota).take_front(n)));
  Value zeroI = ch.value(i64Constant(c, {}, {0}));
  Value indices = ch.op<ReduceOp>(
      {ch.op<SelectOp>({pick, indexRow, zeroI})}, sumLast);
  if (moved) {
    values = ch.op<TransposeOp>({values},
                                {c.named("perm", i64Array(c, inverse))});
    indices = ch.op<TransposeOp>({indices},
                                 {c.named("perm", i64Array(c, inverse))});
  }
  if (!ch.ok || !values || !indices || failed(c.setOutput(0, values)))
    return failure();
  return c.setOutput(1, indices);
}

static LogicalResult importHostOnly(NodeContext &c) {
  c.error() << "needs inputs known at import time (static shapes); a "
               "runtime input reached it";
  return failure();
}

//===----------------------------------------------------------------------===//
// Host evaluation of shape computations
//===----------------------------------------------------------------------===//

/// Shape computations evaluated on the host stay below this many elements.
static constexpr int64_t kHostLimit = 1 << 16;

namespace {
/// numpy broadcasting over host tensors.
struct Broadcast {
  SmallVector<int64_t> shape;
  int64_t count = 1;
  /// The broadcast of `inputs`; none when incompatible or when the result
  /// is too large to evaluate on the host (the op is emitted instead).
  static std::optional<Broadcast> of(ArrayRef<const HostTensor *> inputs) {
    Broadcast b;
    for (const HostTensor *t : inputs) {
      FailureOr<SmallVector<int64_t>> merged = broadcastShapes(b.shape, t->shape);
      if (failed(merged))
        return std::nullopt;
      b.shape = *merged;
      // Multiply with an overflow check: the dims can be anything.
      int64_t count = 1;
      for (int64_t d : b.shape)
        if (d != 0 && count > kHostLimit / std::max<int64_t>(d, 1) + 1)
          return std::nullopt;
        else
          count *= d;
      if (count > kHostLimit)
        return std::nullopt;
    }
    b.count = product(b.shape);
    return b;
  }
  /// Flat index into `t` for flat output index `i`.
  int64_t index(const HostTensor &t, int64_t i) const {
    int64_t result = 0, stride = 1;
    int64_t offset = shape.size() - t.shape.size();
    for (int64_t d = shape.size() - 1; d >= 0; --d) {
      int64_t coord = i % shape[d];
      i /= shape[d];
      if (d >= offset) {
        int64_t size = t.shape[d - offset];
        if (size != 1)
          result += coord * stride;
        stride *= size;
      }
    }
    return result;
  }
};
} // namespace

static double roundTo(int32_t dtype, double v) {
  return dtype == onnx::TensorProto::FLOAT ? static_cast<double>(static_cast<float>(v)) : v;
}


std::optional<LogicalResult>
mlir::fuse::onnx_import::tryHostEvaluate(NodeContext &c) {
  const std::string &op = c.node.op_type();
  if (!c.node.domain().empty() && c.node.domain() != "ai.onnx")
    return std::nullopt;
  if (op == "Constant") {
    HostTensor t;
    if (const onnx::AttributeProto *a = c.attr("value")) {
      std::string error;
      FailureOr<HostTensor> decoded = decodeTensor(a->t(), error);
      if (failed(decoded)) {
        c.error() << error;
        return failure();
      }
      t = std::move(*decoded);
    } else if (const onnx::AttributeProto *a = c.attr("value_float")) {
      t.dtype = onnx::TensorProto::FLOAT;
      t.reals = {a->f()};
    } else if (const onnx::AttributeProto *a = c.attr("value_floats")) {
      t.dtype = onnx::TensorProto::FLOAT;
      t.shape = {a->floats_size()};
      t.reals.assign(a->floats().begin(), a->floats().end());
    } else if (const onnx::AttributeProto *a = c.attr("value_int")) {
      t.ints = {a->i()};
    } else if (const onnx::AttributeProto *a = c.attr("value_ints")) {
      t.shape = {a->ints_size()};
      t.ints.assign(a->ints().begin(), a->ints().end());
    } else {
      c.error() << "unsupported Constant form (sparse or string)";
      return failure();
    }
    return c.setConstOutput(0, std::move(t));
  }
  if (op == "Shape" || op == "Size") {
    auto it = c.importer.values.find(c.node.input(0));
    SmallVector<int64_t> shape;
    if (it != c.importer.values.end())
      shape.assign(typeOf(it->second).getShape().begin(),
                   typeOf(it->second).getShape().end());
    else if (const HostTensor *t = c.constInput(0))
      shape = t->shape;
    else
      return std::nullopt;
    HostTensor result;
    if (op == "Size") {
      result.ints = {product(shape)};
      return c.setConstOutput(0, std::move(result));
    }
    int64_t rank = shape.size();
    int64_t start = c.attrInt("start", 0), end = c.attrInt("end", rank);
    if (start < 0)
      start += rank;
    if (end < 0)
      end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, start, rank);
    result.ints.assign(shape.begin() + start, shape.begin() + end);
    result.shape = {end - start};
    return c.setConstOutput(0, std::move(result));
  }

  // Everything else folds only when all present inputs are known.
  SmallVector<const HostTensor *> in;
  for (int i = 0; i < c.numInputs(); ++i) {
    if (!c.hasInput(i)) {
      in.push_back(nullptr);
      continue;
    }
    const HostTensor *t = c.constInput(i);
    if (!t)
      return std::nullopt;
    in.push_back(t);
  }
  if (in.empty() || !in[0])
    return std::nullopt;
  for (const HostTensor *t : in)
    if (t && t->size() > kHostLimit)
      return std::nullopt;
  const HostTensor &x = *in[0];
  HostTensor r;
  r.dtype = x.dtype;

  static const llvm::StringSet<> binaryOps = {"Add", "Sub", "Mul", "Div",
                                              "Equal", "Less", "Greater",
                                              "Min", "Max", "And", "Or"};
  if (binaryOps.count(op) && in.size() == 2 && in[1]) {
    std::optional<Broadcast> b = Broadcast::of({in[0], in[1]});
    if (!b)
      return std::nullopt;
    bool compare = op == "Equal" || op == "Less" || op == "Greater";
    bool logical = op == "And" || op == "Or";
    r.shape = b->shape;
    if (compare)
      r.dtype = onnx::TensorProto::BOOL;
    for (int64_t i = 0; i < b->count; ++i) {
      int64_t ia = b->index(*in[0], i), ib = b->index(*in[1], i);
      if (x.isFloat() && !compare) {
        double u = in[0]->real(ia), v = in[1]->real(ib), w = 0;
        if (op == "Add") w = u + v;
        else if (op == "Sub") w = u - v;
        else if (op == "Mul") w = u * v;
        else if (op == "Div") w = u / v;
        else if (op == "Min") w = std::min(u, v);
        else if (op == "Max") w = std::max(u, v);
        else return std::nullopt;
        r.reals.push_back(roundTo(r.dtype, w));
        continue;
      }
      if (compare) {
        double u = in[0]->real(ia), v = in[1]->real(ib);
        r.ints.push_back(op == "Equal" ? u == v : op == "Less" ? u < v : u > v);
        continue;
      }
      int64_t u = in[0]->integer(ia), v = in[1]->integer(ib), w = 0;
      if (op == "Add") w = u + v;
      else if (op == "Sub") w = u - v;
      else if (op == "Mul") w = u * v;
      else if (op == "Div") {
        if (v == 0)
          return std::nullopt;
        w = u / v;
      } else if (op == "Min") w = std::min(u, v);
      else if (op == "Max") w = std::max(u, v);
      else if (logical) w = op == "And" ? (u && v) : (u || v);
      r.ints.push_back(w);
    }
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Neg" || op == "Abs" || op == "Floor" || op == "Ceil" ||
      op == "Sqrt" || op == "Not" || op == "Identity") {
    r.shape = x.shape;
    for (int64_t i = 0; i < x.size(); ++i) {
      if (x.isFloat()) {
        double v = x.reals[i];
        double w = op == "Neg" ? -v : op == "Abs" ? std::fabs(v)
                 : op == "Floor" ? std::floor(v) : op == "Ceil" ? std::ceil(v)
                 : op == "Sqrt" ? std::sqrt(v) : v;
        if (op == "Not")
          return std::nullopt;
        r.reals.push_back(roundTo(r.dtype, w));
      } else {
        int64_t v = x.ints[i];
        r.ints.push_back(op == "Neg" ? -v : op == "Abs" ? std::abs(v)
                         : op == "Not" ? !v : v);
      }
    }
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Cast") {
    int64_t to = c.attrInt("to", 0);
    if (!elementTypeFor(c.importer.context, to) &&
        to != onnx::TensorProto::DOUBLE)
      return std::nullopt;
    r.dtype = to;
    r.shape = x.shape;
    if (r.isFloat())
      for (int64_t i = 0; i < x.size(); ++i)
        r.reals.push_back(roundTo(to, x.real(i)));
    else
      for (int64_t i = 0; i < x.size(); ++i)
        r.ints.push_back(to == onnx::TensorProto::BOOL ? x.real(i) != 0
                                                        : x.integer(i));
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Unsqueeze" || op == "Squeeze" || op == "Reshape" ||
      op == "Flatten") {
    r = x;
    FailureOr<SmallVector<int64_t>> shape = failure();
    if (op == "Reshape")
    {
      if (in.size() < 2 || !in[1])
        return std::nullopt;
      shape = reshapeTarget(c, x.shape, in[1]->asInts(),
                            c.attrInt("allowzero", 0) != 0);
    }
    else if (op == "Flatten") {
      int64_t axis = c.attrInt("axis", 1);
      if (axis < 0)
        axis += x.shape.size();
      if (axis < 0 || axis > static_cast<int64_t>(x.shape.size()))
        return std::nullopt;
      shape = SmallVector<int64_t>{product(ArrayRef(x.shape).take_front(axis)),
                                   product(ArrayRef(x.shape).drop_front(axis))};
    } else
      shape = squeezeShape(c, x.shape, in.size() > 1 ? in[1] : nullptr,
                           op == "Unsqueeze");
    if (failed(shape))
      return failure();
    if (product(*shape) != x.size()) {
      c.error() << "cannot reshape a constant of " << x.size()
                << " elements";
      return failure();
    }
    r.shape = *shape;
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Gather" && in.size() == 2) {
    const HostTensor &idx = *in[1];
    int64_t rank = x.shape.size();
    FailureOr<int64_t> axis = normAxis(c, c.attrInt("axis", 0), rank);
    if (failed(axis))
      return failure();
    int64_t outer = product(ArrayRef(x.shape).take_front(*axis));
    int64_t dim = x.shape[*axis];
    int64_t inner = product(ArrayRef(x.shape).drop_front(*axis + 1));
    r.shape.assign(x.shape.begin(), x.shape.begin() + *axis);
    r.shape.append(idx.shape.begin(), idx.shape.end());
    r.shape.append(x.shape.begin() + *axis + 1, x.shape.end());
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t j = 0; j < idx.size(); ++j) {
        int64_t k = idx.integer(j);
        if (k < 0)
          k += dim;
        if (k < 0 || k >= dim) {
          c.error() << "gather index " << idx.integer(j)
                    << " is out of range for dim of size " << dim;
          return failure();
        }
        for (int64_t i = 0; i < inner; ++i) {
          int64_t src = (o * dim + k) * inner + i;
          if (x.isFloat())
            r.reals.push_back(x.reals[src]);
          else
            r.ints.push_back(x.ints[src]);
        }
      }
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Concat") {
    int64_t rank = x.shape.size();
    FailureOr<int64_t> axis = normAxis(c, c.attrInt("axis", 0), rank);
    if (failed(axis))
      return failure();
    r.shape = x.shape;
    r.shape[*axis] = 0;
    for (const HostTensor *t : in) {
      if (!t)
        continue;
      if (t->shape.size() != x.shape.size() || t->isFloat() != x.isFloat())
        return std::nullopt;
      r.shape[*axis] += t->shape[*axis];
    }
    int64_t outer = product(ArrayRef(x.shape).take_front(*axis));
    for (int64_t o = 0; o < outer; ++o)
      for (const HostTensor *t : in) {
        if (!t)
          continue;
        int64_t chunk = product(ArrayRef(t->shape).drop_front(*axis));
        for (int64_t i = 0; i < chunk; ++i) {
          if (x.isFloat())
            r.reals.push_back(t->reals[o * chunk + i]);
          else
            r.ints.push_back(t->ints[o * chunk + i]);
        }
      }
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Slice") {
    std::vector<int64_t> params[4];
    for (int i = 0; i < 4; ++i)
      if (in.size() > static_cast<size_t>(i + 1) && in[i + 1])
        params[i] = in[i + 1]->asInts();
    if (failed(normalizeSlice(c, x.shape, params[0], params[1], params[2],
                              params[3])))
      return failure();
    int64_t rank = x.shape.size();
    SmallVector<int64_t> start(rank, 0), step(rank, 1);
    r.shape = x.shape;
    for (size_t i = 0; i < params[0].size(); ++i) {
      int64_t a = params[2][i], s = params[3][i];
      start[a] = params[0][i];
      step[a] = s;
      int64_t n = s > 0 ? (params[1][i] - start[a] + s - 1) / s
                        : (start[a] - params[1][i] - s - 1) / -s;
      r.shape[a] = std::max<int64_t>(0, n);
    }
    int64_t count = product(r.shape);
    for (int64_t flat = 0; flat < count; ++flat) {
      int64_t rem = flat, src = 0, stride = 1;
      SmallVector<int64_t> coords(rank);
      for (int64_t d = rank - 1; d >= 0; --d) {
        coords[d] = rem % r.shape[d];
        rem /= r.shape[d];
      }
      for (int64_t d = rank - 1; d >= 0; --d) {
        src += (start[d] + coords[d] * step[d]) * stride;
        stride *= x.shape[d];
      }
      if (x.isFloat())
        r.reals.push_back(x.reals[src]);
      else
        r.ints.push_back(x.ints[src]);
    }
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "ConstantOfShape") {
    std::vector<int64_t> shape = x.asInts();
    HostTensor fill;
    fill.dtype = onnx::TensorProto::FLOAT;
    fill.reals = {0.0};
    if (const onnx::AttributeProto *a = c.attr("value")) {
      std::string error;
      FailureOr<HostTensor> v = decodeTensor(a->t(), error);
      if (failed(v) || v->size() != 1) {
        c.error() << "bad 'value' attribute: " << error;
        return failure();
      }
      fill = *v;
    }
    if (llvm::any_of(shape, [](int64_t d) { return d < 0; })) {
      c.error() << "negative dim in ConstantOfShape";
      return failure();
    }
    int64_t count = product(shape);
    r.dtype = fill.dtype;
    r.shape.assign(shape.begin(), shape.end());
    if (count > kHostLimit) {
      // Large fills go straight to a splat constant.
      Type element = elementTypeFor(c.importer.context, fill.dtype);
      if (!element) {
        c.error() << "unsupported fill element type";
        return failure();
      }
      auto type = RankedTensorType::get(r.shape, element);
      Attribute scalar =
          isa<FloatType>(element)
              ? Attribute(FloatAttr::get(element, fill.real(0)))
              : Attribute(IntegerAttr::get(element, fill.integer(0)));
      Value splat = ConstantOp::create(c.builder(), c.loc,
                                       DenseElementsAttr::get(type, scalar))
                        .getResult();
      return c.setOutput(0, splat);
    }
    if (r.isFloat())
      r.reals.assign(count, fill.real(0));
    else
      r.ints.assign(count, fill.integer(0));
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Range" && in.size() == 3 && in[1] && in[2]) {
    double start = x.real(0), limit = in[1]->real(0), delta = in[2]->real(0);
    if (delta == 0) {
      c.error() << "Range delta must not be 0";
      return failure();
    }
    int64_t n = std::max<int64_t>(
        0, static_cast<int64_t>(std::ceil((limit - start) / delta)));
    if (n > kHostLimit)
      return std::nullopt;
    r.shape = {n};
    for (int64_t i = 0; i < n; ++i) {
      if (r.isFloat())
        r.reals.push_back(roundTo(r.dtype, start + i * delta));
      else
        r.ints.push_back(x.integer(0) + i * in[2]->integer(0));
    }
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Where" && in.size() == 3 && in[1] && in[2]) {
    std::optional<Broadcast> b = Broadcast::of({in[0], in[1], in[2]});
    if (!b || in[1]->isFloat() != in[2]->isFloat())
      return std::nullopt;
    r.dtype = in[1]->dtype;
    r.shape = b->shape;
    for (int64_t i = 0; i < b->count; ++i) {
      bool cond = in[0]->integer(b->index(*in[0], i)) != 0;
      const HostTensor &src = cond ? *in[1] : *in[2];
      int64_t j = b->index(src, i);
      if (r.isFloat())
        r.reals.push_back(src.reals[j]);
      else
        r.ints.push_back(src.ints[j]);
    }
    return c.setConstOutput(0, std::move(r));
  }
  if (op == "Expand" && in.size() == 2) {
    std::vector<int64_t> target = in[1]->asInts();
    FailureOr<SmallVector<int64_t>> shape = broadcastShapes(x.shape, target);
    if (failed(shape) || product(*shape) > kHostLimit)
      return std::nullopt;
    HostTensor shapeT;
    shapeT.shape = *shape;
    Broadcast b;
    b.shape = *shape;
    b.count = product(*shape);
    r.shape = *shape;
    for (int64_t i = 0; i < b.count; ++i) {
      int64_t j = b.index(x, i);
      if (x.isFloat())
        r.reals.push_back(x.reals[j]);
      else
        r.ints.push_back(x.ints[j]);
    }
    return c.setConstOutput(0, std::move(r));
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

const std::vector<OpEntry> &mlir::fuse::onnx_import::opTable() {
  static const std::vector<OpEntry> table = [] {
    auto alphaAttr = [](float fallback) -> AttrFn {
      return [fallback](NodeContext &c) {
        return SmallVector<NamedAttribute>{
            c.named("alpha", f32(c, c.attrFloat("alpha", fallback)))};
      };
    };
    std::vector<OpEntry> t = {
        {"", "Abs", 13, "fuse.abs", unary<AbsOp>()},
        {"", "Acos", 7, "fuse.acos", unary<AcosOp>()},
        {"", "Acosh", 9, "fuse.acosh", unary<AcoshOp>()},
        {"", "Add", 14, "fuse.add", binary<AddOp>()},
        {"", "And", 7, "fuse.and", binary<AndOp>()},
        {"", "ArgMax", 13, "fuse.arg_max", importArgReduce<ArgMaxOp>},
        {"", "ArgMin", 13, "fuse.arg_min", importArgReduce<ArgMinOp>},
        {"", "Asin", 7, "fuse.asin", unary<AsinOp>()},
        {"", "Asinh", 9, "fuse.asinh", unary<AsinhOp>()},
        {"", "Atan", 7, "fuse.atan", unary<AtanOp>()},
        {"", "Atanh", 9, "fuse.atanh", unary<AtanhOp>()},
        {"", "AveragePool", 11, "fuse.avg_pool",
         [](NodeContext &c) { return importPool<AvgPoolOp>(c, true); }},
        {"", "BatchNormalization", 15, "fuse.batch_norm", importBatchNorm},
        {"", "BlackmanWindow", 17, "import-time constant", cosineWindow({0.42, -0.5, 0.08})},
        {"", "Cast", 13, "fuse.cast", importCast},
        {"", "CastLike", 15, "fuse.cast", importCastLike},
        {"", "Ceil", 13, "fuse.ceil", unary<CeilOp>()},
        {"", "Celu", 12, "fuse.exp + fuse.max/min (+ arith)", importCelu},
        {"", "Clip", 13, "fuse.clip (+ fuse.max/min for runtime bounds)",
         importClip},
        {"", "Concat", 13, "fuse.concat", importConcat},
        {"", "Compress", 11, "fuse.gather (import-time condition)",
         importCompress},
        {"", "Constant", 13, "import-time constant", importHostOnly},
        {"", "ConstantOfShape", 9, "import-time constant", importHostOnly},
        {"", "Conv", 11, "fuse.conv", importConv},
        {"", "ConvTranspose", 11, "fuse.conv_transpose", importConvTranspose},
        {"", "Cos", 7, "fuse.cos", unary<CosOp>()},
        {"", "Cosh", 9, "fuse.cosh", unary<CoshOp>()},
        {"", "CumSum", 14, "fuse.cumsum", importCumSum},
        {"", "DepthToSpace", 13, "fuse.reshape + fuse.transpose", [](NodeContext &c) { return importDepthSpace(c, true); }},
        {"", "Div", 14, "fuse.div", binary<DivOp>()},
        {"", "Dropout", 13, "(removed)", importIdentity},
        {"", "Einsum", 12, "fuse.matmul (+ transpose, reshape)", importEinsum},
        {"", "Elu", 6, "fuse.exp + fuse.select (+ arith)", importElu},
        {"", "Equal", 13, "fuse.equal", binary<EqualOp>()},
        {"", "Erf", 13, "fuse.erf", unary<ErfOp>()},
        {"", "Exp", 13, "fuse.exp", unary<ExpOp>()},
        {"", "Expand", 13, "fuse.expand", importExpand},
        {"", "EyeLike", 9, "import-time constant", importEyeLike},
        {"", "Flatten", 13, "fuse.reshape", importFlatten},
        {"", "Floor", 13, "fuse.floor", unary<FloorOp>()},
        {"", "Gather", 13, "fuse.gather", importGatherAlongAxis<GatherOp>},
        {"", "GatherElements", 13, "fuse.gather_elements",
         importGatherAlongAxis<GatherElementsOp>},
        {"", "GatherND", 13, "fuse.gather_nd", importGatherND},
        {"", "Gemm", 13, "fuse.matmul + fuse.add", importGemm},
        {"", "GlobalAveragePool", 1, "fuse.reduce mean",
         globalPool(ReduceKind::mean)},
        {"", "GlobalMaxPool", 1, "fuse.reduce max", globalPool(ReduceKind::max)},
        {"", "Greater", 13, "fuse.greater", binary<GreaterOp>()},
        {"", "GreaterOrEqual", 16, "fuse.less + fuse.not",
         negatedCompare<LessOp>()},
        {"", "HammingWindow", 17, "import-time constant", cosineWindow({25.0 / 46.0, -(1.0 - 25.0 / 46.0)})},
        {"", "HannWindow", 17, "import-time constant", cosineWindow({0.5, -0.5})},
        {"", "Hardmax", 13, "fuse.arg_max + fuse.equal + fuse.cast", importHardmax},
        {"", "HardSigmoid", 6, "fuse.hard_sigmoid",
         unary<HardSigmoidOp>([](NodeContext &c) {
           return SmallVector<NamedAttribute>{
               c.named("alpha", f32(c, c.attrFloat("alpha", 0.2f))),
               c.named("beta", f32(c, c.attrFloat("beta", 0.5f)))};
         })},
        {"", "HardSwish", 14, "fuse.hard_swish", unary<HardSwishOp>()},
        {"", "Identity", 16, "(removed)", importIdentity},
        {"", "InstanceNormalization", 6, "fuse.layer_norm + fuse.mul + fuse.add", importInstanceNorm},
        {"", "IsInf", 10, "fuse.equal + fuse.or", importIsInf},
        {"", "IsNaN", 13, "fuse.equal + fuse.not", composed(importIsNaN)},
        {"", "LRN", 13, "fuse.avg_pool + fuse.pow (+ arith)", importLRN},
        {"", "LayerNormalization", 17, "fuse.layer_norm", importLayerNorm},
        {"", "LeakyRelu", 16, "fuse.leaky_relu",
         unary<LeakyReluOp>(alphaAttr(0.01f))},
        {"", "Less", 13, "fuse.less", binary<LessOp>()},
        {"", "LessOrEqual", 16, "fuse.greater + fuse.not",
         negatedCompare<GreaterOp>()},
        {"", "Log", 13, "fuse.log", unary<LogOp>()},
        {"", "LogSoftmax", 13, "fuse.log_softmax",
         importSoftmax<LogSoftmaxOp>},
        {"", "LpNormalization", 1, "fuse.reduce l1/l2 + fuse.div", importLpNorm},
        {"", "MatMul", 13, "fuse.matmul", importMatMul},
        {"", "Max", 13, "fuse.max", variadic<MaxOp>()},
        {"", "MaxPool", 12, "fuse.max_pool",
         [](NodeContext &c) { return importPool<MaxPoolOp>(c, false); }},
        {"", "Mean", 13, "fuse.add + fuse.div", variadic<AddOp>(true)},
        {"", "MeanVarianceNormalization", 13, "fuse.reduce mean + fuse.sqrt (+ arith)", importMeanVarianceNorm},
        {"", "Min", 13, "fuse.min", variadic<MinOp>()},
        {"", "Mod", 13, "fuse.mod", importMod},
        {"", "Mul", 14, "fuse.mul", binary<MulOp>()},
        {"", "Neg", 13, "fuse.neg", unary<NegOp>()},
        {"", "Not", 1, "fuse.not", unary<NotOp>()},
        {"", "OneHot", 11, "fuse.equal + fuse.select", importOneHot},
        {"", "Or", 7, "fuse.or", binary<OrOp>()},
        {"", "Pad", 13, "fuse.pad", importPad},
        {"", "Pow", 15, "fuse.pow", importPow},
        {"", "PRelu", 16, "fuse.less + fuse.mul + fuse.select", importPRelu},
        {"", "Range", 11, "import-time constant", importHostOnly},
        {"", "Reciprocal", 13, "fuse.reciprocal", unary<ReciprocalOp>()},
        {"", "ReduceL1", 13, "fuse.reduce l1", reduce(ReduceKind::l1)},
        {"", "ReduceL2", 13, "fuse.reduce l2", reduce(ReduceKind::l2)},
        {"", "ReduceLogSum", 13, "fuse.reduce log_sum",
         reduce(ReduceKind::log_sum)},
        {"", "ReduceLogSumExp", 13, "fuse.reduce log_sum_exp",
         reduce(ReduceKind::log_sum_exp)},
        {"", "ReduceMax", 13, "fuse.reduce max", reduce(ReduceKind::max)},
        {"", "ReduceMean", 13, "fuse.reduce mean", reduce(ReduceKind::mean)},
        {"", "ReduceMin", 13, "fuse.reduce min", reduce(ReduceKind::min)},
        {"", "ReduceProd", 13, "fuse.reduce prod", reduce(ReduceKind::prod)},
        {"", "ReduceSum", 13, "fuse.reduce sum", reduce(ReduceKind::sum)},
        {"", "ReduceSumSquare", 13, "fuse.reduce sum_square",
         reduce(ReduceKind::sum_square)},
        {"", "Relu", 14, "fuse.relu", unary<ReluOp>()},
        {"", "Reshape", 14, "fuse.reshape", importReshape},
        {"", "Resize", 13, "fuse.resize", importResize},
        {"", "ReverseSequence", 10, "fuse.gather_elements (+ index arithmetic)", importReverseSequence},
        {"", "Round", 11, "fuse.round", unary<RoundOp>()},
        {"", "Scatter", 9, "fuse.scatter_elements (via the version converter)",
         importScatter<ScatterElementsOp>},
        {"", "ScatterElements", 16, "fuse.scatter_elements", importScatter<ScatterElementsOp>},
        {"", "ScatterND", 16, "fuse.scatter_nd", importScatter<ScatterNDOp>},
        {"", "Selu", 6, "fuse.exp + fuse.select (+ arith)", importSelu},
        {"", "Shape", 15, "import-time constant", importHostOnly},
        {"", "Shrink", 9, "fuse.select (+ arith)", importShrink},
        {"", "Sigmoid", 13, "fuse.sigmoid", unary<SigmoidOp>()},
        {"", "Sign", 13, "fuse.select (+ compare)", composed(importSign)},
        {"", "Sin", 7, "fuse.sin", unary<SinOp>()},
        {"", "Sinh", 9, "fuse.sinh", unary<SinhOp>()},
        {"", "Size", 13, "import-time constant", importHostOnly},
        {"", "Slice", 13, "fuse.slice", importSlice},
        {"", "Softmax", 13, "fuse.softmax", importSoftmax<SoftmaxOp>},
        {"", "Softplus", 1, "fuse.exp + fuse.log (+ arith)", composed(importSoftplus)},
        {"", "Softsign", 1, "fuse.abs + fuse.div (+ arith)", composed(importSoftsign)},
        {"", "SpaceToDepth", 13, "fuse.reshape + fuse.transpose", [](NodeContext &c) { return importDepthSpace(c, false); }},
        {"", "Split", 13, "fuse.split", importSplit},
        {"", "Sqrt", 13, "fuse.sqrt", unary<SqrtOp>()},
        {"", "Squeeze", 13, "fuse.reshape", squeezeLike(false)},
        {"", "Sub", 14, "fuse.sub", binary<SubOp>()},
        {"", "Sum", 13, "fuse.add", variadic<AddOp>()},
        {"", "Tan", 7, "fuse.tan", unary<TanOp>()},
        {"", "Tanh", 13, "fuse.tanh", unary<TanhOp>()},
        {"", "ThresholdedRelu", 10, "fuse.greater + fuse.select", importThresholdedRelu},
        {"", "Tile", 13, "fuse.tile", importTile},
        {"", "TopK", 11, "fuse.equal/greater + fuse.reduce sum + fuse.select",
         importTopK},
        {"", "Transpose", 13, "fuse.transpose", importTranspose},
        {"", "Trilu", 14, "fuse.less/greater + fuse.select", importTrilu},
        {"", "Unsqueeze", 13, "fuse.reshape", squeezeLike(true)},
        {"", "Upsample", 9, "fuse.resize (via the version converter)",
         importUpsample},
        {"", "Where", 16, "fuse.select", importWhere},
        {"", "Xor", 7, "fuse.xor", binary<XorOp>()},
        {"com.microsoft", "Gelu", 1, "fuse.gelu", unary<GeluOp>()},
    };
    return t;
  }();
  return table;
}

std::vector<OnnxOpInfo> mlir::fuse::getSupportedOnnxOps() {
  std::vector<OnnxOpInfo> result;
  for (const OpEntry &e : opTable())
    result.push_back({e.domain, e.opType, e.sinceVersion, e.lowering});
  llvm::sort(result, [](const OnnxOpInfo &a, const OnnxOpInfo &b) {
    return std::make_pair(a.domain, a.opType) <
           std::make_pair(b.domain, b.opType);
  });
  return result;
}
