//===- RewriteUtils.cpp - Shared helpers of --fuse-rewrite ----------------===//

#include "Rewrite/RewriteUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::rewrite;

/// Constants up to this many elements are written inline as `dense`.
static constexpr int64_t kInlineElementLimit = 16;

bool rewrite::isF32(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getElementType().isF32();
}

std::optional<std::vector<float>> rewrite::readF32Constant(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant || !isF32(value))
    return std::nullopt;
  Attribute attr = constant.getValue();
  auto type = cast<RankedTensorType>(value.getType());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    std::vector<float> values;
    values.reserve(type.getNumElements());
    for (float v : dense.getValues<float>())
      values.push_back(v);
    return values;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    ArrayRef<char> data = blob->getData();
    if (static_cast<int64_t>(data.size()) !=
        type.getNumElements() * static_cast<int64_t>(sizeof(float)))
      return std::nullopt;
    std::vector<float> values(type.getNumElements());
    std::memcpy(values.data(), data.data(), data.size());
    return values;
  }
  return std::nullopt;
}

bool rewrite::isF32Constant(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant || !isF32(value))
    return false;
  Attribute attr = constant.getValue();
  if (isa<DenseElementsAttr>(attr))
    return true;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    return blob && static_cast<int64_t>(blob->getData().size()) ==
                       numElementsOf(value) *
                           static_cast<int64_t>(sizeof(float));
  }
  return false;
}

int64_t rewrite::numElementsOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getNumElements();
}

std::optional<double> rewrite::getSplatFloat(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !isa<FloatType>(type.getElementType()))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue())) {
    if (dense.isSplat())
      return dense.getSplatValue<APFloat>().convertToDouble();
    return std::nullopt;
  }
  if (type.getNumElements() == 1)
    if (std::optional<std::vector<float>> values = readF32Constant(value))
      return (*values)[0];
  return std::nullopt;
}

Value rewrite::createF32Constant(OpBuilder &builder, Location loc,
                                 ArrayRef<int64_t> shape,
                                 ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  bool splat = !values.empty() && llvm::all_equal(values);
  if (splat || static_cast<int64_t>(values.size()) <= kInlineElementLimit) {
    DenseElementsAttr attr =
        splat ? DenseElementsAttr::get(type, values.front())
              : DenseElementsAttr::get(type, values);
    return ConstantOp::create(builder, loc, cast<ElementsAttr>(attr));
  }
  AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
      ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                     values.size() * sizeof(float)),
      alignof(uint64_t));
  auto attr = DenseResourceElementsAttr::get(type, "fuse_rewrite",
                                             std::move(blob));
  return ConstantOp::create(builder, loc, cast<ElementsAttr>(attr));
}

/// Row-major strides of `shape` right-aligned to rank `rank`, with 0 for
/// broadcast (size-1 or missing) dims.
static SmallVector<int64_t> broadcastStrides(ArrayRef<int64_t> shape,
                                             int64_t rank) {
  SmallVector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  int64_t offset = rank - static_cast<int64_t>(shape.size());
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    strides[offset + i] = shape[i] == 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

std::vector<float>
rewrite::broadcastBinary(ArrayRef<int64_t> aShape, ArrayRef<float> a,
                         ArrayRef<int64_t> bShape, ArrayRef<float> b,
                         ArrayRef<int64_t> outShape,
                         llvm::function_ref<float(float, float)> fn) {
  int64_t rank = outShape.size();
  SmallVector<int64_t> sa = broadcastStrides(aShape, rank);
  SmallVector<int64_t> sb = broadcastStrides(bShape, rank);
  int64_t count = 1;
  for (int64_t d : outShape)
    count *= d;
  std::vector<float> out(count);
  SmallVector<int64_t> index(rank, 0);
  int64_t ia = 0, ib = 0;
  for (int64_t n = 0; n < count; ++n) {
    out[n] = fn(a[ia], b[ib]);
    // Increment the multi-index, keeping the operand offsets in step.
    for (int64_t d = rank - 1; d >= 0; --d) {
      ++index[d];
      ia += sa[d];
      ib += sb[d];
      if (index[d] < outShape[d])
        break;
      ia -= sa[d] * index[d];
      ib -= sb[d] * index[d];
      index[d] = 0;
    }
  }
  return out;
}

std::optional<std::vector<float>>
rewrite::alongAxis(ArrayRef<int64_t> shape, ArrayRef<float> values,
                   ArrayRef<int64_t> target, int64_t axis) {
  int64_t rank = target.size();
  int64_t offset = rank - static_cast<int64_t>(shape.size());
  if (offset < 0 || values.empty() || axis < 0 || axis >= rank)
    return std::nullopt;
  int64_t channels = target[axis];
  bool varies = false;
  for (auto [i, d] : llvm::enumerate(shape)) {
    int64_t dim = offset + static_cast<int64_t>(i);
    if (dim == axis) {
      if (d != 1 && d != channels)
        return std::nullopt;
      varies = d != 1;
    } else if (d != 1) {
      return std::nullopt;
    }
  }
  if (!varies)
    return std::vector<float>(channels, values.front());
  return std::vector<float>(values.begin(), values.end());
}
