//===- FusionReport.h - The fusion report and its picture -------*- C++ -*-===//
//
// What `fuse-compile --fuse-report` and `--fuse-report-dot` write: per
// fuse.group its ops, ONNX node names, mapping types, FLOPs, DRAM bytes
// unfused and fused, arithmetic intensity; totals for the module.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_TRANSFORMS_FUSIONREPORT_H
#define FUSE_TRANSFORMS_FUSIONREPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace fuse {

/// Top-level ops of the module's functions that are neither constants nor
/// terminators (an op of a fused module is a fuse.group).
int64_t countKernelOps(ModuleOp module);

/// The report as JSON: `model`, `ops_before`, `ops_after_rewrite`,
/// `groups`, `flops`, `dram_bytes_unfused`, `dram_bytes_fused`,
/// `group_list` (per group: `id`, `ops`, `onnx_nodes`, `mapping_types`,
/// `mapping`, `flops`, `bytes_unfused`, `bytes_fused`,
/// `arithmetic_intensity`, `inputs`, `outputs`).
llvm::json::Object buildFusionReport(ModuleOp module, llvm::StringRef model,
                                     int64_t opsBefore,
                                     int64_t opsAfterRewrite);

/// Marks the groups fuse-tile split off a fused group (around an attention
/// or a scatter, which keeps the fused group's place); the report skips
/// them.
constexpr const char *kSplitPartAttrName = "fuse.split_part";

/// Adds each group's `fuse.tile` configuration (its canonical text) to the
/// report's `group_list` entries as `tile`, and the name of its GPU kernel
/// as `kernel_name`, in program order (the groups marked
/// kSplitPartAttrName skipped).
void addTileConfigsToReport(ModuleOp module, llvm::json::Object &report);

/// On the module after the GPU pipeline's kernel naming: a dictionary from
/// kernel name to {kernel_impl, generic_reason}, what each kernel really
/// implements ("mma_sync", "wgmma", "fma_gemm", "depthwise",
/// "flash_attention" or "generic") and, for a group tuned for a GEMM-like
/// kernel that the generic one computes, why.
constexpr const char *kGpuKernelsAttrName = "fuse.kernels";

/// Adds what the GPU code generation made of each group (after
/// addTileConfigsToReport, which names each entry's kernel `kernel_name`):
/// `kernel` (the implementations of its launches, joined by "+"),
/// `launches`, and `generic_reason` when codegen declined the tuned kernel;
/// and the module's kernel count as `gpu_kernels`.
void addGpuKernelsToReport(ModuleOp module, llvm::json::Object &report);

/// A human-readable summary of a report built by buildFusionReport.
void printFusionSummary(const llvm::json::Object &report,
                        llvm::raw_ostream &os);

/// A Graphviz picture of the grouped graph: one cluster per group, one node
/// per op, edges along the data flow, graph inputs and outputs.
void printFusionDot(ModuleOp module, llvm::raw_ostream &os);

} // namespace fuse
} // namespace mlir

#endif // FUSE_TRANSFORMS_FUSIONREPORT_H
