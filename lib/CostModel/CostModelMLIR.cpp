//===- CostModelMLIR.cpp - Workloads from fuse dialect ops ----------------===//
//
// Builds the cost model's Workload of a fused group from its ops: the anchor
// op picks the kind and shape, CostInterface gives the FLOPs, and the group's
// inputs, constants and results give the DRAM bytes.
//
//===----------------------------------------------------------------------===//

#include "Fuse/CostModel/CostModel.h"
#include "Fuse/Dialect/Fuse/IR/FuseOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <type_traits>

using namespace mlir;
using namespace mlir::fuse;

namespace {

/// How strongly an op determines the kernel's structure.
int anchorRank(Operation *op) {
  return llvm::TypeSwitch<Operation *, int>(op)
      .Case<AttentionOp>([](auto) { return 4; })
      .Case<MatMulOp, ConvOp, ConvTransposeOp>([](auto) { return 3; })
      .Case<ReduceOp, SoftmaxOp, LogSoftmaxOp, LayerNormOp, ArgMaxOp,
            ArgMinOp>([](auto) { return 2; })
      .Default([](Operation *op) {
        auto kind = dyn_cast<FusionKindInterface>(op);
        if (kind && (kind.getMappingType() == MappingType::Reorganize ||
                     kind.getMappingType() == MappingType::Shuffle))
          return 0;
        return 1;
      });
}

Precision precisionOf(Type elementType, const WorkloadOptions &options) {
  if (elementType.isF16())
    return Precision::FP16;
  if (elementType.isBF16())
    return Precision::BF16;
  if (elementType.isF32() && options.allowTf32)
    return Precision::TF32;
  return Precision::FP32;
}

/// Precision of a streaming (non-tensor-core) kernel: FMA pipes always.
Precision streamingPrecision(Type elementType) {
  if (elementType.isF16())
    return Precision::FP16;
  if (elementType.isBF16())
    return Precision::BF16;
  return Precision::FP32;
}

RankedTensorType tensorType(Value value) {
  return dyn_cast<RankedTensorType>(value.getType());
}

LogicalResult fail(std::string *reason, const llvm::Twine &message) {
  if (reason)
    *reason = message.str();
  return failure();
}

LogicalResult fillGemm(MatMulOp op, const WorkloadOptions &options,
                       Workload &w, std::string *reason) {
  RankedTensorType lhs = tensorType(op.getLhs()), rhs = tensorType(op.getRhs()),
                   out = tensorType(op.getResult());
  if (!lhs || !rhs || !out || lhs.getRank() < 2 || rhs.getRank() < 2)
    return fail(reason, "matmul operands are not ranked matrices");
  ArrayRef<int64_t> ls = lhs.getShape(), rs = rhs.getShape();
  int64_t m = ls[ls.size() - 2], k = ls.back();
  if (op.getTransposeA())
    std::swap(m, k);
  int64_t n = op.getTransposeB() ? rs[rs.size() - 2] : rs.back();
  w.kind = WorkloadKind::Gemm;
  w.precision = precisionOf(lhs.getElementType(), options);
  w.m = m;
  w.n = n;
  w.k = k;
  w.batch = std::max<int64_t>(1, numElements(out) / std::max<int64_t>(m * n, 1));
  w.bytesA = tensorBytes(lhs);
  w.bytesB = tensorBytes(rhs);
  w.elementBytes = elementBytes(lhs.getElementType());
  return success();
}

/// Convolution as implicit GEMM: M = N * output spatial, N = F / groups,
/// K = C / groups * kernel spatial, batch = groups.
template <typename ConvLike>
LogicalResult fillConv(ConvLike op, bool transposed,
                       const WorkloadOptions &options, Workload &w,
                       std::string *reason) {
  RankedTensorType in = tensorType(op.getInput()),
                   weight = tensorType(op.getWeight()),
                   out = tensorType(op->getResult(0));
  if (!in || !weight || !out || out.getRank() < 3)
    return fail(reason, "conv operands are not ranked tensors");
  int64_t groups = std::max<int64_t>(1, op.getGroups());
  ArrayRef<int64_t> os = out.getShape(), ws = weight.getShape();
  int64_t outSpatial = product(os.drop_front(2));
  int64_t kernelSpatial = product(ws.drop_front(2));
  w.kind = WorkloadKind::Gemm;
  w.convolution = true;
  w.precision = precisionOf(in.getElementType(), options);
  w.batch = groups;
  w.m = os[0] * outSpatial;
  w.n = os[1] / groups;
  // conv weights are [F, C/groups, K...]; conv_transpose weights are
  // [C, F/groups, K...]. Both kernels (the implicit GEMM and the generic
  // path) run a conv_transpose as a conv over its spread input: every
  // output reduces C/groups x all kernel taps, the zeros the spread puts
  // between input elements included (the op's FLOPs count only the taps
  // that land on input elements, about 1 / prod(strides) of them).
  w.k = (transposed ? ws[0] / groups : ws[1]) * kernelSpatial;
  w.bytesA = tensorBytes(in);
  w.bytesB = tensorBytes(weight);
  w.elementBytes = elementBytes(in.getElementType());
  // A 2-D depthwise conv: one input channel and one filter per group.
  if constexpr (std::is_same_v<ConvLike, ConvOp>) {
    if (isDepthwiseConv(op)) {
      auto orOne = [](ArrayRef<int64_t> values, size_t i) {
        return i < values.size() ? values[i] : int64_t(1);
      };
      w.depthwise = true;
      for (size_t i = 0; i < 2; ++i) {
        w.convOut[i] = os[2 + i];
        w.convKernel[i] = ws[2 + i];
        w.convStride[i] = orOne(op.getStrides(), i);
        w.convDilation[i] = orOne(op.getDilations(), i);
      }
    }
  }
  return success();
}

LogicalResult fillAttention(AttentionOp op, const WorkloadOptions &options,
                            Workload &w, std::string *reason) {
  RankedTensorType q = tensorType(op.getQuery()), k = tensorType(op.getKey()),
                   v = tensorType(op.getValue());
  if (!q || !k || !v || q.getRank() < 2)
    return fail(reason, "attention operands are not ranked tensors");
  int64_t s = q.getShape()[q.getRank() - 2], d = q.getShape().back();
  w.kind = WorkloadKind::Attention;
  w.precision = precisionOf(q.getElementType(), options);
  w.seqQ = s;
  w.seqKV = k.getShape()[k.getRank() - 2];
  w.headDim = d;
  w.valueDim = v.getShape().back();
  w.batchHeads = numElements(q) / std::max<int64_t>(s * d, 1);
  w.causal = op.getCausal();
  w.elementBytes = elementBytes(q.getElementType());
  return success();
}

LogicalResult fillReduction(Operation *op, Workload &w, std::string *reason) {
  RankedTensorType in = tensorType(op->getOperand(0));
  if (!in)
    return fail(reason, "reduction input is not a ranked tensor");
  ArrayRef<int64_t> shape = in.getShape();
  int64_t rowLength = 1;
  if (auto reduce = dyn_cast<ReduceOp>(op)) {
    ArrayRef<int64_t> axes = reduce.getAxes();
    if (axes.empty())
      rowLength = product(shape);
    for (int64_t axis : axes)
      if (axis >= 0 && axis < int64_t(shape.size()))
        rowLength *= shape[axis];
  } else if (auto norm = dyn_cast<LayerNormOp>(op)) {
    rowLength = product(shape.drop_front(
        std::min<int64_t>(norm.getAxis(), shape.size())));
  } else {
    int64_t axis = llvm::TypeSwitch<Operation *, int64_t>(op)
                       .Case<SoftmaxOp, LogSoftmaxOp, ArgMaxOp, ArgMinOp>(
                           [](auto typed) { return typed.getAxis(); })
                       .Default([](Operation *) { return 0; });
    if (axis < int64_t(shape.size()))
      rowLength = shape[axis];
  }
  rowLength = std::max<int64_t>(rowLength, 1);
  w.kind = WorkloadKind::Reduction;
  w.precision = streamingPrecision(in.getElementType());
  w.elementBytes = elementBytes(in.getElementType());
  w.rowLength = rowLength;
  w.rows = std::max<int64_t>(1, numElements(in) / rowLength);
  return success();
}

} // namespace

FailureOr<Workload> mlir::fuse::workloadForOps(ArrayRef<Operation *> ops,
                                               int64_t bytesRead,
                                               int64_t bytesWritten,
                                               const WorkloadOptions &options,
                                               std::string *reason) {
  Operation *anchor = nullptr;
  int bestRank = -1;
  int64_t totalFlops = 0, maxElements = 0;
  Type widestElement;
  for (Operation *op : ops) {
    if (isa<ConstantOp, YieldOp>(op))
      continue;
    if (auto cost = dyn_cast<CostInterface>(op))
      totalFlops += cost.getFlops();
    for (Value result : op->getResults())
      if (RankedTensorType type = tensorType(result)) {
        if (numElements(type) > maxElements) {
          maxElements = numElements(type);
          widestElement = type.getElementType();
        }
      }
    int rank = anchorRank(op);
    if (rank > bestRank) {
      bestRank = rank;
      anchor = op;
    }
  }
  if (!anchor) {
    (void)fail(reason, "no computing op in the group");
    return failure();
  }
  Workload w;
  w.bytesRead = bytesRead;
  w.bytesWritten = bytesWritten;
  LogicalResult filled = success();
  if (auto matmul = dyn_cast<MatMulOp>(anchor))
    filled = fillGemm(matmul, options, w, reason);
  else if (auto conv = dyn_cast<ConvOp>(anchor))
    filled = fillConv(conv, /*transposed=*/false, options, w, reason);
  else if (auto convT = dyn_cast<ConvTransposeOp>(anchor))
    filled = fillConv(convT, /*transposed=*/true, options, w, reason);
  else if (auto attention = dyn_cast<AttentionOp>(anchor))
    filled = fillAttention(attention, options, w, reason);
  else if (bestRank == 2)
    filled = fillReduction(anchor, w, reason);
  else {
    w.kind = bestRank == 0 ? WorkloadKind::DataMovement
                           : WorkloadKind::Elementwise;
    w.elements = maxElements;
    if (widestElement) {
      w.precision = streamingPrecision(widestElement);
      w.elementBytes = elementBytes(widestElement);
    }
  }
  if (failed(filled))
    return failure();
  int64_t anchorFlops = 0;
  if (auto cost = dyn_cast<CostInterface>(anchor))
    anchorFlops = cost.getFlops();
  w.flops = totalFlops;
  // Elementwise groups do all their work in one place; elsewhere the other
  // ops are the fused prologue/epilogue.
  w.epilogueFlops = (w.kind == WorkloadKind::Elementwise ||
                     w.kind == WorkloadKind::DataMovement)
                        ? 0
                        : totalFlops - anchorFlops;
  if (w.kind == WorkloadKind::Gemm && w.flops < 2 * w.batch * w.m * w.n * w.k)
    w.flops = 2 * w.batch * w.m * w.n * w.k + w.epilogueFlops;
  return w;
}

FailureOr<Workload> mlir::fuse::workloadForGroup(GroupOp group,
                                                 const WorkloadOptions &options,
                                                 std::string *reason) {
  Block &body = group.getBody().front();
  SmallVector<Operation *> ops;
  int64_t bytesRead = sumTensorBytes(group.getInputs().getTypes());
  for (Operation &op : body) {
    ops.push_back(&op);
    // Constants (weights) inside the group are read from memory too.
    if (isa<ConstantOp>(op))
      bytesRead += sumTensorBytes(op.getResultTypes());
  }
  int64_t bytesWritten = sumTensorBytes(group.getResultTypes());
  return workloadForOps(ops, bytesRead, bytesWritten, options, reason);
}

FailureOr<CostEstimate> mlir::fuse::estimateGroupLatency(
    GroupOp group, const TargetSpec &target, const WorkloadOptions &options,
    std::string *reason, TileConfig *config) {
  FailureOr<Workload> workload = workloadForGroup(group, options, reason);
  if (failed(workload))
    return failure();
  FailureOr<TileConfig> chosen = defaultConfig(*workload, target, reason);
  if (failed(chosen))
    return failure();
  if (config)
    *config = *chosen;
  return estimateLatency(*workload, *chosen, target, reason);
}

bool mlir::fuse::isDepthwiseConv(ConvOp conv) {
  auto input = dyn_cast<RankedTensorType>(conv.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(conv.getWeight().getType());
  auto result = dyn_cast<RankedTensorType>(conv.getType());
  return input && weight && result && input.hasStaticShape() &&
         weight.hasStaticShape() && result.hasStaticShape() &&
         input.getRank() == 4 && conv.getGroups() > 1 &&
         weight.getDimSize(1) == 1 &&
         result.getDimSize(1) == static_cast<int64_t>(conv.getGroups());
}
