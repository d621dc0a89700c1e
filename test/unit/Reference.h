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

#include <vector>

namespace mnistc::ref {

using Tensor = std::vector<double>;

enum class Act { Linear, Relu, Sigmoid, Tanh };

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

} // namespace mnistc::ref

#endif // MNISTC_TEST_UNIT_REFERENCE_H
