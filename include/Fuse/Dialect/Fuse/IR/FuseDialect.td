//===- FuseDialect.td - Fuse graph dialect definition ------*- tablegen -*-===//
//
// The `fuse` dialect: a normalized graph dialect on statically shaped ranked
// tensors. One op per computation; the ONNX importer maps ONNX's spellings
// onto these ops.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_DIALECT_FUSE_IR_FUSEDIALECT_TD
#define FUSE_DIALECT_FUSE_IR_FUSEDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Fuse_Dialect : Dialect {
  let name = "fuse";
  let cppNamespace = "::mlir::fuse";
  let summary = "A normalized tensor graph dialect for operator fusion";
  let description = [{
    The `fuse` dialect models a deep-learning inference graph as a DAG of
    value-semantic ops on statically shaped ranked tensors (`f32`, `f16`,
    `bf16`, `i64`, `i32`, `i1`). Every op implements two interfaces used by
    the fusion and tiling stages: `FusionKindInterface` (DNNFusion's mapping
    type) and `CostInterface` (FLOPs and bytes moved). `fuse.group` holds a
    fused group of ops that becomes one kernel.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

#endif // FUSE_DIALECT_FUSE_IR_FUSEDIALECT_TD
