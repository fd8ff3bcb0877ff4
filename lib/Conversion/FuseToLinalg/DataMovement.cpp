//===- DataMovement.cpp - data movement ops to tensor and linalg ----------===//
//
// Shape-only ops become tensor ops (collapse/expand_shape, extract_slice,
// insert_slice, pad) or linalg.transpose; ops whose source element depends
// on the output position by more than an affine stride (negative-step slice,
// gather, reflect/edge pad, resize, tile) become a parallel linalg.generic
// over the output that computes the source index from linalg.index values
// and reads it with tensor.extract.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::linalg_lowering;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value cIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value addIndex(OpBuilder &b, Location loc, Value x, int64_t value) {
  if (value == 0)
    return x;
  return arith::AddIOp::create(b, loc, x, cIndex(b, loc, value));
}

/// min(max(x, lo), hi) on index values.
Value clampIndex(OpBuilder &b, Location loc, Value x, int64_t lo, int64_t hi) {
  Value low = arith::MaxSIOp::create(b, loc, x, cIndex(b, loc, lo));
  return arith::MinSIOp::create(b, loc, low, cIndex(b, loc, hi));
}

SmallVector<OpFoldResult> indexAttrs(OpBuilder &b, ArrayRef<int64_t> values) {
  SmallVector<OpFoldResult> result;
  for (int64_t value : values)
    result.push_back(b.getIndexAttr(value));
  return result;
}

/// `input` reshaped to the static `type`, which has the same element count.
Value reshapeTo(OpBuilder &b, Location loc, Value input,
                RankedTensorType type) {
  auto inType = cast<RankedTensorType>(input.getType());
  if (inType == type)
    return input;
  if (inType.getRank() > type.getRank())
    if (std::optional<SmallVector<ReassociationIndices>> reassociation =
            getReassociationIndicesForReshape(inType, type))
      return tensor::CollapseShapeOp::create(b, loc, type, input,
                                             *reassociation);
  if (inType.getRank() < type.getRank())
    if (std::optional<SmallVector<ReassociationIndices>> reassociation =
            getReassociationIndicesForReshape(type, inType))
      return tensor::ExpandShapeOp::create(b, loc, type, input,
                                           *reassociation);
  // No reassociation: through 1-D.
  auto flatType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  Value flat = input;
  if (inType.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, input,
                                         ArrayRef<ReassociationIndices>{});
  else if (inType.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(
        b, loc, flatType, input,
        ArrayRef<ReassociationIndices>{
            llvm::to_vector(llvm::seq<int64_t>(0, inType.getRank()))});
  if (type.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, type, flat,
                                           ArrayRef<ReassociationIndices>{});
  if (type.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(
      b, loc, type, flat,
      ArrayRef<ReassociationIndices>{
          llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()))});
}

//===----------------------------------------------------------------------===//
// Transpose, reshape, expand
//===----------------------------------------------------------------------===//

struct TransposeLowering : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value init = emptyTensor(rewriter, loc, op.getType());
    auto transpose = linalg::TransposeOp::create(rewriter, loc, op.getInput(),
                                                 init, op.getPerm());
    rewriter.replaceOp(op, transpose.getResult()[0]);
    return success();
  }
};

struct ReshapeLowering : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), op.getInput(),
                                     op.getType()));
    return success();
  }
};

struct ExpandLowering : OpRewritePattern<ExpandOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ExpandOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getInput().getType() == op.getType()) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    Value result = buildElementwise(
        rewriter, op.getLoc(), op.getType(), op.getInput(),
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Concat, split, slice
//===----------------------------------------------------------------------===//

/// An insert_slice chain into a tensor.empty (bufferizes in place, unlike
/// tensor.concat which needs a decomposition first).
struct ConcatLowering : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (op.getInputs().size() == 1) {
      rewriter.replaceOp(op, op.getInputs().front());
      return success();
    }
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxis(), rank = type.getRank();
    Value result = emptyTensor(rewriter, loc, type);
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    for (Value input : op.getInputs()) {
      auto inType = cast<RankedTensorType>(input.getType());
      if (inType.getDimSize(axis) == 0)
        continue;
      result = tensor::InsertSliceOp::create(
          rewriter, loc, input, result, indexAttrs(rewriter, offsets),
          indexAttrs(rewriter, inType.getShape()),
          indexAttrs(rewriter, strides));
      offsets[axis] += inType.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SplitLowering : OpRewritePattern<SplitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SplitOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    int64_t axis = op.getAxis(), rank = inType.getRank();
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    SmallVector<Value> results;
    for (Value output : op.getOutputs()) {
      auto type = cast<RankedTensorType>(output.getType());
      // An empty piece has no valid offset to slice at.
      if (type.getNumElements() == 0) {
        results.push_back(emptyTensor(rewriter, loc, type));
        continue;
      }
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, type, op.getInput(), indexAttrs(rewriter, offsets),
          indexAttrs(rewriter, type.getShape()),
          indexAttrs(rewriter, strides)));
      offsets[axis] += type.getDimSize(axis);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Positive steps: one strided extract_slice. A negative step: a generic
/// reading `start + i * step` with tensor.extract.
struct SliceLowering : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    RankedTensorType type = op.getType();
    int64_t rank = inType.getRank();
    SmallVector<int64_t> offsets(rank, 0), strides(rank, 1);
    for (auto [axis, start, step] :
         llvm::zip(op.getAxes(), op.getStarts(), op.getSteps())) {
      offsets[axis] = start;
      strides[axis] = step;
    }
    bool negative = llvm::any_of(strides, [](int64_t s) { return s < 0; });
    if (!negative || type.getNumElements() == 0) {
      // An empty result needs no data (and its offset may be past the end).
      if (!negative && type.getNumElements() != 0)
        rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
            op, type, input, indexAttrs(rewriter, offsets),
            indexAttrs(rewriter, type.getShape()),
            indexAttrs(rewriter, strides));
      else
        rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    Value result = buildParallelGeneric(
        rewriter, loc, type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange, ValueRange ivs) -> Value {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value index = ivs[d];
            if (strides[d] != 1)
              index = arith::MulIOp::create(b, l, index,
                                            cIndex(b, l, strides[d]));
            indices.push_back(addIndex(b, l, index, offsets[d]));
          }
          return tensor::ExtractOp::create(b, l, input, indices);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Gather, tile
//===----------------------------------------------------------------------===//

/// A generic over the output reading the index through its indexing map;
/// negative indices wrap and out-of-range ones (invalid in ONNX) are clamped
/// so that they never read out of bounds.
struct GatherLowering : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = op.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxis(), rank = type.getRank();
    int64_t q = indicesType.getRank(), dim = dataType.getDimSize(axis);
    if (type.getNumElements() == 0 || dim == 0) {
      if (type.getNumElements() != 0)
        return rewriter.notifyMatchFailure(op, "gather from an empty axis");
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < q; ++i)
      exprs.push_back(rewriter.getAffineDimExpr(axis + i));
    AffineMap indexMap =
        AffineMap::get(rank, 0, exprs, rewriter.getContext());
    Value result = buildParallelGeneric(
        rewriter, loc, type, op.getIndices(), indexMap,
        [&](OpBuilder &b, Location l, ValueRange args, ValueRange ivs) {
          Value index =
              arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
          Value negative = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, index, cIndex(b, l, 0));
          Value wrapped = arith::SelectOp::create(
              b, l, negative, addIndex(b, l, index, dim), index);
          SmallVector<Value> indices(ivs.take_front(axis));
          indices.push_back(clampIndex(b, l, wrapped, 0, dim - 1));
          llvm::append_range(indices, ivs.drop_front(axis + q));
          return tensor::ExtractOp::create(b, l, data, indices).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A generic over the output reading `input[i mod dim]`.
struct TileLowering : OpRewritePattern<TileOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TileOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    RankedTensorType type = op.getType();
    if (inType == type) {
      rewriter.replaceOp(op, input);
      return success();
    }
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    Value result = buildParallelGeneric(
        rewriter, loc, type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange, ValueRange ivs) -> Value {
          SmallVector<Value> indices;
          for (auto [d, size] : llvm::enumerate(inType.getShape())) {
            if (size == 1)
              indices.push_back(cIndex(b, l, 0));
            else if (size == type.getDimSize(d))
              indices.push_back(ivs[d]);
            else
              indices.push_back(
                  arith::RemUIOp::create(b, l, ivs[d], cIndex(b, l, size)));
          }
          return tensor::ExtractOp::create(b, l, input, indices);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

/// Negative pads crop with an extract_slice first. Then constant mode is a
/// tensor.pad; reflect and edge modes are a generic reading the mirrored or
/// clamped source index.
struct PadLowering : OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    RankedTensorType type = op.getType();
    int64_t rank = inType.getRank();
    ArrayRef<int64_t> pads = op.getPads();

    // Crop.
    SmallVector<int64_t> offsets(rank), sizes(rank), strides(rank, 1),
        low(rank), high(rank);
    bool crop = false, pad = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t begin = pads[d], end = pads[d + rank];
      offsets[d] = std::max<int64_t>(0, -begin);
      sizes[d] = inType.getDimSize(d) - offsets[d] -
                 std::max<int64_t>(0, -end);
      low[d] = std::max<int64_t>(0, begin);
      high[d] = std::max<int64_t>(0, end);
      crop |= begin < 0 || end < 0;
      pad |= begin > 0 || end > 0;
    }
    if (crop) {
      auto croppedType = RankedTensorType::get(sizes, inType.getElementType());
      input = tensor::ExtractSliceOp::create(
          rewriter, loc, croppedType, input, indexAttrs(rewriter, offsets),
          indexAttrs(rewriter, sizes), indexAttrs(rewriter, strides));
      inType = croppedType;
    }
    if (!pad || type.getNumElements() == 0) {
      rewriter.replaceOp(op, pad ? emptyTensor(rewriter, loc, type) : input);
      return success();
    }

    if (op.getMode() == PadMode::constant) {
      Value value = scalarConstant(rewriter, loc, type.getElementType(),
                                   op.getValue().convertToDouble());
      rewriter.replaceOpWithNewOp<tensor::PadOp>(
          op, type, input, indexAttrs(rewriter, low),
          indexAttrs(rewriter, high), value);
      return success();
    }

    bool reflect = op.getMode() == PadMode::reflect;
    for (int64_t d = 0; d < rank; ++d)
      if ((low[d] > 0 || high[d] > 0) && inType.getDimSize(d) == 0)
        return rewriter.notifyMatchFailure(op, "padding an empty dim");
    Value result = buildParallelGeneric(
        rewriter, loc, type, {}, {},
        [&](OpBuilder &b, Location l, ValueRange, ValueRange ivs) -> Value {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t size = inType.getDimSize(d);
            if (low[d] == 0 && high[d] == 0) {
              indices.push_back(ivs[d]);
              continue;
            }
            if (size == 1) {
              indices.push_back(cIndex(b, l, 0));
              continue;
            }
            Value j = addIndex(b, l, ivs[d], -low[d]);
            if (!reflect) {
              indices.push_back(clampIndex(b, l, j, 0, size - 1));
              continue;
            }
            // Mirror without repeating the edge, periodic in 2 * (size - 1)
            // so that any pad width stays in bounds.
            int64_t period = 2 * (size - 1);
            Value p = cIndex(b, l, period);
            Value m = arith::RemSIOp::create(
                b, l, arith::AddIOp::create(
                          b, l, arith::RemSIOp::create(b, l, j, p), p),
                p);
            Value inside = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::slt, m, cIndex(b, l, size));
            Value mirrored = arith::SubIOp::create(b, l, p, m);
            indices.push_back(
                arith::SelectOp::create(b, l, inside, m, mirrored));
          }
          return tensor::ExtractOp::create(b, l, input, indices);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

/// One interpolation tap along one dim: a source index and its weight.
struct Tap {
  Value index;
  Value weight; // f32; null for nearest.
};

Value cF32(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

/// A floor/ceil of an f32 as an index.
Value toIndex(OpBuilder &b, Location loc, Value x) {
  Value i = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
}

/// ONNX Resize as a generic over the output. Per resized dim the source
/// coordinate follows `coordinate_mode` (in f32, with the scale as
/// in/out or the `scales` attribute); nearest rounds it per `nearest_mode`,
/// linear and cubic take 2 or 4 taps whose window is clamped into the
/// edge-padded input as the ONNX reference does, and the result is the
/// weighted sum over all tap combinations of the resized dims.
struct ResizeLowering : OpRewritePattern<ResizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ResizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    ResizeMode mode = op.getMode();
    CoordinateMode coordMode = op.getCoordinateMode();
    std::optional<ArrayRef<float>> scales = op.getScales();
    if (mode != ResizeMode::nearest && !isa<FloatType>(elementType))
      return rewriter.notifyMatchFailure(op, "interpolating integers");
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, emptyTensor(rewriter, loc, type));
      return success();
    }
    if (inType == type && !scales &&
        coordMode != CoordinateMode::tf_half_pixel_for_nn) {
      rewriter.replaceOp(op, input);
      return success();
    }
    float coeffA = op.getCubicCoeffA().convertToFloat();
    bool excludeOutside = op.getExcludeOutside();

    auto body = [&](OpBuilder &b, Location l, ValueRange,
                    ValueRange ivs) -> Value {
      // Taps per dim.
      SmallVector<SmallVector<Tap>> taps(rank);
      for (int64_t d = 0; d < rank; ++d) {
        int64_t in = inType.getDimSize(d), out = type.getDimSize(d);
        bool identity = in == out && (!scales || (*scales)[d] == 1.0f) &&
                        coordMode != CoordinateMode::tf_half_pixel_for_nn;
        if (identity) {
          taps[d].push_back({ivs[d], Value()});
          continue;
        }
        taps[d] = dimTaps(b, l, ivs[d], in, out,
                          scales ? std::optional<float>((*scales)[d])
                                 : std::nullopt,
                          mode, coordMode, op.getNearestMode(), coeffA,
                          excludeOutside);
      }
      // Weighted sum over all tap combinations.
      Value acc;
      SmallVector<size_t> pick(rank, 0);
      while (true) {
        SmallVector<Value> indices;
        Value weight;
        for (int64_t d = 0; d < rank; ++d) {
          const Tap &tap = taps[d][pick[d]];
          indices.push_back(tap.index);
          if (tap.weight)
            weight = weight ? arith::MulFOp::create(b, l, weight, tap.weight)
                                  .getResult()
                            : tap.weight;
        }
        Value value = tensor::ExtractOp::create(b, l, input, indices);
        if (!weight)
          return value; // nearest
        if (elementType != b.getF32Type())
          value = arith::ExtFOp::create(b, l, b.getF32Type(), value);
        Value term = arith::MulFOp::create(b, l, weight, value);
        acc = acc ? arith::AddFOp::create(b, l, acc, term).getResult() : term;
        int64_t d = rank - 1;
        for (; d >= 0; --d) {
          if (++pick[d] < taps[d].size())
            break;
          pick[d] = 0;
        }
        if (d < 0)
          break;
      }
      if (elementType != b.getF32Type())
        acc = arith::TruncFOp::create(b, l, elementType, acc);
      return acc;
    };
    rewriter.replaceOp(
        op, buildParallelGeneric(rewriter, loc, type, {}, {}, body));
    return success();
  }

  /// The source coordinate of output index `iv` along a dim (f32).
  static Value sourceCoordinate(OpBuilder &b, Location l, Value iv, int64_t in,
                                int64_t out, std::optional<float> scale,
                                CoordinateMode coordMode) {
    if (out == 1 && (coordMode == CoordinateMode::align_corners ||
                     coordMode == CoordinateMode::pytorch_half_pixel))
      return cF32(b, l, 0.0);
    Value x = arith::SIToFPOp::create(
        b, l, b.getF32Type(),
        arith::IndexCastOp::create(b, l, b.getI64Type(), iv));
    // x * mul / div, with the exact products first.
    auto rescale = [&](Value v, double mul, double div) -> Value {
      if (mul != 1.0)
        v = arith::MulFOp::create(b, l, v, cF32(b, l, mul));
      if (div != 1.0)
        v = arith::DivFOp::create(b, l, v, cF32(b, l, div));
      return v;
    };
    auto byScale = [&](Value v) {
      return scale ? rescale(v, 1.0, *scale) : rescale(v, in, out);
    };
    switch (coordMode) {
    case CoordinateMode::align_corners:
      // With explicit scales the resized length is in * scale, as in ONNX's
      // reference implementation (not the floored output size).
      return rescale(x, in - 1,
                     scale ? static_cast<double>(in) * *scale - 1 : out - 1);
    case CoordinateMode::asymmetric:
      return byScale(x);
    case CoordinateMode::tf_half_pixel_for_nn:
      return byScale(arith::AddFOp::create(b, l, x, cF32(b, l, 0.5)));
    case CoordinateMode::half_pixel:
    case CoordinateMode::pytorch_half_pixel:
      break;
    }
    Value shifted = byScale(arith::AddFOp::create(b, l, x, cF32(b, l, 0.5)));
    return arith::SubFOp::create(b, l, shifted, cF32(b, l, 0.5));
  }

  static SmallVector<Tap> dimTaps(OpBuilder &b, Location l, Value iv,
                                  int64_t in, int64_t out,
                                  std::optional<float> scale, ResizeMode mode,
                                  CoordinateMode coordMode,
                                  NearestMode nearestMode, float coeffA,
                                  bool excludeOutside) {
    Value x = sourceCoordinate(b, l, iv, in, out, scale, coordMode);
    if (mode == ResizeMode::nearest) {
      Value rounded;
      switch (nearestMode) {
      case NearestMode::round_prefer_floor: // ceil(x - 0.5)
        rounded = math::CeilOp::create(
            b, l, arith::SubFOp::create(b, l, x, cF32(b, l, 0.5)));
        break;
      case NearestMode::round_prefer_ceil: // floor(x + 0.5)
        rounded = math::FloorOp::create(
            b, l, arith::AddFOp::create(b, l, x, cF32(b, l, 0.5)));
        break;
      case NearestMode::floor:
        rounded = math::FloorOp::create(b, l, x);
        break;
      case NearestMode::ceil:
        rounded = math::CeilOp::create(b, l, x);
        break;
      }
      return {{clampIndex(b, l, toIndex(b, l, rounded), 0, in - 1), Value()}};
    }

    Value floor = math::FloorOp::create(b, l, x);
    Value ratio = arith::SubFOp::create(b, l, x, floor);
    int64_t n = mode == ResizeMode::linear ? 2 : 4, half = n / 2;
    // The reference takes the n nearest entries of the input edge-padded by
    // n/2: the window start is clamped into that padded range.
    Value start = clampIndex(b, l, addIndex(b, l, toIndex(b, l, floor),
                                            -(half - 1)),
                             -half, in - half);
    SmallVector<Value> weights;
    Value one = cF32(b, l, 1.0);
    if (mode == ResizeMode::linear) {
      weights = {arith::SubFOp::create(b, l, one, ratio), ratio};
    } else {
      auto mul = [&](Value x, Value y) -> Value {
        return arith::MulFOp::create(b, l, x, y);
      };
      auto add = [&](Value x, double c) -> Value {
        return arith::AddFOp::create(b, l, x, cF32(b, l, c));
      };
      auto mulC = [&](Value x, double c) -> Value {
        return mul(x, cF32(b, l, c));
      };
      double a = coeffA;
      // Outer taps at distance t in [1, 2], inner ones at t in [0, 1].
      auto outer = [&](Value t) {
        return add(mul(add(mul(add(mulC(t, a), -5 * a), t), 8 * a), t),
                   -4 * a);
      };
      auto inner = [&](Value t) {
        return add(mul(mul(add(mulC(t, a + 2), -(a + 3)), t), t), 1.0);
      };
      Value rest = arith::SubFOp::create(b, l, one, ratio);
      weights = {outer(add(ratio, 1.0)), inner(ratio), inner(rest),
                 outer(add(rest, 1.0))};
    }
    SmallVector<Tap> taps;
    Value sum;
    for (int64_t t = 0; t < n; ++t) {
      Value index = addIndex(b, l, start, t);
      Value weight = weights[t];
      if (excludeOutside && mode == ResizeMode::cubic) {
        Value below = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt,
                                            index, cIndex(b, l, 0));
        Value above = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge,
                                            index, cIndex(b, l, in));
        Value outside = arith::OrIOp::create(b, l, below, above);
        weight = arith::SelectOp::create(b, l, outside, cF32(b, l, 0.0),
                                         weight);
        sum = sum ? arith::AddFOp::create(b, l, sum, weight).getResult()
                  : weight;
      }
      taps.push_back({clampIndex(b, l, index, 0, in - 1), weight});
    }
    if (sum)
      for (Tap &tap : taps)
        tap.weight = arith::DivFOp::create(b, l, tap.weight, sum);
    return taps;
  }
};

} // namespace

void mlir::fuse::populateDataMovementToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<TransposeLowering, ReshapeLowering, ExpandLowering,
               ConcatLowering, SplitLowering, SliceLowering, GatherLowering,
               TileLowering, PadLowering, ResizeLowering>(
      patterns.getContext());
}
