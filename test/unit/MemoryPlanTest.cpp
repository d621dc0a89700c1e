//===- MemoryPlanTest.cpp - The arena plan never clobbers a live buffer ---===//
//
// Checks the memory plan (compiler/Codegen/MemoryPlan.cpp) of every
// example model by running its steps on addresses instead of data: each
// buffer gets the byte range mnistc_create gives it (BufferTable.h's
// ArenaSize, at a small max batch), and a simulated call then
//   - reads only buffers whose bytes hold what was last written to them
//     in this step (no other buffer's write has touched them since), and
//   - never hands a kernel two operands whose storage overlaps.
// After a train or eval step, the loss and the correct count must still be
// intact.
// The simulation shares no code with the liveness analysis it checks; a
// plan with two live buffers forced onto one offset must fail it.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/HostTarget.h"
#include "compiler/Codegen/Lowering.h"
#include "compiler/Codegen/MemoryPlan.h"
#include "compiler/Codegen/ModelPlan.h"
#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Frontend/Frontend.h"
#include "compiler/Ops/GradientRules.h"
#include "dsl/Parser.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace mnistc;
using namespace mnistc::codegen;

namespace {

constexpr int64_t kBatch = 3;

struct Range {
  int64_t begin = 0, end = 0; // [begin, end) within the arena
  bool overlaps(const Range &o) const { return begin < o.end && o.begin < end; }
};

/// The problems the simulation finds in `plan`, one line each.
std::vector<std::string> simulate(const ModelPlan &plan) {
  ArenaSize size;
  for (const BufferRecord &r : plan.buffers)
    size.add(r);
  size_t count = plan.buffers.size();
  std::vector<Range> range(count);
  std::vector<bool> inArena(count, false);
  for (size_t b = 0; b < count; ++b) {
    const BufferRecord &r = plan.buffers[b];
    if (!r.ownsArena())
      continue;
    inArena[b] = true;
    range[b].begin = size.offsetOf(r, kBatch);
    range[b].end = range[b].begin + r.bytes(kBatch);
    EXPECT_LE(range[b].end, size.bytes(kBatch)) << "%" << b;
  }
  auto storage = [&](int b) {
    return plan.buffers[b].alias >= 0 ? int(plan.buffers[b].alias) : b;
  };
  std::vector<std::string> problems;
  const std::pair<const char *, const std::vector<KernelCall> *> steps[] = {
      {"train", &plan.train}, {"eval", &plan.eval}, {"forward", &plan.forward}};
  for (auto [name, calls] : steps) {
    std::vector<bool> intact(count, false);
    for (size_t i = 0; i < calls->size(); ++i) {
      const KernelCall &call = (*calls)[i];
      std::string where = std::string(name) + " call " + std::to_string(i);
      size_t inputs = plan.kernels[call.kernel].buffers.size();
      std::vector<int> operands;
      for (size_t k = 0; k < call.buffers.size(); ++k) {
        int b = storage(call.buffers[k]);
        if (!inArena[b])
          continue;
        for (int o : operands)
          if (o != b && range[o].overlaps(range[b]))
            problems.push_back(where + ": operands %" + std::to_string(o) +
                               " and %" + std::to_string(b) + " overlap");
        operands.push_back(b);
        if (k < inputs && !intact[b])
          problems.push_back(where + ": reads %" + std::to_string(b) +
                             ", which holds no value of this step");
      }
      for (size_t k = inputs; k < call.buffers.size(); ++k) {
        int b = storage(call.buffers[k]);
        if (!inArena[b])
          continue;
        for (size_t o = 0; o < count; ++o)
          if (inArena[o] && int(o) != b && range[o].overlaps(range[b]))
            intact[o] = false;
        intact[b] = true;
      }
    }
    // mnistc_train_step and mnistc_eval_step read the loss and the
    // correct count back (mnistc_forward reads neither).
    for (size_t b = 0; calls != &plan.forward && b < count; ++b)
      if (plan.buffers[b].role != Role::None && !intact[b])
        problems.push_back(std::string(name) + ": the runtime reads %" +
                           std::to_string(b) + " after the step, clobbered");
  }
  return problems;
}

struct Planned {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  ModelPlan plan;
};

std::unique_ptr<Planned> planFile(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto p = std::make_unique<Planned>();
  mlir::DialectRegistry registry;
  nn::registerGradientRules(registry);
  registerKernelLowerings(registry);
  p->context.appendDialectRegistry(registry);
  p->context.getOrLoadDialect<nn::NNDialect>();
  dsl::SourceFile file(path.string(), text.str());
  std::ostringstream errors;
  dsl::DiagnosticEngine diags(file, errors);
  dsl::Module ast = dsl::parse(file, diags);
  p->module = lowerTo(p->context, ast, diags, Stage::Train);
  EXPECT_TRUE(p->module) << errors.str();
  if (!p->module)
    return nullptr;
  auto plan = planModel(*p->module, hostTarget());
  EXPECT_TRUE(succeeded(plan)) << path;
  if (failed(plan))
    return nullptr;
  p->plan = std::move(*plan);
  return p;
}

std::vector<fs::path> models() {
  std::vector<fs::path> paths;
  for (const char *dir : {MNISTC_EXAMPLES_DIR, MNISTC_CODEGEN_INPUTS_DIR})
    for (const auto &e : fs::directory_iterator(dir))
      if (e.path().extension() == ".dsl")
        paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST(MemoryPlan, NoLiveBufferIsClobbered) {
  std::vector<fs::path> paths = models();
  ASSERT_GE(paths.size(), 6u);
  for (const fs::path &path : paths) {
    auto p = planFile(path);
    ASSERT_TRUE(p) << path;
    std::vector<std::string> problems = simulate(p->plan);
    EXPECT_TRUE(problems.empty()) << path << ": " << problems.front();
    // The plan is never larger than one region per buffer.
    ArenaFigures f = arenaFigures(p->plan);
    EXPECT_LE(f.planned.perImageBytes, f.unshared.perImageBytes) << path;
    EXPECT_LE(f.planned.fixedBytes, f.unshared.fixedBytes) << path;
  }
}

TEST(MemoryPlan, ReusesStorage) {
  // lenet's activations and gradients are mostly dead by the time later
  // ones are made: the plan must save over a third of the unshared arena
  // (it saves 44%).
  auto p = planFile(fs::path(MNISTC_EXAMPLES_DIR) / "lenet.dsl");
  ASSERT_TRUE(p);
  ArenaFigures f = arenaFigures(p->plan);
  EXPECT_LT(f.planned.perImageBytes * 3, f.unshared.perImageBytes * 2);
}

TEST(MemoryPlan, SimulationCatchesSharedLiveBuffers) {
  // All of cnn's batch-sized buffers at one offset: the simulation must
  // object, or it checks nothing.
  auto p = planFile(fs::path(MNISTC_EXAMPLES_DIR) / "cnn.dsl");
  ASSERT_TRUE(p);
  ASSERT_TRUE(simulate(p->plan).empty());
  for (BufferRecord &r : p->plan.buffers)
    if (r.ownsArena() && r.batchDim >= 0)
      r.offset = 0;
  EXPECT_FALSE(simulate(p->plan).empty());
}

} // namespace
