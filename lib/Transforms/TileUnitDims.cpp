//===- TileUnitDims.cpp - Drop the unit dims of a group's linalg ops ------===//
//
// ONNX models carry unit dims everywhere (a batch of one, a [1, S, H]
// hidden state that a [S, H] matmul reads through a reshape). Inside a
// fused group those reshapes sit between computing ops, where
// tile-and-fuse cannot follow them, and a unit dim in a contraction's
// operands splits its M (or N) into two dims, which the GEMM kernels do
// not take. Dropping the unit loop dims of every linalg.generic of such a
// group (upstream's linalg::dropUnitDims) makes the reshapes between the
// ops pairs that cancel, and the contraction a plain [M, K] x [K, N] one.
//
//===----------------------------------------------------------------------===//

#include "TileUnitDims.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace mlir::fuse;

namespace {

bool isReshape(Operation *op) {
  return isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op);
}

/// Whether the reshape only adds or removes unit dims: every group of its
/// reassociation has at most one dim of another size.
bool isUnitDimReshape(Operation *op) {
  SmallVector<ReassociationIndices> groups;
  ArrayRef<int64_t> expanded;
  if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
    groups = expand.getReassociationIndices();
    expanded = expand.getResultType().getShape();
  } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
    groups = collapse.getReassociationIndices();
    expanded = collapse.getSrcType().getShape();
  } else {
    return false;
  }
  return llvm::all_of(groups, [&](const ReassociationIndices &group) {
    return llvm::count_if(group,
                          [&](int64_t dim) { return expanded[dim] != 1; }) <= 1;
  });
}

/// Whether `value` is computed in the group, through reshapes.
bool isComputed(Value value) {
  Operation *def = value.getDefiningOp();
  while (isReshape(def)) {
    value = def->getOperand(0);
    def = value.getDefiningOp();
  }
  return isa_and_nonnull<linalg::LinalgOp>(def);
}

/// Whether a linalg op reads `value` (through reshapes).
bool feedsComputation(Value value) {
  for (Operation *user : value.getUsers()) {
    if (isa<linalg::LinalgOp>(user))
      return true;
    if (isReshape(user) && feedsComputation(user->getResult(0)))
      return true;
  }
  return false;
}

/// Whether every indexing map of `op` is a projected permutation (constant-0
/// results allowed): no conv window, no flip.
bool hasProjectedMaps(linalg::GenericOp op) {
  return llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
    return map.isProjectedPermutation(/*allowZeroInResults=*/true);
  });
}

/// Whether `op` is a matmul-like contraction with a unit loop dim: a unit
/// batch dim, or a unit dim that splits its M, N or K (a [1, S, K] x [K, N]
/// matmul reads its unit dim through a constant-zero map result, which
/// upstream's contraction matcher rejects).
bool isUnitDimContraction(linalg::GenericOp op) {
  return op.getNumLoops() >= 4 && isMatmulLikeContraction(op) &&
         llvm::is_contained(op.getStaticLoopRanges(), 1);
}

} // namespace

bool mlir::fuse::isMatmulLikeContraction(linalg::GenericOp op) {
  return op.getNumReductionLoops() != 0 && op.getNumDpsInputs() == 2 &&
         op.getNumDpsInits() == 1 && hasProjectedMaps(op) &&
         linalg::detail::isContractionBody(
             *op.getBlock(), [](Operation *mul, Operation *add) {
               return (isa<arith::MulFOp>(mul) && isa<arith::AddFOp>(add)) ||
                      (isa<arith::MulIOp>(mul) && isa<arith::AddIOp>(add));
             });
}

bool mlir::fuse::dropGroupUnitDims(GroupOp group) {
  Block &body = group.getBody().front();
  bool needed = false;
  for (Operation &op : body) {
    if (isa<tensor::EmptyOp, tensor::ExtractSliceOp, arith::ConstantOp, YieldOp,
            linalg::FillOp>(op))
      continue;
    if (isReshape(&op)) {
      needed |= isUnitDimReshape(&op) && isComputed(op.getOperand(0)) &&
                feedsComputation(op.getResult(0));
      continue;
    }
    // Ops that keep their rank for a kernel: convs (window maps), the
    // GEMM kernels' implicit-GEMM convs and flipped weights, pads,
    // concats' inserts and anything else.
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (!generic || op.hasAttr("fuse.implicit_gemm") ||
        op.hasAttr("fuse.untiled_producer") || !hasProjectedMaps(generic))
      return false;
    needed |= isUnitDimContraction(generic);
  }

  if (!needed)
    return false;

  MLIRContext *context = group.getContext();
  IRRewriter rewriter(context);
  linalg::ControlDropUnitDims options;
  for (auto generic :
       llvm::make_early_inc_range(body.getOps<linalg::GenericOp>())) {
    rewriter.setInsertionPoint(generic);
    FailureOr<linalg::DropUnitDimsResult> dropped =
        linalg::dropUnitDims(rewriter, generic, options);
    if (succeeded(dropped))
      rewriter.replaceOp(generic, dropped->replacements);
  }
  // The reshapes between the ops cancel (collapse(expand(x)) is x), fills
  // and empty tensors take the reshaped shapes.
  RewritePatternSet patterns(context);
  linalg::populateFoldUnitExtentDimsCanonicalizationPatterns(patterns, options);
  tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
  tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
  (void)applyPatternsGreedily(group.getBody(), std::move(patterns));
  (void)runRegionDCE(rewriter, group->getRegions());
  return true;
}
