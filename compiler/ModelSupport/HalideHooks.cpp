//===- HalideHooks.cpp - What a model.so installs into Halide's runtime --===//
//
// See HalideHooks.h.
//
//===----------------------------------------------------------------------===//
#include "compiler/ModelSupport/HalideHooks.h"
#include "runtime/include/mnistc/model.h"

#include "HalideRuntime.h"

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace mnistc::modelso {

namespace {

/// Halide kernels allocate their dynamically sized scratch through
/// halide_malloc. This pool hands back blocks freed earlier, best fit, so
/// once the first step has sized it, steps make no system allocation.
/// Blocks are 64-byte aligned (Halide needs 32); thread safe, since
/// parallel kernel tasks allocate too.
class ScratchPool {
public:
  ~ScratchPool() {
    for (const Block &b : free_)
      std::free(b.raw);
  }
  void *get(size_t size) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      size_t best = free_.size();
      for (size_t i = 0; i < free_.size(); ++i)
        if (free_[i].size >= size &&
            (best == free_.size() || free_[i].size < free_[best].size))
          best = i;
      if (best != free_.size()) {
        Block b = free_[best];
        free_[best] = free_.back();
        free_.pop_back();
        return b.aligned;
      }
    }
    void *raw = std::malloc(size + 64 + sizeof(Block));
    if (!raw)
      return nullptr;
    held_ += size;
    uintptr_t at = reinterpret_cast<uintptr_t>(raw) + sizeof(Block);
    auto *aligned = reinterpret_cast<uint8_t *>((at + 63) / 64 * 64);
    // The block's record sits just before the aligned pointer.
    Block b{raw, aligned, size};
    std::memcpy(aligned - sizeof(Block), &b, sizeof(Block));
    return aligned;
  }
  void put(void *p) {
    if (!p)
      return;
    Block b;
    std::memcpy(&b, static_cast<uint8_t *>(p) - sizeof(Block), sizeof(Block));
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(b);
  }
  /// Bytes of the blocks made so far (never given back before unload).
  int64_t held() const { return held_; }

private:
  struct Block {
    void *raw;
    void *aligned;
    size_t size;
  };
  std::mutex mutex_;
  std::vector<Block> free_;
  std::atomic<int64_t> held_{0};
};

ScratchPool &scratchPool() {
  static ScratchPool *pool = new ScratchPool(); // deleted by releaseHalideHooks
  return *pool;
}

void *poolMalloc(void *, size_t size) { return scratchPool().get(size); }
void poolFree(void *, void *p) { scratchPool().put(p); }

/// Halide's own allocator, before the pool took it over (mnistc_create).
halide_malloc_t gHalideMalloc = nullptr;
halide_free_t gHalideFree = nullptr;

/// The message of the last kernel that failed (a Halide error: a bounds
/// check, an allocation). Halide's default handler prints it and aborts
/// the process; a model.so must not, so it keeps the message for
/// mnistc_last_error and the step returns the kernel's error code.
std::mutex gErrorMutex;
std::string *gLastError = nullptr; // deleted at unload
halide_error_handler_t gHalideError = nullptr;

} // namespace

void recordError(void *, const char *message) {
  std::lock_guard<std::mutex> lock(gErrorMutex);
  if (!gLastError)
    gLastError = new std::string();
  *gLastError = message;
  while (!gLastError->empty() && gLastError->back() == '\n')
    gLastError->pop_back();
}

void installHalideHooks() {
  gHalideMalloc = halide_set_custom_malloc(poolMalloc);
  gHalideFree = halide_set_custom_free(poolFree);
  gHalideError = halide_set_error_handler(recordError);
}

/// When the library is unloaded no kernel runs any more: Halide's workers
/// are stopped, Halide gets its allocator back and the pooled blocks go
/// back to the system.
void releaseHalideHooks() {
  if (!gHalideFree)
    return; // never used
  halide_shutdown_thread_pool();
  halide_set_custom_malloc(gHalideMalloc);
  halide_set_custom_free(gHalideFree);
  halide_set_error_handler(gHalideError);
  delete &scratchPool();
  delete gLastError;
  gLastError = nullptr;
}

int64_t scratchBytes() { return gHalideFree ? scratchPool().held() : 0; }

} // namespace mnistc::modelso

extern "C" const char *mnistc_last_error(void) {
  std::lock_guard<std::mutex> lock(mnistc::modelso::gErrorMutex);
  return mnistc::modelso::gLastError ? mnistc::modelso::gLastError->c_str()
                                     : "";
}
