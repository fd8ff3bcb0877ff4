#!/usr/bin/env bash
# Installs what Fuse needs that is missing (Debian packages, npm packages),
# then configures and builds. Idempotent; quiet when everything is present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  # toolchain and MLIR 22
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22
  libclang-rt-22-dev cmake ninja-build ccache
  # tests
  googletest libgtest-dev python3 python3-numpy
  # the Python package (python/) and its tests
  pybind11-dev python3-dev python3-pytest
  # tuning database
  libsqlite3-dev
  # fusion report pictures (fuse-compile --fuse-report-dot)
  graphviz
  # ONNX front end
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx
  # npm packages (reference runtime, real models)
  nodejs npm
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
# node/npm may come from outside Debian; accept working binaries.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for pkg in "${missing[@]}"; do
    case "$pkg" in nodejs|npm) ;; *) filtered+=("$pkg") ;; esac
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -x "$root/scripts/install-npm-deps.sh" ] || [ -f "$root/scripts/install-npm-deps.sh" ]; then
  bash "$root/scripts/install-npm-deps.sh" >/dev/null
fi

bash "$root/scripts/build.sh"

# Make the Python package (build/python/fuse) importable for /usr/bin/python3:
# a .pth file in its site directory pointing at build/python. Rewritten only
# when it points elsewhere.
build="${FUSE_BUILD_DIR:-$root/build}"
if [ -d "$build/python/fuse" ]; then
  site="${FUSE_PTH_DIR:-$(/usr/bin/python3 -c 'import sys; print("/usr/local/lib/python%d.%d/dist-packages" % sys.version_info[:2])')}"
  pth="$site/fuse-build.pth"
  if [ "$(cat "$pth" 2>/dev/null)" != "$build/python" ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || [ -w "$site" ] || sudo="sudo"
    $sudo mkdir -p "$site"
    echo "$build/python" | $sudo tee "$pth" >/dev/null
  fi
fi
