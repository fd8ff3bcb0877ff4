// RUN: fuse-opt %s -split-input-file --fuse-form-groups --fuse-gpu-pipeline -verify-diagnostics
// RUN: not fuse-opt %s -split-input-file --fuse-form-groups --fuse-tile=materialize=false --fuse-gpu-pipeline 2>&1 | FileCheck %s --check-prefix=ATTR
// RUN: not fuse-opt %s --fuse-form-groups --fuse-tile --fuse-gpu-pipeline=chip=gfx90a 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not fuse-opt %s --fuse-form-groups --fuse-tile "--fuse-gpu-pipeline=cuda-path='/usr/local/cuda,x'" 2>&1 | FileCheck %s --check-prefix=BADPATH
// RUN: not fuse-opt %s --fuse-form-groups --fuse-tile "--fuse-gpu-pipeline=cuda-path=%t.nocuda" 2>&1 | FileCheck %s --check-prefix=NOCUDA -DDIR=%t.nocuda
// RUN: not fuse-opt %s -split-input-file --fuse-gpu-pipeline 2>&1 | FileCheck %s --check-prefix=UNGROUPED

// A group that is formed but not tiled is an error naming the group.
// ATTR: error: 'fuse.group' op is not tiled for the GPU (no scf.forall mapped to #gpu.block in its body); its fuse.tile choice is not materialized; run --fuse-tile before --fuse-gpu-pipeline
// CHIP: error: fuse-gpu-pipeline: invalid chip 'gfx90a' (expected sm_<digits>, e.g. sm_80, sm_90, sm_90a)
// BADPATH: error: fuse-gpu-pipeline: invalid cuda-path '/usr/local/cuda,x'
// NOCUDA: error: fuse-gpu-pipeline: no libdevice in the CUDA toolkit '[[DIR]]' (expected [[DIR]]/nvvm/libdevice/libdevice.10.bc); set cuda-path
//
// Without fuse-form-groups the fuse ops are outside any group: an error
// naming the first (a module with no group and no fuse op but constants has
// nothing to compute and gets no kernel: e2e/bundle-no-kernels.test).
// UNGROUPED: error: fuse-gpu-pipeline: 'fuse.exp' is not in a fuse.group (the module has none); run --fuse-form-groups --fuse-tile first
func.func @untiled(%x: tensor<64x256xf32>) -> tensor<64x256xf32> {
  // expected-error @below {{'fuse.group' op is not tiled for the GPU (no scf.forall mapped to #gpu.block in its body); run --fuse-tile before --fuse-gpu-pipeline}}
  %e = fuse.exp %x : tensor<64x256xf32>
  %r = fuse.relu %e : tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

