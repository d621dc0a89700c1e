//===- KernelTestSupport.cpp - Helpers shared by the kernel tests --------===//
//
// See KernelTestSupport.h.
//
//===----------------------------------------------------------------------===//
#include "test/unit/KernelTestSupport.h"

#include <cmath>
#include <map>
#include <random>
#include <sstream>

using namespace Halide;

namespace mnistc::test {

const Target &hostTarget() {
  static const Target target = get_host_target();
  return target;
}

ops::Kernel &cachedKernel(const std::string &key,
                          const std::function<ops::Kernel()> &build) {
  static std::map<std::string, ops::Kernel> cache;
  auto it = cache.find(key);
  if (it == cache.end()) {
    it = cache.emplace(key, build()).first;
    it->second.pipeline.compile_jit(hostTarget());
  }
  return it->second;
}

void run(ops::Kernel &kernel, std::vector<Buffer<>> inputs,
         std::vector<Buffer<>> outputs) {
  for (size_t i = 0; i < inputs.size(); ++i)
    kernel.buffers.at(i).set(inputs[i]);
  Realization realization(outputs);
  kernel.pipeline.realize(realization, hostTarget());
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
