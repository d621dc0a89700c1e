//===- KernelTestSupport.cpp - Helpers shared by the kernel tests --------===//
//
// See KernelTestSupport.h.
//
//===----------------------------------------------------------------------===//
#include "test/unit/KernelTestSupport.h"

#include "compiler/Codegen/HostTarget.h"
#include "compiler/Ops/GPUSchedule.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

using namespace Halide;

namespace mnistc::test {

namespace {

/// The OpenCL library (ocl-icd, which finds pocl), in a link namespace of
/// its own; null until loaded or when it cannot be.
void *gOpenCL = nullptr;

void *loadLibrary(const char *name) {
  if (std::strstr(name, "OpenCL")) {
    if (!gOpenCL)
      gOpenCL = dlmopen(LM_ID_NEWLM, "libOpenCL.so.1", RTLD_NOW | RTLD_LOCAL);
    return gOpenCL;
  }
  return dlopen(name, RTLD_NOW | RTLD_LOCAL);
}

void *librarySymbol(void *library, const char *name) {
  return dlsym(library, name);
}

void *processSymbol(const char *name) { return dlsym(RTLD_DEFAULT, name); }

} // namespace

const Target &hostTarget() {
  static const Target target = [] {
    const char *pinned = std::getenv("MNISTC_KERNEL_TARGET");
    Target cpu = pinned ? Target(pinned) : codegen::hostTarget();
    return gpuSchedule() ? cpu.with_feature(Target::OpenCL)
                               .with_feature(Target::CLDoubles)
                         : cpu;
  }();
  return target;
}

bool gpuSchedule() {
  static const bool gpu = [] {
    const char *schedule = std::getenv("MNISTC_KERNEL_SCHEDULE");
    return schedule && std::string(schedule) == "gpu";
  }();
  return gpu;
}

const ops::KernelTarget &kernelTarget() {
  static const ops::KernelTarget target(hostTarget(),
                                        /*schedule=*/!gpuSchedule());
  return target;
}

ops::Kernel &cachedKernel(const std::string &key,
                          const std::function<ops::Kernel()> &build) {
  static std::map<std::string, ops::Kernel> cache;
  auto it = cache.find(key);
  if (it != cache.end())
    return it->second;
  if (!gpuSchedule()) {
    it = cache.emplace(key, build()).first;
  } else {
    static const std::string unavailable = [] {
      if (!loadLibrary("libOpenCL.so.1"))
        return std::string("MNISTC_KERNEL_SCHEDULE=gpu runs the kernels on "
                           "OpenCL, but libOpenCL.so.1 does not load (") +
               dlerror() + "); make setup installs pocl-opencl-icd";
      JITHandlers hooks;
      hooks.custom_load_library = loadLibrary;
      hooks.custom_get_library_symbol = librarySymbol;
      hooks.custom_get_symbol = processSymbol;
      Internal::JITSharedRuntime::set_default_handlers(hooks);
      return std::string();
    }();
    if (!unavailable.empty())
      throw std::runtime_error(unavailable);
    ops::Kernel kernel = build();
    ops::scheduleForGPU(kernel);
    it = cache.emplace(key, std::move(kernel)).first;
  }
  it->second.pipeline.compile_jit(hostTarget());
  return it->second;
}

void run(ops::Kernel &kernel, std::vector<Buffer<>> inputs,
         std::vector<Buffer<>> outputs) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (gpuSchedule())
      inputs[i].set_host_dirty();
    kernel.buffers.at(i).set(inputs[i]);
  }
  Realization realization(outputs);
  kernel.pipeline.realize(realization, hostTarget());
  if (gpuSchedule())
    for (Buffer<> &output : outputs)
      output.copy_to_host();
}

ref::Act refAct(ops::Activation act) {
  switch (act) {
  case ops::Activation::Linear:
    return ref::Act::Linear;
  case ops::Activation::Relu:
    return ref::Act::Relu;
  case ops::Activation::Sigmoid:
    return ref::Act::Sigmoid;
  case ops::Activation::Tanh:
    return ref::Act::Tanh;
  }
  return ref::Act::Linear;
}

ref::Tensor randomTensor(size_t count, double lo, double hi, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  ref::Tensor t(count);
  for (double &v : t)
    v = dist(gen);
  return roundToFloat(t);
}

ref::Tensor roundToFloat(ref::Tensor t) {
  for (double &v : t)
    v = static_cast<float>(v);
  return t;
}

Buffer<float> toBuffer(const ref::Tensor &t, const std::vector<int> &extents) {
  Buffer<float> b(extents);
  float *data = b.data();
  for (size_t k = 0; k < t.size(); ++k)
    data[k] = static_cast<float>(t[k]);
  return b;
}

ref::Tensor toTensor(const Buffer<float> &b) {
  return ref::Tensor(b.data(), b.data() + b.number_of_elements());
}

::testing::AssertionResult allClose(const ref::Tensor &got,
                                    const ref::Tensor &want, double rtol) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure()
           << "sizes differ: " << got.size() << " vs " << want.size();
  double sumSquares = 0;
  for (double v : want)
    sumSquares += v * v;
  double rms = want.empty() ? 0 : std::sqrt(sumSquares / want.size());
  int bad = 0;
  std::ostringstream first;
  for (size_t k = 0; k < got.size(); ++k) {
    double scale = std::max(std::abs(want[k]), rms);
    bool ok = std::abs(got[k] - want[k]) <= rtol * scale;
    if (!ok && bad++ < 5)
      first << "\n  [" << k << "] got " << got[k] << ", want " << want[k];
  }
  if (bad == 0)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << bad << " of " << got.size() << " elements off by more than " << rtol
         << " relative (rms " << rms << "):" << first.str();
}

} // namespace mnistc::test
