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
// The matcher (fill + contraction + epilogue chain) is this file's own: the
// one of fuse-gpu-gemm checks mma-specific operand alignment while planning.
//
//===----------------------------------------------------------------------===//

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

/// One elementwise generic (or copy) of the epilogue chain.
struct SimtEpilogueOp {
  Operation *op;
  /// For a generic: the contraction loop dim of each of its loop dims.
  SmallVector<unsigned> loops;
};

struct SimtGemmPlan {
  scf::ForallOp forall;
  linalg::FillOp fill;
  linalg::LinalgOp contraction;
  unsigned dimM = 0, dimN = 0, dimK = 0;
  SimtOperand a, b;
  SmallVector<SimtEpilogueOp> epilogue;
  Value out;                  // The buffer the chain writes last.
  SmallVector<unsigned> outDims; // Its dims as contraction loop dims.
  int64_t bm = 0, bn = 0, bk = 0, threads = 0, tm = 0, tn = 0;
  /// Elements per store of the result (kVector when its last dim is n,
  /// contiguous and aligned, and TN a multiple of it; else 1).
  int64_t storeVector = 1;
};

bool isBlockMapped(scf::ForallOp forall) {
  std::optional<ArrayAttr> mapping = forall.getMapping();
  if (!mapping || mapping->empty())
    return false;
  return llvm::all_of(*mapping, [](Attribute attr) {
    auto block = dyn_cast<gpu::GPUBlockMappingAttr>(attr);
    return block && block.getBlock() <= gpu::MappingId::DimZ;
  });
}

bool isInside(Value value, Region &region) {
  return region.isAncestor(value.getParentRegion());
}

Value viewRoot(Value memref) {
  while (auto subview = memref.getDefiningOp<memref::SubViewOp>())
    memref = subview.getSource();
  return memref;
}

/// The position of loop dim `dim` among the results of `map`.
std::optional<unsigned> positionOf(AffineMap map, unsigned dim) {
  for (auto [pos, expr] : llvm::enumerate(map.getResults()))
    if (auto d = dyn_cast<AffineDimExpr>(expr); d && d.getPosition() == dim)
      return pos;
  return std::nullopt;
}

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
  /// success() without a plan: a forall this pass leaves alone.
  FailureOr<std::optional<SimtGemmPlan>> match();

private:
  bool matchBody(SimtGemmPlan &plan);
  bool matchOperand(SimtGemmPlan &plan, OpOperand *operand, unsigned outer,
                    SimtOperand &result);
  bool matchEpilogue(SimtGemmPlan &plan, ArrayRef<Operation *> ops);
  bool isVectorAligned(Value memref, unsigned dim);
  bool rebuildsReads(SimtGemmPlan &plan);

  scf::ForallOp forall;
  int64_t sharedMemoryLimit;
};

FailureOr<std::optional<SimtGemmPlan>> SimtGemmMatcher::match() {
  auto tile = forall->getAttrOfType<fuse::TileAttr>("fuse.tile");
  if (!tile || tile.getImplementation() != "fma_gemm" ||
      !isBlockMapped(forall) || !forall.getOutputs().empty())
    return std::optional<SimtGemmPlan>();
  SimtGemmPlan plan;
  plan.forall = forall;
  // The body first: a non-GEMM group tuned fma_gemm (cannot happen from
  // the tuner, but a hand-written choice can) is left to the generic path.
  if (!matchBody(plan))
    return std::optional<SimtGemmPlan>();
  DictionaryAttr params = tile.getParams();
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
  auto outType = cast<MemRefType>(plan.out.getType());
  SmallVector<int64_t> outStrides;
  int64_t outOffset;
  unsigned outLast = outType.getRank() - 1;
  if (plan.tn % kVector == 0 && outType.getElementType().isF32() &&
      plan.outDims.back() == plan.dimN &&
      succeeded(outType.getStridesAndOffset(outStrides, outOffset)) &&
      outStrides[outLast] == 1 && isVectorAligned(plan.out, outLast))
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
  while (auto subview = memref.getDefiningOp<memref::SubViewOp>()) {
    if (subview.getSourceType().getRank() != subview.getType().getRank())
      return false;
    OpFoldResult offset = subview.getMixedOffsets()[dim];
    if (std::optional<int64_t> c = getConstantIntValue(offset)) {
      if (*c % kVector)
        return false;
    } else {
      auto arg = dyn_cast_or_null<BlockArgument>(dyn_cast<Value>(offset));
      if (!arg || arg.getOwner() != forall.getBody())
        return false;
      unsigned i = arg.getArgNumber();
      std::optional<int64_t> lb =
          getConstantIntValue(forall.getMixedLowerBound()[i]);
      std::optional<int64_t> step =
          getConstantIntValue(forall.getMixedStep()[i]);
      if (!lb || !step || *lb % kVector || *step % kVector)
        return false;
    }
    memref = subview.getSource();
  }
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
      !positionOf(map, plan.dimK) ||
      !positionOf(map, outer))
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

bool SimtGemmMatcher::matchBody(SimtGemmPlan &plan) {
  SmallVector<Operation *> computeOps;
  for (Operation &op : forall.getBody()->without_terminator()) {
    if (isa<linalg::LinalgOp, memref::CopyOp>(op)) {
      computeOps.push_back(&op);
      continue;
    }
    if (isa<memref::AllocOp, memref::DeallocOp>(op))
      continue;
    if (!isPure(&op) || op.getNumRegions() != 0)
      return false;
  }
  if (computeOps.size() < 2)
    return false;
  plan.fill = dyn_cast<linalg::FillOp>(computeOps[0]);
  auto contraction = dyn_cast<linalg::LinalgOp>(computeOps[1]);
  if (!plan.fill || !contraction || !plan.fill.hasPureBufferSemantics() ||
      !contraction.hasPureBufferSemantics() ||
      contraction.getNumDpsInputs() != 2 || contraction.getNumDpsInits() != 1)
    return false;
  // The body is acc + a * b (linalg's contraction interface also checks the
  // indexing maps, which reject the constant 0 handled below).
  auto isMulAdd = [](Operation *mul, Operation *add) {
    return isa<arith::MulFOp>(mul) && isa<arith::AddFOp>(add);
  };
  if (!linalg::detail::isContractionBody(*contraction.getBlock(), isMulAdd))
    return false;
  plan.contraction = contraction;
  Value acc = contraction.getDpsInitOperand(0)->get();
  Value fillValue = plan.fill.getDpsInputOperand(0)->get();
  if (plan.fill.getDpsInitOperand(0)->get() != acc ||
      !fillValue.getType().isF32() ||
      !cast<MemRefType>(acc.getType()).getElementType().isF32() ||
      isInside(fillValue, forall.getRegion()))
    return false;
  // The loop dims by the operands they index (linalg's inference does not
  // accept a dim that only the result indexes, as the unit leading dim of
  // a 3-d activation times a 2-d weight, whose A map has a constant 0).
  // Dims of extent 1 in the tile (such a dim, the block's batch indices)
  // are index 0 in the kernel; one m and one n dim remain.
  SmallVector<int64_t> ranges = contraction.getStaticLoopRanges();
  auto isUnit = [&](unsigned d) { return ranges[d] == 1; };
  auto uses = [&](OpOperand *operand, unsigned d) {
    return positionOf(contraction.getMatchingIndexingMap(operand), d)
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
        return false;
      ks.push_back(d);
    } else if (inA && inC && !inB) {
      ms.push_back(d);
    } else if (inB && inC && !inA) {
      ns.push_back(d);
    } else if (!isUnit(d)) {
      return false; // A batch dim of more than one index in the tile.
    }
  }
  if (ks.size() != 1)
    return false;
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
    return false;
  plan.dimM = *m;
  plan.dimN = *n;
  plan.dimK = ks[0];
  if (!matchOperand(plan, contraction.getDpsInputOperand(0), plan.dimM,
                    plan.a) ||
      !matchOperand(plan, contraction.getDpsInputOperand(1), plan.dimN,
                    plan.b))
    return false;
  if (!matchEpilogue(plan, ArrayRef(computeOps).drop_front(2)))
    return false;
  return rebuildsReads(plan);
}

/// The chain after the contraction: each op reads the current buffer at
/// the element it writes (a permutation of its loops) and writes the next
/// one; other inputs are buffers the chain does not write. Intermediate
/// buffers are allocations of the body used by the chain only; the last
/// one is outside the body.
bool SimtGemmMatcher::matchEpilogue(SimtGemmPlan &plan,
                                    ArrayRef<Operation *> ops) {
  Region &body = forall.getRegion();
  Value acc = plan.contraction.getDpsInitOperand(0)->get();
  AffineMap accMap = plan.contraction.getMatchingIndexingMap(
      plan.contraction.getDpsInitOperand(0));
  if (!accMap.isProjectedPermutation())
    return false;
  SmallVector<unsigned> dims;
  for (AffineExpr expr : accMap.getResults())
    dims.push_back(cast<AffineDimExpr>(expr).getPosition());
  Value current = acc;
  SmallVector<Value> chain = {acc};
  for (Operation *op : ops) {
    if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      if (copy.getSource() != current)
        return false;
      plan.epilogue.push_back({op, {}});
      current = copy.getTarget();
      chain.push_back(current);
      continue;
    }
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (!generic || !generic.hasPureBufferSemantics() ||
        generic.getNumDpsInits() != 1 || generic.getNumReductionLoops() != 0)
      return false;
    SimtEpilogueOp step{op, SmallVector<unsigned>(generic.getNumLoops(), ~0u)};
    bool reads = false;
    for (OpOperand &operand : generic->getOpOperands()) {
      AffineMap map = generic.getMatchingIndexingMap(&operand);
      if (operand.get() == current) {
        if (!map.isPermutation() || map.getNumResults() != dims.size())
          return false;
        for (auto [pos, expr] : llvm::enumerate(map.getResults())) {
          unsigned &loop =
              step.loops[cast<AffineDimExpr>(expr).getPosition()];
          if (loop != ~0u && loop != dims[pos])
            return false;
          loop = dims[pos];
        }
        reads = true;
        continue;
      }
      if (generic.isDpsInput(&operand) &&
          llvm::is_contained(chain, operand.get()))
        return false;
      if (generic.isDpsInput(&operand) &&
          isInside(viewRoot(operand.get()), body))
        return false;
      if (!llvm::all_of(map.getResults(), [](AffineExpr expr) {
            return isa<AffineDimExpr, AffineConstantExpr>(expr);
          }))
        return false;
    }
    if (!reads)
      return false;
    for (Operation &payload : generic.getBody()->without_terminator())
      if (payload.getNumRegions() ||
          (!isPure(&payload) && !isa<linalg::IndexOp>(payload)))
        return false;
    AffineMap outMap =
        generic.getMatchingIndexingMap(generic.getDpsInitOperand(0));
    if (!outMap.isPermutation())
      return false;
    SmallVector<unsigned> next;
    for (AffineExpr expr : outMap.getResults())
      next.push_back(step.loops[cast<AffineDimExpr>(expr).getPosition()]);
    dims = std::move(next);
    current = generic.getDpsInitOperand(0)->get();
    chain.push_back(current);
    plan.epilogue.push_back(std::move(step));
  }
  if (isInside(viewRoot(current), body))
    return false;
  // Intermediate buffers: allocations of the body, read by the chain only.
  for (Value value : ArrayRef(chain).drop_back()) {
    if (!isInside(value, body) || !value.getDefiningOp<memref::AllocOp>())
      return false;
    for (Operation *user : value.getUsers())
      if (user != plan.fill && user != plan.contraction &&
          !isa<memref::DeallocOp>(user) &&
          !llvm::any_of(plan.epilogue,
                        [&](const SimtEpilogueOp &s) { return s.op == user; }))
        return false;
  }
  plan.out = current;
  plan.outDims = std::move(dims);
  return true;
}

/// Everything the kernel reads from the body is rebuilt in the launch: the
/// pure ops of the body (views, index computations) whose operands are
/// rebuilt or from outside the forall. A generic reading the output buffer
/// reads only the element it writes (another thread's element may already
/// hold its result).
bool SimtGemmMatcher::rebuildsReads(SimtGemmPlan &plan) {
  Region &body = forall.getRegion();
  llvm::SmallPtrSet<Value, 16> rebuilt(forall.getInductionVars().begin(),
                                       forall.getInductionVars().end());
  for (Operation &op : forall.getBody()->without_terminator()) {
    if (isa<linalg::LinalgOp, memref::CopyOp, memref::AllocOp,
            memref::DeallocOp>(op))
      continue;
    if (llvm::all_of(op.getOperands(), [&](Value v) {
          return !isInside(v, body) || rebuilt.contains(v);
        }))
      rebuilt.insert(op.result_begin(), op.result_end());
  }
  auto available = [&](Value v) {
    return !isInside(v, body) || rebuilt.contains(v);
  };
  if (!available(plan.a.memref) || !available(plan.b.memref) ||
      !available(plan.out))
    return false;
  Value outRoot = viewRoot(plan.out);
  for (const SimtEpilogueOp &step : plan.epilogue) {
    auto generic = dyn_cast<linalg::GenericOp>(step.op);
    if (!generic)
      continue;
    for (OpOperand &operand : generic->getOpOperands()) {
      Value v = operand.get();
      if (isInside(v, body) && v.getDefiningOp<memref::AllocOp>())
        continue; // An intermediate of the chain (registers).
      if (!available(v))
        return false;
      if (viewRoot(v) == outRoot && generic.isDpsInput(&operand) &&
          (v != plan.out ||
           generic.getMatchingIndexingMap(&operand) !=
               generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))))
        return false;
    }
    WalkResult result = generic.getBody()->walk([&](Operation *payload) {
      for (Value v : payload->getOperands())
        if (!isInside(v, generic.getRegion()) && !available(v))
          return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Emission.
//===----------------------------------------------------------------------===//

class SimtGemmEmitter {
public:
  SimtGemmEmitter(SimtGemmPlan &plan, OpBuilder &b) : plan(plan), b(b) {}

  void emit();

private:
  Value cst(int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value add(Value x, int64_t y) { return y ? add(x, cst(y)) : x; }
  Value mul(Value x, int64_t y) {
    return arith::MulIOp::create(b, loc, x, cst(y));
  }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, cst(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, cst(y));
  }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value andi(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }

  /// The extent of contraction loop dim `dim` in this tile (a dim of A or
  /// B as mapped into the kernel).
  Value extentOf(unsigned dim);
  Value extentFor(unsigned dim) {
    return dim == plan.dimK ? extentK
                            : (dim == plan.dimM ? extentM : extentN);
  }
  /// The memref indices of `map` for the loop values `loops`.
  SmallVector<Value> indicesFor(AffineMap map, ArrayRef<Value> loops);
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
  /// The epilogue for one accumulator element at (row, col) of the tile:
  /// the value to store.
  Value emitElement(Value acc, Value row, Value col);
  /// The indices of element (row, col) in the result.
  SmallVector<Value> outIndices(Value row, Value col);

  SimtGemmPlan &plan;
  OpBuilder &b;
  Location loc = UnknownLoc::get(b.getContext());
  IRMapping mapping;
  Value tid, zeroIdx, extentM, extentN, extentK;
  SmallVector<Slot> slotsA, slotsB;
};

Value SimtGemmEmitter::extentOf(unsigned dim) {
  for (const SimtOperand *op : {&plan.a, &plan.b})
    if (std::optional<unsigned> pos = positionOf(op->map, dim))
      return memref::DimOp::create(b, loc, mapping.lookupOrDefault(op->memref),
                                   *pos);
  llvm_unreachable("A and B index every contraction dim but the batch");
}

SmallVector<Value> SimtGemmEmitter::indicesFor(AffineMap map,
                                               ArrayRef<Value> loops) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto d = dyn_cast<AffineDimExpr>(expr))
      indices.push_back(loops[d.getPosition()]);
    else
      indices.push_back(cst(cast<AffineConstantExpr>(expr).getValue()));
  }
  return indices;
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
  const SmallVector<Slot> &slots = &op == &plan.a ? slotsA : slotsB;
  int64_t vector =
      std::min(op.vector, op.fastDim == plan.dimK ? plan.bk : outerTile(op));
  auto type = VectorType::get({vector}, b.getF32Type());
  Value kBase = arith::MulIOp::create(b, loc, kt, cst(plan.bk));
  Value outerExtent = extentFor(op.outerDim);
  SmallVector<Value> values;
  for (const Slot &slot : slots) {
    Value k = add(kBase, slot.k);
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
  const SmallVector<Slot> &slots = &op == &plan.a ? slotsA : slotsB;
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

SmallVector<Value> SimtGemmEmitter::outIndices(Value row, Value col) {
  SmallVector<Value> indices;
  for (unsigned d : plan.outDims)
    indices.push_back(d == plan.dimM ? row : (d == plan.dimN ? col : zeroIdx));
  return indices;
}

Value SimtGemmEmitter::emitElement(Value acc, Value row, Value col) {
  SmallVector<Value> loops(plan.contraction.getNumLoops(), zeroIdx);
  loops[plan.dimM] = row;
  loops[plan.dimN] = col;
  Value value = acc;
  Value current = plan.contraction.getDpsInitOperand(0)->get();
  for (const SimtEpilogueOp &step : plan.epilogue) {
    if (auto copy = dyn_cast<memref::CopyOp>(step.op)) {
      current = copy.getTarget();
      continue;
    }
    auto generic = cast<linalg::GenericOp>(step.op);
    SmallVector<Value> genericLoops;
    for (unsigned l : step.loops)
      genericLoops.push_back(loops[l]);
    IRMapping payload;
    for (OpOperand &operand : generic->getOpOperands()) {
      BlockArgument arg = generic.getMatchingBlockArgument(&operand);
      if (operand.get() == current) {
        payload.map(arg, value);
        continue;
      }
      if (arg.use_empty())
        continue;
      SmallVector<Value> indices =
          indicesFor(generic.getMatchingIndexingMap(&operand), genericLoops);
      payload.map(arg, memref::LoadOp::create(
                           b, loc, mapping.lookupOrDefault(operand.get()),
                           indices));
    }
    for (Operation &op : generic.getBody()->without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(op)) {
        payload.map(index.getResult(), genericLoops[index.getDim()]);
        continue;
      }
      Operation *clone = b.clone(op, payload);
      for (OpOperand &use : clone->getOpOperands())
        use.set(mapping.lookupOrDefault(use.get()));
    }
    auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
    value = payload.lookupOrDefault(yield.getOperand(0));
    current = generic.getDpsInitOperand(0)->get();
  }
  return value;
}

void SimtGemmEmitter::emit() {
  scf::ForallOp forall = plan.forall;
  loc = forall.getLoc();
  b.setInsertionPoint(forall);
  MLIRContext *ctx = b.getContext();
  Type f32 = b.getF32Type();

  // Grid: one block per forall iteration, each forall dim on the block dim
  // of its mapping.
  Value one = cst(1);
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
  int64_t rowA = plan.bm + kPad, rowB = plan.bn + kPad;
  int64_t bytesA = 2 * plan.bk * rowA * 4, bytesB = 2 * plan.bk * rowB * 4;
  Value smemBytes = arith::ConstantIntOp::create(b, loc, bytesA + bytesB, 32);
  auto launch = gpu::LaunchOp::create(b, loc, grid[0], grid[1], grid[2],
                                      cst(plan.threads), one, one, smemBytes);
  for (StringRef name : {"fuse.kernel", "fuse.tile", "fuse.precision"})
    if (Attribute attr = forall->getAttr(name))
      launch->setAttr(name, attr);
  Block &body = launch.getBody().front();
  b.setInsertionPointToStart(&body);
  gpu::TerminatorOp::create(b, loc);
  b.setInsertionPointToStart(&body);
  zeroIdx = cst(0);

  // The forall ivs (lb + block id * step) and the body's views and index
  // computations in terms of them.
  gpu::KernelDim3 blockIds = launch.getBlockIds();
  Value ids[3] = {blockIds.x, blockIds.y, blockIds.z};
  for (auto [i, iv] : llvm::enumerate(forall.getInductionVars())) {
    Value lb = getValueOrCreateConstantIndexOp(b, loc, lbs[i]);
    Value step = getValueOrCreateConstantIndexOp(b, loc, steps[i]);
    mapping.map(iv, add(lb, arith::MulIOp::create(b, loc, ids[blockDim[i]],
                                                  step)));
  }
  Region &region = forall.getRegion();
  for (Operation &op : forall.getBody()->without_terminator()) {
    if (isa<linalg::LinalgOp, memref::CopyOp, memref::AllocOp,
            memref::DeallocOp>(op))
      continue;
    if (llvm::all_of(op.getOperands(), [&](Value v) {
          return !isInside(v, region) || mapping.contains(v);
        }))
      b.clone(op, mapping);
  }

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

  extentM = extentOf(plan.dimM);
  extentN = extentOf(plan.dimN);
  extentK = extentOf(plan.dimK);
  Value numK = arith::CeilDivUIOp::create(b, loc, extentK, cst(plan.bk));
  slotsA = slotsFor(plan.a);
  slotsB = slotsFor(plan.b);

  // Prologue: K step 0 into buffer 0.
  storeTile(plan.a, smemA, zeroIdx, loadTile(plan.a, zeroIdx));
  storeTile(plan.b, smemB, zeroIdx, loadTile(plan.b, zeroIdx));
  gpu::BarrierOp::create(b, loc);

  // Accumulators: TM rows of vector<TN x f32>, the fill value.
  auto rowType = VectorType::get({plan.tn}, f32);
  Value init = vector::BroadcastOp::create(
      b, loc, rowType, plan.fill.getDpsInputOperand(0)->get());
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
    for (const SimtOperand *op : {&plan.a, &plan.b}) {
      int64_t vector = std::min(
          op->vector, op->fastDim == plan.dimK ? plan.bk : outerTile(*op));
      types.append((op == &plan.a ? slotsA : slotsB).size(),
                   VectorType::get({vector}, f32));
    }
    auto prefetch = scf::IfOp::create(b, loc, types, ult(next, numK),
                                      /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(&prefetch.getThenRegion().front());
      SmallVector<Value> values = loadTile(plan.a, next);
      values.append(loadTile(plan.b, next));
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
    storeTile(plan.a, smemA, other, ArrayRef(loaded).take_front(slotsA.size()));
    storeTile(plan.b, smemB, other, ArrayRef(loaded).drop_front(slotsA.size()));
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, accs);
  }

  // Epilogue: per group of storeVector accumulators of a row (entirely
  // inside or outside the result: its n extent is then a multiple of the
  // group), guarded by the tile's extent; one store per group.
  Value out = mapping.lookupOrDefault(plan.out);
  int64_t width = plan.storeVector;
  for (int64_t i = 0; i < plan.tm; ++i) {
    Value row = add(row0, i);
    for (int64_t j = 0; j < plan.tn; j += width) {
      Value col = add(col0, j);
      OpBuilder::InsertionGuard guard(b);
      auto ifOp = scf::IfOp::create(
          b, loc, andi(ult(row, extentM), ult(col, extentN)),
          /*withElseRegion=*/false);
      b.setInsertionPointToStart(&ifOp.getThenRegion().front());
      SmallVector<Value> values;
      for (int64_t e = 0; e < width; ++e) {
        Value acc = vector::ExtractOp::create(b, loc, loop.getResult(i),
                                              ArrayRef<int64_t>{j + e});
        values.push_back(emitElement(acc, row, add(col, e)));
      }
      if (width == 1) {
        memref::StoreOp::create(b, loc, values[0], out, outIndices(row, col));
        continue;
      }
      Value group = vector::FromElementsOp::create(
          b, loc, VectorType::get({width}, values[0].getType()), values);
      vector::StoreOp::create(b, loc, group, out, outIndices(row, col),
                              /*nontemporal=*/false,
                              llvm::MaybeAlign(4 * width));
    }
  }
}

struct FuseGpuSimtGemmPass
    : public mlir::fuse::impl::FuseGpuSimtGemmBase<FuseGpuSimtGemmPass> {
  using FuseGpuSimtGemmBase::FuseGpuSimtGemmBase;

  void runOnOperation() override {
    SmallVector<scf::ForallOp> foralls;
    getOperation().walk(
        [&](scf::ForallOp forall) { foralls.push_back(forall); });
    for (scf::ForallOp forall : foralls) {
      FailureOr<std::optional<SimtGemmPlan>> plan =
          SimtGemmMatcher(forall, sharedMemoryLimit).match();
      if (failed(plan))
        return signalPassFailure();
      if (!*plan)
        continue;
      OpBuilder builder(forall);
      SimtGemmEmitter(**plan, builder).emit();
      forall.erase();
    }
  }
};

} // namespace
