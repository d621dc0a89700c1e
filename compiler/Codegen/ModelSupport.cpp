//===- ModelSupport.cpp - The generic half of every model.so --------------===//
//
// Linked into every model.so (as libmnistc_model_support.a, position
// independent): the C ABI of runtime/include/mnistc/model.h implemented
// over what mnistc generated for one model:
//   mnistc_gen_info      text: the model's description (ModelInfo.cpp)
//   mnistc_gen_summary   text: the Keras-style summary table
//   mnistc_gen_buffers   int64 table: every buffer (BufferTable.h)
//   mnistc_gen_train/eval/forward   the step functions (orchestration),
//                        each calling the Halide kernels in order with
//                        (halide_buffer_t **buffers, void **scalars), and
//                        mnistc_profile_mark around them
//   mnistc_gen_calls     text: each step's kernel calls, for profiles
// It holds no layer math: contexts, the buffer table, Keras's
// initializers, and handing the step's results back. Every buffer is
// allocated once in mnistc_create; a step only patches batch extents and
// the host pointers of the caller's images, labels and outputs. The
// kernels' own scratch comes from a pool (HalideHooks.h), so after the
// first step a step makes no system allocation at all. The per-kernel
// profile is KernelProfile.h's.
//
//===----------------------------------------------------------------------===//
#include "compiler/Codegen/BufferTable.h"
#include "compiler/Codegen/DeviceMirror.h"
#include "compiler/Codegen/HalideHooks.h"
#include "compiler/Codegen/KernelProfile.h"
#include "runtime/include/mnistc/model.h"

#include "HalideRuntime.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <climits>
#include <deque>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

using namespace mnistc::codegen;

extern "C" {
extern const char mnistc_gen_info[];
extern const char mnistc_gen_summary[];
extern const int64_t mnistc_gen_buffers[];
int32_t mnistc_gen_train(halide_buffer_t **buffers, void **scalars);
int32_t mnistc_gen_eval(halide_buffer_t **buffers, void **scalars);
int32_t mnistc_gen_forward(halide_buffer_t **buffers, void **scalars);
}

namespace {

/// The description, parsed once from mnistc_gen_info.
struct Description {
  mnistc_model_info info{};
  std::vector<mnistc_param> params;
  std::string fingerprint;
  std::deque<std::string> strings; // stable storage for the char pointers

  const char *keep(std::string s) {
    strings.push_back(std::move(s));
    return strings.back().c_str();
  }
};

/// Freed when the library is unloaded, like everything a model.so holds.
const Description &description() {
  static const std::unique_ptr<Description> d = [] {
    auto d = std::make_unique<Description>();
    mnistc_model_info &info = d->info;
    std::istringstream in(mnistc_gen_info);
    std::string key, s1, s2, s3;
    while (in >> key) {
      if (key == "abi") {
        in >> info.abi_version;
      } else if (key == "name") {
        in >> s1;
        info.name = d->keep(s1);
      } else if (key == "target") {
        in >> s1;
        info.target = d->keep(s1);
      } else if (key == "input") {
        in >> info.input_rank;
        info.input_size = 1;
        for (int i = 0; i < info.input_rank; ++i) {
          in >> info.input_shape[i];
          info.input_size *= info.input_shape[i];
        }
      } else if (key == "classes") {
        in >> info.num_classes >> info.sparse_labels;
      } else if (key == "sizes") {
        in >> info.param_floats >> info.state_floats;
      } else if (key == "optimizer") {
        in >> s1 >> info.learning_rate;
        info.optimizer = d->keep(s1);
      } else if (key == "loss") {
        in >> s1;
        info.loss = d->keep(s1);
      } else if (key == "fit") {
        in >> info.batch_size >> info.epochs >> info.validation_split >>
            info.shuffle >> info.seed;
      } else if (key == "callbacks") {
        std::getline(in >> std::ws, s1);
        info.callbacks = d->keep(s1);
      } else if (key == "fingerprint") {
        in >> d->fingerprint;
      } else if (key == "param") {
        mnistc_param p{};
        in >> s1 >> s2 >> s3 >> p.trainable >> p.fan_in >> p.fan_out >>
            p.offset >> p.size >> p.rank;
        for (int i = 0; i < p.rank && i < MNISTC_MAX_RANK; ++i)
          in >> p.shape[i];
        p.layer = d->keep(s1);
        p.name = d->keep(s2);
        p.initializer = d->keep(s3);
        d->params.push_back(p);
      }
    }
    info.num_params = static_cast<int32_t>(d->params.size());
    info.params = d->params.data();
    return d;
  }();
  return *d;
}

/// SplitMix64: a small counter-based generator, identical on every
/// machine, so a seed gives the same initial weights everywhere.
struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double uniform() { return (next() >> 11) * 0x1.0p-53; }
  /// Standard normal (Box-Muller).
  double normal() {
    double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log1p(-u1)) * std::cos(2 * M_PI * u2);
  }
};

/// Keras's initializers (KERAS_SEMANTICS §5) into `out`.
void initialize(const mnistc_param &p, float *out, SplitMix64 &rng) {
  std::string init = p.initializer;
  double fanIn = std::max<int64_t>(1, p.fan_in);
  double fanAvg = std::max(1.0, (p.fan_in + p.fan_out) / 2.0);
  bool glorot = init.rfind("glorot", 0) == 0;
  double scale = glorot ? 1.0 / fanAvg : 2.0 / fanIn; // he: 2/fan_in
  for (int64_t i = 0; i < p.size; ++i) {
    double v = 0;
    if (init == "ones") {
      v = 1;
    } else if (init == "glorot_uniform" || init == "he_uniform") {
      double limit = std::sqrt(3.0 * scale);
      v = (2 * rng.uniform() - 1) * limit;
    } else if (init == "glorot_normal" || init == "he_normal") {
      double sigma = std::sqrt(scale) / 0.87962566103423978;
      do
        v = rng.normal();
      while (std::fabs(v) > 2.0);
      v *= sigma;
    }
    out[i] = static_cast<float>(v);
  }
}

} // namespace

struct mnistc_ctx;
namespace {
void resolveViews(mnistc_ctx *ctx);
} // namespace

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

/// A context: the buffers of every step for batches up to max_batch.
struct mnistc_ctx {
  int32_t maxBatch = 0;
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
  void *scalars[kNumScalars] = {};
  int images = -1, labels = -1, loss = -1, correct = -1, probs = -1;
  /// CUDA model.so only: the GPU copies (declared last: detached before
  /// the buffers go), and which regions' host copies may be newer
  /// (initialized, or handed out by mnistc_params or mnistc_state: they go
  /// to the GPU before the next step) or older (a training step changed
  /// them on the GPU: they come back when handed out). Bit 1 << Region.
  std::unique_ptr<DeviceMirror> device;
  unsigned hostNewer = 0, deviceNewer = 0;
};

constexpr unsigned bitOf(Region r) { return 1u << static_cast<int>(r); }

namespace {
/// A view (Flatten, Reshape) reads its target's storage; targets come
/// first in the table.
void resolveViews(mnistc_ctx *ctx) {
  for (size_t i = 0; i < ctx->buffers.size(); ++i)
    if (ctx->aliases[i] >= 0)
      ctx->buffers[i].host = ctx->buffers[ctx->aliases[i]].host;
}

/// Records why a GPU context cannot be made, for mnistc_last_error.
void recordDeviceError(std::string why) {
  if (why.find("Could not find cuda system libraries") != std::string::npos)
    why = "the NVIDIA driver's library libcuda.so is not installed (or not "
          "on the library path)";
  recordError(nullptr, ("cannot use the GPU: " + why).c_str());
}

/// A CUDA model.so's context: every buffer on the GPU (DeviceMirror.h).
/// False, with the reason recorded, when there is no usable GPU.
bool mirrorOnDevice(mnistc_ctx *ctx, uint8_t *arena) {
  const halide_device_interface_t *cuda = cudaDeviceInterface();
  if (!cuda) {
    recordDeviceError("this model.so has no CUDA runtime");
    return false;
  }
  static std::once_flag reuse;
  std::call_once(reuse, [] { halide_reuse_device_allocations(nullptr, true); });
  ctx->device = std::make_unique<DeviceMirror>(cuda);
  DeviceMirror &device = *ctx->device;
  const Description &d = description();
  int64_t count = mnistc_gen_buffers[0];
  // The per-step regions hold one batch of their largest buffer.
  int64_t stepBytes[DeviceMirror::kRegions] = {};
  for (int64_t i = 0; i < count; ++i) {
    BufferRecord r = BufferRecord::read(mnistc_gen_buffers, i);
    int64_t &bytes = stepBytes[static_cast<int>(r.region)];
    bytes = std::max(bytes, r.bytes(ctx->maxBatch));
  }
  int64_t floatBytes = sizeof(float);
  int status =
      device.allocate(Region::Arena, ctx->arenaBytes, arena) ||
      device.allocate(Region::Params, d.info.param_floats * floatBytes,
                      ctx->params.data()) ||
      device.allocate(Region::State, d.info.state_floats * floatBytes,
                      ctx->state.data()) ||
      device.allocate(Region::Gradients, d.info.param_floats * floatBytes,
                      ctx->gradients.data());
  for (Region r : {Region::Images, Region::Labels, Region::Probabilities})
    status = status || device.allocate(r, stepBytes[static_cast<int>(r)],
                                       nullptr);
  ArenaSize arenaSize = ArenaSize::of(mnistc_gen_buffers);
  for (int64_t i = 0; i < count && status == 0; ++i) {
    BufferRecord r = BufferRecord::read(mnistc_gen_buffers, i);
    halide_buffer_t &b = ctx->buffers[i];
    if (r.alias >= 0)
      status = device.wrapView(b, ctx->buffers[r.alias]);
    else
      status = device.wrap(b, r.region,
                           r.region == Region::Arena
                               ? arenaSize.offsetOf(r, ctx->maxBatch)
                           : r.region == Region::Params ||
                                   r.region == Region::State ||
                                   r.region == Region::Gradients
                               ? r.offset
                               : 0);
  }
  if (status != 0) {
    recordDeviceError(mnistc_last_error());
    ctx->device.reset();
    return false;
  }
  ctx->hostNewer = bitOf(Region::Params) | bitOf(Region::State);
  return true;
}

/// mnistc_create's work; throws std::bad_alloc when memory runs out.
/// Null when a buffer at this batch would pass what Halide addresses
/// (2^31 bytes: its strides and offsets are 32-bit).
mnistc_ctx *createContext(int32_t maxBatch) {
  for (int64_t i = 0; i < mnistc_gen_buffers[0]; ++i)
    if (BufferRecord::read(mnistc_gen_buffers, i).bytes(maxBatch) > INT32_MAX)
      return nullptr;
  const Description &d = description();
  auto owned = std::make_unique<mnistc_ctx>();
  mnistc_ctx *ctx = owned.get();
  ctx->maxBatch = maxBatch;
  ctx->params.assign(d.info.param_floats);
  ctx->state.assign(d.info.state_floats);
  ctx->gradients.assign(d.info.param_floats);
  int64_t count = mnistc_gen_buffers[0];
  ctx->buffers.resize(count);
  ctx->dims.resize(count * kMaxRank);
  ctx->batchDims.resize(count);
  ctx->aliases.resize(count);
  // The arena, laid out by the compiler's memory plan.
  ArenaSize arenaSize = ArenaSize::of(mnistc_gen_buffers);
  ctx->arenaBytes = arenaSize.bytes(maxBatch);
  ctx->arena.assign(ctx->arenaBytes + kArenaAlign, 0);
  uint8_t *arena = ctx->arena.data();
  arena += (kArenaAlign - reinterpret_cast<uintptr_t>(arena) % kArenaAlign) %
           kArenaAlign;
  // Pass 2: the halide_buffer_t of each buffer.
  for (int64_t i = 0; i < count; ++i) {
    BufferRecord r = BufferRecord::read(mnistc_gen_buffers, i);
    halide_buffer_t &b = ctx->buffers[i];
    halide_dimension_t *dim = &ctx->dims[i * kMaxRank];
    b = halide_buffer_t();
    b.type.code = static_cast<halide_type_code_t>(r.typeCode);
    b.type.bits = static_cast<uint8_t>(r.typeBits);
    b.type.lanes = 1;
    b.dimensions = r.rank;
    b.dim = dim;
    int32_t stride = 1;
    for (int k = 0; k < r.rank; ++k) {
      dim[k].min = 0;
      dim[k].extent =
          static_cast<int32_t>(k == r.batchDim ? maxBatch : r.extents[k]);
      dim[k].stride = stride;
      stride *= dim[k].extent;
    }
    ctx->batchDims[i] = r.batchDim;
    ctx->aliases[i] = r.alias;
    uint8_t *host = nullptr;
    switch (r.region) {
    case Region::Arena:
      if (r.alias < 0)
        host = arena + arenaSize.offsetOf(r, maxBatch);
      break;
    case Region::Params:
      host = reinterpret_cast<uint8_t *>(ctx->params.data()) + r.offset;
      break;
    case Region::State:
      host = reinterpret_cast<uint8_t *>(ctx->state.data()) + r.offset;
      break;
    case Region::Gradients:
      host = reinterpret_cast<uint8_t *>(ctx->gradients.data()) + r.offset;
      break;
    case Region::Images: ctx->images = i; break;
    case Region::Labels: ctx->labels = i; break;
    case Region::Probabilities: ctx->probs = i; break;
    }
    if (r.role == Role::Loss)
      ctx->loss = i;
    if (r.role == Role::Correct)
      ctx->correct = i;
    b.host = host;
  }
  resolveViews(ctx);
  if (std::strstr(d.info.target, "cuda") && !mirrorOnDevice(ctx, arena))
    return nullptr;
  for (halide_buffer_t &b : ctx->buffers)
    ctx->pointers.push_back(&b);
  ctx->scalars[kLearningRateSlot] = &ctx->learningRate;
  ctx->scalars[kStepSlot] = &ctx->stepScalar;
  ctx->scalars[kSeedSlot] = &ctx->seedScalar;
  return owned.release();
}

} // namespace

extern "C" {

const mnistc_model_info *mnistc_model_describe(void) {
  return &description().info;
}

mnistc_ctx *mnistc_create(int32_t maxBatch) {
  if (maxBatch < 1)
    return nullptr;
  static std::once_flag pooled;
  std::call_once(pooled, installHalideHooks);
  // The ABI promises null, never an exception, when memory runs out.
  try {
    return createContext(maxBatch);
  } catch (const std::bad_alloc &) {
    return nullptr;
  }
}

void mnistc_destroy(mnistc_ctx *ctx) { delete ctx; }

void mnistc_init_params(mnistc_ctx *ctx, uint64_t seed) {
  const Description &d = description();
  for (size_t i = 0; i < d.params.size(); ++i) {
    // One stream per parameter tensor: adding a layer does not change the
    // initial weights of the others.
    SplitMix64 rng{seed * 0x9E3779B97F4A7C15ull + i};
    initialize(d.params[i], ctx->params.data() + d.params[i].offset, rng);
  }
  ctx->state.clear();
  ctx->hostNewer = bitOf(Region::Params) | bitOf(Region::State);
  ctx->deviceNewer = 0;
  ctx->step = 0;
  ctx->seedScalar = static_cast<uint32_t>(seed ^ (seed >> 32));
}

} // extern "C"

namespace {

/// Points the step's external buffers at the caller's memory and sets the
/// batch extent of every batch-sized buffer; on the GPU, sends what the
/// host changed and the batch.
bool prepare(mnistc_ctx *ctx, int32_t n, const float *images,
             const void *labels, float *probs) {
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
  DeviceMirror &device = *ctx->device;
  for (Region r : {Region::Params, Region::State})
    if ((ctx->hostNewer & bitOf(r)) && device.upload(r))
      return false;
  ctx->hostNewer = 0;
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

} // namespace

extern "C" {

int32_t mnistc_train_step(mnistc_ctx *ctx, const float *images,
                          const void *labels, int32_t n, float lr,
                          float *loss, int32_t *correct) {
  if (!prepare(ctx, n, images, labels, nullptr))
    return -1;
  ctx->learningRate = lr;
  ctx->stepScalar = static_cast<int32_t>(ctx->step + 1);
  profile().step(0, n, deviceBuffer(ctx));
  int32_t status = mnistc_gen_train(ctx->pointers.data(), ctx->scalars);
  if (status == 0) {
    ++ctx->step;
    ctx->deviceNewer = bitOf(Region::Params) | bitOf(Region::State) |
                       bitOf(Region::Gradients);
  }
  return results(ctx, status, loss, correct);
}

int32_t mnistc_eval_step(mnistc_ctx *ctx, const float *images,
                         const void *labels, int32_t n, float *loss,
                         int32_t *correct) {
  if (!prepare(ctx, n, images, labels, nullptr))
    return -1;
  profile().step(1, n, deviceBuffer(ctx));
  int32_t status = mnistc_gen_eval(ctx->pointers.data(), ctx->scalars);
  return results(ctx, status, loss, correct);
}

int32_t mnistc_forward(mnistc_ctx *ctx, const float *images, int32_t n,
                       float *probabilities) {
  if (!prepare(ctx, n, images, nullptr, probabilities))
    return -1;
  profile().step(2, n, deviceBuffer(ctx));
  int32_t status = mnistc_gen_forward(ctx->pointers.data(), ctx->scalars);
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


const char *mnistc_model_summary(void) { return mnistc_gen_summary; }
const char *mnistc_model_fingerprint(void) {
  return description().fingerprint.c_str();
}

} // extern "C"

// What a model.so holds for the process goes back when the library is
// unloaded (dlclose, or the end of the process), so a program that loads
// and unloads models does not leak, as LeakSanitizer found
// (docs/reliability.md): the scratch pool, and the 72 KB emergency buffer
// for exceptions that the private libstdc++ inside every model.so
// allocates when it is loaded. (The description is a static unique_ptr,
// freed by the C++ runtime.)
namespace __gnu_cxx {
void __freeres() noexcept;
}
__attribute__((destructor)) static void releaseOnUnload() {
  releaseHalideHooks();
  releaseProfile();
  __gnu_cxx::__freeres();
}
