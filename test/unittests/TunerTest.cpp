//===- TunerTest.cpp - Search spaces, strategies, decomposition -----------===//

#include "Fuse/CostModel/Tuner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <set>

using namespace mlir;
using namespace mlir::fuse;

namespace {

/// A GEMM-like space: an mma.sync path (BM, BN, BK, stages) and a warpgroup
/// path with its own parameters (BM, BN, warps).
SearchSpace gemmSpace() {
  SearchSpace space("gemm");
  SubSpace &sub = space.addSubSpace("gemm");
  sub.impls.push_back(Implementation{"mma_sync",
                                     {{"BM", {32, 64, 128, 256}},
                                      {"BN", {32, 64, 128, 256}},
                                      {"BK", {16, 32, 64}},
                                      {"stages", {2, 3, 4}}},
                                     {},
                                     {}});
  sub.impls.push_back(Implementation{
      "wgmma",
      {{"BM", {64, 128, 256}}, {"BN", {64, 128, 256}}, {"warps", {4, 8}}},
      {},
      {}});
  return space;
}

double log2d(int64_t v) { return std::log2(static_cast<double>(v)); }

/// Minimum at wgmma:BM=128,BN=256,warps=8 (cost 1e-6 s); mma_sync is at
/// least 2e-6 s.
std::optional<double> gemmCost(const TileConfig &config) {
  double bm = log2d(config.get("BM")), bn = log2d(config.get("BN"));
  if (config.impl == "wgmma")
    return 1e-6 * (1 + std::abs(bm - 7) + 0.5 * std::abs(bn - 8) +
                   (config.get("warps") == 8 ? 0 : 0.25));
  return 1e-6 * (2 + std::abs(bm - 6) + std::abs(bn - 6) +
                 0.1 * std::abs(log2d(config.get("BK")) - 5) +
                 0.1 * std::abs(config.get("stages") - 3));
}

TEST(Tuner, ExhaustiveSearchFindsTheMinimumOfANestedSpace) {
  SearchSpace space = gemmSpace();
  // Parameters exist only under their implementation: 4*4*3*3 + 3*3*2.
  EXPECT_EQ(space.size(), 162u);
  TuneOptions options;
  options.topK = 4;
  std::string error;
  std::set<std::string> seen;
  FailureOr<TuneResult> result = tune(
      space,
      [&](const TileConfig &config) {
        EXPECT_TRUE(seen.insert(config.str()).second) << config.str();
        // No parameter of the other implementation leaks in.
        EXPECT_EQ(config.has("warps"), config.impl == "wgmma");
        EXPECT_EQ(config.has("stages"), config.impl == "mma_sync");
        return gemmCost(config);
      },
      options, error);
  ASSERT_TRUE(succeeded(result)) << error;
  EXPECT_EQ(result->strategy, SearchStrategy::Exhaustive);
  EXPECT_EQ(result->costed, 162u);
  EXPECT_EQ(result->pruned, 0u);
  ASSERT_EQ(result->top.size(), 4u);
  EXPECT_EQ(result->top[0].config.str(), "wgmma:BM=128,BN=256,warps=8");
  EXPECT_DOUBLE_EQ(result->top[0].cost, 1e-6);
  for (size_t i = 1; i < result->top.size(); ++i)
    EXPECT_LE(result->top[i - 1].cost, result->top[i].cost);
  EXPECT_EQ(result->top[1].config.str(), "wgmma:BM=128,BN=256,warps=4");
}

TEST(Tuner, ConstraintsPruneBeforeCosting) {
  SearchSpace space = gemmSpace();
  Implementation &mma = space.getSubSpace(0).impls[0];
  // A shared-memory limit: stages * (BM + BN) * BK * 2 bytes <= 96 KiB.
  int smemCalls = 0, bmCalls = 0;
  mma.constraints.push_back(
      {"smem", {"BM", "BN", "BK", "stages"}, [&](const TileConfig &c) {
         ++smemCalls;
         return c.get("stages") * (c.get("BM") + c.get("BN")) * c.get("BK") *
                    2 <=
                98304;
       }});
  // Checked as soon as BM is bound: once per BM value.
  mma.constraints.push_back({"bm", {"BM"}, [&](const TileConfig &c) {
                               ++bmCalls;
                               return c.get("BM") <= 128;
                             }});
  // Whole-implementation constraint with no variables: checked on entry.
  Implementation &wg = space.getSubSpace(0).impls[1];
  wg.constraints.push_back(
      {"sm90", {}, [](const TileConfig &) { return false; }});

  int expectedValid = 0;
  for (int64_t bm : {32, 64, 128})
    for (int64_t bn : {32, 64, 128, 256})
      for (int64_t bk : {16, 32, 64})
        for (int64_t stages : {2, 3, 4})
          expectedValid += stages * (bm + bn) * bk * 2 <= 98304;

  std::string error;
  FailureOr<TuneResult> result = tune(
      space,
      [&](const TileConfig &c) -> std::optional<double> {
        EXPECT_EQ(c.impl, "mma_sync");
        EXPECT_LE(c.get("BM"), 128);
        EXPECT_LE(c.get("stages") * (c.get("BM") + c.get("BN")) * c.get("BK") *
                      2,
                  98304);
        return gemmCost(c);
      },
      TuneOptions(), error);
  ASSERT_TRUE(succeeded(result)) << error;
  EXPECT_EQ(result->costed, static_cast<uint64_t>(expectedValid));
  EXPECT_LT(result->costed, 162u);
  EXPECT_EQ(result->costed + result->pruned, 162u);
  EXPECT_EQ(bmCalls, 4);
  // smem is evaluated only below BM <= 128: 3 * 4 * 3 * 3 leaves.
  EXPECT_EQ(smemCalls, 108);
  EXPECT_EQ(result->top[0].config.str(), "mma_sync:BK=32,BM=64,BN=64,stages=3");

  // Sampling strategies never cost an invalid point either.
  TuneOptions random;
  random.strategy = SearchStrategy::Random;
  random.budget = 20;
  FailureOr<TuneResult> sampled = tune(
      space,
      [&](const TileConfig &c) -> std::optional<double> {
        EXPECT_EQ(c.impl, "mma_sync");
        EXPECT_LE(c.get("BM"), 128);
        return gemmCost(c);
      },
      random, error);
  ASSERT_TRUE(succeeded(sampled)) << error;
  EXPECT_EQ(sampled->costed, 20u);
  EXPECT_GT(sampled->pruned, 0u);
}

TEST(Tuner, InvalidCostsAreCountedAndNotRanked) {
  SearchSpace space = gemmSpace();
  std::string error;
  FailureOr<TuneResult> result = tune(
      space,
      [](const TileConfig &c) -> std::optional<double> {
        if (c.impl == "wgmma")
          return std::nullopt;
        return gemmCost(c);
      },
      TuneOptions(), error);
  ASSERT_TRUE(succeeded(result)) << error;
  EXPECT_EQ(result->invalid, 18u);
  EXPECT_EQ(result->top[0].config.impl, "mma_sync");
}

/// Attention: BM (rows of q per block) is shared by q·kᵀ, softmax and ·v;
/// `bias` does not reference it.
SearchSpace attentionSpace() {
  SearchSpace space("flash_attention");
  space.addShared({"BM", {32, 64, 128}});
  space.addSubSpace("qk").impls.push_back(
      {"mma", {{"BN", {32, 64, 128, 256}}, {"warps", {2, 4, 8}}}, {"BM"}, {}});
  space.addSubSpace("softmax").impls.push_back(
      {"rows", {{"vec", {1, 2, 4, 8}}}, {"BM"}, {}});
  space.addSubSpace("pv").impls.push_back(
      {"mma", {{"BK", {16, 32, 64}}, {"stages", {2, 3, 4}}}, {"BM"}, {}});
  space.addSubSpace("bias").impls.push_back(
      {"elementwise", {{"vec", {1, 2, 4, 8}}}, {}, {}});
  return space;
}

TEST(Tuner, SharedVariableIsSampledOnce) {
  SearchSpace space = attentionSpace();
  std::string error;
  ASSERT_TRUE(succeeded(space.verify(error))) << error;
  // BM counts once, not once per referencing sub-space (which would be 3^3).
  EXPECT_EQ(space.size(), 3u * 12u * 4u * 9u * 4u);
  std::set<int64_t> bmSeen;
  uint64_t points = 0;
  space.enumerate([&](const TileConfig &point, const std::vector<size_t> &) {
    ++points;
    EXPECT_EQ(point.impl, "flash_attention");
    EXPECT_TRUE(point.has("BM"));
    EXPECT_FALSE(point.has("qk_BM"));
    for (size_t s = 0; s < 3; ++s) {
      FailureOr<TileConfig> view = space.project(point, s, error);
      EXPECT_TRUE(succeeded(view)) << error;
      EXPECT_EQ(view->get("BM"), point.get("BM"));
    }
    FailureOr<TileConfig> bias = space.project(point, 3, error);
    EXPECT_TRUE(succeeded(bias)) << error;
    EXPECT_FALSE(bias->has("BM"));
    bmSeen.insert(point.get("BM"));
    return true;
  });
  EXPECT_EQ(points, space.size());
  EXPECT_EQ(bmSeen, (std::set<int64_t>{32, 64, 128}));
  // The genome has one gene for BM, so sampling cannot split it either.
  EXPECT_EQ(space.genes().size(), 1u + (1 + 2) + (1 + 1) + (1 + 2) + (1 + 1));
  TunerRng rng(3);
  for (int i = 0; i < 50; ++i) {
    std::vector<size_t> genome;
    for (const SearchSpace::Gene &gene : space.genes())
      genome.push_back(rng.below(gene.arity));
    std::vector<TileConfig> views;
    TileConfig point = space.decode(genome, &views);
    EXPECT_EQ(views[0].get("BM"), point.get("BM"));
    EXPECT_EQ(views[1].get("BM"), point.get("BM"));
    EXPECT_EQ(views[2].get("BM"), point.get("BM"));
  }
  // A point whose sub-spaces disagree cannot even be written down; a
  // projection of a foreign point fails.
  TileConfig foreign;
  foreign.impl = "flash_attention";
  foreign.params = {{"BM", 48}, {"qk_BN", 32}, {"qk_warps", 2}};
  EXPECT_TRUE(failed(space.project(foreign, 0, error)));
  EXPECT_NE(error.find("not a candidate value"), std::string::npos) << error;
}

TEST(Tuner, SharedVariableIsBoundAtItsFirstReference) {
  // Only impl `b` of the single sub-space references S: points of `a` do not
  // repeat once per value of S.
  SearchSpace space("op");
  space.addShared({"S", {1, 2, 3}});
  SubSpace &sub = space.addSubSpace("op");
  sub.impls.push_back({"a", {{"x", {1, 2}}}, {}, {}});
  sub.impls.push_back({"b", {{"y", {1, 2}}}, {"S"}, {}});
  EXPECT_EQ(space.size(), 2u + 3u * 2u);
  std::set<std::string> points;
  space.enumerate([&](const TileConfig &point, const std::vector<size_t> &) {
    EXPECT_TRUE(points.insert(point.str()).second) << point.str();
    EXPECT_EQ(point.has("S"), point.impl == "b");
    return true;
  });
  EXPECT_EQ(points.size(), 8u);
}

/// Per-sub-space costs interacting only through BM: q·kᵀ prefers large BM,
/// ·v small BM; weights are irrational-looking to avoid ties.
std::optional<double> attentionSubCost(size_t sub, const TileConfig &view) {
  double bm = log2d(view.get("BM", 1));
  switch (sub) {
  case 0:
    return 1e-6 * (0.731 * std::abs(bm - 7) +
                   0.213 * std::abs(log2d(view.get("BN")) - 6.3) +
                   0.057 * std::abs(log2d(view.get("warps")) - 1.8));
  case 1:
    return 1e-6 * (0.171 * std::abs(bm - 6.2) +
                   0.093 * std::abs(log2d(view.get("vec")) - 2.2));
  case 2:
    return 1e-6 * (0.703 * std::abs(bm - 5) +
                   0.119 * std::abs(log2d(view.get("BK")) - 4.6) +
                   0.031 * std::abs(view.get("stages") - 3.3));
  default:
    return 1e-6 * (0.5 + 0.011 * std::abs(log2d(view.get("vec")) - 1.1));
  }
}

TEST(Tuner, AdditiveDecompositionMatchesTheJointSearchWithFewerPoints) {
  SearchSpace space = attentionSpace();
  TuneOptions options;
  options.topK = 6;
  options.exhaustiveThreshold = 1u << 20;
  std::string error;
  FailureOr<TuneResult> joint = tune(
      space,
      [&](const TileConfig &point) -> std::optional<double> {
        double total = 0;
        for (size_t s = 0; s < 4; ++s) {
          FailureOr<TileConfig> view = space.project(point, s, error);
          EXPECT_TRUE(succeeded(view)) << error;
          total += *attentionSubCost(s, *view);
        }
        return total;
      },
      options, error);
  ASSERT_TRUE(succeeded(joint)) << error;
  FailureOr<TuneResult> decomposed =
      tuneAdditive(space, attentionSubCost, options, error);
  ASSERT_TRUE(succeeded(decomposed)) << error;

  // Joint: every point, 3 * 12 * 4 * 9 * 4. Decomposed: each sub-space
  // that references BM once per BM value, `bias` once: 3 * (12+4+9) + 4.
  EXPECT_EQ(joint->costed, 5184u);
  EXPECT_EQ(decomposed->costed, 79u);
  EXPECT_EQ(decomposed->spaceSize, 5184u);
  EXPECT_EQ(decomposed->subTunings, 3u * 3u + 1u);
  ASSERT_EQ(joint->top.size(), 6u);
  ASSERT_EQ(decomposed->top.size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(decomposed->top[i].config.str(), joint->top[i].config.str());
    EXPECT_NEAR(decomposed->top[i].cost, joint->top[i].cost, 1e-15);
  }
  std::cout << "joint:      " << joint->summary() << "\n"
            << "decomposed: " << decomposed->summary() << "\n";
  // The compromise on the shared BM: neither sub-space's own favourite.
  EXPECT_EQ(decomposed->top[0].config.get("BM"), 64);
  EXPECT_NE(decomposed->summary().find("space 5184 points, costed 79 (65.6x "
                                       "fewer)"),
            std::string::npos)
      << decomposed->summary();
}

TEST(Tuner, AdditiveDecompositionHandlesChoicesAndSharedConstraints) {
  SearchSpace space("group");
  space.addShared({"B", {16, 32, 64, 128}});
  SubSpace &a = space.addSubSpace("a");
  a.impls.push_back({"x", {{"p", {1, 2, 3}}}, {"B"}, {}});
  a.impls.push_back({"y", {{"q", {1, 2}}}, {}, {}});
  SubSpace &b = space.addSubSpace("b");
  b.impls.push_back({"z",
                     {{"r", {1, 2, 3, 4}}},
                     {"B"},
                     {{"div", {"B", "r"}, [](const TileConfig &c) {
                         return c.get("B") % (c.get("r") * 16) == 0;
                       }}}});
  space.addConstraint(
      {"cap", {"B"}, [](const TileConfig &c) { return c.get("B") <= 64; }});
  auto sub = [](size_t s, const TileConfig &v) -> std::optional<double> {
    if (s == 0)
      return v.impl == "x" ? 0.3 * v.get("p") + 0.01 * v.get("B")
                           : 1.7 + 0.2 * v.get("q");
    return 1.0 / v.get("B") + 0.05 * v.get("r");
  };
  TuneOptions options;
  options.topK = 5;
  std::string error;
  FailureOr<TuneResult> joint = tune(
      space,
      [&](const TileConfig &point) -> std::optional<double> {
        double total = 0;
        for (size_t s = 0; s < 2; ++s)
          total += *sub(s, *space.project(point, s, error));
        return total;
      },
      options, error);
  ASSERT_TRUE(succeeded(joint)) << error;
  FailureOr<TuneResult> decomposed = tuneAdditive(space, sub, options, error);
  ASSERT_TRUE(succeeded(decomposed)) << error;
  ASSERT_EQ(decomposed->top.size(), joint->top.size());
  for (size_t i = 0; i < joint->top.size(); ++i) {
    EXPECT_EQ(decomposed->top[i].config.str(), joint->top[i].config.str());
    EXPECT_NEAR(decomposed->top[i].cost, joint->top[i].cost, 1e-12);
  }
  EXPECT_LT(decomposed->costed, joint->costed);
  EXPECT_TRUE(joint->top[0].config.has("a_impl"));

  // A constraint over sub-space variables couples them: refused.
  space.addConstraint(
      {"couple", {"a_p", "b_r"}, [](const TileConfig &) { return true; }});
  EXPECT_TRUE(failed(tuneAdditive(space, sub, options, error)));
  EXPECT_NE(error.find("not separable"), std::string::npos) << error;
}

/// Six parameters, ten values each: 10^6 points; a smooth bowl with its
/// minimum (0) at one known point.
SearchSpace bigSpace() {
  SearchSpace space("big");
  Implementation impl{"kernel", {}, {}, {}};
  for (const char *name : {"a", "b", "c", "d", "e", "f"}) {
    Parameter param{name, {}};
    for (int64_t v = 0; v < 10; ++v)
      param.values.push_back(v * 8);
    impl.params.push_back(param);
  }
  space.addSubSpace("kernel").impls.push_back(impl);
  return space;
}

std::optional<double> bowl(const TileConfig &c) {
  const int64_t target[] = {24, 56, 8, 40, 72, 16};
  const char *names[] = {"a", "b", "c", "d", "e", "f"};
  double total = 0;
  for (int i = 0; i < 6; ++i) {
    double d = (c.get(names[i]) - target[i]) / 8.0;
    total += (1 + 0.1 * i) * d * d;
  }
  return 1e-6 * total;
}

TEST(Tuner, EvolutionarySearchIsDeterministicAndFindsTheOptimum) {
  SearchSpace space = bigSpace();
  EXPECT_EQ(space.size(), 1000000u);
  TuneOptions options;
  options.seed = 7;
  options.budget = 3000;
  std::string error;
  FailureOr<TuneResult> first = tune(space, bowl, options, error);
  ASSERT_TRUE(succeeded(first)) << error;
  EXPECT_EQ(first->strategy, SearchStrategy::Evolutionary);
  EXPECT_LE(first->costed, 3000u);
  ASSERT_FALSE(first->top.empty());
  EXPECT_EQ(first->top[0].config.str(), "kernel:a=24,b=56,c=8,d=40,e=72,f=16");
  EXPECT_DOUBLE_EQ(first->top[0].cost, 0.0);
  std::cout << first->summary() << "\n";

  FailureOr<TuneResult> second = tune(space, bowl, options, error);
  ASSERT_TRUE(succeeded(second)) << error;
  EXPECT_EQ(second->costed, first->costed);
  ASSERT_EQ(second->top.size(), first->top.size());
  for (size_t i = 0; i < first->top.size(); ++i) {
    EXPECT_EQ(second->top[i].config.str(), first->top[i].config.str());
    EXPECT_EQ(second->top[i].cost, first->top[i].cost);
  }

  // Random search with the same budget: deterministic too, and worse here.
  options.strategy = SearchStrategy::Random;
  FailureOr<TuneResult> random1 = tune(space, bowl, options, error);
  FailureOr<TuneResult> random2 = tune(space, bowl, options, error);
  ASSERT_TRUE(succeeded(random1) && succeeded(random2)) << error;
  EXPECT_EQ(random1->costed, 3000u);
  EXPECT_EQ(random1->top[0].config.str(), random2->top[0].config.str());
  EXPECT_GT(random1->top[0].cost, first->top[0].cost);
}

TEST(Tuner, EvolutionarySearchFindsTheOptimumForEverySeed) {
  SearchSpace space = bigSpace();
  TuneOptions options;
  options.budget = 3000;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    options.seed = seed;
    std::string error;
    FailureOr<TuneResult> result = tune(space, bowl, options, error);
    ASSERT_TRUE(succeeded(result)) << error;
    EXPECT_EQ(result->top[0].config.str(),
              "kernel:a=24,b=56,c=8,d=40,e=72,f=16")
        << "seed " << seed;
  }
}

TEST(Tuner, EvolutionarySearchRespectsConstraintsAndStartsFromKnownPoints) {
  SearchSpace space = bigSpace();
  // The optimum (a=24, b=56) is on the boundary of a + b <= 80.
  space.addConstraint({"sum", {"a", "b"}, [](const TileConfig &c) {
                         return c.get("a") + c.get("b") <= 80;
                       }});
  TuneOptions options;
  options.budget = 3000;
  options.strategy = SearchStrategy::Evolutionary;
  std::string error;
  FailureOr<TuneResult> result = tune(
      space,
      [](const TileConfig &c) {
        EXPECT_LE(c.get("a") + c.get("b"), 80);
        return bowl(c);
      },
      options, error);
  ASSERT_TRUE(succeeded(result)) << error;
  EXPECT_EQ(result->top[0].config.str(), "kernel:a=24,b=56,c=8,d=40,e=72,f=16");
  EXPECT_GT(result->pruned, 0u);

  // A known good point is costed first; a foreign one is skipped.
  std::string text = "kernel:a=24,b=56,c=8,d=40,e=72,f=24";
  TileConfig start = *TileConfig::parse(text, error);
  TileConfig foreign = *TileConfig::parse("kernel:a=24", error);
  FailureOr<std::vector<size_t>> genome = space.encode(start, error);
  ASSERT_TRUE(succeeded(genome)) << error;
  EXPECT_EQ(space.decode(*genome).str(), text);
  EXPECT_TRUE(failed(space.encode(foreign, error)));
  options.initial = {foreign, start};
  std::vector<std::string> order;
  FailureOr<TuneResult> seeded = tune(
      space,
      [&](const TileConfig &c) {
        order.push_back(c.str());
        return bowl(c);
      },
      options, error);
  ASSERT_TRUE(succeeded(seeded)) << error;
  ASSERT_FALSE(order.empty());
  EXPECT_EQ(order.front(), text);
  EXPECT_EQ(seeded->top[0].cost, 0.0);
}

TEST(Tuner, ProgressLines) {
  SearchSpace space = bigSpace();
  TuneOptions options;
  options.strategy = SearchStrategy::Random;
  options.budget = 2500;
  options.progress = true;
  options.progressEvery = 1000;
  std::vector<uint64_t> costed;
  options.onProgress = [&](const TuneProgress &p) {
    costed.push_back(p.costed);
    EXPECT_EQ(p.total, 2500u);
    EXPECT_TRUE(p.best.has_value());
  };
  std::string error;
  ASSERT_TRUE(succeeded(tune(space, bowl, options, error))) << error;
  EXPECT_EQ(costed, (std::vector<uint64_t>{1000, 2000, 2500}));

  options.onProgress = nullptr;
  options.budget = 1000;
  testing::internal::CaptureStderr();
  ASSERT_TRUE(succeeded(tune(space, bowl, options, error))) << error;
  std::string text = testing::internal::GetCapturedStderr();
  EXPECT_EQ(text.rfind("tune: 1000/1000 points, best ", 0), 0u) << text;
  EXPECT_NE(text.find(" us\n"), std::string::npos) << text;
}

TEST(Tuner, IllFormedSpacesAreErrors) {
  std::string error;
  SearchSpace undeclared("s");
  undeclared.addSubSpace("op").impls.push_back({"k", {}, {"BM"}, {}});
  EXPECT_TRUE(failed(tune(undeclared, bowl, TuneOptions(), error)));
  EXPECT_NE(error.find("undeclared shared variable 'BM'"), std::string::npos)
      << error;

  SearchSpace empty("s");
  empty.addSubSpace("op").impls.push_back({"k", {{"BM", {}}}, {}, {}});
  EXPECT_TRUE(failed(empty.verify(error)));
  EXPECT_NE(error.find("has no values"), std::string::npos) << error;

  SearchSpace badConstraint("s");
  badConstraint.addSubSpace("op").impls.push_back(
      {"k", {{"BM", {1}}}, {}, {{"c", {"BN"}, [](const TileConfig &) {
                                   return true;
                                 }}}});
  EXPECT_TRUE(failed(badConstraint.verify(error)));
  EXPECT_NE(error.find("reads 'BN'"), std::string::npos) << error;

  // Group-form names must be unique: a_b + x and a + b_x both give a_b_x.
  SearchSpace clash("s");
  clash.addSubSpace("a").impls.push_back({"k", {{"b_x", {1}}}, {}, {}});
  clash.addSubSpace("a_b").impls.push_back({"k", {{"x", {1}}}, {}, {}});
  EXPECT_TRUE(failed(clash.verify(error)));
  EXPECT_NE(error.find("'a_b_x' used twice"), std::string::npos) << error;

  SearchSpace none("s");
  EXPECT_TRUE(failed(none.verify(error)));

  // No valid point: an empty result, not an error.
  SearchSpace impossible = gemmSpace();
  impossible.addConstraint(
      {"never", {"BM"}, [](const TileConfig &) { return false; }});
  FailureOr<TuneResult> result =
      tune(impossible, gemmCost, TuneOptions(), error);
  ASSERT_TRUE(succeeded(result)) << error;
  EXPECT_TRUE(result->top.empty());
  EXPECT_EQ(result->costed, 0u);
  EXPECT_EQ(result->pruned, 162u);
}

} // namespace
