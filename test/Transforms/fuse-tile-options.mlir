// Overrides (checked by the cost model: mma_sync needs a tensor-core
// precision, hence tf32), targets, precisions and the tuning database of
// --fuse-tile.
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile="precision=tf32 tile-config=0=mma_sync:BM=64,BN=128,BK=32,stages=2,warps=4 materialize=false" | FileCheck %s --check-prefix=OVERRIDE
// OVERRIDE: fuse.tile = #fuse.tile<"mma_sync", {BK = 32 : i64, BM = 64 : i64, BN = 128 : i64, stages = 2 : i64, warps = 4 : i64}>
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile="precision=tf32 tile-config=0=mma_sync:BM=64,BN=128,BK=32,stages=2,warps=4" --canonicalize | FileCheck %s --check-prefix=OVERRIDE-TILED
// OVERRIDE-TILED: scf.forall ({{.*}}, {{.*}}) = (0, 0) to (4096, 4096) step (64, 128)
//
// The cost model decides the implementation: bf16 on H100 takes the
// warpgroup (wgmma) path, on A100 (sm_80) mma.sync; fp32 uses the FMA path.
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile="precision=bf16 materialize=false" | FileCheck %s --check-prefix=H100
// H100: fuse.tile = #fuse.tile<"wgmma",
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile="target=a100 precision=bf16 materialize=false" | FileCheck %s --check-prefix=A100
// A100: fuse.tile = #fuse.tile<"mma_sync",
// The GEMM space is tuned by additive decomposition (main loop and
// epilogue share only `warps`): fewer points are costed than the joint
// space has.
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile="materialize=false" | FileCheck %s --check-prefix=FP32
// FP32: fuse.tuning = {costed_points = [[COSTED:[0-9]+]] : i64, from_database = 0 : i64, groups = 1 : i64, joint_points = [[JOINT:[0-9]+]] : i64
// FP32: fuse.tile = #fuse.tile<"fma_gemm",
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile="materialize=false" | %python -c "import re,sys; t=sys.stdin.read(); c=int(re.search(r'costed_points = (\d+)', t).group(1)); j=int(re.search(r'joint_points = (\d+)', t).group(1)); print('decomposed', c < j, j // c)" | FileCheck %s --check-prefix=SMALLER
// SMALLER: decomposed True
//
// A tuning database: the second compile reuses the first one's choice.
// RUN: rm -f %t.db
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile="precision=bf16 tuning-db=%t.db materialize=false" | FileCheck %s --check-prefix=DB1
// DB1: from_database = 0 : i64
// DB1: fuse.tile = #fuse.tile<"wgmma",
// RUN: fuse-opt %s --fuse-form-groups --fuse-tile="precision=bf16 tuning-db=%t.db materialize=false" | FileCheck %s --check-prefix=DB2
// DB2: costed_points = 0 : i64, from_database = 1 : i64
// DB2: fuse.tile = #fuse.tile<"wgmma",
func.func @gemm(%x: tensor<4096x4096xf32>, %w: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %m = fuse.matmul %x, %w : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  %r = fuse.relu %m : tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}
