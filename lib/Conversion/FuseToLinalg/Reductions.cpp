//===- Reductions.cpp - reductions and normalizations to linalg -----------===//

#include "Patterns.h"

using namespace mlir;
using namespace mlir::fuse;

void mlir::fuse::populateReductionToLinalgPatterns(
    RewritePatternSet &patterns) {}
