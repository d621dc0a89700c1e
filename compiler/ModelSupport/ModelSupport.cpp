//===- ModelSupport.cpp - The generic half of every model.so --------------===//
//
// Linked into every model.so (as libmnistc_model_support.a, position
// independent): the C ABI of runtime/include/mnistc/model.h implemented
// over what mnistc generated for one model:
//   mnistc_gen_info      text: the model's description (ModelInfo.cpp)
//   mnistc_gen_summary   text: the Keras-style summary table
//   mnistc_gen_buffers   int64 table: every buffer (BufferTable.h)
//   mnistc_gen_train/eval/forward/gradients/update   the step functions
//                        (orchestration), each calling the Halide kernels
//                        in order with (halide_buffer_t **buffers,
//                        void **scalars), and mnistc_profile_mark around
//                        them; the ABI's steps around them are in
//                        StepFunctions.cpp
//   mnistc_gen_calls     text: each step's kernel calls, for profiles
//   mnistc_gen_variants, mnistc_gen_steps   the CPU variants (one unless
//                        --target=portable) and the step functions of each:
//                        the first whose target the CPU runs
//                        (CpuFeatures.h) is picked once, at the first
//                        describe or create; a CPU that runs none gets an
//                        error from mnistc_create, never an illegal
//                        instruction
// It holds no layer math: the description, contexts (ModelContext.h)
// laid out from the buffer table, and Keras's initializers; the steps are
// StepFunctions.cpp's. Every buffer is allocated once in mnistc_create; a
// step only patches batch extents and the host pointers of the caller's
// images, labels and outputs. The
// kernels' own scratch comes from a pool (HalideHooks.h), so after the
// first step a step makes no system allocation at all. The per-kernel
// profile is KernelProfile.h's.
//
//===----------------------------------------------------------------------===//
#include "compiler/ModelSupport/BufferTable.h"
#include "compiler/ModelSupport/DeviceMirror.h"
#include "compiler/ModelSupport/HalideHooks.h"
#include "compiler/ModelSupport/KernelProfile.h"
#include "compiler/ModelSupport/ModelContext.h"
#include "compiler/Support/CpuFeatures.h"
#include "runtime/include/mnistc/model.h"

#include "HalideRuntime.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <climits>
#include <deque>
#include <dlfcn.h>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

using namespace mnistc;
using namespace mnistc::modelso;

extern "C" {
extern const char mnistc_gen_info[];
extern const char mnistc_gen_summary[];
extern const int64_t mnistc_gen_buffers[];
extern const char mnistc_gen_variants[];
extern const StepTable mnistc_gen_steps[];
}

namespace {

/// The description, parsed once from mnistc_gen_info.
struct Description {
  mnistc_model_info info{};
  std::vector<mnistc_param> params;
  std::string fingerprint;
  std::deque<std::string> strings; // stable storage for the char pointers
  /// The variant that runs here (an index into mnistc_gen_steps), or -1
  /// with `cpuError` saying what this CPU lacks.
  int variant = -1;
  std::string cpuError;

  const char *keep(std::string s) {
    strings.push_back(std::move(s));
    return strings.back().c_str();
  }
};

/// This model.so's file, as it was loaded.
std::string libraryPath() {
  Dl_info where{};
  if (dladdr(reinterpret_cast<void *>(&mnistc_model_describe), &where) &&
      where.dli_fname)
    return where.dli_fname;
  return "this model.so";
}

/// Sets d.variant to the first variant whose target this CPU runs, and
/// info.target to its target (to the last variant's when none runs,
/// with d.cpuError saying what is missing).
void pickVariant(Description &d) {
  CpuFeatures cpu = runningCpuFeatures();
  std::istringstream lines(mnistc_gen_variants);
  std::string name, target;
  std::vector<std::pair<std::string, CpuFeatures>> missing;
  for (int v = 0; lines >> name >> target; ++v) {
    d.info.target = d.keep(target);
    missing = missingCpuFeatures(target, cpu);
    if (missing.empty()) {
      d.variant = v;
      return;
    }
  }
  std::string features, lacks, listed;
  for (const auto &[feature, extensions] : missing) {
    features += (features.empty() ? "" : ", ") + feature;
    listed += (listed.empty() ? "" : ", ") + cpuFeatureNames(extensions, ", ");
  }
  lacks = listed == features ? "" : " (it has no " + listed + ")";
  d.cpuError = libraryPath() + " was compiled for x86-64 with " + features +
               ", which this CPU lacks" + lacks +
               "; recompile it with --target=host or --target=portable";
}

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
    pickVariant(*d);
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
    if (isDataRegion(r.region))
      continue; // placed when set (mnistc_set_dataset, mnistc_set_order)
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
  const Description &d = description();
  if (d.variant < 0) {
    recordError(nullptr, d.cpuError.c_str());
    return nullptr;
  }
  for (int64_t i = 0; i < mnistc_gen_buffers[0]; ++i)
    if (BufferRecord::read(mnistc_gen_buffers, i).bytes(maxBatch) > INT32_MAX)
      return nullptr;
  auto owned = std::make_unique<mnistc_ctx>();
  mnistc_ctx *ctx = owned.get();
  ctx->maxBatch = maxBatch;
  ctx->steps = &mnistc_gen_steps[d.variant];
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
    // A data set's or order's extent is set with it, not per step.
    ctx->batchDims[i] = isDataRegion(r.region) ? -1 : r.batchDim;
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
    case Region::DataImages: ctx->dataImages = i; break;
    case Region::DataLabels: ctx->dataLabels = i; break;
    case Region::Order: ctx->order = i; break;
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
  ctx->scalars[kFirstSlot] = &ctx->firstScalar;
  ctx->scalars[kOffsetSlot] = &ctx->offsetScalar;
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
  recordError(nullptr, "");
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

const char *mnistc_model_summary(void) { return mnistc_gen_summary; }
const char *mnistc_model_variants(void) { return mnistc_gen_variants; }
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
