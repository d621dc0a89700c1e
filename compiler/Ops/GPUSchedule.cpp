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

/// The axis along which update `u` of `f` is reduced in parallel first,
/// if any: of a domain of two or more axes, the batch axis (the one whose
/// extent is not a constant, known at run time only), or the outermost
/// axis of a domain of kLongReduction or more elements.
std::optional<std::string> splitAxis(const Internal::Function &f, int u) {
  const std::vector<Internal::ReductionVariable> &rvars =
      f.update(u).schedule().rvars();
  if (rvars.size() < 2)
    return std::nullopt;
  int64_t size = 1;
  for (auto it = rvars.rbegin(); it != rvars.rend(); ++it) {
    const int64_t *extent = Internal::as_const_int(it->extent);
    if (!extent)
      return it->var;
    size *= *extent;
  }
  if (size >= kLongReduction)
    return rvars.back().var;
  return std::nullopt;
}

/// The Funcs the values of update `u` of `f` read, but `f` itself.
std::vector<Internal::Function> operandsOf(const Internal::Function &f,
                                           int u) {
  struct Calls : Internal::IRVisitor {
    std::string self;
    std::vector<Internal::Function> found;
    void visit(const Internal::Call *c) override {
      Internal::IRVisitor::visit(c);
      if (c->call_type != Internal::Call::Halide || !c->func.defined() ||
          c->name == self)
        return;
      for (const Internal::Function &g : found)
        if (g.name() == c->name)
          return;
      found.emplace_back(c->func);
    }
  } calls;
  calls.self = f.name();
  for (const Expr &value : f.update(u).values())
    value.accept(&calls);
  return calls.found;
}

/// Whether update `u` of `f` is a matrix product: a 2-D Func reduced over
/// one axis, acc(j, m) += a(k, m) · b(j, k).
bool isProduct(const Internal::Function &f, int u) {
  return f.args().size() == 2 && f.update(u).schedule().rvars().size() == 1 &&
         pureVarsOfUpdate(f, u).size() == 2;
}

/// Tiles the product in update `u` of `f`: a block of kProductTile² threads
/// computes as many outputs, one each, and walks the reduction in steps
/// of kProductTile, staging both operands' tiles for the step in shared
/// memory (each thread loads one element of each), so every element read
/// from global memory serves kProductTile threads.
void tileProduct(Func f, int u) {
  const Internal::Function &function = f.function();
  const std::string &p = f.name();
  Var j(function.args()[0]), m(function.args()[1]);
  Var jb(p + "_jb"), mb(p + "_mb"), jt(p + "_jt"), mt(p + "_mt");
  RVar k(function.update(u).schedule().rvars()[0].var), ko(p + "_ko"),
      ki(p + "_ki");
  f.gpu_tile(j, m, jb, mb, jt, mt, kProductTile, kProductTile,
             TailStrategy::GuardWithIf);
  f.update(u)
      .split(k, ko, ki, kProductTile, TailStrategy::GuardWithIf)
      .gpu_tile(j, m, jb, mb, jt, mt, kProductTile, kProductTile,
                TailStrategy::GuardWithIf)
      .reorder(ki, jt, mt, ko, jb, mb);
  for (const Internal::Function &operand : operandsOf(function, u)) {
    Func staged = Func(operand).in(f);
    std::vector<Var> args = staged.args();
    staged.compute_at(f, ko)
        .store_in(MemoryType::GPUShared)
        .gpu_threads(args[0], args[1]);
  }
}

} // namespace

void scheduleForGPU(Kernel &kernel, bool tileProducts) {
  std::vector<Internal::Function> outputs;
  std::set<std::string> outputNames, roots;
  for (const Func &f : kernel.gpuRoots)
    roots.insert(f.name());
  for (Func out : kernel.pipeline.outputs()) {
    outputs.push_back(out.function());
    outputNames.insert(out.name());
  }
  for (auto &[name, function] : Internal::build_environment(outputs)) {
    bool output = outputNames.count(name) != 0;
    if (!output && !function.has_update_definition() && !roots.count(name))
      continue; // inlined
    Func f(function);
    if (!output)
      f.compute_root();
    if (tileProducts && f.num_update_definitions() == 1 &&
        isProduct(function, 0)) {
      tileProduct(f, 0);
      continue;
    }
    for (int u = 0; u < f.num_update_definitions(); ++u) {
      std::optional<std::string> axis = splitAxis(function, u);
      if (!axis)
        continue;
      Func partial = f.update(u).rfactor(RVar(*axis),
                                         Var(name + "_u" + std::to_string(u) +
                                             "_part"));
      partial.compute_root();
      tileAllStages(partial);
    }
    tileAllStages(f);
  }
}

} // namespace mnistc::ops
