//===- Npy.h - numpy .npy files ---------------------------------*- C++ -*-===//

#ifndef FUSE_RUNTIME_NPY_H
#define FUSE_RUNTIME_NPY_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mlir {
namespace fuse {

/// A host tensor: numpy dtype descriptor ('<f4', '<f2', '<i8', '<i4', '|b1'),
/// shape and little-endian row-major bytes.
struct NpyArray {
  std::string dtype;
  std::vector<int64_t> shape;
  std::vector<char> data;

  int64_t numElements() const;
};

/// Reads an .npy file; `error` says why on failure.
FailureOr<NpyArray> readNpy(StringRef path, std::string &error);
/// Seeded random data of numpy dtype `dtype` ("<f4", "<f2", "<f8", "<i8",
/// "<i4", "|i1", "|u1", "|b1"): floats in [-1, 1), integers in [0, 10),
/// booleans. The same seed gives the same data on every device.
NpyArray randomNpyArray(StringRef dtype, ArrayRef<int64_t> shape,
                        std::mt19937 &rng);
/// Writes an .npy file (version 1.0).
LogicalResult writeNpy(StringRef path, const NpyArray &array,
                       std::string &error);

} // namespace fuse
} // namespace mlir

#endif // FUSE_RUNTIME_NPY_H
