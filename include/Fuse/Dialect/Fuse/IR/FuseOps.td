//===- FuseOps.td - Fuse dialect operations ----------------*- tablegen -*-===//
//
// Every op is value-semantic and pure, works on statically shaped ranked
// tensors, infers its result types where the operands and attributes
// determine them, and implements FusionKindInterface and CostInterface.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_DIALECT_FUSE_IR_FUSEOPS_TD
#define FUSE_DIALECT_FUSE_IR_FUSEOPS_TD

include "Fuse/Dialect/Fuse/IR/FuseDialect.td"
include "Fuse/Dialect/Fuse/IR/FuseAttrs.td"
include "Fuse/Dialect/Fuse/IR/FuseInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Fuse_Tensor : StaticShapeTensorOf<[F32, F16, BF16, I64, I32, I1]>;
def Fuse_FloatTensor : StaticShapeTensorOf<[F32, F16, BF16]>;
def Fuse_NumericTensor : StaticShapeTensorOf<[F32, F16, BF16, I64, I32]>;
def Fuse_IndexTensor : StaticShapeTensorOf<[I64, I32]>;
def Fuse_BoolTensor : StaticShapeTensorOf<[I1]>;

def Fuse_I64Array : DefaultValuedAttr<DenseI64ArrayAttr, "{}">;
def Fuse_FalseAttr : DefaultValuedAttr<BoolAttr, "false">;

//===----------------------------------------------------------------------===//
// Base classes
//===----------------------------------------------------------------------===//

// `mapping` and `flops` are C++ expressions evaluated inside the op class;
// they implement FusionKindInterface and CostInterface.
class Fuse_Op<string mnemonic, list<Trait> traits = [],
              string mapping = "::mlir::fuse::MappingType::ManyToMany",
              string flops = "0">
    : Op<Fuse_Dialect, mnemonic,
         !listconcat([Pure, FusionKindInterface, CostInterface], traits)> {
  code extraDecls = "";
  let extraClassDeclaration =
      "::mlir::fuse::MappingType getMappingType() { return " # mapping #
      "; }\n  int64_t getFlops() { return " # flops # "; }\n" # extraDecls;
}

//===----------------------------------------------------------------------===//
// Unary elementwise ops
//===----------------------------------------------------------------------===//

class Fuse_UnaryOp<string mnemonic, int flopsPerElement,
                   Type tensorType = Fuse_FloatTensor, list<Trait> traits = []>
    : Fuse_Op<mnemonic,
              !listconcat([SameOperandsAndResultType, InferTypeOpInterface],
                          traits),
              "::mlir::fuse::MappingType::OneToOne",
              "::mlir::fuse::numElements(getType()) * " # flopsPerElement> {
  let summary = "elementwise " # mnemonic;
  let description = "Applies `" # mnemonic # "` to every element.\n\n"
      "Example:\n```mlir\n%y = fuse." # mnemonic #
      " %x : tensor<4x8xf32>\n```";
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Fuse_NegOp : Fuse_UnaryOp<"neg", 1, Fuse_NumericTensor> {
  let hasFolder = 1;
}
def Fuse_AbsOp : Fuse_UnaryOp<"abs", 1, Fuse_NumericTensor> {
  let hasFolder = 1;
}
def Fuse_ExpOp : Fuse_UnaryOp<"exp", 4> { let hasFolder = 1; }
def Fuse_LogOp : Fuse_UnaryOp<"log", 4> { let hasFolder = 1; }
def Fuse_SqrtOp : Fuse_UnaryOp<"sqrt", 2> { let hasFolder = 1; }
def Fuse_RsqrtOp : Fuse_UnaryOp<"rsqrt", 2> { let hasFolder = 1; }
def Fuse_ReciprocalOp : Fuse_UnaryOp<"reciprocal", 1> { let hasFolder = 1; }
def Fuse_ReluOp : Fuse_UnaryOp<"relu", 1, Fuse_NumericTensor> {
  let hasFolder = 1;
}
def Fuse_SigmoidOp : Fuse_UnaryOp<"sigmoid", 4> { let hasFolder = 1; }
def Fuse_TanhOp : Fuse_UnaryOp<"tanh", 4> { let hasFolder = 1; }
def Fuse_ErfOp : Fuse_UnaryOp<"erf", 6> { let hasFolder = 1; }
def Fuse_SiluOp : Fuse_UnaryOp<"silu", 5>;
def Fuse_HardSwishOp : Fuse_UnaryOp<"hard_swish", 4>;
def Fuse_FloorOp : Fuse_UnaryOp<"floor", 1> { let hasFolder = 1; }
def Fuse_CeilOp : Fuse_UnaryOp<"ceil", 1> { let hasFolder = 1; }
def Fuse_RoundOp : Fuse_UnaryOp<"round", 1> {
  let description = "Rounds every element to the nearest integer, ties to "
                    "even (ONNX `Round`).";
  let hasFolder = 1;
}
def Fuse_SinOp : Fuse_UnaryOp<"sin", 4> { let hasFolder = 1; }
def Fuse_CosOp : Fuse_UnaryOp<"cos", 4> { let hasFolder = 1; }
def Fuse_NotOp : Fuse_UnaryOp<"not", 1, Fuse_BoolTensor> { let hasFolder = 1; }
def Fuse_TanOp : Fuse_UnaryOp<"tan", 8>;
def Fuse_AsinOp : Fuse_UnaryOp<"asin", 8>;
def Fuse_AcosOp : Fuse_UnaryOp<"acos", 8>;
def Fuse_AtanOp : Fuse_UnaryOp<"atan", 8>;
def Fuse_SinhOp : Fuse_UnaryOp<"sinh", 8>;
def Fuse_CoshOp : Fuse_UnaryOp<"cosh", 8>;
def Fuse_AsinhOp : Fuse_UnaryOp<"asinh", 8>;
def Fuse_AcoshOp : Fuse_UnaryOp<"acosh", 8>;
def Fuse_AtanhOp : Fuse_UnaryOp<"atanh", 8>;

def Fuse_LeakyReluOp : Fuse_UnaryOp<"leaky_relu", 2> {
  let description = [{
    `x >= 0 ? x : alpha * x` for every element.

    Example:
    ```mlir
    %y = fuse.leaky_relu %x {alpha = 1.000000e-01 : f32} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.01f">:$alpha);
}

def Fuse_GeluOp : Fuse_UnaryOp<"gelu", 8> {
  let description = [{
    Gaussian error linear unit. `approximate = none` is the exact erf form
    `0.5 x (1 + erf(x / sqrt(2)))`; `approximate = tanh` is
    `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`.

    Example:
    ```mlir
    %y = fuse.gelu %x {approximate = #fuse.gelu_approximation<tanh>} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$input,
      DefaultValuedAttr<Fuse_GeluApproximationAttr,
                        "::mlir::fuse::GeluApproximation::none">:$approximate);
}

def Fuse_HardSigmoidOp : Fuse_UnaryOp<"hard_sigmoid", 3> {
  let description = [{
    `max(0, min(1, alpha * x + beta))` for every element (ONNX defaults
    alpha = 0.2, beta = 0.5).

    Example:
    ```mlir
    %y = fuse.hard_sigmoid %x {alpha = 0.166666672 : f32} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.2f">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.5f">:$beta);
}

def Fuse_ClipOp : Fuse_UnaryOp<"clip", 2, Fuse_NumericTensor> {
  let description = [{
    `min(max(x, min), max)` for every element. Missing bounds are -inf/+inf.

    Example:
    ```mlir
    %y = fuse.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Fuse_NumericTensor:$input,
      DefaultValuedAttr<F64Attr,
          "-std::numeric_limits<double>::infinity()">:$min,
      DefaultValuedAttr<F64Attr,
          "std::numeric_limits<double>::infinity()">:$max);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Fuse_CastOp : Fuse_Op<"cast", [], "::mlir::fuse::MappingType::OneToOne",
                          "::mlir::fuse::numElements(getType())"> {
  let summary = "elementwise element type conversion";
  let description = [{
    Converts every element to the result's element type (ONNX `Cast`
    semantics: float to int truncates toward zero, to i1 compares with zero).
    The shapes of operand and result must match.

    Example:
    ```mlir
    %y = fuse.cast %x : tensor<4xf32> -> tensor<4xf16>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$input);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::mlir::Type":$elementType)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Binary and ternary elementwise ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

class Fuse_BroadcastOp<string mnemonic, list<Trait> traits = []>
    : Fuse_Op<mnemonic, !listconcat([InferTypeOpAdaptor], traits),
              "::mlir::fuse::elementwiseMapping(getOperation())",
              "::mlir::fuse::numElements(getType())">;

class Fuse_BinaryOp<string mnemonic, Type operandType, Type resultType,
                    string resultElement = "nullptr", list<Trait> traits = []>
    : Fuse_BroadcastOp<mnemonic,
                       !listconcat([SameOperandsElementType], traits)> {
  let summary = "elementwise " # mnemonic # " with numpy broadcasting";
  let description = "Computes `" # mnemonic # "(lhs, rhs)` elementwise; the "
      "operand shapes broadcast as in numpy.\n\nExample:\n```mlir\n"
      "%z = fuse." # mnemonic # " %x, %y : (tensor<2x3xf32>, tensor<3xf32>) "
      "-> tensor<2x3xf32>\n```";
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs resultType:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      return ::mlir::fuse::verifyByInference(*this);
    }
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::mlir::fuse::inferBroadcastResult(
          context, loc, adaptor.getOperands(), }] # resultElement # [{, types);
    }
  }];
}

class Fuse_ArithOp<string mnemonic, list<Trait> traits = []>
    : Fuse_BinaryOp<mnemonic, Fuse_NumericTensor, Fuse_NumericTensor,
                    "nullptr", traits>;
class Fuse_CompareOp<string mnemonic>
    : Fuse_BinaryOp<mnemonic, Fuse_Tensor, Fuse_BoolTensor,
                    "::mlir::IntegerType::get(context, 1)">;
class Fuse_LogicalOp<string mnemonic, list<Trait> traits = []>
    : Fuse_BinaryOp<mnemonic, Fuse_BoolTensor, Fuse_BoolTensor, "nullptr",
                    traits>;

def Fuse_AddOp : Fuse_ArithOp<"add", [Commutative]> { let hasFolder = 1; }
def Fuse_SubOp : Fuse_ArithOp<"sub"> { let hasFolder = 1; }
def Fuse_MulOp : Fuse_ArithOp<"mul", [Commutative]> { let hasFolder = 1; }
def Fuse_DivOp : Fuse_ArithOp<"div"> {
  let description = "Elementwise division with numpy broadcasting; integer "
      "division truncates toward zero.";
  let hasFolder = 1;
}
def Fuse_PowOp : Fuse_ArithOp<"pow"> { let hasFolder = 1; }
def Fuse_MaxOp : Fuse_ArithOp<"max", [Commutative]> { let hasFolder = 1; }
def Fuse_MinOp : Fuse_ArithOp<"min", [Commutative]> { let hasFolder = 1; }
def Fuse_ModOp : Fuse_ArithOp<"mod"> {
  let description = [{
    Elementwise remainder with numpy broadcasting. With `fmod = false` the
    result takes the sign of the divisor (Python `%`, integers only); with
    `fmod = true` it takes the sign of the dividend (C `fmod`).

    Example:
    ```mlir
    %z = fuse.mod %x, %y {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Fuse_NumericTensor:$lhs, Fuse_NumericTensor:$rhs,
                       Fuse_FalseAttr:$fmod);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::verify() {
      auto type = ::llvm::cast<::mlir::ShapedType>(getLhs().getType());
      if (!getFmod() && ::llvm::isa<::mlir::FloatType>(type.getElementType()))
        return emitOpError("floating-point operands require 'fmod = true'");
      return ::mlir::fuse::verifyByInference(*this);
    }
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::mlir::fuse::inferBroadcastResult(
          context, loc, adaptor.getOperands(), nullptr, types);
    }
  }];
}
def Fuse_EqualOp : Fuse_CompareOp<"equal">;
def Fuse_LessOp : Fuse_CompareOp<"less">;
def Fuse_GreaterOp : Fuse_CompareOp<"greater">;
def Fuse_AndOp : Fuse_LogicalOp<"and", [Commutative]>;
def Fuse_OrOp : Fuse_LogicalOp<"or", [Commutative]>;
def Fuse_XorOp : Fuse_LogicalOp<"xor", [Commutative]>;

def Fuse_SelectOp : Fuse_BroadcastOp<"select",
    [AllElementTypesMatch<["true_value", "false_value"]>]> {
  let summary = "elementwise choice with numpy broadcasting (ONNX Where)";
  let description = [{
    `cond ? true_value : false_value` elementwise; all three operands
    broadcast together.

    Example:
    ```mlir
    %z = fuse.select %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Fuse_BoolTensor:$cond, Fuse_Tensor:$true_value,
                       Fuse_Tensor:$false_value);
  let results = (outs Fuse_Tensor:$result);
  let assemblyFormat = "$cond `,` $true_value `,` $false_value attr-dict `:` "
                       "functional-type(operands, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Fuse_MatMulOp : Fuse_Op<"matmul",
    [InferTypeOpAdaptor, SameOperandsElementType],
    "::mlir::fuse::MappingType::ManyToMany", "computeFlops()"> {
  let summary = "batched matrix multiplication with broadcasting batch dims";
  let description = [{
    `lhs[..., M, K] x rhs[..., K, N] -> [..., M, N]`. Both operands have rank
    at least 2; their leading (batch) dims broadcast as in numpy.
    `transpose_a`/`transpose_b` swap the last two dims of an operand first.

    Example:
    ```mlir
    %c = fuse.matmul %a, %b {transpose_b = true} : (tensor<8x16x32xf32>, tensor<64x32xf32>) -> tensor<8x16x64xf32>
    ```
  }];
  let arguments = (ins Fuse_NumericTensor:$lhs, Fuse_NumericTensor:$rhs,
                       Fuse_FalseAttr:$transpose_a, Fuse_FalseAttr:$transpose_b);
  let results = (outs Fuse_NumericTensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let extraDecls = "int64_t computeFlops();";
  let hasVerifier = 1;
}

class Fuse_ConvBase<string mnemonic> : Fuse_Op<mnemonic,
    [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::ManyToMany", "computeFlops()"> {
  let results = (outs Fuse_FloatTensor:$output);
  let assemblyFormat = "$input `,` $weight (`,` $bias^)? attr-dict `:` "
                       "functional-type(operands, results)";
  let extraDecls = "int64_t computeFlops();";
  let hasVerifier = 1;
}

def Fuse_ConvOp : Fuse_ConvBase<"conv"> {
  let summary = "N-D grouped convolution (1-D, 2-D, 3-D)";
  let description = [{
    Cross-correlation of `input[N, C, D...]` with `weight[F, C/groups, K...]`
    plus an optional `bias[F]`. `strides`, `dilations` (default 1) and `pads`
    (default 0, all begins then all ends) are per spatial dim; empty means
    the default.

    Example:
    ```mlir
    %y = fuse.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x16x16xf32>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$input, Fuse_FloatTensor:$weight,
                       Optional<Fuse_FloatTensor>:$bias,
                       Fuse_I64Array:$strides, Fuse_I64Array:$dilations,
                       Fuse_I64Array:$pads,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
}

def Fuse_ConvTransposeOp : Fuse_ConvBase<"conv_transpose"> {
  let summary = "N-D grouped transposed convolution";
  let description = [{
    The gradient of `fuse.conv` with respect to its input:
    `input[N, C, D...]`, `weight[C, F/groups, K...]`, optional `bias[F]`.
    Output spatial size is
    `stride * (in - 1) + output_padding + (K - 1) * dilation + 1 - pad_begin - pad_end`.

    Example:
    ```mlir
    %y = fuse.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$input, Fuse_FloatTensor:$weight,
                       Optional<Fuse_FloatTensor>:$bias,
                       Fuse_I64Array:$strides, Fuse_I64Array:$dilations,
                       Fuse_I64Array:$pads, Fuse_I64Array:$output_padding,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

class Fuse_PoolOp<string mnemonic> : Fuse_Op<mnemonic,
    [InferTypeOpAdaptor], "::mlir::fuse::MappingType::ManyToMany",
    "::mlir::fuse::numElements(getType()) * ::mlir::fuse::product(getKernelShape())"> {
  let results = (outs Fuse_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Fuse_MaxPoolOp : Fuse_PoolOp<"max_pool"> {
  let summary = "N-D max pooling";
  let description = [{
    Max over windows of `kernel_shape` on `input[N, C, D...]`. `strides`,
    `dilations` (default 1) and `pads` (default 0) are per spatial dim;
    `ceil_mode` rounds the output size up.

    Example:
    ```mlir
    %y = fuse.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x16x16xf32> -> tensor<1x8x8x8xf32>
    ```
  }];
  let arguments = (ins Fuse_NumericTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       Fuse_I64Array:$strides, Fuse_I64Array:$dilations,
                       Fuse_I64Array:$pads, Fuse_FalseAttr:$ceil_mode);
}

def Fuse_AvgPoolOp : Fuse_PoolOp<"avg_pool"> {
  let summary = "N-D average pooling";
  let description = [{
    Mean over windows of `kernel_shape` on `input[N, C, D...]`. With
    `count_include_pad` padded elements count in the divisor.

    Example:
    ```mlir
    %y = fuse.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x8x16x16xf32> -> tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       Fuse_I64Array:$strides, Fuse_I64Array:$dilations,
                       Fuse_I64Array:$pads, Fuse_FalseAttr:$ceil_mode,
                       Fuse_FalseAttr:$count_include_pad);
}

def Fuse_ReduceOp : Fuse_Op<"reduce", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::ManyToMany", "computeFlops()"> {
  let summary = "reduction over axes (also global pooling)";
  let description = [{
    Reduces `axes` (sorted, unique, non-negative; empty means all axes) with
    the combiner `kind`: sum, mean, max, min, prod, l1, l2, log_sum,
    log_sum_exp or sum_square. `keepdims` keeps reduced dims as size 1.

    Example:
    ```mlir
    %y = fuse.reduce mean %x {axes = array<i64: 2, 3>} : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
    ```
  }];
  let arguments = (ins Fuse_ReduceKind:$kind, Fuse_NumericTensor:$input,
                       Fuse_I64Array:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Fuse_NumericTensor:$output);
  let assemblyFormat =
      "$kind $input attr-dict `:` type($input) `->` type($output)";
  let extraDecls = "int64_t computeFlops();";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

class Fuse_SoftmaxBase<string mnemonic> : Fuse_Op<mnemonic,
    [SameOperandsAndResultType, InferTypeOpInterface],
    "::mlir::fuse::MappingType::ManyToMany",
    "::mlir::fuse::numElements(getType()) * 5"> {
  let arguments = (ins Fuse_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Fuse_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Fuse_SoftmaxOp : Fuse_SoftmaxBase<"softmax"> {
  let summary = "softmax along one axis";
  let description = [{
    `exp(x - max) / sum(exp(x - max))` along `axis` (0 <= axis < rank).

    Example:
    ```mlir
    %y = fuse.softmax %x {axis = 1 : i64} : tensor<4x10xf32>
    ```
  }];
}

def Fuse_LogSoftmaxOp : Fuse_SoftmaxBase<"log_softmax"> {
  let summary = "log of softmax along one axis";
  let description = [{
    `x - max - log(sum(exp(x - max)))` along `axis` (0 <= axis < rank).

    Example:
    ```mlir
    %y = fuse.log_softmax %x {axis = 1 : i64} : tensor<4x10xf32>
    ```
  }];
}

def Fuse_LayerNormOp : Fuse_Op<"layer_norm",
    [InferTypeOpAdaptor, AttrSizedOperandSegments],
    "::mlir::fuse::MappingType::ManyToMany",
    "::mlir::fuse::numElements(getType()) * 8"> {
  let summary = "layer normalization over the trailing dims from `axis`";
  let description = [{
    Normalizes `input` over dims `axis..rank-1` to zero mean and unit
    variance (`epsilon` added to the variance), then multiplies by `scale`
    and adds `bias` when present; both broadcast to `input.shape[axis:]`.

    Example:
    ```mlir
    %y = fuse.layer_norm %x scale %g bias %b {axis = 2 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$input,
                       Optional<Fuse_FloatTensor>:$scale,
                       Optional<Fuse_FloatTensor>:$bias,
                       I64Attr:$axis,
                       DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs Fuse_FloatTensor:$output);
  let assemblyFormat = "$input (`scale` $scale^)? (`bias` $bias^)? attr-dict "
                       "`:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Fuse_BatchNormOp : Fuse_Op<"batch_norm",
    [InferTypeOpAdaptor, SameOperandsElementType],
    "::mlir::fuse::MappingType::ManyToMany",
    "::mlir::fuse::numElements(getType()) * 2"> {
  let summary = "batch normalization, inference form";
  let description = [{
    `(x - mean) / sqrt(variance + epsilon) * scale + bias` with per-channel
    `scale`, `bias`, `mean`, `variance` of shape `[C]` on `input[N, C, ...]`.

    Example:
    ```mlir
    %y = fuse.batch_norm %x, %s, %b, %m, %v {epsilon = 1.000000e-05 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$input, Fuse_FloatTensor:$scale,
                       Fuse_FloatTensor:$bias, Fuse_FloatTensor:$mean,
                       Fuse_FloatTensor:$variance,
                       DefaultValuedAttr<F32Attr, "1e-5f">:$epsilon);
  let results = (outs Fuse_FloatTensor:$output);
  let assemblyFormat = "$input `,` $scale `,` $bias `,` $mean `,` $variance "
                       "attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Fuse_TransposeOp : Fuse_Op<"transpose", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::Shuffle"> {
  let summary = "permutes the dims of a tensor";
  let description = [{
    `output.shape[i] = input.shape[perm[i]]`.

    Example:
    ```mlir
    %y = fuse.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let hasVerifier = 1;
}

def Fuse_ReshapeOp : Fuse_Op<"reshape", [SameOperandsAndResultElementType],
    "::mlir::fuse::MappingType::Reorganize"> {
  let summary = "reinterprets a tensor with a new static shape";
  let description = [{
    Row-major reinterpretation; the element counts must match. The target
    shape is the result type (ONNX Reshape, Flatten, Squeeze and Unsqueeze
    all become this op).

    Example:
    ```mlir
    %y = fuse.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$input);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::llvm::ArrayRef<int64_t>":$shape)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Fuse_ConcatOp : Fuse_Op<"concat",
    [InferTypeOpAdaptor, SameOperandsAndResultElementType],
    "::mlir::fuse::MappingType::Reorganize"> {
  let summary = "concatenates tensors along an axis";
  let description = [{
    All inputs have the same rank and agree on every dim but `axis`.

    Example:
    ```mlir
    %y = fuse.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Fuse_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat =
      "$inputs attr-dict `:` functional-type($inputs, results)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Fuse_SplitOp : Fuse_Op<"split", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::Reorganize"> {
  let summary = "splits a tensor along an axis into pieces of given sizes";
  let description = [{
    One result per entry of `sizes`; the sizes add up to the dim at `axis`.

    Example:
    ```mlir
    %a, %b = fuse.split %x {axis = 1 : i64, sizes = array<i64: 2, 6>} : tensor<4x8xf32> -> tensor<4x2xf32>, tensor<4x6xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<Fuse_Tensor>:$outputs);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($outputs)";
  let hasVerifier = 1;
}

def Fuse_SliceOp : Fuse_Op<"slice", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::Reorganize"> {
  let summary = "strided slice along some axes";
  let description = [{
    For each `axes[i]` (unique, non-negative): elements `starts[i]`,
    `starts[i] + steps[i]`, ... up to but excluding `ends[i]`. Indices are
    normalized: `0 <= start <= dim`, `-1 <= end <= dim`, `step != 0`
    (a negative step walks backwards; `end = -1` then means "through 0").
    The importer clamps ONNX's open-ended values into this form.

    Example:
    ```mlir
    %y = fuse.slice %x {axes = array<i64: 1>, ends = array<i64: 8>, starts = array<i64: 2>, steps = array<i64: 2>} : tensor<4x10xf32> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$axes,
                       DenseI64ArrayAttr:$steps);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let extraDecls = [{
    int64_t getBytesRead() {
      return ::mlir::fuse::sumTensorBytes(getOperation()->getResultTypes());
    }
  }];
  let hasVerifier = 1;
}

def Fuse_GatherOp : Fuse_Op<"gather", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::OneToMany"> {
  let summary = "gathers slices of `data` along `axis` at `indices`";
  let description = [{
    `output.shape = data.shape[:axis] + indices.shape + data.shape[axis+1:]`
    (ONNX Gather). Negative indices count from the end.

    Example:
    ```mlir
    %y = fuse.gather %table, %ids {axis = 0 : i64} : (tensor<100x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$data, Fuse_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let extraDecls = [{
    int64_t getBytesRead() {
      return ::mlir::fuse::sumTensorBytes(getOperation()->getResultTypes()) +
             ::mlir::fuse::tensorBytes(getIndices().getType());
    }
  }];
  let hasVerifier = 1;
}

def Fuse_ExpandOp : Fuse_Op<"expand", [SameOperandsAndResultElementType],
    "::mlir::fuse::MappingType::OneToMany"> {
  let summary = "broadcasts a tensor to the result shape";
  let description = [{
    numpy broadcasting of `input` to the result type's shape, which must be
    the broadcast of the input shape with itself (ONNX Expand after shape
    resolution).

    Example:
    ```mlir
    %y = fuse.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$input);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input, "::llvm::ArrayRef<int64_t>":$shape)>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Fuse_PadOp : Fuse_Op<"pad", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::OneToMany"> {
  let summary = "pads (or crops, with negative pads) a tensor";
  let description = [{
    `pads` holds all begins then all ends, one per dim. `mode` is constant
    (fill with `value`), reflect or edge.

    Example:
    ```mlir
    %y = fuse.pad %x {pads = array<i64: 0, 1, 0, 1>, mode = #fuse.pad_mode<reflect>} : tensor<2x4xf32> -> tensor<2x6xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<Fuse_PadModeAttr, "::mlir::fuse::PadMode::constant">:$mode,
      DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Fuse_ResizeOp : Fuse_Op<"resize", [SameOperandsAndResultElementType],
    "::mlir::fuse::MappingType::OneToMany",
    "::mlir::fuse::numElements(getType()) * 4"> {
  let summary = "resizes a tensor by interpolation (ONNX Resize)";
  let description = [{
    The output shape is the result type. `scales` (one per dim, optional)
    are the ONNX scales used by the coordinate transformation; when absent
    they are `output / input`. `mode`, `coordinate_mode`, `nearest_mode`,
    `cubic_coeff_a` and `exclude_outside` follow ONNX Resize.

    Example:
    ```mlir
    %y = fuse.resize %x {mode = #fuse.resize_mode<nearest>, coordinate_mode = #fuse.coordinate_mode<asymmetric>, nearest_mode = #fuse.nearest_mode<floor>} : tensor<1x8x4x4xf32> -> tensor<1x8x8x8xf32>
    ```
  }];
  let arguments = (ins Fuse_NumericTensor:$input,
      OptionalAttr<DenseF32ArrayAttr>:$scales,
      DefaultValuedAttr<Fuse_ResizeModeAttr,
                        "::mlir::fuse::ResizeMode::nearest">:$mode,
      DefaultValuedAttr<Fuse_CoordinateModeAttr,
                        "::mlir::fuse::CoordinateMode::half_pixel">:$coordinate_mode,
      DefaultValuedAttr<Fuse_NearestModeAttr,
                        "::mlir::fuse::NearestMode::round_prefer_floor">:$nearest_mode,
      DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
      Fuse_FalseAttr:$exclude_outside);
  let results = (outs Fuse_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Fuse_TileOp : Fuse_Op<"tile", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::OneToMany"> {
  let summary = "repeats a tensor along each dim";
  let description = [{
    `output.shape[i] = input.shape[i] * repeats[i]` (ONNX Tile).

    Example:
    ```mlir
    %y = fuse.tile %x {repeats = array<i64: 2, 1>} : tensor<3x4xf32> -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$input, DenseI64ArrayAttr:$repeats);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Index, scan and scatter ops
//===----------------------------------------------------------------------===//

class Fuse_ArgReduceOp<string mnemonic, string what> : Fuse_Op<mnemonic,
    [InferTypeOpAdaptor], "::mlir::fuse::MappingType::ManyToMany",
    "::mlir::fuse::numElements(getInput().getType())"> {
  let summary = "index of the " # what # " element along an axis";
  let description = "The i64 index of the " # what # " element along `axis` "
      "(0 <= axis < rank); ties pick the first index, or the last with "
      "`select_last_index`. `keepdims` keeps the axis as size 1 (ONNX "
      "ArgMax/ArgMin).\n\nExample:\n```mlir\n%i = fuse." # mnemonic #
      " %x {axis = 1 : i64} : tensor<3x4xf32> -> tensor<3x1xi64>\n```";
  let arguments = (ins Fuse_NumericTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       Fuse_FalseAttr:$select_last_index);
  let results = (outs StaticShapeTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Fuse_ArgMaxOp : Fuse_ArgReduceOp<"arg_max", "largest">;
def Fuse_ArgMinOp : Fuse_ArgReduceOp<"arg_min", "smallest">;

def Fuse_CumSumOp : Fuse_Op<"cumsum",
    [SameOperandsAndResultType, InferTypeOpInterface],
    "::mlir::fuse::MappingType::ManyToMany",
    "::mlir::fuse::numElements(getType())"> {
  let summary = "cumulative sum along an axis";
  let description = [{
    `output[..., i, ...] = sum of input[..., k, ...]` over `k <= i`
    (0 <= axis < rank). `exclusive` leaves out `k = i`; `reverse` sums from
    the end (`k >= i`). ONNX CumSum.

    Example:
    ```mlir
    %y = fuse.cumsum %x {axis = 0 : i64, reverse = true} : tensor<5xf32>
    ```
  }];
  let arguments = (ins Fuse_NumericTensor:$input, I64Attr:$axis,
                       Fuse_FalseAttr:$exclusive, Fuse_FalseAttr:$reverse);
  let results = (outs Fuse_NumericTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Fuse_GatherElementsOp : Fuse_Op<"gather_elements", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::OneToMany"> {
  let summary = "gathers single elements of `data` along `axis`";
  let description = [{
    `output[i0, ..., ik, ...] = data[i0, ..., indices[i0, ..., ik, ...], ...]`
    with the index replacing position `axis` (ONNX GatherElements). `indices`
    has the rank of `data`, no dim larger than `data`'s except at `axis`,
    and the output takes its shape. Negative indices count from the end.

    Example:
    ```mlir
    %y = fuse.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x5xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$data, Fuse_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let extraDecls = [{
    int64_t getBytesRead() {
      return ::mlir::fuse::sumTensorBytes(getOperation()->getResultTypes()) +
             ::mlir::fuse::tensorBytes(getIndices().getType());
    }
  }];
  let hasVerifier = 1;
}

def Fuse_GatherNDOp : Fuse_Op<"gather_nd", [InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::OneToMany"> {
  let summary = "gathers slices of `data` at index tuples";
  let description = [{
    ONNX GatherND: the last dim of `indices` (size `k`) holds index tuples
    into dims `batch_dims .. batch_dims + k - 1` of `data`; the leading
    `batch_dims` dims of `data` and `indices` are equal and shared. The
    output shape is `indices.shape[:-1] + data.shape[batch_dims + k:]`.
    Negative indices count from the end.

    Example:
    ```mlir
    %y = fuse.gather_nd %x, %i : (tensor<4x5x6xf32>, tensor<3x2xi64>) -> tensor<3x6xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$data, Fuse_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat =
      "$data `,` $indices attr-dict `:` functional-type(operands, results)";
  let extraDecls = [{
    int64_t getBytesRead() {
      return ::mlir::fuse::sumTensorBytes(getOperation()->getResultTypes()) +
             ::mlir::fuse::tensorBytes(getIndices().getType());
    }
  }];
  let hasVerifier = 1;
}

class Fuse_ScatterBase<string mnemonic> : Fuse_Op<mnemonic,
    [InferTypeOpAdaptor, AllElementTypesMatch<["data", "updates"]>],
    "::mlir::fuse::MappingType::ManyToMany",
    "::mlir::fuse::numElements(getUpdates().getType())"> {
  let arguments = (ins Fuse_Tensor:$data, Fuse_IndexTensor:$indices,
                       Fuse_Tensor:$updates,
      DefaultValuedAttr<Fuse_ScatterReductionAttr,
                        "::mlir::fuse::ScatterReduction::none">:$reduction);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "$data `,` $indices `,` $updates attr-dict `:` "
                       "functional-type(operands, results)";
  let hasVerifier = 1;
}

def Fuse_ScatterElementsOp : Fuse_ScatterBase<"scatter_elements"> {
  let summary = "writes single elements into a copy of `data` along `axis`";
  let description = [{
    ONNX ScatterElements: a copy of `data` where, for every position `p` of
    `updates` (same shape as `indices`, same rank as `data`),
    `output[p with p[axis] = indices[p]]` becomes `updates[p]`, or is
    combined with it by `reduction` (add, mul, max, min). Updates apply in
    row-major order, so with `none` the last duplicate wins. Negative
    indices count from the end.

    Example:
    ```mlir
    %y = fuse.scatter_elements %x, %i, %u {axis = 1 : i64, reduction = #fuse.scatter_reduction<add>} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
    ```
  }];
  let arguments = (ins Fuse_Tensor:$data, Fuse_IndexTensor:$indices,
                       Fuse_Tensor:$updates, I64Attr:$axis,
      DefaultValuedAttr<Fuse_ScatterReductionAttr,
                        "::mlir::fuse::ScatterReduction::none">:$reduction);
}

def Fuse_ScatterNDOp : Fuse_ScatterBase<"scatter_nd"> {
  let summary = "writes slices into a copy of `data` at index tuples";
  let description = [{
    ONNX ScatterND: `indices` has last dim `k <= rank(data)`; `updates` has
    shape `indices.shape[:-1] + data.shape[k:]`. Each index tuple selects a
    slice of `data` that becomes (or, with `reduction`, is combined with)
    the matching slice of `updates`, in row-major order of the tuples.
    Negative indices count from the end.

    Example:
    ```mlir
    %y = fuse.scatter_nd %x, %i, %u : (tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<8xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Fuse_ConstantOp : Fuse_Op<"constant", [ConstantLike, InferTypeOpAdaptor],
    "::mlir::fuse::MappingType::OneToOne"> {
  let summary = "a constant tensor (dense or dense_resource)";
  let description = [{
    Small constants are `dense<...>`; weights use `dense_resource<...>` blobs
    so large models print and parse quickly. Constants cost nothing: their
    bytes are counted where they are read.

    Example:
    ```mlir
    %c = fuse.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Fuse_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
  let extraDecls = [{
    int64_t getBytesRead() { return 0; }
    int64_t getBytesWritten() { return 0; }
  }];
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

def Fuse_AttentionOp : Fuse_Op<"attention",
    [InferTypeOpAdaptor, AllElementTypesMatch<["query", "key", "value"]>],
    "::mlir::fuse::MappingType::ManyToMany", "computeFlops()"> {
  let summary = "scaled dot-product attention";
  let description = [{
    `softmax(query x key^T * scale + mask) x value` with `query[..., S, D]`,
    `key[..., L, D]`, `value[..., L, Dv]` and equal leading dims; the
    optional additive `mask` broadcasts to `[..., S, L]`. `scale` defaults
    to `1 / sqrt(D)`. With `causal`, position `i` attends to `j <= i + L - S`.

    Example:
    ```mlir
    %o = fuse.attention %q, %k, %v {causal = true} : (tensor<1x8x128x64xf16>, tensor<1x8x128x64xf16>, tensor<1x8x128x64xf16>) -> tensor<1x8x128x64xf16>
    ```
  }];
  let arguments = (ins Fuse_FloatTensor:$query, Fuse_FloatTensor:$key,
                       Fuse_FloatTensor:$value,
                       Optional<Fuse_FloatTensor>:$mask,
                       OptionalAttr<F32Attr>:$scale, Fuse_FalseAttr:$causal);
  let results = (outs Fuse_FloatTensor:$output);
  let assemblyFormat = "$query `,` $key `,` $value (`mask` $mask^)? attr-dict "
                       "`:` functional-type(operands, results)";
  let extraDecls = "int64_t computeFlops();";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fused groups
//===----------------------------------------------------------------------===//

def Fuse_GroupOp : Fuse_Op<"group",
    [IsolatedFromAbove, SingleBlock, RecursiveMemoryEffects],
    "computeMappingType()", "computeFlops()"> {
  let summary = "a fused group of ops: one kernel";
  let description = [{
    A region with explicit inputs (the entry block's arguments, one per
    operand with the same type) and results (the operands of the
    terminating `fuse.yield`). Isolated from above: everything the body
    uses comes in as an input or is a constant inside. Its mapping type is
    the most complex one of its ops; its FLOPs are their sum; its bytes are
    those of its inputs and results.

    Example:
    ```mlir
    %r = fuse.group(%x, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: tensor<4xf32>, %c: tensor<4xf32>):
      %s = fuse.add %a, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
      %t = fuse.relu %s : tensor<4xf32>
      fuse.yield %t : tensor<4xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<Fuse_Tensor>:$inputs);
  let results = (outs Variadic<Fuse_Tensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat =
      "`(` $inputs `)` attr-dict `:` functional-type($inputs, results) $body";
  let hasVerifier = 1;
  let extraDecls = [{
    ::mlir::fuse::MappingType computeMappingType();
    int64_t computeFlops();
  }];
}

def Fuse_YieldOp : Op<Fuse_Dialect, "yield",
    [Pure, HasParent<"GroupOp">, ReturnLike, Terminator, FusionKindInterface,
     CostInterface]> {
  let summary = "returns the results of a fuse.group";
  let description = [{
    Example:
    ```mlir
    fuse.yield %a, %b : tensor<4xf32>, tensor<2xf32>
    ```
  }];
  let arguments = (ins Variadic<Fuse_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
  // Returning values moves no data: the group's results are its writes.
  let extraClassDeclaration = [{
    ::mlir::fuse::MappingType getMappingType() {
      return ::mlir::fuse::MappingType::OneToOne;
    }
    int64_t getFlops() { return 0; }
    int64_t getBytesRead() { return 0; }
    int64_t getBytesWritten() { return 0; }
  }];
}

#endif // FUSE_DIALECT_FUSE_IR_FUSEOPS_TD
