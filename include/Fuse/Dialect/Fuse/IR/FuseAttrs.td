//===- FuseAttrs.td - Fuse enums and attributes ------------*- tablegen -*-===//

#ifndef FUSE_DIALECT_FUSE_IR_FUSEATTRS_TD
#define FUSE_DIALECT_FUSE_IR_FUSEATTRS_TD

include "Fuse/Dialect/Fuse/IR/FuseDialect.td"
include "mlir/IR/EnumAttr.td"

// DNNFusion's mapping types (Table 2 of the paper), ordered from the simplest
// to the most complex input-to-output relation.
def Fuse_MappingType : I32EnumAttr<"MappingType", "DNNFusion mapping type", [
    I32EnumAttrCase<"OneToOne", 0>,
    I32EnumAttrCase<"Reorganize", 1>,
    I32EnumAttrCase<"Shuffle", 2>,
    I32EnumAttrCase<"OneToMany", 3>,
    I32EnumAttrCase<"ManyToMany", 4>]> {
  let cppNamespace = "::mlir::fuse";
  let genSpecializedAttr = 0;
}

class Fuse_EnumAttr<EnumAttrInfo info, string mnemonic>
    : EnumAttr<Fuse_Dialect, info, mnemonic> {
  let assemblyFormat = "`<` $value `>`";
}

def Fuse_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "GELU formula", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"tanh", 1>]> {
  let cppNamespace = "::mlir::fuse";
  let genSpecializedAttr = 0;
}
def Fuse_GeluApproximationAttr
    : Fuse_EnumAttr<Fuse_GeluApproximation, "gelu_approximation">;

def Fuse_ReduceKind : I32EnumAttr<"ReduceKind", "reduction combiner", [
    I32EnumAttrCase<"sum", 0>,
    I32EnumAttrCase<"mean", 1>,
    I32EnumAttrCase<"max", 2>,
    I32EnumAttrCase<"min", 3>,
    I32EnumAttrCase<"prod", 4>,
    I32EnumAttrCase<"l1", 5>,
    I32EnumAttrCase<"l2", 6>,
    I32EnumAttrCase<"log_sum", 7>,
    I32EnumAttrCase<"log_sum_exp", 8>,
    I32EnumAttrCase<"sum_square", 9>]> {
  let cppNamespace = "::mlir::fuse";
}

def Fuse_PadMode : I32EnumAttr<"PadMode", "padding mode", [
    I32EnumAttrCase<"constant", 0>,
    I32EnumAttrCase<"reflect", 1>,
    I32EnumAttrCase<"edge", 2>]> {
  let cppNamespace = "::mlir::fuse";
  let genSpecializedAttr = 0;
}
def Fuse_PadModeAttr : Fuse_EnumAttr<Fuse_PadMode, "pad_mode">;

def Fuse_ResizeMode : I32EnumAttr<"ResizeMode", "resize interpolation", [
    I32EnumAttrCase<"nearest", 0>,
    I32EnumAttrCase<"linear", 1>,
    I32EnumAttrCase<"cubic", 2>]> {
  let cppNamespace = "::mlir::fuse";
  let genSpecializedAttr = 0;
}
def Fuse_ResizeModeAttr : Fuse_EnumAttr<Fuse_ResizeMode, "resize_mode">;

def Fuse_CoordinateMode : I32EnumAttr<"CoordinateMode",
    "ONNX Resize coordinate transformation mode", [
    I32EnumAttrCase<"half_pixel", 0>,
    I32EnumAttrCase<"pytorch_half_pixel", 1>,
    I32EnumAttrCase<"align_corners", 2>,
    I32EnumAttrCase<"asymmetric", 3>,
    I32EnumAttrCase<"tf_half_pixel_for_nn", 4>]> {
  let cppNamespace = "::mlir::fuse";
  let genSpecializedAttr = 0;
}
def Fuse_CoordinateModeAttr
    : Fuse_EnumAttr<Fuse_CoordinateMode, "coordinate_mode">;

def Fuse_NearestMode : I32EnumAttr<"NearestMode",
    "ONNX Resize nearest rounding mode", [
    I32EnumAttrCase<"round_prefer_floor", 0>,
    I32EnumAttrCase<"round_prefer_ceil", 1>,
    I32EnumAttrCase<"floor", 2>,
    I32EnumAttrCase<"ceil", 3>]> {
  let cppNamespace = "::mlir::fuse";
  let genSpecializedAttr = 0;
}
def Fuse_NearestModeAttr : Fuse_EnumAttr<Fuse_NearestMode, "nearest_mode">;

def Fuse_ScatterReduction : I32EnumAttr<"ScatterReduction",
    "how scatter combines an update with the existing element", [
    I32EnumAttrCase<"none", 0>,
    I32EnumAttrCase<"add", 1>,
    I32EnumAttrCase<"mul", 2>,
    I32EnumAttrCase<"max", 3>,
    I32EnumAttrCase<"min", 4>]> {
  let cppNamespace = "::mlir::fuse";
  let genSpecializedAttr = 0;
}
def Fuse_ScatterReductionAttr
    : Fuse_EnumAttr<Fuse_ScatterReduction, "scatter_reduction">;

def Fuse_TileAttr : AttrDef<Fuse_Dialect, "Tile"> {
  let mnemonic = "tile";
  let summary = "a fused group's tile configuration";
  let description = [{
    The implementation the tuner (or `--fuse-tile-config`) chose for a
    `fuse.group` and its integer parameters, attached by `--fuse-tile` as
    the group's `fuse.tile` attribute:
    `#fuse.tile<"mma_sync", {BK = 32 : i64, BM = 128 : i64, ...}>`.
    Implementations: mma_sync, wgmma, fma_gemm (BM, BN, BK, warps or
    warpgroups, stages, vector), flash_attention (BQ, BKV, warps, stages),
    row_per_warp / row_per_block (warps or threads, vector), elementwise
    (threads, vector) and empty (a group that computes nothing).
  }];
  let parameters = (ins StringRefParameter<"implementation">:$implementation,
                        "::mlir::DictionaryAttr":$params);
  let assemblyFormat = "`<` $implementation `,` $params `>`";
  let genVerifyDecl = 1;
}

#endif // FUSE_DIALECT_FUSE_IR_FUSEATTRS_TD
