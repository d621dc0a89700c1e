//===- model_library.h - Loading a model.so built by mnistc ---------------===//
//
// A ModelLibrary is one model.so opened with dlopen and checked against the
// C ABI of model.h, in this order, each failure a Status naming the file:
//
//  1. the path is a regular file (not missing, not a directory);
//  2. dlopen accepts it (it is a shared library for this machine);
//  3. it exports `mnistc_model_describe` itself (not through a library it
//     depends on), so it is an mnistc model; nothing of it is called before;
//  4. describe() returns a description whose abi_version is this runtime's
//     MNISTC_ABI_VERSION ("rebuild it with this mnistc" otherwise);
//  5. every other function of the ABI resolves.
//
// A model linked into the program at link time (`c++ app.cpp model.so`)
// is adopted instead: adopt() takes its functions as a ModelApi
// (linkedModelApi() in linked_model.h fills one from model.h's symbols),
// runs checks 4 and 5 (a null function pointer failing 5), and never
// dlopens or dlcloses anything.
//
// A ModelContext owns one mnistc_ctx (mnistc_create / mnistc_destroy) and
// turns the steps' non-zero return codes into Status values. The library
// must stay open while any of its contexts lives.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_RUNTIME_MODEL_LIBRARY_H
#define MNISTC_RUNTIME_MODEL_LIBRARY_H

#include "mnistc/dataset.h"
#include "mnistc/model.h"
#include "mnistc/status.h"

#include <cstdint>
#include <string>

namespace mnistc::rt {

/// The functions of the ABI, resolved from one model.so (open) or given by
/// the program (adopt).
struct ModelApi {
  decltype(&mnistc_model_describe) describe = nullptr;
  decltype(&mnistc_create) create = nullptr;
  decltype(&mnistc_destroy) destroy = nullptr;
  decltype(&mnistc_init_params) initParams = nullptr;
  decltype(&mnistc_train_step) trainStep = nullptr;
  decltype(&mnistc_eval_step) evalStep = nullptr;
  decltype(&mnistc_forward) forward = nullptr;
  decltype(&mnistc_params) params = nullptr;
  decltype(&mnistc_state) state = nullptr;
  decltype(&mnistc_step_count) stepCount = nullptr;
  /// Optional: null for a model.so from an mnistc before it existed.
  decltype(&mnistc_model_summary) summary = nullptr;
  decltype(&mnistc_model_fingerprint) fingerprint = nullptr;
  decltype(&mnistc_memory) memory = nullptr;
  decltype(&mnistc_profile) profile = nullptr;
  decltype(&mnistc_last_error) lastError = nullptr;
  decltype(&mnistc_profile_report) profileReport = nullptr;
  decltype(&mnistc_compute_gradients) computeGradients = nullptr;
  decltype(&mnistc_apply_update) applyUpdate = nullptr;
  decltype(&mnistc_gradient_buffer) gradientBuffer = nullptr;
  decltype(&mnistc_device_gradients) deviceGradients = nullptr;
  decltype(&mnistc_set_dataset) setDataset = nullptr;
  decltype(&mnistc_set_order) setOrder = nullptr;
  decltype(&mnistc_train_step_at) trainStepAt = nullptr;
  decltype(&mnistc_compute_gradients_at) computeGradientsAt = nullptr;
  decltype(&mnistc_eval_step_at) evalStepAt = nullptr;
  decltype(&mnistc_model_variants) variants = nullptr;
};

/// One loaded model.so, or one adopted model. Move-only; closes the library
/// when destroyed.
class ModelLibrary {
public:
  ModelLibrary() = default;
  ~ModelLibrary();
  ModelLibrary(ModelLibrary &&other) noexcept;
  ModelLibrary &operator=(ModelLibrary &&other) noexcept;
  ModelLibrary(const ModelLibrary &) = delete;
  ModelLibrary &operator=(const ModelLibrary &) = delete;

  /// Opens and checks `path` (steps 1-5 above). A path without a slash is
  /// taken relative to the working directory, never searched for on the
  /// library path. On failure nothing stays loaded.
  Status open(const std::string &path);

  /// Uses a model whose functions are already in the process, typically
  /// linked at link time: `adopt(linkedModelApi(), "digits.so")`
  /// (linked_model.h). Runs checks 4 and 5 above on `api` (describe() must
  /// report this runtime's ABI version, every function but the optional
  /// summary, fingerprint, memory, profile and last-error functions must
  /// be non-null) and the same check of the description as open(); `name`
  /// takes the place of the path in messages and in path(). Nothing is ever
  /// dlopened or dlclosed; close() only forgets the functions.
  Status adopt(const ModelApi &api, std::string name);

  /// Unloads the library (or forgets an adopted model); every context must
  /// be gone.
  void close();

  /// True after a successful open() or adopt().
  bool isOpen() const { return info_ != nullptr; }
  /// The path as given to open(), or the name given to adopt().
  const std::string &path() const { return path_; }
  /// The model's description (valid while open).
  const mnistc_model_info &info() const { return *info_; }
  const ModelApi &api() const { return api_; }
  /// The target the model's CPU code runs with: info().target, and for a
  /// model.so of several variants (--target=portable) which one runs here,
  /// "avx512 variant of 2: x86-64-linux-...".
  std::string target() const;

private:
  /// The dlopen handle; null for an adopted model.
  void *handle_ = nullptr;
  std::string path_;
  const mnistc_model_info *info_ = nullptr;
  ModelApi api_;
};

/// One mnistc_ctx: the model's buffers for batches of up to maxBatch images.
/// Move-only; destroys the context when destroyed.
class ModelContext {
public:
  ModelContext() = default;
  ~ModelContext();
  ModelContext(ModelContext &&other) noexcept;
  ModelContext &operator=(ModelContext &&other) noexcept;
  ModelContext(const ModelContext &) = delete;
  ModelContext &operator=(const ModelContext &) = delete;

  /// Creates a context of `library` (which must stay open while it lives)
  /// for batches of 1..maxBatch images. Parameters start at zero.
  Status create(const ModelLibrary &library, int32_t maxBatch);
  void reset();

  bool isCreated() const { return ctx_ != nullptr; }
  int32_t maxBatch() const { return maxBatch_; }
  const mnistc_model_info &info() const { return *info_; }
  /// The model file, for messages.
  const std::string &path() const { return path_; }
  /// mnistc_memory(): what this context holds, in bytes; false for a
  /// model.so without it.
  bool memory(mnistc_memory_usage &usage) const {
    if (!api_.memory)
      return false;
    api_.memory(ctx_, &usage);
    return true;
  }
  /// mnistc_profile(on): per-kernel timing of the model.so's steps; false
  /// for a model.so without it.
  bool profile(bool on) const {
    if (!api_.profile)
      return false;
    api_.profile(on ? 1 : 0);
    return true;
  }
  /// mnistc_profile_report(), or "" for a model.so without it.
  std::string profileReport() const {
    return api_.profileReport ? api_.profileReport() : "";
  }
  /// mnistc_model_fingerprint(), or "" for a model.so without one.
  std::string fingerprint() const {
    return api_.fingerprint ? api_.fingerprint() : "";
  }

  /// Keras's initializers from `seed`; optimizer state and step count reset.
  void initParams(uint64_t seed);

  /// mnistc_train_step: forward, loss, backward, update with `lr`. `labels`
  /// are int32 [n] when info().sparse_labels, else float32 [n][classes].
  Status trainStep(const float *images, const void *labels, int32_t n,
                   float lr, float &loss, int32_t &correct);
  /// True when the model.so has the train step's two halves
  /// (mnistc_compute_gradients, mnistc_apply_update).
  bool canSplitSteps() const {
    return api_.computeGradients && api_.applyUpdate && api_.gradientBuffer;
  }
  /// mnistc_compute_gradients on images first..first+n-1 of a batch.
  Status computeGradients(const float *images, const void *labels,
                          int32_t n, int32_t first, float &loss,
                          int32_t &correct);
  /// mnistc_apply_update with `lr`.
  Status applyUpdate(float lr);
  /// mnistc_gradient_buffer (info().param_floats floats, writable).
  float *gradientBuffer() { return api_.gradientBuffer(ctx_); }
  /// mnistc_device_gradients: false for a CPU model.so.
  bool deviceGradients(void *&cudaContext, uint64_t &pointer) {
    return api_.deviceGradients &&
           api_.deviceGradients(ctx_, &cudaContext, &pointer) == 0;
  }
  /// True when the model.so steps from a data set it holds
  /// (mnistc_set_dataset, mnistc_set_order, the steps _at a place).
  bool canStepFromDataset() const {
    return api_.setDataset && api_.setOrder && api_.trainStepAt &&
           api_.computeGradientsAt && api_.evalStepAt;
  }
  /// mnistc_set_dataset of `data` (kept alive and unchanged by the caller
  /// while the context steps from it: a CPU model.so reads it in place).
  Status setDataset(const Dataset &data);
  /// mnistc_set_order: `count` places in the data set.
  Status setOrder(const uint32_t *order, size_t count);
  /// mnistc_train_step_at: the train step on the images at places
  /// offset..offset+n-1 of the order.
  Status trainStepAt(int32_t offset, int32_t n, float lr, float &loss,
                     int32_t &correct);
  /// mnistc_compute_gradients_at: a shard's half step from the order.
  Status computeGradientsAt(int32_t offset, int32_t n, int32_t first,
                            float &loss, int32_t &correct);
  /// mnistc_eval_step_at: the eval step on places offset..offset+n-1.
  Status evalStepAt(int32_t offset, int32_t n, float &loss,
                    int32_t &correct);
  /// mnistc_eval_step: loss and correct count, no update (inference mode).
  Status evalStep(const float *images, const void *labels, int32_t n,
                  float &loss, int32_t &correct);
  /// mnistc_forward: class probabilities, float32 [n][classes].
  Status forward(const float *images, int32_t n, float *probabilities);

  /// The parameter buffer (info().param_floats floats).
  float *params();
  /// The optimizer state (info().state_floats floats).
  float *state();
  int64_t *stepCount();

private:
  Status stepFailed(const char *function, int32_t code, int32_t n) const;

  ModelApi api_;
  const mnistc_model_info *info_ = nullptr;
  std::string path_;
  mnistc_ctx *ctx_ = nullptr;
  int32_t maxBatch_ = 0;
};

} // namespace mnistc::rt

#endif
