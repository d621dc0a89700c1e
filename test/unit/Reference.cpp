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

double activateRef(Act act, double z) {
  switch (act) {
  case Act::Linear:
    return z;
  case Act::Relu:
    return z > 0 ? z : 0;
  case Act::Sigmoid:
    return 1 / (1 + std::exp(-z));
  case Act::Tanh:
    return std::tanh(z);
  }
  return z;
}

double activationGradRef(Act act, double dy, double y) {
  switch (act) {
  case Act::Linear:
    return dy;
  case Act::Relu:
    return y > 0 ? dy : 0;
  case Act::Sigmoid:
    return dy * y * (1 - y);
  case Act::Tanh:
    return dy * (1 - y * y);
  }
  return dy;
}

namespace {

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
      y[s * units + u] = activateRef(act, z);
    }
  return y;
}

DenseGrads denseBackward(const Tensor &dy, const Tensor &y, const Tensor &x,
                         const Tensor &w, int n, int in, int units, Act act) {
  Tensor dz(dy.size());
  for (size_t k = 0; k < dy.size(); ++k)
    dz[k] = activationGradRef(act, dy[k], y[k]);

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

//===----------------------------------------------------------------------===//
// Conv2D and pooling
//===----------------------------------------------------------------------===//

namespace {

int windowOut(int in, int k, int s, bool same) {
  return same ? (in + s - 1) / s : (in - k) / s + 1;
}

int windowPadBefore(int in, int k, int s, bool same) {
  if (!same)
    return 0;
  int out = windowOut(in, k, s, same);
  return std::max((out - 1) * s + k - in, 0) / 2;
}


/// Calls f(s, oy, ox, iy, ix, ky, kx) for every non-padded cell of every
/// window, windows in (s, oy, ox) order and cells in (ky, kx) order.
template <typename F> void forEachWindowCell(int n, const Window2D &g, F f) {
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < g.outH(); ++oy)
      for (int ox = 0; ox < g.outW(); ++ox)
        for (int ky = 0; ky < g.kh; ++ky)
          for (int kx = 0; kx < g.kw; ++kx) {
            int iy = oy * g.sh + ky - g.padTop();
            int ix = ox * g.sw + kx - g.padLeft();
            if (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW)
              f(s, oy, ox, iy, ix, ky, kx);
          }
}

} // namespace

int Window2D::outH() const { return windowOut(inH, kh, sh, same); }
int Window2D::outW() const { return windowOut(inW, kw, sw, same); }
int Window2D::padTop() const { return windowPadBefore(inH, kh, sh, same); }
int Window2D::padLeft() const { return windowPadBefore(inW, kw, sw, same); }

Tensor conv2dForward(const Tensor &x, const Tensor &w, const Tensor &b, int n,
                     const Window2D &g, int cin, int cout, Act act) {
  const int oh = g.outH(), ow = g.outW();
  Tensor z(size_t(n) * oh * ow * cout);
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < oh; ++oy)
      for (int ox = 0; ox < ow; ++ox)
        for (int co = 0; co < cout; ++co)
          z[((size_t(s) * oh + oy) * ow + ox) * cout + co] = b[co];
  forEachWindowCell(n, g, [&](int s, int oy, int ox, int iy, int ix, int ky,
                              int kx) {
    for (int ci = 0; ci < cin; ++ci) {
      double xv = x[((size_t(s) * g.inH + iy) * g.inW + ix) * cin + ci];
      for (int co = 0; co < cout; ++co)
        z[((size_t(s) * oh + oy) * ow + ox) * cout + co] +=
            xv * w[((size_t(ky) * g.kw + kx) * cin + ci) * cout + co];
    }
  });
  for (double &v : z)
    v = activateRef(act, v);
  return z;
}

Conv2DGrads conv2dBackward(const Tensor &dy, const Tensor &y, const Tensor &x,
                           const Tensor &w, int n, const Window2D &g, int cin,
                           int cout, Act act) {
  const int oh = g.outH(), ow = g.outW();
  Tensor dz(dy.size());
  for (size_t k = 0; k < dy.size(); ++k)
    dz[k] = activationGradRef(act, dy[k], y[k]);
  Conv2DGrads grads{Tensor(x.size(), 0.0), Tensor(w.size(), 0.0),
                    Tensor(cout, 0.0)};
  for (size_t k = 0; k < dz.size(); ++k)
    grads.db[k % cout] += dz[k];
  forEachWindowCell(n, g, [&](int s, int oy, int ox, int iy, int ix, int ky,
                              int kx) {
    for (int ci = 0; ci < cin; ++ci) {
      size_t xi = ((size_t(s) * g.inH + iy) * g.inW + ix) * cin + ci;
      for (int co = 0; co < cout; ++co) {
        double d = dz[((size_t(s) * oh + oy) * ow + ox) * cout + co];
        size_t wi = ((size_t(ky) * g.kw + kx) * cin + ci) * cout + co;
        grads.dx[xi] += d * w[wi];
        grads.dW[wi] += d * x[xi];
      }
    }
  });
  return grads;
}

Tensor maxPoolForward(const Tensor &x, int n, const Window2D &g, int c) {
  const int oh = g.outH(), ow = g.outW();
  Tensor y(size_t(n) * oh * ow * c, -INFINITY);
  forEachWindowCell(n, g, [&](int s, int oy, int ox, int iy, int ix, int, int) {
    for (int ch = 0; ch < c; ++ch) {
      double &out = y[((size_t(s) * oh + oy) * ow + ox) * c + ch];
      out = std::max(out, x[((size_t(s) * g.inH + iy) * g.inW + ix) * c + ch]);
    }
  });
  return y;
}

Tensor maxPoolBackward(const Tensor &dy, const Tensor &x, int n,
                       const Window2D &g, int c) {
  const int oh = g.outH(), ow = g.outW();
  // The first maximum's input index of each output, then the scatter.
  std::vector<long> arg(dy.size(), -1);
  Tensor best(dy.size(), -INFINITY);
  forEachWindowCell(n, g, [&](int s, int oy, int ox, int iy, int ix, int, int) {
    for (int ch = 0; ch < c; ++ch) {
      size_t o = ((size_t(s) * oh + oy) * ow + ox) * c + ch;
      size_t i = ((size_t(s) * g.inH + iy) * g.inW + ix) * c + ch;
      if (arg[o] < 0 || x[i] > best[o])
        best[o] = x[i], arg[o] = long(i);
    }
  });
  Tensor dx(x.size(), 0.0);
  for (size_t o = 0; o < dy.size(); ++o)
    dx[arg[o]] += dy[o];
  return dx;
}

Tensor avgPoolForward(const Tensor &x, int n, const Window2D &g, int c) {
  const int oh = g.outH(), ow = g.outW();
  Tensor y(size_t(n) * oh * ow * c, 0.0);
  std::vector<int> count(y.size(), 0);
  forEachWindowCell(n, g, [&](int s, int oy, int ox, int iy, int ix, int, int) {
    for (int ch = 0; ch < c; ++ch) {
      size_t o = ((size_t(s) * oh + oy) * ow + ox) * c + ch;
      y[o] += x[((size_t(s) * g.inH + iy) * g.inW + ix) * c + ch];
      ++count[o];
    }
  });
  for (size_t o = 0; o < y.size(); ++o)
    y[o] /= count[o];
  return y;
}

Tensor avgPoolBackward(const Tensor &dy, int n, const Window2D &g, int c) {
  const int oh = g.outH(), ow = g.outW();
  std::vector<int> count(dy.size(), 0);
  forEachWindowCell(n, g, [&](int s, int oy, int ox, int, int, int, int) {
    for (int ch = 0; ch < c; ++ch)
      ++count[((size_t(s) * oh + oy) * ow + ox) * c + ch];
  });
  Tensor dx(size_t(n) * g.inH * g.inW * c, 0.0);
  forEachWindowCell(n, g, [&](int s, int oy, int ox, int iy, int ix, int, int) {
    for (int ch = 0; ch < c; ++ch) {
      size_t o = ((size_t(s) * oh + oy) * ow + ox) * c + ch;
      dx[((size_t(s) * g.inH + iy) * g.inW + ix) * c + ch] += dy[o] / count[o];
    }
  });
  return dx;
}

//===----------------------------------------------------------------------===//
// Dropout and BatchNormalization
//===----------------------------------------------------------------------===//

std::array<uint32_t, 4> philox4x32x10(std::array<uint32_t, 4> c,
                                      std::array<uint32_t, 2> k) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k[0] += 0x9E3779B9u;
      k[1] += 0xBB67AE85u;
    }
    uint64_t p0 = uint64_t(0xD2511F53u) * c[0];
    uint64_t p1 = uint64_t(0xCD9E8D57u) * c[2];
    c = {uint32_t(p1 >> 32) ^ c[1] ^ k[0], uint32_t(p1),
         uint32_t(p0 >> 32) ^ c[3] ^ k[1], uint32_t(p0)};
  }
  return c;
}

std::vector<int> dropoutMask(size_t count, uint32_t seed, int32_t step,
                             uint32_t stream, double rate) {
  std::vector<int> mask(count);
  for (size_t k = 0; k < count; ++k) {
    uint32_t word =
        philox4x32x10({uint32_t(k), 0, uint32_t(step), 0}, {seed, stream})[0];
    double u = double(word >> 8) / 16777216.0;
    mask[k] = u >= rate;
  }
  return mask;
}

BatchNormForward batchNormTrain(const Tensor &x, const Tensor &gamma,
                                const Tensor &beta, int rows, int channels,
                                double epsilon) {
  BatchNormForward out{Tensor(x.size()), Tensor(channels, 0.0),
                       Tensor(channels, 0.0)};
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < channels; ++c)
      out.mean[c] += x[size_t(r) * channels + c];
  for (double &m : out.mean)
    m /= rows;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < channels; ++c) {
      double d = x[size_t(r) * channels + c] - out.mean[c];
      out.variance[c] += d * d;
    }
  for (double &v : out.variance)
    v /= rows;
  out.y = batchNormInfer(x, gamma, beta, out.mean, out.variance, rows,
                         channels, epsilon);
  return out;
}

Tensor batchNormInfer(const Tensor &x, const Tensor &gamma, const Tensor &beta,
                      const Tensor &mean, const Tensor &variance, int rows,
                      int channels, double epsilon) {
  Tensor y(x.size());
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < channels; ++c) {
      size_t k = size_t(r) * channels + c;
      y[k] = (x[k] - mean[c]) / std::sqrt(variance[c] + epsilon) * gamma[c] +
             beta[c];
    }
  return y;
}

BatchNormGrads batchNormBackward(const Tensor &dy, const Tensor &x,
                                 const Tensor &gamma, int rows, int channels,
                                 double epsilon) {
  Tensor zeros(channels, 0.0);
  BatchNormForward fwd = batchNormTrain(x, gamma, zeros, rows, channels,
                                        epsilon);
  BatchNormGrads g{Tensor(x.size()), zeros, zeros};
  Tensor rstd(channels);
  for (int c = 0; c < channels; ++c)
    rstd[c] = 1.0 / std::sqrt(fwd.variance[c] + epsilon);
  auto xhat = [&](size_t k, int c) { return (x[k] - fwd.mean[c]) * rstd[c]; };
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < channels; ++c) {
      size_t k = size_t(r) * channels + c;
      g.dbeta[c] += dy[k];
      g.dgamma[c] += dy[k] * xhat(k, c);
    }
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < channels; ++c) {
      size_t k = size_t(r) * channels + c;
      g.dx[k] = gamma[c] * rstd[c] / rows *
                (rows * dy[k] - g.dbeta[c] - xhat(k, c) * g.dgamma[c]);
    }
  return g;
}

CrossEntropy meanSquaredError(const Tensor &z, const Tensor &t, int n,
                              int classes, bool useSoftmax) {
  Tensor p = useSoftmax ? softmax(z, n, classes) : z;
  CrossEntropy r;
  r.dlogits.assign(z.size(), 0);
  const double scale = 1.0 / (double(n) * classes);
  for (int s = 0; s < n; ++s) {
    const double *ps = &p[s * classes], *ts = &t[s * classes];
    std::vector<double> g(classes);
    double gp = 0;
    int argP = 0, argT = 0;
    for (int c = 0; c < classes; ++c) {
      double d = ps[c] - ts[c];
      r.loss += d * d * scale;
      g[c] = 2 * d * scale;
      gp += g[c] * ps[c];
      argP = ps[c] > ps[argP] ? c : argP;
      argT = ts[c] > ts[argT] ? c : argT;
    }
    for (int c = 0; c < classes; ++c)
      r.dlogits[s * classes + c] = useSoftmax ? ps[c] * (g[c] - gp) : g[c];
    r.correct += argP == argT;
  }
  return r;
}

Tensor concatenateChannels(const std::vector<Tensor> &xs,
                           const std::vector<int> &channels, int n,
                           int spatial) {
  int total = 0;
  for (int c : channels)
    total += c;
  Tensor y(size_t(n) * spatial * total);
  for (int s = 0; s < n * spatial; ++s) {
    int offset = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
      for (int c = 0; c < channels[i]; ++c)
        y[size_t(s) * total + offset + c] = xs[i][size_t(s) * channels[i] + c];
      offset += channels[i];
    }
  }
  return y;
}

Tensor sliceChannels(const Tensor &x, int n, int spatial, int channels,
                     int offset, int count) {
  Tensor y(size_t(n) * spatial * count);
  for (int s = 0; s < n * spatial; ++s)
    for (int c = 0; c < count; ++c)
      y[size_t(s) * count + c] = x[size_t(s) * channels + offset + c];
  return y;
}

} // namespace mnistc::ref
