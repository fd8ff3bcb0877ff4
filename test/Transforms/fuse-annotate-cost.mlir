// fuse-annotate-cost: mapping type, FLOPs and bytes of every fuse op, and
// the per-op table with totals. Every number is derived by hand in the
// comments (f32 = 4 bytes, f16/bf16 = 2, i64 = 8, i32 = 4, i1 = 1).
// RUN: fuse-opt %s --split-input-file --fuse-annotate-cost | FileCheck %s
// RUN: fuse-opt %s --split-input-file --fuse-annotate-cost=print-table -o /dev/null 2>&1 | FileCheck %s --check-prefix=TABLE

// Grouped strided conv with bias: x 1x32x56x56, w 64x8x3x3 (32 / 4 groups
// = 8 channels per group), b 64; out (56 + 1 + 1 - 3) / 2 + 1 = 28, so
// 1x64x28x28 = 50176 elements.
//   FLOPs = 2 * 50176 * 8 * 3 * 3 + 50176 (bias) = 7225344 + 50176 = 7275520
//   read  = (32*56*56 + 64*8*3*3 + 64) * 4 = (100352 + 4608 + 64) * 4 = 420096
//   written = 50176 * 4 = 200704
// Transposed conv: x 1x8x4x4 (128 elements), w 8x2x3x3, 2 groups, b 4;
// out 2 * 3 + 1 + 2 + 1 - 1 - 1 = 8, so 1x4x8x8 = 256 elements. Every input
// element meets 2 * 3 * 3 = 18 weights:
//   FLOPs = 2 * 128 * 18 + 256 (bias) = 4608 + 256 = 4864
//   read  = (128 + 8*2*3*3 + 4) * 4 = (128 + 144 + 4) * 4 = 1104
//   written = 256 * 4 = 1024
// Without bias (1-D, x 1x2x5, w 2x3x2, out 1x3x6): 2 * 10 * 6 = 120 FLOPs,
// read (10 + 12) * 4 = 88, written 18 * 4 = 72.
// CHECK-LABEL: func.func @conv(
// CHECK: fuse.conv {{.*}}fuse.bytes_read = 420096 : i64, fuse.bytes_written = 200704 : i64, fuse.flops = 7275520 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.conv_transpose {{.*}}fuse.bytes_read = 1104 : i64, fuse.bytes_written = 1024 : i64, fuse.flops = 4864 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.conv_transpose {{.*}}fuse.bytes_read = 88 : i64, fuse.bytes_written = 72 : i64, fuse.flops = 120 : i64, fuse.mapping = "ManyToMany"
// Totals: FLOPs 7275520 + 4864 + 120 = 7280504; read 420096 + 1104 + 88
// = 421288; written 200704 + 1024 + 72 = 201800.
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-NEXT: fuse.conv ManyToMany 7275520 420096 200704 conv
// TABLE-NEXT: fuse.conv_transpose ManyToMany 4864 1104 1024 deconv
// TABLE-NEXT: fuse.conv_transpose ManyToMany 120 88 72 deconv1d
// TABLE-NEXT: total 7280504 421288 201800
func.func @conv(%x: tensor<1x32x56x56xf32>, %w: tensor<64x8x3x3xf32>, %b: tensor<64xf32>, %xt: tensor<1x8x4x4xf32>, %wt: tensor<8x2x3x3xf32>, %bt: tensor<4xf32>, %x1: tensor<1x2x5xf32>, %w1: tensor<2x3x2xf32>) -> (tensor<1x64x28x28xf32>, tensor<1x4x8x8xf32>, tensor<1x3x6xf32>) {
  %0 = fuse.conv %x, %w, %b {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x56x56xf32>, tensor<64x8x3x3xf32>, tensor<64xf32>) -> tensor<1x64x28x28xf32> loc("conv")
  %1 = fuse.conv_transpose %xt, %wt, %bt {groups = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32> loc("deconv")
  %2 = fuse.conv_transpose %x1, %w1 : (tensor<1x2x5xf32>, tensor<2x3x2xf32>) -> tensor<1x3x6xf32> loc("deconv1d")
  return %0, %1, %2 : tensor<1x64x28x28xf32>, tensor<1x4x8x8xf32>, tensor<1x3x6xf32>
}

// -----

// Elementwise ops: FLOPs = result elements x a per-op cost; a broadcast
// makes the op OneToMany, same shapes OneToOne.
//   add f16 2x3x4 + 4: read (24 + 4) * 2 = 56, written 48, 24 FLOPs, OneToMany
//   add f16 2x3x4 + 2x3x4: read 96, written 48, 24 FLOPs, OneToOne
//   sigmoid f16 2x3x4: 24 * 4 = 96 FLOPs, read 48, written 48
// CHECK-LABEL: func.func @broadcast(
// CHECK: fuse.add {{.*}}{fuse.bytes_read = 56 : i64, fuse.bytes_written = 48 : i64, fuse.flops = 24 : i64, fuse.mapping = "OneToMany"}
// CHECK: fuse.add {{.*}}{fuse.bytes_read = 96 : i64, fuse.bytes_written = 48 : i64, fuse.flops = 24 : i64, fuse.mapping = "OneToOne"}
// CHECK: fuse.sigmoid {{.*}}{fuse.bytes_read = 48 : i64, fuse.bytes_written = 48 : i64, fuse.flops = 96 : i64, fuse.mapping = "OneToOne"}
// Totals: FLOPs 24 + 24 + 96 = 144; read 56 + 96 + 48 = 200; written 144.
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-NEXT: fuse.add OneToMany 24 56 48 bcast
// TABLE-NEXT: fuse.add OneToOne 24 96 48 same
// TABLE-NEXT: fuse.sigmoid OneToOne 96 48 48 sig
// TABLE-NEXT: total 144 200 144
func.func @broadcast(%a: tensor<2x3x4xf16>, %b: tensor<4xf16>) -> tensor<2x3x4xf16> {
  %0 = fuse.add %a, %b : (tensor<2x3x4xf16>, tensor<4xf16>) -> tensor<2x3x4xf16> loc("bcast")
  %1 = fuse.add %0, %a : (tensor<2x3x4xf16>, tensor<2x3x4xf16>) -> tensor<2x3x4xf16> loc("same")
  %2 = fuse.sigmoid %1 : tensor<2x3x4xf16> loc("sig")
  return %2 : tensor<2x3x4xf16>
}

// -----

// Per-element FLOPs of the unary ops on 10 f32 elements (40 bytes in, 40
// out): relu 1, exp 4, sqrt 2, erf 6, silu 5, gelu 8, hard_sigmoid 3,
// leaky_relu 2, clip 2. cast f32 -> f16: 10 FLOPs, read 40, written 20.
// less: read 2 * 40, written 10 (i1 is a byte), 10 FLOPs.
// select (cond 10xi1, 10xf32, 1xf32): read 10 + 40 + 4 = 54, written 40,
// 10 FLOPs, OneToMany (the scalar broadcasts). not on 10xi1: 10, 10, 10.
// CHECK-LABEL: func.func @unary(
// CHECK: fuse.relu {{.*}}{fuse.bytes_read = 40 : i64, fuse.bytes_written = 40 : i64, fuse.flops = 10 : i64, fuse.mapping = "OneToOne"}
// CHECK: fuse.exp {{.*}}{fuse.bytes_read = 40 : i64, fuse.bytes_written = 40 : i64, fuse.flops = 40 : i64, fuse.mapping = "OneToOne"}
// CHECK: fuse.sqrt {{.*}}fuse.flops = 20 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.erf {{.*}}fuse.flops = 60 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.silu {{.*}}fuse.flops = 50 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.gelu {{.*}}fuse.flops = 80 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.hard_sigmoid {{.*}}fuse.flops = 30 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.leaky_relu {{.*}}fuse.flops = 20 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.clip {{.*}}fuse.flops = 20 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.cast {{.*}}{fuse.bytes_read = 40 : i64, fuse.bytes_written = 20 : i64, fuse.flops = 10 : i64, fuse.mapping = "OneToOne"}
// CHECK: fuse.less {{.*}}{fuse.bytes_read = 80 : i64, fuse.bytes_written = 10 : i64, fuse.flops = 10 : i64, fuse.mapping = "OneToOne"}
// CHECK: fuse.select {{.*}}{fuse.bytes_read = 54 : i64, fuse.bytes_written = 40 : i64, fuse.flops = 10 : i64, fuse.mapping = "OneToMany"}
// CHECK: fuse.not {{.*}}{fuse.bytes_read = 10 : i64, fuse.bytes_written = 10 : i64, fuse.flops = 10 : i64, fuse.mapping = "OneToOne"}
// Totals: FLOPs 10 + 40 + 20 + 60 + 50 + 80 + 30 + 20 + 20 + 10 + 10 + 10
// + 10 = 370; read 9 * 40 + 40 + 80 + 54 + 10 = 544; written 9 * 40 + 20 +
// 10 + 40 + 10 = 440.
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-COUNT-9: OneToOne
// TABLE-NEXT: fuse.cast OneToOne 10 40 20
// TABLE-NEXT: fuse.less OneToOne 10 80 10
// TABLE-NEXT: fuse.select OneToMany 10 54 40
// TABLE-NEXT: fuse.not OneToOne 10 10 10
// TABLE-NEXT: total 370 544 440
func.func @unary(%x: tensor<10xf32>, %s: tensor<1xf32>, %p: tensor<10xi1>) -> (tensor<10xf16>, tensor<10xf32>, tensor<10xi1>) {
  %0 = fuse.relu %x : tensor<10xf32>
  %1 = fuse.exp %0 : tensor<10xf32>
  %2 = fuse.sqrt %1 : tensor<10xf32>
  %3 = fuse.erf %2 : tensor<10xf32>
  %4 = fuse.silu %3 : tensor<10xf32>
  %5 = fuse.gelu %4 : tensor<10xf32>
  %6 = fuse.hard_sigmoid %5 : tensor<10xf32>
  %7 = fuse.leaky_relu %6 : tensor<10xf32>
  %8 = fuse.clip %7 {min = 0.0 : f64} : tensor<10xf32>
  %9 = fuse.cast %8 : tensor<10xf32> -> tensor<10xf16>
  %10 = fuse.less %8, %x : (tensor<10xf32>, tensor<10xf32>) -> tensor<10xi1>
  %11 = fuse.select %10, %x, %s : (tensor<10xi1>, tensor<10xf32>, tensor<1xf32>) -> tensor<10xf32>
  %12 = fuse.not %p : tensor<10xi1>
  return %9, %11, %12 : tensor<10xf16>, tensor<10xf32>, tensor<10xi1>
}

// -----

// matmul: FLOPs = 2 * result elements * K.
// Batch broadcast (8x1 with 5 -> 8x5): a 8x1x16x32 bf16, b 5x64x32 bf16
// (transpose_b, K = 32): result 8x5x16x64 = 40960 elements.
//   FLOPs = 2 * 40960 * 32 = 2621440
//   read  = (8*16*32 + 5*64*32) * 2 = (4096 + 10240) * 2 = 28672
//   written = 40960 * 2 = 81920
// transpose_a: a 3x8x4 (K = 8, M = 4), b 8x5: result 3x4x5 = 60 elements:
// 2 * 60 * 8 = 960 FLOPs; read (96 + 40) * 4 = 544; written 240.
// CHECK-LABEL: func.func @matmul(
// CHECK: fuse.matmul {{.*}}fuse.bytes_read = 28672 : i64, fuse.bytes_written = 81920 : i64, fuse.flops = 2621440 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.matmul {{.*}}fuse.bytes_read = 544 : i64, fuse.bytes_written = 240 : i64, fuse.flops = 960 : i64, fuse.mapping = "ManyToMany"
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-NEXT: fuse.matmul ManyToMany 2621440 28672 81920 mm_batch
// TABLE-NEXT: fuse.matmul ManyToMany 960 544 240 mm_ta
// TABLE-NEXT: total 2622400 29216 82160
func.func @matmul(%a: tensor<8x1x16x32xbf16>, %b: tensor<5x64x32xbf16>, %c: tensor<3x8x4xf32>, %d: tensor<8x5xf32>) -> (tensor<8x5x16x64xbf16>, tensor<3x4x5xf32>) {
  %0 = fuse.matmul %a, %b {transpose_b = true} : (tensor<8x1x16x32xbf16>, tensor<5x64x32xbf16>) -> tensor<8x5x16x64xbf16> loc("mm_batch")
  %1 = fuse.matmul %c, %d {transpose_a = true} : (tensor<3x8x4xf32>, tensor<8x5xf32>) -> tensor<3x4x5xf32> loc("mm_ta")
  return %0, %1 : tensor<8x5x16x64xbf16>, tensor<3x4x5xf32>
}

// -----

// Pools: FLOPs = result elements * prod(kernel_shape).
//   max_pool 1x8x16x16 -> 1x8x8x8 (k 2x2): 512 * 4 = 2048; read 8192, written 2048
//   avg_pool 1x8x16x16 -> 1x8x16x16 (k 3x3, pads 1): 2048 * 9 = 18432;
//   read 8192, written 8192
// Reductions of x 4x32 f32 (128 in, read 512) over axis 1 (4 out, written
// 16): sum, max, min, prod = in = 128; mean, log_sum = in + out = 132;
// l1, sum_square = 2 * in = 256; l2, log_sum_exp = 2 * in + out = 260.
// CHECK-LABEL: func.func @pool_reduce(
// CHECK: fuse.max_pool {{.*}}fuse.bytes_read = 8192 : i64, fuse.bytes_written = 2048 : i64, fuse.flops = 2048 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.avg_pool {{.*}}fuse.bytes_read = 8192 : i64, fuse.bytes_written = 8192 : i64, fuse.flops = 18432 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.reduce sum {{.*}}, fuse.bytes_read = 512 : i64, fuse.bytes_written = 16 : i64, fuse.flops = 128 : i64, fuse.mapping = "ManyToMany"}
// CHECK: fuse.reduce mean {{.*}}fuse.flops = 132 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.reduce max {{.*}}fuse.flops = 128 : i64
// CHECK: fuse.reduce min {{.*}}fuse.flops = 128 : i64
// CHECK: fuse.reduce prod {{.*}}fuse.flops = 128 : i64
// CHECK: fuse.reduce l1 {{.*}}fuse.flops = 256 : i64
// CHECK: fuse.reduce l2 {{.*}}fuse.flops = 260 : i64
// CHECK: fuse.reduce log_sum {{.*}}fuse.flops = 132 : i64
// CHECK: fuse.reduce log_sum_exp {{.*}}fuse.flops = 260 : i64
// CHECK: fuse.reduce sum_square {{.*}}fuse.flops = 256 : i64
// Reduction totals: 4 * 128 + 2 * 132 + 2 * 256 + 2 * 260 = 1808 FLOPs,
// read 10 * 512 = 5120, written 10 * 16 = 160. With the pools: FLOPs
// 2048 + 18432 + 1808 = 22288; read 8192 * 2 + 5120 = 21504; written
// 2048 + 8192 + 160 = 10400.
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-NEXT: fuse.max_pool ManyToMany 2048 8192 2048
// TABLE-NEXT: fuse.avg_pool ManyToMany 18432 8192 8192
// TABLE-COUNT-10: fuse.reduce ManyToMany
// TABLE-NEXT: total 22288 21504 10400
func.func @pool_reduce(%p: tensor<1x8x16x16xf32>, %x: tensor<4x32xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x8x16x16xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>) {
  %0 = fuse.max_pool %p {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x16x16xf32> -> tensor<1x8x8x8xf32>
  %1 = fuse.avg_pool %p {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xf32>
  %2 = fuse.reduce sum %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %3 = fuse.reduce mean %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %4 = fuse.reduce max %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %5 = fuse.reduce min %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %6 = fuse.reduce prod %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %7 = fuse.reduce l1 %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %8 = fuse.reduce l2 %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %9 = fuse.reduce log_sum %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %10 = fuse.reduce log_sum_exp %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %11 = fuse.reduce sum_square %x {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<1x8x8x8xf32>, tensor<1x8x16x16xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>
}

// -----

// Normalization: softmax / log_softmax 5 FLOPs per element, layer_norm 8,
// batch_norm 2; all ManyToMany.
//   softmax 4x10 f32: 200 FLOPs, read 160, written 160 (log_softmax same)
//   layer_norm 2x16x64 (2048 elements) with scale and bias [64]:
//   16384 FLOPs, read (2048 + 64 + 64) * 4 = 8704, written 8192
//   batch_norm 1x8x4x4 (128) with four [8] params: 256 FLOPs,
//   read (128 + 4 * 8) * 4 = 640, written 512
// CHECK-LABEL: func.func @normalization(
// CHECK: fuse.softmax {{.*}}fuse.bytes_read = 160 : i64, fuse.bytes_written = 160 : i64, fuse.flops = 200 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.log_softmax {{.*}}fuse.bytes_read = 160 : i64, fuse.bytes_written = 160 : i64, fuse.flops = 200 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.layer_norm {{.*}}fuse.bytes_read = 8704 : i64, fuse.bytes_written = 8192 : i64, fuse.flops = 16384 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.batch_norm {{.*}}fuse.bytes_read = 640 : i64, fuse.bytes_written = 512 : i64, fuse.flops = 256 : i64, fuse.mapping = "ManyToMany"
// Totals: FLOPs 200 + 200 + 16384 + 256 = 17040; read 160 + 160 + 8704 +
// 640 = 9664; written 160 + 160 + 8192 + 512 = 9024.
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-NEXT: fuse.softmax ManyToMany 200 160 160
// TABLE-NEXT: fuse.log_softmax ManyToMany 200 160 160
// TABLE-NEXT: fuse.layer_norm ManyToMany 16384 8704 8192
// TABLE-NEXT: fuse.batch_norm ManyToMany 256 640 512
// TABLE-NEXT: total 17040 9664 9024
func.func @normalization(%x: tensor<4x10xf32>, %l: tensor<2x16x64xf32>, %g: tensor<64xf32>, %b: tensor<1x8x4x4xf32>, %c: tensor<8xf32>) -> (tensor<4x10xf32>, tensor<2x16x64xf32>, tensor<1x8x4x4xf32>) {
  %0 = fuse.softmax %x {axis = 1 : i64} : tensor<4x10xf32>
  %1 = fuse.log_softmax %0 {axis = 0 : i64} : tensor<4x10xf32>
  %2 = fuse.layer_norm %l scale %g bias %g {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  %3 = fuse.batch_norm %b, %c, %c, %c, %c : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %1, %2, %3 : tensor<4x10xf32>, tensor<2x16x64xf32>, tensor<1x8x4x4xf32>
}

// -----

// Data movement moves bytes, computes nothing (resize interpolates: 4 FLOPs
// per output element). x is 4x10 f32 = 160 bytes.
//   constant: costs nothing (0 / 0 / 0), OneToOne
//   transpose 4x10 -> 10x4: Shuffle, read 160, written 160
//   reshape -> 40: Reorganize, 160 / 160
//   slice [2, 4) on dim 1 -> 4x2: reads only what it keeps, 8 * 4 = 32; writes 32
//   gather rows [3, 7] of a 100x10 table -> 2x10: reads the picked rows and
//   the indices, 80 + 2 * 8 = 96; writes 80; OneToMany
//   expand 4x10 -> 3x4x10: read 160, written 480, OneToMany
//   concat 4x10 ++ 4x10 on dim 0: Reorganize, read 320, written 320
//   split 4x10 on dim 1 into 3 + 7: Reorganize, read 160, written 160
//   pad 4x10 by 1 on each side of dim 1 -> 4x12: OneToMany, read 160, written 192
//   tile 4x10 by [2, 1] -> 8x10: OneToMany, read 160, written 320
//   resize 1x1x4x4 -> 1x1x8x8: 64 * 4 = 256 FLOPs, read 64, written 256, OneToMany
// CHECK-LABEL: func.func @data_movement(
// CHECK: fuse.constant {fuse.bytes_read = 0 : i64, fuse.bytes_written = 0 : i64, fuse.flops = 0 : i64, fuse.mapping = "OneToOne"} dense<[3, 7]> : tensor<2xi64>
// CHECK: fuse.transpose {{.*}}fuse.bytes_read = 160 : i64, fuse.bytes_written = 160 : i64, fuse.flops = 0 : i64, fuse.mapping = "Shuffle"
// CHECK: fuse.reshape {{.*}}{fuse.bytes_read = 160 : i64, fuse.bytes_written = 160 : i64, fuse.flops = 0 : i64, fuse.mapping = "Reorganize"}
// CHECK: fuse.slice {{.*}}fuse.bytes_read = 32 : i64, fuse.bytes_written = 32 : i64, fuse.flops = 0 : i64, fuse.mapping = "Reorganize"
// CHECK: fuse.gather {{.*}}fuse.bytes_read = 96 : i64, fuse.bytes_written = 80 : i64, fuse.flops = 0 : i64, fuse.mapping = "OneToMany"
// CHECK: fuse.expand {{.*}}{fuse.bytes_read = 160 : i64, fuse.bytes_written = 480 : i64, fuse.flops = 0 : i64, fuse.mapping = "OneToMany"}
// CHECK: fuse.concat {{.*}}fuse.bytes_read = 320 : i64, fuse.bytes_written = 320 : i64, fuse.flops = 0 : i64, fuse.mapping = "Reorganize"
// CHECK: fuse.split {{.*}}fuse.bytes_read = 160 : i64, fuse.bytes_written = 160 : i64, fuse.flops = 0 : i64, fuse.mapping = "Reorganize"
// CHECK: fuse.pad {{.*}}fuse.bytes_read = 160 : i64, fuse.bytes_written = 192 : i64, fuse.flops = 0 : i64, fuse.mapping = "OneToMany"
// CHECK: fuse.tile {{.*}}fuse.bytes_read = 160 : i64, fuse.bytes_written = 320 : i64, fuse.flops = 0 : i64, fuse.mapping = "OneToMany"
// CHECK: fuse.resize {{.*}}{fuse.bytes_read = 64 : i64, fuse.bytes_written = 256 : i64, fuse.flops = 256 : i64, fuse.mapping = "OneToMany", mode = #fuse.resize_mode<linear>}
// Totals (the constant is counted as zero and not listed): FLOPs 256;
// read 160 * 6 (transpose, reshape, expand, split, pad, tile) + 32 + 96 +
// 320 + 64 = 1472; written 160 * 3 (transpose, reshape, split) + 32 + 80 +
// 480 + 320 + 192 + 320 + 256 = 2160.
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-NOT: fuse.constant
// TABLE-NEXT: fuse.transpose Shuffle 0 160 160
// TABLE-NEXT: fuse.reshape Reorganize 0 160 160
// TABLE-NEXT: fuse.slice Reorganize 0 32 32
// TABLE-NEXT: fuse.gather OneToMany 0 96 80
// TABLE-NEXT: fuse.expand OneToMany 0 160 480
// TABLE-NEXT: fuse.concat Reorganize 0 320 320
// TABLE-NEXT: fuse.split Reorganize 0 160 160
// TABLE-NEXT: fuse.pad OneToMany 0 160 192
// TABLE-NEXT: fuse.tile OneToMany 0 160 320
// TABLE-NEXT: fuse.resize OneToMany 256 64 256
// TABLE-NEXT: total 256 1472 2160
func.func @data_movement(%x: tensor<4x10xf32>, %t: tensor<100x10xf32>, %img: tensor<1x1x4x4xf32>) -> (tensor<10x4xf32>, tensor<40xf32>, tensor<4x2xf32>, tensor<2x10xf32>, tensor<3x4x10xf32>, tensor<8x10xf32>, tensor<4x3xf32>, tensor<4x7xf32>, tensor<4x12xf32>, tensor<8x10xf32>, tensor<1x1x8x8xf32>) {
  %ids = fuse.constant dense<[3, 7]> : tensor<2xi64>
  %0 = fuse.transpose %x {perm = array<i64: 1, 0>} : tensor<4x10xf32> -> tensor<10x4xf32>
  %1 = fuse.reshape %x : tensor<4x10xf32> -> tensor<40xf32>
  %2 = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 4>, starts = array<i64: 2>, steps = array<i64: 1>} : tensor<4x10xf32> -> tensor<4x2xf32>
  %3 = fuse.gather %t, %ids {axis = 0 : i64} : (tensor<100x10xf32>, tensor<2xi64>) -> tensor<2x10xf32>
  %4 = fuse.expand %x : tensor<4x10xf32> -> tensor<3x4x10xf32>
  %5 = fuse.concat %x, %x {axis = 0 : i64} : (tensor<4x10xf32>, tensor<4x10xf32>) -> tensor<8x10xf32>
  %6:2 = fuse.split %x {axis = 1 : i64, sizes = array<i64: 3, 7>} : tensor<4x10xf32> -> tensor<4x3xf32>, tensor<4x7xf32>
  %7 = fuse.pad %x {pads = array<i64: 0, 1, 0, 1>} : tensor<4x10xf32> -> tensor<4x12xf32>
  %8 = fuse.tile %x {repeats = array<i64: 2, 1>} : tensor<4x10xf32> -> tensor<8x10xf32>
  %9 = fuse.resize %img {mode = #fuse.resize_mode<linear>} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
  return %0, %1, %2, %3, %4, %5, %6#0, %6#1, %7, %8, %9 : tensor<10x4xf32>, tensor<40xf32>, tensor<4x2xf32>, tensor<2x10xf32>, tensor<3x4x10xf32>, tensor<8x10xf32>, tensor<4x3xf32>, tensor<4x7xf32>, tensor<4x12xf32>, tensor<8x10xf32>, tensor<1x1x8x8xf32>
}

// -----

// Attention: scores = batch * heads * S * L; FLOPs = 2 * scores * D (QK^T)
// + 2 * scores * Dv (PV) + 5 * scores (scale, mask, softmax).
//   q 1x2x8x4, k 1x2x16x4, v 1x2x16x4: scores 1*2*8*16 = 256;
//   FLOPs 2*256*4 + 2*256*4 + 5*256 = 2048 + 2048 + 1280 = 5376;
//   read (64 + 128 + 128) * 4 = 1280; written 64 * 4 = 256
//   same with v 1x2x16x6 and a 1x1x8x16 mask: FLOPs 2048 + 2*256*6 + 1280
//   = 6400; read (64 + 128 + 192 + 128) * 4 = 2048; written 96 * 4 = 384
// CHECK-LABEL: func.func @attention(
// CHECK: fuse.attention {{.*}}{fuse.bytes_read = 1280 : i64, fuse.bytes_written = 256 : i64, fuse.flops = 5376 : i64, fuse.mapping = "ManyToMany"}
// CHECK: fuse.attention {{.*}}{causal = true, fuse.bytes_read = 2048 : i64, fuse.bytes_written = 384 : i64, fuse.flops = 6400 : i64, fuse.mapping = "ManyToMany"}
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-NEXT: fuse.attention ManyToMany 5376 1280 256 attn
// TABLE-NEXT: fuse.attention ManyToMany 6400 2048 384 attn_masked
// TABLE-NEXT: total 11776 3328 640
func.func @attention(%q: tensor<1x2x8x4xf32>, %k: tensor<1x2x16x4xf32>, %v: tensor<1x2x16x4xf32>, %v6: tensor<1x2x16x6xf32>, %m: tensor<1x1x8x16xf32>) -> (tensor<1x2x8x4xf32>, tensor<1x2x8x6xf32>) {
  %0 = fuse.attention %q, %k, %v : (tensor<1x2x8x4xf32>, tensor<1x2x16x4xf32>, tensor<1x2x16x4xf32>) -> tensor<1x2x8x4xf32> loc("attn")
  %1 = fuse.attention %q, %k, %v6 mask %m {causal = true} : (tensor<1x2x8x4xf32>, tensor<1x2x16x4xf32>, tensor<1x2x16x6xf32>, tensor<1x1x8x16xf32>) -> tensor<1x2x8x6xf32> loc("attn_masked")
  return %0, %1 : tensor<1x2x8x4xf32>, tensor<1x2x8x6xf32>
}

// -----

// A group's mapping is the most complex of its ops' (OneToOne < Reorganize
// < Shuffle < OneToMany < ManyToMany); its FLOPs are their sum; its bytes
// are its inputs' and results'. Ops inside a group are annotated too but
// counted (and listed) only through the group; fuse.yield costs nothing.
//   @group: relu 4x32 = 128 FLOPs + mean over axis 1 = 128 + 4 = 132:
//   260 FLOPs, ManyToMany; read 4*32*4 = 512, written 4*1*4 = 16
//   second group: reshape (Reorganize) + transpose (Shuffle) + exp
//   (4 * 10 elements * 4 = 160 FLOPs): Shuffle, 160 FLOPs, read 160,
//   written 160
//   third group: a broadcasting add (OneToMany, 40 FLOPs) with a nested
//   group holding a relu (40 FLOPs): OneToMany, 80 FLOPs, read 160 + 40
//   = 200, written 160; the nested group is OneToOne, 40 FLOPs, 160 / 160
// CHECK-LABEL: func.func @group(
// CHECK: fuse.group({{.*}}) {fuse.bytes_read = 512 : i64, fuse.bytes_written = 16 : i64, fuse.flops = 260 : i64, fuse.mapping = "ManyToMany"}
// CHECK: fuse.relu {{.*}}{fuse.bytes_read = 512 : i64, fuse.bytes_written = 512 : i64, fuse.flops = 128 : i64, fuse.mapping = "OneToOne"}
// CHECK: fuse.reduce mean {{.*}}fuse.bytes_read = 512 : i64, fuse.bytes_written = 16 : i64, fuse.flops = 132 : i64, fuse.mapping = "ManyToMany"
// CHECK: fuse.yield {{.*}}{fuse.bytes_read = 0 : i64, fuse.bytes_written = 0 : i64, fuse.flops = 0 : i64, fuse.mapping = "OneToOne"}
// CHECK: fuse.group({{.*}}) {fuse.bytes_read = 160 : i64, fuse.bytes_written = 160 : i64, fuse.flops = 160 : i64, fuse.mapping = "Shuffle"}
// CHECK: fuse.reshape {{.*}}fuse.mapping = "Reorganize"
// CHECK: fuse.transpose {{.*}}fuse.mapping = "Shuffle"
// CHECK: fuse.exp {{.*}}fuse.flops = 160 : i64, fuse.mapping = "OneToOne"
// CHECK: fuse.group({{.*}}) {fuse.bytes_read = 200 : i64, fuse.bytes_written = 160 : i64, fuse.flops = 80 : i64, fuse.mapping = "OneToMany"}
// CHECK: fuse.add {{.*}}fuse.flops = 40 : i64, fuse.mapping = "OneToMany"
// CHECK: fuse.group({{.*}}) {fuse.bytes_read = 160 : i64, fuse.bytes_written = 160 : i64, fuse.flops = 40 : i64, fuse.mapping = "OneToOne"}
// CHECK: fuse.relu {{.*}}fuse.flops = 40 : i64, fuse.mapping = "OneToOne"
// Totals (only the three top-level groups): FLOPs 260 + 160 + 80 = 500;
// read 512 + 160 + 200 = 872; written 16 + 160 + 160 = 336.
// TABLE: op mapping flops bytes_read bytes_written location
// TABLE-NEXT: fuse.group ManyToMany 260 512 16 g_reduce
// TABLE-NEXT: fuse.group Shuffle 160 160 160 g_shuffle
// TABLE-NEXT: fuse.group OneToMany 80 200 160 g_outer
// TABLE-NEXT: total 500 872 336
func.func @group(%x: tensor<4x32xf32>, %y: tensor<4x10xf32>, %r: tensor<10xf32>) -> (tensor<4x1xf32>, tensor<10x4xf32>, tensor<4x10xf32>) {
  %0 = fuse.group(%x) : (tensor<4x32xf32>) -> tensor<4x1xf32> {
  ^bb0(%a: tensor<4x32xf32>):
    %1 = fuse.relu %a : tensor<4x32xf32>
    %2 = fuse.reduce mean %1 {axes = array<i64: 1>} : tensor<4x32xf32> -> tensor<4x1xf32>
    fuse.yield %2 : tensor<4x1xf32>
  } loc("g_reduce")
  %3 = fuse.group(%y) : (tensor<4x10xf32>) -> tensor<10x4xf32> {
  ^bb0(%a: tensor<4x10xf32>):
    %4 = fuse.reshape %a : tensor<4x10xf32> -> tensor<4x10xf32>
    %5 = fuse.transpose %4 {perm = array<i64: 1, 0>} : tensor<4x10xf32> -> tensor<10x4xf32>
    %6 = fuse.exp %5 : tensor<10x4xf32>
    fuse.yield %6 : tensor<10x4xf32>
  } loc("g_shuffle")
  %7 = fuse.group(%y, %r) : (tensor<4x10xf32>, tensor<10xf32>) -> tensor<4x10xf32> {
  ^bb0(%a: tensor<4x10xf32>, %b: tensor<10xf32>):
    %8 = fuse.add %a, %b : (tensor<4x10xf32>, tensor<10xf32>) -> tensor<4x10xf32>
    %9 = fuse.group(%8) : (tensor<4x10xf32>) -> tensor<4x10xf32> {
    ^bb0(%c: tensor<4x10xf32>):
      %10 = fuse.relu %c : tensor<4x10xf32>
      fuse.yield %10 : tensor<4x10xf32>
    } loc("g_inner")
    fuse.yield %9 : tensor<4x10xf32>
  } loc("g_outer")
  return %0, %3, %7 : tensor<4x1xf32>, tensor<10x4xf32>, tensor<4x10xf32>
}
