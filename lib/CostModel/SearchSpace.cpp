//===- SearchSpace.cpp - Nested conditional tuning search spaces ----------===//

#include "Fuse/CostModel/SearchSpace.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <limits>
#include <map>
#include <set>

using namespace mlir;
using namespace mlir::fuse;

uint64_t mlir::fuse::saturatingMul(uint64_t a, uint64_t b) {
  if (a != 0 && b > std::numeric_limits<uint64_t>::max() / a)
    return std::numeric_limits<uint64_t>::max();
  return a * b;
}

uint64_t mlir::fuse::saturatingAdd(uint64_t a, uint64_t b) {
  return b > std::numeric_limits<uint64_t>::max() - a
             ? std::numeric_limits<uint64_t>::max()
             : a + b;
}

SubSpace &SearchSpace::addSubSpace(std::string subName) {
  genesValid = false;
  subs.push_back(SubSpace{std::move(subName), {}});
  return subs.back();
}

int SearchSpace::findShared(llvm::StringRef varName) const {
  for (auto [i, var] : llvm::enumerate(shared))
    if (var.name == varName)
      return static_cast<int>(i);
  return -1;
}

std::vector<std::string> SearchSpace::sharedUsedBy(size_t sub) const {
  std::vector<std::string> used;
  for (const Implementation &impl : subs[sub].impls)
    for (const std::string &use : impl.uses)
      if (!llvm::is_contained(used, use))
        used.push_back(use);
  // Declaration order, so that projections enumerate deterministically.
  llvm::sort(used, [&](const std::string &a, const std::string &b) {
    return findShared(a) < findShared(b);
  });
  return used;
}

std::string SearchSpace::groupName(size_t sub, llvm::StringRef param) const {
  if (subs.size() == 1)
    return param.str();
  return subs[sub].name + "_" + param.str();
}

static bool isIdentifier(llvm::StringRef text) {
  return !text.empty() && llvm::all_of(text, [](char c) {
    return llvm::isAlnum(c) || c == '_';
  });
}

LogicalResult SearchSpace::verify(std::string &error) const {
  auto fail = [&](const std::string &message) {
    error = "search space '" + name + "': " + message;
    return failure();
  };
  if (!isIdentifier(name))
    return fail("the space name must be an identifier");
  if (subs.empty())
    return fail("no sub-space");
  std::set<std::string> groupNames;
  for (const Parameter &var : shared) {
    if (!isIdentifier(var.name))
      return fail("shared variable name '" + var.name +
                  "' is not an identifier");
    if (var.values.empty())
      return fail("shared variable '" + var.name + "' has no values");
    if (!groupNames.insert(var.name).second)
      return fail("shared variable '" + var.name + "' declared twice");
  }
  std::set<std::string> subNames;
  std::map<std::string, size_t> paramOwner;
  for (auto [s, sub] : llvm::enumerate(subs)) {
    if (!isIdentifier(sub.name) || !subNames.insert(sub.name).second)
      return fail("sub-space name '" + sub.name +
                  "' is not an identifier or is used twice");
    if (sub.impls.empty())
      return fail("sub-space '" + sub.name + "' has no implementation");
    if (subs.size() > 1 && sub.impls.size() > 1 &&
        !groupNames.insert(groupName(s, "impl")).second)
      return fail("name '" + groupName(s, "impl") + "' used twice");
    std::set<std::string> implNames;
    for (const Implementation &impl : sub.impls) {
      if (!isIdentifier(impl.name) || !implNames.insert(impl.name).second)
        return fail("implementation name '" + impl.name + "' of '" + sub.name +
                    "' is not an identifier or is used twice");
      std::set<std::string> viewNames;
      for (const std::string &use : impl.uses) {
        if (findShared(use) < 0)
          return fail("implementation '" + impl.name +
                      "' references undeclared shared variable '" + use + "'");
        if (!viewNames.insert(use).second)
          return fail("implementation '" + impl.name + "' references '" + use +
                      "' twice");
      }
      for (const Parameter &param : impl.params) {
        if (!isIdentifier(param.name))
          return fail("parameter name '" + param.name +
                      "' is not an identifier");
        if (param.values.empty())
          return fail("parameter '" + param.name + "' of '" + impl.name +
                      "' has no values");
        if (!viewNames.insert(param.name).second)
          return fail("parameter '" + param.name + "' of '" + impl.name +
                      "' clashes with another parameter or a shared variable");
        // The same parameter name under several implementations of one
        // sub-space is one group-form name; only a clash with another
        // sub-space or a shared variable matters.
        std::string groupParam = groupName(s, param.name);
        auto [owner, inserted] = paramOwner.emplace(groupParam, s);
        if (subs.size() > 1 &&
            (findShared(groupParam) >= 0 || (!inserted && owner->second != s)))
          return fail("name '" + groupParam + "' used twice");
        groupNames.insert(groupParam);
      }
      for (const Constraint &constraint : impl.constraints) {
        if (!constraint.holds)
          return fail("constraint '" + constraint.name + "' has no predicate");
        for (const std::string &var : constraint.vars)
          if (!viewNames.count(var))
            return fail("constraint '" + constraint.name + "' of '" +
                        impl.name + "' reads '" + var +
                        "', which is neither a parameter nor a referenced "
                        "shared variable");
      }
    }
  }
  for (const Constraint &constraint : constraints) {
    if (!constraint.holds)
      return fail("constraint '" + constraint.name + "' has no predicate");
    for (const std::string &var : constraint.vars)
      if (!groupNames.count(var))
        return fail("constraint '" + constraint.name + "' reads '" + var +
                    "', which is no variable of the space");
  }
  return success();
}

void SearchSpace::buildGenes() const {
  if (genesValid)
    return;
  geneCache.clear();
  subStart.clear();
  implStart.clear();
  for (const Parameter &var : shared)
    geneCache.push_back(Gene{var.values.size()});
  for (const SubSpace &sub : subs) {
    subStart.push_back(geneCache.size());
    geneCache.push_back(Gene{sub.impls.size()});
    implStart.emplace_back();
    for (const Implementation &impl : sub.impls) {
      implStart.back().push_back(geneCache.size());
      for (const Parameter &param : impl.params)
        geneCache.push_back(Gene{param.values.size()});
    }
  }
  genesValid = true;
}

const std::vector<SearchSpace::Gene> &SearchSpace::genes() const {
  buildGenes();
  return geneCache;
}

TileConfig SearchSpace::decode(const std::vector<size_t> &genome,
                               std::vector<TileConfig> *subViews) const {
  buildGenes();
  TileConfig group;
  group.impl = name;
  std::vector<TileConfig> views(subs.size());
  for (auto [s, sub] : llvm::enumerate(subs)) {
    size_t i = genome[subStart[s]];
    const Implementation &impl = sub.impls[i];
    TileConfig &view = views[s];
    view.impl = impl.name;
    if (subs.size() > 1 && sub.impls.size() > 1)
      group.params[groupName(s, "impl")] = static_cast<int64_t>(i);
    for (const std::string &use : impl.uses) {
      int k = findShared(use);
      int64_t value = shared[k].values[genome[k]];
      view.params[use] = value;
      group.params[use] = value;
    }
    for (auto [j, param] : llvm::enumerate(impl.params)) {
      int64_t value = param.values[genome[implStart[s][i] + j]];
      view.params[param.name] = value;
      group.params[groupName(s, param.name)] = value;
    }
  }
  if (subs.size() == 1)
    group = views.front();
  if (subViews)
    *subViews = std::move(views);
  return group;
}

static bool allBound(const Constraint &constraint, const TileConfig &config) {
  return llvm::all_of(constraint.vars,
                      [&](const std::string &var) { return config.has(var); });
}

bool SearchSpace::satisfies(const std::vector<size_t> &genome) const {
  std::vector<TileConfig> views;
  TileConfig group = decode(genome, &views);
  for (auto [s, sub] : llvm::enumerate(subs)) {
    const Implementation &impl = sub.impls[genome[subStart[s]]];
    for (const Constraint &constraint : impl.constraints)
      if (allBound(constraint, views[s]) && !constraint.holds(views[s]))
        return false;
  }
  for (const Constraint &constraint : constraints)
    if (allBound(constraint, group) && !constraint.holds(group))
      return false;
  return true;
}

FailureOr<TileConfig> SearchSpace::project(const TileConfig &point, size_t sub,
                                           std::string &error) const {
  auto fail = [&](const std::string &message) {
    error = "config '" + point.str() + "' is not in space '" + name +
            "': " + message;
    return failure();
  };
  if (sub >= subs.size())
    return fail("no sub-space " + std::to_string(sub));
  const SubSpace &space = subs[sub];
  const Implementation *impl = nullptr;
  if (subs.size() == 1) {
    for (const Implementation &candidate : space.impls)
      if (candidate.name == point.impl)
        impl = &candidate;
    if (!impl)
      return fail("unknown implementation '" + point.impl + "'");
  } else {
    if (point.impl != name)
      return fail("expected implementation '" + name + "'");
    int64_t index = 0;
    if (space.impls.size() > 1) {
      std::string implName = groupName(sub, "impl");
      if (!point.has(implName))
        return fail("missing '" + implName + "'");
      index = point.get(implName);
    }
    if (index < 0 || index >= static_cast<int64_t>(space.impls.size()))
      return fail("implementation index out of range");
    impl = &space.impls[index];
  }
  TileConfig view;
  view.impl = impl->name;
  auto take = [&](const std::string &groupVar, const std::string &viewVar,
                  const std::vector<int64_t> &values) -> LogicalResult {
    if (!point.has(groupVar))
      return fail("missing '" + groupVar + "'");
    int64_t value = point.get(groupVar);
    if (!llvm::is_contained(values, value))
      return fail("'" + groupVar + "' = " + std::to_string(value) +
                  " is not a candidate value");
    view.params[viewVar] = value;
    return success();
  };
  for (const std::string &use : impl->uses)
    if (failed(take(use, use, shared[findShared(use)].values)))
      return failure();
  for (const Parameter &param : impl->params)
    if (failed(take(groupName(sub, param.name), param.name, param.values)))
      return failure();
  return view;
}

FailureOr<std::vector<size_t>> SearchSpace::encode(const TileConfig &point,
                                                   std::string &error) const {
  buildGenes();
  std::vector<size_t> genome(geneCache.size(), 0);
  std::vector<TileConfig> views;
  for (size_t s = 0; s < subs.size(); ++s) {
    FailureOr<TileConfig> view = project(point, s, error);
    if (failed(view))
      return failure();
    const SubSpace &sub = subs[s];
    size_t i = 0;
    while (sub.impls[i].name != view->impl)
      ++i;
    genome[subStart[s]] = i;
    const Implementation &impl = sub.impls[i];
    for (const std::string &use : impl.uses) {
      int k = findShared(use);
      genome[k] = llvm::find(shared[k].values, view->get(use)) -
                  shared[k].values.begin();
    }
    for (auto [j, param] : llvm::enumerate(impl.params))
      genome[implStart[s][i] + j] =
          llvm::find(param.values, view->get(param.name)) -
          param.values.begin();
  }
  // Nothing but the space's variables.
  if (!(decode(genome) == point)) {
    error = "config '" + point.str() + "' is not in space '" + name +
            "': it has parameters the space does not define";
    return failure();
  }
  return genome;
}

//===----------------------------------------------------------------------===//
// Enumeration with early constraint checks.
//===----------------------------------------------------------------------===//

namespace mlir {
namespace fuse {
class SpaceEnumerator {
public:
  using Visit =
      std::function<bool(const TileConfig &, const std::vector<size_t> &)>;
  SpaceEnumerator(const SearchSpace &space, const Visit &visit)
      : space(space), visit(visit), genome(space.genes().size(), 0),
        bound(space.shared.size(), false) {}

  uint64_t run() {
    TileConfig group;
    group.impl = space.name;
    visitSub(0, group);
    return pruned;
  }

  /// Points in sub-spaces `s..` given the bound shared variables.
  uint64_t sizeFrom(size_t s, const std::vector<bool> &boundNow) const {
    if (s == space.subs.size())
      return 1;
    uint64_t total = 0;
    for (const Implementation &impl : space.subs[s].impls) {
      std::vector<bool> next = boundNow;
      uint64_t points = 1;
      for (const std::string &use : impl.uses) {
        int k = space.findShared(use);
        if (!next[k]) {
          points = saturatingMul(points, space.shared[k].values.size());
          next[k] = true;
        }
      }
      for (const Parameter &param : impl.params)
        points = saturatingMul(points, param.values.size());
      total =
          saturatingAdd(total, saturatingMul(points, sizeFrom(s + 1, next)));
    }
    return total;
  }

private:
  struct Slot {
    int sharedIndex; // >= 0: a shared variable
    size_t param;    // otherwise: the implementation's parameter
  };

  /// Whether the constraints that read `var` (and are now fully bound)
  /// hold; an empty `var` checks the fully bound ones with no trigger.
  static bool check(const std::vector<Constraint> &list,
                    const TileConfig &config, const std::string *var) {
    for (const Constraint &constraint : list) {
      if (var && !llvm::is_contained(constraint.vars, *var))
        continue;
      if (!allBound(constraint, config))
        continue;
      if (!constraint.holds(config))
        return false;
    }
    return true;
  }

  void visitSub(size_t s, const TileConfig &group) {
    if (stop)
      return;
    if (s == space.subs.size()) {
      // Group constraints without variables apply to complete points.
      for (const Constraint &constraint : space.constraints)
        if (constraint.vars.empty() && !constraint.holds(group)) {
          ++pruned;
          return;
        }
      TileConfig point = space.subs.size() == 1 ? views.front() : group;
      if (!visit(point, genome))
        stop = true;
      return;
    }
    views.resize(space.subs.size());
    const SubSpace &sub = space.subs[s];
    for (auto [i, impl] : llvm::enumerate(sub.impls)) {
      if (stop)
        return;
      genome[space.subStart[s]] = i;
      TileConfig view;
      view.impl = impl.name;
      TileConfig nextGroup = group;
      if (space.subs.size() == 1)
        nextGroup.impl = impl.name;
      std::vector<Slot> slots;
      std::vector<bool> boundAfter = bound;
      for (const std::string &use : impl.uses) {
        int k = space.findShared(use);
        if (bound[k])
          view.params[use] = group.get(use);
        else {
          slots.push_back(Slot{k, 0});
          boundAfter[k] = true;
        }
      }
      for (size_t j = 0; j < impl.params.size(); ++j)
        slots.push_back(Slot{-1, j});
      uint64_t subtree = sizeFrom(s + 1, boundAfter);
      for (const Slot &slot : slots)
        subtree = saturatingMul(
            subtree, slot.sharedIndex >= 0
                         ? space.shared[slot.sharedIndex].values.size()
                         : impl.params[slot.param].values.size());
      bool ok = check(impl.constraints, view, nullptr);
      if (ok && space.subs.size() > 1 && sub.impls.size() > 1) {
        std::string implVar = space.groupName(s, "impl");
        nextGroup.params[implVar] = static_cast<int64_t>(i);
        ok = check(space.constraints, nextGroup, &implVar);
      }
      if (!ok) {
        pruned = saturatingAdd(pruned, subtree);
        continue;
      }
      visitSlots(s, impl, slots, 0, nextGroup, view, subtree);
    }
  }

  void visitSlots(size_t s, const Implementation &impl,
                  const std::vector<Slot> &slots, size_t k,
                  const TileConfig &group, const TileConfig &view,
                  uint64_t subtree) {
    if (stop)
      return;
    if (k == slots.size()) {
      views[s] = view;
      visitSub(s + 1, group);
      return;
    }
    const Slot &slot = slots[k];
    const Parameter &param = slot.sharedIndex >= 0
                                 ? space.shared[slot.sharedIndex]
                                 : impl.params[slot.param];
    size_t gene =
        slot.sharedIndex >= 0
            ? static_cast<size_t>(slot.sharedIndex)
            : space.implStart[s][genome[space.subStart[s]]] + slot.param;
    std::string groupVar =
        slot.sharedIndex >= 0 ? param.name : space.groupName(s, param.name);
    uint64_t below = subtree / param.values.size();
    for (auto [v, value] : llvm::enumerate(param.values)) {
      if (stop)
        return;
      genome[gene] = v;
      if (slot.sharedIndex >= 0)
        bound[slot.sharedIndex] = true;
      TileConfig nextView = view;
      TileConfig nextGroup = group;
      nextView.params[param.name] = value;
      nextGroup.params[groupVar] = value;
      bool ok = check(impl.constraints, nextView, &param.name) &&
                check(space.constraints, nextGroup, &groupVar);
      if (!ok)
        pruned = saturatingAdd(pruned, below);
      else
        visitSlots(s, impl, slots, k + 1, nextGroup, nextView, below);
      if (slot.sharedIndex >= 0)
        bound[slot.sharedIndex] = false;
    }
  }

  const SearchSpace &space;
  Visit visit;
  std::vector<size_t> genome;
  std::vector<bool> bound;
  std::vector<TileConfig> views;
  uint64_t pruned = 0;
  bool stop = false;
};
} // namespace fuse
} // namespace mlir

uint64_t SearchSpace::size() const {
  buildGenes();
  SpaceEnumerator enumerator(*this, nullptr);
  return enumerator.sizeFrom(0, std::vector<bool>(shared.size(), false));
}

uint64_t SearchSpace::enumerate(
    const std::function<bool(const TileConfig &, const std::vector<size_t> &)>
        &visit) const {
  buildGenes();
  SpaceEnumerator enumerator(*this, visit);
  return enumerator.run();
}
