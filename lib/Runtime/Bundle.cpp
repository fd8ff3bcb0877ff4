//===- Bundle.cpp - Load and validate GPU bundles -------------------------===//
//
// Reads plan.json with llvm::json and checks everything the runtime relies on
// before it touches a device: known format and version, known dtypes, bytes
// equal to product(shape) * element size, buffers referenced by id exist,
// arena buffers aligned and inside the arena, weights inside weights.bin,
// well-typed kernel parameters, every step's byte ranges inside its buffers,
// a non-empty PTX file holding every launched kernel.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Runtime/Bundle.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>

using namespace mlir;
using namespace mlir::fuse;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
namespace json = llvm::json;

const BundleBuffer *Bundle::lookup(int64_t id) const {
  auto it = bufferIndex.find(id);
  return it == bufferIndex.end() ? nullptr : &buffers[it->second];
}

int64_t mlir::fuse::bundleDtypeSize(StringRef dtype) {
  return llvm::StringSwitch<int64_t>(dtype)
      .Cases({"f64", "i64", "u64"}, 8)
      .Cases({"f32", "i32", "u32"}, 4)
      .Cases({"f16", "bf16", "i16", "u16"}, 2)
      .Cases({"i8", "u8", "i1"}, 1)
      .Default(0);
}

std::string mlir::fuse::bundleNpyDtype(StringRef dtype) {
  return llvm::StringSwitch<std::string>(dtype)
      .Cases({"f32", "bf16"}, "<f4")
      .Case("f16", "<f2")
      .Case("f64", "<f8")
      .Case("i64", "<i8")
      .Case("i32", "<i4")
      .Case("i16", "<i2")
      .Case("i8", "|i1")
      .Case("u64", "<u8")
      .Case("u32", "<u4")
      .Case("u16", "<u2")
      .Case("u8", "|u1")
      .Case("i1", "|b1")
      .Default("");
}

static std::string kindName(BundleBufferKind kind) {
  switch (kind) {
  case BundleBufferKind::Input:
    return "input";
  case BundleBufferKind::Weight:
    return "weight";
  case BundleBufferKind::Arena:
    return "arena";
  case BundleBufferKind::Output:
    return "output";
  }
  return "?";
}

static std::string shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "," : "") + std::to_string(d);
  return s + "]";
}

namespace {
/// Reads plan.json's fields; every error names the file and the field path.
class PlanReader {
public:
  explicit PlanReader(StringRef planPath) : planPath(planPath.str()) {}

  Error error(const std::string &field, const std::string &message) const {
    return llvm::createStringError(planPath + ": " + field + ": " + message);
  }

  Expected<const json::Value *> get(const json::Object &object,
                                    const std::string &path, StringRef key,
                                    bool required = true) const {
    const json::Value *value = object.get(key);
    if (!value && required)
      return error(join(path, key), "missing");
    return value;
  }

  Expected<const json::Object *> object(const json::Value &value,
                                        const std::string &field) const {
    const json::Object *o = value.getAsObject();
    if (!o)
      return error(field, "expected an object");
    return o;
  }

  Expected<const json::Array *> array(const json::Object &object,
                                      const std::string &path,
                                      StringRef key) const {
    auto value = get(object, path, key);
    if (!value)
      return value.takeError();
    const json::Array *a = (*value)->getAsArray();
    if (!a)
      return error(join(path, key), "expected an array");
    return a;
  }

  Expected<std::string> string(const json::Object &object,
                               const std::string &path, StringRef key) const {
    auto value = get(object, path, key);
    if (!value)
      return value.takeError();
    std::optional<StringRef> s = (*value)->getAsString();
    if (!s)
      return error(join(path, key), "expected a string");
    return s->str();
  }

  /// An integer in [lo, hi]; `fallback` when absent (required otherwise).
  Expected<int64_t>
  integer(const json::Object &object, const std::string &path, StringRef key,
          int64_t lo = 0, int64_t hi = std::numeric_limits<int64_t>::max(),
          std::optional<int64_t> fallback = std::nullopt) const {
    auto value = get(object, path, key, !fallback);
    if (!value)
      return value.takeError();
    if (!*value)
      return *fallback;
    return integerValue(**value, join(path, key), lo, hi);
  }

  Expected<int64_t> integerValue(const json::Value &value,
                                 const std::string &field, int64_t lo,
                                 int64_t hi) const {
    std::optional<int64_t> i = value.getAsInteger();
    if (!i)
      return error(field, "expected an integer");
    if (*i < lo || *i > hi)
      return error(field, std::to_string(*i) + " is out of range [" +
                              std::to_string(lo) + ", " + std::to_string(hi) +
                              "]");
    return *i;
  }

  static std::string join(const std::string &path, StringRef key) {
    return path.empty() ? key.str() : path + "." + key.str();
  }
  static std::string at(StringRef array, size_t i) {
    return (array + "[" + std::to_string(i) + "]").str();
  }

  std::string planPath;
};
} // namespace

/// Reads a {"buffer": ID, "byte_offset": N} reference and checks that
/// [byte_offset, byte_offset + bytes) lies inside the buffer.
static Expected<BundleBufferRef>
readRef(const PlanReader &r, const Bundle &bundle, const json::Value &value,
        const std::string &field, int64_t bytes) {
  auto object = r.object(value, field);
  if (!object)
    return object.takeError();
  BundleBufferRef ref;
  auto id = r.integer(**object, field, "buffer");
  if (!id)
    return id.takeError();
  ref.buffer = *id;
  const BundleBuffer *buffer = bundle.lookup(ref.buffer);
  if (!buffer)
    return r.error(field + ".buffer",
                   "no buffer with id " + std::to_string(ref.buffer));
  auto offset = r.integer(**object, field, "byte_offset", 0,
                          std::numeric_limits<int64_t>::max(), 0);
  if (!offset)
    return offset.takeError();
  ref.byteOffset = *offset;
  if (ref.byteOffset > buffer->bytes || bytes > buffer->bytes - ref.byteOffset)
    return r.error(field, "bytes [" + std::to_string(ref.byteOffset) + ", " +
                              std::to_string(ref.byteOffset + bytes) +
                              ") are outside buffer " +
                              std::to_string(ref.buffer) + " (" +
                              std::to_string(buffer->bytes) + " bytes)");
  return ref;
}

static Expected<BundleBuffer>
readBuffer(const PlanReader &r, const json::Value &value,
           const std::string &field, const Bundle &bundle, size_t numSteps) {
  auto object = r.object(value, field);
  if (!object)
    return object.takeError();
  const json::Object &o = **object;
  BundleBuffer buffer;
  auto id = r.integer(o, field, "id");
  if (!id)
    return id.takeError();
  buffer.id = *id;
  std::string where = field + " (id " + std::to_string(buffer.id) + ")";

  auto kind = r.string(o, where, "kind");
  if (!kind)
    return kind.takeError();
  if (*kind == "input")
    buffer.kind = BundleBufferKind::Input;
  else if (*kind == "weight")
    buffer.kind = BundleBufferKind::Weight;
  else if (*kind == "arena")
    buffer.kind = BundleBufferKind::Arena;
  else if (*kind == "output")
    buffer.kind = BundleBufferKind::Output;
  else
    return r.error(where + ".kind", "unknown kind '" + *kind +
                                        "' (expected input, weight, arena or "
                                        "output)");

  auto dtype = r.string(o, where, "dtype");
  if (!dtype)
    return dtype.takeError();
  buffer.dtype = *dtype;
  int64_t elementSize = bundleDtypeSize(buffer.dtype);
  if (!elementSize)
    return r.error(
        where + ".dtype",
        "unknown dtype '" + buffer.dtype +
            "' (expected f32, f16, bf16, f64, i64, i32, i16, i8, u64, "
            "u32, u16, u8 or i1)");

  auto shape = r.array(o, where, "shape");
  if (!shape)
    return shape.takeError();
  // Element count with an overflow check (bytes must fit in int64).
  int64_t limit = std::numeric_limits<int64_t>::max() / elementSize;
  int64_t elements = 1;
  for (auto [i, d] : llvm::enumerate(**shape)) {
    auto dim = r.integerValue(d, PlanReader::at(where + ".shape", i), 0,
                              std::numeric_limits<int64_t>::max());
    if (!dim)
      return dim.takeError();
    buffer.shape.push_back(*dim);
    if (*dim != 0 && elements > limit / *dim)
      return r.error(where + ".shape", "too many elements");
    elements *= *dim;
  }
  auto bytes = r.integer(o, where, "bytes");
  if (!bytes)
    return bytes.takeError();
  buffer.bytes = *bytes;
  if (buffer.bytes != elements * elementSize)
    return r.error(where + ".bytes",
                   std::to_string(buffer.bytes) + " but shape " +
                       shapeString(buffer.shape) + " of " + buffer.dtype +
                       " needs " + std::to_string(elements * elementSize));

  if (buffer.kind == BundleBufferKind::Input ||
      buffer.kind == BundleBufferKind::Output) {
    auto name = r.string(o, where, "name");
    if (!name)
      return name.takeError();
    if (name->empty())
      return r.error(where + ".name", "empty name");
    buffer.name = *name;
  } else if (const json::Value *name = o.get("name")) {
    if (std::optional<StringRef> s = name->getAsString())
      buffer.name = s->str();
  }

  if (buffer.kind == BundleBufferKind::Weight) {
    auto offset = r.integer(o, where, "weights_offset");
    if (!offset)
      return offset.takeError();
    buffer.weightsOffset = *offset;
    if (buffer.weightsOffset % bundle.alignment)
      return r.error(where + ".weights_offset",
                     std::to_string(buffer.weightsOffset) +
                         " is not a multiple of the alignment " +
                         std::to_string(bundle.alignment));
    uint64_t end = static_cast<uint64_t>(buffer.weightsOffset) +
                   static_cast<uint64_t>(buffer.bytes);
    if (end > bundle.weightsFileBytes)
      return r.error(where + ".weights_offset",
                     "bytes [" + std::to_string(buffer.weightsOffset) + ", " +
                         std::to_string(end) + ") are outside " +
                         bundle.weightsPath + " (" +
                         std::to_string(bundle.weightsFileBytes) + " bytes)");
  }

  if (buffer.kind == BundleBufferKind::Arena) {
    auto offset = r.integer(o, where, "offset");
    if (!offset)
      return offset.takeError();
    buffer.offset = *offset;
    if (buffer.offset % bundle.alignment)
      return r.error(where + ".offset",
                     std::to_string(buffer.offset) +
                         " is not a multiple of the alignment " +
                         std::to_string(bundle.alignment));
    if (buffer.offset > bundle.arenaBytes ||
        buffer.bytes > bundle.arenaBytes - buffer.offset)
      return r.error(where + ".offset",
                     "bytes [" + std::to_string(buffer.offset) + ", " +
                         std::to_string(buffer.offset + buffer.bytes) +
                         ") are outside the arena (arena_bytes " +
                         std::to_string(bundle.arenaBytes) + ")");
    auto live = r.array(o, where, "live");
    if (!live)
      return live.takeError();
    if ((*live)->size() != 2)
      return r.error(where + ".live", "expected [first step, last step]");
    int64_t maxStep = static_cast<int64_t>(numSteps) - 1;
    auto first = r.integerValue((**live)[0], where + ".live[0]", 0,
                                std::max<int64_t>(maxStep, 0));
    if (!first)
      return first.takeError();
    auto last = r.integerValue((**live)[1], where + ".live[1]", *first,
                               std::max<int64_t>(maxStep, 0));
    if (!last)
      return last.takeError();
    buffer.liveFirst = *first;
    buffer.liveLast = *last;
  }
  return buffer;
}

static Expected<BundleParam> readParam(const PlanReader &r,
                                       const Bundle &bundle,
                                       const json::Value &value,
                                       const std::string &field) {
  auto object = r.object(value, field);
  if (!object)
    return object.takeError();
  const json::Object &o = **object;
  auto type = r.string(o, field, "type");
  if (!type)
    return type.takeError();
  BundleParam param;
  if (*type == "ptr") {
    param.type = BundleParam::Type::Ptr;
    auto ref = readRef(r, bundle, value, field, 0);
    if (!ref)
      return ref.takeError();
    param.ref = *ref;
    return param;
  }
  if (*type == "i64" || *type == "i32") {
    bool is64 = *type == "i64";
    param.type = is64 ? BundleParam::Type::I64 : BundleParam::Type::I32;
    auto v = r.integer(o, field, "value",
                       is64 ? std::numeric_limits<int64_t>::min()
                            : std::numeric_limits<int32_t>::min(),
                       is64 ? std::numeric_limits<int64_t>::max()
                            : std::numeric_limits<int32_t>::max());
    if (!v)
      return v.takeError();
    param.intValue = *v;
    return param;
  }
  if (*type == "f32" || *type == "f64") {
    param.type =
        *type == "f32" ? BundleParam::Type::F32 : BundleParam::Type::F64;
    auto v = r.get(o, field, "value");
    if (!v)
      return v.takeError();
    std::optional<double> d = (*v)->getAsNumber();
    if (!d)
      return r.error(field + ".value", "expected a number");
    param.floatValue = *d;
    return param;
  }
  if (*type == "tensor_map") {
    param.type = BundleParam::Type::TensorMap;
    auto index = r.integer(o, field, "tensor_map", 0,
                           static_cast<int64_t>(bundle.tensorMaps.size()) - 1);
    if (!index)
      return index.takeError();
    param.tensorMap = *index;
    return param;
  }
  return r.error(field + ".type",
                 "unknown parameter type '" + *type +
                     "' (expected ptr, i64, i32, f32, f64 or tensor_map)");
}

/// One of "tensor_maps": the encode arguments, checked against the limits
/// of cuTensorMapEncodeTiled that do not depend on the device address.
static Expected<BundleTensorMap> readTensorMap(const PlanReader &r,
                                               const Bundle &bundle,
                                               const json::Value &value,
                                               const std::string &field,
                                               int64_t index) {
  auto object = r.object(value, field);
  if (!object)
    return object.takeError();
  const json::Object &o = **object;
  BundleTensorMap map;
  auto id = r.integer(o, field, "id", index, index);
  if (!id)
    return id.takeError();
  map.id = *id;
  auto dtype = r.string(o, field, "dtype");
  if (!dtype)
    return dtype.takeError();
  if (*dtype != "f16" && *dtype != "bf16" && *dtype != "f32")
    return r.error(field + ".dtype", "'" + *dtype +
                                         "' (tensor maps take f16, bf16 "
                                         "or f32)");
  map.dtype = *dtype;
  auto rank = r.integer(o, field, "rank", 1, 5);
  if (!rank)
    return rank.takeError();
  map.rank = *rank;
  auto list = [&](StringRef key, size_t size, int64_t lo,
                  int64_t hi) -> Expected<std::vector<int64_t>> {
    auto a = r.array(o, field, key);
    if (!a)
      return a.takeError();
    std::string where = field + "." + key.str();
    if ((*a)->size() != size)
      return r.error(where, "expected " + std::to_string(size) + " values");
    std::vector<int64_t> values;
    for (auto [i, v] : llvm::enumerate(**a)) {
      auto n = r.integerValue(v, PlanReader::at(where, i), lo, hi);
      if (!n)
        return n.takeError();
      values.push_back(*n);
    }
    return values;
  };
  auto dims = list("dims", map.rank, 1, int64_t(1) << 32);
  if (!dims)
    return dims.takeError();
  auto strides = list("strides", map.rank - 1, 16, (int64_t(1) << 40) - 1);
  if (!strides)
    return strides.takeError();
  auto box = list("box", map.rank, 1, 256);
  if (!box)
    return box.takeError();
  auto elementStrides = list("element_strides", map.rank, 1, 8);
  if (!elementStrides)
    return elementStrides.takeError();
  map.dims.assign(dims->begin(), dims->end());
  map.strides.assign(strides->begin(), strides->end());
  map.box.assign(box->begin(), box->end());
  map.elementStrides.assign(elementStrides->begin(), elementStrides->end());
  int64_t elementBytes = bundleDtypeSize(map.dtype);
  uint64_t extent = map.dims.back() * elementBytes;
  for (int64_t d = 0; d + 1 < map.rank; ++d)
    extent = std::max<uint64_t>(extent, map.strides[d] * map.dims[d + 1]);
  auto base = readRef(r, bundle, value, field, static_cast<int64_t>(extent));
  if (!base)
    return base.takeError();
  map.base = *base;
  for (auto [key, out, allowed] :
       {std::tuple<StringRef, std::string *, std::vector<StringRef>>(
            "interleave", &map.interleave, {"none", "16b", "32b"}),
        {"swizzle", &map.swizzle, {"none", "32b", "64b", "128b"}},
        {"l2promotion", &map.l2promotion, {"none", "64b", "128b", "256b"}},
        {"oob_fill", &map.oobFill, {"zero", "nan"}}}) {
    auto v = r.string(o, field, key);
    if (!v)
      return v.takeError();
    if (!llvm::is_contained(allowed, StringRef(*v)))
      return r.error(field + "." + key.str(), "unknown value '" + *v + "'");
    *out = *v;
  }
  // The innermost box row must fit the swizzle span.
  int64_t span = map.swizzle == "128b"  ? 128
                 : map.swizzle == "64b" ? 64
                 : map.swizzle == "32b" ? 32
                                        : 0;
  if (span && int64_t(map.box.front()) * elementBytes > span)
    return r.error(field + ".box", std::to_string(map.box.front()) +
                                       " elements of the innermost dim are "
                                       "more than the " +
                                       map.swizzle + " swizzle span");
  return map;
}

/// The kernels `.entry NAME` of a PTX text.
static std::set<std::string> ptxEntries(StringRef ptx) {
  std::set<std::string> names;
  size_t at = 0;
  while ((at = ptx.find(".entry", at)) != StringRef::npos) {
    at += 6;
    StringRef rest = ptx.drop_front(at);
    if (rest.empty() || !llvm::isSpace(rest.front()))
      continue;
    rest = rest.ltrim();
    size_t end = rest.find_first_of(" \t\r\n(");
    names.insert(rest.take_front(end).str());
  }
  return names;
}

static Expected<BundleStep> readStep(const PlanReader &r, const Bundle &bundle,
                                     const json::Value &value,
                                     const std::string &field,
                                     const std::set<std::string> &kernels) {
  auto object = r.object(value, field);
  if (!object)
    return object.takeError();
  const json::Object &o = **object;
  auto op = r.string(o, field, "op");
  if (!op)
    return op.takeError();
  BundleStep step;
  if (*op == "launch") {
    step.op = BundleStep::Op::Launch;
    auto kernel = r.string(o, field, "kernel");
    if (!kernel)
      return kernel.takeError();
    step.kernel = *kernel;
    if (!kernels.count(step.kernel))
      return r.error(field + ".kernel", "kernel '" + step.kernel +
                                            "' is not an .entry of " +
                                            bundle.ptxPath);
    for (auto [key, dims] :
         {std::pair<StringRef, std::array<uint32_t, 3> *>("grid", &step.grid),
          {"block", &step.block}}) {
      auto a = r.array(o, field, key);
      if (!a)
        return a.takeError();
      if ((*a)->size() != 3)
        return r.error(field + "." + key.str(), "expected 3 dimensions");
      for (unsigned i = 0; i < 3; ++i) {
        auto d =
            r.integerValue((**a)[i], PlanReader::at(field + "." + key.str(), i),
                           1, std::numeric_limits<uint32_t>::max());
        if (!d)
          return d.takeError();
        (*dims)[i] = static_cast<uint32_t>(*d);
      }
    }
    auto shared = r.integer(o, field, "shared_bytes", 0,
                            std::numeric_limits<uint32_t>::max(), 0);
    if (!shared)
      return shared.takeError();
    step.sharedBytes = static_cast<uint32_t>(*shared);
    auto params = r.array(o, field, "params");
    if (!params)
      return params.takeError();
    for (auto [i, p] : llvm::enumerate(**params)) {
      auto param =
          readParam(r, bundle, p, PlanReader::at(field + ".params", i));
      if (!param)
        return param.takeError();
      step.params.push_back(*param);
    }
    return step;
  }
  if (*op == "copy" || *op == "memset") {
    step.op = *op == "copy" ? BundleStep::Op::Copy : BundleStep::Op::Memset;
    auto bytes = r.integer(o, field, "bytes");
    if (!bytes)
      return bytes.takeError();
    step.bytes = *bytes;
    if (step.op == BundleStep::Op::Copy) {
      auto src = r.get(o, field, "src");
      if (!src)
        return src.takeError();
      auto ref = readRef(r, bundle, **src, field + ".src", step.bytes);
      if (!ref)
        return ref.takeError();
      step.src = *ref;
    } else {
      auto v = r.integer(o, field, "value", 0, 255, 0);
      if (!v)
        return v.takeError();
      step.value = static_cast<uint8_t>(*v);
    }
    auto dst = r.get(o, field, "dst");
    if (!dst)
      return dst.takeError();
    auto ref = readRef(r, bundle, **dst, field + ".dst", step.bytes);
    if (!ref)
      return ref.takeError();
    step.dst = *ref;
    const BundleBuffer *target = bundle.lookup(step.dst.buffer);
    if (target->kind == BundleBufferKind::Weight)
      return r.error(field + ".dst",
                     "writes weight buffer " + std::to_string(target->id));
    return step;
  }
  return r.error(field + ".op",
                 "unknown op '" + *op + "' (expected launch, copy or memset)");
}

static Error readIO(const PlanReader &r, const Bundle &bundle,
                    const json::Object &root, StringRef key,
                    BundleBufferKind kind, std::vector<BundleIO> &list) {
  auto a = r.array(root, "", key);
  if (!a)
    return a.takeError();
  std::set<std::string> names;
  for (auto [i, value] : llvm::enumerate(**a)) {
    std::string field = PlanReader::at(key, i);
    auto object = r.object(value, field);
    if (!object)
      return object.takeError();
    BundleIO io;
    auto name = r.string(**object, field, "name");
    if (!name)
      return name.takeError();
    io.name = *name;
    auto id = r.integer(**object, field, "buffer");
    if (!id)
      return id.takeError();
    io.buffer = *id;
    const BundleBuffer *buffer = bundle.lookup(io.buffer);
    if (!buffer)
      return r.error(field + ".buffer",
                     "no buffer with id " + std::to_string(io.buffer));
    if (buffer->kind != kind)
      return r.error(field + ".buffer", "buffer " + std::to_string(io.buffer) +
                                            " is of kind " +
                                            kindName(buffer->kind) +
                                            ", expected " + kindName(kind));
    if (buffer->name != io.name)
      return r.error(field + ".name", "'" + io.name + "' but buffer " +
                                          std::to_string(io.buffer) +
                                          " is named '" + buffer->name + "'");
    if (!names.insert(io.name).second)
      return r.error(field + ".name", "duplicate name '" + io.name + "'");
    list.push_back(io);
  }
  // Every input/output buffer is listed (else the runtime cannot fill or
  // return it).
  for (const BundleBuffer &buffer : bundle.buffers)
    if (buffer.kind == kind && llvm::none_of(list, [&](const BundleIO &io) {
          return io.buffer == buffer.id;
        }))
      return r.error(key.str(), kindName(kind) + " buffer " +
                                    std::to_string(buffer.id) + " ('" +
                                    buffer.name + "') is not listed");
  return Error::success();
}

/// Resolves a file named by plan.json relative to the bundle directory.
static std::string bundleFile(StringRef directory, StringRef name) {
  if (llvm::sys::path::is_absolute(name))
    return name.str();
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(path, name);
  return std::string(path);
}

Expected<Bundle> mlir::fuse::parseBundlePlan(StringRef planText,
                                             StringRef planPath,
                                             StringRef directory) {
  PlanReader r(planPath);
  Expected<json::Value> parsed = json::parse(planText);
  if (!parsed)
    return llvm::createStringError(
        planPath + ": invalid JSON: " + llvm::toString(parsed.takeError()));
  const json::Object *root = parsed->getAsObject();
  if (!root)
    return llvm::createStringError(planPath +
                                   ": expected a JSON object at the top level");

  Bundle bundle;
  bundle.directory = directory.str();
  bundle.planPath = planPath.str();
  auto format = r.string(*root, "", "format");
  if (!format)
    return format.takeError();
  if (*format != "fuse-bundle")
    return r.error("format", "'" + *format + "', expected 'fuse-bundle'");
  auto version = r.integer(*root, "", "version", 0);
  if (!version)
    return version.takeError();
  if (*version != 1)
    return r.error("version", std::to_string(*version) +
                                  " is not supported (this runtime reads "
                                  "version 1)");
  bundle.version = *version;
  for (auto [key, out] :
       {std::pair<StringRef, std::string *>("target", &bundle.target),
        {"chip", &bundle.chip}})
    if (const json::Value *v = root->get(key)) {
      std::optional<StringRef> s = v->getAsString();
      if (!s)
        return r.error(key.str(), "expected a string");
      *out = s->str();
    }

  auto alignment = r.integer(*root, "", "alignment", 1, int64_t(1) << 30, 1);
  if (!alignment)
    return alignment.takeError();
  if (!llvm::isPowerOf2_64(*alignment))
    return r.error("alignment",
                   std::to_string(*alignment) + " is not a power of two");
  bundle.alignment = *alignment;
  auto arena = r.integer(*root, "", "arena_bytes");
  if (!arena)
    return arena.takeError();
  bundle.arenaBytes = *arena;

  // The files next to plan.json.
  auto ptx = r.string(*root, "", "ptx");
  if (!ptx)
    return ptx.takeError();
  bundle.ptxPath = bundleFile(directory, *ptx);
  auto ptxFile = llvm::MemoryBuffer::getFile(bundle.ptxPath, /*IsText=*/true);
  if (!ptxFile)
    return llvm::createStringError(
        bundle.ptxPath + ": cannot read (named by " + planPath +
        " field ptx): " + ptxFile.getError().message());
  if ((*ptxFile)->getBuffer().trim().empty())
    return llvm::createStringError(bundle.ptxPath +
                                   ": empty PTX file (named by " + planPath +
                                   " field ptx)");
  std::set<std::string> kernels = ptxEntries((*ptxFile)->getBuffer());

  auto weights = r.string(*root, "", "weights");
  if (!weights)
    return weights.takeError();
  bundle.weightsPath = bundleFile(directory, *weights);
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(bundle.weightsPath, status))
    return llvm::createStringError(bundle.weightsPath +
                                   ": cannot read (named by " + planPath +
                                   " field weights): " + ec.message());
  if (!llvm::sys::fs::is_regular_file(status))
    return llvm::createStringError(bundle.weightsPath +
                                   ": not a regular file (named by " +
                                   planPath + " field weights)");
  bundle.weightsFileBytes = status.getSize();
  if (const json::Value *declared = root->get("weights_bytes")) {
    auto bytes = r.integerValue(*declared, "weights_bytes", 0,
                                std::numeric_limits<int64_t>::max());
    if (!bytes)
      return bytes.takeError();
    if (static_cast<uint64_t>(*bytes) != bundle.weightsFileBytes)
      return r.error("weights_bytes",
                     std::to_string(*bytes) + " but " + bundle.weightsPath +
                         " holds " + std::to_string(bundle.weightsFileBytes) +
                         " bytes");
  }

  auto steps = r.array(*root, "", "steps");
  if (!steps)
    return steps.takeError();
  auto buffers = r.array(*root, "", "buffers");
  if (!buffers)
    return buffers.takeError();
  for (auto [i, value] : llvm::enumerate(**buffers)) {
    auto buffer = readBuffer(r, value, PlanReader::at("buffers", i), bundle,
                             (*steps)->size());
    if (!buffer)
      return buffer.takeError();
    if (bundle.lookup(buffer->id))
      return r.error(PlanReader::at("buffers", i) + ".id",
                     "duplicate buffer id " + std::to_string(buffer->id));
    bundle.bufferIndex[buffer->id] = bundle.buffers.size();
    bundle.buffers.push_back(std::move(*buffer));
  }
  if (Error e = readIO(r, bundle, *root, "inputs", BundleBufferKind::Input,
                       bundle.inputs))
    return std::move(e);
  if (Error e = readIO(r, bundle, *root, "outputs", BundleBufferKind::Output,
                       bundle.outputs))
    return std::move(e);
  if (const json::Value *maps = root->get("tensor_maps")) {
    const json::Array *list = maps->getAsArray();
    if (!list)
      return r.error("tensor_maps", "expected an array");
    for (auto [i, value] : llvm::enumerate(*list)) {
      auto map =
          readTensorMap(r, bundle, value, PlanReader::at("tensor_maps", i), i);
      if (!map)
        return map.takeError();
      bundle.tensorMaps.push_back(std::move(*map));
    }
  }
  for (auto [i, value] : llvm::enumerate(**steps)) {
    auto step = readStep(r, bundle, value, PlanReader::at("steps", i), kernels);
    if (!step)
      return step.takeError();
    bundle.steps.push_back(std::move(*step));
  }
  return bundle;
}

Expected<Bundle> mlir::fuse::loadBundle(StringRef directory) {
  if (!llvm::sys::fs::is_directory(directory))
    return llvm::createStringError(directory.str() +
                                   ": not a bundle directory (expected the "
                                   "output of fuse-compile --emit=ptx)");
  std::string planPath = bundleFile(directory, "plan.json");
  auto file = llvm::MemoryBuffer::getFile(planPath, /*IsText=*/true);
  if (!file)
    return llvm::createStringError(
        planPath + ": cannot read: " + file.getError().message());
  return parseBundlePlan((*file)->getBuffer(), planPath, directory);
}

/// The arena buffers a step reads or writes.
static void arenaBuffersOf(const Bundle &bundle, const BundleStep &step,
                           llvm::SmallVectorImpl<const BundleBuffer *> &out) {
  auto add = [&](int64_t id) {
    const BundleBuffer *b = bundle.lookup(id);
    if (b && b->kind == BundleBufferKind::Arena)
      out.push_back(b);
  };
  switch (step.op) {
  case BundleStep::Op::Launch:
    for (const BundleParam &p : step.params) {
      if (p.type == BundleParam::Type::Ptr)
        add(p.ref.buffer);
      // The kernel reads the tensor map's buffer through the map.
      if (p.type == BundleParam::Type::TensorMap)
        add(bundle.tensorMaps[p.tensorMap].base.buffer);
    }
    break;
  case BundleStep::Op::Copy:
    add(step.src.buffer);
    add(step.dst.buffer);
    break;
  case BundleStep::Op::Memset:
    add(step.dst.buffer);
    break;
  }
}

Error mlir::fuse::checkArenaLiveness(const Bundle &bundle) {
  std::vector<const BundleBuffer *> arena;
  for (const BundleBuffer &b : bundle.buffers)
    if (b.kind == BundleBufferKind::Arena && b.bytes > 0)
      arena.push_back(&b);
  // Sweep by offset: a buffer only needs comparing with those that start
  // before it ends.
  llvm::sort(arena, [](const BundleBuffer *a, const BundleBuffer *b) {
    return std::tie(a->offset, a->id) < std::tie(b->offset, b->id);
  });
  for (size_t i = 0; i < arena.size(); ++i)
    for (size_t j = i + 1; j < arena.size(); ++j) {
      const BundleBuffer *a = arena[i], *b = arena[j];
      if (b->offset >= a->offset + a->bytes)
        break;
      if (a->liveFirst <= b->liveLast && b->liveFirst <= a->liveLast)
        return llvm::createStringError(
            bundle.planPath + ": arena buffers " + std::to_string(a->id) +
            " (bytes [" + std::to_string(a->offset) + ", " +
            std::to_string(a->offset + a->bytes) + "), live [" +
            std::to_string(a->liveFirst) + ", " + std::to_string(a->liveLast) +
            "]) and " + std::to_string(b->id) + " (bytes [" +
            std::to_string(b->offset) + ", " +
            std::to_string(b->offset + b->bytes) + "), live [" +
            std::to_string(b->liveFirst) + ", " + std::to_string(b->liveLast) +
            "]) share bytes while both are live");
    }
  for (auto [i, step] : llvm::enumerate(bundle.steps)) {
    llvm::SmallVector<const BundleBuffer *> used;
    arenaBuffersOf(bundle, step, used);
    for (const BundleBuffer *b : used)
      if (static_cast<int64_t>(i) < b->liveFirst ||
          static_cast<int64_t>(i) > b->liveLast)
        return llvm::createStringError(
            bundle.planPath + ": steps[" + std::to_string(i) +
            "] uses arena buffer " + std::to_string(b->id) +
            " outside its live range [" + std::to_string(b->liveFirst) + ", " +
            std::to_string(b->liveLast) + "]");
  }
  return Error::success();
}
