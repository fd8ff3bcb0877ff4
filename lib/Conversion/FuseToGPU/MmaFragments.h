//===- MmaFragments.h - mma.sync m16n8k16 on f16/bf16 fragments -*- C++ -*-===//
//
// Internal to FuseToGPU: the tensor-core multiply-accumulate the mma.sync
// GEMM (GemmKernel.cpp) and the attention kernel (AttentionKernel.cpp) issue
// on their f16/bf16 register fragments.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_LIB_CONVERSION_FUSETOGPU_MMAFRAGMENTS_H
#define FUSE_LIB_CONVERSION_FUSETOGPU_MMAFRAGMENTS_H

#include "mlir/IR/Builders.h"

namespace mlir {
namespace fuse {
namespace gpu_detail {

/// acc + a * b as one mma.sync m16n8k16 with row-major A and column-major B:
/// `a` is vector<4x2xT>, `b` vector<2x2xT> and `acc` vector<2x2xf32> in the
/// fragment layouts of nvgpu.mma.sync, T (the element type of `a`) f16 or
/// bf16. f16 is nvgpu.mma.sync. bf16 is nvvm.mma.sync (LLVM 22's
/// nvgpu-to-nvvm cannot deduce the PTX types of a bf16 nvgpu.mma.sync) on
/// the fragments' 32-bit registers: register r of an operand is row r of its
/// vector<Nx2xbf16>, element 0 in the low half (as ldmatrix fills them), and
/// C and D are c0..c3 = acc[0][0], acc[0][1], acc[1][0], acc[1][1]. Returns
/// the vector<2x2xf32> result.
Value emitMmaSync16816(OpBuilder &b, Location loc, Value a, Value bFrag,
                       Value acc);

} // namespace gpu_detail
} // namespace fuse
} // namespace mlir

#endif // FUSE_LIB_CONVERSION_FUSETOGPU_MMAFRAGMENTS_H
