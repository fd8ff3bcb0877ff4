#!/usr/bin/env bash
# Configures (once) and builds Fuse in build/. Quiet when up to date.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FUSE_BUILD_DIR:-$root/build}"
if [ ! -f "$build/build.ninja" ]; then
  cc=clang-22; cxx=clang++-22
  command -v "$cxx" >/dev/null 2>&1 || { cc=gcc; cxx=g++; }
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit >"$build.configure.log" 2>&1 \
    || { cat "$build.configure.log"; echo "error: cmake configure failed" >&2; exit 1; }
fi
ninja -C "$build" ${FUSE_NINJA_FLAGS:-} all mlir-doc | grep -v '^ninja: no work to do' || true
test "${PIPESTATUS[0]}" -eq 0
