//===- BatchNorm.h - Kernels of the BatchNormalization layer ---*- C++ -*-===//
//
// Builders for Keras's BatchNormalization with axis=-1, center and scale
// (docs/KERAS_SEMANTICS.md §7): the training forward (normalize with the
// batch statistics and update the moving statistics), its backward through
// the batch statistics, and the inference forward with the moving
// statistics. Channels-last: a Keras tensor [n, d1, ..., dk, C] of any
// rank ≥ 2 is the dense Halide buffer (C, S, n) with S = d1·…·dk (S = 1
// for rank 2); statistics run over the S·n values of each channel. Batch n
// is a run-time extent; C and S are fixed per model.
//
// Precision: the per-channel sums are accumulated in double, the variance
// in a second pass over the data as Σ(x − μ)² (never E[x²] − μ²), so the
// statistics are exact to float rounding whatever the batch and offset;
// the elementwise outputs are computed in float32 as Keras does.
//
// Each kernel can apply an activation to its output (an Activation layer
// after the BatchNormalization, which nn-fuse-activations folds in): the
// forward kernels write act(y), the backward takes its dy through act'
// first, from the forward's activated output. Linear leaves them plain.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_BATCHNORM_H
#define MNISTC_COMPILER_OPS_BATCHNORM_H

#include "compiler/Ops/Activation.h"
#include "compiler/Ops/Kernel.h"

namespace mnistc::ops {

struct BatchNormShape {
  int channels; ///< C, the last Keras axis
  int spatial;  ///< S, the product of the dims between batch and channels
};

struct BatchNormOptions {
  double momentum = 0.99;
  double epsilon = 1e-3;
};

/// "batchnorm_<C>x<S>[_<act>]_train_forward". Buffers: x (C, S, n), gamma
/// (C), beta (C), moving_mean (C), moving_variance (C). Outputs, in order:
///   y (C, S, n)        act(x·inv + (β − μ·inv)), inv = γ/√(σ² + ε)
///   mean, variance (C) the batch mean μ and BIASED variance σ² (÷ S·n),
///                      one Tuple-valued Func; the backward reads them
///   moving_mean, moving_variance (C)
///                      m·moving + (1 − m)·batch stat, one Tuple-valued
///                      Func reading only its own channel's old values, so
///                      callers may pass the moving buffers as both inputs
///                      and outputs and update in place.
Kernel batchNormTrainForward(BatchNormShape shape,
                             const BatchNormOptions &options, Activation act,
                             const KernelTarget &target);

/// "batchnorm_<C>x<S>[_<act>]_backward": the gradient of Σ dy ⊙ y through
/// the batch statistics, with x̂ = (x − μ)·r, r = 1/√(σ² + ε), M = S·n and
/// dz = dy ⊙ act'(y):
///   dβ = Σ dz,  dγ = Σ dz·x̂,  dx = γ·r/M · (M·dz − dβ − x̂·dγ).
/// Buffers: dy (C, S, n), x (C, S, n), gamma (C), mean (C), variance (C)
/// (the forward's batch statistics), then, with an activation, y (C, S, n)
/// (the forward's activated output). Outputs: dx (C, S, n), then dgamma
/// and dbeta (C) as one Tuple-valued Func. All overwritten.
Kernel batchNormBackward(BatchNormShape shape, const BatchNormOptions &options,
                         Activation act, const KernelTarget &target);

/// "batchnorm_<C>x<S>[_<act>]_inference": y = act(x·inv + (β − μ·inv)),
/// inv = γ/√(σ² + ε) with the moving statistics. Buffers: x (C, S, n),
/// gamma, beta, moving_mean, moving_variance (C). Output: y (C, S, n).
Kernel batchNormInference(BatchNormShape shape,
                          const BatchNormOptions &options, Activation act,
                          const KernelTarget &target);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_BATCHNORM_H
