// Whole-model checks of every example model (examples/*.dsl), of
// test/codegen/Inputs/merge-layers.dsl and of the mean-squared-error and
// L2 models here (mse_l2.dsl, mse_linear.dsl), each compiled by mnistc at
// build time and loaded through the C ABI (model.h):
//
//  - the gradient a train step computes (mnistc_gradients) against central
//    finite differences of the same step's loss, for sampled entries of
//    every trainable tensor. The loss is the training-mode loss (batch
//    statistics, the step's Dropout mask), evaluated with learning rate 0,
//    which leaves the parameters unchanged, and with the step count reset
//    so every evaluation draws the same mask;
//  - training twice from the same seed gives bit-identical parameters and
//    optimizer state, and another seed gives different ones.
#include "runtime/include/mnistc/model.h"
#include "test/e2e/LoadedModel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using mnistc::test::Batch;
using mnistc::test::Model;

class ExampleModel : public ::testing::TestWithParam<const char *> {};

TEST_P(ExampleModel, WholeLossGradientMatchesFiniteDifferences) {
  Model m(GetParam());
  mnistc_ctx *ctx = m.create(8);
  ASSERT_NE(ctx, nullptr);
  m.init(ctx, 3);
  Batch batch(m, 8, 11);
  // The training-mode loss at the current parameters; the same step (0)
  // each time, so Dropout draws the same mask.
  auto loss = [&] {
    *m.stepCount(ctx) = 0;
    float l = 0;
    int32_t correct;
    EXPECT_EQ(m.train(ctx, batch.images.data(), batch.labels(), batch.n,
                      0.0f, &l, &correct),
              0);
    return double(l);
  };
  loss();
  const int64_t size = m.info->param_floats;
  std::vector<float> start(m.params(ctx), m.params(ctx) + size);
  std::vector<float> grad(m.gradients(ctx), m.gradients(ctx) + size);
  ASSERT_TRUE(std::equal(start.begin(), start.end(), m.params(ctx)))
      << "a step at learning rate 0 changed the parameters";

  // Per trainable tensor: of 64 random entries, the 4 with the largest
  // gradient (a meaningful signal), each compared with a central
  // difference at step 1e-2 and, should a ReLU or max-pool kink fall
  // inside that step (random images make near-ties common), again at 1e-3
  // and 1e-4. Tolerance: |g − fd| <= 5e-4 + 5%|fd|; the float32 rounding
  // of the loss contributes about 3e-7/eps.
  std::mt19937 rng(5);
  float *w = m.params(ctx);
  for (int t = 0; t < m.info->num_params; ++t) {
    const mnistc_param &p = m.info->params[t];
    if (!p.trainable)
      continue;
    std::vector<int64_t> entries;
    for (int i = 0; i < 64; ++i)
      entries.push_back(p.offset + rng() % p.size);
    std::sort(entries.begin(), entries.end(), [&](int64_t a, int64_t b) {
      return std::fabs(grad[a]) > std::fabs(grad[b]);
    });
    entries.resize(4);
    for (int64_t j : entries) {
      double fd = 0, error = 0;
      for (float eps : {1e-2f, 1e-3f, 1e-4f}) {
        w[j] = start[j] + eps;
        double up = loss();
        w[j] = start[j] - eps;
        double down = loss();
        w[j] = start[j];
        fd = (up - down) / (2.0 * eps);
        error = std::fabs(grad[j] - fd);
        if (error <= 5e-4 + 5e-2 * std::fabs(fd))
          break;
      }
      EXPECT_LE(error, 5e-4 + 5e-2 * std::fabs(fd))
          << p.layer << "/" << p.name << " entry " << j - p.offset
          << ": gradient " << grad[j] << ", finite difference " << fd;
    }
  }
  m.destroy(ctx);
}

TEST_P(ExampleModel, TrainingWithOneSeedIsBitIdentical) {
  Model m(GetParam());
  // Five steps at the model's learning rate on batches of 16, from `seed`.
  auto run = [&](uint64_t seed) {
    mnistc_ctx *ctx = m.create(16);
    m.init(ctx, seed);
    for (unsigned step = 0; step < 5; ++step) {
      Batch batch(m, 16, 100 + step);
      float loss;
      int32_t correct;
      EXPECT_EQ(m.train(ctx, batch.images.data(), batch.labels(), 16,
                        float(m.info->learning_rate), &loss, &correct),
                0);
    }
    std::vector<float> out(m.params(ctx), m.params(ctx) + m.info->param_floats);
    out.insert(out.end(), m.state(ctx), m.state(ctx) + m.info->state_floats);
    m.destroy(ctx);
    return out;
  };
  std::vector<float> a = run(42), b = run(42), c = run(43);
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0)
      << "two runs from seed 42 differ";
  EXPECT_NE(std::memcmp(a.data(), c.data(), a.size() * sizeof(float)), 0)
      << "seeds 42 and 43 gave the same training";
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleModel,
                         ::testing::Values("mlp", "mlp_dropout", "cnn",
                                           "cnn_small", "lenet", "residual",
                                           "merge_layers", "mse_l2",
                                           "mse_linear"),
                         [](const auto &info) { return info.param; });

} // namespace
