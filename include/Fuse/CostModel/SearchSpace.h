//===- SearchSpace.h - Nested conditional tuning search spaces --*- C++ -*-===//
//
// A search space of tile configurations for one fused group:
//
//   space      := shared variables + sub-spaces (one per op, or one for the
//                 whole group) + group constraints
//   sub-space  := a choice among implementations
//   impl       := its own integer parameters (each a list of candidate
//                 values) + the shared variables it references + its
//                 constraints
//
// Parameters exist only under the implementation that declares them. A
// shared variable (e.g. the row block BM shared by q·kᵀ, softmax and ·v in
// attention) is one variable: it is bound once, the first time a chosen
// implementation references it, and every later sub-space sees that value.
//
// A point of the space is written as one TileConfig:
//  - a space with one sub-space: impl = the chosen implementation, params =
//    the shared variables it references and its own parameters;
//  - a space with several sub-spaces: impl = the space's name, params = the
//    shared variables referenced by some chosen implementation (by name),
//    each sub-space's parameters as `SUB_PARAM`, and `SUB_impl` = the index
//    of its chosen implementation when it has more than one.
// `project` gives one sub-space's view (its implementation, its parameters
// and the shared variables it references, all by their own names), which is
// what per-op cost functions take.
//
// Constraints are predicates over a partial configuration (written like a
// point: in the sub-space's view for implementation constraints, in the
// group form for group constraints) and are checked as soon as every
// variable they name is bound, so invalid sub-trees are pruned before any
// point in them is costed.
//
//===----------------------------------------------------------------------===//

#ifndef FUSE_COSTMODEL_SEARCHSPACE_H
#define FUSE_COSTMODEL_SEARCHSPACE_H

#include "Fuse/CostModel/TileConfig.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace fuse {

/// An integer parameter and its candidate values (in a meaningful order:
/// mutation moves to neighbouring values).
struct Parameter {
  std::string name;
  std::vector<int64_t> values;
};

/// A predicate over a partial configuration. `vars` names the variables it
/// reads; it is evaluated as soon as all of them are bound (with an empty
/// list, as soon as its scope is entered). Returns true when the point may
/// be valid.
struct Constraint {
  std::string name;
  std::vector<std::string> vars;
  std::function<bool(const TileConfig &)> holds;
};

/// One implementation of a sub-space.
struct Implementation {
  std::string name;
  /// Parameters that exist only under this implementation.
  std::vector<Parameter> params;
  /// Names of the space's shared variables this implementation references.
  std::vector<std::string> uses;
  /// Checked in the sub-space view (own parameter names, shared names).
  std::vector<Constraint> constraints;
};

/// One op of the group (or the whole group): a choice of implementation.
struct SubSpace {
  std::string name;
  std::vector<Implementation> impls;
};

/// Saturating arithmetic for space sizes.
uint64_t saturatingMul(uint64_t a, uint64_t b);
uint64_t saturatingAdd(uint64_t a, uint64_t b);

class SearchSpace {
public:
  explicit SearchSpace(std::string name = "group") : name(std::move(name)) {}

  /// The implementation name of multi-sub-space points.
  const std::string &getName() const { return name; }

  void addShared(Parameter var) { shared.push_back(std::move(var)); }
  /// Adds a sub-space; the reference stays valid until the next call.
  SubSpace &addSubSpace(std::string subName);
  /// A constraint over group-form names (shared names, `SUB_PARAM`,
  /// `SUB_impl`).
  void addConstraint(Constraint constraint) {
    constraints.push_back(std::move(constraint));
  }

  const std::vector<Parameter> &getShared() const { return shared; }
  const std::vector<SubSpace> &getSubSpaces() const { return subs; }
  /// Sub-space `i`, for editing.
  SubSpace &getSubSpace(size_t i) {
    genesValid = false;
    return subs[i];
  }
  const std::vector<Constraint> &getConstraints() const { return constraints; }

  /// Checks names (identifiers, no duplicates, references to declared
  /// shared variables), non-empty value lists and implementation lists.
  LogicalResult verify(std::string &error) const;

  /// The number of distinct points, ignoring constraints.
  uint64_t size() const;

  /// The index of the shared variable `name`, or -1.
  int findShared(llvm::StringRef varName) const;
  /// Names of the shared variables referenced by some implementation of
  /// sub-space `sub`.
  std::vector<std::string> sharedUsedBy(size_t sub) const;

  //===------------------------------------------------------------------===//
  // Points as index vectors ("genomes").
  //===------------------------------------------------------------------===//
  // A genome has a fixed layout: one gene per shared variable, then for
  // each sub-space one implementation gene followed by one gene per
  // parameter of each of its implementations. Genes of implementations not
  // chosen are inactive: they do not change the decoded point.

  struct Gene {
    /// Number of candidate values (or implementations).
    size_t arity;
  };
  const std::vector<Gene> &genes() const;

  /// Decodes a genome; `subView` (when non-null) receives the per-sub-space
  /// views.
  TileConfig decode(const std::vector<size_t> &genome,
                    std::vector<TileConfig> *subViews = nullptr) const;
  /// The genome of a point of this space (inactive genes 0); fails when
  /// the point is not in the space.
  FailureOr<std::vector<size_t>> encode(const TileConfig &point,
                                        std::string &error) const;
  /// Whether a complete decoded genome satisfies every constraint.
  bool satisfies(const std::vector<size_t> &genome) const;

  /// Sub-space `sub`'s view of a group-form point: its implementation, its
  /// parameters and the shared variables it references, by their own
  /// names. Fails when the point does not belong to this space.
  FailureOr<TileConfig> project(const TileConfig &point, size_t sub,
                                std::string &error) const;

  /// Enumerates every valid point depth-first, binding variables in genome
  /// order (shared variables lazily, at their first reference) and checking
  /// each constraint as soon as its variables are bound. `visit` returns
  /// false to stop. Returns the number of points pruned by constraints
  /// (points of pruned sub-trees, counted without constraints).
  uint64_t enumerate(
      const std::function<bool(const TileConfig &, const std::vector<size_t> &)>
          &visit) const;

private:
  void buildGenes() const;
  std::string groupName(size_t sub, llvm::StringRef param) const;

  std::string name;
  std::vector<Parameter> shared;
  std::vector<SubSpace> subs;
  std::vector<Constraint> constraints;

  // Genome layout, rebuilt lazily after edits.
  mutable std::vector<Gene> geneCache;
  /// First gene of each sub-space (its implementation gene).
  mutable std::vector<size_t> subStart;
  /// For each sub-space and implementation, the gene of its first param.
  mutable std::vector<std::vector<size_t>> implStart;
  mutable bool genesValid = false;

  friend class SpaceEnumerator;
};

} // namespace fuse
} // namespace mlir

#endif // FUSE_COSTMODEL_SEARCHSPACE_H
