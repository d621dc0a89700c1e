//===- L2Regularizer.cpp - L2 penalty and gradient kernels ---------------===//
//
// Definitions of L2Regularizer.h. The penalty is one serial reduction
// (deterministic order); the gradient term one vectorized, parallel pass.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/L2Regularizer.h"

#include "compiler/Codegen/Lowering.h"

#include <algorithm>

using namespace Halide;

namespace mnistc::ops {

Kernel l2Penalty(int count, double l2, const KernelTarget &target) {
  ImageParam loss(Float(32), 0, "loss");
  ImageParam w = staticInput("w", {count});
  RDom r(0, count, "r");
  Func sum("l2_sum"), out("penalized_loss");
  sum() = cast<double>(0);
  sum() += cast<double>(w(r)) * cast<double>(w(r));
  out() = loss() + cast<float>(Expr(l2) * sum());
  if (target.schedule)
    sum.compute_root();
  return makeKernel("l2_penalty_" + std::to_string(count), Pipeline(out), {},
                    {loss, w}, target);
}

Kernel l2Gradient(int count, double l2, const KernelTarget &asked) {
  const KernelTarget target = asked.inPlace(); // in place
  ImageParam w = staticInput("w", {count});
  ImageParam g = staticInput("g", {count});
  Var i("i");
  Func out("regularized_grad");
  out(i) = g(i) + static_cast<float>(2 * l2) * w(i);
  constrainStaticOutput(out, {count});
  if (target.schedule) {
    const int lanes = target.natural_vector_size<float>();
    Var io("io"), ii("ii");
    out.split(i, io, ii, lanes * 1024, TailStrategy::GuardWithIf)
        .parallel(io)
        .vectorize(ii, lanes, TailStrategy::GuardWithIf);
  }
  return makeKernel("l2_gradient_" + std::to_string(count), Pipeline(out), {},
                    {w, g}, target);
}

//===----------------------------------------------------------------------===//
// Lowering (NN_KernelOpInterface)
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;
using codegen::shapeOf;

/// nn.l2_penalty: in the train and eval steps (Keras reports the
/// penalized loss).
struct L2PenaltyKernels
    : KernelOp::ExternalModel<L2PenaltyKernels, L2PenaltyOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto l2 = cast<L2PenaltyOp>(op);
    int count = cast<RankedTensorType>(l2.getParam().getType()).getNumElements();
    double rate = l2.getL2().convertToDouble();
    l.call(
        [=](const KernelTarget &target) {
          return l2Penalty(count, rate, target);
        },
           {},
           {l.buffer(l2.getLoss()),
            l.flat(l2.getParam(), modelso::Region::Params),
            l.buffer(l2.getResult())},
           Lowering::Train | Lowering::Eval);
    return success();
  }
};

/// nn.l2_grad: added in place to the parameter's gradient.
struct L2GradKernels : KernelOp::ExternalModel<L2GradKernels, L2GradOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto l2 = cast<L2GradOp>(op);
    int count = cast<RankedTensorType>(l2.getParam().getType()).getNumElements();
    double rate = l2.getL2().convertToDouble();
    int g = l.flat(l2.getParam(), modelso::Region::Gradients);
    l.call(
        [=](const KernelTarget &target) {
          return l2Gradient(count, rate, target);
        },
           {}, {l.flat(l2.getParam(), modelso::Region::Params), g, g},
           Lowering::Train);
    return success();
  }
};

} // namespace

void registerL2RegularizerKernels(MLIRContext *ctx) {
  L2PenaltyOp::attachInterface<L2PenaltyKernels>(*ctx);
  L2GradOp::attachInterface<L2GradKernels>(*ctx);
}

} // namespace mnistc::ops
