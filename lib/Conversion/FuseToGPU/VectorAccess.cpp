//===- VectorAccess.cpp - Vector and shared-memory access of tile ops -----===//
//
// Part of `fuse-gpu-map-tiles` (see ThreadMapping.cpp).
//
// Vector access. When the tile's choice has V > 1 as its `vector`
// (`#fuse.tile<"elementwise", {vector = V}>`, or the epilogue width of an
// "fma_gemm" tile), an elementwise linalg op (all loops parallel) or a memref.copy of the tile
// body is emitted so that each thread handles V consecutive elements of the
// innermost loop dim:
//
//   for (l = tid; l < outer * (N / V); l += ntid)     // N: innermost size
//     (i..., c) = delinearize(l); j = c * V
//     v_k = vector.load A_k[..., j]  {alignment = V * sizeof(elt)}
//     s_k = memref.load B_k[...]     // operands broadcast along the dim
//     out[lane] = payload(v_k[lane], s_k, ...) for lane < V
//     vector.store from_elements(out), O[..., j]
//   for (l = tid; l < outer * (N % V); l += ntid)     // the scalar tail
//     (i..., r) = delinearize(l); j = (N / V) * V + r
//     O[..., j] = payload(A_k[..., j], ...)
//
// so consecutive threads access consecutive 16-byte chunks (ld.global.v4 /
// st.global.v4 for f32 and V = 4). The payload is cloned once per lane
// (the vectors are registers after all). An operand is contiguous when the
// last result of its indexing map is the innermost loop dim and its
// memref's last stride is 1; it is vector accessed only when the address of
// every chunk is provably a multiple of V elements from a 16-byte aligned
// base (every output must be; an input that is not is read with V scalar
// loads, e.g. a GEMM accumulator in shared memory feeding the epilogue): the buffers the host gives a kernel (function arguments, host
// allocations, globals, 16-byte aligned views of the scratch buffer) are
// 256-byte aligned in a bundle (docs/bundle.md), the element offset of the
// view a kernel reads (subviews of those, with the tile's offsets) and its
// outer strides must be multiples of V, which a small divisibility analysis
// of the index values proves (the tile offsets are block id x tile size).
// Anything else — an output or input that moves the innermost dim, an
// unknown alignment, an element type that is not 1/2/4/8 bytes, a vector
// wider than 16 bytes — keeps the scalar thread loop.
//
// Transposes. An all-parallel op whose output's innermost index is the
// innermost loop dim j and one of whose inputs has another loop dim i as
// its innermost index (NCHW -> NHWC, [B,H,S,D] -> [B,H,D,S]) would read
// that input with a stride. fuse-tile gives such a root 32 x 32 tiles of
// the (i, j) plane; here each 32 x 32 piece goes through a shared tile
// T[32][33]: the threads read the input with consecutive threads on
// consecutive i (T[j][i] = in[.., i, .., j, ..]), barrier, then write with
// consecutive threads on consecutive j (out[.., i, .., j] =
// payload(T[j][i], the other operands read directly)), barrier. The
// padding row makes the column reads T[j..j+31][i] hit 32 distinct banks.
//
//===----------------------------------------------------------------------===//

#include "VectorAccess.h"

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using mlir::fuse::gpu_detail::clonePayload;
using mlir::fuse::gpu_detail::delinearizeIndex;
using mlir::fuse::gpu_detail::distribute;
using mlir::fuse::gpu_detail::indexProduct;

namespace {

/// The divisor standing for "a multiple of everything" (zero).
constexpr int64_t kAnyMultiple = int64_t(1) << 20;
/// The alignment, in bytes, of every buffer base the host gives a kernel.
constexpr int64_t kBaseAlignment = 16;

/// The largest power of two dividing `value` (kAnyMultiple for 0).
int64_t lowBit(int64_t value) {
  if (value == 0)
    return kAnyMultiple;
  uint64_t magnitude = value < 0 ? -static_cast<uint64_t>(value) : value;
  return std::min<int64_t>(static_cast<int64_t>(magnitude & -magnitude),
                           kAnyMultiple);
}

int64_t product(int64_t a, int64_t b) {
  return std::min<int64_t>(a * b, kAnyMultiple); // both <= 2^20
}

int64_t knownDivisor(Value value, unsigned depth = 0);

/// A power of two dividing `expr` over operands with known divisors.
int64_t knownDivisor(AffineExpr expr, ArrayRef<int64_t> operands,
                     unsigned numDims) {
  if (auto cst = dyn_cast<AffineConstantExpr>(expr))
    return lowBit(cst.getValue());
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return operands[dim.getPosition()];
  if (auto sym = dyn_cast<AffineSymbolExpr>(expr))
    return operands[numDims + sym.getPosition()];
  auto bin = cast<AffineBinaryOpExpr>(expr);
  int64_t l = knownDivisor(bin.getLHS(), operands, numDims);
  int64_t r = knownDivisor(bin.getRHS(), operands, numDims);
  switch (bin.getKind()) {
  case AffineExprKind::Add:
    return std::min(l, r);
  case AffineExprKind::Mul:
    return product(l, r);
  default:
    return 1; // floordiv, ceildiv, mod: nothing known
  }
}

/// A power of two known to divide the index `value` (1 when nothing is
/// known): constants, products and sums of them, affine.apply/min/max.
int64_t knownDivisor(Value value, unsigned depth) {
  if (depth > 32)
    return 1;
  if (std::optional<int64_t> cst = getConstantIntValue(value))
    return lowBit(*cst);
  Operation *def = value.getDefiningOp();
  if (!def)
    return 1;
  if (isa<arith::MulIOp>(def))
    return product(knownDivisor(def->getOperand(0), depth + 1),
                   knownDivisor(def->getOperand(1), depth + 1));
  if (isa<arith::AddIOp, arith::SubIOp>(def))
    return std::min(knownDivisor(def->getOperand(0), depth + 1),
                    knownDivisor(def->getOperand(1), depth + 1));
  if (isa<arith::IndexCastOp, arith::IndexCastUIOp>(def))
    return knownDivisor(def->getOperand(0), depth + 1);
  AffineMap map;
  if (auto apply = dyn_cast<affine::AffineApplyOp>(def))
    map = apply.getAffineMap();
  else if (auto min = dyn_cast<affine::AffineMinOp>(def))
    map = min.getAffineMap();
  else if (auto max = dyn_cast<affine::AffineMaxOp>(def))
    map = max.getAffineMap();
  else
    return 1;
  SmallVector<int64_t> operands;
  for (Value operand : def->getOperands())
    operands.push_back(knownDivisor(operand, depth + 1));
  int64_t result = kAnyMultiple;
  for (AffineExpr expr : map.getResults())
    result = std::min(result, knownDivisor(expr, operands, map.getNumDims()));
  return result;
}

/// The static offset of a strided memref type, or nullopt.
std::optional<int64_t> staticOffset(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      ShapedType::isDynamic(offset))
    return std::nullopt;
  return offset;
}

/// A power of two dividing the element offset of the memref `value` from a
/// kBaseAlignment-aligned address, or nullopt when the base is not known
/// to be aligned. Follows views to a buffer the host gives the kernel.
std::optional<int64_t> offsetDivisor(Value value, unsigned depth = 0) {
  if (depth > 32)
    return std::nullopt;
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type)
    return std::nullopt;
  // A buffer of the host: a function argument (a runtime allocation), a
  // host allocation, a global. Memory of the kernel itself (workgroup
  // attributions) is not assumed aligned.
  auto fromType = [&]() -> std::optional<int64_t> {
    if (std::optional<int64_t> offset = staticOffset(type))
      return lowBit(*offset);
    return std::nullopt;
  };
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (isa_and_nonnull<func::FuncOp>(arg.getOwner()->getParentOp()))
      return fromType();
    return std::nullopt;
  }
  Operation *def = value.getDefiningOp();
  if (auto alloc = dyn_cast<memref::AllocOp>(def)) {
    if (alloc.getAlignment() && *alloc.getAlignment() < kBaseAlignment)
      return std::nullopt;
    return fromType();
  }
  if (isa<memref::GetGlobalOp>(def))
    return fromType();
  if (auto subview = dyn_cast<memref::SubViewOp>(def)) {
    std::optional<int64_t> base = offsetDivisor(subview.getSource(), depth + 1);
    if (!base)
      return std::nullopt;
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(subview.getSourceType().getStridesAndOffset(strides, offset)))
      return std::nullopt;
    int64_t result = *base;
    for (auto [ofr, stride] : llvm::zip(subview.getMixedOffsets(), strides)) {
      int64_t strideDivisor =
          ShapedType::isDynamic(stride) ? 1 : lowBit(stride);
      int64_t offsetDiv;
      if (std::optional<int64_t> cst = getConstantIntValue(ofr))
        offsetDiv = lowBit(*cst);
      else
        offsetDiv = knownDivisor(cast<Value>(ofr), depth + 1);
      result = std::min(result, product(offsetDiv, strideDivisor));
    }
    return result;
  }
  if (isa<memref::CastOp, memref::ExpandShapeOp, memref::CollapseShapeOp>(
          def))
    return offsetDivisor(def->getOperand(0), depth + 1);
  if (auto cast = dyn_cast<memref::MemorySpaceCastOp>(def))
    return offsetDivisor(cast.getSource(), depth + 1);
  if (auto reinterpret = dyn_cast<memref::ReinterpretCastOp>(def)) {
    if (!offsetDivisor(reinterpret.getSource(), depth + 1))
      return std::nullopt;
    OpFoldResult offset = reinterpret.getMixedOffsets().front();
    if (std::optional<int64_t> cst = getConstantIntValue(offset))
      return lowBit(*cst);
    return knownDivisor(cast<Value>(offset), depth + 1);
  }
  if (auto view = dyn_cast<memref::ViewOp>(def)) {
    // A byte shift of an aligned buffer: aligned again when the shift is
    // a multiple of the base alignment (the scratch slices are).
    if (!offsetDivisor(view.getSource(), depth + 1) ||
        knownDivisor(view.getByteShift(), depth + 1) < kBaseAlignment)
      return std::nullopt;
    return fromType();
  }
  return std::nullopt;
}

/// Whether each access of `width` consecutive elements along the last dim
/// of the memref `value` at an index that is a multiple of `width` is a
/// naturally aligned vector access.
bool isVectorAccessible(Value value, int64_t width) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || type.getRank() == 0)
    return false;
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return false;
  unsigned bits = element.getIntOrFloatBitWidth();
  if (bits < 8 || !llvm::isPowerOf2_32(bits))
    return false;
  if (width * (bits / 8) > kBaseAlignment)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1)
    return false;
  for (auto [size, stride] :
       llvm::zip(type.getShape().drop_back(), ArrayRef(strides).drop_back())) {
    if (size == 1)
      continue; // only index 0
    if (ShapedType::isDynamic(stride) || lowBit(stride) % width != 0)
      return false;
  }
  std::optional<int64_t> divisor = offsetDivisor(value);
  return divisor && *divisor % width == 0;
}

/// How an operand of the elementwise op is read in the vector loop.
enum class Access {
  Value,      // not a memref (linalg.fill's scalar)
  Vector,     // contiguous along the innermost loop dim, aligned
  Lanes,      // contiguous, alignment unknown: one scalar load per lane
  Broadcast,  // independent of the innermost loop dim: one scalar load
};

/// The access of each operand (inputs, then inits) of `op` for vectors of
/// `width` along its innermost loop dim, or failure.
FailureOr<SmallVector<Access>> planElementwise(linalg::LinalgOp op,
                                               int64_t width) {
  unsigned numLoops = op.getNumLoops();
  if (numLoops == 0 || !op.hasPureBufferSemantics() ||
      op.getNumParallelLoops() != numLoops)
    return failure();
  unsigned inner = numLoops - 1;
  SmallVector<Access> plan;
  for (OpOperand &operand : op->getOpOperands()) {
    bool isInit = op.isDpsInit(&operand);
    if (!isa<MemRefType>(operand.get().getType())) {
      if (isInit)
        return failure();
      plan.push_back(Access::Value);
      continue;
    }
    AffineMap map = op.getMatchingIndexingMap(&operand);
    bool usesInner = false;
    for (AffineExpr expr : map.getResults()) {
      if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
        usesInner |= dim.getPosition() == inner;
        continue;
      }
      auto cst = dyn_cast<AffineConstantExpr>(expr);
      if (!cst || cst.getValue() != 0)
        return failure();
    }
    if (!usesInner) {
      if (isInit)
        return failure();
      plan.push_back(Access::Broadcast);
      continue;
    }
    if (map.getNumResults() == 0 ||
        map.getResults().back() != getAffineDimExpr(inner, op.getContext()))
      return failure(); // the innermost dim moves: not contiguous
    if (isVectorAccessible(operand.get(), width)) {
      plan.push_back(Access::Vector);
      continue;
    }
    // An output is stored with vectors or the op keeps the scalar loop.
    if (isInit)
      return failure();
    plan.push_back(Access::Lanes);
  }
  return plan;
}

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value toValue(OpBuilder &b, Location loc, OpFoldResult ofr) {
  if (auto value = dyn_cast<Value>(ofr))
    return value;
  return indexConstant(b, loc, *getConstantIntValue(ofr));
}

/// The indices `map` (dims and constants only) gives for `ivs`.
SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map,
                            ArrayRef<Value> ivs) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr))
      indices.push_back(ivs[dim.getPosition()]);
    else
      indices.push_back(
          indexConstant(b, loc, cast<AffineConstantExpr>(expr).getValue()));
  }
  return indices;
}

/// The alignment in bytes of a vector of `width` elements of `memref`.
llvm::MaybeAlign vectorAlignment(Value memref, int64_t width) {
  Type element = cast<MemRefType>(memref.getType()).getElementType();
  return llvm::MaybeAlign(width * (element.getIntOrFloatBitWidth() / 8));
}

/// `lanes` consecutive elements of `memref` from `indices` (innermost
/// last): one vector load, or a scalar load when `lanes` is 1.
SmallVector<Value> loadLanes(OpBuilder &b, Location loc, Value memref,
                             ArrayRef<Value> indices, int64_t lanes) {
  if (lanes == 1)
    return {memref::LoadOp::create(b, loc, memref, indices)};
  Type element = cast<MemRefType>(memref.getType()).getElementType();
  auto type = VectorType::get({lanes}, element);
  Value vector =
      vector::LoadOp::create(b, loc, type, memref, indices,
                             /*nontemporal=*/false,
                             vectorAlignment(memref, lanes));
  SmallVector<Value> values;
  for (int64_t lane = 0; lane < lanes; ++lane)
    values.push_back(vector::ExtractOp::create(b, loc, vector, lane));
  return values;
}

/// Stores `values` as consecutive elements of `memref` from `indices`.
void storeLanes(OpBuilder &b, Location loc, ArrayRef<Value> values,
                Value memref, ArrayRef<Value> indices) {
  if (values.size() == 1) {
    memref::StoreOp::create(b, loc, values.front(), memref, indices);
    return;
  }
  auto type = VectorType::get({static_cast<int64_t>(values.size())},
                              values.front().getType());
  Value vector = vector::FromElementsOp::create(b, loc, type, values);
  vector::StoreOp::create(b, loc, vector, memref, indices,
                          /*nontemporal=*/false,
                          vectorAlignment(memref, values.size()));
}

/// The points `ivs` .. `ivs` + `lanes` - 1 (along the innermost loop dim)
/// of the elementwise `op`.
void emitLanes(OpBuilder &b, Location loc, linalg::LinalgOp op,
               ArrayRef<Access> plan, ArrayRef<Value> ivs, int64_t lanes) {
  unsigned inner = ivs.size() - 1;
  // The operands' values per lane.
  SmallVector<SmallVector<Value>> operandLanes;
  for (auto [operand, access] : llvm::zip(op->getOpOperands(), plan)) {
    Value source = operand.get();
    bool needed = !op.isDpsInit(&operand) ||
                  op.payloadUsesValueFromOperand(&operand);
    if (access == Access::Value || !needed) {
      Value value = source;
      if (access != Access::Value) {
        // An output the payload does not read: any value of its type.
        Type type = getElementTypeOrSelf(source.getType());
        value = arith::ConstantOp::create(b, loc,
                                          cast<TypedAttr>(b.getZeroAttr(type)));
      }
      operandLanes.push_back(SmallVector<Value>(lanes, value));
      continue;
    }
    SmallVector<Value> indices =
        applyMap(b, loc, op.getMatchingIndexingMap(&operand), ivs);
    if (access == Access::Broadcast) {
      Value value = memref::LoadOp::create(b, loc, source, indices);
      operandLanes.push_back(SmallVector<Value>(lanes, value));
      continue;
    }
    if (access == Access::Vector) {
      operandLanes.push_back(loadLanes(b, loc, source, indices, lanes));
      continue;
    }
    SmallVector<Value> values;
    for (int64_t lane = 0; lane < lanes; ++lane) {
      SmallVector<Value> laneIndices(indices);
      if (lane != 0)
        laneIndices.back() = arith::AddIOp::create(
            b, loc, indices.back(), indexConstant(b, loc, lane));
      values.push_back(memref::LoadOp::create(b, loc, source, laneIndices));
    }
    operandLanes.push_back(values);
  }
  bool usesIndex = !op.getBlock()->getOps<linalg::IndexOp>().empty();
  unsigned numInits = op.getNumDpsInits();
  SmallVector<SmallVector<Value>> results(numInits);
  for (int64_t lane = 0; lane < lanes; ++lane) {
    SmallVector<Value> laneIvs(ivs);
    if (usesIndex && lane != 0)
      laneIvs[inner] = arith::AddIOp::create(b, loc, ivs[inner],
                                             indexConstant(b, loc, lane));
    SmallVector<Value> args;
    for (SmallVector<Value> &values : operandLanes)
      args.push_back(values[lane]);
    for (auto [i, value] :
         llvm::enumerate(clonePayload(b, op, args, laneIvs)))
      results[i].push_back(value);
  }
  for (auto [init, values] : llvm::zip(op.getDpsInitsMutable(), results))
    storeLanes(b, loc, values, init.get(),
               applyMap(b, loc, op.getMatchingIndexingMap(&init), ivs));
}

/// Distributes the points of a space of `sizes` (innermost last) in
/// chunks of `width` consecutive points along the innermost dim, then the
/// remaining points of each row one by one: `body(point, lanes)`.
void distributeInChunks(OpBuilder &b, Location loc, Value tid, Value ntid,
                        ArrayRef<Value> sizes, int64_t width,
                        function_ref<void(ArrayRef<Value>, int64_t)> body) {
  Value innerSize = sizes.back();
  Value widthValue = indexConstant(b, loc, width);
  Value chunks = b.createOrFold<arith::DivUIOp>(loc, innerSize, widthValue);
  Value covered = b.createOrFold<arith::MulIOp>(loc, chunks, widthValue);
  SmallVector<Value> chunkSizes(sizes);
  chunkSizes.back() = chunks;
  distribute(b, loc, tid, ntid, chunkSizes, [&](ArrayRef<Value> point) {
    SmallVector<Value> ivs(point);
    ivs.back() = b.createOrFold<arith::MulIOp>(loc, point.back(), widthValue);
    body(ivs, width);
  });
  Value rest = b.createOrFold<arith::SubIOp>(loc, innerSize, covered);
  SmallVector<Value> tailSizes(sizes);
  tailSizes.back() = rest;
  distribute(b, loc, tid, ntid, tailSizes, [&](ArrayRef<Value> point) {
    SmallVector<Value> ivs(point);
    ivs.back() = b.createOrFold<arith::AddIOp>(loc, covered, point.back());
    body(ivs, 1);
  });
}

} // namespace

Value mlir::fuse::gpu_detail::indexProduct(OpBuilder &b, Location loc,
                                           ArrayRef<Value> sizes) {
  Value total = arith::ConstantIndexOp::create(b, loc, 1);
  for (Value size : sizes)
    total = b.createOrFold<arith::MulIOp>(loc, total, size);
  return total;
}

SmallVector<Value>
mlir::fuse::gpu_detail::delinearizeIndex(OpBuilder &b, Location loc,
                                         Value linear, ArrayRef<Value> sizes) {
  SmallVector<Value> ivs(sizes.size());
  Value rest = linear;
  for (int64_t i = static_cast<int64_t>(sizes.size()) - 1; i >= 0; --i) {
    if (i == 0) {
      ivs[i] = rest;
      break;
    }
    ivs[i] = b.createOrFold<arith::RemUIOp>(loc, rest, sizes[i]);
    rest = b.createOrFold<arith::DivUIOp>(loc, rest, sizes[i]);
  }
  return ivs;
}

void mlir::fuse::gpu_detail::distribute(
    OpBuilder &b, Location loc, Value tid, Value ntid, ArrayRef<Value> sizes,
    function_ref<void(ArrayRef<Value>)> body) {
  Value total = indexProduct(b, loc, sizes);
  if (std::optional<int64_t> cst = getConstantIntValue(total))
    if (*cst == 0)
      return; // no point at all
  auto loop = scf::ForOp::create(b, loc, tid, total, ntid);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  body(delinearizeIndex(b, loc, loop.getInductionVar(), sizes));
}


SmallVector<Value>
mlir::fuse::gpu_detail::clonePayload(OpBuilder &b, linalg::LinalgOp op,
                                     ValueRange args, ArrayRef<Value> ivs) {
  Block *block = op.getBlock();
  IRMapping mapping;
  mapping.map(block->getArguments(), args);
  for (Operation &inner : block->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  SmallVector<Value> results;
  for (Value value : block->getTerminator()->getOperands())
    results.push_back(mapping.lookupOrDefault(value));
  return results;
}


int64_t mlir::fuse::gpu_detail::requestedVectorWidth(Attribute tile) {
  auto attr = dyn_cast_or_null<fuse::TileAttr>(tile);
  if (!attr || !attr.getParams())
    return 1;
  // Elementwise tiles, and the epilogue store of the GEMM tiles the thread
  // mapping emits (the tuner's `vector` of the "store" epilogue).
  StringRef impl = attr.getImplementation();
  if (impl != "elementwise" && impl != "fma_gemm")
    return 1;
  auto vector = attr.getParams().getAs<IntegerAttr>("vector");
  if (!vector || vector.getInt() < 1 ||
      !llvm::isPowerOf2_64(static_cast<uint64_t>(vector.getInt())))
    return 1;
  return vector.getInt();
}

LogicalResult mlir::fuse::gpu_detail::emitVectorElementwise(
    OpBuilder &b, Location loc, Value tid, Value ntid, linalg::LinalgOp op,
    int64_t width) {
  if (width <= 1)
    return failure();
  FailureOr<SmallVector<Access>> plan = planElementwise(op, width);
  if (failed(plan))
    return failure();
  SmallVector<Range> ranges = op.createLoopRanges(b, loc);
  SmallVector<Value> sizes;
  for (Range &range : ranges)
    sizes.push_back(toValue(b, loc, range.size));
  distributeInChunks(b, loc, tid, ntid, sizes, width,
                     [&](ArrayRef<Value> ivs, int64_t lanes) {
                       emitLanes(b, loc, op, *plan, ivs, lanes);
                     });
  return success();
}

LogicalResult mlir::fuse::gpu_detail::emitVectorCopy(OpBuilder &b,
                                                     Location loc, Value tid,
                                                     Value ntid,
                                                     memref::CopyOp copy,
                                                     int64_t width) {
  if (width <= 1)
    return failure();
  Value source = copy.getSource(), target = copy.getTarget();
  auto sourceType = dyn_cast<MemRefType>(source.getType());
  auto targetType = dyn_cast<MemRefType>(target.getType());
  if (!sourceType || !targetType ||
      sourceType.getElementType() != targetType.getElementType() ||
      !isVectorAccessible(source, width) || !isVectorAccessible(target, width))
    return failure();
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < targetType.getRank(); ++i)
    sizes.push_back(b.createOrFold<memref::DimOp>(loc, target, i));
  distributeInChunks(b, loc, tid, ntid, sizes, width,
                     [&](ArrayRef<Value> ivs, int64_t lanes) {
                       storeLanes(b, loc,
                                  loadLanes(b, loc, source, ivs, lanes),
                                  target, ivs);
                     });
  return success();
}

//===----------------------------------------------------------------------===//
// Transposes through shared memory
//===----------------------------------------------------------------------===//

namespace {

/// The side of the square shared-memory tile of a transpose; its rows are
/// padded by one element so that reading a column touches 32 banks.
constexpr int64_t kTransposeTile = 32;

/// The input a transpose stages through shared memory and the loop dim
/// that is innermost in that input.
struct TransposePlan {
  unsigned input;
  unsigned dim;
  Type element;
};

/// The plan of the transpose `op`: all loops parallel, one output whose
/// last index is the innermost loop dim, and a memref input indexed by the
/// innermost loop dim whose last index is another loop dim (the innermost
/// dim moves), that loop dim not of size 1.
std::optional<TransposePlan> planTranspose(linalg::LinalgOp op) {
  unsigned numLoops = op.getNumLoops();
  if (numLoops < 2 || !op.hasPureBufferSemantics() ||
      op.getNumParallelLoops() != numLoops || op.getNumDpsInits() != 1)
    return std::nullopt;
  unsigned inner = numLoops - 1;
  MLIRContext *context = op.getContext();
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0 ||
      outMap.getResults().back() != getAffineDimExpr(inner, context))
    return std::nullopt;
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto type = dyn_cast<MemRefType>(input->get().getType());
    if (!type || type.getRank() == 0)
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!llvm::all_of(map.getResults(), [](AffineExpr expr) {
          auto cst = dyn_cast<AffineConstantExpr>(expr);
          return isa<AffineDimExpr>(expr) || (cst && cst.getValue() == 0);
        }))
      continue;
    auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
    if (!last || last.getPosition() == inner || bounds[last.getPosition()] == 1)
      continue;
    // An input broadcast along the innermost loop dim is no transpose.
    if (!map.isFunctionOfDim(inner))
      continue;
    Type element = type.getElementType();
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
      continue;
    return TransposePlan{input->getOperandNumber(), last.getPosition(),
                         element};
  }
  return std::nullopt;
}

} // namespace

int64_t mlir::fuse::gpu_detail::sharedTransposeBytes(Block &body) {
  int64_t bytes = 0;
  body.walk([&](linalg::LinalgOp op) {
    if (std::optional<TransposePlan> plan = planTranspose(op))
      bytes = std::max<int64_t>(
          bytes, kTransposeTile * (kTransposeTile + 1) *
                     (plan->element.getIntOrFloatBitWidth() / 8));
  });
  return bytes;
}

LogicalResult mlir::fuse::gpu_detail::emitSharedTranspose(
    OpBuilder &b, Location loc, Value tid, Value ntid, linalg::LinalgOp op,
    Value workgroup, int64_t byteOffset) {
  std::optional<TransposePlan> plan = planTranspose(op);
  if (!plan || !workgroup)
    return failure();
  unsigned numLoops = op.getNumLoops();
  unsigned inner = numLoops - 1, moved = plan->dim;
  SmallVector<Range> ranges = op.createLoopRanges(b, loc);
  SmallVector<Value> sizes;
  for (Range &range : ranges)
    sizes.push_back(toValue(b, loc, range.size));

  auto space = cast<MemRefType>(workgroup.getType()).getMemorySpace();
  auto tileType = MemRefType::get({kTransposeTile, kTransposeTile + 1},
                                  plan->element, MemRefLayoutAttrInterface(),
                                  space);
  Value tile = memref::ViewOp::create(b, loc, tileType, workgroup,
                                      indexConstant(b, loc, byteOffset),
                                      ValueRange{});
  Value zero = indexConstant(b, loc, 0), one = indexConstant(b, loc, 1);
  Value side = indexConstant(b, loc, kTransposeTile);

  // The other dims, one point at a time (the same for every thread).
  SmallVector<unsigned> outerDims;
  Value outerCount = one;
  for (unsigned dim = 0; dim < numLoops; ++dim) {
    if (dim == inner || dim == moved)
      continue;
    outerDims.push_back(dim);
    outerCount = b.createOrFold<arith::MulIOp>(loc, outerCount, sizes[dim]);
  }
  OpBuilder::InsertionGuard guard(b);
  auto outerLoop = scf::ForOp::create(b, loc, zero, outerCount, one);
  b.setInsertionPointToStart(outerLoop.getBody());
  SmallVector<Value> outerSizes;
  for (unsigned dim : outerDims)
    outerSizes.push_back(sizes[dim]);
  SmallVector<Value> base(numLoops);
  for (auto [dim, iv] :
       llvm::zip(outerDims, delinearizeIndex(b, loc, outerLoop.getInductionVar(),
                                             outerSizes)))
    base[dim] = iv;
  // The 32 x 32 tiles of the (moved, inner) plane.
  auto tileLoop = [&](unsigned dim) {
    Value count = b.createOrFold<arith::CeilDivUIOp>(loc, sizes[dim], side);
    auto loop = scf::ForOp::create(b, loc, zero, count, one);
    b.setInsertionPointToStart(loop.getBody());
    return b.createOrFold<arith::MulIOp>(loc, loop.getInductionVar(), side);
  };
  Value movedStart = tileLoop(moved);
  Value innerStart = tileLoop(inner);

  // Runs `body` with the loop point when (movedOffset, innerOffset) of the
  // tile is inside the op's iteration space.
  auto atPoint = [&](Value movedOffset, Value innerOffset,
                     function_ref<void(ArrayRef<Value>)> body) {
    SmallVector<Value> ivs(base);
    ivs[moved] = arith::AddIOp::create(b, loc, movedStart, movedOffset);
    ivs[inner] = arith::AddIOp::create(b, loc, innerStart, innerOffset);
    Value inMoved = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          ivs[moved], sizes[moved]);
    Value inInner = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          ivs[inner], sizes[inner]);
    Value inside = arith::AndIOp::create(b, loc, inMoved, inInner);
    auto ifOp = scf::IfOp::create(b, loc, inside, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifOp.thenBlock()->getTerminator());
    body(ivs);
  };

  OpOperand &staged = op->getOpOperand(plan->input);
  // Phase 1: consecutive threads read consecutive elements of the moved
  // dim (the staged input's innermost), tile[inner][moved].
  distribute(b, loc, tid, ntid, {side, side}, [&](ArrayRef<Value> point) {
    Value innerOffset = point[0], movedOffset = point[1];
    atPoint(movedOffset, innerOffset, [&](ArrayRef<Value> ivs) {
      Value value = memref::LoadOp::create(
          b, loc, staged.get(),
          applyMap(b, loc, op.getMatchingIndexingMap(&staged), ivs));
      memref::StoreOp::create(b, loc, value, tile,
                              ValueRange{innerOffset, movedOffset});
    });
  });
  gpu::BarrierOp::create(b, loc);
  // Phase 2: consecutive threads write consecutive elements of the inner
  // dim (the output's innermost), reading a column of the tile.
  distribute(b, loc, tid, ntid, {side, side}, [&](ArrayRef<Value> point) {
    Value movedOffset = point[0], innerOffset = point[1];
    atPoint(movedOffset, innerOffset, [&](ArrayRef<Value> ivs) {
      SmallVector<Value> args;
      for (OpOperand &operand : op->getOpOperands()) {
        Value source = operand.get();
        if (&operand == &staged) {
          args.push_back(memref::LoadOp::create(
              b, loc, tile, ValueRange{innerOffset, movedOffset}));
          continue;
        }
        if (!isa<MemRefType>(source.getType())) {
          args.push_back(source);
          continue;
        }
        if (op.isDpsInit(&operand) &&
            !op.payloadUsesValueFromOperand(&operand)) {
          Type type = getElementTypeOrSelf(source.getType());
          args.push_back(arith::ConstantOp::create(
              b, loc, cast<TypedAttr>(b.getZeroAttr(type))));
          continue;
        }
        args.push_back(memref::LoadOp::create(
            b, loc, source,
            applyMap(b, loc, op.getMatchingIndexingMap(&operand), ivs)));
      }
      OpOperand *init = op.getDpsInitOperand(0);
      SmallVector<Value> results = clonePayload(b, op, args, ivs);
      memref::StoreOp::create(
          b, loc, results.front(), init->get(),
          applyMap(b, loc, op.getMatchingIndexingMap(init), ivs));
    });
  });
  // The tile is reused by the next one.
  gpu::BarrierOp::create(b, loc);
  return success();
}
