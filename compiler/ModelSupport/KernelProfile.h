//===- KernelProfile.h - Per-kernel timing of a model.so's steps -*- C++ -*-===//
//
// Part of the model support library: mnistc_profile, mnistc_profile_report
// and the marks the generated step functions make around every kernel call
// (mnistc_profile_mark), for `mnistrt bench --profile` and `mnistc
// --report`. ModelSupport.cpp tells it when a step starts (Profile::step).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_MODELSUPPORT_KERNELPROFILE_H
#define MNISTC_COMPILER_MODELSUPPORT_KERNELPROFILE_H

#include "HalideRuntime.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

extern "C" {
// Called by the step functions (Orchestration.cpp); not in the ABI.
void mnistc_profile_mark(int32_t step, int32_t call);
}

namespace mnistc::modelso {

/// Per-kernel timing (mnistc_profile): the step functions mark the start
/// of a step and the end of each kernel call; with profiling on, each
/// call's time since the previous mark is added to its total. One
/// profile per model.so, for one thread stepping at a time (as mnistrt
/// bench does).
struct Profile {
  static constexpr int kSteps = 3; // train, eval, forward
  std::atomic<bool> on{false};
  std::chrono::steady_clock::time_point last;
  std::vector<double> seconds[kSteps];
  std::vector<int64_t> calls[kSteps];
  int64_t steps[kSteps] = {}, images[kSteps] = {};
  std::string report;
  /// A GPU buffer of the stepping context (CUDA model.so), else null: a
  /// kernel launch returns before the kernel ran, so each mark waits for
  /// the GPU (halide_device_sync) and the times are the kernels' own.
  halide_buffer_t *deviceBuffer = nullptr;

  void clear() {
    for (int s = 0; s < kSteps; ++s) {
      seconds[s].clear();
      calls[s].clear();
      steps[s] = images[s] = 0;
    }
  }
  /// A step of `n` images starts (called by the ABI's step functions).
  void step(int s, int32_t n, halide_buffer_t *device) {
    if (!on)
      return;
    deviceBuffer = device;
    ++steps[s];
    images[s] += n;
  }
};

/// The model.so's one profile.
Profile &profile();

/// Frees the profile when the library is unloaded.
void releaseProfile();

} // namespace mnistc::modelso

#endif // MNISTC_COMPILER_MODELSUPPORT_KERNELPROFILE_H
