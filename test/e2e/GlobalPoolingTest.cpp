// The global pooling layers against a plain C++ reference: models of the
// form input(784) → Dense(64, tanh) → Reshape((4, 4, 4)) → global pooling
// (the maximum's with keepdims, then Flatten) → Dense(10, softmax)
// (test/e2e/global_*_pool.dsl), whose forward pass
// (mnistc_forward) must give the probabilities computed here from the same
// parameters. The whole-model checks (ExampleModelsTest.cpp) check the same
// models' gradients against finite differences.
#include "runtime/include/mnistc/model.h"
#include "test/e2e/LoadedModel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace {

using mnistc::test::Batch;
using mnistc::test::Model;

/// The parameter `name` of `layer`.
const float *param(const Model &m, mnistc_ctx *ctx, const char *layer,
                   const char *name) {
  for (int i = 0; i < m.info->num_params; ++i) {
    const mnistc_param &p = m.info->params[i];
    if (std::strcmp(p.layer, layer) == 0 && std::strcmp(p.name, name) == 0)
      return m.params(ctx) + p.offset;
  }
  ADD_FAILURE() << "no parameter " << layer << "/" << name;
  return nullptr;
}

/// The reference forward pass of one image: pool is the mean or the
/// maximum of each channel over the 4x4 image.
std::vector<double> reference(const Model &m, mnistc_ctx *ctx,
                              const float *x, bool mean) {
  const float *w1 = param(m, ctx, "dense", "kernel"); // (784, 64)
  const float *b1 = param(m, ctx, "dense", "bias");
  const float *w2 = param(m, ctx, "dense_1", "kernel"); // (4, 10)
  const float *b2 = param(m, ctx, "dense_1", "bias");
  std::vector<double> h(64);
  for (int u = 0; u < 64; ++u) {
    double z = b1[u];
    for (int i = 0; i < 784; ++i)
      z += double(x[i]) * w1[i * 64 + u];
    h[u] = std::tanh(z);
  }
  // Reshape((4, 4, 4)): h[(y·4 + x)·4 + c].
  std::vector<double> pooled(4);
  for (int c = 0; c < 4; ++c) {
    double acc = mean ? 0.0 : -INFINITY;
    for (int cell = 0; cell < 16; ++cell)
      acc = mean ? acc + h[cell * 4 + c] : std::max(acc, h[cell * 4 + c]);
    pooled[c] = mean ? acc / 16 : acc;
  }
  std::vector<double> probs(10);
  double top = -INFINITY, sum = 0;
  for (int k = 0; k < 10; ++k) {
    probs[k] = b2[k];
    for (int c = 0; c < 4; ++c)
      probs[k] += pooled[c] * w2[c * 10 + k];
    top = std::max(top, probs[k]);
  }
  for (double &p : probs)
    sum += p = std::exp(p - top);
  for (double &p : probs)
    p /= sum;
  return probs;
}

struct Case {
  const char *model;
  bool mean;
};

class GlobalPooling : public ::testing::TestWithParam<Case> {};

// Tolerance: the model computes in float32 (sums of 784 products), the
// reference in double; 1e-5 absolute on probabilities.
TEST_P(GlobalPooling, ForwardMatchesReference) {
  Model m(GetParam().model);
  const int n = 5;
  mnistc_ctx *ctx = m.create(n);
  ASSERT_NE(ctx, nullptr);
  m.init(ctx, 7);
  Batch batch(m, n, 3);
  std::vector<float> probs(n * 10);
  ASSERT_EQ(m.forward(ctx, batch.images.data(), n, probs.data()), 0);
  for (int i = 0; i < n; ++i) {
    std::vector<double> want =
        reference(m, ctx, batch.images.data() + i * 784, GetParam().mean);
    for (int k = 0; k < 10; ++k)
      EXPECT_NEAR(probs[i * 10 + k], want[k], 1e-5)
          << "image " << i << ", class " << k;
  }
  m.destroy(ctx);
}

INSTANTIATE_TEST_SUITE_P(Layers, GlobalPooling,
                         ::testing::Values(Case{"global_average_pool", true},
                                           Case{"global_max_pool", false}),
                         [](const auto &info) {
                           return std::string(info.param.model);
                         });

} // namespace
