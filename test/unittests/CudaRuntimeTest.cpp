//===- CudaRuntimeTest.cpp - CudaBundleRunner on the mock driver ----------===//
//
// Runs CudaBundleRunner (the API the tuner's measured mode uses) against the
// host-memory stand-in for libcuda.so.1 (test/Runtime/MockCuda): one runner
// run many times with new inputs, two runners at once, the timing mode, and
// the errors of setInputs.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Runtime/CudaRuntime.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "gtest/gtest.h"

using namespace mlir::fuse;

namespace {

constexpr int kN = 256;

/// A bundle: y = x + w (add_f32), then y[128:] += 3 * x[128:] (axpy_f32).
class CudaRuntimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    // Before the driver is first opened (it is opened once per process).
    setenv("FUSE_CUDA_LIBRARY", FUSE_MOCK_CUDA_LIBRARY, 1);
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("fuse-cuda-test", path));
    dir = std::string(path);
    auto ptx = llvm::MemoryBuffer::getFile(FUSE_SOURCE_DIR
                                           "/test/Runtime/Inputs/add_axpy.ptx");
    ASSERT_TRUE(!!ptx);
    write("model.ptx", (*ptx)->getBuffer());
    std::string weights(kN * 4, '\0');
    for (int i = 0; i < kN; ++i) {
      float w = 0.5f * i;
      std::memcpy(&weights[4 * i], &w, 4);
    }
    write("weights.bin", weights);
    write("plan.json", R"({
      "format": "fuse-bundle", "version": 1, "chip": "sm_80",
      "ptx": "model.ptx", "weights": "weights.bin",
      "arena_bytes": 0, "alignment": 256,
      "buffers": [
        {"id": 0, "kind": "input", "name": "x", "dtype": "f32",
         "shape": [256], "bytes": 1024},
        {"id": 1, "kind": "weight", "dtype": "f32", "shape": [256],
         "bytes": 1024, "weights_offset": 0},
        {"id": 2, "kind": "output", "name": "y", "dtype": "f32",
         "shape": [256], "bytes": 1024}],
      "inputs": [{"name": "x", "buffer": 0}],
      "outputs": [{"name": "y", "buffer": 2}],
      "steps": [
        {"op": "launch", "kernel": "add_f32", "grid": [2, 1, 1],
         "block": [128, 1, 1],
         "params": [{"type": "ptr", "buffer": 0}, {"type": "ptr", "buffer": 1},
                    {"type": "ptr", "buffer": 2}, {"type": "i64", "value": 256}]},
        {"op": "launch", "kernel": "axpy_f32", "grid": [1, 1, 1],
         "block": [128, 1, 1],
         "params": [{"type": "ptr", "buffer": 0, "byte_offset": 512},
                    {"type": "ptr", "buffer": 2, "byte_offset": 512},
                    {"type": "f32", "value": 3.0}, {"type": "i32", "value": 128}]}]
    })");
    llvm::Expected<Bundle> loaded = loadBundle(dir);
    ASSERT_TRUE(!!loaded) << llvm::toString(loaded.takeError());
    bundle = std::move(*loaded);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  void write(llvm::StringRef name, llvm::StringRef text) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << text;
  }

  static std::vector<char> input(float scale) {
    std::vector<char> bytes(kN * 4);
    for (int i = 0; i < kN; ++i) {
      float x = scale * (i % 7) - 1.0f;
      std::memcpy(&bytes[4 * i], &x, 4);
    }
    return bytes;
  }
  /// Checks y against the reference for the input of `scale`.
  static void expectOutput(const std::vector<char> &y, float scale) {
    ASSERT_EQ(y.size(), size_t(kN * 4));
    for (int i = 0; i < kN; ++i) {
      float x = scale * (i % 7) - 1.0f, got;
      std::memcpy(&got, &y[4 * i], 4);
      float want = x + 0.5f * i;
      if (i >= kN / 2)
        want = std::fma(3.0f, x, want);
      ASSERT_EQ(got, want) << "y[" << i << "] with scale " << scale;
    }
  }

  std::string dir;
  Bundle bundle;
};

TEST_F(CudaRuntimeTest, ProbeSeesTheMockDevice) {
  llvm::Expected<std::string> probed = probeCudaDevice();
  ASSERT_TRUE(!!probed) << llvm::toString(probed.takeError());
  EXPECT_EQ(*probed, "Mock GPU (sm_80)");
  llvm::Expected<std::string> second = probeCudaDevice(1);
  ASSERT_FALSE(!!second);
  EXPECT_EQ(llvm::toString(second.takeError()),
            "no CUDA device: device 1 does not exist (the driver reports 1)");
}

TEST_F(CudaRuntimeTest, RunManyTimesWithNewInputs) {
  auto runner = CudaBundleRunner::create(bundle);
  ASSERT_TRUE(!!runner) << llvm::toString(runner.takeError());
  for (float scale : {1.0f, 0.25f, -2.0f}) {
    std::vector<char> x = input(scale);
    ASSERT_FALSE(!!(*runner)->setInputs({llvm::ArrayRef<char>(x)}));
    ASSERT_FALSE(!!(*runner)->run());
    auto outputs = (*runner)->getOutputs();
    ASSERT_TRUE(!!outputs) << llvm::toString(outputs.takeError());
    ASSERT_EQ(outputs->size(), 1u);
    expectOutput((*outputs)[0], scale);
  }
}

TEST_F(CudaRuntimeTest, TwoRunnersKeepTheirOwnBuffers) {
  auto a = CudaBundleRunner::create(bundle);
  auto b = CudaBundleRunner::create(bundle);
  ASSERT_TRUE(!!a && !!b);
  std::vector<char> xa = input(1.0f), xb = input(3.0f);
  ASSERT_FALSE(!!(*a)->setInputs({llvm::ArrayRef<char>(xa)}));
  ASSERT_FALSE(!!(*b)->setInputs({llvm::ArrayRef<char>(xb)}));
  ASSERT_FALSE(!!(*b)->run());
  ASSERT_FALSE(!!(*a)->run());
  auto ya = (*a)->getOutputs(), yb = (*b)->getOutputs();
  ASSERT_TRUE(!!ya && !!yb);
  expectOutput((*ya)[0], 1.0f);
  expectOutput((*yb)[0], 3.0f);
}

TEST_F(CudaRuntimeTest, TimingGivesEveryStepAndLeavesOutputsRight) {
  auto runner = CudaBundleRunner::create(bundle);
  ASSERT_TRUE(!!runner);
  std::vector<char> x = input(0.5f);
  ASSERT_FALSE(!!(*runner)->setInputs({llvm::ArrayRef<char>(x)}));
  llvm::Expected<BundleTiming> timing = (*runner)->time(4);
  ASSERT_TRUE(!!timing) << llvm::toString(timing.takeError());
  EXPECT_EQ(timing->runs, 4u);
  ASSERT_EQ(timing->steps.size(), 2u);
  EXPECT_EQ(timing->steps[0].label, "add_f32");
  EXPECT_EQ(timing->steps[1].label, "axpy_f32");
  EXPECT_EQ(timing->steps[1].index, 1u);
  double sum = 0;
  for (const BundleTiming::Step &step : timing->steps) {
    EXPECT_GE(step.medianMs, 0.0);
    sum += step.medianMs;
  }
  EXPECT_GE(timing->totalMedianMs, 0.0);
  EXPECT_LT(sum, 1000.0);
  auto outputs = (*runner)->getOutputs();
  ASSERT_TRUE(!!outputs);
  expectOutput((*outputs)[0], 0.5f);
}

TEST_F(CudaRuntimeTest, SetInputsChecksCountAndSize) {
  auto runner = CudaBundleRunner::create(bundle);
  ASSERT_TRUE(!!runner);
  EXPECT_EQ(llvm::toString((*runner)->setInputs({})),
            bundle.planPath + ": 0 inputs given, the bundle has 1");
  std::vector<char> shortInput(100);
  EXPECT_EQ(
      llvm::toString((*runner)->setInputs({llvm::ArrayRef<char>(shortInput)})),
      bundle.planPath + ": input 'x' has 100 bytes, expected 1024");
}

/// A bundle whose kernel takes a tensor map: tma_probe (the mock) copies
/// the map it is passed and the element it addresses into y.
class CudaTensorMapTest : public CudaRuntimeTest {
protected:
  // The mock device is an sm_90 (the bundle is for sm_90a).
  void SetUp() override {
    CudaRuntimeTest::SetUp();
    setenv("FUSE_MOCK_CUDA_SM", "90", 1);
  }
  void TearDown() override {
    unsetenv("FUSE_MOCK_CUDA_SM");
    CudaRuntimeTest::TearDown();
  }
  /// Writes the TMA bundle with `byteOffset` as the map's base offset into
  /// x (62 rows of 32 f16 inside its 64, 128B swizzle, box box0 x 16).
  void writeTmaBundle(int64_t byteOffset, int64_t box0 = 64) {
    write("model.ptx", ".version 8.0\n.target sm_90a\n"
                       ".address_size 64\n.visible .entry tma_probe(\n"
                       "  .param .u64 map, .param .u64 out) { ret; }\n");
    write("plan.json", R"({
      "format": "fuse-bundle", "version": 1, "chip": "sm_90a",
      "ptx": "model.ptx", "weights": "weights.bin",
      "arena_bytes": 0, "alignment": 256,
      "buffers": [
        {"id": 0, "kind": "input", "name": "x", "dtype": "f16",
         "shape": [64, 32], "bytes": 4096},
        {"id": 1, "kind": "output", "name": "y", "dtype": "u8",
         "shape": [132], "bytes": 132}],
      "inputs": [{"name": "x", "buffer": 0}],
      "outputs": [{"name": "y", "buffer": 1}],
      "tensor_maps": [
        {"id": 0, "buffer": 0, "byte_offset": )" +
                           std::to_string(byteOffset) + R"(, "dtype": "f16",
         "rank": 2, "dims": [32, 62], "strides": [64], "box": [)" +
                           std::to_string(box0) + R"(, 16],
         "element_strides": [1, 1], "interleave": "none",
         "swizzle": "128b", "l2promotion": "128b", "oob_fill": "zero"}],
      "steps": [
        {"op": "launch", "kernel": "tma_probe", "grid": [1, 1, 1],
         "block": [128, 1, 1],
         "params": [{"type": "tensor_map", "tensor_map": 0},
                    {"type": "ptr", "buffer": 1}]}]
    })");
  }
};

/// The mock's record of cuTensorMapEncodeTiled's arguments.
struct MockTensorMapView {
  uint32_t magic;
  uint8_t dtype, rank, interleave, swizzle, l2, oob, pad[2];
  uint64_t address;
  uint32_t dims[5];
  uint64_t strides[4];
  uint32_t box[5];
  uint8_t elementStrides[5];
};

TEST_F(CudaTensorMapTest, EncodesOnceAndPassesTheMapsDeviceAddress) {
  writeTmaBundle(/*byteOffset=*/64, /*box0=*/32);
  llvm::Expected<Bundle> loaded = loadBundle(dir);
  ASSERT_TRUE(!!loaded) << llvm::toString(loaded.takeError());
  ASSERT_EQ(loaded->tensorMaps.size(), 1u);
  auto runner = CudaBundleRunner::create(*loaded);
  ASSERT_TRUE(!!runner) << llvm::toString(runner.takeError());
  std::vector<char> x(4096);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<char>(i * 7 + 1);
  ASSERT_FALSE(!!(*runner)->setInputs({llvm::ArrayRef<char>(x)}));
  for (int run = 0; run < 2; ++run) {
    ASSERT_FALSE(!!(*runner)->run());
    auto outputs = (*runner)->getOutputs();
    ASSERT_TRUE(!!outputs) << llvm::toString(outputs.takeError());
    const std::vector<char> &y = (*outputs)[0];
    ASSERT_EQ(y.size(), 132u);
    MockTensorMapView m;
    std::memcpy(&m, y.data(), sizeof(m));
    EXPECT_EQ(m.magic, 0x50414d54u);
    EXPECT_EQ(m.dtype, 6); // CU_TENSOR_MAP_DATA_TYPE_FLOAT16
    EXPECT_EQ(m.rank, 2);
    EXPECT_EQ(m.dims[0], 32u);
    EXPECT_EQ(m.dims[1], 62u);
    EXPECT_EQ(m.strides[0], 64u);
    EXPECT_EQ(m.box[0], 32u);
    EXPECT_EQ(m.box[1], 16u);
    EXPECT_EQ(m.elementStrides[0], 1);
    EXPECT_EQ(m.elementStrides[1], 1);
    EXPECT_EQ(m.interleave, 0); // CU_TENSOR_MAP_INTERLEAVE_NONE
    EXPECT_EQ(m.swizzle, 3);    // CU_TENSOR_MAP_SWIZZLE_128B
    EXPECT_EQ(m.l2, 2);         // CU_TENSOR_MAP_L2_PROMOTION_L2_128B
    EXPECT_EQ(m.oob, 0);        // CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE
    // The global address is x's device address + byte_offset: the element
    // the map addresses is x's bytes 64 and 65.
    EXPECT_EQ(y[128], x[64]);
    EXPECT_EQ(y[129], x[65]);
  }
}

TEST_F(CudaTensorMapTest, EncodeFailureNamesTheMap) {
  // A base that is not 16-byte aligned: the driver rejects the encoding.
  writeTmaBundle(/*byteOffset=*/8, /*box0=*/32);
  llvm::Expected<Bundle> loaded = loadBundle(dir);
  ASSERT_TRUE(!!loaded) << llvm::toString(loaded.takeError());
  auto runner = CudaBundleRunner::create(*loaded);
  ASSERT_FALSE(!!runner);
  std::string error = llvm::toString(runner.takeError());
  EXPECT_NE(error.find("plan.json: tensor_maps[0]: cuTensorMapEncodeTiled "
                       "(buffer 0 at byte offset 8): CUDA_ERROR_INVALID_VALUE"),
            std::string::npos)
      << error;
}

TEST_F(CudaTensorMapTest, ReaderChecksTheSwizzleSpan) {
  // 64 f16 of the innermost dim are 128 bytes: fine; 128 would not be.
  writeTmaBundle(/*byteOffset=*/0, /*box0=*/128);
  llvm::Expected<Bundle> loaded = loadBundle(dir);
  ASSERT_FALSE(!!loaded);
  std::string error = llvm::toString(loaded.takeError());
  EXPECT_NE(error.find("tensor_maps[0].box: 128 elements of the innermost "
                       "dim are more than the 128b swizzle span"),
            std::string::npos)
      << error;
}

} // namespace
