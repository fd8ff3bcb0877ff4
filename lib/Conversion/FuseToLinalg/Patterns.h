//===- Patterns.h - FuseToLinalg pattern sets and helpers -------*- C++ -*-===//
//
// Internal to lib/Conversion/FuseToLinalg. Each .cpp file lowers one family
// of fuse ops and exposes a populate function; the helpers build the common
// linalg structures.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_CONVERSION_FUSETOLINALG_PATTERNS_H
#define FUSE_LIB_CONVERSION_FUSETOLINALG_PATTERNS_H

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace fuse {

/// Unary, binary, compare, logical, select, cast ops and constants.
void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns);
/// matmul, conv, conv_transpose, max_pool, avg_pool, attention.
void populateStructuredToLinalgPatterns(RewritePatternSet &patterns,
                                        bool wideAccumulation);
/// reduce, softmax, log_softmax, layer_norm, batch_norm.
void populateReductionToLinalgPatterns(RewritePatternSet &patterns,
                                       bool wideAccumulation);
/// transpose, reshape, concat, split, slice, gather, expand, pad, resize,
/// tile.
void populateDataMovementToLinalgPatterns(RewritePatternSet &patterns);

/// arg_max, arg_min, cumsum, gather_elements, gather_nd, scatter_elements,
/// scatter_nd.
void populateIndexOpsToLinalgPatterns(RewritePatternSet &patterns);

namespace linalg_lowering {

/// `tensor.empty` of a static type.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type);

/// The indexing map reading an operand of shape `operandShape` inside a
/// loop nest over `resultRank` dims with numpy broadcasting (right-aligned;
/// size-1 dims of the operand read index 0).
AffineMap broadcastMap(MLIRContext *context, ArrayRef<int64_t> operandShape,
                       unsigned resultRank);

/// A parallel linalg.generic over `resultType` reading `inputs` through
/// `inputMaps`; `body` computes one element from the input scalars and, with
/// `withIndices`, the loop indices (linalg.index).
using GenericBody =
    function_ref<Value(OpBuilder &, Location, ValueRange args, ValueRange ivs)>;
Value buildParallelGeneric(OpBuilder &b, Location loc,
                           RankedTensorType resultType, ValueRange inputs,
                           ArrayRef<AffineMap> inputMaps, GenericBody body,
                           bool withIndices = true);

/// A parallel linalg.generic over `resultType` reading `inputs` with
/// numpy broadcasting; `body` computes one element from the input scalars.
Value buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// A scalar constant of `type` (float or integer) with `value`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// A tensor filled with `value` (linalg.fill of tensor.empty).
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   double value);

/// Scalar helpers that pick the float or integer arith op for `type`.
Value scalarAdd(OpBuilder &b, Location loc, Value x, Value y);
Value scalarMul(OpBuilder &b, Location loc, Value x, Value y);
Value scalarMax(OpBuilder &b, Location loc, Value x, Value y);
Value scalarMin(OpBuilder &b, Location loc, Value x, Value y);

/// `x` extended to the float type `type` when it is a narrower float, else
/// `x`.
Value widen(OpBuilder &b, Location loc, Value x, Type type);

/// The accumulator type of a contraction or sum with result `type`: f32 for
/// f16/bf16 when `wide` (ONNX Runtime's and the GPU kernels' accumulation,
/// rounded once at the end), else `type`.
RankedTensorType accumulatorType(RankedTensorType type, bool wide);

/// `acc` rounded to `type` (one arith.truncf per element), or `acc` when it
/// already is of that type.
Value narrowTo(OpBuilder &b, Location loc, Value acc, RankedTensorType type);

/// The lowest / highest value of a float or integer type (-inf/+inf for
/// floats), for max/min reductions and padding.
double lowestValue(Type type);
double highestValue(Type type);

} // namespace linalg_lowering
} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_CONVERSION_FUSETOLINALG_PATTERNS_H
