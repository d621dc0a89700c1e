//===- OptimizerKernelsTest.cpp - Optimizer kernels vs Keras's formulas --===//
//
// Each optimizer kernel (compiler/Ops/Optimizers.h) runs its first three
// steps in place on a small flat buffer (37 elements: not a multiple of any
// vector width), with the learning rate changed before step 3, against
// Keras's update_step written out by hand below in float32 with Keras's
// order of operations (docs/KERAS_SEMANTICS.md §1-4). Tolerance: relative
// 1e-5 of max(|want|, rms(want)), room for a fused multiply-add here and
// there. A larger buffer checks that in-place and out-of-place updates
// agree bit for bit across parallel chunks.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Optimizers.h"
#include "test/unit/KernelTestSupport.h"

#include <algorithm>
#include <cmath>

using namespace Halide;
using namespace mnistc;
using namespace mnistc::test;

namespace {

constexpr double kRtol = 1e-5;
constexpr int kCount = 37;
constexpr float kLearningRates[] = {0.01f, 0.01f, 0.004f};

/// Parameter, gradient and state values of every element, as floats.
struct State {
  std::vector<float> w;
  std::vector<std::vector<float>> slots; // in the kernel's buffer order
};

/// The gradient fed at step `step` (1-based).
std::vector<float> gradient(int step, int count) {
  ref::Tensor g = randomTensor(count, -1, 1, 1200 + step);
  return std::vector<float>(g.begin(), g.end());
}

State initialState(int count, int slots) {
  ref::Tensor w = randomTensor(count, -1, 1, 1199);
  return {
      std::vector<float>(w.begin(), w.end()),
      std::vector<std::vector<float>>(slots, std::vector<float>(count, 0.0f))};
}

Buffer<float> toBuffer(const std::vector<float> &v) {
  Buffer<float> b(static_cast<int>(v.size()));
  std::copy(v.begin(), v.end(), b.data());
  return b;
}

ref::Tensor toTensor(const std::vector<float> &v) {
  return ref::Tensor(v.begin(), v.end());
}

/// Runs `kernel` in place: w and the slots are both inputs and outputs.
void step(ops::Kernel &kernel, std::vector<Buffer<float>> &buffers,
          const Buffer<float> &g) {
  std::vector<Buffer<>> inputs = {buffers[0], g}, outputs = {buffers[0]};
  for (size_t s = 1; s < buffers.size(); ++s) {
    inputs.push_back(buffers[s]);
    outputs.push_back(buffers[s]);
  }
  run(kernel, inputs, outputs);
}

/// Runs three steps of `kernel` and of `keras` (the hand-written update of
/// one element: (w, slots, g, lr, t) → updated in place) and compares them
/// after each step.
template <typename KerasStep>
void checkThreeSteps(ops::Kernel &kernel, int slots, bool hasStep,
                     KerasStep keras) {
  State want = initialState(kCount, slots);
  std::vector<Buffer<float>> buffers = {toBuffer(want.w)};
  for (const std::vector<float> &slot : want.slots)
    buffers.push_back(toBuffer(slot));
  for (int t = 1; t <= 3; ++t) {
    SCOPED_TRACE("step " + std::to_string(t));
    float lr = kLearningRates[t - 1];
    std::vector<float> g = gradient(t, kCount);
    kernel.scalars[0].set<float>(lr);
    if (hasStep)
      kernel.scalars[1].set<int32_t>(t);
    step(kernel, buffers, toBuffer(g));
    for (int i = 0; i < kCount; ++i) {
      std::vector<float *> slot;
      for (auto &s : want.slots)
        slot.push_back(&s[i]);
      keras(want.w[i], slot, g[i], lr, t);
    }
    EXPECT_TRUE(allClose(test::toTensor(buffers[0]), toTensor(want.w), kRtol))
        << "w";
    for (int s = 0; s < slots; ++s)
      EXPECT_TRUE(allClose(test::toTensor(buffers[s + 1]),
                           toTensor(want.slots[s]), kRtol))
          << "slot " << s;
  }
}

ops::Kernel &sgd(const std::string &key, ops::SGDOptions options) {
  return cachedKernel("sgd_" + key, [&] {
    return ops::sgdUpdate(kCount, options, kernelTarget());
  });
}

TEST(SGDKernelTest, PlainMatchesKeras) {
  checkThreeSteps(sgd("plain", {}), 0, false,
                  [](float &w, std::vector<float *> &, float g, float lr, int) {
                    w = w - g * lr;
                  });
}

TEST(SGDKernelTest, MomentumMatchesKeras) {
  checkThreeSteps(
      sgd("momentum", {0.9, false, 0.0}), 1, false,
      [](float &w, std::vector<float *> &s, float g, float lr, int) {
        float &v = *s[0];
        v = v * 0.9f - g * lr;
        w = w + v;
      });
}

TEST(SGDKernelTest, NesterovMatchesKeras) {
  checkThreeSteps(
      sgd("nesterov", {0.9, true, 0.0}), 1, false,
      [](float &w, std::vector<float *> &s, float g, float lr, int) {
        float &v = *s[0];
        v = v * 0.9f - g * lr;
        w = w + (v * 0.9f - g * lr);
      });
}

/// Keras Adam for one element; vHat is null unless amsgrad.
void kerasAdam(float &w, float &m, float &v, float *vHat, float g, float lr,
               int t, float weightDecay) {
  if (weightDecay != 0)
    w = w - w * weightDecay * lr;
  float beta1Power = std::pow(0.9f, float(t));
  float beta2Power = std::pow(0.999f, float(t));
  float alpha = lr * std::sqrt(1 - beta2Power) / (1 - beta1Power);
  m = m + (g - m) * float(1 - 0.9);
  v = v + (g * g - v) * float(1 - 0.999);
  float vUsed = v;
  if (vHat)
    vUsed = *vHat = std::max(*vHat, v);
  w = w - (m * alpha) / (std::sqrt(vUsed) + 1e-7f);
}

ops::Kernel &adam(const std::string &key, ops::AdamOptions options,
                  int count = kCount) {
  return cachedKernel("adam_" + key + std::to_string(count), [&] {
    return ops::adamUpdate(count, options, kernelTarget());
  });
}

TEST(AdamKernelTest, MatchesKeras) {
  checkThreeSteps(
      adam("plain", {}), 2, true,
      [](float &w, std::vector<float *> &s, float g, float lr, int t) {
        kerasAdam(w, *s[0], *s[1], nullptr, g, lr, t, 0);
      });
}

TEST(AdamKernelTest, AmsgradMatchesKeras) {
  ops::AdamOptions options;
  options.amsgrad = true;
  checkThreeSteps(adam("amsgrad", options), 3, true,
                  [](float &w, std::vector<float *> &s, float g, float lr,
                     int t) { kerasAdam(w, *s[0], *s[1], s[2], g, lr, t, 0); });
}

TEST(AdamKernelTest, AdamWWeightDecayMatchesKeras) {
  ops::AdamOptions options;
  options.weightDecay = 0.004;
  checkThreeSteps(
      adam("adamw", options), 2, true,
      [](float &w, std::vector<float *> &s, float g, float lr, int t) {
        kerasAdam(w, *s[0], *s[1], nullptr, g, lr, t, 0.004f);
      });
}

/// Keras RMSprop for one element; b and a are null when unused.
void kerasRMSprop(float &w, float &v, float *b, float *a, float g, float lr) {
  const float rho = 0.9f, oneMinusRho = float(1 - 0.9);
  v = rho * v + oneMinusRho * (g * g);
  float denominator = v + 1e-7f;
  if (a) {
    *a = rho * *a + oneMinusRho * g;
    denominator = v - *a * *a + 1e-7f;
  }
  float increment = lr * g / std::sqrt(denominator);
  if (b) {
    *b = 0.9f * *b + increment;
    w = w - *b;
  } else {
    w = w - increment;
  }
}

ops::Kernel &rmsprop(const std::string &key, ops::RMSpropOptions options) {
  return cachedKernel("rmsprop_" + key, [&] {
    return ops::rmspropUpdate(kCount, options, kernelTarget());
  });
}

TEST(RMSpropKernelTest, MatchesKeras) {
  checkThreeSteps(rmsprop("plain", {}), 1, false,
                  [](float &w, std::vector<float *> &s, float g, float lr,
                     int) { kerasRMSprop(w, *s[0], nullptr, nullptr, g, lr); });
}

TEST(RMSpropKernelTest, MomentumMatchesKeras) {
  ops::RMSpropOptions options;
  options.momentum = 0.9;
  checkThreeSteps(rmsprop("momentum", options), 2, false,
                  [](float &w, std::vector<float *> &s, float g, float lr,
                     int) { kerasRMSprop(w, *s[0], s[1], nullptr, g, lr); });
}

TEST(RMSpropKernelTest, CenteredMomentumMatchesKeras) {
  ops::RMSpropOptions options;
  options.momentum = 0.9;
  options.centered = true;
  checkThreeSteps(rmsprop("centered", options), 3, false,
                  [](float &w, std::vector<float *> &s, float g, float lr,
                     int) { kerasRMSprop(w, *s[0], s[1], s[2], g, lr); });
}

TEST(OptimizerKernelTest, InPlaceEqualsOutOfPlace) {
  // Several parallel chunks plus a ragged vector tail.
  const int count = 3 * 16384 + 13;
  ops::Kernel &kernel = adam("large", {}, count);
  kernel.scalars[0].set<float>(0.001f);
  kernel.scalars[1].set<int32_t>(5);
  ref::Tensor w = randomTensor(count, -1, 1, 1300),
              g = randomTensor(count, -1, 1, 1301),
              m = randomTensor(count, -0.1, 0.1, 1302),
              v = randomTensor(count, 0, 0.1, 1303);
  std::vector<Buffer<float>> inPlace = {test::toBuffer(w, {count}),
                                        test::toBuffer(m, {count}),
                                        test::toBuffer(v, {count})};
  step(kernel, inPlace, test::toBuffer(g, {count}));
  Buffer<float> wOut(count), mOut(count), vOut(count);
  run(kernel,
      {test::toBuffer(w, {count}), test::toBuffer(g, {count}),
       test::toBuffer(m, {count}), test::toBuffer(v, {count})},
      {wOut, mOut, vOut});
  EXPECT_EQ(test::toTensor(inPlace[0]), test::toTensor(wOut));
  EXPECT_EQ(test::toTensor(inPlace[1]), test::toTensor(mOut));
  EXPECT_EQ(test::toTensor(inPlace[2]), test::toTensor(vOut));
}

} // namespace
