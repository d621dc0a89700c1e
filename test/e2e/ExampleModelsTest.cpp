// Whole-model checks of every example model (examples/*.dsl), of
// test/codegen/Inputs/merge-layers.dsl, of the mean-squared-error and L2
// models here (mse_l2.dsl, mse_linear.dsl) and of the global poolings'
// (global_*_pool.dsl), each compiled by mnistc at
// build time and loaded through the C ABI (model.h):
//
//  - the gradient a train step computes (mnistc_gradients) against central
//    finite differences of the same step's loss, for sampled entries of
//    every trainable tensor. The loss is the training-mode loss (batch
//    statistics, the step's Dropout mask), evaluated with learning rate 0,
//    which leaves the parameters unchanged, and with the step count reset
//    so every evaluation draws the same mask;
//  - training twice from the same seed gives bit-identical parameters and
//    optimizer state, and another seed gives different ones;
//  - the train step's two halves (mnistc_compute_gradients, then
//    mnistc_apply_update) give bit for bit what mnistc_train_step gives;
//  - the gradients of a batch's shards, weighted by their sizes, add up to
//    the whole batch's gradient (data-parallel training,
//    docs/distributed.md), Dropout masks included;
//  - training from a data set the context holds (mnistc_set_dataset, the
//    steps _at places of an order) gives bit for bit what the same
//    batches give through mnistc_train_step, mnistc_compute_gradients and
//    mnistc_eval_step, and bad data sets, orders and places are refused.
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

/// Contexts `a` and `b` hold bit for bit the same parameters and
/// optimizer state.
void expectSameParamsAndState(const Model &m, mnistc_ctx *a, mnistc_ctx *b) {
  EXPECT_EQ(std::memcmp(m.params(a), m.params(b),
                        m.info->param_floats * sizeof(float)),
            0);
  EXPECT_EQ(std::memcmp(m.state(a), m.state(b),
                        m.info->state_floats * sizeof(float)),
            0);
}

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

TEST_P(ExampleModel, TrainStepInTwoHalvesIsBitIdentical) {
  Model m(GetParam());
  mnistc_ctx *fused = m.create(16), *split = m.create(16);
  m.init(fused, 7);
  m.init(split, 7);
  const float lr = float(m.info->learning_rate);
  for (unsigned step = 0; step < 3; ++step) {
    Batch batch(m, 16, 200 + step);
    float loss1, loss2;
    int32_t correct1, correct2;
    ASSERT_EQ(m.train(fused, batch.images.data(), batch.labels(), 16, lr,
                      &loss1, &correct1),
              0);
    ASSERT_EQ(m.computeGradients(split, batch.images.data(), batch.labels(),
                                 16, 0, &loss2, &correct2),
              0);
    ASSERT_EQ(m.applyUpdate(split, lr), 0);
    EXPECT_EQ(loss1, loss2);
    EXPECT_EQ(correct1, correct2);
  }
  EXPECT_EQ(*m.stepCount(fused), *m.stepCount(split));
  void *cudaContext = nullptr;
  uint64_t pointer = 0;
  EXPECT_EQ(m.deviceGradients(split, &cudaContext, &pointer), -1)
      << "a CPU model.so has no device gradients";
  expectSameParamsAndState(m, fused, split);
  m.destroy(fused);
  m.destroy(split);
}

TEST_P(ExampleModel, ShardGradientsAddUpToTheBatchGradient) {
  Model m(GetParam());
  // BatchNormalization normalizes each shard by its own statistics (as
  // Keras's MirroredStrategy does per replica), so its shards' gradients
  // are not the batch's.
  for (int i = 0; i < m.info->num_params; ++i)
    if (std::string(m.info->params[i].name) == "moving_mean")
      GTEST_SKIP() << "BatchNormalization: per-shard statistics";
  const int n = 16, cut = 7; // uneven shards: images [0, 7) and [7, 16)
  Batch batch(m, n, 300);
  mnistc_ctx *ctx = m.create(n);
  m.init(ctx, 9);
  float loss, lossA, lossB;
  int32_t correct, correctA, correctB;
  ASSERT_EQ(m.computeGradients(ctx, batch.images.data(), batch.labels(), n,
                               0, &loss, &correct),
            0);
  const size_t floats = size_t(m.info->param_floats);
  std::vector<float> whole(m.gradientBuffer(ctx), m.gradientBuffer(ctx) + floats);
  Batch shardB = batch;
  // Batch holds both label forms: drop the first `cut` rows of each.
  shardB.images.erase(shardB.images.begin(),
                      shardB.images.begin() + cut * m.info->input_size);
  shardB.sparse.erase(shardB.sparse.begin(), shardB.sparse.begin() + cut);
  shardB.oneHot.erase(shardB.oneHot.begin(),
                      shardB.oneHot.begin() + cut * m.info->num_classes);
  ASSERT_EQ(m.computeGradients(ctx, batch.images.data(), batch.labels(), cut,
                               0, &lossA, &correctA),
            0);
  std::vector<float> a(m.gradientBuffer(ctx), m.gradientBuffer(ctx) + floats);
  ASSERT_EQ(m.computeGradients(ctx, shardB.images.data(), shardB.labels(),
                               n - cut, cut, &lossB, &correctB),
            0);
  const float *b = m.gradientBuffer(ctx);
  EXPECT_EQ(correct, correctA + correctB);
  EXPECT_NEAR(loss, (lossA * cut + lossB * (n - cut)) / n, 1e-5 * loss);
  // Float sums in another order: within 1e-5 of the largest entry of each
  // tensor.
  for (int p = 0; p < m.info->num_params; ++p) {
    const mnistc_param &t = m.info->params[p];
    if (!t.trainable)
      continue;
    float largest = 0;
    for (int64_t i = t.offset; i < t.offset + t.size; ++i)
      largest = std::max(largest, std::fabs(whole[i]));
    int wrong = 0;
    for (int64_t i = t.offset; i < t.offset + t.size; ++i) {
      float sum = (a[i] * cut + b[i] * (n - cut)) / n;
      wrong += !(std::fabs(sum - whole[i]) <= 1e-5f * largest);
    }
    EXPECT_EQ(wrong, 0) << t.layer << "/" << t.name;
  }
  m.destroy(ctx);
}

TEST_P(ExampleModel, TrainingFromAResidentDataSetIsBitIdentical) {
  Model m(GetParam());
  const int count = 40, n = 16;
  Batch data(m, count, 400);
  // Every place once, shuffled, then some again: a last batch of 13.
  std::vector<int32_t> order(count);
  for (int i = 0; i < count; ++i)
    order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(5));
  order.insert(order.end(), {3, 3, 39, 0, 17});
  mnistc_ctx *resident = m.create(n), *host = m.create(n);
  m.init(resident, 11);
  m.init(host, 11);
  ASSERT_EQ(m.setDataset(resident, data.images.data(), data.sparse.data(),
                         count),
            0);
  ASSERT_EQ(m.setOrder(resident, order.data(), int32_t(order.size())), 0);
  const float lr = float(m.info->learning_rate);
  auto places = [&](int offset, int size) {
    return std::vector<int32_t>(order.begin() + offset,
                                order.begin() + offset + size);
  };
  for (int offset = 0; offset < int(order.size()); offset += n) {
    int size = std::min<int>(n, int(order.size()) - offset);
    Batch batch(m, data, places(offset, size));
    float loss1, loss2;
    int32_t correct1, correct2;
    ASSERT_EQ(m.train(host, batch.images.data(), batch.labels(), size, lr,
                      &loss1, &correct1),
              0);
    ASSERT_EQ(m.trainAt(resident, offset, size, lr, &loss2, &correct2), 0);
    EXPECT_EQ(loss1, loss2) << "batch at " << offset;
    EXPECT_EQ(correct1, correct2) << "batch at " << offset;
  }
  // A shard: images 5 .. 11 of the batch at 16.
  Batch shard(m, data, places(16 + 5, 7));
  float loss1, loss2;
  int32_t correct1, correct2;
  ASSERT_EQ(m.eval(host, shard.images.data(), shard.labels(), 7, &loss1,
                   &correct1),
            0);
  ASSERT_EQ(m.evalAt(resident, 16 + 5, 7, &loss2, &correct2), 0);
  EXPECT_EQ(loss1, loss2) << "eval step";
  EXPECT_EQ(correct1, correct2) << "eval step";
  ASSERT_EQ(m.computeGradients(host, shard.images.data(), shard.labels(), 7,
                               5, &loss1, &correct1),
            0);
  ASSERT_EQ(m.computeGradientsAt(resident, 16 + 5, 7, 5, &loss2, &correct2),
            0);
  EXPECT_EQ(loss1, loss2);
  EXPECT_EQ(correct1, correct2);
  const size_t floats = size_t(m.info->param_floats);
  EXPECT_EQ(std::memcmp(m.gradientBuffer(host), m.gradientBuffer(resident),
                        floats * sizeof(float)),
            0);
  expectSameParamsAndState(m, host, resident);
  m.destroy(resident);
  m.destroy(host);
}

TEST_P(ExampleModel, ResidentDataSetRefusesWhatItCannotUse) {
  Model m(GetParam());
  Batch data(m, 8, 500);
  mnistc_ctx *ctx = m.create(4);
  m.init(ctx, 1);
  float loss;
  int32_t correct;
  const int32_t order[] = {0, 7, 2, 5, 1};
  EXPECT_EQ(m.setOrder(ctx, order, 5), -1) << "an order before a data set";
  EXPECT_EQ(m.trainAt(ctx, 0, 4, 0.0f, &loss, &correct), -1)
      << "a step before an order";
  EXPECT_EQ(m.setDataset(ctx, data.images.data(), data.sparse.data(), 0), -1);
  std::vector<int32_t> labels = data.sparse;
  labels[6] = m.info->num_classes;
  EXPECT_EQ(m.setDataset(ctx, data.images.data(), labels.data(), 8), -1)
      << "a label out of range";
  labels[6] = -1;
  EXPECT_EQ(m.setDataset(ctx, data.images.data(), labels.data(), 8), -1);
  ASSERT_EQ(m.setDataset(ctx, data.images.data(), data.sparse.data(), 8), 0);
  const int32_t past[] = {0, 8}, negative[] = {-1};
  EXPECT_EQ(m.setOrder(ctx, past, 2), -1) << "a place past the data set";
  EXPECT_EQ(m.setOrder(ctx, negative, 1), -1);
  ASSERT_EQ(m.setOrder(ctx, order, 5), 0);
  EXPECT_EQ(m.trainAt(ctx, 2, 4, 0.0f, &loss, &correct), -1)
      << "a batch past the order's end";
  EXPECT_EQ(m.trainAt(ctx, -1, 2, 0.0f, &loss, &correct), -1);
  EXPECT_EQ(m.trainAt(ctx, 0, 5, 0.0f, &loss, &correct), -1)
      << "a batch above the context's";
  EXPECT_EQ(m.computeGradientsAt(ctx, 0, 2, -1, &loss, &correct), -1);
  EXPECT_EQ(m.evalAt(ctx, 3, 4, &loss, &correct), -1);
  EXPECT_EQ(m.trainAt(ctx, 1, 4, 0.0f, &loss, &correct), 0);
  // A new data set forgets the order.
  ASSERT_EQ(m.setDataset(ctx, data.images.data(), data.sparse.data(), 8), 0);
  EXPECT_EQ(m.trainAt(ctx, 0, 1, 0.0f, &loss, &correct), -1);
  m.destroy(ctx);
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleModel,
                         ::testing::Values("mlp", "mlp_dropout", "cnn",
                                           "cnn_small", "lenet", "residual",
                                           "merge_layers", "mse_l2",
                                           "mse_linear",
                                           "global_average_pool",
                                           "global_max_pool"),
                         [](const auto &info) { return info.param; });

} // namespace
