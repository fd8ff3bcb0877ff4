//===- Passes.td - Fuse conversion passes ------------------*- tablegen -*-===//

#ifndef FUSE_CONVERSION_PASSES_TD
#define FUSE_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseToLinalg : Pass<"fuse-to-linalg", "ModuleOp"> {
  let summary = "Lower fuse ops to linalg, tensor, arith and math on tensors";
  let description = [{
    One pattern per fuse op; the bodies of `fuse.group` lower the same way
    (the group is inlined). Elementwise ops become `linalg.generic` with
    numpy-broadcasting indexing maps; contractions, pools and reductions
    become `linalg.generic` with reduction iterators (or named ops);
    data movement uses `tensor` ops where they express it exactly and
    `linalg.generic` with `tensor.extract` otherwise; scatters, whose updates
    apply in order, are `scf.for` nests over `tensor.insert`. `fuse.constant`
    becomes `arith.constant` (dense and dense_resource alike). An op
    without a lowering is an error naming it.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // FUSE_CONVERSION_PASSES_TD
