//===- ConvKernelsTest.cpp - Conv2D and pooling kernels vs the reference -===//
//
// Each Conv2D (forward, backward input, backward params) and pooling (max
// and average, forward and backward) kernel of compiler/Ops/ is
// JIT-compiled once per shape and run at batches 1 and 7 (129 for one
// small shape) against the double-precision reference of Reference.cpp.
// Shapes cover non-square inputs (7x5), strides 2 and unequal strides,
// 'same' padding with even windows (2x2, 4x4), 1x1 kernels, channel counts
// that leave SIMD tails, and the cnn example's 28x28x1 → 3x3x32 valid conv
// and 2x2 max pool. Tolerances, as in KernelsTest.cpp:
//  - kernel vs reference: relative 1e-4 (of max(|want|, rms(want)));
//  - backward kernels vs central differences of the float32 kernels' own
//    forward (h = 1e-2): relative 5e-3. Max-pool inputs there are spaced
//    0.1 apart, so no perturbation changes a window's arg-max.
// Max-pool ties: the first maximum in row-major window order gets the
// whole gradient; 'same' windows whose real cells are all negative still
// ignore the (zero) padding.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Conv2D.h"
#include "compiler/Ops/Pool.h"
#include "test/unit/KernelTestSupport.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>
#include <unistd.h>

using namespace Halide;
using namespace mnistc;
using namespace mnistc::test;
using ops::Activation;

namespace {

constexpr double kRtol = 1e-4;
constexpr double kFdStep = 1e-2;
constexpr double kFdRtol = 5e-3;

std::string windowKey(const ref::Window2D &g) {
  auto str = [](int v) { return std::to_string(v); };
  return str(g.inH) + "x" + str(g.inW) + "_k" + str(g.kh) + "x" + str(g.kw) +
         "_s" + str(g.sh) + "x" + str(g.sw) + (g.same ? "_same" : "_valid");
}

/// Σ weights ⊙ values, the objective whose gradient the backward kernels
/// return when dy = weights.
double dot(const ref::Tensor &weights, const ref::Tensor &values) {
  double sum = 0;
  for (size_t k = 0; k < values.size(); ++k)
    sum += weights[k] * values[k];
  return sum;
}

/// Central differences of `objective` with respect to every element of
/// each tensor in `params`, concatenated in order.
template <typename Objective>
ref::Tensor centralDifferences(std::vector<ref::Tensor> params,
                               Objective objective) {
  ref::Tensor grads;
  for (size_t which = 0; which < params.size(); ++which)
    for (size_t k = 0; k < params[which].size(); ++k) {
      double saved = params[which][k];
      params[which][k] = saved + kFdStep;
      double up = objective(params);
      params[which][k] = saved - kFdStep;
      double down = objective(params);
      params[which][k] = saved;
      grads.push_back((up - down) / (2 * kFdStep));
    }
  return grads;
}

//===----------------------------------------------------------------------===//
// Conv2D
//===----------------------------------------------------------------------===//

struct ConvCase {
  ref::Window2D g;
  int cin, cout;
  Activation act;
  std::vector<int> batches;
};

void PrintTo(const ConvCase &c, std::ostream *os) {
  *os << windowKey(c.g) << " " << c.cin << "->" << c.cout << " "
      << ops::activationName(c.act);
}

std::string convCaseName(const ::testing::TestParamInfo<ConvCase> &info) {
  const ConvCase &c = info.param;
  return windowKey(c.g) + "_" + std::to_string(c.cin) + "to" +
         std::to_string(c.cout) + "_" + ops::activationName(c.act);
}

ops::Kernel &convKernel(const char *pass, const ConvCase &c) {
  std::string key = std::string("conv2d_") + pass + "_" + windowKey(c.g) + "_" +
                    std::to_string(c.cin) + "_" + std::to_string(c.cout) + "_" +
                    ops::activationName(c.act);
  return cachedKernel(key, [&] {
    ops::Conv2DShape shape{c.g.inH, c.g.inW, c.cin,  c.cout,  c.g.kh,
                           c.g.kw,  c.g.sh,  c.g.sw, c.g.same};
    std::string p = pass;
    if (p == "forward")
      return ops::conv2dForward(shape, c.act, kernelTarget());
    if (p == "backward_input")
      return ops::conv2dBackwardInput(shape, c.act, kernelTarget());
    return ops::conv2dBackwardParams(shape, c.act, kernelTarget());
  });
}

struct ConvData {
  int n;
  ref::Tensor x, w, b, y, dy;
};

ConvData makeConvData(const ConvCase &c, int n, unsigned seed) {
  ConvData d{n, {}, {}, {}, {}, {}};
  const ref::Window2D &g = c.g;
  double fanIn = g.kh * g.kw * c.cin, fanOut = g.kh * g.kw * c.cout;
  double limit = std::sqrt(6.0 / (fanIn + fanOut)); // glorot_uniform
  d.x = randomTensor(size_t(n) * g.inH * g.inW * c.cin, -1, 1, seed);
  d.w = randomTensor(size_t(g.kh) * g.kw * c.cin * c.cout, -limit, limit,
                     seed + 1);
  d.b = randomTensor(c.cout, -0.5, 0.5, seed + 2);
  d.y = roundToFloat(
      ref::conv2dForward(d.x, d.w, d.b, n, g, c.cin, c.cout, refAct(c.act)));
  d.dy = randomTensor(d.y.size(), -1, 1, seed + 3);
  return d;
}

std::vector<int> inExtents(const ConvCase &c, int n) {
  return {c.cin, c.g.inW, c.g.inH, n};
}
std::vector<int> outExtents(const ConvCase &c, int n) {
  return {c.cout, c.g.outW(), c.g.outH(), n};
}
std::vector<int> weightExtents(const ConvCase &c) {
  return {c.cout, c.cin, c.g.kw, c.g.kh};
}

ref::Tensor runConvForward(const ConvCase &c, int n, const ref::Tensor &x,
                           const ref::Tensor &w, const ref::Tensor &b) {
  Buffer<float> y(outExtents(c, n));
  run(convKernel("forward", c),
      {toBuffer(x, inExtents(c, n)), toBuffer(w, weightExtents(c)),
       toBuffer(b, {c.cout})},
      {y});
  return toTensor(y);
}

ref::Tensor runConvBackwardInput(const ConvCase &c, const ConvData &d) {
  Buffer<float> dx(inExtents(c, d.n));
  run(convKernel("backward_input", c),
      {toBuffer(d.dy, outExtents(c, d.n)), toBuffer(d.y, outExtents(c, d.n)),
       toBuffer(d.w, weightExtents(c))},
      {dx});
  return toTensor(dx);
}

std::pair<ref::Tensor, ref::Tensor> runConvBackwardParams(const ConvCase &c,
                                                          const ConvData &d) {
  Buffer<float> dw(weightExtents(c)), db(c.cout);
  run(convKernel("backward_params", c),
      {toBuffer(d.dy, outExtents(c, d.n)), toBuffer(d.y, outExtents(c, d.n)),
       toBuffer(d.x, inExtents(c, d.n))},
      {dw, db});
  return {toTensor(dw), toTensor(db)};
}

class Conv2DTest : public ::testing::TestWithParam<ConvCase> {};

TEST_P(Conv2DTest, ForwardMatchesReference) {
  const ConvCase &c = GetParam();
  for (int n : c.batches) {
    SCOPED_TRACE("batch " + std::to_string(n));
    ConvData d = makeConvData(c, n, 1000 + n);
    EXPECT_TRUE(allClose(runConvForward(c, n, d.x, d.w, d.b), d.y, kRtol));
  }
}

TEST_P(Conv2DTest, BackwardMatchesReference) {
  const ConvCase &c = GetParam();
  for (int n : c.batches) {
    SCOPED_TRACE("batch " + std::to_string(n));
    ConvData d = makeConvData(c, n, 2000 + n);
    ref::Conv2DGrads want = ref::conv2dBackward(d.dy, d.y, d.x, d.w, n, c.g,
                                                c.cin, c.cout, refAct(c.act));
    EXPECT_TRUE(allClose(runConvBackwardInput(c, d), want.dx, kRtol)) << "dx";
    auto [dw, db] = runConvBackwardParams(c, d);
    EXPECT_TRUE(allClose(dw, want.dW, kRtol)) << "dW";
    EXPECT_TRUE(allClose(db, want.db, kRtol)) << "db";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Conv2DTest,
    ::testing::Values(
        // The cnn example's first layer.
        ConvCase{{28, 28, 3, 3, 1, 1, false}, 1, 32, Activation::Relu, {1, 7}},
        // Non-square input, stride 2, 'same' (pad 1 each side).
        ConvCase{{7, 5, 3, 3, 2, 2, true}, 3, 4, Activation::Tanh, {1, 7}},
        // Even kernels under 'same': the extra pad goes bottom/right.
        ConvCase{{7, 5, 2, 2, 1, 1, true}, 2, 3, Activation::Sigmoid, {1, 7}},
        ConvCase{{6, 7, 4, 4, 2, 2, true}, 3, 5, Activation::Linear, {1, 7}},
        // 1x1 kernel, SIMD tails on both channel axes, batch 129.
        ConvCase{
            {5, 4, 1, 1, 1, 1, false}, 9, 10, Activation::Relu, {1, 7, 129}},
        // Unequal kernel sides and strides, valid, wide channels.
        ConvCase{
            {8, 9, 3, 2, 2, 1, false}, 17, 19, Activation::Linear, {1, 7}}),
    convCaseName);

class Conv2DGradientCheck : public ::testing::TestWithParam<ConvCase> {};

TEST_P(Conv2DGradientCheck, BackwardMatchesFloatKernelFiniteDifferences) {
  const ConvCase &c = GetParam();
  const int n = 2;
  ConvData d = makeConvData(c, n, 3000);
  // Refresh y from the kernel so dz uses the same forward the differences
  // see.
  d.y = runConvForward(c, n, d.x, d.w, d.b);
  ref::Tensor fd = centralDifferences(
      {d.x, d.w, d.b}, [&](const std::vector<ref::Tensor> &p) {
        return dot(d.dy, runConvForward(c, n, p[0], p[1], p[2]));
      });
  ref::Tensor got = runConvBackwardInput(c, d);
  auto [dw, db] = runConvBackwardParams(c, d);
  got.insert(got.end(), dw.begin(), dw.end());
  got.insert(got.end(), db.begin(), db.end());
  EXPECT_TRUE(allClose(got, fd, kFdRtol));
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, Conv2DGradientCheck,
    ::testing::Values(
        ConvCase{{7, 5, 3, 3, 2, 2, true}, 3, 4, Activation::Tanh, {}},
        ConvCase{{6, 7, 4, 4, 2, 2, true}, 3, 5, Activation::Linear, {}}),
    convCaseName);

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

struct PoolCase {
  ref::Window2D g;
  int channels;
  std::vector<int> batches;
};

void PrintTo(const PoolCase &c, std::ostream *os) {
  *os << windowKey(c.g) << " c" << c.channels;
}

std::string poolCaseName(const ::testing::TestParamInfo<PoolCase> &info) {
  return windowKey(info.param.g) + "_c" + std::to_string(info.param.channels);
}

ops::Kernel &poolKernel(const char *op, const PoolCase &c) {
  std::string key = std::string("pool_") + op + "_" + windowKey(c.g) + "_c" +
                    std::to_string(c.channels);
  return cachedKernel(key, [&] {
    ops::PoolShape shape{c.g.inH, c.g.inW, c.channels, c.g.kh,
                         c.g.kw,  c.g.sh,  c.g.sw,     c.g.same};
    std::string o = op;
    if (o == "max_forward")
      return ops::maxPoolForward(shape, kernelTarget());
    if (o == "max_backward")
      return ops::maxPoolBackward(shape, Activation::Linear, kernelTarget());
    if (o == "max_relu_backward")
      return ops::maxPoolBackward(shape, Activation::Relu, kernelTarget());
    if (o == "avg_forward")
      return ops::avgPoolForward(shape, kernelTarget());
    return ops::avgPoolBackward(shape, kernelTarget());
  });
}

std::vector<int> poolIn(const PoolCase &c, int n) {
  return {c.channels, c.g.inW, c.g.inH, n};
}
std::vector<int> poolOut(const PoolCase &c, int n) {
  return {c.channels, c.g.outW(), c.g.outH(), n};
}

ref::Tensor runPoolForward(const char *op, const PoolCase &c, int n,
                           const ref::Tensor &x) {
  Buffer<float> y(poolOut(c, n));
  run(poolKernel(op, c), {toBuffer(x, poolIn(c, n))}, {y});
  return toTensor(y);
}

ref::Tensor runMaxPoolBackward(const PoolCase &c, int n, const ref::Tensor &dy,
                               const ref::Tensor &x,
                               const char *op = "max_backward") {
  Buffer<float> dx(poolIn(c, n));
  run(poolKernel(op, c),
      {toBuffer(dy, poolOut(c, n)), toBuffer(x, poolIn(c, n))}, {dx});
  return toTensor(dx);
}

ref::Tensor runAvgPoolBackward(const PoolCase &c, int n,
                               const ref::Tensor &dy) {
  Buffer<float> dx(poolIn(c, n));
  run(poolKernel("avg_backward", c), {toBuffer(dy, poolOut(c, n))}, {dx});
  return toTensor(dx);
}

size_t poolInSize(const PoolCase &c, int n) {
  return size_t(n) * c.g.inH * c.g.inW * c.channels;
}
size_t poolOutSize(const PoolCase &c, int n) {
  return size_t(n) * c.g.outH() * c.g.outW() * c.channels;
}

class PoolTest : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolTest, MaxForwardAndBackwardMatchReference) {
  const PoolCase &c = GetParam();
  for (int n : c.batches) {
    SCOPED_TRACE("batch " + std::to_string(n));
    ref::Tensor x = randomTensor(poolInSize(c, n), -1, 1, 4000 + n);
    ref::Tensor dy = randomTensor(poolOutSize(c, n), -1, 1, 4100 + n);
    EXPECT_TRUE(allClose(runPoolForward("max_forward", c, n, x),
                         ref::maxPoolForward(x, n, c.g, c.channels), kRtol));
    EXPECT_TRUE(allClose(runMaxPoolBackward(c, n, dy, x),
                         ref::maxPoolBackward(dy, x, n, c.g, c.channels),
                         kRtol));
  }
}

TEST_P(PoolTest, MaxIgnoresPaddingAndBreaksTiesFirst) {
  // All-negative inputs (a zero pad would win any 'same' window) drawn
  // from three values (ties in almost every window).
  const PoolCase &c = GetParam();
  const int n = 7;
  ref::Tensor x = randomTensor(poolInSize(c, n), 0, 3, 4200);
  for (double &v : x)
    v = -1 - std::floor(v);
  ref::Tensor dy = randomTensor(poolOutSize(c, n), -1, 1, 4300);
  EXPECT_TRUE(allClose(runPoolForward("max_forward", c, n, x),
                       ref::maxPoolForward(x, n, c.g, c.channels), kRtol));
  EXPECT_TRUE(allClose(runMaxPoolBackward(c, n, dy, x),
                       ref::maxPoolBackward(dy, x, n, c.g, c.channels), kRtol));
}

TEST_P(PoolTest, MaxBackwardWithReluFoldedIn) {
  // x is a ReLU's output (a third of it zero), as when nn-fuse-activations
  // folds the ReLU's gradient into the pooling backward: the reference
  // routes dy to each window's maximum, then keeps it only where x > 0.
  const PoolCase &c = GetParam();
  const int n = 7;
  ref::Tensor x = randomTensor(poolInSize(c, n), -0.5, 1, 4600);
  for (double &v : x)
    v = std::max(v, 0.0);
  ref::Tensor dy = randomTensor(poolOutSize(c, n), -1, 1, 4700);
  ref::Tensor want = ref::maxPoolBackward(dy, x, n, c.g, c.channels);
  for (size_t i = 0; i < want.size(); ++i)
    want[i] = ref::activationGradRef(ref::Act::Relu, want[i], x[i]);
  EXPECT_TRUE(allClose(runMaxPoolBackward(c, n, dy, x, "max_relu_backward"),
                       want, kRtol));
}

TEST_P(PoolTest, AverageForwardAndBackwardMatchReference) {
  const PoolCase &c = GetParam();
  for (int n : c.batches) {
    SCOPED_TRACE("batch " + std::to_string(n));
    ref::Tensor x = randomTensor(poolInSize(c, n), -1, 1, 4400 + n);
    ref::Tensor dy = randomTensor(poolOutSize(c, n), -1, 1, 4500 + n);
    EXPECT_TRUE(allClose(runPoolForward("avg_forward", c, n, x),
                         ref::avgPoolForward(x, n, c.g, c.channels), kRtol));
    EXPECT_TRUE(allClose(runAvgPoolBackward(c, n, dy),
                         ref::avgPoolBackward(dy, n, c.g, c.channels), kRtol));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PoolTest,
    ::testing::Values(
        // The cnn example's pool after its 3x3x32 valid conv.
        PoolCase{{26, 26, 2, 2, 2, 2, false}, 32, {1, 7}},
        // Non-square, 'same' 2x2 stride 2 (odd extents pad bottom/right).
        PoolCase{{7, 5, 2, 2, 2, 2, true}, 3, {1, 7, 129}},
        // Overlapping windows, valid and 'same'.
        PoolCase{{7, 5, 3, 3, 2, 2, false}, 3, {1, 7}},
        PoolCase{{5, 5, 3, 3, 1, 1, true}, 9, {1, 7}},
        // Even 4x4 window under 'same' with stride 3 (pad 2 / 1 / 1).
        PoolCase{{6, 7, 4, 4, 3, 3, true}, 10, {1, 7}},
        // Rectangular window, unequal strides; a 1x1 pool.
        PoolCase{{6, 5, 2, 3, 1, 2, true}, 3, {1, 7}},
        PoolCase{{7, 5, 1, 1, 1, 1, false}, 2, {1, 7}}),
    poolCaseName);

/// Small shapes only: each input element costs two forward runs, and
/// the objective of a large input loses the float32 precision a 1e-2 step
/// needs.
class PoolGradientCheck : public ::testing::TestWithParam<PoolCase> {};

TEST_P(PoolGradientCheck, BackwardMatchesFloatKernelFiniteDifferences) {
  const PoolCase &c = GetParam();
  const int n = 2;
  // Distinct values 0.1 apart in random order: a ±1e-2 step never changes
  // which cell of a window is the maximum.
  ref::Tensor x(poolInSize(c, n));
  std::iota(x.begin(), x.end(), 0.0);
  std::shuffle(x.begin(), x.end(), std::mt19937(4600));
  for (double &v : x)
    v = static_cast<float>(0.1 * v - 0.05 * x.size());
  ref::Tensor dy = randomTensor(poolOutSize(c, n), -1, 1, 4700);
  for (const char *op : {"max_forward", "avg_forward"}) {
    SCOPED_TRACE(op);
    ref::Tensor fd =
        centralDifferences({x}, [&](const std::vector<ref::Tensor> &p) {
          return dot(dy, runPoolForward(op, c, n, p[0]));
        });
    ref::Tensor got = std::string(op) == "max_forward"
                          ? runMaxPoolBackward(c, n, dy, x)
                          : runAvgPoolBackward(c, n, dy);
    EXPECT_TRUE(allClose(got, fd, kFdRtol));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, PoolGradientCheck,
    ::testing::Values(PoolCase{{7, 5, 2, 2, 2, 2, true}, 3, {}},
                      PoolCase{{5, 5, 3, 3, 1, 1, true}, 2, {}},
                      PoolCase{{6, 7, 4, 4, 3, 3, true}, 10, {}},
                      PoolCase{{6, 5, 2, 3, 1, 2, true}, 3, {}}),
    poolCaseName);

TEST(MaxPoolTieTest, FirstMaximumInRowMajorOrderGetsTheGradient) {
  // One 2x2 window per channel: channel 0 all equal → (0, 0); channel 1
  // ties at (0, 1) and (1, 0) → (0, 1), the first in row-major order.
  const PoolCase c{{2, 2, 2, 2, 2, 2, false}, 2, {}};
  // x[((y*2 + x)*2) + ch]
  ref::Tensor x = {5, 1, 5, 3, 5, 3, 5, 2};
  ref::Tensor dy = {1.5, -2};
  ref::Tensor dx = runMaxPoolBackward(c, 1, dy, x);
  ref::Tensor want = {1.5, 0, 0, -2, 0, 0, 0, 0};
  EXPECT_EQ(dx, want);
  EXPECT_EQ(runPoolForward("max_forward", c, 1, x), (ref::Tensor{5, 3}));
}

TEST(PoolGeometryTest, SameAveragesCountOnlyRealCells) {
  // 3x3 input, 2x2 'same' stride 2: out 2x2, pad 1 after → the corner
  // window holds one real cell, the edge windows two.
  const PoolCase c{{3, 3, 2, 2, 2, 2, true}, 1, {}};
  ref::Tensor x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(runPoolForward("avg_forward", c, 1, x),
            (ref::Tensor{3, 4.5, 7.5, 9}));
}

//===----------------------------------------------------------------------===//
// Ahead of time
//===----------------------------------------------------------------------===//

// What Codegen will do with these kernels, for 16 float lanes (the schedules
// read the vector width from the target; channel counts of 10 and 17 leave
// short vectors and tails). Cross-compiled only; not run.
TEST(ConvPoolAotTest, EveryKernelCompilesForAvx512) {
  const Target target("x86-64-linux-avx512_skylake-no_runtime");
  const ops::Conv2DShape conv{7, 5, 17, 10, 4, 4, 2, 2, true};
  const ops::PoolShape pool{7, 5, 10, 2, 3, 2, 1, true};
  std::vector<ops::Kernel> kernels = {
      ops::conv2dForward(conv, Activation::Relu, target),
      ops::conv2dBackwardInput(conv, Activation::Tanh, target),
      ops::conv2dBackwardParams(conv, Activation::Sigmoid, target),
      ops::maxPoolForward(pool, target),
      ops::maxPoolBackward(pool, Activation::Relu, target),
      ops::avgPoolForward(pool, target),
      ops::avgPoolBackward(pool, target),
  };
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("mnistc-conv-aot-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  for (ops::Kernel &kernel : kernels) {
    SCOPED_TRACE(kernel.name);
    std::filesystem::path object = dir / (kernel.name + ".o");
    kernel.pipeline.compile_to_object(object.string(), kernel.args, kernel.name,
                                      target);
    ASSERT_TRUE(std::filesystem::exists(object));
    EXPECT_GT(std::filesystem::file_size(object), 0u);
  }
  EXPECT_EQ(kernels[2].outputNames().size(), 2u); // dW, db
  std::filesystem::remove_all(dir);
}

} // namespace
