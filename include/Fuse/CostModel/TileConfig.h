//===- TileConfig.h - One point of a tuning search space --------*- C++ -*-===//
//
// Shared by the cost model, the tuner, the tuning database and the tiling
// pass: an implementation name and its integer parameters, with a canonical
// text form (`mma_sync:BK=32,BM=128,BN=128,stages=3,warps=4`, parameters
// sorted by name) used as a database key and by `--fuse-tile-config`.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_COSTMODEL_TILECONFIG_H
#define FUSE_COSTMODEL_TILECONFIG_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <string>

namespace mlir {
namespace fuse {

struct TileConfig {
  /// The implementation: e.g. "mma_sync", "wgmma", "fma_gemm",
  /// "flash_attention", "elementwise", "row_per_warp", "row_per_block".
  std::string impl;
  /// Its parameters by name (e.g. BM, BN, BK, warps, stages, vector).
  std::map<std::string, int64_t> params;

  /// The parameter `name`, or `fallback` when the config has none.
  int64_t get(llvm::StringRef name, int64_t fallback = 0) const;
  bool has(llvm::StringRef name) const;
  /// The canonical text form.
  std::string str() const;
  /// Parses the canonical form (`IMPL` or `IMPL:NAME=INT,...`); `error`
  /// says what is wrong.
  static FailureOr<TileConfig> parse(llvm::StringRef text, std::string &error);

  bool operator==(const TileConfig &other) const {
    return impl == other.impl && params == other.params;
  }
  bool operator<(const TileConfig &other) const {
    return impl != other.impl ? impl < other.impl : params < other.params;
  }
};

} // namespace fuse
} // namespace mlir

#endif // FUSE_COSTMODEL_TILECONFIG_H
