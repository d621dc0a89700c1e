// Checkpoints of every example model (examples/*.dsl, compiled at build
// time), through the runtime library: after two training steps the
// context is saved, loaded into a fresh context of the same model.so, and
// both go on for two more steps on the same batches. The two must stay
// bit-identical: parameters (BatchNormalization's moving statistics
// included), optimizer state and step count, and the losses of the later
// steps, so Dropout's masks (keyed by the seed and the step count) and
// every other piece of state come back. A fresh context that only got the
// seed and not the checkpoint must differ.
#include "mnistc/checkpoint.h"
#include "mnistc/model_library.h"

#include "TempDirTest.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using namespace mnistc::rt;

namespace {

class CheckpointModel : public TempDirTest,
                        public ::testing::WithParamInterface<const char *> {};

/// Random images in [0, 1) and labels as the model takes them.
struct Batch {
  std::vector<float> images, oneHot;
  std::vector<int32_t> sparse;
  const void *labels = nullptr;
  Batch(const mnistc_model_info &info, int n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(0, 1);
    images.resize(size_t(n) * size_t(info.input_size));
    for (float &v : images)
      v = u(rng);
    oneHot.assign(size_t(n) * info.num_classes, 0.0f);
    for (int i = 0; i < n; ++i) {
      sparse.push_back(static_cast<int32_t>(rng() % info.num_classes));
      oneHot[size_t(i) * info.num_classes + sparse.back()] = 1.0f;
    }
    labels = info.sparse_labels ? static_cast<const void *>(sparse.data())
                                : oneHot.data();
  }
};

constexpr int kBatch = 8;

std::vector<float> steps(ModelContext &ctx, const std::vector<Batch> &batches,
                         size_t from, size_t to) {
  std::vector<float> losses;
  for (size_t i = from; i < to; ++i) {
    float loss = 0;
    int32_t correct = 0;
    EXPECT_TRUE(ctx.trainStep(batches[i].images.data(), batches[i].labels,
                              kBatch, 0.01f, loss, correct)
                    .ok());
    losses.push_back(loss);
  }
  return losses;
}

bool sameBuffers(ModelContext &a, ModelContext &b) {
  const mnistc_model_info &info = a.info();
  return std::equal(a.params(), a.params() + info.param_floats, b.params()) &&
         std::equal(a.state(), a.state() + info.state_floats, b.state()) &&
         *a.stepCount() == *b.stepCount();
}

TEST_P(CheckpointModel, ResumesBitIdentically) {
  ModelLibrary lib;
  std::string so = std::string(MNISTC_E2E_DIR) + "/" + GetParam() + ".so";
  ASSERT_TRUE(lib.open(so).ok()) << so;
  std::vector<Batch> batches;
  for (unsigned i = 0; i < 4; ++i)
    batches.emplace_back(lib.info(), kBatch, 100 + i);

  ModelContext first, resumed, seedOnly;
  for (ModelContext *c : {&first, &resumed, &seedOnly})
    ASSERT_TRUE(c->create(lib, kBatch).ok());
  first.initParams(7);
  steps(first, batches, 0, 2);
  TrainingState state;
  state.options.seed = 7;
  state.position.epoch = 0;
  state.position.batch = 2;
  std::string path = this->path("run.ckpt");
  ASSERT_TRUE(checkpointSave(path, first, state).ok());

  TrainingState loaded;
  ASSERT_TRUE(checkpointLoad(path, resumed, loaded).ok());
  EXPECT_EQ(loaded.position.batch, 2u);
  EXPECT_TRUE(sameBuffers(first, resumed));
  std::vector<float> a = steps(first, batches, 2, 4);
  std::vector<float> b = steps(resumed, batches, 2, 4);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(sameBuffers(first, resumed)) << GetParam();

  // The seed alone is not the state.
  seedOnly.initParams(7);
  steps(seedOnly, batches, 2, 4);
  EXPECT_FALSE(sameBuffers(first, seedOnly)) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Examples, CheckpointModel,
                         ::testing::Values("mlp", "mlp_dropout", "cnn",
                                           "cnn_small", "lenet", "residual"));

} // namespace
