//===- MemoryCheck.h - Will the model fit in memory? ----------------------===//
//
// Before any kernel is compiled, mnistc adds up what a context of the
// model allocates (mnistc_create: parameters, gradients, optimizer state
// and the arena of activations, sized for the fit batch_size) and refuses,
// at the model, one that needs more than the limit (--memory-limit, by
// default this machine's physical memory) or whose largest buffer at that
// batch passes the 2 GiB a Halide buffer holds. The message gives the
// figures and the largest batch_size that would fit.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_MEMORYCHECK_H
#define MNISTC_COMPILER_CODEGEN_MEMORYCHECK_H

#include "compiler/Codegen/ModelPlan.h"

namespace mnistc::codegen {

/// What a context of a planned model allocates, in bytes.
struct MemoryNeeds {
  int64_t params = 0;
  int64_t gradients = 0;
  int64_t state = 0;
  int64_t arenaFixed = 0;    // arena buffers without a batch axis
  int64_t arenaPerImage = 0; // arena buffers with one, per image
  int64_t largestPerImage = 0; // the largest buffer with a batch axis

  /// Everything, for batches of up to `batch` images.
  int64_t total(int64_t batch) const {
    return params + gradients + state + arenaFixed + arenaPerImage * batch;
  }
};

MemoryNeeds memoryNeeds(const ModelPlan &plan);

/// This machine's physical memory in bytes.
int64_t physicalMemory();

/// Fails with a located error at the model when a context for its fit
/// batch_size needs more than `limit` bytes (0: physicalMemory()) or a
/// buffer of more than 2^31 - 1 bytes.
mlir::LogicalResult checkMemory(mlir::ModuleOp module, const ModelPlan &plan,
                                int64_t limit);

} // namespace mnistc::codegen

#endif
