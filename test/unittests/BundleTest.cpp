//===- BundleTest.cpp - plan.json validation and the liveness checker -----===//

#include "Fuse/Runtime/Bundle.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <functional>

#include "gtest/gtest.h"

using namespace mlir::fuse;
namespace json = llvm::json;

namespace {

const char *kPtx = R"(.version 7.0
.target sm_80
.address_size 64
.visible .entry group_0(.param .u64 p0, .param .u64 p1, .param .u64 p2)
{ ret; }
.visible .entry group_1 (.param .u64 p0)
{ ret; }
)";

/// A bundle directory with model.ptx and a 2048-byte weights.bin.
class BundleTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> path;
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("fuse-bundle-test", path));
    dir = std::string(path);
    write("model.ptx", kPtx);
    write("weights.bin", std::string(2048, '\0'));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  void write(llvm::StringRef name, llvm::StringRef text) {
    std::error_code ec;
    llvm::raw_fd_ostream os(file(name), ec);
    ASSERT_FALSE(ec);
    os << text;
  }
  std::string file(llvm::StringRef name) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    return std::string(path);
  }

  /// A valid plan: x -> group_0(x, w, t) -> copy t to y, memset of u.
  static json::Object goodPlan() {
    return json::Object{
        {"format", "fuse-bundle"},
        {"version", 1},
        {"target", "h100"},
        {"chip", "sm_90"},
        {"ptx", "model.ptx"},
        {"weights", "weights.bin"},
        {"arena_bytes", 1024},
        {"alignment", 256},
        {"buffers",
         json::Array{
             json::Object{{"id", 0},
                          {"kind", "input"},
                          {"name", "x"},
                          {"dtype", "f32"},
                          {"shape", json::Array{2, 3}},
                          {"bytes", 24}},
             json::Object{{"id", 1},
                          {"kind", "weight"},
                          {"dtype", "f16"},
                          {"shape", json::Array{4}},
                          {"bytes", 8},
                          {"weights_offset", 256}},
             json::Object{{"id", 2},
                          {"kind", "arena"},
                          {"dtype", "f32"},
                          {"shape", json::Array{2, 3}},
                          {"bytes", 24},
                          {"offset", 0},
                          {"live", json::Array{0, 1}}},
             json::Object{{"id", 3},
                          {"kind", "arena"},
                          {"dtype", "i1"},
                          {"shape", json::Array{16}},
                          {"bytes", 16},
                          {"offset", 0},
                          {"live", json::Array{2, 2}}},
             json::Object{{"id", 7},
                          {"kind", "output"},
                          {"name", "y"},
                          {"dtype", "f32"},
                          {"shape", json::Array{2, 3}},
                          {"bytes", 24}},
         }},
        {"inputs", json::Array{json::Object{{"name", "x"}, {"buffer", 0}}}},
        {"outputs", json::Array{json::Object{{"name", "y"}, {"buffer", 7}}}},
        {"steps",
         json::Array{
             json::Object{
                 {"op", "launch"},
                 {"kernel", "group_0"},
                 {"grid", json::Array{2, 1, 1}},
                 {"block", json::Array{128, 1, 1}},
                 {"shared_bytes", 0},
                 {"params",
                  json::Array{json::Object{{"type", "ptr"},
                                           {"buffer", 0},
                                           {"byte_offset", 0}},
                              json::Object{{"type", "ptr"},
                                           {"buffer", 1},
                                           {"byte_offset", 4}},
                              json::Object{{"type", "ptr"}, {"buffer", 2}},
                              json::Object{{"type", "i64"}, {"value", -1}},
                              json::Object{{"type", "i32"}, {"value", 7}},
                              json::Object{{"type", "f32"}, {"value", 0.5}},
                              json::Object{{"type", "f64"}, {"value", 2}}}}},
             json::Object{
                 {"op", "copy"},
                 {"src", json::Object{{"buffer", 2}, {"byte_offset", 0}}},
                 {"dst", json::Object{{"buffer", 7}, {"byte_offset", 0}}},
                 {"bytes", 24}},
             json::Object{
                 {"op", "memset"},
                 {"dst", json::Object{{"buffer", 3}, {"byte_offset", 8}}},
                 {"bytes", 8},
                 {"value", 255}},
         }},
    };
  }

  llvm::Expected<Bundle> parse(const json::Object &plan) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << json::Value(json::Object(plan));
    return parseBundlePlan(text, file("plan.json"), dir);
  }

  /// The error of the good plan after `mutate` ("" if it loads).
  std::string errorOf(const std::function<void(json::Object &)> &mutate) {
    json::Object plan = goodPlan();
    mutate(plan);
    llvm::Expected<Bundle> bundle = parse(plan);
    if (bundle)
      return "";
    return llvm::toString(bundle.takeError());
  }

  static json::Object &buffer(json::Object &plan, size_t i) {
    return *(*plan.getArray("buffers"))[i].getAsObject();
  }
  static json::Object &step(json::Object &plan, size_t i) {
    return *(*plan.getArray("steps"))[i].getAsObject();
  }
  static json::Object &param(json::Object &plan, size_t i) {
    return *(*step(plan, 0).getArray("params"))[i].getAsObject();
  }
  /// The message expected for `field`: "<dir>/plan.json: <field>: <what>".
  std::string expect(llvm::StringRef rest) {
    return file("plan.json") + ": " + rest.str();
  }

  std::string dir;
};

TEST_F(BundleTest, GoodPlan) {
  llvm::Expected<Bundle> bundle = parse(goodPlan());
  ASSERT_TRUE(!!bundle) << llvm::toString(bundle.takeError());
  EXPECT_EQ(bundle->chip, "sm_90");
  EXPECT_EQ(bundle->arenaBytes, 1024);
  EXPECT_EQ(bundle->weightsFileBytes, 2048u);
  ASSERT_EQ(bundle->buffers.size(), 5u);
  const BundleBuffer *w = bundle->lookup(1);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->kind, BundleBufferKind::Weight);
  EXPECT_EQ(w->weightsOffset, 256);
  const BundleBuffer *t = bundle->lookup(2);
  EXPECT_EQ(t->liveFirst, 0);
  EXPECT_EQ(t->liveLast, 1);
  EXPECT_EQ(bundle->lookup(5), nullptr);
  ASSERT_EQ(bundle->inputs.size(), 1u);
  EXPECT_EQ(bundle->inputs[0].name, "x");
  EXPECT_EQ(bundle->outputs[0].buffer, 7);
  ASSERT_EQ(bundle->steps.size(), 3u);
  const BundleStep &launch = bundle->steps[0];
  EXPECT_EQ(launch.op, BundleStep::Op::Launch);
  EXPECT_EQ(launch.kernel, "group_0");
  EXPECT_EQ(launch.grid[0], 2u);
  EXPECT_EQ(launch.block[0], 128u);
  ASSERT_EQ(launch.params.size(), 7u);
  EXPECT_EQ(launch.params[1].type, BundleParam::Type::Ptr);
  EXPECT_EQ(launch.params[1].ref.buffer, 1);
  EXPECT_EQ(launch.params[1].ref.byteOffset, 4);
  EXPECT_EQ(launch.params[2].ref.byteOffset, 0);
  EXPECT_EQ(launch.params[3].type, BundleParam::Type::I64);
  EXPECT_EQ(launch.params[3].intValue, -1);
  EXPECT_EQ(launch.params[4].type, BundleParam::Type::I32);
  EXPECT_EQ(launch.params[5].type, BundleParam::Type::F32);
  EXPECT_DOUBLE_EQ(launch.params[5].floatValue, 0.5);
  EXPECT_EQ(launch.params[6].type, BundleParam::Type::F64);
  EXPECT_DOUBLE_EQ(launch.params[6].floatValue, 2.0);
  EXPECT_EQ(bundle->steps[1].op, BundleStep::Op::Copy);
  EXPECT_EQ(bundle->steps[2].op, BundleStep::Op::Memset);
  EXPECT_EQ(bundle->steps[2].value, 255);
  EXPECT_EQ(bundle->steps[2].dst.byteOffset, 8);
  EXPECT_FALSE(!!checkArenaLiveness(*bundle));
}

TEST_F(BundleTest, LoadBundleReadsPlanJson) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << json::Value(goodPlan());
  write("plan.json", text);
  llvm::Expected<Bundle> bundle = loadBundle(dir);
  ASSERT_TRUE(!!bundle) << llvm::toString(bundle.takeError());
  EXPECT_EQ(bundle->planPath, file("plan.json"));
  EXPECT_EQ(bundle->ptxPath, file("model.ptx"));
}

TEST_F(BundleTest, MissingFiles) {
  llvm::Expected<Bundle> none = loadBundle(file("nothing"));
  ASSERT_FALSE(!!none);
  EXPECT_EQ(llvm::toString(none.takeError()),
            file("nothing") + ": not a bundle directory (expected the output "
                              "of fuse-compile --emit=ptx)");
  llvm::Expected<Bundle> noPlan = loadBundle(dir);
  ASSERT_FALSE(!!noPlan);
  EXPECT_EQ(llvm::toString(noPlan.takeError())
                .rfind(file("plan.json") + ": cannot read: ", 0),
            0u);

  llvm::sys::fs::remove(file("weights.bin"));
  EXPECT_EQ(errorOf([](json::Object &) {})
                .rfind(file("weights.bin") + ": cannot read (named by " +
                           file("plan.json") + " field weights): ",
                       0),
            0u);
  llvm::sys::fs::remove(file("model.ptx"));
  EXPECT_EQ(errorOf([](json::Object &) {})
                .rfind(file("model.ptx") + ": cannot read (named by " +
                           file("plan.json") + " field ptx): ",
                       0),
            0u);
  write("model.ptx", "  \n");
  EXPECT_EQ(errorOf([](json::Object &) {}),
            file("model.ptx") + ": empty PTX file (named by " +
                file("plan.json") + " field ptx)");
}

TEST_F(BundleTest, MalformedJson) {
  for (llvm::StringRef text : {"", "{", "[1, 2]", "{\"format\": }", "nul"}) {
    llvm::Expected<Bundle> bundle =
        parseBundlePlan(text, file("plan.json"), dir);
    ASSERT_FALSE(!!bundle) << text.str();
    std::string message = llvm::toString(bundle.takeError());
    EXPECT_EQ(message.rfind(file("plan.json") + ": ", 0), 0u) << message;
  }
  llvm::Expected<Bundle> array = parseBundlePlan("[1]", file("plan.json"), dir);
  EXPECT_EQ(llvm::toString(array.takeError()),
            expect("expected a JSON object at the top level"));
}

TEST_F(BundleTest, TopLevelFields) {
  EXPECT_EQ(errorOf([](json::Object &p) { p["format"] = "onnx"; }),
            expect("format: 'onnx', expected 'fuse-bundle'"));
  EXPECT_EQ(errorOf([](json::Object &p) { p.erase("format"); }),
            expect("format: missing"));
  EXPECT_EQ(errorOf([](json::Object &p) { p["version"] = 2; }),
            expect("version: 2 is not supported (this runtime reads version "
                   "1)"));
  EXPECT_EQ(errorOf([](json::Object &p) { p["version"] = "1"; }),
            expect("version: expected an integer"));
  EXPECT_EQ(errorOf([](json::Object &p) { p["alignment"] = 100; }),
            expect("alignment: 100 is not a power of two"));
  EXPECT_EQ(errorOf([](json::Object &p) { p["arena_bytes"] = -4; }),
            expect("arena_bytes: -4 is out of range [0, "
                   "9223372036854775807]"));
  EXPECT_EQ(errorOf([](json::Object &p) { p["buffers"] = 3; }),
            expect("buffers: expected an array"));
  EXPECT_EQ(errorOf([](json::Object &p) { p.erase("steps"); }),
            expect("steps: missing"));
  EXPECT_EQ(errorOf([](json::Object &p) { p["chip"] = 90; }),
            expect("chip: expected a string"));
  // weights_bytes, when given, is weights.bin's size.
  EXPECT_EQ(errorOf([](json::Object &p) { p["weights_bytes"] = 2048; }), "");
  EXPECT_EQ(errorOf([](json::Object &p) { p["weights_bytes"] = 2304; }),
            expect("weights_bytes: 2304 but " + file("weights.bin") +
                   " holds 2048 bytes"));
}

TEST_F(BundleTest, Buffers) {
  EXPECT_EQ(
      errorOf([](json::Object &p) { buffer(p, 0)["dtype"] = "f8"; }),
      expect("buffers[0] (id 0).dtype: unknown dtype 'f8' (expected "
             "f32, f16, bf16, f64, i64, i32, i16, i8, u64, u32, u16, u8 or "
             "i1)"));
  EXPECT_EQ(errorOf([](json::Object &p) { buffer(p, 0)["bytes"] = 20; }),
            expect("buffers[0] (id 0).bytes: 20 but shape [2,3] of f32 "
                   "needs 24"));
  EXPECT_EQ(errorOf([](json::Object &p) {
              buffer(p, 0)["shape"] = json::Array{2, -3};
            }),
            expect("buffers[0] (id 0).shape[1]: -3 is out of range [0, "
                   "9223372036854775807]"));
  EXPECT_EQ(
      errorOf([](json::Object &p) {
        buffer(p, 0)["shape"] = json::Array{int64_t(1) << 40, int64_t(1) << 40};
      }),
      expect("buffers[0] (id 0).shape: too many elements"));
  EXPECT_EQ(errorOf([](json::Object &p) { buffer(p, 1)["kind"] = "const"; }),
            expect("buffers[1] (id 1).kind: unknown kind 'const' (expected "
                   "input, weight, arena or output)"));
  EXPECT_EQ(errorOf([](json::Object &p) { buffer(p, 4)["id"] = 1; }),
            expect("buffers[4].id: duplicate buffer id 1"));
  EXPECT_EQ(errorOf([](json::Object &p) { buffer(p, 0).erase("name"); }),
            expect("buffers[0] (id 0).name: missing"));
  EXPECT_EQ(errorOf([](json::Object &p) { buffer(p, 0)["x"] = "y"; }), "")
      << "unknown fields are ignored";
  // i1 is one byte per element.
  EXPECT_EQ(errorOf([](json::Object &p) { buffer(p, 3)["bytes"] = 2; }),
            expect("buffers[3] (id 3).bytes: 2 but shape [16] of i1 needs "
                   "16"));
}

TEST_F(BundleTest, WeightsAndArenaPlacement) {
  EXPECT_EQ(
      errorOf([](json::Object &p) { buffer(p, 1)["weights_offset"] = 2048; }),
      expect("buffers[1] (id 1).weights_offset: bytes [2048, 2056) are "
             "outside " +
             file("weights.bin") + " (2048 bytes)"));
  EXPECT_EQ(
      errorOf([](json::Object &p) { buffer(p, 1)["weights_offset"] = 100; }),
      expect("buffers[1] (id 1).weights_offset: 100 is not a multiple of "
             "the alignment 256"));
  EXPECT_EQ(
      errorOf([](json::Object &p) { buffer(p, 1).erase("weights_offset"); }),
      expect("buffers[1] (id 1).weights_offset: missing"));
  EXPECT_EQ(errorOf([](json::Object &p) { buffer(p, 2)["offset"] = 1024; }),
            expect("buffers[2] (id 2).offset: bytes [1024, 1048) are outside "
                   "the arena (arena_bytes 1024)"));
  EXPECT_EQ(errorOf([](json::Object &p) { buffer(p, 2)["offset"] = 64; }),
            expect("buffers[2] (id 2).offset: 64 is not a multiple of the "
                   "alignment 256"));
  // The last byte of the arena is still inside.
  EXPECT_EQ(errorOf([](json::Object &p) {
              p["arena_bytes"] = 24;
              buffer(p, 3)["offset"] = 0;
            }),
            "");
  EXPECT_EQ(
      errorOf([](json::Object &p) { buffer(p, 2)["live"] = json::Array{0}; }),
      expect("buffers[2] (id 2).live: expected [first step, last "
             "step]"));
  EXPECT_EQ(errorOf([](json::Object &p) {
              buffer(p, 2)["live"] = json::Array{1, 0};
            }),
            expect("buffers[2] (id 2).live[1]: 0 is out of range [1, 2]"));
  EXPECT_EQ(errorOf([](json::Object &p) {
              buffer(p, 2)["live"] = json::Array{0, 3};
            }),
            expect("buffers[2] (id 2).live[1]: 3 is out of range [0, 2]"));
}

TEST_F(BundleTest, InputsAndOutputs) {
  EXPECT_EQ(
      errorOf([](json::Object &p) {
        p["inputs"] = json::Array{json::Object{{"name", "x"}, {"buffer", 9}}};
      }),
      expect("inputs[0].buffer: no buffer with id 9"));
  EXPECT_EQ(
      errorOf([](json::Object &p) {
        p["outputs"] = json::Array{json::Object{{"name", "y"}, {"buffer", 0}}};
      }),
      expect("outputs[0].buffer: buffer 0 is of kind input, expected "
             "output"));
  EXPECT_EQ(
      errorOf([](json::Object &p) {
        p["inputs"] = json::Array{json::Object{{"name", "z"}, {"buffer", 0}}};
      }),
      expect("inputs[0].name: 'z' but buffer 0 is named 'x'"));
  EXPECT_EQ(errorOf([](json::Object &p) { p["outputs"] = json::Array{}; }),
            expect("outputs: output buffer 7 ('y') is not listed"));
}

TEST_F(BundleTest, Steps) {
  EXPECT_EQ(errorOf([](json::Object &p) { step(p, 0)["op"] = "call"; }),
            expect("steps[0].op: unknown op 'call' (expected launch, copy or "
                   "memset)"));
  EXPECT_EQ(errorOf([](json::Object &p) { step(p, 0)["kernel"] = "group_2"; }),
            expect("steps[0].kernel: kernel 'group_2' is not an .entry of " +
                   file("model.ptx")));
  // group_1 is declared with a space before its parameter list.
  EXPECT_EQ(errorOf([](json::Object &p) { step(p, 0)["kernel"] = "group_1"; }),
            "");
  EXPECT_EQ(errorOf([](json::Object &p) {
              step(p, 0)["grid"] = json::Array{2, 1};
            }),
            expect("steps[0].grid: expected 3 dimensions"));
  EXPECT_EQ(errorOf([](json::Object &p) {
              step(p, 0)["block"] = json::Array{0, 1, 1};
            }),
            expect("steps[0].block[0]: 0 is out of range [1, 4294967295]"));
  EXPECT_EQ(errorOf([](json::Object &p) { step(p, 0)["shared_bytes"] = -1; }),
            expect("steps[0].shared_bytes: -1 is out of range [0, "
                   "4294967295]"));
  EXPECT_EQ(errorOf([](json::Object &p) { step(p, 1)["bytes"] = 28; }),
            expect("steps[1].src: bytes [0, 28) are outside buffer 2 (24 "
                   "bytes)"));
  EXPECT_EQ(
      errorOf([](json::Object &p) {
        step(p, 1)["dst"] = json::Object{{"buffer", 7}, {"byte_offset", 4}};
      }),
      expect("steps[1].dst: bytes [4, 28) are outside buffer 7 (24 "
             "bytes)"));
  EXPECT_EQ(errorOf([](json::Object &p) {
              step(p, 1)["dst"] = json::Object{{"buffer", 1}};
              step(p, 1)["bytes"] = 8;
            }),
            expect("steps[1].dst: writes weight buffer 1"));
  EXPECT_EQ(errorOf([](json::Object &p) { step(p, 1).erase("src"); }),
            expect("steps[1].src: missing"));
  EXPECT_EQ(errorOf([](json::Object &p) { step(p, 2)["value"] = 256; }),
            expect("steps[2].value: 256 is out of range [0, 255]"));
  EXPECT_EQ(
      errorOf([](json::Object &p) {
        step(p, 2)["dst"] = json::Object{{"buffer", 3}, {"byte_offset", 9}};
      }),
      expect("steps[2].dst: bytes [9, 17) are outside buffer 3 (16 "
             "bytes)"));
  EXPECT_EQ(errorOf([](json::Object &p) { step(p, 2)["dst"] = 3; }),
            expect("steps[2].dst: expected an object"));
}

TEST_F(BundleTest, TensorMaps) {
  // A tensor map over buffer 0 (6 f32), passed as parameter 3.
  auto withMap = [](json::Object &p) {
    p["tensor_maps"] =
        json::Array{json::Object{{"id", 0},
                                 {"buffer", 0},
                                 {"byte_offset", 0},
                                 {"dtype", "f32"},
                                 {"rank", 1},
                                 {"dims", json::Array{6}},
                                 {"strides", json::Array{}},
                                 {"box", json::Array{4}},
                                 {"element_strides", json::Array{1}},
                                 {"interleave", "none"},
                                 {"swizzle", "none"},
                                 {"l2promotion", "128b"},
                                 {"oob_fill", "zero"}}};
    param(p, 3) = json::Object{{"type", "tensor_map"}, {"tensor_map", 0}};
  };
  auto map = [](json::Object &p) -> json::Object & {
    return *(*p.getArray("tensor_maps"))[0].getAsObject();
  };
  EXPECT_EQ(errorOf(withMap), "");
  EXPECT_EQ(errorOf([&](json::Object &p) {
              withMap(p);
              param(p, 3)["tensor_map"] = 1;
            }),
            expect("steps[0].params[3].tensor_map: 1 is out of range [0, 0]"));
  EXPECT_EQ(errorOf([&](json::Object &p) {
              withMap(p);
              map(p)["dtype"] = "i1";
            }),
            expect("tensor_maps[0].dtype: 'i1' (tensor maps take f16, bf16 "
                   "or f32)"));
  EXPECT_EQ(errorOf([&](json::Object &p) {
              withMap(p);
              map(p)["box"] = json::Array{300};
            }),
            expect("tensor_maps[0].box[0]: 300 is out of range [1, 256]"));
  EXPECT_EQ(errorOf([&](json::Object &p) {
              withMap(p);
              map(p)["dims"] = json::Array{7};
            }),
            expect("tensor_maps[0]: bytes [0, 28) are outside buffer 0 (24 "
                   "bytes)"));
  EXPECT_EQ(errorOf([&](json::Object &p) {
              withMap(p);
              map(p)["swizzle"] = "256b";
            }),
            expect("tensor_maps[0].swizzle: unknown value '256b'"));
}

TEST_F(BundleTest, Params) {
  EXPECT_EQ(errorOf([](json::Object &p) { param(p, 0)["buffer"] = 5; }),
            expect("steps[0].params[0].buffer: no buffer with id 5"));
  EXPECT_EQ(errorOf([](json::Object &p) { param(p, 1)["byte_offset"] = 9; }),
            expect("steps[0].params[1]: bytes [9, 9) are outside buffer 1 (8 "
                   "bytes)"));
  // A pointer to the end of a buffer is allowed.
  EXPECT_EQ(errorOf([](json::Object &p) { param(p, 1)["byte_offset"] = 8; }),
            "");
  EXPECT_EQ(errorOf([](json::Object &p) { param(p, 3)["type"] = "index"; }),
            expect("steps[0].params[3].type: unknown parameter type 'index' "
                   "(expected ptr, i64, i32, f32, f64 or tensor_map)"));
  EXPECT_EQ(errorOf([](json::Object &p) { param(p, 3)["value"] = 1.5; }),
            expect("steps[0].params[3].value: expected an integer"));
  EXPECT_EQ(
      errorOf([](json::Object &p) { param(p, 4)["value"] = int64_t(1) << 31; }),
      expect("steps[0].params[4].value: 2147483648 is out of range "
             "[-2147483648, 2147483647]"));
  EXPECT_EQ(errorOf([](json::Object &p) { param(p, 5)["value"] = "half"; }),
            expect("steps[0].params[5].value: expected a number"));
  EXPECT_EQ(errorOf([](json::Object &p) { param(p, 6).erase("value"); }),
            expect("steps[0].params[6].value: missing"));
}

TEST_F(BundleTest, Liveness) {
  // Buffers 2 (live [0, 1]) and 3 (live [2, 2]) share bytes [0, 16) but are
  // never live together: accepted.
  {
    llvm::Expected<Bundle> bundle = parse(goodPlan());
    ASSERT_TRUE(!!bundle);
    EXPECT_FALSE(!!checkArenaLiveness(*bundle));
  }
  // Live ranges touching at step 1: rejected.
  {
    json::Object plan = goodPlan();
    buffer(plan, 3)["live"] = json::Array{1, 2};
    llvm::Expected<Bundle> bundle = parse(plan);
    ASSERT_TRUE(!!bundle);
    EXPECT_EQ(llvm::toString(checkArenaLiveness(*bundle)),
              file("plan.json") +
                  ": arena buffers 2 (bytes [0, 24), live [0, 1]) and 3 "
                  "(bytes [0, 16), live [1, 2]) share bytes while both are "
                  "live");
  }
  // Overlapping live ranges in disjoint bytes: accepted.
  {
    json::Object plan = goodPlan();
    buffer(plan, 3)["live"] = json::Array{0, 2};
    buffer(plan, 3)["offset"] = 256;
    llvm::Expected<Bundle> bundle = parse(plan);
    ASSERT_TRUE(!!bundle);
    EXPECT_FALSE(!!checkArenaLiveness(*bundle));
  }
  // Byte ranges that overlap only partly (buffer 2 at 256 spans [256, 280),
  // buffer 3 at 256 too): rejected whatever their order in the list.
  {
    json::Object plan = goodPlan();
    buffer(plan, 2)["offset"] = 256;
    buffer(plan, 3)["offset"] = 256;
    buffer(plan, 3)["live"] = json::Array{0, 2};
    llvm::Expected<Bundle> bundle = parse(plan);
    ASSERT_TRUE(!!bundle);
    llvm::Error e = checkArenaLiveness(*bundle);
    ASSERT_TRUE(!!e);
    EXPECT_NE(llvm::toString(std::move(e)).find("share bytes"),
              std::string::npos);
  }
  // A step using an arena buffer outside its live range.
  {
    json::Object plan = goodPlan();
    buffer(plan, 2)["live"] = json::Array{0, 0};
    llvm::Expected<Bundle> bundle = parse(plan);
    ASSERT_TRUE(!!bundle);
    EXPECT_EQ(llvm::toString(checkArenaLiveness(*bundle)),
              file("plan.json") +
                  ": steps[1] uses arena buffer 2 outside its live range [0, "
                  "0]");
  }
}

TEST(BundleDtypes, SizesAndNpy) {
  EXPECT_EQ(bundleDtypeSize("f32"), 4);
  EXPECT_EQ(bundleDtypeSize("bf16"), 2);
  EXPECT_EQ(bundleDtypeSize("i1"), 1);
  EXPECT_EQ(bundleDtypeSize("f64"), 8);
  EXPECT_EQ(bundleDtypeSize("f8"), 0);
  EXPECT_EQ(bundleNpyDtype("bf16"), "<f4");
  EXPECT_EQ(bundleNpyDtype("u8"), "|u1");
  EXPECT_EQ(bundleNpyDtype("i1"), "|b1");
  EXPECT_EQ(bundleNpyDtype("x"), "");
  EXPECT_EQ(bundleDtypeSize("u16"), 2);
  EXPECT_EQ(bundleDtypeSize("i16"), 2);
  EXPECT_EQ(bundleDtypeSize("u32"), 4);
  EXPECT_EQ(bundleDtypeSize("u64"), 8);
  EXPECT_EQ(bundleNpyDtype("u16"), "<u2");
  EXPECT_EQ(bundleNpyDtype("i16"), "<i2");
  EXPECT_EQ(bundleNpyDtype("u64"), "<u8");
}

} // namespace
