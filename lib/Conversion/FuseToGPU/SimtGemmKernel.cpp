//===- SimtGemmKernel.cpp - fp32 SIMT GEMM kernels (fma_gemm) -------------===//
//
// `fuse-gpu-simt-gemm` (GPU pipeline step 4, after fuse-gpu-gemm): replaces
// a block-mapped scf.forall tuned as `#fuse.tile<"fma_gemm", {BM, BN, BK,
// warps, ...}>` whose tile body is linalg.fill + an f32 contraction +
// elementwise epilogue generics (on memrefs, after bufferization) by one
// gpu.launch computing the classic register-blocked SGEMM on the FMA pipes:
//
//   block (one per forall iteration) = a BM x BN tile of the output;
//   threads T = 32 * warps, a (BM / TM) x (BN / TN) grid; thread (ty, tx) =
//   (tid / (BN / TN), tid % (BN / TN)) owns the TM x TN micro-tile at rows
//   ty * TM + [0, TM), columns tx * TN + [0, TN) of the block tile, with
//   TM * TN = BM * BN / T (TM the larger power of two of the two);
//   the A and B tiles of one K step are staged in dynamic shared memory as
//   [BK][BM + 4] and [BK][BN + 4] (k-major, so a thread's TM values of A and
//   TN values of B at one k are contiguous: vector ld.shared; the pad of 4
//   keeps the rows 16-byte aligned and spreads the stores of a
//   K-contiguous operand over the banks), two buffers of each: the tile of
//   K step kt + 1 is loaded from global memory into registers while step kt
//   is computed from the other buffer, then stored, one barrier per step;
//   per k of a step: TM + TN ld.shared values and TM x TN fma (vector.fma
//   on rows of TN accumulators, unrolled);
//   the epilogue (the payloads of the elementwise generics after the
//   contraction) runs on each accumulator in registers, then one store per
//   element, guarded by the tile's extent.
//
// Staging: each operand tile is read with its contiguous (global) dimension
// innermost over consecutive threads (coalesced), as 128-bit vector loads
// when that dimension is contiguous, its extent and every offset and stride
// of the buffer multiples of 4 (else one element per load); an element or
// vector outside the operand (partial M, N or K tiles) is loaded from a
// clamped address and replaced by zero. Any indexing of A and B the
// contraction has (transposed operands, batch dimensions and unit m or n
// dimensions whose tile size is 1, e.g. a 3-d activation times a 2-d
// weight) is served by the same addressing.
//
// The analysis of the tile body (its ops, the epilogue chain, the reads the
// launch rebuilds), the launch and the epilogue of an element are the GEMM
// kernels' (GemmPlan.h); the contraction's dims and the operand addressing
// (any projected permutation, unit dims, 128-bit loads where aligned) are
// this kernel's, as fuse-gpu-gemm's checks mma-specific chunk alignment.
//
//===----------------------------------------------------------------------===//

#include "GemmPlan.h"

#include "Fuse/Conversion/Passes.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/Support/MathExtras.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEGPUSIMTGEMM
#include "Fuse/Conversion/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse::gemm;

namespace {

/// Elements of a 128-bit vector load of f32.
constexpr int64_t kVector = 4;
/// Pad (elements) of a shared-memory row.
constexpr int64_t kPad = 4;

/// A or B as the kernel stages it: a [BK][outer] tile.
struct SimtOperand {
  Value memref;      // The operand in the forall body.
  AffineMap map;     // Its indexing map over the contraction loops.
  unsigned outerDim; // m for A, n for B.
  unsigned fastDim;  // The loop dim of its contiguous dimension.
  int64_t vector = 1; // Elements per global load (kVector or 1).
};

/// The GEMM plan (GemmPlan.h: fill, contraction, dims, tile, epilogue
/// chain) and how this kernel stages and stores it.
struct SimtGemmPlan : GemmPlan {
  SimtOperand stageA, stageB;
  int64_t threads = 0, tm = 0, tn = 0;
  /// Elements per store of the result (kVector when its last dim is n,
  /// contiguous and aligned, and TN a multiple of it; else 1).
  int64_t storeVector = 1;
};

/// The alignment of a thread's fragment of `n` values in a shared row (rows
/// are multiples of 4 elements, the fragment starts at a multiple of n).
llvm::MaybeAlign fragmentAlign(int64_t n) {
  return llvm::MaybeAlign(4 * std::min<int64_t>(n, kVector));
}

/// The micro-tile of each thread: TM x TN = BM * BN / threads, powers of two,
/// TM >= TN.
std::pair<int64_t, int64_t> microTile(int64_t perThread) {
  int64_t log = llvm::Log2_64(perThread);
  int64_t tm = int64_t(1) << ((log + 1) / 2);
  return {tm, perThread / tm};
}

class SimtGemmMatcher {
public:
  SimtGemmMatcher(scf::ForallOp forall, int64_t sharedMemoryLimit)
      : forall(forall), sharedMemoryLimit(sharedMemoryLimit) {}

  /// failure() with an error: an fma_gemm choice the kernel cannot build.
  /// success() without a plan: a forall this pass leaves alone
  /// (`declined`: why, for one tuned fma_gemm).
  FailureOr<std::optional<SimtGemmPlan>> match(std::string &declined);

private:
  bool matchBody(SimtGemmPlan &plan);
  /// A conv generic as an implicit GEMM (GemmPlan::conv).
  bool matchConvBody(SimtGemmPlan &plan, std::optional<PaddedInput> padded,
                     const WeightProducer &weightProducer,
                     ArrayRef<Operation *> computeOps);
  bool matchOperand(SimtGemmPlan &plan, OpOperand *operand, unsigned outer,
                    SimtOperand &result);
  bool isVectorAligned(Value memref, unsigned dim);

  scf::ForallOp forall;
  int64_t sharedMemoryLimit;
};

FailureOr<std::optional<SimtGemmPlan>>
SimtGemmMatcher::match(std::string &declined) {
  auto tile = forall->getAttrOfType<fuse::TileAttr>("fuse.tile");
  if (!tile || tile.getImplementation() != "fma_gemm" ||
      !isBlockMapped(forall) || !forall.getOutputs().empty())
    return std::optional<SimtGemmPlan>();
  SimtGemmPlan plan;
  plan.forall = forall;
  DictionaryAttr params = tile.getParams();
  // A conv's output positions per tile are bounded by BM (checked below).
  if (auto bm = params.getAs<IntegerAttr>("BM"))
    plan.bm = bm.getInt();
  // The body first: a non-GEMM group tuned fma_gemm (cannot happen from
  // the tuner, but a hand-written choice can) is left to the generic path.
  if (!matchBody(plan)) {
    declined = plan.declined;
    return std::optional<SimtGemmPlan>();
  }
  int64_t warps = 0;
  for (auto [name, value] :
       {std::pair<StringRef, int64_t *>{"BM", &plan.bm}, {"BN", &plan.bn},
        {"BK", &plan.bk}, {"warps", &warps}}) {
    auto attr = params.getAs<IntegerAttr>(name);
    if (!attr)
      return forall.emitOpError("fuse-gpu-simt-gemm: fma_gemm tile without ")
             << name;
    *value = attr.getInt();
    if (*value <= 0 || !llvm::isPowerOf2_64(*value))
      return forall.emitOpError("fuse-gpu-simt-gemm: fma_gemm ")
             << name << " must be a positive power of two, got " << *value;
  }
  plan.threads = 32 * warps;
  if (plan.threads > 1024)
    return forall.emitOpError("fuse-gpu-simt-gemm: fma_gemm warps=")
           << warps << " exceeds 1024 threads";
  if ((plan.bm * plan.bn) % plan.threads)
    return forall.emitOpError("fuse-gpu-simt-gemm: fma_gemm tile ")
           << plan.bm << "x" << plan.bn << " does not divide among "
           << plan.threads << " threads";
  std::tie(plan.tm, plan.tn) = microTile(plan.bm * plan.bn / plan.threads);
  auto outType = cast<MemRefType>(plan.finalOut.getType());
  SmallVector<int64_t> outStrides;
  int64_t outOffset;
  unsigned outLast = outType.getRank() - 1;
  if (!plan.conv && plan.tn % kVector == 0 &&
      outType.getElementType().isF32() &&
      plan.outDims.back() == plan.dimN &&
      succeeded(outType.getStridesAndOffset(outStrides, outOffset)) &&
      outStrides[outLast] == 1 && isVectorAligned(plan.finalOut, outLast))
    plan.storeVector = kVector;
  if (plan.bm % plan.tm || plan.bn % plan.tn)
    return forall.emitOpError("fuse-gpu-simt-gemm: fma_gemm tile ")
           << plan.bm << "x" << plan.bn << " does not split into "
           << plan.threads << " micro-tiles of " << plan.tm << "x"
           << plan.tn;
  int64_t smem = 2 * plan.bk * (plan.bm + plan.bn + 2 * kPad) * 4;
  if (smem > sharedMemoryLimit)
    return forall.emitOpError("fuse-gpu-simt-gemm: fma_gemm tile needs ")
           << smem << " bytes of shared memory, more than the limit "
           << sharedMemoryLimit;
  if (plan.conv) {
    // The tile's output positions (at most BM: matchConv) and filters.
    if (plan.conv->filters > plan.bn)
      return forall.emitOpError("fuse-gpu-simt-gemm: the conv tile's ")
             << plan.conv->filters
             << " filters exceed the fma_gemm block tile's BN=" << plan.bn;
    return std::optional<SimtGemmPlan>(std::move(plan));
  }
  // The contraction's static tile extents must fit the block tile.
  SmallVector<int64_t> ranges = plan.contraction.getStaticLoopRanges();
  if ((!ShapedType::isDynamic(ranges[plan.dimM]) &&
       ranges[plan.dimM] > plan.bm) ||
      (!ShapedType::isDynamic(ranges[plan.dimN]) &&
       ranges[plan.dimN] > plan.bn))
    return forall.emitOpError("fuse-gpu-simt-gemm: the contraction's tile (")
           << ranges[plan.dimM] << "x" << ranges[plan.dimN]
           << ") is larger than the fma_gemm block tile " << plan.bm << "x"
           << plan.bn;
  return std::optional<SimtGemmPlan>(std::move(plan));
}

/// Whether 128-bit loads along `dim` of `memref` stay aligned: every view
/// offset along it a multiple of 4 (a constant, or a forall iv with such a
/// lower bound and step), the root's offset and outer strides static
/// multiples of 4 and its extent along `dim` a static multiple of 4 (so a
/// vector is entirely inside or entirely outside).
bool SimtGemmMatcher::isVectorAligned(Value memref, unsigned dim) {
  if (!viewOffsetsAligned(forall, memref, dim, kVector))
    return false;
  memref = rootOf(memref);
  auto type = dyn_cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!type || failed(type.getStridesAndOffset(strides, offset)) ||
      ShapedType::isDynamic(offset) || offset % kVector ||
      strides[dim] != 1)
    return false;
  for (auto [i, stride] : llvm::enumerate(strides))
    if (i != dim && (ShapedType::isDynamic(stride) || stride % kVector))
      return false;
  int64_t extent = type.getShape()[dim];
  return !ShapedType::isDynamic(extent) && extent % kVector == 0;
}

/// A or B: f32, indexed by a projected permutation holding the k and
/// `outer` dims (and possibly the batch dim).
bool SimtGemmMatcher::matchOperand(SimtGemmPlan &plan, OpOperand *operand,
                                   unsigned outer, SimtOperand &result) {
  auto type = dyn_cast<MemRefType>(operand->get().getType());
  if (!type || !type.getElementType().isF32())
    return false;
  AffineMap map = plan.contraction.getMatchingIndexingMap(operand);
  if (!map.isProjectedPermutation(/*allowZeroInResults=*/true) ||
      !resultOf(map, plan.dimK) ||
      !resultOf(map, outer))
    return false;
  result.memref = operand->get();
  result.map = map;
  result.outerDim = outer;
  // The fastest-varying loop dim of the operand in memory: its innermost
  // dim if that has stride 1 (the layout of bufferized views), else k.
  result.fastDim = plan.dimK;
  SmallVector<int64_t> strides;
  int64_t offset;
  unsigned last = type.getRank() - 1;
  auto lastDim = dyn_cast<AffineDimExpr>(map.getResult(last));
  if (lastDim && succeeded(type.getStridesAndOffset(strides, offset)) &&
      strides[last] == 1) {
    unsigned d = lastDim.getPosition();
    if (d == plan.dimK || d == outer) {
      result.fastDim = d;
      // Along k every loaded element is summed: the tile's k extent must be
      // a static multiple of the vector too (along m or n, elements past
      // the extent only reach accumulators that are not stored).
      bool kAligned = d != plan.dimK || (!type.isDynamicDim(last) &&
                                         type.getDimSize(last) % kVector == 0);
      if (kAligned && isVectorAligned(result.memref, last))
        result.vector = kVector;
    }
  }
  return true;
}

bool SimtGemmMatcher::matchConvBody(SimtGemmPlan &plan,
                                    std::optional<PaddedInput> padded,
                                    const WeightProducer &weightProducer,
                                    ArrayRef<Operation *> computeOps) {
  // f32 input, weight and accumulator (and the fill or the init copy).
  linalg::LinalgOp conv = plan.contraction;
  auto isF32 = [](Value v) {
    auto type = dyn_cast<MemRefType>(v.getType());
    return type && type.getElementType().isF32();
  };
  if (llvm::any_of(conv.getDpsInputOperands(),
                   [&](OpOperand *input) { return !isF32(input->get()); }) ||
      !isF32(conv.getDpsInitOperand(0)->get()) ||
      (plan.fill && !plan.fill.getDpsInputOperand(0)->get().getType().isF32()))
    return decline(plan, "the conv's data are not f32");
  // The implicit GEMM's addressing (ConvAddressing: the gathers of A and
  // B through ConvGather), as the mma.sync kernel's; both operands are
  // gathered element by element: A with consecutive threads on
  // consecutive output positions, B on consecutive k (the weight's
  // contiguous dims).
  if (!matchConvPlan(plan, std::move(padded), weightProducer))
    return false;
  plan.stageA = {plan.a.memref, plan.a.map, plan.dimM, plan.dimM, 1};
  plan.stageB = {plan.b.memref, plan.b.map, plan.dimN, plan.dimK, 1};
  return matchEpilogueChain(plan, computeOps.drop_front(2)) &&
         rebuildsReads(plan);
}

bool SimtGemmMatcher::matchBody(SimtGemmPlan &plan) {
  SmallVector<Operation *> computeOps;
  std::optional<PaddedInput> padded;
  WeightProducer weightProducer;
  if (!matchTileOps(plan, computeOps, padded, &weightProducer))
    return false;
  linalg::LinalgOp contraction = plan.contraction;
  // A conv generic (batch, filter, output positions and reductions: more
  // loops than a matmul; linalg's contraction interface also rejects a
  // matmul whose A map has a constant 0, handled below).
  if (!linalg::isaContractionOpInterface(contraction) &&
      contraction.getNumLoops() > 4)
    return matchConvBody(plan, std::move(padded), weightProducer, computeOps);
  if (padded || weightProducer.producer || !plan.fill)
    return decline(plan, "a matmul tile with a padded input, a computed "
                         "weight or a bias-initialized accumulator");
  if (contraction.getNumDpsInputs() != 2)
    return decline(plan, "the contraction does not have two inputs");
  // The body is acc + a * b (linalg's contraction interface also checks the
  // indexing maps, which reject the constant 0 handled below).
  auto isMulAdd = [](Operation *mul, Operation *add) {
    return isa<arith::MulFOp>(mul) && isa<arith::AddFOp>(add);
  };
  if (!linalg::detail::isContractionBody(*contraction.getBlock(), isMulAdd))
    return decline(plan, "the contraction's body is not acc + a * b");
  Value acc = contraction.getDpsInitOperand(0)->get();
  if (!plan.fill.getDpsInputOperand(0)->get().getType().isF32() ||
      !cast<MemRefType>(acc.getType()).getElementType().isF32())
    return decline(plan, "the accumulator is not f32");
  // The loop dims by the operands they index (linalg's inference does not
  // accept a dim that only the result indexes, as the unit leading dim of
  // a 3-d activation times a 2-d weight, whose A map has a constant 0).
  // Dims of extent 1 in the tile (such a dim, the block's batch indices)
  // are index 0 in the kernel; one m and one n dim remain.
  SmallVector<int64_t> ranges = contraction.getStaticLoopRanges();
  auto isUnit = [&](unsigned d) { return ranges[d] == 1; };
  auto uses = [&](OpOperand *operand, unsigned d) {
    return resultOf(contraction.getMatchingIndexingMap(operand), d)
        .has_value();
  };
  SmallVector<unsigned> ms, ns, ks;
  SmallVector<utils::IteratorType> iterators =
      contraction.getIteratorTypesArray();
  for (unsigned d = 0, e = contraction.getNumLoops(); d < e; ++d) {
    bool inA = uses(contraction.getDpsInputOperand(0), d);
    bool inB = uses(contraction.getDpsInputOperand(1), d);
    bool inC = uses(contraction.getDpsInitOperand(0), d);
    if (iterators[d] == utils::IteratorType::reduction) {
      if (!inA || !inB || inC)
        return decline(plan, "a reduction dim that is not a k dim of both "
                             "operands");
      ks.push_back(d);
    } else if (inA && inC && !inB) {
      ms.push_back(d);
    } else if (inB && inC && !inA) {
      ns.push_back(d);
    } else if (!isUnit(d)) {
      return decline(plan, "the tile holds more than one batch index");
    }
  }
  if (ks.size() != 1)
    return decline(plan, "the contraction does not have one k dim");
  auto pick = [&](ArrayRef<unsigned> candidates) -> std::optional<unsigned> {
    if (candidates.empty())
      return std::nullopt;
    SmallVector<unsigned> wide(llvm::make_filter_range(
        candidates, [&](unsigned d) { return !isUnit(d); }));
    if (wide.size() > 1)
      return std::nullopt;
    return wide.empty() ? candidates.back() : wide.front();
  };
  std::optional<unsigned> m = pick(ms), n = pick(ns);
  if (!m || !n)
    return decline(plan, "the contraction is not one m and one n dim");
  plan.dimM = *m;
  plan.dimN = *n;
  plan.dimK = ks[0];
  if (!matchOperand(plan, contraction.getDpsInputOperand(0), plan.dimM,
                    plan.stageA) ||
      !matchOperand(plan, contraction.getDpsInputOperand(1), plan.dimN,
                    plan.stageB))
    return decline(plan, "an operand is not f32 indexed by its k and m/n "
                         "dims");
  // The operands as the plan's (what rebuildsReads checks).
  for (auto [op, staged] :
       {std::pair<OperandPlan *, SimtOperand *>{&plan.a, &plan.stageA},
        {&plan.b, &plan.stageB}}) {
    op->memref = staged->memref;
    op->map = staged->map;
    op->colDim = staged->fastDim;
    op->rowDim = staged->fastDim == plan.dimK ? staged->outerDim : plan.dimK;
  }
  return matchEpilogueChain(plan, ArrayRef(computeOps).drop_front(2)) &&
         rebuildsReads(plan);
}

//===----------------------------------------------------------------------===//
// Emission.
//===----------------------------------------------------------------------===//

class SimtGemmEmitter : IndexMath {
public:
  SimtGemmEmitter(SimtGemmPlan &plan, OpBuilder &b)
      : IndexMath(b, UnknownLoc::get(b.getContext())), plan(plan) {}

  LogicalResult emit();

private:
  /// The extent of contraction loop dim `dim` in this tile (a dim of A or
  /// B as mapped into the kernel).
  Value extentOf(unsigned dim);
  Value extentFor(unsigned dim) {
    return dim == plan.dimK ? extentK
                            : (dim == plan.dimM ? extentM : extentN);
  }
  /// The memref indices of `map` for the loop values `loops`.
  SmallVector<Value> indicesFor(AffineMap map, ArrayRef<Value> loops) {
    return mlir::fuse::gemm::indicesFor(b, loc, map, loops);
  }
  int64_t outerTile(const SimtOperand &op) {
    return op.outerDim == plan.dimM ? plan.bm : plan.bn;
  }
  /// This thread's loads of K step `kt` of `op` (zero outside the operand),
  /// and their shared-memory positions (k, outer) in the tile.
  SmallVector<Value> loadTile(const SimtOperand &op, Value kt);
  void storeTile(const SimtOperand &op, Value smem, Value buffer,
                 ArrayRef<Value> values);
  /// The loads of one operand: (k, outer) of load i of this thread and
  /// whether the thread has a load i at all.
  struct Slot {
    Value k, outer, active;
  };
  SmallVector<Slot> slotsFor(const SimtOperand &op);
  /// The contraction loop values of element (row, col) of the tile (the
  /// batch and unit dims 0).
  SmallVector<Value> elementLoops(Value row, Value col) {
    if (gather)
      return gather->loops(row, col, Value());
    SmallVector<Value> loops(plan.contraction.getNumLoops(), zeroIdx);
    loops[plan.dimM] = row;
    loops[plan.dimN] = col;
    return loops;
  }

  SimtGemmPlan &plan;
  IRMapping mapping;
  Value tid, zeroIdx, extentM, extentN, extentK;
  SmallVector<Slot> slotsA, slotsB;
  /// A conv's implicit-GEMM addressing (the mma.sync kernel's gathers).
  std::optional<ConvGather> gather;
};

Value SimtGemmEmitter::extentOf(unsigned dim) {
  for (const SimtOperand *op : {&plan.stageA, &plan.stageB})
    if (std::optional<unsigned> pos = resultOf(op->map, dim))
      return memref::DimOp::create(b, loc, mapping.lookupOrDefault(op->memref),
                                   *pos);
  llvm_unreachable("A and B index every contraction dim but the batch");
}

SmallVector<SimtGemmEmitter::Slot>
SimtGemmEmitter::slotsFor(const SimtOperand &op) {
  // The tile is BK x outer; its fast dim (k or outer) is split into groups
  // of `vector` elements, which consecutive threads take (coalesced).
  int64_t outer = outerTile(op);
  bool kFast = op.fastDim == plan.dimK;
  int64_t fastSize = kFast ? plan.bk : outer;
  int64_t slowSize = kFast ? outer : plan.bk;
  int64_t vector = std::min(op.vector, fastSize);
  int64_t groups = fastSize / vector;
  int64_t total = groups * slowSize;
  SmallVector<Slot> slots;
  for (int64_t first = 0; first < total; first += plan.threads) {
    Value i = add(tid, first);
    Value active;
    if (first + plan.threads > total)
      active = ult(i, cst(total));
    Value fast = mul(rem(i, groups), vector);
    Value slow = div(i, groups);
    slots.push_back(kFast ? Slot{fast, slow, active} : Slot{slow, fast, active});
  }
  return slots;
}

SmallVector<Value> SimtGemmEmitter::loadTile(const SimtOperand &op,
                                             Value kt) {
  Value memref = mapping.lookupOrDefault(op.memref);
  const SmallVector<Slot> &slots = &op == &plan.stageA ? slotsA : slotsB;
  int64_t vector =
      std::min(op.vector, op.fastDim == plan.dimK ? plan.bk : outerTile(op));
  auto type = VectorType::get({vector}, b.getF32Type());
  Value kBase = arith::MulIOp::create(b, loc, kt, cst(plan.bk));
  Value outerExtent = extentFor(op.outerDim);
  SmallVector<Value> values;
  for (const Slot &slot : slots) {
    Value k = add(kBase, slot.k);
    if (gather) {
      // The conv's im2col element of A or weight element of B (zero
      // outside the operand, padding and stride gaps included).
      auto [valid, loaded] = &op == &plan.stageA
                                 ? gather->elementA(slot.outer, k)
                                 : gather->elementB(slot.outer, k);
      if (slot.active)
        valid = andi(valid, slot.active);
      Value element = select(
          valid, loaded,
          arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f)));
      values.push_back(vector::BroadcastOp::create(b, loc, type, element));
      continue;
    }
    // The vector (or element) is entirely inside or outside the operand:
    // the fast extent is a multiple of the vector width.
    Value inside = andi(ult(k, extentK), ult(slot.outer, outerExtent));
    if (slot.active)
      inside = andi(inside, slot.active);
    SmallVector<Value> loops(plan.contraction.getNumLoops(), zeroIdx);
    loops[plan.dimK] = select(inside, k, zeroIdx);
    loops[op.outerDim] = select(inside, slot.outer, zeroIdx);
    SmallVector<Value> indices = indicesFor(op.map, loops);
    Value zero = arith::ConstantOp::create(
        b, loc, type, DenseElementsAttr::get(type, 0.0f));
    Value loaded;
    if (vector == 1) {
      Value element = memref::LoadOp::create(b, loc, memref, indices);
      loaded = vector::BroadcastOp::create(b, loc, type, element);
    } else {
      loaded = vector::LoadOp::create(b, loc, type, memref, indices,
                                      /*nontemporal=*/false,
                                      llvm::MaybeAlign(16));
    }
    values.push_back(select(inside, loaded, zero));
  }
  return values;
}

void SimtGemmEmitter::storeTile(const SimtOperand &op, Value smem,
                                Value buffer, ArrayRef<Value> values) {
  const SmallVector<Slot> &slots = &op == &plan.stageA ? slotsA : slotsB;
  for (auto [slot, value] : llvm::zip_equal(slots, values)) {
    OpBuilder::InsertionGuard guard(b);
    if (slot.active) {
      auto ifOp = scf::IfOp::create(b, loc, slot.active,
                                    /*withElseRegion=*/false);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    }
    int64_t width = cast<VectorType>(value.getType()).getNumElements();
    if (op.fastDim != plan.dimK) {
      // Along the outer dim: contiguous in shared memory too.
      vector::StoreOp::create(b, loc, value, smem,
                              ValueRange{buffer, slot.k, slot.outer},
                              /*nontemporal=*/false,
                              llvm::MaybeAlign(4 * width));
      continue;
    }
    // Along k: one element per shared row.
    for (int64_t e = 0; e < width; ++e) {
      Value element = vector::ExtractOp::create(b, loc, value,
                                                ArrayRef<int64_t>{e});
      memref::StoreOp::create(b, loc, element, smem,
                              ValueRange{buffer, add(slot.k, e), slot.outer});
    }
  }
}

LogicalResult SimtGemmEmitter::emit() {
  scf::ForallOp forall = plan.forall;
  loc = forall.getLoc();
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();
  int64_t rowA = plan.bm + kPad, rowB = plan.bn + kPad;
  int64_t bytesA = 2 * plan.bk * rowA * 4, bytesB = 2 * plan.bk * rowB * 4;
  gpu::LaunchOp launch =
      buildTileLaunch(b, plan, mapping, plan.threads, bytesA + bytesB);
  Value one = cst(1);
  zeroIdx = cst(0);

  tid = launch.getThreadIds().x;
  int64_t threadCols = plan.bn / plan.tn;
  Value row0 = mul(div(tid, threadCols), plan.tm);
  Value col0 = mul(rem(tid, threadCols), plan.tn);

  // Shared memory: A as [2][BK][BM + pad], then B as [2][BK][BN + pad].
  auto workgroup =
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  Value dynamicSmem = gpu::DynamicSharedMemoryOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface(), workgroup));
  auto tileType = [&](int64_t row) {
    return MemRefType::get({2, plan.bk, row}, f32,
                           MemRefLayoutAttrInterface(), workgroup);
  };
  Value smemA = memref::ViewOp::create(b, loc, tileType(rowA), dynamicSmem,
                                       zeroIdx, ValueRange());
  Value smemB = memref::ViewOp::create(b, loc, tileType(rowB), dynamicSmem,
                                       cst(bytesA), ValueRange());

  if (plan.conv) {
    FailureOr<ConvGather> conv =
        ConvGather::create(plan, b, loc, mapping, zeroIdx);
    if (failed(conv))
      return failure();
    gather.emplace(*conv);
    extentM = gather->extentM;
    extentN = gather->extentN;
    extentK = gather->extentK;
  } else {
    extentM = extentOf(plan.dimM);
    extentN = extentOf(plan.dimN);
    extentK = extentOf(plan.dimK);
  }
  Value numK = arith::CeilDivUIOp::create(b, loc, extentK, cst(plan.bk));
  slotsA = slotsFor(plan.stageA);
  slotsB = slotsFor(plan.stageB);

  // Prologue: K step 0 into buffer 0.
  storeTile(plan.stageA, smemA, zeroIdx, loadTile(plan.stageA, zeroIdx));
  storeTile(plan.stageB, smemB, zeroIdx, loadTile(plan.stageB, zeroIdx));
  gpu::BarrierOp::create(b, loc);

  // Accumulators: TM rows of vector<TN x f32>, the fill value.
  auto rowType = VectorType::get({plan.tn}, f32);
  Value fillValue =
      plan.fill ? plan.fill.getDpsInputOperand(0)->get()
                : arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f))
                      .getResult();
  Value init = vector::BroadcastOp::create(b, loc, rowType, fillValue);
  SmallVector<Value> inits(plan.tm, init);
  auto loop = scf::ForOp::create(b, loc, zeroIdx, numK, one, inits);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kt = loop.getInductionVar();
    Value buffer = rem(kt, 2);
    Value next = add(kt, 1);
    // Step kt + 1 from global memory into registers (none after the last
    // step) while step kt is computed.
    SmallVector<Type> types;
    for (const SimtOperand *op : {&plan.stageA, &plan.stageB}) {
      int64_t vector = std::min(
          op->vector, op->fastDim == plan.dimK ? plan.bk : outerTile(*op));
      types.append((op == &plan.stageA ? slotsA : slotsB).size(),
                   VectorType::get({vector}, f32));
    }
    auto prefetch = scf::IfOp::create(b, loc, types, ult(next, numK),
                                      /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(&prefetch.getThenRegion().front());
      SmallVector<Value> values = loadTile(plan.stageA, next);
      values.append(loadTile(plan.stageB, next));
      scf::YieldOp::create(b, loc, values);
      b.setInsertionPointToStart(&prefetch.getElseRegion().front());
      SmallVector<Value> zeros;
      for (Type type : types)
        zeros.push_back(arith::ConstantOp::create(
            b, loc, type,
            DenseElementsAttr::get(cast<VectorType>(type), 0.0f)));
      scf::YieldOp::create(b, loc, zeros);
    }

    // The outer products of the step: per k, TM values of A and TN of B
    // from shared memory, TM x TN fma.
    SmallVector<Value> accs(loop.getRegionIterArgs());
    auto aType = VectorType::get({plan.tm}, f32);
    for (int64_t k = 0; k < plan.bk; ++k) {
      Value kIdx = cst(k);
      Value aFrag = vector::LoadOp::create(
          b, loc, aType, smemA, ValueRange{buffer, kIdx, row0},
          /*nontemporal=*/false, fragmentAlign(plan.tm));
      Value bFrag = vector::LoadOp::create(
          b, loc, rowType, smemB, ValueRange{buffer, kIdx, col0},
          /*nontemporal=*/false, fragmentAlign(plan.tn));
      for (int64_t i = 0; i < plan.tm; ++i) {
        Value aValue =
            vector::ExtractOp::create(b, loc, aFrag, ArrayRef<int64_t>{i});
        Value aRow = vector::BroadcastOp::create(b, loc, rowType, aValue);
        accs[i] = vector::FMAOp::create(b, loc, aRow, bFrag, accs[i]);
      }
    }

    // Step kt + 1 into the other buffer: its last reads (step kt - 1) ended
    // at the previous barrier; this barrier publishes it and ends the reads
    // of step kt.
    Value other = arith::SubIOp::create(b, loc, one, buffer);
    SmallVector<Value> loaded(prefetch.getResults());
    storeTile(plan.stageA, smemA, other, ArrayRef(loaded).take_front(slotsA.size()));
    storeTile(plan.stageB, smemB, other, ArrayRef(loaded).drop_front(slotsA.size()));
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, accs);
  }

  // Epilogue: per group of storeVector accumulators of a row (entirely
  // inside or outside the result: its n extent is then a multiple of the
  // group), guarded by the tile's extent; one store per group.
  Value out = mapping.lookupOrDefault(plan.finalOut);
  int64_t width = plan.storeVector;
  for (int64_t i = 0; i < plan.tm; ++i) {
    Value row = add(row0, i);
    for (int64_t j = 0; j < plan.tn; j += width) {
      Value col = add(col0, j);
      OpBuilder::InsertionGuard guard(b);
      Value inside = gather ? gather->rowInBounds(row) : ult(row, extentM);
      auto ifOp = scf::IfOp::create(b, loc, andi(inside, ult(col, extentN)),
                                    /*withElseRegion=*/false);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      SmallVector<Value> values;
      for (int64_t e = 0; e < width; ++e) {
        Value acc = vector::ExtractOp::create(b, loc, loop.getResult(i),
                                              ArrayRef<int64_t>{j + e});
        values.push_back(emitEpilogueValue(b, loc, plan, mapping, acc,
                                           elementLoops(row, add(col, e)),
                                           zeroIdx));
      }
      SmallVector<Value> outIndices =
          epilogueOutIndices(plan, elementLoops(row, col), zeroIdx);
      if (width == 1) {
        memref::StoreOp::create(b, loc, values[0], out, outIndices);
        continue;
      }
      Value group = vector::FromElementsOp::create(
          b, loc, VectorType::get({width}, values[0].getType()), values);
      vector::StoreOp::create(b, loc, group, out, outIndices,
                              /*nontemporal=*/false,
                              llvm::MaybeAlign(4 * width));
    }
  }
  return success();
}

struct FuseGpuSimtGemmPass
    : public mlir::fuse::impl::FuseGpuSimtGemmBase<FuseGpuSimtGemmPass> {
  using FuseGpuSimtGemmBase::FuseGpuSimtGemmBase;

  void runOnOperation() override {
    if (failed(lowerTunedForalls<SimtGemmPlan>(
            getOperation(), "fma_gemm", "fuse-gpu-simt-gemm",
            [&](scf::ForallOp forall, std::string &declined) {
              return SimtGemmMatcher(forall, sharedMemoryLimit).match(declined);
            },
            [](auto &plan, OpBuilder &builder) {
              return SimtGemmEmitter(plan, builder).emit();
            })))
      signalPassFailure();
  }
};

} // namespace
