//===- ModelLibrary.cpp - Loading a model.so built by mnistc --------------===//
//
// dlopen, the ABI checks and the RAII wrappers of model_library.h. The
// checks run in the documented order so that the first message is the one
// that helps: a file that is not there, a file that is not a shared
// library, a library that is not an mnistc model, a model built by another
// mnistc (ABI version), and only then a missing function. adopt() runs the
// same checks from step 4 on, through the same helpers, for a model linked
// into the program at link time (linked_model.h).
//
//===----------------------------------------------------------------------===//
#include "mnistc/model_library.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <unistd.h>
#include <link.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <string>
#include <utility>

namespace mnistc::rt {
namespace {

/// What every "this is not a usable model" message ends with.
constexpr const char *kRebuildHint =
    "build one with `mnistc MODEL.dsl -o MODEL.so`";

/// An ELF file must hold every byte its headers point at: dlopen maps the
/// segments of a truncated one and the process dies of SIGBUS at the first
/// touch of a missing page. Checks the program headers' segments and the
/// section header table (which a linker writes last) against the file's
/// size; files that are not 64-bit ELF are left to dlopen to refuse.
Status checkElfSize(const std::string &path, uint64_t size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Status::error(path + ": cannot open the model: " +
                         std::strerror(errno) + "; " + kRebuildHint);
  auto read = [&](void *to, size_t bytes, uint64_t at) {
    return ::pread(fd, to, bytes, off_t(at)) == ssize_t(bytes);
  };
  auto truncated = [&](uint64_t needed) {
    return Status::error(path + ": is truncated: it has " +
                         std::to_string(size) + " bytes, but its ELF headers "
                         "describe " + std::to_string(needed) +
                         "; copy it again or " + kRebuildHint);
  };
  Status status = Status::success();
  Elf64_Ehdr header;
  unsigned char ident[EI_NIDENT] = {};
  if (read(ident, sizeof ident, 0) &&
      std::memcmp(ident, ELFMAG, SELFMAG) == 0 &&
      ident[EI_CLASS] == ELFCLASS64) {
    if (!read(&header, sizeof header, 0)) {
      status = truncated(sizeof header);
    } else {
      uint64_t end =
          std::max(header.e_shoff + uint64_t(header.e_shnum) * header.e_shentsize,
                   header.e_phoff + uint64_t(header.e_phnum) * sizeof(Elf64_Phdr));
      for (int i = 0; i < header.e_phnum && end <= size; ++i) {
        Elf64_Phdr segment;
        if (!read(&segment, sizeof segment,
                  header.e_phoff + uint64_t(i) * sizeof segment))
          break;
        if (segment.p_type == PT_LOAD)
          end = std::max(end, segment.p_offset + segment.p_filesz);
      }
      if (end > size)
        status = truncated(end);
    }
  }
  ::close(fd);
  return status;
}

std::string lastDlError() {
  const char *e = dlerror();
  return e ? e : "unknown dlopen error";
}

/// True when `symbol` lies in the object `handle` itself, not in one of the
/// libraries it depends on (dlsym searches those too).
bool definedIn(void *handle, void *symbol) {
  struct link_map *own = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &own) != 0 || !own)
    return true; // cannot tell; accept what dlsym found
  Dl_info where;
  struct link_map *found = nullptr;
  if (!dladdr1(symbol, &where, reinterpret_cast<void **>(&found),
               RTLD_DL_LINKMAP) ||
      !found)
    return true;
  return found == own;
}

using DescribeFn = decltype(&mnistc_model_describe);

/// One required function of the ABI and its slot in a ModelApi.
struct Entry {
  const char *name;
  void **slot;
};

/// The functions every model must have besides describe (step 5), in the
/// order they are checked.
std::array<Entry, 9> requiredFunctions(ModelApi &api) {
  return {{
      {"mnistc_create", reinterpret_cast<void **>(&api.create)},
      {"mnistc_destroy", reinterpret_cast<void **>(&api.destroy)},
      {"mnistc_init_params", reinterpret_cast<void **>(&api.initParams)},
      {"mnistc_train_step", reinterpret_cast<void **>(&api.trainStep)},
      {"mnistc_eval_step", reinterpret_cast<void **>(&api.evalStep)},
      {"mnistc_forward", reinterpret_cast<void **>(&api.forward)},
      {"mnistc_params", reinterpret_cast<void **>(&api.params)},
      {"mnistc_state", reinterpret_cast<void **>(&api.state)},
      {"mnistc_step_count", reinterpret_cast<void **>(&api.stepCount)},
  }};
}

/// Step 4: calls describe() and checks that there is a description and that
/// its ABI version is this runtime's. `name` starts the messages.
Status describeModel(const std::string &name, DescribeFn describe,
                     const mnistc_model_info *&info) {
  info = describe();
  if (!info)
    return Status::error(name + ": mnistc_model_describe returned no "
                                "description; the file is damaged; " +
                         kRebuildHint);
  if (info->abi_version != MNISTC_ABI_VERSION)
    return Status::error(
        name + ": was built for model ABI version " +
        std::to_string(info->abi_version) +
        ", but this mnistrt reads version " +
        std::to_string(MNISTC_ABI_VERSION) +
        "; rebuild it with this mnistc (`mnistc MODEL.dsl -o " + name + "`)");
  return Status::success();
}

/// The last check: a description the fit loop could not use is damage too.
Status checkPlausible(const std::string &name, const mnistc_model_info &info) {
  if (info.input_size <= 0 || info.num_classes <= 0 ||
      info.param_floats < 0 || info.state_floats < 0)
    return Status::error(
        name + ": describes an impossible model (input size " +
        std::to_string(info.input_size) + ", " +
        std::to_string(info.num_classes) + " classes); the file is damaged; " +
        kRebuildHint);
  return Status::success();
}

} // namespace

//===----------------------------------------------------------------------===//
// ModelLibrary
//===----------------------------------------------------------------------===//

ModelLibrary::~ModelLibrary() { close(); }

ModelLibrary::ModelLibrary(ModelLibrary &&other) noexcept {
  *this = std::move(other);
}

ModelLibrary &ModelLibrary::operator=(ModelLibrary &&other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
    path_ = std::move(other.path_);
    info_ = std::exchange(other.info_, nullptr);
    api_ = std::exchange(other.api_, ModelApi());
  }
  return *this;
}

void ModelLibrary::close() {
  if (handle_)
    dlclose(handle_);
  handle_ = nullptr;
  info_ = nullptr;
  api_ = ModelApi();
}

std::string ModelLibrary::target() const {
  std::string target = info_->target;
  if (!api_.variants)
    return target;
  // "<name> <target>" a line; the running one's target is info().target.
  std::istringstream lines(api_.variants());
  std::string name, variantTarget, running;
  int count = 0;
  while (lines >> name >> variantTarget) {
    ++count;
    if (running.empty() && variantTarget == target)
      running = name;
  }
  if (count < 2)
    return target;
  return running + " variant of " + std::to_string(count) + ": " + target;
}

Status ModelLibrary::open(const std::string &path) {
  close();
  path_ = path;

  // 1. A regular file. dlopen's own messages for these are obscure.
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return Status::error(path + ": cannot open the model: " +
                         std::strerror(errno) + "; " + kRebuildHint);
  if (S_ISDIR(st.st_mode))
    return Status::error(path + ": is a directory, not a model.so; " +
                         kRebuildHint);
  if (!S_ISREG(st.st_mode))
    return Status::error(path + ": is not a regular file; " + kRebuildHint);
  if (Status s = checkElfSize(path, uint64_t(st.st_size)); s.failed())
    return s;

  // 2. dlopen. Without a slash dlopen would search the library path, so
  // name the file explicitly.
  std::string loadPath =
      path.find('/') == std::string::npos ? "./" + path : path;
  dlerror();
  void *handle = dlopen(loadPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return Status::error(path + ": is not a shared library this machine can "
                                "load (" +
                         lastDlError() + "); " + kRebuildHint);

  // 3. mnistc_model_describe, defined by the file itself.
  dlerror();
  void *describe = dlsym(handle, "mnistc_model_describe");
  if (!describe || !definedIn(handle, describe)) {
    dlclose(handle);
    return Status::error(path +
                         ": is a shared library but not an mnistc model (it "
                         "does not export mnistc_model_describe); " +
                         kRebuildHint);
  }

  // 4. The description and its ABI version.
  auto describeFn = reinterpret_cast<DescribeFn>(describe);
  const mnistc_model_info *info = nullptr;
  if (Status s = describeModel(path, describeFn, info); s.failed()) {
    dlclose(handle);
    return s;
  }

  // 5. Every other function.
  ModelApi api;
  api.describe = describeFn;
  for (const Entry &e : requiredFunctions(api)) {
    dlerror();
    void *fn = dlsym(handle, e.name);
    if (!fn || !definedIn(handle, fn)) {
      dlclose(handle);
      return Status::error(path + ": is an mnistc model of ABI version " +
                           std::to_string(MNISTC_ABI_VERSION) +
                           " but does not export " + e.name +
                           "; the file is damaged or was not linked by "
                           "mnistc; " +
                           kRebuildHint);
    }
    *e.slot = fn;
  }
  auto optional = [&](auto &slot, const char *name) {
    if (void *fn = dlsym(handle, name); fn && definedIn(handle, fn))
      slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(fn);
  };
  optional(api.summary, "mnistc_model_summary");
  optional(api.fingerprint, "mnistc_model_fingerprint");
  optional(api.memory, "mnistc_memory");
  optional(api.profile, "mnistc_profile");
  optional(api.lastError, "mnistc_last_error");
  optional(api.profileReport, "mnistc_profile_report");
  optional(api.computeGradients, "mnistc_compute_gradients");
  optional(api.applyUpdate, "mnistc_apply_update");
  optional(api.gradientBuffer, "mnistc_gradient_buffer");
  optional(api.deviceGradients, "mnistc_device_gradients");
  optional(api.setDataset, "mnistc_set_dataset");
  optional(api.setOrder, "mnistc_set_order");
  optional(api.trainStepAt, "mnistc_train_step_at");
  optional(api.computeGradientsAt, "mnistc_compute_gradients_at");
  optional(api.evalStepAt, "mnistc_eval_step_at");
  optional(api.variants, "mnistc_model_variants");

  if (Status s = checkPlausible(path, *info); s.failed()) {
    dlclose(handle);
    return s;
  }

  handle_ = handle;
  info_ = info;
  api_ = api;
  return Status::success();
}

Status ModelLibrary::adopt(const ModelApi &api, std::string name) {
  close();
  path_ = std::move(name);
  if (!api.describe)
    return Status::error(path_ + ": the ModelApi given to adopt() has no "
                                 "mnistc_model_describe; fill it with "
                                 "linkedModelApi() (mnistc/linked_model.h)");
  const mnistc_model_info *info = nullptr;
  if (Status s = describeModel(path_, api.describe, info); s.failed())
    return s;
  ModelApi checked = api;
  for (const Entry &e : requiredFunctions(checked))
    if (!*e.slot)
      return Status::error(path_ + ": the ModelApi given to adopt() has no " +
                           e.name +
                           "; fill it with linkedModelApi() "
                           "(mnistc/linked_model.h)");
  if (Status s = checkPlausible(path_, *info); s.failed())
    return s;
  info_ = info;
  api_ = api;
  return Status::success();
}

//===----------------------------------------------------------------------===//
// ModelContext
//===----------------------------------------------------------------------===//

ModelContext::~ModelContext() { reset(); }

ModelContext::ModelContext(ModelContext &&other) noexcept {
  *this = std::move(other);
}

ModelContext &ModelContext::operator=(ModelContext &&other) noexcept {
  if (this != &other) {
    reset();
    api_ = std::exchange(other.api_, ModelApi());
    info_ = std::exchange(other.info_, nullptr);
    path_ = std::move(other.path_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    maxBatch_ = std::exchange(other.maxBatch_, 0);
  }
  return *this;
}

void ModelContext::reset() {
  if (ctx_)
    api_.destroy(ctx_);
  ctx_ = nullptr;
  maxBatch_ = 0;
}

Status ModelContext::create(const ModelLibrary &library, int32_t maxBatch) {
  reset();
  if (!library.isOpen())
    return Status::error("no model loaded; open a model.so first");
  if (maxBatch <= 0)
    return Status::error(library.path() + ": a context needs a batch size " +
                         "of at least 1, not " + std::to_string(maxBatch));
  api_ = library.api();
  info_ = &library.info();
  path_ = library.path();
  ctx_ = api_.create(maxBatch);
  std::string why = api_.lastError ? api_.lastError() : "";
  // A CPU that lacks what the model.so was compiled for: the model.so's
  // message names the file and what is missing.
  if (!ctx_ && why.find("which this CPU lacks") != std::string::npos)
    return Status::error(why);
  if (!ctx_ && why.rfind("cannot use the GPU", 0) == 0)
    return Status::error(path_ + ": " + why +
                         "\nThis model.so was compiled with --target=cuda "
                         "and runs only on an NVIDIA GPU with its driver; "
                         "for the CPU, compile it without --target=cuda "
                         "(docs/cuda.md)");
  if (!ctx_)
    return Status::error(path_ + ": mnistc_create(" +
                         std::to_string(maxBatch) +
                         ") failed: at this batch size its buffers need more "
                         "memory than there is, or one passes the 2 GiB a "
                         "Halide buffer holds; use a smaller batch size");
  maxBatch_ = maxBatch;
  return Status::success();
}

void ModelContext::initParams(uint64_t seed) { api_.initParams(ctx_, seed); }

Status ModelContext::stepFailed(const char *function, int32_t code,
                                int32_t n) const {
  std::string why = api_.lastError ? api_.lastError() : "";
  std::string batch =
      n > 0 ? " on a batch of " + std::to_string(n) +
                  " images (context for up to " + std::to_string(maxBatch_) +
                  ")"
            : "";
  return Status::error(path_ + ": " + function + " failed (code " +
                       std::to_string(code) + ")" + batch +
                       (why.empty() ? "" : ": " + why));
}

Status ModelContext::trainStep(const float *images, const void *labels,
                               int32_t n, float lr, float &loss,
                               int32_t &correct) {
  if (int32_t rc =
          api_.trainStep(ctx_, images, labels, n, lr, &loss, &correct))
    return stepFailed("mnistc_train_step", rc, n);
  return Status::success();
}

Status ModelContext::computeGradients(const float *images,
                                      const void *labels, int32_t n,
                                      int32_t first, float &loss,
                                      int32_t &correct) {
  if (int32_t rc = api_.computeGradients(ctx_, images, labels, n, first,
                                         &loss, &correct))
    return stepFailed("mnistc_compute_gradients", rc, n);
  return Status::success();
}

Status ModelContext::setDataset(const Dataset &data) {
  if (api_.setDataset(ctx_, data.images.data(), data.labels.data(),
                      int32_t(data.count)))
    return stepFailed("mnistc_set_dataset", -1, 0);
  return Status::success();
}

Status ModelContext::setOrder(const uint32_t *order, size_t count) {
  // Places below 2^31 (a data set's count is): the same bits as int32.
  if (api_.setOrder(ctx_, reinterpret_cast<const int32_t *>(order),
                    int32_t(count)))
    return stepFailed("mnistc_set_order", -1, 0);
  return Status::success();
}

Status ModelContext::trainStepAt(int32_t offset, int32_t n, float lr,
                                 float &loss, int32_t &correct) {
  if (int32_t rc = api_.trainStepAt(ctx_, offset, n, lr, &loss, &correct))
    return stepFailed("mnistc_train_step_at", rc, n);
  return Status::success();
}

Status ModelContext::computeGradientsAt(int32_t offset, int32_t n,
                                        int32_t first, float &loss,
                                        int32_t &correct) {
  if (int32_t rc = api_.computeGradientsAt(ctx_, offset, n, first, &loss,
                                           &correct))
    return stepFailed("mnistc_compute_gradients_at", rc, n);
  return Status::success();
}

Status ModelContext::evalStepAt(int32_t offset, int32_t n, float &loss,
                                int32_t &correct) {
  if (int32_t rc = api_.evalStepAt(ctx_, offset, n, &loss, &correct))
    return stepFailed("mnistc_eval_step_at", rc, n);
  return Status::success();
}

Status ModelContext::applyUpdate(float lr) {
  if (int32_t rc = api_.applyUpdate(ctx_, lr))
    return stepFailed("mnistc_apply_update", rc, 0);
  return Status::success();
}

Status ModelContext::evalStep(const float *images, const void *labels,
                              int32_t n, float &loss, int32_t &correct) {
  if (int32_t rc = api_.evalStep(ctx_, images, labels, n, &loss, &correct))
    return stepFailed("mnistc_eval_step", rc, n);
  return Status::success();
}

Status ModelContext::forward(const float *images, int32_t n,
                             float *probabilities) {
  if (int32_t rc = api_.forward(ctx_, images, n, probabilities))
    return stepFailed("mnistc_forward", rc, n);
  return Status::success();
}

float *ModelContext::params() { return api_.params(ctx_); }
float *ModelContext::state() { return api_.state(ctx_); }
int64_t *ModelContext::stepCount() { return api_.stepCount(ctx_); }

} // namespace mnistc::rt
