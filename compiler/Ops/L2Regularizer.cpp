//===- L2Regularizer.cpp - L2 penalty and gradient kernels ---------------===//
//
// Definitions of L2Regularizer.h. The penalty is one serial reduction
// (deterministic order); the gradient term one vectorized, parallel pass.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/L2Regularizer.h"

#include <algorithm>

using namespace Halide;

namespace mnistc::ops {

Kernel l2Penalty(int count, double l2, const Target &) {
  ImageParam loss(Float(32), 0, "loss");
  ImageParam w = staticInput("w", {count});
  RDom r(0, count, "r");
  Func sum("l2_sum"), out("penalized_loss");
  sum() = cast<double>(0);
  sum() += cast<double>(w(r)) * cast<double>(w(r));
  out() = loss() + cast<float>(Expr(l2) * sum());
  if (manualSchedules())
    sum.compute_root();
  return makeKernel("l2_penalty_" + std::to_string(count), Pipeline(out), {},
                    {loss, w});
}

Kernel l2Gradient(int count, double l2, const Target &target) {
  ScheduleScope inPlace(/*manual=*/!target.has_gpu_feature()); // Kernel.h
  ImageParam w = staticInput("w", {count});
  ImageParam g = staticInput("g", {count});
  Var i("i");
  Func out("regularized_grad");
  out(i) = g(i) + static_cast<float>(2 * l2) * w(i);
  constrainStaticOutput(out, {count});
  if (manualSchedules()) {
    const int lanes = target.natural_vector_size<float>();
    Var io("io"), ii("ii");
    out.split(i, io, ii, lanes * 1024, TailStrategy::GuardWithIf)
        .parallel(io)
        .vectorize(ii, lanes, TailStrategy::GuardWithIf);
  }
  return makeKernel("l2_gradient_" + std::to_string(count), Pipeline(out), {},
                    {w, g});
}

} // namespace mnistc::ops
