//===- CpuOutlineLoops.cpp - One function per top-level loop nest ---------===//
//
// LLVM's loop passes scale badly with the number of loops in one function;
// a model lowered to loops is one @main with hundreds of nests. Each
// top-level scf.for nest without results moves into a function of
// its own; operand-free ops it uses (constants, memref.get_global) are
// cloned in, every other value from above becomes an argument.
//
//===----------------------------------------------------------------------===//

#include "Fuse/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSECPUOUTLINELOOPS
#include "Fuse/Transforms/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;

namespace {

/// Whether `value` is the result of an operand-free, region-free op that
/// can be cloned into the outlined function instead of passed.
bool isClonable(Value value) {
  Operation *def = value.getDefiningOp();
  return def && def->getNumOperands() == 0 && def->getNumRegions() == 0 &&
         def->getNumResults() == 1 && isMemoryEffectFree(def);
}

bool isClonableGlobal(Value value) {
  Operation *def = value.getDefiningOp();
  return def && def->getNumOperands() == 0 && def->getNumRegions() == 0 &&
         def->getNumResults() == 1 &&
         def->getName().getStringRef() == "memref.get_global";
}

struct CpuOutlineLoopsPass
    : public mlir::fuse::impl::FuseCpuOutlineLoopsBase<CpuOutlineLoopsPass> {
  using FuseCpuOutlineLoopsBase::FuseCpuOutlineLoopsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    for (func::FuncOp func : funcs) {
      if (func.isExternal())
        continue;
      unsigned counter = 0;
      Operation *insertAfter = func;
      for (Block &block : func.getBody()) {
        SmallVector<scf::ForOp> loops;
        for (auto loop : block.getOps<scf::ForOp>())
          if (loop.getNumResults() == 0)
            loops.push_back(loop);
        for (scf::ForOp loop : loops)
          insertAfter = outline(symbols, func, insertAfter, loop, counter++);
      }
    }
  }

  /// Moves `loop` into a new function placed after `insertAfter`; returns
  /// the function.
  Operation *outline(SymbolTable &symbols, func::FuncOp parent,
                     Operation *insertAfter, scf::ForOp loop, unsigned index) {
    // Each nest becomes its own function.
    SetVector<Value> captured;
    getUsedValuesDefinedAbove(loop->getRegions(), captured);
    for (Value bound : loop->getOperands())
      captured.insert(bound);
    SmallVector<Value> args, cloned;
    for (Value value : captured)
      (isClonable(value) || isClonableGlobal(value) ? cloned : args)
          .push_back(value);

    OpBuilder b(parent);
    b.setInsertionPointAfter(insertAfter);
    auto type = b.getFunctionType(ValueRange(args).getTypes(), {});
    auto callee = func::FuncOp::create(
        b, loop.getLoc(),
        (parent.getSymName() + "_loop" + Twine(index)).str(), type);
    // LLVM's inliner would rebuild the one big function: `noinline`
    // (convert-func-to-llvm passes `passthrough` on to llvm.func).
    callee->setAttr("passthrough", b.getArrayAttr({b.getStringAttr("noinline")}));
    symbols.insert(callee);
    Block *body = callee.addEntryBlock();
    IRMapping mapping;
    for (auto [value, arg] : llvm::zip(args, body->getArguments()))
      mapping.map(value, arg);
    b.setInsertionPointToStart(body);
    for (Value value : cloned)
      b.clone(*value.getDefiningOp(), mapping);
    b.clone(*loop.getOperation(), mapping);
    func::ReturnOp::create(b, loop.getLoc());

    b.setInsertionPoint(loop);
    func::CallOp::create(b, loop.getLoc(), callee, args);
    loop.erase();
    return callee;
  }
};

} // namespace
