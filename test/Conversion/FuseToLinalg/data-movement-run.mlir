// End-to-end numerics of the data movement lowerings on the CPU. Inputs are
// iota-like (x = np.arange(n).reshape(shape) + start, the start is in the
// constant). Expected values are independent of the lowering: numpy in
// float64 for the shape ops (the expression is in each comment), and for
// Resize the ONNX 1.12 reference implementation
// (onnx/backend/test/case/node/resize.py: interpolate_nd with
// nearest_coeffs / linear_coeffs / cubic_coeffs), called as in the comments;
// printed with %g like printMemrefF32.
//
// RUN: fuse-opt %s --fuse-to-linalg | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops --expand-strided-metadata --lower-affine --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm --convert-to-llvm --reconcile-unrealized-casts | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so | FileCheck %s --check-prefix=EXEC

func.func private @printMemrefF32(tensor<*xf32>) attributes { llvm.emit_c_interface }

func.func @main() {
  %in_x234 = arith.constant dense<[[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]], [[12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0], [20.0, 21.0, 22.0, 23.0]]]> : tensor<2x3x4xf32>
  %in_x46 = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0, 11.0], [12.0, 13.0, 14.0, 15.0, 16.0, 17.0], [18.0, 19.0, 20.0, 21.0, 22.0, 23.0]]> : tensor<4x6xf32>
  %in_x214 = arith.constant dense<[[[100.0, 101.0, 102.0, 103.0]], [[104.0, 105.0, 106.0, 107.0]]]> : tensor<2x1x4xf32>
  %in_x23 = arith.constant dense<[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]> : tensor<2x3xf32>
  %in_x34 = arith.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0], [8.0, 9.0, 10.0, 11.0]]> : tensor<3x4xf32>
  %in_x24 = arith.constant dense<[[0.0, 1.0, 2.0, 3.0], [4.0, 5.0, 6.0, 7.0]]> : tensor<2x4xf32>
  %in_x31 = arith.constant dense<[[0.0], [1.0], [2.0]]> : tensor<3x1xf32>
  %in_idx = arith.constant dense<[[0, -1], [2, -3]]> : tensor<2x2xi64>
  %in_idx0 = arith.constant dense<-2> : tensor<i64>
  %in_r23 = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]]> : tensor<1x1x2x3xf32>
  %in_r34 = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]]]> : tensor<1x1x3x4xf32>
  %in_r33 = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<1x1x3x3xf32>
  %in_r44 = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]]]> : tensor<1x1x4x4xf32>
  %in_r46 = arith.constant dense<[[[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [7.0, 8.0, 9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0, 17.0, 18.0], [19.0, 20.0, 21.0, 22.0, 23.0, 24.0]]]]> : tensor<1x1x4x6xf32>

  // transpose: np.transpose(x, (2, 0, 1))
  %r1 = fuse.transpose %in_x234 {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %u1 = tensor.cast %r1 : tensor<4x2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [4, 2, 3]
  // EXEC-NEXT: [0, 4, 8]
  // EXEC-NEXT: [12, 16, 20]
  // EXEC-NEXT: [1, 5, 9]
  // EXEC-NEXT: [13, 17, 21]
  // EXEC-NEXT: [2, 6, 10]
  // EXEC-NEXT: [14, 18, 22]
  // EXEC-NEXT: [3, 7, 11]
  // EXEC-NEXT: [15, 19, 23]

  // reshape with a reassociation (collapse_shape): x.reshape(6, 4)
  %r2 = fuse.reshape %in_x234 : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %u2 = tensor.cast %r2 : tensor<6x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [6, 4]
  // EXEC-NEXT: [0, 1, 2, 3]
  // EXEC-NEXT: [4, 5, 6, 7]
  // EXEC-NEXT: [8, 9, 10, 11]
  // EXEC-NEXT: [12, 13, 14, 15]
  // EXEC-NEXT: [16, 17, 18, 19]
  // EXEC-NEXT: [20, 21, 22, 23]

  // reshape with a reassociation (expand_shape): x.reshape(2, 2, 2, 3)
  %r3 = fuse.reshape %in_x46 : tensor<4x6xf32> -> tensor<2x2x2x3xf32>
  %u3 = tensor.cast %r3 : tensor<2x2x2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 2, 2, 3]
  // EXEC-NEXT: [0, 1, 2]
  // EXEC-NEXT: [3, 4, 5]
  // EXEC-NEXT: [6, 7, 8]
  // EXEC-NEXT: [9, 10, 11]
  // EXEC-NEXT: [12, 13, 14]
  // EXEC-NEXT: [15, 16, 17]
  // EXEC-NEXT: [18, 19, 20]
  // EXEC-NEXT: [21, 22, 23]

  // reshape without a reassociation (through 1-D): x.reshape(4, 6)
  %r4 = fuse.reshape %in_x234 : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %u4 = tensor.cast %r4 : tensor<4x6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [4, 6]
  // EXEC-NEXT: [0, 1, 2, 3, 4, 5]
  // EXEC-NEXT: [6, 7, 8, 9, 10, 11]
  // EXEC-NEXT: [12, 13, 14, 15, 16, 17]
  // EXEC-NEXT: [18, 19, 20, 21, 22, 23]

  // concat axis 1: np.concatenate([x234, x214], 1)
  %r5 = fuse.concat %in_x234, %in_x214, %in_x234 {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x1x4xf32>, tensor<2x3x4xf32>) -> tensor<2x7x4xf32>
  %u5 = tensor.cast %r5 : tensor<2x7x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 7, 4]
  // EXEC-NEXT: [0, 1, 2, 3]
  // EXEC-NEXT: [4, 5, 6, 7]
  // EXEC-NEXT: [8, 9, 10, 11]
  // EXEC-NEXT: [100, 101, 102, 103]
  // EXEC-NEXT: [0, 1, 2, 3]
  // EXEC-NEXT: [4, 5, 6, 7]
  // EXEC-NEXT: [8, 9, 10, 11]
  // EXEC-NEXT: [12, 13, 14, 15]
  // EXEC-NEXT: [16, 17, 18, 19]
  // EXEC-NEXT: [20, 21, 22, 23]
  // EXEC-NEXT: [104, 105, 106, 107]
  // EXEC-NEXT: [12, 13, 14, 15]
  // EXEC-NEXT: [16, 17, 18, 19]
  // EXEC-NEXT: [20, 21, 22, 23]

  // split axis 2 sizes [1, 3]: np.split(x, [1], 2)
  %s0, %s1 = fuse.split %in_x234 {axis = 2 : i64, sizes = array<i64: 1, 3>} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>, tensor<2x3x3xf32>
  %u6 = tensor.cast %s0 : tensor<2x3x1xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 1]
  // EXEC-NEXT: [0]
  // EXEC-NEXT: [4]
  // EXEC-NEXT: [8]
  // EXEC-NEXT: [12]
  // EXEC-NEXT: [16]
  // EXEC-NEXT: [20]
  %u7 = tensor.cast %s1 : tensor<2x3x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 3]
  // EXEC-NEXT: [1, 2, 3]
  // EXEC-NEXT: [5, 6, 7]
  // EXEC-NEXT: [9, 10, 11]
  // EXEC-NEXT: [13, 14, 15]
  // EXEC-NEXT: [17, 18, 19]
  // EXEC-NEXT: [21, 22, 23]

  // slice with steps 2 and 3: x[0:4:3, 1:6:2]
  %r8 = fuse.slice %in_x46 {axes = array<i64: 1, 0>, starts = array<i64: 1, 0>, ends = array<i64: 6, 4>, steps = array<i64: 2, 3>} : tensor<4x6xf32> -> tensor<2x3xf32>
  %u8 = tensor.cast %r8 : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u8) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3]
  // EXEC-NEXT: [1, 3, 5]
  // EXEC-NEXT: [19, 21, 23]

  // slice with negative steps: x[3::-2, 5:0:-2] (end -1 means through 0)
  %r9 = fuse.slice %in_x46 {axes = array<i64: 0, 1>, starts = array<i64: 3, 5>, ends = array<i64: -1, 0>, steps = array<i64: -2, -2>} : tensor<4x6xf32> -> tensor<2x3xf32>
  %u9 = tensor.cast %r9 : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u9) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3]
  // EXEC-NEXT: [23, 21, 19]
  // EXEC-NEXT: [11, 9, 7]

  // gather axis 1 with negative indices: np.take(x, idx, axis=1)
  %r10 = fuse.gather %in_x34, %in_idx {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2x2xi64>) -> tensor<3x2x2xf32>
  %u10 = tensor.cast %r10 : tensor<3x2x2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u10) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [3, 2, 2]
  // EXEC-NEXT: [0, 3]
  // EXEC-NEXT: [2, 1]
  // EXEC-NEXT: [4, 7]
  // EXEC-NEXT: [6, 5]
  // EXEC-NEXT: [8, 11]
  // EXEC-NEXT: [10, 9]

  // gather axis 0 with a rank-0 index -2: np.take(x, -2, axis=0)
  %r11 = fuse.gather %in_x34, %in_idx0 {axis = 0 : i64} : (tensor<3x4xf32>, tensor<i64>) -> tensor<4xf32>
  %u11 = tensor.cast %r11 : tensor<4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u11) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [4]
  // EXEC-NEXT: [4, 5, 6, 7]

  // expand: np.broadcast_to(x, (2, 3, 4))
  %r12 = fuse.expand %in_x31 : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %u12 = tensor.cast %r12 : tensor<2x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u12) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 4]
  // EXEC-NEXT: [0, 0, 0, 0]
  // EXEC-NEXT: [1, 1, 1, 1]
  // EXEC-NEXT: [2, 2, 2, 2]
  // EXEC-NEXT: [0, 0, 0, 0]
  // EXEC-NEXT: [1, 1, 1, 1]
  // EXEC-NEXT: [2, 2, 2, 2]

  // pad constant 1.5: np.pad(x, ((1, 0), (0, 2)), constant_values=1.5)
  %r13 = fuse.pad %in_x23 {pads = array<i64: 1, 0, 0, 2>, value = 1.5 : f64} : tensor<2x3xf32> -> tensor<3x5xf32>
  %u13 = tensor.cast %r13 : tensor<3x5xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u13) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [3, 5]
  // EXEC-NEXT: [1.5, 1.5, 1.5, 1.5, 1.5]
  // EXEC-NEXT: [0, 1, 2, 1.5, 1.5]
  // EXEC-NEXT: [3, 4, 5, 1.5, 1.5]

  // pad constant with negative pads: np.pad(x[1:, :2], ((0, 1), (1, 0)))
  %r14 = fuse.pad %in_x34 {pads = array<i64: -1, 1, 1, -2>} : tensor<3x4xf32> -> tensor<3x3xf32>
  %u14 = tensor.cast %r14 : tensor<3x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u14) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [3, 3]
  // EXEC-NEXT: [0, 4, 5]
  // EXEC-NEXT: [0, 8, 9]
  // EXEC-NEXT: [0, 0, 0]

  // pad reflect: np.pad(x, ((1, 1), (2, 3)), mode='reflect')
  %r15 = fuse.pad %in_x24 {pads = array<i64: 1, 2, 1, 3>, mode = #fuse.pad_mode<reflect>} : tensor<2x4xf32> -> tensor<4x9xf32>
  %u15 = tensor.cast %r15 : tensor<4x9xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u15) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [4, 9]
  // EXEC-NEXT: [6, 5, 4, 5, 6, 7, 6, 5, 4]
  // EXEC-NEXT: [2, 1, 0, 1, 2, 3, 2, 1, 0]
  // EXEC-NEXT: [6, 5, 4, 5, 6, 7, 6, 5, 4]
  // EXEC-NEXT: [2, 1, 0, 1, 2, 3, 2, 1, 0]

  // pad edge: np.pad(x, ((2, 1), (1, 3)), mode='edge')
  %r16 = fuse.pad %in_x23 {pads = array<i64: 2, 1, 1, 3>, mode = #fuse.pad_mode<edge>} : tensor<2x3xf32> -> tensor<5x7xf32>
  %u16 = tensor.cast %r16 : tensor<5x7xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u16) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [5, 7]
  // EXEC-NEXT: [0, 0, 1, 2, 2, 2, 2]
  // EXEC-NEXT: [0, 0, 1, 2, 2, 2, 2]
  // EXEC-NEXT: [0, 0, 1, 2, 2, 2, 2]
  // EXEC-NEXT: [3, 3, 4, 5, 5, 5, 5]
  // EXEC-NEXT: [3, 3, 4, 5, 5, 5, 5]

  // tile: np.tile(x, (2, 3))
  %r17 = fuse.tile %in_x23 {repeats = array<i64: 2, 3>} : tensor<2x3xf32> -> tensor<4x9xf32>
  %u17 = tensor.cast %r17 : tensor<4x9xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u17) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [4, 9]
  // EXEC-NEXT: [0, 1, 2, 0, 1, 2, 0, 1, 2]
  // EXEC-NEXT: [3, 4, 5, 3, 4, 5, 3, 4, 5]
  // EXEC-NEXT: [0, 1, 2, 0, 1, 2, 0, 1, 2]
  // EXEC-NEXT: [3, 4, 5, 3, 4, 5, 3, 4, 5]

  // resize nearest asymmetric floor, scales [1, 1, 2, 2] (the PP-OCR form):
  // interpolate_nd(x, lambda r: nearest_coeffs(r, mode='floor'), scale_factors=scales,
  //                coordinate_transformation_mode='asymmetric')
  %r18 = fuse.resize %in_r23 {scales = array<f32: 1.0, 1.0, 2.0, 2.0>, mode = #fuse.resize_mode<nearest>, coordinate_mode = #fuse.coordinate_mode<asymmetric>, nearest_mode = #fuse.nearest_mode<floor>} : tensor<1x1x2x3xf32> -> tensor<1x1x4x6xf32>
  %u18 = tensor.cast %r18 : tensor<1x1x4x6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u18) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 4, 6]
  // EXEC-NEXT: [1, 1, 2, 2, 3, 3]
  // EXEC-NEXT: [1, 1, 2, 2, 3, 3]
  // EXEC-NEXT: [4, 4, 5, 5, 6, 6]
  // EXEC-NEXT: [4, 4, 5, 5, 6, 6]

  // resize nearest half_pixel round_prefer_floor to sizes 5x7:
  // interpolate_nd(x, nearest_coeffs, output_size=(1, 1, 5, 7))
  %r19 = fuse.resize %in_r34 {mode = #fuse.resize_mode<nearest>} : tensor<1x1x3x4xf32> -> tensor<1x1x5x7xf32>
  %u19 = tensor.cast %r19 : tensor<1x1x5x7xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u19) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 5, 7]
  // EXEC-NEXT: [1, 1, 2, 2, 3, 4, 4]
  // EXEC-NEXT: [1, 1, 2, 2, 3, 4, 4]
  // EXEC-NEXT: [5, 5, 6, 6, 7, 8, 8]
  // EXEC-NEXT: [9, 9, 10, 10, 11, 12, 12]
  // EXEC-NEXT: [9, 9, 10, 10, 11, 12, 12]

  // resize nearest tf_half_pixel_for_nn round_prefer_ceil, down to 3x4
  // (onnx 1.12's reference lacks this mode; numpy per the ONNX spec:
  //  x[np.ix_(*[clip(floor((arange(o) + 0.5) / (o / i) + 0.5), 0, i - 1)])])
  %r20 = fuse.resize %in_r46 {mode = #fuse.resize_mode<nearest>, coordinate_mode = #fuse.coordinate_mode<tf_half_pixel_for_nn>, nearest_mode = #fuse.nearest_mode<round_prefer_ceil>} : tensor<1x1x4x6xf32> -> tensor<1x1x3x4xf32>
  %u20 = tensor.cast %r20 : tensor<1x1x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u20) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 3, 4]
  // EXEC-NEXT: [8, 9, 11, 12]
  // EXEC-NEXT: [14, 15, 17, 18]
  // EXEC-NEXT: [20, 21, 23, 24]

  // resize nearest align_corners ceil to 5x5:
  // interpolate_nd(x, lambda r: nearest_coeffs(r, mode='ceil'), output_size=(1, 1, 5, 5),
  //                coordinate_transformation_mode='align_corners')
  %r21 = fuse.resize %in_r34 {mode = #fuse.resize_mode<nearest>, coordinate_mode = #fuse.coordinate_mode<align_corners>, nearest_mode = #fuse.nearest_mode<ceil>} : tensor<1x1x3x4xf32> -> tensor<1x1x5x5xf32>
  %u21 = tensor.cast %r21 : tensor<1x1x5x5xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u21) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 5, 5]
  // EXEC-NEXT: [1, 2, 3, 4, 4]
  // EXEC-NEXT: [5, 6, 7, 8, 8]
  // EXEC-NEXT: [5, 6, 7, 8, 8]
  // EXEC-NEXT: [9, 10, 11, 12, 12]
  // EXEC-NEXT: [9, 10, 11, 12, 12]

  // resize linear half_pixel to 4x6:
  // interpolate_nd(x, linear_coeffs, output_size=(1, 1, 4, 6))
  %r22 = fuse.resize %in_r23 {mode = #fuse.resize_mode<linear>} : tensor<1x1x2x3xf32> -> tensor<1x1x4x6xf32>
  %u22 = tensor.cast %r22 : tensor<1x1x4x6xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u22) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 4, 6]
  // EXEC-NEXT: [1, 1.25, 1.75, 2.25, 2.75, 3]
  // EXEC-NEXT: [1.75, 2, 2.5, 3, 3.5, 3.75]
  // EXEC-NEXT: [3.25, 3.5, 4, 4.5, 5, 5.25]
  // EXEC-NEXT: [4, 4.25, 4.75, 5.25, 5.75, 6]

  // resize linear align_corners to 5x5:
  // interpolate_nd(x, linear_coeffs, output_size=(1, 1, 5, 5), coordinate_transformation_mode='align_corners')
  %r23 = fuse.resize %in_r33 {mode = #fuse.resize_mode<linear>, coordinate_mode = #fuse.coordinate_mode<align_corners>} : tensor<1x1x3x3xf32> -> tensor<1x1x5x5xf32>
  %u23 = tensor.cast %r23 : tensor<1x1x5x5xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u23) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 5, 5]
  // EXEC-NEXT: [1, 1.5, 2, 2.5, 3]
  // EXEC-NEXT: [2.5, 3, 3.5, 4, 4.5]
  // EXEC-NEXT: [4, 4.5, 5, 5.5, 6]
  // EXEC-NEXT: [5.5, 6, 6.5, 7, 7.5]
  // EXEC-NEXT: [7, 7.5, 8, 8.5, 9]

  // resize linear pytorch_half_pixel to 3x1 (a size-1 dim):
  // interpolate_nd(x, linear_coeffs, output_size=(1, 1, 3, 1), coordinate_transformation_mode='pytorch_half_pixel')
  // (the reference's -0.5 for size 1 and the spec's 0 give the same linear value)
  %r24 = fuse.resize %in_r44 {mode = #fuse.resize_mode<linear>, coordinate_mode = #fuse.coordinate_mode<pytorch_half_pixel>} : tensor<1x1x4x4xf32> -> tensor<1x1x3x1xf32>
  %u24 = tensor.cast %r24 : tensor<1x1x3x1xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u24) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 3, 1]
  // EXEC-NEXT: [1.66667]
  // EXEC-NEXT: [7]
  // EXEC-NEXT: [12.3333]

  // resize cubic half_pixel A=-0.75 to 8x8:
  // interpolate_nd(x, cubic_coeffs, output_size=(1, 1, 8, 8))
  %r25 = fuse.resize %in_r44 {mode = #fuse.resize_mode<cubic>} : tensor<1x1x4x4xf32> -> tensor<1x1x8x8xf32>
  %u25 = tensor.cast %r25 : tensor<1x1x8x8xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u25) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 8, 8]
  // EXEC-NEXT: [0.472656, 0.769531, 1.24609, 1.875, 2.28125, 2.91016, 3.38672, 3.68359]
  // EXEC-NEXT: [1.66016, 1.95703, 2.43359, 3.0625, 3.46875, {{4\.09765|4\.09766}}, 4.57422, {{4\.87109|4\.8711}}]
  // EXEC-NEXT: [3.56641, 3.86328, {{4\.33984|4\.33985}}, 4.96875, 5.375, {{6\.0039|6\.00391}}, 6.48047, {{6\.77734|6\.77735}}]
  // EXEC-NEXT: [6.08203, {{6\.3789|6\.37891}}, 6.85547, {{7\.48437|7\.48438}}, {{7\.89062|7\.89063}}, 8.51953, {{8\.99609|8\.9961}}, 9.29297]
  // EXEC-NEXT: [7.70703, {{8\.0039|8\.00391}}, 8.48047, {{9\.10937|9\.10938}}, {{9\.51562|9\.51563}}, 10.1445, 10.6211, 10.918]
  // EXEC-NEXT: [10.2227, 10.5195, 10.9961, 11.625, {{12\.0312|12\.0313}}, 12.6602, 13.1367, 13.4336]
  // EXEC-NEXT: [12.1289, 12.4258, 12.9023, {{13\.5312|13\.5313}}, 13.9375, 14.5664, 15.043, 15.3398]
  // EXEC-NEXT: [13.3164, 13.6133, 14.0898, {{14\.7187|14\.7188}}, 15.125, 15.7539, 16.2305, 16.5273]

  // resize cubic asymmetric A=-0.5 exclude_outside, scales [1, 1, 0.8, 0.8]:
  // interpolate_nd(x, lambda r: cubic_coeffs(r, A=-0.5), scale_factors=scales,
  //                coordinate_transformation_mode='asymmetric', exclude_outside=True)
  %r26 = fuse.resize %in_r44 {scales = array<f32: 1.0, 1.0, 0.8, 0.8>, mode = #fuse.resize_mode<cubic>, coordinate_mode = #fuse.coordinate_mode<asymmetric>, cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true} : tensor<1x1x4x4xf32> -> tensor<1x1x3x3xf32>
  %u26 = tensor.cast %r26 : tensor<1x1x3x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u26) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 3, 3]
  // EXEC-NEXT: [1, 2.25, {{3\.58823|3\.58824}}]
  // EXEC-NEXT: [6, 7.25, {{8\.58823|8\.58824}}]
  // EXEC-NEXT: [11.3529, 12.6029, 13.9412]

  // resize cubic half_pixel A=-0.75 down to 2x3:
  // interpolate_nd(x, cubic_coeffs, output_size=(1, 1, 2, 3))
  %r27 = fuse.resize %in_r46 {mode = #fuse.resize_mode<cubic>} : tensor<1x1x4x6xf32> -> tensor<1x1x2x3xf32>
  %u27 = tensor.cast %r27 : tensor<1x1x2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u27) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 2, 3]
  // EXEC-NEXT: [3.84375, 5.9375, 8.03125]
  // EXEC-NEXT: [{{16\.9687|16\.9688}}, 19.0625, {{21\.1562|21\.1563}}]

  // resize linear asymmetric, scales [1, 1, 0.6, 0.6]:
  // interpolate_nd(x, linear_coeffs, scale_factors=scales, coordinate_transformation_mode='asymmetric')
  %r28 = fuse.resize %in_r46 {scales = array<f32: 1.0, 1.0, 0.6, 0.6>, mode = #fuse.resize_mode<linear>, coordinate_mode = #fuse.coordinate_mode<asymmetric>} : tensor<1x1x4x6xf32> -> tensor<1x1x2x3xf32>
  %u28 = tensor.cast %r28 : tensor<1x1x2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u28) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 2, 3]
  // EXEC-NEXT: [1, 2.66667, 4.33333]
  // EXEC-NEXT: [11, 12.6667, 14.3333]
  return
}
