//===- FoldScales.cpp - Fold constant scales into contractions ------------===//
//
// batch_norm, and mul/add/sub by per-output-channel constants, fold into the
// weights and bias of the preceding conv / conv_transpose; column scales and
// a column batch_norm fold into a matmul's constant right operand;
// per-input-channel scales (and, without padding, shifts) fold into the
// following conv.
//
//===----------------------------------------------------------------------===//

#include "Rewrite/RewriteUtils.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fuse;
using namespace mlir::fuse::rewrite;

namespace {

//===----------------------------------------------------------------------===//
// Convolutions: per-output-channel scale and shift into weights and bias
//===----------------------------------------------------------------------===//

/// A conv or conv_transpose with constant f32 weight (and bias) whose result
/// has exactly one user.
struct ConvInfo {
  Operation *op = nullptr;
  std::vector<float> weight, bias;
  bool transposed = false;
  int64_t groups = 1;
  int64_t channels = 0; // output channels F
};

std::optional<ConvInfo> matchFoldableConv(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op || !isa<ConvOp, ConvTransposeOp>(op) || !value.hasOneUse() ||
      !isF32(value))
    return std::nullopt;
  ConvInfo info;
  info.op = op;
  info.transposed = isa<ConvTransposeOp>(op);
  info.groups = info.transposed ? cast<ConvTransposeOp>(op).getGroups()
                                : cast<ConvOp>(op).getGroups();
  info.channels = shapeOf(value)[1];
  if (!isF32Constant(op->getOperand(1)) ||
      (op->getNumOperands() > 2 && !isF32Constant(op->getOperand(2))))
    return std::nullopt;
  return info;
}

/// Reads the weights and bias of a matched conv (zeros without bias).
void loadConvConstants(ConvInfo &info) {
  Operation *op = info.op;
  info.weight = *readF32Constant(op->getOperand(1));
  if (op->getNumOperands() > 2)
    info.bias = *readF32Constant(op->getOperand(2));
  else
    info.bias.assign(info.channels, 0.0f);
}

/// Multiplies output channel f of the weights by scale[f].
void scaleConvWeights(ConvInfo &info, ArrayRef<int64_t> wShape,
                      ArrayRef<float> scale) {
  int64_t inner = elementCount(wShape.drop_front(2));
  int64_t d0 = wShape[0], d1 = wShape[1];
  for (int64_t a = 0; a < d0; ++a)
    for (int64_t b = 0; b < d1; ++b) {
      // conv: weight[F, C/g, K...]; conv_transpose: weight[C, F/g, K...].
      int64_t f = b;
      if (!info.transposed) {
        f = a;
      } else {
        int64_t inPerGroup = d0 / info.groups;
        f = (a / inPerGroup) * d1 + b;
      }
      float s = scale[f];
      float *row = info.weight.data() + (a * d1 + b) * inner;
      for (int64_t k = 0; k < inner; ++k)
        row[k] *= s;
    }
}

/// A copy of `conv` (before it) reading `input`, with the folded weight and
/// bias of `info`.
Operation *createFoldedConv(PatternRewriter &rewriter, Operation *conv,
                            Value input, ConvInfo &info) {
  Value weight = conv->getOperand(1);
  rewriter.setInsertionPoint(conv);
  Value newWeight = createF32Constant(rewriter, weight.getLoc(),
                                      shapeOf(weight), info.weight);
  OperationState state(conv->getLoc(), conv->getName());
  state.addOperands({input, newWeight});
  // A conv without bias keeps none when the fold added nothing to it.
  bool zeroBias = llvm::all_of(info.bias, [](float b) { return b == 0.0f; });
  if (conv->getNumOperands() > 2 || !zeroBias)
    state.addOperands(createF32Constant(rewriter, conv->getLoc(),
                                        {info.channels}, info.bias));
  state.addTypes(conv->getResultTypes());
  state.propertiesAttr = conv->getPropertiesAsAttribute();
  for (NamedAttribute attr : conv->getDiscardableAttrs())
    state.addAttribute(attr.getName(), attr.getValue());
  return rewriter.create(state);
}

/// Replaces `root` with a copy of the conv using the new weight and bias.
void replaceWithConv(PatternRewriter &rewriter, Operation *root,
                     ConvInfo &info) {
  Operation *conv = info.op;
  Operation *newConv =
      createFoldedConv(rewriter, conv, conv->getOperand(0), info);
  rewriter.replaceOp(root, newConv->getResults());
  rewriter.eraseOp(conv);
}

/// mul/add/sub(conv, C) with C constant along the output channels.
template <typename OpT>
struct FoldChannelConstantIntoConv : CountedPattern<OpT> {
  using CountedPattern<OpT>::CountedPattern;
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    constexpr bool commutative = !std::is_same_v<OpT, SubOp>;
    Value convValue = op.getLhs(), constant = op.getRhs();
    if (commutative && !matchFoldableConv(convValue))
      std::swap(convValue, constant);
    std::optional<ConvInfo> info = matchFoldableConv(convValue);
    if (!info || op.getType() != convValue.getType() ||
        !isF32Constant(constant) || numElementsOf(constant) > info->channels)
      return failure();
    std::optional<std::vector<float>> perChannel = alongAxis(
        shapeOf(constant), *readF32Constant(constant), shapeOf(convValue), 1);
    if (!perChannel)
      return failure();
    loadConvConstants(*info);
    for (int64_t f = 0; f < info->channels; ++f) {
      float v = (*perChannel)[f];
      if constexpr (std::is_same_v<OpT, MulOp>)
        info->bias[f] *= v;
      else if constexpr (std::is_same_v<OpT, AddOp>)
        info->bias[f] += v;
      else
        info->bias[f] -= v;
    }
    if constexpr (std::is_same_v<OpT, MulOp>)
      scaleConvWeights(*info, shapeOf(info->op->getOperand(1)), *perChannel);
    replaceWithConv(rewriter, op, *info);
    this->count();
    return success();
  }
};

/// conv(mul(a, k)) and, for a conv without padding, conv(add(a, c)) with k
/// and c constant along the input channels (dim 1) of `a`: the scale
/// multiplies the weights of each input channel (padding zeros stay zero);
/// the shift adds `sum over (c, window) of W[f, c, ...] * c[c]` to the bias.
template <typename OpT>
struct FoldInputChannelConstantIntoConv : CountedPattern<ConvOp> {
  using CountedPattern<ConvOp>::CountedPattern;
  LogicalResult matchAndRewrite(ConvOp conv,
                                PatternRewriter &rewriter) const override {
    constexpr bool isScale = std::is_same_v<OpT, MulOp>;
    auto producer = conv.getInput().template getDefiningOp<OpT>();
    if (!producer || !conv.getInput().hasOneUse() || !isF32(conv.getInput()))
      return failure();
    if (!isScale &&
        llvm::any_of(conv.getPads(), [](int64_t p) { return p != 0; }))
      return failure();
    Value input = producer.getLhs(), constant = producer.getRhs();
    if (!isF32Constant(constant))
      std::swap(input, constant);
    ArrayRef<int64_t> inShape = shapeOf(conv.getInput());
    int64_t channels = inShape[1];
    if (!isF32Constant(constant) || input.getType() != conv.getInput().getType() ||
        numElementsOf(constant) > channels ||
        !isF32Constant(conv.getWeight()) ||
        (conv.getBias() && !isF32Constant(conv.getBias())))
      return failure();
    std::optional<std::vector<float>> perChannel =
        alongAxis(shapeOf(constant), *readF32Constant(constant), inShape, 1);
    if (!perChannel)
      return failure();
    ConvInfo info;
    info.op = conv;
    info.groups = conv.getGroups();
    info.channels = shapeOf(conv.getResult())[1];
    loadConvConstants(info);
    ArrayRef<int64_t> wShape = shapeOf(conv.getWeight());
    int64_t perGroupIn = wShape[1];
    int64_t perGroupOut = info.channels / info.groups;
    int64_t inner = elementCount(wShape.drop_front(2));
    for (int64_t f = 0; f < info.channels; ++f) {
      int64_t group = f / perGroupOut;
      double shift = 0.0;
      for (int64_t c = 0; c < perGroupIn; ++c) {
        float v = (*perChannel)[group * perGroupIn + c];
        float *row = info.weight.data() + (f * perGroupIn + c) * inner;
        for (int64_t k = 0; k < inner; ++k) {
          if constexpr (isScale)
            row[k] *= v;
          else
            shift += static_cast<double>(row[k]) * v;
        }
      }
      if constexpr (!isScale)
        info.bias[f] = static_cast<float>(info.bias[f] + shift);
    }
    Operation *newConv = createFoldedConv(rewriter, conv, input, info);
    rewriter.replaceOp(conv, newConv->getResults());
    rewriter.eraseOp(producer);
    this->count();
    return success();
  }
};

/// batch_norm(conv) with constant statistics:
///   s = scale / sqrt(var + eps); W' = W * s; b' = (b - mean) * s + beta.
struct FoldBatchNormIntoConv : CountedPattern<BatchNormOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<ConvInfo> info = matchFoldableConv(op.getInput());
    if (!info)
      return failure();
    if (!isF32Constant(op.getScale()) || !isF32Constant(op.getBias()) ||
        !isF32Constant(op.getMean()) || !isF32Constant(op.getVariance()))
      return failure();
    loadConvConstants(*info);
    auto scale = readF32Constant(op.getScale());
    auto beta = readF32Constant(op.getBias());
    auto mean = readF32Constant(op.getMean());
    auto var = readF32Constant(op.getVariance());
    int64_t f = info->channels;
    if (!scale || !beta || !mean || !var ||
        static_cast<int64_t>(scale->size()) != f ||
        static_cast<int64_t>(beta->size()) != f ||
        static_cast<int64_t>(mean->size()) != f ||
        static_cast<int64_t>(var->size()) != f)
      return failure();
    double eps = op.getEpsilon().convertToDouble();
    std::vector<float> s(f);
    for (int64_t i = 0; i < f; ++i) {
      double si = (*scale)[i] / std::sqrt(static_cast<double>((*var)[i]) + eps);
      s[i] = static_cast<float>(si);
      info->bias[i] = static_cast<float>(
          (static_cast<double>(info->bias[i]) - (*mean)[i]) * si + (*beta)[i]);
    }
    scaleConvWeights(*info, shapeOf(info->op->getOperand(1)), s);
    replaceWithConv(rewriter, op, *info);
    count();
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Matmul: column scale into the constant right operand
//===----------------------------------------------------------------------===//

/// mul(matmul(x, W), c) -> matmul(x, W * c) and
/// mul(add(matmul(x, W), B), c) -> add(matmul(x, W * c), B * c), with W a
/// constant 2-D f32 matrix and c constant along the result's last dim.
struct FoldScaleIntoMatmul : CountedPattern<MulOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value lhs = side ? op.getRhs() : op.getLhs();
      Value constant = side ? op.getLhs() : op.getRhs();
      if (succeeded(tryFold(op, lhs, constant, rewriter))) {
        count();
        return success();
      }
    }
    return failure();
  }

  LogicalResult tryFold(MulOp op, Value value, Value constant,
                        PatternRewriter &rewriter) const {
    if (op.getType() != value.getType() || !value.hasOneUse() ||
        !isF32(value) || !isF32Constant(constant) ||
        numElementsOf(constant) > shapeOf(value).back())
      return failure();
    std::optional<std::vector<float>> c = readF32Constant(constant);
    AddOp bias = value.getDefiningOp<AddOp>();
    Value biasConstant;
    Value mmValue = value;
    if (bias) {
      mmValue = bias.getLhs();
      biasConstant = bias.getRhs();
      if (!mmValue.getDefiningOp<MatMulOp>())
        std::swap(mmValue, biasConstant);
      if (!isF32Constant(biasConstant) || mmValue.getType() != value.getType())
        return failure();
    }
    auto mm = mmValue.getDefiningOp<MatMulOp>();
    if (!mm || !mmValue.hasOneUse())
      return failure();
    ArrayRef<int64_t> wShape = shapeOf(mm.getRhs());
    if (!isF32Constant(mm.getRhs()) || wShape.size() != 2)
      return failure();
    ArrayRef<int64_t> outShape = shapeOf(mmValue);
    std::optional<std::vector<float>> column =
        alongAxis(shapeOf(constant), *c, outShape, outShape.size() - 1);
    if (!column)
      return failure();
    SmallVector<int64_t> scaledBiasShape;
    if (bias) {
      FailureOr<SmallVector<int64_t>> shape =
          broadcastShapes(shapeOf(biasConstant), shapeOf(constant));
      if (failed(shape))
        return failure();
      scaledBiasShape = *shape;
    }
    std::optional<std::vector<float>> w = readF32Constant(mm.getRhs());
    bool tb = mm.getTransposeB();
    int64_t rows = wShape[0], cols = wShape[1];
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t k = 0; k < cols; ++k)
        (*w)[r * cols + k] *= (*column)[tb ? r : k];
    rewriter.setInsertionPoint(mm);
    Value newW = createF32Constant(rewriter, mm.getRhs().getLoc(), wShape, *w);
    Value result = MatMulOp::create(rewriter, mm.getLoc(), mm.getType(),
                                    mm.getLhs(), newW, mm.getTransposeA(),
                                    mm.getTransposeB());
    if (bias) {
      ArrayRef<int64_t> bShape = shapeOf(biasConstant);
      ArrayRef<int64_t> cShape = shapeOf(constant);
      std::vector<float> scaled = broadcastBinary(
          bShape, *readF32Constant(biasConstant), cShape, *c, scaledBiasShape,
          [](float a, float b) { return a * b; });
      Value newB = createF32Constant(rewriter, biasConstant.getLoc(),
                                     scaledBiasShape, scaled);
      result = AddOp::create(rewriter, bias.getLoc(), op.getType(), result,
                             newB);
    }
    rewriter.replaceOp(op, result);
    if (bias)
      rewriter.eraseOp(bias);
    rewriter.eraseOp(mm);
    return success();
  }
};

/// batch_norm over the columns of a 2-D matmul(x, W) with constant W:
///   s = gamma / sqrt(var + eps); matmul(x, W * s) + (beta - mean * s).
struct FoldBatchNormIntoMatmul : CountedPattern<BatchNormOp> {
  using CountedPattern::CountedPattern;
  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    auto mm = op.getInput().getDefiningOp<MatMulOp>();
    if (!mm || !op.getInput().hasOneUse() || !isF32(op.getInput()) ||
        shapeOf(op.getInput()).size() != 2 || shapeOf(mm.getRhs()).size() != 2 ||
        !isF32Constant(mm.getRhs()) || !isF32Constant(op.getScale()) ||
        !isF32Constant(op.getBias()) || !isF32Constant(op.getMean()) ||
        !isF32Constant(op.getVariance()))
      return failure();
    int64_t n = shapeOf(op.getInput())[1];
    auto scale = *readF32Constant(op.getScale());
    auto beta = *readF32Constant(op.getBias());
    auto mean = *readF32Constant(op.getMean());
    auto var = *readF32Constant(op.getVariance());
    if (static_cast<int64_t>(scale.size()) != n ||
        static_cast<int64_t>(beta.size()) != n ||
        static_cast<int64_t>(mean.size()) != n ||
        static_cast<int64_t>(var.size()) != n)
      return failure();
    double eps = op.getEpsilon().convertToDouble();
    std::vector<float> s(n), bias(n);
    for (int64_t i = 0; i < n; ++i) {
      double si = scale[i] / std::sqrt(static_cast<double>(var[i]) + eps);
      s[i] = static_cast<float>(si);
      bias[i] = static_cast<float>(beta[i] - mean[i] * si);
    }
    ArrayRef<int64_t> wShape = shapeOf(mm.getRhs());
    std::vector<float> w = *readF32Constant(mm.getRhs());
    bool tb = mm.getTransposeB();
    for (int64_t r = 0; r < wShape[0]; ++r)
      for (int64_t k = 0; k < wShape[1]; ++k)
        w[r * wShape[1] + k] *= s[tb ? r : k];
    rewriter.setInsertionPoint(mm);
    Value newW = createF32Constant(rewriter, mm.getRhs().getLoc(), wShape, w);
    Value result = MatMulOp::create(rewriter, mm.getLoc(), mm.getType(),
                                    mm.getLhs(), newW, mm.getTransposeA(), tb);
    Value b = createF32Constant(rewriter, op.getLoc(), {n}, bias);
    rewriter.setInsertionPoint(op);
    rewriter.replaceOpWithNewOp<AddOp>(op, op.getType(), result, b);
    rewriter.eraseOp(mm);
    count();
    return success();
  }
};

} // namespace

void rewrite::populateFoldIntoNextConvPatterns(RewritePatternSet &patterns,
                                               Stats *stats) {
  MLIRContext *context = patterns.getContext();
  patterns.add<FoldInputChannelConstantIntoConv<MulOp>>(
      context, stats, "fold-mul-into-next-conv");
  patterns.add<FoldInputChannelConstantIntoConv<AddOp>>(
      context, stats, "fold-add-into-next-conv");
}

void rewrite::populateFoldScalePatterns(RewritePatternSet &patterns,
                                        Stats *stats) {
  MLIRContext *context = patterns.getContext();
  patterns.add<FoldChannelConstantIntoConv<MulOp>>(context, stats,
                                                   "fold-mul-into-conv");
  patterns.add<FoldChannelConstantIntoConv<AddOp>>(context, stats,
                                                   "fold-add-into-conv");
  patterns.add<FoldChannelConstantIntoConv<SubOp>>(context, stats,
                                                   "fold-sub-into-conv");
  patterns.add<FoldBatchNormIntoConv>(context, stats,
                                      "fold-batch-norm-into-conv");
  patterns.add<FoldScaleIntoMatmul>(context, stats, "fold-mul-into-matmul");
  patterns.add<FoldBatchNormIntoMatmul>(context, stats,
                                        "fold-batch-norm-into-matmul");
}
