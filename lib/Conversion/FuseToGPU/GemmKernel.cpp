//===- GemmKernel.cpp - Tensor-core GEMM kernels (mma.sync) ---------------===//
//
// `fuse-gpu-gemm` (GPU pipeline step 4): replaces a block-mapped scf.forall
// tuned as `#fuse.tile<"mma_sync", {BM, BN, BK, stages, warps}>` whose tile
// body is linalg.fill + a contraction + elementwise epilogue generics (on
// memrefs, after bufferization) by one gpu.launch:
//
//   block (one per forall iteration) = a BM x BN tile of the output;
//   threads = 32 * warps, the warps a warpsM x warpsN grid of WM x WN warp
//   tiles (WM = BM / warpsM, WN = BN / warpsN; the split is the cost
//   model's: more warps along the longer side);
//   K loop in BK steps; the A and B tiles of `stages` K steps live in dynamic
//   shared memory, filled by cp.async (16-byte chunks) with stages - 1 tiles
//   in flight (one cp.async group per K step, wait_group stages - 2);
//   per 16-deep K slice, each warp loads its A fragments with ldmatrix.x4
//   and its B fragments with ldmatrix.x4 (.trans when B is N-contiguous, or
//   A M-contiguous), and issues mma.sync m16n8k16 into f32 accumulators;
//   the epilogue (the payloads of the elementwise generics after the
//   contraction) runs on each accumulator element in registers, then one
//   guarded store to the output.
//
// Element types: f16 (nvgpu.mma.sync) and bf16 (nvvm.mma.sync, which LLVM 22
// cannot reach from nvgpu) are copied by cp.async; f32 data at
// fuse.precision "fp16"/"bf16" is converted while staging (register load,
// cvt, st.shared); f32 at "tf32" is copied as is (16-byte chunks of 4) and
// multiplied by mma.sync m16n8k8 tf32, with 32-bit ldmatrix (no .trans) for
// K-contiguous operands and ld.shared of single elements for the others.
// Partial tiles: chunks outside the operand are zero-filled (cp.async
// src-size 0 from a clamped address), stores are guarded; the contiguous
// dimension of A and B must be a multiple of a chunk, or the forall is left
// to the generic path.
//
// Shared memory layout: each operand tile is stored as [rows][L] with L the
// operand's contiguous (global) dimension, so a 16-byte global chunk is a
// 16-byte shared chunk. A row has C = L / 8 chunks of 8 16-bit elements (L / 4
// of 4 f32 for tf32); the
// chunk c of row r is stored at chunk position
//   swz(r, c) = c ^ ((r / max(1, 8 / C)) % min(C, 8))
// For C >= 8 this is the usual c ^ (r % 8). ldmatrix reads 8 rows r0..r0+7
// (r0 a multiple of 8) at one logical chunk per 8-thread phase; a 128-byte
// shared line holds max(1, 8 / C) rows, so the 16-byte bank group of row r is
// (r * C + swz(r, c)) % 8, which is distinct for the 8 rows: bank-conflict
// free. (C is a power of two, so swz(r, c) < C.)
//
//===----------------------------------------------------------------------===//

#include "GemmPlan.h"
#include "MmaFragments.h"

#include "Fuse/Conversion/FuseToGPU.h"
#include "Fuse/Conversion/Passes.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/MathExtras.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEGPUGEMM
#include "Fuse/Conversion/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse::gemm;

namespace {

/// The cost model's warp grid (CostModel.cpp warpGrid): warpsM x warpsN,
/// more warps along the longer tile side.
std::pair<int64_t, int64_t> warpGrid(int64_t warps, int64_t bm, int64_t bn) {
  int64_t log = llvm::Log2_64(warps);
  int64_t wm = int64_t(1) << ((log + (bm >= bn ? 1 : 0)) / 2);
  return {wm, warps / wm};
}

/// Whether `op` fills its one init `buf` with zeros (linalg.fill, or a
/// linalg.map / generic without inputs yielding zero).
bool isZeroFill(Operation *op, Value buf) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  if (!linalgOp || linalgOp.getNumDpsInits() != 1 ||
      linalgOp.getDpsInitOperand(0)->get() != buf)
    return false;
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return matchPattern(fill.getDpsInputOperand(0)->get(), m_AnyZeroFloat());
  if (linalgOp.getNumDpsInputs() != 0 || op->getNumRegions() != 1)
    return false;
  Operation *yield = op->getRegion(0).front().getTerminator();
  return yield->getNumOperands() == 1 &&
         matchPattern(yield->getOperand(0), m_AnyZeroFloat());
}

/// Whether `values` are constants or values of the forall body `body`
/// (cloned into the kernel), not of the branch holding `alloc`.
bool outsideBranchValues(ArrayRef<OpFoldResult> values, Operation *alloc,
                         Region &body) {
  Region *branch = alloc->getParentRegion();
  return llvm::all_of(values, [&](OpFoldResult v) {
    auto value = dyn_cast<Value>(v);
    return !value || branch == &body ||
           !branch->isAncestor(value.getParentRegion());
  });
}

/// A zero-filled allocation `buf` into a subview of which a subview of a
/// buffer defined outside `outside` is copied (filled into `info`), or, with
/// `copied` false, one that is only zero-filled. `terminator`: the use that
/// hands the buffer on (the scf.yield of a branch), or null.
bool matchPaddedBuffer(Value buf, Region &outside, bool copied,
                       PaddedInput &info, Operation *terminator,
                       Operation *reader) {
  auto alloc = buf.getDefiningOp<memref::AllocOp>();
  if (!alloc)
    return false;
  Operation *fill = nullptr;
  memref::CopyOp copy;
  // Or an elementwise producer writing the copied region in place (see
  // below).
  linalg::GenericOp direct;
  memref::SubViewOp dst;
  for (Operation *user : buf.getUsers()) {
    if (user == terminator || user == reader || isa<memref::DeallocOp>(user))
      continue;
    if (!fill && isZeroFill(user, buf)) {
      fill = user;
      continue;
    }
    auto view = dyn_cast<memref::SubViewOp>(user);
    if (!copied || copy || direct || !view || !view->hasOneUse())
      return false;
    dst = view;
    Operation *writer = *view->getUsers().begin();
    copy = dyn_cast<memref::CopyOp>(writer);
    direct = dyn_cast<linalg::GenericOp>(writer);
    if (copy ? copy.getTarget() != view.getResult()
             : !direct || direct.getNumDpsInits() != 1 ||
                   direct.getDpsInitOperand(0)->get() != view.getResult())
      return false;
  }
  Operation *writer =
      copy ? copy.getOperation() : static_cast<Operation *>(direct);
  if (!fill || (copied && !writer) ||
      (writer && !fill->isBeforeInBlock(writer)))
    return false;
  info.ops.insert(fill);
  if (!copied)
    return true;
  info.ops.insert(writer);
  auto unit = [](ArrayRef<OpFoldResult> strides) {
    return llvm::all_of(strides, [](OpFoldResult s) {
      return isConstantIntValue(s, 1);
    });
  };
  if (dst.getSourceType().getRank() != dst.getType().getRank())
    return false;
  // Static positive strides: a strided copy (a conv_transpose's spread).
  if (!unit(dst.getMixedStrides())) {
    for (OpFoldResult stride : dst.getMixedStrides()) {
      std::optional<int64_t> c = getConstantIntValue(stride);
      if (!c || *c < 1)
        return false;
      info.dstStrides.push_back(*c);
    }
  }
  auto src = copy ? copy.getSource().getDefiningOp<memref::SubViewOp>()
                  : memref::SubViewOp();
  Value temp = copy ? copy.getSource() : dst.getResult();
  bool produced =
      direct || llvm::any_of(temp.getUsers(), [&](Operation *user) {
        auto generic = dyn_cast<linalg::GenericOp>(user);
        return generic && user->getBlock() == alloc->getBlock() &&
               generic.getNumDpsInits() == 1 &&
               generic.getDpsInitOperand(0)->get() == temp;
      });
  if (produced) {
    // An elementwise producer writes the copied region (a temporary of the
    // tile, or a buffer bufferization hoisted, read by nothing else; or the
    // region itself): identity output, inputs views (or whole buffers) from
    // outside, a pure payload.
    linalg::GenericOp producer = direct;
    for (Operation *user : temp.getUsers()) {
      if (direct)
        break;
      if (user == copy.getOperation() || isa<memref::DeallocOp>(user))
        continue;
      auto generic = dyn_cast<linalg::GenericOp>(user);
      if (producer || !generic || generic.getNumDpsInits() != 1 ||
          generic.getDpsInitOperand(0)->get() != temp)
        return false;
      producer = generic;
    }
    if (!producer || producer->getBlock() != alloc->getBlock() ||
        (copy && !producer->isBeforeInBlock(copy.getOperation())) ||
        producer.getNumReductionLoops() != 0 ||
        !producer.getMatchingIndexingMap(producer.getDpsInitOperand(0))
             .isIdentity() ||
        !producer.getMatchingBlockArgument(producer.getDpsInitOperand(0))
             .use_empty() ||
        !outsideBranchValues(dst.getMixedOffsets(), alloc, outside) ||
        !outsideBranchValues(dst.getMixedSizes(), alloc, outside))
      return false;
    for (Operation &op : producer.getBody()->without_terminator())
      if (!isPure(&op) || op.getNumRegions() != 0)
        return false;
    Builder builder(buf.getContext());
    for (OpOperand *input : producer.getDpsInputOperands()) {
      // Dims and constants (a unit dim read at 0).
      if (!llvm::all_of(producer.getMatchingIndexingMap(input).getResults(),
                        [](AffineExpr e) {
                          return isa<AffineDimExpr, AffineConstantExpr>(e);
                        }))
        return false;
      Value view = input->get();
      SmallVector<OpFoldResult> offsets;
      if (auto sub = view.getDefiningOp<memref::SubViewOp>()) {
        if (sub.getSourceType().getRank() != sub.getType().getRank() ||
            !unit(sub.getMixedStrides()) ||
            !outsideBranchValues(sub.getMixedOffsets(), alloc, outside))
          return false;
        offsets = sub.getMixedOffsets();
        view = sub.getSource();
      } else {
        offsets.assign(cast<MemRefType>(view.getType()).getRank(),
                       builder.getIndexAttr(0));
      }
      if (isDefinedIn(view, outside))
        return false;
      info.inputRoots.push_back(view);
      info.inputOffsets.push_back(std::move(offsets));
    }
    info.producer = producer;
    info.ops.insert(producer);
    info.dstOffsets = dst.getMixedOffsets();
    info.sizes = dst.getMixedSizes();
    info.srcOffsets.assign(info.sizes.size(), builder.getIndexAttr(0));
    return true;
  }
  if (!src) {
    // The whole input (an untiled pad): a static buffer from outside.
    auto type = dyn_cast<MemRefType>(copy.getSource().getType());
    if (isDefinedIn(copy.getSource(), outside) || !type ||
        !type.hasStaticShape() || !type.getLayout().isIdentity() ||
        !outsideBranchValues(dst.getMixedOffsets(), alloc, outside))
      return false;
    Builder builder(buf.getContext());
    info.source = copy.getSource();
    for (int64_t size : type.getShape()) {
      info.srcOffsets.push_back(builder.getIndexAttr(0));
      info.sizes.push_back(builder.getIndexAttr(size));
    }
    info.dstOffsets = dst.getMixedOffsets();
    return true;
  }
  if (isDefinedIn(src.getSource(), outside) ||
      src.getSourceType().getRank() != src.getType().getRank())
    return false;
  if (!unit(src.getMixedStrides()))
    return false;
  if (!outsideBranchValues(src.getMixedOffsets(), alloc, outside) ||
      !outsideBranchValues(src.getMixedSizes(), alloc, outside) ||
      !outsideBranchValues(dst.getMixedOffsets(), alloc, outside))
    return false;
  info.source = src.getSource();
  info.srcOffsets = src.getMixedOffsets();
  info.dstOffsets = dst.getMixedOffsets();
  info.sizes = src.getMixedSizes();
  return true;
}

/// The padded input of a conv tile (see PaddedInput): an scf.if (the tiled
/// pad's guard) yielding a zero-filled buffer or a padded copy, or a padded
/// copy in the body itself.
std::optional<PaddedInput> matchPaddedInput(Value input, Region &body,
                                            Operation *reader) {
  PaddedInput info;
  if (auto ifOp = input.getDefiningOp<scf::IfOp>()) {
    if (ifOp->getParentRegion() != &body || ifOp.getNumResults() != 1 ||
        ifOp.getElseRegion().empty() || !input.hasOneUse())
      return std::nullopt;
    Operation *thenYield = ifOp.thenBlock()->getTerminator();
    Operation *elseYield = ifOp.elseBlock()->getTerminator();
    PaddedInput zeros;
    if (!matchPaddedBuffer(thenYield->getOperand(0), body, false, zeros,
                           thenYield, nullptr) ||
        !matchPaddedBuffer(elseYield->getOperand(0), body, true, info,
                           elseYield, nullptr))
      return std::nullopt;
    // Nothing else in the branches but the buffers' ops and views.
    for (Block *block : {ifOp.thenBlock(), ifOp.elseBlock()})
      for (Operation &op : block->without_terminator())
        if (!isa<memref::AllocOp, memref::SubViewOp>(op) &&
            !zeros.ops.contains(&op) && !info.ops.contains(&op))
          return std::nullopt;
    info.empty = ifOp.getCondition();
    info.ops.clear();
    info.ops.insert(ifOp);
    info.buffer = input;
    return info;
  }
  if (!isDefinedIn(input, body) ||
      !matchPaddedBuffer(input, body, true, info, nullptr, reader))
    return std::nullopt;
  info.buffer = input;
  return info;
}

/// A static bound of dim `dim` of `memref`: its static size, or the
/// smallest constant of the affine.min computing its dynamic size.
std::optional<int64_t> staticSizeBound(Value memref, unsigned dim) {
  auto type = cast<MemRefType>(memref.getType());
  if (!type.isDynamicDim(dim))
    return type.getDimSize(dim);
  Value size;
  if (auto alloc = memref.getDefiningOp<memref::AllocOp>())
    size = alloc.getDynamicSizes()[type.getDynamicDimIndex(dim)];
  else if (auto subview = memref.getDefiningOp<memref::SubViewOp>();
           subview &&
           subview.getSourceType().getRank() == subview.getType().getRank())
    size = dyn_cast<Value>(subview.getMixedSizes()[dim]);
  if (!size)
    return std::nullopt;
  if (std::optional<int64_t> c = getConstantIntValue(size))
    return *c;
  auto min = size.getDefiningOp<affine::AffineMinOp>();
  if (!min)
    return std::nullopt;
  std::optional<int64_t> bound;
  for (AffineExpr expr : min.getMap().getResults())
    if (auto c = dyn_cast<AffineConstantExpr>(expr))
      bound = bound ? std::min(*bound, c.getValue()) : c.getValue();
  return bound;
}

/// Whether `expr` is built from dims, constants, + and * (what evalExpr
/// computes).
bool isSumOfProducts(AffineExpr expr) {
  if (isa<AffineDimExpr, AffineConstantExpr>(expr))
    return true;
  auto bin = dyn_cast<AffineBinaryOpExpr>(expr);
  return bin &&
         (bin.getKind() == AffineExprKind::Add ||
          bin.getKind() == AffineExprKind::Mul) &&
         isSumOfProducts(bin.getLHS()) && isSumOfProducts(bin.getRHS());
}

/// A conv_transpose's flipped weight in the tile (see
/// ConvAddressing::weightProducer): `alloc` written by one copy generic
/// (identity output, its input a buffer from outside the forall read
/// through a sum-of-products map, the payload yielding the input) and read
/// by one other op, or through one same-rank view with unit strides. Returns
/// the producer, what the conv would read (the view or the alloc) and the
/// view's offsets.
WeightProducer matchWeightProducer(memref::AllocOp alloc) {
  linalg::GenericOp producer;
  memref::SubViewOp view;
  Operation *reader = nullptr;
  Region *body = alloc->getParentRegion();
  for (Operation *user : alloc->getUsers()) {
    if (isa<memref::DeallocOp>(user))
      continue;
    if (auto generic = dyn_cast<linalg::GenericOp>(user);
        generic && !producer && generic.getNumDpsInits() == 1 &&
        generic.getDpsInitOperand(0)->get() == alloc.getResult()) {
      producer = generic;
      continue;
    }
    if (!isa<memref::SubViewOp>(user) && !reader && !view) {
      reader = user;
      continue;
    }
    auto sub = dyn_cast<memref::SubViewOp>(user);
    if (view || reader || !sub || sub.getSource() != alloc.getResult() ||
        sub.getSourceType().getRank() != sub.getType().getRank() ||
        !llvm::all_of(sub.getMixedStrides(),
                      [](OpFoldResult s) { return isConstantIntValue(s, 1); }))
      return {};
    view = sub;
  }
  Operation *first = view ? view.getOperation() : reader;
  if (!producer || !first || producer.getNumDpsInputs() != 1 ||
      producer.getNumReductionLoops() != 0 ||
      !producer->isBeforeInBlock(first) ||
      !producer.getMatchingIndexingMap(producer.getDpsInitOperand(0))
           .isIdentity() ||
      isDefinedIn(producer.getDpsInputOperand(0)->get(), *body) ||
      !llvm::all_of(
          producer.getMatchingIndexingMap(producer.getDpsInputOperand(0))
              .getResults(),
          isSumOfProducts))
    return {};
  auto yield = cast<linalg::YieldOp>(producer.getBody()->getTerminator());
  if (yield.getNumOperands() != 1 ||
      yield.getOperand(0) != producer.getMatchingBlockArgument(
                                 producer.getDpsInputOperand(0)))
    return {};
  if (view)
    return {producer, view.getResult(), view.getMixedOffsets()};
  Builder builder(alloc.getContext());
  return {producer, alloc.getResult(),
          SmallVector<OpFoldResult>(alloc.getType().getRank(),
                                    builder.getIndexAttr(0))};
}

class GemmMatcher {
public:
  explicit GemmMatcher(scf::ForallOp forall) : forall(forall) {}

  /// failure() with an error: an invalid mma_sync choice. success() with
  /// no plan: a forall this pass leaves alone (`declined`: why, for one
  /// tuned mma_sync).
  FailureOr<std::optional<GemmPlan>> match(std::string &declined);
  /// The body of the forall (see matchGemmBody in GemmPlan.h).
  bool matchBody(GemmPlan &plan);

private:
  bool matchOperand(GemmPlan &plan, OpOperand *operand, unsigned outerDim,
                    OperandPlan &result);
  bool isAlignedChunkOffset(Value memref, unsigned dim, int64_t chunk);
  bool isChunkAligned(const GemmPlan &plan, Value memref);

  scf::ForallOp forall;
};

FailureOr<std::optional<GemmPlan>> GemmMatcher::match(std::string &declined) {
  auto tile = forall->getAttr("fuse.tile");
  if (!tile || !isBlockMapped(forall) || !forall.getOutputs().empty())
    return std::optional<GemmPlan>();
  // The attribute is #fuse.tile<"impl", {params}>; read it generically.
  auto tileAttr = dyn_cast<fuse::TileAttr>(tile);
  if (!tileAttr || tileAttr.getImplementation() != "mma_sync")
    return std::optional<GemmPlan>();
  DictionaryAttr params = tileAttr.getParams();
  GemmPlan plan;
  plan.forall = forall;
  auto get = [&](StringRef name, int64_t &value) -> LogicalResult {
    auto attr = params.getAs<IntegerAttr>(name);
    if (!attr)
      return forall.emitOpError("fuse-gpu-gemm: mma_sync tile without ")
             << name;
    value = attr.getInt();
    if (value <= 0)
      return forall.emitOpError("fuse-gpu-gemm: mma_sync ")
             << name << " must be positive, got " << value;
    return success();
  };
  if (failed(get("BM", plan.bm)) || failed(get("BN", plan.bn)) ||
      failed(get("BK", plan.bk)) || failed(get("stages", plan.stages)) ||
      failed(get("warps", plan.warps)))
    return failure();
  if (!llvm::isPowerOf2_64(plan.warps) || plan.warps > 32)
    return forall.emitOpError("fuse-gpu-gemm: mma_sync warps must be a "
                              "power of two up to 32, got ")
           << plan.warps;
  if (plan.stages < 2)
    return forall.emitOpError("fuse-gpu-gemm: mma_sync needs at least 2 "
                              "pipeline stages, got ")
           << plan.stages;
  // Power-of-two tiles keep the swizzle (an XOR of chunk indices) inside a
  // row.
  for (auto [name, value] :
       {std::pair<StringRef, int64_t>{"BM", plan.bm}, {"BN", plan.bn},
        {"BK", plan.bk}})
    if (!llvm::isPowerOf2_64(value))
      return forall.emitOpError("fuse-gpu-gemm: mma_sync ")
             << name << " must be a power of two, got " << value;
  std::tie(plan.warpsM, plan.warpsN) =
      warpGrid(plan.warps, plan.bm, plan.bn);
  // A warp tile is a grid of 16x16 blocks: ldmatrix.x4 loads 16 rows of A
  // and 16 columns (two n8 tiles) of B.
  if (plan.bm % (16 * plan.warpsM) || plan.bn % (16 * plan.warpsN))
    return forall.emitOpError("fuse-gpu-gemm: mma_sync tile ")
           << plan.bm << "x" << plan.bn << " does not split into "
           << plan.warpsM << "x" << plan.warpsN
           << " warp tiles of multiples of 16x16";
  if (!matchBody(plan)) {
    declined = plan.declined;
    return std::optional<GemmPlan>();
  }
  if (plan.bk % plan.kStep)
    return forall.emitOpError("fuse-gpu-gemm: mma_sync BK=")
           << plan.bk << " is not a multiple of the instruction K ("
           << plan.kStep << ")";
  return std::optional<GemmPlan>(std::move(plan));
}

/// Whether the offset along `dim` of every subview between `memref` and its
/// root is a multiple of 8 elements (so 16-byte chunks stay aligned).
bool GemmMatcher::isAlignedChunkOffset(Value memref, unsigned dim,
                                       int64_t chunk) {
  return viewOffsetsAligned(forall, memref, dim, chunk);
}

/// Whether every 16-byte chunk of a row of `memref` (unit stride along its
/// last dim) is aligned: its root has a static contiguous size that is a
/// multiple of a chunk, static strides and offset that are multiples of a
/// chunk, and the views between them keep chunk-aligned offsets.
bool GemmMatcher::isChunkAligned(const GemmPlan &plan, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  Value root = rootOf(memref);
  auto rootType = dyn_cast<MemRefType>(root.getType());
  if (!rootType || rootType.getRank() != type.getRank())
    return false;
  SmallVector<int64_t> rootStrides;
  int64_t rootOffset;
  if (failed(rootType.getStridesAndOffset(rootStrides, rootOffset)) ||
      rootStrides.back() != 1 || ShapedType::isDynamic(rootOffset) ||
      rootOffset % plan.chunkElems)
    return false;
  for (int64_t stride : ArrayRef(rootStrides).drop_back())
    if (ShapedType::isDynamic(stride) || stride % plan.chunkElems)
      return false;
  int64_t inner = rootType.getShape().back();
  // e.g. K % 8 != 0 for a K-contiguous f16 operand (K % 4 for f32).
  if (ShapedType::isDynamic(inner) || inner % plan.chunkElems)
    return false;
  return isAlignedChunkOffset(memref, type.getRank() - 1, plan.chunkElems);
}

/// A or B: a memref whose last dim is contiguous (stride 1) and is the
/// k dim or `outerDim` (m for A, n for B). When its rows are not whole
/// aligned 16-byte chunks (isChunkAligned) it is staged element by element
/// (`unaligned`) instead of by cp.async.
bool GemmMatcher::matchOperand(GemmPlan &plan, OpOperand *operand,
                               unsigned outerDim, OperandPlan &result) {
  Value memref = operand->get();
  auto type = dyn_cast<MemRefType>(memref.getType());
  if (!type)
    return false;
  AffineMap map = plan.contraction.getMatchingIndexingMap(operand);
  if (!map.isProjectedPermutation() || map.getNumResults() == 0)
    return false;
  auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!last)
    return false;
  unsigned contiguous = last.getPosition();
  if (contiguous != plan.dimK && contiguous != outerDim)
    return false;
  // Every other result is the batch dim, the other of (k, outer) once.
  for (AffineExpr expr : map.getResults().drop_back()) {
    unsigned d = cast<AffineDimExpr>(expr).getPosition();
    if (d != plan.dimK && d != outerDim && d != plan.dimBatch)
      return false;
  }
  if (!resultOf(map, plan.dimK) || !resultOf(map, outerDim))
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1)
    return false;
  result.unaligned = !isChunkAligned(plan, memref);
  result.memref = memref;
  result.map = map;
  result.colDim = contiguous;
  result.rowDim = contiguous == plan.dimK ? outerDim : plan.dimK;
  int64_t outerTile = outerDim == plan.dimM ? plan.bm : plan.bn;
  result.rows = result.rowDim == plan.dimK ? plan.bk : outerTile;
  result.cols = result.colDim == plan.dimK ? plan.bk : outerTile;
  return true;
}

/// The conv generic `plan.contraction` as an implicit GEMM (fills
/// plan.conv, the virtual dims and operand plans; see matchConvPlan).
bool matchConv(GemmPlan &plan) {
  scf::ForallOp forall = plan.forall;
  ConvAddressing &conv = *plan.conv;
  linalg::LinalgOp op = plan.contraction;
  conv.numLoops = op.getNumLoops();
  OpOperand *input = op.getDpsInputOperand(0);
  OpOperand *weight = op.getDpsInputOperand(op.getNumDpsInputs() - 1);
  OpOperand *out = op.getDpsInitOperand(0);
  // The body: out + a * w (either order), a computed from the other
  // inputs by pure ops (a fused elementwise producer) or the input itself.
  Block *block = op.getBlock();
  auto yield = cast<linalg::YieldOp>(block->getTerminator());
  auto addOp = yield.getNumOperands() == 1
                   ? yield.getOperand(0).getDefiningOp<arith::AddFOp>()
                   : arith::AddFOp();
  if (!addOp)
    return false;
  Value outArg = op.getMatchingBlockArgument(out);
  Value product = addOp.getLhs() == outArg ? addOp.getRhs() : addOp.getLhs();
  auto mulOp = product.getDefiningOp<arith::MulFOp>();
  Value weightArg = op.getMatchingBlockArgument(weight);
  if (!mulOp || (addOp.getLhs() != outArg && addOp.getRhs() != outArg) ||
      (mulOp.getLhs() != weightArg && mulOp.getRhs() != weightArg))
    return false;
  Value aValue = mulOp.getLhs() == weightArg ? mulOp.getRhs() : mulOp.getLhs();
  for (Operation &bodyOp : block->without_terminator()) {
    if (&bodyOp == mulOp.getOperation() || &bodyOp == addOp.getOperation())
      continue;
    if (!isPure(&bodyOp) || bodyOp.getNumRegions() != 0 ||
        isa<linalg::IndexOp>(bodyOp) ||
        llvm::any_of(bodyOp.getOperands(), [&](Value v) {
          return v == weightArg || v == outArg;
        }))
      return false;
  }
  if (op.getNumDpsInputs() > 2 ||
      aValue != op.getMatchingBlockArgument(input)) {
    if (plan.conv->padded)
      return false;
    plan.conv->aValue = aValue;
    for (int64_t i = 0, e = op.getNumDpsInputs() - 1; i < e; ++i) {
      OpOperand *other = op.getDpsInputOperand(i);
      if (op.getMatchingIndexingMap(other) != op.getMatchingIndexingMap(input) ||
          other->get().getType() != input->get().getType() ||
          isDefinedIn(rootOf(other->get()), forall.getRegion()))
        return false;
    }
  }
  AffineMap inputMap = op.getMatchingIndexingMap(input);
  AffineMap weightMap = op.getMatchingIndexingMap(weight);
  AffineMap outMap = op.getMatchingIndexingMap(out);
  // Weight (f, k...): dims, f parallel, k... the reduction loops; output a
  // projected permutation of the parallel loops, f among them.
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto weightType = dyn_cast<MemRefType>(weight->get().getType());
  if (!weightType || !weightMap.isProjectedPermutation() ||
      weightMap.getNumResults() < 2 || !outMap.isProjectedPermutation())
    return false;
  conv.filterDim = cast<AffineDimExpr>(weightMap.getResult(0)).getPosition();
  if (iterators[conv.filterDim] != utils::IteratorType::parallel ||
      !resultOf(outMap, conv.filterDim))
    return false;
  for (unsigned i = 1; i < weightMap.getNumResults(); ++i) {
    unsigned d = cast<AffineDimExpr>(weightMap.getResult(i)).getPosition();
    if (iterators[d] != utils::IteratorType::reduction ||
        weightType.isDynamicDim(i))
      return false;
    conv.kDims.push_back(d);
    conv.kSizes.push_back(weightType.getDimSize(i));
    conv.depth *= weightType.getDimSize(i);
  }
  if (conv.kDims.size() != op.getNumReductionLoops())
    return false;
  // The input does not depend on the tile's filters. Without groups it
  // does not read f at all; a grouped conv's input channel is
  // (f floordiv F/g) * C/g + c, and when the tile's filters lie in one
  // group (the filter extent of the accumulator at most F/g: fuse-tile
  // tiles the filters by a divisor of F/g, the group's channels are then
  // the input view's) f floordiv F/g is 0 for every tile-local f. A
  // depthwise conv (C/g = 1) has no reduction over channels to share and
  // is not offered here (see unsupportedImplicitGemmConv).
  auto inputType = dyn_cast<MemRefType>(input->get().getType());
  if (!inputType || inputMap.getNumResults() != inputType.getRank())
    return false;
  std::optional<int64_t> filterExtent =
      staticSizeBound(out->get(), *resultOf(outMap, conv.filterDim));
  if (!filterExtent)
    return false;
  conv.filters = *filterExtent;
  bool groupFree = true;
  llvm::DenseMap<AffineExpr, AffineExpr> groupOfFilter;
  AffineExpr filterExpr = getAffineDimExpr(conv.filterDim, op.getContext());
  for (AffineExpr result : inputMap.getResults())
    result.walk([&](AffineExpr e) {
      auto bin = dyn_cast<AffineBinaryOpExpr>(e);
      if (!bin || bin.getKind() != AffineExprKind::FloorDiv ||
          bin.getLHS() != filterExpr)
        return;
      auto divisor = dyn_cast<AffineConstantExpr>(bin.getRHS());
      if (!divisor || divisor.getValue() < *filterExtent)
        groupFree = false;
      else
        groupOfFilter[e] = getAffineConstantExpr(0, op.getContext());
    });
  // Grouped: 2-D only (the shapes fuse-tile tiles by group; see
  // unsupportedImplicitGemmConv).
  if (!groupFree || (!groupOfFilter.empty() && outMap.getNumResults() != 4))
    return false;
  if (!groupOfFilter.empty())
    inputMap = simplifyAffineMap(inputMap.replace(
        groupOfFilter, inputMap.getNumDims(), inputMap.getNumSymbols()));
  // A depthwise tile (fuse-gpu-depthwise) reads each filter's own channel
  // (f + c, c of extent 1): its kernel does not share the input among the
  // filters, so the input may depend on f.
  if (llvm::any_of(inputMap.getResults(), [&](AffineExpr e) {
        return !isSumOfProducts(e) ||
               (!conv.depthwise && e.isFunctionOfDim(conv.filterDim));
      }))
    return false;
  // Output positions: the output loops but f, with their static tile sizes
  // (the bound of the accumulator's dims).
  for (auto [pos, expr] : llvm::enumerate(outMap.getResults())) {
    unsigned d = cast<AffineDimExpr>(expr).getPosition();
    if (d == conv.filterDim)
      continue;
    std::optional<int64_t> size = staticSizeBound(out->get(), pos);
    if (!size || *size < 1)
      return false;
    if (*size == 1)
      continue;
    conv.rowDims.push_back(d);
    conv.rowSizes.push_back(*size);
    conv.rows *= *size;
  }
  // Every parallel loop is an output loop (no loop the kernel would not
  // iterate).
  for (auto [d, iterator] : llvm::enumerate(iterators))
    if (iterator == utils::IteratorType::parallel && !resultOf(outMap, d))
      return false;
  if (conv.rows > plan.bm)
    return false;
  conv.input = input->get();
  conv.inputMap = inputMap;
  conv.weight = weight->get();
  if (!conv.padded) {
    // Unpadded: a view of a buffer from outside the forall.
    if (isDefinedIn(rootOf(conv.input), forall.getRegion()))
      return false;
  }

  // The weight as a [filters][K] matrix: its k dims are contiguous and
  // whole (the tile slices only the filters).
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(weightType.getStridesAndOffset(strides, offset)))
    return false;
  int64_t inner = 1;
  for (int64_t i = weightType.getRank() - 1; i >= 1; --i) {
    if (strides[i] != inner)
      return false;
    inner *= weightType.getDimSize(i);
  }
  // cp.async needs each 16-byte chunk of a row aligned: K and the row
  // stride multiples of a chunk, the buffer's offset too; otherwise the
  // weight tile is gathered element by element.
  Value weightRoot = rootOf(conv.weight);
  auto rootType = dyn_cast<MemRefType>(weightRoot.getType());
  SmallVector<int64_t> rootStrides;
  int64_t rootOffset;
  bool async = rootType && rootType.getRank() == weightType.getRank() &&
               succeeded(rootType.getStridesAndOffset(rootStrides,
                                                      rootOffset)) &&
               !ShapedType::isDynamic(rootOffset) &&
               rootOffset % plan.chunkElems == 0 &&
               !ShapedType::isDynamic(strides[0]) &&
               strides[0] % plan.chunkElems == 0 &&
               conv.depth % plan.chunkElems == 0;

  // The virtual GEMM: M = 0, N = 1, K = 2.
  MLIRContext *ctx = forall.getContext();
  plan.dimM = 0;
  plan.dimN = 1;
  plan.dimK = 2;
  auto dim = [&](unsigned d) { return getAffineDimExpr(d, ctx); };
  plan.a.memref = conv.input;
  plan.a.map = AffineMap::get(3, 0, {dim(0), dim(2)}, ctx);
  plan.a.rowDim = 0;
  plan.a.colDim = 2;
  plan.a.rows = plan.bm;
  plan.a.cols = plan.bk;
  plan.a.gather = true;
  plan.b.memref = conv.weight;
  plan.b.map = AffineMap::get(3, 0, {dim(1), dim(2)}, ctx);
  plan.b.rowDim = 1;
  plan.b.colDim = 2;
  plan.b.rows = plan.bn;
  plan.b.cols = plan.bk;
  plan.b.gather = !async || conv.weightProducer;
  return true;
}

bool GemmMatcher::matchBody(GemmPlan &plan) {
  SmallVector<Operation *> computeOps;
  std::optional<PaddedInput> padded;
  WeightProducer weightProducer;
  if (!matchTileOps(plan, computeOps, padded, &weightProducer))
    return false;
  linalg::LinalgOp contraction = plan.contraction;
  Value acc = contraction.getDpsInitOperand(0)->get();
  bool isConv = !linalg::isaContractionOpInterface(contraction);
  if (!isConv) {
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(contraction);
    if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
        dims->k.size() != 1 || dims->batch.size() > 1 ||
        contraction.getNumLoops() != 3 + dims->batch.size())
      return decline(plan, "the contraction is not one m, n and k dim with "
                           "at most one batch dim");
    plan.dimM = dims->m[0];
    plan.dimN = dims->n[0];
    plan.dimK = dims->k[0];
    if (!dims->batch.empty())
      plan.dimBatch = dims->batch[0];
    // A batch dim must be a tile of one (the block's batch index).
    if (plan.dimBatch) {
      SmallVector<int64_t> ranges = contraction.getStaticLoopRanges();
      if (ranges[*plan.dimBatch] != 1)
        return decline(plan, "the tile holds more than one batch index");
    }
  }

  // Element types.
  auto elementOf = [](Value v) {
    return cast<MemRefType>(v.getType()).getElementType();
  };
  Type aType = elementOf(contraction.getDpsInputOperand(0)->get());
  Type bType = elementOf(contraction.getDpsInputOperand(1)->get());
  Type accType = elementOf(acc);
  if (aType != bType || !isa<FloatType>(accType) ||
      accType.getIntOrFloatBitWidth() > 32)
    return decline(plan, "the operands' element types differ or the "
                         "accumulator is not a float of at most 32 bits");
  bool convert = false;
  if (aType.isF16() || aType.isBF16()) {
    plan.mmaType = aType;
  } else if (aType.isF32()) {
    // f32 data on the fp16/bf16 tensor cores: converted while staging.
    auto precision = forall->getAttrOfType<StringAttr>("fuse.precision");
    if (!precision)
      return decline(plan, "f32 operands without a tensor-core precision "
                           "(tf32, fp16 or bf16)");
    Builder builder(forall.getContext());
    if (precision.getValue() == "fp16") {
      plan.mmaType = builder.getF16Type();
      convert = true;
    } else if (precision.getValue() == "bf16") {
      plan.mmaType = builder.getBF16Type();
      convert = true;
    } else if (precision.getValue() == "tf32") {
      // f32 in shared memory (cp.async as is), m16n8k8 on tf32.
      plan.mmaType = aType;
      plan.tf32 = true;
      plan.elemBytes = 4;
      plan.chunkElems = 4;
      plan.kStep = 8;
    } else {
      return decline(plan, "f32 operands at precision " + precision.getValue());
    }
  } else {
    return decline(plan, "operands of a type the tensor cores do not take");
  }

  if (weightProducer.producer && !isConv)
    return decline(plan, "a weight computed in the tile of a matmul");
  if (isConv) {
    if (!matchConvPlan(plan, std::move(padded), weightProducer))
      return false;
  } else {
    if (!matchOperand(plan, contraction.getDpsInputOperand(0), plan.dimM,
                      plan.a) ||
        !matchOperand(plan, contraction.getDpsInputOperand(1), plan.dimN,
                      plan.b))
      return decline(plan, "an operand is not contiguous along k or m/n");
  }
  plan.a.convert = plan.b.convert = convert;

  return matchEpilogueChain(plan, ArrayRef(computeOps).drop_front(2)) &&
         rebuildsReads(plan);
}

} // namespace

void mlir::fuse::gemm::hoistBranchIndexing(scf::ForallOp forall) {
  for (auto ifOp : forall.getBody()->getOps<scf::IfOp>())
    for (Region *region : {&ifOp.getThenRegion(), &ifOp.getElseRegion()})
      for (Block &block : *region)
        for (Operation &op : llvm::make_early_inc_range(block)) {
          if (!isPure(&op) || op.getNumRegions() != 0 ||
              op.hasTrait<OpTrait::IsTerminator>() ||
              !isa<affine::AffineApplyOp, affine::AffineMinOp,
                   affine::AffineMaxOp, arith::ConstantOp>(op) ||
              llvm::any_of(op.getOperands(), [&](Value v) {
                return ifOp->isAncestor(v.getParentRegion()->getParentOp());
              }))
            continue;
          op.moveBefore(ifOp);
        }
}

bool mlir::fuse::gemm::matchConvPlan(GemmPlan &plan,
                                     std::optional<PaddedInput> padded,
                                     const WeightProducer &weightProducer,
                                     bool depthwise) {
  linalg::LinalgOp contraction = plan.contraction;
  if (weightProducer.producer &&
      contraction.getDpsInputOperand(contraction.getNumDpsInputs() - 1)
              ->get() != weightProducer.read)
    return decline(plan, "a weight computed in the tile that the conv does "
                         "not read");
  plan.conv.emplace();
  plan.conv->depthwise = depthwise;
  plan.conv->padded = std::move(padded);
  if (weightProducer.producer) {
    plan.conv->weightProducer = weightProducer.producer;
    plan.conv->weightViewOffsets = weightProducer.offsets;
  }
  if (matchConv(plan))
    return true;
  plan.conv.reset();
  return decline(plan, "the conv's body, index maps or tile are not an "
                       "implicit GEMM the kernel addresses");
}

bool mlir::fuse::gemm::matchTileOps(GemmPlan &plan,
                                    SmallVectorImpl<Operation *> &computeOps,
                                    std::optional<PaddedInput> &padded,
                                    WeightProducer *weightProducer) {
  scf::ForallOp forall = plan.forall;
  Region &body = forall.getRegion();
  // A conv tile's padded input (a zero-filled buffer with a copy of the
  // input, possibly under the tiled pad's scf.if guard): its ops are
  // addressing, not compute ops of the chain (see PaddedInput).
  llvm::SmallPtrSet<Operation *, 4> padOps;
  // A padded copy in the body (an untiled pad): an alloc whose only reader
  // (besides its fill and copy) is the conv; its ops (and a producer's)
  // may come before it. The conv may read a view of it (a tile's window of
  // a whole spread input: PaddedInput::viewOffsets).
  auto isConvInput = [](Operation *op, Value value) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    return linalgOp && linalgOp.getNumLoops() > 4 &&
           linalgOp.getNumDpsInputs() == 2 &&
           linalgOp.getDpsInputOperand(0)->get() == value;
  };
  for (auto alloc : forall.getBody()->getOps<memref::AllocOp>()) {
    Operation *reader = nullptr;
    memref::SubViewOp view;
    for (Operation *user : alloc->getUsers()) {
      if (isConvInput(user, alloc.getResult()))
        reader = user;
      auto sub = dyn_cast<memref::SubViewOp>(user);
      if (sub && sub.getSource() == alloc.getResult() && sub->hasOneUse() &&
          sub.getSourceType().getRank() == sub.getType().getRank() &&
          isConvInput(*sub->getUsers().begin(), sub.getResult())) {
        reader = sub;
        view = sub;
      }
    }
    if (reader && !padded)
      if (std::optional<PaddedInput> info =
              matchPaddedInput(alloc.getResult(), body, reader)) {
        padded = std::move(info);
        if (view) {
          padded->buffer = view.getResult();
          padded->viewOffsets = view.getMixedOffsets();
        }
        padOps.insert(padded->ops.begin(), padded->ops.end());
        continue;
      }
    // A weight computed in the tile (a conv_transpose's flip), for the
    // callers that address it.
    if (weightProducer && !weightProducer->producer)
      if (WeightProducer info = matchWeightProducer(alloc); info.producer) {
        *weightProducer = std::move(info);
        padOps.insert(weightProducer->producer);
      }
  }
  for (Operation &op : forall.getBody()->without_terminator()) {
    if (padOps.contains(&op))
      continue;
    if (auto ifOp = dyn_cast<scf::IfOp>(op)) {
      if (padded || ifOp.getNumResults() != 1)
        return decline(plan, "the tile has a branch that is not a conv's "
                             "padded input");
      padded = matchPaddedInput(ifOp.getResult(0), body, nullptr);
      if (!padded)
        return decline(plan, "the tile has a branch that is not a conv's "
                             "padded input");
      continue;
    }
    if (isa<memref::AllocOp>(op))
      continue;
    if (isa<linalg::LinalgOp, memref::CopyOp>(op)) {
      computeOps.push_back(&op);
      continue;
    }
    if (isa<memref::DeallocOp>(op))
      continue;
    // Index computations and views; anything else (loads, stores, loops)
    // is not a plain contraction tile.
    if (!isPure(&op) || op.getNumRegions() != 0)
      return decline(plan, "the tile holds loops, loads or stores besides "
                           "its linalg ops");
  }
  if (llvm::none_of(computeOps, [](Operation *op) {
        auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
        return linalgOp && linalgOp.getNumReductionLoops() > 0;
      }))
    return decline(plan, "the tile has no contraction");
  auto notFirst = [&] {
    return decline(plan, "the tile does not start with the accumulator's "
                         "fill (or bias copy) followed by the contraction "
                         "(an op is computed before the contraction)");
  };
  if (computeOps.size() < 2)
    return notFirst();
  plan.fill = dyn_cast<linalg::FillOp>(computeOps[0]);
  plan.initCopy = dyn_cast<linalg::GenericOp>(computeOps[0]);
  auto contraction = dyn_cast<linalg::LinalgOp>(computeOps[1]);
  if ((!plan.fill && !plan.initCopy) || !contraction ||
      !cast<linalg::LinalgOp>(computeOps[0]).hasPureBufferSemantics() ||
      !contraction.hasPureBufferSemantics())
    return notFirst();
  if (plan.fill)
    plan.initCopy = nullptr;
  bool isConv = !linalg::isaContractionOpInterface(contraction);
  if (contraction.getNumDpsInputs() < 2 || contraction.getNumDpsInits() != 1 ||
      (!isConv && contraction.getNumDpsInputs() != 2))
    return notFirst();
  plan.contraction = contraction;
  Value acc = contraction.getDpsInitOperand(0)->get();
  if (plan.fill) {
    if (plan.fill.getDpsInitOperand(0)->get() != acc)
      return notFirst();
    Type fillType = plan.fill.getDpsInputOperand(0)->get().getType();
    if (!isa<FloatType>(fillType) || fillType.getIntOrFloatBitWidth() > 32 ||
        isDefinedIn(plan.fill.getDpsInputOperand(0)->get(), body))
      return decline(plan, "the accumulator's fill is not a float constant "
                           "of at most 32 bits");
  } else {
    // The init copy: acc[...] = value[projected permutation], all parallel;
    // or, without an input, a value from outside the forall (a folded
    // constant bias of one filter) broadcast.
    linalg::GenericOp init = plan.initCopy;
    if (init.getNumDpsInputs() > 1 || init.getNumDpsInits() != 1 ||
        init.getDpsInitOperand(0)->get() != acc ||
        init.getNumReductionLoops() != 0 ||
        !init.getMatchingIndexingMap(init.getDpsInitOperand(0))
             .isIdentity() ||
        (init.getNumDpsInputs() == 1 &&
         !init.getMatchingIndexingMap(init.getDpsInputOperand(0))
              .isProjectedPermutation()))
      return notFirst();
    auto yield = cast<linalg::YieldOp>(init.getBody()->getTerminator());
    if (yield.getNumOperands() != 1 ||
        !isa<FloatType>(yield.getOperand(0).getType()))
      return notFirst();
    Value yielded = yield.getOperand(0);
    if (init.getNumDpsInputs() == 1
            ? yielded !=
                  init.getMatchingBlockArgument(init.getDpsInputOperand(0))
            : isDefinedIn(yielded, body))
      return notFirst();
  }
  if (padded &&
      (!isConv || contraction.getDpsInputOperand(0)->get() != padded->buffer))
    return decline(plan, "a padded buffer the contraction does not read");
  return true;
}

bool mlir::fuse::gemm::matchEpilogueChain(GemmPlan &plan,
                                          ArrayRef<Operation *> ops) {
  Region &body = plan.forall.getRegion();
  linalg::LinalgOp contraction = plan.contraction;
  Value acc = contraction.getDpsInitOperand(0)->get();
  // The accumulator's dims: a projected permutation of (batch, m, n).
  AffineMap accMap =
      contraction.getMatchingIndexingMap(contraction.getDpsInitOperand(0));
  if (!accMap.isProjectedPermutation())
    return decline(plan, "the contraction's output is not indexed by a "
                         "projected permutation");
  SmallVector<unsigned> bufDims;
  for (AffineExpr expr : accMap.getResults())
    bufDims.push_back(cast<AffineDimExpr>(expr).getPosition());

  // The epilogue chain: each step reads the current buffer (elementwise,
  // at the same element) and writes the next; temporaries are allocations
  // of the body, the last step writes a buffer from outside.
  Value current = acc;
  auto isTemporary = [&](Value v) {
    return isDefinedIn(v, body) && v.getDefiningOp<memref::AllocOp>();
  };
  llvm::SmallPtrSet<Value, 4> written = {acc};
  auto notElementwise = [&] {
    return decline(plan, "an op after the contraction is not elementwise on "
                         "its result (a reduction, a reshape or transpose, "
                         "or a second output)");
  };
  for (Operation *op : ops) {
    if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      if (copy.getSource() != current)
        return notElementwise();
      auto targetType = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (!targetType || targetType.getRank() != (int64_t)bufDims.size())
        return notElementwise();
      plan.epilogue.push_back({op, {}});
      current = copy.getTarget();
      written.insert(current);
      continue;
    }
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (!generic || !generic.hasPureBufferSemantics() ||
        generic.getNumDpsInits() != 1 ||
        generic.getNumReductionLoops() != 0)
      return notElementwise();
    // Loop dims of the generic -> contraction loop dims, from its use of
    // the current buffer (a permutation of its loops).
    EpilogueStep step{op, {}};
    step.loopToContraction.assign(generic.getNumLoops(), ~0u);
    bool readsCurrent = false;
    for (OpOperand &operand : generic->getOpOperands()) {
      if (operand.get() != current)
        continue;
      AffineMap map = generic.getMatchingIndexingMap(&operand);
      if (map.getNumResults() != bufDims.size())
        return notElementwise();
      auto currentType = cast<MemRefType>(current.getType());
      for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
        // A unit dim read at 0 (canonicalization folds its loop away).
        if (auto c = dyn_cast<AffineConstantExpr>(expr)) {
          if (c.getValue() != 0 || currentType.getDimSize(pos) != 1)
            return notElementwise();
          continue;
        }
        auto dimExpr = dyn_cast<AffineDimExpr>(expr);
        if (!dimExpr)
          return notElementwise();
        unsigned loop = dimExpr.getPosition();
        if (step.loopToContraction[loop] != ~0u &&
            step.loopToContraction[loop] != bufDims[pos])
          return notElementwise();
        step.loopToContraction[loop] = bufDims[pos];
      }
      readsCurrent = true;
    }
    if (!readsCurrent)
      return decline(plan, "an op after the contraction does not read its "
                           "result (another computation in the tile)");
    // Loops not indexing the current buffer are unit loops (index 0).
    SmallVector<int64_t> genericRanges = generic.getStaticLoopRanges();
    for (auto [loop, dim] : llvm::enumerate(step.loopToContraction))
      if (dim == ~0u && genericRanges[loop] != 1)
        return decline(plan, "an op after the contraction broadcasts its "
                             "result (the contraction's output is smaller "
                             "than the group's)");
    // Other operands: read-only buffers from outside the chain (bias,
    // residual, scales), indexed by projected permutations / constants.
    for (OpOperand &operand : generic->getOpOperands()) {
      if (operand.get() == current)
        continue;
      if (generic.isDpsInput(&operand) &&
          (written.contains(operand.get()) || isTemporary(operand.get())))
        return decline(plan, "an op after the contraction reads another "
                             "value computed in the tile");
      AffineMap map = generic.getMatchingIndexingMap(&operand);
      for (AffineExpr expr : map.getResults())
        if (!isa<AffineDimExpr, AffineConstantExpr>(expr))
          return decline(plan, "an op after the contraction reads an "
                               "operand through a non-trivial index map");
    }
    // The payload: scalar ops only.
    for (Operation &payload : generic.getBody()->without_terminator())
      if (payload.getNumRegions() != 0 ||
          (!isPure(&payload) && !isa<linalg::IndexOp>(payload)))
        return decline(plan, "an op after the contraction has a payload "
                             "with regions or side effects");
    Value out = generic.getDpsInitOperand(0)->get();
    AffineMap outMap =
        generic.getMatchingIndexingMap(generic.getDpsInitOperand(0));
    if (!outMap.isPermutation())
      return notElementwise();
    SmallVector<unsigned> next;
    for (AffineExpr expr : outMap.getResults())
      next.push_back(step.loopToContraction[cast<AffineDimExpr>(expr)
                                                .getPosition()]);
    bufDims = std::move(next);
    plan.epilogue.push_back(std::move(step));
    current = out;
    written.insert(current);
  }
  if (isTemporary(current) || isDefinedIn(rootOf(current), body))
    return decline(plan, "the contraction's chain does not end in an output "
                         "of the group");
  // Every temporary is used by the chain only (no other reader).
  for (Value value : written) {
    if (value == current)
      continue;
    if (!isTemporary(value))
      return decline(plan, "an intermediate of the epilogue is an output of "
                           "the group too");
    for (Operation *user : value.getUsers())
      if (user != plan.fill && user != plan.initCopy &&
          user != contraction.getOperation() &&
          !isa<memref::DeallocOp>(user) &&
          !llvm::any_of(plan.epilogue,
                        [&](const EpilogueStep &s) { return s.op == user; }))
        return decline(plan, "an intermediate of the epilogue is read by "
                             "another op of the tile");
  }
  plan.finalOut = current;
  plan.outDims = bufDims;
  return true;
}

bool mlir::fuse::gemm::rebuildsReads(GemmPlan &plan) {
  scf::ForallOp forall = plan.forall;
  Region &body = forall.getRegion();
  linalg::LinalgOp contraction = plan.contraction;
  // The buffers the chain writes: the accumulator and each step's output
  // (a memref.copy's target, a generic's one init: the last operand).
  llvm::SmallPtrSet<Value, 4> written = {
      contraction.getDpsInitOperand(0)->get()};
  for (const EpilogueStep &step : plan.epilogue)
    written.insert(step.op->getOperands().back());
  // Everything the kernel reads from the body must be rebuilt in the launch:
  // the pure ops (index computations, views) whose operands are themselves
  // rebuilt or from outside the forall (as GemmEmitter::emit clones them).
  llvm::SmallPtrSet<Value, 16> rebuilt;
  for (Value iv : forall.getInductionVars())
    rebuilt.insert(iv);
  for (Operation &op : forall.getBody()->without_terminator()) {
    if (isa<linalg::LinalgOp, memref::CopyOp, memref::AllocOp,
            memref::DeallocOp, scf::IfOp>(op))
      continue;
    if (llvm::all_of(op.getOperands(), [&](Value v) {
          return !isDefinedIn(v, body) || rebuilt.contains(v);
        }))
      rebuilt.insert(op.result_begin(), op.result_end());
  }
  auto available = [&](Value v) {
    return !isDefinedIn(v, body) || rebuilt.contains(v);
  };
  SmallVector<Value> reads = {plan.finalOut};
  // A weight computed in the tile is read from its producer's input.
  if (plan.conv && plan.conv->weightProducer) {
    reads.push_back(plan.conv->weightProducer.getDpsInputOperand(0)->get());
    for (OpFoldResult v : plan.conv->weightViewOffsets)
      if (auto value = dyn_cast<Value>(v))
        reads.push_back(value);
  } else {
    reads.push_back(plan.b.memref);
  }
  if (plan.initCopy && plan.initCopy.getNumDpsInputs() == 1)
    reads.push_back(plan.initCopy.getDpsInputOperand(0)->get());
  if (plan.conv && plan.conv->aValue) {
    for (OpOperand *input : contraction.getDpsInputOperands())
      reads.push_back(input->get());
  } else if (!plan.conv || !plan.conv->padded) {
    reads.push_back(plan.a.memref);
  } else {
    const PaddedInput &pad = *plan.conv->padded;
    if (pad.empty)
      reads.push_back(pad.empty);
    SmallVector<ArrayRef<OpFoldResult>> lists = {
        pad.srcOffsets, pad.dstOffsets, pad.sizes, pad.viewOffsets};
    for (const SmallVector<OpFoldResult> &offsets : pad.inputOffsets)
      lists.push_back(offsets);
    for (ArrayRef<OpFoldResult> values : lists)
      for (OpFoldResult v : values)
        if (auto value = dyn_cast<Value>(v))
          reads.push_back(value);
    if (linalg::GenericOp producer = pad.producer) {
      bool external = true;
      producer.getBody()->walk([&](Operation *op) {
        for (Value v : op->getOperands())
          if (!isDefinedIn(v, producer.getRegion()))
            external &= !isDefinedIn(v, body) || rebuilt.contains(v);
      });
      if (!external)
        return decline(plan, "the conv's input producer reads a value the "
                             "kernel cannot rebuild");
    }
  }
  Value finalRoot = rootOf(plan.finalOut);
  for (const EpilogueStep &step : plan.epilogue) {
    auto generic = dyn_cast<linalg::GenericOp>(step.op);
    if (!generic)
      continue;
    for (OpOperand &operand : generic->getOpOperands()) {
      if (written.contains(operand.get()) && operand.get() != plan.finalOut)
        continue;
      reads.push_back(operand.get());
      // Another element of the output than the one a thread writes may
      // already hold a result: only the element's own old value is read.
      if (rootOf(operand.get()) == finalRoot &&
          (operand.get() != plan.finalOut ||
           generic.getMatchingIndexingMap(&operand) !=
               generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))))
        return decline(plan, "the epilogue reads another element of the "
                             "output than the one it writes");
    }
    generic.getBody()->walk([&](Operation *payload) {
      for (Value v : payload->getOperands())
        if (!isDefinedIn(v, generic.getRegion()))
          reads.push_back(v);
    });
  }
  if (!llvm::all_of(reads, available))
    return decline(plan, "the kernel reads a value computed in the tile "
                         "that it cannot rebuild");
  return true;
}

//===----------------------------------------------------------------------===//
// The implicit-GEMM conv gathers (GemmPlan.h: ConvGather).
//===----------------------------------------------------------------------===//

FailureOr<ConvGather> ConvGather::create(GemmPlan &plan, OpBuilder &b,
                                         Location loc,
                                         const IRMapping &mapping,
                                         Value zeroIdx) {
  ConvGather gather(plan, b, loc, mapping, zeroIdx);
  const ConvAddressing &conv = *plan.conv;
  // The weight tile [F, k...] as [F][K] (its k dims are contiguous), and
  // the tile's output extents (dims of the output it writes).
  // (A weight computed in the tile is read from its producer's input.)
  if (!conv.weightProducer) {
    Value weight = mapping.lookupOrDefault(conv.weight);
    auto weightType = cast<MemRefType>(weight.getType());
    ReassociationIndices inner;
    for (int64_t i = 1; i < weightType.getRank(); ++i)
      inner.push_back(i);
    gather.weightMatrix = memref::CollapseShapeOp::create(
        b, loc, weight, ArrayRef<ReassociationIndices>{{0}, inner});
  } else if (llvm::find(plan.outDims, conv.filterDim) == plan.outDims.end() &&
             cast<MemRefType>(conv.weight.getType()).isDynamicDim(0)) {
    return failure();
  }
  Value out = mapping.lookupOrDefault(plan.finalOut);
  for (unsigned d : conv.rowDims) {
    auto it = llvm::find(plan.outDims, d);
    if (it == plan.outDims.end())
      return failure();
    gather.rowExtents.push_back(
        memref::DimOp::create(b, loc, out, it - plan.outDims.begin()));
  }
  gather.extentM = gather.cst(conv.rows);
  if (conv.weightProducer) {
    // The tile's filters: the output's extent along the filter dim, or
    // the weight view's static one (an output whose unit filter dim the
    // epilogue reads at 0).
    auto it = llvm::find(plan.outDims, conv.filterDim);
    if (it == plan.outDims.end())
      gather.extentN = gather.cst(
          cast<MemRefType>(conv.weight.getType()).getDimSize(0));
    else
      gather.extentN =
          memref::DimOp::create(b, loc, out, it - plan.outDims.begin());
  } else {
    gather.extentN = memref::DimOp::create(b, loc, gather.weightMatrix, 0);
  }
  gather.extentK = gather.cst(conv.depth);
  return gather;
}

Value ConvGather::evalExpr(AffineExpr expr, ArrayRef<Value> dims) {
  if (auto d = dyn_cast<AffineDimExpr>(expr))
    return dims[d.getPosition()];
  if (auto c = dyn_cast<AffineConstantExpr>(expr))
    return cst(c.getValue());
  auto bin = cast<AffineBinaryOpExpr>(expr);
  Value lhs = evalExpr(bin.getLHS(), dims), rhs = evalExpr(bin.getRHS(), dims);
  return bin.getKind() == AffineExprKind::Add ? add(lhs, rhs) : mul(lhs, rhs);
}

SmallVector<Value> ConvGather::loops(Value row, Value col, Value k) {
  const ConvAddressing &conv = *plan.conv;
  SmallVector<Value> values(conv.numLoops, zeroIdx);
  values[conv.filterDim] = col;
  // Row-major over rowDims (innermost last), as over kDims.
  auto split = [&](Value v, ArrayRef<unsigned> dims, ArrayRef<int64_t> sizes) {
    for (int64_t i = dims.size() - 1; i >= 0; --i) {
      values[dims[i]] = i == 0 ? v : rem(v, sizes[i]);
      if (i)
        v = div(v, sizes[i]);
    }
  };
  split(row, conv.rowDims, conv.rowSizes);
  if (k)
    split(k, conv.kDims, conv.kSizes);
  return values;
}

Value ConvGather::rowInBounds(Value row) {
  SmallVector<Value> loops = this->loops(row, zeroIdx, Value());
  Value inside = ult(row, cst(plan.conv->rows));
  for (auto [d, extent] : llvm::zip(plan.conv->rowDims, rowExtents))
    inside = andi(inside, ult(loops[d], extent));
  return inside;
}

std::pair<Value, Value> ConvGather::elementA(Value row, Value k) {
  const ConvAddressing &conv = *plan.conv;
  SmallVector<Value> loops = this->loops(row, zeroIdx, k);
  Value valid = andi(rowInBounds(row), ult(k, cst(conv.depth)));
  // The element of the (padded) input the generic reads.
  SmallVector<Value> indices;
  for (AffineExpr expr : conv.inputMap.getResults())
    indices.push_back(evalExpr(expr, loops));
  return inputElement(std::move(indices), valid);
}

std::pair<Value, Value> ConvGather::inputElement(SmallVector<Value> indices,
                                                 Value valid) {
  const ConvAddressing &conv = *plan.conv;
  Value memref;
  if (conv.aValue) {
    // The fused producer: each input but the weight at the element's
    // indices, then the body's ops computing the A value.
    for (Value &index : indices)
      index = arith::SelectOp::create(b, loc, valid, index, zeroIdx);
    linalg::LinalgOp op = plan.contraction;
    IRMapping payload;
    for (int64_t i = 0, e = op.getNumDpsInputs() - 1; i < e; ++i) {
      OpOperand *input = op.getDpsInputOperand(i);
      payload.map(op.getMatchingBlockArgument(input),
                  memref::LoadOp::create(
                      b, loc, mapping.lookupOrDefault(input->get()), indices));
    }
    for (Operation &bodyOp : op.getBlock()->without_terminator()) {
      if (!payload.contains(conv.aValue) &&
          llvm::all_of(bodyOp.getOperands(), [&](Value v) {
            return payload.contains(v) ||
                   !isDefinedIn(v, *op->getParentRegion()) ||
                   !op->isAncestor(v.getParentRegion()->getParentOp());
          })) {
        Operation *clone = b.clone(bodyOp, payload);
        for (OpOperand &use : clone->getOpOperands())
          use.set(mapping.lookupOrDefault(use.get()));
      }
    }
    return {valid, payload.lookup(conv.aValue)};
  }
  if (conv.padded) {
    // Padded element p is source[srcOffsets + p - dstOffsets] when
    // 0 <= p - dstOffsets < sizes (unsigned compare), else zero.
    const PaddedInput &pad = *conv.padded;
    memref = pad.source;
    auto value = [&](OpFoldResult v) {
      return mapping.lookupOrDefault(
          getValueOrCreateConstantIndexOp(b, loc, v));
    };
    for (size_t i = 0; i < indices.size(); ++i) {
      // A view of the buffer (a tile's window of a whole spread input).
      if (!pad.viewOffsets.empty())
        indices[i] = add(value(pad.viewOffsets[i]), indices[i]);
      Value local =
          arith::SubIOp::create(b, loc, indices[i], value(pad.dstOffsets[i]));
      int64_t stride = pad.dstStrides.empty() ? 1 : pad.dstStrides[i];
      if (stride != 1) {
        // A strided copy: only every stride-th element is the source's
        // (exact division), in range when local < sizes * stride (unsigned:
        // a negative local is out of range too).
        valid = andi(valid, ult(local, mul(value(pad.sizes[i]), cst(stride))));
        valid = andi(valid, arith::CmpIOp::create(
                                b, loc, arith::CmpIPredicate::eq,
                                rem(local, stride), zeroIdx));
        local = div(local, stride);
      } else {
        valid = andi(valid, ult(local, value(pad.sizes[i])));
      }
      indices[i] = add(value(pad.srcOffsets[i]), local);
    }
    if (pad.empty) {
      Value full = arith::XOrIOp::create(
          b, loc, mapping.lookupOrDefault(pad.empty),
          arith::ConstantIntOp::create(b, loc, 1, 1));
      valid = andi(valid, full);
    }
    if (pad.producer) {
      // The producer's element at `indices` (its loops): each input at
      // offsets + map(loops) (clamped to 0 when not valid), then its
      // payload.
      linalg::GenericOp producer = pad.producer;
      for (Value &index : indices)
        index = arith::SelectOp::create(b, loc, valid, index, zeroIdx);
      IRMapping payload;
      for (auto [i, input] : llvm::enumerate(producer.getDpsInputOperands())) {
        SmallVector<Value> at =
            mlir::fuse::gemm::indicesFor(b, loc, producer.getMatchingIndexingMap(input), indices);
        for (auto [j, index] : llvm::enumerate(at))
          at[j] = add(value(pad.inputOffsets[i][j]), index);
        Value element =
            memref::LoadOp::create(b, loc, pad.inputRoots[i], at);
        payload.map(producer.getMatchingBlockArgument(input), element);
      }
      for (Operation &op : producer.getBody()->without_terminator()) {
        Operation *clone = b.clone(op, payload);
        for (OpOperand &use : clone->getOpOperands())
          use.set(mapping.lookupOrDefault(use.get()));
      }
      Value result = payload.lookupOrDefault(
          producer.getBody()->getTerminator()->getOperand(0));
      return {valid, result};
    }
  } else {
    memref = mapping.lookupOrDefault(conv.input);
  }
  for (Value &index : indices)
    index = arith::SelectOp::create(b, loc, valid, index, zeroIdx);
  return {valid, memref::LoadOp::create(b, loc, memref, indices)};
}

std::pair<Value, Value> ConvGather::elementB(Value n, Value k) {
  Value valid = andi(ult(n, extentN), ult(k, extentK));
  if (linalg::GenericOp producer = plan.conv->weightProducer) {
    // The flipped weight's element at the view offsets + the weight map
    // (f = n, the reduction loops from k) is the producer's input at its
    // map of that element.
    const ConvAddressing &conv = *plan.conv;
    SmallVector<Value> loops = this->loops(zeroIdx, n, k);
    AffineMap weightMap = plan.contraction.getMatchingIndexingMap(
        plan.contraction.getDpsInputOperand(
            plan.contraction.getNumDpsInputs() - 1));
    SmallVector<Value> element;
    for (auto [expr, offset] :
         llvm::zip(weightMap.getResults(), conv.weightViewOffsets))
      element.push_back(add(mapping.lookupOrDefault(
                                getValueOrCreateConstantIndexOp(b, loc, offset)),
                            evalExpr(expr, loops)));
    OpOperand *input = producer.getDpsInputOperand(0);
    SmallVector<Value> indices;
    for (AffineExpr expr :
         producer.getMatchingIndexingMap(input).getResults())
      indices.push_back(arith::SelectOp::create(
          b, loc, valid, evalExpr(expr, element), zeroIdx));
    return {valid, memref::LoadOp::create(
                       b, loc, mapping.lookupOrDefault(input->get()),
                       indices)};
  }
  SmallVector<Value> indices = {
      arith::SelectOp::create(b, loc, valid, n, zeroIdx),
      arith::SelectOp::create(b, loc, valid, k, zeroIdx)};
  return {valid, memref::LoadOp::create(b, loc, weightMatrix, indices)};
}

namespace {

//===----------------------------------------------------------------------===//
// Emission.
//===----------------------------------------------------------------------===//

class GemmEmitter : IndexMath {
public:
  GemmEmitter(GemmPlan &plan, OpBuilder &b)
      : IndexMath(b, UnknownLoc::get(b.getContext())), plan(plan) {}

  LogicalResult emit();

private:
  /// The size of contraction loop dim `dim` in this tile: the size of the
  /// dim of A or B (as mapped into the kernel) that it indexes.
  Value extentOf(unsigned dim);
  /// The shared-memory column (in elements) of logical chunk `chunk` of
  /// row `row` of a tile with `cols` columns (see the file comment).
  Value swizzledCol(Value row, Value chunk, int64_t cols);
  /// Issues the copies of K step `kt` of `op` into stage `stage`.
  void stageOperand(const OperandPlan &op, Value smem, Value kt, Value stage,
                    SmallVectorImpl<Value> &tokens);
  void stageTiles(Value kt, Value stage, SmallVectorImpl<Value> &tokens);
  /// Stages K step `kt` of a gathered operand (OperandPlan::gather): each
  /// thread loads the elements of a chunk (predicated, zero outside),
  /// converts them where the precision asks and stores the chunk.
  void stageGathered(const OperandPlan &op, Value smem, Value kt,
                     Value stage);
  /// Whether tile row `row` is an output element of this tile.
  Value rowInBounds(Value row) {
    return gather ? gather->rowInBounds(row) : ult(row, extentM);
  }
  /// Indices into `op.memref` for the loop dim values `loops`.
  SmallVector<Value> indicesFor(AffineMap map, ArrayRef<Value> loops);
  /// The ldmatrix/ld.shared + mma.sync m16n8k8 (tf32) of one 8-deep K
  /// slice.
  void emitTf32Step(int64_t kk, Value stage, SmallVectorImpl<Value> &accs,
                    Value warpRow0, Value warpCol0, int64_t tilesM,
                    int64_t tilesN);
  /// Element (row, col) of a swizzled shared tile of `cols` columns.
  Value loadShared(Value smem, Value stage, Value row, Value col,
                   int64_t cols);
  /// The epilogue for one accumulator element at (row, col) of the tile.
  LogicalResult emitElement(Value acc, Value row, Value col);

  GemmPlan &plan;
  IRMapping mapping;
  Value tid, lane, smemA, smemB, zeroIdx;
  Value extentM, extentN, extentK;
  /// The conv's implicit-GEMM addressing (ConvGather).
  std::optional<ConvGather> gather;
  int64_t threads = 0;
};

Value GemmEmitter::extentOf(unsigned dim) {
  if (gather)
    return dim == plan.dimM   ? gather->extentM
           : dim == plan.dimN ? gather->extentN
                              : gather->extentK;
  for (const OperandPlan *op : {&plan.a, &plan.b})
    if (std::optional<unsigned> pos = resultOf(op->map, dim)) {
      Value memref = mapping.lookupOrDefault(op->memref);
      return memref::DimOp::create(b, loc, memref, *pos);
    }
  llvm_unreachable("every contraction dim indexes A or B");
}

Value GemmEmitter::swizzledCol(Value row, Value chunk, int64_t cols) {
  int64_t chunks = cols / plan.chunkElems;
  int64_t rowsPerLine = std::max<int64_t>(1, 8 / chunks);
  int64_t period = std::min<int64_t>(chunks, 8);
  Value key = rem(div(row, rowsPerLine), period);
  Value swizzled = arith::XOrIOp::create(b, loc, chunk, key);
  return mul(swizzled, cst(plan.chunkElems));
}

SmallVector<Value> GemmEmitter::indicesFor(AffineMap map,
                                          ArrayRef<Value> loops) {
  return mlir::fuse::gemm::indicesFor(b, loc, map, loops);
}

void GemmEmitter::stageOperand(const OperandPlan &op, Value smem, Value kt,
                               Value stage, SmallVectorImpl<Value> &tokens) {
  if (op.gather)
    return stageGathered(op, smem, kt, stage);
  Value memref = plan.conv && &op == &plan.b
                     ? gather->weightMatrix
                     : mapping.lookupOrDefault(op.memref);
  int64_t chunkElems = plan.chunkElems;
  int64_t chunksPerRow = op.cols / chunkElems;
  int64_t chunks = op.rows * chunksPerRow;
  Value kBase = mul(kt, cst(plan.bk));
  Value rowBase = op.rowDim == plan.dimK ? kBase : zeroIdx;
  Value colBase = op.colDim == plan.dimK ? kBase : zeroIdx;
  Value rowExtent = op.rowDim == plan.dimK
                        ? extentK
                        : (op.rowDim == plan.dimM ? extentM : extentN);
  Value colExtent = op.colDim == plan.dimK
                        ? extentK
                        : (op.colDim == plan.dimM ? extentM : extentN);
  unsigned numLoops = op.map.getNumDims();
  // Thread t copies chunks t, t + T, t + 2T, ... of the row-major chunk
  // grid (row = i / C, chunk = i % C): consecutive threads take consecutive
  // 16-byte chunks of a row (coalesced global reads).
  for (int64_t first = 0; first < chunks; first += threads) {
    OpBuilder::InsertionGuard guard(b);
    Value i = add(tid, cst(first));
    if (first + threads > chunks) {
      // The last round has fewer chunks than threads.
      auto ifOp = scf::IfOp::create(b, loc, ult(i, cst(chunks)),
                                    /*withElseRegion=*/false);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    }
    Value row = div(i, chunksPerRow);
    Value chunk = rem(i, chunksPerRow);
    // Position in the tile: (row, 8 * chunk) of the shared tile is element
    // (rowBase + row, colBase + 8 * chunk) of the operand's (rowDim,
    // colDim) loops.
    Value r = add(rowBase, row);
    Value c = add(colBase, mul(chunk, cst(chunkElems)));
    // An aligned operand's contiguous extent is a multiple of a chunk
    // (checked), so a chunk is either entirely inside or entirely outside
    // it; an unaligned one is guarded element by element below.
    Value inBounds = andi(ult(r, rowExtent), ult(c, colExtent));
    // Outside: read nothing (zero fill) from a valid address (element 0).
    Value rSafe = arith::SelectOp::create(b, loc, inBounds, r, zeroIdx);
    Value cSafe = arith::SelectOp::create(b, loc, inBounds, c, zeroIdx);
    SmallVector<Value> loops(numLoops, zeroIdx); // The batch index is 0.
    loops[op.rowDim] = rSafe;
    loops[op.colDim] = cSafe;
    SmallVector<Value> src = indicesFor(op.map, loops);
    SmallVector<Value> dst = {stage, row, swizzledCol(row, chunk, op.cols)};
    if (op.unaligned) {
      // Rows that are not whole aligned chunks: each element of the chunk
      // is loaded on its own, guarded (the contiguous extent may end inside
      // the chunk), from a valid address when outside (element 0), and the
      // chunk goes to shared memory as one st.shared.
      Type elementType = cast<MemRefType>(memref.getType()).getElementType();
      Value zero = arith::ConstantOp::create(b, loc, elementType,
                                             b.getZeroAttr(elementType));
      Value rowIn = ult(r, rowExtent);
      SmallVector<Value> elements;
      for (int64_t e = 0; e < chunkElems; ++e) {
        Value ce = add(c, cst(e));
        Value valid = andi(rowIn, ult(ce, colExtent));
        loops[op.rowDim] = arith::SelectOp::create(b, loc, valid, r, zeroIdx);
        loops[op.colDim] = arith::SelectOp::create(b, loc, valid, ce, zeroIdx);
        Value loaded =
            memref::LoadOp::create(b, loc, memref, indicesFor(op.map, loops));
        elements.push_back(
            arith::SelectOp::create(b, loc, valid, loaded, zero));
      }
      Value chunkValue = vector::FromElementsOp::create(
          b, loc, VectorType::get({chunkElems}, elementType), elements);
      if (elementType != plan.mmaType)
        chunkValue = arith::TruncFOp::create(
            b, loc, VectorType::get({chunkElems}, plan.mmaType), chunkValue);
      vector::StoreOp::create(b, loc, chunkValue, smem, dst,
                              /*nontemporal=*/false, llvm::MaybeAlign(16));
      continue;
    }
    if (!op.convert) {
      Value srcElements = arith::SelectOp::create(
          b, loc, inBounds, cst(chunkElems), zeroIdx);
      auto copy = nvgpu::DeviceAsyncCopyOp::create(
          b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), smem,
          dst, memref, src, b.getIndexAttr(chunkElems), srcElements,
          /*bypassL1=*/b.getUnitAttr());
      if (first + threads <= chunks)
        tokens.push_back(copy.getAsyncToken());
      continue;
    }
    // f32 operand on fp16/bf16 tensor cores: cp.async cannot convert, so
    // this chunk is staged synchronously: register load (8 x f32) ->
    // cvt (arith.truncf) -> st.shared of 8 x 16-bit. The stage it writes is
    // not read before the barrier of the K step that consumes it.
    auto f32x8 = VectorType::get({8}, b.getF32Type());
    auto load = scf::IfOp::create(
        b, loc, inBounds,
        [&](OpBuilder &then, Location l) {
          // A chunk starts at a multiple of 8 elements of a row whose
          // stride is a multiple of 8 (checked), in a buffer aligned as
          // cp.async needs it (16 bytes): 16-byte vector loads.
          Value v = vector::LoadOp::create(then, l, f32x8, memref, src,
                                           /*nontemporal=*/false,
                                           llvm::MaybeAlign(16));
          scf::YieldOp::create(then, l, v);
        },
        [&](OpBuilder &otherwise, Location l) {
          Value zero = arith::ConstantOp::create(
              otherwise, l, f32x8, DenseElementsAttr::get(f32x8, 0.0f));
          scf::YieldOp::create(otherwise, l, zero);
        });
    Value narrow = arith::TruncFOp::create(
        b, loc, VectorType::get({8}, plan.mmaType), load.getResult(0));
    vector::StoreOp::create(b, loc, narrow, smem, dst, /*nontemporal=*/false,
                            llvm::MaybeAlign(16));
  }
}

void GemmEmitter::stageGathered(const OperandPlan &op, Value smem, Value kt,
                                Value stage) {
  int64_t chunkElems = plan.chunkElems;
  int64_t chunksPerRow = op.cols / chunkElems;
  int64_t chunks = op.rows * chunksPerRow;
  Value kBase = mul(kt, cst(plan.bk));
  bool isA = &op == &plan.a;
  Type elementType =
      cast<MemRefType>(op.memref.getType()).getElementType();
  for (int64_t first = 0; first < chunks; first += threads) {
    OpBuilder::InsertionGuard guard(b);
    Value i = add(tid, cst(first));
    if (first + threads > chunks) {
      auto ifOp = scf::IfOp::create(b, loc, ult(i, cst(chunks)),
                                    /*withElseRegion=*/false);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    }
    // A: consecutive threads take consecutive rows (output positions) of
    // one chunk column, so that their loads are consecutive input elements
    // for unit strides; the weight: consecutive chunks of a row.
    Value row = isA ? rem(i, op.rows) : div(i, chunksPerRow);
    Value chunk = isA ? div(i, op.rows) : rem(i, chunksPerRow);
    Value k0 = add(kBase, mul(chunk, cst(chunkElems)));
    SmallVector<Value> elements;
    Value zero = arith::ConstantOp::create(b, loc, elementType,
                                           b.getZeroAttr(elementType));
    for (int64_t e = 0; e < chunkElems; ++e) {
      Value k = add(k0, cst(e));
      auto [valid, loaded] =
          isA ? gather->elementA(row, k) : gather->elementB(row, k);
      elements.push_back(
          arith::SelectOp::create(b, loc, valid, loaded, zero));
    }
    Value vector = vector::FromElementsOp::create(
        b, loc, VectorType::get({chunkElems}, elementType), elements);
    if (elementType != plan.mmaType)
      vector = arith::TruncFOp::create(
          b, loc, VectorType::get({chunkElems}, plan.mmaType), vector);
    SmallVector<Value> dst = {stage, row, swizzledCol(row, chunk, op.cols)};
    vector::StoreOp::create(b, loc, vector, smem, dst, /*nontemporal=*/false,
                            llvm::MaybeAlign(16));
  }
}

void GemmEmitter::stageTiles(Value kt, Value stage,
                             SmallVectorImpl<Value> &tokens) {
  stageOperand(plan.a, smemA, kt, stage, tokens);
  stageOperand(plan.b, smemB, kt, stage, tokens);
}

Value GemmEmitter::loadShared(Value smem, Value stage, Value row, Value col,
                              int64_t cols) {
  Value chunkCol = swizzledCol(row, div(col, plan.chunkElems), cols);
  Value index = add(chunkCol, rem(col, plan.chunkElems));
  return memref::LoadOp::create(b, loc, smem, ValueRange{stage, row, index});
}

void GemmEmitter::emitTf32Step(int64_t kk, Value stage,
                               SmallVectorImpl<Value> &accs, Value warpRow0,
                               Value warpCol0, int64_t tilesM,
                               int64_t tilesN) {
  // m16n8k8 tf32 (PTX ISA), g = lane / 4, q = lane % 4: a0 = (g, q), a1 =
  // (g + 8, q), a2 = (g, q + 4), a3 = (g + 8, q + 4); b0 = (k = q, n = g),
  // b1 = (q + 4, g); C as for m16n8k16. nvgpu: A vector<4x1xf32> (row r =
  // a_r), B vector<2x1xf32>.
  // ldmatrix on 32-bit data (b16 pairs, no .trans): thread t gives the
  // address of row t % 8 (16 bytes = 4 f32) of matrix j = t / 8 and gets,
  // of matrix j, f32 element q of row g. Operands whose contiguous dim is
  // not K would need a 32-bit transpose, which ldmatrix cannot do: their
  // fragments are ld.shared element by element.
  Type f32 = b.getF32Type();
  Value l8 = rem(lane, 8), j = div(lane, 8);
  Value g = div(lane, 4), q = rem(lane, 4);
  SmallVector<Value> aFrags;
  for (int64_t mi = 0; mi < tilesM; ++mi) {
    Value m0 = add(warpRow0, cst(mi * 16));
    if (plan.a.colDim == plan.dimK) {
      // Stored [m][k]: matrix j = rows m0 + 8 (j % 2), k kk + 4 (j / 2):
      // register j = a_j.
      Value srow = add(add(m0, mul(rem(j, 2), cst(8))), l8);
      Value chunk = add(cst(kk / 4), div(j, 2));
      Value col = swizzledCol(srow, chunk, plan.a.cols);
      aFrags.push_back(nvgpu::LdMatrixOp::create(
          b, loc, VectorType::get({4, 1}, f32), smemA,
          ValueRange{stage, srow, col}, false, 4));
      continue;
    }
    // Stored [k][m]: a_r = A(m0 + g + 8 (r % 2), kk + q + 4 (r / 2)).
    SmallVector<Value> elems;
    for (int64_t r = 0; r < 4; ++r) {
      Value m = add(m0, add(g, cst(8 * (r % 2))));
      Value k = add(q, cst(kk + 4 * (r / 2)));
      elems.push_back(loadShared(smemA, stage, k, m, plan.a.cols));
    }
    aFrags.push_back(vector::FromElementsOp::create(
        b, loc, VectorType::get({4, 1}, f32), elems));
  }
  SmallVector<Value> bFrags;
  auto fragB = VectorType::get({2, 1}, f32);
  for (int64_t ni = 0; ni < tilesN; ni += 2) {
    Value n0 = add(warpCol0, cst(ni * 8));
    if (plan.b.colDim == plan.dimK) {
      // Stored [n][k]: matrix j = rows n0 + 8 (j / 2), k kk + 4 (j % 2):
      // registers 0, 1 = b0, b1 of the n tile n0, 2, 3 of n0 + 8.
      Value srow = add(add(n0, mul(div(j, 2), cst(8))), l8);
      Value chunk = add(cst(kk / 4), rem(j, 2));
      Value col = swizzledCol(srow, chunk, plan.b.cols);
      Value pair = nvgpu::LdMatrixOp::create(
          b, loc, VectorType::get({4, 1}, f32), smemB,
          ValueRange{stage, srow, col}, false, 4);
      for (int64_t half = 0; half < 2; ++half)
        bFrags.push_back(vector::ExtractStridedSliceOp::create(
            b, loc, pair, ArrayRef<int64_t>{2 * half, 0},
            ArrayRef<int64_t>{2, 1}, ArrayRef<int64_t>{1, 1}));
      continue;
    }
    // Stored [k][n]: b_r of n tile n0 + 8h = B(kk + q + 4 r, n0 + 8h + g).
    for (int64_t half = 0; half < 2; ++half) {
      SmallVector<Value> elems;
      for (int64_t r = 0; r < 2; ++r) {
        Value k = add(q, cst(kk + 4 * r));
        Value n = add(n0, add(g, cst(8 * half)));
        elems.push_back(loadShared(smemB, stage, k, n, plan.b.cols));
      }
      bFrags.push_back(vector::FromElementsOp::create(b, loc, fragB, elems));
    }
  }
  for (int64_t mi = 0; mi < tilesM; ++mi)
    for (int64_t ni = 0; ni < tilesN; ++ni) {
      Value &acc = accs[mi * tilesN + ni];
      acc = nvgpu::MmaSyncOp::create(b, loc, aFrags[mi], bFrags[ni], acc,
                                     ArrayRef<int64_t>{16, 8, 8},
                                     /*tf32Enabled=*/true);
    }
}

LogicalResult GemmEmitter::emitElement(Value acc, Value row, Value col) {
  SmallVector<Value> loops(plan.contraction.getNumLoops(), zeroIdx);
  if (plan.conv) {
    loops = gather->loops(row, col, Value());
  } else {
    loops[plan.dimM] = row; // The batch index is 0.
    loops[plan.dimN] = col;
  }
  Value value = emitEpilogueValue(b, loc, plan, mapping, acc, loops, zeroIdx);
  memref::StoreOp::create(b, loc, value,
                          mapping.lookupOrDefault(plan.finalOut),
                          epilogueOutIndices(plan, loops, zeroIdx));
  return success();
}

LogicalResult GemmEmitter::emit() {
  scf::ForallOp forall = plan.forall;
  loc = forall.getLoc();
  MLIRContext *ctx = b.getContext();
  threads = plan.warps * 32;
  int64_t elemBytes = plan.elemBytes;
  int64_t bytesA = plan.stages * plan.a.rows * plan.a.cols * elemBytes;
  int64_t bytesB = plan.stages * plan.b.rows * plan.b.cols * elemBytes;
  gpu::LaunchOp launch =
      buildTileLaunch(b, plan, mapping, threads, bytesA + bytesB);
  Value one = cst(1);
  zeroIdx = cst(0);

  tid = launch.getThreadIds().x;
  // warp = tid / 32, lane = tid % 32; warp (wm, wn) = (warp % warpsM,
  // warp / warpsM) owns rows [wm * WM, +WM) and columns [wn * WN, +WN) of
  // the block tile.
  Value warp = div(tid, 32);
  lane = rem(tid, 32);
  int64_t wmSize = plan.bm / plan.warpsM, wnSize = plan.bn / plan.warpsN;
  Value warpRow0 = mul(rem(warp, plan.warpsM), cst(wmSize));
  Value warpCol0 = mul(div(warp, plan.warpsM), cst(wnSize));

  // Shared memory: [stages][rows][cols] of A, then of B (byte offset
  // bytesA, a multiple of 16).
  auto workgroup = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  Value dynamicSmem = gpu::DynamicSharedMemoryOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface(), workgroup));
  auto stageType = [&](const OperandPlan &op) {
    return MemRefType::get({plan.stages, op.rows, op.cols}, plan.mmaType,
                           MemRefLayoutAttrInterface(), workgroup);
  };
  smemA = memref::ViewOp::create(b, loc, stageType(plan.a), dynamicSmem,
                                 zeroIdx, ValueRange());
  smemB = memref::ViewOp::create(b, loc, stageType(plan.b), dynamicSmem,
                                 cst(bytesA), ValueRange());

  if (plan.conv) {
    FailureOr<ConvGather> conv =
        ConvGather::create(plan, b, loc, mapping, zeroIdx);
    if (failed(conv))
      return failure();
    gather.emplace(*conv);
  }
  extentM = extentOf(plan.dimM);
  extentN = extentOf(plan.dimN);
  extentK = extentOf(plan.dimK);
  Value numK = arith::CeilDivUIOp::create(b, loc, extentK, cst(plan.bk));

  // Prologue: K steps 0 .. stages-2 in flight, one group each (a step past
  // the last K tile is zero-filled and never read).
  auto tokenType = nvgpu::DeviceAsyncTokenType::get(ctx);
  Value token;
  for (int64_t s = 0; s + 1 < plan.stages; ++s) {
    SmallVector<Value> tokens;
    stageTiles(cst(s), cst(s), tokens);
    token = nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType, tokens);
  }

  // Accumulators: (WM/16) x (WN/8) fragments of m16n8, vector<2x2xf32>
  // each, initialized to the fill value.
  int64_t tilesM = wmSize / 16, tilesN = wnSize / 8;
  auto accType = VectorType::get({2, 2}, b.getF32Type());
  Value fillValue =
      plan.fill ? plan.fill.getDpsInputOperand(0)->get()
                : arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0))
                      .getResult();
  if (!fillValue.getType().isF32())
    fillValue = arith::ExtFOp::create(b, loc, b.getF32Type(), fillValue);
  Value accInit = vector::BroadcastOp::create(b, loc, accType, fillValue);
  SmallVector<Value> inits(tilesM * tilesN, accInit);

  auto loop = scf::ForOp::create(b, loc, zeroIdx, numK, one, inits);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kt = loop.getInductionVar();
    // Groups committed so far: stages - 1 + kt; with at most stages - 2
    // pending, the group of K step kt (group kt) is complete; the barrier
    // makes every thread's copies visible and ends the reads of step kt-1.
    // (The wait is cp.async.wait_group on the count; its token operand is
    // not loop-carried, an async token is not a type scf-to-cf and the
    // NVVM conversions agree on.)
    nvgpu::DeviceAsyncWaitOp::create(b, loc, token,
                                     b.getI32IntegerAttr(plan.stages - 2));
    gpu::BarrierOp::create(b, loc);
    // Refill the stage of step kt-1 (= (kt + stages - 1) % stages) with
    // step kt + stages - 1 while this step computes.
    Value next = add(kt, cst(plan.stages - 1));
    SmallVector<Value> tokens;
    stageTiles(next, rem(next, plan.stages), tokens);
    nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType, tokens);
    Value stage = rem(kt, plan.stages);

    SmallVector<Value> accs(loop.getRegionIterArgs());
    auto fragA = VectorType::get({4, 2}, plan.mmaType);
    // ldmatrix.x4: thread t gives the address of row t % 8 of 8x8 matrix
    // j = t / 8; every thread receives, of matrix j, register j = elements
    // (t / 4, 2 * (t % 4) + {0, 1}) (.trans: elements (2 * (t % 4) + {0, 1},
    // t / 4) of the stored matrix).
    Value l8 = rem(lane, 8), j = div(lane, 8);
    for (int64_t kk = 0; kk < plan.bk && plan.tf32; kk += 8)
      emitTf32Step(kk, stage, accs, warpRow0, warpCol0, tilesM, tilesN);
    for (int64_t kk = 0; kk < plan.bk && !plan.tf32; kk += 16) {
      // A fragment (16 x 16 at m0, kk), m16n8k16 registers: a0a1 = (m0 +
      // g, kk + 2q + {0,1}), a2a3 = row + 8, a4a5 = col + 8, a6a7 = both
      // (g = lane / 4, q = lane % 4): matrix j = rows 8 * (j % 2), cols
      // 8 * (j / 2) of the fragment.
      SmallVector<Value> aFrags;
      for (int64_t mi = 0; mi < tilesM; ++mi) {
        Value m0 = add(warpRow0, cst(mi * 16));
        Value fragRow = mul(rem(j, 2), cst(8)); // m offset of matrix j.
        Value fragCol = add(cst(kk), mul(div(j, 2), cst(8))); // k offset.
        Value srow, scol;
        bool trans;
        if (plan.a.colDim == plan.dimK) {
          // Stored [m][k]: thread t -> row m0 + 8 (j % 2) + t % 8, chunk
          // (kk + 8 (j / 2)) / 8; no transpose.
          srow = add(add(m0, fragRow), l8);
          scol = fragCol;
          trans = false;
        } else {
          // Stored [k][m]: matrix j is the transpose of the stored 8x8 at
          // rows (k) kk + 8 (j / 2) + t % 8, columns (m) m0 + 8 (j % 2);
          // .trans gives thread t (m = t / 4, k = 2 (t % 4) + {0,1}).
          srow = add(fragCol, l8);
          scol = add(m0, fragRow);
          trans = true;
        }
        Value col = swizzledCol(srow, div(scol, 8), plan.a.cols);
        aFrags.push_back(nvgpu::LdMatrixOp::create(
            b, loc, fragA, smemA, ValueRange{stage, srow, col}, trans, 4));
      }
      // B fragments of two n8 tiles (16 x 16 at kk, n0): m16n8k16 b0b1 =
      // (kk + 2q + {0,1}, n0 + g), b2b3 = k + 8: matrix j = k rows
      // 8 * (j % 2), n columns 8 * (j / 2); registers 0,1 are the n tile
      // n0, registers 2,3 the n tile n0 + 8.
      SmallVector<Value> bFrags;
      for (int64_t ni = 0; ni < tilesN; ni += 2) {
        Value n0 = add(warpCol0, cst(ni * 8));
        Value kOff = add(cst(kk), mul(rem(j, 2), cst(8)));
        Value nOff = add(n0, mul(div(j, 2), cst(8)));
        Value srow, scol;
        bool trans;
        if (plan.b.colDim == plan.dimN) {
          // Stored [k][n]: rows (k) kOff + t % 8, columns (n) nOff; .trans
          // gives thread t (k = 2 (t % 4) + {0,1}, n = t / 4).
          srow = add(kOff, l8);
          scol = nOff;
          trans = true;
        } else {
          // Stored [n][k]: rows (n) nOff + t % 8, columns (k) kOff; thread
          // t receives (n = t / 4, k = 2 (t % 4) + {0,1}).
          srow = add(nOff, l8);
          scol = kOff;
          trans = false;
        }
        Value col = swizzledCol(srow, div(scol, 8), plan.b.cols);
        Value pair = nvgpu::LdMatrixOp::create(
            b, loc, fragA, smemB, ValueRange{stage, srow, col}, trans, 4);
        for (int64_t half = 0; half < 2; ++half)
          bFrags.push_back(vector::ExtractStridedSliceOp::create(
              b, loc, pair, ArrayRef<int64_t>{2 * half, 0},
              ArrayRef<int64_t>{2, 2}, ArrayRef<int64_t>{1, 1}));
      }
      for (int64_t mi = 0; mi < tilesM; ++mi)
        for (int64_t ni = 0; ni < tilesN; ++ni) {
          Value &acc = accs[mi * tilesN + ni];
          acc = fuse::gpu_detail::emitMmaSync16816(b, loc, aFrags[mi],
                                             bFrags[ni], acc);
        }
    }
    scf::YieldOp::create(b, loc, accs);
  }
  // Drain the (zero-filled) copies still in flight before the kernel ends.
  nvgpu::DeviceAsyncWaitOp::create(b, loc, token, b.getI32IntegerAttr(0));

  // Epilogue. Accumulator fragment (mi, ni), m16n8 C registers: c0c1 =
  // (g, 2q + {0,1}), c2c3 = (g + 8, 2q + {0,1}) (g = lane / 4, q = lane %
  // 4): element [i][jj] of the vector<2x2xf32> is tile element (warpRow0 +
  // 16 mi + g + 8 i, warpCol0 + 8 ni + 2q + jj).
  Value g = div(lane, 4), q2 = mul(rem(lane, 4), cst(2));
  for (int64_t mi = 0; mi < tilesM; ++mi)
    for (int64_t ni = 0; ni < tilesN; ++ni) {
      Value acc = loop.getResult(mi * tilesN + ni);
      for (int64_t i = 0; i < 2; ++i)
        for (int64_t jj = 0; jj < 2; ++jj) {
          Value row = add(warpRow0, add(g, cst(16 * mi + 8 * i)));
          Value col = add(warpCol0, add(q2, cst(8 * ni + jj)));
          Value element = vector::ExtractOp::create(
              b, loc, acc, ArrayRef<int64_t>{i, jj});
          OpBuilder::InsertionGuard guard(b);
          // Partial tiles: only the elements inside the output.
          auto ifOp = scf::IfOp::create(
              b, loc, andi(rowInBounds(row), ult(col, extentN)),
              /*withElseRegion=*/false);
          b.setInsertionPointToStart(&ifOp.getThenRegion().front());
          if (failed(emitElement(element, row, col)))
            return failure();
        }
    }
  return success();
}

struct FuseGpuGemmPass
    : public mlir::fuse::impl::FuseGpuGemmBase<FuseGpuGemmPass> {
  using FuseGpuGemmBase::FuseGpuGemmBase;

  void runOnOperation() override {
    SmallVector<scf::ForallOp> foralls;
    getOperation().walk([&](scf::ForallOp forall) {
      foralls.push_back(forall);
    });
    for (scf::ForallOp forall : foralls) {
      // The warpgroup implementation (WgmmaKernel.cpp).
      auto tile = forall->getAttrOfType<fuse::TileAttr>("fuse.tile");
      if (tile && tile.getImplementation() == "wgmma") {
        if (failed(lowerWgmmaForall(forall, chip)))
          return signalPassFailure();
        continue;
      }
      if (tile && tile.getImplementation() == "mma_sync")
        hoistBranchIndexing(forall);
      std::string declined;
      FailureOr<std::optional<GemmPlan>> plan =
          GemmMatcher(forall).match(declined);
      if (failed(plan))
        return signalPassFailure();
      if (!*plan) {
        if (!declined.empty())
          recordGenericReason(forall, "fuse-gpu-gemm", declined);
        continue;
      }
      OpBuilder builder(forall);
      GemmEmitter emitter(**plan, builder);
      if (failed(emitter.emit())) {
        forall.emitOpError("fuse-gpu-gemm: kernel emission failed");
        return signalPassFailure();
      }
      forall.erase();
    }
  }
};

} // namespace

/// The smallest group of a grouped conv the implicit GEMM takes: one n8
/// MMA tile of filters, one m16n8k16 step of reduction.
static constexpr int64_t kMinGroupFilters = 8;
static constexpr int64_t kMinGroupDepth = 16;

/// Why implementation `impl` cannot take `element` data at `precision`:
/// the tensor cores (mma_sync) take f16/bf16, and f32 at tf32, fp16 or
/// bf16; the SIMT kernel (fma_gemm) f32 at any precision.
static std::optional<std::string>
unsupportedImplicitGemmElements(Type element, StringRef impl,
                                StringRef precision) {
  if (impl == "fma_gemm") {
    if (element.isF32())
      return std::nullopt;
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "fma_gemm computes f32 data, not " << element;
    return text;
  }
  if (element.isF16() || element.isBF16())
    return std::nullopt;
  if (element.isF32() &&
      (precision == "tf32" || precision == "fp16" || precision == "bf16"))
    return std::nullopt;
  return std::string("f32 data at precision ") + precision.str() +
         " (tensor cores need tf32, fp16 or bf16)";
}

std::optional<std::string>
mlir::fuse::unsupportedImplicitGemmConv(ConvOp conv, StringRef impl,
                                        StringRef precision) {
  auto input = dyn_cast<RankedTensorType>(conv.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(conv.getWeight().getType());
  auto result = dyn_cast<RankedTensorType>(conv.getType());
  if (!input || !weight || !result || !input.hasStaticShape() ||
      !weight.hasStaticShape() || !result.hasStaticShape())
    return std::string("dynamic shapes");
  if (input.getRank() != 4)
    return std::string("not a 2-D convolution");
  int64_t groups = conv.getGroups();
  if (groups != 1) {
    // The group index is a grid dimension (fuse-tile tiles the filters
    // within a group): each group is an implicit GEMM of F/g filters by a
    // reduction over C/g x KH x KW.
    int64_t channelsPerGroup = weight.getDimSize(1);
    int64_t filtersPerGroup = groups > 0 ? weight.getDimSize(0) / groups : 0;
    int64_t depth = weight.getNumElements() / weight.getDimSize(0);
    if (channelsPerGroup == 1)
      return std::string("depthwise convolution (one input channel per "
                         "group: no channel reduction for the GEMM kernels "
                         "to share; the generic path computes it)");
    // The SIMT kernel's tiles have no minimum instruction shape.
    if (impl != "fma_gemm" &&
        (filtersPerGroup < kMinGroupFilters || depth < kMinGroupDepth))
      return "grouped convolution with " + std::to_string(filtersPerGroup) +
             " filters and a reduction of " + std::to_string(depth) +
             " per group (the tensor cores need at least " +
             std::to_string(kMinGroupFilters) + " and " +
             std::to_string(kMinGroupDepth) +
             "; the generic path computes it)";
  }
  return unsupportedImplicitGemmElements(input.getElementType(), impl,
                                         precision);
}

std::optional<std::string>
mlir::fuse::unsupportedImplicitGemmConvTranspose(ConvTransposeOp conv,
                                                 StringRef impl,
                                                 StringRef precision) {
  auto input = dyn_cast<RankedTensorType>(conv.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(conv.getWeight().getType());
  auto result = dyn_cast<RankedTensorType>(conv.getType());
  if (!input || !weight || !result || !input.hasStaticShape() ||
      !weight.hasStaticShape() || !result.hasStaticShape())
    return std::string("dynamic shapes");
  if (input.getRank() != 4)
    return std::string("not a 2-D conv_transpose");
  if (conv.getGroups() != 1)
    return std::string("grouped conv_transpose (the generic path computes "
                       "it)");
  return unsupportedImplicitGemmElements(input.getElementType(), impl,
                                         precision);
}

std::optional<GemmPlan> mlir::fuse::gemm::matchGemmBody(GemmPlan plan,
                                                        std::string *declined) {
  scf::ForallOp forall = plan.forall;
  if (GemmMatcher(forall).matchBody(plan))
    return plan;
  if (declined)
    *declined = plan.declined;
  return std::nullopt;
}

void mlir::fuse::gemm::recordGenericReason(scf::ForallOp forall, StringRef pass,
                                           StringRef reason) {
  if (!forall->hasAttr("fuse.generic_reason"))
    forall->setAttr("fuse.generic_reason",
                    StringAttr::get(forall.getContext(), pass + ": " + reason));
}

gpu::LaunchOp mlir::fuse::gemm::buildTileLaunch(OpBuilder &b, GemmPlan &plan,
                                                IRMapping &mapping,
                                                int64_t threads,
                                                int64_t sharedBytes) {
  scf::ForallOp forall = plan.forall;
  Location loc = forall.getLoc();
  b.setInsertionPoint(forall);
  // Grid: one block per forall iteration, each forall dim on the block dim
  // of its mapping.
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value grid[3] = {one, one, one};
  SmallVector<OpFoldResult> lbs = forall.getMixedLowerBound();
  SmallVector<OpFoldResult> ubs = forall.getMixedUpperBound();
  SmallVector<OpFoldResult> steps = forall.getMixedStep();
  SmallVector<unsigned> blockDim;
  for (auto [i, attr] : llvm::enumerate(*forall.getMapping())) {
    unsigned d = static_cast<unsigned>(
        cast<gpu::GPUBlockMappingAttr>(attr).getBlock());
    Value lb = getValueOrCreateConstantIndexOp(b, loc, lbs[i]);
    Value ub = getValueOrCreateConstantIndexOp(b, loc, ubs[i]);
    Value step = getValueOrCreateConstantIndexOp(b, loc, steps[i]);
    grid[d] = arith::CeilDivUIOp::create(
        b, loc, arith::SubIOp::create(b, loc, ub, lb), step);
    blockDim.push_back(d);
  }
  Value smemBytes = arith::ConstantIntOp::create(b, loc, sharedBytes, 32);
  Value blockSize = arith::ConstantIndexOp::create(b, loc, threads);
  auto launch = gpu::LaunchOp::create(b, loc, grid[0], grid[1], grid[2],
                                      blockSize, one, one, smemBytes);
  if (Attribute kernel = forall->getAttr("fuse.kernel"))
    launch->setAttr("fuse.kernel", kernel);
  launch->setAttr("fuse.tile", forall->getAttr("fuse.tile"));
  // The kernel implements the tile's choice (mma_sync, wgmma, fma_gemm or
  // depthwise).
  if (auto tile = forall->getAttrOfType<fuse::TileAttr>("fuse.tile"))
    launch->setAttr("fuse.kernel_impl",
                    b.getStringAttr(tile.getImplementation()));
  if (Attribute precision = forall->getAttr("fuse.precision"))
    launch->setAttr("fuse.precision", precision);
  Block &body = launch.getBody().front();
  b.setInsertionPointToStart(&body);
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&body);

  // The forall ivs: lb + block id * step.
  gpu::KernelDim3 blockIds = launch.getBlockIds();
  Value ids[3] = {blockIds.x, blockIds.y, blockIds.z};
  for (auto [i, iv] : llvm::enumerate(forall.getInductionVars())) {
    Value lb = getValueOrCreateConstantIndexOp(b, loc, lbs[i]);
    Value step = getValueOrCreateConstantIndexOp(b, loc, steps[i]);
    mapping.map(iv, arith::AddIOp::create(
                        b, loc, lb,
                        arith::MulIOp::create(b, loc, ids[blockDim[i]], step)));
  }
  // The index computations and views of the body (subviews of the operands
  // at the tile's offsets, tile sizes), in terms of those ivs.
  Region &region = forall.getRegion();
  for (Operation &op : forall.getBody()->without_terminator()) {
    if (isa<linalg::LinalgOp, memref::CopyOp, memref::AllocOp,
            memref::DeallocOp, scf::IfOp>(op))
      continue;
    bool available = llvm::all_of(op.getOperands(), [&](Value v) {
      return !isDefinedIn(v, region) || mapping.contains(v);
    });
    if (available)
      b.clone(op, mapping);
  }

  return launch;
}

SmallVector<Value> mlir::fuse::gemm::indicesFor(OpBuilder &b, Location loc,
                                                AffineMap map,
                                                ArrayRef<Value> loops) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(expr))
      indices.push_back(loops[d.getPosition()]);
    else
      indices.push_back(arith::ConstantIndexOp::create(
          b, loc, cast<AffineConstantExpr>(expr).getValue()));
  }
  return indices;
}

Value mlir::fuse::gemm::emitEpilogueValue(OpBuilder &b, Location loc,
                                         GemmPlan &plan,
                                         const IRMapping &mapping, Value acc,
                                         ArrayRef<Value> loops,
                                         Value zeroIdx) {
  if (plan.initCopy) {
    // The accumulator's initial value (a conv's bias), added to the sum:
    // the init copy's input at the element, or the value it broadcasts.
    Value init;
    if (plan.initCopy.getNumDpsInputs() == 0) {
      init = mapping.lookupOrDefault(
          plan.initCopy.getBody()->getTerminator()->getOperand(0));
    } else {
      OpOperand *input = plan.initCopy.getDpsInputOperand(0);
      SmallVector<Value> indices = indicesFor(
          b, loc, plan.initCopy.getMatchingIndexingMap(input), loops);
      init = memref::LoadOp::create(
          b, loc, mapping.lookupOrDefault(input->get()), indices);
    }
    if (init.getType() != acc.getType())
      init = arith::ExtFOp::create(b, loc, acc.getType(), init);
    acc = arith::AddFOp::create(b, loc, acc, init);
  }
  // The contraction's element type (e.g. f16 for an f16 matmul): the f32
  // accumulator is rounded to it, as the contraction's result is.
  Type accType =
      cast<MemRefType>(plan.contraction.getDpsInitOperand(0)->get().getType())
          .getElementType();
  Value value = acc;
  if (accType != value.getType())
    value = arith::TruncFOp::create(b, loc, accType, value);
  Value current = plan.contraction.getDpsInitOperand(0)->get();
  for (const EpilogueStep &step : plan.epilogue) {
    if (auto copy = dyn_cast<memref::CopyOp>(step.op)) {
      current = copy.getTarget();
      continue;
    }
    auto generic = cast<linalg::GenericOp>(step.op);
    // The generic's loop values: its loop l is contraction loop
    // step.loopToContraction[l] (a unit loop, index 0, where that is ~0u).
    SmallVector<Value> genericLoops;
    for (unsigned l : step.loopToContraction)
      genericLoops.push_back(l == ~0u ? zeroIdx : loops[l]);
    IRMapping payload;
    for (OpOperand &operand : generic->getOpOperands()) {
      BlockArgument arg = generic.getMatchingBlockArgument(&operand);
      if (operand.get() == current) {
        payload.map(arg, value);
        continue;
      }
      if (arg.use_empty())
        continue;
      // Bias, residual, scale...: loaded at the element's index (the
      // operand in the kernel is the body's subview, offset by the tile).
      Value memref = mapping.lookupOrDefault(operand.get());
      SmallVector<Value> indices =
          indicesFor(b, loc, generic.getMatchingIndexingMap(&operand),
                     genericLoops);
      payload.map(arg, memref::LoadOp::create(b, loc, memref, indices));
    }
    for (Operation &op : generic.getBody()->without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(op)) {
        payload.map(index.getResult(), genericLoops[index.getDim()]);
        continue;
      }
      Operation *clone = b.clone(op, payload);
      // Values from the forall body used in the payload.
      for (OpOperand &use : clone->getOpOperands())
        use.set(mapping.lookupOrDefault(use.get()));
    }
    auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
    value = payload.lookupOrDefault(yield.getOperand(0));
    current = generic.getDpsInitOperand(0)->get();
  }
  return value;
}

SmallVector<Value>
mlir::fuse::gemm::epilogueOutIndices(GemmPlan &plan,
                                     ArrayRef<Value> loops, Value zeroIdx) {
  SmallVector<Value> indices;
  for (unsigned d : plan.outDims)
    indices.push_back(d == ~0u ? zeroIdx : loops[d]);
  return indices;
}

LogicalResult mlir::fuse::gemm::emitEpilogueElement(
    OpBuilder &b, Location loc, GemmPlan &plan, const IRMapping &mapping,
    Value acc, Value row, Value col) {
  Value zeroIdx = arith::ConstantIndexOp::create(b, loc, 0);
  SmallVector<Value> loops(plan.contraction.getNumLoops(), zeroIdx);
  loops[plan.dimM] = row; // The batch index is 0.
  loops[plan.dimN] = col;
  Value value = emitEpilogueValue(b, loc, plan, mapping, acc, loops, zeroIdx);
  memref::StoreOp::create(b, loc, value,
                          mapping.lookupOrDefault(plan.finalOut),
                          epilogueOutIndices(plan, loops, zeroIdx));
  return success();
}
