//===- TensorProtoTest.cpp - The protobuf-free TensorProto reader ---------===//
//
// Hand-encoded TensorProto bytes for what the ONNX writers do not emit in
// test/e2e/tensorproto-inputs.onnxtxt: negative int32_data varints, bf16 in
// int32_data and raw_data, unpacked dims, mismatched wire types, and the
// malformed files that must be errors.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Runtime/TensorProto.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::fuse;

namespace {

std::string varint(uint64_t v) {
  std::string out;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out += static_cast<char>(byte | (v ? 0x80 : 0));
  } while (v);
  return out;
}
std::string key(unsigned field, unsigned wire) {
  return varint(field << 3 | wire);
}
std::string bytesField(unsigned field, const std::string &payload) {
  return key(field, 2) + varint(payload.size()) + payload;
}
std::string dims(std::initializer_list<int64_t> ds) {
  std::string out;
  for (int64_t d : ds)
    out += key(1, 0) + varint(static_cast<uint64_t>(d));
  return out;
}
std::string dataType(int32_t type) { return key(2, 0) + varint(type); }

class TensorProtoTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("fuse-pb-test", path));
    dir = std::string(path);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  FailureOr<NpyArray> read(const std::string &bytes, std::string &error,
                           std::string *name = nullptr) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, "t.pb");
    std::error_code ec;
    {
      llvm::raw_fd_ostream os(path, ec);
      EXPECT_FALSE(ec);
      os << bytes;
    }
    return readTensorProtoFile(path, error, name);
  }
  template <typename T> std::vector<T> values(const NpyArray &a) {
    std::vector<T> out(a.data.size() / sizeof(T));
    std::memcpy(out.data(), a.data.data(), out.size() * sizeof(T));
    return out;
  }

  std::string dir;
};

TEST_F(TensorProtoTest, NegativeInt32DataAsTenByteVarints) {
  // int32_data packed: 5, -6, -2147483648 (each negative one is 10 bytes).
  std::string packed = varint(5) + varint(static_cast<uint64_t>(int64_t(-6))) +
                       varint(static_cast<uint64_t>(int64_t(INT32_MIN)));
  std::string error, name;
  auto a =
      read(dims({3}) + dataType(6) + bytesField(8, "n") + bytesField(5, packed),
           error, &name);
  ASSERT_TRUE(succeeded(a)) << error;
  EXPECT_EQ(a->dtype, "<i4");
  EXPECT_EQ(a->shape, std::vector<int64_t>({3}));
  EXPECT_EQ(values<int32_t>(*a), std::vector<int32_t>({5, -6, INT32_MIN}));
  EXPECT_EQ(name, "n");
}

TEST_F(TensorProtoTest, Int8AndBoolFromUnpackedInt32Data) {
  std::string fields;
  for (int64_t v : {-1, 7})
    fields += key(5, 0) + varint(static_cast<uint64_t>(v));
  std::string error;
  auto i8 = read(dims({2}) + dataType(3) + fields, error);
  ASSERT_TRUE(succeeded(i8)) << error;
  EXPECT_EQ(i8->dtype, "|i1");
  EXPECT_EQ(values<int8_t>(*i8), std::vector<int8_t>({-1, 7}));
  auto b = read(dims({2}) + dataType(9) + fields, error);
  ASSERT_TRUE(succeeded(b)) << error;
  EXPECT_EQ(b->dtype, "|b1");
  EXPECT_EQ(values<uint8_t>(*b), std::vector<uint8_t>({1, 1}));
}

TEST_F(TensorProtoTest, Bf16WidensToF32) {
  // 1.0 = 0x3f80, -2.5 = 0xc020 as raw_data and as int32_data.
  std::string raw("\x80\x3f\x20\xc0", 4);
  std::string error;
  auto a = read(dims({2}) + dataType(16) + bytesField(9, raw), error);
  ASSERT_TRUE(succeeded(a)) << error;
  EXPECT_EQ(a->dtype, "<f4");
  EXPECT_EQ(values<float>(*a), std::vector<float>({1.0f, -2.5f}));
  auto b = read(dims({2}) + dataType(16) +
                    bytesField(5, varint(0x3f80) + varint(0xc020)),
                error);
  ASSERT_TRUE(succeeded(b)) << error;
  EXPECT_EQ(values<float>(*b), std::vector<float>({1.0f, -2.5f}));
}

TEST_F(TensorProtoTest, DoublesPackedAndUnknownFieldsSkipped) {
  double vs[2] = {0.5, -3.0};
  std::string packed(reinterpret_cast<const char *>(vs), sizeof(vs));
  // Unknown fields of every wire type, and dims with a mismatched wire type
  // (fixed32: skipped as an unknown field, as protobuf does).
  std::string unknown = key(99, 0) + varint(1) + key(98, 1) +
                        std::string(8, 'a') + bytesField(97, "zz") +
                        key(96, 5) + std::string(4, 'b') + key(1, 5) +
                        std::string(4, 'c');
  std::string error;
  auto a = read(unknown + dims({1, 2}) + dataType(11) + bytesField(10, packed),
                error);
  ASSERT_TRUE(succeeded(a)) << error;
  EXPECT_EQ(a->dtype, "<f8");
  EXPECT_EQ(a->shape, std::vector<int64_t>({1, 2}));
  EXPECT_EQ(values<double>(*a), std::vector<double>({0.5, -3.0}));
}

TEST_F(TensorProtoTest, ScalarHasNoDims) {
  float v = 4.0f;
  std::string error;
  auto a = read(dataType(1) + key(4, 5) +
                    std::string(reinterpret_cast<const char *>(&v), 4),
                error);
  ASSERT_TRUE(succeeded(a)) << error;
  EXPECT_TRUE(a->shape.empty());
  EXPECT_EQ(values<float>(*a), std::vector<float>({4.0f}));
}

TEST_F(TensorProtoTest, Errors) {
  std::string error;
  // A varint cut short, a length past the end, a group, field number 0.
  for (std::string bad :
       {key(1, 0) + "\x80", bytesField(9, "abcd").substr(0, 4), key(5, 3),
        std::string("\x00\x01", 2)}) {
    EXPECT_TRUE(failed(read(bad, error)));
    EXPECT_NE(error.find("not a serialized ONNX TensorProto"),
              std::string::npos)
        << error;
  }
  EXPECT_TRUE(
      failed(read(dims({2}) + dataType(1) + key(14, 0) + varint(1), error)));
  EXPECT_NE(error.find("tensors with external data are not supported"),
            std::string::npos)
      << error;
  EXPECT_TRUE(failed(read(dims({1}) + dataType(8), error)));
  EXPECT_NE(error.find("unsupported element type STRING"), std::string::npos)
      << error;
  EXPECT_TRUE(failed(read(dims({1}) + dataType(77), error)));
  EXPECT_NE(error.find("unsupported element type #77"), std::string::npos)
      << error;
  EXPECT_TRUE(failed(read(
      dims({3}) + dataType(1) + bytesField(9, std::string(8, '\0')), error)));
  EXPECT_NE(error.find("raw_data has 8 bytes, expected 12"), std::string::npos)
      << error;
  EXPECT_TRUE(
      failed(read(dims({3}) + dataType(7) + key(7, 0) + varint(1), error)));
  EXPECT_NE(error.find("holds 1 values, expected 3 for its dims"),
            std::string::npos)
      << error;
  EXPECT_TRUE(failed(read(dims({-1}) + dataType(1), error)));
  EXPECT_NE(error.find("invalid dims"), std::string::npos) << error;
  EXPECT_TRUE(failed(readTensorProtoFile(dir + "/missing.pb", error)));
  EXPECT_NE(error.find("missing.pb: cannot read"), std::string::npos) << error;
}

} // namespace
