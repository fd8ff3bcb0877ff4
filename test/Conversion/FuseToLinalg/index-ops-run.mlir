// End-to-end numerics of the index, scan and scatter lowerings on the CPU.
// Expected values come from numpy (float64), with the expression in each
// comment; indices are cast to f32 for printing.
//
// RUN: fuse-opt %s --fuse-to-linalg | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops --expand-strided-metadata --lower-affine --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm --convert-to-llvm --reconcile-unrealized-casts | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so | FileCheck %s --check-prefix=EXEC

func.func private @printMemrefF32(tensor<*xf32>) attributes { llvm.emit_c_interface }

func.func @main() {
  %x = arith.constant dense<[[1.0, 3.0, 3.0, 2.0], [5.0, 0.0, 5.0, -1.0], [0.0, 0.0, 0.0, 0.0]]> : tensor<3x4xf32>

  // np.argmax(x, 1): ties take the first index.
  %a0 = fuse.arg_max %x {axis = 1 : i64, keepdims = false} : tensor<3x4xf32> -> tensor<3xi64>
  %a0f = fuse.cast %a0 : tensor<3xi64> -> tensor<3xf32>
  %u0 = tensor.cast %a0f : tensor<3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [3]
  // EXEC-NEXT: [1, 0, 0]

  // select_last_index: 3 - np.argmax(row[::-1]) per row.
  %a1 = fuse.arg_max %x {axis = 1 : i64, keepdims = false, select_last_index = true} : tensor<3x4xf32> -> tensor<3xi64>
  %a1f = fuse.cast %a1 : tensor<3xi64> -> tensor<3xf32>
  %u1 = tensor.cast %a1f : tensor<3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [3]
  // EXEC-NEXT: [2, 2, 3]

  // np.argmin(x, 0, keepdims=True)
  %a2 = fuse.arg_min %x {axis = 0 : i64} : tensor<3x4xf32> -> tensor<1x4xi64>
  %a2f = fuse.cast %a2 : tensor<1x4xi64> -> tensor<1x4xf32>
  %u2 = tensor.cast %a2f : tensor<1x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 4]
  // EXEC-NEXT: [2, 1, 2, 1]

  // np.cumsum(v); exclusive reverse: np.cumsum(v[::-1])[::-1] - v.
  %v = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  %c0 = fuse.cumsum %v {axis = 0 : i64} : tensor<5xf32>
  %uc0 = tensor.cast %c0 : tensor<5xf32> to tensor<*xf32>
  func.call @printMemrefF32(%uc0) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [5]
  // EXEC-NEXT: [1, 3, 6, 10, 15]
  %c1 = fuse.cumsum %v {axis = 0 : i64, exclusive = true, reverse = true} : tensor<5xf32>
  %uc1 = tensor.cast %c1 : tensor<5xf32> to tensor<*xf32>
  func.call @printMemrefF32(%uc1) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [5]
  // EXEC-NEXT: [14, 12, 9, 5, 0]

  // np.cumsum(np.arange(6).reshape(2, 3), 0)
  %m = arith.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>
  %c2 = fuse.cumsum %m {axis = 0 : i64} : tensor<2x3xf32>
  %uc2 = tensor.cast %c2 : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%uc2) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3]
  // EXEC-NEXT: [0, 1, 2]
  // EXEC-NEXT: [3, 5, 7]

  // np.take_along_axis(np.arange(10).reshape(2, 5), i % 5, 1)
  %d = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0, 9.0]]> : tensor<2x5xf32>
  %gi = arith.constant dense<[[4, 0, -1], [1, 1, -5]]> : tensor<2x3xi64>
  %g0 = fuse.gather_elements %d, %gi {axis = 1 : i64} : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  %ug0 = tensor.cast %g0 : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%ug0) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3]
  // EXEC-NEXT: [4, 0, 4]
  // EXEC-NEXT: [6, 6, 5]

  // g = np.arange(24).reshape(2, 3, 4); [g[1, 2], g[0, -1]]
  %g = arith.constant dense<[[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]], [[12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0], [20.0, 21.0, 22.0, 23.0]]]> : tensor<2x3x4xf32>
  %ti = arith.constant dense<[[1, 2], [0, -1]]> : tensor<2x2xi32>
  %g1 = fuse.gather_nd %g, %ti : (tensor<2x3x4xf32>, tensor<2x2xi32>) -> tensor<2x4xf32>
  %ug1 = tensor.cast %g1 : tensor<2x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%ug1) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 4]
  // EXEC-NEXT: [20, 21, 22, 23]
  // EXEC-NEXT: [8, 9, 10, 11]

  // batch_dims = 1: [g[0, 2], g[1, 0]]
  %bi = arith.constant dense<[[2], [0]]> : tensor<2x1xi64>
  %g2 = fuse.gather_nd %g, %bi {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1xi64>) -> tensor<2x4xf32>
  %ug2 = tensor.cast %g2 : tensor<2x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%ug2) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 4]
  // EXEC-NEXT: [8, 9, 10, 11]
  // EXEC-NEXT: [12, 13, 14, 15]

  // s = zeros((3, 3)); for r, c: s[r, i[r, c] % 3] += u[r, c]
  // (duplicate index in row 0).
  %z = arith.constant dense<0.0> : tensor<3x3xf32>
  %si = arith.constant dense<[[0, 0], [2, 1], [1, -1]]> : tensor<3x2xi64>
  %su = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %s0 = fuse.scatter_elements %z, %si, %su {axis = 1 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
  %us0 = tensor.cast %s0 : tensor<3x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%us0) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [3, 3]
  // EXEC-NEXT: [3, 0, 0]
  // EXEC-NEXT: [0, 4, 3]
  // EXEC-NEXT: [0, 5, 6]

  // Without reduction the last duplicate wins: s[0, 0] = 2.
  %s1 = fuse.scatter_elements %z, %si, %su {axis = 1 : i64} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
  %us1 = tensor.cast %s1 : tensor<3x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%us1) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [3, 3]
  // EXEC-NEXT: [2, 0, 0]

  // ONNX's ScatterND example: data[[4, 3, 1, 7]] = [9, 10, 11, 12]
  %nd = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>
  %ni = arith.constant dense<[[4], [3], [1], [7]]> : tensor<4x1xi64>
  %nu = arith.constant dense<[9.0, 10.0, 11.0, 12.0]> : tensor<4xf32>
  %s2 = fuse.scatter_nd %nd, %ni, %nu : (tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<8xf32>
  %us2 = tensor.cast %s2 : tensor<8xf32> to tensor<*xf32>
  func.call @printMemrefF32(%us2) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [8]
  // EXEC-NEXT: [1, 11, 3, 10, 9, 6, 7, 12]

  // Rows with mul: data = [[1, 2], [3, 4]], rows [1, 1] *= [[2, 2], [3, 3]]
  // -> row 1 = [3 * 2 * 3, 4 * 2 * 3].
  %rd = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %ri = arith.constant dense<[[1], [1]]> : tensor<2x1xi64>
  %ru = arith.constant dense<[[2.0, 2.0], [3.0, 3.0]]> : tensor<2x2xf32>
  %s3 = fuse.scatter_nd %rd, %ri, %ru {reduction = #fuse.scatter_reduction<mul>} : (tensor<2x2xf32>, tensor<2x1xi64>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %us3 = tensor.cast %s3 : tensor<2x2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%us3) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 2]
  // EXEC-NEXT: [1, 2]
  // EXEC-NEXT: [18, 24]
  return
}
