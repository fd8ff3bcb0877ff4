//===- Bundle.h - GPU bundles (plan.json, model.ptx, weights.bin) -*- C++
//-*-===//
//
// A bundle is the directory `fuse-compile MODEL --emit=ptx -o DIR` writes:
// DIR/plan.json (buffers and launch steps), DIR/model.ptx (every kernel) and
// DIR/weights.bin (the constants). This header loads and validates one; it
// depends on LLVMSupport only (no MLIR, no CUDA).
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_RUNTIME_BUNDLE_H
#define FUSE_RUNTIME_BUNDLE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlir {
namespace fuse {

enum class BundleBufferKind { Input, Weight, Arena, Output };

/// One buffer of plan.json's "buffers".
struct BundleBuffer {
  int64_t id = -1;
  BundleBufferKind kind = BundleBufferKind::Arena;
  std::string name;  // inputs and outputs
  std::string dtype; // f32 f16 bf16 f64 i64 i32 i16 i8 u64 u32 u16 u8 i1
  std::vector<int64_t> shape;
  int64_t bytes = 0;
  int64_t weightsOffset = -1; // weights: offset in weights.bin
  int64_t offset = -1;        // arena: offset in the arena
  int64_t liveFirst = -1;     // arena: first and last step using it
  int64_t liveLast = -1;
};

/// A place in a buffer: {"buffer": ID, "byte_offset": N}.
struct BundleBufferRef {
  int64_t buffer = -1;
  int64_t byteOffset = 0;
};

/// One TMA tensor map of plan.json's "tensor_maps", as
/// cuTensorMapEncodeTiled takes it: dims, strides and box innermost first.
struct BundleTensorMap {
  int64_t id = -1;
  BundleBufferRef base;       // The global address: a buffer and byte offset.
  std::string dtype;          // f16 bf16 f32 (the CUtensorMapDataType)
  int64_t rank = 0;           // 1 to 5
  std::vector<uint64_t> dims; // rank, elements
  std::vector<uint64_t> strides;        // rank - 1, bytes (of dims 1..)
  std::vector<uint32_t> box;            // rank, elements
  std::vector<uint32_t> elementStrides; // rank
  std::string interleave = "none";      // none 16b 32b
  std::string swizzle = "none";         // none 32b 64b 128b
  std::string l2promotion = "none";     // none 64b 128b 256b
  std::string oobFill = "zero";         // zero nan
};

/// One marshalled kernel parameter.
struct BundleParam {
  enum class Type { Ptr, I64, I32, F32, F64, TensorMap };
  Type type = Type::I64;
  BundleBufferRef ref;     // ptr
  int64_t tensorMap = -1;  // tensor_map: its index in Bundle::tensorMaps
  int64_t intValue = 0;    // i64, i32
  double floatValue = 0.0; // f32, f64
};

/// One step of plan.json's "steps".
struct BundleStep {
  enum class Op { Launch, Copy, Memset };
  Op op = Op::Launch;
  // launch
  std::string kernel;
  std::array<uint32_t, 3> grid = {1, 1, 1};
  std::array<uint32_t, 3> block = {1, 1, 1};
  uint32_t sharedBytes = 0;
  std::vector<BundleParam> params;
  // copy (src, dst, bytes) and memset (dst, bytes, value)
  BundleBufferRef src, dst;
  int64_t bytes = 0;
  uint8_t value = 0;
};

/// A graph input or output: its name and buffer id.
struct BundleIO {
  std::string name;
  int64_t buffer = -1;
};

/// A loaded, validated bundle. Paths are absolute or relative to the current
/// directory as the bundle directory was given.
struct Bundle {
  std::string directory;
  std::string planPath, ptxPath, weightsPath;
  std::string target, chip;
  int64_t version = 0;
  int64_t arenaBytes = 0;
  int64_t alignment = 1;
  uint64_t weightsFileBytes = 0;
  std::vector<BundleBuffer> buffers;
  std::vector<BundleIO> inputs, outputs;
  std::vector<BundleStep> steps;
  std::vector<BundleTensorMap> tensorMaps;

  /// Buffer id -> position in `buffers`.
  std::map<int64_t, size_t> bufferIndex;

  /// The buffer with this id, or null.
  const BundleBuffer *lookup(int64_t id) const;
};

/// The size in bytes of one element of a bundle dtype (i1 is one byte), or 0
/// when the dtype is unknown.
int64_t bundleDtypeSize(llvm::StringRef dtype);

/// The numpy dtype string a bundle dtype is exchanged as in .npy files
/// ("<f4", ...; bf16 is exchanged as "<f4" and converted), or "".
std::string bundleNpyDtype(llvm::StringRef dtype);

/// Loads DIR/plan.json and validates it against DIR's PTX and weights files.
/// Every error is one message naming the file and the field or step.
llvm::Expected<Bundle> loadBundle(llvm::StringRef directory);

/// Validates `planText` (the contents of `planPath`) as the plan of the bundle
/// in `directory` (the PTX and weights files are looked up there).
llvm::Expected<Bundle> parseBundlePlan(llvm::StringRef planText,
                                       llvm::StringRef planPath,
                                       llvm::StringRef directory);

/// Checks the arena plan: no two arena buffers whose `live` ranges overlap
/// share bytes, and every step touching an arena buffer lies inside its
/// `live` range. Errors name plan.json and both buffers (or the step).
llvm::Error checkArenaLiveness(const Bundle &bundle);

} // namespace fuse
} // namespace mlir

#endif // FUSE_RUNTIME_BUNDLE_H
