//===- FusionProfitability.cpp - Legality and profitability of fusion -----===//
//
// The mapping-type table and the one profitability function the group
// planner calls. The cost-model issue replaces the body of
// isProfitableFusion with the analytical model; the planner does not change.
//
//===----------------------------------------------------------------------===//

#include "FusionPlan.h"

#include "Fuse/CostModel/CostModel.h"
#include "Fuse/CostModel/TargetSpec.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::fuse;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

static bool isBroadcastElementwise(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, PowOp, MaxOp, MinOp, ModOp, EqualOp,
             LessOp, GreaterOp, AndOp, OrOp, XorOp, SelectOp>(op);
}

MappingType mlir::fuse::fusionMappingType(Operation *op) {
  auto kind = dyn_cast<FusionKindInterface>(op);
  if (!kind)
    return MappingType::ManyToMany;
  MappingType type = kind.getMappingType();
  // Inference batch norm is a per-channel affine map of each element.
  if (auto batchNorm = dyn_cast<BatchNormOp>(op))
    return llvm::all_of(op->getOperands().drop_front(),
                        [](Value v) { return matchPattern(v, m_Constant()); })
               ? MappingType::OneToOne
               : type;
  if (type != MappingType::OneToMany || !isBroadcastElementwise(op) ||
      op->getNumResults() != 1)
    return type;
  auto resultType = dyn_cast<ShapedType>(op->getResult(0).getType());
  if (!resultType)
    return type;
  for (Value operand : op->getOperands()) {
    auto shaped = dyn_cast<ShapedType>(operand.getType());
    if (shaped && shaped.getShape() == resultType.getShape())
      continue;
    if (!matchPattern(operand, m_Constant()))
      return type;
  }
  return MappingType::OneToOne;
}

bool mlir::fuse::isLegalFusion(MappingType producer, MappingType consumer) {
  if (consumer != MappingType::ManyToMany)
    return true;
  return producer != MappingType::ManyToMany &&
         producer != MappingType::OneToMany;
}

int64_t mlir::fuse::recomputeFactor(Operation *op, unsigned operandIndex,
                                    const FusionBudget &budget) {
  int64_t tile = std::max<int64_t>(1, budget.gemmTile);
  if (auto matmul = dyn_cast<MatMulOp>(op)) {
    auto result = cast<ShapedType>(matmul.getType());
    int64_t rank = result.getRank();
    int64_t m = result.getDimSize(rank - 2), n = result.getDimSize(rank - 1);
    if (operandIndex == 0)
      return ceilDiv(n, tile);
    // The right operand is read once per row tile and per broadcast batch.
    int64_t factor = ceilDiv(m, tile);
    auto rhs = cast<ShapedType>(matmul.getRhs().getType());
    int64_t batch = numElements(result) / std::max<int64_t>(1, m * n);
    int64_t rhsBatch = numElements(rhs) /
                       std::max<int64_t>(1, rhs.getDimSize(rhs.getRank() - 2) *
                                                rhs.getDimSize(rhs.getRank() - 1));
    return factor * std::max<int64_t>(1, batch / std::max<int64_t>(1, rhsBatch));
  }
  if (isa<ConvOp, ConvTransposeOp>(op)) {
    auto weight = cast<ShapedType>(op->getOperand(1).getType());
    auto result = cast<ShapedType>(op->getResult(0).getType());
    if (operandIndex == 2)
      return 1;
    if (operandIndex == 1) {
      int64_t spatial = numElements(result) /
                        std::max<int64_t>(1, result.getDimSize(1));
      return ceilDiv(spatial, tile);
    }
    // Input: once per output-channel tile, times the window overlap.
    int64_t window = 1;
    for (int64_t d = 2; d < weight.getRank(); ++d)
      window *= weight.getDimSize(d);
    int64_t strides = 1;
    if (auto attr = op->getAttrOfType<DenseI64ArrayAttr>("strides"))
      for (int64_t s : attr.asArrayRef())
        strides *= std::max<int64_t>(1, s);
    int64_t channels = isa<ConvOp>(op) ? weight.getDimSize(0)
                                        : weight.getDimSize(1);
    return ceilDiv(channels, tile) * std::max<int64_t>(1, window / strides);
  }
  if (isa<MaxPoolOp, AvgPoolOp>(op)) {
    int64_t window = 1, strides = 1;
    if (auto attr = op->getAttrOfType<DenseI64ArrayAttr>("kernel_shape"))
      for (int64_t k : attr.asArrayRef())
        window *= k;
    if (auto attr = op->getAttrOfType<DenseI64ArrayAttr>("strides"))
      for (int64_t s : attr.asArrayRef())
        strides *= std::max<int64_t>(1, s);
    return std::max<int64_t>(1, ceilDiv(window, strides));
  }
  if (auto attention = dyn_cast<AttentionOp>(op)) {
    // Key and value are streamed once per query tile.
    if (operandIndex == 1 || operandIndex == 2) {
      auto query = cast<ShapedType>(attention.getQuery().getType());
      return ceilDiv(query.getDimSize(query.getRank() - 2), tile);
    }
    return 1;
  }
  if (fusionMappingType(op) == MappingType::OneToMany &&
      op->getNumResults() == 1) {
    int64_t in = numElements(op->getOperand(operandIndex).getType());
    int64_t out = numElements(op->getResult(0).getType());
    return std::max<int64_t>(1, in > 0 ? out / in : 1);
  }
  return 1;
}

/// The largest recompute factor on any path from `use` through ops of
/// `consumer` (a value fused in front of an elementwise op that feeds a
/// matmul is recomputed as often as the matmul rereads it).
static int64_t downstreamFactor(OpOperand &use,
                                const llvm::SmallPtrSetImpl<Operation *> &consumer,
                                const FusionBudget &budget) {
  int64_t best = 1;
  SmallVector<OpOperand *> worklist{&use};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!worklist.empty()) {
    OpOperand *operand = worklist.pop_back_val();
    Operation *user = operand->getOwner();
    int64_t factor = recomputeFactor(user, operand->getOperandNumber(), budget);
    best = std::max(best, factor);
    // Streaming ops pass the recomputation on to their consumers.
    if (factor != 1 || fusionMappingType(user) != MappingType::OneToOne ||
        !seen.insert(user).second)
      continue;
    for (Value result : user->getResults())
      for (OpOperand &next : result.getUses())
        if (consumer.contains(next.getOwner()))
          worklist.push_back(&next);
  }
  return best;
}

/// The cost model's latency of `ops` as one kernel: its DRAM traffic is
/// what it reads from outside (weights included) and the results used
/// outside it; the configuration is the model's untuned default.
static std::optional<double> kernelSeconds(ArrayRef<Operation *> ops,
                                           const FusionBudget &budget) {
  llvm::SmallPtrSet<Operation *, 32> inside(ops.begin(), ops.end());
  llvm::SmallPtrSet<Value, 32> inputs;
  int64_t read = 0, written = 0;
  for (Operation *op : ops) {
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if ((!def || !inside.contains(def)) && inputs.insert(operand).second)
        read += tensorBytes(operand.getType());
    }
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            return !inside.contains(user);
          }))
        written += tensorBytes(result.getType());
  }
  FailureOr<Workload> workload = workloadForOps(ops, read, written);
  if (failed(workload))
    return std::nullopt;
  FailureOr<TileConfig> config = defaultConfig(*workload, *budget.target);
  if (failed(config))
    return std::nullopt;
  FailureOr<CostEstimate> estimate =
      estimateLatency(*workload, *config, *budget.target);
  if (failed(estimate))
    return std::nullopt;
  return estimate->latency;
}

/// Whether `value` is computed from the result of a matmul or convolution
/// through OneToOne ops and reshapes only, so that the ops computing it can
/// be that op's fused epilogue.
static bool derivesFromGemm(Value value) {
  SmallVector<Value> worklist{value};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!worklist.empty()) {
    Operation *def = worklist.pop_back_val().getDefiningOp();
    if (!def || def->hasTrait<OpTrait::ConstantLike>() ||
        !seen.insert(def).second)
      continue;
    if (isa<MatMulOp, ConvOp, ConvTransposeOp>(def))
      return true;
    if (!isa<ReshapeOp>(def) && fusionMappingType(def) != MappingType::OneToOne)
      continue;
    llvm::append_range(worklist, def->getOperands());
  }
  return false;
}

/// Whether merging `producer` into `consumer` would put a producer result
/// that derives from another GEMM (derivesFromGemm) in front of an operand
/// of a matmul of `consumer` (directly or through reshapes). Such a value
/// is better placed as the other GEMM's epilogue: there it is computed once
/// and stored once, while in front of the matmul it is recomputed for every
/// output tile that reads it and the matmul's operand tiles can no longer
/// be staged by plain copies (cp.async, TMA), which fuse-gpu-gemm needs.
static bool
prologueBelongsToEpilogue(const llvm::SmallPtrSetImpl<Operation *> &producer,
                          const llvm::SmallPtrSetImpl<Operation *> &consumer) {
  for (Operation *op : consumer) {
    auto matmul = dyn_cast<MatMulOp>(op);
    if (!matmul)
      continue;
    for (Value operand : {matmul.getLhs(), matmul.getRhs()}) {
      // Views: a reshape (in either group) keeps the operand a plain read.
      Operation *def = operand.getDefiningOp();
      while (auto reshape = dyn_cast_or_null<ReshapeOp>(def)) {
        operand = reshape->getOperand(0);
        def = operand.getDefiningOp();
      }
      if (def && producer.contains(def) &&
          fusionMappingType(def) == MappingType::OneToOne &&
          derivesFromGemm(operand))
        return true;
    }
  }
  return false;
}

bool mlir::fuse::isProfitableFusion(ArrayRef<Operation *> producerOps,
                                    ArrayRef<Operation *> consumerOps,
                                    const FusionBudget &budget) {
  llvm::SmallPtrSet<Operation *, 32> producer(producerOps.begin(),
                                              producerOps.end());
  llvm::SmallPtrSet<Operation *, 32> consumer(consumerOps.begin(),
                                              consumerOps.end());
  if (prologueBelongsToEpilogue(producer, consumer))
    return false;
  double producerFlops = 0;
  for (Operation *op : producerOps)
    if (auto cost = dyn_cast<CostInterface>(op))
      producerFlops += static_cast<double>(cost.getFlops());

  double savedBytes = 0, extraFlops = 0;
  for (Operation *op : producerOps) {
    for (Value result : op->getResults()) {
      bool readByConsumer = false, onlyInside = true;
      int64_t factor = 1;
      llvm::SmallPtrSet<Operation *, 8> readers;
      for (OpOperand &use : result.getUses()) {
        Operation *user = use.getOwner();
        if (consumer.contains(user)) {
          readByConsumer = true;
          if (readers.insert(user).second)
            savedBytes += static_cast<double>(tensorBytes(result.getType()));
          factor = std::max(factor, downstreamFactor(use, consumer, budget));
        } else if (!producer.contains(user)) {
          onlyInside = false;
        }
      }
      if (!readByConsumer)
        continue;
      if (onlyInside)
        savedBytes += static_cast<double>(tensorBytes(result.getType()));
      extraFlops = std::max(extraFlops,
                            producerFlops * static_cast<double>(factor - 1));
    }
  }
  if (savedBytes <= 0)
    return false;
  double recomputeSeconds = extraFlops / budget.fmaFlopsPerSecond;
  if (budget.target) {
    // One kernel against two, as the cost model prices them (launches,
    // DRAM traffic, the math path, occupancy), plus the recomputation.
    std::optional<double> apart = kernelSeconds(producerOps, budget),
                          second = kernelSeconds(consumerOps, budget);
    SmallVector<Operation *> both(producerOps.begin(), producerOps.end());
    both.append(consumerOps.begin(), consumerOps.end());
    std::optional<double> together = kernelSeconds(both, budget);
    if (apart && second && together)
      return *together + recomputeSeconds <= *apart + *second;
  }
  return savedBytes / budget.dramBytesPerSecond >= recomputeSeconds;
}
