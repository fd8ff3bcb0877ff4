//===- GlibcCompat.cpp - Run on glibc older than the build machine's ------===//
//
// LLVMSupport's Process.o (pulled in by its file-system code) calls
// arc4random when the machine that built LLVM had it (glibc 2.36). Defining
// it here keeps fuse-cuda-run from needing GLIBC_2.36, so the binary runs on
// any glibc from 2.34 on (Ubuntu 22.04, RHEL 9): test/Runtime/fuse-cuda-run-
// ldd.test checks the newest glibc symbol version it needs.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdio>
#include <sys/random.h>

extern "C" uint32_t arc4random(void) {
  uint32_t value = 0;
  if (getrandom(&value, sizeof(value), 0) == sizeof(value))
    return value;
  if (FILE *f = std::fopen("/dev/urandom", "rb")) {
    size_t read = std::fread(&value, sizeof(value), 1, f);
    std::fclose(f);
    if (read == 1)
      return value;
  }
  return 0x9e3779b9u; // no entropy source (LLVM uses it for temp names)
}
