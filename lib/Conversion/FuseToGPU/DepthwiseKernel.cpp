//===- DepthwiseKernel.cpp - Direct depthwise-convolution kernels ---------===//
//
// `fuse-gpu-depthwise` (GPU pipeline step 4, after fuse-gpu-simt-gemm):
// replaces a block-mapped scf.forall tuned as `#fuse.tile<"depthwise", {BM,
// BN, warps, ...}>` whose tile body is a 2-D depthwise conv generic (its
// init, an elementwise epilogue chain) by one gpu.launch computing the
// convolution directly:
//
//   block (one per forall iteration) = the tile's channels (at most BN) by
//   its th x tw output positions (fuse-tile's tiling; th x tw <= BM);
//   shared memory = the input window of the tile, [channels][rows][cols]
//   as f32 (every input element a tap of the tile's outputs reads, the
//   halo included), then its taps [channels][KH x KW] as f32;
//   staging: one pass of the block's threads over the window, consecutive
//   threads on consecutive columns (coalesced), each element through the
//   implicit-GEMM conv's input addressing (ConvGather::inputElement:
//   padding, the tiled pad's guard and a fused elementwise producer give
//   the padded input's element, zero outside), then the taps, a barrier;
//   compute: each thread takes outputs tid, tid + threads, ... (position
//   innermost: consecutive threads on consecutive output columns); the
//   window is linear in the conv's loops, so the offset of tap k from the
//   output's first tap is a constant: KH x KW ld.shared pairs and f32 FMAs,
//   unrolled; the epilogue runs in registers (emitEpilogueValue) and the
//   output is stored once, guarded by the tile's extent.
//
// The analysis (the tile's ops, the padded input, the epilogue chain, the
// reads the launch rebuilds), the launch, the input and weight addressing
// and the epilogue are the GEMM kernels' (GemmPlan.h); this file adds the
// window, its staging and the direct product.
//
//===----------------------------------------------------------------------===//

#include "GemmPlan.h"

#include "Fuse/Conversion/Passes.h"
#include "Fuse/CostModel/TileConfigAttr.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/MathExtras.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEGPUDEPTHWISE
#include "Fuse/Conversion/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse::gemm;

namespace {

/// The most taps the kernel unrolls (a 16 x 16 kernel).
constexpr int64_t kMaxTaps = 256;

/// An affine expression linear in the dims: sum of coefs[d] * d + constant.
struct LinearExpr {
  SmallVector<int64_t> coefs;
  int64_t constant = 0;
};

/// `expr` (dims, constants, +, * by a constant) as a linear form over
/// `numDims` dims with non-negative coefficients, or nothing.
std::optional<LinearExpr> linearize(AffineExpr expr, unsigned numDims) {
  LinearExpr result;
  result.coefs.assign(numDims, 0);
  if (auto d = dyn_cast<AffineDimExpr>(expr)) {
    result.coefs[d.getPosition()] = 1;
    return result;
  }
  if (auto c = dyn_cast<AffineConstantExpr>(expr)) {
    result.constant = c.getValue();
    return result;
  }
  auto bin = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!bin)
    return std::nullopt;
  std::optional<LinearExpr> lhs = linearize(bin.getLHS(), numDims);
  std::optional<LinearExpr> rhs = linearize(bin.getRHS(), numDims);
  if (!lhs || !rhs)
    return std::nullopt;
  if (bin.getKind() == AffineExprKind::Add) {
    for (unsigned d = 0; d < numDims; ++d)
      lhs->coefs[d] += rhs->coefs[d];
    lhs->constant += rhs->constant;
    return lhs;
  }
  if (bin.getKind() != AffineExprKind::Mul)
    return std::nullopt;
  // One side a constant.
  auto isConstant = [](const LinearExpr &e) {
    return llvm::all_of(e.coefs, [](int64_t c) { return c == 0; });
  };
  if (!isConstant(*rhs) && !isConstant(*lhs))
    return std::nullopt;
  if (!isConstant(*rhs))
    std::swap(lhs, rhs);
  for (int64_t &c : lhs->coefs)
    c *= rhs->constant;
  lhs->constant *= rhs->constant;
  return lhs;
}

/// What the kernel computes: the GEMM plan's conv analysis (GemmPlan.h)
/// and the window.
struct DepthwisePlan : GemmPlan {
  int64_t threads = 0;
  /// Per input dim: its window extent; per conv loop: the coefficient of
  /// the loop in the window's linear (row-major) index, and its constant.
  SmallVector<int64_t> windowShape, loopCoefs;
  int64_t windowConstant = 0, windowElements = 1;
  /// Bytes of the window and the taps in shared memory (static: two
  /// workgroup buffers, each 16-byte aligned).
  int64_t sharedBytes = 0;
};

class DepthwiseMatcher {
public:
  DepthwiseMatcher(scf::ForallOp forall, int64_t sharedMemoryLimit)
      : forall(forall), sharedMemoryLimit(sharedMemoryLimit) {}

  /// failure() with an error: a depthwise choice the kernel cannot build.
  /// success() without a plan: a forall this pass leaves alone.
  FailureOr<std::optional<DepthwisePlan>> match(std::string &declined);

private:
  bool matchBody(DepthwisePlan &plan);
  bool planWindow(DepthwisePlan &plan);

  scf::ForallOp forall;
  int64_t sharedMemoryLimit;
};

FailureOr<std::optional<DepthwisePlan>>
DepthwiseMatcher::match(std::string &declined) {
  auto tile = forall->getAttrOfType<fuse::TileAttr>("fuse.tile");
  if (!tile || tile.getImplementation() != "depthwise" ||
      !isBlockMapped(forall) || !forall.getOutputs().empty())
    return std::optional<DepthwisePlan>();
  DepthwisePlan plan;
  plan.forall = forall;
  DictionaryAttr params = tile.getParams();
  int64_t warps = 0;
  for (auto [name, value] : {std::pair<StringRef, int64_t *>{"BM", &plan.bm},
                             {"BN", &plan.bn},
                             {"warps", &warps}}) {
    auto attr = params.getAs<IntegerAttr>(name);
    if (!attr)
      return forall.emitOpError("fuse-gpu-depthwise: depthwise tile without ")
             << name;
    *value = attr.getInt();
    if (*value <= 0)
      return forall.emitOpError("fuse-gpu-depthwise: depthwise ")
             << name << " must be positive, got " << *value;
  }
  plan.threads = 32 * warps;
  if (plan.threads > 1024)
    return forall.emitOpError("fuse-gpu-depthwise: depthwise warps=")
           << warps << " exceeds 1024 threads";
  if (!matchBody(plan)) {
    declined = plan.declined;
    return std::optional<DepthwisePlan>();
  }
  if (plan.conv->filters > plan.bn)
    return forall.emitOpError("fuse-gpu-depthwise: the tile's ")
           << plan.conv->filters
           << " channels exceed the depthwise BN=" << plan.bn;
  if (plan.sharedBytes > sharedMemoryLimit)
    return forall.emitOpError("fuse-gpu-depthwise: the tile's input window "
                              "and taps need ")
           << plan.sharedBytes
           << " bytes of shared memory, more than the limit "
           << sharedMemoryLimit;
  return std::optional<DepthwisePlan>(std::move(plan));
}

bool DepthwiseMatcher::matchBody(DepthwisePlan &plan) {
  SmallVector<Operation *> computeOps;
  std::optional<PaddedInput> padded;
  if (!matchTileOps(plan, computeOps, padded))
    return false;
  linalg::LinalgOp conv = plan.contraction;
  if (linalg::isaContractionOpInterface(conv) || conv.getNumLoops() != 7)
    return decline(plan, "the contraction is not a 2-D conv");
  // Float data of at most 32 bits (computed in f32).
  auto isFloat = [](Value v) {
    auto type = dyn_cast<MemRefType>(v.getType());
    return type && isa<FloatType>(type.getElementType()) &&
           type.getElementType().getIntOrFloatBitWidth() <= 32;
  };
  if (!llvm::all_of(conv->getOperands(), isFloat))
    return decline(plan, "the conv's data are not floats of at most 32 "
                         "bits");
  // The conv's loops: its rows bounded by BM (matchConv checks).
  if (!matchConvPlan(plan, std::move(padded), WeightProducer(),
                     /*depthwise=*/true))
    return false;
  if (plan.conv->depth > kMaxTaps)
    return decline(plan, "the conv has " + Twine(plan.conv->depth) +
                             " taps, more than " + Twine(kMaxTaps));
  if (!matchEpilogueChain(plan, ArrayRef(computeOps).drop_front(2)) ||
      !rebuildsReads(plan))
    return false;
  if (!planWindow(plan))
    return decline(plan, "the conv's input window is not linear in its "
                         "loops");
  return true;
}

/// The window: the input map's results are linear in the conv loops with
/// non-negative coefficients, so each input index ranges over [constant,
/// constant + sum coef * (bound - 1)] in the tile; the window starts at 0
/// (the tile's input buffer is indexed from 0).
bool DepthwiseMatcher::planWindow(DepthwisePlan &plan) {
  const ConvAddressing &conv = *plan.conv;
  SmallVector<int64_t> maxLoop(conv.numLoops, 0);
  maxLoop[conv.filterDim] = conv.filters - 1;
  for (auto [d, size] : llvm::zip(conv.rowDims, conv.rowSizes))
    maxLoop[d] = size - 1;
  for (auto [d, size] : llvm::zip(conv.kDims, conv.kSizes))
    maxLoop[d] = size - 1;
  SmallVector<LinearExpr> exprs;
  for (AffineExpr expr : conv.inputMap.getResults()) {
    std::optional<LinearExpr> linear = linearize(expr, conv.numLoops);
    if (!linear || linear->constant < 0 ||
        llvm::any_of(linear->coefs, [](int64_t c) { return c < 0; }))
      return false;
    int64_t extent = linear->constant + 1;
    for (unsigned d = 0; d < conv.numLoops; ++d)
      extent += linear->coefs[d] * maxLoop[d];
    plan.windowShape.push_back(extent);
    exprs.push_back(*linear);
  }
  // Row-major strides of the window, folded into one coefficient per loop.
  plan.loopCoefs.assign(conv.numLoops, 0);
  int64_t stride = 1;
  for (int64_t i = exprs.size() - 1; i >= 0; --i) {
    for (unsigned d = 0; d < conv.numLoops; ++d)
      plan.loopCoefs[d] += stride * exprs[i].coefs[d];
    plan.windowConstant += stride * exprs[i].constant;
    stride *= plan.windowShape[i];
  }
  plan.windowElements = stride;
  plan.sharedBytes = llvm::alignTo(plan.windowElements * 4, 16) +
                     conv.filters * conv.depth * 4;
  return true;
}

//===----------------------------------------------------------------------===//
// Emission.
//===----------------------------------------------------------------------===//

class DepthwiseEmitter : IndexMath {
public:
  DepthwiseEmitter(DepthwisePlan &plan, OpBuilder &b)
      : IndexMath(b, UnknownLoc::get(b.getContext())), plan(plan) {}

  LogicalResult emit();

private:
  Value toF32(Value v) {
    Type f32 = b.getF32Type();
    return v.getType() == f32 ? v : arith::ExtFOp::create(b, loc, f32, v);
  }
  /// A loop over this thread's share of [0, count) (tid, tid + threads,
  /// ...); `body` gets the index. Leaves `b` after the loop.
  void threadLoop(int64_t count, function_ref<void(Value)> body);
  /// f32 `value` where `valid`, else 0.
  Value zeroUnless(Value valid, Value value);

  void stageWindow(Value window);
  void stageTaps(Value taps);
  void computeOutputs(Value window, Value taps);

  DepthwisePlan &plan;
  IRMapping mapping;
  Value tid, zeroIdx;
  std::optional<ConvGather> gather;
};

void DepthwiseEmitter::threadLoop(int64_t count,
                                  function_ref<void(Value)> body) {
  // Passes over [0, count) with uniform bounds; the last pass is guarded
  // when the threads do not divide the count.
  int64_t passes = llvm::divideCeil(count, plan.threads);
  auto loop = scf::ForOp::create(b, loc, cst(0), cst(passes), cst(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value index = add(mul(loop.getInductionVar(), plan.threads), tid);
  if (count % plan.threads) {
    auto ifOp = scf::IfOp::create(b, loc, ult(index, cst(count)),
                                  /*withElseRegion=*/false);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  }
  body(index);
}

Value DepthwiseEmitter::zeroUnless(Value valid, Value value) {
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  return arith::SelectOp::create(b, loc, valid, toF32(value), zero);
}

void DepthwiseEmitter::stageWindow(Value window) {
  const ConvAddressing &conv = *plan.conv;
  // An input that is not padded in the tile is a view of the input: its
  // extents bound the window (a partial tile at the plane's border).
  SmallVector<Value> extents;
  if (!conv.padded) {
    Value input = mapping.lookupOrDefault(conv.input);
    for (unsigned i = 0; i < plan.windowShape.size(); ++i)
      extents.push_back(memref::DimOp::create(b, loc, input, i));
  }
  threadLoop(plan.windowElements, [&](Value e) {
    SmallVector<Value> indices(plan.windowShape.size());
    Value rest = e;
    for (int64_t i = plan.windowShape.size() - 1; i >= 0; --i) {
      indices[i] = i == 0 ? rest : rem(rest, plan.windowShape[i]);
      if (i)
        rest = div(rest, plan.windowShape[i]);
    }
    Value valid = arith::ConstantIntOp::create(b, loc, 1, 1);
    for (auto [index, extent] : llvm::zip(indices, extents))
      valid = andi(valid, ult(index, extent));
    auto [inside, value] = gather->inputElement(indices, valid);
    memref::StoreOp::create(b, loc, zeroUnless(inside, value), window, e);
  });
}

void DepthwiseEmitter::stageTaps(Value taps) {
  int64_t depth = plan.conv->depth;
  threadLoop(plan.conv->filters * depth, [&](Value e) {
    auto [valid, value] = gather->elementB(div(e, depth), rem(e, depth));
    memref::StoreOp::create(b, loc, zeroUnless(valid, value), taps, e);
  });
}

void DepthwiseEmitter::computeOutputs(Value window, Value taps) {
  const ConvAddressing &conv = *plan.conv;
  Value out = mapping.lookupOrDefault(plan.finalOut);
  threadLoop(conv.filters * conv.rows, [&](Value o) {
    Value f = div(o, conv.rows), position = rem(o, conv.rows);
    Value inside = andi(ult(f, gather->extentN), gather->rowInBounds(position));
    auto ifOp = scf::IfOp::create(b, loc, inside, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    // The conv loops of the output (its reduction loops 0): the window
    // index of its first tap, the taps' offsets from it constants.
    SmallVector<Value> loops = gather->loops(position, f, Value());
    Value base = cst(plan.windowConstant);
    for (unsigned d = 0; d < conv.numLoops; ++d)
      if (plan.loopCoefs[d] && !llvm::is_contained(conv.kDims, d))
        base = add(base, mul(loops[d], plan.loopCoefs[d]));
    Value tapBase = mul(f, conv.depth);
    Value acc = plan.fill
                    ? toF32(mapping.lookupOrDefault(
                          plan.fill.getDpsInputOperand(0)->get()))
                    : arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f))
                          .getResult();
    for (int64_t k = 0; k < conv.depth; ++k) {
      // Tap k's reduction loop values (row-major over kDims).
      int64_t offset = 0, rest = k;
      for (int64_t i = conv.kDims.size() - 1; i >= 0; --i) {
        offset += plan.loopCoefs[conv.kDims[i]] * (rest % conv.kSizes[i]);
        rest /= conv.kSizes[i];
      }
      Value x = memref::LoadOp::create(b, loc, window,
                                       ValueRange{add(base, cst(offset))});
      Value w = memref::LoadOp::create(b, loc, taps,
                                       ValueRange{add(tapBase, cst(k))});
      acc = math::FmaOp::create(b, loc, x, w, acc);
    }
    Value value = emitEpilogueValue(b, loc, plan, mapping, acc, loops, zeroIdx);
    memref::StoreOp::create(b, loc, value, out,
                            epilogueOutIndices(plan, loops, zeroIdx));
  });
}

LogicalResult DepthwiseEmitter::emit() {
  scf::ForallOp forall = plan.forall;
  loc = forall.getLoc();
  MLIRContext *ctx = b.getContext();
  // Static shared memory (workgroup attributions): the window and the
  // taps are addressed at constant offsets, which a dynamic buffer (a
  // one-byte symbol in PTX) would make ptxas flag as out of bounds.
  gpu::LaunchOp launch =
      buildTileLaunch(b, plan, mapping, plan.threads, /*sharedBytes=*/0);
  zeroIdx = cst(0);
  tid = launch.getThreadIds().x;
  FailureOr<ConvGather> conv =
      ConvGather::create(plan, b, loc, mapping, zeroIdx);
  if (failed(conv))
    return failure();
  gather.emplace(*conv);
  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto flat = [&](int64_t elements) {
    return MemRefType::get({elements}, b.getF32Type(),
                           MemRefLayoutAttrInterface(), workgroup);
  };
  Value window = launch.addWorkgroupAttribution(flat(plan.windowElements), loc);
  Value taps = launch.addWorkgroupAttribution(
      flat(plan.conv->filters * plan.conv->depth), loc);
  stageWindow(window);
  stageTaps(taps);
  gpu::BarrierOp::create(b, loc);
  computeOutputs(window, taps);
  return success();
}

struct FuseGpuDepthwisePass
    : public mlir::fuse::impl::FuseGpuDepthwiseBase<FuseGpuDepthwisePass> {
  using FuseGpuDepthwiseBase::FuseGpuDepthwiseBase;

  void runOnOperation() override {
    if (failed(lowerTunedForalls<DepthwisePlan>(
            getOperation(), "depthwise", "fuse-gpu-depthwise",
            [&](scf::ForallOp forall, std::string &declined) {
              return DepthwiseMatcher(forall, sharedMemoryLimit)
                  .match(declined);
            },
            [](auto &plan, OpBuilder &builder) {
              return DepthwiseEmitter(plan, builder).emit();
            })))
      signalPassFailure();
  }
};

} // namespace
