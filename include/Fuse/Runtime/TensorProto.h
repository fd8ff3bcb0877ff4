//===- TensorProto.h - ONNX TensorProto files without protobuf --*- C++ -*-===//
//
// Reads a serialized onnx.TensorProto (`.pb`, as in the ONNX backend test
// data) into a host array. A decoder of the protobuf wire format: no libonnx,
// no libprotobuf, so the standalone fuse-cuda-run reads them too.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_RUNTIME_TENSORPROTO_H
#define FUSE_RUNTIME_TENSORPROTO_H

#include "Fuse/Runtime/Npy.h"

#include <string>

namespace mlir {
namespace fuse {

/// Reads `path` as a numpy style array: dtype descriptor ('<f4', '<f2',
/// '<f8', '<i8', '<i4', '|b1', ...; bfloat16 is widened to '<f4'), shape and
/// little-endian row-major bytes; `name` (when given) receives the tensor's
/// name (empty when it has none). On failure `error` holds a one-line message
/// naming the file (unreadable, not a TensorProto, external data, an
/// unsupported element type, values that do not match the dims).
FailureOr<NpyArray> readTensorProtoFile(StringRef path, std::string &error,
                                        std::string *name = nullptr);

} // namespace fuse
} // namespace mlir

#endif // FUSE_RUNTIME_TENSORPROTO_H
