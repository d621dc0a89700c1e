//===- GPUSchedule.cpp - The CUDA schedule of every kernel ----------------===//
//
// See GPUSchedule.h for the rules. The Funcs of a pipeline are found
// through Halide's environment of its outputs (every Func they call,
// transitively); each is scheduled through a Func handle on the shared
// definition.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/GPUSchedule.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace Halide;

namespace mnistc::ops {

namespace {

/// One GPU thread per element of `pure` (innermost first), in blocks of
/// kGPUThreadsPerBlock; one thread for a stage with none. The new loops'
/// names are short: a GPU kernel is named after its loop (the Func, the
/// stage and every fused variable), and OpenCL compilers such as pocl
/// make a directory of that name, which must fit in 255 bytes. Returns
/// the loop of the thread (none for a stage without pure variables).
std::optional<Var> tileStage(Stage stage, const std::vector<Var> &pure) {
  if (pure.empty()) {
    stage.gpu_single_thread();
    return std::nullopt;
  }
  Var fused = pure[0];
  for (size_t i = 1; i < pure.size(); ++i) {
    Var next("fused" + std::to_string(i));
    stage.fuse(fused, pure[i], next);
    fused = next;
  }
  Var block("block"), thread("thread");
  stage.gpu_tile(fused, block, thread, kGPUThreadsPerBlock,
                 TailStrategy::GuardWithIf);
  return thread;
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
  tileStage(f, pure);
  for (int u = 0; u < f.num_update_definitions(); ++u)
    tileStage(f.update(u), pureVarsOfUpdate(function, u));
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

/// Stages in shared memory, for each step `step` of update `u` of `f`,
/// the tile of every Func the update reads: the block's threads load it,
/// one element each, over its first axis and its second in runs of
/// `tile`.
void stageOperands(Func f, int u, RVar step, int tile) {
  for (const Internal::Function &operand : operandsOf(f.function(), u)) {
    Func staged = Func(operand).in(f);
    std::vector<Var> args = staged.args();
    Var outer(staged.name() + "_a1o"), inner(staged.name() + "_a1i");
    staged.compute_at(f, step)
        .store_in(MemoryType::GPUShared)
        .split(args[1], outer, inner, tile, TailStrategy::GuardWithIf)
        .reorder(args[0], inner, outer)
        .gpu_threads(args[0], inner);
  }
}

/// Whether update `u` of `f` is a matrix product: a 2-D Func reduced over
/// one axis, acc(j, m) += a(k, m) · b(j, k).
bool isProduct(const Internal::Function &f, int u) {
  return f.args().size() == 2 && f.update(u).schedule().rvars().size() == 1 &&
         pureVarsOfUpdate(f, u).size() == 2;
}

/// Whether update `u` of `f` is a convolution: a 4-D Func (channel, x, y,
/// image) reduced over three axes (the other side's channels innermost,
/// then the window's kx and ky): Conv2D's forward and input gradient.
bool isConvolution(const Internal::Function &f, int u) {
  return f.args().size() == 4 && f.update(u).schedule().rvars().size() == 3 &&
         pureVarsOfUpdate(f, u).size() == 4;
}

/// The output that is the only Func to call `f`, and calls it only at its
/// own pure variables (y(u, n) = act(acc(u, n)): an elementwise
/// epilogue), if there is one.
std::optional<Func>
pointwiseConsumer(const std::map<std::string, Internal::Function> &env,
                  const std::set<std::string> &outputNames,
                  const Internal::Function &f) {
  struct Calls : Internal::IRVisitor {
    std::string callee;
    std::vector<std::vector<Expr>> args; // of each call to callee
    void visit(const Internal::Call *c) override {
      Internal::IRVisitor::visit(c);
      if (c->call_type == Internal::Call::Halide && c->name == callee)
        args.push_back(c->args);
    }
  };
  std::optional<Func> consumer;
  for (const auto &[name, g] : env) {
    if (name == f.name())
      continue;
    Calls calls;
    calls.callee = f.name();
    g.accept(&calls);
    if (calls.args.empty())
      continue;
    if (consumer || !outputNames.count(name) || g.has_update_definition() ||
        g.args().size() != f.args().size())
      return std::nullopt;
    for (const std::vector<Expr> &args : calls.args)
      for (size_t i = 0; i < args.size(); ++i) {
        const auto *v = args[i].as<Internal::Variable>();
        if (!v || v->name != g.args()[i])
          return std::nullopt;
      }
    consumer = Func(g);
  }
  return consumer;
}

/// Tiles the product in update `u` of `f` into its elementwise consumer
/// `out`, one kernel for the three: a block of kProductTile² threads
/// computes as many elements of `out`, one each, from as many of `f`
/// (initial value, then the product, then the epilogue), and walks the
/// reduction in steps of kProductTile, staging both operands' tiles for
/// the step in shared memory (each thread loads one element of each), so
/// every element read from global memory serves kProductTile threads.
void tileProduct(Func f, int u, Func out) {
  const Internal::Function &function = f.function();
  const std::string &p = f.name();
  Var j(function.args()[0]), m(function.args()[1]);
  Var jb(p + "_jb"), mb(p + "_mb"), jt(p + "_jt"), mt(p + "_mt");
  RVar k(function.update(u).schedule().rvars()[0].var), ko(p + "_ko"),
      ki(p + "_ki");
  out.gpu_tile(out.args()[0], out.args()[1], jb, mb, jt, mt, kProductTile,
               kProductTile, TailStrategy::GuardWithIf);
  f.compute_at(out, jb).gpu_threads(j, m);
  f.update(u)
      .split(k, ko, ki, kProductTile, TailStrategy::GuardWithIf)
      .reorder(ki, j, m, ko)
      .gpu_threads(j, m);
  stageOperands(f, u, ko, kProductTile);
}

/// Fuses the convolution `f` into its elementwise consumer `out`, one
/// kernel for the three: one thread per element of `out` computes its
/// element of `f` in a register (the initial value, then the reduction in
/// the algorithm's order), then the epilogue, and writes it once.
void fuseConvolution(Func f, Func out) {
  f.compute_at(out, *tileStage(out, out.args()));
}

} // namespace

void scheduleForGPU(Kernel &kernel, bool tile) {
  std::vector<Internal::Function> outputs;
  std::set<std::string> outputNames, roots;
  for (const Func &f : kernel.gpuRoots)
    roots.insert(f.name());
  for (Func out : kernel.pipeline.outputs()) {
    outputs.push_back(out.function());
    outputNames.insert(out.name());
  }
  std::map<std::string, Internal::Function> env =
      Internal::build_environment(outputs);
  // The products and convolutions, each with the output it is fused
  // into.
  std::map<std::string, Func> fusedInto;
  std::set<std::string> fusedOutputs;
  for (auto &[name, function] : env) {
    if (!tile || function.updates().size() != 1 ||
        !(isProduct(function, 0) || isConvolution(function, 0)))
      continue;
    if (std::optional<Func> out = pointwiseConsumer(env, outputNames,
                                                    function)) {
      fusedInto.emplace(name, *out);
      fusedOutputs.insert(out->name());
    }
  }
  for (auto &[name, function] : env) {
    bool output = outputNames.count(name) != 0;
    if (!output && !function.has_update_definition() && !roots.count(name))
      continue; // inlined
    if (fusedOutputs.count(name))
      continue; // scheduled with the reduction it is fused with
    Func f(function);
    if (auto it = fusedInto.find(name); it != fusedInto.end()) {
      if (isProduct(function, 0))
        tileProduct(f, 0, it->second);
      else
        fuseConvolution(f, it->second);
      continue;
    }
    if (!output)
      f.compute_root();
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
