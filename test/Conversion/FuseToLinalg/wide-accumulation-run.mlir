// End-to-end numerics of f16 sums on the CPU: with wide accumulation (the
// default) sums, softmax and layer_norm accumulate in f32 and round once;
// with wide-accumulation=false they accumulate in f16, which the NARROW run
// shows failing: f16 holds integers exactly only up to 2048 (2048 + 1 rounds
// back to 2048) and overflows past 65504. Expected values are numpy's in
// float64 (expressions in the comments); all are exact in f16.
//
// RUN: fuse-opt %s --fuse-to-linalg | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops --expand-strided-metadata --lower-affine --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm --convert-to-llvm --reconcile-unrealized-casts | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so | FileCheck %s --check-prefix=EXEC
// RUN: fuse-opt %s --fuse-to-linalg=wide-accumulation=false | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops --expand-strided-metadata --lower-affine --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm --convert-to-llvm --reconcile-unrealized-casts | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so | FileCheck %s --check-prefix=NARROW

func.func private @printMemrefF32(tensor<*xf32>) attributes { llvm.emit_c_interface }

func.func @print(%x: tensor<2xf16>) {
  %w = fuse.cast %x : tensor<2xf16> -> tensor<2xf32>
  %u = tensor.cast %w : tensor<2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %ones = arith.constant dense<1.0> : tensor<2x4096xf16>

  // numpy: np.ones((2, 4096)).mean(1)
  %mean = fuse.reduce mean %ones {axes = array<i64: 1>, keepdims = false} : tensor<2x4096xf16> -> tensor<2xf16>
  func.call @print(%mean) : (tensor<2xf16>) -> ()
  // EXEC: sizes = [2]
  // EXEC-NEXT: [1, 1]
  // NARROW: sizes = [2]
  // NARROW-NEXT: [0.5, 0.5]

  // numpy: softmax(np.ones((2, 4096)), 1)[:, 0] = 1 / 4096
  %soft = fuse.softmax %ones {axis = 1 : i64} : tensor<2x4096xf16>
  %first = fuse.slice %soft {axes = array<i64: 0, 1>, steps = array<i64: 1, 1>, starts = array<i64: 0, 0>, ends = array<i64: 2, 1>} : tensor<2x4096xf16> -> tensor<2x1xf16>
  %col = fuse.reshape %first : tensor<2x1xf16> -> tensor<2xf16>
  func.call @print(%col) : (tensor<2xf16>) -> ()
  // EXEC: sizes = [2]
  // EXEC-NEXT: [0.000244141, 0.000244141]
  // NARROW: sizes = [2]
  // NARROW-NEXT: [0.000488281, 0.000488281]

  // x = 1001 -/+ 1 (rows of 2048 each): mean 1001, variance 1.
  // numpy: ((x - x.mean()) / np.sqrt(x.var() + 1e-5))[[0, 1], 0]
  //      = [-0.999995, 0.999995], which rounds to [-1, 1] in f16.
  %base = arith.constant dense<1001.0> : tensor<1x2x2048xf16>
  %sign = arith.constant dense<[[[-1.0], [1.0]]]> : tensor<1x2x1xf16>
  %x = fuse.add %base, %sign : (tensor<1x2x2048xf16>, tensor<1x2x1xf16>) -> tensor<1x2x2048xf16>
  %ln = fuse.layer_norm %x {axis = 1 : i64} : (tensor<1x2x2048xf16>) -> tensor<1x2x2048xf16>
  %lnFirst = fuse.slice %ln {axes = array<i64: 0, 1, 2>, steps = array<i64: 1, 1, 1>, starts = array<i64: 0, 0, 0>, ends = array<i64: 1, 2, 1>} : tensor<1x2x2048xf16> -> tensor<1x2x1xf16>
  %lnCol = fuse.reshape %lnFirst : tensor<1x2x1xf16> -> tensor<2xf16>
  func.call @print(%lnCol) : (tensor<2xf16>) -> ()
  // EXEC: sizes = [2]
  // EXEC-NEXT: [-1, 1]
  // NARROW: sizes = [2]
  // NARROW-NEXT: [{{-?}}nan, {{-?}}nan]
  return
}
