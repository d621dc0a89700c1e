//===- MemoryPlan.h - One arena, buffers reused by liveness ---------------===//
//
// Every intermediate of a step (activations, their gradients, the loss)
// lives in one arena that mnistc_create allocates for the max batch. The
// memory plan gives each arena buffer its offset there at compile time:
// two buffers share storage when no step has both alive at once. A
// buffer is alive in a step from the first kernel call that touches it
// to the last; one the runtime reads after the step (the loss, the
// correct count) stays alive to the step's end, and one a step reads
// before writing it never shares. `mnistc --emit=memory-plan` prints the
// result.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_CODEGEN_MEMORYPLAN_H
#define MNISTC_COMPILER_CODEGEN_MEMORYPLAN_H

#include "compiler/Codegen/ModelPlan.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

namespace mnistc::codegen {

/// Sets the offset of every arena buffer of `plan` that owns storage
/// (BufferTable.h says how the runtime reads them).
void planArena(ModelPlan &plan);

/// The arena as planned, and as it would be with one region per buffer.
struct ArenaFigures {
  ArenaSize planned;
  ArenaSize unshared;
};
ArenaFigures arenaFigures(const ModelPlan &plan);

/// Prints the plan: each region of a context at `batch` images, then every
/// arena buffer with its offset, size and live calls in each step.
void printMemoryPlan(const ModelPlan &plan, int64_t batch,
                     llvm::raw_ostream &os);

} // namespace mnistc::codegen

#endif
