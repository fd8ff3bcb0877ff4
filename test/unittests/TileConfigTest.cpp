//===- TileConfigTest.cpp - Canonical text form of tile configs -----------===//

#include "Fuse/CostModel/TileConfig.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::fuse;

TEST(TileConfig, RoundTripsThroughItsCanonicalForm) {
  TileConfig config;
  config.impl = "mma_sync";
  config.params = {{"BM", 128}, {"BN", 64}, {"stages", 3}};
  EXPECT_EQ(config.str(), "mma_sync:BM=128,BN=64,stages=3");
  std::string error;
  FailureOr<TileConfig> parsed = TileConfig::parse(config.str(), error);
  ASSERT_TRUE(succeeded(parsed)) << error;
  EXPECT_EQ(*parsed, config);
  EXPECT_EQ(parsed->get("BN"), 64);
  EXPECT_EQ(parsed->get("warps", 4), 4);
  EXPECT_FALSE(parsed->has("warps"));
}

TEST(TileConfig, ParsesParameterOrderIntoCanonicalOrder) {
  std::string error;
  FailureOr<TileConfig> parsed =
      TileConfig::parse(" row_per_block:warps=8,vector=4 ", error);
  ASSERT_TRUE(succeeded(parsed)) << error;
  EXPECT_EQ(parsed->str(), "row_per_block:vector=4,warps=8");
  FailureOr<TileConfig> bare = TileConfig::parse("elementwise", error);
  ASSERT_TRUE(succeeded(bare));
  EXPECT_TRUE(bare->params.empty());
}

TEST(TileConfig, RejectsMalformedText) {
  std::string error;
  EXPECT_TRUE(failed(TileConfig::parse("", error)));
  EXPECT_TRUE(failed(TileConfig::parse("mma:BM", error)));
  EXPECT_NE(error.find("expected NAME=INTEGER"), std::string::npos);
  EXPECT_TRUE(failed(TileConfig::parse("mma:BM=x", error)));
  EXPECT_TRUE(failed(TileConfig::parse("mma:BM=1,BM=2", error)));
  EXPECT_NE(error.find("given twice"), std::string::npos);
  EXPECT_TRUE(failed(TileConfig::parse("m-a:BM=1", error)));
}
