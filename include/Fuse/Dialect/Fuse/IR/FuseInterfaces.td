//===- FuseInterfaces.td - Fusion and cost interfaces -----*- tablegen -*-===//

#ifndef FUSE_DIALECT_FUSE_IR_FUSEINTERFACES_TD
#define FUSE_DIALECT_FUSE_IR_FUSEINTERFACES_TD

include "mlir/IR/OpBase.td"

def FusionKindInterface : OpInterface<"FusionKindInterface"> {
  let cppNamespace = "::mlir::fuse";
  let description = [{
    The DNNFusion mapping type of an op: how each output element depends on
    the input elements. OneToOne (elementwise), OneToMany (broadcast, expand,
    gather, resize), ManyToMany (conv, matmul, pools, reductions, softmax,
    norms), Reorganize (reshape and friends) and Shuffle (transpose). With
    several inputs the most complex input-to-output relation wins.
  }];
  let methods = [
    InterfaceMethod<"Returns the DNNFusion mapping type of this op.",
      "::mlir::fuse::MappingType", "getMappingType">,
  ];
}

def CostInterface : OpInterface<"CostInterface"> {
  let cppNamespace = "::mlir::fuse";
  let description = [{
    Work and DRAM traffic of one op, computed from its types: floating-point
    (or integer) operations, bytes read from its tensor operands and bytes
    written to its results, assuming every operand is read once from memory.
  }];
  let methods = [
    InterfaceMethod<"Arithmetic operations performed by this op.",
      "int64_t", "getFlops">,
    InterfaceMethod<"Bytes read from the op's tensor operands.",
      "int64_t", "getBytesRead", (ins), [{}], [{
        return ::mlir::fuse::sumTensorBytes($_op->getOperandTypes());
      }]>,
    InterfaceMethod<"Bytes written to the op's results.",
      "int64_t", "getBytesWritten", (ins), [{}], [{
        return ::mlir::fuse::sumTensorBytes($_op->getResultTypes());
      }]>,
  ];
}

#endif // FUSE_DIALECT_FUSE_IR_FUSEINTERFACES_TD
