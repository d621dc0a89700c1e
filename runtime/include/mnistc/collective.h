//===- collective.h - Data-parallel training: what the ranks share -------===//
//
// Several processes ("ranks") can train one model together
// (docs/distributed.md): every rank walks the same epoch order, takes its
// shard of each global batch, computes the gradients of its shard
// (mnistc_compute_gradients), and one collective call per step sums the
// gradients weighted by shard size (so every rank holds the gradient of
// the whole batch); then every rank applies the same optimizer update
// (mnistc_apply_update), and the parameters stay identical on all ranks.
// fit() does this when FitHooks::collective names a job of more than one
// rank. A Collective is how the ranks sum: the mnistrt tool's is MPI's
// (NCCL's for the gradients of a CUDA model.so); the library itself
// depends on neither.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_COLLECTIVE_H
#define MNISTC_RUNTIME_COLLECTIVE_H

#include "mnistc/model.h"
#include "mnistc/status.h"

#include <cstddef>

namespace mnistc::rt {

class ModelContext;

/// The ranks of one data-parallel job, as seen from one of them. Every
/// call is collective: all ranks make it, in the same order.
class Collective {
public:
  virtual ~Collective() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// Sums `count` doubles over the ranks in place: every rank gets the sums.
  virtual Status sum(double *values, size_t count) = 0;
  /// One step's reduction: every rank's gradient buffer (its first `floats`
  /// floats, mnistc_gradient_buffer or the GPU's copy) times that rank's
  /// `weight`, summed over the ranks into every rank's gradient buffer;
  /// and `extras` summed as by sum() (float precision is enough for them:
  /// the step's loss sum and correct count).
  virtual Status sumGradients(ModelContext &ctx, size_t floats, float weight,
                              double *extras, size_t extraCount) = 0;
};

/// Images [begin, end) of a batch of n are rank r's of `size` ranks:
/// begin = ⌊n·r/size⌋, consecutive and as even as can be (a rank's shard
/// is empty only when n < size).
struct Shard {
  size_t begin = 0, end = 0;
  size_t count() const { return end - begin; }
};
Shard shardOf(size_t n, int rank, int size);

/// How many floats at the start of the parameter buffer the optimizer
/// updates: up to the end of the last trainable tensor (they come first).
size_t trainableFloats(const mnistc_model_info &info);

/// Averages the non-trainable parameters (BatchNormalization's moving
/// statistics, which each rank updates from its own shards) over the
/// ranks, into every rank's parameters: the values Keras's
/// MirroredStrategy reads for such variables (aggregation MEAN). Nothing
/// to do for a model without them.
Status averageNonTrainable(ModelContext &ctx, Collective &collective);

} // namespace mnistc::rt

#endif // MNISTC_RUNTIME_COLLECTIVE_H
