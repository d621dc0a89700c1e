//===- GPUSchedule.cpp - The CUDA schedule of every kernel ----------------===//
//
// See GPUSchedule.h for the rules. The Funcs of a pipeline are found
// through Halide's environment of its outputs (every Func they call,
// transitively); each is scheduled through a Func handle on the shared
// definition.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/GPUSchedule.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace Halide;

namespace mnistc::ops {

namespace {

/// One GPU thread per element of `pure` (innermost first), in blocks of
/// kGPUThreadsPerBlock; one thread for a stage with none.
void tileStage(Stage stage, const std::vector<Var> &pure,
               const std::string &prefix) {
  if (pure.empty()) {
    stage.gpu_single_thread();
    return;
  }
  Var fused = pure[0];
  for (size_t i = 1; i < pure.size(); ++i) {
    Var next(prefix + "_fused" + std::to_string(i));
    stage.fuse(fused, pure[i], next);
    fused = next;
  }
  Var block(prefix + "_block"), thread(prefix + "_thread");
  stage.gpu_tile(fused, block, thread, kGPUThreadsPerBlock,
                 TailStrategy::GuardWithIf);
}

/// The pure variables of update `u` of `f`: the arguments that are the
/// pure definition's variable at the same position.
std::vector<Var> pureVarsOfUpdate(const Internal::Function &f, int u) {
  std::vector<Var> vars;
  const std::vector<Expr> &args = f.update(u).args();
  for (size_t i = 0; i < args.size(); ++i) {
    const auto *v = args[i].as<Internal::Variable>();
    if (v && !v->reduction_domain.defined() && v->name == f.args()[i])
      vars.push_back(Var(v->name));
  }
  return vars;
}

/// Schedules every stage of `f`: one thread per element of each stage's
/// pure variables.
void tileAllStages(Func f) {
  const Internal::Function &function = f.function();
  std::vector<Var> pure;
  for (const std::string &arg : function.args())
    pure.push_back(Var(arg));
  tileStage(f, pure, f.name());
  for (int u = 0; u < f.num_update_definitions(); ++u)
    tileStage(f.update(u), pureVarsOfUpdate(function, u),
              f.name() + "_u" + std::to_string(u));
}

/// The batch axis of update `u`'s reduction domain, if it has one and the
/// domain has more axes: the one whose extent is not a constant (the
/// batch extent, known at run time only).
std::optional<std::string> batchReduction(const Internal::Function &f,
                                          int u) {
  const std::vector<Internal::ReductionVariable> &rvars =
      f.update(u).schedule().rvars();
  if (rvars.size() < 2)
    return std::nullopt;
  for (auto it = rvars.rbegin(); it != rvars.rend(); ++it)
    if (!Internal::is_const(it->extent))
      return it->var;
  return std::nullopt;
}

} // namespace

void scheduleForGPU(Pipeline pipeline) {
  std::vector<Internal::Function> outputs;
  std::set<std::string> outputNames;
  for (Func out : pipeline.outputs()) {
    outputs.push_back(out.function());
    outputNames.insert(out.name());
  }
  for (auto &[name, function] : Internal::build_environment(outputs)) {
    bool output = outputNames.count(name) != 0;
    if (!output && !function.has_update_definition())
      continue; // inlined
    Func f(function);
    if (!output)
      f.compute_root();
    for (int u = 0; u < f.num_update_definitions(); ++u) {
      std::optional<std::string> batch = batchReduction(function, u);
      if (!batch)
        continue;
      Func partial = f.update(u).rfactor(RVar(*batch),
                                         Var(name + "_u" + std::to_string(u) +
                                             "_image"));
      partial.compute_root();
      tileAllStages(partial);
    }
    tileAllStages(f);
  }
}

} // namespace mnistc::ops
