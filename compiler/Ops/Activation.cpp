//===- Activation.cpp - Elementwise activations the kernels fuse ----------===//
//
// Definitions of Activation.h, shared by the Dense and Conv2D kernels.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Activation.h"

using namespace Halide;

namespace mnistc::ops {

const char *activationName(Activation act) {
  switch (act) {
  case Activation::Linear:
    return "linear";
  case Activation::Relu:
    return "relu";
  case Activation::Sigmoid:
    return "sigmoid";
  case Activation::Tanh:
    return "tanh";
  }
  return "?";
}

Expr activate(Activation act, Expr z) {
  switch (act) {
  case Activation::Linear:
    return z;
  case Activation::Relu:
    return max(z, 0.0f);
  case Activation::Sigmoid:
    return 1.0f / (1.0f + exp(-z));
  case Activation::Tanh:
    return tanh(z);
  }
  return z;
}

Expr activationGrad(Activation act, Expr dy, Expr y) {
  switch (act) {
  case Activation::Linear:
    return dy;
  case Activation::Relu:
    return select(y > 0.0f, dy, 0.0f);
  case Activation::Sigmoid:
    return dy * (y * (1.0f - y));
  case Activation::Tanh:
    return dy * (1.0f - y * y);
  }
  return dy;
}

} // namespace mnistc::ops
