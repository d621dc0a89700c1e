//===- BatchNorm.cpp - BatchNormalization kernels ------------------------===//
//
// All three kernels share one structure: per-channel reductions over the
// S·n values of each channel, in double, followed by an elementwise pass
// over x in float32:
//
//   training forward  μ = Σx / M, σ² = Σ(x − μ)² / M          (two passes)
//                     inv = γ·(1/√(σ² + ε)), y = x·inv + (β − μ·inv)
//                     moving ← moving·m + stat·(1 − m)
//   backward          dβ = Σ dy, dγ = Σ dy·x̂                   (one pass)
//                     dx = γr · (dy − dβ/M − x̂·dγ/M)
//   inference         y = x·inv + (β − μ·inv) with the moving stats
//
// with M = S·n, r = 1/√(σ² + ε) and x̂ = (x − μ)·r. The backward formula is
// the standard γr/M · (M·dy − dβ − x̂·dγ) with the division by M taken
// inside (in double, before rounding), which avoids cancelling M·dy
// against dβ in float32. The algorithm (per kernel, below) and the CPU
// schedule (scheduleChannelSums, scheduleElementwise) are separate.
//
// With a fused activation the forward kernels write act(y) and the
// backward uses dz = dy ⊙ act'(y) in place of dy (from the activated y,
// Activation.h), so the Activation layer costs no pass of its own.
//
//===----------------------------------------------------------------------===//
#include "compiler/Ops/BatchNorm.h"

#include "compiler/Codegen/Lowering.h"

#include <algorithm>

using namespace Halide;

namespace mnistc::ops {

namespace {

/// A Python float hyperparameter as TensorFlow casts it to float32.
Expr f32(double value) { return Expr(static_cast<float>(value)); }

/// A (C, S, n) activation of this shape (Kernel.h's channels-last layout).
ImageParam activationInput(const std::string &name, BatchNormShape shape) {
  return channelsLastInput(name, shape.channels, shape.spatial);
}

/// The inputs of both forward kernels, in their argument order.
struct ForwardInputs {
  ImageParam x, gamma, beta, movingMean, movingVar;
  explicit ForwardInputs(BatchNormShape shape)
      : x(activationInput("x", shape)),
        gamma(staticInput("gamma", {shape.channels})),
        beta(staticInput("beta", {shape.channels})),
        movingMean(staticInput("moving_mean", {shape.channels})),
        movingVar(staticInput("moving_variance", {shape.channels})) {}
  std::vector<ImageParam> all() const {
    return {x, gamma, beta, movingMean, movingVar};
  }
};

//===----------------------------------------------------------------------===//
// CPU schedule
//===----------------------------------------------------------------------===//

/// Images per parallel task of the per-image channel sums.
constexpr int kImagesPerSumTask = 8;

/// A per-channel reduction over (s, n) (one RDom, r.x = s, r.y = n),
/// computed at root in two levels: each image's sum over s (r.x), in
/// parallel over images, then those sums added in image order. Channels
/// are the innermost loop, vectorized (double lanes) only when whole
/// vectors cover them: with a guarded tail on this update the sums came
/// out wrong under Halide 14 (channels 0-3 summed twice, channel 4 never,
/// for C = 5 on AVX2; seen in RegularizationKernelsTest, not root-caused).
/// Deterministic: the summation order is fixed whatever the threads.
/// Measured on lenet at batch 128 (2 cores, AVX2): with one serial sweep
/// per reduction its batchnorm_6x784_relu_backward took 1.08 ms and its
/// four batch norm kernels 2.52 ms per step; split by image, 0.87 and
/// 1.89 ms.
void scheduleChannelSums(Func sums, RDom r, Var c, int channels,
                         const KernelTarget &target) {
  if (!target.schedule)
    return;
  const int lanes = target.natural_vector_size<double>();
  const bool vectorized = channels % lanes == 0;
  sums.compute_root();
  Var n("n_sums"), no("no"), ni("ni"), co("co"), ci("ci");
  Func perImage = sums.update().rfactor(r.y, n);
  perImage.compute_root();
  Stage update = perImage.update();
  update.split(n, no, ni, kImagesPerSumTask, TailStrategy::GuardWithIf)
      .reorder(c, r.x, ni, no)
      .parallel(no);
  if (vectorized) {
    perImage.vectorize(c, lanes);
    update.split(c, co, ci, lanes).reorder(ci, r.x, co, ni, no).vectorize(ci);
    sums.vectorize(c, lanes);
    sums.update().split(c, co, ci, lanes).reorder(ci, r.y, co).vectorize(ci);
  } else {
    sums.update().reorder(c, r.y);
  }
}

/// Rows of the batch per parallel task in the elementwise pass.
constexpr int kRowsPerTask = 8;

/// Elementwise over (c, s, n): vectorized across channels, parallel over
/// blocks of samples; tails guarded.
void scheduleElementwise(Func out, Var c, Var s, Var n, int channels,
                         const KernelTarget &target) {
  if (!target.schedule)
    return;
  const int lanes = std::min(channels, target.natural_vector_size<float>());
  Var co("co"), ci("ci"), no("no"), ni("ni");
  out.split(c, co, ci, lanes, TailStrategy::GuardWithIf)
      .split(n, no, ni, kRowsPerTask, TailStrategy::GuardWithIf)
      .reorder(ci, co, s, ni, no)
      .vectorize(ci)
      .parallel(no);
}

std::string kernelName(BatchNormShape shape, Activation act,
                       const char *pass) {
  std::string name = "batchnorm_" + std::to_string(shape.channels) + "x" +
                     std::to_string(shape.spatial) + "_";
  if (act != Activation::Linear)
    name += std::string(activationName(act)) + "_";
  return name + pass;
}

/// inv = γ·(1/√(σ² + ε)) and shift = β − μ·inv, per channel, at root.
void normalizeCoefficients(Func inv, Func shift, Var c, Expr gamma, Expr beta,
                           Expr mean, Expr variance, double epsilon,
                           const KernelTarget &target) {
  inv(c) = (1.0f / sqrt(variance + f32(epsilon))) * gamma;
  shift(c) = beta - mean * inv(c);
  if (target.schedule) {
    inv.compute_root();
    shift.compute_root();
  }
}

} // namespace

//===----------------------------------------------------------------------===//
// Builders
//===----------------------------------------------------------------------===//

Kernel batchNormTrainForward(BatchNormShape shape,
                             const BatchNormOptions &options, Activation act,
                             const KernelTarget &asked) {
  const KernelTarget target = asked.inPlace(); // the moving statistics
  const int channels = shape.channels;
  ForwardInputs in(shape);
  auto &[x, gamma, beta, movingMean, movingVar] = in;

  // Algorithm.
  Var c("c"), s("s"), n("n");
  Expr batch = x.dim(2).extent();
  RDom r(0, shape.spatial, 0, batch, "r");
  Expr count = cast<double>(shape.spatial) * cast<double>(batch);
  Func sum("bn_sum"), meanD("bn_mean_d"), squares("bn_squares");
  sum(c) = cast<double>(0);
  sum(c) += cast<double>(x(c, r.x, r.y));
  meanD(c) = sum(c) / count;
  Expr centered = cast<double>(x(c, r.x, r.y)) - meanD(c);
  squares(c) = cast<double>(0);
  squares(c) += centered * centered;

  Func stats("batch_stats"), inv("bn_inv"), shift("bn_shift"), y("y");
  stats(c) = Tuple(cast<float>(meanD(c)), cast<float>(squares(c) / count));
  normalizeCoefficients(inv, shift, c, gamma(c), beta(c), stats(c)[0],
                        stats(c)[1], options.epsilon, target);
  y(c, s, n) = activate(act, x(c, s, n) * inv(c) + shift(c));

  Func moving("moving_stats");
  Expr m = f32(options.momentum), oneMinusM = f32(1.0 - options.momentum);
  moving(c) = Tuple(movingMean(c) * m + stats(c)[0] * oneMinusM,
                    movingVar(c) * m + stats(c)[1] * oneMinusM);

  constrainChannelsLastOutput(y, channels, shape.spatial, batch);
  constrainStaticOutput(stats, {channels});
  constrainStaticOutput(moving, {channels});

  // Schedule. μ is computed once per channel before the second pass.
  if (target.schedule)
    meanD.compute_root();
  scheduleChannelSums(sum, r, c, channels, target);
  scheduleChannelSums(squares, r, c, channels, target);
  scheduleElementwise(y, c, s, n, channels, target);

  return makeKernel(kernelName(shape, act, "train_forward"),
                    Pipeline({y, stats, moving}), {},
                    in.all(), target);
}

Kernel batchNormBackward(BatchNormShape shape, const BatchNormOptions &options,
                         Activation act, const KernelTarget &target) {
  const int channels = shape.channels;
  ImageParam dy = activationInput("dy", shape);
  ImageParam x = activationInput("x", shape);
  ImageParam gamma = staticInput("gamma", {channels});
  ImageParam mean = staticInput("mean", {channels});
  ImageParam variance = staticInput("variance", {channels});
  ImageParam y = activationInput("y", shape); // read with an activation
  std::vector<ImageParam> inputs = {dy, x, gamma, mean, variance};
  if (act != Activation::Linear)
    inputs.push_back(y);

  // Algorithm. dz = dy ⊙ act'(y), recomputed in both passes; x̂ in double
  // inside the sums, in float in dx.
  Var c("c"), s("s"), n("n");
  auto dz = [&](Expr cc, Expr ss, Expr nn) {
    return act == Activation::Linear
               ? Expr(dy(cc, ss, nn))
               : activationGrad(act, dy(cc, ss, nn), y(cc, ss, nn));
  };
  Expr batch = dy.dim(2).extent();
  RDom r(0, shape.spatial, 0, batch, "r");
  Expr count = cast<double>(shape.spatial) * cast<double>(batch);
  Func rstd("bn_rstd");
  rstd(c) = 1.0f / sqrt(variance(c) + f32(options.epsilon));

  Func sums("bn_grad_sums");
  Expr dyD = cast<double>(dz(c, r.x, r.y));
  Expr xhatD = (cast<double>(x(c, r.x, r.y)) - cast<double>(mean(c))) *
               cast<double>(rstd(c));
  sums(c) = Tuple(cast<double>(0), cast<double>(0));
  sums(c) = Tuple(sums(c)[0] + dyD, sums(c)[1] + dyD * xhatD);

  Func paramGrads("param_grads"), meanDy("bn_mean_dy"),
      meanDyXhat("bn_mean_dy_xhat"), dx("dx");
  paramGrads(c) = Tuple(cast<float>(sums(c)[1]), cast<float>(sums(c)[0]));
  meanDy(c) = cast<float>(sums(c)[0] / count);
  meanDyXhat(c) = cast<float>(sums(c)[1] / count);
  Expr xhat = (x(c, s, n) - mean(c)) * rstd(c);
  dx(c, s, n) =
      gamma(c) * rstd(c) * (dz(c, s, n) - meanDy(c) - xhat * meanDyXhat(c));

  constrainChannelsLastOutput(dx, channels, shape.spatial, batch);
  constrainStaticOutput(paramGrads, {channels});

  // Schedule.
  if (target.schedule) {
    rstd.compute_root();
    meanDy.compute_root();
    meanDyXhat.compute_root();
  }
  scheduleChannelSums(sums, r, c, channels, target);
  scheduleElementwise(dx, c, s, n, channels, target);

  return makeKernel(kernelName(shape, act, "backward"),
                    Pipeline({dx, paramGrads}), {}, inputs, target);
}

Kernel batchNormInference(BatchNormShape shape,
                          const BatchNormOptions &options, Activation act,
                          const KernelTarget &target) {
  const int channels = shape.channels;
  ForwardInputs in(shape);
  auto &[x, gamma, beta, movingMean, movingVar] = in;

  // Algorithm.
  Var c("c"), s("s"), n("n");
  Func inv("bn_inv"), shift("bn_shift"), y("y");
  normalizeCoefficients(inv, shift, c, gamma(c), beta(c), movingMean(c),
                        movingVar(c), options.epsilon, target);
  y(c, s, n) = activate(act, x(c, s, n) * inv(c) + shift(c));
  constrainChannelsLastOutput(y, channels, shape.spatial, x.dim(2).extent());

  // Schedule.
  scheduleElementwise(y, c, s, n, channels, target);

  return makeKernel(kernelName(shape, act, "inference"), Pipeline(y), {},
                    in.all(), target);
}

//===----------------------------------------------------------------------===//
// Lowering (NN_KernelOpInterface)
//===----------------------------------------------------------------------===//

namespace {

using namespace mlir;
using namespace mnistc::nn;
using codegen::Lowering;
using codegen::shapeOf;

BatchNormShape shapeOfChannels(Value x) {
  int64_t c = shapeOf(x).back();
  return {int(c), int(codegen::features(x) / c)};
}

/// nn.batch_norm_train: the training forward (batch statistics, moving
/// statistics updated in place) in the train step, inference with the
/// moving statistics in the others; both apply its activation.
struct BatchNormTrainKernels
    : KernelOp::ExternalModel<BatchNormTrainKernels, BatchNormTrainOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto bn = cast<BatchNormTrainOp>(op);
    BatchNormShape shape = shapeOfChannels(bn.getInput());
    BatchNormOptions o{bn.getMomentum().convertToDouble(),
                       bn.getEpsilon().convertToDouble()};
    int in = l.channels(bn.getInput()), out = l.channels(bn.getOutput());
    int gamma = l.buffer(bn.getGamma()), beta = l.buffer(bn.getBeta());
    int mm = l.buffer(bn.getMovingMean());
    int mv = l.buffer(bn.getMovingVariance());
    Activation act = codegen::kernelActivation(bn.getActivation());
    l.call(
        [=](const KernelTarget &target) {
          return batchNormTrainForward(shape, o, act, target);
        },
        {},
           {in, gamma, beta, mm, mv, out, l.buffer(bn.getMean()),
            l.buffer(bn.getVariance()), mm, mv},
           Lowering::Train);
    l.call(
        [=](const KernelTarget &target) {
          return batchNormInference(shape, o, act, target);
        },
        {},
           {in, gamma, beta, mm, mv, out},
           l.forwardSteps() & ~unsigned(Lowering::Train));
    return success();
  }
};

/// nn.batch_norm_grad, with the activation gradient nn-fuse-activations
/// folded in (then it also reads the forward's output).
struct BatchNormGradKernels
    : KernelOp::ExternalModel<BatchNormGradKernels, BatchNormGradOp> {
  LogicalResult lowerToKernels(Operation *op, Lowering &l) const {
    auto g = cast<BatchNormGradOp>(op);
    Value x = g.getInput();
    BatchNormOptions o;
    o.epsilon = g.getEpsilon().convertToDouble();
    std::vector<int> buffers = {l.channels(g.getGrad()), l.channels(x),
                                l.buffer(g.getGamma()), l.buffer(g.getMean()),
                                l.buffer(g.getVariance())};
    if (Value y = g.getOutput())
      buffers.push_back(l.channels(y));
    buffers.insert(buffers.end(), {l.channels(g.getInputGrad()),
                                   l.gradient(g.getGammaGrad()),
                                   l.gradient(g.getBetaGrad())});
    BatchNormShape shape = shapeOfChannels(x);
    Activation act = codegen::kernelActivation(g.getActivation());
    l.call(
        [=](const KernelTarget &target) {
          return batchNormBackward(shape, o, act, target);
        },
           {}, std::move(buffers), Lowering::Train);
    return success();
  }
};

} // namespace

void registerBatchNormKernels(MLIRContext *ctx) {
  BatchNormTrainOp::attachInterface<BatchNormTrainKernels>(*ctx);
  BatchNormGradOp::attachInterface<BatchNormGradKernels>(*ctx);
}

} // namespace mnistc::ops
