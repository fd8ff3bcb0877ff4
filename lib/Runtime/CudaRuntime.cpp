//===- CudaRuntime.cpp - Run a bundle on the CUDA driver API --------------===//
//
// libcuda.so.1 is opened with dlopen and every entry point resolved by its
// versioned symbol name; the types come from cuda.h (FUSE_HAVE_CUDA_H). All
// work goes to the legacy default stream, so copies, memsets, launches and
// the timing events are ordered.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Runtime/CudaRuntime.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>

using namespace mlir;
using namespace mlir::fuse;
using llvm::Error;
using llvm::Expected;

static Error noDevice(const std::string &reason) {
  return llvm::createStringError(std::string(kNoCudaDevice) + reason);
}

#ifdef FUSE_HAVE_CUDA_H

#include <cuda.h>
#include <dlfcn.h>

namespace {
/// The driver entry points, resolved once.
struct Driver {
  decltype(&::cuInit) init = nullptr;
  decltype(&::cuDeviceGetCount) deviceGetCount = nullptr;
  decltype(&::cuDeviceGet) deviceGet = nullptr;
  decltype(&::cuDeviceGetName) deviceGetName = nullptr;
  decltype(&::cuDeviceGetAttribute) deviceGetAttribute = nullptr;
  decltype(&::cuDevicePrimaryCtxRetain) primaryCtxRetain = nullptr;
  decltype(&::cuDevicePrimaryCtxRelease) primaryCtxRelease = nullptr;
  decltype(&::cuCtxSetCurrent) ctxSetCurrent = nullptr;
  decltype(&::cuCtxSynchronize) ctxSynchronize = nullptr;
  decltype(&::cuModuleLoadDataEx) moduleLoadDataEx = nullptr;
  decltype(&::cuModuleUnload) moduleUnload = nullptr;
  decltype(&::cuModuleGetFunction) moduleGetFunction = nullptr;
  decltype(&::cuFuncSetAttribute) funcSetAttribute = nullptr;
  decltype(&::cuMemAlloc) memAlloc = nullptr;
  decltype(&::cuMemFree) memFree = nullptr;
  decltype(&::cuMemcpyHtoD) memcpyHtoD = nullptr;
  decltype(&::cuMemcpyDtoH) memcpyDtoH = nullptr;
  decltype(&::cuMemcpyDtoD) memcpyDtoD = nullptr;
  decltype(&::cuMemsetD8) memsetD8 = nullptr;
  decltype(&::cuLaunchKernel) launchKernel = nullptr;
  decltype(&::cuGetErrorName) getErrorName = nullptr;
  decltype(&::cuGetErrorString) getErrorString = nullptr;
  decltype(&::cuEventCreate) eventCreate = nullptr;
  decltype(&::cuEventRecord) eventRecord = nullptr;
  decltype(&::cuEventSynchronize) eventSynchronize = nullptr;
  decltype(&::cuEventElapsedTime) eventElapsedTime = nullptr;
  decltype(&::cuEventDestroy) eventDestroy = nullptr;
  /// Optional (CUDA 12, sm_90): resolved when present, required only by a
  /// bundle with tensor maps.
  decltype(&::cuTensorMapEncodeTiled) tensorMapEncodeTiled = nullptr;

  /// Empty when the driver is usable; else why not.
  std::string unusable;

  std::string describe(CUresult result) const {
    const char *name = nullptr, *text = nullptr;
    if (getErrorName)
      getErrorName(result, &name);
    if (getErrorString)
      getErrorString(result, &text);
    std::string s = name ? name : "CUDA error " + std::to_string(result);
    if (text)
      s += std::string(" (") + text + ")";
    return s;
  }
  Error fail(CUresult result, const std::string &what) const {
    return llvm::createStringError(what + ": " + describe(result));
  }
};
} // namespace

static Driver loadDriver() {
  Driver d;
  const char *override = std::getenv("FUSE_CUDA_LIBRARY");
  std::string path = override && *override ? override : "libcuda.so.1";
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *why = dlerror();
    d.unusable = "cannot load the CUDA driver " + path + ": " +
                 (why ? why : "unknown error");
    return d;
  }
  std::string missing;
  auto resolve = [&](auto &fn, const char *name,
                     const char *fallback = nullptr) {
    void *symbol = dlsym(handle, name);
    if (!symbol && fallback)
      symbol = dlsym(handle, fallback);
    if (!symbol && missing.empty())
      missing = name;
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(symbol);
  };
  resolve(d.getErrorName, "cuGetErrorName");
  resolve(d.getErrorString, "cuGetErrorString");
  resolve(d.init, "cuInit");
  resolve(d.deviceGetCount, "cuDeviceGetCount");
  resolve(d.deviceGet, "cuDeviceGet");
  resolve(d.deviceGetName, "cuDeviceGetName");
  resolve(d.deviceGetAttribute, "cuDeviceGetAttribute");
  resolve(d.primaryCtxRetain, "cuDevicePrimaryCtxRetain");
  resolve(d.primaryCtxRelease, "cuDevicePrimaryCtxRelease_v2",
          "cuDevicePrimaryCtxRelease");
  resolve(d.ctxSetCurrent, "cuCtxSetCurrent");
  resolve(d.ctxSynchronize, "cuCtxSynchronize");
  resolve(d.moduleLoadDataEx, "cuModuleLoadDataEx");
  resolve(d.moduleUnload, "cuModuleUnload");
  resolve(d.moduleGetFunction, "cuModuleGetFunction");
  resolve(d.funcSetAttribute, "cuFuncSetAttribute");
  resolve(d.memAlloc, "cuMemAlloc_v2");
  resolve(d.memFree, "cuMemFree_v2");
  resolve(d.memcpyHtoD, "cuMemcpyHtoD_v2");
  resolve(d.memcpyDtoH, "cuMemcpyDtoH_v2");
  resolve(d.memcpyDtoD, "cuMemcpyDtoD_v2");
  resolve(d.memsetD8, "cuMemsetD8_v2");
  resolve(d.launchKernel, "cuLaunchKernel");
  resolve(d.eventCreate, "cuEventCreate");
  resolve(d.eventRecord, "cuEventRecord");
  resolve(d.eventSynchronize, "cuEventSynchronize");
  resolve(d.eventElapsedTime, "cuEventElapsedTime_v2", "cuEventElapsedTime");
  resolve(d.eventDestroy, "cuEventDestroy_v2", "cuEventDestroy");
  d.tensorMapEncodeTiled = reinterpret_cast<decltype(d.tensorMapEncodeTiled)>(
      dlsym(handle, "cuTensorMapEncodeTiled"));
  if (!missing.empty()) {
    d.unusable = path + " has no " + missing + " (driver too old?)";
    return d;
  }
  if (CUresult r = d.init(0); r != CUDA_SUCCESS) {
    d.unusable = "cuInit failed: " + d.describe(r);
    return d;
  }
  int count = 0;
  if (CUresult r = d.deviceGetCount(&count); r != CUDA_SUCCESS) {
    d.unusable = "cuDeviceGetCount failed: " + d.describe(r);
    return d;
  }
  if (count == 0)
    d.unusable = "the driver reports no devices";
  return d;
}

static const Driver &driver() {
  static const Driver d = loadDriver();
  return d;
}

/// The device `ordinal`, its name and compute capability (major*10+minor).
static Error openDevice(const Driver &d, int ordinal, CUdevice &device,
                        std::string &name, int &capability) {
  if (!d.unusable.empty())
    return noDevice(d.unusable);
  int count = 0;
  d.deviceGetCount(&count);
  if (ordinal < 0 || ordinal >= count)
    return noDevice("device " + std::to_string(ordinal) +
                    " does not exist (the driver reports " +
                    std::to_string(count) + ")");
  if (CUresult r = d.deviceGet(&device, ordinal); r != CUDA_SUCCESS)
    return noDevice("cuDeviceGet(" + std::to_string(ordinal) +
                    ") failed: " + d.describe(r));
  char buffer[256] = {0};
  if (d.deviceGetName(buffer, sizeof(buffer) - 1, device) != CUDA_SUCCESS)
    std::strcpy(buffer, "unknown GPU");
  name = buffer;
  int major = 0, minor = 0;
  d.deviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR,
                       device);
  d.deviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR,
                       device);
  capability = major * 10 + minor;
  return Error::success();
}

Expected<std::string> mlir::fuse::probeCudaDevice(int ordinal) {
  const Driver &d = driver();
  CUdevice device;
  std::string name;
  int capability = 0;
  if (Error e = openDevice(d, ordinal, device, name, capability))
    return std::move(e);
  return name + " (sm_" + std::to_string(capability) + ")";
}

struct CudaBundleRunner::Impl {
  const Driver &d;
  Bundle bundle;
  CUdevice device = 0;
  CUcontext context = nullptr;
  CUmodule module = nullptr;
  std::vector<CUdeviceptr> allocations;
  std::map<int64_t, CUdeviceptr> address; // buffer id -> device address
  /// Per launch step: the function and its marshalled parameters.
  struct Launch {
    CUfunction function = nullptr;
    std::vector<uint64_t> storage;
    std::vector<void *> args;
  };
  std::vector<Launch> launches;
  bool syncEachStep = false;

  Impl(const Driver &d, const Bundle &bundle) : d(d), bundle(bundle) {}
  ~Impl() {
    if (!context)
      return;
    d.ctxSetCurrent(context);
    d.ctxSynchronize();
    for (CUdeviceptr p : allocations)
      d.memFree(p);
    if (module)
      d.moduleUnload(module);
    d.primaryCtxRelease(device);
  }

  Expected<CUdeviceptr> allocate(size_t bytes, const std::string &what) {
    if (bytes == 0)
      return CUdeviceptr(0);
    CUdeviceptr p = 0;
    if (CUresult r = d.memAlloc(&p, bytes); r != CUDA_SUCCESS)
      return d.fail(r, "cuMemAlloc of " + std::to_string(bytes) +
                           " bytes for " + what);
    allocations.push_back(p);
    return p;
  }

  std::string stepName(size_t i) const {
    const BundleStep &step = bundle.steps[i];
    std::string s = bundle.planPath + ": steps[" + std::to_string(i) + "] (";
    switch (step.op) {
    case BundleStep::Op::Launch:
      return s + "launch " + step.kernel + ")";
    case BundleStep::Op::Copy:
      return s + "copy)";
    case BundleStep::Op::Memset:
      return s + "memset)";
    }
    return s + ")";
  }

  Error runStep(size_t i) {
    const BundleStep &step = bundle.steps[i];
    CUresult r = CUDA_SUCCESS;
    const char *call = "";
    switch (step.op) {
    case BundleStep::Op::Launch: {
      Launch &l = launches[i];
      call = "cuLaunchKernel";
      r = d.launchKernel(l.function, step.grid[0], step.grid[1], step.grid[2],
                         step.block[0], step.block[1], step.block[2],
                         step.sharedBytes, /*hStream=*/nullptr,
                         l.args.empty() ? nullptr : l.args.data(),
                         /*extra=*/nullptr);
      break;
    }
    case BundleStep::Op::Copy:
      call = "cuMemcpyDtoD";
      if (step.bytes)
        r = d.memcpyDtoD(address[step.dst.buffer] + step.dst.byteOffset,
                         address[step.src.buffer] + step.src.byteOffset,
                         step.bytes);
      break;
    case BundleStep::Op::Memset:
      call = "cuMemsetD8";
      if (step.bytes)
        r = d.memsetD8(address[step.dst.buffer] + step.dst.byteOffset,
                       step.value, step.bytes);
      break;
    }
    if (r != CUDA_SUCCESS)
      return d.fail(r, stepName(i) + ": " + call);
    if (syncEachStep)
      if (CUresult s = d.ctxSynchronize(); s != CUDA_SUCCESS)
        return d.fail(s, stepName(i) + ": failed on the device");
    return Error::success();
  }

  Error synchronize() {
    if (CUresult r = d.ctxSynchronize(); r != CUDA_SUCCESS)
      return d.fail(r, bundle.planPath +
                           ": a step failed on the device (run with "
                           "FUSE_CUDA_SYNC_STEPS=1 to name it)");
    return Error::success();
  }
};

CudaBundleRunner::CudaBundleRunner(std::unique_ptr<Impl> impl)
    : impl(std::move(impl)) {}
CudaBundleRunner::~CudaBundleRunner() = default;

/// Parses "sm_90" / "sm_90a" into 90 and whether it is arch-specific.
static bool parseChip(llvm::StringRef chip, int &capability, bool &specific) {
  if (!chip.consume_front("sm_"))
    return false;
  specific = chip.consume_back("a");
  return !chip.getAsInteger(10, capability);
}

/// The cuTensorMapEncodeTiled arguments of plan.json's tensor map `map`
/// (whose global address is `base`): one call, into `out`.
static Error encodeTensorMap(const Driver &d, const Bundle &bundle,
                             const BundleTensorMap &map, CUdeviceptr base,
                             CUtensorMap &out) {
  std::string where =
      bundle.planPath + ": tensor_maps[" + std::to_string(map.id) + "]";
  if (!d.tensorMapEncodeTiled)
    return llvm::createStringError(where +
                                   ": the CUDA driver has no "
                                   "cuTensorMapEncodeTiled (CUDA 12 or newer "
                                   "is needed for TMA)");
  CUtensorMapDataType dtype =
      map.dtype == "f16"    ? CU_TENSOR_MAP_DATA_TYPE_FLOAT16
      : map.dtype == "bf16" ? CU_TENSOR_MAP_DATA_TYPE_BFLOAT16
                            : CU_TENSOR_MAP_DATA_TYPE_FLOAT32;
  CUtensorMapInterleave interleave =
      map.interleave == "16b"   ? CU_TENSOR_MAP_INTERLEAVE_16B
      : map.interleave == "32b" ? CU_TENSOR_MAP_INTERLEAVE_32B
                                : CU_TENSOR_MAP_INTERLEAVE_NONE;
  CUtensorMapSwizzle swizzle =
      map.swizzle == "32b"    ? CU_TENSOR_MAP_SWIZZLE_32B
      : map.swizzle == "64b"  ? CU_TENSOR_MAP_SWIZZLE_64B
      : map.swizzle == "128b" ? CU_TENSOR_MAP_SWIZZLE_128B
                              : CU_TENSOR_MAP_SWIZZLE_NONE;
  CUtensorMapL2promotion l2 =
      map.l2promotion == "64b"    ? CU_TENSOR_MAP_L2_PROMOTION_L2_64B
      : map.l2promotion == "128b" ? CU_TENSOR_MAP_L2_PROMOTION_L2_128B
      : map.l2promotion == "256b" ? CU_TENSOR_MAP_L2_PROMOTION_L2_256B
                                  : CU_TENSOR_MAP_L2_PROMOTION_NONE;
  CUtensorMapFloatOOBfill oob =
      map.oobFill == "nan" ? CU_TENSOR_MAP_FLOAT_OOB_FILL_NAN_REQUEST_ZERO_FMA
                           : CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE;
  std::vector<cuuint64_t> dims(map.dims.begin(), map.dims.end());
  std::vector<cuuint64_t> strides(map.strides.begin(), map.strides.end());
  std::vector<cuuint32_t> box(map.box.begin(), map.box.end());
  std::vector<cuuint32_t> elementStrides(map.elementStrides.begin(),
                                         map.elementStrides.end());
  void *address = reinterpret_cast<void *>(
      static_cast<uintptr_t>(base + map.base.byteOffset));
  if (CUresult r = d.tensorMapEncodeTiled(
          &out, dtype, static_cast<cuuint32_t>(map.rank), address, dims.data(),
          strides.empty() ? nullptr : strides.data(), box.data(),
          elementStrides.data(), interleave, swizzle, l2, oob);
      r != CUDA_SUCCESS)
    return d.fail(r, where + ": cuTensorMapEncodeTiled (buffer " +
                         std::to_string(map.base.buffer) + " at byte offset " +
                         std::to_string(map.base.byteOffset) + ")");
  return Error::success();
}

/// Encodes every tensor map of the bundle and places them in device memory;
/// `out`: each one's device address.
static Error encodeTensorMaps(CudaBundleRunner::Impl &impl,
                              std::vector<CUdeviceptr> &out) {
  const Bundle &bundle = impl.bundle;
  std::vector<CUtensorMap> maps(bundle.tensorMaps.size());
  for (auto [i, map] : llvm::enumerate(bundle.tensorMaps))
    if (Error e = encodeTensorMap(impl.d, bundle, map,
                                  impl.address[map.base.buffer], maps[i]))
      return e;
  size_t bytes = maps.size() * sizeof(CUtensorMap);
  auto device = impl.allocate(bytes, "the tensor maps");
  if (!device)
    return device.takeError();
  if (CUresult r = impl.d.memcpyHtoD(*device, maps.data(), bytes);
      r != CUDA_SUCCESS)
    return impl.d.fail(r, bundle.planPath +
                              ": tensor_maps: cuMemcpyHtoD of the maps");
  for (size_t i = 0; i < maps.size(); ++i)
    out.push_back(*device + i * sizeof(CUtensorMap));
  return Error::success();
}

Expected<std::unique_ptr<CudaBundleRunner>>
CudaBundleRunner::create(const Bundle &bundle, int ordinal) {
  const Driver &d = driver();
  auto impl = std::make_unique<Impl>(d, bundle);
  std::string name;
  int capability = 0;
  if (Error e = openDevice(d, ordinal, impl->device, name, capability))
    return std::move(e);
  int wanted = 0;
  bool specific = false;
  if (parseChip(bundle.chip, wanted, specific) &&
      (capability < wanted || (specific && capability != wanted)))
    return llvm::createStringError(bundle.planPath + ": the bundle is for " +
                                   bundle.chip + " but device " +
                                   std::to_string(ordinal) + " (" + name +
                                   ") is sm_" + std::to_string(capability));

  if (CUresult r = d.primaryCtxRetain(&impl->context, impl->device);
      r != CUDA_SUCCESS) {
    impl->context = nullptr;
    return noDevice("cannot retain the primary context of device " +
                    std::to_string(ordinal) + ": " + d.describe(r));
  }
  if (CUresult r = d.ctxSetCurrent(impl->context); r != CUDA_SUCCESS)
    return d.fail(r, "cuCtxSetCurrent");
  const char *sync = std::getenv("FUSE_CUDA_SYNC_STEPS");
  impl->syncEachStep = sync && *sync && std::string(sync) != "0";

  // JIT-compile the PTX, with ptxas's log on failure.
  auto ptx = llvm::MemoryBuffer::getFile(bundle.ptxPath, /*IsText=*/true,
                                         /*RequiresNullTerminator=*/true);
  if (!ptx)
    return llvm::createStringError(
        bundle.ptxPath + ": cannot read: " + ptx.getError().message());
  std::vector<char> errorLog(1 << 16, 0), infoLog(1 << 14, 0);
  CUjit_option options[] = {
      CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
      CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {
      errorLog.data(), reinterpret_cast<void *>(uintptr_t(errorLog.size() - 1)),
      infoLog.data(), reinterpret_cast<void *>(uintptr_t(infoLog.size() - 1))};
  if (CUresult r = d.moduleLoadDataEx(&impl->module, (*ptx)->getBufferStart(),
                                      std::size(options), options, values);
      r != CUDA_SUCCESS) {
    impl->module = nullptr;
    std::string log = llvm::StringRef(errorLog.data()).trim().str();
    return llvm::createStringError(
        bundle.ptxPath + ": the driver cannot load the PTX for " + name + ": " +
        d.describe(r) + (log.empty() ? "" : "\n" + log));
  }

  // Buffers: inputs and outputs on their own, weights and arena as one
  // allocation each.
  auto weights = llvm::MemoryBuffer::getFile(bundle.weightsPath,
                                             /*IsText=*/false,
                                             /*RequiresNullTerminator=*/false);
  if (!weights)
    return llvm::createStringError(
        bundle.weightsPath + ": cannot read: " + weights.getError().message());
  if ((*weights)->getBufferSize() != bundle.weightsFileBytes)
    return llvm::createStringError(bundle.weightsPath +
                                   ": changed size while loading");
  auto weightsBase = impl->allocate((*weights)->getBufferSize(), "weights");
  if (!weightsBase)
    return weightsBase.takeError();
  if ((*weights)->getBufferSize())
    if (CUresult r = d.memcpyHtoD(*weightsBase, (*weights)->getBufferStart(),
                                  (*weights)->getBufferSize());
        r != CUDA_SUCCESS)
      return d.fail(r, bundle.weightsPath + ": cuMemcpyHtoD");
  auto arena = impl->allocate(bundle.arenaBytes, "the arena");
  if (!arena)
    return arena.takeError();
  for (const BundleBuffer &b : bundle.buffers) {
    switch (b.kind) {
    case BundleBufferKind::Weight:
      impl->address[b.id] = *weightsBase + b.weightsOffset;
      break;
    case BundleBufferKind::Arena:
      impl->address[b.id] = *arena + b.offset;
      break;
    case BundleBufferKind::Input:
    case BundleBufferKind::Output: {
      auto p = impl->allocate(b.bytes, "buffer " + std::to_string(b.id) +
                                           " ('" + b.name + "')");
      if (!p)
        return p.takeError();
      impl->address[b.id] = *p;
      break;
    }
    }
  }

  // TMA tensor maps: encoded once for the buffers' device addresses and
  // placed in one device allocation (128 bytes each, 64-byte aligned: the
  // allocation is 256-byte aligned); a launch passes a map's address.
  std::vector<CUdeviceptr> tensorMapAddress;
  if (!bundle.tensorMaps.empty()) {
    if (Error e = encodeTensorMaps(*impl, tensorMapAddress))
      return std::move(e);
  }

  // Kernels: resolve each once; a kernel needing more than 48 KiB of dynamic
  // shared memory is opted in to the largest size any of its launches uses.
  std::map<std::string, CUfunction> functions;
  std::map<std::string, uint32_t> maxShared;
  impl->launches.resize(bundle.steps.size());
  for (auto [i, step] : llvm::enumerate(bundle.steps)) {
    if (step.op != BundleStep::Op::Launch)
      continue;
    CUfunction &f = functions[step.kernel];
    if (!f)
      if (CUresult r =
              d.moduleGetFunction(&f, impl->module, step.kernel.c_str());
          r != CUDA_SUCCESS)
        return d.fail(r, impl->stepName(i) + ": no kernel '" + step.kernel +
                             "' in " + bundle.ptxPath);
    maxShared[step.kernel] = std::max(maxShared[step.kernel], step.sharedBytes);
    Impl::Launch &l = impl->launches[i];
    l.function = f;
    l.storage.assign(step.params.size(), 0);
    for (auto [j, p] : llvm::enumerate(step.params)) {
      void *slot = &l.storage[j];
      switch (p.type) {
      case BundleParam::Type::Ptr: {
        uint64_t v = impl->address[p.ref.buffer] + p.ref.byteOffset;
        std::memcpy(slot, &v, sizeof(v));
        break;
      }
      case BundleParam::Type::I64: {
        int64_t v = p.intValue;
        std::memcpy(slot, &v, sizeof(v));
        break;
      }
      case BundleParam::Type::I32: {
        int32_t v = static_cast<int32_t>(p.intValue);
        std::memcpy(slot, &v, sizeof(v));
        break;
      }
      case BundleParam::Type::F32: {
        float v = static_cast<float>(p.floatValue);
        std::memcpy(slot, &v, sizeof(v));
        break;
      }
      case BundleParam::Type::F64: {
        double v = p.floatValue;
        std::memcpy(slot, &v, sizeof(v));
        break;
      }
      case BundleParam::Type::TensorMap: {
        uint64_t v = tensorMapAddress[p.tensorMap];
        std::memcpy(slot, &v, sizeof(v));
        break;
      }
      }
    }
    for (uint64_t &slot : l.storage)
      l.args.push_back(&slot);
  }
  for (const auto &[kernel, shared] : maxShared) {
    if (shared <= 48 * 1024)
      continue;
    if (CUresult r = d.funcSetAttribute(
            functions[kernel], CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
            static_cast<int>(shared));
        r != CUDA_SUCCESS)
      return d.fail(r, bundle.planPath + ": kernel " + kernel + " needs " +
                           std::to_string(shared) +
                           " bytes of dynamic shared memory on " + name);
  }
  return std::unique_ptr<CudaBundleRunner>(
      new CudaBundleRunner(std::move(impl)));
}

Error CudaBundleRunner::setInputs(llvm::ArrayRef<llvm::ArrayRef<char>> inputs) {
  const Bundle &bundle = impl->bundle;
  if (inputs.size() != bundle.inputs.size())
    return llvm::createStringError(bundle.planPath + ": " +
                                   std::to_string(inputs.size()) +
                                   " inputs given, the bundle has " +
                                   std::to_string(bundle.inputs.size()));
  impl->d.ctxSetCurrent(impl->context);
  for (auto [io, data] : llvm::zip_equal(bundle.inputs, inputs)) {
    const BundleBuffer *b = bundle.lookup(io.buffer);
    if (static_cast<int64_t>(data.size()) != b->bytes)
      return llvm::createStringError(bundle.planPath + ": input '" + io.name +
                                     "' has " + std::to_string(data.size()) +
                                     " bytes, expected " +
                                     std::to_string(b->bytes));
    if (b->bytes)
      if (CUresult r = impl->d.memcpyHtoD(impl->address[b->id], data.data(),
                                          data.size());
          r != CUDA_SUCCESS)
        return impl->d.fail(r, "input '" + io.name + "': cuMemcpyHtoD");
  }
  return Error::success();
}

Error CudaBundleRunner::run() {
  impl->d.ctxSetCurrent(impl->context);
  for (size_t i = 0; i < impl->bundle.steps.size(); ++i)
    if (Error e = impl->runStep(i))
      return e;
  return impl->synchronize();
}

static double median(std::vector<double> values) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

Expected<BundleTiming> CudaBundleRunner::time(unsigned runs) {
  const Driver &d = impl->d;
  const Bundle &bundle = impl->bundle;
  if (runs == 0)
    runs = 1;
  if (Error e = run()) // warm-up
    return std::move(e);
  size_t n = bundle.steps.size();
  std::vector<CUevent> events(n + 1, nullptr);
  llvm::scope_exit destroy([&] {
    for (CUevent e : events)
      if (e)
        d.eventDestroy(e);
  });
  for (CUevent &e : events)
    if (CUresult r = d.eventCreate(&e, CU_EVENT_DEFAULT); r != CUDA_SUCCESS) {
      e = nullptr;
      return d.fail(r, "cuEventCreate");
    }
  std::vector<std::vector<double>> stepMs(n);
  std::vector<double> totalMs;
  for (unsigned run = 0; run < runs; ++run) {
    if (CUresult r = d.eventRecord(events[0], nullptr); r != CUDA_SUCCESS)
      return d.fail(r, "cuEventRecord");
    for (size_t i = 0; i < n; ++i) {
      if (Error e = impl->runStep(i))
        return std::move(e);
      if (CUresult r = d.eventRecord(events[i + 1], nullptr); r != CUDA_SUCCESS)
        return d.fail(r, "cuEventRecord");
    }
    if (CUresult r = d.eventSynchronize(events[n]); r != CUDA_SUCCESS)
      return d.fail(r, bundle.planPath + ": a step failed on the device");
    for (size_t i = 0; i < n; ++i) {
      float ms = 0;
      if (CUresult r = d.eventElapsedTime(&ms, events[i], events[i + 1]);
          r != CUDA_SUCCESS)
        return d.fail(r, "cuEventElapsedTime");
      stepMs[i].push_back(ms);
    }
    float ms = 0;
    if (CUresult r = d.eventElapsedTime(&ms, events[0], events[n]);
        r != CUDA_SUCCESS)
      return d.fail(r, "cuEventElapsedTime");
    totalMs.push_back(ms);
  }
  BundleTiming timing;
  timing.runs = runs;
  for (size_t i = 0; i < n; ++i) {
    const BundleStep &step = bundle.steps[i];
    std::string label = step.op == BundleStep::Op::Launch ? step.kernel
                        : step.op == BundleStep::Op::Copy ? "copy"
                                                          : "memset";
    timing.steps.push_back({i, label, median(stepMs[i])});
  }
  timing.totalMedianMs = median(totalMs);
  return timing;
}

Expected<std::vector<std::vector<char>>> CudaBundleRunner::getOutputs() {
  const Bundle &bundle = impl->bundle;
  impl->d.ctxSetCurrent(impl->context);
  std::vector<std::vector<char>> outputs;
  for (const BundleIO &io : bundle.outputs) {
    const BundleBuffer *b = bundle.lookup(io.buffer);
    std::vector<char> data(b->bytes);
    if (b->bytes)
      if (CUresult r = impl->d.memcpyDtoH(data.data(), impl->address[b->id],
                                          data.size());
          r != CUDA_SUCCESS)
        return impl->d.fail(r, "output '" + io.name + "': cuMemcpyDtoH");
    outputs.push_back(std::move(data));
  }
  return outputs;
}

#else // !FUSE_HAVE_CUDA_H

static Error noHeaders() {
  return noDevice("fuse was built without CUDA headers (cuda.h)");
}

struct CudaBundleRunner::Impl {};

Expected<std::string> mlir::fuse::probeCudaDevice(int) { return noHeaders(); }
CudaBundleRunner::CudaBundleRunner(std::unique_ptr<Impl> impl)
    : impl(std::move(impl)) {}
CudaBundleRunner::~CudaBundleRunner() = default;
Expected<std::unique_ptr<CudaBundleRunner>>
CudaBundleRunner::create(const Bundle &, int) {
  return noHeaders();
}
Error CudaBundleRunner::setInputs(llvm::ArrayRef<llvm::ArrayRef<char>>) {
  return noHeaders();
}
Error CudaBundleRunner::run() { return noHeaders(); }
Expected<BundleTiming> CudaBundleRunner::time(unsigned) { return noHeaders(); }
Expected<std::vector<std::vector<char>>> CudaBundleRunner::getOutputs() {
  return noHeaders();
}

#endif // FUSE_HAVE_CUDA_H
