//===- FormGroups.cpp - DNNFusion fusion groups ---------------------------===//
//
// Plans fusion groups over the ops of a function (seeds, successor and
// predecessor propagation, mapping-type legality, profitability, cycle
// checks) and materializes each group as a fuse.group region. The pass
// description in Passes.td lists every stop condition.
//
// The plan works on a graph whose nodes are groups (initially one per op).
// A merge of a producer node into a consumer node would create a cycle when
// some other path leads from the producer to the consumer. The planner keeps
// a topological order of the node graph (`ord`), so that this search only
// visits nodes ordered between the two; after a merge it reorders just the
// nodes it visited (as in Pearce and Kelly's dynamic topological sort),
// which keeps planning close to linear on large models.
//
//===----------------------------------------------------------------------===//

#include "FusionPlan.h"

#include "Fuse/CostModel/TargetSpec.h"
#include "Fuse/Transforms/Passes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

#include <numeric>

namespace mlir {
namespace fuse {
#define GEN_PASS_DEF_FUSEFORMGROUPS
#include "Fuse/Transforms/Passes.h.inc"
} // namespace fuse
} // namespace mlir

using namespace mlir;
using namespace mlir::fuse;

namespace {

/// One node of the plan: a group of ops (a single op at first).
struct Node {
  SmallVector<int> members; // op indices, in program order
  int64_t ord = 0;          // position in a topological order of nodes
  MappingType mapping = MappingType::OneToOne;
  bool fusible = true; // false for existing groups and foreign ops
};

class GroupPlanner {
public:
  GroupPlanner(Block &block, int64_t maxOps, int64_t maxInputs,
               FusionBudget budget)
      : maxOps(maxOps), maxInputs(maxInputs), budget(budget) {
    for (Operation &op : block.without_terminator()) {
      if (op.hasTrait<OpTrait::ConstantLike>())
        continue;
      int index = ops.size();
      opIndex[&op] = index;
      ops.push_back(&op);
      Node node;
      node.members.push_back(index);
      node.ord = index;
      node.mapping = fusionMappingType(&op);
      node.fusible = op.getDialect() &&
                     isa<FuseDialect>(op.getDialect()) && !isa<GroupOp>(op) &&
                     isa<FusionKindInterface>(op) && op.getNumRegions() == 0;
      nodes.push_back(node);
    }
    parent.resize(ops.size());
    std::iota(parent.begin(), parent.end(), 0);
  }

  void plan() {
    // Seeds: OneToOne ops, smallest intermediate result first.
    SmallVector<int> seeds;
    for (int i = 0, e = ops.size(); i < e; ++i)
      if (nodes[i].fusible && nodes[i].mapping == MappingType::OneToOne)
        seeds.push_back(i);
    llvm::sort(seeds, [&](int a, int b) {
      int64_t bytesA = sumTensorBytes(ops[a]->getResultTypes());
      int64_t bytesB = sumTensorBytes(ops[b]->getResultTypes());
      return bytesA != bytesB ? bytesA < bytesB : a < b;
    });
    for (int seed : seeds) {
      if (nodes[find(seed)].members.size() != 1)
        continue; // already fused by an earlier seed
      grow(find(seed));
    }
  }

  /// Node roots in topological order.
  SmallVector<int> orderedRoots() {
    SmallVector<int> roots;
    for (int i = 0, e = ops.size(); i < e; ++i)
      if (find(i) == i)
        roots.push_back(i);
    llvm::sort(roots, [&](int a, int b) { return nodes[a].ord < nodes[b].ord; });
    return roots;
  }

  ArrayRef<int> members(int root) const { return nodes[root].members; }
  Operation *op(int index) const { return ops[index]; }
  bool fusible(int root) const { return nodes[root].fusible; }

private:
  int find(int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /// The node of the top-level op `op` (-1 for constants, the terminator
  /// and anything outside the plan).
  int nodeOf(Operation *op) {
    auto it = opIndex.find(op);
    return it == opIndex.end() ? -1 : find(it->second);
  }

  /// Distinct successor (or predecessor) nodes of `root`.
  SmallVector<int> neighbors(int root, bool successors) {
    SmallVector<int> result;
    llvm::SmallDenseSet<int, 16> seen;
    for (int member : nodes[root].members) {
      Operation *memberOp = ops[member];
      auto visit = [&](Operation *other) {
        if (!other)
          return;
        other = memberOp->getBlock()->findAncestorOpInBlock(*other);
        int node = other ? nodeOf(other) : -1;
        if (node >= 0 && node != root && seen.insert(node).second)
          result.push_back(node);
      };
      if (successors) {
        for (Value value : memberOp->getResults())
          for (Operation *user : value.getUsers())
            visit(user);
      } else {
        for (Value value : memberOp->getOperands())
          visit(value.getDefiningOp());
      }
    }
    llvm::sort(result, [&](int a, int b) { return nodes[a].ord < nodes[b].ord; });
    return result;
  }

  void grow(int group) {
    bool changed = true;
    while (changed) {
      changed = false;
      // Along successors, then along predecessors.
      for (bool successors : {true, false}) {
        bool merged = true;
        while (merged) {
          merged = false;
          for (int other : neighbors(group, successors)) {
            int producer = successors ? group : other;
            int consumer = successors ? other : group;
            if (std::optional<int> root = tryMerge(producer, consumer)) {
              group = *root;
              merged = changed = true;
              break;
            }
          }
        }
      }
    }
  }

  SmallVector<Operation *> opsOf(int root) {
    SmallVector<Operation *> result;
    for (int member : nodes[root].members)
      result.push_back(ops[member]);
    return result;
  }

  /// Distinct non-constant values the union of `a` and `b` reads from
  /// outside.
  int64_t countInputs(int a, int b) {
    llvm::SmallDenseSet<Value, 32> inputs;
    for (int root : {a, b})
      for (int member : nodes[root].members)
        for (Value operand : ops[member]->getOperands()) {
          Operation *def = operand.getDefiningOp();
          int node = def ? nodeOf(def) : -1;
          if (node == a || node == b)
            continue;
          if (def && def->hasTrait<OpTrait::ConstantLike>())
            continue;
          inputs.insert(operand);
        }
    return inputs.size();
  }

  /// Merges producer node `up` into consumer node `down` when legal,
  /// acyclic and profitable; returns the merged root.
  std::optional<int> tryMerge(int up, int down) {
    Node &u = nodes[up], &d = nodes[down];
    if (!u.fusible || !d.fusible)
      return std::nullopt;
    if (!isLegalFusion(u.mapping, d.mapping))
      return std::nullopt;
    if (static_cast<int64_t>(u.members.size() + d.members.size()) > maxOps)
      return std::nullopt;
    if (countInputs(up, down) > maxInputs)
      return std::nullopt;

    if (!isProfitableFusion(opsOf(up), opsOf(down), budget))
      return std::nullopt;

    // Cycle check: nodes reachable from `up` that are ordered before `down`
    // (other than `down` itself) must not reach `down`.
    SmallVector<int> forward; // descendants of up ordered before down
    llvm::SmallDenseSet<int, 32> forwardSet;
    SmallVector<int> stack{up};
    while (!stack.empty()) {
      int node = stack.pop_back_val();
      for (int next : neighbors(node, /*successors=*/true)) {
        if (next == down) {
          if (node != up)
            return std::nullopt; // a path up -> ... -> down outside both
          continue;
        }
        if (nodes[next].ord < nodes[down].ord && forwardSet.insert(next).second) {
          forward.push_back(next);
          stack.push_back(next);
        }
      }
    }
    // Ancestors of `down` ordered after `up`.
    SmallVector<int> backward;
    llvm::SmallDenseSet<int, 32> backwardSet;
    stack.push_back(down);
    while (!stack.empty()) {
      int node = stack.pop_back_val();
      for (int prev : neighbors(node, /*successors=*/false)) {
        if (prev == up || nodes[prev].ord <= nodes[up].ord)
          continue;
        if (backwardSet.insert(prev).second) {
          backward.push_back(prev);
          stack.push_back(prev);
        }
      }
    }

    // Reorder: ancestors of down, then the merged node, then descendants of
    // up, on the positions they held.
    SmallVector<int64_t> positions;
    auto byOrd = [&](int a, int b) { return nodes[a].ord < nodes[b].ord; };
    llvm::sort(backward, byOrd);
    llvm::sort(forward, byOrd);
    for (int node : backward)
      positions.push_back(nodes[node].ord);
    for (int node : forward)
      positions.push_back(nodes[node].ord);
    positions.push_back(u.ord);
    positions.push_back(d.ord);
    llvm::sort(positions);
    size_t next = 0;
    for (int node : backward)
      nodes[node].ord = positions[next++];
    int64_t mergedOrd = positions[next++];
    for (int node : forward)
      nodes[node].ord = positions[next++];

    // Union.
    int root = up, child = down;
    if (nodes[root].members.size() < nodes[child].members.size())
      std::swap(root, child);
    Node &r = nodes[root], &c = nodes[child];
    SmallVector<int> merged;
    std::merge(r.members.begin(), r.members.end(), c.members.begin(),
               c.members.end(), std::back_inserter(merged));
    r.members = std::move(merged);
    c.members.clear();
    r.mapping = combineMappingTypes(r.mapping, c.mapping);
    r.ord = mergedOrd;
    parent[child] = root;
    return root;
  }

  int64_t maxOps, maxInputs;
  FusionBudget budget;
  SmallVector<Operation *> ops;
  DenseMap<Operation *, int> opIndex;
  SmallVector<Node> nodes;
  SmallVector<int> parent;
};

/// True for constants cloned into each group rather than passed in.
bool isClonedConstant(Operation *def, int64_t maxElements) {
  if (!def || !def->hasTrait<OpTrait::ConstantLike>() ||
      def->getNumResults() != 1)
    return false;
  DenseElementsAttr dense;
  if (matchPattern(def->getResult(0), m_Constant(&dense)) && dense.isSplat())
    return true;
  return numElements(def->getResult(0).getType()) <= maxElements;
}

/// Wraps `members` (top-level ops in program order) in one fuse.group
/// before `insertBefore`.
void materializeGroup(ArrayRef<Operation *> members, Operation *insertBefore,
                      int64_t cloneConstantElements) {
  llvm::SmallPtrSet<Operation *, 32> memberSet(members.begin(), members.end());
  llvm::SetVector<Value> inputs, constants;
  SmallVector<Value> outputs;
  SmallVector<Location> locations;
  for (Operation *op : members) {
    locations.push_back(op->getLoc());
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def && memberSet.contains(def))
        continue;
      if (isClonedConstant(def, cloneConstantElements))
        constants.insert(operand);
      else
        inputs.insert(operand);
    }
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            Operation *top =
                op->getBlock()->findAncestorOpInBlock(*user);
            return !top || !memberSet.contains(top);
          }))
        outputs.push_back(result);
  }

  OpBuilder builder(insertBefore);
  Location loc = builder.getFusedLoc(locations);
  SmallVector<Type> resultTypes;
  for (Value value : outputs)
    resultTypes.push_back(value.getType());
  auto group = GroupOp::create(builder, loc, resultTypes, inputs.getArrayRef());
  Block *body = new Block();
  group.getBody().push_back(body);
  IRMapping mapping;
  for (Value input : inputs)
    mapping.map(input, body->addArgument(input.getType(), input.getLoc()));

  builder.setInsertionPointToStart(body);
  for (Value value : constants)
    mapping.map(value, builder.clone(*value.getDefiningOp())->getResult(0));
  for (Operation *op : members) {
    op->moveBefore(body, body->end());
    for (OpOperand &operand : op->getOpOperands())
      if (Value replacement = mapping.lookupOrNull(operand.get()))
        operand.set(replacement);
  }
  builder.setInsertionPointToEnd(body);
  YieldOp::create(builder, loc, outputs);
  for (auto [value, result] : llvm::zip(outputs, group.getResults()))
    value.replaceUsesWithIf(result, [&](OpOperand &use) {
      return !group->isProperAncestor(use.getOwner());
    });
}

struct FormGroupsPass
    : public mlir::fuse::impl::FuseFormGroupsBase<FormGroupsPass> {
  using FuseFormGroupsBase::FuseFormGroupsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (!func.getBody().hasOneBlock()) {
      func.emitOpError("fuse-form-groups needs a single-block function body");
      return signalPassFailure();
    }
    if (maxOps < 1 || maxInputs < 1) {
      func.emitError("fuse-form-groups: max-ops and max-inputs must be at "
                     "least 1");
      return signalPassFailure();
    }
    Block &block = func.getBody().front();
    FusionBudget budget;
    if (!target.empty()) {
      budget.target = lookupTarget(target);
      if (!budget.target) {
        func.emitError() << "fuse-form-groups: unknown target '" << target
                         << "'";
        return signalPassFailure();
      }
      budget.dramBytesPerSecond = budget.target->dramBandwidth;
      budget.fmaFlopsPerSecond = budget.target->peakFp32Flops;
    }
    GroupPlanner planner(block, maxOps, maxInputs, budget);
    planner.plan();

    Operation *terminator = block.getTerminator();
    for (int root : planner.orderedRoots()) {
      SmallVector<Operation *> members;
      for (int member : planner.members(root))
        members.push_back(planner.op(member));
      if (!planner.fusible(root)) {
        for (Operation *op : members)
          op->moveBefore(terminator);
        continue;
      }
      materializeGroup(members, terminator, cloneConstantElements);
    }
    // Constants now cloned into every group that reads them.
    for (Operation &op : llvm::make_early_inc_range(block))
      if (op.hasTrait<OpTrait::ConstantLike>() && op.use_empty())
        op.erase();
  }
};

} // namespace
