//===- FuseOps.cpp - Fuse op verifiers, type inference and costs ----------===//
//
// Every check here runs on user input (parsed IR, importer builders), so
// each failure is a diagnostic, never an assertion.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::fuse;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static std::string shapeString(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  return text;
}

static LogicalResult fail(std::optional<Location> loc, const Twine &message) {
  return emitOptionalError(loc, message);
}

/// The ranked tensor type of `value`, or null.
static RankedTensorType rankedType(Value value) {
  return value ? dyn_cast<RankedTensorType>(value.getType()) : nullptr;
}


FailureOr<SmallVector<int64_t>>
mlir::fuse::broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1)
      result[i] = da;
    else if (da == 1)
      result[i] = db;
    else
      return failure();
  }
  return result;
}

LogicalResult mlir::fuse::inferBroadcastResult(
    MLIRContext *context, std::optional<Location> loc, ValueRange operands,
    Type elementType, SmallVectorImpl<Type> &inferredTypes) {
  SmallVector<int64_t> shape;
  Type firstElement;
  for (Value operand : operands) {
    RankedTensorType type = rankedType(operand);
    if (!type)
      return fail(loc, "expected ranked tensor operands");
    if (!firstElement)
      firstElement = type.getElementType();
    FailureOr<SmallVector<int64_t>> merged =
        broadcastShapes(shape, type.getShape());
    if (failed(merged))
      return fail(loc, "operand shapes are not broadcast-compatible: " +
                           shapeString(shape) + " vs " +
                           shapeString(type.getShape()));
    shape = std::move(*merged);
  }
  if (!firstElement)
    return fail(loc, "expected at least one operand");
  inferredTypes.push_back(
      RankedTensorType::get(shape, elementType ? elementType : firstElement));
  return success();
}

/// Expands a per-spatial-dim attribute: empty means `fill` everywhere.
static FailureOr<SmallVector<int64_t>>
perDim(std::optional<Location> loc, StringRef name, ArrayRef<int64_t> values,
       size_t count, int64_t fill, int64_t minValue) {
  if (values.empty())
    return SmallVector<int64_t>(count, fill);
  if (values.size() != count) {
    (void)fail(loc, "'" + name + "' must have " + Twine(count) +
                        " entries, got " + Twine(values.size()));
    return failure();
  }
  for (int64_t v : values)
    if (v < minValue) {
      (void)fail(loc, "'" + name + "' entries must be >= " + Twine(minValue) +
                          ", got " + Twine(v));
      return failure();
    }
  return SmallVector<int64_t>(values);
}

/// Checks that `axis` lies in [0, rank).
static LogicalResult checkAxis(std::optional<Location> loc, StringRef name,
                               int64_t axis, int64_t rank) {
  if (axis < 0 || axis >= rank)
    return fail(loc, "'" + name + "' " + Twine(axis) +
                         " is out of range for rank " + Twine(rank) +
                         " (expected 0 <= " + name + " < " + Twine(rank) +
                         ")");
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin().convertToDouble() > getMax().convertToDouble())
    return emitOpError("'min' (") << getMin().convertToDouble()
                                  << ") must not exceed 'max' ("
                                  << getMax().convertToDouble() << ")";
  return success();
}

void CastOp::build(OpBuilder &builder, OperationState &state, Value input,
                   Type elementType) {
  auto type = cast<RankedTensorType>(input.getType());
  build(builder, state, type.clone(elementType), input);
}

LogicalResult CastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (in.getShape() != out.getShape())
    return emitOpError("operand shape ")
           << shapeString(in.getShape()) << " differs from result shape "
           << shapeString(out.getShape());
  return success();
}



LogicalResult SelectOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType trueType = rankedType(adaptor.getTrueValue());
  if (!trueType)
    return fail(loc, "expected a ranked tensor 'true_value'");
  return inferBroadcastResult(context, loc, adaptor.getOperands(),
                              trueType.getElementType(), types);
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType lhs = rankedType(adaptor.getLhs());
  RankedTensorType rhs = rankedType(adaptor.getRhs());
  if (!lhs || !rhs)
    return fail(loc, "expected ranked tensor operands");
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return fail(loc, "operands must have rank >= 2, got " +
                         Twine(lhs.getRank()) + " and " + Twine(rhs.getRank()));
  ArrayRef<int64_t> a = lhs.getShape(), b = rhs.getShape();
  int64_t m = a[a.size() - 2], ka = a.back();
  if (adaptor.getTransposeA())
    std::swap(m, ka);
  int64_t kb = b[b.size() - 2], n = b.back();
  if (adaptor.getTransposeB())
    std::swap(kb, n);
  if (ka != kb)
    return fail(loc, "contraction dims differ: lhs has K = " + Twine(ka) +
                         ", rhs has K = " + Twine(kb));
  FailureOr<SmallVector<int64_t>> batch =
      broadcastShapes(a.drop_back(2), b.drop_back(2));
  if (failed(batch))
    return fail(loc, "batch dims are not broadcast-compatible: " +
                         shapeString(a.drop_back(2)) + " vs " +
                         shapeString(b.drop_back(2)));
  batch->push_back(m);
  batch->push_back(n);
  types.push_back(RankedTensorType::get(*batch, lhs.getElementType()));
  return success();
}

int64_t MatMulOp::computeFlops() {
  auto lhs = cast<RankedTensorType>(getLhs().getType());
  int64_t k = getTransposeA() ? lhs.getShape()[lhs.getRank() - 2]
                              : lhs.getShape().back();
  return 2 * numElements(getType()) * k;
}

namespace {
/// Spatial geometry shared by convolutions and pools.
struct WindowGeometry {
  SmallVector<int64_t> strides, dilations, pads;
};
} // namespace

static FailureOr<WindowGeometry>
windowGeometry(std::optional<Location> loc, size_t spatial,
               ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
               ArrayRef<int64_t> pads) {
  WindowGeometry g;
  auto s = perDim(loc, "strides", strides, spatial, 1, 1);
  if (failed(s))
    return failure();
  auto d = perDim(loc, "dilations", dilations, spatial, 1, 1);
  if (failed(d))
    return failure();
  auto p = perDim(loc, "pads", pads, 2 * spatial, 0, 0);
  if (failed(p))
    return failure();
  g.strides = std::move(*s);
  g.dilations = std::move(*d);
  g.pads = std::move(*p);
  return g;
}

/// Output size of a sliding window (conv and pools).
static FailureOr<int64_t> windowOutput(std::optional<Location> loc,
                                       size_t dim, int64_t in, int64_t kernel,
                                       const WindowGeometry &g, size_t spatial,
                                       bool ceilMode) {
  int64_t padBegin = g.pads[dim], padEnd = g.pads[dim + spatial];
  int64_t span = in + padBegin + padEnd - g.dilations[dim] * (kernel - 1) - 1;
  if (span < 0) {
    (void)fail(loc, "window of size " + Twine(kernel) + " (dilation " +
                        Twine(g.dilations[dim]) + ") does not fit spatial dim " +
                        Twine(dim) + " of size " + Twine(in) + " with pads " +
                        Twine(padBegin) + "+" + Twine(padEnd));
    return failure();
  }
  int64_t stride = g.strides[dim];
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // A window that would start entirely inside the end padding is dropped.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

template <typename AdaptorT>
static LogicalResult inferConv(std::optional<Location> loc, AdaptorT adaptor,
                               bool transposed,
                               ArrayRef<int64_t> outputPaddingAttr,
                               SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  RankedTensorType weight = rankedType(adaptor.getWeight());
  if (!input || !weight)
    return fail(loc, "expected ranked tensor operands");
  int64_t rank = input.getRank();
  if (rank < 3 || rank > 5)
    return fail(loc, "input must have rank 3, 4 or 5 ([N, C, spatial...]), "
                     "got rank " +
                         Twine(rank));
  if (weight.getRank() != rank)
    return fail(loc, "weight rank " + Twine(weight.getRank()) +
                         " differs from input rank " + Twine(rank));
  if (input.getElementType() != weight.getElementType())
    return fail(loc, "input and weight element types differ");
  size_t spatial = rank - 2;
  int64_t groups = adaptor.getGroups();
  if (groups < 1)
    return fail(loc, "'groups' must be >= 1, got " + Twine(groups));
  ArrayRef<int64_t> in = input.getShape(), w = weight.getShape();
  int64_t channels = in[1], filters;
  if (!transposed) {
    if (channels % groups != 0 || w[1] * groups != channels)
      return fail(loc, "input has " + Twine(channels) +
                           " channels but weight expects " + Twine(w[1]) +
                           " per group x " + Twine(groups) + " groups");
    filters = w[0];
    if (filters % groups != 0)
      return fail(loc, "weight has " + Twine(filters) +
                           " filters, not divisible by " + Twine(groups) +
                           " groups");
  } else {
    if (w[0] != channels)
      return fail(loc, "input has " + Twine(channels) +
                           " channels but transposed weight has " +
                           Twine(w[0]));
    if (channels % groups != 0)
      return fail(loc, "input channels " + Twine(channels) +
                           " not divisible by " + Twine(groups) + " groups");
    filters = w[1] * groups;
  }
  if (Value bias = adaptor.getBias()) {
    RankedTensorType biasType = rankedType(bias);
    if (!biasType || biasType.getRank() != 1 ||
        biasType.getDimSize(0) != filters)
      return fail(loc, "bias must have shape " + Twine(filters));
  }
  FailureOr<WindowGeometry> g =
      windowGeometry(loc, spatial, adaptor.getStrides(),
                     adaptor.getDilations(), adaptor.getPads());
  if (failed(g))
    return failure();
  SmallVector<int64_t> shape = {in[0], filters};
  for (size_t i = 0; i < spatial; ++i) {
    int64_t kernel = w[i + 2];
    if (!transposed) {
      FailureOr<int64_t> out =
          windowOutput(loc, i, in[i + 2], kernel, *g, spatial, false);
      if (failed(out))
        return failure();
      shape.push_back(*out);
    } else {
      shape.push_back(0);
    }
  }
  if (transposed) {
    auto outputPadding = perDim(loc, "output_padding", outputPaddingAttr,
                                spatial, 0, 0);
    if (failed(outputPadding))
      return failure();
    for (size_t i = 0; i < spatial; ++i) {
      int64_t op = (*outputPadding)[i];
      int64_t out = g->strides[i] * (in[i + 2] - 1) + op +
                    g->dilations[i] * (w[i + 2] - 1) + 1 - g->pads[i] -
                    g->pads[i + spatial];
      if (out < 1)
        return fail(loc, "pads leave no output in spatial dim " + Twine(i));
      shape[i + 2] = out;
    }
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  return inferConv(loc, adaptor, /*transposed=*/false, {}, types);
}

int64_t ConvOp::computeFlops() {
  auto weight = cast<RankedTensorType>(getWeight().getType());
  int64_t out = numElements(getType());
  return 2 * out * product(weight.getShape().drop_front()) +
         (getBias() ? out : 0);
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  return inferConv(loc, adaptor, /*transposed=*/true,
                   adaptor.getOutputPadding(), types);
}

int64_t ConvTransposeOp::computeFlops() {
  auto weight = cast<RankedTensorType>(getWeight().getType());
  return 2 * numElements(getInput().getType()) *
             product(weight.getShape().drop_front()) +
         (getBias() ? numElements(getType()) : 0);
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

template <typename AdaptorT>
static LogicalResult inferPool(std::optional<Location> loc, AdaptorT adaptor,
                               SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  int64_t rank = input.getRank();
  if (rank < 3 || rank > 5)
    return fail(loc, "input must have rank 3, 4 or 5 ([N, C, spatial...]), "
                     "got rank " +
                         Twine(rank));
  size_t spatial = rank - 2;
  ArrayRef<int64_t> kernel = adaptor.getKernelShape();
  if (kernel.size() != spatial)
    return fail(loc, "'kernel_shape' must have " + Twine(spatial) +
                         " entries, got " + Twine(kernel.size()));
  for (int64_t k : kernel)
    if (k < 1)
      return fail(loc, "'kernel_shape' entries must be >= 1, got " + Twine(k));
  FailureOr<WindowGeometry> g =
      windowGeometry(loc, spatial, adaptor.getStrides(),
                     adaptor.getDilations(), adaptor.getPads());
  if (failed(g))
    return failure();
  for (size_t i = 0; i < spatial; ++i)
    if (g->pads[i] >= kernel[i] || g->pads[i + spatial] >= kernel[i])
      return fail(loc, "pads must be smaller than the kernel in spatial dim " +
                           Twine(i));
  ArrayRef<int64_t> in = input.getShape();
  SmallVector<int64_t> shape = {in[0], in[1]};
  for (size_t i = 0; i < spatial; ++i) {
    FailureOr<int64_t> out = windowOutput(loc, i, in[i + 2], kernel[i], *g,
                                          spatial, adaptor.getCeilMode());
    if (failed(out))
      return failure();
    shape.push_back(*out);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPool(loc, adaptor, types);
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPool(loc, adaptor, types);
}

LogicalResult ReduceOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  int64_t rank = input.getRank();
  ArrayRef<int64_t> axes = adaptor.getAxes();
  SmallVector<bool> reduced(rank, axes.empty());
  int64_t previous = -1;
  for (int64_t axis : axes) {
    if (failed(checkAxis(loc, "axes", axis, rank)))
      return failure();
    if (axis <= previous)
      return fail(loc, "'axes' must be sorted and unique");
    previous = axis;
    reduced[axis] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      shape.push_back(input.getDimSize(i));
    else if (adaptor.getKeepdims())
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

int64_t ReduceOp::computeFlops() {
  int64_t in = numElements(getInput().getType());
  int64_t out = numElements(getType());
  switch (getKind()) {
  case ReduceKind::sum:
  case ReduceKind::max:
  case ReduceKind::min:
  case ReduceKind::prod:
    return in;
  case ReduceKind::mean:
  case ReduceKind::log_sum:
    return in + out;
  case ReduceKind::l1:
  case ReduceKind::sum_square:
    return 2 * in;
  case ReduceKind::l2:
  case ReduceKind::log_sum_exp:
    return 2 * in + out;
  }
  return in;
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  return checkAxis(getLoc(), "axis", getAxis(),
                   cast<ShapedType>(getType()).getRank());
}

LogicalResult LogSoftmaxOp::verify() {
  return checkAxis(getLoc(), "axis", getAxis(),
                   cast<ShapedType>(getType()).getRank());
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, input.getRank())))
    return failure();
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  for (auto [name, value] : {std::pair<StringRef, Value>{"scale",
                                                         adaptor.getScale()},
                             {"bias", adaptor.getBias()}}) {
    if (!value)
      continue;
    RankedTensorType type = rankedType(value);
    if (!type || type.getElementType() != input.getElementType())
      return fail(loc, "'" + name + "' must have the input's element type");
    FailureOr<SmallVector<int64_t>> merged =
        broadcastShapes(normalized, type.getShape());
    if (failed(merged) || ArrayRef<int64_t>(*merged) != normalized)
      return fail(loc, "'" + name + "' of shape " +
                           shapeString(type.getShape()) +
                           " does not broadcast to the normalized shape " +
                           shapeString(normalized));
  }
  types.push_back(input);
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  if (input.getRank() < 2)
    return fail(loc, "input must have rank >= 2 ([N, C, ...]), got rank " +
                         Twine(input.getRank()));
  int64_t channels = input.getDimSize(1);
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"scale", adaptor.getScale()},
        {"bias", adaptor.getBias()},
        {"mean", adaptor.getMean()},
        {"variance", adaptor.getVariance()}}) {
    RankedTensorType type = rankedType(value);
    if (!type || type.getRank() != 1 || type.getDimSize(0) != channels)
      return fail(loc, "'" + name + "' must have shape " + Twine(channels) +
                           " (the channel count)");
  }
  types.push_back(input);
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  ArrayRef<int64_t> perm = adaptor.getPerm();
  int64_t rank = input.getRank();
  if (static_cast<int64_t>(perm.size()) != rank)
    return fail(loc, "'perm' must have " + Twine(rank) + " entries, got " +
                         Twine(perm.size()));
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return fail(loc, "'perm' must be a permutation of 0.." +
                           Twine(rank - 1));
    seen[p] = true;
    shape.push_back(input.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

void ReshapeOp::build(OpBuilder &builder, OperationState &state, Value input,
                      ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(input.getType());
  build(builder, state, RankedTensorType::get(shape, type.getElementType()),
        input);
}

LogicalResult ReshapeOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  auto out = cast<ShapedType>(getType());
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << shapeString(in.getShape()) << " (" << in.getNumElements()
           << " elements) to " << shapeString(out.getShape()) << " ("
           << out.getNumElements() << " elements)";
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return fail(loc, "expected at least one input");
  RankedTensorType first = rankedType(inputs.front());
  if (!first)
    return fail(loc, "expected ranked tensor operands");
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, first.getRank())))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  for (Value input : inputs.drop_front()) {
    RankedTensorType type = rankedType(input);
    if (!type || type.getRank() != first.getRank())
      return fail(loc, "all inputs must have rank " + Twine(first.getRank()));
    for (int64_t i = 0; i < first.getRank(); ++i) {
      if (i == axis)
        shape[i] += type.getDimSize(i);
      else if (type.getDimSize(i) != shape[i])
        return fail(loc, "input shapes " + shapeString(first.getShape()) +
                             " and " + shapeString(type.getShape()) +
                             " differ outside the concat axis " + Twine(axis));
    }
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, input.getRank())))
    return failure();
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (sizes.empty())
    return fail(loc, "'sizes' must not be empty");
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 0)
      return fail(loc, "'sizes' entries must be >= 0, got " + Twine(size));
    total += size;
  }
  if (total != input.getDimSize(axis))
    return fail(loc, "'sizes' add up to " + Twine(total) + " but dim " +
                         Twine(axis) + " has size " +
                         Twine(input.getDimSize(axis)));
  for (int64_t size : sizes) {
    SmallVector<int64_t> shape(input.getShape());
    shape[axis] = size;
    types.push_back(RankedTensorType::get(shape, input.getElementType()));
  }
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    axes = adaptor.getAxes(), steps = adaptor.getSteps();
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return fail(loc, "'starts', 'ends', 'axes' and 'steps' must have the "
                     "same length");
  int64_t rank = input.getRank();
  SmallVector<int64_t> shape(input.getShape());
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t axis = axes[i];
    if (failed(checkAxis(loc, "axes", axis, rank)))
      return failure();
    if (seen[axis])
      return fail(loc, "'axes' must be unique");
    seen[axis] = true;
    int64_t dim = input.getDimSize(axis), start = starts[i], end = ends[i],
            step = steps[i];
    if (step == 0)
      return fail(loc, "'steps' entries must be non-zero");
    // Forward: 0 <= start, end <= dim. Backward: -1 <= end, start < dim.
    bool ok = step > 0 ? (start >= 0 && start <= dim && end >= 0 && end <= dim)
                       : (start >= 0 && start <= std::max<int64_t>(0, dim - 1) &&
                          end >= -1 && end < std::max<int64_t>(1, dim));
    if (!ok)
      return fail(loc, "slice [" + Twine(start) + ", " + Twine(end) +
                           ") with step " + Twine(step) +
                           " is not normalized for dim " + Twine(axis) +
                           " of size " + Twine(dim));
    int64_t count = step > 0 ? (end - start + step - 1) / step
                             : (start - end + (-step) - 1) / (-step);
    shape[axis] = std::max<int64_t>(0, count);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  if (!data || !indices)
    return fail(loc, "expected ranked tensor operands");
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, data.getRank())))
    return failure();
  SmallVector<int64_t> shape(data.getShape().take_front(axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(axis + 1));
  types.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

void ExpandOp::build(OpBuilder &builder, OperationState &state, Value input,
                     ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(input.getType());
  build(builder, state, RankedTensorType::get(shape, type.getElementType()),
        input);
}

LogicalResult ExpandOp::verify() {
  ArrayRef<int64_t> in = cast<ShapedType>(getInput().getType()).getShape();
  ArrayRef<int64_t> out = cast<ShapedType>(getType()).getShape();
  FailureOr<SmallVector<int64_t>> merged = broadcastShapes(in, out);
  if (failed(merged) || ArrayRef<int64_t>(*merged) != out)
    return emitOpError("cannot broadcast ")
           << shapeString(in) << " to " << shapeString(out);
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  int64_t rank = input.getRank();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return fail(loc, "'pads' must have " + Twine(2 * rank) +
                         " entries (begins then ends), got " +
                         Twine(pads.size()));
  PadMode mode = adaptor.getMode();
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t dim = input.getDimSize(i), begin = pads[i], end = pads[i + rank];
    if (mode == PadMode::reflect && (begin >= dim || end >= dim) &&
        (begin > 0 || end > 0))
      return fail(loc, "reflect pads must be smaller than dim " + Twine(i) +
                           " of size " + Twine(dim));
    if (mode == PadMode::edge && dim == 0 && (begin > 0 || end > 0))
      return fail(loc, "edge padding needs a non-empty dim " + Twine(i));
    int64_t out = dim + begin + end;
    if (out < 0)
      return fail(loc, "negative pads remove more than dim " + Twine(i) +
                           " of size " + Twine(dim));
    shape.push_back(out);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult ResizeOp::verify() {
  auto in = cast<ShapedType>(getInput().getType());
  auto out = cast<ShapedType>(getType());
  if (in.getRank() != out.getRank())
    return emitOpError("result rank ")
           << out.getRank() << " differs from input rank " << in.getRank();
  if (std::optional<ArrayRef<float>> scales = getScales()) {
    if (static_cast<int64_t>(scales->size()) != in.getRank())
      return emitOpError("'scales' must have ")
             << in.getRank() << " entries, got " << scales->size();
    for (float scale : *scales)
      if (!(scale > 0.0f))
        return emitOpError("'scales' entries must be positive, got ")
               << scale;
  }
  for (int64_t i = 0; i < in.getRank(); ++i)
    if (in.getDimSize(i) == 0 && out.getDimSize(i) != 0)
      return emitOpError("cannot resize an empty dim ") << i;
  if (getMode() != ResizeMode::nearest &&
      !isa<FloatType>(in.getElementType()))
    return emitOpError("linear and cubic modes need a floating-point input");
  return success();
}

LogicalResult TileOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  ArrayRef<int64_t> repeats = adaptor.getRepeats();
  if (static_cast<int64_t>(repeats.size()) != input.getRank())
    return fail(loc, "'repeats' must have " + Twine(input.getRank()) +
                         " entries, got " + Twine(repeats.size()));
  SmallVector<int64_t> shape;
  for (auto [dim, repeat] : llvm::zip(input.getShape(), repeats)) {
    if (repeat < 0)
      return fail(loc, "'repeats' entries must be >= 0, got " + Twine(repeat));
    shape.push_back(dim * repeat);
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  ElementsAttr value = adaptor.getValueAttr();
  if (!value)
    return fail(loc, "expected an elements attribute 'value'");
  types.push_back(value.getType());
  return success();
}

LogicalResult ConstantOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getValue().getType());
  if (!type || !type.hasStaticShape())
    return emitOpError("value must be a statically shaped ranked tensor");
  return success();
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType q = rankedType(adaptor.getQuery());
  RankedTensorType k = rankedType(adaptor.getKey());
  RankedTensorType v = rankedType(adaptor.getValue());
  if (!q || !k || !v)
    return fail(loc, "expected ranked tensor operands");
  int64_t rank = q.getRank();
  if (rank < 2 || k.getRank() != rank || v.getRank() != rank)
    return fail(loc, "query, key and value must have the same rank >= 2");
  ArrayRef<int64_t> qs = q.getShape(), ks = k.getShape(), vs = v.getShape();
  if (qs.drop_back(2) != ks.drop_back(2) || qs.drop_back(2) != vs.drop_back(2))
    return fail(loc, "query, key and value leading dims differ: " +
                         shapeString(qs) + ", " + shapeString(ks) + ", " +
                         shapeString(vs));
  if (qs.back() != ks.back())
    return fail(loc, "query head dim " + Twine(qs.back()) +
                         " differs from key head dim " + Twine(ks.back()));
  if (ks[rank - 2] != vs[rank - 2])
    return fail(loc, "key length " + Twine(ks[rank - 2]) +
                         " differs from value length " + Twine(vs[rank - 2]));
  SmallVector<int64_t> scores(qs.drop_back());
  scores.push_back(ks[rank - 2]);
  if (Value mask = adaptor.getMask()) {
    RankedTensorType maskType = rankedType(mask);
    FailureOr<SmallVector<int64_t>> merged =
        maskType ? broadcastShapes(scores, maskType.getShape())
                 : FailureOr<SmallVector<int64_t>>(failure());
    if (failed(merged) || ArrayRef<int64_t>(*merged) != ArrayRef(scores))
      return fail(loc, "mask does not broadcast to the score shape " +
                           shapeString(scores));
  }
  if (FloatAttr scale = adaptor.getScaleAttr())
    if (!(scale.getValueAsDouble() > 0.0))
      return fail(loc, "'scale' must be positive");
  SmallVector<int64_t> shape(qs.drop_back());
  shape.push_back(vs.back());
  types.push_back(RankedTensorType::get(shape, q.getElementType()));
  return success();
}

int64_t AttentionOp::computeFlops() {
  auto q = cast<RankedTensorType>(getQuery().getType());
  auto k = cast<RankedTensorType>(getKey().getType());
  auto v = cast<RankedTensorType>(getValue().getType());
  int64_t scores = numElements(q) / q.getShape().back() *
                   k.getShape()[k.getRank() - 2];
  return 2 * scores * q.getShape().back() + 2 * scores * v.getShape().back() +
         5 * scores;
}

//===----------------------------------------------------------------------===//
// Groups
//===----------------------------------------------------------------------===//

LogicalResult GroupOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("body has ")
           << body.getNumArguments() << " arguments but the group has "
           << getInputs().size() << " inputs";
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(body.getArgumentTypes(), getInputs()))) {
    auto [argType, input] = pair;
    if (argType != input.getType())
      return emitOpError("body argument #")
             << index << " has type " << argType << " but input #" << index
             << " has type " << input.getType();
  }
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body must end with 'fuse.yield'");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yielded types do not match the group's result types");
  return success();
}

MappingType GroupOp::computeMappingType() {
  MappingType result = MappingType::OneToOne;
  for (Operation &op : getBody().front())
    if (auto kind = dyn_cast<FusionKindInterface>(op))
      result = combineMappingTypes(result, kind.getMappingType());
  return result;
}

int64_t GroupOp::computeFlops() {
  int64_t total = 0;
  for (Operation &op : getBody().front())
    if (auto cost = dyn_cast<CostInterface>(op))
      total += cost.getFlops();
  return total;
}

//===----------------------------------------------------------------------===//
// Index, scan and scatter ops
//===----------------------------------------------------------------------===//

template <typename AdaptorT>
static LogicalResult inferArgReduce(MLIRContext *context,
                                    std::optional<Location> loc,
                                    AdaptorT adaptor,
                                    SmallVectorImpl<Type> &types) {
  RankedTensorType input = rankedType(adaptor.getInput());
  if (!input)
    return fail(loc, "expected a ranked tensor operand");
  int64_t axis = adaptor.getAxis();
  if (failed(checkAxis(loc, "axis", axis, input.getRank())))
    return failure();
  if (input.getDimSize(axis) == 0)
    return fail(loc, "cannot take the index of an element of an empty axis");
  SmallVector<int64_t> shape(input.getShape());
  if (adaptor.getKeepdims())
    shape[axis] = 1;
  else
    shape.erase(shape.begin() + axis);
  types.push_back(
      RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferArgReduce(context, loc, adaptor, types);
}

LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferArgReduce(context, loc, adaptor, types);
}

LogicalResult CumSumOp::verify() {
  return checkAxis(getLoc(), "axis", getAxis(),
                   cast<ShapedType>(getType()).getRank());
}

/// GatherElements and ScatterElements: `indices` has the rank of `data`
/// and no dim larger than data's outside `axis`; a non-empty `indices`
/// needs a non-empty axis (`emptyAxis` says what cannot be done).
static LogicalResult checkElementIndices(std::optional<Location> loc,
                                         RankedTensorType data,
                                         RankedTensorType indices, int64_t axis,
                                         StringRef emptyAxis) {
  int64_t rank = data.getRank();
  if (indices.getRank() != rank)
    return fail(loc, "indices of rank " + Twine(indices.getRank()) +
                         " for data of rank " + Twine(rank) +
                         " (expected equal ranks)");
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis && indices.getDimSize(d) > data.getDimSize(d))
      return fail(loc, "indices dim " + Twine(d) + " (" +
                           Twine(indices.getDimSize(d)) +
                           ") exceeds the data dim (" +
                           Twine(data.getDimSize(d)) + ")");
  if (data.getDimSize(axis) == 0 && indices.getNumElements() != 0)
    return fail(loc, emptyAxis);
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  if (!data || !indices)
    return fail(loc, "expected ranked tensor operands");
  int64_t axis = adaptor.getAxis(), rank = data.getRank();
  if (failed(checkAxis(loc, "axis", axis, rank)))
    return failure();
  if (failed(checkElementIndices(loc, data, indices, axis,
                                 "cannot gather from an empty axis")))
    return failure();
  types.push_back(
      RankedTensorType::get(indices.getShape(), data.getElementType()));
  return success();
}

/// Shared checks of gather_nd and scatter_nd: `indices` of rank >= 1 whose
/// last dim `k` indexes dims `batch .. batch + k - 1` of `data`.
static LogicalResult checkIndexTuples(std::optional<Location> loc,
                                      RankedTensorType data,
                                      RankedTensorType indices,
                                      int64_t batch) {
  if (indices.getRank() < 1)
    return fail(loc, "indices must have rank >= 1");
  if (batch < 0 || batch >= std::min(data.getRank(), indices.getRank()))
    return fail(loc, "'batch_dims' " + Twine(batch) +
                         " must be in [0, min(rank(data), rank(indices)))");
  for (int64_t d = 0; d < batch; ++d)
    if (data.getDimSize(d) != indices.getDimSize(d))
      return fail(loc, "batch dim " + Twine(d) + " differs: data has " +
                           Twine(data.getDimSize(d)) + ", indices " +
                           Twine(indices.getDimSize(d)));
  int64_t k = indices.getShape().back();
  if (k < 1 || batch + k > data.getRank())
    return fail(loc, "index tuples of size " + Twine(k) +
                         " do not fit data of rank " + Twine(data.getRank()) +
                         " after " + Twine(batch) + " batch dims");
  for (int64_t d = 0; d < k; ++d)
    if (data.getDimSize(batch + d) == 0 && indices.getNumElements() != 0)
      return fail(loc, "cannot index an empty dim");
  return success();
}

/// `indices.shape[:-1] + data.shape[batch + k:]`.
static SmallVector<int64_t> indexTupleResultShape(RankedTensorType data,
                                                  RankedTensorType indices,
                                                  int64_t batch) {
  SmallVector<int64_t> shape(indices.getShape().drop_back());
  llvm::append_range(
      shape, data.getShape().drop_front(batch + indices.getShape().back()));
  return shape;
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  if (!data || !indices)
    return fail(loc, "expected ranked tensor operands");
  int64_t batch = adaptor.getBatchDims();
  if (failed(checkIndexTuples(loc, data, indices, batch)))
    return failure();
  types.push_back(RankedTensorType::get(
      indexTupleResultShape(data, indices, batch), data.getElementType()));
  return success();
}

static LogicalResult checkScatterReduction(Operation *op, Type element,
                                           ScatterReduction reduction) {
  if (element.isInteger(1) && reduction != ScatterReduction::none)
    return op->emitOpError("reduction '")
           << stringifyScatterReduction(reduction)
           << "' needs a numeric element type";
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  RankedTensorType updates = rankedType(adaptor.getUpdates());
  if (!data || !indices || !updates)
    return fail(loc, "expected ranked tensor operands");
  int64_t axis = adaptor.getAxis(), rank = data.getRank();
  if (failed(checkAxis(loc, "axis", axis, rank)))
    return failure();
  if (indices.getShape() != updates.getShape())
    return fail(loc, "indices (" + shapeString(indices.getShape()) +
                         ") and updates (" + shapeString(updates.getShape()) +
                         ") must have the same shape");
  if (failed(checkElementIndices(loc, data, indices, axis,
                                 "cannot scatter into an empty axis")))
    return failure();
  types.push_back(data);
  return success();
}

LogicalResult ScatterElementsOp::verify() {
  if (failed(verifyByInference(*this)))
    return failure();
  return checkScatterReduction(
      *this, cast<ShapedType>(getType()).getElementType(), getReduction());
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType data = rankedType(adaptor.getData());
  RankedTensorType indices = rankedType(adaptor.getIndices());
  RankedTensorType updates = rankedType(adaptor.getUpdates());
  if (!data || !indices || !updates)
    return fail(loc, "expected ranked tensor operands");
  if (data.getRank() < 1)
    return fail(loc, "data must have rank >= 1");
  if (failed(checkIndexTuples(loc, data, indices, 0)))
    return failure();
  SmallVector<int64_t> expected = indexTupleResultShape(data, indices, 0);
  if (updates.getShape() != ArrayRef<int64_t>(expected))
    return fail(loc, "updates have shape " + shapeString(updates.getShape()) +
                         ", expected " + shapeString(expected));
  types.push_back(data);
  return success();
}

LogicalResult ScatterNDOp::verify() {
  if (failed(verifyByInference(*this)))
    return failure();
  return checkScatterReduction(
      *this, cast<ShapedType>(getType()).getElementType(), getReduction());
}

#define FUSE_VERIFY_BY_INFERENCE(OP)                                           \
  LogicalResult OP::verify() { return verifyByInference(*this); }
FUSE_VERIFY_BY_INFERENCE(SelectOp)
FUSE_VERIFY_BY_INFERENCE(MatMulOp)
FUSE_VERIFY_BY_INFERENCE(ConvOp)
FUSE_VERIFY_BY_INFERENCE(ConvTransposeOp)
FUSE_VERIFY_BY_INFERENCE(MaxPoolOp)
FUSE_VERIFY_BY_INFERENCE(AvgPoolOp)
FUSE_VERIFY_BY_INFERENCE(ReduceOp)
FUSE_VERIFY_BY_INFERENCE(LayerNormOp)
FUSE_VERIFY_BY_INFERENCE(BatchNormOp)
FUSE_VERIFY_BY_INFERENCE(TransposeOp)
FUSE_VERIFY_BY_INFERENCE(ConcatOp)
FUSE_VERIFY_BY_INFERENCE(SplitOp)
FUSE_VERIFY_BY_INFERENCE(SliceOp)
FUSE_VERIFY_BY_INFERENCE(GatherOp)
FUSE_VERIFY_BY_INFERENCE(PadOp)
FUSE_VERIFY_BY_INFERENCE(TileOp)
FUSE_VERIFY_BY_INFERENCE(AttentionOp)
FUSE_VERIFY_BY_INFERENCE(ArgMaxOp)
FUSE_VERIFY_BY_INFERENCE(ArgMinOp)
FUSE_VERIFY_BY_INFERENCE(GatherElementsOp)
FUSE_VERIFY_BY_INFERENCE(GatherNDOp)
#undef FUSE_VERIFY_BY_INFERENCE

#define GET_OP_CLASSES
#include "Fuse/Dialect/Fuse/IR/FuseOps.cpp.inc"
