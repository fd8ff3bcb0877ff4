//===- Tuner.cpp - Search for the cheapest tile configurations ------------===//

#include "Fuse/CostModel/Tuner.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>

using namespace mlir;
using namespace mlir::fuse;

//===----------------------------------------------------------------------===//
// Utilities
//===----------------------------------------------------------------------===//

uint64_t TunerRng::next() {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

size_t TunerRng::below(size_t n) { return static_cast<size_t>(next() % n); }

double TunerRng::unit() {
  return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0);
}

llvm::StringRef mlir::fuse::stringifySearchStrategy(SearchStrategy strategy) {
  switch (strategy) {
  case SearchStrategy::Auto:
    return "auto";
  case SearchStrategy::Exhaustive:
    return "exhaustive";
  case SearchStrategy::Random:
    return "random";
  case SearchStrategy::Evolutionary:
    return "evolutionary";
  }
  return "auto";
}

std::optional<SearchStrategy>
mlir::fuse::parseSearchStrategy(llvm::StringRef text) {
  for (SearchStrategy strategy :
       {SearchStrategy::Auto, SearchStrategy::Exhaustive,
        SearchStrategy::Random, SearchStrategy::Evolutionary})
    if (text == stringifySearchStrategy(strategy))
      return strategy;
  return std::nullopt;
}

static std::string formatMicros(double seconds) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::format("%.4g", seconds * 1e6) << " us";
  return text;
}

std::string TuneResult::summary() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << stringifySearchStrategy(strategy) << ": space " << spaceSize
     << " points, costed " << costed;
  if (costed > 0 && costed < spaceSize)
    os << " (" << llvm::format("%.1f", double(spaceSize) / double(costed))
       << "x fewer)";
  os << ", pruned " << pruned << ", invalid " << invalid;
  if (subTunings)
    os << ", " << subTunings << " sub-space tunings";
  if (!top.empty())
    os << ", best " << top.front().config.str() << " = "
       << formatMicros(top.front().cost);
  else
    os << ", no valid point";
  return text;
}

static bool byCostThenText(const TunedConfig &a, const TunedConfig &b) {
  if (a.cost != b.cost)
    return a.cost < b.cost;
  return a.config.str() < b.config.str();
}

namespace {
/// Costs points once each and keeps the ranking.
class Ranker {
public:
  Ranker(const CostFunction &cost, const TuneOptions &options, uint64_t total)
      : cost(cost), options(options), total(total) {}

  /// The cost of `config` (cached); +inf when invalid.
  double evaluate(const TileConfig &config) {
    std::string key = config.str();
    auto it = cache.find(key);
    if (it != cache.end())
      return it->second;
    std::optional<double> value = cost(config);
    ++costed;
    double result = std::numeric_limits<double>::infinity();
    if (!value || !std::isfinite(*value))
      ++invalid;
    else {
      result = *value;
      valid.emplace(key, TunedConfig{config, result});
      if (!best || result < *best)
        best = result;
    }
    cache.emplace(std::move(key), result);
    if (options.progress && options.progressEvery &&
        costed % options.progressEvery == 0)
      report();
    return result;
  }

  bool seen(const TileConfig &config) const {
    return cache.count(config.str()) != 0;
  }

  void report() const {
    TuneProgress progress{costed, total, best};
    if (options.onProgress) {
      options.onProgress(progress);
      return;
    }
    llvm::errs() << "tune: " << costed << "/" << total << " points, best "
                 << (best ? formatMicros(*best) : std::string("none")) << "\n";
  }

  void finish(TuneResult &result) const {
    if (options.progress &&
        costed % std::max<uint64_t>(options.progressEvery, 1) != 0)
      report();
    std::vector<TunedConfig> all;
    for (const auto &entry : valid)
      all.push_back(entry.second);
    llvm::sort(all, byCostThenText);
    if (all.size() > options.topK)
      all.resize(options.topK);
    result.top = std::move(all);
    result.costed = costed;
    result.invalid = invalid;
  }

  uint64_t costed = 0;

private:
  const CostFunction &cost;
  const TuneOptions &options;
  uint64_t total;
  uint64_t invalid = 0;
  std::optional<double> best;
  std::map<std::string, double> cache;
  std::map<std::string, TunedConfig> valid;
};
} // namespace

//===----------------------------------------------------------------------===//
// Strategies
//===----------------------------------------------------------------------===//

static void runExhaustive(const SearchSpace &space, Ranker &ranker,
                          TuneResult &result) {
  result.pruned = space.enumerate(
      [&](const TileConfig &point, const std::vector<size_t> &) {
        ranker.evaluate(point);
        return true;
      });
}

using Genome = std::vector<size_t>;

static Genome randomGenome(const SearchSpace &space, TunerRng &rng) {
  Genome genome;
  for (const SearchSpace::Gene &gene : space.genes())
    genome.push_back(rng.below(gene.arity));
  return genome;
}

/// A random genome satisfying the constraints, or nullopt after `tries`.
static std::optional<Genome> sampleValid(const SearchSpace &space,
                                         TunerRng &rng, size_t tries,
                                         TuneResult &result) {
  for (size_t i = 0; i < tries; ++i) {
    Genome genome = randomGenome(space, rng);
    if (space.satisfies(genome))
      return genome;
    ++result.pruned;
  }
  return std::nullopt;
}

static void runRandom(const SearchSpace &space, Ranker &ranker,
                      const TuneOptions &options, uint64_t target,
                      TuneResult &result) {
  TunerRng rng(options.seed);
  size_t misses = 0;
  while (ranker.costed < target && misses < options.maxSampleTries) {
    std::optional<Genome> genome =
        sampleValid(space, rng, options.maxSampleTries, result);
    if (!genome)
      return;
    TileConfig point = space.decode(*genome);
    if (ranker.seen(point)) {
      ++misses;
      continue;
    }
    misses = 0;
    ranker.evaluate(point);
  }
}

namespace {
struct Individual {
  Genome genome;
  double cost;
  std::string key;
};
} // namespace

static void runEvolutionary(const SearchSpace &space, Ranker &ranker,
                            const TuneOptions &options, uint64_t target,
                            TuneResult &result) {
  TunerRng rng(options.seed);
  const std::vector<SearchSpace::Gene> &genes = space.genes();
  size_t populationSize = std::max<size_t>(options.population, 2);

  auto makeIndividual = [&](Genome genome) {
    TileConfig point = space.decode(genome);
    double cost = ranker.evaluate(point);
    return Individual{std::move(genome), cost, point.str()};
  };

  std::vector<Individual> population;
  std::set<std::string> initialKeys;
  for (const TileConfig &config : options.initial) {
    std::string ignored;
    FailureOr<Genome> genome = space.encode(config, ignored);
    if (failed(genome) || !space.satisfies(*genome) ||
        !initialKeys.insert(config.str()).second ||
        population.size() >= populationSize || ranker.costed >= target)
      continue;
    population.push_back(makeIndividual(std::move(*genome)));
  }
  for (size_t i = population.size();
       i < populationSize && ranker.costed < target; ++i) {
    std::optional<Genome> genome =
        sampleValid(space, rng, options.maxSampleTries, result);
    if (!genome)
      break;
    population.push_back(makeIndividual(std::move(*genome)));
  }
  if (population.empty())
    return;

  auto better = [](const Individual &a, const Individual &b) {
    return a.cost != b.cost ? a.cost < b.cost : a.key < b.key;
  };
  auto tournament = [&]() -> const Individual & {
    const Individual *winner = &population[rng.below(population.size())];
    for (size_t i = 1; i < std::max<size_t>(options.tournament, 1); ++i) {
      const Individual &other = population[rng.below(population.size())];
      if (better(other, *winner))
        winner = &other;
    }
    return *winner;
  };
  auto mutateGene = [&](Genome &genome, size_t g) {
    size_t arity = genes[g].arity;
    if (arity < 2)
      return;
    if (rng.unit() < 0.5) {
      // A neighbouring value: small steps for smooth costs.
      if (genome[g] == 0)
        genome[g] = 1;
      else if (genome[g] + 1 == arity)
        genome[g] = arity - 2;
      else
        genome[g] += rng.unit() < 0.5 ? size_t(-1) : 1;
    } else {
      size_t value = rng.below(arity - 1);
      genome[g] = value >= genome[g] ? value + 1 : value;
    }
  };

  double bestCost = std::numeric_limits<double>::infinity();
  size_t stale = 0;
  for (size_t generation = 0;
       generation < options.generations && ranker.costed < target;
       ++generation) {
    llvm::sort(population, better);
    // Converged: no better point for `patience` generations.
    if (population.front().cost < bestCost) {
      bestCost = population.front().cost;
      stale = 0;
    } else if (++stale > options.patience) {
      break;
    }
    std::vector<Individual> next;
    std::set<std::string> keys;
    for (const Individual &individual : population) {
      if (next.size() >= std::min(options.elite, populationSize))
        break;
      if (keys.insert(individual.key).second)
        next.push_back(individual);
    }
    size_t attempts = 0;
    while (next.size() < populationSize && ranker.costed < target &&
           attempts < populationSize * 50) {
      ++attempts;
      const Individual &a = tournament();
      const Individual &b = tournament();
      Genome child = a.genome;
      if (rng.unit() < options.crossoverRate)
        for (size_t g = 0; g < genes.size(); ++g)
          if (rng.unit() < 0.5)
            child[g] = b.genome[g];
      for (size_t g = 0; g < genes.size(); ++g)
        if (rng.unit() < options.mutationRate)
          mutateGene(child, g);
      // Make the child differ from both parents when possible.
      for (size_t tries = 0; tries < 8; ++tries) {
        std::string key = space.decode(child).str();
        if (key != a.key && key != b.key)
          break;
        mutateGene(child, rng.below(genes.size()));
      }
      if (!space.satisfies(child)) {
        ++result.pruned;
        continue;
      }
      Individual individual = makeIndividual(std::move(child));
      if (!keys.insert(individual.key).second)
        continue;
      next.push_back(std::move(individual));
    }
    if (next.size() < 2)
      break;
    population = std::move(next);
  }
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

FailureOr<TuneResult> mlir::fuse::tune(const SearchSpace &space,
                                       const CostFunction &cost,
                                       const TuneOptions &options,
                                       std::string &error) {
  if (failed(space.verify(error)))
    return failure();
  if (!cost) {
    error = "tune: no cost function";
    return failure();
  }
  TuneResult result;
  result.spaceSize = space.size();
  SearchStrategy strategy = options.strategy;
  if (strategy == SearchStrategy::Auto)
    strategy = result.spaceSize <= options.exhaustiveThreshold
                   ? SearchStrategy::Exhaustive
                   : SearchStrategy::Evolutionary;
  result.strategy = strategy;
  uint64_t target = std::min(options.budget, result.spaceSize);
  Ranker ranker(cost, options,
                strategy == SearchStrategy::Exhaustive ? result.spaceSize
                                                       : target);
  switch (strategy) {
  case SearchStrategy::Auto:
  case SearchStrategy::Exhaustive:
    runExhaustive(space, ranker, result);
    break;
  case SearchStrategy::Random:
    runRandom(space, ranker, options, target, result);
    break;
  case SearchStrategy::Evolutionary:
    runEvolutionary(space, ranker, options, target, result);
    break;
  }
  ranker.finish(result);
  return result;
}

/// The group-form point made of one view per sub-space.
static TileConfig compose(const SearchSpace &space,
                          const std::vector<const TileConfig *> &views) {
  const std::vector<SubSpace> &subs = space.getSubSpaces();
  if (subs.size() == 1)
    return *views.front();
  TileConfig group;
  group.impl = space.getName();
  for (auto [s, sub] : llvm::enumerate(subs)) {
    const TileConfig &view = *views[s];
    for (auto [i, impl] : llvm::enumerate(sub.impls)) {
      if (impl.name != view.impl)
        continue;
      if (sub.impls.size() > 1)
        group.params[sub.name + "_impl"] = static_cast<int64_t>(i);
      for (const std::string &use : impl.uses)
        group.params[use] = view.get(use);
      for (const Parameter &param : impl.params)
        group.params[sub.name + "_" + param.name] = view.get(param.name);
    }
  }
  return group;
}

namespace {
struct Combination {
  double cost;
  std::vector<size_t> choice; // index into each sub-space's top list
};
} // namespace

FailureOr<TuneResult> mlir::fuse::tuneAdditive(const SearchSpace &space,
                                               const SubCostFunction &cost,
                                               const TuneOptions &options,
                                               std::string &error) {
  if (failed(space.verify(error)))
    return failure();
  if (!cost) {
    error = "tuneAdditive: no cost function";
    return failure();
  }
  for (const Constraint &constraint : space.getConstraints()) {
    bool sharedOnly =
        !constraint.vars.empty() &&
        llvm::all_of(constraint.vars, [&](const std::string &var) {
          return space.findShared(var) >= 0;
        });
    if (!sharedOnly) {
      error = "search space '" + space.getName() + "': group constraint '" +
              constraint.name +
              "' reads variables of sub-spaces; the cost is not separable, "
              "use the joint search";
      return failure();
    }
  }

  const std::vector<Parameter> &shared = space.getShared();
  const std::vector<SubSpace> &subs = space.getSubSpaces();
  TuneResult result;
  result.spaceSize = space.size();
  result.strategy = SearchStrategy::Exhaustive;
  TuneOptions subOptions = options;
  subOptions.progress = false;
  subOptions.onProgress = nullptr;
  subOptions.topK = std::max<size_t>(options.topK, 1);

  // Per sub-space: the top list for each assignment of the shared variables
  // it references (indices, in declaration order).
  std::vector<std::vector<int>> usedIndex(subs.size());
  std::vector<std::map<std::vector<size_t>, std::vector<TunedConfig>>> tops(
      subs.size());
  std::vector<bool> referenced(shared.size(), false);
  for (size_t s = 0; s < subs.size(); ++s) {
    for (const std::string &use : space.sharedUsedBy(s)) {
      usedIndex[s].push_back(space.findShared(use));
      referenced[space.findShared(use)] = true;
    }
    std::vector<size_t> assignment(usedIndex[s].size(), 0);
    while (true) {
      SearchSpace local(subs[s].name);
      for (auto [j, k] : llvm::enumerate(usedIndex[s]))
        local.addShared(
            Parameter{shared[k].name, {shared[k].values[assignment[j]]}});
      local.addSubSpace(subs[s].name).impls = subs[s].impls;
      CostFunction localCost = [&, s](const TileConfig &view) {
        return cost(s, view);
      };
      FailureOr<TuneResult> sub = tune(local, localCost, subOptions, error);
      if (failed(sub))
        return failure();
      ++result.subTunings;
      result.costed += sub->costed;
      result.pruned += sub->pruned;
      result.invalid += sub->invalid;
      if (sub->strategy != SearchStrategy::Exhaustive)
        result.strategy = sub->strategy;
      tops[s][assignment] = std::move(sub->top);
      // Next assignment (odometer).
      size_t j = 0;
      for (; j < assignment.size(); ++j) {
        if (++assignment[j] < shared[usedIndex[s][j]].values.size())
          break;
        assignment[j] = 0;
      }
      if (j == assignment.size())
        break;
    }
  }

  // Combine: for each assignment of the referenced shared variables, the k
  // best sums of per-sub-space costs.
  std::vector<size_t> vars;
  for (size_t k = 0; k < shared.size(); ++k)
    if (referenced[k])
      vars.push_back(k);
  std::map<std::string, TunedConfig> candidates;
  std::vector<size_t> assignment(vars.size(), 0);
  while (true) {
    TileConfig sharedPoint;
    sharedPoint.impl = space.getName();
    std::vector<size_t> full(shared.size(), 0);
    for (auto [j, k] : llvm::enumerate(vars)) {
      full[k] = assignment[j];
      sharedPoint.params[shared[k].name] = shared[k].values[assignment[j]];
    }
    bool ok = llvm::all_of(space.getConstraints(), [&](const Constraint &c) {
      return c.holds(sharedPoint);
    });
    std::vector<const std::vector<TunedConfig> *> lists;
    for (size_t s = 0; ok && s < subs.size(); ++s) {
      std::vector<size_t> projection;
      for (int k : usedIndex[s])
        projection.push_back(full[k]);
      const std::vector<TunedConfig> &list = tops[s][projection];
      if (list.empty())
        ok = false;
      lists.push_back(&list);
    }
    if (ok) {
      std::vector<Combination> best = {Combination{0.0, {}}};
      for (const std::vector<TunedConfig> *list : lists) {
        std::vector<Combination> next;
        for (const Combination &combination : best)
          for (auto [i, entry] : llvm::enumerate(*list)) {
            Combination extended = combination;
            extended.cost += entry.cost;
            extended.choice.push_back(i);
            next.push_back(std::move(extended));
          }
        llvm::sort(next, [](const Combination &a, const Combination &b) {
          return a.cost != b.cost ? a.cost < b.cost : a.choice < b.choice;
        });
        if (next.size() > subOptions.topK)
          next.resize(subOptions.topK);
        best = std::move(next);
      }
      for (const Combination &combination : best) {
        std::vector<const TileConfig *> views;
        for (auto [s, i] : llvm::enumerate(combination.choice))
          views.push_back(&(*lists[s])[i].config);
        TileConfig point = compose(space, views);
        std::string key = point.str();
        auto it = candidates.find(key);
        if (it == candidates.end() || combination.cost < it->second.cost)
          candidates[key] = TunedConfig{point, combination.cost};
      }
    }
    size_t j = 0;
    for (; j < assignment.size(); ++j) {
      if (++assignment[j] < shared[vars[j]].values.size())
        break;
      assignment[j] = 0;
    }
    if (j == assignment.size())
      break;
  }
  for (const auto &entry : candidates)
    result.top.push_back(entry.second);
  llvm::sort(result.top, byCostThenText);
  if (result.top.size() > options.topK)
    result.top.resize(options.topK);
  if (options.progress) {
    TuneProgress progress{result.costed, result.costed,
                          result.top.empty()
                              ? std::nullopt
                              : std::optional<double>(result.top[0].cost)};
    if (options.onProgress)
      options.onProgress(progress);
    else
      llvm::errs() << "tune: " << progress.costed << "/" << progress.total
                   << " points (decomposed; joint space " << result.spaceSize
                   << "), best "
                   << (progress.best ? formatMicros(*progress.best)
                                     : std::string("none"))
                   << "\n";
  }
  return result;
}
