//===- MockCuda.cpp - A host-memory stand-in for libcuda.so.1 -------------===//
//
// Test-only. Implements the driver entry points the bundle runtime resolves,
// on host memory: device pointers are host pointers, copies are memcpy, and
// the kernels of test/Runtime/Inputs/add_axpy.ptx (add_f32, axpy_f32) run as
// C++ over the launch's grid and block, reading their parameters exactly as
// the PTX declares them (u64, u64, u64, s64 / u64, u64, f32, s32). That lets
// fuse-run --device=cuda be tested end to end without a GPU
// (FUSE_CUDA_LIBRARY=<this library>): marshalling, buffer addressing, copies,
// memsets, timing and output downloads.
//
// Also checks the runtime's use of the API: a launch with more than 48 KiB of
// dynamic shared memory must follow cuFuncSetAttribute, every pointer must
// lie inside an allocation, every allocation is freed before exit
// (FUSE_MOCK_CUDA_LOG=FILE records the calls).
//
// TMA: cuTensorMapEncodeTiled checks the driver's documented limits and
// writes its arguments into the (opaque to the runtime) 128-byte map as a
// MockTensorMap; the kernel tma_probe (params: u64 map, u64 out) checks
// that the map lies 64-byte aligned inside an allocation, and copies the
// map and the first element it addresses (2 or 4 bytes) to out.
//
//===----------------------------------------------------------------------===//

#include <cuda.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace {
struct Function {
  std::string name;
  int maxDynamicShared = 48 * 1024;
};
struct State {
  std::map<uintptr_t, size_t> allocations;
  std::map<std::string, Function *> functions;
  FILE *log = nullptr;
  bool initialized = false;
  State() {
    if (const char *path = std::getenv("FUSE_MOCK_CUDA_LOG"))
      log = std::fopen(path, "a");
  }
  ~State() {
    if (log) {
      std::fprintf(log, "exit: %zu allocations live\n", allocations.size());
      std::fclose(log);
    }
  }
  /// Whether [p, p + bytes) lies inside one allocation.
  bool inside(uintptr_t p, size_t bytes) const {
    auto it = allocations.upper_bound(p);
    if (it == allocations.begin())
      return false;
    --it;
    return p >= it->first && p + bytes <= it->first + it->second;
  }
};
State &state() {
  static State s;
  return s;
}
void logf(const char *fmt, const std::string &a, long long b = 0,
          long long c = 0) {
  if (FILE *f = state().log) {
    std::fprintf(f, fmt, a.c_str(), b, c);
    std::fputc('\n', f);
  }
}
/// What the mock's tensor maps hold (fits the 128 bytes of a CUtensorMap).
struct MockTensorMap {
  uint32_t magic; // 'TMAP'
  uint8_t dtype, rank, interleave, swizzle, l2, oob, pad[2];
  uint64_t address;
  uint32_t dims[5];
  uint64_t strides[4];
  uint32_t box[5];
  uint8_t elementStrides[5];
};
static_assert(sizeof(MockTensorMap) <= sizeof(CUtensorMap), "fits");
} // namespace

extern "C" {

CUresult CUDAAPI cuTensorMapEncodeTiled(
    CUtensorMap *tensorMap, CUtensorMapDataType dtype, cuuint32_t rank,
    void *address, const cuuint64_t *dims, const cuuint64_t *strides,
    const cuuint32_t *box, const cuuint32_t *elementStrides,
    CUtensorMapInterleave interleave, CUtensorMapSwizzle swizzle,
    CUtensorMapL2promotion l2, CUtensorMapFloatOOBfill oob) {
  // The documented requirements: a 16-byte aligned address inside device
  // memory, rank 1..5, strides multiples of 16, boxes of at most 256, the
  // innermost box row inside the swizzle span.
  uintptr_t p = reinterpret_cast<uintptr_t>(address);
  if (!tensorMap || rank < 1 || rank > 5 || p % 16 || !state().inside(p, 1))
    return CUDA_ERROR_INVALID_VALUE;
  size_t elementBytes = dtype == CU_TENSOR_MAP_DATA_TYPE_FLOAT32 ? 4 : 2;
  for (cuuint32_t i = 0; i < rank; ++i)
    if (box[i] < 1 || box[i] > 256 || elementStrides[i] < 1 ||
        elementStrides[i] > 8 || dims[i] < 1)
      return CUDA_ERROR_INVALID_VALUE;
  for (cuuint32_t i = 0; i + 1 < rank; ++i)
    if (strides[i] % 16)
      return CUDA_ERROR_INVALID_VALUE;
  size_t span = swizzle == CU_TENSOR_MAP_SWIZZLE_128B  ? 128
                : swizzle == CU_TENSOR_MAP_SWIZZLE_64B ? 64
                : swizzle == CU_TENSOR_MAP_SWIZZLE_32B ? 32
                                                       : 0;
  if (span && box[0] * elementBytes > span)
    return CUDA_ERROR_INVALID_VALUE;
  MockTensorMap m = {};
  m.magic = 0x50414d54;
  m.dtype = static_cast<uint8_t>(dtype);
  m.rank = static_cast<uint8_t>(rank);
  m.interleave = static_cast<uint8_t>(interleave);
  m.swizzle = static_cast<uint8_t>(swizzle);
  m.l2 = static_cast<uint8_t>(l2);
  m.oob = static_cast<uint8_t>(oob);
  m.address = p;
  for (cuuint32_t i = 0; i < rank; ++i) {
    m.dims[i] = static_cast<uint32_t>(dims[i]);
    m.box[i] = box[i];
    m.elementStrides[i] = static_cast<uint8_t>(elementStrides[i]);
    if (i + 1 < rank)
      m.strides[i] = strides[i];
  }
  std::memset(tensorMap, 0, sizeof(CUtensorMap));
  std::memcpy(tensorMap, &m, sizeof(m));
  logf("cuTensorMapEncodeTiled rank %lld swizzle %lld", "", rank, swizzle);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuGetErrorName(CUresult error, const char **str) {
  switch (error) {
  case CUDA_SUCCESS:
    *str = "CUDA_SUCCESS";
    break;
  case CUDA_ERROR_INVALID_VALUE:
    *str = "CUDA_ERROR_INVALID_VALUE";
    break;
  case CUDA_ERROR_INVALID_PTX:
    *str = "CUDA_ERROR_INVALID_PTX";
    break;
  case CUDA_ERROR_NOT_FOUND:
    *str = "CUDA_ERROR_NOT_FOUND";
    break;
  case CUDA_ERROR_ILLEGAL_ADDRESS:
    *str = "CUDA_ERROR_ILLEGAL_ADDRESS";
    break;
  default:
    *str = "CUDA_ERROR_UNKNOWN";
  }
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuGetErrorString(CUresult error, const char **str) {
  *str = error == CUDA_SUCCESS ? "no error" : "mock driver error";
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuInit(unsigned int) {
  state().initialized = true;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGetCount(int *count) {
  *count = 1;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGet(CUdevice *device, int ordinal) {
  if (ordinal != 0)
    return CUDA_ERROR_INVALID_DEVICE;
  *device = 0;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice) {
  std::snprintf(name, len, "Mock GPU");
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceGetAttribute(int *value, CUdevice_attribute attribute,
                                      CUdevice) {
  const char *cc = std::getenv("FUSE_MOCK_CUDA_SM");
  int sm = cc ? std::atoi(cc) : 80;
  if (attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
    *value = sm / 10;
  else if (attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)
    *value = sm % 10;
  else
    *value = 0;
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *context, CUdevice) {
  *context = reinterpret_cast<CUcontext>(uintptr_t(0x1000));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDevicePrimaryCtxRelease(CUdevice) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuCtxSetCurrent(CUcontext) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuCtxSynchronize(void) { return CUDA_SUCCESS; }

CUresult CUDAAPI cuModuleLoadDataEx(CUmodule *module, const void *image,
                                    unsigned int numOptions,
                                    CUjit_option *options,
                                    void **optionValues) {
  std::string ptx = static_cast<const char *>(image);
  // A stand-in for ptxas: an f33 type is an error, reported in the log.
  size_t bad = ptx.find(".f33");
  if (bad != std::string::npos) {
    char *log = nullptr;
    size_t size = 0;
    for (unsigned i = 0; i < numOptions; ++i) {
      if (options[i] == CU_JIT_ERROR_LOG_BUFFER)
        log = static_cast<char *>(optionValues[i]);
      if (options[i] == CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES)
        size = reinterpret_cast<uintptr_t>(optionValues[i]);
    }
    if (log && size)
      std::snprintf(log, size,
                    "ptxas application ptx input, line 1; error   : Unknown "
                    "modifier '.f33'");
    return CUDA_ERROR_INVALID_PTX;
  }
  auto *functions = new std::map<std::string, Function>;
  for (const char *name : {"add_f32", "axpy_f32", "tma_probe"})
    if (ptx.find(std::string(".entry ") + name) != std::string::npos)
      (*functions)[name].name = name;
  *module = reinterpret_cast<CUmodule>(functions);
  logf("cuModuleLoadDataEx %s", "");
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuModuleUnload(CUmodule module) {
  delete reinterpret_cast<std::map<std::string, Function> *>(module);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuModuleGetFunction(CUfunction *function, CUmodule module,
                                     const char *name) {
  auto *functions = reinterpret_cast<std::map<std::string, Function> *>(module);
  auto it = functions->find(name);
  if (it == functions->end())
    return CUDA_ERROR_NOT_FOUND;
  *function = reinterpret_cast<CUfunction>(&it->second);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuFuncSetAttribute(CUfunction function,
                                    CUfunction_attribute attribute, int value) {
  auto *f = reinterpret_cast<Function *>(function);
  if (attribute == CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES) {
    if (value > 227 * 1024)
      return CUDA_ERROR_INVALID_VALUE;
    f->maxDynamicShared = value;
  }
  logf("cuFuncSetAttribute %s %lld", f->name, value);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuMemAlloc(CUdeviceptr *p, size_t bytes) {
  if (bytes == 0)
    return CUDA_ERROR_INVALID_VALUE;
  void *memory = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
  // Garbage, so that a buffer the plan forgets to write shows.
  std::memset(memory, 0x7f, bytes);
  *p = reinterpret_cast<CUdeviceptr>(memory);
  state().allocations[*p] = bytes;
  logf("cuMemAlloc %s%lld", "", static_cast<long long>(bytes));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemFree(CUdeviceptr p) {
  if (!state().allocations.erase(p))
    return CUDA_ERROR_INVALID_VALUE;
  std::free(reinterpret_cast<void *>(p));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemcpyHtoD(CUdeviceptr dst, const void *src, size_t bytes) {
  if (!state().inside(dst, bytes))
    return CUDA_ERROR_INVALID_VALUE;
  std::memcpy(reinterpret_cast<void *>(dst), src, bytes);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemcpyDtoH(void *dst, CUdeviceptr src, size_t bytes) {
  if (!state().inside(src, bytes))
    return CUDA_ERROR_INVALID_VALUE;
  std::memcpy(dst, reinterpret_cast<void *>(src), bytes);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemcpyDtoD(CUdeviceptr dst, CUdeviceptr src, size_t bytes) {
  if (!state().inside(dst, bytes) || !state().inside(src, bytes))
    return CUDA_ERROR_INVALID_VALUE;
  std::memmove(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src),
               bytes);
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemsetD8(CUdeviceptr dst, unsigned char value,
                            size_t bytes) {
  if (!state().inside(dst, bytes))
    return CUDA_ERROR_INVALID_VALUE;
  std::memset(reinterpret_cast<void *>(dst), value, bytes);
  return CUDA_SUCCESS;
}

CUresult CUDAAPI cuLaunchKernel(CUfunction function, unsigned gx, unsigned gy,
                                unsigned gz, unsigned bx, unsigned by,
                                unsigned bz, unsigned shared, CUstream,
                                void **params, void **extra) {
  auto *f = reinterpret_cast<Function *>(function);
  if (extra || !params || gy != 1 || gz != 1 || by != 1 || bz != 1)
    return CUDA_ERROR_INVALID_VALUE;
  if (static_cast<int>(shared) > f->maxDynamicShared)
    return CUDA_ERROR_INVALID_VALUE;
  logf("cuLaunchKernel %s threads %lld shared %lld", f->name,
       static_cast<long long>(gx) * bx, shared);
  int64_t threads = static_cast<int64_t>(gx) * bx;
  if (f->name == "add_f32") {
    float *a, *b, *c;
    int64_t n;
    std::memcpy(&a, params[0], 8);
    std::memcpy(&b, params[1], 8);
    std::memcpy(&c, params[2], 8);
    std::memcpy(&n, params[3], 8);
    int64_t count = std::min(n, threads);
    if (count > 0 && (!state().inside(uintptr_t(a), 4 * count) ||
                      !state().inside(uintptr_t(b), 4 * count) ||
                      !state().inside(uintptr_t(c), 4 * count)))
      return CUDA_ERROR_ILLEGAL_ADDRESS;
    for (int64_t i = 0; i < count; ++i)
      c[i] = a[i] + b[i];
    return CUDA_SUCCESS;
  }
  if (f->name == "axpy_f32") {
    float *x, *y, alpha;
    int32_t n;
    std::memcpy(&x, params[0], 8);
    std::memcpy(&y, params[1], 8);
    std::memcpy(&alpha, params[2], 4);
    std::memcpy(&n, params[3], 4);
    int64_t count = std::min<int64_t>(n, threads);
    if (count > 0 && (!state().inside(uintptr_t(x), 4 * count) ||
                      !state().inside(uintptr_t(y), 4 * count)))
      return CUDA_ERROR_ILLEGAL_ADDRESS;
    for (int64_t i = 0; i < count; ++i)
      y[i] = __builtin_fmaf(alpha, x[i], y[i]);
    return CUDA_SUCCESS;
  }
  if (f->name == "tma_probe") {
    char *map, *out;
    std::memcpy(&map, params[0], 8);
    std::memcpy(&out, params[1], 8);
    if (reinterpret_cast<uintptr_t>(map) % 64)
      return CUDA_ERROR_MISALIGNED_ADDRESS;
    if (!state().inside(uintptr_t(map), sizeof(CUtensorMap)) ||
        !state().inside(uintptr_t(out), sizeof(CUtensorMap) + 4))
      return CUDA_ERROR_ILLEGAL_ADDRESS;
    MockTensorMap m;
    std::memcpy(&m, map, sizeof(m));
    if (m.magic != 0x50414d54)
      return CUDA_ERROR_INVALID_VALUE;
    size_t bytes = m.dtype == CU_TENSOR_MAP_DATA_TYPE_FLOAT32 ? 4 : 2;
    if (!state().inside(m.address, bytes))
      return CUDA_ERROR_ILLEGAL_ADDRESS;
    std::memcpy(out, map, sizeof(CUtensorMap));
    std::memcpy(out + sizeof(CUtensorMap),
                reinterpret_cast<const void *>(m.address), bytes);
    return CUDA_SUCCESS;
  }
  return CUDA_ERROR_INVALID_VALUE;
}

// Events: host timestamps.
CUresult CUDAAPI cuEventCreate(CUevent *event, unsigned int) {
  *event = reinterpret_cast<CUevent>(new double(0));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuEventRecord(CUevent event, CUstream) {
  *reinterpret_cast<double *>(event) =
      std::chrono::duration<double, std::milli>(
          std::chrono::steady_clock::now().time_since_epoch())
          .count();
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuEventSynchronize(CUevent) { return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventElapsedTime(float *ms, CUevent start, CUevent end) {
  *ms = static_cast<float>(*reinterpret_cast<double *>(end) -
                           *reinterpret_cast<double *>(start));
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuEventDestroy(CUevent event) {
  delete reinterpret_cast<double *>(event);
  return CUDA_SUCCESS;
}

} // extern "C"
