//===- KernelsTiming.cpp - Hand-run timing of the MLP's kernels ----------===//
//
// Not a test: a timing loop kept next to the tests so the numbers in
// docs/kernels.md can be reproduced. Disabled by default; run it with
//   kernels-unittests --gtest_also_run_disabled_tests
//                     --gtest_filter='*KernelsTiming*'
// It times every kernel one training step of the MNIST MLP (Dense 512
// relu, Dense 10 softmax, sparse CE, 407,050 parameters) runs at batch 128,
// plus softmax inference: best of 20 rounds of 10 calls, wall clock and
// process CPU time per call. Asserts nothing.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Dense.h"
#include "compiler/Ops/Optimizers.h"
#include "compiler/Ops/SoftmaxCrossEntropy.h"
#include "test/unit/KernelTestSupport.h"

#include <chrono>
#include <cstdio>
#include <ctime>

using namespace Halide;
using namespace mnistc;
using namespace mnistc::test;
using ops::Activation;

namespace {

double cpuMilliseconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/// Times `kernel` on `inputs` → `outputs` and prints one table row.
void time(const char *what, ops::Kernel &kernel, std::vector<Buffer<>> inputs,
          std::vector<Buffer<>> outputs) {
  run(kernel, inputs, outputs); // warm up
  Realization realization(outputs);
  double wall = 1e30, cpu = 1e30;
  for (int round = 0; round < 20; ++round) {
    double c0 = cpuMilliseconds();
    auto t0 = std::chrono::steady_clock::now();
    for (int call = 0; call < 10; ++call)
      kernel.pipeline.realize(realization, hostTarget());
    auto t1 = std::chrono::steady_clock::now();
    wall = std::min(
        wall, std::chrono::duration<double, std::milli>(t1 - t0).count() / 10);
    cpu = std::min(cpu, (cpuMilliseconds() - c0) / 10);
  }
  std::printf("| %-46s | %8.3f | %8.3f |\n", what, wall, cpu);
}

Buffer<float> filled(std::vector<int> extents, float lo, float hi,
                     unsigned seed) {
  size_t count = 1;
  for (int e : extents)
    count *= e;
  return toBuffer(randomTensor(count, lo, hi, seed), extents);
}

TEST(KernelsTiming, DISABLED_MlpStepAtBatch128) {
  const int n = 128, params = 784 * 512 + 512 + 512 * 10 + 10;
  const Target &target = hostTarget();
  std::printf(
      "target %s, %d threads (HL_NUM_THREADS)\n", target.to_string().c_str(),
      Halide::Internal::get_env_variable("HL_NUM_THREADS").empty()
          ? 0
          : std::stoi(Halide::Internal::get_env_variable("HL_NUM_THREADS")));
  std::printf("| %-46s | %8s | %8s |\n", "kernel (batch 128)", "wall ms",
              "cpu ms");

  Buffer<float> x = filled({784, n}, 0, 1, 1),
                w1 = filled({512, 784}, -0.05f, 0.05f, 2),
                b1 = filled({512}, -0.1f, 0.1f, 3), h(512, n),
                w2 = filled({10, 512}, -0.1f, 0.1f, 4),
                b2 = filled({10}, 0, 0, 5), z(10, n), dz(10, n), dh(512, n),
                dw1(512, 784), db1(512), dw2(10, 512), db2(10), probs(10, n);
  Buffer<int32_t> labels(n);
  for (int s = 0; s < n; ++s)
    labels(s) = s % 10;
  Buffer<float> loss = Buffer<float>::make_scalar();
  Buffer<int32_t> correct = Buffer<int32_t>::make_scalar();

  ops::Kernel fwd1 = ops::denseForward({784, 512}, Activation::Relu, target);
  ops::Kernel fwd2 = ops::denseForward({512, 10}, Activation::Linear, target);
  ops::Kernel sce =
      ops::softmaxCrossEntropy(10, ops::LabelKind::Sparse, target);
  ops::Kernel bwdIn2 =
      ops::denseBackwardInput({512, 10}, Activation::Linear, target);
  ops::Kernel bwdP2 =
      ops::denseBackwardParams({512, 10}, Activation::Linear, target);
  ops::Kernel bwdP1 =
      ops::denseBackwardParams({784, 512}, Activation::Relu, target);
  ops::Kernel bwdIn1 =
      ops::denseBackwardInput({784, 512}, Activation::Relu, target);
  ops::Kernel softmax = ops::softmaxForward(10, target);
  for (ops::Kernel *k :
       {&fwd1, &fwd2, &sce, &bwdIn2, &bwdP2, &bwdP1, &bwdIn1, &softmax})
    k->pipeline.compile_jit(target);

  time("dense 784x512 relu forward", fwd1, {x, w1, b1}, {h});
  time("dense 512x10 linear forward", fwd2, {h, w2, b2}, {z});
  time("softmax_cross_entropy sparse 10", sce, {z, labels},
       {loss, dz, correct});
  time("dense 512x10 linear backward_params", bwdP2, {dz, z, h}, {dw2, db2});
  time("dense 512x10 linear backward_input", bwdIn2, {dz, z, w2}, {dh});
  time("dense 784x512 relu backward_params", bwdP1, {dh, h, x}, {dw1, db1});
  time("dense 784x512 relu backward_input (unused)", bwdIn1, {dh, h, w1},
       {Buffer<float>(784, n)});
  time("softmax 10 forward (inference)", softmax, {z}, {probs});

  Buffer<float> w = filled({params}, -0.1f, 0.1f, 6),
                g = filled({params}, -0.01f, 0.01f, 7),
                m = filled({params}, -0.01f, 0.01f, 8),
                v = filled({params}, 0, 0.01f, 9);
  ops::Kernel sgd = ops::sgdUpdate(params, {}, target);
  ops::Kernel sgdMomentum = ops::sgdUpdate(params, {0.9, false, 0.0}, target);
  ops::Kernel adam = ops::adamUpdate(params, {}, target);
  ops::Kernel rmsprop = ops::rmspropUpdate(params, {}, target);
  for (ops::Kernel *k : {&sgd, &sgdMomentum, &adam, &rmsprop}) {
    k->pipeline.compile_jit(target);
    k->scalars[0].set<float>(1e-3f);
  }
  adam.scalars[1].set<int32_t>(10);
  time("sgd update 407050 (in place)", sgd, {w, g}, {w});
  time("sgd momentum update 407050 (in place)", sgdMomentum, {w, g, m}, {w, m});
  time("adam update 407050 (in place)", adam, {w, g, m, v}, {w, m, v});
  time("rmsprop update 407050 (in place)", rmsprop, {w, g, v}, {w, v});
}

} // namespace
