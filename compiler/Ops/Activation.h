//===- Activation.h - Elementwise activations the kernels fuse -*- C++ -*-===//
//
// The activations Dense and Conv2D fuse into their kernels, as Halide
// expressions: the forward act(z) in float32 as Keras computes it, and the
// gradient dy ⊙ act'(z) written in terms of the forward OUTPUT y = act(z)
// (relu: y > 0, sigmoid: y(1 − y), tanh: 1 − y²), so a backward kernel
// needs only the stored output. Softmax is not here: it is fused with the
// crossentropy loss (SoftmaxCrossEntropy.h). Also the two kernels of a
// standalone Activation layer, for where no Dense or Conv2D kernel can
// fuse it (e.g. after BatchNormalization or Add).
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_ACTIVATION_H
#define MNISTC_COMPILER_OPS_ACTIVATION_H

#include "compiler/Ops/Kernel.h"

namespace mnistc::ops {

enum class Activation { Linear, Relu, Sigmoid, Tanh };

/// The Keras spelling: "linear", "relu", "sigmoid", "tanh".
const char *activationName(Activation act);

/// act(z).
Halide::Expr activate(Activation act, Halide::Expr z);

/// dy ⊙ act'(z), from the forward output y = act(z).
Halide::Expr activationGrad(Activation act, Halide::Expr dy, Halide::Expr y);

/// "activation_<act>_<features>_forward": y = act(x) elementwise.
/// Buffers: x (features, n). Output: y (features, n); features is the
/// product of all non-batch dims of the Keras tensor.
Kernel activationForward(int features, Activation act,
                         const KernelTarget &target);

/// "activation_<act>_<features>_backward": dx = dy ⊙ act'(y), from the
/// forward output y. Buffers: dy, y (features, n). Output: dx (features, n).
Kernel activationBackward(int features, Activation act,
                          const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_ACTIVATION_H
