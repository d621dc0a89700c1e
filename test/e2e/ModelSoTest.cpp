// Tests of generated model.so files through their C ABI (model.h): the
// description, Keras initializers, and every step against a plain C++
// double-precision reference of the same MLP (test/unit/Reference.h,
// independent of the generated code), plus a finite-difference check of the gradient
// the train step applies. Tolerances are stated at each check.
#include "runtime/include/mnistc/model.h"
#include "test/e2e/LoadedModel.h"
#include "test/unit/Reference.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

// Every malloc of the process is counted, to check that steps allocate
// nothing (glibc's own allocator does the work). Not under AddressSanitizer
// (make check-sanitize), which must own malloc itself.
#ifndef __SANITIZE_ADDRESS__
#define MNISTC_COUNT_MALLOCS 1
extern "C" void *__libc_malloc(size_t);
static std::atomic<long> gMallocs{0};
extern "C" void *malloc(size_t size) {
  gMallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
#endif

namespace {

using mnistc::test::Model;

using mnistc::ref::Act;
using mnistc::ref::Tensor;

/// The reference: an MLP of Dense layers whose parameters are the model's
/// (kernel, bias) pairs in order, the last one feeding a softmax, computed
/// in double precision with test/unit/Reference.h.
struct Reference {
  const mnistc_model_info *info;
  std::vector<Act> hidden; // activations of all but the last layer

  struct Pass {
    Tensor probs; // [n][classes]
    double loss = 0;
    int correct = 0;
    std::vector<Tensor> grads; // per parameter tensor
  };

  static Tensor slice(const float *params, const mnistc_param &p) {
    return Tensor(params + p.offset, params + p.offset + p.size);
  }

  /// Forward (and, with one-hot targets [n][classes], loss and backward).
  Pass run(const float *params, const std::vector<float> &x, int n,
           const Tensor *targets) const {
    size_t layers = hidden.size() + 1;
    Tensor in(x.begin(), x.begin() + n * info->input_size);
    std::vector<Tensor> inputs, outputs;
    for (size_t l = 0; l < layers; ++l) {
      const mnistc_param &k = info->params[2 * l], &b = info->params[2 * l + 1];
      Act act = l < hidden.size() ? hidden[l] : Act::Linear;
      Tensor y = mnistc::ref::denseForward(
          in, slice(params, k), slice(params, b), n, int(k.shape[0]),
          int(k.shape[1]), act);
      inputs.push_back(in);
      outputs.push_back(y);
      in = y;
    }
    int classes = info->num_classes;
    Pass p;
    p.probs = mnistc::ref::softmax(in, n, classes);
    if (!targets)
      return p;
    mnistc::ref::CrossEntropy ce =
        mnistc::ref::categoricalSoftmaxCrossEntropy(in, *targets, n, classes);
    p.loss = ce.loss;
    p.correct = ce.correct;
    p.grads.assign(2 * layers, {});
    Tensor dy = ce.dlogits;
    for (size_t l = layers; l-- > 0;) {
      const mnistc_param &k = info->params[2 * l];
      Act act = l < hidden.size() ? hidden[l] : Act::Linear;
      mnistc::ref::DenseGrads g = mnistc::ref::denseBackward(
          dy, outputs[l], inputs[l], slice(params, k), n, int(k.shape[0]),
          int(k.shape[1]), act);
      p.grads[2 * l] = g.dW;
      p.grads[2 * l + 1] = g.db;
      dy = g.dx;
    }
    return p;
  }
};

std::vector<float> randomImages(int n, int size, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  std::vector<float> x(n * size);
  for (float &v : x)
    v = u(rng);
  return x;
}

/// One-hot rows [n][classes].
Tensor oneHot(const std::vector<int32_t> &labels, int classes) {
  Tensor t(labels.size() * classes, 0.0);
  for (size_t i = 0; i < labels.size(); ++i)
    t[i * classes + labels[i]] = 1;
  return t;
}

/// |a - b| <= abs + rel * |b|.
void expectNear(double a, double b, double abs, double rel,
                const std::string &what) {
  EXPECT_LE(std::fabs(a - b), abs + rel * std::fabs(b))
      << what << ": generated " << a << ", reference " << b;
}

const int kMaxBatch = 9;

class TinySgd : public ::testing::Test {
protected:
  Model m{"tiny_sgd"};
  Reference ref{m.info, {Act::Relu, Act::Tanh}};
  mnistc_ctx *ctx = nullptr;
  void SetUp() override {
    ctx = m.create(kMaxBatch);
    ASSERT_NE(ctx, nullptr);
    m.init(ctx, 7);
  }
  void TearDown() override { m.destroy(ctx); }
};

TEST_F(TinySgd, DescribesTheModel) {
  const mnistc_model_info *info = m.info;
  EXPECT_EQ(info->abi_version, MNISTC_ABI_VERSION);
  EXPECT_STREQ(info->name, "tiny_sgd");
  EXPECT_EQ(info->input_size, 13);
  EXPECT_EQ(info->num_classes, 3);
  EXPECT_EQ(info->sparse_labels, 1);
  EXPECT_STREQ(info->optimizer, "SGD");
  EXPECT_DOUBLE_EQ(info->learning_rate, 0.5);
  EXPECT_EQ(info->batch_size, 9);
  ASSERT_EQ(info->num_params, 6);
  EXPECT_STREQ(info->params[0].layer, "dense");
  EXPECT_STREQ(info->params[0].name, "kernel");
  EXPECT_STREQ(info->params[0].initializer, "glorot_uniform");
  EXPECT_EQ(info->params[0].shape[0], 13);
  EXPECT_EQ(info->params[0].shape[1], 7);
  EXPECT_EQ(info->params[0].fan_in, 13);
  EXPECT_EQ(info->params[0].fan_out, 7);
  EXPECT_STREQ(info->params[5].layer, "dense_2");
  EXPECT_STREQ(info->params[5].name, "bias");
  for (int i = 0; i < info->num_params; ++i)
    EXPECT_EQ(info->params[i].offset % 16, 0) << "64-byte aligned tensors";
}

TEST_F(TinySgd, KerasInitializersAreSeeded) {
  std::vector<float> first(m.params(ctx), m.params(ctx) + m.info->param_floats);
  for (int i = 0; i < m.info->num_params; ++i) {
    const mnistc_param &p = m.info->params[i];
    double limit = std::sqrt(6.0 / (p.fan_in + p.fan_out));
    bool bias = std::string(p.name) == "bias";
    for (int64_t j = 0; j < p.size; ++j) {
      float v = first[p.offset + j];
      if (bias)
        EXPECT_EQ(v, 0.0f);
      else
        EXPECT_LE(std::fabs(v), limit) << p.layer << "/" << p.name;
    }
  }
  m.init(ctx, 7);
  EXPECT_TRUE(std::equal(first.begin(), first.end(), m.params(ctx)));
  m.init(ctx, 8);
  EXPECT_FALSE(std::equal(first.begin(), first.end(), m.params(ctx)));
}

TEST_F(TinySgd, ForwardMatchesTheReference) {
  for (int n : {1, 4, kMaxBatch}) {
    std::vector<float> x = randomImages(n, 13, n);
    std::vector<float> probs(n * 3);
    ASSERT_EQ(m.forward(ctx, x.data(), n, probs.data()), 0);
    Reference::Pass r = ref.run(m.params(ctx), x, n, nullptr);
    // Float32 kernels against a double reference: 1e-5 absolute on
    // probabilities in [0, 1].
    for (int i = 0; i < n * 3; ++i)
      expectNear(probs[i], r.probs[i], 1e-5, 0,
                 "probability " + std::to_string(i) + " at batch " +
                     std::to_string(n));
  }
}

TEST_F(TinySgd, EvalStepMatchesTheReference) {
  int n = 7;
  std::vector<float> x = randomImages(n, 13, 3);
  std::vector<int32_t> labels{0, 1, 2, 2, 1, 0, 1};
  float loss = 0;
  int32_t correct = -1;
  ASSERT_EQ(m.eval(ctx, x.data(), labels.data(), n, &loss, &correct), 0);
  auto targets = oneHot(labels, 3);
  Reference::Pass r = ref.run(m.params(ctx), x, n, &targets);
  expectNear(loss, r.loss, 1e-5, 1e-5, "mean loss");
  EXPECT_EQ(correct, r.correct);
}

TEST_F(TinySgd, TrainStepAppliesTheReferenceGradient) {
  int n = kMaxBatch;
  std::vector<float> x = randomImages(n, 13, 11);
  std::vector<int32_t> labels{0, 1, 2, 2, 1, 0, 1, 0, 2};
  std::vector<float> before(m.params(ctx), m.params(ctx) + m.info->param_floats);
  auto targets = oneHot(labels, 3);
  Reference::Pass r = ref.run(before.data(), x, n, &targets);
  float loss;
  int32_t correct;
  ASSERT_EQ(m.train(ctx, x.data(), labels.data(), n, 0.5f, &loss, &correct), 0);
  expectNear(loss, r.loss, 1e-5, 1e-5, "loss before the update");
  // SGD: w' = w - lr * g, so (w - w') / lr is the gradient applied.
  // Tolerance: 1e-5 absolute + 1e-3 relative (float32 sums of <= 13 terms).
  for (int t = 0; t < m.info->num_params; ++t) {
    const mnistc_param &p = m.info->params[t];
    for (int64_t j = 0; j < p.size; ++j) {
      double applied = (before[p.offset + j] - m.params(ctx)[p.offset + j]) / 0.5;
      expectNear(applied, r.grads[t][j], 1e-5, 1e-3,
                 std::string(p.layer) + "/" + p.name + "[" +
                     std::to_string(j) + "]");
    }
  }
}

/// One SGD step reveals the gradient it applied: g = (w - w') / lr. Checks
/// it against central differences of the model's own float32 loss
/// (eval_step) on `samples` random entries of every parameter tensor.
/// eps 1e-2: truncation O(eps^2), rounding ~1e-5 / eps; tolerance 2e-3
/// absolute + 5e-2 relative.
void checkAppliedGradient(Model &m, mnistc_ctx *ctx, int n, float lr,
                          int samples) {
  int64_t size = m.info->input_size;
  std::vector<float> x = randomImages(n, static_cast<int>(size), 5);
  std::vector<int32_t> labels(n);
  for (int i = 0; i < n; ++i)
    labels[i] = (3 * i + 1) % m.info->num_classes;
  std::vector<float> start(m.params(ctx), m.params(ctx) + m.info->param_floats);
  float loss;
  int32_t correct;
  ASSERT_EQ(m.train(ctx, x.data(), labels.data(), n, lr, &loss, &correct), 0);
  std::vector<float> after(m.params(ctx), m.params(ctx) + m.info->param_floats);
  const float eps = 1e-2f;
  std::mt19937 rng(1);
  for (int t = 0; t < m.info->num_params; ++t) {
    const mnistc_param &p = m.info->params[t];
    for (int sample = 0; sample < samples; ++sample) {
      int64_t j = p.offset + rng() % p.size;
      float *w = m.params(ctx);
      std::copy(start.begin(), start.end(), w);
      float lp, lm;
      w[j] = start[j] + eps;
      m.eval(ctx, x.data(), labels.data(), n, &lp, &correct);
      w[j] = start[j] - eps;
      m.eval(ctx, x.data(), labels.data(), n, &lm, &correct);
      double fd = (double(lp) - lm) / (2 * eps);
      double applied = (double(start[j]) - after[j]) / lr;
      expectNear(applied, fd, 2e-3, 5e-2,
                 std::string(p.layer) + "/" + p.name + " entry " +
                     std::to_string(j - p.offset));
    }
  }
}

TEST_F(TinySgd, GradientMatchesFiniteDifferences) {
  checkAppliedGradient(m, ctx, 6, 0.5f, 5);
}

TEST(MlpSgd, WholeLossGradientMatchesFiniteDifferences) {
  // The seed MLP's shapes (784 -> 512 relu -> 10) at a partial batch.
  Model m("mlp_sgd");
  mnistc_ctx *ctx = m.create(128);
  m.init(ctx, 1);
  checkAppliedGradient(m, ctx, 37, 0.1f, 20);
  m.destroy(ctx);
}

TEST_F(TinySgd, RejectsBatchesOutOfRange) {
  std::vector<float> x = randomImages(kMaxBatch + 1, 13, 2);
  std::vector<int32_t> labels(kMaxBatch + 1, 0);
  float loss;
  int32_t correct;
  EXPECT_NE(m.train(ctx, x.data(), labels.data(), kMaxBatch + 1, 0.1f, &loss,
                    &correct),
            0);
  EXPECT_NE(m.train(ctx, x.data(), labels.data(), 0, 0.1f, &loss, &correct),
            0);
  EXPECT_EQ(m.create(0), nullptr);
  // A batch whose images alone pass the 2 GiB a Halide buffer addresses:
  // null, before anything is allocated (not an exception, not a crash).
  EXPECT_EQ(m.create(1 << 30), nullptr);
}

TEST(MlpSgd, StepsAllocateNothingOnceWarm) {
  // The first calls of each step size the kernels' scratch pool and start
  // Halide's thread pool; after that, steps reuse pooled blocks. The pool
  // can still grow once or twice if parallel kernel tasks happen to
  // overlap more than ever before, so 30 warm steps may call malloc at
  // most twice; any per-step allocation would show up 30 times.
#ifndef MNISTC_COUNT_MALLOCS
  GTEST_SKIP() << "malloc belongs to AddressSanitizer in this build";
#else
  Model m("mlp_sgd");
  mnistc_ctx *ctx = m.create(128);
  m.init(ctx, 2);
  int n = 128;
  std::vector<float> x = randomImages(n, 784, 4), probs(n * 10);
  std::vector<int32_t> labels(n, 3);
  float loss;
  int32_t correct;
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(m.train(ctx, x.data(), labels.data(), n, 0.1f, &loss, &correct),
              0);
    ASSERT_EQ(m.eval(ctx, x.data(), labels.data(), n, &loss, &correct), 0);
    ASSERT_EQ(m.forward(ctx, x.data(), n, probs.data()), 0);
  }
  long before = gMallocs.load();
  for (int i = 0; i < 10; ++i) {
    m.train(ctx, x.data(), labels.data(), n - i, 0.1f, &loss, &correct);
    m.eval(ctx, x.data(), labels.data(), n - i, &loss, &correct);
    m.forward(ctx, x.data(), n - i, probs.data());
  }
  EXPECT_LE(gMallocs.load() - before, 2) << "mallocs during 30 warm steps";
  m.destroy(ctx);
#endif
}

TEST(MlpSgd, MemoryReportsWhatTheContextHolds) {
  // mnistc_memory against the description and against itself: the arena
  // grows by the same bytes per image from batch to batch, and an image
  // needs at least the hidden layer's 512 activations and their gradient.
  Model m("mlp_sgd");
  auto usage = [&](int32_t batch) {
    mnistc_memory_usage u{};
    mnistc_ctx *ctx = m.create(batch);
    m.memory(ctx, &u);
    m.destroy(ctx);
    return u;
  };
  mnistc_memory_usage u32 = usage(32), u33 = usage(33), u64 = usage(64);
  EXPECT_EQ(u32.params, int64_t(m.info->param_floats) * 4);
  EXPECT_EQ(u32.gradients, int64_t(m.info->param_floats) * 4);
  EXPECT_EQ(u32.state, int64_t(m.info->state_floats) * 4);
  int64_t perImage = u33.arena - u32.arena;
  EXPECT_GE(perImage, 2 * 512 * 4);
  EXPECT_EQ(u64.arena - u32.arena, 32 * perImage);
  EXPECT_EQ(u64.params, u32.params);
}

TEST_F(TinySgd, ProfileTimesEveryKernelCall) {
  // Three train steps of 5 images and one forward pass with profiling on,
  // then a step with it off: the report counts exactly the profiled ones,
  // every call of the train step three times.
  std::vector<float> x = randomImages(5, 13, 3), probs(5 * 3);
  std::vector<int32_t> labels = {0, 1, 2, 0, 1};
  float loss;
  int32_t correct;
  m.profile(1);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(m.train(ctx, x.data(), labels.data(), 5, 0.1f, &loss, &correct),
              0);
  ASSERT_EQ(m.forward(ctx, x.data(), 4, probs.data()), 0);
  m.profile(0);
  ASSERT_EQ(m.train(ctx, x.data(), labels.data(), 5, 0.1f, &loss, &correct),
            0);
  std::istringstream report(m.profileReport());
  std::string line, kind, step, symbol;
  int trainCalls = 0;
  while (std::getline(report, line)) {
    std::istringstream fields(line);
    fields >> kind >> step;
    if (kind == "step") {
      int64_t steps, images;
      fields >> steps >> images;
      int64_t want = step == "train" ? 3 : step == "forward" ? 1 : 0;
      EXPECT_EQ(steps, want) << line;
      EXPECT_EQ(images, step == "train" ? 15 : step == "forward" ? 4 : 0)
          << line;
    } else {
      ASSERT_EQ(kind, "call") << line;
      int index;
      int64_t calls;
      double seconds;
      fields >> index >> symbol >> calls >> seconds;
      EXPECT_EQ(symbol.rfind("mnistc_k", 0), 0u) << line;
      if (step == "train") {
        EXPECT_EQ(index, trainCalls++) << line;
        EXPECT_EQ(calls, 3) << line;
        EXPECT_GT(seconds, 0) << line;
      }
    }
  }
  EXPECT_GE(trainCalls, 5) << "forward, loss, backward and update kernels";
}

TEST(TinyAdam, FirstStepFollowsKerasAdam) {
  Model m("tiny_adam");
  ASSERT_EQ(m.info->sparse_labels, 0);
  Reference ref{m.info, {Act::Sigmoid}};
  mnistc_ctx *ctx = m.create(4);
  m.init(ctx, 3);
  int n = 4;
  std::vector<float> x = randomImages(n, 13, 9);
  std::vector<int32_t> labels{1, 0, 2, 1};
  auto targets = oneHot(labels, 3);
  std::vector<float> onehot(targets.begin(), targets.end());
  std::vector<float> before(m.params(ctx), m.params(ctx) + m.info->param_floats);
  Reference::Pass r = ref.run(before.data(), x, n, &targets);
  float loss;
  int32_t correct;
  ASSERT_EQ(m.train(ctx, x.data(), onehot.data(), n, 0.01f, &loss, &correct),
            0);
  expectNear(loss, r.loss, 1e-5, 1e-5, "loss");
  // Keras Adam, t = 1: m = (1-b1) g, v = (1-b2) g^2,
  // alpha = lr sqrt(1-b2)/(1-b1), w' = w - alpha m / (sqrt(v) + eps).
  const double b1 = 0.9, b2 = 0.999, epsilon = 1e-7, lr = 0.01;
  double alpha = lr * std::sqrt(1 - b2) / (1 - b1);
  for (int t = 0; t < m.info->num_params; ++t) {
    const mnistc_param &p = m.info->params[t];
    for (int64_t j = 0; j < p.size; ++j) {
      double g = r.grads[t][j];
      double expected = before[p.offset + j] -
                        alpha * (1 - b1) * g /
                            (std::sqrt((1 - b2) * g * g) + epsilon);
      // Near g = 0 the step is g-sensitive; 1e-4 absolute covers it.
      expectNear(m.params(ctx)[p.offset + j], expected, 1e-4, 1e-4,
                 std::string(p.layer) + "/" + p.name);
    }
  }
  m.destroy(ctx);
}

} // namespace
