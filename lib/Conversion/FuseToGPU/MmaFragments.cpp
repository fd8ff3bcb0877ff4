//===- MmaFragments.cpp - mma.sync m16n8k16 on f16/bf16 fragments ---------===//
//
// See MmaFragments.h.
//
//===----------------------------------------------------------------------===//

#include "MmaFragments.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace {

/// The `count` 32-bit registers of a vector<count x 2 x bf16> fragment.
SmallVector<Value> fragmentRegisters(OpBuilder &b, Location loc, Value frag,
                                     int64_t count) {
  SmallVector<Value> regs;
  auto word = VectorType::get({1}, b.getI32Type());
  for (int64_t r = 0; r < count; ++r) {
    Value row = vector::ExtractOp::create(b, loc, frag, ArrayRef<int64_t>{r});
    Value bits = vector::BitCastOp::create(b, loc, word, row);
    regs.push_back(
        vector::ExtractOp::create(b, loc, bits, ArrayRef<int64_t>{0}));
  }
  return regs;
}

} // namespace

Value mlir::fuse::gpu_detail::emitMmaSync16816(OpBuilder &b, Location loc,
                                               Value a, Value bFrag,
                                               Value acc) {
  Type element = cast<VectorType>(a.getType()).getElementType();
  if (!element.isBF16())
    return nvgpu::MmaSyncOp::create(b, loc, a, bFrag, acc,
                                    ArrayRef<int64_t>{16, 8, 16});
  SmallVector<Value> aRegs = fragmentRegisters(b, loc, a, 4);
  SmallVector<Value> bRegs = fragmentRegisters(b, loc, bFrag, 2);
  SmallVector<Value> c;
  for (int64_t i = 0; i < 4; ++i)
    c.push_back(vector::ExtractOp::create(b, loc, acc,
                                          ArrayRef<int64_t>{i / 2, i % 2}));
  Type f32 = b.getF32Type();
  auto resultType =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  auto op = NVVM::MmaOp::create(
      b, loc, resultType, aRegs, bRegs, c, ArrayRef<int64_t>{16, 8, 16},
      std::nullopt, std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  SmallVector<Value> d;
  for (int64_t i = 0; i < 4; ++i)
    d.push_back(LLVM::ExtractValueOp::create(b, loc, op.getResult(),
                                             ArrayRef<int64_t>{i}));
  return vector::FromElementsOp::create(b, loc, VectorType::get({2, 2}, f32),
                                        d);
}
