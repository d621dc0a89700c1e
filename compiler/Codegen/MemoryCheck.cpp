//===- MemoryCheck.cpp - Will the model fit in memory? --------------------===//
//
// The sums follow mnistc_create (ModelSupport.cpp) buffer by buffer: the
// parameter, gradient and state regions are as large as their furthest
// buffer reaches; the arena as the memory plan (MemoryPlan.cpp) laid it
// out. The kernels' scratch (ScratchPool) comes on
// top and is not counted: it is a small share for every example.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/MemoryCheck.h"

#include "compiler/Dialect/NN/NNDialect.h"
#include "compiler/Support/Sizes.h"

#include "mlir/IR/Diagnostics.h"

#include <algorithm>
#include <climits>
#include <unistd.h>

using namespace mlir;

namespace mnistc::codegen {

MemoryNeeds memoryNeeds(const ModelPlan &plan) {
  MemoryNeeds needs;
  ArenaSize arena;
  for (const BufferRecord &r : plan.buffers) {
    arena.add(r);
    int64_t bytes = r.bytes(1); // per image when r has a batch axis
    if (r.batchDim >= 0)
      needs.largestPerImage = std::max(needs.largestPerImage, bytes);
    switch (r.region) {
    case Region::Params:
      needs.params = std::max(needs.params, r.offset + bytes);
      break;
    case Region::Gradients:
      needs.gradients = std::max(needs.gradients, r.offset + bytes);
      break;
    case Region::State:
      needs.state = std::max(needs.state, r.offset + bytes);
      break;
    default: // the arena (below); the caller's images, labels and
             // probabilities
      break;
    }
  }
  needs.arenaFixed = arena.fixedBytes;
  needs.arenaPerImage = arena.perImageBytes;
  return needs;
}

int64_t physicalMemory() {
  long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  return pages > 0 && size > 0 ? int64_t(pages) * size : INT64_MAX;
}

LogicalResult checkMemory(ModuleOp module, const ModelPlan &plan,
                          int64_t limit) {
  auto models = module.getOps<nn::ModelOp>();
  if (models.empty())
    return success();
  nn::ModelOp model = *models.begin();
  int64_t batch = fitBatchSize(model);
  MemoryNeeds needs = memoryNeeds(plan);
  std::string at = "at batch_size=" + std::to_string(batch);

  // One buffer: Halide's strides and offsets are 32-bit.
  if (needs.largestPerImage > 0 &&
      needs.largestPerImage > INT32_MAX / batch) {
    int64_t fits = INT32_MAX / needs.largestPerImage;
    return model.emitError()
           << "model '" << model.getSymName() << "' " << at
           << " has a buffer of "
           << memorySize(double(needs.largestPerImage) * batch) << " ("
           << memorySize(double(needs.largestPerImage))
           << " per image), more than the 2 GiB one Halide buffer holds; "
           << (fits > 0 ? "use batch_size=" + std::to_string(fits) +
                              " or less"
                        : std::string("make the model smaller"));
  }

  // The whole context.
  bool given = limit > 0;
  if (!given)
    limit = physicalMemory();
  int64_t total = needs.total(batch);
  if (total <= limit)
    return success();
  int64_t fixed = needs.total(0);
  int64_t fits =
      needs.arenaPerImage > 0 && fixed < limit
          ? (limit - fixed) / needs.arenaPerImage
          : 0;
  InFlightDiagnostic d = model.emitError();
  d << "model '" << model.getSymName() << "' needs "
    << memorySize(double(total)) << " of memory to train " << at << " ("
    << memorySize(double(needs.params)) << " of parameters, "
    << memorySize(double(needs.gradients)) << " of gradients, "
    << memorySize(double(needs.state)) << " of optimizer state, "
    << memorySize(double(needs.arenaPerImage)) << " per image of "
    << "activations), more than "
    << (given ? "--memory-limit allows (" : "this machine has (")
    << memorySize(double(limit)) << "); ";
  if (fits > 0)
    d << "use batch_size=" << fits << " or less";
  else
    d << "make the model smaller";
  return failure();
}

} // namespace mnistc::codegen
