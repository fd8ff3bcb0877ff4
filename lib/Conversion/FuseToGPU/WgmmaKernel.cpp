//===- WgmmaKernel.cpp - Warpgroup GEMM kernels (wgmma, sm_90a) -----------===//
//
// The `wgmma` implementation of `fuse-gpu-gemm`: a block-mapped scf.forall
// tuned as #fuse.tile<"wgmma", {BM, BN, BK, stages, warpgroups[, tma]}>
// whose body the GEMM analysis (GemmPlan.h) matches becomes one gpu.launch:
//
//   block = a BM x BN tile of the output, 128 x warpgroups threads;
//   warpgroup w (threads 128 w .. 128 w + 127) owns the rows
//   [w * BM / warpgroups, +BM / warpgroups) and every column: per K slice
//   of the instruction (16 for f16/bf16, 8 for tf32) it issues one
//   wgmma.mma_async m64nBNk16 per 64 of its rows, A and B read from shared
//   memory through matrix descriptors, into f32 accumulators in registers
//   (BN / 2 per thread and 64-row tile);
//   K loop in BK steps; the A and B tiles of `stages` K steps live in
//   dynamic shared memory, filled by cp.async (16-byte chunks, zero-filled
//   outside the operand) with stages - 1 steps in flight (one cp.async
//   group per step). A step: cp.async.wait_group stages - 2, then
//   fence.proxy.async (the copies were written through the generic proxy,
//   wgmma reads through the async proxy), bar.sync; wgmma.fence, the MMAs
//   of the step, wgmma.commit_group; the copies of step + stages - 1 into
//   the stage the previous step read (its MMAs are complete: every
//   warpgroup waited for them before the barrier); wgmma.wait_group 0;
//   the epilogue (the payloads of the elementwise generics after the
//   contraction) runs on each accumulator element in registers, then one
//   guarded store, as in the mma_sync kernel.
//
// Shared memory layout. The byte offsets are taken from a base rounded up
// to 1024 bytes (the repeat of the 128-byte swizzle; the launch asks for
// 1024 bytes more), so the XOR pattern the copies write is the one the
// hardware applies to absolute shared addresses. Each operand tile has
// `rows` x `cols` elements with `cols` along its contiguous (global)
// dimension; it is stored as cols / W column blocks of W elements,
//   element (r, c) -> block c / W, row r, position c % W,
// with W * elemBytes = min(128, cols * elemBytes) bytes per row (the
// swizzle width: 128, 64 or 32 bytes), block after block ([cols/W][rows][W]).
// Within a row, 16-byte chunk j (of CW = W * elemBytes / 16) is stored at
// chunk position j ^ ((r / (8 / CW)) % CW): the 128B/64B/32B swizzle of the
// PTX ISA (address bits [4, 4 + log2 CW) XOR bits [7, 7 + log2 CW)) for rows
// of W * elemBytes bytes starting at a multiple of the pattern's repeat.
//
// Matrix descriptors (PTX ISA, "Matrix Descriptor Format"): start address
// >> 4 in bits 0-13, leading byte offset (LBO) >> 4 in 16-29, stride byte
// offset (SBO) >> 4 in 32-45, base offset 0, swizzle mode in 62-63 (1 =
// 128B, 2 = 64B, 3 = 32B). For a K-major operand (A [m][k], B [n][k]) the
// instruction's 16 K elements (32 bytes) lie in one swizzle row: start =
// the row of its first M/N index in block k / W, plus (k % W) * elemBytes;
// SBO = 8 rows (8 W elemBytes bytes), LBO unused (1). For an M/N-major
// operand (A [k][m], B [k][n]; f16/bf16 only, imm-trans = 1): start = row
// k of the block of its first M/N index; LBO = the stride between column
// blocks (rows * W * elemBytes), SBO = 8 rows.
//
// Accumulators (m64nNk16/k8 f32 D fragment): register i of thread t of a
// warpgroup is element (16 (t / 32) + (t % 32) / 4 + 8 ((i / 2) % 2),
// 8 (i / 4) + 2 (t % 4) + i % 2) of the 64 x N tile.
//
// TMA (tile param tma = 1). An operand that is a row-major view of a
// buffer from outside the tile loop (subviews with unit strides, no rank
// reduction, spanning the buffer's K dim, so a box never reads K past the
// operand), static shape, no conversion, whose swizzle rows are 128 bytes,
// is copied by cp.async.bulk.tensor instead of cp.async: a tensor map of
// the buffer is made on the host before the launch
// (nvgpu.tma.create.descriptor, swizzle_128b: the hardware places box row
// r's 16-byte chunk j at j ^ (r % 8) of 1024-byte aligned destinations,
// the layout the descriptors read; zero fill outside the buffer), and
// reaches the kernel as a pointer to the 128-byte CUtensorMap in device
// memory (fuse-gpu-name-kernels casts it; a pointer rather than a .param
// CUtensorMap because the nvgpu/NVVM lowering addresses the map
// generically and the bundle's parameters stay scalars). One box per
// column block of a stage: rows x W elements, 1 along the other (batch)
// dims, at the operand's origin in the buffer (the sum of its views'
// offsets) plus the stage's K offset, coordinates innermost first. One
// mbarrier per stage, initialized by thread 0 with one arrival; thread 0
// issues, for a K step below numK, arrive.expect_tx (the bytes of the
// step's boxes) and the boxes; a step waits with try_wait.parity on its
// stage's mbarrier, parity (kt / stages) % 2, before the fence and barrier
// (which still order the refill after the MMAs of the stage it reuses).
// Nothing is issued past the last K step, so nothing is in flight at exit.
// Other operands keep cp.async (decided per operand; the launch's
// fuse.wgmma_loads attribute says which and why).
//
// Element types: f16 and bf16 are copied by cp.async; f32 data at
// fuse.precision "fp16"/"bf16" is converted while staging (register load,
// cvt, st.shared, as mma_sync does); f32 at "tf32" is copied as is and
// multiplied by m64nNk8 tf32 when A and B are both K-contiguous (wgmma has
// no transpose for 32-bit types; other tf32 foralls are left to the generic
// path).
//
//===----------------------------------------------------------------------===//

#include "GemmPlan.h"

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::fuse::gemm;

namespace {

/// The instruction's M (one wgmma covers 64 rows of A).
constexpr int64_t kWgmmaM = 64;
/// The repeat of the widest swizzle pattern: 8 rows of 128 bytes.
constexpr int64_t kSwizzleRepeat = 1024;
/// The suspend-time hint of mbarrier.try_wait.parity (ns); the wait loops.
constexpr int64_t kTryWaitTicks = 10000000;

/// How one operand tile lives in shared memory (see the file comment).
struct SharedTile {
  const OperandPlan *op = nullptr;
  bool kMajor = false;     // The contiguous dim is K.
  int64_t width = 0;       // W: elements of a swizzle row.
  int64_t rowChunks = 0;   // CW: 16-byte chunks of a swizzle row.
  int64_t stageBytes = 0;  // One K step of the tile.
  int64_t offset = 0;      // Stage 0, from the aligned base.
  Value view;              // memref<stages x blocks x rows x W x type>.
  /// TMA: the tensor map (a host value, a kernel argument once outlined),
  /// the box (the operand's rank: rows, W, 1 elsewhere) and the view of
  /// the stages as boxes, memref<stages x blocks x box x type>.
  Value tensorMap;
  SmallVector<int64_t> box;
  Value boxView;
  /// Why the operand is copied by cp.async (empty: TMA).
  std::string cpAsyncReason = "the tile config asks for cp.async";
  bool tma() const { return static_cast<bool>(tensorMap); }

  int64_t rowBytes(int64_t elemBytes) const { return width * elemBytes; }
  /// The descriptor's swizzle mode: 1 = 128B, 2 = 64B, 3 = 32B.
  int64_t swizzleMode(int64_t elemBytes) const {
    switch (rowBytes(elemBytes)) {
    case 128:
      return 1;
    case 64:
      return 2;
    default:
      return 3;
    }
  }
};

class WgmmaEmitter : IndexMath {
public:
  WgmmaEmitter(GemmPlan &plan, OpBuilder &b)
      : IndexMath(b, UnknownLoc::get(b.getContext())), plan(plan) {}

  LogicalResult emit();

private:
  Value cst64(int64_t v) {
    return arith::ConstantIntOp::create(b, loc, v, 64).getResult();
  }

  SharedTile layout(const OperandPlan &op, int64_t offset);
  Value extentOf(unsigned dim);
  /// Issues the copies of K step `kt` of `tile` into stage `stage`.
  void stageOperand(const SharedTile &tile, Value kt, Value stage,
                    SmallVectorImpl<Value> &tokens);
  /// The descriptor bits other than the start address.
  int64_t descriptorHigh(const SharedTile &tile);
  /// The byte offset, in its stage, of the 64-row (A) / BN-row (B) matrix
  /// of the K slice at `k` whose first M/N index is `mn` (`mn` dynamic:
  /// a multiple of 64 for A, 0 for B).
  Value matrixOffset(const SharedTile &tile, Value mn, int64_t k);
  Value wgmma(Value acc, Value descA, Value descB);
  /// Why `tile`'s operand cannot be loaded by TMA; empty when it can.
  std::string tmaBlocker(const SharedTile &tile);
  /// The tensor map of `tile`'s operand root, created on the host (before
  /// the launch, at the builder's insertion point).
  void createTensorMap(SharedTile &tile);
  /// One thread: arrive.expect_tx on the stage's mbarrier and the TMA
  /// copies of K step `kt` (skipped past the last K step).
  void issueTma(Value kt, Value stage);
  void issueTmaOperand(const SharedTile &tile, Value kt, Value stage);
  bool anyCpAsync() const { return !tileA.tma() || !tileB.tma(); }

  GemmPlan &plan;
  IRMapping mapping;
  Value tid, zeroIdx;
  Value extentM, extentN, extentK;
  SharedTile tileA, tileB;
  int64_t threads = 0;
  Value barriers, numK;
  int64_t txBytes = 0; // Bytes the TMA copies of one K step write.
};

SharedTile WgmmaEmitter::layout(const OperandPlan &op, int64_t offset) {
  SharedTile tile;
  tile.op = &op;
  tile.kMajor = op.colDim == plan.dimK;
  tile.width = std::min<int64_t>(op.cols, 128 / plan.elemBytes);
  tile.rowChunks = tile.width / plan.chunkElems;
  tile.stageBytes = op.rows * op.cols * plan.elemBytes;
  tile.offset = offset;
  return tile;
}

Value WgmmaEmitter::extentOf(unsigned dim) {
  for (const OperandPlan *op : {&plan.a, &plan.b})
    if (std::optional<unsigned> pos = resultOf(op->map, dim)) {
      Value memref = mapping.lookupOrDefault(op->memref);
      return memref::DimOp::create(b, loc, memref, *pos);
    }
  llvm_unreachable("every contraction dim indexes A or B");
}

void WgmmaEmitter::stageOperand(const SharedTile &tile, Value kt, Value stage,
                                SmallVectorImpl<Value> &tokens) {
  const OperandPlan &op = *tile.op;
  Value memref = mapping.lookupOrDefault(op.memref);
  int64_t chunkElems = plan.chunkElems;
  int64_t chunksPerRow = op.cols / chunkElems;
  int64_t chunks = op.rows * chunksPerRow;
  Value kBase = mul(kt, cst(plan.bk));
  Value rowBase = op.rowDim == plan.dimK ? kBase : zeroIdx;
  Value colBase = op.colDim == plan.dimK ? kBase : zeroIdx;
  auto extent = [&](unsigned dim) {
    return dim == plan.dimK ? extentK : (dim == plan.dimM ? extentM : extentN);
  };
  Value rowExtent = extent(op.rowDim), colExtent = extent(op.colDim);
  unsigned numLoops = plan.contraction.getNumLoops();
  // Thread t copies chunks t, t + T, ... of the row-major chunk grid
  // (row = i / C, chunk = i % C): consecutive threads read consecutive 16
  // bytes of a global row.
  for (int64_t first = 0; first < chunks; first += threads) {
    OpBuilder::InsertionGuard guard(b);
    Value i = add(tid, cst(first));
    if (first + threads > chunks) {
      auto ifOp = scf::IfOp::create(b, loc, ult(i, cst(chunks)),
                                    /*withElseRegion=*/false);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    }
    Value row = div(i, chunksPerRow);
    Value chunk = rem(i, chunksPerRow);
    Value r = add(rowBase, row);
    Value c = add(colBase, mul(chunk, cst(chunkElems)));
    // The contiguous extent is a multiple of a chunk (checked by the
    // analysis): a chunk is entirely inside or outside the operand.
    Value inBounds = andi(ult(r, rowExtent), ult(c, colExtent));
    Value rSafe = arith::SelectOp::create(b, loc, inBounds, r, zeroIdx);
    Value cSafe = arith::SelectOp::create(b, loc, inBounds, c, zeroIdx);
    SmallVector<Value> loops(numLoops, zeroIdx); // The batch index is 0.
    loops[op.rowDim] = rSafe;
    loops[op.colDim] = cSafe;
    SmallVector<Value> src = indicesFor(b, loc, op.map, loops);
    // Block chunk / CW, row `row`, swizzled chunk position.
    Value inRow = rem(chunk, tile.rowChunks);
    Value key = rem(div(row, std::max<int64_t>(1, 8 / tile.rowChunks)),
                    tile.rowChunks);
    Value pos = mul(arith::XOrIOp::create(b, loc, inRow, key),
                    cst(chunkElems));
    SmallVector<Value> dst = {stage, div(chunk, tile.rowChunks), row, pos};
    if (!op.convert) {
      Value srcElements = arith::SelectOp::create(b, loc, inBounds,
                                                  cst(chunkElems), zeroIdx);
      auto copy = nvgpu::DeviceAsyncCopyOp::create(
          b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tile.view,
          dst, memref, src, b.getIndexAttr(chunkElems), srcElements,
          /*bypassL1=*/b.getUnitAttr());
      if (first + threads <= chunks)
        tokens.push_back(copy.getAsyncToken());
      continue;
    }
    // f32 data on the fp16/bf16 tensor cores: a synchronous register load
    // (16-byte aligned, as the analysis checked), cvt, st.shared. The stage
    // is not read before the fence and barrier of the step that uses it.
    auto f32x8 = VectorType::get({8}, b.getF32Type());
    auto load = scf::IfOp::create(
        b, loc, inBounds,
        [&](OpBuilder &then, Location l) {
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
    vector::StoreOp::create(b, loc, narrow, tile.view, dst,
                            /*nontemporal=*/false, llvm::MaybeAlign(16));
  }
}

int64_t WgmmaEmitter::descriptorHigh(const SharedTile &tile) {
  int64_t rowBytes = tile.rowBytes(plan.elemBytes);
  int64_t sbo = 8 * rowBytes;
  // K-major: LBO is not used with a swizzle (1 by convention); M/N-major:
  // the stride between column blocks.
  int64_t lbo = tile.kMajor ? 16 : tile.op->rows * rowBytes;
  return ((lbo >> 4) << 16) | ((sbo >> 4) << 32) |
         (tile.swizzleMode(plan.elemBytes) << 62);
}

Value WgmmaEmitter::matrixOffset(const SharedTile &tile, Value mn,
                                 int64_t k) {
  int64_t rowBytes = tile.rowBytes(plan.elemBytes);
  int64_t rows = tile.op->rows;
  if (tile.kMajor) {
    // Row mn of block k / W, plus the K offset inside the row.
    int64_t fixed =
        (k / tile.width) * rows * rowBytes + (k % tile.width) * plan.elemBytes;
    return add(mul(mn, cst(rowBytes)), cst(fixed));
  }
  // Row k of block mn / W.
  return add(mul(div(mn, tile.width), cst(rows * rowBytes)),
             cst(k * rowBytes));
}

std::string WgmmaEmitter::tmaBlocker(const SharedTile &tile) {
  const OperandPlan &op = *tile.op;
  if (op.convert)
    return "converted from f32 while staging (TMA copies bytes)";
  if (op.gather)
    return "gathered element by element";
  if (tile.rowBytes(plan.elemBytes) != 128)
    return "its shared rows are " +
           std::to_string(tile.rowBytes(plan.elemBytes)) +
           " bytes (TMA boxes here use the 128-byte swizzle)";
  if (op.rows > 256)
    return "its tile has " + std::to_string(op.rows) +
           " rows (a TMA box has at most 256)";
  Value root = rootOf(op.memref);
  if (isDefinedIn(root, plan.forall.getRegion()))
    return "its buffer is computed inside the tile loop";
  for (Value v = op.memref; v != root;) {
    auto subview = v.getDefiningOp<memref::SubViewOp>();
    if (!llvm::all_of(subview.getStaticStrides(),
                      [](int64_t s) { return s == 1; }) ||
        subview.getSourceType().getRank() != subview.getType().getRank())
      return "it is a strided or rank-reducing view";
    v = subview.getSource();
  }
  auto type = cast<MemRefType>(root.getType());
  if (!type.hasStaticShape())
    return "its buffer has a dynamic shape";
  // A box reads the root past the tile's M/N extent (rows the guarded
  // stores drop) but must not read K elements past the operand's: the
  // operand spans the root's whole K dim.
  unsigned kPos = *resultOf(op.map, plan.dimK);
  auto opType = cast<MemRefType>(op.memref.getType());
  if (opType.isDynamicDim(kPos) ||
      opType.getDimSize(kPos) != type.getDimSize(kPos))
    return "it is a view of part of its buffer's K dim";
  if (type.getRank() > 5)
    return "its buffer has more than 5 dims";
  if (type.getElementType() != plan.mmaType)
    return "its element type is not the MMA type";
  // (matchGemmBody checked: static strides and offset, 16-byte aligned,
  // the last dim contiguous.)
  return "";
}

void WgmmaEmitter::createTensorMap(SharedTile &tile) {
  const OperandPlan &op = *tile.op;
  MLIRContext *ctx = b.getContext();
  Value root = rootOf(op.memref);
  auto type = cast<MemRefType>(root.getType());
  unsigned rowPos = *resultOf(op.map, op.rowDim);
  unsigned colPos = *resultOf(op.map, op.colDim);
  tile.box.assign(type.getRank(), 1);
  tile.box[rowPos] = op.rows;
  tile.box[colPos] = tile.width;
  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto boxType = MemRefType::get(tile.box, plan.mmaType,
                                 MemRefLayoutAttrInterface(), workgroup);
  auto mapType = nvgpu::TensorMapDescriptorType::get(
      ctx, boxType, nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
      nvgpu::TensorMapL2PromoKind::L2PROMO_128B,
      nvgpu::TensorMapOOBKind::OOB_ZERO,
      nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
  Value unranked = memref::CastOp::create(
      b, loc,
      UnrankedMemRefType::get(type.getElementType(), type.getMemorySpace()),
      root);
  SmallVector<Value> boxDims;
  for (int64_t d : tile.box)
    boxDims.push_back(cst(d));
  tile.tensorMap =
      nvgpu::TmaCreateDescriptorOp::create(b, loc, mapType, unranked, boxDims);
}

void WgmmaEmitter::issueTmaOperand(const SharedTile &tile, Value kt,
                                   Value stage) {
  const OperandPlan &op = *tile.op;
  // The operand's origin in its root: the offsets of the (cloned) views.
  Value root = rootOf(op.memref);
  int64_t rank = tile.box.size();
  SmallVector<Value> origin(rank, zeroIdx);
  for (Value v = mapping.lookupOrDefault(op.memref); v != root;) {
    auto subview = v.getDefiningOp<memref::SubViewOp>();
    for (auto [i, offset] : llvm::enumerate(subview.getMixedOffsets()))
      origin[i] =
          add(origin[i], getValueOrCreateConstantIndexOp(b, loc, offset));
    v = subview.getSource();
  }
  Value kBase = mul(kt, cst(plan.bk));
  unsigned numLoops = plan.contraction.getNumLoops();
  int64_t blocks = op.cols / tile.width;
  for (int64_t blk = 0; blk < blocks; ++blk) {
    SmallVector<Value> loops(numLoops, zeroIdx); // The batch index is 0.
    loops[op.rowDim] = op.rowDim == plan.dimK ? kBase : zeroIdx;
    Value colBase = op.colDim == plan.dimK ? kBase : zeroIdx;
    loops[op.colDim] = add(colBase, cst(blk * tile.width));
    SmallVector<Value> index = indicesFor(b, loc, op.map, loops);
    // TMA coordinates: innermost dim first.
    SmallVector<Value> coords;
    for (int64_t d = rank - 1; d >= 0; --d)
      coords.push_back(add(origin[d], index[d]));
    auto viewType = cast<MemRefType>(tile.boxView.getType());
    SmallVector<OpFoldResult> offsets = {stage, b.getIndexAttr(blk)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(1)};
    for (int64_t d : tile.box) {
      offsets.push_back(b.getIndexAttr(0));
      sizes.push_back(b.getIndexAttr(d));
    }
    SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
    MemRefType dstType = memref::SubViewOp::inferRankReducedResultType(
        tile.box, viewType, offsets, sizes, strides);
    Value dst = memref::SubViewOp::create(b, loc, dstType, tile.boxView,
                                          offsets, sizes, strides);
    nvgpu::TmaAsyncLoadOp::create(b, loc, dst, barriers, tile.tensorMap, coords,
                                  stage, /*multicastMask=*/Value(),
                                  /*predicate=*/Value());
  }
}

void WgmmaEmitter::issueTma(Value kt, Value stage) {
  if (!txBytes)
    return;
  OpBuilder::InsertionGuard guard(b);
  Value elected =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tid, zeroIdx);
  auto ifOp = scf::IfOp::create(b, loc, andi(elected, ult(kt, numK)),
                                /*withElseRegion=*/false);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  nvgpu::MBarrierArriveExpectTxOp::create(b, loc, barriers, cst(txBytes), stage,
                                          /*predicate=*/Value());
  for (const SharedTile *tile : {&tileA, &tileB})
    if (tile->tma())
      issueTmaOperand(*tile, kt, stage);
}

Value WgmmaEmitter::wgmma(Value acc, Value descA, Value descB) {
  MLIRContext *ctx = b.getContext();
  NVVM::WGMMATypes type = plan.tf32 ? NVVM::WGMMATypes::tf32
                          : plan.mmaType.isBF16() ? NVVM::WGMMATypes::bf16
                                                  : NVVM::WGMMATypes::f16;
  // A: row = K-major (imm-trans-a 0), col = M-major; B: col = K-major
  // (imm-trans-b 0), row = N-major.
  NVVM::MMALayout layoutA =
      tileA.kMajor ? NVVM::MMALayout::row : NVVM::MMALayout::col;
  NVVM::MMALayout layoutB =
      tileB.kMajor ? NVVM::MMALayout::col : NVVM::MMALayout::row;
  return NVVM::WgmmaMmaAsyncOp::create(
      b, loc, acc.getType(), acc, descA, descB,
      NVVM::MMAShapeAttr::get(ctx, kWgmmaM, plan.bn, plan.kStep), type, type,
      NVVM::WGMMATypes::f32, NVVM::WGMMAScaleOut::one,
      NVVM::WGMMAScaleIn::one, NVVM::WGMMAScaleIn::one, layoutA, layoutB,
      /*satfinite=*/nullptr);
}

LogicalResult WgmmaEmitter::emit() {
  scf::ForallOp forall = plan.forall;
  loc = forall.getLoc();
  MLIRContext *ctx = b.getContext();
  int64_t warpgroups = plan.warps / 4;
  threads = 128 * warpgroups;
  tileA = layout(plan.a, 0);
  tileB = layout(plan.b, plan.stages * tileA.stageBytes);
  int64_t bytes = plan.stages * (tileA.stageBytes + tileB.stageBytes);
  // TMA where the tile config asks for it and the operand allows it: the
  // tensor maps are made on the host, before the launch.
  for (SharedTile *tile : {&tileA, &tileB}) {
    if (!plan.tma)
      continue;
    tile->cpAsyncReason = tmaBlocker(*tile);
    if (tile->cpAsyncReason.empty()) {
      createTensorMap(*tile);
      txBytes += tile->stageBytes;
    }
  }
  gpu::LaunchOp launch = buildTileLaunch(b, plan, mapping, threads,
                                         bytes + kSwizzleRepeat);
  // How each operand is loaded, and why not by TMA.
  auto how = [&](const SharedTile &tile) -> Attribute {
    return b.getStringAttr(tile.tma() ? std::string("tma")
                                      : "cp.async: " + tile.cpAsyncReason);
  };
  launch->setAttr("fuse.wgmma_loads",
                  b.getDictionaryAttr({b.getNamedAttr("a", how(tileA)),
                                       b.getNamedAttr("b", how(tileB))}));
  Value one = cst(1);
  zeroIdx = cst(0);
  tid = launch.getThreadIds().x;

  // The aligned base: the dynamic shared memory's shared-window address
  // rounded up to kSwizzleRepeat.
  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  Value dynamicSmem = gpu::DynamicSharedMemoryOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface(), workgroup));
  Value address =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, dynamicSmem);
  Value pad = rem(arith::SubIOp::create(b, loc, cst(kSwizzleRepeat),
                                        rem(address, kSwizzleRepeat)),
                  kSwizzleRepeat);
  Value base = add(address, pad);
  for (SharedTile *tile : {&tileA, &tileB}) {
    const OperandPlan &op = *tile->op;
    auto type = MemRefType::get(
        {plan.stages, op.cols / tile->width, op.rows, tile->width},
        plan.mmaType, MemRefLayoutAttrInterface(), workgroup);
    tile->view = memref::ViewOp::create(b, loc, type, dynamicSmem,
                                        add(pad, cst(tile->offset)),
                                        ValueRange());
    if (!tile->tma())
      continue;
    // The same bytes as boxes: block blk of a stage is one TMA box (rows
    // x W, 1 along the other dims of the operand).
    SmallVector<int64_t> shape = {plan.stages, op.cols / tile->width};
    llvm::append_range(shape, tile->box);
    tile->boxView = memref::ViewOp::create(
        b, loc,
        MemRefType::get(shape, plan.mmaType, MemRefLayoutAttrInterface(),
                        workgroup),
        dynamicSmem, add(pad, cst(tile->offset)), ValueRange());
  }

  extentM = extentOf(plan.dimM);
  extentN = extentOf(plan.dimN);
  extentK = extentOf(plan.dimK);
  numK = arith::CeilDivUIOp::create(b, loc, extentK, cst(plan.bk));

  // One mbarrier per stage for the TMA copies: initialized by one thread
  // (one arrival: the elected thread's arrive.expect_tx), the init made
  // visible to the async proxy and to every thread before first use.
  if (txBytes) {
    barriers = nvgpu::MBarrierCreateOp::create(
        b, loc, nvgpu::MBarrierGroupType::get(ctx, workgroup, plan.stages));
    OpBuilder::InsertionGuard guard(b);
    auto ifOp = scf::IfOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, tid, zeroIdx),
        /*withElseRegion=*/false);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    for (int64_t s = 0; s < plan.stages; ++s)
      nvgpu::MBarrierInitOp::create(b, loc, barriers, one, cst(s),
                                    /*predicate=*/Value());
    NVVM::FenceMbarrierInitOp::create(b, loc);
  }
  if (txBytes)
    gpu::BarrierOp::create(b, loc);

  // Prologue: K steps 0 .. stages - 2 in flight, one group each (a step
  // past the last K tile is zero-filled and never read).
  // (The waits take the count; their token operand is the prologue's, not
  // loop-carried, as in the mma_sync kernel.)
  auto tokenType = nvgpu::DeviceAsyncTokenType::get(ctx);
  auto stageTiles = [&](Value kt, Value stage) -> Value {
    issueTma(kt, stage);
    if (!anyCpAsync())
      return Value();
    SmallVector<Value> tokens;
    for (const SharedTile *tile : {&tileA, &tileB})
      if (!tile->tma())
        stageOperand(*tile, kt, stage, tokens);
    return nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType, tokens);
  };
  Value token;
  for (int64_t s = 0; s + 1 < plan.stages; ++s)
    token = stageTiles(cst(s), cst(s));

  // Warpgroup w's rows start at wgRow0; its 64-row tiles at wgRow0 + 64 mt.
  int64_t wgRows = plan.bm / warpgroups;
  int64_t tilesM = wgRows / kWgmmaM;
  Value warpgroup = div(tid, 128);
  Value wgRow0 = mul(warpgroup, cst(wgRows));

  // The accumulators: one struct of BN / 2 f32 per 64-row tile, the fill
  // value in every element.
  Type f32 = b.getF32Type();
  int64_t accRegs = plan.bn / 2;
  auto accType = LLVM::LLVMStructType::getLiteral(
      ctx, SmallVector<Type>(accRegs, f32));
  Value fillValue = plan.fill.getDpsInputOperand(0)->get();
  if (!fillValue.getType().isF32())
    fillValue = arith::ExtFOp::create(b, loc, f32, fillValue);
  Value accInit = LLVM::UndefOp::create(b, loc, accType);
  for (int64_t i = 0; i < accRegs; ++i)
    accInit = LLVM::InsertValueOp::create(b, loc, accInit, fillValue,
                                          ArrayRef<int64_t>{i});
  SmallVector<Value> inits(tilesM, accInit);

  auto toI64 = [&](Value v) {
    return arith::IndexCastUIOp::create(b, loc, b.getI64Type(), v)
        .getResult();
  };
  auto shr4 = [&](Value v) {
    return arith::ShRUIOp::create(b, loc, toI64(v), cst64(4)).getResult();
  };
  // Descriptor bits other than the start address, and the start address
  // (>> 4) of this warpgroup's first A matrix / of B at stage 0.
  Value highA = cst64(descriptorHigh(tileA));
  Value highB = cst64(descriptorHigh(tileB));

  auto loop = scf::ForOp::create(b, loc, zeroIdx, numK, one, inits);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kt = loop.getInductionVar();
    // Groups committed so far: stages - 1 + kt; with at most stages - 2
    // pending, group kt (this step's tiles) is complete. The fence makes
    // this thread's generic-proxy writes visible to the async proxy; the
    // barrier, every thread's (and ends the reads of step kt - 1, whose
    // MMAs every warpgroup waited for).
    // The TMA copies of step kt: the phase of its stage's mbarrier that
    // completes them is the stage's (kt / stages)-th, parity that mod 2.
    if (txBytes) {
      Value parity = arith::IndexCastOp::create(b, loc, b.getI1Type(),
                                                rem(div(kt, plan.stages), 2));
      nvgpu::MBarrierTryWaitParityOp::create(
          b, loc, barriers, parity, cst(kTryWaitTicks), rem(kt, plan.stages));
    }
    if (token)
      nvgpu::DeviceAsyncWaitOp::create(b, loc, token,
                                       b.getI32IntegerAttr(plan.stages - 2));
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKind::async_shared,
        NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
    gpu::BarrierOp::create(b, loc);
    Value stage = rem(kt, plan.stages);
    Value stageA = add(base, add(cst(tileA.offset),
                                 mul(stage, cst(tileA.stageBytes))));
    Value stageB = add(base, add(cst(tileB.offset),
                                 mul(stage, cst(tileB.stageBytes))));
    SmallVector<Value> accs(loop.getRegionIterArgs());
    NVVM::WgmmaFenceAlignedOp::create(b, loc);
    for (int64_t kk = 0; kk < plan.bk; kk += plan.kStep) {
      Value descB = arith::OrIOp::create(
          b, loc, highB, shr4(add(stageB, matrixOffset(tileB, zeroIdx, kk))));
      for (int64_t mt = 0; mt < tilesM; ++mt) {
        Value m0 = add(wgRow0, cst(mt * kWgmmaM));
        Value descA = arith::OrIOp::create(
            b, loc, highA, shr4(add(stageA, matrixOffset(tileA, m0, kk))));
        accs[mt] = wgmma(accs[mt], descA, descB);
      }
    }
    NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
    // Refill the stage of step kt - 1 with step kt + stages - 1 while the
    // MMAs run.
    Value next = add(kt, cst(plan.stages - 1));
    stageTiles(next, rem(next, plan.stages));
    NVVM::WgmmaWaitGroupSyncOp::create(b, loc, 0);
    scf::YieldOp::create(b, loc, accs);
  }
  // Drain the (zero-filled) cp.async copies still in flight before the
  // kernel ends (no TMA copy is issued past the last K step).
  if (token)
    nvgpu::DeviceAsyncWaitOp::create(b, loc, token, b.getI32IntegerAttr(0));

  // Epilogue: register i of 64-row tile mt is element (wgRow0 + 64 mt +
  // 16 (warp % 4) + g + 8 ((i / 2) % 2), 8 (i / 4) + 2 q + i % 2), g =
  // lane / 4, q = lane % 4.
  Value lane = rem(tid, 32);
  Value rowBase = add(wgRow0, add(mul(rem(div(tid, 32), 4), cst(16)),
                                  div(lane, 4)));
  Value colBase = mul(rem(lane, 4), cst(2));
  for (int64_t mt = 0; mt < tilesM; ++mt)
    for (int64_t i = 0; i < accRegs; ++i) {
      Value row = add(rowBase, cst(mt * kWgmmaM + 8 * ((i / 2) % 2)));
      Value col = add(colBase, cst(8 * (i / 4) + i % 2));
      Value element = LLVM::ExtractValueOp::create(b, loc, loop.getResult(mt),
                                                   ArrayRef<int64_t>{i});
      OpBuilder::InsertionGuard guard(b);
      auto ifOp = scf::IfOp::create(
          b, loc, andi(ult(row, extentM), ult(col, extentN)),
          /*withElseRegion=*/false);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      if (failed(emitEpilogueElement(b, loc, plan, mapping, element, row, col)))
        return failure();
    }
  return success();
}

/// Reads and checks the wgmma parameters: failure() after an error.
LogicalResult readParams(scf::ForallOp forall, fuse::TileAttr tile,
                         StringRef chip, GemmPlan &plan) {
  if (chip != "sm_90a")
    return forall.emitOpError("fuse-gpu-gemm: wgmma needs chip sm_90a "
                              "(wgmma.mma_async is an sm_90a instruction), "
                              "got '")
           << chip << "'";
  DictionaryAttr params = tile.getParams();
  auto get = [&](StringRef name, int64_t &value) -> LogicalResult {
    auto attr = params.getAs<IntegerAttr>(name);
    if (!attr)
      return forall.emitOpError("fuse-gpu-gemm: wgmma tile without ") << name;
    value = attr.getInt();
    if (value <= 0)
      return forall.emitOpError("fuse-gpu-gemm: wgmma ")
             << name << " must be positive, got " << value;
    return success();
  };
  int64_t warpgroups = 0;
  if (failed(get("BM", plan.bm)) || failed(get("BN", plan.bn)) ||
      failed(get("BK", plan.bk)) || failed(get("stages", plan.stages)) ||
      failed(get("warpgroups", warpgroups)))
    return failure();
  if (warpgroups > 8)
    return forall.emitOpError("fuse-gpu-gemm: wgmma warpgroups must be at "
                              "most 8 (1024 threads), got ")
           << warpgroups;
  plan.warps = 4 * warpgroups;
  if (Attribute tma = params.get("tma")) {
    auto value = dyn_cast<IntegerAttr>(tma);
    if (!value || (value.getInt() != 0 && value.getInt() != 1))
      return forall.emitOpError("fuse-gpu-gemm: wgmma tma must be 0 "
                                "(cp.async) or 1 (TMA where the operand "
                                "allows it), got ")
             << tma;
    plan.tma = value.getInt() == 1;
  }
  if (plan.stages < 2)
    return forall.emitOpError("fuse-gpu-gemm: wgmma needs at least 2 "
                              "pipeline stages, got ")
           << plan.stages;
  if (plan.bm % (kWgmmaM * warpgroups))
    return forall.emitOpError("fuse-gpu-gemm: wgmma BM=")
           << plan.bm << " is not a multiple of 64 x warpgroups ("
           << kWgmmaM * warpgroups << ")";
  // Power-of-two tiles keep the swizzle inside a row and the column blocks
  // whole; the instruction's N is BN (a multiple of 8 up to 256).
  if (!llvm::isPowerOf2_64(plan.bm))
    return forall.emitOpError("fuse-gpu-gemm: wgmma BM must be a power of "
                              "two, got ")
           << plan.bm;
  if (!llvm::isPowerOf2_64(plan.bn) || plan.bn < 16 || plan.bn > 256)
    return forall.emitOpError("fuse-gpu-gemm: wgmma BN must be a power of "
                              "two in [16, 256] (the instruction's N), got ")
           << plan.bn;
  if (!llvm::isPowerOf2_64(plan.bk) || plan.bk < 16)
    return forall.emitOpError("fuse-gpu-gemm: wgmma BK must be a power of "
                              "two of at least 16, got ")
           << plan.bk;
  // BN / 2 f32 accumulators per 64-row tile and thread.
  int64_t accRegs = plan.bm / warpgroups / kWgmmaM * plan.bn / 2;
  if (accRegs > 192)
    return forall.emitOpError("fuse-gpu-gemm: wgmma tile ")
           << plan.bm << "x" << plan.bn << " with " << warpgroups
           << " warpgroups needs " << accRegs
           << " accumulator registers per thread (at most 192)";
  return success();
}

} // namespace

FailureOr<bool> mlir::fuse::gemm::lowerWgmmaForall(scf::ForallOp forall,
                                                   StringRef chip) {
  auto tile = forall->getAttrOfType<fuse::TileAttr>("fuse.tile");
  if (!tile || tile.getImplementation() != "wgmma" ||
      !isBlockMapped(forall) || !forall.getOutputs().empty())
    return false;
  GemmPlan seed;
  seed.forall = forall;
  if (failed(readParams(forall, tile, chip, seed)))
    return failure();
  constexpr StringLiteral pass = "fuse-gpu-gemm (wgmma)";
  std::string declined;
  std::optional<GemmPlan> plan = matchGemmBody(seed, &declined);
  auto decline = [&](StringRef reason) {
    recordGenericReason(forall, pass, reason);
    return false;
  };
  if (!plan)
    return declined.empty() ? false : decline(declined);
  // Convolutions (implicit GEMM addressing, a bias init instead of a zero
  // fill) are the mma_sync kernel's; a wgmma choice for one is left to the
  // generic path.
  if (plan->conv)
    return decline("a conv (the implicit GEMM is the mma_sync kernel's)");
  if (!plan->fill)
    return decline("a bias-initialized accumulator (the mma_sync kernel's)");
  // Operands that are not whole 16-byte chunks are the mma_sync kernel's
  // (element-wise staging); TMA and cp.async cannot copy them.
  if (plan->a.unaligned || plan->b.unaligned)
    return decline("operand rows that are not whole aligned 16-byte chunks "
                   "(the mma_sync kernel's)");
  if (plan->tf32 &&
      (plan->a.colDim != plan->dimK || plan->b.colDim != plan->dimK))
    return decline("tf32 operands that are not k-contiguous (wgmma "
                   "transposes 16-bit operands only)");
  if (plan->bk % plan->kStep)
    return forall.emitOpError("fuse-gpu-gemm: wgmma BK=")
           << plan->bk << " is not a multiple of the instruction K ("
           << plan->kStep << ")";
  int64_t bytes = plan->stages * (plan->a.rows * plan->a.cols +
                                  plan->b.rows * plan->b.cols) *
                      plan->elemBytes +
                  kSwizzleRepeat;
  // sm_90's dynamic shared memory per block.
  constexpr int64_t kSharedLimit = 232448;
  if (bytes > kSharedLimit)
    return forall.emitOpError("fuse-gpu-gemm: wgmma tiles need ")
           << bytes << " bytes of shared memory (at most " << kSharedLimit
           << ")";
  OpBuilder builder(forall);
  WgmmaEmitter emitter(*plan, builder);
  if (failed(emitter.emit()))
    return forall.emitOpError("fuse-gpu-gemm: wgmma kernel emission failed");
  forall.erase();
  return true;
}
