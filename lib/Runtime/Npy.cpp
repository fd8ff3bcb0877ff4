//===- Npy.cpp - numpy .npy files -----------------------------------------===//

#include "Fuse/Runtime/Npy.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;
using namespace mlir::fuse;

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

static int64_t dtypeSize(StringRef dtype) {
  if (dtype.size() < 3)
    return 0;
  int64_t size = 0;
  if (dtype.drop_front(2).getAsInteger(10, size))
    return 0;
  return size;
}

/// Extracts the value of `'key': value` from the header dict.
static std::optional<StringRef> headerField(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

FailureOr<NpyArray> mlir::fuse::readNpy(StringRef path, std::string &error) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) {
    error = path.str() + ": cannot open: " + file.getError().message();
    return failure();
  }
  StringRef buffer = (*file)->getBuffer();
  if (!buffer.starts_with("\x93NUMPY") || buffer.size() < 10) {
    error = path.str() + ": not a .npy file";
    return failure();
  }
  uint8_t major = buffer[6];
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = static_cast<uint8_t>(buffer[8]) |
                (static_cast<uint8_t>(buffer[9]) << 8);
    offset = 10;
  } else {
    if (buffer.size() < 12) {
      error = path.str() + ": truncated .npy header";
      return failure();
    }
    uint32_t len;
    std::memcpy(&len, buffer.data() + 8, 4);
    headerLen = len;
    offset = 12;
  }
  if (offset + headerLen > buffer.size()) {
    error = path.str() + ": truncated .npy header";
    return failure();
  }
  StringRef header = buffer.substr(offset, headerLen);
  NpyArray array;
  auto descr = headerField(header, "descr");
  auto order = headerField(header, "fortran_order");
  auto shape = headerField(header, "shape");
  if (!descr || !order || !shape) {
    error = path.str() + ": malformed .npy header";
    return failure();
  }
  array.dtype = descr->drop_front().split('\'').first.str();
  if (array.dtype.size() == 3 && array.dtype[0] == '=')
    array.dtype[0] = '<';
  if (order->starts_with("True")) {
    error = path.str() + ": Fortran-ordered arrays are not supported";
    return failure();
  }
  StringRef dims = shape->drop_front().split(')').first;
  SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    int64_t d;
    if (part.trim().getAsInteger(10, d) || d < 0) {
      error = path.str() + ": bad shape in .npy header";
      return failure();
    }
    array.shape.push_back(d);
  }
  int64_t width = dtypeSize(array.dtype);
  if (width == 0 || (array.dtype[0] != '<' && array.dtype[0] != '|')) {
    error = path.str() + ": unsupported dtype '" + array.dtype + "'";
    return failure();
  }
  size_t bytes = static_cast<size_t>(array.numElements() * width);
  StringRef payload = buffer.drop_front(offset + headerLen);
  if (payload.size() < bytes) {
    error = path.str() + ": holds " + std::to_string(payload.size()) +
            " data bytes, expected " + std::to_string(bytes);
    return failure();
  }
  array.data.assign(payload.begin(), payload.begin() + bytes);
  return array;
}

LogicalResult mlir::fuse::writeNpy(StringRef path, const NpyArray &array,
                                   std::string &error) {
  std::string shape = "(";
  for (auto [i, d] : llvm::enumerate(array.shape))
    shape += (i ? ", " : "") + std::to_string(d);
  shape += array.shape.size() == 1 ? ",)" : ")";
  std::string header = "{'descr': '" + array.dtype +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec) {
    error = path.str() + ": cannot write: " + ec.message();
    return failure();
  }
  os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
     << char(header.size() >> 8) << header;
  os.write(array.data.data(), array.data.size());
  return success();
}

NpyArray mlir::fuse::randomNpyArray(StringRef dtype, ArrayRef<int64_t> shape,
                                    std::mt19937 &rng) {
  NpyArray array;
  array.dtype = dtype.str();
  array.shape.assign(shape.begin(), shape.end());
  int64_t n = array.numElements();
  int64_t width = dtypeSize(dtype);
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int64_t> integer(0, 9);
  auto append = [&](const void *p, size_t bytes) {
    const char *c = static_cast<const char *>(p);
    array.data.insert(array.data.end(), c, c + bytes);
  };
  array.data.reserve(n * width);
  for (int64_t i = 0; i < n; ++i) {
    if (dtype == "<f4") {
      float v = real(rng);
      append(&v, 4);
    } else if (dtype == "<f8") {
      double v = real(rng);
      append(&v, 8);
    } else if (dtype == "<f2") {
      llvm::APFloat v(real(rng));
      bool lost;
      v.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      uint16_t bits = v.bitcastToAPInt().getZExtValue();
      append(&bits, 2);
    } else if (dtype == "|b1") {
      array.data.push_back(static_cast<char>(integer(rng) & 1));
    } else {
      int64_t v = integer(rng);
      append(&v, width);
    }
  }
  return array;
}
