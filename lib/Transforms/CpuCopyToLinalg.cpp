//===- CpuCopyToLinalg.cpp - memref.copy as linalg.copy -------------------===//
//
// memref.copy between non-contiguous views lowers to a call to the runtime's
// generic element-by-element memrefCopy; linalg.copy lowers to a loop nest
// that LLVM vectorizes.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSECPUCOPYTOLINALG
#include "Fuse/Transforms/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;

namespace {

struct CpuCopyToLinalgPass
    : public mlir::fuse::impl::FuseCpuCopyToLinalgBase<CpuCopyToLinalgPass> {
  using FuseCpuCopyToLinalgBase::FuseCpuCopyToLinalgBase;

  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp op) {
      auto source = dyn_cast<MemRefType>(op.getSource().getType());
      auto target = dyn_cast<MemRefType>(op.getTarget().getType());
      if (source && target && source.hasStaticShape() &&
          target.hasStaticShape() && source.getRank() > 0)
        copies.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp op : copies) {
      rewriter.setInsertionPoint(op);
      linalg::CopyOp::create(rewriter, op.getLoc(), op.getSource(),
                             op.getTarget());
      rewriter.eraseOp(op);
    }
  }
};

} // namespace
