// End-to-end numerics of the reduction and normalization lowerings on the
// CPU. Inputs are multiples of 0.25 (exact in f32); the expected values come
// from numpy in float64 (the expressions are in the comments), printed with
// %g; where f32 rounding (a few ulp, or a few f32 epsilons absolute for
// the log-sum-exp cases, whose log(1 + tiny) has only absolute accuracy) could change the trailing
// digits those digits are a regex.
//
// RUN: fuse-opt %s --fuse-to-linalg | mlir-opt --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops --expand-strided-metadata --lower-affine --convert-scf-to-cf --convert-math-to-llvm --convert-math-to-libm --convert-to-llvm --reconcile-unrealized-casts | mlir-runner -e main -entry-point-result=void -shared-libs=/usr/lib/llvm-22/lib/libmlir_runner_utils.so,/usr/lib/llvm-22/lib/libmlir_c_runner_utils.so | FileCheck %s --check-prefix=EXEC

func.func private @printMemrefF32(tensor<*xf32>) attributes { llvm.emit_c_interface }
func.func private @printMemrefI32(tensor<*xi32>) attributes { llvm.emit_c_interface }

func.func @main() {
  %in1 = arith.constant dense<[[[1.25, 0.5, 0.0, -1.0], [-1.0, -2.0, -1.75, -2.0], [-1.5, 1.25, 0.5, 1.5]], [[0.0, 0.25, 1.75, 0.75], [0.5, 0.0, 0.0, 1.5], [-1.0, 1.25, 0.5, -2.0]]]> : tensor<2x3x4xf32>

  // reduce sum, axes [1], keepdims True:
  // numpy: x.sum(1, keepdims=True)
  %r_sum = fuse.reduce sum %in1 {axes = array<i64: 1>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %u2 = tensor.cast %r_sum : tensor<2x1x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 1, 4]
  // EXEC-NEXT: [-1.25, -0.25, -1.25, -1.5]
  // EXEC-NEXT: [-0.5, 1.5, 2.25, 0.25]

  // reduce mean, axes [0, 2], keepdims False:
  // numpy: x.mean((0, 2))
  %r_mean = fuse.reduce mean %in1 {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
  %u3 = tensor.cast %r_mean : tensor<3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [3]
  // EXEC-NEXT: [0.4375, -0.59375, 0.0625]

  // reduce max, axes [2], keepdims False:
  // numpy: x.max(2)
  %r_max = fuse.reduce max %in1 {axes = array<i64: 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  %u4 = tensor.cast %r_max : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3]
  // EXEC-NEXT: [1.25, -1, 1.5]
  // EXEC-NEXT: [1.75, 1.5, 1.25]

  // reduce min, axes [0], keepdims True:
  // numpy: x.min(0, keepdims=True)
  %r_min = fuse.reduce min %in1 {axes = array<i64: 0>} : tensor<2x3x4xf32> -> tensor<1x3x4xf32>
  %u5 = tensor.cast %r_min : tensor<1x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 3, 4]
  // EXEC-NEXT: [0, 0.25, 0, -1]
  // EXEC-NEXT: [-1, -2, -1.75, -2]
  // EXEC-NEXT: [-1.5, 1.25, 0.5, -2]

  // reduce prod, axes [2], keepdims True:
  // numpy: x.prod(2, keepdims=True)
  %r_prod = fuse.reduce prod %in1 {axes = array<i64: 2>} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
  %u6 = tensor.cast %r_prod : tensor<2x3x1xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 1]
  // EXEC-NEXT: [-0]
  // EXEC-NEXT: [7]
  // EXEC-NEXT: [-1.40625]
  // EXEC-NEXT: [0]
  // EXEC-NEXT: [0]
  // EXEC-NEXT: [1.25]

  // reduce l1, axes [1, 2], keepdims False:
  // numpy: np.abs(x).sum((1, 2))
  %r_l1 = fuse.reduce l1 %in1 {axes = array<i64: 1, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2xf32>
  %u7 = tensor.cast %r_l1 : tensor<2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2]
  // EXEC-NEXT: [14.25, 9.5]

  // reduce l2, axes [2], keepdims False:
  // numpy: np.sqrt((x * x).sum(2))
  %r_l2 = fuse.reduce l2 %in1 {axes = array<i64: 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x3xf32>
  %u8 = tensor.cast %r_l2 : tensor<2x3xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u8) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3]
  // EXEC-NEXT: [1.67705, 3.47311, 2.51247]
  // EXEC-NEXT: [1.92029, 1.58114, 2.61008]
  %in9 = arith.constant dense<[[[1.5, 0.75, 0.25, 1.25], [1.25, 2.25, 2.0, 2.25], [1.75, 1.5, 0.75, 1.75]], [[0.25, 0.5, 2.0, 1.0], [0.75, 0.25, 0.25, 1.75], [1.25, 1.5, 0.75, 2.25]]]> : tensor<2x3x4xf32>

  // reduce log_sum over axis 1 of p = abs(x) + 0.25:
  // numpy: np.log(p.sum(1))
  %r_log_sum = fuse.reduce log_sum %in9 {axes = array<i64: 1>, keepdims = false} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %u10 = tensor.cast %r_log_sum : tensor<2x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u10) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 4]
  // EXEC-NEXT: [1.50408, 1.50408, 1.09861, 1.65823]
  // EXEC-NEXT: [0.81093, 0.81093, 1.09861, 1.60944]
  %in11 = arith.constant dense<[[[50.0, 20.0, 0.0, -40.0], [-40.0, -80.0, -70.0, -80.0], [-60.0, 50.0, 20.0, 60.0]], [[0.0, 10.0, 70.0, 30.0], [20.0, 0.0, 0.0, 60.0], [-40.0, 50.0, 20.0, -80.0]]]> : tensor<2x3x4xf32>

  // reduce log_sum_exp over axis 2 of b = 40 * x (exp(b) overflows f32 without the max shift):
  // numpy: m = b.max(2, keepdims=True); (m + np.log(np.exp(b - m).sum(2, keepdims=True)))
  %r_lse = fuse.reduce log_sum_exp %in11 {axes = array<i64: 2>} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
  %u12 = tensor.cast %r_lse : tensor<2x3x1xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u12) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 1]
  // EXEC-NEXT: [50]
  // EXEC-NEXT: [-40]
  // EXEC-NEXT: [60{{[0-9.]*}}]
  // EXEC-NEXT: [70]
  // EXEC-NEXT: [60]
  // EXEC-NEXT: [50]
  %ninf = arith.constant dense<0xFF800000> : tensor<2x3xf32>

  // reduce log_sum_exp of all -inf is -inf (not NaN):
  // numpy: np.log(np.exp(np.full((2, 3), -np.inf)).sum(1))
  %r_lse_inf = fuse.reduce log_sum_exp %ninf {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  %u13 = tensor.cast %r_lse_inf : tensor<2xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u13) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2]
  // EXEC-NEXT: [-inf, -inf]

  // reduce sum_square, axes all, keepdims True:
  // numpy: (x * x).sum() with keepdims
  %r_sum_square = fuse.reduce sum_square %in1 : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  %u14 = tensor.cast %r_sum_square : tensor<1x1x1xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u14) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [1, 1, 1]
  // EXEC-NEXT: [34.1875]
  %in15 = arith.constant dense<[[-5, 14, 2, -19, 10], [9, 13, -13, -17, 14]]> : tensor<2x5xi32>

  // reduce sum, i32, axis 1:
  // numpy: xi.sum(1)
  %r_isum = fuse.reduce sum %in15 {axes = array<i64: 1>, keepdims = false} : tensor<2x5xi32> -> tensor<2xi32>
  %u16 = tensor.cast %r_isum : tensor<2xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u16) : (tensor<*xi32>) -> ()
  // EXEC: sizes = [2]
  // EXEC-NEXT: [2, 6]

  // reduce mean, i32, axis 1 (truncating division):
  // numpy: np.trunc(xi.sum(1) / 5)
  %r_imean = fuse.reduce mean %in15 {axes = array<i64: 1>, keepdims = false} : tensor<2x5xi32> -> tensor<2xi32>
  %u17 = tensor.cast %r_imean : tensor<2xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u17) : (tensor<*xi32>) -> ()
  // EXEC: sizes = [2]
  // EXEC-NEXT: [0, 1]

  // reduce max, i32, all axes:
  // numpy: xi.max()
  %r_imax = fuse.reduce max %in15 : tensor<2x5xi32> -> tensor<1x1xi32>
  %u18 = tensor.cast %r_imax : tensor<1x1xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u18) : (tensor<*xi32>) -> ()
  // EXEC: sizes = [1, 1]
  // EXEC-NEXT: [14]

  // reduce l1, i32, axis 1:
  // numpy: np.abs(xi).sum(1)
  %r_il1 = fuse.reduce l1 %in15 {axes = array<i64: 1>, keepdims = false} : tensor<2x5xi32> -> tensor<2xi32>
  %u19 = tensor.cast %r_il1 : tensor<2xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u19) : (tensor<*xi32>) -> ()
  // EXEC: sizes = [2]
  // EXEC-NEXT: [50, 66]

  // reduce min, i32, axis 0 (init is the i32 maximum):
  // numpy: xi.min(0)
  %r_imin = fuse.reduce min %in15 {axes = array<i64: 0>, keepdims = false} : tensor<2x5xi32> -> tensor<5xi32>
  %u20 = tensor.cast %r_imin : tensor<5xi32> to tensor<*xi32>
  func.call @printMemrefI32(%u20) : (tensor<*xi32>) -> ()
  // EXEC: sizes = [5]
  // EXEC-NEXT: [-5, 13, -13, -19, 10]

  // softmax along axis 1:
  // numpy: e = np.exp(x - x.max(1, keepdims=True)); e / e.sum(1, keepdims=True)
  %sm = fuse.softmax %in1 {axis = 1 : i64} : tensor<2x3x4xf32>
  %u21 = tensor.cast %sm : tensor<2x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u21) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 4]
  // EXEC-NEXT: [0.85519{{[0-9.]*}}, 0.312589, 0.35429{{[0-9.]*}}, 0.0737987]
  // EXEC-NEXT: [0.090136{{[0-9.]*}}, 0.0256589, 0.0615675, 0.027149]
  // EXEC-NEXT: [0.054670{{[0-9.]*}}, 0.661752, 0.584136, 0.89905{{[0-9.]*}}]
  // EXEC-NEXT: [0.331499, 0.222366, 0.684801, 0.314374]
  // EXEC-NEXT: [0.5465{{[0-9.]*}}, 0.173179, 0.119001, 0.665529]
  // EXEC-NEXT: [0.121952, 0.60445{{[0-9.]*}}, 0.196199, 0.0200972]

  // log_softmax along axis 2 of 40 * x:
  // numpy: np.log(softmax(b, 2)) computed as b - m - log(sum(exp(b - m)))
  %lsm = fuse.log_softmax %in11 {axis = 2 : i64} : tensor<2x3x4xf32>
  %u22 = tensor.cast %lsm : tensor<2x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u22) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 4]
  // EXEC-NEXT: [{{-?(0|[0-9.]+(e-[0-9]+)?)}}, -30, -50, -90]
  // EXEC-NEXT: [{{-?(0|[0-9.]+(e-[0-9]+)?)}}, -40, -30, -40]
  // EXEC-NEXT: [-120, -10, -40, -4.{{[0-9]*}}e-05]
  // EXEC-NEXT: [-70, -60, {{-?(0|[0-9.]+(e-[0-9]+)?)}}, -40]
  // EXEC-NEXT: [-40, -60, -60, {{-?(0|[0-9.]+(e-[0-9]+)?)}}]
  // EXEC-NEXT: [-90, {{-?(0|[0-9.]+(e-[0-9]+)?)}}, -30, -130]
  %in23 = arith.constant dense<[-2.0, 0.0, -1.75, -1.0]> : tensor<4xf32>
  %in24 = arith.constant dense<[[-0.25, -0.5, -0.5, -2.0], [-2.0, -1.75, -2.0, 0.5], [0.0, 0.5, -1.0, 0.25]]> : tensor<3x4xf32>

  // layer_norm over dims 1..2, scale [4], bias [3, 4], epsilon 0.1:
  // numpy: (x - mu) / np.sqrt(var + 0.1) * g + b with mu, var = mean and variance over (1, 2)
  %ln = fuse.layer_norm %in1 scale %in23 bias %in24 {axis = 1 : i64, epsilon = 1.000000e-01 : f32} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<3x4xf32>) -> tensor<2x3x4xf32>
  %u25 = tensor.cast %ln : tensor<2x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u25) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 4]
  // EXEC-NEXT: [-2.6821, -0.5, -0.969837, -1.51042]
  // EXEC-NEXT: [-1.02084, -1.75, -0.148289, 1.7476{{[0-9.]*}}]
  // EXEC-NEXT: [1.73721, 0.5, -2.13314, -1.15556]
  // EXEC-NEXT: [0.306626, -0.5, -2.93524, -2.43735]
  // EXEC-NEXT: [-2.39759, -1.75, -1.51295, -0.653011]
  // EXEC-NEXT: [2.46506, 0.5, -1.34789, 2.4367{{[0-9.]*}}]

  // layer_norm over the last dim, no scale or bias, default epsilon 1e-5:
  // numpy: (x - mu) / np.sqrt(var + 1e-5)
  %ln2 = fuse.layer_norm %in1 {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %u26 = tensor.cast %ln2 : tensor<2x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u26) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 4]
  // EXEC-NEXT: [1.30001, 0.382357, -0.229414, -1.45296]
  // EXEC-NEXT: [1.67743, -0.76247, -0.152494, -0.76247]
  // EXEC-NEXT: [-1.6453, 0.689966, 0.0530743, 0.902263]
  // EXEC-NEXT: [-1.02574, -0.652746, 1.58524, 0.093249{{[0-9.]*}}]
  // EXEC-NEXT: [{{-?(0|[0-9.]+(e-[0-9]+)?)}}, -0.816486, -0.816486, 1.63297]
  // EXEC-NEXT: [-0.542588, 1.2331{{[0-9.]*}}, 0.64124{{[0-9.]*}}, -1.33181]
  %in27 = arith.constant dense<[1.0, -0.5, -0.25]> : tensor<3xf32>
  %in28 = arith.constant dense<[1.75, 1.0, 1.75]> : tensor<3xf32>
  %in29 = arith.constant dense<[-0.5, 0.5, 1.75]> : tensor<3xf32>
  %in30 = arith.constant dense<[1.0, 1.75, 1.25]> : tensor<3xf32>

  // batch_norm over channel dim 1, epsilon 1e-3:
  // numpy: (x - mean) / np.sqrt(var + 1e-3) * scale + bias, per-channel vectors broadcast as [1, C, 1]
  %bn = fuse.batch_norm %in1, %in27, %in28, %in29, %in30 {epsilon = 1.000000e-03 : f32} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  %u31 = tensor.cast %bn : tensor<2x3x4xf32> to tensor<*xf32>
  func.call @printMemrefF32(%u31) : (tensor<*xf32>) -> ()
  // EXEC: sizes = [2, 3, 4]
  // EXEC-NEXT: [3.4991{{[0-9.]*}}, 2.7495, 2.24975, 1.25025]
  // EXEC-NEXT: [1.5667{{[0-9.]*}}, 1.94464, 1.85018, 1.94464]
  // EXEC-NEXT: [2.47643, 1.86176, 2.0294, 1.80588]
  // EXEC-NEXT: [2.24975, 2.4996{{[0-9.]*}}, 3.9988{{[0-9.]*}}, 2.9993{{[0-9.]*}}]
  // EXEC-NEXT: [1, 1.18893, 1.18893, 0.62214{{[0-9.]*}}]
  // EXEC-NEXT: [2.36467, 1.86176, 2.0294, 2.58819]
  return
}
