//===- TensorProto.cpp - ONNX TensorProto files without protobuf ----------===//
//
// Reads a serialized onnx.TensorProto (the `input_0.pb` files of the ONNX
// backend test data) into the numpy-style array the runners feed: a small
// decoder of the protobuf wire format for the fields a tensor's values need,
// so that fuse-cuda-run reads .pb inputs without libonnx or libprotobuf.
// Every problem is an error string: the file is user input.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Runtime/TensorProto.h"

#include "llvm/Support/MemoryBuffer.h"

#include <cstring>
#include <optional>

using namespace mlir;
using namespace mlir::fuse;

namespace {
/// onnx.TensorProto.DataType values.
enum DataType : int32_t {
  FLOAT = 1,
  UINT8 = 2,
  INT8 = 3,
  UINT16 = 4,
  INT16 = 5,
  INT32 = 6,
  INT64 = 7,
  STRING = 8,
  BOOL = 9,
  FLOAT16 = 10,
  DOUBLE = 11,
  UINT32 = 12,
  UINT64 = 13,
  COMPLEX64 = 14,
  COMPLEX128 = 15,
  BFLOAT16 = 16,
};

/// onnx.TensorProto field numbers.
enum Field : uint64_t {
  kDims = 1,
  kDataType = 2,
  kFloatData = 4,
  kInt32Data = 5,
  kInt64Data = 7,
  kName = 8,
  kRawData = 9,
  kDoubleData = 10,
  kUint64Data = 11,
  kDataLocation = 14,
};
constexpr int32_t kExternal = 1; // TensorProto.DataLocation.EXTERNAL

enum WireType { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

/// numpy dtype descriptor and element size of an ONNX element type; bf16 is
/// widened to f32 (the runners carry bf16 tensors as float32 arrays).
struct ElementInfo {
  const char *dtype;
  int size;
};

/// The fields of one TensorProto that the values need.
struct Tensor {
  std::vector<int64_t> dims;
  int32_t dataType = 0;
  int32_t dataLocation = 0;
  std::string name;
  std::optional<StringRef> rawData;
  std::vector<float> floatData;
  std::vector<int32_t> int32Data;
  std::vector<int64_t> int64Data;
  std::vector<double> doubleData;
  std::vector<uint64_t> uint64Data;
};

/// A cursor over protobuf wire-format bytes; every read fails (returns
/// false) on truncated or malformed input.
class WireReader {
public:
  explicit WireReader(StringRef bytes) : rest(bytes) {}
  bool done() const { return rest.empty(); }

  bool varint(uint64_t &value) {
    value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (rest.empty())
        return false;
      uint8_t byte = rest.front();
      rest = rest.drop_front();
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80))
        return true;
    }
    return false; // more than ten bytes
  }
  template <typename T> bool fixed(T &value) {
    if (rest.size() < sizeof(T))
      return false;
    std::memcpy(&value, rest.data(), sizeof(T)); // little-endian host
    rest = rest.drop_front(sizeof(T));
    return true;
  }
  bool bytes(StringRef &value) {
    uint64_t length;
    if (!varint(length) || length > rest.size())
      return false;
    value = rest.take_front(length);
    rest = rest.drop_front(length);
    return true;
  }
  /// Skips one value of `wire` type (fields this reader does not need).
  bool skip(uint64_t wire) {
    uint64_t v;
    StringRef s;
    switch (wire) {
    case Varint:
      return varint(v);
    case Fixed64:
      return fixed(v);
    case Bytes:
      return bytes(s);
    case Fixed32: {
      uint32_t w;
      return fixed(w);
    }
    default: // groups (3, 4) and the invalid wire types 6, 7
      return false;
    }
  }

private:
  StringRef rest;
};
} // namespace

/// Appends a repeated scalar field's value(s): one value (`wire` is the
/// element's own wire type) or a packed run of them (`wire` is Bytes).
template <typename T>
static bool readRepeated(WireReader &reader, uint64_t wire, WireType element,
                         std::vector<T> &out) {
  auto one = [&](WireReader &r) {
    if (element == Varint) {
      uint64_t v;
      if (!r.varint(v))
        return false;
      out.push_back(static_cast<T>(v)); // int32: the low 32 bits
      return true;
    }
    T v;
    if (!r.fixed(v))
      return false;
    out.push_back(v);
    return true;
  };
  if (wire == element)
    return one(reader);
  if (wire != Bytes)
    return reader.skip(wire); // a mismatched wire type: an unknown field
  StringRef packed;
  if (!reader.bytes(packed))
    return false;
  WireReader inner(packed);
  while (!inner.done())
    if (!one(inner))
      return false;
  return true;
}

static bool parseTensor(StringRef bytes, Tensor &t) {
  WireReader reader(bytes);
  while (!reader.done()) {
    uint64_t tag;
    if (!reader.varint(tag) || (tag >> 3) == 0)
      return false;
    uint64_t field = tag >> 3, wire = tag & 7;
    bool ok = true;
    auto singularVarint = [&](int32_t &out) {
      if (wire != Varint)
        return reader.skip(wire);
      uint64_t v;
      if (!reader.varint(v))
        return false;
      out = static_cast<int32_t>(v);
      return true;
    };
    switch (field) {
    case kDims:
      ok = readRepeated(reader, wire, Varint, t.dims);
      break;
    case kDataType:
      ok = singularVarint(t.dataType);
      break;
    case kDataLocation:
      ok = singularVarint(t.dataLocation);
      break;
    case kFloatData:
      ok = readRepeated(reader, wire, Fixed32, t.floatData);
      break;
    case kInt32Data:
      ok = readRepeated(reader, wire, Varint, t.int32Data);
      break;
    case kInt64Data:
      ok = readRepeated(reader, wire, Varint, t.int64Data);
      break;
    case kDoubleData:
      ok = readRepeated(reader, wire, Fixed64, t.doubleData);
      break;
    case kUint64Data:
      ok = readRepeated(reader, wire, Varint, t.uint64Data);
      break;
    case kName:
    case kRawData: {
      if (wire != Bytes) {
        ok = reader.skip(wire);
        break;
      }
      StringRef value;
      ok = reader.bytes(value);
      if (field == kName)
        t.name = value.str();
      else
        t.rawData = value;
      break;
    }
    default:
      ok = reader.skip(wire);
      break;
    }
    if (!ok)
      return false;
  }
  return true;
}

static std::optional<ElementInfo> elementInfo(int32_t type) {
  switch (type) {
  case FLOAT:
  case BFLOAT16:
    return ElementInfo{"<f4", 4};
  case FLOAT16:
    return ElementInfo{"<f2", 2};
  case DOUBLE:
    return ElementInfo{"<f8", 8};
  case INT64:
    return ElementInfo{"<i8", 8};
  case INT32:
    return ElementInfo{"<i4", 4};
  case INT16:
    return ElementInfo{"<i2", 2};
  case INT8:
    return ElementInfo{"|i1", 1};
  case UINT64:
    return ElementInfo{"<u8", 8};
  case UINT32:
    return ElementInfo{"<u4", 4};
  case UINT16:
    return ElementInfo{"<u2", 2};
  case UINT8:
    return ElementInfo{"|u1", 1};
  case BOOL:
    return ElementInfo{"|b1", 1};
  default:
    return std::nullopt;
  }
}

/// The DataType name of an element type this reader does not take.
static std::string typeName(int32_t type) {
  static const char *const names[] = {
      "UNDEFINED",      "FLOAT",        "UINT8",          "INT8",
      "UINT16",         "INT16",        "INT32",          "INT64",
      "STRING",         "BOOL",         "FLOAT16",        "DOUBLE",
      "UINT32",         "UINT64",       "COMPLEX64",      "COMPLEX128",
      "BFLOAT16",       "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2",
      "FLOAT8E5M2FNUZ", "UINT4",        "INT4",           "FLOAT4E2M1"};
  if (type >= 0 && type < static_cast<int32_t>(std::size(names)))
    return names[type];
  return "#" + std::to_string(type);
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

FailureOr<NpyArray> mlir::fuse::readTensorProtoFile(StringRef path,
                                                    std::string &error,
                                                    std::string *name) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = path.str() + ": cannot read: " + buffer.getError().message();
    return failure();
  }
  Tensor tensor;
  if (!parseTensor((*buffer)->getBuffer(), tensor)) {
    error = path.str() + ": not a serialized ONNX TensorProto";
    return failure();
  }
  if (tensor.dataLocation == kExternal) {
    error = path.str() + ": tensors with external data are not supported";
    return failure();
  }
  int32_t type = tensor.dataType;
  std::optional<ElementInfo> info = elementInfo(type);
  if (!info) {
    error = path.str() + ": unsupported element type " + typeName(type);
    return failure();
  }
  if (name)
    *name = tensor.name;
  NpyArray result;
  result.dtype = info->dtype;
  int64_t count = 1;
  for (int64_t d : tensor.dims) {
    if (d < 0 || (d > 0 && count > INT64_MAX / d)) {
      error = path.str() + ": invalid dims";
      return failure();
    }
    result.shape.push_back(d);
    count *= d;
  }

  bool bf16 = type == BFLOAT16;
  int storedSize = bf16 ? 2 : info->size;
  if (tensor.rawData) {
    StringRef raw = *tensor.rawData;
    if (count > INT64_MAX / storedSize ||
        static_cast<int64_t>(raw.size()) != count * storedSize) {
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
  case FLOAT:
    stored = tensor.floatData.size();
    break;
  case DOUBLE:
    stored = tensor.doubleData.size();
    break;
  case INT64:
    stored = tensor.int64Data.size();
    break;
  case UINT64:
  case UINT32:
    stored = tensor.uint64Data.size();
    break;
  default:
    stored = tensor.int32Data.size();
    break;
  }
  if (stored != count) {
    error = path.str() + ": holds " + std::to_string(stored) +
            " values, expected " + std::to_string(count) + " for its dims";
    return failure();
  }
  for (int64_t i = 0; i < count; ++i) {
    switch (type) {
    case FLOAT:
      append(result.data, tensor.floatData[i], 4);
      break;
    case DOUBLE:
      append(result.data, tensor.doubleData[i], 8);
      break;
    case INT64:
      append(result.data, tensor.int64Data[i], 8);
      break;
    case UINT64:
    case UINT32:
      append(result.data, tensor.uint64Data[i], info->size);
      break;
    case BFLOAT16:
      append(result.data,
             bf16BitsToFloat(static_cast<uint32_t>(tensor.int32Data[i])), 4);
      break;
    case BOOL:
      append(result.data, static_cast<uint8_t>(tensor.int32Data[i] != 0), 1);
      break;
    default:
      // int32, int16, int8, uint16, uint8 and float16 bits: little-endian
      // truncation of the int32 field.
      append(result.data, static_cast<uint32_t>(tensor.int32Data[i]),
             info->size);
      break;
    }
  }
  return result;
}
