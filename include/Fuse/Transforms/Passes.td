//===- Passes.td - Fuse transformation passes --------------*- tablegen -*-===//

#ifndef FUSE_TRANSFORMS_PASSES_TD
#define FUSE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseAnnotateCost : Pass<"fuse-annotate-cost"> {
  let summary = "Attach each fuse op's mapping type, FLOPs and bytes";
  let description = [{
    Test and inspection pass. Every op implementing `FusionKindInterface`
    gets `fuse.mapping` (the DNNFusion mapping type as a string); every op
    implementing `CostInterface` gets `fuse.flops`, `fuse.bytes_read` and
    `fuse.bytes_written` (i64). With `print-table`, a table of the same
    numbers (one line per op, named by its location) and their totals is
    written to standard error.
  }];
  let options = [
    Option<"printTable", "print-table", "bool", /*default=*/"false",
           "Also print a per-op cost table to stderr">,
  ];
}

#endif // FUSE_TRANSFORMS_PASSES_TD
