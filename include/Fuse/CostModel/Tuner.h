//===- Tuner.h - Search for the cheapest tile configurations ----*- C++ -*-===//
//
// Ranks the points of a SearchSpace by a cost callback (latency in seconds;
// nullopt = invalid point) and returns the top-k:
//  - exhaustive enumeration when the space is small (constraints prune
//    sub-trees before any of their points is costed);
//  - random or evolutionary search (tournament selection, uniform crossover
//    over genes, mutation to neighbouring or random values, elitism) for
//    large ones, with a budget of distinct points costed;
//  - additive decomposition (`tuneAdditive`) when the group's cost is the sum
//    of per-sub-space costs that interact only through shared variables:
//    each sub-space is tuned once per assignment of the shared variables it
//    references and the minima are combined.
// Results are deterministic for a given seed (the generator is our own, not
// the standard library's distributions).
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_COSTMODEL_TUNER_H
#define FUSE_COSTMODEL_TUNER_H

#include "Fuse/CostModel/SearchSpace.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace fuse {

/// Cost of a point (seconds); nullopt when the point is invalid.
using CostFunction = std::function<std::optional<double>(const TileConfig &)>;
/// Cost of one sub-space's view of a point (see SearchSpace::project).
using SubCostFunction =
    std::function<std::optional<double>(size_t sub, const TileConfig &view)>;

enum class SearchStrategy { Auto, Exhaustive, Random, Evolutionary };

llvm::StringRef stringifySearchStrategy(SearchStrategy strategy);
std::optional<SearchStrategy> parseSearchStrategy(llvm::StringRef text);

struct TuneProgress {
  uint64_t costed;
  /// Planned number of points (space size or budget).
  uint64_t total;
  /// Best cost so far, if any valid point was costed.
  std::optional<double> best;
};

struct TuneOptions {
  SearchStrategy strategy = SearchStrategy::Auto;
  /// With Auto: exhaustive when the space has at most this many points,
  /// evolutionary otherwise.
  uint64_t exhaustiveThreshold = 4096;
  uint64_t seed = 1;
  size_t topK = 5;
  /// Random/evolutionary: most distinct points costed.
  uint64_t budget = 2000;
  /// Evolutionary search.
  size_t population = 48;
  size_t generations = 200;
  size_t tournament = 3;
  size_t elite = 4;
  double crossoverRate = 0.9;
  /// Per-gene probability of a mutation (at least one gene mutates when a
  /// child equals a parent).
  double mutationRate = 0.15;
  /// Evolutionary: stop after this many generations without a new best.
  size_t patience = 30;
  /// Evolutionary: points of the space placed in the first population
  /// (e.g. the best known configuration from the tuning database), costed
  /// first; points not in the space or violating a constraint are skipped.
  std::vector<TileConfig> initial;
  /// Random draws tried for each valid sample before giving up.
  size_t maxSampleTries = 1000;
  /// Print `tune: N/TOTAL points, best X us` on stderr every
  /// `progressEvery` costed points (and at the end) when set.
  bool progress = false;
  uint64_t progressEvery = 1000;
  /// When set, receives the progress instead of stderr.
  std::function<void(const TuneProgress &)> onProgress;
};

struct TunedConfig {
  TileConfig config;
  double cost;
};

struct TuneResult {
  /// Best first (ties broken by the canonical text).
  std::vector<TunedConfig> top;
  SearchStrategy strategy = SearchStrategy::Exhaustive;
  /// Points of the joint space, ignoring constraints.
  uint64_t spaceSize = 0;
  /// Calls of the cost callback (distinct points; with decomposition,
  /// sub-space points).
  uint64_t costed = 0;
  /// Points rejected by constraints before costing (exhaustive: points of
  /// pruned sub-trees; sampling: rejected draws).
  uint64_t pruned = 0;
  /// Points the cost callback declared invalid.
  uint64_t invalid = 0;
  /// Decomposition only: number of sub-space tunings (one per sub-space and
  /// assignment of the shared variables it references).
  uint64_t subTunings = 0;

  /// One line: `space N points, costed M, pruned P, best CFG = X us`, with
  /// the reduction `N/M x` when M < N.
  std::string summary() const;
};

/// Tunes `space` ranked by `cost`. Fails (with `error`) on an ill-formed
/// space; a space without a valid point gives an empty `top`.
FailureOr<TuneResult> tune(const SearchSpace &space, const CostFunction &cost,
                           const TuneOptions &options, std::string &error);

/// Tunes by additive decomposition: the cost of a point is the sum over
/// sub-spaces of `cost(sub, project(point, sub))`. Group constraints may read
/// shared variables only (a constraint coupling sub-spaces makes the cost
/// non-separable: fails with `error`). Each sub-space is tuned with `tune`
/// and `options` (exhaustive when small) for every assignment of the shared
/// variables it references; the result's costs are the sums and `top` is
/// the exact k best sums.
FailureOr<TuneResult> tuneAdditive(const SearchSpace &space,
                                   const SubCostFunction &cost,
                                   const TuneOptions &options,
                                   std::string &error);

/// A small deterministic generator (splitmix64).
class TunerRng {
public:
  explicit TunerRng(uint64_t seed) : state(seed) {}
  uint64_t next();
  /// Uniform in [0, n) (n > 0).
  size_t below(size_t n);
  /// Uniform in [0, 1).
  double unit();

private:
  uint64_t state;
};

} // namespace fuse
} // namespace mlir

#endif // FUSE_COSTMODEL_TUNER_H
