//===- FusionReport.cpp - The fusion report and its picture ---------------===//

#include "Fuse/Transforms/FusionReport.h"

#include "Fuse/CostModel/TileConfigAttr.h"

#include "Fuse/Dialect/Fuse/IR/FuseOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::fuse;

/// The ONNX node names a location carries (NameLocs, also inside fused
/// locations), in order, without repeats.
static void collectNodeNames(Location loc, SmallVectorImpl<std::string> &names,
                             llvm::StringSet<> &seen) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    if (seen.insert(name.getName().getValue()).second)
      names.push_back(name.getName().str());
    return;
  }
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      collectNodeNames(inner, names, seen);
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    collectNodeNames(callSite.getCallee(), names, seen);
}

static bool isKernelOp(Operation &op) {
  return !op.hasTrait<OpTrait::ConstantLike>() &&
         !op.hasTrait<OpTrait::IsTerminator>();
}

int64_t mlir::fuse::countKernelOps(ModuleOp module) {
  int64_t count = 0;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isExternal())
      for (Operation &op : func.getBody().front())
        count += isKernelOp(op);
  return count;
}

static int64_t opBytes(Operation &op) {
  auto cost = dyn_cast<CostInterface>(op);
  return cost ? cost.getBytesRead() + cost.getBytesWritten() : 0;
}

llvm::json::Object mlir::fuse::buildFusionReport(ModuleOp module,
                                                 StringRef model,
                                                 int64_t opsBefore,
                                                 int64_t opsAfterRewrite) {
  llvm::json::Array groups;
  int64_t totalFlops = 0, totalUnfused = 0, totalFused = 0, id = 0;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    for (Operation &top : func.getBody().front()) {
      if (!isKernelOp(top))
        continue;
      auto group = dyn_cast<GroupOp>(top);
      llvm::json::Array ops, nodes, mappings;
      SmallVector<std::string> names;
      llvm::StringSet<> seen;
      int64_t flops = 0, unfused = 0, fused = 0;
      auto addOp = [&](Operation &op) {
        ops.push_back(op.getName().getStringRef().str());
        collectNodeNames(op.getLoc(), names, seen);
        if (auto kind = dyn_cast<FusionKindInterface>(op))
          mappings.push_back(stringifyMappingType(kind.getMappingType()).str());
        else
          mappings.push_back("unknown");
        if (auto cost = dyn_cast<CostInterface>(op))
          flops += cost.getFlops();
        unfused += opBytes(op);
      };
      int64_t inputs = top.getNumOperands(), outputs = top.getNumResults();
      if (group) {
        for (Operation &op : group.getBody().front()) {
          if (op.hasTrait<OpTrait::IsTerminator>())
            continue;
          if (op.hasTrait<OpTrait::ConstantLike>()) {
            // Cloned constants are read by the kernel too.
            fused += sumTensorBytes(op.getResultTypes());
            continue;
          }
          addOp(op);
        }
        fused += opBytes(top);
      } else {
        addOp(top);
        fused = unfused;
      }
      for (std::string &name : names)
        nodes.push_back(name);
      MappingType mapping = MappingType::OneToOne;
      if (auto kind = dyn_cast<FusionKindInterface>(top))
        mapping = kind.getMappingType();
      totalFlops += flops;
      totalUnfused += unfused;
      totalFused += fused;
      groups.push_back(llvm::json::Object{
          {"id", id++},
          {"grouped", static_cast<bool>(group)},
          {"ops", std::move(ops)},
          {"onnx_nodes", std::move(nodes)},
          {"mapping_types", std::move(mappings)},
          {"mapping", stringifyMappingType(mapping).str()},
          {"flops", flops},
          {"bytes_unfused", unfused},
          {"bytes_fused", fused},
          {"arithmetic_intensity",
           fused > 0 ? static_cast<double>(flops) / fused : 0.0},
          {"inputs", inputs},
          {"outputs", outputs},
      });
    }
  }
  int64_t groupCount = 0;
  for (const llvm::json::Value &entry : groups)
    groupCount += entry.getAsObject()->getBoolean("grouped").value_or(false);
  return llvm::json::Object{
      {"model", model.str()},
      {"ops_before", opsBefore},
      {"ops_after_rewrite", opsAfterRewrite},
      {"groups", groupCount},
      {"kernels", static_cast<int64_t>(groups.size())},
      {"flops", totalFlops},
      {"dram_bytes_unfused", totalUnfused},
      {"dram_bytes_fused", totalFused},
      {"group_list", std::move(groups)},
  };
}

void mlir::fuse::addTileConfigsToReport(ModuleOp module,
                                        llvm::json::Object &report) {
  llvm::json::Array *groups = report.getArray("group_list");
  if (!groups)
    return;
  size_t index = 0;
  // fuse-to-linalg names the kernels of the module's groups "group_<N>",
  // N counting every group (split parts too) in program order.
  int64_t groupIndex = 0;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    if (auto tuning = func->getAttrOfType<DictionaryAttr>("fuse.tuning")) {
      llvm::json::Object stats;
      for (NamedAttribute entry : tuning) {
        if (auto integer = dyn_cast<IntegerAttr>(entry.getValue()))
          stats[entry.getName().str()] = integer.getInt();
        else if (auto real = dyn_cast<FloatAttr>(entry.getValue()))
          stats[entry.getName().str()] = real.getValueAsDouble();
      }
      report["tuning"] = std::move(stats);
    }
    for (Operation &top : func.getBody().front()) {
      std::optional<int64_t> group;
      if (isa<GroupOp>(top))
        group = groupIndex++;
      if (!isKernelOp(top) || top.hasAttr(kSplitPartAttrName))
        continue;
      if (index >= groups->size())
        return;
      llvm::json::Object *entry = (*groups)[index++].getAsObject();
      if (group)
        (*entry)["kernel_name"] = "group_" + std::to_string(*group);
      if (auto tile = top.getAttrOfType<TileAttr>("fuse.tile"))
        (*entry)["tile"] = getTileConfig(tile).str();
      // Why a group tuned for a GEMM kernel is computed by the generic one.
      if (auto reason = top.getAttrOfType<StringAttr>("fuse.generic_reason"))
        (*entry)["generic_reason"] = reason.getValue().str();
    }
  }
}

void mlir::fuse::addGpuKernelsToReport(ModuleOp module,
                                       llvm::json::Object &report) {
  auto kernels = module->getAttrOfType<DictionaryAttr>(kGpuKernelsAttrName);
  if (!kernels)
    return;
  report["gpu_kernels"] = static_cast<int64_t>(kernels.size());
  llvm::json::Array *groups = report.getArray("group_list");
  if (!groups)
    return;
  for (llvm::json::Value &value : *groups) {
    llvm::json::Object *entry = value.getAsObject();
    std::optional<StringRef> name = entry->getString("kernel_name");
    if (!name)
      continue;
    // The group's launches: "group_<N>" and, when it has more than one,
    // "group_<N>_<k>".
    SmallVector<std::string> impls;
    std::string reason;
    int64_t launches = 0;
    for (NamedAttribute kernel : kernels) {
      StringRef kernelName = kernel.getName().getValue();
      if (kernelName != *name &&
          !(kernelName.consume_front(*name) && kernelName.consume_front("_") &&
            !kernelName.empty() && llvm::all_of(kernelName, llvm::isDigit)))
        continue;
      ++launches;
      auto info = dyn_cast<DictionaryAttr>(kernel.getValue());
      if (!info)
        continue;
      if (auto impl = info.getAs<StringAttr>("kernel_impl"))
        if (!llvm::is_contained(impls, impl.getValue()))
          impls.push_back(impl.str());
      if (auto why = info.getAs<StringAttr>("generic_reason"))
        if (reason.empty())
          reason = why.str();
    }
    if (!launches)
      continue;
    (*entry)["launches"] = launches;
    if (!impls.empty())
      (*entry)["kernel"] = llvm::join(impls, "+");
    if (!reason.empty() && !entry->getString("generic_reason"))
      (*entry)["generic_reason"] = reason;
  }
}

static std::string joinStrings(const llvm::json::Array *array,
                               StringRef separator) {
  std::string text;
  if (!array)
    return text;
  for (const llvm::json::Value &value : *array) {
    if (!text.empty())
      text += separator;
    if (std::optional<StringRef> s = value.getAsString())
      text += s->str();
  }
  return text;
}

void mlir::fuse::printFusionSummary(const llvm::json::Object &report,
                                    raw_ostream &os) {
  auto integer = [&](StringRef key) {
    return report.getInteger(key).value_or(0);
  };
  int64_t unfused = integer("dram_bytes_unfused"),
          fused = integer("dram_bytes_fused");
  os << "model: " << report.getString("model").value_or("") << "\n";
  os << llvm::formatv("ops before: {0}, after rewriting: {1}, groups "
                      "(kernels): {2}\n",
                      integer("ops_before"), integer("ops_after_rewrite"),
                      integer("groups"));
  os << llvm::formatv("flops: {0}, DRAM bytes unfused: {1}, fused: {2} "
                      "({3:f2}x less)\n",
                      integer("flops"), unfused, fused,
                      fused > 0 ? static_cast<double>(unfused) / fused : 0.0);
  if (const llvm::json::Object *tuning = report.getObject("tuning")) {
    int64_t joint = tuning->getInteger("joint_points").value_or(0);
    int64_t costed = tuning->getInteger("costed_points").value_or(0);
    os << llvm::formatv(
        "tuning: {0} groups ({1} from the database), {2} points in the "
        "joint spaces, {3} costed ({4:f1}x fewer), predicted {5:f1} us\n",
        tuning->getInteger("groups").value_or(0),
        tuning->getInteger("from_database").value_or(0), joint, costed,
        costed > 0 ? static_cast<double>(joint) / costed : 0.0,
        tuning->getNumber("predicted_us").value_or(0.0));
  }
  os << llvm::formatv("{0,4} {1,-11} {2,14} {3,13} {4,13} {5,8}  {6}\n", "id",
                      "mapping", "flops", "bytes unfused", "bytes fused", "AI",
                      "ops (ONNX nodes)");
  if (const llvm::json::Array *groups = report.getArray("group_list"))
    for (const llvm::json::Value &value : *groups) {
      const llvm::json::Object *group = value.getAsObject();
      std::string ops = joinStrings(group->getArray("ops"), " ");
      std::string nodes = joinStrings(group->getArray("onnx_nodes"), ", ");
      os << llvm::formatv(
          "{0,4} {1,-11} {2,14} {3,13} {4,13} {5,8:f2}  {6} ({7})\n",
          group->getInteger("id").value_or(0),
          group->getString("mapping").value_or(""),
          group->getInteger("flops").value_or(0),
          group->getInteger("bytes_unfused").value_or(0),
          group->getInteger("bytes_fused").value_or(0),
          group->getNumber("arithmetic_intensity").value_or(0.0), ops, nodes);
      if (std::optional<StringRef> tile = group->getString("tile"))
        os << "       tile " << *tile << "\n";
      if (std::optional<StringRef> kernel = group->getString("kernel"))
        os << "       kernel " << group->getString("kernel_name").value_or("")
           << ": " << *kernel << "\n";
      if (std::optional<StringRef> reason = group->getString("generic_reason"))
        os << "       generic kernel: " << *reason << "\n";
    }
}

static std::string dotEscape(StringRef text) {
  std::string result;
  for (char c : text) {
    if (c == '"' || c == '\\')
      result += '\\';
    result += c;
  }
  return result;
}

void mlir::fuse::printFusionDot(ModuleOp module, raw_ostream &os) {
  os << "digraph fuse {\n  rankdir=TB;\n  node [shape=box, fontsize=10, "
        "style=\"rounded,filled\", fillcolor=white];\n";
  int64_t nodeId = 0, clusterId = 0;
  DenseMap<Operation *, int64_t> ids;
  // The op that produces each value, looking through group boundaries.
  DenseMap<Value, Operation *> producer;
  DenseMap<Value, std::string> sources; // function arguments
  auto opLabel = [](Operation &op) {
    std::string label = op.getName().getStringRef().str();
    if (label.rfind("fuse.", 0) == 0)
      label = label.substr(5);
    SmallVector<std::string> names;
    llvm::StringSet<> seen;
    collectNodeNames(op.getLoc(), names, seen);
    if (!names.empty())
      label += "\\n" + dotEscape(names.front());
    return label;
  };
  auto colorOf = [](Operation &op) -> StringRef {
    auto kind = dyn_cast<FusionKindInterface>(op);
    if (!kind)
      return "white";
    switch (kind.getMappingType()) {
    case MappingType::OneToOne:
      return "#d9f2d9";
    case MappingType::Reorganize:
    case MappingType::Shuffle:
      return "#fff2cc";
    case MappingType::OneToMany:
      return "#dae8fc";
    case MappingType::ManyToMany:
      return "#f8cecc";
    }
    return "white";
  };
  SmallVector<std::pair<Value, Operation *>> edges; // value -> user op
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    for (auto [i, arg] : llvm::enumerate(func.getArguments())) {
      auto name = func.getArgAttrOfType<StringAttr>(i, "fuse.name");
      std::string id = "in" + std::to_string(nodeId++);
      sources[arg] = id;
      os << "  " << id << " [shape=ellipse, label=\""
         << dotEscape(name ? name.getValue() : "arg" + std::to_string(i))
         << "\"];\n";
    }
    auto addOp = [&](Operation &op, StringRef indent) {
      int64_t id = nodeId++;
      ids[&op] = id;
      os << indent << "op" << id << " [label=\"" << opLabel(op)
         << "\", fillcolor=\"" << colorOf(op) << "\"];\n";
      for (Value result : op.getResults())
        producer[result] = &op;
    };
    for (Operation &top : func.getBody().front()) {
      if (!isKernelOp(top))
        continue;
      auto group = dyn_cast<GroupOp>(top);
      if (!group) {
        addOp(top, "  ");
        for (Value operand : top.getOperands())
          edges.push_back({operand, &top});
        continue;
      }
      Block &body = group.getBody().front();
      os << "  subgraph cluster_" << clusterId << " {\n    label=\"group "
         << clusterId << "\";\n    style=filled; color=\"#888888\"; "
         << "fillcolor=\"#f4f4f4\";\n";
      ++clusterId;
      for (Operation &op : body)
        if (isKernelOp(op))
          addOp(op, "    ");
      os << "  }\n";
      for (Operation &op : body) {
        if (!isKernelOp(op))
          continue;
        for (Value operand : op.getOperands()) {
          auto arg = dyn_cast<BlockArgument>(operand);
          if (arg && arg.getOwner() == &body)
            edges.push_back({group.getInputs()[arg.getArgNumber()], &op});
          else if (!operand.getDefiningOp() ||
                   !operand.getDefiningOp()->hasTrait<OpTrait::ConstantLike>())
            edges.push_back({operand, &op});
        }
      }
      // The group's results are produced by the yielded values' ops.
      auto yield = cast<YieldOp>(body.getTerminator());
      for (auto [result, value] :
           llvm::zip(group.getResults(), yield.getValues()))
        if (Operation *def = value.getDefiningOp())
          producer[result] = def;
    }
    if (func.getBody().front().empty())
      continue;
    Operation *terminator = func.getBody().front().getTerminator();
    for (auto [i, value] : llvm::enumerate(terminator->getOperands())) {
      auto name = func.getResultAttrOfType<StringAttr>(i, "fuse.name");
      std::string id = "out" + std::to_string(nodeId++);
      os << "  " << id << " [shape=ellipse, label=\""
         << dotEscape(name ? name.getValue() : "result" + std::to_string(i))
         << "\"];\n";
      if (Operation *def = producer.lookup(value))
        os << "  op" << ids[def] << " -> " << id << ";\n";
      else if (sources.count(value))
        os << "  " << sources[value] << " -> " << id << ";\n";
    }
  }
  for (auto [value, user] : edges) {
    if (Operation *def = producer.lookup(value))
      os << "  op" << ids[def] << " -> op" << ids[user] << ";\n";
    else if (sources.count(value))
      os << "  " << sources[value] << " -> op" << ids[user] << ";\n";
  }
  os << "}\n";
}
