//===- Structured.cpp - matmul, conv, pools, attention to linalg ----------===//

#include "Patterns.h"

using namespace mlir;
using namespace mlir::fuse;

void mlir::fuse::populateStructuredToLinalgPatterns(
    RewritePatternSet &patterns) {}
