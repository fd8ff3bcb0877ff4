//===- CpuRunner.h - Run a fuse module on the host CPU ----------*- C++ -*-===//

#ifndef FUSE_RUNTIME_CPURUNNER_H
#define FUSE_RUNTIME_CPURUNNER_H

#include "Fuse/Runtime/Npy.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace fuse {

/// The numpy dtype string of an element type ("<f4", "<f2", "<i8", "<i4",
/// "|b1"; bf16 is carried as "<f4"), or "" when unsupported.
std::string npyDtypeFor(Type elementType);

/// Lowers `module` (a fuse-dialect or tensor-level module with `func.func
/// @main`) with the CPU pipeline, JIT-compiles it and runs @main on `inputs`
/// (one per argument, already of the argument's shape and dtype). Returns one
/// array per result. The module is modified.
/// With `repeat` > 0, @main is run that many more times after the first run
/// and `medianMs` receives the median wall time of one run (JIT compilation
/// excluded).
FailureOr<std::vector<NpyArray>> runOnCpu(ModuleOp module,
                                          ArrayRef<NpyArray> inputs,
                                          std::string &error, int repeat = 0,
                                          double *medianMs = nullptr);

} // namespace fuse
} // namespace mlir

#endif // FUSE_RUNTIME_CPURUNNER_H
