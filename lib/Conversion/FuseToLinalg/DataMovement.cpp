//===- DataMovement.cpp - data movement ops to tensor and linalg ----------===//

#include "Patterns.h"

using namespace mlir;
using namespace mlir::fuse;

void mlir::fuse::populateDataMovementToLinalgPatterns(
    RewritePatternSet &patterns) {}
