//===- RegularizationKernelsTest.cpp - Dropout and BatchNorm kernels ------===//
//
// Tests of compiler/Ops/Dropout.h and compiler/Ops/BatchNorm.h, JIT-compiled
// once per shape (KernelTestSupport's cache) and run at several batches.
//
// Dropout: the Philox reference against Random123's known-answer vectors,
// the kernel's mask against that reference bit for bit, the kept fraction
// within 5 binomial standard deviations of 1 − rate, exact scaling by
// float(1/(1 − rate)), the same mask in forward and backward and in two
// runs with the same (seed, step), a different one for another step or
// seed, rate 0 the identity and rate 1 zeros.
//
// BatchNorm: training forward, backward and inference forward against the
// double reference (Reference.h) on shapes (n, 5), (n, 7, 5, 3) and
// (n, 3, 8) at batches 2, 7 and 129 (batch 1 is degenerate: σ² = 0), the
// moving statistics updated in place against Keras's formula, and the
// backward against central finite differences of the float32 forward
// kernel.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/BatchNorm.h"
#include "compiler/Ops/Dropout.h"
#include "test/unit/KernelTestSupport.h"

#include <algorithm>
#include <cmath>

using namespace Halide;
using namespace mnistc;
using namespace mnistc::test;

namespace {

//===----------------------------------------------------------------------===//
// Dropout
//===----------------------------------------------------------------------===//

constexpr int kDropFeatures = 37; // not a multiple of any vector width
constexpr int kDropBatch = 129;
constexpr double kRate = 0.3;
constexpr uint32_t kStream = 3;

ops::Kernel &dropoutKernel(bool backward, double rate) {
  std::string key = std::string("dropout_") + (backward ? "bwd_" : "fwd_") +
                    std::to_string(rate);
  return cachedKernel(key, [&] {
    ops::DropoutOptions options{rate, kStream};
    ops::DropoutShape shape{kDropFeatures};
    return backward ? ops::dropoutBackward(shape, options, kernelTarget())
                    : ops::dropoutForward(shape, options, kernelTarget());
  });
}

/// Runs a dropout kernel on `in` ([rows, features], kDropBatch rows unless
/// given) as images first.. of a batch, and returns its output.
ref::Tensor runDropout(ops::Kernel &kernel, const ref::Tensor &in,
                       uint32_t seed, int32_t step, int32_t first = 0,
                       int rows = kDropBatch) {
  kernel.scalars[0].set<uint32_t>(seed);
  kernel.scalars[1].set<int32_t>(step);
  kernel.scalars[2].set<int32_t>(first);
  Buffer<float> out(kDropFeatures, rows);
  run(kernel, {toBuffer(in, {kDropFeatures, rows})}, {out});
  return toTensor(out);
}

/// Inputs that are never zero, so a zero output means "dropped".
ref::Tensor nonZeroInput(unsigned seed) {
  return randomTensor(size_t(kDropFeatures) * kDropBatch, 0.5, 1.5, seed);
}

std::vector<int> nonZeroPattern(const ref::Tensor &t) {
  std::vector<int> mask(t.size());
  for (size_t k = 0; k < t.size(); ++k)
    mask[k] = t[k] != 0.0;
  return mask;
}

TEST(DropoutKernels, PhiloxKnownAnswers) {
  // Random123's kat_vectors for philox4x32 with 10 rounds.
  using W = std::array<uint32_t, 4>;
  EXPECT_EQ(ref::philox4x32x10({0, 0, 0, 0}, {0, 0}),
            (W{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
  EXPECT_EQ(ref::philox4x32x10(
                {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
                {0xffffffffu, 0xffffffffu}),
            (W{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
  EXPECT_EQ(ref::philox4x32x10(
                {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
                {0xa4093822u, 0x299f31d0u}),
            (W{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(DropoutKernels, ForwardMatchesReferenceMaskAndScale) {
  ops::Kernel &fwd = dropoutKernel(false, kRate);
  ref::Tensor x = nonZeroInput(41);
  ref::Tensor y = runDropout(fwd, x, 1234u, 17);
  std::vector<int> mask = ref::dropoutMask(x.size(), 1234u, 17, kStream, kRate);
  EXPECT_EQ(nonZeroPattern(y), mask);

  // Exact scaling: one float multiply by float(1/(1 − rate)).
  const float scale = static_cast<float>(1.0 / (1.0 - kRate));
  size_t kept = 0, wrong = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    float want = mask[k] ? static_cast<float>(x[k]) * scale : 0.0f;
    wrong += static_cast<float>(y[k]) != want;
    kept += mask[k];
  }
  EXPECT_EQ(wrong, 0u);

  // Kept fraction: Binomial(N, 1 − rate) with N = 4773 has standard
  // deviation √(rate(1 − rate)/N) = 0.0066 in the fraction; allow 5σ.
  const double n = double(x.size());
  const double sigma = std::sqrt(kRate * (1 - kRate) / n);
  EXPECT_NEAR(kept / n, 1 - kRate, 5 * sigma);
}

TEST(DropoutKernels, MaskIsReproducibleAndSharedWithBackward) {
  ops::Kernel &fwd = dropoutKernel(false, kRate);
  ops::Kernel &bwd = dropoutKernel(true, kRate);
  ref::Tensor x = nonZeroInput(42), dy = nonZeroInput(43);
  ref::Tensor y1 = runDropout(fwd, x, 99u, 5);
  ref::Tensor y2 = runDropout(fwd, x, 99u, 5);
  EXPECT_EQ(y1, y2) << "same (seed, step) must give the same output";
  ref::Tensor dx = runDropout(bwd, dy, 99u, 5);
  EXPECT_EQ(nonZeroPattern(dx), nonZeroPattern(y1));
  const float scale = static_cast<float>(1.0 / (1.0 - kRate));
  size_t wrong = 0;
  for (size_t k = 0; k < dy.size(); ++k)
    wrong += y1[k] != 0.0 &&
             static_cast<float>(dx[k]) != static_cast<float>(dy[k]) * scale;
  EXPECT_EQ(wrong, 0u);

  // Another step or seed: a different mask (about 42% of elements differ
  // between two independent masks at rate 0.3; require 30%).
  auto differing = [&](const ref::Tensor &other) {
    std::vector<int> a = nonZeroPattern(y1), b = nonZeroPattern(other);
    size_t count = 0;
    for (size_t k = 0; k < a.size(); ++k)
      count += a[k] != b[k];
    return double(count) / a.size();
  };
  EXPECT_GT(differing(runDropout(fwd, x, 99u, 6)), 0.3);
  EXPECT_GT(differing(runDropout(fwd, x, 100u, 5)), 0.3);
}

TEST(DropoutKernels, ShardsDrawTheWholeBatchsMasks) {
  // A data-parallel shard of rows [first, first + rows) of a batch, run
  // with `first`, draws what the whole batch draws for those rows, forward
  // and backward (the images differ by place, so the masks must too).
  ref::Tensor x = nonZeroInput(45);
  for (bool backward : {false, true}) {
    ops::Kernel &kernel = dropoutKernel(backward, kRate);
    ref::Tensor whole = runDropout(kernel, x, 11u, 3);
    const int first = 50, rows = 40;
    auto begin = x.begin() + first * kDropFeatures;
    ref::Tensor shardIn(begin, begin + rows * kDropFeatures);
    ref::Tensor shard = runDropout(kernel, shardIn, 11u, 3, first, rows);
    auto want = whole.begin() + first * kDropFeatures;
    EXPECT_TRUE(std::equal(shard.begin(), shard.end(), want));
    EXPECT_NE(nonZeroPattern(runDropout(kernel, shardIn, 11u, 3, 0, rows)),
              nonZeroPattern(shard));
  }
}

TEST(DropoutKernels, RateZeroIsIdentityAndRateOneIsZero) {
  ref::Tensor x = nonZeroInput(44);
  EXPECT_EQ(runDropout(dropoutKernel(false, 0.0), x, 7u, 1), x);
  EXPECT_EQ(runDropout(dropoutKernel(true, 0.0), x, 7u, 1), x);
  EXPECT_EQ(runDropout(dropoutKernel(false, 1.0), x, 7u, 1),
            ref::Tensor(x.size(), 0.0));
}

//===----------------------------------------------------------------------===//
// BatchNorm
//===----------------------------------------------------------------------===//

constexpr double kEpsilon = 1e-3;
constexpr double kMomentum = 0.99;

/// (channels, spatial) of the Keras shapes (n, 5), (n, 7, 5, 3) and
/// (n, 3, 8): the last has whole double vectors of channels, the schedule's
/// vectorized reduction path (BatchNorm.cpp, scheduleChannelSums).
constexpr ops::BatchNormShape kShapes[] = {{5, 1}, {3, 35}, {8, 3}};
constexpr int kBatches[] = {2, 7, 129};

std::string shapeKey(ops::BatchNormShape shape) {
  return std::to_string(shape.channels) + "x" + std::to_string(shape.spatial);
}

ops::Kernel &bnKernel(const char *pass, ops::BatchNormShape shape,
                      ops::Activation act = ops::Activation::Linear) {
  std::string key = std::string("bn_") + pass + "_" + shapeKey(shape) + "_" +
                    ops::activationName(act);
  return cachedKernel(key, [&] {
    ops::BatchNormOptions options{kMomentum, kEpsilon};
    std::string p = pass;
    if (p == "train")
      return ops::batchNormTrainForward(shape, options, act, kernelTarget());
    if (p == "backward")
      return ops::batchNormBackward(shape, options, act, kernelTarget());
    return ops::batchNormInference(shape, options, act, kernelTarget());
  });
}

/// Inputs of one case: x offset from zero, γ, β, moving statistics.
struct BnCase {
  ops::BatchNormShape shape;
  int batch;
  ref::Tensor x, gamma, beta, movingMean, movingVar;
  int rows() const { return shape.spatial * batch; }
  std::vector<int> extents() const {
    return {shape.channels, shape.spatial, batch};
  }
};

BnCase makeCase(ops::BatchNormShape shape, int batch, unsigned seed) {
  const size_t c = shape.channels;
  BnCase k;
  k.shape = shape;
  k.batch = batch;
  k.x = randomTensor(c * shape.spatial * batch, -2, 3, seed);
  k.gamma = randomTensor(c, 0.5, 1.5, seed + 1);
  k.beta = randomTensor(c, -0.5, 0.5, seed + 2);
  k.movingMean = randomTensor(c, -1, 1, seed + 3);
  k.movingVar = randomTensor(c, 0.5, 2, seed + 4);
  return k;
}

struct BnTrainOut {
  ref::Tensor y, mean, variance, movingMean, movingVar;
};

/// The training forward, with the moving statistics updated in place
/// (and `act` folded in).
BnTrainOut runTrain(const BnCase &k, const ref::Tensor &x,
                    ops::Activation act = ops::Activation::Linear) {
  const int c = k.shape.channels;
  Buffer<float> y(k.extents()), mean(c), variance(c);
  Buffer<float> movingMean = toBuffer(k.movingMean, {c});
  Buffer<float> movingVar = toBuffer(k.movingVar, {c});
  run(bnKernel("train", k.shape, act),
      {toBuffer(x, k.extents()), toBuffer(k.gamma, {c}),
       toBuffer(k.beta, {c}), movingMean, movingVar},
      {y, mean, variance, movingMean, movingVar});
  return {toTensor(y), toTensor(mean), toTensor(variance),
          toTensor(movingMean), toTensor(movingVar)};
}

/// The train forward with γ or β replaced, for finite differences.
ref::Tensor trainY(BnCase k, const ref::Tensor &x, const ref::Tensor &gamma,
                   const ref::Tensor &beta) {
  k.gamma = gamma;
  k.beta = beta;
  return runTrain(k, x).y;
}

/// Passes when every |got − want| ≤ atol.
::testing::AssertionResult allWithin(const ref::Tensor &got,
                                     const ref::Tensor &want, double atol) {
  for (size_t k = 0; k < got.size(); ++k)
    if (!(std::abs(got[k] - want[k]) <= atol))
      return ::testing::AssertionFailure()
             << "[" << k << "] got " << got[k] << ", want " << want[k]
             << " (atol " << atol << ")";
  return ::testing::AssertionSuccess();
}

TEST(BatchNormKernels, TrainForwardAndMovingStatistics) {
  for (ops::BatchNormShape shape : kShapes)
    for (int batch : kBatches) {
      SCOPED_TRACE(shapeKey(shape) + " batch " + std::to_string(batch));
      BnCase k = makeCase(shape, batch, 500 + batch);
      BnTrainOut got = runTrain(k, k.x);
      ref::BatchNormForward want = ref::batchNormTrain(
          k.x, k.gamma, k.beta, k.rows(), shape.channels, kEpsilon);
      // Statistics are double sums rounded once to float: 1e-6 relative.
      EXPECT_TRUE(allClose(got.mean, want.mean, 1e-6));
      EXPECT_TRUE(allClose(got.variance, want.variance, 1e-6));
      // y: a few float32 operations on O(1) values.
      EXPECT_TRUE(allClose(got.y, want.y, 1e-5));
      // moving ← moving·m + stat·(1 − m), Keras's formula (§7), in place.
      ref::Tensor wantMean(shape.channels), wantVar(shape.channels);
      for (int c = 0; c < shape.channels; ++c) {
        wantMean[c] = k.movingMean[c] * kMomentum + want.mean[c] * (1 - kMomentum);
        wantVar[c] =
            k.movingVar[c] * kMomentum + want.variance[c] * (1 - kMomentum);
      }
      EXPECT_TRUE(allClose(got.movingMean, wantMean, 1e-6));
      EXPECT_TRUE(allClose(got.movingVar, wantVar, 1e-6));
    }
}

TEST(BatchNormKernels, BackwardMatchesReference) {
  for (ops::BatchNormShape shape : kShapes)
    for (int batch : kBatches) {
      SCOPED_TRACE(shapeKey(shape) + " batch " + std::to_string(batch));
      const int c = shape.channels;
      BnCase k = makeCase(shape, batch, 700 + batch);
      ref::Tensor dy = randomTensor(k.x.size(), -1, 1, 800 + batch);
      BnTrainOut fwd = runTrain(k, k.x);
      Buffer<float> dx(k.extents()), dgamma(c), dbeta(c);
      run(bnKernel("backward", shape),
          {toBuffer(dy, k.extents()), toBuffer(k.x, k.extents()),
           toBuffer(k.gamma, {c}), toBuffer(fwd.mean, {c}),
           toBuffer(fwd.variance, {c})},
          {dx, dgamma, dbeta});
      ref::BatchNormGrads want =
          ref::batchNormBackward(dy, k.x, k.gamma, k.rows(), c, kEpsilon);
      EXPECT_TRUE(allClose(toTensor(dgamma), want.dgamma, 1e-5));
      EXPECT_TRUE(allClose(toTensor(dbeta), want.dbeta, 1e-5));
      // dx is a difference of terms of size γ·r·|dy| that nearly cancel at
      // batch 2 of shape (n, 5) (there dx ∝ ε/(σ² + ε)), so its tolerance
      // is absolute: 1e-5 of the largest term (|dy| ≤ 1).
      double term = 0;
      for (int ch = 0; ch < c; ++ch)
        term = std::max(term,
                        k.gamma[ch] / std::sqrt(fwd.variance[ch] + kEpsilon));
      EXPECT_TRUE(allWithin(toTensor(dx), want.dx, 1e-5 * term));
    }
}

TEST(BatchNormKernels, BackwardMatchesFiniteDifferences) {
  // L = Σ w ⊙ y(x, γ, β) with the float32 forward kernel; central
  // differences with h = 1e-2. Rounding of L contributes ~1e-5 and the
  // truncation error O(h²/σ²) ~1e-4 of the gradient's scale; tolerance 2e-2
  // relative to max(|want|, rms(want)).
  const double h = 1e-2;
  for (ops::BatchNormShape shape : kShapes) {
    const int batch = shape.spatial == 1 ? 7 : 2;
    SCOPED_TRACE(shapeKey(shape) + " batch " + std::to_string(batch));
    const int c = shape.channels;
    BnCase k = makeCase(shape, batch, 900);
    ref::Tensor w = randomTensor(k.x.size(), -1, 1, 901);
    auto loss = [&](const ref::Tensor &x, const ref::Tensor &gamma,
                    const ref::Tensor &beta) {
      ref::Tensor y = trainY(k, x, gamma, beta);
      double sum = 0;
      for (size_t i = 0; i < y.size(); ++i)
        sum += w[i] * y[i];
      return sum;
    };
    auto central = [&](ref::Tensor &v, size_t i, auto eval) {
      const double saved = v[i];
      v[i] = saved + h;
      double up = eval();
      v[i] = saved - h;
      double down = eval();
      v[i] = saved;
      return (up - down) / (2 * h);
    };

    BnTrainOut fwd = runTrain(k, k.x);
    Buffer<float> dx(k.extents()), dgamma(c), dbeta(c);
    run(bnKernel("backward", shape),
        {toBuffer(w, k.extents()), toBuffer(k.x, k.extents()),
         toBuffer(k.gamma, {c}), toBuffer(fwd.mean, {c}),
         toBuffer(fwd.variance, {c})},
        {dx, dgamma, dbeta});

    ref::Tensor x = k.x, gamma = k.gamma, beta = k.beta;
    auto eval = [&] { return loss(x, gamma, beta); };
    ref::Tensor fdX(x.size()), fdGamma(c), fdBeta(c);
    for (size_t i = 0; i < x.size(); ++i)
      fdX[i] = central(x, i, eval);
    for (int i = 0; i < c; ++i) {
      fdGamma[i] = central(gamma, i, eval);
      fdBeta[i] = central(beta, i, eval);
    }
    EXPECT_TRUE(allClose(toTensor(dx), fdX, 2e-2));
    EXPECT_TRUE(allClose(toTensor(dgamma), fdGamma, 2e-2));
    EXPECT_TRUE(allClose(toTensor(dbeta), fdBeta, 2e-2));
  }
}

TEST(BatchNormKernels, InferenceUsesMovingStatistics) {
  for (ops::BatchNormShape shape : kShapes)
    for (int batch : kBatches) {
      SCOPED_TRACE(shapeKey(shape) + " batch " + std::to_string(batch));
      const int c = shape.channels;
      BnCase k = makeCase(shape, batch, 1100 + batch);
      Buffer<float> y(k.extents());
      run(bnKernel("inference", shape),
          {toBuffer(k.x, k.extents()), toBuffer(k.gamma, {c}),
           toBuffer(k.beta, {c}), toBuffer(k.movingMean, {c}),
           toBuffer(k.movingVar, {c})},
          {y});
      ref::Tensor want =
          ref::batchNormInfer(k.x, k.gamma, k.beta, k.movingMean, k.movingVar,
                              k.rows(), c, kEpsilon);
      EXPECT_TRUE(allClose(toTensor(y), want, 1e-5));
    }
}

TEST(BatchNormKernels, FusedActivationMatchesBatchNormThenActivation) {
  // The kernels with an activation folded in (nn-fuse-activations) against
  // the reference batch norm followed by the reference activation, and its
  // backward against the reference backward of dy ⊙ act'(y), with y the
  // fused forward's own output (so relu's mask is the kernel's).
  const int batch = 7;
  for (ops::Activation act : {ops::Activation::Relu, ops::Activation::Sigmoid})
    for (ops::BatchNormShape shape : kShapes) {
      SCOPED_TRACE(shapeKey(shape) + " " + ops::activationName(act));
      const int c = shape.channels;
      BnCase k = makeCase(shape, batch, 1300);
      auto activated = [&](ref::Tensor t) {
        for (double &v : t)
          v = ref::activateRef(refAct(act), v);
        return t;
      };

      BnTrainOut fwd = runTrain(k, k.x, act);
      ref::BatchNormForward want = ref::batchNormTrain(
          k.x, k.gamma, k.beta, k.rows(), c, kEpsilon);
      EXPECT_TRUE(allClose(fwd.y, activated(want.y), 1e-5));

      Buffer<float> inferred(k.extents());
      run(bnKernel("inference", shape, act),
          {toBuffer(k.x, k.extents()), toBuffer(k.gamma, {c}),
           toBuffer(k.beta, {c}), toBuffer(k.movingMean, {c}),
           toBuffer(k.movingVar, {c})},
          {inferred});
      EXPECT_TRUE(allClose(toTensor(inferred),
                           activated(ref::batchNormInfer(
                               k.x, k.gamma, k.beta, k.movingMean,
                               k.movingVar, k.rows(), c, kEpsilon)),
                           1e-5));

      ref::Tensor dy = randomTensor(k.x.size(), -1, 1, 1301);
      ref::Tensor dz(dy.size());
      for (size_t i = 0; i < dy.size(); ++i)
        dz[i] = ref::activationGradRef(refAct(act), dy[i], fwd.y[i]);
      Buffer<float> dx(k.extents()), dgamma(c), dbeta(c);
      run(bnKernel("backward", shape, act),
          {toBuffer(dy, k.extents()), toBuffer(k.x, k.extents()),
           toBuffer(k.gamma, {c}), toBuffer(fwd.mean, {c}),
           toBuffer(fwd.variance, {c}), toBuffer(fwd.y, k.extents())},
          {dx, dgamma, dbeta});
      ref::BatchNormGrads grads =
          ref::batchNormBackward(dz, k.x, k.gamma, k.rows(), c, kEpsilon);
      EXPECT_TRUE(allClose(toTensor(dgamma), grads.dgamma, 1e-5));
      EXPECT_TRUE(allClose(toTensor(dbeta), grads.dbeta, 1e-5));
      EXPECT_TRUE(allClose(toTensor(dx), grads.dx, 1e-4));
    }
}

} // namespace
