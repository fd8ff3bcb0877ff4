//===- RewriteUtils.h - Shared helpers of --fuse-rewrite --------*- C++ -*-===//
//
// Constant access (dense and dense_resource, f32), constant creation,
// numpy-broadcast evaluation of small constant expressions, and the per-pattern
// match counters that `--fuse-rewrite=print-stats=1` prints.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_TRANSFORMS_REWRITE_REWRITEUTILS_H
#define FUSE_LIB_TRANSFORMS_REWRITE_REWRITEUTILS_H

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <vector>

namespace mlir {
namespace fuse {
namespace rewrite {

/// How often each pattern rewrote something, by pattern name.
using Stats = llvm::StringMap<int64_t>;

/// A pattern that counts its successful rewrites under `name`.
template <typename OpT>
struct CountedPattern : OpRewritePattern<OpT> {
  CountedPattern(MLIRContext *context, Stats *stats, StringRef name,
                 PatternBenefit benefit = 1)
      : OpRewritePattern<OpT>(context, benefit), stats(stats), name(name) {
    this->setDebugName(name);
  }
  void count() const {
    if (stats)
      ++(*stats)[name];
  }
  Stats *stats;
  std::string name;
};

/// The element values of a constant f32 tensor (dense or dense_resource), or
/// nothing when `value` is not one.
std::optional<std::vector<float>> readF32Constant(Value value);

/// True when `value` is a constant f32 tensor that readF32Constant can read
/// (checked without copying its data).
bool isF32Constant(Value value);

/// The static shape of a ranked tensor value.
inline ArrayRef<int64_t> shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

/// The product of `shape`.
inline int64_t elementCount(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// The number of elements of a ranked tensor value.
int64_t numElementsOf(Value value);

/// The value of a float constant whose elements are all equal (a splat, or a
/// one-element tensor), or nothing.
std::optional<double> getSplatFloat(Value value);

/// True when `value` is an f32 ranked tensor.
bool isF32(Value value);

/// A new f32 constant: dense for small tensors, a dense_resource blob for
/// large ones (as the importer writes weights).
Value createF32Constant(OpBuilder &builder, Location loc,
                        ArrayRef<int64_t> shape, ArrayRef<float> values);

/// Evaluates `fn(a, b)` with numpy broadcasting into `outShape` (which must
/// be the broadcast of both shapes).
std::vector<float> broadcastBinary(ArrayRef<int64_t> aShape,
                                   ArrayRef<float> a,
                                   ArrayRef<int64_t> bShape,
                                   ArrayRef<float> b,
                                   ArrayRef<int64_t> outShape,
                                   llvm::function_ref<float(float, float)> fn);

/// When a tensor of `shape` broadcasts onto `target` varying only along dim
/// `axis` of `target` (every other dim of `shape`, right-aligned, is 1),
/// returns `values` expanded to `target[axis]` entries.
std::optional<std::vector<float>> alongAxis(ArrayRef<int64_t> shape,
                                            ArrayRef<float> values,
                                            ArrayRef<int64_t> target,
                                            int64_t axis);

/// The op defining `value` when it is an `OpT` whose result has one user.
template <typename OpT>
OpT singleUse(Value value) {
  if (!value.hasOneUse())
    return {};
  return value.getDefiningOp<OpT>();
}

/// True when `value` is a ranked tensor of a float element type.
inline bool isFloatTensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && isa<FloatType>(type.getElementType());
}

/// True when `a` and `b` agree within `relTol` relative to `b`.
inline bool near(double a, double b, double relTol = 1e-5) {
  double diff = a > b ? a - b : b - a;
  double mag = b < 0 ? -b : b;
  return diff <= relTol * (mag > 1e-30 ? mag : 1e-30);
}

/// Pattern families.
void populateConstantChainPatterns(RewritePatternSet &patterns, Stats *stats);
void populateMatmulFlagPatterns(RewritePatternSet &patterns, Stats *stats);
void populateFoldScalePatterns(RewritePatternSet &patterns, Stats *stats);
/// Constants in front of a conv (its input channels): run after the other
/// families, so that composites and folds into the preceding op win.
void populateFoldIntoNextConvPatterns(RewritePatternSet &patterns,
                                      Stats *stats);
void populateRecognizePatterns(RewritePatternSet &patterns, Stats *stats);
void populateLayerNormPatterns(RewritePatternSet &patterns, Stats *stats);
void populateAttentionPatterns(RewritePatternSet &patterns, Stats *stats);
void populateMergeMatmulPatterns(RewritePatternSet &patterns, Stats *stats);

} // namespace rewrite
} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_TRANSFORMS_REWRITE_REWRITEUTILS_H
