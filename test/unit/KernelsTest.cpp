//===- KernelsTest.cpp - Dense and softmax-CE kernels vs the reference ---===//
//
// Each Halide kernel of compiler/Ops/ (Dense forward and backward, softmax,
// fused softmax cross-entropy) is JIT-compiled once per shape and run on
// odd batch sizes (1, 7, 128, 129) against the double-precision reference
// of Reference.cpp, with these stated tolerances:
//  - kernel vs reference: relative 1e-4 (of max(|want|, rms(want)));
//  - backward kernels vs central differences of the double reference
//    forward (h = 1e-6): relative 1e-4;
//  - backward kernels vs central differences of the float32 kernels'
//    own forward (h = 1e-2): relative 5e-3 (float32 noise and h² terms).
// Optimizers are in OptimizerKernelsTest.cpp, the AOT check of every
// kernel in KernelsAotTest.cpp.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Dense.h"
#include "compiler/Ops/SoftmaxCrossEntropy.h"
#include "test/unit/KernelTestSupport.h"

#include <cmath>
#include <random>

using namespace Halide;
using namespace mnistc;
using namespace mnistc::test;
using ops::Activation;

namespace {

constexpr double kRtol = 1e-4;

//===----------------------------------------------------------------------===//
// Dense
//===----------------------------------------------------------------------===//

struct DenseCase {
  int in, units;
  Activation act;
  std::vector<int> batches;
};

void PrintTo(const DenseCase &c, std::ostream *os) {
  *os << c.in << "->" << c.units << " " << ops::activationName(c.act);
}

std::string caseName(const ::testing::TestParamInfo<DenseCase> &info) {
  const DenseCase &c = info.param;
  return std::to_string(c.in) + "x" + std::to_string(c.units) + "_" +
         ops::activationName(c.act);
}

/// One layer's data: x, W, b, the forward output y (float-rounded) and an
/// upstream gradient dy, all in the reference's layouts.
struct DenseData {
  int n, in, units;
  ref::Tensor x, w, b, y, dy;
};

DenseData makeDenseData(const DenseCase &c, int n, unsigned seed) {
  DenseData d{n, c.in, c.units, {}, {}, {}, {}, {}};
  double limit = std::sqrt(6.0 / (c.in + c.units)); // glorot_uniform
  d.x = randomTensor(size_t(n) * c.in, -1, 1, seed);
  d.w = randomTensor(size_t(c.in) * c.units, -limit, limit, seed + 1);
  d.b = randomTensor(c.units, -0.5, 0.5, seed + 2);
  d.y = roundToFloat(
      ref::denseForward(d.x, d.w, d.b, n, c.in, c.units, refAct(c.act)));
  d.dy = randomTensor(size_t(n) * c.units, -1, 1, seed + 3);
  return d;
}

std::string denseKey(const char *pass, const DenseCase &c) {
  return std::string("dense_") + pass + "_" + std::to_string(c.in) + "x" +
         std::to_string(c.units) + "_" + ops::activationName(c.act);
}

ops::Kernel &denseKernel(const char *pass, const DenseCase &c) {
  return cachedKernel(denseKey(pass, c), [&] {
    ops::DenseShape shape{c.in, c.units};
    std::string p = pass;
    if (p == "forward")
      return ops::denseForward(shape, c.act, kernelTarget());
    if (p == "backward_input")
      return ops::denseBackwardInput(shape, c.act, kernelTarget());
    return ops::denseBackwardParams(shape, c.act, kernelTarget());
  });
}

Buffer<float> runForward(const DenseCase &c, const DenseData &d) {
  Buffer<float> y(c.units, d.n);
  run(denseKernel("forward", c),
      {toBuffer(d.x, {c.in, d.n}), toBuffer(d.w, {c.units, c.in}),
       toBuffer(d.b, {c.units})},
      {y});
  return y;
}

Buffer<float> runBackwardInput(const DenseCase &c, const DenseData &d) {
  Buffer<float> dx(c.in, d.n);
  run(denseKernel("backward_input", c),
      {toBuffer(d.dy, {c.units, d.n}), toBuffer(d.y, {c.units, d.n}),
       toBuffer(d.w, {c.units, c.in})},
      {dx});
  return dx;
}

std::pair<Buffer<float>, Buffer<float>> runBackwardParams(const DenseCase &c,
                                                          const DenseData &d) {
  Buffer<float> dw(c.units, c.in), db(c.units);
  run(denseKernel("backward_params", c),
      {toBuffer(d.dy, {c.units, d.n}), toBuffer(d.y, {c.units, d.n}),
       toBuffer(d.x, {c.in, d.n})},
      {dw, db});
  return {dw, db};
}

class DenseTest : public ::testing::TestWithParam<DenseCase> {};

TEST_P(DenseTest, ForwardMatchesReference) {
  const DenseCase &c = GetParam();
  for (int n : c.batches) {
    SCOPED_TRACE("batch " + std::to_string(n));
    DenseData d = makeDenseData(c, n, 100 + n);
    EXPECT_TRUE(allClose(toTensor(runForward(c, d)), d.y, kRtol));
  }
}

TEST_P(DenseTest, BackwardInputMatchesReference) {
  const DenseCase &c = GetParam();
  for (int n : c.batches) {
    SCOPED_TRACE("batch " + std::to_string(n));
    DenseData d = makeDenseData(c, n, 200 + n);
    ref::DenseGrads want = ref::denseBackward(d.dy, d.y, d.x, d.w, n, c.in,
                                              c.units, refAct(c.act));
    EXPECT_TRUE(allClose(toTensor(runBackwardInput(c, d)), want.dx, kRtol));
  }
}

TEST_P(DenseTest, BackwardParamsMatchReference) {
  const DenseCase &c = GetParam();
  for (int n : c.batches) {
    SCOPED_TRACE("batch " + std::to_string(n));
    DenseData d = makeDenseData(c, n, 300 + n);
    ref::DenseGrads want = ref::denseBackward(d.dy, d.y, d.x, d.w, n, c.in,
                                              c.units, refAct(c.act));
    auto [dw, db] = runBackwardParams(c, d);
    EXPECT_TRUE(allClose(toTensor(dw), want.dW, kRtol)) << "dW";
    EXPECT_TRUE(allClose(toTensor(db), want.db, kRtol)) << "db";
  }
}

TEST(DenseKernelTest, OutputBatchMustMatchInputBatch) {
  DenseCase c{5, 3, Activation::Relu, {}};
  DenseData d = makeDenseData(c, 7, 350);
  Buffer<float> y(c.units, 6); // one row short
  EXPECT_THROW(run(denseKernel("forward", c),
                   {toBuffer(d.x, {c.in, d.n}), toBuffer(d.w, {c.units, c.in}),
                    toBuffer(d.b, {c.units})},
                   {y}),
               Halide::RuntimeError);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, DenseTest,
    ::testing::Values(
        // The MNIST MLP's two layers.
        DenseCase{784, 512, Activation::Relu, {1, 7, 128, 129}},
        DenseCase{512, 10, Activation::Linear, {1, 7, 128, 129}},
        // Odd shapes: tails in every split.
        DenseCase{33, 10, Activation::Sigmoid, {1, 7, 128, 129}},
        DenseCase{5, 3, Activation::Linear, {1, 7, 129}},
        DenseCase{5, 3, Activation::Relu, {1, 7, 129}},
        DenseCase{5, 3, Activation::Sigmoid, {1, 7, 129}},
        DenseCase{5, 3, Activation::Tanh, {1, 7, 128, 129}}),
    caseName);

/// Σ R ⊙ act(xW + b) in double, the objective whose gradient is the
/// backward kernels' output when dy = R.
double denseObjective(const DenseData &d, const DenseCase &c,
                      const ref::Tensor &x, const ref::Tensor &w,
                      const ref::Tensor &b) {
  ref::Tensor y = ref::denseForward(x, w, b, d.n, c.in, c.units, refAct(c.act));
  double sum = 0;
  for (size_t k = 0; k < y.size(); ++k)
    sum += d.dy[k] * y[k];
  return sum;
}

/// Same objective through the float32 forward kernel.
double denseObjectiveKernel(const DenseData &d, const DenseCase &c,
                            const ref::Tensor &x, const ref::Tensor &w,
                            const ref::Tensor &b) {
  DenseData p = d;
  p.x = x, p.w = w, p.b = b;
  ref::Tensor y = toTensor(runForward(c, p));
  double sum = 0;
  for (size_t k = 0; k < y.size(); ++k)
    sum += d.dy[k] * y[k];
  return sum;
}

/// Central differences of `objective` with respect to every element of x,
/// W and b, in that order. Elements whose perturbation moves a relu
/// pre-activation across its kink are marked NaN and skipped by the caller.
template <typename Objective>
ref::Tensor centralDifferences(const DenseData &d, const DenseCase &c, double h,
                               Objective objective) {
  ref::Tensor grads;
  const size_t sizes[] = {d.x.size(), d.w.size(), d.b.size()};
  ref::Tensor z0 =
      ref::denseForward(d.x, d.w, d.b, d.n, c.in, c.units, ref::Act::Linear);
  for (int which = 0; which < 3; ++which) {
    for (size_t k = 0; k < sizes[which]; ++k) {
      ref::Tensor args[3] = {d.x, d.w, d.b};
      args[which][k] += h;
      double up = objective(d, c, args[0], args[1], args[2]);
      ref::Tensor zUp = ref::denseForward(args[0], args[1], args[2], d.n, c.in,
                                          c.units, ref::Act::Linear);
      args[which][k] -= 2 * h;
      double down = objective(d, c, args[0], args[1], args[2]);
      ref::Tensor zDown = ref::denseForward(args[0], args[1], args[2], d.n,
                                            c.in, c.units, ref::Act::Linear);
      bool crossesKink = false;
      if (c.act == Activation::Relu)
        for (size_t j = 0; j < z0.size(); ++j)
          crossesKink |= (zUp[j] > 0) != (zDown[j] > 0);
      grads.push_back(crossesKink ? NAN : (up - down) / (2 * h));
    }
  }
  return grads;
}

/// The kernels' dx, dW, db concatenated, with the entries `fd` skipped
/// copied from it, so allClose compares the rest.
ref::Tensor kernelGradients(const DenseCase &c, const DenseData &d,
                            ref::Tensor &fd) {
  ref::Tensor got = toTensor(runBackwardInput(c, d));
  auto [dw, db] = runBackwardParams(c, d);
  for (ref::Tensor part : {toTensor(dw), toTensor(db)})
    got.insert(got.end(), part.begin(), part.end());
  for (size_t k = 0; k < fd.size(); ++k)
    if (std::isnan(fd[k]))
      fd[k] = got[k];
  return got;
}

class DenseGradientCheck : public ::testing::TestWithParam<DenseCase> {};

TEST_P(DenseGradientCheck, BackwardMatchesDoubleFiniteDifferences) {
  const DenseCase &c = GetParam();
  DenseData d = makeDenseData(c, 7, 400);
  ref::Tensor fd = centralDifferences(d, c, 1e-6, denseObjective);
  ref::Tensor got = kernelGradients(c, d, fd);
  EXPECT_TRUE(allClose(got, fd, 1e-4));
}

TEST_P(DenseGradientCheck, BackwardMatchesFloatKernelFiniteDifferences) {
  const DenseCase &c = GetParam();
  DenseData d = makeDenseData(c, 7, 500);
  ref::Tensor fd = centralDifferences(d, c, 1e-2, denseObjectiveKernel);
  ref::Tensor got = kernelGradients(c, d, fd);
  EXPECT_TRUE(allClose(got, fd, 5e-3));
}

INSTANTIATE_TEST_SUITE_P(
    Activations, DenseGradientCheck,
    ::testing::Values(DenseCase{5, 3, Activation::Linear, {}},
                      DenseCase{5, 3, Activation::Relu, {}},
                      DenseCase{5, 3, Activation::Sigmoid, {}},
                      DenseCase{5, 3, Activation::Tanh, {}}),
    caseName);

//===----------------------------------------------------------------------===//
// Softmax and softmax cross-entropy
//===----------------------------------------------------------------------===//

ops::Kernel &softmaxKernel(int classes) {
  return cachedKernel("softmax_" + std::to_string(classes), [&] {
    return ops::softmaxForward(classes, kernelTarget());
  });
}

ops::Kernel &sceKernel(int classes, ops::LabelKind kind, float smoothing) {
  std::string key = "sce_" + std::to_string(classes) +
                    (kind == ops::LabelKind::Sparse ? "_sparse_" : "_cat_") +
                    std::to_string(smoothing);
  return cachedKernel(key, [&] {
    return ops::softmaxCrossEntropy(classes, kind, kernelTarget(), smoothing);
  });
}

struct SceResult {
  double loss;
  ref::Tensor dlogits;
  int correct;
};

SceResult runSparse(const ref::Tensor &z, const std::vector<int> &labels, int n,
                    int classes, float smoothing = 0) {
  Buffer<float> loss = Buffer<float>::make_scalar(), dz(classes, n);
  Buffer<int32_t> correct = Buffer<int32_t>::make_scalar();
  Buffer<int32_t> labelBuffer(n);
  for (int s = 0; s < n; ++s)
    labelBuffer(s) = labels[s];
  run(sceKernel(classes, ops::LabelKind::Sparse, smoothing),
      {toBuffer(z, {classes, n}), labelBuffer}, {loss, dz, correct});
  return {loss(), toTensor(dz), correct()};
}

SceResult runCategorical(const ref::Tensor &z, const ref::Tensor &t, int n,
                         int classes, float smoothing = 0) {
  Buffer<float> loss = Buffer<float>::make_scalar(), dz(classes, n);
  Buffer<int32_t> correct = Buffer<int32_t>::make_scalar();
  run(sceKernel(classes, ops::LabelKind::Categorical, smoothing),
      {toBuffer(z, {classes, n}), toBuffer(t, {classes, n})},
      {loss, dz, correct});
  return {loss(), toTensor(dz), correct()};
}

std::vector<int> randomLabels(int n, int classes, unsigned seed) {
  std::mt19937 gen(seed);
  std::vector<int> labels(n);
  for (int &l : labels)
    l = std::uniform_int_distribution<int>(0, classes - 1)(gen);
  return labels;
}

/// Random target rows: one-hot for even seeds, soft (normalized) for odd.
ref::Tensor randomTargets(int n, int classes, unsigned seed) {
  if (seed % 2 == 0) {
    ref::Tensor t(size_t(n) * classes, 0.0);
    std::vector<int> labels = randomLabels(n, classes, seed);
    for (int s = 0; s < n; ++s)
      t[s * classes + labels[s]] = 1;
    return t;
  }
  ref::Tensor t = randomTensor(size_t(n) * classes, 0, 1, seed);
  for (int s = 0; s < n; ++s) {
    double sum = 0;
    for (int c = 0; c < classes; ++c)
      sum += t[s * classes + c];
    for (int c = 0; c < classes; ++c)
      t[s * classes + c] /= sum;
  }
  return roundToFloat(t);
}

void expectMatches(const SceResult &got, const ref::CrossEntropy &want) {
  EXPECT_NEAR(got.loss, want.loss, kRtol * std::abs(want.loss));
  EXPECT_TRUE(allClose(got.dlogits, want.dlogits, kRtol));
  EXPECT_EQ(got.correct, want.correct);
}

TEST(SoftmaxTest, ForwardMatchesReference) {
  for (int classes : {10, 3})
    for (int n : {1, 7, 128, 129}) {
      SCOPED_TRACE(std::to_string(classes) + " classes, batch " +
                   std::to_string(n));
      ref::Tensor z = randomTensor(size_t(n) * classes, -8, 8, 600 + n);
      Buffer<float> p(classes, n);
      run(softmaxKernel(classes), {toBuffer(z, {classes, n})}, {p});
      EXPECT_TRUE(allClose(toTensor(p), ref::softmax(z, n, classes), kRtol));
    }
}

TEST(SoftmaxCrossEntropyTest, SparseMatchesReference) {
  for (int classes : {10, 3})
    for (int n : {1, 7, 128, 129}) {
      SCOPED_TRACE(std::to_string(classes) + " classes, batch " +
                   std::to_string(n));
      ref::Tensor z = randomTensor(size_t(n) * classes, -5, 5, 700 + n);
      std::vector<int> labels = randomLabels(n, classes, 700 + n);
      expectMatches(runSparse(z, labels, n, classes),
                    ref::sparseSoftmaxCrossEntropy(z, labels, n, classes));
    }
}

TEST(SoftmaxCrossEntropyTest, CategoricalMatchesReference) {
  const int classes = 10;
  for (int n : {1, 7, 128, 129})
    for (unsigned seed : {800u, 801u}) { // one-hot, then soft targets
      SCOPED_TRACE("batch " + std::to_string(n) + ", seed " +
                   std::to_string(seed));
      ref::Tensor z = randomTensor(size_t(n) * classes, -5, 5, seed + n);
      ref::Tensor t = randomTargets(n, classes, seed);
      expectMatches(runCategorical(z, t, n, classes),
                    ref::categoricalSoftmaxCrossEntropy(z, t, n, classes));
    }
}

TEST(SoftmaxCrossEntropyTest, LabelSmoothingMatchesReference) {
  const int classes = 10, n = 7;
  ref::Tensor z = randomTensor(size_t(n) * classes, -5, 5, 900);
  std::vector<int> labels = randomLabels(n, classes, 900);
  expectMatches(runSparse(z, labels, n, classes, 0.1f),
                ref::sparseSoftmaxCrossEntropy(z, labels, n, classes, 0.1));
  ref::Tensor t = randomTargets(n, classes, 901);
  expectMatches(runCategorical(z, t, n, classes, 0.1f),
                ref::categoricalSoftmaxCrossEntropy(z, t, n, classes, 0.1));
}

TEST(SoftmaxCrossEntropyTest, OutOfRangeLabelsContributeNothing) {
  const int classes = 10, n = 4;
  ref::Tensor z = randomTensor(size_t(n) * classes, -5, 5, 950);
  std::vector<int> labels = {-1, 3, 10, 1 << 30};
  SceResult got = runSparse(z, labels, n, classes);
  expectMatches(got, ref::sparseSoftmaxCrossEntropy(z, labels, n, classes));
  for (int c = 0; c < classes; ++c)
    EXPECT_EQ(got.dlogits[0 * classes + c], 0.0) << "class " << c;
}

TEST(SoftmaxCrossEntropyTest, FirstMaximumWinsTies) {
  const int classes = 10, n = 3;
  ref::Tensor z(size_t(n) * classes, 0.0);
  for (int s = 0; s < n; ++s)
    z[s * classes + 2] = z[s * classes + 7] = 4; // tie between 2 and 7
  EXPECT_EQ(runSparse(z, {2, 7, 2}, n, classes).correct, 2);
  ref::Tensor t(size_t(n) * classes, 0.0);
  for (int s = 0; s < n; ++s) // target rows tie too: label is class 1
    t[s * classes + 1] = t[s * classes + 5] = 0.5;
  z[0 * classes + 1] = 9; // only row 0 predicts class 1
  EXPECT_EQ(runCategorical(z, t, n, classes).correct, 1);
}

TEST(SoftmaxCrossEntropyTest, GradientMatchesFiniteDifferences) {
  const int classes = 10, n = 5;
  ref::Tensor z = randomTensor(size_t(n) * classes, -3, 3, 1000);
  std::vector<int> labels = randomLabels(n, classes, 1000);
  SceResult got = runSparse(z, labels, n, classes);
  ref::Tensor fdDouble, fdFloat;
  for (size_t k = 0; k < z.size(); ++k) {
    ref::Tensor up = z, down = z;
    up[k] += 1e-6, down[k] -= 1e-6;
    fdDouble.push_back(
        (ref::sparseSoftmaxCrossEntropy(up, labels, n, classes).loss -
         ref::sparseSoftmaxCrossEntropy(down, labels, n, classes).loss) /
        2e-6);
    up[k] = z[k] + 1e-2, down[k] = z[k] - 1e-2;
    fdFloat.push_back((runSparse(up, labels, n, classes).loss -
                       runSparse(down, labels, n, classes).loss) /
                      2e-2);
  }
  EXPECT_TRUE(allClose(got.dlogits, fdDouble, 1e-4)) << "double reference";
  EXPECT_TRUE(allClose(got.dlogits, fdFloat, 5e-3)) << "float32 kernel";
}

TEST(SoftmaxCrossEntropyTest, ExtremeLogitsStayFinite) {
  const int classes = 10, n = 16;
  ref::Tensor z(size_t(n) * classes);
  std::mt19937 gen(1100);
  for (double &v : z)
    v = gen() % 2 ? 80.0 : -80.0;
  for (int c = 0; c < classes; ++c) // a row of equal extremes
    z[c] = 80.0;
  std::vector<int> labels = randomLabels(n, classes, 1100);
  for (int s = 1; s < n; ++s) // make most labels point at a −80 logit
    for (int c = 0; c < classes; ++c)
      if (z[s * classes + c] < 0)
        labels[s] = c;
  SceResult got = runSparse(z, labels, n, classes);
  ref::CrossEntropy want =
      ref::sparseSoftmaxCrossEntropy(z, labels, n, classes);
  EXPECT_TRUE(std::isfinite(got.loss));
  EXPECT_GT(got.loss, 100.0); // −log softmax of a logit 160 below the max
  expectMatches(got, want);
  for (double v : got.dlogits)
    ASSERT_TRUE(std::isfinite(v));

  Buffer<float> p(classes, n);
  run(softmaxKernel(classes), {toBuffer(z, {classes, n})}, {p});
  for (int s = 0; s < n; ++s) {
    double sum = 0;
    for (int c = 0; c < classes; ++c) {
      ASSERT_TRUE(std::isfinite(p(c, s)));
      sum += p(c, s);
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
  }
}

} // namespace
