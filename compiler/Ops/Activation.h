//===- Activation.h - Elementwise activations the kernels fuse -*- C++ -*-===//
//
// The activations Dense and Conv2D fuse into their kernels, as Halide
// expressions: the forward act(z) in float32 as Keras computes it, and the
// gradient dy ⊙ act'(z) written in terms of the forward OUTPUT y = act(z)
// (relu: y > 0, sigmoid: y(1 − y), tanh: 1 − y²), so a backward kernel
// needs only the stored output. Softmax is not here: it is fused with the
// crossentropy loss (SoftmaxCrossEntropy.h).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_ACTIVATION_H
#define MNISTC_COMPILER_OPS_ACTIVATION_H

#include "Halide.h"

namespace mnistc::ops {

enum class Activation { Linear, Relu, Sigmoid, Tanh };

/// The Keras spelling: "linear", "relu", "sigmoid", "tanh".
const char *activationName(Activation act);

/// act(z).
Halide::Expr activate(Activation act, Halide::Expr z);

/// dy ⊙ act'(z), from the forward output y = act(z).
Halide::Expr activationGrad(Activation act, Halide::Expr dy, Halide::Expr y);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_ACTIVATION_H
