//===- Structured.cpp - matmul, conv, pools, attention to linalg ----------===//
//
// Contractions and windows become linalg.generic ops with reduction
// iterators whose indexing maps encode broadcasting, transposes, strides,
// dilations and groups; padding is materialized with tensor.pad so every
// window read is in bounds. conv_transpose rewrites to a fuse.conv on a
// zero-interleaved input and attention to fuse.matmul / fuse.softmax around
// one masking generic; the greedy driver lowers those in turn.
//
//===----------------------------------------------------------------------===//

#include "Patterns.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::linalg_lowering;

namespace {

using utils::IteratorType;

/// `values`, or `count` copies of `fallback` when empty.
SmallVector<int64_t> orDefault(ArrayRef<int64_t> values, size_t count,
                               int64_t fallback) {
  if (values.empty())
    return SmallVector<int64_t>(count, fallback);
  return SmallVector<int64_t>(values);
}

/// `tensor.pad` of `input` with the constant `value`; a no-op when every pad
/// is zero.
Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, double value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [i, size] : llvm::enumerate(shape))
    size += low[i] + high[i];
  auto padded = RankedTensorType::get(shape, type.getElementType());
  MLIRContext *context = b.getContext();
  Value padValue = scalarConstant(b, loc, type.getElementType(), value);
  return tensor::PadOp::create(b, loc, padded, input,
                               getAsIndexOpFoldResult(context, low),
                               getAsIndexOpFoldResult(context, high), padValue)
      .getResult();
}

/// Whether the optional `value` is absent or has element type `type`.
bool hasElementType(Value value, Type type) {
  return !value || cast<ShapedType>(value.getType()).getElementType() == type;
}

/// A tensor of `type` whose dim `dim` reads the 1-D `vector` (a per-channel
/// init such as a bias).
Value broadcastAlong(OpBuilder &b, Location loc, RankedTensorType type,
                     Value vector, unsigned dim) {
  MLIRContext *context = b.getContext();
  unsigned rank = type.getRank();
  SmallVector<AffineMap> maps = {
      AffineMap::get(rank, 0, getAffineDimExpr(dim, context)),
      AffineMap::getMultiDimIdentityMap(rank, context)};
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{vector},
             ValueRange{emptyTensor(b, loc, type)}, maps, iterators,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(
                   nested, nestedLoc,
                   widen(nested, nestedLoc, args[0], type.getElementType()));
             })
      .getResult(0);
}

/// acc + x * y, x and y extended to the accumulator's type.
Value multiplyAdd(OpBuilder &b, Location loc, Value x, Value y, Value acc) {
  Type accType = acc.getType();
  Value product = scalarMul(b, loc, widen(b, loc, x, accType),
                            widen(b, loc, y, accType));
  return scalarAdd(b, loc, acc, product);
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

struct MatMulLowering : OpRewritePattern<MatMulOp> {
  MatMulLowering(MLIRContext *context, bool wide)
      : OpRewritePattern(context), wide(wide) {}
  /// f16/bf16 accumulate in f32.
  bool wide;

  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    unsigned batch = resultType.getRank() - 2;
    // Loops: batch..., m, n, k.
    unsigned loops = batch + 3;
    AffineExpr m = getAffineDimExpr(batch, context);
    AffineExpr n = getAffineDimExpr(batch + 1, context);
    AffineExpr k = getAffineDimExpr(batch + 2, context);

    auto operandMap = [&](Value operand, AffineExpr row, AffineExpr col,
                          bool transposed) {
      auto type = cast<RankedTensorType>(operand.getType());
      ArrayRef<int64_t> batchShape = type.getShape().drop_back(2);
      SmallVector<AffineExpr> exprs(
          broadcastMap(context, batchShape, batch).getResults());
      if (transposed)
        std::swap(row, col);
      exprs.push_back(row);
      exprs.push_back(col);
      return AffineMap::get(loops, 0, exprs, context);
    };
    SmallVector<AffineExpr> outExprs;
    for (unsigned i = 0; i < batch + 2; ++i)
      outExprs.push_back(getAffineDimExpr(i, context));
    SmallVector<AffineMap> maps = {
        operandMap(op.getLhs(), m, k, op.getTransposeA()),
        operandMap(op.getRhs(), k, n, op.getTransposeB()),
        AffineMap::get(loops, 0, outExprs, context)};
    SmallVector<IteratorType> iterators(loops, IteratorType::parallel);
    iterators.back() = IteratorType::reduction;

    RankedTensorType accType = accumulatorType(resultType, wide);
    Value init = filledTensor(rewriter, loc, accType, 0.0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, accType, ValueRange{op.getLhs(), op.getRhs()},
        ValueRange{init}, maps, iterators,
        [](OpBuilder &b, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(
              b, nestedLoc,
              multiplyAdd(b, nestedLoc, args[0], args[1], args[2]));
        });
    rewriter.replaceOp(
        op, narrowTo(rewriter, loc, generic.getResult(0), resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// conv
//===----------------------------------------------------------------------===//

/// Filters per block of a convolution without groups: the filter dim splits
/// into [F / kFilterBlock, kFilterBlock] so that the CPU loop order
/// (fuse-cpu-loop-order) can keep the output rows of one block in L1 while
/// each input row serves them. Eight rows stay within the associativity of
/// an L1 cache even when the planes are 4 KiB-aligned apart.
constexpr int64_t kFilterBlock = 8;

/// The grouped convolution of an already padded `input[N, C, D...]` with
/// `weight[F, C/groups, K...]`, accumulated into `init[N, F, O...]`. Without
/// groups and with more than kFilterBlock filters (a multiple of it), the
/// loops are n, fo, fi, o..., c, k... with f = fo * kFilterBlock + fi;
/// otherwise n, f, o..., c, k... Either way each output sums over c, k...
/// in the same order. `allowBlocking` false keeps the loops unblocked.
/// `inputOffsets` (one per spatial dim, or none for zeros) shift the input
/// positions: o * stride + k * dilation + offset.
Value buildConvolution(OpBuilder &b, Location loc, Value input, Value weight,
                       Value init, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations, int64_t groups,
                       bool allowBlocking = true,
                       ArrayRef<int64_t> inputOffsets = {}) {
  MLIRContext *context = b.getContext();
  auto initType = cast<RankedTensorType>(init.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  unsigned spatial = initType.getRank() - 2;
  int64_t filters = weightType.getDimSize(0);
  int64_t filtersPerGroup = filters / groups;
  int64_t channelsPerGroup = weightType.getDimSize(1);
  bool blocked = allowBlocking && groups == 1 && filters > kFilterBlock &&
                 filters % kFilterBlock == 0;
  unsigned filterDims = blocked ? 2 : 1;
  unsigned loops = 2 + filterDims + 2 * spatial;
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, context); };
  AffineExpr n = dim(0), f = dim(1), c = dim(1 + filterDims + spatial);
  // Without groups every filter reads channel c: the input does not depend
  // on f (which lets the CPU loop order block over filters).
  SmallVector<AffineExpr> inputExprs = {
      n, groups == 1 ? c : (f.floorDiv(filtersPerGroup)) * channelsPerGroup + c};
  SmallVector<AffineExpr> weightExprs = {f}, outExprs = {n, f};
  if (blocked) {
    weightExprs.push_back(dim(2));
    outExprs.push_back(dim(2));
  }
  weightExprs.push_back(c);
  for (unsigned i = 0; i < spatial; ++i) {
    AffineExpr o = dim(1 + filterDims + i);
    AffineExpr k = dim(2 + filterDims + spatial + i);
    inputExprs.push_back(o * strides[i] + k * dilations[i] +
                         (inputOffsets.empty() ? 0 : inputOffsets[i]));
    weightExprs.push_back(k);
    outExprs.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inputExprs, context),
                                 AffineMap::get(loops, 0, weightExprs, context),
                                 AffineMap::get(loops, 0, outExprs, context)};
  SmallVector<IteratorType> iterators(1 + filterDims + spatial,
                                      IteratorType::parallel);
  iterators.append(1 + spatial, IteratorType::reduction);

  // Blocked: weight [F/B, B, C, K...] and init [N, F/B, B, O...] (free
  // reshapes), the result collapses back.
  Value blockWeight = weight, blockInit = init;
  RankedTensorType resultType = initType;
  SmallVector<ReassociationIndices> weightSplit, outSplit;
  if (blocked) {
    weightSplit.push_back({0, 1});
    outSplit = {{0}, {1, 2}};
    SmallVector<int64_t> weightShape = {filters / kFilterBlock, kFilterBlock};
    SmallVector<int64_t> outShape = {initType.getDimSize(0),
                                     filters / kFilterBlock, kFilterBlock};
    for (unsigned i = 1; i < weightType.getRank(); ++i) {
      weightSplit.push_back({i + 1});
      weightShape.push_back(weightType.getDimSize(i));
    }
    for (unsigned i = 2; i < initType.getRank(); ++i) {
      outSplit.push_back({i + 1});
      outShape.push_back(initType.getDimSize(i));
    }
    blockWeight = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(weightShape, weightType.getElementType()),
        weight, weightSplit);
    resultType = RankedTensorType::get(outShape, initType.getElementType());
    blockInit =
        tensor::ExpandShapeOp::create(b, loc, resultType, init, outSplit);
  }
  Value result =
      linalg::GenericOp::create(
          b, loc, resultType, ValueRange{input, blockWeight},
          ValueRange{blockInit}, maps, iterators,
          [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            linalg::YieldOp::create(
                nested, nestedLoc,
                multiplyAdd(nested, nestedLoc, args[0], args[1], args[2]));
          })
          .getResult(0);
  if (!blocked)
    return result;
  return tensor::CollapseShapeOp::create(b, loc, initType, result, outSplit)
      .getResult();
}

/// The bias broadcast over the result, or zeros.
Value convInit(OpBuilder &b, Location loc, RankedTensorType type, Value bias) {
  if (bias)
    return broadcastAlong(b, loc, type, bias, 1);
  return filledTensor(b, loc, type, 0.0);
}

struct ConvLowering : OpRewritePattern<ConvOp> {
  ConvLowering(MLIRContext *context, bool wide)
      : OpRewritePattern(context), wide(wide) {}
  /// f16/bf16 accumulate in f32.
  bool wide;

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    if (!hasElementType(op.getBias(), resultType.getElementType()))
      return rewriter.notifyMatchFailure(op, "bias element type differs");
    size_t spatial = resultType.getRank() - 2;
    SmallVector<int64_t> strides = orDefault(op.getStrides(), spatial, 1);
    SmallVector<int64_t> dilations = orDefault(op.getDilations(), spatial, 1);
    SmallVector<int64_t> pads = orDefault(op.getPads(), 2 * spatial, 0);
    SmallVector<int64_t> low = {0, 0}, high = {0, 0};
    low.append(pads.begin(), pads.begin() + spatial);
    high.append(pads.begin() + spatial, pads.end());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    auto isOne = [](int64_t v) { return v == 1; };
    auto isZero = [](int64_t v) { return v == 0; };
    // A conv that fuse-tile tiles as an implicit GEMM for the GPU
    // (fuse.implicit_gemm, see Tile.cpp) keeps the plain loops n, f, o...,
    // c, k...: no filter blocking and no collapsed 1x1 form, so its output
    // tile is a block of filters by a block of output positions.
    bool implicitGemm = op->hasAttr("fuse.implicit_gemm");
    if (!implicitGemm && spatial >= 2 &&
        llvm::all_of(weightType.getShape().drop_front(2), isOne) &&
        llvm::all_of(strides, isOne) && llvm::all_of(pads, isZero)) {
      rewriter.replaceOp(op, pointwiseConvolution(rewriter, op, wide));
      return success();
    }
    Value input = padTensor(rewriter, loc, op.getInput(), low, high, 0.0);
    Value init = convInit(rewriter, loc, accumulatorType(resultType, wide),
                          op.getBias());
    Value acc = buildConvolution(rewriter, loc, input, op.getWeight(), init,
                                 strides, dilations, op.getGroups(),
                                 /*allowBlocking=*/!implicitGemm);
    rewriter.replaceOp(op, narrowTo(rewriter, loc, acc, resultType));
    return success();
  }

  /// A 1x1 convolution with unit strides and no pads reads every input
  /// position once: the spatial dims collapse into one, so the lowering is
  /// a 1-D convolution (a matmul per batch and group) whose innermost,
  /// contiguous dim is the whole plane, and the result expands back.
  static Value pointwiseConvolution(PatternRewriter &rewriter, ConvOp op,
                                    bool wide) {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    unsigned rank = resultType.getRank();
    SmallVector<ReassociationIndices> collapse = {{0}, {1}, {}};
    for (unsigned i = 2; i < rank; ++i)
      collapse.back().push_back(i);
    Value input =
        tensor::CollapseShapeOp::create(rewriter, loc, op.getInput(), collapse);
    Value weight = tensor::CollapseShapeOp::create(rewriter, loc,
                                                   op.getWeight(), collapse);
    int64_t plane = inputType.getNumElements() /
                    (inputType.getDimSize(0) * inputType.getDimSize(1));
    auto flatType = accumulatorType(
        RankedTensorType::get(
            {resultType.getDimSize(0), resultType.getDimSize(1), plane},
            resultType.getElementType()),
        wide);
    Value init = convInit(rewriter, loc, flatType, op.getBias());
    Value flat = buildConvolution(rewriter, loc, input, weight, init,
                                  /*strides=*/{1}, /*dilations=*/{1},
                                  op.getGroups());
    Value acc = tensor::ExpandShapeOp::create(
        rewriter, loc, accumulatorType(resultType, wide), flat, collapse);
    return narrowTo(rewriter, loc, acc, resultType);
  }
};

//===----------------------------------------------------------------------===//
// conv_transpose
//===----------------------------------------------------------------------===//

/// conv_transpose(x, w) is the stride-1 convolution, with the same
/// dilations, of x spread out by the strides (zeros in between) and padded
/// by `dilation * (K - 1) - pad` on each side (plus output_padding at the
/// end), with the weight flipped spatially and its [C, F/groups] dims
/// regrouped to [F, C/groups].
struct ConvTransposeLowering : OpRewritePattern<ConvTransposeOp> {
  ConvTransposeLowering(MLIRContext *context, bool wide)
      : OpRewritePattern(context), wide(wide) {}
  /// f16/bf16 accumulate in f32.
  bool wide;

  LogicalResult matchAndRewrite(ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    Type elementType = resultType.getElementType();
    if (!hasElementType(op.getBias(), elementType))
      return rewriter.notifyMatchFailure(op, "bias element type differs");
    size_t spatial = resultType.getRank() - 2;
    int64_t groups = op.getGroups();
    SmallVector<int64_t> strides = orDefault(op.getStrides(), spatial, 1);
    SmallVector<int64_t> dilations = orDefault(op.getDilations(), spatial, 1);
    SmallVector<int64_t> pads = orDefault(op.getPads(), 2 * spatial, 0);
    SmallVector<int64_t> outputPadding =
        orDefault(op.getOutputPadding(), spatial, 0);
    ArrayRef<int64_t> in = inputType.getShape();
    ArrayRef<int64_t> kernel = weightType.getShape().drop_front(2);

    // A conv_transpose that fuse-tile tiles as an implicit GEMM for the GPU
    // (fuse.implicit_gemm, groups 1): the conv reads the spread input with
    // the crop in its map (o + k * dilation + crop, no extract_slice), and
    // the flipped weight is marked fuse.untiled_producer (tiling cannot
    // slice its reversed indices; fuse-tile computes it whole in the tile,
    // and fuse-gpu-gemm reads the weight through its map instead, as it
    // reads the input through the spread's strides).
    bool implicitGemm = op->hasAttr("fuse.implicit_gemm") && groups == 1;
    // The spread input, padded where the pads are positive; negative pads
    // crop it afterwards.
    SmallVector<int64_t> spreadShape = {in[0], in[1]};
    SmallVector<int64_t> offsets = {0, 0}, insertStrides = {1, 1};
    SmallVector<int64_t> cropOffsets = {0, 0}, cropSizes = {in[0], in[1]};
    bool crop = false;
    for (size_t i = 0; i < spatial; ++i) {
      int64_t reach = dilations[i] * (kernel[i] - 1);
      int64_t low = reach - pads[i];
      int64_t high = reach - pads[i + spatial] + outputPadding[i];
      int64_t spread = strides[i] * (in[i + 2] - 1) + 1;
      spreadShape.push_back(spread + std::max<int64_t>(low, 0) +
                            std::max<int64_t>(high, 0));
      offsets.push_back(std::max<int64_t>(low, 0));
      insertStrides.push_back(strides[i]);
      cropOffsets.push_back(std::max<int64_t>(-low, 0));
      cropSizes.push_back(spread + low + high);
      crop |= low < 0 || high < 0;
    }
    auto spreadType = RankedTensorType::get(spreadShape, elementType);
    Value zeros = filledTensor(rewriter, loc, spreadType, 0.0);
    Value spread = tensor::InsertSliceOp::create(
                       rewriter, loc, op.getInput(), zeros,
                       getAsIndexOpFoldResult(context, offsets),
                       getAsIndexOpFoldResult(context, in),
                       getAsIndexOpFoldResult(context, insertStrides))
                       .getResult();
    if (crop && !implicitGemm) {
      SmallVector<int64_t> ones(spreadShape.size(), 1);
      spread = tensor::ExtractSliceOp::create(
                   rewriter, loc, RankedTensorType::get(cropSizes, elementType),
                   spread, getAsIndexOpFoldResult(context, cropOffsets),
                   getAsIndexOpFoldResult(context, cropSizes),
                   getAsIndexOpFoldResult(context, ones))
                   .getResult();
    }

    // flipped[f, c, k...] = weight[g * C/groups + c, f % (F/groups),
    // K-1-k...] with g = f / (F/groups).
    int64_t channelsPerGroup = in[1] / groups;
    int64_t filtersPerGroup = weightType.getDimSize(1);
    SmallVector<int64_t> flippedShape = {filtersPerGroup * groups,
                                         channelsPerGroup};
    flippedShape.append(kernel.begin(), kernel.end());
    auto flippedType = RankedTensorType::get(flippedShape, elementType);
    unsigned rank = flippedType.getRank();
    AffineExpr f = getAffineDimExpr(0, context);
    AffineExpr c = getAffineDimExpr(1, context);
    SmallVector<AffineExpr> weightExprs = {
        f.floorDiv(filtersPerGroup) * channelsPerGroup + c,
        f % filtersPerGroup};
    if (implicitGemm)
      weightExprs = {c, f};
    for (size_t i = 0; i < spatial; ++i)
      weightExprs.push_back(kernel[i] - 1 - getAffineDimExpr(2 + i, context));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, weightExprs, context),
        AffineMap::getMultiDimIdentityMap(rank, context)};
    Value flipped =
        linalg::GenericOp::create(
            rewriter, loc, flippedType, ValueRange{op.getWeight()},
            ValueRange{emptyTensor(rewriter, loc, flippedType)}, maps,
            SmallVector<IteratorType>(rank, IteratorType::parallel),
            [](OpBuilder &b, Location nestedLoc, ValueRange args) {
              linalg::YieldOp::create(b, nestedLoc, args[0]);
            })
            .getResult(0);

    Value init = convInit(rewriter, loc, accumulatorType(resultType, wide),
                          op.getBias());
    // The implicit GEMM's conv keeps the plain loops n, f, o..., c, k... and
    // reads the spread input at o + k * dilation + crop.
    SmallVector<int64_t> inputOffsets;
    if (implicitGemm) {
      flipped.getDefiningOp()->setAttr("fuse.untiled_producer",
                                       rewriter.getUnitAttr());
      inputOffsets.assign(cropOffsets.begin() + 2, cropOffsets.end());
    }
    SmallVector<int64_t> unitStrides(spatial, 1);
    Value acc = buildConvolution(rewriter, loc, spread, flipped, init,
                                 unitStrides, dilations, groups,
                                 /*allowBlocking=*/!implicitGemm, inputOffsets);
    rewriter.replaceOp(op, narrowTo(rewriter, loc, acc, resultType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pools
//===----------------------------------------------------------------------===//

/// Geometry of a pool: the input padded so that every window of the result
/// (ceil_mode ones included) lies inside it.
struct PoolWindow {
  SmallVector<int64_t> strides, dilations, pads, kernel;
  SmallVector<int64_t> low, high;
};

template <typename OpTy> PoolWindow poolWindow(OpTy op) {
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto resultType = cast<RankedTensorType>(op.getType());
  size_t spatial = inputType.getRank() - 2;
  PoolWindow w;
  w.kernel = SmallVector<int64_t>(op.getKernelShape());
  w.strides = orDefault(op.getStrides(), spatial, 1);
  w.dilations = orDefault(op.getDilations(), spatial, 1);
  w.pads = orDefault(op.getPads(), 2 * spatial, 0);
  w.low = {0, 0};
  w.high = {0, 0};
  for (size_t i = 0; i < spatial; ++i) {
    int64_t in = inputType.getDimSize(i + 2);
    int64_t out = resultType.getDimSize(i + 2);
    int64_t needed =
        (out - 1) * w.strides[i] + w.dilations[i] * (w.kernel[i] - 1) + 1;
    w.low.push_back(w.pads[i]);
    w.high.push_back(std::max(w.pads[i + spatial], needed - w.pads[i] - in));
  }
  return w;
}

/// A window reduction over the padded `input` into `init`; `combine(acc, x)`
/// folds one element.
Value buildPool(
    OpBuilder &b, Location loc, Value input, Value init, const PoolWindow &w,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  MLIRContext *context = b.getContext();
  auto initType = cast<RankedTensorType>(init.getType());
  unsigned spatial = initType.getRank() - 2;
  // Loops: n, c, o..., k...; a kernel-shaped operand bounds the k loops.
  unsigned loops = 2 + 2 * spatial;
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, context); };
  SmallVector<AffineExpr> inputExprs = {dim(0), dim(1)};
  SmallVector<AffineExpr> windowExprs, outExprs = {dim(0), dim(1)};
  for (unsigned i = 0; i < spatial; ++i) {
    AffineExpr o = dim(2 + i), k = dim(2 + spatial + i);
    inputExprs.push_back(o * w.strides[i] + k * w.dilations[i]);
    windowExprs.push_back(k);
    outExprs.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inputExprs, context),
                                 AffineMap::get(loops, 0, windowExprs, context),
                                 AffineMap::get(loops, 0, outExprs, context)};
  SmallVector<IteratorType> iterators(2 + spatial, IteratorType::parallel);
  iterators.append(spatial, IteratorType::reduction);
  Value window =
      tensor::EmptyOp::create(b, loc, w.kernel, initType.getElementType());
  return linalg::GenericOp::create(
             b, loc, initType, ValueRange{input, window}, ValueRange{init},
             maps, iterators,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(
                   nested, nestedLoc,
                   combine(nested, nestedLoc, args[2], args[0]));
             })
      .getResult(0);
}

struct MaxPoolLowering : OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    double lowest = lowestValue(resultType.getElementType());
    PoolWindow w = poolWindow(op);
    Value input =
        padTensor(rewriter, loc, op.getInput(), w.low, w.high, lowest);
    Value init = filledTensor(rewriter, loc, resultType, lowest);
    rewriter.replaceOp(
        op, buildPool(rewriter, loc, input, init, w,
                      [](OpBuilder &b, Location l, Value acc, Value x) {
                        return scalarMax(b, l, acc, x);
                      }));
    return success();
  }
};

/// How many of the window positions `o * stride - padBegin + k * dilation`
/// (k < kernel) fall in [lo, hi).
int64_t windowCount(int64_t o, int64_t stride, int64_t dilation, int64_t kernel,
                    int64_t padBegin, int64_t lo, int64_t hi) {
  int64_t count = 0;
  for (int64_t k = 0; k < kernel; ++k) {
    int64_t p = o * stride - padBegin + k * dilation;
    count += p >= lo && p < hi;
  }
  return count;
}

struct AvgPoolLowering : OpRewritePattern<AvgPoolOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AvgPoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto inputType = cast<RankedTensorType>(op.getInput().getType());
    Type elementType = resultType.getElementType();
    unsigned rank = resultType.getRank();
    unsigned spatial = rank - 2;
    PoolWindow w = poolWindow(op);
    Value input = padTensor(rewriter, loc, op.getInput(), w.low, w.high, 0.0);
    Value init = filledTensor(rewriter, loc, resultType, 0.0);
    Value sum = buildPool(rewriter, loc, input, init, w,
                          [](OpBuilder &b, Location l, Value acc, Value x) {
                            return scalarAdd(b, l, acc, x);
                          });

    // The divisor depends only on the output position: a constant over the
    // spatial dims. Explicit pads count with count_include_pad; the
    // ceil_mode overhang past them never does.
    ArrayRef<int64_t> outShape = resultType.getShape().drop_front(2);
    SmallVector<SmallVector<int64_t>> perDim(spatial);
    for (unsigned i = 0; i < spatial; ++i) {
      int64_t in = inputType.getDimSize(i + 2);
      int64_t padBegin = w.pads[i], padEnd = w.pads[i + spatial];
      int64_t lo = op.getCountIncludePad() ? -padBegin : 0;
      int64_t hi = op.getCountIncludePad() ? in + padEnd : in;
      for (int64_t o = 0; o < outShape[i]; ++o)
        perDim[i].push_back(windowCount(o, w.strides[i], w.dilations[i],
                                        w.kernel[i], padBegin, lo, hi));
    }
    int64_t positions = 1;
    for (int64_t size : outShape)
      positions *= size;
    SmallVector<APFloat> counts;
    auto floatType = cast<FloatType>(elementType);
    for (int64_t linear = 0; linear < positions; ++linear) {
      int64_t rest = linear, count = 1;
      for (int i = spatial - 1; i >= 0; --i) {
        count *= perDim[i][rest % outShape[i]];
        rest /= outShape[i];
      }
      APFloat value(static_cast<double>(count));
      bool lost;
      value.convert(floatType.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                    &lost);
      counts.push_back(value);
    }
    auto countType = RankedTensorType::get(outShape, elementType);
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(countType, counts));

    SmallVector<AffineExpr> countExprs;
    for (unsigned i = 0; i < spatial; ++i)
      countExprs.push_back(getAffineDimExpr(2 + i, context));
    SmallVector<AffineMap> maps = {
        AffineMap::getMultiDimIdentityMap(rank, context),
        AffineMap::get(rank, 0, countExprs, context),
        AffineMap::getMultiDimIdentityMap(rank, context)};
    Value mean = linalg::GenericOp::create(
                     rewriter, loc, resultType, ValueRange{sum, divisor},
                     ValueRange{emptyTensor(rewriter, loc, resultType)}, maps,
                     SmallVector<IteratorType>(rank, IteratorType::parallel),
                     [](OpBuilder &b, Location nestedLoc, ValueRange args) {
                       linalg::YieldOp::create(
                           b, nestedLoc,
                           arith::DivFOp::create(b, nestedLoc, args[0], args[1])
                               .getResult());
                     })
                     .getResult(0);
    rewriter.replaceOp(op, mean);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// attention
//===----------------------------------------------------------------------===//

/// softmax(q k^T * scale + mask [causal: -inf above the shifted diagonal])
/// v, as fuse.matmul and fuse.softmax around one masking generic.
struct AttentionLowering : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto queryType = cast<RankedTensorType>(op.getQuery().getType());
    auto keyType = cast<RankedTensorType>(op.getKey().getType());
    Type elementType = queryType.getElementType();
    if (!hasElementType(op.getMask(), elementType))
      return rewriter.notifyMatchFailure(op, "mask element type differs");
    unsigned rank = queryType.getRank();
    int64_t queries = queryType.getDimSize(rank - 2);
    int64_t keys = keyType.getDimSize(rank - 2);
    double scale =
        op.getScaleAttr()
            ? op.getScaleAttr().getValueAsDouble()
            : 1.0 / std::sqrt(static_cast<double>(queryType.getShape().back()));

    SmallVector<int64_t> scoreShape(queryType.getShape().drop_back());
    scoreShape.push_back(keys);
    auto scoreType = RankedTensorType::get(scoreShape, elementType);
    Value scores = MatMulOp::create(rewriter, loc, scoreType, op.getQuery(),
                                    op.getKey(), /*transpose_a=*/false,
                                    /*transpose_b=*/true);

    SmallVector<Value> inputs = {scores};
    if (Value mask = op.getMask())
      inputs.push_back(mask);
    bool causal = op.getCausal();
    Value masked = buildElementwise(
        rewriter, loc, scoreType, inputs,
        [&](OpBuilder &b, Location l, ValueRange args) -> Value {
          Value x = arith::MulFOp::create(
              b, l, args[0], scalarConstant(b, l, elementType, scale));
          if (args.size() > 1)
            x = arith::AddFOp::create(b, l, x, args[1]);
          if (!causal)
            return x;
          // Key j is visible from query i when j <= i + L - S.
          Value i = linalg::IndexOp::create(b, l, rank - 2);
          Value j = linalg::IndexOp::create(b, l, rank - 1);
          Value limit = arith::AddIOp::create(
              b, l, i, arith::ConstantIndexOp::create(b, l, keys - queries));
          Value hidden =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, j, limit);
          Value minusInf =
              scalarConstant(b, l, elementType, lowestValue(elementType));
          return arith::SelectOp::create(b, l, hidden, minusInf, x);
        });
    Value probabilities =
        SoftmaxOp::create(rewriter, loc, masked, uint64_t(rank - 1));
    rewriter.replaceOpWithNewOp<MatMulOp>(op, op.getType(), probabilities,
                                          op.getValue(), false, false);
    return success();
  }
};

} // namespace

void mlir::fuse::populateStructuredToLinalgPatterns(
    RewritePatternSet &patterns, bool wideAccumulation) {
  patterns.add<MatMulLowering, ConvLowering, ConvTransposeLowering>(
      patterns.getContext(), wideAccumulation);
  patterns.add<MaxPoolLowering, AvgPoolLowering, AttentionLowering>(
      patterns.getContext());
}
