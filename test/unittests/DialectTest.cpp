//===- DialectTest.cpp - Builders infer types; interfaces report costs ----===//

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::fuse;

namespace {
class FuseDialectTest : public ::testing::Test {
protected:
  FuseDialectTest() : builder(&context) {
    context.loadDialect<FuseDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
  }

  /// A block argument of the given type, standing in for a graph input.
  Value input(ArrayRef<int64_t> shape, Type element = nullptr) {
    if (!block) {
      auto func = func::FuncOp::create(builder, builder.getUnknownLoc(), "f",
                                       builder.getFunctionType({}, {}));
      block = func.addEntryBlock();
      builder.setInsertionPointToEnd(block);
    }
    return block->addArgument(
        RankedTensorType::get(shape, element ? element : builder.getF32Type()),
        builder.getUnknownLoc());
  }

  static SmallVector<int64_t> shapeOf(Value v) {
    return SmallVector<int64_t>(cast<ShapedType>(v.getType()).getShape());
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  Block *block = nullptr;
};

TEST_F(FuseDialectTest, BroadcastAddInfersShape) {
  Value a = input({2, 1, 4}), b = input({3, 1});
  auto add = AddOp::create(builder, builder.getUnknownLoc(), a, b);
  EXPECT_EQ(shapeOf(add), (SmallVector<int64_t>{2, 3, 4}));
  EXPECT_EQ(add.getMappingType(), MappingType::OneToMany);
  // Bytes read: 8 + 3 floats; written: 24 floats.
  auto cost = cast<CostInterface>(add.getOperation());
  EXPECT_EQ(cost.getBytesRead(), (8 + 3) * 4);
  EXPECT_EQ(cost.getBytesWritten(), 24 * 4);
  EXPECT_EQ(cost.getFlops(), 24);
}

TEST_F(FuseDialectTest, CompareInfersBool) {
  Value a = input({4}), b = input({4});
  auto less = LessOp::create(builder, builder.getUnknownLoc(), a, b);
  EXPECT_TRUE(cast<ShapedType>(less.getType()).getElementType().isInteger(1));
  EXPECT_EQ(less.getMappingType(), MappingType::OneToOne);
}

TEST_F(FuseDialectTest, IncompatibleBroadcastIsAnError) {
  Value a = input({2, 3}), b = input({4});
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  SmallVector<Type> types;
  EXPECT_TRUE(failed(AddOp::inferReturnTypes(
      &context, builder.getUnknownLoc(), ValueRange{a, b},
      DictionaryAttr::get(&context), nullptr, {}, types)));
  EXPECT_NE(message.find("not broadcast-compatible: 2x3 vs 4"),
            std::string::npos)
      << message;
}

TEST_F(FuseDialectTest, MatMulBatchBroadcastAndTranspose) {
  Value a = input({8, 1, 16, 32}), b = input({5, 64, 32});
  auto mm = MatMulOp::create(builder, builder.getUnknownLoc(), a, b,
                             /*transpose_a=*/false, /*transpose_b=*/true);
  EXPECT_EQ(shapeOf(mm), (SmallVector<int64_t>{8, 5, 16, 64}));
  EXPECT_EQ(mm.getFlops(), 2 * 8 * 5 * 16 * 64 * 32);
  EXPECT_EQ(mm.getMappingType(), MappingType::ManyToMany);
}

TEST_F(FuseDialectTest, GroupedStridedConv) {
  Value x = input({1, 32, 56, 56}), w = input({64, 8, 3, 3}), b = input({64});
  auto conv = ConvOp::create(
      builder, builder.getUnknownLoc(), x, w, b,
      builder.getDenseI64ArrayAttr({2, 2}), builder.getDenseI64ArrayAttr({}),
      builder.getDenseI64ArrayAttr({1, 1, 1, 1}), builder.getI64IntegerAttr(4));
  EXPECT_EQ(shapeOf(conv), (SmallVector<int64_t>{1, 64, 28, 28}));
  int64_t out = 64 * 28 * 28;
  EXPECT_EQ(conv.getFlops(), 2 * out * 8 * 3 * 3 + out);
}

TEST_F(FuseDialectTest, ConvTransposeShape) {
  Value x = input({1, 8, 4, 4}), w = input({8, 2, 3, 3});
  auto conv = ConvTransposeOp::create(
      builder, builder.getUnknownLoc(), x, w, Value(),
      builder.getDenseI64ArrayAttr({2, 2}), builder.getDenseI64ArrayAttr({}),
      builder.getDenseI64ArrayAttr({1, 1, 1, 1}),
      builder.getDenseI64ArrayAttr({1, 1}), builder.getI64IntegerAttr(2));
  // 2 * (4 - 1) + 1 + 2 + 1 - 2 = 8; filters = 2 * groups.
  EXPECT_EQ(shapeOf(conv), (SmallVector<int64_t>{1, 4, 8, 8}));
}

TEST_F(FuseDialectTest, ReduceAndSplitInfer) {
  Value x = input({2, 3, 4});
  auto reduce = ReduceOp::create(builder, builder.getUnknownLoc(),
                                 ReduceKind::mean, x, ArrayRef<int64_t>{1, 2},
                                 /*keepdims=*/false);
  EXPECT_EQ(shapeOf(reduce), (SmallVector<int64_t>{2}));
  auto split = SplitOp::create(builder, builder.getUnknownLoc(), x,
                               /*axis=*/2, ArrayRef<int64_t>{1, 3});
  ASSERT_EQ(split.getNumResults(), 2u);
  EXPECT_EQ(shapeOf(split.getResult(1)), (SmallVector<int64_t>{2, 3, 3}));
}

TEST_F(FuseDialectTest, AttentionInfers) {
  Value q = input({1, 8, 128, 64}), k = input({1, 8, 256, 64}),
        v = input({1, 8, 256, 32});
  auto attn = AttentionOp::create(builder, builder.getUnknownLoc(), q, k, v,
                                  Value(), nullptr, false);
  EXPECT_EQ(shapeOf(attn), (SmallVector<int64_t>{1, 8, 128, 32}));
  func::ReturnOp::create(builder, builder.getUnknownLoc());
  cast<func::FuncOp>(block->getParentOp())
      .setType(builder.getFunctionType(block->getArgumentTypes(), {}));
  EXPECT_TRUE(succeeded(verify(*module)));
}
} // namespace
