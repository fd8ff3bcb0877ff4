//===- TensorFile.cpp - ONNX TensorProto files as host arrays -------------===//
//
// Reads a serialized onnx.TensorProto (the `input_0.pb` files of the ONNX
// backend test data) into the numpy-style array fuse-run feeds to @main.
// Every problem is an error string: the file is user input.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Target/ONNX/ImportONNX.h"

#include "llvm/Support/MemoryBuffer.h"

#include "onnx/onnx_pb.h"

#include <cstring>

using namespace mlir;
using namespace mlir::fuse;

namespace {
/// numpy dtype descriptor and element size of an ONNX element type; bf16 is
/// widened to f32 (fuse-run carries bf16 tensors as float32 arrays).
struct ElementInfo {
  const char *dtype;
  int size;
};
} // namespace

static std::optional<ElementInfo> elementInfo(int32_t type) {
  switch (type) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::BFLOAT16:
    return ElementInfo{"<f4", 4};
  case onnx::TensorProto::FLOAT16:
    return ElementInfo{"<f2", 2};
  case onnx::TensorProto::DOUBLE:
    return ElementInfo{"<f8", 8};
  case onnx::TensorProto::INT64:
    return ElementInfo{"<i8", 8};
  case onnx::TensorProto::INT32:
    return ElementInfo{"<i4", 4};
  case onnx::TensorProto::INT16:
    return ElementInfo{"<i2", 2};
  case onnx::TensorProto::INT8:
    return ElementInfo{"|i1", 1};
  case onnx::TensorProto::UINT64:
    return ElementInfo{"<u8", 8};
  case onnx::TensorProto::UINT32:
    return ElementInfo{"<u4", 4};
  case onnx::TensorProto::UINT16:
    return ElementInfo{"<u2", 2};
  case onnx::TensorProto::UINT8:
    return ElementInfo{"|u1", 1};
  case onnx::TensorProto::BOOL:
    return ElementInfo{"|b1", 1};
  default:
    return std::nullopt;
  }
}

template <typename T>
static void append(std::vector<char> &data, T value, int size) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  data.insert(data.end(), bytes, bytes + size);
}

static float bf16BitsToFloat(uint32_t bits) {
  uint32_t wide = bits << 16;
  float f;
  std::memcpy(&f, &wide, 4);
  return f;
}

FailureOr<OnnxTensorData> mlir::fuse::readOnnxTensorFile(StringRef path,
                                                         std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer) {
    error = path.str() + ": cannot read: " + buffer.getError().message();
    return failure();
  }
  onnx::TensorProto tensor;
  StringRef bytes = (*buffer)->getBuffer();
  if (bytes.size() > static_cast<size_t>(INT32_MAX) ||
      !tensor.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error = path.str() + ": not a serialized ONNX TensorProto";
    return failure();
  }
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    error = path.str() + ": tensors with external data are not supported";
    return failure();
  }
  int32_t type = tensor.data_type();
  std::optional<ElementInfo> info = elementInfo(type);
  if (!info) {
    error = path.str() + ": unsupported element type " +
            (onnx::TensorProto::DataType_IsValid(type)
                 ? onnx::TensorProto::DataType_Name(
                       static_cast<onnx::TensorProto::DataType>(type))
                 : "#" + std::to_string(type));
    return failure();
  }
  OnnxTensorData result;
  result.name = tensor.name();
  result.dtype = info->dtype;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0 || (d > 0 && count > INT64_MAX / d)) {
      error = path.str() + ": invalid dims";
      return failure();
    }
    result.shape.push_back(d);
    count *= d;
  }

  bool bf16 = type == onnx::TensorProto::BFLOAT16;
  int storedSize = bf16 ? 2 : info->size;
  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (static_cast<int64_t>(raw.size()) != count * storedSize) {
      error = path.str() + ": raw_data has " + std::to_string(raw.size()) +
              " bytes, expected " + std::to_string(count * storedSize);
      return failure();
    }
    if (!bf16) {
      result.data.assign(raw.begin(), raw.end());
      return result;
    }
    for (int64_t i = 0; i < count; ++i) {
      uint16_t bits;
      std::memcpy(&bits, raw.data() + 2 * i, 2);
      append(result.data, bf16BitsToFloat(bits), 4);
    }
    return result;
  }

  // Typed fields: which one holds the values depends on the element type.
  int64_t stored = 0;
  switch (type) {
  case onnx::TensorProto::FLOAT:
    stored = tensor.float_data_size();
    break;
  case onnx::TensorProto::DOUBLE:
    stored = tensor.double_data_size();
    break;
  case onnx::TensorProto::INT64:
    stored = tensor.int64_data_size();
    break;
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::UINT32:
    stored = tensor.uint64_data_size();
    break;
  default:
    stored = tensor.int32_data_size();
    break;
  }
  if (stored != count) {
    error = path.str() + ": holds " + std::to_string(stored) +
            " values, expected " + std::to_string(count) + " for its dims";
    return failure();
  }
  for (int64_t i = 0; i < count; ++i) {
    switch (type) {
    case onnx::TensorProto::FLOAT:
      append(result.data, tensor.float_data(i), 4);
      break;
    case onnx::TensorProto::DOUBLE:
      append(result.data, tensor.double_data(i), 8);
      break;
    case onnx::TensorProto::INT64:
      append(result.data, tensor.int64_data(i), 8);
      break;
    case onnx::TensorProto::UINT64:
    case onnx::TensorProto::UINT32:
      append(result.data, tensor.uint64_data(i), info->size);
      break;
    case onnx::TensorProto::BFLOAT16:
      append(result.data,
             bf16BitsToFloat(static_cast<uint32_t>(tensor.int32_data(i))), 4);
      break;
    case onnx::TensorProto::BOOL:
      append(result.data, static_cast<uint8_t>(tensor.int32_data(i) != 0), 1);
      break;
    default:
      // int32, int16, int8, uint16, uint8 and float16 bits: little-endian
      // truncation of the int32 field.
      append(result.data, static_cast<uint32_t>(tensor.int32_data(i)),
             info->size);
      break;
    }
  }
  return result;
}
