//===- Bundle.h - The deployable GPU bundle (--emit=ptx) --------*- C++ -*-===//
//
// What `fuse-compile --emit=ptx -o DIR` writes from a module that went through
// the whole GPU pipeline (host function on memrefs with gpu.launch_func, the
// kernels in one gpu.binary): `model.ptx` (the one PTX module), `weights.bin`
// (every constant buffer at a 256-byte aligned offset) and `plan.json` (the
// buffers, one device arena laid out from the buffers' live ranges, and the
// steps: kernel launches with grid, block, shared memory and their expanded
// parameters, device copies). The format is documented in docs/bundle.md.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_DRIVER_BUNDLE_H
#define FUSE_DRIVER_BUNDLE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"

#include <string>
#include <vector>

namespace mlir {
namespace fuse {

struct CompiledBundle {
  std::string ptx;
  std::vector<char> weights;
  llvm::json::Object plan;
  /// Kernel launches, arena buffers and the arena's size, for reports.
  int64_t launches = 0, arenaBuffers = 0, arenaBytes = 0;
};

struct BundleOptions {
  std::string target;
  std::string chip;
  std::string precision;
};

/// Builds the bundle of `module`. Host ops the runtime cannot execute
/// (dynamic shapes, non-constant launch sizes, a non-contiguous copy, an
/// unknown op) are errors at the op.
FailureOr<CompiledBundle> buildBundle(ModuleOp module,
                                      const BundleOptions &options);

/// Writes `bundle` into directory `dir` (created if missing): each file is
/// written next to its final name and renamed only when all writes
/// succeeded, so an error leaves no partial bundle.
LogicalResult writeBundle(const CompiledBundle &bundle, llvm::StringRef dir,
                          std::string &error);

} // namespace fuse
} // namespace mlir

#endif // FUSE_DRIVER_BUNDLE_H
