#!/usr/bin/env bash
# Sets up Fuse and runs the main job on the shipped example: canonicalize the
# graph and print each op's DNNFusion mapping type, FLOPs and bytes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
example="${1:-$root/examples/resnet_block.mlir}"
"$root/build/bin/fuse-opt" "$example" --canonicalize \
  --fuse-annotate-cost=print-table
