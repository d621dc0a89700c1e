//===- Reference.cpp - Plain C++ reference for the kernel tests ----------===//
//
// Straight-line double-precision loops; clarity over speed. Each function
// states the formula it implements, so a failing kernel test can be read
// against it.
//
//===----------------------------------------------------------------------===//
#include "test/unit/Reference.h"

#include <algorithm>
#include <cmath>

namespace mnistc::ref {

namespace {

double activate(Act act, double z) {
  switch (act) {
  case Act::Linear:
    return z;
  case Act::Relu:
    return std::max(z, 0.0);
  case Act::Sigmoid:
    return 1.0 / (1.0 + std::exp(-z));
  case Act::Tanh:
    return std::tanh(z);
  }
  return z;
}

/// act'(z) expressed through y = act(z).
double derivativeFromOutput(Act act, double y) {
  switch (act) {
  case Act::Linear:
    return 1.0;
  case Act::Relu:
    return y > 0 ? 1.0 : 0.0;
  case Act::Sigmoid:
    return y * (1.0 - y);
  case Act::Tanh:
    return 1.0 - y * y;
  }
  return 1.0;
}

int firstArgmax(const double *row, int classes) {
  int best = 0;
  for (int c = 1; c < classes; ++c)
    if (row[c] > row[best])
      best = c;
  return best;
}

/// l = Σ_c t_c (lse − z_c); ∂l/∂z_c = p_c Σ_j t_j − t_c; the batch mean of
/// both. `targets` is [n, C].
CrossEntropy crossEntropy(const Tensor &z, const Tensor &targets,
                          const std::vector<int> &accuracyLabels, int n,
                          int classes) {
  CrossEntropy ce;
  ce.dlogits.assign(z.size(), 0.0);
  Tensor p = softmax(z, n, classes);
  for (int s = 0; s < n; ++s) {
    const double *row = &z[s * classes];
    double m = *std::max_element(row, row + classes);
    double sum = 0;
    for (int c = 0; c < classes; ++c)
      sum += std::exp(row[c] - m);
    double lse = m + std::log(sum);
    double tSum = 0;
    for (int c = 0; c < classes; ++c) {
      double t = targets[s * classes + c];
      tSum += t;
      if (t != 0)
        ce.loss += t * (lse - row[c]);
    }
    for (int c = 0; c < classes; ++c)
      ce.dlogits[s * classes + c] =
          (p[s * classes + c] * tSum - targets[s * classes + c]) / n;
    if (firstArgmax(row, classes) == accuracyLabels[s])
      ++ce.correct;
  }
  ce.loss /= n;
  return ce;
}

} // namespace

Tensor denseForward(const Tensor &x, const Tensor &w, const Tensor &b, int n,
                    int in, int units, Act act) {
  Tensor y(static_cast<size_t>(n) * units);
  for (int s = 0; s < n; ++s)
    for (int u = 0; u < units; ++u) {
      double z = b[u];
      for (int i = 0; i < in; ++i)
        z += x[s * in + i] * w[i * units + u];
      y[s * units + u] = activate(act, z);
    }
  return y;
}

DenseGrads denseBackward(const Tensor &dy, const Tensor &y, const Tensor &x,
                         const Tensor &w, int n, int in, int units, Act act) {
  Tensor dz(dy.size());
  for (size_t k = 0; k < dy.size(); ++k)
    dz[k] = dy[k] * derivativeFromOutput(act, y[k]);

  DenseGrads g;
  g.dx.assign(static_cast<size_t>(n) * in, 0.0);
  g.dW.assign(static_cast<size_t>(in) * units, 0.0);
  g.db.assign(units, 0.0);
  for (int s = 0; s < n; ++s)
    for (int i = 0; i < in; ++i) {
      double sum = 0;
      for (int u = 0; u < units; ++u)
        sum += dz[s * units + u] * w[i * units + u];
      g.dx[s * in + i] = sum;
    }
  for (int i = 0; i < in; ++i)
    for (int u = 0; u < units; ++u) {
      double sum = 0;
      for (int s = 0; s < n; ++s)
        sum += x[s * in + i] * dz[s * units + u];
      g.dW[i * units + u] = sum;
    }
  for (int u = 0; u < units; ++u)
    for (int s = 0; s < n; ++s)
      g.db[u] += dz[s * units + u];
  return g;
}

Tensor softmax(const Tensor &z, int n, int classes) {
  Tensor p(z.size());
  for (int s = 0; s < n; ++s) {
    const double *row = &z[s * classes];
    double m = *std::max_element(row, row + classes);
    double sum = 0;
    for (int c = 0; c < classes; ++c)
      sum += std::exp(row[c] - m);
    for (int c = 0; c < classes; ++c)
      p[s * classes + c] = std::exp(row[c] - m) / sum;
  }
  return p;
}

CrossEntropy sparseSoftmaxCrossEntropy(const Tensor &z,
                                       const std::vector<int> &labels, int n,
                                       int classes, double smoothing) {
  Tensor targets(z.size(), 0.0);
  for (int s = 0; s < n; ++s) {
    if (labels[s] < 0 || labels[s] >= classes)
      continue; // no target at all
    for (int c = 0; c < classes; ++c)
      targets[s * classes + c] =
          (c == labels[s] ? 1.0 : 0.0) * (1 - smoothing) + smoothing / classes;
  }
  return crossEntropy(z, targets, labels, n, classes);
}

CrossEntropy categoricalSoftmaxCrossEntropy(const Tensor &z, const Tensor &t,
                                            int n, int classes,
                                            double smoothing) {
  Tensor targets(t.size());
  std::vector<int> labels(n);
  for (int s = 0; s < n; ++s) {
    labels[s] = firstArgmax(&t[s * classes], classes);
    for (int c = 0; c < classes; ++c)
      targets[s * classes + c] =
          t[s * classes + c] * (1 - smoothing) + smoothing / classes;
  }
  return crossEntropy(z, targets, labels, n, classes);
}

} // namespace mnistc::ref
