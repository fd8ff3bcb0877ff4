//===- Bundle.cpp - The deployable GPU bundle (--emit=ptx) ----------------===//
//
// The host function after the GPU pipeline is a straight-line list of
// buffer definitions (function arguments, memref.get_global, memref.alloc and
// views of them), gpu.launch_func and memref.copy, and the TMA tensor maps
// of the launches (nvgpu.tma.create.descriptor of a buffer cast to an
// unranked memref, passed to the kernel as a pointer: a
// builtin.unrealized_conversion_cast). Each launch and copy is a
// step; each buffer is an input, an output, a weight (its bytes go to
// weights.bin) or an arena buffer, whose live range [first step, last step]
// decides its offset in the one device arena.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Driver/Bundle.h"
#include "Fuse/Transforms/FusionReport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::fuse;
namespace json = llvm::json;

namespace {

constexpr int64_t kAlignment = 256;

int64_t alignTo(int64_t value) {
  return (value + kAlignment - 1) / kAlignment * kAlignment;
}

/// The plan's name of an element type; empty when the runtime has none.
std::string dtypeName(Type type) {
  if (type.isF32())
    return "f32";
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  if (type.isF64())
    return "f64";
  if (auto integer = dyn_cast<IntegerType>(type)) {
    if (integer.getWidth() == 1)
      return "i1";
    std::string prefix = integer.isUnsigned() ? "u" : "i";
    switch (integer.getWidth()) {
    case 8:
    case 16:
    case 32:
    case 64:
      return prefix + std::to_string(integer.getWidth());
    default:
      return "";
    }
  }
  return "";
}

/// Bytes of one element as the runtime stores it (i1 as one byte).
int64_t elementBytes(Type type) {
  unsigned bits = type.getIntOrFloatBitWidth();
  return bits == 1 ? 1 : bits / 8;
}

enum class BufferKind { Input, Output, Weight, Arena };

struct Buffer {
  BufferKind kind;
  std::string name;
  MemRefType type;
  int64_t bytes = 0;
  int64_t weightsOffset = 0;
  int64_t offset = 0;
  int64_t first = -1, last = -1;
};

/// A memref value as the runtime sees it: a buffer, and the descriptor the
/// kernel receives (offset in elements, sizes, strides), all static.
struct View {
  int64_t buffer;
  MemRefType type;
};

class PlanBuilder {
public:
  PlanBuilder(ModuleOp module, const BundleOptions &options)
      : module(module), options(options) {}

  FailureOr<CompiledBundle> build();

private:
  LogicalResult defineArguments(func::FuncOp func);
  FailureOr<View> lookup(Operation *user, Value value);
  void touch(int64_t buffer) {
    Buffer &b = buffers[buffer];
    if (b.first < 0)
      b.first = step;
    b.last = step;
  }
  LogicalResult addWeight(memref::GetGlobalOp op);
  LogicalResult addView(Operation *op, Value source, Value result);
  LogicalResult addLaunch(gpu::LaunchFuncOp launch);
  LogicalResult addCopy(memref::CopyOp copy);
  LogicalResult addTensorMap(nvgpu::TmaCreateDescriptorOp op);
  LogicalResult addOutputs(func::FuncOp func, func::ReturnOp ret);
  LogicalResult checkStatic(Operation *op, MemRefType type);
  json::Object ref(const View &view, Operation *at, int64_t &bytes,
                   LogicalResult &ok);
  void layOutArena();
  json::Value bufferJson(int64_t id) const;

  ModuleOp module;
  const BundleOptions &options;
  std::vector<Buffer> buffers;
  llvm::DenseMap<Value, View> views;
  /// Unranked casts of buffers (the tensor maps' sources).
  llvm::DenseMap<Value, View> unranked;
  /// Tensor map values (descriptors and their pointer casts) -> index in
  /// `tensorMaps`; the buffer each one reads.
  llvm::DenseMap<Value, int64_t> tensorMapOf;
  SmallVector<int64_t> tensorMapBuffers;
  json::Array tensorMaps;
  llvm::StringMap<int64_t> globals;
  std::vector<char> weights;
  json::Array steps;
  json::Array inputs, outputs;
  int64_t step = 0;
  int64_t launches = 0;
  int64_t arenaBytes = 0;
};

LogicalResult PlanBuilder::checkStatic(Operation *op, MemRefType type) {
  if (!type.hasStaticShape())
    return op->emitError("fuse bundle: a buffer of dynamic shape ")
           << type << " (bind every dim at import)";
  if (dtypeName(type.getElementType()).empty())
    return op->emitError("fuse bundle: no runtime type for elements of ")
           << type;
  // No elements: no layout to address (MLIR gives a zero-size dim's
  // neighbours dynamic strides).
  if (type.getNumElements() == 0)
    return success();
  int64_t offset;
  SmallVector<int64_t> strides;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      ShapedType::isDynamic(offset) ||
      llvm::any_of(strides, ShapedType::isDynamic))
    return op->emitError("fuse bundle: a view with a dynamic layout ") << type;
  return success();
}

LogicalResult PlanBuilder::defineArguments(func::FuncOp func) {
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<MemRefType>(arg.getType());
    if (!type)
      return func.emitError("fuse bundle: argument #")
             << arg.getArgNumber() << " is not a buffer";
    if (failed(checkStatic(func, type)))
      return failure();
    Buffer buffer;
    buffer.kind = BufferKind::Input;
    if (auto name =
            func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "fuse.name"))
      buffer.name = name.str();
    else
      buffer.name = "input_" + std::to_string(arg.getArgNumber());
    buffer.type = type;
    buffer.bytes = type.getNumElements() * elementBytes(type.getElementType());
    int64_t id = buffers.size();
    buffers.push_back(buffer);
    views[arg] = View{id, type};
    inputs.push_back(json::Object{{"name", buffer.name}, {"buffer", id}});
  }
  return success();
}

FailureOr<View> PlanBuilder::lookup(Operation *user, Value value) {
  auto it = views.find(value);
  if (it == views.end()) {
    Operation *def = value.getDefiningOp();
    InFlightDiagnostic diag =
        user->emitError("fuse bundle: an operand that is not a known buffer");
    if (def)
      diag << " (defined by '" << def->getName() << "')";
    return failure();
  }
  return it->second;
}

LogicalResult PlanBuilder::addWeight(memref::GetGlobalOp op) {
  MemRefType type = op.getType();
  if (failed(checkStatic(op, type)))
    return failure();
  auto found = globals.find(op.getName());
  if (found != globals.end()) {
    views[op.getResult()] = View{found->second, type};
    return success();
  }
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      op, op.getNameAttr());
  if (!global || !global.getInitialValue())
    return op.emitError("fuse bundle: global '")
           << op.getName() << "' has no initial value";
  Type element = type.getElementType();
  int64_t count = type.getNumElements();
  int64_t size = elementBytes(element);
  std::vector<char> data;
  data.reserve(count * size);
  Attribute init = *global.getInitialValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(init)) {
    if (element.isInteger(1)) {
      for (bool value : dense.getValues<bool>())
        data.push_back(value ? 1 : 0);
      if (dense.isSplat())
        data.assign(count, data.empty() ? 0 : data.front());
    } else {
      ArrayRef<char> raw = dense.getRawData();
      if (dense.isSplat()) {
        for (int64_t i = 0; i < count; ++i)
          data.insert(data.end(), raw.begin(), raw.begin() + size);
      } else {
        data.assign(raw.begin(), raw.end());
      }
    }
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(init)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return op.emitError("fuse bundle: global '")
             << op.getName() << "' has a resource without data";
    // Resource blobs hold the elements' bytes (i1: one byte each).
    ArrayRef<char> raw = blob->getData();
    data.assign(raw.begin(), raw.end());
  } else {
    return op.emitError("fuse bundle: global '")
           << op.getName() << "' has an initial value of unsupported kind";
  }
  if (static_cast<int64_t>(data.size()) != count * size)
    return op.emitError("fuse bundle: global '")
           << op.getName() << "' holds " << data.size() << " bytes, expected "
           << count * size;
  Buffer buffer;
  buffer.kind = BufferKind::Weight;
  buffer.name = op.getName().str();
  buffer.type = type;
  buffer.bytes = count * size;
  buffer.weightsOffset = weights.size();
  weights.insert(weights.end(), data.begin(), data.end());
  weights.resize(alignTo(weights.size()), 0);
  int64_t id = buffers.size();
  buffers.push_back(buffer);
  globals[op.getName()] = id;
  views[op.getResult()] = View{id, type};
  return success();
}

LogicalResult PlanBuilder::addView(Operation *op, Value source, Value result) {
  FailureOr<View> base = lookup(op, source);
  if (failed(base))
    return failure();
  auto type = cast<MemRefType>(result.getType());
  if (failed(checkStatic(op, type)))
    return failure();
  views[result] = View{base->buffer, type};
  return success();
}

json::Object PlanBuilder::ref(const View &view, Operation *at, int64_t &bytes,
                              LogicalResult &ok) {
  ok = success();
  if (view.type.hasStaticShape() && view.type.getNumElements() == 0) {
    bytes = 0;
    return json::Object{{"buffer", view.buffer}, {"byte_offset", 0}};
  }
  if (!memref::isStaticShapeAndContiguousRowMajor(view.type)) {
    ok = at->emitError("fuse bundle: a copy of a non-contiguous view ")
         << view.type;
    return {};
  }
  auto [strides, offset] = view.type.getStridesAndOffset();
  (void)strides;
  int64_t size = elementBytes(view.type.getElementType());
  bytes = view.type.getNumElements() * size;
  return json::Object{{"buffer", view.buffer}, {"byte_offset", offset * size}};
}

LogicalResult PlanBuilder::addLaunch(gpu::LaunchFuncOp launch) {
  auto constant = [&](Value value, StringRef what) -> FailureOr<int64_t> {
    std::optional<int64_t> v = getConstantIntValue(value);
    if (!v) {
      launch.emitError("fuse bundle: the ")
          << what << " of kernel '" << launch.getKernelName().getValue()
          << "' is not a constant";
      return failure();
    }
    return *v;
  };
  json::Array grid, block;
  gpu::KernelDim3 g = launch.getGridSizeOperandValues();
  gpu::KernelDim3 b = launch.getBlockSizeOperandValues();
  for (Value v : {g.x, g.y, g.z}) {
    FailureOr<int64_t> n = constant(v, "grid size");
    if (failed(n))
      return failure();
    grid.push_back(*n);
  }
  for (Value v : {b.x, b.y, b.z}) {
    FailureOr<int64_t> n = constant(v, "block size");
    if (failed(n))
      return failure();
    block.push_back(*n);
  }
  int64_t shared = 0;
  if (Value dyn = launch.getDynamicSharedMemorySize()) {
    FailureOr<int64_t> n = constant(dyn, "dynamic shared memory size");
    if (failed(n))
      return failure();
    shared = *n;
  }
  if (launch.hasClusterSize())
    return launch.emitError("fuse bundle: thread-block clusters are not "
                            "supported by the runtime yet");

  json::Array params;
  for (Value operand : launch.getKernelOperands()) {
    Type type = operand.getType();
    if (isa<MemRefType>(type)) {
      FailureOr<View> view = lookup(launch, operand);
      if (failed(view))
        return failure();
      touch(view->buffer);
      auto [strides, offset] = view->type.getStridesAndOffset();
      // The default memref calling convention: allocated and aligned
      // pointers, offset, sizes, strides.
      for (int i = 0; i < 2; ++i)
        params.push_back(json::Object{
            {"type", "ptr"}, {"buffer", view->buffer}, {"byte_offset", 0}});
      params.push_back(json::Object{{"type", "i64"}, {"value", offset}});
      for (int64_t size : view->type.getShape())
        params.push_back(json::Object{{"type", "i64"}, {"value", size}});
      for (int64_t stride : strides)
        params.push_back(json::Object{{"type", "i64"}, {"value", stride}});
      continue;
    }
    if (auto map = tensorMapOf.find(operand); map != tensorMapOf.end()) {
      // The kernel reads the tensor map's buffer through it.
      touch(tensorMapBuffers[map->second]);
      params.push_back(
          json::Object{{"type", "tensor_map"}, {"tensor_map", map->second}});
      continue;
    }
    Attribute value;
    if (!matchPattern(operand, m_Constant(&value)))
      return launch.emitError("fuse bundle: kernel '")
             << launch.getKernelName().getValue()
             << "' takes a scalar that is not a constant";
    if (auto integer = dyn_cast<IntegerAttr>(value)) {
      std::string kind = "i64";
      if (auto intType = dyn_cast<IntegerType>(type))
        kind = intType.getWidth() <= 32 ? "i32" : "i64";
      params.push_back(
          json::Object{{"type", kind}, {"value", integer.getInt()}});
    } else if (auto real = dyn_cast<FloatAttr>(value)) {
      std::string kind = type.isF64() ? "f64" : "f32";
      if (!type.isF32() && !type.isF64())
        return launch.emitError("fuse bundle: a scalar kernel argument of "
                                "type ")
               << type;
      params.push_back(
          json::Object{{"type", kind}, {"value", real.getValueAsDouble()}});
    } else {
      return launch.emitError("fuse bundle: a kernel argument of type ")
             << type;
    }
  }
  json::Object entry{
      {"op", "launch"},          {"kernel", launch.getKernelName().getValue()},
      {"grid", std::move(grid)}, {"block", std::move(block)},
      {"shared_bytes", shared},  {"params", std::move(params)},
  };
  // What the kernel implements (mma_sync, wgmma, fma_gemm, depthwise,
  // flash_attention, row_per_warp, ..., generic), for tools that read the
  // plan; the runtime does not need it.
  if (auto kernels = module->getAttrOfType<DictionaryAttr>(kGpuKernelsAttrName))
    if (auto info =
            kernels.getAs<DictionaryAttr>(launch.getKernelName().getValue()))
      if (auto impl = info.getAs<StringAttr>("kernel_impl"))
        entry["impl"] = impl.getValue();
  steps.push_back(std::move(entry));
  ++launches;
  ++step;
  return success();
}

/// A tensor map as cuTensorMapEncodeTiled takes it: dims, byte strides
/// (of dims 1..rank-1) and box innermost first.
LogicalResult PlanBuilder::addTensorMap(nvgpu::TmaCreateDescriptorOp op) {
  auto source = unranked.find(op.getTensor());
  if (source == unranked.end())
    return op.emitError("fuse bundle: a tensor map of a value that is not "
                        "a cast of a known buffer");
  const View &view = source->second;
  nvgpu::TensorMapDescriptorType type = op.getTensorMap().getType();
  Type element = view.type.getElementType();
  int64_t size = elementBytes(element);
  int64_t rank = view.type.getRank();
  auto [strides, offset] = view.type.getStridesAndOffset();
  if (rank < 1 || rank > 5 ||
      static_cast<int64_t>(op.getBoxDimensions().size()) != rank)
    return op.emitError("fuse bundle: a tensor map of rank ")
           << rank << " with " << op.getBoxDimensions().size()
           << " box dims (1 to 5, one per dim)";
  if (strides.back() != 1)
    return op.emitError("fuse bundle: a tensor map of a view whose last dim "
                        "is not contiguous: ")
           << view.type;
  // The driver's alignment rules: a 16-byte aligned global address (the
  // buffers are 256-byte aligned) and strides that are multiples of 16.
  if ((offset * size) % 16)
    return op.emitError("fuse bundle: a tensor map of a view at byte offset ")
           << offset * size << " (not a multiple of 16)";
  json::Array dims, byteStrides, box, elementStrides;
  for (int64_t d = rank - 1; d >= 0; --d) {
    dims.push_back(view.type.getDimSize(d));
    if (d != rank - 1) {
      if ((strides[d] * size) % 16)
        return op.emitError("fuse bundle: a tensor map stride of ")
               << strides[d] * size << " bytes (not a multiple of 16)";
      byteStrides.push_back(strides[d] * size);
    }
    std::optional<int64_t> boxDim =
        getConstantIntValue(op.getBoxDimensions()[d]);
    if (!boxDim || *boxDim < 1 || *boxDim > 256)
      return op.emitError("fuse bundle: tensor map box dim #")
             << d << " is not a constant in [1, 256]";
    box.push_back(*boxDim);
    elementStrides.push_back(1);
  }
  auto swizzle = [&]() -> StringRef {
    switch (type.getSwizzle()) {
    case nvgpu::TensorMapSwizzleKind::SWIZZLE_NONE:
      return "none";
    case nvgpu::TensorMapSwizzleKind::SWIZZLE_32B:
      return "32b";
    case nvgpu::TensorMapSwizzleKind::SWIZZLE_64B:
      return "64b";
    case nvgpu::TensorMapSwizzleKind::SWIZZLE_128B:
      return "128b";
    }
    return "none";
  };
  auto l2 = [&]() -> StringRef {
    switch (type.getL2promo()) {
    case nvgpu::TensorMapL2PromoKind::L2PROMO_NONE:
      return "none";
    case nvgpu::TensorMapL2PromoKind::L2PROMO_64B:
      return "64b";
    case nvgpu::TensorMapL2PromoKind::L2PROMO_128B:
      return "128b";
    case nvgpu::TensorMapL2PromoKind::L2PROMO_256B:
      return "256b";
    }
    return "none";
  };
  auto interleave = [&]() -> StringRef {
    switch (type.getInterleave()) {
    case nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE:
      return "none";
    case nvgpu::TensorMapInterleaveKind::INTERLEAVE_16B:
      return "16b";
    case nvgpu::TensorMapInterleaveKind::INTERLEAVE_32B:
      return "32b";
    }
    return "none";
  };
  int64_t index = tensorMaps.size();
  tensorMaps.push_back(json::Object{
      {"id", index},
      {"buffer", view.buffer},
      {"byte_offset", offset * size},
      {"dtype", dtypeName(element)},
      {"rank", rank},
      {"dims", std::move(dims)},
      {"strides", std::move(byteStrides)},
      {"box", std::move(box)},
      {"element_strides", std::move(elementStrides)},
      {"interleave", interleave()},
      {"swizzle", swizzle()},
      {"l2promotion", l2()},
      {"oob_fill",
       type.getOob() == nvgpu::TensorMapOOBKind::OOB_NAN ? "nan" : "zero"},
  });
  tensorMapBuffers.push_back(view.buffer);
  tensorMapOf[op.getResult()] = index;
  return success();
}

LogicalResult PlanBuilder::addCopy(memref::CopyOp copy) {
  FailureOr<View> src = lookup(copy, copy.getSource());
  FailureOr<View> dst = lookup(copy, copy.getTarget());
  if (failed(src) || failed(dst))
    return failure();
  int64_t srcBytes = 0, dstBytes = 0;
  LogicalResult ok = success();
  json::Object from = ref(*src, copy, srcBytes, ok);
  if (failed(ok))
    return failure();
  json::Object to = ref(*dst, copy, dstBytes, ok);
  if (failed(ok))
    return failure();
  touch(src->buffer);
  touch(dst->buffer);
  steps.push_back(json::Object{{"op", "copy"},
                               {"src", std::move(from)},
                               {"dst", std::move(to)},
                               {"bytes", srcBytes}});
  ++step;
  return success();
}

LogicalResult PlanBuilder::addOutputs(func::FuncOp func, func::ReturnOp ret) {
  llvm::DenseSet<int64_t> claimed;
  for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
    FailureOr<View> view = lookup(ret, value);
    if (failed(view))
      return failure();
    std::string name = "output_" + std::to_string(i);
    if (auto attr = func.getResultAttrOfType<StringAttr>(i, "fuse.name"))
      name = attr.str();
    Buffer &base = buffers[view->buffer];
    int64_t bytes =
        view->type.getNumElements() * elementBytes(view->type.getElementType());
    auto [strides, offset] = view->type.getStridesAndOffset();
    (void)strides;
    bool whole = memref::isStaticShapeAndContiguousRowMajor(view->type) &&
                 offset == 0 && bytes == base.bytes;
    if (base.kind == BufferKind::Arena && whole &&
        claimed.insert(view->buffer).second) {
      // The kernels write the output in place.
      base.kind = BufferKind::Output;
      base.name = name;
      base.type = view->type;
      outputs.push_back(json::Object{{"name", name}, {"buffer", view->buffer}});
      continue;
    }
    // An input, a weight, a part of a buffer or a buffer returned twice:
    // copied into the output at the end.
    Buffer out;
    out.kind = BufferKind::Output;
    out.name = name;
    out.type = view->type;
    out.bytes = bytes;
    int64_t id = buffers.size();
    buffers.push_back(out);
    int64_t srcBytes = 0;
    LogicalResult ok = success();
    json::Object from = ref(*view, ret, srcBytes, ok);
    if (failed(ok))
      return failure();
    touch(view->buffer);
    steps.push_back(
        json::Object{{"op", "copy"},
                     {"src", std::move(from)},
                     {"dst", json::Object{{"buffer", id}, {"byte_offset", 0}}},
                     {"bytes", srcBytes}});
    ++step;
    outputs.push_back(json::Object{{"name", name}, {"buffer", id}});
  }
  return success();
}

/// Offsets in the arena: largest buffers first, each at the lowest aligned
/// offset where it overlaps no placed buffer whose live range meets its own.
void PlanBuilder::layOutArena() {
  std::vector<int64_t> order;
  for (auto [id, buffer] : llvm::enumerate(buffers))
    if (buffer.kind == BufferKind::Arena && buffer.first >= 0)
      order.push_back(id);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return buffers[a].bytes > buffers[b].bytes;
  });
  std::vector<int64_t> placed;
  for (int64_t id : order) {
    Buffer &buffer = buffers[id];
    std::vector<std::pair<int64_t, int64_t>> taken;
    for (int64_t other : placed) {
      const Buffer &o = buffers[other];
      if (o.first <= buffer.last && buffer.first <= o.last)
        taken.push_back({o.offset, o.offset + o.bytes});
    }
    std::sort(taken.begin(), taken.end());
    int64_t offset = 0;
    for (auto [begin, end] : taken) {
      if (offset + buffer.bytes <= begin)
        break;
      offset = std::max(offset, alignTo(end));
    }
    buffer.offset = offset;
    arenaBytes = std::max(arenaBytes, alignTo(offset + buffer.bytes));
    placed.push_back(id);
  }
}

json::Value PlanBuilder::bufferJson(int64_t id) const {
  const Buffer &buffer = buffers[id];
  json::Array shape;
  for (int64_t dim : buffer.type.getShape())
    shape.push_back(dim);
  json::Object object{{"id", id},
                      {"dtype", dtypeName(buffer.type.getElementType())},
                      {"shape", std::move(shape)},
                      {"bytes", buffer.bytes}};
  switch (buffer.kind) {
  case BufferKind::Input:
    object["kind"] = "input";
    object["name"] = buffer.name;
    break;
  case BufferKind::Output:
    object["kind"] = "output";
    object["name"] = buffer.name;
    break;
  case BufferKind::Weight:
    object["kind"] = "weight";
    object["name"] = buffer.name;
    object["weights_offset"] = buffer.weightsOffset;
    break;
  case BufferKind::Arena:
    object["kind"] = "arena";
    object["offset"] = buffer.offset;
    object["live"] = json::Array{buffer.first, buffer.last};
    break;
  }
  return object;
}

FailureOr<CompiledBundle> PlanBuilder::build() {
  // The PTX: the one gpu.binary the pipeline serialized.
  SmallVector<gpu::BinaryOp> binaries(module.getOps<gpu::BinaryOp>());
  if (binaries.size() != 1)
    return module.emitError("fuse bundle: expected one gpu.binary with the "
                            "kernels, found ")
               << binaries.size(),
           failure();
  ArrayAttr objects = binaries.front().getObjectsAttr();
  if (objects.size() != 1)
    return binaries.front().emitError(
               "fuse bundle: expected one object (one chip) in the binary"),
           failure();
  auto object = cast<gpu::ObjectAttr>(objects[0]);
  if (object.getFormat() != gpu::CompilationTarget::Assembly)
    return binaries.front().emitError(
               "fuse bundle: the binary does not hold PTX assembly"),
           failure();

  SmallVector<func::FuncOp> funcs;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isDeclaration())
      funcs.push_back(func);
  if (funcs.size() != 1)
    return module.emitError("fuse bundle: expected one host function, found ")
               << funcs.size(),
           failure();
  func::FuncOp func = funcs.front();
  if (!func.getBody().hasOneBlock())
    return func.emitError("fuse bundle: the host function has control flow"),
           failure();
  if (failed(defineArguments(func)))
    return failure();

  for (Operation &op : func.getBody().front()) {
    LogicalResult ok = success();
    if (isa<arith::ConstantOp, memref::DeallocOp>(op))
      continue;
    if (auto get = dyn_cast<memref::GetGlobalOp>(op)) {
      ok = addWeight(get);
    } else if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
      if (failed(checkStatic(alloc, alloc.getType())))
        return failure();
      Buffer buffer;
      buffer.kind = BufferKind::Arena;
      buffer.type = alloc.getType();
      buffer.bytes = alloc.getType().getNumElements() *
                     elementBytes(alloc.getType().getElementType());
      int64_t id = buffers.size();
      buffers.push_back(buffer);
      views[alloc.getResult()] = View{id, alloc.getType()};
    } else if (auto cast = dyn_cast<memref::CastOp>(op);
               cast && isa<UnrankedMemRefType>(cast.getType())) {
      FailureOr<View> base = lookup(cast, cast.getSource());
      if (failed(base))
        return failure();
      unranked[cast.getResult()] = *base;
    } else if (auto map = dyn_cast<nvgpu::TmaCreateDescriptorOp>(op)) {
      ok = addTensorMap(map);
    } else if (auto cast = dyn_cast<UnrealizedConversionCastOp>(op);
               cast && cast->getNumOperands() == 1 &&
               cast->getNumResults() == 1 &&
               tensorMapOf.count(cast->getOperand(0))) {
      // The tensor map as the kernel's pointer argument.
      tensorMapOf[cast->getResult(0)] = tensorMapOf[cast->getOperand(0)];
    } else if (isa<memref::ExpandShapeOp, memref::CollapseShapeOp,
                   memref::SubViewOp, memref::ReinterpretCastOp,
                   memref::CastOp>(op)) {
      ok = addView(&op, op.getOperand(0), op.getResult(0));
    } else if (auto launch = dyn_cast<gpu::LaunchFuncOp>(op)) {
      ok = addLaunch(launch);
    } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
      ok = addCopy(copy);
    } else if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      ok = addOutputs(func, ret);
    } else {
      return op.emitError("fuse bundle: the runtime cannot execute host op '")
                 << op.getName() << "' (every computation must be a kernel)",
             failure();
    }
    if (failed(ok))
      return failure();
  }
  layOutArena();

  CompiledBundle bundle;
  bundle.ptx = object.getObject().str();
  bundle.weights = std::move(weights);
  json::Array bufferList;
  int64_t arenaCount = 0;
  for (int64_t id = 0, e = buffers.size(); id < e; ++id) {
    const Buffer &buffer = buffers[id];
    if (buffer.kind == BufferKind::Arena && buffer.first < 0)
      continue; // allocated but never used
    arenaCount += buffer.kind == BufferKind::Arena;
    bufferList.push_back(bufferJson(id));
  }
  bundle.plan = json::Object{
      {"format", "fuse-bundle"},
      {"version", 1},
      {"target", options.target},
      {"chip", options.chip},
      {"precision", options.precision},
      {"ptx", "model.ptx"},
      {"weights", "weights.bin"},
      {"weights_bytes", static_cast<int64_t>(bundle.weights.size())},
      {"arena_bytes", arenaBytes},
      {"alignment", kAlignment},
      {"buffers", std::move(bufferList)},
      {"inputs", std::move(inputs)},
      {"outputs", std::move(outputs)},
      {"steps", std::move(steps)},
  };
  if (!tensorMaps.empty())
    bundle.plan["tensor_maps"] = std::move(tensorMaps);
  bundle.launches = launches;
  bundle.arenaBuffers = arenaCount;
  bundle.arenaBytes = arenaBytes;
  return bundle;
}

} // namespace

FailureOr<CompiledBundle>
mlir::fuse::buildBundle(ModuleOp module, const BundleOptions &options) {
  return PlanBuilder(module, options).build();
}

LogicalResult mlir::fuse::writeBundle(const CompiledBundle &bundle,
                                      StringRef dir, std::string &error) {
  bool created = !llvm::sys::fs::exists(dir);
  if (!created && !llvm::sys::fs::is_directory(dir)) {
    error = dir.str() + " exists and is not a directory";
    return failure();
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    error = "cannot create " + dir.str() + ": " + ec.message();
    return failure();
  }
  std::string planText;
  {
    llvm::raw_string_ostream os(planText);
    os << llvm::formatv("{0:2}", json::Value(json::Object(bundle.plan)))
       << "\n";
  }
  struct File {
    std::string name;
    StringRef data;
  };
  File files[] = {
      {"model.ptx", bundle.ptx},
      {"weights.bin", StringRef(bundle.weights.data(), bundle.weights.size())},
      {"plan.json", planText},
  };
  SmallVector<std::string> temps;
  auto cleanUp = [&] {
    for (const std::string &temp : temps)
      llvm::sys::fs::remove(temp);
    if (created)
      llvm::sys::fs::remove(dir);
  };
  for (const File &file : files) {
    SmallString<256> temp(dir);
    llvm::sys::path::append(temp, "." + file.name + ".partial");
    std::error_code ec;
    llvm::raw_fd_ostream os(temp, ec, llvm::sys::fs::OF_None);
    if (ec) {
      error = "cannot write " + temp.str().str() + ": " + ec.message();
      cleanUp();
      return failure();
    }
    temps.push_back(temp.str().str());
    os << file.data;
    os.close();
    if (os.has_error()) {
      error = "cannot write " + temp.str().str();
      os.clear_error();
      cleanUp();
      return failure();
    }
  }
  for (auto [file, temp] : llvm::zip(files, temps)) {
    SmallString<256> path(dir);
    llvm::sys::path::append(path, file.name);
    if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
      error = "cannot write " + path.str().str() + ": " + ec.message();
      cleanUp();
      return failure();
    }
  }
  return success();
}
