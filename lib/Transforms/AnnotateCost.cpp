//===- AnnotateCost.cpp - Attach mapping types and costs to ops -----------===//

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "Fuse/Transforms/Passes.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEANNOTATECOST
#include "Fuse/Transforms/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse;

namespace {
/// Short printable name of an op's location (the ONNX node name when the
/// importer set a NameLoc).
std::string locationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (auto name = dyn_cast<NameLoc>(inner))
        return name.getName().str();
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

struct AnnotateCostPass
    : public mlir::fuse::impl::FuseAnnotateCostBase<AnnotateCostPass> {
  using FuseAnnotateCostBase::FuseAnnotateCostBase;

  void runOnOperation() override {
    Builder builder(&getContext());
    int64_t totalFlops = 0, totalRead = 0, totalWritten = 0;
    std::string table;
    llvm::raw_string_ostream os(table);
    getOperation()->walk([&](Operation *op) {
      auto kind = dyn_cast<FusionKindInterface>(op);
      auto cost = dyn_cast<CostInterface>(op);
      if (!kind && !cost)
        return;
      StringRef mapping;
      if (kind) {
        mapping = stringifyMappingType(kind.getMappingType());
        op->setAttr("fuse.mapping", builder.getStringAttr(mapping));
      }
      if (!cost)
        return;
      int64_t flops = cost.getFlops(), read = cost.getBytesRead(),
              written = cost.getBytesWritten();
      op->setAttr("fuse.flops", builder.getI64IntegerAttr(flops));
      op->setAttr("fuse.bytes_read", builder.getI64IntegerAttr(read));
      op->setAttr("fuse.bytes_written", builder.getI64IntegerAttr(written));
      // Ops nested in a group are counted by the group.
      if (op->getParentOfType<GroupOp>())
        return;
      totalFlops += flops;
      totalRead += read;
      totalWritten += written;
      if (printTable && !op->hasTrait<OpTrait::ConstantLike>())
        os << llvm::formatv("{0,-18} {1,-12} {2,14} {3,14} {4,14}  {5}\n",
                            op->getName().getStringRef(), mapping, flops, read,
                            written, locationName(op->getLoc()));
    });
    if (!printTable)
      return;
    llvm::errs() << llvm::formatv("{0,-18} {1,-12} {2,14} {3,14} {4,14}  {5}\n",
                                  "op", "mapping", "flops", "bytes_read",
                                  "bytes_written", "location")
                 << table
                 << llvm::formatv("{0,-18} {1,-12} {2,14} {3,14} {4,14}\n",
                                  "total", "", totalFlops, totalRead,
                                  totalWritten);
  }
};
} // namespace
