// RUN: fuse-opt %s --fuse-annotate-cost | FileCheck %s
// RUN: fuse-opt %s --fuse-annotate-cost=print-table=1 -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE

// Grouped strided conv with bias: out = 1x64x28x28 = 50176 elements;
// FLOPs = 2 * 50176 * (32/4 channels) * 3*3 + 50176 (bias) = 7275520.
// Bytes read = (32*56*56 + 64*8*3*3 + 64) * 4 = 420096.
// CHECK-LABEL: func.func @conv
// CHECK: fuse.conv {{.*}}fuse.bytes_read = 420096 : i64, fuse.bytes_written = 200704 : i64, fuse.flops = 7275520 : i64, fuse.mapping = "ManyToMany"
func.func @conv(%x: tensor<1x32x56x56xf32>, %w: tensor<64x8x3x3xf32>, %b: tensor<64xf32>) -> tensor<1x64x28x28xf32> {
  %0 = fuse.conv %x, %w, %b {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x56x56xf32>, tensor<64x8x3x3xf32>, tensor<64xf32>) -> tensor<1x64x28x28xf32>
  return %0 : tensor<1x64x28x28xf32>
}

// Broadcasting add of f16: reads (2*3*4 + 4) * 2 = 56 bytes, writes 48;
// broadcasting makes it OneToMany. A same-shape add is OneToOne.
// CHECK-LABEL: func.func @elementwise
// CHECK: fuse.add {{.*}}fuse.bytes_read = 56 : i64, fuse.bytes_written = 48 : i64, fuse.flops = 24 : i64, fuse.mapping = "OneToMany"
// CHECK: fuse.add {{.*}}fuse.bytes_read = 96 : i64, fuse.bytes_written = 48 : i64, fuse.flops = 24 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.sigmoid {{.*}}fuse.flops = 96 : i64, fuse.mapping = "OneToOne"
func.func @elementwise(%a: tensor<2x3x4xf16>, %b: tensor<4xf16>) -> tensor<2x3x4xf16> {
  %0 = fuse.add %a, %b : (tensor<2x3x4xf16>, tensor<4xf16>) -> tensor<2x3x4xf16>
  %1 = fuse.add %0, %a : (tensor<2x3x4xf16>, tensor<2x3x4xf16>) -> tensor<2x3x4xf16>
  %2 = fuse.sigmoid %1 : tensor<2x3x4xf16>
  return %2 : tensor<2x3x4xf16>
}

// Batched matmul with a broadcast batch dim: 2 * (8*5*16*64) * 32 FLOPs.
// CHECK-LABEL: func.func @matmul
// CHECK: fuse.matmul {{.*}}fuse.flops = 2621440 : i64, fuse.mapping = "ManyToMany"
func.func @matmul(%a: tensor<8x1x16x32xbf16>, %b: tensor<5x64x32xbf16>) -> tensor<8x5x16x64xbf16> {
  %0 = fuse.matmul %a, %b {transpose_b = true} : (tensor<8x1x16x32xbf16>, tensor<5x64x32xbf16>) -> tensor<8x5x16x64xbf16>
  return %0 : tensor<8x5x16x64xbf16>
}

// Data movement: transpose is a Shuffle, reshape Reorganize, gather and
// expand OneToMany; a slice reads only what it keeps (8 of 40 floats), a
// gather the rows it picks plus its indices; constants cost nothing.
// CHECK-LABEL: func.func @data_movement
// CHECK: fuse.constant {{.*}}fuse.bytes_read = 0 : i64, fuse.bytes_written = 0 : i64, fuse.flops = 0 : i64
// CHECK: fuse.transpose {{.*}}fuse.mapping = "Shuffle"
// CHECK: fuse.reshape {{.*}}fuse.mapping = "Reorganize"
// CHECK: fuse.slice {{.*}}fuse.bytes_read = 32 : i64, fuse.bytes_written = 32 : i64
// CHECK: fuse.gather {{.*}}fuse.bytes_read = 96 : i64, fuse.bytes_written = 80 : i64, fuse.flops = 0 : i64, fuse.mapping = "OneToMany"
// CHECK: fuse.expand {{.*}}fuse.mapping = "OneToMany"
func.func @data_movement(%x: tensor<4x10xf32>, %t: tensor<100x10xf32>) -> (tensor<10x4xf32>, tensor<40xf32>, tensor<4x2xf32>, tensor<2x10xf32>, tensor<3x4x10xf32>) {
  %ids = fuse.constant dense<[3, 7]> : tensor<2xi64>
  %0 = fuse.transpose %x {perm = array<i64: 1, 0>} : tensor<4x10xf32> -> tensor<10x4xf32>
  %1 = fuse.reshape %x : tensor<4x10xf32> -> tensor<40xf32>
  %2 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 4>, starts = array<i64: 2>, steps = array<i64: 1>} : tensor<4x10xf32> -> tensor<4x2xf32>
  %3 = fuse.gather %t, %ids {axis = 0 : i64} : (tensor<100x10xf32>, tensor<2xi64>) -> tensor<2x10xf32>
  %4 = fuse.expand %x : tensor<4x10xf32> -> tensor<3x4x10xf32>
  return %0, %1, %2, %3, %4 : tensor<10x4xf32>, tensor<40xf32>, tensor<4x2xf32>, tensor<2x10xf32>, tensor<3x4x10xf32>
}

// A group's mapping is its most complex op's; its FLOPs are the sum of its
// ops' (reduce 8*16 + 4 for the mean, relu 8*16); its bytes are its inputs'
// and results'.
// CHECK-LABEL: func.func @group
// CHECK: fuse.group{{.*}}fuse.bytes_read = 512 : i64, fuse.bytes_written = 16 : i64, fuse.flops = 260 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.relu {{.*}}fuse.mapping = "OneToOne"
// CHECK: fuse.reduce {{.*}}fuse.flops = 132 : i64, fuse.mapping = "ManyToMany"
func.func @group(%x: tensor<4x32xf32>) -> tensor<4x1xf32> {
  %0 = fuse.group(%x) : (tensor<4x32xf32>) -> tensor<4x1xf32> {
  ^bb0(%a: tensor<4x32xf32>):
    %r = fuse.relu %a : tensor<4x32xf32>
    %m = fuse.reduce mean %r {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
    fuse.yield %m : tensor<4x1xf32>
  }
  return %0 : tensor<4x1xf32>
}

// Attention: scores 1*2*8*16 = 256; 2*256*4 + 2*256*4 + 5*256 FLOPs.
// CHECK-LABEL: func.func @attention
// CHECK: fuse.attention {{.*}}fuse.flops = 5376 : i64, fuse.mapping = "ManyToMany"
func.func @attention(%q: tensor<1x2x8x4xf32>, %k: tensor<1x2x16x4xf32>, %v: tensor<1x2x16x4xf32>) -> tensor<1x2x8x4xf32> {
  %0 = fuse.attention %q, %k, %v : (tensor<1x2x8x4xf32>, tensor<1x2x16x4xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x8x4xf32>
  return %0 : tensor<1x2x8x4xf32>
}

// TABLE: op mapping flops bytes_read bytes_written location
// TABLE: fuse.conv ManyToMany 7275520 420096 200704
// TABLE-NOT: fuse.constant
// TABLE: fuse.group ManyToMany 260 512 16
// TABLE-NOT: fuse.relu
// TABLE: total
