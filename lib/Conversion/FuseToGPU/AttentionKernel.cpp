//===- AttentionKernel.cpp - FlashAttention-2 kernels for attention groups
//-===//
//
// `fuse-gpu-attention`: every fuse.group tuned as
// #fuse.tile<"flash_attention", {BQ, BKV, warps, stages}> whose body is one
// fuse.attention (fuse-tile leaves it so) gets the attention replaced by one
// gpu.launch of a FlashAttention-2 style kernel, at tensor level:
//
//   %q' = bufferization.to_buffer %q read_only   (and K, V, the mask)
//   %o  = memref.alloc()
//   gpu.launch ... { the kernel } {fuse.kernel = "group_<N>"}
//   %r  = bufferization.to_tensor %o restrict writable
//
// The kernel (fp32 math on the FMA pipes; f16/bf16 operands are extended on
// load and the output truncated on store):
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

#include "Fuse/Conversion/Passes.h"
#include "Fuse/CostModel/TileConfigAttr.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
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

namespace {

constexpr int64_t kWarpSize = 32;
/// Padding (floats) of a K row in shared memory.
constexpr int64_t kKeyPad = 4;

/// The parameters one kernel is built with.
struct AttentionTile {
  int64_t bq, bkv, warps, buffers;
};

/// The static facts of one attention op.
struct AttentionShape {
  SmallVector<int64_t> lead; // leading dims of Q/K/V/O
  int64_t seqQ, seqKV, headDim, valueDim;
  int64_t leadCount;
  bool causal;
  double scale;
  Type elementType;
};

int64_t sharedBytes(const AttentionShape &s, const AttentionTile &t) {
  int64_t floats = t.bq * s.headDim +
                   t.buffers * t.bkv * (s.headDim + kKeyPad + s.valueDim) +
                   t.bq * t.bkv;
  return floats * 4;
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
                const AttentionTile &tile, Value q, Value k, Value v,
                Value mask, Value out, bool host)
      : b(b), loc(loc), s(shape), t(tile), q(q), k(k), v(v), mask(mask),
        out(out), host(host) {
    rows = t.bq / t.warps;
    cols = t.bkv / kWarpSize;
    outCols = s.valueDim / kWarpSize;
    threads = t.warps * kWarpSize;
    f32 = b.getF32Type();
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
  /// [0, width) of `src` (rows >= rowLimit read as 0) to `dst` at float
  /// `dstOffset`, row stride `dstStride`; consecutive threads take
  /// consecutive columns.
  void loadTile(Value tid, Value src, Value rowStart, int64_t tileRows,
                int64_t width, int64_t rowLimit, Value dst, Value dstOffset,
                int64_t dstStride);
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
  void warpReduce(ThreadState &state, bool isMax);
  Value combine(Value x, Value y, bool isMax) {
    return isMax ? Value(arith::MaximumFOp::create(b, loc, x, y))
                 : Value(arith::AddFOp::create(b, loc, x, y));
  }
  /// The block (qTile, the leading index set before).
  void buildBlock(Value qTile);

  OpBuilder &b;
  Location loc;
  const AttentionShape &s;
  const AttentionTile &t;
  Value q, k, v, mask, out;
  bool host;
  int64_t rows, cols, outCols, threads;
  Type f32;
  ThreadCtx kernelThread;
  SmallVector<Value> leadIndex;
  Value qs, ks, vs, ps;
  ThreadState acc, maxes, sums, scores, rowMax, scratch;
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
        memref::StoreOp::create(b, loc, value, state->array,
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

void KernelBuilder::warpReduce(ThreadState &state, bool isMax) {
  for (int32_t offset = kWarpSize / 2; offset >= 1; offset /= 2) {
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

Value KernelBuilder::sharedView(Value base, int64_t offset, int64_t floats) {
  auto wg =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  auto type = MemRefType::get({floats}, f32, MemRefLayoutAttrInterface(), wg);
  return memref::ViewOp::create(b, loc, type, base, idx(offset * 4),
                                ValueRange{});
}

void KernelBuilder::loadTile(Value tid, Value src, Value rowStart,
                             int64_t tileRows, int64_t width, int64_t rowLimit,
                             Value dst, Value dstOffset, int64_t dstStride) {
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
          Value x = toF32(
              memref::LoadOp::create(b, loc, src, operandIndex(safeRow, c)));
          x = arith::SelectOp::create(b, loc, inside, x, flt(0.0));
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
  const int64_t qFloats = t.bq * s.headDim;
  const int64_t kFloats = t.bkv * (s.headDim + kKeyPad);
  const int64_t vFloats = t.bkv * s.valueDim;
  qs = sharedView(base, 0, qFloats);
  ks = sharedView(base, qFloats, t.buffers * kFloats);
  vs = sharedView(base, qFloats + t.buffers * kFloats, t.buffers * vFloats);
  ps =
      sharedView(base, qFloats + t.buffers * (kFloats + vFloats), t.bq * t.bkv);
  acc = newState(rows * outCols);
  maxes = newState(rows);
  sums = newState(rows);
  scores = newState(rows * cols);
  rowMax = newState(rows);
  buildBlock(launch.getBlockIds().x);
  gpu::TerminatorOp::create(b, loc);
}

void KernelBuilder::buildHost() {
  // The block's shared memory and the threads' registers, once.
  auto buffer = [&](int64_t floats) -> Value {
    return memref::AllocaOp::create(b, loc, MemRefType::get({floats}, f32),
                                    b.getI64IntegerAttr(64));
  };
  qs = buffer(t.bq * s.headDim);
  ks = buffer(t.buffers * t.bkv * (s.headDim + kKeyPad));
  vs = buffer(t.buffers * t.bkv * s.valueDim);
  ps = buffer(t.bq * t.bkv);
  acc = newState(rows * outCols);
  maxes = newState(rows);
  sums = newState(rows);
  scores = newState(rows * cols);
  rowMax = newState(rows);
  scratch = newState(rows);
  // The grid, block after block: y (leading index) outer, x (query tile).
  scf::ForOp::create(b, loc, idx(0), idx(s.leadCount), idx(1), ValueRange{},
                     [&](OpBuilder &, Location, Value leadLinear, ValueRange) {
                       setLeadIndex(leadLinear);
                       scf::ForOp::create(
                           b, loc, idx(0), idx((s.seqQ + t.bq - 1) / t.bq),
                           idx(1), ValueRange{},
                           [&](OpBuilder &, Location, Value qTile, ValueRange) {
                             buildBlock(qTile);
                             scf::YieldOp::create(b, loc);
                           });
                       scf::YieldOp::create(b, loc);
                     });
}

void KernelBuilder::buildBlock(Value qTile) {
  const int64_t d = s.headDim, dv = s.valueDim;
  const int64_t keyStride = d + kKeyPad;
  const int64_t kFloats = t.bkv * keyStride;
  const int64_t vFloats = t.bkv * dv;
  const double minusInf = -std::numeric_limits<double>::infinity();

  Value q0 = mulC(qTile, t.bq);
  Value tiles = visibleTiles(q0);
  auto loadKV = [&](Value tid, Value tileIndex, Value buffer) {
    Value kv0 = mulC(tileIndex, t.bkv);
    loadTile(tid, k, kv0, t.bkv, d, s.seqKV, ks, mulC(buffer, kFloats),
             keyStride);
    loadTile(tid, v, kv0, t.bkv, dv, s.seqKV, vs, mulC(buffer, vFloats), dv);
  };
  phase({}, {&acc, &maxes, &sums}, [&](const ThreadCtx &ctx, ArrayRef<Value>) {
    loadTile(ctx.tid, q, q0, t.bq, d, s.seqQ, qs, idx(0), d);
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
  SmallVector<ThreadState *> carriedStates = {&acc, &maxes, &sums};
  if (host) {
    scf::ForOp::create(b, loc, idx(0), tiles, idx(1), ValueRange{},
                       [&](OpBuilder &, Location, Value tileIndex, ValueRange) {
                         body(tileIndex);
                         scf::YieldOp::create(b, loc);
                       });
  } else {
    SmallVector<Value> init;
    for (ThreadState *state : carriedStates)
      init.append(state->values);
    auto loop = scf::ForOp::create(
        b, loc, idx(0), tiles, idx(1), init,
        [&](OpBuilder &, Location, Value tileIndex, ValueRange args) {
          ValueRange rest = args;
          for (ThreadState *state : carriedStates) {
            state->values.assign(rest.begin(), rest.begin() + state->size);
            rest = rest.drop_front(state->size);
          }
          body(tileIndex);
          SmallVector<Value> yielded;
          for (ThreadState *state : carriedStates)
            yielded.append(state->values);
          scf::YieldOp::create(b, loc, yielded);
        });
    ValueRange rest = loop.getResults();
    for (ThreadState *state : carriedStates) {
      state->values.assign(rest.begin(), rest.begin() + state->size);
      rest = rest.drop_front(state->size);
    }
  }

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
              memref::StoreOp::create(
                  b, loc, o, out,
                  operandIndex(row, addC(ctx.lane, c * kWarpSize)));
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

  /// The attention a flash_attention group is made of, or null when the
  /// group is not one (left untouched).
  static AttentionOp soleAttention(GroupOp group) {
    auto tile = group->getAttrOfType<TileAttr>("fuse.tile");
    if (!tile || getTileConfig(tile).impl != "flash_attention")
      return nullptr;
    Block &body = group.getBody().front();
    if (!llvm::hasSingleElement(body.without_terminator()))
      return nullptr;
    auto attention = dyn_cast<AttentionOp>(body.front());
    auto yield = cast<YieldOp>(body.getTerminator());
    if (!attention || yield.getValues().size() != 1 ||
        yield.getValues().front() != attention.getResult())
      return nullptr;
    return attention;
  }

  LogicalResult rewrite(GroupOp group, AttentionOp attention, StringRef name) {
    TileConfig config =
        getTileConfig(group->getAttrOfType<TileAttr>("fuse.tile"));
    auto fail = [&](const Twine &why) {
      return group.emitOpError("fuse-gpu-attention: ") << name << ": " << why;
    };
    for (StringRef param : {"BQ", "BKV", "warps", "stages"})
      if (!config.has(param))
        return fail("the flash_attention choice has no " + param);
    auto qType = cast<RankedTensorType>(attention.getQuery().getType());
    auto kType = cast<RankedTensorType>(attention.getKey().getType());
    auto vType = cast<RankedTensorType>(attention.getValue().getType());
    int64_t rank = qType.getRank();
    AttentionShape shape;
    shape.elementType = qType.getElementType();
    if (!shape.elementType.isF32() && !shape.elementType.isF16() &&
        !shape.elementType.isBF16())
      return fail("element type ")
             << shape.elementType << " is not supported (f32, f16, bf16)";
    if (rank < 3)
      return fail("query rank ") << rank << " is not supported (at least 3)";
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
    if (shape.seqQ == 0 || shape.seqKV == 0 || shape.leadCount == 0)
      return fail("empty attention operands are not supported");
    if (shape.headDim % 4 || shape.headDim > 256)
      return fail("head dim ")
             << shape.headDim
             << " is not supported (a multiple of 4, at most 256)";
    if (shape.valueDim % kWarpSize || shape.valueDim > 128)
      return fail("value head dim ")
             << shape.valueDim
             << " is not supported (a multiple of 32, at most 128)";
    if (shape.leadCount > 65535)
      return fail("") << shape.leadCount
                      << " (batch x heads) exceed the grid's y dimension";

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
    // A lane owns whole columns of the K/V tile.
    tile.bkv = (tile.bkv + kWarpSize - 1) / kWarpSize * kWarpSize;
    while (sharedBytes(shape, tile) > sharedMemoryLimit) {
      if (tile.buffers > 1)
        tile.buffers = 1;
      else if (tile.bkv > kWarpSize)
        tile.bkv /= 2;
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
    Value q = toBuffer(attention.getQuery());
    Value k = toBuffer(attention.getKey());
    Value v = toBuffer(attention.getValue());
    Value mask = attention.getMask() ? toBuffer(attention.getMask()) : Value();
    auto outType = cast<RankedTensorType>(attention.getType());
    Value out = memref::AllocOp::create(
        b, loc, MemRefType::get(outType.getShape(), outType.getElementType()));

    int64_t bytes = sharedBytes(shape, tile);
    auto tileAttr = b.getDictionaryAttr(
        {b.getNamedAttr("BQ", b.getI64IntegerAttr(tile.bq)),
         b.getNamedAttr("BKV", b.getI64IntegerAttr(tile.bkv)),
         b.getNamedAttr("warps", b.getI64IntegerAttr(tile.warps)),
         b.getNamedAttr("buffers", b.getI64IntegerAttr(tile.buffers)),
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
      launch->setAttr("fuse.attention_tile", tileAttr);
      kernel.buildKernel(launch);
      b.setInsertionPointAfter(launch);
    }
    Value result = bufferization::ToTensorOp::create(
        b, loc, outType, out, b.getUnitAttr(), b.getUnitAttr());
    attention.replaceAllUsesWith(result);
    attention.erase();
    return success();
  }

  void runOnOperation() override {
    int64_t index = 0;
    SmallVector<std::pair<GroupOp, std::string>> groups;
    getOperation()->walk([&](GroupOp group) {
      groups.push_back({group, "group_" + std::to_string(index++)});
    });
    for (auto &[group, name] : groups)
      if (AttentionOp attention = soleAttention(group))
        if (failed(rewrite(group, attention, name)))
          return signalPassFailure();
  }
};

} // namespace
