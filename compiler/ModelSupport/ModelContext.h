//===- ModelContext.h - What a model.so's context holds ---------*- C++ -*-===//
//
// Part of the model support library: the mnistc_ctx behind the ABI's
// opaque pointer (model.h), shared by the file that creates contexts
// (ModelSupport.cpp) and the file of the step functions that use them
// (StepFunctions.cpp). Every buffer a step touches is allocated here once,
// by mnistc_create; the buffer table (BufferTable.h) says where each lives.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_MODELSUPPORT_MODELCONTEXT_H
#define MNISTC_COMPILER_MODELSUPPORT_MODELCONTEXT_H

#include "compiler/ModelSupport/BufferTable.h"
#include "compiler/ModelSupport/DeviceMirror.h"

#include "HalideRuntime.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

namespace mnistc::modelso {

/// A float array whose first element is 64-byte aligned: kernels store
/// with aligned vector instructions.
class AlignedFloats {
public:
  void assign(size_t n) {
    storage_.assign(n + 16, 0.0f);
    size_t misalign = reinterpret_cast<uintptr_t>(storage_.data()) % 64;
    base_ = storage_.data() + (misalign ? (64 - misalign) / sizeof(float) : 0);
    size_ = n;
  }
  float *data() { return base_; }
  size_t size() const { return size_; }
  void clear() { std::fill(base_, base_ + size_, 0.0f); }

private:
  std::vector<float> storage_;
  float *base_ = nullptr;
  size_t size_ = 0;
};

/// The generated step functions of one CPU variant, as mnistc_gen_steps
/// lays them out (Orchestration.cpp).
struct StepTable {
  using Step = int32_t (*)(halide_buffer_t **buffers, void **scalars);
  Step train, eval, forward, gradients, update, gather;
};

} // namespace mnistc::modelso

/// A context: the buffers of every step for batches up to max_batch.
struct mnistc_ctx {
  using AlignedFloats = mnistc::modelso::AlignedFloats;
  using DeviceMirror = mnistc::modelso::DeviceMirror;
  int32_t maxBatch = 0;
  /// The step functions of the variant that runs on this CPU.
  const mnistc::modelso::StepTable *steps = nullptr;
  AlignedFloats params, state, gradients;
  std::vector<uint8_t> arena; // activations, gradients, scratch
  int64_t arenaBytes = 0;     // as planned (the arena is aligned within)
  std::vector<halide_buffer_t> buffers;
  std::vector<halide_dimension_t> dims; // kMaxRank per buffer
  std::vector<halide_buffer_t *> pointers;
  std::vector<int> batchDims; // per buffer, -1 if none
  std::vector<int64_t> aliases; // per buffer: the buffer it views, or -1
  int64_t step = 0;
  float learningRate = 0;
  int32_t stepScalar = 0; // Adam's t = step + 1 at the update
  uint32_t seedScalar = 0; // Dropout's key, from mnistc_init_params
  int32_t firstScalar = 0; // Dropout: the batch's place in its whole
                           // batch, set by each training step
  int32_t offsetScalar = 0; // the gather's first place in the order
  void *scalars[mnistc::modelso::kNumScalars] = {};
  int images = -1, labels = -1, loss = -1, correct = -1, probs = -1;
  /// Training from a resident data set (mnistc_set_dataset): its buffers
  /// (-1 in a table without them), its count and the order's length (0:
  /// not set), the order's host copy, and the batch the gather fills on
  /// the CPU (a host address for the images and labels buffers on the
  /// GPU, where the gather fills their device memory).
  int dataImages = -1, dataLabels = -1, order = -1;
  int32_t dataCount = 0, orderCount = 0;
  std::vector<int32_t> orderHost;
  AlignedFloats batchImages, batchLabels;
  /// CUDA model.so only: the GPU copies (declared last: detached before
  /// the buffers go), and which regions' host copies may be newer
  /// (initialized, or handed out by mnistc_params, mnistc_state or
  /// mnistc_gradient_buffer: they go to the GPU before the next step) or older (a training step changed
  /// them on the GPU: they come back when handed out). Bit 1 << Region.
  std::unique_ptr<DeviceMirror> device;
  unsigned hostNewer = 0, deviceNewer = 0;
};

namespace mnistc::modelso {

constexpr unsigned bitOf(Region r) { return 1u << static_cast<int>(r); }

/// A view (Flatten, Reshape) reads its target's storage; targets come
/// first in the table.
inline void resolveViews(mnistc_ctx *ctx) {
  for (size_t i = 0; i < ctx->buffers.size(); ++i)
    if (ctx->aliases[i] >= 0)
      ctx->buffers[i].host = ctx->buffers[ctx->aliases[i]].host;
}

} // namespace mnistc::modelso

#endif
