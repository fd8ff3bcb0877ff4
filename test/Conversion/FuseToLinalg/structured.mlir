// RUN: fuse-opt %s --split-input-file --verify-diagnostics --fuse-to-linalg | FileCheck %s

// The indexing maps that carry the semantics.
// CHECK-DAG: #[[$MM_A:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d4, d2)>
// CHECK-DAG: #[[$MM_B:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[$MM_C:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CONV2D_IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 3) * 2 + d4, d2 * 2 + d5, d3 + d6 * 2)>
// CHECK-DAG: #[[$CONV2D_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
// CHECK-DAG: #[[$CONV2D_OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// Without groups the input does not depend on the filter.
// CHECK-DAG: #[[$CONV1D_IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d2 + d4)>
// CHECK-DAG: #[[$CONV3D_IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8) -> (d0, d5, d2 + d6, d3 + d7, d4 + d8)>
// CHECK-DAG: #[[$FLIP2D:map[0-9]*]] = affine_map<(d0, d1, d2, d3) -> ((d0 floordiv 4) * 2 + d1, d0 mod 4, -d2 + 2, -d3 + 2)>
// CHECK-DAG: #[[$CT_IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
// CHECK-DAG: #[[$FLIP1D:map[0-9]*]] = affine_map<(d0, d1, d2) -> (d0 floordiv 2 + d1, d0 mod 2, -d2 + 1)>
// CHECK-DAG: #[[$POOL2D_IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$POOL2D_WIN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$POOL2D_OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>

// Batch dims [2, 1] and [5] broadcast to [2, 5]; transpose_a reads lhs as [K, M].
// CHECK-LABEL: func.func @matmul_broadcast_transpose_a
// CHECK:         %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x5x4x6xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[$MM_A]], #[[$MM_B]], #[[$MM_C]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%arg0, %arg1 : tensor<2x1x3x4xf32>, tensor<5x3x6xf32>) outs(%[[ZERO]] : tensor<2x5x4x6xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @matmul_broadcast_transpose_a(%a: tensor<2x1x3x4xf32>, %b: tensor<5x3x6xf32>) -> tensor<2x5x4x6xf32> {
  %c = fuse.matmul %a, %b {transpose_a = true} : (tensor<2x1x3x4xf32>, tensor<5x3x6xf32>) -> tensor<2x5x4x6xf32>
  return %c : tensor<2x5x4x6xf32>
}

// Integers multiply and add with arith.muli / arith.addi.
// CHECK-LABEL: func.func @matmul_i32_transpose_b
// CHECK:         linalg.generic {indexing_maps = [#[[$MK:.*]], #[[$NK:.*]], #[[$MN:.*]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK:           arith.muli
// CHECK:           arith.addi
func.func @matmul_i32_transpose_b(%a: tensor<4x3xi32>, %b: tensor<6x3xi32>) -> tensor<4x6xi32> {
  %c = fuse.matmul %a, %b {transpose_b = true} : (tensor<4x3xi32>, tensor<6x3xi32>) -> tensor<4x6xi32>
  return %c : tensor<4x6xi32>
}

// Pads begins-then-ends become tensor.pad low/high; the bias is the init;
// group g of filter f reads channels (f floordiv 3) * 2 + c.
// CHECK-LABEL: func.func @conv2d_grouped
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 0] high[0, 0, 0, 1]
// CHECK:         %[[BIAS:.*]] = linalg.generic {indexing_maps = [#[[$CHANNEL4:.*]], #[[$ID4:.*]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%arg2 : tensor<6xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[$CONV2D_IN]], #[[$CONV2D_W]], #[[$CONV2D_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[PAD]], %arg1 : tensor<1x4x6x6xf32>, tensor<6x2x2x2xf32>) outs(%[[BIAS]] : tensor<1x6x3x4xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @conv2d_grouped(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x2x2xf32>, %b: tensor<6xf32>) -> tensor<1x6x3x4xf32> {
  %y = fuse.conv %x, %w, %b {groups = 2 : i64, strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 0, 0, 1>} : (tensor<1x4x5x5xf32>, tensor<6x2x2x2xf32>, tensor<6xf32>) -> tensor<1x6x3x4xf32>
  return %y : tensor<1x6x3x4xf32>
}

// No pads: no tensor.pad; f16 accumulates in f32 (operands extended),
// rounded to f16 once.
// CHECK-LABEL: func.func @conv1d_unpadded
// CHECK-NOT:     tensor.pad
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x4x6xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[$CONV1D_IN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:           arith.extf %{{.*}} : f16 to f32
// CHECK:           arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:         arith.truncf %{{.*}} : f32 to f16
func.func @conv1d_unpadded(%x: tensor<2x3x8xf16>, %w: tensor<4x3x3xf16>) -> tensor<2x4x6xf16> {
  %y = fuse.conv %x, %w : (tensor<2x3x8xf16>, tensor<4x3x3xf16>) -> tensor<2x4x6xf16>
  return %y : tensor<2x4x6xf16>
}

// CHECK-LABEL: func.func @conv3d
// CHECK:         linalg.generic {indexing_maps = [#[[$CONV3D_IN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]}
func.func @conv3d(%x: tensor<1x2x4x4x4xf32>, %w: tensor<3x2x2x2x2xf32>) -> tensor<1x3x3x3x3xf32> {
  %y = fuse.conv %x, %w : (tensor<1x2x4x4x4xf32>, tensor<3x2x2x2x2xf32>) -> tensor<1x3x3x3x3xf32>
  return %y : tensor<1x3x3x3x3xf32>
}

// The input spreads with stride 2 into zeros padded by dilation*(K-1)-pad =
// 1 (+1 output_padding at the end); the weight is flipped and regrouped to
// [F, C/groups, K...]; then a stride-1 convolution.
// CHECK-LABEL: func.func @conv_transpose_stride2
// CHECK:         %[[ZEROS:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x8x8xf32>)
// CHECK:         %[[SPREAD:.*]] = tensor.insert_slice %arg0 into %[[ZEROS]][0, 0, 1, 1] [1, 2, 3, 3] [1, 1, 2, 2] : tensor<1x2x3x3xf32> into tensor<1x2x8x8xf32>
// CHECK:         %[[FLIP:.*]] = linalg.generic {indexing_maps = [#[[$FLIP2D]], #[[$ID4]]], {{.*}}} ins(%arg1 : tensor<2x4x3x3xf32>) outs(%{{.*}} : tensor<4x2x3x3xf32>)
// CHECK:         %[[BIAS:.*]] = linalg.generic {indexing_maps = [#[[$CHANNEL4]], #[[$ID4]]], {{.*}}} ins(%arg2 : tensor<4xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[$CT_IN]], #[[$CONV2D_W]], #[[$CONV2D_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[SPREAD]], %[[FLIP]] : tensor<1x2x8x8xf32>, tensor<4x2x3x3xf32>) outs(%[[BIAS]] : tensor<1x4x6x6xf32>)
func.func @conv_transpose_stride2(%x: tensor<1x2x3x3xf32>, %w: tensor<2x4x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %y = fuse.conv_transpose %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>} : (tensor<1x2x3x3xf32>, tensor<2x4x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  return %y : tensor<1x4x6x6xf32>
}

// pad_begin 3 > dilation*(K-1) = 2: the spread input is cropped by 1.
// CHECK-LABEL: func.func @conv_transpose_crop
// CHECK:         %[[SPREAD:.*]] = tensor.insert_slice %arg0 into %{{.*}}[0, 0, 0] [1, 2, 4] [1, 1, 1] : tensor<1x2x4xf32> into tensor<1x2x6xf32>
// CHECK:         %[[CROP:.*]] = tensor.extract_slice %[[SPREAD]][0, 0, 1] [1, 2, 5] [1, 1, 1] : tensor<1x2x6xf32> to tensor<1x2x5xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[$FLIP1D]], {{.*}}]
// CHECK:         linalg.generic {{.*}} ins(%[[CROP]], %{{.*}} : tensor<1x2x5xf32>, tensor<4x1x2xf32>)
func.func @conv_transpose_crop(%x: tensor<1x2x4xf32>, %w: tensor<2x2x2xf32>) -> tensor<1x4x3xf32> {
  %y = fuse.conv_transpose %x, %w {groups = 2 : i64, dilations = array<i64: 2>, pads = array<i64: 3, 0>} : (tensor<1x2x4xf32>, tensor<2x2x2xf32>) -> tensor<1x4x3xf32>
  return %y : tensor<1x4x3xf32>
}

// Pads with -inf; the ceil_mode window overhangs, so 2 (not 1) at the end.
// A kernel-shaped tensor.empty bounds the window loops.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK:           tensor.yield %[[NEG_INF]] : f32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK:         %[[WINDOW:.*]] = tensor.empty() : tensor<3x3xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[$POOL2D_IN]], #[[$POOL2D_WIN]], #[[$POOL2D_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[PAD]], %[[WINDOW]] : tensor<1x2x9x9xf32>, tensor<3x3xf32>) outs(%[[INIT]] : tensor<1x2x4x4xf32>)
// CHECK:           arith.maximumf
func.func @max_pool_ceil(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %y = fuse.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @max_pool_i32
// CHECK:         %[[MIN:.*]] = arith.constant -2147483648 : i32
// CHECK:         linalg.fill ins(%[[MIN]] : i32)
// CHECK:         linalg.generic
// CHECK:           arith.maxsi
func.func @max_pool_i32(%x: tensor<1x1x4xi32>) -> tensor<1x1x3xi32> {
  %y = fuse.max_pool %x {kernel_shape = array<i64: 2>} : tensor<1x1x4xi32> -> tensor<1x1x3xi32>
  return %y : tensor<1x1x3xi32>
}

// The divisor per output position: explicit pads count, the ceil_mode
// overhang of the last window does not.
// CHECK-LABEL: func.func @avg_pool_include_pad
// CHECK:         %[[COUNT:.*]] = arith.constant dense<[3.000000e+00, 3.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1] high[0, 0, 2]
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[PAD]], %{{.*}} : tensor<1x1x9xf32>, tensor<3xf32>)
// CHECK:           arith.addf
// CHECK:         linalg.generic {indexing_maps = [#[[$ID3:.*]], #[[$LAST3:.*]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[SUM]], %[[COUNT]] :
// CHECK:           arith.divf
func.func @avg_pool_include_pad(%x: tensor<1x1x6xf32>) -> tensor<1x1x4xf32> {
  %y = fuse.avg_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 1>, ceil_mode = true, count_include_pad = true} : tensor<1x1x6xf32> -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}

// CHECK-LABEL: func.func @avg_pool_exclude_pad
// CHECK:         arith.constant dense<[2.000000e+00, 3.000000e+00, 3.000000e+00, 1.000000e+00]> : tensor<4xf32>
func.func @avg_pool_exclude_pad(%x: tensor<1x1x6xf32>) -> tensor<1x1x4xf32> {
  %y = fuse.avg_pool %x {kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = array<i64: 1, 1>, ceil_mode = true} : tensor<1x1x6xf32> -> tensor<1x1x4xf32>
  return %y : tensor<1x1x4xf32>
}

// q k^T (K read transposed), then scale, mask and the causal select on
// linalg.index (j > i + L - S = i + 2 is -inf), a stable softmax over L,
// and the product with v.
// CHECK-LABEL: func.func @attention_causal_mask
// CHECK-DAG:     %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG:     %[[SHIFT:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[QK:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %arg1 :
// CHECK:         %[[MASKED:.*]] = linalg.generic {{.*}} ins(%[[QK]], %arg3 : tensor<2x3x5xf32>, tensor<3x5xf32>)
// CHECK:           %[[S:.*]] = arith.mulf %{{.*}}, %[[SCALE]] : f32
// CHECK:           %[[M:.*]] = arith.addf %[[S]], %{{.*}} : f32
// CHECK:           %[[I:.*]] = linalg.index 1 : index
// CHECK:           %[[J:.*]] = linalg.index 2 : index
// CHECK:           %[[LIMIT:.*]] = arith.addi %[[I]], %[[SHIFT]] : index
// CHECK:           %[[HIDDEN:.*]] = arith.cmpi sgt, %[[J]], %[[LIMIT]] : index
// CHECK:           arith.select %[[HIDDEN]], %[[NEG_INF]], %[[M]] : f32
// CHECK:         %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[MASKED]] :
// CHECK:           arith.maximumf
// CHECK:         %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[MASKED]], %[[MAX]] :
// CHECK:           arith.subf
// CHECK:           math.exp
// CHECK:         %[[P:.*]] = linalg.generic {{.*}} ins(%[[MASKED]], %[[MAX]], %[[SUM]] :
// CHECK:           arith.divf
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[P]], %arg2 :
func.func @attention_causal_mask(%q: tensor<2x3x4xf32>, %k: tensor<2x5x4xf32>, %v: tensor<2x5x2xf32>, %m: tensor<3x5xf32>) -> tensor<2x3x2xf32> {
  %o = fuse.attention %q, %k, %v mask %m {causal = true} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>, tensor<2x5x2xf32>, tensor<3x5xf32>) -> tensor<2x3x2xf32>
  return %o : tensor<2x3x2xf32>
}

// Explicit scale, no mask, not causal: no linalg.index.
// CHECK-LABEL: func.func @attention_plain
// CHECK:         arith.constant 2.500000e-01 : f32
// CHECK-NOT:     linalg.index
// CHECK:         return
func.func @attention_plain(%q: tensor<3x4xf32>, %k: tensor<5x4xf32>, %v: tensor<5x2xf32>) -> tensor<3x2xf32> {
  %o = fuse.attention %q, %k, %v {scale = 2.500000e-01 : f32} : (tensor<3x4xf32>, tensor<5x4xf32>, tensor<5x2xf32>) -> tensor<3x2xf32>
  return %o : tensor<3x2xf32>
}

// -----

// Near miss: a valid conv whose bias element type differs from the input's
// is not lowered; the pass reports it.
func.func @conv_mixed_bias(%x: tensor<1x2x4xf32>, %w: tensor<3x2x2xf32>, %b: tensor<3xf16>) -> tensor<1x3x3xf32> {
  // expected-error @+1 {{no lowering to linalg for 'fuse.conv'}}
  %y = fuse.conv %x, %w, %b : (tensor<1x2x4xf32>, tensor<3x2x2xf32>, tensor<3xf16>) -> tensor<1x3x3xf32>
  return %y : tensor<1x3x3xf32>
}

// -----

// A 1x1 conv with unit strides and no pads collapses the plane: a 1-D
// convolution over H*W (the bias broadcast on the collapsed shape), then the
// result expands back.
// CHECK-LABEL: func.func @conv2d_pointwise
// CHECK:         %[[X:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0], [1], [2, 3]] : tensor<2x4x3x5xf32> into tensor<2x4x15xf32>
// CHECK:         %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1], [2, 3]] : tensor<6x4x1x1xf32> into tensor<6x4x1xf32>
// CHECK:         %[[BIAS:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<6xf32>) outs(%{{.*}} : tensor<2x6x15xf32>)
// CHECK:         %[[Y:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[W]] : tensor<2x4x15xf32>, tensor<6x4x1xf32>) outs(%[[BIAS]] : tensor<2x6x15xf32>)
// CHECK:         tensor.expand_shape %[[Y]] {{\[\[}}0], [1], [2, 3]] output_shape [2, 6, 3, 5] : tensor<2x6x15xf32> into tensor<2x6x3x5xf32>
func.func @conv2d_pointwise(%x: tensor<2x4x3x5xf32>, %w: tensor<6x4x1x1xf32>, %b: tensor<6xf32>) -> tensor<2x6x3x5xf32> {
  %y = fuse.conv %x, %w, %b : (tensor<2x4x3x5xf32>, tensor<6x4x1x1xf32>, tensor<6xf32>) -> tensor<2x6x3x5xf32>
  return %y : tensor<2x6x3x5xf32>
}

// Near-misses: a 1x1 conv with a stride or with pads keeps the spatial dims.
// CHECK-LABEL: func.func @conv2d_pointwise_strided
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         linalg.generic {{.*}}ins(%arg0, %arg1 : tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>)
// CHECK-LABEL: func.func @conv2d_pointwise_padded
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         tensor.pad
func.func @conv2d_pointwise_strided(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x2x2xf32> {
  %y = fuse.conv %x, %w {strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x2x2xf32>
  return %y : tensor<1x3x2x2xf32>
}
func.func @conv2d_pointwise_padded(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x1x1xf32>) -> tensor<1x3x6x6xf32> {
  %y = fuse.conv %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x6x6xf32>
  return %y : tensor<1x3x6x6xf32>
}

// -----

// 16 filters without groups: the filter dim splits into blocks of 8
// (f = fo * 8 + fi) through free reshapes of the weight and the bias init;
// the result collapses back.
// CHECK-DAG: #[[$FB_IN:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d5, d3 + d6, d4 + d7)>
// CHECK-DAG: #[[$FB_W:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
// CHECK-DAG: #[[$FB_OUT:map[0-9]*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv2d_filter_blocks
// CHECK:         %[[W:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 8, 2, 2, 2] : tensor<16x2x2x2xf32> into tensor<2x8x2x2x2xf32>
// CHECK:         %[[INIT:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 8, 2, 2] : tensor<1x16x2x2xf32> into tensor<1x2x8x2x2xf32>
// CHECK:         %[[Y:.*]] = linalg.generic {indexing_maps = [#[[$FB_IN]], #[[$FB_W]], #[[$FB_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%arg0, %[[W]] : tensor<1x2x3x3xf32>, tensor<2x8x2x2x2xf32>) outs(%[[INIT]] : tensor<1x2x8x2x2xf32>)
// CHECK:         tensor.collapse_shape %[[Y]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x8x2x2xf32> into tensor<1x16x2x2xf32>
func.func @conv2d_filter_blocks(%x: tensor<1x2x3x3xf32>, %w: tensor<16x2x2x2xf32>, %b: tensor<16xf32>) -> tensor<1x16x2x2xf32> {
  %y = fuse.conv %x, %w, %b : (tensor<1x2x3x3xf32>, tensor<16x2x2x2xf32>, tensor<16xf32>) -> tensor<1x16x2x2xf32>
  return %y : tensor<1x16x2x2xf32>
}

// Near-misses: 12 filters (not a multiple of 8) and 16 filters in 2 groups
// keep one filter dim.
// CHECK-LABEL: func.func @conv2d_no_filter_blocks
// CHECK-NOT:     tensor.expand_shape
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%arg0, %arg1 : tensor<1x2x3x3xf32>, tensor<12x2x2x2xf32>)
// CHECK:         linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%arg2, %arg3 : tensor<1x4x3x3xf32>, tensor<16x2x2x2xf32>)
func.func @conv2d_no_filter_blocks(%x: tensor<1x2x3x3xf32>, %w: tensor<12x2x2x2xf32>, %x2: tensor<1x4x3x3xf32>, %w2: tensor<16x2x2x2xf32>) -> (tensor<1x12x2x2xf32>, tensor<1x16x2x2xf32>) {
  %y = fuse.conv %x, %w : (tensor<1x2x3x3xf32>, tensor<12x2x2x2xf32>) -> tensor<1x12x2x2xf32>
  %y2 = fuse.conv %x2, %w2 {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<16x2x2x2xf32>) -> tensor<1x16x2x2xf32>
  return %y, %y2 : tensor<1x12x2x2xf32>, tensor<1x16x2x2xf32>
}
