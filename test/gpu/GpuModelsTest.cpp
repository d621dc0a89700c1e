//===- GpuModelsTest.cpp - Every model's steps on the GPU against the CPU -===//
//
// ctest label gpu: run only where an NVIDIA GPU is (test/gpu/run.sh). Each
// e2e model (every example, the merge layers, the small SGD/Adam/MSE/L2
// models: every op kind forward and backward, every optimizer) is
// compiled twice at build time, for the CPU and with --target=cuda. The
// CPU model.so is the reference: its kernels are checked against the
// plain C++ reference and finite differences by the quick tests. From the
// same seed and batch, the GPU model.so must give
//  - the same loss and gradient of the first train step (the parameters
//    are still identical): every gradient entry within 1e-4 of the
//    tensor's largest plus 1e-6;
//  - the same parameters after it, except where the gradient is at the
//    level of float rounding (Adam's and RMSprop's first step moves a
//    weight by the learning rate whatever the gradient's size, so there
//    the sign of rounding noise decides);
//  - after two more steps the same loss within 1e-3 (relative), then the
//    same eval loss and forward probabilities (1e-3, absolute);
//  - checkpoints interchangeable: the GPU's parameters and optimizer
//    state, loaded into a CPU context, predict what the GPU predicts;
//  - the train step's two halves (data-parallel training), with the
//    gradients brought to the host and sent back in between, give bit for
//    bit the GPU's own train step; the gradients' device pointer is there
//    for NCCL;
//  - training from the data set held in GPU memory (mnistc_set_dataset,
//    the steps _at places of an order), mixed with steps from the host,
//    gives bit for bit the GPU's steps on the same batches from the host
//    (train steps, then an eval step),
//    though the caller's copy of the data set is gone after it was set.
//
//===----------------------------------------------------------------------===//
#include "runtime/include/mnistc/model.h"
#include "test/e2e/LoadedModel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace {

using mnistc::test::Batch;
using mnistc::test::Model;

constexpr int kBatch = 32;

/// Both model.so files of one model, each with a context from one seed.
struct Pair {
  Model cpu, gpu;
  mnistc_ctx *c = nullptr, *g = nullptr;
  explicit Pair(const std::string &name)
      : cpu(name), gpu(name + ".cuda", MNISTC_GPU_DIR) {
    c = cpu.create(kBatch);
    g = gpu.create(kBatch);
    if (!c || !g)
      return;
    cpu.init(c, 7);
    gpu.init(g, 7);
  }
  ~Pair() {
    if (c)
      cpu.destroy(c);
    if (g)
      gpu.destroy(g);
  }
};

/// One train step of each side on `batch`; false if either fails.
bool trainBoth(Pair &p, const Batch &batch, float lr, float &lossC,
               float &lossG, int32_t &correctC, int32_t &correctG) {
  return p.cpu.train(p.c, batch.images.data(), batch.labels(), kBatch, lr,
                     &lossC, &correctC) == 0 &&
         p.gpu.train(p.g, batch.images.data(), batch.labels(), kBatch, lr,
                     &lossG, &correctG) == 0;
}

double maxAbs(const float *v, int64_t n) {
  double m = 0;
  for (int64_t i = 0; i < n; ++i)
    m = std::max(m, double(std::fabs(v[i])));
  return m;
}

class GpuModel : public ::testing::TestWithParam<const char *> {};

TEST_P(GpuModel, StepsMatchTheCpu) {
  Pair p(GetParam());
  ASSERT_NE(p.c, nullptr);
  ASSERT_NE(p.g, nullptr) << "no GPU context: run on a machine with an "
                             "NVIDIA GPU and its driver";
  const mnistc_model_info &info = *p.cpu.info;
  const float lr = static_cast<float>(info.learning_rate);
  Batch batch(p.cpu, kBatch, 11);

  // Step 1: the same parameters, so the same loss and gradients.
  float lossC = 0, lossG = 0;
  int32_t correctC = 0, correctG = 0;
  ASSERT_TRUE(trainBoth(p, batch, lr, lossC, lossG, correctC, correctG));
  EXPECT_NEAR(lossG, lossC, 1e-4 * std::max(1.0f, std::fabs(lossC)));
  EXPECT_NEAR(correctG, correctC, 1);
  const float *gradC = p.cpu.gradients(p.c);
  const float *gradG = p.gpu.gradients(p.g);
  const float *paramC = p.cpu.params(p.c);
  const float *paramG = p.gpu.params(p.g);
  for (int i = 0; i < info.num_params; ++i) {
    const mnistc_param &t = info.params[i];
    if (!t.trainable)
      continue;
    double scale = maxAbs(gradC + t.offset, t.size);
    int64_t moved = 0;
    for (int64_t k = t.offset; k < t.offset + t.size; ++k) {
      ASSERT_NEAR(gradG[k], gradC[k], 1e-4 * scale + 1e-6)
          << t.layer << "/" << t.name << " gradient entry " << k - t.offset;
      bool noise = std::fabs(gradC[k]) < 1e-4 * scale + 1e-6;
      if (!noise && std::fabs(paramG[k] - paramC[k]) >
                        1e-5 + 1e-4 * std::fabs(paramC[k]))
        ++moved;
    }
    EXPECT_EQ(moved, 0) << t.layer << "/" << t.name
                        << ": entries updated differently";
  }

  // Two more steps from the GPU's own parameters.
  for (int s = 0; s < 2; ++s) {
    Batch next(p.cpu, kBatch, 20 + s);
    ASSERT_TRUE(trainBoth(p, next, lr, lossC, lossG, correctC, correctG));
  }
  EXPECT_NEAR(lossG, lossC, 1e-3 * std::max(1.0f, std::fabs(lossC)));
  ASSERT_EQ(p.cpu.eval(p.c, batch.images.data(), batch.labels(), kBatch,
                       &lossC, &correctC),
            0);
  ASSERT_EQ(p.gpu.eval(p.g, batch.images.data(), batch.labels(), kBatch,
                       &lossG, &correctG),
            0);
  EXPECT_NEAR(lossG, lossC, 1e-3 * std::max(1.0f, std::fabs(lossC)));
  const int64_t outputs = int64_t(kBatch) * info.num_classes;
  std::vector<float> probC(outputs), probG(outputs);
  ASSERT_EQ(p.cpu.forward(p.c, batch.images.data(), kBatch, probC.data()), 0);
  ASSERT_EQ(p.gpu.forward(p.g, batch.images.data(), kBatch, probG.data()), 0);
  for (int64_t i = 0; i < outputs; ++i)
    ASSERT_NEAR(probG[i], probC[i], 1e-3) << "probability " << i;

  // The GPU's weights in a CPU context predict what the GPU predicts.
  std::copy(p.gpu.params(p.g), p.gpu.params(p.g) + info.param_floats,
            p.cpu.params(p.c));
  std::copy(p.gpu.state(p.g), p.gpu.state(p.g) + info.state_floats,
            p.cpu.state(p.c));
  ASSERT_EQ(p.cpu.forward(p.c, batch.images.data(), kBatch, probC.data()), 0);
  for (int64_t i = 0; i < outputs; ++i)
    ASSERT_NEAR(probG[i], probC[i], 1e-4) << "probability " << i;
}

TEST_P(GpuModel, TrainStepInTwoHalves) {
  Model gpu(std::string(GetParam()) + ".cuda", MNISTC_GPU_DIR);
  mnistc_ctx *fused = gpu.create(kBatch), *split = gpu.create(kBatch);
  ASSERT_TRUE(fused && split) << "no GPU context";
  gpu.init(fused, 7);
  gpu.init(split, 7);
  const mnistc_model_info &info = *gpu.info;
  const float lr = static_cast<float>(info.learning_rate);
  for (int s = 0; s < 2; ++s) {
    Batch batch(gpu, kBatch, 30 + s);
    float loss1, loss2;
    int32_t correct1, correct2;
    ASSERT_EQ(gpu.train(fused, batch.images.data(), batch.labels(), kBatch,
                        lr, &loss1, &correct1),
              0);
    ASSERT_EQ(gpu.computeGradients(split, batch.images.data(),
                                   batch.labels(), kBatch, 0, &loss2,
                                   &correct2),
              0);
    // To the host and back, as the MPI path does.
    float *gradients = gpu.gradientBuffer(split);
    std::vector<float> copy(gradients, gradients + info.param_floats);
    std::copy(copy.begin(), copy.end(), gradients);
    ASSERT_EQ(gpu.applyUpdate(split, lr), 0);
    EXPECT_EQ(loss1, loss2);
  }
  EXPECT_TRUE(std::equal(gpu.params(fused),
                         gpu.params(fused) + info.param_floats,
                         gpu.params(split)));
  void *context = nullptr;
  uint64_t pointer = 0;
  EXPECT_EQ(gpu.deviceGradients(split, &context, &pointer), 0);
  EXPECT_NE(context, nullptr);
  EXPECT_NE(pointer, 0u);
  gpu.destroy(fused);
  gpu.destroy(split);
}

TEST_P(GpuModel, TrainingFromTheDataSetInGpuMemory) {
  Model gpu(std::string(GetParam()) + ".cuda", MNISTC_GPU_DIR);
  mnistc_ctx *host = gpu.create(kBatch), *resident = gpu.create(kBatch);
  ASSERT_TRUE(host && resident) << "no GPU context";
  gpu.init(host, 8);
  gpu.init(resident, 8);
  const int count = 3 * kBatch;
  Batch data(gpu, count, 40);
  std::vector<int32_t> order(count);
  for (int i = 0; i < count; ++i)
    order[i] = (i * 7 + 3) % count;
  {
    Batch copy = data; // the model.so keeps its own copy on the GPU
    ASSERT_EQ(gpu.setDataset(resident, copy.images.data(), copy.sparse.data(),
                             count),
              0);
    std::fill(copy.images.begin(), copy.images.end(), -1.0f);
  }
  ASSERT_EQ(gpu.setOrder(resident, order.data(), count), 0);
  const float lr = static_cast<float>(gpu.info->learning_rate);
  for (int s = 0; s < 3; ++s) {
    std::vector<int32_t> places(order.begin() + s * kBatch,
                                order.begin() + (s + 1) * kBatch);
    Batch batch(gpu, data, places);
    float loss1, loss2;
    int32_t correct1, correct2;
    ASSERT_EQ(gpu.train(host, batch.images.data(), batch.labels(), kBatch, lr,
                        &loss1, &correct1),
              0);
    // The middle step from the host on both: the batch buffers switch
    // between the gather's device copy and the host's.
    ASSERT_EQ(s == 1 ? gpu.train(resident, batch.images.data(),
                                 batch.labels(), kBatch, lr, &loss2,
                                 &correct2)
                     : gpu.trainAt(resident, s * kBatch, kBatch, lr, &loss2,
                                   &correct2),
              0);
    EXPECT_EQ(loss1, loss2) << "step " << s;
    EXPECT_EQ(correct1, correct2) << "step " << s;
  }
  const int64_t floats = gpu.info->param_floats;
  EXPECT_TRUE(std::equal(gpu.params(host), gpu.params(host) + floats,
                         gpu.params(resident)));
  Batch first(gpu, data,
              std::vector<int32_t>(order.begin(), order.begin() + kBatch));
  float loss1, loss2;
  int32_t correct1, correct2;
  ASSERT_EQ(gpu.eval(host, first.images.data(), first.labels(), kBatch,
                     &loss1, &correct1),
            0);
  ASSERT_EQ(gpu.evalAt(resident, 0, kBatch, &loss2, &correct2), 0);
  EXPECT_EQ(loss1, loss2) << "eval step";
  EXPECT_EQ(correct1, correct2) << "eval step";
  gpu.destroy(host);
  gpu.destroy(resident);
}

INSTANTIATE_TEST_SUITE_P(
    Models, GpuModel,
    ::testing::Values("tiny_sgd", "tiny_adam", "mlp_sgd", "mse_l2",
                      "mse_linear", "merge_layers", "mlp", "mlp_dropout",
                      "cnn", "cnn_small", "lenet", "residual",
                      "global_average_pool", "global_max_pool"),
    [](const ::testing::TestParamInfo<const char *> &i) {
      return std::string(i.param);
    });

} // namespace
