//===- TileConfigAttr.cpp - TileConfig <-> #fuse.tile ---------------------===//

#include "Fuse/CostModel/TileConfigAttr.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::fuse;

TileAttr mlir::fuse::getTileAttr(MLIRContext *context,
                                 const TileConfig &config) {
  Builder builder(context);
  SmallVector<NamedAttribute> params;
  for (const auto &[name, value] : config.params)
    params.push_back(builder.getNamedAttr(name, builder.getI64IntegerAttr(value)));
  return TileAttr::get(context, config.impl,
                       builder.getDictionaryAttr(params));
}

TileConfig mlir::fuse::getTileConfig(TileAttr attr) {
  TileConfig config;
  config.impl = attr.getImplementation().str();
  for (NamedAttribute param : attr.getParams())
    if (auto value = dyn_cast<IntegerAttr>(param.getValue()))
      config.params[param.getName().str()] = value.getInt();
  return config;
}
