//===- MemoryPlan.cpp - One arena, buffers reused by liveness -------------===//
//
// Algorithm:
// 1. Live ranges. Walk the calls of each step (train, eval, forward) in
//    order; a view counts as its target. A buffer's range in a step runs
//    from the first call that reads or writes it to the last; the loss and
//    the correct count, read by the runtime after the step, to the step's
//    end. A buffer some call reads before any call of the step wrote it
//    carries data from step to step: it is pinned and shares nothing.
// 2. Conflicts. Two buffers conflict when a step has both alive at one
//    call (ranges overlap, ends included, so no kernel ever writes a
//    buffer whose storage another of its operands still holds).
// 3. Placement, separately for buffers without a batch axis (bytes) and
//    batch-sized ones (bytes per image): largest first, each at the lowest
//    offset where it overlaps no conflicting buffer already placed (first
//    fit over the placed ranges sorted by offset).
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/MemoryPlan.h"

#include "compiler/Codegen/MemoryCheck.h"
#include "compiler/Support/Sizes.h"

#include <algorithm>
#include <climits>

namespace mnistc::codegen {

namespace {

constexpr int kSteps = ModelPlan::kSteps;

/// Where buffer b's storage is: itself, or the buffer it views.
int storageOf(const ModelPlan &plan, int b) {
  int64_t alias = plan.buffers[b].alias;
  return alias >= 0 ? static_cast<int>(alias) : b;
}

struct Life {
  int first[kSteps] = {-1, -1, -1}; // call index; -1: unused in the step
  int last[kSteps] = {-1, -1, -1};  // INT_MAX: to the step's end
  bool pinned = false;
};

/// Step 1.
std::vector<Life> liveRanges(const ModelPlan &plan) {
  std::vector<Life> lives(plan.buffers.size());
  for (int s = 0; s < kSteps; ++s) {
    const std::vector<KernelCall> &calls = plan.calls(s);
    std::vector<bool> written(plan.buffers.size(), false);
    for (int i = 0; i < static_cast<int>(calls.size()); ++i) {
      const KernelCall &call = calls[i];
      size_t inputs = plan.kernels[call.kernel].buffers.size();
      for (size_t k = 0; k < call.buffers.size(); ++k) {
        int b = storageOf(plan, call.buffers[k]);
        Life &life = lives[b];
        if (k < inputs && !written[b])
          life.pinned = true;
        if (k >= inputs)
          written[b] = true;
        if (life.first[s] < 0)
          life.first[s] = i;
        life.last[s] = i;
      }
    }
    for (size_t b = 0; b < plan.buffers.size(); ++b)
      if (plan.buffers[b].role != Role::None && lives[b].first[s] >= 0)
        lives[b].last[s] = INT_MAX;
  }
  return lives;
}

/// Step 2.
bool conflict(const Life &a, const Life &b) {
  bool used = false;
  for (int s = 0; s < kSteps; ++s) {
    if (a.first[s] < 0 || b.first[s] < 0)
      continue;
    used = true;
    if (a.first[s] <= b.last[s] && b.first[s] <= a.last[s])
      return true;
  }
  return used && (a.pinned || b.pinned);
}

/// The bytes a buffer takes in its part of the arena (per image when it
/// has a batch axis).
int64_t footprint(const BufferRecord &r) { return arenaRound(r.bytes(1)); }

} // namespace

void planArena(ModelPlan &plan) {
  std::vector<Life> lives = liveRanges(plan);
  for (bool perImage : {false, true}) {
    std::vector<int> order;
    for (size_t b = 0; b < plan.buffers.size(); ++b)
      if (plan.buffers[b].ownsArena() &&
          (plan.buffers[b].batchDim >= 0) == perImage)
        order.push_back(static_cast<int>(b));
    // Step 3.
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return footprint(plan.buffers[a]) > footprint(plan.buffers[b]);
    });
    std::vector<int> placed;
    for (int b : order) {
      std::vector<std::pair<int64_t, int64_t>> taken; // [start, end)
      for (int p : placed)
        if (conflict(lives[b], lives[p]))
          taken.push_back(
              {plan.buffers[p].offset,
               plan.buffers[p].offset + footprint(plan.buffers[p])});
      std::sort(taken.begin(), taken.end());
      int64_t size = footprint(plan.buffers[b]), offset = 0;
      for (auto [start, end] : taken) {
        if (offset + size <= start)
          break;
        offset = std::max(offset, end);
      }
      plan.buffers[b].offset = offset;
      placed.push_back(b);
    }
  }
}

ArenaFigures arenaFigures(const ModelPlan &plan) {
  ArenaFigures figures;
  for (const BufferRecord &r : plan.buffers) {
    figures.planned.add(r);
    if (r.ownsArena())
      (r.batchDim >= 0 ? figures.unshared.perImageBytes
                       : figures.unshared.fixedBytes) += footprint(r);
  }
  return figures;
}

void printMemoryPlan(const ModelPlan &plan, int64_t batch,
                     llvm::raw_ostream &os) {
  MemoryNeeds needs = memoryNeeds(plan);
  ArenaFigures arena = arenaFigures(plan);
  int64_t unshared = arena.unshared.bytes(batch);
  os << "// The memory of a context for batches of up to " << batch
     << " images (the fit batch_size), as mnistc_create allocates it.\n";
  auto row = [&](const char *name, int64_t bytes) {
    os << llvm::left_justify(name, 11) << memorySize(double(bytes)) << " ("
       << grouped(bytes) << " bytes)\n";
  };
  row("params", needs.params);
  row("gradients", needs.gradients);
  row("state", needs.state);
  row("arena", arena.planned.bytes(batch));
  row("total", needs.total(batch));
  os << "arena: " << grouped(arena.planned.fixedBytes) << " bytes + "
     << grouped(arena.planned.perImageBytes)
     << " bytes per image; one region per buffer would take "
     << grouped(arena.unshared.fixedBytes) << " + "
     << grouped(arena.unshared.perImageBytes) << " per image ("
     << memorySize(double(unshared)) << "): reuse saves "
     << (unshared ? 100 * (unshared - arena.planned.bytes(batch)) / unshared
                  : 0)
     << "%\n";
  os << "arena buffers: offset (·n: per image), bytes, and the kernel calls "
        "each step has it alive\n";
  std::vector<Life> lives = liveRanges(plan);
  for (size_t b = 0; b < plan.buffers.size(); ++b) {
    const BufferRecord &r = plan.buffers[b];
    if (!r.ownsArena())
      continue;
    const char *n = r.batchDim >= 0 ? "·n" : "";
    os << "  %" << b << " at " << grouped(r.offset) << n << ", "
       << grouped(r.bytes(1)) << n;
    for (int s = 0; s < kSteps; ++s) {
      const Life &life = lives[b];
      if (life.first[s] < 0)
        continue;
      os << ", " << ModelPlan::stepName(s) << " " << life.first[s] << "-";
      if (life.last[s] == INT_MAX)
        os << "end";
      else
        os << life.last[s];
    }
    if (lives[b].pinned)
      os << ", pinned";
    os << "\n";
  }
}

} // namespace mnistc::codegen
