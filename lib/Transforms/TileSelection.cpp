//===- TileSelection.cpp - Choosing a tile configuration per group --------===//

#include "TileSelection.h"
#include "Fuse/Transforms/TileSignature.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::fuse;

static Parameter param(std::string name, std::vector<int64_t> values) {
  return Parameter{std::move(name), std::move(values)};
}

/// Operand tiles of one pipeline stage must fit the block's shared memory.
static Constraint sharedMemoryFits(const TargetSpec &target,
                                   int64_t elementBytes) {
  int64_t limit = target.smemPerBlock;
  return Constraint{"shared memory",
                    {"BM", "BN", "BK", "stages"},
                    [=](const TileConfig &c) {
                      int64_t bytes = (c.get("BM") + c.get("BN")) *
                                      c.get("BK") * elementBytes *
                                      c.get("stages", 1);
                      return bytes <= limit;
                    }};
}

SearchSpace mlir::fuse::buildSearchSpace(const Workload &workload,
                                         const TargetSpec &target) {
  SearchSpace space(stringifyWorkloadKind(workload.kind).str());
  int64_t elementBytes = workload.elemBytes();
  switch (workload.kind) {
  case WorkloadKind::Gemm: {
    // The block's warps are shared by the main loop and the epilogue.
    // (A depthwise block may be smaller: its planes can be a few outputs.)
    space.addShared(param("warps", workload.depthwise
                                       ? std::vector<int64_t>{2, 4, 8}
                                       : std::vector<int64_t>{4, 8}));
    SubSpace &main = space.addSubSpace("main");
    if (workload.depthwise) {
      // The direct kernel: BM output positions of BN channels per block;
      // its outputs are stored one element per thread.
      // (A block whose window and taps do not fit the static shared
      // memory is rejected by the model.)
      Workload geometry = workload;
      main.impls.push_back(Implementation{
          "depthwise",
          {param("BM", {64, 128, 256, 512}), param("BN", {1, 2, 4, 8, 16})},
          {"warps"},
          {// Every warp of the block has outputs of its tile.
           Constraint{
               "threads", {"BM", "BN", "warps"}, [=](const TileConfig &c) {
                 DepthwiseBlock block =
                     depthwiseBlock(geometry, c.get("BM"), c.get("BN"));
                 return c.get("warps") * 32 <=
                        block.channels * block.th * block.tw;
               }}}});
      SubSpace &epilogue = space.addSubSpace("epilogue");
      epilogue.impls.push_back(
          Implementation{"store", {param("vector", {1})}, {"warps"}, {}});
      break;
    }
    std::vector<int64_t> tiles = {64, 128, 256};
    main.impls.push_back(Implementation{
        "mma_sync",
        {param("BM", tiles), param("BN", tiles), param("BK", {16, 32, 64}),
         param("stages", {2, 3, 4, 5})},
        {"warps"},
        {sharedMemoryFits(target, elementBytes)}});
    if (llvm::StringRef(target.arch) == "sm_90")
      main.impls.push_back(Implementation{
          "wgmma",
          {param("BM", {64, 128, 256}), param("BN", {64, 128, 256}),
           param("BK", {32, 64}), param("stages", {2, 3, 4, 5}),
           // A and B by TMA (1, where the operand allows it) or cp.async.
           param("tma", {1, 0})},
          {"warps"},
          {sharedMemoryFits(target, elementBytes)}});
    main.impls.push_back(Implementation{
        "fma_gemm",
        {param("BM", {32, 64, 128}), param("BN", {32, 64, 128}),
         param("BK", {8, 16, 32}), param("stages", {1})},
        {"warps"},
        {}});
    SubSpace &epilogue = space.addSubSpace("epilogue");
    epilogue.impls.push_back(
        Implementation{"store", {param("vector", {1, 2, 4})}, {"warps"}, {}});
    break;
  }
  case WorkloadKind::Attention: {
    SubSpace &sub = space.addSubSpace("attention");
    sub.impls.push_back(Implementation{
        "flash_attention",
        {param("BQ", {64, 128}), param("BKV", {32, 64, 128}),
         param("warps", {4, 8}), param("stages", {1, 2, 3})},
        {},
        {}});
    break;
  }
  case WorkloadKind::Reduction: {
    SubSpace &sub = space.addSubSpace("reduction");
    sub.impls.push_back(Implementation{
        "row_per_warp",
        {param("warps", {1, 2, 4, 8}), param("vector", {1, 2, 4})},
        {},
        {}});
    sub.impls.push_back(Implementation{
        "row_per_block",
        {param("threads", {64, 128, 256, 512, 1024}),
         param("vector", {1, 2, 4})},
        {},
        {}});
    break;
  }
  case WorkloadKind::Elementwise:
  case WorkloadKind::DataMovement: {
    SubSpace &sub = space.addSubSpace("elementwise");
    sub.impls.push_back(Implementation{
        "elementwise",
        {param("threads", {64, 128, 256, 512, 1024}),
         param("vector", {1, 2, 4, 8})},
        {},
        {}});
    break;
  }
  }
  return space;
}

LogicalResult TileSelector::initialize(func::FuncOp func) {
  target = lookupTarget(targetName);
  if (!target) {
    std::string known;
    for (const TargetSpec &spec : allTargets())
      known += (known.empty() ? "" : ", ") + std::string(spec.name);
    return func.emitError() << "fuse-tile: unknown target '" << targetName
                            << "' (known: " << known << ")";
  }
  if (precisionName == "tf32")
    precision = Precision::TF32;
  else if (precisionName == "fp16")
    precision = Precision::FP16;
  else if (precisionName == "bf16")
    precision = Precision::BF16;
  else if (precisionName != "fp32")
    return func.emitError() << "fuse-tile: unknown precision '"
                            << precisionName
                            << "' (expected fp32, tf32, fp16 or bf16)";
  if (!tuningDbPath.empty()) {
    std::string error;
    auto opened = TuningDatabase::open(tuningDbPath, error);
    if (failed(opened))
      return func.emitError() << "fuse-tile: " << error;
    database = std::move(*opened);
  }
  return success();
}

/// The key of a group in the tuning database: its workload and its ops.
static std::string signatureOf(GroupOp group, const Workload &workload) {
  std::string ops;
  for (Operation &op : group.getBody().front())
    if (!op.hasTrait<OpTrait::IsTerminator>() &&
        !op.hasTrait<OpTrait::ConstantLike>())
      ops += (ops.empty() ? "" : ",") + op.getName().getStringRef().str();
  return workload.str() + " ops=" + ops;
}

FailureOr<Workload> TileSelector::workloadOf(GroupOp group) {
  std::string reason;
  WorkloadOptions workloadOptions;
  workloadOptions.allowTf32 = precision == Precision::TF32;
  FailureOr<Workload> workload =
      workloadForGroup(group, workloadOptions, &reason);
  if (failed(workload)) {
    group.emitOpError("fuse-tile: no cost-model workload: ") << reason;
    return failure();
  }
  // fp16/bf16 run the contractions on tensor cores with fp32 accumulation.
  if (precision &&
      (*precision == Precision::FP16 || *precision == Precision::BF16) &&
      (workload->kind == WorkloadKind::Gemm ||
       workload->kind == WorkloadKind::Attention))
    workload->precision = *precision;
  return workload;
}

FailureOr<TileConfig> TileSelector::select(GroupOp group) {
  std::string reason;
  FailureOr<Workload> workload = workloadOf(group);
  if (failed(workload))
    return failure();
  ++stats.groups;
  if (llvm::all_of(group.getResultTypes(),
                   [](Type type) { return numElements(type) == 0; })) {
    // Nothing to compute (an empty slice or split): no kernel to tune.
    TileConfig empty;
    empty.impl = "empty";
    return empty;
  }
  std::string signature = signatureOf(group, *workload);
  std::string error;
  if (database) {
    FailureOr<std::optional<TuningDatabase::Best>> best =
        database->lookupBest(signature, target->name, error);
    if (failed(best))
      return group.emitOpError("fuse-tile: ") << error, failure();
    if (*best) {
      ++stats.fromDatabase;
      stats.predictedSeconds += (*best)->seconds;
      return (*best)->config;
    }
  }

  SearchSpace space = buildSearchSpace(*workload, *target);
  TuneOptions options;
  options.topK = 5;
  options.seed = 1;
  options.progress = space.size() > 20000;
  FailureOr<TuneResult> result = failure();
  if (workload->kind == WorkloadKind::Gemm) {
    // Main loop and epilogue interact only through the block's warps:
    // tune them separately for each warps value and add the costs.
    Workload mainLoop = *workload;
    mainLoop.epilogueFlops = 0;
    auto subCost = [&](size_t sub,
                       const TileConfig &view) -> std::optional<double> {
      if (sub == 0) {
        TileConfig config = view;
        if (config.impl == "wgmma") {
          config.params["warpgroups"] = config.get("warps") / 4;
          config.params.erase("warps");
        }
        if (config.impl == "fma_gemm")
          config.params.erase("stages");
        FailureOr<CostEstimate> estimate =
            estimateLatency(mainLoop, config, *target);
        if (failed(estimate))
          return std::nullopt;
        return estimate->latency;
      }
      // The epilogue: the group's other ops on the output tile, in
      // registers, then one store of the result, by the block's threads.
      Workload epilogue = Workload::elementwise(
          workload->m * workload->n * workload->batch, 0,
          workload->bytesWritten, workload->epilogueFlops,
          Precision::FP32);
      epilogue.elementBytes = workload->elemBytes();
      TileConfig config;
      config.impl = "elementwise";
      config.params = {{"threads", view.get("warps") * 32},
                       {"vector", view.get("vector")}};
      FailureOr<CostEstimate> estimate =
          estimateLatency(epilogue, config, *target);
      if (failed(estimate))
        return std::nullopt;
      return estimate->latency - estimate->launchOverhead;
    };
    result = tuneAdditive(space, subCost, options, error);
  } else {
    auto cost = [&](const TileConfig &config) -> std::optional<double> {
      FailureOr<CostEstimate> estimate =
          estimateLatency(*workload, config, *target);
      if (failed(estimate))
        return std::nullopt;
      return estimate->latency;
    };
    result = tune(space, cost, options, error);
  }
  if (failed(result))
    return group.emitOpError("fuse-tile: ") << error, failure();

  // A point of the space as the kernel's configuration: the main loop's
  // implementation and parameters, the shared warps (warpgroups for wgmma)
  // and, for GEMMs, the epilogue's vector width.
  auto kernelConfig = [&](const TileConfig &point) -> FailureOr<TileConfig> {
    FailureOr<TileConfig> config = space.project(point, 0, error);
    if (failed(config) || workload->kind != WorkloadKind::Gemm)
      return config;
    FailureOr<TileConfig> epilogueView = space.project(point, 1, error);
    if (failed(epilogueView))
      return failure();
    config->params["vector"] = epilogueView->get("vector");
    if (config->impl == "wgmma") {
      config->params["warpgroups"] = config->get("warps") / 4;
      config->params.erase("warps");
    }
    if (config->impl == "fma_gemm")
      config->params.erase("stages");
    return config;
  };
  if (result->top.empty()) {
    // Nothing in the space fits; fall back to the model's default.
    FailureOr<TileConfig> fallback =
        defaultConfig(*workload, *target, &reason);
    // An attention no FlashAttention configuration fits (e.g. a head dim
    // past the kernel's registers) still compiles: fuse-tile gives a
    // flash_attention group the kernel cannot take the generic path and
    // records why (fuse.generic_reason).
    if (failed(fallback) && workload->kind == WorkloadKind::Attention) {
      TileConfig generic;
      generic.impl = "flash_attention";
      generic.params = {{"BQ", 64}, {"BKV", 32}, {"warps", 4}, {"stages", 1}};
      return generic;
    }
    if (failed(fallback))
      return group.emitOpError("fuse-tile: no configuration fits ")
                 << target->name << ": " << reason,
             failure();
    return *fallback;
  }
  FailureOr<TileConfig> best = kernelConfig(result->top.front().config);
  if (failed(best))
    return group.emitOpError("fuse-tile: ") << error, failure();
  stats.jointPoints += result->spaceSize;
  stats.costedPoints += result->costed;
  stats.predictedSeconds += result->top.front().cost;
  if (database) {
    for (const TunedConfig &tuned : result->top) {
      FailureOr<TileConfig> stored = kernelConfig(tuned.config);
      if (failed(stored) ||
          failed(database->recordPrediction(signature, target->name, *stored,
                                            tuned.cost, error)))
        return group.emitOpError("fuse-tile: ") << error, failure();
    }
  }
  return *best;
}

FailureOr<std::string> TileSelector::signature(GroupOp group) {
  FailureOr<Workload> workload = workloadOf(group);
  if (failed(workload))
    return failure();
  return signatureOf(group, *workload);
}

FailureOr<std::string> mlir::fuse::getGroupTuningSignature(
    GroupOp group, StringRef target, StringRef precision) {
  auto func = group->getParentOfType<func::FuncOp>();
  if (!func)
    return group.emitOpError("is not inside a function"), failure();
  TileSelector selector(target.str(), "", precision.str());
  if (failed(selector.initialize(func)))
    return failure();
  return selector.signature(group);
}

LogicalResult TileSelector::validate(GroupOp group, int64_t id,
                                     const TileConfig &config) {
  std::string reason;
  FailureOr<Workload> workload = workloadOf(group);
  if (failed(workload))
    return failure();
  if (succeeded(estimateLatency(*workload, config, *target, &reason)))
    return success();
  return group.emitOpError("fuse-tile: tile-config for group ")
         << id << " (" << config.str() << ") does not apply on "
         << target->name << ": " << reason;
}
