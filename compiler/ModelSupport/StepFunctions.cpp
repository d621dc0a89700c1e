//===- StepFunctions.cpp - The ABI's steps over the generated ones --------===//
//
// Part of the model support library: mnistc_train_step, mnistc_eval_step,
// mnistc_forward, the train step's two halves for data-parallel training
// (mnistc_compute_gradients, mnistc_apply_update), training from a data
// set the context holds (mnistc_set_dataset, mnistc_set_order and the
// steps _at an order's place, which gather their batch with the kernel
// mnistc_gen_gather calls) and the accessors of a context's parameters,
// state and gradients. Each step points the
// context's external buffers at the caller's batch, sets the batch extent,
// calls the generated step function (Orchestration.cpp) of the context's
// CPU variant and hands back its
// results; on the GPU it also moves what changed between host and device
// (DeviceMirror.h), and only that.
//
//===----------------------------------------------------------------------===//
#include "compiler/ModelSupport/HalideHooks.h"
#include "compiler/ModelSupport/KernelProfile.h"
#include "compiler/ModelSupport/ModelContext.h"
#include "runtime/include/mnistc/model.h"

#include <climits>
#include <utility>

using namespace mnistc::modelso;

extern "C" {
extern const int64_t mnistc_gen_buffers[];
}

namespace {

/// On the GPU, sends the regions the host changed since the last step.
bool sendHostChanges(mnistc_ctx *ctx) {
  if (!ctx->device)
    return true;
  for (Region r : {Region::Params, Region::State, Region::Gradients})
    if ((ctx->hostNewer & bitOf(r)) && ctx->device->upload(r))
      return false;
  ctx->hostNewer = 0;
  return true;
}

/// Points the step's external buffers at the caller's memory and sets the
/// batch extent of every batch-sized buffer; on the GPU, sends what the
/// host changed and, unless the gather fills it there (`sendBatch`
/// false), the batch.
bool prepare(mnistc_ctx *ctx, int32_t n, const float *images,
             const void *labels, float *probs, bool sendBatch = true) {
  if (!ctx || n < 1 || n > ctx->maxBatch)
    return false;
  for (size_t i = 0; i < ctx->buffers.size(); ++i)
    if (ctx->batchDims[i] >= 0)
      ctx->buffers[i].dim[ctx->batchDims[i]].extent = n;
  auto set = [&](int index, const void *host) {
    if (index >= 0)
      ctx->buffers[index].host =
          const_cast<uint8_t *>(static_cast<const uint8_t *>(host));
  };
  set(ctx->images, images);
  set(ctx->labels, labels);
  set(ctx->probs, probs);
  resolveViews(ctx);
  if (!ctx->device)
    return true;
  if (!sendHostChanges(ctx))
    return false;
  if (!sendBatch)
    return true;
  DeviceMirror &device = *ctx->device;
  for (int index : {ctx->images, ctx->labels})
    if (index >= 0 && ctx->buffers[index].host &&
        device.upload(ctx->buffers[index]))
      return false;
  return true;
}

/// The step's loss and correct count (from the GPU in a CUDA model.so);
/// `status` unless reading them back fails.
int32_t results(mnistc_ctx *ctx, int32_t status, float *loss,
                int32_t *correct) {
  if (status != 0)
    return status;
  for (int index : {ctx->loss, ctx->correct})
    if (ctx->device && index >= 0)
      if (int32_t failed = ctx->device->download(ctx->buffers[index]))
        return failed;
  if (loss && ctx->loss >= 0)
    *loss = *reinterpret_cast<float *>(ctx->buffers[ctx->loss].host);
  if (correct && ctx->correct >= 0)
    *correct = *reinterpret_cast<int32_t *>(ctx->buffers[ctx->correct].host);
  return 0;
}

/// A GPU buffer of the context for the profile's waits, or null.
halide_buffer_t *deviceBuffer(mnistc_ctx *ctx) {
  return ctx->device ? ctx->pointers[0] : nullptr;
}

/// The host copy of a region of a CUDA model.so's context, brought up to
/// date from the GPU if a step changed it since; the caller may change it
/// (`writable`), so it goes back before the next step.
template <typename T> T *hostCopy(mnistc_ctx *ctx, Region region, T *host,
                                  bool writable) {
  if (!ctx->device)
    return host;
  if ((ctx->deviceNewer & bitOf(region)) &&
      ctx->device->download(region) == 0)
    ctx->deviceNewer &= ~bitOf(region);
  if (writable)
    ctx->hostNewer |= bitOf(region);
  return host;
}

/// Sets the extent of a data set's or order's buffer to `count` and
/// points it at `host`; on the GPU, copies it to device memory of its own
/// (and forgets the host address, which the caller may free).
bool setDataBuffer(mnistc_ctx *ctx, int index, const void *host,
                   int32_t count) {
  halide_buffer_t &b = ctx->buffers[index];
  b.dim[b.dimensions - 1].extent = count;
  b.host = const_cast<uint8_t *>(static_cast<const uint8_t *>(host));
  if (!ctx->device)
    return true;
  int status = ctx->device->place(b);
  b.host = nullptr;
  return status == 0;
}

/// The batch at places offset .. offset+n-1 of the order, gathered from
/// the data set into the images and labels buffers (on the GPU, in device
/// memory): the prepare of the steps _at a place. Returns 0, -1 for places outside the order, or the kernel's
/// error code.
int32_t gather(mnistc_ctx *ctx, int32_t offset, int32_t n) {
  if (!ctx || ctx->orderCount == 0 || offset < 0 || n < 1 ||
      n > ctx->orderCount - offset ||
      !prepare(ctx, n, ctx->batchImages.data(), ctx->batchLabels.data(),
               nullptr, /*sendBatch=*/false))
    return -1;
  ctx->offsetScalar = offset;
  return ctx->steps->gather(ctx->pointers.data(), ctx->scalars);
}

/// The train step's work once its batch is in place.
int32_t trainStep(mnistc_ctx *ctx, int32_t n, float lr, float *loss,
                  int32_t *correct) {
  ctx->learningRate = lr;
  ctx->stepScalar = static_cast<int32_t>(ctx->step + 1);
  ctx->firstScalar = 0;
  profile().step(0, n, deviceBuffer(ctx));
  int32_t status = ctx->steps->train(ctx->pointers.data(), ctx->scalars);
  if (status == 0) {
    ++ctx->step;
    ctx->deviceNewer = bitOf(Region::Params) | bitOf(Region::State) |
                       bitOf(Region::Gradients);
  }
  return results(ctx, status, loss, correct);
}

/// mnistc_compute_gradients's work once its batch is in place.
int32_t computeGradients(mnistc_ctx *ctx, int32_t n, int32_t first,
                         float *loss, int32_t *correct) {
  ctx->stepScalar = static_cast<int32_t>(ctx->step + 1);
  ctx->firstScalar = first;
  profile().step(0, n, deviceBuffer(ctx));
  int32_t status = ctx->steps->gradients(ctx->pointers.data(), ctx->scalars);
  if (status == 0) // BatchNormalization's moving statistics are parameters
    ctx->deviceNewer |= bitOf(Region::Params) | bitOf(Region::Gradients);
  return results(ctx, status, loss, correct);
}

/// mnistc_eval_step's work once its batch is in place.
int32_t evalStep(mnistc_ctx *ctx, int32_t n, float *loss, int32_t *correct) {
  profile().step(1, n, deviceBuffer(ctx));
  int32_t status = ctx->steps->eval(ctx->pointers.data(), ctx->scalars);
  return results(ctx, status, loss, correct);
}

} // namespace

extern "C" {

int32_t mnistc_train_step(mnistc_ctx *ctx, const float *images,
                          const void *labels, int32_t n, float lr,
                          float *loss, int32_t *correct) {
  if (!prepare(ctx, n, images, labels, nullptr))
    return -1;
  return trainStep(ctx, n, lr, loss, correct);
}

int32_t mnistc_compute_gradients(mnistc_ctx *ctx, const float *images,
                                 const void *labels, int32_t n,
                                 int32_t first, float *loss,
                                 int32_t *correct) {
  if (first < 0 || !prepare(ctx, n, images, labels, nullptr))
    return -1;
  return computeGradients(ctx, n, first, loss, correct);
}

int32_t mnistc_set_dataset(mnistc_ctx *ctx, const float *images,
                           const int32_t *labels, int32_t count) {
  if (!ctx || ctx->dataImages < 0 || !images || !labels || count < 1)
    return -1;
  const mnistc_model_info &info = *mnistc_model_describe();
  if (int64_t(count) * info.input_size * int64_t(sizeof(float)) > INT32_MAX)
    return -1; // past Halide's 32-bit addressing
  for (int32_t i = 0; i < count; ++i)
    if (labels[i] < 0 || labels[i] >= info.num_classes)
      return -1;
  ctx->dataCount = ctx->orderCount = 0;
  if (ctx->batchImages.size() == 0) // int32 and float labels alike
    for (auto [buffer, batch] : {std::pair{ctx->images, &ctx->batchImages},
                                 std::pair{ctx->labels, &ctx->batchLabels}})
      batch->assign(BufferRecord::read(mnistc_gen_buffers, buffer)
                        .bytes(ctx->maxBatch) / sizeof(float));
  if (!setDataBuffer(ctx, ctx->dataImages, images, count) ||
      !setDataBuffer(ctx, ctx->dataLabels, labels, count))
    return -1;
  ctx->dataCount = count;
  return 0;
}

int32_t mnistc_set_order(mnistc_ctx *ctx, const int32_t *order,
                         int32_t count) {
  if (!ctx || ctx->dataCount == 0 || !order || count < 1 ||
      int64_t(count) * int64_t(sizeof(int32_t)) > INT32_MAX)
    return -1;
  for (int32_t i = 0; i < count; ++i)
    if (order[i] < 0 || order[i] >= ctx->dataCount)
      return -1;
  ctx->orderCount = 0;
  ctx->orderHost.assign(order, order + count);
  if (!setDataBuffer(ctx, ctx->order, ctx->orderHost.data(), count))
    return -1;
  ctx->orderCount = count;
  return 0;
}

int32_t mnistc_train_step_at(mnistc_ctx *ctx, int32_t offset, int32_t n,
                             float lr, float *loss, int32_t *correct) {
  if (int32_t status = gather(ctx, offset, n))
    return status;
  return trainStep(ctx, n, lr, loss, correct);
}

int32_t mnistc_compute_gradients_at(mnistc_ctx *ctx, int32_t offset,
                                    int32_t n, int32_t first, float *loss,
                                    int32_t *correct) {
  if (first < 0)
    return -1;
  if (int32_t status = gather(ctx, offset, n))
    return status;
  return computeGradients(ctx, n, first, loss, correct);
}

int32_t mnistc_apply_update(mnistc_ctx *ctx, float lr) {
  if (!ctx || !sendHostChanges(ctx))
    return -1;
  ctx->learningRate = lr;
  ctx->stepScalar = static_cast<int32_t>(ctx->step + 1);
  int32_t status = ctx->steps->update(ctx->pointers.data(), ctx->scalars);
  if (status == 0) {
    ++ctx->step;
    ctx->deviceNewer |= bitOf(Region::Params) | bitOf(Region::State);
  }
  return status;
}

float *mnistc_gradient_buffer(mnistc_ctx *ctx) {
  return hostCopy(ctx, Region::Gradients, ctx->gradients.data(), true);
}

int32_t mnistc_device_gradients(mnistc_ctx *ctx, void **cuda_context,
                                uint64_t *pointer) {
  if (!ctx || !ctx->device || !cuda_context || !pointer ||
      !sendHostChanges(ctx))
    return -1;
  // The caller may write there: the host copy is stale from now on.
  ctx->deviceNewer |= bitOf(Region::Gradients);
  return ctx->device->locate(Region::Gradients, *cuda_context, *pointer);
}

int32_t mnistc_eval_step(mnistc_ctx *ctx, const float *images,
                         const void *labels, int32_t n, float *loss,
                         int32_t *correct) {
  if (!prepare(ctx, n, images, labels, nullptr))
    return -1;
  return evalStep(ctx, n, loss, correct);
}

int32_t mnistc_eval_step_at(mnistc_ctx *ctx, int32_t offset, int32_t n,
                            float *loss, int32_t *correct) {
  if (int32_t status = gather(ctx, offset, n))
    return status;
  return evalStep(ctx, n, loss, correct);
}

int32_t mnistc_forward(mnistc_ctx *ctx, const float *images, int32_t n,
                       float *probabilities) {
  if (!prepare(ctx, n, images, nullptr, probabilities))
    return -1;
  profile().step(2, n, deviceBuffer(ctx));
  int32_t status = ctx->steps->forward(ctx->pointers.data(), ctx->scalars);
  if (status == 0 && ctx->device && ctx->probs >= 0)
    status = ctx->device->download(ctx->buffers[ctx->probs]);
  return status;
}

float *mnistc_params(mnistc_ctx *ctx) {
  return hostCopy(ctx, Region::Params, ctx->params.data(), true);
}
float *mnistc_state(mnistc_ctx *ctx) {
  return hostCopy(ctx, Region::State, ctx->state.data(), true);
}
int64_t *mnistc_step_count(mnistc_ctx *ctx) { return &ctx->step; }
const float *mnistc_gradients(mnistc_ctx *ctx) {
  return hostCopy(ctx, Region::Gradients, ctx->gradients.data(), false);
}
void mnistc_memory(const mnistc_ctx *ctx, mnistc_memory_usage *usage) {
  if (!ctx || !usage)
    return;
  usage->params = int64_t(ctx->params.size() * sizeof(float));
  usage->gradients = int64_t(ctx->gradients.size() * sizeof(float));
  usage->state = int64_t(ctx->state.size() * sizeof(float));
  usage->arena = ctx->arenaBytes;
  usage->scratch = scratchBytes();
}


} // extern "C"
