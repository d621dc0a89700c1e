//===- HalideHooks.h - What a model.so installs into Halide's runtime -*- C++ -*-===//
//
// Part of the model support library. The first mnistc_create hands
// Halide's runtime (inside the model.so) two hooks, taken back when the
// library is unloaded:
//  - a scratch pool: Halide kernels allocate their dynamically sized
//    scratch through halide_malloc; the pool hands back blocks freed
//    earlier, so once the first step has sized it, steps make no system
//    allocation;
//  - an error handler: Halide's default prints a kernel's error (a bounds
//    check, an allocation) and aborts the process; a model.so must not, so
//    it keeps the message for mnistc_last_error and the step returns the
//    kernel's error code.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_MODELSUPPORT_HALIDEHOOKS_H
#define MNISTC_COMPILER_MODELSUPPORT_HALIDEHOOKS_H

#include <cstdint>

namespace mnistc::modelso {

void installHalideHooks();
/// When the library is unloaded no kernel runs any more: Halide's workers
/// are stopped, Halide gets its allocator and handler back, and the pooled
/// blocks go back to the system.
void releaseHalideHooks();

/// Keeps `message` as the last error (mnistc_last_error); Halide's error
/// handler signature.
void recordError(void *userContext, const char *message);

/// Bytes of scratch blocks made so far.
int64_t scratchBytes();

} // namespace mnistc::modelso

#endif // MNISTC_COMPILER_MODELSUPPORT_HALIDEHOOKS_H
