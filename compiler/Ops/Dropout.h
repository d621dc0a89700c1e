//===- Dropout.h - Training kernels of the Dropout layer -------*- C++ -*-===//
//
// Builders for Keras's Dropout in training (docs/KERAS_SEMANTICS.md §8):
// keep each element with probability 1 − rate and scale kept elements by
// 1/(1 − rate); at inference Dropout is the identity and needs no kernel.
// The keep mask is never stored: both the forward and the backward kernel
// recompute it from a counter-based random number generator, Philox-4x32-10
// (Salmon et al., SC'11; the Random123 reference), keyed by the run-time
// seed and step and the element's flat index. So a training run is
// reproducible from (seed, step), and the backward of a step sees exactly
// the mask its forward drew. See docs/kernels.md for the bit layout.
//
//===----------------------------------------------------------------------===//
#ifndef MNISTC_COMPILER_OPS_DROPOUT_H
#define MNISTC_COMPILER_OPS_DROPOUT_H

#include "compiler/Ops/Kernel.h"

#include <cstdint>

namespace mnistc::ops {

struct DropoutShape {
  /// Elements per sample: the product of all non-batch dims of the Keras
  /// tensor. A tensor of any rank [n, d1, ..., dk] is the dense Halide
  /// buffer (features, n) with features = d1·…·dk; element (f, n) has the
  /// flat index n·features + f.
  int features;
};

struct DropoutOptions {
  double rate = 0.5; ///< Keras's `rate`, in [0, 1]
  /// Philox key word 1, a compile-time constant that separates the masks of
  /// different Dropout layers of one model under the same seed (codegen
  /// passes the layer's index). Key word 0 is the run-time seed.
  uint32_t stream = 0;
};

/// "dropout_forward": y = keep·x·scale, scale = float(1/(1 − rate)).
/// Scalars: seed (uint32), step (int32, e.g. the optimizer's iteration
/// counter), first (int32: the place of image 0 in its whole batch, so a
/// shard of a batch draws the masks of those images).
/// Buffers: x (features, n). Output: y (features, n).
/// rate 0 is the identity (no random draws), rate 1 gives zeros. The
/// scalars are arguments for every rate, so all rates share a signature.
Kernel dropoutForward(DropoutShape shape, const DropoutOptions &options,
                      const KernelTarget &target);

/// "dropout_backward": dx = keep·dy·scale with the same keep mask as
/// dropoutForward for the same (seed, step, stream, features).
/// Scalars: seed (uint32), step (int32), first (int32).
/// Buffers: dy (features, n).
/// Output: dx (features, n). Elementwise, so dx may alias dy.
Kernel dropoutBackward(DropoutShape shape, const DropoutOptions &options,
                       const KernelTarget &target);

/// Philox-4x32-10 of one block as a Halide expression: returns the first
/// output word for counter (c0, c1, c2, c3) and key (k0, k1), all uint32.
/// Exposed for tests and for other ops that need random bits.
Halide::Expr philox4x32x10Word0(Halide::Expr c0, Halide::Expr c1,
                                Halide::Expr c2, Halide::Expr c3,
                                Halide::Expr k0, Halide::Expr k1);

} // namespace mnistc::ops

#endif // MNISTC_COMPILER_OPS_DROPOUT_H
