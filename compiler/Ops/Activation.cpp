//===- Activation.cpp - Elementwise activations the kernels fuse ----------===//
//
// Definitions of Activation.h: the expressions the Dense and Conv2D
// kernels fuse, and the standalone elementwise kernels built from them.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Activation.h"

#include "compiler/Codegen/Lowering.h"

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

namespace {

std::string kernelName(Activation act, int features, const char *pass) {
  return std::string("activation_") + activationName(act) + "_" +
         std::to_string(features) + "_" + pass;
}

} // namespace

Kernel activationForward(int features, Activation act, const KernelTarget &target) {
  ImageParam x = batchMajorInput("x", features);
  Var f("f"), n("n");
  Func y("y");
  y(f, n) = activate(act, x(f, n));
  constrainBatchMajorOutput(y, features, x.dim(1).extent());
  scheduleRowsCPU(y, f, n, features, target);
  return makeKernel(kernelName(act, features, "forward"), Pipeline(y), {}, {x}, target);
}

Kernel activationBackward(int features, Activation act, const KernelTarget &target) {
  ImageParam dy = batchMajorInput("dy", features);
  ImageParam y = batchMajorInput("y", features);
  Var f("f"), n("n");
  Func dx("dx");
  dx(f, n) = activationGrad(act, dy(f, n), y(f, n));
  constrainBatchMajorOutput(dx, features, dy.dim(1).extent());
  scheduleRowsCPU(dx, f, n, features, target);
  return makeKernel(kernelName(act, features, "backward"), Pipeline(dx), {},
                    {dy, y}, target);
}

//===----------------------------------------------------------------------===//
// Lowering (NN_KernelOpInterface)
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;
using codegen::shapeOf;

struct ActivationKernels
    : KernelOp::ExternalModel<ActivationKernels, ActivationOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto act = cast<ActivationOp>(op);
    int features = codegen::features(act.getInput());
    Activation kind = codegen::kernelActivation(act.getActivation());
    l.call(
        [=](const KernelTarget &target) {
          return activationForward(features, kind, target);
        },
           {}, {l.rows(act.getInput()), l.rows(act.getOutput())},
           l.forwardSteps());
    return success();
  }
};

/// nn.activation_grad: a kernel of its own unless nn-fuse-activations
/// fused it into its readers' kernels (its `fused` attribute).
struct ActivationGradKernels
    : KernelOp::ExternalModel<ActivationGradKernels, ActivationGradOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto g = cast<ActivationGradOp>(op);
    if (g.getFused())
      return success();
    int features = codegen::features(g.getGrad());
    Activation kind = codegen::kernelActivation(g.getActivation());
    l.call(
        [=](const KernelTarget &target) {
          return activationBackward(features, kind, target);
        },
        {}, {l.rows(g.getGrad()), l.rows(g.getOutput()), l.rows(g)},
        Lowering::Train);
    return success();
  }
};

} // namespace

void registerActivationKernels(MLIRContext *ctx) {
  ActivationOp::attachInterface<ActivationKernels>(*ctx);
  ActivationGradOp::attachInterface<ActivationGradKernels>(*ctx);
}

} // namespace mnistc::ops
