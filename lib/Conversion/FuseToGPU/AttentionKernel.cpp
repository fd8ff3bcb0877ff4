//===- AttentionKernel.cpp - FlashAttention-2 kernels for attention groups
//-===//
//
// `fuse-gpu-attention`: every fuse.group tuned as
// #fuse.tile<"flash_attention", {BQ, BKV, warps, stages}> whose body is one
// fuse.attention (fuse-tile leaves it so) gets the attention replaced by one
// gpu.launch of a FlashAttention-2 style kernel, at tensor level:
//
//   %q' = bufferization.to_buffer %q read_only   (and K, V, the mask; a
//         Q/K/V produced in the group by views -- reshape, transpose, slice,
//         split, a bias add -- is read as the sum of static strided views,
//         memref.reinterpret_cast, of its sources' buffers, and a
//         transpose/reshape chain after the attention is folded into the
//         strides of the output's stores: planAttentionAddressing)
//   %o  = memref.alloc()
//   gpu.launch ... { the kernel } {fuse.kernel = "group_<N>"}
//   %r  = bufferization.to_tensor %o restrict writable
//
// The precision: the `precision` option when given, else the group's
// `fuse.precision` (fuse-tile records --precision there), else fp32.
//
// The kernel (fp32 math on the FMA pipes; f16/bf16 operands are extended on
// load and the output truncated on store; tensor cores: see buildBlockMma):
//  - block (x = query tile, y = leading index): BQ query rows of one
//    (batch, head); `warps` warps own BQ/warps rows each, a lane owns the
//    score columns lane + 32c of the K/V tile and the output columns
//    lane + 32c of its rows;
//  - the Q tile is staged in shared memory once; K/V tiles of BKV rows are
//    streamed through shared memory (two buffers when stages >= 2: tile t+1
//    is loaded while tile t is used, one barrier per tile less);
//  - per tile: S = Q.K^T (row stride of K in shared memory padded by 4 so
//    that the lanes' 16-byte reads hit distinct banks), S*scale + mask,
//    causal and out-of-range columns -inf; the running row max m
//    (arith.maximumf, warp shuffles), alpha = exp(m_old - m_new) rescales
//    the accumulator and the running sum, P = exp(S - m_new) goes through
//    shared memory to the warp's lanes and O += P.V;
//  - at the end one division by the row sum, stores guarded by the row
//    count. Causal blocks stop at the last K/V tile holding a visible key.
//
//===----------------------------------------------------------------------===//

#include "MmaFragments.h"

#include "Fuse/Conversion/Passes.h"
#include "Fuse/CostModel/TileConfigAttr.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <cmath>
#include <limits>

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEGPUATTENTION
#include "Fuse/Conversion/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse;

#include "Fuse/Conversion/FuseToGPU.h"

namespace {

constexpr int64_t kWarpSize = 32;
/// Padding (floats) of a K row in shared memory.
constexpr int64_t kKeyPad = 4;

/// The parameters one kernel is built with.
struct AttentionTile {
  int64_t bq, bkv, warps, buffers;
  /// f16 or bf16: both products on tensor cores (mma.sync m16n8k16, fp32
  /// accumulation; nvgpu for f16, nvvm for bf16); null: fp32 FMA.
  Type mmaType;
};

/// The static facts of one attention op.
struct AttentionShape {
  SmallVector<int64_t> lead; // leading dims of Q/K/V/O
  int64_t seqQ, seqKV, headDim, valueDim;
  /// The head dims the kernel computes with (padDims): headDim and valueDim
  /// rounded up to its units; the padding columns of Q, K and V are staged
  /// as zeros (they add nothing to Q.K^T) and the padding columns of O are
  /// not stored.
  int64_t headDimPadded = 0, valueDimPadded = 0;
  int64_t leadCount;
  bool causal;
  double scale;
  Type elementType;
};

/// The shape of `attention` as the kernel sees it.
AttentionShape attentionShapeOf(AttentionOp attention) {
  auto qType = cast<RankedTensorType>(attention.getQuery().getType());
  auto kType = cast<RankedTensorType>(attention.getKey().getType());
  auto vType = cast<RankedTensorType>(attention.getValue().getType());
  int64_t rank = qType.getRank();
  AttentionShape shape;
  shape.elementType = qType.getElementType();
  if (rank < 3)
    return shape;
  shape.lead.assign(qType.getShape().begin(), qType.getShape().end() - 2);
  shape.seqQ = qType.getDimSize(rank - 2);
  shape.seqKV = kType.getDimSize(rank - 2);
  shape.headDim = qType.getDimSize(rank - 1);
  shape.valueDim = vType.getDimSize(rank - 1);
  shape.leadCount = 1;
  for (int64_t dim : shape.lead)
    shape.leadCount *= dim;
  shape.causal = attention.getCausal();
  shape.scale = attention.getScaleAttr()
                    ? attention.getScaleAttr().getValueAsDouble()
                    : 1.0 / std::sqrt(double(shape.headDim));
  return shape;
}

/// Rounds the head dims up to what the kernel's loops take: on tensor cores
/// the 16-wide k-steps of Q.K^T and the 8-wide n-tiles of P.V; on the FMA
/// pipes the 4-wide vector reads of Q.K^T and a whole warp of output
/// columns.
void padDims(AttentionShape &shape, bool mma) {
  auto roundUp = [](int64_t x, int64_t unit) {
    return (x + unit - 1) / unit * unit;
  };
  shape.headDimPadded = roundUp(shape.headDim, mma ? 16 : 4);
  shape.valueDimPadded = roundUp(shape.valueDim, mma ? 8 : kWarpSize);
}

/// Why the kernel cannot take `shape`'s head dims on the tensor-core
/// (`mma`) or the FMA path, padded (padDims): the accumulators of a row
/// live in registers.
std::optional<std::string> unsupportedHeadDims(AttentionShape shape, bool mma) {
  padDims(shape, mma);
  int64_t valueLimit = mma ? 256 : 128;
  std::string text;
  llvm::raw_string_ostream os(text);
  if (shape.headDimPadded > 256)
    os << "head dim " << shape.headDim << " is not supported"
       << (mma ? " on tensor cores" : "") << " (at most 256 once padded to "
       << (mma ? 16 : 4) << ")";
  else if (shape.valueDimPadded > valueLimit)
    os << "value head dim " << shape.valueDim << " is not supported"
       << (mma ? " on tensor cores" : "") << " (at most " << valueLimit
       << " once padded to " << (mma ? 8 : kWarpSize) << ")";
  if (text.empty())
    return std::nullopt;
  return text;
}

/// The tensor-core operand type (null: fp32 FMA math): 16-bit operands,
/// or fp16/bf16 requested for f32 ones.
Type attentionMmaType(AttentionOp attention, StringRef precision) {
  Type element =
      cast<RankedTensorType>(attention.getQuery().getType()).getElementType();
  if (element.isF16() || element.isBF16())
    return element;
  if (precision == "fp16")
    return Float16Type::get(attention.getContext());
  if (precision == "bf16")
    return BFloat16Type::get(attention.getContext());
  return {};
}


/// Shared memory of a block, in elements: Q tile | K buffers | V buffers |
/// P (fp32 path). fp32 pads K rows by 4 floats (the lanes read 16 bytes of
/// distinct rows); the tensor-core path stores 16-bit elements and pads
/// every row by 8 (16 bytes).
struct SharedLayout {
  int64_t qStride, kStride, vStride, elemBytes;
  int64_t qElems, kElems, vElems, pElems; // kElems, vElems: per buffer
  int64_t kOffset, vOffset, pOffset;
  int64_t bytes;
};

SharedLayout sharedLayout(const AttentionShape &s, const AttentionTile &t) {
  SharedLayout l;
  bool mma = static_cast<bool>(t.mmaType);
  l.elemBytes = mma ? 2 : 4;
  l.qStride = s.headDimPadded + (mma ? 8 : 0);
  l.kStride = s.headDimPadded + (mma ? 8 : kKeyPad);
  l.vStride = s.valueDimPadded + (mma ? 8 : 0);
  l.qElems = t.bq * l.qStride;
  l.kElems = t.bkv * l.kStride;
  l.vElems = t.bkv * l.vStride;
  l.pElems = mma ? 0 : t.bq * t.bkv;
  l.kOffset = l.qElems;
  l.vOffset = l.kOffset + t.buffers * l.kElems;
  l.pOffset = l.vOffset + t.buffers * l.vElems;
  l.bytes = (l.pOffset + l.pElems) * l.elemBytes;
  return l;
}

int64_t sharedBytes(const AttentionShape &s, const AttentionTile &t) {
  return sharedLayout(s, t).bytes;
}

/// Per-thread values that live from one phase of the kernel to the next:
/// in the kernel plain SSA values (registers); on the host, where every
/// phase is a loop over the block's threads, a buffer memref<threads x
/// size x f32> indexed by the thread.
struct ThreadState {
  SmallVector<Value> values;
  Value array;
  int64_t size = 0;
};

/// A loop from 0 to `ub` over the per-thread `carried` states: in the
/// kernel the states' values are the loop's iter_args (registers); on the
/// host (`host`) they live in per-thread buffers and the loop carries
/// nothing.
static void emitStateLoop(OpBuilder &b, Location loc, bool host, Value ub,
                          ArrayRef<ThreadState *> carried,
                          function_ref<void(Value)> body) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  if (host) {
    scf::ForOp::create(b, loc, zero, ub, one, ValueRange{},
                       [&](OpBuilder &, Location, Value iv, ValueRange) {
                         body(iv);
                         scf::YieldOp::create(b, loc);
                       });
    return;
  }
  auto unpack = [&](ValueRange values) {
    for (ThreadState *state : carried) {
      state->values.assign(values.begin(), values.begin() + state->size);
      values = values.drop_front(state->size);
    }
  };
  SmallVector<Value> init;
  for (ThreadState *state : carried)
    init.append(state->values);
  auto loop = scf::ForOp::create(
      b, loc, zero, ub, one, init,
      [&](OpBuilder &, Location, Value iv, ValueRange args) {
        unpack(args);
        body(iv);
        SmallVector<Value> yielded;
        for (ThreadState *state : carried)
          yielded.append(state->values);
        scf::YieldOp::create(b, loc, yielded);
      });
  unpack(loop.getResults());
}

/// The thread a phase runs as.
struct ThreadCtx {
  Value tid, lane, warp, rowBase;
};

/// Emits the kernel: into a gpu.launch, or (`host`) as loops on the host
/// that run the same code thread by thread. The kernel is a sequence of
/// phases (the per-thread code between two barriers or warp shuffles);
/// the host runs each phase for every thread of the block before the next
/// one, which is what the barriers guarantee on the GPU, and emulates the
/// butterfly shuffles lane by lane, so that it computes what the kernel
/// computes, in the same order, through the same shared-memory layout.
class KernelBuilder {
public:
  KernelBuilder(OpBuilder &b, Location loc, const AttentionShape &shape,
                const AttentionTile &tile, ArrayRef<Value> q,
                ArrayRef<Value> k, ArrayRef<Value> v, Value mask, Value out,
                bool host)
      : b(b), loc(loc), s(shape), t(tile), q(q), k(k), v(v), mask(mask),
        out(out), host(host) {
    rows = t.bq / t.warps;
    cols = t.bkv / kWarpSize;
    outCols = s.valueDimPadded / kWarpSize;
    threads = t.warps * kWarpSize;
    f32 = b.getF32Type();
    smemElement = t.mmaType ? t.mmaType : f32;
    if (t.mmaType) {
      mTiles = rows / 16;
      sTiles = t.bkv / 8;
      oTiles = s.valueDimPadded / 8;
    }
  }

  /// The kernel body, into `launch`.
  void buildKernel(gpu::LaunchOp launch);
  /// The host loops over the blocks, at the insertion point.
  void buildHost();

private:
  Value idx(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value flt(double value) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value addC(Value x, int64_t c) { return c == 0 ? x : add(x, idx(c)); }
  Value mulC(Value x, int64_t c) { return c == 1 ? x : mul(x, idx(c)); }

  /// A view of `floats` f32 at float offset `offset` of the dynamic shared
  /// memory.
  Value sharedView(Value base, int64_t offset, int64_t floats);
  /// Global operand index: the leading indices, then `row`, `col`.
  SmallVector<Value> operandIndex(Value row, Value col) {
    SmallVector<Value> indices(leadIndex);
    indices.push_back(row);
    indices.push_back(col);
    return indices;
  }
  Value toF32(Value x) {
    if (x.getType() == f32)
      return x;
    return arith::ExtFOp::create(b, loc, f32, x);
  }
  /// Thread `tid`'s share of copying rows [rowStart, rowStart + tileRows) x
  /// [0, width) of the operand `src` (the sum of its views, rounded to the
  /// element type after each addition; rows >= rowLimit and columns >=
  /// srcWidth, the head dim's padding, read as 0) to `dst` at float
  /// `dstOffset`, row stride `dstStride`; consecutive threads take
  /// consecutive columns.
  void loadTile(Value tid, ArrayRef<Value> src, Value rowStart,
                int64_t tileRows, int64_t width, int64_t srcWidth,
                int64_t rowLimit, Value dst, Value dstOffset,
                int64_t dstStride);
  /// Stores `value` at output (row, col); a column that can be the value
  /// dim's padding (`maxCol`, the largest it can be, reaches valueDim) is
  /// stored only when it exists.
  void storeOutput(Value value, Value row, Value col, int64_t maxCol);
  /// Delinearizes the leading index.
  void setLeadIndex(Value leadLinear);
  /// The number of K/V tiles the block at query row q0 visits.
  Value visibleTiles(Value q0);
  /// score * scale + mask, -inf where the key is hidden (causal) or past
  /// the end.
  Value maskedScore(Value score, Value row, Value col);
  /// The subtrahend for exp(): the running max, 0 while it is -inf.
  Value expReference(Value m);

  ThreadCtx threadCtx(Value tid);
  ThreadState newState(int64_t size);
  using PhaseFn =
      function_ref<SmallVector<Value>(const ThreadCtx &, ArrayRef<Value>)>;
  /// One phase: `fn` for every thread, reading the `in` states and
  /// producing the `out` states (in order, their sizes summed).
  void phase(ArrayRef<ThreadState *> in, ArrayRef<ThreadState *> out,
             PhaseFn fn);
  void barrier() {
    if (!host)
      gpu::BarrierOp::create(b, loc);
  }
  /// Every lane of a warp gets the max (sum) over the warp's lanes of each
  /// value of `state`: xor butterflies over offsets 16, 8, 4, 2, 1.
  void warpReduce(ThreadState &state, bool isMax, int32_t widest = 16);
  Value combine(Value x, Value y, bool isMax) {
    return isMax ? Value(arith::MaximumFOp::create(b, loc, x, y))
                 : Value(arith::AddFOp::create(b, loc, x, y));
  }
  /// The block (qTile, the leading index set before).
  void buildBlock(Value qTile);
  /// The same on tensor cores.
  void buildBlockMma(Value qTile);
  /// C += A B for every (m, n) fragment pair of one warp: nvgpu.mma.sync
  /// m16n8k16; on the host every lane computes its C elements from the
  /// A/B elements of the lanes that hold them (the mma.sync layouts).
  void mmaAll(ThreadState &a, ThreadState &b, ThreadState &c, int64_t m,
              int64_t n);
  /// Creates the per-thread states and runs the block(s).
  void createStates();

  OpBuilder &b;
  Location loc;
  const AttentionShape &s;
  const AttentionTile &t;
  /// Q, K, V: each the sum of its views.
  SmallVector<Value> q, k, v;
  Value mask, out;
  bool host;
  int64_t rows, cols, outCols, threads;
  Type f32;
  ThreadCtx kernelThread;
  SmallVector<Value> leadIndex;
  Value qs, ks, vs, ps;
  ThreadState acc, maxes, sums, scores, rowMax, scratch;
  // Tensor-core path: S accumulators, A/B fragments, P fragments.
  ThreadState sAcc, aFrag, bFrag, pFrag;
  int64_t mTiles = 0, sTiles = 0, oTiles = 0;
  Type smemElement;
};

ThreadCtx KernelBuilder::threadCtx(Value tid) {
  ThreadCtx ctx;
  ctx.tid = tid;
  ctx.lane = arith::RemUIOp::create(b, loc, tid, idx(kWarpSize));
  ctx.warp = arith::DivUIOp::create(b, loc, tid, idx(kWarpSize));
  ctx.rowBase = mulC(ctx.warp, rows);
  return ctx;
}

ThreadState KernelBuilder::newState(int64_t size) {
  ThreadState state;
  state.size = size;
  if (host)
    state.array =
        memref::AllocaOp::create(b, loc, MemRefType::get({threads, size}, f32));
  return state;
}

void KernelBuilder::phase(ArrayRef<ThreadState *> in,
                          ArrayRef<ThreadState *> out, PhaseFn fn) {
  auto run = [&](const ThreadCtx &ctx) {
    SmallVector<Value> inputs;
    for (ThreadState *state : in) {
      if (!host) {
        inputs.append(state->values);
        continue;
      }
      for (int64_t i = 0; i < state->size; ++i)
        inputs.push_back(memref::LoadOp::create(b, loc, state->array,
                                                ValueRange{ctx.tid, idx(i)}));
    }
    SmallVector<Value> outputs = fn(ctx, inputs);
    ArrayRef<Value> rest = outputs;
    for (ThreadState *state : out) {
      ArrayRef<Value> mine = rest.take_front(state->size);
      rest = rest.drop_front(state->size);
      if (!host) {
        state->values.assign(mine.begin(), mine.end());
        continue;
      }
      for (auto [i, value] : llvm::enumerate(mine))
        memref::StoreOp::create(b, loc, toF32(value), state->array,
                                ValueRange{ctx.tid, idx(i)});
    }
  };
  if (!host)
    return run(kernelThread);
  scf::ForOp::create(b, loc, idx(0), idx(threads), idx(1), ValueRange{},
                     [&](OpBuilder &, Location, Value tid, ValueRange) {
                       run(threadCtx(tid));
                       scf::YieldOp::create(b, loc);
                     });
}

void KernelBuilder::warpReduce(ThreadState &state, bool isMax, int32_t widest) {
  for (int32_t offset = widest; offset >= 1; offset /= 2) {
    if (!host) {
      for (Value &x : state.values) {
        Value other = gpu::ShuffleOp::create(b, loc, x, offset, kWarpSize,
                                             gpu::ShuffleMode::XOR)
                          .getShuffleResult();
        x = combine(x, other, isMax);
      }
      continue;
    }
    // Lane by lane: every lane reads its partner's value before any lane
    // writes (through `scratch`), as the shuffle does.
    phase({}, {}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
      Value partner = arith::XOrIOp::create(b, loc, ctx.tid, idx(offset));
      for (int64_t i = 0; i < state.size; ++i) {
        Value mine = memref::LoadOp::create(b, loc, state.array,
                                            ValueRange{ctx.tid, idx(i)});
        Value other = memref::LoadOp::create(b, loc, state.array,
                                             ValueRange{partner, idx(i)});
        memref::StoreOp::create(b, loc, combine(mine, other, isMax),
                                scratch.array, ValueRange{ctx.tid, idx(i)});
      }
      return SmallVector<Value>();
    });
    phase({}, {}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
      for (int64_t i = 0; i < state.size; ++i)
        memref::StoreOp::create(
            b, loc,
            memref::LoadOp::create(b, loc, scratch.array,
                                   ValueRange{ctx.tid, idx(i)}),
            state.array, ValueRange{ctx.tid, idx(i)});
      return SmallVector<Value>();
    });
  }
}

Value KernelBuilder::sharedView(Value base, int64_t offset, int64_t elems) {
  auto wg =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  auto type =
      MemRefType::get({elems}, smemElement, MemRefLayoutAttrInterface(), wg);
  int64_t width = smemElement.getIntOrFloatBitWidth() / 8;
  return memref::ViewOp::create(b, loc, type, base, idx(offset * width),
                                ValueRange{});
}

void KernelBuilder::storeOutput(Value value, Value row, Value col,
                                int64_t maxCol) {
  if (maxCol < s.valueDim) {
    memref::StoreOp::create(b, loc, value, out, operandIndex(row, col));
    return;
  }
  Value exists = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, col,
                                       idx(s.valueDim));
  auto guard = scf::IfOp::create(b, loc, exists, /*withElse=*/false);
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(guard.thenBlock());
  memref::StoreOp::create(b, loc, value, out, operandIndex(row, col));
}

void KernelBuilder::loadTile(Value tid, ArrayRef<Value> src, Value rowStart,
                             int64_t tileRows, int64_t width, int64_t srcWidth,
                             int64_t rowLimit, Value dst, Value dstOffset,
                             int64_t dstStride) {
  int64_t total = tileRows * width;
  int64_t steps = (total + threads - 1) / threads;
  Value limit = idx(rowLimit);
  scf::ForOp::create(
      b, loc, idx(0), idx(steps), idx(1), ValueRange{},
      [&](OpBuilder &, Location, Value step, ValueRange) {
        Value flat = add(mulC(step, threads), tid);
        auto body = [&]() {
          Value r = arith::DivUIOp::create(b, loc, flat, idx(width));
          Value c = arith::RemUIOp::create(b, loc, flat, idx(width));
          Value row = add(rowStart, r);
          Value inside = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::ult, row, limit);
          Value safeRow = arith::SelectOp::create(b, loc, inside, row, idx(0));
          Value safeCol = c;
          if (srcWidth < width) {
            Value real = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ult, c, idx(srcWidth));
            inside = arith::AndIOp::create(b, loc, inside, real);
            safeCol = arith::SelectOp::create(b, loc, real, c, idx(0));
          }
          Value x;
          for (Value view : src) {
            Value term = memref::LoadOp::create(b, loc, view,
                                                operandIndex(safeRow, safeCol));
            if (!x) {
              x = term;
              continue;
            }
            x = arith::AddFOp::create(b, loc, x, term);
          }
          x = toF32(x);
          x = arith::SelectOp::create(b, loc, inside, x, flt(0.0));
          if (smemElement != f32)
            x = arith::TruncFOp::create(b, loc, smemElement, x);
          Value at = add(dstOffset, add(mulC(r, dstStride), c));
          memref::StoreOp::create(b, loc, x, dst, at);
        };
        if (total % threads == 0) {
          body();
        } else {
          Value live = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                             flat, idx(total));
          auto guard = scf::IfOp::create(b, loc, live, /*withElse=*/false);
          OpBuilder::InsertionGuard g(b);
          b.setInsertionPointToStart(guard.thenBlock());
          body();
        }
        scf::YieldOp::create(b, loc);
      });
}

void KernelBuilder::setLeadIndex(Value leadLinear) {
  leadIndex.assign(s.lead.size(), Value());
  Value rest = leadLinear;
  for (int64_t i = static_cast<int64_t>(s.lead.size()) - 1; i >= 0; --i) {
    if (i == 0) {
      leadIndex[i] = rest;
      break;
    }
    leadIndex[i] = arith::RemUIOp::create(b, loc, rest, idx(s.lead[i]));
    rest = arith::DivUIOp::create(b, loc, rest, idx(s.lead[i]));
  }
}

Value KernelBuilder::visibleTiles(Value q0) {
  // All, or (causal) up to the last tile holding a key j <= i + seqKV -
  // seqQ for the block's last row i.
  if (!s.causal)
    return idx((s.seqKV + t.bkv - 1) / t.bkv);
  Value lastKey = addC(q0, t.bq + s.seqKV - s.seqQ);
  lastKey = arith::MinSIOp::create(b, loc, lastKey, idx(s.seqKV));
  lastKey = arith::MaxSIOp::create(b, loc, lastKey, idx(0));
  return arith::DivUIOp::create(b, loc, addC(lastKey, t.bkv - 1), idx(t.bkv));
}

Value KernelBuilder::maskedScore(Value score, Value row, Value col) {
  Value x = arith::MulFOp::create(b, loc, score, flt(s.scale));
  if (mask) {
    auto maskType = cast<MemRefType>(mask.getType());
    int64_t maskRank = maskType.getRank();
    int64_t full = s.lead.size() + 2;
    Value safeRow = arith::MinUIOp::create(b, loc, row, idx(s.seqQ - 1));
    Value safeCol = arith::MinUIOp::create(b, loc, col, idx(s.seqKV - 1));
    SmallVector<Value> all(leadIndex);
    all.push_back(safeRow);
    all.push_back(safeCol);
    SmallVector<Value> indices;
    for (int64_t i = 0; i < maskRank; ++i) {
      int64_t dim = full - maskRank + i;
      indices.push_back(maskType.getDimSize(i) == 1 ? idx(0) : all[dim]);
    }
    Value m = toF32(memref::LoadOp::create(b, loc, mask, indices));
    x = arith::AddFOp::create(b, loc, x, m);
  }
  Value hidden = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, col,
                                       idx(s.seqKV));
  if (s.causal) {
    Value limit = addC(row, s.seqKV - s.seqQ);
    Value above =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, col, limit);
    hidden = arith::OrIOp::create(b, loc, hidden, above);
  }
  return arith::SelectOp::create(
      b, loc, hidden, flt(-std::numeric_limits<double>::infinity()), x);
}

Value KernelBuilder::expReference(Value m) {
  // A row without a visible key so far keeps m = -inf; subtract 0 then
  // (exp(-inf) = 0 instead of exp(-inf - -inf) = NaN).
  Value empty =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, m,
                            flt(-std::numeric_limits<double>::infinity()));
  return arith::SelectOp::create(b, loc, empty, flt(0.0), m);
}

void KernelBuilder::buildKernel(gpu::LaunchOp launch) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  kernelThread = threadCtx(launch.getThreadIds().x);
  setLeadIndex(launch.getBlockIds().y);
  // Shared memory: Q tile | K buffers | V buffers | P.
  auto wg =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  Value base = gpu::DynamicSharedMemoryOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface(), wg));
  SharedLayout layout = sharedLayout(s, t);
  qs = sharedView(base, 0, layout.qElems);
  ks = sharedView(base, layout.kOffset, t.buffers * layout.kElems);
  vs = sharedView(base, layout.vOffset, t.buffers * layout.vElems);
  if (layout.pElems)
    ps = sharedView(base, layout.pOffset, layout.pElems);
  createStates();
  if (t.mmaType)
    buildBlockMma(launch.getBlockIds().x);
  else
    buildBlock(launch.getBlockIds().x);
  gpu::TerminatorOp::create(b, loc);
}

void KernelBuilder::buildHost() {
  // The block's shared memory and the threads' registers, once.
  auto buffer = [&](int64_t elems) -> Value {
    return memref::AllocaOp::create(
        b, loc, MemRefType::get({elems}, smemElement), b.getI64IntegerAttr(64));
  };
  SharedLayout layout = sharedLayout(s, t);
  qs = buffer(layout.qElems);
  ks = buffer(t.buffers * layout.kElems);
  vs = buffer(t.buffers * layout.vElems);
  if (layout.pElems)
    ps = buffer(layout.pElems);
  createStates();
  // The grid, block after block: y (leading index) outer, x (query tile).
  scf::ForOp::create(b, loc, idx(0), idx(s.leadCount), idx(1), ValueRange{},
                     [&](OpBuilder &, Location, Value leadLinear, ValueRange) {
                       setLeadIndex(leadLinear);
                       scf::ForOp::create(
                           b, loc, idx(0), idx((s.seqQ + t.bq - 1) / t.bq),
                           idx(1), ValueRange{},
                           [&](OpBuilder &, Location, Value qTile, ValueRange) {
                             if (t.mmaType)
                               buildBlockMma(qTile);
                             else
                               buildBlock(qTile);
                             scf::YieldOp::create(b, loc);
                           });
                       scf::YieldOp::create(b, loc);
                     });
}

void KernelBuilder::createStates() {
  if (!t.mmaType) {
    acc = newState(rows * outCols);
    maxes = newState(rows);
    sums = newState(rows);
    scores = newState(rows * cols);
    rowMax = newState(rows);
    scratch = newState(rows);
    return;
  }
  // A thread holds two rows (g, g + 8) of each 16-row m-tile.
  int64_t rowsHeld = 2 * mTiles;
  acc = newState(mTiles * oTiles * 4);
  maxes = newState(rowsHeld);
  sums = newState(rowsHeld);
  scores = newState(mTiles * sTiles * 4);
  rowMax = newState(rowsHeld);
  scratch = newState(rowsHeld);
  sAcc = newState(mTiles * sTiles * 4);
  aFrag = newState(mTiles * 8);
  bFrag = newState(std::max(sTiles, oTiles) * 4);
  pFrag = newState(mTiles * sTiles * 4);
}

void KernelBuilder::mmaAll(ThreadState &a, ThreadState &bs, ThreadState &c,
                           int64_t m, int64_t n) {
  Type e = t.mmaType;
  if (!host) {
    for (int64_t mi = 0; mi < m; ++mi)
      for (int64_t nj = 0; nj < n; ++nj) {
        Value av = vector::FromElementsOp::create(
            b, loc, VectorType::get({4, 2}, e),
            ArrayRef<Value>(a.values).slice(mi * 8, 8));
        Value bv = vector::FromElementsOp::create(
            b, loc, VectorType::get({2, 2}, e),
            ArrayRef<Value>(bs.values).slice(nj * 4, 4));
        int64_t at = (mi * n + nj) * 4;
        Value cv = vector::FromElementsOp::create(
            b, loc, VectorType::get({2, 2}, f32),
            ArrayRef<Value>(c.values).slice(at, 4));
        Value r = gpu_detail::emitMmaSync16816(b, loc, av, bv, cv);
        for (int64_t i = 0; i < 4; ++i)
          c.values[at + i] = vector::ExtractOp::create(
              b, loc, r, ArrayRef<int64_t>{i / 2, i % 2});
      }
    return;
  }
  // Lane (g, tig) = (lane / 4, lane % 4) holds A rows g, g + 8 at k =
  // 2 tig + {0, 1} (+ 8): a[2 (h + 2 (k >= 8)) + k % 2]; B (k x n) column
  // n = g at the same k: b[2 (k >= 8) + k % 2]; C rows g + 8 h at columns
  // 2 tig + e: c[2 h + e].
  phase({}, {}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
    Value g = arith::DivUIOp::create(b, loc, ctx.lane, idx(4));
    Value tig = arith::RemUIOp::create(b, loc, ctx.lane, idx(4));
    Value warpBase = mulC(ctx.warp, kWarpSize);
    for (int64_t mi = 0; mi < m; ++mi)
      for (int64_t nj = 0; nj < n; ++nj)
        for (int64_t h = 0; h < 2; ++h)
          for (int64_t el = 0; el < 2; ++el) {
            int64_t at = (mi * n + nj) * 4 + 2 * h + el;
            Value sum = memref::LoadOp::create(b, loc, c.array,
                                               ValueRange{ctx.tid, idx(at)});
            Value col = addC(mulC(tig, 2), el);
            for (int64_t k = 0; k < 16; ++k) {
              Value aLane = add(warpBase, addC(mulC(g, 4), (k % 8) / 2));
              int64_t aAt = mi * 8 + 2 * (h + 2 * (k >= 8)) + k % 2;
              Value bLane = add(warpBase, addC(mulC(col, 4), (k % 8) / 2));
              int64_t bAt = nj * 4 + 2 * (k >= 8) + k % 2;
              Value x = memref::LoadOp::create(b, loc, a.array,
                                               ValueRange{aLane, idx(aAt)});
              Value y = memref::LoadOp::create(b, loc, bs.array,
                                               ValueRange{bLane, idx(bAt)});
              sum = math::FmaOp::create(b, loc, x, y, sum);
            }
            memref::StoreOp::create(b, loc, sum, c.array,
                                    ValueRange{ctx.tid, idx(at)});
          }
    return SmallVector<Value>();
  });
}

void KernelBuilder::buildBlockMma(Value qTile) {
  const int64_t d = s.headDimPadded;
  const SharedLayout layout = sharedLayout(s, t);
  const double minusInf = -std::numeric_limits<double>::infinity();
  const int64_t rowsHeld = 2 * mTiles;
  Value q0 = mulC(qTile, t.bq);
  Value tiles = visibleTiles(q0);
  auto loadKV = [&](Value tid, Value tileIndex, Value buffer) {
    Value kv0 = mulC(tileIndex, t.bkv);
    loadTile(tid, k, kv0, t.bkv, d, s.headDim, s.seqKV, ks,
             mulC(buffer, layout.kElems), layout.kStride);
    loadTile(tid, v, kv0, t.bkv, s.valueDimPadded, s.valueDim, s.seqKV, vs,
             mulC(buffer, layout.vElems), layout.vStride);
  };
  auto quad = [&](const ThreadCtx &ctx) {
    return std::make_pair(
        Value(arith::DivUIOp::create(b, loc, ctx.lane, idx(4))),
        Value(arith::RemUIOp::create(b, loc, ctx.lane, idx(4))));
  };
  // Two consecutive 16-bit elements of a shared buffer.
  auto pair = [&](Value buffer, Value at) -> std::pair<Value, Value> {
    Value x = memref::LoadOp::create(b, loc, buffer, at);
    Value y = memref::LoadOp::create(b, loc, buffer, addC(at, 1));
    return {x, y};
  };
  phase({}, {&acc, &maxes, &sums}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
    loadTile(ctx.tid, q, q0, t.bq, d, s.headDim, s.seqQ, qs, idx(0),
             layout.qStride);
    if (t.buffers > 1)
      loadKV(ctx.tid, idx(0), idx(0));
    SmallVector<Value> init(mTiles * oTiles * 4, flt(0.0));
    init.append(rowsHeld, flt(minusInf));
    init.append(rowsHeld, flt(0.0));
    return init;
  });
  barrier();

  // A state loop: in the kernel the states are iter_args.
  auto stateLoop = [&](Value ub, ArrayRef<ThreadState *> carried,
                       function_ref<void(Value)> body) {
    emitStateLoop(b, loc, host, ub, carried, body);
  };

  stateLoop(tiles, {&acc, &maxes, &sums}, [&](Value tileIndex) {
    Value buffer = idx(0);
    if (t.buffers > 1) {
      buffer = arith::RemUIOp::create(b, loc, tileIndex, idx(2));
      Value next = addC(tileIndex, 1);
      Value more =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, next, tiles);
      Value other = arith::SubIOp::create(b, loc, idx(1), buffer);
      phase({}, {}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
        auto prefetch = scf::IfOp::create(b, loc, more, false);
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPointToStart(prefetch.thenBlock());
        loadKV(ctx.tid, next, other);
        return SmallVector<Value>();
      });
    } else {
      phase({}, {}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
        loadKV(ctx.tid, tileIndex, idx(0));
        return SmallVector<Value>();
      });
      barrier();
    }
    Value kBase = mulC(buffer, layout.kElems);
    Value vBase = mulC(buffer, layout.vElems);
    Value kv0 = mulC(tileIndex, t.bkv);

    // S = Q K^T: per 16-wide k step, the A fragments of Q (rows g, g + 8
    // of each m-tile) and the B fragments of K^T (key g of each n-tile).
    phase({}, {&sAcc}, [&](const ThreadCtx &, ArrayRef<Value>) {
      return SmallVector<Value>(mTiles * sTiles * 4, flt(0.0));
    });
    stateLoop(idx(d / 16), {&sAcc}, [&](Value kk) {
      phase({}, {&aFrag, &bFrag},
            [&](const ThreadCtx &ctx, ArrayRef<Value>) -> SmallVector<Value> {
              auto [g, tig] = quad(ctx);
              Value k0 = add(mulC(kk, 16), mulC(tig, 2));
              SmallVector<Value> out;
              for (int64_t mi = 0; mi < mTiles; ++mi) {
                Value r0 = add(addC(ctx.rowBase, mi * 16), g);
                for (int64_t half = 0; half < 2; ++half) // k, k + 8
                  for (int64_t h = 0; h < 2; ++h) {      // row g, g + 8
                    Value at = add(mulC(addC(r0, 8 * h), layout.qStride),
                                   addC(k0, 8 * half));
                    auto [x, y] = pair(qs, at);
                    out.push_back(x);
                    out.push_back(y);
                  }
              }
              for (int64_t nj = 0; nj < bFrag.size / 4; ++nj) {
                if (nj >= sTiles) {
                  out.append(4, arith::ConstantOp::create(
                                    b, loc, b.getFloatAttr(t.mmaType, 0.0)));
                  continue;
                }
                Value j = addC(g, nj * 8);
                for (int64_t half = 0; half < 2; ++half) {
                  Value at = add(
                      kBase, add(mulC(j, layout.kStride), addC(k0, 8 * half)));
                  auto [x, y] = pair(ks, at);
                  out.push_back(x);
                  out.push_back(y);
                }
              }
              return out;
            });
      mmaAll(aFrag, bFrag, sAcc, mTiles, sTiles);
    });

    // Scale, mask; the row max over the quad (lanes 4g .. 4g + 3).
    phase({&sAcc}, {&scores, &rowMax},
          [&](const ThreadCtx &ctx, ArrayRef<Value> in) -> SmallVector<Value> {
            auto [g, tig] = quad(ctx);
            SmallVector<Value> out(in.begin(), in.end());
            SmallVector<Value> maxOfRow(rowsHeld, flt(minusInf));
            for (int64_t mi = 0; mi < mTiles; ++mi)
              for (int64_t nj = 0; nj < sTiles; ++nj)
                for (int64_t h = 0; h < 2; ++h)
                  for (int64_t el = 0; el < 2; ++el) {
                    int64_t at = (mi * sTiles + nj) * 4 + 2 * h + el;
                    Value row =
                        add(q0, add(addC(ctx.rowBase, mi * 16 + 8 * h), g));
                    Value col = add(kv0, addC(mulC(tig, 2), nj * 8 + el));
                    out[at] = maskedScore(in[at], row, col);
                    maxOfRow[2 * mi + h] = arith::MaximumFOp::create(
                        b, loc, maxOfRow[2 * mi + h], out[at]);
                  }
            out.append(maxOfRow);
            return out;
          });
    warpReduce(rowMax, /*isMax=*/true, /*widest=*/2);

    // Online softmax; P stays in registers, rounded to the mma type.
    phase({&scores, &rowMax, &acc, &maxes, &sums},
          {&pFrag, &acc, &maxes, &sums},
          [&](const ThreadCtx &, ArrayRef<Value> in) -> SmallVector<Value> {
            int64_t nS = mTiles * sTiles * 4, nO = mTiles * oTiles * 4;
            ArrayRef<Value> score = in.take_front(nS);
            ArrayRef<Value> tileMax = in.slice(nS, rowsHeld);
            SmallVector<Value> o(in.slice(nS + rowsHeld, nO));
            ArrayRef<Value> m = in.slice(nS + rowsHeld + nO, rowsHeld);
            ArrayRef<Value> l = in.take_back(rowsHeld);
            SmallVector<Value> p(nS), newMax, newSum;
            SmallVector<Value> refs, sumsNow;
            for (int64_t r = 0; r < rowsHeld; ++r) {
              Value mNew = arith::MaximumFOp::create(b, loc, m[r], tileMax[r]);
              Value ref = expReference(mNew);
              Value alpha = math::ExpOp::create(
                  b, loc, arith::SubFOp::create(b, loc, m[r], ref));
              refs.push_back(ref);
              sumsNow.push_back(arith::MulFOp::create(b, loc, l[r], alpha));
              newMax.push_back(mNew);
              int64_t mi = r / 2, h = r % 2;
              for (int64_t ni = 0; ni < oTiles; ++ni)
                for (int64_t el = 0; el < 2; ++el) {
                  int64_t at = (mi * oTiles + ni) * 4 + 2 * h + el;
                  o[at] = arith::MulFOp::create(b, loc, o[at], alpha);
                }
            }
            for (int64_t mi = 0; mi < mTiles; ++mi)
              for (int64_t nj = 0; nj < sTiles; ++nj)
                for (int64_t h = 0; h < 2; ++h)
                  for (int64_t el = 0; el < 2; ++el) {
                    int64_t at = (mi * sTiles + nj) * 4 + 2 * h + el;
                    int64_t r = 2 * mi + h;
                    Value x = math::ExpOp::create(
                        b, loc,
                        arith::SubFOp::create(b, loc, score[at], refs[r]));
                    sumsNow[r] = arith::AddFOp::create(b, loc, sumsNow[r], x);
                    p[at] = arith::TruncFOp::create(b, loc, t.mmaType, x);
                  }
            p.append(o);
            p.append(newMax);
            p.append(sumsNow);
            return p;
          });

    // O += P V, per 16 keys: the A fragments are the P (C-layout) values of
    // n-tiles 2kp and 2kp + 1; the B fragments V[k][n] with k = 2 tig +
    // {0, 1} (+ 8), n = g of each output n-tile.
    for (int64_t kp = 0; kp < t.bkv / 16; ++kp) {
      phase(
          {&pFrag}, {&aFrag, &bFrag},
          [&](const ThreadCtx &ctx, ArrayRef<Value> in) -> SmallVector<Value> {
            auto [g, tig] = quad(ctx);
            SmallVector<Value> out;
            for (int64_t mi = 0; mi < mTiles; ++mi)
              for (int64_t half = 0; half < 2; ++half)
                for (int64_t h = 0; h < 2; ++h)
                  for (int64_t el = 0; el < 2; ++el) {
                    Value x =
                        in[(mi * sTiles + 2 * kp + half) * 4 + 2 * h + el];
                    if (host)
                      x = arith::TruncFOp::create(b, loc, t.mmaType, x);
                    out.push_back(x);
                  }
            Value k0 = addC(mulC(tig, 2), kp * 16);
            for (int64_t ni = 0; ni < bFrag.size / 4; ++ni) {
              if (ni >= oTiles) {
                out.append(4, arith::ConstantOp::create(
                                  b, loc, b.getFloatAttr(t.mmaType, 0.0)));
                continue;
              }
              Value n = addC(g, ni * 8);
              for (int64_t half = 0; half < 2; ++half)
                for (int64_t el = 0; el < 2; ++el) {
                  Value at = add(
                      vBase,
                      add(mulC(addC(k0, 8 * half + el), layout.vStride), n));
                  out.push_back(memref::LoadOp::create(b, loc, vs, at));
                }
            }
            return out;
          });
      mmaAll(aFrag, bFrag, acc, mTiles, oTiles);
    }
    barrier();
  });

  // l over the quad; O / l for the rows that exist.
  warpReduce(sums, /*isMax=*/false, /*widest=*/2);
  Type outElement = cast<MemRefType>(out.getType()).getElementType();
  phase({&acc, &sums}, {},
        [&](const ThreadCtx &ctx, ArrayRef<Value> in) -> SmallVector<Value> {
          auto [g, tig] = quad(ctx);
          int64_t nO = mTiles * oTiles * 4;
          for (int64_t r = 0; r < rowsHeld; ++r) {
            int64_t mi = r / 2, h = r % 2;
            Value row = add(q0, add(addC(ctx.rowBase, mi * 16 + 8 * h), g));
            Value inside = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ult, row, idx(s.seqQ));
            auto store = scf::IfOp::create(b, loc, inside, false);
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPointToStart(store.thenBlock());
            for (int64_t ni = 0; ni < oTiles; ++ni)
              for (int64_t el = 0; el < 2; ++el) {
                int64_t at = (mi * oTiles + ni) * 4 + 2 * h + el;
                Value o = arith::DivFOp::create(b, loc, in[at], in[nO + r]);
                if (outElement != f32)
                  o = arith::TruncFOp::create(b, loc, outElement, o);
                storeOutput(o, row, addC(mulC(tig, 2), ni * 8 + el),
                            ni * 8 + 6 + el);
              }
          }
          return SmallVector<Value>();
        });
}

void KernelBuilder::buildBlock(Value qTile) {
  const int64_t d = s.headDimPadded, dv = s.valueDimPadded;
  const int64_t keyStride = d + kKeyPad;
  const int64_t kFloats = t.bkv * keyStride;
  const int64_t vFloats = t.bkv * dv;
  const double minusInf = -std::numeric_limits<double>::infinity();

  Value q0 = mulC(qTile, t.bq);
  Value tiles = visibleTiles(q0);
  auto loadKV = [&](Value tid, Value tileIndex, Value buffer) {
    Value kv0 = mulC(tileIndex, t.bkv);
    loadTile(tid, k, kv0, t.bkv, d, s.headDim, s.seqKV, ks,
             mulC(buffer, kFloats), keyStride);
    loadTile(tid, v, kv0, t.bkv, dv, s.valueDim, s.seqKV, vs,
             mulC(buffer, vFloats), dv);
  };
  phase({}, {&acc, &maxes, &sums}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
    loadTile(ctx.tid, q, q0, t.bq, d, s.headDim, s.seqQ, qs, idx(0), d);
    if (t.buffers > 1)
      loadKV(ctx.tid, idx(0), idx(0));
    // O = 0, m = -inf, l = 0.
    SmallVector<Value> init(rows * outCols, flt(0.0));
    init.append(rows, flt(minusInf));
    init.append(rows, flt(0.0));
    return init;
  });
  barrier();

  // The K/V tile loop: in the kernel O, m and l are its iter_args.
  auto body = [&](Value tileIndex) {
    Value buffer = idx(0);
    if (t.buffers > 1) {
      buffer = arith::RemUIOp::create(b, loc, tileIndex, idx(2));
      // Prefetch the next tile into the other buffer.
      Value next = addC(tileIndex, 1);
      Value more =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, next, tiles);
      Value other = arith::SubIOp::create(b, loc, idx(1), buffer);
      phase({}, {}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
        auto prefetch = scf::IfOp::create(b, loc, more, false);
        OpBuilder::InsertionGuard g(b);
        b.setInsertionPointToStart(prefetch.thenBlock());
        loadKV(ctx.tid, next, other);
        return SmallVector<Value>();
      });
    } else {
      phase({}, {}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
        loadKV(ctx.tid, tileIndex, idx(0));
        return SmallVector<Value>();
      });
      barrier();
    }
    Value kBase = mulC(buffer, kFloats);
    Value vBase = mulC(buffer, vFloats);
    Value kv0 = mulC(tileIndex, t.bkv);

    // S = Q K^T for the warp's rows and the lane's columns, scaled and
    // masked; the lane's part of each row max.
    phase({}, {&scores, &rowMax},
          [&](const ThreadCtx &ctx, ArrayRef<Value>) -> SmallVector<Value> {
            SmallVector<Value> zeros(rows * cols, flt(0.0));
            auto dot = scf::ForOp::create(
                b, loc, idx(0), idx(d), idx(4), zeros,
                [&](OpBuilder &, Location, Value dIndex, ValueRange partial) {
                  auto vec4 = VectorType::get({4}, f32);
                  SmallVector<Value> keys;
                  for (int64_t c = 0; c < cols; ++c) {
                    Value j = addC(ctx.lane, c * kWarpSize);
                    Value at = add(kBase, add(mulC(j, keyStride), dIndex));
                    keys.push_back(
                        vector::LoadOp::create(b, loc, vec4, ks, ValueRange{at},
                                               false, llvm::MaybeAlign(16)));
                  }
                  SmallVector<Value> next(partial);
                  for (int64_t r = 0; r < rows; ++r) {
                    Value at = add(mulC(addC(ctx.rowBase, r), d), dIndex);
                    Value query =
                        vector::LoadOp::create(b, loc, vec4, qs, ValueRange{at},
                                               false, llvm::MaybeAlign(16));
                    for (int64_t e = 0; e < 4; ++e) {
                      Value qe = vector::ExtractOp::create(b, loc, query, e);
                      for (int64_t c = 0; c < cols; ++c) {
                        Value ke =
                            vector::ExtractOp::create(b, loc, keys[c], e);
                        next[r * cols + c] = math::FmaOp::create(
                            b, loc, qe, ke, next[r * cols + c]);
                      }
                    }
                  }
                  scf::YieldOp::create(b, loc, next);
                });
            SmallVector<Value> result(dot.getResults());
            SmallVector<Value> maxOfRow;
            for (int64_t r = 0; r < rows; ++r) {
              Value row = add(q0, addC(ctx.rowBase, r));
              Value partialMax = flt(minusInf);
              for (int64_t c = 0; c < cols; ++c) {
                Value col = add(kv0, addC(ctx.lane, c * kWarpSize));
                Value x = maskedScore(result[r * cols + c], row, col);
                result[r * cols + c] = x;
                partialMax = arith::MaximumFOp::create(b, loc, partialMax, x);
              }
              maxOfRow.push_back(partialMax);
            }
            result.append(maxOfRow);
            return result;
          });
    warpReduce(rowMax, /*isMax=*/true);

    // The online-softmax update: m_new = max(m, rowmax), alpha =
    // exp(m - m_new) rescales O and l, P = exp(S - m_new) goes to shared
    // memory for the warp's lanes.
    phase({&scores, &rowMax, &acc, &maxes, &sums}, {&acc, &maxes, &sums},
          [&](const ThreadCtx &ctx, ArrayRef<Value> in) -> SmallVector<Value> {
            ArrayRef<Value> score = in.take_front(rows * cols);
            ArrayRef<Value> tileMax = in.slice(rows * cols, rows);
            SmallVector<Value> o(in.slice(rows * cols + rows, rows * outCols));
            ArrayRef<Value> m =
                in.slice(rows * cols + rows + rows * outCols, rows);
            ArrayRef<Value> l = in.take_back(rows);
            SmallVector<Value> newMax, newSum;
            for (int64_t r = 0; r < rows; ++r) {
              Value mNew = arith::MaximumFOp::create(b, loc, m[r], tileMax[r]);
              Value ref = expReference(mNew);
              Value alpha = math::ExpOp::create(
                  b, loc, arith::SubFOp::create(b, loc, m[r], ref));
              Value sum = arith::MulFOp::create(b, loc, l[r], alpha);
              for (int64_t c = 0; c < cols; ++c) {
                Value p = math::ExpOp::create(
                    b, loc,
                    arith::SubFOp::create(b, loc, score[r * cols + c], ref));
                sum = arith::AddFOp::create(b, loc, sum, p);
                Value at = add(mulC(addC(ctx.rowBase, r), t.bkv),
                               addC(ctx.lane, c * kWarpSize));
                memref::StoreOp::create(b, loc, p, ps, at);
              }
              for (int64_t c = 0; c < outCols; ++c)
                o[r * outCols + c] =
                    arith::MulFOp::create(b, loc, o[r * outCols + c], alpha);
              newMax.push_back(mNew);
              newSum.push_back(sum);
            }
            o.append(newMax);
            o.append(newSum);
            return o;
          });
    // P is read by all lanes of the warp that wrote it.
    barrier();

    // O += P V.
    phase({&acc}, {&acc},
          [&](const ThreadCtx &ctx, ArrayRef<Value> in) -> SmallVector<Value> {
            auto pv = scf::ForOp::create(
                b, loc, idx(0), idx(t.bkv), idx(4), in,
                [&](OpBuilder &, Location, Value j, ValueRange partial) {
                  auto vec4 = VectorType::get({4}, f32);
                  SmallVector<Value> values; // [e][c]
                  for (int64_t e = 0; e < 4; ++e)
                    for (int64_t c = 0; c < outCols; ++c) {
                      Value at = add(vBase, add(mulC(addC(j, e), dv),
                                                addC(ctx.lane, c * kWarpSize)));
                      values.push_back(memref::LoadOp::create(b, loc, vs, at));
                    }
                  SmallVector<Value> next(partial);
                  for (int64_t r = 0; r < rows; ++r) {
                    Value at = add(mulC(addC(ctx.rowBase, r), t.bkv), j);
                    Value probs =
                        vector::LoadOp::create(b, loc, vec4, ps, ValueRange{at},
                                               false, llvm::MaybeAlign(16));
                    for (int64_t e = 0; e < 4; ++e) {
                      Value pe = vector::ExtractOp::create(b, loc, probs, e);
                      for (int64_t c = 0; c < outCols; ++c)
                        next[r * outCols + c] = math::FmaOp::create(
                            b, loc, pe, values[e * outCols + c],
                            next[r * outCols + c]);
                    }
                  }
                  scf::YieldOp::create(b, loc, next);
                });
            return SmallVector<Value>(pv.getResults());
          });
    // The buffers (and P) are overwritten next.
    barrier();
  };
  emitStateLoop(b, loc, host, tiles, {&acc, &maxes, &sums}, body);

  // l over the warp's lanes; O / l, stored for the rows that exist.
  warpReduce(sums, /*isMax=*/false);
  Type outElement = cast<MemRefType>(out.getType()).getElementType();
  phase({&acc, &sums}, {},
        [&](const ThreadCtx &ctx, ArrayRef<Value> in) -> SmallVector<Value> {
          for (int64_t r = 0; r < rows; ++r) {
            Value row = add(q0, addC(ctx.rowBase, r));
            Value inside = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::ult, row, idx(s.seqQ));
            auto store = scf::IfOp::create(b, loc, inside, false);
            OpBuilder::InsertionGuard g(b);
            b.setInsertionPointToStart(store.thenBlock());
            for (int64_t c = 0; c < outCols; ++c) {
              Value o = arith::DivFOp::create(b, loc, in[r * outCols + c],
                                              in[rows * outCols + r]);
              if (outElement != f32)
                o = arith::TruncFOp::create(b, loc, outElement, o);
              storeOutput(o, row, addC(ctx.lane, c * kWarpSize),
                          c * kWarpSize + kWarpSize - 1);
            }
          }
          return SmallVector<Value>();
        });
}

/// A memref type for a tensor operand that any buffer of it casts to.
MemRefType stridedBufferType(RankedTensorType type) {
  SmallVector<int64_t> strides(type.getRank(), ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(type.getContext(), ShapedType::kDynamic, strides);
  return MemRefType::get(type.getShape(), type.getElementType(), layout);
}

struct GpuAttentionPass
    : public mlir::fuse::impl::FuseGpuAttentionBase<GpuAttentionPass> {
  using FuseGpuAttentionBase::FuseGpuAttentionBase;

  /// The attention a flash_attention group is made of, with the views
  /// around it that its addressing folds in (`plan`), or null when the
  /// group is not one (left untouched): its body must be the attention,
  /// those views and constants.
  static AttentionOp soleAttention(GroupOp group, AttentionAddressing &plan) {
    auto tile = group->getAttrOfType<TileAttr>("fuse.tile");
    if (!tile || getTileConfig(tile).impl != "flash_attention")
      return nullptr;
    return attentionKernelOf(group.getBody().front(), plan);
  }

  /// The precision of `group`'s attention: the `precision` option when
  /// given, else the group's `fuse.precision` (fuse-tile records a
  /// non-default --precision there), else fp32.
  FailureOr<std::string> precisionOf(GroupOp group, StringRef name) {
    if (!precision.empty())
      return std::string(precision);
    auto recorded = group->getAttrOfType<StringAttr>("fuse.precision");
    if (!recorded)
      return std::string("fp32");
    if (!isKnownPrecision(recorded.getValue()))
      return group.emitOpError("fuse-gpu-attention: ")
             << name << ": unknown fuse.precision '" << recorded.getValue()
             << "' (fp32, tf32, fp16, bf16)";
    return recorded.getValue().str();
  }

  static bool isKnownPrecision(StringRef value) {
    return llvm::is_contained({"fp32", "tf32", "fp16", "bf16"}, value);
  }

  LogicalResult rewrite(GroupOp group, AttentionOp attention,
                        const AttentionAddressing &plan, StringRef name) {
    FailureOr<std::string> groupPrecision = precisionOf(group, name);
    if (failed(groupPrecision))
      return failure();
    StringRef math = *groupPrecision;
    TileConfig config =
        getTileConfig(group->getAttrOfType<TileAttr>("fuse.tile"));
    auto fail = [&](const Twine &why) {
      return group.emitOpError("fuse-gpu-attention: ") << name << ": " << why;
    };
    for (StringRef param : {"BQ", "BKV", "warps", "stages"})
      if (!config.has(param))
        return fail("the flash_attention choice has no " + param);
    if (std::optional<std::string> why =
            unsupportedFlashAttention(attention, math))
      return fail(*why);
    AttentionShape shape = attentionShapeOf(attention);
    Type mmaType = attentionMmaType(attention, math);
    if (mmaType && mmaType.isBF16() && !bf16Mma) {
      mmaType = {}; // bf16 operands extended, fp32 FMA math.
      if (std::optional<std::string> why = unsupportedHeadDims(shape, false))
        return fail(*why);
    }
    padDims(shape, static_cast<bool>(mmaType));
    AttentionTile tile;
    tile.bq = config.get("BQ");
    tile.bkv = config.get("BKV");
    tile.warps = config.get("warps");
    tile.buffers = config.get("stages") >= 2 ? 2 : 1;
    if (tile.warps <= 0 || tile.warps > 32 || tile.bq <= 0 ||
        tile.bq % tile.warps || tile.bkv <= 0)
      return fail("BQ=") << tile.bq << ", BKV=" << tile.bkv
                         << ", warps=" << tile.warps
                         << " do not give each warp whole rows";
    tile.mmaType = mmaType;
    // fp32: a lane owns whole columns of the K/V tile; tensor cores: whole
    // 16-row m-tiles per warp and 16-key k-steps.
    int64_t unit = mmaType ? 16 : kWarpSize;
    if (mmaType && (tile.bq / tile.warps) % 16)
      return fail("BQ=") << tile.bq << ", warps=" << tile.warps
                         << " do not give each warp whole 16-row tiles";
    tile.bkv = (tile.bkv + unit - 1) / unit * unit;
    while (sharedBytes(shape, tile) > sharedMemoryLimit) {
      if (tile.buffers > 1)
        tile.buffers = 1;
      else if (tile.bkv > unit)
        tile.bkv = std::max(unit, tile.bkv / 2 / unit * unit);
      else
        return fail("the kernel needs ")
               << sharedBytes(shape, tile)
               << " bytes of shared memory, more than the limit of "
               << static_cast<int64_t>(sharedMemoryLimit);
    }

    OpBuilder b(attention);
    Location loc = attention.getLoc();
    auto toBuffer = [&](Value tensor) -> Value {
      auto type = cast<RankedTensorType>(tensor.getType());
      return bufferization::ToBufferOp::create(b, loc, stridedBufferType(type),
                                               tensor, b.getUnitAttr());
    };
    // A strided view of a row-major buffer, as `shape`.
    auto stridedView = [&](Value buffer, ArrayRef<int64_t> shape,
                           const AttentionView &view) -> Value {
      auto bufferType = cast<MemRefType>(buffer.getType());
      auto layout =
          StridedLayoutAttr::get(b.getContext(), view.offset, view.strides);
      auto type =
          MemRefType::get(shape, bufferType.getElementType(), layout,
                          bufferType.getMemorySpace());
      return memref::ReinterpretCastOp::create(b, loc, type, buffer,
                                               view.offset, shape,
                                               view.strides);
    };
    // Q, K, V: an operand that is a source as is keeps its buffer (any
    // layout); the views read row-major buffers of their sources (one per
    // source).
    llvm::DenseMap<Value, Value> rowMajorBuffers;
    auto operandViews = [&](Value operand,
                            ArrayRef<AttentionView> views) {
      auto type = cast<RankedTensorType>(operand.getType());
      SmallVector<Value> result;
      for (const AttentionView &view : views) {
        if (view.source == operand) {
          result.push_back(toBuffer(operand));
          continue;
        }
        Value &buffer = rowMajorBuffers[view.source];
        if (!buffer) {
          auto sourceType = cast<RankedTensorType>(view.source.getType());
          buffer = bufferization::ToBufferOp::create(
              b, loc,
              MemRefType::get(sourceType.getShape(),
                              sourceType.getElementType()),
              view.source, b.getUnitAttr());
        }
        result.push_back(stridedView(buffer, type.getShape(), view));
      }
      return result;
    };
    SmallVector<Value> q = operandViews(attention.getQuery(), plan.operands[0]);
    SmallVector<Value> k = operandViews(attention.getKey(), plan.operands[1]);
    SmallVector<Value> v = operandViews(attention.getValue(), plan.operands[2]);
    Value mask = attention.getMask() ? toBuffer(attention.getMask()) : Value();
    // The output: a fresh buffer of the last folded consumer's type, written
    // through the view of the attention's result in it.
    auto outType = cast<RankedTensorType>(attention.getType());
    auto resultType = cast<RankedTensorType>(plan.output.source.getType());
    Value result = memref::AllocOp::create(
        b, loc,
        MemRefType::get(resultType.getShape(), resultType.getElementType()));
    Value out = plan.consumers.empty()
                    ? result
                    : stridedView(result, outType.getShape(), plan.output);

    int64_t bytes = sharedBytes(shape, tile);
    auto tileAttr = b.getDictionaryAttr(
        {b.getNamedAttr("BQ", b.getI64IntegerAttr(tile.bq)),
         b.getNamedAttr("BKV", b.getI64IntegerAttr(tile.bkv)),
         b.getNamedAttr("warps", b.getI64IntegerAttr(tile.warps)),
         b.getNamedAttr("buffers", b.getI64IntegerAttr(tile.buffers)),
         b.getNamedAttr("math",
                        b.getStringAttr(
                            mmaType ? (mmaType.isF16() ? "mma_f16" : "mma_bf16")
                                    : "fma_f32")),
         b.getNamedAttr("shared_bytes", b.getI64IntegerAttr(bytes))});
    KernelBuilder kernel(b, loc, shape, tile, q, k, v, mask, out, host);
    if (host) {
      // Marks where the host loops begin, for readers and tests.
      auto marker = scf::ExecuteRegionOp::create(b, loc, TypeRange{});
      marker->setAttr("fuse.kernel", b.getStringAttr(name));
      marker->setAttr("fuse.attention_tile", tileAttr);
      b.createBlock(&marker.getRegion());
      kernel.buildHost();
      scf::YieldOp::create(b, loc);
      b.setInsertionPointAfter(marker);
    } else {
      auto cst = [&](int64_t value) -> Value {
        return arith::ConstantIndexOp::create(b, loc, value);
      };
      Value one = cst(1);
      Value qTiles = cst((shape.seqQ + tile.bq - 1) / tile.bq);
      Value shared = arith::ConstantIntOp::create(b, loc, bytes, 32);
      auto launch =
          gpu::LaunchOp::create(b, loc, qTiles, cst(shape.leadCount), one,
                                cst(tile.warps * kWarpSize), one, one, shared);
      launch->setAttr("fuse.kernel", b.getStringAttr(name));
      launch->setAttr("fuse.kernel_impl", b.getStringAttr("flash_attention"));
      launch->setAttr("fuse.attention_tile", tileAttr);
      // A block whose shared memory leaves no room for a second one on its
      // SM gains nothing from fewer registers; without a hint ptxas caps
      // the registers for more resident blocks (and spills: D = 128 fp16
      // on sm_80, 168 registers). nvvm.minctasm = 1 lets it use them all.
      // The GPU pipeline moves fuse.kernel_attrs onto the outlined kernel.
      if (2 * bytes > static_cast<int64_t>(sharedMemoryLimit))
        launch->setAttr(
            "fuse.kernel_attrs",
            b.getDictionaryAttr(b.getNamedAttr(
                NVVM::NVVMDialect::getMinctasmAttrName(),
                b.getI32IntegerAttr(1))));
      kernel.buildKernel(launch);
      b.setInsertionPointAfter(launch);
    }
    Value resultTensor = bufferization::ToTensorOp::create(
        b, loc, resultType, result, b.getUnitAttr(), b.getUnitAttr());
    Value(plan.output.source).replaceAllUsesWith(resultTensor);
    // The folded views go: the consumers, the attention, the producers.
    for (Operation *op : llvm::reverse(plan.consumers))
      op->erase();
    attention.erase();
    for (Operation *op : llvm::reverse(plan.producers))
      if (op->use_empty())
        op->erase();
    return success();
  }

  void runOnOperation() override {
    if (!precision.empty() && !isKnownPrecision(precision)) {
      getOperation().emitError("fuse-gpu-attention: unknown precision '")
          << precision << "' (fp32, tf32, fp16, bf16)";
      return signalPassFailure();
    }
    int64_t index = 0;
    SmallVector<std::pair<GroupOp, std::string>> groups;
    getOperation()->walk([&](GroupOp group) {
      groups.push_back({group, "group_" + std::to_string(index++)});
    });
    for (auto &[group, name] : groups) {
      AttentionAddressing plan;
      if (AttentionOp attention = soleAttention(group, plan))
        if (failed(rewrite(group, attention, plan, name)))
          return signalPassFailure();
    }
  }
};

} // namespace

std::optional<std::string>
mlir::fuse::unsupportedFlashAttention(AttentionOp attention,
                                      StringRef precision) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto qType = cast<RankedTensorType>(attention.getQuery().getType());
  Type element = qType.getElementType();
  if (!element.isF32() && !element.isF16() && !element.isBF16()) {
    os << "element type " << element << " is not supported (f32, f16, bf16)";
    return text;
  }
  if (qType.getRank() < 3) {
    os << "query rank " << qType.getRank()
       << " is not supported (at least 3)";
    return text;
  }
  AttentionShape shape = attentionShapeOf(attention);
  if (shape.seqQ == 0 || shape.seqKV == 0 || shape.leadCount == 0)
    return std::string("empty attention operands are not supported");
  if (std::optional<std::string> why = unsupportedHeadDims(
          shape, static_cast<bool>(attentionMmaType(attention, precision))))
    return why;
  if (shape.leadCount > 65535)
    os << shape.leadCount << " (batch x heads) exceed the grid's y dimension";
  if (text.empty())
    return std::nullopt;
  return text;
}

//===----------------------------------------------------------------------===//
// Addressing the operands and the output through strided views
//===----------------------------------------------------------------------===//

namespace {

/// A strided view of a row-major buffer: element i is at offset + sum_k
/// strides[k] i_k.
struct StridedView {
  int64_t offset = 0;
  SmallVector<int64_t> shape, strides;
};

/// The most views one operand is the sum of.
constexpr size_t kMaxViews = 4;

StridedView rowMajorView(ArrayRef<int64_t> shape) {
  StridedView view;
  view.shape.assign(shape.begin(), shape.end());
  view.strides.assign(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    view.strides[i] = view.strides[i + 1] * shape[i + 1];
  return view;
}

/// `view` with its dims permuted: dim i of the result is dim perm[i].
StridedView transposeView(const StridedView &view, ArrayRef<int64_t> perm) {
  StridedView result;
  result.offset = view.offset;
  for (int64_t dim : perm) {
    result.shape.push_back(view.shape[dim]);
    result.strides.push_back(view.strides[dim]);
  }
  return result;
}

/// `view` read row-major as `shape`, when strides can express it: the new
/// dims must split runs of old dims that are contiguous with each other
/// (stride[i] = stride[i + 1] * size[i + 1]); dims of size 1 take any
/// stride.
std::optional<StridedView> reshapeView(const StridedView &view,
                                       ArrayRef<int64_t> shape) {
  SmallVector<int64_t> sizes, strides;
  for (auto [size, stride] : llvm::zip(view.shape, view.strides))
    if (size != 1) {
      sizes.push_back(size);
      strides.push_back(stride);
    }
  StridedView result;
  result.offset = view.offset;
  result.shape.assign(shape.begin(), shape.end());
  result.strides.assign(shape.size(), 0);
  size_t old = 0, dim = 0;
  while (dim < shape.size()) {
    if (shape[dim] == 1) {
      ++dim;
      continue;
    }
    if (old >= sizes.size())
      return std::nullopt;
    // The run of contiguous old dims [old, end).
    size_t end = old + 1;
    int64_t run = sizes[old];
    while (end < sizes.size() &&
           strides[end - 1] == strides[end] * sizes[end]) {
      run *= sizes[end];
      ++end;
    }
    // The new dims covering it, exactly.
    SmallVector<size_t> dims;
    int64_t covered = 1;
    while (covered < run && dim < shape.size()) {
      covered *= shape[dim];
      dims.push_back(dim++);
    }
    if (covered != run)
      return std::nullopt;
    int64_t stride = strides[end - 1];
    for (size_t d : llvm::reverse(dims)) {
      result.strides[d] = shape[d] == 1 ? 0 : stride;
      stride *= shape[d];
    }
    old = end;
  }
  if (old != sizes.size())
    return std::nullopt;
  return result;
}

/// `view` broadcast (numpy) to `shape`: dims of size 1 and new leading
/// dims read one element (stride 0).
StridedView broadcastView(const StridedView &view, ArrayRef<int64_t> shape) {
  StridedView result;
  result.offset = view.offset;
  result.shape.assign(shape.begin(), shape.end());
  result.strides.assign(shape.size(), 0);
  int64_t lead = static_cast<int64_t>(shape.size()) -
                 static_cast<int64_t>(view.shape.size());
  for (auto [i, size] : llvm::enumerate(view.shape))
    if (size != 1 || shape[lead + i] == 1)
      result.strides[lead + i] = view.strides[i];
  return result;
}

/// Whether `op` can be folded into an operand's addressing.
bool isAddressingOp(Operation *op) {
  if (isa<TransposeOp, ReshapeOp, SplitOp>(op))
    return true;
  if (auto slice = dyn_cast<SliceOp>(op))
    return llvm::all_of(slice.getSteps(), [](int64_t s) { return s > 0; });
  if (auto add = dyn_cast<AddOp>(op))
    return isa<FloatType>(add.getType().getElementType());
  return false;
}

struct SourcedView {
  Value source;
  StridedView view;
};

/// `value` as a sum of strided views of values outside `folded`; failure
/// sets `failing` to the op whose result strides cannot express.
FailureOr<SmallVector<SourcedView>>
viewsOf(Value value, const llvm::DenseSet<Operation *> &folded,
        Operation *&failing) {
  Operation *def = value.getDefiningOp();
  auto type = cast<RankedTensorType>(value.getType());
  if (!def || !folded.contains(def))
    return SmallVector<SourcedView>{{value, rowMajorView(type.getShape())}};
  if (auto add = dyn_cast<AddOp>(def)) {
    SmallVector<SourcedView> sum;
    for (Value operand : {add.getLhs(), add.getRhs()}) {
      FailureOr<SmallVector<SourcedView>> part =
          viewsOf(operand, folded, failing);
      if (failed(part))
        return failure();
      for (SourcedView &term : *part)
        sum.push_back({term.source, broadcastView(term.view, type.getShape())});
    }
    if (sum.size() > kMaxViews) {
      failing = def;
      return failure();
    }
    return sum;
  }
  FailureOr<SmallVector<SourcedView>> input =
      viewsOf(def->getOperand(0), folded, failing);
  if (failed(input))
    return failure();
  for (SourcedView &term : *input) {
    StridedView &view = term.view;
    if (auto transpose = dyn_cast<TransposeOp>(def)) {
      view = transposeView(view, transpose.getPerm());
    } else if (isa<ReshapeOp>(def)) {
      std::optional<StridedView> reshaped =
          reshapeView(view, type.getShape());
      if (!reshaped) {
        failing = def;
        return failure();
      }
      view = *reshaped;
    } else if (auto slice = dyn_cast<SliceOp>(def)) {
      for (auto [axis, start, step] :
           llvm::zip(slice.getAxes(), slice.getStarts(), slice.getSteps())) {
        view.offset += start * view.strides[axis];
        view.strides[axis] *= step;
      }
      view.shape.assign(type.getShape().begin(), type.getShape().end());
    } else if (auto split = dyn_cast<SplitOp>(def)) {
      int64_t axis = static_cast<int64_t>(split.getAxis());
      unsigned index = cast<OpResult>(value).getResultNumber();
      int64_t start = 0;
      for (int64_t size : split.getSizes().take_front(index))
        start += size;
      view.offset += start * view.strides[axis];
      view.shape.assign(type.getShape().begin(), type.getShape().end());
    }
  }
  return input;
}

} // namespace

AttentionAddressing mlir::fuse::planAttentionAddressing(AttentionOp attention) {
  Block *block = attention->getBlock();
  // The candidates: what Q, K and V are computed from through addressing
  // ops of the block.
  llvm::DenseSet<Operation *> folded;
  SmallVector<Value> work = {attention.getQuery(), attention.getKey(),
                             attention.getValue()};
  while (!work.empty()) {
    Value value = work.pop_back_val();
    Operation *def = value.getDefiningOp();
    if (!def || def->getBlock() != block || !isAddressingOp(def) ||
        !folded.insert(def).second)
      continue;
    for (Value operand : def->getOperands())
      work.push_back(operand);
  }
  // Shrink to a fixed point: a producer whose value is needed elsewhere is
  // computed anyway; one whose view strides cannot express is
  // materialized (and what only it used with it).
  auto neededElsewhere = [&](Operation *op) {
    for (Value result : op->getResults())
      for (OpOperand &use : result.getUses()) {
        Operation *user = use.getOwner();
        if (folded.contains(user))
          continue;
        if (user == attention.getOperation() && use.getOperandNumber() < 3)
          continue;
        return true;
      }
    return false;
  };
  AttentionAddressing plan;
  while (true) {
    SmallVector<Operation *> elsewhere;
    for (Operation *op : folded)
      if (neededElsewhere(op))
        elsewhere.push_back(op);
    for (Operation *op : elsewhere)
      folded.erase(op);
    if (!elsewhere.empty())
      continue;
    plan.operands.clear();
    Operation *failing = nullptr;
    for (Value operand : {attention.getQuery(), attention.getKey(),
                          attention.getValue()}) {
      FailureOr<SmallVector<SourcedView>> views =
          viewsOf(operand, folded, failing);
      if (failed(views))
        break;
      SmallVector<AttentionView> &out = plan.operands.emplace_back();
      for (SourcedView &term : *views)
        out.push_back({term.source, term.view.offset, term.view.strides});
    }
    if (!failing)
      break;
    folded.erase(failing);
  }
  for (Operation &op : *block)
    if (folded.contains(&op))
      plan.producers.push_back(&op);

  // The output: the longest chain of single-use transposes and reshapes
  // whose inverse strides can express.
  SmallVector<Operation *> chain;
  Value current = attention.getResult();
  while (current.hasOneUse()) {
    Operation *user = *current.getUsers().begin();
    if (user->getBlock() != block || !isa<TransposeOp, ReshapeOp>(user))
      break;
    chain.push_back(user);
    current = user->getResult(0);
  }
  for (int64_t length = chain.size(); length >= 0; --length) {
    Value last = length ? chain[length - 1]->getResult(0)
                        : Value(attention.getResult());
    StridedView view =
        rowMajorView(cast<RankedTensorType>(last.getType()).getShape());
    bool expressible = true;
    for (int64_t i = length - 1; i >= 0 && expressible; --i) {
      Operation *op = chain[i];
      if (auto transpose = dyn_cast<TransposeOp>(op)) {
        ArrayRef<int64_t> perm = transpose.getPerm();
        SmallVector<int64_t> inverse(perm.size());
        for (auto [to, from] : llvm::enumerate(perm))
          inverse[from] = to;
        view = transposeView(view, inverse);
        continue;
      }
      std::optional<StridedView> reshaped = reshapeView(
          view, cast<RankedTensorType>(op->getOperand(0).getType()).getShape());
      if (!reshaped)
        expressible = false;
      else
        view = *reshaped;
    }
    if (!expressible)
      continue;
    plan.consumers.assign(chain.begin(), chain.begin() + length);
    plan.output = {last, view.offset, view.strides};
    break;
  }
  return plan;
}

AttentionOp mlir::fuse::attentionKernelOf(Block &body,
                                          AttentionAddressing &plan) {
  SmallVector<AttentionOp> attentions(body.getOps<AttentionOp>());
  if (attentions.size() != 1)
    return nullptr;
  AttentionOp attention = attentions.front();
  plan = planAttentionAddressing(attention);
  llvm::SmallPtrSet<Operation *, 16> members(plan.producers.begin(),
                                             plan.producers.end());
  members.insert(plan.consumers.begin(), plan.consumers.end());
  members.insert(attention);
  for (Operation &op : body.without_terminator())
    if (!members.contains(&op) &&
        !(op.hasTrait<OpTrait::ConstantLike>() && op.getNumOperands() == 0))
      return nullptr;
  auto yield = dyn_cast<YieldOp>(body.getTerminator());
  if (!yield || yield.getValues().size() != 1 ||
      yield.getValues().front() != plan.output.source)
    return nullptr;
  return attention;
}
