//===- Optimizers.cpp - SGD, Adam and RMSprop update kernels -------------===//
//
// Each optimizer is one Tuple-valued Func over the flat parameter index:
// its elements are the new weight and the new state slots, computed from
// the old values of the same index only. The expressions mirror Keras's
// update_step op for op (keras/src/optimizers/{sgd,adam,rmsprop}.py) so
// the float32 results agree with Keras to rounding. The schedule is the
// same for all: vectorized, split into parallel chunks, tails guarded.
// The file ends with the lowering of the update ops (nn.sgd_update, ...):
// the first one's model lowers every parameter's update as one call.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/Optimizers.h"

#include "compiler/Codegen/Lowering.h"

using namespace Halide;

namespace mnistc::ops {

namespace {

/// A Python float hyperparameter as TensorFlow casts it to float32.
Expr f32(double value) { return Expr(static_cast<float>(value)); }

/// Keras's decoupled weight decay, applied before the update step.
Expr decayed(Expr w, Expr lr, double weightDecay) {
  if (weightDecay == 0.0)
    return w;
  return w - w * f32(weightDecay) * lr;
}

/// Elements per parallel task: 16 Ki floats, 64 KiB per stream. Measured
/// for the MLP's 407,050 parameters (25 tasks) on a 2-core Zen 3: Adam
/// 0.077 ms with both cores, 0.140 ms with one (it moves 11.4 MB in 7
/// streams, about 150 GB/s from L2/L3); SGD 0.031, RMSprop 0.074.
constexpr int kChunk = 16384;

/// Schedules an elementwise update over [0, count): SIMD vectors of the
/// target's width, tasks of kChunk elements. Both splits guard their tails
/// so no element is computed twice (required for in-place updates).
void scheduleElementwiseCPU(Func update, Var i, int count,
                            const KernelTarget &target) {
  const int lanes = target.natural_vector_size<float>();
  Var chunk("chunk"), inner("inner"), lane("lane");
  update.split(i, chunk, inner, kChunk, TailStrategy::GuardWithIf)
      .split(inner, inner, lane, lanes, TailStrategy::GuardWithIf)
      .vectorize(lane);
  if (count > kChunk)
    update.parallel(chunk);
}

/// Wraps an update Func whose elements are `values` into a Kernel.
Kernel finish(const std::string &name, Func update, Var i,
              const std::vector<Expr> &values, int count,
              std::vector<Param<>> scalars, std::vector<ImageParam> buffers,
              const KernelTarget &asked) {
  const KernelTarget target = asked.inPlace(); // in place
  if (values.size() == 1)
    update(i) = values[0];
  else
    update(i) = Tuple(values);
  constrainStaticOutput(update, {count});
  if (target.schedule)
    scheduleElementwiseCPU(update, i, count, target);
  return makeKernel(name, Pipeline(update), std::move(scalars),
                    std::move(buffers), target);
}

} // namespace

Kernel sgdUpdate(int count, const SGDOptions &options, const KernelTarget &target) {
  Param<float> lr("lr");
  ImageParam w = staticInput("w", {count}), g = staticInput("g", {count});
  const bool momentum = options.momentum != 0.0;

  // Algorithm.
  Var i("i");
  Expr w0 = decayed(w(i), lr, options.weightDecay);
  std::vector<Expr> values;
  std::vector<ImageParam> buffers = {w, g};
  if (!momentum) {
    values = {w0 - g(i) * lr};
  } else {
    ImageParam v = staticInput("v", {count});
    buffers.push_back(v);
    Expr mu = f32(options.momentum);
    Expr vNew = v(i) * mu - g(i) * lr;
    Expr wNew = options.nesterov ? w0 + (vNew * mu - g(i) * lr) : w0 + vNew;
    values = {wNew, vNew};
  }

  return finish("sgd_update", Func("sgd_update"), i, values, count, {lr},
                buffers, target);
}

Kernel adamUpdate(int count, const AdamOptions &options, const KernelTarget &target) {
  Param<float> lr("lr");
  Param<int32_t> step("step");
  ImageParam w = staticInput("w", {count}), g = staticInput("g", {count});
  ImageParam m = staticInput("m", {count}), v = staticInput("v", {count});
  std::vector<ImageParam> buffers = {w, g, m, v};

  // Algorithm. α is loop-invariant; Halide hoists it out of the loop.
  Var i("i");
  Expr t = cast<float>(step);
  Expr beta1Power = pow(f32(options.beta1), t);
  Expr beta2Power = pow(f32(options.beta2), t);
  Expr alpha = lr * sqrt(1.0f - beta2Power) / (1.0f - beta1Power);
  Expr w0 = decayed(w(i), lr, options.weightDecay);
  Expr mNew = m(i) + (g(i) - m(i)) * f32(1.0 - options.beta1);
  Expr vNew = v(i) + (g(i) * g(i) - v(i)) * f32(1.0 - options.beta2);
  std::vector<Expr> values = {Expr(), mNew, vNew};
  Expr vUsed = vNew;
  if (options.amsgrad) {
    ImageParam vHat = staticInput("v_hat", {count});
    buffers.push_back(vHat);
    vUsed = max(vHat(i), vNew);
    values.push_back(vUsed);
  }
  values[0] = w0 - (mNew * alpha) / (sqrt(vUsed) + f32(options.epsilon));

  return finish("adam_update", Func("adam_update"), i, values, count,
                {lr, step}, buffers, target);
}

Kernel rmspropUpdate(int count, const RMSpropOptions &options,
                     const KernelTarget &target) {
  Param<float> lr("lr");
  ImageParam w = staticInput("w", {count}), g = staticInput("g", {count});
  ImageParam v = staticInput("v", {count});
  std::vector<ImageParam> buffers = {w, g, v};

  // Algorithm.
  Var i("i");
  Expr rho = f32(options.rho), oneMinusRho = f32(1.0 - options.rho);
  Expr w0 = decayed(w(i), lr, options.weightDecay);
  Expr vNew = rho * v(i) + oneMinusRho * (g(i) * g(i));
  Expr denominator = vNew + f32(options.epsilon);
  Expr aNew;
  if (options.centered) {
    ImageParam a = staticInput("a", {count});
    aNew = rho * a(i) + oneMinusRho * g(i);
    denominator = vNew - aNew * aNew + f32(options.epsilon);
    // a is appended after b below; remember it for the buffer list.
    buffers.push_back(a);
  }
  Expr increment = lr * g(i) / sqrt(denominator);
  std::vector<Expr> values = {Expr(), vNew};
  if (options.momentum != 0.0) {
    ImageParam b = staticInput("b", {count});
    // Buffers are w, g, v, b, a: b goes before a when both are present.
    buffers.insert(buffers.begin() + 3, b);
    Expr bNew = f32(options.momentum) * b(i) + increment;
    values[0] = w0 - bNew;
    values.push_back(bNew);
  } else {
    values[0] = w0 - increment;
  }
  if (options.centered)
    values.push_back(aNew);

  return finish("rmsprop_update", Func("rmsprop_update"), i, values, count,
                {lr}, buffers, target);
}

//===----------------------------------------------------------------------===//
// Lowering of the update ops
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;
using modelso::kLearningRateSlot;

/// One call of `build` over every trainable parameter, with the
/// optimizer's `slots` state slots and these scalars.
template <typename Options>
LogicalResult lowerUpdate(Lowering &l,
                          Kernel (*build)(int, const Options &,
                                          const KernelTarget &),
                          Options o, int slots, std::vector<int> scalars) {
  Lowering::Update u = l.update(slots);
  l.call([=](const KernelTarget &target) { return build(u.count, o, target); },
         std::move(scalars), u.inPlace(), Lowering::Train);
  return success();
}

struct SGDUpdateKernels
    : KernelOp::ExternalModel<SGDUpdateKernels, SGDUpdateOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto sgd = cast<SGDUpdateOp>(op);
    SGDOptions o;
    o.momentum = sgd.getMomentum().convertToDouble();
    o.nesterov = sgd.getNesterov();
    return lowerUpdate(l, sgdUpdate, o, /*slots=*/o.momentum > 0,
                       {kLearningRateSlot});
  }
};

struct AdamUpdateKernels
    : KernelOp::ExternalModel<AdamUpdateKernels, AdamUpdateOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto adam = cast<AdamUpdateOp>(op);
    AdamOptions o;
    o.beta1 = adam.getBeta_1().convertToDouble();
    o.beta2 = adam.getBeta_2().convertToDouble();
    o.epsilon = adam.getEpsilon().convertToDouble();
    return lowerUpdate(l, adamUpdate, o, /*slots=*/2,
                       {kLearningRateSlot, modelso::kStepSlot});
  }
};

struct RMSpropUpdateKernels
    : KernelOp::ExternalModel<RMSpropUpdateKernels, RMSpropUpdateOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto rms = cast<RMSpropUpdateOp>(op);
    RMSpropOptions o;
    o.rho = rms.getRho().convertToDouble();
    o.momentum = rms.getMomentum().convertToDouble();
    o.epsilon = rms.getEpsilon().convertToDouble();
    return lowerUpdate(l, rmspropUpdate, o, /*slots=*/o.momentum > 0 ? 2 : 1,
                       {kLearningRateSlot});
  }
};

} // namespace

void registerOptimizersKernels(MLIRContext *ctx) {
  SGDUpdateOp::attachInterface<SGDUpdateKernels>(*ctx);
  AdamUpdateOp::attachInterface<AdamUpdateKernels>(*ctx);
  RMSpropUpdateOp::attachInterface<RMSpropUpdateKernels>(*ctx);
}

} // namespace mnistc::ops
