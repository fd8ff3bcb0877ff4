//===- VectorAccess.h - Vector and shared-memory access of tile ops -*- C++ -*-===//
//
// Internal to FuseToGPU: the parts of fuse-gpu-map-tiles that emit
// elementwise ops and copies with 128-bit vector global accesses, and
// transposes through a padded shared-memory tile. ThreadMapping.cpp calls
// them before its generic scalar thread loop; each either emits the whole
// op (and succeeds) or emits nothing and fails, leaving the op to the
// scalar path. The thread loop and the payload cloning they are built from
// serve ThreadMapping.cpp and RowReduction.cpp too.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_CONVERSION_FUSETOGPU_VECTORACCESS_H
#define FUSE_LIB_CONVERSION_FUSETOGPU_VECTORACCESS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace mlir {
namespace fuse {
namespace gpu_detail {

/// `for (l = tid; l < prod(sizes); l += ntid)` with the point delinearized
/// over `sizes` (innermost last); `body` gets the point. Emits nothing when
/// the product is the constant 0.
void distribute(OpBuilder &b, Location loc, Value tid, Value ntid,
                ArrayRef<Value> sizes,
                function_ref<void(ArrayRef<Value>)> body);

/// The product of `sizes` (1 when there are none), folded as it goes.
Value indexProduct(OpBuilder &b, Location loc, ArrayRef<Value> sizes);

/// `linear` delinearized over `sizes`, innermost last (fastest); the
/// outermost index is the quotient left (not reduced modulo its size).
SmallVector<Value> delinearizeIndex(OpBuilder &b, Location loc, Value linear,
                                    ArrayRef<Value> sizes);

/// Clones the payload of `op` with its block arguments bound to `args`
/// and linalg.index bound to `ivs`; returns the yielded values.
SmallVector<Value> clonePayload(OpBuilder &b, linalg::LinalgOp op,
                                ValueRange args, ArrayRef<Value> ivs);

/// The vector width (elements per thread access) the tile choice `tile`
/// asks for: the `vector` of an "elementwise" or "fma_gemm" (its epilogue
/// store) #fuse.tile, else 1.
int64_t requestedVectorWidth(Attribute tile);

/// Emits the elementwise `op` (all loops parallel, on buffers) as a thread
/// loop where each thread handles `width` consecutive elements of the
/// innermost dim with vector loads/stores of the operands that are
/// contiguous along it and aligned (scalar loads for the inputs broadcast
/// along it, one per lane for contiguous inputs of unknown alignment),
/// then a scalar thread loop over the remaining elements of each row.
/// Fails, emitting nothing, when the innermost dim is not contiguous in
/// every output, an operand moves it, or the alignment of an output's
/// vector access cannot be proven.
LogicalResult emitVectorElementwise(OpBuilder &b, Location loc, Value tid,
                                    Value ntid, linalg::LinalgOp op,
                                    int64_t width);

/// memref.copy likewise.
LogicalResult emitVectorCopy(OpBuilder &b, Location loc, Value tid,
                             Value ntid, memref::CopyOp copy, int64_t width);

/// The bytes of shared memory the transposes of a tile body `body` stage
/// through (one 32 x 33 tile of the widest element type), 0 when none.
int64_t sharedTransposeBytes(Block &body);

/// Emits the transpose `op` (all loops parallel, one output whose last
/// index is the innermost loop dim, an input whose last index is another
/// loop dim) through a 32 x 33 shared-memory tile at `byteOffset` of the
/// workgroup byte buffer `workgroup`: for every 32 x 32 tile of the plane
/// of those two dims, the threads read it coalesced along the input's
/// innermost dim, barrier, then apply the payload (the other operands
/// read directly) and write it coalesced along the output's innermost dim.
/// Fails, emitting nothing, when `op` is not such a transpose.
LogicalResult emitSharedTranspose(OpBuilder &b, Location loc, Value tid,
                                  Value ntid, linalg::LinalgOp op,
                                  Value workgroup, int64_t byteOffset);

} // namespace gpu_detail
} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_CONVERSION_FUSETOGPU_VECTORACCESS_H
