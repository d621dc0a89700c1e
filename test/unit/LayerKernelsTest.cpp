//===- LayerKernelsTest.cpp - Activation, merge, MSE and L2 kernels -------===//
//
// Tests of the kernels that standalone layers and losses add to a model:
// the Activation layer's forward and backward (Activation.h), Add,
// Concatenate and its backward slice (Merge.h), mean squared error with
// and without a fused softmax (SoftmaxCrossEntropy.h) and the L2 penalty
// and gradient (L2Regularizer.h), each against the double-precision
// reference (Reference.h) at batches 1, 7 and 129. Elementwise kernels and
// copies must match to float rounding (rtol 1e-6); reductions to 1e-5.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/L2Regularizer.h"
#include "compiler/Ops/Merge.h"
#include "compiler/Ops/SoftmaxCrossEntropy.h"
#include "test/unit/KernelTestSupport.h"

#include <cmath>

using namespace Halide;
using namespace mnistc;
using namespace mnistc::test;

namespace {

const int kBatches[] = {1, 7, 129};

TEST(ActivationLayerTest, ForwardAndBackwardMatchReference) {
  const int features = 37; // not a multiple of any vector width
  for (ops::Activation act : {ops::Activation::Relu, ops::Activation::Sigmoid,
                              ops::Activation::Tanh, ops::Activation::Linear})
    for (int n : kBatches) {
      SCOPED_TRACE(std::string(ops::activationName(act)) + ", batch " +
                   std::to_string(n));
      std::string key = ops::activationName(act);
      ref::Tensor x =
          roundToFloat(randomTensor(size_t(features) * n, -3, 3, 10 + n));
      ref::Tensor dy =
          roundToFloat(randomTensor(size_t(features) * n, -1, 1, 20 + n));
      Buffer<float> y(features, n), dx(features, n);
      run(cachedKernel("act_fwd_" + key,
                       [&] {
                         return ops::activationForward(features, act,
                                                       kernelTarget());
                       }),
          {toBuffer(x, {features, n})}, {y});
      ref::Tensor wantY(x.size()), wantDx(x.size());
      ref::Tensor gotY = toTensor(y);
      for (size_t i = 0; i < x.size(); ++i) {
        wantY[i] = ref::activateRef(refAct(act), x[i]);
        wantDx[i] = ref::activationGradRef(refAct(act), dy[i], gotY[i]);
      }
      EXPECT_TRUE(allClose(gotY, wantY, 1e-6));
      run(cachedKernel("act_bwd_" + key,
                       [&] {
                         return ops::activationBackward(features, act,
                                                        kernelTarget());
                       }),
          {toBuffer(dy, {features, n}), y}, {dx});
      EXPECT_TRUE(allClose(toTensor(dx), wantDx, 1e-6));
    }
}

TEST(MergeKernelTest, AddSumsEveryInput) {
  // Plain, and with a ReLU or tanh folded in (nn-fuse-activations).
  const int features = 19;
  for (ops::Activation act : {ops::Activation::Linear, ops::Activation::Relu,
                              ops::Activation::Tanh})
    for (int n : kBatches) {
      SCOPED_TRACE(std::string(ops::activationName(act)) + " batch " +
                   std::to_string(n));
      std::vector<ref::Tensor> xs;
      std::vector<Buffer<>> inputs;
      for (unsigned i = 0; i < 3; ++i) {
        xs.push_back(roundToFloat(
            randomTensor(size_t(features) * n, -2, 2, 30 + i + n)));
        inputs.push_back(toBuffer(xs.back(), {features, n}));
      }
      Buffer<float> y(features, n);
      run(cachedKernel(std::string("add3_") + ops::activationName(act),
                       [&] {
                         return ops::addForward(features, 3, act,
                                                kernelTarget());
                       }),
          inputs, {y});
      ref::Tensor want(xs[0].size());
      for (size_t i = 0; i < want.size(); ++i)
        want[i] =
            ref::activateRef(refAct(act), xs[0][i] + xs[1][i] + xs[2][i]);
      EXPECT_TRUE(allClose(toTensor(y), want, 1e-6));
    }
}

TEST(MergeKernelTest, ConcatenateAndSliceMatchReference) {
  const int spatial = 6;
  const std::vector<int> channels = {3, 1, 9};
  const int total = 13;
  for (int n : kBatches) {
    SCOPED_TRACE("batch " + std::to_string(n));
    std::vector<ref::Tensor> xs;
    std::vector<Buffer<>> inputs;
    for (size_t i = 0; i < channels.size(); ++i) {
      xs.push_back(roundToFloat(randomTensor(
          size_t(n) * spatial * channels[i], -1, 1, 40 + i + n)));
      inputs.push_back(toBuffer(xs.back(), {channels[i], spatial, n}));
    }
    Buffer<float> y(total, spatial, n);
    run(cachedKernel("concat",
                     [&] {
                       return ops::concatenateChannels(spatial, channels,
                                                       kernelTarget());
                     }),
        inputs, {y});
    ref::Tensor joined = ref::concatenateChannels(xs, channels, n, spatial);
    EXPECT_TRUE(allClose(toTensor(y), joined, 1e-6));
    // Each input's slice of the joined tensor gives the input back.
    int offset = 0;
    for (size_t i = 0; i < channels.size(); ++i) {
      Buffer<float> part(channels[i], spatial, n);
      run(cachedKernel("slice" + std::to_string(i),
                       [&] {
                         return ops::sliceChannels(spatial, total, offset,
                                                   channels[i], kernelTarget());
                       }),
          {y}, {part});
      EXPECT_TRUE(allClose(toTensor(part),
                           ref::sliceChannels(joined, n, spatial, total, offset,
                                              channels[i]),
                           1e-6));
      EXPECT_TRUE(allClose(toTensor(part), xs[i], 1e-6));
      offset += channels[i];
    }
  }
}

TEST(MeanSquaredErrorTest, MatchesReferenceWithAndWithoutSoftmax) {
  const int classes = 10;
  for (bool softmax : {true, false})
    for (int n : kBatches) {
      SCOPED_TRACE(std::string(softmax ? "softmax" : "linear") + ", batch " +
                   std::to_string(n));
      ref::Tensor z =
          roundToFloat(randomTensor(size_t(n) * classes, -4, 4, 50 + n));
      ref::Tensor t(z.size(), 0.0);
      for (int s = 0; s < n; ++s)
        t[s * classes + (3 * s + 1) % classes] = 1;
      Buffer<float> loss = Buffer<float>::make_scalar(), dz(classes, n);
      Buffer<int32_t> correct = Buffer<int32_t>::make_scalar();
      run(cachedKernel(std::string("mse_") + (softmax ? "softmax" : "linear"),
                       [&] {
                         return ops::meanSquaredError(classes, softmax,
                                                      kernelTarget());
                       }),
          {toBuffer(z, {classes, n}), toBuffer(t, {classes, n})},
          {loss, dz, correct});
      ref::CrossEntropy want =
          ref::meanSquaredError(z, t, n, classes, softmax);
      EXPECT_NEAR(loss(), want.loss, 1e-5 * std::fabs(want.loss));
      EXPECT_TRUE(allClose(toTensor(dz), want.dlogits, 1e-5));
      EXPECT_EQ(correct(), want.correct);
    }
}

TEST(L2RegularizerTest, PenaltyAndGradientMatchReference) {
  const int count = 1000;
  const double l2 = 0.01;
  ref::Tensor w = roundToFloat(randomTensor(count, -1, 1, 60));
  ref::Tensor g = roundToFloat(randomTensor(count, -1, 1, 61));
  Buffer<float> loss = Buffer<float>::make_scalar(),
                out = Buffer<float>::make_scalar();
  loss() = 2.5f;
  run(cachedKernel("l2_penalty",
                   [&] { return ops::l2Penalty(count, l2, kernelTarget()); }),
      {loss, toBuffer(w, {count})}, {out});
  double penalty = 0;
  for (double v : w)
    penalty += l2 * v * v;
  EXPECT_NEAR(out(), 2.5 + penalty, 1e-6 * (2.5 + penalty));

  Buffer<float> gw = toBuffer(g, {count}), regularized(count);
  run(cachedKernel("l2_gradient",
                   [&] { return ops::l2Gradient(count, l2, kernelTarget()); }),
      {toBuffer(w, {count}), gw}, {regularized});
  ref::Tensor want(count);
  for (int i = 0; i < count; ++i)
    want[i] = g[i] + 2 * l2 * w[i];
  EXPECT_TRUE(allClose(toTensor(regularized), want, 1e-6));
}

} // namespace
