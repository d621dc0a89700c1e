//===- Reference.h - Plain C++ reference for the kernel tests -*- C++ -*-===//
//
// The math of every op the Halide kernels implement (compiler/Ops/), written
// as straight loops in double precision with no Halide, so KernelsTest can
// compare each kernel against it and take finite differences of the
// forward ops. Tensors are flat vectors in Keras's row-major layouts:
//   x [n, in] → x[s*in + i],  W (in, units) → W[i*units + u],
//   b (units), y [n, units] → y[s*units + u],  logits [n, C] likewise.
// This is the same memory order as the kernels' Halide buffers.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_TEST_UNIT_REFERENCE_H
#define MNISTC_TEST_UNIT_REFERENCE_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnistc::ref {

using Tensor = std::vector<double>;

enum class Act { Linear, Relu, Sigmoid, Tanh };

/// act(z), and dy ⊙ act'(z) from the output y = act(z).
double activateRef(Act act, double z);
double activationGradRef(Act act, double dy, double y);

/// y = act(x·W + b).
Tensor denseForward(const Tensor &x, const Tensor &w, const Tensor &b, int n,
                    int in, int units, Act act);

struct DenseGrads {
  Tensor dx, dW, db;
};

/// Gradients of Σ dy ⊙ y with respect to x, W and b, given the forward
/// output y (the activation's derivative is taken from y, as Keras's
/// registered gradients do).
DenseGrads denseBackward(const Tensor &dy, const Tensor &y, const Tensor &x,
                         const Tensor &w, int n, int in, int units, Act act);

/// Row-wise softmax of logits [n, C].
Tensor softmax(const Tensor &z, int n, int classes);

struct CrossEntropy {
  double loss = 0; ///< mean over the batch
  Tensor dlogits;  ///< ∂loss/∂z, [n, C]
  int correct = 0; ///< argmax (first max) == label
};

/// Softmax cross-entropy with integer labels (a label outside [0, C) has an
/// all-zero target), optional label smoothing of the one-hot target.
CrossEntropy sparseSoftmaxCrossEntropy(const Tensor &z,
                                       const std::vector<int> &labels, int n,
                                       int classes, double smoothing = 0);

/// Softmax cross-entropy with target rows t [n, C]; accuracy compares with
/// the first argmax of each target row.
CrossEntropy categoricalSoftmaxCrossEntropy(const Tensor &z, const Tensor &t,
                                            int n, int classes,
                                            double smoothing = 0);

//===----------------------------------------------------------------------===//
// Conv2D and 2-D pooling, channels-last: x [n, h, w, c] → x[((s*h + y)*w +
// x)*c + ch], W (kh, kw, cin, cout) → W[((ky*kw + kx)*cin + ci)*cout + co].
//===----------------------------------------------------------------------===//

/// One spatial window configuration (Keras 'valid' or 'same' geometry).
struct Window2D {
  int inH, inW;
  int kh, kw, sh, sw;
  bool same;
  int outH() const;
  int outW() const;
  int padTop() const;  ///< floor(P/2) rows of zeros before row 0
  int padLeft() const; ///< floor(P/2) columns before column 0
};

/// y = act(conv(x, W) + b), zero padding; y [n, outH, outW, cout].
Tensor conv2dForward(const Tensor &x, const Tensor &w, const Tensor &b, int n,
                     const Window2D &g, int cin, int cout, Act act);

struct Conv2DGrads {
  Tensor dx, dW, db;
};

/// Gradients of Σ dy ⊙ y with respect to x, W and b, the activation's
/// derivative taken from the forward output y.
Conv2DGrads conv2dBackward(const Tensor &dy, const Tensor &y, const Tensor &x,
                           const Tensor &w, int n, const Window2D &g, int cin,
                           int cout, Act act);

/// Max over the non-padded cells of each window, [n, outH, outW, c].
Tensor maxPoolForward(const Tensor &x, int n, const Window2D &g, int c);

/// dy routed to each window's first maximum in row-major window order.
Tensor maxPoolBackward(const Tensor &dy, const Tensor &x, int n,
                       const Window2D &g, int c);

/// Mean over the non-padded cells of each window.
Tensor avgPoolForward(const Tensor &x, int n, const Window2D &g, int c);

/// dy / (non-padded cells) spread over each window's non-padded cells.
Tensor avgPoolBackward(const Tensor &dy, int n, const Window2D &g, int c);

// --- Dropout and BatchNormalization (compiler/Ops/Dropout.h, BatchNorm.h) --

/// Philox-4x32-10 of one block (Random123's philox4x32 with 10 rounds).
std::array<uint32_t, 4> philox4x32x10(std::array<uint32_t, 4> counter,
                                      std::array<uint32_t, 2> key);

/// The Dropout keep mask (1 kept, 0 dropped) of `count` flat elements, as
/// compiler/Ops/Dropout.cpp draws it: word 0 of Philox at counter
/// (k, 0, step, 0), key (seed, stream); kept when (word >> 8)·2⁻²⁴ ≥ rate.
std::vector<int> dropoutMask(size_t count, uint32_t seed, int32_t step,
                             uint32_t stream, double rate);

/// Batch normalization of x viewed as [rows, C] (rows = every non-channel
/// position, batch included), with the batch's own statistics.
struct BatchNormForward {
  Tensor y;
  Tensor mean;     ///< per channel
  Tensor variance; ///< per channel, biased (÷ rows)
};
BatchNormForward batchNormTrain(const Tensor &x, const Tensor &gamma,
                                const Tensor &beta, int rows, int channels,
                                double epsilon);

/// y = (x − μ)/√(σ² + ε)·γ + β with given statistics (inference).
Tensor batchNormInfer(const Tensor &x, const Tensor &gamma, const Tensor &beta,
                      const Tensor &mean, const Tensor &variance, int rows,
                      int channels, double epsilon);

struct BatchNormGrads {
  Tensor dx, dgamma, dbeta;
};
/// Gradients of Σ dy ⊙ batchNormTrain(x).y through the batch statistics.
BatchNormGrads batchNormBackward(const Tensor &dy, const Tensor &x,
                                 const Tensor &gamma, int rows, int channels,
                                 double epsilon);


/// Mean squared error on p = softmax(z) (or p = z) against target rows t
/// [n, C]: loss = mean of (p − t)², dlogits = ∂loss/∂z, correct = first
/// argmax of p == first argmax of t.
CrossEntropy meanSquaredError(const Tensor &z, const Tensor &t, int n,
                              int classes, bool softmax);

/// Joins [n, S, C_i] tensors along the last axis into [n, S, ΣC_i].
Tensor concatenateChannels(const std::vector<Tensor> &xs,
                           const std::vector<int> &channels, int n,
                           int spatial);

/// Channels [offset, offset + count) of an [n, S, C] tensor.
Tensor sliceChannels(const Tensor &x, int n, int spatial, int channels,
                     int offset, int count);

} // namespace mnistc::ref

#endif // MNISTC_TEST_UNIT_REFERENCE_H
